/*
 * test_lexicon.c -- the YAML lexicon compiler: errors name file, line and
 * column; morphology (Snowball, Hunspell, derivation rules) expands forms at
 * compile time; transliterated and keyboard-swapped variants exist; the
 * pattern listing for external tools; limits and allocation failures; the
 * stage-1 prefilter never hides a trigger the full database would find.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lexicon_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static arb__lexicon *g_lx; /* the embedded lexicons, compiled once */

static int setup(void **state)
{
    (void)state;
    size_t n;
    const arb_source *src = arb_default_lexicon_sources(&n);
    arb_limits lim;
    arb_limits_default(&lim);
    arb_error err = {0};
    arb_status st = arb__lexicon_compile(&arb__default_allocator, &lim, src, n, &g_lx, &err);
    if (st != ARB_OK)
        fprintf(stderr, "embedded lexicon: %s:%u:%u: %s\n", err.source, err.line, err.column,
                err.message);
    return st == ARB_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    arb__lexicon_free(g_lx);
    return 0;
}

static arb_status compile1(const char *name, const char *yaml, arb__lexicon **out,
                           arb_error *err)
{
    arb_source s = {name, yaml, strlen(yaml)};
    arb_limits lim;
    arb_limits_default(&lim);
    memset(err, 0, sizeof *err);
    return arb__lexicon_compile(&arb__default_allocator, &lim, &s, 1, out, err);
}

static bool has_pattern(const arb__lexicon *lx, const char *p, int role)
{
    for (size_t i = 0; i < arb__lexicon_pattern_count(lx); i++)
        if (!strcmp(arb__lexicon_pattern(lx, i), p) && (role < 0 || lx->pats[i].role == role))
            return true;
    return false;
}

static bool have_dict(const char *name)
{
    char p[128];
    snprintf(p, sizeof p, "/usr/share/hunspell/%s.dic", name);
    return access(p, R_OK) == 0;
}

static void test_embedded_compiles(void **state)
{
    (void)state;
    assert_true(arb__lexicon_pattern_count(g_lx) > 1000);
    assert_non_null(arb__lexicon_pattern(g_lx, 0));
    assert_null(arb__lexicon_pattern(g_lx, arb__lexicon_pattern_count(g_lx)));
    assert_int_equal(arb__lexicon_pattern_count(NULL), 0);
    /* one entry of each kind at least, in each of the four languages */
    const char *langs[] = {"en", "ru", "uk", "pl"};
    for (size_t l = 0; l < 4; l++)
        for (int k = 0; k < LX__KIND_COUNT; k++) {
            if (k == LX_CODED && (l == 0 || l == 3))
                continue; /* no coded formulas in EN/PL lexicons */
            bool found = false;
            for (size_t i = 0; i < g_lx->n_entries; i++)
                if (g_lx->entries[i].kind == k && !strcmp(g_lx->entries[i].lang, langs[l]))
                    found = true;
            if (!found)
                fail_msg("no entry of kind %d in %s", k, langs[l]);
        }
}

static void test_snowball_and_hunspell_expand_nouns(void **state)
{
    (void)state;
    if (!have_dict("ru_RU"))
        skip();
    /* Russian: Snowball stem "оккупант" + case endings, checked by Hunspell */
    assert_true(has_pattern(g_lx, "оккупантами", LX_ROLE_WORD));
    assert_true(has_pattern(g_lx, "оккупантов", LX_ROLE_WORD));
    /* a head of state's name inflected: путин -> путину (dative) */
    assert_true(has_pattern(g_lx, "путину", LX_ROLE_WORD));
    /* Polish: strip + endings: okupant -> okupantami */
    assert_true(has_pattern(g_lx, "okupantami", LX_ROLE_WORD));
    /* a fleeting vowel: подонок -> подонком, мерзавец -> мерзавцу (forms the
     * YAML does not list), and no invented form */
    assert_true(has_pattern(g_lx, "подонком", LX_ROLE_WORD));
    assert_true(has_pattern(g_lx, "мерзавцу", LX_ROLE_WORD));
    assert_false(has_pattern(g_lx, "подонока", LX_ROLE_WORD));
    if (have_dict("uk_UA"))
        assert_true(has_pattern(g_lx, "покидьком", LX_ROLE_WORD));
}

static void test_derivation_rules(void **state)
{
    (void)state;
    if (!have_dict("en_US") || !have_dict("pl_PL") || !have_dict("ru_RU"))
        skip();
    assert_true(has_pattern(g_lx, "killed", LX_ROLE_PAST));
    assert_true(has_pattern(g_lx, "killing", LX_ROLE_GER));
    assert_true(has_pattern(g_lx, "stabbed", LX_ROLE_PAST));    /* doubled consonant */
    assert_true(has_pattern(g_lx, "executed", LX_ROLE_PAST));   /* e-drop */
    assert_false(has_pattern(g_lx, "killeed", -1));             /* pruned */
    assert_true(has_pattern(g_lx, "zabiłem", LX_ROLE_PAST1));   /* PL 1st-person past */
    assert_true(has_pattern(g_lx, "расстрелял", LX_ROLE_PAST)); /* RU past from inf */
    assert_true(has_pattern(g_lx, "расстреляны", LX_ROLE_PART));
}

/* The violent vocabulary of the extermination, beating and suicide-incitement
 * families (docs/lexicons.md): forms Hunspell does not know are listed by
 * role and reach the database with that role, the Polish ones also folded;
 * and no trigger literal reads "off" written once ("of yourself", "proud of
 * themselves"): the reflexive "off yourself" / "off themselves" must stay
 * regexes, since every literal with a doubled letter also gets that variant. */
