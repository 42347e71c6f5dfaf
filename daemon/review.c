/*
 * review.c -- the human side of arbiterd: the review queue, moderator
 * login / sessions / CSRF, verdicts, appeals, the tamper-evident audit log,
 * reports, and the review page (routes /review, /review/static/..., /login,
 * /logout, /v1/cases..., /v1/report).
 *
 * Invariants:
 *  - Every state change (claim, verdict, appeal, login, logout, a case
 *    entering the queue) and its audit entry are written in one SQLite
 *    transaction under arbd_db_lock(): both exist or neither.
 *  - A case moves open -> claimed -> decided -> appealed -> claimed -> ...
 *    A verdict needs the case claimed by the same actor; an appeal needs a
 *    decided case.  Verdicts and appeals are rows of their own, never
 *    updated; the machine decision (table `decisions`) is never modified.
 *    An appealed case is claimed by another moderator than the one who gave
 *    its latest verdict (four eyes).  A claim older than CLAIM_TTL_MS may be
 *    taken over.
 *  - Session ids are 32 bytes from getrandom(), sent only in an HttpOnly,
 *    SameSite=Strict cookie and stored as their SHA-256; every state-changing
 *    request on a session carries the session's CSRF token in X-CSRF-Token
 *    and, when the browser sends one, an Origin naming this server.  Bearer
 *    tokens (no ambient authority) need neither.  More than
 *    LOGIN_MAX_FAILURES failed logins for one name within LOGIN_WINDOW_MS
 *    are refused (429) before the password is even checked.
 *  - Post text is data: it leaves here only inside JSON (and base64), and
 *    every HTML/JS response carries a strict Content-Security-Policy and
 *    nosniff.  The page builds its DOM with textContent only.
 */
#include "arbd.h"
#include "db.h"

#include <jansson.h>

#include <crypt.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

extern const arb_source arbd__web[];
extern const size_t arbd__web_count;


enum {
    SESSION_TTL_MS = 8 * 3600 * 1000,   /* absolute session lifetime      */
    CLAIM_TTL_MS = 30 * 60 * 1000,      /* a stale claim may be taken over */
    REASON_MAX = 2000,                  /* bytes of a verdict/appeal reason */
    LIST_MAX = 200,
    LOGIN_WINDOW_MS = 15 * 60 * 1000,   /* failed logins counted over ...  */
    LOGIN_MAX_FAILURES = 10             /* ... and refused beyond this     */
};

static const char CSP[] =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";
static const char REPORT_CSP[] =
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'none'";
static const char BRIEF_CSP[] =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "frame-ancestors 'self'; sandbox";

/* ------------------------------------------------------------------ */
/* small helpers                                                       */
/* ------------------------------------------------------------------ */

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool random_hex(char *out, size_t nbytes)
{
    unsigned char buf[64];
    if (nbytes > sizeof buf)
        return false;
    size_t got = 0;
    while (got < nbytes) {
        ssize_t r = getrandom(buf + got, nbytes - got, 0);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        got += (size_t)r;
    }
    static const char hx[] = "0123456789abcdef";
    for (size_t i = 0; i < nbytes; i++) {
        out[2 * i] = hx[buf[i] >> 4];
        out[2 * i + 1] = hx[buf[i] & 15];
    }
    out[2 * nbytes] = '\0';
    return true;
}

static bool ct_equal(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    unsigned char d = (unsigned char)(la != lb);
    size_t n = la < lb ? la : lb;
    for (size_t i = 0; i < n; i++)
        d |= (unsigned char)(a[i] ^ b[i]);
    return d == 0;
}

static void security_headers(arbd_response *rs)
{
    /* http.c adds X-Content-Type-Options: nosniff and Cache-Control: no-store
     * to every response */
    arbd_add_header(rs, "Content-Security-Policy", CSP);
    arbd_add_header(rs, "X-Frame-Options", "DENY");
    arbd_add_header(rs, "Referrer-Policy", "no-referrer");
    arbd_add_header(rs, "Cross-Origin-Opener-Policy", "same-origin");
}

static void set_body(arbd_response *rs, int status, const char *ctype, char *body, size_t len)
{
    free(rs->body);
    rs->status = status;
    rs->content_type = ctype;
    rs->body = body;
    rs->body_len = len;
}

static void reply_json(arbd_response *rs, int status, json_t *j)
{
    char *s = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    if (!s) {
        arbd_json_error(rs, 500, "internal", "out of memory");
        return;
    }
    set_body(rs, status, "application/json", s, strlen(s));
    security_headers(rs);
}

static void reply_static(arbd_response *rs, int status, const char *ctype, const char *p,
                         size_t n)
{
    char *b = malloc(n + 1);
    if (!b) {
        arbd_json_error(rs, 500, "internal", "out of memory");
        return;
    }
    memcpy(b, p, n);
    b[n] = '\0';
    set_body(rs, status, ctype, b, n);
}

/* A JSON string for arbitrary bytes: exact when valid UTF-8, else with each
 * invalid byte replaced by U+FFFD (for display; offsets use text_b64). */
static json_t *json_bytes(const char *p, size_t n)
{
    json_t *j = json_stringn(p, n);
    if (j)
        return j;
    char *o = malloc(3 * n + 1);
    if (!o)
        return json_string("");
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)p[i];
        size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        bool ok = len > 0 && i + len <= n;
        for (size_t t = 1; ok && t < len; t++)
            ok = ((unsigned char)p[i + t] & 0xC0) == 0x80;
        if (ok && len > 1) { /* overlong forms and surrogates: jansson judges */
            json_t *probe = json_stringn(p + i, len);
            ok = probe != NULL;
            json_decref(probe);
        }
        if (ok) {
            memcpy(o + k, p + i, len);
            k += len;
            i += len;
        } else {
            memcpy(o + k, "\xEF\xBF\xBD", 3);
            k += 3;
            i++;
        }
    }
    json_t *r = json_stringn(o, k);
    free(o);
    return r ? r : json_string("");
}

