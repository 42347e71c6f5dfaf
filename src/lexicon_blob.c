/*
 * lexicon_blob.c -- the compiled lexicon as an immutable blob.
 *
 * Compiling the lexicons (Hunspell morphology, transliteration variants,
 * a Vectorscan database of ~12,000 patterns) costs seconds of CPU.  The
 * build therefore compiles the embedded default lexicons once (tools/lexc.c)
 * and embeds the result; arb_engine_new() with the default lexicons loads
 * that blob in milliseconds and falls back to compiling from the YAML when
 * the blob is absent, stale (its source hash differs from the embedded
 * sources) or built for another CPU (Vectorscan refuses the database).
 *
 * Format (little-endian, fields copied with memcpy, never cast in place):
 *   "ARBLX004" | source hash (64 hex) | u32 n_entries, n_pats, n_unmask,
 *   hunspell_missing | u64 strtab_len, db_len, rx_db_len, rev_db_len,
 *   som_db_len, trig_db_len | entries | patterns | unmask offsets |
 *   string table | hs_serialize_database() bytes of the literal database,
 *   the regex database (no start of match), the reversed regexes, the
 *   regexes with start of match and the stage-1 (trigger) database, in
 *   that order (an absent database has length 0).
 * Strings of a loaded lexicon point into the blob, which must outlive it
 * (the embedded blob is static).  Every offset and count is checked
 * against the blob's length before use.
 */
#include "lexicon_internal.h"

#include <string.h>

#define MAGIC "ARBLX004"
#define NONE 0xffffffffu

/* Generated at build time (lexicon_blob.c in the build directory); the tool
 * that makes the blob defines an empty one. */
extern const arb_source arb__lexicon_blob[];
extern const size_t arb__lexicon_blob_count;

typedef struct wbuf {
    const arb_allocator *a;
    char *p;
    size_t len, cap;
    bool failed;
} wbuf;

static void wput(wbuf *w, const void *s, size_t n)
{
    if (w->failed)
        return;
    if (w->len + n > w->cap) {
        size_t nc = w->cap ? w->cap : 4096;
        while (nc < w->len + n)
            nc *= 2;
        char *np = arb__realloc(w->a, w->p, w->cap, nc);
        if (!np) {
            w->failed = true;
            return;
        }
        w->p = np;
        w->cap = nc;
    }
    memcpy(w->p + w->len, s, n);
    w->len += n;
}

static void wu32(wbuf *w, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    wput(w, b, 4);
}

static void wu64(wbuf *w, uint64_t v)
{
    wu32(w, (uint32_t)v);
    wu32(w, (uint32_t)(v >> 32));
}

/* string table: offsets into `st`; NULL -> NONE */
static uint32_t wstr(wbuf *st, const char *s)
{
    if (!s)
        return NONE;
    uint32_t off = (uint32_t)st->len;
    wput(st, s, strlen(s) + 1);
    return off;
}

arb_status arb__lexicon_serialize(const arb_allocator *a, const arb__lexicon *lx,
                                  const char src_hash[65], char **out, size_t *out_len)
{
    wbuf w = {a, NULL, 0, 0, false}, st = {a, NULL, 0, 0, false}, body = {a, NULL, 0, 0, false};
    /* the databases, in the order of the format above */
    const hs_database_t *dbs[] = {lx->db, lx->rx_db, lx->rev_db, lx->som_db, lx->trig_db};
    char *db[5] = {NULL, NULL, NULL, NULL, NULL}; /* Vectorscan's default allocator */
    size_t db_len[5] = {0, 0, 0, 0, 0};
    for (size_t i = 0; i < 5; i++)
        if (dbs[i] && hs_serialize_database(dbs[i], &db[i], &db_len[i]) != HS_SUCCESS) {
            for (size_t k = 0; k < i; k++)
                free(db[k]); /* NOLINT */
            return ARB_MATCHER;
        }
    for (size_t i = 0; i < lx->n_entries; i++) {
        const lx_entry *e = &lx->entries[i];
        uint8_t b[4] = {e->kind, e->severity, e->cls, e->sub};
        wput(&body, b, 4);
        wu32(&body, e->bit);
        wu32(&body, e->flags);
        wput(&body, e->lang, sizeof e->lang);
        wput(&body, e->affil, sizeof e->affil);
        wu32(&body, wstr(&st, e->label));
        wu32(&body, wstr(&st, e->entity));
        uint8_t s8 = (uint8_t)e->stmt;
        wput(&body, &s8, 1);
    }
    for (size_t i = 0; i < lx->n_pats; i++) {
        const lx_pattern *p = &lx->pats[i];
        wu32(&body, p->entry);
        uint8_t b[3] = {p->role, p->variant, p->approx};
        wput(&body, b, 3);
        wu32(&body, p->lit_len);
        wu32(&body, wstr(&st, p->regex));
        wu32(&body, wstr(&st, p->source));
        wu32(&body, p->line);
        wu32(&body, p->column);
    }
    for (size_t i = 0; i < lx->n_unmask; i++)
        wu32(&body, wstr(&st, lx->unmask[i]));
    wput(&w, MAGIC, 8);
    wput(&w, src_hash, 64);
    wu32(&w, (uint32_t)lx->n_entries);
    wu32(&w, (uint32_t)lx->n_pats);
    wu32(&w, (uint32_t)lx->n_unmask);
    wu32(&w, lx->hunspell_missing);
    wu64(&w, st.len);
    for (size_t i = 0; i < 5; i++)
        wu64(&w, db_len[i]);
    wput(&w, body.p, body.len);
    wput(&w, st.p, st.len);
    for (size_t i = 0; i < 5; i++) {
        if (db_len[i])
            wput(&w, db[i], db_len[i]);
        free(db[i]); /* NOLINT: allocated by Vectorscan's default allocator */
    }
    bool failed = w.failed || st.failed || body.failed;
    arb__free(a, st.p, st.cap);
    arb__free(a, body.p, body.cap);
    if (failed) {
        arb__free(a, w.p, w.cap);
        return ARB_NOMEM;
    }
    *out = w.p;
    *out_len = w.len;
    return ARB_OK;
}

