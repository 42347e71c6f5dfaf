/*
 * lexicon.c -- YAML lexicons -> Vectorscan databases.
 *
 * Input: lexicon sources (lexicons/NAME.yaml), one language per file plus
 * shared registries (entities, emoji).  Each file has a `lang`, an optional
 * `morphology` block (Snowball stemmer, Hunspell dictionary, noun/adjective
 * endings, derivation rules, transliteration) and a list of `entries`.
 * Output: an immutable arb__lexicon whose patterns are compiled into
 * Vectorscan block-mode databases: the literals, the regexes (without
 * start-of-match tracking), the same regexes reversed (to find where a regex
 * hit starts, see "regex reversal"), the regexes that cannot be reversed
 * (with start-of-match tracking; none in the default lexicons), and a
 * stage-1 database of the trigger and coded forms that says whether the
 * others need scanning at all.
 *
 * All morphology happens here, at compile time:
 *   - nouns/adjectives: stem (Snowball, or a suffix strip list) + endings,
 *     pruned by Hunspell when the dictionary knows the lemma;
 *   - verbs: derivation rules (base -> -s/-ed/-ing, inf -> past, ...),
 *     pruned by Hunspell (or, without it, by agreeing Snowball stems);
 *   - every plain form lets '*' (a mask kept by the normalizer) stand for any
 *     letter but the first, and accepts a doubled letter written once (the
 *     normalizer collapses runs of 3+ letters to one);
 *   - Cyrillic forms also get Latin transliterations (ICU "Russian-Latin/BGN"
 *     or "Ukrainian-Latin/BGN" + a simplified ASCII table) and ЙЦУКЕН->QWERTY
 *     keyboard swaps, as separate patterns flagged with their variant.
 *
 * Invariants: pattern id == index into lx->pats; every pattern names its
 * entry, role and variant; strings live in the lexicon's pool until
 * arb__lexicon_free(); errors name the source, 1-based line and column.
 * Hunspell and libfyaml allocate with malloc internally (third-party code);
 * everything the lexicon keeps goes through the arb allocator.
 */
#include "lexicon_internal.h"

#include <hunspell.h>
#include <libfyaml.h>
#include <libstemmer.h>
#include <stdio.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/ucnv.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>
#include <unicode/utrans.h>

#define LX_HUNSPELL_DIR "/usr/share/hunspell"
#define LX_MAX_LANGS 16
#define LX_MIN_VARIANT_LETTERS 4 /* shorter forms get no translit/keyboard */

/* ---------------- pool (lexicon-lifetime memory) ---------------- */

typedef struct lx_pool {
    struct lx_pool *next;
    size_t size, used;
    max_align_t data[];
} lx_pool;

static void *pool_alloc(arb__lexicon *lx, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    lx_pool *p = lx->pool;
    if (!p || p->size - p->used < n) {
        size_t sz = n > 65536 ? n : 65536;
        lx_pool *q = arb__malloc(lx->a, sizeof *q + sz);
        if (!q)
            return NULL;
        q->next = lx->pool;
        q->size = sz;
        q->used = 0;
        lx->pool = q;
        p = q;
    }
    void *r = (char *)p->data + p->used;
    p->used += n;
    return r;
}

static char *pool_strndup(arb__lexicon *lx, const char *s, size_t n)
{
    char *p = pool_alloc(lx, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = 0;
    }
    return p;
}

/* ---------------- word characters ---------------- */

static bool cp_is_word(UChar32 c)
{
    return c == '*' || c == '_' || u_isalnum(c) || c == 0x2019;
}

bool arb__lx_is_word_char(const char *s, size_t n, size_t i, size_t *clen)
{
    int32_t j = (int32_t)i;
    UChar32 c;
    U8_NEXT((const uint8_t *)s, j, (int32_t)n, c);
    if (clen)
        *clen = (size_t)j - i;
    return c >= 0 && cp_is_word(c);
}

bool arb__lx_word_char_before(const char *s, size_t i)
{
    if (i == 0)
        return false;
    int32_t j = (int32_t)i;
    UChar32 c;
    U8_PREV((const uint8_t *)s, 0, j, c);
    return c >= 0 && cp_is_word(c);
}

/* English function words that people glue to a violent word by leaving a
 * space out (HateCheck's spell_space_del: "murderthat woman", "deserve
 * todie", "hangall these", "Deathto"): a trigger may start right after one
 * of `pre` that starts its token, or end right before one of `post` that
 * ends it. */
static bool glue_word(const char *t, size_t a, size_t b, const char *const *list)
{
    for (size_t k = 0; list[k]; k++)
        if (strlen(list[k]) == b - a && !memcmp(t + a, list[k], b - a))
            return true;
    return false;
}

bool arb__lx_glued(const char *t, size_t n, size_t s, size_t e)
{
    static const char *const pre[] = {"to", "and", "gonna", "wanna", "will", "must", "should",
                                      "just", NULL};
    static const char *const post[] = {"the", "that", "those", "these", "them", "all", "you",
                                       "him", "her", "every", "this", "his", "their", "to",
                                       "em", "ur", "u", NULL};
    bool in_s = arb__lx_is_word_char(t, n, s, NULL) && arb__lx_word_char_before(t, s);
    bool in_e = e < n && arb__lx_word_char_before(t, e) && arb__lx_is_word_char(t, n, e, NULL);
    if (!in_s && !in_e)
        return false; /* not glued: on word boundaries */
    if (in_s && in_e)
        return false; /* glued on both sides: a part of some other word */
    if (in_s) {
        size_t a = s;
        while (a > 0 && arb__lx_word_char_before(t, a))
            a--; /* (ASCII: every glue word is) */
        return glue_word(t, a, s, pre);
    }
    size_t b = e, len;
    while (b < n && arb__lx_is_word_char(t, n, b, &len))
        b += len ? len : 1;
    return glue_word(t, e, b, post);
}

bool arb__lx_starts_word(const char *t, size_t n, size_t s)
{
    return !(arb__lx_is_word_char(t, n, s, NULL) && arb__lx_word_char_before(t, s));
}

bool arb__lx_ends_word(const char *t, size_t n, size_t e)
{
    return !(e < n && arb__lx_word_char_before(t, e) && arb__lx_is_word_char(t, n, e, NULL));
}

/* ---------------- compile-time state ---------------- */

typedef struct strvec {
    char **v;
    uint8_t *role;
    size_t n, cap;
} strvec;

typedef struct derive_rule {
    uint8_t from, to;
    const char *strip;
    strvec add;
    bool dbl; /* double the stem's last letter ("stab" -> "stabbed") */
} derive_rule;

typedef struct morph {
    char lang[12];
    bool defined;
    char stemmer[32];
    char hunspell[32];
    char noun_stem[16]; /* "snowball", "strip" or "none" */
    int translit;       /* 0 none, 1 russian, 2 ukrainian, 3 polish (diacritics folded) */
    strvec endings_noun, endings_adj, strip;
    derive_rule *rules;
    size_t n_rules;
    /* opened lazily */
    bool tried;
    Hunhandle *hun;
    char hun_enc[32];
    struct sb_stemmer *sb;
    UTransliterator *icu_tr;
    UConverter *conv; /* UTF-8 -> dictionary encoding, when not UTF-8 */
} morph;

typedef struct cctx {
    arb__lexicon *lx;
    arb__arena *tmp;
    arb_error *err;
    const arb_source *src;
    morph langs[LX_MAX_LANGS];
    size_t n_langs;
    size_t cap_entries, cap_pats;
    bool oom; /* a temporary allocation failed: every error becomes ARB_NOMEM */
    /* en_US, opened lazily: a derived spelling of a trigger or target (a
     * doubled letter written once, a transliteration, a keyboard swap, Polish
     * without diacritics) that is itself an English word ("fins" from
     * "finns", "tramp" from «Трамп», "pedal" from «pedał») is not emitted */
    bool en_tried;
    Hunhandle *en_hun;
} cctx;

static arb_status fail(cctx *c, arb_status st, const char *src, unsigned line,
                       unsigned col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
static arb_status fail(cctx *c, arb_status st, const char *src, unsigned line,
                       unsigned col, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    if (c->oom && st != ARB_NOMEM) {
        arb__error_set(c->err, ARB_NOMEM, src, line, col, "out of memory");
        return ARB_NOMEM;
    }
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    arb__error_set(c->err, st, src, line, col, "%s", msg);
    return st;
}

static bool sv_push(cctx *c, strvec *sv, const char *s, size_t n, uint8_t role)
{
    for (size_t i = 0; i < sv->n; i++)
        if (sv->role[i] == role && strlen(sv->v[i]) == n && memcmp(sv->v[i], s, n) == 0)
            return true;
    if (sv->n == sv->cap) {
        size_t nc = sv->cap ? sv->cap * 2 : 16;
        char **nv = arb__arena_alloc(c->tmp, nc * sizeof *nv);
        uint8_t *nr = arb__arena_alloc(c->tmp, nc);
        if (!nv || !nr)
            return false;
        if (sv->n) {
            memcpy(nv, sv->v, sv->n * sizeof *nv);
            memcpy(nr, sv->role, sv->n);
        }
        sv->v = nv;
        sv->role = nr;
        sv->cap = nc;
    }
    sv->v[sv->n] = arb__arena_strndup(c->tmp, s, n);
    if (!sv->v[sv->n])
        return false;
    sv->role[sv->n++] = role;
    return true;
}

/* ---------------- YAML helpers ---------------- */

static void node_mark(struct fy_node *n, unsigned *line, unsigned *col)
{
    *line = 0;
    *col = 0;
    for (int depth = 0; n && depth < 64; depth++) {
        enum fy_node_type t = fy_node_get_type(n);
        if (t == FYNT_SCALAR) {
            struct fy_token *tok = fy_node_get_scalar_token(n);
            const struct fy_mark *m = tok ? fy_token_start_mark(tok) : NULL;
            if (m) {
                *line = (unsigned)m->line + 1;
                *col = (unsigned)m->column + 1;
            }
            return;
        }
        void *it = NULL;
        if (t == FYNT_MAPPING) {
            struct fy_node_pair *p = fy_node_mapping_iterate(n, &it);
            n = p ? fy_node_pair_key(p) : NULL;
        } else {
            n = fy_node_sequence_iterate(n, &it);
        }
    }
}

/* scalar as a NUL-terminated temp string, or NULL if not a scalar */
static const char *scalar(cctx *c, struct fy_node *n)
{
    if (!n || fy_node_get_type(n) != FYNT_SCALAR)
        return NULL;
    size_t len;
    const char *s = fy_node_get_scalar(n, &len);
    if (!s)
        return NULL;
    char *r = arb__arena_strndup(c->tmp, s, len);
    if (!r)
        c->oom = true;
    return r;
}

static arb_status need_scalar(cctx *c, struct fy_node *n, const char *what,
                              const char **out)
{
    *out = scalar(c, n);
    if (*out)
        return ARB_OK;
    unsigned l, col;
    node_mark(n, &l, &col);
    return fail(c, ARB_LEXICON, c->src->name, l, col, "%s must be a string", what);
}

static arb_status read_list(cctx *c, struct fy_node *n, const char *what,
                            strvec *out, uint8_t role)
{
    unsigned l, col;
    if (!n || fy_node_get_type(n) != FYNT_SEQUENCE) {
        node_mark(n, &l, &col);
        return fail(c, ARB_LEXICON, c->src->name, l, col,
                    "%s must be a list of strings", what);
    }
    void *it = NULL;
    struct fy_node *item;
    while ((item = fy_node_sequence_iterate(n, &it))) {
        const char *s;
        arb_status st = need_scalar(c, item, what, &s);
        if (st)
            return st;
        if (!s[strspn(s, " \t")]) {
            node_mark(item, &l, &col);
            return fail(c, ARB_LEXICON, c->src->name, l, col, "%s: empty string", what);
        }
        if (!sv_push(c, out, s, strlen(s), role))
            return fail(c, ARB_NOMEM, c->src->name, 0, 0, "out of memory");
    }
    return ARB_OK;
}

/* ---------------- name tables ---------------- */

static const char *const role_names[LX__ROLE_COUNT] = {
    "word", "base", "imp", "inf", "fut1", "past", "past1",
    "part", "ger",  "pres3", "noun", "emoji"};
static const char *const kind_names[LX__KIND_COUNT] = {
    "trigger", "target", "cue", "cred", "mod", "coded"};
static const char *const cue_names[LX__CUE_COUNT] = {
    "intent", "modal", "advocacy", "hope", "cond", "first",
    "negation", "quote", "condemn", "report", "object", "be", "approve", "threat", "negdet", "det", "conj",
    "notname"};

static int name_index(const char *const *tab, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(tab[i], s) == 0)
            return (int)i;
    return -1;
}

