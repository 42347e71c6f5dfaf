/* normalize.c -- STUB: identity normalization (ASCII lower-case). Replaced by the ICU normalizer. */
#include "internal.h"
#include <string.h>
struct arb__normalizer { const arb_allocator *a; };
arb_status arb__normalizer_new(const arb_allocator *a, arb__normalizer **out, arb_error *err)
{
    (void)err;
    *out = arb__calloc(a, 1, sizeof **out);
    if (!*out) return ARB_NOMEM;
    (*out)->a = a;
    return ARB_OK;
}
void arb__normalizer_free(arb__normalizer *n) { if (n) arb__free(n->a, n, sizeof *n); }
arb_status arb__normalize(const arb__normalizer *n, arb__arena *ar, const char *text, size_t len, arb_normalized *out)
{
    (void)n;
    char *t = arb__arena_alloc(ar, len + 1);
    arb_span *m = arb__arena_alloc(ar, (len + 1) * sizeof *m);
    if (!t || !m) return ARB_LIMIT;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        t[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
        m[i].start = (uint32_t)i; m[i].end = (uint32_t)i + 1;
    }
    t[len] = 0;
    out->text = t; out->len = len; out->orig = m; out->obfuscation = 0;
    return ARB_OK;
}
