/*
 * internal.h -- contracts between libarbiter's modules (prefix arb__).
 *
 * Nothing here is public.  Modules and their owners of truth:
 *   alloc.c      allocator hook, arena per post, arena-backed string buffer
 *   names.c      status / enum name tables, time and country helpers
 *   normalize.c  Unicode normalization with an offset map (ICU)
 *   langid.c     language identification
 *   lexicon.c    YAML lexicons -> one Vectorscan database
 *   analyze.c    statements, targets, signals, modifiers
 *   policy.c     YAML policy packs -> compiled policy; evaluation
 *   engine.c     arb_engine / arb_scratch / arb_decide / JSON record
 *
 * Invariants kept by every module:
 *   - all memory for one post comes from the scratch arena (capped);
 *   - compiled objects (normalizer, lexicon, policy) are immutable after
 *     construction and safe to share between threads;
 *   - every span is a half-open byte range into the ORIGINAL text.
 */
#ifndef ARB_INTERNAL_H
#define ARB_INTERNAL_H

#include "arbiter.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <nettle/sha2.h>

#define ARB__ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---------------- allocation ---------------- */
extern const arb_allocator arb__default_allocator;
void *arb__malloc(const arb_allocator *a, size_t n);
void *arb__calloc(const arb_allocator *a, size_t n, size_t size);
void *arb__realloc(const arb_allocator *a, void *p, size_t osize, size_t nsize);
void arb__free(const arb_allocator *a, void *p, size_t osize);
char *arb__strndup(const arb_allocator *a, const char *s, size_t n);

/* Arena: bump allocation in chunks, reset per post.  Every allocation fails
 * (returns NULL and sets `over_cap`) once the total would exceed `cap`. */
typedef struct arb__arena arb__arena;
arb__arena *arb__arena_new(const arb_allocator *a, size_t cap);
void arb__arena_free(arb__arena *ar);
void arb__arena_reset(arb__arena *ar);
void *arb__arena_alloc(arb__arena *ar, size_t n);   /* 16-byte aligned */
void *arb__arena_calloc(arb__arena *ar, size_t n);
char *arb__arena_strndup(arb__arena *ar, const char *s, size_t n);
bool arb__arena_over_cap(const arb__arena *ar);