static json_t *json_base64(const unsigned char *p, size_t n)
{
    static const char tbl[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t olen = 4 * ((n + 2) / 3);
    char *o = malloc(olen + 1);
    if (!o)
        return json_string("");
    size_t k = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)p[i + 1] << 8;
        if (i + 2 < n)
            v |= p[i + 2];
        o[k++] = tbl[(v >> 18) & 63];
        o[k++] = tbl[(v >> 12) & 63];
        o[k++] = i + 1 < n ? tbl[(v >> 6) & 63] : '=';
        o[k++] = i + 2 < n ? tbl[v & 63] : '=';
    }
    o[k] = '\0';
    json_t *j = json_stringn(o, k);
    free(o);
    return j;
}

static json_t *col_json(sqlite3_stmt *st, int i)
{
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_NULL:
        return json_null();
    case SQLITE_INTEGER:
        return json_integer(sqlite3_column_int64(st, i));
    case SQLITE_FLOAT:
        return json_real(sqlite3_column_double(st, i));
    default:
        return json_bytes((const char *)sqlite3_column_blob(st, i),
                          (size_t)sqlite3_column_bytes(st, i));
    }
}

static json_t *time_json(int64_t ms)
{
    char buf[32];
    arb_format_time(ms, buf);
    return json_string(buf);
}

/* Value of `key` in a query string, URL-decoded into out; false if absent. */
static bool query_get(const char *q, const char *key, char *out, size_t cap)
{
    size_t kl = strlen(key);
    const char *p = q ? q : "";
    while (*p) {
        const char *amp = strchr(p, '&');
        size_t seg = amp ? (size_t)(amp - p) : strlen(p);
        if (seg > kl && strncmp(p, key, kl) == 0 && p[kl] == '=') {
            const char *v = p + kl + 1, *e = p + seg;
            size_t k = 0;
            while (v < e && k + 1 < cap) {
                if (*v == '+') {
                    out[k++] = ' ';
                    v++;
                } else if (*v == '%' && e - v >= 3) {
                    char hx[3] = {v[1], v[2], 0};
                    char *end;
                    long c = strtol(hx, &end, 16);
                    out[k++] = *end ? '%' : (char)c;
                    v += *end ? 1 : 3;
                } else {
                    out[k++] = *v++;
                }
            }
            out[k] = '\0';
            return true;
        }
        if (seg == kl && strncmp(p, key, kl) == 0) {
            out[0] = '\0';
            return true;
        }
        p += seg + (amp ? 1 : 0);
        if (!amp)
            break;
    }
    return false;
}

static int exec0(sqlite3 *db, const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

/* ------------------------------------------------------------------ */
/* schema                                                              */
/* ------------------------------------------------------------------ */

static const char SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS cases("
    "  id INTEGER PRIMARY KEY,"
    "  decision_id INTEGER NOT NULL UNIQUE REFERENCES decisions(id),"
    "  status TEXT NOT NULL DEFAULT 'open'"
    "    CHECK(status IN ('open','claimed','decided','appealed')),"
    "  claimed_by TEXT,"
    "  claimed_ms INTEGER,"
    "  opened_ms INTEGER NOT NULL,"
    "  updated_ms INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS cases_status ON cases(status, id);"
    "CREATE TABLE IF NOT EXISTS verdicts("
    "  id INTEGER PRIMARY KEY,"
    "  case_id INTEGER NOT NULL REFERENCES cases(id),"
    "  decision_id INTEGER NOT NULL REFERENCES decisions(id),"
    "  moderator TEXT NOT NULL,"
    "  verdict TEXT NOT NULL CHECK(verdict IN ('uphold','overturn')),"
    "  reason TEXT NOT NULL,"
    "  at_ms INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS verdicts_case ON verdicts(case_id);"
    "CREATE TABLE IF NOT EXISTS appeals("
    "  id INTEGER PRIMARY KEY,"
    "  case_id INTEGER NOT NULL REFERENCES cases(id),"
    "  appellant TEXT NOT NULL,"
    "  reason TEXT NOT NULL,"
    "  at_ms INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS appeals_case ON appeals(case_id);"
    "CREATE TABLE IF NOT EXISTS sessions("
    "  id_hash TEXT PRIMARY KEY,"     /* SHA-256 hex of the cookie value */
    "  moderator TEXT NOT NULL,"
    "  csrf TEXT NOT NULL,"
    "  created_ms INTEGER NOT NULL,"
    "  expires_ms INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS login_failures("
    "  name TEXT NOT NULL,"
    "  at_ms INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS login_failures_name ON login_failures(name, at_ms);";

int arbd_review_init(arbd_server *s, sqlite3 *db, char *err, size_t errlen)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db, SCHEMA, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "review schema: %s", msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        return -1;
    }
    if (arbd_audit_init(db, err, errlen) != SQLITE_OK)
        return -1;
    /* A start ends every session: moderators come from the configuration,
     * so one removed from it must not keep a session across the restart
     * that applied the change. */
    exec0(db, "DELETE FROM sessions; DELETE FROM login_failures;");
    return 0;
}

/* Audit payload from a jansson object (consumed). */
static int audit(sqlite3 *db, const char *actor, const char *action, int64_t case_id,
                 json_t *payload)
{
    char *p = json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(payload);
    if (!p)
        return SQLITE_NOMEM;
    int rc = arbd_audit_append(db, now_ms(), actor, action, case_id, p, NULL);
    free(p);
    return rc;
}

