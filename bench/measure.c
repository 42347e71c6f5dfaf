/*
 * measure.c -- runs one command several times and reports its best wall
 * time, its CPU time and its peak resident memory, for bench/run.sh.
 *
 *   measure [-n RUNS] [-i STDIN] [-o STDOUT] -- COMMAND ARGS...
 *
 * Prints one line of shell-readable fields:
 *   best=S median=S cpu=S rss_kb=K rc=N walls=S,S,...
 * best/median are wall seconds (CLOCK_MONOTONIC, fork to reap) over the runs;
 * cpu is user+sys seconds of the best run; rss_kb is the largest "maximum
 * resident set size" of any run in KiB, from wait4() -- the number that
 * `/usr/bin/time -v` reports; rc is the first non-zero exit status seen
 * (128+signal for a signal), else 0.
 *
 * Why C and not a script: the child's ru_maxrss includes the memory of the
 * process that forked it until exec, so a forking Python would add ~10 MB
 * to every figure.  This process is small, so the floor is ~1 MB.
 * Invariants: the command is exec'd directly (no shell); its stdin and
 * stdout are the given files (default /dev/null), stderr is inherited.
 * Benchmark tooling only; not part of libarbiter or the CLI.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_RUNS 1000

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double tv_s(struct timeval tv)
{
    return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Runs argv once; fills wall, cpu and maxrss (KiB).  Returns the exit
 * status (128+signal when killed), or -1 if it could not be started. */
static int run_once(char **argv, const char *in, const char *out,
                    double *wall, double *cpu, long *maxrss)
{
    int fin = open(in, O_RDONLY);
    if (fin < 0) {
        fprintf(stderr, "measure: %s: %s\n", in, strerror(errno));
        return -1;
    }
    int fout = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fout < 0) {
        fprintf(stderr, "measure: %s: %s\n", out, strerror(errno));
        close(fin);
        return -1;
    }
    double t0 = now_s();
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "measure: fork: %s\n", strerror(errno));
        close(fin);
        close(fout);
        return -1;
    }
    if (pid == 0) {
        if (dup2(fin, 0) < 0 || dup2(fout, 1) < 0)
            _exit(127);
        close(fin);
        close(fout);
        execvp(argv[0], argv);
        fprintf(stderr, "measure: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(fin);
    close(fout);
    int status = 0;
    struct rusage ru;
    while (wait4(pid, &status, 0, &ru) < 0) {
        if (errno != EINTR) {
            fprintf(stderr, "measure: wait4: %s\n", strerror(errno));
            return -1;
        }
    }
    *wall = now_s() - t0;
    *cpu = tv_s(ru.ru_utime) + tv_s(ru.ru_stime);
    *maxrss = ru.ru_maxrss;
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

int main(int argc, char **argv)
{
    int runs = 3;
    const char *in = "/dev/null", *out = "/dev/null";
    int i = 1;
    for (; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        } else if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) {
            runs = (int)strtol(argv[++i], NULL, 10);
        } else if (strcmp(argv[i], "-i") == 0 && i + 1 < argc) {
            in = argv[++i];
        } else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
            out = argv[++i];
        } else {
            break;
        }
    }
    if (i >= argc || runs < 1 || runs > MAX_RUNS) {
        fprintf(stderr, "usage: measure [-n RUNS(1..%d)] [-i STDIN] [-o STDOUT] -- COMMAND ARGS...\n",
                MAX_RUNS);
        return 2;
    }
    static double walls[MAX_RUNS], sorted[MAX_RUNS];
    double best = 0, best_cpu = 0;
    long rss = 0;
    int rc = 0;
    for (int r = 0; r < runs; r++) {
        double w = 0, c = 0;
        long m = 0;
        int st = run_once(argv + i, in, out, &w, &c, &m);
        if (st < 0)
            return 1;
        if (st != 0 && rc == 0)
            rc = st;
        walls[r] = w;
        if (r == 0 || w < best) {
            best = w;
            best_cpu = c;
        }
        if (m > rss)
            rss = m;
    }
    memcpy(sorted, walls, sizeof(double) * (size_t)runs);
    qsort(sorted, (size_t)runs, sizeof(double), cmp_double);
    double median = runs % 2 ? sorted[runs / 2]
                             : (sorted[runs / 2 - 1] + sorted[runs / 2]) / 2;
    printf("best=%.6f median=%.6f cpu=%.6f rss_kb=%ld rc=%d walls=", best, median, best_cpu, rss, rc);
    for (int r = 0; r < runs; r++)
        printf("%s%.4f", r ? "," : "", walls[r]);
    printf("\n");
    return 0;
}
