/*
 * db_report.c -- the transparency report over the decision log (see db.h):
 * decisions made in a period counted by rule, action, author country and
 * day, with how many of them human review reached, how many a moderator
 * overturned, and the overturn rate (overturned / reviewed, by the latest
 * verdict of each case).  JSON for machines, a self-contained HTML page
 * with inline SVG bar charts for people.
 *
 * Invariants: read-only; works on a database without the review tables
 * (nothing reviewed); every string from the database is escaped for the
 * format it lands in; memory is malloc'd and capped (REPORT_CAP).
 */
#include "db.h"
#include "cli.h" /* cli_str */

#include <jansson.h>

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { REPORT_CAP = 16 << 20, MAX_GROUP_ROWS = 1000 };

static const char *const ACTIONS[] = {"allow", "remove", "escalate", "restrict"};

static bool table_exists(sqlite3 *db, const char *name)
{
    sqlite3_stmt *st = NULL;
    bool yes = false;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?1", -1,
                           &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        yes = sqlite3_step(st) == SQLITE_ROW;
    }
    sqlite3_finalize(st);
    return yes;
}

static void fmt_time(int64_t ms, char out[32])
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* One grouping: key expression -> array of row objects. */
static json_t *group(sqlite3 *db, const char *key_expr, const char *key_name, bool reviews,
                     int64_t from, int64_t to, char *err, size_t errlen)
{
    const char *v = reviews
        ? "v AS (SELECT c.decision_id,"
          " (SELECT x.verdict FROM verdicts x WHERE x.case_id = c.id"
          "  ORDER BY x.id DESC LIMIT 1) AS verdict,"
          " (SELECT count(*) FROM appeals a WHERE a.case_id = c.id) AS appeals"
          " FROM cases c)"
        : "v AS (SELECT NULL AS decision_id, NULL AS verdict, 0 AS appeals WHERE 0)";
    char sql[1600];
    snprintf(sql, sizeof sql,
             "WITH d AS (SELECT id, action, rule, author_country AS country,"
             " substr(decided_at, 1, 10) AS day FROM decisions"
             " WHERE decided_ms >= ?1 AND decided_ms < ?2), %s"
             " SELECT %s AS k, count(*),"
             " sum(d.action = 'allow'), sum(d.action = 'remove'),"
             " sum(d.action = 'escalate'), sum(d.action = 'restrict'),"
             " sum(v.verdict IS NOT NULL), sum(v.verdict = 'overturn'),"
             " sum(coalesce(v.appeals, 0))"
             " FROM d LEFT JOIN v ON v.decision_id = d.id"
             " GROUP BY k ORDER BY %s LIMIT %d",
             v, key_expr, !strcmp(key_name, "day") ? "k" : "count(*) DESC, k", MAX_GROUP_ROWS);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "report query: %s", sqlite3_errmsg(db));
        return NULL;
    }
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    json_t *arr = json_array();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *o = json_object();
        const unsigned char *k = sqlite3_column_text(st, 0);
        json_t *ks = json_string(k ? (const char *)k : "");
        json_object_set_new(o, key_name, ks ? ks : json_string("?"));
        json_object_set_new(o, "decisions", json_integer(sqlite3_column_int64(st, 1)));
        json_t *by = json_object();
        for (int a = 0; a < 4; a++)
            json_object_set_new(by, ACTIONS[a], json_integer(sqlite3_column_int64(st, 2 + a)));
        json_object_set_new(o, "actions", by);
        int64_t reviewed = sqlite3_column_int64(st, 6), over = sqlite3_column_int64(st, 7);
        json_object_set_new(o, "reviewed", json_integer(reviewed));
        json_object_set_new(o, "overturned", json_integer(over));
        json_object_set_new(o, "overturn_rate",
                            reviewed ? json_real((double)over / (double)reviewed) : json_null());
        json_object_set_new(o, "appeals", json_integer(sqlite3_column_int64(st, 8)));
        json_array_append_new(arr, o);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        snprintf(err, errlen, "report query: %s", sqlite3_errmsg(db));
        json_decref(arr);
        return NULL;
    }
    return arr;
}

