/*
 * test_normalize.c -- unit tests for src/normalize.c.
 *
 * Each test normalizes a text and checks what a reviewer would check: the
 * normalized words, the ORIGINAL substring under each word's span, and the
 * obfuscation flags.  Every result also goes through check_invariants():
 * NUL-terminated valid UTF-8, spans inside the input, starts never
 * decreasing.  The golden cases live in tests/golden/normalize.jsonl.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <pthread.h>

#include "internal.h"

typedef struct fixture {
    arb__normalizer *n;
    arb__arena *ar;
} fixture;

static fixture *F;

static int setup(void **state)
{
    (void)state;
    static fixture f;
    arb_error err;
    if (arb__normalizer_new(&arb__default_allocator, &f.n, &err) != ARB_OK)
        return -1;
    f.ar = arb__arena_new(&arb__default_allocator, 8u << 20);
    F = &f;
    return f.ar ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    arb__arena_free(F->ar);
    arb__normalizer_free(F->n);
    return 0;
}

static bool valid_utf8(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        size_t k = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (!k || i + k > n)
            return false;
        for (size_t j = 1; j < k; j++)
            if (((unsigned char)s[i + j] >> 6) != 2)
                return false;
        i += k;
    }
    return true;
}

static void check_invariants(const arb_normalized *o, size_t in_len)
{
    assert_non_null(o->text);
    assert_int_equal(o->text[o->len], '\0');
    assert_true(valid_utf8(o->text, o->len));
    assert_int_equal(strlen(o->text), o->len); /* no NUL inside */
    for (size_t i = 0; i < o->len; i++) {
        assert_true(o->orig[i].start <= o->orig[i].end);
        assert_true(o->orig[i].end <= in_len);
        if (i)
            assert_true(o->orig[i].start >= o->orig[i - 1].start);
    }
}

static const arb_normalized *norm_n(const char *s, size_t n)
{
    static arb_normalized out;
    arb__arena_reset(F->ar);
    memset(&out, 0, sizeof out);
    assert_int_equal(arb__normalize(F->n, F->ar, s, n, &out), ARB_OK);
    check_invariants(&out, n);
    return &out;
}

static const arb_normalized *norm(const char *s) { return norm_n(s, strlen(s)); }

/* The original bytes under the span of normalized word `w` (first whole
 * word occurrence).  Fails the test if `w` is not a word of the output. */
static void expect_span(const arb_normalized *o, const char *orig, const char *w,
                        const char *want)
{
    size_t wl = strlen(w);
    const char *p = o->text;
    while ((p = strstr(p, w))) {
        size_t at = (size_t)(p - o->text);
        bool left = at == 0 || o->text[at - 1] == ' ';
        bool right = at + wl == o->len || o->text[at + wl] == ' ';
        if (left && right) {
            uint32_t s = o->orig[at].start, e = o->orig[at + wl - 1].end;
            char got[512];
            snprintf(got, sizeof got, "%.*s", (int)(e - s), orig + s);
            if (strcmp(got, want) != 0)
                fail_msg("word '%s': span gives '%s', want '%s'", w, got, want);
            return;
        }
        p++;
    }
    fail_msg("word '%s' not in normalized text '%s'", w, o->text);
}

static void expect_text(const arb_normalized *o, const char *want)
{
    if (strcmp(o->text, want) != 0)
        fail_msg("normalized '%s', want '%s'", o->text, want);
}

/* ---------------- UTF-8, NUL, whitespace ---------------- */

static void test_ascii_lowercase(void **state)
{
    (void)state;
    const char *in = "Hello World";
    const arb_normalized *o = norm(in);
    expect_text(o, "hello world");
    assert_int_equal(o->obfuscation, 0);
    expect_span(o, in, "world", "World");
}

