/*
 * http.c -- libmicrohttpd glue for arbiterd: a request is read whole
 * (bounded by the body limit) into an arbd_request, authenticated, routed
 * to a handler that fills an arbd_response, then logged and counted.
 *
 * Endpoints served here: POST /v1/check, POST /v1/batch, GET /v1/policies,
 * POST /v1/policies/reload, GET /healthz, GET /readyz, GET /metrics.  Every
 * other path goes to arbd_review_route() (review.c), then 404.
 *
 * Invariants:
 *  - Each worker thread owns one arb_scratch (thread-specific key); a
 *    scratch is never used by two requests at once.
 *  - A handler holds its own engine reference for the whole request, so a
 *    reload never changes the policy under a request in flight.
 *  - A decision is answered 200 only after it is committed to the log.  A
 *    /v1/check whose decision must wait for the group-commit writer
 *    (store.c) suspends its connection (MHD_suspend_connection), so the
 *    worker thread keeps serving its other connections; the writer resumes
 *    it after the commit and the answer is sent from resume_request().
 *  - `inflight` counts requests from their first byte until their response
 *    has been sent (or the connection died): shutdown waits for zero.
 *  - Every error response is {"error":{"status","code","message"}}.
 *  - Tokens are compared as SHA-256 digests, every byte of every configured
 *    token, with no early exit.
 */
#include "server.h"
#include "cli.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <microhttpd.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Growing strings: cli_str from cli/common.c (cli_str_add* never exit; a
 * failed append sets .failed, answered as a 5xx). */

/* Appends s as a JSON string with quotes. */
static void sb_json_str(cli_str *b, const char *s, size_t n)
{
    char small[256];
    size_t need = arb_json_escape(small, sizeof small, s, n);
    cli_str_add(b, "\"", 1);
    if (need < sizeof small) {
        cli_str_add(b, small, need);
    } else {
        char *big = malloc(need + 1);
        if (!big) {
            b->failed = true;
            return;
        }
        arb_json_escape(big, need + 1, s, n);
        cli_str_add(b, big, need);
        free(big);
    }
    cli_str_add(b, "\"", 1);
}

/* ------------------------------------------------------------------ */
/* time and logs                                                       */
/* ------------------------------------------------------------------ */
int64_t arbd_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

double arbd_mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *const level_names[] = {"debug", "info", "warn", "error"};

void arbd_log(arbd_server *s, int level, const char *msg, const char *extra)
{
    if (s && level < s->cfg.log_level)
        return;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char when[64];
    snprintf(when, sizeof when, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
             ts.tv_nsec / 1000000);
    cli_str b = {0};
    cli_str_addf(&b, "{\"ts\":\"%s\",\"level\":\"%s\",\"msg\":", when,
              level_names[level < 0 ? 0 : level > 3 ? 3 : level]);
    sb_json_str(&b, msg, strlen(msg));
    if (extra)
        cli_str_adds(&b, extra);
    cli_str_add(&b, "}\n", 2);
    if (!b.failed) {
        /* one write(2) per line, so lines from threads never interleave */
        size_t off = 0;
        while (off < b.len) {
            ssize_t w = write(STDERR_FILENO, b.p + off, b.len - off);
            if (w <= 0)
                break;
            off += (size_t)w;
        }
    }
    free(b.p);
}

void arbd_logf(arbd_server *s, int level, const char *fmt, ...)
{
    if (s && level < s->cfg.log_level)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    arbd_log(s, level, msg, NULL);
}

/* ------------------------------------------------------------------ */
/* responses                                                           */
/* ------------------------------------------------------------------ */
void arbd_respond(arbd_response *rs, int status, const char *content_type, const char *body,
                  size_t len)
{
    free(rs->body);
    rs->status = status;
    rs->content_type = content_type ? content_type : "application/json";
    rs->body = malloc(len + 1);
    rs->body_len = 0;
    if (rs->body) {
        if (len)
            memcpy(rs->body, body, len);
        rs->body[len] = '\0';
        rs->body_len = len;
    } else {
        rs->status = 500;
    }
}

void arbd_json_error(arbd_response *rs, int status, const char *code, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cli_str b = {0};
    cli_str_addf(&b, "{\"error\":{\"status\":%d,\"code\":", status);
    sb_json_str(&b, code, strlen(code));
    cli_str_adds(&b, ",\"message\":");
    sb_json_str(&b, msg, strlen(msg));
    cli_str_adds(&b, "}}\n");
    free(rs->body);
    rs->status = b.failed ? 500 : status;
    rs->content_type = "application/json";
    rs->body = b.p;
    rs->body_len = b.failed ? 0 : b.len;
}

void arbd_add_header(arbd_response *rs, const char *name, const char *value)
{
    size_t used = strlen(rs->headers);
    /* header injection guard: no CR/LF inside a name or value */
    if (strpbrk(name, "\r\n:") || strpbrk(value, "\r\n"))
        return;
    snprintf(rs->headers + used, sizeof rs->headers - used, "%s: %s\r\n", name, value);
}

static void respond_sbuf(arbd_response *rs, int status, const char *ctype, cli_str *b)
{
    free(rs->body);
    if (b->failed) {
        free(b->p);
        rs->body = NULL;
        arbd_json_error(rs, 500, "out_of_memory", "the server ran out of memory");
        return;
    }
    rs->status = status;
    rs->content_type = ctype;
    rs->body = b->p;
    rs->body_len = b->len;
    b->p = NULL;
}

/* ------------------------------------------------------------------ */
/* metrics                                                             */
/* ------------------------------------------------------------------ */
static const char *const route_names[ARBD_ROUTE__COUNT] = {
    "/v1/check", "/v1/batch", "/v1/policies", "/v1/policies/reload", "/healthz",
    "/readyz",   "/metrics",  "review",       "other"};
static const double lat_bounds[ARBD_LAT_BUCKETS] = {0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                     0.025,  0.05,  0.1,    0.25,  0.5,
                                                     1,      2.5,   5,      10};

void arbd_metrics_init(arbd_metrics *m)
{
    memset(m, 0, sizeof *m);
    pthread_mutex_init(&m->mu, NULL);
}

void arbd_metrics_free(arbd_metrics *m)
{
    for (size_t i = 0; i < m->n_decisions; i++) {
        free(m->decisions[i].action);
        free(m->decisions[i].rule);
        free(m->decisions[i].country);
    }
    free(m->decisions);
    pthread_mutex_destroy(&m->mu);
}

