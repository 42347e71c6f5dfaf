/*
 * test_policy.c -- the policy loader and evaluator (src/policy.c).
 *
 * The analyzer is tested elsewhere; here the evaluator gets synthetic
 * analyses (statements with targets, credibility and modifiers) built by
 * hand, so every cell of the overlay scenario matrix is exact: inside and
 * outside the overlay countries, before / during / after the window,
 * soldiers vs civilians vs heads of state, with and without a location or
 * means, with and without another target, the floors, and the revision
 * versions by time.  Loader errors are checked to the file:line:column.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ---------------- helpers ---------------- */

static int64_t T(const char *s)
{
    int64_t ms = -1;
    assert_int_equal(arb_parse_time(s, strlen(s), &ms), ARB_OK);
    return ms;
}

static char *read_path(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *b = malloc((size_t)n + 1);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    b[n] = '\0';
    *len = (size_t)n;
    return b;
}

typedef struct pack {
    arb_source src[8];
    size_t n;
} pack;

static void pack_load(pack *p, const char *dir, const char *const *files)
{
    const char *root = getenv("ARB_SOURCE_DIR");
    assert_non_null(root);
    p->n = 0;
    for (size_t i = 0; files[i]; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s/%s", root, dir, files[i]);
        p->src[p->n].name = strdup(path);
        p->src[p->n].data = read_path(path, &p->src[p->n].len);
        p->n++;
    }
}

static void pack_free(pack *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free((char *)p->src[i].name);
        free((char *)p->src[i].data);
    }
}

static const char *const PACK_FILES[] = {"00-pack.yaml", "10-base.yaml", "20-overlay-ua-2022.yaml",
                                         NULL};

static arb__policy *compile_default(void)
{
    size_t n;
    const arb_source *s = arb_default_policy_sources(&n);
    arb__policy *p = NULL;
    arb_error err;
    arb_limits lim;
    arb_limits_default(&lim);
    arb_status st = arb__policy_compile(&arb__default_allocator, &lim, s, n, &p, &err);
    if (st != ARB_OK)
        fail_msg("default pack: %s:%u:%u: %s", err.source, err.line, err.column, err.message);
    return p;
}

static arb__policy *compile_dir(const char *dir)
{
    pack pk;
    pack_load(&pk, dir, PACK_FILES);
    arb__policy *p = NULL;
    arb_error err;
    arb_limits lim;
    arb_limits_default(&lim);
    arb_status st = arb__policy_compile(&arb__default_allocator, &lim, pk.src, pk.n, &p, &err);
    pack_free(&pk);
    if (st != ARB_OK)
        fail_msg("%s: %s:%u:%u: %s", dir, err.source, err.line, err.column, err.message);
    return p;
}

/* One-source compile; returns status and fills err. */
static arb_status compile_text(const char *yaml, arb_error *err, const arb_limits *lim)
{
    arb_limits def;
    arb_limits_default(&def);
    arb_source s = {"test.yaml", yaml, strlen(yaml)};
    arb__policy *p = NULL;
    memset(err, 0, sizeof *err);
    arb_status st = arb__policy_compile(&arb__default_allocator, lim ? lim : &def, &s, 1, &p, err);
    if (st == ARB_OK)
        assert_non_null(p);
    else
        assert_null(p);
    arb__policy_free(p);
    return st;
}

static void expect_error(const char *yaml, arb_status st, unsigned line, unsigned col,
                         const char *needle)
{
    arb_error err;
    arb_status got = compile_text(yaml, &err, NULL);
    if (got != st || err.line != line || err.column != col || !strstr(err.message, needle))
        fail_msg("expected %s at %u:%u containing \"%s\"; got %s at %s:%u:%u: %s",
                 arb_status_name(st), line, col, needle, arb_status_name(got), err.source,
                 err.line, err.column, err.message);
    assert_string_equal(err.source, "test.yaml");
}

/* Synthetic statements */
typedef struct stmt_spec {
    arb_stmt_type type;
    arb_severity sev;
    arb_target tg[3];
    size_t ntg;
    uint32_t cred, mods;
} stmt_spec;

static arb_target tgt(arb_target_class c, const char *aff, const char *entity, const char *label)
{
    arb_target t;
    memset(&t, 0, sizeof t);
    t.cls = c;
    snprintf(t.affiliation, sizeof t.affiliation, "%s", aff);
    t.entity = entity;
    t.label = label;
    return t;
}

typedef struct run {
    arb__arena *ar;
    arb__verdict v;
    arb_statement st[4];
} run;

static arb__verdict eval_at(const arb__policy *p, run *r, const stmt_spec *specs, size_t n,
                            const char *country, const char *viewer, const char *when)
{
    memset(r->st, 0, sizeof r->st);
    for (size_t i = 0; i < n; i++) {
        r->st[i].type = specs[i].type;
        r->st[i].severity = specs[i].sev;
        snprintf(r->st[i].lang, sizeof r->st[i].lang, "en");
        r->st[i].targets = specs[i].tg;
        r->st[i].n_targets = specs[i].ntg;
        r->st[i].credibility = specs[i].cred;
        r->st[i].modifiers = specs[i].mods;
    }
    arb__analysis an = {r->st, n, 0};
    arb_post post;
    memset(&post, 0, sizeof post);
    post.text = "x";
    post.text_len = 1;
    snprintf(post.author_country, sizeof post.author_country, "%s", country);
    snprintf(post.viewer_country, sizeof post.viewer_country, "%s", viewer ? viewer : "");
    post.created_at_ms = T(when);
    if (!r->ar)
        r->ar = arb__arena_new(&arb__default_allocator, 1 << 20);
    arb__arena_reset(r->ar);
    memset(&r->v, 0, sizeof r->v);
    assert_int_equal(arb__policy_evaluate(p, r->ar, &an, &post, &r->v), ARB_OK);
    assert_non_null(r->v.rule);
    assert_non_null(r->v.reason);
    return r->v;
}

