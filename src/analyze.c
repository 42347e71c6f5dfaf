/*
 * analyze.c -- statements, targets, credibility signals and modifiers.
 *
 * One Vectorscan scan of the normalized text gives lexicon hits (trigger,
 * target, cue, signal, modifier), each with a grammatical role taken from
 * the form that matched.  A small grammar over those hits, inside sentence
 * and clause boundaries, decides the statement type:
 *   - the form itself: imperative -> call, 1st-person future -> intent,
 *     1st-person past -> admission, noun of death + target -> death_to;
 *   - cues before the trigger in the clause: intent ("i will"), modal
 *     ("should", «надо»), advocacy ("deserve"), hope ("i hope", «чтоб»),
 *     passive auxiliary ("be" + participle), condition ("if") in the sentence;
 *   - position: a clause-initial English base verb with an object, or a
 *     clause-initial infinitive («Убивать всех…», or an infinitive pattern
 *     that holds its object, «Давить их машинами!»), is a command.
 * Targets are the target hits of the trigger's sentence (a nationality
 * adjective merges with the group noun after it: "Russian soldiers");
 * credibility signals are post-wide; modifiers come from cues, quotes,
 * question marks and modifier phrases.
 *
 * Invariants: all output memory comes from the arena (strings otherwise
 * point into the immutable lexicon); every span is mapped to ORIGINAL bytes
 * through norm->orig; more than limits->max_matches raw hits stops the scan
 * and returns ARB_LIMIT (never a silent truncation); an arena allocation
 * failure also returns ARB_LIMIT.
 */
#include "lexicon_internal.h"

#include <stdio.h>
#include <string.h>
#include <unicode/uchar.h>

typedef struct hit {
    uint32_t s, e; /* normalized byte range */
    uint32_t pat;
} hit;

typedef struct scan_ctx {
    const arb__lexicon *lx;
    const char *t;
    size_t n;
    arb__arena *ar;
    hit *h;
    size_t nh, cap, max;
    size_t n_trig; /* trigger and coded hits */
    bool over, nomem;
} scan_ctx;

static int on_match(unsigned id, unsigned long long from, unsigned long long to,
                    unsigned flags, void *ud)
{
    (void)flags;
    scan_ctx *c = ud;
    uint16_t ll = c->lx->pats[id].lit_len;
    size_t s = ll ? (size_t)to - ll : (size_t)from, e = (size_t)to;
    if (e <= s)
        return 0;
    /* word boundaries, where the match starts / ends with a word char; a
     * literal trigger may be glued to a function word ("murderthat") */
    bool glued = ll && c->lx->entries[c->lx->pats[id].entry].kind == LX_TRIGGER &&
                 arb__lx_glued(c->t, c->n, s, e);
    if (!glued && arb__lx_is_word_char(c->t, c->n, s, NULL) && arb__lx_word_char_before(c->t, s))
        return 0;
    if (!glued && e < c->n && arb__lx_word_char_before(c->t, e) &&
        arb__lx_is_word_char(c->t, c->n, e, NULL))
        return 0;
    if (c->nh >= c->max) {
        c->over = true;
        return 1;
    }
    if (c->nh == c->cap) {
        size_t nc = c->cap ? c->cap * 2 : 64;
        hit *nh = arb__arena_alloc(c->ar, nc * sizeof *nh);
        if (!nh) {
            c->nomem = true;
            return 1;
        }
        if (c->nh)
            memcpy(nh, c->h, c->nh * sizeof *nh);
        c->h = nh;
        c->cap = nc;
    }
    c->h[c->nh++] = (hit){(uint32_t)s, (uint32_t)e, id};
    uint8_t k = c->lx->entries[c->lx->pats[id].entry].kind;
    c->n_trig += arb__lx_makes_statement(k);
    return 0;
}

/* ---------------- text structure ---------------- */

typedef struct bound {
    uint32_t pos; /* offset of the boundary character */
    uint8_t level; /* 2 sentence end, 1 clause end */
    char ch;       /* the ASCII terminator, or 0 */
} bound;

typedef struct qspan {
    uint32_t s, e;
} qspan;

typedef struct actx {
    const arb__lexicon *lx;
    const arb_normalized *norm;
    const char *t;
    size_t n;
    arb__arena *ar;
    hit *h;
    size_t nh;
    bound *b;
    size_t nb;
    qspan *q;
    size_t nq;
    const char *lang; /* language of the trigger being analysed */
    const hit *tr;    /* the trigger being analysed, or NULL */
    uint32_t ante_s, ante_e; /* where the groups or places that a quantifier
                                victim stands for are named; empty if none */
    uint32_t tclause;  /* start of the word that opens the threat clause of
                          the trigger being analysed (threat_clause), or
                          UINT32_MAX */
    uint32_t uclause;  /* start of the "until" that opens an outcome
                          clause of the trigger (until_outcome), or
                          UINT32_MAX */
    bool tintent;      /* the threat clause is the speaker's own, under a
                          first-person future: an intent, not a condition */
    uint32_t expl_neg; /* start of a negation that is part of the frame of
                          the trigger being analysed («пока я тебя не
                          избил»: "before I beat you"), or UINT32_MAX */
    bool has_layout;  /* some hit is a keyboard-layout variant */
    const char *src;  /* the original text (for the case of names), or NULL */
    size_t src_len;
} actx;

static uint32_t cp_at(const char *t, size_t n, size_t i, size_t *len)
{
    const unsigned char *u = (const unsigned char *)t + i;
    if (u[0] < 0x80 || i + 1 >= n) {
        *len = 1;
        return u[0];
    }
    if ((u[0] & 0xE0) == 0xC0) {
        *len = 2;
        return ((u[0] & 0x1Fu) << 6) | (u[1] & 0x3Fu);
    }
    if ((u[0] & 0xF0) == 0xE0 && i + 2 < n) {
        *len = 3;
        return ((u[0] & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu);
    }
    if (i + 3 < n) {
        *len = 4;
        return ((u[0] & 0x07u) << 18) | ((u[1] & 0x3Fu) << 12) | ((u[2] & 0x3Fu) << 6) |
               (u[3] & 0x3Fu);
    }
    *len = 1;
    return u[0];
}

/* the byte at i lies inside a word typed on the wrong keyboard layout,
 * where ',' '.' ';' '\'' '[' ']' '`' are the keys of б ю ж э х ъ ё ("z nt,z
 * e,m." is «я тебя убью»): there they are letters, not punctuation */
static bool in_layout_word(const actx *a, size_t i)
{
    for (size_t k = 0; k < a->nh; k++)
        if (a->h[k].s <= i && i < a->h[k].e &&
            a->lx->pats[a->h[k].pat].variant == LX_VAR_KEYBOARD)
            return true;
    return false;
}

static bool structure(actx *a)
{
    size_t capb = 16, capq = 4;
    a->b = arb__arena_alloc(a->ar, capb * sizeof *a->b);
    a->q = arb__arena_alloc(a->ar, capq * sizeof *a->q);
    if (!a->b || !a->q)
        return false;
    a->nb = a->nq = 0;
    int open_kind = 0; /* 0 none, 1 '"', 2 guillemet/curly, 3 single */
    uint32_t open_at = 0;
    for (size_t i = 0; i < a->n;) {
        size_t len;
        uint32_t c = cp_at(a->t, a->n, i, &len);
        uint8_t level = 0;
        if (c == '.' || c == '!' || c == '?' || c == '\n' || c == 0x2026)
            level = 2;
        else if (c == ',' || c == ';' || c == '(' || c == ')' || c == 0x2014 ||
                 c == 0x2013 || c == '"' || c == 0xAB || c == 0xBB || c == 0x201C ||
                 c == 0x201D || c == 0x201E)
            level = 1;
        else if (c == '-' && i > 0 && a->t[i - 1] == ' ' && i + 1 < a->n && a->t[i + 1] == ' ')
            level = 1;
        else if (c == ':' && (i + 1 >= a->n || a->t[i + 1] == ' ' || a->t[i + 1] == '\n'))
            level = 1; /* "my plan: kill them all" (not "3:30") */
        /* '.' between digits or letters ("3.5", "e.g") is not a sentence end */
        if (c == '.' && i + 1 < a->n && a->t[i + 1] != ' ' && a->t[i + 1] != '\n' &&
            a->t[i + 1] != '.' && a->t[i + 1] != '"')
            level = 0;
        bool layout = (level || c == '\'') && a->has_layout && in_layout_word(a, i);
        if (layout)
            level = 0;
        if (level) {
            if (a->nb == capb) {
                bound *nb = arb__arena_alloc(a->ar, capb * 2 * sizeof *nb);
                if (!nb)
                    return false;
                memcpy(nb, a->b, capb * sizeof *nb);
                a->b = nb;
                capb *= 2;
            }
            a->b[a->nb++] = (bound){(uint32_t)i, level, c < 0x80 ? (char)c : 0};
        }
        /* quotations */
        int close_here = 0;
        if (open_kind == 1 && c == '"')
            close_here = 1;
        else if (open_kind == 2 && (c == 0xBB || c == 0x201D || c == 0x201C))
            close_here = 1;
        else if (open_kind == 3 && c == '\'' && (i + 1 >= a->n || !arb__lx_is_word_char(a->t, a->n, i + 1, NULL)))
            close_here = 1;
        if (layout)
            close_here = 0;
        if (close_here) {
            if (a->nq == capq) {
                qspan *nq = arb__arena_alloc(a->ar, capq * 2 * sizeof *nq);
                if (!nq)
                    return false;
                memcpy(nq, a->q, capq * sizeof *nq);
                a->q = nq;
                capq *= 2;
            }
            a->q[a->nq++] = (qspan){open_at, (uint32_t)i};
            open_kind = 0;
        } else if (!open_kind && !layout) {
            if (c == '"')
                open_kind = 1;
            else if (c == 0xAB || c == 0x201C || c == 0x201E)
                open_kind = 2;
            else if (c == '\'' && !arb__lx_word_char_before(a->t, i) && i + 1 < a->n &&
                     arb__lx_is_word_char(a->t, a->n, i + 1, NULL))
                open_kind = 3;
            if (open_kind)
                open_at = (uint32_t)i;
        }
        i += len;
    }
    return true;
}

/* [start, end) of the sentence (level 2) or clause (level 1) around pos */
static void unit_of(const actx *a, uint32_t pos, int level, uint32_t *s, uint32_t *e,
                    char *term)
{
    *s = 0;
    *e = (uint32_t)a->n;
    if (term)
        *term = 0;
    for (size_t i = 0; i < a->nb; i++) {
        if (a->b[i].level < level)
            continue;
        if (a->b[i].pos < pos) {
            *s = a->b[i].pos + 1;
        } else {
            *e = a->b[i].pos;
            if (term)
                *term = a->b[i].ch;
            /* a run of terminators ("?!") counts as one; report '?' if any */
            if (term && level == 2) {
                size_t j = i;
                while (j < a->nb && a->b[j].level == 2 && a->b[j].pos <= *e + 3) {
                    if (a->b[j].ch == '?')
                        *term = '?';
                    j++;
                }
            }
            break;
        }
    }
}

static size_t count_words(const actx *a, uint32_t from, uint32_t to)
{
    size_t n = 0;
    bool in = false;
    for (size_t i = from; i < to && i < a->n;) {
        size_t len;
        bool w = arb__lx_is_word_char(a->t, a->n, i, &len);
        if (w && !in)
            n++;
        in = w;
        i += len ? len : 1;
    }
    return n;
}

static const lx_entry *hent(const actx *a, const hit *h)
{
    return &a->lx->entries[a->lx->pats[h->pat].entry];
}
static uint8_t hrole(const actx *a, const hit *h) { return a->lx->pats[h->pat].role; }

static bool shared_lang(const char *l) { return !l[0] || !strcmp(l, "und"); }

/* cues and pronouns are grammar words of one language: they count only for
 * a trigger of the same language (or a language-neutral one) */
static bool lang_ok(const actx *a, const lx_entry *e)
{
    if (!a->lang || shared_lang(a->lang) || shared_lang(e->lang))
        return true;
    return strcmp(a->lang, e->lang) == 0;
}

static bool labelled(const lx_entry *e, const char *label);

/* a cue hit inside a longer cue of another kind ("can't" in "can't wait to") */
static bool shadowed(const actx *a, const hit *h)
{
    const lx_entry *e = hent(a, h);
    for (size_t i = 0; i < a->nh; i++) {
        const hit *o = &a->h[i];
        const lx_entry *oe = hent(a, o);
        if (o == h || oe->kind != LX_CUE || oe->sub == e->sub)
            continue;
        /* a fixed phrase hides the words inside it ("can't" in "can't wait
         * to"); a regex frame with free slots does not hide a negation in a
         * slot ("not" in "i am not going to"); a welcome frame is built on
         * its negation ("i wouldn't care one bit if", "won't shed a single
         * tear"): the negation is the frame, not a slot */
        if (e->sub == LX_CUE_NEG && a->lx->pats[o->pat].lit_len == 0 && !labelled(oe, "welcome"))
            continue;
        if (o->s <= h->s && o->e >= h->e && (o->e - o->s) > (h->e - h->s))
            return true;
    }
    return false;
}

static bool labelled(const lx_entry *e, const char *label)
{
    return !strcmp(e->label, label);
}

/* a third-person future ("is gonna", "will") counts as a threat only before
 * a phrase that names the harm through a body part or a weapon; cue_before
 * never returns it, future_before does */
#define FUTURE3 "future3"

/* a negation at most two words after a cue labelled rhetorical, in its
 * clause, is part of that frame: «почему бы тебе не повеситься», «чому б
 * тобі не ...», "why not just ..." */
static bool rhetorical_neg(const actx *a, const hit *n)
{
    for (size_t i = 0; i < a->nh; i++) {
        const hit *h = &a->h[i];
        const lx_entry *e = hent(a, h);
        /* (also regret that no one did it: «жаль, что никто его не
         * грохнул», "too bad nobody shot him" -- a wish, the negation
         * inside the cue or right after it) */
        bool regret = e->kind == LX_CUE && labelled(e, "regret");
        if (regret && n->s >= h->s && n->e <= h->e && lang_ok(a, e))
            return true;
        if (e->kind != LX_CUE || !(labelled(e, "rhetorical") || regret) || h->e > n->s ||
            !lang_ok(a, e) || count_words(a, h->e, n->s) > 2)
            continue;
        bool cut = false; /* a clause end between */
        for (uint32_t p = h->e; p < n->s && !cut; p++)
            cut = a->t[p] == ',' || a->t[p] == ';' || a->t[p] == '.' || a->t[p] == '!' ||
                  a->t[p] == '?';
        if (!cut)
            return true;
    }
    return false;
}

static bool word_at(const actx *a, uint32_t pos, uint32_t to, uint32_t *ws, uint32_t *we);
static bool word_is(const actx *a, uint32_t ws, uint32_t we, const char *const *list);

/* The optative "may" (a hope cue labelled optative) opens its clause and
 * has a subject after it: "May Putin go the way of Gaddafi", "May they all
 * rot", "May he burn in hell".  "He may die of his injuries", "They may
 * kill us all" (a possibility: "may" after its subject), "May is a vile
 * globalist" (a name before a verb), "May 9" (a date) are none. */
static bool optative_at(const actx *a, const hit *h)
{
    static const char *const no_subject[] = {
        "is", "was", "has", "had", "be", "been", "should", "must", "will", "would", "can",
        "could", "did", "does", "do", "and", "or", "of", "to", "in", "on", "at", "for",
        "said", "says", "wants", "needs", "i", "we", "you", NULL};
    uint32_t cs, ce, ws, we;
    unit_of(a, h->s, 1, &cs, &ce, NULL);
    if (word_at(a, cs, h->s, &ws, &we))
        return false;
    if (!word_at(a, h->e, ce, &ws, &we) || word_is(a, ws, we, no_subject))
        return false;
    return !(a->t[ws] >= '0' && a->t[ws] <= '9');
}

/* nearest cue of kind `cue` ending at or before `pos`, starting at or after
 * `from`, with at most `maxw` words between; -1 if none */
static long cue_before(const actx *a, int cue, uint32_t from, uint32_t pos, size_t maxw)
{
    long best = -1;
    for (size_t i = 0; i < a->nh; i++) {
        const hit *h = &a->h[i];
        const lx_entry *e = hent(a, h);
        if (e->kind != LX_CUE || e->sub != cue || h->s < from || h->e > pos)
            continue;
        if (cue == LX_CUE_THREAT && labelled(e, FUTURE3))
            continue;
        /* "stop" negates only the verb right after it ("time to stop killing
         * X"; not "stop them and kill them") */
        if (cue == LX_CUE_NEG && labelled(e, "cessation") && count_words(a, h->e, pos) > 1)
            continue;
        /* the expletive «не» of «пока я тебя не избил», and a negation
         * that belongs to a rhetorical frame before it («почему бы тебе не
         * ...», "why don't you ...") negate nothing */
        if (cue == LX_CUE_NEG &&
            (h->s == a->expl_neg || (!labelled(e, "cessation") && rhetorical_neg(a, h))))
            continue;
        if (!lang_ok(a, e) || count_words(a, h->e, pos) > maxw || shadowed(a, h))
            continue;
        if (cue == LX_CUE_HOPE && labelled(e, "optative") && !optative_at(a, h))
            continue;
        if (best < 0 || h->e > a->h[best].e)
            best = (long)i;
    }
    return best;
}

/* a third-person future cue ending at most `maxw` words before `pos`, with
 * a subject before it in the clause ("the next guy is gonna get ..."); -1 if
 * none */
static long future_before(const actx *a, uint32_t cs, uint32_t pos, size_t maxw)
{
    for (size_t i = 0; i < a->nh; i++) {
        const hit *h = &a->h[i];
        const lx_entry *e = hent(a, h);
        if (e->kind != LX_CUE || e->sub != LX_CUE_THREAT || !labelled(e, FUTURE3) ||
            h->s < cs || h->e > pos || !lang_ok(a, e))
            continue;
        if (count_words(a, h->e, pos) <= maxw && count_words(a, cs, h->s) > 0)
            return (long)i;
    }
    return -1;
}

/* a question built on a call ("isn't it time to start hanging X?", "who
 * wants to ...?", «не пора ли ...?», «czy nie czas ...?»): a cue labelled
 * rhetorical in the sentence, at most 12 words before the trigger ("am i
 * wrong to think that those kinds of X ought to be executed?") */
static bool rhetorical_before(const actx *a, uint32_t ss, uint32_t pos)
{
    for (size_t i = 0; i < a->nh; i++) {
        const hit *h = &a->h[i];
        const lx_entry *e = hent(a, h);
        if (e->kind == LX_CUE && (labelled(e, "rhetorical") || labelled(e, "bet")) &&
            h->s >= ss && h->s < pos &&
            lang_ok(a, e) && (h->e > pos || count_words(a, h->e, pos) <= 12))
            return true;
    }
    return false;
}

/* the hope cue that starts at pos is one of harm welcomed or bet on ("I'd
 * pop champagne if", «не буду плакать, если», "wanna bet"): the speaker
 * wishes the harm without asking for it, a hope of at most mid severity */
static bool welcome_at(const actx *a, uint32_t pos)
{
    for (size_t i = 0; i < a->nh; i++) {
        const lx_entry *e = hent(a, &a->h[i]);
        if (a->h[i].s == pos && e->kind == LX_CUE && e->sub == LX_CUE_HOPE &&
            (labelled(e, "welcome") || labelled(e, "bet")))
            return true;
    }
    return false;
}

static long cue_after(const actx *a, int cue, uint32_t pos, uint32_t to, size_t maxw)
{
    for (size_t i = 0; i < a->nh; i++) {
        const hit *h = &a->h[i];
        const lx_entry *e = hent(a, h);
        if (e->kind != LX_CUE || e->sub != cue || h->s < pos || h->e > to || !lang_ok(a, e))
            continue;
        if (count_words(a, pos, h->s) <= maxw)
            return (long)i;
    }
    return -1;
}

/* an object right after the verb, within maxw words: an object word ("them
 * all", "everyone", «всех»), or a determiner ("all", "those") that ends the
 * clause or is followed by a target, an object word or another determiner
 * ("kill all those X" -- but not "hang all these pictures"); -1 if none */
static long object_after(const actx *a, uint32_t pos, uint32_t to, size_t maxw)
{
    long c = cue_after(a, LX_CUE_OBJECT, pos, to, maxw);
    if (c >= 0)
        return c;
    for (size_t i = 0; i < a->nh; i++) {
        const hit *h = &a->h[i];
        const lx_entry *e = hent(a, h);
        if (e->kind != LX_CUE || e->sub != LX_CUE_DET || h->s < pos || h->e > to ||
            !lang_ok(a, e) || count_words(a, pos, h->s) > maxw)
            continue;
        /* follow the chain of determiners to the noun */
        uint32_t p = h->e;
        for (int guard = 0; guard < 8; guard++) {
            uint32_t cs, ce;
            unit_of(a, p, 1, &cs, &ce, NULL);
            if (ce > to)
                ce = to;
            if (count_words(a, p, ce) == 0)
                return (long)i;
            bool next = false;
            for (size_t j = 0; j < a->nh; j++) {
                const hit *g = &a->h[j];
                const lx_entry *ge = hent(a, g);
                if (g->s < p || count_words(a, p, g->s) > 0)
                    continue;
                if (ge->kind == LX_TARGET || (ge->kind == LX_CUE && ge->sub == LX_CUE_OBJECT))
                    return (long)i;
                if (ge->kind == LX_CUE && ge->sub == LX_CUE_DET && g->e > p) {
                    p = g->e;
                    next = true;
                    break;
                }
            }
            if (!next)
                break;
        }
    }
    return -1;
}

/* a target word inside a credibility phrase («у тебя дома», "at your
 * house") names a place, not a victim */
static bool in_cred(const actx *a, const hit *h)
{
    /* (a city is both a location and, as a populated place, its people:
     * a signal on exactly its span does not hide it) */
    bool area = (hent(a, h)->flags & LX_F_AREA) != 0;
    for (size_t i = 0; i < a->nh; i++) {
        const hit *o = &a->h[i];
        if (o->s <= h->s && o->e >= h->e && o != h && hent(a, o)->kind == LX_CRED &&
            (!area || o->e - o->s > h->e - h->s))
            return true;
    }
    return false;
}

/* A populated place (a target flagged area: "Tehran", «Киев», «Moskwę»)
 * names its people as the victim only of a verb that destroys a place
 * (bomb, burn, destroy, kill -- "wipe out", «уничтожить» --, raze), and
 * only as its object -- inside the trigger phrase («сбросить ядерку на
 * Киев») or at most three words after it ("nuke the whole of Moscow") --
 * or before it in its clause as a passive subject or a fronted object
 * ("Israel should be destroyed", «Киев надо разбомбить»).  "I was born in
 * Kyiv, kill me now", "beat Poland 3-0" name no place victim.  Any other
 * target is always eligible. */
static bool word_at(const actx *a, uint32_t pos, uint32_t to, uint32_t *ws, uint32_t *we);
static bool word_is(const actx *a, uint32_t ws, uint32_t we, const char *const *list);
static long word_prefix(const actx *a, uint32_t ws, uint32_t we, const char *const *list);
static bool ends_with(const actx *a, uint32_t ws, uint32_t we, const char *suf);
static size_t words_back(const actx *a, uint32_t from, uint32_t to, uint32_t *ws, uint32_t *we,
                         size_t cap);

/* the sentence around pos speaks of sport or of economic pressure ("we'll
 * hit Warsaw in the cup final", «ударить по Москве санкциями», «uderzyć w
 * Rosję sankcjami»): a place named there is a team or a state, not people */
static bool figurative_place(const actx *a, uint32_t pos)
{
    static const char *const exact[] = {
        "final", "finals", "cup", "tournament", "match", "game", "playoffs", "playoff",
        "league", "derby", "mecz", "meczu", "meczem", NULL};
    static const char *const stems[] = {
        "sanction", "tariff", "embargo", "санкци", "санкці", "пошлин", "эмбарго", "ембарго",
        "тариф", "мита", "sankcj", "embarg", "taryf", "cłami", "финал", "фінал", "кубк",
        "кубок", "матч", "турнир", "турнір", "finał", "finale", "puchar", "turniej", NULL};
    uint32_t ss, se;
    unit_of(a, pos, 2, &ss, &se, NULL);
    for (uint32_t p = ss, ws, we; word_at(a, p, se, &ws, &we); p = we) {
        if (word_is(a, ws, we, exact) || word_prefix(a, ws, we, stems) >= 0)
            return true;
    }
    return false;
}

static bool area_ok(const actx *a, const hit *h)
{
    static const char *const verbs[] = {"bomb", "burn", "destroy", "kill", "raze", "shell",
                                        NULL};
    if (!(hent(a, h)->flags & LX_F_AREA))
        return true;
    const hit *tr = a->tr;
    if (!tr)
        return false;
    const lx_entry *te = hent(a, tr);
    bool destroys = false;
    for (size_t k = 0; verbs[k] && !destroys; k++)
        destroys = labelled(te, verbs[k]);
    if (!destroys || figurative_place(a, tr->s))
        return false;
    uint32_t cs, ce;
    unit_of(a, tr->s, 1, &cs, &ce, NULL);
    if (h->s < cs || h->e > ce)
        return false;
    if (h->s >= tr->s && h->e <= tr->e)
        return true;
    /* ("destroy" as the object's verb is mostly political: "they want to
     * destroy America"; only its passive names the people: "Israel
     * should be destroyed") */
    /* after it, only words of extent or of aim between ("nuke the whole of
     * Moscow", «сбросить ядерку на Киев», «ударить по Киеву»); not a
     * locative ("kill Russian soldiers in Ukraine" names no place victim) */
    static const char *const between[] = {
        "the", "whole", "entire", "all", "of", "out", "hell", "shit", "crap", "living",
        "на", "по", "весь", "всю", "всё", "все", "целый", "целую", "цілий", "цілу",
        "na", "po", "cały", "całą", "całe", "calą", "cala", "caly", NULL};
    if (h->s >= tr->e) {
        if (labelled(te, "destroy") || count_words(a, tr->e, h->s) > 3)
            return false;
        for (uint32_t p = tr->e, ws, we; word_at(a, p, h->s, &ws, &we); p = we)
            if (!word_is(a, ws, we, between))
                return false;
        return true;
    }
    if (h->e > tr->s)
        return false;
    /* before it, only a modal, a passive auxiliary or advocacy between
     * ("Israel should be destroyed"; not "Kyiv and I will kill ...") */
    for (uint32_t p = h->e, ws, we; word_at(a, p, tr->s, &ws, &we); p = we) {
        bool cue = false;
        for (size_t i = 0; i < a->nh && !cue; i++) {
            const lx_entry *e = hent(a, &a->h[i]);
            cue = e->kind == LX_CUE && a->h[i].s <= ws && a->h[i].e >= we &&
                  (e->sub == LX_CUE_MODAL || e->sub == LX_CUE_BE || e->sub == LX_CUE_ADVOCACY);
        }
        if (!cue)
            return false;
    }
    return true;
}

static long target_near(const actx *a, uint32_t from, uint32_t to)
{
    for (size_t i = 0; i < a->nh; i++) {
        const hit *h = &a->h[i];
        const lx_entry *e = hent(a, h);
        if (e->kind == LX_TARGET && h->s >= from && h->e <= to &&
            (!(e->flags & LX_F_PRONOUN) || lang_ok(a, e)) && !in_cred(a, h) && area_ok(a, h))
            return (long)i;
    }
    return -1;
}

/* A target of unknown class that names a group of people: a noun flagged
 * group ("traitors", "leftists", «предатели», «зрадники», «zdrajcy», "these
 * people"), but not a collective that is an institution ("the government",
 * "congress", "the media") nor an insult that is literally an animal or
 * dirt ("the rats", "vermin", «паразиты», «pasożyty»): "thin out the rats
 * in the barn" is pest control. */
static bool person_group(const actx *a, const hit *h)
{
    static const char *const not_people[] = {
        "the left", "the right", "the media", "the government", "congress", "the establishment",
        "the elites", "elite", "vermin", "animal", "parasit", "rat", "cockroach", "beast",
        "filth", "mongrel", "паразит", "гнид", "скот", "тварь", "твар", "pasożyt", "pasozyt",
        NULL};
    const lx_entry *e = hent(a, h);
    if (e->kind != LX_TARGET || e->cls != ARB_TARGET_UNKNOWN || !(e->flags & LX_F_GROUP) ||
        (e->flags & (LX_F_PRONOUN | LX_F_AREA)))
        return false;
    /* a prefix of the matched form ("rats", «паразитов»); "rat" is only
     * "rat" or "rats" */
    long k = word_prefix(a, h->s, h->e, not_people);
    return k < 0 || (!strcmp(not_people[k], "rat") && h->e - h->s > 4);
}

/* the trigger being analysed exterminates whoever it names ("thin out",
 * "double tap", «проредить», «przetrzebić»: severity high); a milder verb
 * that needs a named victim ("get rid of", "do away with") is mostly
 * political against a group by politics ("we must get rid of the
 * communists": vote them out) and takes only a class */
static bool exterminates(const actx *a)
{
    return a->tr && hent(a, a->tr)->severity >= ARB_SEV_HIGH;
}

/* A group of people is the object of the trigger being analysed only in
 * its clause, with no condition between ("Double tap if you hate
 * liberals" is a request for a like), as the head of its noun phrase: not
 * a possessor ("the liberals' posts") nor, in English, a noun used as a
 * modifier of the word after it ("the leftist books"). */
static bool group_object(const actx *a, const hit *h)
{
    static const char *const follow[] = {
        "in", "on", "at", "of", "from", "and", "or", "now", "who", "that", "which", "there",
        "here", "first", "already", "today", "tonight", "out", "too", "all", "with", "before",
        "after", "like", "for", "by", "once", "please", "asap", "off", "up", "until", "till",
        "so", "because", "but", "then", "again", "everywhere", "wherever", "while", "when",
        "as", "one", "among", "amongst", "inside", NULL};
    const hit *tr = a->tr;
    uint32_t cs, ce;
    unit_of(a, tr->s, 1, &cs, &ce, NULL);
    if (h->s < cs || h->e > ce)
        return false;
    uint32_t lo = h->s < tr->s ? h->e : tr->e, hi = h->s < tr->s ? tr->s : h->s;
    if (cue_before(a, LX_CUE_COND, lo, hi, 12) >= 0)
        return false;
    if (h->e < a->n && (a->t[h->e] == '\'' ||
                        (h->e + 2 < a->n && !memcmp(a->t + h->e, "\xE2\x80\x99", 3))))
        return false;
    uint32_t ws, we;
    if (!strcmp(hent(a, h)->lang, "en") && word_at(a, h->e, ce, &ws, &we) &&
        count_words(a, h->e, ws) == 0 && !word_is(a, ws, we, follow))
        return false;
    return true;
}

/* a target of a known class, or a group of people after a verb that
 * exterminates, not a pronoun, in [from, to) */
static bool named_victim(const actx *a, uint32_t from, uint32_t to)
{
    for (size_t i = 0; i < a->nh; i++) {
        const hit *h = &a->h[i];
        const lx_entry *e = hent(a, h);
        if (e->kind == LX_TARGET && h->s >= from && h->e <= to && !(e->flags & LX_F_PRONOUN) &&
            (e->cls != ARB_TARGET_UNKNOWN ||
             (exterminates(a) && person_group(a, h) && group_object(a, h))) &&
            !in_cred(a, h) &&
            area_ok(a, h))
            return true;
    }
    return false;
}

/* the word starting at or after `pos`: [*ws, *we); false if none before `to` */
static bool word_at(const actx *a, uint32_t pos, uint32_t to, uint32_t *ws, uint32_t *we)
{
    uint32_t i = pos;
    while (i < to && !arb__lx_is_word_char(a->t, a->n, i, NULL))
        i++;
    if (i >= to)
        return false;
    *ws = i;
    size_t len;
    while (i < to && arb__lx_is_word_char(a->t, a->n, i, &len))
        i += len ? (uint32_t)len : 1;
    *we = i;
    return true;
}

static bool word_is(const actx *a, uint32_t ws, uint32_t we, const char *const *list)
{
    if (we <= ws)
        return false;
    char c0 = a->t[ws];
    size_t n = we - ws;
    for (size_t k = 0; list[k]; k++) /* (the first byte first: most words differ there) */
        if (list[k][0] == c0 && !strncmp(list[k], a->t + ws, n) && list[k][n] == 0)
            return true;
    return false;
}

/* the last word in [from, to) is one of `list` */
static bool last_word_is(const actx *a, uint32_t from, uint32_t to, const char *const *list)
{
    uint32_t lws = 0, lwe = 0;
    for (uint32_t p = from, ws, we; word_at(a, p, to, &ws, &we); p = we)
        lws = ws, lwe = we;
    return lwe > lws && word_is(a, lws, lwe, list);
}

/* index of the first entry of list that [ws, we) starts with (a stem:
 * "sanction" for "sanctions", «санкци» for «санкциями»), or -1 */
static long word_prefix(const actx *a, uint32_t ws, uint32_t we, const char *const *list)
{
    for (size_t k = 0; list[k]; k++) {
        size_t l = strlen(list[k]);
        if (we - ws >= l && !memcmp(a->t + ws, list[k], l))
            return (long)k;
    }
    return -1;
}

/* an English adverb of manner that may open an imperative ("publicly hang
 * X", "just nuke them"); not a discourse adverb that continues a narrative
 * with an elided subject ("then kill our ...", "actually kill a ...") */
static bool adverb_word(const actx *a, uint32_t ws, uint32_t we)
{
    static const char *const adv[] = {"just", "now", "simply", "immediately", "publicly",
                                      "slowly", "painfully", "brutally", "quickly", "mercilessly",
                                      "ruthlessly", "systematically", "openly", NULL};
    return word_is(a, ws, we, adv);
}

/* an English verb that opens its clause, with only adverbs of manner
 * before it ("just die already"), followed by an adverb of time or manner
 * ("die soon", "die slowly") */
static bool bare_imperative(const actx *a, uint32_t cs, uint32_t ts, uint32_t te)
{
    static const char *const after[] = {"soon", "already", "now", "slowly", "painfully",
                                        "horribly", "alone", "screaming", "quickly", "asap",
                                        "today", "tonight", NULL};
    for (uint32_t p = cs, ws, we; word_at(a, p, ts, &ws, &we); p = we)
        if (!adverb_word(a, ws, we))
            return false;
    uint32_t ws, we;
    return word_at(a, te, (uint32_t)a->n, &ws, &we) && ws == te + 1 && a->t[te] == ' ' &&
           word_is(a, ws, we, after);
}

/* the words between clause start and `pos` are all targets/objects/cues
 * (or adverbs: "publicly hang X") */
static bool clause_initial(const actx *a, uint32_t cs, uint32_t pos)
{
    size_t words = count_words(a, cs, pos);
    if (!words)
        return true;
    /* only adverbs before the verb: an imperative ("publicly hang X"), not
     * a subject ("democrats literally attack ...") */
    size_t adverbs = 0;
    for (uint32_t p = cs, ws, we; word_at(a, p, pos, &ws, &we); p = we)
        adverbs += adverb_word(a, ws, we);
    if (adverbs == words)
        return true;
    /* (a restrictive adverb between a fronted victim and the command:
     * «Русских солдат только убивать», «Zdrajców tylko wieszać») */
    static const char *const only[] = {"только", "лишь", "просто", "сразу", "тільки", "лише",
                                       "просто", "одразу", "відразу", "tylko", "wyłącznie",
                                       "od", "razu", "po", "prostu", "just", "only", NULL};
    size_t covered = 0;
    for (uint32_t p = cs, ws, we; word_at(a, p, pos, &ws, &we); p = we)
        covered += word_is(a, ws, we, only);
    if (covered == words)
        covered = 0; /* (nothing but such adverbs: no fronted victim) */
    uint32_t last = cs;
    for (size_t i = 0; i < a->nh; i++) {
        const hit *h = &a->h[i];
        const lx_entry *e = hent(a, h);
        if (h->s < last || h->e > pos)
            continue;
        /* (a pronoun of another language is no subject here: Polish "was"
         * in "he was shot") */
        if ((e->kind == LX_TARGET && (!(e->flags & LX_F_PRONOUN) || lang_ok(a, e))) ||
            (e->kind == LX_CUE && (e->sub == LX_CUE_OBJECT || e->sub == LX_CUE_DET))) {
            covered += count_words(a, h->s, h->e);
            last = h->e;
        }
    }
    return covered >= words;
}

/* the clause [cs, end) opens with a word no lexicon entry claims (an
 * imperative verb such as "round up", "find"), not with a subject (a
 * target, a pronoun, a first-person or other grammar cue) */
static bool imperative_start(const actx *a, uint32_t cs, uint32_t end)
{
    size_t words = count_words(a, cs, end);
    if (!words || words > 16)
        return false;
    uint32_t first_end = cs;
    while (first_end < end && !arb__lx_is_word_char(a->t, a->n, first_end, NULL))
        first_end++;
    uint32_t first_start = first_end;
    while (first_end < end && arb__lx_is_word_char(a->t, a->n, first_end, NULL))
        first_end++;
    /* a long first conjunct must open with verb + object ("throw every one of
     * the traitor judges off the bench and hang them"), not with a name
     * ("David Copperfield trafficked ... & then charged men to ... rape them") */
    if (words > 12) {
        bool object = false;
        for (size_t i = 0; i < a->nh && !object; i++) {
            const lx_entry *e = hent(a, &a->h[i]);
            object = a->h[i].s >= first_end && count_words(a, first_end, a->h[i].s) == 0 &&
                     e->kind == LX_CUE && (e->sub == LX_CUE_DET || e->sub == LX_CUE_OBJECT);
        }
        if (!object)
            return false;
    }
    for (size_t i = 0; i < a->nh; i++) {
        const hit *h = &a->h[i];
        const lx_entry *e = hent(a, h);
        if (h->s <= first_start && h->e > first_start)
            return false;
        /* "now they come out and attack": a subject pronoun among the first
         * two words (an object pronoun is the verb's object: "find him and
         * kill him", "round them up and hang them") */
        static const char *const obj[] = {"him", "her", "them", "em", "'em", "us", "me", NULL};
        if (e->kind == LX_TARGET && (e->flags & LX_F_PRONOUN) && h->s >= cs && h->e <= end &&
            count_words(a, cs, h->s) <= 1 && !word_is(a, h->s, h->e, obj))
            return false;
    }
    return true;
}

/* A verb in a list of verb phrases that share one frame: "Somebody should
 * grab him, tie him up and hang him", "I'm going to find, beat and kill
 * him", "I'd love to find, beat and bury that traitor", «Надо найти,
 * избить и повесить его», «Trzeba go znaleźć, pobić i powiesić».  The
 * trigger's clause [cs, ...) follows a comma; walking back over commas,
 * each earlier clause is a short verb phrase (at most four words, opening
 * with no subject: a pronoun, a target or a first-person cue), up to the
 * clause that holds an intent, modal or hope cue ending at most three
 * words before its comma (the frame governs the first verb of the list).
 * Returns the start of that clause, or cs when the trigger is in no such
 * list ("I'll be there at noon, they killed him" has a subject in the
 * trigger's clause; the caller asks for the verb's own position).  A list
 * that opens the sentence with an imperative naming its victim ("Find him,
 * beat him and kill him": a first word no entry claims, a target or object
 * in that clause) has no cue: *imp is set and the start of the sentence
 * returned. */
static uint32_t list_frame(const actx *a, uint32_t cs, uint32_t ss, bool *imp)
{
    *imp = false;
    static const int frames[] = {LX_CUE_INTENT, LX_CUE_MODAL, LX_CUE_HOPE};
    static const char *const subj[] = {
        "i", "we", "he", "she", "it", "they", "you", "there", "this", "that", "я", "мы", "ты",
        "он", "она", "они", "ми", "ти", "він", "вона", "вони", "ja", "my", "ty", "on", "ona",
        "oni", NULL};
    uint32_t p = cs;
    for (int hop = 0; hop < 4 && p > ss + 1 && a->t[p - 1] == ','; hop++) {
        uint32_t pcs, pce;
        unit_of(a, p - 1, 1, &pcs, &pce, NULL);
        if (pcs < ss)
            pcs = ss;
        for (size_t k = 0; k < ARB__ARRAY_LEN(frames); k++) {
            long c = cue_before(a, frames[k], pcs, pce, 3);
            if (c >= 0 && !labelled(hent(a, &a->h[c]), FUTURE3))
                return pcs;
        }
        size_t words = count_words(a, pcs, pce);
        uint32_t ws, we;
        if (!words || words > 4 || !word_at(a, pcs, pce, &ws, &we) || word_is(a, ws, we, subj))
            return cs;
        for (size_t i = 0; i < a->nh; i++) {
            const lx_entry *e = hent(a, &a->h[i]);
            if (a->h[i].s <= ws && a->h[i].e > ws && ((e->kind == LX_TARGET && !(e->flags & LX_F_PRONOUN)) ||
                 (lang_ok(a, e) &&
                  (e->kind == LX_TARGET || (e->kind == LX_CUE && e->sub == LX_CUE_FIRST)))))
                return cs;
        }
        p = pcs;
        /* (the opening imperative names the victim: "Find him, ...";
         * not "Feign disorder, and crush him", "Riots, arson, ...") */
        if (pcs == ss && imperative_start(a, pcs, pce) &&
            (target_near(a, pcs, pce) >= 0 || cue_after(a, LX_CUE_OBJECT, pcs, pce, 4) >= 0)) {
            *imp = true;
            return pcs;
        }
    }
    return cs;
}

static arb_span map_span(const arb_normalized *norm, uint32_t a, uint32_t b)
{
    if (!norm->orig || a >= b || b > norm->len)
        return (arb_span){a, b};
    return (arb_span){norm->orig[a].start, norm->orig[b - 1].end};
}

/* the word right after `pos` is "by": the agent of a passive ("shot by
 * police", "will be attacked by the left") */
static bool agent_after(const actx *a, uint32_t pos, uint32_t to)
{
    static const char *const by[] = {"by", NULL};
    uint32_t ws, we;
    return word_at(a, pos, to, &ws, &we) && count_words(a, pos, ws) == 0 && word_is(a, ws, we, by);
}

/* A victim of an agentless future ("you'll be shot", "those traitors are
 * going to be hanged", «Тебя зарежут»): in [from, to), the addressee (a
 * pronoun labelled "you") or a target that names a person or a group (a
 * known class, or a group of people), never "he", "them" or a generic
 * "everyone"; -1 if none */
static long future_victim(const actx *a, uint32_t from, uint32_t to)
{
    for (size_t i = 0; i < a->nh; i++) {
        const hit *h = &a->h[i];
        const lx_entry *e = hent(a, h);
        if (e->kind != LX_TARGET || h->s < from || h->e > to || in_cred(a, h) || !area_ok(a, h))
            continue;
        /* (the speaker's own group is feared for, not threatened: "we
         * whites will be hunted down and killed", "our people will be
         * slaughtered", «нас всех перебьют») */
        {
            static const char *const own[] = {"we", "us", "our", "ourselves", "мы", "нас",
                                              "наши", "наших", "ми", "наші", "nasi",
                                              "nas", NULL};
            uint32_t bw[1] = {0}, be_[1] = {0};
            if (words_back(a, from, h->s, bw, be_, 1) == 1 && word_is(a, bw[0], be_[0], own))
                continue;
        }
        if (e->flags & LX_F_PRONOUN) {
            if (lang_ok(a, e) && labelled(e, "you"))
                return (long)i;
            continue;
        }
        /* (civilians are the casualties that forecasts count: "many
         * civilians will be killed in this war"; a violent actor's
         * punishment is news: "the murderer will be executed on Thursday") */
        if ((e->cls != ARB_TARGET_UNKNOWN && e->cls != ARB_TARGET_CIVILIANS &&
             e->cls != ARB_TARGET_VIOLENT_ACTOR) ||
            person_group(a, h))
            return (long)i;
    }
    return -1;
}

/* A third-person plural future with no subject of its own, in Russian or
 * Ukrainian: a perfective form (it has a verbal prefix) that is not an
 * imperfective present in -ивают / -ывают / -ують («Пленных расстреливают» is
 * a report of the present) */
static bool impersonal_future(const actx *a, const hit *tr)
{
    static const char *const imperf[] = {"ивают", "ывают", "ивають", "ывають", "ують", "юють",
                                         "ают", "яют", NULL};
    static const char *const prefix[] = {"за", "пере", "по", "рас", "роз", "у", "вы", "ви",
                                         "при", "на", "с", "от", "від", "до", "про", "при",
                                         "из", "з", NULL};
    const lx_entry *e = hent(a, tr);
    if (strcmp(e->lang, "ru") != 0 && strcmp(e->lang, "uk") != 0)
        return false;
    if (word_prefix(a, tr->s, tr->e, prefix) < 0)
        return false;
    for (size_t k = 0; imperf[k]; k++)
        if (ends_with(a, tr->s, tr->e, imperf[k])) {
            /* «перестреляют», «перевішають»: a perfective in -ают / -яют
             * after «пере» (the prefix of a distributive perfective) */
            static const char *const pere[] = {"пере", NULL};
            if (k >= 6 && word_prefix(a, tr->s, tr->e, pere) >= 0)
                break;
            return false;
        }
    return true;
}

/* ---------------- statements ---------------- */

typedef struct sig_list {
    arb_signal *v;
    size_t n, cap;
} sig_list;

static bool sig_add(arb__arena *ar, sig_list *l, uint32_t kind, const char *label,
                    arb_span sp)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].kind == kind && l->v[i].span.start == sp.start && l->v[i].span.end == sp.end)
            return true;
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 4;
        arb_signal *nv = arb__arena_alloc(ar, nc * sizeof *nv);
        if (!nv)
            return false;
        if (l->n)
            memcpy(nv, l->v, l->n * sizeof *nv);
        l->v = nv;
        l->cap = nc;
    }
    l->v[l->n++] = (arb_signal){kind, label, sp};
    return true;
}

