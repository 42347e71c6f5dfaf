/*
 * policy_cmd.c -- `arbiter policy lint | explain | diff | brief | test`.
 *
 * Tools for policy writers and moderators, built only on the public API:
 * the introspection functions of arbiter.h (arb_policy_*) and, for `test`,
 * the full engine (arb_engine / arb_decide) so examples are decided exactly
 * as `arbiter scan` would decide them.
 *
 * Invariants: output is deterministic (pack order, no hashing of pointers);
 * exit status 0 success, 1 lint errors or failed examples, 2 usage,
 * 3 policy could not be loaded, 4 I/O.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

/* ---------------- helpers ---------------- */

static void fmt_time(int64_t ms, char buf[32])
{
    if (ms == INT64_MAX)
        snprintf(buf, 32, "(no end)");
    else
        arb_format_time(ms, buf);
}

static int load_policy(const char *path, arb_policy **out)
{
    arb_source *src;
    size_t n;
    if (cli_sources_read(path, &src, &n))
        return CLI_EXIT_IO;
    arb_error err;
    memset(&err, 0, sizeof err);
    arb_status st = arb_policy_new(src, n, NULL, out, &err);
    cli_sources_free(src, n);
    if (st != ARB_OK) {
        fprintf(stderr, "arbiter: %s:%u:%u: error: %s\n", err.source, err.line, err.column,
                err.message[0] ? err.message : arb_strerror(st));
        return CLI_EXIT_POLICY;
    }
    return 0;
}

static int find_rule(const arb_policy *p, const char *id, arb_rule_info *out)
{
    size_t n = arb_policy_rule_count(p);
    for (size_t i = 0; i <= n; i++) {
        arb_policy_rule(p, i, out);
        if (!strcmp(out->id, id))
            return (int)i;
    }
    return -1;
}

static int find_overlay(const arb_policy *p, const char *id)
{
    for (size_t i = 0; i < arb_policy_overlay_count(p); i++) {
        arb_overlay_info o;
        arb_policy_overlay(p, i, &o);
        if (!strcmp(o.id, id))
            return (int)i;
    }
    return -1;
}

static const char *act(arb_action a) { return arb_action_name(a); }

/* Is `cc` in the comma-separated list? */
static int in_list(const char *list, const char *cc)
{
    size_t l = strlen(cc);
    for (const char *p = list; p && *p;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == l && !memcmp(p, cc, n))
            return 1;
        p = e ? e + 1 : NULL;
    }
    return 0;
}

/* Items of list a that are not in list b, comma-separated, into out. */
static void list_minus(const char *a, const char *b, char *out, size_t cap)
{
    size_t o = 0;
    out[0] = '\0';
    for (const char *p = a; p && *p;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char item[64];
        snprintf(item, sizeof item, "%.*s", (int)n, p);
        if (!in_list(b, item) && o + n + 2 < cap)
            o += (size_t)snprintf(out + o, cap - o, "%s%s", o ? "," : "", item);
        p = e ? e + 1 : NULL;
    }
}

/* ---------------- lint ---------------- */

typedef struct lint_state {
    size_t errors, warnings;
} lint_state;

static void lint_diag(void *ud, arb_diag_level lv, const char *src, unsigned line, unsigned col,
                      const char *msg)
{
    lint_state *ls = ud;
    if (lv == ARB_DIAG_ERROR)
        ls->errors++;
    else
        ls->warnings++;
    printf("%s:%u:%u: %s: %s\n", src, line, col, lv == ARB_DIAG_ERROR ? "error" : "warning", msg);
}

static int cmd_lint(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: arbiter policy lint PATH\n");
        return CLI_EXIT_USAGE;
    }
    arb_source *src;
    size_t n;
    if (cli_sources_read(argv[1], &src, &n))
        return CLI_EXIT_IO;
    lint_state ls = {0, 0};
    arb_policy_lint(src, n, NULL, lint_diag, &ls);
    cli_sources_free(src, n);
    printf("%zu error%s, %zu warning%s\n", ls.errors, ls.errors == 1 ? "" : "s", ls.warnings,
           ls.warnings == 1 ? "" : "s");
    return ls.errors ? CLI_EXIT_RECORDS : CLI_EXIT_OK;
}

