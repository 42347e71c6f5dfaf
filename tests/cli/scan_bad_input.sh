#!/usr/bin/env bash
# Bad input never crashes and never vanishes: every input line yields exactly
# one output line, a decision or an error record that names the problem.
set -u
A=${ARBITER:?set ARBITER to the arbiter binary}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail=0; pass=0
ok() { pass=$((pass+1)); }
bad() { echo "FAIL: $*"; fail=$((fail+1)); }

good='{"id":"g1","text":"hello there","author_country":"US","created_at":"2023-01-01T00:00:00Z"}'
{
  echo "$good"                                                                           # 1 ok
  printf '{"id":"u1","text":"bad \xff\xfe utf8 \xc3","author_country":"PL","created_at":"2023-01-01T00:00:00Z"}\n'  # 2 repaired
  echo '{"id":"n1","text":"nul \u0000 inside","author_country":"PL","created_at":"2023-01-01T00:00:00Z"}'      # 3 NUL in text
  echo '{"id":"e1","text":"","author_country":"PL","created_at":"2023-01-01T00:00:00Z"}'                        # 4 empty text
  echo '{"id":"c1","text":"hi","author_country":"XX","created_at":"2023-01-01T00:00:00Z"}'                      # 5 unknown country
  echo '{"id":"c2","text":"hi","author_country":"ukraine","created_at":"2023-01-01T00:00:00Z"}'                 # 6 malformed country
  echo '{"id":"d1","text":"hi","author_country":"UA","created_at":"1969-12-31T23:59:59Z"}'                      # 7 date before 1970
  echo '{"id":"d2","text":"hi","author_country":"UA","created_at":"2023-02-30T00:00:00Z"}'                      # 8 no such day
  echo '{"id":"d3","text":"hi","author_country":"UA","created_at":"yesterday"}'                                 # 9 not a date
  echo '{"id":"m1","author_country":"UA","created_at":"2023-01-01T00:00:00Z"}'                                  # 10 no text
  echo '{"text":"no id","author_country":"UA","created_at":"2023-01-01T00:00:00Z"}'                             # 11 no id
  echo '{not json'                                                                                               # 12 bad JSON
  echo '[1,2,3]'                                                                                                 # 13 not an object
  python3 -c 'print("["*5000 + "]"*5000)'                                                                        # 14 deeply nested
  python3 -c 'import json; print(json.dumps({"id":"big","text":"a"*(10*1024*1024),"author_country":"UA","created_at":"2023-01-01T00:00:00Z"}))'  # 15 10 MB line
  python3 -c 'import json; print(json.dumps({"id":"t1","text":"a"*70000,"author_country":"UA","created_at":"2023-01-01T00:00:00Z"}))'  # 16 text over 64 KiB
  printf '\x00\x00\x00\n'                                                                                       # 17 NUL bytes
  echo ''                                                                                                        # 18 empty line
  echo "$good" | sed 's/g1/g2/'                                                                                  # 19 ok again
} > "$T/in.jsonl"

"$A" scan --quiet < "$T/in.jsonl" > "$T/out.jsonl" 2> "$T/err"; rc=$?
[ $rc -eq 1 ] && ok || bad "exit status $rc, expected 1 (some records were errors)"
n_in=$(wc -l < "$T/in.jsonl"); n_out=$(wc -l < "$T/out.jsonl")
[ "$n_in" -eq "$n_out" ] && ok || bad "$n_in input lines but $n_out output lines"

check() { # line-number jq-free check: python reads the line and asserts
  python3 - "$T/out.jsonl" "$@" <<'PY' || return 1
import json, sys
path, line, want = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rec = json.loads(open(path, encoding="utf-8").read().splitlines()[line - 1])
kind, _, arg = want.partition(":")
if kind == "action":
    assert rec.get("action") in ("allow","remove","escalate","restrict") and "error" not in rec, rec
elif kind == "error":
    assert "error" in rec and rec.get("line") == line, rec
    assert arg.lower() in (rec["error"] + " " + rec["status"]).lower(), (arg, rec)
elif kind == "id":
    assert rec.get("id") == arg, rec
PY
}
t() { if check "$@"; then ok; else bad "line $1: expected $2"; fi; }
t 1 action; t 1 id:g1
t 2 action; t 2 id:u1
t 3 action
t 4 action
t 5 error:country; t 5 id:c1
t 6 error:country
t 7 error:created_at
t 8 error:created_at
t 9 error:created_at
t 10 error:text; t 10 id:m1
t 11 error:id
t 12 error:json
t 13 error:object
t 14 error:json
t 15 error:limit
t 16 error:limit; t 16 id:t1
t 17 error:json
t 18 error:json
t 19 action; t 19 id:g2