static json_t *build(sqlite3 *db, int64_t from, int64_t to, char *err, size_t errlen)
{
    if (!table_exists(db, "decisions")) {
        snprintf(err, errlen, "no decision log in this database (table decisions is missing)");
        return NULL;
    }
    bool reviews = table_exists(db, "cases") && table_exists(db, "verdicts") &&
                   table_exists(db, "appeals");
    char f[32], t[32];
    fmt_time(from, f);
    fmt_time(to, t);
    json_t *r = json_object();
    json_object_set_new(r, "from", json_string(f));
    json_object_set_new(r, "to", json_string(t));
    static const struct {
        const char *name, *expr, *key;
    } groups[] = {{"total", "'all'", "scope"},
                  {"by_action", "d.action", "action"},
                  {"by_rule", "d.rule", "rule"},
                  {"by_country", "d.country", "country"},
                  {"by_day", "d.day", "day"}};
    for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++) {
        json_t *g = group(db, groups[i].expr, groups[i].key, reviews, from, to, err, errlen);
        if (!g) {
            json_decref(r);
            return NULL;
        }
        if (i == 0) {
            json_t *tot = json_array_get(g, 0);
            if (tot) {
                json_object_del(tot, "scope");
                json_object_set(r, "total", tot);
            } else {
                json_object_set_new(r, "total",
                                    json_pack("{s:i,s:{s:i,s:i,s:i,s:i},s:i,s:i,s:n,s:i}",
                                              "decisions", 0, "actions", "allow", 0, "remove",
                                              0, "escalate", 0, "restrict", 0, "reviewed", 0,
                                              "overturned", 0, "overturn_rate", "appeals", 0));
            }
            json_decref(g);
        } else {
            json_object_set_new(r, groups[i].name, g);
        }
    }
    return r;
}

int arbd_report_json(sqlite3 *db, int64_t from_ms, int64_t to_ms, char **out, char *err,
                     size_t errlen)
{
    *out = NULL;
    json_t *r = build(db, from_ms, to_ms, err, errlen);
    if (!r)
        return -1;
    *out = json_dumps(r, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(r);
    if (!*out) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

/* ---------------- HTML ---------------- */

/* HTML/XML text and attribute escaping. */
static void sb_esc(cli_str *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': cli_str_add(b, "&amp;", 5); break;
        case '<': cli_str_add(b, "&lt;", 4); break;
        case '>': cli_str_add(b, "&gt;", 4); break;
        case '"': cli_str_add(b, "&quot;", 6); break;
        case '\'': cli_str_add(b, "&#39;", 5); break;
        default: cli_str_add(b, s, 1);
        }
    }
}

static const char *COLORS[] = {"#60a5fa", "#f87171", "#fbbf24", "#a78bfa"};

/* Horizontal bar chart of `field` (an integer, or the rate when field is
 * "overturn_rate") for the rows of `arr`, labelled by `key`. */
static void bar_chart(cli_str *b, json_t *arr, const char *key, const char *field,
                      const char *title)
{
    size_t n = json_array_size(arr);
    double max = 0;
    bool rate = !strcmp(field, "overturn_rate");
    for (size_t i = 0; i < n; i++) {
        double v = json_number_value(json_object_get(json_array_get(arr, i), field));
        if (v > max)
            max = v;
    }
    if (rate)
        max = 1.0;
    unsigned row = 22, label_w = 260, bar_w = 420;
    unsigned h = (unsigned)(n ? n : 1) * row + 30;
    cli_str_addf(b, "<figure><figcaption>");
    sb_esc(b, title);
    cli_str_addf(b, "</figcaption><svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"%u\""
                 " height=\"%u\" viewBox=\"0 0 %u %u\" font-family=\"sans-serif\""
                 " font-size=\"12\"><title>",
              label_w + bar_w + 80, h, label_w + bar_w + 80, h);
    sb_esc(b, title);
    cli_str_add(b, "</title>", 8);
    if (!n)
        cli_str_addf(b, "<text x=\"4\" y=\"16\" fill=\"#666\">no data</text>");
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(arr, i);
        json_t *jv = json_object_get(o, field);
        double v = json_is_number(jv) ? json_number_value(jv) : 0;
        unsigned y = (unsigned)i * row + 4;
        unsigned w = max > 0 ? (unsigned)(v / max * bar_w) : 0;
        cli_str_addf(b, "<text x=\"%u\" y=\"%u\" text-anchor=\"end\">", label_w - 6, y + 14);
        sb_esc(b, json_string_value(json_object_get(o, key)));
        cli_str_addf(b, "</text><rect x=\"%u\" y=\"%u\" width=\"%u\" height=\"%u\" fill=\"%s\"/>",
                  label_w, y, w ? w : 1, row - 6, rate ? COLORS[1] : COLORS[0]);
        if (rate && !json_is_number(jv))
            cli_str_addf(b, "<text x=\"%u\" y=\"%u\" fill=\"#666\">not reviewed</text>",
                      label_w + 6, y + 14);
        else if (rate)
            cli_str_addf(b, "<text x=\"%u\" y=\"%u\">%.0f%%</text>", label_w + w + 6, y + 14,
                      v * 100.0);
        else
            cli_str_addf(b, "<text x=\"%u\" y=\"%u\">%.0f</text>", label_w + w + 6, y + 14, v);
    }
    cli_str_add(b, "</svg></figure>\n", 16);
}

