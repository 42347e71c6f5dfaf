/*
 * arbd.h -- contracts between the parts of arbiterd, the HTTP service.
 *
 *   arbiterd.c  main: flags, configuration file, signals, reload, shutdown
 *   http.c      libmicrohttpd glue: request -> arbd_request, routing, limits,
 *               metrics, JSON logs, the /v1/check, /v1/batch, /v1/policies,
 *               /healthz, /readyz, /metrics endpoints
 *   store.c     SQLite decision log (durable, idempotent)
 *   review.c    review queue, moderator login/sessions/CSRF, verdicts,
 *               appeals, tamper-evident audit log, reports, the review page
 *               (routes under /review, /login, /logout, /v1/cases, /v1/report)
 *
 * A request is read whole (bounded by the body limit) before a handler runs;
 * handlers fill an arbd_response and never touch the socket.
 */
#ifndef ARBD_H
#define ARBD_H

#include "arbiter.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum arbd_role {
    ARBD_ROLE_NONE = 0,
    ARBD_ROLE_SERVICE = 1,   /* may call /v1/check and /v1/batch       */
    ARBD_ROLE_MODERATOR = 2, /* may review cases (and everything above) */
    ARBD_ROLE_ADMIN = 3      /* may read and reload policies, reports  */
} arbd_role;

typedef struct arbd_server arbd_server;

typedef struct arbd_request {
    const char *method;       /* "GET", "POST", ...                        */
    const char *path;         /* "/v1/check" (no query string)             */
    const char *query;        /* raw query string without '?', or ""       */
    const char *body;         /* NUL-terminated copy; may contain NULs     */
    size_t body_len;
    const char *content_type; /* header value or ""                        */
    const char *cookie;       /* Cookie header or ""                       */
    const char *csrf;         /* X-CSRF-Token header or ""                 */
    const char *origin;       /* Origin header or ""                       */
    const char *host;         /* Host header or ""                         */
    arbd_role token_role;     /* role of the Bearer token, NONE if absent  */
    const char *token_name;   /* name of the token's owner, or ""          */
    const char *remote;       /* client address                            */
    const char *request_id;   /* unique per request, for logs and audit    */
} arbd_request;

typedef struct arbd_response {
    int status;                /* HTTP status                               */
    const char *content_type;  /* static string; default application/json   */
    char *body;                /* malloc'd, owned by the response; may be NULL */
    size_t body_len;
    char headers[1024];        /* extra "Name: value\r\n" lines (Set-Cookie...) */
} arbd_response;

/* Response helpers (http.c).  arbd_json_error writes
 * {"error": {"status": <http>, "code": code, "message": msg}}. */
void arbd_respond(arbd_response *rs, int status, const char *content_type,
                  const char *body, size_t len);
void arbd_json_error(arbd_response *rs, int status, const char *code,
                     const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void arbd_add_header(arbd_response *rs, const char *name, const char *value);

/* Server facts for handlers (arbiterd.c / http.c). */
arb_engine *arbd_engine_acquire(arbd_server *s); /* a reference; release with arb_engine_unref */
sqlite3 *arbd_db(arbd_server *s);                 /* shared connection         */
void arbd_db_lock(arbd_server *s);                /* serializes use of arbd_db */
void arbd_db_unlock(arbd_server *s);
const char *arbd_policy_brief_html(arbd_server *s); /* may be NULL */
bool arbd_secure_cookies(arbd_server *s);          /* true behind TLS          */
/* crypt_r check of a moderator's password against the configured hash,
 * compared in constant time (arbiterd.c). */
bool arbd_moderator_verify(arbd_server *s, const char *name, const char *password);

/* Decision log (store.c).  Stores one decision row per (post id, policy
 * hash, decided time) with the post, the analysis JSON, the rule and the
 * policy; idempotent on the request's idempotency key.  Calls
 * arbd_review_on_decision() in the same transaction. */
int arbd_store_init(sqlite3 *db, char *err, size_t errlen);
int arbd_store_decision(arbd_server *s, const arb_post *post,
                        const char *decision_json, size_t json_len,
                        const char *action, const char *rule,
                        const char *policy_id, const char *policy_version,
                        const char *policy_hash, const char *idempotency_key,
                        int64_t *decision_id);

/* Review (review.c). */
int arbd_review_init(arbd_server *s, sqlite3 *db, char *err, size_t errlen);
/* Called inside the decision-log transaction: escalations enter the queue. */
int arbd_review_on_decision(sqlite3 *db, int64_t decision_id, const char *action);
/* Returns true if the request was for a review route (and filled rs). */
bool arbd_review_route(arbd_server *s, const arbd_request *rq, arbd_response *rs);

#endif
