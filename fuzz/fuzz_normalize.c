/*
 * fuzz_normalize.c -- libFuzzer target for the normalizer and langid.
 *
 * Any byte string goes through arb__normalize() and arb__langid_detect().
 * Besides "no crash, no sanitizer report", it checks the contract and
 * aborts on a breach:
 *   - status is ARB_OK (the arena is large enough for any fuzz input);
 *   - text is NUL-terminated at len, valid UTF-8, no NUL inside;
 *   - every span lies inside the input (start <= end <= size) and starts
 *     never decrease;
 *   - normalizing the same bytes again gives the same result;
 *   - langid returns 1..4 languages with shares and confidences in 0..1.
 * The normalizer and langid objects are built once per process (the fuzz
 * harness may keep state; the library may not).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static arb__normalizer *g_norm;
static arb__langid *g_lid;
static arb__langid_scratch *g_lids;
static arb__arena *g_ar, *g_ar2;

static void check(int ok)
{
    if (!ok)
        abort();
}

static int valid_utf8(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        size_t k = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (!k || i + k > n)
            return 0;
        for (size_t j = 1; j < k; j++)
            if (((unsigned char)s[i + j] >> 6) != 2)
                return 0;
        if (k == 2 && c < 0xC2)
            return 0;
        i += k;
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536)
        return 0;
    if (!g_norm) {
        arb_error err;
        check(arb__normalizer_new(&arb__default_allocator, &g_norm, &err) == ARB_OK);
        check(arb__langid_new(&arb__default_allocator, &g_lid, &err) == ARB_OK);
        check(arb__langid_scratch_new(g_lid, &g_lids) == ARB_OK);
        g_ar = arb__arena_new(&arb__default_allocator, 64u << 20);
        g_ar2 = arb__arena_new(&arb__default_allocator, 64u << 20);
        check(g_ar && g_ar2);
    }
    arb__arena_reset(g_ar);
    arb__arena_reset(g_ar2);
    const char *text = (const char *)data;
    arb_normalized o, o2;
    check(arb__normalize(g_norm, g_ar, text, size, &o) == ARB_OK);
    check(o.text != NULL && o.text[o.len] == '\0');
    check(strlen(o.text) == o.len);
    check(valid_utf8(o.text, o.len));
    for (size_t i = 0; i < o.len; i++) {
        check(o.orig[i].start <= o.orig[i].end);
        check(o.orig[i].end <= size);
        if (i)
            check(o.orig[i].start >= o.orig[i - 1].start);
    }
    check(arb__normalize(g_norm, g_ar2, text, size, &o2) == ARB_OK);
    check(o2.len == o.len && memcmp(o.text, o2.text, o.len) == 0);
    check(memcmp(o.orig, o2.orig, o.len * sizeof *o.orig) == 0);
    check(o2.obfuscation == o.obfuscation);

    arb_lang *langs = NULL;
    size_t nl = 0;
    check(arb__langid_detect(g_lid, g_lids, g_ar, text, size, &o, size ? "uk-UA" : NULL,
                             &langs, &nl) == ARB_OK);
    check(nl >= 1 && nl <= 4);
    for (size_t i = 0; i < nl; i++) {
        check(langs[i].share >= 0.0f && langs[i].share <= 1.0f);
        check(langs[i].confidence >= 0.0f && langs[i].confidence <= 1.0f);
        check(memchr(langs[i].tag, '\0', sizeof langs[i].tag) != NULL);
    }
    return 0;
}