static void expect_verdict(const arb__verdict *v, arb_action a, const char *rule,
                           const char *overlay, const char *version)
{
    if (v->action != a || strcmp(v->rule, rule))
        fail_msg("expected %s by %s, got %s by %s", arb_action_name(a), rule,
                 arb_action_name(v->action), v->rule);
    if (overlay) {
        assert_non_null(v->overlay);
        assert_string_equal(v->overlay, overlay);
        assert_string_equal(v->overlay_version, version);
    } else {
        assert_null(v->overlay);
        assert_null(v->overlay_version);
    }
}

#define ONE(type_, sev_, cred_, mods_, ...)                                                   \
    (stmt_spec)                                                                            \
    {                                                                                      \
        .type = (type_), .sev = (sev_), .tg = {__VA_ARGS__},                               \
        .ntg = sizeof((arb_target[]){__VA_ARGS__}) / sizeof(arb_target), .cred = (cred_), \
        .mods = (mods_)                                                                    \
    }

#define SOLDIERS tgt(ARB_TARGET_MILITARY, "RU", NULL, "russian_soldiers")
#define OCCUPIERS tgt(ARB_TARGET_MILITARY, "", NULL, "occupiers")
#define CIVILIANS tgt(ARB_TARGET_CIVILIANS, "RU", NULL, "russian_civilians")
#define RUSSIANS tgt(ARB_TARGET_NATIONALITY, "RU", NULL, "russians")
#define POW tgt(ARB_TARGET_POW, "RU", NULL, "prisoners_of_war")
#define PUTIN tgt(ARB_TARGET_HEAD_OF_STATE, "RU", "putin", "putin")
#define LUKA tgt(ARB_TARGET_HEAD_OF_STATE, "BY", "lukashenko", "lukashenko")
#define OTHER_HOS tgt(ARB_TARGET_HEAD_OF_STATE, "FR", "macron", "macron")
#define PERSON tgt(ARB_TARGET_PRIVATE_PERSON, "", NULL, "you")

/* ---------------- loader: good packs ---------------- */

static void test_default_pack_loads(void **state)
{
    (void)state;
    arb__policy *p = compile_default();
    assert_string_equal(arb__policy_id(p), "arbiter-default");
    assert_true(strlen(arb__policy_version(p)) > 0);
    assert_int_equal(strlen(arb__policy_hash(p)), 64);
    arb__policy_free(p);

    arb_policy *q;
    size_t n;
    const arb_source *s = arb_default_policy_sources(&n);
    assert_int_equal(arb_policy_new(s, n, NULL, &q, NULL), ARB_OK);
    assert_int_equal(arb_policy_overlay_count(q), 2);
    arb_overlay_info o;
    assert_int_equal(arb_policy_overlay(q, 0, &o), ARB_OK);
    assert_string_equal(o.id, "ua-2022-soldiers");
    assert_true(o.temporary);
    assert_true(o.start_ms == T("2022-03-10T00:00:00Z"));
    assert_true(o.end_ms == T("2022-06-08T00:00:00Z")); /* 90 days, assumed */
    assert_non_null(strstr(o.end_note, "assumed"));
    arb_overlay_version_info v;
    assert_int_equal(arb_policy_overlay_version(q, 0, 0, &v), ARB_OK);
    assert_string_equal(v.countries, "AM,AZ,EE,GE,HU,LV,LT,PL,RO,RU,SK,UA");
    assert_int_equal(arb_policy_overlay_version(q, 1, 0, &v), ARB_OK);
    assert_string_equal(v.countries, "RU,UA,PL");
    /* floors are marked */
    size_t floors = 0;
    for (size_t i = 0; i < arb_policy_rule_count(q); i++) {
        arb_rule_info r;
        assert_int_equal(arb_policy_rule(q, i, &r), ARB_OK);
        floors += r.floor;
    }
    assert_true(floors >= 3);
    /* multi-line folded scalars arrive whole */
    arb_rule_info hr;
    bool found = false;
    for (size_t i = 0; !found && i < arb_policy_rule_count(q); i++) {
        assert_int_equal(arb_policy_rule(q, i, &hr), ARB_OK);
        found = !strcmp(hr.id, "base.violence.head-of-state");
    }
    assert_true(found);
    assert_string_equal(hr.reason, "Calls for violence or death against {target}, a head of state "
                                   "(a high-risk person), are removed, including \"death to\" "
                                   "slogans.");
    assert_true(arb_policy_example_count(q) > 20);
    arb_policy_free(q);
}

static void test_revised_pack_loads(void **state)
{
    (void)state;
    arb__policy *p = compile_dir("policies/examples/ua-2022-revised");
    arb__policy_free(p);
}

static void lint_count(void *ud, arb_diag_level lv, const char *src, unsigned line, unsigned col,
                       const char *msg)
{
    (void)src;
    (void)line;
    (void)col;
    (void)msg;
    size_t *c = ud;
    c[lv]++;
}

static void test_shipped_packs_lint_clean(void **state)
{
    (void)state;
    size_t counts[2] = {0, 0};
    size_t n;
    const arb_source *s = arb_default_policy_sources(&n);
    assert_int_equal(arb_policy_lint(s, n, NULL, lint_count, counts), 0);
    assert_int_equal(counts[0], 0);
    assert_int_equal(counts[1], 0);
}

/* ---------------- loader: errors, to the column ---------------- */

#define PACK_HDR "pack: {id: t, version: \"1\"}\n"
#define BASE_RULES                                                                        \
    "rules:\n"                                                                            \
    "  - id: floor.people\n"                                                              \
    "    floor: true\n"                                                                   \
    "    condition: {target: {classes: [nationality], affiliation: [RU]}}\n"              \
    "    action: remove\n"                                                                \
    "    reason: r\n"                                                                     \
    "  - id: base.call\n"                                                                 \
    "    condition: {types: [call_to_action]}\n"                                          \
    "    action: remove\n"                                                                \
    "    reason: r\n"

static void test_error_unknown_key(void **state)
{
    (void)state;
    expect_error(PACK_HDR "rules:\n  - id: r\n    acton: remove\n    reason: x\n", ARB_POLICY, 4,
                 5, "unknown key \"acton\"");
    expect_error(PACK_HDR "rulez: []\n", ARB_POLICY, 2, 1, "unknown key \"rulez\"");
    expect_error(PACK_HDR "rules:\n  - id: r\n    action: remove\n    reason: x\n"
                          "    condition: {types: [intent], colour: red}\n",
                 ARB_POLICY, 6, 34, "unknown key \"colour\"");
}