static void metrics_request(arbd_metrics *m, int route, int status, double secs)
{
    pthread_mutex_lock(&m->mu);
    int slot = -1;
    for (int i = 0; i < ARBD_STATUS_SLOTS; i++) {
        if (m->status_code[route][i] == status || m->status_code[route][i] == 0) {
            slot = i;
            break;
        }
    }
    if (slot < 0)
        slot = ARBD_STATUS_SLOTS - 1; /* more distinct statuses than slots: fold */
    m->status_code[route][slot] = m->status_code[route][slot] ? m->status_code[route][slot]
                                                              : status;
    m->status_n[route][slot]++;
    int b = 0;
    while (b < ARBD_LAT_BUCKETS && secs > lat_bounds[b])
        b++;
    if (b < ARBD_LAT_BUCKETS)
        m->lat_bucket[route][b]++;
    m->lat_count[route]++;
    m->lat_sum[route] += secs;
    pthread_mutex_unlock(&m->mu);
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

static void metrics_decision(arbd_metrics *m, const char *action, const char *rule,
                             const char *country)
{
    pthread_mutex_lock(&m->mu);
    size_t i;
    for (i = 0; i < m->n_decisions; i++) {
        arbd_label_count *c = &m->decisions[i];
        if (strcmp(c->rule, rule) == 0 && strcmp(c->country, country) == 0 &&
            strcmp(c->action, action) == 0) {
            c->n++;
            goto done;
        }
    }
    if (m->n_decisions >= ARBD_LABEL_CAP) {
        m->decisions_overflow++; /* bounded label cardinality */
        goto done;
    }
    if (m->n_decisions % 64 == 0) {
        arbd_label_count *nd =
            realloc(m->decisions, (m->n_decisions + 64) * sizeof *m->decisions);
        if (!nd)
            goto done;
        m->decisions = nd;
    }
    arbd_label_count *c = &m->decisions[m->n_decisions];
    c->action = xstrdup(action);
    c->rule = xstrdup(rule);
    c->country = xstrdup(country);
    if (!c->action || !c->rule || !c->country) {
        free(c->action);
        free(c->rule);
        free(c->country);
        goto done;
    }
    c->n = 1;
    m->n_decisions++;
done:
    pthread_mutex_unlock(&m->mu);
}

/* Prometheus label value: escape \, " and newline. */
static void sb_label(cli_str *b, const char *v)
{
    for (; *v; v++) {
        if (*v == '\\' || *v == '"')
            cli_str_add(b, "\\", 1);
        if (*v == '\n') {
            cli_str_adds(b, "\\n");
            continue;
        }
        cli_str_add(b, v, 1);
    }
}

static void handle_metrics(arbd_server *s, arbd_response *rs)
{
    arbd_metrics *m = &s->metrics;
    int64_t depth = arbd_store_queue_depth(s);
    cli_str b = {0};
    pthread_mutex_lock(&m->mu);
    cli_str_adds(&b, "# HELP arbiterd_requests_total HTTP requests by route and status.\n"
                "# TYPE arbiterd_requests_total counter\n");
    for (int r = 0; r < ARBD_ROUTE__COUNT; r++)
        for (int i = 0; i < ARBD_STATUS_SLOTS && m->status_code[r][i]; i++)
            cli_str_addf(&b, "arbiterd_requests_total{route=\"%s\",status=\"%d\"} %llu\n",
                      route_names[r], m->status_code[r][i],
                      (unsigned long long)m->status_n[r][i]);
    cli_str_adds(&b, "# HELP arbiterd_request_duration_seconds Time from the first byte of a "
                "request to its response, by route.\n"
                "# TYPE arbiterd_request_duration_seconds histogram\n");
    for (int r = 0; r < ARBD_ROUTE__COUNT; r++) {
        if (!m->lat_count[r])
            continue;
        uint64_t cum = 0;
        for (int i = 0; i < ARBD_LAT_BUCKETS; i++) {
            cum += m->lat_bucket[r][i];
            cli_str_addf(&b, "arbiterd_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
                      route_names[r], lat_bounds[i], (unsigned long long)cum);
        }
        cli_str_addf(&b, "arbiterd_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n",
                  route_names[r], (unsigned long long)m->lat_count[r]);
        cli_str_addf(&b, "arbiterd_request_duration_seconds_sum{route=\"%s\"} %.6f\n",
                  route_names[r], m->lat_sum[r]);
        cli_str_addf(&b, "arbiterd_request_duration_seconds_count{route=\"%s\"} %llu\n",
                  route_names[r], (unsigned long long)m->lat_count[r]);
    }
    cli_str_adds(&b, "# HELP arbiterd_decisions_total Decisions made, by action, rule and author "
                "country.\n# TYPE arbiterd_decisions_total counter\n");
    for (size_t i = 0; i < m->n_decisions; i++) {
        arbd_label_count *c = &m->decisions[i];
        cli_str_adds(&b, "arbiterd_decisions_total{action=\"");
        sb_label(&b, c->action);
        cli_str_adds(&b, "\",rule=\"");
        sb_label(&b, c->rule);
        cli_str_adds(&b, "\",country=\"");
        sb_label(&b, c->country);
        cli_str_addf(&b, "\"} %llu\n", (unsigned long long)c->n);
    }
    cli_str_addf(&b, "# HELP arbiterd_decisions_unlabeled_total Decisions not broken down "
                  "because the label table is full.\n"
                  "# TYPE arbiterd_decisions_unlabeled_total counter\n"
                  "arbiterd_decisions_unlabeled_total %llu\n",
              (unsigned long long)m->decisions_overflow);
    cli_str_addf(&b, "# HELP arbiterd_policy_reloads_total Policy reloads by result.\n"
                  "# TYPE arbiterd_policy_reloads_total counter\n"
                  "arbiterd_policy_reloads_total{result=\"ok\"} %llu\n"
                  "arbiterd_policy_reloads_total{result=\"failed\"} %llu\n",
              (unsigned long long)m->reloads_ok, (unsigned long long)m->reloads_failed);
    pthread_mutex_unlock(&m->mu);
    cli_str_addf(&b, "# HELP arbiterd_review_queue_depth Cases open, claimed or appealed in the review "
                  "queue (-1: no queue table).\n"
                  "# TYPE arbiterd_review_queue_depth gauge\n"
                  "arbiterd_review_queue_depth %lld\n",
              (long long)depth);
    pthread_mutex_lock(&s->wq_mu);
    unsigned long long commits = s->commits, committed = s->committed_decisions;
    unsigned long long rewinds = s->wal_rewinds;
    double rewind_s = s->wal_rewind_s;
    pthread_mutex_unlock(&s->wq_mu);
    cli_str_addf(&b, "# HELP arbiterd_decision_log_commits_total Transactions that stored decisions"
                  " (group commit: one may hold many requests).\n"
                  "# TYPE arbiterd_decision_log_commits_total counter\n"
                  "arbiterd_decision_log_commits_total %llu\n"
                  "# HELP arbiterd_decision_log_decisions_total Decisions committed to the log"
                  " (new and replayed).\n"
                  "# TYPE arbiterd_decision_log_decisions_total counter\n"
                  "arbiterd_decision_log_decisions_total %llu\n"
                  "# HELP arbiterd_wal_rewinds_total Checkpoint passes that held decision commits"
                  " back so that the WAL could be rewound (see wal_rewind_mb).\n"
                  "# TYPE arbiterd_wal_rewinds_total counter\n"
                  "arbiterd_wal_rewinds_total %llu\n"
                  "# HELP arbiterd_wal_rewind_seconds_total Time decision commits were held back"
                  " by those passes.\n"
                  "# TYPE arbiterd_wal_rewind_seconds_total counter\n"
                  "arbiterd_wal_rewind_seconds_total %.6f\n",
              commits, committed, rewinds, rewind_s);
    cli_str_addf(&b, "# HELP arbiterd_inflight_requests Requests being served.\n"
                  "# TYPE arbiterd_inflight_requests gauge\n"
                  "arbiterd_inflight_requests %d\n"
                  "# HELP arbiterd_open_connections Open HTTP connections.\n"
                  "# TYPE arbiterd_open_connections gauge\n"
                  "arbiterd_open_connections %d\n",
              atomic_load(&s->inflight), atomic_load(&s->connections));
    respond_sbuf(rs, 200, "text/plain; version=0.0.4; charset=utf-8", &b);
}

/* ------------------------------------------------------------------ */
/* engine and scratch                                                  */
/* ------------------------------------------------------------------ */
arb_engine *arbd_engine_acquire(arbd_server *s)
{
    pthread_mutex_lock(&s->engine_mu);
    arb_engine *e = s->engine ? arb_engine_ref(s->engine) : NULL;
    pthread_mutex_unlock(&s->engine_mu);
    return e;
}

sqlite3 *arbd_db(arbd_server *s)
{
    return s->db;
}

void arbd_db_lock(arbd_server *s)
{
    pthread_mutex_lock(&s->db_mu);
}

void arbd_db_unlock(arbd_server *s)
{
    pthread_mutex_unlock(&s->db_mu);
}

const char *arbd_policy_brief_html(arbd_server *s)
{
    return s->brief_html;
}

bool arbd_secure_cookies(arbd_server *s)
{
    return s->cfg.secure_cookies;
}

/* A worker thread's scratch.  libarbiter rebinds a scratch to whichever
 * engine it is used with and holds a reference to that engine, so one
 * scratch per thread serves across policy reloads. */
static arb_scratch *thread_scratch(arbd_server *s, arb_engine *e)
{
    arb_scratch *sc = pthread_getspecific(s->scratch_key);
    if (!sc) {
        if (arb_scratch_new(e, &sc) != ARB_OK)
            return NULL;
        pthread_setspecific(s->scratch_key, sc);
    }
    return sc;
}

/* ------------------------------------------------------------------ */
/* post records: parsed exactly as `arbiter scan` parses them           */
/* (cli/common.c: the same fields, checks, UTF-8 repair and messages)   */
/* ------------------------------------------------------------------ */
typedef cli_record post_rec;

static void rec_parse(post_rec *r, const char *line, size_t len, size_t max_text)
{
    cli_record_parse(r, line, len, -1, max_text);
}

static void rec_free(post_rec *r)
{
    cli_record_free(r);
}

/* ------------------------------------------------------------------ */
/* deciding one post                                                   */
/* ------------------------------------------------------------------ */
typedef enum { DEC_OK, DEC_RECORD, DEC_ENGINE, DEC_STORE, DEC_CONFLICT } dec_result;

/* One post of a request: parsed, decided, then stored with the others. */
typedef struct post_job {
    post_rec r;
    dec_result res;
    arb_status st;
    const char *msg;
    char *json; /* malloc'd copy of the decision record */
    size_t json_len;
    char *rule;
    const char *action;
    arbd_store_item item;
} post_job;

static char *memdup0(const char *p, size_t n)
{
    char *o = malloc(n + 1);
    if (o) {
        memcpy(o, p, n);
        o[n] = '\0';
    }
    return o;
}

/* Decides j->r under e (the record must already be parsed). */
static void job_decide(arb_engine *e, arb_scratch *sc, post_job *j)
{
    if (j->r.status != ARB_OK) {
        j->res = DEC_RECORD;
        j->st = j->r.status;
        j->msg = j->r.error;
        return;
    }
    const arb_decision *d;
    arb_status a = arb_decide(e, sc, &j->r.post, &d);
    const char *json = NULL;
    size_t jl = 0;
    if (a == ARB_OK)
        a = arb_decision_json(d, &json, &jl);
    if (a == ARB_OK) {
        j->json = memdup0(json, jl);
        j->json_len = jl;
        const char *rule = arb_decision_rule(d);
        j->rule = memdup0(rule, strlen(rule));
        if (!j->json || !j->rule)
            a = ARB_NOMEM;
    }
    if (a != ARB_OK) {
        j->res = DEC_ENGINE;
        j->st = a;
        j->msg = arb_strerror(a);
        return;
    }
    j->action = arb_action_name(arb_decision_action(d));
    j->res = DEC_OK;
}

/* The store items of the decided jobs (map[k] = index of item k's job).
 * Returns how many. */
static size_t jobs_items(post_job *jobs, size_t n, arbd_store_item *items, size_t *map)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (jobs[i].res != DEC_OK)
            continue;
        arbd_store_item *it = &items[k];
        memset(it, 0, sizeof *it);
        it->post = &jobs[i].r.post;
        it->json = jobs[i].json;
        it->json_len = jobs[i].json_len;
        it->action = jobs[i].action;
        it->rule = jobs[i].rule;
        it->key = jobs[i].item.key;
        map[k++] = i;
    }
    return k;
}

