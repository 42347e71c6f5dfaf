# eval_formats.sh -- the input readers of `arbiter eval`, on small inline
# samples: HateCheck CSV (quoted fields, doubled quotes, commas and newlines
# inside quotes, CRLF), Gab TSV (multi-line quoted fields, tabs inside
# quotes), labeled JSON Lines; and that unreadable lines and rows are
# reported with their line numbers and counted as failed, never dropped.
#
# The checks do not depend on what the analyzer decides: they use counts
# (every case is either passed or failed), error reports, and the text of
# cases that no violence engine can remove (expected "remove" on a harmless
# text, so they always appear among the failures with their parsed text).
set -u
: "${ARBITER:?ARBITER must point at the arbiter binary}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
expect_rc() { # expect_rc WANT GOT WHAT
    if [ "$1" = "$2" ]; then ok "$3 (exit $2)"; else bad "$3: exit $2, wanted $1"; fi
}
has() { # has FILE FIXED-STRING WHAT
    if grep -qF -- "$2" "$1"; then ok "$3"; else bad "$3: no '$2' in $1:"; sed 's/^/    /' "$1"; fi
}
jnum() { jq -r "$2" "$1" 2>/dev/null; }

# ---------------- HateCheck CSV ----------------
# Line numbers (physical): 1 header; 2 threat case with quoted comma and
# doubled quotes; 3-4 a quoted field spanning two lines; 5 a row with too
# few fields (error); 6 a bad label (error); 7 an out-of-scope
# functionality (not counted); 8 a twin; 9 CRLF row.
printf '%s\n' \
    ',functionality,case_id,templ_id,test_case,label_gold' \
    '0,threat_dir_h,101,1,"Tea, ""biscuits"" and scones.",hateful' \
    '1,threat_norm_h,102,1,"A walk by the river,' \
    'then lunch.",hateful' \
    '2,threat_dir_h,103,1,short row' \
    '3,negate_neg_nh,104,1,I like cats.,maybe' \
    '4,slur_h,105,1,Some out of scope text.,hateful' \
    '5,ident_pos_nh,106,1,"I love my neighbours, all of them.",non-hateful' >"$T/hc.csv"
printf '6,target_obj_nh,107,1,Pencils are great.,non-hateful\r\n' >>"$T/hc.csv"

"$ARBITER" eval --format hatecheck --json --failures 50 "$T/hc.csv" >"$T/hc.json" 2>"$T/hc.err"
rc=$?
expect_rc 1 "$rc" "hatecheck sample with bad rows exits 1"
[ "$(jnum "$T/hc.json" .cases)" = 6 ] && ok "hatecheck: 6 counted cases (2 errors + 4 in scope)" ||
    bad "hatecheck: cases = $(jnum "$T/hc.json" .cases), wanted 6"
[ "$(jnum "$T/hc.json" .errors)" = 2 ] && ok "hatecheck: 2 unreadable rows" ||
    bad "hatecheck: errors = $(jnum "$T/hc.json" .errors), wanted 2"
has "$T/hc.err" "hc.csv:5:" "hatecheck: short row reported with its line"
has "$T/hc.err" "hc.csv:6:" "hatecheck: bad label reported with its line"
has "$T/hc.json" 'Tea, \"biscuits\" and scones.' "hatecheck: quoted comma and doubled quotes parsed"
has "$T/hc.json" 'A walk by the river, then lunch.' "hatecheck: newline inside quotes kept in one field"
has "$T/hc.json" '"hc-101"' "hatecheck: case_id used as id"
[ "$(jnum "$T/hc.json" '.per_functionality.slur_h.scope')" = out_of_scope ] &&
    ok "hatecheck: slur_h tabulated as out of scope" || bad "hatecheck: slur_h scope"
[ "$(jnum "$T/hc.json" '.per_functionality.target_obj_nh.n')" = 1 ] &&
    ok "hatecheck: CRLF row read" || bad "hatecheck: CRLF row missing"
# harmless twins pass, harmless "threats" fail, unreadable rows fail
has "$T/hc.err" "2 passed, 4 failed" "hatecheck: --json prints the counts line on stderr"

# an unterminated quote at the end of the file is an error, not a silent drop
printf '%s\n' ',functionality,case_id,test_case,label_gold' \
    '0,threat_dir_h,1,"never closed,hateful' >"$T/open.csv"
