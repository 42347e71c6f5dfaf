/*
 * engine.c -- arb_engine (compiled, immutable, reference counted),
 * arb_scratch (per thread), arb_decide() and the JSON decision record.
 *
 * The pipeline for one post, all of it in the scratch arena:
 *   validate -> normalize -> identify languages -> analyse -> evaluate policy
 * The arena is reset at the start of each call, so a decision lives until
 * the next call on the same scratch.
 */
#include "internal.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

/* generated from policies/default and lexicons/ at build time */
extern const arb_source arb__embedded_policy[];
extern const size_t arb__embedded_policy_count;
extern const arb_source arb__embedded_lexicon[];
extern const size_t arb__embedded_lexicon_count;

const arb_source *arb_default_policy_sources(size_t *n)
{
    *n = arb__embedded_policy_count;
    return arb__embedded_policy;
}

const arb_source *arb_default_lexicon_sources(size_t *n)
{
    *n = arb__embedded_lexicon_count;
    return arb__embedded_lexicon;
}

struct arb_engine {
    arb_allocator alloc;
    arb_limits limits;
    atomic_int refs;
    arb__normalizer *norm;
    arb__langid *langid;
    arb__lexicon *lexicon;
    arb__policy *policy;
};

struct arb_scratch {
    arb_allocator alloc;
    arb__arena *arena;
    size_t arena_cap;
    arb__langid_scratch *lang;
    arb__lexicon_scratch *lex;
    /* The engine the per-thread parts were made for, held by a reference:
     * it cannot be freed (and its address reused by a new engine) while a
     * scratch is bound to it.  Rebound on first use with another engine. */
    arb_engine *bound;
};

struct arb_decision {
    const arb_engine *engine;
    arb_scratch *scratch;
    arb_post post;
    arb_normalized norm;
    arb_lang *langs;
    size_t n_langs;
    arb__analysis an;
    arb__verdict v;
};

arb_status arb_engine_new(const arb_engine_options *opts, arb_engine **out,
                          arb_error *err)
{
    arb_engine_options def = {0};
    if (!out)
        return ARB_INVALID;
    *out = NULL;
    if (!opts)
        opts = &def;
    const arb_allocator *a =
        opts->allocator && opts->allocator->fn ? opts->allocator : &arb__default_allocator;
    arb_engine *e = arb__calloc(a, 1, sizeof *e);
    if (!e) {
        arb__error_set(err, ARB_NOMEM, "", 0, 0, "out of memory creating engine");
        return ARB_NOMEM;
    }
    e->alloc = *a;
    if (opts->limits)
        e->limits = *opts->limits;
    else
        arb_limits_default(&e->limits);
    atomic_init(&e->refs, 1);

    const arb_source *pol = opts->policy, *lex = opts->lexicons;
    size_t npol = opts->n_policy, nlex = opts->n_lexicons;
    if (!pol)
        pol = arb_default_policy_sources(&npol);
    if (!lex)
        lex = arb_default_lexicon_sources(&nlex);

    arb_status st = arb__normalizer_new(&e->alloc, &e->norm, err);
    if (st == ARB_OK)
        st = arb__langid_new(&e->alloc, &e->langid, err);
    if (st == ARB_OK) {
        /* default lexicons: the blob compiled at build time, else compile */
        arb_status lst = opts->lexicons ? ARB_NOT_FOUND
                                        : arb__lexicon_load_default(&e->alloc, &e->lexicon);
        if (lst == ARB_NOMEM) {
            arb__error_set(err, ARB_NOMEM, "", 0, 0, "out of memory loading lexicons");
            st = lst;
        }
        else if (lst != ARB_OK)
            st = arb__lexicon_compile(&e->alloc, &e->limits, lex, nlex, &e->lexicon, err);
    }
    if (st == ARB_OK)
        st = arb__policy_compile(&e->alloc, &e->limits, pol, npol, &e->policy, err);
    if (st != ARB_OK) {
        arb_engine_unref(e);
        return st;
    }
    *out = e;
    return ARB_OK;
}

arb_engine *arb_engine_ref(arb_engine *e)
{
    if (e)
        atomic_fetch_add_explicit(&e->refs, 1, memory_order_relaxed);
    return e;
}

void arb_engine_unref(arb_engine *e)
{
    if (!e || atomic_fetch_sub_explicit(&e->refs, 1, memory_order_acq_rel) != 1)
        return;
    arb__policy_free(e->policy);
    arb__lexicon_free(e->lexicon);
    arb__langid_free(e->langid);
    arb__normalizer_free(e->norm);
    arb_allocator a = e->alloc;
    arb__free(&a, e, sizeof *e);
}

