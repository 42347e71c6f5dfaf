/*
 * replay_main.c -- runs a libFuzzer entry point over every file in the
 * directories given, without libFuzzer: the normal test suite replays the
 * seed corpus and every crasher ever found (fuzz/regress/<target>/).
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(f);
        return 0;
    }
    size_t n = (size_t)st.st_size;
    uint8_t *buf = malloc(n ? n : 1); /* NOLINT: test harness */
    if (!buf || fread(buf, 1, n, f) != n) {
        fclose(f);
        free(buf); /* NOLINT */
        return -1;
    }
    fclose(f);
    LLVMFuzzerTestOneInput(buf, n);
    free(buf); /* NOLINT */
    return 1;
}

int main(int argc, char **argv)
{
    int total = 0;
    for (int i = 1; i < argc; i++) {
        DIR *d = opendir(argv[i]);
        if (!d)
            continue;
        struct dirent *de;
        while ((de = readdir(d))) {
            if (de->d_name[0] == '.')
                continue;
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", argv[i], de->d_name);
            if (run_file(path) > 0)
                total++;
        }
        closedir(d);
    }
    printf("replayed %d inputs\n", total);
    return 0;
}
