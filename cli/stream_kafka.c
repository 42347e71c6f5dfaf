/*
 * stream_kafka.c -- the Kafka transport of `arbiter stream` (librdkafka),
 * and the hidden Kafka test helpers (`arbiter stream tool kafka-mock |
 * kafka-publish | kafka-collect`).
 *
 * What the worker keeps true:
 *  - consumer group with enable.auto.commit=false: an offset is committed
 *    only after every decision of its batch was delivered (acks=all,
 *    enable.idempotence=true, delivery reports checked after a flush);
 *  - the output message key is the post id (so a compacted output topic
 *    keeps one decision per post even when a crash makes a batch run twice;
 *    Kafka has no broker-side dedupe by id the way JetStream has);
 *  - when partitions are revoked (a worker joins or leaves), the batch in
 *    hand is finished and committed inside the rebalance callback, before
 *    the partitions go, so a graceful rebalance produces no duplicates;
 *  - bounded memory: --batch messages at a time, at most --max-inflight
 *    undelivered produces (queue.buffering.max.messages; a full queue makes
 *    the worker wait, polling delivery reports);
 *  - a delivery that fails for good (after librdkafka's own retries) stops
 *    the worker with exit 4 before the offsets are committed: the batch is
 *    redone by whoever takes the partitions.
 */
#include "stream.h"

#include <errno.h>
#include <getopt.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct kafka_ctx {
    stream_core *c;
    const stream_opts *o;
    rd_kafka_t *cons, *prod;
    rd_kafka_message_t **msgs; /* the batch in hand (items: same size)      */
    size_t n, cap;
    stream_item *items;
    bool paused;
    atomic_ulong dr_failed;
    bool fatal;
    /* offsets of delivered batches whose commit the group refused (during
     * a rebalance): retried before the partitions are revoked */
    rd_kafka_topic_partition_list_t *uncommitted;
    unsigned long uncommitted_n; /* messages behind those offsets */
} kafka_ctx;

static bool conf_set(rd_kafka_conf_t *conf, const char *k, const char *v)
{
    char err[512];
    if (rd_kafka_conf_set(conf, k, v, err, sizeof err) != RD_KAFKA_CONF_OK) {
        fprintf(stderr, "arbiter stream: kafka %s=%s: %s\n", k, v, err);
        return false;
    }
    return true;
}

/* -X key=value properties, set on both the consumer and the producer
 * (librdkafka warns about, and ignores, a property that is not for it). */
static bool conf_user(rd_kafka_conf_t *conf, const stream_opts *o)
{
    for (int i = 0; i < o->n_kconf; i++) {
        char kv[512];
        snprintf(kv, sizeof kv, "%s", o->kconf[i]);
        char *eq = strchr(kv, '=');
        *eq = 0;
        if (!conf_set(conf, kv, eq + 1))
            return false;
    }
    return true;
}

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
    (void)rk;
    kafka_ctx *k = opaque;
    if (m->err) {
        atomic_fetch_add(&k->dr_failed, 1);
        fprintf(stderr, "arbiter stream: kafka delivery failed: %s\n", rd_kafka_err2str(m->err));
    }
}

static void produce(kafka_ctx *k, const char *topic, const char *key, size_t klen,
                    const char *val, size_t vlen)
{
    for (;;) {
        rd_kafka_resp_err_t e = rd_kafka_producev(
            k->prod, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_KEY(key, klen),
            RD_KAFKA_V_VALUE((void *)val, vlen), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
            RD_KAFKA_V_END);
        if (e == RD_KAFKA_RESP_ERR_NO_ERROR)
            return;
        if (e == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
            rd_kafka_poll(k->prod, 100); /* back-pressure: wait for deliveries */
            continue;
        }
        fprintf(stderr, "arbiter stream: kafka produce: %s\n", rd_kafka_err2str(e));
        atomic_fetch_add(&k->dr_failed, 1);
        return;
    }
}

/* Adds a consumed message to the batch in hand.  The arrays grow past
 * --batch only while the worker holds still during a rebalance (messages
 * fetched before the pause); librdkafka's prefetch limits bound that. */