void arb_engine_free(arb_engine *e) { arb_engine_unref(e); }

const char *arb_engine_policy_id(const arb_engine *e) { return arb__policy_id(e->policy); }
const char *arb_engine_policy_version(const arb_engine *e) { return arb__policy_version(e->policy); }
const char *arb_engine_policy_hash(const arb_engine *e) { return arb__policy_hash(e->policy); }

size_t arb_engine_pattern_count(const arb_engine *e)
{
    return e ? arb__lexicon_pattern_count(e->lexicon) : 0;
}

const char *arb_engine_pattern(const arb_engine *e, size_t i)
{
    return e ? arb__lexicon_pattern(e->lexicon, i) : NULL;
}

/* ---------------- scratch ---------------- */

arb_status arb_scratch_new(const arb_engine *e, arb_scratch **out)
{
    if (!e || !out)
        return ARB_INVALID;
    arb_scratch *s = arb__calloc(&e->alloc, 1, sizeof *s);
    if (!s)
        return ARB_NOMEM;
    s->alloc = e->alloc;
    s->arena_cap = e->limits.max_post_memory;
    s->arena = arb__arena_new(&s->alloc, s->arena_cap);
    if (!s->arena) {
        arb_scratch_free(s);
        return ARB_NOMEM;
    }
    *out = s;
    return ARB_OK;
}

void arb_scratch_free(arb_scratch *s)
{
    if (!s)
        return;
    arb__langid_scratch_free(s->lang);
    arb__lexicon_scratch_free(s->lex);
    arb_engine_unref(s->bound);
    arb__arena_free(s->arena);
    arb_allocator a = s->alloc;
    arb__free(&a, s, sizeof *s);
}

/* Binds the scratch's per-thread parts to engine `e` (a scratch may be used
 * with a newer engine after a reload); the previous engine's reference is
 * dropped only after its parts are freed. */
static arb_status scratch_bind(arb_scratch *s, const arb_engine *e)
{
    if (s->bound == e)
        return ARB_OK;
    arb__lexicon_scratch_free(s->lex);
    arb__langid_scratch_free(s->lang);
    s->lex = NULL;
    s->lang = NULL;
    arb_engine_unref(s->bound);
    s->bound = NULL;
    arb_status st = arb__lexicon_scratch_new(e->lexicon, &s->lex);
    if (st == ARB_OK)
        st = arb__langid_scratch_new(e->langid, &s->lang);
    if (st != ARB_OK)
        return st;
    /* the reference count is the engine's only mutable state */
    s->bound = arb_engine_ref((arb_engine *)(uintptr_t)e);
    return ARB_OK;
}

arb_status arb_normalize(arb_scratch *s, const arb_engine *e, const char *text,
                         size_t len, const arb_normalized **out)
{
    if (!s || !e || (!text && len) || !out)
        return ARB_INVALID;
    if (len > e->limits.max_text_bytes)
        return ARB_TOO_BIG;
    arb__arena_reset(s->arena);
    arb_normalized *n = arb__arena_calloc(s->arena, sizeof *n);
    if (!n)
        return ARB_LIMIT;
    arb_status st = arb__normalize(e->norm, s->arena, text ? text : "", len, n);
    if (st != ARB_OK)
        return st;
    *out = n;
    return ARB_OK;
}

/* ---------------- decide ---------------- */

arb_status arb_decide(const arb_engine *e, arb_scratch *s, const arb_post *post,
                      const arb_decision **out)
{
    if (!e || !s || !post || !out || (!post->text && post->text_len))
        return ARB_INVALID;
    *out = NULL;
    if (!arb_country_valid(post->author_country)) {
        const char *c = post->author_country;
        bool shaped = c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z' && !c[2];
        return shaped ? ARB_COUNTRY : ARB_INVALID;
    }
    if (post->viewer_country[0] && !arb_country_valid(post->viewer_country))
        return ARB_COUNTRY;
    if (post->created_at_ms < 0)
        return ARB_TIME;
    if (post->text_len > e->limits.max_text_bytes)
        return ARB_TOO_BIG;

    arb_status st = scratch_bind(s, e);
    if (st != ARB_OK)
        return st;
    arb__arena_reset(s->arena);
    arb_decision *d = arb__arena_calloc(s->arena, sizeof *d);
    if (!d)
        return ARB_LIMIT;
    d->engine = e;
    d->scratch = s;
    d->post = *post;
    const char *text = post->text ? post->text : "";

    st = arb__normalize(e->norm, s->arena, text, post->text_len, &d->norm);
    if (st == ARB_OK)
        st = arb__langid_detect(e->langid, s->lang, s->arena, text, post->text_len,
                                &d->norm, post->lang_hint, &d->langs, &d->n_langs);
    if (st == ARB_OK)
        st = arb__analyze(e->lexicon, s->lex, s->arena, &e->limits, &d->norm, text,
                          post->text_len, d->langs, d->n_langs, &d->an);
    if (st == ARB_OK)
        st = arb__policy_evaluate(e->policy, s->arena, &d->an, &d->post, &d->v);
    if (st != ARB_OK)
        return arb__arena_over_cap(s->arena) ? ARB_LIMIT : st;
    *out = d;
    return ARB_OK;
}

