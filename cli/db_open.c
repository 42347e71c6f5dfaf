/*
 * db_open.c -- opening an arbiterd database for the CLI commands that only
 * read it (`arbiter audit verify`, `arbiter report`): read-only, with a busy
 * timeout so a running arbiterd's writes do not fail the read.
 */
#include "cli.h"

#include <sqlite3.h>

int cli_db_open_readonly(const char *path, struct sqlite3 **out)
{
    sqlite3 *db = NULL;
    *out = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fprintf(stderr, "arbiter: %s: %s\n", path, db ? sqlite3_errmsg(db) : "cannot open");
        sqlite3_close(db);
        return CLI_EXIT_IO;
    }
    sqlite3_busy_timeout(db, 5000);
    *out = db;
    return 0;
}
