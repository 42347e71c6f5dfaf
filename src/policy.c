/*
 * policy.c -- YAML policy packs -> compiled policy; evaluation; the public
 * introspection API (arb_policy_*) used by `arbiter policy ...`.
 *
 * A pack is a list of YAML sources (files sorted by name).  Each source is
 * a mapping with any of the keys `pack`, `default`, `rules`, `overlays`;
 * rules and overlays accumulate in source order.  docs/policy.md is the
 * language reference.  The loader:
 *   - streams libfyaml events into a small tree of its own that keeps every
 *     node's file:line:column, refusing aliases (no billion laughs), more
 *     than max_policy_depth levels, more than max_policy_bytes per source;
 *   - rejects unknown keys, unknown countries, times, enum names, duplicate
 *     ids, overrides of unknown or floor rules, overlays that would allow
 *     what a floor removes, temporary overlays without an end, more than
 *     max_rules rules;
 *   - reports every error it can find (lint), the first one through
 *     arb_error (compile).
 *
 * Evaluation (arb__policy_evaluate) is pure and deterministic.  For each
 * statement: (1) the first matching floor rule decides; (2) otherwise the
 * first matching base rule R is found, and the first overlay sub-rule in
 * force (pack order, then rule order) that overrides R, matches, and whose
 * `unless` clauses do not match, decides instead of R; (3) no rule: the
 * pack's default rule.  Across statements the most severe action wins
 * (remove > escalate > restrict > allow), ties going to the first
 * statement.  No statement: the default rule, statement index -1.
 *
 * Invariants: the compiled policy lives in one arena owned by the policy and
 * is immutable after compile; evaluation allocates only from the caller's
 * arena and never fails except for that arena's cap.
 */
#include "internal.h"

#include <libfyaml.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ================================================================== */
/* YAML tree with positions                                            */
/* ================================================================== */

enum { Y_SCALAR, Y_MAP, Y_SEQ };

typedef struct ynode {
    int kind;
    unsigned line, col;
    const char *str; /* scalar text, NUL-terminated */
    size_t len;
    struct ynode *first, *last, *next; /* children; maps alternate key, value */
    size_t n;                          /* children count */
} ynode;

/* ================================================================== */
/* Compiled policy                                                     */
/* ================================================================== */

typedef struct tmatch { /* one alternative of a target matcher */
    uint32_t classes;   /* bit per arb_target_class; 0 = any */
    const char **entities;
    size_t n_entities;
    const char **affs; /* "" stands for "none" */
    size_t n_affs;
    const char **labels;
    size_t n_labels;
} tmatch;

typedef struct cond {
    uint32_t types; /* bit per arb_stmt_type; 0 = any */
    int min_sev, max_sev;
    tmatch *target; /* alternatives; n_target == 0: no target criterion */
    size_t n_target;
    int other_targets; /* -1 any, 0 absent, 1 present */
    uint32_t cred_any, cred_none, cred_of;
    unsigned cred_min;
    uint32_t mod_any, mod_none;
    const char **langs;
    size_t n_langs;
    const char *words; /* plain-words description */
} cond;

typedef struct example {
    const char *text;
    char country[4], viewer[4];
    int64_t at_ms;
    arb_action expect;
    const char *expect_rule;
    const char *rule, *overlay;
    const char *source;
    unsigned line, col;
} example;

typedef struct rule {
    const char *id;
    cond c;
    arb_action action;
    const char *visible_in;
    bool floor;
    const char *reason;
    /* overlay sub-rules */
    const char **overrides;
    size_t n_overrides;
    const char *overrides_str; /* comma-joined */
    size_t *ovr_idx; /* resolved base rule indices */
    cond *unless;
    size_t n_unless;
    const char *unless_words;
    const char *source;
    unsigned line, col;
} rule;

typedef struct oversion {
    const char *version;
    int64_t effective;
    char (*countries)[4];
    size_t n_countries;
    const char *countries_str;
    cond *unless;
    size_t n_unless;
    const char *unless_words;
    const char *note;
    const char *revoked;
    rule **rules; /* in force in this version (pointers into overlay store) */
    size_t n_rules;
    unsigned line, col;
} oversion;

typedef struct overlay {
    const char *id, *title, *end_note;
    bool temporary;
    int64_t start, end;
    oversion *versions;
    size_t n_versions;
    const char *source;
    unsigned line, col;
} overlay;

struct arb__policy {
    const arb_allocator *a;
    arb_allocator alloc;
    arb__arena *ar;
    char hash[65];
    const char *id, *version, *owners, *changelog;
    rule *rules;
    size_t n_rules;
    rule deflt;
    overlay *overlays;
    size_t n_overlays;
    example *examples;
    size_t n_examples;
};

/* ================================================================== */
/* Compile context                                                     */
/* ================================================================== */

typedef struct ctx {
    const arb_limits *lim;
    arb__arena *ar;  /* policy arena */
    arb__arena *tmp; /* YAML trees */
    arb__policy *p;
    const char *src; /* current source name */
    arb_error *err;
    arb_diag_fn diag;
    void *ud;
    size_t n_errors;
    arb_status first_st;
    bool nomem;
    unsigned n_rules_total;
    bool have_pack, have_default;
    /* growable lists (in tmp arena; copied at the end) */
    rule *rules;
    size_t n_rules, cap_rules;
    overlay *ovs;
    size_t n_ovs, cap_ovs;
    example *exs;
    size_t n_exs, cap_exs;
} ctx;

static void report(ctx *c, arb_status st, unsigned line, unsigned col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void report(ctx *c, arb_status st, unsigned line, unsigned col, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (c->n_errors == 0) {
        c->first_st = st;
        arb__error_set(c->err, st, c->src, line, col, "%s", msg);
    }
    c->n_errors++;
    if (c->diag)
        c->diag(c->ud, ARB_DIAG_ERROR, c->src, line, col, msg);
}

static void *cx_alloc(ctx *c, size_t n)
{
    void *p = arb__arena_calloc(c->ar, n);
    if (!p && !c->nomem) {
        c->nomem = true;
        report(c, ARB_NOMEM, 0, 0, "out of memory compiling the policy");
    }
    return p;
}

static const char *cx_strdup(ctx *c, const char *s)
{
    size_t n = strlen(s);
    char *p = cx_alloc(c, n + 1);
    if (p)
        memcpy(p, s, n + 1);
    return p ? p : "";
}

/* Grows an array in arena `ar` (old storage is abandoned to the arena). */
static bool grow(arb__arena *ar, void **arr, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap)
        return true;
    size_t nc = *cap ? *cap * 2 : 8;
    void *np = arb__arena_calloc(ar, nc * elem);
    if (!np)
        return false;
    if (n)
        memcpy(np, *arr, n * elem);
    *arr = np;
    *cap = nc;
    return true;
}

/* ================================================================== */
/* YAML parsing                                                        */
/* ================================================================== */

static void quiet_output(struct fy_diag *d, void *u, const char *b, size_t l)
{
    (void)d;
    (void)u;
    (void)b;
    (void)l;
}

static ynode *ynew(ctx *c, int kind, const struct fy_mark *m)
{
    ynode *n = arb__arena_calloc(c->tmp, sizeof *n);
    if (!n)
        return NULL;
    n->kind = kind;
    n->line = m ? (unsigned)m->line + 1 : 0;
    n->col = m ? (unsigned)m->column + 1 : 0;
    return n;
}

static void yadd(ynode *parent, ynode *kid)
{
    if (parent->last)
        parent->last->next = kid;
    else
        parent->first = kid;
    parent->last = kid;
    parent->n++;
}

/* Checks the bytes before libfyaml sees them: valid UTF-8, no control
 * characters other than tab / LF / CR, and no `%` directive lines (policies
 * need none, and libfyaml 0.7 can loop forever scanning malformed ones). */
