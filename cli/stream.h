/*
 * stream.h -- what the `arbiter stream` transports (stream.c: NATS
 * JetStream, stream_kafka.c: Kafka) share: the command-line options, and a
 * "core" that decides a batch of input messages with N threads, reloads the
 * policy between batches, counts, and logs JSON lines on stderr.
 *
 * Invariants the core keeps:
 *  - one input message -> exactly one output message: the same bytes
 *    `arbiter scan` prints for that line (without the newline), a decision or
 *    an error record; the error record's "line" is the message's stream
 *    sequence (NATS) or partition offset + 1 (Kafka), 0/omitted if unknown;
 *  - the engine is only swapped between batches (stream_core_reload), never
 *    while a batch is being decided;
 *  - signals (TERM, INT, HUP) are taken by one sigwait thread that only sets
 *    atomic flags; the transports poll them between batches.
 */
#ifndef ARB_CLI_STREAM_H
#define ARB_CLI_STREAM_H

#include "cli.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>

#define STREAM_KEY_MAX 256 /* longest post id used as message id / key */

typedef struct stream_opts {
    const char *nats, *kafka;         /* exactly one is set                  */
    const char *in, *out, *errors;    /* subjects / topics                  */
    const char *stream, *durable;     /* NATS                               */
    const char *group;                /* Kafka                              */
    const char *policy;               /* NULL: embedded default              */
    const char *policy_subject;       /* NATS: reload requests              */
    const char *status_subject;       /* heartbeat subject / topic          */
    const char *worker_id;            /* default host:pid                   */
    long jobs, batch, max_inflight;
    long ack_wait_s, max_deliver, max_ack_pending;
    long status_interval_s;
    size_t max_text, max_line;
    int64_t at_ms;
    const char *kconf[32];           /* Kafka: -X key=value, passed through */
    int n_kconf;
} stream_opts;

/* One input message of a batch.  The transport fills data/len/seq; the core
 * fills the rest (out is valid until the next stream_decide). */
typedef struct stream_item {
    const char *data;
    size_t len;
    uint64_t seq;               /* "line" of an error record (0: omitted)   */
    int action;                 /* >= 0 decision, -1 error record           */
    const char *out;            /* the output message, no newline           */
    size_t out_len;
    char key[STREAM_KEY_MAX + 32]; /* message id / key                     */
} stream_item;

typedef struct stream_slice {
    arb_scratch *s;
    cli_str out;
    stream_item *items;
    size_t from, to;
    pthread_t th;
    struct stream_core *core;
} stream_slice;

typedef struct stream_core {
    const stream_opts *o;
    arb_engine *engine;
    char *policy_path;          /* malloc'd, NULL: embedded                 */
    stream_slice *sl;
    long jobs;
    char worker[160];
    /* counters (only the transport thread writes them) */
    unsigned long processed, decisions, errors, redelivered, batches, reloads,
        reload_failures, publish_retries;
    unsigned long actions[4];
    double t_start;
    /* set by the signal thread or transport callbacks */
    atomic_int stop, reload;
    pthread_mutex_t lock;       /* guards pending_path                      */
    char *pending_path;         /* requested by a policy-update message     */
    pthread_t sig_th;
    sigset_t sigs;
    atomic_int sig_done;
    bool sig_started;
} stream_core;

/* Blocks TERM/INT/HUP/USR1 in the calling thread (call first, before any
 * library starts threads), loads the policy, makes the scratches and starts
 * the signal thread.  Returns 0 or a CLI_EXIT_* code. */
int stream_core_init(stream_core *c, const stream_opts *o);
void stream_core_free(stream_core *c);

/* Decides items[0..n) and fills their outputs and keys; updates counters. */
void stream_decide(stream_core *c, stream_item *items, size_t n);

/* If a reload was requested (SIGHUP or stream_core_request), compiles the
 * new policy and swaps it in; a broken policy is refused and the old engine
 * kept.  Call between batches only.  Logs either way. */
void stream_core_reload(stream_core *c);

/* Asks for a reload: `path` NULL or "reload" re-reads the current path. */
void stream_core_request(stream_core *c, const char *path, size_t len);

/* The heartbeat / status record (JSON, no newline) into `out`, and the
 * same record as a log line on stderr. */
void stream_core_status(stream_core *c, cli_str *out);
void stream_core_log_status(stream_core *c, const cli_str *status);

/* Writes one JSON log line {"ts","worker","event",...policy...} to stderr;
 * `extra` is NULL or more JSON members without braces ("\"n\":3"). */
void stream_log(stream_core *c, const char *event, const char *extra);

double stream_now(void);
void stream_sleep_ms(long ms);

/* Kafka worker and test helpers (stream_kafka.c). */
int stream_kafka_run(stream_core *c, const stream_opts *o);
int stream_kafka_tool(int argc, char **argv);

#endif
