/*
 * arbiter.h -- the public API of libarbiter, and its specification.
 *
 * libarbiter decides what to do with a social-media post under a versioned,
 * country- and time-scoped policy about violent speech, and explains why.
 *
 * CONVENTIONS (they hold for every function below unless its contract says
 * otherwise)
 *
 *  - Prefix: `arb_` is public, `arb__` is internal to the library, anything
 *    else is `static`.
 *  - Handles are opaque.  `arb_X_new()` makes one, `arb_X_free()` releases it,
 *    and `arb_X_free(NULL)` is a no-op.
 *  - Fallible calls return an `arb_status`.  ARB_OK is 0; every other value
 *    has a message from `arb_strerror()`.  Where a call takes an `arb_error *`
 *    (which may be NULL) it fills it with detail: the source name, 1-based
 *    line and column, and a sentence naming the problem.
 *  - Text is UTF-8 given as (pointer, length); it need not be NUL-terminated
 *    and may contain NUL bytes.  Every span reported by the library is a
 *    half-open byte range [start, end) into the ORIGINAL text the caller gave,
 *    whatever normalization did to find it.
 *  - The library is sans-I/O: it never opens files or sockets, never starts
 *    threads and never prints.  Callers pass bytes in and get bytes out.
 *  - Memory: all allocation goes through the engine's allocator (see
 *    arb_allocator), so tests can inject failures.  Each post is analysed in
 *    an arena owned by the scratch; the arena's cap is the per-post memory
 *    limit.
 *  - Threads: an arb_engine is immutable after arb_engine_new() and may be
 *    shared by any number of threads.  An arb_scratch belongs to one thread at
 *    a time.  A decision lives in its scratch and stays valid until the next
 *    arb_decide() or arb_normalize() on that scratch, or arb_scratch_free().
 *  - Reference counting: arb_engine_ref()/arb_engine_unref() let a server
 *    swap in a new engine while requests in flight finish on the old one.
 */
#ifndef ARBITER_H
#define ARBITER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ARB_VERSION_STRING "0.1.0"

/* ------------------------------------------------------------------ */
/* Status codes: one table, one message each.                          */
/* ------------------------------------------------------------------ */
#define ARB_STATUS_MAP(X)                                                     \
    X(OK, 0, "success")                                                       \
    X(NOMEM, 1, "out of memory")                                              \
    X(INVALID, 2, "invalid argument")                                         \
    X(UTF8, 3, "text is not valid UTF-8 and could not be repaired")           \
    X(TOO_BIG, 4, "input exceeds a configured limit")                         \
    X(PARSE, 5, "syntax error")                                               \
    X(POLICY, 6, "policy error")                                              \
    X(LEXICON, 7, "lexicon error")                                            \
    X(MATCHER, 8, "pattern matcher error")                                    \
    X(COUNTRY, 9, "unknown country code")                                     \
    X(TIME, 10, "invalid or out-of-range time")                               \
    X(NOT_FOUND, 11, "not found")                                             \
    X(ICU, 12, "Unicode library error")                                       \
    X(LIMIT, 13, "analysis limit reached")

typedef enum arb_status {
#define ARB__STATUS_ENUM(name, code, msg) ARB_##name = code,
    ARB_STATUS_MAP(ARB__STATUS_ENUM)
#undef ARB__STATUS_ENUM
} arb_status;

/* A static English sentence for `st`; never NULL (unknown codes get
 * "unknown status"). */
const char *arb_strerror(arb_status st);

/* Short machine name of `st`, e.g. "TOO_BIG"; never NULL. */
const char *arb_status_name(arb_status st);

/* Detail about the last failure of a call that takes one.  `source` names
 * the file or embedded resource ("" when none), `line`/`column` are 1-based
 * (0 when not applicable).  `message` is always NUL-terminated. */
typedef struct arb_error {
    arb_status status;
    char source[256];
    unsigned line;
    unsigned column;
    char message[512];
} arb_error;

/* ------------------------------------------------------------------ */
/* Allocation                                                          */
/* ------------------------------------------------------------------ */
/* Lua-style allocator.  Called as fn(ud, NULL, 0, n) to allocate,
 * fn(ud, p, old, n) to resize, fn(ud, p, old, 0) to free (must return NULL).
 * Must return NULL on failure and leave `ptr` untouched. */
typedef void *(*arb_alloc_fn)(void *ud, void *ptr, size_t osize, size_t nsize);

