/*
 * test_core.c -- unit tests of the core helpers: status table, names,
 * arena caps, allocator fault injection, RFC 3339 times, countries, JSON
 * escaping, SHA-256, and the engine's input validation.
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

static void test_status_names(void **state)
{
    (void)state;
    assert_string_equal(arb_strerror(ARB_OK), "success");
    assert_string_equal(arb_status_name(ARB_TOO_BIG), "TOO_BIG");
    assert_string_equal(arb_strerror((arb_status)999), "unknown status");
    assert_string_equal(arb_action_name(ARB_ACTION_ESCALATE), "escalate");
    assert_int_equal(arb_action_from_name("restrict"), ARB_ACTION_RESTRICT);
    assert_int_equal(arb_action_from_name("ban"), -1);
    assert_int_equal(arb_stmt_type_from_name("death_to"), ARB_STMT_DEATH_TO);
    assert_int_equal(arb_target_class_from_name("head_of_state"), ARB_TARGET_HEAD_OF_STATE);
    assert_int_equal(arb_cred_from_name("means"), ARB_CRED_MEANS);
    assert_int_equal(arb_mod_from_name("negation"), ARB_MOD_NEGATION);
    assert_int_equal(arb_mod_from_name("nonsense"), 0);
    assert_string_equal(arb_obfuscation_name(ARB_OBF_LEET), "leet");
    assert_null(arb_obfuscation_name(3)); /* not a single bit */
}

static void test_arena_cap(void **state)
{
    (void)state;
    arb__arena *ar = arb__arena_new(&arb__default_allocator, 1000);
    assert_non_null(ar);
    assert_non_null(arb__arena_alloc(ar, 500));
    assert_null(arb__arena_alloc(ar, 600));
    assert_true(arb__arena_over_cap(ar));
    arb__arena_reset(ar);
    assert_false(arb__arena_over_cap(ar));
    void *p = arb__arena_alloc(ar, 900);
    assert_non_null(p);
    assert_int_equal((uintptr_t)p % 16, 0);
    arb__buf b;
    arb__buf_init(&b, ar, 8);
    arb__buf_puts(&b, "0123456789");
    assert_false(b.failed); /* fits in the ~90 bytes left */
    for (int i = 0; i < 20; i++)
        arb__buf_puts(&b, "0123456789");
    assert_true(b.failed); /* past the cap: growth fails, never overflows */
    assert_true(b.len < 100 && b.len % 10 == 0); /* what was written before stays whole */
    arb__arena_free(ar);
    arb__arena_free(NULL);
}

static void test_buf(void **state)
{
    (void)state;
    arb__arena *ar = arb__arena_new(&arb__default_allocator, 1 << 20);
    arb__buf b;
    arb__buf_init(&b, ar, 4);
    for (int i = 0; i < 1000; i++)
        arb__buf_printf(&b, "%d,", i);
    assert_false(b.failed);
    assert_memory_equal(b.p, "0,1,2,", 6);
    assert_int_equal(b.len, strlen(b.p));
    arb__buf_init(&b, ar, 4);
    arb__buf_json_str(&b, "a\"b\\\n\x01\xe2\x80\xa8", 9);
    assert_string_equal(b.p, "\"a\\\"b\\\\\\n\\u0001\\u2028\"");
    arb__arena_free(ar);
}

/* the hand-rolled number writers print exactly what printf would */
static void test_buf_numbers(void **state)
{
    (void)state;
    arb__arena *ar = arb__arena_new(&arb__default_allocator, 1 << 20);
    char want[64];
    const uint32_t u[] = {0, 1, 9, 10, 99, 100, 12345, 4294967295u};
    for (size_t i = 0; i < ARB__ARRAY_LEN(u); i++) {
        arb__buf b;
        arb__buf_init(&b, ar, 4);
        arb__buf_u32(&b, u[i]);
        snprintf(want, sizeof want, "%u", u[i]);
        assert_string_equal(b.p, want);
    }
    for (int i = 0; i <= 1000; i++) {
        float f = (float)i / 1000.0f; /* confidences are floats in [0, 1] */
        arb__buf b;
        arb__buf_init(&b, ar, 4);
        arb__buf_fixed2(&b, (double)f);
        snprintf(want, sizeof want, "%.2f", (double)f);
        assert_string_equal(b.p, want);
    }
    arb__arena_free(ar);
}

