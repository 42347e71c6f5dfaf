/*
 * names.c -- name tables for every public enum, status messages, error
 * records, JSON string escaping, RFC 3339 times, ISO 3166-1 country codes
 * and SHA-256 (policy content hashes; computed by Nettle).
 *
 * All tables are generated from the X-macros in arbiter.h, so a new value
 * gets its name in exactly one place.
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>

const char *arb_strerror(arb_status st)
{
    switch (st) {
#define X(name, code, msg) \
    case ARB_##name:       \
        return msg;
        ARB_STATUS_MAP(X)
#undef X
    }
    return "unknown status";
}

const char *arb_status_name(arb_status st)
{
    switch (st) {
#define X(name, code, msg) \
    case ARB_##name:       \
        return #name;
        ARB_STATUS_MAP(X)
#undef X
    }
    return "UNKNOWN";
}

void arb__error_set(arb_error *err, arb_status st, const char *source,
                    unsigned line, unsigned column, const char *fmt, ...)
{
    if (!err)
        return;
    err->status = st;
    snprintf(err->source, sizeof err->source, "%s", source ? source : "");
    err->line = line;
    err->column = column;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
}

/* ---------------- enum names ---------------- */

static const char *const stmt_names[] = {
#define X(name, v, str) [v] = str,
    ARB_STMT_TYPE_MAP(X)
#undef X
};
static const char *const tc_names[] = {
#define X(name, v, str) [v] = str,
    ARB_TARGET_CLASS_MAP(X)
#undef X
};
static const char *const cred_names[] = {
#define X(name, bit, str) [bit] = str,
    ARB_CRED_MAP(X)
#undef X
};
static const char *const mod_names[] = {
#define X(name, bit, str) [bit] = str,
    ARB_MOD_MAP(X)
#undef X
};
static const char *const obf_names[] = {
#define X(name, bit, str) [bit] = str,
    ARB_OBFUSCATION_MAP(X)
#undef X
};
static const char *const sev_names[] = {"none", "low", "mid", "high"};
static const char *const action_names[] = {"allow", "remove", "escalate",
                                           "restrict"};

static int lookup(const char *const *tab, size_t n, const char *name)
{
    if (!name)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (tab[i] && strcmp(tab[i], name) == 0)
            return (int)i;
    return -1;
}

static int bit_index(uint32_t bit)
{
    if (bit == 0 || (bit & (bit - 1)))
        return -1;
    return __builtin_ctz(bit);
}

const char *arb_stmt_type_name(arb_stmt_type t)
{
    return (unsigned)t < ARB__ARRAY_LEN(stmt_names) ? stmt_names[t] : NULL;
}
int arb_stmt_type_from_name(const char *n)
{
    return lookup(stmt_names, ARB__ARRAY_LEN(stmt_names), n);
}
const char *arb_severity_name(arb_severity s)
{
    return (unsigned)s < ARB__ARRAY_LEN(sev_names) ? sev_names[s] : NULL;
}
int arb_severity_from_name(const char *n)
{
    return lookup(sev_names, ARB__ARRAY_LEN(sev_names), n);
}
const char *arb_target_class_name(arb_target_class c)
{
    return (unsigned)c < ARB__ARRAY_LEN(tc_names) ? tc_names[c] : NULL;
}
int arb_target_class_from_name(const char *n)
{
    return lookup(tc_names, ARB__ARRAY_LEN(tc_names), n);
}
const char *arb_cred_name(uint32_t bit)
{
    int i = bit_index(bit);
    return i >= 0 && (size_t)i < ARB__ARRAY_LEN(cred_names) ? cred_names[i] : NULL;
}
uint32_t arb_cred_from_name(const char *n)
{
    int i = lookup(cred_names, ARB__ARRAY_LEN(cred_names), n);
    return i < 0 ? 0 : 1u << i;
}
const char *arb_mod_name(uint32_t bit)
{
    int i = bit_index(bit);
    return i >= 0 && (size_t)i < ARB__ARRAY_LEN(mod_names) ? mod_names[i] : NULL;
}
uint32_t arb_mod_from_name(const char *n)
{
    int i = lookup(mod_names, ARB__ARRAY_LEN(mod_names), n);
    return i < 0 ? 0 : 1u << i;
}
const char *arb_obfuscation_name(uint32_t bit)
{
    int i = bit_index(bit);
    return i >= 0 && (size_t)i < ARB__ARRAY_LEN(obf_names) ? obf_names[i] : NULL;
}
const char *arb_action_name(arb_action a)
{
    return (unsigned)a < ARB__ARRAY_LEN(action_names) ? action_names[a] : NULL;
}
int arb_action_from_name(const char *n)
{
    return lookup(action_names, ARB__ARRAY_LEN(action_names), n);
}

