#!/usr/bin/env bash
# arbiterd configuration: mistakes name FILE:LINE:COL and stop the daemon
# before it listens (exit 3); a broken policy at start-up is named the same
# way; secrets are accepted only as hashes; flags override the file.
. "$(dirname "$0")/daemon_common.inc"

# cfg_err EXPECTED-REGEX: run --check-config on $T/bad.yaml
cfg_err() {
  "$ARBITERD" -c "$T/bad.yaml" --check-config >"$T/out" 2>&1; local rc=$?
  if [ $rc -eq 3 ] && grep -Eq "$1" "$T/out"; then ok; else bad "want exit 3 and /$1/, got $rc: $(cat "$T/out")"; fi
}
printf 'listen: 127.0.0.1:8080\nthreads: 2\nlimits:\n  body_bytes: 2048\n  bogus: 1\n' > "$T/bad.yaml"
cfg_err 'bad\.yaml:5:3: unknown key "limits\.bogus"'
printf 'threads: lots\n' > "$T/bad.yaml"
cfg_err 'bad\.yaml:1:10: "threads" must be a whole number'
printf 'listen: nowhere\n' > "$T/bad.yaml"
cfg_err 'bad\.yaml:1:9: "listen" must be'
printf 'tokens:\n  - name: a\n    role: service\n    token: plain-secret\n' > "$T/bad.yaml"
cfg_err 'bad\.yaml:4:5: plain tokens are not accepted'
printf 'tokens:\n  - {name: a, role: root, sha256: %s}\n' "$(hash_tok x)" > "$T/bad.yaml"
cfg_err 'bad\.yaml:2:21: token "a": role "root" is not service, moderator or admin'
printf 'tokens:\n  - {name: a, role: admin, sha256: 1234}\n' > "$T/bad.yaml"
cfg_err 'needs "sha256": 64 lowercase hex digits'
printf 'moderators:\n  - {name: bob, password_hash: hunter2}\n' > "$T/bad.yaml"
cfg_err 'moderator "bob" needs "password_hash"'
printf 'listen: [1, 2\n' > "$T/bad.yaml"
cfg_err 'bad\.yaml:[0-9]+:[0-9]+: YAML syntax error'
printf 'log_level: loud\n' > "$T/bad.yaml"
cfg_err 'bad\.yaml:1:12: "log_level" must be'
printf 'database_sync: normal\nwal_rewind_mb: 0\n' > "$T/bad.yaml"
cfg_err 'bad\.yaml:2:16: "wal_rewind_mb" must be a whole number from 1 to 65536'
printf 'commit_batch: many\n' > "$T/bad.yaml"
cfg_err 'bad\.yaml:1:15: "commit_batch" must be a whole number from 1 to 1000000'

# a broken policy at start-up: named, and the daemon does not start
mkdir -p "$T/badpol"; cp "$SRC"/policies/default/*.yaml "$T/badpol/"
printf 'oops: [\n' >> "$T/badpol/10-base.yaml"
printf 'policy: badpol\n' > "$T/bad.yaml"
cfg_err 'badpol/10-base\.yaml:[0-9]+:[0-9]+: '
printf 'policy: no-such-dir\n' > "$T/bad.yaml"
cfg_err 'no-such-dir: No such file'

# a good file; relative paths resolve against the file's directory
write_config </dev/null
"$ARBITERD" -c "$T/arbiterd.yaml" --check-config > "$T/out" 2>&1 && grep -q '3 tokens' "$T/out" && ok || bad "good config: $(cat "$T/out")"
# the decision-log settings: defaults, then values from the file
grep -q 'WAL rewound past 256 MB, group commits of up to 512 decisions' "$T/out" && ok || bad "decision-log defaults: $(cat "$T/out")"
printf 'wal_rewind_mb: 300\ncommit_batch: 64\n' >> "$T/arbiterd.yaml"
"$ARBITERD" -c "$T/arbiterd.yaml" --check-config > "$T/out" 2>&1 && grep -q 'WAL rewound past 300 MB, group commits of up to 64 decisions' "$T/out" && ok || bad "decision-log settings: $(cat "$T/out")"

# the documented example is a valid configuration and names every key
"$ARBITERD" -c "$SRC/etc/arbiterd.example.yaml" --check-config > "$T/out" 2>&1 && ok || bad "example config: $(cat "$T/out")"
for k in listen threads policy policy_brief database database_sync wal_rewind_mb commit_batch \
         log_level secure_cookies \
         limits body_bytes batch_posts text_bytes connections connection_timeout_s \
         request_timeout_ms shutdown_grace_s tokens name role sha256 moderators password_hash; do
  grep -Eq "^[# ]*(- )?$k:" "$SRC/etc/arbiterd.example.yaml" && ok || bad "example config does not document $k"
done

# secrets helpers
h=$(printf 'correct horse\n' | "$ARBITERD" --hash-password)
[[ "$h" == '$y$'* ]] && ok || bad "--hash-password gave $h"
h2=$(printf 'correct horse\n' | "$ARBITERD" --hash-password)
[ "$h" != "$h2" ] && ok || bad "--hash-password reuses its salt"
[ "$(printf 'abc' | "$ARBITERD" --hash-token)" = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad ] && ok || bad "--hash-token is not SHA-256"
printf '' | "$ARBITERD" --hash-password >/dev/null 2>&1; [ $? -eq 2 ] && ok || bad "empty password accepted"

# flags: unknown flag is a usage error; --listen overrides the file
"$ARBITERD" --frobnicate >/dev/null 2>&1; [ $? -eq 2 ] && ok || bad "unknown flag not exit 2"
P2=$(free_port)
"$ARBITERD" -c "$T/arbiterd.yaml" --listen "127.0.0.1:$P2" 2>>"$T/log" &
DPID=$!
for _ in $(seq 1 200); do curl -sf -o /dev/null "http://127.0.0.1:$P2/healthz" && break; sleep 0.05; done
curl -sf -o /dev/null "http://127.0.0.1:$P2/healthz" && ok || bad "--listen did not override the file"
# the port is taken now: a second daemon fails cleanly (exit 4)
"$ARBITERD" -c "$T/arbiterd.yaml" --listen "127.0.0.1:$P2" --db "$T/other.db" > "$T/out" 2>&1; rc=$?
[ $rc -eq 4 ] && grep -q "cannot listen" "$T/out" && ok || bad "port in use: exit $rc: $(cat "$T/out")"
stop_daemon && ok || bad "stop"
finish