static void test_empty(void **state)
{
    (void)state;
    const arb_normalized *o = norm("");
    expect_text(o, "");
    o = norm(" \t\n ");
    expect_text(o, "");
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    const char in[] = "ab\xff" "cd \xe2\x82 ok \xc0\xaf end \xed\xa0\x80.";
    const arb_normalized *o = norm_n(in, sizeof in - 1);
    assert_true(o->obfuscation & ARB_OBF_INVALID_UTF8);
    assert_non_null(strstr(o->text, "ab\xef\xbf\xbd" "cd"));
    assert_non_null(strstr(o->text, " ok "));
    assert_non_null(strstr(o->text, " end "));
    /* the replacement character points at the bad byte */
    size_t at = (size_t)(strstr(o->text, "\xef\xbf\xbd") - o->text);
    assert_int_equal(o->orig[at].start, 2);
    assert_int_equal(o->orig[at].end, 3);
    /* valid text is not flagged */
    o = norm("Zażółć gęślą jaźń");
    assert_false(o->obfuscation & ARB_OBF_INVALID_UTF8);
}

static void test_nul_is_space(void **state)
{
    (void)state;
    const char in[] = "kill\0them";
    const arb_normalized *o = norm_n(in, sizeof in - 1);
    expect_text(o, "kill them");
    expect_span(o, in, "them", "them");
}

static void test_whitespace_runs(void **state)
{
    (void)state;
    const char *in = "  hello \t\n\xc2\xa0\xe2\x80\x83 world\r\n";
    const arb_normalized *o = norm(in);
    expect_text(o, "hello world");
    /* the single space stands for the whole run */
    size_t sp = 5;
    assert_int_equal(o->text[sp], ' ');
    assert_int_equal(o->orig[sp].start, 7);
    assert_int_equal(o->orig[sp].end, 16);
}

/* ---------------- NFKC + case folding ---------------- */

static void test_compat(void **state)
{
    (void)state;
    const char *in = "\xef\xbc\xab\xef\xbd\x89\xef\xbd\x8c\xef\xbd\x8c"; /* Ｋｉｌｌ */
    const arb_normalized *o = norm(in);
    expect_text(o, "kill");
    assert_true(o->obfuscation & ARB_OBF_COMPAT);
    expect_span(o, in, "kill", in);

    in = "\xef\xac\x81re"; /* ﬁre */
    o = norm(in);
    expect_text(o, "fire");
    assert_true(o->obfuscation & ARB_OBF_COMPAT);

    in = "\xf0\x9d\x90\xa4\xf0\x9d\x90\xa2\xf0\x9d\x90\xa5\xf0\x9d\x90\xa5 them"; /* 𝐤𝐢𝐥𝐥 */
    o = norm(in);
    expect_text(o, "kill them");
    expect_span(o, in, "kill", "\xf0\x9d\x90\xa4\xf0\x9d\x90\xa2\xf0\x9d\x90\xa5\xf0\x9d\x90\xa5");
    assert_true(o->obfuscation & ARB_OBF_COMPAT);
}

static void test_case_only_is_not_compat(void **state)
{
    (void)state;
    const arb_normalized *o = norm("СМЕРТЬ ВОРОГАМ Ünd ÉCOLE");
    expect_text(o, "смерть ворогам ünd école");
    assert_false(o->obfuscation & ARB_OBF_COMPAT);
}

static void test_combining_sequence_span(void **state)
{
    (void)state;
    const char *in = "Cafe\xcc\x81 x"; /* e + U+0301 */
    const arb_normalized *o = norm(in);
    expect_text(o, "caf\xc3\xa9 x");
    expect_span(o, in, "caf\xc3\xa9", "Cafe\xcc\x81");
    /* both bytes of é point at "e" + the accent */
    assert_int_equal(o->orig[3].start, 3);
    assert_int_equal(o->orig[3].end, 6);
    assert_false(o->obfuscation & ARB_OBF_COMPAT);
}

/* ---------------- invisibles ---------------- */

static void test_invisibles(void **state)
{
    (void)state;
    static const char *const hidden[] = {
        "\xe2\x80\x8b", "\xe2\x80\x8c", "\xe2\x80\x8d", "\xe2\x80\x8e", "\xe2\x80\x8f",
        "\xe2\x81\xa0", "\xe2\x81\xa4", "\xef\xbb\xbf", "\xc2\xad",     "\xe2\x80\xaa",
        "\xe2\x80\xae", "\xe2\x81\xa6", "\xe2\x81\xa9",
    };
    for (size_t i = 0; i < ARB__ARRAY_LEN(hidden); i++) {
        char in[64];
        snprintf(in, sizeof in, "ki%sll them", hidden[i]);
        const arb_normalized *o = norm(in);
        expect_text(o, "kill them");
        assert_true(o->obfuscation & ARB_OBF_INVISIBLE);
        char want[64];
        snprintf(want, sizeof want, "ki%sll", hidden[i]);
        expect_span(o, in, "kill", want);
    }
}