/* ---------------- explain ---------------- */

static void print_rule_line(const arb_rule_info *r, const char *indent)
{
    printf("%s%s: %s %s", indent, r->id, act(r->action), r->condition);
    if (r->action == ARB_ACTION_RESTRICT)
        printf(" (visible only in %s)", r->visible_in);
    printf(".\n%*s    Reason given: %s\n", (int)strlen(indent), "", r->reason);
}

static int cmd_explain(int argc, char **argv)
{
    const char *path = NULL, *country = NULL, *viewer = NULL, *at = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--country") && i + 1 < argc)
            country = argv[++i];
        else if (!strcmp(argv[i], "--viewer") && i + 1 < argc)
            viewer = argv[++i];
        else if (!strcmp(argv[i], "--at") && i + 1 < argc)
            at = argv[++i];
        else if (argv[i][0] != '-' && !path)
            path = argv[i];
        else {
            fprintf(stderr, "arbiter: policy explain: unexpected argument \"%s\"\n", argv[i]);
            return CLI_EXIT_USAGE;
        }
    }
    if (!path || !country || !at) {
        fprintf(stderr, "usage: arbiter policy explain PATH --country CC --at TIME [--viewer CC]\n");
        return CLI_EXIT_USAGE;
    }
    if (strlen(country) != 2 || !arb_country_valid(country) ||
        (viewer && (strlen(viewer) != 2 || !arb_country_valid(viewer)))) {
        fprintf(stderr, "arbiter: policy explain: unknown country code\n");
        return CLI_EXIT_USAGE;
    }
    int64_t t;
    if (arb_parse_time(at, strlen(at), &t) != ARB_OK) {
        fprintf(stderr, "arbiter: policy explain: \"%s\" is not an RFC 3339 time\n", at);
        return CLI_EXIT_USAGE;
    }
    arb_policy *p;
    int rc = load_policy(path, &p);
    if (rc)
        return rc;
    char tb[32], tb2[32];
    arb_format_time(t, tb);
    printf("Policy %s version %s (sha256 %s)\n", arb_policy_id(p), arb_policy_version(p),
           arb_policy_hash(p));
    printf("In force for a post from %s%s%s at %s:\n\n", country, viewer ? " seen from " : "",
           viewer ? viewer : "", tb);

    size_t no = arb_policy_overlay_count(p);
    int *vin = calloc(no ? no : 1, sizeof *vin);
    size_t n_in = 0;
    for (size_t i = 0; i < no; i++) {
        vin[i] = arb_policy_overlay_in_force(p, i, country, viewer, t);
        n_in += vin[i] >= 0;
    }
    printf("Temporary allowances (overlays) in force here and now: %zu\n", n_in);
    for (size_t i = 0; i < no; i++) {
        arb_overlay_info o;
        arb_policy_overlay(p, i, &o);
        if (vin[i] < 0)
            continue;
        arb_overlay_version_info v;
        arb_policy_overlay_version(p, i, (size_t)vin[i], &v);
        fmt_time(v.effective_ms, tb);
        fmt_time(v.until_ms, tb2);
        printf("  * %s, version %s: \"%s\"\n", o.id, v.version, o.title);
        printf("    this version is in force from %s until %s", tb, tb2);
        if (o.end_note[0])
            printf(" (end %s)", o.end_note);
        printf(", for posts from %s.\n", v.countries);
        if (v.note[0])
            printf("    Note: %s\n", v.note);
        for (size_t k = 0; k < v.n_rules; k++) {
            arb_rule_info r;
            arb_policy_overlay_rule(p, i, (size_t)vin[i], k, &r);
            printf("    - %s: %s, instead of what %s says, %s", r.id, act(r.action), r.overrides,
                   r.condition);
            if (r.unless[0])
                printf("; except %s", r.unless);
            if (v.unless[0])
                printf("; except %s", v.unless);
            printf(".\n");
        }
        if (!v.n_rules)
            printf("    - no sub-rule is in force in this version (revoked: %s).\n",
                   v.revoked[0] ? v.revoked : "none");
    }
    for (size_t i = 0; i < no; i++) {
        if (vin[i] >= 0)
            continue;
        arb_overlay_info o;
        arb_policy_overlay(p, i, &o);
        const char *why;
        if (t < o.start_ms)
            why = "it has not started yet";
        else if (t >= o.end_ms)
            why = "it has ended";
        else
            why = "it does not cover this country";
        printf("  (not in force: %s, because %s)\n", o.id, why);
    }

    size_t nr = arb_policy_rule_count(p);
    printf("\nFloors, checked first; no allowance can relax them:\n");
    for (size_t i = 0; i < nr; i++) {
        arb_rule_info r;
        arb_policy_rule(p, i, &r);
        if (r.floor)
            print_rule_line(&r, "  ");
    }
    printf("\nThen the first of these rules that matches decides:\n");
    unsigned k = 1;
    for (size_t i = 0; i < nr; i++) {
        arb_rule_info r;
        arb_policy_rule(p, i, &r);
        if (r.floor)
            continue;
        char ind[16];
        snprintf(ind, sizeof ind, "%3u. ", k++);
        print_rule_line(&r, ind);
        for (size_t o = 0; o < no; o++) {
            if (vin[o] < 0)
                continue;
            arb_overlay_version_info v;
            arb_policy_overlay_version(p, o, (size_t)vin[o], &v);
            for (size_t q = 0; q < v.n_rules; q++) {
                arb_rule_info orl;
                arb_policy_overlay_rule(p, o, (size_t)vin[o], q, &orl);
                if (in_list(orl.overrides, r.id))
                    printf("       Overridden here and now by %s (%s version %s): %s instead "
                           "for %s.\n",
                           orl.id, orl.overlay, orl.overlay_version, act(orl.action),
                           orl.condition);
            }
        }
    }
    arb_rule_info d;
    arb_policy_rule(p, nr, &d);
    printf("\nOtherwise, and for posts with no violent statement: %s (%s). %s\n", d.id,
           act(d.action), d.reason);
    printf("\nAcross several statements in one post the most severe action wins "
           "(remove > escalate > restrict > allow).\n");
    free(vin);
    arb_policy_free(p);
    return 0;
}