typedef struct arb_allocator {
    arb_alloc_fn fn;
    void *ud;
} arb_allocator;

/* ------------------------------------------------------------------ */
/* Limits                                                              */
/* ------------------------------------------------------------------ */
typedef struct arb_limits {
    size_t max_text_bytes;     /* default 65536: longer text -> ARB_TOO_BIG */
    size_t max_post_memory;    /* default 8 MiB: arena cap per post        */
    size_t max_matches;        /* default 4096 matcher hits per post        */
    size_t max_policy_bytes;   /* default 4 MiB per policy source           */
    unsigned max_policy_depth; /* default 32 levels of YAML nesting         */
    unsigned max_rules;        /* default 4096 rules+overlays per pack      */
} arb_limits;

/* Fills `l` with the defaults above. */
void arb_limits_default(arb_limits *l);

/* ------------------------------------------------------------------ */
/* Sources: named byte buffers (policy files, lexicon files)            */
/* ------------------------------------------------------------------ */
typedef struct arb_source {
    const char *name; /* shown in errors, e.g. "policies/default/base.yaml" */
    const char *data;
    size_t len;
} arb_source;

/* The policy pack and lexicons compiled into the library.  Returns a static
 * array and stores its length in *n.  Never fails. */
const arb_source *arb_default_policy_sources(size_t *n);
const arb_source *arb_default_lexicon_sources(size_t *n);

/* ------------------------------------------------------------------ */
/* Engine: lexicons + policy, compiled once, immutable, shared          */
/* ------------------------------------------------------------------ */
typedef struct arb_engine arb_engine;

typedef struct arb_engine_options {
    const arb_allocator *allocator; /* NULL: malloc/realloc/free          */
    const arb_limits *limits;       /* NULL: arb_limits_default()         */
    const arb_source *policy;       /* NULL: the embedded default pack    */
    size_t n_policy;
    const arb_source *lexicons;     /* NULL: the embedded lexicons        */
    size_t n_lexicons;
} arb_engine_options;

/* Compiles lexicons and policy into a new engine with one reference.
 * `opts` may be NULL (all defaults).  On failure *out is NULL, `err` (if
 * not NULL) names the source, line and column, and the status is returned:
 * ARB_POLICY / ARB_PARSE for policy mistakes, ARB_LEXICON, ARB_MATCHER,
 * ARB_TOO_BIG, ARB_NOMEM. */
arb_status arb_engine_new(const arb_engine_options *opts, arb_engine **out,
                          arb_error *err);

/* Reference counting; thread-safe.  arb_engine_free() is arb_engine_unref(). */
arb_engine *arb_engine_ref(arb_engine *e);
void arb_engine_unref(arb_engine *e);
void arb_engine_free(arb_engine *e);

/* Policy identity: pack id, version string, and the hex SHA-256 of the
 * policy sources (names and bytes, in order).  Valid while `e` lives. */
const char *arb_engine_policy_id(const arb_engine *e);
const char *arb_engine_policy_version(const arb_engine *e);
const char *arb_engine_policy_hash(const arb_engine *e);

/* ------------------------------------------------------------------ */
/* Scratch: per-thread working memory                                  */
/* ------------------------------------------------------------------ */
typedef struct arb_scratch arb_scratch;

/* A scratch for use with `e` and with any other engine (after a reload):
 * on first use with an engine the scratch rebinds its per-thread parts and
 * holds a reference to that engine until it is rebound or freed, so an
 * engine a scratch last used stays alive until then.  Returns ARB_NOMEM or
 * ARB_MATCHER on failure. */
arb_status arb_scratch_new(const arb_engine *e, arb_scratch **out);
void arb_scratch_free(arb_scratch *s);

/* ------------------------------------------------------------------ */
/* Time and countries                                                  */
/* ------------------------------------------------------------------ */
/* Parses an RFC 3339 timestamp ("2022-03-10T12:00:00Z",
 * "2022-03-10T14:00:00.5+02:00") into milliseconds since the Unix epoch.
 * Years 1970..9999 only.  Returns ARB_TIME on any mistake. */
arb_status arb_parse_time(const char *s, size_t len, int64_t *ms);

/* Formats `ms` as "YYYY-MM-DDTHH:MM:SSZ" into buf (>= 21 bytes). */
void arb_format_time(int64_t ms, char buf[32]);

/* True when `cc` is an assigned ISO 3166-1 alpha-2 code (upper case). */
int arb_country_valid(const char *cc);

