/*
 * test_analyze.c -- statements, targets, credibility signals, modifiers and
 * obfuscation found by the analyzer over the embedded lexicons, in English,
 * Russian, Ukrainian and Polish.
 *
 * Each case is a post and what a reviewer would check: the statement type
 * (or that there is none), the trigger words, one target (class, entity,
 * affiliation, the words naming it), modifier / credibility / obfuscation
 * bits that must be present, and the language.  Cases come in twins that
 * differ in one respect (threat vs its negation, soldier vs civilian).
 * Text goes through arb__normalize(), so the cases keep their meaning when
 * the full normalizer replaces the stub.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lexicon_internal.h"

#include <stdio.h>
#include <string.h>

#define NONE (-1)
#define ANY_T (-1)

typedef struct tcase {
    const char *text;
    int type;             /* arb_stmt_type of the first statement, or NONE */
    const char *trigger;  /* original words of the trigger, or NULL */
    int tcls;             /* a target of this class must exist, or ANY_T */
    const char *entity;   /* ...with this entity (NULL: not checked) */
    const char *affil;    /* ...with this affiliation (NULL: not checked) */
    const char *target;   /* ...named by these original words (NULL: not checked) */
    uint32_t mods;        /* modifier bits that must be set */
    uint32_t creds;       /* credibility bits that must be set */
    uint32_t obf;         /* obfuscation bits that must be set */
    const char *lang;     /* statement language, or NULL */
} tcase;

typedef struct fixture {
    arb__lexicon *lx;
    arb__lexicon_scratch *ls;
    arb__normalizer *nz;
    arb__arena *ar;
    arb_limits lim;
} fixture;

static fixture F;

static int setup(void **state)
{
    (void)state;
    size_t n;
    const arb_source *src = arb_default_lexicon_sources(&n);
    arb_limits_default(&F.lim);
    arb_error err = {0};
    if (arb__lexicon_compile(&arb__default_allocator, &F.lim, src, n, &F.lx, &err) != ARB_OK) {
        fprintf(stderr, "%s:%u:%u: %s\n", err.source, err.line, err.column, err.message);
        return -1;
    }
    if (arb__lexicon_scratch_new(F.lx, &F.ls) != ARB_OK ||
        arb__normalizer_new(&arb__default_allocator, &F.nz, &err) != ARB_OK)
        return -1;
    F.ar = arb__arena_new(&arb__default_allocator, F.lim.max_post_memory);
    return F.ar ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    arb__arena_free(F.ar);
    arb__normalizer_free(F.nz);
    arb__lexicon_scratch_free(F.ls);
    arb__lexicon_free(F.lx);
    return 0;
}

static arb__analysis run(const char *text)
{
    arb__arena_reset(F.ar);
    arb_normalized nm;
    assert_int_equal(arb__normalize(F.nz, F.ar, text, strlen(text), &nm), ARB_OK);
    arb__analysis an;
    assert_int_equal(arb__analyze(F.lx, F.ls, F.ar, &F.lim, &nm, text, strlen(text), NULL, 0, &an), ARB_OK);
    return an;
}

static bool span_is(const char *text, arb_span sp, const char *want)
{
    size_t n = strlen(want);
    return sp.end - sp.start == n && memcmp(text + sp.start, want, n) == 0;
}

static int check(const tcase *c)
{
    arb__analysis an = run(c->text);
    char why[256] = "";
    if (c->type == NONE) {
        if (an.n_stmts)
            snprintf(why, sizeof why, "expected no statement, got %s",
                     arb_stmt_type_name(an.stmts[0].type));
    } else if (!an.n_stmts) {
        snprintf(why, sizeof why, "expected %s, got no statement",
                 arb_stmt_type_name((arb_stmt_type)c->type));
    } else {
        const arb_statement *s = &an.stmts[0];
        const char *t = c->text;
        if ((int)s->type != c->type)
            snprintf(why, sizeof why, "type %s, expected %s", arb_stmt_type_name(s->type),
                     arb_stmt_type_name((arb_stmt_type)c->type));
        else if (c->trigger && !span_is(t, s->trigger, c->trigger))
            snprintf(why, sizeof why, "trigger '%.*s', expected '%s'",
                     (int)(s->trigger.end - s->trigger.start), t + s->trigger.start, c->trigger);
        else if (s->span.start > s->trigger.start || s->span.end < s->trigger.end)
            snprintf(why, sizeof why, "statement span does not cover the trigger");
        else if ((s->modifiers & c->mods) != c->mods)
            snprintf(why, sizeof why, "modifiers %#x lack %#x", s->modifiers, c->mods);
        else if ((s->credibility & c->creds) != c->creds)
            snprintf(why, sizeof why, "credibility %#x lacks %#x", s->credibility, c->creds);
        else if ((s->obfuscation & c->obf) != c->obf)
            snprintf(why, sizeof why, "obfuscation %#x lacks %#x", s->obfuscation, c->obf);
        else if (c->lang && strcmp(s->lang, c->lang))
            snprintf(why, sizeof why, "lang %s, expected %s", s->lang, c->lang);
        if (!why[0] && c->tcls != ANY_T) {
            bool found = false;
            for (size_t i = 0; i < s->n_targets && !found; i++) {
                const arb_target *tg = &s->targets[i];
                found = (int)tg->cls == c->tcls &&
                        (!c->entity || (tg->entity && !strcmp(tg->entity, c->entity))) &&
                        (!c->affil || !strcmp(tg->affiliation, c->affil)) &&
                        (!c->target || span_is(t, tg->span, c->target));
            }
            if (!found) {
                int k = snprintf(why, sizeof why, "no target %s/%s/%s '%s'; have:",
                                 arb_target_class_name((arb_target_class)c->tcls),
                                 c->entity ? c->entity : "*", c->affil ? c->affil : "*",
                                 c->target ? c->target : "*");
                for (size_t i = 0; i < s->n_targets && k > 0 && (size_t)k < sizeof why; i++)
                    k += snprintf(why + k, sizeof why - (size_t)k, " %s/%s/%s",
                                  arb_target_class_name(s->targets[i].cls), s->targets[i].label,
                                  s->targets[i].affiliation);
            }
        }
        /* every signal span lies inside the text */
        for (size_t i = 0; !why[0] && i < s->n_mod_signals; i++)
            if (s->mod_signals[i].span.end > strlen(t))
                snprintf(why, sizeof why, "modifier span out of range");
    }
    if (why[0]) {
        print_error("  FAIL \"%s\": %s\n", c->text, why);
        return 1;
    }
    return 0;
}

static void run_table(const tcase *t, size_t n)
{
    int failures = 0;
    for (size_t i = 0; i < n; i++)
        failures += check(&t[i]);
    if (failures)
        fail_msg("%d of %zu cases failed", failures, n);
}

#define T(...) {__VA_ARGS__}
#define NO(text) {text, NONE, NULL, ANY_T, NULL, NULL, NULL, 0, 0, 0, NULL}