/* ---------------- diff ---------------- */

static int rule_diff(const arb_rule_info *a, const arb_rule_info *b, const char *indent)
{
    int changed = 0;
    if (a->action != b->action) {
        printf("%s~ %s: action %s -> %s\n", indent, b->id, act(a->action), act(b->action));
        changed = 1;
    }
    if (a->floor != b->floor) {
        printf("%s~ %s: %s\n", indent, b->id, b->floor ? "is now a floor" : "is no longer a floor");
        changed = 1;
    }
    if (strcmp(a->condition, b->condition)) {
        printf("%s~ %s: condition\n%s    was: %s\n%s    now: %s\n", indent, b->id, indent,
               a->condition, indent, b->condition);
        changed = 1;
    }
    if (strcmp(a->unless, b->unless)) {
        printf("%s~ %s: exceptions\n%s    was: %s\n%s    now: %s\n", indent, b->id, indent,
               a->unless[0] ? a->unless : "(none)", indent, b->unless[0] ? b->unless : "(none)");
        changed = 1;
    }
    if (strcmp(a->overrides, b->overrides)) {
        printf("%s~ %s: overrides %s -> %s\n", indent, b->id, a->overrides, b->overrides);
        changed = 1;
    }
    if (strcmp(a->visible_in, b->visible_in)) {
        printf("%s~ %s: visible_in %s -> %s\n", indent, b->id, a->visible_in, b->visible_in);
        changed = 1;
    }
    if (strcmp(a->reason, b->reason)) {
        printf("%s~ %s: reason text changed\n", indent, b->id);
        changed = 1;
    }
    return changed;
}

static int find_version(const arb_policy *p, size_t o, const char *ver,
                        arb_overlay_version_info *out)
{
    arb_overlay_info oi;
    arb_policy_overlay(p, o, &oi);
    for (size_t v = 0; v < oi.n_versions; v++) {
        arb_policy_overlay_version(p, o, v, out);
        if (!strcmp(out->version, ver))
            return (int)v;
    }
    return -1;
}