/* ---------------- homoglyphs ---------------- */

static void test_homoglyph_to_cyrillic(void **state)
{
    (void)state;
    const char *in = "c\xd0\xbc" "ep\xd1\x82\xd1\x8c okkupantam"; /* Latin c, e, p in смерть */
    const arb_normalized *o = norm(in);
    expect_text(o, "смерть okkupantam");
    assert_true(o->obfuscation & ARB_OBF_HOMOGLYPH);
    expect_span(o, in, "смерть", "c\xd0\xbc" "ep\xd1\x82\xd1\x8c");
}

static void test_homoglyph_to_latin(void **state)
{
    (void)state;
    /* Cyrillic і and о in English words */
    const char *in = "k\xd1\x96ll th\xd0\xb5m n\xd0\xbew";
    const arb_normalized *o = norm(in);
    expect_text(o, "kill them now");
    assert_true(o->obfuscation & ARB_OBF_HOMOGLYPH);
    expect_span(o, in, "kill", "k\xd1\x96ll");
    /* Greek look-alikes in a Latin word (ι iota, ο omicron) */
    in = "k\xce\xb9ll t\xce\xbf" "day";
    o = norm(in);
    expect_text(o, "kill today");
    assert_true(o->obfuscation & ARB_OBF_HOMOGLYPH);
    expect_span(o, in, "kill", "k\xce\xb9ll");
    /* Greek text stays Greek */
    o = norm("\xce\x91\xce\xb8\xce\xae\xce\xbd\xce\xb1");
    expect_text(o, "\xce\xb1\xce\xb8\xce\xae\xce\xbd\xce\xb1");
    assert_false(o->obfuscation & ARB_OBF_HOMOGLYPH);
}

static void test_homoglyph_script_choice(void **state)
{
    (void)state;
    /* Latin majority, but й has no Latin twin: the word is Cyrillic */
    const arb_normalized *o = norm("xy\xd0\xb9");
    expect_text(o, "хуй");
    /* tie 2:2 with a Cyrillic-only letter (ж): Cyrillic */
    o = norm("\xd0\xb6o\xd0\xbf" "a");
    expect_text(o, "жопа");
    /* single-script words are left alone, whatever they look like */
    o = norm("pope cocoa \xd1\x80\xd0\xbe\xd1\x81\xd0\xb0");
    expect_text(o, "pope cocoa роса");
    assert_false(o->obfuscation & ARB_OBF_HOMOGLYPH);
}

/* ---------------- leetspeak and masks ---------------- */

static void test_leet_latin(void **state)
{
    (void)state;
    const char *in = "k1ll th3m, h3ll0 a$$hole m0rd3r 1diot h@te";
    const arb_normalized *o = norm(in);
    expect_text(o, "kill them, hello asshole morder idiot hate");
    assert_true(o->obfuscation & ARB_OBF_LEET);
    expect_span(o, in, "kill", "k1ll");
    expect_span(o, in, "hello", "h3ll0");
}

static void test_leet_cyrillic(void **state)
{
    (void)state;
    const char *in = "\xd1\x83\xd0\xb1" "3\xd0\xb9 4\xd0\xb5\xd1\x80\xd1\x82 "
                     "\xd1\x81\xd0\xbc" "3\xd1\x80\xd1\x82\xd1\x8c";
    const arb_normalized *o = norm(in); /* уб3й 4ерт см3рть */
    expect_text(o, "убей черт смерть");
    assert_true(o->obfuscation & ARB_OBF_LEET);
    expect_span(o, in, "смерть", "\xd1\x81\xd0\xbc" "3\xd1\x80\xd1\x82\xd1\x8c");
    /* 1 reads as и, or as і in a word that is visibly Ukrainian */
    o = norm("\xd1\x83\xd0\xb1" "1\xd1\x82\xd1\x8c \xd1\x97\xd1\x85" "1\xd0\xb9");
    expect_text(o, "убить їхій");
}