/* Settles each job's result once its items were stored (rc: the request's
 * store result); counts the new decisions. */
static void jobs_settle(arbd_server *s, post_job *jobs, const arbd_store_item *items,
                        const size_t *map, size_t k, int rc)
{
    for (size_t m = 0; m < k; m++) {
        post_job *j = &jobs[map[m]];
        j->item = items[m];
        if (rc != 0 || items[m].rc == -1) {
            j->res = DEC_STORE;
            j->st = ARB_NOMEM;
            j->msg = "the decision could not be stored; send it again later";
        } else if (items[m].rc == -2) {
            j->res = DEC_CONFLICT;
            j->st = ARB_INVALID;
            j->msg = "this idempotency key was used before for a different post";
        } else if (items[m].created) {
            metrics_decision(&s->metrics, j->action, j->rule, j->r.post.author_country);
        }
    }
}

/* Stores the decided jobs in one transaction, waiting for the commit, and
 * settles each job's result (/v1/batch). */
static void jobs_store(arbd_server *s, arb_engine *e, post_job *jobs, size_t n)
{
    arbd_store_item *items = calloc(n ? n : 1, sizeof *items);
    size_t *map = calloc(n ? n : 1, sizeof *map);
    if (!items || !map) {
        for (size_t i = 0; i < n; i++)
            if (jobs[i].res == DEC_OK) {
                jobs[i].res = DEC_STORE;
                jobs[i].st = ARB_NOMEM;
                jobs[i].msg = "out of memory; retry later";
            }
        free(items);
        free(map);
        return;
    }
    size_t k = jobs_items(jobs, n, items, map);
    arbd_store_req r = {.items = items, .n = k, .policy_id = arb_engine_policy_id(e),
                        .policy_version = arb_engine_policy_version(e),
                        .policy_hash = arb_engine_policy_hash(e)};
    if (k && !arbd_store_now(s, &r))
        arbd_store_submit(s, &r);
    jobs_settle(s, jobs, items, map, k, k ? r.rc : 0);
    free(items);
    free(map);
}

