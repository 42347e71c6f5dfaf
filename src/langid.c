/* langid.c -- STUB: returns the hint or "und". Replaced by script + exttextcat identification. */
#include "internal.h"
#include <string.h>
#include <stdio.h>
struct arb__langid { const arb_allocator *a; };
struct arb__langid_scratch { const arb_allocator *a; };
arb_status arb__langid_new(const arb_allocator *a, arb__langid **out, arb_error *err)
{ (void)err; *out = arb__calloc(a, 1, sizeof **out); if (!*out) return ARB_NOMEM; (*out)->a = a; return ARB_OK; }
void arb__langid_free(arb__langid *l) { if (l) arb__free(l->a, l, sizeof *l); }
arb_status arb__langid_scratch_new(const arb__langid *l, arb__langid_scratch **out)
{ *out = arb__calloc(l->a, 1, sizeof **out); if (!*out) return ARB_NOMEM; (*out)->a = l->a; return ARB_OK; }
void arb__langid_scratch_free(arb__langid_scratch *s) { if (s) arb__free(s->a, s, sizeof *s); }
arb_status arb__langid_detect(const arb__langid *l, arb__langid_scratch *s, arb__arena *ar, const char *text, size_t len,
                              const arb_normalized *norm, const char *hint, arb_lang **langs, size_t *n_langs)
{
    (void)l; (void)s; (void)text; (void)len; (void)norm;
    arb_lang *r = arb__arena_calloc(ar, sizeof *r);
    if (!r) return ARB_LIMIT;
    snprintf(r->tag, sizeof r->tag, "%s", hint && *hint ? hint : "und");
    r->confidence = hint ? 1.0f : 0.0f; r->share = 1.0f;
    *langs = r; *n_langs = 1;
    return ARB_OK;
}
