/*
 * test_langid.c -- unit tests for src/langid.c.
 *
 * Posts go through the real normalizer first (langid reads the normalized
 * text), then arb__langid_detect().  Checks: the best language of plain
 * EN/RU/UK/PL posts, the overlay languages, mixed posts with shares, the
 * caller's hint, posts with nothing to say, and the result's shape (at
 * most 4, best first, shares in 0..1 summing to at most 1).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <pthread.h>

#include "internal.h"

typedef struct fixture {
    arb__normalizer *n;
    arb__langid *l;
    arb__langid_scratch *s;
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
    if (arb__langid_new(&arb__default_allocator, &f.l, &err) != ARB_OK)
        return -1;
    if (arb__langid_scratch_new(f.l, &f.s) != ARB_OK)
        return -1;
    f.ar = arb__arena_new(&arb__default_allocator, 8u << 20);
    F = &f;
    return f.ar ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    arb__arena_free(F->ar);
    arb__langid_scratch_free(F->s);
    arb__langid_free(F->l);
    arb__normalizer_free(F->n);
    return 0;
}

typedef struct result {
    arb_lang *l;
    size_t n;
} result;

static result detect(const char *text, const char *hint)
{
    arb_normalized norm;
    arb__arena_reset(F->ar);
    assert_int_equal(arb__normalize(F->n, F->ar, text, strlen(text), &norm), ARB_OK);
    result r = {0};
    assert_int_equal(arb__langid_detect(F->l, F->s, F->ar, text, strlen(text), &norm, hint,
                                        &r.l, &r.n),
                     ARB_OK);
    /* shape */
    assert_true(r.n >= 1 && r.n <= 4);
    float sum = 0;
    for (size_t i = 0; i < r.n; i++) {
        assert_true(r.l[i].tag[0] != '\0');
        assert_true(r.l[i].confidence >= 0.0f && r.l[i].confidence <= 1.0f);
        assert_true(r.l[i].share >= 0.0f && r.l[i].share <= 1.0f);
        if (i)
            assert_true(r.l[i].share <= r.l[i - 1].share);
        sum += r.l[i].share;
    }
    assert_true(sum <= 1.001f);
    return r;
}

static const arb_lang *find(result r, const char *tag)
{
    for (size_t i = 0; i < r.n; i++)
        if (strcmp(r.l[i].tag, tag) == 0)
            return &r.l[i];
    return NULL;
}

static void expect_best(const char *text, const char *hint, const char *tag, float min_conf)
{
    result r = detect(text, hint);
    if (strcmp(r.l[0].tag, tag) != 0)
        fail_msg("'%s': best is %s (%.2f), want %s", text, r.l[0].tag, r.l[0].confidence, tag);
    if (r.l[0].confidence < min_conf)
        fail_msg("'%s': %s confidence %.2f < %.2f", text, tag, r.l[0].confidence, min_conf);
}

static void test_english(void **state)
{
    (void)state;
    expect_best("We should kill them all", NULL, "en", 0.8f);
    expect_best("I hope the invaders die in a fire", NULL, "en", 0.8f);
    expect_best("The weather is lovely today, going to the beach", NULL, "en", 0.8f);
}

static void test_russian(void **state)
{
    (void)state;
    expect_best("Смерть оккупантам, всех их надо уничтожить", NULL, "ru", 0.6f);
    expect_best("Мы будем бороться до конца", NULL, "ru", 0.6f); /* ы */
    expect_best("Я думаю, что это правда", NULL, "ru", 0.8f);
}

static void test_ukrainian(void **state)
{
    (void)state;
    expect_best("Слава Україні! Героям слава!", NULL, "uk", 0.8f);
    expect_best("Смерть ворогам, ми переможемо", NULL, "uk", 0.6f);
    expect_best("Це наша земля і ми її захистимо", NULL, "uk", 0.8f);
}

