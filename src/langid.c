/*
 * langid.c -- language identification of a post.
 *
 * Works on the normalized text (lower case, homoglyphs resolved).  The text
 * is cut into segments: runs of words in one script, split at sentence
 * punctuation.  Each segment is scored with cheap signals, in order:
 *   1. script (Armenian -> hy, Georgian -> ka, Greek -> el, ...);
 *   2. distinctive letters (uk і ї є ґ, ru ы э ъ ё, pl ą ę ł ś ź ż ć ń,
 *      hu ő ű, ro ă ș ț, cs ř ů ě, lt ė į ų, lv ā ē ī ģ ķ ļ ņ, et õ, az ə,
 *      be ў; і ы э ё also occur in Belarusian, rare here, so they count
 *      for uk / ru only);
 *   3. function words (a small stop-word table per language);
 *   4. the caller's hint ("uk-UA" -> "uk"), as a prior for segments whose
 *      script the hinted language is written in;
 *   5. a segment those leave open takes the language the rest of the post
 *      shows in its script; else, if Cyrillic, 16+ letters and without any
 *      cue, Russian by likelihood (Ukrainian letters would likely show);
 *      else, if 24+ letters, libexttextcat n-gram fingerprints restricted
 *      to the languages of that script; else the two best candidates share
 *      its letters at low confidence.
 * Segment results are summed over letters: `share` is the share of the
 * post's letters in a language, `confidence` the letter-weighted confidence.
 *
 * Invariants:
 *   - arb__langid is immutable and shared by threads (tables only);
 *   - textcat fingerprints are not thread-safe: they live in the per-thread
 *     arb__langid_scratch, loaded lazily the first time a segment needs
 *     them.  Reading the fingerprint files (ARB_TEXTCAT_DIR/<lang>.lm) is the
 *     ONLY file I/O in the library, happens once per scratch, and fails
 *     soft: without the data, ambiguous segments get the script default with
 *     a confidence capped at 0.35.  libexttextcat allocates with malloc, not
 *     the arb_allocator (third-party memory, freed by arb__langid_scratch_free);
 *   - per-post memory comes from the arena only; results are sorted by
 *     share, then confidence, then a fixed language order, so the output
 *     is deterministic.
 */
#include "internal.h"

#include <stdio.h>
#include <math.h>
#include <string.h>

#include <libexttextcat/fingerprint.h>
#include <libexttextcat/textcat.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#ifndef ARB_TEXTCAT_DIR
#define ARB_TEXTCAT_DIR "/usr/share/libexttextcat"
#endif

/* Segments at least this many letters long may go to textcat. */
#define TEXTCAT_MIN_LETTERS 24
/* Bytes of a segment handed to textcat (its cost grows with the input). */
#define TEXTCAT_MAX_BYTES 200
/* Cyrillic segments this long without any cue are decided by likelihood. */
#define CYR_SILENT_MIN 16
#define MAX_OUT 4

/* ---------------- languages ---------------- */

enum {
    L_EN, L_RU, L_UK, L_PL, L_HU, L_RO, L_SK, L_CS, L_LT, L_LV, L_ET, L_AZ,
    L_DE, L_FR, L_ES, L_IT, L_BE, L_BG, /* scored by letters and words */
    L_HY, L_KA, L_EL, L_HE, L_AR, L_ZH, L_JA, L_KO, L_TH, L_HI, L_UND,
    L__COUNT
};

static const char *const k_tag[L__COUNT] = {
    "en", "ru", "uk", "pl", "hu", "ro", "sk", "cs", "lt", "lv", "et", "az",
    "de", "fr", "es", "it", "be", "bg", "hy", "ka", "el", "he", "ar", "zh",
    "ja", "ko", "th", "hi", "und",
};

#define N_SCORED (L_BG + 1)

enum { SCR_NONE, SCR_LATIN, SCR_CYRILLIC, SCR_OTHER };

/* Languages textcat may choose between, per script. */
static const int k_latin_langs[] = {L_EN, L_PL, L_HU, L_RO, L_SK, L_CS, L_LT,
                                    L_LV, L_ET, L_AZ, L_DE, L_FR, L_ES, L_IT};
static const int k_cyr_langs[] = {L_RU, L_UK, L_BE, L_BG};

/* Fingerprints loaded from ARB_TEXTCAT_DIR (file name, our language). */
static const struct { const char *file; int lang; } k_fp[] = {
    {"en.lm", L_EN}, {"ru.lm", L_RU}, {"uk.lm", L_UK}, {"pl.lm", L_PL},
    {"hu.lm", L_HU}, {"ro.lm", L_RO}, {"sk.lm", L_SK}, {"cs.lm", L_CS},
    {"lt.lm", L_LT}, {"lv.lm", L_LV}, {"et.lm", L_ET}, {"az.lm", L_AZ},
    {"de.lm", L_DE}, {"fr.lm", L_FR}, {"es.lm", L_ES}, {"it.lm", L_IT},
    {"be.lm", L_BE}, {"bg.lm", L_BG},
};

/* ---------------- distinctive letters ---------------- */

typedef struct letter_cue {
    uint32_t cp;
    uint32_t langs; /* bit per language */
} letter_cue;

#define B(l) (1u << (l))

/* Sorted by code point.  A letter unique to one language weighs 3, a
 * letter shared by k languages weighs 2/k each. */
