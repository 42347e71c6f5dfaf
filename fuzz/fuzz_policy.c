/*
 * fuzz_policy.c -- libFuzzer entry point for the policy loader, compiler,
 * linter and evaluator (src/policy.c).
 *
 * The input is one policy source (YAML).  It is compiled under tight limits
 * (64 KiB, depth 24, 256 rules), linted (every error and warning path), and,
 * when it compiles, evaluated against a fixed set of synthetic analyses at
 * several countries and times.  Nothing an attacker writes in a policy may
 * crash, hang or leak: the sanitizers and the replay of fuzz/corpus/policy
 * and fuzz/regress/policy in the test suite check that.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static void quiet(void *ud, arb_diag_level lv, const char *src, unsigned line, unsigned col,
                  const char *msg)
{
    (void)lv;
    (void)src;
    (void)line;
    (void)col;
    size_t *n = ud;
    *n += strlen(msg) > 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arb_limits lim;
    arb_limits_default(&lim);
    lim.max_policy_bytes = 64 * 1024;
    lim.max_policy_depth = 24;
    lim.max_rules = 256;
    arb_source src = {"fuzz.yaml", (const char *)data, size};
    size_t n = 0;
    arb_policy_lint(&src, 1, &lim, quiet, &n);
    arb__policy *p = NULL;
    arb_error err;
    if (arb__policy_compile(&arb__default_allocator, &lim, &src, 1, &p, &err) != ARB_OK)
        return 0;

    arb_target tg[4];
    memset(tg, 0, sizeof tg);
    tg[0].cls = ARB_TARGET_MILITARY;
    memcpy(tg[0].affiliation, "RU", 3);
    tg[0].label = "occupiers";
    tg[1].cls = ARB_TARGET_HEAD_OF_STATE;
    tg[1].entity = "putin";
    tg[1].label = "putin";
    tg[2].cls = ARB_TARGET_NATIONALITY;
    memcpy(tg[2].affiliation, "RU", 3);
    tg[2].label = "russians";
    tg[3].cls = ARB_TARGET_PRIVATE_PERSON;
    tg[3].label = "you";
    tg[3].span.start = 0;
    tg[3].span.end = 4;
    arb_statement st[3];
    memset(st, 0, sizeof st);
    for (int i = 0; i < 3; i++) {
        st[i].type = (arb_stmt_type)(i * 3 % ARB_STMT__COUNT);
        st[i].severity = (arb_severity)(3 - i);
        memcpy(st[i].lang, "en", 3);
        st[i].targets = &tg[i];
        st[i].n_targets = (size_t)(4 - i - (i == 2));
        st[i].credibility = (uint32_t)(i == 1 ? ARB_CRED_LOCATION : 0);
        st[i].modifiers = (uint32_t)(i == 2 ? ARB_MOD_NEGATION : 0);
    }
    static const char *const cc[] = {"UA", "PL", "DE", "RU"};
    static const int64_t times[] = {1646870400000LL, 1647043200000LL, 1654646400000LL, 0};
    arb__arena *ar = arb__arena_new(&arb__default_allocator, 1 << 20);
    if (!ar) {
        arb__policy_free(p);
        return 0;
    }
    for (size_t k = 0; k <= 3; k++)
        for (size_t c = 0; c < 4; c++)
            for (size_t t = 0; t < 4; t++) {
                arb__analysis an = {st, k, 0};
                arb_post post;
                memset(&post, 0, sizeof post);
                post.text = "you there";
                post.text_len = 9;
                memcpy(post.author_country, cc[c], 3);
                if (t == 1)
                    memcpy(post.viewer_country, "PL", 3);
                post.created_at_ms = times[t];
                arb__verdict v;
                arb__arena_reset(ar);
                if (arb__policy_evaluate(p, ar, &an, &post, &v) == ARB_OK &&
                    (!v.rule || !v.reason || !v.visible_in))
                    abort(); /* the contract: never NULL */
            }
    arb__arena_free(ar);
    arb__policy_free(p);
    return 0;
}
