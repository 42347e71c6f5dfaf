/*
 * alloc.c -- the allocator hook, the per-post arena and arena buffers.
 *
 * Every byte libarbiter allocates goes through an arb_allocator, so a test
 * can fail the Nth allocation.  Per-post memory comes from an arena: a list
 * of chunks, bump-allocated, released all at once by arb__arena_reset().
 * The arena refuses (returns NULL) once its total would pass its cap: that
 * cap is the per-post memory limit, and callers turn NULL into ARB_LIMIT.
 */
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *default_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    (void)ud;
    (void)osize;
    if (nsize == 0) {
        free(ptr); /* NOLINT: the allocator layer itself */
        return NULL;
    }
    return realloc(ptr, nsize); /* NOLINT */
}

const arb_allocator arb__default_allocator = {default_alloc, NULL};

void *arb__malloc(const arb_allocator *a, size_t n)
{
    if (n == 0)
        n = 1;
    return a->fn(a->ud, NULL, 0, n);
}

void *arb__calloc(const arb_allocator *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    void *p = arb__malloc(a, n * size);
    if (p)
        memset(p, 0, (n * size) != 0 ? n * size : 1);
    return p;
}

void *arb__realloc(const arb_allocator *a, void *p, size_t osize, size_t nsize)
{
    if (nsize == 0)
        nsize = 1;
    return a->fn(a->ud, p, osize, nsize);
}

void arb__free(const arb_allocator *a, void *p, size_t osize)
{
    if (p)
        a->fn(a->ud, p, osize, 0);
}