int arbd_review_on_decision(sqlite3 *db, int64_t decision_id, const char *action)
{
    if (!action || strcmp(action, "escalate") != 0)
        return 0;
    sqlite3_stmt *st = NULL;
    int64_t t = now_ms();
    if (sqlite3_prepare_v2(db,
                           "INSERT OR IGNORE INTO cases(decision_id, status, opened_ms, updated_ms)"
                           " VALUES(?1, 'open', ?2, ?2)",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(st, 1, decision_id);
    sqlite3_bind_int64(st, 2, t);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return -1;
    if (sqlite3_changes(db) != 1)
        return 0;
    int64_t case_id = sqlite3_last_insert_rowid(db);
    json_t *p = json_pack("{s:I}", "decision_id", (json_int_t)decision_id);
    return audit(db, "arbiterd", "enqueue", case_id, p) == SQLITE_OK ? 0 : -1;
}

/* ------------------------------------------------------------------ */
/* identity                                                            */
/* ------------------------------------------------------------------ */

typedef struct who {
    arbd_role role;
    bool session;        /* authenticated by cookie (CSRF rules apply) */
    char actor[160];     /* "alice" or "token:platform"                */
    char csrf[65];
    char id_hash[65];
} who;

static const char *cookie_name(arbd_server *s)
{
    return arbd_secure_cookies(s) ? "__Host-arbd_session" : "arbd_session";
}

/* The session cookie's value (64 hex digits) or false. */
static bool cookie_value(arbd_server *s, const char *cookie, char out[65])
{
    const char *name = cookie_name(s);
    size_t nl = strlen(name);
    const char *p = cookie ? cookie : "";
    while (*p) {
        while (*p == ' ' || *p == ';')
            p++;
        if (strncmp(p, name, nl) == 0 && p[nl] == '=') {
            const char *v = p + nl + 1;
            size_t n = strcspn(v, "; ");
            if (n != 64)
                return false;
            for (size_t i = 0; i < n; i++)
                if (!strchr("0123456789abcdef", v[i]) || !v[i])
                    return false;
            memcpy(out, v, 64);
            out[64] = '\0';
            return true;
        }
        p += strcspn(p, ";");
    }
    return false;
}

/* Fills w from the Bearer token or the session cookie (token first). */
static void identify(arbd_server *s, const arbd_request *rq, who *w)
{
    memset(w, 0, sizeof *w);
    if (rq->token_role != ARBD_ROLE_NONE) {
        w->role = rq->token_role;
        snprintf(w->actor, sizeof w->actor, "token:%s", rq->token_name ? rq->token_name : "");
        return;
    }
    char sid[65];
    if (!cookie_value(s, rq->cookie, sid))
        return;
    arbd_sha256_hex(sid, 64, w->id_hash);
    sqlite3 *db = arbd_db(s);
    sqlite3_stmt *st = NULL;
    arbd_db_lock(s);
    if (sqlite3_prepare_v2(db, "SELECT moderator, csrf FROM sessions WHERE id_hash=?1"
                               " AND expires_ms > ?2", -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, w->id_hash, 64, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, now_ms());
        if (sqlite3_step(st) == SQLITE_ROW) {
            w->role = ARBD_ROLE_MODERATOR;
            w->session = true;
            snprintf(w->actor, sizeof w->actor, "%s", (const char *)sqlite3_column_text(st, 0));
            snprintf(w->csrf, sizeof w->csrf, "%s", (const char *)sqlite3_column_text(st, 1));
        }
    }
    sqlite3_finalize(st);
    arbd_db_unlock(s);
}

/* Origin check for cookie-authenticated writes: when the browser sends an
 * Origin, its authority (host[:port]) must be this server's Host; "null"
 * and malformed origins are refused.  The per-session CSRF token (which a
 * cross-site page cannot read) and the SameSite=Strict cookie are the other
 * two defences. */
static bool origin_ok(const arbd_request *rq)
{
    const char *o = rq->origin ? rq->origin : "";
    if (!*o)
        return true;
    const char *auth;
    if (strncmp(o, "http://", 7) == 0)
        auth = o + 7;
    else if (strncmp(o, "https://", 8) == 0)
        auth = o + 8;
    else
        return false;
    if (!*auth || strchr(auth, '/'))
        return false;
    const char *host = rq->host ? rq->host : "";
    return *host && strcasecmp(auth, host) == 0;
}

/* For state-changing requests: true when allowed; otherwise fills rs. */
static bool check_write(const arbd_request *rq, const who *w, arbd_role need,
                        arbd_response *rs)
{
    if (w->role == ARBD_ROLE_NONE) {
        arbd_json_error(rs, 401, "unauthorized", "log in or send a Bearer token");
        return false;
    }
    if (w->role < need) {
        arbd_json_error(rs, 403, "forbidden", "this action needs a higher role");
        return false;
    }
    if (w->session) {
        if (!origin_ok(rq)) {
            arbd_json_error(rs, 403, "bad_origin", "cross-origin request refused");
            return false;
        }
        if (!rq->csrf || !*rq->csrf || !ct_equal(rq->csrf, w->csrf)) {
            arbd_json_error(rs, 403, "csrf", "missing or wrong X-CSRF-Token");
            return false;
        }
    }
    return true;
}

/* Bodies must be declared JSON: a cross-site page cannot send that content
 * type without a CORS preflight, which this server never grants. */
static json_t *parse_body(const arbd_request *rq, arbd_response *rs)
{
    const char *ct = rq->content_type ? rq->content_type : "";
    if (strncasecmp(ct, "application/json", 16) != 0 ||
        (ct[16] && ct[16] != ';' && ct[16] != ' ')) {
        arbd_json_error(rs, 415, "unsupported_media_type",
                        "send the body as Content-Type: application/json");
        return NULL;
    }
    json_error_t je;
    json_t *j = json_loadb(rq->body ? rq->body : "", rq->body_len, 0, &je);
    if (!j || !json_is_object(j)) {
        json_decref(j);
        arbd_json_error(rs, 400, "bad_json", "the body must be a JSON object");
        return NULL;
    }
    return j;
}

/* ------------------------------------------------------------------ */
/* login / logout                                                      */
/* ------------------------------------------------------------------ */

static void route_session(arbd_server *s, const arbd_request *rq, arbd_response *rs)
{
    who w;
    identify(s, rq, &w);
    if (!w.session) {
        arbd_json_error(rs, 401, "unauthorized", "not logged in");
        return;
    }
    reply_json(rs, 200, json_pack("{s:s,s:s}", "moderator", w.actor, "csrf", w.csrf));
}

/* Failed logins for `name` in the last LOGIN_WINDOW_MS; with add, records
 * one more first.  Old rows and expired sessions are pruned on the way. */
static int64_t login_failures(arbd_server *s, const char *name, int add)
{
    sqlite3 *db = arbd_db(s);
    int64_t t = now_ms(), n = 0;
    sqlite3_stmt *st = NULL;
    arbd_db_lock(s);
    if (add) {
        char q[160];
        snprintf(q, sizeof q,
                 "DELETE FROM login_failures WHERE at_ms < %" PRId64 ";"
                 "DELETE FROM sessions WHERE expires_ms < %" PRId64 ";",
                 t - LOGIN_WINDOW_MS, t);
        exec0(db, q);
        if (sqlite3_prepare_v2(db, "INSERT INTO login_failures(name, at_ms) VALUES(?1, ?2)", -1,
                               &st, NULL) == SQLITE_OK) {
            sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 2, t);
            sqlite3_step(st);
        }
        sqlite3_finalize(st);
        st = NULL;
    }
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM login_failures WHERE name=?1 AND at_ms>=?2",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, t - LOGIN_WINDOW_MS);
        if (sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    arbd_db_unlock(s);
    return n;
}

static void route_login(arbd_server *s, const arbd_request *rq, arbd_response *rs)
{
    if (!origin_ok(rq)) {
        arbd_json_error(rs, 403, "bad_origin", "cross-origin request refused");
        return;
    }
    json_t *b = parse_body(rq, rs);
    if (!b)
        return;
    const char *name = json_string_value(json_object_get(b, "name"));
    const char *pw = json_string_value(json_object_get(b, "password"));
    if (!name || !pw || !*name || strlen(name) > 100 || strlen(pw) > 1000) {
        json_decref(b);
        arbd_json_error(rs, 400, "bad_request", "name and password are required");
        return;
    }
    if (login_failures(s, name, 0) >= LOGIN_MAX_FAILURES) {
        json_decref(b);
        arbd_json_error(rs, 429, "too_many_failures",
                        "too many failed logins for this name; try again in %d minutes",
                        LOGIN_WINDOW_MS / 60000);
        return;
    }
    bool ok = arbd_moderator_verify(s, name, pw);
    if (!ok) {
        login_failures(s, name, 1);
        json_decref(b);
        arbd_json_error(rs, 401, "login_failed", "unknown moderator or wrong password");
        return;
    }
    char sid[65], csrf[65], hash[65];
    if (!random_hex(sid, 32) || !random_hex(csrf, 32)) {
        json_decref(b);
        arbd_json_error(rs, 500, "internal", "no randomness");
        return;
    }
    arbd_sha256_hex(sid, 64, hash);
    int64_t t = now_ms();
    sqlite3 *db = arbd_db(s);
    sqlite3_stmt *st = NULL;
    int rc;
    arbd_db_lock(s);
    rc = exec0(db, "BEGIN IMMEDIATE");
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, "INSERT INTO sessions(id_hash, moderator, csrf, created_ms,"
                                    " expires_ms) VALUES(?1,?2,?3,?4,?5)", -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, hash, 64, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, csrf, 64, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, t);
        sqlite3_bind_int64(st, 5, t + SESSION_TTL_MS);
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_OK)
        rc = audit(db, name, "login", 0,
                   json_pack("{s:s,s:s%}", "remote", rq->remote ? rq->remote : "",
                             "session", hash, (size_t)16));
    exec0(db, rc == SQLITE_OK ? "COMMIT" : "ROLLBACK");
    arbd_db_unlock(s);
    if (rc != SQLITE_OK) {
        json_decref(b);
        arbd_json_error(rs, 500, "db", "could not store the session");
        return;
    }
    char cookie[256];
    snprintf(cookie, sizeof cookie, "%s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s",
             cookie_name(s), sid, SESSION_TTL_MS / 1000, arbd_secure_cookies(s) ? "; Secure" : "");
    reply_json(rs, 200, json_pack("{s:s,s:s}", "moderator", name, "csrf", csrf));
    arbd_add_header(rs, "Set-Cookie", cookie);
    json_decref(b);
}