/* ---------------- morphology ---------------- */

static morph *morph_get(cctx *c, const char *lang, bool create)
{
    for (size_t i = 0; i < c->n_langs; i++)
        if (strcmp(c->langs[i].lang, lang) == 0)
            return &c->langs[i];
    if (!create || c->n_langs == LX_MAX_LANGS)
        return NULL;
    morph *m = &c->langs[c->n_langs++];
    memset(m, 0, sizeof *m);
    snprintf(m->lang, sizeof m->lang, "%s", lang);
    snprintf(m->noun_stem, sizeof m->noun_stem, "none");
    return m;
}

static void morph_open(cctx *c, morph *m)
{
    if (m->tried)
        return;
    m->tried = true;
    if (m->hunspell[0]) {
        char aff[256], dic[256];
        snprintf(aff, sizeof aff, "%s/%s.aff", LX_HUNSPELL_DIR, m->hunspell);
        snprintf(dic, sizeof dic, "%s/%s.dic", LX_HUNSPELL_DIR, m->hunspell);
        FILE *f = fopen(dic, "rb");
        if (f) {
            fclose(f);
            m->hun = Hunspell_create(aff, dic);
        }
        if (m->hun) {
            const char *enc = Hunspell_get_dic_encoding(m->hun);
            snprintf(m->hun_enc, sizeof m->hun_enc, "%s", enc ? enc : "UTF-8");
            if (strcmp(m->hun_enc, "UTF-8") && strcmp(m->hun_enc, "utf-8")) {
                UErrorCode ue = U_ZERO_ERROR;
                m->conv = ucnv_open(m->hun_enc, &ue);
                if (U_SUCCESS(ue))
                    ucnv_setFromUCallBack(m->conv, UCNV_FROM_U_CALLBACK_STOP, NULL, NULL,
                                          NULL, &ue);
                if (U_FAILURE(ue)) {
                    if (m->conv)
                        ucnv_close(m->conv);
                    m->conv = NULL;
                }
            }
        } else {
            size_t idx = (size_t)(m - c->langs);
            c->lx->hunspell_missing |= 1u << idx;
        }
    }
    if (m->stemmer[0])
        m->sb = sb_stemmer_new(m->stemmer, "UTF_8");
    if (m->translit) {
        UErrorCode ue = U_ZERO_ERROR;
        UChar id[64];
        u_uastrcpy(id, m->translit == 2 ? "Ukrainian-Latin/BGN; Latin-ASCII"
                                         : "Russian-Latin/BGN; Latin-ASCII");
        m->icu_tr = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &ue);
        if (U_FAILURE(ue))
            m->icu_tr = NULL;
    }
}

static void morph_close(morph *m)
{
    if (m->hun)
        Hunspell_destroy(m->hun);
    if (m->sb)
        sb_stemmer_delete(m->sb);
    if (m->icu_tr)
        utrans_close(m->icu_tr);
    if (m->conv)
        ucnv_close(m->conv);
}

/* 1 known, 0 unknown, -1 no dictionary */
static int spell(morph *m, const char *w)
{
    if (!m->hun)
        return -1;
    if (strcmp(m->hun_enc, "UTF-8") == 0 || strcmp(m->hun_enc, "utf-8") == 0)
        return Hunspell_spell(m->hun, w) ? 1 : 0;
    char buf[256];
    UErrorCode ue = U_ZERO_ERROR;
    if (!m->conv)
        return -1;
    UChar u[256];
    int32_t ul = 0;
    u_strFromUTF8(u, 256, &ul, w, -1, &ue);
    ucnv_reset(m->conv);
    int32_t n = ucnv_fromUChars(m->conv, buf, sizeof buf - 1, u, ul, &ue);
    if (U_FAILURE(ue) || n < 0)
        return 0;
    buf[n] = 0;
    return Hunspell_spell(m->hun, buf) ? 1 : 0;
}

static size_t stem_of(morph *m, const char *w, char *out, size_t cap)
{
    size_t n = strlen(w);
    if (strcmp(m->noun_stem, "snowball") == 0 && m->sb) {
        const sb_symbol *s = sb_stemmer_stem(m->sb, (const sb_symbol *)w, (int)n);
        int l = sb_stemmer_length(m->sb);
        if (s && l > 0 && (size_t)l < cap) {
            memcpy(out, s, (size_t)l);
            out[l] = 0;
            return (size_t)l;
        }
    } else if (strcmp(m->noun_stem, "strip") == 0) {
        size_t best = 0;
        for (size_t i = 0; i < m->strip.n; i++) {
            size_t sl = strlen(m->strip.v[i]);
            if (sl > best && sl + 2 < n && memcmp(w + n - sl, m->strip.v[i], sl) == 0)
                best = sl;
        }
        n -= best;
    }
    if (n >= cap)
        n = cap - 1;
    memcpy(out, w, n);
    out[n] = 0;
    return n;
}

/* lemma + endings, pruned by Hunspell when it knows the lemma */
static bool expand_stemmed(cctx *c, morph *m, const char *lemma, const strvec *endings,
                           strvec *out, uint8_t role)
{
    if (!sv_push(c, out, lemma, strlen(lemma), role))
        return false;
    if (!m)
        return true;
    morph_open(c, m);
    char stem[256], cand[320];
    size_t sl = stem_of(m, lemma, stem, sizeof stem);
    int known = spell(m, lemma);
    for (size_t i = 0; i < endings->n; i++) {
        int k = snprintf(cand, sizeof cand, "%.*s%s", (int)sl, stem, endings->v[i]);
        if (k <= 0 || (size_t)k >= sizeof cand)
            continue;
        if (known == 1 && spell(m, cand) != 1)
            continue;
        if (!sv_push(c, out, cand, (size_t)k, role))
            return false;
    }
    /* A fleeting vowel (ублюдок -> ублюдка, мерзавец -> мерзавца, покидьок ->
     * покидька): when the stem ends in о/е/ё + consonant, the stem without
     * that vowel takes the endings too -- only where Hunspell knows the lemma
     * and accepts the form, so nothing is invented. */
    static const char *const fleeting[] = {"\xd0\xbe", "\xd0\xb5", "\xd1\x91"}; /* о е ё */
    if (known == 1 && sl >= 6 && ((unsigned char)stem[sl - 2] == 0xd0 ||
                                  (unsigned char)stem[sl - 2] == 0xd1)) {
        bool fv = false;
        for (size_t i = 0; i < 3; i++)
            fv |= !memcmp(stem + sl - 4, fleeting[i], 2);
        for (size_t i = 0; fv && i < endings->n; i++) {
            int k = snprintf(cand, sizeof cand, "%.*s%.2s%s", (int)(sl - 4), stem, stem + sl - 2,
                             endings->v[i]);
            if (k <= 0 || (size_t)k >= sizeof cand || spell(m, cand) != 1)
                continue;
            if (!sv_push(c, out, cand, (size_t)k, role))
                return false;
        }
    }
    return true;
}

static bool same_stem(morph *m, const char *a, const char *b)
{
    if (!m->sb)
        return true;
    char sa[256];
    const sb_symbol *s = sb_stemmer_stem(m->sb, (const sb_symbol *)a, (int)strlen(a));
    int la = sb_stemmer_length(m->sb);
    if (!s || la <= 0 || la >= 256)
        return true;
    memcpy(sa, s, (size_t)la);
    s = sb_stemmer_stem(m->sb, (const sb_symbol *)b, (int)strlen(b));
    int lb = sb_stemmer_length(m->sb);
    return s && lb == la && memcmp(sa, s, (size_t)la) == 0;
}

/* applies derivation rules to the forms already in `v` (one level) */
static bool derive(cctx *c, morph *m, strvec *v)
{
    if (!m || !m->n_rules)
        return true;
    morph_open(c, m);
    size_t n0 = v->n;
    char cand[320];
    for (size_t i = 0; i < n0; i++) {
        const char *w = v->v[i];
        size_t wl = strlen(w);
        int known = spell(m, w);
        for (size_t r = 0; r < m->n_rules; r++) {
            const derive_rule *dr = &m->rules[r];
            if (dr->from != v->role[i])
                continue;
            size_t sl = strlen(dr->strip);
            if (sl >= wl || memcmp(w + wl - sl, dr->strip, sl) != 0)
                continue;
            for (size_t k = 0; k < dr->add.n; k++) {
                int len;
                if (dr->dbl)
                    len = snprintf(cand, sizeof cand, "%.*s%c%s", (int)(wl - sl), w,
                                   w[wl - sl - 1], dr->add.v[k]);
                else
                    len = snprintf(cand, sizeof cand, "%.*s%s", (int)(wl - sl), w,
                                   dr->add.v[k]);
                if (len <= 0 || (size_t)len >= sizeof cand)
                    continue;
                if (known == 1) {
                    if (spell(m, cand) != 1)
                        continue;
                } else if (known == -1 && !same_stem(m, w, cand)) {
                    continue;
                } else if (known == 0 && m->hun) {
                    /* word unknown to the dictionary (slang): keep rule output */
                }
                if (!sv_push(c, v, cand, (size_t)len, dr->to))
                    return false;
            }
        }
    }
    return true;
}

/* ---------------- form -> regex ---------------- */

typedef struct rbuf {
    char *p;
    size_t len, cap;
    size_t raw; /* bytes of text the literal matches */
    bool failed;
    arb__arena *ar;
} rbuf;

static void rb_put(rbuf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t nc = b->cap ? b->cap * 2 : 256;
        while (nc < b->len + n + 1)
            nc *= 2;
        char *np = arb__arena_alloc(b->ar, nc);
        if (!np) {
            b->failed = true;
            return;
        }
        if (b->len)
            memcpy(np, b->p, b->len);
        b->p = np;
        b->cap = nc;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}


static void put_escaped_cp(rbuf *b, UChar32 cp)
{
    char tmp[8];
    int32_t k = 0;
    b->raw += (size_t)U8_LENGTH(cp);
    if (cp < 0x80 && strchr("\\^$.|?*+()[]{}/-#", (int)cp) && cp != 0) {
        tmp[k++] = '\\';
        tmp[k++] = (char)cp;
    } else {
        UBool err = false;
        U8_APPEND((uint8_t *)tmp, k, 8, cp, err);
        (void)err;
    }
    rb_put(b, tmp, (size_t)k);
}

/* Each form becomes literal patterns (Vectorscan compiles thousands of
 * literals far faster than one big alternation).  A doubled letter also
 * gets a variant written once ("kill" -> "kil"), since the normalizer
 * collapses runs of three or more letters to one.  Masks ('*') are undone at
 * run time by analyze.c against the unmask table (see lx->unmask). */

/* simplified Latin for a Cyrillic letter; scheme 0 "kh/ts/yu", 1 "h/c/ju" */
static const char *translit_simple(UChar32 cp, int lang, int scheme)
{
    switch (cp) {
    case 0x430: return "a";
    case 0x431: return "b";
    case 0x432: return "v";
    case 0x433: return lang == 2 && !scheme ? "h" : "g";
    case 0x434: return "d";
    case 0x435: return lang == 2 ? "e" : (scheme ? "e" : "e");
    case 0x451: return scheme ? "e" : "yo";
    case 0x436: return scheme ? "j" : "zh";
    case 0x437: return "z";
    case 0x438: return lang == 2 ? "y" : "i";
    case 0x439: return scheme ? "j" : (lang == 2 ? "i" : "y");
    case 0x43a: return "k";
    case 0x43b: return "l";
    case 0x43c: return "m";
    case 0x43d: return "n";
    case 0x43e: return "o";
    case 0x43f: return "p";
    case 0x440: return "r";
    case 0x441: return "s";
    case 0x442: return "t";
    case 0x443: return "u";
    case 0x444: return "f";
    case 0x445: return scheme ? "h" : "kh";
    case 0x446: return scheme ? "c" : "ts";
    case 0x447: return "ch";
    case 0x448: return "sh";
    case 0x449: return scheme ? "sch" : "shch";
    case 0x44a: return "";
    case 0x44b: return scheme ? "i" : "y";
    case 0x44c: return scheme ? "'" : "";
    case 0x44d: return "e";
    case 0x44e: return scheme ? "ju" : "yu";
    case 0x44f: return scheme ? "ja" : "ya";
    case 0x456: return "i";
    case 0x457: return scheme ? "ji" : "yi";
    case 0x454: return scheme ? "je" : "ye";
    case 0x491: return "g";
    case '\'': case 0x2019: case 0x2bc: return "";
    case ' ': return " ";
    default: return NULL;
    }
}