static void test_error_unknown_enum(void **state)
{
    (void)state;
    expect_error(PACK_HDR "rules:\n  - id: r\n    action: ban\n    reason: x\n", ARB_POLICY, 4, 13,
                 "unknown action \"ban\"");
    expect_error(PACK_HDR "rules:\n  - id: r\n    action: remove\n    reason: x\n"
                          "    condition: {types: [intent, kill]}\n",
                 ARB_POLICY, 6, 33, "unknown statement type \"kill\"");
    expect_error(PACK_HDR "rules:\n  - id: r\n    action: remove\n    reason: x\n"
                          "    condition:\n      target: {classes: [soldier]}\n",
                 ARB_POLICY, 7, 26, "unknown target class \"soldier\"");
    expect_error(PACK_HDR "rules:\n  - id: r\n    action: remove\n    reason: x\n"
                          "    condition:\n      credibility: {any: [gps]}\n",
                 ARB_POLICY, 7, 27, "unknown credibility signal \"gps\"");
    expect_error(PACK_HDR "rules:\n  - id: r\n    action: remove\n    reason: x\n"
                          "    condition:\n      modifiers: {none: [sarcasm]}\n",
                 ARB_POLICY, 7, 26, "unknown modifier \"sarcasm\"");
    expect_error(PACK_HDR "rules:\n  - id: r\n    action: remove\n    reason: x\n"
                          "    condition: {min_severity: deadly}\n",
                 ARB_POLICY, 6, 31, "unknown severity");
}

#define OVERLAY(extra_top, countries, rule_body)                                           \
    PACK_HDR BASE_RULES "overlays:\n"                                                      \
                        "  - id: o\n"                                                      \
                        "    temporary: true\n"                                            \
                        "    start: 2022-03-10T00:00:00Z\n" extra_top                      \
                        "    versions:\n"                                                  \
                        "      - version: \"1\"\n"                                         \
                        "        countries: " countries "\n"                               \
                        "        rules:\n"                                                 \
                        "          - id: o.allow\n" rule_body                              \
                        "            action: allow\n"                                      \
                        "            reason: r\n"

#define END "    end: 2022-06-08T00:00:00Z\n"
#define OVR_CALL "            overrides: base.call\n"

static void test_error_unknown_country(void **state)
{
    (void)state;
    /* line 15: "        countries: [UA, XX]" */
    expect_error(OVERLAY(END, "[UA, XX]", OVR_CALL), ARB_COUNTRY, 19, 25,
                 "unknown country code \"XX\"");
    expect_error(OVERLAY(END, "[ua]", OVR_CALL), ARB_COUNTRY, 19, 21, "unknown country code \"ua\"");
}

static void test_error_bad_time(void **state)
{
    (void)state;
    expect_error(PACK_HDR "overlays:\n  - id: o\n    start: 2022-13-01T00:00:00Z\n"
                          "    versions: [{version: '1', countries: [UA], rules: []}]\n",
                 ARB_POLICY, 4, 12, "is not an RFC 3339 time");
    expect_error(PACK_HDR "rules:\n  - id: r\n    action: remove\n    reason: x\n"
                          "    examples:\n      - {text: t, country: US, at: yesterday, expect: remove}\n",
                 ARB_POLICY, 7, 36, "example time \"yesterday\"");
}

static void test_error_temporary_without_end(void **state)
{
    (void)state;
    expect_error(OVERLAY("", "[UA]", OVR_CALL), ARB_POLICY, 13, 5,
                 "is temporary and must have an \"end\"");
}

static void test_error_overlay_vs_floor(void **state)
{
    (void)state;
    /* overriding a floor by name */
    expect_error(OVERLAY(END, "[UA]", "            overrides: floor.people\n"), ARB_POLICY, 21, 13,
                 "overrides floor rule \"floor.people\"");
    /* allowing what the floor removes, through another rule */
    expect_error(OVERLAY(END, "[UA]",
                         OVR_CALL "            condition: {target: {classes: [nationality]}}\n"),
                 ARB_POLICY, 21, 13, "would allow what floor rule \"floor.people\" removes");
    /* a narrower overlay that cannot meet the floor is fine */
    arb_error err;
    assert_int_equal(compile_text(OVERLAY(END, "[UA]",
                                          OVR_CALL "            condition: {target: {classes: "
                                                   "[military], affiliation: [RU]}}\n"),
                                  &err, NULL),
                     ARB_OK);
    /* unknown base rule */
    expect_error(OVERLAY(END, "[UA]", "            overrides: base.nope\n"), ARB_POLICY, 21, 13,
                 "\"base.nope\", which is not a base rule");
}

static void test_error_yaml(void **state)
{
    (void)state;
    expect_error(PACK_HDR "rules: [\n", ARB_PARSE, 3, 1, "flow sequence without a closing bracket");
    expect_error(PACK_HDR "a: &x [1]\nb: *x\n", ARB_PARSE, 3, 4, "aliases are not allowed");
    expect_error(PACK_HDR "rules:\n  - id: r\n    action: remove\n    reason: x\n"
                          "  - id: r\n    action: allow\n    reason: y\n",
                 ARB_POLICY, 6, 9, "duplicate rule id \"r\"");
    expect_error("rules: []\n", ARB_POLICY, 0, 0, "no \"pack\" section");
    /* checked before libfyaml sees the bytes */
    expect_error("%YAML 1.2\n---\n" PACK_HDR, ARB_PARSE, 1, 1, "directives");
    expect_error(PACK_HDR "x: \"a\x01\"\n", ARB_PARSE, 2, 6, "control character 0x01");
    expect_error(PACK_HDR "x: \xff\n", ARB_PARSE, 2, 4, "invalid UTF-8");
    expect_error(PACK_HDR "x: \"\xd0\x9f\xd0\xb0\xc0\"\n", ARB_PARSE, 2, 7, "invalid UTF-8");
    expect_error(PACK_HDR "pack: {id: u, version: \"2\"}\n", ARB_POLICY, 2, 1,
                 "duplicate key \"pack\"");
}

