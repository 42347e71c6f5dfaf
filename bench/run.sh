#!/usr/bin/env bash
# bench/run.sh -- throughput, peak memory and start-up benchmark of
# `arbiter scan`, with ripgrep over the same file as the near-memory-speed
# baseline (see bench/README.md and docs/PERFORMANCE.md).
#
# usage: bench/run.sh [--count N] [--seed S] [--build DIR] [--runs R]
#                     [--startup-runs K] [--jobs "1 2"]
#
# It builds nothing: it expects a Release build of the CLI at DIR/arbiter
# (default /work/main/build-bench, or $ARB_BENCH_BUILD).  It generates the
# corpus bench/out/corpus-N-S.jsonl with bench/gen_corpus.py if missing,
# then measures, best of R runs each (default 3), with the page cache warm:
#   cat FILE >/dev/null, wc -l FILE, rg over FILE with the lexicon patterns,
#   arbiter scan -j J FILE >/dev/null for each J, and start-up on empty input.
# Invariants: never writes outside bench/out/; every figure printed is a
# measured one (a step that fails prints FAILED, never a made-up number);
# results also go to bench/out/results-<UTC time>.txt.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
count=1000000
seed=20220310
build=${ARB_BENCH_BUILD:-/work/main/build-bench}
runs=3
startup_runs=20
jobs_list="1 2"

usage() { sed -n '6,7p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --count) count=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --startup-runs) startup_runs=$2; shift 2 ;;
    --jobs) jobs_list=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench/run.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

arb=$build/arbiter
if [ ! -x "$arb" ]; then
  echo "bench/run.sh: no CLI at $arb; build it first:" >&2
  echo "  cmake -S $root -B $build -DCMAKE_BUILD_TYPE=Release && make -C $build -j2 arbiter-cli" >&2
  exit 2
fi
btype=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt" 2>/dev/null || true)
[ "$btype" = "Release" ] || echo "bench/run.sh: warning: $build is a '${btype:-unknown}' build, not Release" >&2
for tool in python3 rg; do
  command -v "$tool" >/dev/null || { echo "bench/run.sh: $tool not found (scripts/bootstrap installs it)" >&2; exit 2; }
done

out=$here/out
mkdir -p "$out"
corpus=$out/corpus-$count-$seed.jsonl
if [ ! -s "$corpus" ]; then
  echo "== generating $corpus" >&2
  python3 "$here/gen_corpus.py" --count "$count" --seed "$seed" -o "$corpus"
fi
bytes=$(stat -c %s "$corpus")
lines=$(wc -l < "$corpus")
# the timing helper (bench/measure.c): compiled here, into bench/out/, since
# a forking script would inflate every max-RSS figure by its own size
measure_bin=$out/measure
if [ ! -x "$measure_bin" ] || [ "$here/measure.c" -nt "$measure_bin" ]; then
  ${CC:-cc} -O2 -std=c11 -Wall -Wextra -Werror -o "$measure_bin" "$here/measure.c"
fi
measure() { "$measure_bin" "$@"; }
# field NAME LINE: the value of NAME=... in a measure result line
field() { printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"; }

# ---- lexicon patterns for rg: from the engine if it can tell, else the fixed list
patterns=$out/patterns.txt
pat_src="arbiter lexicon patterns"
use_fallback=1
if "$arb" lexicon patterns > "$patterns" 2>/dev/null && [ -s "$patterns" ]; then
  rgrc=0; rg -q -i -f "$patterns" /dev/null 2>/dev/null || rgrc=$?
  [ "$rgrc" -le 1 ] && use_fallback=0      # 1 = no match: the patterns compiled
fi
if [ "$use_fallback" = 1 ]; then
  cp "$here/patterns.txt" "$patterns"
  pat_src="FALLBACK bench/patterns.txt ('arbiter lexicon patterns' unavailable or not rg syntax)"
fi
npat=$(grep -c . "$patterns" || true)

# ---- correctness smoke check: one output line per input line
smoke_n=$(( lines < 10000 ? lines : 10000 ))
smoke_in=$out/smoke-input.jsonl
smoke_out=$out/smoke-output.jsonl
head -n "$smoke_n" "$corpus" > "$smoke_in"
smoke_t=$(measure -n 1 -i "$smoke_in" -o "$smoke_out" -- "$arb" scan --quiet --no-progress 2>/dev/null || true)
awk -v t="$(field best "$smoke_t")" -v n="$smoke_n" -v N="$lines" -v r="$runs" 'BEGIN{ if (t > 0 && n > 0)
  printf "== smoke run: %d posts in %.2f s; expect about %.0f s per scan -j 1 run, %d runs\n", n, t, t*N/n, r}' >&2
