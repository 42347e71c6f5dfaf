/*
 * arbiterd.c -- main of the HTTP service: flags, the YAML configuration
 * file, the policy engine and its reloads, signals and graceful shutdown.
 *
 * Invariants:
 *  - Flags override the configuration file, which overrides the defaults.
 *  - A configuration mistake names FILE:LINE:COL and stops the daemon
 *    before it listens; a broken policy at start-up does the same, while a
 *    broken policy at reload is refused and the running one stays.
 *  - SIGTERM/SIGINT/SIGHUP are blocked in every thread and taken here with
 *    sigwait(), so handlers never run in signal context.
 *  - Shutdown order: stop accepting, wait for requests in flight (bounded
 *    by shutdown_grace_s), stop the HTTP threads, close the database, exit 0.
 *  - Only hashes of secrets are kept: tokens as SHA-256 hex, moderator
 *    passwords as crypt(3) strings.
 */
#include "server.h"

#include <crypt.h>
#include <dirent.h>
#include <errno.h>
#include <libfyaml.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define EXIT_USAGE 2
#define EXIT_CONFIG 3
#define EXIT_RUNTIME 4

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (!p) {
        fputs("arbiterd: out of memory\n", stderr);
        exit(EXIT_RUNTIME);
    }
    memcpy(p, s, n);
    return p;
}

static void config_defaults(arbd_config *c)
{
    memset(c, 0, sizeof *c);
    c->listen_addr = xstrdup("127.0.0.1");
    c->port = 8080;
    c->threads = 2;
    c->db_path = xstrdup("arbiter.db");
    c->sync_full = false; /* WAL + NORMAL: durable across kill -9; see etc/arbiterd.example.yaml */
    c->wal_rewind_mb = 256;
    c->commit_batch = 512;
    c->max_body = 1u << 20;
    c->max_batch = 1000;
    c->max_connections = 256;
    c->connection_timeout_s = 30;
    c->request_timeout_ms = 10000;
    c->shutdown_grace_s = 30;
    arb_limits lim;
    arb_limits_default(&lim);
    c->max_text = lim.max_text_bytes;
    c->log_level = ARBD_LOG_INFO;
}

static void config_free(arbd_config *c)
{
    free(c->listen_addr);
    free(c->policy_path);
    free(c->policy_brief_path);
    free(c->db_path);
    for (size_t i = 0; i < c->n_tokens; i++)
        free(c->tokens[i].name);
    free(c->tokens);
    for (size_t i = 0; i < c->n_moderators; i++) {
        free(c->moderators[i].name);
        free(c->moderators[i].hash);
    }
    free(c->moderators);
}

/* ------------------------------------------------------------------ */
/* configuration file                                                  */
/* ------------------------------------------------------------------ */
typedef struct cfgctx {
    const char *file;
    char dir[4096]; /* directory of the file, for relative paths */
    char err[1024];
} cfgctx;

static void quiet(struct fy_diag *d, void *u, const char *b, size_t l)
{
    (void)d;
    (void)u;
    (void)b;
    (void)l;
}

static void node_pos(struct fy_node *n, unsigned *line, unsigned *col)
{
    *line = *col = 0;
    struct fy_token *t = n ? fy_node_get_scalar_token(n) : NULL;
    if (!t && n && fy_node_is_mapping(n)) {
        void *it = NULL;
        struct fy_node_pair *p = fy_node_mapping_iterate(n, &it);
        if (p)
            t = fy_node_get_scalar_token(fy_node_pair_key(p));
    }
    if (!t && n && fy_node_is_sequence(n)) {
        void *it = NULL;
        struct fy_node *k = fy_node_sequence_iterate(n, &it);
        if (k) {
            node_pos(k, line, col);
            return;
        }
    }
    const struct fy_mark *m = t ? fy_token_start_mark(t) : NULL;
    if (m) {
        *line = (unsigned)m->line + 1;
        *col = (unsigned)m->column + 1;
    }
}