static void kafka_hold(kafka_ctx *k, rd_kafka_message_t *m)
{
    if (k->n == k->cap) {
        size_t cap = k->cap * 2;
        k->msgs = realloc(k->msgs, cap * sizeof *k->msgs);
        k->items = realloc(k->items, cap * sizeof *k->items);
        k->cap = cap;
    }
    k->msgs[k->n++] = m;
}

static void kafka_drop_held(kafka_ctx *k)
{
    for (size_t i = 0; i < k->n; i++)
        rd_kafka_message_destroy(k->msgs[i]);
    k->n = 0;
}

static void kafka_pause(kafka_ctx *k, bool pause)
{
    rd_kafka_topic_partition_list_t *tpl = NULL;
    if (rd_kafka_assignment(k->cons, &tpl) == RD_KAFKA_RESP_ERR_NO_ERROR && tpl) {
        if (pause)
            rd_kafka_pause_partitions(k->cons, tpl);
        else
            rd_kafka_resume_partitions(k->cons, tpl);
        rd_kafka_topic_partition_list_destroy(tpl);
    }
    k->paused = pause;
}

/* Commits k->uncommitted (synchronously); keeps it for a retry when the
 * group refuses, e.g. REBALANCE_IN_PROGRESS. */
static void kafka_commit(kafka_ctx *k)
{
    if (!k->uncommitted || k->uncommitted->cnt == 0)
        return;
    rd_kafka_resp_err_t e = rd_kafka_commit(k->cons, k->uncommitted, 0);
    if (e == RD_KAFKA_RESP_ERR_NO_ERROR || e == RD_KAFKA_RESP_ERR__NO_OFFSET) {
        rd_kafka_topic_partition_list_destroy(k->uncommitted);
        k->uncommitted = NULL;
        k->uncommitted_n = 0;
        return;
    }
    char extra[300];
    snprintf(extra, sizeof extra, "\"error\":\"%s\",\"will_retry\":true", rd_kafka_err2name(e));
    stream_log(k->c, "commit_failed", extra);
}

/* Decides, produces and commits the batch in hand.  Returns 0, or -1 when
 * a delivery failed (then nothing is committed and k->fatal is set). */
static int kafka_finish_batch(kafka_ctx *k)
{
    stream_core *c = k->c;
    const stream_opts *o = k->o;
    if (k->n == 0 || k->fatal)
        return k->fatal ? -1 : 0;
    for (size_t i = 0; i < k->n; i++) {
        stream_item *it = &k->items[i];
        memset(it, 0, sizeof *it);
        it->data = k->msgs[i]->payload ? k->msgs[i]->payload : "";
        it->len = k->msgs[i]->len;
        it->seq = (uint64_t)k->msgs[i]->offset + 1;
    }
    stream_decide(c, k->items, k->n);
    atomic_store(&k->dr_failed, 0);
    for (size_t i = 0; i < k->n; i++) {
        stream_item *it = &k->items[i];
        produce(k, it->action < 0 && o->errors ? o->errors : o->out, it->key, strlen(it->key),
                it->out, it->out_len);
    }
    while (rd_kafka_outq_len(k->prod) > 0)
        rd_kafka_flush(k->prod, 1000);
    if (atomic_load(&k->dr_failed)) {
        stream_log(c, "delivery_failed", NULL);
        k->fatal = true;
        return -1;
    }
    if (!k->uncommitted)
        k->uncommitted = rd_kafka_topic_partition_list_new((int)k->n);
    for (size_t i = 0; i < k->n; i++) {
        rd_kafka_message_t *m = k->msgs[i];
        const char *t = rd_kafka_topic_name(m->rkt);
        rd_kafka_topic_partition_t *p =
            rd_kafka_topic_partition_list_find(k->uncommitted, t, m->partition);
        if (!p)
            p = rd_kafka_topic_partition_list_add(k->uncommitted, t, m->partition);
        if (m->offset + 1 > p->offset)
            p->offset = m->offset + 1;
    }
    k->uncommitted_n += k->n;
    kafka_commit(k);
    for (size_t i = 0; i < k->n; i++)
        rd_kafka_message_destroy(k->msgs[i]);
    k->n = 0;
    return 0;
}

