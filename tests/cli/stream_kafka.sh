#!/bin/bash
# stream_kafka.sh -- `arbiter stream --kafka` against librdkafka's mock
# cluster (three in-process brokers on loopback, started by the hidden
# `arbiter stream tool kafka-mock`).
#
# STREAM_KAFKA_POSTS posts (default 20000) on a 4-partition topic, published
# in three parts: w1 and w2 take the first; w3 joins (rebalance) and w1 gets
# SIGTERM while the second flows (graceful: finishes and commits its batch);
# w2 gets SIGKILL while the third flows (w3 takes over after the session
# timeout).
# Checks what a consumer of the output topics would check:
#   - every post has a decision (decisions topic) or an error record
#     (errors topic) keyed by its post id: nothing lost;
#   - each output equals `arbiter scan`'s line for that post, byte for byte
#     (error records: all but "line", which is the partition offset + 1);
#   - duplicates (Kafka has no dedupe by id) only come from the SIGKILLed
#     worker's uncommitted batch (at most --batch) and from batches whose
#     commit the group refused during a rebalance, which the workers log
#     ("commit_abandoned"); nothing else.
set -euo pipefail
A=${ARBITER:?ARBITER must name the arbiter binary}
SRC=${ARB_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
N=${STREAM_KAFKA_POSTS:-20000}
BATCH=200
T=$(mktemp -d /tmp/arb-stream-kafka.XXXXXX)
declare -a PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    if [ "${KEEP:-0}" = 1 ]; then echo "kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; for f in "$T"/*.log; do echo "== $f"; grep -v '"status"' "$f" | tail -4 || true; done; exit 1; }
deadline=$(( $(date +%s) + ${STREAM_TEST_TIMEOUT:-240} ))

# the mock keeps at most ~5 MB per partition (older messages are dropped):
# enough partitions that the decisions (~1-2 KB each) all stay
"$A" stream tool kafka-mock --brokers 3 --topic posts:4 --topic decisions:16 --topic errors:2 \
    > "$T/mock.out" 2> "$T/mock.log" &
PIDS+=($!)
for _ in $(seq 100); do [ -s "$T/mock.out" ] && break; sleep 0.1; done
B=$(head -n 1 "$T/mock.out")
[ -n "$B" ] || fail "mock cluster did not start"

python3 "$SRC/tests/stream/gen_posts.py" "$N" --seed 11 --max-text 4096 > "$T/posts.jsonl"
rc=0
"$A" scan --max-text 4096 --quiet --no-progress "$T/posts.jsonl" > "$T/scan.out" || rc=$?
[ "$rc" -le 1 ] || fail "arbiter scan exited $rc"
head -n $((N / 3)) "$T/posts.jsonl" > "$T/part1"
sed -n "$((N / 3 + 1)),$((2 * N / 3))p" "$T/posts.jsonl" > "$T/part2"
tail -n +$((2 * N / 3 + 1)) "$T/posts.jsonl" > "$T/part3"
publish() { "$A" stream tool kafka-publish --kafka "$B" --topic posts "$1" > /dev/null || echo "publish $1 failed" >> "$T/publish.err"; }

start_worker() {
    "$A" stream --kafka "$B" --in posts --out decisions --errors errors --group arbiter \
        --worker-id "$1" --batch "$BATCH" --max-text 4096 --status-interval 1 \
        -X session.timeout.ms=6000 -X heartbeat.interval.ms=500 2> "$T/$1.log" &
    PIDS+=($!)
    eval "W_$1=$!"
}
assigned() { grep -c '"event":"assigned"' "$T/$1.log" 2>/dev/null || true; }
wait_assigned() { # worker, count
    for _ in $(seq 300); do [ "$(assigned "$1")" -ge "$2" ] && return 0; sleep 0.1; done
    fail "$1 got no partitions"
}
# the events happen while posts flow: publishing goes on beside them
start_worker w1
start_worker w2
wait_assigned w1 1
wait_assigned w2 1
publish "$T/part1"
a2=$(assigned w2)
start_worker w3 # joins: rebalance
wait_assigned w3 1
wait_assigned w2 $((a2 + 1))
publish "$T/part2" &
P2=$!
sleep 0.3
a2=$(assigned w2)
kill -TERM "$W_w1"
rc=0; wait "$W_w1" || rc=$?
[ "$rc" = 0 ] || fail "w1 exited $rc on SIGTERM"
echo "w3 joined, w1 stopped by SIGTERM"
wait "$P2"
wait_assigned w2 $((a2 + 1)) # the group without w1
publish "$T/part3" &
P3=$!
sleep 0.3
kill -9 "$W_w2"
echo "w2 killed by SIGKILL"
wait "$P3"
[ ! -s "$T/publish.err" ] || fail "$(cat "$T/publish.err")"

# the rest is w3's, once the group notices w2 is gone (session timeout)
outputs() {
    local d e
    d=$("$A" stream tool kafka-collect --kafka "$B" --topic decisions --timeout 20 | wc -l)
    e=$("$A" stream tool kafka-collect --kafka "$B" --topic errors --timeout 20 | wc -l)
    echo $((d + e))
}
prev=-1
while :; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "time limit waiting for w3"
    c=$(outputs)
    [ "$c" -ge "$N" ] && [ "$c" = "$prev" ] && break # all there, and settled
    prev=$c
    sleep 2
done
kill -TERM "$W_w3"
rc=0; wait "$W_w3" || rc=$?
[ "$rc" = 0 ] || fail "w3 exited $rc on SIGTERM"
"$A" stream tool kafka-collect --kafka "$B" --topic decisions --timeout 30 > "$T/dec.tsv" || fail "collect"
"$A" stream tool kafka-collect --kafka "$B" --topic errors --timeout 30 > "$T/err.tsv" || fail "collect"
python3 - "$T" "$N" "$BATCH" <<'EOF' || fail "output check"
import glob, json, sys
t, n, batch = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
# batches whose offsets the group refused to commit during a rebalance (the
# mock cluster refuses commits while rebalancing, even from the revoke
# callback; a real broker takes them there) are logged, and redone
abandoned = 0
for f in glob.glob(f"{t}/w*.log"):
    for l in open(f, encoding="utf-8", errors="replace"):
        if '"event":"commit_abandoned"' in l:
            abandoned += json.loads(l)["messages"]
def rows(name):
    with open(f"{t}/{name}", "rb") as f:
        return [tuple(l.rstrip(b"\n").split(b"\t", 2)[1:]) for l in f]
def strip_line(p):
    d = json.loads(p)
    d.pop("line", None)
    return json.dumps(d, sort_keys=True)
want_dec, want_err = {}, []
with open(f"{t}/scan.out", "rb") as f:
    for l in f:
        l = l.rstrip(b"\n")
        d = json.loads(l)
        if "status" in d:
            want_err.append(strip_line(l))
        else:
            want_dec[d["id"].encode()] = l
dec, err = rows("dec.tsv"), rows("err.tsv")
seen = {}
for key, p in dec:
    assert key in want_dec, f"decision for unknown key {key!r}"
    assert p == want_dec[key], f"decision for {key!r} differs from scan:\n{p[:200]}\n{want_dec[key][:200]}"
    seen[key] = seen.get(key, 0) + 1
missing = [k for k in want_dec if k not in seen]
assert not missing, f"{len(missing)} posts without a decision, e.g. {missing[:3]}"
import collections
got_err = collections.Counter(strip_line(p) for _, p in err)
want_errc = collections.Counter(want_err)
short = want_errc - got_err
assert not short, f"error records missing: {list(short)[:2]}"
extra = got_err - want_errc
assert all(s in want_errc for s in extra), f"unexpected error records: {list(extra)[:2]}"
dups = sum(c - 1 for c in seen.values()) + sum(extra.values())
assert dups <= batch + abandoned, \
    f"{dups} duplicates: more than the killed worker's batch ({batch}) + logged redos ({abandoned})"
print(f"ok: {len(want_dec)} decisions and {len(want_err)} error records, all equal to scan; "
      f"{dups} duplicates (limit: SIGKILLed batch {batch} + logged redos {abandoned})")
EOF
echo "PASS stream_kafka ($N posts)"
