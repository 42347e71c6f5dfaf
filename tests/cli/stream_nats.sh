#!/bin/bash
# stream_nats.sh -- `arbiter stream --nats` against a real three-node NATS
# JetStream cluster on loopback, started here.
#
# Publishes STREAM_TEST_POSTS posts (default 100000; mixed EN/RU/UK/PL with
# ~1% malformed lines) to a replicas-3 input stream, runs 3 workers on one
# shared durable consumer, SIGKILLs one worker and one nats-server node
# mid-run, and checks what a user of the output stream would check:
#   - every post has exactly one output message (decisions on dec.out,
#     error records on dec.err), no message id twice in the stream;
#   - the outputs are byte-identical to `arbiter scan` on the same file with
#     the same binary and policy (error records' "line" is the input stream
#     sequence, which equals the line number: the stream is fresh and the
#     file is published in order);
#   - the surviving workers exit 0 on SIGTERM, and the status subject carries
#     heartbeats naming the policy hash.
# Everything started here is killed by the EXIT trap; time is bounded.
set -euo pipefail
A=${ARBITER:?ARBITER must name the arbiter binary}
SRC=${ARB_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
N=${STREAM_TEST_POSTS:-100000}
if ! command -v nats-server >/dev/null; then
    echo "SKIP: nats-server is not installed (apt-get install nats-server)"
    exit 0
fi
T=$(mktemp -d /tmp/arb-stream-nats.XXXXXX)
declare -a PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    if [ "${KEEP:-0}" = 1 ]; then echo "kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; for f in "$T"/w*.log; do echo "== $f"; tail -5 "$f"; done; exit 1; }
deadline=$(( $(date +%s) + ${STREAM_TEST_TIMEOUT:-300} ))
check_time() { [ "$(date +%s)" -lt "$deadline" ] || fail "time limit while $1"; }

# ---- a three-node cluster on free loopback ports ----
read -r -a P < <(python3 -c '
import socket
ss=[socket.socket() for _ in range(6)]
for s in ss: s.bind(("127.0.0.1",0))
print(" ".join(str(s.getsockname()[1]) for s in ss))
for s in ss: s.close()')
ROUTES="nats-route://127.0.0.1:${P[3]},nats-route://127.0.0.1:${P[4]},nats-route://127.0.0.1:${P[5]}"
declare -a NODE=()
for i in 0 1 2; do
    mkdir -p "$T/n$i"
    cat > "$T/n$i.conf" <<EOF
server_name: n$i
listen: 127.0.0.1:${P[$i]}
jetstream { store_dir: "$T/n$i", max_memory_store: 256MB, max_file_store: 4GB }
cluster {
  name: arbtest
  listen: 127.0.0.1:${P[$((i+3))]}
  routes: [ ${ROUTES} ]
}
EOF
    nats-server -c "$T/n$i.conf" > "$T/n$i.log" 2>&1 &
    NODE[$i]=$!
    PIDS+=($!)
done
URLS="nats://127.0.0.1:${P[0]},nats://127.0.0.1:${P[1]},nats://127.0.0.1:${P[2]}"

"$A" stream tool setup --nats "$URLS" --stream POSTS --subjects posts.in --replicas 3 \
    || fail "creating the input stream"
"$A" stream tool setup --nats "$URLS" --stream DEC --subjects dec.out,dec.err,dec.status \
    --replicas 3 --dupe-window 600 || fail "creating the output stream"

# ---- posts, published in order, and what `arbiter scan` says about them ----
python3 "$SRC/tests/stream/gen_posts.py" "$N" --max-text 4096 > "$T/posts.jsonl"
rc=0
"$A" scan --max-text 4096 --quiet --no-progress "$T/posts.jsonl" > "$T/scan.out" || rc=$?
[ "$rc" -le 1 ] || fail "arbiter scan exited $rc"
t0=$(date +%s)
got=$("$A" stream tool publish --nats "$URLS" --subject posts.in "$T/posts.jsonl") \
    || fail "publishing"
[ "$got" = "$N" ] || fail "published $got of $N"
echo "published $N posts in $(( $(date +%s) - t0 )) s"

# ---- three workers on one durable consumer ----
declare -a W=()
for i in 0 1 2; do
    "$A" stream --nats "$URLS" --in posts.in --out dec.out --errors dec.err \
        --status-subject dec.status --status-interval 2 --worker-id "w$i" \
        --durable workers --ack-wait 5 --batch 200 --max-text 4096 \
        2> "$T/w$i.log" &
    W[$i]=$!
    PIDS+=($!)
done
t0=$(date +%s)
count() {
    local v
    v=$("$A" stream tool count --nats "$URLS" --stream DEC --subject "$1" 2>/dev/null | tail -n 1) || true
    case "$v" in ''|*[!0-9]*) echo 0 ;; *) echo "$v" ;; esac
}
# kill one worker at about a third, one server node at about a half
killed_w=0 killed_n=0
while :; do
    check_time "waiting for the decisions"
    c_out=$(count dec.out)
    c_err=$(count dec.err)
    c=$((c_out + c_err))
    if [ "$killed_w" = 0 ] && [ "$c" -ge $((N / 3)) ]; then
        kill -9 "${W[1]}"; killed_w=1
        echo "SIGKILL worker w1 at ~$c outputs"
    fi
    if [ "$killed_n" = 0 ] && [ "$c" -ge $((N / 2)) ]; then
        kill -9 "${NODE[2]}"; killed_n=1
        echo "SIGKILL nats-server n2 at ~$c outputs"
    fi
    [ "$killed_n" = 1 ] && [ "$c" -ge "$N" ] && break
    sleep 0.5
