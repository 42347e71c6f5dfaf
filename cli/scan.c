/*
 * scan.c -- `arbiter scan`: JSON Lines in, one JSON line out per input line,
 * in input order, with N worker threads.
 *
 * With -j 1 one thread reads a batch of lines, decides it and writes it.
 * With -j N the main thread reads batches into a ring and writes finished
 * ones in input order, while N workers (each with its own arb_scratch) take
 * the next unclaimed batch as soon as they are free: no barrier per batch,
 * so one slow batch does not idle the other workers.  Every input line
 * yields exactly one output line: a decision, or an error record with the
 * line number.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BATCH_LINES 1024

typedef struct batch {
    cli_str data;           /* lines, each followed by a NUL */
    size_t off[BATCH_LINES];  /* start of each line in data */
    size_t len[BATCH_LINES];  /* length, or (size_t)-1 for an over-long line */
    size_t seen[BATCH_LINES]; /* bytes seen for over-long lines */
    unsigned long lineno[BATCH_LINES];
    size_t n;
    cli_str out;            /* the output lines of this batch */
    unsigned long counts[4];
    unsigned long errors;
    bool done;              /* decided; the writer may take it */
} batch;

/* The ring of batches between the reader/writer (main thread) and the
 * workers.  Batch with sequence number q lives in ring[q % nring]; q <
 * filled were filled; q < next_claim were claimed by a worker. */
typedef struct pipeline {
    pthread_mutex_t mu;
    pthread_cond_t work; /* a batch was filled, or closing */
    pthread_cond_t done; /* a batch was finished */
    batch *ring;
    size_t nring;
    unsigned long long filled, next_claim;
    bool closing;
} pipeline;

typedef struct worker {
    const arb_engine *e;
    arb_scratch *s;
    int64_t at_ms;
    size_t max_text, max_line;
    const char *country; /* --country: for records without author_country, or NULL */
    pipeline *p;
    pthread_t th;
} worker;

