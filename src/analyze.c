/* analyze.c -- STUB: finds nothing. Replaced by the statement analyzer. */
#include "internal.h"
arb_status arb__analyze(const arb__lexicon *lx, arb__lexicon_scratch *ls, arb__arena *ar, const arb_limits *lim,
                        const arb_normalized *norm, const arb_lang *langs, size_t n_langs, arb__analysis *out)
{ (void)lx; (void)ls; (void)ar; (void)lim; (void)langs; (void)n_langs; out->stmts = NULL; out->n_stmts = 0; out->obfuscation = norm->obfuscation; return ARB_OK; }
