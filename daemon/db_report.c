/*
 * db_report.c -- transparency report over the decision log (see db.h).
 * Placeholder until the decision-log schema (store.c) is settled.
 */
#include "db.h"

#include <stdio.h>

int arbd_report_json(sqlite3 *db, int64_t from_ms, int64_t to_ms, char **out,
                     char *err, size_t errlen)
{
    *out = NULL;
    snprintf(err, errlen, "report not implemented yet");
    return -1;
}

int arbd_report_html(sqlite3 *db, int64_t from_ms, int64_t to_ms, char **out,
                     char *err, size_t errlen)
{
    return arbd_report_json(db, from_ms, to_ms, out, err, errlen);
}
