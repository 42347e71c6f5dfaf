/*
 * stream.c -- `arbiter stream`: a scale-out worker.  Posts come in as
 * messages (one JSON Lines record each) from NATS JetStream (here) or Kafka
 * (stream_kafka.c); one decision per post goes out.
 *
 * NATS JetStream worker, what it keeps true:
 *  - pull consumer on a shared durable consumer (explicit ack, AckWait,
 *    MaxDeliver, MaxAckPending), so every worker bound to it takes a share;
 *    the worker never deletes the durable (it binds to it, so the client
 *    library does not consider it "its" consumer);
 *  - at-least-once with idempotent output: each decision is published with
 *    the post id as Nats-Msg-Id (the stream's duplicate window drops a
 *    redelivered post's second decision), and an input message is acked only
 *    after JetStream acknowledged its decision;
 *  - bounded memory: at most --batch messages are fetched at a time, at most
 *    --max-inflight publishes are unacknowledged (js_PublishAsync stalls),
 *    and a batch is fully published and acked before the next fetch;
 *  - poison messages (bad JSON, over --max-line, missing fields) become
 *    error records on --errors (default: --out), acked, never retried; a
 *    message that crashes workers stops after MaxDeliver deliveries;
 *  - the policy is swapped only between batches (SIGHUP, or a message on
 *    --policy-subject naming a path or saying "reload"); a policy that does
 *    not compile is refused and the old one keeps running;
 *  - SIGTERM/SIGINT: the current batch is finished (published and acked),
 *    then the worker exits 0.
 *
 * Hidden helpers for tests and benchmarks: `arbiter stream tool ...`
 * (setup, publish, count, collect, and the kafka-* ones in stream_kafka.c).
 */
#include "stream.h"

#include <errno.h>
#include <getopt.h>
#include <nats/nats.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------------ */
/* Core: deciding batches, reloading, logging                          */
/* ------------------------------------------------------------------ */

double stream_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void stream_sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static void *sig_main(void *arg)
{
    stream_core *c = arg;
    for (;;) {
        int sig = 0;
        if (sigwait(&c->sigs, &sig) != 0)
            continue;
        if (atomic_load(&c->sig_done))
            return NULL;
        if (sig == SIGHUP)
            atomic_store(&c->reload, 1);
        else if (sig == SIGTERM || sig == SIGINT)
            atomic_store(&c->stop, 1);
    }
}

static void policy_extra(const arb_engine *e, cli_str *s)
{
    char buf[600];
    char id[200], ver[200];
    arb_json_escape(id, sizeof id, arb_engine_policy_id(e), strlen(arb_engine_policy_id(e)));
    arb_json_escape(ver, sizeof ver, arb_engine_policy_version(e),
                    strlen(arb_engine_policy_version(e)));
    int n = snprintf(buf, sizeof buf, "\"policy\":{\"id\":\"%s\",\"version\":\"%s\",\"hash\":\"%s\"}",
                     id, ver, arb_engine_policy_hash(e));
    cli_str_put(s, buf, n > 0 && (size_t)n < sizeof buf ? (size_t)n : 0);
}

void stream_log(stream_core *c, const char *event, const char *extra)
{
    char ts[32];
    arb_format_time((int64_t)time(NULL) * 1000, ts);
    cli_str s = {0};
    char head[400];
    int n = snprintf(head, sizeof head, "{\"ts\":\"%s\",\"worker\":\"%s\",\"event\":\"%s\",", ts,
                     c->worker, event);
    cli_str_put(&s, head, (size_t)n);
    if (c->engine)
        policy_extra(c->engine, &s);
    if (extra && *extra) {
        cli_str_put(&s, ",", 1);
        cli_str_put(&s, extra, strlen(extra));
    }
    cli_str_put(&s, "}\n", 2);
    fwrite(s.p, 1, s.len, stderr);
    fflush(stderr);
    cli_str_free(&s);
}

void stream_core_status(stream_core *c, cli_str *out)
{
    char ts[32];
    arb_format_time((int64_t)time(NULL) * 1000, ts);
    char buf[800];
    int n = snprintf(buf, sizeof buf, "{\"ts\":\"%s\",\"worker\":\"%s\",\"event\":\"status\",", ts,
                     c->worker);
    cli_str_put(out, buf, (size_t)n);
    policy_extra(c->engine, out);
    n = snprintf(buf, sizeof buf,
                 ",\"processed\":%lu,\"decisions\":%lu,\"errors\":%lu,\"redelivered\":%lu,"
                 "\"batches\":%lu,\"reloads\":%lu,\"reload_failures\":%lu,"
                 "\"publish_retries\":%lu,\"actions\":{\"allow\":%lu,\"remove\":%lu,"
                 "\"escalate\":%lu,\"restrict\":%lu},\"uptime_s\":%.1f}",
                 c->processed, c->decisions, c->errors, c->redelivered, c->batches, c->reloads,
                 c->reload_failures, c->publish_retries, c->actions[0], c->actions[1],
                 c->actions[2], c->actions[3], stream_now() - c->t_start);
    cli_str_put(out, buf, (size_t)n);
}

/* The status record goes to stderr as a log line, and to the status
 * subject / topic when one is given (by the transport). */
void stream_core_log_status(stream_core *c, const cli_str *status)
{
    fwrite(status->p, 1, status->len, stderr);
    fputc('\n', stderr);
    fflush(stderr);
}

