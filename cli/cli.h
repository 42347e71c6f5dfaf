/*
 * cli.h -- helpers shared by the `arbiter` subcommands.  The CLI is a client
 * of the public API only (arbiter.h) plus jansson for reading JSON.
 */
#ifndef ARB_CLI_H
#define ARB_CLI_H

#include "arbiter.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

/* Exit codes, documented in docs/arbiter.1 and `arbiter --help`. */
enum {
    CLI_EXIT_OK = 0,       /* every record decided (or command succeeded)  */
    CLI_EXIT_RECORDS = 1,  /* finished, but some records were errors / tests failed */
    CLI_EXIT_USAGE = 2,    /* bad command line                              */
    CLI_EXIT_POLICY = 3,   /* policy or lexicon could not be loaded         */
    CLI_EXIT_IO = 4        /* an input or output file could not be used     */
};

/* Reads a policy pack: PATH is a .yaml file or a directory whose *.yaml
 * files (sorted by name, recursively) form the pack.  NULL PATH means the
 * embedded default.  Builds an engine; on failure prints
 * "arbiter: FILE:LINE:COL: message" to stderr and returns CLI_EXIT_POLICY. */
int cli_engine_load(const char *policy_path, arb_engine **out);

/* Reads the sources of a pack into *src (caller frees with cli_sources_free).
 * Returns 0, or prints an error and returns CLI_EXIT_IO. */
int cli_sources_read(const char *path, arb_source **src, size_t *n);
void cli_sources_free(arb_source *src, size_t n);

/* One input record (a JSON Lines line) turned into an arb_post.  Strings
 * point into `root` or `owned`, both kept alive by the record. */
typedef struct cli_record {
    json_t *root;      /* the parsed tree, when jansson read the line (always
                          with CLI_REC_TREE); NULL on the streaming path and
                          on a parse error                                */
    char *owned;       /* strings copied by the streaming reader           */
    arb_post post;
    char *repaired;    /* owned copy of the line if invalid UTF-8 was repaired */
    bool had_bad_utf8;
    const char *id;    /* NULL when the line had no readable id           */
    size_t id_len;
    arb_status status; /* ARB_OK, or why the record cannot be decided      */
    char error[256];   /* message for status != ARB_OK                     */
} cli_record;

/* Parses `line` (without its newline).  `at_ms` >= 0 overrides created_at
 * (then created_at may be absent).  `max_text` is the text size limit.
 * Always fills `r`; call cli_record_free() after. */
void cli_record_parse(cli_record *r, const char *line, size_t len,
                      int64_t at_ms, size_t max_text);
/* Flags for cli_record_parse_flags():
 * CLI_REC_TREE: keep the jansson tree in r->root (callers that read fields
 *   other than the post's, like `eval` reading "expect");
 * CLI_REC_SLOW: never the streaming reader (tests compare the two). */
enum { CLI_REC_TREE = 1u, CLI_REC_SLOW = 2u };
void cli_record_parse_flags(cli_record *r, const char *line, size_t len,
                            int64_t at_ms, size_t max_text, unsigned flags);
/* The same with `default_country` (upper-case ISO 3166-1 alpha-2, or NULL)
 * standing in for a record without "author_country" (scan --country). */
void cli_record_parse_country(cli_record *r, const char *line, size_t len,
                              int64_t at_ms, size_t max_text, unsigned flags,
                              const char *default_country);
void cli_record_free(cli_record *r);

/* Line reader with a hard cap: lines longer than `max` are skipped up to
 * their newline and reported as too long (never buffered whole). */
typedef struct cli_lines {
    FILE *f;
    char *buf;         /* a line that spans two reads is assembled here */
    size_t cap, max;
    unsigned long lineno;
    bool eof;
    char *in;          /* read-ahead block; lines are returned in place */
    size_t in_pos, in_len, in_cap;
} cli_lines;
void cli_lines_init(cli_lines *lr, FILE *f, size_t max);
/* Returns 1 with *line and *len set (valid until next call), 0 at end, or -1 for
 * a line over the cap (then *len is the bytes seen, line is NULL). */
int cli_lines_next(cli_lines *lr, const char **line, size_t *len);
void cli_lines_free(cli_lines *lr);

/* Writes a decision or error record line for `r` into `out` (a malloc'd
 * growing string); used by scan, eval and simulate alike. */
typedef struct cli_str {
    char *p;        /* NUL-terminated once anything was appended */
    size_t len, cap;
    size_t limit;   /* most bytes it may hold (0: no limit) */
    bool failed;    /* an append failed: out of memory or over `limit` */
} cli_str;
/* Appends, exiting the program on out-of-memory (the CLI's policy). */
void cli_str_put(cli_str *s, const char *p, size_t n);
/* Append without ever exiting (arbiterd, reports): on out-of-memory or
 * past `limit` they set `failed`, and every later append is a no-op, so a
 * caller checks `failed` once at the end. */
void cli_str_add(cli_str *s, const char *p, size_t n);
void cli_str_adds(cli_str *s, const char *z);
void cli_str_addf(cli_str *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cli_str_free(cli_str *s);

/* Decides `r` with engine/scratch and appends one JSON line to `out`.
 * Returns the action (>= 0) or -1 if the record became an error record. */
int cli_decide_line(const arb_engine *e, arb_scratch *s, cli_record *r,
                    unsigned long lineno, cli_str *out);

/* Subcommands (cli/<name>.c). argv[0] is the subcommand name. */
int cmd_scan(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_eval(int argc, char **argv);     /* cli/eval.c     */
int cmd_policy(int argc, char **argv);   /* cli/policy_cmd.c */
int cmd_simulate(int argc, char **argv); /* cli/simulate.c */
int cmd_lexicon(int argc, char **argv);  /* cli/lexicon_cmd.c */

/* Opens an arbiterd database read-only with a 5 s busy timeout.  Returns 0,
 * or prints "arbiter: PATH: why" and returns CLI_EXIT_IO. */
struct sqlite3;
int cli_db_open_readonly(const char *path, struct sqlite3 **out);

#endif