/* Cyrillic vowels and signs (no consonant softness to mark after them) */
static bool cyr_vowel_or_sign(UChar32 cp)
{
    switch (cp) {
    case 0x430: case 0x435: case 0x438: case 0x43e: case 0x443: case 0x44b:
    case 0x44d: case 0x44e: case 0x44f: case 0x451: case 0x44c: case 0x44a:
    case 0x456: case 0x457: case 0x454: case 0x439:
        return true;
    default:
        return false;
    }
}

/* Appends piece t to out[0..*o) (room for a NUL kept); false when t is
 * NULL (no spelling for that letter) or does not fit. */
static bool append_piece(char *out, size_t cap, size_t *o, const char *t)
{
    if (!t)
        return false;
    size_t tl = strlen(t);
    if (*o + tl + 1 > cap)
        return false;
    memcpy(out + *o, t, tl);
    *o += tl;
    return true;
}

static bool translit_simple_str(char *out, size_t cap, const char *w, int lang, int scheme)
{
    size_t o = 0;
    int32_t i = 0, n = (int32_t)strlen(w);
    while (i < n) {
        UChar32 cp;
        U8_NEXT((const uint8_t *)w, i, n, cp);
        if (!append_piece(out, cap, &o, translit_simple(cp, lang, scheme)))
            return false;
    }
    out[o] = 0;
    return o > 0;
}

static bool translit_icu_str(char *out, size_t cap, morph *m, const char *w)
{
    if (!m->icu_tr)
        return false;
    UChar u[256];
    int32_t ul = 0;
    UErrorCode ue = U_ZERO_ERROR;
    u_strFromUTF8(u, 200, &ul, w, -1, &ue);
    int32_t lim = ul;
    if (U_SUCCESS(ue))
        utrans_transUChars(m->icu_tr, u, &ul, 256, 0, &lim, &ue);
    int32_t ol = 0;
    if (U_SUCCESS(ue))
        u_strToUTF8(out, (int32_t)cap - 1, &ol, u, ul, &ue);
    if (U_FAILURE(ue) || ol <= 0)
        return false;
    out[ol] = 0;
    for (int32_t k = 0; k < ol; k++) {
        if (out[k] >= 'A' && out[k] <= 'Z')
            out[k] = (char)(out[k] + 32);
        if ((unsigned char)out[k] >= 0x80)
            return false;
    }
    return true;
}

/* The "soft" spelling of chat transliteration: an apostrophe for the soft
 * sign and for the softness of я/ю/ё after a consonant («застрелю» ->
 * "zastrel'u", «убью» -> "ub'yu", «тебя» -> "teb'a"); the other letters as
 * in scheme 0.  False when the word has nothing to spell this way (the
 * result would repeat scheme 0). */
static bool translit_soft_str(char *out, size_t cap, const char *w, int lang)
{
    size_t o = 0;
    bool soft = false;
    UChar32 prev = -1;
    int32_t i = 0, n = (int32_t)strlen(w);
    while (i < n) {
        UChar32 cp;
        U8_NEXT((const uint8_t *)w, i, n, cp);
        bool after_cons = prev >= 0x430 && prev <= 0x44f && !cyr_vowel_or_sign(prev);
        const char *t;
        bool apos = cp == '\'' || cp == 0x2019 || cp == 0x2bc;
        if (cp == 0x44c || cp == 0x44a || apos) {
            t = "'";
            soft = true;
        } else if (after_cons && (cp == 0x44e || cp == 0x44f || cp == 0x451)) {
            t = cp == 0x44e ? "'u" : cp == 0x44f ? "'a" : "'o";
            soft = true;
        } else if ((prev == 0x44c || prev == 0x44a || prev == '\'' || prev == 0x2019 ||
                    prev == 0x2bc) &&
                   (cp == 0x44e || cp == 0x44f || cp == 0x454 || cp == 0x457)) {
            /* «убью» -> "ub'yu", «вб'ю» -> "vb'yu", «п'ять» -> "p'yat'" */
            t = cp == 0x44e ? "yu" : cp == 0x44f ? "ya" : cp == 0x454 ? "ye" : "yi";
        } else {
            t = translit_simple(cp, lang, 0);
        }
        if (!append_piece(out, cap, &o, t))
            return false;
        prev = cp;
    }
    out[o] = 0;
    return soft && o > 0;
}

/* ЙЦУКЕН -> QWERTY key */
static int keyboard_key(UChar32 cp)
{
    static const char ru[] = "f,dult;pbqrkvyjghcnea[wxio]sm'.z"; /* а..я */
    if (cp >= 0x430 && cp <= 0x44f)
        return ru[cp - 0x430];
    switch (cp) {
    case 0x451: return '`';
    case 0x456: return 's';  /* і */
    case 0x457: return ']';  /* ї */
    case 0x454: return '\''; /* є */
    case 0x491: return '\\'; /* ґ */
    /* the Ukrainian apostrophe («вб'ю») sits on the key of Russian ё */
    case '\'': case 0x2019: case 0x2bc: return '`';
    case ' ': return ' ';
    default: return -1;
    }
}

static bool keyboard_str(char *out, size_t cap, const char *w)
{
    size_t o = 0;
    int32_t i = 0, n = (int32_t)strlen(w);
    while (i < n) {
        UChar32 cp;
        U8_NEXT((const uint8_t *)w, i, n, cp);
        int k = keyboard_key(cp);
        if (k < 0 || o + 2 > cap)
            return false;
        out[o++] = (char)k;
    }
    out[o] = 0;
    return o > 0;
}

static size_t count_letters(const char *w)
{
    size_t n = 0;
    int32_t i = 0, len = (int32_t)strlen(w);
    while (i < len) {
        UChar32 cp;
        U8_NEXT((const uint8_t *)w, i, len, cp);
        if (cp >= 0 && u_isalpha(cp))
            n++;
    }
    return n;
}

static bool has_cyrillic(const char *w)
{
    int32_t i = 0, len = (int32_t)strlen(w);
    while (i < len) {
        UChar32 cp;
        U8_NEXT((const uint8_t *)w, i, len, cp);
        if (cp >= 0x400 && cp <= 0x4ff)
            return true;
    }
    return false;
}

/* Polish written without diacritics ("smierc okupantom"): the form with
 * ą ć ę ł ń ó ś ź ż folded to ASCII; false when there is none to fold. */
static bool fold_polish(char *out, size_t cap, const char *w)
{
    static const struct {
        UChar32 cp;
        char a;
    } map[] = {{0x105, 'a'}, {0x107, 'c'}, {0x119, 'e'}, {0x142, 'l'}, {0x144, 'n'},
               {0xf3, 'o'},  {0x15b, 's'}, {0x17a, 'z'}, {0x17c, 'z'}};
    int32_t i = 0, len = (int32_t)strlen(w);
    size_t k = 0;
    bool folded = false;
    while (i < len) {
        int32_t at = i;
        UChar32 cp;
        U8_NEXT((const uint8_t *)w, i, len, cp);
        char a = 0;
        for (size_t j = 0; j < sizeof map / sizeof map[0]; j++)
            if (map[j].cp == cp)
                a = map[j].a;
        size_t need = a ? 1 : (size_t)(i - at);
        if (k + need + 1 > cap)
            return false;
        if (a) {
            out[k++] = a;
            folded = true;
        } else {
            memcpy(out + k, w + at, need);
            k += need;
        }
    }
    out[k] = 0;
    return folded;
}

/* ---------------- entries and patterns ---------------- */

static lx_entry *add_entry(cctx *c)
{
    arb__lexicon *lx = c->lx;
    if (lx->n_entries == c->cap_entries) {
        size_t nc = c->cap_entries ? c->cap_entries * 2 : 256;
        lx_entry *ne = arb__realloc(lx->a, lx->entries, c->cap_entries * sizeof *ne,
                                    nc * sizeof *ne);
        if (!ne)
            return NULL;
        lx->entries = ne;
        c->cap_entries = nc;
        lx->cap_entries = nc;
    }
    lx_entry *e = &lx->entries[lx->n_entries++];
    memset(e, 0, sizeof *e);
    return e;
}

static arb_status add_pattern(cctx *c, uint32_t entry, uint8_t role, uint8_t variant,
                              const char *regex, size_t lit_len, unsigned line, unsigned col)
{
    arb__lexicon *lx = c->lx;
    if (lx->n_pats == c->cap_pats) {
        size_t nc = c->cap_pats ? c->cap_pats * 2 : 512;
        lx_pattern *np = arb__realloc(lx->a, lx->pats, c->cap_pats * sizeof *np,
                                      nc * sizeof *np);
        if (!np)
            return ARB_NOMEM;
        lx->pats = np;
        c->cap_pats = nc;
        lx->cap_pats = nc;
    }
    lx_pattern *p = &lx->pats[lx->n_pats];
    p->entry = entry;
    p->role = role;
    p->variant = variant;
    p->lit_len = lit_len < 65536 ? (uint16_t)lit_len : 0;
    p->approx = 0;
    p->regex = pool_strndup(lx, regex, strlen(regex));
    p->source = c->src->name;
    p->line = line;
    p->column = col;
    if (!p->regex)
        return ARB_NOMEM;
    lx->n_pats++;
    return ARB_OK;
}

/* the escaped literal of `w`, with the doubled letter at most one pair
 * (selected by bit k of `undouble`) written once */
static void literal(rbuf *b, const char *w, unsigned undouble)
{
    int32_t i = 0, n = (int32_t)strlen(w);
    unsigned pair = 0;
    while (i < n) {
        UChar32 cp;
        U8_NEXT((const uint8_t *)w, i, n, cp);
        if (cp < 0)
            continue;
        put_escaped_cp(b, cp);
        int32_t j = i;
        UChar32 nx = -1;
        if (j < n)
            U8_NEXT((const uint8_t *)w, j, n, nx);
        if (nx == cp && u_isalpha(cp)) {
            if (pair < 8 && (undouble >> pair & 1u))
                i = j; /* skip the second letter */
            else
                put_escaped_cp(b, cp), i = j;
            pair++;
        }
    }
}

static unsigned count_pairs(const char *w)
{
    unsigned k = 0;
    int32_t i = 0, n = (int32_t)strlen(w);
    UChar32 prev = -1;
    while (i < n) {
        UChar32 cp;
        U8_NEXT((const uint8_t *)w, i, n, cp);
        if (cp == prev && u_isalpha(cp)) {
            k++;
            prev = -1;
            continue;
        }
        prev = cp;
    }
    return k;
}

typedef struct emit_state {
    strvec seen;  /* literal per (role, variant) already emitted */
    bool derived; /* the caller emits a derived spelling, not a written form */
    bool guard;   /* the entry is a trigger or target: derived English words are dropped */
    bool english; /* ... except a doubled letter written once in an English entry,
                   * which is mostly the same word ("councilor", "shot") */
    bool single;  /* emit the form as written only, without doubled-letter variants */
} emit_state;

/* true when `lit` (an escaped literal) is one ASCII word of 3+ letters that
 * the English dictionary knows.  Without en_US nothing is dropped. */
static bool english_word(cctx *c, const char *lit, size_t n)
{
    if (n < 3 || n > 40)
        return false;
    char w[48];
    for (size_t i = 0; i < n; i++) {
        if (lit[i] < 'a' || lit[i] > 'z')
            return false;
        w[i] = lit[i];
    }
    w[n] = 0;
    if (!c->en_tried) {
        c->en_tried = true;
        FILE *f = fopen(LX_HUNSPELL_DIR "/en_US.dic", "rb");
        if (f) {
            fclose(f);
            c->en_hun = Hunspell_create(LX_HUNSPELL_DIR "/en_US.aff", LX_HUNSPELL_DIR "/en_US.dic");
        }
    }
    return c->en_hun && Hunspell_spell(c->en_hun, w);
}