static bool yprecheck(ctx *c, const arb_source *s)
{
    const unsigned char *p = (const unsigned char *)s->data;
    unsigned line = 1, col = 1;
    for (size_t i = 0; i < s->len;) {
        unsigned char b = p[i];
        size_t k = 1;
        if (b == '\n') {
            line++;
            col = 1;
            i++;
            continue;
        }
        if (b == '%' && col == 1) {
            report(c, ARB_PARSE, line, col,
                   "YAML directives (%%YAML, %%TAG) are not supported in policies");
            return false;
        }
        if (b < 0x20 && b != '\t' && b != '\r') {
            report(c, ARB_PARSE, line, col, "control character 0x%02x is not allowed", b);
            return false;
        }
        if (b == 0x7f) {
            report(c, ARB_PARSE, line, col, "control character 0x7f is not allowed");
            return false;
        }
        if (b >= 0x80) {
            uint32_t cp;
            if (b >= 0xc2 && b <= 0xdf)
                k = 2, cp = b & 0x1fu;
            else if (b >= 0xe0 && b <= 0xef)
                k = 3, cp = b & 0x0fu;
            else if (b >= 0xf0 && b <= 0xf4)
                k = 4, cp = b & 0x07u;
            else
                k = 0, cp = 0;
            bool ok = k && i + k <= s->len;
            for (size_t j = 1; ok && j < k; j++) {
                ok = (p[i + j] & 0xc0) == 0x80;
                cp = cp << 6 | (p[i + j] & 0x3fu);
            }
            if (ok && ((k == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
                       (k == 4 && (cp < 0x10000 || cp > 0x10ffff))))
                ok = false;
            if (!ok) {
                report(c, ARB_PARSE, line, col, "invalid UTF-8");
                return false;
            }
        }
        i += k;
        col++;
    }
    return true;
}

/* Parses one source into a tree.  Returns NULL (after reporting) on error;
 * *empty is set when the source holds no document. */
static ynode *yparse(ctx *c, const arb_source *s, bool *empty)
{
    *empty = false;
    if (!yprecheck(c, s))
        return NULL;
    struct fy_diag_cfg dc;
    fy_diag_cfg_default(&dc);
    dc.fp = NULL;
    dc.output_fn = quiet_output;
    dc.colorize = false;
    struct fy_diag *diag = fy_diag_create(&dc);
    if (!diag) {
        report(c, ARB_NOMEM, 0, 0, "out of memory creating the YAML parser");
        return NULL;
    }
    fy_diag_set_collect_errors(diag, true);
    struct fy_parse_cfg pc;
    memset(&pc, 0, sizeof pc);
    pc.flags = FYPCF_QUIET;
    pc.diag = diag;
    struct fy_parser *fyp = fy_parser_create(&pc);
    if (!fyp) {
        fy_diag_destroy(diag);
        report(c, ARB_NOMEM, 0, 0, "out of memory creating the YAML parser");
        return NULL;
    }
    ynode *root = NULL;
    ynode *stack[258];
    unsigned depth = 0, maxd = c->lim->max_policy_depth;
    if (maxd > 256)
        maxd = 256;
    bool failed = false, done = false;
    int docs = 0;
    /* libfyaml wants a non-NULL pointer even for empty input */
    if (fy_parser_set_string(fyp, s->len ? s->data : "", s->len) != 0) {
        report(c, ARB_PARSE, 1, 1, "cannot read the YAML source");
        failed = true;
    }
    struct fy_event *ev;
    while (!failed && !done && (ev = fy_parser_parse(fyp)) != NULL) {
        const struct fy_mark *m = fy_event_start_mark(ev);
        ynode *n = NULL;
        switch (ev->type) {
        case FYET_DOCUMENT_START:
            if (++docs > 1) {
                report(c, ARB_PARSE, m ? (unsigned)m->line + 1 : 0,
                       m ? (unsigned)m->column + 1 : 0,
                       "a policy file holds one YAML document; found a second");
                failed = true;
            }
            break;
        case FYET_ALIAS: {
            /* libfyaml marks the alias name; point at its '*' */
            unsigned col = m ? (unsigned)m->column + 1 : 0;
            if (m && col > 1 && m->input_pos > 0 && m->input_pos <= s->len &&
                s->data[m->input_pos - 1] == '*')
                col--;
            report(c, ARB_PARSE, m ? (unsigned)m->line + 1 : 0, col,
                   "YAML aliases are not allowed in policies; write the value out");
            failed = true;
            break;
        }
        case FYET_SCALAR:
        case FYET_MAPPING_START:
        case FYET_SEQUENCE_START:
            n = ynew(c, ev->type == FYET_SCALAR        ? Y_SCALAR
                        : ev->type == FYET_MAPPING_START ? Y_MAP
                                                         : Y_SEQ,
                     m);
            if (!n) {
                report(c, ARB_NOMEM, 0, 0, "out of memory reading YAML");
                failed = true;
                break;
            }
            if (ev->type == FYET_SCALAR) {
                /* read through a token iterator: fy_token_get_text() caches a
                 * buffer that libfyaml 0.7 can leak when a parse error follows */
                struct fy_token *tok = ev->scalar.value;
                size_t l = tok ? fy_token_get_text_length(tok) : 0;
                char *buf = l < SIZE_MAX ? arb__arena_alloc(c->tmp, l + 1) : NULL;
                struct fy_token_iter *ti = tok && buf ? fy_token_iter_create(tok) : NULL;
                size_t got = 0;
                int ierr = tok && !ti ? -1 : 0;
                if (ti) {
                    const struct fy_iter_chunk *ch = NULL;
                    while ((ch = fy_token_iter_chunk_next(ti, ch, &ierr)) != NULL) {
                        if (ch->len > l - got) {
                            ierr = -1;
                            break;
                        }
                        memcpy(buf + got, ch->str, ch->len);
                        got += ch->len;
                    }
                    fy_token_iter_destroy(ti);
                }
                if (!buf || ierr || got != l) {
                    report(c, ARB_NOMEM, 0, 0, "out of memory reading YAML");
                    failed = true;
                    break;
                }
                buf[l] = '\0';
                n->str = buf;
                n->len = l;
            }
            if (depth)
                yadd(stack[depth - 1], n);
            else
                root = n;
            if (ev->type != FYET_SCALAR) {
                if (depth >= maxd) {
                    report(c, ARB_TOO_BIG, n->line, n->col,
                           "YAML nesting deeper than the limit of %u levels",
                           c->lim->max_policy_depth);
                    failed = true;
                    break;
                }
                stack[depth++] = n;
            }
            break;
        case FYET_MAPPING_END:
        case FYET_SEQUENCE_END:
            if (depth)
                depth--;
            break;
        case FYET_STREAM_END:
            done = true;
            break;
        default:
            break;
        }
        fy_parser_event_free(fyp, ev);
    }
    if (!failed && !done) {
        /* the parser stopped on an error: take the first collected one */
        void *it = NULL;
        struct fy_diag_error *de = fy_diag_errors_iterate(diag, &it);
        if (de) /* libfyaml's collected errors are already 1-based */
            report(c, ARB_PARSE, de->line > 0 ? (unsigned)de->line : 0,
                   de->column > 0 ? (unsigned)de->column : 0, "YAML syntax error: %s",
                   de->msg ? de->msg : "invalid YAML");
        else
            report(c, ARB_PARSE, 0, 0, "YAML syntax error");
        failed = true;
    }
    fy_parser_destroy(fyp);
    fy_diag_destroy(diag);
    if (failed)
        return NULL;
    if (!root)
        *empty = true;
    return root;
}

/* ================================================================== */
/* Tree helpers                                                        */
/* ================================================================== */

static const char *kind_name(int k)
{
    return k == Y_SCALAR ? "a scalar" : k == Y_MAP ? "a mapping" : "a list";
}

static bool expect_kind(ctx *c, const ynode *n, int kind, const char *what)
{
    if (n->kind == kind)
        return true;
    report(c, ARB_POLICY, n->line, n->col, "%s must be %s, not %s", what, kind_name(kind),
           kind_name(n->kind));
    return false;
}

/* Checks that every key of map `m` is in `keys` (NULL-terminated) and
 * unique.  Returns false after reporting otherwise (continuing). */
static bool check_keys(ctx *c, const ynode *m, const char *const *keys, const char *what)
{
    bool ok = true;
    for (const ynode *k = m->first; k; k = k->next ? k->next->next : NULL) {
        if (k->kind != Y_SCALAR) {
            report(c, ARB_POLICY, k->line, k->col, "keys in %s must be plain words", what);
            ok = false;
            continue;
        }
        bool known = false;
        for (size_t i = 0; keys[i]; i++)
            if (strcmp(keys[i], k->str) == 0)
                known = true;
        if (!known) {
            char list[256] = "";
            size_t off = 0;
            for (size_t i = 0; keys[i] && off < sizeof list; i++)
                off += (size_t)snprintf(list + off, sizeof list - off, "%s%s", i ? ", " : "",
                                        keys[i]);
            report(c, ARB_POLICY, k->line, k->col, "unknown key \"%s\" in %s (expected one of: %s)",
                   k->str, what, list);
            ok = false;
        }
        for (const ynode *k2 = m->first; k2 != k; k2 = k2->next->next)
            if (k2->kind == Y_SCALAR && strcmp(k2->str, k->str) == 0) {
                report(c, ARB_POLICY, k->line, k->col, "duplicate key \"%s\" in %s", k->str,
                       what);
                ok = false;
                break;
            }
    }
    return ok;
}

static ynode *yget(const ynode *m, const char *key)
{
    if (!m || m->kind != Y_MAP)
        return NULL;
    for (ynode *k = m->first; k && k->next; k = k->next->next)
        if (k->kind == Y_SCALAR && strcmp(k->str, key) == 0)
            return k->next;
    return NULL;
}

static const char *scalar(ctx *c, const ynode *n, const char *what)
{
    if (!n)
        return NULL;
    if (!expect_kind(c, n, Y_SCALAR, what))
        return NULL;
    return n->str;
}

static const char *req_scalar(ctx *c, const ynode *m, const char *key, const char *what)
{
    ynode *n = yget(m, key);
    if (!n) {
        report(c, ARB_POLICY, m->line, m->col, "%s needs \"%s\"", what, key);
        return NULL;
    }
    return scalar(c, n, key);
}

/* A scalar or a list of scalars, as an arena array of strings. */
static bool str_list(ctx *c, const ynode *n, const char *what, const char ***out, size_t *nout)
{
    *out = NULL;
    *nout = 0;
    if (!n)
        return true;
    size_t cnt = n->kind == Y_SEQ ? n->n : 1;
    if (n->kind == Y_MAP) {
        report(c, ARB_POLICY, n->line, n->col, "%s must be a word or a list of words", what);
        return false;
    }
    const char **arr = cx_alloc(c, (cnt ? cnt : 1) * sizeof *arr);
    if (!arr)
        return false;
    size_t i = 0;
    bool ok = true;
    if (n->kind == Y_SCALAR) {
        arr[i++] = cx_strdup(c, n->str);
    } else {
        for (const ynode *k = n->first; k; k = k->next) {
            if (k->kind != Y_SCALAR) {
                report(c, ARB_POLICY, k->line, k->col, "items of %s must be words", what);
                ok = false;
                continue;
            }
            arr[i++] = cx_strdup(c, k->str);
        }
    }
    *out = arr;
    *nout = i;
    return ok;
}

static bool parse_bool(ctx *c, const ynode *n, const char *what, bool *out)
{
    if (!n)
        return true;
    if (!expect_kind(c, n, Y_SCALAR, what))
        return false;
    if (!strcmp(n->str, "true") || !strcmp(n->str, "yes")) {
        *out = true;
        return true;
    }
    if (!strcmp(n->str, "false") || !strcmp(n->str, "no")) {
        *out = false;
        return true;
    }
    report(c, ARB_POLICY, n->line, n->col, "%s must be true or false, not \"%s\"", what, n->str);
    return false;
}

static bool parse_time_node(ctx *c, const ynode *n, const char *what, int64_t *out)
{
    if (!expect_kind(c, n, Y_SCALAR, what))
        return false;
    if (arb_parse_time(n->str, n->len, out) != ARB_OK) {
        report(c, ARB_POLICY, n->line, n->col,
               "%s \"%s\" is not an RFC 3339 time such as 2022-03-10T00:00:00Z", what, n->str);
        return false;
    }
    return true;
}

static bool country_ok(ctx *c, const ynode *at, const char *cc, const char *what)
{
    if (strlen(cc) == 2 && arb_country_valid(cc))
        return true;
    report(c, ARB_COUNTRY, at->line, at->col,
           "unknown country code \"%s\" in %s (ISO 3166-1 alpha-2, upper case)", cc, what);
    return false;
}

/* A list of countries -> array of char[4]; reports each bad code at its node. */
static bool country_list(ctx *c, const ynode *n, const char *what, char (**out)[4], size_t *nout,
                         const char **joined)
{
    *out = NULL;
    *nout = 0;
    if (joined)
        *joined = "";
    if (!n)
        return true;
    if (n->kind == Y_MAP) {
        report(c, ARB_POLICY, n->line, n->col, "%s must be a list of country codes", what);
        return false;
    }
    size_t cnt = n->kind == Y_SEQ ? n->n : 1;
    char(*arr)[4] = cx_alloc(c, (cnt ? cnt : 1) * sizeof *arr);
    char *js = cx_alloc(c, cnt * 3 + 1);
    size_t jl = 0;
    if (!arr || !js)
        return false;
    size_t i = 0;
    bool ok = true;
    for (const ynode *k = n->kind == Y_SEQ ? n->first : n; k; k = n->kind == Y_SEQ ? k->next : NULL) {
        if (k->kind != Y_SCALAR || !country_ok(c, k, k->kind == Y_SCALAR ? k->str : "?", what)) {
            ok = false;
            continue;
        }
        memcpy(arr[i], k->str, 3);
        if (i)
            js[jl++] = ',';
        memcpy(js + jl, k->str, 3); /* two letters and the NUL */
        jl += 2;
        i++;
    }
    *out = arr;
    *nout = i;
    if (joined)
        *joined = js;
    return ok;
}

/* ================================================================== */
/* Conditions                                                          */
/* ================================================================== */

static bool bits_list(ctx *c, const ynode *n, const char *what, uint32_t (*from)(const char *),
                      uint32_t *out)
{
    *out = 0;
    if (!n)
        return true;
    const char **names;
    size_t k;
    if (!str_list(c, n, what, &names, &k))
        return false;
    bool ok = true;
    const ynode *it = n->kind == Y_SEQ ? n->first : n;
    for (size_t i = 0; i < k; i++, it = it ? it->next : NULL) {
        uint32_t b = from(names[i]);
        if (!b) {
            report(c, ARB_POLICY, it ? it->line : n->line, it ? it->col : n->col,
                   "unknown %s \"%s\"", what, names[i]);
            ok = false;
        }
        *out |= b;
    }
    return ok;
}

static uint32_t type_bit(const char *s)
{
    int v = arb_stmt_type_from_name(s);
    return v < 0 ? 0 : 1u << v;
}

static uint32_t class_bit(const char *s)
{
    int v = arb_target_class_from_name(s);
    return v < 0 ? 0 : 1u << v;
}

static bool parse_tmatch(ctx *c, const ynode *n, tmatch *t)
{
    static const char *const keys[] = {"classes", "entities", "affiliation", "labels", NULL};
    memset(t, 0, sizeof *t);
    if (!expect_kind(c, n, Y_MAP, "target"))
        return false;
    bool ok = check_keys(c, n, keys, "target");
    ok &= bits_list(c, yget(n, "classes"), "target class", class_bit, &t->classes);
    ok &= str_list(c, yget(n, "entities"), "entities", &t->entities, &t->n_entities);
    ok &= str_list(c, yget(n, "labels"), "labels", &t->labels, &t->n_labels);
    const ynode *af = yget(n, "affiliation");
    if (af) {
        ok &= str_list(c, af, "affiliation", &t->affs, &t->n_affs);
        const ynode *it = af->kind == Y_SEQ ? af->first : af;
        for (size_t i = 0; i < t->n_affs; i++, it = it ? it->next : NULL) {
            if (!strcmp(t->affs[i], "none"))
                t->affs[i] = "";
            else if (!country_ok(c, it ? it : af, t->affs[i], "affiliation"))
                ok = false;
        }
    }
    if (!t->classes && !t->n_entities && !t->n_affs && !t->n_labels) {
        report(c, ARB_POLICY, n->line, n->col,
               "target needs at least one of classes, entities, affiliation, labels");
        ok = false;
    }
    return ok;
}

static void words_list(arb__buf *b, const char *const *v, size_t n, const char *conj)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            arb__buf_puts(b, i + 1 == n ? conj : ", ");
        arb__buf_puts(b, v[i][0] ? v[i] : "none");
    }
}