/* The decision record with "decision_id" first (no newline). */
static void job_emit(cli_str *out, const post_job *j)
{
    const char *json = j->item.stored_json ? j->item.stored_json : j->json;
    size_t jl = j->item.stored_json ? strlen(j->item.stored_json) : j->json_len;
    cli_str_addf(out, "{\"decision_id\":%lld", (long long)j->item.id);
    if (jl > 2 && json[0] == '{') {
        cli_str_add(out, ",", 1);
        cli_str_add(out, json + 1, jl - 1);
    } else {
        cli_str_add(out, "}", 1);
    }
}

static void job_free(post_job *j)
{
    rec_free(&j->r);
    free(j->json);
    free(j->rule);
    free(j->item.stored_json);
}

/* ------------------------------------------------------------------ */
/* handlers                                                            */
/* ------------------------------------------------------------------ */
static bool require_role(const arbd_request *rq, arbd_response *rs, arbd_role need)
{
    if (rq->token_role == ARBD_ROLE_NONE) {
        arbd_json_error(rs, 401, "unauthorized",
                        "this endpoint needs \"Authorization: Bearer <token>\" with a valid token");
        arbd_add_header(rs, "WWW-Authenticate", "Bearer realm=\"arbiterd\"");
        return false;
    }
    if (rq->token_role < need) {
        static const char *const names[] = {"none", "service", "moderator", "admin"};
        arbd_json_error(rs, 403, "forbidden", "token \"%s\" has role %s; this endpoint needs %s",
                        rq->token_name, names[rq->token_role], names[need]);
        return false;
    }
    return true;
}

static bool require_method(const arbd_request *rq, arbd_response *rs, const char *m)
{
    if (strcmp(rq->method, m) == 0)
        return true;
    arbd_json_error(rs, 405, "method_not_allowed", "%s %s is not supported; use %s", rq->method,
                    rq->path, m);
    arbd_add_header(rs, "Allow", m);
    return false;
}

static const char *status_code_name(arb_status st)
{
    switch (st) {
    case ARB_PARSE:
        return "invalid_json";
    case ARB_TOO_BIG:
        return "text_too_large";
    case ARB_COUNTRY:
        return "invalid_country";
    case ARB_TIME:
        return "invalid_time";
    default:
        return "invalid_record";
    }
}

/* The answer to /v1/check for a settled job. */
static void check_respond(post_job *j, arbd_response *rs)
{
    cli_str out = {0};
    switch (j->res) {
    case DEC_OK:
        job_emit(&out, j);
        cli_str_add(&out, "\n", 1);
        respond_sbuf(rs, 200, "application/json", &out);
        if (!j->item.created)
            arbd_add_header(rs, "Idempotent-Replayed", "true");
        break;
    case DEC_RECORD:
        arbd_json_error(rs, j->st == ARB_TOO_BIG ? 413 : 400, status_code_name(j->st), "%s",
                        j->msg);
        break;
    case DEC_ENGINE:
        arbd_json_error(rs, j->st == ARB_NOMEM ? 503 : 422, "undecidable", "%s (%s)", j->msg,
                        arb_status_name(j->st));
        break;
    case DEC_CONFLICT:
        arbd_json_error(rs, 409, "idempotency_conflict", "%s", j->msg);
        break;
    case DEC_STORE:
        arbd_json_error(rs, 503, "store_unavailable", "%s", j->msg);
        arbd_add_header(rs, "Retry-After", "1");
        break;
    }
    free(out.p);
}

/* A /v1/check between its decision and its answer: the decision waits for
 * the group-commit writer while the connection is suspended, so that this
 * worker thread serves its other connections meanwhile. */
typedef struct check_wait {
    post_job job;
    arbd_store_item item;
    size_t map0;
    arbd_store_req req;
    arb_engine *engine;           /* the request's reference */
    struct MHD_Connection *conn;
    atomic_bool stored;           /* set by the writer before it resumes conn */
} check_wait;

/* Writer thread: the decision is committed (or failed): wake the request.
 * The connection and its context may be gone as soon as resumed. */
static void check_stored(arbd_store_req *r, void *ud)
{
    check_wait *w = ud;
    struct MHD_Connection *c = w->conn;
    atomic_store(&w->stored, true);
    MHD_resume_connection(c);
}

static void check_wait_free(arbd_server *s, check_wait *w)
{
    if (!w)
        return;
    job_free(&w->job);
    arb_engine_unref(w->engine);
    free(w);
}

/* POST /v1/check, second half (after the commit): the answer. */
static void check_finish(arbd_server *s, check_wait *w, arbd_response *rs)
{
    jobs_settle(s, &w->job, &w->item, &w->map0, 1, w->req.rc);
    check_respond(&w->job, rs);
}

/* POST /v1/check, first half: parses and decides the post, then either
 * answers at once (rs filled, returns NULL) or queues the decision for the
 * writer and suspends the connection (returns the wait; the answer comes
 * from check_finish when the connection is resumed). */
