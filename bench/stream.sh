#!/bin/bash
# bench/stream.sh -- throughput of `arbiter stream --nats` with 1, 2 and 4
# workers on this machine, beside `arbiter scan` on the same posts.
#
# Usage: bench/stream.sh [ARBITER] (default build/arbiter); env:
#   BENCH_POSTS     posts (default 100000, tests/stream/gen_posts.py)
#   BENCH_WORKERS   worker counts (default "1 2 4")
#   BENCH_STORAGE   file | memory (default file) for the JetStream streams
#   BENCH_BATCH     --batch for the workers (default 256)
#
# Method: one nats-server with JetStream on a free loopback port, streams
# POSTS (input) and DEC (output, 2 min duplicate window), both replicas 1.
# For each worker count: a fresh DEC stream and durable, the posts published
# first, then N workers started; the clock runs from the first output
# message to the last (so the per-worker policy compile at start-up is not
# counted -- it is reported apart), polling the stream every 0.1 s.  Peak
# RSS per worker is VmHWM from /proc just before SIGTERM.  The nats-server
# shares the machine's cores with the workers: on a 2-core box the numbers
# are a floor, not what a worker gets on its own cores.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
A=${1:-$ROOT/build/arbiter}
N=${BENCH_POSTS:-100000}
WORKERS=${BENCH_WORKERS:-1 2 4}
STORAGE=${BENCH_STORAGE:-file}
BATCH=${BENCH_BATCH:-256}
T=$(mktemp -d /tmp/arb-bench-stream.XXXXXX)
declare -a PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    if [ "${KEEP:-0}" = 1 ]; then echo "kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
nats-server -js -a 127.0.0.1 -p "$PORT" -sd "$T/js" > "$T/server.log" 2>&1 &
SERVER=$!
PIDS+=($SERVER)
U="nats://127.0.0.1:$PORT"
mem=""
[ "$STORAGE" = memory ] && mem=--memory
python3 "$ROOT/tests/stream/gen_posts.py" "$N" > "$T/posts.jsonl"
echo "# $(nproc) cores; $N posts ($(du -m "$T/posts.jsonl" | cut -f1) MB); JetStream $STORAGE storage, replicas 1; --batch $BATCH"
echo "# $("$A" version)"

# scan baseline (its own posts/s excludes the policy compile)
for j in 1 2; do
    python3 - "$A" "$j" "$T/posts.jsonl" <<'EOF'
import re, resource, subprocess, sys
a, j, posts = sys.argv[1:4]
r = subprocess.run([a, "scan", "-j", j, "--no-progress", posts], stdout=subprocess.DEVNULL,
                   stderr=subprocess.PIPE, text=True)
m = re.search(r"records in ([0-9.]+) s \(([0-9]+) posts/s\)", r.stderr)
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"scan -j {j}: {m.group(2) if m else '?'} posts/s, peak RSS {ru.ru_maxrss // 1024} MB")
EOF
done

"$A" stream tool setup --nats "$U" --stream POSTS --subjects posts.in $mem > /dev/null
t0=$(date +%s.%N)
"$A" stream tool publish --nats "$U" --subject posts.in "$T/posts.jsonl" > /dev/null
t1=$(date +%s.%N)
echo "publish: $N posts in $(printf %.2f "$(echo "$t1 - $t0" | bc)") s"

count() { "$A" stream tool count --nats "$U" --stream DEC; }
run=0
cpu() { # utime+stime of the pids, in seconds
    local t=0 p
    for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done
    echo "$t / $(getconf CLK_TCK)" | bc -l
}
for w in $WORKERS; do
    run=$((run + 1))
    "$A" stream tool delete --nats "$U" --stream DEC
    "$A" stream tool setup --nats "$U" --stream DEC --subjects dec.out $mem > /dev/null
    declare -a W=()
    ts=$(date +%s.%N)
    for i in $(seq "$w"); do
        "$A" stream --nats "$U" --in posts.in --out dec.out --durable "bench$run" --batch "$BATCH" \
            --status-interval 3600 2> "$T/w$w.$i.log" &
        W+=($!)
        PIDS+=($!)
    done
    while [ "$(count)" = 0 ]; do sleep 0.1; done
    first=$(date +%s.%N)
    s0=$(cpu "$SERVER")
    w0=$(cpu "${W[@]}")
    while [ "$(count)" -lt "$N" ]; do sleep 0.1; done
    last=$(date +%s.%N)
    s1=$(cpu "$SERVER")
    w1=$(cpu "${W[@]}")
    rss=0
    for p in "${W[@]}"; do
        r=$(awk '/VmHWM/ {print $2}' "/proc/$p/status")
        [ "$r" -gt "$rss" ] && rss=$r
    done
    kill -TERM "${W[@]}"
    wait "${W[@]}" 2>/dev/null || true
    dt=$(echo "$last - $first" | bc)
    printf "stream --nats, %d worker(s): %.0f posts/s (%.2f s first->last output; start-up %.1f s); worker CPU %.1f s (%.0f posts/cpu-s), nats-server CPU %.1f s; peak RSS/worker %d MB\n" \
        "$w" "$(echo "$N / $dt" | bc -l)" "$dt" "$(echo "$first - $ts" | bc)" \
        "$(echo "$w1 - $w0" | bc -l)" "$(echo "$N / ($w1 - $w0)" | bc -l)" "$(echo "$s1 - $s0" | bc -l)" $((rss / 1024))
done