static void test_violent_vocabulary(void **state)
{
    (void)state;
    assert_true(has_pattern(g_lx, "genocided", LX_ROLE_PAST));
    assert_true(has_pattern(g_lx, "kneecapped", LX_ROLE_PAST));
    assert_true(has_pattern(g_lx, "pistol whipped", LX_ROLE_PAST));
    assert_true(has_pattern(g_lx, "kerb stomp", LX_ROLE_BASE));
    assert_true(has_pattern(g_lx, "curb stomping", LX_ROLE_GER));
    assert_true(has_pattern(g_lx, "kys", LX_ROLE_NOUN));
    assert_true(has_pattern(g_lx, "проредить", LX_ROLE_INF));
    assert_true(has_pattern(g_lx, "отмудохаю", LX_ROLE_FUT1));
    assert_true(has_pattern(g_lx, "выпей яду", LX_ROLE_NOUN));
    assert_true(has_pattern(g_lx, "зачистіть", LX_ROLE_IMP));
    assert_true(has_pattern(g_lx, "відгамселю", LX_ROLE_FUT1));
    assert_true(has_pattern(g_lx, "zlinczować", LX_ROLE_INF));
    assert_true(has_pattern(g_lx, "zlinczowac", LX_ROLE_INF)); /* folded */
    assert_true(has_pattern(g_lx, "przetrzebić", LX_ROLE_INF));
    for (size_t i = 0; i < arb__lexicon_pattern_count(g_lx); i++) {
        const char *p = arb__lexicon_pattern(g_lx, i);
        if (!strncmp(p, "of ", 3) && (strstr(p, "yourself") || strstr(p, "themselves") ||
                                      strstr(p, "himself") || strstr(p, "herself")))
            fail_msg("pattern %zu '%s' would match 'of yourself'", i, p);
    }
}

static void test_variants(void **state)
{
    (void)state;
    /* doubled letters also written once (the normalizer collapses runs) */
    assert_true(has_pattern(g_lx, "kil", LX_ROLE_BASE));
    /* transliteration (simplified and ICU BGN) and keyboard layout */
    bool translit = false, keyboard = false;
    for (size_t i = 0; i < g_lx->n_pats; i++) {
        const lx_pattern *p = &g_lx->pats[i];
        if (!strcmp(p->regex, "smert") && p->variant == LX_VAR_TRANSLIT)
            translit = true;
        if (!strcmp(p->regex, "cvthnm") && p->variant == LX_VAR_KEYBOARD)
            keyboard = true;
    }
    assert_true(translit);
    assert_true(keyboard);
    assert_true(has_pattern(g_lx, "ubey", LX_ROLE_IMP));
    assert_true(has_pattern(g_lx, "okkupantam", -1));
}

static bool has_variant(const arb__lexicon *lx, const char *p, int variant, int role)
{
    for (size_t i = 0; i < lx->n_pats; i++)
        if (!strcmp(lx->pats[i].regex, p) && lx->pats[i].variant == variant &&
            (role < 0 || lx->pats[i].role == role))
            return true;
    return false;
}

/* chat transliteration with apostrophes, punctuation keys of the layout,
 * and the pronouns' variants */
static void test_soft_translit_and_layout_keys(void **state)
{
    (void)state;
    assert_true(has_variant(g_lx, "zastrel'u", LX_VAR_TRANSLIT, LX_ROLE_FUT1)); /* застрелю */
    assert_true(has_variant(g_lx, "ub'yu", LX_VAR_TRANSLIT, LX_ROLE_FUT1));     /* убью */
    assert_true(has_variant(g_lx, "ub`yu", LX_VAR_TRANSLIT, LX_ROLE_FUT1));
    assert_true(has_variant(g_lx, "ub\xe2\x80\x99yu", LX_VAR_TRANSLIT, LX_ROLE_FUT1));
    assert_true(has_variant(g_lx, "vb'yu", LX_VAR_TRANSLIT, LX_ROLE_FUT1));     /* вб'ю */
    /* literals are escaped: "e,m\\." is «убью», "d,`\\." is «вб'ю» */
    assert_true(has_variant(g_lx, "e,m\\.", LX_VAR_KEYBOARD, LX_ROLE_FUT1));
    assert_true(has_variant(g_lx, "d,`\\.", LX_VAR_KEYBOARD, LX_ROLE_FUT1));
    /* pronouns, down to two letters */
    assert_true(has_variant(g_lx, "nt,z", LX_VAR_KEYBOARD, -1)); /* тебя */
    assert_true(has_variant(g_lx, "tebya", LX_VAR_TRANSLIT, -1));
    assert_true(has_variant(g_lx, "ty", LX_VAR_TRANSLIT, -1));   /* ты */
    /* Polish without diacritics: ambiguous only where the dictionary knows
     * the folded word */
    if (have_dict("pl_PL")) {
        assert_true(has_variant(g_lx, "zabije", LX_VAR_FOLD1, LX_ROLE_PRES3));
        assert_true(has_variant(g_lx, "zastrzele", LX_VAR_PLAIN, LX_ROLE_FUT1));
        assert_false(has_variant(g_lx, "zastrzele", LX_VAR_FOLD1, -1));
    }
}

static void test_yaml_syntax_error(void **state)
{
    (void)state;
    arb__lexicon *lx = NULL;
    arb_error err;
    arb_status st = compile1("bad.yaml", "lang: en\nentries:\n  - [unclosed\n", &lx, &err);
    assert_int_equal(st, ARB_PARSE);
    assert_null(lx);
    assert_string_equal(err.source, "bad.yaml");
    assert_true(err.line >= 3);
    assert_true(strlen(err.message) > 0);
}