static void words_bits(arb__buf *b, uint32_t bits, const char *(*name)(uint32_t), const char *conj)
{
    const char *v[32];
    size_t n = 0;
    for (unsigned i = 0; i < 32; i++)
        if ((bits >> i) & 1u) {
            const char *s = name(1u << i);
            if (s)
                v[n++] = s;
        }
    words_list(b, v, n, conj);
}

static const char *type_name_bit(uint32_t bit)
{
    return arb_stmt_type_name((arb_stmt_type)__builtin_ctz(bit));
}
static const char *class_name_bit(uint32_t bit)
{
    return arb_target_class_name((arb_target_class)__builtin_ctz(bit));
}

static void describe_tmatch(arb__buf *b, const tmatch *t)
{
    bool any = false;
    if (t->classes) {
        words_bits(b, t->classes, class_name_bit, " or ");
        any = true;
    }
    if (t->n_entities) {
        arb__buf_puts(b, any ? " " : "");
        arb__buf_puts(b, "(entity ");
        words_list(b, t->entities, t->n_entities, " or ");
        arb__buf_puts(b, ")");
        any = true;
    }
    if (t->n_affs) {
        arb__buf_puts(b, any ? " " : "");
        arb__buf_puts(b, "affiliated with ");
        words_list(b, t->affs, t->n_affs, " or ");
        any = true;
    }
    if (t->n_labels) {
        arb__buf_puts(b, any ? " " : "");
        arb__buf_puts(b, "labelled ");
        words_list(b, t->labels, t->n_labels, " or ");
    }
}

/* The condition in plain words.  `clause`: for an unless clause, leave out
 * the "any violent statement" subject when the condition has no type. */
static const char *describe_cond(ctx *c, const cond *d, bool clause)
{
    arb__buf b;
    arb__buf_init(&b, c->ar, 256);
    arb__buf_puts(&b, "");
    if (d->types) {
        arb__buf_puts(&b, "statements of type ");
        words_bits(&b, d->types, type_name_bit, " or ");
    } else if (!clause || d->n_target || d->min_sev > 0 || d->max_sev < 3) {
        arb__buf_puts(&b, "any violent statement");
    }
    if (d->min_sev > 0 && d->max_sev < 3)
        arb__buf_printf(&b, " of severity %s to %s", arb_severity_name(d->min_sev),
                        arb_severity_name(d->max_sev));
    else if (d->min_sev > 0)
        arb__buf_printf(&b, " of severity %s or more", arb_severity_name(d->min_sev));
    else if (d->max_sev < 3)
        arb__buf_printf(&b, " of severity %s or less", arb_severity_name(d->max_sev));
    if (d->n_target) {
        arb__buf_puts(&b, " against ");
        for (size_t i = 0; i < d->n_target; i++) {
            if (i)
                arb__buf_puts(&b, " or ");
            describe_tmatch(&b, &d->target[i]);
        }
    }
    if (d->other_targets == 0)
        arb__buf_puts(&b, ", with no other target named in the post");
    else if (d->other_targets == 1)
        arb__buf_puts(&b, ", the post also names another target");
    if (d->cred_any) {
        arb__buf_puts(&b, ", with a sign of credibility (");
        words_bits(&b, d->cred_any, arb_cred_name, " or ");
        arb__buf_puts(&b, ")");
    }
    if (d->cred_min) {
        arb__buf_printf(&b, ", with at least %u credibility signals", d->cred_min);
        if (d->cred_of) {
            arb__buf_puts(&b, " among ");
            words_bits(&b, d->cred_of, arb_cred_name, ", ");
        }
    }
    if (d->cred_none) {
        arb__buf_puts(&b, ", with no ");
        words_bits(&b, d->cred_none, arb_cred_name, " or ");
    }
    if (d->mod_any) {
        arb__buf_puts(&b, ", marked as ");
        words_bits(&b, d->mod_any, arb_mod_name, " or ");
    }
    if (d->mod_none) {
        arb__buf_puts(&b, ", not marked as ");
        words_bits(&b, d->mod_none, arb_mod_name, " or ");
    }
    if (d->n_langs) {
        arb__buf_puts(&b, ", in ");
        words_list(&b, d->langs, d->n_langs, " or ");
    }
    if (b.failed)
        return "";
    return b.p[0] == ',' ? b.p + 2 : b.p;
}

static bool parse_cond(ctx *c, const ynode *n, cond *d, const char *what, bool clause)
{
    static const char *const keys[] = {"types",         "min_severity", "max_severity",
                                       "target",        "other_targets", "credibility",
                                       "modifiers",     "lang",          NULL};
    static const char *const ckeys[] = {"any", "none", "min", "of", NULL};
    static const char *const mkeys[] = {"any", "none", NULL};
    memset(d, 0, sizeof *d);
    d->min_sev = 0;
    d->max_sev = 3;
    d->other_targets = -1;
    d->words = "any violent statement"; /* also on every error path */
    if (!n)
        return true;
    if (!expect_kind(c, n, Y_MAP, what))
        return false;
    bool ok = check_keys(c, n, keys, what);
    ok &= bits_list(c, yget(n, "types"), "statement type", type_bit, &d->types);
    const ynode *s;
    if ((s = yget(n, "min_severity")) && scalar(c, s, "min_severity")) {
        d->min_sev = arb_severity_from_name(s->str);
        if (d->min_sev < 0) {
            report(c, ARB_POLICY, s->line, s->col, "unknown severity \"%s\" (low, mid, high)",
                   s->str);
            d->min_sev = 0;
            ok = false;
        }
    }
    if ((s = yget(n, "max_severity")) && scalar(c, s, "max_severity")) {
        d->max_sev = arb_severity_from_name(s->str);
        if (d->max_sev < 0) {
            report(c, ARB_POLICY, s->line, s->col, "unknown severity \"%s\" (low, mid, high)",
                   s->str);
            d->max_sev = 3;
            ok = false;
        }
    }
    if ((s = yget(n, "target"))) {
        size_t cnt = s->kind == Y_SEQ ? s->n : 1;
        d->target = cx_alloc(c, (cnt ? cnt : 1) * sizeof *d->target);
        if (!d->target)
            return false;
        if (s->kind == Y_SEQ) {
            for (const ynode *k = s->first; k; k = k->next)
                ok &= parse_tmatch(c, k, &d->target[d->n_target++]);
        } else {
            ok &= parse_tmatch(c, s, &d->target[d->n_target++]);
        }
    }
    if ((s = yget(n, "other_targets")) && scalar(c, s, "other_targets")) {
        if (!strcmp(s->str, "present"))
            d->other_targets = 1;
        else if (!strcmp(s->str, "absent"))
            d->other_targets = 0;
        else {
            report(c, ARB_POLICY, s->line, s->col,
                   "other_targets must be present or absent, not \"%s\"", s->str);
            ok = false;
        }
    }
    if ((s = yget(n, "credibility"))) {
        if (expect_kind(c, s, Y_MAP, "credibility")) {
            ok &= check_keys(c, s, ckeys, "credibility");
            ok &= bits_list(c, yget(s, "any"), "credibility signal", arb_cred_from_name,
                            &d->cred_any);
            ok &= bits_list(c, yget(s, "none"), "credibility signal", arb_cred_from_name,
                            &d->cred_none);
            ok &= bits_list(c, yget(s, "of"), "credibility signal", arb_cred_from_name,
                            &d->cred_of);
            const ynode *mn = yget(s, "min");
            if (mn && scalar(c, mn, "min")) {
                char *end;
                long v = strtol(mn->str, &end, 10);
                if (*end || v < 1 || v > 5) {
                    report(c, ARB_POLICY, mn->line, mn->col,
                           "credibility min must be a number from 1 to 5, not \"%s\"", mn->str);
                    ok = false;
                } else {
                    d->cred_min = (unsigned)v;
                }
            }
        } else {
            ok = false;
        }
    }
    if ((s = yget(n, "modifiers"))) {
        if (expect_kind(c, s, Y_MAP, "modifiers")) {
            ok &= check_keys(c, s, mkeys, "modifiers");
            ok &= bits_list(c, yget(s, "any"), "modifier", arb_mod_from_name, &d->mod_any);
            ok &= bits_list(c, yget(s, "none"), "modifier", arb_mod_from_name, &d->mod_none);
        } else {
            ok = false;
        }
    }
    if ((s = yget(n, "lang")))
        ok &= str_list(c, s, "lang", &d->langs, &d->n_langs);
    d->words = describe_cond(c, d, clause);
    return ok;
}

static bool parse_unless(ctx *c, const ynode *n, cond **out, size_t *nout, const char **words)
{
    *out = NULL;
    *nout = 0;
    *words = "";
    if (!n)
        return true;
    size_t cnt = n->kind == Y_SEQ ? n->n : 1;
    cond *arr = cx_alloc(c, (cnt ? cnt : 1) * sizeof *arr);
    if (!arr)
        return false;
    bool ok = true;
    size_t i = 0;
    for (const ynode *k = n->kind == Y_SEQ ? n->first : n; k; k = n->kind == Y_SEQ ? k->next : NULL)
        ok &= parse_cond(c, k, &arr[i++], "unless", true);
    *out = arr;
    *nout = i;
    arb__buf b;
    arb__buf_init(&b, c->ar, 128);
    arb__buf_puts(&b, "");
    for (size_t j = 0; j < i; j++) {
        if (j)
            arb__buf_puts(&b, "; or ");
        arb__buf_puts(&b, arr[j].words);
    }
    *words = b.failed ? "" : b.p;
    return ok;
}

/* ================================================================== */
/* Rules, examples, overlays                                           */
/* ================================================================== */

