/* cli/simulate.c -- STUB until implemented. */
#include "cli.h"
int cmd_simulate(int argc, char **argv) { (void)argc; fprintf(stderr, "arbiter: %s: not implemented yet\n", argv[0]); return CLI_EXIT_USAGE; }