static void test_binary_rejected(void **state)
{
    (void)state;
    arb__lexicon *lx = NULL;
    arb_error err;
    arb_source s = {"nul.yaml", "lang: en\n%YAML\0 1.2\n", 20};
    arb_limits lim;
    arb_limits_default(&lim);
    assert_int_equal(arb__lexicon_compile(&arb__default_allocator, &lim, &s, 1, &lx, &err),
                     ARB_PARSE);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 6);
    assert_int_equal(compile1("u.yaml", "lang: en\nentries: [\xff]\n", &lx, &err), ARB_PARSE);
    assert_int_equal(err.line, 2);
    assert_non_null(strstr(err.message, "UTF-8"));
    assert_null(lx);
}

static void test_unknown_key_position(void **state)
{
    (void)state;
    arb__lexicon *lx = NULL;
    arb_error err;
    const char *y = "lang: en\n"
                    "entries:\n"
                    "  - kind: trigger\n"
                    "    label: kill\n"
                    "    severity: high\n"
                    "    colour: red\n"
                    "    words: [kill]\n";
    assert_int_equal(compile1("x.yaml", y, &lx, &err), ARB_LEXICON);
    assert_int_equal(err.line, 6);
    assert_int_equal(err.column, 5);
    assert_non_null(strstr(err.message, "colour"));
}

static void test_bad_values(void **state)
{
    (void)state;
    arb__lexicon *lx = NULL;
    arb_error err;
    assert_int_equal(compile1("a.yaml", "lang: en\nentries:\n  - {kind: target, label: x, class: aliens, words: [x]}\n", &lx, &err), ARB_LEXICON);
    assert_non_null(strstr(err.message, "aliens"));
    assert_int_equal(err.line, 3);
    assert_int_equal(compile1("a.yaml", "lang: en\nentries:\n  - {kind: trigger, label: x, severity: high, forms: {shout: [x]}}\n", &lx, &err), ARB_LEXICON);
    assert_non_null(strstr(err.message, "shout"));
    assert_int_equal(compile1("a.yaml", "lang: en\nentries:\n  - {kind: trigger, label: x, words: [x]}\n", &lx, &err), ARB_LEXICON);
    assert_non_null(strstr(err.message, "severity"));
    assert_int_equal(compile1("a.yaml", "lang: en\nentries:\n  - {kind: target, label: x, class: military, affiliation: XX, words: [x]}\n", &lx, &err), ARB_LEXICON);
    assert_int_equal(compile1("a.yaml", "entries: []\n", &lx, &err), ARB_LEXICON);
    assert_non_null(strstr(err.message, "lang"));
    assert_int_equal(compile1("a.yaml", "lang: en\nentries:\n  - {kind: cue, cue: intent}\n", &lx, &err), ARB_LEXICON);
    assert_non_null(strstr(err.message, "no words"));
    assert_null(lx);
}

static void test_bad_regex_names_line(void **state)
{
    (void)state;
    arb__lexicon *lx = NULL;
    arb_error err;
    const char *y = "lang: en\n"
                    "entries:\n"
                    "  - kind: cred\n"
                    "    cred: timing\n"
                    "    label: t\n"
                    "    regex:\n"
                    "      - \"at [0-9]+\"\n"
                    "      - \"at (noon\"\n";
    assert_int_equal(compile1("r.yaml", y, &lx, &err), ARB_LEXICON);
    assert_string_equal(err.source, "r.yaml");
    assert_int_equal(err.line, 8);
    assert_non_null(strstr(err.message, "at (noon"));
}

/* a small lexicon and a scratch for it */
static arb__lexicon_scratch *compile_scratch(const char *name, const char *yaml,
                                             arb__lexicon **lx)
{
    arb_error err;
    assert_int_equal(compile1(name, yaml, lx, &err), ARB_OK);
    arb__lexicon_scratch *ls = NULL;
    assert_int_equal(arb__lexicon_scratch_new(*lx, &ls), ARB_OK);
    return ls;
}

#define ZAP_YOU                                                                                 \
    "lang: en\n"                                                                                \
    "entries:\n"                                                                                \
    "  - {kind: trigger, label: zap, severity: mid, verbs: [zap]}\n"                            \
    "  - {kind: target, label: you, class: private_person, flags: [pronoun], words: [you]}\n"

static void test_small_lexicon_matches(void **state)
{
    (void)state;
    arb__lexicon *lx = NULL;
    arb__lexicon_scratch *ls =
        compile_scratch("s.yaml", ZAP_YOU "  - {kind: cue, cue: intent, words: [i will]}\n", &lx);
    arb__arena *ar = arb__arena_new(&arb__default_allocator, 1 << 20);
    const char *text = "i will zap you";
    arb_span orig[14];
    for (uint32_t i = 0; i < 14; i++)
        orig[i] = (arb_span){i, i + 1};
    arb_normalized nm = {text, 14, orig, 0};
    arb__analysis an;
    arb_limits lim;
    arb_limits_default(&lim);
    assert_int_equal(arb__analyze(lx, ls, ar, &lim, &nm, NULL, 0, NULL, 0, &an), ARB_OK);
    assert_int_equal(an.n_stmts, 1);
    assert_int_equal(an.stmts[0].type, ARB_STMT_INTENT);
    assert_int_equal(an.stmts[0].severity, ARB_SEV_MID);
    assert_string_equal(an.stmts[0].trigger_label, "zap");
    /* too many matcher hits: a clear limit error, not a silent truncation */
    lim.max_matches = 2;
    arb__arena_reset(ar);
    assert_int_equal(arb__analyze(lx, ls, ar, &lim, &nm, NULL, 0, NULL, 0, &an), ARB_LIMIT);
    arb__arena_free(ar);
    arb__lexicon_scratch_free(ls);
    arb__lexicon_free(lx);
    arb__lexicon_free(NULL);
    arb__lexicon_scratch_free(NULL);
}