static bool parse_examples(ctx *c, const ynode *n, const char *rule_id, const char *overlay_id)
{
    static const char *const keys[] = {"text", "country", "viewer", "at", "expect", "rule", "note",
                                       NULL};
    if (!n)
        return true;
    if (!expect_kind(c, n, Y_SEQ, "examples"))
        return false;
    bool ok = true;
    for (const ynode *e = n->first; e; e = e->next) {
        if (!expect_kind(c, e, Y_MAP, "an example")) {
            ok = false;
            continue;
        }
        ok &= check_keys(c, e, keys, "example");
        example x;
        memset(&x, 0, sizeof x);
        x.rule = rule_id;
        x.overlay = overlay_id;
        x.source = c->src;
        x.line = e->line;
        x.col = e->col;
        x.expect_rule = "";
        const char *t = req_scalar(c, e, "text", "an example");
        const char *cc = req_scalar(c, e, "country", "an example");
        const ynode *at = yget(e, "at");
        const char *ex = req_scalar(c, e, "expect", "an example");
        if (!t || !cc || !ex) {
            ok = false;
            continue;
        }
        x.text = cx_strdup(c, t);
        if (country_ok(c, yget(e, "country"), cc, "example country"))
            memcpy(x.country, cc, 3);
        else
            ok = false;
        const ynode *v = yget(e, "viewer");
        if (v && scalar(c, v, "viewer")) {
            if (country_ok(c, v, v->str, "example viewer"))
                memcpy(x.viewer, v->str, 3);
            else
                ok = false;
        }
        if (!at) {
            report(c, ARB_POLICY, e->line, e->col, "an example needs \"at\" (its time)");
            ok = false;
        } else if (!parse_time_node(c, at, "example time", &x.at_ms)) {
            ok = false;
        }
        int a = arb_action_from_name(ex);
        if (a < 0) {
            const ynode *en = yget(e, "expect");
            report(c, ARB_POLICY, en->line, en->col,
                   "unknown action \"%s\" (allow, remove, escalate, restrict)", ex);
            ok = false;
        } else {
            x.expect = (arb_action)a;
        }
        const ynode *r = yget(e, "rule");
        if (r && scalar(c, r, "rule"))
            x.expect_rule = cx_strdup(c, r->str);
        if (!grow(c->tmp, (void **)&c->exs, &c->cap_exs, c->n_exs, sizeof *c->exs)) {
            report(c, ARB_NOMEM, 0, 0, "out of memory");
            return false;
        }
        c->exs[c->n_exs++] = x;
    }
    return ok;
}

static bool count_rule(ctx *c, const ynode *at)
{
    if (++c->n_rules_total > c->lim->max_rules) {
        if (c->n_rules_total == c->lim->max_rules + 1)
            report(c, ARB_TOO_BIG, at->line, at->col,
                   "more than %u rules and overlays in the pack (the limit)", c->lim->max_rules);
        return false;
    }
    return true;
}

/* Parses the action / visible_in / reason part shared by base and overlay rules. */
static bool parse_effect(ctx *c, const ynode *n, rule *r)
{
    bool ok = true;
    const char *a = req_scalar(c, n, "action", "a rule");
    if (a) {
        int v = arb_action_from_name(a);
        if (v < 0) {
            const ynode *an = yget(n, "action");
            report(c, ARB_POLICY, an->line, an->col,
                   "unknown action \"%s\" (allow, remove, escalate, restrict)", a);
            ok = false;
        } else {
            r->action = (arb_action)v;
        }
    } else {
        ok = false;
    }
    const ynode *vi = yget(n, "visible_in");
    r->visible_in = "";
    if (vi) {
        char(*cs)[4];
        size_t k;
        ok &= country_list(c, vi, "visible_in", &cs, &k, &r->visible_in);
        if (r->action != ARB_ACTION_RESTRICT) {
            report(c, ARB_POLICY, vi->line, vi->col, "visible_in is only for action restrict");
            ok = false;
        }
    } else if (a && r->action == ARB_ACTION_RESTRICT) {
        report(c, ARB_POLICY, n->line, n->col,
               "action restrict needs visible_in (the countries where the post stays visible)");
        ok = false;
    }
    const char *reason = req_scalar(c, n, "reason", "a rule");
    r->reason = reason ? cx_strdup(c, reason) : "";
    if (!reason)
        ok = false;
    return ok;
}

static bool id_ok(ctx *c, const ynode *n, const char *id)
{
    for (const char *p = id; *p; p++) {
        char ch = *p;
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '.' || ch == '-' || ch == '_')) {
            report(c, ARB_POLICY, n->line, n->col,
                   "id \"%s\" may only use letters, digits, '.', '-' and '_'", id);
            return false;
        }
    }
    if (!*id) {
        report(c, ARB_POLICY, n->line, n->col, "an id must not be empty");
        return false;
    }
    return true;
}

static bool parse_base_rules(ctx *c, const ynode *n)
{
    static const char *const keys[] = {"id", "condition", "action", "visible_in", "reason",
                                       "floor", "examples", "note", NULL};
    if (!expect_kind(c, n, Y_SEQ, "rules"))
        return false;
    bool ok = true;
    for (const ynode *rn = n->first; rn; rn = rn->next) {
        if (!expect_kind(c, rn, Y_MAP, "a rule")) {
            ok = false;
            continue;
        }
        if (!count_rule(c, rn))
            return false;
        ok &= check_keys(c, rn, keys, "a rule");
        rule r;
        memset(&r, 0, sizeof r);
        r.source = c->src;
        r.line = rn->line;
        r.col = rn->col;
        const char *id = req_scalar(c, rn, "id", "a rule");
        if (!id) {
            ok = false;
            continue;
        }
        ok &= id_ok(c, yget(rn, "id"), id);
        r.id = cx_strdup(c, id);
        for (size_t i = 0; i < c->n_rules; i++)
            if (!strcmp(c->rules[i].id, id)) {
                const ynode *in = yget(rn, "id");
                report(c, ARB_POLICY, in->line, in->col,
                       "duplicate rule id \"%s\" (first defined at %s:%u:%u)", id,
                       c->rules[i].source, c->rules[i].line, c->rules[i].col);
                ok = false;
            }
        ok &= parse_cond(c, yget(rn, "condition"), &r.c, "condition", false);
        ok &= parse_effect(c, rn, &r);
        ok &= parse_bool(c, yget(rn, "floor"), "floor", &r.floor);
        ok &= parse_examples(c, yget(rn, "examples"), r.id, NULL);
        if (!grow(c->tmp, (void **)&c->rules, &c->cap_rules, c->n_rules, sizeof *c->rules)) {
            report(c, ARB_NOMEM, 0, 0, "out of memory");
            return false;
        }
        c->rules[c->n_rules++] = r;
    }
    return ok;
}

static bool parse_overlay_rule(ctx *c, const ynode *rn, const char *ov_id, rule *r)
{
    static const char *const keys[] = {"id",     "overrides", "condition", "action",   "visible_in",
                                       "reason", "unless",    "examples",  "note", NULL};
    memset(r, 0, sizeof *r);
    if (!expect_kind(c, rn, Y_MAP, "an overlay rule"))
        return false;
    if (!count_rule(c, rn))
        return false;
    bool ok = check_keys(c, rn, keys, "an overlay rule");
    r->source = c->src;
    r->line = rn->line;
    r->col = rn->col;
    const char *id = req_scalar(c, rn, "id", "an overlay rule");
    if (!id)
        return false;
    ok &= id_ok(c, yget(rn, "id"), id);
    r->id = cx_strdup(c, id);
    const ynode *ov = yget(rn, "overrides");
    if (!ov) {
        report(c, ARB_POLICY, rn->line, rn->col,
               "an overlay rule needs \"overrides\" (the base rule ids it overrides)");
        ok = false;
    } else {
        ok &= str_list(c, ov, "overrides", &r->overrides, &r->n_overrides);
        arb__buf b;
        arb__buf_init(&b, c->ar, 64);
        arb__buf_puts(&b, "");
        for (size_t i = 0; i < r->n_overrides; i++)
            arb__buf_printf(&b, "%s%s", i ? "," : "", r->overrides[i]);
        r->overrides_str = b.failed ? "" : b.p;
    }
    ok &= parse_cond(c, yget(rn, "condition"), &r->c, "condition", false);
    ok &= parse_effect(c, rn, r);
    ok &= parse_unless(c, yget(rn, "unless"), &r->unless, &r->n_unless, &r->unless_words);
    ok &= parse_examples(c, yget(rn, "examples"), r->id, ov_id);
    return ok;
}