static void on_rebalance(rd_kafka_t *rk, rd_kafka_resp_err_t err,
                         rd_kafka_topic_partition_list_t *parts, void *opaque)
{
    kafka_ctx *k = opaque;
    bool coop = !strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE");
    char extra[64];
    snprintf(extra, sizeof extra, "\"partitions\":%d", parts->cnt);
    if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
        stream_log(k->c, "assigned", extra);
        if (coop)
            rd_kafka_error_destroy(rd_kafka_incremental_assign(rk, parts));
        else
            rd_kafka_assign(rk, parts);
    } else {
        /* Before the partitions move: commit what a refused commit left,
         * then finish the batch in hand.  If the group still refuses, the
         * next owner redoes that batch (same keys), and what we hold but
         * have not produced is dropped: the next owner reads it again. */
        for (int i = 0; i < 10 && k->uncommitted; i++) {
            kafka_commit(k);
            if (k->uncommitted)
                stream_sleep_ms(100);
        }
        if (!k->uncommitted)
            kafka_finish_batch(k);
        else
            kafka_drop_held(k);
        if (k->uncommitted) {
            char ex[96];
            snprintf(ex, sizeof ex, "\"messages\":%lu", k->uncommitted_n);
            stream_log(k->c, "commit_abandoned", ex); /* the next owner redoes them */
            rd_kafka_topic_partition_list_destroy(k->uncommitted);
            k->uncommitted = NULL;
            k->uncommitted_n = 0;
        }
        if (k->paused)
            kafka_pause(k, false); /* pause state outlives the assignment */
        stream_log(k->c, "revoked", extra);
        if (coop)
            rd_kafka_error_destroy(rd_kafka_incremental_unassign(rk, parts));
        else
            rd_kafka_assign(rk, NULL);
    }
}

static void kafka_heartbeat(kafka_ctx *k)
{
    stream_core *c = k->c;
    cli_str s = {0};
    stream_core_status(c, &s);
    if (c->o->status_subject)
        produce(k, c->o->status_subject, c->worker, strlen(c->worker), s.p, s.len);
    stream_core_log_status(c, &s);
    cli_str_free(&s);
}