static void test_numbers_are_not_leet(void **state)
{
    (void)state;
    const arb_normalized *o = norm("In 2022 we lost 100 men, covid19 win10 3rd @user $5 wow!");
    expect_text(o, "in 2022 we lost 100 men, covid19 win10 3rd @user $5 wow!");
    assert_false(o->obfuscation & ARB_OBF_LEET);
}

static void test_mask(void **state)
{
    (void)state;
    const char *in = "k*ll \xd1\x85*\xd0\xb9\xd0\xbb\xd0\xbe f#ck sh%t";
    const arb_normalized *o = norm(in);
    expect_text(o, "k*ll х*йло f*ck sh*t");
    assert_true(o->obfuscation & ARB_OBF_MASK);
    expect_span(o, in, "k*ll", "k*ll");
    expect_span(o, in, "f*ck", "f#ck");
    /* markdown, hashtags and percentages are not masks */
    o = norm("**bold** #tag 50% x*");
    expect_text(o, "**bold** #tag 50% x*");
    assert_false(o->obfuscation & ARB_OBF_MASK);
}

/* ---------------- spacing ---------------- */

static void test_spacing(void **state)
{
    (void)state;
    const char *in = "k i l l them";
    const arb_normalized *o = norm(in);
    expect_text(o, "kill them");
    assert_true(o->obfuscation & ARB_OBF_SPACING);
    expect_span(o, in, "kill", "k i l l");

    in = "s.m.e.r.t okupantam";
    o = norm(in);
    expect_text(o, "smert okupantam");
    expect_span(o, in, "smert", "s.m.e.r.t");

    in = "\xd1\x83 \xd0\xb1 \xd0\xb8 \xd1\x82 \xd1\x8c \xd0\xb8\xd1\x85"; /* у б и т ь их */
    o = norm(in);
    expect_text(o, "убить их");
    expect_span(o, in, "убить", "\xd1\x83 \xd0\xb1 \xd0\xb8 \xd1\x82 \xd1\x8c");

    o = norm("k-i-l-l, d_i_e, k*i*l*l, k\xc2\xb7i\xc2\xb7l\xc2\xb7l");
    expect_text(o, "kill, die, kill, kill");
}

static void test_spacing_leaves_text_alone(void **state)
{
    (void)state;
    const arb_normalized *o = norm("a b plan, e.g. this, Plan B is ok, k  i  l  l");
    expect_text(o, "a b plan, e.g. this, plan b is ok, k i l l");
    assert_false(o->obfuscation & ARB_OBF_SPACING);
}

/* ---------------- repeats ---------------- */

static void test_repeats(void **state)
{
    (void)state;
    const char *in = "kiiiill them, dieeee!!! good 1000";
    const arb_normalized *o = norm(in);
    expect_text(o, "kill them, die!!! good 1000");
    assert_true(o->obfuscation & ARB_OBF_REPEAT);
    expect_span(o, in, "kill", "kiiiill");
    /* the collapsed letter covers the whole run */
    assert_int_equal(o->orig[1].start, 1);
    assert_int_equal(o->orig[1].end, 5);

    o = norm("good book, all free");
    assert_false(o->obfuscation & ARB_OBF_REPEAT);
}

/* ---------------- hashtags ---------------- */

/* The original bytes under normalized bytes [a, b). */
static void expect_range(const arb_normalized *o, const char *orig, size_t a, size_t b,
                         const char *want)
{
    uint32_t s = o->orig[a].start, e = o->orig[b - 1].end;
    char got[512];
    snprintf(got, sizeof got, "%.*s", (int)(e - s), orig + s);
    if (strcmp(got, want) != 0)
        fail_msg("bytes [%zu,%zu) of '%s': span gives '%s', want '%s'", a, b, o->text, got,
                 want);
}

static void test_hashtag_camel_case(void **state)
{
    (void)state;
    const char *in = "so true #KillThemAll now";
    const arb_normalized *o = norm(in);
    expect_text(o, "so true #kill them all now");
    assert_true(o->obfuscation & ARB_OBF_HASHTAG);
    expect_span(o, in, "#kill", "#Kill");
    expect_span(o, in, "them", "Them");
    expect_span(o, in, "all", "All");
    /* the phrase as the analyzer highlights it covers the hashtag's letters */
    expect_range(o, in, 9, 22, "KillThemAll");
    /* the inserted space is empty, at the start of the next word */
    assert_int_equal(o->text[13], ' ');
    assert_int_equal(o->orig[13].start, 13);
    assert_int_equal(o->orig[13].end, 13);

    in = "#DeathToTraitors #TarAndFeather these traitors";
    o = norm(in);
    expect_text(o, "#death to traitors #tar and feather these traitors");
    expect_span(o, in, "feather", "Feather");
}

