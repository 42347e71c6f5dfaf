/*
 * audit_cmd.c -- `arbiter audit verify --db PATH`: recomputes the hash chain
 * of arbiterd's audit log (daemon/db_audit.c) and names the first broken
 * entry.  Opens the database read-only; never writes.
 *
 * Exit status: 0 intact, 1 broken, 2 usage, 4 the database cannot be read.
 */
#include "cli.h"
#include "db.h"

#include <inttypes.h>
#include <string.h>

static void usage(FILE *f)
{
    fputs("usage: arbiter audit verify --db PATH\n"
          "Recomputes the tamper-evident audit chain of an arbiterd database.\n"
          "Prints \"audit chain intact: N entries\" and the head hash (exit 0), or the\n"
          "first broken entry and what is wrong with it (exit 1).\n",
          f);
}

int cmd_audit(int argc, char **argv)
{
    const char *db_path = NULL;
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
    }
    if (strcmp(argv[1], "verify") != 0) {
        fprintf(stderr, "arbiter: audit: unknown subcommand \"%s\"\n", argv[1]);
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--db") && i + 1 < argc) {
            db_path = argv[++i];
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return CLI_EXIT_OK;
        } else {
            fprintf(stderr, "arbiter: audit verify: unexpected argument \"%s\"\n", argv[i]);
            usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (!db_path) {
        fprintf(stderr, "arbiter: audit verify: --db PATH is required\n");
        return CLI_EXIT_USAGE;
    }
    sqlite3 *db = NULL;
    if (cli_db_open_readonly(db_path, &db))
        return CLI_EXIT_IO;
    arbd_audit_check chk;
    int rc = arbd_audit_verify(db, &chk);
    sqlite3_close(db);
    if (rc < 0) {
        fprintf(stderr, "arbiter: %s: %s\n", db_path, chk.problem);
        return CLI_EXIT_IO;
    }
    if (rc > 0) {
        printf("audit chain BROKEN at entry %" PRId64 ": %s\n", chk.bad_seq, chk.problem);
        if (chk.head[0])
            printf("last good entry hash: %s\n", chk.head);
        return CLI_EXIT_RECORDS;
    }
    printf("audit chain intact: %" PRId64 " entries\n", chk.entries);
    if (chk.head[0])
        printf("head: %s\n", chk.head);
    return CLI_EXIT_OK;
}