static check_wait *check_begin(arbd_server *s, struct MHD_Connection *c, const arbd_request *rq,
                               arbd_response *rs, const char *idem_key)
{
    if (!require_method(rq, rs, "POST") || !require_role(rq, rs, ARBD_ROLE_SERVICE))
        return NULL;
    check_wait *w = calloc(1, sizeof *w);
    if (!w) {
        arbd_json_error(rs, 503, "unavailable", "out of memory; retry later");
        return NULL;
    }
    post_job *j = &w->job;
    rec_parse(&j->r, rq->body, rq->body_len, s->cfg.max_text);
    j->item.key = idem_key;
    w->engine = arbd_engine_acquire(s);
    arb_scratch *sc = w->engine ? thread_scratch(s, w->engine) : NULL;
    if (!sc) {
        arbd_json_error(rs, 503, "unavailable", "no policy engine or scratch memory available");
        check_wait_free(s, w);
        return NULL;
    }
    job_decide(w->engine, sc, j);
    if (j->res != DEC_OK) {
        check_respond(j, rs);
        check_wait_free(s, w);
        return NULL;
    }
    jobs_items(j, 1, &w->item, &w->map0);
    w->req.items = &w->item;
    w->req.n = 1;
    w->req.policy_id = arb_engine_policy_id(w->engine);
    w->req.policy_version = arb_engine_policy_version(w->engine);
    w->req.policy_hash = arb_engine_policy_hash(w->engine);
    w->req.done = check_stored;
    w->req.ud = w;
    w->conn = c;
    if (arbd_store_now(s, &w->req)) {
        check_finish(s, w, rs);
        check_wait_free(s, w);
        return NULL;
    }
    /* suspend first: the writer may resume the connection at any moment */
    MHD_suspend_connection(c);
    arbd_store_submit(s, &w->req);
    return w;
}

static void handle_batch(arbd_server *s, const arbd_request *rq, arbd_response *rs,
                         const char *idem_key, double t0)
{
    if (!require_method(rq, rs, "POST") || !require_role(rq, rs, ARBD_ROLE_SERVICE))
        return;
    /* count lines first: over the limit, nothing is decided */
    const char *p = rq->body, *end = rq->body + rq->body_len;
    size_t lines = 0;
    for (const char *q = p; q < end;) {
        const char *nl = memchr(q, '\n', (size_t)(end - q));
        lines++;
        q = nl ? nl + 1 : end;
    }
    if (lines == 0) {
        arbd_json_error(rs, 400, "empty_batch", "the body holds no JSON Lines records");
        return;
    }
    if (lines > s->cfg.max_batch) {
        arbd_json_error(rs, 413, "batch_too_large",
                        "the batch holds %zu posts; the limit is %zu per request", lines,
                        s->cfg.max_batch);
        return;
    }
    post_job *jobs = calloc(lines, sizeof *jobs);
    char (*keys)[256] = idem_key && *idem_key ? calloc(lines, sizeof *keys) : NULL;
    arb_engine *e = arbd_engine_acquire(s);
    arb_scratch *sc = e ? thread_scratch(s, e) : NULL;
    if (!sc || !jobs || (idem_key && *idem_key && !keys)) {
        arbd_json_error(rs, 503, "unavailable", "no policy engine or memory available");
        free(jobs);
        free(keys);
        arb_engine_unref(e);
        return;
    }
    double deadline = t0 + s->cfg.request_timeout_ms / 1000.0;
    size_t n = 0, late = 0;
    for (const char *q = p; q < end; n++) {
        const char *nl = memchr(q, '\n', (size_t)(end - q));
        const char *le = nl ? nl : end;
        size_t len = (size_t)(le - q);
        if (len && q[len - 1] == '\r')
            len--;
        post_job *j = &jobs[n];
        rec_parse(&j->r, q, len, s->cfg.max_text);
        if (keys) {
            snprintf(keys[n], sizeof keys[n], "%s#%zu", idem_key, n + 1);
            j->item.key = keys[n];
        }
        if (arbd_mono_s() > deadline) {
            j->res = DEC_RECORD;
            j->st = ARB_LIMIT;
            j->msg = "request time limit reached before this post; not decided, send it again";
            late++;
        } else {
            job_decide(e, sc, j);
        }
        q = nl ? nl + 1 : end;
    }
    jobs_store(s, e, jobs, n); /* one transaction for the whole batch */
    cli_str out = {0};
    for (size_t i = 0; i < n; i++) {
        post_job *j = &jobs[i];
        if (j->res == DEC_OK) {
            job_emit(&out, j);
        } else {
            char small[1024];
            size_t need =
                arb_error_record(small, sizeof small, j->r.id, j->r.id_len, i + 1, j->st, j->msg);
            if (need < sizeof small) {
                cli_str_add(&out, small, need);
            } else {
                char *big = malloc(need + 1);
                if (big) {
                    arb_error_record(big, need + 1, j->r.id, j->r.id_len, i + 1, j->st, j->msg);
                    cli_str_add(&out, big, need);
                    free(big);
                }
            }
        }
        cli_str_add(&out, "\n", 1);
        job_free(j);
    }
    free(jobs);
    free(keys);
    arb_engine_unref(e);
    respond_sbuf(rs, 200, "application/x-ndjson", &out);
    if (late) {
        char num[32];
        snprintf(num, sizeof num, "%zu", late);
        arbd_add_header(rs, "X-Arbiter-Undecided", num);
    }
}

static void policy_json(arbd_server *s, cli_str *b)
{
    pthread_mutex_lock(&s->engine_mu);
    const arb_engine *e = s->engine;
    char when[32];
    arb_format_time(s->loaded_at_ms, when);
    cli_str_adds(b, "{\"id\":");
    sb_json_str(b, arb_engine_policy_id(e), strlen(arb_engine_policy_id(e)));
    cli_str_adds(b, ",\"version\":");
    sb_json_str(b, arb_engine_policy_version(e), strlen(arb_engine_policy_version(e)));
    cli_str_adds(b, ",\"hash\":");
    sb_json_str(b, arb_engine_policy_hash(e), strlen(arb_engine_policy_hash(e)));
    cli_str_addf(b, ",\"loaded_at\":\"%s\",\"source\":", when);
    const char *src = s->cfg.policy_path ? s->cfg.policy_path : "embedded";
    sb_json_str(b, src, strlen(src));
    cli_str_adds(b, "}");
    pthread_mutex_unlock(&s->engine_mu);
}

static void handle_policies(arbd_server *s, const arbd_request *rq, arbd_response *rs)
{
    if (!require_method(rq, rs, "GET") || !require_role(rq, rs, ARBD_ROLE_ADMIN))
        return;
    cli_str b = {0};
    cli_str_adds(&b, "{\"policies\":[");
    policy_json(s, &b);
    cli_str_adds(&b, "]}\n");
    respond_sbuf(rs, 200, "application/json", &b);
}