static void test_error_versions(void **state)
{
    (void)state;
    const char *y = PACK_HDR BASE_RULES "overlays:\n"
                                        "  - id: o\n"
                                        "    start: 2022-03-10T00:00:00Z\n"
                                        "    end: 2022-06-08T00:00:00Z\n"
                                        "    countries: [UA]\n"
                                        "    versions:\n"
                                        "      - version: '1'\n"
                                        "        rules: [{id: a, overrides: base.call, action: "
                                        "allow, reason: r}]\n"
                                        "      - version: '2'\n"
                                        "        effective: 2022-03-09T00:00:00Z\n"
                                        "      - version: '3'\n"
                                        "        effective: 2022-03-12T00:00:00Z\n"
                                        "        revoke: [b]\n";
    arb_error err;
    assert_int_equal(compile_text(y, &err, NULL), ARB_POLICY);
    assert_int_equal(err.line, 21);
    assert_int_equal(err.column, 20);
    assert_non_null(strstr(err.message, "must take effect after version \"1\""));
    /* every error is reported by lint, not only the first */
    size_t counts[2] = {0, 0};
    arb_source s = {"test.yaml", y, strlen(y)};
    assert_true(arb_policy_lint(&s, 1, NULL, lint_count, counts) >= 3);
}

/* ---------------- limits ---------------- */

static void test_limits(void **state)
{
    (void)state;
    arb_limits lim;
    arb_limits_default(&lim);
    arb_error err;
    /* bytes */
    lim.max_policy_bytes = 16;
    assert_int_equal(compile_text(PACK_HDR, &err, &lim), ARB_TOO_BIG);
    assert_string_equal(err.source, "test.yaml");
    assert_non_null(strstr(err.message, "limit"));
    /* depth */
    arb_limits_default(&lim);
    lim.max_policy_depth = 8;
    char deep[256];
    size_t o = (size_t)snprintf(deep, sizeof deep, PACK_HDR "x: ");
    for (int i = 0; i < 20; i++)
        deep[o++] = '[';
    for (int i = 0; i < 20; i++)
        deep[o++] = ']';
    deep[o++] = '\n';
    deep[o] = '\0';
    assert_int_equal(compile_text(deep, &err, &lim), ARB_TOO_BIG);
    assert_int_equal(err.line, 2);
    assert_non_null(strstr(err.message, "deeper than the limit of 8"));
    /* a very deep document with default limits: an error, not a crash */
    size_t big = 200000;
    char *d = malloc(big * 2 + 64);
    size_t k = (size_t)snprintf(d, 64, PACK_HDR "x: ");
    memset(d + k, '[', big);
    memset(d + k + big, ']', big);
    d[k + 2 * big] = '\0';
    assert_int_not_equal(compile_text(d, &err, NULL), ARB_OK);
    free(d);
    /* rule count */
    arb_limits_default(&lim);
    lim.max_rules = 1;
    assert_int_equal(compile_text(PACK_HDR BASE_RULES, &err, &lim), ARB_TOO_BIG);
    assert_int_equal(err.line, 8);
    assert_non_null(strstr(err.message, "more than 1 rules"));
}

/* Allocation failures: every one is reported as ARB_NOMEM, never a crash. */
typedef struct failing {
    long left;
} failing;

static void *failing_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    failing *f = ud;
    (void)osize;
    if (nsize == 0) {
        free(ptr);
        return NULL;
    }
    if (f->left-- <= 0)
        return NULL;
    return realloc(ptr, nsize);
}

static void test_alloc_failures(void **state)
{
    (void)state;
    size_t n;
    const arb_source *s = arb_default_policy_sources(&n);
    arb_limits lim;
    arb_limits_default(&lim);
    int ok_at = -1;
    for (long i = 0; i < 200 && ok_at < 0; i++) {
        failing f = {i};
        arb_allocator a = {failing_alloc, &f};
        arb__policy *p = NULL;
        arb_error err;
        arb_status st = arb__policy_compile(&a, &lim, s, n, &p, &err);
        if (st == ARB_OK) {
            ok_at = (int)i;
            arb__policy_free(p);
        } else {
            assert_int_equal(st, ARB_NOMEM);
            assert_null(p);
        }
    }
    assert_true(ok_at > 0);
}

/* ---------------- evaluation: the scenario matrix ---------------- */

static void test_no_statement_default(void **state)
{
    (void)state;
    arb__policy *p = compile_default();
    run r = {0};
    arb__verdict v = eval_at(p, &r, NULL, 0, "UA", NULL, "2022-03-12T00:00:00Z");
    expect_verdict(&v, ARB_ACTION_ALLOW, "default.allow", NULL, NULL);
    assert_int_equal(v.stmt_index, -1);
    assert_string_equal(v.visible_in, "");
    arb__arena_free(r.ar);
    arb__policy_free(p);
}

