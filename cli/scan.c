/*
 * scan.c -- `arbiter scan`: JSON Lines in, one JSON line out per input line,
 * in input order, with N worker threads.
 *
 * Lines are read in batches; each batch is split into N contiguous slices,
 * one per worker (each with its own arb_scratch), and the slices' outputs
 * are written in order.  Every input line yields exactly one output line:
 * a decision, or an error record with the line number.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BATCH_LINES 4096

typedef struct batch {
    cli_str data;           /* lines, NUL-separated */
    size_t *off;            /* start of each line in data */
    size_t *len;            /* length, or (size_t)-1 for an over-long line */
    size_t *seen;           /* bytes seen for over-long lines */
    unsigned long *lineno;
    size_t n;
} batch;

typedef struct worker {
    const arb_engine *e;
    arb_scratch *s;
    const batch *b;
    size_t from, to;
    int64_t at_ms;
    size_t max_text, max_line;
    cli_str out;
    unsigned long counts[4];
    unsigned long errors;
    pthread_t th;
} worker;

static void process(worker *w)
{
    w->out.len = 0;
    for (size_t i = w->from; i < w->to; i++) {
        const batch *b = w->b;
        cli_record r;
        if (b->len[i] == (size_t)-1) {
            char msg[160];
            snprintf(msg, sizeof msg, "line is %zu bytes; the limit is %zu (--max-line)",
                     b->seen[i], w->max_line);
            char buf[512];
            size_t n = arb_error_record(buf, sizeof buf, NULL, 0, b->lineno[i], ARB_TOO_BIG, msg);
            cli_str_put(&w->out, buf, n);
            cli_str_put(&w->out, "\n", 1);
            w->errors++;
            continue;
        }
        cli_record_parse(&r, b->data.p + b->off[i], b->len[i], w->at_ms, w->max_text);
        int a = cli_decide_line(w->e, w->s, &r, b->lineno[i], &w->out);
        if (a < 0)
            w->errors++;
        else
            w->counts[a]++;
        cli_record_free(&r);
    }
}