static arb_status emit_literal(cctx *c, emit_state *es, uint32_t entry, uint8_t role,
                               uint8_t var, const char *w, unsigned line, unsigned col)
{
    unsigned pairs = count_letters(w) >= 4 && !es->single ? count_pairs(w) : 0;
    if (pairs > 3)
        pairs = 3;
    for (unsigned mask = 0; mask < (1u << pairs); mask++) {
        rbuf b = {.ar = c->tmp};
        literal(&b, w, mask);
        if (b.failed)
            return ARB_NOMEM;
        if (!b.p || !b.len)
            return fail(c, ARB_LEXICON, c->src->name, line, col,
                        "form '%.60s' leaves nothing to match", w);
        if (es->guard && (es->derived || (mask && !es->english)) && english_word(c, b.p, b.len))
            continue; /* a derived spelling that is an English word */
        size_t before = es->seen.n;
        if (!sv_push(c, &es->seen, b.p, b.len, (uint8_t)(role * 4 + var)))
            return ARB_NOMEM;
        if (es->seen.n == before)
            continue; /* duplicate */
        arb_status st = add_pattern(c, entry, role, var, b.p, b.raw, line, col);
        if (st)
            return st;
        c->lx->pats[c->lx->n_pats - 1].approx = mask != 0 || var == LX_VAR_TYPO;
    }
    return ARB_OK;
}

/* Misspellings of a one-word trigger form, the two kinds HateCheck tests
 * (spell_char_swap, spell_char_del) and people make: two adjacent letters
 * swapped ("klil", "execuetd", «убйю») or one letter left out ("murdr",
 * "killd"), never the first letter.  Forms of four letters or more; a
 * letter is left out only from forms of six or more, and not from a doubled
 * pair (the normalizer's run collapse and the doubled-letter variant cover
 * those).  A variant that is a word of the form's own language (Hunspell)
 * or of English (emit_literal's guard) is dropped: "trial" is no
 * misspelling of "trail".  Variant LX_VAR_TYPO, approximate: the statement
 * reports the obfuscation `misspelling`. */
static arb_status emit_typos(cctx *c, emit_state *es, uint32_t entry, uint8_t role, morph *m,
                             const char *w, unsigned line, unsigned col)
{
    UChar32 cp[40];
    size_t n = 0;
    int32_t i = 0, len = (int32_t)strlen(w);
    /* (a formula of two words, "death to": its first word, and the two
     * written as one, "deathto") */
    const char *rest = "";
    bool formula = (c->lx->entries[entry].flags & LX_F_FORMULA) != 0;
    const char *sp = strchr(w, ' ');
    if (formula && sp && !strchr(sp + 1, ' ')) {
        len = (int32_t)(sp - w);
        rest = sp;
        char glued[128];
        if (strlen(w) < sizeof glued) {
            size_t o = 0;
            for (const char *q = w; *q; q++)
                if (*q != ' ')
                    glued[o++] = *q;
            glued[o] = 0;
            bool saved0 = es->single;
            es->single = true;
            arb_status st0 = emit_literal(c, es, entry, role, LX_VAR_TYPO, glued, line, col);
            es->single = saved0;
            if (st0)
                return st0;
        }
    }
    while (i < len) {
        UChar32 u;
        U8_NEXT((const uint8_t *)w, i, len, u);
        if (u < 0 || !u_isalpha(u) || n == sizeof cp / sizeof cp[0])
            return ARB_OK; /* a phrase, an apostrophe, a mask, a digit: as written only */
        cp[n++] = u;
    }
    if (n < 4)
        return ARB_OK;
    if (m)
        morph_open(c, m);
    bool saved = es->single;
    es->single = true;
    arb_status st = ARB_OK;
    for (size_t k = 1; k < n && !st; k++) {
        for (int kind = 0; kind < 2 && !st; kind++) {
            /* kind 0: swap k and k+1; kind 1: leave out k */
            if (kind == 0 && (k + 1 >= n || cp[k] == cp[k + 1]))
                continue;
            if (kind == 1 && (n < 6 || cp[k] == cp[k - 1] || (k + 1 < n && cp[k] == cp[k + 1])))
                continue;
            char buf[256];
            int32_t o = 0;
            UBool err = false;
            for (size_t j = 0; j < n && !err; j++) {
                UChar32 u = cp[j];
                if (kind == 0 && j == k)
                    u = cp[k + 1];
                else if (kind == 0 && j == k + 1)
                    u = cp[k];
                else if (kind == 1 && j == k)
                    continue;
                U8_APPEND((uint8_t *)buf, o, (int32_t)sizeof buf - 1, u, err);
            }
            if (err || o + strlen(rest) >= sizeof buf)
                continue;
            buf[o] = 0;
            if (m && spell(m, buf) == 1)
                continue; /* a word of the language */
            memcpy(buf + o, rest, strlen(rest) + 1);
            st = emit_literal(c, es, entry, role, LX_VAR_TYPO, buf, line, col);
        }
    }
    es->single = saved;
    return st;
}

/* records a single-word plain form for run-time unmasking */
static arb_status add_unmask(cctx *c, uint32_t entry, const char *w)
{
    if (strchr(w, ' ') || count_letters(w) < 3)
        return ARB_OK;
    arb__lexicon *lx = c->lx;
    if (lx->n_unmask == lx->cap_unmask) {
        size_t nc = lx->cap_unmask ? lx->cap_unmask * 2 : 1024;
        const char **nv = arb__realloc(lx->a, lx->unmask, lx->cap_unmask * sizeof *nv,
                                       nc * sizeof *nv);
        if (!nv)
            return ARB_NOMEM;
        lx->unmask = nv;
        lx->cap_unmask = nc;
    }
    const char *p = pool_strndup(lx, w, strlen(w));
    if (!p)
        return ARB_NOMEM;
    lx->unmask[lx->n_unmask++] = p;
    (void)entry;
    return ARB_OK;
}

/* A transliterated form, and where it has an apostrophe for a soft or hard
 * sign ("ub'yu"), the same with a backtick and with U+2019 ("ub`yu",
 * "ub’yu"), the other apostrophes people type there. */
static arb_status emit_translit(cctx *c, emit_state *es, uint32_t entry, uint8_t role,
                                const char *w, unsigned line, unsigned col)
{
    arb_status st = emit_literal(c, es, entry, role, LX_VAR_TRANSLIT, w, line, col);
    if (st || !strchr(w, '\''))
        return st;
    static const char *const alt[] = {"`", "\xe2\x80\x99"};
    for (size_t k = 0; k < 2 && !st; k++) {
        char buf[768];
        size_t o = 0, al = strlen(alt[k]);
        bool fits = true;
        for (const char *p = w; *p && fits; p++) {
            const char *src = *p == '\'' ? alt[k] : p;
            size_t n = *p == '\'' ? al : 1;
            if (o + n + 1 > sizeof buf)
                fits = false;
            else
                memcpy(buf + o, src, n), o += n;
        }
        buf[o] = 0;
        if (fits)
            st = emit_literal(c, es, entry, role, LX_VAR_TRANSLIT, buf, line, col);
    }
    return st;
}

static arb_status emit_forms(cctx *c, uint32_t entry, morph *m, const strvec *forms,
                             bool variants, bool unmask, unsigned line, unsigned col)
{
    emit_state es = {.derived = false};
    const lx_entry *ent = &c->lx->entries[entry];
    es.guard = (ent->kind == LX_TRIGGER || ent->kind == LX_TARGET) && !(ent->flags & LX_F_PRONOUN);
    es.english = !m || strncmp(m->lang, "en", 2) == 0;
    arb_status st = ARB_OK;
    if (variants && m)
        morph_open(c, m);
    for (size_t i = 0; i < forms->n && !st; i++) {
        const char *w = forms->v[i];
        uint8_t role = forms->role[i];
        es.derived = false;
        st = emit_literal(c, &es, entry, role, LX_VAR_PLAIN, w, line, col);
        es.derived = true; /* everything below spells `w` another way */
        if (!st && unmask)
            st = add_unmask(c, entry, w);
        /* (misspellings: English, and the Polish forms of a command or a
         * threat -- imperative, infinitive, first-person future, formula --
         * which Multilingual HateCheck misspells; Russian and Ukrainian,
         * whose inflected forms are many times more, have none: they would
         * double the trigger database that every post is scanned with) */
        if (!st && variants && c->lx->entries[entry].kind == LX_TRIGGER &&
            (es.english ||
             (m && !strcmp(m->lang, "pl") &&
              (role == LX_ROLE_IMP || role == LX_ROLE_INF || role == LX_ROLE_FUT1 ||
               (c->lx->entries[entry].flags & LX_F_FORMULA)))))
            st = emit_typos(c, &es, entry, role, m, w, line, col);
        /* Polish without diacritics, for every entry (cues and pronouns too),
         * but not for words of 1-2 letters («ją» -> "ja") nor for trigger and
         * target words of 3 («giń» -> "gin"), which collide with other
         * languages' words.  A folded first-person
         * future «zabiję» -> "zabije" is also the third person ("he will
         * kill"), so it gets the third-person role. */
        size_t fl = count_letters(w);
        bool pronoun = (c->lx->entries[entry].flags & LX_F_PRONOUN) != 0 ||
                       c->lx->entries[entry].kind == LX_CUE; /* short words: "ne", "nado" */
        if (!st && m && m->translit == 3 &&
            (fl >= 4 || (fl == 3 && !unmask) || (fl == 3 && pronoun))) {
            char fb[512];
            if (fold_polish(fb, sizeof fb, w)) {
                uint8_t frole = role, fvar = LX_VAR_PLAIN;
                /* a folded first-person future that the dictionary also
                 * knows as a word («zabiję» -> "zabije", the third person)
                 * is ambiguous: FOLD1, read as the speaker's only next to
                 * the addressee (analyze.c); one it does not know
                 * («zastrzelę» -> "zastrzele") keeps its role */
                if (role == LX_ROLE_FUT1) {
                    morph_open(c, m);
                    char first[128];
                    size_t k = 0;
                    while (fb[k] && fb[k] != ' ' && k + 1 < sizeof first) {
                        first[k] = fb[k];
                        k++;
                    }
                    first[k] = 0;
                    if (spell(m, first) != 0) {
                        frole = LX_ROLE_PRES3;
                        fvar = LX_VAR_FOLD1;
                    }
                }
                st = emit_literal(c, &es, entry, frole, fvar, fb, line, col);
            }
        }
        /* pronouns get their variants down to two letters ("ty", "nt,z"):
         * analyze.c counts them only in a post whose trigger is itself
         * transliterated or typed on the wrong layout */
        /* (a Ukrainian apostrophe stands for a sign and counts: «вб'ю») */
        size_t vl = count_letters(w);
        for (const char *q = w; *q; q++)
            vl += *q == '\'' || ((unsigned char)q[0] == 0xe2 && (unsigned char)q[1] == 0x80 &&
                                 (unsigned char)q[2] == 0x99) ||
                  ((unsigned char)q[0] == 0xca && (unsigned char)q[1] == 0xbc);
        if (st || !variants || !m || !m->translit || m->translit == 3 || !has_cyrillic(w) ||
            vl < (pronoun ? 2 : LX_MIN_VARIANT_LETTERS))
            continue;
        char buf[512];
        for (int scheme = 0; scheme < 3 && !st; scheme++) {
            bool ok = scheme < 2 ? translit_simple_str(buf, sizeof buf, w, m->translit, scheme)
                                 : translit_soft_str(buf, sizeof buf, w, m->translit);
            if (ok)
                st = emit_translit(c, &es, entry, role, buf, line, col);
        }
        if (!st && translit_icu_str(buf, sizeof buf, m, w))
            st = emit_translit(c, &es, entry, role, buf, line, col);
        if (!st && keyboard_str(buf, sizeof buf, w))
            st = emit_literal(c, &es, entry, role, LX_VAR_KEYBOARD, buf, line, col);
    }
    if (st)
        return fail(c, st, c->src->name, line, col, "out of memory");
    return ARB_OK;
}

/* Transliterated and keyboard-swapped variants by default for triggers,
 * coded formulas, grammar cues and the targets of wartime slogans
 * (military, nations, heads of state, civilians, prisoners);
 * `translit: true|false` overrides. */
static bool default_variants(const lx_entry *e)
{
    /* grammar cues too («надо» -> "nado", «не» -> "ne"/"yt"): analyze.c
     * counts them only beside a transliterated or keyboard-typed trigger */
    if (e->kind == LX_TRIGGER || e->kind == LX_CODED || e->kind == LX_CUE)
        return true;
    if (e->kind != LX_TARGET || (e->flags & LX_F_PRONOUN))
        return false;
    switch (e->cls) {
    case ARB_TARGET_MILITARY:
    case ARB_TARGET_NATIONALITY:
    case ARB_TARGET_HEAD_OF_STATE:
    case ARB_TARGET_CIVILIANS:
    case ARB_TARGET_POW:
        return true;
    default:
        return false;
    }
}