arb_action arb_decision_action(const arb_decision *d) { return d->v.action; }
const char *arb_decision_rule(const arb_decision *d) { return d->v.rule; }
const char *arb_decision_overlay(const arb_decision *d) { return d->v.overlay; }
const char *arb_decision_overlay_version(const arb_decision *d) { return d->v.overlay_version; }
const char *arb_decision_reason(const arb_decision *d) { return d->v.reason; }
const char *arb_decision_visible_in(const arb_decision *d)
{
    return d->v.visible_in ? d->v.visible_in : "";
}
size_t arb_decision_statement_count(const arb_decision *d) { return d->an.n_stmts; }
const arb_statement *arb_decision_statement(const arb_decision *d, size_t i)
{
    return i < d->an.n_stmts ? &d->an.stmts[i] : NULL;
}
int arb_decision_statement_index(const arb_decision *d) { return d->v.stmt_index; }
size_t arb_decision_lang_count(const arb_decision *d) { return d->n_langs; }
const arb_lang *arb_decision_lang(const arb_decision *d, size_t i)
{
    return i < d->n_langs ? &d->langs[i] : NULL;
}
uint32_t arb_decision_obfuscation(const arb_decision *d)
{
    return d->norm.obfuscation | d->an.obfuscation;
}
const arb_normalized *arb_decision_normalized(const arb_decision *d) { return &d->norm; }

/* ---------------- JSON record ---------------- */

static void json_span(arb__buf *b, const char *key, arb_span sp, const arb_post *p)
{
    arb__buf_putc(b, '"');
    arb__buf_puts(b, key);
    arb__buf_puts(b, "\":[");
    arb__buf_u32(b, sp.start);
    arb__buf_putc(b, ',');
    arb__buf_u32(b, sp.end);
    arb__buf_putc(b, ']');
    if (sp.end <= p->text_len && sp.start <= sp.end) {
        arb__buf_puts(b, ",\"");
        arb__buf_puts(b, key);
        arb__buf_puts(b, "_text\":");
        arb__buf_json_str(b, p->text + sp.start, sp.end - sp.start);
    }
}

static void json_bits(arb__buf *b, const char *key, uint32_t bits,
                      const char *(*name)(uint32_t))
{
    arb__buf_printf(b, "\"%s\":[", key);
    bool first = true;
    for (unsigned i = 0; i < 32; i++) {
        const char *n = (bits >> i) & 1u ? name(1u << i) : NULL;
        if (!n)
            continue;
        if (!first)
            arb__buf_putc(b, ',');
        arb__buf_json_str(b, n, strlen(n));
        first = false;
    }
    arb__buf_putc(b, ']');
}

static void json_signals(arb__buf *b, const char *key, const arb_signal *sig,
                         size_t n, const char *(*name)(uint32_t),
                         const arb_post *p)
{
    arb__buf_printf(b, ",\"%s\":[", key);
    for (size_t i = 0; i < n; i++) {
        const char *k = name(sig[i].kind);
        arb__buf_puts(b, i ? ",{\"kind\":" : "{\"kind\":");
        arb__buf_json_str(b, k ? k : "?", k ? strlen(k) : 1);
        arb__buf_puts(b, ",\"label\":");
        arb__buf_json_str(b, sig[i].label, strlen(sig[i].label));
        arb__buf_putc(b, ',');
        json_span(b, "span", sig[i].span, p);
        arb__buf_putc(b, '}');
    }
    arb__buf_putc(b, ']');
}

static void json_str_field(arb__buf *b, const char *key, const char *v)
{
    arb__buf_putc(b, '"');
    arb__buf_puts(b, key);
    arb__buf_puts(b, "\":");
    arb__buf_json_str(b, v, strlen(v));
}