static void test_polish(void **state)
{
    (void)state;
    expect_best("Śmierć okupantom!", NULL, "pl", 0.8f);
    expect_best("Nie ma na to zgody, trzeba coś zrobić", NULL, "pl", 0.6f);
    expect_best("Zabić wszystkich najeźdźców", NULL, "pl", 0.8f);
}

static void test_overlay_languages(void **state)
{
    (void)state;
    expect_best("Halál a megszállókra, nem hagyjuk", NULL, "hu", 0.5f);
    expect_best("Moarte invadatorilor și trădătorilor", NULL, "ro", 0.6f);
    expect_best("Nāvi okupantiem un viņu vadoņiem", NULL, "lv", 0.6f);
    expect_best("Mirtis okupantams ir jų vadams", NULL, "lt", 0.5f);
    expect_best("Surm okupantidele, kõik", NULL, "et", 0.6f);
    expect_best("İşğalçılara ölüm", NULL, "az", 0.6f);
    expect_best("\xd5\x84\xd5\xa1\xd5\xb0 \xd5\xa6\xd5\xa1\xd5\xbe\xd5\xa9\xd5\xab\xd5\xb9\xd5\xb6\xd5\xa5\xd6\x80\xd5\xab\xd5\xb6",
                NULL, "hy", 0.8f); /* Armenian */
    expect_best("\xe1\x83\xa1\xe1\x83\x98\xe1\x83\x99\xe1\x83\x95\xe1\x83\x93\xe1\x83\x98\xe1\x83\x9a\xe1\x83\x98",
                NULL, "ka", 0.8f); /* Georgian */
}

static void test_mixed_post(void **state)
{
    (void)state;
    result r = detect("Слава Україні! Death to the invaders", NULL);
    const arb_lang *uk = find(r, "uk"), *en = find(r, "en");
    assert_non_null(uk);
    assert_non_null(en);
    assert_true(uk->share > 0.25f && uk->share < 0.6f);
    assert_true(en->share > 0.4f && en->share < 0.75f);
    assert_true(uk->confidence > 0.6f && en->confidence > 0.6f);

    r = detect("Śmierć okupantom! Смерть окупантам!", NULL);
    assert_non_null(find(r, "pl"));
    assert_true(find(r, "uk") || find(r, "ru"));
}

static void test_cyrillic_without_cues(void **state)
{
    (void)state;
    /* no letter or word tells ru from uk: both come back, low confidence */
    result r = detect("Смерть окупантам", NULL);
    const arb_lang *ru = find(r, "ru"), *uk = find(r, "uk");
    assert_non_null(ru);
    assert_non_null(uk);
    assert_true(ru->confidence < 0.6f && uk->confidence < 0.6f);
}

static void test_hint(void **state)
{
    (void)state;
    /* the hint decides what the letters leave open */
    expect_best("Смерть окупантам", "uk-UA", "uk", 0.6f);
    expect_best("Смерть окупантам", "ru", "ru", 0.6f);
    /* but does not override clear evidence */
    expect_best("Я думаю, что это правда", "uk", "ru", 0.5f);
    expect_best("Kill them all", "pl-PL", "en", 0.6f);
    /* a hinted language absent from the letters stays as a weak candidate */
    result r = detect("smert okupantam", "uk");
    const arb_lang *uk = find(r, "uk");
    assert_non_null(uk);
    assert_true(uk->share == 0.0f && uk->confidence < 0.5f);
    /* junk hints are ignored */
    expect_best("Kill them all", "zz-ZZ", "en", 0.6f);
    expect_best("Kill them all", "", "en", 0.6f);
}

static void test_nothing_to_say(void **state)
{
    (void)state;
    result r = detect("\xf0\x9f\x94\xaa\xf0\x9f\x94\xaa 2022 !!!", NULL);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.l[0].tag, "und");
    assert_true(r.l[0].confidence == 0.0f);
    r = detect("", "pl");
    assert_string_equal(r.l[0].tag, "pl");
}