typedef struct rbuf {
    const uint8_t *p;
    size_t len, off;
    bool bad;
} rbuf;

static const void *rtake(rbuf *r, size_t n)
{
    if (r->bad || n > r->len - r->off) {
        r->bad = true;
        return NULL;
    }
    const void *p = r->p + r->off;
    r->off += n;
    return p;
}

static uint32_t ru32(rbuf *r)
{
    const uint8_t *b = rtake(r, 4);
    return b ? (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24
             : 0;
}

static uint64_t ru64(rbuf *r)
{
    uint64_t lo = ru32(r);
    return lo | (uint64_t)ru32(r) << 32;
}

static const char *rstr(rbuf *r, const char *strtab, uint64_t st_len, bool nullable)
{
    uint32_t off = ru32(r);
    if (off == NONE && nullable)
        return NULL;
    if (off >= st_len || !memchr(strtab + off, 0, st_len - off)) {
        r->bad = true;
        return "";
    }
    return strtab + off;
}

/* sizes of the fixed records, as written above */
#define ENTRY_BYTES (4 + 4 + 4 + 12 + 4 + 4 + 4 + 1)
#define PAT_BYTES (4 + 3 + 4 + 4 + 4 + 4 + 4)

arb_status arb__lexicon_deserialize(const arb_allocator *a, const void *blob, size_t len,
                                    const char src_hash[65], arb__lexicon **out)
{
    rbuf r = {blob, len, 0, false};
    *out = NULL;
    const char *magic = rtake(&r, 8);
    const char *hash = rtake(&r, 64);
    if (!magic || memcmp(magic, MAGIC, 8) != 0 || !hash || memcmp(hash, src_hash, 64) != 0)
        return ARB_NOT_FOUND; /* absent or stale: the caller compiles */
    uint32_t ne = ru32(&r), np = ru32(&r), nu = ru32(&r), hm = ru32(&r);
    uint64_t st_len = ru64(&r), lens[5];
    for (size_t i = 0; i < 5; i++)
        lens[i] = ru64(&r);
    size_t body_len = (size_t)ne * ENTRY_BYTES + (size_t)np * PAT_BYTES + (size_t)nu * 4;
    if (r.bad || body_len > len - r.off || st_len > len - r.off - body_len)
        return ARB_LEXICON;
    uint64_t left = len - r.off - body_len - st_len;
    for (size_t i = 0; i < 5; i++) {
        if (lens[i] > left)
            return ARB_LEXICON;
        left -= lens[i];
    }
    if (left)
        return ARB_LEXICON;
    const char *strtab = (const char *)blob + r.off + body_len;
    arb__lexicon *lx = arb__calloc(a, 1, sizeof *lx);
    if (!lx)
        return ARB_NOMEM;
    lx->a = a;
    lx->hunspell_missing = hm;
    lx->entries = ne ? arb__calloc(a, ne, sizeof *lx->entries) : NULL;
    lx->pats = np ? arb__calloc(a, np, sizeof *lx->pats) : NULL;
    lx->unmask = nu ? arb__calloc(a, nu, sizeof *lx->unmask) : NULL;
    lx->cap_entries = ne;
    lx->cap_pats = np;
    lx->cap_unmask = nu;
    if ((ne && !lx->entries) || (np && !lx->pats) || (nu && !lx->unmask)) {
        arb__lexicon_free(lx);
        return ARB_NOMEM;
    }
    for (uint32_t i = 0; i < ne; i++) {
        lx_entry *e = &lx->entries[i];
        const uint8_t *b = rtake(&r, 4);
        if (!b)
            break;
        e->kind = b[0];
        e->severity = b[1];
        e->cls = b[2];
        e->sub = b[3];
        e->bit = ru32(&r);
        e->flags = ru32(&r);
        const char *lang = rtake(&r, sizeof e->lang);
        const char *aff = rtake(&r, sizeof e->affil);
        if (!lang || !aff)
            break;
        memcpy(e->lang, lang, sizeof e->lang);
        memcpy(e->affil, aff, sizeof e->affil);
        e->lang[sizeof e->lang - 1] = 0;
        e->affil[sizeof e->affil - 1] = 0;
        e->label = rstr(&r, strtab, st_len, false);
        e->entity = rstr(&r, strtab, st_len, true);
        const uint8_t *s8 = rtake(&r, 1);
        e->stmt = s8 ? (int8_t)*s8 : -1;
        if (e->kind >= LX__KIND_COUNT)
            r.bad = true;
    }
    for (uint32_t i = 0; i < np && !r.bad; i++) {
        lx_pattern *p = &lx->pats[i];
        p->entry = ru32(&r);
        const uint8_t *b = rtake(&r, 3);
        if (!b)
            break;
        p->role = b[0];
        p->variant = b[1];
        p->approx = b[2];
        p->lit_len = (uint16_t)ru32(&r);
        p->regex = rstr(&r, strtab, st_len, false);
        p->source = rstr(&r, strtab, st_len, false);
        p->line = ru32(&r);
        p->column = ru32(&r);
        if (p->entry >= ne || p->role >= LX__ROLE_COUNT)
            r.bad = true;
    }
    for (uint32_t i = 0; i < nu && !r.bad; i++)
        lx->unmask[i] = rstr(&r, strtab, st_len, false);
    lx->n_entries = ne;
    lx->n_pats = np;
    lx->n_unmask = nu;
    if (r.bad) {
        arb__lexicon_free(lx);
        return ARB_LEXICON;
    }
    /* the databases follow the string table, in the order they were written */
    hs_database_t **dbs[] = {&lx->db, &lx->rx_db, &lx->rev_db, &lx->som_db, &lx->trig_db};
    const char *at = strtab + st_len;
    for (size_t i = 0; i < 5; at += lens[i], i++) {
        if (lens[i] && hs_deserialize_database(at, lens[i], dbs[i]) != HS_SUCCESS) {
            *dbs[i] = NULL;
            arb__lexicon_free(lx);
            return ARB_NOT_FOUND; /* another CPU or Vectorscan version: recompile */
        }
    }
    for (uint32_t i = 0; i < np; i++) {
        uint8_t k = lx->entries[lx->pats[i].entry].kind;
        lx->n_trig_pats += arb__lx_makes_statement(k);
    }
    if (lx->n_trig_pats && !lx->trig_db) {
        arb__lexicon_free(lx);
        return ARB_LEXICON; /* a blob of triggers without their database */
    }
    if (!lx->rx_db != !lx->rev_db) {
        arb__lexicon_free(lx);
        return ARB_LEXICON; /* regexes without their reversed forms */
    }
    arb__lexicon_index(lx);
    *out = lx;
    return ARB_OK;
}

void arb__lexicon_sources_hash(const arb_source *src, size_t n, char out[65])
{
    arb__sha256 c;
    arb__sha256_init(&c);
    const char *ver = hs_version();
    arb__sha256_update(&c, ver, strlen(ver));
    for (size_t i = 0; i < n; i++) {
        uint64_t l = src[i].len;
        if (src[i].name)
            arb__sha256_update(&c, src[i].name, strlen(src[i].name) + 1);
        arb__sha256_update(&c, &l, sizeof l);
        if (src[i].len)
            arb__sha256_update(&c, src[i].data, src[i].len);
    }
    arb__sha256_hex(&c, out);
}

arb_status arb__lexicon_load_default(const arb_allocator *a, arb__lexicon **out)
{
    if (!arb__lexicon_blob_count || !arb__lexicon_blob[0].len)
        return ARB_NOT_FOUND;
    size_t n;
    const arb_source *src = arb_default_lexicon_sources(&n);
    char h[65];
    arb__lexicon_sources_hash(src, n, h);
    return arb__lexicon_deserialize(a, arb__lexicon_blob[0].data, arb__lexicon_blob[0].len, h,
                                    out);
}
