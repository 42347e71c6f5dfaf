#!/usr/bin/env bash
# policy_examples.sh -- every example written in the shipped packs
# (policies/default, policies/examples/ua-2022-revised) must decide as it
# says when run through the full engine by `arbiter policy test`.
#
# SKIP rule: until the analyzer lands the engine finds no statement; the
# script skips (exit 0, "SKIP: ...") only when a plain threat ("I will kill
# you") yields no statement.  Otherwise every example must pass.
set -u
: "${ARBITER:?ARBITER must point at the arbiter binary}"
: "${ARB_SOURCE_DIR:?ARB_SOURCE_DIR must point at the repository}"
cd "$ARB_SOURCE_DIR" || exit 1
probe=$(echo '{"id":"p","text":"I will kill you","author_country":"US","created_at":"2023-01-01T00:00:00Z"}' \
        | "$ARBITER" scan 2>/dev/null | jq -r '.statements | length' 2>/dev/null)
if [ -z "$probe" ] || [ "$probe" = "0" ] || [ "$probe" = "null" ]; then
    echo "SKIP: analyzer finds no statements yet"
    exit 0
fi
fails=0
for p in policies/default policies/examples/ua-2022-revised; do
    echo "== arbiter policy test $p"
    "$ARBITER" policy test "$p"; rc=$?
    [ $rc -eq 0 ] || fails=$((fails + 1))
done
[ "$fails" -eq 0 ]