static void test_soldiers_overlay(void **state)
{
    (void)state;
    arb__policy *p = compile_default();
    run r = {0};
    stmt_spec s = ONE(ARB_STMT_DEATH_TO, ARB_SEV_HIGH, 0, 0, SOLDIERS);
    static const char *const in[] = {"AM", "AZ", "EE", "GE", "HU", "LV",
                                     "LT", "PL", "RO", "RU", "SK", "UA"};
    for (size_t i = 0; i < ARB__ARRAY_LEN(in); i++) {
        arb__verdict v = eval_at(p, &r, &s, 1, in[i], NULL, "2022-03-12T00:00:00Z");
        expect_verdict(&v, ARB_ACTION_ALLOW, "ua-2022-soldiers.allow", "ua-2022-soldiers", "1");
        assert_int_equal(v.stmt_index, 0);
    }
    static const char *const out[] = {"DE", "US", "BY", "FR", "GB"};
    for (size_t i = 0; i < ARB__ARRAY_LEN(out); i++) {
        arb__verdict v = eval_at(p, &r, &s, 1, out[i], NULL, "2022-03-12T00:00:00Z");
        expect_verdict(&v, ARB_ACTION_REMOVE, "base.violence.military", NULL, NULL);
    }
    /* the window [start, end) */
    arb__verdict v = eval_at(p, &r, &s, 1, "UA", NULL, "2022-03-09T23:59:59Z");
    expect_verdict(&v, ARB_ACTION_REMOVE, "base.violence.military", NULL, NULL);
    v = eval_at(p, &r, &s, 1, "UA", NULL, "2022-03-10T00:00:00Z");
    expect_verdict(&v, ARB_ACTION_ALLOW, "ua-2022-soldiers.allow", "ua-2022-soldiers", "1");
    v = eval_at(p, &r, &s, 1, "PL", NULL, "2022-06-07T23:59:59Z");
    expect_verdict(&v, ARB_ACTION_ALLOW, "ua-2022-soldiers.allow", "ua-2022-soldiers", "1");
    v = eval_at(p, &r, &s, 1, "PL", NULL, "2022-06-08T00:00:00Z");
    expect_verdict(&v, ARB_ACTION_REMOVE, "base.violence.military", NULL, NULL);
    v = eval_at(p, &r, &s, 1, "UA", NULL, "2023-01-01T00:00:00Z");
    expect_verdict(&v, ARB_ACTION_REMOVE, "base.violence.military", NULL, NULL);
    /* invaders named by label, no affiliation */
    stmt_spec occ = ONE(ARB_STMT_CALL, ARB_SEV_HIGH, 0, 0, OCCUPIERS);
    v = eval_at(p, &r, &occ, 1, "UA", NULL, "2022-03-12T00:00:00Z");
    expect_verdict(&v, ARB_ACTION_ALLOW, "ua-2022-soldiers.allow", "ua-2022-soldiers", "1");
    /* calls and death wishes only: a statement of intent stays removed */
    stmt_spec intent = ONE(ARB_STMT_INTENT, ARB_SEV_HIGH, 0, 0, SOLDIERS);
    v = eval_at(p, &r, &intent, 1, "UA", NULL, "2022-03-12T00:00:00Z");
    expect_verdict(&v, ARB_ACTION_REMOVE, "base.violence.military", NULL, NULL);
    /* the viewer must be in scope too when given */
    v = eval_at(p, &r, &s, 1, "UA", "DE", "2022-03-12T00:00:00Z");
    expect_verdict(&v, ARB_ACTION_REMOVE, "base.violence.military", NULL, NULL);
    v = eval_at(p, &r, &s, 1, "UA", "PL", "2022-03-12T00:00:00Z");
    expect_verdict(&v, ARB_ACTION_ALLOW, "ua-2022-soldiers.allow", "ua-2022-soldiers", "1");
    /* another target in the statement: the base rule decides */
    stmt_spec both = ONE(ARB_STMT_CALL, ARB_SEV_HIGH, 0, 0, SOLDIERS, PERSON);
    v = eval_at(p, &r, &both, 1, "UA", NULL, "2022-03-12T00:00:00Z");
    expect_verdict(&v, ARB_ACTION_REMOVE, "base.violence.military", NULL, NULL);
    /* a credible threat (place + time) is removed by the base credible rule */
    stmt_spec cred = ONE(ARB_STMT_CALL, ARB_SEV_HIGH, ARB_CRED_LOCATION | ARB_CRED_TIMING, 0,
                         SOLDIERS);
    v = eval_at(p, &r, &cred, 1, "UA", NULL, "2022-03-12T00:00:00Z");
    expect_verdict(&v, ARB_ACTION_REMOVE, "base.credible.specific", NULL, NULL);
    arb__arena_free(r.ar);
    arb__policy_free(p);
}

static void test_floors(void **state)
{
    (void)state;
    arb__policy *p = compile_default();
    run r = {0};
    /* Russians as a people: removed in the overlay countries during the window */
    stmt_spec people = ONE(ARB_STMT_CALL, ARB_SEV_HIGH, 0, 0, RUSSIANS);
    arb__verdict v = eval_at(p, &r, &people, 1, "UA", NULL, "2022-03-12T00:00:00Z");
    expect_verdict(&v, ARB_ACTION_REMOVE, "base.floor.russians-as-people", NULL, NULL);
    /* soldiers and Russians in one statement: the floor wins */
    stmt_spec mixed = ONE(ARB_STMT_DEATH_TO, ARB_SEV_HIGH, 0, 0, SOLDIERS, RUSSIANS);
    v = eval_at(p, &r, &mixed, 1, "PL", NULL, "2022-03-12T00:00:00Z");
    expect_verdict(&v, ARB_ACTION_REMOVE, "base.floor.russians-as-people", NULL, NULL);
    /* credible threat against Russian civilians */
    stmt_spec civ = ONE(ARB_STMT_CALL, ARB_SEV_HIGH, ARB_CRED_LOCATION, 0, CIVILIANS);
    v = eval_at(p, &r, &civ, 1, "UA", NULL, "2022-03-12T00:00:00Z");
    expect_verdict(&v, ARB_ACTION_REMOVE, "base.floor.russian-civilians-credible", NULL, NULL);
    /* civilians without a credibility signal: still removed, by the base rule */
    stmt_spec civ2 = ONE(ARB_STMT_CALL, ARB_SEV_HIGH, 0, 0, CIVILIANS);
    v = eval_at(p, &r, &civ2, 1, "UA", NULL, "2022-03-12T00:00:00Z");
    expect_verdict(&v, ARB_ACTION_REMOVE, "base.violence.call", NULL, NULL);
    /* prisoners of war stay protected */
    stmt_spec pow = ONE(ARB_STMT_CALL, ARB_SEV_HIGH, 0, 0, POW);
    v = eval_at(p, &r, &pow, 1, "UA", NULL, "2022-03-12T00:00:00Z");
    expect_verdict(&v, ARB_ACTION_REMOVE, "base.floor.prisoners-of-war", NULL, NULL);
    /* a negated statement about Russians is not caught by the floor */
    stmt_spec neg = ONE(ARB_STMT_CALL, ARB_SEV_HIGH, 0, ARB_MOD_NEGATION, RUSSIANS);
    v = eval_at(p, &r, &neg, 1, "UA", NULL, "2022-03-12T00:00:00Z");
    expect_verdict(&v, ARB_ACTION_ALLOW, "base.neutralized", NULL, NULL);
    arb__arena_free(r.ar);
    arb__policy_free(p);
}