static void *worker_main(void *arg)
{
    process(arg);
    return NULL;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void usage(FILE *f)
{
    fputs("usage: arbiter scan [--policy PATH] [--at RFC3339] [-j N] [--max-line BYTES]\n"
          "                    [--max-text BYTES] [--quiet] [--no-progress] [FILE...]\n"
          "\n"
          "Reads posts as JSON Lines (stdin, or the FILEs in order) and writes one JSON\n"
          "line per input line to stdout, in input order.\n"
          "\n"
          "Input record:  {\"id\": str, \"text\": str, \"author_country\": \"UA\",\n"
          "                \"created_at\": RFC 3339, \"lang\": BCP 47 hint (optional),\n"
          "                \"viewer_country\": \"PL\" (optional)}  unknown fields are ignored.\n"
          "Output record: {\"id\", \"action\": allow|remove|escalate|restrict, \"rule\",\n"
          "                \"overlay\"?, \"policy\": {id, version, hash}, \"reason\",\n"
          "                \"statements\": [...spans into the original text...], \"langs\"}\n"
          "Error record:  {\"id\"?, \"line\", \"status\", \"error\"} -- nothing is dropped.\n"
          "\n"
          "  --policy PATH     policy pack (.yaml file or directory); default: embedded pack\n"
          "  --at T            decide every post as of time T instead of its created_at\n"
          "  -j, --jobs N      worker threads (default 1)\n"
          "  --max-line N      longest accepted input line in bytes (default 1048576)\n"
          "  --max-text N      longest accepted post text in bytes (default 65536)\n"
          "  --quiet           no summary on stderr\n"
          "  --no-progress     no progress line even when stderr is a terminal\n"
          "\n"
          "Exit status: 0 all records decided, 1 some records were error records,\n"
          "2 usage error, 3 policy could not be loaded, 4 input/output error.\n",
          f);
}

int cmd_scan(int argc, char **argv)
{
    static const struct option opts[] = {
        {"policy", required_argument, 0, 'p'}, {"at", required_argument, 0, 'a'},
        {"jobs", required_argument, 0, 'j'},   {"max-line", required_argument, 0, 'L'},
        {"max-text", required_argument, 0, 'T'}, {"quiet", no_argument, 0, 'q'},
        {"no-progress", no_argument, 0, 'P'},  {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    const char *policy = NULL;
    int64_t at_ms = -1;
    long jobs = 1;
    size_t max_line = 1u << 20;
    arb_limits lim;
    arb_limits_default(&lim);
    size_t max_text = lim.max_text_bytes;
    bool quiet = false, progress = isatty(2);
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "j:hq", opts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'p': policy = optarg; break;
        case 'a':
            if (arb_parse_time(optarg, strlen(optarg), &at_ms) != ARB_OK) {
                fprintf(stderr, "arbiter scan: --at %s: not an RFC 3339 time (1970..9999)\n", optarg);
                return CLI_EXIT_USAGE;
            }
            break;
        case 'j':
            jobs = strtol(optarg, &end, 10);
            if (*end || jobs < 1 || jobs > 256) {
                fprintf(stderr, "arbiter scan: -j %s: expected 1..256\n", optarg);
                return CLI_EXIT_USAGE;
            }
            break;
        case 'L':
        case 'T': {
            unsigned long long v = strtoull(optarg, &end, 10);
            if (*end || v < 16 || v > (1ull << 30)) {
                fprintf(stderr, "arbiter scan: %s: expected a byte count 16..1073741824\n", optarg);
                return CLI_EXIT_USAGE;
            }
            if (c == 'L')
                max_line = (size_t)v;
            else
                max_text = (size_t)v;
            break;
        }
        case 'q': quiet = true; break;
        case 'P': progress = false; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return CLI_EXIT_USAGE;
        }
    }
    if (max_text > lim.max_text_bytes) {
        lim.max_text_bytes = max_text;
    }

    /* open inputs first: a missing file is an I/O error before any work */
    int nfiles = argc - optind;
    FILE **files = calloc(nfiles > 0 ? (size_t)nfiles : 1, sizeof *files);
    for (int i = 0; i < nfiles; i++) {
        const char *p = argv[optind + i];
        files[i] = strcmp(p, "-") == 0 ? stdin : fopen(p, "rb");
        if (!files[i]) {
            fprintf(stderr, "arbiter scan: %s: cannot open: %s\n", p, strerror(errno));
            for (int j = 0; j < i; j++)
                if (files[j] != stdin)
                    fclose(files[j]);
            free(files);
            return CLI_EXIT_IO;
        }
    }
    if (nfiles == 0) {
        files[0] = stdin;
        nfiles = 1;
    }

    arb_engine *e;
    int rc = cli_engine_load(policy, &e);
    if (rc) {
        free(files);
        return rc;
    }
    worker *w = calloc((size_t)jobs, sizeof *w);
    for (long i = 0; i < jobs; i++) {
        w[i].e = e;
        w[i].at_ms = at_ms;
        w[i].max_text = max_text;
        w[i].max_line = max_line;
        if (arb_scratch_new(e, &w[i].s) != ARB_OK) {
            fprintf(stderr, "arbiter scan: cannot allocate scratch\n");
            return CLI_EXIT_IO;
        }
    }
    batch b = {0};
    b.off = malloc(BATCH_LINES * sizeof *b.off);
    b.len = malloc(BATCH_LINES * sizeof *b.len);
    b.seen = malloc(BATCH_LINES * sizeof *b.seen);
    b.lineno = malloc(BATCH_LINES * sizeof *b.lineno);

    double t0 = now_s(), last = t0;
    unsigned long total = 0, bytes = 0;
    bool io_error = false;
    unsigned long lineno_base = 0;
    for (int fi = 0; fi < nfiles; fi++) {
        cli_lines lr;
        cli_lines_init(&lr, files[fi], max_line);
        bool more = true;
        while (more) {
            b.n = 0;
            b.data.len = 0;
            while (b.n < BATCH_LINES) {
                const char *line;
                size_t len;
                int k = cli_lines_next(&lr, &line, &len);
                if (k == 0) {
                    more = false;
                    break;
                }
                b.lineno[b.n] = lineno_base + lr.lineno;
                bytes += len + 1;
                if (k < 0) {
                    b.len[b.n] = (size_t)-1;
                    b.seen[b.n] = len;
                    b.off[b.n] = 0;
                } else {
                    b.off[b.n] = b.data.len;
                    b.len[b.n] = len;
                    cli_str_put(&b.data, line, len);
                    cli_str_put(&b.data, "", 1); /* keep a NUL after each line */
                }
                b.n++;
            }
            if (ferror(files[fi]))
                io_error = true;
            if (b.n == 0)
                break;
            size_t per = (b.n + (size_t)jobs - 1) / (size_t)jobs;
            long used = 0;
            for (long i = 0; i < jobs; i++) {
                w[i].b = &b;
                w[i].from = (size_t)i * per < b.n ? (size_t)i * per : b.n;
                w[i].to = w[i].from + per < b.n ? w[i].from + per : b.n;
                if (w[i].from < w[i].to)
                    used = i + 1;
            }
            for (long i = 1; i < used; i++)
                pthread_create(&w[i].th, NULL, worker_main, &w[i]);
            process(&w[0]);
            for (long i = 1; i < used; i++)
                pthread_join(w[i].th, NULL);
            for (long i = 0; i < used; i++)
                if (w[i].out.len && fwrite(w[i].out.p, 1, w[i].out.len, stdout) != w[i].out.len)
                    io_error = true;
            total += b.n;
            if (progress) {
                double t = now_s();
                if (t - last > 0.2) {
                    fprintf(stderr, "\r\033[K%lu posts  %.0f posts/s  %.1f MB/s", total,
                            total / (t - t0), bytes / (t - t0) / 1e6);
                    last = t;
                }
            }
        }
        lineno_base += lr.lineno;
        cli_lines_free(&lr);
        if (files[fi] != stdin)
            fclose(files[fi]);
    }
    if (fflush(stdout) != 0)
        io_error = true;
    double dt = now_s() - t0;
    unsigned long counts[4] = {0}, errors = 0;
    for (long i = 0; i < jobs; i++) {
        for (int a = 0; a < 4; a++)
            counts[a] += w[i].counts[a];
        errors += w[i].errors;
        cli_str_free(&w[i].out);
        arb_scratch_free(w[i].s);
    }
    if (progress)
        fputs("\r\033[K", stderr);
    if (!quiet)
        fprintf(stderr,
                "arbiter scan: %lu records in %.2f s (%.0f posts/s): allow %lu, remove %lu, "
                "escalate %lu, restrict %lu, errors %lu; policy %s %s %.12s\n",
                total, dt, dt > 0 ? total / dt : 0.0, counts[ARB_ACTION_ALLOW],
                counts[ARB_ACTION_REMOVE], counts[ARB_ACTION_ESCALATE],
                counts[ARB_ACTION_RESTRICT], errors, arb_engine_policy_id(e),
                arb_engine_policy_version(e), arb_engine_policy_hash(e));
    free(w);
    free(files);
    cli_str_free(&b.data);
    free(b.off);
    free(b.len);
    free(b.seen);
    free(b.lineno);
    arb_engine_free(e);
    if (io_error) {
        fprintf(stderr, "arbiter scan: input/output error\n");
        return CLI_EXIT_IO;
    }
    return errors ? CLI_EXIT_RECORDS : CLI_EXIT_OK;
}
