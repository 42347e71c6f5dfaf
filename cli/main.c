#include "arbiter.h"
#include <stdio.h>
int main(void) { arb_engine *e; arb_error err; if (arb_engine_new(NULL, &e, &err)) { fprintf(stderr, "%s\n", err.message); return 3; } printf("%s\n", arb_engine_policy_hash(e)); arb_engine_free(e); return 0; }
