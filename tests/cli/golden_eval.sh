# golden_eval.sh -- quality regression guard: runs `arbiter eval` on our
# golden sets (tests/golden/cases/{en,ru,uk,pl}.jsonl) and on the external
# HateCheck and Gab sets, each with thresholds a little below what the
# engine achieved when they were last set (see docs/QUALITY.md).  A drop
# below a threshold, or an unreadable case, fails the test.
#
# The external sets live outside
# the repository (ARB_EVAL_DATA, default ../shared/eval next to the source
# tree); when they are absent those parts are skipped with a message.
set -u
: "${ARBITER:?ARBITER must point at the arbiter binary}"
: "${ARB_TEST_DATA:?ARB_TEST_DATA must point at tests/}"
SRC=${ARB_SOURCE_DIR:-$ARB_TEST_DATA/..}
DATA=${ARB_EVAL_DATA:-$SRC/../shared/eval}

# Thresholds: "precision recall f1" per language (positive class: expected
# remove or escalate; see docs/eval.md).  Set from the figures measured on
# 2026-11-26 (docs/QUALITY.md), rounded down by about 0.03-0.05 so that
# noise does not fail the suite but a real regression does.  Raise them
# when the analyzer improves.
declare -A GOLDEN=(
    [en]="0.94 0.77 0.85" # measured 0.978 0.804 0.882
    [ru]="0.96 0.75 0.85" # measured 1.000 0.792 0.884
    [uk]="0.95 0.75 0.84" # measured 0.988 0.786 0.876
    [pl]="0.95 0.74 0.83" # measured 0.987 0.780 0.872
)
# HateCheck: each in-scope functionality (lowest measured: target_indiv_nh
# 0.723), threat recall (0.967) and twins removed (0.033 of 828).  The
# issue's target is 0.95 on each; these guard against regressions only.
HATECHECK_MIN_SHARE=0.68
HATECHECK_MIN_RECALL=0.92
HATECHECK_MAX_FP_RATE=0.05
# Gab: recall of removals on cv=1 (measured 0.282) and removals among cv=0
# (measured 0.33%; the issue's target is at most 2%).
GAB_MIN_RECALL=0.24
GAB_MAX_FP_RATE=0.01


fails=0
run() { # run WHAT ARGS...
    local what=$1
    shift
    echo "== $what: arbiter eval $*"
    "$ARBITER" eval --failures 15 "$@" >"$OUT" 2>&1
    local rc=$?
    # the summary, the Gab targets, the thresholds and the counts line
    awk '/^thresholds$/ { t = 1 }
         t || /^cases:|^  precision|^  recall on|^  cv=0 posts/ { print "   " $0 }' "$OUT"
    if [ "$rc" -ne 0 ]; then
        echo "FAIL: $what (exit $rc); full report:"
        sed 's/^/   | /' "$OUT"
        fails=$((fails + 1))
    fi
}
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT

for lang in en ru uk pl; do
    read -r p r f <<<"${GOLDEN[$lang]}"
    run "golden $lang" --min-precision "$p" --min-recall "$r" --min-f1 "$f" \
        "$ARB_TEST_DATA/golden/cases/$lang.jsonl"
done

if [ -f "$DATA/hatecheck-en/test_suite_annotations.csv" ]; then
    run "HateCheck" --format hatecheck --min-share "$HATECHECK_MIN_SHARE" \
        --min-recall "$HATECHECK_MIN_RECALL" --max-fp-rate "$HATECHECK_MAX_FP_RATE" \
        "$DATA/hatecheck-en/test_suite_annotations.csv"
else
    echo "SKIP: HateCheck data not found under $DATA (set ARB_EVAL_DATA)"
fi

if [ -f "$DATA/gab-hate-corpus/ghc_train.tsv" ]; then
    run "Gab Hate Corpus" --format gab --min-recall "$GAB_MIN_RECALL" \
        --max-fp-rate "$GAB_MAX_FP_RATE" "$DATA/gab-hate-corpus/ghc_train.tsv"
else
    echo "SKIP: Gab Hate Corpus data not found under $DATA (set ARB_EVAL_DATA)"
fi

if [ "$fails" -ne 0 ]; then
    echo "$fails evaluation(s) below their thresholds"
    exit 1
fi
echo "all evaluations met their thresholds"