int stream_core_init(stream_core *c, const stream_opts *o)
{
    memset(c, 0, sizeof *c);
    c->o = o;
    c->t_start = stream_now();
    pthread_mutex_init(&c->lock, NULL);
    sigemptyset(&c->sigs);
    sigaddset(&c->sigs, SIGTERM);
    sigaddset(&c->sigs, SIGINT);
    sigaddset(&c->sigs, SIGHUP);
    sigaddset(&c->sigs, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &c->sigs, NULL);
    if (o->worker_id) {
        snprintf(c->worker, sizeof c->worker, "%.150s", o->worker_id);
    } else {
        char host[100] = "host";
        gethostname(host, sizeof host - 1);
        host[sizeof host - 1] = 0;
        snprintf(c->worker, sizeof c->worker, "%s:%ld", host, (long)getpid());
    }
    for (char *p = c->worker; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == '"' || *p == '\\')
            *p = '_';
    if (o->policy)
        c->policy_path = strdup(o->policy);
    int rc = cli_engine_load(o->policy, &c->engine);
    if (rc)
        return rc;
    c->jobs = o->jobs;
    c->sl = calloc((size_t)c->jobs, sizeof *c->sl);
    for (long i = 0; i < c->jobs; i++) {
        c->sl[i].core = c;
        if (arb_scratch_new(c->engine, &c->sl[i].s) != ARB_OK) {
            fprintf(stderr, "arbiter stream: cannot allocate scratch\n");
            return CLI_EXIT_IO;
        }
    }
    if (pthread_create(&c->sig_th, NULL, sig_main, c) != 0) {
        fprintf(stderr, "arbiter stream: cannot start the signal thread\n");
        return CLI_EXIT_IO;
    }
    c->sig_started = true;
    return 0;
}

void stream_core_free(stream_core *c)
{
    if (c->sig_started) {
        atomic_store(&c->sig_done, 1);
        pthread_kill(c->sig_th, SIGUSR1);
        pthread_join(c->sig_th, NULL);
    }
    for (long i = 0; i < c->jobs; i++) {
        arb_scratch_free(c->sl[i].s);
        cli_str_free(&c->sl[i].out);
    }
    free(c->sl);
    arb_engine_free(c->engine);
    free(c->policy_path);
    free(c->pending_path);
    pthread_mutex_destroy(&c->lock);
}

void stream_core_request(stream_core *c, const char *path, size_t len)
{
    while (len && (path[len - 1] == '\n' || path[len - 1] == ' ' || path[len - 1] == '\r'))
        len--;
    pthread_mutex_lock(&c->lock);
    free(c->pending_path);
    c->pending_path = NULL;
    if (path && len && !(len == 6 && !memcmp(path, "reload", 6)) && !memchr(path, 0, len)) {
        c->pending_path = malloc(len + 1);
        memcpy(c->pending_path, path, len);
        c->pending_path[len] = 0;
    }
    pthread_mutex_unlock(&c->lock);
    atomic_store(&c->reload, 1);
}

void stream_core_reload(stream_core *c)
{
    if (!atomic_exchange(&c->reload, 0))
        return;
    pthread_mutex_lock(&c->lock);
    char *want = c->pending_path;
    c->pending_path = NULL;
    pthread_mutex_unlock(&c->lock);
    const char *path = want ? want : c->policy_path;
    arb_engine *ne = NULL;
    char extra[1200], esc[1000];
    arb_json_escape(esc, sizeof esc, path ? path : "(embedded)", strlen(path ? path : "(embedded)"));
    if (cli_engine_load(path, &ne) != 0) {
        c->reload_failures++;
        snprintf(extra, sizeof extra, "\"path\":\"%s\",\"kept\":true", esc);
        stream_log(c, "reload_refused", extra);
        free(want);
        return;
    }
    /* fresh scratches for the new engine (a scratch is sized by the
     * engine it was made for); on failure the old pair stays */
    arb_scratch **ns = calloc((size_t)c->jobs, sizeof *ns);
    for (long i = 0; i < c->jobs; i++) {
        if (arb_scratch_new(ne, &ns[i]) != ARB_OK) {
            for (long k = 0; k < i; k++)
                arb_scratch_free(ns[k]);
            free(ns);
            arb_engine_free(ne);
            free(want);
            c->reload_failures++;
            stream_log(c, "reload_refused", "\"error\":\"cannot allocate scratch\",\"kept\":true");
            return;
        }
    }
    for (long i = 0; i < c->jobs; i++) {
        arb_scratch_free(c->sl[i].s);
        c->sl[i].s = ns[i];
    }
    free(ns);
    char old[80];
    snprintf(old, sizeof old, "%s", arb_engine_policy_hash(c->engine));
    arb_engine_free(c->engine);
    c->engine = ne;
    if (want) {
        free(c->policy_path);
        c->policy_path = want;
    }
    c->reloads++;
    snprintf(extra, sizeof extra, "\"path\":\"%s\",\"previous_hash\":\"%s\"", esc, old);
    stream_log(c, "reload", extra);
}

static void key_for(stream_item *it, const cli_record *r)
{
    bool ok = r->id && r->id_len > 0 && r->id_len <= STREAM_KEY_MAX;
    for (size_t i = 0; ok && i < r->id_len; i++) {
        unsigned char ch = (unsigned char)r->id[i];
        if (ch < 0x20 || ch == 0x7f)
            ok = false;
    }
    if (ok) {
        memcpy(it->key, r->id, r->id_len);
        it->key[r->id_len] = 0;
    } else {
        snprintf(it->key, sizeof it->key, "seq-%llu", (unsigned long long)it->seq);
    }
}

