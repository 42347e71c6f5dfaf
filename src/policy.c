/* policy.c -- STUB: allows everything. Replaced by the YAML policy compiler and evaluator. */
#include "internal.h"
struct arb__policy { const arb_allocator *a; char hash[65]; };
arb_status arb__policy_compile(const arb_allocator *a, const arb_limits *lim, const arb_source *src, size_t n,
                               arb__policy **out, arb_error *err)
{
    (void)lim; (void)err;
    arb__policy *p = arb__calloc(a, 1, sizeof *p);
    if (!p) return ARB_NOMEM;
    p->a = a;
    arb__sha256 c; arb__sha256_init(&c);
    for (size_t i = 0; i < n; i++) arb__sha256_update(&c, src[i].data, src[i].len);
    arb__sha256_hex(&c, p->hash);
    *out = p; return ARB_OK;
}
void arb__policy_free(arb__policy *p) { if (p) arb__free(p->a, p, sizeof *p); }
const char *arb__policy_id(const arb__policy *p) { (void)p; return "stub"; }
const char *arb__policy_version(const arb__policy *p) { (void)p; return "0"; }
const char *arb__policy_hash(const arb__policy *p) { return p->hash; }
arb_status arb__policy_evaluate(const arb__policy *p, arb__arena *ar, const arb__analysis *an, const arb_post *post, arb__verdict *out)
{
    (void)p; (void)ar; (void)an; (void)post;
    out->action = ARB_ACTION_ALLOW; out->rule = "default.allow"; out->overlay = NULL; out->overlay_version = NULL;
    out->reason = "No violent statement was found."; out->visible_in = ""; out->stmt_index = -1;
    return ARB_OK;
}