static void test_heads_of_state(void **state)
{
    (void)state;
    arb__policy *p = compile_default();
    run r = {0};
    stmt_spec s = ONE(ARB_STMT_DEATH_TO, ARB_SEV_HIGH, 0, 0, PUTIN);
    static const char *const in[] = {"RU", "UA", "PL"};
    for (size_t i = 0; i < 3; i++) {
        arb__verdict v = eval_at(p, &r, &s, 1, in[i], NULL, "2022-03-15T00:00:00Z");
        expect_verdict(&v, ARB_ACTION_ALLOW, "ua-2022-heads-of-state.allow",
                       "ua-2022-heads-of-state", "1");
    }
    stmt_spec l = ONE(ARB_STMT_HOPE, ARB_SEV_HIGH, 0, 0, LUKA);
    arb__verdict v = eval_at(p, &r, &l, 1, "UA", NULL, "2022-03-15T00:00:00Z");
    expect_verdict(&v, ARB_ACTION_ALLOW, "ua-2022-heads-of-state.allow", "ua-2022-heads-of-state",
                   "1");
    /* soldier countries that are not head-of-state countries */
    v = eval_at(p, &r, &s, 1, "LT", NULL, "2022-03-15T00:00:00Z");
    expect_verdict(&v, ARB_ACTION_REMOVE, "base.violence.head-of-state", NULL, NULL);
    /* before and after the window */
    v = eval_at(p, &r, &s, 1, "RU", NULL, "2022-03-01T00:00:00Z");
    expect_verdict(&v, ARB_ACTION_REMOVE, "base.violence.head-of-state", NULL, NULL);
    v = eval_at(p, &r, &s, 1, "RU", NULL, "2022-07-01T00:00:00Z");
    expect_verdict(&v, ARB_ACTION_REMOVE, "base.violence.head-of-state", NULL, NULL);
    /* with a location or a means: removed */
    stmt_spec loc = ONE(ARB_STMT_CALL, ARB_SEV_HIGH, ARB_CRED_LOCATION, 0, PUTIN);
    v = eval_at(p, &r, &loc, 1, "UA", NULL, "2022-03-15T00:00:00Z");
    expect_verdict(&v, ARB_ACTION_REMOVE, "base.violence.head-of-state", NULL, NULL);
    stmt_spec means = ONE(ARB_STMT_CALL, ARB_SEV_HIGH, ARB_CRED_MEANS, 0, PUTIN);
    v = eval_at(p, &r, &means, 1, "UA", NULL, "2022-03-15T00:00:00Z");
    expect_verdict(&v, ARB_ACTION_REMOVE, "base.violence.head-of-state", NULL, NULL);
    /* with another target, in the same statement or elsewhere in the post */
    stmt_spec other = ONE(ARB_STMT_DEATH_TO, ARB_SEV_HIGH, 0, 0, PUTIN, SOLDIERS);
    v = eval_at(p, &r, &other, 1, "UA", NULL, "2022-03-15T00:00:00Z");
    expect_verdict(&v, ARB_ACTION_REMOVE, "base.violence.head-of-state", NULL, NULL);
    stmt_spec two[2] = {ONE(ARB_STMT_DEATH_TO, ARB_SEV_HIGH, 0, 0, PUTIN),
                        ONE(ARB_STMT_HOPE, ARB_SEV_HIGH, 0, ARB_MOD_QUESTION, PERSON)};
    v = eval_at(p, &r, two, 2, "UA", NULL, "2022-03-15T00:00:00Z");
    expect_verdict(&v, ARB_ACTION_REMOVE, "base.violence.head-of-state", NULL, NULL);
    assert_int_equal(v.stmt_index, 0);
    /* Putin and Lukashenko together are both covered */
    stmt_spec pair = ONE(ARB_STMT_DEATH_TO, ARB_SEV_HIGH, 0, 0, PUTIN, LUKA);
    v = eval_at(p, &r, &pair, 1, "PL", NULL, "2022-03-15T00:00:00Z");
    expect_verdict(&v, ARB_ACTION_ALLOW, "ua-2022-heads-of-state.allow", "ua-2022-heads-of-state",
                   "1");
    /* another head of state is not covered */
    stmt_spec mac = ONE(ARB_STMT_DEATH_TO, ARB_SEV_HIGH, 0, 0, OTHER_HOS);
    v = eval_at(p, &r, &mac, 1, "UA", NULL, "2022-03-15T00:00:00Z");
    expect_verdict(&v, ARB_ACTION_REMOVE, "base.violence.head-of-state", NULL, NULL);
    arb__arena_free(r.ar);
    arb__policy_free(p);
}

static void test_most_severe_wins(void **state)
{
    (void)state;
    arb__policy *p = compile_default();
    run r = {0};
    stmt_spec two[2] = {ONE(ARB_STMT_DEATH_TO, ARB_SEV_HIGH, 0, ARB_MOD_NEGATION, PERSON),
                        ONE(ARB_STMT_CODED, ARB_SEV_MID, 0, 0, PERSON)};
    arb__verdict v = eval_at(p, &r, two, 2, "UA", NULL, "2022-03-12T00:00:00Z");
    expect_verdict(&v, ARB_ACTION_ESCALATE, "base.coded.escalate", NULL, NULL);
    assert_int_equal(v.stmt_index, 1);
    stmt_spec three[3] = {ONE(ARB_STMT_CODED, ARB_SEV_MID, 0, 0, PERSON),
                          ONE(ARB_STMT_INTENT, ARB_SEV_HIGH, 0, 0, PERSON),
                          ONE(ARB_STMT_CALL, ARB_SEV_HIGH, 0, 0, PERSON)};
    v = eval_at(p, &r, three, 3, "US", NULL, "2023-01-01T00:00:00Z");
    expect_verdict(&v, ARB_ACTION_REMOVE, "base.violence.threat", NULL, NULL);
    assert_int_equal(v.stmt_index, 1); /* ties go to the first statement */
    arb__arena_free(r.ar);
    arb__policy_free(p);
}