void arb_limits_default(arb_limits *l)
{
    l->max_text_bytes = 65536;
    l->max_post_memory = 8u << 20;
    l->max_matches = 4096;
    l->max_policy_bytes = 4u << 20;
    l->max_policy_depth = 32;
    l->max_rules = 4096;
}

/* ---------------- JSON ---------------- */

size_t arb_json_escape(char *buf, size_t cap, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
#define PUT(c)                   \
    do {                         \
        if (o + 1 < cap)         \
            buf[o] = (char)(c);  \
        o++;                     \
    } while (0)
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': PUT('\\'); PUT('"'); break;
        case '\\': PUT('\\'); PUT('\\'); break;
        case '\n': PUT('\\'); PUT('n'); break;
        case '\r': PUT('\\'); PUT('r'); break;
        case '\t': PUT('\\'); PUT('t'); break;
        default:
            if (c < 0x20 || c == 0x7f) {
                PUT('\\'); PUT('u'); PUT('0'); PUT('0');
                PUT(hex[c >> 4]); PUT(hex[c & 15]);
            } else if (c == 0xe2 && i + 2 < len &&
                       (unsigned char)s[i + 1] == 0x80 &&
                       ((unsigned char)s[i + 2] == 0xa8 ||
                        (unsigned char)s[i + 2] == 0xa9)) {
                /* U+2028/2029: legal JSON, but break JavaScript */
                PUT('\\'); PUT('u'); PUT('2'); PUT('0'); PUT('2');
                PUT((unsigned char)s[i + 2] == 0xa8 ? '8' : '9');
                i += 2;
            } else {
                PUT(c);
            }
        }
    }
#undef PUT
    if (cap)
        buf[o < cap ? o : cap - 1] = '\0';
    return o;
}

size_t arb_error_record(char *buf, size_t cap, const char *id, size_t id_len,
                        unsigned long line, arb_status st, const char *detail)
{
    size_t o = 0;
#define ROOM (o < cap ? cap - o : 0)
#define ADV(n) o += (size_t)(n)
    ADV(snprintf(buf + (o < cap ? o : 0), ROOM, "{"));
    if (id) {
        ADV(snprintf(buf + (o < cap ? o : 0), ROOM, "\"id\":\""));
        ADV(arb_json_escape(buf + (o < cap ? o : 0), ROOM, id, id_len));
        ADV(snprintf(buf + (o < cap ? o : 0), ROOM, "\","));
    }
    if (line)
        ADV(snprintf(buf + (o < cap ? o : 0), ROOM, "\"line\":%lu,", line));
    ADV(snprintf(buf + (o < cap ? o : 0), ROOM, "\"status\":\"%s\",\"error\":\"",
                 arb_status_name(st)));
    const char *msg = detail && *detail ? detail : arb_strerror(st);
    ADV(arb_json_escape(buf + (o < cap ? o : 0), ROOM, msg, strlen(msg)));
    ADV(snprintf(buf + (o < cap ? o : 0), ROOM, "\"}"));
#undef ROOM
#undef ADV
    if (cap)
        buf[o < cap ? o : cap - 1] = '\0';
    return o;
}

/* ---------------- time ---------------- */

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static int digits(const char *s, size_t n, int *v)
{
    int x = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        x = x * 10 + (s[i] - '0');
    }
    *v = x;
    return 0;
}