static void route_logout(arbd_server *s, const arbd_request *rq, arbd_response *rs)
{
    who w;
    identify(s, rq, &w);
    if (!w.session) {
        arbd_json_error(rs, 401, "unauthorized", "not logged in");
        return;
    }
    if (!check_write(rq, &w, ARBD_ROLE_MODERATOR, rs))
        return;
    sqlite3 *db = arbd_db(s);
    sqlite3_stmt *st = NULL;
    arbd_db_lock(s);
    int rc = exec0(db, "BEGIN IMMEDIATE");
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, "DELETE FROM sessions WHERE id_hash=?1", -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, w.id_hash, 64, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_OK)
        rc = audit(db, w.actor, "logout", 0,
                   json_pack("{s:s,s:s%}", "remote", rq->remote ? rq->remote : "",
                             "session", w.id_hash, (size_t)16));
    exec0(db, rc == SQLITE_OK ? "COMMIT" : "ROLLBACK");
    arbd_db_unlock(s);
    if (rc != SQLITE_OK) {
        arbd_json_error(rs, 500, "db", "could not end the session");
        return;
    }
    char cookie[200];
    snprintf(cookie, sizeof cookie, "%s=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s",
             cookie_name(s), arbd_secure_cookies(s) ? "; Secure" : "");
    reply_json(rs, 200, json_pack("{s:b}", "logged_out", 1));
    arbd_add_header(rs, "Set-Cookie", cookie);
}

/* ------------------------------------------------------------------ */
/* cases                                                               */
/* ------------------------------------------------------------------ */

static bool need_reader(const who *w, arbd_response *rs)
{
    if (w->role == ARBD_ROLE_NONE) {
        arbd_json_error(rs, 401, "unauthorized", "log in or send a Bearer token");
        return false;
    }
    if (w->role < ARBD_ROLE_MODERATOR) {
        arbd_json_error(rs, 403, "forbidden", "reviewing cases needs the moderator role");
        return false;
    }
    return true;
}