smoke=$(wc -l < "$smoke_out")
smoke_err=$(grep -c '"error":' "$smoke_out" || true)
smoke_act=$(grep -o '"action":"[a-z]*"' "$smoke_out" | sed 's/"action":"//; s/"$//' | sort | uniq -c \
            | awk '{printf "%s%s=%s", sep, $2, $1; sep=" "}' || true)

commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)   # at the start: others may commit meanwhile
built=$(date -u -d "@$(stat -L -c %Y "$arb" "$build"/libarbiter.so* 2>/dev/null | sort -n | tail -n 1)" +%Y-%m-%dT%H:%M:%SZ)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== warming the page cache" >&2
cat "$corpus" > /dev/null

declare -A R
run_case() {  # run_case KEY RUNS STDIN -- CMD...
  local key=$1 n=$2 in=$3; shift 4
  echo "== $key: $*" >&2
  R[$key]=$(measure -n "$n" -i "$in" -- "$@") || R[$key]="best=0 rc=FAILED"
  echo "   ${R[$key]}" >&2
}
run_case cat "$runs" /dev/null -- cat "$corpus"
run_case wc "$runs" /dev/null -- wc -l "$corpus"
run_case rg "$runs" /dev/null -- rg -c -i -f "$patterns" "$corpus"
for j in $jobs_list; do
  run_case "scan$j" "$runs" /dev/null -- "$arb" scan --quiet --no-progress -j "$j" "$corpus"
done
run_case startup "$startup_runs" /dev/null -- "$arb" scan --quiet --no-progress

hf=""
if command -v hyperfine >/dev/null; then
  hf=$(hyperfine -N -w 3 -r "$startup_runs" --export-json "$out/startup.json" \
       "$arb scan --quiet --no-progress /dev/null" 2>/dev/null | sed -n 's/^ *Time (mean ± σ): *//p' || true)
fi
tv=""
if [ -x /usr/bin/time ]; then
  last_j=${jobs_list##* }
  tv=$(/usr/bin/time -v "$arb" scan --quiet --no-progress -j "$last_j" "$corpus" 2>&1 >/dev/null \
       | sed -n 's/^.*Maximum resident set size (kbytes): //p' || true)
fi
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- report
dirty=$(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo " (+ uncommitted changes in tree)" || true)
cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
mb=$(awk -v b="$bytes" 'BEGIN{printf "%.1f", b/1e6}')
stamp=$(date -u +%Y-%m-%dT%H:%M:%SZ)
report=$out/results-$(date -u +%Y%m%dT%H%M%SZ).txt

row() {  # row LABEL KEY THREADS
  local r=${R[$2]} best cpu_s rss rc
  best=$(field best "$r"); cpu_s=$(field cpu "$r"); rss=$(field rss_kb "$r"); rc=$(field rc "$r")
  if [ "$rc" = FAILED ] || [ -z "$best" ] || [ "$best" = 0 ]; then
    printf '%-22s %10s\n' "$1" "FAILED"; return
  fi
  awk -v l="$1" -v t="$best" -v c="$cpu_s" -v k="$rss" -v n="$lines" -v b="$bytes" -v j="$3" -v rc="$rc" 'BEGIN{
    pc = (j > 0) ? sprintf("%12.0f", n/t/j) : sprintf("%12s", "-");
    printf "%-22s %9.3f %9.3f %12.0f %s %12.0f %9.1f %8.1f%s\n", l, t, c, n/t, pc, (c>0? n/c : 0), b/t/1e6, k/1024, (rc!=0? "  rc=" rc : "")}'
}

