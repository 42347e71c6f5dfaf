#!/usr/bin/env bash
# policy_examples.sh -- every example written in the shipped packs
# (policies/default, policies/examples/ua-2022-revised) must decide as it
# says when run through the full engine by `arbiter policy test`.
# Every example must pass.
set -u
: "${ARBITER:?ARBITER must point at the arbiter binary}"
: "${ARB_SOURCE_DIR:?ARB_SOURCE_DIR must point at the repository}"
cd "$ARB_SOURCE_DIR" || exit 1
fails=0
for p in policies/default policies/examples/*/; do
    p=${p%/}
    echo "== arbiter policy test $p"
    "$ARBITER" policy test "$p"; rc=$?
    [ $rc -eq 0 ] || fails=$((fails + 1))
done
[ "$fails" -eq 0 ]