static void route_list(arbd_server *s, const arbd_request *rq, arbd_response *rs)
{
    who w;
    identify(s, rq, &w);
    if (!need_reader(&w, rs))
        return;
    char status[32] = "pending", lim[16] = "", after[24] = "";
    query_get(rq->query, "status", status, sizeof status);
    query_get(rq->query, "limit", lim, sizeof lim);
    query_get(rq->query, "after", after, sizeof after);
    const char *filter;
    if (!strcmp(status, "pending"))
        filter = "c.status IN ('open','appealed','claimed')";
    else if (!strcmp(status, "all"))
        filter = "1";
    else if (!strcmp(status, "open") || !strcmp(status, "claimed") ||
             !strcmp(status, "decided") || !strcmp(status, "appealed"))
        filter = "c.status = ?3";
    else {
        arbd_json_error(rs, 400, "bad_status",
                        "status must be open, claimed, decided, appealed, pending or all");
        return;
    }
    long limit = lim[0] ? strtol(lim, NULL, 10) : 50;
    if (limit <= 0 || limit > LIST_MAX)
        limit = LIST_MAX;
    long long after_id = after[0] ? strtoll(after, NULL, 10) : 0;
    char sql[768];
    snprintf(sql, sizeof sql,
             "SELECT c.id, c.decision_id, c.status, c.claimed_by, c.claimed_ms, c.opened_ms,"
             " d.post_id, d.author_country, d.rule, d.action, d.created_ms,"
             " substr(d.text, 1, 200),"
             " (SELECT count(*) FROM appeals a WHERE a.case_id = c.id)"
             " FROM cases c JOIN decisions d ON d.id = c.decision_id"
             " WHERE %s AND c.id > ?1 ORDER BY c.id LIMIT ?2", filter);
    json_t *arr = json_array();
    sqlite3 *db = arbd_db(s);
    sqlite3_stmt *st = NULL;
    arbd_db_lock(s);
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, after_id);
        sqlite3_bind_int64(st, 2, limit);
        if (strstr(filter, "?3"))
            sqlite3_bind_text(st, 3, status, -1, SQLITE_STATIC);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            json_t *c = json_object();
            json_object_set_new(c, "id", col_json(st, 0));
            json_object_set_new(c, "decision_id", col_json(st, 1));
            json_object_set_new(c, "status", col_json(st, 2));
            json_object_set_new(c, "claimed_by", col_json(st, 3));
            if (sqlite3_column_type(st, 4) != SQLITE_NULL)
                json_object_set_new(c, "claimed_at", time_json(sqlite3_column_int64(st, 4)));
            json_object_set_new(c, "opened_at", time_json(sqlite3_column_int64(st, 5)));
            json_object_set_new(c, "post_id", col_json(st, 6));
            json_object_set_new(c, "country", col_json(st, 7));
            json_object_set_new(c, "rule", col_json(st, 8));
            json_object_set_new(c, "action", col_json(st, 9));
            json_object_set_new(c, "created_at", time_json(sqlite3_column_int64(st, 10)));
            json_object_set_new(c, "excerpt", col_json(st, 11));
            json_object_set_new(c, "appeals", col_json(st, 12));
            json_array_append_new(arr, c);
        }
        rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
    }
    sqlite3_finalize(st);
    arbd_db_unlock(s);
    if (rc != SQLITE_OK) {
        json_decref(arr);
        arbd_json_error(rs, 500, "db", "could not read the queue");
        return;
    }
    reply_json(rs, 200, json_pack("{s:o}", "cases", arr));
}

/* Appends rows of `sql` (one ?1 = case id) to a new array of objects keyed
 * by column name; `ms_cols` names integer ms columns shown as RFC 3339. */
static json_t *rows(sqlite3 *db, const char *sql, int64_t case_id)
{
    json_t *arr = json_array();
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return arr;
    sqlite3_bind_int64(st, 1, case_id);
    int n = sqlite3_column_count(st);
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *o = json_object();
        for (int i = 0; i < n; i++) {
            const char *name = sqlite3_column_name(st, i);
            size_t nl = strlen(name);
            if (nl > 3 && !strcmp(name + nl - 3, "_ms")) {
                char key[64];
                snprintf(key, sizeof key, "%.*s", (int)(nl - 3), name);
                json_object_set_new(o, key, time_json(sqlite3_column_int64(st, i)));
            } else if (!strcmp(name, "payload")) {
                json_t *p = json_loads((const char *)sqlite3_column_text(st, i), 0, NULL);
                json_object_set_new(o, name, p ? p : col_json(st, i));
            } else {
                json_object_set_new(o, name, col_json(st, i));
            }
        }
        json_array_append_new(arr, o);
    }
    sqlite3_finalize(st);
    return arr;
}

static int64_t path_case_id(const char *path, const char **rest)
{
    const char *p = path + strlen("/v1/cases/");
    char *end;
    errno = 0;
    long long id = strtoll(p, &end, 10);
    if (end == p || errno || id <= 0 || (*end && *end != '/'))
        return -1;
    *rest = end;
    return id;
}