/* ------------------------------------------------------------------ */
/* Normalization                                                       */
/* ------------------------------------------------------------------ */
/* What normalization undid; a bit set per post and per statement. */
#define ARB_OBFUSCATION_MAP(X)            \
    X(INVALID_UTF8, 0, "invalid_utf8")   \
    X(INVISIBLE, 1, "invisible")         \
    X(HOMOGLYPH, 2, "homoglyph")         \
    X(LEET, 3, "leet")                   \
    X(MASK, 4, "mask")                   \
    X(SPACING, 5, "spacing")             \
    X(REPEAT, 6, "repeat")               \
    X(EMOJI, 7, "emoji")                 \
    X(TRANSLIT, 8, "translit")           \
    X(KEYBOARD, 9, "keyboard")           \
    X(COMPAT, 10, "compat")              \
    X(HASHTAG, 11, "hashtag")            \
    X(MISSPELLING, 12, "misspelling")

enum {
#define ARB__OBF_ENUM(name, bit, str) ARB_OBF_##name = 1u << bit,
    ARB_OBFUSCATION_MAP(ARB__OBF_ENUM)
#undef ARB__OBF_ENUM
};

/* Name of one obfuscation bit ("leet"), or NULL if `bit` is not one. */
const char *arb_obfuscation_name(uint32_t bit);

typedef struct arb_span {
    uint32_t start; /* byte offset into the original text, inclusive */
    uint32_t end;   /* exclusive */
} arb_span;

/* The normalized form of a text: lower-cased, NFKC, folded, with
 * invisibles removed, homoglyphs and leetspeak resolved by script, spaced
 * letters joined, runs of 3+ identical letters collapsed, emoji turned into
 * tokens such as ":knife:".  `orig[i]` is the span of original bytes that
 * produced normalized byte i. */
typedef struct arb_normalized {
    const char *text; /* NUL-terminated UTF-8 */
    size_t len;
    const arb_span *orig; /* len entries */
    uint32_t obfuscation; /* ARB_OBF_* bits */
} arb_normalized;

/* Normalizes `text` in the scratch arena.  The result is valid until the
 * next call on `s`.  Invalid UTF-8 is repaired (U+FFFD) and flagged;
 * ARB_TOO_BIG if len exceeds the engine's max_text_bytes. */
arb_status arb_normalize(arb_scratch *s, const arb_engine *e, const char *text,
                         size_t len, const arb_normalized **out);

/* ------------------------------------------------------------------ */
/* Language identification                                             */
/* ------------------------------------------------------------------ */
typedef struct arb_lang {
    char tag[12];      /* BCP 47 primary tag: "en", "ru", "uk", "pl", ... */
    float confidence;  /* 0..1 */
    float share;       /* share of the post's letters in this language */
} arb_lang;

/* ------------------------------------------------------------------ */
/* Analysis results                                                    */
/* ------------------------------------------------------------------ */
#define ARB_STMT_TYPE_MAP(X)              \
    X(INTENT, 0, "intent")                \
    X(CALL, 1, "call_to_action")          \
    X(ADVOCACY, 2, "advocacy")            \
    X(HOPE, 3, "hope")                    \
    X(CONDITIONAL, 4, "conditional")      \
    X(DEATH_TO, 5, "death_to")            \
    X(ADMISSION, 6, "admission")          \
    X(CODED, 7, "coded")

typedef enum arb_stmt_type {
#define ARB__ST_ENUM(name, v, str) ARB_STMT_##name = v,
    ARB_STMT_TYPE_MAP(ARB__ST_ENUM)
#undef ARB__ST_ENUM
    ARB_STMT__COUNT
} arb_stmt_type;

typedef enum arb_severity {
    ARB_SEV_NONE = 0,
    ARB_SEV_LOW = 1,
    ARB_SEV_MID = 2,
    ARB_SEV_HIGH = 3
} arb_severity;

#define ARB_TARGET_CLASS_MAP(X)                   \
    X(UNKNOWN, 0, "unknown")                      \
    X(PRIVATE_PERSON, 1, "private_person")        \
    X(CHILD, 2, "child")                          \
    X(PUBLIC_FIGURE, 3, "public_figure")          \
    X(HEAD_OF_STATE, 4, "head_of_state")          \
    X(HIGH_RISK, 5, "high_risk_person")           \
    X(MILITARY, 6, "military")                    \
    X(POW, 7, "prisoner_of_war")                  \
    X(NATIONALITY, 8, "nationality")              \
    X(CIVILIANS, 9, "civilians")                  \
    X(PROTECTED_GROUP, 10, "protected_group")     \
    X(VIOLENT_ACTOR, 11, "violent_actor")         \
    X(LAW_ENFORCEMENT, 12, "law_enforcement")     \
    X(PLACE, 13, "place")