static bool overlaps(uint32_t a0, uint32_t a1, uint32_t b0, uint32_t b1)
{
    return a0 < b1 && b0 < a1;
}

static bool ends_with(const actx *a, uint32_t ws, uint32_t we, const char *suf)
{
    size_t n = strlen(suf);
    return we - ws > n && !memcmp(a->t + we - n, suf, n);
}

/* An object cue that is a demonstrative followed, within three words of its
 * clause, by an animal or a thing names no person victim: «пристрелите этого
 * раненого коня», «sprać tę plamę», «втопити цих кошенят».  Word forms, not
 * stems, so «этого конченого» stays a person.  idx is a hit index or -1;
 * true when it is a person object. */
static bool person_object(const actx *a, long idx)
{
    static const char *const thing[] = {
        "коня", "лошадь", "кобылу", "собаку", "собак", "пса", "псину", "кота", "котов",
        "кошку", "котят", "котёнка", "котенка", "крысу", "крыс", "мышь", "мышей", "пятно",
        "пятна", "таракана", "тараканов", "комара", "комаров", "муху", "мух", "клопов",
        "кабана", "волка", "птицу", "рыбу", "змею", "гадюку",
        /* Ukrainian, where it differs (коня, собаку, кота, комара, муху, мух,
         * кабана are spelled as in Russian) */
        "кішку", "кошенят", "щура", "щурів", "мишу", "пляму", "плями", "таргана", "тарганів",
        "комарів", "вовка",
        "konia", "psa", "psy", "kota", "koty", "kotka", "kotki", "kocięta", "szczura",
        "szczury", "mysz", "myszy", "plamę", "plamy", "karalucha", "karaluchy", "komara",
        "komary", "muchę", "muchy", "dzika", "wilka", "rybę", "żmiję", NULL};
    if (idx < 0)
        return false;
    uint32_t cs, ce, ws, we;
    unit_of(a, a->h[idx].e, 1, &cs, &ce, NULL);
    uint32_t p = a->h[idx].e;
    for (int k = 0; k < 3 && word_at(a, p, ce, &ws, &we); k++, p = we)
        if (word_is(a, ws, we, thing))
            return false;
    return true;
}

/* A nominalized adjective or participle as the victim, right after the
 * verb, perhaps after a demonstrative: «отметелим новенького», «убей
 * убегающего», «відгамселимо новенького», «sprać tego nowego», «zastrzel
 * uciekającego».  The word has the ending of an animate accusative (ru -ого
 * -его -ую -юю -ых -их, uk -ого -ього -их, pl -ego -ych -ich), a stem of at
 * least three letters, is not a pronoun or quantifier («своего», «wszystkich»),
 * and no noun follows it in the clause (only a preposition or an adverb of
 * time may: «новенького после уроков»; «сожжём новую машину» has a noun).
 * English has no such ending; "the new guy" is a lexicon target.  On
 * success [*os, *oe) is the word. */
static bool nominal_object(const actx *a, const hit *tr, uint32_t *os, uint32_t *oe)
{
    static const char *const det[] = {
        "этого", "этих", "эту", "того", "тех", "ту", "цього", "цих", "цю", "того", "тих",
        "ту", "tego", "tych", "tę", "te", "tamtego", "tamtych", "jakiegoś", "jakiegos", NULL};
    static const char *const skip[] = {
        "всего", "него", "того", "этого", "чего", "ничего", "много", "немного", "долго",
        "строго", "своего", "моего", "твоего", "нашего", "вашего", "самого", "одного",
        "своих", "моих", "твоих", "наших", "ваших", "этих", "таких", "каких", "никаких",
        "всяких", "всякого", "такого", "какого", "никакого", "сегодня", "дорогую",
        "нього", "цього", "всього", "свого", "мого", "твого", "нашого", "вашого", "своїх",
        "моїх", "твоїх", "ваших", "таких", "яких", "жодного", "кожного", "такого", "якого",
        "niego", "czego", "niczego", "dlaczego", "swojego", "mojego", "twojego", "naszego",
        "waszego", "swoich", "moich", "twoich", "naszych", "waszych", "wszystkich",
        "żadnego", "zadnego", "każdego", "kazdego", "którego", "ktorego", "jakiego",
        "takiego", "innego", "innych", "drogiego", "ich", "nich",
        "svoego", "tvoego", "nashego", "vashego", "nichego", "nikogo", "takogo", "kakogo",
        "kotorogo", "kazhdogo", "svoikh", "tvoikh", "nashikh", "vashikh", "takikh", "svoho",
        "tvoho", "nashoho", "vashoho", "kozhnoho", "zhodnoho", "takoho", "yakoho", NULL};
    static const char *const after_ok[] = {
        "после", "в", "на", "за", "у", "возле", "около", "сегодня", "завтра", "вечером",
        "ночью", "прямо", "сейчас", "уже", "наконец", "после", "після", "біля", "сьогодні",
        "ввечері", "вночі", "зараз", "вже", "нарешті", "po", "w", "na", "za", "przy", "pod",
        "dziś", "dzis", "dzisiaj", "jutro", "wieczorem", "teraz", "zaraz", "wreszcie",
        "już", "juz", "posle", "v", "u", "segodnya", "zavtra", "vecherom", "nochyu",
        "pislya", "pislia", "sohodni", "sogodni", NULL};
    static const char *const ru[] = {"ого", "его", "ую", "юю", "ых", "их", NULL};
    static const char *const uk[] = {"ого", "ього", "их", NULL};
    static const char *const pl[] = {"ego", "ych", "ich", NULL};
    /* transliterated: "otmetelim novenkogo", "vidhamselymo novenkoho" */
    static const char *const ru_lat[] = {"ogo", "ego", "uyu", "uju", "ykh", "yh", "ikh", "ih", NULL};
    static const char *const uk_lat[] = {"oho", "ogo", "ykh", "yh", NULL};
    const char *lang = hent(a, tr)->lang;
    bool lat = a->lx->pats[tr->pat].variant == LX_VAR_TRANSLIT;
    const char *const *suf = !strcmp(lang, "ru") ? (lat ? ru_lat : ru)
                           : !strcmp(lang, "uk") ? (lat ? uk_lat : uk)
                           : !strcmp(lang, "pl") ? pl : NULL;
    if (!suf)
        return false;
    uint32_t cs, ce, ws, we;
    unit_of(a, tr->s, 1, &cs, &ce, NULL);
    if (!word_at(a, tr->e, ce, &ws, &we) || count_words(a, tr->e, ws) > 0)
        return false;
    if (word_is(a, ws, we, det) && !word_at(a, we, ce, &ws, &we))
        return false;
    if (word_is(a, ws, we, skip))
        return false;
    bool adj = false;
    for (size_t k = 0; suf[k] && !adj; k++) {
        size_t stem = strlen(suf[k]) > 3 || (unsigned char)suf[k][0] >= 0x80 ? 6 : 3;
        adj = ends_with(a, ws, we, suf[k]) && we - ws >= strlen(suf[k]) + stem;
    }
    if (!adj)
        return false;
    for (size_t i = 0; i < a->nh; i++) /* a target or a cue already speaks for it */
        if (overlaps(a->h[i].s, a->h[i].e, ws, we))
            return false;
    uint32_t ns, ne;
    if (word_at(a, we, ce, &ns, &ne) && !word_is(a, ns, ne, after_ok))
        return false;
    *os = ws;
    *oe = we;
    return true;
}