arb_status arb_parse_time(const char *s, size_t len, int64_t *ms)
{
    int Y, M, D, h, m, sec, frac = 0;
    if (!s || !ms || len < 20)
        return ARB_TIME;
    if (digits(s, 4, &Y) || s[4] != '-' || digits(s + 5, 2, &M) || s[7] != '-' ||
        digits(s + 8, 2, &D) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
        digits(s + 11, 2, &h) || s[13] != ':' || digits(s + 14, 2, &m) ||
        s[16] != ':' || digits(s + 17, 2, &sec))
        return ARB_TIME;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (Y % 4 == 0 && Y % 100 != 0) || Y % 400 == 0;
    if (Y < 1970 || M < 1 || M > 12 || D < 1 || D > mdays[M - 1] ||
        (M == 2 && D == 29 && !leap) || h > 23 || m > 59 || sec > 60)
        return ARB_TIME;
    size_t i = 19;
    if (i < len && s[i] == '.') {
        i++;
        size_t nd = 0;
        while (i < len && s[i] >= '0' && s[i] <= '9') {
            if (nd < 3)
                frac = frac * 10 + (s[i] - '0');
            nd++;
            i++;
        }
        if (nd == 0)
            return ARB_TIME;
        for (; nd < 3; nd++)
            frac *= 10;
    }
    int off = 0;
    if (i < len && (s[i] == 'Z' || s[i] == 'z')) {
        i++;
    } else if (i + 6 == len && (s[i] == '+' || s[i] == '-')) {
        int oh, om;
        if (digits(s + i + 1, 2, &oh) || s[i + 3] != ':' ||
            digits(s + i + 4, 2, &om) || oh > 23 || om > 59)
            return ARB_TIME;
        off = (oh * 60 + om) * (s[i] == '+' ? 1 : -1);
        i += 6;
    } else {
        return ARB_TIME;
    }
    if (i != len)
        return ARB_TIME;
    int64_t days = days_from_civil(Y, (unsigned)M, (unsigned)D);
    int64_t t = ((days * 24 + h) * 60 + m - off) * 60 + (sec > 59 ? 59 : sec);
    if (t < 0)
        return ARB_TIME;
    *ms = t * 1000 + frac;
    return ARB_OK;
}

void arb_format_time(int64_t ms, char buf[32])
{
    int64_t t = ms / 1000;
    if (ms < 0 && ms % 1000)
        t--;
    int64_t z = (t >= 0 ? t : t - 86399) / 86400;
    int64_t secs = t - z * 86400;
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned d = doy - (153 * mp + 2) / 5 + 1;
    unsigned m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    unsigned hh = (unsigned)(secs / 3600) % 24u, mi = (unsigned)(secs / 60 % 60),
             ss = (unsigned)(secs % 60);
    if (y < 0 || y > 9999)
        y = 9999;
    snprintf(buf, 32, "%04u-%02u-%02uT%02u:%02u:%02uZ", (unsigned)y % 10000u,
             m % 13u, d % 32u, hh, mi, ss);
}

/* ---------------- countries (ISO 3166-1 alpha-2, officially assigned) ---- */

static const char countries[] =
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI "
    "BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN "
    "CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK "
    "FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM "
    "HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN "
    "KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK "
    "ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP "
    "NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW "
    "SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF "
    "TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI "
    "VN VU WF WS YE YT ZA ZM ZW";

/* Binary search of the sorted list above (249 codes, at most 8 steps). */
int arb_country_valid(const char *cc)
{
    if (!cc || cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z' ||
        cc[2] != '\0')
        return 0;
    size_t lo = 0, hi = (sizeof countries) / 3; /* entries are "XX " */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *e = countries + 3 * mid;
        int c = e[0] != cc[0] ? e[0] - cc[0] : e[1] - cc[1];
        if (c == 0)
            return 1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* ---------------- SHA-256 (Nettle) ---------------- */

void arb__sha256_init(arb__sha256 *c) { sha256_init(&c->ctx); }

void arb__sha256_update(arb__sha256 *c, const void *data, size_t n)
{
    sha256_update(&c->ctx, n, data);
}

void arb__sha256_hex(arb__sha256 *c, char out[65])
{
    static const char hx[] = "0123456789abcdef";
    uint8_t d[SHA256_DIGEST_SIZE];
    sha256_digest(&c->ctx, sizeof d, d);
    for (size_t i = 0; i < sizeof d; i++) {
        out[2 * i] = hx[d[i] >> 4];
        out[2 * i + 1] = hx[d[i] & 15];
    }
    out[64] = '\0';
}