static void test_time(void **state)
{
    (void)state;
    int64_t ms;
    assert_int_equal(arb_parse_time("2022-03-10T00:00:00Z", 20, &ms), ARB_OK);
    assert_int_equal(ms, 1646870400000LL);
    assert_int_equal(arb_parse_time("2022-03-10T02:00:00+02:00", 25, &ms), ARB_OK);
    assert_int_equal(ms, 1646870400000LL);
    assert_int_equal(arb_parse_time("2022-03-10T00:00:00.250Z", 24, &ms), ARB_OK);
    assert_int_equal(ms, 1646870400250LL);
    assert_int_equal(arb_parse_time("1970-01-01T00:00:00Z", 20, &ms), ARB_OK);
    assert_int_equal(ms, 0);
    const char *bad[] = {"2022-02-29T00:00:00Z", "1969-12-31T23:59:59Z", "2022-13-01T00:00:00Z",
                         "2022-03-10", "2022-03-10T24:00:00Z", "2022-03-10T00:00:00",
                         "2022-03-10T00:00:00Zjunk", "2022-03-10T00:00:00+2:00", "",
                         "10000-01-01T00:00:00Z", "2022-03-10T00:00:00.Z"};
    for (size_t i = 0; i < ARB__ARRAY_LEN(bad); i++)
        assert_int_equal(arb_parse_time(bad[i], strlen(bad[i]), &ms), ARB_TIME);
    assert_int_equal(arb_parse_time("2024-02-29T12:30:45Z", 20, &ms), ARB_OK);
    char buf[32];
    arb_format_time(ms, buf);
    assert_string_equal(buf, "2024-02-29T12:30:45Z");
}

static void test_countries(void **state)
{
    (void)state;
    const char *good[] = {"UA", "RU", "PL", "AM", "AZ", "EE", "GE", "HU", "LV", "LT", "RO", "SK", "US", "BY"};
    for (size_t i = 0; i < ARB__ARRAY_LEN(good); i++)
        assert_true(arb_country_valid(good[i]));
    const char *bad[] = {"XX", "ua", "UKR", "U", "", "ZZ", "EU", "UK"};
    for (size_t i = 0; i < ARB__ARRAY_LEN(bad); i++)
        assert_false(arb_country_valid(bad[i]));
}

static void test_sha256(void **state)
{
    (void)state;
    arb__sha256 c;
    char hex[65];
    arb__sha256_init(&c);
    arb__sha256_update(&c, "abc", 3);
    arb__sha256_hex(&c, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    arb__sha256_init(&c);
    for (int i = 0; i < 1000; i++)
        arb__sha256_update(&c, "a", 1);
    arb__sha256_hex(&c, hex);
    assert_string_equal(hex, "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3");
}

static void test_error_record(void **state)
{
    (void)state;
    char buf[256];
    size_t n = arb_error_record(buf, sizeof buf, "p\"1", 3, 7, ARB_TOO_BIG, "too \"long\"");
    assert_string_equal(buf, "{\"id\":\"p\\\"1\",\"line\":7,\"status\":\"TOO_BIG\",\"error\":\"too \\\"long\\\"\"}");
    assert_int_equal(n, strlen(buf));
    char small[10];
    size_t need = arb_error_record(small, sizeof small, NULL, 0, 0, ARB_PARSE, NULL);
    assert_true(need > sizeof small);
    assert_int_equal(strlen(small), sizeof small - 1);
}

/* fault injection: fail the Nth allocation; engine creation must fail
 * cleanly (no crash, no leak under ASan) for every N until it succeeds */
typedef struct { long countdown; long calls; } failer;
static void *failing_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    failer *f = ud;
    (void)osize;
    if (nsize == 0) {
        free(ptr);
        return NULL;
    }
    f->calls++;
    if (f->countdown-- == 0)
        return NULL;
    return realloc(ptr, nsize);
}

static void test_engine_alloc_failures(void **state)
{
    (void)state;
    int succeeded = 0;
    for (long n = 0; n < 400 && !succeeded; n += 1 + n / 8) {
        failer f = {n, 0};
        arb_allocator a = {failing_alloc, &f};
        arb_engine_options o = {0};
        o.allocator = &a;
        arb_engine *e = NULL;
        arb_error err;
        arb_status st = arb_engine_new(&o, &e, &err);
        if (st == ARB_OK) {
            succeeded = 1;
            arb_engine_free(e);
        } else {
            assert_null(e);
        }
    }
    arb_engine_free(NULL);
    arb_scratch_free(NULL);
}

static void test_decide_validation(void **state)
{
    (void)state;
    arb_engine *e;
    arb_error err;
    assert_int_equal(arb_engine_new(NULL, &e, &err), ARB_OK);
    arb_scratch *s;
    assert_int_equal(arb_scratch_new(e, &s), ARB_OK);
    arb_post p = {0};
    p.text = "hello";
    p.text_len = 5;
    memcpy(p.author_country, "UA", 3);
    p.created_at_ms = 1646870400000LL;
    const arb_decision *d;
    assert_int_equal(arb_decide(e, s, &p, &d), ARB_OK);
    assert_int_equal(arb_decision_action(d), ARB_ACTION_ALLOW);
    const char *json;
    size_t jl;
    assert_int_equal(arb_decision_json(d, &json, &jl), ARB_OK);
    assert_non_null(strstr(json, "\"policy\":{"));
    memcpy(p.author_country, "XX", 3);
    assert_int_equal(arb_decide(e, s, &p, &d), ARB_COUNTRY);
    memcpy(p.author_country, "ua", 3);
    assert_int_equal(arb_decide(e, s, &p, &d), ARB_INVALID);
    memcpy(p.author_country, "UA", 3);
    p.created_at_ms = -1;
    assert_int_equal(arb_decide(e, s, &p, &d), ARB_TIME);
    p.created_at_ms = 0;
    p.text_len = 1u << 20;
    p.text = calloc(1, p.text_len);
    assert_int_equal(arb_decide(e, s, &p, &d), ARB_TOO_BIG);
    free((void *)p.text);
    assert_int_equal(arb_decide(e, s, NULL, &d), ARB_INVALID);
    arb_scratch_free(s);
    arb_engine_unref(arb_engine_ref(e)); /* ref then unref keeps it alive */
    assert_string_equal(arb_engine_policy_hash(e), arb_engine_policy_hash(e));
    arb_engine_free(e);
}