static void test_hashtag_cyrillic_and_diacritics(void **state)
{
    (void)state;
    /* #СмертьОккупантам */
    const char *in = "#\xd0\xa1\xd0\xbc\xd0\xb5\xd1\x80\xd1\x82\xd1\x8c"
                     "\xd0\x9e\xd0\xba\xd0\xba\xd1\x83\xd0\xbf\xd0\xb0\xd0\xbd\xd1\x82\xd0\xb0\xd0\xbc";
    const arb_normalized *o = norm(in);
    expect_text(o, "#смерть оккупантам");
    assert_true(o->obfuscation & ARB_OBF_HASHTAG);
    expect_span(o, in, "оккупантам",
                "\xd0\x9e\xd0\xba\xd0\xba\xd1\x83\xd0\xbf\xd0\xb0\xd0\xbd\xd1\x82\xd0\xb0\xd0\xbc");
    /* #ŚmierćOkupantom, precomposed and with a combining acute */
    in = "#\xc5\x9amier\xc4\x87Okupantom";
    o = norm(in);
    expect_text(o, "#śmierć okupantom");
    expect_span(o, in, "okupantom", "Okupantom");
    in = "#Smierc\xcc\x81Okupantom #S\xcc\x81mierc";
    o = norm(in);
    expect_text(o, "#smierć okupantom #śmierc");
    expect_span(o, in, "#smierć", "#Smierc\xcc\x81");
    /* an upper case letter rebuilt from a combining sequence stays upper */
    in = "#smierc" "O\xcc\x81kupantom";
    o = norm(in);
    expect_text(o, "#smierc ókupantom");
    expect_span(o, in, "ókupantom", "O\xcc\x81kupantom");
}

static void test_hashtag_acronyms_and_digits(void **state)
{
    (void)state;
    const arb_normalized *o = norm("#USA #NATO #MAGA #KILLTHEMALL #killthemall #NGOs");
    expect_text(o, "#usa #nato #maga #killthemall #killthemall #ngos");
    assert_false(o->obfuscation & ARB_OBF_HASHTAG);
    const char *in = "#ABCNews #IKillYou #StopTheWar";
    o = norm(in);
    expect_text(o, "#abc news #i kill you #stop the war");
    expect_span(o, in, "news", "News");
    expect_span(o, in, "#abc", "#ABC");
    in = "#Stop2022War #G7";
    o = norm(in);
    expect_text(o, "#stop 2022 war #g 7");
    expect_span(o, in, "2022", "2022");
    assert_true(o->obfuscation & ARB_OBF_HASHTAG);
    /* leet is resolved first, so its digits are letters by then */
    in = "#K1llTh3mAll";
    o = norm(in);
    expect_text(o, "#kill them all");
    assert_true(o->obfuscation & ARB_OBF_LEET);
    expect_span(o, in, "them", "Th3m");
    /* more cuts than the unit array has spare room: every letter still maps
     * to its own byte */
    char many[1 + 2 * 300 + 1];
    many[0] = '#';
    for (int i = 0; i < 300; i++) {
        many[1 + 2 * i] = 'A';
        many[2 + 2 * i] = (char)('b' + i % 25); /* no run of three to collapse */
    }
    many[sizeof many - 1] = '\0';
    o = norm(many);
    assert_int_equal(o->len, 1 + 3 * 300 - 1);
    for (int i = 0; i < 300; i++) {
        size_t at = 1 + 3 * (size_t)i; /* "#ab ac ad ..." */
        assert_int_equal(o->text[at], 'a');
        assert_int_equal(o->orig[at].start, 1 + 2 * (uint32_t)i);
        assert_int_equal(o->orig[at + 1].start, 2 + 2 * (uint32_t)i);
        if (i)
            assert_int_equal(o->text[at - 1], ' ');
    }
}