static void decide_slice(stream_slice *sl)
{
    stream_core *c = sl->core;
    const stream_opts *o = c->o;
    sl->out.len = 0;
    for (size_t i = sl->from; i < sl->to; i++) {
        stream_item *it = &sl->items[i];
        size_t start = sl->out.len;
        if (it->len > o->max_line) {
            char msg[160], buf[512];
            snprintf(msg, sizeof msg, "line is %zu bytes; the limit is %zu (--max-line)", it->len,
                     o->max_line);
            size_t n = arb_error_record(buf, sizeof buf, NULL, 0, (unsigned long)it->seq,
                                        ARB_TOO_BIG, msg);
            cli_str_put(&sl->out, buf, n < sizeof buf ? n : sizeof buf - 1);
            it->action = -1;
            snprintf(it->key, sizeof it->key, "seq-%llu", (unsigned long long)it->seq);
        } else {
            cli_record r;
            cli_record_parse(&r, it->data, it->len, o->at_ms, o->max_text);
            it->action = cli_decide_line(c->engine, sl->s, &r, (unsigned long)it->seq, &sl->out);
            if (sl->out.len > start && sl->out.p[sl->out.len - 1] == '\n')
                sl->out.len--; /* messages carry no newline */
            key_for(it, &r);
            cli_record_free(&r);
        }
        /* offset for now; made a pointer once the buffer stops moving */
        it->out = (const char *)(uintptr_t)start;
        it->out_len = sl->out.len - start;
    }
}

static void *slice_main(void *arg)
{
    decide_slice(arg);
    return NULL;
}

void stream_decide(stream_core *c, stream_item *items, size_t n)
{
    if (n == 0)
        return;
    size_t per = (n + (size_t)c->jobs - 1) / (size_t)c->jobs;
    long used = 0;
    for (long i = 0; i < c->jobs; i++) {
        stream_slice *sl = &c->sl[i];
        sl->items = items;
        sl->from = (size_t)i * per < n ? (size_t)i * per : n;
        sl->to = sl->from + per < n ? sl->from + per : n;
        if (sl->from < sl->to)
            used = i + 1;
    }
    for (long i = 1; i < used; i++)
        pthread_create(&c->sl[i].th, NULL, slice_main, &c->sl[i]);
    decide_slice(&c->sl[0]);
    for (long i = 1; i < used; i++)
        pthread_join(c->sl[i].th, NULL);
    for (long i = 0; i < used; i++) {
        stream_slice *sl = &c->sl[i];
        for (size_t k = sl->from; k < sl->to; k++) {
            stream_item *it = &items[k];
            it->out = sl->out.p + (uintptr_t)it->out;
            if (it->action < 0)
                c->errors++;
            else {
                c->decisions++;
                c->actions[it->action & 3]++;
            }
        }
    }
    c->processed += n;
    c->batches++;
}

/* ------------------------------------------------------------------ */
/* NATS helpers                                                        */
/* ------------------------------------------------------------------ */

static void nats_err(const char *what, natsStatus s, jsErrCode je)
{
    const char *last = nats_GetLastError(NULL);
    fprintf(stderr, "arbiter stream: %s: %s (%d)%s%s\n", what, natsStatus_GetText(s), (int)je,
            last ? ": " : "", last ? last : "");
}

static void on_nats_error(natsConnection *nc, natsSubscription *sub, natsStatus err, void *closure)
{
    (void)nc;
    (void)sub;
    (void)closure;
    /* slow-consumer and similar async errors: visible, not fatal */
    fprintf(stderr, "arbiter stream: nats: %s\n", natsStatus_GetText(err));
}

/* Connects to the comma-separated URL list with unlimited reconnects. */
static natsStatus nats_connect(natsConnection **nc, const char *urls, const char *name,
                               int connect_retry)
{
    natsOptions *no = NULL;
    char *dup = strdup(urls);
    const char *list[32];
    int n = 0;
    for (char *save = NULL, *t = strtok_r(dup, ",", &save); t && n < 32;
         t = strtok_r(NULL, ",", &save))
        list[n++] = t;
    natsStatus s = natsOptions_Create(&no);
    if (s == NATS_OK)
        s = natsOptions_SetServers(no, list, n);
    if (s == NATS_OK)
        s = natsOptions_SetMaxReconnect(no, -1);
    if (s == NATS_OK)
        s = natsOptions_SetReconnectWait(no, 250);
    if (s == NATS_OK)
        s = natsOptions_SetTimeout(no, 2000);
    if (s == NATS_OK)
        s = natsOptions_SetReconnectBufSize(no, 64 * 1024 * 1024);
    if (s == NATS_OK && name)
        s = natsOptions_SetName(no, name);
    if (s == NATS_OK)
        s = natsOptions_SetErrorHandler(no, on_nats_error, NULL);
    for (int attempt = 0; s == NATS_OK; attempt++) {
        s = natsConnection_Connect(nc, no);
        if (s == NATS_OK || attempt >= connect_retry)
            break;
        stream_sleep_ms(500);
        s = NATS_OK;
    }
    natsOptions_Destroy(no);
    free(dup);
    return s;
}

/* Name of the stream that holds `subject` ($JS.API.STREAM.NAMES). */
static char *nats_stream_for(natsConnection *nc, const char *subject)
{
    char req[600], esc[500];
    arb_json_escape(esc, sizeof esc, subject, strlen(subject));
    int n = snprintf(req, sizeof req, "{\"subject\":\"%s\"}", esc);
    natsMsg *reply = NULL;
    if (natsConnection_Request(&reply, nc, "$JS.API.STREAM.NAMES", req, n, 5000) != NATS_OK)
        return NULL;
    char *name = NULL;
    json_t *root = json_loadb(natsMsg_GetData(reply), (size_t)natsMsg_GetDataLength(reply), 0, NULL);
    json_t *arr = root ? json_object_get(root, "streams") : NULL;
    if (json_is_array(arr) && json_array_size(arr) == 1 && json_is_string(json_array_get(arr, 0)))
        name = strdup(json_string_value(json_array_get(arr, 0)));
    json_decref(root);
    natsMsg_Destroy(reply);
    return name;
}

/* ------------------------------------------------------------------ */
/* NATS worker                                                         */
/* ------------------------------------------------------------------ */

