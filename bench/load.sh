#!/usr/bin/env bash
# load.sh -- load test of arbiterd's POST /v1/check with wrk on loopback,
# against a static JSON answer from nginx as the HTTP ceiling, in one run.
#
#   bench/load.sh [BUILD_DIR]            (default: build)
#
# Environment:
#   DURATION=10     seconds per wrk measurement
#   CONNS=16        connections for the saturation runs
#   WRK_THREADS=2   wrk threads
#   REQUESTS=1000000  requests for the memory run (0 skips it)
#   SYNC=normal     database_sync for arbiterd (normal|full)
#   WAL_MB=         wal_rewind_mb for arbiterd (default: arbiterd's own)
#   COMMIT_BATCH=   commit_batch for arbiterd (default: arbiterd's own)
#   REPEAT=3        runs of the ~50 % point (each reported, and the median)
#   SERVER_CPUS=    e.g. "0,1": pin arbiterd and nginx there (taskset)
#   CLIENT_CPUS=    e.g. "2,3": pin wrk there
# Prints a Markdown report on stdout (progress on stderr).
#
# What "p99 at 50% of saturation" means here: wrk (not wrk2) is closed-loop,
# so a rate is approximated with a fixed number of connections that each
# sleep between requests (wrk's delay() hook): C connections sleeping D ms
# give at most C*1000/D requests/s.  D is chosen for half the measured
# saturation rate and the achieved rate is reported next to it.  Coordinated
# omission still applies (a stalled server delays the next request instead
# of queueing it), so p99 here is a lower bound of what wrk2 would report.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build}
ARBITERD=$BUILD/arbiterd
DURATION=${DURATION:-10}; CONNS=${CONNS:-16}; WRK_THREADS=${WRK_THREADS:-2}
REQUESTS=${REQUESTS:-1000000}; SYNC=${SYNC:-normal}
WAL_MB=${WAL_MB:-}; COMMIT_BATCH=${COMMIT_BATCH:-}; REPEAT=${REPEAT:-3}
SERVER_CPUS=${SERVER_CPUS:-}; CLIENT_CPUS=${CLIENT_CPUS:-}
for t in wrk nginx curl python3; do command -v $t >/dev/null || { echo "load.sh: $t is not installed" >&2; exit 2; }; done
[ -x "$ARBITERD" ] || { echo "load.sh: no $ARBITERD (build first)" >&2; exit 2; }
T=$(mktemp -d)
APID=; NPID=
cleanup() {
  [ -n "$APID" ] && kill -TERM "$APID" 2>/dev/null && wait "$APID" 2>/dev/null
  [ -n "$NPID" ] && kill -QUIT "$NPID" 2>/dev/null && wait "$NPID" 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT
log() { echo "load.sh: $*" >&2; }
# exec: run in the background, $! is then the server itself
pin_server() { if [ -n "$SERVER_CPUS" ]; then exec taskset -c "$SERVER_CPUS" "$@"; else exec "$@"; fi; }
pin_client() { if [ -n "$CLIENT_CPUS" ]; then taskset -c "$CLIENT_CPUS" "$@"; else "$@"; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

TOKEN=bench-$$-$RANDOM
APORT=$(free_port); NPORT=$(free_port)
cat > "$T/arbiterd.yaml" <<YAML
listen: 127.0.0.1:$APORT
threads: 2
database: $T/bench.db
database_sync: $SYNC
log_level: warn
${WAL_MB:+wal_rewind_mb: $WAL_MB}
${COMMIT_BATCH:+commit_batch: $COMMIT_BATCH}
limits: {connections: 1024}
tokens:
  - {name: bench, role: service, sha256: $(printf %s "$TOKEN" | "$ARBITERD" --hash-token)}
YAML

# Unique post ids (every request is a new decision, stored), a mix of texts.
cat > "$T/check.lua" <<'LUA'
local n, prefix, pause = 0, "p", 0
local texts = {
  "We will kill every one of them at dawn, I know where they live",
  "Lovely weather in Kyiv today, going for a walk by the river",
  "death to the invaders",
  "The match last night was a massacre, our team got destroyed",
  "I hope someone shoots him tomorrow at the rally",
  "смерть окупантам",
}
local countries = {"US", "UA", "PL", "DE", "RU", "GB"}
function setup(thread) thread:set("tid", tostring(math.random(1, 1e9))) end
function init(args)
  prefix = (tid or "t") .. "-" .. tostring(os.time())
  pause = tonumber(args[2] or "0") or 0
  wrk.method = "POST"
  wrk.headers["Authorization"] = "Bearer " .. args[1]
  wrk.headers["Content-Type"] = "application/json"
end
function request()
  n = n + 1
  local i = n % #texts + 1
  local body = '{"id":"' .. prefix .. '-' .. n .. '","text":"' .. texts[i] ..
    '","author_country":"' .. countries[n % #countries + 1] .. '","created_at":"2022-03-10T12:00:00Z"}'
  return wrk.format(nil, "/v1/check", nil, body)
end
function delay() return pause end
LUA
cat > "$T/get.lua" <<'LUA'
local pause = 0
function init(args) pause = tonumber(args[2] or "0") or 0 end
function delay() return pause end
LUA

# both scripts print wrk's exact percentiles when wrk is done
cat >> "$T/check.lua" <<'LUA'
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("LOADSH %.0f %.3f %.3f %.3f %.3f %d %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency:percentile(99.9) / 1000, latency.max / 1000,
    summary.requests, e.connect + e.read + e.write + e.status + e.timeout))
end
LUA
sed -n '/^function done/,$p' "$T/check.lua" >> "$T/get.lua"

# run_wrk URL SCRIPT CONNS SECONDS PAUSE_MS -> "rps p50_ms p99_ms requests errors p999_ms max_ms"
# (the scripts' done() hook prints the exact percentiles; errors are socket
# errors plus non-2xx answers)
run_wrk() {
  local out
  out=$(pin_client wrk -t"$WRK_THREADS" -c"$3" -d"$4"s --latency -s "$2" "$1" -- "$TOKEN" "$5" 2>&1)
  echo "$out" >> "$T/wrk.log"
  echo "$out" | awk '/^LOADSH / {print $2, $3, $4, $7, $8, $5, $6; f=1} END {if (!f) print "nan nan nan 0 1 nan nan"}'
}
# server_tail FILE_BEFORE FILE_AFTER -> "n share>1ms share>2.5ms share>5ms" (%)
# from arbiterd's own request-duration histogram (first byte to answer queued)
check_hist() { curl -sf "http://127.0.0.1:$APORT/metrics" | grep '^arbiterd_request_duration_seconds_bucket{route="/v1/check"' > "$1"; }
server_tail() {
  paste "$1" "$2" | awk '{ le = $1; sub(/.*le="/, "", le); sub(/".*/, "", le); d[NR] = $4 - $2; L[NR] = le }
    END { n = d[NR]; if (!n) { print "0 nan nan nan"; exit }
          for (i = 1; i <= NR; i++) { if (L[i] == "0.001") a = d[i]; if (L[i] == "0.0025") b = d[i]; if (L[i] == "0.005") c = d[i] }
          printf "%d %.2f %.2f %.2f\n", n, 100 * (n - a) / n, 100 * (n - b) / n, 100 * (n - c) / n }'
}
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
hwm_kb() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }

# --- nginx (ceiling) ---
sed "s/__PORT__/$NPORT/" "$ROOT/bench/nginx.conf" > "$T/nginx.conf"
pin_server nginx -p "$T" -c "$T/nginx.conf" 2>"$T/nginx.err" &
NPID=$!
for _ in $(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:$NPORT/" && break; sleep 0.05; done
log "nginx: warm-up, then saturation ($CONNS connections, ${DURATION}s)"
run_wrk "http://127.0.0.1:$NPORT/" "$T/get.lua" "$CONNS" 2 0 >/dev/null
read -r N_RPS N_P50 N_P99 N_REQ N_ERR N_P999 _ < <(run_wrk "http://127.0.0.1:$NPORT/" "$T/get.lua" "$CONNS" "$DURATION" 0)
# connections for a target rate R with a pause of about 10 ms each (wrk's
# delay() has 1 ms resolution): C = R * 10 / 1000, at least 4; the pause
# leaves about 0.5 ms for the request itself
conns_for() { python3 -c "import math; print(max(4, math.ceil($1 * 0.010)))"; }
pause_for() { python3 -c "print(max(1, round($2 * 1000 / $1 - 0.5)))"; }
HALF_C=$(conns_for "$(python3 -c "print($N_RPS / 2)")")
N_PAUSE=$(pause_for "$(python3 -c "print($N_RPS / 2)")" "$HALF_C")
log "nginx: ~50% load ($HALF_C connections, ${N_PAUSE} ms pause)"
read -r NH_RPS NH_P50 NH_P99 NH_REQ NH_ERR NH_P999 _ < <(run_wrk "http://127.0.0.1:$NPORT/" "$T/get.lua" "$HALF_C" "$DURATION" "$N_PAUSE")
kill -QUIT "$NPID"; wait "$NPID" 2>/dev/null; NPID=

# --- arbiterd ---
pin_server "$ARBITERD" -c "$T/arbiterd.yaml" 2>"$T/arbiterd.log" &
APID=$!
for _ in $(seq 1 400); do curl -sf -o /dev/null "http://127.0.0.1:$APORT/readyz" && break; sleep 0.05; done
curl -sf -o /dev/null "http://127.0.0.1:$APORT/readyz" || { log "arbiterd did not start"; cat "$T/arbiterd.log" >&2; exit 1; }
RSS_START=$(rss_kb "$APID")
log "arbiterd: warm-up, then saturation"
run_wrk "http://127.0.0.1:$APORT" "$T/check.lua" "$CONNS" 3 0 >/dev/null
RSS_WARM=$(rss_kb "$APID")
check_hist "$T/h0"
read -r A_RPS A_P50 A_P99 A_REQ A_ERR A_P999 _ < <(run_wrk "http://127.0.0.1:$APORT" "$T/check.lua" "$CONNS" "$DURATION" 0)
check_hist "$T/h1"; read -r _ A_S1 A_S25 A_S5 < <(server_tail "$T/h0" "$T/h1")
AH_C=$(conns_for "$(python3 -c "print($A_RPS / 2)")")
A_PAUSE=$(pause_for "$(python3 -c "print($A_RPS / 2)")" "$AH_C")
HALF_ROWS=; HALF_P99S=
for i in $(seq 1 "$REPEAT"); do
  log "arbiterd: ~50% load ($AH_C connections, ${A_PAUSE} ms pause), run $i of $REPEAT"
  check_hist "$T/h0"
  read -r r p50 p99 _ e p999 _ < <(run_wrk "http://127.0.0.1:$APORT" "$T/check.lua" "$AH_C" "$DURATION" "$A_PAUSE")
  check_hist "$T/h1"; read -r _ s1 s25 s5 < <(server_tail "$T/h0" "$T/h1")
  share=$(python3 -c "print(round(100 * $r / $A_RPS))")
  HALF_ROWS="$HALF_ROWS| arbiterd /v1/check | ~50% run $i: $AH_C conns, pause $A_PAUSE ms | $r ($share %) | $p50 | **$p99** | $p999 | $s1 / $s25 / $s5 | $e |
"
  HALF_P99S="$HALF_P99S $p99"
done
HALF_MEDIAN=$(python3 -c "import statistics,sys; print('%.3f' % statistics.median(float(x) for x in sys.argv[1:]))" $HALF_P99S)
AL_C=$(conns_for "$(python3 -c "print($A_RPS / 10)")")
A_LOW_PAUSE=$(pause_for "$(python3 -c "print($A_RPS / 10)")" "$AL_C")
log "arbiterd: ~10% load ($AL_C connections, ${A_LOW_PAUSE} ms pause)"
check_hist "$T/h0"
read -r AL_RPS AL_P50 AL_P99 AL_REQ AL_ERR AL_P999 _ < <(run_wrk "http://127.0.0.1:$APORT" "$T/check.lua" "$AL_C" "$DURATION" "$A_LOW_PAUSE")
check_hist "$T/h1"; read -r _ AL_S1 AL_S25 AL_S5 < <(server_tail "$T/h0" "$T/h1")
COMMITS=$(curl -sf "http://127.0.0.1:$APORT/metrics" | awk '/^arbiterd_decision_log_commits_total/ {c=$2} /^arbiterd_decision_log_decisions_total/ {d=$2}
  /^arbiterd_wal_rewinds_total/ {r=$2} /^arbiterd_wal_rewind_seconds_total/ {t=$2}
  END {printf "%s commits for %s decisions; %s WAL rewinds held commits back for %.1f ms in all", c, d, r, t * 1000}')

# --- memory over REQUESTS requests ---
MEM_DONE=0; RSS_BEFORE=$(rss_kb "$APID"); RSS_MID=; MEM_ERR=0
if [ "$REQUESTS" -gt 0 ]; then
  log "arbiterd: $REQUESTS requests for the memory check (about $(python3 -c "print(round($REQUESTS / $A_RPS))") s)"
  while [ "$MEM_DONE" -lt "$REQUESTS" ]; do
    left=$((REQUESTS - MEM_DONE))
    secs=$(python3 -c "print(max(2, min(60, round($left / $A_RPS + 1))))")
    read -r _ _ _ r e _ _ < <(run_wrk "http://127.0.0.1:$APORT" "$T/check.lua" "$CONNS" "$secs" 0)
    MEM_DONE=$((MEM_DONE + r)); MEM_ERR=$((MEM_ERR + e))
    [ -z "$RSS_MID" ] && [ "$MEM_DONE" -ge $((REQUESTS / 2)) ] && RSS_MID=$(rss_kb "$APID")
    log "  $MEM_DONE requests, RSS $(rss_kb "$APID") kB"
  done
fi
RSS_AFTER=$(rss_kb "$APID"); HWM=$(hwm_kb "$APID")
DB_ROWS=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from decisions').fetchone()[0])" "$T/bench.db")
DB_MB=$(du -sm "$T"/bench.db* | awk '{s+=$1} END {print s}')
kill -TERM "$APID"; wait "$APID"; ARC=$?; APID=

cat <<MD
### arbiterd load test ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs visible${SERVER_CPUS:+, servers pinned to CPUs $SERVER_CPUS}${CLIENT_CPUS:+, wrk on CPUs $CLIENT_CPUS})

wrk $WRK_THREADS threads; saturation with $CONNS connections for ${DURATION}s; "~50%" and "~10%":
connections that pause between requests, aimed at that share of the saturation rate (see
bench/load.sh for the method; the achieved rate is in the requests/s column).
arbiterd: 2 worker threads, database_sync=$SYNC$( [ -n "$WAL_MB" ] && echo ", wal_rewind_mb=$WAL_MB")$( [ -n "$COMMIT_BATCH" ] && echo ", commit_batch=$COMMIT_BATCH"), every request a new post stored in SQLite
($COMMITS over the whole run).
"server > 1 / 2.5 / 5 ms": share of requests over that time in arbiterd's own histogram
(first byte read to answer queued), i.e. the part of the tail spent inside the server.

| server | load | requests/s | p50 ms | p99 ms | p99.9 ms | server > 1 / 2.5 / 5 ms (%) | errors |
| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |
| nginx static JSON | saturation | $N_RPS | $N_P50 | $N_P99 | $N_P999 | | $N_ERR |
| nginx static JSON | ~50%: $HALF_C conns, pause $N_PAUSE ms | $NH_RPS | $NH_P50 | $NH_P99 | $NH_P999 | | $NH_ERR |
| arbiterd /v1/check | saturation | $A_RPS | $A_P50 | $A_P99 | $A_P999 | $A_S1 / $A_S25 / $A_S5 | $A_ERR |
$HALF_ROWS| arbiterd /v1/check | ~10%: $AL_C conns, pause $A_LOW_PAUSE ms | $AL_RPS | $AL_P50 | $AL_P99 | $AL_P999 | $AL_S1 / $AL_S25 / $AL_S5 | $AL_ERR |

arbiterd p99 at ~50 % of saturation, median of $REPEAT runs: **$HALF_MEDIAN ms** (target: under 5 ms).

Memory (arbiterd VmRSS): at start $RSS_START kB, after warm-up $RSS_WARM kB, before the long run
$RSS_BEFORE kB, half-way ${RSS_MID:-n/a} kB, after $MEM_DONE more requests $RSS_AFTER kB (peak $HWM kB);
errors in the long run: $MEM_ERR.  Decision log: $DB_ROWS rows, $DB_MB MB.  arbiterd exit status after
SIGTERM: $ARC.
MD