static int find_orule(const arb_policy *p, size_t o, size_t v, const char *id, arb_rule_info *out)
{
    arb_overlay_version_info vi;
    arb_policy_overlay_version(p, o, v, &vi);
    for (size_t k = 0; k < vi.n_rules; k++) {
        arb_policy_overlay_rule(p, o, v, k, out);
        if (!strcmp(out->id, id))
            return (int)k;
    }
    return -1;
}

static void print_version(const arb_policy *p, size_t o, size_t v, const char *indent)
{
    arb_overlay_version_info vi;
    arb_policy_overlay_version(p, o, v, &vi);
    char a[32], b[32];
    fmt_time(vi.effective_ms, a);
    fmt_time(vi.until_ms, b);
    printf("%sversion %s: %s .. %s, countries %s", indent, vi.version, a, b, vi.countries);
    if (vi.revoked[0])
        printf(", revokes %s", vi.revoked);
    printf("\n");
    for (size_t k = 0; k < vi.n_rules; k++) {
        arb_rule_info r;
        arb_policy_overlay_rule(p, o, v, k, &r);
        printf("%s    %s: %s instead of %s for %s\n", indent, r.id, act(r.action), r.overrides,
               r.condition);
    }
}

static int cmd_diff(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: arbiter policy diff OLD NEW\n");
        return CLI_EXIT_USAGE;
    }
    arb_policy *a, *b;
    int rc = load_policy(argv[1], &a);
    if (rc)
        return rc;
    if ((rc = load_policy(argv[2], &b))) {
        arb_policy_free(a);
        return rc;
    }
    size_t changes = 0;
    printf("--- %s %s (%.12s)\n+++ %s %s (%.12s)\n", arb_policy_id(a), arb_policy_version(a),
           arb_policy_hash(a), arb_policy_id(b), arb_policy_version(b), arb_policy_hash(b));
    if (!strcmp(arb_policy_hash(a), arb_policy_hash(b))) {
        printf("identical (same sources, same hash)\n");
        arb_policy_free(a);
        arb_policy_free(b);
        return 0;
    }
    printf("\nBase rules:\n");
    size_t na = arb_policy_rule_count(a), nb = arb_policy_rule_count(b);
    for (size_t i = 0; i <= na; i++) {
        arb_rule_info ra, rb;
        arb_policy_rule(a, i, &ra);
        int j = find_rule(b, ra.id, &rb);
        if (j < 0) {
            printf("  - %s (%s): removed\n", ra.id, act(ra.action));
            changes++;
            continue;
        }
        changes += (size_t)rule_diff(&ra, &rb, "  ");
        if (i < na && (size_t)j < nb && i != (size_t)j) {
            printf("  ~ %s: moved from position %zu to %d (order decides)\n", ra.id, i + 1, j + 1);
            changes++;
        }
    }
    for (size_t j = 0; j < nb; j++) {
        arb_rule_info ra, rb;
        arb_policy_rule(b, j, &rb);
        if (find_rule(a, rb.id, &ra) < 0) {
            printf("  + %s: %s%s %s\n", rb.id, rb.floor ? "floor, " : "", act(rb.action),
                   rb.condition);
            changes++;
        }
    }
    printf("\nOverlays:\n");
    size_t oa = arb_policy_overlay_count(a), ob = arb_policy_overlay_count(b);
    for (size_t i = 0; i < oa; i++) {
        arb_overlay_info x;
        arb_policy_overlay(a, i, &x);
        if (find_overlay(b, x.id) < 0) {
            printf("  - overlay %s: removed\n", x.id);
            changes++;
        }
    }
    for (size_t j = 0; j < ob; j++) {
        arb_overlay_info y;
        arb_policy_overlay(b, j, &y);
        int i = find_overlay(a, y.id);
        if (i < 0) {
            printf("  + overlay %s (%s):\n", y.id, y.title);
            for (size_t v = 0; v < y.n_versions; v++)
                print_version(b, j, v, "      ");
            changes++;
            continue;
        }
        arb_overlay_info x;
        arb_policy_overlay(a, (size_t)i, &x);
        char t1[32], t2[32];
        if (x.start_ms != y.start_ms || x.end_ms != y.end_ms) {
            char t3[32], t4[32];
            fmt_time(x.start_ms, t1);
            fmt_time(x.end_ms, t2);
            fmt_time(y.start_ms, t3);
            fmt_time(y.end_ms, t4);
            printf("  ~ overlay %s: window [%s, %s) -> [%s, %s)\n", y.id, t1, t2, t3, t4);
            changes++;
        }
        for (size_t v = 0; v < x.n_versions; v++) {
            arb_overlay_version_info xv, yv;
            arb_policy_overlay_version(a, (size_t)i, v, &xv);
            if (find_version(b, j, xv.version, &yv) < 0) {
                printf("  - overlay %s version %s: removed\n", y.id, xv.version);
                changes++;
            }
        }
        for (size_t v = 0; v < y.n_versions; v++) {
            arb_overlay_version_info xv, yv;
            arb_policy_overlay_version(b, j, v, &yv);
            int xi = find_version(a, (size_t)i, yv.version, &xv);
            if (xi < 0) {
                printf("  + overlay %s ", y.id);
                print_version(b, j, v, "");
                if (yv.note[0])
                    printf("      note: %s\n", yv.note);
                changes++;
                continue;
            }
            if (xv.effective_ms != yv.effective_ms) {
                fmt_time(xv.effective_ms, t1);
                fmt_time(yv.effective_ms, t2);
                printf("  ~ overlay %s version %s: effective %s -> %s\n", y.id, yv.version, t1,
                       t2);
                changes++;
            }
            if (strcmp(xv.countries, yv.countries)) {
                printf("  ~ overlay %s version %s: countries %s -> %s\n", y.id, yv.version,
                       xv.countries, yv.countries);
                changes++;
            }
            if (strcmp(xv.unless, yv.unless)) {
                printf("  ~ overlay %s version %s: exceptions changed\n      was: %s\n      now: %s\n",
                       y.id, yv.version, xv.unless[0] ? xv.unless : "(none)",
                       yv.unless[0] ? yv.unless : "(none)");
                changes++;
            }
            char ind[160];
            snprintf(ind, sizeof ind, "  [%s v%s] ", y.id, yv.version);
            for (size_t k = 0; k < xv.n_rules; k++) {
                arb_rule_info ra, rb;
                arb_policy_overlay_rule(a, (size_t)i, (size_t)xi, k, &ra);
                if (find_orule(b, j, v, ra.id, &rb) < 0) {
                    printf("%s- %s: no longer in this version\n", ind, ra.id);
                    changes++;
                } else {
                    changes += (size_t)rule_diff(&ra, &rb, ind);
                }
            }
            for (size_t k = 0; k < yv.n_rules; k++) {
                arb_rule_info ra, rb;
                arb_policy_overlay_rule(b, j, v, k, &rb);
                if (find_orule(a, (size_t)i, (size_t)xi, rb.id, &ra) < 0) {
                    printf("%s+ %s: %s instead of %s for %s\n", ind, rb.id, act(rb.action),
                           rb.overrides, rb.condition);
                    changes++;
                }
            }
        }
    }
    printf("\n%zu change%s\n", changes, changes == 1 ? "" : "s");
    arb_policy_free(a);
    arb_policy_free(b);
    return 0;
}

