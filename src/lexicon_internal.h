/*
 * lexicon_internal.h -- the compiled lexicon as lexicon.c builds it and
 * analyze.c reads it (private to those two files).
 *
 * A lexicon is a table of entries (a trigger such as "kill", a target such
 * as "occupiers", a cue such as "intent", a credibility signal, a modifier)
 * and a table of patterns, each pattern one Vectorscan expression whose id is
 * its index.  A pattern names its entry, the grammatical role of the forms it
 * matches (imperative, infinitive, ...) and the variant that produced it
 * (plain, transliterated, keyboard-swapped).  Everything is immutable after
 * arb__lexicon_compile() returns and is shared by threads.
 */
#ifndef ARB_LEXICON_INTERNAL_H
#define ARB_LEXICON_INTERNAL_H

#include "internal.h"

#include <hs.h>

/* entry kinds */
enum lx_kind {
    LX_TRIGGER = 0, /* violent predicate: kill, die, death_to, beat, ...   */
    LX_TARGET,      /* who is threatened                                   */
    LX_CUE,         /* grammar cue: intent, modal, hope, negation, ...     */
    LX_CRED,        /* credibility signal (ARB_CRED_* bit)                 */
    LX_MOD,         /* modifier context (ARB_MOD_* bit)                    */
    LX_CODED,       /* coded/veiled death formula («груз 200»)              */
    LX__KIND_COUNT
};

/* The kinds whose hits can make a statement: triggers and coded formulas.
 * A post with no such hit has nothing to analyse (see the prefilter). */
static inline bool arb__lx_makes_statement(uint8_t kind)
{
    return kind == LX_TRIGGER || kind == LX_CODED;
}

/* grammatical role of a matched form */
enum lx_role {
    LX_ROLE_WORD = 0, /* no role (targets, cues, signals)                  */
    LX_ROLE_BASE,     /* EN base verb: imperative/infinitive ("kill")       */
    LX_ROLE_IMP,      /* imperative («убей», «zabij»)                       */
    LX_ROLE_INF,      /* infinitive («убить», «zabić»)                      */
    LX_ROLE_FUT1,     /* first-person future («убью», «zabiję»)            */
    LX_ROLE_PAST,     /* past tense / EN past participle ("killed", «убил») */
    LX_ROLE_PAST1,    /* first-person past («zabiłem»)                      */
    LX_ROLE_PART,     /* passive participle («расстреляны», "slain")       */
    LX_ROLE_GER,      /* gerund / -ing form ("killing")                     */
    LX_ROLE_PRES3,    /* third-person present ("dies", "kills")             */
    LX_ROLE_NOUN,     /* noun of death: "death to", «смерть», «смерти»      */
    LX_ROLE_EMOJI,    /* emoji token (":knife:")                             */
    LX__ROLE_COUNT
};

/* cue kinds (entry.sub for LX_CUE) */
enum lx_cue {
    LX_CUE_INTENT = 0, /* "i will", "gonna", «буду», «chcę»                  */
    LX_CUE_MODAL,      /* "should", "must", «надо», «треба», «trzeba»       */
    LX_CUE_ADVOCACY,   /* "deserve(s)", «заслуживает», «zasługuje»           */
    LX_CUE_HOPE,       /* "i hope", "i wish", «чтоб», «щоб», «żeby»          */
    LX_CUE_COND,       /* "if", «если», «якщо», «jeśli»                      */
    LX_CUE_FIRST,      /* first-person subject: "i", «я», «ja»               */
    LX_CUE_NEG,        /* negation: "never", "no one", «не», «nikt»          */
    LX_CUE_QUOTE,      /* reporting of speech: "saying", «призывы»           */
    LX_CUE_CONDEMN,    /* "disgusting", «преступление», «obrzydliwe»         */
    LX_CUE_REPORT,     /* news: "according to", «сообщает»                   */
    LX_CUE_OBJECT,     /* object after an imperative: "them", "all"          */
    LX_CUE_BE,         /* passive auxiliary: "be", "get", «быть»             */
    LX_CUE_APPROVE,    /* after a gerund: "is the right thing", «правильно»  */
    LX_CUE_THREAT,     /* second-person future: "you will", «ты будешь»      */
    LX_CUE_NEGDET,     /* negating determiner before a target: "no", «ни один» */
    LX_CUE_DET,        /* determiner object: "all", "those" -- an object only
                          when no other noun follows ("kill all those X") */
    LX_CUE_CONJ,       /* coordination: "and", "then" ("find X and kill him") */
    LX_CUE_NOTNAME,    /* a capitalized word that names no person: "God",
                          "Monday", "Covid", "Chrome" (analyze.c, proper
                          names) */
    LX__CUE_COUNT
};