static const letter_cue k_letters[] = {
    {0x00DF, B(L_DE)},                                  /* ß */
    {0x00E0, B(L_FR) | B(L_IT)},                        /* à */
    {0x00E1, B(L_HU) | B(L_SK) | B(L_CS) | B(L_ES)},    /* á */
    {0x00E2, B(L_RO) | B(L_FR)},                        /* â */
    {0x00E4, B(L_DE) | B(L_SK) | B(L_ET)},              /* ä */
    {0x00E7, B(L_FR) | B(L_AZ)},                        /* ç */
    {0x00E8, B(L_FR) | B(L_IT)},                        /* è */
    {0x00E9, B(L_HU) | B(L_FR) | B(L_CS) | B(L_ES)},    /* é */
    {0x00EA, B(L_FR)},                                  /* ê */
    {0x00ED, B(L_HU) | B(L_SK) | B(L_CS) | B(L_ES)},    /* í */
    {0x00EE, B(L_RO) | B(L_FR)},                        /* î */
    {0x00F1, B(L_ES)},                                  /* ñ */
    {0x00F3, B(L_PL) | B(L_HU) | B(L_SK) | B(L_CS) | B(L_ES)}, /* ó */
    {0x00F4, B(L_SK) | B(L_FR)},                        /* ô */
    {0x00F5, B(L_ET)},                                  /* õ */
    {0x00F6, B(L_HU) | B(L_DE) | B(L_ET) | B(L_AZ)},    /* ö */
    {0x00FA, B(L_HU) | B(L_SK) | B(L_CS) | B(L_ES)},    /* ú */
    {0x00FC, B(L_HU) | B(L_DE) | B(L_ET) | B(L_AZ)},    /* ü */
    {0x00FD, B(L_SK) | B(L_CS)},                        /* ý */
    {0x0101, B(L_LV)},                                  /* ā */
    {0x0103, B(L_RO)},                                  /* ă */
    {0x0105, B(L_PL) | B(L_LT)},                        /* ą */
    {0x0107, B(L_PL)},                                  /* ć */
    {0x010D, B(L_SK) | B(L_CS) | B(L_LT) | B(L_LV)},    /* č */
    {0x010F, B(L_SK) | B(L_CS)},                        /* ď */
    {0x0113, B(L_LV)},                                  /* ē */
    {0x0117, B(L_LT)},                                  /* ė */
    {0x0119, B(L_PL) | B(L_LT)},                        /* ę */
    {0x011B, B(L_CS)},                                  /* ě */
    {0x011F, B(L_AZ)},                                  /* ğ */
    {0x0123, B(L_LV)},                                  /* ģ */
    {0x012B, B(L_LV)},                                  /* ī */
    {0x012F, B(L_LT)},                                  /* į */
    {0x0131, B(L_AZ)},                                  /* ı */
    {0x0137, B(L_LV)},                                  /* ķ */
    {0x013A, B(L_SK)},                                  /* ĺ */
    {0x013C, B(L_LV)},                                  /* ļ */
    {0x013E, B(L_SK)},                                  /* ľ */
    {0x0142, B(L_PL)},                                  /* ł */
    {0x0144, B(L_PL)},                                  /* ń */
    {0x0146, B(L_LV)},                                  /* ņ */
    {0x0148, B(L_SK) | B(L_CS)},                        /* ň */
    {0x0151, B(L_HU)},                                  /* ő */
    {0x0153, B(L_FR)},                                  /* œ */
    {0x0155, B(L_SK)},                                  /* ŕ */
    {0x0159, B(L_CS)},                                  /* ř */
    {0x015B, B(L_PL)},                                  /* ś */
    {0x015F, B(L_RO) | B(L_AZ)},                        /* ş */
    {0x0161, B(L_SK) | B(L_CS) | B(L_LT) | B(L_LV) | B(L_ET)}, /* š */
    {0x0165, B(L_SK) | B(L_CS)},                        /* ť */
    {0x016B, B(L_LT) | B(L_LV)},                        /* ū */
    {0x016F, B(L_CS)},                                  /* ů */
    {0x0171, B(L_HU)},                                  /* ű */
    {0x0173, B(L_LT)},                                  /* ų */
    {0x017A, B(L_PL)},                                  /* ź */
    {0x017C, B(L_PL)},                                  /* ż */
    {0x017E, B(L_SK) | B(L_CS) | B(L_LT) | B(L_LV) | B(L_ET)}, /* ž */
    {0x0219, B(L_RO)},                                  /* ș */
    {0x021B, B(L_RO)},                                  /* ț */
    {0x0259, B(L_AZ)},                                  /* ə */
    {0x044A, B(L_RU) | B(L_BG)},                        /* ъ */
    {0x044B, B(L_RU)},                        /* ы */
    {0x044D, B(L_RU)},                        /* э */
    {0x0451, B(L_RU)},                        /* ё */
    {0x0454, B(L_UK)},                                  /* є */
    {0x0456, B(L_UK)},                        /* і */
    {0x0457, B(L_UK)},                                  /* ї */
    {0x045E, B(L_BE)},                                  /* ў */
    {0x0491, B(L_UK)},                                  /* ґ */
};

/* ---------------- function words ---------------- */

typedef struct stopword {
    const char *w;
    uint32_t langs;
} stopword;

/* Frequent short words; a word listed for several languages splits its
 * weight between them. */
