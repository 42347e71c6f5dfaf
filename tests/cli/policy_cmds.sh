#!/usr/bin/env bash
# policy_cmds.sh -- `arbiter policy lint | explain | diff | brief | test` and
# `arbiter simulate` on the shipped packs (policies/default and
# policies/examples/ua-2022-revised) and on small broken packs: exit codes,
# FILE:LINE:COL diagnostics, the rules and overlay versions in force for a
# country and time, the revisions rule by rule, the moderator brief, and the
# examples run through the full engine.
set -u
: "${ARBITER:?ARBITER must point at the arbiter binary}"
: "${ARB_SOURCE_DIR:?ARB_SOURCE_DIR must point at the repository}"
cd "$ARB_SOURCE_DIR" || exit 1
DEF=policies/default
REV=policies/examples/ua-2022-revised
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
has() { grep -qF -- "$2" "$1" && ok "$3" || { bad "$3: no \"$2\" in:"; sed 's/^/    /' "$1" | head -40; }; }
hasnt() { grep -qF -- "$2" "$1" && { bad "$3: unexpected \"$2\""; } || ok "$3"; }

# ---- --help ----
for sub in lint explain diff brief test; do
    "$ARBITER" policy "$sub" --help > "$T/h" 2>&1; rc=$?
    [ $rc -eq 0 ] && grep -q "explain PATH --country CC --at TIME" "$T/h" && ok "policy $sub --help" \
        || bad "policy $sub --help (rc $rc)"
done
"$ARBITER" simulate --help > "$T/h" 2>&1 && grep -q -- "--baseline OLD --candidate NEW" "$T/h" \
    && ok "simulate --help" || bad "simulate --help"
"$ARBITER" policy frobnicate > /dev/null 2>&1; [ $? -eq 2 ] && ok "unknown subcommand: exit 2" || bad "unknown subcommand"

# ---- lint ----
for p in $DEF $REV; do
    "$ARBITER" policy lint "$p" > "$T/lint" 2>&1; rc=$?
    [ $rc -eq 0 ] && ok "lint $p exit 0" || bad "lint $p exit $rc"
    has "$T/lint" "0 errors, 0 warnings" "lint $p is clean"
done
mkdir -p "$T/broken"
cat > "$T/broken/pack.yaml" <<'YAML'
pack: {id: broken, version: "1"}
rules:
  - id: base.call
    condition: {types: [call_to_action], colour: red}
    action: remove
    reason: r
  - id: base.narrow
    condition: {types: [call_to_action], min_severity: high}
    action: escalate
    reason: r
overlays:
  - id: o
    temporary: true
    start: 2022-03-10T00:00:00Z
    versions:
      - version: "1"
        countries: [UA, XX]
        rules:
          - {id: o.allow, overrides: base.call, action: allow, reason: r}
YAML
"$ARBITER" policy lint "$T/broken" > "$T/lint" 2>&1; rc=$?
[ $rc -eq 1 ] && ok "lint broken: exit 1" || bad "lint broken: exit $rc"
has "$T/lint" "$T/broken/pack.yaml:4:42: error: unknown key \"colour\"" "lint: unknown key with position"
has "$T/lint" "$T/broken/pack.yaml:17:25: error: unknown country code \"XX\"" "lint: unknown country with position"
has "$T/lint" "$T/broken/pack.yaml:12:5: error: overlay \"o\" is temporary and must have an \"end\"" "lint: temporary without end"
has "$T/lint" "3 errors" "lint: all errors counted"
# the same pack, fixed: warnings only, exit 0
sed -e 's/, colour: red//' -e 's/UA, XX/UA/' -e 's/^    temporary: true$/    temporary: false/' "$T/broken/pack.yaml" > "$T/warn.yaml"
"$ARBITER" policy lint "$T/warn.yaml" > "$T/lint" 2>&1; rc=$?
[ $rc -eq 0 ] && ok "lint warnings only: exit 0" || bad "lint warnings only: exit $rc"
has "$T/lint" "warning: rule \"base.narrow\" is shadowed by rule \"base.call\"" "lint: shadowed rule"
has "$T/lint" "warning: overlay \"o\" has no end" "lint: overlay without end"
# a loader error stops every other command with exit 3
"$ARBITER" policy explain "$T/broken" --country UA --at 2022-03-12T00:00:00Z > /dev/null 2> "$T/err"; rc=$?
[ $rc -eq 3 ] && ok "explain broken: exit 3" || bad "explain broken: exit $rc"
has "$T/err" "pack.yaml:4:42:" "explain broken names file:line:col"

# ---- explain ----
"$ARBITER" policy explain $DEF --country UA --at 2022-03-12T00:00:00Z > "$T/ex" 2>&1 || bad "explain UA exit"
has "$T/ex" "overlays) in force here and now: 2" "explain UA: two overlays"
has "$T/ex" "ua-2022-soldiers, version 1" "explain UA: soldiers v1"
has "$T/ex" "ua-2022-heads-of-state, version 1" "explain UA: heads v1"
has "$T/ex" "Overridden here and now by ua-2022-soldiers.allow" "explain UA: override shown on the base rule"
has "$T/ex" "end assumed" "explain: the assumed end is said"
"$ARBITER" policy explain $DEF --country LT --at 2022-03-12T00:00:00Z > "$T/ex" 2>&1
has "$T/ex" "in force here and now: 1" "explain LT: soldiers only"
has "$T/ex" "not in force: ua-2022-heads-of-state, because it does not cover this country" "explain LT: why not heads"
"$ARBITER" policy explain $DEF --country DE --at 2022-03-12T00:00:00Z > "$T/ex" 2>&1
has "$T/ex" "in force here and now: 0" "explain DE: none"
"$ARBITER" policy explain $DEF --country UA --at 2022-07-01T00:00:00Z > "$T/ex" 2>&1
has "$T/ex" "because it has ended" "explain after the window"
"$ARBITER" policy explain $REV --country UA --at 2022-03-13T00:00:00Z > "$T/ex" 2>&1
has "$T/ex" "ua-2022-heads-of-state, version 3" "explain revised 13 March: heads v3"
has "$T/ex" "revoked: ua-2022-heads-of-state.allow" "explain revised: revoked sub-rule"
"$ARBITER" policy explain $REV --country PL --at 2022-03-12T00:00:00Z > "$T/ex" 2>&1
has "$T/ex" "in force here and now: 0" "explain revised PL on 12 March: nothing"
"$ARBITER" policy explain $DEF --country UA --at yesterday > /dev/null 2>&1; [ $? -eq 2 ] \
    && ok "explain bad time: exit 2" || bad "explain bad time"