/* Stacked vertical bars: decisions per day by action. */
static void day_chart(cli_str *b, json_t *days)
{
    size_t n = json_array_size(days);
    double max = 0;
    for (size_t i = 0; i < n; i++) {
        double v = json_number_value(json_object_get(json_array_get(days, i), "decisions"));
        if (v > max)
            max = v;
    }
    unsigned col = n > 60 ? 8 : 24, ch = 200, w = (unsigned)(n ? n : 1) * col + 60;
    if (w < 400)
        w = 400; /* room for the legend */
    cli_str_addf(b, "<figure><figcaption>Decisions per day, by action</figcaption>"
                 "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"%u\""
                 " height=\"%u\" viewBox=\"0 0 %u %u\" font-family=\"sans-serif\""
                 " font-size=\"11\"><title>Decisions per day, by action</title>",
              w, ch + 110, w, ch + 110);
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(days, i);
        json_t *acts = json_object_get(o, "actions");
        double y = ch + 10;
        unsigned x = 40 + (unsigned)i * col;
        for (int a = 0; a < 4; a++) {
            double v = json_number_value(json_object_get(acts, ACTIONS[a]));
            double hgt = max > 0 ? v / max * ch : 0;
            if (hgt <= 0)
                continue;
            y -= hgt;
            cli_str_addf(b, "<rect x=\"%u\" y=\"%.1f\" width=\"%u\" height=\"%.1f\" fill=\"%s\">"
                         "<title>%s: %.0f</title></rect>",
                      x, y, col - 2, hgt, COLORS[a], ACTIONS[a], v);
        }
        if (n <= 60 || i % 7 == 0) {
            cli_str_addf(b, "<text x=\"%u\" y=\"%u\" transform=\"rotate(60 %u %u)\">", x,
                      ch + 22, x, ch + 22);
            sb_esc(b, json_string_value(json_object_get(o, "day")));
            cli_str_add(b, "</text>", 7);
        }
    }
    cli_str_addf(b, "<text x=\"2\" y=\"18\">%.0f</text>", max);
    for (int a = 0; a < 4; a++)
        cli_str_addf(b, "<rect x=\"%d\" y=\"%u\" width=\"10\" height=\"10\" fill=\"%s\"/>"
                     "<text x=\"%d\" y=\"%u\">%s</text>",
                  40 + a * 80, ch + 92, COLORS[a], 54 + a * 80, ch + 101, ACTIONS[a]);
    cli_str_add(b, "</svg></figure>\n", 16);
}