/* A Polish first-person future written without diacritics that is also a
 * third-person form ("zabije": "I will kill" or "he will kill") is the
 * speaker's threat when the addressee is its object, right before or after
 * it ("zabije cie", "cie zabije", "zajebie was"), and nothing else in the
 * clause can be its subject: only particles, adverbs of time and "ja"
 * before it, and no subject after the object ("zabije cie ten wirus").  A
 * subordinate clause («Mama powiedziała, że cie zabije») takes its subject
 * from outside, so "że", "bo", "jak", "jeśli" are not among those words.  "On
 * cie zabije" (a warning), "Mama mnie zabije" and "Wirus zabije tysiące"
 * stay third person. */
static bool addressee_threat(const actx *a, uint32_t cs, const hit *tr)
{
    static const char *const free_words[] = {
        "ja", "to", "i", "a", "no", "zaraz", "jutro", "dzis", "dziś", "dzisiaj", "teraz",
        "kiedys", "kiedyś", "normalnie", "po", "prostu", "wreszcie", "w", "koncu", "końcu",
        "chyba", "serio", "naprawde", "naprawdę", "kurwa", "juz", "już", "sam", "osobiście",
        "osobiscie",
        "pewnego", "dnia", "nocy", "wieczorem", "potem", "tez", "też", "cie", "cię", "ciebie",
        "was", "tu", "tutaj", NULL};
    static const char *const subj_after[] = {
        "ten", "ta", "to", "twoj", "twój", "twoja", "twoje", "ktos", "ktoś", "on", "ona",
        "oni", "one", "mama", "tata", "ojciec", "matka", "stary", "stara", NULL};
    uint32_t ts = tr->s, te = tr->e;
    long you = -1;
    for (size_t i = 0; i < a->nh; i++) {
        const hit *h = &a->h[i];
        const lx_entry *e = hent(a, h);
        if (e->kind != LX_TARGET || !(e->flags & LX_F_PRONOUN) || strcmp(e->lang, "pl") ||
            !labelled(e, "you") || h->s < cs)
            continue;
        if ((h->s >= te && count_words(a, te, h->s) == 0) ||
            (h->e <= ts && count_words(a, h->e, ts) == 0))
            you = (long)i;
    }
    if (you < 0)
        return false;
    for (uint32_t p = cs, ws, we; word_at(a, p, ts, &ws, &we); p = we)
        if (!word_is(a, ws, we, free_words))
            return false;
    uint32_t after = a->h[you].e > te ? a->h[you].e : te, ws, we, ccs, cce;
    unit_of(a, ts, 1, &ccs, &cce, NULL);
    if (word_at(a, after, cce, &ws, &we) && word_is(a, ws, we, subj_after))
        return false;
    return true;
}

/* Where a dash ('-', en dash or em dash) that stands right before `pos`
 * (spaces between allowed, not before `ss`) begins; `*d` is left unset and
 * false returned when there is none. */
static bool dash_start(const actx *a, uint32_t ss, uint32_t pos, uint32_t *d)
{
    uint32_t p = pos;
    while (p > ss && a->t[p - 1] == ' ')
        p--;
    if (p > ss && a->t[p - 1] == '-') {
        *d = p - 1;
        return true;
    }
    if (p >= ss + 3 && (unsigned char)a->t[p - 3] == 0xE2 &&
        (unsigned char)a->t[p - 2] == 0x80 &&
        ((unsigned char)a->t[p - 1] == 0x93 || (unsigned char)a->t[p - 1] == 0x94)) {
        *d = p - 3;
        return true;
    }
    return false;
}

/* a dash right before pos, after one to three words from ss */
static bool dash_before(const actx *a, uint32_t ss, uint32_t pos)
{
    uint32_t d;
    if (!dash_start(a, ss, pos, &d))
        return false;
    size_t n = count_words(a, ss, d);
    return n >= 1 && n <= 3;
}

/* The elliptical conditional with a comma: a first clause of one to four
 * words that opens with the addressee's future («Попадёшься, убью»,
 * «Сунешься, зарежу», «Потрапиш, вб'ю») or the speaker's meeting the
 * addressee («Увижу, убью», «Spotkam, zabiję»), a comma right before pos.
 * (With a dash any short first clause will do: dash_before.) */
static bool comma_cond_before(const actx *a, uint32_t ss, uint32_t pos)
{
    static const char *const meet[] = {
        "увижу", "встречу", "поймаю", "найду", "застану", "вернусь", "побачу", "зустріну",
        "спіймаю", "знайду", "застану", "zobaczę", "zobacze", "spotkam", "złapię", "złapie",
        "znajdę", "znajde", "dorwę", "dorwe", NULL};
    static const char *const second[] = {"шься", "шь", "шся", "еш", "єш", "иш", "їш", NULL};
    uint32_t p = pos;
    while (p > ss && a->t[p - 1] == ' ')
        p--;
    if (p <= ss || a->t[p - 1] != ',')
        return false;
    size_t n = count_words(a, ss, p - 1);
    uint32_t ws, we;
    if (n < 1 || n > 4 || !word_at(a, ss, p - 1, &ws, &we))
        return false;
    static const char *const discourse[] = {"знаешь", "понимаешь", "слышишь", "видишь",
                                            "веришь", "прикинь", "знаєш", "розумієш", "бачиш",
                                            "чуєш", "віриш", NULL};
    if (word_is(a, ws, we, meet))
        return true;
    if (word_is(a, ws, we, discourse))
        return false; /* «Знаешь, убью ...»: "you know" */
    for (size_t k = 0; second[k]; k++)
        if (ends_with(a, ws, we, second[k]) && we - ws >= strlen(second[k]) + 6)
            return true; /* (three letters of stem at least: «попадёшься») */
    return false;
}

/* A slogan with a dash: «Кацапов — к стенке», «Пленных орков —
 * расстреливать!». The words of the sentence before a dash that stands right
 * before `pos` are a short target phrase (only targets and object words:
 * not «Шкаф — к стенке»); returns the target, or -1. */
static long dash_target(const actx *a, uint32_t ss, uint32_t pos)
{
    uint32_t d;
    if (!dash_start(a, ss, pos, &d))
        return -1;
    while (d > ss && a->t[d - 1] == ' ')
        d--;
    size_t n = count_words(a, ss, d);
    if (n < 1 || n > 5 || !clause_initial(a, ss, d))
        return -1;
    return target_near(a, ss, d);
}

/* the words of [from, to), at most `cap` of them, the last ones kept:
 * ws[k], we[k]; returns how many */
static size_t words_back(const actx *a, uint32_t from, uint32_t to, uint32_t *ws, uint32_t *we,
                         size_t cap)
{
    size_t n = 0;
    for (uint32_t p = from, s0, e0; word_at(a, p, to, &s0, &e0); p = e0) {
        if (n == cap) {
            memmove(ws, ws + 1, (cap - 1) * sizeof *ws);
            memmove(we, we + 1, (cap - 1) * sizeof *we);
            n--;
        }
        ws[n] = s0;
        we[n++] = e0;
    }
    return n;
}

/* the sentence part [ss, end) before a threat clause is a command or
 * speaks to the addressee: an imperative opening ("shut up", "keep
 * talking", "give me the money"; not a past narrative, "he ran away", "I
 * left") or a "you" in it ("you have five seconds") */
static bool command_before(const actx *a, uint32_t ss, uint32_t end)
{
    static const char *const past[] = {
        "went", "came", "got", "said", "saw", "took", "told", "ran", "did", "was", "were",
        "had", "left", "made", "found", "tried", "knew", "thought", "felt", "kept", "met",
        "sat", "stood", "heard", "began", "became", "brought", "caught", "fought", "gave",
        "grew", "held", "lost", "paid", "sent", "spent", "won", "wrote", "yesterday", "then",
        "once", "when", "after", "while",
        /* an interjection opens a narrative as often as a command ("Yea,
         * and we beat the British ...") */
        "yea", "yeah", "yes", "yep", "no", "nope", "ok", "okay", "well", "oh", "lol", "so",
        "but", "and", "да", "ну", "так", "ага", "нет", "ні", "tak", "nie", "no", "więc", NULL};
    for (size_t i = 0; i < a->nh; i++) {
        const hit *h = &a->h[i];
        const lx_entry *e = hent(a, h);
        if (e->kind == LX_TARGET && (e->flags & LX_F_PRONOUN) && labelled(e, "you") &&
            h->s >= ss && h->e <= end && lang_ok(a, e))
            return true;
    }
    static const char *const subj[] = {
        "he", "she", "it", "they", "this", "that", "there", "the", "my", "his", "her", "their",
        "our", "он", "она", "оно", "они", "я", "мы", "він", "вона", "воно", "вони", "ми", "on",
        "ona", "ono", "oni", "ja", "my", NULL};
    uint32_t ws, we;
    if (!word_at(a, ss, end, &ws, &we) || word_is(a, ws, we, past) || word_is(a, ws, we, subj) ||
        ends_with(a, ws, we, "ed") || count_words(a, ss, end) > 10)
        return false;
    /* the first word is no subject: not a first-person cue nor a target
     * (a grammar cue such as "keep", "go" is fine: "keep talking") */
    for (size_t i = 0; i < a->nh; i++) {
        const lx_entry *e = hent(a, &a->h[i]);
        if (a->h[i].s <= ws && a->h[i].e > ws && ((e->kind == LX_TARGET && !(e->flags & LX_F_PRONOUN)) ||
             (lang_ok(a, e) &&
              (e->kind == LX_TARGET || (e->kind == LX_CUE && e->sub == LX_CUE_FIRST)))))
            return false;
    }
    return true;
}

/* A threat of the speaker inside a clause of time or condition that
 * follows a command or a condition:
 *   EN "shut up before I beat you", "keep talking and I break your neck",
 *      "give me the money or I shoot you", "if you touch her again I cut
 *      you": before / until / till / unless / or (else) / otherwise / and
 *      (after a command), or a condition (if, unless, next time) with a
 *      clause of its own between it and the subject ("If I ever hurt you"
 *      has the verb inside the condition: no threat).  English "beat",
 *      "cut", "put", "hit" are past or present; with "I"/"we" right before
 *      them in such a clause they are present, so this is no admission.
 *   RU/UK/PL «заткнись, пока я тебя не избил», «замовкни, поки я тебе не
 *      побив», «zamknij się, dopóki cię nie zabiję»: «пока / поки / dopóki
 *      ... не» + the speaker's past or future is "before I ...", and its
 *      «не» negates nothing (a->expl_neg).
 * Also the speaker's verb of severity high in a clause of time after a
 * main clause with an intent cue ("we'll tie him up before we shoot him",
 * "I'll let you talk before I shoot you", "we'll have a trial and after
 * that we hang them"): the main clause is harmless, the speaker's own
 * subordinate clause states the intent (a->tintent).  "We had a trial and
 * after that we hanged them" is a past: no base form.
 * Sets a->tclause to the start of the opening word. */
static void threat_clause(actx *a, const hit *tr, uint32_t ss)
{
    const lx_entry *e = hent(a, tr);
    uint8_t role = hrole(a, tr);
    if (!arb__lx_makes_statement(e->kind) || e->kind == LX_CODED || e->stmt >= 0 ||
        (e->flags & LX_F_INTRANS))
        return;
    uint32_t ws[24], we[24];
    size_t n = words_back(a, ss, tr->s, ws, we, 24);
    if (!strcmp(e->lang, "en")) {
        static const char *const subj[] = {"i", "we", NULL};
        static const char *const adv[] = {"just", "really", "fucking", "personally",
                                          "seriously", "literally", "gladly", NULL};
        static const char *const sub[] = {"before", "until", "till", "til", "unless", "or",
                                          "otherwise", "else", "and", NULL};
        static const char *const cond[] = {"if", "unless", NULL};
        bool base = role == LX_ROLE_BASE;
        for (size_t i = 0; i < a->nh && !base && role == LX_ROLE_PAST; i++)
            base = a->h[i].s == tr->s && a->h[i].e == tr->e && hrole(a, &a->h[i]) == LX_ROLE_BASE &&
                   arb__lx_makes_statement(hent(a, &a->h[i])->kind);
        if (!base || n < 2)
            return;
        size_t k = n;
        if (word_is(a, ws[k - 1], we[k - 1], adv))
            k--;
        if (k < 2 || !word_is(a, ws[k - 1], we[k - 1], subj))
            return;
        size_t p = k - 2; /* the word before the subject */
        {
            static const char *const when[] = {"before", "after", "once", "then", "when",
                                               "and", "until", "till", "til", NULL};
            static const char *const that[] = {"that", "this", NULL};
            size_t q = p;
            if (q > 0 && word_is(a, ws[q], we[q], that)) /* "after that", "and then" */
                q--;
            /* (an indefinite object is a rule of conduct, not a victim:
             * "we'll call the cops before we shoot anyone") */
            static const char *const anyone[] = {"anyone", "anybody", "someone", "somebody",
                                                 "people", "nobody", NULL};
            uint32_t ows, owe;
            bool indef = word_at(a, tr->e, (uint32_t)a->n, &ows, &owe) &&
                         count_words(a, tr->e, ows) == 0 && word_is(a, ows, owe, anyone);
            if (word_is(a, ws[q], we[q], when) && e->severity >= ARB_SEV_HIGH && q > 0 && !indef &&
                cue_before(a, LX_CUE_INTENT, ss, ws[q], 24) >= 0 &&
                cue_before(a, LX_CUE_NEG, ss, ws[q], 24) < 0) {
                a->tclause = ws[q];
                a->tintent = true;
                return;
            }
        }
        if (word_is(a, ws[p], we[p], sub)) {
            if (p == 0 || !command_before(a, ss, ws[p]))
                return;
            a->tclause = ws[p];
            return;
        }
        /* a condition with a clause of its own before the subject: "if you
         * touch her again I ...", "next time you call me I ..." */
        for (size_t q = p + 1; q-- > 0;) {
            bool next_time = q + 1 < k - 1 && we[q] - ws[q] == 4 && !memcmp(a->t + ws[q], "next", 4) &&
                             we[q + 1] - ws[q + 1] == 4 && !memcmp(a->t + ws[q + 1], "time", 4);
            if (!word_is(a, ws[q], we[q], cond) && !next_time)
                continue;
            size_t first = q + (next_time ? 2 : 1);
            if (first >= k - 1 || word_is(a, ws[first], we[first], subj))
                return;
            a->tclause = ws[q];
            return;
        }
        return;
    }
    /* RU/UK/PL: «пока [я] [тебя] не VERB» */
    static const char *const until[] = {"пока", "покуда", "поки", "доки", "dopóki", "dopoki",
                                        "póki", "poki", NULL};
    static const char *const first[] = {"я", "мы", "ми", "ja", "my", NULL};
    bool speaker = role == LX_ROLE_FUT1 || role == LX_ROLE_PAST1;
    if (!speaker && role != LX_ROLE_PAST)
        return;
    for (size_t q = n; q-- > 0 && n - q <= 4;) {
        if (!word_is(a, ws[q], we[q], until))
            continue;
        if (!command_before(a, ss, ws[q]))
            return; /* nothing before ("while I have not ..."), or a narrative */
        long ng = cue_before(a, LX_CUE_NEG, we[q], tr->s, 3);
        if (ng < 0 || count_words(a, a->h[ng].e, tr->s) > 1)
            return;
        for (size_t r = q + 1; r < n && !speaker; r++)
            speaker = word_is(a, ws[r], we[r], first);
        if (!speaker)
            return;
        a->tclause = ws[q];
        a->expl_neg = a->h[ng].s;
        return;
    }
}

/* Harm as the condition of an end: "There will be no peace until every
 * traitor is hanged", "This won't stop until they are all shot", "Nothing
 * changes till these people are put against a wall", «Мира не будет, пока
 * все предатели не будут повешены», «Миру не буде, доки всіх зрадників не
 * повісять», «Nie będzie pokoju, dopóki zdrajcy nie zostaną powieszeni»:
 * the speaker advocates the harm.  The trigger is a passive or an
 * agentless future (EN past participle after a present "is / are / get";
 * RU/UK/PL participle or third-person plural future) in a clause opened by
 * until / till / unless (пока, поки, доки, dopóki, póki, aż) at most 8 words
 * before it; the main clause before that word is negated ("no", "won't",
 * "nothing", «не», «nie») and not a past ("The siege did not end until the
 * soldiers were shot down", «Осада не закончилась, пока ...»); the until
 * clause names a person or a group (future_victim, or a plural pronoun with
 * "all": "until they are all shot"), so "Don't stop until the dough is
 * beaten smooth" is none.  The «не» of «пока ... не» negates nothing.  Sets
 * a->uclause (and a->expl_neg). */
static void until_outcome(actx *a, const hit *tr, uint32_t ss)
{
    const lx_entry *e = hent(a, tr);
    uint8_t role = hrole(a, tr);
    if (e->kind != LX_TRIGGER || e->stmt >= 0 || (e->flags & LX_F_INTRANS) ||
        e->severity < ARB_SEV_MID)
        return;
    bool en = !strcmp(e->lang, "en");
    if (en ? (role != LX_ROLE_PAST && role != LX_ROLE_PART)
           : (role != LX_ROLE_PART && role != LX_ROLE_PRES3))
        return;
    static const char *const until[] = {
        "until", "till", "til", "untill", "unless", "пока", "покуда", "поки", "доки", "dopóki",
        "dopoki", "póki", "poki", "aż", "az", NULL};
    static const char *const neg[] = {
        "no", "not", "nothing", "never", "nobody", "won't", "wont", "don't", "dont", "can't",
        "cant", "cannot", "isn't", "ain't", "aren't", "doesn't", "не", "нет", "ничего", "никогда",
        "ни", "ні", "нема", "немає", "нічого", "ніколи", "nie", "nic", "nigdy", "żadnego",
        "żadnej", "zadnego", "zadnej", NULL};
    static const char *const past[] = {
        "did", "didn't", "didnt", "was", "wasn't", "wasnt", "were", "weren't", "werent", "had",
        "hadn't", "hadnt", "ended", "stopped", "lasted", "went", "came", "got", "been", NULL};
    /* RU/UK/PL past endings («закончилась», «skończyło się») */
    static const char *const slav_past[] = {"л", "ла", "ло", "ли", "лся", "лась", "лось",
                                            "лись", "ł", "ła", "ło", "ły", NULL};
    uint32_t ws[24], we[24];
    size_t n = words_back(a, ss, tr->s, ws, we, 24);
    size_t u = n;
    for (size_t k = n; k-- > 0 && n - k <= 8;)
        if (word_is(a, ws[k], we[k], until)) {
            u = k;
            break;
        }
    if (u == n || u == 0)
        return;
    uint32_t us = ws[u], ue = we[u];
    /* the main clause: negated, not a past */
    bool negated = false;
    for (uint32_t p = ss, w0, w1; word_at(a, p, us, &w0, &w1); p = w1) {
        if (word_is(a, w0, w1, past))
            return;
        for (size_t k = 0; !en && w1 - w0 > 4 && slav_past[k]; k++)
            if (ends_with(a, w0, w1, slav_past[k]))
                return;
        negated |= word_is(a, w0, w1, neg);
    }
    for (size_t i = 0; i < a->nh && !negated; i++) { /* "won't", "doesn't" */
        const lx_entry *ne = hent(a, &a->h[i]);
        negated = ne->kind == LX_CUE && (ne->sub == LX_CUE_NEG || ne->sub == LX_CUE_NEGDET) &&
                  a->h[i].s >= ss && a->h[i].e <= us && lang_ok(a, ne);
    }
    if (!negated)
        return;
    uint32_t ucs, uce;
    unit_of(a, tr->s, 1, &ucs, &uce, NULL);
    if (uce < tr->e)
        uce = tr->e;
    if (en) {
        /* a present passive: "is / are (all) / get hanged" */
        static const char *const be[] = {"is", "are", "be", "all", "each", "'re",
                                         "re", "s", NULL};
        if (tr->s < 2 || !last_word_is(a, ue, tr->s, be) || agent_after(a, tr->e, uce))
            return;
    }
    long ng = -1;
    if (!en) {
        /* «пока ... не»: the expletive negation right before the verb (or
         * before its auxiliary «будут», «zostaną»); Polish «aż» has none */
        ng = cue_before(a, LX_CUE_NEG, ue, tr->s, 2);
        static const char *const az[] = {"aż", "az", NULL};
        if (ng < 0 && !word_is(a, us, ue, az))
            return;
    }
    bool victim = future_victim(a, ue, uce) >= 0;
    if (!victim) {
        bool pron = false, all = false;
        for (size_t i = 0; i < a->nh; i++) {
            const hit *h = &a->h[i];
            const lx_entry *he = hent(a, h);
            if (h->s < ue || h->e > uce || !lang_ok(a, he))
                continue;
            pron |= he->kind == LX_TARGET && (he->flags & LX_F_PRONOUN);
            all |= he->kind == LX_CUE && (he->sub == LX_CUE_OBJECT || he->sub == LX_CUE_DET);
        }
        victim = pron && all;
    }
    /* (the subject of a verb that only harms people is its victim, as
     * after a modal: "till these people are put against a wall") */
    if (!victim && (e->flags & LX_F_PERSON) && count_words(a, ue, tr->s) >= 2)
        victim = true;
    if (!victim)
        return;
    a->uclause = us;
    if (ng >= 0)
        a->expl_neg = a->h[ng].s;
}

/* "or else" right before pos, after a command in the same sentence
 * («Заткнись, а то убью», «Замовкни, бо вб'ю», «Zamknij się, bo zabiję»):
 * the threat of an elliptical conditional, whose victim is the addressee.
 * Only the speaker's pronoun may stand between. */
static bool or_else_before(const actx *a, uint32_t ss, uint32_t pos)
{
    static const char *const one[] = {"иначе", "бо", "інакше", "або", "bo", "inaczej", "albo",
                                      NULL};
    static const char *const two[] = {"а то", "bo inaczej", "бо інакше", "а інакше", NULL};
    static const char *const me[] = {"я", "ja", "мы", "ми", "my", "сам", "sam", NULL};
    uint32_t ws[8], we[8];
    size_t n = words_back(a, ss, pos, ws, we, 8);
    while (n && word_is(a, ws[n - 1], we[n - 1], me))
        n--;
    if (n >= 2 && word_is(a, ws[n - 1], we[n - 1], one))
        return true;
    if (n >= 3) {
        size_t l = we[n - 1] - ws[n - 2];
        for (size_t k = 0; two[k]; k++)
            if (strlen(two[k]) == l && !memcmp(a->t + ws[n - 2], two[k], l))
                return true;
    }
    return false;
}

/* A quantifier or a pronoun as the whole subject or object of the trigger
 * ("both should be destroyed", "nuke them all", «обоих надо уничтожить»,
 * «wszyscy powinni zostać wybici») stands for the groups or places named just
 * before it, in the earlier clauses of the sentence or in the sentence
 * before: "fuck israel and america. both should be destroyed".  The words of
 * the trigger's clause before it are only such words and grammar cues (or,
 * after it, only such words up to the end of the clause), at least one of
 * them a head ("both", "all", "they", «оба», «все», «obie»); "both cars
 * should be destroyed" has a noun and is no such victim.  On success
 * [*vs, *ve) is the range where the antecedents are named: it holds a
 * target that is not a pronoun. */