static const stopword k_stop[] = {
    /* English */
    {"the", B(L_EN)}, {"and", B(L_EN)}, {"of", B(L_EN)}, {"is", B(L_EN) | B(L_HU)},
    {"you", B(L_EN)}, {"that", B(L_EN)}, {"it", B(L_EN)}, {"he", B(L_EN)},
    {"she", B(L_EN)}, {"we", B(L_EN)}, {"they", B(L_EN)}, {"are", B(L_EN)},
    {"was", B(L_EN)}, {"will", B(L_EN)}, {"all", B(L_EN)}, {"for", B(L_EN)},
    {"with", B(L_EN)}, {"this", B(L_EN)}, {"my", B(L_EN)}, {"your", B(L_EN)},
    {"not", B(L_EN)}, {"should", B(L_EN)}, {"must", B(L_EN)}, {"them", B(L_EN)},
    {"his", B(L_EN)}, {"her", B(L_EN)}, {"our", B(L_EN)}, {"have", B(L_EN)},
    {"be", B(L_EN)}, {"i", B(L_EN) | B(L_PL)}, {"to", B(L_EN) | B(L_PL) | B(L_SK) | B(L_CS)},
    {"a", B(L_EN) | B(L_PL) | B(L_HU) | B(L_SK) | B(L_CS)}, {"in", B(L_EN)},
    {"on", B(L_EN) | B(L_PL) | B(L_ET)}, {"no", B(L_EN) | B(L_ES) | B(L_IT) | B(L_LV)},
    {"what", B(L_EN)}, {"who", B(L_EN)}, {"just", B(L_EN)}, {"like", B(L_EN)},
    {"these", B(L_EN)}, {"those", B(L_EN)}, {"there", B(L_EN)}, {"if", B(L_EN)},
    {"can", B(L_EN)}, {"would", B(L_EN)}, {"from", B(L_EN)}, {"at", B(L_EN)},
    {"going", B(L_EN)}, {"every", B(L_EN)}, {"their", B(L_EN)}, {"me", B(L_EN)},
    {"people", B(L_EN)}, {"so", B(L_EN)}, {"but", B(L_EN)}, {"out", B(L_EN)},
    {"up", B(L_EN)}, {"get", B(L_EN)}, {"hope", B(L_EN)}, {"i'm", B(L_EN)},
    /* Russian */
    {"что", B(L_RU)}, {"это", B(L_RU)}, {"как", B(L_RU)}, {"все", B(L_RU)},
    {"всех", B(L_RU)}, {"они", B(L_RU)}, {"его", B(L_RU)}, {"но", B(L_RU)},
    {"только", B(L_RU)}, {"нет", B(L_RU)}, {"если", B(L_RU)}, {"уже", B(L_RU)},
    {"или", B(L_RU)}, {"когда", B(L_RU)}, {"было", B(L_RU)}, {"был", B(L_RU)},
    {"будет", B(L_RU)}, {"есть", B(L_RU)}, {"надо", B(L_RU)}, {"чтобы", B(L_RU)},
    {"кто", B(L_RU)}, {"этот", B(L_RU)}, {"сейчас", B(L_RU)}, {"можно", B(L_RU)},
    {"меня", B(L_RU)}, {"мне", B(L_RU)}, {"вот", B(L_RU)}, {"и", B(L_RU) | B(L_BG)},
    {"он", B(L_RU)}, {"она", B(L_RU)}, {"мы", B(L_RU)}, {"вы", B(L_RU)},
    {"их", B(L_RU)}, {"нужно", B(L_RU)}, {"всем", B(L_RU)},
    {"пусть", B(L_RU)}, {"даже", B(L_RU)}, {"тебя", B(L_RU)}, {"где", B(L_RU)},
    /* Ukrainian */
    {"що", B(L_UK)}, {"це", B(L_UK)}, {"як", B(L_UK)}, {"та", B(L_UK)},
    {"але", B(L_UK)}, {"або", B(L_UK)}, {"вже", B(L_UK)}, {"коли", B(L_UK)},
    {"буде", B(L_UK)}, {"треба", B(L_UK)}, {"щоб", B(L_UK)}, {"хто", B(L_UK)},
    {"цей", B(L_UK)}, {"зараз", B(L_UK)}, {"можна", B(L_UK)}, {"мене", B(L_UK)},
    {"ось", B(L_UK)}, {"вони", B(L_UK)}, {"його", B(L_UK)}, {"тільки", B(L_UK)},
    {"ми", B(L_UK)}, {"ви", B(L_UK)}, {"він", B(L_UK)}, {"вона", B(L_UK)},
    {"нехай", B(L_UK)}, {"всіх", B(L_UK)}, {"усіх", B(L_UK)}, {"слава", B(L_UK) | B(L_RU)},
    {"героям", B(L_UK) | B(L_RU)}, {"ворогам", B(L_UK)}, {"ще", B(L_UK)},
    /* Polish */
    {"nie", B(L_PL) | B(L_SK)}, {"się", B(L_PL)}, {"że", B(L_PL) | B(L_SK) | B(L_CS)},
    {"jest", B(L_PL)}, {"jak", B(L_PL)}, {"co", B(L_PL) | B(L_CS)}, {"ale", B(L_PL) | B(L_CS)},
    {"tak", B(L_PL)}, {"czy", B(L_PL)}, {"już", B(L_PL)}, {"tylko", B(L_PL)},
    {"dla", B(L_PL)}, {"przez", B(L_PL)}, {"są", B(L_PL)}, {"być", B(L_PL)},
    {"wszystkich", B(L_PL)}, {"trzeba", B(L_PL)}, {"jestem", B(L_PL)}, {"będzie", B(L_PL)},
    {"oni", B(L_PL)}, {"ich", B(L_PL) | B(L_DE)}, {"mnie", B(L_PL)}, {"może", B(L_PL)},
    {"w", B(L_PL)}, {"z", B(L_PL) | B(L_CS)}, {"na", B(L_PL) | B(L_SK) | B(L_CS)},
    {"niech", B(L_PL)}, {"ten", B(L_PL) | B(L_CS)}, {"wszyscy", B(L_PL)},
    /* Hungarian, Romanian, Slovak, Czech, Lithuanian, Latvian, Estonian,
     * Azerbaijani, German, French, Spanish, Italian */
    {"az", B(L_HU)}, {"és", B(L_HU)}, {"hogy", B(L_HU)}, {"nem", B(L_HU)}, {"egy", B(L_HU)},
    {"meg", B(L_HU)}, {"și", B(L_RO)}, {"în", B(L_RO)}, {"nu", B(L_RO)}, {"să", B(L_RO)},
    {"este", B(L_RO) | B(L_ES)}, {"care", B(L_RO)}, {"pe", B(L_RO)}, {"cu", B(L_RO)},
    {"je", B(L_SK) | B(L_CS)}, {"sa", B(L_SK)}, {"som", B(L_SK)}, {"ako", B(L_SK)},
    {"jsem", B(L_CS)}, {"se", B(L_CS)}, {"kad", B(L_LT)},
    {"yra", B(L_LT)}, {"un", B(L_LV) | B(L_FR)}, {"ir", B(L_LT) | B(L_LV)},
    {"ka", B(L_LV) | B(L_ET)}, {"ar", B(L_LV)}, {"ja", B(L_ET)}, {"ei", B(L_ET)},
    {"mis", B(L_ET)}, {"see", B(L_ET)}, {"və", B(L_AZ)}, {"bu", B(L_AZ)},
    {"bir", B(L_AZ)}, {"üçün", B(L_AZ)}, {"der", B(L_DE)}, {"die", B(L_DE) | B(L_EN)},
    {"und", B(L_DE)}, {"nicht", B(L_DE)}, {"das", B(L_DE)}, {"ist", B(L_DE)},
    {"le", B(L_FR)}, {"les", B(L_FR)}, {"et", B(L_FR)}, {"est", B(L_FR)},
    {"des", B(L_FR)}, {"pas", B(L_FR)}, {"el", B(L_ES)}, {"los", B(L_ES)},
    {"que", B(L_ES) | B(L_FR)}, {"por", B(L_ES)}, {"il", B(L_IT)}, {"che", B(L_IT)},
    {"di", B(L_IT)}, {"non", B(L_IT) | B(L_FR)}, {"per", B(L_IT)},
};