int stream_kafka_run(stream_core *c, const stream_opts *o)
{
    kafka_ctx k = {.c = c, .o = o};
    char err[512], num[32];
    if (o->policy_subject)
        stream_log(c, "warning", "\"message\":\"--policy-subject is NATS only; use SIGHUP\"");
    /* producer */
    rd_kafka_conf_t *pc = rd_kafka_conf_new();
    snprintf(num, sizeof num, "%ld", o->max_inflight);
    if (!conf_set(pc, "bootstrap.servers", o->kafka) || !conf_set(pc, "client.id", c->worker) ||
        !conf_set(pc, "enable.idempotence", "true") || !conf_set(pc, "acks", "all") ||
        !conf_set(pc, "linger.ms", "5") || !conf_set(pc, "queue.buffering.max.messages", num) ||
        !conf_user(pc, o)) {
        rd_kafka_conf_destroy(pc);
        return CLI_EXIT_USAGE;
    }
    rd_kafka_conf_set_dr_msg_cb(pc, on_delivery);
    rd_kafka_conf_set_opaque(pc, &k);
    k.prod = rd_kafka_new(RD_KAFKA_PRODUCER, pc, err, sizeof err);
    if (!k.prod) {
        fprintf(stderr, "arbiter stream: kafka producer: %s\n", err);
        return CLI_EXIT_IO;
    }
    /* consumer */
    rd_kafka_conf_t *cc = rd_kafka_conf_new();
    if (!conf_set(cc, "bootstrap.servers", o->kafka) || !conf_set(cc, "client.id", c->worker) ||
        !conf_set(cc, "group.id", o->group) || !conf_set(cc, "enable.auto.commit", "false") ||
        !conf_set(cc, "auto.offset.reset", "earliest") ||
        !conf_set(cc, "enable.partition.eof", "false") || !conf_user(cc, o)) {
        rd_kafka_conf_destroy(cc);
        rd_kafka_destroy(k.prod);
        return CLI_EXIT_USAGE;
    }
    rd_kafka_conf_set_rebalance_cb(cc, on_rebalance);
    rd_kafka_conf_set_opaque(cc, &k);
    k.cons = rd_kafka_new(RD_KAFKA_CONSUMER, cc, err, sizeof err);
    if (!k.cons) {
        fprintf(stderr, "arbiter stream: kafka consumer: %s\n", err);
        rd_kafka_destroy(k.prod);
        return CLI_EXIT_IO;
    }
    rd_kafka_poll_set_consumer(k.cons);
    rd_kafka_topic_partition_list_t *sub = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(sub, o->in, RD_KAFKA_PARTITION_UA);
    rd_kafka_resp_err_t e = rd_kafka_subscribe(k.cons, sub);
    rd_kafka_topic_partition_list_destroy(sub);
    if (e) {
        fprintf(stderr, "arbiter stream: kafka subscribe %s: %s\n", o->in, rd_kafka_err2str(e));
        rd_kafka_destroy(k.cons);
        rd_kafka_destroy(k.prod);
        return CLI_EXIT_IO;
    }
    k.cap = (size_t)o->batch;
    k.msgs = calloc(k.cap, sizeof *k.msgs);
    k.items = calloc(k.cap, sizeof *k.items);
    stream_log(c, "start", NULL);
    double next_beat = stream_now(); /* announce the policy hash at once */
    while (!atomic_load(&c->stop) && !k.fatal) {
        unsigned long reloads = c->reloads;
        stream_core_reload(c);
        if (stream_now() >= next_beat || c->reloads != reloads) {
            kafka_heartbeat(&k);
            next_beat = stream_now() + (double)o->status_interval_s;
        }
        rd_kafka_poll(k.prod, 0);
        if (k.uncommitted) {
            kafka_commit(&k);
            if (k.uncommitted) {
                /* the group refused a commit: it is rebalancing.  Hold still
                 * (no new batch) until the revoke callback settles it. */
                if (!k.paused)
                    kafka_pause(&k, true);
                rd_kafka_message_t *m = rd_kafka_consumer_poll(k.cons, 100);
                if (m && !m->err)
                    kafka_hold(&k, m);
                else if (m)
                    rd_kafka_message_destroy(m);
                continue;
            }
        }
        if (k.paused)
            kafka_pause(&k, false);
        while (k.n < (size_t)o->batch) {
            rd_kafka_message_t *m = rd_kafka_consumer_poll(k.cons, k.n == 0 ? 500 : 0);
            if (!m)
                break;
            if (m->err) {
                if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
                    char extra[300];
                    snprintf(extra, sizeof extra, "\"error\":\"%s\"", rd_kafka_err2name(m->err));
                    stream_log(c, "consume_error", extra);
                }
                rd_kafka_message_destroy(m);
                continue;
            }
            kafka_hold(&k, m);
        }
        kafka_finish_batch(&k);
    }
    if (!k.uncommitted)
        kafka_finish_batch(&k);
    kafka_heartbeat(&k);
    rd_kafka_consumer_close(k.cons); /* revokes: nothing left in hand */
    rd_kafka_flush(k.prod, 10000);
    stream_log(c, k.fatal ? "stop_failed" : "stop", NULL);
    kafka_drop_held(&k);
    if (k.uncommitted)
        rd_kafka_topic_partition_list_destroy(k.uncommitted);
    free(k.msgs);
    free(k.items);
    rd_kafka_destroy(k.cons);
    rd_kafka_destroy(k.prod);
    return k.fatal ? CLI_EXIT_IO : 0;
}

/* ------------------------------------------------------------------ */
/* Test helpers                                                        */
/* ------------------------------------------------------------------ */

static int kafka_tool_usage(void)
{
    fputs("usage: arbiter stream tool kafka-mock [--brokers N] [--topic NAME:PARTITIONS]...\n"
          "         prints the bootstrap servers, serves until SIGTERM or stdin closes\n"
          "       arbiter stream tool kafka-publish --kafka BROKERS --topic T [FILE]\n"
          "       arbiter stream tool kafka-collect --kafka BROKERS --topic T [--timeout SEC]\n"
          "         the whole topic, as PARTITION:OFFSET<TAB>KEY<TAB>VALUE lines\n",
          stderr);
    return CLI_EXIT_USAGE;
}

