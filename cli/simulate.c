/*
 * simulate.c -- `arbiter simulate --baseline OLD --candidate NEW CORPUS`.
 *
 * Shows what a policy change would do before it ships: one pass over a
 * JSON Lines corpus (the `arbiter scan` input), each record read and parsed
 * once and decided by both engines, then a report of how many decisions
 * flip, by kind of flip (action and rule before -> after), by country and
 * by action, with sample posts for each kind of flip.
 *
 * Invariants: memory is bounded by the number of distinct kinds, countries
 * and the sample cap, not by the corpus size; output order is
 * deterministic (counts descending, then names).
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

typedef struct tally {
    char *key;
    unsigned long n;
    char *samples[8];
    unsigned n_samples;
} tally;

typedef struct tallies {
    tally *v;
    size_t n, cap;
} tallies;

static tally *tally_get(tallies *t, const char *key)
{
    for (size_t i = 0; i < t->n; i++)
        if (!strcmp(t->v[i].key, key))
            return &t->v[i];
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 16;
        t->v = realloc(t->v, t->cap * sizeof *t->v);
        if (!t->v) {
            fprintf(stderr, "arbiter: out of memory\n");
            exit(CLI_EXIT_IO);
        }
    }
    tally *x = &t->v[t->n++];
    memset(x, 0, sizeof *x);
    x->key = strdup(key);
    return x;
}

static int tally_cmp(const void *a, const void *b)
{
    const tally *x = a, *y = b;
    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return strcmp(x->key, y->key);
}

static void tallies_free(tallies *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->v[i].key);
        for (unsigned k = 0; k < t->v[i].n_samples; k++)
            free(t->v[i].samples[k]);
    }
    free(t->v);
}

static void rule_name(const arb_decision *d, char *buf, size_t cap)
{
    if (arb_decision_overlay(d))
        snprintf(buf, cap, "%s [%s v%s]", arb_decision_rule(d), arb_decision_overlay(d),
                 arb_decision_overlay_version(d));
    else
        snprintf(buf, cap, "%s", arb_decision_rule(d));
}

static void usage(FILE *f)
{
    fputs("usage: arbiter simulate --baseline OLD --candidate NEW [--samples N] CORPUS.jsonl\n"
          "\n"
          "Decides every record of CORPUS (JSON Lines as for `arbiter scan`; - for stdin)\n"
          "under both policies in one pass and reports how many decisions flip, by kind of\n"
          "flip (action and rule before -> after), by country and by action, with up to N\n"
          "sample posts (default 3) for each kind of flip.  OLD and NEW are policy packs (a\n"
          ".yaml file or a directory).  Exit 0 on success, 1 if some records could not be\n"
          "decided, 2 usage, 3 policy error, 4 I/O error.\n",
          f);
}

int cmd_simulate(int argc, char **argv)
{
    const char *old = NULL, *cand = NULL, *corpus = NULL;
    unsigned max_samples = 3;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(argv[i], "--baseline") && i + 1 < argc) {
            old = argv[++i];
        } else if (!strcmp(argv[i], "--candidate") && i + 1 < argc) {
            cand = argv[++i];
        } else if (!strcmp(argv[i], "--samples") && i + 1 < argc) {
            char *end;
            long v = strtol(argv[++i], &end, 10);
            if (*end || v < 0 || v > 8) {
                fprintf(stderr, "arbiter: simulate: --samples takes 0..8\n");
                return CLI_EXIT_USAGE;
            }
            max_samples = (unsigned)v;
        } else if ((argv[i][0] != '-' || !strcmp(argv[i], "-")) && !corpus) {
            corpus = argv[i];
        } else {
            usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (!old || !cand || !corpus) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    arb_engine *ea = NULL, *eb = NULL;
    int rc = cli_engine_load(old, &ea);
    if (rc)
        return rc;
    if ((rc = cli_engine_load(cand, &eb))) {
        arb_engine_free(ea);
        return rc;
    }
    FILE *f = strcmp(corpus, "-") ? fopen(corpus, "rb") : stdin;
    if (!f) {
        perror(corpus);
        arb_engine_free(ea);
        arb_engine_free(eb);
        return CLI_EXIT_IO;
    }
    arb_scratch *sa = NULL, *sb = NULL;
    if (arb_scratch_new(ea, &sa) != ARB_OK || arb_scratch_new(eb, &sb) != ARB_OK) {
        fprintf(stderr, "arbiter: out of memory\n");
        return CLI_EXIT_IO;
    }
    arb_limits lim;
    arb_limits_default(&lim);
    cli_lines lr;
    cli_lines_init(&lr, f, lim.max_text_bytes * 6 + 4096);
    const char *line;
    size_t len;
    int got;
    unsigned long total = 0, errors = 0, flips = 0;
    unsigned long act_before[4] = {0}, act_after[4] = {0};
    tallies kinds = {0}, countries = {0}, actions = {0}, rules = {0};
    while ((got = cli_lines_next(&lr, &line, &len)) != 0) {
        if (got > 0 && len == 0)
            continue;
        total++;
        if (got < 0) {
            errors++;
            continue;
        }
        cli_record r;
        cli_record_parse(&r, line, len, -1, lim.max_text_bytes);
        if (r.status != ARB_OK) {
            errors++;
            cli_record_free(&r);
            continue;
        }
        const arb_decision *da, *db;
        if (arb_decide(ea, sa, &r.post, &da) != ARB_OK ||
            arb_decide(eb, sb, &r.post, &db) != ARB_OK) {
            errors++;
            cli_record_free(&r);
            continue;
        }
        arb_action a = arb_decision_action(da), b = arb_decision_action(db);
        act_before[a & 3]++;
        act_after[b & 3]++;
        char ra[256], rb[256];
        rule_name(da, ra, sizeof ra);
        rule_name(db, rb, sizeof rb);
        if (a != b || strcmp(ra, rb)) {
            flips += a != b;
            char key[600];
            snprintf(key, sizeof key, "%s -> %s | %s -> %s", arb_action_name(a),
                     arb_action_name(b), ra, rb);
            tally *k = tally_get(&kinds, key);
            k->n++;
            if (k->n_samples < max_samples) {
                size_t need = r.post.text_len + (r.id_len) + 64;
                char *s = malloc(need);
                snprintf(s, need, "%.*s (%s): \"%.*s\"", (int)r.id_len, r.id ? r.id : "",
                         r.post.author_country, (int)r.post.text_len, r.post.text);
                for (char *q = s; *q; q++)
                    if (*q == '\n' || *q == '\r')
                        *q = ' ';
                k->samples[k->n_samples++] = s;
            }
            if (a != b) {
                tally_get(&countries, r.post.author_country)->n++;
                snprintf(key, sizeof key, "%s -> %s", arb_action_name(a), arb_action_name(b));
                tally_get(&actions, key)->n++;
                snprintf(key, sizeof key, "%s -> %s", ra, rb);
                tally_get(&rules, key)->n++;
            }
        }
        cli_record_free(&r);
    }
    cli_lines_free(&lr);
    if (f != stdin)
        fclose(f);
    unsigned long decided = total - errors;
    printf("simulate: baseline %s %s (%.12s), candidate %s %s (%.12s)\n",
           arb_engine_policy_id(ea), arb_engine_policy_version(ea), arb_engine_policy_hash(ea),
           arb_engine_policy_id(eb), arb_engine_policy_version(eb), arb_engine_policy_hash(eb));
    printf("records: %lu, decided: %lu, errors: %lu\n", total, decided, errors);
    printf("action flips: %lu (%.2f%% of decided)\n", flips,
           decided ? 100.0 * (double)flips / (double)decided : 0.0);
    printf("\nactions       before    after\n");
    for (int i = 0; i < 4; i++)
        printf("  %-10s %8lu %8lu\n", arb_action_name((arb_action)i), act_before[i], act_after[i]);
    qsort(actions.v, actions.n, sizeof *actions.v, tally_cmp);
    qsort(countries.v, countries.n, sizeof *countries.v, tally_cmp);
    qsort(rules.v, rules.n, sizeof *rules.v, tally_cmp);
    qsort(kinds.v, kinds.n, sizeof *kinds.v, tally_cmp);
    printf("\nflips by action:\n");
    for (size_t i = 0; i < actions.n; i++)
        printf("  %8lu  %s\n", actions.v[i].n, actions.v[i].key);
    printf("\nflips by country (author):\n");
    for (size_t i = 0; i < countries.n; i++)
        printf("  %8lu  %s\n", countries.v[i].n, countries.v[i].key);
    printf("\nflips by rule (before -> after):\n");
    for (size_t i = 0; i < rules.n; i++)
        printf("  %8lu  %s\n", rules.v[i].n, rules.v[i].key);
    printf("\nkinds of change (action | rule), with samples:\n");
    for (size_t i = 0; i < kinds.n; i++) {
        printf("  %8lu  %s\n", kinds.v[i].n, kinds.v[i].key);
        for (unsigned k = 0; k < kinds.v[i].n_samples; k++)
            printf("              e.g. %s\n", kinds.v[i].samples[k]);
    }
    tallies_free(&kinds);
    tallies_free(&countries);
    tallies_free(&actions);
    tallies_free(&rules);
    arb_scratch_free(sa);
    arb_scratch_free(sb);
    arb_engine_free(ea);
    arb_engine_free(eb);
    return errors ? CLI_EXIT_RECORDS : CLI_EXIT_OK;
}