/* ---------------- the shared object ---------------- */

#define STOP_SLOTS 1024 /* power of two, > 2x the table */

struct arb__langid {
    const arb_allocator *a;
    uint32_t lat_cue[0x250 - 0xC0]; /* letter -> language bits, U+00C0.. */
    uint32_t cyr_cue[0x100];        /* U+0400..U+04FF */
    int16_t slot[STOP_SLOTS]; /* open addressing into k_stop, -1 empty */
    uint8_t slot_len[STOP_SLOTS];
    uint32_t slot_hash[STOP_SLOTS];
};

struct arb__langid_scratch {
    const arb_allocator *a;
    int state; /* 0 not loaded, 1 loaded, -1 data missing */
    void *fp[ARB__ARRAY_LEN(k_fp)];
    int fp_lang[ARB__ARRAY_LEN(k_fp)];
    size_t n_fp;
};

/* O(1) hash of a short word: its length and its first and last two bytes
 * (collisions are settled by comparing the bytes). */
static inline uint32_t hash_bytes(const char *s, size_t n)
{
    const uint8_t *b = (const uint8_t *)s;
    uint32_t x = (uint32_t)b[0] | (uint32_t)b[n > 1 ? 1 : 0] << 8 |
                 (uint32_t)b[n - 1] << 16 | (uint32_t)b[n > 2 ? n - 2 : 0] << 24;
    return ((x ^ ((uint32_t)n * 0x9E3779B1u)) * 0x85EBCA6Bu) >> 22; /* 10 bits */
}

arb_status arb__langid_new(const arb_allocator *a, arb__langid **out, arb_error *err)
{
    (void)err;
    *out = NULL;
    arb__langid *l = arb__calloc(a, 1, sizeof *l);
    if (!l)
        return ARB_NOMEM;
    l->a = a;
    for (size_t i = 0; i < ARB__ARRAY_LEN(k_letters); i++) {
        uint32_t c = k_letters[i].cp;
        if (c >= 0xC0 && c < 0x250)
            l->lat_cue[c - 0xC0] = k_letters[i].langs;
        else if (c >= 0x400 && c < 0x500)
            l->cyr_cue[c - 0x400] = k_letters[i].langs;
    }
    for (size_t i = 0; i < STOP_SLOTS; i++)
        l->slot[i] = -1;
    for (size_t i = 0; i < ARB__ARRAY_LEN(k_stop); i++) {
        size_t n = strlen(k_stop[i].w);
        uint32_t h = hash_bytes(k_stop[i].w, n);
        size_t s = h & (STOP_SLOTS - 1);
        bool dup = false;
        while (l->slot[s] >= 0) {
            const char *w = k_stop[l->slot[s]].w;
            if (strcmp(w, k_stop[i].w) == 0) {
                dup = true; /* first listing wins */
                break;
            }
            s = (s + 1) & (STOP_SLOTS - 1);
        }
        if (!dup) {
            l->slot[s] = (int16_t)i;
            l->slot_hash[s] = h;
            l->slot_len[s] = (uint8_t)n;
        }
    }
    *out = l;
    return ARB_OK;
}