static bool antecedent(const actx *a, const hit *tr, uint32_t ss, uint32_t *vs, uint32_t *ve)
{
    /* subjects: the victim only of a passive ("both should be destroyed");
     * objects: of any form («обоих надо уничтожить», "nuke them all") */
    static const char *const subj[] = {
        "both", "all", "they", "each", "оба", "обе", "все", "они", "обидва", "обидві", "всі",
        "усі", "вони", "oba", "obie", "obaj", "obydwa", "obydwie", "wszyscy", "wszystkie",
        "oni", "one", NULL};
    static const char *const obj[] = {
        "them", "em", "'em", "обоих", "всех", "их", "каждого", "обох", "всіх", "усіх", "їх",
        "кожного", "obu", "wszystkich", "ich", "je", NULL};
    uint8_t role = hrole(a, tr);
    bool passive = role == LX_ROLE_PAST || role == LX_ROLE_PART;
    static const char *const filler[] = {
        "of", "the", "lot", "one", "every", "из", "них", "до", "одного", "з", "ними", "z", "nich",
        "co", "do", "jednego", "последнего", "останнього", "ostatniego", NULL};
    uint32_t cs, ce;
    unit_of(a, tr->s, 1, &cs, &ce, NULL);
    int sides[2][2] = {{0, 0}, {0, 0}}; /* [before/after][heads, others] */
    for (int side = 0; side < 2; side++) {
        uint32_t from = side ? tr->e : cs, to = side ? ce : tr->s;
        for (uint32_t p = from, ws, we; word_at(a, p, to, &ws, &we); p = we) {
            if (word_is(a, ws, we, obj) || (passive && !side && word_is(a, ws, we, subj))) {
                sides[side][0]++;
                continue;
            }
            if (word_is(a, ws, we, subj))
                continue; /* "all" in "kill them all" */
            if (word_is(a, ws, we, filler))
                continue;
            bool cue = false;
            for (size_t i = 0; i < a->nh && !cue && !side; i++) {
                const lx_entry *e = hent(a, &a->h[i]);
                cue = e->kind == LX_CUE && e->sub != LX_CUE_NEG && e->sub != LX_CUE_FIRST &&
                      a->h[i].s <= ws && a->h[i].e >= we;
            }
            if (!cue)
                sides[side][1]++;
        }
    }
    bool before = sides[0][0] > 0 && sides[0][1] == 0;
    bool after = sides[1][0] > 0 && sides[1][1] == 0 && count_words(a, tr->e, ce) <= 4 &&
                 count_words(a, cs, tr->s) == 0;
    /* a plural pronoun as the object of a verb that needs a named victim,
     * inside its phrase or right after it ("thin them out", "thinning them
     * out", «проредить их», «przetrzebić ich»), whatever else the clause
     * holds: it stands for a group of people named before ("We have
     * barbarians all over the place. We need to start thinning them out."),
     * never for things ("The carrots came up too dense. Time to thin them
     * out.": no group of people is named) */
    bool named_pron = false;
    if ((hent(a, tr)->flags & LX_F_NAMED) && hent(a, tr)->severity >= ARB_SEV_HIGH) {
        for (uint32_t p = tr->s, ws, we; !named_pron && word_at(a, p, ce, &ws, &we); p = we) {
            if (ws >= tr->e && count_words(a, tr->e, ws) > 0)
                break;
            named_pron = word_is(a, ws, we, obj);
        }
    }
    if (!before && !after && !named_pron)
        return false;
    uint32_t ps = ss, pe;
    if (ss > 0 && cs == ss)
        unit_of(a, ss - 1, 2, &ps, &pe, NULL);
    for (size_t i = 0; i < a->nh; i++) {
        const hit *h = &a->h[i];
        const lx_entry *e = hent(a, h);
        if (e->kind == LX_TARGET && !(e->flags & LX_F_PRONOUN) && h->s >= ps && h->e <= cs &&
            !in_cred(a, h) &&
            (before || after || ((e->cls != ARB_TARGET_UNKNOWN || person_group(a, h)) &&
                                 !(e->flags & LX_F_AREA)))) {
            *vs = ps;
            *ve = cs;
            return true;
        }
    }
    return false;
}

/* ---- g10: hypotheses, things as objects, agents, repetition ---- */

/* the word [ws, we) is covered by a person: a target (a pronoun only of
 * the trigger's language) or an object word */
static bool person_word(const actx *a, uint32_t ws, uint32_t we)
{
    for (size_t i = 0; i < a->nh; i++) {
        const hit *h = &a->h[i];
        const lx_entry *e = hent(a, h);
        /* (a name is a person in any language: «biden» of the Polish
         * lexicon in "Somebody should kill Biden"; a pronoun or an object
         * word only in the trigger's own) */
        if (h->s < we && h->e > ws &&
            ((e->kind == LX_TARGET && !(e->flags & LX_F_PRONOUN)) ||
             (lang_ok(a, e) &&
              (e->kind == LX_TARGET || (e->kind == LX_CUE && e->sub == LX_CUE_OBJECT)))))
            return true;
    }
    return false;
}

/* An English condition without "if", by inversion: "Should Donald Trump be
 * assassinated, a civil war would break out", "Should he be killed, the
 * market would crash", "Were they to be shot, ...", "Had he been hanged,
 * ...".  The sentence opens (after "but", "and", "yet", "so", "now" at
 * most) with should / were / had and a subject (not "be", "to", ...:
 * "Should be hanged, the traitor" is elliptic, a call), its first clause
 * ends in a comma, another clause follows, and the sentence is no
 * question ("Should he be hanged, or jailed?").  Returns the end of that
 * first clause, or 0 when the sentence opens with no such condition. */
static uint32_t inverted_clause(const actx *a, uint32_t ss, uint32_t se)
{
    static const char *const inv[] = {"should", "were", "had", NULL};
    static const char *const conj[] = {"but", "and", "yet", "so", "now", NULL};
    static const char *const no_subject[] = {"be", "been", "to", "have", "just", "all", "never",
                                             "not", "get", "they've", "we", "i", NULL};
    uint32_t cs, ce, ws, we;
    char term = 0;
    unit_of(a, ss, 1, &cs, &ce, NULL);
    if (ce >= se || a->t[ce] != ',' || count_words(a, ce, se) < 2)
        return 0;
    {
        uint32_t s2, e2;
        unit_of(a, ss, 2, &s2, &e2, &term);
        if (term == '?')
            return 0;
    }
    if (!word_at(a, ss, ce, &ws, &we))
        return 0;
    if (word_is(a, ws, we, conj) && !word_at(a, we, ce, &ws, &we))
        return 0;
    if (!word_is(a, ws, we, inv) || !word_at(a, we, ce, &ws, &we) ||
        word_is(a, ws, we, no_subject))
        return 0;
    return ce;
}

/* English heads that name people, never a thing: "the rest", "the man",
 * "the families (of the traitors)" */
static const char *const people_heads[] = {
        "families", "family", "members", "member", "children", "child", "kids", "kid", "wives",
        "wife", "husband", "husbands", "sons", "son", "daughters", "daughter", "parents",
        "leaders", "leader", "supporters", "followers", "friends", "friend", "rest", "lot",
        "lots", "bunch", "pack", "gang", "group", "groups", "babies", "baby", "women", "woman",
        "men", "man", "guy", "guys", "person", "persons", "people", "boy", "boys", "girl",
        "girls", "one", "ones", "most", "many", "few", "others", "hundreds", "thousands",
        "millions", "dozens", "couple", "majority", "half", "remainder", "survivors",
        "neighbor", "neighbour", "neighbors", "neighbours", "everyone", "everybody", NULL};

/* The words [from, to) are "(the) families of (the)": determiners, one
 * head that names people, "of", determiners -- the victim after them is the
 * verb's object ("Kill the families of the traitors") */
static bool people_of(const actx *a, uint32_t from, uint32_t to)
{
    static const char *const det[] = {"the", "all", "those", "these", "every", "each", "their",
                                      "his", "her", "any", NULL};
    static const char *const of[] = {"of", NULL};
    uint32_t p = from, ws, we;
    int stage = 0; /* 0 before the head, 1 after it, 2 after "of" */
    for (; word_at(a, p, to, &ws, &we); p = we) {
        if (word_is(a, ws, we, det) && stage != 1)
            continue;
        if (stage == 0 && word_is(a, ws, we, people_heads))
            stage = 1;
        else if (stage == 1 && word_is(a, ws, we, of))
            stage = 2;
        else
            return false;
    }
    return stage == 2;
}

/* The object of an English verb is a thing: "hang it in the Oval Office",
 * "you burn coal", "purge the malinvestment", "kill the infection", "shoot
 * some photos of the kids".  Right after the verb stands "it", or a noun
 * phrase (determiners, then at most three words up to a preposition or the
 * end of the clause) with no target, object word or pronoun in it, and no
 * person after it: not "out of him" ("beat the shit out of him"), nor "of
 * X" after a head that is a set of people or a part ("the families of the
 * traitors", "the heads of ...").  Such a verb has its victim nowhere else:
 * neither the subject before a modal ("Doctors should kill the infection",
 * "they need a war to purge the malinvestment") nor a person in another
 * clause ("If I were Donald Trump I'd ... hang it").  Literal English verbs
 * only: a regex frame holds its own slot ("send X to the guillotine"). */
static bool thing_object(const actx *a, const hit *tr)
{
    static const char *const det[] = {
        "the", "a", "an", "this", "that", "these", "those", "some", "any", "his", "her",
        "their", "our", "my", "your", "ur", "yer", "its", "more", "another", "other", "such", NULL};
    static const char *const stop[] = {
        "of", "in", "on", "at", "to", "for", "with", "and", "or", "from", "out", "outta", "off",
        "into", "onto", "up", "down", "before", "after", "like", "as", "so", "then", "but",
        "while", "when", "because", "if", "until", "till", "by", "over", "under", "through",
        "again", "now", "today", "tonight", "tomorrow", "tmrw", "tmr", "2moro", "2morrow", "tonite",
        "2nite", "already", "too", "first", "asap",
        "there", "here", "back", "away", "who", "that", "which", "every", "all", "each", NULL};
    /* heads that are a part or a kind of what follows "of" */
    static const char *const whole[] = {
        "homes", "home", "houses", "house", "heads", "head", "throats", "throat", "necks", "neck",
        "skulls", "bodies", "body", "kind", "kinds", "type", "types", "sort", "sorts", NULL};
    static const char *const it[] = {"it", NULL};
    static const char *const of[] = {"of", NULL};
    static const char *const outof[] = {"out", "outta", "off", "into", "like", NULL};
    if (strcmp(hent(a, tr)->lang, "en") != 0 || a->lx->pats[tr->pat].lit_len == 0)
        return false;
    /* (an idiom or technical phrase on the verb explains itself: "kill it
     * at the exam", "kill the process" keep their statement and modifier) */
    for (size_t i = 0; i < a->nh; i++) {
        const lx_entry *me = hent(a, &a->h[i]);
        if (me->kind == LX_MOD && me->sub == LX_SCOPE_OVERLAP &&
            overlaps(a->h[i].s, a->h[i].e, tr->s, tr->e))
            return false;
    }
    uint32_t cs, ce, ws, we;
    unit_of(a, tr->s, 1, &cs, &ce, NULL);
    if (!word_at(a, tr->e, ce, &ws, &we) || person_word(a, ws, we))
        return false;
    if (word_is(a, ws, we, it))
        return true;
    uint32_t p = tr->e, hs = 0, he = 0;
    while (word_at(a, p, ce, &ws, &we) && word_is(a, ws, we, det)) {
        if (person_word(a, ws, we))
            return false;
        p = we;
    }
    size_t k = 0;
    for (; k < 3 && word_at(a, p, ce, &ws, &we) && !word_is(a, ws, we, stop); k++, p = we) {
        if (person_word(a, ws, we) || word_is(a, ws, we, people_heads))
            return false;
        hs = ws;
        he = we;
    }
    if (!k)
        return false;
    if (!word_at(a, p, ce, &ws, &we)) {
        /* (a list goes on after the comma: "Publicly hang murders,
         * rapists and child molesters") */
        uint32_t ns, ne, nws, nwe;
        if (ce >= a->n || a->t[ce] != ',')
            return true;
        unit_of(a, ce + 1, 1, &ns, &ne, NULL);
        if (!word_at(a, ns, ne, &nws, &nwe))
            return true;
        for (size_t i = 0; i < a->nh; i++) {
            const lx_entry *ne_ = hent(a, &a->h[i]);
            if (a->h[i].s <= nws && a->h[i].e > nws && ne_->kind == LX_TARGET &&
                !(ne_->flags & LX_F_PRONOUN))
                return false;
        }
        return true;
    }
    if (!word_is(a, ws, we, stop)) /* a longer phrase: no person in the rest */
        return target_near(a, p, ce) < 0 && cue_after(a, LX_CUE_OBJECT, p, ce, 40) < 0;
    if (word_is(a, ws, we, outof))
        return target_near(a, we, ce) < 0 && cue_after(a, LX_CUE_OBJECT, we, ce, 4) < 0;
    if (word_is(a, ws, we, of))
        return !word_is(a, hs, he, whole);
    return true;
}

/* An English target right before a verb (adverbs of frequency between) is
 * its subject, not a vocative (which has its comma: "Boys, shoot them"):
 * "Women murder millions of babies every year", "niggers destroy everything
 * they touch", "Jews always kill ..." -- a claim about the group as agent,
 * hateful perhaps, but no call against it. */
static bool agent_before(const actx *a, uint32_t cs, uint32_t ts)
{
    static const char *const freq[] = {
        "always", "often", "routinely", "regularly", "usually", "constantly", "still", "also",
        "literally", "actually", "really", "now", "all", "just", "typically", "frequently",
        "generally", "commonly", "even", "only", "both", "too", "then", NULL};
    uint32_t ws[8], we[8];
    size_t n = words_back(a, cs, ts, ws, we, 8);
    for (size_t k = n; k-- > 0;) {
        if (word_is(a, ws[k], we[k], freq))
            continue;
        for (size_t i = 0; i < a->nh; i++) {
            const hit *h = &a->h[i];
            const lx_entry *e = hent(a, h);
            if (e->kind == LX_TARGET && !(e->flags & LX_F_PRONOUN) && h->s <= ws[k] &&
                h->e >= we[k])
                return true;
        }
        return false;
    }
    return false;
}

/* A verb repeated after commas ("they can kill, kill, kill anyone who
 * disagrees") continues the clause of its first occurrence: the clause of
 * the trigger holds nothing before it, and the clause before ends with the
 * same word.  Returns the start of the first occurrence's word, or ts when
 * the trigger repeats nothing; *hcs is the start of its clause. */
static uint32_t repetition_head(const actx *a, uint32_t cs, uint32_t ss, uint32_t ts,
                                uint32_t te, uint32_t *hcs)
{
    uint32_t head = ts, p = cs;
    *hcs = cs;
    if (count_words(a, cs, ts) > 0)
        return ts;
    for (int hop = 0; hop < 6 && p > ss + 1; hop++) {
        uint32_t pcs, pce;
        unit_of(a, p - 1, 1, &pcs, &pce, NULL);
        if (pcs < ss)
            pcs = ss;
        uint32_t ws[2] = {0}, we[2] = {0};
        size_t n = words_back(a, pcs, pce, ws, we, 1);
        if (n != 1 || we[0] - ws[0] != te - ts || memcmp(a->t + ws[0], a->t + ts, te - ts) != 0)
            break;
        head = ws[0];
        *hcs = pcs;
        p = pcs;
        if (count_words(a, pcs, ws[0]) > 0)
            break;
    }
    return head;
}

/* The subject of an English passive of a verb that also harms things
 * (not flagged person) is a thing: "we want all GMO's to be destroyed, and
 * ... they ...", "It must be destroyed".  The words of the trigger's clause
 * before "be" that no cue claims hold a noun phrase, and no target, object
 * word or pronoun among them; a person elsewhere in the sentence is no
 * victim then.  A clause that holds only the modal and "be" ("The Jews,
 * who ..., must be destroyed") has its subject elsewhere, and so has a
 * quantifier with an antecedent: not a thing. */
static bool thing_subject(const actx *a, const hit *tr, uint32_t cs, long bc)
{
    if (strcmp(hent(a, tr)->lang, "en") != 0 || bc < 0 || (hent(a, tr)->flags & LX_F_PERSON))
        return false;
    /* (a quantifier that stands for people or places named before is no
     * thing: "fuck israel and america. both should be destroyed") */
    if (a->ante_e > a->ante_s)
        return false;
    size_t free_words = 0;
    for (uint32_t p = cs, ws, we; word_at(a, p, a->h[bc].s, &ws, &we); p = we) {
        bool claimed = false;
        for (size_t i = 0; i < a->nh && !claimed; i++) {
            const hit *h = &a->h[i];
            const lx_entry *e = hent(a, h);
            /* (a name is a person in any language's lexicon) */
            if (h->s < we && h->e > ws && e->kind == LX_TARGET && !(e->flags & LX_F_PRONOUN))
                return false;
            if (h->s < we && h->e > ws && lang_ok(a, e)) {
                if (e->kind == LX_TARGET || (e->kind == LX_CUE && e->sub == LX_CUE_OBJECT))
                    return false;
                claimed = e->kind == LX_CUE;
            }
        }
        free_words += !claimed;
    }
    return free_words > 0;
}

/* An English active past right after "have" / "had" under a modal or a
 * hope: what should have been done ("we should have killed them all", "we
 * should've shot them", "I wish we had wiped them out"); the index of the
 * modal or hope cue, or -1.  Advocacy of a past that cannot come back:
 * severity at most mid. */
static long counterfactual(const actx *a, const hit *tr, uint32_t cs)
{
    static const char *const have[] = {"have", "of", "'ve", "ve", NULL};
    static const char *const had[] = {"had", NULL};
    if (strcmp(hent(a, tr)->lang, "en") != 0)
        return -1;
    uint32_t bw[1] = {0}, be_[1] = {0};
    if (words_back(a, cs, tr->s, bw, be_, 1) != 1)
        return -1;
    if (word_is(a, bw[0], be_[0], have))
        return cue_before(a, LX_CUE_MODAL, cs, bw[0] + 1, 1);
    if (word_is(a, bw[0], be_[0], had))
        return cue_before(a, LX_CUE_HOPE, cs, bw[0], 3);
    return -1;
}

/* The words after the trigger's clause, up to the sentence end `se`, are a
 * tag alone: the last clause of the sentence (after a comma or a dash),
 * later than the trigger, all of whose words (four at most) are tag words:
 * "..., you hear me", «..., понял», «..., rozumiesz». */
static bool tag_clause(const actx *a, uint32_t te, uint32_t se)
{
    static const char *const tag[] = {
        "you", "ya", "u", "hear", "me", "understand", "understood", "got", "get", "it", "that",
        "capisce", "capiche", "comprende", "right", "ok", "okay", "yeah", "huh", "eh", "bitch",
        "pal", "buddy", "punk", "clear", "do", "is", "понял", "поняла", "поняли", "понятно",
        "ясно", "слышишь", "слышал", "слыхал", "усёк", "усек", "уяснил", "ясен", "пень", "ты",
        "меня", "тебе", "зрозумів", "зрозуміла", "зрозуміли", "зрозуміло", "чуєш", "чув",
        "ясно", "мене", "тобі", "rozumiesz", "zrozumiałeś", "zrozumiałaś", "zrozumiano",
        "jasne", "słyszysz", "słyszałeś", "kapujesz", "kumasz", "jasne", "mnie", "ty",
        "ponyal", "yasno", "slyshish", NULL};
    uint32_t last = 0;
    for (size_t i = 0; i < a->nb; i++)
        if (a->b[i].pos >= te && a->b[i].pos < se && a->b[i].level >= 1)
            last = a->b[i].pos + 1;
    if (!last)
        return false;
    size_t k = 0;
    for (uint32_t p = last, ws, we; word_at(a, p, se, &ws, &we); p = we, k++)
        if (!word_is(a, ws, we, tag) || k >= 4)
            return false;
    return k > 0;
}

/* The question mark of a sentence belongs to a tag after the trigger's
 * clause, not to the threat: "You're dead, you hear me?", «Тебе конец,
 * понял?», «Zabiję cię, rozumiesz?» (tag_clause); the sentence does not
 * open with a question word or an auxiliary. */
static bool tag_question(const actx *a, uint32_t ss, uint32_t te, uint32_t se)
{
    /* (a sentence that opens as a question stays one: "Should we kill
     * them all, right?") */
    static const char *const opener[] = {
        "should", "will", "would", "do", "does", "did", "can", "could", "is", "are", "was",
        "were", "shall", "may", "must", "have", "has", "why", "what", "who", "how", "when",
        "where", "which", "ли", "почему", "зачем", "кто", "что", "как", "когда", "где", "разве",
        "неужели", "чи", "чому", "навіщо", "хто", "що", "як", "коли", "де", "хіба", "czy",
        "dlaczego", "po", "kto", "co", "jak", "kiedy", "gdzie", "czemu", NULL};
    uint32_t ows, owe;
    if (word_at(a, ss, te, &ows, &owe) && word_is(a, ows, owe, opener))
        return false;
    return tag_clause(a, te, se);
}