static void test_hashtag_only_in_hashtags(void **state)
{
    (void)state;
    /* CamelCase outside a hashtag and in mentions stays whole */
    const arb_normalized *o = norm("PlayStation JavaScript @KillThemAll KillThemAll iPhone");
    expect_text(o, "playstation javascript @killthemall killthemall iphone");
    assert_false(o->obfuscation & ARB_OBF_HASHTAG);
    /* a doubled '#', a fullwidth '＃', and a hashtag after punctuation */
    const char *in = "##PeaceNotWar \xef\xbc\x83SaveUkraine (#StopTheKilling)";
    o = norm(in);
    expect_text(o, "##peace not war #save ukraine (#stop the killing)");
    expect_span(o, in, "ukraine", "Ukraine");
    expect_span(o, in, "#save", "\xef\xbc\x83Save");
    /* underscores join the parts of a hashtag; elsewhere they stay */
    in = "#kill_them_all #Kill_ThemAll snake_case_name #_x #a__b";
    o = norm(in);
    expect_text(o, "#kill them all #kill them all snake_case_name #_x #a__b");
    assert_true(o->obfuscation & ARB_OBF_HASHTAG);
    expect_span(o, in, "them", "them");
}

/* ---------------- emoji ---------------- */

static void test_emoji_tokens(void **state)
{
    (void)state;
    static const struct { const char *e, *tok; } cases[] = {
        {"\xf0\x9f\x94\xaa", ":knife:"},            {"\xf0\x9f\x97\xa1\xef\xb8\x8f", ":dagger:"},
        {"\xf0\x9f\x94\xab", ":gun:"},              {"\xf0\x9f\x92\xa3", ":bomb:"},
        {"\xf0\x9f\xaa\x93", ":axe:"},              {"\xf0\x9f\x92\x80", ":skull:"},
        {"\xe2\x98\xa0\xef\xb8\x8f", ":skull:"},    {"\xe2\x9a\xb0\xef\xb8\x8f", ":coffin:"},
        {"\xf0\x9f\xaa\xa6", ":grave:"},            {"\xf0\x9f\xaa\xa2", ":noose:"},
        {"\xf0\x9f\xa9\xb8", ":blood:"},            {"\xf0\x9f\x94\xa5", ":fire:"},
        {"\xf0\x9f\x90\xb7", ":pig:"},              {"\xf0\x9f\x90\x96", ":pig:"},
        {"\xf0\x9f\x92\xa5", ":explosion:"},        {"\xf0\x9f\x8e\xaf", ":target:"},
    };
    for (size_t i = 0; i < ARB__ARRAY_LEN(cases); i++) {
        char in[64], want[64];
        snprintf(in, sizeof in, "you%sbastard", cases[i].e);
        snprintf(want, sizeof want, "you %s bastard", cases[i].tok);
        const arb_normalized *o = norm(in);
        expect_text(o, want);
        assert_true(o->obfuscation & ARB_OBF_EMOJI);
        expect_span(o, in, cases[i].tok, cases[i].e); /* VS16 included */
        expect_span(o, in, "you", "you");
    }
}

static void test_emoji_sequences(void **state)
{
    (void)state;
    /* skin tone and a ZWJ sequence belong to the emoji */
    const char *in = "\xf0\x9f\x94\xab\xf0\x9f\x8f\xbb now \xf0\x9f\x92\x80\xe2\x80\x8d\xf0\x9f\x94\xa5";
    const arb_normalized *o = norm(in);
    expect_text(o, ":gun: now :skull:");
    expect_span(o, in, ":gun:", "\xf0\x9f\x94\xab\xf0\x9f\x8f\xbb");
    expect_span(o, in, ":skull:", "\xf0\x9f\x92\x80\xe2\x80\x8d\xf0\x9f\x94\xa5");
    assert_false(o->obfuscation & ARB_OBF_INVISIBLE);
    /* other emoji stay, unflagged */
    o = norm("nice \xf0\x9f\x98\x80 day");
    expect_text(o, "nice \xf0\x9f\x98\x80 day");
    assert_false(o->obfuscation & ARB_OBF_EMOJI);
}

/* ---------------- robustness and limits ---------------- */