static int tool_mock(int argc, char **argv)
{
    long brokers = 3;
    const char *topics[32];
    int nt = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--brokers") && i + 1 < argc)
            brokers = strtol(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--topic") && i + 1 < argc && nt < 32)
            topics[nt++] = argv[++i];
        else
            return kafka_tool_usage();
    }
    sigset_t ss;
    sigemptyset(&ss);
    sigaddset(&ss, SIGTERM);
    sigaddset(&ss, SIGINT);
    pthread_sigmask(SIG_BLOCK, &ss, NULL);
    char err[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    conf_set(conf, "log_level", "3"); /* no "no bootstrap.servers" notice */
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
    if (!rk) {
        fprintf(stderr, "arbiter stream tool: %s\n", err);
        return CLI_EXIT_IO;
    }
    rd_kafka_mock_cluster_t *mc = rd_kafka_mock_cluster_new(rk, (int)brokers);
    if (!mc) {
        fprintf(stderr, "arbiter stream tool: cannot start the mock cluster\n");
        rd_kafka_destroy(rk);
        return CLI_EXIT_IO;
    }
    for (int i = 0; i < nt; i++) {
        char name[256];
        snprintf(name, sizeof name, "%s", topics[i]);
        char *colon = strrchr(name, ':');
        int parts = 1;
        if (colon) {
            *colon = 0;
            parts = (int)strtol(colon + 1, NULL, 10);
        }
        int rf = brokers < 3 ? (int)brokers : 3;
        rd_kafka_resp_err_t e = rd_kafka_mock_topic_create(mc, name, parts > 0 ? parts : 1, rf);
        if (e)
            fprintf(stderr, "arbiter stream tool: topic %s: %s\n", name, rd_kafka_err2str(e));
    }
    printf("%s\n", rd_kafka_mock_cluster_bootstraps(mc));
    fflush(stdout);
    int sig = 0;
    sigwait(&ss, &sig);
    rd_kafka_mock_cluster_destroy(mc);
    rd_kafka_destroy(rk);
    return 0;
}

static int tool_publish(const char *brokers, const char *topic, const char *file)
{
    char err[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    if (!conf_set(conf, "bootstrap.servers", brokers) || !conf_set(conf, "linger.ms", "20") ||
        !conf_set(conf, "queue.buffering.max.messages", "100000")) {
        rd_kafka_conf_destroy(conf);
        return CLI_EXIT_USAGE;
    }
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
    if (!rk) {
        fprintf(stderr, "arbiter stream tool: %s\n", err);
        return CLI_EXIT_IO;
    }
    FILE *f = file ? fopen(file, "rb") : stdin;
    if (!f) {
        fprintf(stderr, "arbiter stream tool: %s: %s\n", file, strerror(errno));
        rd_kafka_destroy(rk);
        return CLI_EXIT_IO;
    }
    /* round-robin over the partitions, so every worker gets a share */
    int parts = 1;
    const struct rd_kafka_metadata *md = NULL;
    rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, topic, NULL);
    if (rd_kafka_metadata(rk, 0, rkt, &md, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
        if (md->topic_cnt == 1 && md->topics[0].partition_cnt > 0)
            parts = md->topics[0].partition_cnt;
        rd_kafka_metadata_destroy(md);
    }
    rd_kafka_topic_destroy(rkt);
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    unsigned long count = 0;
    int rc = 0;
    while ((len = getline(&line, &cap, f)) >= 0) {
        if (len > 0 && line[len - 1] == '\n')
            len--;
        rd_kafka_resp_err_t e;
        while ((e = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic),
                                      RD_KAFKA_V_PARTITION((int32_t)(count % (unsigned long)parts)),
                                      RD_KAFKA_V_VALUE(line, (size_t)len),
                                      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                      RD_KAFKA_V_END)) == RD_KAFKA_RESP_ERR__QUEUE_FULL)
            rd_kafka_poll(rk, 50);
        if (e) {
            fprintf(stderr, "arbiter stream tool: produce: %s\n", rd_kafka_err2str(e));
            rc = CLI_EXIT_IO;
            break;
        }
        count++;
    }
    free(line);
    if (f != stdin)
        fclose(f);
    if (rd_kafka_flush(rk, 60000) != RD_KAFKA_RESP_ERR_NO_ERROR) {
        fprintf(stderr, "arbiter stream tool: flush timed out\n");
        rc = CLI_EXIT_IO;
    }
    printf("%lu\n", count);
    rd_kafka_destroy(rk);
    return rc;
}

/* Reads a whole topic: every partition from its low to its high watermark
 * (taken at the start), without a consumer group. */
