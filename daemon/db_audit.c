/*
 * db_audit.c -- the tamper-evident audit chain (see db.h for the format).
 *
 * Invariants: rows are only ever INSERTed, with seq = last seq + 1 and
 * prev_hash = last hash, computed inside the caller's write transaction;
 * verification recomputes every hash from the stored fields and never
 * trusts a stored hash except as the next row's expected prev_hash.
 */
#include "db.h"

#include "../src/internal.h" /* arb__sha256_*: exported by libarbiter */

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char ZERO_HASH[65] =
    "0000000000000000000000000000000000000000000000000000000000000000";

void arbd_sha256_hex(const void *p, size_t n, char out[65])
{
    arb__sha256 c;
    arb__sha256_init(&c);
    arb__sha256_update(&c, p, n);
    arb__sha256_hex(&c, out);
}

static void field(arb__sha256 *c, const void *p, size_t n)
{
    char len[32];
    int k = snprintf(len, sizeof len, "%zu:", n);
    arb__sha256_update(c, len, (size_t)k);
    if (n)
        arb__sha256_update(c, p, n);
    arb__sha256_update(c, ";", 1);
}

static void entry_hash(const char *prev, int64_t seq, int64_t at, const char *actor,
                       const char *action, int64_t case_id, const char *payload,
                       size_t payload_len, char out[65])
{
    arb__sha256 c;
    char num[32];
    arb__sha256_init(&c);
    arb__sha256_update(&c, prev, strlen(prev));
    int k = snprintf(num, sizeof num, "%" PRId64, seq);
    field(&c, num, (size_t)k);
    k = snprintf(num, sizeof num, "%" PRId64, at);
    field(&c, num, (size_t)k);
    field(&c, actor, strlen(actor));
    field(&c, action, strlen(action));
    if (case_id > 0) {
        k = snprintf(num, sizeof num, "%" PRId64, case_id);
        field(&c, num, (size_t)k);
    } else {
        field(&c, "", 0);
    }
    field(&c, payload, payload_len);
    arb__sha256_hex(&c, out);
}

int arbd_audit_init(sqlite3 *db, char *err, size_t errlen)
{
    static const char *const sql =
        "CREATE TABLE IF NOT EXISTS audit("
        "  seq INTEGER PRIMARY KEY,"
        "  at INTEGER NOT NULL,"          /* ms since the epoch */
        "  actor TEXT NOT NULL,"
        "  action TEXT NOT NULL,"
        "  case_id INTEGER,"
        "  payload TEXT NOT NULL,"
        "  prev_hash TEXT NOT NULL,"
        "  hash TEXT NOT NULL);"
        "CREATE INDEX IF NOT EXISTS audit_case ON audit(case_id);"
        "CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit"
        "  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;"
        "CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit"
        "  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;";
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK && err && errlen)
        snprintf(err, errlen, "audit schema: %s", msg ? msg : sqlite3_errstr(rc));
    sqlite3_free(msg);
    return rc;
}

int arbd_audit_append(sqlite3 *db, int64_t at_ms, const char *actor,
                      const char *action, int64_t case_id, const char *payload,
                      int64_t *seq)
{
    if (!payload)
        payload = "{}";
    sqlite3_stmt *st = NULL;
    int64_t last = 0;
    char prev[65];
    memcpy(prev, ZERO_HASH, sizeof prev);
    int rc = sqlite3_prepare_v2(db, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1",
                                -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        last = sqlite3_column_int64(st, 0);
        const unsigned char *h = sqlite3_column_text(st, 1);
        if (h && strlen((const char *)h) == 64)
            memcpy(prev, h, 65);
        rc = SQLITE_OK;
    } else if (rc == SQLITE_DONE) {
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_OK)
        return rc;

    int64_t next = last + 1;
    char hash[65];
    entry_hash(prev, next, at_ms, actor, action, case_id, payload, strlen(payload), hash);
    rc = sqlite3_prepare_v2(db,
                            "INSERT INTO audit(seq, at, actor, action, case_id, payload,"
                            " prev_hash, hash) VALUES(?,?,?,?,?,?,?,?)",
                            -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_bind_int64(st, 1, next);
    sqlite3_bind_int64(st, 2, at_ms);
    sqlite3_bind_text(st, 3, actor, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, action, -1, SQLITE_STATIC);
    if (case_id > 0)
        sqlite3_bind_int64(st, 5, case_id);
    else
        sqlite3_bind_null(st, 5);
    sqlite3_bind_text(st, 6, payload, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, prev, 64, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, hash, 64, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return rc;
    if (seq)
        *seq = next;
    return SQLITE_OK;
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

int arbd_audit_verify(sqlite3 *db, arbd_audit_check *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db,
                                "SELECT seq, at, actor, action, case_id, payload, prev_hash,"
                                " hash, typeof(at), typeof(case_id) FROM audit ORDER BY seq",
                                -1, &st, NULL);
    if (rc != SQLITE_OK) {
        snprintf(out->problem, sizeof out->problem, "cannot read the audit table: %s",
                 sqlite3_errmsg(db));
        return -1;
    }
    char prev[65];
    memcpy(prev, ZERO_HASH, sizeof prev);
    int64_t expect = 1;
    int result = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t seq = sqlite3_column_int64(st, 0);
        int64_t at = sqlite3_column_int64(st, 1);
        const char *actor = col_text(st, 2);
        const char *action = col_text(st, 3);
        int64_t case_id = sqlite3_column_type(st, 4) == SQLITE_NULL
                              ? 0 : sqlite3_column_int64(st, 4);
        const char *payload = col_text(st, 5);
        size_t payload_len = (size_t)sqlite3_column_bytes(st, 5);
        const char *stored_prev = col_text(st, 6);
        const char *stored = col_text(st, 7);
        const char *at_type = col_text(st, 8);
        const char *case_type = col_text(st, 9);
        out->entries++;
        if (seq != expect) {
            snprintf(out->problem, sizeof out->problem,
                     "sequence gap: expected entry %" PRId64 ", found %" PRId64
                     " (entries deleted or inserted)", expect, seq);
            out->bad_seq = seq;
            result = 1;
            break;
        }
        if (strcmp(at_type, "integer") != 0 ||
            (strcmp(case_type, "null") != 0 && strcmp(case_type, "integer") != 0)) {
            snprintf(out->problem, sizeof out->problem, "field types altered");
            out->bad_seq = seq;
            result = 1;
            break;
        }
        if (strcmp(stored_prev, prev) != 0) {
            snprintf(out->problem, sizeof out->problem,
                     "prev_hash does not match the hash of entry %" PRId64, seq - 1);
            out->bad_seq = seq;
            result = 1;
            break;
        }
        char h[65];
        entry_hash(prev, seq, at, actor, action, case_id, payload, payload_len, h);
        if (strcmp(h, stored) != 0) {
            snprintf(out->problem, sizeof out->problem,
                     "hash mismatch: the entry was altered after it was written");
            out->bad_seq = seq;
            result = 1;
            break;
        }
        memcpy(prev, h, sizeof prev);
        memcpy(out->head, h, sizeof out->head);
        expect++;
    }
    if (result == 0 && rc != SQLITE_DONE) {
        snprintf(out->problem, sizeof out->problem, "read error: %s", sqlite3_errmsg(db));
        result = -1;
    }
    sqlite3_finalize(st);
    return result;
}
