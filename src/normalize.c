/*
 * normalize.c -- Unicode normalization with an offset map (ICU).
 *
 * arb__normalize() turns a post into the form the lexicon matcher sees:
 * valid UTF-8, NFKC + case folded, invisibles removed, whitespace runs as
 * one ASCII space, mixed Latin/Cyrillic words rewritten in one script
 * (UTS #39 confusables), leetspeak resolved by script, masks kept as '*',
 * spaced or dotted letters joined, runs of 3+ identical letters collapsed,
 * CamelCase hashtags cut into words ("#KillThemAll" -> "#kill them all"),
 * and a few violent emoji turned into tokens such as ":knife:".
 *
 * The work is done on an array of "units" (a code point plus the half-open
 * span of ORIGINAL bytes it came from), in four passes and a fifth that
 * runs only on posts with a '#':
 *   1. decode + repair UTF-8, emoji tokens, drop invisibles, NFKC_Casefold
 *      per normalization chunk (a starter and the marks that follow it, so
 *      a combining sequence keeps one span), whitespace -> ' '; a unit
 *      remembers whether its letter was upper case before folding;
 *   2. join spaced / dotted single letters;
 *   3. per word: homoglyphs, leetspeak, masks, repeated letters;
 *   3b. hashtag bodies cut at lower->upper and letter<->digit boundaries
 *      (soft spaces with an empty span; acronyms stay whole);
 *   4. encode as UTF-8, collapsing and trimming whitespace.
 * Speed: ASCII bytes and two-byte code points take fast paths; the
 * NFKC_Casefold result of every code point below U+0600, of General
 * Punctuation and of the half/fullwidth forms is tabled at construction
 * (from ICU, so the result is ICU's), and units carry their class and
 * script, so ICU is called only for other chunks and combining sequences.
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
#define PUNCT_LO 0x2000u
#define PUNCT_HI 0x2070u
#define WIDE_LO 0xFF00u
#define WIDE_HI 0xFFF0u
#define CYR_LO 0x400u
#define CYR_HI 0x530u
#define GRK_LO 0x370u
#define GRK_HI 0x400u
#define MAX_CHUNK 32 /* code points merged into one normalization call */

typedef struct fold_entry {
    uint16_t out[3];
    uint8_t n;      /* code points in out; 0 = maps to nothing */
    uint8_t flags;  /* FE_* */
    uint8_t cls, sc; /* class of out[0] when n == 1 */
} fold_entry;

enum { FE_VALID = 1, FE_COMPAT = 2, FE_NO_BOUNDARY = 4, FE_SLOW = 8, FE_UPPER = 16 };

struct arb__normalizer {
    const arb_allocator *a;
    const UNormalizer2 *nfkc_cf, *nfkc, *nfc; /* ICU singletons */
    fold_entry fold[CACHE_END];
    fold_entry punct[PUNCT_HI - PUNCT_LO]; /* General Punctuation */
    fold_entry wide[WIDE_HI - WIDE_LO];    /* half- and fullwidth forms */
    uint8_t cyr2lat[CYR_HI - CYR_LO]; /* Cyrillic letter -> ASCII letter */
    uint8_t alow[128];                /* ASCII: lower case, controls -> ' ' */
    uint8_t acls[128];                /* ASCII: C_* of alow[c] */
    uint8_t afl[128];                 /* ASCII: UF_UPPER for A-Z */
    uint16_t lat2cyr[26];             /* ASCII letter -> Cyrillic letter */
    uint8_t grk2lat[GRK_HI - GRK_LO]; /* Greek letter -> ASCII letter */
};

/* ---------------- units ---------------- */

/* UF_UPPER: the original letter was upper or title case (before case
 * folding); only the hashtag pass reads it. */
enum { UF_TOKEN = 1, UF_SOFT = 2, UF_UPPER = 4, UF_SPLIT = 8 };

/* A code point with its original span and its class bits (cached so the
 * word passes need no Unicode look-ups). */
typedef struct unit {
    uint32_t cp;
    uint32_t s, e;
    uint16_t fl;  /* UF_* */
    uint8_t cls;  /* C_* */
    uint8_t sc;   /* SC_* */
} unit;

enum { C_LETTER = 1, C_DIGIT = 2, C_SYM = 4, C_MASK = 8 };
enum { SC_OTHER = 0, SC_LATIN = 1, SC_CYRILLIC = 2, SC_GREEK = 3 };

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

static inline void classify(uint32_t c, uint8_t *cls, uint8_t *sc);

static inline void uv_push(uvec *v, uint32_t cp, uint32_t s, uint32_t e, uint32_t fl)
{
    if (v->n == v->cap && !uv_grow(v))
        return;
    unit *u = &v->u[v->n++];
    u->cp = cp;
    u->s = s;
    u->e = e;
    u->fl = (uint16_t)fl;
    classify(cp, &u->cls, &u->sc);
}

/* ---------------- character classes ---------------- */

static inline bool is_sym(uint32_t c)
{
    return c == '@' || c == '$' || c == '!' || c == '*' || c == '#' || c == '%';
}

static inline bool is_mask(uint32_t c) { return c == '*' || c == '#' || c == '%'; }