static int decide_type(const actx *a, const hit *tr, uint32_t cs, uint32_t ss, uint32_t se,
                       uint32_t *cue_s)
{
    const lx_entry *e = hent(a, tr);
    uint8_t role = hrole(a, tr);
    if (a->lx->pats[tr->pat].variant == LX_VAR_FOLD1 && addressee_threat(a, cs, tr))
        role = LX_ROLE_FUT1;
    uint32_t ts = tr->s, te = tr->e;
    long c;
    *cue_s = ts;
#define CUE(kind, scope, maxw) (c = cue_before(a, (kind), (scope), ts, (maxw)), \
                                (c >= 0 ? (*cue_s = a->h[c].s, 1) : 0))
    if (e->kind == LX_CODED)
        return ARB_STMT_CODED;
    /* a trigger inside a condition by inversion is a hypothesis: "Should he
     * be killed, the market would crash" (a later clause is conditional) */
    uint32_t inv = !strcmp(e->lang, "en") ? inverted_clause(a, ss, se) : 0;
    if (inv && ts < inv)
        return -1;
    /* a formula with a fixed meaning; still needs a victim, unless it names
     * the addressee itself («jesteś trupem»): a target in the sentence, or an
     * object word before it in its clause («Этих только пулей лечить», «Tych
     * tylko kula») */
    if (e->stmt >= 0)
        return target_near(a, ss, se) >= 0 || (e->flags & LX_F_PRONOUN) ||
                       person_object(a, cue_before(a, LX_CUE_OBJECT, cs, ts, 6))
                   ? e->stmt
                   : -1;
    if (role == LX_ROLE_EMOJI)
        return target_near(a, ss, se) >= 0 ? ARB_STMT_CODED : -1;
    /* an indefinite subject right before an English past is a report, not
     * the modal "someone (should)": "Someone shot him and nobody knows
     * who", "somebody killed my cat" */
    /* (also the base verb spelt with a doubled letter once, which is the
     * past of another verb: "shot" read as "shoot") */
    if ((role == LX_ROLE_PAST || role == LX_ROLE_PART ||
         (role == LX_ROLE_BASE && a->lx->pats[tr->pat].approx)) &&
        !strcmp(e->lang, "en")) {
        static const char *const indef[] = {"someone", "somebody", "anyone", "anybody",
                                            "everyone", "everybody", "nobody", NULL};
        uint32_t pws = 0, pwe = 0;
        for (uint32_t p = cs, xs, xe; word_at(a, p, ts, &xs, &xe); p = xe)
            pws = xs, pwe = xe;
        /* (opening the sentence: "too bad nobody shot him", "if someone
         * shot him" are a regret and a condition) */
        if (pwe > pws && pwe + 1 == ts && word_is(a, pws, pwe, indef) &&
            count_words(a, ss, pws) == 0)
            return -1;
    }
    if (role == LX_ROLE_NOUN) {
        /* "X deserves death" (the subject may be any noun phrase); a hope
         * needs a victim in the sentence ("i hope the execution goes well") */
        bool victim = target_near(a, ss, se) >= 0;
        /* (or a possessive right before the noun, after "for": "i pray
         * for his death", "i hope for their deaths"; not "hopefully his
         * death won't be overshadowed") */
        if (!victim && !strcmp(e->lang, "en")) {
            static const char *const poss[] = {"his", "her", "their", "your", "ur", NULL};
            static const char *const for_[] = {"for", NULL};
            uint32_t bw[2] = {0}, be_[2] = {0};
            victim = words_back(a, cs, ts, bw, be_, 2) == 2 && word_is(a, bw[0], be_[0], for_) &&
                     word_is(a, bw[1], be_[1], poss);
        }
        if (CUE(LX_CUE_ADVOCACY, cs, 3))
            return ARB_STMT_ADVOCACY;
        if (victim && CUE(LX_CUE_HOPE, cs, 4))
            return ARB_STMT_HOPE;
        if (CUE(LX_CUE_MODAL, cs, 3) && target_near(a, te, se) >= 0)
            return ARB_STMT_CALL; /* "calls for the death of X" */
        /* "anyone who does X ought to be subject to execution", "he should
         * get the rope": a subject, a modal, a verb of receiving right before */
        {
            long m = cue_before(a, LX_CUE_MODAL, cs, ts, 4);
            if (m >= 0 && count_words(a, cs, a->h[m].s) > 0 &&
                cue_before(a, LX_CUE_BE, a->h[m].e, ts, 1) >= 0 &&
                cue_before(a, LX_CUE_FIRST, cs, a->h[m].s, 2) < 0) {
                *cue_s = a->h[m].s;
                return ARB_STMT_CALL;
            }
        }
        /* "extermination is the only solution for X", «расстрел — единственный выход» */
        if (cue_after(a, LX_CUE_APPROVE, te, se, 3) >= 0 && target_near(a, ss, se) >= 0)
            return ARB_STMT_ADVOCACY;
        if (!(e->flags & LX_F_FORMULA))
            return -1;
        /* «Оккупантам смерть!»: target just before, trigger ends the clause */
        uint32_t ccs, cce;
        unit_of(a, ts, 1, &ccs, &cce, NULL);
        /* (a pronoun of the next clause is no victim: «Поставь шкаф к
         * стенке, он не будет мешать») */
        long t = target_near(a, te, se);
        if (t >= 0 && count_words(a, te, a->h[t].s) <= 2 &&
            (!(hent(a, &a->h[t])->flags & LX_F_PRONOUN) || a->h[t].e <= cce))
            return ARB_STMT_DEATH_TO;
        t = target_near(a, ccs, ts);
        /* (object words may stand between: «Поставить их всех к стенке») */
        if (t >= 0 && count_words(a, te, cce) == 0 &&
            (count_words(a, a->h[t].e, ts) == 0 || clause_initial(a, a->h[t].e, ts))) {
            *cue_s = a->h[t].s;
            return ARB_STMT_DEATH_TO;
        }
        /* an object word that opens the clause right before the formula:
         * «Всех в печь!», «Wszystkich pod ścianę!», «Всіх до стінки!» */
        t = cue_before(a, LX_CUE_OBJECT, ccs, ts, 0);
        if (t >= 0 && count_words(a, te, cce) == 0 && count_words(a, ccs, a->h[t].s) == 0 &&
            person_object(a, t)) {
            *cue_s = a->h[t].s;
            return ARB_STMT_DEATH_TO;
        }
        /* «Кацапов — к стенке», «Всех предателей — в расход!» */
        t = count_words(a, ccs, ts) == 0 && count_words(a, te, cce) == 0 ? dash_target(a, ss, ts) : -1;
        if (t >= 0) {
            *cue_s = a->h[t].s;
            return ARB_STMT_DEATH_TO;
        }
        return -1;
    }
    bool cond = cue_before(a, LX_CUE_COND, ss, ts, 30) >= 0 || (inv && inv <= ts);
    /* an English base form after an article, or a one-word one before
     * "of", is a noun ("the greatest shot", "a kill", "kidnapping and murder
     * of two teens"; not the phrase "end the lives of X") */
    if (role == LX_ROLE_BASE) {
        static const char *const art[] = {"the", "a", "an", NULL};
        static const char *const of[] = {"of", NULL};
        uint32_t ows, owe;
        if (count_words(a, ts, te) == 1 && word_at(a, te, se, &ows, &owe) &&
            count_words(a, te, ows) == 0 && word_is(a, ows, owe, of))
            return -1;
        uint32_t p = ts > 64 && ts - 64 > cs ? ts - 64 : cs, ws, we;
        size_t before = count_words(a, p, ts);
        for (size_t k = 0; word_at(a, p, ts, &ws, &we); p = we, k++)
            if (k + 2 >= before && word_is(a, ws, we, art))
                return -1;
        /* (and right after a verb of buying or a quantifier: "they will
         * have to buy gas", "pump more gas") */
        static const char *const buy[] = {
            "buy", "buys", "bought", "buying", "sell", "sells", "sold", "selling", "pump",
            "pumped", "pumping", "some", "more", "enough", "much", "cheap", "cheaper", NULL};
        uint32_t bw[1], be_[1];
        if (words_back(a, cs, ts, bw, be_, 1) == 1 && word_is(a, bw[0], be_[0], buy))
            return -1;
    }
    long bc = cue_before(a, LX_CUE_BE, cs, ts, 3);
    bool be = bc >= 0;
    /* an article between "be" and the word makes it a noun ("must have
     * been the greatest shot") */
    for (uint32_t p = be ? a->h[bc].e : ts, ws, we; be && word_at(a, p, ts, &ws, &we); p = we) {
        static const char *const art[] = {"the", "a", "an", NULL};
        if (word_is(a, ws, we, art))
            be = false;
    }
    /* a participle coordinated with an earlier passive call shares its
     * "be": "He should be charged with murder and then hanged", "They
     * must be tried and shot" ("He was arrested and hanged" has no modal) */
    long coord_m = -1;
    if (!be && (role == LX_ROLE_PAST || role == LX_ROLE_PART)) {
        long cj2 = cue_before(a, LX_CUE_CONJ, cs, ts, 1);
        long b2 = cj2 >= 0 ? cue_before(a, LX_CUE_BE, cs, a->h[cj2].s, 8) : -1;
        coord_m = b2 >= 0 ? cue_before(a, LX_CUE_MODAL, cs, a->h[b2].s, 1) : -1;
        if (coord_m >= 0) {
            be = true;
            bc = b2;
        }
    }
    if (e->flags & LX_F_INTRANS) {
        /* the subject is the victim: "i hope he dies", «чтоб ты сдох» */
        if (role == LX_ROLE_GER)
            return -1;
        if (CUE(LX_CUE_ADVOCACY, cs, 3))
            return ARB_STMT_ADVOCACY;
        if (CUE(LX_CUE_HOPE, ss, 6))
            return ARB_STMT_HOPE;
        /* "you will die", "i'll make sure you die" (a victim between) */
        if (CUE(LX_CUE_THREAT, cs, 2))
            return cond ? ARB_STMT_CONDITIONAL : ARB_STMT_INTENT;
        if (role != LX_ROLE_PAST && CUE(LX_CUE_INTENT, cs, 4) &&
            target_near(a, a->h[c].e, ts) >= 0)
            return cond ? ARB_STMT_CONDITIONAL : ARB_STMT_INTENT;
        /* an agentless future of a person or a group: "traitors will die",
         * "those traitors are going to die" (not "everyone will die") */
        if (role == LX_ROLE_BASE && labelled(e, "hang")) {
            long f = future_before(a, cs, ts, 1);
            if (f >= 0 && future_victim(a, cs, a->h[f].s) >= 0) {
                *cue_s = a->h[f].s;
                return cond ? ARB_STMT_CONDITIONAL : ARB_STMT_INTENT;
            }
        }
        if (role == LX_ROLE_PAST || role == LX_ROLE_PRES3)
            return -1;
        /* "X needs to die", «X должны сдохнуть»: the subject before the modal
         * is the victim, a target or any noun phrase that is not the speaker
         * ("we all have to die someday" is no statement) */
        if (CUE(LX_CUE_MODAL, cs, 3)) {
            long m = c;
            if (target_near(a, ss, se) >= 0)
                return ARB_STMT_ADVOCACY;
            /* (nor a generic subject: «Каждый человек когда-то должен
             * умереть», "everyone has to die someday") */
            static const char *const generic[] = {
                "every", "everyone", "everybody", "each", "all", "we", "каждый",
                "каждая", "всякий", "любой", "все", "всё", "кожен", "кожна",
                "кожний", "всі", "усі", "każdy", "każda", "wszyscy", NULL};
            bool gen = false;
            for (uint32_t p = cs, ws, we; !gen && word_at(a, p, a->h[m].s, &ws, &we); p = we)
                gen = word_is(a, ws, we, generic);
            if (gen)
                return -1;
            if (count_words(a, cs, a->h[m].s) > 0 && cue_before(a, LX_CUE_FIRST, cs, a->h[m].s, 3) < 0 &&
                cue_before(a, LX_CUE_OBJECT, cs, a->h[m].s, 3) < 0 && e->severity >= ARB_SEV_HIGH)
                return ARB_STMT_ADVOCACY;
            return -1;
        }
        if (role == LX_ROLE_IMP)
            return ARB_STMT_HOPE;
        if (role == LX_ROLE_BASE && clause_initial(a, cs, ts) && target_near(a, te, se) >= 0 &&
            count_words(a, te, a->h[target_near(a, te, se)].s) <= 1)
            return ARB_STMT_HOPE;
        /* the bare imperative to the addressee: "Die soon, ...", "just die
         * already" -- the verb opens its clause (adverbs only before it) and
         * an adverb of time or manner follows it, and the sentence names a
         * victim ("Die Linke won", "live fast, die young", "die soon, sweet
         * flowers" are none) */
        if (role == LX_ROLE_BASE && bare_imperative(a, cs, ts, te) && target_near(a, ss, se) >= 0)
            return ARB_STMT_HOPE;
        return -1;
    }
    /* a transitive threat needs a victim: a target in the sentence or an
     * object word ("all", «всех») right after the verb */
    bool person = (e->flags & LX_F_PERSON) != 0;
    /* ... nor does the passive of such a verb with a thing as its subject
     * ("we want all GMO's to be destroyed") */
    if ((role == LX_ROLE_PAST || role == LX_ROLE_PART) && be && thing_subject(a, tr, cs, bc))
        return -1;
    /* an English verb whose object is a thing names no victim elsewhere
     * ("Doctors should kill the infection", "hang it in the Oval Office") */
    if (role == LX_ROLE_BASE && thing_object(a, tr))
        return -1;
    /* a phrase of harm received that names a weapon or a body part ("get a
     * bullet in the head", "their teeth knocked out") carries its own "be" */
    bool harm_phrase = role == LX_ROLE_PART && a->lx->pats[tr->pat].lit_len == 0;
    long pm = (role == LX_ROLE_PAST || role == LX_ROLE_PART) && (be || (harm_phrase && person))
                  ? (coord_m >= 0 ? coord_m : cue_before(a, LX_CUE_MODAL, cs, ts, 4))
                  : -1;
    /* "X should be shot": the subject of a passive call is its victim, whoever
     * it is ("that doctor should be shot") */
    bool passive_subject = pm >= 0 && person && count_words(a, cs, a->h[pm].s) > 0;
    /* "the next guy who cuts in line is gonna get a bottle in the face" */
    long fut = harm_phrase ? future_before(a, cs, ts, 2) : -1;
    if (fut >= 0 || (a->uclause != UINT32_MAX && person))
        passive_subject = true;
    /* "this traitor needs impaling": the subject of advocacy + gerund */
    long ga = role == LX_ROLE_GER && person ? cue_before(a, LX_CUE_ADVOCACY, cs, ts, 0) : -1;
    if (ga >= 0 && count_words(a, cs, a->h[ga].s) > 0)
        passive_subject = true;
    /* "i want to see X raped to death": whoever stands between the hope
     * and the participle of a person-only verb */
    long hp = (role == LX_ROLE_PAST || role == LX_ROLE_PART) && person
                  ? cue_before(a, LX_CUE_HOPE, ss, ts, 4)
                  : -1;
    if (hp >= 0 && count_words(a, a->h[hp].e, ts) > 0)
        passive_subject = true;
    /* a frame of a person-only verb with a slot for the victim takes any
     * noun phrase there ("send X to the guillotine", "throw X off a roof");
     * a plain verb does not ("drown those steaks in butter") */
    bool person_obj = person && role != LX_ROLE_PAST && role != LX_ROLE_PART &&
                      role != LX_ROLE_GER && a->lx->pats[tr->pat].lit_len == 0;
    bool ante = a->ante_e > a->ante_s;
    if ((e->flags & LX_F_NAMED) && !named_victim(a, ss, se) && !ante)
        return -1;
    uint32_t nos, noe;
    /* an elliptical conditional threat: a short first clause, a dash, and
     * a bare first-person future ending the sentence («Встретимся —
     * закопаю», «Spotkamy się — zabiję»): the addressee is implied */
    if (role == LX_ROLE_FUT1 && (count_words(a, te, se) == 0 || tag_clause(a, te, se)) &&
        (dash_before(a, ss, ts) || or_else_before(a, ss, ts) || comma_cond_before(a, ss, ts)))
        person_obj = true;
    /* an animal or a thing in the object slot is the verb's object: a
     * pronoun in a later clause («..., он мучается») is no victim */
    long ob = object_after(a, te, se, 2);
    if (ob >= 0 && !person_object(a, ob)) {
        uint32_t ucs, uce;
        unit_of(a, ts, 1, &ucs, &uce, NULL);
        if (target_near(a, ucs, uce) < 0)
            return -1;
    }
    if (!passive_subject && !person_obj && !ante && target_near(a, ss, se) < 0 &&
        !person_object(a, ob) && !nominal_object(a, tr, &nos, &noe) &&
        cue_after(a, LX_CUE_OBJECT, ts + 1, te, 4) < 0 && /* «сверну этой твари шею» */
        !person_object(a, cue_before(a, LX_CUE_OBJECT, cs, ts, 6))) /* «этого урода надо повесить» */
        return -1;
    /* the speaker's verb in a clause of time or condition after a command
     * ("shut up before I beat you", «заткнись, пока я тебя не избил») */
    if (a->tclause != UINT32_MAX) {
        *cue_s = a->tclause;
        return a->tintent ? ARB_STMT_INTENT : ARB_STMT_CONDITIONAL;
    }
    /* harm as the condition of an end: "no peace until every traitor is
     * hanged" */
    if (a->uclause != UINT32_MAX) {
        *cue_s = a->uclause;
        return ARB_STMT_ADVOCACY;
    }
    bool fcond = cond || cue_after(a, LX_CUE_COND, te, se, 30) >= 0;
    /* an agentless future aimed at the addressee or a named group, the
     * subject left out (Russian, Ukrainian third-person plural): «Тебя
     * зарежут как собаку», «Усіх зрадників перевішають»; the victim in
     * the verb's clause, nothing but targets and objects before the verb */
    if (role == LX_ROLE_PRES3 && impersonal_future(a, tr)) {
        uint32_t ucs, uce;
        unit_of(a, ts, 1, &ucs, &uce, NULL);
        if (future_victim(a, ucs, uce) >= 0 && clause_initial(a, ucs, ts))
            return fcond ? ARB_STMT_CONDITIONAL : ARB_STMT_INTENT;
    }
    /* "traitors will hang", "you will hang": the intransitive sense of
     * hanging, a future with a person or a group as its subject and no
     * object ("the painting will hang in the hall" names no one) */
    static const char *const det[] = {"their", "his", "her", "the", "a", "an", "our", "my",
                                      "its", "these", "those", "this", "that", "your", NULL};
    uint32_t dws, dwe;
    if (role == LX_ROLE_BASE && labelled(e, "hang") && object_after(a, te, se, 1) < 0 &&
        !(word_at(a, te, se, &dws, &dwe) && word_is(a, dws, dwe, det))) {
        uint32_t ucs, uce;
        unit_of(a, ts, 1, &ucs, &uce, NULL);
        long f = future_before(a, cs, ts, 1);
        long y = cue_before(a, LX_CUE_THREAT, cs, ts, 1);
        if (target_near(a, te, uce) < 0 &&
            ((f >= 0 && future_victim(a, cs, a->h[f].s) >= 0) || y >= 0)) {
            *cue_s = a->h[f >= 0 ? f : y].s;
            return fcond ? ARB_STMT_CONDITIONAL : ARB_STMT_INTENT;
        }
    }
    /* a counterfactual: what should have been done to a named victim is
     * advocacy of it (counterfactual(); the victim was checked above: "I
     * should have killed that spider" names none) */
    if (!be && !cond && (role == LX_ROLE_PAST || role == LX_ROLE_PAST1 || role == LX_ROLE_PART)) {
        long m = counterfactual(a, tr, cs);
        if (m >= 0) {
            *cue_s = a->h[m].s;
            return ARB_STMT_ADVOCACY;
        }
    }
    if (role == LX_ROLE_PAST1)
        return ARB_STMT_ADMISSION;
    if (role == LX_ROLE_PAST || role == LX_ROLE_PART) {
        if (coord_m >= 0) {
            *cue_s = a->h[coord_m].s;
            return ARB_STMT_CALL;
        }
        if (be && CUE(LX_CUE_MODAL, cs, 4))
            return ARB_STMT_CALL;
        if (be && CUE(LX_CUE_ADVOCACY, cs, 4))
            return ARB_STMT_ADVOCACY;
        if (be && CUE(LX_CUE_HOPE, ss, 6))
            return ARB_STMT_HOPE;
        if (role == LX_ROLE_PART && CUE(LX_CUE_MODAL, cs, 3))
            return ARB_STMT_CALL;
        /* "X needs his ass kicked" */
        if (role == LX_ROLE_PART && CUE(LX_CUE_ADVOCACY, cs, 0))
            return ARB_STMT_ADVOCACY;
        /* harm welcomed in a condition: «был бы рад, если бы его
         * повесили», "I'd be happy if they shot him" (the «бы» of the
         * condition is no subjunctive of the speaker) */
        {
            long wc = cue_before(a, LX_CUE_HOPE, ss, ts, 8);
            if (wc >= 0 && welcome_at(a, a->h[wc].s)) {
                *cue_s = a->h[wc].s;
                return ARB_STMT_HOPE;
            }
        }
        /* the subjunctive first person: «я бы его задушил», «задушив би
         * тебе» (a particle right before or after the past form) */
        if (role == LX_ROLE_PAST) {
            long sb = cue_before(a, LX_CUE_INTENT, cs, ts, 3);
            /* an intent cue that holds the particle, right before the past
             * form, is the conditional: «я бы с удовольствием придушил»,
             * «z przyjemnością bym go udusił» */
            if (sb >= 0 && strcmp(hent(a, &a->h[sb])->label, "subjunctive") != 0 &&
                count_words(a, a->h[sb].e, ts) <= 1)
                for (size_t i = 0; i < a->nh; i++) {
                    const lx_entry *pe = hent(a, &a->h[i]);
                    if (pe->kind == LX_CUE && pe->sub == LX_CUE_INTENT && lang_ok(a, pe) &&
                        labelled(pe, "subjunctive") && a->h[i].s >= a->h[sb].s &&
                        a->h[i].e <= a->h[sb].e && count_words(a, a->h[i].s, a->h[i].e) == 1) {
                        sb = (long)i;
                        break;
                    }
                }
            if (sb < 0 || strcmp(hent(a, &a->h[sb])->label, "subjunctive") != 0)
                sb = cue_after(a, LX_CUE_INTENT, te, se, 0);
            /* (not the «бы» of a condition: «если бы его повесили», «якби»,
             * «gdyby» -- a hypothesis, not the speaker's wish) */
            if (sb >= 0 && !strcmp(hent(a, &a->h[sb])->label, "subjunctive") &&
                cue_before(a, LX_CUE_COND, cs, ts, 12) < 0) {
                if (a->h[sb].s < ts)
                    *cue_s = a->h[sb].s;
                return cond ? ARB_STMT_CONDITIONAL : ARB_STMT_INTENT;
            }
        }
        /* "you're dead", "you will be dead" */
        if (role == LX_ROLE_PART && CUE(LX_CUE_THREAT, cs, 2))
            return cond ? ARB_STMT_CONDITIONAL : ARB_STMT_INTENT;
        /* an agentless future passive: "you'll be shot like a dog", "your
         * whole family is going to be slaughtered", «Zostaniecie wszyscy
         * powieszeni» -- a future auxiliary at most two words before the
         * participle (with "be" for an English past form), and for a third
         * person a subject that names a person or a group ("will soldiers
         * be killed?" has none before "will") */
        for (size_t i = 0; i < a->nh; i++) {
            const hit *h = &a->h[i];
            const lx_entry *he = hent(a, h);
            if (he->kind != LX_CUE || he->sub != LX_CUE_THREAT || h->s < cs || h->e > ts ||
                !lang_ok(a, he))
                continue;
            /* (or a participle coordinated with the one after the
             * auxiliary: "you will be hunted down and killed", "tracked
             * down and shot": at most two words, then "and" right before) */
            if (count_words(a, h->e, ts) > 2) {
                long cj = cue_before(a, LX_CUE_CONJ, h->e, ts, 0);
                if (role != LX_ROLE_PAST || cj < 0 || count_words(a, h->e, a->h[cj].s) > 2 ||
                    count_words(a, h->e, a->h[cj].s) == 0)
                    continue;
            }
            /* (an attack that may be words, "you'll be attacked for it",
             * is no threat; nor is a passive with its agent, "she will be
             * attacked by the left") */
            if (e->severity < ARB_SEV_HIGH || agent_after(a, te, se))
                continue;
            if (role == LX_ROLE_PAST && !(be && a->h[bc].s >= h->s) &&
                !ends_with(a, h->s, h->e, " be")) /* "you'll be" hides its "be" */
                continue;
            /* (a third person's future with "get" foretells what befalls
             * them: "Antifa will get murdered out there") */
            static const char *const get[] = {"get", "gets", NULL};
            if (labelled(he, FUTURE3) &&
                (count_words(a, cs, h->s) == 0 || future_victim(a, cs, h->s) < 0 ||
                 (be && word_is(a, a->h[bc].s, a->h[bc].e, get))))
                continue;
            *cue_s = h->s;
            return cond || cue_after(a, LX_CUE_COND, te, se, 30) >= 0 ? ARB_STMT_CONDITIONAL
                                                                      : ARB_STMT_INTENT;
        }
        /* "X is gonna get a bullet in the head", "X are going to have their
         * fingernails ripped out" */
        if (fut >= 0) {
            *cue_s = a->h[fut].s;
            return cond ? ARB_STMT_CONDITIONAL : ARB_STMT_INTENT;
        }
        /* "i want them dead", "i'd love to see them hanged", "in a just
         * world X like you would all be dead" */
        if (CUE(LX_CUE_HOPE, ss, 8) &&
            (role == LX_ROLE_PART || hp >= 0 || target_near(a, a->h[c].e, ts) >= 0))
            return ARB_STMT_HOPE;
        if (role == LX_ROLE_PART && CUE(LX_CUE_INTENT, cs, 4))
            return cond ? ARB_STMT_CONDITIONAL : ARB_STMT_INTENT;
        /* a suggestion in the past form: "what if we just shot them all?" */
        if (!be && role == LX_ROLE_PAST) {
            long rq = cue_before(a, LX_CUE_MODAL, cs, ts, 1);
            if (rq >= 0 && labelled(hent(a, &a->h[rq]), "rhetorical")) {
                *cue_s = a->h[rq].s;
                return ARB_STMT_CALL;
            }
        }
        /* (the speaker as the subject of a passive is a victim: "I was
         * raped as a child", "we got shot at") */
        if (!be && role == LX_ROLE_PAST && CUE(LX_CUE_FIRST, cs, 1)) {
            static const char *const aux[] = {"was", "were", "got", "get", "gets", "am", "m",
                                              "been", "is", "are", "being", NULL};
            if (last_word_is(a, a->h[c].s, ts, aux))
                return -1;
            return ARB_STMT_ADMISSION;
        }
        /* a past act endorsed after it: "i stabbed a guy and i'd do it
         * again", «я её бил ... и правильно делал» */
        if (!be && role == LX_ROLE_PAST && cue_after(a, LX_CUE_APPROVE, te, se, 12) >= 0 &&
            cue_before(a, LX_CUE_REPORT, ss, se, 40) < 0)
            return ARB_STMT_ADMISSION;
        return -1;
    }
    if ((role == LX_ROLE_GER || role == LX_ROLE_INF) && cue_after(a, LX_CUE_APPROVE, te, se, 6) >= 0)
        return ARB_STMT_ADVOCACY; /* "killing them is the right thing", «убивать их — правильно» */
    if (role == LX_ROLE_GER) {
        /* "X needs killing", "X deserves hanging" */
        if (CUE(LX_CUE_ADVOCACY, cs, 0))
            return ARB_STMT_ADVOCACY;
        /* "start killing them", "we need to keep shooting" */
        if (CUE(LX_CUE_INTENT, cs, 3))
            return cond ? ARB_STMT_CONDITIONAL : ARB_STMT_INTENT;
        if (CUE(LX_CUE_MODAL, cs, 1)) { /* not "whoever did the shooting" */
            /* (a beginning foretold of someone else: "they'll start
             * shooting minority kids", "Muslims start killing") */
            static const char *const begin[] = {"start", "begin", "keep", "continue", NULL};
            static const char *const aux[] = {
                "will", "would", "shall", "could", "can", "might", "may", "gonna", "they", "he",
                "she", "it", "who", "then", "ll", NULL};
            uint32_t mw[1], me[1];
            const hit *m = &a->h[c];
            if (word_is(a, m->s, m->e, begin) && words_back(a, cs, m->s, mw, me, 1) == 1 &&
                (word_is(a, mw[0], me[0], aux) || ends_with(a, mw[0], me[0], "'ll") ||
                 ends_with(a, mw[0], me[0], "\xE2\x80\x99ll") ||
                 (!strcmp(e->lang, "en") && agent_before(a, cs, m->s))))
                return -1;
            return ARB_STMT_CALL;
        }
        return -1;
    }
    if (role == LX_ROLE_FUT1)
        return cond ? ARB_STMT_CONDITIONAL : ARB_STMT_INTENT;
    /* "if the count goes against us, we hang the officials": a first-person
     * present after a condition */
    if (cond && role == LX_ROLE_BASE && CUE(LX_CUE_FIRST, cs, 0))
        return ARB_STMT_CONDITIONAL;
    if (CUE(LX_CUE_INTENT, cs, 4))
        return cond ? ARB_STMT_CONDITIONAL : ARB_STMT_INTENT;
    /* a chat future with its subject left out, opening the sentence:
     * "gonna slit ur throat", "finna shoot up ur school" -- the speaker's
     * (a third person would be named: "he's gonna ...") */
    if (role == LX_ROLE_BASE && !strcmp(e->lang, "en")) {
        static const char *const elided[] = {"gonna", "finna", "gon", "boutta", "imma", NULL};
        uint32_t ews, ewe;
        if (word_at(a, ss, ts, &ews, &ewe) && word_is(a, ews, ewe, elided) &&
            count_words(a, ss, ews) == 0 && count_words(a, ewe, ts) <= 2) {
            *cue_s = ews;
            return cond ? ARB_STMT_CONDITIONAL : ARB_STMT_INTENT;
        }
    }
    /* a verb coordinated with an earlier one shares its frame: "i'm going to
     * find the witness and slit her throat", "round them up and hang them" */
    long cj = role == LX_ROLE_BASE || role == LX_ROLE_INF ? cue_before(a, LX_CUE_CONJ, cs, ts, 0)
                                                          : -1;
    long obj = target_near(a, ts + 1, se); /* may sit inside a phrasal trigger */
    bool has_obj = object_after(a, te, se, 1) >= 0 ||
                   (obj >= 0 && count_words(a, te, a->h[obj].s) <= 2) || person_obj ||
                   (obj >= 0 && count_words(a, te, a->h[obj].s) <= 5 &&
                    people_of(a, te, a->h[obj].s));
    /* (a list of verb phrases after commas shares the frame of its first
     * clause: "somebody should grab him, tie him up and hang him") */
    bool limp = false;
    uint32_t lcs = role == LX_ROLE_BASE || role == LX_ROLE_INF ? list_frame(a, cs, ss, &limp) : cs;
    /* (the list shares its victim: named in an earlier item or fronted
     * there, «Trzeba go znaleźć, pobić i powiesić», or after the last verb,
     * "find, beat and bury that traitor") */
    if (lcs < cs && !has_obj) {
        uint32_t ucs, uce;
        unit_of(a, ts, 1, &ucs, &uce, NULL);
        long lc = cue_after(a, LX_CUE_CONJ, te, uce, 0);
        has_obj = target_near(a, lcs, cs) >= 0 ||
                  person_object(a, cue_before(a, LX_CUE_OBJECT, lcs, cs, 12)) ||
                  (lc >= 0 && obj >= 0 && a->h[obj].e <= uce &&
                   count_words(a, te, a->h[obj].s) <= 4);
    }
    /* a fronted victim before infinitives coordinated, the violent one
     * last: «Чурок гнать и резать!», «Zdrajców łapać i wieszać!» (a
     * victim, one or two words no entry claims, the conjunction) */
    if (role == LX_ROLE_INF && cj >= 0 && !has_obj) {
        long v = target_near(a, cs, a->h[cj].s);
        if (v < 0)
            v = cue_before(a, LX_CUE_OBJECT, cs, a->h[cj].s, 3);
        size_t between = v >= 0 ? count_words(a, a->h[v].e, a->h[cj].s) : 0;
        bool free_words = between >= 1 && between <= 2 && count_words(a, cs, a->h[v].s) == 0;
        for (size_t i = 0; free_words && i < a->nh; i++)
            if (a->h[i].s >= a->h[v].e && a->h[i].e <= a->h[cj].s &&
                hent(a, &a->h[i])->kind != LX_MOD)
                free_words = false;
        if (free_words && (hent(a, &a->h[v])->kind == LX_TARGET || person_object(a, v))) {
            *cue_s = a->h[v].s;
            return ARB_STMT_CALL;
        }
    }
    if (cj >= 0 && has_obj) { /* a verb, not a noun: it has an object ("rape and murder" is no call) */
        if (CUE(LX_CUE_INTENT, lcs, 12))
            return cond ? ARB_STMT_CONDITIONAL : ARB_STMT_INTENT;
        if (CUE(LX_CUE_MODAL, lcs, 12))
            return ARB_STMT_CALL;
        /* (a list opened by an imperative, for the worst verb of it: "find
         * him, beat him and kill him") */
        if (role == LX_ROLE_BASE &&
            (imperative_start(a, cs, a->h[cj].s) || (limp && e->severity >= ARB_SEV_HIGH)))
            return ARB_STMT_CALL;
    }
    /* a verb that opens a later item of such a list: "beat" in "i'm going
     * to find, beat and kill him" */
    if (lcs < cs && cj < 0 && has_obj && count_words(a, cs, ts) == 0) {
        if (CUE(LX_CUE_INTENT, lcs, 12))
            return cond ? ARB_STMT_CONDITIONAL : ARB_STMT_INTENT;
        if (CUE(LX_CUE_MODAL, lcs, 12))
            return ARB_STMT_CALL;
    }
    if (CUE(LX_CUE_HOPE, ss, 6))
        return ARB_STMT_HOPE;
    if (CUE(LX_CUE_ADVOCACY, cs, 3))
        return ARB_STMT_ADVOCACY;
    if (CUE(LX_CUE_MODAL, cs, 4))
        return ARB_STMT_CALL;
    if (role == LX_ROLE_IMP)
        return ARB_STMT_CALL;
    /* the object may sit inside a phrasal trigger ("throw them off a roof") */
    /* (a past participle before "by" is a passive with its agent: "shot by
     * police in 1994") */
    if (role == LX_ROLE_BASE && clause_initial(a, cs, ts) && has_obj && !agent_after(a, te, se)) {
        /* (a subject pronoun right before the verb makes it a past or a
         * present, not an imperative: "He shot them.", "She beat him.";
         * a vocative has its comma: "Boys, shoot them") */
        static const char *const subj[] = {"he", "she", "they", "it", "we", "i", "who", NULL};
        if (last_word_is(a, cs, ts, subj))
            return -1;
        /* (nor a group named right before it: "Women murder millions of
         * babies every year" is a claim about the group as agent) */
        if (!strcmp(e->lang, "en") && agent_before(a, cs, ts))
            return -1;
        /* (a verb repeated after commas continues its first occurrence:
         * "they can kill, kill, kill anyone who disagrees") */
        uint32_t hcs, head = repetition_head(a, cs, ss, ts, te, &hcs);
        if (head != ts && !clause_initial(a, hcs, head))
            return -1;
        return ARB_STMT_CALL;
    }
    /* (a pattern of several words holds its object: «Давить их машинами!»,
     * «Давити їх машинами!», like «Задавить их машинами!») */
    if (role == LX_ROLE_INF && clause_initial(a, cs, ts) &&
        (count_words(a, te, se) > 0 || count_words(a, ts, te) > 1))
        return ARB_STMT_CALL;
    /* the infinitive as a slogan after a target phrase and a dash
     * («Пленных орков — расстреливать!»), or ending the sentence after its
     * object («Зеленского повесить!», «Zełenskiego powiesić!»; not
     * «Картину повесить!», which names no one) */
    if (role == LX_ROLE_INF && dash_target(a, ss, ts) >= 0) {
        *cue_s = ss;
        return ARB_STMT_CALL;
    }
    if (role == LX_ROLE_INF && count_words(a, te, se) == 0 && count_words(a, cs, ts) > 0 &&
        clause_initial(a, cs, ts) && target_near(a, cs, ts) >= 0)
        return ARB_STMT_CALL;