/* number of statements for `text` (already normalized), and the first one's
 * type and modifiers */
static size_t analyze1(const arb__lexicon *lx, const char *text, int *type, uint32_t *mods)
{
    arb__lexicon_scratch *ls = NULL;
    assert_int_equal(arb__lexicon_scratch_new(lx, &ls), ARB_OK);
    arb__arena *ar = arb__arena_new(&arb__default_allocator, 1 << 20);
    size_t n = strlen(text);
    arb_span orig[128];
    assert_true(n <= 128);
    for (uint32_t i = 0; i < n; i++)
        orig[i] = (arb_span){i, i + 1};
    arb_normalized nm = {text, n, orig, 0};
    arb__analysis an;
    arb_limits lim;
    arb_limits_default(&lim);
    assert_int_equal(arb__analyze(lx, ls, ar, &lim, &nm, NULL, 0, NULL, 0, &an), ARB_OK);
    size_t k = an.n_stmts;
    *type = k ? (int)an.stmts[0].type : -1;
    *mods = k ? an.stmts[0].modifiers : 0;
    arb__arena_free(ar);
    arb__lexicon_scratch_free(ls);
    return k;
}

/* flag `person`: the subject of a passive is the victim; cue `det`: an
 * object only before a person or at the clause end; cue `negdet`: a negated
 * subject */
static void test_person_det_negdet(void **state)
{
    (void)state;
    const char *y = "lang: en\n"
                    "entries:\n"
                    "  - {kind: trigger, label: zap, severity: high, flags: [person], forms: {base: [zap], past: [zapped]}}\n"
                    "  - {kind: trigger, label: zop, severity: high, forms: {base: [zop], past: [zopped]}}\n"
                    "  - {kind: cue, cue: modal, words: [should]}\n"
                    "  - {kind: cue, cue: be, words: [be]}\n"
                    "  - {kind: cue, cue: det, words: [all, these]}\n"
                    "  - {kind: cue, cue: negdet, words: [no]}\n"
                    "  - {kind: target, label: cats, class: protected_group, words: [cat, cats]}\n";
    arb__lexicon *lx = NULL;
    arb_error err;
    assert_int_equal(compile1("p.yaml", y, &lx, &err), ARB_OK);
    int type;
    uint32_t mods;
    assert_int_equal(analyze1(lx, "the doctor should be zapped", &type, &mods), 1);
    assert_int_equal(type, ARB_STMT_CALL);
    assert_int_equal(analyze1(lx, "the plan should be zopped", &type, &mods), 0);
    assert_int_equal(analyze1(lx, "zop all these cats", &type, &mods), 1);
    assert_int_equal(type, ARB_STMT_CALL);
    assert_int_equal(analyze1(lx, "zop all these boxes", &type, &mods), 0);
    assert_int_equal(analyze1(lx, "zop all", &type, &mods), 1);
    assert_int_equal(analyze1(lx, "cats should be zopped", &type, &mods), 1);
    assert_int_equal(mods & ARB_MOD_NEGATION, 0);
    assert_int_equal(analyze1(lx, "no cat should be zopped", &type, &mods), 1);
    assert_int_equal(mods & ARB_MOD_NEGATION, ARB_MOD_NEGATION);
    arb__lexicon_free(lx);
    lx = NULL;
    assert_int_equal(compile1("p.yaml", "lang: en\nentries:\n  - {kind: trigger, label: x, severity: high, flags: [persons], words: [x]}\n", &lx, &err), ARB_LEXICON);
    assert_non_null(strstr(err.message, "persons"));
    assert_int_equal(compile1("p.yaml", "lang: en\nentries:\n  - {kind: cue, cue: dets, words: [x]}\n", &lx, &err), ARB_LEXICON);
    assert_null(lx);
}

/* translit: polish adds the form without diacritics; a folded first-person
 * future is also a third-person form; short trigger words are not folded */
static void test_polish_folding(void **state)
{
    (void)state;
    const char *y = "lang: pl\n"
                    "morphology: {translit: polish}\n"
                    "entries:\n"
                    "  - {kind: trigger, label: death_to, severity: high, flags: [formula], words: [śmierć]}\n"
                    "  - {kind: trigger, label: kill, severity: high, forms: {fut1: [zabiję], imp: [giń]}}\n";
    arb__lexicon *lx = NULL;
    arb_error err;
    assert_int_equal(compile1("f.yaml", y, &lx, &err), ARB_OK);
    assert_true(has_pattern(lx, "śmierć", LX_ROLE_NOUN));
    assert_true(has_pattern(lx, "smierc", LX_ROLE_NOUN));
    assert_true(has_pattern(lx, "zabiję", LX_ROLE_FUT1));
    assert_true(has_pattern(lx, "zabije", LX_ROLE_PRES3));
    assert_false(has_pattern(lx, "zabije", LX_ROLE_FUT1));
    assert_false(has_pattern(lx, "gin", -1));
    arb__lexicon_free(lx);
    assert_int_equal(compile1("f.yaml", "lang: pl\nmorphology: {translit: czech}\nentries: []\n", &lx, &err), ARB_LEXICON);
}