/* Letter (L or M), digit or leet/mask symbol, and script, of a code point
 * of the normalized text. */
static inline void classify(uint32_t c, uint8_t *cls, uint8_t *sc)
{
    if (c < 0x80) {
        uint32_t l = c | 0x20;
        *sc = SC_LATIN;
        *cls = (l >= 'a' && l <= 'z') ? C_LETTER
               : (c >= '0' && c <= '9') ? C_DIGIT
               : is_mask(c)            ? (C_SYM | C_MASK)
               : is_sym(c)             ? C_SYM
                                       : 0;
        return;
    }
    if (c >= CYR_LO && c < CYR_HI) {
        *sc = SC_CYRILLIC;
        *cls = c == 0x482 ? 0 : C_LETTER; /* U+0482 is a sign, not a letter */
        return;
    }
    if (c >= 0xC0 && c < 0x250) {
        *sc = SC_LATIN;
        *cls = (c == 0xD7 || c == 0xF7) ? 0 : C_LETTER;
        return;
    }
    *cls = (U_GET_GC_MASK((UChar32)c) & (U_GC_L_MASK | U_GC_M_MASK)) ? C_LETTER : 0;
    *sc = SC_OTHER;
    if (*cls) {
        UErrorCode st = U_ZERO_ERROR;
        UScriptCode code = uscript_getScript((UChar32)c, &st);
        *sc = code == USCRIPT_LATIN      ? SC_LATIN
              : code == USCRIPT_CYRILLIC ? SC_CYRILLIC
              : code == USCRIPT_GREEK    ? SC_GREEK
                                         : SC_OTHER;
    }
}

static inline void set_cp(unit *u, uint32_t c)
{
    u->cp = c;
    classify(c, &u->cls, &u->sc);
}

static inline bool is_letter_u(const unit *u) { return u->cls & C_LETTER; }

static inline bool is_wordchar(const unit *u)
{
    return u->cls != 0; /* token units have cls 0 */
}