static void handle_reload(arbd_server *s, const arbd_request *rq, arbd_response *rs)
{
    if (!require_method(rq, rs, "POST") || !require_role(rq, rs, ARBD_ROLE_ADMIN))
        return;
    char err[1024];
    if (arbd_reload(s, err, sizeof err) != 0) {
        arbd_json_error(rs, 422, "policy_invalid",
                        "the new policy was refused and the running one stays: %s", err);
        return;
    }
    cli_str b = {0};
    cli_str_adds(&b, "{\"reloaded\":true,\"policy\":");
    policy_json(s, &b);
    cli_str_adds(&b, "}\n");
    respond_sbuf(rs, 200, "application/json", &b);
}

static void handle_readyz(arbd_server *s, arbd_response *rs)
{
    if (atomic_load(&s->draining)) {
        arbd_json_error(rs, 503, "draining", "the server is shutting down");
        return;
    }
    cli_str b = {0};
    cli_str_adds(&b, "{\"status\":\"ready\",\"policy\":");
    policy_json(s, &b);
    cli_str_adds(&b, "}\n");
    respond_sbuf(rs, 200, "application/json", &b);
}

/* ------------------------------------------------------------------ */
/* authentication                                                      */
/* ------------------------------------------------------------------ */
static void authenticate(arbd_server *s, const char *header, arbd_role *role,
                         const char **name)
{
    *role = ARBD_ROLE_NONE;
    *name = "";
    if (!header || strncasecmp(header, "Bearer ", 7) != 0)
        return;
    const char *tok = header + 7;
    while (*tok == ' ')
        tok++;
    size_t n = strlen(tok);
    while (n && tok[n - 1] == ' ')
        n--;
    if (!n)
        return;
    char hex[65];
    arbd_sha256_hex(tok, n, hex);
    /* every byte of every token, no early exit */
    size_t match = (size_t)-1;
    for (size_t i = 0; i < s->cfg.n_tokens; i++) {
        unsigned diff = 0;
        for (size_t k = 0; k < 64; k++)
            diff |= (unsigned char)(hex[k] ^ s->cfg.tokens[i].sha256[k]);
        /* branch-free select: mask is all ones when diff == 0 */
        size_t mask = (size_t)0 - (size_t)(((diff | (0u - diff)) >> 31) ^ 1u);
        match = (match & ~mask) | (i & mask);
    }
    if (match != (size_t)-1 && match < s->cfg.n_tokens) {
        *role = s->cfg.tokens[match].role;
        *name = s->cfg.tokens[match].name;
    }
}

/* ------------------------------------------------------------------ */
/* libmicrohttpd glue                                                  */
/* ------------------------------------------------------------------ */
typedef struct conn_ctx {
    cli_str body;  /* the request body as received (NUL-terminated) */
    bool too_big;
    bool answered; /* a response is queued: ignore whatever else arrives */
    size_t seen;   /* body bytes received, kept or not */
    double t0;
    char rid[40];
    check_wait *check; /* a /v1/check waiting for its commit */
} conn_ctx;

static int route_of(const char *path)
{
    if (strcmp(path, "/v1/check") == 0)
        return ARBD_ROUTE_CHECK;
    if (strcmp(path, "/v1/batch") == 0)
        return ARBD_ROUTE_BATCH;
    if (strcmp(path, "/v1/policies") == 0)
        return ARBD_ROUTE_POLICIES;
    if (strcmp(path, "/v1/policies/reload") == 0)
        return ARBD_ROUTE_RELOAD;
    if (strcmp(path, "/healthz") == 0)
        return ARBD_ROUTE_HEALTHZ;
    if (strcmp(path, "/readyz") == 0)
        return ARBD_ROUTE_READYZ;
    if (strcmp(path, "/metrics") == 0)
        return ARBD_ROUTE_METRICS;
    return -1;
}

typedef struct query_acc {
    cli_str b;
} query_acc;

static void sb_urlenc(cli_str *b, const char *v)
{
    static const char hexd[] = "0123456789ABCDEF";
    for (const unsigned char *u = (const unsigned char *)v; *u; u++) {
        if (isalnum(*u) || *u == '-' || *u == '_' || *u == '.' || *u == '~') {
            cli_str_add(b, (const char *)u, 1);
        } else {
            char e[3] = {'%', hexd[*u >> 4], hexd[*u & 15]};
            cli_str_add(b, e, 3);
        }
    }
}

static enum MHD_Result query_iter(void *cls, enum MHD_ValueKind kind, const char *key,
                                  const char *value)
{
    query_acc *q = cls;
    if (q->b.len)
        cli_str_add(&q->b, "&", 1);
    sb_urlenc(&q->b, key);
    if (value) {
        cli_str_add(&q->b, "=", 1);
        sb_urlenc(&q->b, value);
    }
    return MHD_YES;
}

static const char *hdr(struct MHD_Connection *c, const char *name)
{
    const char *v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
    return v ? v : "";
}

static bool sane_id(const char *v, size_t max)
{
    size_t n = strlen(v);
    if (!n || n > max)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)v[i]) && !strchr("-_.:/+=", v[i]))
            return false;
    return true;
}

static void log_request(arbd_server *s, const arbd_request *rq, int status, double ms)
{
    if (s->cfg.log_level > ARBD_LOG_INFO && status < 500)
        return;
    cli_str x = {0};
    cli_str_adds(&x, ",\"request_id\":");
    sb_json_str(&x, rq->request_id, strlen(rq->request_id));
    cli_str_adds(&x, ",\"method\":");
    sb_json_str(&x, rq->method, strlen(rq->method));
    cli_str_adds(&x, ",\"path\":");
    sb_json_str(&x, rq->path, strlen(rq->path));
    cli_str_addf(&x, ",\"status\":%d,\"duration_ms\":%.3f,\"remote\":", status, ms);
    sb_json_str(&x, rq->remote, strlen(rq->remote));
    if (rq->token_name[0]) {
        cli_str_adds(&x, ",\"token\":");
        sb_json_str(&x, rq->token_name, strlen(rq->token_name));
    }
    if (!x.failed)
        arbd_log(s, status >= 500 ? ARBD_LOG_ERROR : ARBD_LOG_INFO, "request", x.p);
    free(x.p);
}