static int tool_collect(const char *brokers, const char *topic, long timeout_s)
{
    char err[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    if (!conf_set(conf, "bootstrap.servers", brokers) || !conf_set(conf, "group.id", "unused") ||
        !conf_set(conf, "enable.auto.commit", "false")) {
        rd_kafka_conf_destroy(conf);
        return CLI_EXIT_USAGE;
    }
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
    if (!rk) {
        fprintf(stderr, "arbiter stream tool: %s\n", err);
        return CLI_EXIT_IO;
    }
    int rc = CLI_EXIT_IO;
    const struct rd_kafka_metadata *md = NULL;
    rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, topic, NULL);
    rd_kafka_topic_partition_list_t *tpl = NULL;
    double t0 = stream_now();
    rd_kafka_resp_err_t e;
    while ((e = rd_kafka_metadata(rk, 0, rkt, &md, 5000)) != RD_KAFKA_RESP_ERR_NO_ERROR ||
           md->topic_cnt != 1 || md->topics[0].err) {
        if (!e)
            rd_kafka_metadata_destroy(md);
        md = NULL;
        if (stream_now() - t0 > (double)timeout_s) {
            fprintf(stderr, "arbiter stream tool: no metadata for topic %s\n", topic);
            goto out;
        }
        stream_sleep_ms(200);
    }
    tpl = rd_kafka_topic_partition_list_new(md->topics[0].partition_cnt);
    long long total = 0;
    for (int i = 0; i < md->topics[0].partition_cnt; i++) {
        int32_t part = md->topics[0].partitions[i].id;
        int64_t lo = 0, hi = 0;
        if (rd_kafka_query_watermark_offsets(rk, topic, part, &lo, &hi, 10000)) {
            fprintf(stderr, "arbiter stream tool: watermarks of %s/%d\n", topic, (int)part);
            goto out;
        }
        total += hi - lo;
        if (lo > 0)
            fprintf(stderr, "arbiter stream tool: note: %s/%d starts at offset %lld (older "
                    "messages were deleted by retention)\n", topic, (int)part, (long long)lo);
        rd_kafka_topic_partition_list_add(tpl, topic, part)->offset = lo;
    }
    rd_kafka_assign(rk, tpl);
    long long count = 0;
    while (count < total && stream_now() - t0 < (double)timeout_s) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 200);
        if (!m)
            continue;
        if (!m->err) {
            printf("%d:%lld\t%.*s\t", (int)m->partition, (long long)m->offset, (int)m->key_len,
                   m->key ? (const char *)m->key : "");
            fwrite(m->payload, 1, m->len, stdout);
            putchar('\n');
            count++;
        }
        rd_kafka_message_destroy(m);
    }
    rc = count >= total ? 0 : CLI_EXIT_IO;
    if (rc)
        fprintf(stderr, "arbiter stream tool: read %lld of %lld messages\n", count, total);
out:
    fflush(stdout);
    if (tpl)
        rd_kafka_topic_partition_list_destroy(tpl);
    if (md)
        rd_kafka_metadata_destroy(md);
    rd_kafka_topic_destroy(rkt);
    rd_kafka_consumer_close(rk);
    rd_kafka_destroy(rk);
    return rc;
}

int stream_kafka_tool(int argc, char **argv)
{
    if (!strcmp(argv[0], "kafka-mock"))
        return tool_mock(argc, argv);
    static const struct option opts[] = {
        {"kafka", required_argument, 0, 'k'},  {"topic", required_argument, 0, 't'},
        {"timeout", required_argument, 0, 'T'}, {0, 0, 0, 0}};
    const char *brokers = NULL, *topic = NULL;
    long timeout = 120;
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'k': brokers = optarg; break;
        case 't': topic = optarg; break;
        case 'T': timeout = strtol(optarg, NULL, 10); break;
        default: return kafka_tool_usage();
        }
    }
    if (!brokers || !topic)
        return kafka_tool_usage();
    if (!strcmp(argv[0], "kafka-publish"))
        return tool_publish(brokers, topic, optind < argc ? argv[optind] : NULL);
    if (!strcmp(argv[0], "kafka-collect"))
        return tool_collect(brokers, topic, timeout);
    return kafka_tool_usage();
}
