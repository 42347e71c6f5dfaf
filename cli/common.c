/*
 * common.c -- helpers shared by the arbiter subcommands: loading a policy
 * pack from disk, the capped line reader, JSON Lines record parsing, and
 * turning one record into exactly one output line (decision or error).
 *
 * Invariant: every input line yields exactly one output line.
 */
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---------------- strings ---------------- */

void cli_str_put(cli_str *s, const char *p, size_t n)
{
    if (s->len + n + 1 > s->cap) {
        size_t nc = s->cap ? s->cap : 256;
        while (nc < s->len + n + 1)
            nc *= 2;
        char *np = realloc(s->p, nc);
        if (!np) {
            fprintf(stderr, "arbiter: out of memory\n");
            exit(CLI_EXIT_IO);
        }
        s->p = np;
        s->cap = nc;
    }
    memcpy(s->p + s->len, p, n);
    s->len += n;
    s->p[s->len] = '\0';
}

void cli_str_free(cli_str *s)
{
    free(s->p);
    s->p = NULL;
    s->len = s->cap = 0;
}

/* ---------------- policy sources ---------------- */

static int read_file(const char *path, char **data, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    cli_str s = {0};
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        cli_str_put(&s, buf, n);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        cli_str_free(&s);
        return -1;
    }
    if (!s.p)
        cli_str_put(&s, "", 0);
    *data = s.p;
    *len = s.len;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_yaml(const char *name)
{
    size_t l = strlen(name);
    return (l > 5 && strcmp(name + l - 5, ".yaml") == 0) ||
           (l > 4 && strcmp(name + l - 4, ".yml") == 0);
}

/* Collects *.yaml under dir (recursively) into names. */
static int collect(const char *dir, char ***names, size_t *n, size_t *cap, int depth)
{
    if (depth > 8)
        return 0;
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        size_t pl = strlen(dir) + strlen(de->d_name) + 2;
        char *p = malloc(pl);
        if (!p)
            break;
        snprintf(p, pl, "%s/%s", dir, de->d_name);
        struct stat st;
        if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
            collect(p, names, n, cap, depth + 1);
            free(p);
        } else if (is_yaml(de->d_name)) {
            if (*n == *cap) {
                *cap = *cap ? *cap * 2 : 16;
                *names = realloc(*names, *cap * sizeof **names);
            }
            (*names)[(*n)++] = p;
        } else {
            free(p);
        }
    }
    closedir(d);
    return 0;
}

int cli_sources_read(const char *path, arb_source **src, size_t *n)
{
    struct stat st;
    *src = NULL;
    *n = 0;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "arbiter: %s: %s\n", path, strerror(errno));
        return CLI_EXIT_IO;
    }
    char **names = NULL;
    size_t nn = 0, cap = 0;
    if (S_ISDIR(st.st_mode)) {
        if (collect(path, &names, &nn, &cap, 0) != 0) {
            fprintf(stderr, "arbiter: %s: %s\n", path, strerror(errno));
            return CLI_EXIT_IO;
        }
        if (nn == 0) {
            fprintf(stderr, "arbiter: %s: no .yaml files in this directory\n", path);
            free(names);
            return CLI_EXIT_IO;
        }
        qsort(names, nn, sizeof *names, cmp_str);
    } else {
        names = malloc(sizeof *names);
        names[0] = strdup(path);
        nn = 1;
    }
    arb_source *s = calloc(nn, sizeof *s);
    for (size_t i = 0; i < nn; i++) {
        char *data;
        size_t len;
        if (read_file(names[i], &data, &len) != 0) {
            fprintf(stderr, "arbiter: %s: %s\n", names[i], strerror(errno));
            for (size_t j = i; j < nn; j++)
                free(names[j]);
            free(names);
            cli_sources_free(s, i);
            return CLI_EXIT_IO;
        }
        s[i].name = names[i];
        s[i].data = data;
        s[i].len = len;
    }
    free(names);
    *src = s;
    *n = nn;
    return 0;
}

void cli_sources_free(arb_source *src, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free((char *)src[i].name);
        free((char *)src[i].data);
    }
    free(src);
}

int cli_engine_load(const char *policy_path, arb_engine **out)
{
    arb_source *src = NULL;
    size_t n = 0;
    if (policy_path) {
        int rc = cli_sources_read(policy_path, &src, &n);
        if (rc)
            return CLI_EXIT_POLICY;
    }
    arb_engine_options o = {0};
    o.policy = src;
    o.n_policy = n;
    arb_error err = {0};
    arb_status st = arb_engine_new(&o, out, &err);
    cli_sources_free(src, n);
    if (st != ARB_OK) {
        if (err.source[0])
            fprintf(stderr, "arbiter: %s:%u:%u: %s\n", err.source, err.line, err.column,
                    err.message[0] ? err.message : arb_strerror(st));
        else
            fprintf(stderr, "arbiter: %s\n", err.message[0] ? err.message : arb_strerror(st));
        return CLI_EXIT_POLICY;
    }
    return 0;
}