typedef struct nats_ctx {
    stream_core *c;
    natsConnection *nc;
    jsCtx *js;
    atomic_ulong pub_failed;
} nats_ctx;

static void on_pub_err(jsCtx *js, jsPubAckErr *pae, void *closure)
{
    (void)js;
    (void)pae;
    nats_ctx *x = closure;
    atomic_fetch_add(&x->pub_failed, 1); /* the batch is republished synchronously */
}

static void on_policy_msg(natsConnection *nc, natsSubscription *sub, natsMsg *msg, void *closure)
{
    (void)nc;
    (void)sub;
    stream_core *c = closure;
    stream_core_request(c, natsMsg_GetData(msg), (size_t)natsMsg_GetDataLength(msg));
    natsMsg_Destroy(msg);
}

static const char *subject_for(const stream_opts *o, const stream_item *it)
{
    return it->action < 0 && o->errors ? o->errors : o->out;
}

/* Publishes every output of the batch and waits for JetStream's acks.
 * Returns 0 when all are stored (or recognised as duplicates), -1 if some
 * could not be published within the retry budget. */
static int nats_publish_batch(nats_ctx *x, stream_item *items, size_t n)
{
    stream_core *c = x->c;
    const stream_opts *o = c->o;
    atomic_store(&x->pub_failed, 0);
    bool failed = false;
    for (size_t i = 0; i < n && !failed; i++) {
        jsPubOptions po;
        jsPubOptions_Init(&po);
        po.MsgId = items[i].key;
        natsStatus s;
        int stalls = 0;
        /* NATS_TIMEOUT: --max-inflight publishes are unacknowledged; wait */
        while ((s = js_PublishAsync(x->js, subject_for(o, &items[i]), items[i].out,
                                    (int)items[i].out_len, &po)) == NATS_TIMEOUT &&
               ++stalls < 150) {
        }
        if (s != NATS_OK)
            failed = true;
    }
    jsPubOptions wo;
    jsPubOptions_Init(&wo);
    wo.MaxWait = 5000;
    if (js_PublishAsyncComplete(x->js, &wo) != NATS_OK) {
        natsMsgList pending = {0};
        if (js_PublishAsyncGetPendingList(&pending, x->js) == NATS_OK)
            natsMsgList_Destroy(&pending);
        failed = true;
    }
    if (!failed && atomic_load(&x->pub_failed) == 0)
        return 0;
    /* Some publish failed or timed out (a server went away, a leader is being
     * elected).  Publish the whole batch again, synchronously: what already
     * reached the stream is dropped there as a duplicate (same Nats-Msg-Id). */
    c->publish_retries++;
    stream_log(c, "publish_retry", NULL);
    double deadline = stream_now() + 120.0;
    for (size_t i = 0; i < n; i++) {
        long backoff = 100;
        for (;;) {
            jsPubOptions po;
            jsPubOptions_Init(&po);
            po.MsgId = items[i].key;
            po.MaxWait = 5000;
            jsPubAck *pa = NULL;
            jsErrCode je = 0;
            natsStatus s = js_Publish(&pa, x->js, subject_for(o, &items[i]), items[i].out,
                                      (int)items[i].out_len, &po, &je);
            jsPubAck_Destroy(pa);
            if (s == NATS_OK)
                break;
            if (stream_now() > deadline) {
                nats_err("publish", s, je);
                return -1;
            }
            stream_sleep_ms(backoff);
            backoff = backoff < 2000 ? backoff * 2 : 2000;
        }
    }
    return 0;
}

static int nats_bind(nats_ctx *x, const stream_opts *o, jsOptions *jo, natsSubscription **sub)
{
    stream_core *c = x->c;
    char *stream = o->stream ? strdup(o->stream) : NULL;
    double deadline = stream_now() + 60.0;
    while (!stream) {
        stream = nats_stream_for(x->nc, o->in);
        if (stream)
            break;
        if (stream_now() > deadline || atomic_load(&c->stop)) {
            fprintf(stderr, "arbiter stream: no JetStream stream holds subject %s (give --stream)\n",
                    o->in);
            return CLI_EXIT_IO;
        }
        stream_sleep_ms(500);
    }
    jsConsumerConfig cc;
    jsConsumerConfig_Init(&cc);
    cc.Durable = o->durable;
    cc.AckPolicy = js_AckExplicit;
    cc.AckWait = (int64_t)o->ack_wait_s * 1000000000LL;
    cc.MaxDeliver = o->max_deliver;
    cc.MaxAckPending = o->max_ack_pending;
    cc.FilterSubject = o->in;
    cc.DeliverPolicy = js_DeliverAll;
    natsStatus s = NATS_OK;
    jsErrCode je = 0;
    for (;;) {
        jsConsumerInfo *ci = NULL;
        je = 0;
        s = js_GetConsumerInfo(&ci, x->js, stream, o->durable, jo, &je);
        if (s == NATS_NOT_FOUND || je == JSConsumerNotFoundErr) {
            je = 0;
            s = js_AddConsumer(&ci, x->js, stream, &cc, jo, &je);
            if (s == NATS_OK) {
                char extra[300];
                snprintf(extra, sizeof extra, "\"stream\":\"%s\",\"durable\":\"%s\"", stream,
                         o->durable);
                stream_log(c, "consumer_created", extra);
            }
        }
        jsConsumerInfo_Destroy(ci);
        if (s == NATS_OK) {
            jsSubOptions so;
            jsSubOptions_Init(&so);
            so.Stream = stream;
            so.Consumer = o->durable;
            so.ManualAck = true;
            s = js_PullSubscribe(sub, x->js, o->in, o->durable, jo, &so, &je);
            if (s == NATS_OK)
                break;
        }
        if (stream_now() > deadline || atomic_load(&c->stop)) {
            nats_err("binding to the durable consumer", s, je);
            free(stream);
            return CLI_EXIT_IO;
        }
        stream_sleep_ms(500);
    }
    char extra[400];
    snprintf(extra, sizeof extra, "\"stream\":\"%s\",\"durable\":\"%s\",\"in\":\"%s\"", stream,
             o->durable, o->in);
    stream_log(c, "bound", extra);
    free(stream);
    return 0;
}

