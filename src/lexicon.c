/* lexicon.c -- STUB: accepts any sources, matches nothing. Replaced by the YAML -> Vectorscan compiler. */
#include "internal.h"
struct arb__lexicon { const arb_allocator *a; };
struct arb__lexicon_scratch { const arb_allocator *a; };
arb_status arb__lexicon_compile(const arb_allocator *a, const arb_limits *lim, const arb_source *src, size_t n,
                                arb__lexicon **out, arb_error *err)
{ (void)lim; (void)src; (void)n; (void)err; *out = arb__calloc(a, 1, sizeof **out); if (!*out) return ARB_NOMEM; (*out)->a = a; return ARB_OK; }
void arb__lexicon_free(arb__lexicon *lx) { if (lx) arb__free(lx->a, lx, sizeof *lx); }
arb_status arb__lexicon_scratch_new(const arb__lexicon *lx, arb__lexicon_scratch **out)
{ *out = arb__calloc(lx->a, 1, sizeof **out); if (!*out) return ARB_NOMEM; (*out)->a = lx->a; return ARB_OK; }
void arb__lexicon_scratch_free(arb__lexicon_scratch *s) { if (s) arb__free(s->a, s, sizeof *s); }