/* mod scopes (entry.scope for LX_MOD) */
enum lx_scope {
    LX_SCOPE_OVERLAP = 0, /* the modifier phrase must contain the trigger  */
    LX_SCOPE_SENTENCE,    /* anywhere in the trigger's sentence             */
    LX_SCOPE_POST         /* anywhere in the post                           */
};

/* variants of a pattern (entry forms rewritten at compile time) */
enum lx_variant {
    LX_VAR_PLAIN = 0,
    LX_VAR_TRANSLIT,  /* Latin transliteration of a Cyrillic form */
    LX_VAR_KEYBOARD,  /* ЙЦУКЕН letters typed on a QWERTY layout  */
    LX_VAR_FOLD1      /* Polish first-person future written without
                         diacritics that is also a third-person form
                         («zabiję» -> "zabije", "he will kill"): role PRES3,
                         read as FUT1 only before or after the addressee
                         ("zabije cie") with no other subject */
    ,
    LX_VAR_TYPO       /* a misspelling of a one-word trigger form: two
                         letters swapped, one left out ("klil", "murdr") */
};

/* entry flags */
#define LX_F_INTRANS 0x01u  /* trigger whose subject is the victim ("die") */
#define LX_F_ADJ 0x02u      /* target adjective that qualifies a group noun */
#define LX_F_GROUP 0x04u    /* target noun that takes an affiliation adjective */
#define LX_F_PRONOUN 0x08u  /* target pronoun ("you", "them") */
#define LX_F_SLUR 0x10u     /* target named by a slur */
#define LX_F_FORMULA 0x20u  /* death noun that forms "death to X" with a target */
#define LX_F_PERSON 0x40u   /* trigger whose every sense harms a person: the
                               subject of its passive is a victim ("that
                               doctor should be hanged") */
#define LX_F_NAMED 0x80u    /* trigger that is violent only against a victim
                               named by class ("get rid of X": X a group, a
                               nationality, a person; not "them", not "the
                               party") */
#define LX_F_AREA 0x100u    /* target that is a populated place (a city, a
                               country): its people are the victim only as
                               the object or the passive subject of a verb
                               that destroys a place ("bomb Tehran",
                               «Киев надо разбомбить»), never elsewhere in
                               the sentence ("I was born in Kyiv") */

typedef struct lx_entry {
    uint8_t kind;     /* enum lx_kind */
    uint8_t severity; /* arb_severity, triggers and coded */
    uint8_t cls;      /* arb_target_class, targets */
    uint8_t sub;      /* enum lx_cue for cues; enum lx_scope for mods */
    uint32_t bit;     /* ARB_CRED_* / ARB_MOD_* bit */
    uint32_t flags;   /* LX_F_* */
    char lang[12];
    char affil[4];
    const char *label;  /* never NULL */
    const char *entity; /* targets: registry id, or NULL */
    int8_t stmt;        /* triggers: fixed arb_stmt_type of a formula, or -1 */
} lx_entry;

typedef struct lx_pattern {
    uint32_t entry;   /* index into entries */
    uint8_t role;     /* enum lx_role */
    uint8_t variant;  /* enum lx_variant */
    uint16_t lit_len; /* bytes matched by a literal pattern; 0 for a regex */
    uint8_t approx;   /* 1: a doubled letter of the form was written once */
    const char *regex;  /* as compiled (PCRE-compatible) */
    const char *source; /* file it came from */
    unsigned line, column;
} lx_pattern;

struct arb__lexicon {
    const arb_allocator *a;
    hs_database_t *db;     /* the literal patterns; NULL when there are none */
    /* The regex patterns, scanned after db for the full match (ids are
     * indices into pats), in up to three databases (see arb__lexicon_scan):
     * rx_db holds every regex that lexicon.c can reverse, compiled WITHOUT
     * start-of-match tracking (which made that database ~17x larger: 32 MB
     * against 1.9 MB for 177 regexes); rev_db holds those regexes reversed
     * (code point order) and anchored, which give the leftmost start of a
     * hit of rx_db by a scan backwards from its end; som_db holds the
     * regexes that cannot be reversed, with start-of-match tracking.  Each
     * is NULL when it would be empty. */
    hs_database_t *rx_db;
    hs_database_t *rev_db;
    hs_database_t *som_db;
    /* Stage 1: only the LX_TRIGGER and LX_CODED patterns (ids are indices
     * into pats, as in db), compiled without start-of-match tracking; NULL
     * when there are none.  See arb__lexicon_prefilter(). */
    hs_database_t *trig_db;
    size_t n_trig_pats;
    lx_entry *entries;
    size_t n_entries;
    lx_pattern *pats;
    size_t n_pats;
    size_t cap_entries, cap_pats; /* allocated lengths */
    const char **unmask; /* single-word trigger/target forms, for '*' masks */
    size_t n_unmask, cap_unmask;
    struct lx_pool *pool; /* strings and arrays owned by the lexicon */
    unsigned hunspell_missing; /* bit per language whose dictionary was absent */
    /* the pattern of the `named_person` target entry (entities.yaml), which
     * no scan matches: analyze.c gives its hits to persons named by
     * capitalized words; -1 when the lexicon has none (then no names) */
    long named_pat;
};

/* Sets lx->named_pat (after a compile or a load). */
void arb__lexicon_index(arb__lexicon *lx);

struct arb__lexicon_scratch {
    const arb_allocator *a;
    hs_scratch_t *hs;     /* db, rx_db, som_db, trig_db */
    hs_scratch_t *hs_rev; /* rev_db, scanned from inside rx_db's callback */
    char *rev;            /* the scanned text reversed, for rev_db */
    size_t rev_cap;
};

/* id of the reversed form of pattern i in rev_db for a regex whose last
 * atom is `$`: LX_REV_END | i is that form where `$` holds (the hit ends at
 * the end of the text); plain i, where it does not. */
#define LX_REV_END 0x80000000u

/* The full match: every hit of a literal or regex pattern in t[0..n) is
 * reported to on() with its id (an index into lx->pats), the leftmost start
 * of the match (for a literal: end minus its length) and its end, exactly as
 * one scan of all the patterns with HS_FLAG_SOM_LEFTMOST would, though not
 * in the same order -- except that a regex hit whose end is not a word
 * boundary (!arb__lx_ends_word) is not reported (every caller drops such
 * hits, and finding their start costs a backward scan).  Returns HS_SUCCESS, HS_SCAN_TERMINATED when on()
 * returned non-zero, or a Vectorscan error (HS_NOMEM when the reversed text
 * could not be allocated). */
hs_error_t arb__lexicon_scan(const arb__lexicon *lx, arb__lexicon_scratch *ls, const char *t,
                             size_t n, match_event_handler on, void *ud);

/* Stage 1 of matching: *maybe = false when no trigger or coded form (with
 * word boundaries, as the full scan checks them) occurs in t[0..n), in which
 * case the full database cannot yield a statement and need not be scanned.
 * *maybe = true when one may (always true without a trigger database).
 * ARB_MATCHER on a Vectorscan error. */
arb_status arb__lexicon_prefilter(const arb__lexicon *lx, arb__lexicon_scratch *ls,
                                  const char *t, size_t n, bool *maybe);

/* For external tools (ripgrep baseline, `arbiter lexicon patterns`). */
size_t arb__lexicon_pattern_count(const arb__lexicon *lx);
const char *arb__lexicon_pattern(const arb__lexicon *lx, size_t i);

/* Word characters (letters, digits, mask '*', apostrophe inside words)
 * decoded at byte offset i of s[0..n); *clen gets the char length. */
bool arb__lx_is_word_char(const char *s, size_t n, size_t i, size_t *clen);
/* Same for the character ending just before offset i (i > 0). */
bool arb__lx_word_char_before(const char *s, size_t i);
/* A match [s, e) of s[0..n) keeps word boundaries at its start (no word
 * character on both sides of s) and at its end (likewise at e). */
bool arb__lx_starts_word(const char *t, size_t n, size_t s);
/* [s, e) lies on a word boundary on one side and is glued on the other to
 * an English function word ("murderthat", "todie"): a trigger may match so
 * (HateCheck's spell_space_del). */
bool arb__lx_glued(const char *t, size_t n, size_t s, size_t e);
bool arb__lx_ends_word(const char *t, size_t n, size_t e);

#endif
