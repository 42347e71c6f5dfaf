#!/bin/bash
# stream_reload.sh -- `arbiter stream --nats` on a one-node JetStream server:
# policy reload without stopping, and graceful SIGTERM.
#
#   - a policy update naming a broken pack is refused: the worker keeps
#     running on the old policy and says so (log + heartbeat hash unchanged);
#   - an update naming a good pack (and SIGHUP) swaps it between batches:
#     the next heartbeat and every later decision carry the new hash;
#   - SIGTERM in the middle of a backlog exits 0, a restarted worker on the
#     same durable finishes it, and every post then has exactly one output.
set -euo pipefail
A=${ARBITER:?ARBITER must name the arbiter binary}
SRC=${ARB_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
if ! command -v nats-server >/dev/null; then
    echo "SKIP: nats-server is not installed"
    exit 0
fi
T=$(mktemp -d /tmp/arb-stream-reload.XXXXXX)
declare -a PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; for f in "$T"/*.log; do echo "== $f"; tail -5 "$f"; done; exit 1; }
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
nats-server -js -a 127.0.0.1 -p "$PORT" -sd "$T/js" > "$T/server.log" 2>&1 &
PIDS+=($!)
U="nats://127.0.0.1:$PORT"
"$A" stream tool setup --nats "$U" --stream POSTS --subjects posts.in || fail "stream POSTS"
"$A" stream tool setup --nats "$U" --stream DEC --subjects dec.out,dec.status || fail "stream DEC"

# two packs that differ only by a comment (so by hash), and a broken one
mkdir -p "$T/p1" "$T/p2"
cp -r "$SRC"/policies/default/. "$T/p1/"
cp -r "$SRC"/policies/default/. "$T/p2/"
f=$(ls "$T"/p2/*.yaml | head -n 1)
echo "# rolled out by stream_reload.sh" >> "$f"
printf 'id: broken\nrules: [ {{{ \n' > "$T/broken.yaml"
h1=$(printf '{"id":"h","text":"hi","author_country":"US","created_at":"2023-01-01T00:00:00Z"}\n' \
    | "$A" scan --policy "$T/p1" --quiet | python3 -c 'import sys, json; print(json.load(sys.stdin)["policy"]["hash"])')
[ ${#h1} = 64 ] || fail "no policy hash from scan"

"$A" stream --nats "$U" --in posts.in --out dec.out --durable rl --policy "$T/p1" \
    --policy-subject arbiter.policy --status-subject dec.status --status-interval 1 \
    --worker-id rw 2> "$T/worker.log" &
W=$!
PIDS+=($W)
post() { printf '{"id":"%s","text":"I will kill you","author_country":"US","created_at":"2023-06-01T12:00:00Z"}\n' "$1" \
    | "$A" stream tool publish --nats "$U" --subject posts.in > /dev/null; }
wait_out() { "$A" stream tool count --nats "$U" --stream DEC --subject dec.out --wait "$1" --timeout 30 > /dev/null; }
hash_of() { "$A" stream tool collect --nats "$U" --stream DEC --subject dec.out \
    | python3 -c "import sys, json
for l in sys.stdin:
    s, mid, p = l.rstrip('\n').split('\t', 2)
    if mid == '$1': print(json.loads(p)['policy']['hash'])"; }
post a1
wait_out 1
[ "$(hash_of a1)" = "$h1" ] || fail "first decision is not under p1"

echo "$T/broken.yaml" | "$A" stream tool publish --nats "$U" --subject arbiter.policy --core > /dev/null
for _ in $(seq 50); do grep -q reload_refused "$T/worker.log" && break; sleep 0.2; done
grep -q '"event":"reload_refused"' "$T/worker.log" || fail "broken policy not refused"
kill -0 "$W" || fail "worker died on a broken policy"
post a2
wait_out 2
[ "$(hash_of a2)" = "$h1" ] || fail "decision after a refused reload is not under p1"

echo "$T/p2" | "$A" stream tool publish --nats "$U" --subject arbiter.policy --core > /dev/null
for _ in $(seq 50); do grep -q '"event":"reload"' "$T/worker.log" && break; sleep 0.2; done
grep -q '"event":"reload"' "$T/worker.log" || fail "good policy not loaded"
post a3
wait_out 3
h2=$(hash_of a3)
[ ${#h2} = 64 ] && [ "$h2" != "$h1" ] || fail "decision after reload has hash $h2 (p1: $h1)"
sleep 1.5
"$A" stream tool collect --nats "$U" --stream DEC --subject dec.status | tail -n 1 | grep -q "\"hash\":\"$h2\"" \
    || fail "heartbeat does not report the new hash"
kill -HUP "$W" # re-reads the current pack (p2): same hash, one more reload
for _ in $(seq 50); do [ "$(grep -c '"event":"reload"' "$T/worker.log")" -ge 2 ] && break; sleep 0.2; done
[ "$(grep -c '"event":"reload"' "$T/worker.log")" -ge 2 ] || fail "SIGHUP did not reload"

# ---- graceful SIGTERM in the middle of a backlog ----
N=${STREAM_RELOAD_POSTS:-20000}
python3 "$SRC/tests/stream/gen_posts.py" "$N" --seed 7 > "$T/posts.jsonl"
"$A" stream tool publish --nats "$U" --subject posts.in "$T/posts.jsonl" > /dev/null || fail "publish"
for _ in $(seq 100); do
    c=$("$A" stream tool count --nats "$U" --stream DEC --subject dec.out)
    [ "$c" -ge $((3 + N / 10)) ] && break
    sleep 0.1
done
kill -TERM "$W"
rc=0
wait "$W" || rc=$?
[ "$rc" = 0 ] || fail "worker exited $rc on SIGTERM"
grep -q '"event":"stop"' "$T/worker.log" || fail "no stop event"
before=$("$A" stream tool count --nats "$U" --stream DEC --subject dec.out)
[ "$before" -lt $((N + 3)) ] || echo "note: the backlog was done before SIGTERM arrived"
"$A" stream --nats "$U" --in posts.in --out dec.out --durable rl --policy "$T/p2" \
    --worker-id rw2 2> "$T/worker2.log" &
W2=$!
PIDS+=($W2)
"$A" stream tool count --nats "$U" --stream DEC --subject dec.out --wait $((N + 3)) --timeout 120 > /dev/null
sleep 1
kill -TERM "$W2"
wait "$W2" || fail "second worker exit status"
"$A" stream tool collect --nats "$U" --stream DEC --subject dec.out | python3 -c "
import sys
ids = [l.split('\t', 2)[1] for l in sys.stdin]
n = $N + 3
assert len(ids) == n, f'{len(ids)} outputs for {n} posts'
assert len(set(ids)) == n, 'duplicate message ids'
" || fail "outputs after SIGTERM + restart"
echo "PASS stream_reload"
