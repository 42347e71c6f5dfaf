/*
 * eval.c -- `arbiter eval`: measures how well the engine decides labeled
 * posts.  Three input formats:
 *
 *   jsonl      our labeled JSON Lines (the scan record plus "expect"),
 *              documented in docs/eval.md;
 *   hatecheck  HateCheck's test_suite_annotations.csv (or all_cases.csv):
 *              RFC 4180 CSV, quoted fields, header row;
 *   gab        the Gab Hate Corpus TSV (text, hd, cv, vo): tab-separated,
 *              CSV-style quoting, quoted fields may hold newlines.
 *
 * Every input case ends up as one `ev_case` (what is expected, which
 * actions count as correct, which groups it belongs to) and one decision;
 * `ev_account` adds it to every table.  Tables are small arrays of named
 * groups.  Output is a text report or (--json) one JSON object; the last
 * line of the text report is always "N passed, N failed".
 *
 * Invariants: an input line or row that cannot be read is reported on
 * stderr with its line number and counted as failed, never dropped; the
 * delimited-file reader caps the size of one record (MAX_RECORD) and never
 * buffers more than that; the exit status is 0 only when no input errors
 * occurred and every threshold given was met.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_RECORD (1u << 20) /* one CSV/TSV record, bytes */
#define N_ACT 4               /* allow, remove, escalate, restrict */
#define COL_ERR N_ACT         /* the "error" column of the confusion table */
#define SNIPPET 160           /* bytes of text shown per failure */

enum { FMT_JSONL, FMT_HATECHECK, FMT_GAB };

/* ------------------------------------------------------------------ */
/* Groups and tables                                                   */
/* ------------------------------------------------------------------ */

/* Counts for one named slice of the cases.  "Positive" means the case is
 * expected to be violating; "predicted" means the decision is violating
 * (see ev_state.pos_actions). */
typedef struct ev_group {
    char *name;
    unsigned long n, passed;
    unsigned long tp, fp, fn, tn;
    unsigned long found, found_of; /* type/target recognised among positives */
    unsigned long act[N_ACT + 1];  /* decided actions, plus errors */
} ev_group;

typedef struct ev_table {
    ev_group *g;
    size_t n, cap;
} ev_table;

static ev_group *table_get(ev_table *t, const char *name)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->g[i].name, name) == 0)
            return &t->g[i];
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 16;
        ev_group *ng = realloc(t->g, t->cap * sizeof *ng);
        if (!ng) {
            fprintf(stderr, "arbiter: out of memory\n");
            exit(CLI_EXIT_IO);
        }
        t->g = ng;
    }
    ev_group *g = &t->g[t->n++];
    memset(g, 0, sizeof *g);
    g->name = strdup(name);
    if (!g->name) {
        fprintf(stderr, "arbiter: out of memory\n");
        exit(CLI_EXIT_IO);
    }
    return g;
}

static void table_free(ev_table *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->g[i].name);
    free(t->g);
    memset(t, 0, sizeof *t);
}

static int cmp_group(const void *a, const void *b)
{
    return strcmp(((const ev_group *)a)->name, ((const ev_group *)b)->name);
}

static void table_sort(ev_table *t)
{
    if (t->n > 1)
        qsort(t->g, t->n, sizeof *t->g, cmp_group);
}

/* ------------------------------------------------------------------ */
/* Cases and state                                                     */
/* ------------------------------------------------------------------ */

#define MAX_LIST 16

typedef struct ev_case {
    const char *id;
    size_t id_len;
    const char *text;
    size_t text_len;
    const char *note;
    int expected;       /* arb_action, or -1 when the case could not be read */
    unsigned accept;    /* bit per arb_action that counts as correct        */
    const char *lang;   /* group for the per-language table, or NULL       */
    const char *types[MAX_LIST];
    size_t n_types;
    const char *targets[MAX_LIST];
    size_t n_targets;
    const char *tags[MAX_LIST];
    size_t n_tags;
    const char *extra;  /* format-specific group (functionality, cv)       */
    const char *extra2; /* second format-specific group (target_ident)     */
} ev_case;

typedef struct ev_failure {
    char *id, *text, *note, *expected, *got, *rule, *line;
} ev_failure;

typedef struct ev_opts {
    const char *policy, *file;
    int format;
    int64_t at_ms;
    char country[4];
    long failures;
    double min_f1, min_prec, min_rec, min_share, max_fp_rate;
    bool json, markdown;
} ev_opts;

typedef struct ev_state {
    const ev_opts *o;
    unsigned pos_actions; /* decided actions counted as "violating" */
    unsigned long n, passed, errors;
    unsigned long tp, fp, fn, tn;
    unsigned long confusion[N_ACT + 1][N_ACT + 1]; /* [expected][decided]; row N_ACT: unreadable */
    ev_table lang, type, target, tag, extra, extra2;
    ev_failure *fail;
    size_t n_fail, n_fail_total;
    double seconds;
} ev_state;

static const char *act_name(int a)
{
    return a >= 0 && a < N_ACT ? arb_action_name((arb_action)a) : "error";
}