/* a derived spelling of a trigger or target that is an English word is not
 * emitted: Polish «pedał» folded is "pedal", Russian «Трамп» transliterated
 * is "tramp"; the written forms, the other derived forms, and an English
 * entry's own spelling with a doubled letter written once ("councillor" ->
 * "councilor", which is mostly the same word) stay */
static void test_derived_english_words_dropped(void **state)
{
    (void)state;
    if (!have_dict("en_US"))
        skip();
    const char *pl = "lang: pl\n"
                     "morphology: {translit: polish}\n"
                     "entries:\n"
                     "  - {kind: target, label: gays, class: protected_group, words: [pedał, pedała, pedały]}\n";
    arb__lexicon *lx = NULL;
    arb_error err;
    assert_int_equal(compile1("pl.yaml", pl, &lx, &err), ARB_OK);
    assert_true(has_pattern(lx, "pedał", -1));
    assert_false(has_pattern(lx, "pedal", -1));
    assert_true(has_pattern(lx, "pedala", -1));
    assert_true(has_pattern(lx, "pedaly", -1));
    arb__lexicon_free(lx);
    const char *ru = "lang: ru\n"
                     "morphology: {translit: russian}\n"
                     "entries:\n"
                     "  - {kind: target, label: trump, class: head_of_state, words: [трамп, трампа]}\n";
    assert_int_equal(compile1("ru.yaml", ru, &lx, &err), ARB_OK);
    assert_true(has_pattern(lx, "трамп", -1));
    assert_false(has_pattern(lx, "tramp", -1));
    assert_true(has_pattern(lx, "trampa", -1));
    arb__lexicon_free(lx);
    const char *en = "lang: en\n"
                     "entries:\n"
                     "  - {kind: target, label: finns, class: civilians, affiliation: FI, words: [finns]}\n"
                     "  - {kind: target, label: officials, class: public_figure, words: [councillor]}\n";
    assert_int_equal(compile1("en.yaml", en, &lx, &err), ARB_OK);
    assert_true(has_pattern(lx, "finns", -1));
    assert_true(has_pattern(lx, "councilor", -1));
    arb__lexicon_free(lx);
}

static void test_source_too_big(void **state)
{
    (void)state;
    arb_source s = {"big.yaml", "lang: en\n", 9};
    arb_limits lim;
    arb_limits_default(&lim);
    lim.max_policy_bytes = 4;
    arb__lexicon *lx = NULL;
    arb_error err;
    assert_int_equal(arb__lexicon_compile(&arb__default_allocator, &lim, &s, 1, &lx, &err),
                     ARB_TOO_BIG);
    assert_null(lx);
}

/* an allocator that fails after `left` allocations */
typedef struct failing {
    long left;
} failing;

static void *failing_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    (void)osize;
    failing *f = ud;
    if (nsize == 0) {
        free(ptr);
        return NULL;
    }
    if (f->left-- <= 0)
        return NULL;
    return realloc(ptr, nsize);
}

static void test_allocation_failures(void **state)
{
    (void)state;
    const char *y = "lang: en\n"
                    "entries:\n"
                    "  - {kind: trigger, label: zap, severity: mid, words: [zap, zapp, zaps]}\n"
                    "  - {kind: target, label: you, class: private_person, words: [you]}\n";
    arb_source s = {"f.yaml", y, strlen(y)};
    arb_limits lim;
    arb_limits_default(&lim);
    bool succeeded = false;
    for (long n = 0; n < 200 && !succeeded; n++) {
        failing f = {n};
        arb_allocator a = {failing_alloc, &f};
        arb__lexicon *lx = NULL;
        arb_error err;
        arb_status st = arb__lexicon_compile(&a, &lim, &s, 1, &lx, &err);
        if (st == ARB_OK) {
            succeeded = true;
            arb__lexicon_free(lx);
        } else {
            assert_int_equal(st, ARB_NOMEM);
            assert_null(lx);
        }
    }
    assert_true(succeeded);
}

/* ---- stage-1 prefilter ---- */

typedef struct full_ctx {
    const arb__lexicon *lx;
    const char *t;
    size_t n;
    bool trig;
} full_ctx;

/* What the full scan counts as a trigger hit: a trigger or coded pattern
 * whose match starts and ends on word boundaries (as src/analyze.c checks). */
static int full_match(unsigned id, unsigned long long from, unsigned long long to, unsigned fl,
                      void *ud)
{
    (void)fl;
    full_ctx *c = ud;
    uint16_t ll = c->lx->pats[id].lit_len;
    size_t s = ll ? (size_t)to - ll : (size_t)from, e = (size_t)to;
    if (e <= s || !arb__lx_starts_word(c->t, c->n, s) || !arb__lx_ends_word(c->t, c->n, e))
        return 0;
    uint8_t k = c->lx->entries[c->lx->pats[id].entry].kind;
    if (arb__lx_makes_statement(k))
        c->trig = true;
    return 0;
}

static bool full_has_trigger(const arb__lexicon *lx, arb__lexicon_scratch *ls, const char *t,
                             size_t n)
{
    full_ctx c = {lx, t, n, false};
    assert_true(arb__lexicon_scan(lx, ls, t, n, full_match, &c) == HS_SUCCESS);
    return c.trig;
}

/* ---- start of a regex hit without start-of-match tracking ---- */

typedef struct sh_ctx {
    const arb__lexicon *lx;
    const char *t; /* the text scanned, t[0..tn) */
    size_t tn;
    unsigned long long h[256][3];
    size_t n;
} sh_ctx;