arb_status arb_decision_json(const arb_decision *d, const char **json, size_t *len)
{
    if (!d || !json)
        return ARB_INVALID;
    const arb_post *p = &d->post;
    arb__buf b;
    arb__buf_init(&b, d->scratch->arena, 512 + 256 * d->an.n_stmts);
    arb__buf_putc(&b, '{');
    if (p->id) {
        arb__buf_puts(&b, "\"id\":");
        arb__buf_json_str(&b, p->id, p->id_len);
        arb__buf_putc(&b, ',');
    }
    json_str_field(&b, "action", arb_action_name(d->v.action));
    arb__buf_putc(&b, ',');
    json_str_field(&b, "rule", d->v.rule);
    if (d->v.overlay) {
        arb__buf_puts(&b, ",\"overlay\":{");
        json_str_field(&b, "id", d->v.overlay);
        arb__buf_putc(&b, ',');
        json_str_field(&b, "version", d->v.overlay_version ? d->v.overlay_version : "");
        arb__buf_putc(&b, '}');
    }
    if (d->v.action == ARB_ACTION_RESTRICT) {
        arb__buf_putc(&b, ',');
        json_str_field(&b, "visible_in", arb_decision_visible_in(d));
    }
    arb__buf_puts(&b, ",\"policy\":{");
    json_str_field(&b, "id", arb__policy_id(d->engine->policy));
    arb__buf_putc(&b, ',');
    json_str_field(&b, "version", arb__policy_version(d->engine->policy));
    arb__buf_putc(&b, ',');
    json_str_field(&b, "hash", arb__policy_hash(d->engine->policy));
    arb__buf_puts(&b, "},");
    json_str_field(&b, "reason", d->v.reason);
    arb__buf_puts(&b, ",\"statements\":[");
    for (size_t i = 0; i < d->an.n_stmts; i++) {
        const arb_statement *s = &d->an.stmts[i];
        if (i)
            arb__buf_putc(&b, ',');
        arb__buf_putc(&b, '{');
        json_str_field(&b, "type", arb_stmt_type_name(s->type));
        arb__buf_putc(&b, ',');
        json_str_field(&b, "severity", arb_severity_name(s->severity));
        arb__buf_putc(&b, ',');
        json_str_field(&b, "lang", s->lang);
        arb__buf_putc(&b, ',');
        arb__buf_puts(&b, "\"span\":[");
        arb__buf_u32(&b, s->span.start);
        arb__buf_putc(&b, ',');
        arb__buf_u32(&b, s->span.end);
        arb__buf_puts(&b, "],\"trigger\":{");
        json_str_field(&b, "label", s->trigger_label ? s->trigger_label : "");
        arb__buf_putc(&b, ',');
        json_span(&b, "span", s->trigger, p);
        arb__buf_puts(&b, "},\"targets\":[");
        for (size_t t = 0; t < s->n_targets; t++) {
            const arb_target *tg = &s->targets[t];
            arb__buf_puts(&b, t ? ",{" : "{");
            json_str_field(&b, "class", arb_target_class_name(tg->cls));
            arb__buf_putc(&b, ',');
            json_str_field(&b, "label", tg->label);
            if (tg->entity) {
                arb__buf_putc(&b, ',');
                json_str_field(&b, "entity", tg->entity);
            }
            if (tg->affiliation[0]) {
                arb__buf_putc(&b, ',');
                json_str_field(&b, "affiliation", tg->affiliation);
            }
            arb__buf_putc(&b, ',');
            json_span(&b, "span", tg->span, p);
            arb__buf_putc(&b, '}');
        }
        arb__buf_putc(&b, ']');
        json_signals(&b, "credibility", s->cred_signals, s->n_cred_signals, arb_cred_name, p);
        json_signals(&b, "modifiers", s->mod_signals, s->n_mod_signals, arb_mod_name, p);
        arb__buf_putc(&b, ',');
        json_bits(&b, "obfuscation", s->obfuscation, arb_obfuscation_name);
        arb__buf_putc(&b, '}');
    }
    arb__buf_puts(&b, "],\"langs\":[");
    for (size_t i = 0; i < d->n_langs; i++) {
        arb__buf_puts(&b, i ? ",{\"tag\":" : "{\"tag\":");
        arb__buf_json_str(&b, d->langs[i].tag, strlen(d->langs[i].tag));
        arb__buf_puts(&b, ",\"confidence\":");
        arb__buf_fixed2(&b, (double)d->langs[i].confidence);
        arb__buf_putc(&b, '}');
    }
    arb__buf_puts(&b, "],");
    json_bits(&b, "obfuscation", arb_decision_obfuscation(d), arb_obfuscation_name);
    arb__buf_putc(&b, '}');
    if (b.failed)
        return ARB_LIMIT;
    *json = b.p;
    if (len)
        *len = b.len;
    return ARB_OK;
}
