#!/usr/bin/env bash
# arbiterd end to end: every endpoint, token roles, limits, bad input,
# idempotent retries, policy reload (good, broken, SIGHUP), the Prometheus
# text format, JSON logs, and a clean SIGTERM exit.  Loopback only.
. "$(dirname "$0")/daemon_common.inc"

write_config <<'YAML'
limits:
  body_bytes: 65536
  batch_posts: 4
  text_bytes: 2000
YAML
start_daemon

# --- health ---
expect 200 GET /healthz ""
expect 200 GET /readyz ""
HASH0=$(jget 'd["policy"]["hash"]')
[ ${#HASH0} -eq 64 ] && ok || bad "readyz has no policy hash: $(cat "$T/body")"

# --- auth ---
P1=$(post_json p1 "I will find you and kill you" US)
expect 401 POST /v1/check "" -d "$P1"
[ "$(jget 'd["error"]["code"]')" = unauthorized ] && ok || bad "401 body: $(cat "$T/body")"
curl -s -D "$T/h" -o /dev/null -d "$P1" "$BASE/v1/check"
grep -qi '^WWW-Authenticate: Bearer' "$T/h" && ok || bad "401 without WWW-Authenticate"
expect 401 POST /v1/check "not-a-token" -d "$P1"
expect 401 POST /v1/check "${SVC}x" -d "$P1"
expect 401 POST /v1/check "" -H "Authorization: Basic $(printf 'a:b' | base64)" -d "$P1"
expect 403 GET /v1/policies "$SVC"
[ "$(jget 'd["error"]["status"]')" = 403 ] && ok || bad "403 body: $(cat "$T/body")"
expect 403 GET /v1/policies "$MOD"
expect 403 POST /v1/policies/reload "$SVC"
expect 200 GET /v1/policies "$ADM"

# --- check ---
expect 200 POST /v1/check "$SVC" -d "$P1"
ID1=$(jget 'd["decision_id"]')
[ "$(jget 'd["id"]')" = p1 ] && ok || bad "check echoes the post id"
[ "$(jget 'd["policy"]["hash"]')" = "$HASH0" ] && ok || bad "decision names the policy hash"
jget 'd["action"] in ("allow","remove","escalate","restrict")' | grep -q True && ok || bad "action: $(cat "$T/body")"
jget 'isinstance(d["rule"], str) and len(d["rule"]) > 0' | grep -q True && ok || bad "rule: $(cat "$T/body")"
# admin implies service
expect 200 POST /v1/check "$ADM" -d "$(post_json p2 'hello world' PL)"
# a retry (same post id) is not a second decision
curl -s -D "$T/h" -o "$T/body" -H "Authorization: Bearer $SVC" -d "$P1" "$BASE/v1/check"
[ "$(jget 'd["decision_id"]')" = "$ID1" ] && ok || bad "retry got a new decision id"
grep -qi '^Idempotent-Replayed: true' "$T/h" && ok || bad "retry not marked as replayed"
# the same id with a different post is a conflict
expect 409 POST /v1/check "$SVC" -d "$(post_json p1 'something else entirely' US)"
# Idempotency-Key: retries of the same request, distinct from the post id
expect 200 POST /v1/check "$SVC" -H 'Idempotency-Key: req-42' -d "$(post_json p3 'good morning' DE)"
K1=$(jget 'd["decision_id"]')
expect 200 POST /v1/check "$SVC" -H 'Idempotency-Key: req-42' -d "$(post_json p3 'good morning' DE)"
[ "$(jget 'd["decision_id"]')" = "$K1" ] && ok || bad "Idempotency-Key retry duplicated"
expect 400 POST /v1/check "$SVC" -H 'Idempotency-Key: bad key with spaces' -d "$(post_json p4 hi DE)"

# --- bad input ---
expect 400 POST /v1/check "$SVC" -d '{"id":"x1","text":'
[ "$(jget 'd["error"]["code"]')" = invalid_json ] && ok || bad "bad JSON code: $(cat "$T/body")"
expect 400 POST /v1/check "$SVC" -d '[1,2]'
expect 400 POST /v1/check "$SVC" -d '{"id":"x2","author_country":"US","created_at":"2022-03-10T12:00:00Z"}'
jget 'd["error"]["message"]' | grep -q '"text"' && ok || bad "missing text not named: $(cat "$T/body")"
expect 400 POST /v1/check "$SVC" -d "$(post_json x3 hi XX)"
[ "$(jget 'd["error"]["code"]')" = invalid_country ] && ok || bad "country code: $(cat "$T/body")"
expect 400 POST /v1/check "$SVC" -d '{"id":"x4","text":"hi","author_country":"US","created_at":"yesterday"}'
expect 400 POST /v1/check "$SVC" -d ''
expect 405 GET /v1/check "$SVC"
expect 404 GET /v1/nothing-here "$SVC"
[ "$(jget 'd["error"]["code"]')" = not_found ] && ok || bad "404 body: $(cat "$T/body")"

# --- limits ---
python3 -c 'import json; print(json.dumps({"id":"big1","text":"a"*3000,"author_country":"US","created_at":"2022-03-10T12:00:00Z"}))' > "$T/t3k"
expect 413 POST /v1/check "$SVC" --data-binary @"$T/t3k"
[ "$(jget 'd["error"]["code"]')" = text_too_large ] && ok || bad "text limit code: $(cat "$T/body")"
python3 -c 'print("x"*70000)' > "$T/b70k"
expect 413 POST /v1/check "$SVC" --data-binary @"$T/b70k"
[ "$(jget 'd["error"]["code"]')" = body_too_large ] && ok || bad "body limit code: $(cat "$T/body")"
expect 413 POST /v1/check "$SVC" -H 'Transfer-Encoding: chunked' --data-binary @"$T/b70k"

# --- batch ---
{ post_json b1 'hello'; echo; echo '{"id":"b2","text":'; post_json b3 'nice weather' UA; echo; } > "$T/batch"
expect 200 POST /v1/batch "$SVC" --data-binary @"$T/batch"
[ "$(wc -l < "$T/body")" -eq 3 ] && ok || bad "batch: 3 lines in, $(wc -l < "$T/body") out"
python3 - "$T/body" <<'PY' && ok || bad "batch output lines: $(cat "$T/body")"
import json, sys
L = [json.loads(l) for l in open(sys.argv[1])]
assert L[0]["id"] == "b1" and "decision_id" in L[0]
assert L[1]["line"] == 2 and L[1]["status"] == "PARSE" and "error" in L[1]
assert L[2]["id"] == "b3" and "decision_id" in L[2]
PY
for i in 1 2 3 4 5; do post_json "m$i" hi; echo; done > "$T/batch5"
expect 413 POST /v1/batch "$SVC" --data-binary @"$T/batch5"
[ "$(jget 'd["error"]["code"]')" = batch_too_large ] && ok || bad "batch limit code"
expect 400 POST /v1/batch "$SVC" --data-binary ''

# --- reload: a good policy, then a broken one (refused, old one stays) ---
echo "# reviewed $(date +%s)" >> "$T/policy/00-pack.yaml"
expect 200 POST /v1/policies/reload "$ADM"
HASH1=$(jget 'd["policy"]["hash"]')
[ ${#HASH1} -eq 64 ] && [ "$HASH1" != "$HASH0" ] && ok || bad "reload did not change the hash"
cp "$T/policy/00-pack.yaml" "$T/good-pack.yaml"
printf 'broken: [unclosed\n' >> "$T/policy/00-pack.yaml"
expect 422 POST /v1/policies/reload "$ADM"
jget 'd["error"]["message"]' | grep -Eq '00-pack\.yaml:[0-9]+:[0-9]+' && ok || bad "broken policy error names no file:line:col: $(cat "$T/body")"
expect 200 GET /v1/policies "$ADM"
[ "$(jget 'd["policies"][0]["hash"]')" = "$HASH1" ] && ok || bad "broken reload replaced the policy"
expect 200 POST /v1/check "$SVC" -d "$(post_json p5 'still serving' US)"
[ "$(jget 'd["policy"]["hash"]')" = "$HASH1" ] && ok || bad "decisions not on the old policy after a refused reload"

# --- SIGHUP reload ---
cp "$T/good-pack.yaml" "$T/policy/00-pack.yaml"; echo "# sighup" >> "$T/policy/00-pack.yaml"
kill -HUP "$DPID"
HASH2=
for _ in $(seq 1 100); do
  req GET /v1/policies "$ADM" >/dev/null; HASH2=$(jget 'd["policies"][0]["hash"]')
  [ "$HASH2" != "$HASH1" ] && break; sleep 0.05
done
[ "$HASH2" != "$HASH1" ] && ok || bad "SIGHUP did not reload"
kill -0 "$DPID" && ok || bad "SIGHUP killed the daemon"

# --- metrics ---
curl -s -D "$T/h" -o "$T/metrics" "$BASE/metrics"
grep -qi '^Content-Type: text/plain; version=0.0.4' "$T/h" && ok || bad "metrics content type"
python3 - "$T/metrics" <<'PY' && ok || bad "metrics format"
import re, sys
line_re = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.eE+-]+|\+Inf|NaN)$')
types, samples = {}, {}
for l in open(sys.argv[1]).read().splitlines():
    if l.startswith("# TYPE "):
        _, _, n, t = l.split(" ", 3); types[n] = t; continue
    if l.startswith("#") or not l: continue
    m = line_re.match(l); assert m, "bad sample line: " + l
    samples[l.rsplit(" ", 1)[0]] = float(l.rsplit(" ", 1)[1])
def get(k): return samples.get(k, 0)
assert types["arbiterd_requests_total"] == "counter"
assert types["arbiterd_request_duration_seconds"] == "histogram"
assert get('arbiterd_requests_total{route="/v1/check",status="200"}') >= 5
assert get('arbiterd_requests_total{route="/v1/check",status="401"}') >= 3
assert get('arbiterd_requests_total{route="/v1/check",status="413"}') >= 2
b = [v for k, v in samples.items() if k.startswith('arbiterd_request_duration_seconds_bucket{route="/v1/check"')]
assert b == sorted(b) and len(b) >= 2, "buckets not cumulative"
assert get('arbiterd_request_duration_seconds_bucket{route="/v1/check",le="+Inf"}') == get('arbiterd_request_duration_seconds_count{route="/v1/check"}')
dec = sum(v for k, v in samples.items() if k.startswith("arbiterd_decisions_total{"))
assert dec >= 5, "decisions by action/rule/country: %s" % dec
assert any('country="UA"' in k for k in samples if k.startswith("arbiterd_decisions_total"))
assert get('arbiterd_policy_reloads_total{result="failed"}') == 1
assert get('arbiterd_policy_reloads_total{result="ok"}') == 2
assert "arbiterd_review_queue_depth" in samples
PY

# --- graceful stop, then the log and the database ---
stop_daemon && ok || bad "SIGTERM exit status not 0"
python3 - "$T/log" <<'PY' && ok || bad "log lines are not JSON with the request fields"
import json, sys
reqs = 0
for l in open(sys.argv[1]):
    d = json.loads(l)
    assert {"ts", "level", "msg"} <= d.keys()
    if d["msg"] == "request":
        assert {"request_id", "method", "path", "status", "duration_ms"} <= d.keys(), d
        reqs += 1
assert reqs > 20
PY
grep -q "$SVC" "$T/log" && bad "a plain token appears in the log" || ok
python3 - "$T/arbiter.db" <<'PY' && ok || bad "decision log contents"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = dict(db.execute("select post_id, count(*) from decisions group by post_id").fetchall())
for p in ("p1", "p2", "p3", "p5", "b1", "b3"):
    assert rows.get(p) == 1, (p, rows.get(p))
assert "x1" not in rows and "big1" not in rows
r = db.execute("select text, author_country, policy_id, policy_version, length(policy_hash), analysis, action, rule, decided_at from decisions where post_id='p1'").fetchone()
assert r[0] == "I will find you and kill you" and r[1] == "US" and r[2] and r[3] and r[4] == 64
assert r[5].startswith("{") and r[6] and r[7] and r[8].endswith("Z")
PY
finish