char *arb__strndup(const arb_allocator *a, const char *s, size_t n)
{
    char *p = arb__malloc(a, n + 1);
    if (p) {
        if (n)
            memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

/* ---------------- arena ---------------- */

typedef struct chunk {
    struct chunk *next;
    size_t size; /* usable bytes after the header */
    size_t used;
} chunk;

struct arb__arena {
    const arb_allocator *a;
    chunk *head;   /* current chunk (first in list) */
    chunk *spare;  /* chunks kept after reset */
    size_t cap;
    size_t total;  /* bytes handed out since last reset */
    bool over;
};

#define ARENA_CHUNK (64u * 1024u)
#define ALIGN16(n) (((n) + 15u) & ~(size_t)15u)
#define HDR ALIGN16(sizeof(chunk))

arb__arena *arb__arena_new(const arb_allocator *a, size_t cap)
{
    arb__arena *ar = arb__calloc(a, 1, sizeof *ar);
    if (!ar)
        return NULL;
    ar->a = a;
    ar->cap = cap;
    return ar;
}

static void free_list(const arb_allocator *a, chunk *c)
{
    while (c) {
        chunk *n = c->next;
        arb__free(a, c, HDR + c->size);
        c = n;
    }
}

void arb__arena_free(arb__arena *ar)
{
    if (!ar)
        return;
    free_list(ar->a, ar->head);
    free_list(ar->a, ar->spare);
    arb__free(ar->a, ar, sizeof *ar);
}

void arb__arena_reset(arb__arena *ar)
{
    /* keep one standard chunk for reuse, free the rest (bounded memory) */
    chunk *c = ar->head;
    while (c) {
        chunk *n = c->next;
        if (c->size == ARENA_CHUNK && !ar->spare) {
            c->next = NULL;
            c->used = 0;
            ar->spare = c;
        } else {
            arb__free(ar->a, c, HDR + c->size);
        }
        c = n;
    }
    ar->head = NULL;
    ar->total = 0;
    ar->over = false;
}

void *arb__arena_alloc(arb__arena *ar, size_t n)
{
    n = ALIGN16(n ? n : 1);
    if (n > ar->cap || ar->total > ar->cap - n) {
        ar->over = true;
        return NULL;
    }
    chunk *c = ar->head;
    if (!c || c->size - c->used < n) {
        if (n <= ARENA_CHUNK && ar->spare) {
            c = ar->spare;
            ar->spare = NULL;
        } else {
            size_t sz = n > ARENA_CHUNK ? n : ARENA_CHUNK;
            c = arb__malloc(ar->a, HDR + sz);
            if (!c)
                return NULL;
            c->size = sz;
        }
        c->used = 0;
        c->next = ar->head;
        ar->head = c;
    }
    void *p = (char *)c + HDR + c->used;
    c->used += n;
    ar->total += n;
    return p;
}

void *arb__arena_calloc(arb__arena *ar, size_t n)
{
    void *p = arb__arena_alloc(ar, n);
    if (p)
        memset(p, 0, n);
    return p;
}

char *arb__arena_strndup(arb__arena *ar, const char *s, size_t n)
{
    char *p = arb__arena_alloc(ar, n + 1);
    if (p) {
        if (n)
            memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

bool arb__arena_over_cap(const arb__arena *ar) { return ar->over; }

/* ---------------- buffers ---------------- */

void arb__buf_init(arb__buf *b, arb__arena *ar, size_t initial)
{
    b->ar = ar;
    b->len = 0;
    b->cap = initial ? initial : 64;
    b->failed = false;
    b->p = arb__arena_alloc(ar, b->cap);
    if (!b->p) {
        b->failed = true;
        b->cap = 0;
    }
}

static bool buf_grow(arb__buf *b, size_t extra)
{
    if (b->failed)
        return false;
    if (b->len + extra + 1 <= b->cap)
        return true;
    size_t ncap = b->cap ? b->cap : 64;
    while (ncap < b->len + extra + 1) {
        if (ncap > SIZE_MAX / 2) {
            b->failed = true;
            return false;
        }
        ncap *= 2;
    }
    char *np = arb__arena_alloc(b->ar, ncap);
    if (!np) {
        b->failed = true;
        return false;
    }
    if (b->len)
        memcpy(np, b->p, b->len);
    b->p = np;
    b->cap = ncap;
    return true;
}

void arb__buf_put(arb__buf *b, const void *s, size_t n)
{
    if (!buf_grow(b, n))
        return;
    if (n)
        memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void arb__buf_putc(arb__buf *b, char c) { arb__buf_put(b, &c, 1); }

void arb__buf_puts(arb__buf *b, const char *s) { arb__buf_put(b, s, strlen(s)); }

void arb__buf_printf(arb__buf *b, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = true;
        return;
    }
    if ((size_t)n < sizeof tmp) {
        arb__buf_put(b, tmp, (size_t)n);
        return;
    }
    if (!buf_grow(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void arb__buf_u32(arb__buf *b, uint32_t v)
{
    char tmp[10];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    char out[10];
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    arb__buf_put(b, out, n);
}

void arb__buf_fixed2(arb__buf *b, double x)
{
    if (x < 0) {
        arb__buf_putc(b, '-');
        x = -x;
    }
    if (x > 4e7) { /* outside what two decimals in a u32 can say */
        arb__buf_printf(b, "%.2f", x);
        return;
    }
    /* ties to even, as printf rounds an exactly representable half */
    uint32_t c = (uint32_t)nearbyint(x * 100.0);
    arb__buf_u32(b, c / 100);
    char frac[3] = {'.', (char)('0' + c / 10 % 10), (char)('0' + c % 10)};
    arb__buf_put(b, frac, 3);
}

void arb__buf_json_str(arb__buf *b, const char *s, size_t n)
{
    /* one pass: reserve the worst case (6 bytes per input byte), copy runs
     * that need no escaping, and let arb_json_escape handle the rest */
    if (n > (SIZE_MAX - 3) / 6 || !buf_grow(b, 6 * n + 2))
        return;
    char *o = b->p + b->len;
    *o++ = '"';
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n) {
            unsigned char c = (unsigned char)s[j];
            if (c < 0x20 || c == '"' || c == '\\' || c == 0x7f || c == 0xe2)
                break;
            j++;
        }
        memcpy(o, s + i, j - i);
        o += j - i;
        if (j == n)
            break;
        /* one special byte (or U+2028/2029) through the general escaper */
        size_t k = (unsigned char)s[j] == 0xe2 && j + 2 < n ? 3 : 1;
        o += arb_json_escape(o, 7, s + j, k);
        i = j + k;
    }
    *o++ = '"';
    b->len = (size_t)(o - b->p);
    b->p[b->len] = '\0';
}