typedef enum arb_target_class {
#define ARB__TC_ENUM(name, v, str) ARB_TARGET_##name = v,
    ARB_TARGET_CLASS_MAP(ARB__TC_ENUM)
#undef ARB__TC_ENUM
    ARB_TARGET__COUNT
} arb_target_class;

#define ARB_CRED_MAP(X)               \
    X(LOCATION, 0, "location")        \
    X(TIMING, 1, "timing")            \
    X(MEANS, 2, "means")              \
    X(PRIVATE_INFO, 3, "private_info") \
    X(BOUNTY, 4, "bounty")

enum {
#define ARB__CRED_ENUM(name, bit, str) ARB_CRED_##name = 1u << bit,
    ARB_CRED_MAP(ARB__CRED_ENUM)
#undef ARB__CRED_ENUM
};

#define ARB_MOD_MAP(X)                    \
    X(NEGATION, 0, "negation")            \
    X(QUOTATION, 1, "quotation")          \
    X(REPORTING, 2, "reporting")          \
    X(CONDEMNATION, 3, "condemnation")    \
    X(QUESTION, 4, "question")            \
    X(IDIOM, 5, "idiom")                  \
    X(TITLE, 6, "title")                  \
    X(TECHNICAL, 7, "technical")          \
    X(FICTION, 8, "fiction")              \
    X(SPORT, 9, "sport")

enum {
#define ARB__MOD_ENUM(name, bit, str) ARB_MOD_##name = 1u << bit,
    ARB_MOD_MAP(ARB__MOD_ENUM)
#undef ARB__MOD_ENUM
};

/* Names for the enums and bits above ("call_to_action", "head_of_state",
 * "means", "negation"); NULL for values out of range.  The _from_name
 * functions return -1 (or 0 for bit sets) for unknown names. */
const char *arb_stmt_type_name(arb_stmt_type t);
int arb_stmt_type_from_name(const char *name);
const char *arb_severity_name(arb_severity s);
int arb_severity_from_name(const char *name);
const char *arb_target_class_name(arb_target_class c);
int arb_target_class_from_name(const char *name);
const char *arb_cred_name(uint32_t bit);
uint32_t arb_cred_from_name(const char *name);
const char *arb_mod_name(uint32_t bit);
uint32_t arb_mod_from_name(const char *name);

typedef struct arb_target {
    arb_target_class cls;
    char affiliation[4]; /* ISO country the target belongs to ("RU"), or "" */
    const char *entity;  /* registry id ("putin"), or NULL                  */
    const char *label;   /* lexicon label ("russian_soldiers"), never NULL  */
    arb_span span;       /* the words naming the target                     */
} arb_target;

typedef struct arb_signal {
    uint32_t kind; /* one ARB_CRED_* or ARB_MOD_* bit (see arb_statement) */
    const char *label;
    arb_span span;
} arb_signal;

typedef struct arb_statement {
    arb_stmt_type type;
    arb_severity severity;
    char lang[12];          /* language of the lexicon that matched      */
    arb_span span;          /* the whole statement                        */
    arb_span trigger;       /* the violent words ("kill", "смерть")       */
    const char *trigger_label; /* lexicon label of the trigger ("kill")   */
    const arb_target *targets;
    size_t n_targets;
    uint32_t credibility;   /* ARB_CRED_* bits                            */
    const arb_signal *cred_signals;
    size_t n_cred_signals;
    uint32_t modifiers;     /* ARB_MOD_* bits                             */
    const arb_signal *mod_signals;
    size_t n_mod_signals;
    uint32_t obfuscation;   /* ARB_OBF_* bits undone to find it           */
} arb_statement;

/* ------------------------------------------------------------------ */
/* Decisions                                                           */
/* ------------------------------------------------------------------ */
typedef enum arb_action {
    ARB_ACTION_ALLOW = 0,
    ARB_ACTION_REMOVE = 1,
    ARB_ACTION_ESCALATE = 2,
    ARB_ACTION_RESTRICT = 3
} arb_action;

const char *arb_action_name(arb_action a);
int arb_action_from_name(const char *name);