void arb__langid_free(arb__langid *l)
{
    if (l)
        arb__free(l->a, l, sizeof *l);
}

arb_status arb__langid_scratch_new(const arb__langid *l, arb__langid_scratch **out)
{
    *out = arb__calloc(l->a, 1, sizeof **out);
    if (!*out)
        return ARB_NOMEM;
    (*out)->a = l->a;
    return ARB_OK;
}

void arb__langid_scratch_free(arb__langid_scratch *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n_fp; i++)
        fp_Done(s->fp[i]);
    arb__free(s->a, s, sizeof *s);
}

static uint32_t stop_langs(const arb__langid *l, const char *w, size_t n)
{
    if (n > 12 || n == 0)
        return 0;
    uint32_t h = hash_bytes(w, n);
    size_t s = h & (STOP_SLOTS - 1);
    while (l->slot[s] >= 0) {
        if (l->slot_hash[s] == h && l->slot_len[s] == n &&
            memcmp(k_stop[l->slot[s]].w, w, n) == 0)
            return k_stop[l->slot[s]].langs;
        s = (s + 1) & (STOP_SLOTS - 1);
    }
    return 0;
}

/* Loads the fingerprints once; the only file I/O of the library. */
static void textcat_load(arb__langid_scratch *s)
{
    if (s->state)
        return;
    s->state = -1;
    for (size_t i = 0; i < ARB__ARRAY_LEN(k_fp); i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", ARB_TEXTCAT_DIR, k_fp[i].file);
        void *fp = fp_Init(k_tag[k_fp[i].lang]);
        if (!fp)
            continue;
        if (fp_Read(fp, path, 400) == 0) {
            fp_Done(fp);
            continue;
        }
        s->fp[s->n_fp] = fp;
        s->fp_lang[s->n_fp++] = k_fp[i].lang;
    }
    if (s->n_fp)
        s->state = 1;
}

/* Best language of `script` for buf by n-gram distance; -1 if unknown.
 * *conf is set from the gap to the runner-up. */
static int textcat_guess(arb__langid_scratch *s, const char *buf, size_t n, int script,
                         float *conf)
{
    textcat_load(s);
    if (s->state != 1)
        return -1;
    void *unk = fp_Init(NULL);
    if (!unk)
        return -1;
    fp_SetProperty(unk, TCPROP_UTF8AWARE, TC_TRUE);
    fp_SetProperty(unk, TCPROP_MINIMUM_DOCUMENT_SIZE, 8);
    if (fp_Create(unk, buf, (uint4)n, 400) == 0) {
        fp_Done(unk);
        return -1;
    }
    const int *allowed = script == SCR_CYRILLIC ? k_cyr_langs : k_latin_langs;
    size_t n_allowed = script == SCR_CYRILLIC ? ARB__ARRAY_LEN(k_cyr_langs)
                                              : ARB__ARRAY_LEN(k_latin_langs);
    int best = -1;
    int bs = 0, ss = 0;
    for (size_t i = 0; i < s->n_fp; i++) {
        bool ok = false;
        for (size_t k = 0; k < n_allowed; k++)
            ok |= allowed[k] == s->fp_lang[i];
        if (!ok)
            continue;
        int sc = fp_Compare(s->fp[i], unk, 0x7fffffff);
        if (best < 0 || sc < bs) {
            ss = best < 0 ? sc : bs;
            bs = sc;
            best = s->fp_lang[i];
        } else if (sc < ss || ss == bs) {
            ss = sc;
        }
    }
    fp_Done(unk);
    if (best < 0)
        return -1;
    float gap = bs > 0 ? (float)(ss - bs) / (float)bs : 0.0f;
    if (gap < 0)
        gap = 0;
    *conf = 0.45f + (gap > 0.1f ? 0.4f : gap * 4.0f);
    return best;
}

/* ---------------- per post ---------------- */

/* Next code point of t[*pos..n), -1 for an ill-formed sequence; ASCII and
 * two-byte sequences (Latin, Cyrillic) decoded inline. */
static inline __attribute__((always_inline)) UChar32 dec(const char *t, size_t n,
                                                         int32_t *pos)
{
    const uint8_t *b = (const uint8_t *)t;
    uint8_t c0 = b[*pos];
    if (c0 < 0x80) {
        (*pos)++;
        return c0;
    }
    if (c0 >= 0xC2 && c0 < 0xE0 && (size_t)*pos + 1 < n && (b[*pos + 1] & 0xC0) == 0x80) {
        UChar32 c = ((UChar32)(c0 & 0x1F) << 6) | (b[*pos + 1] & 0x3F);
        *pos += 2;
        return c;
    }
    UChar32 c;
    U8_NEXT(b, *pos, (int32_t)n, c);
    return c;
}

static inline bool lid_letter(uint32_t c)
{
    if (c < 0x80)
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if ((c >= 0x400 && c < 0x482) || (c >= 0x48A && c < 0x530))
        return true;
    if (c >= 0xC0 && c < 0x250)
        return c != 0xD7 && c != 0xF7;
    return (U_GET_GC_MASK((UChar32)c) & (U_GC_L_MASK | U_GC_M_MASK)) != 0;
}