static void route_case(arbd_server *s, const arbd_request *rq, arbd_response *rs, int64_t id)
{
    who w;
    identify(s, rq, &w);
    if (!need_reader(&w, rs))
        return;
    sqlite3 *db = arbd_db(s);
    sqlite3_stmt *st = NULL;
    json_t *c = NULL;
    arbd_db_lock(s);
    if (sqlite3_prepare_v2(db,
                           "SELECT c.id, c.decision_id, c.status, c.claimed_by, c.claimed_ms,"
                           " c.opened_ms, d.post_id, d.text, d.author_country, d.viewer_country,"
                           " d.lang, d.created_ms, d.analysis, d.action, d.rule, d.policy_id,"
                           " d.policy_version, d.policy_hash, d.decided_ms"
                           " FROM cases c JOIN decisions d ON d.id = c.decision_id"
                           " WHERE c.id = ?1", -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, id);
        if (sqlite3_step(st) == SQLITE_ROW) {
            c = json_object();
            json_object_set_new(c, "id", col_json(st, 0));
            json_object_set_new(c, "decision_id", col_json(st, 1));
            json_object_set_new(c, "status", col_json(st, 2));
            json_object_set_new(c, "claimed_by", col_json(st, 3));
            if (sqlite3_column_type(st, 4) != SQLITE_NULL)
                json_object_set_new(c, "claimed_at", time_json(sqlite3_column_int64(st, 4)));
            json_object_set_new(c, "opened_at", time_json(sqlite3_column_int64(st, 5)));
            json_t *post = json_object();
            json_object_set_new(post, "id", col_json(st, 6));
            const unsigned char *tx = sqlite3_column_blob(st, 7);
            size_t txl = (size_t)sqlite3_column_bytes(st, 7);
            json_object_set_new(post, "text", json_bytes((const char *)tx, txl));
            json_object_set_new(post, "text_b64", json_base64(tx, txl));
            json_object_set_new(post, "author_country", col_json(st, 8));
            json_object_set_new(post, "viewer_country", col_json(st, 9));
            json_object_set_new(post, "lang", col_json(st, 10));
            json_object_set_new(post, "created_at", time_json(sqlite3_column_int64(st, 11)));
            json_object_set_new(c, "post", post);
            json_t *an = json_loads((const char *)sqlite3_column_text(st, 12), 0, NULL);
            json_object_set_new(c, "decision", an ? an : json_null());
            json_object_set_new(c, "action", col_json(st, 13));
            json_object_set_new(c, "rule", col_json(st, 14));
            json_object_set_new(c, "policy",
                                json_pack("{s:o,s:o,s:o}", "id", col_json(st, 15), "version",
                                          col_json(st, 16), "hash", col_json(st, 17)));
            json_object_set_new(c, "decided_at", time_json(sqlite3_column_int64(st, 18)));
        }
    }
    sqlite3_finalize(st);
    if (c) {
        json_object_set_new(c, "verdicts",
                            rows(db, "SELECT id, moderator, verdict, reason, at_ms FROM verdicts"
                                     " WHERE case_id=?1 ORDER BY id", id));
        json_object_set_new(c, "appeals",
                            rows(db, "SELECT id, appellant, reason, at_ms FROM appeals"
                                     " WHERE case_id=?1 ORDER BY id", id));
        json_object_set_new(c, "audit",
                            rows(db, "SELECT seq, at AS at_ms, actor, action, payload, hash"
                                     " FROM audit WHERE case_id=?1 ORDER BY seq", id));
    }
    arbd_db_unlock(s);
    if (!c) {
        arbd_json_error(rs, 404, "not_found", "no case %" PRId64, id);
        return;
    }
    const char *brief = arbd_policy_brief_html(s);
    json_object_set_new(c, "brief_url", brief ? json_string("/review/brief") : json_null());
    json_object_set_new(c, "brief_html", brief ? json_bytes(brief, strlen(brief)) : json_null());
    reply_json(rs, 200, c);
}

/* Reads status and claimant of a case (inside the lock). */
static int case_state(sqlite3 *db, int64_t id, char status[16], char *claimer, size_t cl,
                      int64_t *claimed_ms, int64_t *decision_id)
{
    sqlite3_stmt *st = NULL;
    int found = 0;
    if (sqlite3_prepare_v2(db, "SELECT status, claimed_by, claimed_ms, decision_id"
                               " FROM cases WHERE id=?1", -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) == SQLITE_ROW) {
        snprintf(status, 16, "%s", (const char *)sqlite3_column_text(st, 0));
        const unsigned char *cb = sqlite3_column_text(st, 1);
        snprintf(claimer, cl, "%s", cb ? (const char *)cb : "");
        *claimed_ms = sqlite3_column_int64(st, 2);
        *decision_id = sqlite3_column_int64(st, 3);
        found = 1;
    }
    sqlite3_finalize(st);
    return found;
}

static int exec_bind(sqlite3 *db, const char *sql, const char *t1, int64_t i2, int64_t i3,
                     const char *t4)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    if (t1)
        sqlite3_bind_text(st, 1, t1, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, i2);
    sqlite3_bind_int64(st, 3, i3);
    if (t4)
        sqlite3_bind_text(st, 4, t4, -1, SQLITE_STATIC);
    rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    sqlite3_finalize(st);
    return rc;
}

/* Who gave the latest verdict on case `id` ("" when none). */
static void last_verdict_by(sqlite3 *db, int64_t id, char *out, size_t cap)
{
    sqlite3_stmt *st = NULL;
    out[0] = '\0';
    if (sqlite3_prepare_v2(db, "SELECT moderator FROM verdicts WHERE case_id=?1"
                               " ORDER BY id DESC LIMIT 1", -1, &st, NULL) != SQLITE_OK)
        return;
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) == SQLITE_ROW)
        snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
}

typedef enum { ACT_CLAIM, ACT_VERDICT, ACT_APPEAL } case_act;

