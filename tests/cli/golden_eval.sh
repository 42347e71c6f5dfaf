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
# 2026-11-27 (docs/QUALITY.md), rounded down by about 0.02-0.03 so that
# noise does not fail the suite but a real regression does.  Raise them
# when the analyzer improves.
declare -A GOLDEN=(
    [en]="0.97 0.97 0.97" # measured 0.995 0.995 0.995 (1,573 cases)
    [ru]="0.98 0.97 0.98" # measured 1.000 0.999 0.999 (1,405 cases)
    [uk]="0.98 0.97 0.97" # measured 1.000 0.995 0.997 (1,213 cases)
    [pl]="0.98 0.97 0.97" # measured 1.000 0.998 0.999 (1,687 cases)
)
# HateCheck under the default (violence) policy: each in-scope functionality,
# threat recall (measured 1.000) and twins removed (measured 31 of 828,
# 0.037).  The lowest functionality is target_indiv_nh (0.677) with
# target_group_nh (0.839): threats against a person or a non-protected
# group ("I am going to shoot you"), which HateCheck calls non-hateful and a
# violence policy removes (docs/QUALITY.md).  The floor below guards the
# other functionalities (all 1.000) only loosely; the hate-only run guards
# them at the issue's 0.95.
HATECHECK_MIN_SHARE=0.65
HATECHECK_MIN_RECALL=0.97
HATECHECK_MAX_FP_RATE=0.045
# HateCheck under policies/examples/hate-only (HateCheck's own line):
# measured 1.000 on every in-scope functionality, no twin removed.
HATEONLY_MIN_SHARE=0.95
HATEONLY_MIN_RECALL=0.97
HATEONLY_MAX_FP_RATE=0.01
# Gab: recall of removals on cv=1 (measured 0.611 on 2026-11-27) and removals
# among cv=0 (measured 0.29%; the issue's target is at most 2%).
GAB_MIN_RECALL=0.58
GAB_MAX_FP_RATE=0.004

# Holdout sets (tests/holdout/README.md): written apart from the rules;
# measured 2026-11-27 after the names, tag-question and rt9 rounds.
declare -A HOLDOUT=(
    [en]="0.95 0.90 0.93" # measured 1.000 0.946 0.972 (52 cases)
    [ru]="0.95 0.87 0.92" # measured 1.000 0.919 0.958 (122 cases)
    [uk]="0.95 0.89 0.93" # measured 1.000 0.939 0.969 (115 cases)
    [pl]="0.95 0.85 0.90" # measured 1.000 0.890 0.942 (117 cases)
)

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

for lang in en ru uk pl; do
    read -r p r f <<<"${HOLDOUT[$lang]}"
    run "holdout $lang" --min-precision "$p" --min-recall "$r" --min-f1 "$f" \
        "$ARB_TEST_DATA/holdout/$lang.jsonl"
done

if [ -f "$DATA/hatecheck-en/test_suite_annotations.csv" ]; then
    run "HateCheck" --format hatecheck --min-share "$HATECHECK_MIN_SHARE" \
        --min-recall "$HATECHECK_MIN_RECALL" --max-fp-rate "$HATECHECK_MAX_FP_RATE" \
        "$DATA/hatecheck-en/test_suite_annotations.csv"
    run "HateCheck, hate-only pack" --policy "$SRC/policies/examples/hate-only" \
        --format hatecheck --min-share "$HATEONLY_MIN_SHARE" \
        --min-recall "$HATEONLY_MIN_RECALL" --max-fp-rate "$HATEONLY_MAX_FP_RATE" \
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
