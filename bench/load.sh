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

# run_wrk URL SCRIPT CONNS SECONDS PAUSE_MS -> "rps p50_ms p99_ms requests errors"
run_wrk() {
  local out
  out=$(pin_client wrk -t"$WRK_THREADS" -c"$3" -d"$4"s --latency -s "$2" "$1" -- "$TOKEN" "$5" 2>&1)
  echo "$out" >> "$T/wrk.log"
  python3 - "$out" <<'PY'
import re, sys
o = sys.argv[1]
def ms(tag):
    m = re.search(r"^\s*%s\s+([0-9.]+)(us|ms|s)\s*$" % re.escape(tag), o, re.M)
    if not m: return float("nan")
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == "us" else v * 1000 if u == "s" else v
rps = float(re.search(r"Requests/sec:\s+([0-9.]+)", o).group(1))
req = int(re.search(r"(\d+) requests in", o).group(1))
err = 0
m = re.search(r"Non-2xx or 3xx responses: (\d+)", o)
if m: err += int(m.group(1))
m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", o)
if m: err += sum(int(x) for x in m.groups())
print("%.0f %.3f %.3f %d %d" % (rps, ms("50%"), ms("99%"), req, err))
PY
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
read -r N_RPS N_P50 N_P99 N_REQ N_ERR < <(run_wrk "http://127.0.0.1:$NPORT/" "$T/get.lua" "$CONNS" "$DURATION" 0)
# connections for a target rate R with a pause of about 10 ms each (wrk's
# delay() has 1 ms resolution): C = R * 10 / 1000, at least 4; the pause
# leaves about 0.5 ms for the request itself
conns_for() { python3 -c "import math; print(max(4, math.ceil($1 * 0.010)))"; }
pause_for() { python3 -c "print(max(1, round($2 * 1000 / $1 - 0.5)))"; }
HALF_C=$(conns_for "$(python3 -c "print($N_RPS / 2)")")
N_PAUSE=$(pause_for "$(python3 -c "print($N_RPS / 2)")" "$HALF_C")
log "nginx: ~50% load ($HALF_C connections, ${N_PAUSE} ms pause)"
read -r NH_RPS NH_P50 NH_P99 NH_REQ NH_ERR < <(run_wrk "http://127.0.0.1:$NPORT/" "$T/get.lua" "$HALF_C" "$DURATION" "$N_PAUSE")
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
read -r A_RPS A_P50 A_P99 A_REQ A_ERR < <(run_wrk "http://127.0.0.1:$APORT" "$T/check.lua" "$CONNS" "$DURATION" 0)
AH_C=$(conns_for "$(python3 -c "print($A_RPS / 2)")")
A_PAUSE=$(pause_for "$(python3 -c "print($A_RPS / 2)")" "$AH_C")
log "arbiterd: ~50% load ($AH_C connections, ${A_PAUSE} ms pause)"
read -r AH_RPS AH_P50 AH_P99 AH_REQ AH_ERR < <(run_wrk "http://127.0.0.1:$APORT" "$T/check.lua" "$AH_C" "$DURATION" "$A_PAUSE")
AL_C=$(conns_for "$(python3 -c "print($A_RPS / 10)")")
A_LOW_PAUSE=$(pause_for "$(python3 -c "print($A_RPS / 10)")" "$AL_C")
log "arbiterd: ~10% load ($AL_C connections, ${A_LOW_PAUSE} ms pause)"
read -r AL_RPS AL_P50 AL_P99 AL_REQ AL_ERR < <(run_wrk "http://127.0.0.1:$APORT" "$T/check.lua" "$AL_C" "$DURATION" "$A_LOW_PAUSE")

# --- memory over REQUESTS requests ---
MEM_DONE=0; RSS_BEFORE=$(rss_kb "$APID"); RSS_MID=; MEM_ERR=0
if [ "$REQUESTS" -gt 0 ]; then
  log "arbiterd: $REQUESTS requests for the memory check (about $(python3 -c "print(round($REQUESTS / $A_RPS))") s)"
  while [ "$MEM_DONE" -lt "$REQUESTS" ]; do
    left=$((REQUESTS - MEM_DONE))
    secs=$(python3 -c "print(max(2, min(60, round($left / $A_RPS + 1))))")
    read -r _ _ _ r e < <(run_wrk "http://127.0.0.1:$APORT" "$T/check.lua" "$CONNS" "$secs" 0)
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
arbiterd: 2 worker threads, database_sync=$SYNC, every request a new post stored in SQLite.

| server | load | requests/s | p50 ms | p99 ms | errors |
| --- | --- | ---: | ---: | ---: | ---: |
| nginx static JSON | saturation | $N_RPS | $N_P50 | $N_P99 | $N_ERR |
| nginx static JSON | ~50%: $HALF_C conns, pause $N_PAUSE ms | $NH_RPS | $NH_P50 | $NH_P99 | $NH_ERR |
| arbiterd /v1/check | saturation | $A_RPS | $A_P50 | $A_P99 | $A_ERR |
| arbiterd /v1/check | ~50%: $AH_C conns, pause $A_PAUSE ms | $AH_RPS | $AH_P50 | $AH_P99 | $AH_ERR |
| arbiterd /v1/check | ~10%: $AL_C conns, pause $A_LOW_PAUSE ms | $AL_RPS | $AL_P50 | $AL_P99 | $AL_ERR |

Memory (arbiterd VmRSS): at start $RSS_START kB, after warm-up $RSS_WARM kB, before the long run
$RSS_BEFORE kB, half-way ${RSS_MID:-n/a} kB, after $MEM_DONE more requests $RSS_AFTER kB (peak $HWM kB);
errors in the long run: $MEM_ERR.  Decision log: $DB_ROWS rows, $DB_MB MB.  arbiterd exit status after
SIGTERM: $ARC.
MD