static int cfg_fail(cfgctx *c, struct fy_node *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int cfg_fail(cfgctx *c, struct fy_node *at, const char *fmt, ...)
{
    unsigned line, col;
    node_pos(at, &line, &col);
    char msg[700];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(c->err, sizeof c->err, "%s:%u:%u: %s", c->file, line, col, msg);
    return -1;
}

static int get_str(cfgctx *c, struct fy_node *v, const char *key, char **out)
{
    if (!v || !fy_node_is_scalar(v))
        return cfg_fail(c, v, "\"%s\" must be a string", key);
    size_t len;
    const char *s = fy_node_get_scalar(v, &len);
    if (!s || memchr(s, '\0', len))
        return cfg_fail(c, v, "\"%s\" must be a string", key);
    char *p = malloc(len + 1);
    if (!p)
        return cfg_fail(c, v, "out of memory");
    memcpy(p, s, len);
    p[len] = '\0';
    free(*out);
    *out = p;
    return 0;
}

static int get_path(cfgctx *c, struct fy_node *v, const char *key, char **out)
{
    if (get_str(c, v, key, out) != 0)
        return -1;
    if ((*out)[0] != '/' && c->dir[0]) {
        size_t n = strlen(c->dir) + strlen(*out) + 2;
        char *p = malloc(n);
        if (!p)
            return cfg_fail(c, v, "out of memory");
        snprintf(p, n, "%s/%s", c->dir, *out);
        free(*out);
        *out = p;
    }
    return 0;
}

static int get_uint(cfgctx *c, struct fy_node *v, const char *key, unsigned long long lo,
                    unsigned long long hi, unsigned long long *out)
{
    char *s = NULL;
    if (get_str(c, v, key, &s) != 0)
        return -1;
    char *end;
    errno = 0;
    unsigned long long n = strtoull(s, &end, 10);
    bool bad = errno || end == s || *end || s[0] == '-';
    free(s);
    if (bad || n < lo || n > hi)
        return cfg_fail(c, v, "\"%s\" must be a whole number from %llu to %llu", key, lo, hi);
    *out = n;
    return 0;
}

static int get_bool(cfgctx *c, struct fy_node *v, const char *key, bool *out)
{
    char *s = NULL;
    if (get_str(c, v, key, &s) != 0)
        return -1;
    int r = 0;
    if (!strcmp(s, "true") || !strcmp(s, "yes") || !strcmp(s, "on"))
        *out = true;
    else if (!strcmp(s, "false") || !strcmp(s, "no") || !strcmp(s, "off"))
        *out = false;
    else
        r = cfg_fail(c, v, "\"%s\" must be true or false", key);
    free(s);
    return r;
}

static int parse_level(const char *s)
{
    static const char *const names[] = {"debug", "info", "warn", "error"};
    for (int i = 0; i < 4; i++)
        if (!strcmp(s, names[i]))
            return i;
    return -1;
}

/* "ADDR:PORT", "[V6]:PORT", or "PORT" */
static int parse_listen(const char *s, char **addr, unsigned *port)
{
    const char *colon;
    char host[256];
    if (s[0] == '[') {
        const char *rb = strchr(s, ']');
        if (!rb || rb[1] != ':' || (size_t)(rb - s - 1) >= sizeof host)
            return -1;
        memcpy(host, s + 1, (size_t)(rb - s - 1));
        host[rb - s - 1] = '\0';
        colon = rb + 1;
    } else if ((colon = strrchr(s, ':'))) {
        if ((size_t)(colon - s) >= sizeof host)
            return -1;
        memcpy(host, s, (size_t)(colon - s));
        host[colon - s] = '\0';
    } else {
        snprintf(host, sizeof host, "127.0.0.1");
        colon = s - 1;
    }
    char *end;
    unsigned long p = strtoul(colon + 1, &end, 10);
    if (end == colon + 1 || *end || p > 65535 || !host[0])
        return -1;
    free(*addr);
    *addr = xstrdup(host);
    *port = (unsigned)p;
    return 0;
}

static bool is_hex64(const char *s)
{
    if (strlen(s) != 64)
        return false;
    for (int i = 0; i < 64; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

static const char *key_of(struct fy_node_pair *p, struct fy_node **kn)
{
    *kn = fy_node_pair_key(p);
    if (!*kn || !fy_node_is_scalar(*kn))
        return NULL;
    return fy_node_get_scalar0(*kn);
}

static int parse_limits(cfgctx *c, arbd_config *cfg, struct fy_node *m)
{
    if (!fy_node_is_mapping(m))
        return cfg_fail(c, m, "\"limits\" must be a mapping");
    void *it = NULL;
    struct fy_node_pair *p;
    while ((p = fy_node_mapping_iterate(m, &it))) {
        struct fy_node *kn, *v = fy_node_pair_value(p);
        const char *k = key_of(p, &kn);
        unsigned long long n;
        if (!k)
            return cfg_fail(c, kn, "keys must be plain strings");
        if (!strcmp(k, "body_bytes")) {
            if (get_uint(c, v, k, 1024, 1ull << 30, &n))
                return -1;
            cfg->max_body = (size_t)n;
        } else if (!strcmp(k, "batch_posts")) {
            if (get_uint(c, v, k, 1, 1000000, &n))
                return -1;
            cfg->max_batch = (size_t)n;
        } else if (!strcmp(k, "connections")) {
            if (get_uint(c, v, k, 1, 100000, &n))
                return -1;
            cfg->max_connections = (unsigned)n;
        } else if (!strcmp(k, "connection_timeout_s")) {
            if (get_uint(c, v, k, 1, 3600, &n))
                return -1;
            cfg->connection_timeout_s = (unsigned)n;
        } else if (!strcmp(k, "request_timeout_ms")) {
            if (get_uint(c, v, k, 1, 3600000, &n))
                return -1;
            cfg->request_timeout_ms = (unsigned)n;
        } else if (!strcmp(k, "shutdown_grace_s")) {
            if (get_uint(c, v, k, 0, 3600, &n))
                return -1;
            cfg->shutdown_grace_s = (unsigned)n;
        } else if (!strcmp(k, "text_bytes")) {
            if (get_uint(c, v, k, 1, 1u << 24, &n))
                return -1;
            cfg->max_text = (size_t)n;
        } else {
            return cfg_fail(c, kn,
                            "unknown key \"limits.%s\" (known: body_bytes, batch_posts, "
                            "connections, connection_timeout_s, request_timeout_ms, "
                            "shutdown_grace_s, text_bytes)",
                            k);
        }
    }
    return 0;
}

static int parse_tokens(cfgctx *c, arbd_config *cfg, struct fy_node *seq)
{
    if (!fy_node_is_sequence(seq))
        return cfg_fail(c, seq, "\"tokens\" must be a list of {name, role, sha256}");
    void *it = NULL;
    struct fy_node *item;
    while ((item = fy_node_sequence_iterate(seq, &it))) {
        if (!fy_node_is_mapping(item))
            return cfg_fail(c, item, "each token must be a mapping {name, role, sha256}");
        arbd_token t = {0};
        char *role = NULL, *hex = NULL;
        struct fy_node *role_node = item, *hex_node = item;
        void *it2 = NULL;
        struct fy_node_pair *p;
        int rc = 0;
        while (!rc && (p = fy_node_mapping_iterate(item, &it2))) {
            struct fy_node *kn, *v = fy_node_pair_value(p);
            const char *k = key_of(p, &kn);
            if (k && !strcmp(k, "name"))
                rc = get_str(c, v, "name", &t.name);
            else if (k && !strcmp(k, "role"))
                rc = get_str(c, role_node = v, "role", &role);
            else if (k && !strcmp(k, "sha256"))
                rc = get_str(c, hex_node = v, "sha256", &hex);
            else if (k && !strcmp(k, "token"))
                rc = cfg_fail(c, kn, "plain tokens are not accepted: store \"sha256\" "
                                     "(make it with `arbiterd --hash-token`)");
            else
                rc = cfg_fail(c, kn, "unknown token key \"%s\" (known: name, role, sha256)",
                              k ? k : "?");
        }
        if (!rc && (!t.name || !t.name[0]))
            rc = cfg_fail(c, item, "a token needs a \"name\"");
        if (!rc && !role)
            rc = cfg_fail(c, item, "token \"%s\" needs a \"role\"", t.name);
        if (!rc) {
            if (!strcmp(role, "service"))
                t.role = ARBD_ROLE_SERVICE;
            else if (!strcmp(role, "moderator"))
                t.role = ARBD_ROLE_MODERATOR;
            else if (!strcmp(role, "admin"))
                t.role = ARBD_ROLE_ADMIN;
            else
                rc = cfg_fail(c, role_node,
                              "token \"%s\": role \"%s\" is not service, moderator or admin",
                              t.name, role);
        }
        if (!rc && (!hex || !is_hex64(hex)))
            rc = cfg_fail(c, hex_node, "token \"%s\" needs \"sha256\": 64 lowercase hex digits",
                          t.name);
        if (!rc)
            memcpy(t.sha256, hex, 65);
        free(role);
        free(hex);
        if (rc) {
            free(t.name);
            return -1;
        }
        arbd_token *nt = realloc(cfg->tokens, (cfg->n_tokens + 1) * sizeof *nt);
        if (!nt) {
            free(t.name);
            return cfg_fail(c, item, "out of memory");
        }
        cfg->tokens = nt;
        cfg->tokens[cfg->n_tokens++] = t;
    }
    return 0;
}

static int parse_moderators(cfgctx *c, arbd_config *cfg, struct fy_node *seq)
{
    if (!fy_node_is_sequence(seq))
        return cfg_fail(c, seq, "\"moderators\" must be a list of {name, password_hash}");
    void *it = NULL;
    struct fy_node *item;
    while ((item = fy_node_sequence_iterate(seq, &it))) {
        if (!fy_node_is_mapping(item))
            return cfg_fail(c, item, "each moderator must be a mapping {name, password_hash}");
        arbd_moderator m = {0};
        void *it2 = NULL;
        struct fy_node_pair *p;
        int rc = 0;
        while (!rc && (p = fy_node_mapping_iterate(item, &it2))) {
            struct fy_node *kn, *v = fy_node_pair_value(p);
            const char *k = key_of(p, &kn);
            if (k && !strcmp(k, "name"))
                rc = get_str(c, v, "name", &m.name);
            else if (k && !strcmp(k, "password_hash"))
                rc = get_str(c, v, "password_hash", &m.hash);
            else
                rc = cfg_fail(c, kn, "unknown moderator key \"%s\" (known: name, password_hash)",
                              k ? k : "?");
        }
        if (!rc && (!m.name || !m.name[0]))
            rc = cfg_fail(c, item, "a moderator needs a \"name\"");
        if (!rc && (!m.hash || m.hash[0] != '$'))
            rc = cfg_fail(c, item,
                          "moderator \"%s\" needs \"password_hash\", a crypt(3) hash such as "
                          "\"$y$...\" (make it with `arbiterd --hash-password`)",
                          m.name);
        if (rc) {
            free(m.name);
            free(m.hash);
            return -1;
        }
        arbd_moderator *nm = realloc(cfg->moderators, (cfg->n_moderators + 1) * sizeof *nm);
        if (!nm) {
            free(m.name);
            free(m.hash);
            return cfg_fail(c, item, "out of memory");
        }
        cfg->moderators = nm;
        cfg->moderators[cfg->n_moderators++] = m;
    }
    return 0;
}

static int parse_root(cfgctx *c, arbd_config *cfg, struct fy_node *root)
{
    if (!root)
        return 0; /* empty file: defaults */
    if (!fy_node_is_mapping(root))
        return cfg_fail(c, root, "the configuration must be a mapping of keys");
    void *it = NULL;
    struct fy_node_pair *p;
    while ((p = fy_node_mapping_iterate(root, &it))) {
        struct fy_node *kn, *v = fy_node_pair_value(p);
        const char *k = key_of(p, &kn);
        unsigned long long n;
        char *s = NULL;
        if (!k)
            return cfg_fail(c, kn, "keys must be plain strings");
        if (!strcmp(k, "listen")) {
            if (get_str(c, v, k, &s))
                return -1;
            int bad = parse_listen(s, &cfg->listen_addr, &cfg->port);
            free(s);
            if (bad)
                return cfg_fail(c, v, "\"listen\" must be ADDRESS:PORT, [IPV6]:PORT or PORT");
        } else if (!strcmp(k, "threads")) {
            if (get_uint(c, v, k, 1, 256, &n))
                return -1;
            cfg->threads = (unsigned)n;
        } else if (!strcmp(k, "policy")) {
            if (get_path(c, v, k, &cfg->policy_path))
                return -1;
        } else if (!strcmp(k, "policy_brief")) {
            if (get_path(c, v, k, &cfg->policy_brief_path))
                return -1;
        } else if (!strcmp(k, "database")) {
            if (get_path(c, v, k, &cfg->db_path))
                return -1;
        } else if (!strcmp(k, "database_sync")) {
            if (get_str(c, v, k, &s))
                return -1;
            int bad = 0;
            if (!strcmp(s, "full"))
                cfg->sync_full = true;
            else if (!strcmp(s, "normal"))
                cfg->sync_full = false;
            else
                bad = 1;
            free(s);
            if (bad)
                return cfg_fail(c, v, "\"database_sync\" must be full or normal");
        } else if (!strcmp(k, "wal_rewind_mb")) {
            if (get_uint(c, v, k, 1, 65536, &n))
                return -1;
            cfg->wal_rewind_mb = (unsigned)n;
        } else if (!strcmp(k, "commit_batch")) {
            if (get_uint(c, v, k, 1, 1000000, &n))
                return -1;
            cfg->commit_batch = (unsigned)n;
        } else if (!strcmp(k, "log_level")) {
            if (get_str(c, v, k, &s))
                return -1;
            int l = parse_level(s);
            free(s);
            if (l < 0)
                return cfg_fail(c, v, "\"log_level\" must be debug, info, warn or error");
            cfg->log_level = l;
        } else if (!strcmp(k, "secure_cookies")) {
            if (get_bool(c, v, k, &cfg->secure_cookies))
                return -1;
        } else if (!strcmp(k, "limits")) {
            if (parse_limits(c, cfg, v))
                return -1;
        } else if (!strcmp(k, "tokens")) {
            if (parse_tokens(c, cfg, v))
                return -1;
        } else if (!strcmp(k, "moderators")) {
            if (parse_moderators(c, cfg, v))
                return -1;
        } else {
            return cfg_fail(c, kn,
                            "unknown key \"%s\" (known: listen, threads, policy, policy_brief, "
                            "database, database_sync, wal_rewind_mb, commit_batch, log_level, "
                            "secure_cookies, limits, tokens, "
                            "moderators)",
                            k);
        }
    }
    return 0;
}

static int config_load(const char *path, arbd_config *cfg, char *err, size_t errlen)
{
    cfgctx c = {.file = path};
    const char *slash = strrchr(path, '/');
    if (slash && (size_t)(slash - path) < sizeof c.dir) {
        memcpy(c.dir, path, (size_t)(slash - path));
        c.dir[slash - path] = '\0';
        if (!c.dir[0])
            snprintf(c.dir, sizeof c.dir, "/");
    }
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    struct fy_diag_cfg dc;
    fy_diag_cfg_default(&dc);
    dc.fp = NULL;
    dc.output_fn = quiet;
    dc.colorize = false;
    struct fy_diag *diag = fy_diag_create(&dc);
    if (!diag) {
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    fy_diag_set_collect_errors(diag, true);
    struct fy_parse_cfg pc;
    memset(&pc, 0, sizeof pc);
    pc.flags = FYPCF_QUIET;
    pc.diag = diag;
    struct fy_document *doc = fy_document_build_from_file(&pc, path);
    int rc = 0;
    if (!doc) {
        void *it = NULL;
        struct fy_diag_error *de = fy_diag_errors_iterate(diag, &it);
        if (de)
            snprintf(err, errlen, "%s:%d:%d: YAML syntax error: %s", path, de->line + 1,
                     de->column + 1, de->msg ? de->msg : "invalid YAML");
        else
            snprintf(err, errlen, "%s: cannot read the file as YAML", path);
        rc = -1;
    } else {
        rc = parse_root(&c, cfg, fy_document_root(doc));
        if (rc)
            snprintf(err, errlen, "%s", c.err);
        fy_document_destroy(doc);
    }
    fy_diag_destroy(diag);
    return rc;
}

/* ------------------------------------------------------------------ */
/* policy sources                                                      */
/* ------------------------------------------------------------------ */
typedef struct srclist {
    arb_source *v;
    size_t n, cap;
} srclist;

static int read_whole(const char *path, char **data, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    size_t cap = 65536, n = 0;
    char *p = malloc(cap);
    size_t r;
    while (p && (r = fread(p + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) {
            char *np = cap < (64u << 20) ? realloc(p, cap * 2) : NULL;
            if (!np) {
                free(p);
                p = NULL;
                break;
            }
            p = np;
            cap *= 2;
        }
    }
    int bad = ferror(f) || !p;
    fclose(f);
    if (bad) {
        free(p);
        return -1;
    }
    *data = p;
    *len = n;
    return 0;
}

static int cmp_src(const void *a, const void *b)
{
    return strcmp(((const arb_source *)a)->name, ((const arb_source *)b)->name);
}

static bool yaml_name(const char *n)
{
    size_t l = strlen(n);
    return (l > 5 && !strcmp(n + l - 5, ".yaml")) || (l > 4 && !strcmp(n + l - 4, ".yml"));
}

static int add_source(srclist *l, const char *path, char *err, size_t errlen)
{
    char *data;
    size_t len;
    if (read_whole(path, &data, &len) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno ? errno : EIO));
        return -1;
    }
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 16;
        arb_source *nv = realloc(l->v, nc * sizeof *nv);
        if (!nv) {
            free(data);
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        l->v = nv;
        l->cap = nc;
    }
    l->v[l->n].name = xstrdup(path);
    l->v[l->n].data = data;
    l->v[l->n].len = len;
    l->n++;
    return 0;
}

static int collect_dir(srclist *l, const char *dir, int depth, char *err, size_t errlen)
{
    if (depth > 8)
        return 0;
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, errlen, "%s: %s", dir, strerror(errno));
        return -1;
    }
    struct dirent *de;
    int rc = 0;
    while (!rc && (de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        size_t pl = strlen(dir) + strlen(de->d_name) + 2;
        char *p = malloc(pl);
        if (!p) {
            rc = -1;
            break;
        }
        snprintf(p, pl, "%s/%s", dir, de->d_name);
        struct stat st;
        if (stat(p, &st) == 0 && S_ISDIR(st.st_mode))
            rc = collect_dir(l, p, depth + 1, err, errlen);
        else if (yaml_name(de->d_name))
            rc = add_source(l, p, err, errlen);
        free(p);
    }
    closedir(d);
    return rc;
}

static void sources_free(srclist *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free((char *)l->v[i].name);
        free((char *)l->v[i].data);
    }
    free(l->v);
}

/* Builds an engine from `path` (NULL: embedded). */
static int engine_build(const char *path, arb_engine **out, char *err, size_t errlen)
{
    srclist l = {0};
    *out = NULL;
    if (path) {
        struct stat st;
        if (stat(path, &st) != 0) {
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
            return -1;
        }
        int rc = S_ISDIR(st.st_mode) ? collect_dir(&l, path, 0, err, errlen)
                                      : add_source(&l, path, err, errlen);
        if (rc == 0 && l.n == 0) {
            snprintf(err, errlen, "%s: no .yaml files in this directory", path);
            rc = -1;
        }
        if (rc) {
            sources_free(&l);
            return -1;
        }
        qsort(l.v, l.n, sizeof *l.v, cmp_src);
    }
    arb_engine_options o = {0};
    o.policy = l.v;
    o.n_policy = l.n;
    arb_error ae;
    memset(&ae, 0, sizeof ae);
    arb_status st = arb_engine_new(&o, out, &ae);
    sources_free(&l);
    if (st != ARB_OK) {
        const char *m = ae.message[0] ? ae.message : arb_strerror(st);
        if (ae.source[0])
            snprintf(err, errlen, "%s:%u:%u: %s", ae.source, ae.line, ae.column, m);
        else
            snprintf(err, errlen, "%s", m);
        return -1;
    }
    return 0;
}

static char *read_brief(arbd_server *s)
{
    if (!s->cfg.policy_brief_path)
        return NULL;
    char *data;
    size_t len;
    if (read_whole(s->cfg.policy_brief_path, &data, &len) != 0) {
        arbd_logf(s, ARBD_LOG_WARN, "policy brief %s: %s", s->cfg.policy_brief_path,
                  strerror(errno ? errno : EIO));
        return NULL;
    }
    char *z = realloc(data, len + 1);
    if (!z) {
        free(data);
        return NULL;
    }
    z[len] = '\0';
    return z;
}

int arbd_reload(arbd_server *s, char *err, size_t errlen)
{
    pthread_mutex_lock(&s->reload_mu);
    arb_engine *ne = NULL;
    int rc = engine_build(s->cfg.policy_path, &ne, err, errlen);
    pthread_mutex_lock(&s->metrics.mu);
    if (rc == 0)
        s->metrics.reloads_ok++;
    else
        s->metrics.reloads_failed++;
    pthread_mutex_unlock(&s->metrics.mu);
    if (rc != 0) {
        arbd_logf(s, ARBD_LOG_ERROR, "policy reload refused, the running policy stays: %s", err);
        pthread_mutex_unlock(&s->reload_mu);
        return -1;
    }
    char *brief = read_brief(s);
    pthread_mutex_lock(&s->engine_mu);
    arb_engine *old = s->engine;
    s->engine = ne;
    s->loaded_at_ms = arbd_now_ms();
    /* a previous brief stays allocated until exit: a review request may
     * still be reading it (arbd_policy_brief_html hands out the pointer) */
    if (brief) {
        char **nb = realloc(s->old_briefs, (s->n_old_briefs + 1) * sizeof *nb);
        if (nb) {
            s->old_briefs = nb;
            s->old_briefs[s->n_old_briefs++] = s->brief_html;
            s->brief_html = brief;
            brief = NULL;
        }
    }
    pthread_mutex_unlock(&s->engine_mu);
    free(brief);
    arb_engine_unref(old); /* requests in flight keep their own reference */
    arbd_logf(s, ARBD_LOG_INFO, "policy loaded: %s version %s hash %s",
              arb_engine_policy_id(ne), arb_engine_policy_version(ne),
              arb_engine_policy_hash(ne));
    pthread_mutex_unlock(&s->reload_mu);
    return 0;
}

/* ------------------------------------------------------------------ */
/* secrets                                                             */
/* ------------------------------------------------------------------ */
static bool ct_streq(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    unsigned diff = (unsigned)(la ^ lb);
    for (size_t i = 0; i < la; i++)
        diff |= (unsigned char)(a[i] ^ b[i < lb ? i : 0]);
    return diff == 0;
}

bool arbd_moderator_verify(arbd_server *s, const char *name, const char *password)
{
    const char *hash = NULL;
    for (size_t i = 0; i < s->cfg.n_moderators; i++)
        if (!strcmp(s->cfg.moderators[i].name, name))
            hash = s->cfg.moderators[i].hash;
    struct crypt_data *cd = calloc(1, sizeof *cd);
    if (!cd)
        return false;
    /* an unknown name still costs one hash, so names cannot be probed by time */
    const char *setting = hash ? hash : "$y$j9T$AAAAAAAAAAAAAAAAAAAAA.$";
    const char *out = crypt_r(password, setting, cd);
    bool ok = hash && out && out[0] == '$' && ct_streq(out, hash);
    free(cd);
    return ok;
}

static int read_secret(char *buf, size_t cap)
{
    if (!fgets(buf, (int)cap, stdin))
        return -1;
    size_t n = strlen(buf);
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        buf[--n] = '\0';
    return n ? 0 : -1;
}

static int hash_password(void)
{
    char pw[1024];
    if (read_secret(pw, sizeof pw) != 0) {
        fputs("arbiterd: --hash-password reads a non-empty password on stdin\n", stderr);
        return EXIT_USAGE;
    }
    char salt[CRYPT_GENSALT_OUTPUT_SIZE];
    if (!crypt_gensalt_rn("$y$", 0, NULL, 0, salt, sizeof salt)) {
        fprintf(stderr, "arbiterd: crypt_gensalt: %s\n", strerror(errno));
        return EXIT_RUNTIME;
    }
    struct crypt_data *cd = calloc(1, sizeof *cd);
    const char *h = cd ? crypt_r(pw, salt, cd) : NULL;
    explicit_bzero(pw, sizeof pw);
    if (!h || h[0] != '$') {
        fputs("arbiterd: crypt failed\n", stderr);
        free(cd);
        return EXIT_RUNTIME;
    }
    printf("%s\n", h);
    free(cd);
    return 0;
}

static int hash_token(void)
{
    char tok[1024];
    if (read_secret(tok, sizeof tok) != 0) {
        fputs("arbiterd: --hash-token reads a non-empty token on stdin\n", stderr);
        return EXIT_USAGE;
    }
    char hex[65];
    arbd_sha256_hex(tok, strlen(tok), hex);
    explicit_bzero(tok, sizeof tok);
    printf("%s\n", hex);
    return 0;
}

/* ------------------------------------------------------------------ */
/* main                                                                */
/* ------------------------------------------------------------------ */
static void usage(FILE *f)
{
    fputs("usage: arbiterd [--config FILE] [options]\n"
          "       arbiterd --hash-password   < password   (prints a crypt(3) yescrypt hash)\n"
          "       arbiterd --hash-token      < token      (prints its SHA-256 hex)\n"
          "\n"
          "options (override the configuration file):\n"
          "  -c, --config FILE     YAML configuration (see etc/arbiterd.example.yaml)\n"
          "  -l, --listen ADDR:PORT  address to listen on (default 127.0.0.1:8080)\n"
          "  -t, --threads N       HTTP worker threads (default 2)\n"
          "  -p, --policy PATH     policy pack: .yaml file or directory (default: embedded)\n"
          "  -d, --db PATH         SQLite decision log (default arbiter.db)\n"
          "      --log-level L     debug, info, warn or error (default info)\n"
          "      --check-config    load configuration and policy, then exit\n"
          "  -h, --help            this text\n"
          "      --version         print the version\n"
          "\n"
          "signals: SIGHUP reloads the policy; SIGTERM/SIGINT shut down gracefully.\n"
          "exit codes: 0 ok, 2 usage, 3 configuration or policy error, 4 runtime error\n",
          f);
}

static const char *flag_value(int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    const char *eq = strchr(a, '=');
    if (a[1] == '-' && eq)
        return eq + 1;
    if (*i + 1 >= argc) {
        fprintf(stderr, "arbiterd: %s needs a value\n", a);
        exit(EXIT_USAGE);
    }
    return argv[++*i];
}

static bool flag_is(const char *a, const char *s, const char *l)
{
    if (s && !strcmp(a, s))
        return true;
    size_t n = strlen(l);
    return !strncmp(a, l, n) && (a[n] == '\0' || a[n] == '=');
}

/* Releases everything main() set up (whatever got that far) and returns code. */
static int server_free(arbd_server *s, int code)
{
    arbd_store_writer_stop(s);
    arbd_http_stop(s);
    arbd_store_checkpointer_stop(s);
    if (s->db) {
        sqlite3_finalize(s->st_insert);
        sqlite3_finalize(s->st_select);
        sqlite3_close_v2(s->db);
    }
    arb_engine_unref(s->engine);
    free(s->brief_html);
    for (size_t i = 0; i < s->n_old_briefs; i++)
        free(s->old_briefs[i]);
    free(s->old_briefs);
    config_free(&s->cfg);
    arbd_metrics_free(&s->metrics);
    pthread_mutex_destroy(&s->engine_mu);
    pthread_mutex_destroy(&s->reload_mu);
    pthread_mutex_destroy(&s->db_mu);
    free(s);
    return code;
}

int main(int argc, char **argv)
{
    const char *config_path = NULL, *listen = NULL, *threads = NULL, *policy = NULL,
               *db = NULL, *level = NULL;
    bool check_only = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (flag_is(a, "-h", "--help")) {
            usage(stdout);
            return 0;
        } else if (flag_is(a, NULL, "--version")) {
            printf("arbiterd %s\n", ARB_VERSION_STRING);
            return 0;
        } else if (flag_is(a, NULL, "--hash-password")) {
            return hash_password();
        } else if (flag_is(a, NULL, "--hash-token")) {
            return hash_token();
        } else if (flag_is(a, NULL, "--check-config")) {
            check_only = true;
        } else if (flag_is(a, "-c", "--config")) {
            config_path = flag_value(argc, argv, &i);
        } else if (flag_is(a, "-l", "--listen")) {
            listen = flag_value(argc, argv, &i);
        } else if (flag_is(a, "-t", "--threads")) {
            threads = flag_value(argc, argv, &i);
        } else if (flag_is(a, "-p", "--policy")) {
            policy = flag_value(argc, argv, &i);
        } else if (flag_is(a, "-d", "--db")) {
            db = flag_value(argc, argv, &i);
        } else if (flag_is(a, NULL, "--log-level")) {
            level = flag_value(argc, argv, &i);
        } else {
            fprintf(stderr, "arbiterd: unknown argument \"%s\" (try --help)\n", a);
            return EXIT_USAGE;
        }
    }

    arbd_server *s = calloc(1, sizeof *s);
    if (!s)
        return EXIT_RUNTIME;
    config_defaults(&s->cfg);
    arbd_metrics_init(&s->metrics);
    pthread_mutex_init(&s->engine_mu, NULL);
    pthread_mutex_init(&s->reload_mu, NULL);
    pthread_mutex_init(&s->db_mu, NULL);
    char err[1400];
    if (config_path && config_load(config_path, &s->cfg, err, sizeof err) != 0) {
        fprintf(stderr, "arbiterd: %s\n", err);
        return server_free(s, EXIT_CONFIG);
    }
    if (listen && parse_listen(listen, &s->cfg.listen_addr, &s->cfg.port) != 0) {
        fprintf(stderr, "arbiterd: --listen must be ADDRESS:PORT, [IPV6]:PORT or PORT\n");
        return server_free(s, EXIT_USAGE);
    }
    if (threads) {
        char *end;
        unsigned long n = strtoul(threads, &end, 10);
        if (*end || n < 1 || n > 256) {
            fprintf(stderr, "arbiterd: --threads must be 1..256\n");
            return server_free(s, EXIT_USAGE);
        }
        s->cfg.threads = (unsigned)n;
    }
    if (policy) {
        free(s->cfg.policy_path);
        s->cfg.policy_path = xstrdup(policy);
    }
    if (db) {
        free(s->cfg.db_path);
        s->cfg.db_path = xstrdup(db);
    }
    if (level && (s->cfg.log_level = parse_level(level)) < 0) {
        fprintf(stderr, "arbiterd: --log-level must be debug, info, warn or error\n");
        return server_free(s, EXIT_USAGE);
    }

    s->boot_ms = arbd_now_ms();

    if (engine_build(s->cfg.policy_path, &s->engine, err, sizeof err) != 0) {
        arbd_logf(s, ARBD_LOG_ERROR, "policy: %s", err);
        fprintf(stderr, "arbiterd: %s\n", err);
        return server_free(s, EXIT_CONFIG);
    }
    s->loaded_at_ms = arbd_now_ms();
    s->brief_html = read_brief(s);
    if (check_only) {
        printf("configuration ok; policy %s version %s hash %s; %zu tokens, %zu moderators;"
               " database %s (synchronous=%s, WAL rewound past %u MB, group commits of up to"
               " %u decisions)\n",
               arb_engine_policy_id(s->engine), arb_engine_policy_version(s->engine),
               arb_engine_policy_hash(s->engine), s->cfg.n_tokens, s->cfg.n_moderators,
               s->cfg.db_path, s->cfg.sync_full ? "FULL" : "NORMAL", s->cfg.wal_rewind_mb,
               s->cfg.commit_batch);
        return server_free(s, 0);
    }
    if (s->cfg.n_tokens == 0)
        arbd_log(s, ARBD_LOG_WARN, "no API tokens configured: every /v1 endpoint will answer 401",
                 NULL);

    /* signals: blocked everywhere, taken by sigwait below */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (arbd_store_open(&s->cfg, &s->db, err, sizeof err) != 0 ||
        arbd_store_init(s->db, err, sizeof err) != 0 ||
        arbd_review_init(s, s->db, err, sizeof err) != 0 ||
        arbd_store_writer_start(s, err, sizeof err) != 0 || /* inits wq_mu, which */
        arbd_store_checkpointer_start(s, err, sizeof err) != 0) { /* this one uses */
        arbd_logf(s, ARBD_LOG_ERROR, "database: %s", err);
        fprintf(stderr, "arbiterd: database: %s\n", err);
        return server_free(s, EXIT_RUNTIME);
    }
    if (arbd_http_start(s, err, sizeof err) != 0) {
        arbd_logf(s, ARBD_LOG_ERROR, "%s", err);
        fprintf(stderr, "arbiterd: %s\n", err);
        return server_free(s, EXIT_RUNTIME);
    }
    arbd_logf(s, ARBD_LOG_INFO,
              "listening on %s:%u, %u threads, database %s (synchronous=%s, WAL rewound past %u MB,"
              " group commits of up to %u decisions), policy %s %s",
              s->cfg.listen_addr, s->cfg.port, s->cfg.threads, s->cfg.db_path,
              s->cfg.sync_full ? "FULL" : "NORMAL", s->cfg.wal_rewind_mb, s->cfg.commit_batch,
              arb_engine_policy_id(s->engine),
              arb_engine_policy_hash(s->engine));

    for (;;) {
        int sig = 0;
        if (sigwait(&set, &sig) != 0)
            continue;
        if (sig == SIGHUP) {
            arbd_log(s, ARBD_LOG_INFO, "SIGHUP: reloading the policy", NULL);
            arbd_reload(s, err, sizeof err);
            continue;
        }
        arbd_logf(s, ARBD_LOG_INFO, "%s: shutting down, no new connections",
                  sig == SIGTERM ? "SIGTERM" : "SIGINT");
        break;
    }

    arbd_http_quiesce(s);
    double t0 = arbd_mono_s(), idle_since = -1;
    for (;;) {
        double now = arbd_mono_s();
        int inflight = atomic_load(&s->inflight), conns = atomic_load(&s->connections);
        if (inflight == 0) {
            if (idle_since < 0)
                idle_since = now;
            /* idle keep-alive connections get a short chance to close */
            if (conns == 0 || now - idle_since > 0.5)
                break;
        } else {
            idle_since = -1;
        }
        if (now - t0 > s->cfg.shutdown_grace_s) {
            arbd_logf(s, ARBD_LOG_WARN, "shutdown grace of %us over with %d requests in flight",
                      s->cfg.shutdown_grace_s, inflight);
            break;
        }
        usleep(10000);
    }
    /* the writer stores what is queued and resumes those connections first:
     * libmicrohttpd must not be stopped with a connection suspended */
    arbd_store_writer_stop(s);
    arbd_http_stop(s);
    pthread_key_delete(s->scratch_key);
    arbd_store_checkpointer_stop(s);
    int rc = arbd_store_close(s);
    if (rc != SQLITE_OK)
        arbd_logf(s, ARBD_LOG_ERROR, "closing the database: %s", sqlite3_errstr(rc));
    arbd_log(s, ARBD_LOG_INFO, "stopped", NULL);
    return server_free(s, rc == SQLITE_OK ? 0 : EXIT_RUNTIME);
}