static void test_emoji_tokens_are_not_english(void **state)
{
    (void)state;
    result r = detect("\xd0\x9f\xd1\x83\xd1\x82\xd1\x96\xd0\xbd \xe2\x9a\xb0\xef\xb8\x8f\xf0\x9f\x94\xaa", NULL);
    assert_null(find(r, "en"));
}

static void test_long_ambiguous_latin_uses_ngrams(void **state)
{
    (void)state;
    /* no stop word and no diacritic: decided by n-grams (or, without the
     * textcat data, by the Latin default at low confidence) */
    result r = detect("Sprawiedliwość przyjdzie, przyjaciele", NULL);
    assert_string_equal(r.l[0].tag, "pl");
    r = detect("Kwiatkowski przyprowadzi przyjaciela wieczorem", NULL);
    assert_string_equal(r.l[0].tag, "pl");
}

static void test_scratch_reuse_is_stable(void **state)
{
    (void)state;
    for (int i = 0; i < 3; i++) {
        result r = detect("Kwiatkowski przyprowadzi przyjaciela wieczorem", NULL);
        assert_string_equal(r.l[0].tag, "pl");
        r = detect("Слава Україні!", NULL);
        assert_string_equal(r.l[0].tag, "uk");
    }
}

/* One shared arb__langid, one scratch per thread (textcat loads in each):
 * every thread gets the same best language as the main thread. */
static const char *const k_mt_texts[] = {
    "Kwiatkowski przyprowadzi przyjaciela wieczorem", "Слава Україні!",
    "We should kill them all", "Сегодня вечером пойдем гулять по парку",
};

typedef struct mt_job {
    char want[ARB__ARRAY_LEN(k_mt_texts)][12];
    int bad;
} mt_job;

static void *mt_main(void *arg)
{
    mt_job *job = arg;
    arb__langid_scratch *s = NULL;
    arb__arena *ar = arb__arena_new(&arb__default_allocator, 1u << 20);
    if (!ar || arb__langid_scratch_new(F->l, &s) != ARB_OK) {
        job->bad = 1;
        arb__arena_free(ar);
        return NULL;
    }
    for (int round = 0; round < 50; round++)
        for (size_t i = 0; i < ARB__ARRAY_LEN(k_mt_texts); i++) {
            const char *t = k_mt_texts[i];
            arb_normalized norm;
            arb_lang *l;
            size_t n;
            arb__arena_reset(ar);
            if (arb__normalize(F->n, ar, t, strlen(t), &norm) != ARB_OK ||
                arb__langid_detect(F->l, s, ar, t, strlen(t), &norm, NULL, &l, &n) != ARB_OK ||
                strcmp(l[0].tag, job->want[i]) != 0)
                job->bad = 1;
        }
    arb__langid_scratch_free(s);
    arb__arena_free(ar);
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    mt_job jobs[3];
    for (size_t i = 0; i < ARB__ARRAY_LEN(k_mt_texts); i++) {
        result r = detect(k_mt_texts[i], NULL);
        for (int t = 0; t < 3; t++)
            memcpy(jobs[t].want[i], r.l[0].tag, sizeof r.l[0].tag);
    }
    pthread_t th[3];
    for (int t = 0; t < 3; t++) {
        jobs[t].bad = 0;
        assert_int_equal(pthread_create(&th[t], NULL, mt_main, &jobs[t]), 0);
    }
    for (int t = 0; t < 3; t++) {
        pthread_join(th[t], NULL);
        assert_int_equal(jobs[t].bad, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_english),
        cmocka_unit_test(test_russian),
        cmocka_unit_test(test_ukrainian),
        cmocka_unit_test(test_polish),
        cmocka_unit_test(test_overlay_languages),
        cmocka_unit_test(test_mixed_post),
        cmocka_unit_test(test_cyrillic_without_cues),
        cmocka_unit_test(test_hint),
        cmocka_unit_test(test_nothing_to_say),
        cmocka_unit_test(test_emoji_tokens_are_not_english),
        cmocka_unit_test(test_long_ambiguous_latin_uses_ngrams),
        cmocka_unit_test(test_scratch_reuse_is_stable),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