static void test_revisions_by_time(void **state)
{
    (void)state;
    arb__policy *p = compile_dir("policies/examples/ua-2022-revised");
    run r = {0};
    stmt_spec s = ONE(ARB_STMT_DEATH_TO, ARB_SEV_HIGH, 0, 0, SOLDIERS);
    stmt_spec occ = ONE(ARB_STMT_DEATH_TO, ARB_SEV_HIGH, 0, 0,
                        tgt(ARB_TARGET_MILITARY, "RU", NULL, "occupiers"));
    /* version 1: twelve countries */
    arb__verdict v = eval_at(p, &r, &s, 1, "LT", NULL, "2022-03-10T12:00:00Z");
    expect_verdict(&v, ARB_ACTION_ALLOW, "ua-2022-soldiers.allow", "ua-2022-soldiers", "1");
    /* version 2: Ukraine only */
    v = eval_at(p, &r, &s, 1, "LT", NULL, "2022-03-11T00:00:00Z");
    expect_verdict(&v, ARB_ACTION_REMOVE, "base.violence.military", NULL, NULL);
    v = eval_at(p, &r, &s, 1, "UA", NULL, "2022-03-12T00:00:00Z");
    expect_verdict(&v, ARB_ACTION_ALLOW, "ua-2022-soldiers.allow", "ua-2022-soldiers", "2");
    /* version 3: invasion context required */
    v = eval_at(p, &r, &s, 1, "UA", NULL, "2022-03-13T00:00:00Z");
    expect_verdict(&v, ARB_ACTION_REMOVE, "base.violence.military", NULL, NULL);
    v = eval_at(p, &r, &occ, 1, "UA", NULL, "2022-03-13T00:00:00Z");
    expect_verdict(&v, ARB_ACTION_ALLOW, "ua-2022-soldiers.allow", "ua-2022-soldiers", "3");
    /* heads of state: RU in v1, not in v2, revoked in v3 */
    stmt_spec hs = ONE(ARB_STMT_DEATH_TO, ARB_SEV_HIGH, 0, 0, PUTIN);
    v = eval_at(p, &r, &hs, 1, "RU", NULL, "2022-03-10T23:00:00Z");
    expect_verdict(&v, ARB_ACTION_ALLOW, "ua-2022-heads-of-state.allow", "ua-2022-heads-of-state",
                   "1");
    v = eval_at(p, &r, &hs, 1, "RU", NULL, "2022-03-11T01:00:00Z");
    expect_verdict(&v, ARB_ACTION_REMOVE, "base.violence.head-of-state", NULL, NULL);
    v = eval_at(p, &r, &hs, 1, "UA", NULL, "2022-03-12T23:59:59Z");
    expect_verdict(&v, ARB_ACTION_ALLOW, "ua-2022-heads-of-state.allow", "ua-2022-heads-of-state",
                   "2");
    v = eval_at(p, &r, &hs, 1, "UA", NULL, "2022-03-13T00:00:00Z");
    expect_verdict(&v, ARB_ACTION_REMOVE, "base.violence.head-of-state", NULL, NULL);
    /* the introspection API agrees */
    arb_policy *q = (arb_policy *)(void *)p;
    assert_int_equal(arb_policy_overlay_in_force(q, 0, "UA", NULL, T("2022-03-12T00:00:00Z")), 1);
    assert_int_equal(arb_policy_overlay_in_force(q, 0, "PL", NULL, T("2022-03-12T00:00:00Z")), -1);
    arb_overlay_version_info vi;
    assert_int_equal(arb_policy_overlay_version(q, 1, 2, &vi), ARB_OK);
    assert_string_equal(vi.revoked, "ua-2022-heads-of-state.allow");
    assert_int_equal(vi.n_rules, 0);
    arb__arena_free(r.ar);
    arb__policy_free(p);
}

static void test_restrict_and_reason(void **state)
{
    (void)state;
    const char *y = PACK_HDR "rules:\n"
                             "  - id: r.restrict\n"
                             "    condition: {target: {classes: [military]}}\n"
                             "    action: restrict\n"
                             "    visible_in: [UA, PL]\n"
                             "    reason: 'Restricted: {target} ({target_label}) from {country} at {at}.'\n";
    arb_source s = {"t.yaml", y, strlen(y)};
    arb__policy *p = NULL;
    arb_limits lim;
    arb_limits_default(&lim);
    assert_int_equal(arb__policy_compile(&arb__default_allocator, &lim, &s, 1, &p, NULL), ARB_OK);
    arb_target t = tgt(ARB_TARGET_MILITARY, "RU", NULL, "occupiers");
    t.span.start = 10;
    t.span.end = 19;
    arb_statement st;
    memset(&st, 0, sizeof st);
    st.type = ARB_STMT_DEATH_TO;
    st.severity = ARB_SEV_HIGH;
    st.targets = &t;
    st.n_targets = 1;
    arb__analysis an = {&st, 1, 0};
    arb_post post;
    memset(&post, 0, sizeof post);
    post.text = "Death to  occupiers!";
    post.text_len = strlen(post.text);
    memcpy(post.author_country, "UA", 3);
    post.created_at_ms = T("2022-03-12T00:00:00Z");
    arb__arena *ar = arb__arena_new(&arb__default_allocator, 1 << 16);
    arb__verdict v;
    assert_int_equal(arb__policy_evaluate(p, ar, &an, &post, &v), ARB_OK);
    assert_int_equal(v.action, ARB_ACTION_RESTRICT);
    assert_string_equal(v.visible_in, "UA,PL");
    assert_string_equal(v.reason, "Restricted: occupiers (occupiers) from UA at 2022-03-12T00:00:00Z.");
    /* quoting styles: escapes and doubled quotes are resolved */
    const char *y2 = PACK_HDR "rules:\n"
                              "  - id: a\n    action: remove\n    reason: 'it''s {rule}'\n"
                              "  - id: b\n    action: remove\n    reason: \"tab\\there \\u00e9\"\n"
                              "  - id: c\n    action: remove\n    reason: |\n      line one\n      line two\n";
    arb_source s2 = {"q.yaml", y2, strlen(y2)};
    arb_policy *q;
    assert_int_equal(arb_policy_new(&s2, 1, NULL, &q, NULL), ARB_OK);
    arb_rule_info ri;
    assert_int_equal(arb_policy_rule(q, 0, &ri), ARB_OK);
    assert_string_equal(ri.reason, "it's {rule}");
    assert_int_equal(arb_policy_rule(q, 1, &ri), ARB_OK);
    assert_string_equal(ri.reason, "tab\there \xc3\xa9");
    assert_int_equal(arb_policy_rule(q, 2, &ri), ARB_OK);
    assert_string_equal(ri.reason, "line one\nline two\n");
    arb_policy_free(q);
    /* restrict without visible_in is an error */
    arb_error err;
    assert_int_equal(compile_text(PACK_HDR "rules:\n  - id: r\n    action: restrict\n    reason: x\n",
                                  &err, NULL),
                     ARB_POLICY);
    assert_non_null(strstr(err.message, "needs visible_in"));
    arb__arena_free(ar);
    arb__policy_free(p);
}

