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
# 2026-11-26 (docs/QUALITY.md), rounded down by about 0.02-0.03 so that
# noise does not fail the suite but a real regression does.  Raise them
# when the analyzer improves.
declare -A GOLDEN=(
    [en]="0.97 0.96 0.97" # measured 0.997 0.985 0.991 (622 cases)
    [ru]="0.98 0.97 0.98" # measured 1.000 0.998 0.999 (707 cases)
    [uk]="0.98 0.97 0.97" # measured 1.000 0.990 0.995 (609 cases)
    [pl]="0.98 0.97 0.97" # measured 1.000 0.993 0.996 (628 cases)
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
# Gab: recall of removals on cv=1 (measured 0.557) and removals among cv=0
# (measured 0.37%; the issue's target is at most 2%).
GAB_MIN_RECALL=0.53
GAB_MAX_FP_RATE=0.006

# Holdout sets (tests/holdout/README.md): written apart from the rules;
# measured 2026-11-26 at the end of the afternoon rounds.
declare -A HOLDOUT=(
    [en]="0.95 0.87 0.91" # measured 1.000 0.919 0.958 (52 cases)
    [ru]="0.95 0.86 0.91" # measured 1.000 0.907 0.951 (122 cases)
    [uk]="0.95 0.88 0.92" # measured 1.000 0.927 0.962 (115 cases)
    [pl]="0.95 0.83 0.89" # measured 1.000 0.878 0.935 (117 cases)
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