static int class_from_name(const char *s) { return arb_target_class_from_name(s); }

static arb_status parse_entry(cctx *c, const char *file_lang, struct fy_node *en)
{
    unsigned eline, ecol;
    node_mark(en, &eline, &ecol);
    const char *src = c->src->name;
    if (fy_node_get_type(en) != FYNT_MAPPING)
        return fail(c, ARB_LEXICON, src, eline, ecol, "an entry must be a mapping");
    const char *kind = NULL, *label = NULL, *lang = file_lang;
    struct fy_node *kn = fy_node_mapping_lookup_by_string(en, "kind", 4);
    arb_status st = need_scalar(c, kn, "kind", &kind);
    if (st)
        return st;
    int k = name_index(kind_names, LX__KIND_COUNT, kind);
    if (k < 0) {
        unsigned l, col;
        node_mark(kn, &l, &col);
        return fail(c, ARB_LEXICON, src, l, col, "unknown kind '%s'", kind);
    }
    lx_entry tmpl = {.kind = (uint8_t)k, .severity = ARB_SEV_NONE, .stmt = -1};
    uint8_t regex_role = LX_ROLE_WORD;
    strvec forms = {0};
    bool variants = true, variants_explicit = false;
    unsigned fline = eline, fcol = ecol;
    struct { strvec list; unsigned line, col; } regexes[32];
    size_t n_regex = 0;
    strvec nouns = {0}, adjs = {0}, verbs = {0};

    /* lang first: it selects the morphology */
    struct fy_node *ln = fy_node_mapping_lookup_by_string(en, "lang", 4);
    if (ln && (st = need_scalar(c, ln, "lang", &lang)))
        return st;
    morph *m = morph_get(c, lang, false);

    void *it = NULL;
    struct fy_node_pair *p;
    while ((p = fy_node_mapping_iterate(en, &it))) {
        struct fy_node *key = fy_node_pair_key(p), *val = fy_node_pair_value(p);
        const char *ks = scalar(c, key);
        unsigned l, col;
        node_mark(key, &l, &col);
        if (!ks)
            return fail(c, ARB_LEXICON, src, l, col, "keys must be strings");
        const char *vs = NULL;
        if (!strcmp(ks, "kind") || !strcmp(ks, "lang"))
            continue;
        if (!strcmp(ks, "label")) {
            if ((st = need_scalar(c, val, "label", &label)))
                return st;
        } else if (!strcmp(ks, "severity")) {
            if ((st = need_scalar(c, val, "severity", &vs)))
                return st;
            int s = arb_severity_from_name(vs);
            if (s < 0)
                return fail(c, ARB_LEXICON, src, l, col, "unknown severity '%s'", vs);
            tmpl.severity = (uint8_t)s;
        } else if (!strcmp(ks, "stmt")) {
            if ((st = need_scalar(c, val, "stmt", &vs)))
                return st;
            int s2 = arb_stmt_type_from_name(vs);
            if (s2 < 0)
                return fail(c, ARB_LEXICON, src, l, col, "unknown statement type '%s'", vs);
            tmpl.stmt = (int8_t)s2;
        } else if (!strcmp(ks, "role")) {
            if ((st = need_scalar(c, val, "role", &vs)))
                return st;
            int r = name_index(role_names, LX__ROLE_COUNT, vs);
            if (r < 0)
                return fail(c, ARB_LEXICON, src, l, col, "unknown role '%s'", vs);
            regex_role = (uint8_t)r;
        } else if (!strcmp(ks, "class")) {
            if ((st = need_scalar(c, val, "class", &vs)))
                return st;
            int s = class_from_name(vs);
            if (s < 0)
                return fail(c, ARB_LEXICON, src, l, col, "unknown target class '%s'", vs);
            tmpl.cls = (uint8_t)s;
        } else if (!strcmp(ks, "affiliation")) {
            if ((st = need_scalar(c, val, "affiliation", &vs)))
                return st;
            if (!arb_country_valid(vs))
                return fail(c, ARB_LEXICON, src, l, col,
                            "affiliation '%s' is not an ISO 3166-1 alpha-2 code", vs);
            snprintf(tmpl.affil, sizeof tmpl.affil, "%s", vs);
        } else if (!strcmp(ks, "entity")) {
            if ((st = need_scalar(c, val, "entity", &vs)))
                return st;
            tmpl.entity = pool_strndup(c->lx, vs, strlen(vs));
        } else if (!strcmp(ks, "cue")) {
            if ((st = need_scalar(c, val, "cue", &vs)))
                return st;
            int s = name_index(cue_names, LX__CUE_COUNT, vs);
            if (s < 0)
                return fail(c, ARB_LEXICON, src, l, col, "unknown cue '%s'", vs);
            tmpl.sub = (uint8_t)s;
        } else if (!strcmp(ks, "cred")) {
            if ((st = need_scalar(c, val, "cred", &vs)))
                return st;
            tmpl.bit = arb_cred_from_name(vs);
            if (!tmpl.bit)
                return fail(c, ARB_LEXICON, src, l, col, "unknown credibility signal '%s'", vs);
        } else if (!strcmp(ks, "mod")) {
            if ((st = need_scalar(c, val, "mod", &vs)))
                return st;
            tmpl.bit = arb_mod_from_name(vs);
            if (!tmpl.bit)
                return fail(c, ARB_LEXICON, src, l, col, "unknown modifier '%s'", vs);
        } else if (!strcmp(ks, "scope")) {
            if ((st = need_scalar(c, val, "scope", &vs)))
                return st;
            if (!strcmp(vs, "overlap"))
                tmpl.sub = LX_SCOPE_OVERLAP;
            else if (!strcmp(vs, "sentence"))
                tmpl.sub = LX_SCOPE_SENTENCE;
            else if (!strcmp(vs, "post"))
                tmpl.sub = LX_SCOPE_POST;
            else
                return fail(c, ARB_LEXICON, src, l, col, "unknown scope '%s'", vs);
        } else if (!strcmp(ks, "translit")) {
            if ((st = need_scalar(c, val, "translit", &vs)))
                return st;
            variants = strcmp(vs, "false") != 0 && strcmp(vs, "no") != 0;
            variants_explicit = true;
        } else if (!strcmp(ks, "flags")) {
            strvec fl = {0};
            if ((st = read_list(c, val, "flags", &fl, 0)))
                return st;
            for (size_t i = 0; i < fl.n; i++) {
                if (!strcmp(fl.v[i], "intransitive"))
                    tmpl.flags |= LX_F_INTRANS;
                else if (!strcmp(fl.v[i], "adjective"))
                    tmpl.flags |= LX_F_ADJ;
                else if (!strcmp(fl.v[i], "group"))
                    tmpl.flags |= LX_F_GROUP;
                else if (!strcmp(fl.v[i], "pronoun"))
                    tmpl.flags |= LX_F_PRONOUN;
                else if (!strcmp(fl.v[i], "slur"))
                    tmpl.flags |= LX_F_SLUR;
                else if (!strcmp(fl.v[i], "formula"))
                    tmpl.flags |= LX_F_FORMULA;
                else if (!strcmp(fl.v[i], "person"))
                    tmpl.flags |= LX_F_PERSON;
                else if (!strcmp(fl.v[i], "named"))
                    tmpl.flags |= LX_F_NAMED;
                else if (!strcmp(fl.v[i], "area"))
                    tmpl.flags |= LX_F_AREA;
                else
                    return fail(c, ARB_LEXICON, src, l, col, "unknown flag '%s'", fl.v[i]);
            }
        } else if (!strcmp(ks, "words") || !strcmp(ks, "nouns") || !strcmp(ks, "adjs") ||
                   !strcmp(ks, "verbs")) {
            strvec *dst = !strcmp(ks, "words") ? &forms
                          : !strcmp(ks, "nouns") ? &nouns
                          : !strcmp(ks, "adjs")  ? &adjs
                                                 : &verbs;
            uint8_t role = !strcmp(ks, "verbs") ? LX_ROLE_BASE : LX_ROLE_WORD;
            if (k == LX_TRIGGER && role == LX_ROLE_WORD)
                role = LX_ROLE_NOUN;
            if ((st = read_list(c, val, ks, dst, role)))
                return st;
            node_mark(val, &fline, &fcol);
        } else if (!strcmp(ks, "forms")) {
            if (!val || fy_node_get_type(val) != FYNT_MAPPING)
                return fail(c, ARB_LEXICON, src, l, col, "forms must map roles to lists");
            void *it2 = NULL;
            struct fy_node_pair *p2;
            while ((p2 = fy_node_mapping_iterate(val, &it2))) {
                const char *rs = scalar(c, fy_node_pair_key(p2));
                unsigned l2, c2;
                node_mark(fy_node_pair_key(p2), &l2, &c2);
                int r = rs ? name_index(role_names, LX__ROLE_COUNT, rs) : -1;
                if (r < 0)
                    return fail(c, ARB_LEXICON, src, l2, c2, "unknown role '%s'", rs ? rs : "?");
                if ((st = read_list(c, fy_node_pair_value(p2), rs, &forms, (uint8_t)r)))
                    return st;
            }
            node_mark(val, &fline, &fcol);
        } else if (!strcmp(ks, "regex")) {
            if (!val || fy_node_get_type(val) != FYNT_SEQUENCE)
                return fail(c, ARB_LEXICON, src, l, col, "regex must be a list of strings");
            void *it2 = NULL;
            struct fy_node *item;
            while ((item = fy_node_sequence_iterate(val, &it2))) {
                if (n_regex == ARB__ARRAY_LEN(regexes))
                    return fail(c, ARB_LEXICON, src, l, col, "too many regexes in one entry");
                memset(&regexes[n_regex].list, 0, sizeof(strvec));
                node_mark(item, &regexes[n_regex].line, &regexes[n_regex].col);
                const char *rs;
                if ((st = need_scalar(c, item, "regex", &rs)))
                    return st;
                if (!sv_push(c, &regexes[n_regex].list, rs, strlen(rs), 0))
                    return fail(c, ARB_NOMEM, src, l, col, "out of memory");
                n_regex++;
            }
        } else {
            return fail(c, ARB_LEXICON, src, l, col, "unknown key '%s' in entry", ks);
        }
    }
    if (!label) {
        if (k == LX_CUE)
            label = cue_names[tmpl.sub];
        else
            return fail(c, ARB_LEXICON, src, eline, ecol, "entry has no label");
    }
    if (k == LX_TRIGGER && tmpl.severity == ARB_SEV_NONE)
        return fail(c, ARB_LEXICON, src, eline, ecol, "trigger '%s' has no severity", label);
    if ((k == LX_CRED || k == LX_MOD) && !tmpl.bit)
        return fail(c, ARB_LEXICON, src, eline, ecol, "entry '%s' needs a %s name", label,
                    k == LX_CRED ? "cred" : "mod");

    /* morphology */
    for (size_t i = 0; i < nouns.n; i++)
        if (!expand_stemmed(c, m, nouns.v[i], m ? &m->endings_noun : &nouns, &forms,
                            k == LX_TRIGGER ? LX_ROLE_NOUN : LX_ROLE_WORD))
            return fail(c, ARB_NOMEM, src, eline, ecol, "out of memory");
    for (size_t i = 0; i < adjs.n; i++)
        if (!expand_stemmed(c, m, adjs.v[i], m ? &m->endings_adj : &adjs, &forms, LX_ROLE_WORD))
            return fail(c, ARB_NOMEM, src, eline, ecol, "out of memory");
    for (size_t i = 0; i < verbs.n; i++)
        if (!sv_push(c, &forms, verbs.v[i], strlen(verbs.v[i]), LX_ROLE_BASE))
            return fail(c, ARB_NOMEM, src, eline, ecol, "out of memory");
    if (k == LX_TRIGGER && !derive(c, m, &forms))
        return fail(c, ARB_NOMEM, src, eline, ecol, "out of memory");
    if (!forms.n && !n_regex)
        return fail(c, ARB_LEXICON, src, eline, ecol, "entry '%s' has no words, forms or regex",
                    label);

    lx_entry *e = add_entry(c);
    if (!e)
        return fail(c, ARB_NOMEM, src, eline, ecol, "out of memory");
    *e = tmpl;
    e->label = pool_strndup(c->lx, label, strlen(label));
    snprintf(e->lang, sizeof e->lang, "%s", lang);
    if (!e->label)
        return fail(c, ARB_NOMEM, src, eline, ecol, "out of memory");
    uint32_t idx = (uint32_t)(c->lx->n_entries - 1);
    if (forms.n && (st = emit_forms(c, idx, m, &forms,
                                    variants_explicit ? variants : default_variants(&tmpl),
                                    k == LX_TRIGGER || k == LX_TARGET || k == LX_CODED,
                                    fline, fcol)))
        return st;
    for (size_t i = 0; i < n_regex; i++)
        if ((st = add_pattern(c, idx, regex_role, LX_VAR_PLAIN, regexes[i].list.v[0], 0,
                              regexes[i].line, regexes[i].col)))
            return fail(c, st, src, regexes[i].line, regexes[i].col, "out of memory");
    return ARB_OK;
}

