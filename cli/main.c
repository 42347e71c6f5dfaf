/*
 * main.c -- the `arbiter` command: dispatches to subcommands.  The CLI is a
 * client of the public libarbiter API only.
 */
#include "cli.h"

#include <string.h>

/* Subcommands that live in optional parts of the tree (lexicon tools, the
 * SQLite-backed audit and report commands) are weak: a build without them
 * still links and says so. */
int cmd_audit(int argc, char **argv) __attribute__((weak));
int cmd_report(int argc, char **argv) __attribute__((weak));
int cmd_stream(int argc, char **argv) __attribute__((weak));

static void usage(FILE *f)
{
    fputs("usage: arbiter COMMAND [OPTIONS] [ARGS]\n"
          "\n"
          "Commands:\n"
          "  scan       decide posts given as JSON Lines (stdin or files), one output line each\n"
          "  check      decide one post given on the command line and show why\n"
          "  eval       measure precision/recall on labeled posts (jsonl, hatecheck, gab)\n"
          "  policy     lint | explain | diff | brief | test policy packs\n"
          "  simulate   compare two policies on a corpus: which decisions flip\n"
          "  lexicon    patterns | lint [PATH...]: the violent-speech lexicons\n"
          "  audit      verify the tamper-evident audit log of an arbiterd database\n"
          "  report     counts by rule, action, country and day (json or html)\n"
          "  stream     worker on NATS JetStream or Kafka: posts in, decisions out\n"
          "  version    print the version\n"
          "\n"
          "`arbiter COMMAND --help` describes each command; `man arbiter` all of them.\n"
          "Exit status: 0 success, 1 some records/tests failed, 2 usage error,\n"
          "3 policy or lexicon error, 4 input/output error.\n",
          f);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
        printf("arbiter %s\n", ARB_VERSION_STRING);
        return 0;
    }
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } cmds[] = {{"scan", cmd_scan},       {"check", cmd_check},
                {"eval", cmd_eval},       {"policy", cmd_policy},
                {"simulate", cmd_simulate}, {"lexicon", cmd_lexicon},
                {"audit", NULL},          {"report", NULL},
                {"stream", NULL}};
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        if (strcmp(cmd, cmds[i].name) != 0)
            continue;
        int (*fn)(int, char **) = cmds[i].fn;
        if (!strcmp(cmd, "audit"))
            fn = cmd_audit;
        else if (!strcmp(cmd, "report"))
            fn = cmd_report;
        else if (!strcmp(cmd, "stream"))
            fn = cmd_stream;
        if (!fn) {
            fprintf(stderr, "arbiter: %s: not available in this build\n", cmd);
            return CLI_EXIT_USAGE;
        }
        return fn(argc - 1, argv + 1);
    }
    fprintf(stderr, "arbiter: unknown command \"%s\"\n\n", cmd);
    usage(stderr);
    return CLI_EXIT_USAGE;
}
