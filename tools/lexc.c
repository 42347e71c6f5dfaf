/*
 * lexc.c -- build-time tool: compiles the embedded default lexicons once and
 * writes the compiled lexicon blob (see src/lexicon_blob.c), which the
 * build then embeds so engines start in milliseconds.
 *
 * usage: arb-lexc OUT.bin
 */
#include "internal.h"

#include <stdio.h>

/* this tool makes the blob, so it links with an empty one; it links only
 * the modules the lexicon compiler needs (see CMakeLists.txt), so a change
 * to the analyzer or the policy code does not compile the lexicons again */
const arb_source arb__lexicon_blob[1] = {{0, 0, 0}};
const size_t arb__lexicon_blob_count = 0;

/* src/engine.c (not linked here) defines this for the library */
extern const arb_source arb__embedded_lexicon[];
extern const size_t arb__embedded_lexicon_count;
const arb_source *arb_default_lexicon_sources(size_t *n)
{
    *n = arb__embedded_lexicon_count;
    return arb__embedded_lexicon;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s OUT.bin\n", argv[0]);
        return 2;
    }
    size_t n;
    const arb_source *src = arb_default_lexicon_sources(&n);
    arb_limits lim;
    arb_limits_default(&lim);
    arb__lexicon *lx;
    arb_error err = {0};
    arb_status st = arb__lexicon_compile(&arb__default_allocator, &lim, src, n, &lx, &err);
    if (st != ARB_OK) {
        fprintf(stderr, "%s:%u:%u: %s\n", err.source, err.line, err.column, err.message);
        return 1;
    }
    char hash[65];
    arb__lexicon_sources_hash(src, n, hash);
    char *blob;
    size_t len;
    st = arb__lexicon_serialize(&arb__default_allocator, lx, hash, &blob, &len);
    arb__lexicon_free(lx);
    if (st != ARB_OK) {
        fprintf(stderr, "arb-lexc: %s\n", arb_strerror(st));
        return 1;
    }
    FILE *f = fopen(argv[1], "wb");
    if (!f || fwrite(blob, 1, len, f) != len || fclose(f) != 0) {
        perror(argv[1]);
        return 1;
    }
    arb__free(&arb__default_allocator, blob, len);
    return 0;
}
