#!/usr/bin/env bash
# review_kill9.sh -- kill -9 arbiterd while escalations enter the queue and a
# moderator claims and decides cases, twice over the same database.  After
# each restart: every escalate decision has exactly one case, every case one
# `enqueue` audit entry, every verdict row one `verdict` entry, decided cases
# have a verdict, and `arbiter audit verify` finds the chain intact.
. "$(dirname "$0")/daemon_common.inc"
write_config </dev/null
rm -f "$T"/policy/*.yaml
cp "$SRC/tests/e2e/escalate-all.yaml" "$T/policy/"
cat > "$T/load.py" <<'PY'
# load.py PORT SVC MOD ROUND: posts escalations and decides cases until the
# server goes away; prints how many answers it got.
import http.client, json, sys, threading
port, svc, mod, rnd = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
done = {"posts": 0, "verdicts": 0}
def call(conn, method, path, tok, body=None):
    h = {"Authorization": "Bearer " + tok, "Content-Type": "application/json"}
    conn.request(method, path, None if body is None else json.dumps(body), h)
    r = conn.getresponse()
    return r.status, json.loads(r.read() or b"null")
def poster(k):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        for i in range(100000):
            st, _ = call(c, "POST", "/v1/check", svc, {"id": "r%s-%d-%d" % (rnd, k, i),
                         "text": "I will kill him %d" % i, "author_country": "US",
                         "created_at": "2022-03-10T12:00:00Z"})
            assert st == 200, st
            done["posts"] += 1
    except (OSError, http.client.HTTPException):
        pass
def moderator():
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        while True:
            st, d = call(c, "GET", "/v1/cases?status=open&limit=20", mod)
            for case in d["cases"]:
                if call(c, "POST", "/v1/cases/%d/claim" % case["id"], mod)[0] == 200:
                    st, _ = call(c, "POST", "/v1/cases/%d/verdict" % case["id"], mod,
                                 {"verdict": "uphold", "reason": "kill9 round " + rnd})
                    if st == 200:
                        done["verdicts"] += 1
    except (OSError, http.client.HTTPException, ValueError):
        pass
ts = [threading.Thread(target=poster, args=(k,)) for k in range(2)] + [threading.Thread(target=moderator)]
for t in ts: t.start()
for t in ts: t.join()
print("round %s: %d posts answered, %d verdicts answered" % (rnd, done["posts"], done["verdicts"]))
PY
SQL() { python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$T/arbiter.db" "$1"; }
for round in 1 2; do
  start_daemon
  python3 "$T/load.py" "$PORT" "$SVC" "$MOD" "$round" & L=$!
  for _ in $(seq 1 200); do
    n=$(curl -s -H "Authorization: Bearer $MOD" "$BASE/v1/cases?status=decided&limit=200" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["cases"]))' 2>/dev/null)
    [ "${n:-0}" -ge 5 ] && break; sleep 0.05
  done
  sleep "0.$((round * 2))"
  kill -KILL "$DPID"; wait "$DPID" 2>/dev/null; DPID=
  wait $L
  esc=$(SQL "SELECT count(*) FROM decisions WHERE action='escalate'")
  cases=$(SQL "SELECT count(*) FROM cases")
  [ "$esc" -gt 0 ] && [ "$esc" = "$cases" ] && ok || bad "round $round: $esc escalations but $cases cases"
  [ "$(SQL "SELECT count(*) FROM audit WHERE action='enqueue'")" = "$cases" ] && ok || bad "round $round: enqueue entries"
  v=$(SQL "SELECT count(*) FROM verdicts")
  [ "$v" -gt 0 ] && [ "$(SQL "SELECT count(*) FROM audit WHERE action='verdict'")" = "$v" ] && ok || bad "round $round: $v verdicts vs audit"
  [ "$(SQL "SELECT count(*) FROM cases WHERE status='decided'")" = "$(SQL "SELECT count(DISTINCT case_id) FROM verdicts")" ] && ok || bad "round $round: decided cases without verdicts"
  out=$("$A" audit verify --db "$T/arbiter.db") && ok || bad "round $round: $out"
  echo "round $round: $esc cases, $v verdicts; $out" | head -1
done
finish