/* A post to decide. */
typedef struct arb_post {
    const char *id;        /* caller's id, copied into the JSON record; may be NULL */
    size_t id_len;
    const char *text;
    size_t text_len;
    char author_country[4]; /* ISO 3166-1 alpha-2, upper case              */
    char viewer_country[4]; /* optional; "" when unknown                   */
    int64_t created_at_ms;  /* milliseconds since the epoch                 */
    const char *lang_hint;  /* optional BCP 47 tag, NUL-terminated, or NULL */
} arb_post;

typedef struct arb_decision arb_decision;

/* Analyses and decides `post` under engine `e`, using `s` for all memory.
 * Returns ARB_OK and a decision valid until the next call on `s`, or:
 * ARB_INVALID (NULL text, bad country code), ARB_COUNTRY (well-formed but
 * unassigned country), ARB_TOO_BIG (text over the limit), ARB_LIMIT (the
 * per-post memory cap was hit), ARB_NOMEM.  Deterministic: the same post,
 * country and time give the same decision under the same policy hash. */
arb_status arb_decide(const arb_engine *e, arb_scratch *s, const arb_post *post,
                      const arb_decision **out);

arb_action arb_decision_action(const arb_decision *d);
/* Id of the rule that decided (e.g. "base.incitement.remove"); never NULL. */
const char *arb_decision_rule(const arb_decision *d);
/* If an overlay decided: its id and version ("ua-2022-soldiers", "1"), else NULL. */
const char *arb_decision_overlay(const arb_decision *d);
const char *arb_decision_overlay_version(const arb_decision *d);
/* One sentence a moderator can read; never NULL. */
const char *arb_decision_reason(const arb_decision *d);
/* For ARB_ACTION_RESTRICT: the countries where the post stays visible,
 * comma-separated ("UA,PL"); "" otherwise. */
const char *arb_decision_visible_in(const arb_decision *d);
size_t arb_decision_statement_count(const arb_decision *d);
const arb_statement *arb_decision_statement(const arb_decision *d, size_t i);
/* Index of the statement the deciding rule matched, or -1 (default rule). */
int arb_decision_statement_index(const arb_decision *d);
size_t arb_decision_lang_count(const arb_decision *d);
const arb_lang *arb_decision_lang(const arb_decision *d, size_t i);
uint32_t arb_decision_obfuscation(const arb_decision *d);
const arb_normalized *arb_decision_normalized(const arb_decision *d);

/* The decision as one JSON object without a trailing newline (the `arbiter
 * scan` output record), in the scratch arena; valid as long as `d`. */
arb_status arb_decision_json(const arb_decision *d, const char **json,
                             size_t *len);

/* Writes a JSON error record {"id":..,"line":..,"error":..,"status":..} into
 * the caller's buffer (NUL-terminated, truncated to cap) and returns the
 * length it needed.  `id` may be NULL; `line` 0 omits the field. */
size_t arb_error_record(char *buf, size_t cap, const char *id, size_t id_len,
                        unsigned long line, arb_status st, const char *detail);

/* Appends `s` to `buf` as a JSON string body (without quotes), escaping as
 * RFC 8259 requires; returns the length needed (like snprintf). */
size_t arb_json_escape(char *buf, size_t cap, const char *s, size_t len);

/* ------------------------------------------------------------------ */
/* Policy introspection                                                */
/* ------------------------------------------------------------------ */
/* A policy pack compiled on its own (no lexicons), for tools that lint,
 * explain, diff and test policies.  Immutable once made; strings returned
 * by the accessors live as long as the arb_policy.  docs/policy.md
 * describes the language and the evaluation order. */
typedef struct arb_policy arb_policy;

/* Compiles the pack `src` (n sources, in order).  `lim` may be NULL
 * (defaults).  Errors as for arb_engine_new(): ARB_POLICY / ARB_PARSE /
 * ARB_TOO_BIG / ARB_NOMEM with `err` naming file, line and column. */
arb_status arb_policy_new(const arb_source *src, size_t n, const arb_limits *lim,
                          arb_policy **out, arb_error *err);
void arb_policy_free(arb_policy *p);

typedef enum arb_diag_level { ARB_DIAG_ERROR = 0, ARB_DIAG_WARNING = 1 } arb_diag_level;
typedef void (*arb_diag_fn)(void *ud, arb_diag_level level, const char *source,
                            unsigned line, unsigned column, const char *message);