static enum MHD_Result send_response(struct MHD_Connection *c, arbd_server *s,
                                     arbd_response *rs, const char *rid)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        rs->body_len, rs->body ? rs->body : (void *)"", rs->body ? MHD_RESPMEM_MUST_FREE
                                                                 : MHD_RESPMEM_PERSISTENT);
    if (!resp) {
        free(rs->body);
        rs->body = NULL;
        return MHD_NO;
    }
    rs->body = NULL; /* owned by MHD now */
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                            rs->content_type ? rs->content_type : "application/json");
    MHD_add_response_header(resp, "X-Request-Id", rid);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    for (char *line = rs->headers; *line;) {
        char *eol = strstr(line, "\r\n");
        if (!eol)
            break;
        *eol = '\0';
        char *colon = strchr(line, ':');
        if (colon) {
            *colon = '\0';
            const char *v = colon + 1;
            while (*v == ' ')
                v++;
            MHD_add_response_header(resp, line, v);
        }
        line = eol + 2;
    }
    if (atomic_load(&s->draining))
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
    enum MHD_Result r = MHD_queue_response(c, (unsigned)rs->status, resp);
    MHD_destroy_response(resp);
    return r;
}

static void dispatch(arbd_server *s, const arbd_request *rq, arbd_response *rs, int route,
                     const char *idem_key, double t0)
{
    switch (route) {
    case ARBD_ROUTE_BATCH:
        handle_batch(s, rq, rs, idem_key, t0);
        return;
    case ARBD_ROUTE_POLICIES:
        handle_policies(s, rq, rs);
        return;
    case ARBD_ROUTE_RELOAD:
        handle_reload(s, rq, rs);
        return;
    case ARBD_ROUTE_HEALTHZ:
        if (require_method(rq, rs, "GET"))
            arbd_respond(rs, 200, "application/json", "{\"status\":\"ok\"}\n", 16);
        return;
    case ARBD_ROUTE_READYZ:
        if (require_method(rq, rs, "GET"))
            handle_readyz(s, rs);
        return;
    case ARBD_ROUTE_METRICS:
        if (require_method(rq, rs, "GET"))
            handle_metrics(s, rs);
        return;
    default:
        break;
    }
    if (!arbd_review_route(s, rq, rs))
        arbd_json_error(rs, 404, "not_found", "no such endpoint: %s %s", rq->method, rq->path);
}

/* The arbd_request of the connection's current request; its strings live
 * in the connection, `remote` and `qa` (free qa->b.p after use). */
static void build_request(arbd_server *s, struct MHD_Connection *c, conn_ctx *cx,
                          const char *url, const char *method, arbd_request *rq,
                          char remote[64], query_acc *qa)
{
    remote[0] = '\0';
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
                      remote, 64);
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
                      remote, 64);
    }
    memset(qa, 0, sizeof *qa);
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, query_iter, qa);
    memset(rq, 0, sizeof *rq);
    rq->method = method;
    rq->path = url;
    rq->query = qa->b.p ? qa->b.p : "";
    rq->body = cx->body.p ? cx->body.p : "";
    rq->body_len = cx->body.len;
    rq->content_type = hdr(c, MHD_HTTP_HEADER_CONTENT_TYPE);
    rq->cookie = hdr(c, MHD_HTTP_HEADER_COOKIE);
    rq->csrf = hdr(c, "X-CSRF-Token");
    rq->origin = hdr(c, "Origin");
    rq->host = hdr(c, "Host");
    rq->remote = remote;
    rq->request_id = cx->rid;
    authenticate(s, MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                MHD_HTTP_HEADER_AUTHORIZATION),
                 &rq->token_role, &rq->token_name);
}

/* Counts, logs and sends the answer rs to rq. */
static enum MHD_Result complete_request(arbd_server *s, struct MHD_Connection *c, conn_ctx *cx,
                                        const arbd_request *rq, arbd_response *rs, int route)
{
    if (!rs->status)
        arbd_json_error(rs, 500, "internal", "the handler produced no response");
    double secs = arbd_mono_s() - cx->t0;
    const char *url = rq->path;
    int mroute = route >= 0 ? route
                 : (strncmp(url, "/review", 7) == 0 || strncmp(url, "/v1/cases", 9) == 0 ||
                    strncmp(url, "/login", 6) == 0 || strncmp(url, "/logout", 7) == 0 ||
                    strncmp(url, "/v1/report", 10) == 0)
                     ? ARBD_ROUTE_REVIEW
                     : ARBD_ROUTE_OTHER;
    int status = rs->status;
    metrics_request(&s->metrics, mroute, status, secs);
    log_request(s, rq, status, secs * 1000.0);
    enum MHD_Result r = send_response(c, s, rs, cx->rid);
    free(rs->body);
    rs->body = NULL;
    return r;
}

/* Answers a whole request: called once per request, when the body is
 * complete, or at once when Content-Length is over the body limit (then the
 * body is never read).  A /v1/check is answered later, by resume_request,
 * when its decision has been committed. */
static enum MHD_Result finish_request(arbd_server *s, struct MHD_Connection *c, conn_ctx *cx,
                                      const char *url, const char *method)
{
    cx->answered = true;
    char remote[64];
    query_acc qa;
    arbd_request rq;
    build_request(s, c, cx, url, method, &rq, remote, &qa);
    int route = route_of(url);
    arbd_response rs = {0};
    rs.content_type = "application/json";
    const char *idem = hdr(c, "Idempotency-Key");
    if (cx->too_big) {
        arbd_json_error(&rs, 413, "body_too_large",
                        "the request body is over the limit of %zu bytes", s->cfg.max_body);
        arbd_add_header(&rs, "Connection", "close");
    } else if (*idem && !sane_id(idem, 200)) {
        arbd_json_error(&rs, 400, "bad_idempotency_key",
                        "Idempotency-Key must be 1-200 characters of A-Z a-z 0-9 - _ . : / + =");
    } else if (atomic_load(&s->connections) > (int)s->cfg.max_connections &&
               route != ARBD_ROUTE_HEALTHZ && route != ARBD_ROUTE_READYZ &&
               route != ARBD_ROUTE_METRICS) {
        arbd_json_error(&rs, 429, "too_many_connections",
                        "the server holds its limit of %u connections; retry shortly",
                        s->cfg.max_connections);
        arbd_add_header(&rs, "Retry-After", "1");
        arbd_add_header(&rs, "Connection", "close");
    } else if (route == ARBD_ROUTE_CHECK) {
        cx->check = check_begin(s, c, &rq, &rs, idem);
        if (cx->check) { /* suspended until committed */
            free(qa.b.p);
            return MHD_YES;
        }
    } else {
        dispatch(s, &rq, &rs, route, idem, cx->t0);
    }
    enum MHD_Result r = complete_request(s, c, cx, &rq, &rs, route);
    free(qa.b.p);
    return r;
}