/* ---------------- line reader ---------------- */

void cli_lines_init(cli_lines *lr, FILE *f, size_t max)
{
    memset(lr, 0, sizeof *lr);
    lr->f = f;
    lr->max = max;
}

int cli_lines_next(cli_lines *lr, const char **line, size_t *len)
{
    size_t n = 0;
    bool over = false;
    int c = EOF;
    if (lr->eof)
        return 0;
    for (;;) {
        /* fast path: read directly into the buffer with getc_unlocked */
        c = getc_unlocked(lr->f);
        if (c == EOF || c == '\n')
            break;
        if (over) {
            n++;
            continue;
        }
        if (n + 2 > lr->cap) {
            size_t nc = lr->cap ? lr->cap * 2 : 4096;
            if (nc > lr->max + 2)
                nc = lr->max + 2;
            if (n + 2 > nc) {
                over = true;
                n++;
                continue;
            }
            char *nb = realloc(lr->buf, nc);
            if (!nb) {
                over = true;
                n++;
                continue;
            }
            lr->buf = nb;
            lr->cap = nc;
        }
        lr->buf[n++] = (char)c;
    }
    if (c == EOF) {
        lr->eof = true;
        if (n == 0 && !over)
            return 0;
    }
    lr->lineno++;
    if (over || n > lr->max) {
        *line = NULL;
        *len = n;
        return -1;
    }
    if (n && lr->buf[n - 1] == '\r')
        n--;
    if (!lr->buf) {
        lr->buf = malloc(16);
        lr->cap = 16;
    }
    lr->buf[n] = '\0';
    *line = lr->buf;
    *len = n;
    return 1;
}

void cli_lines_free(cli_lines *lr)
{
    free(lr->buf);
    lr->buf = NULL;
}

/* ---------------- records ---------------- */

/* Length of a valid UTF-8 sequence at s (max n bytes), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t k;
    uint32_t cp;
    if (c >= 0xc2 && c <= 0xdf) {
        k = 2;
        cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        k = 3;
        cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        k = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (k > n)
        return 0;
    for (size_t i = 1; i < k; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3f);
    }
    if ((k == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
        (k == 4 && (cp < 0x10000 || cp > 0x10ffff)))
        return 0;
    return k;
}

/* Replaces invalid UTF-8 with U+FFFD; returns a malloc'd copy or NULL if
 * the line was valid. */
static char *repair_utf8(const char *line, size_t len, size_t *olen)
{
    const unsigned char *s = (const unsigned char *)line;
    size_t i = 0;
    while (i < len) {
        size_t k = utf8_seq(s + i, len - i);
        if (!k)
            break;
        i += k;
    }
    if (i == len)
        return NULL;
    cli_str o = {0};
    cli_str_put(&o, line, i);
    while (i < len) {
        size_t k = utf8_seq(s + i, len - i);
        if (k) {
            cli_str_put(&o, line + i, k);
            i += k;
        } else {
            cli_str_put(&o, "\xef\xbf\xbd", 3);
            i++;
        }
    }
    *olen = o.len;
    return o.p;
}

static void rec_fail(cli_record *r, arb_status st, const char *fmt, const char *a)
{
    r->status = st;
    snprintf(r->error, sizeof r->error, fmt, a);
}