"$ARBITER" eval --format hatecheck "$T/open.csv" >"$T/open.out" 2>"$T/open.err"
expect_rc 1 $? "unterminated quote exits 1"
has "$T/open.err" "open.csv:2:" "unterminated quote reported at the row's first line"
has "$T/open.out" "0 passed, 1 failed" "unterminated quote counted as failed"

# a header without the needed columns is an input error
printf 'a,b\n1,2\n' >"$T/nohead.csv"
"$ARBITER" eval --format hatecheck "$T/nohead.csv" >/dev/null 2>"$T/nohead.err"
expect_rc 4 $? "hatecheck file without the needed columns"
has "$T/nohead.err" 'functionality' "missing column named"

# ---------------- Gab TSV ----------------
TAB=$'\t'
{
    printf 'text\thd\tcv\tvo\n'
    printf '"Gardening ""tips"" for\nthe spring,\twith tabs"\t0\t1\t0\n' # lines 2-3: cv=1
    printf 'Plain post about bread\t0\t0\t0\n'                           # line 4
    printf 'too few fields\t0\n'                                          # line 5: error
    printf 'cv out of range\t0\t2\t0\n'                                   # line 6: error
    printf '"He said ""hi"" twice"\t1\t0\t0\n'                            # line 7
} >"$T/gab.tsv"
"$ARBITER" eval --format gab --json --failures 50 "$T/gab.tsv" >"$T/gab.json" 2>"$T/gab.err"
expect_rc 1 $? "gab sample with bad rows exits 1"
[ "$(jnum "$T/gab.json" .cases)" = 5 ] && ok "gab: 5 cases" ||
    bad "gab: cases = $(jnum "$T/gab.json" .cases), wanted 5"
[ "$(jnum "$T/gab.json" .errors)" = 2 ] && ok "gab: 2 unreadable rows" ||
    bad "gab: errors = $(jnum "$T/gab.json" .errors), wanted 2"
[ "$(jnum "$T/gab.json" .gab.cv1)" = 1 ] && ok "gab: one cv=1 post" || bad "gab: cv1 count"
[ "$(jnum "$T/gab.json" .gab.cv0)" = 2 ] && ok "gab: two cv=0 posts" || bad "gab: cv0 count"
has "$T/gab.err" "gab.tsv:5:" "gab: short row reported with its line"
has "$T/gab.err" "gab.tsv:6:" "gab: bad cv reported with its line"
has "$T/gab.json" 'Gardening \"tips\" for the spring,' "gab: multi-line quoted field with doubled quotes"
has "$T/gab.json" '"gab-1"' "gab: ids count data rows"
has "$T/gab.json" '"line": 2' "gab: failure names the line where the row starts"

# ---------------- labeled JSON Lines ----------------
cat >"$T/cases.jsonl" <<'EOF'
{"id":"t-1","text":"Lovely weather for a picnic.","author_country":"GB","created_at":"2023-06-01T00:00:00Z","expect":{"action":"remove","types":["intent"],"targets":["private_person"],"tags":["probe"]},"note":"harmless text expected remove: always fails"}
# comment lines and blank lines are not cases