/* Fetches up to --batch messages (the client library returns early with
 * what the server had when fewer are waiting), waiting at most a second. */
static natsStatus nats_fetch(natsSubscription *sub, long batch, natsMsgList *list)
{
    jsErrCode je = 0;
    return natsSubscription_Fetch(list, sub, (int)batch, 1000, &je);
}

static void nats_heartbeat(nats_ctx *x)
{
    stream_core *c = x->c;
    cli_str s = {0};
    stream_core_status(c, &s);
    if (c->o->status_subject)
        natsConnection_Publish(x->nc, c->o->status_subject, s.p, (int)s.len);
    stream_core_log_status(c, &s);
    cli_str_free(&s);
}

static int nats_run(stream_core *c, const stream_opts *o)
{
    nats_ctx x = {.c = c};
    natsSubscription *sub = NULL, *psub = NULL;
    int rc = 0;
    natsStatus s = nats_connect(&x.nc, o->nats, c->worker, 20);
    if (s != NATS_OK) {
        nats_err("connect", s, 0);
        return CLI_EXIT_IO;
    }
    jsOptions jo;
    jsOptions_Init(&jo);
    jo.Wait = 5000;
    jo.PublishAsync.MaxPending = o->max_inflight;
    jo.PublishAsync.StallWait = 200;
    jo.PublishAsync.ErrHandler = on_pub_err;
    jo.PublishAsync.ErrHandlerClosure = &x;
    s = natsConnection_JetStream(&x.js, x.nc, &jo);
    if (s != NATS_OK) {
        nats_err("jetstream", s, 0);
        natsConnection_Destroy(x.nc);
        return CLI_EXIT_IO;
    }
    rc = nats_bind(&x, o, &jo, &sub);
    if (rc)
        goto out;
    if (o->policy_subject &&
        (s = natsConnection_Subscribe(&psub, x.nc, o->policy_subject, on_policy_msg, c)) != NATS_OK) {
        nats_err("subscribe to the policy subject", s, 0);
        rc = CLI_EXIT_IO;
        goto out;
    }
    stream_log(c, "start", NULL);
    stream_item *items = calloc((size_t)o->batch, sizeof *items);
    double next_beat = stream_now(); /* announce the policy hash at once */
    while (!atomic_load(&c->stop)) {
        unsigned long reloads = c->reloads;
        stream_core_reload(c);
        if (stream_now() >= next_beat || c->reloads != reloads) {
            nats_heartbeat(&x);
            next_beat = stream_now() + (double)o->status_interval_s;
        }
        natsMsgList list = {0};
        s = nats_fetch(sub, o->batch, &list);
        if (s == NATS_TIMEOUT || s == NATS_NOT_FOUND)
            continue;
        if (s != NATS_OK) {
            /* disconnected, a consumer leader moving: try again shortly */
            stream_sleep_ms(200);
            continue;
        }
        size_t n = (size_t)list.Count;
        for (size_t i = 0; i < n; i++) {
            natsMsg *m = list.Msgs[i];
            stream_item *it = &items[i];
            memset(it, 0, sizeof *it);
            it->data = natsMsg_GetData(m);
            it->len = (size_t)natsMsg_GetDataLength(m);
            if (!it->data)
                it->data = "";
            jsMsgMetaData *md = NULL;
            if (natsMsg_GetMetaData(&md, m) == NATS_OK) {
                it->seq = md->Sequence.Stream;
                if (md->NumDelivered > 1)
                    c->redelivered++;
            }
            jsMsgMetaData_Destroy(md);
        }
        stream_decide(c, items, n);
        if (nats_publish_batch(&x, items, n) == 0) {
            /* "+ACK" to the reply subject is the JetStream ack; natsMsg_Ack()
             * flushes the connection per message (~0.2 ms each), this lets
             * the acks of a batch go out in one write.  A lost ack only
             * means a redelivery, whose decision the stream drops as a
             * duplicate. */
            for (size_t i = 0; i < n; i++) {
                const char *reply = natsMsg_GetReply(list.Msgs[i]);
                if (reply)
                    natsConnection_Publish(x.nc, reply, "+ACK", 4);
            }
        } else {
            /* not stored: let them come back (to any worker) a little later */
            for (size_t i = 0; i < n; i++)
                natsMsg_NakWithDelay(list.Msgs[i], 2000, &jo);
        }
        natsMsgList_Destroy(&list);
    }
    free(items);
    natsConnection_FlushTimeout(x.nc, 5000); /* the last acks */
    nats_heartbeat(&x);
    natsConnection_FlushTimeout(x.nc, 2000);
    stream_log(c, "stop", NULL);
out:
    /* bound to an existing durable: destroying the subscription leaves the
     * consumer on the server for the other workers */
    natsSubscription_Destroy(sub);
    natsSubscription_Destroy(psub);
    jsCtx_Destroy(x.js);
    natsConnection_Destroy(x.nc);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Tools for tests and benchmarks (hidden: `arbiter stream tool ...`)  */
/* ------------------------------------------------------------------ */

static int tool_usage(void)
{
    fputs("usage: arbiter stream tool setup   --nats URLS --stream NAME --subjects A,B\n"
          "                                   [--replicas N] [--dupe-window SEC] [--memory]\n"
          "       arbiter stream tool delete  --nats URLS --stream NAME\n"
          "       arbiter stream tool publish --nats URLS --subject S [--max-inflight N]\n"
          "                                   [--core] [FILE]  (one message per line)\n"
          "       arbiter stream tool count   --nats URLS --stream NAME [--subject S]\n"
          "                                   [--wait N --timeout SEC]\n"
          "       arbiter stream tool collect --nats URLS --stream NAME --subject S\n"
          "       arbiter stream tool kafka-mock|kafka-publish|kafka-collect ... (see --help)\n",
          stderr);
    return CLI_EXIT_USAGE;
}

static int tool_nats(int argc, char **argv)
{
    static const struct option opts[] = {
        {"nats", required_argument, 0, 'n'},     {"stream", required_argument, 0, 's'},
        {"subjects", required_argument, 0, 'S'}, {"subject", required_argument, 0, 'u'},
        {"replicas", required_argument, 0, 'r'}, {"dupe-window", required_argument, 0, 'd'},
        {"memory", no_argument, 0, 'm'},         {"max-inflight", required_argument, 0, 'i'},
        {"wait", required_argument, 0, 'w'},     {"timeout", required_argument, 0, 't'},
        {"core", no_argument, 0, 'c'},           {0, 0, 0, 0}};
    const char *what = argv[0], *urls = NULL, *stream = NULL, *subjects = NULL, *subject = NULL;
    long replicas = 1, dupe = 120, inflight = 4096, wait_n = -1, timeout = 60;
    bool memory = false, core = false;
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'n': urls = optarg; break;
        case 's': stream = optarg; break;
        case 'S': subjects = optarg; break;
        case 'u': subject = optarg; break;
        case 'r': replicas = strtol(optarg, NULL, 10); break;
        case 'd': dupe = strtol(optarg, NULL, 10); break;
        case 'm': memory = true; break;
        case 'c': core = true; break;
        case 'i': inflight = strtol(optarg, NULL, 10); break;
        case 'w': wait_n = strtol(optarg, NULL, 10); break;
        case 't': timeout = strtol(optarg, NULL, 10); break;
        default: return tool_usage();
        }
    }
    if (!urls)
        return tool_usage();
    natsConnection *nc = NULL;
    jsCtx *js = NULL;
    natsStatus s = nats_connect(&nc, urls, "arbiter-stream-tool", 40);
    jsOptions jo;
    jsOptions_Init(&jo);
    jo.Wait = 10000;
    jo.PublishAsync.MaxPending = inflight;
    if (s == NATS_OK)
        s = natsConnection_JetStream(&js, nc, &jo);
    if (s != NATS_OK) {
        nats_err("connect", s, 0);
        return CLI_EXIT_IO;
    }
    int rc = 0;
    double deadline = stream_now() + (double)timeout;
    if (!strcmp(what, "setup")) {
        if (!stream || !subjects)
            return tool_usage();
        char *dup = strdup(subjects);
        const char *list[16];
        int n = 0;
        for (char *save = NULL, *t = strtok_r(dup, ",", &save); t && n < 16;
             t = strtok_r(NULL, ",", &save))
            list[n++] = t;
        jsStreamConfig sc;
        jsStreamConfig_Init(&sc);
        sc.Name = stream;
        sc.Subjects = list;
        sc.SubjectsLen = n;
        sc.Replicas = replicas;
        sc.Duplicates = dupe * 1000000000LL;
        sc.Storage = memory ? js_MemoryStorage : js_FileStorage;
        jsErrCode je = 0;
        for (;;) {
            jsStreamInfo *si = NULL;
            s = js_AddStream(&si, js, &sc, &jo, &je);
            jsStreamInfo_Destroy(si);
            if (s == NATS_OK || stream_now() > deadline)
                break;
            stream_sleep_ms(500); /* JetStream meta leader not elected yet */
        }
        if (s != NATS_OK) {
            nats_err("add stream", s, je);
            rc = CLI_EXIT_IO;
        }
        free(dup);
    } else if (!strcmp(what, "delete")) {
        jsErrCode je = 0;
        if (!stream)
            return tool_usage();
        s = js_DeleteStream(js, stream, &jo, &je);
        if (s != NATS_OK && s != NATS_NOT_FOUND) {
            nats_err("delete stream", s, je);
            rc = CLI_EXIT_IO;
        }
    } else if (!strcmp(what, "publish")) {
        if (!subject)
            return tool_usage();
        FILE *f = optind < argc ? fopen(argv[optind], "rb") : stdin;
        if (!f) {
            fprintf(stderr, "arbiter stream tool: %s: %s\n", argv[optind], strerror(errno));
            return CLI_EXIT_IO;
        }
        char *line = NULL;
        size_t cap = 0;
        ssize_t len;
        unsigned long count = 0;
        while ((len = getline(&line, &cap, f)) >= 0) {
            if (len > 0 && line[len - 1] == '\n')
                len--;
            if (core)
                s = natsConnection_Publish(nc, subject, line, (int)len);
            else
                while ((s = js_PublishAsync(js, subject, line, (int)len, NULL)) == NATS_TIMEOUT) {
                }
            if (s != NATS_OK) {
                nats_err("publish", s, 0);
                rc = CLI_EXIT_IO;
                break;
            }
            count++;
        }
        free(line);
        if (f != stdin)
            fclose(f);
        jsPubOptions wo;
        jsPubOptions_Init(&wo);
        wo.MaxWait = 60000;
        if (core)
            natsConnection_FlushTimeout(nc, 5000);
        else if (rc == 0 && (s = js_PublishAsyncComplete(js, &wo)) != NATS_OK) {
            nats_err("publish (waiting for acks)", s, 0);
            rc = CLI_EXIT_IO;
        }
        printf("%lu\n", count);
    } else if (!strcmp(what, "count")) {
        if (!stream)
            return tool_usage();
        for (;;) {
            jsStreamInfo *si = NULL;
            jsErrCode je = 0;
            jsOptions io = jo;
            if (subject)
                io.Stream.Info.SubjectsFilter = subject;
            s = js_GetStreamInfo(&si, js, stream, &io, &je);
            if (s != NATS_OK && stream_now() < deadline) {
                jsStreamInfo_Destroy(si);
                stream_sleep_ms(250);
                continue;
            }
            uint64_t msgs = 0;
            if (s == NATS_OK && !subject)
                msgs = si->State.Msgs;
            else if (s == NATS_OK && si->State.Subjects)
                for (int i = 0; i < si->State.Subjects->Count; i++)
                    msgs += si->State.Subjects->List[i].Msgs;
            jsStreamInfo_Destroy(si);
            if (wait_n < 0 || (s == NATS_OK && msgs >= (uint64_t)wait_n) ||
                stream_now() > deadline) {
                if (s != NATS_OK) {
                    nats_err("stream info", s, je);
                    rc = CLI_EXIT_IO;
                }
                printf("%llu\n", (unsigned long long)msgs);
                break;
            }
            stream_sleep_ms(250);
        }
    } else if (!strcmp(what, "collect")) {
        if (!stream || !subject)
            return tool_usage();
        /* an ephemeral pull consumer over the whole subject: prints
         * "SEQ<TAB>MSGID<TAB>PAYLOAD" per stored message */
        jsSubOptions so;
        jsSubOptions_Init(&so);
        so.Stream = stream;
        so.Config.AckPolicy = js_AckNone;
        so.Config.DeliverPolicy = js_DeliverAll;
        natsSubscription *sub = NULL;
        jsErrCode je = 0;
        while ((s = js_PullSubscribe(&sub, js, subject, NULL, &jo, &so, &je)) != NATS_OK &&
               stream_now() < deadline)
            stream_sleep_ms(500); /* a leader election after a node loss */
        if (s != NATS_OK) {
            nats_err("collect", s, je);
            return CLI_EXIT_IO;
        }
        for (;;) {
            natsMsgList list = {0};
            jsFetchRequest fr;
            jsFetchRequest_Init(&fr);
            fr.Batch = 2000;
            fr.Expires = 1000LL * 1000000LL;
            s = natsSubscription_FetchRequest(&list, sub, &fr);
            if (s != NATS_OK || list.Count == 0) {
                if (s != NATS_OK && s != NATS_TIMEOUT)
                    nats_err("collect (fetch)", s, 0);
                if (s == NATS_OK)
                    natsMsgList_Destroy(&list);
                break;
            }
            for (int i = 0; i < list.Count; i++) {
                natsMsg *m = list.Msgs[i];
                const char *id = "";
                natsMsgHeader_Get(m, "Nats-Msg-Id", &id);
                jsMsgMetaData *md = NULL;
                unsigned long long seq = 0;
                if (natsMsg_GetMetaData(&md, m) == NATS_OK)
                    seq = (unsigned long long)md->Sequence.Stream;
                jsMsgMetaData_Destroy(md);
                printf("%llu\t%s\t", seq, id ? id : "");
                fwrite(natsMsg_GetData(m), 1, (size_t)natsMsg_GetDataLength(m), stdout);
                putchar('\n');
            }
            natsMsgList_Destroy(&list);
        }
        natsSubscription_Unsubscribe(sub); /* ephemeral: deleting it is right */
        natsSubscription_Destroy(sub);
    } else {
        rc = tool_usage();
    }
    fflush(stdout);
    jsCtx_Destroy(js);
    natsConnection_Destroy(nc);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Command line                                                        */
