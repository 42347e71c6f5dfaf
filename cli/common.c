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
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yajl/yajl_parse.h>

/* ---------------- strings ---------------- */

/* Room for n more bytes and a NUL; false when out of memory or over the
 * limit. */
static bool str_reserve(cli_str *s, size_t n)
{
    if (s->limit && s->len + n > s->limit)
        return false; /* before the room test: the buffer may have grown past it */
    if (s->len + n + 1 <= s->cap)
        return true;
    size_t nc = s->cap ? s->cap : 256;
    while (nc < s->len + n + 1)
        nc *= 2;
    char *np = realloc(s->p, nc);
    if (!np)
        return false;
    s->p = np;
    s->cap = nc;
    return true;
}

void cli_str_add(cli_str *s, const char *p, size_t n)
{
    if (s->failed)
        return;
    if (!str_reserve(s, n)) {
        s->failed = true;
        return;
    }
    memcpy(s->p + s->len, p, n);
    s->len += n;
    s->p[s->len] = '\0';
}

void cli_str_put(cli_str *s, const char *p, size_t n)
{
    cli_str_add(s, p, n);
    if (s->failed) {
        fprintf(stderr, "arbiter: out of memory\n");
        exit(CLI_EXIT_IO);
    }
}

void cli_str_adds(cli_str *s, const char *z)
{
    cli_str_add(s, z, strlen(z));
}

