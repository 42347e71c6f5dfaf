/*
 * normalize.c -- Unicode normalization with an offset map (ICU).
 *
 * arb__normalize() turns a post into the form the lexicon matcher sees:
 * valid UTF-8, NFKC + case folded, invisibles removed, whitespace runs as
 * one ASCII space, mixed Latin/Cyrillic words rewritten in one script
 * (UTS #39 confusables), leetspeak resolved by script, masks kept as '*',
 * spaced or dotted letters joined, runs of 3+ identical letters collapsed,
 * and a few violent emoji turned into tokens such as ":knife:".
 *
 * The work is done on an array of "units" (a code point plus the half-open
 * span of ORIGINAL bytes it came from), in four passes:
 *   1. decode + repair UTF-8, emoji tokens, drop invisibles, NFKC_Casefold
 *      per normalization chunk (a starter and the marks that follow it, so
 *      a combining sequence keeps one span), whitespace -> ' ';
 *   2. join spaced / dotted single letters;
 *   3. per word: homoglyphs, leetspeak, masks, repeated letters;
 *   4. encode as UTF-8, collapsing and trimming whitespace.
 *
 * Invariants:
 *   - the normalizer is immutable after arb__normalizer_new() and shared by
 *     threads: it holds ICU singletons (UNormalizer2 instances are
 *     thread-safe) and tables computed once from ICU data;
 *   - all per-post memory comes from the arena; a refusal is ARB_LIMIT;
 *   - out->orig[i] is a span into the original text with start <= end <=
 *     len, and starts never decrease with i;
 *   - the output is valid UTF-8 whatever bytes come in.
 */
#include "internal.h"

#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/uspoof.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

/* Code points 0x80..CACHE_END-1 standing alone as a chunk are normalized
 * from a table computed at construction (same result as ICU, no call). */
#define CACHE_END 0x600u
#define CYR_LO 0x400u
#define CYR_HI 0x530u
#define MAX_CHUNK 32 /* code points merged into one normalization call */

typedef struct fold_entry {
    uint16_t out[3];
    uint8_t n;      /* code points in out; 0 = maps to nothing */
    uint8_t flags;  /* FE_* */
} fold_entry;

enum { FE_VALID = 1, FE_COMPAT = 2 };

struct arb__normalizer {
    const arb_allocator *a;
    const UNormalizer2 *nfkc_cf, *nfkc, *nfc; /* ICU singletons */
    fold_entry fold[CACHE_END];
    uint8_t cyr2lat[CYR_HI - CYR_LO]; /* Cyrillic letter -> ASCII letter */
    uint16_t lat2cyr[26];             /* ASCII letter -> Cyrillic letter */
};

/* ---------------- units ---------------- */

enum { UF_TOKEN = 1, UF_SOFT = 2 };

typedef struct unit {
    uint32_t cp;
    uint32_t s, e;
    uint32_t fl;
} unit;

typedef struct uvec {
    arb__arena *ar;
    unit *u;
    size_t n, cap;
    bool failed;
} uvec;

static bool uv_grow(uvec *v)
{
    size_t ncap = v->cap ? v->cap * 2 : 64;
    unit *nu = arb__arena_alloc(v->ar, ncap * sizeof *nu);
    if (!nu) {
        v->failed = true;
        return false;
    }
    if (v->n)
        memcpy(nu, v->u, v->n * sizeof *nu);
    v->u = nu;
    v->cap = ncap;
    return true;
}

static inline void uv_push(uvec *v, uint32_t cp, uint32_t s, uint32_t e, uint32_t fl)
{
    if (v->n == v->cap && !uv_grow(v))
        return;
    unit *u = &v->u[v->n++];
    u->cp = cp;
    u->s = s;
    u->e = e;
    u->fl = fl;
}

/* ---------------- character classes ---------------- */

static inline bool is_letter(uint32_t c)
{
    if (c < 0x80)
        return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    if (c >= 0x430 && c < 0x460)
        return true;
    return (U_GET_GC_MASK((UChar32)c) & (U_GC_L_MASK | U_GC_M_MASK)) != 0;
}

static inline bool is_digit(uint32_t c) { return c >= '0' && c <= '9'; }

static inline bool is_sym(uint32_t c)
{
    return c == '@' || c == '$' || c == '!' || c == '*' || c == '#' || c == '%';
}

static inline bool is_mask(uint32_t c) { return c == '*' || c == '#' || c == '%'; }