static arb_status parse_morphology(cctx *c, const char *lang, struct fy_node *mn)
{
    const char *src = c->src->name;
    unsigned l, col;
    node_mark(mn, &l, &col);
    if (!mn || fy_node_get_type(mn) != FYNT_MAPPING)
        return fail(c, ARB_LEXICON, src, l, col, "morphology must be a mapping");
    morph *m = morph_get(c, lang, true);
    if (!m)
        return fail(c, ARB_LEXICON, src, l, col, "too many languages");
    if (m->defined)
        return fail(c, ARB_LEXICON, src, l, col, "morphology for '%s' defined twice", lang);
    m->defined = true;
    void *it = NULL;
    struct fy_node_pair *p;
    arb_status st;
    while ((p = fy_node_mapping_iterate(mn, &it))) {
        struct fy_node *key = fy_node_pair_key(p), *val = fy_node_pair_value(p);
        const char *ks = scalar(c, key), *vs = NULL;
        node_mark(key, &l, &col);
        if (!ks)
            return fail(c, ARB_LEXICON, src, l, col, "keys must be strings");
        if (!strcmp(ks, "stemmer") || !strcmp(ks, "hunspell") || !strcmp(ks, "noun_stem") ||
            !strcmp(ks, "translit")) {
            if ((st = need_scalar(c, val, ks, &vs)))
                return st;
            if (!strcmp(ks, "stemmer")) {
                snprintf(m->stemmer, sizeof m->stemmer, "%s", vs);
            } else if (!strcmp(ks, "hunspell")) {
                snprintf(m->hunspell, sizeof m->hunspell, "%s", vs);
            } else if (!strcmp(ks, "noun_stem")) {
                if (strcmp(vs, "snowball") && strcmp(vs, "strip") && strcmp(vs, "none"))
                    return fail(c, ARB_LEXICON, src, l, col,
                                "noun_stem must be snowball, strip or none");
                snprintf(m->noun_stem, sizeof m->noun_stem, "%s", vs);
            } else {
                if (!strcmp(vs, "russian"))
                    m->translit = 1;
                else if (!strcmp(vs, "ukrainian"))
                    m->translit = 2;
                else if (!strcmp(vs, "polish"))
                    m->translit = 3;
                else if (!strcmp(vs, "none"))
                    m->translit = 0;
                else
                    return fail(c, ARB_LEXICON, src, l, col,
                                "translit must be russian, ukrainian, polish or none");
            }
        } else if (!strcmp(ks, "noun_endings")) {
            if ((st = read_list(c, val, ks, &m->endings_noun, 0)))
                return st;
        } else if (!strcmp(ks, "adj_endings")) {
            if ((st = read_list(c, val, ks, &m->endings_adj, 0)))
                return st;
        } else if (!strcmp(ks, "strip")) {
            if ((st = read_list(c, val, ks, &m->strip, 0)))
                return st;
        } else if (!strcmp(ks, "derive")) {
            if (!val || fy_node_get_type(val) != FYNT_SEQUENCE)
                return fail(c, ARB_LEXICON, src, l, col, "derive must be a list of rules");
            size_t n = (size_t)fy_node_sequence_item_count(val);
            m->rules = arb__arena_calloc(c->tmp, (n ? n : 1) * sizeof *m->rules);
            if (!m->rules)
                return fail(c, ARB_NOMEM, src, l, col, "out of memory");
            void *it2 = NULL;
            struct fy_node *rn;
            while ((rn = fy_node_sequence_iterate(val, &it2))) {
                derive_rule *dr = &m->rules[m->n_rules++];
                dr->strip = "";
                unsigned rl, rc;
                node_mark(rn, &rl, &rc);
                if (fy_node_get_type(rn) != FYNT_MAPPING)
                    return fail(c, ARB_LEXICON, src, rl, rc, "a derive rule must be a mapping");
                void *it3 = NULL;
                struct fy_node_pair *p3;
                bool have_from = false, have_to = false;
                while ((p3 = fy_node_mapping_iterate(rn, &it3))) {
                    const char *rk = scalar(c, fy_node_pair_key(p3));
                    struct fy_node *rv = fy_node_pair_value(p3);
                    node_mark(fy_node_pair_key(p3), &rl, &rc);
                    if (!rk)
                        return fail(c, ARB_LEXICON, src, rl, rc, "keys must be strings");
                    if (!strcmp(rk, "add")) {
                        if ((st = read_list(c, rv, "add", &dr->add, 0)))
                            return st;
                        continue;
                    }
                    if ((st = need_scalar(c, rv, rk, &vs)))
                        return st;
                    if (!strcmp(rk, "from") || !strcmp(rk, "to")) {
                        int r = name_index(role_names, LX__ROLE_COUNT, vs);
                        if (r < 0)
                            return fail(c, ARB_LEXICON, src, rl, rc, "unknown role '%s'", vs);
                        if (rk[0] == 'f') {
                            dr->from = (uint8_t)r;
                            have_from = true;
                        } else {
                            dr->to = (uint8_t)r;
                            have_to = true;
                        }
                    } else if (!strcmp(rk, "strip")) {
                        dr->strip = vs;
                    } else if (!strcmp(rk, "double")) {
                        dr->dbl = !strcmp(vs, "true") || !strcmp(vs, "yes");
                    } else {
                        return fail(c, ARB_LEXICON, src, rl, rc, "unknown key '%s' in rule", rk);
                    }
                }
                if (!have_from || !have_to || !dr->add.n) {
                    node_mark(rn, &rl, &rc);
                    return fail(c, ARB_LEXICON, src, rl, rc,
                                "a derive rule needs from, to and add");
                }
            }
        } else {
            return fail(c, ARB_LEXICON, src, l, col, "unknown key '%s' in morphology", ks);
        }
    }
    return ARB_OK;
}

/* libfyaml diagnostics: keep the first error's position and text */
typedef struct diag_capture {
    char text[300];
    bool have;
} diag_capture;

static void diag_out(struct fy_diag *d, void *user, const char *buf, size_t len)
{
    (void)d;
    diag_capture *dc = user;
    if (dc->have)
        return;
    size_t n = len < sizeof dc->text - 1 ? len : sizeof dc->text - 1;
    memcpy(dc->text, buf, n);
    dc->text[n] = 0;
    while (n && (dc->text[n - 1] == '\n' || dc->text[n - 1] == '\r'))
        dc->text[--n] = 0;
    dc->have = true;
}

/* "<...>:LINE:COL: error: msg" -> line, col, msg */
static void diag_parse(const char *t, unsigned *line, unsigned *col, const char **msg)
{
    *line = *col = 0;
    *msg = t;
    for (const char *p = t; *p; p++) {
        unsigned a, b;
        int used = 0;
        if (*p == ':' && sscanf(p, ":%u:%u:%n", &a, &b, &used) == 2 && used) {
            *line = a;
            *col = b;
            const char *q = p + used;
            while (*q == ' ')
                q++;
            if (!strncmp(q, "error: ", 7))
                q += 7;
            *msg = q;
            return;
        }
    }
}

/* YAML is UTF-8 text: reject NUL bytes and invalid UTF-8 before libfyaml
 * sees them (libfyaml 0.7 can loop on a NUL inside a directive), naming the
 * line and column of the first bad byte. */
