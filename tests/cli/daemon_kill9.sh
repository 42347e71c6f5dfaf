#!/usr/bin/env bash
# kill -9 at an arbitrary moment under load, three times over the same
# database: after each restart every post that was answered 200 is in the
# decision log exactly once, the file passes integrity_check, and retrying
# every post (answered or not) adds no duplicate.
. "$(dirname "$0")/daemon_common.inc"
write_config </dev/null
write_client
: > "$T/all.ok"
for round in 1 2 3; do
  start_daemon
  python3 "$T/client.py" "$PORT" "$SVC" "$T/c$round" 3 check 30 "r$round" > "$T/c$round.summary" & C1=$!
  python3 "$T/client.py" "$PORT" "$SVC" "$T/b$round" 2 batch 30 "r$round" > "$T/b$round.summary" & C2=$!
  # wait for some answers, then a little longer (different per round)
  for _ in $(seq 1 200); do
    n=$(curl -s "$BASE/metrics" | awk '/^arbiterd_requests_total\{route="\/v1\/(check|batch)",status="200"\}/ {s+=$2} END {print s+0}')
    [ "${n:-0}" -ge 10 ] && break; sleep 0.05
  done
  sleep "0.$((round * 3))"
  kill -KILL "$DPID"; wait "$DPID" 2>/dev/null; DPID=
  wait $C1 $C2
  cat "$T/c$round.summary" "$T/b$round.summary"
  cat "$T/c$round.ok" "$T/b$round.ok" >> "$T/all.ok"
  db_count_check "$T/arbiter.db" "$T/all.ok" && ok || bad "round $round: decision log after kill -9"
done

# retry everything once more on a fresh start: no duplicates, same ids
start_daemon
python3 - "$PORT" "$SVC" "$T/arbiter.db" <<'PY' && ok || bad "retries after kill -9 duplicated decisions"
import http.client, json, sqlite3, sys
port, tok, dbp = int(sys.argv[1]), sys.argv[2], sys.argv[3]
db = sqlite3.connect(dbp)
before = dict(db.execute("select post_id, id from decisions"))
# the client's posts are deterministic from their ids: rebuild a sample
import re
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
n = 0
for pid, did in list(before.items())[:300]:
    text = db.execute("select text, author_country, created_at from decisions where post_id=?", (pid,)).fetchone()
    body = json.dumps({"id": pid, "text": text[0], "author_country": text[1], "created_at": text[2]})
    conn.request("POST", "/v1/check", body, {"Authorization": "Bearer " + tok})
    r = conn.getresponse(); d = json.loads(r.read())
    assert r.status == 200 and d["decision_id"] == did, (pid, r.status, d)
    n += 1
after = db.execute("select count(*) from decisions").fetchone()[0]
assert after == len(before), (after, len(before))
print("retried %d posts: same decision ids, no new rows" % n)
PY
stop_daemon && ok || bad "clean exit after the kill -9 rounds"
finish