/* ------------------------------------------------------------------ */

static void usage(FILE *f)
{
    fputs(
        "usage: arbiter stream --nats URL[,URL...] --in SUBJECT --out SUBJECT [options]\n"
        "       arbiter stream --kafka BROKERS --in TOPIC --out TOPIC --group G [options]\n"
        "\n"
        "A worker: takes posts (one JSON Lines record per message) from NATS JetStream or\n"
        "Kafka and publishes one decision per post -- the same JSON `arbiter scan` prints\n"
        "for that line.  Start as many workers as needed; they share the load.\n"
        "At-least-once with idempotent output: an input is acknowledged (NATS) or its\n"
        "offset committed (Kafka) only after its decision was stored by the server.\n"
        "The output message id (NATS Nats-Msg-Id) or key (Kafka) is the post id.\n"
        "Error records carry \"line\": the input's stream sequence (NATS) or offset+1\n"
        "(Kafka).\n"
        "\n"
        "  --in S / --out S    input and output subject (NATS) or topic (Kafka)\n"
        "  --errors S          error records go here (default: --out)\n"
        "  --stream NAME       NATS: the input stream (default: looked up by --in)\n"
        "  --durable NAME      NATS: shared durable pull consumer (default arbiter)\n"
        "  --group G           Kafka: consumer group (required with --kafka)\n"
        "  --policy PATH       policy pack (.yaml file or directory); default: embedded\n"
        "  --policy-subject S  NATS: a message here reloads the policy; payload is a\n"
        "                      path, or \"reload\" (SIGHUP does the same)\n"
        "  --status-subject S  heartbeat with worker id, policy hash and counts\n"
        "  --status-interval N seconds between heartbeats (default 10)\n"
        "  --worker-id ID      name in logs and heartbeats (default host:pid)\n"
        "  -j, --jobs N        decision threads (default 1)\n"
        "  --batch N           messages fetched and decided at a time (default 256)\n"
        "  --max-inflight N    unacknowledged publishes at most (default 1024)\n"
        "  --ack-wait SEC      NATS: redelivery after SEC without ack (default 30)\n"
        "  --max-deliver N     NATS: deliveries of one message at most (default 5)\n"
        "  --max-ack-pending N NATS: unacked messages across workers (default 20000)\n"
        "  -X, --kafka-conf K=V  Kafka: a librdkafka property for the consumer and the\n"
        "                      producer (security.protocol, sasl.*, session.timeout.ms..)\n"
        "  --at T / --max-line N / --max-text N   as for `arbiter scan`\n"
        "\n"
        "SIGHUP reloads the policy (a broken one is refused, the old one kept);\n"
        "SIGTERM finishes the current batch, then exits 0.\n"
        "Exit status: 0 stopped by a signal, 2 usage, 3 policy, 4 connection/stream error.\n",
        f);
}