#undef CUE
    return -1;
}

static arb_status build_targets(actx *a, const hit *tr, uint32_t ss, uint32_t se,
                                arb_statement *st, uint32_t *span_s, uint32_t *span_e,
                                uint32_t *obf)
{
    size_t cap = 0;
    for (size_t i = 0; i < a->nh; i++)
        if (hent(a, &a->h[i])->kind == LX_TARGET &&
            ((a->h[i].s >= ss && a->h[i].e <= se) ||
             (a->h[i].s >= a->ante_s && a->h[i].e <= a->ante_e)))
            cap++;
    cap += 2; /* room for a nominalized victim and a possessive one */
    arb_target *tv = arb__arena_alloc(a->ar, cap * sizeof *tv);
    uint32_t *ns = arb__arena_alloc(a->ar, cap * 2 * sizeof *ns);
    if (!tv || !ns)
        return ARB_LIMIT;
    size_t n = 0;
    uint32_t last_end = 0;
    /* a pronoun in another clause of the sentence is not a victim when the
     * trigger's own clause names one ("Kill the occupiers, they came to our
     * land": "they" is the occupiers) */
    uint32_t tcs, tce;
    unit_of(a, tr->s, 1, &tcs, &tce, NULL);
    /* a possessive inside a phrasal trigger names the victim: "I'll end
     * your life", "I will take his life" -- the addressee or the third
     * person, as "your ass" is the addressee; then a target named after
     * the trigger is not its victim ("I will take his life and the cops
     * will come for me").  (Not when a target hit lies inside the trigger:
     * "burn their church" names the church; nor a possessive ending it.) */
    uint32_t pss = 0, pse = 0;
    size_t pk = 0;
    static const char *const poss[][4] = {{"your", "ur", "yer", NULL}, {"his", NULL}, {"her", NULL},
                                          {"their", NULL}};
    bool inner_target = false;
    for (size_t i = 0; i < a->nh; i++)
        if (hent(a, &a->h[i])->kind == LX_TARGET && a->h[i].s >= tr->s && a->h[i].e <= tr->e)
            inner_target = true;
    if (!inner_target && count_words(a, tr->s, tr->e) > 1) {
        uint32_t ws, we;
        for (uint32_t p = tr->s; !pse && word_at(a, p, tr->e, &ws, &we); p = we)
            for (size_t k = 0; k < sizeof poss / sizeof poss[0] && !pse; k++)
                if (word_is(a, ws, we, poss[k]) && count_words(a, we, tr->e) > 0)
                    pss = ws, pse = we, pk = k;
    }
    bool named_in_clause = false;
    for (size_t i = 0; i < a->nh; i++) {
        const hit *h = &a->h[i];
        const lx_entry *e = hent(a, h);
        if (e->kind == LX_TARGET && !(e->flags & LX_F_PRONOUN) && h->s >= tcs && h->e <= tce &&
            !overlaps(h->s, h->e, tr->s, tr->e) && !in_cred(a, h) && area_ok(a, h))
            named_in_clause = true;
    }
    for (size_t i = 0; i < a->nh; i++) {
        const hit *h = &a->h[i];
        const lx_entry *e = hent(a, h);
        /* (the groups or places a quantifier victim stands for, named
         * before the trigger's clause: any target there but a pronoun) */
        bool ante = h->s >= a->ante_s && h->e <= a->ante_e && !(e->flags & LX_F_PRONOUN) &&
                    (h->s < ss || h->e > se || h->e <= tcs);
        if (e->kind != LX_TARGET || ((h->s < ss || h->e > se) && !ante))
            continue;
        if (((e->flags & LX_F_PRONOUN) && !lang_ok(a, e)) || in_cred(a, h) ||
            (!ante && !area_ok(a, h)))
            continue;
        if ((e->flags & LX_F_PRONOUN) && named_in_clause && (h->s < tcs || h->e > tce))
            continue;
        if (pse && h->s >= tr->e)
            continue;
        if (n && h->s < last_end)
            continue; /* overlapping a target already taken (longest first) */
        /* a word that is also the trigger is not its victim; a target
         * inside a phrasal trigger is ("make those X suffer") */
        if (overlaps(h->s, h->e, tr->s, tr->e) &&
            !(h->s >= tr->s && h->e <= tr->e && h->e - h->s < tr->e - tr->s))
            continue;
        arb_target t = {.cls = (arb_target_class)e->cls, .entity = e->entity, .label = e->label};
        memcpy(t.affiliation, e->affil, sizeof t.affiliation);
        uint32_t s = h->s, en = h->e;
        if (a->lx->pats[h->pat].variant == LX_VAR_TRANSLIT)
            *obf |= ARB_OBF_TRANSLIT;
        else if (a->lx->pats[h->pat].variant == LX_VAR_KEYBOARD)
            *obf |= ARB_OBF_KEYBOARD;
        /* a qualified group: "russian soldiers", "captured russian soldiers",
         * «мирных русских» -- adjacent targets merge into one: prisoner of war
         * if any part says so, else the class of the noun, and the first
         * affiliation named */
        for (size_t j = i + 1; j < a->nh; j++) {
            const hit *g = &a->h[j];
            const lx_entry *ge = hent(a, g);
            if (g->s < en || ge->kind != LX_TARGET)
                continue;
            if (count_words(a, en, g->s) > 0 || g->e > se || (ge->flags & LX_F_PRONOUN))
                break;
            bool cur_adj = (e->flags & LX_F_ADJ) != 0, next_adj = (ge->flags & LX_F_ADJ) != 0;
            bool cur_group = (e->flags & LX_F_GROUP) != 0;
            if (!cur_adj && !(cur_group && next_adj && ge->cls == ARB_TARGET_NATIONALITY))
                break;
            if (cur_adj && ge->cls == ARB_TARGET_NATIONALITY && !next_adj)
                break; /* "russian russians": not a qualifier */
            if (!t.affiliation[0] && ge->affil[0])
                memcpy(t.affiliation, ge->affil, sizeof t.affiliation);
            if (t.cls != ARB_TARGET_POW) {
                if (ge->cls == ARB_TARGET_POW || !next_adj || t.cls == ARB_TARGET_NATIONALITY) {
                    t.cls = (arb_target_class)ge->cls;
                    t.label = ge->label;
                }
            }
            if (ge->entity)
                t.entity = ge->entity;
            en = g->e;
            e = ge;
        }
        last_end = en;
        /* de-duplicate the same target named twice: a body part of the
         * addressee ("shut your ass up before I beat you") is the addressee;
         * the naming in the trigger's own clause, or the plain pronoun,
         * stands for both */
        bool dup = false;
        for (size_t k = 0; k < n && !dup; k++) {
            if (tv[k].cls != t.cls || tv[k].entity != t.entity ||
                strcmp(tv[k].label, t.label) || strcmp(tv[k].affiliation, t.affiliation))
                continue;
            dup = true;
            bool old_in = ns[2 * k] >= tcs && ns[2 * k + 1] <= tce, new_in = s >= tcs && en <= tce;
            if ((new_in && !old_in) || (new_in == old_in && en - s < ns[2 * k + 1] - ns[2 * k] &&
                                        !overlaps(ns[2 * k], ns[2 * k + 1], tr->s, tr->e))) {
                tv[k].span = map_span(a->norm, s, en);
                ns[2 * k] = s;
                ns[2 * k + 1] = en;
            }
        }
        if (dup)
            continue;
        t.span = map_span(a->norm, s, en);
        ns[2 * n] = s;
        ns[2 * n + 1] = en;
        tv[n++] = t;
    }
    if (pse) {
        static const struct {
            arb_target_class cls;
            const char *label;
        } pv[] = {{ARB_TARGET_PRIVATE_PERSON, "you"},
                  {ARB_TARGET_PRIVATE_PERSON, "third_person"},
                  {ARB_TARGET_PRIVATE_PERSON, "third_person"},
                  {ARB_TARGET_UNKNOWN, "them"}};
        bool have = false;
        for (size_t k = 0; k < n; k++)
            have |= tv[k].cls == pv[pk].cls && !strcmp(tv[k].label, pv[pk].label);
        if (!have) {
            tv[n] = (arb_target){.cls = pv[pk].cls, .label = pv[pk].label,
                                 .span = map_span(a->norm, pss, pse)};
            ns[2 * n] = pss;
            ns[2 * n + 1] = pse;
            n++;
        }
    }
    /* the victim named by a nominalized adjective («отметелим новенького») */
    uint32_t nos, noe;
    if (!n && nominal_object(a, tr, &nos, &noe)) {
        tv[0] = (arb_target){.cls = ARB_TARGET_PRIVATE_PERSON, .label = "nominal",
                             .span = map_span(a->norm, nos, noe)};
        ns[0] = nos;
        ns[1] = noe;
        n = 1;
    }
    for (size_t k = 0; k < n; k++) {
        if (ns[2 * k] < *span_s)
            *span_s = ns[2 * k];
        if (ns[2 * k + 1] > *span_e)
            *span_e = ns[2 * k + 1];
    }
    st->targets = tv;
    st->n_targets = n;
    return ARB_OK;
}

/* a speech verb right after an object word or a target describes the
 * victim, not a quotation: "anyone shouting X should be shot" */
static bool describes_victim(const actx *a, const hit *q)
{
    /* (a finite verb of report has a subject, not a victim: "A Teen Vogue
     * writer says ...", "MSNBC host agreed that ...") */
    if (labelled(hent(a, q), "reported")) {
        /* ("said" as an adjective, after a verb, a preposition or an
         * article, reports nothing: "I see said spear", "with said
         * weapon"; returned as if it described a victim: no quotation) */
        static const char *const adj[] = {
            "the", "see", "saw", "use", "used", "with", "of", "for", "to", "on", "in", "at",
            "from", "by", "get", "got", "take", "took", "grab", "grabbed", "and", "or", NULL};
        uint32_t ws[1], we[1];
        uint32_t cs, ce;
        unit_of(a, q->s, 1, &cs, &ce, NULL);
        return words_back(a, cs, q->s, ws, we, 1) == 1 && word_is(a, ws[0], we[0], adj);
    }
    for (size_t i = 0; i < a->nh; i++) {
        const hit *h = &a->h[i];
        const lx_entry *e = hent(a, h);
        if (h->e <= q->s && count_words(a, h->e, q->s) == 0 &&
            ((e->kind == LX_CUE && e->sub == LX_CUE_OBJECT) ||
             (e->kind == LX_TARGET && !(e->flags & LX_F_PRONOUN))))
            return true;
    }
    return false;
}

/* the hit lies inside a trigger phrase ("horrible" in "a horrible death") */
static bool in_trigger(const actx *a, const hit *h)
{
    for (size_t i = 0; i < a->nh; i++) {
        const hit *o = &a->h[i];
        uint8_t k = hent(a, o)->kind;
        if (arb__lx_makes_statement(k) && o->s <= h->s && o->e >= h->e)
            return true;
    }
    return false;
}

/* a negation cue labelled disclaim in the sentence, at most 8 words before
 * the trigger, with no contrastive "but" after the trigger in the sentence;
 * -1 if none */
static long disclaimer_before(const actx *a, uint32_t ss, uint32_t ts, uint32_t se, uint32_t te)
{
    static const char *const but[] = {"but", "yet", "но", "однако", "але", "проте", "ale",
                                      "jednak", NULL};
    for (size_t i = 0; i < a->nh; i++) {
        const hit *h = &a->h[i];
        const lx_entry *e = hent(a, h);
        if (e->kind != LX_CUE || e->sub != LX_CUE_NEG || !labelled(e, "disclaim") ||
            h->s < ss || h->e > ts || !lang_ok(a, e) || count_words(a, h->e, ts) > 8)
            continue;
        for (uint32_t p = te, ws, we; word_at(a, p, se, &ws, &we); p = we)
            if (word_is(a, ws, we, but))
                return -1;
        return (long)i;
    }
    return -1;
}

/* The condemnation word describes the speaker, not a statement: "I was a
 * racist who wanted to kill leftists", "I'm a proud racist and ...", «я был
 * расистом», «я був расистом», «byłem rasistą»: a first-person copula at
 * most three words before it in its clause (articles and adjectives may
 * stand between). */
static bool self_description(const actx *a, const hit *h)
{
    static const char *const cop1[] = {
        "i'm", "im", "i've", "we're", "byłem", "byłam", "bylem", "bylam", "jestem", "jesteśmy",
        "byliśmy", "zostałem", NULL};
    static const char *const subj[] = {"i", "we", "я", "мы", "ми", NULL};
    static const char *const cop[] = {
        "was", "am", "were", "are", "became", "become", "been", "be", "m", "re", "ve", "был",
        "была", "были",
        "стал", "стала", "був", "була", "були", "став", "стала", NULL};
    /* only a word for what a person is ("I'm heartbroken that ..." is a
     * reaction to the statement, which condemns it) */
    static const char *const who[] = {
        "racist", "bigot", "bigoted", "nazi", "fascist", "расист", "нацист", "фашист", "rasist",
        "nazist", "faszyst", NULL};
    if (word_prefix(a, h->s, h->e, who) < 0)
        return false;
    uint32_t cs, ce;
    unit_of(a, h->s, 1, &cs, &ce, NULL);
    uint32_t ws[8], we[8];
    size_t n = words_back(a, cs, h->s, ws, we, 8);
    for (size_t k = n; k-- > 0 && n - k <= 4;) {
        if (word_is(a, ws[k], we[k], cop1))
            return true;
        if (k > 0 && word_is(a, ws[k], we[k], cop) && word_is(a, ws[k - 1], we[k - 1], subj))
            return true;
        if (word_is(a, ws[k], we[k], subj) && n - k <= 2) /* «я расист» */
            return true;
    }
    return false;
}

/* The speaker restating their own words is no distancing: "I got banned
 * for saying the traitors should be hanged", "I keep saying ...", "I was
 * suspended for saying that this senator should be shot, and I stand by
 * it", «Меня забанили за то, что я написал, что ...», «Мене забанили за
 * те, що я написав, що ...».  Walking back from the quote cue q over the
 * words of a penalty or repetition frame ("got banned for", "was suspended
 * from twitter for", "keep", "have always") reaches the speaker's pronoun.
 * Distancing stays when the speaker disowns the words ("I never said",
 * "I was falsely accused of saying", "they claim I said", «меня обвинили
 * в том, что я написал», a negation before the cue) or regrets them, and
 * when someone else is reported ("I reported him for saying ...", "I read
 * posts saying ..."). */
static bool own_statement(const actx *a, const hit *q, uint32_t ss, uint32_t se)
{
    static const char *const me[] = {"i", "we", "я", "мы", "ми", "ja", "my", NULL};
    static const char *const frame[] = {
        "got", "get", "gets", "was", "were", "been", "have", "has", "had", "am", "m", "ve",
        "keep", "kept", "always", "still", "just", "once", "already", "literally", "repeatedly",
        "banned", "suspended", "blocked", "kicked", "thrown", "off", "out", "of", "from", "on",
        "the", "a", "for", "twitter", "facebook", "reddit", "youtube", "gab", "site", "platform",
        "forum", "server", "jail", "jailed", "arrested", "fired", "censored", "shadowbanned",
        "muted", "locked", "deplatformed", "warned", "week", "month", "day", "days", "hours",
        "permanently", "temporarily", "twice", "again", "even", "simply", "only", "once",
        "что", "що", "że", "ze", "то", "те", "за", NULL};
    static const char *const disown[] = {
        "accused", "accuse", "accuses", "accusing", "falsely", "wrongly", "claim", "claims",
        "claimed", "claiming", "allegedly", "supposedly", "misquoted", "never", "regret",
        "regretted", "sorry", "apologize", "apologise", "apologized", "apologised", "обвинили",
        "обвиняют", "обвинил", "обвинила", "якобы", "будто", "никогда", "жалею", "извинился",
        "звинуватили", "звинувачують", "звинуватив", "нібито", "начебто", "ніколи", "шкодую",
        "вибачився", "oskarżyli", "oskarżono", "oskarżył", "rzekomo", "jakoby", "nigdy",
        "żałuję", "przeprosiłem", NULL};
    uint32_t ws[12], we[12];
    size_t n = words_back(a, ss, q->s, ws, we, 12);
    bool found = false;
    for (size_t k = n; k-- > 0 && n - k <= 8;) {
        if (word_is(a, ws[k], we[k], me)) {
            found = true;
            break;
        }
        if (!word_is(a, ws[k], we[k], frame))
            return false;
    }
    if (!found || cue_before(a, LX_CUE_NEG, ss, q->s, 12) >= 0)
        return false;
    for (uint32_t p = ss, w0, w1; word_at(a, p, se, &w0, &w1); p = w1)
        if (word_is(a, w0, w1, disown))
            return false;
    for (size_t i = 0; i < a->nh; i++) { /* "they claim i said", «якобы я написал» */
        const lx_entry *e = hent(a, &a->h[i]);
        if (e->kind == LX_CUE && e->sub == LX_CUE_QUOTE && labelled(e, "disown") &&
            a->h[i].s >= ss && a->h[i].e <= se)
            return false;
    }
    return true;
}

/* Does the condemnation cue h speak of the call tr?  In the call's own
 * sentence it does ("posts saying X should be shot are disgusting"), and
 * anywhere in the post when the call is quoted or reported (quotation marks,
 * a speech cue in its sentence).  In another sentence it does only through
 * an explicit reference: a demonstrative at most three words before the cue
 * ("This is disgusting", «Это отвратительно», «To obrzydliwe») or a noun
 * for what was said ("talk like this", "such posts", «такие призывы»).
 * "Racist" in a sentence of its own, about something else, does not
 * neutralise a call elsewhere in the post. */
static bool condemns_call(const actx *a, const hit *h, const hit *tr, uint32_t ss, uint32_t se)
{
    static const char *const demo[] = {
        "this", "that", "these", "those", "such", "it", "it's", "that's", "which", "what",
        "это", "этот", "эта", "эти", "такое", "такие", "такой", "так", "что",
        "це", "цей", "ця", "ці", "таке", "такі", "такий", "так", "що",
        "to", "ten", "ta", "te", "takie", "taki", "tak", "co", NULL};
    static const char *const said[] = {
        "words", "talk", "post", "posts", "comment", "comments", "statement", "statements",
        "tweet", "tweets", "rhetoric", "language", "message", "messages", "threat", "threats",
        "saying", "said", "says", "слова", "высказывания", "высказывание", "пост", "посты",
        "комментарий", "комментарии", "призывы", "призыв", "угрозы", "заявления", "разговоры",
        "висловлювання", "пости", "коментар", "коментарі", "заклики", "заклик", "погрози",
        "заяви", "słowa", "slowa", "wpis", "wpisy", "komentarz", "komentarze", "wypowiedzi",
        "wypowiedź", "groźby", "grozby", "nawoływania", "nawolywania", NULL};
    if (self_description(a, h))
        return false;
    if (h->s >= ss && h->e <= se)
        return true;
    for (size_t i = 0; i < a->nq; i++)
        if (a->q[i].s < tr->s && a->q[i].e >= tr->e)
            return true;
    long qc = cue_before(a, LX_CUE_QUOTE, ss, tr->s, 40);
    if (qc >= 0 && !own_statement(a, &a->h[qc], ss, se))
        return true;
    uint32_t hs, he;
    unit_of(a, h->s, 2, &hs, &he, NULL);
    for (size_t i = 0; i < a->nh; i++) {
        const lx_entry *e = hent(a, &a->h[i]);
        if (e->kind == LX_CUE && e->sub == LX_CUE_QUOTE && a->h[i].s >= hs && a->h[i].e <= he)
            return true;
    }
    size_t before = count_words(a, hs, h->s);
    size_t k = 0;
    for (uint32_t p = hs, ws, we; word_at(a, p, he, &ws, &we); p = we, k++) {
        if (ws < h->s && k + 3 >= before && word_is(a, ws, we, demo))
            return true;
        if (word_is(a, ws, we, said))
            return true;
    }
    return false;
}

/* A verb of speech before a colon frames the words after it: "I would
 * never tell anyone: go kill yourself", «Я никогда не скажу человеку:
 * повесься», «Nigdy nikomu nie powiem: powieś się».  When the clause that
 * ends in a colon right before the trigger's clause (in the same sentence)
 * holds a verb of speech, returns the hit index of a negation before that
 * verb in it (*neg true), or, without negation, of nothing: -2 when the
 * verb reports another's words ("He said: ...", «Он написал: ...», no
 * first person in the clause); -1 otherwise.  "Listen: go kill yourself",
 * «Слушай сюда: повесься» have no verb of speech and stay calls. */
static long colon_speech(const actx *a, uint32_t cs, uint32_t ss, bool *neg)
{
    static const char *const speech[] = {
        "say", "said", "tell", "told", "write", "wrote", "advise", "recommend", "suggest",
        "wish", "text", "repl", "answer", "скаж", "сказа", "говор", "напиш", "написа", "пиш",
        "пожела", "посовет", "совет", "предлож", "ответ", "каж", "казав", "побаж", "порад",
        "відпов", "powiem", "powiedz", "mówi", "mowi", "napisz", "napisa", "pisz", "mów", "życz",
        "zycz", "radz", "poradz", "doradz", "odpowi", NULL};
    static const char *const report[] = {
        "said", "told", "wrote", "says", "tells", "writes", "replied", "сказал", "сказала",
        "сказали", "написал", "написала", "написали", "говорит", "говорил", "говорила",
        "пишет", "пишут", "ответил", "ответила", "сказав", "написав",
        "каже", "казав", "казала", "пише", "відповів", "powiedział", "powiedziała",
        "powiedzieli", "napisał", "napisała", "mówi", "mówił", "mówiła", "pisze", "odpowiedział",
        NULL};
    /* "I won't tell you again: ...", «Повторять не буду: ...» negate the
     * repetition, not the words */
    static const char *const again[] = {
        "again", "twice", "снова", "опять", "дважды", "повторять", "знову", "вдруге",
        "двічі", "повторювати", "ponownie", "znowu", "drugi", "dwa", "powtarzać", "powtarzac",
        NULL};
    *neg = false;
    if (cs <= ss + 1 || a->t[cs - 1] != ':')
        return -1;
    uint32_t pcs, pce;
    unit_of(a, cs - 1, 1, &pcs, &pce, NULL);
    if (pcs < ss)
        pcs = ss;
    uint32_t colon = cs - 1;
    for (uint32_t p = pcs, ws, we; word_at(a, p, colon, &ws, &we); p = we)
        if (word_is(a, ws, we, again))
            return -1;
    for (uint32_t p = pcs, ws, we; word_at(a, p, colon, &ws, &we); p = we) {
        if (word_prefix(a, ws, we, speech) < 0)
            continue;
        long c = cue_before(a, LX_CUE_NEG, pcs, ws, 6);
        if (c >= 0) {
            *neg = true;
            return c;
        }
        if (word_is(a, ws, we, report) && cue_before(a, LX_CUE_FIRST, pcs, colon, 12) < 0)
            return -2;
    }
    return -1;
}