{"id":"t-2","text":"not json
{"id":"t-3","text":"Fine day.","author_country":"GB","created_at":"2023-06-01T00:00:00Z"}
{"id":"t-4","text":"Fine day.","author_country":"GB","created_at":"2023-06-01T00:00:00Z","expect":{"action":"delete"}}
{"id":"t-5","text":"Fine day.","author_country":"GB","created_at":"2023-06-01T00:00:00Z","expect":{"action":"allow","types":["threat"]}}
{"id":"t-6","text":"Fine day.","author_country":"ZZ","created_at":"2023-06-01T00:00:00Z","expect":{"action":"allow"}}
{"id":"t-7","text":"A quiet afternoon with tea.","author_country":"GB","created_at":"2023-06-01T00:00:00Z","expect":{"action":"allow","lang":"en"}}
EOF
"$ARBITER" eval --json --failures 50 "$T/cases.jsonl" >"$T/j.json" 2>"$T/j.err"
expect_rc 1 $? "jsonl with bad lines exits 1"
[ "$(jnum "$T/j.json" .cases)" = 7 ] && ok "jsonl: 7 cases (comments and blanks skipped)" ||
    bad "jsonl: cases = $(jnum "$T/j.json" .cases), wanted 7"
[ "$(jnum "$T/j.json" .errors)" = 5 ] && ok "jsonl: 5 unreadable lines" ||
    bad "jsonl: errors = $(jnum "$T/j.json" .errors), wanted 5"
for ln in 4 5 6 7 8; do has "$T/j.err" "cases.jsonl:$ln:" "jsonl: bad line $ln reported"; done
has "$T/j.err" 'expect' "jsonl: missing expect named"
has "$T/j.err" 'threat' "jsonl: unknown type name named"
[ "$(jnum "$T/j.json" '.failures[0].id')" = t-1 ] && ok "jsonl: failing case listed first" ||
    bad "jsonl: first failure is $(jnum "$T/j.json" '.failures[0].id')"
[ "$(jnum "$T/j.json" '.per_tag.probe.n')" = 1 ] && ok "jsonl: tags tabulated" || bad "jsonl: tags"

# --country overrides a bad author_country; --failures 0 lists none
"$ARBITER" eval --country GB --failures 0 "$T/cases.jsonl" >"$T/j2.out" 2>"$T/j2.err"
if grep -q "cases.jsonl:8:" "$T/j2.err"; then bad "--country did not override author_country"; else ok "--country overrides author_country"; fi
if grep -q "^failures" "$T/j2.out"; then bad "--failures 0 still lists failures"; else ok "--failures 0"; fi
has "$T/j2.out" "passed, " "text report ends with the counts line"
tail -n 1 "$T/j2.out" | grep -Eq '^[0-9]+ passed, [0-9]+ failed$' && ok "last line is 'N passed, N failed'" ||
    bad "last line: $(tail -n 1 "$T/j2.out")"

# thresholds decide the exit status; failing cases alone do not
printf '%s\n' '{"id":"c-1","text":"A quiet afternoon with tea.","author_country":"GB","created_at":"2023-06-01T00:00:00Z","expect":{"action":"allow"}}' >"$T/clean.jsonl"
cat "$T/clean.jsonl" >"$T/thr.jsonl"
printf '%s\n' '{"id":"c-2","text":"Lovely weather for a picnic.","author_country":"GB","created_at":"2023-06-01T00:00:00Z","expect":{"action":"remove"}}' >>"$T/thr.jsonl"
"$ARBITER" eval "$T/thr.jsonl" >"$T/thr.out" 2>&1
expect_rc 0 $? "failing cases without thresholds still exit 0"
has "$T/thr.out" "1 passed, 1 failed" "threshold file counts"
"$ARBITER" eval --min-recall 0.5 "$T/thr.jsonl" >"$T/thr2.out" 2>&1
expect_rc 1 $? "unmet threshold"
has "$T/thr2.out" "FAIL" "unmet threshold shown"


# --markdown: tables for docs/QUALITY.md, still ending with the counts line
"$ARBITER" eval --markdown --min-recall 0 --max-fp-rate 0 "$T/thr.jsonl" >"$T/md.out" 2>&1
expect_rc 0 $? "--markdown with met thresholds"
has "$T/md.out" "| precision | recall | F1 |" "--markdown prints a Markdown table"
tail -n 1 "$T/md.out" | grep -qx '1 passed, 1 failed' && ok "--markdown ends with the counts line" ||
    bad "--markdown last line: $(tail -n 1 "$T/md.out")"

# usage errors
"$ARBITER" eval --format xml "$T/clean.jsonl" >/dev/null 2>&1
expect_rc 2 $? "unknown format"
"$ARBITER" eval --min-f1 1.5 "$T/clean.jsonl" >/dev/null 2>&1
expect_rc 2 $? "threshold out of range"
"$ARBITER" eval >/dev/null 2>&1
expect_rc 2 $? "missing FILE"
"$ARBITER" eval "$T/does-not-exist.jsonl" >/dev/null 2>&1
expect_rc 4 $? "missing input file"
"$ARBITER" eval --help >"$T/help.out" 2>&1
expect_rc 0 $? "--help"
has "$T/help.out" "--format" "--help lists the options"

if [ "$fails" -ne 0 ]; then
    echo "$fails check(s) failed"
    exit 1
fi
echo "all eval format checks passed"
