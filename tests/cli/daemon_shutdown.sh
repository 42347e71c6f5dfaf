#!/usr/bin/env bash
# SIGTERM while clients are busy: arbiterd stops accepting, finishes the
# requests in flight, closes the database and exits 0; every post answered
# 200 is in the decision log exactly once, and no request got a 5xx.
. "$(dirname "$0")/daemon_common.inc"
write_config </dev/null
write_client
start_daemon
for mode in check batch; do
  python3 "$T/client.py" "$PORT" "$SVC" "$T/$mode" 4 "$mode" 30 > "$T/$mode.summary" &
  CPIDS="${CPIDS:-} $!"
done
# let both kinds of request get going, then stop the daemon under load
for _ in $(seq 1 200); do
  n=$(curl -s "$BASE/metrics" | awk '/^arbiterd_requests_total\{route="\/v1\/(check|batch)",status="200"\}/ {s+=$2} END {print s+0}')
  [ "${n:-0}" -ge 20 ] && break; sleep 0.05
done
kill -TERM "$DPID"
wait "$DPID"; rc=$?; DPID=
[ "$rc" -eq 0 ] && ok || bad "arbiterd exit status $rc after SIGTERM"
for p in $CPIDS; do wait "$p"; done
cat "$T"/*.summary; head -3 "$T"/*.other
grep -q '"msg":"stopped"' "$T/log" && ok || bad "no 'stopped' log line"
cat "$T/check.ok" "$T/batch.ok" > "$T/all.ok"
db_count_check "$T/arbiter.db" "$T/all.ok" && ok || bad "decision log after SIGTERM"
# statuses other than 200 / connection refused would be lost or failed work
if grep -Ev '^conn ' "$T/check.other" "$T/batch.other" | grep -q .; then
  bad "unexpected answers: $(grep -Ev '^conn ' "$T/check.other" "$T/batch.other" | head -3)"
else ok; fi
# nothing listens any more
curl -s -o /dev/null -m 2 "$BASE/healthz" && bad "still answering after exit" || ok
finish
