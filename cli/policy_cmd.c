/* cli/policy_cmd.c -- STUB until implemented. */
#include "cli.h"
int cmd_policy(int argc, char **argv) { (void)argc; fprintf(stderr, "arbiter: %s: not implemented yet\n", argv[0]); return CLI_EXIT_USAGE; }