/* Growable byte buffer inside an arena; `failed` is sticky. */
typedef struct arb__buf {
    arb__arena *ar;
    char *p;
    size_t len, cap;
    bool failed;
} arb__buf;
void arb__buf_init(arb__buf *b, arb__arena *ar, size_t initial);
void arb__buf_put(arb__buf *b, const void *s, size_t n);
void arb__buf_putc(arb__buf *b, char c);
void arb__buf_puts(arb__buf *b, const char *s);
void arb__buf_printf(arb__buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void arb__buf_json_str(arb__buf *b, const char *s, size_t n); /* with quotes */
void arb__buf_u32(arb__buf *b, uint32_t v);   /* decimal, like "%u"   */
void arb__buf_fixed2(arb__buf *b, double x);  /* like "%.2f", for |x| < 4e7 */

/* ---------------- errors ---------------- */
void arb__error_set(arb_error *err, arb_status st, const char *source,
                    unsigned line, unsigned column, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* ---------------- hashing ---------------- */
/* SHA-256 of a sequence of buffers, as 64 lowercase hex chars + NUL
 * (Nettle's implementation; arb__sha256_hex() finishes the context). */
typedef struct arb__sha256 {
    struct sha256_ctx ctx;
} arb__sha256;
void arb__sha256_init(arb__sha256 *c);
void arb__sha256_update(arb__sha256 *c, const void *p, size_t n);
void arb__sha256_hex(arb__sha256 *c, char out[65]);

/* ---------------- normalization (normalize.c) ---------------- */
typedef struct arb__normalizer arb__normalizer;
arb_status arb__normalizer_new(const arb_allocator *a, arb__normalizer **out,
                               arb_error *err);
void arb__normalizer_free(arb__normalizer *n);
/* Fills *out (memory from `ar`).  Never fails on bad UTF-8 (repairs and
 * flags ARB_OBF_INVALID_UTF8); returns ARB_LIMIT if the arena cap is hit,
 * ARB_ICU on an ICU failure. */
arb_status arb__normalize(const arb__normalizer *n, arb__arena *ar,
                          const char *text, size_t len, arb_normalized *out);

/* ---------------- language identification (langid.c) ---------------- */
typedef struct arb__langid arb__langid;            /* immutable, shared */
typedef struct arb__langid_scratch arb__langid_scratch; /* per thread */
arb_status arb__langid_new(const arb_allocator *a, arb__langid **out,
                           arb_error *err);
void arb__langid_free(arb__langid *l);
arb_status arb__langid_scratch_new(const arb__langid *l,
                                   arb__langid_scratch **out);
void arb__langid_scratch_free(arb__langid_scratch *s);
/* Languages of the post, best first (at most 4), from the original text,
 * its normalized form, and the caller's hint (may be NULL). */
arb_status arb__langid_detect(const arb__langid *l, arb__langid_scratch *s,
                              arb__arena *ar, const char *text, size_t len,
                              const arb_normalized *norm, const char *hint,
                              arb_lang **langs, size_t *n_langs);

/* ---------------- lexicon + analysis (lexicon.c, analyze.c) ---------- */
typedef struct arb__lexicon arb__lexicon;             /* immutable, shared */
typedef struct arb__lexicon_scratch arb__lexicon_scratch; /* per thread */
arb_status arb__lexicon_compile(const arb_allocator *a, const arb_limits *lim,
                                const arb_source *src, size_t n,
                                arb__lexicon **out, arb_error *err);
void arb__lexicon_free(arb__lexicon *lx);
arb_status arb__lexicon_scratch_new(const arb__lexicon *lx,
                                    arb__lexicon_scratch **out);
void arb__lexicon_scratch_free(arb__lexicon_scratch *s);
/* The compiled lexicon as a blob (lexicon_blob.c): serialize writes a
 * buffer the caller frees with arb__free(a, buf, len); load_default loads
 * the blob embedded at build time, or returns ARB_NOT_FOUND when it is
 * absent, stale or unusable on this CPU (then compile from the sources). */
arb_status arb__lexicon_serialize(const arb_allocator *a, const arb__lexicon *lx,
                                  const char src_hash[65], char **out, size_t *out_len);
arb_status arb__lexicon_deserialize(const arb_allocator *a, const void *blob, size_t len,
                                    const char src_hash[65], arb__lexicon **out);
arb_status arb__lexicon_load_default(const arb_allocator *a, arb__lexicon **out);
void arb__lexicon_sources_hash(const arb_source *src, size_t n, char out[65]);
/* The compiled patterns, PCRE-compatible, for external tools. */
size_t arb__lexicon_pattern_count(const arb__lexicon *lx);
const char *arb__lexicon_pattern(const arb__lexicon *lx, size_t i);

typedef struct arb__analysis {
    arb_statement *stmts;
    size_t n_stmts;
    uint32_t obfuscation;
} arb__analysis;

/* Finds statements in `norm` (whose spans map to the original text
 * src[0..src_len), read for the case of words that may be names; src may
 * be NULL, and then no capitalized word is read as a person).  `langs` is
 * the language guess, best first. */
arb_status arb__analyze(const arb__lexicon *lx, arb__lexicon_scratch *ls,
                        arb__arena *ar, const arb_limits *lim,
                        const arb_normalized *norm, const char *src, size_t src_len,
                        const arb_lang *langs, size_t n_langs, arb__analysis *out);

/* ---------------- policy (policy.c) ---------------- */
typedef struct arb__policy arb__policy;
arb_status arb__policy_compile(const arb_allocator *a, const arb_limits *lim,
                               const arb_source *src, size_t n,
                               arb__policy **out, arb_error *err);
void arb__policy_free(arb__policy *p);
const char *arb__policy_id(const arb__policy *p);
const char *arb__policy_version(const arb__policy *p);
const char *arb__policy_hash(const arb__policy *p);

typedef struct arb__verdict {
    arb_action action;
    const char *rule;            /* never NULL */
    const char *overlay;         /* NULL unless an overlay decided */
    const char *overlay_version; /* NULL unless an overlay decided */
    const char *reason;          /* never NULL */
    const char *visible_in;      /* "" unless restrict */
    int stmt_index;              /* statement the rule matched, or -1 */
} arb__verdict;

/* Evaluates the policy for `post` (country, time) and its analysis.  Pure:
 * same inputs, same verdict.  Strings in *out live in the policy or `ar`. */
arb_status arb__policy_evaluate(const arb__policy *p, arb__arena *ar,
                                const arb__analysis *an, const arb_post *post,
                                arb__verdict *out);

#endif /* ARB_INTERNAL_H */