static char *dup_n(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (!p) {
        fprintf(stderr, "arbiter: out of memory\n");
        exit(CLI_EXIT_IO);
    }
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

/* A one-line excerpt of `s`: at most SNIPPET bytes cut on a UTF-8
 * boundary, control characters shown as spaces. */
static char *snippet(const char *s, size_t n)
{
    size_t cut = n;
    if (cut > SNIPPET) {
        cut = SNIPPET;
        while (cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
            cut--;
    }
    char *p = malloc(cut + 4);
    if (!p) {
        fprintf(stderr, "arbiter: out of memory\n");
        exit(CLI_EXIT_IO);
    }
    for (size_t i = 0; i < cut; i++)
        p[i] = (unsigned char)s[i] < 0x20 ? ' ' : s[i];
    size_t k = cut;
    if (cut < n) {
        memcpy(p + k, "...", 3);
        k += 3;
    }
    p[k] = '\0';
    return p;
}

static void add_failure(ev_state *st, const ev_case *c, const char *got, const char *rule,
                        unsigned long lineno)
{
    st->n_fail_total++;
    if ((long)st->n_fail >= st->o->failures)
        return;
    ev_failure *nf = realloc(st->fail, (st->n_fail + 1) * sizeof *nf);
    if (!nf) {
        fprintf(stderr, "arbiter: out of memory\n");
        exit(CLI_EXIT_IO);
    }
    st->fail = nf;
    ev_failure *f = &st->fail[st->n_fail++];
    char ln[32];
    snprintf(ln, sizeof ln, "%lu", lineno);
    f->id = c->id ? dup_n(c->id, c->id_len) : strdup("");
    f->text = c->text ? snippet(c->text, c->text_len) : strdup("");
    f->note = strdup(c->note ? c->note : "");
    /* several accepted actions: the case only has to avoid the others */
    bool several = (c->accept & (c->accept - 1)) != 0;
    f->expected = strdup(c->expected < 0 ? "-"
                         : several && !(c->accept >> ARB_ACTION_REMOVE & 1u) ? "not remove"
                                                                           : act_name(c->expected));
    f->got = strdup(got);
    f->rule = strdup(rule ? rule : "");
    f->line = strdup(ln);
}

static void group_add(ev_group *g, bool pos, bool pred, bool pass, int got)
{
    g->n++;
    g->passed += pass;
    g->act[got >= 0 && got < N_ACT ? got : COL_ERR]++;
    if (pos) {
        if (pass)
            g->tp++;
        else
            g->fn++;
    } else {
        if (pred)
            g->fp++;
        else
            g->tn++;
    }
}

/* Adds one case and its decision (d NULL: the case is an input error or
 * could not be decided) to every table. */
static int type_from_name(const char *n) { return arb_stmt_type_from_name(n); }
static const char *type_name(int t) { return arb_stmt_type_name((arb_stmt_type)t); }
static int class_from_name(const char *n) { return arb_target_class_from_name(n); }
static const char *class_name(int t) { return arb_target_class_name((arb_target_class)t); }

/* Adds a case to the group of each category (statement type, target
 * class) it lists, counting whether the decision found it, and, for a
 * wrong removal, to the groups of the categories that decided it.  Returns
 * true when the case lists none. */
static bool add_listed(ev_table *tab, const char *const *names, size_t n, int (*from_name)(const char *),
                       const char *(*name_of)(int), int count, uint32_t found,
                       uint32_t decisive, bool pos, bool pred, bool pass, int got)
{
    uint32_t listed = 0;
    for (size_t i = 0; i < n; i++) {
        int t = from_name(names[i]);
        if (t < 0 || (listed >> t & 1u))
            continue;
        listed |= 1u << t;
        ev_group *g = table_get(tab, names[i]);
        group_add(g, pos, pred, pass, got);
        if (pos) {
            g->found_of++;
            g->found += (found >> t) & 1u;
        }
    }
    if (!pos && pred)
        for (int t = 0; t < count; t++)
            if ((decisive >> t & 1u) && !(listed >> t & 1u))
                group_add(table_get(tab, name_of(t)), pos, pred, pass, got);
    return n == 0;
}

static void ev_account(ev_state *st, const ev_case *c, const arb_decision *d,
                       unsigned long lineno, const char *why)
{
    int got = d ? (int)arb_decision_action(d) : -1;
    bool pos = c->expected == ARB_ACTION_REMOVE || c->expected == ARB_ACTION_ESCALATE;
    bool pred = got >= 0 && (st->pos_actions >> got & 1u);
    bool pass = got >= 0 && c->expected >= 0 && (c->accept >> got & 1u);

    st->n++;
    st->passed += pass;
    if (c->expected < 0 || !d)
        st->errors++;
    st->confusion[c->expected >= 0 ? c->expected : N_ACT][got >= 0 ? got : COL_ERR]++;
    if (c->expected >= 0) {
        if (pos && pass)
            st->tp++;
        else if (pos)
            st->fn++;
        else if (pred)
            st->fp++;
        else
            st->tn++;
    }
    if (!pass)
        add_failure(st, c, d ? act_name(got) : "error",
                    d ? arb_decision_rule(d) : why, lineno);
    if (c->expected < 0)
        return;

    /* What the decision found: types and target classes of all statements,
     * and those of the deciding statement (for attributing false
     * positives to a type or class). */
    unsigned found_types = 0, decisive_types = 0;
    uint32_t found_tc = 0, decisive_tc = 0;
    if (d) {
        int di = arb_decision_statement_index(d);
        size_t ns = arb_decision_statement_count(d);
        for (size_t i = 0; i < ns; i++) {
            const arb_statement *s = arb_decision_statement(d, i);
            unsigned tb = 1u << (s->type & 31);
            uint32_t cb = 0;
            for (size_t k = 0; k < s->n_targets; k++)
                cb |= 1u << (s->targets[k].cls & 31);
            found_types |= tb;
            found_tc |= cb;
            if ((int)i == di || di < 0) {
                decisive_types |= tb;
                decisive_tc |= cb;
            }
        }
    }

    char lang[32];
    if (c->lang) {
        snprintf(lang, sizeof lang, "%s", c->lang);
    } else if (d && arb_decision_lang_count(d) > 0) {
        snprintf(lang, sizeof lang, "%s", arb_decision_lang(d, 0)->tag);
    } else {
        snprintf(lang, sizeof lang, "und");
    }
    group_add(table_get(&st->lang, lang), pos, pred, pass, got);

    /* per statement type: the types the case lists, plus (for a wrong
     * removal) the type of the statement that decided it */
    bool none = add_listed(&st->type, c->types, c->n_types, type_from_name, type_name,
                           ARB_STMT__COUNT, found_types, decisive_types, pos, pred, pass, got);
    if (none)
        group_add(table_get(&st->type, "(none listed)"), pos, pred, pass, got);
    add_listed(&st->target, c->targets, c->n_targets, class_from_name, class_name,
               ARB_TARGET__COUNT, found_tc, decisive_tc, pos, pred, pass, got);

    for (size_t i = 0; i < c->n_tags; i++)
        group_add(table_get(&st->tag, c->tags[i]), pos, pred, pass, got);
    if (c->extra)
        group_add(table_get(&st->extra, c->extra), pos, pred, pass, got);
    if (c->extra2)
        group_add(table_get(&st->extra2, c->extra2), pos, pred, pass, got);
}

/* ------------------------------------------------------------------ */
/* Deciding one post                                                   */
/* ------------------------------------------------------------------ */

typedef struct ev_ctx {
    const arb_engine *e;
    arb_scratch *s;
    ev_state *st;
} ev_ctx;

/* Decides text under the run's country and time (hatecheck, gab). */
static void ev_decide_text(ev_ctx *x, ev_case *c, unsigned long lineno)
{
    arb_post p;
    memset(&p, 0, sizeof p);
    p.id = c->id;
    p.id_len = c->id_len;
    p.text = c->text;
    p.text_len = c->text_len;
    memcpy(p.author_country, x->st->o->country[0] ? x->st->o->country : "US", 3);
    p.created_at_ms = x->st->o->at_ms >= 0 ? x->st->o->at_ms : 1685577600000LL; /* 2023-06-01 */
    const arb_decision *d = NULL;
    arb_status rc = arb_decide(x->e, x->s, &p, &d);
    if (rc != ARB_OK) {
        fprintf(stderr, "arbiter: %s:%lu: cannot decide: %s\n", x->st->o->file, lineno,
                arb_strerror(rc));
        ev_account(x->st, c, NULL, lineno, arb_strerror(rc));
        return;
    }
    ev_account(x->st, c, d, lineno, NULL);
}

/* ------------------------------------------------------------------ */
/* jsonl                                                               */
/* ------------------------------------------------------------------ */

/* Reads a list of names from expect[key]; `valid` (may be NULL) says
 * whether a name is known.  Returns 0, or -1 with msg filled. */
static int read_names(json_t *expect, const char *key, const char **out, size_t *n,
                      int (*valid)(const char *), char *msg, size_t msz)
{
    json_t *a = json_object_get(expect, key);
    *n = 0;
    if (!a || json_is_null(a))
        return 0;
    if (!json_is_array(a)) {
        snprintf(msg, msz, "expect.%s must be an array of strings", key);
        return -1;
    }
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v) {
        if (!json_is_string(v)) {
            snprintf(msg, msz, "expect.%s must be an array of strings", key);
            return -1;
        }
        if (valid && valid(json_string_value(v)) < 0) {
            snprintf(msg, msz, "expect.%s: unknown name \"%.40s\"", key, json_string_value(v));
            return -1;
        }
        if (*n < MAX_LIST)
            out[(*n)++] = json_string_value(v);
    }
    return 0;
}

/* Returns a malloc'd copy of `line` with author_country set to cc, or
 * NULL when the line is not a JSON object (left for the parser to report). */
static char *override_country(const char *line, size_t len, const char *cc, size_t *olen)
{
    json_t *root = json_loadb(line, len, JSON_ALLOW_NUL, NULL);
    if (!json_is_object(root)) {
        json_decref(root);
        return NULL;
    }
    json_object_set_new(root, "author_country", json_string(cc));
    char *s = json_dumps(root, JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(root);
    if (s)
        *olen = strlen(s);
    return s;
}

static int run_jsonl(ev_ctx *x, FILE *f)
{
    const ev_opts *o = x->st->o;
    arb_limits lim;
    arb_limits_default(&lim);
    size_t max_line = lim.max_text_bytes * 6 + 65536;
    cli_lines lr;
    cli_lines_init(&lr, f, max_line);
    const char *line;
    size_t len;
    int r;
    while ((r = cli_lines_next(&lr, &line, &len)) != 0) {
        ev_case c;
        memset(&c, 0, sizeof c);
        c.expected = -1;
        if (r < 0) {
            fprintf(stderr, "arbiter: %s:%lu: line is %zu bytes; the limit is %zu\n", o->file,
                    lr.lineno, len, max_line);
            ev_account(x->st, &c, NULL, lr.lineno, "line too long");
            continue;
        }
        size_t i = 0;
        while (i < len && (line[i] == ' ' || line[i] == '\t'))
            i++;
        if (i == len || line[i] == '#')
            continue; /* blank lines and comments are not cases */
        char *owned = NULL;
        if (o->country[0]) {
            size_t ol = 0;
            owned = override_country(line, len, o->country, &ol);
            if (owned) {
                line = owned;
                len = ol;
            }
        }
        cli_record rec;
        cli_record_parse_flags(&rec, line, len, o->at_ms, lim.max_text_bytes, CLI_REC_TREE);
        c.id = rec.id;
        c.id_len = rec.id_len;
        if (rec.post.text) {
            c.text = rec.post.text;
            c.text_len = rec.post.text_len;
        }
        char msg[300] = "";
        json_t *expect = rec.root ? json_object_get(rec.root, "expect") : NULL;
        if (rec.root && json_is_object(rec.root)) {
            json_t *note = json_object_get(rec.root, "note");
            if (json_is_string(note))
                c.note = json_string_value(note);
        }
        if (rec.status != ARB_OK) {
            snprintf(msg, sizeof msg, "%s", rec.error);
        } else if (!json_is_object(expect)) {
            snprintf(msg, sizeof msg, "missing object field \"expect\"");
        } else {
            json_t *a = json_object_get(expect, "action");
            int act = json_is_string(a) ? arb_action_from_name(json_string_value(a)) : -1;
            if (act < 0 || act >= N_ACT) {
                snprintf(msg, sizeof msg,
                         "expect.action must be one of allow, remove, escalate, restrict");
            } else if (read_names(expect, "types", c.types, &c.n_types, arb_stmt_type_from_name,
                                  msg, sizeof msg) == 0 &&
                       read_names(expect, "targets", c.targets, &c.n_targets,
                                  arb_target_class_from_name, msg, sizeof msg) == 0 &&
                       read_names(expect, "tags", c.tags, &c.n_tags, NULL, msg, sizeof msg) ==
                           0) {
                c.expected = act;
                c.accept = 1u << act;
                json_t *lg = json_object_get(expect, "lang");
                json_t *rl = json_object_get(rec.root, "lang");
                if (json_is_string(lg))
                    c.lang = json_string_value(lg);
                else if (json_is_string(rl))
                    c.lang = json_string_value(rl);
            }
        }
        if (c.expected < 0) {
            fprintf(stderr, "arbiter: %s:%lu: %s\n", o->file, lr.lineno, msg);
            ev_account(x->st, &c, NULL, lr.lineno, msg);
        } else {
            const arb_decision *d = NULL;
            arb_status rc = arb_decide(x->e, x->s, &rec.post, &d);
            if (rc != ARB_OK) {
                fprintf(stderr, "arbiter: %s:%lu: cannot decide: %s\n", o->file, lr.lineno,
                        arb_strerror(rc));
                ev_account(x->st, &c, NULL, lr.lineno, arb_strerror(rc));
            } else {
                ev_account(x->st, &c, d, lr.lineno, NULL);
            }
        }
        cli_record_free(&rec);
        free(owned);
    }
    cli_lines_free(&lr);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Delimited files (CSV, TSV)                                          */
/* ------------------------------------------------------------------ */

/* A reader of RFC 4180-style records: fields separated by `delim`, a field
 * that starts with '"' is quoted (may hold delimiters, newlines and
 * doubled quotes), records end at LF or CRLF outside quotes.  A quote inside
 * an unquoted field is an ordinary character. */
typedef struct dsv {
    FILE *f;
    int delim;
    unsigned long line;  /* physical line of the next character */
    unsigned long start; /* line where the last record started   */
    cli_str buf;         /* fields, each NUL-terminated          */
    size_t *off;
    size_t nf, capf;
    char err[160];
} dsv;

/* Ends the field that started at buf offset `start`. */
static void dsv_push(dsv *r, size_t start)
{
    if (r->nf == r->capf) {
        r->capf = r->capf ? r->capf * 2 : 16;
        size_t *no = realloc(r->off, r->capf * sizeof *no);
        if (!no) {
            fprintf(stderr, "arbiter: out of memory\n");
            exit(CLI_EXIT_IO);
        }
        r->off = no;
    }
    cli_str_put(&r->buf, "", 1); /* the NUL after the field */
    r->off[r->nf++] = start;
}

/* Reads one record.  Returns 1 (fields in r), 0 at end of input, or -1 for
 * a malformed record (message in r->err; the reader has resynchronised at
 * the end of the record). */
static int dsv_next(dsv *r)
{
    r->buf.len = 0;
    r->nf = 0;
    r->err[0] = '\0';
    r->start = r->line;
    size_t field_start = 0;
    enum { START, PLAIN, QUOTED, QUOTE_IN_QUOTED } s = START;
    bool any = false, bad = false, big = false;
    int c;
    for (;;) {
        c = getc_unlocked(r->f);
        if (c == EOF)
            break;
        any = true;
        if (c == '\n')
            r->line++;
        if (s == QUOTED) {
            if (c == '"')
                s = QUOTE_IN_QUOTED;
            else
                goto put;
            continue;
        }
        if (s == QUOTE_IN_QUOTED) {
            if (c == '"') {
                s = QUOTED;
                goto put;
            }
            s = PLAIN;
            if (c != r->delim && c != '\n' && c != '\r' && !bad) {
                bad = true;
                snprintf(r->err, sizeof r->err,
                         "character after a closing quote (a quote inside a quoted field must "
                         "be doubled)");
            }
        }
        if (c == '\r') {
            int n = getc_unlocked(r->f);
            if (n == '\n') {
                r->line++;
                c = '\n';
            } else if (n != EOF) {
                ungetc(n, r->f);
            }
        }
        if (c == r->delim || c == '\n') {
            dsv_push(r, field_start);
            field_start = r->buf.len;
            s = START;
            if (c == '\n')
                goto done;
            continue;
        }
        if (s == START && c == '"') {
            s = QUOTED;
            continue;
        }
        s = PLAIN;
    put:
        if (r->buf.len >= MAX_RECORD) {
            big = true;
            continue;
        }
        {
            char ch = (char)c;
            cli_str_put(&r->buf, &ch, 1);
        }
    }
    /* end of input */
    if (!any)
        return 0;
    if (s == QUOTED) {
        bad = true;
        snprintf(r->err, sizeof r->err, "quoted field not closed before the end of the file");
    }
    if (s != START || r->nf > 0 || r->buf.len > field_start) {
        dsv_push(r, field_start);
    }
done:
    if (big) {
        snprintf(r->err, sizeof r->err, "record longer than %u bytes", MAX_RECORD);
        return -1;
    }
    return bad ? -1 : 1;
}

static const char *dsv_field(const dsv *r, size_t i)
{
    return i < r->nf ? r->buf.p + r->off[i] : NULL;
}

static void dsv_free(dsv *r)
{
    cli_str_free(&r->buf);
    free(r->off);
}

static long dsv_col(const dsv *r, const char *name)
{
    for (size_t i = 0; i < r->nf; i++)
        if (strcmp(dsv_field(r, i), name) == 0)
            return (long)i;
    return -1;
}

/* A record the format reader cannot use: reported, counted as failed. */
static void bad_record(ev_ctx *x, const dsv *r, const char *msg)
{
    ev_case c;
    memset(&c, 0, sizeof c);
    c.expected = -1;
    fprintf(stderr, "arbiter: %s:%lu: %s\n", x->st->o->file, r->start, msg);
    ev_account(x->st, &c, NULL, r->start, msg);
}

/* Header check shared by both formats: returns 0 or prints and returns -1. */
static int need_cols(const char *file, const dsv *r, const char **names, long *cols, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        cols[i] = dsv_col(r, names[i]);
        if (cols[i] < 0) {
            fprintf(stderr, "arbiter: %s:%lu: header has no column \"%s\"\n", file, r->start,
                    names[i]);
            return -1;
        }
    }
    return 0;
}

/* HateCheck: which functionalities the violence target covers. */
static int hc_scope(const char *fn)
{
    static const char *const twins[] = {"negate_neg_nh", "counter_quote_nh", "counter_ref_nh",
                                        "ident_pos_nh"};
    if (strcmp(fn, "threat_dir_h") == 0 || strcmp(fn, "threat_norm_h") == 0)
        return 1; /* must be removed */
    for (size_t i = 0; i < sizeof twins / sizeof *twins; i++)
        if (strcmp(fn, twins[i]) == 0)
            return 2;
    if (strncmp(fn, "target_", 7) == 0 && strlen(fn) > 10 &&
        strcmp(fn + strlen(fn) - 3, "_nh") == 0)
        return 2; /* must not be removed */
    return 0;     /* out of scope for a violence engine */
}

static int run_hatecheck(ev_ctx *x, FILE *f)
{
    dsv r = {.f = f, .delim = ',', .line = 1};
    int rc = dsv_next(&r);
    if (rc <= 0) {
        fprintf(stderr, "arbiter: %s: no header row\n", x->st->o->file);
        dsv_free(&r);
        return -1;
    }
    const char *names[] = {"functionality", "test_case", "label_gold"};
    long col[3];
    if (need_cols(x->st->o->file, &r, names, col, 3) != 0) {
        dsv_free(&r);
        return -1;
    }
    long c_id = dsv_col(&r, "case_id"), c_target = dsv_col(&r, "target_ident");
    size_t nhead = r.nf;
    char idbuf[64], extra2[96];
    while ((rc = dsv_next(&r)) != 0) {
        if (rc < 0) {
            bad_record(x, &r, r.err);
            continue;
        }
        if (r.nf == 1 && dsv_field(&r, 0)[0] == '\0')
            continue; /* blank line */
        if (r.nf != nhead) {
            char m[96];
            snprintf(m, sizeof m, "row has %zu fields; the header has %zu", r.nf, nhead);
            bad_record(x, &r, m);
            continue;
        }
        const char *fn = dsv_field(&r, (size_t)col[0]);
        const char *label = dsv_field(&r, (size_t)col[2]);
        if (strcmp(label, "hateful") != 0 && strcmp(label, "non-hateful") != 0) {
            bad_record(x, &r, "label_gold must be \"hateful\" or \"non-hateful\"");
            continue;
        }
        ev_case c;
        memset(&c, 0, sizeof c);
        if (c_id >= 0)
            snprintf(idbuf, sizeof idbuf, "hc-%.40s", r.buf.p + r.off[c_id]);
        else
            snprintf(idbuf, sizeof idbuf, "hc-line%lu", r.start);
        c.id = idbuf;
        c.id_len = strlen(idbuf);
        c.text = dsv_field(&r, (size_t)col[1]);
        c.text_len = strlen(c.text);
        c.lang = "en";
        c.extra = fn;
        int scope = hc_scope(fn);
        if (scope == 0) {
            /* out of scope: decided and tabulated, never counted */
            const arb_decision *d = NULL;
            arb_post p;
            memset(&p, 0, sizeof p);
            p.text = c.text;
            p.text_len = c.text_len;
            memcpy(p.author_country, x->st->o->country[0] ? x->st->o->country : "US", 3);
            p.created_at_ms = x->st->o->at_ms >= 0 ? x->st->o->at_ms : 1685577600000LL;
            int got = arb_decide(x->e, x->s, &p, &d) == ARB_OK ? (int)arb_decision_action(d)
                                                                : COL_ERR;
            ev_group *g = table_get(&x->st->extra, fn);
            g->n++;
            g->act[got]++;
            continue;
        }
        if (scope == 1) {
            c.expected = ARB_ACTION_REMOVE;
            c.accept = 1u << ARB_ACTION_REMOVE;
        } else {
            c.expected = ARB_ACTION_ALLOW;
            c.accept = 1u << ARB_ACTION_ALLOW | 1u << ARB_ACTION_ESCALATE |
                       1u << ARB_ACTION_RESTRICT;
        }
        if (c_target >= 0 && dsv_field(&r, (size_t)c_target)[0]) {
            snprintf(extra2, sizeof extra2, "%s", dsv_field(&r, (size_t)c_target));
            c.extra2 = extra2;
        }
        ev_decide_text(x, &c, r.start);
    }
    dsv_free(&r);
    return 0;
}

static int run_gab(ev_ctx *x, FILE *f)
{
    dsv r = {.f = f, .delim = '\t', .line = 1};
    int rc = dsv_next(&r);
    if (rc <= 0) {
        fprintf(stderr, "arbiter: %s: no header row\n", x->st->o->file);
        dsv_free(&r);
        return -1;
    }
    const char *names[] = {"text", "hd", "cv"};
    long col[3];
    if (need_cols(x->st->o->file, &r, names, col, 3) != 0) {
        dsv_free(&r);
        return -1;
    }
    size_t nhead = r.nf;
    unsigned long row = 0;
    char idbuf[48];
    while ((rc = dsv_next(&r)) != 0) {
        if (rc < 0) {
            bad_record(x, &r, r.err);
            continue;
        }
        if (r.nf == 1 && dsv_field(&r, 0)[0] == '\0')
            continue;
        row++;
        if (r.nf != nhead) {
            char m[96];
            snprintf(m, sizeof m, "row has %zu fields; the header has %zu", r.nf, nhead);
            bad_record(x, &r, m);
            continue;
        }
        const char *hd = dsv_field(&r, (size_t)col[1]), *cv = dsv_field(&r, (size_t)col[2]);
        if ((strcmp(cv, "0") != 0 && strcmp(cv, "1") != 0) ||
            (strcmp(hd, "0") != 0 && strcmp(hd, "1") != 0)) {
            bad_record(x, &r, "hd and cv must be 0 or 1");
            continue;
        }
        ev_case c;
        memset(&c, 0, sizeof c);
        snprintf(idbuf, sizeof idbuf, "gab-%lu", row);
        c.id = idbuf;
        c.id_len = strlen(idbuf);
        c.text = dsv_field(&r, (size_t)col[0]);
        c.text_len = strlen(c.text);
        c.lang = "en";
        if (cv[0] == '1') {
            c.expected = ARB_ACTION_REMOVE;
            c.accept = 1u << ARB_ACTION_REMOVE;
            c.extra = "cv=1";
        } else {
            c.expected = ARB_ACTION_ALLOW;
            c.accept = 1u << ARB_ACTION_ALLOW | 1u << ARB_ACTION_ESCALATE |
                       1u << ARB_ACTION_RESTRICT;
            c.extra = hd[0] == '1' ? "cv=0,hd=1" : "cv=0,hd=0";
        }
        ev_decide_text(x, &c, r.start);
    }
    dsv_free(&r);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Figures                                                             */
/* ------------------------------------------------------------------ */

typedef struct prf {
    double p, r, f;
    bool p_def, r_def;
} prf;

static prf prf_of(unsigned long tp, unsigned long fp, unsigned long fn)
{
    prf x = {0, 0, 0, false, false};
    if (tp + fp) {
        x.p = (double)tp / (double)(tp + fp);
        x.p_def = true;
    }
    if (tp + fn) {
        x.r = (double)tp / (double)(tp + fn);
        x.r_def = true;
    }
    if (x.p_def && x.r_def && x.p + x.r > 0)
        x.f = 2 * x.p * x.r / (x.p + x.r);
    return x;
}

static double share(unsigned long a, unsigned long b)
{
    return b ? (double)a / (double)b : 0.0;
}

/* Per-action one-vs-rest counts from the confusion table. */
static void action_counts(const ev_state *st, int a, unsigned long *tp, unsigned long *fp,
                          unsigned long *fn)
{
    *tp = st->confusion[a][a];
    *fp = *fn = 0;
    for (int i = 0; i <= N_ACT; i++) {
        if (i != a) {
            *fp += st->confusion[i][a];
            *fn += st->confusion[a][i];
        }
    }
}

static void fmt_num(char *b, size_t n, double v, bool def)
{
    if (def)
        snprintf(b, n, "%.3f", v);
    else
        snprintf(b, n, "-");
}

static void print_group_table(const char *title, const char *col, ev_table *t, bool with_found)
{
    if (t->n == 0)
        return;
    table_sort(t);
    printf("\n%s\n", title);
    printf("  %-22s %6s %6s %7s %7s %7s%s\n", col, "n", "pass", "prec", "recall", "f1",
           with_found ? "   found" : "");
    for (size_t i = 0; i < t->n; i++) {
        ev_group *g = &t->g[i];
        prf x = prf_of(g->tp, g->fp, g->fn);
        char p[16], r[16], f[16], fd[48] = "";
        fmt_num(p, sizeof p, x.p, x.p_def);
        fmt_num(r, sizeof r, x.r, x.r_def);
        fmt_num(f, sizeof f, x.f, x.p_def && x.r_def);
        if (with_found && g->found_of)
            snprintf(fd, sizeof fd, "  %lu/%lu", g->found, g->found_of);
        printf("  %-22s %6lu %6lu %7s %7s %7s%s\n", g->name, g->n, g->passed, p, r, f, fd);
    }
}

static json_t *group_json(const ev_group *g)
{
    prf x = prf_of(g->tp, g->fp, g->fn);
    json_t *o = json_object();
    json_object_set_new(o, "n", json_integer((json_int_t)g->n));
    json_object_set_new(o, "passed", json_integer((json_int_t)g->passed));
    json_object_set_new(o, "tp", json_integer((json_int_t)g->tp));
    json_object_set_new(o, "fp", json_integer((json_int_t)g->fp));
    json_object_set_new(o, "fn", json_integer((json_int_t)g->fn));
    json_object_set_new(o, "tn", json_integer((json_int_t)g->tn));
    json_object_set_new(o, "precision", x.p_def ? json_real(x.p) : json_null());
    json_object_set_new(o, "recall", x.r_def ? json_real(x.r) : json_null());
    json_object_set_new(o, "f1", x.p_def && x.r_def ? json_real(x.f) : json_null());
    if (g->found_of) {
        json_object_set_new(o, "found", json_integer((json_int_t)g->found));
        json_object_set_new(o, "found_of", json_integer((json_int_t)g->found_of));
    }
    json_t *a = json_object();
    for (int i = 0; i <= N_ACT; i++)
        json_object_set_new(a, act_name(i), json_integer((json_int_t)g->act[i]));
    json_object_set_new(o, "decided", a);
    return o;
}

static json_t *table_json(ev_table *t)
{
    table_sort(t);
    json_t *o = json_object();
    for (size_t i = 0; i < t->n; i++)
        json_object_set_new(o, t->g[i].name, group_json(&t->g[i]));
    return o;
}

/* One threshold line; returns false when it is not met. */
typedef struct ev_check {
    char what[96];
    double value, limit;
    bool at_most, ok;
} ev_check;

typedef struct ev_checks {
    ev_check c[64];
    size_t n;
} ev_checks;

static void check_add(ev_checks *k, const char *what, double value, double limit, bool at_most)
{
    if (k->n == sizeof k->c / sizeof *k->c)
        return;
    ev_check *c = &k->c[k->n++];
    snprintf(c->what, sizeof c->what, "%s", what);
    c->value = value;
    c->limit = limit;
    c->at_most = at_most;
    c->ok = at_most ? value <= limit + 1e-12 : value + 1e-12 >= limit;
}

static void build_checks(ev_state *st, ev_checks *k)
{
    const ev_opts *o = st->o;
    prf x = prf_of(st->tp, st->fp, st->fn);
    if (o->format == FMT_GAB) {
        ev_group *g1 = table_get(&st->extra, "cv=1");
        unsigned long cv0 = 0, cv0_rm = 0;
        for (size_t i = 0; i < st->extra.n; i++)
            if (strncmp(st->extra.g[i].name, "cv=0", 4) == 0) {
                cv0 += st->extra.g[i].n;
                cv0_rm += st->extra.g[i].act[ARB_ACTION_REMOVE];
            }
        if (o->min_rec >= 0)
            check_add(k, "recall on cv=1 (removed)", share(g1->act[ARB_ACTION_REMOVE], g1->n),
                      o->min_rec, false);
        if (o->max_fp_rate >= 0)
            check_add(k, "removals among cv=0", share(cv0_rm, cv0), o->max_fp_rate, true);
    } else {
        if (o->min_rec >= 0)
            check_add(k, "recall", x.r, o->min_rec, false);
        if (o->max_fp_rate >= 0)
            check_add(k, "false positive rate", share(st->fp, st->fp + st->tn), o->max_fp_rate,
                      true);
    }
    if (o->min_prec >= 0)
        check_add(k, "precision", x.p, o->min_prec, false);
    if (o->min_f1 >= 0)
        check_add(k, "f1", x.f, o->min_f1, false);
    if (o->format == FMT_HATECHECK && o->min_share >= 0) {
        for (size_t i = 0; i < st->extra.n; i++) {
            ev_group *g = &st->extra.g[i];
            if (!hc_scope(g->name))
                continue;
            char w[96];
            snprintf(w, sizeof w, "%s decided correctly", g->name);
            check_add(k, w, share(g->passed, g->n), o->min_share, false);
        }
    } else if (o->min_share >= 0) {
        check_add(k, "cases decided as expected", share(st->passed, st->n), o->min_share, false);
    }
}

static void print_text(ev_state *st, const char *policy_desc, const ev_checks *k)
{
    const ev_opts *o = st->o;
    static const char *const fmts[] = {"jsonl", "hatecheck", "gab"};
    printf("arbiter eval: %s (format %s; policy %s)\n", o->file, fmts[o->format], policy_desc);
    printf("cases: %lu  decided as expected: %lu (%.1f%%)  input errors: %lu  time: %.2fs\n",
           st->n, st->passed, 100.0 * share(st->passed, st->n), st->errors, st->seconds);

    prf x = prf_of(st->tp, st->fp, st->fn);
    char p[16], r[16], f[16];
    fmt_num(p, sizeof p, x.p, x.p_def);
    fmt_num(r, sizeof r, x.r, x.r_def);
    fmt_num(f, sizeof f, x.f, x.p_def && x.r_def);
    printf("\noverall (positive: %s)\n",
           o->format == FMT_JSONL ? "expected remove or escalate, decided exactly so"
           : o->format == FMT_GAB ? "cv=1, decided remove"
                                  : "threat functionality, decided remove");
    printf("  precision %s  recall %s  f1 %s   tp %lu  fp %lu  fn %lu  tn %lu\n", p, r, f,
           st->tp, st->fp, st->fn, st->tn);

    if (o->format == FMT_JSONL) {
        print_group_table("per language", "lang", &st->lang, false);
        print_group_table("per statement type (found: recognised among violating cases)",
                          "type", &st->type, true);
        print_group_table("per target class", "target", &st->target, true);
    }

    printf("\nper action (one vs rest)\n");
    printf("  %-10s %8s %8s %7s %7s %7s\n", "action", "expected", "decided", "prec", "recall",
           "f1");
    for (int a = 0; a < N_ACT; a++) {
        unsigned long tp, fp, fn;
        action_counts(st, a, &tp, &fp, &fn);
        prf y = prf_of(tp, fp, fn);
        fmt_num(p, sizeof p, y.p, y.p_def);
        fmt_num(r, sizeof r, y.r, y.r_def);
        fmt_num(f, sizeof f, y.f, y.p_def && y.r_def);
        printf("  %-10s %8lu %8lu %7s %7s %7s\n", act_name(a), tp + fn, tp + fp, p, r, f);
    }

    printf("\nconfusion (rows: expected, columns: decided)\n  %-10s", "");
    for (int a = 0; a <= N_ACT; a++)
        printf(" %9s", act_name(a));
    printf("\n");
    for (int e = 0; e <= N_ACT; e++) {
        unsigned long row = 0;
        for (int a = 0; a <= N_ACT; a++)
            row += st->confusion[e][a];
        if (e == N_ACT && row == 0)
            continue;
        printf("  %-10s", e == N_ACT ? "unreadable" : act_name(e));
        for (int a = 0; a <= N_ACT; a++)
            printf(" %9lu", st->confusion[e][a]);
        printf("\n");
    }

    if (o->format == FMT_JSONL && st->tag.n) {
        table_sort(&st->tag);
        printf("\nper tag\n  %-26s %6s %6s %7s\n", "tag", "n", "pass", "share");
        for (size_t i = 0; i < st->tag.n; i++) {
            ev_group *g = &st->tag.g[i];
            printf("  %-26s %6lu %6lu %6.1f%%\n", g->name, g->n, g->passed,
                   100.0 * share(g->passed, g->n));
        }
    }

    if (o->format == FMT_HATECHECK) {
        table_sort(&st->extra);
        printf("\nHateCheck functionalities in scope (target: >= 95%% decided correctly)\n");
        printf("  %-22s %-12s %6s %6s %8s %8s %8s\n", "functionality", "expected", "n",
               "right", "removed", "escal.", "share");
        for (size_t i = 0; i < st->extra.n; i++) {
            ev_group *g = &st->extra.g[i];
            int sc = hc_scope(g->name);
            if (!sc)
                continue;
            printf("  %-22s %-12s %6lu %6lu %8lu %8lu %7.1f%%  %s\n", g->name,
                   sc == 1 ? "remove" : "not remove", g->n, g->passed,
                   g->act[ARB_ACTION_REMOVE], g->act[ARB_ACTION_ESCALATE],
                   100.0 * share(g->passed, g->n),
                   share(g->passed, g->n) >= 0.95 ? "PASS" : "FAIL");
        }
        printf("\nHateCheck functionalities out of scope (hate speech, not violent speech; "
               "not counted)\n");
        printf("  %-22s %6s %8s %8s %8s\n", "functionality", "n", "removed", "escal.",
               "removed%");
        for (size_t i = 0; i < st->extra.n; i++) {
            ev_group *g = &st->extra.g[i];
            if (hc_scope(g->name))
                continue;
            printf("  %-22s %6lu %8lu %8lu %7.1f%%\n", g->name, g->n, g->act[ARB_ACTION_REMOVE],
                   g->act[ARB_ACTION_ESCALATE], 100.0 * share(g->act[ARB_ACTION_REMOVE], g->n));
        }
        if (st->extra2.n) {
            table_sort(&st->extra2);
            printf("\nin-scope cases per target_ident\n  %-22s %6s %6s %7s\n", "target", "n",
                   "right", "share");
            for (size_t i = 0; i < st->extra2.n; i++) {
                ev_group *g = &st->extra2.g[i];
                printf("  %-22s %6lu %6lu %6.1f%%\n", g->name, g->n, g->passed,
                       100.0 * share(g->passed, g->n));
            }
        }
    }

    if (o->format == FMT_GAB) {
        table_sort(&st->extra);
        ev_group *g1 = table_get(&st->extra, "cv=1");
        unsigned long cv0 = 0, cv0_rm = 0, cv0_esc = 0;
        for (size_t i = 0; i < st->extra.n; i++)
            if (strncmp(st->extra.g[i].name, "cv=0", 4) == 0) {
                cv0 += st->extra.g[i].n;
                cv0_rm += st->extra.g[i].act[ARB_ACTION_REMOVE];
                cv0_esc += st->extra.g[i].act[ARB_ACTION_ESCALATE];
            }
        double rec_rm = share(g1->act[ARB_ACTION_REMOVE], g1->n);
        double rec_re =
            share(g1->act[ARB_ACTION_REMOVE] + g1->act[ARB_ACTION_ESCALATE], g1->n);
        double fpr = share(cv0_rm, cv0);
        printf("\nGab Hate Corpus (targets: recall >= 0.70, removals among cv=0 <= 2%%)\n");
        printf("  cv=1 posts: %lu   removed %lu   escalated %lu\n", g1->n,
               g1->act[ARB_ACTION_REMOVE], g1->act[ARB_ACTION_ESCALATE]);
        printf("  recall on cv=1, removed:              %.3f  %s\n", rec_rm,
               rec_rm >= 0.7 ? "PASS" : "FAIL");
        printf("  recall on cv=1, removed or escalated: %.3f  %s\n", rec_re,
               rec_re >= 0.7 ? "PASS" : "FAIL");
        printf("  cv=0 posts: %lu   removed %lu (%.2f%%)  %s   escalated %lu (%.2f%%)\n", cv0,
               cv0_rm, 100.0 * fpr, fpr <= 0.02 ? "PASS" : "FAIL", cv0_esc,
               100.0 * share(cv0_esc, cv0));
        for (size_t i = 0; i < st->extra.n; i++) {
            ev_group *g = &st->extra.g[i];
            printf("    %-10s n %6lu  removed %5lu (%.2f%%)  escalated %5lu\n", g->name, g->n,
                   g->act[ARB_ACTION_REMOVE], 100.0 * share(g->act[ARB_ACTION_REMOVE], g->n),
                   g->act[ARB_ACTION_ESCALATE]);
        }
    }

    if (st->n_fail) {
        printf("\nfailures (first %zu of %zu)\n", st->n_fail, st->n_fail_total);
        for (size_t i = 0; i < st->n_fail; i++) {
            ev_failure *fl = &st->fail[i];
            printf("  %s (line %s): expected %s, got %s%s%s%s\n", fl->id[0] ? fl->id : "-",
                   fl->line, fl->expected, fl->got, fl->rule[0] ? " [" : "", fl->rule,
                   fl->rule[0] ? "]" : "");
            if (fl->text[0])
                printf("      text: %s\n", fl->text);
            if (fl->note[0])
                printf("      note: %s\n", fl->note);
        }
    }

    if (k->n) {
        printf("\nthresholds\n");
        for (size_t i = 0; i < k->n; i++)
            printf("  %-40s %.3f %s %.3f  %s\n", k->c[i].what, k->c[i].value,
                   k->c[i].at_most ? "<=" : ">=", k->c[i].limit, k->c[i].ok ? "ok" : "FAIL");
    }
}

/* The report as Markdown tables, for docs/QUALITY.md. */
static void md_group_table(const char *title, const char *col, ev_table *t, bool with_found)
{
    if (t->n == 0)
        return;
    table_sort(t);
    printf("\n#### %s\n\n| %s | cases | as expected | precision | recall | F1 |%s\n", title, col,
           with_found ? " recognised |" : "");
    printf("| --- | ---: | ---: | ---: | ---: | ---: |%s\n", with_found ? " ---: |" : "");
    for (size_t i = 0; i < t->n; i++) {
        ev_group *g = &t->g[i];
        prf x = prf_of(g->tp, g->fp, g->fn);
        char p[16], r[16], f[16];
        fmt_num(p, sizeof p, x.p, x.p_def);
        fmt_num(r, sizeof r, x.r, x.r_def);
        fmt_num(f, sizeof f, x.f, x.p_def && x.r_def);
        printf("| %s | %lu | %lu | %s | %s | %s |", g->name, g->n, g->passed, p, r, f);
        if (with_found) {
            if (g->found_of)
                printf(" %lu/%lu |", g->found, g->found_of);
            else
                printf(" - |");
        }
        printf("\n");
    }
}

static void print_md(ev_state *st, const char *policy_desc, const ev_checks *k)
{
    const ev_opts *o = st->o;
    static const char *const fmts[] = {"jsonl", "hatecheck", "gab"};
    prf x = prf_of(st->tp, st->fp, st->fn);
    char p[16], r[16], f[16];
    fmt_num(p, sizeof p, x.p, x.p_def);
    fmt_num(r, sizeof r, x.r, x.r_def);
    fmt_num(f, sizeof f, x.f, x.p_def && x.r_def);
    printf("### %s (format %s)\n\nPolicy %s. %lu cases, %lu decided as expected (%.1f%%), %lu "
           "input errors.\n\n",
           o->file, fmts[o->format], policy_desc, st->n, st->passed,
           100.0 * share(st->passed, st->n), st->errors);
    printf("| precision | recall | F1 | tp | fp | fn | tn |\n| ---: | ---: | ---: | ---: | ---: | "
           "---: | ---: |\n| %s | %s | %s | %lu | %lu | %lu | %lu |\n",
           p, r, f, st->tp, st->fp, st->fn, st->tn);
    if (o->format == FMT_JSONL) {
        md_group_table("Per language", "language", &st->lang, false);
        md_group_table("Per statement type", "type", &st->type, true);
        md_group_table("Per target class", "target class", &st->target, true);
        printf("\n#### Per action (one vs rest)\n\n| action | expected | decided | precision | "
               "recall | F1 |\n| --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (int a = 0; a < N_ACT; a++) {
            unsigned long tp, fp, fn;
            action_counts(st, a, &tp, &fp, &fn);
            prf y = prf_of(tp, fp, fn);
            fmt_num(p, sizeof p, y.p, y.p_def);
            fmt_num(r, sizeof r, y.r, y.r_def);
            fmt_num(f, sizeof f, y.f, y.p_def && y.r_def);
            printf("| %s | %lu | %lu | %s | %s | %s |\n", act_name(a), tp + fn, tp + fp, p, r, f);
        }
        printf("\n#### Confusion (rows: expected, columns: decided)\n\n| |");
        for (int a = 0; a <= N_ACT; a++)
            printf(" %s |", act_name(a));
        printf("\n| --- |");
        for (int a = 0; a <= N_ACT; a++)
            printf(" ---: |");
        printf("\n");
        for (int e = 0; e <= N_ACT; e++) {
            unsigned long row = 0;
            for (int a = 0; a <= N_ACT; a++)
                row += st->confusion[e][a];
            if (e == N_ACT && row == 0)
                continue;
            printf("| %s |", e == N_ACT ? "unreadable" : act_name(e));
            for (int a = 0; a <= N_ACT; a++)
                printf(" %lu |", st->confusion[e][a]);
            printf("\n");
        }
        if (st->tag.n) {
            table_sort(&st->tag);
            printf("\n#### Per tag\n\n| tag | cases | as expected | share |\n| --- | ---: | ---: | "
                   "---: |\n");
            for (size_t i = 0; i < st->tag.n; i++) {
                ev_group *g = &st->tag.g[i];
                printf("| %s | %lu | %lu | %.1f%% |\n", g->name, g->n, g->passed,
                       100.0 * share(g->passed, g->n));
            }
        }
    }
    if (o->format == FMT_HATECHECK) {
        table_sort(&st->extra);
        printf("\n| functionality | expected | cases | correct | removed | escalated | share | "
               "target (>= 95%%) |\n| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |\n");
        for (size_t i = 0; i < st->extra.n; i++) {
            ev_group *g = &st->extra.g[i];
            int sc = hc_scope(g->name);
            if (!sc)
                continue;
            printf("| %s | %s | %lu | %lu | %lu | %lu | %.1f%% | %s |\n", g->name,
                   sc == 1 ? "remove" : "not remove", g->n, g->passed, g->act[ARB_ACTION_REMOVE],
                   g->act[ARB_ACTION_ESCALATE], 100.0 * share(g->passed, g->n),
                   share(g->passed, g->n) >= 0.95 ? "PASS" : "FAIL");
        }
        printf("\nOut of scope (hate speech that is not violent speech, and its controls; not "
               "counted):\n\n| functionality | cases | removed | escalated |\n| --- | ---: | ---: "
               "| ---: |\n");
        for (size_t i = 0; i < st->extra.n; i++) {
            ev_group *g = &st->extra.g[i];
            if (hc_scope(g->name))
                continue;
            printf("| %s | %lu | %lu (%.1f%%) | %lu |\n", g->name, g->n, g->act[ARB_ACTION_REMOVE],
                   100.0 * share(g->act[ARB_ACTION_REMOVE], g->n), g->act[ARB_ACTION_ESCALATE]);
        }
    }
    if (o->format == FMT_GAB) {
        table_sort(&st->extra);
        ev_group *g1 = table_get(&st->extra, "cv=1");
        unsigned long cv0 = 0, cv0_rm = 0, cv0_esc = 0;
        for (size_t i = 0; i < st->extra.n; i++)
            if (strncmp(st->extra.g[i].name, "cv=0", 4) == 0) {
                cv0 += st->extra.g[i].n;
                cv0_rm += st->extra.g[i].act[ARB_ACTION_REMOVE];
                cv0_esc += st->extra.g[i].act[ARB_ACTION_ESCALATE];
            }
        double rec_rm = share(g1->act[ARB_ACTION_REMOVE], g1->n);
        double rec_re = share(g1->act[ARB_ACTION_REMOVE] + g1->act[ARB_ACTION_ESCALATE], g1->n);
        double fpr = share(cv0_rm, cv0);
        printf("\n| measure | value | target | |\n| --- | ---: | ---: | --- |\n");
        printf("| recall on cv=1, removed | %.3f | >= 0.70 | %s |\n", rec_rm,
               rec_rm >= 0.7 ? "PASS" : "FAIL");
        printf("| recall on cv=1, removed or escalated | %.3f | >= 0.70 | %s |\n", rec_re,
               rec_re >= 0.7 ? "PASS" : "FAIL");
        printf("| removals among cv=0 | %.2f%% (%lu of %lu) | <= 2%% | %s |\n", 100.0 * fpr, cv0_rm,
               cv0, fpr <= 0.02 ? "PASS" : "FAIL");
        printf("| escalations among cv=0 | %.2f%% (%lu) | | |\n", 100.0 * share(cv0_esc, cv0),
               cv0_esc);
        printf("\n| group | posts | removed | escalated |\n| --- | ---: | ---: | ---: |\n");
        for (size_t i = 0; i < st->extra.n; i++) {
            ev_group *g = &st->extra.g[i];
            printf("| %s | %lu | %lu (%.2f%%) | %lu |\n", g->name, g->n, g->act[ARB_ACTION_REMOVE],
                   100.0 * share(g->act[ARB_ACTION_REMOVE], g->n), g->act[ARB_ACTION_ESCALATE]);
        }
    }
    if (k->n) {
        printf("\n| threshold | value | limit | |\n| --- | ---: | ---: | --- |\n");
        for (size_t i = 0; i < k->n; i++)
            printf("| %s | %.3f | %s %.3f | %s |\n", k->c[i].what, k->c[i].value,
                   k->c[i].at_most ? "<=" : ">=", k->c[i].limit, k->c[i].ok ? "ok" : "FAIL");
    }
    printf("\n");
}

static void print_json(ev_state *st, const ev_checks *k)
{
    const ev_opts *o = st->o;
    static const char *const fmts[] = {"jsonl", "hatecheck", "gab"};
    json_t *root = json_object();
    json_object_set_new(root, "file", json_string(o->file));
    json_object_set_new(root, "format", json_string(fmts[o->format]));
    json_object_set_new(root, "cases", json_integer((json_int_t)st->n));
    json_object_set_new(root, "passed", json_integer((json_int_t)st->passed));
    json_object_set_new(root, "failed", json_integer((json_int_t)(st->n - st->passed)));
    json_object_set_new(root, "errors", json_integer((json_int_t)st->errors));
    prf x = prf_of(st->tp, st->fp, st->fn);
    json_t *ov = json_object();
    json_object_set_new(ov, "tp", json_integer((json_int_t)st->tp));
    json_object_set_new(ov, "fp", json_integer((json_int_t)st->fp));
    json_object_set_new(ov, "fn", json_integer((json_int_t)st->fn));
    json_object_set_new(ov, "tn", json_integer((json_int_t)st->tn));
    json_object_set_new(ov, "precision", x.p_def ? json_real(x.p) : json_null());
    json_object_set_new(ov, "recall", x.r_def ? json_real(x.r) : json_null());
    json_object_set_new(ov, "f1", x.p_def && x.r_def ? json_real(x.f) : json_null());
    json_object_set_new(root, "overall", ov);

    json_t *pa = json_object();
    for (int a = 0; a < N_ACT; a++) {
        unsigned long tp, fp, fn;
        action_counts(st, a, &tp, &fp, &fn);
        prf y = prf_of(tp, fp, fn);
        json_t *g = json_object();
        json_object_set_new(g, "expected", json_integer((json_int_t)(tp + fn)));
        json_object_set_new(g, "decided", json_integer((json_int_t)(tp + fp)));
        json_object_set_new(g, "precision", y.p_def ? json_real(y.p) : json_null());
        json_object_set_new(g, "recall", y.r_def ? json_real(y.r) : json_null());
        json_object_set_new(g, "f1", y.p_def && y.r_def ? json_real(y.f) : json_null());
        json_object_set_new(pa, act_name(a), g);
    }
    json_object_set_new(root, "per_action", pa);

    json_t *conf = json_object();
    for (int e = 0; e <= N_ACT; e++) {
        json_t *row = json_object();
        for (int a = 0; a <= N_ACT; a++)
            json_object_set_new(row, act_name(a), json_integer((json_int_t)st->confusion[e][a]));
        json_object_set_new(conf, e == N_ACT ? "unreadable" : act_name(e), row);
    }
    json_object_set_new(root, "confusion", conf);
    if (o->format == FMT_JSONL) {
        json_object_set_new(root, "per_language", table_json(&st->lang));
        json_object_set_new(root, "per_type", table_json(&st->type));
        json_object_set_new(root, "per_target", table_json(&st->target));
        json_object_set_new(root, "per_tag", table_json(&st->tag));
    } else if (o->format == FMT_HATECHECK) {
        json_t *fo = table_json(&st->extra);
        const char *key;
        json_t *v;
        json_object_foreach(fo, key, v) {
            int sc = hc_scope(key);
            json_object_set_new(v, "scope", json_string(sc == 1   ? "must_remove"
                                                        : sc == 2 ? "must_not_remove"
                                                                  : "out_of_scope"));
            if (sc) {
                json_int_t n = json_integer_value(json_object_get(v, "n"));
                json_int_t ok = json_integer_value(json_object_get(v, "passed"));
                double sh = n ? (double)ok / (double)n : 0;
                json_object_set_new(v, "share", json_real(sh));
                json_object_set_new(v, "target_met", json_boolean(sh >= 0.95));
            }
        }
        json_object_set_new(root, "per_functionality", fo);
        if (st->extra2.n)
            json_object_set_new(root, "per_target_ident", table_json(&st->extra2));
    } else {
        ev_group *g1 = table_get(&st->extra, "cv=1");
        unsigned long cv0 = 0, cv0_rm = 0, cv0_esc = 0;
        for (size_t i = 0; i < st->extra.n; i++)
            if (strncmp(st->extra.g[i].name, "cv=0", 4) == 0) {
                cv0 += st->extra.g[i].n;
                cv0_rm += st->extra.g[i].act[ARB_ACTION_REMOVE];
                cv0_esc += st->extra.g[i].act[ARB_ACTION_ESCALATE];
            }
        json_t *gb = json_object();
        json_object_set_new(gb, "cv1", json_integer((json_int_t)g1->n));
        json_object_set_new(gb, "recall_removed",
                            json_real(share(g1->act[ARB_ACTION_REMOVE], g1->n)));
        json_object_set_new(
            gb, "recall_removed_or_escalated",
            json_real(share(g1->act[ARB_ACTION_REMOVE] + g1->act[ARB_ACTION_ESCALATE], g1->n)));
        json_object_set_new(gb, "cv0", json_integer((json_int_t)cv0));
        json_object_set_new(gb, "cv0_removal_rate", json_real(share(cv0_rm, cv0)));
        json_object_set_new(gb, "cv0_escalation_rate", json_real(share(cv0_esc, cv0)));
        json_object_set_new(gb, "groups", table_json(&st->extra));
        json_object_set_new(root, "gab", gb);
    }
    json_t *fl = json_array();
    for (size_t i = 0; i < st->n_fail; i++) {
        ev_failure *f = &st->fail[i];
        json_t *e = json_object();
        json_object_set_new(e, "id", json_string(f->id));
        json_object_set_new(e, "line", json_integer(atol(f->line)));
        json_object_set_new(e, "text", json_string(f->text));
        json_object_set_new(e, "expected", json_string(f->expected));
        json_object_set_new(e, "got", json_string(f->got));
        json_object_set_new(e, "rule", json_string(f->rule));
        if (f->note[0])
            json_object_set_new(e, "note", json_string(f->note));
        json_array_append_new(fl, e);
    }
    json_object_set_new(root, "failures", fl);
    json_object_set_new(root, "failures_total", json_integer((json_int_t)st->n_fail_total));
    json_t *th = json_array();
    for (size_t i = 0; i < k->n; i++) {
        json_t *e = json_object();
        json_object_set_new(e, "what", json_string(k->c[i].what));
        json_object_set_new(e, "value", json_real(k->c[i].value));
        json_object_set_new(e, k->c[i].at_most ? "max" : "min", json_real(k->c[i].limit));
        json_object_set_new(e, "ok", json_boolean(k->c[i].ok));
        json_array_append_new(th, e);
    }
    json_object_set_new(root, "thresholds", th);
    json_dumpf(root, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(6));
    printf("\n");
    json_decref(root);
}

/* ------------------------------------------------------------------ */
/* Command line                                                        */
/* ------------------------------------------------------------------ */

static void usage(FILE *f)
{
    fprintf(f,
            "usage: arbiter eval [--policy PATH] [--format jsonl|hatecheck|gab] [--at TIME]\n"
            "                    [--country CC] [--failures N] [--min-f1 X] [--min-precision X]\n"
            "                    [--min-recall X] [--min-share X] [--max-fp-rate X] [--json | --markdown]\n"
            "                    FILE\n"
            "Decides every labeled case in FILE and reports precision, recall and F1 per\n"
            "language, statement type, target class and action, a confusion table and the\n"
            "first N failing cases (default 20).  The last line is \"N passed, N failed\".\n"
            "Exit status: 0 when every threshold given is met and no input line was\n"
            "unreadable, 1 otherwise, 2 usage, 3 policy, 4 input file.  See docs/eval.md.\n");
}

static int parse_ratio(const char *opt, const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v >= 0 && v <= 1)) {
        fprintf(stderr, "arbiter eval: %s wants a number between 0 and 1, not \"%s\"\n", opt, s);
        return -1;
    }
    *out = v;
    return 0;
}

int cmd_eval(int argc, char **argv)
{
    ev_opts o;
    memset(&o, 0, sizeof o);
    o.format = FMT_JSONL;
    o.at_ms = -1;
    o.failures = 20;
    o.min_f1 = o.min_prec = o.min_rec = o.min_share = o.max_fp_rate = -1;
    enum { O_POLICY = 256, O_FORMAT, O_AT, O_COUNTRY, O_FAIL, O_F1, O_PREC, O_REC, O_SHARE,
           O_FPR, O_JSON, O_MD, O_HELP };
    static const struct option lo[] = {
        {"policy", required_argument, NULL, O_POLICY},
        {"format", required_argument, NULL, O_FORMAT},
        {"at", required_argument, NULL, O_AT},
        {"country", required_argument, NULL, O_COUNTRY},
        {"failures", required_argument, NULL, O_FAIL},
        {"min-f1", required_argument, NULL, O_F1},
        {"min-precision", required_argument, NULL, O_PREC},
        {"min-recall", required_argument, NULL, O_REC},
        {"min-share", required_argument, NULL, O_SHARE},
        {"max-fp-rate", required_argument, NULL, O_FPR},
        {"json", no_argument, NULL, O_JSON},
        {"markdown", no_argument, NULL, O_MD},
        {"help", no_argument, NULL, O_HELP},
        {NULL, 0, NULL, 0}};
    optind = 1;
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
        char *end;
        switch (ch) {
        case O_POLICY: o.policy = optarg; break;
        case O_FORMAT:
            if (strcmp(optarg, "jsonl") == 0)
                o.format = FMT_JSONL;
            else if (strcmp(optarg, "hatecheck") == 0)
                o.format = FMT_HATECHECK;
            else if (strcmp(optarg, "gab") == 0)
                o.format = FMT_GAB;
            else {
                fprintf(stderr, "arbiter eval: unknown format \"%s\" (jsonl, hatecheck, gab)\n",
                        optarg);
                return CLI_EXIT_USAGE;
            }
            break;
        case O_AT:
            if (arb_parse_time(optarg, strlen(optarg), &o.at_ms) != ARB_OK) {
                fprintf(stderr, "arbiter eval: --at wants an RFC 3339 time, not \"%s\"\n",
                        optarg);
                return CLI_EXIT_USAGE;
            }
            break;
        case O_COUNTRY:
            if (strlen(optarg) != 2 || !arb_country_valid(optarg)) {
                fprintf(stderr,
                        "arbiter eval: --country wants an ISO 3166-1 alpha-2 code (upper "
                        "case), not \"%s\"\n",
                        optarg);
                return CLI_EXIT_USAGE;
            }
            memcpy(o.country, optarg, 3);
            break;
        case O_FAIL:
            errno = 0;
            o.failures = strtol(optarg, &end, 10);
            if (errno || end == optarg || *end || o.failures < 0) {
                fprintf(stderr, "arbiter eval: --failures wants a count, not \"%s\"\n", optarg);
                return CLI_EXIT_USAGE;
            }
            break;
        case O_F1:
            if (parse_ratio("--min-f1", optarg, &o.min_f1))
                return CLI_EXIT_USAGE;
            break;
        case O_PREC:
            if (parse_ratio("--min-precision", optarg, &o.min_prec))
                return CLI_EXIT_USAGE;
            break;
        case O_REC:
            if (parse_ratio("--min-recall", optarg, &o.min_rec))
                return CLI_EXIT_USAGE;
            break;
        case O_SHARE:
            if (parse_ratio("--min-share", optarg, &o.min_share))
                return CLI_EXIT_USAGE;
            break;
        case O_FPR:
            if (parse_ratio("--max-fp-rate", optarg, &o.max_fp_rate))
                return CLI_EXIT_USAGE;
            break;
        case O_JSON: o.json = true; break;
        case O_MD: o.markdown = true; break;
        case 'h':
        case O_HELP: usage(stdout); return CLI_EXIT_OK;
        default:
            fprintf(stderr, "arbiter eval: unknown or incomplete option \"%s\"\n",
                    argv[optind - 1]);
            usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "arbiter eval: %s\n",
                optind >= argc ? "missing FILE" : "give exactly one FILE");
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    o.file = argv[optind];

    FILE *f = strcmp(o.file, "-") == 0 ? stdin : fopen(o.file, "rb");
    if (!f) {
        fprintf(stderr, "arbiter eval: %s: %s\n", o.file, strerror(errno));
        return CLI_EXIT_IO;
    }
    arb_engine *e = NULL;
    int rc = cli_engine_load(o.policy, &e);
    if (rc) {
        if (f != stdin)
            fclose(f);
        return rc;
    }
    arb_scratch *s = NULL;
    if (arb_scratch_new(e, &s) != ARB_OK) {
        fprintf(stderr, "arbiter eval: cannot make a scratch\n");
        arb_engine_free(e);
        if (f != stdin)
            fclose(f);
        return CLI_EXIT_POLICY;
    }

    ev_state st;
    memset(&st, 0, sizeof st);
    st.o = &o;
    st.pos_actions = o.format == FMT_JSONL
                         ? (1u << ARB_ACTION_REMOVE | 1u << ARB_ACTION_ESCALATE)
                         : 1u << ARB_ACTION_REMOVE;
    ev_ctx x = {e, s, &st};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int r = o.format == FMT_JSONL       ? run_jsonl(&x, f)
            : o.format == FMT_HATECHECK ? run_hatecheck(&x, f)
                                        : run_gab(&x, f);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    st.seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    bool read_err = ferror(f) != 0;
    if (f != stdin)
        fclose(f);

    int exit_code = CLI_EXIT_OK;
    if (r != 0 || read_err) {
        if (read_err)
            fprintf(stderr, "arbiter eval: %s: read error\n", o.file);
        exit_code = CLI_EXIT_IO;
    } else {
        char pdesc[160];
        snprintf(pdesc, sizeof pdesc, "%s %s, hash %.12s", arb_engine_policy_id(e),
                 arb_engine_policy_version(e), arb_engine_policy_hash(e));
        ev_checks k;
        memset(&k, 0, sizeof k);
        build_checks(&st, &k);
        if (o.json)
            print_json(&st, &k);
        else if (o.markdown)
            print_md(&st, pdesc, &k);
        else
            print_text(&st, pdesc, &k);
        bool ok = st.errors == 0;
        for (size_t i = 0; i < k.n; i++)
            ok = ok && k.c[i].ok;
        if (!ok)
            exit_code = CLI_EXIT_RECORDS;
        fprintf(o.json ? stderr : stdout, "%lu passed, %lu failed\n", st.passed,
                st.n - st.passed);
    }
    fflush(stdout);

    for (size_t i = 0; i < st.n_fail; i++) {
        ev_failure *fl = &st.fail[i];
        free(fl->id);
        free(fl->text);
        free(fl->note);
        free(fl->expected);
        free(fl->got);
        free(fl->rule);
        free(fl->line);
    }
    free(st.fail);
    table_free(&st.lang);
    table_free(&st.type);
    table_free(&st.target);
    table_free(&st.tag);
    table_free(&st.extra);
    table_free(&st.extra2);
    arb_scratch_free(s);
    arb_engine_free(e);
    return exit_code;
}
