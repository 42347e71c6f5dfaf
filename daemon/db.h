/*
 * db.h -- pure-SQLite helpers shared by arbiterd (review.c) and the CLI
 * (`arbiter audit verify`, `arbiter report`): the tamper-evident audit chain
 * (db_audit.c) and the transparency report (db_report.c).
 *
 * Nothing here touches sockets, the engine or the server: every function
 * takes an open sqlite3 connection and the caller serializes its use.
 *
 * The audit chain.  Table `audit` (seq, at, actor, action, case_id,
 * payload, prev_hash, hash) is append-only: triggers refuse UPDATE and
 * DELETE, and every row carries
 *     hash = SHA-256(prev_hash || canonical(seq, at, actor, action,
 *                                           case_id, payload))
 * as 64 lowercase hex digits, where prev_hash is the previous row's hash
 * (64 '0' for seq 1) and canonical() is each field as "<decimal length>:"
 * followed by its bytes and a ';' (case_id "" when NULL), so no two entries
 * share a canonical form.  seq runs 1, 2, 3, ... without gaps.  Editing,
 * inserting or deleting a row in the middle therefore breaks the chain at
 * that row; truncating the tail is only detectable against a head hash
 * recorded elsewhere (verify prints it).
 *
 * SHA-256 comes from libarbiter's internal arb__sha256_* functions (they
 * are exported from the shared library); the library gains nothing new.
 */
#ifndef ARBD_DB_H
#define ARBD_DB_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* 64 lowercase hex digits of SHA-256(p[0..n)) and a NUL. */
void arbd_sha256_hex(const void *p, size_t n, char out[65]);

/* Creates the audit table and its append-only triggers if missing.
 * Returns SQLITE_OK or an SQLite error code (message in err). */
int arbd_audit_init(sqlite3 *db, char *err, size_t errlen);

/* Appends one entry; `case_id` <= 0 stores NULL, `payload` must be a JSON
 * text ("{}" when NULL).  Must run inside the caller's write transaction
 * (BEGIN IMMEDIATE) so the chain head cannot move underneath it.  Stores
 * the new seq in *seq if not NULL.  Returns SQLITE_OK or an error code. */
int arbd_audit_append(sqlite3 *db, int64_t at_ms, const char *actor,
                      const char *action, int64_t case_id, const char *payload,
                      int64_t *seq);

/* Result of a verification. */
typedef struct arbd_audit_check {
    int64_t entries;      /* rows read                                    */
    int64_t bad_seq;      /* seq of the first broken row, 0 when intact   */
    char problem[160];    /* what is wrong with it, "" when intact        */
    char head[65];        /* hash of the last good row ("" when empty)    */
} arbd_audit_check;

/* Recomputes the whole chain.  Returns 0 when intact, 1 when broken (out
 * names the first bad row), -1 when the table cannot be read (out->problem
 * says why). */
int arbd_audit_verify(sqlite3 *db, arbd_audit_check *out);

/* Transparency report over decisions made in [from_ms, to_ms): counts by
 * rule, action, country and day, reviewed/overturned counts and overturn
 * rates.  Writes a malloc'd NUL-terminated document to *out (JSON object,
 * or a self-contained HTML page with inline SVG bar charts and no external
 * assets).  Returns 0, or -1 with a message in err. */
int arbd_report_json(sqlite3 *db, int64_t from_ms, int64_t to_ms, char **out,
                     char *err, size_t errlen);
int arbd_report_html(sqlite3 *db, int64_t from_ms, int64_t to_ms, char **out,
                     char *err, size_t errlen);

#endif
