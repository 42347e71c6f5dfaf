#!/usr/bin/env bash
# review_e2e.sh -- the review page end to end in Debian's Chromium: starts
# arbiterd with a test policy that escalates every violent statement, a
# moderator account, a service token and a policy brief; runs
# tests/e2e/review.spec.mjs (playwright-core from npm, installed with `npm ci`
# into a temporary directory; no browser download); then checks the stored
# audit entries with `arbiter audit verify` and counts them.
# SKIPs (exit 0) only when chromium, node/npm or arbiterd is missing.
set -u
A=${ARBITER:?set ARBITER to the arbiter binary}
ARBITERD=${ARBITERD:-$(dirname "$A")/arbiterd}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
for need in "$CHROMIUM" "$(command -v node || true)" "$(command -v npm || true)" "$ARBITERD"; do
  if [ -z "$need" ] || [ ! -x "$need" ]; then
    echo "SKIP: review e2e needs chromium, node, npm and arbiterd (missing: ${need:-node/npm})"
    exit 0
  fi
done
. "$(dirname "$0")/daemon_common.inc"
SQL() { python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print("\n".join("|".join(map(str,x)) for x in c.execute(sys.argv[2])))' "$T/arbiter.db" "$1"; }

PW="pw-$$-$RANDOM"
PWHASH=$(printf '%s' "$PW" | "$ARBITERD" --hash-password)
echo '<h1>Test policy brief</h1><p>Every violent statement goes to a reviewer.</p>' > "$T/brief.html"
write_config <<EOC
policy_brief: brief.html
moderators:
  - {name: alice, password_hash: '$PWHASH'}
EOC
rm -f "$T"/policy/*.yaml
cp "$SRC/tests/e2e/escalate-all.yaml" "$T/policy/"
start_daemon

mkdir -p "$T/e2e" "$T/profile"
cp "$SRC"/tests/e2e/package.json "$SRC"/tests/e2e/package-lock.json "$SRC"/tests/e2e/review.spec.mjs "$T/e2e/"
if ! (cd "$T/e2e" && npm ci --prefer-offline --no-audit --no-fund --loglevel=error >"$T/npm.log" 2>&1); then
  bad "npm ci failed: $(tail -5 "$T/npm.log")"
  finish
fi
if (cd "$T/e2e" && ARB_BASE="$BASE" ARB_SVC_TOKEN="$SVC" ARB_MOD_NAME=alice ARB_MOD_PASSWORD="$PW" \
      ARB_PROFILE="$T/profile" CHROMIUM="$CHROMIUM" timeout 180 node review.spec.mjs); then
  ok
else
  bad "browser test failed"
fi
stop_daemon || bad "arbiterd exit status"

out=$("$A" audit verify --db "$T/arbiter.db"); rc=$?
[ "$rc" = 0 ] && ok || bad "audit verify rc=$rc: $out"
# 3 enqueue, 1 login, 2 claims, 2 verdicts, 1 appeal, 1 logout
case "$out" in "audit chain intact: 10 entries"*) ok ;; *) bad "audit verify: $out" ;; esac
got=$(SQL "SELECT action, actor, coalesce(case_id,''), json_extract(payload,'\$.verdict') FROM audit ORDER BY seq" | tr '\n' ' ')
want="enqueue|arbiterd|1|None enqueue|arbiterd|2|None enqueue|arbiterd|3|None login|alice||None claim|alice|1|None verdict|alice|1|uphold claim|alice|2|None verdict|alice|2|overturn appeal|token:platform|1|None logout|alice||None "
[ "$got" = "$want" ] && ok || bad "audit entries: $got"
[ "$(SQL "SELECT json_extract(payload,'\$.reason') FROM audit WHERE action='verdict' AND case_id=1")" = \
  'Direct threat against a person </textarea><script>alert(9)</script>' ] && ok || bad "verdict reason stored verbatim"
[ "$(SQL "SELECT status FROM cases ORDER BY id" | tr '\n' ' ')" = "appealed decided open " ] && ok || bad "case states"
finish
