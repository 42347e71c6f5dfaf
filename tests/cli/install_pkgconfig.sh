#!/usr/bin/env bash
# `cmake --install` puts the library, header, pkg-config file and CLI in a
# prefix; a program built only with `pkg-config --cflags --libs libarbiter`
# links against it and decides a post.
set -eu
B=$(dirname "${ARBITER:?}")
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
cmake --install "$B" --prefix "$T/prefix" > "$T/install.log"
libdir=$(ls -d "$T"/prefix/lib*/ | head -1)
test -f "$T/prefix/include/arbiter.h"
test -x "$T/prefix/bin/arbiter"
cat > "$T/demo.c" <<'C'
#include <arbiter.h>
#include <stdio.h>
#include <string.h>
int main(void) {
    arb_engine *e; arb_error err; arb_scratch *s; const arb_decision *d;
    if (arb_engine_new(NULL, &e, &err) != ARB_OK) { fprintf(stderr, "%s\n", err.message); return 1; }
    if (arb_scratch_new(e, &s) != ARB_OK) return 1;
    arb_post p; memset(&p, 0, sizeof p);
    p.text = "hello world"; p.text_len = 11; memcpy(p.author_country, "PL", 3);
    if (arb_decide(e, s, &p, &d) != ARB_OK) return 1;
    printf("%s %s\n", arb_action_name(arb_decision_action(d)), arb_engine_policy_hash(e));
    arb_scratch_free(s); arb_engine_free(e); return 0;
}
C
flags=$(PKG_CONFIG_PATH="$libdir/pkgconfig" pkg-config --cflags --libs libarbiter)
# a sanitizer build of the library needs its runtime in the program too
san=""
if ldd "$libdir/libarbiter.so" 2>/dev/null | grep -q libasan; then san="-fsanitize=address,undefined"; fi
cc $san -o "$T/demo" "$T/demo.c" $flags
out=$(LD_LIBRARY_PATH="$libdir" "$T/demo")
echo "$out"
case "$out" in allow\ *) echo "1 passed, 0 failed" ;; *) echo "0 passed, 1 failed"; exit 1 ;; esac