static void test_determinism(void **state)
{
    (void)state;
    arb__policy *a = compile_default(), *b = compile_default();
    assert_string_equal(arb__policy_hash(a), arb__policy_hash(b));
    run r1 = {0}, r2 = {0};
    stmt_spec s[2] = {ONE(ARB_STMT_DEATH_TO, ARB_SEV_HIGH, 0, 0, PUTIN),
                      ONE(ARB_STMT_CALL, ARB_SEV_HIGH, 0, 0, SOLDIERS)};
    for (int k = 0; k < 3; k++) {
        arb__verdict v1 = eval_at(a, &r1, s, 2, "UA", NULL, "2022-03-12T00:00:00Z");
        arb__verdict v2 = eval_at(b, &r2, s, 2, "UA", NULL, "2022-03-12T00:00:00Z");
        assert_int_equal(v1.action, v2.action);
        assert_string_equal(v1.rule, v2.rule);
        assert_string_equal(v1.reason, v2.reason);
        assert_int_equal(v1.stmt_index, v2.stmt_index);
    }
    /* one changed byte changes the hash */
    size_t n;
    const arb_source *src = arb_default_policy_sources(&n);
    arb_source copy[8];
    assert_true(n <= 8);
    memcpy(copy, src, n * sizeof *src);
    char *d = malloc(copy[0].len + 1);
    memcpy(d, copy[0].data, copy[0].len);
    d[copy[0].len] = '\0';
    char *hash = strchr(d, '#');
    assert_non_null(hash);
    hash[1] = hash[1] == 'x' ? 'y' : 'x'; /* inside a comment: same rules */
    copy[0].data = d;
    arb__policy *c = NULL;
    arb_limits lim;
    arb_limits_default(&lim);
    assert_int_equal(arb__policy_compile(&arb__default_allocator, &lim, copy, n, &c, NULL), ARB_OK);
    assert_string_not_equal(arb__policy_hash(a), arb__policy_hash(c));
    free(d);
    arb__policy_free(c);
    arb__arena_free(r1.ar);
    arb__arena_free(r2.ar);
    arb__policy_free(a);
    arb__policy_free(b);
}

/* ---------------- lint warnings ---------------- */

typedef struct msgs {
    char text[16][256];
    size_t n;
} msgs;

static void collect(void *ud, arb_diag_level lv, const char *src, unsigned line, unsigned col,
                    const char *msg)
{
    msgs *m = ud;
    if (m->n < 16)
        snprintf(m->text[m->n++], 256, "%s:%u:%u: %s: %s", src, line, col,
                 lv ? "warning" : "error", msg);
}

static int has(const msgs *m, const char *needle)
{
    for (size_t i = 0; i < m->n; i++)
        if (strstr(m->text[i], needle))
            return 1;
    return 0;
}

static void test_lint_warnings(void **state)
{
    (void)state;
    const char *y = PACK_HDR "rules:\n"
                             "  - id: wide\n"
                             "    condition: {types: [intent, call_to_action]}\n"
                             "    action: remove\n"
                             "    reason: r\n"
                             "  - id: narrow\n"
                             "    condition: {types: [intent], min_severity: high}\n"
                             "    action: escalate\n"
                             "    reason: r\n"
                             "    examples: [{text: t, country: US, at: 2023-01-01T00:00:00Z, "
                             "expect: remove, rule: nosuch}]\n"
                             "  - id: never\n"
                             "    condition: {modifiers: {any: [negation], none: [negation]}}\n"
                             "    action: allow\n"
                             "    reason: r\n"
                             "overlays:\n"
                             "  - id: forever\n"
                             "    start: 2022-01-01T00:00:00Z\n"
                             "    countries: [UA]\n"
                             "    versions: [{version: '1', rules: [{id: f, overrides: wide, "
                             "action: allow, reason: r}]}]\n";
    arb_source s = {"w.yaml", y, strlen(y)};
    msgs m = {0};
    assert_int_equal(arb_policy_lint(&s, 1, NULL, collect, &m), 0);
    assert_true(has(&m, "w.yaml:7:5: warning: rule \"narrow\" is shadowed by rule \"wide\""));
    assert_true(has(&m, "w.yaml:12:5: warning: rule \"never\" can never fire"));
    assert_true(has(&m, "w.yaml:17:5: warning: overlay \"forever\" has no end"));
    assert_true(has(&m, "w.yaml:11:16: warning: example expects rule \"nosuch\""));
    assert_true(has(&m, "has no examples"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_pack_loads),
        cmocka_unit_test(test_revised_pack_loads),
        cmocka_unit_test(test_shipped_packs_lint_clean),
        cmocka_unit_test(test_error_unknown_key),
        cmocka_unit_test(test_error_unknown_enum),
        cmocka_unit_test(test_error_unknown_country),
        cmocka_unit_test(test_error_bad_time),
        cmocka_unit_test(test_error_temporary_without_end),
        cmocka_unit_test(test_error_overlay_vs_floor),
        cmocka_unit_test(test_error_yaml),
        cmocka_unit_test(test_error_versions),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_alloc_failures),
        cmocka_unit_test(test_no_statement_default),
        cmocka_unit_test(test_soldiers_overlay),
        cmocka_unit_test(test_floors),
        cmocka_unit_test(test_heads_of_state),
        cmocka_unit_test(test_most_severe_wins),
        cmocka_unit_test(test_revisions_by_time),
        cmocka_unit_test(test_restrict_and_reason),
        cmocka_unit_test(test_determinism),
        cmocka_unit_test(test_lint_warnings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