int cmd_stream(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "tool")) {
        if (argc < 3)
            return tool_usage();
        if (!strncmp(argv[2], "kafka-", 6))
            return stream_kafka_tool(argc - 2, argv + 2);
        return tool_nats(argc - 2, argv + 2);
    }
    static const struct option opts[] = {
        {"nats", required_argument, 0, 'N'},
        {"kafka", required_argument, 0, 'K'},
        {"in", required_argument, 0, 'i'},
        {"out", required_argument, 0, 'o'},
        {"errors", required_argument, 0, 'e'},
        {"stream", required_argument, 0, 's'},
        {"durable", required_argument, 0, 'd'},
        {"group", required_argument, 0, 'g'},
        {"policy", required_argument, 0, 'p'},
        {"policy-subject", required_argument, 0, 'P'},
        {"status-subject", required_argument, 0, 'S'},
        {"status-interval", required_argument, 0, 'I'},
        {"worker-id", required_argument, 0, 'W'},
        {"jobs", required_argument, 0, 'j'},
        {"batch", required_argument, 0, 'b'},
        {"max-inflight", required_argument, 0, 'f'},
        {"ack-wait", required_argument, 0, 'a'},
        {"max-deliver", required_argument, 0, 'D'},
        {"max-ack-pending", required_argument, 0, 'A'},
        {"at", required_argument, 0, 't'},
        {"max-line", required_argument, 0, 'L'},
        {"max-text", required_argument, 0, 'T'},
        {"kafka-conf", required_argument, 0, 'X'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    stream_opts o = {.durable = "arbiter", .jobs = 1, .batch = 256, .max_inflight = 1024,
                     .ack_wait_s = 30, .max_deliver = 5, .max_ack_pending = 20000,
                     .status_interval_s = 10, .max_line = 1u << 20, .at_ms = -1};
    arb_limits lim;
    arb_limits_default(&lim);
    o.max_text = lim.max_text_bytes;
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "j:hX:", opts, NULL)) != -1) {
        char *end = NULL;
        long v = 0;
        switch (ch) {
        case 'N': o.nats = optarg; break;
        case 'K': o.kafka = optarg; break;
        case 'i': o.in = optarg; break;
        case 'o': o.out = optarg; break;
        case 'e': o.errors = optarg; break;
        case 's': o.stream = optarg; break;
        case 'd': o.durable = optarg; break;
        case 'g': o.group = optarg; break;
        case 'p': o.policy = optarg; break;
        case 'P': o.policy_subject = optarg; break;
        case 'S': o.status_subject = optarg; break;
        case 'W': o.worker_id = optarg; break;
        case 'j': case 'b': case 'f': case 'a': case 'D': case 'A': case 'I': {
            v = strtol(optarg, &end, 10);
            long hi = ch == 'j' ? 256 : ch == 'b' ? 100000 : 10000000;
            if (*end || v < (ch == 'D' ? -1 : 1) || v > hi || v == 0) {
                fprintf(stderr, "arbiter stream: %s: expected a number 1..%ld\n", optarg, hi);
                return CLI_EXIT_USAGE;
            }
            if (ch == 'j') o.jobs = v;
            else if (ch == 'b') o.batch = v;
            else if (ch == 'f') o.max_inflight = v;
            else if (ch == 'a') o.ack_wait_s = v;
            else if (ch == 'D') o.max_deliver = v;
            else if (ch == 'A') o.max_ack_pending = v;
            else o.status_interval_s = v;
            break;
        }
        case 't':
            if (arb_parse_time(optarg, strlen(optarg), &o.at_ms) != ARB_OK) {
                fprintf(stderr, "arbiter stream: --at %s: not an RFC 3339 time\n", optarg);
                return CLI_EXIT_USAGE;
            }
            break;
        case 'L':
        case 'T': {
            unsigned long long b = strtoull(optarg, &end, 10);
            if (*end || b < 16 || b > (1ull << 30)) {
                fprintf(stderr, "arbiter stream: %s: expected a byte count 16..1073741824\n", optarg);
                return CLI_EXIT_USAGE;
            }
            if (ch == 'L')
                o.max_line = (size_t)b;
            else
                o.max_text = (size_t)b;
            break;
        }
        case 'X':
            if (!strchr(optarg, '=') || o.n_kconf >= 32) {
                fprintf(stderr, "arbiter stream: -X %s: expected KEY=VALUE (32 at most)\n", optarg);
                return CLI_EXIT_USAGE;
            }
            o.kconf[o.n_kconf++] = optarg;
            break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return CLI_EXIT_USAGE;
        }
    }
    if (optind < argc || !o.nats == !o.kafka || !o.in || !o.out || (o.kafka && !o.group)) {
        fprintf(stderr, "arbiter stream: give --nats or --kafka, --in and --out%s\n",
                o.kafka ? ", and --group" : "");
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (o.nats && strchr(o.durable, '.')) {
        fprintf(stderr, "arbiter stream: --durable must not contain '.'\n");
        return CLI_EXIT_USAGE;
    }
    stream_core c;
    int rc = stream_core_init(&c, &o);
    if (rc == 0)
        rc = o.kafka ? stream_kafka_run(&c, &o) : nats_run(&c, &o);
    stream_core_free(&c);
    if (o.nats)
        nats_Close();
    return rc;
}