static int sh_collect(unsigned id, unsigned long long from, unsigned long long to, unsigned fl,
                      void *ud)
{
    (void)fl;
    sh_ctx *c = ud;
    if (c->lx->pats[id].lit_len)
        return 0; /* literals: start = end - length either way */
    if (!arb__lx_ends_word(c->t, c->tn, (size_t)to))
        return 0; /* arb__lexicon_scan leaves out regex hits ending inside a word */
    assert_true(c->n < 256);
    c->h[c->n][0] = id;
    c->h[c->n][1] = from;
    c->h[c->n][2] = to;
    c->n++;
    return 0;
}

static int sh_cmp(const void *a, const void *b)
{
    const unsigned long long *x = a, *y = b;
    for (int k = 0; k < 3; k++)
        if (x[k] != y[k])
            return x[k] < y[k] ? -1 : 1;
    return 0;
}

/* arb__lexicon_scan gives regex hits the start that Vectorscan's
 * HS_FLAG_SOM_LEFTMOST gives (the leftmost one for each end), found by
 * scanning the reversed regex backwards: compared, hit for hit, with one
 * database of the same regexes compiled with start-of-match tracking.  The
 * regexes cover word slots with several possible starts, '$' (at the end,
 * before a final newline, and elsewhere), Cyrillic, an escape, and one
 * regex that does not reverse (\b) and keeps start-of-match tracking. */
static void test_regex_start(void **state)
{
    (void)state;
    arb__lexicon *lx = NULL;
    arb__lexicon_scratch *ls = compile_scratch(
        "r.yaml",
        "lang: en\n"
        "entries:\n"
        "  - kind: trigger\n"
        "    label: zap\n"
        "    severity: high\n"
        "    regex: [\"wipe (?:[a-z']+ ){1,6}off the map\", "
        "\"(?:zap|kill)(?: [^ ,.!?;:]+){0,3} (?:you|them)(?:[.!]|$)\", "
        "\"(?:ha )+ha\", \"(?:убью|зарежу)(?: [^ ,.!?;:]+){0,2} (?:тебя|вас)\", "
        "\"\\\\$ ?[0-9][0-9,.]*(?:k| thousand)?\", \"\\\\bzap\\\\w*\", \"x{2,}y|xxy\"]\n"
        "  - {kind: target, label: you, class: private_person, flags: [pronoun], words: [you]}\n",
        &lx);
    assert_non_null(lx->rx_db);
    assert_non_null(lx->rev_db);
    assert_non_null(lx->som_db); /* the \b regex */
    const char **expr = malloc(lx->n_pats * sizeof *expr);
    unsigned *flags = malloc(lx->n_pats * sizeof *flags), *ids = malloc(lx->n_pats * sizeof *ids);
    assert_non_null(expr);
    assert_non_null(flags);
    assert_non_null(ids);
    unsigned m = 0;
    for (size_t i = 0; i < lx->n_pats; i++)
        if (!lx->pats[i].lit_len) {
            expr[m] = lx->pats[i].regex;
            flags[m] = HS_FLAG_UTF8 | HS_FLAG_SOM_LEFTMOST;
            ids[m++] = (unsigned)i;
        }
    assert_int_equal(m, 7);
    hs_database_t *ref = NULL;
    hs_compile_error_t *ce = NULL;
    assert_int_equal(hs_compile_multi(expr, flags, ids, m, HS_MODE_BLOCK, NULL, &ref, &ce),
                     HS_SUCCESS);
    hs_scratch_t *hs = NULL;
    assert_int_equal(hs_alloc_scratch(ref, &hs), HS_SUCCESS);
    static const char *texts[] = {
        "wipe them off the map",
        "wipe wipe them all off the map and wipe a b c d e f g off the map",
        "i will zap you", "zap zap you", "kill them. zap them all you", "kill them\n",
        "kill them\n\n", "kill them all!", "zap a b c d you and zap you",
        "ha ha ha ha", "haha ha ha", "я убью тебя", "убью убью его тебя вас",
        "зарежу вас\n", "$ 5,000 thousand bounty, $5k", "zapper zap", "xxxxy xxy xy", "$1,2,3 and $1234 thousand",
        "zap you you you you",
        "", "you",
    };
    size_t total = 0;
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        const char *t = texts[i];
        size_t n = strlen(t);
        sh_ctx a = {.lx = lx, .t = t, .tn = n}, b = {.lx = lx, .t = t, .tn = n};
        assert_int_equal(hs_scan(ref, t, (unsigned)n, 0, hs, sh_collect, &a), HS_SUCCESS);
        assert_int_equal(arb__lexicon_scan(lx, ls, t, n, sh_collect, &b), HS_SUCCESS);
        qsort(a.h, a.n, sizeof a.h[0], sh_cmp);
        qsort(b.h, b.n, sizeof b.h[0], sh_cmp);
        assert_int_equal(a.n, b.n);
        for (size_t k = 0; k < a.n; k++)
            assert_memory_equal(a.h[k], b.h[k], sizeof a.h[k]);
        total += a.n;
    }
    assert_true(total >= 30); /* the texts do hit the regexes */
    hs_free_scratch(hs);
    hs_free_database(ref);
    free(expr);
    free(flags);
    free(ids);
    arb__lexicon_scratch_free(ls);
    arb__lexicon_free(lx);
}

/* The prefilter may only say "no trigger" when the full database has none:
 * checked on a small lexicon by hand and, over every golden text, on the
 * embedded one.  Counting how often it says "no" shows it does filter. */