static inline bool is_wordchar(const unit *u)
{
    return !(u->fl & UF_TOKEN) && (is_letter(u->cp) || is_digit(u->cp) || is_sym(u->cp));
}

enum { SC_OTHER = 0, SC_LATIN = 1, SC_CYRILLIC = 2 };

static inline int script_of(uint32_t c)
{
    if (c < 0x80)
        return SC_LATIN;
    if (c >= CYR_LO && c < CYR_HI)
        return SC_CYRILLIC;
    if (c < 0x250)
        return SC_LATIN;
    UErrorCode st = U_ZERO_ERROR;
    UScriptCode sc = uscript_getScript((UChar32)c, &st);
    if (sc == USCRIPT_LATIN)
        return SC_LATIN;
    if (sc == USCRIPT_CYRILLIC)
        return SC_CYRILLIC;
    return SC_OTHER;
}

/* Format and zero-width characters that hide inside words. */
static bool is_invisible(uint32_t c)
{
    return c == 0xAD || (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
           (c >= 0x2060 && c <= 0x2064) || (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF ||
           c == 0x180E || c == 0x034F;
}

static inline bool is_space_cp(uint32_t c)
{
    if (c < 0x80)
        return c <= 0x20 || c == 0x7F;
    if (c < 0xA0)
        return true; /* C1 controls */
    return u_isUWhiteSpace((UChar32)c);
}

/* ---------------- emoji ---------------- */

typedef struct emoji_tok {
    uint32_t cp;
    const char *tok;
} emoji_tok;

/* Sorted by code point. */
static const emoji_tok k_emoji[] = {
    {0x2620, ":skull:"},     /* skull and crossbones */
    {0x26B0, ":coffin:"},    /* coffin */
    {0x1F3AF, ":target:"},   /* direct hit */
    {0x1F416, ":pig:"},      /* pig */
    {0x1F437, ":pig:"},      /* pig face */
    {0x1F480, ":skull:"},    /* skull */
    {0x1F4A3, ":bomb:"},     /* bomb */
    {0x1F4A5, ":explosion:"}, /* collision */
    {0x1F525, ":fire:"},     /* fire */
    {0x1F52A, ":knife:"},    /* hocho */
    {0x1F52B, ":gun:"},      /* pistol */
    {0x1F5E1, ":dagger:"},   /* dagger knife */
    {0x1FA78, ":blood:"},    /* drop of blood */
    {0x1FA93, ":axe:"},      /* axe */
    {0x1FAA2, ":noose:"},    /* knot */
    {0x1FAA6, ":grave:"},    /* headstone */
};

static const char *emoji_token(uint32_t c)
{
    if (c < 0x2620)
        return NULL;
    size_t lo = 0, hi = ARB__ARRAY_LEN(k_emoji);
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (k_emoji[mid].cp == c)
            return k_emoji[mid].tok;
        if (k_emoji[mid].cp < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static inline bool is_emoji_modifier(uint32_t c)
{
    return c == 0xFE0F || c == 0xFE0E || (c >= 0x1F3FB && c <= 0x1F3FF);
}

static inline bool is_pictographic(uint32_t c)
{
    return c >= 0x80 && u_hasBinaryProperty((UChar32)c, UCHAR_EXTENDED_PICTOGRAPHIC);
}

/* ---------------- decoding ---------------- */

/* Decodes the code point at text[*i], advancing *i; invalid sequences (a
 * maximal ill-formed subpart) give -1. */
static inline int32_t next_cp(const char *text, size_t len, size_t *i)
{
    const uint8_t *s = (const uint8_t *)text;
    if (s[*i] < 0x80)
        return s[(*i)++];
    int32_t pos = (int32_t)*i, n = (int32_t)len;
    UChar32 c;
    U8_NEXT(s, pos, n, c);
    *i = (size_t)pos;
    return c;
}

/* ---------------- construction ---------------- */

static int skeleton(const USpoofChecker *sc, UChar32 c, UChar *out, int32_t cap)
{
    UChar in[2];
    int32_t n = 0;
    U16_APPEND_UNSAFE(in, n, c);
    UErrorCode st = U_ZERO_ERROR;
    int32_t r = uspoof_getSkeleton(sc, 0, in, n, out, cap, &st);
    return U_SUCCESS(st) ? r : -1;
}

static bool same16(const UChar *a, int32_t na, const UChar *b, int32_t nb)
{
    return na == nb && na >= 0 && memcmp(a, b, (size_t)na * sizeof *a) == 0;
}

/* Confusable pairs Cyrillic <-> Latin from UTS #39 data: a Cyrillic letter
 * pairs with an ASCII letter when their skeletons agree in lower case or in
 * upper case (Cyrillic т/Т looks like T only in upper case). */
static arb_status build_confusables(arb__normalizer *n, arb_error *err)
{
    UErrorCode st = U_ZERO_ERROR;
    USpoofChecker *sc = uspoof_open(&st);
    if (U_FAILURE(st)) {
        arb__error_set(err, ARB_ICU, "", 0, 0, "uspoof_open: %s", u_errorName(st));
        return ARB_ICU;
    }
    UChar lsk[26][8], usk[26][8];
    int32_t lskn[26], uskn[26];
    for (int i = 0; i < 26; i++) {
        lskn[i] = skeleton(sc, 'a' + i, lsk[i], 8);
        uskn[i] = skeleton(sc, 'A' + i, usk[i], 8);
    }
    for (uint32_t c = CYR_LO; c < CYR_HI; c++) {
        if (!u_islower((UChar32)c))
            continue;
        UChar a[8], b[8];
        int32_t na = skeleton(sc, (UChar32)c, a, 8);
        int32_t nb = skeleton(sc, u_toupper((UChar32)c), b, 8);
        int hit = -1;
        for (int i = 0; i < 26 && hit < 0; i++)
            if (same16(a, na, lsk[i], lskn[i]))
                hit = i;
        for (int i = 0; i < 26 && hit < 0; i++)
            if (u_toupper((UChar32)c) != (UChar32)c && same16(b, nb, usk[i], uskn[i]))
                hit = i;
        if (hit >= 0)
            n->cyr2lat[c - CYR_LO] = (uint8_t)('a' + hit);
    }
    uspoof_close(sc);
    /* The pairs every moderator knows, whatever the ICU version says. */
    static const struct { uint16_t cyr; char lat; } k_core[] = {
        {0x430, 'a'}, {0x435, 'e'}, {0x43E, 'o'}, {0x440, 'p'}, {0x441, 'c'},
        {0x443, 'y'}, {0x445, 'x'}, {0x456, 'i'}, {0x43A, 'k'}, {0x43C, 'm'},
        {0x442, 't'}, {0x432, 'b'}, {0x43D, 'h'}, {0x458, 'j'}, {0x455, 's'},
    };
    for (size_t i = 0; i < ARB__ARRAY_LEN(k_core); i++)
        if (!n->cyr2lat[k_core[i].cyr - CYR_LO])
            n->cyr2lat[k_core[i].cyr - CYR_LO] = (uint8_t)k_core[i].lat;
    /* Reverse map: prefer the basic Russian alphabet, then the other
     * letters of U+0450..U+045F (і, ј, ѕ); never the historic or minority
     * letters beyond. */
    for (uint32_t c = 0x430; c < 0x460; c++) {
        uint8_t l = n->cyr2lat[c - CYR_LO];
        if (l && !n->lat2cyr[l - 'a'])
            n->lat2cyr[l - 'a'] = (uint16_t)c;
    }
    /* 'y' looks like 'у', never 'ү' etc.; the loop above already prefers
     * U+0430..U+045F. */
    return ARB_OK;
}

static int32_t norm16(const UNormalizer2 *nz, const UChar *src, int32_t n, UChar *dst,
                      int32_t cap)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t r = unorm2_normalize(nz, src, n, dst, cap, &st);
    return U_SUCCESS(st) ? r : -1;
}

/* True when NFKC changes `src` beyond what NFC does: a compatibility
 * mapping (fullwidth, math alphabets, ligatures, superscripts). */
static bool is_compat(const arb__normalizer *n, const UChar *src, int32_t len)
{
    UChar a[128], b[128];
    int32_t na = norm16(n->nfc, src, len, a, 128);
    int32_t nb = norm16(n->nfkc, src, len, b, 128);
    if (na < 0 || nb < 0)
        return true;
    return !same16(a, na, b, nb);
}

static arb_status build_fold_cache(arb__normalizer *n, arb_error *err)
{
    for (uint32_t c = 0x80; c < CACHE_END; c++) {
        UChar in[2], out[16];
        int32_t ni = 0;
        U16_APPEND_UNSAFE(in, ni, c);
        int32_t no = norm16(n->nfkc_cf, in, ni, out, 16);
        if (no < 0) {
            arb__error_set(err, ARB_ICU, "", 0, 0, "unorm2_normalize failed at U+%04X",
                           (unsigned)c);
            return ARB_ICU;
        }
        fold_entry *fe = &n->fold[c];
        int k = 0;
        bool ok = true;
        for (int32_t j = 0; j < no;) {
            UChar32 oc;
            U16_NEXT(out, j, no, oc);
            if (k == 3 || oc > 0xFFFF) {
                ok = false;
                break;
            }
            fe->out[k++] = (uint16_t)oc;
        }
        if (!ok)
            continue;
        fe->n = (uint8_t)k;
        fe->flags = FE_VALID;
        if (!same16(in, ni, out, no) && is_compat(n, in, ni))
            fe->flags |= FE_COMPAT;
    }
    return ARB_OK;
}

arb_status arb__normalizer_new(const arb_allocator *a, arb__normalizer **out, arb_error *err)
{
    *out = NULL;
    arb__normalizer *n = arb__calloc(a, 1, sizeof *n);
    if (!n)
        return ARB_NOMEM;
    n->a = a;
    UErrorCode st = U_ZERO_ERROR;
    n->nfkc_cf = unorm2_getNFKCCasefoldInstance(&st);
    if (U_SUCCESS(st))
        n->nfkc = unorm2_getNFKCInstance(&st);
    if (U_SUCCESS(st))
        n->nfc = unorm2_getNFCInstance(&st);
    if (U_FAILURE(st)) {
        arb__error_set(err, ARB_ICU, "", 0, 0, "ICU normalizer data: %s", u_errorName(st));
        arb__free(a, n, sizeof *n);
        return ARB_ICU;
    }
    arb_status s = build_fold_cache(n, err);
    if (s == ARB_OK)
        s = build_confusables(n, err);
    if (s != ARB_OK) {
        arb__free(a, n, sizeof *n);
        return s;
    }
    *out = n;
    return ARB_OK;
}

void arb__normalizer_free(arb__normalizer *n)
{
    if (n)
        arb__free(n->a, n, sizeof *n);
}

/* ---------------- pass 1: decode, emoji, invisibles, NFKC_CF ---------- */

typedef struct p1 {
    const arb__normalizer *n;
    uvec *v;
    uint32_t obf;
    size_t lat, cyr; /* letters per script, for tie-breaking homoglyphs */
} p1;

/* Pushes the NFKC_Casefold form of `cps` (original span [s,e)). */
static void push_chunk(p1 *p, const uint32_t *cps, int ncp, uint32_t s, uint32_t e)
{
    if (ncp == 1 && cps[0] < CACHE_END && cps[0] >= 0x80 &&
        (p->n->fold[cps[0]].flags & FE_VALID)) {
        const fold_entry *fe = &p->n->fold[cps[0]];
        if (fe->flags & FE_COMPAT)
            p->obf |= ARB_OBF_COMPAT;
        for (int k = 0; k < fe->n; k++)
            uv_push(p->v, is_space_cp(fe->out[k]) ? ' ' : fe->out[k], s, e, 0);
        return;
    }
    UChar in[MAX_CHUNK * 2 + 4], sbuf[256];
    int32_t ni = 0;
    for (int k = 0; k < ncp; k++)
        U16_APPEND_UNSAFE(in, ni, cps[k]);
    UChar *out = sbuf;
    UErrorCode st = U_ZERO_ERROR;
    int32_t no = unorm2_normalize(p->n->nfkc_cf, in, ni, out, 256, &st);
    if (st == U_BUFFER_OVERFLOW_ERROR) {
        out = arb__arena_alloc(p->v->ar, (size_t)no * sizeof *out + 2);
        if (!out) {
            p->v->failed = true;
            return;
        }
        st = U_ZERO_ERROR;
        no = unorm2_normalize(p->n->nfkc_cf, in, ni, out, no, &st);
    }
    if (U_FAILURE(st)) { /* keep the input as it is */
        for (int k = 0; k < ncp; k++)
            uv_push(p->v, cps[k], s, e, 0);
        return;
    }
    if (!same16(in, ni, out, no) && is_compat(p->n, in, ni))
        p->obf |= ARB_OBF_COMPAT;
    for (int32_t j = 0; j < no;) {
        UChar32 oc;
        U16_NEXT(out, j, no, oc);
        uv_push(p->v, is_space_cp((uint32_t)oc) ? ' ' : (uint32_t)oc, s, e, 0);
    }
}

static inline bool has_boundary_before(const arb__normalizer *n, uint32_t c)
{
    return c < 0x300 || unorm2_hasBoundaryBefore(n->nfkc_cf, (UChar32)c);
}

/* Tries to read an emoji sequence starting with `c` (already decoded,
 * text[*i] is the byte after it).  On success pushes the token and moves *i
 * past the whole sequence (variation selectors, skin tones, ZWJ parts). */
static bool take_emoji(p1 *p, const char *text, size_t len, uint32_t c, size_t start,
                       size_t *i)
{
    const char *tok = emoji_token(c);
    if (!tok)
        return false;
    size_t j = *i;
    for (;;) {
        size_t k = j;
        if (k >= len)
            break;
        int32_t d = next_cp(text, len, &k);
        if (d >= 0 && is_emoji_modifier((uint32_t)d)) {
            j = k;
            continue;
        }
        if (d == 0x200D && k < len) {
            size_t m = k;
            int32_t f = next_cp(text, len, &m);
            if (f >= 0 && is_pictographic((uint32_t)f)) {
                j = m;
                continue;
            }
        }
        break;
    }
    uint32_t s = (uint32_t)start, e = (uint32_t)j;
    uv_push(p->v, ' ', s, s, UF_SOFT);
    for (const char *t = tok; *t; t++)
        uv_push(p->v, (uint8_t)*t, s, e, UF_TOKEN);
    uv_push(p->v, ' ', e, e, UF_SOFT);
    p->obf |= ARB_OBF_EMOJI;
    *i = j;
    return true;
}

static void pass1(p1 *p, const char *text, size_t len)
{
    const uint8_t *b = (const uint8_t *)text;
    uvec *v = p->v;
    uint32_t prev_cp = 0; /* last decoded code point, for ZWJ context */
    size_t i = 0;
    while (i < len && !v->failed) {
        uint8_t ch = b[i];
        if (ch < 0x80) { /* ASCII fast path */
            uint32_t c = ch;
            if (c >= 'A' && c <= 'Z')
                c += 32;
            if (c >= 'a' && c <= 'z')
                p->lat++;
            else if (c < 0x20 || c == 0x7F) /* NUL and controls */
                c = ' ';
            uv_push(v, c, (uint32_t)i, (uint32_t)i + 1, 0);
            prev_cp = ch;
            i++;
            continue;
        }
        size_t start = i;
        int32_t d = next_cp(text, len, &i);
        uint32_t c;
        if (d < 0) {
            p->obf |= ARB_OBF_INVALID_UTF8;
            c = 0xFFFD;
        } else {
            c = (uint32_t)d;
        }
        if (take_emoji(p, text, len, c, start, &i)) {
            prev_cp = c;
            continue;
        }
        if (c == 0x200D) { /* ZWJ: part of an emoji sequence, or hiding */
            size_t k = i;
            int32_t f = k < len ? next_cp(text, len, &k) : -1;
            if (!(is_pictographic(prev_cp) && f >= 0 && is_pictographic((uint32_t)f)))
                p->obf |= ARB_OBF_INVISIBLE;
            continue;
        }
        if (is_invisible(c)) {
            p->obf |= ARB_OBF_INVISIBLE;
            continue;
        }
        prev_cp = c;
        if (is_space_cp(c)) {
            uv_push(v, ' ', (uint32_t)start, (uint32_t)i, 0);
            continue;
        }
        /* One normalization chunk: c plus following non-starters; if c
         * itself combines with what came before, re-open that chunk. */
        uint32_t cps[MAX_CHUNK + 8];
        int ncp = 0;
        uint32_t s = (uint32_t)start, e;
        if (!has_boundary_before(p->n, c) && v->n > 0 && !(v->u[v->n - 1].fl & UF_TOKEN) &&
            !(v->u[v->n - 1].fl & UF_SOFT)) {
            const unit *last = &v->u[v->n - 1];
            size_t k = v->n;
            while (k > 0 && v->u[k - 1].s == last->s && v->u[k - 1].e == last->e &&
                   !(v->u[k - 1].fl & (UF_TOKEN | UF_SOFT)))
                k--;
            if (v->n - k <= 8) {
                s = v->u[k].s;
                for (size_t q = k; q < v->n; q++)
                    cps[ncp++] = v->u[q].cp;
                v->n = k;
            }
        }
        cps[ncp++] = c;
        e = (uint32_t)i;
        while (i < len && ncp < MAX_CHUNK) {
            size_t k = i;
            if (b[k] < 0x80)
                break;
            int32_t f = next_cp(text, len, &k);
            if (f < 0 || has_boundary_before(p->n, (uint32_t)f) || is_invisible((uint32_t)f) ||
                f == 0x200D)
                break;
            cps[ncp++] = (uint32_t)f;
            i = k;
            e = (uint32_t)i;
        }
        int sc = script_of(c);
        if (is_letter(c)) {
            if (sc == SC_LATIN)
                p->lat++;
            else if (sc == SC_CYRILLIC)
                p->cyr++;
        }
        push_chunk(p, cps, ncp, s, e);
    }
}

/* ---------------- pass 2: spaced and dotted letters ---------------- */

static inline bool is_sep(uint32_t c)
{
    return c == ' ' || c == '.' || c == '-' || c == '_' || c == '*' || c == 0xB7;
}

static inline bool leet_char(uint32_t c)
{
    return c == '0' || c == '1' || c == '3' || c == '4' || c == '5' || c == '7' ||
           c == '8' || c == '@' || c == '$';
}

/* A single-character "letter" of a spaced word. */
static inline bool spaced_item(const unit *u, uint32_t sep)
{
    if (u->fl & (UF_TOKEN | UF_SOFT))
        return false;
    if (is_letter(u->cp))
        return true;
    return sep != '*' && leet_char(u->cp);
}

static void pass2(uvec *v, uint32_t *obf)
{
    unit *u = v->u;
    size_t n = v->n, w = 0, i = 0;
    while (i < n) {
        bool left_ok = i == 0 || !is_wordchar(&u[i - 1]);
        if (left_ok && i + 2 < n && is_sep(u[i + 1].cp) && !(u[i + 1].fl & UF_SOFT)) {
            uint32_t sep = u[i + 1].cp;
            size_t k = i, count = 1, letters = is_letter(u[i].cp) ? 1 : 0;
            if (spaced_item(&u[i], sep)) {
                while (k + 2 < n && u[k + 1].cp == sep && !(u[k + 1].fl & UF_SOFT) &&
                       spaced_item(&u[k + 2], sep) &&
                       (k + 3 >= n || !is_wordchar(&u[k + 3]) || u[k + 3].cp == sep)) {
                    k += 2;
                    count++;
                    letters += is_letter(u[k].cp) ? 1 : 0;
                }
            }
            if (count >= 3 && letters >= 2) {
                for (size_t q = i; q <= k; q += 2)
                    u[w++] = u[q];
                *obf |= ARB_OBF_SPACING;
                i = k + 1;
                continue;
            }
        }
        u[w++] = u[i++];
    }
    v->n = w;
}

/* ---------------- pass 3: words ---------------- */

static uint32_t leet_map(uint32_t c, bool cyr)
{
    switch (c) {
    case '0': return cyr ? 0x43E : 'o';
    case '1': return cyr ? 0x456 : 'i';
    case '3': return cyr ? 0x435 : 'e';
    case '4': return cyr ? 0x447 : 'a';
    case '5': return cyr ? 0x441 : 's';
    case '6': return cyr ? 0x431 : 0;
    case '7': return cyr ? 0x442 : 't';
    case '8': return cyr ? 0x432 : 'b';
    case '@': return cyr ? 0x430 : 'a';
    case '$': return cyr ? 0x441 : 's';
    case '!': return cyr ? 0x456 : 'i';
    default: return 0;
    }
}

static void word_homoglyphs(const arb__normalizer *n, unit *w, size_t len, bool post_cyr,
                            uint32_t *obf)
{
    size_t lat = 0, cyr = 0;
    bool lat_stuck = false, cyr_stuck = false; /* a letter with no twin */
    for (size_t i = 0; i < len; i++) {
        uint32_t c = w[i].cp;
        if (!is_letter(c))
            continue;
        int sc = script_of(c);
        if (sc == SC_LATIN) {
            lat++;
            if (!(c >= 'a' && c <= 'z' && n->lat2cyr[c - 'a']))
                lat_stuck = true;
        } else if (sc == SC_CYRILLIC) {
            cyr++;
            if (!(c >= CYR_LO && c < CYR_HI && n->cyr2lat[c - CYR_LO]))
                cyr_stuck = true;
        }
    }
    if (!lat || !cyr)
        return;
    bool to_cyr;
    if (cyr != lat)
        to_cyr = cyr > lat;
    else if (cyr_stuck != lat_stuck)
        to_cyr = cyr_stuck;
    else
        to_cyr = post_cyr;
    /* Prefer the script every letter can be written in. */
    if (to_cyr && lat_stuck && !cyr_stuck)
        to_cyr = false;
    else if (!to_cyr && cyr_stuck && !lat_stuck)
        to_cyr = true;
    bool changed = false;
    for (size_t i = 0; i < len; i++) {
        uint32_t c = w[i].cp;
        if (to_cyr && c >= 'a' && c <= 'z' && n->lat2cyr[c - 'a']) {
            w[i].cp = n->lat2cyr[c - 'a'];
            changed = true;
        } else if (!to_cyr && c >= CYR_LO && c < CYR_HI && n->cyr2lat[c - CYR_LO]) {
            w[i].cp = n->cyr2lat[c - CYR_LO];
            changed = true;
        }
    }
    if (changed)
        *obf |= ARB_OBF_HOMOGLYPH;
}

/* Leetspeak and masks inside one word w[0..len). */
static void word_leet(unit *w, size_t len, uint32_t *obf)
{
    size_t letters = 0, digits = 0, lat = 0, cyr = 0;
    for (size_t i = 0; i < len; i++) {
        uint32_t c = w[i].cp;
        if (is_letter(c)) {
            letters++;
            int sc = script_of(c);
            lat += sc == SC_LATIN;
            cyr += sc == SC_CYRILLIC;
        } else if (is_digit(c)) {
            digits++;
        }
    }
    if (!letters || letters == len)
        return;
    bool is_cyr = cyr > lat;
    size_t first = len, last = 0; /* first and last letter */
    for (size_t i = 0; i < len; i++)
        if (is_letter(w[i].cp)) {
            if (first == len)
                first = i;
            last = i;
        }
    bool did_interior = false;
    size_t i = 0;
    while (i < len) {
        if (is_letter(w[i].cp)) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < len && !is_letter(w[j].cp))
            j++;
        /* run w[i..j) of digits and symbols */
        size_t rl = j - i;
        bool interior = i > first && j <= last;
        bool leading = j <= first;
        bool all_mask = true, mappable = true, has_sym = false, has_digit = false;
        for (size_t q = i; q < j; q++) {
            uint32_t c = w[q].cp;
            if (!is_mask(c))
                all_mask = false;
            if (!is_mask(c) && !leet_map(c, is_cyr))
                mappable = false;
            has_sym |= is_sym(c) && !is_mask(c);
            has_digit |= is_digit(c);
        }
        if (interior && all_mask) {
            for (size_t q = i; q < j; q++)
                w[q].cp = '*';
            *obf |= ARB_OBF_MASK;
        } else if (interior && mappable && digits < letters &&
                   (!has_sym || rl <= 2) && !(rl > 1 && w[i].cp == '!')) {
            for (size_t q = i; q < j; q++) {
                if (is_mask(w[q].cp)) {
                    w[q].cp = '*';
                    *obf |= ARB_OBF_MASK;
                } else {
                    w[q].cp = leet_map(w[q].cp, is_cyr);
                    *obf |= ARB_OBF_LEET;
                    did_interior = true;
                }
            }
        } else if (j == len && did_interior && rl == 1 && has_digit && mappable) {
            /* "h3ll0": a trailing digit counts once the word is leet */
            w[i].cp = leet_map(w[i].cp, is_cyr);
        } else if (leading && rl == 1 && has_digit && mappable && letters >= 3) {
            w[i].cp = leet_map(w[i].cp, is_cyr);
            *obf |= ARB_OBF_LEET;
        }
        i = j;
    }
}

/* Collapses runs of 3+ identical letters to one; returns the new length. */
static size_t word_repeats(unit *w, size_t len, uint32_t *obf)
{
    size_t o = 0, i = 0;
    while (i < len) {
        size_t j = i + 1;
        while (j < len && w[j].cp == w[i].cp)
            j++;
        if (j - i >= 3 && is_letter(w[i].cp)) {
            unit u = w[i];
            u.e = w[j - 1].e > u.e ? w[j - 1].e : u.e;
            w[o++] = u;
            *obf |= ARB_OBF_REPEAT;
        } else {
            for (size_t q = i; q < j; q++)
                w[o++] = w[q];
        }
        i = j;
    }
    return o;
}

static void pass3(const arb__normalizer *n, uvec *v, bool post_cyr, uint32_t *obf)
{
    unit *u = v->u;
    size_t nn = v->n, o = 0, i = 0;
    while (i < nn) {
        if (!is_wordchar(&u[i])) {
            u[o++] = u[i++];
            continue;
        }
        size_t j = i;
        while (j < nn && is_wordchar(&u[j]))
            j++;
        unit *w = &u[i];
        size_t len = j - i;
        word_homoglyphs(n, w, len, post_cyr, obf);
        word_leet(w, len, obf);
        len = word_repeats(w, len, obf);
        memmove(&u[o], w, len * sizeof *w);
        o += len;
        i = j;
    }
    v->n = o;
}

/* ---------------- pass 4: UTF-8 out ---------------- */

static size_t utf8_len(uint32_t c)
{
    return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
}

static arb_status emit(uvec *v, arb__arena *ar, arb_normalized *out)
{
    /* size first: spaces collapse, leading/trailing ones go */
    size_t need = 0;
    bool pend = false, any = false;
    for (size_t i = 0; i < v->n; i++) {
        if (v->u[i].cp == ' ') {
            pend = any;
            continue;
        }
        if (pend)
            need++;
        pend = false;
        any = true;
        need += utf8_len(v->u[i].cp);
    }
    char *t = arb__arena_alloc(ar, need + 1);
    arb_span *m = arb__arena_alloc(ar, (need + 1) * sizeof *m);
    if (!t || !m)
        return ARB_LIMIT;
    size_t o = 0;
    any = false;
    bool have_sp = false;
    arb_span sp = {0, 0};
    bool sp_real = false;
    for (size_t i = 0; i < v->n; i++) {
        const unit *u = &v->u[i];
        if (u->cp == ' ') {
            bool real = !(u->fl & UF_SOFT);
            if (!have_sp) {
                sp.start = u->s;
                sp.end = u->e;
                sp_real = real;
                have_sp = true;
            } else if (real && !sp_real) {
                sp.start = u->s;
                sp.end = u->e;
                sp_real = true;
            } else if (real) {
                if (u->e > sp.end)
                    sp.end = u->e;
            }
            continue;
        }
        if (have_sp && any) {
            t[o] = ' ';
            m[o++] = sp;
        }
        have_sp = false;
        any = true;
        uint8_t buf[4];
        size_t k = 0;
        uint32_t c = u->cp;
        if (c < 0x80) {
            buf[k++] = (uint8_t)c;
        } else {
            U8_APPEND_UNSAFE(buf, k, c);
        }
        for (size_t q = 0; q < k; q++) {
            t[o] = (char)buf[q];
            m[o].start = u->s;
            m[o++].end = u->e;
        }
    }
    t[o] = '\0';
    /* Starts never decrease: a union span may begin before its left
     * neighbour's start (a space run merged with a soft space); clamp. */
    for (size_t i = 1; i < o; i++)
        if (m[i].start < m[i - 1].start) {
            m[i].start = m[i - 1].start;
            if (m[i].end < m[i].start)
                m[i].end = m[i].start;
        }
    out->text = t;
    out->len = o;
    out->orig = m;
    return ARB_OK;
}

/* ---------------- entry point ---------------- */

arb_status arb__normalize(const arb__normalizer *n, arb__arena *ar, const char *text,
                          size_t len, arb_normalized *out)
{
    if (len > (size_t)INT32_MAX)
        return ARB_TOO_BIG;
    uvec v = {.ar = ar};
    if (!text)
        len = 0;
    size_t want = len + 16;
    v.u = arb__arena_alloc(ar, want * sizeof *v.u);
    if (!v.u)
        return ARB_LIMIT;
    v.cap = want;
    p1 p = {.n = n, .v = &v};
    pass1(&p, text, len);
    if (v.failed)
        return ARB_LIMIT;
    uint32_t obf = p.obf;
    pass2(&v, &obf);
    pass3(n, &v, p.cyr > p.lat, &obf);
    arb_status st = emit(&v, ar, out);
    if (st != ARB_OK)
        return st;
    out->obfuscation = obf;
    return ARB_OK;
}
