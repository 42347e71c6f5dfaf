#!/usr/bin/env bash
# policy_scenarios.sh -- the overlay scenario table (tests/scenarios/overlays.jsonl)
# end to end through `arbiter scan` with the default pack: for EN, RU, UK and PL,
# the same texts inside and outside the overlay countries, before, during and after
# the window; soldiers vs civilians vs heads of state; a head of state with and
# without a location or a means, with and without another target; the floors.
# Each row names the action and the rule it expects.
# Every row must decide as the table says.
set -u
: "${ARBITER:?ARBITER must point at the arbiter binary}"
: "${ARB_TEST_DATA:?ARB_TEST_DATA must point at tests/}"
TABLE="$ARB_TEST_DATA/scenarios/overlays.jsonl"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"$ARBITER" scan < "$TABLE" > "$T/out" 2> "$T/err"
rows=$(grep -c . "$TABLE")
outs=$(grep -c . "$T/out")
fails=0
if [ "$rows" != "$outs" ]; then
    echo "FAIL: $rows rows in, $outs lines out"; fails=$((fails + 1))
fi
# expected and decided, joined by id
jq -r '[.id, .expect.action, .expect.rule, .note] | @tsv' "$TABLE" | sort > "$T/want"
jq -r '[.id, .action, .rule, (.overlay.version // "")] | @tsv' "$T/out" | sort > "$T/got"
pass=0
while IFS=$'\t' read -r id action rule note; do
    got=$(awk -F'\t' -v id="$id" '$1 == id { print $2 "\t" $3 "\t" $4 }' "$T/got")
    gaction=$(printf '%s' "$got" | cut -f1)
    grule=$(printf '%s' "$got" | cut -f2)
    if [ "$gaction" = "$action" ] && [ "$grule" = "$rule" ]; then
        pass=$((pass + 1))
    else
        text=$(jq -r --arg id "$id" 'select(.id == $id) | "\(.text) [\(.author_country) \(.created_at)]"' "$TABLE")
        echo "FAIL: $id ($note): $text: expected $action by $rule, got ${gaction:-nothing} by ${grule:-nothing}"
        fails=$((fails + 1))
    fi
done < "$T/want"
echo "$pass passed, $fails failed"
[ "$fails" -eq 0 ]