static int other_script_lang(uint32_t c)
{
    UErrorCode st = U_ZERO_ERROR;
    switch (uscript_getScript((UChar32)c, &st)) {
    case USCRIPT_ARMENIAN: return L_HY;
    case USCRIPT_GEORGIAN: return L_KA;
    case USCRIPT_GREEK: return L_EL;
    case USCRIPT_HEBREW: return L_HE;
    case USCRIPT_ARABIC: return L_AR;
    case USCRIPT_HAN: return L_ZH;
    case USCRIPT_HIRAGANA:
    case USCRIPT_KATAKANA: return L_JA;
    case USCRIPT_HANGUL: return L_KO;
    case USCRIPT_THAI: return L_TH;
    case USCRIPT_DEVANAGARI: return L_HI;
    default: return L_UND;
    }
}

static int script_of(uint32_t c)
{
    if (c < 0x80 || (c >= 0xC0 && c < 0x250) || (c >= 0x1E00 && c < 0x1F00))
        return SCR_LATIN;
    if (c >= 0x400 && c < 0x530)
        return SCR_CYRILLIC;
    if (c >= 0x300 && c < 0x370)
        return SCR_NONE; /* combining mark: inherits */
    UErrorCode st = U_ZERO_ERROR;
    UScriptCode sc = uscript_getScript((UChar32)c, &st);
    if (sc == USCRIPT_LATIN)
        return SCR_LATIN;
    if (sc == USCRIPT_CYRILLIC)
        return SCR_CYRILLIC;
    if (sc == USCRIPT_INHERITED || sc == USCRIPT_COMMON)
        return SCR_NONE;
    return SCR_OTHER;
}

typedef struct seg {
    int script;
    int other_lang; /* for SCR_OTHER */
    size_t letters;
    float score[N_SCORED];
    size_t tstart, tend; /* byte range in the normalized text */
    size_t cues;         /* letters and words that told something */
    int best, second;    /* set by decide_by_evidence */
    int lang;            /* decided language, or -1 */
    float conf;
} seg;

typedef struct acc {
    float letters[L__COUNT];
    float conf[L__COUNT]; /* sum of confidence * letters */
} acc;

static void add_weight(float *score, uint32_t langs, float total)
{
    if (!langs)
        return;
    int k = 0;
    for (uint32_t m = langs; m; m &= m - 1)
        k++;
    float w = k == 1 ? total * 1.5f : total / (float)k;
    for (uint32_t m = langs; m; m &= m - 1)
        score[__builtin_ctz(m)] += w;
}