/* The lexicon blob embedded at build time must be the same lexicon as the
 * one compiled from the embedded YAML; stale or damaged blobs are refused. */
#include "lexicon_internal.h"
static void test_lexicon_blob(void **state)
{
    (void)state;
    const arb_allocator *a = &arb__default_allocator;
    arb__lexicon *fast = NULL, *slow = NULL;
    assert_int_equal(arb__lexicon_load_default(a, &fast), ARB_OK);
    size_t n;
    const arb_source *src = arb_default_lexicon_sources(&n);
    arb_limits lim;
    arb_limits_default(&lim);
    arb_error err;
    assert_int_equal(arb__lexicon_compile(a, &lim, src, n, &slow, &err), ARB_OK);
    assert_int_equal(arb__lexicon_pattern_count(fast), arb__lexicon_pattern_count(slow));
    assert_int_equal(fast->n_entries, slow->n_entries);
    assert_int_equal(fast->n_unmask, slow->n_unmask);
    for (size_t i = 0; i < fast->n_pats; i++) {
        assert_string_equal(fast->pats[i].regex, slow->pats[i].regex);
        assert_int_equal(fast->pats[i].entry, slow->pats[i].entry);
        assert_int_equal(fast->pats[i].role, slow->pats[i].role);
    }
    for (size_t i = 0; i < fast->n_entries; i++) {
        assert_string_equal(fast->entries[i].label, slow->entries[i].label);
        assert_int_equal(fast->entries[i].flags, slow->entries[i].flags);
        assert_int_equal(fast->entries[i].cls, slow->entries[i].cls);
    }
    /* round trip, then a stale hash and every truncation are refused safely */
    char h[65], *blob;
    size_t len;
    arb__lexicon_sources_hash(src, n, h);
    assert_int_equal(arb__lexicon_serialize(a, slow, h, &blob, &len), ARB_OK);
    arb__lexicon *back = NULL;
    assert_int_equal(arb__lexicon_deserialize(a, blob, len, h, &back), ARB_OK);
    assert_int_equal(back->n_pats, slow->n_pats);
    arb__lexicon_free(back);
    char stale[65];
    memcpy(stale, h, 65);
    stale[0] = stale[0] == '0' ? '1' : '0';
    assert_int_equal(arb__lexicon_deserialize(a, blob, len, stale, &back), ARB_NOT_FOUND);
    assert_null(back);
    for (size_t cut = 0; cut < len; cut += 1 + cut / 3) {
        arb_status st = arb__lexicon_deserialize(a, blob, cut, h, &back);
        assert_int_not_equal(st, ARB_OK);
        assert_null(back);
    }
    arb__free(a, blob, len);
    arb__lexicon_free(fast);
    arb__lexicon_free(slow);
}

/* A scratch outlives engines: reload many times, freeing each old engine,
 * and keep deciding with the same scratch (no stale per-thread state). */
static void test_scratch_across_engines(void **state)
{
    (void)state;
    arb_engine *e;
    arb_error err;
    assert_int_equal(arb_engine_new(NULL, &e, &err), ARB_OK);
    arb_scratch *s;
    assert_int_equal(arb_scratch_new(e, &s), ARB_OK);
    arb_post p = {0};
    p.text = "I will kill you tomorrow";
    p.text_len = strlen(p.text);
    memcpy(p.author_country, "US", 3);
    const arb_decision *d;
    assert_int_equal(arb_decide(e, s, &p, &d), ARB_OK);
    arb_action first = arb_decision_action(d);
    for (int i = 0; i < 5; i++) {
        arb_engine *n;
        assert_int_equal(arb_engine_new(NULL, &n, &err), ARB_OK);
        arb_engine_free(e); /* the scratch still holds the old one */
        e = n;
        assert_int_equal(arb_decide(e, s, &p, &d), ARB_OK);
        assert_int_equal(arb_decision_action(d), first);
    }
    arb_engine_free(e);
    assert_int_equal(arb_decide(e, s, &p, &d), ARB_OK); /* still alive: bound */
    arb_scratch_free(s); /* drops the last reference */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_names),   cmocka_unit_test(test_arena_cap),
        cmocka_unit_test(test_buf), cmocka_unit_test(test_buf_numbers),            cmocka_unit_test(test_time),
        cmocka_unit_test(test_countries),      cmocka_unit_test(test_sha256),
        cmocka_unit_test(test_error_record),   cmocka_unit_test(test_engine_alloc_failures),
        cmocka_unit_test(test_decide_validation), cmocka_unit_test(test_lexicon_blob),
        cmocka_unit_test(test_scratch_across_engines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