static bool parse_overlay(ctx *c, const ynode *on)
{
    static const char *const keys[] = {"id",        "title",   "temporary", "start", "end",
                                       "end_note",  "countries", "unless",  "versions", NULL};
    static const char *const vkeys[] = {"version", "effective", "countries", "unless",  "rules",
                                        "revoke",  "note",      "examples",  NULL};
    if (!expect_kind(c, on, Y_MAP, "an overlay"))
        return false;
    if (!count_rule(c, on))
        return false;
    bool ok = check_keys(c, on, keys, "an overlay");
    overlay o;
    memset(&o, 0, sizeof o);
    o.source = c->src;
    o.line = on->line;
    o.col = on->col;
    o.end = INT64_MAX;
    const char *id = req_scalar(c, on, "id", "an overlay");
    if (!id)
        return false;
    ok &= id_ok(c, yget(on, "id"), id);
    o.id = cx_strdup(c, id);
    for (size_t i = 0; i < c->n_ovs; i++)
        if (!strcmp(c->ovs[i].id, id)) {
            report(c, ARB_POLICY, on->line, on->col, "duplicate overlay id \"%s\"", id);
            ok = false;
        }
    const ynode *t = yget(on, "title");
    o.title = t && scalar(c, t, "title") ? cx_strdup(c, t->str) : o.id;
    t = yget(on, "end_note");
    o.end_note = t && scalar(c, t, "end_note") ? cx_strdup(c, t->str) : "";
    ok &= parse_bool(c, yget(on, "temporary"), "temporary", &o.temporary);
    const ynode *st = yget(on, "start"), *en = yget(on, "end");
    if (!st) {
        report(c, ARB_POLICY, on->line, on->col, "overlay \"%s\" needs \"start\" (a time)", o.id);
        ok = false;
    } else {
        ok &= parse_time_node(c, st, "start", &o.start);
    }
    if (en)
        ok &= parse_time_node(c, en, "end", &o.end);
    else if (o.temporary) {
        report(c, ARB_POLICY, on->line, on->col,
               "overlay \"%s\" is temporary and must have an \"end\"", o.id);
        ok = false;
    }
    if (st && en && o.end <= o.start) {
        report(c, ARB_POLICY, en->line, en->col, "overlay \"%s\" ends before it starts", o.id);
        ok = false;
    }
    /* overlay-wide defaults for versions */
    char(*dcs)[4] = NULL;
    size_t ndcs = 0;
    const char *dcs_str = "";
    ok &= country_list(c, yget(on, "countries"), "countries", &dcs, &ndcs, &dcs_str);
    cond *dun = NULL;
    size_t ndun = 0;
    const char *dun_w = "";
    ok &= parse_unless(c, yget(on, "unless"), &dun, &ndun, &dun_w);

    const ynode *vs = yget(on, "versions");
    if (!vs) {
        report(c, ARB_POLICY, on->line, on->col, "overlay \"%s\" needs \"versions\"", o.id);
        return false;
    }
    if (!expect_kind(c, vs, Y_SEQ, "versions") || vs->n == 0) {
        if (vs->kind == Y_SEQ)
            report(c, ARB_POLICY, vs->line, vs->col, "overlay \"%s\" has no versions", o.id);
        return false;
    }
    o.versions = cx_alloc(c, vs->n * sizeof *o.versions);
    if (!o.versions)
        return false;
    /* the running set of sub-rules (inherited from version to version) */
    size_t cap_cur = 0, n_cur = 0;
    rule **cur = NULL;
    for (const ynode *vn = vs->first; vn; vn = vn->next) {
        if (!expect_kind(c, vn, Y_MAP, "an overlay version")) {
            ok = false;
            continue;
        }
        ok &= check_keys(c, vn, vkeys, "an overlay version");
        oversion *v = &o.versions[o.n_versions];
        memset(v, 0, sizeof *v);
        v->line = vn->line;
        v->col = vn->col;
        const char *ver = req_scalar(c, vn, "version", "an overlay version");
        v->version = ver ? cx_strdup(c, ver) : "?";
        if (!ver)
            ok = false;
        for (size_t i = 0; i < o.n_versions; i++)
            if (ver && !strcmp(o.versions[i].version, ver)) {
                report(c, ARB_POLICY, vn->line, vn->col, "duplicate version \"%s\" of overlay \"%s\"",
                       ver, o.id);
                ok = false;
            }
        const ynode *ef = yget(vn, "effective");
        if (ef) {
            ok &= parse_time_node(c, ef, "effective", &v->effective);
        } else if (o.n_versions == 0) {
            v->effective = o.start;
        } else {
            report(c, ARB_POLICY, vn->line, vn->col,
                   "version \"%s\" of overlay \"%s\" needs \"effective\" (when it takes effect)",
                   v->version, o.id);
            ok = false;
        }
        if (o.n_versions && v->effective <= o.versions[o.n_versions - 1].effective && ef) {
            report(c, ARB_POLICY, ef->line, ef->col,
                   "version \"%s\" must take effect after version \"%s\"", v->version,
                   o.versions[o.n_versions - 1].version);
            ok = false;
        }
        if (ef && (v->effective < o.start || v->effective >= o.end)) {
            report(c, ARB_POLICY, ef->line, ef->col,
                   "version \"%s\" takes effect outside the overlay's window [start, end)",
                   v->version);
            ok = false;
        }
        const ynode *cn = yget(vn, "countries");
        if (cn) {
            ok &= country_list(c, cn, "countries", &v->countries, &v->n_countries,
                               &v->countries_str);
        } else if (o.n_versions) {
            oversion *pv = &o.versions[o.n_versions - 1];
            v->countries = pv->countries;
            v->n_countries = pv->n_countries;
            v->countries_str = pv->countries_str;
        } else {
            v->countries = dcs;
            v->n_countries = ndcs;
            v->countries_str = dcs_str;
        }
        if (!v->n_countries) {
            report(c, ARB_POLICY, vn->line, vn->col,
                   "version \"%s\" of overlay \"%s\" names no countries", v->version, o.id);
            ok = false;
        }
        const ynode *un = yget(vn, "unless");
        if (un) {
            ok &= parse_unless(c, un, &v->unless, &v->n_unless, &v->unless_words);
        } else if (o.n_versions) {
            oversion *pv = &o.versions[o.n_versions - 1];
            v->unless = pv->unless;
            v->n_unless = pv->n_unless;
            v->unless_words = pv->unless_words;
        } else {
            v->unless = dun;
            v->n_unless = ndun;
            v->unless_words = dun_w;
        }
        const ynode *nt = yget(vn, "note");
        v->note = nt && scalar(c, nt, "note") ? cx_strdup(c, nt->str) : "";
        {
            char lbl[160];
            snprintf(lbl, sizeof lbl, "%s@%s", o.id, v->version);
            ok &= parse_examples(c, yget(vn, "examples"), cx_strdup(c, lbl), o.id);
        }
        /* revoke */
        const ynode *rv = yget(vn, "revoke");
        v->revoked = "";
        if (rv) {
            const char **ids;
            size_t k;
            ok &= str_list(c, rv, "revoke", &ids, &k);
            arb__buf b;
            arb__buf_init(&b, c->ar, 64);
            arb__buf_puts(&b, "");
            const ynode *it = rv->kind == Y_SEQ ? rv->first : rv;
            for (size_t i = 0; i < k; i++, it = it ? it->next : NULL) {
                size_t j = 0;
                while (j < n_cur && strcmp(cur[j]->id, ids[i]))
                    j++;
                if (j == n_cur) {
                    report(c, ARB_POLICY, it ? it->line : rv->line, it ? it->col : rv->col,
                           "version \"%s\" revokes \"%s\", which overlay \"%s\" does not have "
                           "in force",
                           v->version, ids[i], o.id);
                    ok = false;
                    continue;
                }
                memmove(&cur[j], &cur[j + 1], (n_cur - j - 1) * sizeof *cur);
                n_cur--;
                arb__buf_puts(&b, b.len ? "," : "");
                arb__buf_puts(&b, ids[i]);
            }
            v->revoked = b.failed ? "" : b.p;
        }
        /* rules: replace by id or add */
        const ynode *rs = yget(vn, "rules");
        if (rs && expect_kind(c, rs, Y_SEQ, "rules")) {
            for (const ynode *rn = rs->first; rn; rn = rn->next) {
                rule *r = cx_alloc(c, sizeof *r);
                if (!r)
                    return false;
                if (!parse_overlay_rule(c, rn, o.id, r)) {
                    ok = false;
                    if (!r->id)
                        continue;
                }
                size_t j = 0;
                while (j < n_cur && strcmp(cur[j]->id, r->id))
                    j++;
                if (j < n_cur) {
                    cur[j] = r;
                } else {
                    if (!grow(c->tmp, (void **)&cur, &cap_cur, n_cur, sizeof *cur)) {
                        report(c, ARB_NOMEM, 0, 0, "out of memory");
                        return false;
                    }
                    cur[n_cur++] = r;
                }
            }
        } else if (rs) {
            ok = false;
        }
        if (o.n_versions == 0 && !rs) {
            report(c, ARB_POLICY, vn->line, vn->col,
                   "the first version of overlay \"%s\" needs \"rules\"", o.id);
            ok = false;
        }
        v->rules = cx_alloc(c, (n_cur ? n_cur : 1) * sizeof *v->rules);
        if (!v->rules)
            return false;
        if (n_cur)
            memcpy(v->rules, cur, n_cur * sizeof *cur);
        v->n_rules = n_cur;
        o.n_versions++;
    }
    if (!grow(c->tmp, (void **)&c->ovs, &c->cap_ovs, c->n_ovs, sizeof *c->ovs)) {
        report(c, ARB_NOMEM, 0, 0, "out of memory");
        return false;
    }
    c->ovs[c->n_ovs++] = o;
    return ok;
}

static bool parse_pack(ctx *c, const ynode *n)
{
    static const char *const keys[] = {"id", "version", "owners", "changelog", "description",
                                       NULL};
    static const char *const clkeys[] = {"version", "date", "note", NULL};
    if (!expect_kind(c, n, Y_MAP, "pack"))
        return false;
    if (c->have_pack) {
        report(c, ARB_POLICY, n->line, n->col, "a second \"pack\" section; a pack has exactly one");
        return false;
    }
    c->have_pack = true;
    bool ok = check_keys(c, n, keys, "pack");
    const char *id = req_scalar(c, n, "id", "pack");
    const char *ver = req_scalar(c, n, "version", "pack");
    if (id) {
        ok &= id_ok(c, yget(n, "id"), id);
        c->p->id = cx_strdup(c, id);
    } else {
        ok = false;
    }
    if (ver)
        c->p->version = cx_strdup(c, ver);
    else
        ok = false;
    const char **owners;
    size_t no;
    ok &= str_list(c, yget(n, "owners"), "owners", &owners, &no);
    arb__buf b;
    arb__buf_init(&b, c->ar, 64);
    arb__buf_puts(&b, "");
    words_list(&b, owners, no, ", ");
    c->p->owners = b.failed ? "" : b.p;
    const ynode *cl = yget(n, "changelog");
    arb__buf_init(&b, c->ar, 256);
    arb__buf_puts(&b, "");
    if (cl && expect_kind(c, cl, Y_SEQ, "changelog")) {
        for (const ynode *e = cl->first; e; e = e->next) {
            if (!expect_kind(c, e, Y_MAP, "a changelog entry")) {
                ok = false;
                continue;
            }
            ok &= check_keys(c, e, clkeys, "a changelog entry");
            const char *v = req_scalar(c, e, "version", "a changelog entry");
            const ynode *d = yget(e, "date");
            int64_t ms = 0;
            if (d)
                ok &= parse_time_node(c, d, "date", &ms);
            const char *note = req_scalar(c, e, "note", "a changelog entry");
            arb__buf_printf(&b, "%s%s", b.len ? "\n" : "", v ? v : "?");
            if (d)
                arb__buf_printf(&b, " (%s)", d->str);
            arb__buf_printf(&b, ": %s", note ? note : "");
        }
    } else if (cl) {
        ok = false;
    }
    c->p->changelog = b.failed ? "" : b.p;
    return ok;
}

static bool parse_default(ctx *c, const ynode *n)
{
    static const char *const keys[] = {"id", "action", "reason", NULL};
    if (!expect_kind(c, n, Y_MAP, "default"))
        return false;
    if (c->have_default) {
        report(c, ARB_POLICY, n->line, n->col, "a second \"default\" rule; a pack has one");
        return false;
    }
    c->have_default = true;
    bool ok = check_keys(c, n, keys, "default");
    rule *r = &c->p->deflt;
    const char *id = req_scalar(c, n, "id", "default");
    if (id) {
        ok &= id_ok(c, yget(n, "id"), id);
        r->id = cx_strdup(c, id);
    }
    ok &= parse_effect(c, n, r);
    r->source = c->src;
    r->line = n->line;
    r->col = n->col;
    return ok;
}

static bool parse_source(ctx *c, const arb_source *s)
{
    static const char *const keys[] = {"pack", "default", "rules", "overlays", NULL};
    c->src = s->name ? s->name : "";
    c->src = cx_strdup(c, c->src); /* rules and examples keep it */
    if (s->len > c->lim->max_policy_bytes) {
        report(c, ARB_TOO_BIG, 0, 0, "policy source is %zu bytes; the limit is %zu bytes", s->len,
               c->lim->max_policy_bytes);
        return false;
    }
    if (!s->data && s->len) {
        report(c, ARB_INVALID, 0, 0, "policy source has no data");
        return false;
    }
    bool empty;
    ynode *root = yparse(c, s, &empty);
    if (!root)
        return empty;
    if (root->kind != Y_MAP) {
        report(c, ARB_POLICY, root->line, root->col,
               "a policy file must be a mapping with pack, default, rules or overlays");
        return false;
    }
    bool ok = check_keys(c, root, keys, "a policy file");
    const ynode *n;
    if ((n = yget(root, "pack")))
        ok &= parse_pack(c, n);
    if ((n = yget(root, "default")))
        ok &= parse_default(c, n);
    if ((n = yget(root, "rules")))
        ok &= parse_base_rules(c, n);
    if ((n = yget(root, "overlays"))) {
        if (expect_kind(c, n, Y_SEQ, "overlays")) {
            for (const ynode *o = n->first; o; o = o->next)
                ok &= parse_overlay(c, o);
        } else {
            ok = false;
        }
    }
    return ok;
}

/* ================================================================== */
/* Static analysis: overlap, implication, floors                       */
/* ================================================================== */

static bool strs_meet(const char *const *a, size_t na, const char *const *b, size_t nb)
{
    if (!na || !nb)
        return true;
    for (size_t i = 0; i < na; i++)
        for (size_t j = 0; j < nb; j++)
            if (!strcmp(a[i], b[j]))
                return true;
    return false;
}

/* b's set is within a's (a unconstrained: yes; b unconstrained, a not: no) */
static bool strs_within(const char *const *a, size_t na, const char *const *b, size_t nb)
{
    if (!na)
        return true;
    if (!nb)
        return false;
    for (size_t j = 0; j < nb; j++) {
        bool f = false;
        for (size_t i = 0; i < na; i++)
            if (!strcmp(a[i], b[j]))
                f = true;
        if (!f)
            return false;
    }
    return true;
}