done
echo "all $N posts decided in $(( $(date +%s) - t0 )) s (with the kills)"
sleep 6 # past the ack wait: a late redelivery would show up as an extra message
kill -TERM "${W[0]}" "${W[2]}"
for i in 0 2; do
    rc=0
    wait "${W[$i]}" || rc=$?
    [ "$rc" = 0 ] || fail "worker w$i exited $rc on SIGTERM"
done

# ---- what the output stream holds ----
"$A" stream tool collect --nats "$URLS" --stream DEC --subject dec.out > "$T/out.tsv"
"$A" stream tool collect --nats "$URLS" --stream DEC --subject dec.err > "$T/err.tsv"
"$A" stream tool collect --nats "$URLS" --stream DEC --subject dec.status > "$T/status.tsv"
python3 - "$T" "$N" <<'EOF' || fail "output check"
import json, sys
t, n = sys.argv[1], int(sys.argv[2])
def rows(name):
    out = []
    with open(f"{t}/{name}", "rb") as f:
        for line in f:
            seq, mid, payload = line.rstrip(b"\n").split(b"\t", 2)
            out.append((mid, payload))
    return out
dec, err = rows("out.tsv"), rows("err.tsv")
ids = [m for m, _ in dec + err]
assert len(ids) == len(set(ids)), f"duplicate message ids: {len(ids) - len(set(ids))}"
assert len(dec) + len(err) == n, f"{len(dec)} decisions + {len(err)} errors != {n} posts"
for mid, p in dec:
    d = json.loads(p)
    assert d["id"].encode() == mid, f"message id {mid!r} is not the post id {d['id']!r}"
    assert "action" in d, p
for mid, p in err:
    assert "status" in json.loads(p), p
with open(f"{t}/scan.out", "rb") as f:
    scan = [l.rstrip(b"\n") for l in f]
assert len(scan) == n, f"scan printed {len(scan)} lines for {n} posts"
got = sorted(p for _, p in dec + err)
want = sorted(scan)
if got != want:
    gs, ws = set(got), set(want)
    missing, extra = [w for w in want if w not in gs], [g for g in got if g not in ws]
    print(f"{len(missing)} scan lines missing from the stream, {len(extra)} unexpected; first:")
    for x in (missing[:2] + extra[:2]):
        print("  ", x[:300])
    sys.exit(1)
beats = [json.loads(p) for _, p in rows("status.tsv")]
workers = {b["worker"] for b in beats}
assert {"w0", "w1", "w2"} <= workers, f"heartbeats from {workers}"
assert all(len(b["policy"]["hash"]) == 64 for b in beats)
final = {}
for b in beats:
    final[b["worker"]] = b
print(f"ok: {len(dec)} decisions + {len(err)} error records, one per post, "
      f"byte-identical to arbiter scan; processed per worker: "
      + ", ".join(f"{w}={final[w]['processed']}" for w in sorted(final)))
EOF
grep -q '"event":"stop"' "$T/w0.log" || fail "w0 did not log its stop"
echo "PASS stream_nats ($N posts)"