/* ---------------- brief ---------------- */

static void brief_examples(const arb_policy *p, const char *overlay, int64_t from, int64_t until,
                           unsigned max)
{
    unsigned shown = 0;
    for (size_t e = 0; e < arb_policy_example_count(p) && shown < max; e++) {
        arb_example_info x;
        arb_policy_example(p, e, &x);
        if (!x.overlay || strcmp(x.overlay, overlay) || x.at_ms < from || x.at_ms >= until)
            continue;
        char tb[32];
        arb_format_time(x.at_ms, tb);
        printf("      e.g. \"%s\" (author in %s, %s) -> %s%s%s\n", x.text, x.country, tb,
               act(x.expect), x.expect_rule[0] ? " by " : "", x.expect_rule);
        shown++;
    }
}

static int versions_same(const arb_policy *a, size_t oa, size_t va, const arb_policy *b, size_t ob,
                         size_t vb)
{
    arb_overlay_version_info x, y;
    arb_policy_overlay_version(a, oa, va, &x);
    arb_policy_overlay_version(b, ob, vb, &y);
    /* until_ms is left out: a version cut short by a new one is told there */
    if (x.effective_ms != y.effective_ms ||
        strcmp(x.countries, y.countries) || strcmp(x.unless, y.unless) || x.n_rules != y.n_rules)
        return 0;
    for (size_t k = 0; k < x.n_rules; k++) {
        arb_rule_info r, s;
        arb_policy_overlay_rule(a, oa, va, k, &r);
        if (find_orule(b, ob, vb, r.id, &s) < 0 || r.action != s.action ||
            strcmp(r.condition, s.condition) || strcmp(r.unless, s.unless) ||
            strcmp(r.overrides, s.overrides))
            return 0;
    }
    return 1;
}