static bool tmatch_meet(const tmatch *a, const tmatch *b)
{
    if (a->classes && b->classes && !(a->classes & b->classes))
        return false;
    return strs_meet(a->entities, a->n_entities, b->entities, b->n_entities) &&
           strs_meet(a->affs, a->n_affs, b->affs, b->n_affs) &&
           strs_meet(a->labels, a->n_labels, b->labels, b->n_labels);
}

/* every target b matches, a matches too */
static bool tmatch_within(const tmatch *a, const tmatch *b)
{
    if (a->classes && (!b->classes || (b->classes & ~a->classes)))
        return false;
    return strs_within(a->entities, a->n_entities, b->entities, b->n_entities) &&
           strs_within(a->affs, a->n_affs, b->affs, b->n_affs) &&
           strs_within(a->labels, a->n_labels, b->labels, b->n_labels);
}

/* Could one statement (and one of its targets) satisfy both conditions? */
static bool cond_meet(const cond *a, const cond *b)
{
    if (a->types && b->types && !(a->types & b->types))
        return false;
    if ((a->min_sev > b->max_sev) || (b->min_sev > a->max_sev))
        return false;
    if (a->n_target && b->n_target) {
        bool any = false;
        for (size_t i = 0; i < a->n_target && !any; i++)
            for (size_t j = 0; j < b->n_target && !any; j++)
                any = tmatch_meet(&a->target[i], &b->target[j]);
        if (!any)
            return false;
    }
    if (a->other_targets >= 0 && b->other_targets >= 0 && a->other_targets != b->other_targets)
        return false;
    if ((a->cred_any && !(a->cred_any & ~b->cred_none)) ||
        (b->cred_any && !(b->cred_any & ~a->cred_none)))
        return false;
    if ((a->mod_any && !(a->mod_any & ~b->mod_none)) || (b->mod_any && !(b->mod_any & ~a->mod_none)))
        return false;
    if (!strs_meet(a->langs, a->n_langs, b->langs, b->n_langs))
        return false;
    return true;
}

/* Every statement matching b also matches a (conservative: false if unsure). */
static bool cond_within(const cond *a, const cond *b)
{
    if (a->types && (!b->types || (b->types & ~a->types)))
        return false;
    if (a->min_sev > b->min_sev || a->max_sev < b->max_sev)
        return false;
    if (a->n_target) {
        if (!b->n_target)
            return false;
        for (size_t j = 0; j < b->n_target; j++) {
            bool f = false;
            for (size_t i = 0; i < a->n_target; i++)
                f |= tmatch_within(&a->target[i], &b->target[j]);
            if (!f)
                return false;
        }
    }
    if (a->other_targets >= 0 && a->other_targets != b->other_targets)
        return false;
    if (a->cred_any && (!b->cred_any || (b->cred_any & ~a->cred_any)))
        return false;
    if (a->cred_min && (b->cred_min < a->cred_min || a->cred_of != b->cred_of))
        return false;
    if (a->cred_none && (a->cred_none & ~b->cred_none))
        return false;
    if (a->mod_any && (!b->mod_any || (b->mod_any & ~a->mod_any)))
        return false;
    if (a->mod_none && (a->mod_none & ~b->mod_none))
        return false;
    return strs_within(a->langs, a->n_langs, b->langs, b->n_langs);
}

/* A condition that no statement can satisfy; `why` gets a reason. */
static bool cond_impossible(const cond *d, const char **why)
{
    if (d->min_sev > d->max_sev) {
        *why = "its minimum severity is above its maximum";
        return true;
    }
    if (d->cred_any && !(d->cred_any & ~d->cred_none)) {
        *why = "it requires credibility signals it also excludes";
        return true;
    }
    if (d->mod_any && !(d->mod_any & ~d->mod_none)) {
        *why = "it requires modifiers it also excludes";
        return true;
    }
    uint32_t pool = (d->cred_of ? d->cred_of : 0x1fu) & ~d->cred_none;
    if (d->cred_min && (unsigned)__builtin_popcount(pool) < d->cred_min) {
        *why = "it asks for more credibility signals than it allows";
        return true;
    }
    return false;
}

static int action_rank(arb_action a)
{
    switch (a) {
    case ARB_ACTION_REMOVE:
        return 3;
    case ARB_ACTION_ESCALATE:
        return 2;
    case ARB_ACTION_RESTRICT:
        return 1;
    default:
        return 0;
    }
}

/* Resolves overrides; rejects overrides of floors and overlays that would
 * allow what a floor removes. */
static bool check_overlays(ctx *c)
{
    bool ok = true;
    arb__policy *p = c->p;
    for (size_t i = 0; i < p->n_overlays; i++) {
        overlay *o = &p->overlays[i];
        c->src = o->source;
        for (size_t v = 0; v < o->n_versions; v++)
            for (size_t k = 0; k < o->versions[v].n_rules; k++) {
                rule *r = o->versions[v].rules[k];
                if (r->ovr_idx || !r->id)
                    continue; /* already checked (inherited) */
                c->src = r->source;
                r->ovr_idx = cx_alloc(c, (r->n_overrides ? r->n_overrides : 1) * sizeof(size_t));
                if (!r->ovr_idx)
                    return false;
                for (size_t j = 0; j < r->n_overrides; j++) {
                    size_t b = 0;
                    while (b < p->n_rules && strcmp(p->rules[b].id, r->overrides[j]))
                        b++;
                    if (b == p->n_rules) {
                        report(c, ARB_POLICY, r->line, r->col,
                               "overlay rule \"%s\" overrides \"%s\", which is not a base rule",
                               r->id, r->overrides[j]);
                        ok = false;
                        continue;
                    }
                    r->ovr_idx[j] = b;
                    if (p->rules[b].floor) {
                        report(c, ARB_POLICY, r->line, r->col,
                               "overlay rule \"%s\" overrides floor rule \"%s\"; floor rules "
                               "cannot be relaxed by any overlay",
                               r->id, p->rules[b].id);
                        ok = false;
                    }
                }
                for (size_t f = 0; f < p->n_rules; f++) {
                    const rule *fl = &p->rules[f];
                    if (!fl->floor || action_rank(r->action) >= action_rank(fl->action))
                        continue;
                    bool meets = cond_meet(&fl->c, &r->c);
                    bool base_meets = false;
                    for (size_t j = 0; j < r->n_overrides && meets; j++)
                        if (r->ovr_idx[j] < p->n_rules)
                            base_meets |= cond_meet(&fl->c, &p->rules[r->ovr_idx[j]].c);
                    if (meets && base_meets) {
                        report(c, ARB_POLICY, r->line, r->col,
                               "overlay rule \"%s\" would %s what floor rule \"%s\" removes (%s); "
                               "narrow its condition",
                               r->id, arb_action_name(r->action), fl->id, fl->c.words);
                        ok = false;
                    }
                }
            }
    }
    return ok;
}