/* ------------------------------------------------------------------ */
static const tcase en_cases[] = {
    /* intent, and its negation twin */
    T("I will kill you", ARB_STMT_INTENT, "kill", ARB_TARGET_PRIVATE_PERSON, NULL, "", "you", 0, 0, 0, "en"),
    T("I would never kill you", ARB_STMT_INTENT, "kill", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, NULL, ARB_MOD_NEGATION, 0, 0, "en"),
    T("I'm going to hurt those immigrants", ARB_STMT_INTENT, "hurt", ARB_TARGET_PROTECTED_GROUP, NULL, NULL, "immigrants", 0, 0, 0, "en"),
    T("I want to kill all Muslims", ARB_STMT_INTENT, "kill", ARB_TARGET_PROTECTED_GROUP, NULL, NULL, "Muslims", 0, 0, 0, NULL),
    T("I'm gonna shoot my neighbour", ARB_STMT_INTENT, "shoot", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, "neighbour", 0, 0, 0, NULL),
    /* call to action: imperative, modal, passive */
    T("Kill them all", ARB_STMT_CALL, "Kill", ANY_T, NULL, NULL, NULL, 0, 0, 0, NULL),
    T("Someone should shoot the mayor", ARB_STMT_CALL, "shoot", ARB_TARGET_PUBLIC_FIGURE, NULL, NULL, "mayor", 0, 0, 0, NULL),
    T("Gay people should all be shot.", ARB_STMT_CALL, "shot", ARB_TARGET_PROTECTED_GROUP, NULL, NULL, "Gay people", 0, 0, 0, NULL),
    T("Those journalists should be hanged", ARB_STMT_CALL, "hanged", ARB_TARGET_HIGH_RISK, NULL, NULL, "journalists", 0, 0, 0, NULL),
    T("Russian soldiers should be killed", ARB_STMT_CALL, "killed", ARB_TARGET_MILITARY, NULL, "RU", "Russian soldiers", 0, 0, 0, NULL),
    T("Russian civilians should be killed", ARB_STMT_CALL, "killed", ARB_TARGET_CIVILIANS, NULL, "RU", "Russian civilians", 0, 0, 0, NULL),
    T("Nobody should be killed for their religion, Christians included", ARB_STMT_CALL, "killed", ARB_TARGET_PROTECTED_GROUP, NULL, NULL, NULL, ARB_MOD_NEGATION, 0, 0, NULL),
    /* advocacy and its negation */
    T("Those invaders deserve to die", ARB_STMT_ADVOCACY, "die", ARB_TARGET_MILITARY, NULL, "RU", "invaders", 0, 0, 0, NULL),
    T("No one deserves to die, not even prisoners of war", ARB_STMT_ADVOCACY, "die", ARB_TARGET_POW, NULL, NULL, NULL, ARB_MOD_NEGATION, 0, 0, NULL),
    /* hope */
    T("I hope Putin dies", ARB_STMT_HOPE, "dies", ARB_TARGET_HEAD_OF_STATE, "putin", "RU", "Putin", 0, 0, 0, NULL),
    T("I wish all terrorists would die", ARB_STMT_HOPE, "die", ARB_TARGET_VIOLENT_ACTOR, NULL, NULL, "terrorists", 0, 0, 0, NULL),
    /* conditional */
    T("If you come here again I'll stab you", ARB_STMT_CONDITIONAL, "stab", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, NULL, 0, 0, 0, NULL),
    /* admission */
    T("I killed him last year", ARB_STMT_ADMISSION, "killed", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, "him", 0, 0, 0, NULL),
    /* death to, several targets */
    T("Death to Putin and all Russians!", ARB_STMT_DEATH_TO, "Death to", ARB_TARGET_HEAD_OF_STATE, "putin", "RU", "Putin", 0, 0, 0, "en"),
    T("Death to Putin and all Russians!", ARB_STMT_DEATH_TO, "Death to", ARB_TARGET_NATIONALITY, NULL, "RU", "Russians", 0, 0, 0, "en"),
    T("death to the occupiers", ARB_STMT_DEATH_TO, NULL, ARB_TARGET_MILITARY, NULL, "RU", "occupiers", 0, 0, 0, NULL),
    T("Death to Lukashenko", ARB_STMT_DEATH_TO, NULL, ARB_TARGET_HEAD_OF_STATE, "lukashenko", "BY", "Lukashenko", 0, 0, 0, NULL),
    /* severity */
    T("I will beat you up", ARB_STMT_INTENT, "beat", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, NULL, 0, 0, 0, NULL),
    /* children, law enforcement */
    T("I'm going to shoot those kids", ARB_STMT_INTENT, "shoot", ARB_TARGET_CHILD, NULL, NULL, "kids", 0, 0, 0, NULL),
    T("We need to kill the cops", ARB_STMT_CALL, "kill", ARB_TARGET_LAW_ENFORCEMENT, NULL, NULL, "cops", 0, 0, 0, NULL),
    /* credibility signals */
    T("I know where you live. I will shoot you tomorrow at noon with my rifle", ARB_STMT_INTENT, "shoot", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, NULL, 0,
      ARB_CRED_PRIVATE_INFO | ARB_CRED_TIMING | ARB_CRED_MEANS, 0, NULL),
    T("I will kill you at your office on May 9", ARB_STMT_INTENT, "kill", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, NULL, 0, ARB_CRED_LOCATION | ARB_CRED_TIMING, 0, NULL),
    T("$10,000 to whoever kills the senator", ARB_STMT_CALL, NULL, ARB_TARGET_PUBLIC_FIGURE, NULL, NULL, NULL, 0, ARB_CRED_BOUNTY, 0, NULL),
    /* quotation / condemnation, reporting, question */
    T("Posts saying \"kill all Muslims\" are disgusting", ARB_STMT_CALL, "kill", ARB_TARGET_PROTECTED_GROUP, NULL, NULL, NULL,
      ARB_MOD_QUOTATION | ARB_MOD_CONDEMNATION, 0, 0, NULL),
    T("Should we kill them all?", ARB_STMT_CALL, "kill", ANY_T, NULL, NULL, NULL, ARB_MOD_QUESTION, 0, 0, NULL),
    T("According to officials, protesters chanted death to Khamenei", ARB_STMT_DEATH_TO, NULL, ARB_TARGET_HEAD_OF_STATE, "khamenei", "IR", NULL, ARB_MOD_REPORTING, 0, 0, NULL),
    /* idioms, titles, technical, sport, fiction */
    T("I will kill it at the exam, you'll see", ARB_STMT_INTENT, "kill", ANY_T, NULL, NULL, NULL, ARB_MOD_IDIOM, 0, 0, NULL),
    T("Kill Bill is my favourite film, you should watch it", NONE, NULL, ANY_T, NULL, NULL, NULL, 0, 0, 0, NULL),
    T("I'm going to kill the process and restart them", ARB_STMT_INTENT, "kill", ANY_T, NULL, NULL, NULL, ARB_MOD_TECHNICAL, 0, 0, NULL),
    T("We will beat them in the final and score a goal", ARB_STMT_INTENT, "beat", ANY_T, NULL, NULL, NULL, ARB_MOD_SPORT, 0, 0, NULL),
    T("In the game I'm going to kill them all", ARB_STMT_INTENT, "kill", ANY_T, NULL, NULL, NULL, ARB_MOD_FICTION, 0, 0, NULL),
    /* ordinary text and news: no statement */
    NO("this heat is killing me"),
    NO("Troops shelled Kharkiv, killing 20 people"),
    NO("He was killed in a car crash"),
    NO("I could kill for a pizza right now"),
    NO("Putin is a dictator"),
    T("We should hang out with them tomorrow", ARB_STMT_CALL, "hang", ANY_T, NULL, NULL, NULL, ARB_MOD_IDIOM, 0, 0, NULL),
    NO("Russians are my neighbours and I love them"),
    NO("The death of the queen was announced"),
    /* obfuscation: masks reach us as '*' */
    T("I will k*ll you", ARB_STMT_INTENT, "k*ll", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, NULL, 0, 0, ARB_OBF_MASK, NULL),
    /* coded: emoji token + target */
    T("putin :coffin:", ARB_STMT_CODED, ":coffin:", ARB_TARGET_HEAD_OF_STATE, "putin", NULL, NULL, 0, 0, 0, NULL),
    /* recall work: constructions of serious harm, each with its twin */
    T("I want to end every immigrant's life", ARB_STMT_INTENT, NULL, ARB_TARGET_PROTECTED_GROUP, NULL, NULL, NULL, 0, 0, 0, "en"),
    T("I would never end an immigrant's life", ARB_STMT_INTENT, NULL, ARB_TARGET_PROTECTED_GROUP, NULL, NULL, NULL, ARB_MOD_NEGATION, 0, 0, "en"),
    T("Let's get rid of the immigrants once and for all", ARB_STMT_CALL, "get rid of", ARB_TARGET_PROTECTED_GROUP, NULL, NULL, "immigrants", 0, 0, 0, NULL),
    NO("Let's get rid of the old furniture once and for all"),
    NO("It's time to get rid of them and their party"),
    NO("I assume whoever did the shooting was caught"),
    T("Someone should snap the necks of all those Muslims", ARB_STMT_CALL, NULL, ARB_TARGET_PROTECTED_GROUP, NULL, NULL, "Muslims", 0, 0, 0, NULL),
    T("No one should snap the necks of Muslims", ARB_STMT_CALL, NULL, ARB_TARGET_PROTECTED_GROUP, NULL, NULL, NULL, ARB_MOD_NEGATION, 0, 0, NULL),
    T("I will cut their throats, those traitors", ARB_STMT_INTENT, NULL, ANY_T, NULL, NULL, NULL, 0, 0, 0, NULL),
    T("I am going to make those Muslims suffer", ARB_STMT_INTENT, NULL, ARB_TARGET_PROTECTED_GROUP, NULL, NULL, "Muslims", 0, 0, 0, NULL),
    T("I am not going to make those Muslims suffer", ARB_STMT_INTENT, NULL, ARB_TARGET_PROTECTED_GROUP, NULL, NULL, NULL, ARB_MOD_NEGATION, 0, 0, NULL),
    T("I would love to see those immigrants suffer", ARB_STMT_HOPE, "suffer", ARB_TARGET_PROTECTED_GROUP, NULL, NULL, "immigrants", 0, 0, 0, NULL),
    T("I really am just going to murder that immigrant", ARB_STMT_INTENT, "murder", ARB_TARGET_PROTECTED_GROUP, NULL, NULL, "immigrant", 0, 0, 0, NULL),
    T("That immigrant will die a horrible death at my hands", ARB_STMT_INTENT, NULL, ARB_TARGET_PROTECTED_GROUP, NULL, NULL, NULL, 0, 0, 0, NULL),
    NO("That old man will die of old age"),
    T("Execution is the only solution for those Muslims", ARB_STMT_ADVOCACY, "Execution", ARB_TARGET_PROTECTED_GROUP, NULL, NULL, NULL, 0, 0, 0, NULL),
    NO("The execution of the plan is the only solution"),
    T("Murdering a Muslim like you should be decriminalised", ARB_STMT_ADVOCACY, "Murdering", ARB_TARGET_PROTECTED_GROUP, NULL, NULL, NULL, 0, 0, 0, NULL),
    T("We would be better off if those immigrants were eradicated", ARB_STMT_HOPE, "eradicated", ARB_TARGET_PROTECTED_GROUP, NULL, NULL, NULL, 0, 0, 0, NULL),
    T("The world would be better off without immigrants like you", ARB_STMT_ADVOCACY, NULL, ARB_TARGET_PROTECTED_GROUP, NULL, NULL, NULL, 0, 0, 0, NULL),
    NO("The world would be better off without nuclear weapons"),
    T("It would be best to just drown those immigrants", ARB_STMT_CALL, "drown", ARB_TARGET_PROTECTED_GROUP, NULL, NULL, NULL, 0, 0, 0, NULL),
    T("That traitor needs a bullet in the head", ARB_STMT_ADVOCACY, NULL, ANY_T, NULL, NULL, NULL, 0, 0, 0, NULL),
    T("Muslims deserve to die", ARB_STMT_ADVOCACY, "die", ARB_TARGET_PROTECTED_GROUP, NULL, NULL, NULL, 0, 0, 0, NULL),
    T("No Muslim deserves to die", ARB_STMT_ADVOCACY, "die", ARB_TARGET_PROTECTED_GROUP, NULL, NULL, NULL, ARB_MOD_NEGATION, 0, 0, NULL),
    T("We should just hang all these traitors", ARB_STMT_CALL, "hang", ANY_T, NULL, NULL, "traitors", 0, 0, 0, NULL),
    NO("We should just hang all these pictures"),
    /* a passive of a person-only verb: its subject is the victim, whoever it is */
    T("That doctor should be hanged", ARB_STMT_CALL, "hanged", ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
    NO("Those kinds of plans ought to be executed"),
    T("My plan: kill them all", ARB_STMT_CALL, "kill", ANY_T, NULL, NULL, NULL, 0, 0, 0, NULL),
    T("Throw them off the roof", ARB_STMT_CALL, NULL, ANY_T, NULL, NULL, NULL, 0, 0, 0, NULL),
    NO("Throw the old boxes off the roof"),
    T("Killing communists is self defense", ARB_STMT_ADVOCACY, "Killing", ANY_T, NULL, NULL, "communists", 0, 0, 0, NULL),
    T("This traitor needs impaling", ARB_STMT_ADVOCACY, "impaling", ANY_T, NULL, NULL, NULL, 0, 0, 0, NULL),
    T("The teachers at that school should all be shot", ARB_STMT_CALL, "shot", ANY_T, NULL, NULL, NULL, 0, 0, 0, NULL),
    T("I can't wait for the day my boss gets hit by a bus", ARB_STMT_HOPE, "hit by a bus", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, "boss", 0, 0, 0, "en"),
    NO("My boss got hit by a bus last year"),
    T("I swear I'll run him over", ARB_STMT_INTENT, "run him over", ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
    T("Death to every Arab", ARB_STMT_DEATH_TO, NULL, ARB_TARGET_PROTECTED_GROUP, NULL, NULL, "Arab", 0, 0, 0, "en"),
    /* coordinated verbs share the frame of the first one */
    T("Round up the traitors and hang them", ARB_STMT_CALL, "hang", ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
    T("I'm going to find the witness who talked and slit her throat", ARB_STMT_INTENT, NULL, ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
    NO("Now they come out and attack the army"),
    NO("Immigrants with records of rape, kidnapping and murder"),
    T("Go kill yourself", ARB_STMT_CALL, "kill", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, "yourself", 0, 0, 0, "en"),
    T("Please don't kill yourself", ARB_STMT_CALL, "kill", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, NULL, ARB_MOD_NEGATION, 0, 0, "en"),
    /* "X needs to die": the subject is the victim, unless it is the speaker */
    T("Bob needs to die", ARB_STMT_ADVOCACY, "die", ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
    NO("We all have to die someday"),
    T("It's disheartening to see people call for the death of immigrants", ARB_STMT_CALL, NULL, ARB_TARGET_PROTECTED_GROUP, NULL, NULL, NULL, ARB_MOD_CONDEMNATION, 0, 0, NULL),
    /* body parts with determiners, possessives and adjectives between */
    T("I will cut their black throats", ARB_STMT_INTENT, NULL, ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
    T("I'll snap that skinny neck of yours", ARB_STMT_INTENT, NULL, ARB_TARGET_PRIVATE_PERSON, NULL, NULL, NULL, 0, 0, 0, "en"),
    T("I would never snap that skinny neck of yours", ARB_STMT_INTENT, NULL, ANY_T, NULL, NULL, NULL, ARB_MOD_NEGATION, 0, 0, "en"),
    T("Someone should crack their skulls", ARB_STMT_CALL, NULL, ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
    NO("Someone should crack the code"),
    T("That clown needs his ass kicked", ARB_STMT_ADVOCACY, NULL, ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
    NO("The kids broke their legs skiing"),
    /* frames of person-only verbs: the slot is the victim */
    T("Send that little weasel to the guillotine", ARB_STMT_CALL, NULL, ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
    NO("Send that old car to the scrapyard"),
    /* a speech verb after an object word describes the victim */
    T("Anyone shouting slogans should immediately be shot", ARB_STMT_CALL, "shot", ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
    T("Posts saying he should be shot are disgusting", ARB_STMT_CALL, "shot", ANY_T, NULL, NULL, NULL, ARB_MOD_QUOTATION, 0, 0, "en"),
    /* adverbs before an imperative, not after a subject */
    T("Publicly hang the traitors", ARB_STMT_CALL, "hang", ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
    NO("They typically just shoot each other"),
    /* a verb of receiving before a noun of death */
    T("Anyone who does that ought to be subject to execution", ARB_STMT_CALL, "execution", ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
    NO("We should abolish the death penalty"),
    T("Death penalty for all pedophiles", ARB_STMT_DEATH_TO, NULL, ARB_TARGET_VIOLENT_ACTOR, NULL, NULL, NULL, 0, 0, 0, "en"),
    NO("She must have been the greatest shot of her time"),
    T("I want to see those people raped to death", ARB_STMT_HOPE, NULL, ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
    T("I know where you live and I'm coming over tonight with a knife", ARB_STMT_INTENT, NULL, ANY_T, NULL, NULL, NULL, 0, ARB_CRED_PRIVATE_INFO, 0, "en"),
    NO("I'm coming over tonight with a cake"),
    T("Bomb their cities until nothing is left", ARB_STMT_CALL, "Bomb", ARB_TARGET_PLACE, NULL, NULL, NULL, 0, 0, 0, "en"),
    T("We will bury you", ARB_STMT_INTENT, "bury", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, NULL, 0, 0, 0, "en"),
    T("We will bury you in paperwork", ARB_STMT_INTENT, "bury", ANY_T, NULL, NULL, NULL, ARB_MOD_IDIOM, 0, 0, "en"),
    T("I'm going to drown that little brat from next door", ARB_STMT_INTENT, "drown", ARB_TARGET_CHILD, NULL, NULL, NULL, 0, 0, 0, "en"),
    T("Watch your back when you leave the office", ARB_STMT_CODED, NULL, ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
    T("I stabbed a guy outside the bar and I'd do it again", ARB_STMT_ADMISSION, "stabbed", ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
    NO("I stabbed my finger on a needle"),
    T("All of those charlatans should kill themselves", ARB_STMT_CALL, "kill", ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
    NO("He killed himself last year"),
    NO("They were charged with kidnapping and murder of two teenagers"),
    T("End the lives of those teenagers", ARB_STMT_CALL, NULL, ARB_TARGET_CHILD, NULL, NULL, NULL, 0, 0, 0, "en"),
    T("If the count goes against us, we hang the election workers", ARB_STMT_CONDITIONAL, "hang", ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
    /* more passive participles and phrases; the subject must be a victim */
    T("Every one of those senators should be strung up", ARB_STMT_CALL, "strung up", ARB_TARGET_PUBLIC_FIGURE, NULL, NULL, NULL, 0, 0, 0, "en"),
    T("That judge ought to be nailed to the wall", ARB_STMT_CALL, NULL, ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
    NO("The old files should be destroyed after the audit"),
    /* desire of the speaker */
    T("His voice makes me want to strangle him", ARB_STMT_INTENT, "strangle", ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
    NO("This heat makes me want to die"),
    /* future harm named through a weapon or a body part: the subject is the victim */
    T("The next clown who says that is gonna get a brick in the face", ARB_STMT_INTENT, NULL, ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
    T("Those thugs are going to have their teeth knocked out", ARB_STMT_INTENT, NULL, ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
    NO("Civilians are going to be killed if this goes on"),
    NO("He will die soon, the doctors say"),
    /* the bare imperative of dying */
    T("Die already, you clown", ARB_STMT_HOPE, "Die", ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
    NO("Die Linke won three seats"),
    NO("Live fast, die young"),
    /* a verb of stopping negates the trigger right after it */
    T("It's time to stop shooting the prisoners of war", ARB_STMT_CALL, "shooting", ANY_T, NULL, NULL, NULL, ARB_MOD_NEGATION, 0, 0, "en"),
    /* means that turn a person into matter */
    T("Turn those traitors into mulch", ARB_STMT_CALL, NULL, ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
    NO("Turn the leaves into mulch"),
    /* a long first conjunct: verb + object, not a name */
    T("Throw every one of the crooked judges off the bench and hang them", ARB_STMT_CALL, "hang", ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
};

static const tcase ru_cases[] = {
    T("Смерть оккупантам!", ARB_STMT_DEATH_TO, "Смерть", ARB_TARGET_MILITARY, NULL, "RU", "оккупантам", 0, 0, 0, "ru"),
    T("Смерть русским!", ARB_STMT_DEATH_TO, "Смерть", ARB_TARGET_NATIONALITY, NULL, "RU", "русским", 0, 0, 0, NULL),
    T("смерть Путину", ARB_STMT_DEATH_TO, NULL, ARB_TARGET_HEAD_OF_STATE, "putin", "RU", "Путину", 0, 0, 0, NULL),
    NO("Путлер хуйло"),
    NO("смерть от рака"),
    /* a mask inserted between letters, not over one */
    T("Я тебя у*бью сегодня же", ARB_STMT_INTENT, "у*бью", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, NULL, 0, 0, ARB_OBF_MASK, NULL),
    T("Убей русского солдата", ARB_STMT_CALL, "Убей", ARB_TARGET_MILITARY, NULL, "RU", "русского солдата", 0, 0, 0, "ru"),
    T("Убейте мирных жителей", ARB_STMT_CALL, "Убейте", ARB_TARGET_CIVILIANS, NULL, NULL, "мирных жителей", 0, 0, 0, NULL),
    T("Убивать всех русских!", ARB_STMT_CALL, "Убивать", ARB_TARGET_NATIONALITY, NULL, "RU", "русских", 0, 0, 0, NULL),
    T("Надо расстрелять всех пленных", ARB_STMT_CALL, "расстрелять", ARB_TARGET_POW, NULL, NULL, "пленных", 0, 0, 0, NULL),
    T("Не надо убивать пленных", ARB_STMT_CALL, "убивать", ARB_TARGET_POW, NULL, NULL, "пленных", ARB_MOD_NEGATION, 0, 0, NULL),
    T("я тебя убью", ARB_STMT_INTENT, "убью", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, "тебя", 0, 0, 0, "ru"),
    T("Если придёшь, я тебя убью", ARB_STMT_CONDITIONAL, "убью", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, NULL, 0, 0, 0, NULL),
    T("чтоб ты сдох", ARB_STMT_HOPE, "сдох", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, "ты", 0, 0, 0, NULL),
    T("Хохлы заслуживают смерти", ARB_STMT_ADVOCACY, "смерти", ARB_TARGET_NATIONALITY, NULL, "UA", "Хохлы", 0, 0, 0, NULL),
    T("Никто не заслуживает смерти", ARB_STMT_ADVOCACY, "смерти", ANY_T, NULL, NULL, NULL, ARB_MOD_NEGATION, 0, 0, NULL),
    T("я убил его", ARB_STMT_ADMISSION, "убил", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, "его", 0, 0, 0, NULL),
    T("убей его завтра ножом", ARB_STMT_CALL, "убей", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, "его", 0, ARB_CRED_TIMING | ARB_CRED_MEANS, 0, NULL),
    T("я знаю где ты живешь, я тебя убью", ARB_STMT_INTENT, "убью", ANY_T, NULL, NULL, NULL, 0, ARB_CRED_PRIVATE_INFO, 0, NULL),
    T("Убей москаля", ARB_STMT_CALL, NULL, ARB_TARGET_NATIONALITY, NULL, "RU", "москаля", 0, 0, 0, NULL),
    T("груз 200 для оккупантов", ARB_STMT_CODED, "груз 200", ARB_TARGET_MILITARY, NULL, "RU", NULL, 0, 0, 0, NULL),
    T("Отправим их на концерт Кобзона", ARB_STMT_CODED, NULL, ANY_T, NULL, NULL, NULL, 0, 0, 0, NULL),
    T("Надо убить время до поезда, их много", ARB_STMT_CALL, NULL, ANY_T, NULL, NULL, NULL, ARB_MOD_IDIOM, 0, 0, NULL),
    T("Убить их всех?", ARB_STMT_CALL, "Убить", ANY_T, NULL, NULL, NULL, ARB_MOD_QUESTION, 0, 0, NULL),
    /* transliteration and keyboard layout */
    T("smert okkupantam", ARB_STMT_DEATH_TO, "smert", ARB_TARGET_MILITARY, NULL, "RU", "okkupantam", 0, 0, ARB_OBF_TRANSLIT, NULL),
    T("ubey moskalya", ARB_STMT_CALL, "ubey", ARB_TARGET_NATIONALITY, NULL, "RU", NULL, 0, 0, ARB_OBF_TRANSLIT, NULL),
    T("cvthnm jrregfynfv", ARB_STMT_DEATH_TO, "cvthnm", ARB_TARGET_MILITARY, NULL, "RU", NULL, 0, 0, ARB_OBF_KEYBOARD, NULL),
    NO("Сегодня погибли три человека, сообщает агентство"),
    /* object before the verb, strangling/poisoning verbs, negated subject */
    T("Этого урода надо повесить на площади", ARB_STMT_CALL, "повесить", ANY_T, NULL, NULL, NULL, 0, 0, 0, "ru"),
    T("Не надо вешать этого урода", ARB_STMT_CALL, "вешать", ANY_T, NULL, NULL, NULL, ARB_MOD_NEGATION, 0, 0, NULL),
    T("Задушу тебя, клянусь", ARB_STMT_INTENT, "Задушу", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, NULL, 0, 0, 0, "ru"),
    T("Ни один пленный солдат не заслуживает смерти", ARB_STMT_ADVOCACY, NULL, ARB_TARGET_POW, NULL, NULL, NULL, ARB_MOD_NEGATION, 0, 0, NULL),
    /* execution formulas, "you are dead", nouns of death after advocacy */
    T("Всех оккупантов к стенке!", ARB_STMT_DEATH_TO, "к стенке", ARB_TARGET_MILITARY, NULL, "RU", NULL, 0, 0, 0, "ru"),
    NO("Поставь шкаф к стенке"),
    T("Ещё раз подойдёшь — ты труп", ARB_STMT_INTENT, "ты труп", ANY_T, NULL, NULL, NULL, 0, 0, 0, "ru"),
    T("Этот депутат заслужил пулю", ARB_STMT_ADVOCACY, "пулю", ANY_T, NULL, NULL, NULL, 0, 0, 0, "ru"),
    T("Скорее бы все оккупанты передохли", ARB_STMT_HOPE, "передохли", ARB_TARGET_MILITARY, NULL, NULL, NULL, 0, 0, 0, "ru"),
    T("Сожгу дом вместе с твоей семьёй", ARB_STMT_INTENT, "Сожгу", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, "семьёй", 0, 0, 0, "ru"),
    T("Я перережу тебе глотку", ARB_STMT_INTENT, NULL, ARB_TARGET_PRIVATE_PERSON, NULL, NULL, NULL, 0, 0, 0, "ru"),
    T("Сверну этой твари поганую шею", ARB_STMT_INTENT, NULL, ANY_T, NULL, NULL, NULL, 0, 0, 0, "ru"),
    NO("Сверну налево у школы"),
    T("Я бы его задушил", ARB_STMT_INTENT, NULL, ARB_TARGET_PRIVATE_PERSON, NULL, NULL, NULL, 0, 0, 0, "ru"),
    T("Убей себя", ARB_STMT_CALL, NULL, ANY_T, NULL, NULL, NULL, 0, 0, 0, "ru"),
    T("Сегодня ночью приду с ножом", ARB_STMT_INTENT, NULL, ANY_T, NULL, NULL, NULL, 0, 0, 0, "ru"),
    NO("Сегодня приду с тортом"),
    T("Надо найти его и убить", ARB_STMT_CALL, "убить", ANY_T, NULL, NULL, NULL, 0, 0, 0, "ru"),
    T("Все эти предатели должны быть истреблены", ARB_STMT_CALL, NULL, ANY_T, NULL, NULL, NULL, 0, 0, 0, "ru"),
    T("Ты получишь пулю в лоб", ARB_STMT_INTENT, NULL, ANY_T, NULL, NULL, NULL, 0, 0, 0, "ru"),
    NO("Он получил пулю в лоб на войне"),
    T("Так и хочется придушить этого соседа", ARB_STMT_INTENT, NULL, ARB_TARGET_PRIVATE_PERSON, NULL, NULL, NULL, 0, 0, 0, "ru"),
};

static const tcase uk_cases[] = {
    T("Смерть ворогам!", ARB_STMT_DEATH_TO, "Смерть", ARB_TARGET_MILITARY, NULL, NULL, "ворогам", 0, 0, 0, "uk"),
    T("Смерть окупантам", ARB_STMT_DEATH_TO, NULL, ARB_TARGET_MILITARY, NULL, "RU", "окупантам", 0, 0, 0, "uk"),
    T("Кацапи мають здохнути", ARB_STMT_ADVOCACY, "здохнути", ARB_TARGET_NATIONALITY, NULL, "RU", "Кацапи", 0, 0, 0, "uk"),
    NO("Слава Україні! Героям слава!"),
    T("вбий москаля", ARB_STMT_CALL, "вбий", ARB_TARGET_NATIONALITY, NULL, "RU", "москаля", 0, 0, 0, "uk"),
    T("я тебе вб'ю", ARB_STMT_INTENT, "вб'ю", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, "тебе", 0, 0, 0, "uk"),
    T("щоб ти здох", ARB_STMT_HOPE, "здох", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, "ти", 0, 0, 0, NULL),
    T("Треба розстріляти всіх окупантів", ARB_STMT_CALL, "розстріляти", ARB_TARGET_MILITARY, NULL, "RU", "окупантів", 0, 0, 0, NULL),
    T("Не треба вбивати полонених", ARB_STMT_CALL, "вбивати", ARB_TARGET_POW, NULL, NULL, "полонених", ARB_MOD_NEGATION, 0, 0, NULL),
    T("Вбивати всіх росіян!", ARB_STMT_CALL, "Вбивати", ARB_TARGET_NATIONALITY, NULL, "RU", "росіян", 0, 0, 0, NULL),
    T("Росіяни заслуговують смерті", ARB_STMT_ADVOCACY, "смерті", ARB_TARGET_NATIONALITY, NULL, "RU", "Росіяни", 0, 0, 0, NULL),
    T("Ніхто не заслуговує смерті", ARB_STMT_ADVOCACY, "смерті", ANY_T, NULL, NULL, NULL, ARB_MOD_NEGATION, 0, 0, NULL),
    T("Смерть путіну", ARB_STMT_DEATH_TO, NULL, ARB_TARGET_HEAD_OF_STATE, "putin", "RU", NULL, 0, 0, 0, NULL),
    T("вбий його завтра у тебе вдома", ARB_STMT_CALL, NULL, ARB_TARGET_PRIVATE_PERSON, NULL, NULL, "його", 0, ARB_CRED_TIMING | ARB_CRED_LOCATION, 0, NULL),
    T("smert vorogam", ARB_STMT_DEATH_TO, NULL, ARB_TARGET_MILITARY, NULL, NULL, NULL, 0, 0, ARB_OBF_TRANSLIT, NULL),
    T("Цього зрадника треба повісити", ARB_STMT_CALL, "повісити", ANY_T, NULL, NULL, NULL, 0, 0, 0, "uk"),
    T("Втоплю тебе в річці", ARB_STMT_INTENT, "Втоплю", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, NULL, 0, 0, 0, "uk"),
    /* the subjunctive first person is a hypothetical threat; negated, it is none */
    T("Я б ніколи не втопив тебе", ARB_STMT_INTENT, NULL, ANY_T, NULL, NULL, NULL, ARB_MOD_NEGATION, 0, 0, "uk"),
    T("Усіх окупантів до стінки!", ARB_STMT_DEATH_TO, "до стінки", ARB_TARGET_MILITARY, NULL, "RU", NULL, 0, 0, 0, "uk"),
    NO("Постав шафу до стінки"),
    T("Ще раз прийдеш — тобі кінець", ARB_STMT_INTENT, "тобі кінець", ANY_T, NULL, NULL, NULL, 0, 0, 0, "uk"),
    T("Спалю хату разом з твоєю родиною", ARB_STMT_INTENT, "Спалю", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, "родиною", 0, 0, 0, "uk"),
    T("Хтось, пристреліть цього зрадника", ARB_STMT_CALL, "пристреліть", ANY_T, NULL, NULL, NULL, 0, 0, 0, "uk"),
    T("Переріжу тобі горлянку", ARB_STMT_INTENT, NULL, ARB_TARGET_PRIVATE_PERSON, NULL, NULL, NULL, 0, 0, 0, "uk"),
    T("Задушив би тебе", ARB_STMT_INTENT, NULL, ARB_TARGET_PRIVATE_PERSON, NULL, NULL, NULL, 0, 0, 0, "uk"),
    T("Вбий себе", ARB_STMT_CALL, NULL, ANY_T, NULL, NULL, NULL, 0, 0, 0, "uk"),
    T("Пропоную зібратися біля його під'їзду і переламати йому руки", ARB_STMT_CALL, NULL, ANY_T, NULL, NULL, NULL, 0, 0, 0, "uk"),
    NO("Пропоную зібратися біля його під'їзду і поговорити"),
};

static const tcase pl_cases[] = {
    T("Śmierć okupantom!", ARB_STMT_DEATH_TO, "Śmierć", ARB_TARGET_MILITARY, NULL, "RU", "okupantom", 0, 0, 0, "pl"),
    T("Śmierć Putinowi", ARB_STMT_DEATH_TO, NULL, ARB_TARGET_HEAD_OF_STATE, "putin", "RU", "Putinowi", 0, 0, 0, NULL),
    T("Śmierć Łukaszence", ARB_STMT_DEATH_TO, NULL, ARB_TARGET_HEAD_OF_STATE, "lukashenko", "BY", NULL, 0, 0, 0, NULL),
    T("zabiję cię", ARB_STMT_INTENT, "zabiję", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, "cię", 0, 0, 0, "pl"),
    T("zabij go", ARB_STMT_CALL, "zabij", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, "go", 0, 0, 0, "pl"),
    T("żeby zdechł ten sąsiad", ARB_STMT_HOPE, "zdechł", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, "sąsiad", 0, 0, 0, NULL),
    T("Trzeba rozstrzelać wszystkich Rosjan", ARB_STMT_CALL, "rozstrzelać", ARB_TARGET_NATIONALITY, NULL, "RU", "Rosjan", 0, 0, 0, NULL),
    T("Rosyjscy żołnierze powinni zostać rozstrzelani", ARB_STMT_CALL, "rozstrzelani", ARB_TARGET_MILITARY, NULL, "RU", NULL, 0, 0, 0, NULL),
    T("Rosjanie zasługują na śmierć", ARB_STMT_ADVOCACY, "śmierć", ARB_TARGET_NATIONALITY, NULL, "RU", "Rosjanie", 0, 0, 0, NULL),
    T("Nikt nie zasługuje na śmierć", ARB_STMT_ADVOCACY, "śmierć", ANY_T, NULL, NULL, NULL, ARB_MOD_NEGATION, 0, 0, NULL),
    T("zabiłem go", ARB_STMT_ADMISSION, "zabiłem", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, "go", 0, 0, 0, NULL),
    T("Jeśli przyjdziesz, zabiję cię", ARB_STMT_CONDITIONAL, "zabiję", ANY_T, NULL, NULL, NULL, 0, 0, 0, NULL),
    T("Zabijcie ruskich jutro nożem", ARB_STMT_CALL, "Zabijcie", ARB_TARGET_NATIONALITY, NULL, "RU", "ruskich", 0, ARB_CRED_TIMING | ARB_CRED_MEANS, 0, NULL),
    T("Nie zabijajcie jeńców", ARB_STMT_CALL, NULL, ARB_TARGET_POW, NULL, NULL, NULL, ARB_MOD_NEGATION, 0, 0, NULL),
    NO("Putin to zbrodniarz"),
    T("Tego zdrajcę trzeba powiesić na rynku", ARB_STMT_CALL, "powiesić", ANY_T, NULL, NULL, NULL, 0, 0, 0, "pl"),
    T("Uduszę cię, zobaczysz", ARB_STMT_INTENT, "Uduszę", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, NULL, 0, 0, 0, "pl"),
    T("Nie uduszę cię, spokojnie", ARB_STMT_INTENT, "uduszę", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, NULL, ARB_MOD_NEGATION, 0, 0, "pl"),
    T("Obyś zdechł w rowie", ARB_STMT_HOPE, "zdechł", ANY_T, NULL, NULL, NULL, 0, 0, 0, "pl"),
    T("Wszystkich okupantów pod ścianę!", ARB_STMT_DEATH_TO, "pod ścianę", ARB_TARGET_MILITARY, NULL, "RU", NULL, 0, 0, 0, "pl"),
    NO("Postaw szafę pod ścianę"),
    T("Jeszcze raz przyjdziesz, a jesteś trupem", ARB_STMT_INTENT, "jesteś trupem", ANY_T, NULL, NULL, NULL, 0, 0, 0, "pl"),
    T("Niech ktoś zastrzeli tego zdrajcę", ARB_STMT_CALL, "zastrzeli", ANY_T, NULL, NULL, NULL, 0, 0, 0, "pl"),
    /* Polish written without diacritics */
    T("smierc okupantom", ARB_STMT_DEATH_TO, "smierc", ARB_TARGET_MILITARY, NULL, "RU", "okupantom", 0, 0, 0, "pl"),
    T("Wszystkich okupantow trzeba rozstrzelac", ARB_STMT_CALL, "rozstrzelac", ARB_TARGET_MILITARY, NULL, "RU", NULL, 0, 0, 0, "pl"),
    NO("We need more gin for the party"),
    T("Spalę dom razem z twoją rodziną", ARB_STMT_INTENT, "Spalę", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, "rodziną", 0, 0, 0, "pl"),
    T("Połamię ci nogi", ARB_STMT_INTENT, NULL, ARB_TARGET_PRIVATE_PERSON, NULL, NULL, NULL, 0, 0, 0, "pl"),
    NO("Połamię ci chleb"),
    T("Poderżnę tym zdrajcom gardła", ARB_STMT_INTENT, NULL, ANY_T, NULL, NULL, NULL, 0, 0, 0, "pl"),
    T("Udusiłbym cię", ARB_STMT_INTENT, NULL, ARB_TARGET_PRIVATE_PERSON, NULL, NULL, NULL, 0, 0, 0, "pl"),
    T("Nigdy bym cię nie udusił", ARB_STMT_INTENT, NULL, ANY_T, NULL, NULL, NULL, ARB_MOD_NEGATION, 0, 0, "pl"),
    T("Zabij się", ARB_STMT_CALL, NULL, ANY_T, NULL, NULL, NULL, 0, 0, 0, "pl"),
    T("Trzeba go znaleźć i zabić", ARB_STMT_CALL, "zabić", ANY_T, NULL, NULL, NULL, 0, 0, 0, "pl"),
    T("Wszyscy ci zdrajcy powinni zostać wytępieni", ARB_STMT_CALL, NULL, ANY_T, NULL, NULL, NULL, 0, 0, 0, "pl"),
    T("Dostaniesz kulkę w łeb", ARB_STMT_INTENT, NULL, ANY_T, NULL, NULL, NULL, 0, 0, 0, "pl"),
    T("Mam ochotę udusić tego sąsiada", ARB_STMT_INTENT, NULL, ARB_TARGET_PRIVATE_PERSON, NULL, NULL, NULL, 0, 0, 0, "pl"),
    T("Czas przestać zabijać jeńców", ARB_STMT_CALL, NULL, ANY_T, NULL, NULL, NULL, ARB_MOD_NEGATION, 0, 0, "pl"),
};

static void test_en(void **state) { (void)state; run_table(en_cases, ARB__ARRAY_LEN(en_cases)); }
static void test_ru(void **state) { (void)state; run_table(ru_cases, ARB__ARRAY_LEN(ru_cases)); }
static void test_uk(void **state) { (void)state; run_table(uk_cases, ARB__ARRAY_LEN(uk_cases)); }
static void test_pl(void **state) { (void)state; run_table(pl_cases, ARB__ARRAY_LEN(pl_cases)); }

/* every target of the first statement has class `cls` */
static void all_targets_are(const char *text, int cls)
{
    arb__analysis an = run(text);
    assert_true(an.n_stmts >= 1);
    assert_true(an.stmts[0].n_targets >= 1);
    for (size_t i = 0; i < an.stmts[0].n_targets; i++)
        if ((int)an.stmts[0].targets[i].cls != cls)
            fail_msg("\"%s\": target %zu has class %s", text, i,
                     arb_target_class_name(an.stmts[0].targets[i].cls));
}

/* a pronoun in another clause refers back to the victim named in the
 * trigger's clause; it is not a second, unknown victim */
static void test_pronoun_in_other_clause(void **state)
{
    (void)state;
    all_targets_are("Kill the occupiers, they came to our land", ARB_TARGET_MILITARY);
    all_targets_are("Kill the Russian soldiers in Ukraine, every one of them", ARB_TARGET_MILITARY);
    /* without a named victim in the clause the pronoun is the victim */
    all_targets_are("Kill them, they came to our land", ARB_TARGET_UNKNOWN);
}

/* spans are byte ranges into the original text, whatever came before */
static void test_spans_are_original_bytes(void **state)
{
    (void)state;
    const char *text = "OK... so   I WILL KILL YOU, Mr. Smith";
    arb__analysis an = run(text);
    assert_int_equal(an.n_stmts, 1);
    const arb_statement *s = &an.stmts[0];
    assert_true(span_is(text, s->trigger, "KILL"));
    assert_int_equal(s->n_targets, 1);
    assert_true(span_is(text, s->targets[0].span, "YOU"));
    assert_string_equal(s->trigger_label, "kill");
    assert_int_equal(s->severity, ARB_SEV_HIGH);
    assert_true(s->span.start <= s->trigger.start && s->span.end >= s->targets[0].span.end);
}

/* one statement per trigger; a post can hold several */
static void test_several_statements(void **state)
{
    (void)state;
    const char *text = "Death to the occupiers. I will shoot you.";
    arb__analysis an = run(text);
    assert_int_equal(an.n_stmts, 2);
    assert_int_equal(an.stmts[0].type, ARB_STMT_DEATH_TO);
    assert_int_equal(an.stmts[1].type, ARB_STMT_INTENT);
    assert_true(an.stmts[0].span.end <= an.stmts[1].span.start);
}

/* a question built on a call is the call: no question modifier, and the
 * negation inside the frame ("isn't", «не», «nie») is part of it; a genuine
 * question keeps both */
static void is_call_not_question(const char *text)
{
    arb__analysis an = run(text);
    if (!an.n_stmts)
        fail_msg("\"%s\": no statement", text);
    if (an.stmts[0].type != ARB_STMT_CALL)
        fail_msg("\"%s\": type %s", text, arb_stmt_type_name(an.stmts[0].type));
    if (an.stmts[0].modifiers & (ARB_MOD_QUESTION | ARB_MOD_NEGATION))
        fail_msg("\"%s\": modifiers %#x", text, an.stmts[0].modifiers);
}

static void test_rhetorical_question(void **state)
{
    (void)state;
    is_call_not_question("Isn't it past time to start hanging the traitors?");
    is_call_not_question("Who wants to help me string up some liberals?");
    is_call_not_question("Why not just gas all the immigrants?");
    is_call_not_question("Не пора ли перебить всех предателей?");
    is_call_not_question("Чи не час перебити всіх зрадників?");
    is_call_not_question("Czy nie czas wybić wszystkich zdrajców?");
    is_call_not_question("What if we just shot every one of those traitors?");
    is_call_not_question("А что если нам их всех перестрелять?");
    /* a genuine question is still a question */
    arb__analysis an = run("Why would anyone want to shoot the prisoners of war?");
    assert_true(!an.n_stmts || (an.stmts[0].modifiers & ARB_MOD_QUESTION));
    an = run("Почему бы их не повесить?");
    assert_true(an.n_stmts >= 1 && !(an.stmts[0].modifiers & ARB_MOD_QUESTION));
}

/* a disclaimer in the clause before the call negates it, unless a "but"
 * follows the call */
static void test_disclaimer(void **state)
{
    (void)state;
    arb__analysis an = run("Я не кажу, що його треба вбити, я кажу, що його треба судити");
    assert_true(an.n_stmts >= 1 && (an.stmts[0].modifiers & ARB_MOD_NEGATION));
    an = run("Nie mówię, że trzeba go zabić, mówię, że trzeba go osądzić");
    assert_true(an.n_stmts >= 1 && (an.stmts[0].modifiers & ARB_MOD_NEGATION));
    an = run("Я не говорю, что его надо убить, но плакать я не стану");
    assert_true(an.n_stmts >= 1 && !(an.stmts[0].modifiers & ARB_MOD_NEGATION));
    an = run("Я кажу, що його треба вбити");
    assert_true(an.n_stmts >= 1 && !(an.stmts[0].modifiers & ARB_MOD_NEGATION));
}

/* the first statement's target of class cls, named by these original words */
static bool has_target(const char *text, const arb__analysis *an, int cls, const char *words)
{
    if (!an->n_stmts)
        return false;
    for (size_t i = 0; i < an->stmts[0].n_targets; i++) {
        const arb_target *t = &an->stmts[0].targets[i];
        if ((int)t->cls == cls && (!words || span_is(text, t->span, words)))
            return true;
    }
    return false;
}

/* Russian typed on a QWERTY layout, punctuation keys included, and chat
 * transliteration with apostrophes: the pronouns count beside a trigger of
 * the same kind, and the spans are the original bytes */
static void test_layout_and_translit(void **state)
{
    (void)state;
    static const struct {
        const char *text, *trigger, *target;
        uint32_t obf;
    } c[] = {
        {"z nt,z e,m.", "e,m.", "nt,z", ARB_OBF_KEYBOARD},              /* я тебя убью */
        {"Z NT,Z E,M.", "E,M.", "NT,Z", ARB_OBF_KEYBOARD},              /* caps lock */
        /* the '.' of "e,m." is ю, not the end of a sentence before "nt,z" */
        {"e,m. nt,z, cerf", "e,m.", "nt,z", ARB_OBF_KEYBOARD},         /* убью тебя, сука */
        {"ya tebya ub'yu", "ub'yu", "tebya", ARB_OBF_TRANSLIT},
        {"ya tebya ub`yu", "ub`yu", "tebya", ARB_OBF_TRANSLIT},
        {"ja tebja ub\xe2\x80\x99ju", "ub\xe2\x80\x99ju", "tebja", ARB_OBF_TRANSLIT},
        {"zastrel'u tebya", "zastrel'u", "tebya", ARB_OBF_TRANSLIT},
        {"ya teb'a zastrel'u", "zastrel'u", "teb'a", ARB_OBF_TRANSLIT},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        arb__analysis an = run(c[i].text);
        if (!an.n_stmts || an.stmts[0].type != ARB_STMT_INTENT ||
            !span_is(c[i].text, an.stmts[0].trigger, c[i].trigger) ||
            !has_target(c[i].text, &an, ARB_TARGET_PRIVATE_PERSON, c[i].target) ||
            !(an.stmts[0].obfuscation & c[i].obf))
            fail_msg("'%s': expected intent '%s' against '%s'", c[i].text, c[i].trigger,
                     c[i].target);
    }
    arb__analysis an0;
    /* grammar cues spelled the same way: a modal makes the call, a
     * negation negates it */
    an0 = run("nado ego ubit'");
    assert_true(an0.n_stmts >= 1 && an0.stmts[0].type == ARB_STMT_CALL);
    an0 = run("ya tebya ne ub'yu, ne boysya");
    assert_true(an0.n_stmts >= 1 && (an0.stmts[0].modifiers & ARB_MOD_NEGATION));
    /* English with commas and the same short words stays English */
    assert_int_equal(run("Well, z nt,z is a typo, e.g. ego, ty, vas.").n_stmts, 0);
    /* a transliterated pronoun beside a plain English verb is not a target */
    arb__analysis an = run("I will kill the ego in me, ty");
    assert_true(!an.n_stmts || !has_target("I will kill the ego in me, ty", &an,
                                           ARB_TARGET_PRIVATE_PERSON, "ego"));
}

/* Polish without diacritics: "zabije" is also "he will kill" */
static void test_polish_folded_future(void **state)
{
    (void)state;
    static const char *const threat[] = {"Zabije cie", "zajebie cie", "zastrzele cie",
                                         "Jutro cie zabije", "ja cie zabije, zobaczysz",
                                         "zabije was wszystkich"};
    for (size_t i = 0; i < sizeof threat / sizeof threat[0]; i++) {
        arb__analysis an = run(threat[i]);
        if (!an.n_stmts || an.stmts[0].type != ARB_STMT_INTENT)
            fail_msg("'%s': expected intent", threat[i]);
    }
    /* a third-person subject: a warning or news, not the speaker's threat */
    static const char *const third[] = {"On cie zabije", "Mama cie zabije", "Wirus zabije tysiące",
                                        "Zabije cie ten wirus", "Mama mnie zabije",
                                        "Mama powiedziała, że cie zabije"};
    for (size_t i = 0; i < sizeof third / sizeof third[0]; i++) {
        arb__analysis an = run(third[i]);
        if (an.n_stmts && an.stmts[0].type == ARB_STMT_INTENT)
            fail_msg("'%s': read as the speaker's threat", third[i]);
    }
}

/* a condemnation counts for the call in its own sentence, or through an
 * explicit reference to it; a condemnation word about something else in
 * another sentence does not neutralise the call */
static void test_condemnation_scope(void **state)
{
    (void)state;
    arb__analysis an = run("Posts saying we should hang the immigrants are disgusting.");
    assert_true(an.n_stmts >= 1 && (an.stmts[0].modifiers & ARB_MOD_CONDEMNATION));
    an = run("Someone wrote that we should hang the immigrants. This is disgusting.");
    assert_true(an.n_stmts >= 1 && (an.stmts[0].modifiers &
                                    (ARB_MOD_CONDEMNATION | ARB_MOD_QUOTATION)));
    an = run("We should hang the immigrants. My neighbour called me racist for years.");
    assert_true(an.n_stmts >= 1 && !(an.stmts[0].modifiers & ARB_MOD_CONDEMNATION));
    an = run("Надо повесить всех мигрантов. Это отвратительно.");
    assert_true(an.n_stmts >= 1 && (an.stmts[0].modifiers & ARB_MOD_CONDEMNATION));
}

/* the victim named by a nominalized adjective or participle */
static void test_nominal_victim(void **state)
{
    (void)state;
    static const struct {
        const char *text, *target;
    } c[] = {
        {"Давайте после уроков отметелим новенького.", "новенького"},
        {"Давайте після уроків відгамселимо новенького.", "новенького"},
        {"Chodźcie po lekcjach sprać tego nowego.", "nowego"},
        {"Давай отметелим рыжего после уроков", "рыжего"},
        {"Let's beat up the new guy after school.", "the new guy"},
        {"otmetelim novenkogo posle urokov", "novenkogo"},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        arb__analysis an = run(c[i].text);
        if (!has_target(c[i].text, &an, ARB_TARGET_PRIVATE_PERSON, c[i].target))
            fail_msg("'%s': expected a victim '%s'", c[i].text, c[i].target);
    }
    /* an adjective before a noun that is no person is no victim */
    assert_int_equal(run("Сожжём старую мебель на даче.").n_stmts, 0);
}

/* a demonstrative before an animal or a thing names no person victim, and a
 * pronoun in a later clause does not stand in for one */
static void test_demonstrative_thing(void **state)
{
    (void)state;
    static const char *const thing[] = {
        "Пристрелите уже этого раненого коня, он мучается.",
        "Треба застрелити цього скаженого пса, поки він нікого не покусав.",
        "Trzeba sprać tę plamę z obrusu po kolacji.",
        "Trzeba zastrzelić tego wściekłego psa, zanim kogoś pogryzie.",
    };
    for (size_t i = 0; i < sizeof thing / sizeof thing[0]; i++)
        if (run(thing[i]).n_stmts)
            fail_msg("'%s': expected no statement", thing[i]);
    static const char *const person[] = {
        "Надо отметелить этого мелкого засранца.",
        "Пристрелите этого бешеного урода, пока он не покусал детей.",
        "Trzeba sprać tego rudego.",
    };
    for (size_t i = 0; i < sizeof person / sizeof person[0]; i++)
        if (!run(person[i]).n_stmts)
            fail_msg("'%s': expected a statement", person[i]);
}

/* a short condition, a dash, a bare first-person future: an intent */
static void test_elliptical_threat(void **state)
{
    (void)state;
    static const char *const threat[] = {"Встретимся — закопаю.", "Попадёшься — убью.",
                                         "Зустрінемось — вб'ю.", "Spotkamy się — zabiję."};
    for (size_t i = 0; i < sizeof threat / sizeof threat[0]; i++) {
        arb__analysis an = run(threat[i]);
        if (!an.n_stmts || an.stmts[0].type != ARB_STMT_INTENT)
            fail_msg("'%s': expected an intent", threat[i]);
    }
    assert_int_equal(run("Встретимся — обнимемся.").n_stmts, 0);
    assert_int_equal(run("Придёшь — накормлю.").n_stmts, 0);
}

/* Welcomed or predicted harm is a hope of at most mid severity; fear,
 * sadness and negation are none, and a bet on harm is not neutralised by
 * its question mark. */
static void test_welcomed_harm(void **state)
{
    (void)state;
    static const char *const hope[] = {
        "I'd pop champagne if he got shot", "I couldn't care less if they wiped out all the muslims",
        "Я бы посмотрел, как его повесят", "Не буду плакать, если их всех перебьют",
        "Чекаю, коли його повісять", "Nie będę płakał, jak ich wszystkich wystrzelają",
        "Wanna bet the senator will be hanged by next year?"};
    for (size_t i = 0; i < sizeof hope / sizeof hope[0]; i++) {
        arb__analysis an = run(hope[i]);
        if (an.n_stmts != 1 || an.stmts[0].type != ARB_STMT_HOPE ||
            an.stmts[0].severity != ARB_SEV_MID || (an.stmts[0].modifiers & ARB_MOD_QUESTION))
            fail_msg("'%s': expected one mid-severity hope without modifiers", hope[i]);
    }
    static const char *const none[] = {"I'd be devastated if he got shot",
                                       "I'm afraid they will kill him", "Я боюсь, что его убьют",
                                       "Боюся, що його вб'ють", "Boję się, że go zabiją",
                                       "The killer will be hanged, the court ruled"};
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
        if (run(none[i]).n_stmts)
            fail_msg("'%s': expected no statement", none[i]);
    arb__analysis an = run("I wouldn't pop champagne if he got shot");
    assert_true(an.n_stmts == 0 || (an.stmts[0].modifiers & ARB_MOD_NEGATION));
}

/* A weapon offered as the solution for a victim is advocacy; a medicine or a
 * hunting tool is not. */
static void test_means_solution(void **state)
{
    (void)state;
    static const char *const adv[] = {"The answer to the muslim problem is a rope",
                                      "Пуля — лучшее лекарство для предателей",
                                      "Куля — найкращі ліки для зрадників",
                                      "Jeden granat i problem z nimi rozwiązany"};
    for (size_t i = 0; i < sizeof adv / sizeof adv[0]; i++) {
        arb__analysis an = run(adv[i]);
        if (!an.n_stmts || an.stmts[0].type != ARB_STMT_ADVOCACY || !an.stmts[0].n_targets)
            fail_msg("'%s': expected advocacy with a victim", adv[i]);
    }
    static const char *const none[] = {"One aspirin and the headache is cured",
                                       "A rifle is the best tool for deer",
                                       "Сон — лучшее лекарство от простуды",
                                       "Jedna tabletka i problem rozwiązany"};
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
        if (run(none[i]).n_stmts)
            fail_msg("'%s': expected no statement", none[i]);
}

/* A city or a country as the object of a verb that destroys a place names
 * its civilians (with the country's code, the span on the place's words);
 * a quantifier stands for the places named before it; reports, sport,
 * locatives and things are none. */
static void test_place_victims(void **state)
{
    (void)state;
    static const tcase cases[] = {
        T("Надо разбомбить Киев", ARB_STMT_CALL, "разбомбить", ARB_TARGET_CIVILIANS, NULL, "UA", "Киев", 0, 0, 0, "ru"),
        T("Сбросить бы ядерку на Москву", ARB_STMT_CALL, NULL, ARB_TARGET_CIVILIANS, NULL, "RU", "Москву", 0, 0, 0, "ru"),
        T("Треба рознести Москву", ARB_STMT_CALL, "рознести", ARB_TARGET_CIVILIANS, NULL, "RU", "Москву", 0, 0, 0, "uk"),
        T("Zbombardować Moskwę", ARB_STMT_CALL, "Zbombardować", ARB_TARGET_CIVILIANS, NULL, "RU", "Moskwę", 0, 0, 0, "pl"),
        T("Bomb Iran", ARB_STMT_CALL, "Bomb", ARB_TARGET_CIVILIANS, NULL, "IR", "Iran", 0, 0, 0, "en"),
        T("fuck israel and america. both should be destroyed", ARB_STMT_CALL, "destroyed", ARB_TARGET_CIVILIANS, NULL, "US", "america", 0, 0, 0, "en"),
        NO("Russia bombed Kyiv last night, killing 20"),
        NO("The team destroyed Moscow 3-0"),
        NO("both cars should be destroyed"),
        NO("Росія розбомбила Київ минулої ночі"),
        NO("Trzeba zrównać tę starą stodołę z ziemią"),
        NO("I was born in Kyiv and I will kill for a good coffee"),
    };
    run_table(cases, sizeof cases / sizeof cases[0]);
    /* a locative is no place victim */
    arb__analysis an = run("Убивать российских солдат в Украине, всех до одного.");
    assert_true(an.n_stmts > 0);
    for (size_t i = 0; i < an.stmts[0].n_targets; i++)
        assert_int_not_equal(an.stmts[0].targets[i].cls, ARB_TARGET_CIVILIANS);
}

/* A group of people of unknown class (traitors, liberals, «предатели»,
 * «зрадники», «zdrajcy») is the victim of an extermination verb that needs a
 * named victim; things, animals, possessors and conditions are not, and a
 * plural pronoun after such a verb stands for a group of people named in the
 * sentence before, never for things. */
static void test_named_groups(void **state)
{
    (void)state;
    static const tcase cases[] = {
        T("thin out the traitors", ARB_STMT_CALL, "thin out", ARB_TARGET_UNKNOWN, NULL, NULL, "traitors", 0, 0, 0, "en"),
        T("double tap that traitor", ARB_STMT_CALL, "double tap", ARB_TARGET_UNKNOWN, NULL, NULL, "traitor", 0, 0, 0, "en"),
        T("Надо проредить этих предателей", ARB_STMT_CALL, "проредить", ARB_TARGET_UNKNOWN, NULL, NULL, "предателей", 0, 0, 0, "ru"),
        T("Треба проредити цих зрадників", ARB_STMT_CALL, "проредити", ARB_TARGET_UNKNOWN, NULL, NULL, "зрадників", 0, 0, 0, "uk"),
        T("Trzeba przetrzebić tych zdrajców", ARB_STMT_CALL, "przetrzebić", ARB_TARGET_UNKNOWN, NULL, NULL, "zdrajców", 0, 0, 0, "pl"),
        T("We have barbarians all over the place. We need to start thinning them out.", ARB_STMT_CALL, NULL, ARB_TARGET_UNKNOWN, NULL, NULL, "barbarians", 0, 0, 0, "en"),
        T("Предатели повсюду. Надо их проредить.", ARB_STMT_CALL, NULL, ARB_TARGET_UNKNOWN, NULL, NULL, "Предатели", 0, 0, 0, "ru"),
        T("Зрадники всюди. Треба їх проредити.", ARB_STMT_CALL, NULL, ARB_TARGET_UNKNOWN, NULL, NULL, "Зрадники", 0, 0, 0, "uk"),
        T("Zdrajcy są wszędzie. Trzeba ich przetrzebić.", ARB_STMT_CALL, NULL, ARB_TARGET_UNKNOWN, NULL, NULL, "Zdrajcy", 0, 0, 0, "pl"),
        NO("thin out the seedlings"),
        NO("double tap the screen"),
        NO("thin out the rats in the barn"),
        NO("double tap the liberals' posts"),
        NO("Double tap if you hate liberals"),
        NO("We need to thin out the leftist books on this shelf."),
        NO("Надо проредить морковку."),
        NO("Trzeba przetrzebić las."),
        NO("We hope we can get rid of a few communists in the next election"),
        NO("The carrots came up too dense. Time to thin them out."),
        NO("Морковка взошла густо. Пора её проредить."),
        NO("Ці розсади густо зійшли. Треба їх проредити."),
        NO("Sadzonki wzeszły za gęsto. Trzeba je przetrzebić."),
    };
    run_table(cases, sizeof cases / sizeof cases[0]);
}

/* A negated verb of speech before a colon reaches the imperative after it;
 * a bare attention-getter ("Listen:") does not. */
/* threats in clauses of time or condition, inclination, rhetorical suicide
 * incitement, welcomed harm, a condemnation word describing the speaker */
static void test_future_harm(void **state)
{
    (void)state;
    static const tcase cases[] = {
        T("You'll be shot like a dog", ARB_STMT_INTENT, "shot", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, "You", 0, 0, 0, "en"),
        T("your whole family is going to be slaughtered", ARB_STMT_INTENT, "slaughtered", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, NULL, 0, 0, 0, "en"),
        T("those traitors are going to be hanged", ARB_STMT_INTENT, "hanged", ANY_T, NULL, NULL, "traitors", 0, 0, 0, "en"),
        T("traitors will hang", ARB_STMT_INTENT, "hang", ANY_T, NULL, NULL, "traitors", 0, 0, 0, "en"),
        T("Тебя зарежут как собаку", ARB_STMT_INTENT, "зарежут", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, "Тебя", 0, 0, 0, "ru"),
        T("Всех предателей перестреляют", ARB_STMT_INTENT, "перестреляют", ANY_T, NULL, NULL, NULL, 0, 0, 0, "ru"),
        T("Усіх зрадників перевішають", ARB_STMT_INTENT, "перевішають", ANY_T, NULL, NULL, NULL, 0, 0, 0, "uk"),
        T("Тебя зарежут, если пойдёшь туда ночью", ARB_STMT_CONDITIONAL, "зарежут", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, NULL, 0, 0, 0, "ru"),
        NO("he was shot dead by police in 1994, the book says"),
        NO("Его застрелили в 1994 году."),
        NO("the painting will hang in the hall"),
        NO("traitors will hang their flags at the rally"),
        NO("you'll be amazed"),
        NO("Will soldiers be killed if we invade?"),
        NO("Many civilians will be killed in this war, experts warn"),
        NO("We need to support her when she knows she will be attacked by the left"),
        NO("Пленных расстреливают"),
        NO("Их расстреляют завтра"),
        T("Zostaniecie wszyscy powieszeni", ARB_STMT_INTENT, "powieszeni", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, NULL, 0, 0, 0, "pl"),
        T("Zdrajcy zostaną powieszeni", ARB_STMT_INTENT, "powieszeni", ANY_T, NULL, NULL, "Zdrajcy", 0, 0, 0, "pl"),
        NO("Obrazy zostaną powieszone w galerii"),
        NO("The murderer will be executed on Thursday"),
    };
    run_table(cases, sizeof cases / sizeof cases[0]);
}

static void test_past_wishes(void **state)
{
    (void)state;
    static const tcase cases[] = {
        T("Хоч би хтось його задушив", ARB_STMT_HOPE, "задушив", ANY_T, NULL, NULL, NULL, 0, 0, 0, "uk"),
        T("Я бы с удовольствием придушил этого соседа", ARB_STMT_INTENT, "придушил", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, NULL, 0, 0, 0, "ru"),
        T("Я б із задоволенням задушив цього сусіда", ARB_STMT_INTENT, "задушив", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, NULL, 0, 0, 0, "uk"),
        T("Z przyjemnością bym go udusił", ARB_STMT_INTENT, "udusił", ANY_T, NULL, NULL, NULL, 0, 0, 0, "pl"),
        T("Жаль, что никто его не грохнул", ARB_STMT_HOPE, "грохнул", ANY_T, NULL, NULL, NULL, 0, 0, 0, "ru"),
        T("Szkoda, że nikt go nie zastrzelił", ARB_STMT_HOPE, "zastrzelił", ANY_T, NULL, NULL, NULL, 0, 0, 0, "pl"),
        T("too bad nobody shot him", ARB_STMT_HOPE, "shot", ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
        NO("Я бы с удовольствием выпил чаю"),
        NO("Жаль, что никто его не спас"),
        NO("Szkoda, że nikt nie przyszedł"),
    };
    run_table(cases, sizeof cases / sizeof cases[0]);
    /* the «не» of regret negates nothing */
    arb__analysis an = run("Шкода, що ніхто його не вбив");
    assert_int_equal(an.n_stmts, 1);
    assert_false(an.stmts[0].modifiers & ARB_MOD_NEGATION);
}

static void test_dash_slogans(void **state)
{
    (void)state;
    static const tcase cases[] = {
        T("Кацапов — к стенке", ARB_STMT_DEATH_TO, "к стенке", ANY_T, NULL, NULL, "Кацапов", 0, 0, 0, "ru"),
        T("Зрадників — на гіляку!", ARB_STMT_DEATH_TO, NULL, ANY_T, NULL, NULL, "Зрадників", 0, 0, 0, "uk"),
        T("Пленных орков — расстреливать!", ARB_STMT_CALL, "расстреливать", ANY_T, NULL, NULL, NULL, 0, 0, 0, "ru"),
        T("Зеленского повесить!", ARB_STMT_CALL, "повесить", ARB_TARGET_HEAD_OF_STATE, NULL, NULL, NULL, 0, 0, 0, "ru"),
        T("Zełenskiego powiesić!", ARB_STMT_CALL, "powiesić", ARB_TARGET_HEAD_OF_STATE, NULL, NULL, NULL, 0, 0, 0, "pl"),
        NO("Шкаф — к стенке"),
        NO("Картину повесить!"),
        NO("Pranie powiesić"),
        NO("Картину — повесить на стену"),
    };
    run_table(cases, sizeof cases / sizeof cases[0]);
}

/* round g7: an infinitive pattern of several words at the start of a clause
 * holds its object and is a command; a possessive inside a trigger phrase
 * names the victim */
static void test_pattern_commands_and_possessives(void **state)
{
    (void)state;
    static const tcase cases[] = {
        T("Давить их машинами!", ARB_STMT_CALL, "Давить их машинами", ANY_T, NULL, NULL, NULL, 0, 0, 0, "ru"),
        T("Давити їх машинами!", ARB_STMT_CALL, "Давити їх машинами", ANY_T, NULL, NULL, NULL, 0, 0, 0, "uk"),
        T("Rozjechać ich ciężarówką!", ARB_STMT_CALL, "Rozjechać ich ciężarówką", ANY_T, NULL, NULL, NULL, 0, 0, 0, "pl"),
        NO("Давить на газ"),
        NO("Давить сок из апельсинов"),
        NO("Jechać autem do pracy"),
        NO("Przejechać samochodem do Krakowa"),
        T("I'll end your life", ARB_STMT_INTENT, NULL, ARB_TARGET_PRIVATE_PERSON, NULL, NULL, "your", 0, 0, 0, "en"),
        T("I will take his life and the cops will come for me", ARB_STMT_INTENT, NULL,
          ARB_TARGET_PRIVATE_PERSON, NULL, NULL, "his", 0, 0, 0, "en"),
        NO("I'll take your life savings"),
        NO("I will end his career"),
        NO("it will end your life as you know it"),
    };
    run_table(cases, sizeof cases / sizeof cases[0]);
    /* the police named after the threat are not its victims */
    arb__analysis an = run("I will take his life and the cops will come for me");
    assert_true(an.n_stmts >= 1);
    for (size_t i = 0; i < an.stmts[0].n_targets; i++)
        assert_int_not_equal(an.stmts[0].targets[i].cls, ARB_TARGET_LAW_ENFORCEMENT);
}

static void test_generic_and_passive(void **state)
{
    (void)state;
    static const tcase cases[] = {
        T("Предатели должны умереть", ARB_STMT_ADVOCACY, "умереть", ANY_T, NULL, NULL, NULL, 0, 0, 0, "ru"),
        T("Этот человек должен умереть", ARB_STMT_ADVOCACY, "умереть", ANY_T, NULL, NULL, NULL, 0, 0, 0, "ru"),
        /* (since g7 the infinitive pattern holding its object is a command,
         * as «Поставьте их всех к стенке» is) */
        T("Поставить их всех к стенке", ARB_STMT_CALL, "Поставить их всех к стенке", ANY_T, NULL, NULL, NULL, 0, 0, 0, "ru"),
        NO("Каждый человек когда-то должен умереть"),
        NO("everyone has to die someday"),
        NO("I was raped as a child"),
        NO("Поставь шкаф к стенке, он не будет мешать"),
        T("Nuke China", ARB_STMT_CALL, "Nuke", ARB_TARGET_CIVILIANS, NULL, "CN", "China", 0, 0, 0, "en"),
        NO("I was born in China"),
    };
    run_table(cases, sizeof cases / sizeof cases[0]);
}

static void test_threat_clauses(void **state)
{
    (void)state;
    static const tcase cases[] = {
        T("shut your ass up before i beat you", ARB_STMT_CONDITIONAL, "beat", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, "you", 0, 0, 0, "en"),
        T("Do it again and I shoot you", ARB_STMT_CONDITIONAL, "shoot", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, "you", 0, 0, 0, "en"),
        T("Give me the money or I shoot you", ARB_STMT_CONDITIONAL, "shoot", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, NULL, 0, 0, 0, "en"),
        T("One more word and I break your neck", ARB_STMT_CONDITIONAL, NULL, ARB_TARGET_PRIVATE_PERSON, NULL, NULL, NULL, 0, 0, 0, "en"),
        T("If you do it again I beat you", ARB_STMT_CONDITIONAL, "beat", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, NULL, 0, 0, 0, "en"),
        T("Заткнись, пока я тебя не избил", ARB_STMT_CONDITIONAL, "избил", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, NULL, 0, 0, 0, "ru"),
        T("Замовкни, поки я тебе не побив", ARB_STMT_CONDITIONAL, "побив", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, NULL, 0, 0, 0, "uk"),
        T("Zamknij się, dopóki cię nie pobiję", ARB_STMT_CONDITIONAL, "pobiję", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, NULL, 0, 0, 0, "pl"),
        T("Заткнись, а то убью", ARB_STMT_INTENT, "убью", ANY_T, NULL, NULL, NULL, 0, 0, 0, "ru"),
        T("Замовкни, бо вб'ю", ARB_STMT_INTENT, NULL, ANY_T, NULL, NULL, NULL, 0, 0, 0, "uk"),
        T("I feel like strangling her", ARB_STMT_INTENT, "strangling", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, NULL, 0, 0, 0, "en"),
        T("why doesn't he just kill himself", ARB_STMT_CALL, "kill", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, NULL, 0, 0, 0, "en"),
        T("Почему бы тебе не повеситься?", ARB_STMT_CALL, NULL, ARB_TARGET_PRIVATE_PERSON, NULL, NULL, NULL, 0, 0, 0, "ru"),
        T("Чому б тобі не повіситися?", ARB_STMT_CALL, NULL, ARB_TARGET_PRIVATE_PERSON, NULL, NULL, NULL, 0, 0, 0, "uk"),
        T("Może byś się w końcu powiesił?", ARB_STMT_CALL, NULL, ANY_T, NULL, NULL, NULL, 0, 0, 0, "pl"),
        T("good riddance if they all drown", ARB_STMT_HOPE, "drown", ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
        T("Был бы рад, если бы его повесили", ARB_STMT_HOPE, "повесили", ANY_T, NULL, NULL, NULL, 0, 0, 0, "ru"),
        T("Byłbym szczęśliwy, gdyby go powiesili", ARB_STMT_HOPE, "powiesili", ANY_T, NULL, NULL, NULL, 0, 0, 0, "pl"),
        NO("If I ever hurt you, I'd never forgive myself."),
        NO("Он ушёл, пока я его не избил."),
        NO("I feel like killing time"),
        NO("Why did he kill himself?"),
        NO("Почему он повесился?"),
        NO("Почему бы тебе не поспать?"),
        NO("Mam nadzieję, że się nie powiesisz"),
        NO("I'd be sad if they all drown"),
        NO("Мне было бы грустно, если бы его повесили"),
        NO("I bet he gets shot"),
        NO("Założę się, że go zabiją"),
    };
    run_table(cases, sizeof cases / sizeof cases[0]);
    /* the body part of the addressee is the addressee: one target */
    arb__analysis an = run("shut your ass up before i beat you");
    assert_int_equal(an.n_stmts, 1);
    assert_int_equal(an.stmts[0].n_targets, 1);
    /* the speaker's «не» of «пока ... не» is no negation */
    an = run("Заткнись, пока я тебя не избил");
    assert_int_equal(an.n_stmts, 1);
    assert_false(an.stmts[0].modifiers & ARB_MOD_NEGATION);
    /* a condemnation word describing the speaker does not neutralise;
     * one about the quoted call does */
    an = run("I'm a racist and I want to shoot leftists");
    assert_true(an.n_stmts >= 1);
    assert_false(an.stmts[0].modifiers & ARB_MOD_CONDEMNATION);
    an = run("Saying that leftists should be shot is racist");
    assert_true(an.n_stmts >= 1);
    assert_true(an.stmts[0].modifiers & ARB_MOD_CONDEMNATION);
}

static void test_colon_scope(void **state)
{
    (void)state;
    static const char *const negated[] = {
        "I would never tell anyone: go kill yourself", "Я никогда не скажу человеку: повесься",
        "Я ніколи не скажу людині: повісься", "Nigdy nikomu nie powiem: powieś się"};
    for (size_t i = 0; i < sizeof negated / sizeof negated[0]; i++) {
        arb__analysis an = run(negated[i]);
        if (an.n_stmts && !(an.stmts[0].modifiers & ARB_MOD_NEGATION))
            fail_msg("'%s': expected the call negated", negated[i]);
    }
    static const tcase cases[] = {
        T("Listen: go kill yourself", ARB_STMT_CALL, NULL, ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
        T("Слушай сюда: повесься", ARB_STMT_CALL, NULL, ANY_T, NULL, NULL, NULL, 0, 0, 0, "ru"),
        T("Слухай сюди: повісься", ARB_STMT_CALL, NULL, ANY_T, NULL, NULL, NULL, 0, 0, 0, "uk"),
        T("Słuchaj: powieś się", ARB_STMT_CALL, NULL, ANY_T, NULL, NULL, NULL, 0, 0, 0, "pl"),
    };
    run_table(cases, sizeof cases / sizeof cases[0]);
    static const char *const plain[] = {"Listen: go kill yourself", "Слушай сюда: повесься",
                                        "I tell you: kill them all", "Don't worry: we will kill them all",
                                        "I won't tell you again: go kill yourself",
                                        "Повторять не буду: повесься", "Я не скажу вдруге: повісься",
                                        "Nie powiem drugi raz: powieś się"};
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
        arb__analysis an = run(plain[i]);
        if (!an.n_stmts || (an.stmts[0].modifiers & (ARB_MOD_NEGATION | ARB_MOD_QUOTATION)))
            fail_msg("'%s': expected a call without negation or quotation", plain[i]);
    }
}

/* Shelling and strike verbs name a city's people as their object; a report,
 * a body part, sport and sanctions do not. */
static void test_places_under_fire(void **state)
{
    (void)state;
    static const tcase cases[] = {
        T("Shell Kharkiv until nothing is left", ARB_STMT_CALL, "Shell", ARB_TARGET_CIVILIANS, NULL, "UA", "Kharkiv", 0, 0, 0, "en"),
        T("Надо обстрелять Киев", ARB_STMT_CALL, "обстрелять", ARB_TARGET_CIVILIANS, NULL, "UA", "Киев", 0, 0, 0, "ru"),
        T("Надо ударить по Киеву", ARB_STMT_CALL, NULL, ARB_TARGET_CIVILIANS, NULL, "UA", "Киеву", 0, 0, 0, "ru"),
        T("Треба вдарити по Москві", ARB_STMT_CALL, NULL, ARB_TARGET_CIVILIANS, NULL, "RU", "Москві", 0, 0, 0, "uk"),
        T("Trzeba uderzyć w Moskwę", ARB_STMT_CALL, NULL, ARB_TARGET_CIVILIANS, NULL, "RU", "Moskwę", 0, 0, 0, "pl"),
        T("Trzeba ostrzelać Moskwę", ARB_STMT_CALL, "ostrzelać", ARB_TARGET_CIVILIANS, NULL, "RU", "Moskwę", 0, 0, 0, "pl"),
        T("bomb the shit out of Moscow", ARB_STMT_CALL, NULL, ARB_TARGET_CIVILIANS, NULL, "RU", "Moscow", 0, 0, 0, "en"),
        NO("Russia shelled Kharkiv overnight, killing 3"),
        NO("Надо ударить по рукам."),
        NO("Треба вдарити по руках."),
        NO("Trzeba uderzyć w stół."),
        NO("Надо ударить по Москве санкциями."),
        NO("Trzeba uderzyć w Rosję sankcjami."),
        NO("Мы ударим по Варшаве в финале кубка."),
        NO("We hammered Moscow 3-0 last night."),
        NO("hit the city by bus"),
        NO("We should shell out more money for Kyiv."),
    };
    run_table(cases, sizeof cases / sizeof cases[0]);
}

/* g9: frames around a known violent word -- a comma list under one frame,
 * the speaker's clause of time, harm as the condition of an end, the
 * speaker's own words, indifference with an intensifier */
static bool no_mod(const char *text, uint32_t mod)
{
    arb__analysis an = run(text);
    for (size_t i = 0; i < an.n_stmts; i++)
        if (an.stmts[i].modifiers & mod)
            return false;
    return an.n_stmts > 0;
}

/* g10: inverted conditions, crimes in a legal frame, things as objects,
 * groups as agents, repeated verbs, forecasts and reported words (precision);
 * object words before formulas and coordinated infinitives, feminine
 * modals, the optative "may" (recall) */
static void test_g10_frames(void **state)
{
    (void)state;
    static const tcase cases[] = {
        NO("Should he be killed, the market would crash."),
        NO("Were they to be shot, the whole country would riot."),
        T("Should they come here, we will kill them all.", ARB_STMT_CONDITIONAL, "kill", ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
        T("Should be hanged, the traitor.", ARB_STMT_CALL, "hanged", ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
        T("Should he be hanged, or jailed?", ARB_STMT_CALL, "hanged", ANY_T, NULL, NULL, NULL, ARB_MOD_QUESTION, 0, 0, "en"),
        T("He should be brought up on murder charges.", ARB_STMT_CALL, "murder", ANY_T, NULL, NULL, NULL, ARB_MOD_TECHNICAL, 0, 0, "en"),
        NO("You burn coal, you pay the toll."),
        NO("I'll shoot some photos of the kids."),
        NO("Liberals should burn their old books."),
        NO("If I were him I'd have this framed and hang it in the Oval Office."),
        NO("Car buyers will have to buy gas."),
        T("Liberals should burn them.", ARB_STMT_CALL, "burn", ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
        T("We have to gas them.", ARB_STMT_CALL, "gas", ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
        T("I'll beat the shit out of him.", ARB_STMT_INTENT, NULL, ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
        T("Publicly hang murderers, rapists and child molesters.", ARB_STMT_CALL, "hang", ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
        T("I will kill it at the exam, you'll see", ARB_STMT_INTENT, "kill", ANY_T, NULL, NULL, NULL, ARB_MOD_IDIOM, 0, 0, NULL),
        NO("Women murder millions of babies every year."),
        NO("Muslims always kill apostates."),
        T("Muslims, kill the infidels!", ARB_STMT_CALL, "kill", ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
        NO("they can kill, kill, kill anyone who disagrees"),
        T("Kill, kill, kill them all!", ARB_STMT_CALL, NULL, ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
        NO("If teachers are armed, they'll start shooting minority kids."),
        T("We need to start shooting them.", ARB_STMT_CALL, "shooting", ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
        T("A Teen Vogue writer says innocent men accused of rape should suffer anyway.", ARB_STMT_ADVOCACY, "suffer", ANY_T, NULL, NULL, NULL, ARB_MOD_QUOTATION, 0, 0, "en"),
        T("May he burn.", ARB_STMT_HOPE, "burn", ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
        T("May the traitors all hang.", ARB_STMT_HOPE, "hang", ANY_T, NULL, NULL, "traitors", 0, 0, 0, "en"),
        NO("He may die of his injuries."),
        NO("They may kill us all."),
        NO("May is a vile globalist who should be removed from office."),
        T("Чурок гнать и резать!", ARB_STMT_CALL, "резать", ANY_T, NULL, NULL, NULL, 0, 0, 0, "ru"),
        T("Zdrajców łapać i wieszać!", ARB_STMT_CALL, "wieszać", ANY_T, NULL, NULL, NULL, 0, 0, 0, "pl"),
        NO("Грибы собирать и жарить!"),
        NO("Grzyby zbierać i smażyć!"),
        T("Эта мразь должна сдохнуть.", ARB_STMT_ADVOCACY, NULL, ANY_T, NULL, NULL, NULL, 0, 0, 0, "ru"),
        T("Ця мразь повинна здохнути.", ARB_STMT_ADVOCACY, NULL, ANY_T, NULL, NULL, NULL, 0, 0, 0, "uk"),
        NO("Эта мразь должна сидеть в тюрьме."),
        NO("Te rośliny muszą uschnąć."),
        NO("We want all GMO's to be destroyed, and we want the seeds they are hiding."),
        T("The Jews, who control everything, must be destroyed.", ARB_STMT_CALL, "destroyed", ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
        T("Kill the families of the traitors.", ARB_STMT_CALL, "Kill", ANY_T, NULL, NULL, "traitors", 0, 0, 0, "en"),
        NO("Kill the lights of the house."),
    };
    run_table(cases, sizeof cases / sizeof cases[0]);
    /* the speaker's own words are no report */
    arb__analysis an = run("I say they should be shot.");
    assert_int_equal(an.n_stmts, 1);
    assert_int_equal(an.stmts[0].modifiers & ARB_MOD_QUOTATION, 0);
    /* the crime is named, the punishment after it is a call of its own */
    an = run("He should be charged with murder and then hanged.");
    assert_int_equal(an.n_stmts, 2);
    assert_true(an.stmts[0].modifiers & ARB_MOD_TECHNICAL);
    assert_int_equal(an.stmts[1].type, ARB_STMT_CALL);
    assert_int_equal(an.stmts[1].modifiers, 0);
    an = run("He was arrested and hanged in 1946.");
    assert_int_equal(an.n_stmts, 0);
}

static void test_g11_frames(void **state)
{
    (void)state;
    static const tcase cases[] = {
        T("You will be hunted down and killed.", ARB_STMT_INTENT, "killed", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, NULL, 0, 0, 0, "en"),
        T("You'll be tracked down and shot.", ARB_STMT_INTENT, "shot", ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
        NO("We whites will be hunted down and killed."),
        NO("We whites will be killed."),
        NO("Our people will be slaughtered."),
        T("Whites will be killed.", ARB_STMT_INTENT, "killed", ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
        T("Isn't past the time to start killing all leftists?", ARB_STMT_CALL, "killing", ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
        T("Is it not past time to shoot them all?", ARB_STMT_CALL, "shoot", ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
        T("I pray for his death.", ARB_STMT_HOPE, "death", ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
        T("I'm praying he dies.", ARB_STMT_HOPE, "dies", ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
        NO("Hopefully his death won't be overshadowed by the news."),
        NO("I'm praying he survives."),
        NO("Praying for the victims of the shooting."),
        T("We should have killed them all.", ARB_STMT_ADVOCACY, "killed", ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
        T("I wish we had wiped them out.", ARB_STMT_ADVOCACY, NULL, ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
        NO("I should have killed that spider."),
        NO("He should have been arrested."),
    };
    run_table(cases, sizeof cases / sizeof cases[0]);
    /* a past that cannot come back: advocacy at mid, not the verb's high */
    arb__analysis an = run("We should have killed them all.");
    assert_int_equal(an.n_stmts, 1);
    assert_int_equal(an.stmts[0].severity, ARB_SEV_MID);
    an = run("They should be killed.");
    assert_int_equal(an.n_stmts, 1);
    assert_int_equal(an.stmts[0].severity, ARB_SEV_HIGH);
}

static void test_g9_frames(void **state)
{
    (void)state;
    static const tcase cases[] = {
        T("Somebody should grab him, tie him up and hang him.", ARB_STMT_CALL, "hang", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, NULL, 0, 0, 0, "en"),
        T("I would be tempted to corner, subdue and strangle him.", ARB_STMT_INTENT, "strangle", ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
        T("Trzeba go znaleźć, pobić i powiesić.", ARB_STMT_CALL, "pobić", ANY_T, NULL, NULL, NULL, 0, 0, 0, "pl"),
        T("I'm seriously tempted to stab him.", ARB_STMT_INTENT, "stab", ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
        T("we'll have a trial and after that we hang them", ARB_STMT_INTENT, "hang", ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
        T("We had a trial and after that we hanged them", ARB_STMT_ADMISSION, "hanged", ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
        T("There will be no peace until every traitor is hanged", ARB_STMT_ADVOCACY, "hanged", ANY_T, NULL, NULL, "traitor", 0, 0, 0, "en"),
        T("Nothing changes till these people are put against a wall", ARB_STMT_ADVOCACY, NULL, ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
        T("Мира не будет, пока все предатели не будут повешены", ARB_STMT_ADVOCACY, "повешены", ANY_T, NULL, NULL, NULL, 0, 0, 0, "ru"),
        T("Nie będzie pokoju, dopóki nie powieszą wszystkich zdrajców", ARB_STMT_ADVOCACY, "powieszą", ANY_T, NULL, NULL, NULL, 0, 0, 0, "pl"),
        T("They claim I said the traitors should be hanged", ARB_STMT_CALL, "hanged", ANY_T, NULL, NULL, NULL, ARB_MOD_QUOTATION, 0, 0, "en"),
        T("I reported him for saying the traitors should be hanged", ARB_STMT_CALL, "hanged", ANY_T, NULL, NULL, NULL, ARB_MOD_QUOTATION, 0, 0, "en"),
        T("I was falsely accused of saying the traitors should be hanged", ARB_STMT_CALL, "hanged", ANY_T, NULL, NULL, NULL, ARB_MOD_QUOTATION, 0, 0, "en"),
        T("I wouldn't shed a single tear if someone shot him", ARB_STMT_HOPE, "shot", ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
        T("Round them up and hang them.", ARB_STMT_CALL, "hang", ANY_T, NULL, NULL, "them", 0, 0, 0, "en"),
        NO("Feign disorder, and crush him."),
        NO("Call her and kill time."),
        NO("I'm going to go home, beat the traffic and kill some time."),
        NO("The siege did not end until the soldiers were shot down."),
        NO("Осада не закончилась, пока солдат не расстреляли."),
        NO("Don't stop until the dough is beaten smooth."),
        NO("They won't care if you only kill a few low level minions."),
        NO("I wouldn't care one bit if they lost the election."),
    };
    run_table(cases, sizeof cases / sizeof cases[0]);
    /* every verb of the list is the speaker's intent; the worst one is high */
    arb__analysis an = run("I'm going to find, beat and kill him.");
    assert_int_equal(an.n_stmts, 2);
    assert_int_equal(an.stmts[0].type, ARB_STMT_INTENT);
    assert_int_equal(an.stmts[1].type, ARB_STMT_INTENT);
    assert_int_equal(an.stmts[0].severity, ARB_SEV_MID);
    assert_int_equal(an.stmts[1].severity, ARB_SEV_HIGH);
    /* an imperative list naming its victim: each verb is a call */
    an = run("Find him, beat him and kill him.");
    assert_int_equal(an.n_stmts, 2);
    assert_int_equal(an.stmts[1].type, ARB_STMT_CALL);
    assert_int_equal(an.stmts[1].severity, ARB_SEV_HIGH);
    /* the negation of the main clause and the «не» of «пока ... не» do not
     * negate the outcome */
    assert_true(no_mod("This will not stop until the traitors are hanged", ARB_MOD_NEGATION));
    assert_true(no_mod("Мира не будет, пока все предатели не будут повешены", ARB_MOD_NEGATION));
    /* the speaker's own words are not a quotation; the negation of a
     * welcome frame is the frame */
    assert_true(no_mod("I got banned for saying the traitors should be hanged", ARB_MOD_QUOTATION));
    assert_true(no_mod("Меня забанили за то, что я написал, что предателей надо повесить",
                       ARB_MOD_QUOTATION));
    assert_true(no_mod("I wouldn't shed a single tear if someone shot him", ARB_MOD_NEGATION));
    an = run("I wouldn't care one bit if they all died");
    assert_int_equal(an.n_stmts, 1);
    assert_int_equal(an.stmts[0].severity, ARB_SEV_MID); /* welcomed harm: at most mid */
}

/* Persons named by capitalized words the lexicons do not know: the name is
 * read in the victim's slot only, with its case taken from the original
 * text; without the original text (src NULL) no word is a name. */
static void test_proper_names(void **state)
{
    (void)state;
    static const tcase cases[] = {
        T("I will kill John Smith.", ARB_STMT_INTENT, "kill", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, "John Smith", 0, 0, 0, "en"),
        T("Someone should shoot Nancy Pelosi", ARB_STMT_CALL, "shoot", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, "Nancy Pelosi", 0, 0, 0, "en"),
        T("Death to Soros!", ARB_STMT_DEATH_TO, NULL, ARB_TARGET_PRIVATE_PERSON, NULL, NULL, "Soros", 0, 0, 0, "en"),
        T("I hope Mark Zuckerberg dies.", ARB_STMT_HOPE, "dies", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, "Mark Zuckerberg", 0, 0, 0, "en"),
        T("John Smith should be executed", ARB_STMT_CALL, "executed", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, "John Smith", 0, 0, 0, "en"),
        T("Let's find Mr Johnson and beat him.", ARB_STMT_CALL, NULL, ARB_TARGET_PRIVATE_PERSON, NULL, NULL, "Mr Johnson", 0, 0, 0, "en"),
        T("#HangFauci", ARB_STMT_CALL, NULL, ARB_TARGET_PRIVATE_PERSON, NULL, NULL, "Fauci", 0, 0, 0, "en"),
        T("Я убью Ивана Петрова", ARB_STMT_INTENT, "убью", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, "Ивана Петрова", 0, 0, 0, "ru"),
        T("Треба повісити Петренка", ARB_STMT_CALL, "повісити", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, "Петренка", 0, 0, 0, "uk"),
        T("Zastrzelcie Nowaka!", ARB_STMT_CALL, "Zastrzelcie", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, "Nowaka", 0, 0, 0, "pl"),
        /* a name from another language's lexicon is still a person */
        T("Somebody should kill Biden", ARB_STMT_CALL, "kill", ANY_T, "biden", NULL, "Biden", 0, 0, 0, "en"),
        /* no name: lower case, ALL CAPS, a possessive, a sentence that
         * opens with the word, a headline, a hashtag topic, a team, God */
        NO("I will kill john smith, lol"),
        NO("Oswald shot Kennedy in 1963."),
        NO("Put an end to #ChainMigration now!"),
        NO("We're going to slaughter Liverpool on Sunday."),
        NO("Sunday Roast Kills Three In Hospital Outbreak"),
        NO("I'm going to kill Chrome, it keeps freezing."),
        NO("Portret Piłsudskiego trzeba powiesić w klasie."),
        NO("Rozgromimy Legię w sobotę."),
        /* a hyphenated name, a mention as the object, the optative "may" */
        T("Alexandria Ocasio-Cortez should be executed", ARB_STMT_CALL, NULL, ARB_TARGET_PRIVATE_PERSON, NULL, NULL, "Alexandria Ocasio-Cortez", 0, 0, 0, "en"),
        T("someone should shoot @mayor_bob", ARB_STMT_CALL, "shoot", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, "@mayor_bob", 0, 0, 0, "en"),
        T("May Nancy Pelosi die", ARB_STMT_HOPE, "die", ARB_TARGET_PRIVATE_PERSON, NULL, NULL, "Nancy Pelosi", 0, 0, 0, "en"),
        NO("Social media star shot dead @CNN"),
    };
    run_table(cases, sizeof cases / sizeof cases[0]);
    /* the case is the original's: the same words without it name no one */
    arb__arena_reset(F.ar);
    const char *text = "I will kill John Smith.";
    arb_normalized nm;
    assert_int_equal(arb__normalize(F.nz, F.ar, text, strlen(text), &nm), ARB_OK);
    arb__analysis an;
    assert_int_equal(arb__analyze(F.lx, F.ls, F.ar, &F.lim, &nm, NULL, 0, NULL, 0, &an), ARB_OK);
    assert_int_equal(an.n_stmts, 0);
}

/* A tag after the threat ("you hear me?", «понял?», «rozumiesz?») does not
 * make the threat a question; a sentence that opens as a question stays one. */
static void test_tag_questions(void **state)
{
    (void)state;
    static const char *const threats[] = {
        "You're dead, you hear me?", "I'll cut your throat, got it?", "Я тебя урою, понял?",
        "Ещё раз увижу — убью, ясно?", "Я тебе вб'ю, зрозумів?", "Zabiję cię, rozumiesz?"};
    for (size_t i = 0; i < sizeof threats / sizeof threats[0]; i++) {
        arb__analysis an = run(threats[i]);
        assert_true(an.n_stmts >= 1);
        assert_false(an.stmts[0].modifiers & ARB_MOD_QUESTION);
    }
    static const char *const questions[] = {
        "Should we kill them all, right?", "Would you really kill him, you think?",
        "Czy naprawdę go zabijesz, słyszysz?", "Will you kill him?"};
    for (size_t i = 0; i < sizeof questions / sizeof questions[0]; i++) {
        arb__analysis an = run(questions[i]);
        for (size_t k = 0; k < an.n_stmts; k++)
            assert_true(an.stmts[k].modifiers & ARB_MOD_QUESTION);
    }
}

/* A target named as what a thing depicts is no victim: the portrait, the
 * effigy is the object; the person alone stays one. */
static void test_representations(void **state)
{
    (void)state;
    static const tcase cases[] = {
        NO("Let's burn Putin's portrait."),
        NO("Hang a portrait of Putin in every school."),
        NO("Портрет Путина надо повесить в кабинете."),
        NO("Спалімо опудало Путіна!"),
        NO("Spalmy kukłę Putina!"),
        T("Let's burn Putin alive.", ARB_STMT_CALL, NULL, ARB_TARGET_HEAD_OF_STATE, "putin", NULL, NULL, 0, 0, 0, "en"),
        T("Spalmy Putina!", ARB_STMT_CALL, NULL, ARB_TARGET_HEAD_OF_STATE, "putin", NULL, "Putina", 0, 0, 0, "pl"),
        /* a pronoun typed on the wrong layout inside a trigger typed so:
         * "tq" («ей») in "e,tq" («убей») is a piece of the verb */
        NO("e,tq"),
        T("e,tq vjcrfktq", ARB_STMT_CALL, NULL, ARB_TARGET_NATIONALITY, NULL, NULL, "vjcrfktq", 0, 0, ARB_OBF_KEYBOARD, "ru"),
    };
    run_table(cases, sizeof cases / sizeof cases[0]);
}

/* Misspelled triggers (two letters swapped, one left out) and triggers
 * glued to a function word are found, flagged `misspelling`; a misspelling
 * that is a word of its own ("trial") is no trigger. */
static void test_misspellings(void **state)
{
    (void)state;
    static const tcase cases[] = {
        T("I want to klil all women.", ARB_STMT_INTENT, "klil", ARB_TARGET_PROTECTED_GROUP, NULL, NULL, NULL, 0, 0, ARB_OBF_MISSPELLING, "en"),
        T("Those kinds of Muslims ought to be execuetd.", ARB_STMT_CALL, "execuetd", ARB_TARGET_PROTECTED_GROUP, NULL, NULL, NULL, 0, 0, ARB_OBF_MISSPELLING, "en"),
        T("I really am just going to murdr that woman.", ARB_STMT_INTENT, "murdr", ANY_T, NULL, NULL, NULL, 0, 0, ARB_OBF_MISSPELLING, "en"),
        T("Deaht to all immigrants.", ARB_STMT_DEATH_TO, NULL, ARB_TARGET_PROTECTED_GROUP, NULL, NULL, NULL, 0, 0, ARB_OBF_MISSPELLING, "en"),
        T("I really am just going to murderthat woman.", ARB_STMT_INTENT, "murder", ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
        T("Women like you deserve todie.", ARB_STMT_ADVOCACY, "die", ANY_T, NULL, NULL, NULL, 0, 0, 0, "en"),
        T("Zastrzleę go jutro.", ARB_STMT_INTENT, "Zastrzleę", ANY_T, NULL, NULL, NULL, 0, 0, ARB_OBF_MISSPELLING, "pl"),
        NO("The trial of the killer starts on Monday."),
        NO("He studied hard and got into medical school."),
        NO("Carpe diem, friends."),
    };
    run_table(cases, sizeof cases / sizeof cases[0]);
}

static void test_empty_and_plain(void **state)
{
    (void)state;
    assert_int_equal(run("").n_stmts, 0);
    assert_int_equal(run("The weather is nice today in Warsaw.").n_stmts, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_en),
        cmocka_unit_test(test_ru),
        cmocka_unit_test(test_uk),
        cmocka_unit_test(test_pl),
        cmocka_unit_test(test_pronoun_in_other_clause),
        cmocka_unit_test(test_spans_are_original_bytes),
        cmocka_unit_test(test_several_statements),
        cmocka_unit_test(test_rhetorical_question),
        cmocka_unit_test(test_disclaimer),
        cmocka_unit_test(test_layout_and_translit),
        cmocka_unit_test(test_polish_folded_future),
        cmocka_unit_test(test_condemnation_scope),
        cmocka_unit_test(test_nominal_victim),
        cmocka_unit_test(test_demonstrative_thing),
        cmocka_unit_test(test_elliptical_threat),
        cmocka_unit_test(test_welcomed_harm),
        cmocka_unit_test(test_means_solution),
        cmocka_unit_test(test_place_victims),
        cmocka_unit_test(test_named_groups),
        cmocka_unit_test(test_colon_scope),
        cmocka_unit_test(test_places_under_fire),
        cmocka_unit_test(test_threat_clauses),
        cmocka_unit_test(test_future_harm),
        cmocka_unit_test(test_past_wishes),
        cmocka_unit_test(test_dash_slogans),
        cmocka_unit_test(test_generic_and_passive),
        cmocka_unit_test(test_pattern_commands_and_possessives),
        cmocka_unit_test(test_g9_frames),
        cmocka_unit_test(test_g10_frames),
        cmocka_unit_test(test_g11_frames),
        cmocka_unit_test(test_proper_names),
        cmocka_unit_test(test_tag_questions),
        cmocka_unit_test(test_representations),
        cmocka_unit_test(test_misspellings),
        cmocka_unit_test(test_empty_and_plain),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