/* Format and zero-width characters that hide inside words. */
static inline bool is_invisible(uint32_t c)
{
    if (c < 0x200B)
        return c == 0xAD || c == 0x034F || c == 0x180E;
    return (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
           (c >= 0x2060 && c <= 0x2064) || (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF ||
           c == 0x180E || c == 0x034F;
}

/* Controls and the White_Space property (stable since Unicode 6.3). */
static inline bool is_space_cp(uint32_t c)
{
    if (c < 0x80)
        return c <= 0x20 || c == 0x7F;
    if (c <= 0xA0)
        return true; /* C1 controls, NEL, NBSP */
    if (c < 0x1680)
        return false;
    return c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
           c == 0x202F || c == 0x205F || c == 0x3000;
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
    for (uint32_t c = GRK_LO; c < CYR_HI; c++) { /* Greek, then Cyrillic */
        uint32_t cp = c;
        if (!u_islower((UChar32)cp))
            continue;
        UChar a[8], b[8];
        int32_t na = skeleton(sc, (UChar32)cp, a, 8);
        int32_t nb = skeleton(sc, u_toupper((UChar32)cp), b, 8);
        int hit = -1;
        for (int i = 0; i < 26 && hit < 0; i++)
            if (same16(a, na, lsk[i], lskn[i]))
                hit = i;
        for (int i = 0; i < 26 && hit < 0; i++)
            if (u_toupper((UChar32)cp) != (UChar32)cp && same16(b, nb, usk[i], uskn[i]))
                hit = i;
        if (hit < 0)
            continue;
        if (cp >= CYR_LO)
            n->cyr2lat[cp - CYR_LO] = (uint8_t)('a' + hit);
        else
            n->grk2lat[cp - GRK_LO] = (uint8_t)('a' + hit);
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
    /* Italic and handwritten look-alikes typed to dodge filters inside a
     * Cyrillic word («вбuю», «nадо»): Latin to Cyrillic only. */
    static const struct { char lat; uint16_t cyr; } k_italic[] = {
        {'u', 0x438}, {'n', 0x43F}, {'r', 0x433},
    };
    for (size_t i = 0; i < ARB__ARRAY_LEN(k_italic); i++)
        if (!n->lat2cyr[k_italic[i].lat - 'a'])
            n->lat2cyr[k_italic[i].lat - 'a'] = k_italic[i].cyr;
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

/* Fills tab[c - lo] for lo <= c < hi with NFKC_Casefold(c) as computed by
 * ICU, whether that is a compatibility change, and the boundary flag. */
static arb_status fill_fold(const arb__normalizer *n, fold_entry *tab, uint32_t lo, uint32_t hi,
                            arb_error *err)
{
    for (uint32_t c = lo; c < hi; c++) {
        fold_entry *fe = &tab[c - lo];
        if (!unorm2_hasBoundaryBefore(n->nfkc_cf, (UChar32)c))
            fe->flags |= FE_NO_BOUNDARY;
        if (u_isupper((UChar32)c) || u_istitle((UChar32)c))
            fe->flags |= FE_UPPER;
        if (c < 0x80)
            continue;
        UChar in[2], out[16];
        int32_t ni = 0;
        U16_APPEND_UNSAFE(in, ni, c);
        int32_t no = norm16(n->nfkc_cf, in, ni, out, 16);
        if (no < 0) {
            arb__error_set(err, ARB_ICU, "", 0, 0, "unorm2_normalize failed at U+%04X",
                           (unsigned)c);
            return ARB_ICU;
        }
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
        fe->flags |= FE_VALID;
        if (k == 1 && !is_space_cp(fe->out[0]))
            classify(fe->out[0], &fe->cls, &fe->sc);
        else
            fe->flags |= FE_SLOW; /* expands, vanishes or is a space */
        if (!same16(in, ni, out, no) && is_compat(n, in, ni))
            fe->flags |= FE_COMPAT;
    }
    return ARB_OK;
}

/* Typographic apostrophes become ASCII '\'': phones type "I’ll", "couldn’t"
 * and Ukrainian «вб’ю», «вбʼю» with U+2019 or U+02BC, and the lexicons and
 * the grammar spell contractions and the Ukrainian apostrophe with '\''.
 * NFKC leaves these alone (U+00B4 it even splits into a space and a
 * combining accent).  U+2018 goes with U+2019 so that '‘…’' quotes read
 * as '\'…\'' quotes.  Not a compatibility change: no obfuscation flag. */
static const uint16_t k_apostrophes[] = {0x00B4, 0x02B9, 0x02BB, 0x02BC, 0x2018,
                                         0x2019, 0x201B, 0x2032};

static void fold_apostrophes(arb__normalizer *n)
{
    for (size_t i = 0; i < sizeof k_apostrophes / sizeof k_apostrophes[0]; i++) {
        uint32_t c = k_apostrophes[i];
        fold_entry *fe = c < CACHE_END ? &n->fold[c] : &n->punct[c - PUNCT_LO];
        fe->out[0] = '\'';
        fe->n = 1;
        fe->flags = (uint8_t)(FE_VALID | (fe->flags & FE_NO_BOUNDARY));
        classify('\'', &fe->cls, &fe->sc);
    }
}

static arb_status build_fold_cache(arb__normalizer *n, arb_error *err)
{
    arb_status st = fill_fold(n, n->fold, 0, CACHE_END, err);
    if (st == ARB_OK)
        st = fill_fold(n, n->punct, PUNCT_LO, PUNCT_HI, err);
    if (st == ARB_OK)
        st = fill_fold(n, n->wide, WIDE_LO, WIDE_HI, err);
    if (st == ARB_OK)
        fold_apostrophes(n);
    return st;
}

/* The cached entry for c, or NULL. */
static inline const fold_entry *fold_of(const arb__normalizer *n, uint32_t c)
{
    if (c < CACHE_END)
        return &n->fold[c];
    if (c >= PUNCT_LO && c < PUNCT_HI)
        return &n->punct[c - PUNCT_LO];
    if (c >= WIDE_LO && c < WIDE_HI)
        return &n->wide[c - WIDE_LO];
    return NULL;
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
    for (uint32_t c = 0; c < 128; c++) {
        uint32_t l = (c >= 'A' && c <= 'Z') ? c + 32 : (c < 0x20 || c == 0x7F) ? ' ' : c;
        uint8_t sc;
        n->alow[c] = (uint8_t)l;
        n->afl[c] = (c >= 'A' && c <= 'Z') ? UF_UPPER : 0;
        classify(l, &n->acls[c], &sc);
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
    uint32_t maxcp;  /* largest code point pushed (sizes the output) */
    bool hash;       /* a '#' was pushed: the hashtag pass has work */
} p1;

/* Pushes the NFKC_Casefold form of `cps` (original span [s,e)). */
static void push_chunk(p1 *p, const uint32_t *cps, int ncp, uint32_t s, uint32_t e)
{
    const fold_entry *fe = ncp == 1 && cps[0] >= 0x80 ? fold_of(p->n, cps[0]) : NULL;
    if (fe && (fe->flags & FE_VALID)) {
        if (fe->flags & FE_COMPAT)
            p->obf |= ARB_OBF_COMPAT;
        for (int k = 0; k < fe->n; k++) {
            uv_push(p->v, is_space_cp(fe->out[k]) ? ' ' : fe->out[k], s, e, 0);
            if (fe->out[k] > p->maxcp)
                p->maxcp = fe->out[k];
        }
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
        for (int k = 0; k < ncp; k++) {
            uv_push(p->v, cps[k], s, e, 0);
            if (cps[k] > p->maxcp)
                p->maxcp = cps[k];
        }
        return;
    }
    if (!same16(in, ni, out, no) && is_compat(p->n, in, ni))
        p->obf |= ARB_OBF_COMPAT;
    for (int32_t j = 0; j < no;) {
        UChar32 oc;
        U16_NEXT(out, j, no, oc);
        uv_push(p->v, is_space_cp((uint32_t)oc) ? ' ' : (uint32_t)oc, s, e, 0);
        if ((uint32_t)oc > p->maxcp)
            p->maxcp = (uint32_t)oc;
    }
}

/* Upper or title case (ICU's properties), from the fold table when c is in
 * it. */
static inline bool is_upper_cp(const arb__normalizer *n, uint32_t c)
{
    const fold_entry *fe = fold_of(n, c);
    if (fe)
        return (fe->flags & FE_UPPER) != 0;
    return u_isupper((UChar32)c) || u_istitle((UChar32)c);
}

static inline bool has_boundary_before(const arb__normalizer *n, uint32_t c)
{
    const fold_entry *fe = fold_of(n, c);
    if (fe)
        return !(fe->flags & FE_NO_BOUNDARY);
    return unorm2_hasBoundaryBefore(n->nfkc_cf, (UChar32)c);
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
    {
        uv_push(p->v, (uint8_t)*t, s, e, UF_TOKEN);
        if (!p->v->failed)
            p->v->u[p->v->n - 1].cls = 0;
    }
    uv_push(p->v, ' ', e, e, UF_SOFT);
    p->obf |= ARB_OBF_EMOJI;
    *i = j;
    return true;
}

/* The common non-ASCII case (Cyrillic, Latin with diacritics): a two-byte
 * code point below CACHE_END that starts a normalization chunk of its own.
 * Pushes it from the fold table and returns true, or returns false and
 * leaves the general path to handle it. */
static inline bool fast2(p1 *p, const uint8_t *b, size_t len, size_t i)
{
    const arb__normalizer *n = p->n;
    uint32_t c = ((uint32_t)(b[i] & 0x1F) << 6) | (b[i + 1] & 0x3F);
    if (c <= 0xA0 || c >= CACHE_END || c == 0xAD || c == 0x34F)
        return false;
    const fold_entry *fe = &n->fold[c];
    if ((fe->flags & (FE_VALID | FE_NO_BOUNDARY | FE_SLOW)) != FE_VALID)
        return false;
    size_t j = i + 2;
    if (j < len && b[j] >= 0x80) { /* does the next code point join us? */
        if (b[j] >= 0xC2 && b[j] < 0xE0 && j + 1 < len && (b[j + 1] & 0xC0) == 0x80) {
            uint32_t d = ((uint32_t)(b[j] & 0x1F) << 6) | (b[j + 1] & 0x3F);
            if (!has_boundary_before(n, d))
                return false;
        } else {
            size_t k = j;
            int32_t d = next_cp((const char *)b, len, &k);
            if (d < 0 || !has_boundary_before(n, (uint32_t)d))
                return false;
        }
    }
    uvec *v = p->v;
    if (v->n == v->cap && !uv_grow(v))
        return true; /* failed: the caller stops */
    unit *u = &v->u[v->n++];
    u->cp = fe->out[0];
    u->s = (uint32_t)i;
    u->e = (uint32_t)i + 2;
    u->fl = (fe->flags & FE_UPPER) ? UF_UPPER : 0;
    u->cls = fe->cls;
    u->sc = fe->sc;
    if (u->cp > p->maxcp)
        p->maxcp = u->cp;
    if (fe->flags & FE_COMPAT)
        p->obf |= ARB_OBF_COMPAT;
    if (u->cls & C_LETTER) {
        p->lat += u->sc == SC_LATIN;
        p->cyr += u->sc == SC_CYRILLIC;
    }
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
            if (v->n == v->cap && !uv_grow(v))
                break;
            unit *u = &v->u[v->n++];
            u->cp = p->n->alow[ch];
            u->s = (uint32_t)i;
            u->e = (uint32_t)i + 1;
            u->fl = p->n->afl[ch];
            u->cls = p->n->acls[ch];
            u->sc = SC_LATIN;
            p->lat += u->cls & C_LETTER;
            prev_cp = ch;
            i++;
            continue;
        }
        if (ch >= 0xC2 && ch < 0xE0 && i + 1 < len && (b[i + 1] & 0xC0) == 0x80 &&
            fast2(p, b, len, i)) { /* a two-byte letter standing alone */
            prev_cp = ((uint32_t)(ch & 0x1F) << 6) | (b[i + 1] & 0x3F);
            i += 2;
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
        bool upper = is_upper_cp(p->n, c);
        if (!has_boundary_before(p->n, c) && v->n > 0 && !(v->u[v->n - 1].fl & UF_TOKEN) &&
            !(v->u[v->n - 1].fl & UF_SOFT)) {
            const unit *last = &v->u[v->n - 1];
            size_t k = v->n;
            while (k > 0 && v->u[k - 1].s == last->s && v->u[k - 1].e == last->e &&
                   !(v->u[k - 1].fl & (UF_TOKEN | UF_SOFT)))
                k--;
            if (v->n - k <= 8) {
                s = v->u[k].s;
                upper = (v->u[k].fl & UF_UPPER) != 0; /* the chunk's first letter */
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
        size_t before = v->n;
        push_chunk(p, cps, ncp, s, e);
        if (before < v->n && is_letter_u(&v->u[before])) {
            p->lat += v->u[before].sc == SC_LATIN;
            p->cyr += v->u[before].sc == SC_CYRILLIC;
            if (upper)
                v->u[before].fl |= UF_UPPER;
        }
        for (size_t q = before; q < v->n; q++)
            p->hash |= v->u[q].cp == '#'; /* fullwidth and small number signs */
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
    if (is_letter_u(u))
        return true;
    return sep != '*' && leet_char(u->cp);
}

/* True when some separator repeats two units later ("k i l", "s.m.e"):
 * the only places pass 2 can join anything. */
static bool spacing_candidates(const uvec *v)
{
    const unit *u = v->u;
    for (size_t i = 0; i + 2 < v->n; i++)
        if (u[i].cp == u[i + 2].cp && is_sep(u[i].cp))
            return true;
    return false;
}

static void pass2(uvec *v, uint32_t *obf)
{
    if (!spacing_candidates(v))
        return;
    unit *u = v->u;
    size_t n = v->n, w = 0, i = 0;
    bool prev_word = false; /* the original u[i - 1] was a word character */
    while (i < n) {
        if (!prev_word && i + 2 < n && is_sep(u[i + 1].cp) && !(u[i + 1].fl & UF_SOFT) &&
            spaced_item(&u[i], u[i + 1].cp)) {
            uint32_t sep = u[i + 1].cp;
            size_t k = i, count = 1, letters = is_letter_u(&u[i]) ? 1 : 0;
            bool lower = true; /* no capital after the first letter so far */
            /* (a capital after three or more letters, of which only the
             * first may be one, starts a word of its own: "the next w o m a
             * n I see", "M u s l i m I see" are "woman I", "Muslim I") */
            while (k + 2 < n && u[k + 1].cp == sep && !(u[k + 1].fl & UF_SOFT) &&
                   spaced_item(&u[k + 2], sep) &&
                   !(lower && count >= 3 && (u[k + 2].fl & UF_UPPER)) &&
                   (k + 3 >= n || !is_wordchar(&u[k + 3]) || u[k + 3].cp == sep)) {
                k += 2;
                count++;
                letters += is_letter_u(&u[k]) ? 1 : 0;
                lower &= !(u[k].fl & UF_UPPER);
            }
            /* a two-letter group ("T O") between double separators, in a
             * post where a longer spaced word was already joined:
             * "D E A T H  T O  A L L" */
            bool pair = count == 2 && letters == 2 && (*obf & ARB_OBF_SPACING) && sep == ' ' &&
                        i >= 2 && u[i - 1].cp == sep && u[i - 2].cp == sep &&
                        (k + 1 >= n || (u[k + 1].cp == sep && (k + 2 >= n || u[k + 2].cp == sep)));
            if ((count >= 3 && letters >= 2) || pair) {
                for (size_t q = i; q <= k; q += 2)
                    u[w++] = u[q];
                *obf |= ARB_OBF_SPACING;
                i = k + 1;
                prev_word = true;
                continue;
            }
        }
        prev_word = is_wordchar(&u[i]);
        if (w != i)
            u[w] = u[i];
        w++;
        i++;
    }
    v->n = w;
}

/* ---------------- pass 3: words ---------------- */

/* Script of a word for leetspeak: Latin, Cyrillic, or Cyrillic with a
 * Ukrainian letter (і ї є ґ), where 1 and ! read as і rather than и. */
enum { LS_LATIN = 0, LS_CYR = 1, LS_UK = 2 };

static uint32_t leet_map(uint32_t c, int ls)
{
    bool cyr = ls != LS_LATIN;
    switch (c) {
    case '0': return cyr ? 0x43E : 'o';
    case '1': return ls == LS_UK ? 0x456 : cyr ? 0x438 : 'i';
    case '3': return cyr ? 0x435 : 'e';
    case '4': return cyr ? 0x447 : 'a';
    case '5': return cyr ? 0x441 : 's';
    case '6': return cyr ? 0x431 : 0;
    case '7': return cyr ? 0x442 : 't';
    case '8': return cyr ? 0x432 : 'b';
    case '@': return cyr ? 0x430 : 'a';
    case '$': return cyr ? 0x441 : 's';
    case '!': return ls == LS_UK ? 0x456 : cyr ? 0x438 : 'i';
    default: return 0;
    }
}

/* What one scan of a word tells the word passes. */
typedef struct wstat {
    size_t letters, digits, lat, cyr;
    size_t first, last; /* first and last letter */
    bool lat_stuck, cyr_stuck; /* a letter with no twin in the other script */
} wstat;

static void word_scan(const arb__normalizer *n, const unit *w, size_t len, wstat *st)
{
    memset(st, 0, sizeof *st);
    st->first = len;
    for (size_t i = 0; i < len; i++) {
        const unit *u = &w[i];
        if (!(u->cls & C_LETTER)) {
            st->digits += (u->cls & C_DIGIT) != 0;
            continue;
        }
        if (st->first == len)
            st->first = i;
        st->last = i;
        st->letters++;
        uint32_t c = u->cp;
        if (u->sc == SC_LATIN) {
            st->lat++;
            if (!(c >= 'a' && c <= 'z' && n->lat2cyr[c - 'a']))
                st->lat_stuck = true;
        } else if (u->sc == SC_CYRILLIC) {
            st->cyr++;
            if (!(c >= CYR_LO && c < CYR_HI && n->cyr2lat[c - CYR_LO]))
                st->cyr_stuck = true;
        }
    }
}

/* A word mixing Latin and Cyrillic letters is rewritten in one script. */
static void word_homoglyphs(const arb__normalizer *n, unit *w, size_t len, wstat *st,
                            bool post_cyr, uint32_t *obf)
{
    bool to_cyr;
    if (st->cyr != st->lat)
        to_cyr = st->cyr > st->lat;
    else if (st->cyr_stuck != st->lat_stuck)
        to_cyr = st->cyr_stuck;
    else
        to_cyr = post_cyr;
    /* Prefer the script every letter can be written in. */
    if (to_cyr && st->lat_stuck && !st->cyr_stuck)
        to_cyr = false;
    else if (!to_cyr && st->cyr_stuck && !st->lat_stuck)
        to_cyr = true;
    bool changed = false;
    for (size_t i = 0; i < len; i++) {
        uint32_t c = w[i].cp;
        if (to_cyr && c >= 'a' && c <= 'z' && n->lat2cyr[c - 'a']) {
            set_cp(&w[i], n->lat2cyr[c - 'a']);
            changed = true;
        } else if (!to_cyr && c >= CYR_LO && c < CYR_HI && n->cyr2lat[c - CYR_LO]) {
            set_cp(&w[i], n->cyr2lat[c - CYR_LO]);
            changed = true;
        }
    }
    if (changed) {
        *obf |= ARB_OBF_HOMOGLYPH;
        word_scan(n, w, len, st);
    }
}

/* A Latin word with Greek look-alikes (kιll, ΚΙll) is written in Latin,
 * provided every Greek letter in it has a Latin twin. */
static void word_greek(const arb__normalizer *n, unit *w, size_t len, uint32_t *obf)
{
    for (size_t i = 0; i < len; i++)
        if (w[i].sc == SC_GREEK && (w[i].cls & C_LETTER) &&
            !(w[i].cp >= GRK_LO && w[i].cp < GRK_HI && n->grk2lat[w[i].cp - GRK_LO]))
            return;
    for (size_t i = 0; i < len; i++)
        if (w[i].sc == SC_GREEK && (w[i].cls & C_LETTER))
            set_cp(&w[i], n->grk2lat[w[i].cp - GRK_LO]);
    *obf |= ARB_OBF_HOMOGLYPH;
}

/* Leetspeak and masks inside one word w[0..len) that has letters and
 * something else. */
static void word_leet(unit *w, size_t len, const wstat *st, uint32_t *obf)
{
    int is_cyr = LS_LATIN;
    if (st->cyr > st->lat) {
        is_cyr = LS_CYR;
        for (size_t i = 0; i < len; i++) {
            uint32_t c = w[i].cp;
            if (c == 0x456 || c == 0x457 || c == 0x454 || c == 0x491)
                is_cyr = LS_UK;
        }
    }
    size_t first = st->first, last = st->last;
    bool did_interior = false;
    size_t i = 0;
    while (i < len) {
        if (w[i].cls & C_LETTER) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < len && !(w[j].cls & C_LETTER))
            j++;
        /* run w[i..j) of digits and symbols */
        size_t rl = j - i;
        bool interior = i > first && j <= last;
        bool leading = j <= first;
        bool all_mask = true, mappable = true, has_sym = false, has_digit = false;
        for (size_t q = i; q < j; q++) {
            uint32_t c = w[q].cp;
            bool m = (w[q].cls & C_MASK) != 0;
            if (!m)
                all_mask = false;
            if (!m && !leet_map(c, is_cyr))
                mappable = false;
            has_sym |= !m && (w[q].cls & C_SYM);
            has_digit |= (w[q].cls & C_DIGIT) != 0;
        }
        if (interior && all_mask) {
            for (size_t q = i; q < j; q++)
                set_cp(&w[q], '*');
            *obf |= ARB_OBF_MASK;
        } else if (is_cyr == LS_LATIN && rl == 2 && w[i].cp == '1' && w[i + 1].cp == '1' &&
                   i > first && (interior || j == len)) {
            /* "11" after a Latin letter is "ll", not "ii", which English
             * hardly writes: "ki11", "ki11ed", "a11" */
            set_cp(&w[i], 'l');
            set_cp(&w[i + 1], 'l');
            *obf |= ARB_OBF_LEET;
            did_interior = true;
        } else if (interior && mappable && st->digits <= st->letters && st->letters >= 2 &&
                   (!has_sym || rl <= 2) && !(rl > 1 && w[i].cp == '!')) {
            for (size_t q = i; q < j; q++) {
                if (w[q].cls & C_MASK) {
                    set_cp(&w[q], '*');
                    *obf |= ARB_OBF_MASK;
                } else {
                    set_cp(&w[q], leet_map(w[q].cp, is_cyr));
                    *obf |= ARB_OBF_LEET;
                    did_interior = true;
                }
            }
        } else if (j == len && did_interior && rl == 1 && mappable &&
                   (has_digit || w[i].cp == '$')) {
            /* "h3ll0", "0kkupant$": a trailing digit or $ counts once the
             * word is leet */
            set_cp(&w[i], leet_map(w[i].cp, is_cyr));
        } else if (leading && rl == 1 && has_digit && mappable && st->letters >= 3) {
            /* a leading 3 in a Cyrillic word is the look-alike З («3арежу»);
             * inside a word it stands for е («т3бя») */
            set_cp(&w[i], is_cyr != LS_LATIN && w[i].cp == '3' ? 0x437 : leet_map(w[i].cp, is_cyr));
            *obf |= ARB_OBF_LEET;
            did_interior = true; /* the word is leet from here on */
        }
        i = j;
    }
}

/* Collapses runs of 3+ identical letters to one; returns the new length. */
static size_t word_repeats(unit *w, size_t len, uint32_t *obf)
{
    size_t i = 0;
    /* fast scan: most words have no run of three */
    while (i + 2 < len && !(w[i].cp == w[i + 1].cp && w[i].cp == w[i + 2].cp &&
                            (w[i].cls & C_LETTER)))
        i++;
    if (i + 2 >= len)
        return len;
    size_t o = i;
    while (i < len) {
        size_t j = i + 1;
        while (j < len && w[j].cp == w[i].cp)
            j++;
        if (j - i >= 3 && (w[i].cls & C_LETTER)) {
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
        if (!u[i].cls) {
            if (o != i)
                u[o] = u[i];
            o++;
            i++;
            continue;
        }
        /* one cheap scan finds the word and whether any rewrite applies */
        size_t j = i, letters = 0;
        unsigned scripts = 0; /* bit per script among the letters */
        uint32_t prev = 0, prev2 = 0;
        bool run3 = false;
        for (; j < nn && u[j].cls; j++) {
            const unit *x = &u[j];
            unsigned isl = x->cls & C_LETTER;
            letters += isl;
            scripts |= isl << x->sc;
            run3 |= (x->cp == prev) & (x->cp == prev2);
            prev2 = prev;
            prev = x->cp;
        }
        bool lat = scripts & (1u << SC_LATIN), cyr = scripts & (1u << SC_CYRILLIC);
        if (lat && !cyr && (scripts & (1u << SC_GREEK)))
            word_greek(n, &u[i], j - i, obf);
        unit *w = &u[i];
        size_t len = j - i;
        bool touched = false;
        if ((lat && cyr) || (letters && letters < len)) {
            wstat st;
            word_scan(n, w, len, &st);
            if (st.lat && st.cyr)
                word_homoglyphs(n, w, len, &st, post_cyr, obf);
            if (st.letters && st.letters < len)
                word_leet(w, len, &st, obf);
            touched = true;
        }
        if (run3 || touched)
            len = word_repeats(w, len, obf);
        if (o != i)
            memmove(&u[o], w, len * sizeof *w);
        o += len;
        i = j;
    }
    v->n = o;
}

/* ---------------- pass 3b: hashtag segmentation ---------------- */

/* A letter of a hashtag body as the case rules see it; a '*' mask counts
 * as a lower-case letter ("#K*llThemAll"). */
static inline bool ht_letter(const unit *u) { return (u->cls & C_LETTER) || u->cp == '*'; }

static inline bool ht_lower(const unit *u)
{
    return ht_letter(u) && !(u->fl & UF_UPPER);
}

static inline bool ht_upper(const unit *u)
{
    return (u->cls & C_LETTER) && (u->fl & UF_UPPER);
}

/* True when a word starts before body unit q of w[0..len): the case or
 * letter/digit boundaries of a CamelCase hashtag.
 *   - letter <-> digit ("Stop2022", "G7");
 *   - lower -> upper ("KillThemAll", "СмертьВорогам");
 *   - the last capital of a run when lower case follows, so an acronym
 *     keeps its letters ("ABCNews" -> abc news, "IKillYou" -> i kill you),
 *     except before a lone 's' ("NGOs", "MPsOut" keep the plural). */
static bool ht_boundary(const unit *w, size_t len, size_t q)
{
    const unit *a = &w[q - 1], *b = &w[q];
    bool ad = (a->cls & C_DIGIT) != 0, bd = (b->cls & C_DIGIT) != 0;
    if ((ad && ht_letter(b)) || (bd && ht_letter(a)))
        return true;
    if (!ht_upper(b))
        return false;
    if (ht_lower(a))
        return true;
    if (!ht_upper(a) || q + 1 >= len || !ht_lower(&w[q + 1]))
        return false;
    bool lone = q + 2 >= len || !ht_lower(&w[q + 2]);
    return !(lone && w[q + 1].cp == 's');
}

/* Splits the bodies of hashtags ('#' at the start of a word, then letters
 * and digits, in parts joined by single underscores, which become spaces)
 * into words at CamelCase boundaries, inserting soft spaces
 * whose empty span sits at the start of the next word's first letter, so
 * every letter keeps its own span.  Runs after pass 3 (leet digits are
 * letters by then, so "#K1llThemAll" is cut as kill them all).  Mentions
 * and CamelCase outside a hashtag ("PlayStation") are left alone. */
static void pass_hashtags(uvec *v, uint32_t *obf)
{
    unit *u = v->u;
    size_t n = v->n, splits = 0;
    bool cut = false;
    for (size_t i = 0; i < n; i++) {
        if (u[i].cp != '#' || (u[i].fl & UF_TOKEN) || (i && is_wordchar(&u[i - 1])))
            continue;
        while (i < n && u[i].cp == '#')
            i++;
        /* a part: letters and digits; parts joined by single '_' */
        for (;;) {
            size_t p = i;
            while (i < n && (ht_letter(&u[i]) || (u[i].cls & C_DIGIT)))
                i++;
            for (size_t q = p + 1; q < i; q++)
                if (ht_boundary(&u[p], i - p, q - p)) {
                    u[q].fl |= UF_SPLIT;
                    splits++;
                }
            if (i == p || i + 1 >= n || u[i].cp != '_' ||
                !(ht_letter(&u[i + 1]) || (u[i + 1].cls & C_DIGIT)))
                break;
            set_cp(&u[i], ' '); /* "#kill_them_all": the '_' is the space */
            cut = true;
            i++;
        }
        i--; /* u[i] is the unit after the body; the loop steps onto it */
    }
    if (cut || splits)
        *obf |= ARB_OBF_HASHTAG;
    if (!splits)
        return;
    unit *dst = u;
    if (n + splits > v->cap) {
        dst = arb__arena_alloc(v->ar, (n + splits) * sizeof *dst);
        if (!dst) {
            v->failed = true;
            return;
        }
        v->cap = n + splits;
    }
    /* back to front, so the copy may run in place */
    size_t w = n + splits;
    for (size_t q = n; q-- > 0;) {
        unit x = u[q];
        dst[--w] = x;
        if (x.fl & UF_SPLIT) {
            dst[w].fl &= (uint16_t)~UF_SPLIT;
            unit *sp = &dst[--w];
            sp->cp = ' ';
            sp->s = sp->e = x.s;
            sp->fl = UF_SOFT;
            sp->cls = 0;
            sp->sc = SC_LATIN;
        }
    }
    v->u = dst;
    v->n = n + splits;
}

/* ---------------- pass 4: UTF-8 out ---------------- */


/* Writes the units as UTF-8 with their spans: space runs become one space
 * whose span covers the run (inserted soft spaces only when the run has
 * nothing else), leading and trailing spaces go.  The largest code point
 * bounds the bytes per unit, which sizes the output. */
static arb_status emit(uvec *v, uint32_t maxcp, arb__arena *ar, arb_normalized *out)
{
    size_t per = maxcp < 0x80 ? 1 : maxcp < 0x800 ? 2 : 4;
    size_t cap = v->n * per + 1;
    char *t = arb__arena_alloc(ar, cap);
    arb_span *m = arb__arena_alloc(ar, cap * sizeof *m);
    if (!t || !m)
        return ARB_LIMIT;
    size_t o = 0;
    bool have_sp = false, sp_real = false;
    arb_span sp = {0, 0};
    uint32_t floor = 0; /* a space run's start never precedes the text before it */
    for (size_t i = 0; i < v->n; i++) {
        const unit *u = &v->u[i];
        uint32_t c = u->cp;
        if (c == ' ') {
            bool real = !(u->fl & UF_SOFT);
            if (!have_sp || (real && !sp_real)) {
                sp.start = u->s;
                sp.end = u->e;
                sp_real = real;
                have_sp = true;
            } else if (real && u->e > sp.end) {
                sp.end = u->e;
            }
            continue;
        }
        if (have_sp && o) {
            t[o] = ' ';
            m[o].start = sp.start < floor ? floor : sp.start;
            m[o].end = sp.end < m[o].start ? m[o].start : sp.end;
            floor = m[o++].start;
        }
        have_sp = false;
        uint32_t st = u->s, en = u->e;
        floor = st;
        if (c < 0x80) {
            t[o] = (char)c;
            m[o].start = st;
            m[o++].end = en;
            continue;
        }
        if (c < 0x800) {
            t[o] = (char)(0xC0 | (c >> 6));
            t[o + 1] = (char)(0x80 | (c & 0x3F));
            m[o].start = m[o + 1].start = st;
            m[o].end = m[o + 1].end = en;
            o += 2;
            continue;
        }
        uint8_t buf[4];
        size_t k = 0;
        U8_APPEND_UNSAFE(buf, k, c);
        for (size_t q = 0; q < k; q++) {
            t[o] = (char)buf[q];
            m[o].start = st;
            m[o++].end = en;
        }
    }
    t[o] = '\0';
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
    p.hash = len && memchr(text, '#', len) != NULL; /* pass 1 adds '＃' and '﹟' */
    pass1(&p, text, len);
    if (v.failed)
        return ARB_LIMIT;
    uint32_t obf = p.obf;
    pass2(&v, &obf);
    pass3(n, &v, p.cyr > p.lat, &obf);
    if (p.hash)
        pass_hashtags(&v, &obf);
    if (v.failed)
        return ARB_LIMIT;
    /* homoglyph and leet rewrites produce ASCII or Cyrillic below U+0460 */
    uint32_t maxcp = p.maxcp;
    if ((obf & (ARB_OBF_HOMOGLYPH | ARB_OBF_LEET)) && maxcp < 0x460)
        maxcp = 0x460;
    arb_status st = emit(&v, maxcp, ar, out);
    if (st != ARB_OK)
        return st;
    out->obfuscation = obf;
    return ARB_OK;
}