static void table(cli_str *b, json_t *arr, const char *key, const char *title)
{
    cli_str_addf(b, "<h2>");
    sb_esc(b, title);
    cli_str_addf(b, "</h2><table><thead><tr><th>");
    sb_esc(b, key);
    cli_str_addf(b, "</th><th>decisions</th><th>allow</th><th>remove</th><th>escalate</th>"
                 "<th>restrict</th><th>reviewed</th><th>overturned</th>"
                 "<th>overturn rate</th><th>appeals</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *o = json_array_get(arr, i);
        json_t *acts = json_object_get(o, "actions");
        cli_str_add(b, "<tr><td>", 8);
        sb_esc(b, json_string_value(json_object_get(o, key)));
        cli_str_addf(b, "</td><td>%" JSON_INTEGER_FORMAT "</td>",
                  json_integer_value(json_object_get(o, "decisions")));
        for (int a = 0; a < 4; a++)
            cli_str_addf(b, "<td>%" JSON_INTEGER_FORMAT "</td>",
                      json_integer_value(json_object_get(acts, ACTIONS[a])));
        json_t *rate = json_object_get(o, "overturn_rate");
        cli_str_addf(b, "<td>%" JSON_INTEGER_FORMAT "</td><td>%" JSON_INTEGER_FORMAT "</td>",
                  json_integer_value(json_object_get(o, "reviewed")),
                  json_integer_value(json_object_get(o, "overturned")));
        if (json_is_number(rate))
            cli_str_addf(b, "<td>%.1f%%</td>", json_number_value(rate) * 100.0);
        else
            cli_str_add(b, "<td>&#8212;</td>", 16);
        cli_str_addf(b, "<td>%" JSON_INTEGER_FORMAT "</td></tr>\n",
                  json_integer_value(json_object_get(o, "appeals")));
    }
    cli_str_add(b, "</tbody></table>\n", 17);
}

int arbd_report_html(sqlite3 *db, int64_t from_ms, int64_t to_ms, char **out, char *err,
                     size_t errlen)
{
    *out = NULL;
    json_t *r = build(db, from_ms, to_ms, err, errlen);
    if (!r)
        return -1;
    cli_str b = {.limit = REPORT_CAP};
    const char *f = json_string_value(json_object_get(r, "from"));
    const char *t = json_string_value(json_object_get(r, "to"));
    json_t *tot = json_object_get(r, "total");
    cli_str_addf(&b, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                  "<title>arbiter transparency report %s to %s</title>"
                  "<style>body{font:14px/1.4 sans-serif;margin:2em;max-width:70em}"
                  "table{border-collapse:collapse;margin-bottom:1.5em}"
                  "th,td{border:1px solid #ccc;padding:.2em .5em;text-align:right}"
                  "td:first-child,th:first-child{text-align:left}"
                  "figure{margin:1em 0}figcaption{font-weight:bold}</style></head><body>\n"
                  "<h1>Transparency report</h1>\n<p>Decisions made from %s to %s (UTC).</p>\n",
              f, t, f, t);
    json_t *rate = json_object_get(tot, "overturn_rate");
    cli_str_addf(&b, "<p>%" JSON_INTEGER_FORMAT " decisions; %" JSON_INTEGER_FORMAT
                  " reviewed by a moderator, %" JSON_INTEGER_FORMAT " overturned",
              json_integer_value(json_object_get(tot, "decisions")),
              json_integer_value(json_object_get(tot, "reviewed")),
              json_integer_value(json_object_get(tot, "overturned")));
    if (json_is_number(rate))
        cli_str_addf(&b, " (overturn rate %.1f%%)", json_number_value(rate) * 100.0);
    cli_str_addf(&b, "; %" JSON_INTEGER_FORMAT " appeals.</p>\n",
              json_integer_value(json_object_get(tot, "appeals")));
    bar_chart(&b, json_object_get(r, "by_action"), "action", "decisions", "Decisions by action");
    day_chart(&b, json_object_get(r, "by_day"));
    bar_chart(&b, json_object_get(r, "by_rule"), "rule", "decisions", "Decisions by rule");
    bar_chart(&b, json_object_get(r, "by_rule"), "rule", "overturn_rate",
              "Overturn rate by rule (of reviewed decisions)");
    bar_chart(&b, json_object_get(r, "by_country"), "country", "decisions",
              "Decisions by author country");
    bar_chart(&b, json_object_get(r, "by_country"), "country", "overturn_rate",
              "Overturn rate by author country");
    table(&b, json_object_get(r, "by_rule"), "rule", "By rule");
    table(&b, json_object_get(r, "by_action"), "action", "By action");
    table(&b, json_object_get(r, "by_country"), "country", "By author country");
    table(&b, json_object_get(r, "by_day"), "day", "By day");
    cli_str_addf(&b, "<p>The overturn rate is the share of reviewed decisions whose latest "
                  "moderator verdict overturned the machine decision.</p>\n</body></html>\n");
    json_decref(r);
    if (b.failed) {
        free(b.p);
        snprintf(err, errlen, "report too large or out of memory");
        return -1;
    }
    *out = b.p;
    return 0;
}