static int parse_hint(const char *hint)
{
    if (!hint || !*hint)
        return -1;
    char p[4] = {0};
    size_t i = 0;
    while (hint[i] && hint[i] != '-' && hint[i] != '_' && i < 3) {
        char c = hint[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        p[i++] = c;
    }
    if (hint[i] && hint[i] != '-' && hint[i] != '_')
        return -1;
    for (int l = 0; l < L_UND; l++)
        if (strcmp(k_tag[l], p) == 0)
            return l;
    return -1;
}

static int lang_script(int l)
{
    if (l == L_RU || l == L_UK || l == L_BE || l == L_BG)
        return SCR_CYRILLIC;
    if (l < N_SCORED)
        return SCR_LATIN;
    return SCR_OTHER;
}

/* Decides a segment from letters, words and the hint alone.  Returns the
 * language (and *conf), or -1 when that evidence is too weak. */
static int decide_by_evidence(seg *g, int hint, float *conf)
{
    const int *cand = g->script == SCR_CYRILLIC ? k_cyr_langs : k_latin_langs;
    size_t nc = g->script == SCR_CYRILLIC ? ARB__ARRAY_LEN(k_cyr_langs)
                                          : ARB__ARRAY_LEN(k_latin_langs);
    float evidence = 0.0f;
    for (size_t i = 0; i < nc; i++)
        evidence += g->score[cand[i]];
    if (hint >= 0 && lang_script(hint) == g->script)
        g->score[hint] += 2.0f;
    int best = -1, second = -1;
    for (size_t i = 0; i < nc; i++) {
        int c = cand[i];
        if (best < 0 || g->score[c] > g->score[best]) {
            second = best;
            best = c;
        } else if (second < 0 || g->score[c] > g->score[second]) {
            second = c;
        }
    }
    g->best = best;
    g->second = second;
    float bs = g->score[best], ss = second >= 0 ? g->score[second] : 0.0f;
    if (g->script == SCR_CYRILLIC && evidence <= 0.0f && bs <= 0.0f &&
        g->letters >= CYR_SILENT_MIN) {
        /* No і ї є ґ and no ы э ё ъ in a long run: Ukrainian shows one of
         * its letters in about 7% of letters, Russian one of its own in
         * about 2.7%, so silence favours Russian by (0.973 / 0.93)^n. */
        float llr = 0.0452f * (float)g->letters;
        float c = 1.0f / (1.0f + expf(-llr));
        *conf = c > 0.85f ? 0.85f : c;
        g->best = L_RU;
        return L_RU;
    }
    if (!(bs >= 2.0f && bs >= 1.5f * ss))
        return -1;
    float margin = (bs - ss) / (bs + ss);
    float c = 0.5f + 0.45f * margin;
    if (bs >= 6.0f)
        c += 0.05f;
    if (c > 0.97f)
        c = 0.97f;
    if (evidence <= 0.0f) /* the hint alone */
        c = 0.7f;
    *conf = c;
    return best;
}

static void credit(acc *a, int lang, float letters, float conf)
{
    a->letters[lang] += letters;
    a->conf[lang] += letters * conf;
}

/* A segment the cheap signals left open: the language the rest of the post
 * shows in the same script, else n-grams if long enough, else a split
 * between the two best candidates at low confidence (capped lower when the
 * n-gram data could not be loaded). */
static void decide_open(arb__langid_scratch *s, const char *text, seg *g, const acc *decided,
                        acc *a)
{
    float L = (float)g->letters;
    const int *cand = g->script == SCR_CYRILLIC ? k_cyr_langs : k_latin_langs;
    size_t nc = g->script == SCR_CYRILLIC ? ARB__ARRAY_LEN(k_cyr_langs)
                                          : ARB__ARRAY_LEN(k_latin_langs);
    int ctx = -1;
    for (size_t i = 0; i < nc; i++)
        if (decided->letters[cand[i]] > 0.0f &&
            (ctx < 0 || decided->letters[cand[i]] > decided->letters[ctx]))
            ctx = cand[i];
    if (ctx >= 0) {
        credit(a, ctx, L, 0.9f * decided->conf[ctx] / decided->letters[ctx]);
        return;
    }
    if (g->letters >= TEXTCAT_MIN_LETTERS) {
        float conf = 0.0f;
        size_t tl = g->tend - g->tstart;
        if (tl > TEXTCAT_MAX_BYTES) { /* cut at a character boundary */
            tl = TEXTCAT_MAX_BYTES;
            while (tl && ((uint8_t)text[g->tstart + tl] & 0xC0) == 0x80)
                tl--;
        }
        int t = textcat_guess(s, text + g->tstart, tl, g->script, &conf);
        if (t >= 0) {
            credit(a, t, L, conf);
            return;
        }
    }
    float cap = (s->state == -1 && g->letters >= TEXTCAT_MIN_LETTERS) ? 0.35f : 0.45f;
    int best = g->best, second = g->second;
    float bs = g->score[best], ss = second >= 0 ? g->score[second] : 0.0f;
    if (bs <= 0.0f) {
        best = g->script == SCR_CYRILLIC ? L_RU : L_EN;
        second = g->script == SCR_CYRILLIC ? L_UK : -1;
        bs = ss = 1.0f;
    }
    if (second >= 0 && ss > 0.0f) {
        float fb = bs / (bs + ss);
        credit(a, best, L * fb, cap);
        credit(a, second, L * (1 - fb), cap - 0.05f);
    } else {
        credit(a, best, L, cap);
    }
}

typedef struct segs {
    seg *v;
    size_t n, cap;
} segs;

static bool segs_push(segs *ss, arb__arena *ar, const seg *g)
{
    if (ss->n == ss->cap) {
        size_t nc = ss->cap ? ss->cap * 2 : 8;
        seg *nv = arb__arena_alloc(ar, nc * sizeof *nv);
        if (!nv)
            return false;
        if (ss->n)
            memcpy(nv, ss->v, ss->n * sizeof *nv);
        ss->v = nv;
        ss->cap = nc;
    }
    ss->v[ss->n++] = *g;
    return true;
}

arb_status arb__langid_detect(const arb__langid *l, arb__langid_scratch *s, arb__arena *ar,
                              const char *text, size_t len, const arb_normalized *norm,
                              const char *hint, arb_lang **langs, size_t *n_langs)
{
    *langs = NULL;
    *n_langs = 0;
    const char *t = norm ? norm->text : text;
    size_t n = norm ? norm->len : len;
    if (!t)
        n = 0;
    int h = parse_hint(hint);
    acc a;
    memset(&a, 0, sizeof a);
    seg g;
    memset(&g, 0, sizeof g);
    segs sv = {0};
    size_t i = 0;
    while (i < n) {
        /* next word: a run of letters (and '*' masks) */
        size_t ws = i;
        int32_t pos = (int32_t)i;
        UChar32 c = dec(t, n, &pos);
        if (c < 0 || !(lid_letter((uint32_t)c))) {
            bool stop = c == '.' || c == '!' || c == '?' || c == ';';
            if (stop && g.letters) {
                if (!segs_push(&sv, ar, &g))
                    return ARB_LIMIT;
                memset(&g, 0, sizeof g);
            }
            i = (size_t)pos;
            continue;
        }
        size_t we = i, wl = 0;
        int wscript = SCR_NONE, wother = L_UND;
        uint32_t wcue[8];
        size_t nwcue = 0;
        const uint8_t *b = (const uint8_t *)t;
        for (;;) {
            /* tight loops for the common letters: ASCII and U+0400..U+047F */
            if (c >= 0 && (((uint32_t)c | 0x20) - 'a') < 26) {
                if (wscript == SCR_NONE)
                    wscript = SCR_LATIN;
                wl++;
                while ((size_t)pos < n && (uint32_t)((b[pos] | 0x20) - 'a') < 26u) {
                    wl++;
                    pos++;
                }
            } else if (c >= 0x400 && c < 0x480) {
                if (wscript == SCR_NONE)
                    wscript = SCR_CYRILLIC;
                for (;;) {
                    wl++;
                    uint32_t ll = l->cyr_cue[c - 0x400];
                    if (ll && nwcue < ARB__ARRAY_LEN(wcue))
                        wcue[nwcue++] = ll;
                    if ((size_t)pos + 1 >= n || (b[pos] != 0xD0 && b[pos] != 0xD1) ||
                        (b[pos + 1] & 0xC0) != 0x80)
                        break;
                    c = ((UChar32)(b[pos] & 0x1F) << 6) | (b[pos + 1] & 0x3F);
                    pos += 2;
                }
            } else if (c < 0x80 && c >= 0) { /* ASCII: a word joiner or the end */
                if (c != '*' && c != '\'')
                    break;
            } else if (c >= 0 && lid_letter((uint32_t)c)) {
                wl++;
                int sc = script_of((uint32_t)c);
                if (wscript == SCR_NONE && sc != SCR_NONE) {
                    wscript = sc;
                    if (sc == SCR_OTHER)
                        wother = other_script_lang((uint32_t)c);
                }
                uint32_t ll = c >= 0xC0 && c < 0x250   ? l->lat_cue[c - 0xC0]
                              : c >= 0x400 && c < 0x500 ? l->cyr_cue[c - 0x400]
                                                        : 0;
                if (ll && nwcue < ARB__ARRAY_LEN(wcue))
                    wcue[nwcue++] = ll;
            } else if (c != 0x2019) {
                break;
            }
            we = (size_t)pos;
            if ((size_t)pos >= n)
                break;
            c = dec(t, n, &pos);
        }
        i = we;
        /* emoji tokens ":knife:" are not words */
        if (ws > 0 && t[ws - 1] == ':' && we < n && t[we] == ':')
            continue;
        if (!wl)
            continue;
        if (wscript == SCR_NONE)
            wscript = SCR_OTHER;
        if (g.letters && (g.script != wscript ||
                          (wscript == SCR_OTHER && g.other_lang != wother))) {
            if (!segs_push(&sv, ar, &g))
                return ARB_LIMIT;
            memset(&g, 0, sizeof g);
        }
        if (!g.letters) {
            g.script = wscript;
            g.other_lang = wother;
            g.tstart = ws;
        }
        g.tend = we;
        g.letters += wl;
        for (size_t k = 0; k < nwcue; k++)
            add_weight(g.score, wcue[k], 2.0f);
        g.cues += nwcue;
        if (wscript != SCR_OTHER) {
            uint32_t sw = stop_langs(l, t + ws, we - ws);
            if (sw) {
                add_weight(g.score, sw, 2.0f);
                g.cues++;
            }
        }
    }
    if (g.letters && !segs_push(&sv, ar, &g))
        return ARB_LIMIT;

    /* first the segments the evidence decides, then the open ones in the
     * light of the rest of the post */
    acc decided;
    memset(&decided, 0, sizeof decided);
    for (size_t k = 0; k < sv.n; k++) {
        seg *q = &sv.v[k];
        q->lang = -1;
        if (q->script == SCR_OTHER) {
            credit(&a, q->other_lang, (float)q->letters, q->other_lang == L_UND ? 0.0f : 0.9f);
            q->lang = q->other_lang;
            continue;
        }
        q->lang = decide_by_evidence(q, h, &q->conf);
        if (q->lang >= 0)
            credit(&decided, q->lang, (float)q->letters, q->conf);
    }
    for (int k = 0; k < L__COUNT; k++) {
        a.letters[k] += decided.letters[k];
        a.conf[k] += decided.conf[k];
    }
    for (size_t k = 0; k < sv.n; k++)
        if (sv.v[k].lang < 0)
            decide_open(s, t, &sv.v[k], &decided, &a);

    float total = 0;
    uint32_t present = 0; /* languages with letters */
    for (int k = 0; k < L__COUNT; k++)
        if (a.letters[k] > 0.0f) {
            total += a.letters[k];
            present |= 1u << k;
        }
    arb_lang *r = arb__arena_calloc(ar, MAX_OUT * sizeof *r);
    if (!r)
        return ARB_LIMIT;
    size_t nr = 0;
    if (total <= 0.0f) {
        if (h >= 0) {
            snprintf(r[0].tag, sizeof r[0].tag, "%s", k_tag[h]);
            r[0].confidence = 0.5f;
            r[0].share = 0.0f;
        } else {
            snprintf(r[0].tag, sizeof r[0].tag, "und");
        }
        *langs = r;
        *n_langs = 1;
        return ARB_OK;
    }
    bool used[L__COUNT] = {0};
    while (nr < MAX_OUT) {
        int best = -1;
        for (uint32_t m = present; m; m &= m - 1) {
            int k = __builtin_ctz(m);
            if (used[k])
                continue;
            if (best < 0 || a.letters[k] > a.letters[best] ||
                (a.letters[k] == a.letters[best] && a.conf[k] > a.conf[best]))
                best = k;
        }
        if (best < 0)
            break;
        used[best] = true;
        arb_lang *o = &r[nr++];
        memcpy(o->tag, k_tag[best], strlen(k_tag[best]) + 1);
        o->share = a.letters[best] / total;
        o->confidence = a.conf[best] / a.letters[best];
    }
    /* A hinted language the letters do not show (transliteration, a post
     * in another script) stays as a low-confidence, zero-share candidate. */
    if (h >= 0 && !used[h] && nr < MAX_OUT) {
        arb_lang *o = &r[nr++];
        snprintf(o->tag, sizeof o->tag, "%s", k_tag[h]);
        o->share = 0.0f;
        o->confidence = 0.3f;
    }
    *langs = r;
    *n_langs = nr;
    return ARB_OK;
}