static void route_action(arbd_server *s, const arbd_request *rq, arbd_response *rs,
                         int64_t id, case_act act)
{
    who w;
    identify(s, rq, &w);
    arbd_role need = act == ACT_APPEAL ? ARBD_ROLE_SERVICE : ARBD_ROLE_MODERATOR;
    if (!check_write(rq, &w, need, rs))
        return;
    if (act == ACT_APPEAL && w.session) {
        arbd_json_error(rs, 403, "forbidden", "appeals come from the platform's service token");
        return;
    }
    json_t *b = NULL;
    const char *verdict = NULL, *reason = "";
    if (act != ACT_CLAIM) {
        b = parse_body(rq, rs);
        if (!b)
            return;
        reason = json_string_value(json_object_get(b, "reason"));
        if (!reason || !*reason || strlen(reason) > REASON_MAX) {
            json_decref(b);
            arbd_json_error(rs, 400, "bad_reason", "a reason (1..%d bytes) is required",
                            REASON_MAX);
            return;
        }
        if (act == ACT_VERDICT) {
            verdict = json_string_value(json_object_get(b, "verdict"));
            if (!verdict || (strcmp(verdict, "uphold") && strcmp(verdict, "overturn"))) {
                json_decref(b);
                arbd_json_error(rs, 400, "bad_verdict", "verdict must be uphold or overturn");
                return;
            }
        }
    }
    sqlite3 *db = arbd_db(s);
    int64_t t = now_ms();
    int status = 200;
    char code[32] = "", msg[160] = "";
    char cur[16] = "", claimer[160] = "";
    int64_t claimed_ms = 0, decision_id = 0;
    arbd_db_lock(s);
    int rc = exec0(db, "BEGIN IMMEDIATE");
    int found = rc == SQLITE_OK
                    ? case_state(db, id, cur, claimer, sizeof claimer, &claimed_ms, &decision_id)
                    : -1;
    if (found < 0) {
        status = 500;
        snprintf(code, sizeof code, "db");
        snprintf(msg, sizeof msg, "database error");
    } else if (found == 0) {
        status = 404;
        snprintf(code, sizeof code, "not_found");
        snprintf(msg, sizeof msg, "no case %" PRId64, id);
    } else if (act == ACT_CLAIM) {
        bool mine = !strcmp(cur, "claimed") && !strcmp(claimer, w.actor);
        bool stale = !strcmp(cur, "claimed") && t - claimed_ms > CLAIM_TTL_MS;
        char last[160] = "";
        if (!strcmp(cur, "appealed"))
            last_verdict_by(db, id, last, sizeof last);
        if (last[0] && !strcmp(last, w.actor)) {
            status = 409;
            snprintf(code, sizeof code, "four_eyes");
            snprintf(msg, sizeof msg,
                     "an appeal is reviewed by another moderator than the one who decided");
        } else if (!mine && strcmp(cur, "open") && strcmp(cur, "appealed") && !stale) {
            status = 409;
            snprintf(code, sizeof code, "conflict");
            snprintf(msg, sizeof msg, !strcmp(cur, "claimed") ? "case is claimed by %.100s"
                                                              : "case is %.16s",
                     !strcmp(cur, "claimed") ? claimer : cur);
        } else {
            rc = exec_bind(db, "UPDATE cases SET status='claimed', claimed_by=?1,"
                               " claimed_ms=?2, updated_ms=?2 WHERE id=?3",
                           w.actor, t, id, NULL);
            if (rc == SQLITE_OK)
                rc = audit(db, w.actor, "claim", id,
                           json_pack("{s:s,s:s}", "from", cur, "previous_claimant", claimer));
        }
    } else if (act == ACT_VERDICT) {
        if (strcmp(cur, "claimed") || strcmp(claimer, w.actor)) {
            status = 409;
            snprintf(code, sizeof code, "not_claimed");
            snprintf(msg, sizeof msg, "claim the case before recording a verdict");
        } else {
            rc = exec_bind(db, "UPDATE cases SET status='decided', updated_ms=?2 WHERE id=?3",
                           NULL, t, id, NULL);
            if (rc == SQLITE_OK) {
                sqlite3_stmt *st = NULL;
                rc = sqlite3_prepare_v2(db, "INSERT INTO verdicts(case_id, decision_id,"
                                            " moderator, verdict, reason, at_ms)"
                                            " VALUES(?1,?2,?3,?4,?5,?6)", -1, &st, NULL);
                if (rc == SQLITE_OK) {
                    sqlite3_bind_int64(st, 1, id);
                    sqlite3_bind_int64(st, 2, decision_id);
                    sqlite3_bind_text(st, 3, w.actor, -1, SQLITE_STATIC);
                    sqlite3_bind_text(st, 4, verdict, -1, SQLITE_STATIC);
                    sqlite3_bind_text(st, 5, reason, -1, SQLITE_STATIC);
                    sqlite3_bind_int64(st, 6, t);
                    rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
                }
                sqlite3_finalize(st);
            }
            if (rc == SQLITE_OK)
                rc = audit(db, w.actor, "verdict", id,
                           json_pack("{s:s,s:s,s:I}", "verdict", verdict, "reason", reason,
                                     "decision_id", (json_int_t)decision_id));
        }
    } else {
        if (strcmp(cur, "decided")) {
            status = 409;
            snprintf(code, sizeof code, "not_decided");
            snprintf(msg, sizeof msg, "only a decided case can be appealed (case is %.16s)",
                     cur);
        } else {
            rc = exec_bind(db, "UPDATE cases SET status='appealed', claimed_by=NULL,"
                               " claimed_ms=NULL, updated_ms=?2 WHERE id=?3",
                           NULL, t, id, NULL);
            if (rc == SQLITE_OK)
                rc = exec_bind(db, "INSERT INTO appeals(case_id, appellant, reason, at_ms)"
                                   " VALUES(?3, ?1, ?4, ?2)", w.actor, t, id, reason);
            if (rc == SQLITE_OK)
                rc = audit(db, w.actor, "appeal", id, json_pack("{s:s}", "reason", reason));
        }
    }
    if (status == 200 && rc != SQLITE_OK) {
        status = 500;
        snprintf(code, sizeof code, "db");
        snprintf(msg, sizeof msg, "database error: %.120s", sqlite3_errmsg(db));
    }
    if (found >= 0 || rc == SQLITE_OK)
        exec0(db, status == 200 ? "COMMIT" : "ROLLBACK");
    arbd_db_unlock(s);
    json_decref(b);
    if (status != 200) {
        arbd_json_error(rs, status, code, "%s", msg);
        return;
    }
    static const char *const next[] = {"claimed", "decided", "appealed"};
    reply_json(rs, 200, json_pack("{s:I,s:s,s:s}", "id", (json_int_t)id, "status", next[act],
                                  "actor", w.actor));
}

/* ------------------------------------------------------------------ */
/* report                                                              */
/* ------------------------------------------------------------------ */

static bool parse_when(const char *v, bool end_of_day, int64_t *ms)
{
    char buf[40];
    size_t n = strlen(v);
    if (n == 10) { /* YYYY-MM-DD */
        snprintf(buf, sizeof buf, "%sT00:00:00Z", v);
        if (arb_parse_time(buf, strlen(buf), ms) != ARB_OK)
            return false;
        if (end_of_day)
            *ms += 86400000;
        return true;
    }
    return arb_parse_time(v, n, ms) == ARB_OK;
}