{
echo "arbiter scan benchmark -- $stamp"
echo "machine : $(nproc) CPUs, ${cpu:-unknown CPU}, $(uname -sr); load avg before ${load_before}, after ${load_after}"
echo "commit  : $commit$dirty at start; build $build (${btype:-unknown}), newest of arbiter/libarbiter built $built"
echo "corpus  : $corpus: $lines posts, $mb MB (seed $seed)"
echo "patterns: $npat from $pat_src"
echo "smoke   : first $smoke_n posts -> $smoke output lines, $smoke_err error records; ${smoke_act:-no actions parsed}"
echo
printf '%-22s %9s %9s %12s %12s %12s %9s %8s\n' "case (best of $runs)" "wall s" "cpu s" "posts/s" "posts/s/core" "posts/cpu-s" "MB/s" "maxRSS MB"
row "cat > /dev/null" cat 0
row "wc -l" wc 0
row "rg -c -f patterns" rg 1
for j in $jobs_list; do row "arbiter scan -j $j" "scan$j" "$j"; done
echo
su=${R[startup]}
awk -v b="$(field best "$su")" -v m="$(field median "$su")" -v k="$(field rss_kb "$su")" -v n="$startup_runs" \
  'BEGIN{printf "start-up (scan, empty input, %d runs): best %.1f ms, median %.1f ms, maxRSS %.1f MB\n", n, b*1000, m*1000, k/1024}'
[ -n "$hf" ] && echo "start-up (hyperfine): $hf"
[ -n "$tv" ] && echo "peak memory cross-check (/usr/bin/time -v, scan -j ${jobs_list##* }): $(awk -v k="$tv" 'BEGIN{printf "%.1f MB", k/1024}')"
s1=$(field best "${R[scan1]:-}"); rgt=$(field best "${R[rg]}")
if [ -n "$s1" ] && [ "$s1" != 0 ] && [ -n "$rgt" ] && [ "$rgt" != 0 ]; then
  awk -v s="$s1" -v r="$rgt" -v b="$bytes" 'BEGIN{printf "ratio scan -j 1 / rg (wall time): %.1fx  (rg %.0f MB/s, scan -j 1 %.1f MB/s)\n", s/r, b/r/1e6, b/s/1e6}'
fi
su_b=$(field best "${R[startup]}"); su_c=$(field cpu "${R[startup]}")
for j in $jobs_list; do
  sj=${R[scan$j]:-}; [ -n "$sj" ] || continue
  awk -v j="$j" -v t="$(field best "$sj")" -v c="$(field cpu "$sj")" -v st="$su_b" -v sc="$su_c" -v n="$lines" 'BEGIN{
    if (t > st && c > sc) printf "scan -j %d without start-up (wall - %.2f s, cpu - %.2f s): %.0f posts/s, %.0f posts/s/core, %.0f posts/cpu-s\n", j, st, sc, n/(t-st), n/(t-st)/j, n/(c-sc)}'
done
echo
# verdict against the issue-2 targets
per_core=""; [ -n "$s1" ] && [ "$s1" != 0 ] && per_core=$(awk -v n="$lines" -v t="$s1" 'BEGIN{printf "%.0f", n/t}')
peak=0
for j in $jobs_list; do k=$(field rss_kb "${R[scan$j]}"); [ -n "$k" ] && [ "$k" -gt "$peak" ] && peak=$k; done
if [ -n "$per_core" ]; then
  awk -v p="$per_core" 'BEGIN{printf "target >= 100000 posts/s per core (scan -j 1): %s posts/s -> %s\n", p, (p>=100000?"MET":"NOT MET")}'
fi
awk -v k="$peak" 'BEGIN{printf "target < 200 MB peak RSS (all scan runs): %.1f MB -> %s\n", k/1024, (k>0 && k<200*1024?"MET":"NOT MET")}'
echo "note: the machine may be shared; 'posts/cpu-s' (posts per CPU-second of the process) is less sensitive to other load than wall-clock figures."
} | tee "$report"
echo "(saved to $report)" >&2
