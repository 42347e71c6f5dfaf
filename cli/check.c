/*
 * check.c -- `arbiter check`: decide one post given on the command line and
 * show it to a person: the decision, the rule, the reason, and the original
 * text with the words that mattered highlighted (colour on a terminal,
 * bracket marks otherwise), then each statement found.
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { K_NONE, K_MOD, K_CRED, K_TARGET, K_TRIGGER };

static void mark(unsigned char *k, size_t n, arb_span sp, unsigned char kind)
{
    for (size_t i = sp.start; i < sp.end && i < n; i++)
        if (k[i] < kind)
            k[i] = kind;
}

static void usage(FILE *f)
{
    fputs("usage: arbiter check [--country CC] [--viewer CC] [--at RFC3339] [--lang TAG]\n"
          "                     [--policy PATH] [--json] TEXT...\n"
          "\n"
          "Decides one post (the TEXT words joined by spaces) and shows the decision,\n"
          "the rule, the reason, and the matched words highlighted in the original text.\n"
          "\n"
          "  --country CC   author's country, ISO 3166-1 alpha-2 (default US)\n"
          "  --viewer CC    viewer's country (optional)\n"
          "  --at T         the post's time, RFC 3339 (default: now)\n"
          "  --lang TAG     language hint, BCP 47\n"
          "  --policy PATH  policy pack (.yaml file or directory); default: embedded pack\n"
          "  --json         print the `arbiter scan` JSON record instead\n"
          "\n"
          "Marks without colour: [[violent words]] {{target}} <<credibility>> ((modifier))\n"
          "Exit status: 0 decided, 1 the post could not be decided, 2 usage, 3 policy.\n",
          f);
}

int cmd_check(int argc, char **argv)
{
    static const struct option opts[] = {
        {"country", required_argument, 0, 'c'}, {"viewer", required_argument, 0, 'v'},
        {"at", required_argument, 0, 'a'},      {"lang", required_argument, 0, 'l'},
        {"policy", required_argument, 0, 'p'},  {"json", no_argument, 0, 'J'},
        {"help", no_argument, 0, 'h'},          {0, 0, 0, 0}};
    const char *country = "US", *viewer = NULL, *lang = NULL, *policy = NULL;
    int64_t at_ms = (int64_t)time(NULL) * 1000;
    bool json = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'c': country = optarg; break;
        case 'v': viewer = optarg; break;
        case 'l': lang = optarg; break;
        case 'p': policy = optarg; break;
        case 'J': json = true; break;
        case 'a':
            if (arb_parse_time(optarg, strlen(optarg), &at_ms) != ARB_OK) {
                fprintf(stderr, "arbiter check: --at %s: not an RFC 3339 time (1970..9999)\n", optarg);
                return CLI_EXIT_USAGE;
            }
            break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return CLI_EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (!arb_country_valid(country) || (viewer && !arb_country_valid(viewer))) {
        fprintf(stderr, "arbiter check: country \"%s\" is not an ISO 3166-1 alpha-2 code\n",
                arb_country_valid(country) ? viewer : country);
        return CLI_EXIT_USAGE;
    }
    cli_str text = {0};
    for (int i = optind; i < argc; i++) {
        if (i > optind)
            cli_str_put(&text, " ", 1);
        cli_str_put(&text, argv[i], strlen(argv[i]));
    }
    arb_engine *e;
    int rc = cli_engine_load(policy, &e);
    if (rc) {
        cli_str_free(&text);
        return rc;
    }
    arb_scratch *s;
    if (arb_scratch_new(e, &s) != ARB_OK) {
        fprintf(stderr, "arbiter check: out of memory\n");
        return CLI_EXIT_IO;
    }
    arb_post p = {0};
    p.id = "cli";
    p.id_len = 3;
    p.text = text.p;
    p.text_len = text.len;
    memcpy(p.author_country, country, 3);
    if (viewer)
        memcpy(p.viewer_country, viewer, 3);
    p.created_at_ms = at_ms;
    p.lang_hint = lang;
    const arb_decision *d;
    arb_status st = arb_decide(e, s, &p, &d);
    if (st != ARB_OK) {
        fprintf(stderr, "arbiter check: %s\n", arb_strerror(st));
        rc = CLI_EXIT_RECORDS;
        goto out;
    }
    if (json) {
        const char *j;
        size_t jl;
        if (arb_decision_json(d, &j, &jl) == ARB_OK)
            printf("%.*s\n", (int)jl, j);
        goto out;
    }
    bool color = isatty(1) && !getenv("NO_COLOR");
    const char *B = color ? "\033[1m" : "", *R = color ? "\033[0m" : "";
    arb_action a = arb_decision_action(d);
    char tbuf[32];
    arb_format_time(at_ms, tbuf);
    for (const char *n = arb_action_name(a); *n; n++)
        putchar(*n >= 'a' && *n <= 'z' ? *n - 32 : *n);
    printf("  %srule %s%s", B, arb_decision_rule(d), R);
    if (arb_decision_overlay(d))
        printf("  (overlay %s v%s)", arb_decision_overlay(d), arb_decision_overlay_version(d));
    printf("\n  policy %s %s %.12s, country %s, at %s\n", arb_engine_policy_id(e),
           arb_engine_policy_version(e), arb_engine_policy_hash(e), country, tbuf);
    if (a == ARB_ACTION_RESTRICT)
        printf("  visible in: %s\n", arb_decision_visible_in(d));
    printf("  why: %s\n", arb_decision_reason(d));

    size_t n = text.len;
    unsigned char *k = calloc(n + 1, 1);
    size_t ns = arb_decision_statement_count(d);
    for (size_t i = 0; i < ns; i++) {
        const arb_statement *sm = arb_decision_statement(d, i);
        for (size_t j = 0; j < sm->n_mod_signals; j++)
            mark(k, n, sm->mod_signals[j].span, K_MOD);
        for (size_t j = 0; j < sm->n_cred_signals; j++)
            mark(k, n, sm->cred_signals[j].span, K_CRED);
        for (size_t j = 0; j < sm->n_targets; j++)
            mark(k, n, sm->targets[j].span, K_TARGET);
        mark(k, n, sm->trigger, K_TRIGGER);
    }
    static const char *const open_c[] = {"", "\033[36m", "\033[35m", "\033[33m", "\033[1;31m"};
    static const char *const open_p[] = {"", "((", "<<", "{{", "[["};
    static const char *const close_p[] = {"", "))", ">>", "}}", "]]"};
    fputs("  text: ", stdout);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && k[j] == k[i])
            j++;
        if (k[i])
            fputs(color ? open_c[k[i]] : open_p[k[i]], stdout);
        fwrite(text.p + i, 1, j - i, stdout);
        if (k[i])
            fputs(color ? R : close_p[k[i]], stdout);
        i = j;
    }
    putchar('\n');
    free(k);
    printf("  languages:");
    for (size_t i = 0; i < arb_decision_lang_count(d); i++)
        printf(" %s (%.2f)", arb_decision_lang(d, i)->tag, (double)arb_decision_lang(d, i)->confidence);
    putchar('\n');
    uint32_t ob = arb_decision_obfuscation(d);
    if (ob) {
        printf("  undone obfuscation:");
        for (unsigned i = 0; i < 32; i++)
            if (ob >> i & 1u)
                printf(" %s", arb_obfuscation_name(1u << i));
        putchar('\n');
    }
    for (size_t i = 0; i < ns; i++) {
        const arb_statement *sm = arb_decision_statement(d, i);
        printf("  %zu. %s%s%s, severity %s, %s: \"%.*s\"%s\n", i + 1, B,
               arb_stmt_type_name(sm->type), R, arb_severity_name(sm->severity), sm->lang,
               (int)(sm->trigger.end - sm->trigger.start), text.p + sm->trigger.start,
               (int)i == arb_decision_statement_index(d) ? "  <- decided" : "");
        for (size_t j = 0; j < sm->n_targets; j++) {
            const arb_target *t = &sm->targets[j];
            printf("     target %s%s%s%s%s: \"%.*s\"\n", arb_target_class_name(t->cls),
                   t->entity ? " " : "", t->entity ? t->entity : "",
                   t->affiliation[0] ? " of " : "", t->affiliation,
                   (int)(t->span.end - t->span.start), text.p + t->span.start);
        }
        for (size_t j = 0; j < sm->n_cred_signals; j++)
            printf("     credibility %s: \"%.*s\"\n", arb_cred_name(sm->cred_signals[j].kind),
                   (int)(sm->cred_signals[j].span.end - sm->cred_signals[j].span.start),
                   text.p + sm->cred_signals[j].span.start);
        for (size_t j = 0; j < sm->n_mod_signals; j++)
            printf("     modifier %s: \"%.*s\"\n", arb_mod_name(sm->mod_signals[j].kind),
                   (int)(sm->mod_signals[j].span.end - sm->mod_signals[j].span.start),
                   text.p + sm->mod_signals[j].span.start);
    }
    if (ns == 0)
        puts("  no violent statement found");
out:
    arb_scratch_free(s);
    arb_engine_free(e);
    cli_str_free(&text);
    return rc;
}