# a missing policy file is a clear error, not a crash
"$A" scan --policy "$T/nope.yaml" < /dev/null 2> "$T/err2"; rc=$?
[ $rc -eq 3 ] && grep -q "nope.yaml" "$T/err2" && ok || bad "missing policy: rc=$rc $(cat "$T/err2")"
# a missing input file
"$A" scan "$T/missing.jsonl" 2> "$T/err3"; rc=$?
[ $rc -eq 4 ] && grep -q "missing.jsonl" "$T/err3" && ok || bad "missing input: rc=$rc"
# bad options
"$A" scan --at 2022-13-01T00:00:00Z < /dev/null 2>/dev/null; [ $? -eq 2 ] && ok || bad "--at with bad date accepted"
"$A" scan -j 0 < /dev/null 2>/dev/null; [ $? -eq 2 ] && ok || bad "-j 0 accepted"
"$A" nosuchcommand 2>/dev/null; [ $? -eq 2 ] && ok || bad "unknown command accepted"
for c in scan check eval policy simulate; do "$A" $c --help > /dev/null && ok || bad "$c --help failed"; done

# order and completeness with threads: 5000 records through -j 3
python3 - > "$T/many.jsonl" <<'PY'
import json
for i in range(5000):
    if i % 97 == 0:
        print("{broken")
    else:
        print(json.dumps({"id": f"p{i}", "text": f"post number {i} kill", "author_country": "PL", "created_at": "2023-01-01T00:00:00Z"}))
PY
"$A" scan -j 3 --quiet "$T/many.jsonl" > "$T/many.out"
python3 - "$T/many.jsonl" "$T/many.out" <<'PY' && ok || bad "-j 3 lost, duplicated or reordered records"
import json, sys
inp = open(sys.argv[1]).read().splitlines(); out = open(sys.argv[2]).read().splitlines()
assert len(inp) == len(out), (len(inp), len(out))
for i, (a, b) in enumerate(zip(inp, out), 1):
    rb = json.loads(b)
    if a.startswith("{broken"):
        assert rb["line"] == i and "error" in rb
    else:
        assert rb["id"] == json.loads(a)["id"]
PY
# -j 1 and -j 3 give identical output (determinism)
"$A" scan -j 1 --quiet "$T/many.jsonl" > "$T/many1.out"
cmp -s "$T/many.out" "$T/many1.out" && ok || bad "-j 1 and -j 3 outputs differ"

# --country stands in for a missing author_country only: a record without the
# field is decided (the post is a threat, so it is removed), one whose field
# is present but wrong stays an error record; without --country a missing
# field is an error record; a bad --country is a usage error
{
  echo '{"id":"k1","text":"I will kill you tomorrow","created_at":"2023-01-01T00:00:00Z"}'
  echo '{"id":"k2","text":"hi","author_country":"ua","created_at":"2023-01-01T00:00:00Z"}'
  echo '{"id":"k3","text":"hi","author_country":null,"created_at":"2023-01-01T00:00:00Z"}'
  echo '{"id":"k4","text":"hi","author_country":"UA","created_at":"2023-01-01T00:00:00Z"}'
} > "$T/cc.jsonl"
"$A" scan --quiet --country PL "$T/cc.jsonl" > "$T/cc.out"; rc=$?
[ $rc -eq 1 ] && ok || bad "--country: exit status $rc, expected 1 (k2, k3 are errors)"
python3 - "$T/cc.out" <<'PY' && ok || bad "--country: records not as expected: $(cat "$T/cc.out")"
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
assert [x["id"] for x in r] == ["k1", "k2", "k3", "k4"], r
assert r[0].get("action") == "remove", r[0]
assert r[1]["status"] == "COUNTRY" and "ua" in r[1]["error"], r[1]
assert r[2]["status"] == "INVALID" and "author_country" in r[2]["error"], r[2]
assert r[3].get("action") == "allow", r[3]
PY
"$A" scan --quiet "$T/cc.jsonl" > "$T/cc0.out"
python3 -c 'import json,sys; r=json.loads(open(sys.argv[1]).readline()); assert r["status"]=="INVALID" and "missing" in r["error"] and "author_country" in r["error"], r' "$T/cc0.out" \
  && ok || bad "without --country a record without author_country must be an error record"
"$A" scan --quiet --country pl "$T/cc.jsonl" > /dev/null 2> "$T/cc.err"; rc=$?
[ $rc -eq 2 ] && grep -q "ISO 3166" "$T/cc.err" && ok || bad "--country pl: exit $rc, expected usage error 2"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
