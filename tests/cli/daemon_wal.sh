#!/usr/bin/env bash
# arbiterd's decision log under wal_rewind_mb: the checkpointer rewinds the
# WAL once it passes the configured size (and says so in /metrics), not
# before; every decision is stored exactly once across the rewinds.
. "$(dirname "$0")/daemon_common.inc"

# metric NAME: its value in /metrics
metric() { curl -s "$BASE/metrics" | awk -v n="$1" '$1 == n {print $2}'; }
# load N TAG: N new posts through /v1/check from 4 keep-alive clients at
# once, so that commits never pause and the WAL outgrows the threshold
# between two checkpoints; prints the number of 200 answers
load() {
  python3 - "$PORT" "$SVC" "$1" "$2" <<'PY'
import http.client, json, sys, threading
port, tok, n, tag = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
ok = [0] * 4
def client(k):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for i in range(k, n, 4):
        body = json.dumps({"id": "%s-%d" % (tag, i), "author_country": "UA",
                           "created_at": "2022-03-10T12:00:00Z",
                           "text": "We will find him at the station tomorrow and kill him (%d)" % i})
        c.request("POST", "/v1/check", body, {"Authorization": "Bearer " + tok})
        r = c.getresponse(); r.read()
        ok[k] += r.status == 200
th = [threading.Thread(target=client, args=(k,)) for k in range(4)]
[t.start() for t in th]; [t.join() for t in th]
print(sum(ok))
PY
}
rows() { python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(c.execute('select count(*), count(distinct idem_key) from decisions').fetchone())" "$T/arbiter.db"; }

# 1. a 1 MB threshold: 3,000 decisions pass it, and the WAL is rewound
write_config <<'YAML'
wal_rewind_mb: 1
commit_batch: 16
YAML
start_daemon
[ "$(metric arbiterd_wal_rewinds_total)" = 0 ] && ok || bad "rewinds before any write: $(metric arbiterd_wal_rewinds_total)"
[ "$(load 3000 a)" = 3000 ] && ok || bad "not every /v1/check answered 200"
sleep 2.5 # the checkpointer runs at least once a second
r=$(metric arbiterd_wal_rewinds_total)
[ -n "$r" ] && [ "$r" -ge 1 ] && ok || bad "no WAL rewind past 1 MB (rewinds_total=$r)"
s=$(metric arbiterd_wal_rewind_seconds_total)
python3 -c "import sys; sys.exit(0 if 0 < float(sys.argv[1]) < 60 else 1)" "${s:-0}" && ok || bad "rewind time $s"
[ "$(load 1000 b)" = 1000 ] && ok || bad "not every /v1/check answered 200"
[ "$(rows)" = "(4000, 4000)" ] && ok || bad "rows after rewinds: $(rows)"
kill -TERM "$DPID"; wait "$DPID"; [ $? -eq 0 ] && ok || bad "exit status after SIGTERM"
DPID=

# 2. the default (256 MB): the same load never holds the writers back
rm -f "$T"/arbiter.db*
write_config </dev/null
start_daemon
[ "$(load 3000 c)" = 3000 ] && ok || bad "not every /v1/check answered 200"
sleep 2.5
[ "$(metric arbiterd_wal_rewinds_total)" = 0 ] && ok || bad "rewinds under 256 MB: $(metric arbiterd_wal_rewinds_total)"
[ "$(rows)" = "(3000, 3000)" ] && ok || bad "rows: $(rows)"
finish