static void warn(ctx *c, const char *src, unsigned line, unsigned col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void warn(ctx *c, const char *src, unsigned line, unsigned col, const char *fmt, ...)
{
    if (!c->diag)
        return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    c->diag(c->ud, ARB_DIAG_WARNING, src, line, col, msg);
}

static bool countries_meet(const oversion *a, const oversion *b)
{
    for (size_t i = 0; i < a->n_countries; i++)
        for (size_t j = 0; j < b->n_countries; j++)
            if (!strcmp(a->countries[i], b->countries[j]))
                return true;
    return false;
}

/* Lint warnings over a compiled pack. */
static void lint_warnings(ctx *c)
{
    arb__policy *p = c->p;
    const char *why;
    for (size_t i = 0; i < p->n_rules; i++) {
        rule *r = &p->rules[i];
        if (cond_impossible(&r->c, &why)) {
            warn(c, r->source, r->line, r->col, "rule \"%s\" can never fire: %s", r->id, why);
            continue;
        }
        for (size_t j = 0; j < p->n_rules; j++) {
            const rule *a = &p->rules[j];
            /* floors are checked before every other rule, whatever their place */
            bool before = r->floor ? (a->floor && j < i) : (a->floor || j < i);
            if (j == i || !before)
                continue;
            if (cond_within(&a->c, &r->c)) {
                warn(c, r->source, r->line, r->col,
                     "rule \"%s\" is shadowed by rule \"%s\" (%s:%u): every statement it matches "
                     "is decided there first, so it can never fire",
                     r->id, a->id, a->source, a->line);
                break;
            }
        }
        if (r->c.other_targets >= 0 && !r->c.n_target)
            warn(c, r->source, r->line, r->col,
                 "rule \"%s\" uses other_targets without a target: every target counts as its "
                 "subject, so other targets are never present",
                 r->id);
    }
    for (size_t i = 0; i < p->n_overlays; i++) {
        overlay *o = &p->overlays[i];
        if (o->end == INT64_MAX)
            warn(c, o->source, o->line, o->col,
                 "overlay \"%s\" has no end: it stays in force forever (mark it temporary and "
                 "give an end, or say so in a note)",
                 o->id);
        for (size_t v = 0; v < o->n_versions; v++) {
            oversion *ver = &o->versions[v];
            if (ver->n_rules == 0 && !ver->revoked[0])
                warn(c, o->source, ver->line, ver->col,
                     "version \"%s\" of overlay \"%s\" has no rules in force", ver->version, o->id);
            for (size_t k = 0; k < ver->n_rules; k++) {
                rule *r = ver->rules[k];
                if (v > 0) {
                    /* only report rules first seen in this version */
                    bool seen = false;
                    for (size_t q = 0; q < o->versions[v - 1].n_rules; q++)
                        seen |= o->versions[v - 1].rules[q] == r;
                    if (seen)
                        continue;
                }
                if (cond_impossible(&r->c, &why)) {
                    warn(c, r->source, r->line, r->col, "overlay rule \"%s\" can never fire: %s",
                         r->id, why);
                    continue;
                }
                for (size_t j = 0; j < r->n_overrides; j++) {
                    size_t b = r->ovr_idx ? r->ovr_idx[j] : p->n_rules;
                    if (b >= p->n_rules)
                        continue;
                    if (!cond_meet(&p->rules[b].c, &r->c))
                        warn(c, r->source, r->line, r->col,
                             "overlay rule \"%s\" can never fire through \"%s\": no statement "
                             "matches both conditions",
                             r->id, p->rules[b].id);
                    for (size_t e = 0; e < b; e++) {
                        const rule *a = &p->rules[e];
                        if (!a->floor && cond_within(&a->c, &p->rules[b].c)) {
                            warn(c, r->source, r->line, r->col,
                                 "overlay rule \"%s\" overrides \"%s\", which is shadowed by "
                                 "\"%s\" and never decides",
                                 r->id, p->rules[b].id, a->id);
                            break;
                        }
                    }
                }
            }
        }
        /* overlaps between overlays: same base rule, same time and place,
         * different actions */
        for (size_t j = 0; j < i; j++) {
            overlay *q = &p->overlays[j];
            if (q->end <= o->start || o->end <= q->start)
                continue;
            bool reported = false;
            for (size_t v = 0; v < o->n_versions && !reported; v++)
                for (size_t w = 0; w < q->n_versions && !reported; w++) {
                    if (!countries_meet(&o->versions[v], &q->versions[w]))
                        continue;
                    for (size_t k = 0; k < o->versions[v].n_rules && !reported; k++)
                        for (size_t l = 0; l < q->versions[w].n_rules && !reported; l++) {
                            rule *a = o->versions[v].rules[k], *b = q->versions[w].rules[l];
                            if (a->action == b->action || !cond_meet(&a->c, &b->c))
                                continue;
                            for (size_t x = 0; x < a->n_overrides; x++)
                                for (size_t y = 0; y < b->n_overrides; y++)
                                    if (!strcmp(a->overrides[x], b->overrides[y]) && !reported) {
                                        warn(c, a->source, a->line, a->col,
                                             "overlay rule \"%s\" overlaps \"%s\" of overlay "
                                             "\"%s\" (same base rule, place and time, different "
                                             "action); \"%s\" decides first",
                                             a->id, b->id, q->id, b->id);
                                        reported = true;
                                    }
                        }
                }
        }
    }
    for (size_t e = 0; e < p->n_examples; e++) {
        const example *x = &p->examples[e];
        if (!x->expect_rule[0] || !strcmp(x->expect_rule, p->deflt.id))
            continue;
        bool found = false;
        for (size_t i = 0; i < p->n_rules && !found; i++)
            found = !strcmp(p->rules[i].id, x->expect_rule);
        for (size_t o = 0; o < p->n_overlays && !found; o++)
            for (size_t v = 0; v < p->overlays[o].n_versions && !found; v++)
                for (size_t k = 0; k < p->overlays[o].versions[v].n_rules && !found; k++)
                    found = !strcmp(p->overlays[o].versions[v].rules[k]->id, x->expect_rule);
        if (!found)
            warn(c, x->source, x->line, x->col,
                 "example expects rule \"%s\", which the pack does not have", x->expect_rule);
    }
    for (size_t i = 0; i < p->n_rules; i++) {
        bool has = false;
        for (size_t e = 0; e < p->n_examples; e++)
            has |= p->examples[e].overlay == NULL && !strcmp(p->examples[e].rule, p->rules[i].id);
        if (!has)
            warn(c, p->rules[i].source, p->rules[i].line, p->rules[i].col,
                 "rule \"%s\" has no examples", p->rules[i].id);
    }
}

/* ================================================================== */
/* Compile                                                             */
/* ================================================================== */

void arb__policy_free(arb__policy *p)
{
    if (!p)
        return;
    arb_allocator a = p->alloc;
    arb__arena_free(p->ar);
    arb__free(&a, p, sizeof *p);
}

static arb_status compile(const arb_allocator *a, const arb_limits *lim, const arb_source *src,
                          size_t n, arb__policy **out, arb_error *err, arb_diag_fn diag, void *ud,
                          size_t *n_errors)
{
    arb_limits deflim;
    if (!lim) {
        arb_limits_default(&deflim);
        lim = &deflim;
    }
    if (!a)
        a = &arb__default_allocator;
    if (out)
        *out = NULL;
    if (n_errors)
        *n_errors = 0;
    if (!out || (!src && n)) {
        arb__error_set(err, ARB_INVALID, "", 0, 0, "no policy sources");
        return ARB_INVALID;
    }
    arb__policy *p = arb__calloc(a, 1, sizeof *p);
    if (!p) {
        arb__error_set(err, ARB_NOMEM, "", 0, 0, "out of memory compiling the policy");
        return ARB_NOMEM;
    }
    p->alloc = *a;
    p->a = &p->alloc;
    p->ar = arb__arena_new(p->a, SIZE_MAX);
    ctx c;
    memset(&c, 0, sizeof c);
    c.lim = lim;
    c.p = p;
    c.err = err;
    c.diag = diag;
    c.ud = ud;
    c.ar = p->ar;
    c.tmp = arb__arena_new(p->a, SIZE_MAX);
    if (!p->ar || !c.tmp) {
        arb__arena_free(c.tmp);
        arb__policy_free(p);
        arb__error_set(err, ARB_NOMEM, "", 0, 0, "out of memory compiling the policy");
        return ARB_NOMEM;
    }
    /* hash: names and bytes, in order */
    arb__sha256 h;
    arb__sha256_init(&h);
    for (size_t i = 0; i < n; i++) {
        const char *nm = src[i].name ? src[i].name : "";
        uint64_t len = src[i].len;
        uint8_t lb[8];
        for (int k = 0; k < 8; k++)
            lb[k] = (uint8_t)(len >> (8 * k));
        arb__sha256_update(&h, nm, strlen(nm) + 1);
        arb__sha256_update(&h, lb, 8);
        if (src[i].data)
            arb__sha256_update(&h, src[i].data, src[i].len);
    }
    arb__sha256_hex(&h, p->hash);

    for (size_t i = 0; i < n && !c.nomem; i++) {
        if (!parse_source(&c, &src[i]) && c.first_st == ARB_TOO_BIG && c.n_rules_total > lim->max_rules)
            break;
    }
    c.src = n ? (src[0].name ? src[0].name : "") : "";
    if (!c.have_pack && !c.n_errors)
        report(&c, ARB_POLICY, 0, 0, "the pack has no \"pack\" section (id, version)");
    if (!p->id)
        p->id = "";
    if (!p->version)
        p->version = "";
    if (!p->owners)
        p->owners = "";
    if (!p->changelog)
        p->changelog = "";
    if (!c.have_default) {
        p->deflt.id = "default.allow";
        p->deflt.action = ARB_ACTION_ALLOW;
        p->deflt.visible_in = "";
        p->deflt.reason = "No violent statement was found that the policy acts on.";
        p->deflt.c.words = "any post no other rule decides";
    } else {
        p->deflt.c.words = "any post no other rule decides";
        if (!p->deflt.id)
            p->deflt.id = "default";
    }
    p->deflt.source = p->deflt.source ? p->deflt.source : "";
    /* copy lists into the policy arena */
    p->rules = cx_alloc(&c, (c.n_rules ? c.n_rules : 1) * sizeof *p->rules);
    p->overlays = cx_alloc(&c, (c.n_ovs ? c.n_ovs : 1) * sizeof *p->overlays);
    p->examples = cx_alloc(&c, (c.n_exs ? c.n_exs : 1) * sizeof *p->examples);
    if (p->rules && p->overlays && p->examples) {
        if (c.n_rules)
            memcpy(p->rules, c.rules, c.n_rules * sizeof *p->rules);
        if (c.n_ovs)
            memcpy(p->overlays, c.ovs, c.n_ovs * sizeof *p->overlays);
        if (c.n_exs)
            memcpy(p->examples, c.exs, c.n_exs * sizeof *p->examples);
        p->n_rules = c.n_rules;
        p->n_overlays = c.n_ovs;
        p->n_examples = c.n_exs;
    }
    if (!c.nomem && !(c.first_st == ARB_TOO_BIG && c.n_errors))
        check_overlays(&c);
    if (!c.n_errors)
        lint_warnings(&c);
    arb__arena_free(c.tmp);
    if (n_errors)
        *n_errors = c.n_errors;
    if (c.n_errors) {
        arb__policy_free(p);
        return c.first_st ? c.first_st : ARB_POLICY;
    }
    *out = p;
    return ARB_OK;
}

arb_status arb__policy_compile(const arb_allocator *a, const arb_limits *lim,
                               const arb_source *src, size_t n, arb__policy **out, arb_error *err)
{
    return compile(a, lim, src, n, out, err, NULL, NULL, NULL);
}

const char *arb__policy_id(const arb__policy *p) { return p->id; }
const char *arb__policy_version(const arb__policy *p) { return p->version; }
const char *arb__policy_hash(const arb__policy *p) { return p->hash; }

/* ================================================================== */
/* Evaluation                                                          */
/* ================================================================== */

static bool str_in(const char *s, const char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(s, v[i]))
            return true;
    return false;
}

static bool target_matches(const tmatch *t, const arb_target *g)
{
    if (t->classes && !((t->classes >> (unsigned)g->cls) & 1u))
        return false;
    if (t->n_entities && (!g->entity || !str_in(g->entity, t->entities, t->n_entities)))
        return false;
    if (t->n_affs && !str_in(g->affiliation, t->affs, t->n_affs))
        return false;
    if (t->n_labels && (!g->label || !str_in(g->label, t->labels, t->n_labels)))
        return false;
    return true;
}

static bool target_any(const tmatch *alts, size_t n, const arb_target *g)
{
    for (size_t i = 0; i < n; i++)
        if (target_matches(&alts[i], g))
            return true;
    return false;
}

/* The subject of a condition: the target alternatives `other_targets`
 * is measured against. */
typedef struct subject {
    const tmatch *alts;
    size_t n;
} subject;

static bool other_targets_present(const arb__analysis *an, subject sub)
{
    if (!sub.n)
        return false;
    for (size_t i = 0; i < an->n_stmts; i++)
        for (size_t t = 0; t < an->stmts[i].n_targets; t++)
            if (!target_any(sub.alts, sub.n, &an->stmts[i].targets[t]))
                return true;
    return false;
}

static bool cond_matches(const cond *d, const arb_statement *s, const arb__analysis *an,
                         subject sub)
{
    if (d->types && !((d->types >> (unsigned)s->type) & 1u))
        return false;
    if ((int)s->severity < d->min_sev || (int)s->severity > d->max_sev)
        return false;
    if (d->n_target) {
        bool f = false;
        for (size_t t = 0; t < s->n_targets && !f; t++)
            f = target_any(d->target, d->n_target, &s->targets[t]);
        if (!f)
            return false;
    }
    if (d->other_targets >= 0) {
        subject su = d->n_target ? (subject){d->target, d->n_target} : sub;
        if ((int)other_targets_present(an, su) != d->other_targets)
            return false;
    }
    if (d->cred_any && !(s->credibility & d->cred_any))
        return false;
    if (d->cred_none && (s->credibility & d->cred_none))
        return false;
    if (d->cred_min) {
        uint32_t pool = s->credibility & (d->cred_of ? d->cred_of : 0xffffffffu);
        if ((unsigned)__builtin_popcount(pool) < d->cred_min)
            return false;
    }
    if (d->mod_any && !(s->modifiers & d->mod_any))
        return false;
    if (d->mod_none && (s->modifiers & d->mod_none))
        return false;
    if (d->n_langs && !str_in(s->lang, d->langs, d->n_langs))
        return false;
    return true;
}

static int version_in_force(const overlay *o, const char *country, const char *viewer, int64_t t)
{
    if (t < o->start || t >= o->end)
        return -1;
    int v = -1;
    for (size_t i = 0; i < o->n_versions; i++)
        if (o->versions[i].effective <= t)
            v = (int)i;
    if (v < 0)
        return -1;
    const oversion *ver = &o->versions[v];
    bool a = false, w = !viewer || !viewer[0];
    for (size_t i = 0; i < ver->n_countries; i++) {
        if (country && !strcmp(ver->countries[i], country))
            a = true;
        if (!w && !strcmp(ver->countries[i], viewer))
            w = true;
    }
    return a && w ? v : -1;
}

typedef struct sdec {
    const rule *r;
    const overlay *o;
    const oversion *v;
    int target; /* index of the matched target, or -1 */
} sdec;

static int matched_target(const arb_statement *s, subject sub)
{
    for (size_t t = 0; t < s->n_targets; t++)
        if (!sub.n || target_any(sub.alts, sub.n, &s->targets[t]))
            return (int)t;
    return s->n_targets ? 0 : -1;
}

