/*
 * server.h -- private state of arbiterd shared by arbiterd.c, http.c and
 * store.c (review.c sees only arbd.h, plus the moderator check below).
 *
 * Invariants:
 *  - `engine` is replaced only under `engine_mu`; a handler takes its own
 *    reference (arbd_engine_acquire) so a reload never frees an engine that
 *    a request still uses.
 *  - `db` is used only under `db_mu` (arbd_db_lock); the connection is
 *    opened once at start and closed after the HTTP daemon has stopped.
 *  - Decisions of /v1/check and /v1/batch are written by ONE thread, the
 *    group-commit writer (store.c): requests queue under `wq_mu` and are
 *    answered only after the transaction holding them has committed.
 *  - Secrets are never kept in clear: API tokens are SHA-256 hex digests,
 *    moderator passwords crypt(3) hashes.
 *  - Counters in `metrics` change only under `metrics.mu`.
 */
#ifndef ARBD_SERVER_H
#define ARBD_SERVER_H

#include "arbd.h"
#include "db.h" /* arbd_sha256_hex */

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

enum { ARBD_LOG_DEBUG = 0, ARBD_LOG_INFO = 1, ARBD_LOG_WARN = 2, ARBD_LOG_ERROR = 3 };

typedef struct arbd_token {
    char *name;
    arbd_role role;
    char sha256[65];          /* SHA-256 of the token, lowercase hex */
} arbd_token;

typedef struct arbd_moderator {
    char *name;
    char *hash; /* crypt(3) string, e.g. "$y$..." */
} arbd_moderator;

typedef struct arbd_config {
    char *listen_addr;        /* "127.0.0.1" */
    unsigned port;            /* 8080 */
    unsigned threads;         /* HTTP worker threads */
    char *policy_path;        /* NULL: the embedded default pack */
    char *policy_brief_path;  /* HTML shown on the review page, or NULL */
    char *db_path;            /* "arbiter.db" */
    bool sync_full;           /* PRAGMA synchronous=FULL (else NORMAL) */
    unsigned wal_rewind_mb;   /* hold writers to rewind the WAL past this size */
    unsigned commit_batch;    /* most decisions in one group commit */
    size_t max_body;          /* bytes */
    size_t max_batch;         /* posts per /v1/batch */
    unsigned max_connections;
    unsigned connection_timeout_s; /* idle / slow-client timeout */
    unsigned request_timeout_ms;   /* time budget for deciding one request */
    unsigned shutdown_grace_s;     /* wait for in-flight requests on SIGTERM */
    size_t max_text;          /* post text bytes */
    int log_level;
    bool secure_cookies;
    arbd_token *tokens;
    size_t n_tokens;
    arbd_moderator *moderators;
    size_t n_moderators;
} arbd_config;

/* Prometheus counters. */
enum {
    ARBD_ROUTE_CHECK, ARBD_ROUTE_BATCH, ARBD_ROUTE_POLICIES, ARBD_ROUTE_RELOAD,
    ARBD_ROUTE_HEALTHZ, ARBD_ROUTE_READYZ, ARBD_ROUTE_METRICS, ARBD_ROUTE_REVIEW,
    ARBD_ROUTE_OTHER, ARBD_ROUTE__COUNT
};
#define ARBD_LAT_BUCKETS 14
#define ARBD_STATUS_SLOTS 16
#define ARBD_LABEL_CAP 2048

typedef struct arbd_label_count {
    char *action, *rule, *country;
    uint64_t n;
} arbd_label_count;

typedef struct arbd_metrics {
    pthread_mutex_t mu;
    /* requests by route and status: small open table per route */
    int status_code[ARBD_ROUTE__COUNT][ARBD_STATUS_SLOTS];
    uint64_t status_n[ARBD_ROUTE__COUNT][ARBD_STATUS_SLOTS];
    uint64_t lat_bucket[ARBD_ROUTE__COUNT][ARBD_LAT_BUCKETS]; /* non-cumulative */
    uint64_t lat_count[ARBD_ROUTE__COUNT];
    double lat_sum[ARBD_ROUTE__COUNT];
    arbd_label_count *decisions; /* open list, capped at ARBD_LABEL_CAP */
    size_t n_decisions;
    uint64_t decisions_overflow;
    uint64_t reloads_ok, reloads_failed;
} arbd_metrics;

struct arbd_server {
    arbd_config cfg;
    char *config_path;

    pthread_mutex_t engine_mu;
    arb_engine *engine;
    int64_t loaded_at_ms;
    char *brief_html;           /* under engine_mu */
    char **old_briefs;          /* replaced briefs, freed at exit */
    size_t n_old_briefs;
    pthread_mutex_t reload_mu;  /* one reload at a time */

    pthread_mutex_t db_mu;
    sqlite3 *db;
    sqlite3_stmt *st_insert, *st_select; /* cached, under db_mu */
    /* WAL checkpoints run on their own thread and connection, so that no
     * request pays for one (see store.c). */
    pthread_t ckpt_thread;
    pthread_mutex_t ckpt_mu;
    pthread_cond_t ckpt_cv;
    bool ckpt_started, ckpt_stop, ckpt_want;
    int ckpt_frames;            /* WAL frames backfilled by the last pass */