static void brief_version(const arb_policy *b, size_t j, size_t v, const arb_overlay_info *y,
                          const arb_policy *a, int i)
{
    arb_overlay_version_info yv;
    arb_policy_overlay_version(b, j, v, &yv);
    char t1[32], t2[32];
    fmt_time(yv.effective_ms, t1);
    fmt_time(yv.until_ms, t2);
    printf("\n  From %s until %s%s%s%s: \"%s\", version %s\n", t1, t2,
           yv.until_ms == y->end_ms && y->end_note[0] ? " (end " : "",
           yv.until_ms == y->end_ms && y->end_note[0] ? y->end_note : "",
           yv.until_ms == y->end_ms && y->end_note[0] ? ")" : "", y->title, yv.version);
    if (yv.note[0])
        printf("    Why: %s\n", yv.note);
    printf("    Where: posts by authors in %s.\n", yv.countries);
    /* what was in force just before this version took effect */
    arb_overlay_version_info prev;
    int pv = -1;
    const arb_policy *pp = NULL;
    size_t po = 0;
    if (v > 0) {
        pp = b;
        po = j;
        pv = (int)v - 1;
    } else if (i >= 0) {
        arb_overlay_info x;
        arb_policy_overlay(a, (size_t)i, &x);
        for (size_t q = 0; q < x.n_versions; q++) {
            arb_overlay_version_info xv;
            arb_policy_overlay_version(a, (size_t)i, q, &xv);
            if (xv.effective_ms <= yv.effective_ms) {
                pv = (int)q;
                pp = a;
                po = (size_t)i;
            }
        }
    }
    if (pv >= 0) {
        arb_policy_overlay_version(pp, po, (size_t)pv, &prev);
        char lost[256], gained[256];
        list_minus(prev.countries, yv.countries, lost, sizeof lost);
        list_minus(yv.countries, prev.countries, gained, sizeof gained);
        if (lost[0])
            printf("    No longer covered: %s. Posts from there are decided by the base rules "
                   "again (removed).\n",
                   lost);
        if (gained[0])
            printf("    Newly covered: %s.\n", gained);
        for (size_t k = 0; k < prev.n_rules; k++) {
            arb_rule_info r, s;
            arb_policy_overlay_rule(pp, po, (size_t)pv, k, &r);
            if (find_orule(b, j, v, r.id, &s) < 0) {
                arb_rule_info base;
                const char *bid = r.overrides;
                char first[128];
                snprintf(first, sizeof first, "%s", bid);
                char *comma = strchr(first, ',');
                if (comma)
                    *comma = '\0';
                int bi = find_rule(b, first, &base);
                printf("    REVOKED: %s. From %s this is %s again under %s: %s.\n", r.id, t1,
                       bi >= 0 ? act(base.action) : "decided by the base rules", first,
                       r.condition);
            } else if (strcmp(r.condition, s.condition) || strcmp(r.unless, s.unless)) {
                printf("    NARROWED: %s now only covers %s", s.id, s.condition);
                if (s.unless[0])
                    printf("; except %s", s.unless);
                printf(".\n      (was: %s)\n", r.condition);
            }
        }
    }
    for (size_t k = 0; k < yv.n_rules; k++) {
        arb_rule_info r;
        arb_policy_overlay_rule(b, j, v, k, &r);
        printf("    Now %s: %s", r.action == ARB_ACTION_ALLOW ? "ALLOWED" : act(r.action),
               r.condition);
        if (r.unless[0])
            printf("; except %s", r.unless);
        if (yv.unless[0])
            printf("; except %s", yv.unless);
        printf(" (instead of %s).\n", r.overrides);
    }
    if (!yv.n_rules)
        printf("    Nothing is allowed any more under this overlay; the base rules apply.\n");
    brief_examples(b, y->id, yv.effective_ms, yv.until_ms, 6);
}