# ---- diff ----
"$ARBITER" policy diff $DEF $REV > "$T/diff" 2>&1 || bad "diff exit"
has "$T/diff" "+ overlay ua-2022-soldiers version 2: 2022-03-11T00:00:00Z .. 2022-03-13T00:00:00Z, countries UA" "diff: soldiers v2"
has "$T/diff" "+ overlay ua-2022-heads-of-state version 3: 2022-03-13T00:00:00Z .. 2022-06-08T00:00:00Z, countries UA, revokes ua-2022-heads-of-state.allow" "diff: heads revoked"
grep -Eq '^  [~+-] base\.' "$T/diff" && bad "diff: base rules reported as changed" || ok "diff: base rules unchanged"
"$ARBITER" policy diff $DEF $DEF > "$T/diff" 2>&1
has "$T/diff" "identical" "diff of a pack with itself"

# ---- brief ----
"$ARBITER" policy brief $DEF $REV > "$T/brief" 2>&1 || bad "brief exit"
has "$T/brief" "No longer covered: AM,AZ,EE,GE,HU,LV,LT,PL,RO,RU,SK." "brief: narrowed to UA"
has "$T/brief" "REVOKED: ua-2022-heads-of-state.allow. From 2022-03-13T00:00:00Z this is remove again" "brief: revoked"
has "$T/brief" "NARROWED: ua-2022-soldiers.allow" "brief: tightened condition"
has "$T/brief" "e.g. \"Смерть Путіну\"" "brief: examples from the policy"

# ---- test ----
cat > "$T/ex.yaml" <<'YAML'
pack: {id: ex, version: "1"}
rules:
  - id: base.call
    condition: {types: [call_to_action]}
    action: remove
    reason: r
    examples:
      - {text: "What a lovely morning", country: US, at: 2023-01-01T00:00:00Z, expect: allow,
         rule: default.allow}
      - {text: "The cat sat on the mat", country: PL, at: 2023-01-01T00:00:00Z, expect: allow}
YAML
"$ARBITER" policy test "$T/ex.yaml" > "$T/t" 2>&1; rc=$?
[ $rc -eq 0 ] && ok "test: passing examples exit 0" || bad "test: exit $rc"
has "$T/t" "2 passed, 0 failed" "test: closing line"
sed 's/expect: allow}/expect: remove}/' "$T/ex.yaml" > "$T/ex2.yaml"
"$ARBITER" policy test "$T/ex2.yaml" > "$T/t" 2>&1; rc=$?
[ $rc -eq 1 ] && ok "test: failing example exit 1" || bad "test: exit $rc"
has "$T/t" "1 passed, 1 failed" "test: failure counted"
has "$T/t" "FAIL $T/ex2.yaml:10:9 [base.call] \"The cat sat on the mat\"" "test: failure names the example"
# the shipped packs: the closing line (whether the examples pass is
# tests/cli/policy_examples.sh)
for p in $DEF $REV; do
    "$ARBITER" policy test "$p" > "$T/t" 2>&1
    line=$(tail -n 1 "$T/t")
    if printf '%s' "$line" | grep -Eq '^[0-9]+ passed, [0-9]+ failed$'; then ok "test $p: $line"; else bad "test $p: last line \"$line\""; fi
done
probe=$(echo '{"id":"p","text":"I will kill you","author_country":"US","created_at":"2023-01-01T00:00:00Z"}' \
        | "$ARBITER" scan 2>/dev/null | jq -r '.statements | length' 2>/dev/null)

# ---- simulate ----
jq -c 'del(.expect, .note)' "$ARB_SOURCE_DIR/tests/scenarios/overlays.jsonl" > "$T/corpus.jsonl"
echo 'not json' >> "$T/corpus.jsonl"
"$ARBITER" simulate --baseline $DEF --candidate $REV "$T/corpus.jsonl" > "$T/sim" 2>&1; rc=$?
[ $rc -eq 1 ] && ok "simulate: a bad record gives exit 1" || bad "simulate exit $rc"
has "$T/sim" "records: 89, decided: 88, errors: 1" "simulate: counts every record"
has "$T/sim" "flips by country (author):" "simulate: by country"
if [ -n "$probe" ] && [ "$probe" != "0" ]; then
    # Смерть окупантам from PL on 12 March: allowed by v1 of the seed, removed once the
    # revised pack limits the allowance to Ukraine
    has "$T/sim" "allow -> remove" "simulate: the revisions flip allowed posts to removed"
fi
"$ARBITER" simulate --baseline $DEF "$T/corpus.jsonl" > /dev/null 2>&1; [ $? -eq 2 ] \
    && ok "simulate without candidate: exit 2" || bad "simulate usage"

echo "$fails failure(s)"
[ "$fails" -eq 0 ]