static arb_status modifiers(actx *a, const hit *tr, uint32_t cs, uint32_t ss, uint32_t se,
                            char term, arb_statement *st)
{
    sig_list l = {0};
    uint32_t ts = tr->s, te = tr->e;
    long c;
    bool ok = true;
    /* negation in the clause before the trigger (after the "until" of an
     * outcome clause: "this will not stop until they are all hanged") */
    if ((c = cue_before(a, LX_CUE_NEG, a->uclause != UINT32_MAX && a->uclause > cs ? a->uclause : cs,
                        ts, 6)) >= 0)
        ok &= sig_add(a->ar, &l, ARB_MOD_NEGATION, "negation",
                      map_span(a->norm, a->h[c].s, a->h[c].e));
    /* a disclaimer in an earlier clause of the sentence: «Я не кажу, що його
     * треба вбити, я кажу, що його треба судити» -- unless a "but" follows
     * the trigger ("I'm not saying he should be shot, but ...") */
    else if ((c = disclaimer_before(a, ss, ts, se, te)) >= 0)
        ok &= sig_add(a->ar, &l, ARB_MOD_NEGATION, "disclaimer",
                      map_span(a->norm, a->h[c].s, a->h[c].e));
    /* a negated subject: "no X deserves to die", «ни один X не ...»,
     * «żaden X nie ...» -- a negating determiner right before a target that
     * stands before the trigger in its clause */
    else if ((c = cue_before(a, LX_CUE_NEGDET, cs, ts, 8)) >= 0) {
        long t = target_near(a, a->h[c].e, ts);
        /* ... or opens the clause as the subject of a modal: "No human
         * being should ever be put to death" (not "no mercy, kill them") */
        long sm = cue_before(a, LX_CUE_MODAL, a->h[c].e, ts, 6);
        if (sm < 0)
            sm = cue_before(a, LX_CUE_ADVOCACY, a->h[c].e, ts, 6);
        /* (a noun between: "no need to ... kick his ass" is no subject) */
        bool subject = count_words(a, cs, a->h[c].s) == 0 && sm >= 0 &&
                       count_words(a, a->h[c].e, a->h[sm].s) > 0;
        if ((t >= 0 && count_words(a, a->h[c].e, a->h[t].s) <= 1) || subject)
            ok &= sig_add(a->ar, &l, ARB_MOD_NEGATION, "negation",
                          map_span(a->norm, a->h[c].s, a->h[c].e));
    }
    /* a negated or reported verb of speech before a colon («Я никогда не
     * скажу человеку: повесься», "He wrote: kill them all") */
    {
        bool neg = false;
        long cc = colon_speech(a, cs, ss, &neg);
        if (neg && !l.n)
            ok &= sig_add(a->ar, &l, ARB_MOD_NEGATION, "negated_speech",
                          map_span(a->norm, a->h[cc].s, a->h[cc].e));
        else if (cc == -2)
            ok &= sig_add(a->ar, &l, ARB_MOD_QUOTATION, "reported_speech",
                          map_span(a->norm, cs - 1, cs));
    }
    /* a question built on a call is the call ("isn't it time to ...?") */
    /* (an incitement to suicide is never a real question: "kys?", «Почему
     * бы тебе не повеситься?», «Może byś się powiesił?») */
    if (term == '?' && !rhetorical_before(a, ss, ts) && !tag_question(a, ss, te, se) &&
        !(hent(a, tr)->stmt >= 0 && labelled(hent(a, tr), "kill_yourself")))
        ok &= sig_add(a->ar, &l, ARB_MOD_QUESTION, "question_mark", map_span(a->norm, se, se + 1));
    for (size_t i = 0; i < a->nq; i++)
        if (a->q[i].s < ts && a->q[i].e >= te)
            ok &= sig_add(a->ar, &l, ARB_MOD_QUOTATION, "quoted",
                          map_span(a->norm, a->q[i].s, a->q[i].e + 1));
    if ((c = cue_before(a, LX_CUE_QUOTE, ss, ts, 12)) >= 0 && !describes_victim(a, &a->h[c]) &&
        !own_statement(a, &a->h[c], ss, se))
        ok &= sig_add(a->ar, &l, ARB_MOD_QUOTATION, hent(a, &a->h[c])->label,
                      map_span(a->norm, a->h[c].s, a->h[c].e));
    for (size_t i = 0; i < a->nh; i++) {
        const hit *h = &a->h[i];
        const lx_entry *e = hent(a, h);
        bool in_sent = h->s >= ss && h->e <= se;
        if (e->kind == LX_CUE && e->sub == LX_CUE_CONDEMN && !in_trigger(a, h) &&
            condemns_call(a, h, tr, ss, se))
            ok &= sig_add(a->ar, &l, ARB_MOD_CONDEMNATION, e->label, map_span(a->norm, h->s, h->e));
        else if (e->kind == LX_CUE && e->sub == LX_CUE_REPORT && in_sent)
            ok &= sig_add(a->ar, &l, ARB_MOD_REPORTING, e->label, map_span(a->norm, h->s, h->e));
        else if (e->kind == LX_MOD &&
                 !(a->lx->pats[h->pat].approx && !a->lx->pats[tr->pat].approx)) {
            /* (a mod phrase matched with a doubled letter written once does
             * not apply to a correctly spelled trigger: "shot for" is not
             * the idiom "shoot for") */
            /* (a sentence- or post-wide modifier word inside a trigger phrase
             * is part of it: "penalty" in "the death penalty") */
            bool applies = (e->sub == LX_SCOPE_POST && !in_trigger(a, h)) ||
                           (e->sub == LX_SCOPE_SENTENCE && in_sent && !in_trigger(a, h)) ||
                           (e->sub == LX_SCOPE_OVERLAP && overlaps(h->s, h->e, ts, te));
            if (applies)
                ok &= sig_add(a->ar, &l, e->bit, e->label, map_span(a->norm, h->s, h->e));
        }
    }
    if (!ok)
        return ARB_LIMIT;
    for (size_t i = 0; i < l.n; i++)
        st->modifiers |= l.v[i].kind;
    st->mod_signals = l.v;
    st->n_mod_signals = l.n;
    return ARB_OK;
}

/* true when normalization changed the bytes of [s, e): the original bytes
 * are not one contiguous run of the same length (something was removed,
 * joined, collapsed or replaced by a longer/shorter character) */
static bool span_differs(const actx *a, uint32_t s, uint32_t e)
{
    if (!a->norm->orig || e <= s)
        return false;
    const arb_span *o = a->norm->orig;
    uint32_t prev_end = o[s].start;
    size_t total = 0;
    for (uint32_t i = s; i < e; i++) {
        if (o[i].start == o[i > s ? i - 1 : s].start && i > s)
            continue; /* same source span as the byte before */
        if (o[i].start != prev_end)
            return true;
        total += o[i].end - o[i].start;
        prev_end = o[i].end;
    }
    return total != e - s;
}

static int hit_cmp(const hit *x, const hit *y)
{
    if (x->s != y->s)
        return x->s < y->s ? -1 : 1;
    if (x->e != y->e)
        return x->e > y->e ? -1 : 1;
    return x->pat < y->pat ? -1 : x->pat > y->pat;
}

static void sort_hits(hit *h, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        hit x = h[i];
        size_t j = i;
        while (j > 0 && hit_cmp(&h[j - 1], &x) > 0) {
            h[j] = h[j - 1];
            j--;
        }
        h[j] = x;
    }
}

/* ---------------- masks ---------------- */

#define MAX_WORD_CP 48

static size_t decode_cps(const char *s, size_t n, uint32_t *cp, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k < cap;) {
        size_t len;
        cp[k++] = cp_at(s, n, i, &len);
        i += len;
    }
    return k;
}

/* the lexicon form that the masked word w[0..n) stands for, or NULL */
/* The lexicon form a masked word stands for, or NULL.  A mask over a letter
 * ("k*ll") is tried first; failing that, one mask inserted between letters
 * («у*бью»), where the form is the word without it: then *dropped is set. */
static const char *unmask_word(const arb__lexicon *lx, const char *w, size_t n, bool *dropped)
{
    uint32_t wc[MAX_WORD_CP], fc[MAX_WORD_CP];
    size_t wn = decode_cps(w, n, wc, MAX_WORD_CP);
    size_t stars = 0;
    for (size_t i = 0; i < wn; i++)
        stars += wc[i] == '*';
    *dropped = false;
    if (!wn || wc[0] == (uint32_t)0x2a || stars == 0 || wn - stars < 2)
        return NULL;
    bool may_drop = stars == 1 && wn - 1 >= 3 && wc[wn - 1] != '*';
    const char *without = NULL; /* first form matching with the mask dropped */
    for (size_t f = 0; f < lx->n_unmask; f++) {
        const char *form = lx->unmask[f];
        size_t fn = decode_cps(form, strlen(form), fc, MAX_WORD_CP);
        if (fn == wn) {
            size_t i = 0;
            while (i < wn && (wc[i] == '*' || wc[i] == fc[i]))
                i++;
            if (i == wn)
                return form;
        } else if (may_drop && !without && fn + 1 == wn) {
            size_t i = 0, k = 0;
            while (i < wn && k < fn && (wc[i] == '*' ? (i++, true) : wc[i++] == fc[k++]))
                ;
            if (i == wn && k == fn)
                without = form;
        }
    }
    *dropped = without != NULL;
    return without;
}

/* Rewrites masked words ("k*ll", «уб*й») to the lexicon form they match;
 * *out gets a new text whose orig map points at the same original bytes. */
static arb_status unmask_text(const arb__lexicon *lx, arb__arena *ar, const arb_normalized *in,
                              arb_normalized *out, qspan **repl, size_t *n_repl)
{
    *out = *in;
    *n_repl = 0;
    if (!lx->n_unmask || !memchr(in->text, '*', in->len))
        return ARB_OK;
    size_t cap = in->len * 4 + 1;
    char *t = arb__arena_alloc(ar, cap);
    arb_span *o = arb__arena_alloc(ar, cap * sizeof *o);
    qspan *rp = arb__arena_alloc(ar, (in->len / 2 + 1) * sizeof *rp);
    if (!t || !o || !rp)
        return ARB_LIMIT;
    size_t k = 0, nr = 0;
    for (size_t i = 0; i < in->len;) {
        size_t len;
        if (!arb__lx_is_word_char(in->text, in->len, i, &len)) {
            t[k] = in->text[i];
            o[k++] = in->orig ? in->orig[i] : (arb_span){(uint32_t)i, (uint32_t)i + 1};
            i++;
            continue;
        }
        size_t j = i;
        while (j < in->len && arb__lx_is_word_char(in->text, in->len, j, &len))
            j += len;
        bool drop_star = false;
        const char *form = memchr(in->text + i, '*', j - i)
                               ? unmask_word(lx, in->text + i, j - i, &drop_star)
                               : NULL;
        if (!form) {
            for (size_t x = i; x < j; x++) {
                t[k] = in->text[x];
                o[k++] = in->orig ? in->orig[x] : (arb_span){(uint32_t)x, (uint32_t)x + 1};
            }
        } else {
            /* char-by-char: each output char maps to the input char it replaces */
            size_t fl = strlen(form), fi = 0, x = i;
            uint32_t start = (uint32_t)k;
            /* an inserted mask («у*бью» -> «убью») maps to nothing: the
             * span of the word still runs from its first to its last char */
            while (fi < fl && x < j) {
                size_t flen, xlen;
                if (drop_star && in->text[x] == '*') {
                    x++;
                    continue;
                }
                (void)cp_at(form, fl, fi, &flen);
                (void)cp_at(in->text, j, x, &xlen);
                arb_span sp = in->orig ? (arb_span){in->orig[x].start, in->orig[x + xlen - 1].end}
                                       : (arb_span){(uint32_t)x, (uint32_t)(x + xlen)};
                for (size_t y = 0; y < flen; y++) {
                    t[k] = form[fi + y];
                    o[k++] = sp;
                }
                fi += flen;
                x += xlen;
            }
            rp[nr++] = (qspan){start, (uint32_t)k};
        }
        i = j;
    }
    t[k] = 0;
    out->text = t;
    out->len = k;
    out->orig = o;
    *repl = rp;
    *n_repl = nr;
    return ARB_OK;
}

/* Words shared by languages («смерть» is Russian and Ukrainian) match once
 * per language.  Among triggers on the same span, put first the one whose
 * language the language guess ranks best, then the language with the most
 * other hits in the post, so the statement gets the right `lang` and cues. */
static void prefer_language(const arb__lexicon *lx, hit *h, size_t nh, const arb_lang *langs,
                            size_t n_langs)
{
    for (size_t i = 0; i < nh;) {
        size_t j = i + 1;
        while (j < nh && h[j].s == h[i].s && h[j].e == h[i].e)
            j++;
        if (j - i > 1) {
            size_t best = i;
            long best_score = -1;
            for (size_t k = i; k < j; k++) {
                const lx_entry *e = &lx->entries[lx->pats[h[k].pat].entry];
                if (!arb__lx_makes_statement(e->kind))
                    continue;
                long score = 0;
                for (size_t r = 0; r < n_langs; r++)
                    if (!strcmp(langs[r].tag, e->lang))
                        score += 1000 - 100 * (long)r;
                for (size_t x = 0; x < nh; x++)
                    if ((x < i || x >= j) &&
                        !strcmp(lx->entries[lx->pats[h[x].pat].entry].lang, e->lang))
                        score += lx->pats[h[x].pat].approx ? 1 : 2; /* exact spelling counts more */
                if (score > best_score) {
                    best_score = score;
                    best = k;
                }
            }
            hit t = h[i];
            h[i] = h[best];
            h[best] = t;
        }
        i = j;
    }
}

/* ---------------- proper names ----------------
 *
 * A person the lexicons do not know is named by capitalized words: "I will
 * kill John Smith", "Someone should shoot Biden", «Убейте Навального»,
 * «Zastrzelić Kowalskiego».  Normalized text is case folded, so the case is
 * read in the original text.  Only the slots where a victim stands are read
 * (a capital letter elsewhere is a place, a brand, a title): right after a
 * trigger (its object; after "to" for "death to"), inside a phrasal trigger
 * ("send Soros to the gallows"), and right before a trigger with nothing
 * but grammar cues and auxiliaries between ("Pelosi should be hanged", "I
 * hope Soros dies").  Each run of up to four such words becomes a hit of
 * the `named_person` target (entities.yaml), and the grammar decides the
 * rest as for any target.  A word is no name when any other hit claims it
 * (a target, a cue, a `notname` cue: "God", "Monday", "Covid"), when it is
 * a possessive ("Smith's dog"), or when it opens its sentence alone, where
 * a capital says nothing ("Cancer must die"; unless the post writes it with
 * a capital elsewhere too); a sentence written in Title Case has no names. */

/* the original text of normalized [ws, we) is written as a name: an upper
 * case letter first, then more lower case letters than upper case ones
 * ("Smith", "McDonald", «Навальный»); not "I", not ALL CAPS, not "#tag" */
static bool name_case(const actx *a, uint32_t ws, uint32_t we)
{
    if (!a->src || we <= ws || we > a->n)
        return false;
    uint32_t os = a->norm->orig[ws].start, oe = a->norm->orig[we - 1].end;
    if (oe > a->src_len || os >= oe)
        return false;
    size_t up = 0, low = 0, letters = 0;
    for (size_t i = os, len = 1; i < oe; i += len ? len : 1) {
        UChar32 c = (UChar32)cp_at(a->src, a->src_len, i, &len);
        if (!u_isalpha(c)) {
            if (!letters)
                return false;
            continue;
        }
        if (!letters++) {
            if (!u_isupper(c) && !u_istitle(c))
                return false;
            continue;
        }
        if (u_islower(c))
            low++;
        else if (u_isupper(c))
            up++;
    }
    return low >= 1 && low > up;
}

/* the word at ws opens its sentence, or follows ':', a quotation mark, an
 * opening parenthesis or a dash, where a capital letter says nothing */
static bool opens_unit(const actx *a, uint32_t ws)
{
    uint32_t ss, se;
    unit_of(a, ws, 2, &ss, &se, NULL);
    if (count_words(a, ss, ws) == 0)
        return true;
    uint32_t i = ws;
    while (i > ss && a->t[i - 1] == ' ')
        i--;
    if (i <= ss)
        return true;
    const unsigned char *u = (const unsigned char *)a->t;
    unsigned char c = u[i - 1];
    if (c == ':' || c == '"' || c == '(' || c == '\'')
        return true;
    if (c == '-' && i < ws) /* a dash with a space after it, not "Ocasio-Cortez" */
        return true;
    if (i >= 2 && u[i - 2] == 0xC2 && (c == 0xAB || c == 0xBB)) /* « » */
        return true;
    if (i >= 3 && u[i - 3] == 0xE2 && u[i - 2] == 0x80 &&
        (c == 0x9C || c == 0x9D || c == 0x9E || c == 0x93 || c == 0x94)) /* “ ” „ – — */
        return true;
    return false;
}

/* some hit claims [ws, we): any hit overlapping it but a trigger that holds
 * it and more (a name may stand inside a phrasal trigger) */
static bool claimed(const actx *a, uint32_t ws, uint32_t we)
{
    for (size_t i = 0; i < a->nh; i++) {
        const hit *h = &a->h[i];
        if (h->s >= we)
            break;
        if (!overlaps(h->s, h->e, ws, we))
            continue;
        if (arb__lx_makes_statement(hent(a, h)->kind) && h->s <= ws && h->e >= we &&
            h->e - h->s > we - ws)
            continue;
        return true;
    }
    return false;
}

static const char *const honorific[] = {
    "mr", "mrs", "ms", "miss", "mister", "dr", "sir", "lady", "господин", "господина",
    "госпожу", "пан", "пана", "пане", "пані", "pan", "pana", "panu", "panie", "pani",
    "panią", NULL};

/* one word of a name at [ws, we): written as a name, claimed by no hit, no
 * possessive; *poss is set for a possessive ("Smith's") */
static bool in_hashtag(const actx *a, uint32_t ws, size_t *hs);

static bool name_word(const actx *a, uint32_t ws, uint32_t we, bool *poss)
{
    if (!name_case(a, ws, we) || claimed(a, ws, we))
        return false;
    /* (a word of a hashtag is a name only with its trigger in the same
     * hashtag: "#HangHillary", not "Put an end to #ChainMigration") */
    size_t hs;
    if (in_hashtag(a, ws, &hs) &&
        !(a->tr && a->norm->orig[a->tr->s].start >= hs &&
          a->norm->orig[a->tr->s].start < a->norm->orig[ws].start))
        return false;
    if (ends_with(a, ws, we, "'s") || ends_with(a, ws, we, "'") ||
        (we + 1 < a->n && a->t[we] == '\'' && (a->t[we + 1] == 's' || a->t[we + 1] == ' ')) ||
        (we < a->n && a->t[we] == '\'' && we + 1 == a->n)) {
        *poss = true; /* "Mike's high score", "James' car" */
        return false;
    }
    return true;
}

/* the words at [ws, we) and the next one are written "A B": one space */
static bool adjacent(const actx *a, uint32_t we, uint32_t nws)
{
    return nws == we + 1 && (a->t[we] == ' ' || a->t[we] == '-'); /* "Ocasio-Cortez" */
}

/* a run of name words from the word at [ws, we) forward (dir > 0) or
 * backward (dir < 0), at most four, inside [lo, hi); false when it has no
 * word but honorifics, or ends in a possessive */
static bool name_run(const actx *a, uint32_t ws, uint32_t we, int dir, uint32_t lo,
                     uint32_t hi, uint32_t *rs, uint32_t *re)
{
    bool poss = false, real = false;
    uint32_t s = ws, e = we;
    size_t k = 0;
    for (;;) {
        if (!name_word(a, ws, we, &poss))
            break;
        real |= !word_is(a, ws, we, honorific);
        if (ws < s)
            s = ws;
        if (we > e)
            e = we;
        if (++k == 4)
            break;
        uint32_t nws, nwe;
        if (dir > 0) {
            if (!word_at(a, we, hi, &nws, &nwe) || !adjacent(a, we, nws))
                break;
        } else {
            uint32_t p = lo, lws = 0, lwe = 0;
            bool any = false;
            for (uint32_t xs, xe; word_at(a, p, ws, &xs, &xe); p = xe)
                lws = xs, lwe = xe, any = true;
            if (!any || !adjacent(a, lwe, ws))
                break;
            nws = lws, nwe = lwe;
        }
        ws = nws, we = nwe;
    }
    /* (a possessive name before a word of kin names the victim with it:
     * "Kill Mike's whole family"; before anything else it names an owner,
     * "beat Mike's high score", "Smith's dog") */
    if (poss && dir > 0 && name_case(a, ws, we) && !claimed(a, ws, we)) {
        static const char *const kin[] = {
            "family", "families", "wife", "husband", "kids", "kid", "children", "child", "son",
            "sons", "daughter", "daughters", "mother", "mom", "mum", "father", "dad", "brother",
            "sister", "girlfriend", "boyfriend", "parents", "baby", "babies", "grandma",
            "grandpa", "whole", "entire", "little", NULL};
        uint32_t p = ws, xs, xe;
        while (p < a->n && a->t[p] != ' ')
            p++;
        if (word_at(a, p, hi, &xs, &xe) && word_is(a, xs, xe, kin)) {
            poss = false;
            real |= !word_is(a, ws, we, honorific);
            if (ws < s)
                s = ws;
            k++;
            uint32_t ne = ws; /* the name without its "'s" */
            while (ne < a->n && arb__lx_is_word_char(a->t, a->n, ne, NULL) && a->t[ne] != '\'')
                ne++;
            if (ne > e)
                e = ne;
        }
    }
    if (!k || poss || !real)
        return false;
    /* (nor a run followed by a number, "Order 66", "Windows 11", "Route
     * 66", nor one holding a company's suffix, "Card Systems Inc") */
    static const char *const corp[] = {"inc", "ltd", "llc", "corp", "plc", "gmbh", "co",
                                       "company", "corporation", "group", "holdings", NULL};
    for (uint32_t p = s, xs, xe; word_at(a, p, e, &xs, &xe); p = xe)
        if (word_is(a, xs, xe, corp))
            return false;
    uint32_t nxs, nxe;
    if (word_at(a, e, a->n, &nxs, &nxe) && nxs == e + 1 && a->t[nxs] >= '0' && a->t[nxs] <= '9')
        return false;
    if (word_at(a, e, a->n, &nxs, &nxe) && nxs == e + 1 && word_is(a, nxs, nxe, corp))
        return false;
    /* a dangling honorific at the end ("Smith Mr") or start is fine; the
     * run itself is what the statement shows */
    *rs = s;
    *re = e;
    return true;
}

/* the name word [ws, we) is also written as a name somewhere in the post
 * where its capital is not forced (not opening a sentence) */
static bool name_elsewhere(const actx *a, uint32_t ws, uint32_t we)
{
    for (uint32_t p = 0, xs, xe; word_at(a, p, (uint32_t)a->n, &xs, &xe); p = xe)
        if (xs != ws && xe - xs == we - ws && !memcmp(a->t + xs, a->t + ws, we - ws) &&
            name_case(a, xs, xe) && !opens_unit(a, xs))
            return true;
    return false;
}

/* more than three in five words of the sentence are capitalized (a
 * headline in Title Case), in a sentence of five words or more */
static bool title_case(const actx *a, uint32_t ss, uint32_t se)
{
    size_t words = 0, caps = 0;
    for (uint32_t p = ss, ws, we; word_at(a, p, se, &ws, &we); p = we) {
        words++;
        caps += name_case(a, ws, we);
    }
    return words >= 5 && caps * 5 > words * 3;
}

/* words allowed between a name and the trigger it is the subject of,
 * besides grammar cues: "Pelosi needs to be hanged" */
static bool aux_word(const actx *a, uint32_t ws, uint32_t we)
{
    static const char *const aux[] = {"to", "be", "get", "gets", "got", "getting", "just",
                                      "finally", "really", "also", "too", "already", "soon",
                                      "has", "have", "been", "will", "would", "should", "must",
                                      "shall", "can", "could", "may", "might", "all", "and",
                                      "both", NULL};
    return word_is(a, ws, we, aux);
}

/* the words in [from, to) are grammar cues or auxiliaries only, at most
 * three of them: modal, advocacy, passive auxiliary, "and" */
static bool only_cues(const actx *a, uint32_t from, uint32_t to)
{
    size_t k = 0;
    for (uint32_t p = from, ws, we; word_at(a, p, to, &ws, &we); p = we) {
        if (++k > 3)
            return false;
        if (aux_word(a, ws, we))
            continue;
        /* (not a subject of its own: "Mike, I will kill it", "you will") */
        bool cue = false;
        for (size_t i = 0; i < a->nh && !cue; i++) {
            const lx_entry *e = hent(a, &a->h[i]);
            cue = e->kind == LX_CUE && a->h[i].s <= ws && a->h[i].e >= we &&
                  (e->sub == LX_CUE_MODAL || e->sub == LX_CUE_ADVOCACY || e->sub == LX_CUE_BE ||
                   e->sub == LX_CUE_CONJ);
        }
        /* (nor reported speech: "when Waters called for attacks on ...") */
        for (size_t i = 0; i < a->nh && cue; i++) {
            const lx_entry *e = hent(a, &a->h[i]);
            if (e->kind == LX_CUE && overlaps(a->h[i].s, a->h[i].e, ws, we) &&
                (e->sub == LX_CUE_QUOTE || e->sub == LX_CUE_REPORT || e->sub == LX_CUE_NEG))
                cue = false;
        }
        if (!cue)
            return false;
    }
    return true;
}

/* the trigger is written as running text: in lower case, or with a capital
 * only where its sentence opens ("Kill Soros"); not "SHOT Show 2018", not
 * "Assault Weapons Ban", where the capitals are a name's or a headline's */