static void route_report(arbd_server *s, const arbd_request *rq, arbd_response *rs)
{
    who w;
    identify(s, rq, &w);
    if (w.role == ARBD_ROLE_NONE) {
        arbd_json_error(rs, 401, "unauthorized", "send an admin Bearer token");
        return;
    }
    if (w.role < ARBD_ROLE_ADMIN) {
        arbd_json_error(rs, 403, "forbidden", "reports need the admin role");
        return;
    }
    char from[40] = "", to[40] = "", fmt[8] = "json";
    query_get(rq->query, "from", from, sizeof from);
    query_get(rq->query, "to", to, sizeof to);
    query_get(rq->query, "format", fmt, sizeof fmt);
    int64_t f = 0, t = 0;
    if (!from[0] || !to[0] || !parse_when(from, false, &f) || !parse_when(to, true, &t) ||
        t <= f) {
        arbd_json_error(rs, 400, "bad_period",
                        "from and to must be RFC 3339 times or YYYY-MM-DD dates, from < to");
        return;
    }
    bool html = !strcmp(fmt, "html");
    if (!html && strcmp(fmt, "json")) {
        arbd_json_error(rs, 400, "bad_format", "format must be json or html");
        return;
    }
    char *out = NULL, err[256] = "";
    arbd_db_lock(s);
    int rc = html ? arbd_report_html(arbd_db(s), f, t, &out, err, sizeof err)
                  : arbd_report_json(arbd_db(s), f, t, &out, err, sizeof err);
    arbd_db_unlock(s);
    if (rc != 0) {
        arbd_json_error(rs, 500, "report", "%s", err);
        return;
    }
    set_body(rs, 200, html ? "text/html; charset=utf-8" : "application/json", out, strlen(out));
    if (!html) {
        security_headers(rs);
        return;
    }
    /* the report page has no script at all; its only inline part is CSS */
    arbd_add_header(rs, "Content-Security-Policy", REPORT_CSP);
    arbd_add_header(rs, "Referrer-Policy", "no-referrer");
}

/* ------------------------------------------------------------------ */
/* static page                                                         */
/* ------------------------------------------------------------------ */

static const char *mime(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot)
        return "application/octet-stream";
    if (!strcmp(dot, ".html"))
        return "text/html; charset=utf-8";
    if (!strcmp(dot, ".js") || !strcmp(dot, ".mjs"))
        return "text/javascript; charset=utf-8";
    if (!strcmp(dot, ".css"))
        return "text/css; charset=utf-8";
    if (!strcmp(dot, ".svg"))
        return "image/svg+xml";
    return "application/octet-stream";
}

static bool serve_asset(arbd_response *rs, const char *file)
{
    char want[128];
    if (strlen(file) > 100 || strstr(file, ".."))
        return false;
    snprintf(want, sizeof want, "web/%s", file);
    for (size_t i = 0; i < arbd__web_count; i++) {
        if (!strcmp(arbd__web[i].name, want)) {
            reply_static(rs, 200, mime(want), arbd__web[i].data, arbd__web[i].len);
            security_headers(rs);
            return true;
        }
    }
    return false;
}

static void route_brief(arbd_server *s, const arbd_request *rq, arbd_response *rs)
{
    who w;
    identify(s, rq, &w);
    if (!need_reader(&w, rs))
        return;
    const char *b = arbd_policy_brief_html(s);
    if (!b) {
        arbd_json_error(rs, 404, "not_found", "no policy brief is configured");
        return;
    }
    reply_static(rs, 200, "text/html; charset=utf-8", b, strlen(b));
    arbd_add_header(rs, "Content-Security-Policy", BRIEF_CSP);
    arbd_add_header(rs, "X-Frame-Options", "SAMEORIGIN");
}

/* ------------------------------------------------------------------ */
/* routing                                                             */
/* ------------------------------------------------------------------ */

static bool is(const arbd_request *rq, const char *m)
{
    return !strcmp(rq->method, m);
}

static void method_not_allowed(arbd_response *rs, const char *allow)
{
    arbd_json_error(rs, 405, "method_not_allowed", "use %s", allow);
    arbd_add_header(rs, "Allow", allow);
}

bool arbd_review_route(arbd_server *s, const arbd_request *rq, arbd_response *rs)
{
    const char *p = rq->path;
    if (!strcmp(p, "/review") || !strcmp(p, "/review/")) {
        if (!is(rq, "GET") && !is(rq, "HEAD"))
            method_not_allowed(rs, "GET");
        else if (!serve_asset(rs, "index.html"))
            arbd_json_error(rs, 404, "not_found", "the review page is not built in");
        return true;
    }
    if (!strncmp(p, "/review/static/", 15)) {
        if (!is(rq, "GET") && !is(rq, "HEAD"))
            method_not_allowed(rs, "GET");
        else if (!serve_asset(rs, p + 15))
            arbd_json_error(rs, 404, "not_found", "no such file");
        return true;
    }
    if (!strcmp(p, "/review/brief")) {
        if (!is(rq, "GET"))
            method_not_allowed(rs, "GET");
        else
            route_brief(s, rq, rs);
        return true;
    }
    if (!strncmp(p, "/review/", 8)) {
        arbd_json_error(rs, 404, "not_found", "no such page");
        return true;
    }
    if (!strcmp(p, "/login")) {
        if (is(rq, "POST"))
            route_login(s, rq, rs);
        else if (is(rq, "GET"))
            route_session(s, rq, rs);
        else
            method_not_allowed(rs, "GET, POST");
        return true;
    }
    if (!strcmp(p, "/logout")) {
        if (is(rq, "POST"))
            route_logout(s, rq, rs);
        else
            method_not_allowed(rs, "POST");
        return true;
    }
    if (!strcmp(p, "/v1/report")) {
        if (is(rq, "GET"))
            route_report(s, rq, rs);
        else
            method_not_allowed(rs, "GET");
        return true;
    }
    if (!strcmp(p, "/v1/cases") || !strcmp(p, "/v1/cases/")) {
        if (is(rq, "GET"))
            route_list(s, rq, rs);
        else
            method_not_allowed(rs, "GET");
        return true;
    }
    if (!strncmp(p, "/v1/cases/", 10)) {
        const char *rest = NULL;
        int64_t id = path_case_id(p, &rest);
        if (id < 0) {
            arbd_json_error(rs, 404, "not_found", "no such case");
            return true;
        }
        if (!*rest) {
            if (is(rq, "GET"))
                route_case(s, rq, rs, id);
            else
                method_not_allowed(rs, "GET");
        } else if (!strcmp(rest, "/claim") || !strcmp(rest, "/verdict") ||
                   !strcmp(rest, "/appeal")) {
            if (!is(rq, "POST"))
                method_not_allowed(rs, "POST");
            else
                route_action(s, rq, rs, id,
                             !strcmp(rest, "/claim")     ? ACT_CLAIM
                             : !strcmp(rest, "/verdict") ? ACT_VERDICT
                                                         : ACT_APPEAL);
        } else {
            arbd_json_error(rs, 404, "not_found", "no such case action");
        }
        return true;
    }
    return false;
}