static arb_status check_text(cctx *c, const arb_source *s)
{
    unsigned line = 1, col = 1;
    int32_t i = 0, n = (int32_t)s->len;
    if ((size_t)n != s->len)
        return fail(c, ARB_TOO_BIG, s->name, 0, 0, "lexicon source too large");
    while (i < n) {
        UChar32 cp;
        U8_NEXT((const uint8_t *)s->data, i, n, cp);
        if (cp < 0)
            return fail(c, ARB_PARSE, s->name, line, col, "invalid UTF-8");
        if (cp == 0)
            return fail(c, ARB_PARSE, s->name, line, col, "NUL byte in YAML text");
        if (cp == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    return ARB_OK;
}

static struct fy_document *parse_yaml(cctx *c, const arb_source *s, arb_status *st)
{
    diag_capture dc = {.have = false};
    struct fy_diag_cfg dcfg;
    fy_diag_cfg_default(&dcfg);
    dcfg.fp = NULL;
    dcfg.output_fn = diag_out;
    dcfg.user = &dc;
    dcfg.colorize = false;
    dcfg.show_source = false;
    dcfg.show_position = true;
    struct fy_diag *diag = fy_diag_create(&dcfg);
    struct fy_parse_cfg cfg = {.search_path = "", .flags = FYPCF_DEFAULT_DOC, .diag = diag};
    if (diag)
        cfg.flags &= ~(enum fy_parse_cfg_flags)FYPCF_QUIET;
    struct fy_document *doc = fy_document_build_from_string(&cfg, s->data, s->len);
    if (!doc || !fy_document_root(doc)) {
        unsigned line, col;
        const char *msg;
        diag_parse(dc.have ? dc.text : "invalid YAML", &line, &col, &msg);
        *st = fail(c, ARB_PARSE, s->name, line, col, "YAML syntax error: %s", msg);
        if (doc)
            fy_document_destroy(doc);
        doc = NULL;
    }
    if (diag)
        fy_diag_destroy(diag);
    return doc;
}

static arb_status file_lang(cctx *c, struct fy_node *root, const char **lang)
{
    unsigned l, col;
    node_mark(root, &l, &col);
    if (fy_node_get_type(root) != FYNT_MAPPING)
        return fail(c, ARB_LEXICON, c->src->name, l ? l : 1, col ? col : 1,
                    "a lexicon file must be a mapping with lang and entries");
    struct fy_node *ln = fy_node_mapping_lookup_by_string(root, "lang", 4);
    if (!ln)
        return fail(c, ARB_LEXICON, c->src->name, l, col, "missing key 'lang'");
    return need_scalar(c, ln, "lang", lang);
}

void arb__lexicon_free(arb__lexicon *lx)
{
    if (!lx)
        return;
    if (lx->db)
        hs_free_database(lx->db);
    if (lx->trig_db)
        hs_free_database(lx->trig_db);
    if (lx->som_db)
        hs_free_database(lx->som_db);
    if (lx->rx_db)
        hs_free_database(lx->rx_db);
    if (lx->rev_db)
        hs_free_database(lx->rev_db);
    lx_pool *p = lx->pool;
    while (p) {
        lx_pool *n = p->next;
        arb__free(lx->a, p, sizeof *p + p->size);
        p = n;
    }
    arb__free(lx->a, lx->entries, lx->cap_entries * sizeof *lx->entries);
    arb__free(lx->a, lx->pats, lx->cap_pats * sizeof *lx->pats);
    arb__free(lx->a, lx->unmask, lx->cap_unmask * sizeof *lx->unmask);
    arb__free(lx->a, lx, sizeof *lx);
}

/* ---------------- regex reversal ---------------- */

/* Vectorscan's start-of-match tracking (HS_FLAG_SOM_LEFTMOST) made the
 * database of the lexicon's regexes 17 times larger than the same regexes
 * without it (32 MB against 1.9 MB for 177 regexes) and slowed every scan of
 * it.  A regex R matching t[s..e) for some s is, read backwards, the reversed
 * regex rev(R) matching the reversed text from e; the LONGEST match of the
 * anchored rev(R) there gives the leftmost s, which is what
 * HS_FLAG_SOM_LEFTMOST reports.  Reversal works on code points (the text is
 * reversed code point by code point, keeping each one's UTF-8 bytes in order),
 * so rev(R) is still a UTF-8 regex.  The grammar handled: literals, '.',
 * classes, the escapes of a punctuation character and \d \w \s \D \W \S,
 * non-capturing groups, alternation, the quantifiers ? * + {m} {m,} {m,n}
 * (lazy or not), and '$' only as the regex's last atom (inside trailing
 * groups).  Anything else (lookaround, ^, \b, capturing groups, ...) is
 * refused and that regex keeps start-of-match tracking (som_db).
 *
 * '$' matches at the end of the text or before a final newline, so a
 * regex with '$' gets two reversed forms: with '$' as the empty string (for
 * hits that end there) and with every alternative holding '$' dropped (for
 * the others). */

#define REV_MAX_PIECES 256

typedef struct rev_parse {
    const char *r;
    size_t n, i;
    bool dollar_empty; /* '$' as the empty string, or drop what holds it */
    bool bad;          /* a construct this grammar does not handle */
    bool dollar;       /* a '$' was seen */
    arb__arena *ar;
} rev_parse;

static bool rev_alt(rev_parse *p, rbuf *out);

/* length of the quantifier at r[i..n), 0 if none */
static size_t rev_quant(const char *r, size_t n, size_t i)
{
    size_t j = i;
    if (j < n && (r[j] == '*' || r[j] == '+' || r[j] == '?')) {
        j++;
    } else if (j < n && r[j] == '{') {
        size_t k = j + 1, d = 0;
        while (k < n && r[k] >= '0' && r[k] <= '9')
            k++, d++;
        if (!d)
            return 0;
        if (k < n && r[k] == ',') {
            k++;
            while (k < n && r[k] >= '0' && r[k] <= '9')
                k++;
        }
        if (k >= n || r[k] != '}')
            return 0;
        j = k + 1;
    } else {
        return 0;
    }
    if (j < n && r[j] == '?')
        j++; /* lazy: the same set of matches for Vectorscan */
    return j - i;
}

/* One alternative (up to '|', ')' or the end), reversed into out.  False
 * when it holds a '$' that is dropped in this form. */
static bool rev_seq(rev_parse *p, rbuf *out)
{
    rbuf piece[REV_MAX_PIECES];
    size_t np = 0;
    bool keep = true;
    while (!p->bad && p->i < p->n && p->r[p->i] != '|' && p->r[p->i] != ')') {
        if (np == REV_MAX_PIECES) {
            p->bad = true;
            break;
        }
        const char *r = p->r;
        size_t i = p->i;
        rbuf *pc = &piece[np++];
        *pc = (rbuf){.ar = p->ar};
        unsigned char ch = (unsigned char)r[i];
        if (ch == '(') {
            if (i + 2 >= p->n || r[i + 1] != '?' || r[i + 2] != ':') {
                p->bad = true;
                break;
            }
            p->i = i + 3;
            rb_put(pc, "(?:", 3);
            bool k = rev_alt(p, pc);
            if (p->bad || p->i >= p->n || p->r[p->i] != ')') {
                p->bad = true;
                break;
            }
            rb_put(pc, ")", 1);
            p->i++;
            if (!k)
                keep = false; /* every alternative held a dropped '$' */
        } else if (ch == '[') {
            size_t j = i + 1;
            if (j < p->n && r[j] == '^')
                j++;
            if (j < p->n && r[j] == ']')
                j++;
            while (j < p->n && r[j] != ']') {
                if (r[j] == '[')
                    break; /* POSIX classes and the like */
                j += r[j] == '\\' ? 2 : 1;
            }
            if (j >= p->n || r[j] != ']') {
                p->bad = true;
                break;
            }
            rb_put(pc, r + i, j + 1 - i);
            p->i = j + 1;
        } else if (ch == '\\') {
            unsigned char e = i + 1 < p->n ? (unsigned char)r[i + 1] : 0;
            bool ok = e && e < 0x80 &&
                      (((e < '0' || e > '9') && (e < 'a' || e > 'z') && (e < 'A' || e > 'Z')) ||
                       strchr("dwsDWS", e));
            if (!ok) {
                p->bad = true;
                break;
            }
            rb_put(pc, r + i, 2);
            p->i = i + 2;
        } else if (ch == '$') {
            for (size_t j = i + 1; j < p->n; j++)
                if (r[j] != ')') {
                    p->bad = true; /* '$' only as the last atom */
                    break;
                }
            p->dollar = true;
            if (!p->dollar_empty)
                keep = false;
            p->i = i + 1;
            np--; /* no text either way */
            continue;
        } else if (ch == '^' || ch == '*' || ch == '+' || ch == '?' || ch == '{' || ch == '}' ||
                   ch == ']') {
            p->bad = true;
            break;
        } else {
            size_t j = i + 1; /* one code point: its lead byte and continuations */
            while (j < p->n && ((unsigned char)r[j] & 0xC0) == 0x80)
                j++;
            rb_put(pc, r + i, j - i);
            p->i = j;
        }
        size_t q = rev_quant(p->r, p->n, p->i);
        rb_put(pc, p->r + p->i, q);
        p->i += q;
        if (p->i < p->n && strchr("*+?{", p->r[p->i]) && p->r[p->i] != '{') {
            p->bad = true; /* a possessive or doubled quantifier */
            break;
        }
    }
    if (p->bad || !keep)
        return false;
    while (np--) {
        if (piece[np].failed) {
            p->bad = true;
            return false;
        }
        rb_put(out, piece[np].p ? piece[np].p : "", piece[np].len);
    }
    return true;
}

/* An alternation up to ')' or the end, reversed into out; false when every
 * alternative was dropped. */
static bool rev_alt(rev_parse *p, rbuf *out)
{
    bool any = false;
    for (;;) {
        rbuf alt = {.ar = p->ar};
        if (rev_seq(p, &alt)) {
            if (any)
                rb_put(out, "|", 1);
            rb_put(out, alt.p ? alt.p : "", alt.len);
            any = true;
        }
        if (p->bad || p->i >= p->n || p->r[p->i] != '|')
            return any;
        p->i++;
    }
}

/* The anchored reversal of regex r in *out ("^(?:...)"), NULL when every
 * alternative was dropped.  -1 when r uses a construct not handled; 1 when
 * r holds '$' (then both forms differ); 0 otherwise. */
static int rev_regex(arb__arena *ar, const char *r, bool dollar_empty, const char **out)
{
    rev_parse p = {r, strlen(r), 0, dollar_empty, false, false, ar};
    rbuf b = {.ar = ar};
    rb_put(&b, "^(?:", 4);
    bool any = rev_alt(&p, &b);
    rb_put(&b, ")", 1);
    if (p.bad || p.i != p.n || b.failed)
        return -1;
    *out = any ? b.p : NULL;
    return p.dollar;
}

/* Which patterns go into a database. */
enum db_part {
    DB_LITERALS, /* every literal pattern, end of match (start = end - length) */
    DB_REGEXES,  /* the regexes that reverse, end of match only */
    DB_REVERSED, /* their reversed forms, anchored, end of match only */
    DB_SOM,      /* the regexes that do not reverse, with start-of-match tracking */
    DB_TRIGGERS  /* stage 1: trigger and coded patterns, end of match only */
};

/* The reversed forms of the regexes (see "regex reversal"): for pattern i,
 * plain[i] and end[i] (end[i] only for a regex ending in '$'; either may be
 * NULL when it can never match); ok[i] false when the regex does not
 * reverse (and keeps start-of-match tracking). */
typedef struct rev_forms {
    const char **plain, **end;
    bool *ok;
} rev_forms;

/* The full match is split so that the thousands of literals do not pay for
 * the regexes, and the regexes do not pay for Vectorscan's (costly)
 * start-of-match tracking (see arb__lexicon_scan); the stage-1 database
 * only has to say whether a trigger may be present. */
static arb_status compile_one(cctx *c, enum db_part part, const rev_forms *rf,
                              hs_database_t **out)
{
    arb__lexicon *lx = c->lx;
    size_t n = lx->n_pats, m = 0;
    const char **expr = arb__arena_alloc(c->tmp, 2 * n * sizeof *expr);
    unsigned *flags = arb__arena_alloc(c->tmp, 2 * n * sizeof *flags);
    unsigned *ids = arb__arena_alloc(c->tmp, 2 * n * sizeof *ids);
    if (!expr || !flags || !ids)
        return fail(c, ARB_NOMEM, "", 0, 0, "out of memory");
    for (size_t i = 0; i < n; i++) {
        bool literal = lx->pats[i].lit_len != 0;
        if (part == DB_TRIGGERS && !arb__lx_makes_statement(lx->entries[lx->pats[i].entry].kind))
            continue;
        if ((part == DB_LITERALS && !literal) || (part != DB_LITERALS && part != DB_TRIGGERS &&
                                                  (literal || rf->ok[i] != (part != DB_SOM))))
            continue;
        if (part == DB_REVERSED) {
            if (rf->plain[i]) {
                expr[m] = rf->plain[i];
                flags[m] = HS_FLAG_UTF8;
                ids[m++] = (unsigned)i;
            }
            if (rf->end[i]) {
                expr[m] = rf->end[i];
                flags[m] = HS_FLAG_UTF8;
                ids[m++] = (unsigned)i | LX_REV_END;
            }
            continue;
        }
        expr[m] = lx->pats[i].regex;
        flags[m] = HS_FLAG_UTF8 | (part == DB_SOM ? (unsigned)HS_FLAG_SOM_LEFTMOST : 0u);
        ids[m] = (unsigned)i;
        m++;
    }
    *out = NULL;
    if (!m)
        return ARB_OK;
    hs_compile_error_t *ce = NULL;
    hs_error_t he = hs_compile_multi(expr, flags, ids, (unsigned)m, HS_MODE_BLOCK, NULL, out, &ce);
    if (he != HS_SUCCESS) {
        arb_status st;
        if (ce && ce->expression >= 0 && (size_t)ce->expression < m) {
            const lx_pattern *p = &lx->pats[ids[ce->expression] & ~LX_REV_END];
            st = fail(c, ARB_LEXICON, p->source, p->line, p->column,
                      "pattern for '%s' does not compile%s: %s (pattern: %.120s)",
                      lx->entries[p->entry].label, part == DB_REVERSED ? " reversed" : "",
                      ce->message, part == DB_REVERSED ? expr[ce->expression] : p->regex);
        } else {
            st = fail(c, ARB_MATCHER, "", 0, 0, "Vectorscan: %s",
                      ce ? ce->message : "compile failed");
        }
        hs_free_compile_error(ce);
        *out = NULL;
        return st;
    }
    if (part == DB_TRIGGERS)
        lx->n_trig_pats = m;
    return ARB_OK;
}

static arb_status compile_db(cctx *c)
{
    arb__lexicon *lx = c->lx;
    if (!lx->n_pats)
        return ARB_OK;
    size_t n = lx->n_pats;
    rev_forms rf = {arb__arena_alloc(c->tmp, n * sizeof *rf.plain),
                    arb__arena_alloc(c->tmp, n * sizeof *rf.end),
                    arb__arena_alloc(c->tmp, n * sizeof *rf.ok)};
    if (!rf.plain || !rf.end || !rf.ok)
        return fail(c, ARB_NOMEM, "", 0, 0, "out of memory");
    for (size_t i = 0; i < n; i++) {
        rf.plain[i] = rf.end[i] = NULL;
        rf.ok[i] = false;
        if (lx->pats[i].lit_len)
            continue;
        int d = rev_regex(c->tmp, lx->pats[i].regex, false, &rf.plain[i]);
        if (d == 1 && rev_regex(c->tmp, lx->pats[i].regex, true, &rf.end[i]) != 1)
            d = -1;
        rf.ok[i] = d >= 0 && (rf.plain[i] || rf.end[i]);
    }
    arb_status st = compile_one(c, DB_LITERALS, &rf, &lx->db);
    if (!st)
        st = compile_one(c, DB_REGEXES, &rf, &lx->rx_db);
    if (!st)
        st = compile_one(c, DB_REVERSED, &rf, &lx->rev_db);
    if (!st)
        st = compile_one(c, DB_SOM, &rf, &lx->som_db);
    if (!st)
        st = compile_one(c, DB_TRIGGERS, &rf, &lx->trig_db);
    return st;
}

arb_status arb__lexicon_compile(const arb_allocator *a, const arb_limits *lim,
                                const arb_source *src, size_t n, arb__lexicon **out,
                                arb_error *err)
{
    if (!out)
        return ARB_INVALID;
    *out = NULL;
    if (!a)
        a = &arb__default_allocator;
    arb__lexicon *lx = arb__calloc(a, 1, sizeof *lx);
    if (!lx) {
        arb__error_set(err, ARB_NOMEM, "", 0, 0, "out of memory compiling lexicons");
        return ARB_NOMEM;
    }
    lx->a = a;
    cctx *c = arb__calloc(a, 1, sizeof *c);
    arb__arena *tmp = arb__arena_new(a, (size_t)1 << 30);
    struct fy_document **docs = n ? arb__calloc(a, n, sizeof *docs) : NULL;
    arb_status st = ARB_OK;
    if (!c || !tmp || (n && !docs)) {
        arb__error_set(err, ARB_NOMEM, "", 0, 0, "out of memory compiling lexicons");
        st = ARB_NOMEM;
        goto done;
    }
    c->lx = lx;
    c->tmp = tmp;
    c->err = err;
    size_t max_bytes = lim && lim->max_policy_bytes ? lim->max_policy_bytes : (size_t)4 << 20;

    /* pass 1: parse every file, read morphologies */
    for (size_t i = 0; i < n && !st; i++) {
        c->src = &src[i];
        if (!src[i].data && src[i].len) {
            st = fail(c, ARB_INVALID, src[i].name ? src[i].name : "", 0, 0, "no data");
            break;
        }
        if (src[i].len > max_bytes) {
            st = fail(c, ARB_TOO_BIG, src[i].name, 0, 0,
                      "lexicon source is %zu bytes, over the %zu byte limit", src[i].len,
                      max_bytes);
            break;
        }
        if ((st = check_text(c, &src[i])))
            break;
        docs[i] = parse_yaml(c, &src[i], &st);
        if (!docs[i])
            break;
        struct fy_node *root = fy_document_root(docs[i]);
        const char *lang;
        if ((st = file_lang(c, root, &lang)))
            break;
        void *it = NULL;
        struct fy_node_pair *p;
        while (!st && (p = fy_node_mapping_iterate(root, &it))) {
            const char *ks = scalar(c, fy_node_pair_key(p));
            unsigned l, col;
            node_mark(fy_node_pair_key(p), &l, &col);
            if (!ks)
                st = fail(c, ARB_LEXICON, src[i].name, l, col, "keys must be strings");
            else if (!strcmp(ks, "morphology"))
                st = parse_morphology(c, lang, fy_node_pair_value(p));
            else if (strcmp(ks, "lang") && strcmp(ks, "entries") && strcmp(ks, "description"))
                st = fail(c, ARB_LEXICON, src[i].name, l, col, "unknown key '%s'", ks);
        }
    }
    /* pass 2: entries */
    for (size_t i = 0; i < n && !st; i++) {
        c->src = &src[i];
        struct fy_node *root = fy_document_root(docs[i]);
        const char *lang;
        if ((st = file_lang(c, root, &lang)))
            break;
        struct fy_node *en = fy_node_mapping_lookup_by_string(root, "entries", 7);
        if (!en)
            continue;
        if (fy_node_get_type(en) != FYNT_SEQUENCE) {
            unsigned l, col;
            node_mark(en, &l, &col);
            st = fail(c, ARB_LEXICON, src[i].name, l, col, "entries must be a list");
            break;
        }
        void *it = NULL;
        struct fy_node *item;
        while (!st && (item = fy_node_sequence_iterate(en, &it)))
            st = parse_entry(c, lang, item);
    }
    if (!st)
        st = compile_db(c);
done:
    if (c) {
        for (size_t i = 0; i < c->n_langs; i++)
            morph_close(&c->langs[i]);
        if (c->en_hun)
            Hunspell_destroy(c->en_hun);
        arb__free(a, c, sizeof *c);
    }
    if (docs) {
        for (size_t i = 0; i < n; i++)
            if (docs[i])
                fy_document_destroy(docs[i]);
        arb__free(a, docs, n * sizeof *docs);
    }
    arb__arena_free(tmp);
    if (st) {
        arb__lexicon_free(lx);
        return st;
    }
    arb__lexicon_index(lx);
    *out = lx;
    return ARB_OK;
}

void arb__lexicon_index(arb__lexicon *lx)
{
    lx->named_pat = -1;
    for (size_t i = 0; i < lx->n_pats; i++) {
        const lx_entry *e = &lx->entries[lx->pats[i].entry];
        if (e->kind == LX_TARGET && !strcmp(e->label, "named_person")) {
            lx->named_pat = (long)i;
            break;
        }
    }
}

arb_status arb__lexicon_scratch_new(const arb__lexicon *lx, arb__lexicon_scratch **out)
{
    if (!lx || !out)
        return ARB_INVALID;
    *out = NULL;
    arb__lexicon_scratch *s = arb__calloc(lx->a, 1, sizeof *s);
    if (!s)
        return ARB_NOMEM;
    s->a = lx->a;
    if ((lx->db && hs_alloc_scratch(lx->db, &s->hs) != HS_SUCCESS) ||
        (lx->rx_db && hs_alloc_scratch(lx->rx_db, &s->hs) != HS_SUCCESS) ||
        (lx->som_db && hs_alloc_scratch(lx->som_db, &s->hs) != HS_SUCCESS) ||
        (lx->trig_db && hs_alloc_scratch(lx->trig_db, &s->hs) != HS_SUCCESS) ||
        (lx->rev_db && hs_alloc_scratch(lx->rev_db, &s->hs_rev) != HS_SUCCESS)) {
        if (s->hs)
            hs_free_scratch(s->hs);
        if (s->hs_rev)
            hs_free_scratch(s->hs_rev);
        arb__free(lx->a, s, sizeof *s);
        return ARB_MATCHER;
    }
    *out = s;
    return ARB_OK;
}

void arb__lexicon_scratch_free(arb__lexicon_scratch *s)
{
    if (!s)
        return;
    if (s->hs)
        hs_free_scratch(s->hs);
    if (s->hs_rev)
        hs_free_scratch(s->hs_rev);
    if (s->rev)
        arb__free(s->a, s->rev, s->rev_cap);
    arb__free(s->a, s, sizeof *s);
}

/* ---------------- the full match ---------------- */

typedef struct rx_ctx {
    const arb__lexicon *lx;
    arb__lexicon_scratch *ls;
    const char *t;
    size_t n;
    match_event_handler on;
    void *ud;
    bool reversed;  /* ls->rev holds t reversed */
    hs_error_t err; /* a failure inside the callback */
} rx_ctx;

typedef struct som_ctx {
    unsigned want;            /* the pattern whose start is sought */
    bool at_end;              /* '$' holds where its hit ends */
    unsigned long long best;  /* longest reversed match: end - leftmost start */
    bool found;
} som_ctx;

static int rev_match(unsigned id, unsigned long long from, unsigned long long to,
                     unsigned flags, void *ud)
{
    (void)from;
    (void)flags;
    som_ctx *c = ud;
    if ((id & ~LX_REV_END) == c->want && (c->at_end || !(id & LX_REV_END))) {
        if (!c->found || to > c->best)
            c->best = to;
        c->found = true;
    }
    return 0;
}

/* t[0..n) reversed code point by code point (a lead byte with the
 * continuation bytes after it stays in order) into rev[0..n): the text
 * before offset e, reversed, is then rev[n - e .. n). */
static void reverse_text(const char *t, size_t n, char *rev)
{
    size_t i = 0;
    while (i < n) {
        size_t j = i + 1;
        while (j < n && ((unsigned char)t[j] & 0xC0) == 0x80)
            j++;
        memcpy(rev + (n - j), t + i, j - i);
        i = j;
    }
}

/* A hit of rx_db (no start of match): its leftmost start is its end minus
 * the longest match of the reversed regex, anchored at the end, over the
 * text before the end read backwards.  rev_db is scanned with its own
 * scratch, since rx_db's scan holds ls->hs.  Each backward scan may read
 * back to the start of the text, so hits that end inside a word are dropped
 * first (a run of 60,000 digits after "$" would otherwise cost 60,000
 * backward scans); the caller's limit on hits bounds the rest. */
static int rx_match(unsigned id, unsigned long long from, unsigned long long to, unsigned flags,
                    void *ud)
{
    (void)from;
    rx_ctx *c = ud;
    arb__lexicon_scratch *ls = c->ls;
    size_t e = (size_t)to;
    if (e && !arb__lx_ends_word(c->t, c->n, e))
        return 0; /* dropped by every caller: no backward scan for it */
    if (!c->reversed) {
        if (ls->rev_cap < c->n) {
            size_t cap = c->n < 256 ? 256 : c->n;
            char *r = arb__malloc(ls->a, cap);
            if (!r) {
                c->err = HS_NOMEM;
                return 1;
            }
            if (ls->rev)
                arb__free(ls->a, ls->rev, ls->rev_cap);
            ls->rev = r;
            ls->rev_cap = cap;
        }
        reverse_text(c->t, c->n, ls->rev);
        c->reversed = true;
    }
    som_ctx sc = {id, e == c->n || (e + 1 == c->n && c->t[e] == '\n'), 0, false};
    hs_error_t he = hs_scan(c->lx->rev_db, ls->rev + (c->n - e), (unsigned)e, 0, ls->hs_rev,
                            rev_match, &sc);
    if (he != HS_SUCCESS || !sc.found || sc.best > e) {
        c->err = he != HS_SUCCESS ? he : HS_UNKNOWN_ERROR; /* cannot happen */
        return 1;
    }
    return c->on(id, to - sc.best, to, flags, c->ud);
}

hs_error_t arb__lexicon_scan(const arb__lexicon *lx, arb__lexicon_scratch *ls, const char *t,
                             size_t n, match_event_handler on, void *ud)
{
    if (!lx || !ls || !ls->hs)
        return HS_INVALID;
    hs_error_t he = HS_SUCCESS;
    if (lx->db)
        he = hs_scan(lx->db, t, (unsigned)n, 0, ls->hs, on, ud);
    if (lx->rx_db && he == HS_SUCCESS) {
        if (!lx->rev_db || !ls->hs_rev)
            return HS_INVALID;
        rx_ctx c = {lx, ls, t, n, on, ud, false, HS_SUCCESS};
        he = hs_scan(lx->rx_db, t, (unsigned)n, 0, ls->hs, rx_match, &c);
        if (c.err != HS_SUCCESS)
            return c.err;
    }
    if (lx->som_db && he == HS_SUCCESS)
        he = hs_scan(lx->som_db, t, (unsigned)n, 0, ls->hs, on, ud);
    return he;
}

typedef struct pf_ctx {
    const arb__lexicon *lx;
    const char *t;
    size_t n;
    bool hit;
} pf_ctx;

/* The same word-boundary checks as the full scan's callback, where this
 * database can make them: the end always, the start for literals (whose
 * length is known).  A regex hit is accepted without its start check, so the
 * stage can only err towards scanning. */
static int pf_match(unsigned id, unsigned long long from, unsigned long long to,
                    unsigned flags, void *ud)
{
    (void)from;
    (void)flags;
    pf_ctx *c = ud;
    size_t e = (size_t)to;
    uint16_t ll = c->lx->pats[id].lit_len;
    if (ll) {
        if (e < ll)
            return 0;
        if (!arb__lx_starts_word(c->t, c->n, e - ll) && !arb__lx_glued(c->t, c->n, e - ll, e))
            return 0;
        if (!arb__lx_ends_word(c->t, c->n, e) && !arb__lx_glued(c->t, c->n, e - ll, e))
            return 0;
    } else if (!arb__lx_ends_word(c->t, c->n, e)) {
        return 0;
    }
    c->hit = true;
    return 1; /* one is enough */
}

arb_status arb__lexicon_prefilter(const arb__lexicon *lx, arb__lexicon_scratch *ls,
                                  const char *t, size_t n, bool *maybe)
{
    *maybe = true;
    if (!lx || (!lx->db && !lx->rx_db && !lx->som_db))
        return ARB_OK;
    if (!lx->n_trig_pats) {
        *maybe = false; /* nothing could ever make a statement */
        return ARB_OK;
    }
    if (!lx->trig_db || !ls || !ls->hs)
        return ARB_OK;
    pf_ctx c = {lx, t, n, false};
    hs_error_t he = hs_scan(lx->trig_db, t, (unsigned)n, 0, ls->hs, pf_match, &c);
    if (he != HS_SUCCESS && he != HS_SCAN_TERMINATED)
        return ARB_MATCHER;
    *maybe = c.hit;
    return ARB_OK;
}

size_t arb__lexicon_pattern_count(const arb__lexicon *lx) { return lx ? lx->n_pats : 0; }

const char *arb__lexicon_pattern(const arb__lexicon *lx, size_t i)
{
    return lx && i < lx->n_pats ? lx->pats[i].regex : NULL;
}