static bool plain_trigger(const actx *a, const hit *tr)
{
    uint32_t ws, we;
    if (!word_at(a, tr->s, tr->e, &ws, &we))
        return false;
    uint32_t os = a->norm->orig[ws].start, oe = a->norm->orig[we - 1].end;
    if (oe > a->src_len || os >= oe)
        return false;
    size_t len;
    UChar32 c = (UChar32)cp_at(a->src, a->src_len, os, &len);
    if (u_islower(c))
        return true;
    uint32_t ss, se;
    unit_of(a, tr->s, 2, &ss, &se, NULL);
    return name_case(a, ws, we) && count_words(a, ss, ws) == 0;
}

/* the original bytes of normalized ws lie inside a hashtag that starts
 * before them ("#ChainMigration"): [*hs, ...) is where it starts */
static bool in_hashtag(const actx *a, uint32_t ws, size_t *hs)
{
    size_t i = a->norm->orig[ws].start;
    if (i > a->src_len)
        return false;
    while (i > 0) {
        unsigned char c = (unsigned char)a->src[i - 1];
        if (c == '#') {
            *hs = i - 1;
            return true;
        }
        if (c == ' ' || c == '\n' || c == '\t' || c == ',' || c == '.' || c == '!' ||
            c == '?' || c == ':' || c == ';' || c == '"' || c == '(' || c == ')')
            return false;
        i--;
    }
    return false;
}

/* The words right before a name run starting at rs leave it a victim: not
 * a preposition ("Jeńców z Azowa trzeba rozstrzelać", «do Bugu»: a place,
 * an origin), nor a group named right before it, whose genitive it is
 * («Mieszkańców Biełgorodu trzeba wybić»: the residents are the victims). */
static bool name_context_ok(const actx *a, uint32_t rs)
{
    static const char *const prep[] = {
        "of", "from", "in", "at", "with", "for", "by", "on", "into", "near", "across", "over",
        "из", "в", "во", "на", "с", "со", "от", "до", "к", "у", "под", "за", "при", "о", "об",
        "про", "возле", "около", "з", "із", "зі", "від", "під", "біля", "w", "we", "z", "ze",
        "od", "do", "pod", "za", "przy", "o", "po", "dla", "u", "koło", "obok", "spod", "znad",
        NULL};
    uint32_t p = rs;
    while (p > 0 && a->t[p - 1] == ' ')
        p--;
    if (p == rs)
        return true; /* (the run opens the text, or follows punctuation) */
    uint32_t ws = p;
    while (ws > 0 && arb__lx_word_char_before(a->t, ws))
        ws--;
    if (ws < p && word_is(a, ws, p, prep))
        return false;
    for (size_t i = 0; i < a->nh; i++) {
        const lx_entry *e = hent(a, &a->h[i]);
        if (e->kind == LX_TARGET && !(e->flags & LX_F_PRONOUN) && a->h[i].e == p &&
            p + 1 == rs)
            return false;
    }
    return true;
}

static bool add_name(arb__arena *ar, hit **v, size_t *n, size_t *cap, uint32_t s, uint32_t e,
                     uint32_t pat)
{
    if (e <= s)
        return true; /* (nothing to add: see name_context_ok at the call sites) */
    for (size_t i = 0; i < *n; i++)
        if ((*v)[i].s == s && (*v)[i].e == e)
            return true;
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 8;
        hit *nv = arb__arena_alloc(ar, nc * sizeof *nv);
        if (!nv)
            return false;
        if (*n)
            memcpy(nv, *v, *n * sizeof *nv);
        *v = nv;
        *cap = nc;
    }
    (*v)[(*n)++] = (hit){s, e, pat};
    return true;
}

/* a mention ("@mayor_bob") at the normalized word [ws, we): its end in *re */
static bool mention_at(const actx *a, uint32_t ws, uint32_t we, uint32_t *rs, uint32_t *re)
{
    if (ws > 0 && a->t[ws - 1] == '@')
        ws--; /* (the word may start after the '@') */
    if (a->t[ws] != '@' || we < ws + 3)
        return false;
    *rs = ws;
    uint32_t e = ws + 1;
    while (e < a->n && ((a->t[e] >= 'a' && a->t[e] <= 'z') || (a->t[e] >= '0' && a->t[e] <= '9') ||
                        a->t[e] == '_'))
        e++;
    if (e < ws + 3)
        return false;
    *re = e;
    return true;
}

/* Adds the named_person hits (see above) to a->h, sorted; false when out
 * of memory */
static bool proper_names(actx *a)
{
    if (!a->src || a->lx->named_pat < 0)
        return true;
    uint32_t pat = (uint32_t)a->lx->named_pat;
    hit *nv = NULL;
    size_t nn = 0, cap = 0;
    for (size_t i = 0; i < a->nh && nn < 8; i++) {
        const hit *tr = &a->h[i];
        const lx_entry *e = hent(a, tr);
        if (e->kind != LX_TRIGGER || hrole(a, tr) == LX_ROLE_EMOJI)
            continue;
        a->tr = tr;
        uint32_t ss, se, cs, ce, ws, we, rs, re;
        unit_of(a, tr->s, 2, &ss, &se, NULL);
        unit_of(a, tr->s, 1, &cs, &ce, NULL);
        if (title_case(a, ss, se) || !plain_trigger(a, tr))
            continue;
        /* (a verb that also destroys places and things takes a place, a
         * team, a company by name: "Burn Twatter!", "nuke Hollywood";
         * "get rid of McConnell" is mostly political) */
        static const char *const things[] = {"bomb", "burn", "destroy", "eliminate",
                                             "let_them_burn", NULL};
        bool thing_verb = false;
        for (size_t k = 0; things[k] && !thing_verb; k++)
            thing_verb = labelled(e, things[k]);
        /* the object: "kill John Smith", "death to Soros" */
        if (!(e->flags & LX_F_INTRANS) && !thing_verb && word_at(a, tr->e, ce, &ws, &we)) {
            static const char *const to[] = {"to", NULL};
            bool ok = true;
            if ((e->flags & LX_F_FORMULA) && word_is(a, ws, we, to))
                ok = word_at(a, we, ce, &ws, &we);
            /* (a team is what "we" beat by one name: "We're going to
             * slaughter Liverpool on Sunday"; a person has two, "we will
             * hang John Smith", or is named by one of us, "I will kill Mike") */
            static const char *const we_[] = {"we", "we're", "we'll", "we'd", "we've", "let's",
                                              "lets", "us", "our", "мы", "ми", NULL};
            static const char *const we_pl[] = {"my", "nasi", "nasza", "nasz", NULL};
            bool we_subj = false;
            static const char *const let[] = {"let", NULL};
            for (uint32_t q = cs, xs, xe; !we_subj && word_at(a, q, tr->s, &xs, &xe); q = xe)
                we_subj = word_is(a, xs, xe, we_) ||
                          (!strcmp(e->lang, "pl") && word_is(a, xs, xe, we_pl)) ||
                          (word_is(a, xs, xe, let) && xe + 1 < a->n && a->t[xe] == '\'' &&
                           a->t[xe + 1] == 's'); /* "let's", however the words split */
            /* (an English verb opening the sentence before a name is a
             * command only when the name ends the clause or an adverb, a
             * preposition, a conjunction or a determiner follows it: "Kill
             * Soros now", "Hang Hillary for treason"; "Beat Saber is the
             * best VR game", "Hang Seng index fell" are titles) */
            static const char *const after_cmd[] = {
                "now", "today", "tonight", "tomorrow", "already", "asap", "immediately", "too",
                "again", "please", "and", "or", "then", "for", "in", "at", "on", "with", "by",
                "to", "from", "before", "after", "when", "if", "until", "till", "like", "the",
                "a", "an", "his", "her", "their", "this", "that", "dead", "alive", "slowly",
                "publicly", "already", "first", "next", "up", "down", "out", "off", NULL};
            bool title = false;
            uint32_t tws0, twe0;
            if (!strcmp(e->lang, "en") && word_at(a, ss, tr->e, &tws0, &twe0) && tws0 == tr->s &&
                name_run(a, ws, we, 1, cs, ce, &rs, &re)) {
                uint32_t fws, fwe;
                title = word_at(a, re, ce, &fws, &fwe) && !word_is(a, fws, fwe, after_cmd);
            }
            if (ok && !title && name_run(a, ws, we, 1, cs, ce, &rs, &re) &&
                !(we_subj && count_words(a, rs, re) == 1) &&
                !add_name(a->ar, &nv, &nn, &cap, rs, name_context_ok(a, rs) ? re : rs, pat))
                return false;
            /* a mention as the object of a command or a threat: "someone
             * should shoot @mayor_bob", "I will kill @jake" (not a report:
             * "shot dead @CNN") */
            uint8_t r = hrole(a, tr);
            if (ok && (r == LX_ROLE_BASE || r == LX_ROLE_IMP || r == LX_ROLE_INF ||
                       r == LX_ROLE_FUT1 || (e->flags & LX_F_FORMULA)) &&
                mention_at(a, ws, we, &rs, &re) && !claimed(a, rs, re) &&
                !add_name(a->ar, &nv, &nn, &cap, rs, re, pat))
                return false;
        }
        /* inside a phrasal trigger: "send Soros to the gallows" */
        if (count_words(a, tr->s, tr->e) > 2)
            for (uint32_t p = tr->s, xs, xe; word_at(a, p, tr->e, &xs, &xe); p = xe)
                if (xs > tr->s && name_run(a, xs, xe, 1, xs, tr->e, &rs, &re)) {
                    if (!add_name(a->ar, &nv, &nn, &cap, rs, name_context_ok(a, rs) ? re : rs, pat))
                        return false;
                    p = re;
                }
        /* the subject of an optative "may" that opens the sentence: "May
         * Nancy Pelosi rot in a cell and die" */
        static const char *const may[] = {"may", NULL};
        uint32_t mws, mwe, nws2, nwe2;
        if (!strcmp(e->lang, "en") && word_at(a, ss, tr->s, &mws, &mwe) &&
            word_is(a, mws, mwe, may) && count_words(a, ss, mws) == 0 &&
            word_at(a, mwe, tr->s, &nws2, &nwe2) && adjacent(a, mwe, nws2) &&
            name_run(a, nws2, nwe2, 1, cs, tr->s, &rs, &re) &&
            !add_name(a->ar, &nv, &nn, &cap, rs, name_context_ok(a, rs) ? re : rs, pat))
            return false;
        /* the subject: "Pelosi should be hanged", "I hope Soros dies" */
        uint32_t lws = 0, lwe = 0, p = cs;
        bool any = false;
        for (uint32_t xs, xe; word_at(a, p, tr->s, &xs, &xe); p = xe) {
            /* the last word before the trigger with only cues after it */
            if (name_case(a, xs, xe) && only_cues(a, xe, tr->s))
                lws = xs, lwe = xe, any = true;
        }
        if (any && name_run(a, lws, lwe, -1, cs, tr->s, &rs, &re)) {
            size_t real = 0;
            uint32_t nws = 0, nwe = 0;
            for (uint32_t q = rs, xs, xe; word_at(a, q, re, &xs, &xe); q = xe)
                if (!word_is(a, xs, xe, honorific))
                    real++, nws = xs, nwe = xe;
            /* (a sentence that opens with two capitalized words is a name
             * in English, "Joe Biden should be shot"; in Russian, Ukrainian
             * and Polish the first is as often a noun whose genitive the
             * name is: «Portret Dudy trzeba powiesić») */
            bool opens = opens_unit(a, rs);
            if (opens && real > 1 && strcmp(e->lang, "en") != 0)
                real = 1;
            if (!(opens && real == 1 && !name_elsewhere(a, nws, nwe)) &&
                !add_name(a->ar, &nv, &nn, &cap, rs, name_context_ok(a, rs) ? re : rs, pat))
                return false;
        }
    }
    a->tr = NULL;
    if (!nn)
        return true;
    hit *h = arb__arena_alloc(a->ar, (a->nh + nn) * sizeof *h);
    if (!h)
        return false;
    memcpy(h, a->h, a->nh * sizeof *h);
    memcpy(h + a->nh, nv, nn * sizeof *h);
    a->h = h;
    a->nh += nn;
    sort_hits(a->h, a->nh);
    return true;
}

/* ---------------- representations ----------------
 *
 * A target named as what a thing depicts or belongs to is no victim: the
 * portrait, the effigy, the flag, the statue, the account is the object
 * ("Hang Putin's portrait in every school", «Портрет Путина надо повесить в
 * кабинете», «Spalmy kukłę Putina!», «Повісити портрет Зеленського»).  The
 * target follows the thing noun directly (its genitive: Russian,
 * Ukrainian, Polish), or follows "of" after it ("a portrait of Putin"), or
 * is an English possessive right before it ("Putin's effigy").  Burning a
 * person's house («сжечь дом Петрова») is not on the list: that is harm. */
static bool represented(const actx *a, const hit *h)
{
    static const char *const thing[] = {
        "portrait", "portraits", "photo", "photos", "photograph", "photographs", "picture",
        "pictures", "poster", "posters", "effigy", "effigies", "flag", "flags", "statue",
        "statues", "bust", "busts", "image", "images", "doll", "dolls", "mask", "masks", "meme",
        "memes", "cutout", "cardboard", "book", "books", "account", "accounts", "channel",
        "portrayal", "caricature", "caricatures", "mural", "painting", "paintings", "monument",
        "monuments", "likeness",
        "портрет", "портреты", "портретов", "фото", "фотографию", "фотографии", "фотку",
        "фотки", "плакат", "плакаты", "чучело", "чучела", "флаг", "флаги", "памятник",
        "памятники", "статую", "статуи", "статуя", "бюст", "изображение", "картину",
        "карикатуру", "куклу", "маску", "мем", "мемы", "аккаунт", "канал", "книгу", "книги",
        "портрети", "фотографію", "фотографії", "опудало", "опудала", "прапор", "прапори",
        "пам'ятник", "пам'ятники", "зображення", "ляльку", "акаунт", "книжку",
        "portret", "portrety", "portretów", "zdjęcie", "zdjęcia", "fotkę", "fotki", "plakat",
        "plakaty", "kukłę", "kukła", "kukły", "flagę", "flaga", "flagi", "pomnik", "pomniki",
        "posąg", "popiersie", "wizerunek", "obraz", "obrazy", "karykaturę", "lalkę", "maskę",
        "mema", "konto", "kanał", "książkę", "książki", NULL};
    static const char *const of[] = {"of", NULL};
    static const char *const det[] = {"a", "an", "the", "this", "that", "his", "her", "their",
                                      "every", "each", "some", "old", "giant", "huge", "big",
                                      "life-size", "little", NULL};
    const lx_entry *e = hent(a, h);
    if (e->kind != LX_TARGET || (e->flags & LX_F_PRONOUN))
        return false;
    uint32_t cs, ce;
    unit_of(a, h->s, 1, &cs, &ce, NULL);
    /* the word right before the target, and the one before that */
    uint32_t p1s = 0, p1e = 0, p2s = 0, p2e = 0;
    for (uint32_t p = cs, ws, we; word_at(a, p, h->s, &ws, &we); p = we) {
        p2s = p1s, p2e = p1e;
        p1s = ws, p1e = we;
    }
    if (p1e > p1s && p1e + 1 == h->s && word_is(a, p1s, p1e, thing))
        return true;
    if (p1e > p1s && word_is(a, p1s, p1e, of) && p2e > p2s && word_is(a, p2s, p2e, thing))
        return true;
    /* "Putin's portrait", "Lukashenko's giant effigy" */
    uint32_t q = h->e, ws, we;
    bool poss = ends_with(a, h->s > 0 ? h->s : 0, h->e, "'s");
    if (!poss && q + 1 < a->n && a->t[q] == '\'' && a->t[q + 1] == 's')
        poss = true, q += 2;
    if (!poss)
        return false;
    for (int k = 0; k < 3 && word_at(a, q, ce, &ws, &we); k++, q = we) {
        if (word_is(a, ws, we, thing))
            return true;
        if (!word_is(a, ws, we, det))
            return false;
    }
    return false;
}

/* a target typed on the wrong keyboard layout inside a trigger typed so:
 * "tq" («ей») inside "e,tq" («убей») is a piece of the verb, no victim */
static bool inside_layout_trigger(const actx *a, const hit *h)
{
    if (hent(a, h)->kind != LX_TARGET || a->lx->pats[h->pat].variant != LX_VAR_KEYBOARD)
        return false;
    for (size_t i = 0; i < a->nh; i++) {
        const hit *t = &a->h[i];
        if (arb__lx_makes_statement(hent(a, t)->kind) &&
            a->lx->pats[t->pat].variant == LX_VAR_KEYBOARD && t->s <= h->s && t->e >= h->e &&
            t->e - t->s > h->e - h->s)
            return true;
    }
    return false;
}

/* drops the target hits that name what a thing depicts (represented) and
 * the pieces of layout-typed triggers (inside_layout_trigger) */
static void drop_represented(actx *a)
{
    size_t w = 0;
    for (size_t i = 0; i < a->nh; i++)
        if (!represented(a, &a->h[i]) && !inside_layout_trigger(a, &a->h[i]))
            a->h[w++] = a->h[i];
    a->nh = w;
}

arb_status arb__analyze(const arb__lexicon *lx, arb__lexicon_scratch *ls, arb__arena *ar,
                        const arb_limits *lim, const arb_normalized *norm, const char *src,
                        size_t src_len, const arb_lang *langs, size_t n_langs,
                        arb__analysis *out)
{
    if (!out || !norm)
        return ARB_INVALID;
    out->stmts = NULL;
    out->n_stmts = 0;
    out->obfuscation = norm->obfuscation;
    if (!lx || (!lx->db && !lx->rx_db && !lx->som_db) || !ls || !ls->hs || !norm->len)
        return ARB_OK;
    arb_normalized um;
    qspan *repl = NULL;
    size_t n_repl = 0;
    arb_status ust = unmask_text(lx, ar, norm, &um, &repl, &n_repl);
    if (ust)
        return ust;
    norm = &um;
    /* Stage 1: the small database of trigger and coded forms.  Most posts
     * hold none, and without one nothing below can make a statement. */
    bool maybe = true;
    arb_status pst = arb__lexicon_prefilter(lx, ls, norm->text, norm->len, &maybe);
    if (pst)
        return pst;
    if (!maybe)
        return ARB_OK;
    /* Stage 2: every pattern, for the structure around the triggers. */
    scan_ctx sc = {.lx = lx, .t = norm->text, .n = norm->len, .ar = ar,
                   .max = lim && lim->max_matches ? lim->max_matches : 4096};
    hs_error_t he = arb__lexicon_scan(lx, ls, norm->text, norm->len, on_match, &sc);
    if (sc.nomem)
        return ARB_LIMIT;
    if (sc.over)
        return ARB_LIMIT;
    if (he != HS_SUCCESS && he != HS_SCAN_TERMINATED)
        return ARB_MATCHER;
    if (!sc.n_trig)
        return ARB_OK; /* no violent words: nothing to analyse (the common case) */
    sort_hits(sc.h, sc.nh);
    /* drop duplicates of the same entry on the same span (keep plain first) */
    size_t w = 0;
    for (size_t i = 0; i < sc.nh; i++) {
        bool dup = false;
        for (size_t j = w; j-- > 0 && sc.h[j].s == sc.h[i].s;)
            if (sc.h[j].e == sc.h[i].e &&
                lx->pats[sc.h[j].pat].entry == lx->pats[sc.h[i].pat].entry &&
                lx->pats[sc.h[j].pat].role == lx->pats[sc.h[i].pat].role)
                dup = true;
        if (!dup)
            sc.h[w++] = sc.h[i];
    }
    sc.nh = w;
    /* a transliterated or keyboard-typed pronoun or grammar cue ("tebya",
     * "nt,z" for «тебя», "nado", "ne") stands for the word only in a post
     * whose trigger is itself transliterated or typed on the wrong layout
     * ("ya tebya ub'yu", "z nt,z e,m.", "nado ego ubit'"); elsewhere it is a
     * word of another language ("ego", "ty", "ne") */
    /* (a trigger of three letters is too often an English word: "bit" is
     * «бить», "by" «бы» in "bit by bit"; and a post the language guess
     * finds confidently in another language has no Russian in Latin) */
    bool latin_trig = false;
    for (size_t i = 0; i < sc.nh; i++) {
        const lx_pattern *p = &lx->pats[sc.h[i].pat];
        latin_trig |= arb__lx_makes_statement(lx->entries[p->entry].kind) &&
                      (p->variant == LX_VAR_TRANSLIT || p->variant == LX_VAR_KEYBOARD) &&
                      sc.h[i].e - sc.h[i].s >= 4;
    }
    if (n_langs && langs[0].confidence >= 0.8f && strcmp(langs[0].tag, "ru") &&
        strcmp(langs[0].tag, "uk"))
        latin_trig = false;
    if (!latin_trig) {
        w = 0;
        for (size_t i = 0; i < sc.nh; i++) {
            const lx_pattern *p = &lx->pats[sc.h[i].pat];
            const lx_entry *pe = &lx->entries[p->entry];
            if (((pe->kind == LX_TARGET && (pe->flags & LX_F_PRONOUN)) || pe->kind == LX_CUE) &&
                (p->variant == LX_VAR_TRANSLIT || p->variant == LX_VAR_KEYBOARD))
                continue;
            sc.h[w++] = sc.h[i];
        }
        sc.nh = w;
    }

    prefer_language(lx, sc.h, sc.nh, langs, n_langs);
    actx a = {.lx = lx, .norm = norm, .t = norm->text, .n = norm->len, .ar = ar,
              .h = sc.h, .nh = sc.nh, .tclause = UINT32_MAX, .expl_neg = UINT32_MAX,
              .uclause = UINT32_MAX, .src = src, .src_len = src_len};
    for (size_t i = 0; i < a.nh; i++)
        a.has_layout |= lx->pats[a.h[i].pat].variant == LX_VAR_KEYBOARD;
    if (!structure(&a))
        return ARB_LIMIT;
    if (!proper_names(&a))
        return ARB_LIMIT;
    drop_represented(&a);
    size_t ntr = 0;
    for (size_t i = 0; i < a.nh; i++) {
        uint8_t k = hent(&a, &a.h[i])->kind;
        if (arb__lx_makes_statement(k))
            ntr++;
    }
    if (!ntr)
        return ARB_OK;
    arb_statement *sv = arb__arena_calloc(ar, ntr * sizeof *sv);
    if (!sv)
        return ARB_LIMIT;
    size_t ns = 0;
    /* credibility signals: post-wide */
    sig_list cred = {0};
    uint32_t cred_bits = 0;
    for (size_t i = 0; i < a.nh; i++) {
        const lx_entry *e = hent(&a, &a.h[i]);
        if (e->kind == LX_CRED) {
            if (!sig_add(ar, &cred, e->bit, e->label, map_span(norm, a.h[i].s, a.h[i].e)))
                return ARB_LIMIT;
            cred_bits |= e->bit;
        }
    }
    uint32_t last_trig_end = 0;
    for (size_t i = 0; i < a.nh; i++) {
        const hit *tr = &a.h[i];
        const lx_entry *e = hent(&a, tr);
        if (!arb__lx_makes_statement(e->kind))
            continue;
        if (ns && tr->s < last_trig_end)
            continue; /* overlaps a trigger that already made a statement */
        uint32_t ss, se, cs, ce;
        char term;
        unit_of(&a, tr->s, 2, &ss, &se, &term);
        unit_of(&a, tr->s, 1, &cs, &ce, NULL);
        uint32_t cue_s;
        a.lang = e->lang;
        a.tr = tr;
        a.ante_s = a.ante_e = 0;
        a.tclause = a.expl_neg = UINT32_MAX;
        a.tintent = false;
        a.uclause = UINT32_MAX;
        threat_clause(&a, tr, ss);
        until_outcome(&a, tr, ss);
        (void)antecedent(&a, tr, ss, &a.ante_s, &a.ante_e);
        int type = decide_type(&a, tr, cs, ss, se, &cue_s);
        if (type < 0)
            continue;
        arb_statement *st = &sv[ns];
        st->type = (arb_stmt_type)type;
        st->severity = (arb_severity)e->severity;
        if (type == ARB_STMT_HOPE && welcome_at(&a, cue_s) && st->severity > ARB_SEV_MID)
            st->severity = ARB_SEV_MID;
        if (type == ARB_STMT_ADVOCACY && counterfactual(&a, tr, cs) >= 0 &&
            st->severity > ARB_SEV_MID)
            st->severity = ARB_SEV_MID;
        const char *lang = e->lang;
        if ((!lang[0] || !strcmp(lang, "und")) && n_langs)
            lang = langs[0].tag;
        snprintf(st->lang, sizeof st->lang, "%s", lang);
        st->trigger = map_span(norm, tr->s, tr->e);
        st->trigger_label = e->label;
        uint8_t var = lx->pats[tr->pat].variant;
        uint32_t obf = var == LX_VAR_TRANSLIT  ? ARB_OBF_TRANSLIT
                       : var == LX_VAR_KEYBOARD ? ARB_OBF_KEYBOARD
                       : var == LX_VAR_TYPO     ? ARB_OBF_MISSPELLING
                                                : 0;
        for (size_t k = 0; k < n_repl; k++)
            if (overlaps(repl[k].s, repl[k].e, tr->s, tr->e))
                obf |= ARB_OBF_MASK;
        if (hrole(&a, tr) == LX_ROLE_EMOJI)
            obf |= ARB_OBF_EMOJI & norm->obfuscation;
        uint32_t span_s = cue_s < tr->s ? cue_s : tr->s, span_e = tr->e;
        arb_status r = build_targets(&a, tr, ss, se, st, &span_s, &span_e, &obf);
        if (r)
            return r;
        if ((r = modifiers(&a, tr, cs, ss, se, term, st)))
            return r;
        st->credibility = cred_bits;
        st->cred_signals = cred.v;
        st->n_cred_signals = cred.n;
        if (span_differs(&a, span_s, span_e) &&
            norm->obfuscation)
            obf |= norm->obfuscation & ~(uint32_t)(ARB_OBF_TRANSLIT | ARB_OBF_KEYBOARD);
        st->obfuscation = obf;
        st->span = map_span(norm, span_s, span_e);
        out->obfuscation |= obf;
        last_trig_end = tr->e;
        ns++;
    }
    out->stmts = sv;
    out->n_stmts = ns;
    return ARB_OK;
}
