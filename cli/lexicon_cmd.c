/*
 * lexicon_cmd.c -- `arbiter lexicon patterns` and `arbiter lexicon lint`.
 *
 *   arbiter lexicon patterns          one compiled pattern per line (the
 *                                     embedded lexicons), for external tools
 *                                     such as a ripgrep baseline benchmark
 *   arbiter lexicon lint [PATH...]    compiles lexicon YAML files (files or
 *                                     directories of *.yaml, in the order
 *                                     given; none: the embedded lexicons)
 *                                     and reports FILE:LINE:COL: message
 *
 * A client of the public API only: it builds an engine with the given
 * lexicons and the embedded default policy.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>


static void usage(FILE *f)
{
    fputs("usage: arbiter lexicon patterns\n"
          "       arbiter lexicon lint [PATH...]\n"
          "  patterns  print every compiled lexicon pattern, one per line\n"
          "  lint      compile lexicon YAML files (or directories of *.yaml);\n"
          "            errors are printed as FILE:LINE:COL: message\n",
          f);
}

static int build(const arb_source *src, size_t n, arb_engine **e)
{
    arb_engine_options o = {0};
    o.lexicons = src;
    o.n_lexicons = n;
    arb_error err = {0};
    arb_status st = arb_engine_new(&o, e, &err);
    if (st != ARB_OK) {
        if (err.source[0])
            fprintf(stderr, "%s:%u:%u: %s\n", err.source, err.line, err.column,
                    err.message[0] ? err.message : arb_strerror(st));
        else
            fprintf(stderr, "arbiter: %s\n", err.message[0] ? err.message : arb_strerror(st));
        return CLI_EXIT_POLICY;
    }
    return CLI_EXIT_OK;
}

static int cmd_patterns(void)
{
    arb_engine *e = NULL;
    int rc = build(NULL, 0, &e);
    if (rc)
        return rc;
    size_t n = arb_engine_pattern_count(e);
    for (size_t i = 0; i < n; i++) {
        const char *p = arb_engine_pattern(e, i);
        if (p)
            printf("%s\n", p);
    }
    arb_engine_free(e);
    return fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_IO;
}

static int cmd_lint(int argc, char **argv)
{
    arb_source *all = NULL;
    size_t n_all = 0;
    int rc = CLI_EXIT_OK;
    for (int i = 0; i < argc && !rc; i++) {
        arb_source *src = NULL;
        size_t n = 0;
        if (cli_sources_read(argv[i], &src, &n)) {
            rc = CLI_EXIT_IO;
            break;
        }
        arb_source *grown = realloc(all, (n_all + n + 1) * sizeof *grown);
        if (!grown) {
            cli_sources_free(src, n);
            fprintf(stderr, "arbiter: out of memory\n");
            rc = CLI_EXIT_IO;
            break;
        }
        all = grown;
        memcpy(all + n_all, src, n * sizeof *src);
        n_all += n;
        free(src); /* the strings now belong to `all` */
    }
    if (!rc && argc > 0 && n_all == 0) {
        fprintf(stderr, "arbiter: no lexicon files found\n");
        rc = CLI_EXIT_IO;
    }
    if (!rc) {
        arb_engine *e = NULL;
        rc = build(argc > 0 ? all : NULL, n_all, &e);
        if (!rc) {
            size_t files = n_all;
            if (argc == 0)
                (void)arb_default_lexicon_sources(&files);
            printf("lexicons OK: %zu file(s), %zu pattern(s)\n", files,
                   arb_engine_pattern_count(e));
        }
        arb_engine_free(e);
    }
    cli_sources_free(all, n_all);
    return rc;
}

int cmd_lexicon(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
    }
    if (!strcmp(argv[1], "patterns")) {
        if (argc != 2) {
            usage(stderr);
            return CLI_EXIT_USAGE;
        }
        return cmd_patterns();
    }
    if (!strcmp(argv[1], "lint"))
        return cmd_lint(argc - 2, argv + 2);
    fprintf(stderr, "arbiter: lexicon: unknown subcommand '%s'\n", argv[1]);
    usage(stderr);
    return CLI_EXIT_USAGE;
}