static void test_long_combining_run(void **state)
{
    (void)state;
    size_t n = 1 + 600 * 2;
    char *in = malloc(n + 1);
    assert_non_null(in);
    in[0] = 'a';
    for (size_t i = 0; i < 600; i++) {
        in[1 + 2 * i] = (char)0xcc;
        in[2 + 2 * i] = (char)0x81;
    }
    in[n] = '\0';
    const arb_normalized *o = norm_n(in, n);
    assert_true(o->len > 0);
    free(in);
}

static void test_arena_limit(void **state)
{
    (void)state;
    arb__arena *small = arb__arena_new(&arb__default_allocator, 256);
    assert_non_null(small);
    char in[2048];
    memset(in, 'x', sizeof in);
    arb_normalized out;
    assert_int_equal(arb__normalize(F->n, small, in, sizeof in, &out), ARB_LIMIT);
    arb__arena_free(small);
}

static void test_all_bytes(void **state)
{
    (void)state;
    unsigned char in[512];
    for (size_t i = 0; i < sizeof in; i++)
        in[i] = (unsigned char)(i * 7 + (i >> 8));
    norm_n((const char *)in, sizeof in); /* invariants only */
}

static void *failing_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    (void)ud;
    (void)osize;
    if (nsize == 0) {
        free(ptr);
        return NULL;
    }
    return NULL;
}

static void test_construction_out_of_memory(void **state)
{
    (void)state;
    const arb_allocator fail = {failing_alloc, NULL};
    arb__normalizer *n = (arb__normalizer *)&fail; /* must be reset */
    arb_error err;
    assert_int_equal(arb__normalizer_new(&fail, &n, &err), ARB_NOMEM);
    assert_null(n);
    arb__normalizer_free(NULL); /* a no-op */
}

/* ---------------- threads ---------------- */

/* The normalizer is shared by threads: each thread has its own arena and
 * must get exactly the single-threaded result. */
static const char *const k_thread_inputs[] = {
    "k i l l them all", "c\xd0\xbc" "ep\xd1\x82\xd1\x8c", "k1ll th3m \xf0\x9f\x94\xaa",
    "\xef\xbc\xab\xef\xbd\x89\xef\xbd\x8c\xef\xbd\x8c Cafe\xcc\x81", "kiiiill\xe2\x80\x8b x",
    "Zaż\xc3\xb3\xc5\x82\xc4\x87 g\xc4\x99\xc5\x9bl\xc4\x85", "ab\xff\xfe" "cd",
};

typedef struct thread_job {
    const char *want[ARB__ARRAY_LEN(k_thread_inputs)];
    int bad;
} thread_job;

static void *thread_main(void *arg)
{
    thread_job *job = arg;
    arb__arena *ar = arb__arena_new(&arb__default_allocator, 1u << 20);
    if (!ar) {
        job->bad = 1;
        return NULL;
    }
    for (int round = 0; round < 300; round++)
        for (size_t i = 0; i < ARB__ARRAY_LEN(k_thread_inputs); i++) {
            arb_normalized o;
            arb__arena_reset(ar);
            const char *in = k_thread_inputs[i];
            if (arb__normalize(F->n, ar, in, strlen(in), &o) != ARB_OK ||
                strcmp(o.text, job->want[i]) != 0)
                job->bad = 1;
        }
    arb__arena_free(ar);
    return NULL;
}

static void test_threads_share_normalizer(void **state)
{
    (void)state;
    static char want[ARB__ARRAY_LEN(k_thread_inputs)][256];
    thread_job jobs[4];
    for (size_t i = 0; i < ARB__ARRAY_LEN(k_thread_inputs); i++) {
        const arb_normalized *o = norm(k_thread_inputs[i]);
        assert_true(o->len < sizeof want[i]);
        memcpy(want[i], o->text, o->len + 1);
    }
    pthread_t th[4];
    for (int t = 0; t < 4; t++) {
        jobs[t].bad = 0;
        for (size_t i = 0; i < ARB__ARRAY_LEN(k_thread_inputs); i++)
            jobs[t].want[i] = want[i];
        assert_int_equal(pthread_create(&th[t], NULL, thread_main, &jobs[t]), 0);
    }
    for (int t = 0; t < 4; t++) {
        pthread_join(th[t], NULL);
        assert_int_equal(jobs[t].bad, 0);
    }
}

/* ---------------- golden file ---------------- */