static int cmd_brief(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: arbiter policy brief OLD NEW\n");
        return CLI_EXIT_USAGE;
    }
    arb_policy *a, *b;
    int rc = load_policy(argv[1], &a);
    if (rc)
        return rc;
    if ((rc = load_policy(argv[2], &b))) {
        arb_policy_free(a);
        return rc;
    }
    printf("MODERATOR BRIEF: %s %s -> %s %s\n", arb_policy_id(a), arb_policy_version(a),
           arb_policy_id(b), arb_policy_version(b));
    printf("Floors stay in force everywhere and always; allowances never relax them:\n");
    for (size_t i = 0; i < arb_policy_rule_count(b); i++) {
        arb_rule_info r;
        arb_policy_rule(b, i, &r);
        if (r.floor)
            printf("  - %s: %s\n", act(r.action), r.condition);
    }
    size_t items = 0;
    /* base rule changes */
    for (size_t i = 0; i < arb_policy_rule_count(b); i++) {
        arb_rule_info rb, ra;
        arb_policy_rule(b, i, &rb);
        if (find_rule(a, rb.id, &ra) < 0)
            printf("\n  New base rule %s: %s %s.\n", rb.id, act(rb.action), rb.condition), items++;
        else if (ra.action != rb.action || strcmp(ra.condition, rb.condition))
            printf("\n  Base rule %s changed: now %s %s (was %s %s).\n", rb.id, act(rb.action),
                   rb.condition, act(ra.action), ra.condition),
                items++;
    }
    for (size_t i = 0; i < arb_policy_rule_count(a); i++) {
        arb_rule_info rb, ra;
        arb_policy_rule(a, i, &ra);
        if (find_rule(b, ra.id, &rb) < 0)
            printf("\n  Base rule %s is gone: it used to %s %s.\n", ra.id, act(ra.action),
                   ra.condition),
                items++;
    }
    for (size_t j = 0; j < arb_policy_overlay_count(b); j++) {
        arb_overlay_info y;
        arb_policy_overlay(b, j, &y);
        int i = find_overlay(a, y.id);
        for (size_t v = 0; v < y.n_versions; v++) {
            arb_overlay_version_info yv, xv;
            arb_policy_overlay_version(b, j, v, &yv);
            int xi = i >= 0 ? find_version(a, (size_t)i, yv.version, &xv) : -1;
            if (xi >= 0 && versions_same(a, (size_t)i, (size_t)xi, b, j, v))
                continue;
            brief_version(b, j, v, &y, a, i);
            items++;
        }
    }
    for (size_t i = 0; i < arb_policy_overlay_count(a); i++) {
        arb_overlay_info x;
        arb_policy_overlay(a, i, &x);
        if (find_overlay(b, x.id) < 0) {
            printf("\n  ENDED: \"%s\" (%s) is no longer part of the policy; what it allowed is "
                   "decided by the base rules again.\n",
                   x.title, x.id);
            items++;
        }
    }
    if (!items)
        printf("\nNo change in what is allowed or removed.\n");
    arb_policy_free(a);
    arb_policy_free(b);
    return 0;
}

/* ---------------- test ---------------- */

