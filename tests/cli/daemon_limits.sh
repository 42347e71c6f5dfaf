#!/usr/bin/env bash
# arbiterd limits that need their own configuration: open connections (429
# with a JSON error, health checks still answered), the per-request time
# budget of /v1/batch (undecided lines become LIMIT records, nothing is
# lost or half-written), and an oversized body announced by Content-Length
# (answered 413 at once, the body is not read).
. "$(dirname "$0")/daemon_common.inc"
write_config <<'YAML'
limits:
  connections: 3
  request_timeout_ms: 100
  body_bytes: 4096
  batch_posts: 30000
YAML
start_daemon

# --- connections: hold 3 idle connections, the next request gets a 429 ---
python3 - "$PORT" "$SVC" > "$T/conn.out" <<'PY'
import socket, sys, time, json
port, tok = int(sys.argv[1]), sys.argv[2]
held = [socket.create_connection(("127.0.0.1", port)) for _ in range(3)]
time.sleep(0.3)
def ask(path, body=None):
    s = socket.create_connection(("127.0.0.1", port))
    if body is None:
        req = "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" % path
    else:
        req = ("POST %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Length: %d\r\n"
               "Connection: close\r\n\r\n%s" % (path, tok, len(body), body))
    s.sendall(req.encode()); data = b""
    while True:
        d = s.recv(65536)
        if not d: break
        data += d
    s.close()
    return data.decode(errors="replace")
post = json.dumps({"id": "c1", "text": "hi", "author_country": "US", "created_at": "2022-03-10T12:00:00Z"})
r = ask("/v1/check", post)
print(r.split("\r\n", 1)[0]); print(r.split("\r\n\r\n", 1)[1].strip())
print(ask("/healthz").split("\r\n", 1)[0])
for h in held: h.close()
time.sleep(0.3)
print(ask("/v1/check", post).split("\r\n", 1)[0])
PY
sed -n 1p "$T/conn.out" | grep -q ' 429 ' && ok || bad "over the connection limit: $(cat "$T/conn.out")"
sed -n 2p "$T/conn.out" | grep -q '"code":"too_many_connections"' && ok || bad "429 body: $(sed -n 2p "$T/conn.out")"
sed -n 3p "$T/conn.out" | grep -q ' 200 ' && ok || bad "healthz refused over the connection limit"
sed -n 4p "$T/conn.out" | grep -q ' 200 ' && ok || bad "not served again once connections closed: $(sed -n 4p "$T/conn.out")"

# --- request time budget (100 ms): a big batch is cut, every line answered ---
python3 -c '
import json
for i in range(20000):
    print(json.dumps({"id": "tb%d" % i, "text": "we will burn their houses down %d" % i, "author_country": "UA", "created_at": "2022-03-10T12:00:00Z"}))
' > "$T/batch"
sed -i 's/body_bytes: 4096/body_bytes: 4194304/' "$T/arbiterd.yaml"
stop_daemon; start_daemon
curl -s -D "$T/h" -o "$T/out" -H "Authorization: Bearer $SVC" --data-binary @"$T/batch" "$BASE/v1/batch"
python3 - "$T/out" "$T/arbiter.db" <<'PY' && ok || bad "time budget: $(head -c 300 "$T/out")"
import json, sqlite3, sys
L = [json.loads(l) for l in open(sys.argv[1])]
assert len(L) == 20000, len(L)
done = [d for d in L if "decision_id" in d]
late = [d for d in L if d.get("status") == "LIMIT"]
assert len(done) + len(late) == 20000 and late and done, (len(done), len(late))
# the cut is a prefix: decided lines first, then the undecided ones
assert all("decision_id" in d for d in L[:len(done)])
db = sqlite3.connect(sys.argv[2])
stored = {r[0] for r in db.execute("select post_id from decisions where post_id like 'tb%'")}
assert stored == {d["id"] for d in done}, (len(stored), len(done))
print("decided %d, cut %d" % (len(done), len(late)))
PY
grep -qi '^X-Arbiter-Undecided: [1-9]' "$T/h" && ok || bad "no X-Arbiter-Undecided header"

# --- a reload during a long batch: the batch finishes on the old policy ---
sed -i 's/request_timeout_ms: 100/request_timeout_ms: 600000/; s/batch_posts: 30000/batch_posts: 100000/; s/body_bytes: 4194304/body_bytes: 16777216/' "$T/arbiterd.yaml"
stop_daemon; start_daemon
python3 -c '
import json
for i in range(60000):
    print(json.dumps({"id": "rl%d" % i, "text": "they should all be shot %d" % i, "author_country": "PL", "created_at": "2022-03-10T12:00:00Z"}))
' > "$T/batch"
req GET /v1/policies "$ADM" >/dev/null; OLD=$(jget 'd["policies"][0]["hash"]')
echo "# changed during a batch" >> "$T/policy/00-pack.yaml"
( curl -s -o "$T/out" -H "Authorization: Bearer $SVC" --data-binary @"$T/batch" "$BASE/v1/batch"; date +%s.%N > "$T/batch.done" ) &
BP=$!
sleep 0.3
curl -s -o "$T/reload" -H "Authorization: Bearer $ADM" -X POST "$BASE/v1/policies/reload"; date +%s.%N > "$T/reload.done"
wait $BP
python3 - "$T/out" "$T/reload" "$OLD" "$T/batch.done" "$T/reload.done" <<'PY' && ok || bad "reload during a batch"
import json, sys
L = [json.loads(l) for l in open(sys.argv[1])]
new = json.load(open(sys.argv[2]))["policy"]["hash"]
old = sys.argv[3]
assert new != old
assert len(L) == 60000 and all("decision_id" in d for d in L)
assert {d["policy"]["hash"] for d in L} == {old}, "a batch changed policy midway"
# the swap happened while the batch was still running
assert float(open(sys.argv[5]).read()) < float(open(sys.argv[4]).read()), "batch ended before the reload; inconclusive"
PY
expect 200 POST /v1/check "$SVC" -d "$(post_json after-reload 'hello again' PL)"
[ "$(jget 'd["policy"]["hash"]')" != "$OLD" ] && ok || bad "new requests not on the new policy"
sed -i 's/body_bytes: 16777216/body_bytes: 4194304/' "$T/arbiterd.yaml"

# --- Content-Length over the limit: 413 without reading the body ---
sed -i 's/body_bytes: 4194304/body_bytes: 4096/' "$T/arbiterd.yaml"
stop_daemon; start_daemon
python3 - "$PORT" "$SVC" > "$T/cl.out" <<'PY'
import socket, sys
port, tok = int(sys.argv[1]), sys.argv[2]
s = socket.create_connection(("127.0.0.1", port)); s.settimeout(5)
s.sendall(("POST /v1/check HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
           "Content-Length: 100000000\r\n\r\n" % tok).encode())   # promise 100 MB, send none
data = b""
try:
    while b"\r\n\r\n" not in data or not data.rstrip().endswith(b"}"):
        d = s.recv(65536)
        if not d: break
        data += d
except socket.timeout:
    pass
print(data.decode(errors="replace").split("\r\n", 1)[0])
PY
grep -q ' 413 ' "$T/cl.out" && ok || bad "announced oversized body: $(cat "$T/cl.out")"
stop_daemon && ok || bad "stop"
finish