static uint32_t flags_from_json(json_t *arr)
{
    uint32_t f = 0;
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        bool found = false;
        for (unsigned b = 0; b < 32; b++) {
            const char *name = arb_obfuscation_name(1u << b);
            if (name && strcmp(name, json_string_value(v)) == 0) {
                f |= 1u << b;
                found = true;
            }
        }
        if (!found)
            fail_msg("golden: unknown flag '%s'", json_string_value(v));
    }
    return f;
}

static size_t unhex(const char *h, char *out, size_t cap)
{
    size_t n = 0;
    while (h[0] && h[1] && n < cap) {
        unsigned v;
        if (sscanf(h, "%2x", &v) != 1)
            break;
        out[n++] = (char)v;
        h += 2;
    }
    return n;
}

static void test_golden(void **state)
{
    (void)state;
    const char *dir = getenv("ARB_TEST_DATA");
    char path[1024];
    snprintf(path, sizeof path, "%s/golden/normalize.jsonl", dir ? dir : "tests");
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("cannot open %s", path);
    char line[8192];
    unsigned lineno = 0, cases = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        if (line[0] == '\n' || line[0] == '#')
            continue;
        json_error_t je;
        json_t *c = json_loads(line, 0, &je);
        if (!c)
            fail_msg("%s:%u: %s", path, lineno, je.text);
        char in[4096];
        size_t n;
        json_t *hx = json_object_get(c, "in_hex");
        if (hx) {
            n = unhex(json_string_value(hx), in, sizeof in);
        } else {
            const char *s = json_string_value(json_object_get(c, "in"));
            assert_non_null(s);
            n = json_string_length(json_object_get(c, "in"));
            assert_true(n < sizeof in);
            memcpy(in, s, n);
        }
        in[n] = '\0';
        const arb_normalized *o = norm_n(in, n);
        const char *want = json_string_value(json_object_get(c, "norm"));
        if (!want || strcmp(o->text, want) != 0)
            fail_msg("%s:%u: normalized '%s', want '%s'", path, lineno, o->text,
                     want ? want : "(missing)");
        uint32_t wf = flags_from_json(json_object_get(c, "flags"));
        if (wf != o->obfuscation)
            fail_msg("%s:%u: flags 0x%x, want 0x%x", path, lineno, o->obfuscation, wf);
        json_t *spans = json_object_get(c, "spans");
        size_t i;
        json_t *pair;
        json_array_foreach(spans, i, pair)
        {
            expect_span(o, in, json_string_value(json_array_get(pair, 0)),
                        json_string_value(json_array_get(pair, 1)));
        }
        json_decref(c);
        cases++;
    }
    fclose(f);
    assert_true(cases >= 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ascii_lowercase),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_nul_is_space),
        cmocka_unit_test(test_whitespace_runs),
        cmocka_unit_test(test_compat),
        cmocka_unit_test(test_case_only_is_not_compat),
        cmocka_unit_test(test_combining_sequence_span),
        cmocka_unit_test(test_invisibles),
        cmocka_unit_test(test_homoglyph_to_cyrillic),
        cmocka_unit_test(test_homoglyph_to_latin),
        cmocka_unit_test(test_homoglyph_script_choice),
        cmocka_unit_test(test_leet_latin),
        cmocka_unit_test(test_leet_cyrillic),
        cmocka_unit_test(test_numbers_are_not_leet),
        cmocka_unit_test(test_mask),
        cmocka_unit_test(test_spacing),
        cmocka_unit_test(test_spacing_leaves_text_alone),
        cmocka_unit_test(test_repeats),
        cmocka_unit_test(test_hashtag_camel_case),
        cmocka_unit_test(test_hashtag_cyrillic_and_diacritics),
        cmocka_unit_test(test_hashtag_acronyms_and_digits),
        cmocka_unit_test(test_hashtag_only_in_hashtags),
        cmocka_unit_test(test_emoji_tokens),
        cmocka_unit_test(test_emoji_sequences),
        cmocka_unit_test(test_long_combining_run),
        cmocka_unit_test(test_arena_limit),
        cmocka_unit_test(test_all_bytes),
        cmocka_unit_test(test_threads_share_normalizer),
        cmocka_unit_test(test_construction_out_of_memory),
        cmocka_unit_test(test_golden),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