static sdec decide_stmt(const arb__policy *p, const arb__analysis *an, const arb_statement *s,
                        const arb_post *post, const int *vin)
{
    sdec d = {&p->deflt, NULL, NULL, -1};
    /* 1. floors */
    for (size_t i = 0; i < p->n_rules; i++) {
        const rule *r = &p->rules[i];
        subject sub = {r->c.target, r->c.n_target};
        if (r->floor && cond_matches(&r->c, s, an, sub)) {
            d.r = r;
            d.target = matched_target(s, sub);
            return d;
        }
    }
    (void)post;
    /* 2. first matching base rule, then overlays overriding it */
    for (size_t i = 0; i < p->n_rules; i++) {
        const rule *r = &p->rules[i];
        subject bsub = {r->c.target, r->c.n_target};
        if (r->floor || !cond_matches(&r->c, s, an, bsub))
            continue;
        d.r = r;
        d.target = matched_target(s, bsub);
        for (size_t o = 0; o < p->n_overlays; o++) {
            if (vin[o] < 0)
                continue;
            const overlay *ov = &p->overlays[o];
            const oversion *ver = &ov->versions[vin[o]];
            for (size_t k = 0; k < ver->n_rules; k++) {
                const rule *orl = ver->rules[k];
                bool over = false;
                for (size_t j = 0; j < orl->n_overrides; j++)
                    over |= orl->ovr_idx[j] == i;
                if (!over)
                    continue;
                subject osub = orl->c.n_target ? (subject){orl->c.target, orl->c.n_target} : bsub;
                if (!cond_matches(&orl->c, s, an, osub))
                    continue;
                bool excepted = false;
                for (size_t u = 0; u < orl->n_unless && !excepted; u++)
                    excepted = cond_matches(&orl->unless[u], s, an, osub);
                for (size_t u = 0; u < ver->n_unless && !excepted; u++)
                    excepted = cond_matches(&ver->unless[u], s, an, osub);
                if (excepted)
                    continue;
                d.r = orl;
                d.o = ov;
                d.v = ver;
                d.target = matched_target(s, osub);
                return d;
            }
        }
        return d;
    }
    return d;
}

/* Expands {target}, {target_label}, {country}, {viewer}, {overlay},
 * {version}, {rule}, {at}, {countries} in the reason. */
static const char *render_reason(arb__arena *ar, const char *tmpl, const sdec *d,
                                 const arb_statement *s, const arb_post *post)
{
    arb__buf b;
    arb__buf_init(&b, ar, strlen(tmpl) + 64);
    arb__buf_puts(&b, "");
    for (const char *q = tmpl; *q;) {
        if (*q != '{') {
            const char *e = strchr(q, '{');
            size_t n = e ? (size_t)(e - q) : strlen(q);
            arb__buf_put(&b, q, n);
            q += n;
            continue;
        }
        const char *e = strchr(q, '}');
        if (!e) {
            arb__buf_puts(&b, q);
            break;
        }
        size_t kl = (size_t)(e - q - 1);
        const char *k = q + 1;
        const arb_target *t = s && d->target >= 0 ? &s->targets[d->target] : NULL;
#define KEY(lit) (kl == sizeof(lit) - 1 && !memcmp(k, lit, kl))
        if (KEY("target")) {
            if (t && post->text && t->span.end <= post->text_len && t->span.start < t->span.end)
                arb__buf_put(&b, post->text + t->span.start, t->span.end - t->span.start);
            else if (t && t->label)
                arb__buf_puts(&b, t->label);
            else
                arb__buf_puts(&b, "the target");
        } else if (KEY("target_label")) {
            arb__buf_puts(&b, t && t->label ? t->label : "unknown");
        } else if (KEY("country")) {
            arb__buf_puts(&b, post->author_country);
        } else if (KEY("viewer")) {
            arb__buf_puts(&b, post->viewer_country[0] ? post->viewer_country : "unknown");
        } else if (KEY("overlay")) {
            arb__buf_puts(&b, d->o ? d->o->id : "none");
        } else if (KEY("version")) {
            arb__buf_puts(&b, d->v ? d->v->version : "none");
        } else if (KEY("countries")) {
            arb__buf_puts(&b, d->v ? d->v->countries_str : "");
        } else if (KEY("rule")) {
            arb__buf_puts(&b, d->r->id);
        } else if (KEY("at")) {
            char tb[32];
            arb_format_time(post->created_at_ms, tb);
            arb__buf_puts(&b, tb);
        } else {
            arb__buf_put(&b, q, kl + 2);
        }
#undef KEY
        q = e + 1;
    }
    return b.failed ? NULL : b.p;
}

arb_status arb__policy_evaluate(const arb__policy *p, arb__arena *ar, const arb__analysis *an,
                                const arb_post *post, arb__verdict *out)
{
    if (!p || !post || !out)
        return ARB_INVALID;
    int vin_small[16];
    int *vin = vin_small;
    if (p->n_overlays > 16) {
        vin = arb__arena_alloc(ar, p->n_overlays * sizeof *vin);
        if (!vin)
            return ARB_LIMIT;
    }
    for (size_t o = 0; o < p->n_overlays; o++)
        vin[o] = version_in_force(&p->overlays[o], post->author_country, post->viewer_country,
                                  post->created_at_ms);
    sdec best = {&p->deflt, NULL, NULL, -1};
    int best_i = -1;
    size_t ns = an ? an->n_stmts : 0;
    for (size_t i = 0; i < ns; i++) {
        sdec d = decide_stmt(p, an, &an->stmts[i], post, vin);
        if (d.r == &p->deflt)
            continue;
        if (best_i < 0 || action_rank(d.r->action) > action_rank(best.r->action)) {
            best = d;
            best_i = (int)i;
        }
    }
    const arb_statement *s = best_i >= 0 ? &an->stmts[best_i] : NULL;
    out->action = best.r->action;
    out->rule = best.r->id;
    out->overlay = best.o ? best.o->id : NULL;
    out->overlay_version = best.v ? best.v->version : NULL;
    out->visible_in = best.r->action == ARB_ACTION_RESTRICT ? best.r->visible_in : "";
    out->stmt_index = best_i;
    const char *reason = render_reason(ar, best.r->reason, &best, s, post);
    if (!reason)
        return ARB_LIMIT;
    out->reason = reason;
    return ARB_OK;
}

/* ================================================================== */
/* Public introspection API                                            */
/* ================================================================== */

#define POL(x) ((const arb__policy *)(const void *)(x))

arb_status arb_policy_new(const arb_source *src, size_t n, const arb_limits *lim, arb_policy **out,
                          arb_error *err)
{
    if (!out)
        return ARB_INVALID;
    arb__policy *p = NULL;
    arb_status st = compile(NULL, lim, src, n, &p, err, NULL, NULL, NULL);
    *out = (arb_policy *)(void *)p;
    return st;
}

void arb_policy_free(arb_policy *p) { arb__policy_free((arb__policy *)(void *)p); }

size_t arb_policy_lint(const arb_source *src, size_t n, const arb_limits *lim, arb_diag_fn fn,
                       void *ud)
{
    arb__policy *p = NULL;
    size_t ne = 0;
    compile(NULL, lim, src, n, &p, NULL, fn, ud, &ne);
    arb__policy_free(p);
    return ne;
}

const char *arb_policy_id(const arb_policy *p) { return POL(p)->id; }
const char *arb_policy_version(const arb_policy *p) { return POL(p)->version; }
const char *arb_policy_hash(const arb_policy *p) { return POL(p)->hash; }
const char *arb_policy_owners(const arb_policy *p) { return POL(p)->owners; }
const char *arb_policy_changelog(const arb_policy *p) { return POL(p)->changelog; }

static void fill_rule(const rule *r, const overlay *o, const oversion *v, arb_rule_info *out)
{
    memset(out, 0, sizeof *out);
    out->id = r->id ? r->id : "";
    out->overlay = o ? o->id : NULL;
    out->overlay_version = v ? v->version : NULL;
    out->overrides = "";
    out->action = r->action;
    out->visible_in = r->visible_in ? r->visible_in : "";
    out->floor = r->floor;
    out->reason = r->reason ? r->reason : "";
    out->condition = r->c.words ? r->c.words : "";
    out->unless = r->unless_words ? r->unless_words : "";
    out->source = r->source ? r->source : "";
    out->line = r->line;
    out->column = r->col;
}

size_t arb_policy_rule_count(const arb_policy *p) { return POL(p)->n_rules; }

arb_status arb_policy_rule(const arb_policy *p, size_t i, arb_rule_info *out)
{
    const arb__policy *q = POL(p);
    if (!q || !out || i > q->n_rules)
        return ARB_NOT_FOUND;
    fill_rule(i == q->n_rules ? &q->deflt : &q->rules[i], NULL, NULL, out);
    return ARB_OK;
}

size_t arb_policy_overlay_count(const arb_policy *p) { return POL(p)->n_overlays; }

arb_status arb_policy_overlay(const arb_policy *p, size_t i, arb_overlay_info *out)
{
    const arb__policy *q = POL(p);
    if (!q || !out || i >= q->n_overlays)
        return ARB_NOT_FOUND;
    const overlay *o = &q->overlays[i];
    out->id = o->id;
    out->title = o->title;
    out->temporary = o->temporary;
    out->start_ms = o->start;
    out->end_ms = o->end;
    out->end_note = o->end_note;
    out->n_versions = o->n_versions;
    out->source = o->source;
    out->line = o->line;
    out->column = o->col;
    return ARB_OK;
}

arb_status arb_policy_overlay_version(const arb_policy *p, size_t i, size_t v,
                                      arb_overlay_version_info *out)
{
    const arb__policy *q = POL(p);
    if (!q || !out || i >= q->n_overlays || v >= q->overlays[i].n_versions)
        return ARB_NOT_FOUND;
    const overlay *o = &q->overlays[i];
    const oversion *ver = &o->versions[v];
    out->version = ver->version;
    out->effective_ms = ver->effective;
    out->until_ms = v + 1 < o->n_versions ? o->versions[v + 1].effective : o->end;
    out->countries = ver->countries_str;
    out->unless = ver->unless_words;
    out->note = ver->note;
    out->revoked = ver->revoked;
    out->n_rules = ver->n_rules;
    return ARB_OK;
}

arb_status arb_policy_overlay_rule(const arb_policy *p, size_t i, size_t v, size_t k,
                                   arb_rule_info *out)
{
    const arb__policy *q = POL(p);
    if (!q || !out || i >= q->n_overlays || v >= q->overlays[i].n_versions ||
        k >= q->overlays[i].versions[v].n_rules)
        return ARB_NOT_FOUND;
    const overlay *o = &q->overlays[i];
    const rule *r = o->versions[v].rules[k];
    fill_rule(r, o, &o->versions[v], out);
    out->overrides = r->overrides_str ? r->overrides_str : "";
    return ARB_OK;
}

int arb_policy_overlay_in_force(const arb_policy *p, size_t i, const char *country,
                                const char *viewer, int64_t at_ms)
{
    const arb__policy *q = POL(p);
    if (!q || i >= q->n_overlays)
        return -1;
    return version_in_force(&q->overlays[i], country, viewer, at_ms);
}

size_t arb_policy_example_count(const arb_policy *p) { return POL(p)->n_examples; }

arb_status arb_policy_example(const arb_policy *p, size_t i, arb_example_info *out)
{
    const arb__policy *q = POL(p);
    if (!q || !out || i >= q->n_examples)
        return ARB_NOT_FOUND;
    const example *e = &q->examples[i];
    out->text = e->text;
    out->country = e->country;
    out->viewer = e->viewer;
    out->at_ms = e->at_ms;
    out->expect = e->expect;
    out->expect_rule = e->expect_rule;
    out->rule = e->rule;
    out->overlay = e->overlay;
    out->source = e->source;
    out->line = e->line;
    out->column = e->col;
    return ARB_OK;
}
