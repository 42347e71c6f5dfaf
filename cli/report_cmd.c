/*
 * report_cmd.c -- `arbiter report --db PATH --from T --to T [--format
 * json|html] [-o FILE]`: the transparency report (daemon/db_report.c) of an
 * arbiterd database, the same document GET /v1/report serves.  T is an
 * RFC 3339 time or a YYYY-MM-DD date (a --to date includes that whole day).
 * Opens the database read-only.
 *
 * Exit status: 0 written, 2 usage, 4 the database or output cannot be used.
 */
#include "cli.h"
#include "db.h"

#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
    fputs("usage: arbiter report --db PATH --from T --to T [--format json|html] [-o FILE]\n"
          "Counts decisions made in [from, to) by rule, action, author country and day,\n"
          "with moderator review and overturn rates.  T: RFC 3339 time or YYYY-MM-DD\n"
          "(a --to date includes that day).  html: a self-contained page with SVG charts.\n",
          f);
}

static int parse_when(const char *v, int end_of_day, int64_t *ms)
{
    size_t n = strlen(v);
    if (n == 10) {
        char buf[32];
        snprintf(buf, sizeof buf, "%sT00:00:00Z", v);
        if (arb_parse_time(buf, strlen(buf), ms) != ARB_OK)
            return -1;
        if (end_of_day)
            *ms += 86400000;
        return 0;
    }
    return arb_parse_time(v, n, ms) == ARB_OK ? 0 : -1;
}

int cmd_report(int argc, char **argv)
{
    const char *db_path = NULL, *from = NULL, *to = NULL, *format = "json", *out_path = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return CLI_EXIT_OK;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "arbiter: report: \"%s\" needs a value or is unknown\n", a);
            usage(stderr);
            return CLI_EXIT_USAGE;
        }
        if (!strcmp(a, "--db"))
            db_path = argv[++i];
        else if (!strcmp(a, "--from"))
            from = argv[++i];
        else if (!strcmp(a, "--to"))
            to = argv[++i];
        else if (!strcmp(a, "--format"))
            format = argv[++i];
        else if (!strcmp(a, "-o") || !strcmp(a, "--output"))
            out_path = argv[++i];
        else {
            fprintf(stderr, "arbiter: report: unknown option \"%s\"\n", a);
            usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    int64_t f = 0, t = 0;
    if (!db_path || !from || !to) {
        fprintf(stderr, "arbiter: report: --db, --from and --to are required\n");
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (parse_when(from, 0, &f) != 0 || parse_when(to, 1, &t) != 0 || t <= f) {
        fprintf(stderr, "arbiter: report: --from/--to must be RFC 3339 times or YYYY-MM-DD "
                        "dates with from < to\n");
        return CLI_EXIT_USAGE;
    }
    int html = !strcmp(format, "html");
    if (!html && strcmp(format, "json")) {
        fprintf(stderr, "arbiter: report: --format must be json or html\n");
        return CLI_EXIT_USAGE;
    }
    sqlite3 *db = NULL;
    if (cli_db_open_readonly(db_path, &db))
        return CLI_EXIT_IO;
    char *doc = NULL, err[256] = "";
    int rc = html ? arbd_report_html(db, f, t, &doc, err, sizeof err)
                  : arbd_report_json(db, f, t, &doc, err, sizeof err);
    sqlite3_close(db);
    if (rc != 0) {
        fprintf(stderr, "arbiter: %s: %s\n", db_path, err);
        return CLI_EXIT_IO;
    }
    FILE *o = out_path ? fopen(out_path, "w") : stdout;
    if (!o) {
        perror(out_path);
        free(doc);
        return CLI_EXIT_IO;
    }
    fputs(doc, o);
    if (!html)
        fputc('\n', o);
    int bad = ferror(o);
    if (out_path)
        bad |= fclose(o) != 0;
    free(doc);
    return bad ? CLI_EXIT_IO : CLI_EXIT_OK;
}