    /* Group commit (store.c): the queue of decisions waiting for the
     * writer thread, under wq_mu.  wq_cv wakes the writer, wq_done_cv the
     * submitters that wait in place (arbd_store_submit with no callback). */
    pthread_t writer_thread;
    pthread_mutex_t wq_mu;
    pthread_cond_t wq_cv, wq_done_cv;
    struct arbd_store_req *wq_head, *wq_tail;
    bool writer_started, writer_stop;
    bool wq_busy;               /* a commit of decisions is running */
    bool wq_rewinding;          /* the checkpointer holds the db to rewind the WAL */
    double wq_duty;             /* share of recent time a commit ran (store.c) */
    uint64_t duty_busy_ns, duty_busy_since, duty_window_start;
    uint64_t commits, committed_decisions; /* under wq_mu, for /metrics */
    uint64_t wal_rewinds;       /* under wq_mu, for /metrics */
    double wal_rewind_s;

    struct MHD_Daemon *mhd;
    pthread_key_t scratch_key;  /* per-thread arb_scratch */
    atomic_uint_fast64_t next_request;
    atomic_int inflight;
    atomic_bool draining;
    atomic_int connections;     /* open HTTP connections */
    int64_t boot_ms;
    arbd_metrics metrics;
};

/* Milliseconds since the epoch (CLOCK_REALTIME) and a monotonic clock. */
int64_t arbd_now_ms(void);
double arbd_mono_s(void);

/* JSON log line on stderr: {"ts","level","msg", extra...}.  `extra` is
 * either NULL or a string of already-encoded members starting with ','. */
void arbd_log(arbd_server *s, int level, const char *msg, const char *extra);
void arbd_logf(arbd_server *s, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Moderator password check for the login page: true when `name` is a
 * configured moderator and crypt_r(password, hash) matches.  Constant time
 * in the comparison of the hash strings. */

/* Compiles the configured policy and swaps it in.  On failure the running
 * engine stays and `err` holds "FILE:LINE:COL: message".  Thread-safe. */
int arbd_reload(arbd_server *s, char *err, size_t errlen);

/* http.c: start / quiesce / stop the HTTP daemon. */
int arbd_http_start(arbd_server *s, char *err, size_t errlen);
void arbd_http_quiesce(arbd_server *s);
void arbd_http_stop(arbd_server *s);
void arbd_metrics_init(arbd_metrics *m);
void arbd_metrics_free(arbd_metrics *m);

/* store.c: one decision to store, and what became of it. */
typedef struct arbd_store_item {
    const arb_post *post;
    const char *json;      /* the decision record */
    size_t json_len;
    const char *action, *rule;
    const char *key;       /* idempotency key; NULL or "": the post id */
    /* out */
    int rc;                /* 0 stored or replayed, -2 key used for another post */
    int64_t id;            /* decision id (new or earlier) */
    bool created;          /* false: an earlier decision was replayed */
    char *stored_json;     /* when replayed: the earlier record (malloc'd) */
} arbd_store_item;

/* The decisions of one request (one post of /v1/check, all the posts of a
 * /v1/batch), all made under one policy, to be stored together. */
typedef struct arbd_store_req {
    arbd_store_item *items;
    size_t n;
    const char *policy_id, *policy_version, *policy_hash;
    /* Called on the writer thread once the request's transaction has
     * committed or failed (rc set); must not block.  NULL: the submitter
     * waits in arbd_store_submit. */
    void (*done)(struct arbd_store_req *r, void *ud);
    void *ud;
    int rc;  /* out: 0 committed (see each item's rc), -1 nothing stored */
    /* private to store.c */
    bool finished;
    struct arbd_store_req *next;
} arbd_store_req;

/* Group commit.  Queues r for the writer thread, which stores the requests
 * waiting at that moment (up to cfg.commit_batch decisions) in ONE
 * transaction, calling arbd_review_on_decision() for each new row; when
 * that transaction fails, each of its requests is retried in its own, so a
 * bad request never fails its neighbours.  With r->done NULL this returns
 * after the commit; otherwise it returns at once and r->done runs later on
 * the writer thread (or before this returns, when no writer runs: then the
 * request is stored on the calling thread). */
void arbd_store_submit(arbd_server *s, arbd_store_req *r);
/* Stores r on the calling thread, at once, in its own transaction, when no
 * commit of decisions runs and none waits (then returns true with r->rc
 * set, r->done not called); otherwise returns false and leaves r to
 * arbd_store_submit.  At low load every request takes this path and pays
 * no hand-off to another thread. */
bool arbd_store_now(arbd_server *s, arbd_store_req *r);
/* Starts / stops (after storing everything queued) the writer thread. */
int arbd_store_writer_start(arbd_server *s, char *err, size_t errlen);
void arbd_store_writer_stop(arbd_server *s);
/* Starts / stops the background WAL checkpointer (after arbd_store_open). */
int arbd_store_checkpointer_start(arbd_server *s, char *err, size_t errlen);
void arbd_store_checkpointer_stop(arbd_server *s);
/* Finalizes cached statements and closes the connection. */
int arbd_store_close(arbd_server *s);

/* Reads back the stored analysis JSON and post text of a decision (malloc'd).
 * Returns 0, or -1 when not found. */
int arbd_store_get(arbd_server *s, int64_t decision_id, char **analysis,
                   char **text, size_t *text_len);
/* Open cases in the review queue (-1 when the queue table is absent). */
int64_t arbd_store_queue_depth(arbd_server *s);
/* Opens the database file with WAL and the configured sync mode. */
int arbd_store_open(const arbd_config *cfg, sqlite3 **db, char *err,
                    size_t errlen);

#endif
