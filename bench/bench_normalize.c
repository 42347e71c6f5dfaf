/*
 * bench_normalize.c -- micro benchmark of normalization + language id.
 *
 * Builds a reproducible set of posts (a fixed-seed generator over EN, RU,
 * UK and PL sentences, 60..300 bytes, about one in five obfuscated: leet,
 * homoglyphs, spacing, masks, emoji, zero-width), then times, on one
 * thread:
 *   1. arb__normalize() alone;
 *   2. arb__normalize() + arb__langid_detect() (the pipeline's first two
 *      stages, budget about 3 us for a 150-byte post).
 * Prints posts/s, ns/post and MB/s for each.  Not built by CMake; build by
 * hand against the static library of a build directory:
 *
 *   cc -O2 -Iinclude -Isrc bench/bench_normalize.c build/libarbiter_internal.a \
 *      $(pkg-config --libs icu-uc icu-i18n libexttextcat libhs libfyaml hunspell) \
 *      -lstemmer -lm -lpthread -o /tmp/bench_normalize
 *   /tmp/bench_normalize [posts=200000] [rounds=3]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

static const char *const k_en[] = {
    "We should kill them all", "I hope the invaders die in a fire",
    "The weather is lovely today and we are going to the beach",
    "Did you see the match last night? What a goal", "They will pay for what they did",
    "Stop the war now, peace for everyone", "My cat knocked the coffee off the table again",
    "This government is a joke and everybody knows it",
    "Hang them all from the nearest tree", "Great concert yesterday, the band was on fire",
};
static const char *const k_ru[] = {
    "Смерть оккупантам", "Я думаю, что это правда, все об этом знают",
    "Сегодня вечером пойдем гулять по парку", "Мы будем бороться до конца",
    "Убить всех предателей", "Какая хорошая погода сегодня, не правда ли",
    "Путин должен ответить за всё", "Надо сжечь их дома",
};
static const char *const k_uk[] = {
    "Слава Україні! Героям слава!", "Смерть ворогам", "Це наша земля і ми її захистимо",
    "Сьогодні ввечері підемо гуляти парком", "Вбити всіх окупантів",
    "Дякую за допомогу, друзі", "Розстріляти зрадників",
};
static const char *const k_pl[] = {
    "Śmierć okupantom!", "Nie ma na to zgody, trzeba coś zrobić",
    "Zabić wszystkich najeźdźców", "Dzisiaj idziemy na spacer do parku",
    "Powiesić zdrajców", "Świetny mecz wczoraj, gratulacje dla drużyny",
};
static const char *const k_obf[] = {
    "k1ll th3m all", "k i l l them", "s.m.e.r.t okupantam", "cмepть оkкупантам",
    "уб3й их", "k*ll the ru$$ians", "kiiiiill", "Putin \xe2\x9a\xb0\xef\xb8\x8f",
    "\xf0\x9f\x94\xaa\xf0\x9f\x94\xaa\xf0\x9f\x94\xaa", "ki\xe2\x80\x8bll",
    "\xef\xbc\xab\xef\xbc\xa9\xef\xbc\xac\xef\xbc\xac",
};

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static unsigned rnd(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

#define PICK(a) a[rnd((unsigned)(sizeof a / sizeof a[0]))]

static size_t make_post(char *buf, size_t cap)
{
    size_t target = 60 + rnd(241), n = 0;
    unsigned lang = rnd(4);
    while (n < target) {
        const char *s;
        if (rnd(5) == 0)
            s = PICK(k_obf);
        else if (lang == 0)
            s = PICK(k_en);
        else if (lang == 1)
            s = PICK(k_ru);
        else if (lang == 2)
            s = PICK(k_uk);
        else
            s = PICK(k_pl);
        size_t l = strlen(s);
        if (n + l + 2 >= cap)
            break;
        memcpy(buf + n, s, l);
        n += l;
        buf[n++] = rnd(3) ? ' ' : '.';
    }
    return n;
}

/* CPU time of this process: the figure stays meaningful on a shared,
 * loaded machine where wall time would count other processes' turns. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    size_t n_posts = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 200000;
    int rounds = argc > 2 ? atoi(argv[2]) : 3;
    char *blob = malloc(n_posts * 320);
    size_t *off = malloc((n_posts + 1) * sizeof *off);
    if (!blob || !off)
        return 1;
    size_t total = 0;
    for (size_t i = 0; i < n_posts; i++) {
        off[i] = total;
        total += make_post(blob + total, 320);
    }
    off[n_posts] = total;

    arb_error err;
    arb__normalizer *nz;
    arb__langid *lid;
    arb__langid_scratch *ls;
    if (arb__normalizer_new(&arb__default_allocator, &nz, &err) != ARB_OK ||
        arb__langid_new(&arb__default_allocator, &lid, &err) != ARB_OK ||
        arb__langid_scratch_new(lid, &ls) != ARB_OK) {
        fprintf(stderr, "init failed\n");
        return 1;
    }
    arb__arena *ar = arb__arena_new(&arb__default_allocator, 8u << 20);
    printf("posts %zu, %.1f bytes/post on average\n", n_posts, (double)total / (double)n_posts);
    for (int mode = 0; mode < 2; mode++) {
        double best = 1e30;
        size_t flagged = 0;
        for (int r = 0; r < rounds; r++) {
            flagged = 0;
            double t0 = now();
            for (size_t i = 0; i < n_posts; i++) {
                arb__arena_reset(ar);
                arb_normalized o;
                const char *p = blob + off[i];
                size_t l = off[i + 1] - off[i];
                if (arb__normalize(nz, ar, p, l, &o) != ARB_OK)
                    return 2;
                flagged += o.obfuscation != 0;
                if (mode == 1) {
                    arb_lang *langs;
                    size_t nl;
                    if (arb__langid_detect(lid, ls, ar, p, l, &o, NULL, &langs, &nl) != ARB_OK)
                        return 3;
                }
            }
            double dt = now() - t0;
            if (dt < best)
                best = dt;
        }
        printf("%-22s %10.0f posts/s  %7.0f ns/post  %6.1f MB/s  (%zu flagged)\n",
               mode ? "normalize + langid" : "normalize", (double)n_posts / best,
               best * 1e9 / (double)n_posts, (double)total / best / 1e6, flagged);
    }
    arb__arena_free(ar);
    arb__langid_scratch_free(ls);
    arb__langid_free(lid);
    arb__normalizer_free(nz);
    free(blob);
    free(off);
    return 0;
}