static void test_prefilter(void **state)
{
    (void)state;
    arb__lexicon *lx = NULL;
    arb__lexicon_scratch *ls = compile_scratch("p.yaml", ZAP_YOU, &lx);
    assert_non_null(lx->trig_db);
    static const struct {
        const char *text;
        bool maybe;
    } cases[] = {
        {"i will zap you", true}, {"you and you", false}, {"rezap you", false},
        {"zapper", false},        {"", false},            {"zap", true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        bool maybe = !cases[i].maybe;
        const char *t = cases[i].text;
        assert_int_equal(arb__lexicon_prefilter(lx, ls, t, strlen(t), &maybe), ARB_OK);
        assert_int_equal(maybe, cases[i].maybe);
        assert_int_equal(full_has_trigger(lx, ls, t, strlen(t)), cases[i].maybe);
    }
    arb__lexicon_scratch_free(ls);
    arb__lexicon_free(lx);

    /* a lexicon without triggers can never make a statement */
    ls = compile_scratch("t.yaml",
                         "lang: en\nentries:\n  - {kind: target, label: you, class: "
                         "private_person, flags: [pronoun], words: [you]}\n",
                         &lx);
    assert_null(lx->trig_db);
    bool maybe = true;
    assert_int_equal(arb__lexicon_prefilter(lx, ls, "you", 3, &maybe), ARB_OK);
    assert_false(maybe);
    arb__lexicon_scratch_free(ls);
    arb__lexicon_free(lx);

    /* the embedded lexicon over the golden texts (lower-cased) */
    const char *dir = getenv("ARB_TEST_DATA");
    assert_non_null(dir);
    assert_int_equal(arb__lexicon_scratch_new(g_lx, &ls), ARB_OK);
    size_t texts = 0, no = 0;
    static const char *langs[] = {"en", "ru", "uk", "pl"};
    for (size_t l = 0; l < 4; l++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/golden/cases/%s.jsonl", dir, langs[l]);
        FILE *f = fopen(path, "r");
        assert_non_null(f);
        char line[8192];
        while (fgets(line, sizeof line, f)) {
            char *p = strstr(line, "\"text\":");
            if (!p)
                continue;
            p = strchr(p + 7, '"');
            if (!p)
                continue;
            char *q = ++p;
            while (*q && !(*q == '"' && q[-1] != '\\'))
                q++;
            size_t n = (size_t)(q - p);
            for (size_t i = 0; i < n; i++)
                if (p[i] >= 'A' && p[i] <= 'Z')
                    p[i] = (char)(p[i] - 'A' + 'a');
            maybe = false;
            assert_int_equal(arb__lexicon_prefilter(g_lx, ls, p, n, &maybe), ARB_OK);
            if (!maybe) {
                no++;
                assert_false(full_has_trigger(g_lx, ls, p, n));
            }
            texts++;
        }
        fclose(f);
    }
    assert_true(texts > 400);
    assert_true(no > 0); /* some golden texts hold no violent word at all */
    arb__lexicon_scratch_free(ls);
}

/* Does the lexicon hold `stem` + `end` as a target word? */
static bool has_target_form(const arb__lexicon *lx, const char *stem, size_t stem_len,
                            const char *end)
{
    char buf[128];
    if (stem_len + strlen(end) + 1 > sizeof buf)
        return false;
    memcpy(buf, stem, stem_len);
    strcpy(buf + stem_len, end);
    for (size_t i = 0; i < arb__lexicon_pattern_count(lx); i++) {
        const lx_pattern *p = &lx->pats[i];
        if (p->lit_len && lx->entries[p->entry].kind == LX_TARGET &&
            !strcmp(arb__lexicon_pattern(lx, i), buf))
            return true;
    }
    return false;
}

static bool ends_with(const char *s, size_t n, const char *suf, size_t *stem_len)
{
    size_t k = strlen(suf);
    if (n <= k + 2 || memcmp(s + n - k, suf, k))
        return false;
    *stem_len = n - k;
    return true;
}

/* Paradigm completeness of the group nouns: every one-word target noun of
 * ru, uk and pl that the lexicon knows in the dative plural («мигрантам»,
 * «мігрантам», «imigrantom») also has its instrumental plural
 * («мигрантами», "imigrantami": «проблема с мигрантами решена») and its
 * locative plural («о мигрантах», "o imigrantach"), whether the forms come
 * from the Snowball/Hunspell expansion or are listed by hand. */
static void test_target_paradigms_complete(void **state)
{
    (void)state;
    /* plural oblique cases that no stem + ending rule makes */
    static const char *const irregular[] = {"детям",    "детьми",  "детях",    "дітям",
                                            "дітьми",   "дітях",   "dzieciom", "dziećmi",
                                            "dzieciach", "dzieciom", "dziecmi", "dzieciach"};
    static const struct {
        const char *lang, *dat[2], *ins[2], *loc[2];
    } rule[] = {
        {"ru", {"ам", "ям"}, {"ами", "ями"}, {"ах", "ях"}},
        {"uk", {"ам", "ям"}, {"ами", "ями"}, {"ах", "ях"}},
        {"pl", {"om", NULL}, {"ami", NULL}, {"ach", NULL}},
    };
    size_t checked = 0, missing = 0;
    for (size_t i = 0; i < arb__lexicon_pattern_count(g_lx); i++) {
        const lx_pattern *p = &g_lx->pats[i];
        const lx_entry *e = &g_lx->entries[p->entry];
        const char *w = arb__lexicon_pattern(g_lx, i);
        /* the language lexicons (ru.yaml, uk.yaml, pl.yaml), not the shared files */
        const char *src = p->source ? strrchr(p->source, '/') : NULL;
        src = src ? src + 1 : p->source;
        if (e->kind != LX_TARGET || !p->lit_len || p->approx || p->variant != LX_VAR_PLAIN ||
            (e->flags & LX_F_PRONOUN) || e->cls == ARB_TARGET_PLACE || strchr(w, ' ') || !src ||
            strlen(src) != 7 || strcmp(src + 2, ".yaml") || strncmp(src, e->lang, 2))
            continue;
        for (size_t r = 0; r < sizeof rule / sizeof rule[0]; r++) {
            if (strcmp(e->lang, rule[r].lang))
                continue;
            for (int k = 0; k < 2 && rule[r].dat[k]; k++) {
                size_t sl;
                if (!ends_with(w, strlen(w), rule[r].dat[k], &sl))
                    continue;
                bool irr = false;
                for (size_t j = 0; j < sizeof irregular / sizeof irregular[0]; j += 3)
                    if (!strcmp(w, irregular[j])) {
                        irr = true;
                        assert_true(has_pattern(g_lx, irregular[j + 1], LX_ROLE_WORD));
                        assert_true(has_pattern(g_lx, irregular[j + 2], LX_ROLE_WORD));
                    }
                if (irr)
                    continue;
                if (!has_target_form(g_lx, w, sl, rule[r].ins[k])) {
                    print_message("%s target '%s' has no instrumental plural\n", e->lang, w);
                    missing++;
                }
                if (!has_target_form(g_lx, w, sl, rule[r].loc[k])) {
                    print_message("%s target '%s' has no locative plural\n", e->lang, w);
                    missing++;
                }
                checked++;
            }
        }
    }
    assert_int_equal(missing, 0);
    assert_true(checked > 100);
    /* the forms posts use («с мусульманами», «з москалями», "z Rosjanami") */
    static const char *const ins[] = {"мигрантами", "мусульманами", "евреями", "москалями",
                                      "жидами", "росіянами", "мігрантами", "євреями",
                                      "москалями", "żydami", "imigrantami", "rosjanami",
                                      "zydami", "uchodźcami", "muzułmanami"};
    for (size_t i = 0; i < sizeof ins / sizeof ins[0]; i++)
        if (!has_pattern(g_lx, ins[i], LX_ROLE_WORD))
            fail_msg("no target form '%s'", ins[i]);
    /* singular cases come from the lemma: «убей еврея», "zastrzelić tego żyda" */
    assert_true(has_pattern(g_lx, "еврея", LX_ROLE_WORD));
    assert_true(has_pattern(g_lx, "цыгана", LX_ROLE_WORD));
    assert_true(has_pattern(g_lx, "єврея", LX_ROLE_WORD));
    assert_true(has_pattern(g_lx, "żyda", LX_ROLE_WORD));
    assert_true(has_pattern(g_lx, "zdrajcą", LX_ROLE_WORD)); /* pl instrumental singular */
    /* a slur that is also an everyday word stays plural only: «укроп» is dill */
    assert_false(has_pattern(g_lx, "укроп", LX_ROLE_WORD));
    assert_false(has_pattern(g_lx, "укропом", LX_ROLE_WORD));
}

/* Execution and extermination formulas (a target must come with them). */
static void test_extermination_formulas(void **state)
{
    (void)state;
    assert_true(has_pattern(g_lx, "в печь", LX_ROLE_NOUN));
    assert_true(has_pattern(g_lx, "в газовые камеры", LX_ROLE_NOUN));
    assert_true(has_pattern(g_lx, "до печі", LX_ROLE_NOUN));
    assert_true(has_pattern(g_lx, "do komory gazowej", LX_ROLE_NOUN));
    assert_true(has_pattern(g_lx, "into the ovens with", LX_ROLE_NOUN));
    assert_true(has_pattern(g_lx, "поставить к стенке", LX_ROLE_INF));
    assert_true(has_pattern(g_lx, "sterilized", LX_ROLE_PAST));
    /* the bare formula entries are flagged: no statement without a target */
    for (size_t i = 0; i < arb__lexicon_pattern_count(g_lx); i++) {
        const char *w = arb__lexicon_pattern(g_lx, i);
        if (!strcmp(w, "в печь") || !strcmp(w, "до печі") || !strcmp(w, "do pieca"))
            assert_true(g_lx->entries[g_lx->pats[i].entry].flags & LX_F_FORMULA);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_embedded_compiles),
        cmocka_unit_test(test_snowball_and_hunspell_expand_nouns),
        cmocka_unit_test(test_derivation_rules),
        cmocka_unit_test(test_violent_vocabulary),
        cmocka_unit_test(test_variants),
        cmocka_unit_test(test_soft_translit_and_layout_keys),
        cmocka_unit_test(test_yaml_syntax_error),
        cmocka_unit_test(test_binary_rejected),
        cmocka_unit_test(test_unknown_key_position),
        cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_bad_regex_names_line),
        cmocka_unit_test(test_small_lexicon_matches),
        cmocka_unit_test(test_person_det_negdet),
        cmocka_unit_test(test_polish_folding),
        cmocka_unit_test(test_derived_english_words_dropped),
        cmocka_unit_test(test_source_too_big),
        cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_prefilter),
        cmocka_unit_test(test_regex_start),
        cmocka_unit_test(test_target_paradigms_complete),
        cmocka_unit_test(test_extermination_formulas),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
