/*
 * fuzz_lexicon.c -- libFuzzer target for the lexicon YAML compiler.
 *
 * The input is one lexicon source.  If it starts with "#!text\n", the rest
 * of its first line is a post analysed with the compiled lexicon, so the
 * analyzer is exercised on fuzzer-made lexicons too.  Invariants checked:
 * a failed compile names a status and leaves no lexicon; a successful one
 * gives spans inside the text.
 */
#include "lexicon_internal.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536)
        return 0;
    const char *text = "i will kill you";
    size_t tlen = strlen(text);
    char tbuf[256];
    const char *yaml = (const char *)data;
    size_t ylen = size;
    if (size > 7 && memcmp(data, "#!text\n", 7) == 0) {
        const char *nl = memchr(data + 7, '\n', size - 7);
        size_t l = nl ? (size_t)(nl - (const char *)data - 7) : size - 7;
        if (l >= sizeof tbuf)
            l = sizeof tbuf - 1;
        memcpy(tbuf, data + 7, l);
        tbuf[l] = 0;
        text = tbuf;
        tlen = l;
        yaml = nl ? nl + 1 : "";
        ylen = nl ? size - (size_t)(nl + 1 - (const char *)data) : 0;
    }
    arb_source src = {"fuzz.yaml", yaml, ylen};
    arb_limits lim;
    arb_limits_default(&lim);
    arb__lexicon *lx = NULL;
    arb_error err;
    arb_status st = arb__lexicon_compile(&arb__default_allocator, &lim, &src, 1, &lx, &err);
    if (st != ARB_OK) {
        if (lx || err.status != st)
            abort();
        return 0;
    }
    arb__lexicon_scratch *ls = NULL;
    if (arb__lexicon_scratch_new(lx, &ls) == ARB_OK) {
        arb__arena *ar = arb__arena_new(&arb__default_allocator, 1 << 22);
        arb__normalizer *nz = NULL;
        if (ar && arb__normalizer_new(&arb__default_allocator, &nz, &err) == ARB_OK) {
            arb_normalized nm;
            arb__analysis an;
            if (arb__normalize(nz, ar, text, tlen, &nm) == ARB_OK &&
                arb__analyze(lx, ls, ar, &lim, &nm, text, tlen, NULL, 0, &an) == ARB_OK) {
                for (size_t i = 0; i < an.n_stmts; i++) {
                    const arb_statement *s = &an.stmts[i];
                    if (s->span.end > tlen || s->trigger.end > tlen || !s->trigger_label)
                        abort();
                    for (size_t k = 0; k < s->n_targets; k++)
                        if (s->targets[k].span.end > tlen || !s->targets[k].label)
                            abort();
                }
            }
        }
        arb__normalizer_free(nz);
        arb__arena_free(ar);
    }
    arb__lexicon_scratch_free(ls);
    arb__lexicon_free(lx);
    return 0;
}
