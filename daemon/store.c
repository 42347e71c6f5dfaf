/*
 * store.c -- the decision log: one SQLite row per accepted decision.
 *
 * Invariants:
 *  - A decision is answered 200 only after the transaction that stores it
 *    has committed; with WAL a committed transaction survives kill -9 of
 *    the daemon (the WAL frames are in the OS page cache before COMMIT
 *    returns).  synchronous=FULL additionally fsyncs the WAL on every
 *    commit, so a decision survives power loss too; NORMAL (configurable)
 *    may lose the last commits on power loss but never on a process crash,
 *    and never corrupts the file.
 *  - `idem_key` is UNIQUE: a retried request (same Idempotency-Key, or the
 *    same post id when no key is given) never adds a second row; the first
 *    decision is returned instead.  A key reused for a different post is a
 *    conflict, not a replay.
 *  - arbd_review_on_decision() runs inside the same transaction as the
 *    INSERT, so a decision and its queue entry exist together or not at all.
 *  - Every use of the connection holds arbd_db_lock().
 *  - Group commit.  One commit of decisions runs at a time (`wq_busy`).  A
 *    request that finds none running and none queued commits its own
 *    decisions on its own thread (no hand-off: the low-load path).  One
 *    that finds a commit running but nobody queued, while commits have run
 *    less than half of the last 20 ms, waits for it (up to 1 ms) and then
 *    commits on its own thread, with whatever was queued meanwhile
 *    (moderate load: still no hand-off).  Otherwise it queues
 *    them, and the writer thread, as soon as the running commit ends,
 *    stores everything queued (up to cfg.commit_batch decisions) in ONE
 *    transaction (high load, or a commit held up by a WAL rewind).  Each request learns
 *    its outcome only after the transaction holding it committed or rolled
 *    back; a rolled-back group is retried one request per transaction, so
 *    every decision is stored exactly once or its request fails.
 *  - Requests never run a WAL checkpoint: the connection's auto-checkpoint
 *    is replaced by a WAL hook that wakes a checkpointer thread with its own
 *    connection, which runs PASSIVE checkpoints (they never block writers)
 *    every 1000 new WAL pages, and at least once a second.  Writers are held
 *    back (for one short pass, two fsyncs) only to rewind a WAL that has
 *    grown past cfg.wal_rewind_mb (256 MB by default); that pass used to run
 *    every 1000 pages and was the largest source of tail latency (2-10 ms
 *    without any commit).
 *
 * Schema (table `decisions`, read by review.c, db_*.c and `arbiter report`):
 *   id INTEGER PRIMARY KEY, idem_key TEXT UNIQUE, post_id, text,
 *   author_country, viewer_country ('' if none), lang, created_at (RFC 3339),
 *   created_ms, analysis (the decision JSON, same record as `arbiter scan`),
 *   action, rule, overlay, overlay_version ('' if none), policy_id,
 *   policy_version, policy_hash, decided_at (RFC 3339 UTC), decided_ms.
 */
#include "server.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS decisions ("
    " id INTEGER PRIMARY KEY,"
    " idem_key TEXT NOT NULL UNIQUE,"
    " post_id TEXT NOT NULL,"
    " text TEXT NOT NULL,"
    " author_country TEXT NOT NULL,"
    " viewer_country TEXT NOT NULL DEFAULT '',"
    " lang TEXT NOT NULL DEFAULT '',"
    " created_at TEXT NOT NULL,"
    " created_ms INTEGER NOT NULL,"
    " analysis TEXT NOT NULL,"
    " action TEXT NOT NULL,"
    " rule TEXT NOT NULL,"
    " policy_id TEXT NOT NULL,"
    " policy_version TEXT NOT NULL,"
    " policy_hash TEXT NOT NULL,"
    " decided_at TEXT NOT NULL,"
    " decided_ms INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS decisions_post ON decisions(post_id);"
    "CREATE INDEX IF NOT EXISTS decisions_decided ON decisions(decided_ms);";