static int cmd_test(int argc, char **argv)
{
    int verbose = 0;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "--verbose"))
            verbose = 1;
        else if (argv[i][0] != '-' && !path)
            path = argv[i];
        else {
            fprintf(stderr, "usage: arbiter policy test PATH [-v]\n");
            return CLI_EXIT_USAGE;
        }
    }
    if (!path) {
        fprintf(stderr, "usage: arbiter policy test PATH [-v]\n");
        return CLI_EXIT_USAGE;
    }
    arb_policy *p;
    int rc = load_policy(path, &p);
    if (rc)
        return rc;
    arb_engine *e;
    if ((rc = cli_engine_load(path, &e))) {
        arb_policy_free(p);
        return rc;
    }
    arb_scratch *s;
    if (arb_scratch_new(e, &s) != ARB_OK) {
        fprintf(stderr, "arbiter: out of memory\n");
        arb_engine_free(e);
        arb_policy_free(p);
        return CLI_EXIT_IO;
    }
    size_t pass = 0, fail = 0;
    for (size_t i = 0; i < arb_policy_example_count(p); i++) {
        arb_example_info x;
        arb_policy_example(p, i, &x);
        arb_post post;
        memset(&post, 0, sizeof post);
        post.text = x.text;
        post.text_len = strlen(x.text);
        memcpy(post.author_country, x.country, 3);
        memcpy(post.viewer_country, x.viewer, strlen(x.viewer) + 1);
        post.created_at_ms = x.at_ms;
        const arb_decision *d;
        arb_status st = arb_decide(e, s, &post, &d);
        char tb[32];
        arb_format_time(x.at_ms, tb);
        if (st != ARB_OK) {
            printf("FAIL %s:%u:%u [%s] \"%s\" (%s, %s): %s\n", x.source, x.line, x.column, x.rule,
                   x.text, x.country, tb, arb_strerror(st));
            fail++;
            continue;
        }
        arb_action got = arb_decision_action(d);
        const char *rule = arb_decision_rule(d);
        int ok = got == x.expect && (!x.expect_rule[0] || !strcmp(rule, x.expect_rule));
        if (ok)
            pass++;
        else
            fail++;
        if (!ok || verbose) {
            printf("%s %s:%u:%u [%s] \"%s\" (%s, %s): expected %s%s%s, got %s by %s", ok ? "PASS" : "FAIL",
                   x.source, x.line, x.column, x.rule, x.text, x.country, tb, act(x.expect),
                   x.expect_rule[0] ? " by " : "", x.expect_rule, act(got), rule);
            if (arb_decision_overlay(d))
                printf(" (overlay %s version %s)", arb_decision_overlay(d),
                       arb_decision_overlay_version(d));
            printf(", %zu statement%s\n", arb_decision_statement_count(d),
                   arb_decision_statement_count(d) == 1 ? "" : "s");
        }
    }
    printf("%zu passed, %zu failed\n", pass, fail);
    arb_scratch_free(s);
    arb_engine_free(e);
    arb_policy_free(p);
    return fail ? CLI_EXIT_RECORDS : CLI_EXIT_OK;
}

/* ---------------- dispatch ---------------- */

static void usage(FILE *f)
{
    fputs("usage: arbiter policy SUBCOMMAND ...\n"
          "\n"
          "  lint PATH                      errors and warnings as FILE:LINE:COL: severity: message\n"
          "                                 (exit 0 clean or warnings only, 1 with errors)\n"
          "  explain PATH --country CC --at TIME [--viewer CC]\n"
          "                                 the rules in force for that country and time, in words\n"
          "  diff OLD NEW                   what changed, rule by rule\n"
          "  brief OLD NEW                  the moderator's note for the day of a change\n"
          "  test PATH [-v]                 run the policy's own examples through the full engine;\n"
          "                                 prints failures (all with -v) and \"N passed, N failed\"\n"
          "\n"
          "PATH is a .yaml file or a directory whose *.yaml files, sorted by name, form the pack.\n"
          "TIME is RFC 3339, e.g. 2022-03-12T00:00:00Z.  docs/policy.md describes the language.\n",
          f);
}

int cmd_policy(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_EXIT_USAGE : 0;
    }
    for (int i = 2; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return 0;
        }
    const char *sub = argv[1];
    if (!strcmp(sub, "lint"))
        return cmd_lint(argc - 1, argv + 1);
    if (!strcmp(sub, "explain"))
        return cmd_explain(argc - 1, argv + 1);
    if (!strcmp(sub, "diff"))
        return cmd_diff(argc - 1, argv + 1);
    if (!strcmp(sub, "brief"))
        return cmd_brief(argc - 1, argv + 1);
    if (!strcmp(sub, "test"))
        return cmd_test(argc - 1, argv + 1);
    fprintf(stderr, "arbiter: policy: unknown subcommand \"%s\"\n", sub);
    usage(stderr);
    return CLI_EXIT_USAGE;
}