void cli_record_parse(cli_record *r, const char *line, size_t len, int64_t at_ms,
                      size_t max_text)
{
    memset(r, 0, sizeof *r);
    size_t rlen = 0;
    r->repaired = repair_utf8(line, len, &rlen);
    if (r->repaired) {
        line = r->repaired;
        len = rlen;
        r->had_bad_utf8 = true;
    }
    json_error_t je;
    r->root = json_loadb(line, len, JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, &je);
    if (!r->root) {
        r->status = ARB_PARSE;
        snprintf(r->error, sizeof r->error, "invalid JSON at column %d: %s", je.column,
                 je.text);
        return;
    }
    if (!json_is_object(r->root)) {
        rec_fail(r, ARB_PARSE, "%s", "record is not a JSON object");
        return;
    }
    json_t *id = json_object_get(r->root, "id");
    if (json_is_string(id)) {
        r->id = json_string_value(id);
        r->id_len = json_string_length(id);
        r->post.id = r->id;
        r->post.id_len = r->id_len;
    } else if (json_is_integer(id)) {
        rec_fail(r, ARB_INVALID, "%s", "field \"id\" must be a string");
        return;
    } else {
        rec_fail(r, ARB_INVALID, "%s", "missing string field \"id\"");
        return;
    }
    json_t *text = json_object_get(r->root, "text");
    if (!json_is_string(text)) {
        rec_fail(r, ARB_INVALID, "%s",
                 text ? "field \"text\" must be a string" : "missing string field \"text\"");
        return;
    }
    r->post.text = json_string_value(text);
    r->post.text_len = json_string_length(text);
    if (r->post.text_len > max_text) {
        r->status = ARB_TOO_BIG;
        snprintf(r->error, sizeof r->error, "text is %zu bytes; the limit is %zu",
                 r->post.text_len, max_text);
        return;
    }
    json_t *cc = json_object_get(r->root, "author_country");
    if (!json_is_string(cc)) {
        rec_fail(r, ARB_INVALID, "%s", "missing string field \"author_country\"");
        return;
    }
    const char *ccs = json_string_value(cc);
    if (json_string_length(cc) != 2 || !arb_country_valid(ccs)) {
        rec_fail(r, ARB_COUNTRY,
                 "author_country \"%.16s\" is not an ISO 3166-1 alpha-2 code (upper case)", ccs);
        return;
    }
    memcpy(r->post.author_country, ccs, 3);
    json_t *vc = json_object_get(r->root, "viewer_country");
    if (vc && !json_is_null(vc)) {
        const char *v = json_string_value(vc);
        if (!v || json_string_length(vc) != 2 || !arb_country_valid(v)) {
            rec_fail(r, ARB_COUNTRY, "viewer_country \"%.16s\" is not an ISO 3166-1 alpha-2 code",
                     v ? v : "?");
            return;
        }
        memcpy(r->post.viewer_country, v, 3);
    }
    json_t *ca = json_object_get(r->root, "created_at");
    if (ca && !json_is_string(ca)) {
        rec_fail(r, ARB_TIME, "%s", "field \"created_at\" must be an RFC 3339 string");
        return;
    }
    if (ca) {
        int64_t ms;
        if (arb_parse_time(json_string_value(ca), json_string_length(ca), &ms) != ARB_OK) {
            rec_fail(r, ARB_TIME,
                     "created_at \"%.40s\" is not an RFC 3339 time between 1970 and 9999",
                     json_string_value(ca));
            return;
        }
        r->post.created_at_ms = ms;
    } else if (at_ms < 0) {
        rec_fail(r, ARB_TIME, "%s", "missing field \"created_at\"");
        return;
    }
    if (at_ms >= 0)
        r->post.created_at_ms = at_ms;
    json_t *lang = json_object_get(r->root, "lang");
    if (lang && !json_is_null(lang)) {
        if (!json_is_string(lang) || json_string_length(lang) > 35) {
            rec_fail(r, ARB_INVALID, "%s", "field \"lang\" must be a BCP 47 tag string");
            return;
        }
        r->post.lang_hint = json_string_value(lang);
    }
    r->status = ARB_OK;
}

void cli_record_free(cli_record *r)
{
    if (r->root)
        json_decref(r->root);
    free(r->repaired);
    r->root = NULL;
    r->repaired = NULL;
}

static void put_error(cli_str *out, const char *id, size_t id_len, unsigned long lineno,
                      arb_status st, const char *msg)
{
    char small[1024];
    size_t need = arb_error_record(small, sizeof small, id, id_len, lineno, st, msg);
    if (need < sizeof small) {
        cli_str_put(out, small, need);
    } else {
        char *big = malloc(need + 1);
        arb_error_record(big, need + 1, id, id_len, lineno, st, msg);
        cli_str_put(out, big, need);
        free(big);
    }
    cli_str_put(out, "\n", 1);
}

int cli_decide_line(const arb_engine *e, arb_scratch *s, cli_record *r,
                    unsigned long lineno, cli_str *out)
{
    if (r->status != ARB_OK) {
        put_error(out, r->id, r->id_len, lineno, r->status, r->error);
        return -1;
    }
    const arb_decision *d;
    arb_status st = arb_decide(e, s, &r->post, &d);
    const char *json;
    size_t jl;
    if (st == ARB_OK)
        st = arb_decision_json(d, &json, &jl);
    if (st != ARB_OK) {
        put_error(out, r->id, r->id_len, lineno, st, arb_strerror(st));
        return -1;
    }
    cli_str_put(out, json, jl);
    cli_str_put(out, "\n", 1);
    return (int)arb_decision_action(d);
}