int arbd_store_open(const arbd_config *cfg, sqlite3 **out, char *err, size_t errlen)
{
    const char *path = cfg->db_path;
    sqlite3 *db = NULL;
    *out = NULL;
    int rc = sqlite3_open_v2(path, &db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "%s: %s", path, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        return -1;
    }
    sqlite3_busy_timeout(db, 10000);
    char sql[256];
    /* journal_size_limit: a rewound WAL file is cut back to the rewind
     * size, not below it (no shrink-and-regrow on every rewind) */
    snprintf(sql, sizeof sql,
             "PRAGMA journal_mode=WAL; PRAGMA synchronous=%s; PRAGMA foreign_keys=ON;"
             " PRAGMA journal_size_limit=%llu;",
             cfg->sync_full ? "FULL" : "NORMAL", (unsigned long long)cfg->wal_rewind_mb << 20);
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, errlen, "%s: %s", path, msg ? msg : sqlite3_errmsg(db));
        sqlite3_free(msg);
        sqlite3_close(db);
        return -1;
    }
    *out = db;
    return 0;
}

int arbd_store_init(sqlite3 *db, char *err, size_t errlen)
{
    char *msg = NULL;
    if (sqlite3_exec(db, schema, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, errlen, "creating the decision log: %s", msg ? msg : sqlite3_errmsg(db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

static int exec0(sqlite3 *db, const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

static const char ins_sql[] =
    "INSERT OR IGNORE INTO decisions (idem_key, post_id, text, author_country,"
    " viewer_country, lang, created_at, created_ms, analysis, action, rule, policy_id,"
    " policy_version, policy_hash, decided_at, decided_ms)"
    " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16)";
static const char sel_sql[] =
    "SELECT id, post_id, text, analysis FROM decisions WHERE idem_key = ?1";

static char *dup_col(sqlite3_stmt *st, int i, size_t *len);

/* One item inside the open transaction.  Returns 0 (item->rc says stored,
 * replayed or conflict) or -1 on a database error. */
static int insert_locked(arbd_server *s, arbd_store_item *it, const char *policy_id,
                         const char *policy_version, const char *policy_hash, int64_t now,
                         const char *decided_at)
{
    sqlite3 *db = s->db;
    const arb_post *post = it->post;
    char created_at[32];
    arb_format_time(post->created_at_ms, created_at);
    const char *key = it->key;
    size_t key_len = key ? strlen(key) : 0;
    if (!key_len) {
        key = post->id ? post->id : "";
        key_len = post->id ? post->id_len : 0;
    }
    sqlite3_stmt *ins = s->st_insert, *sel = s->st_select;
    if (!ins && sqlite3_prepare_v3(db, ins_sql, -1, SQLITE_PREPARE_PERSISTENT, &s->st_insert,
                                   NULL) != SQLITE_OK)
        return -1;
    if (!sel && sqlite3_prepare_v3(db, sel_sql, -1, SQLITE_PREPARE_PERSISTENT, &s->st_select,
                                   NULL) != SQLITE_OK)
        return -1;
    ins = s->st_insert;
    sel = s->st_select;
    sqlite3_reset(ins);
    sqlite3_clear_bindings(ins);
    sqlite3_bind_text(ins, 1, key, (int)key_len, SQLITE_STATIC);
    sqlite3_bind_text(ins, 2, post->id ? post->id : "", post->id ? (int)post->id_len : 0,
                      SQLITE_STATIC);
    sqlite3_bind_text(ins, 3, post->text, (int)post->text_len, SQLITE_STATIC);
    sqlite3_bind_text(ins, 4, post->author_country, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 5, post->viewer_country, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 6, post->lang_hint ? post->lang_hint : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 7, created_at, -1, SQLITE_STATIC);
    sqlite3_bind_int64(ins, 8, post->created_at_ms);
    sqlite3_bind_text(ins, 9, it->json, (int)it->json_len, SQLITE_STATIC);
    sqlite3_bind_text(ins, 10, it->action, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 11, it->rule, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 12, policy_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 13, policy_version, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 14, policy_hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 15, decided_at, -1, SQLITE_STATIC);
    sqlite3_bind_int64(ins, 16, now);
    int rc = sqlite3_step(ins);
    sqlite3_reset(ins);
    if (rc != SQLITE_DONE)
        return -1;
    if (sqlite3_changes(db) == 1) {
        it->id = sqlite3_last_insert_rowid(db);
        if (arbd_review_on_decision(db, it->id, it->action) != 0)
            return -1;
        it->created = true;
        it->rc = 0;
        return 0;
    }
    /* the key is known: a retry (same post) or a conflict (another post) */
    sqlite3_reset(sel);
    sqlite3_bind_text(sel, 1, key, (int)key_len, SQLITE_STATIC);
    if (sqlite3_step(sel) != SQLITE_ROW) {
        sqlite3_reset(sel);
        return -1;
    }
    it->id = sqlite3_column_int64(sel, 0);
    const void *pid = sqlite3_column_blob(sel, 1);
    size_t pid_len = (size_t)sqlite3_column_bytes(sel, 1);
    const void *txt = sqlite3_column_blob(sel, 2);
    size_t txt_len = (size_t)sqlite3_column_bytes(sel, 2);
    size_t want_pid = post->id ? post->id_len : 0;
    bool same = pid_len == want_pid && txt_len == post->text_len &&
                (!pid_len || memcmp(pid, post->id, pid_len) == 0) &&
                (!txt_len || memcmp(txt, post->text, txt_len) == 0);
    if (same) {
        it->stored_json = dup_col(sel, 3, NULL);
        it->rc = it->stored_json ? 0 : -1;
    } else {
        it->rc = -2;
    }
    sqlite3_reset(sel);
    return it->rc == -1 ? -1 : 0;
}

static void item_reset(arbd_store_item *it)
{
    free(it->stored_json);
    it->stored_json = NULL;
    it->rc = -1;
    it->id = 0;
    it->created = false;
}

/* Stores the requests r[0..nr) in ONE transaction.  Holds arbd_db_lock().
 * Returns 0 when committed, -1 when rolled back (every item reset). */
static int store_group(arbd_server *s, arbd_store_req *const *r, size_t nr)
{
    sqlite3 *db = s->db;
    int64_t now = arbd_now_ms();
    char decided_at[32];
    arb_format_time(now, decided_at);
    for (size_t q = 0; q < nr; q++)
        for (size_t i = 0; i < r[q]->n; i++) {
            r[q]->items[i].stored_json = NULL;
            item_reset(&r[q]->items[i]);
        }
    arbd_db_lock(s);
    if (exec0(db, "BEGIN IMMEDIATE") != 0) {
        arbd_logf(s, ARBD_LOG_ERROR, "decision log: BEGIN: %s", sqlite3_errmsg(db));
        arbd_db_unlock(s);
        return -1;
    }
    bool ok = true;
    for (size_t q = 0; ok && q < nr; q++)
        for (size_t i = 0; ok && i < r[q]->n; i++)
            ok = insert_locked(s, &r[q]->items[i], r[q]->policy_id, r[q]->policy_version,
                               r[q]->policy_hash, now, decided_at) == 0;
    if (ok && exec0(db, "COMMIT") == 0) {
        arbd_db_unlock(s);
        return 0;
    }
    arbd_logf(s, ARBD_LOG_ERROR, "decision log: %s; a transaction of %zu requests rolled back",
              sqlite3_errmsg(db), nr);
    exec0(db, "ROLLBACK");
    arbd_db_unlock(s);
    for (size_t q = 0; q < nr; q++)
        for (size_t i = 0; i < r[q]->n; i++)
            item_reset(&r[q]->items[i]);
    return -1;
}

/* Stores a group, falling back to one transaction per request when the
 * group's fails, and completes every request.  Writer thread (or the
 * submitter when no writer runs).  Returns the number of commits. */
static unsigned store_and_complete(arbd_server *s, arbd_store_req **r, size_t nr)
{
    unsigned commits = 0;
    if (store_group(s, r, nr) == 0) {
        commits = 1;
        for (size_t q = 0; q < nr; q++)
            r[q]->rc = 0;
    } else {
        for (size_t q = 0; q < nr; q++) {
            r[q]->rc = nr > 1 ? store_group(s, &r[q], 1) : -1;
            commits += r[q]->rc == 0;
        }
    }
    /* A waiter's request lives on its stack and is gone once it sees
     * `finished`; a callback's may be freed by the callback.  So: waiters
     * to the front while all are alive, wake them, and touch only the
     * callbacks' requests afterwards, each up to its own callback. */
    size_t nw = 0;
    for (size_t q = 0; q < nr; q++)
        if (!r[q]->done) {
            arbd_store_req *t = r[nw];
            r[nw++] = r[q];
            r[q] = t;
        }
    pthread_mutex_lock(&s->wq_mu);
    s->commits += commits;
    for (size_t q = 0; q < nr; q++)
        if (r[q]->rc == 0)
            s->committed_decisions += r[q]->n;
    for (size_t q = 0; q < nw; q++)
        r[q]->finished = true;
    if (nw)
        pthread_cond_broadcast(&s->wq_done_cv);
    pthread_mutex_unlock(&s->wq_mu);
    for (size_t q = nw; q < nr; q++)
        r[q]->done(r[q], r[q]->ud); /* r[q] may be gone after this */
    return commits;
}

/* The share of time a commit of decisions ran, over windows of
 * DUTY_WINDOW_NS; under wq_mu.  It tells moderate load (a request may wait
 * for the running commit and commit on its own thread) from a writer that
 * is rarely idle (requests had better queue up for one group commit). */
enum { DUTY_WINDOW_NS = 20000000 };

static uint64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void busy_on(arbd_server *s)
{
    s->wq_busy = true;
    s->duty_busy_since = mono_ns();
}

static void busy_off(arbd_server *s)
{
    uint64_t now = mono_ns();
    s->wq_busy = false;
    s->duty_busy_ns += now - s->duty_busy_since;
    if (!s->duty_window_start) {
        s->duty_window_start = s->duty_busy_since;
    } else if (now - s->duty_window_start >= DUTY_WINDOW_NS) {
        s->wq_duty = (double)s->duty_busy_ns / (double)(now - s->duty_window_start);
        s->duty_busy_ns = 0;
        s->duty_window_start = now;
    }
}

/* Takes the commit for the calling thread when no commit runs and none
 * waits; under wq_mu. */
static bool claim_locked(arbd_server *s)
{
    if (s->wq_busy || s->wq_head)
        return false;
    busy_on(s);
    return true;
}

static void release(arbd_server *s)
{
    pthread_mutex_lock(&s->wq_mu);
    busy_off(s);
    if (s->wq_head)
        pthread_cond_signal(&s->wq_cv);
    pthread_cond_broadcast(&s->wq_done_cv); /* submitters waiting for a turn */
    pthread_mutex_unlock(&s->wq_mu);
}

/* How long a request waits for the running commit to end, when no other
 * request is queued, before it hands its decision to the writer instead.
 * A commit takes 0.05-0.3 ms; the hand-off (suspend, writer wake-up,
 * resume, worker wake-up) costs two thread switches, which on busy CPUs
 * were the largest part of the tail at moderate load.  A WAL rewind (a few
 * ms) outlasts the wait, and the request is handed off as before. */
enum { INLINE_WAIT_NS = 1000000, INLINE_GROUP_MAX = 32 };

bool arbd_store_now(arbd_server *s, arbd_store_req *r)
{
    r->rc = -1;
    arbd_store_req *group[INLINE_GROUP_MAX];
    size_t n = 0;
    pthread_mutex_lock(&s->wq_mu);
    if (s->wq_rewinding && s->writer_started) {
        /* the checkpointer holds the database for a WAL rewind (a few ms):
         * hand the decision off rather than block this worker's other
         * connections behind it */
        pthread_mutex_unlock(&s->wq_mu);
        return false;
    }
    bool mine = claim_locked(s);
    if (!mine && s->writer_started && !s->wq_head && s->wq_duty < 0.5) {
        /* the only one waiting: wait for the running commit, then commit
         * here, with whatever was queued meanwhile */
        struct timespec dl;
        clock_gettime(CLOCK_MONOTONIC, &dl);
        dl.tv_nsec += INLINE_WAIT_NS;
        if (dl.tv_nsec >= 1000000000L) {
            dl.tv_sec++;
            dl.tv_nsec -= 1000000000L;
        }
        while (s->wq_busy &&
               pthread_cond_timedwait(&s->wq_done_cv, &s->wq_mu, &dl) == 0)
            ;
        if (!s->wq_busy && !s->wq_rewinding) {
            busy_on(s);
            mine = true;
            /* requests queued while this one waited go in its commit */
            size_t decisions = r->n;
            while (s->wq_head && n + 1 < INLINE_GROUP_MAX &&
                   decisions + s->wq_head->n <= s->cfg.commit_batch) {
                arbd_store_req *q = s->wq_head;
                s->wq_head = q->next;
                if (!s->wq_head)
                    s->wq_tail = NULL;
                group[1 + n++] = q;
                decisions += q->n;
            }
        }
    }
    pthread_mutex_unlock(&s->wq_mu);
    if (!mine)
        return false;
    void (*done)(arbd_store_req *, void *) = r->done;
    r->done = NULL;
    group[0] = r;
    store_and_complete(s, group, n + 1);
    r->done = done;
    release(s);
    return true;
}

void arbd_store_submit(arbd_server *s, arbd_store_req *r)
{
    r->rc = -1;
    r->finished = false;
    r->next = NULL;
    pthread_mutex_lock(&s->wq_mu);
    if (!s->writer_started || s->writer_stop) {
        /* no writer (start-up, shutdown): store on this thread, one
         * commit at a time */
        while (s->wq_busy)
            pthread_cond_wait(&s->wq_done_cv, &s->wq_mu);
        busy_on(s);
        pthread_mutex_unlock(&s->wq_mu);
        store_and_complete(s, &r, 1);
        pthread_mutex_lock(&s->wq_mu);
        busy_off(s);
        pthread_cond_broadcast(&s->wq_done_cv);
        pthread_cond_signal(&s->wq_cv);
        pthread_mutex_unlock(&s->wq_mu);
        return;
    }
    if (s->wq_tail)
        s->wq_tail->next = r;
    else
        s->wq_head = r;
    s->wq_tail = r;
    if (!s->wq_busy)
        pthread_cond_signal(&s->wq_cv);
    if (!r->done)
        while (!r->finished)
            pthread_cond_wait(&s->wq_done_cv, &s->wq_mu);
    pthread_mutex_unlock(&s->wq_mu);
}

/* The group-commit writer: once no commit runs, takes whatever is queued
 * (up to cfg.commit_batch decisions, at least one request), stores it in
 * one transaction, completes it, and repeats; it never waits to fill a
 * batch.  On stop it drains the queue first. */
static void *writer(void *arg)
{
    arbd_server *s = arg;
    size_t cap = 64;
    arbd_store_req **batch = malloc(cap * sizeof *batch);
    pthread_mutex_lock(&s->wq_mu);
    for (;;) {
        while (!(s->wq_head && !s->wq_busy) && !(s->writer_stop && !s->wq_head))
            pthread_cond_wait(&s->wq_cv, &s->wq_mu);
        if (!s->wq_head)
            break; /* stopping, and nothing left */
        busy_on(s);
        size_t nr = 0, decisions = 0;
        while (s->wq_head && (nr == 0 || decisions + s->wq_head->n <= s->cfg.commit_batch)) {
            if (nr == cap) {
                arbd_store_req **nb = batch ? realloc(batch, 2 * cap * sizeof *nb) : NULL;
                if (!nb)
                    break;
                batch = nb;
                cap *= 2;
            }
            if (!batch)
                break;
            arbd_store_req *r = s->wq_head;
            s->wq_head = r->next;
            if (!s->wq_head)
                s->wq_tail = NULL;
            batch[nr++] = r;
            decisions += r->n;
        }
        pthread_mutex_unlock(&s->wq_mu);
        if (nr)
            store_and_complete(s, batch, nr);
        else /* no memory for the batch array: retry shortly */
            usleep(1000);
        pthread_mutex_lock(&s->wq_mu);
        busy_off(s);
        pthread_cond_broadcast(&s->wq_done_cv);
    }
    pthread_mutex_unlock(&s->wq_mu);
    free(batch);
    return NULL;
}

int arbd_store_writer_start(arbd_server *s, char *err, size_t errlen)
{
    pthread_mutex_init(&s->wq_mu, NULL);
    pthread_cond_init(&s->wq_cv, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC); /* arbd_store_now's deadline */
    pthread_cond_init(&s->wq_done_cv, &ca);
    pthread_condattr_destroy(&ca);

    s->wq_head = s->wq_tail = NULL;
    s->writer_stop = s->wq_busy = s->wq_rewinding = false;
    s->wq_duty = 0;
    s->duty_busy_ns = s->duty_busy_since = s->duty_window_start = 0;
    if (pthread_create(&s->writer_thread, NULL, writer, s) != 0) {
        snprintf(err, errlen, "cannot start the decision-log writer thread");
        return -1;
    }
    s->writer_started = true;
    return 0;
}

void arbd_store_writer_stop(arbd_server *s)
{
    if (!s->writer_started)
        return;
    pthread_mutex_lock(&s->wq_mu);
    s->writer_stop = true;
    pthread_cond_signal(&s->wq_cv);
    pthread_mutex_unlock(&s->wq_mu);
    pthread_join(s->writer_thread, NULL);
    /* later submitters store on their own thread (arbd_store_submit) */
    pthread_mutex_lock(&s->wq_mu);
    s->writer_started = false;
    pthread_mutex_unlock(&s->wq_mu);
}

int arbd_store_decision(arbd_server *s, const arb_post *post, const char *decision_json,
                        size_t json_len, const char *action, const char *rule,
                        const char *policy_id, const char *policy_version,
                        const char *policy_hash, const char *idempotency_key,
                        int64_t *decision_id)
{
    arbd_store_item it = {.post = post, .json = decision_json, .json_len = json_len,
                          .action = action, .rule = rule, .key = idempotency_key};
    arbd_store_req r = {.items = &it, .n = 1, .policy_id = policy_id,
                        .policy_version = policy_version, .policy_hash = policy_hash};
    arbd_store_submit(s, &r);
    free(it.stored_json);
    *decision_id = it.id;
    return r.rc == 0 && it.rc == 0 ? 0 : -1;
}

/* A passive checkpoint when the WAL passes CKPT_PAGES; the WAL is rewound
 * (which needs a checkpoint with no commit during it, so writers are held
 * for one short pass) only once it passes cfg.wal_rewind_mb. */
enum { CKPT_PAGES = 1000 };

/* Runs on every commit (under the writer's db lock): wakes the
 * checkpointer when CKPT_PAGES frames were added since its last pass, not
 * on every commit once the WAL is long. */
static int wal_hook(void *ud, sqlite3 *db, const char *name, int pages)
{
    arbd_server *s = ud;
    pthread_mutex_lock(&s->ckpt_mu);
    if (pages < s->ckpt_frames)
        s->ckpt_frames = 0; /* the WAL was rewound */
    if (!s->ckpt_want && pages - s->ckpt_frames >= CKPT_PAGES) {
        s->ckpt_want = true;
        pthread_cond_signal(&s->ckpt_cv);
    }
    pthread_mutex_unlock(&s->ckpt_mu);
    return SQLITE_OK;
}

static void *checkpointer(void *arg)
{
    arbd_server *s = arg;
    sqlite3 *db = NULL;
#ifdef __linux__
    /* Background work: on Linux a thread has its own nice value.  Copying
     * pages at nice 10 leaves the CPU to the request threads whenever they
     * can run; the passive checkpoints only need the idle time between. */
    if (setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 10) != 0)
        arbd_logf(s, ARBD_LOG_DEBUG, "checkpointer: cannot lower its priority");
#endif
    if (sqlite3_open_v2(s->cfg.db_path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        arbd_logf(s, ARBD_LOG_ERROR, "checkpointer: %s", db ? sqlite3_errmsg(db) : "open failed");
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, 1000);
    char sql[128];
    snprintf(sql, sizeof sql, "PRAGMA synchronous=%s; PRAGMA journal_size_limit=%llu",
             s->cfg.sync_full ? "FULL" : "NORMAL", (unsigned long long)s->cfg.wal_rewind_mb << 20);
    sqlite3_exec(db, sql, NULL, NULL, NULL);
    /* the rewind threshold in WAL frames (one page each) */
    long long rewind_pages = ((long long)s->cfg.wal_rewind_mb << 20) / 4096;
    sqlite3_stmt *ps = NULL;
    if (sqlite3_prepare_v2(db, "PRAGMA page_size", -1, &ps, NULL) == SQLITE_OK &&
        sqlite3_step(ps) == SQLITE_ROW && sqlite3_column_int(ps, 0) > 0)
        rewind_pages = ((long long)s->cfg.wal_rewind_mb << 20) / sqlite3_column_int(ps, 0);
    sqlite3_finalize(ps);
    pthread_mutex_lock(&s->ckpt_mu);
    while (!s->ckpt_stop) {
        if (!s->ckpt_want) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_sec += 1;
            pthread_cond_timedwait(&s->ckpt_cv, &s->ckpt_mu, &ts);
            if (s->ckpt_stop)
                break;
        }
        s->ckpt_want = false;
        pthread_mutex_unlock(&s->ckpt_mu);
        int log_pages = 0, done = 0;
        int rc = sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log_pages, &done);
        if (rc == SQLITE_OK && log_pages >= rewind_pages) {
            /* Under steady writes a passive checkpoint never catches up (the
             * commits made while it syncs are left over), and the WAL only
             * rewinds after a complete one: finish it with the writers held
             * back, copying just the frames added meanwhile.  That pass
             * costs two fsyncs (milliseconds on a VM disk) during which no
             * decision commits, hence only past wal_rewind_mb. */
            pthread_mutex_lock(&s->wq_mu);
            s->wq_rewinding = true;
            pthread_mutex_unlock(&s->wq_mu);
            arbd_db_lock(s);
            double t0 = arbd_mono_s();
            rc = sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log_pages, &done);
            double held = arbd_mono_s() - t0;
            arbd_db_unlock(s);
            pthread_mutex_lock(&s->wq_mu);
            s->wq_rewinding = false;
            s->wal_rewinds++;
            s->wal_rewind_s += held;
            pthread_mutex_unlock(&s->wq_mu);
        }
        if (rc != SQLITE_OK && rc != SQLITE_BUSY)
            arbd_logf(s, ARBD_LOG_WARN, "checkpoint: %s", sqlite3_errmsg(db));
        pthread_mutex_lock(&s->ckpt_mu);
        if (rc == SQLITE_OK)
            s->ckpt_frames = done;
    }
    pthread_mutex_unlock(&s->ckpt_mu);
    sqlite3_close(db);
    return NULL;
}

int arbd_store_checkpointer_start(arbd_server *s, char *err, size_t errlen)
{
    pthread_mutex_init(&s->ckpt_mu, NULL);
    pthread_cond_init(&s->ckpt_cv, NULL);
    s->ckpt_stop = s->ckpt_want = false;
    s->ckpt_frames = 0;
    if (pthread_create(&s->ckpt_thread, NULL, checkpointer, s) != 0) {
        snprintf(err, errlen, "cannot start the checkpoint thread");
        return -1;
    }
    s->ckpt_started = true;
    arbd_db_lock(s);
    sqlite3_wal_hook(s->db, wal_hook, s); /* replaces the auto-checkpoint */
    arbd_db_unlock(s);
    return 0;
}

void arbd_store_checkpointer_stop(arbd_server *s)
{
    if (!s->ckpt_started)
        return;
    arbd_db_lock(s);
    sqlite3_wal_hook(s->db, NULL, NULL);
    arbd_db_unlock(s);
    pthread_mutex_lock(&s->ckpt_mu);
    s->ckpt_stop = true;
    pthread_cond_signal(&s->ckpt_cv);
    pthread_mutex_unlock(&s->ckpt_mu);
    pthread_join(s->ckpt_thread, NULL);
    s->ckpt_started = false;
}

int arbd_store_close(arbd_server *s)
{
    arbd_db_lock(s);
    sqlite3_finalize(s->st_insert);
    sqlite3_finalize(s->st_select);
    s->st_insert = s->st_select = NULL;
    int rc = sqlite3_close(s->db);
    if (rc == SQLITE_OK)
        s->db = NULL;
    arbd_db_unlock(s);
    return rc;
}

static char *dup_col(sqlite3_stmt *st, int i, size_t *len)
{
    size_t n = (size_t)sqlite3_column_bytes(st, i);
    const void *p = sqlite3_column_blob(st, i);
    char *o = malloc(n + 1);
    if (!o)
        return NULL;
    if (n)
        memcpy(o, p, n);
    o[n] = '\0';
    if (len)
        *len = n;
    return o;
}

int arbd_store_get(arbd_server *s, int64_t id, char **analysis, char **text, size_t *text_len)
{
    int ret = -1;
    sqlite3_stmt *st = NULL;
    *analysis = NULL;
    if (text)
        *text = NULL;
    arbd_db_lock(s);
    if (sqlite3_prepare_v2(s->db, "SELECT analysis, text FROM decisions WHERE id = ?1", -1, &st,
                           NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, id);
        if (sqlite3_step(st) == SQLITE_ROW) {
            *analysis = dup_col(st, 0, NULL);
            if (text)
                *text = dup_col(st, 1, text_len);
            ret = *analysis ? 0 : -1;
        }
    }
    sqlite3_finalize(st);
    arbd_db_unlock(s);
    return ret;
}

int64_t arbd_store_queue_depth(arbd_server *s)
{
    int64_t n = -1;
    sqlite3_stmt *st = NULL;
    arbd_db_lock(s);
    /* The cases table belongs to review.c; count only if it exists. */
    if (sqlite3_prepare_v2(s->db,
                           "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='cases'",
                           -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 1) {
        sqlite3_finalize(st);
        st = NULL;
        if (sqlite3_prepare_v2(s->db,
                               "SELECT count(*) FROM cases WHERE status IN ('open','claimed','appealed')",
                               -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    arbd_db_unlock(s);
    return n;
}