/* A suspended /v1/check was resumed by the writer: its answer. */
static enum MHD_Result resume_request(arbd_server *s, struct MHD_Connection *c, conn_ctx *cx,
                                      const char *url, const char *method)
{
    check_wait *w = cx->check;
    cx->check = NULL;
    char remote[64];
    query_acc qa;
    arbd_request rq;
    build_request(s, c, cx, url, method, &rq, remote, &qa);
    arbd_response rs = {0};
    rs.content_type = "application/json";
    check_finish(s, w, &rs);
    check_wait_free(s, w);
    enum MHD_Result r = complete_request(s, c, cx, &rq, &rs, ARBD_ROUTE_CHECK);
    free(qa.b.p);
    return r;
}

/* Bytes past the body limit that are read and dropped before answering 413. */
static size_t drain_cap(const arbd_server *s)
{
    return s->cfg.max_body < (4u << 20) ? (4u << 20) : s->cfg.max_body;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    arbd_server *s = cls;
    conn_ctx *cx = *con_cls;
    if (!cx) {
        cx = calloc(1, sizeof *cx);
        if (!cx)
            return MHD_NO;
        *con_cls = cx;
        atomic_fetch_add(&s->inflight, 1);
        cx->t0 = arbd_mono_s();
        const char *xr = hdr(c, "X-Request-Id");
        if (sane_id(xr, 36))
            snprintf(cx->rid, sizeof cx->rid, "%s", xr);
        else
            snprintf(cx->rid, sizeof cx->rid, "%llx-%llu", (unsigned long long)s->boot_ms,
                     (unsigned long long)atomic_fetch_add(&s->next_request, 1) + 1);
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                     MHD_HTTP_HEADER_CONTENT_LENGTH);
        unsigned long long announced = cl ? strtoull(cl, NULL, 10) : 0;
        if (announced > s->cfg.max_body) {
            /* over the limit: a body within the drain cap is read and
             * dropped (the client then reads the 413 cleanly), a bigger
             * one is answered at once and never read */
            cx->too_big = true;
            if (announced > s->cfg.max_body + drain_cap(s))
                return finish_request(s, c, cx, url, method);
        }
        return MHD_YES;
    }
    if (*upload_data_size) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        cx->seen += n;
        if (cx->answered)
            return MHD_YES;
        if (cx->too_big || cx->body.len + n > s->cfg.max_body) {
            if (!cx->too_big) {
                cx->too_big = true;
                cli_str_free(&cx->body);
            }
            /* A body without Content-Length that outgrows the limit is
             * drained (so that the client reads the 413 rather than a
             * reset) up to a cap; a client that keeps sending past it is
             * answered at once and the connection closed. */
            if (cx->seen > s->cfg.max_body + drain_cap(s))
                return finish_request(s, c, cx, url, method);
            return MHD_YES;
        }
        cli_str_add(&cx->body, upload_data, n);
        return cx->body.failed ? MHD_NO : MHD_YES;
    }

    (void)version;
    if (cx->check)
        return atomic_load(&cx->check->stored) ? resume_request(s, c, cx, url, method) : MHD_YES;
    if (cx->answered)
        return MHD_YES;
    return finish_request(s, c, cx, url, method);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    arbd_server *s = cls;
    conn_ctx *cx = *con_cls;
    if (!cx)
        return;
    /* a /v1/check whose connection died after its commit resumed it (a
     * suspended one is never closed: the writer resumes every connection
     * before the daemon stops) */
    if (cx->check && atomic_load(&cx->check->stored)) {
        check_wait *w = cx->check;
        jobs_settle(s, &w->job, &w->item, &w->map0, 1, w->req.rc); /* counts it, owns its memory */
        check_wait_free(s, w);
    }
    cli_str_free(&cx->body);
    free(cx);
    *con_cls = NULL;
    atomic_fetch_sub(&s->inflight, 1);
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
    arbd_server *s = cls;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED)
        atomic_fetch_add(&s->connections, 1);
    else
        atomic_fetch_sub(&s->connections, 1);
}

static void mhd_logger(void *cls, const char *fm, va_list ap)
{
    char msg[512];
    vsnprintf(msg, sizeof msg, fm, ap);
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
        msg[--n] = '\0';
    arbd_log(cls, ARBD_LOG_WARN, msg, ",\"source\":\"libmicrohttpd\"");
}

static void scratch_destroy(void *p)
{
    arb_scratch_free(p);
}

int arbd_http_start(arbd_server *s, char *err, size_t errlen)
{
    if (pthread_key_create(&s->scratch_key, scratch_destroy) != 0) {
        snprintf(err, errlen, "cannot create the per-thread scratch key");
        return -1;
    }
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
                     MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
    struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
    if (inet_pton(AF_INET, s->cfg.listen_addr, &a4->sin_addr) == 1) {
        a4->sin_family = AF_INET;
        a4->sin_port = htons((uint16_t)s->cfg.port);
    } else if (inet_pton(AF_INET6, s->cfg.listen_addr, &a6->sin6_addr) == 1) {
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)s->cfg.port);
        flags |= MHD_USE_IPv6;
    } else {
        snprintf(err, errlen, "listen address \"%s\" is not an IPv4 or IPv6 address",
                 s->cfg.listen_addr);
        return -1;
    }
    unsigned pool = s->cfg.threads > 1 ? s->cfg.threads : 1;
    s->mhd = MHD_start_daemon(
        flags, (uint16_t)s->cfg.port, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER, mhd_logger, s, MHD_OPTION_SOCK_ADDR,
        (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE, pool,
        /* headroom over the limit so that excess clients get a 429, not a reset */
        MHD_OPTION_CONNECTION_LIMIT, s->cfg.max_connections + 64,
        MHD_OPTION_CONNECTION_TIMEOUT, s->cfg.connection_timeout_s,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_NOTIFY_CONNECTION,
        on_connection, s,
        MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024, MHD_OPTION_END);
    if (!s->mhd) {
        snprintf(err, errlen, "cannot listen on %s port %u (in use, or not permitted)",
                 s->cfg.listen_addr, s->cfg.port);
        return -1;
    }
    return 0;
}

void arbd_http_quiesce(arbd_server *s)
{
    atomic_store(&s->draining, true);
    if (s->mhd) {
        MHD_socket fd = MHD_quiesce_daemon(s->mhd);
        if (fd != MHD_INVALID_SOCKET)
            close(fd);
    }
}

void arbd_http_stop(arbd_server *s)
{
    if (s->mhd)
        MHD_stop_daemon(s->mhd);
    s->mhd = NULL;
}
