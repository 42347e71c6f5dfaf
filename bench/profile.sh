#!/usr/bin/env bash
# bench/profile.sh -- where `arbiter scan` spends its time: a flat CPU
# profile (perf record/report, or valgrind --tool=callgrind when perf is not
# usable) of one single-threaded scan of a small corpus.
#
# usage: bench/profile.sh [--count N] [--seed S] [--build DIR] [--top K]
#
# Defaults: 10000 posts, the release build in /work/main/build-bench (or
# $ARB_BENCH_BUILD), top 25 functions.  Builds nothing; generates the corpus
# with bench/gen_corpus.py if missing; writes only under bench/out/.
# Prints the share of samples per shared object (library), per function
# (self time), and per named function including its callees (start-up, i.e.
# engine compilation, shows as arb_engine_new; per-post work as
# cli_decide_line / arb_decide and what they call).
set -eu   # no pipefail: the reports are cut with head

here=$(cd "$(dirname "$0")" && pwd)
count=10000
seed=20220310
build=${ARB_BENCH_BUILD:-/work/main/build-bench}
top=25
while [ $# -gt 0 ]; do
  case "$1" in
    --count) count=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --top) top=$2; shift 2 ;;
    -h|--help) sed -n '6p' "$0" | sed 's/^# //'; exit 0 ;;
    *) echo "bench/profile.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
arb=$build/arbiter
[ -x "$arb" ] || { echo "bench/profile.sh: no CLI at $arb (build it first)" >&2; exit 2; }
out=$here/out
mkdir -p "$out"
corpus=$out/corpus-$count-$seed.jsonl
[ -s "$corpus" ] || python3 "$here/gen_corpus.py" --count "$count" --seed "$seed" -o "$corpus"

if command -v perf >/dev/null && perf record -q -o "$out/perf-probe.data" true >/dev/null 2>&1; then
  data=$out/perf.data
  rm -f "$out"/perf*.data.old
  perf record -q -F 4000 -o "$data" -- "$arb" scan --quiet --no-progress -j 1 "$corpus" > /dev/null
  echo "== perf: share of CPU samples by shared object ($count posts, scan -j 1)"
  perf report -i "$data" --no-children --sort dso --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -n 12
  echo
  echo "== perf: top $top functions (self time)"
  perf report -i "$data" --no-children --sort dso,symbol --stdio 2>/dev/null \
    | grep -E "^ +[0-9]" | sed "s/ *-  *- *$//" | head -n "$top"
  echo
  # inclusive time per function (DWARF unwinding: release builds keep no
  # frame pointers); named functions only, kernel and unresolved addresses
  # of stripped libraries left out.  Shows start-up vs per-post stages.
  data=$out/perf-dwarf.data
  perf record -q -F 1000 --call-graph dwarf,16384 -o "$data" -- \
    "$arb" scan --quiet --no-progress -j 1 "$corpus" > /dev/null
  echo "== perf: call tree under cmd_scan, inclusive share of all samples (>= 1 %, depth <= 5)"
  echo "   (start-up = cli_engine_load; per-post work = the worker loop and what it calls)"
  perf report -i "$data" --no-children --stdio --sort symbol -g folded,0,caller,count 2>/dev/null \
    | awk -v min=1 -v maxd=5 '
      /^[0-9]+ / {
        n = $1; sub(/^[0-9]+ /, ""); total += n
        k = split($0, f, ";"); s = 0
        for (i = 1; i <= k; i++) if (f[i] == "cmd_scan") { s = i; break }
        if (!s) { agg["(outside cmd_scan)"] += n; next }
        path = ""
        for (d = 1; d <= maxd && s + d <= k; d++) {
          fr = f[s + d]
          if (fr ~ /^0x/ || fr ~ /inlined/ || fr ~ /^__GI_/) break
          path = path (d > 1 ? " > " : "") fr
          agg[path] += n
        }
        if (path == "") agg["(cmd_scan itself)"] += n
      }
      END { for (p in agg) if (agg[p] * 100 >= min * total) printf "%s\t%.1f\n", p, 100 * agg[p] / total }' \
    | LC_ALL=C sort -t "$(printf '\t')" -k1,1 \
    | awk -F '\t' '{ n = split($1, a, / > /); printf "%6.1f%%  %*s%s\n", $2, 2 * (n - 1), "", a[n] }'
  echo
  echo "== perf: top $top named functions by inclusive time (self + callees)"
  perf report -i "$data" --children --sort symbol --stdio -g none 2>/dev/null \
    | grep -E '^ +[0-9]' | grep -v '\[k\]' | grep -vE '\] 0x[0-9a-f]+ ' \
    | grep -vE '_start|libc_start|__GI_|\(inlined\)' \
    | sed 's/ *- *- *$//' | head -n "$top"
  rm -f "$out/perf-probe.data" "$out"/perf*.data.old
elif command -v valgrind >/dev/null; then
  cg=$out/callgrind.out
  head -n 2000 "$corpus" > "$out/profile-input.jsonl"
  valgrind --tool=callgrind --callgrind-out-file="$cg" \
    "$arb" scan --quiet --no-progress -j 1 "$out/profile-input.jsonl" > /dev/null 2> "$out/callgrind.log"
  echo "== callgrind: top $top functions by instructions (self), 2000 posts, scan -j 1"
  callgrind_annotate --inclusive=no "$cg" 2>/dev/null \
    | grep -E '^ *[0-9,]+ +\( *[0-9.]+%\)' | grep -v 'PROGRAM TOTALS' | head -n "$top"
else
  echo "bench/profile.sh: neither a usable perf (Debian linux-perf) nor valgrind found" >&2
  exit 2
fi