/* Checks a pack: calls `fn` for every error found (not just the first) and,
 * when the pack compiles, for every warning (shadowed or overlapping rules,
 * rules that can never fire, overlays without an end, ...), in source
 * order.  Returns the number of errors (0: the pack is usable). */
size_t arb_policy_lint(const arb_source *src, size_t n, const arb_limits *lim,
                       arb_diag_fn fn, void *ud);

const char *arb_policy_id(const arb_policy *p);
const char *arb_policy_version(const arb_policy *p);
const char *arb_policy_hash(const arb_policy *p);
/* Owners, comma-separated ("" when none); the changelog as lines. */
const char *arb_policy_owners(const arb_policy *p);
const char *arb_policy_changelog(const arb_policy *p);

/* A rule: a base rule, or (when `overlay` is not NULL) an overlay sub-rule
 * as it stands in one overlay version.  Text fields are never NULL. */
typedef struct arb_rule_info {
    const char *id;
    const char *overlay;          /* NULL for base rules and the default   */
    const char *overlay_version;  /* NULL for base rules                   */
    const char *overrides;        /* base rule ids, comma-separated, or "" */
    arb_action action;
    const char *visible_in;       /* restrict: "UA,PL"; "" otherwise       */
    int floor;                    /* 1: no overlay may relax it            */
    const char *reason;
    const char *condition;        /* the condition in plain words          */
    const char *unless;           /* plain words, or ""                    */
    const char *source;
    unsigned line, column;
} arb_rule_info;

/* Base rules in evaluation order; index rule_count() is the default rule. */
size_t arb_policy_rule_count(const arb_policy *p);
arb_status arb_policy_rule(const arb_policy *p, size_t i, arb_rule_info *out);

typedef struct arb_overlay_info {
    const char *id;
    const char *title;
    int temporary;
    int64_t start_ms;
    int64_t end_ms;        /* INT64_MAX: no end */
    const char *end_note;  /* e.g. why the end is an assumption; or "" */
    size_t n_versions;
    const char *source;
    unsigned line, column;
} arb_overlay_info;

typedef struct arb_overlay_version_info {
    const char *version;
    int64_t effective_ms;  /* in force from here ...                    */
    int64_t until_ms;      /* ... until the next version or the end     */
    const char *countries; /* "UA,PL" */
    const char *unless;    /* overlay-wide exceptions in plain words, or "" */
    const char *note;
    const char *revoked;   /* sub-rules revoked by this version, or ""  */
    size_t n_rules;        /* sub-rules in force in this version         */
} arb_overlay_version_info;

size_t arb_policy_overlay_count(const arb_policy *p);
arb_status arb_policy_overlay(const arb_policy *p, size_t i, arb_overlay_info *out);
arb_status arb_policy_overlay_version(const arb_policy *p, size_t i, size_t v,
                                      arb_overlay_version_info *out);
arb_status arb_policy_overlay_rule(const arb_policy *p, size_t i, size_t v,
                                   size_t k, arb_rule_info *out);
/* The version index of overlay i in force for a post by an author in
 * `country` (seen from `viewer`, which may be NULL or "") at `at_ms`, or
 * -1 when the overlay does not apply there and then. */
int arb_policy_overlay_in_force(const arb_policy *p, size_t i, const char *country,
                                const char *viewer, int64_t at_ms);

/* The examples written in the pack, in source order. */
typedef struct arb_example_info {
    const char *text;
    const char *country;
    const char *viewer;      /* "" when none */
    int64_t at_ms;
    arb_action expect;
    const char *expect_rule; /* rule id the example expects, or "" */
    const char *rule;        /* the rule the example is written under */
    const char *overlay;     /* its overlay, or NULL */
    const char *source;
    unsigned line, column;
} arb_example_info;

size_t arb_policy_example_count(const arb_policy *p);
arb_status arb_policy_example(const arb_policy *p, size_t i, arb_example_info *out);

/* ------------------------------------------------------------------ */
/* Lexicon patterns (for external tools, e.g. a ripgrep baseline)      */
/* ------------------------------------------------------------------ */
/* Number of patterns compiled from the engine's lexicons, and pattern `i`
 * as compiled (a PCRE-compatible regex over normalized text, UTF-8,
 * NUL-terminated), or NULL when i >= the count.  Valid while `e` lives. */
size_t arb_engine_pattern_count(const arb_engine *e);
const char *arb_engine_pattern(const arb_engine *e, size_t i); /* PCRE-compatible regex as compiled, for external tools */

#ifdef __cplusplus
}
#endif
#endif /* ARBITER_H */
