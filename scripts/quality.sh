#!/bin/bash
# usage: scripts/quality.sh build/arbiter > docs/QUALITY.md   (from the repo root; regenerates the measured figures)
A=$1
H=../shared/eval/hatecheck-en/test_suite_annotations.csv
G=../shared/eval/gab-hate-corpus/ghc_train.tsv
commit=$(git rev-parse --short=12 HEAD)
dirty=$(git status --porcelain --untracked-files=no src lexicons policies cli include | wc -l)
cat <<EOF
# Quality: measured figures

What the engine achieves on our golden sets (tests/golden/cases, 150+ hand-written cases per
language) and on two public English sets, measured with \`arbiter eval\`. docs/eval.md defines the
formats and the figures: the positive class is *expected remove or escalate*, and a positive case
counts as found only when it is decided exactly as expected. tests/cli/golden_eval.sh runs the same
evaluations in the test suite with thresholds set a little below these figures.

**Measured $(date -u '+%Y-%m-%d %H:%M UTC') at commit \`$commit\`$( [ "$dirty" -gt 0 ] && echo " (the working tree had uncommitted changes in src/, lexicons/, policies/ or cli/)")**, with the embedded default policy
($("$A" check --json x 2>/dev/null | jq -r '.policy | "\(.id) \(.version), hash \(.hash[0:12])"' 2>/dev/null)) and the
binary built from that tree. The analyzer is still being written: re-run and update this file when it changes.

## How to reproduce

\`\`\`sh
cmake -S . -B build && make -C build -j2
for l in en ru uk pl; do build/arbiter eval tests/golden/cases/\$l.jsonl; done   # text reports with failures
cat tests/golden/cases/{en,ru,uk,pl}.jsonl | build/arbiter eval --markdown -    # the tables below
build/arbiter eval --markdown --format hatecheck $H
build/arbiter eval --markdown --format gab $G
(cd build && ctest -R golden_eval --output-on-failure)                           # with thresholds
\`\`\`

## Summary

| set | cases | decided as expected | precision | recall | F1 |
| --- | ---: | ---: | ---: | ---: | ---: |
EOF
row() {
    jq -r --arg n "$1" '[$n, .cases, .passed, (.overall.precision // -1), (.overall.recall // -1), (.overall.f1 // -1)] | @tsv' |
        awk -F'\t' 'function f(x) { return x < 0 ? "-" : sprintf("%.3f", x) }
            { printf "| %s | %d | %d (%.1f%%) | %s | %s | %s |\n", $1, $2, $3, 100 * $3 / $2, f($4), f($5), f($6) }'
}
for l in en ru uk pl; do "$A" eval --json --failures 0 tests/golden/cases/$l.jsonl 2>/dev/null | row "golden $l"; done
cat tests/golden/cases/{en,ru,uk,pl}.jsonl | "$A" eval --json --failures 0 - 2>/dev/null | row "golden, all four"
for l in en ru uk pl; do [ -f tests/holdout/$l.jsonl ] && "$A" eval --json --failures 0 tests/holdout/$l.jsonl 2>/dev/null | row "holdout $l (tests/holdout)"; done
"$A" eval --json --failures 0 --format hatecheck $H 2>/dev/null | row "HateCheck, threats and their twins"
"$A" eval --json --failures 0 --format gab $G 2>/dev/null | row "Gab Hate Corpus (positive: cv=1, removed)"
echo
echo "## Golden sets, all four languages together"
echo
echo "*recognised*: among the violating cases that list the type (class), how many decisions contained"
echo "a statement of that type (a target of that class). A case counts in every type and class it lists."
echo
cat tests/golden/cases/{en,ru,uk,pl}.jsonl | "$A" eval --markdown - | sed '1s/.*/### Golden sets: cases from stdin (en, ru, uk, pl)/'
echo
echo "## HateCheck (English functional tests)"
echo
echo "Threats (threat_dir_h, threat_norm_h) must be removed; their non-hateful twins must not be"
echo "(allow, escalate or restrict all count as correct). Target: at least 95% on each."
echo
"$A" eval --markdown --format hatecheck $H | sed "1s|.*|### $H|"
echo
echo "### The same, under the example pack policies/examples/hate-only"
echo
echo "A platform that acts only on violent hate speech (threats against protected groups and peoples)"
echo "draws HateCheck's line: threats against individuals and non-protected groups are allowed there."
echo
"$A" eval --markdown --policy policies/examples/hate-only --format hatecheck $H | sed "1s|.*|#### $H (hate-only pack)|"
echo
echo "## Gab Hate Corpus (training split, real posts)"
echo
echo "Targets: recall on cv=1 at least 0.7, removals among cv=0 at most 2%."
echo
"$A" eval --markdown --format gab $G | sed "1s|.*|### $G|"