static void process(const worker *w, batch *b)
{
    b->out.len = 0;
    memset(b->counts, 0, sizeof b->counts);
    b->errors = 0;
    for (size_t i = 0; i < b->n; i++) {
        cli_record r;
        if (b->len[i] == (size_t)-1) {
            char msg[160];
            snprintf(msg, sizeof msg, "line is %zu bytes; the limit is %zu (--max-line)",
                     b->seen[i], w->max_line);
            char buf[512];
            size_t n = arb_error_record(buf, sizeof buf, NULL, 0, b->lineno[i], ARB_TOO_BIG, msg);
            cli_str_put(&b->out, buf, n);
            cli_str_put(&b->out, "\n", 1);
            b->errors++;
            continue;
        }
        cli_record_parse_country(&r, b->data.p + b->off[i], b->len[i], w->at_ms, w->max_text, 0,
                                 w->country);
        int a = cli_decide_line(w->e, w->s, &r, b->lineno[i], &b->out);
        if (a < 0)
            b->errors++;
        else
            b->counts[a]++;
        cli_record_free(&r);
    }
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    pipeline *p = w->p;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (p->next_claim == p->filled && !p->closing)
            pthread_cond_wait(&p->work, &p->mu);
        if (p->next_claim == p->filled)
            break; /* closing, nothing left */
        batch *b = &p->ring[p->next_claim++ % p->nring];
        pthread_mutex_unlock(&p->mu);
        process(w, b);
        pthread_mutex_lock(&p->mu);
        b->done = true;
        pthread_cond_signal(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* The input side: the files in order, read line by line. */
typedef struct reader {
    FILE **files;
    int nfiles, fi;
    bool open;
    cli_lines lr;
    size_t max_line;
    unsigned long lineno_base;
    unsigned long long bytes;
    bool io_error;
} reader;

/* Fills b with up to BATCH_LINES lines; false when the input is exhausted
 * (b may still hold the last lines). */
static bool fill(reader *rd, batch *b)
{
    b->n = 0;
    b->data.len = 0;
    while (b->n < BATCH_LINES) {
        if (rd->fi >= rd->nfiles)
            return false;
        if (!rd->open) {
            cli_lines_init(&rd->lr, rd->files[rd->fi], rd->max_line);
            rd->open = true;
        }
        const char *line;
        size_t len;
        int k = cli_lines_next(&rd->lr, &line, &len);
        if (k == 0) {
            FILE *f = rd->files[rd->fi];
            if (ferror(f))
                rd->io_error = true;
            rd->lineno_base += rd->lr.lineno;
            cli_lines_free(&rd->lr);
            if (f != stdin)
                fclose(f);
            rd->open = false;
            rd->fi++;
            continue;
        }
        b->lineno[b->n] = rd->lineno_base + rd->lr.lineno;
        rd->bytes += len + 1;
        if (k < 0) {
            b->len[b->n] = (size_t)-1;
            b->seen[b->n] = len;
            b->off[b->n] = 0;
        } else {
            b->off[b->n] = b->data.len;
            b->len[b->n] = len;
            cli_str_put(&b->data, line, len);
            cli_str_put(&b->data, "", 1); /* keep a NUL after each line */
        }
        b->n++;
    }
    return rd->fi < rd->nfiles;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void usage(FILE *f)
{
    fputs("usage: arbiter scan [--policy PATH] [--at RFC3339] [--country CC] [-j N]\n"
          "                    [--max-line BYTES] [--max-text BYTES] [--quiet] [--no-progress]\n"
          "                    [FILE...]\n"
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
          "  --country CC      author country for records without \"author_country\"\n"
          "                    (without it such a record is an error record)\n"
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
        {"country", required_argument, 0, 'c'}, {0, 0, 0, 0}};
    const char *policy = NULL;
    char country[3] = {0};
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
        case 'c':
            if (strlen(optarg) != 2 || !arb_country_valid(optarg)) {
                fprintf(stderr,
                        "arbiter scan: --country %s: not an ISO 3166-1 alpha-2 code (upper case)\n",
                        optarg);
                return CLI_EXIT_USAGE;
            }
            memcpy(country, optarg, 3);
            break;
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
    /* -j 1: the main thread decides; -j N: N worker threads */
    long nworkers = jobs > 1 ? jobs : 0, nw = nworkers ? nworkers : 1;
    worker *w = calloc((size_t)nw, sizeof *w);
    pipeline p = {.nring = (size_t)(nworkers ? 2 * nworkers + 2 : 1)};
    p.ring = calloc(p.nring, sizeof *p.ring);
    if (!w || !p.ring) {
        fprintf(stderr, "arbiter scan: out of memory\n");
        return CLI_EXIT_IO;
    }
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.work, NULL);
    pthread_cond_init(&p.done, NULL);
    for (long i = 0; i < nw; i++) {
        w[i].e = e;
        w[i].at_ms = at_ms;
        w[i].max_text = max_text;
        w[i].max_line = max_line;
        w[i].country = country[0] ? country : NULL;
        w[i].p = &p;
        if (arb_scratch_new(e, &w[i].s) != ARB_OK) {
            fprintf(stderr, "arbiter scan: cannot allocate scratch\n");
            return CLI_EXIT_IO;
        }
    }
    for (long i = 0; i < nworkers; i++)
        pthread_create(&w[i].th, NULL, worker_main, &w[i]);

    reader rd = {.files = files, .nfiles = nfiles, .max_line = max_line};
    double t0 = now_s(), last = t0;
    unsigned long total = 0, counts[4] = {0}, errors = 0;
    bool io_error = false, more = true;
    unsigned long long written = 0;
    pthread_mutex_lock(&p.mu);
    for (;;) {
        /* write every finished batch that is next in input order */
        while (written < p.filled && p.ring[written % p.nring].done) {
            batch *b = &p.ring[written % p.nring];
            pthread_mutex_unlock(&p.mu);
            if (b->out.len && fwrite(b->out.p, 1, b->out.len, stdout) != b->out.len)
                io_error = true;
            total += b->n;
            errors += b->errors;
            for (int a = 0; a < 4; a++)
                counts[a] += b->counts[a];
            if (progress) {
                double t = now_s();
                if (t - last > 0.2) {
                    fprintf(stderr, "\r\033[K%lu posts  %.0f posts/s  %.1f MB/s", total,
                            total / (t - t0), (double)rd.bytes / (t - t0) / 1e6);
                    last = t;
                }
            }
            pthread_mutex_lock(&p.mu);
            written++;
        }
        if (!more && written == p.filled)
            break;
        /* read into a free slot */
        if (more && p.filled - written < p.nring) {
            batch *b = &p.ring[p.filled % p.nring];
            pthread_mutex_unlock(&p.mu);
            more = fill(&rd, b);
            if (b->n && !nworkers)
                process(&w[0], b);
            pthread_mutex_lock(&p.mu);
            if (b->n) {
                b->done = !nworkers; /* -j 1 decided it above */
                p.filled++;
                pthread_cond_signal(&p.work);
            }
            continue;
        }
        pthread_cond_wait(&p.done, &p.mu);
    }
    p.closing = true;
    pthread_cond_broadcast(&p.work);
    pthread_mutex_unlock(&p.mu);
    for (long i = 0; i < nworkers; i++)
        pthread_join(w[i].th, NULL);
    if (rd.open) {
        cli_lines_free(&rd.lr);
        if (rd.files[rd.fi] != stdin)
            fclose(rd.files[rd.fi]);
    }
    if (rd.io_error)
        io_error = true;
    if (fflush(stdout) != 0)
        io_error = true;
    double dt = now_s() - t0;
    for (long i = 0; i < nw; i++)
        arb_scratch_free(w[i].s);
    for (size_t i = 0; i < p.nring; i++) {
        cli_str_free(&p.ring[i].data);
        cli_str_free(&p.ring[i].out);
    }
    free(p.ring);
    pthread_mutex_destroy(&p.mu);
    pthread_cond_destroy(&p.work);
    pthread_cond_destroy(&p.done);
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
    arb_engine_free(e);
    if (io_error) {
        fprintf(stderr, "arbiter scan: input/output error\n");
        return CLI_EXIT_IO;
    }
    return errors ? CLI_EXIT_RECORDS : CLI_EXIT_OK;
}