void cli_str_addf(cli_str *s, const char *fmt, ...)
{
    if (s->failed)
        return;
    /* format once into the spare room; only what does not fit is formatted
     * again, after growing */
    size_t room = s->cap - s->len;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(room ? s->p + s->len : NULL, room, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < room && !(s->limit && s->len + (size_t)n > s->limit)) {
        s->len += (size_t)n;
        return;
    }
    if (n < 0 || !str_reserve(s, (size_t)n)) {
        if (s->p)
            s->p[s->len] = '\0'; /* undo a partial or over-limit write */
        s->failed = true;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(s->p + s->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    s->len += (size_t)n;
}

void cli_str_free(cli_str *s)
{
    free(s->p);
    s->p = NULL;
    s->len = s->cap = 0;
    s->failed = false;
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

/* Refills the read-ahead block: read(2) on a descriptor (returns what is
 * there, so a pipe that trickles lines is not held up), fread otherwise
 * (fmemopen streams).  Returns bytes read, 0 at end of input. */
static size_t lines_fill(cli_lines *lr)
{
    if (!lr->in) {
        lr->in_cap = (size_t)64 << 10;
        lr->in = malloc(lr->in_cap + 1);
        if (!lr->in)
            return 0;
    }
    lr->in_pos = 0;
    lr->in_len = 0;
    int fd = fileno(lr->f);
    if (fd < 0) {
        lr->in_len = fread(lr->in, 1, lr->in_cap, lr->f);
        return lr->in_len;
    }
    for (;;) {
        ssize_t k = read(fd, lr->in, lr->in_cap);
        if (k < 0 && errno == EINTR)
            continue;
        lr->in_len = k > 0 ? (size_t)k : 0;
        return lr->in_len;
    }
}

/* appends p[0..k) to the assembly buffer, up to the cap */
static void lines_append(cli_lines *lr, size_t *n, bool *over, const char *p, size_t k)
{
    if (!*over && *n + k > lr->max)
        *over = true;
    if (*over) {
        *n += k;
        return;
    }
    if (*n + k + 1 > lr->cap) {
        size_t nc = lr->cap ? lr->cap : 4096;
        while (nc < *n + k + 1)
            nc *= 2;
        if (nc > lr->max + 2)
            nc = lr->max + 2;
        char *nb = realloc(lr->buf, nc);
        if (!nb) {
            *over = true;
            *n += k;
            return;
        }
        lr->buf = nb;
        lr->cap = nc;
    }
    memcpy(lr->buf + *n, p, k);
    *n += k;
}

int cli_lines_next(cli_lines *lr, const char **line, size_t *len)
{
    if (lr->eof)
        return 0;
    size_t n = 0;
    bool over = false, assembled = false, nl = false;
    char *start = NULL;
    for (;;) {
        if (lr->in_pos == lr->in_len && !lines_fill(lr)) {
            lr->eof = true;
            break;
        }
        char *p = lr->in + lr->in_pos;
        size_t avail = lr->in_len - lr->in_pos;
        char *e = memchr(p, '\n', avail);
        size_t k = e ? (size_t)(e - p) : avail;
        if (!assembled && e) {
            start = p; /* the whole line is in the block: no copy */
            n = k;
            if (n > lr->max)
                over = true;
        } else {
            lines_append(lr, &n, &over, p, k);
            assembled = true;
        }
        lr->in_pos += k + (e ? 1 : 0);
        if (e) {
            nl = true;
            break;
        }
    }
    if (!nl && !assembled)
        return 0; /* end of input right after a newline */
    lr->lineno++;
    if (over) {
        *line = NULL;
        *len = n;
        return -1;
    }
    /* an assembled line (at least one byte, not over the cap) is in lr->buf;
     * a line found whole in the block ends at its '\n', which takes the NUL */
    char *b = assembled ? lr->buf : start;
    if (n && b[n - 1] == '\r')
        n--;
    b[n] = '\0';
    *line = b;
    *len = n;
    return 1;
}

void cli_lines_free(cli_lines *lr)
{
    free(lr->buf);
    free(lr->in);
    lr->buf = NULL;
    lr->in = NULL;
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
        uint64_t w;
        if (len - i >= 8 && (memcpy(&w, s + i, 8), !(w & 0x8080808080808080ull))) {
            i += 8; /* eight ASCII bytes */
            continue;
        }
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

/* ---------------- record fields ----------------
 *
 * Two readers fill the same table of the known fields, and one validator
 * turns it into an arb_post or an error:
 *  - the streaming reader (yajl callbacks, no tree) takes the common case:
 *    one flat object;
 *  - jansson (a tree) takes everything else, and every line the streaming
 *    reader declines, so error messages (with their columns) come from one
 *    place.  The streaming reader declines any line on which the two could
 *    disagree: a syntax error, a nested object (duplicate keys inside it are
 *    an error for jansson), more than 32 keys, duplicate keys, numbers that
 *    could overflow, \u0000 or surrogate escapes, \v or \f bytes (whitespace
 *    to yajl, not to JSON).  fuzz_jsonl checks both agree on every input. */

enum { F_ID, F_TEXT, F_AUTHOR, F_VIEWER, F_CREATED, F_LANG, F_COUNT };
static const char *const field_names[F_COUNT] = {"id",             "text",       "author_country",
                                                 "viewer_country", "created_at", "lang"};
enum { T_ABSENT = 0, T_STRING, T_NULL, T_INT, T_OTHER };

typedef struct rfield {
    int type;
    const char *s; /* T_STRING: NUL-terminated (may hold NULs: use len) */
    size_t len;
} rfield;

static int field_index(const char *k, size_t n)
{
    for (int i = 0; i < F_COUNT; i++)
        if (strlen(field_names[i]) == n && !memcmp(field_names[i], k, n))
            return i;
    return -1;
}

#define FAST_MAX_KEYS 32
#define FAST_MAX_DEPTH 32

typedef struct fast {
    char *buf; /* copies of keys and strings */
    size_t len, cap;
    int depth;
    int cur; /* field of the value that comes next at depth 1; -1 unknown */
    bool bail, seen_map;
    yajl_handle h;
    size_t end; /* bytes up to the closing brace of the record */
    size_t keys[FAST_MAX_KEYS], key_len[FAST_MAX_KEYS];
    unsigned nkeys;
    rfield f[F_COUNT];
} fast;

static const char *fast_copy(fast *c, const unsigned char *s, size_t n)
{
    if (c->len + n + 1 > c->cap) {
        c->bail = true;
        return NULL;
    }
    char *d = c->buf + c->len;
    memcpy(d, s, n);
    d[n] = '\0';
    c->len += n + 1;
    return d;
}

/* a scalar value: at depth 1 it belongs to the current key */
static int fast_value(fast *c, int type, const unsigned char *s, size_t n)
{
    if (c->depth == 1 && c->cur >= 0) {
        rfield *f = &c->f[c->cur];
        f->type = type;
        if (type == T_STRING) {
            f->s = fast_copy(c, s, n);
            f->len = n;
        }
    }
    return !c->bail;
}

static int fast_null(void *ud) { return fast_value(ud, T_NULL, NULL, 0); }
static int fast_bool(void *ud, int b)
{
    (void)b;
    return fast_value(ud, T_OTHER, NULL, 0);
}

static int fast_number(void *ud, const char *s, size_t n)
{
    fast *c = ud;
    bool integer = true;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == 'e' || s[i] == 'E') {
            c->bail = true; /* 1e400: jansson reports an overflow */
            return 0;
        }
        if (s[i] == '.')
            integer = false;
    }
    if (n > 15) {
        c->bail = true; /* may not fit jansson's int64 / double */
        return 0;
    }
    return fast_value(c, integer ? T_INT : T_OTHER, NULL, 0);
}

static int fast_string(void *ud, const unsigned char *s, size_t n)
{
    return fast_value(ud, T_STRING, s, n);
}

static int fast_start_map(void *ud)
{
    fast *c = ud;
    if (c->depth > 0) {
        c->bail = true; /* nested object */
        return 0;
    }
    c->seen_map = true;
    c->depth = 1;
    return 1;
}

static int fast_map_key(void *ud, const unsigned char *k, size_t n)
{
    fast *c = ud;
    if (c->depth != 1 || c->nkeys == FAST_MAX_KEYS) {
        c->bail = true;
        return 0;
    }
    for (unsigned i = 0; i < c->nkeys; i++)
        if (c->key_len[i] == n && !memcmp(c->buf + c->keys[i], k, n)) {
            c->bail = true; /* duplicate key: jansson's error */
            return 0;
        }
    size_t off = c->len;
    if (!fast_copy(c, k, n))
        return 0;
    c->keys[c->nkeys] = off;
    c->key_len[c->nkeys++] = n;
    c->cur = field_index((const char *)k, n);
    return 1;
}

static int fast_end_map(void *ud)
{
    fast *c = ud;
    if (--c->depth == 0)
        c->end = yajl_get_bytes_consumed(c->h);
    return 1;
}

static int fast_start_array(void *ud)
{
    fast *c = ud;
    if (c->depth == 0 || c->depth >= FAST_MAX_DEPTH) {
        c->bail = true; /* a top-level array, or deep nesting */
        return 0;
    }
    if (c->depth == 1 && c->cur >= 0)
        c->f[c->cur].type = T_OTHER;
    c->depth++;
    return 1;
}

static int fast_end_array(void *ud)
{
    fast *c = ud;
    c->depth--;
    return 1;
}

static const yajl_callbacks fast_callbacks = {
    fast_null,     fast_bool,    NULL,         NULL,           fast_number,    fast_string,
    fast_start_map, fast_map_key, fast_end_map, fast_start_array, fast_end_array,
};

/* At a "\\u" escape of n bytes: 0 an ordinary code point, 1 U+0000 or not
 * four hex digits, 2 a high surrogate, 3 a low surrogate. */
static int escape_kind(const char *p, size_t n)
{
    if (n < 6 || p[0] != '\\' || p[1] != 'u')
        return 1;
    unsigned v = 0;
    for (int i = 2; i < 6; i++) {
        char ch = p[i];
        unsigned d = ch >= '0' && ch <= '9'   ? (unsigned)(ch - '0')
                     : ch >= 'a' && ch <= 'f' ? (unsigned)(ch - 'a' + 10)
                     : ch >= 'A' && ch <= 'F' ? (unsigned)(ch - 'A' + 10)
                                              : 16u;
        if (d > 15)
            return 1;
        v = v << 4 | d;
    }
    return v == 0 ? 1 : v >= 0xd800 && v <= 0xdbff ? 2 : v >= 0xdc00 && v <= 0xdfff ? 3 : 0;
}

/* Fills `f` from `line` with yajl; false when the line must go to jansson.
 * On success r->owned holds the strings. */
static bool read_fast(cli_record *r, const char *line, size_t len, rfield f[F_COUNT])
{
    if (memchr(line, '\v', len) || memchr(line, '\f', len))
        return false;
    for (const char *p = memchr(line, '\\', len); p;
         p = memchr(p + 1, '\\', len - (size_t)(p + 1 - line))) {
        if ((size_t)(line + len - p) < 2)
            break;
        if (p[1] == '\\') {
            p++; /* an escaped backslash: skip both */
            continue;
        }
        if (p[1] != 'u')
            continue;
        int k = escape_kind(p, (size_t)(line + len - p));
        if (k == 2 && escape_kind(p + 6, (size_t)(line + len - p - 6)) == 3)
            p += 6; /* a surrogate pair: one character */
        else if (k)
            return false; /* \u0000, a lone surrogate, or a malformed escape */
    }
    fast c = {0};
    /* every key and string is copied with a NUL: decoded it is no longer than
     * its raw bytes, which take at least two more (the quotes), so 1.5x the
     * line is enough; fast_copy() declines rather than overflow */
    c.cap = len + len / 2 + 1;
    c.buf = malloc(c.cap);
    if (!c.buf)
        return false;
    c.cur = -1;
    yajl_handle h = yajl_alloc(&fast_callbacks, NULL, &c);
    if (!h) {
        free(c.buf);
        return false;
    }
    c.h = h;
    yajl_config(h, yajl_dont_validate_strings, 1); /* the line is valid UTF-8 */
    yajl_status st = yajl_parse(h, (const unsigned char *)line, len);
    if (st == yajl_status_ok)
        st = yajl_complete_parse(h);
    yajl_free(h);
    /* yajl leaves an unfinished token after the record unreported: only
     * JSON whitespace may follow the closing brace */
    bool tail_ok = c.end > 0 && c.end <= len;
    for (size_t i = c.end; tail_ok && i < len; i++)
        tail_ok = line[i] == ' ' || line[i] == '\t' || line[i] == '\n' || line[i] == '\r';
    if (st != yajl_status_ok || c.bail || !c.seen_map || c.depth != 0 || !tail_ok) {
        free(c.buf);
        return false;
    }
    memcpy(f, c.f, sizeof c.f);
    r->owned = c.buf;
    return true;
}

/* Fills `f` from the jansson tree r->root (an object). */
static void read_tree(const cli_record *r, rfield f[F_COUNT])
{
    for (int i = 0; i < F_COUNT; i++) {
        json_t *v = json_object_get(r->root, field_names[i]);
        rfield *x = &f[i];
        if (!v)
            x->type = T_ABSENT;
        else if (json_is_string(v)) {
            x->type = T_STRING;
            x->s = json_string_value(v);
            x->len = json_string_length(v);
        } else if (json_is_null(v))
            x->type = T_NULL;
        else if (json_is_integer(v))
            x->type = T_INT;
        else
            x->type = T_OTHER;
    }
}

/* The one validator: turns the fields into r->post, or an error. */
static void validate(cli_record *r, const rfield f[F_COUNT], int64_t at_ms, size_t max_text,
                     const char *default_country)
{
    const rfield *id = &f[F_ID];
    if (id->type == T_STRING) {
        r->id = id->s;
        r->id_len = id->len;
        r->post.id = r->id;
        r->post.id_len = r->id_len;
    } else if (id->type == T_INT) {
        rec_fail(r, ARB_INVALID, "%s", "field \"id\" must be a string");
        return;
    } else {
        rec_fail(r, ARB_INVALID, "%s", "missing string field \"id\"");
        return;
    }
    const rfield *text = &f[F_TEXT];
    if (text->type != T_STRING) {
        rec_fail(r, ARB_INVALID, "%s",
                 text->type != T_ABSENT ? "field \"text\" must be a string"
                                        : "missing string field \"text\"");
        return;
    }
    r->post.text = text->s;
    r->post.text_len = text->len;
    if (r->post.text_len > max_text) {
        r->status = ARB_TOO_BIG;
        snprintf(r->error, sizeof r->error, "text is %zu bytes; the limit is %zu",
                 r->post.text_len, max_text);
        return;
    }
    const rfield *cc = &f[F_AUTHOR];
    if (cc->type == T_ABSENT && default_country) {
        /* the caller's default (scan --country); a field that is present
         * but not a valid code is still an error */
        memcpy(r->post.author_country, default_country, 3);
    } else if (cc->type != T_STRING) {
        rec_fail(r, ARB_INVALID, "%s",
                 cc->type == T_ABSENT ? "missing string field \"author_country\""
                                      : "field \"author_country\" must be a string");
        return;
    } else if (cc->len != 2 || !arb_country_valid(cc->s)) {
        rec_fail(r, ARB_COUNTRY,
                 "author_country \"%.16s\" is not an ISO 3166-1 alpha-2 code (upper case)", cc->s);
        return;
    } else {
        memcpy(r->post.author_country, cc->s, 3);
    }
    const rfield *vc = &f[F_VIEWER];
    if (vc->type != T_ABSENT && vc->type != T_NULL) {
        const char *v = vc->type == T_STRING ? vc->s : NULL;
        if (!v || vc->len != 2 || !arb_country_valid(v)) {
            rec_fail(r, ARB_COUNTRY, "viewer_country \"%.16s\" is not an ISO 3166-1 alpha-2 code",
                     v ? v : "?");
            return;
        }
        memcpy(r->post.viewer_country, v, 3);
    }
    const rfield *ca = &f[F_CREATED];
    if (ca->type != T_ABSENT && ca->type != T_STRING) {
        rec_fail(r, ARB_TIME, "%s", "field \"created_at\" must be an RFC 3339 string");
        return;
    }
    if (ca->type == T_STRING) {
        int64_t ms;
        if (arb_parse_time(ca->s, ca->len, &ms) != ARB_OK) {
            rec_fail(r, ARB_TIME,
                     "created_at \"%.40s\" is not an RFC 3339 time between 1970 and 9999", ca->s);
            return;
        }
        r->post.created_at_ms = ms;
    } else if (at_ms < 0) {
        rec_fail(r, ARB_TIME, "%s", "missing field \"created_at\"");
        return;
    }
    if (at_ms >= 0)
        r->post.created_at_ms = at_ms;
    const rfield *lang = &f[F_LANG];
    if (lang->type != T_ABSENT && lang->type != T_NULL) {
        if (lang->type != T_STRING || lang->len > 35) {
            rec_fail(r, ARB_INVALID, "%s", "field \"lang\" must be a BCP 47 tag string");
            return;
        }
        r->post.lang_hint = lang->s;
    }
    r->status = ARB_OK;
}

void cli_record_parse(cli_record *r, const char *line, size_t len, int64_t at_ms,
                      size_t max_text)
{
    cli_record_parse_flags(r, line, len, at_ms, max_text, 0);
}

void cli_record_parse_flags(cli_record *r, const char *line, size_t len, int64_t at_ms,
                            size_t max_text, unsigned flags)
{
    cli_record_parse_country(r, line, len, at_ms, max_text, flags, NULL);
}

void cli_record_parse_country(cli_record *r, const char *line, size_t len, int64_t at_ms,
                              size_t max_text, unsigned flags, const char *default_country)
{
    memset(r, 0, sizeof *r);
    size_t rlen = 0;
    r->repaired = repair_utf8(line, len, &rlen);
    if (r->repaired) {
        line = r->repaired;
        len = rlen;
        r->had_bad_utf8 = true;
    }
    rfield f[F_COUNT];
    if (!(flags & (CLI_REC_TREE | CLI_REC_SLOW)) && read_fast(r, line, len, f)) {
        validate(r, f, at_ms, max_text, default_country);
        return;
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
    read_tree(r, f);
    validate(r, f, at_ms, max_text, default_country);
}

void cli_record_free(cli_record *r)
{
    if (r->root)
        json_decref(r->root);
    free(r->repaired);
    free(r->owned);
    r->root = NULL;
    r->repaired = NULL;
    r->owned = NULL;
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
