# review.sh - the review queue and corrections: a record missing
# required fields comes first, a correction is validated, becomes the
# current value with source "correction", and history keeps both values.
. "$TESTS/lib.sh"
socr() { "$SOHOA" -c "$OCRCONF" "$@"; }
socr -q ingest -j 2 --report "$T/r.json" "$REPO/seeds"
gcn=$(jq -r '.files[] | select(.path | endswith("gcn-0008.tif")) | .id' "$T/r.json")
# page 1 of a land certificate alone: owners, but no parcel
socr page "$gcn" 1 -o "$T/gcn-page1.tif"
"$MKTIFF" "$T/blank.tif" blank 1 9 1654 2339
socr -q ingest --report "$T/r2.json" "$T/gcn-page1.tif" "$T/blank.tif"
half=$(jq -r '.files[0].id' "$T/r2.json")
blank=$(jq -r '.files[1].id' "$T/r2.json")

expect_exit 0 "review --json" socr review --json
cp "$T/out" "$T/review.json"
check "the half certificate is reviewed for its missing parcel number" sh -c "jq -e --arg id $half '.records[] | select(.id == \$id) | .problems[] | select(.field == \"thua_dat_so\" and .problem == \"missing\")' '$T/review.json' >/dev/null"
check "records with missing fields come first" test "$(jq -r '.records[0].id' "$T/review.json")" = "$half" -o "$(jq -r '.records[0].id' "$T/review.json")" = "$blank"
check "an unknown type is reviewed" sh -c "jq -e --arg id $blank '.records[] | select(.id == \$id) | .problems[0].problem == \"unknown type\"' '$T/review.json' >/dev/null"
check "total counts the records listed" test "$(jq '.total' "$T/review.json")" = "$(jq '.records | length' "$T/review.json")"
expect_exit 0 "review prints a line a record" socr review
contains "$T/out" "$half  gcn" "with id and type"

n0=$(socr show --json "$half" | jq '.history | length')
expect_exit 2 "a date that is not a date is refused" socr correct "$half" ngay_cap=31/02/2010
contains "$T/err" "'31/02/2010' is not a date" "saying why"
expect_exit 2 "a field the type does not have is refused" socr correct "$half" ho_ten=X
contains "$T/err" "gcn has no field 'ho_ten'" "naming the field"
check "a refused correction changes nothing" test "$(socr show --json "$half" | jq '.history | length')" = "$n0"
expect_exit 0 "correct the parcel" socr correct "$half" thua_dat_so=912 to_ban_do_so=38 "dien_tich=107,7 m²" ngay_cap=15/03/2012
socr show --json "$half" >"$T/half.json"
check "the correction is the current value" test "$(jq -c '.fields.thua_dat_so' "$T/half.json")" = '{"value":"912","confidence":1,"source":"correction"}'
check "values are normalised by kind" test "$(jq -r '.fields.dien_tich.value + " " + .fields.ngay_cap.value' "$T/half.json")" = "107.7 2012-03-15"
check "history keeps old and new, user and time" test "$(jq -c '.history[-1] | [.event, .user, (.time | length > 0), (.changes[] | select(.field == "thua_dat_so") | [.old, .new])]' "$T/half.json")" = '["corrected","tester",true,[null,"912"]]'
check "a correction from the terminal is in the access log" test "$(socr log --record "$half" --action correct --json | jq -r '.[-1] | .user + " " + .address + " " + .detail')" = "tester terminal thua_dat_so,to_ban_do_so,dien_tich,ngay_cap"
socr review --json >"$T/review2.json"
check "review no longer lists the corrected fields" sh -c "! jq -e --arg id $half '.records[] | select(.id == \$id) | .problems[] | select(.field == \"thua_dat_so\")' '$T/review2.json' >/dev/null"
expect_exit 0 "a person sets the unknown type" socr correct "$blank" type=khai-sinh
check "the type is set" test "$(socr show --json "$blank" | jq -r .type)" = khai-sinh
old=$(socr show --json "$gcn" | jq -r '.fields.chu_su_dung.value[0]')
expect_exit 0 "owners are corrected as a list" socr correct "$gcn" "chu_su_dung=NGUYỄN VĂN AN; TRẦN THỊ BÌNH"
check "chu_su_dung is the list given" test "$(socr show --json "$gcn" | jq -c '.fields.chu_su_dung.value')" = '["NGUYỄN VĂN AN","TRẦN THỊ BÌNH"]'
check "and the old list is in history" test "$(socr show --json "$gcn" | jq -r '.history[-1].changes[0].old[0]')" = "$old"
socr show "$gcn" >"$T/gcn.txt"
contains "$T/gcn.txt" "correction" "show marks corrected fields"
expect_exit 2 "correct without FIELD=VALUE is a usage error" socr correct "$gcn" thua_dat_so
expect_exit 1 "correct of an unknown record fails" socr correct HS-999999 so=1

# the queue against reading every record
socr review --json >"$T/q.json"
socr review --scan --json >"$T/scan.json"
check "the queue lists what reading every record finds, in its order" test "$(jq -c '[.total, [.records[] | [.id, .score, [.problems[].field]]]]' "$T/q.json")" = "$(jq -c '[.total, [.records[] | [.id, .score, [.problems[].field]]]]' "$T/scan.json")"
check "--type keeps one type" test "$(socr review --json --type gcn | jq -r '[.records[].type] | unique | join(",")')" = gcn
check "--problem keeps one problem" sh -c "'$SOHOA' -c '$OCRCONF' review --json --problem missing | jq -e '.total > 0 and all(.records[]; any(.problems[]; .problem == \"missing\"))' >/dev/null"
expect_exit 2 "an unknown --problem is refused" socr review --problem typo
# a store from before the queue (schema 3): read record by record, the
# queue built on its first write
cp -r "$T/store" "$T/v3"
"$BUILD/store_poke" "$T/v3" unqueue 1
v3() { SOHOA_STORE="$T/v3" "$SOHOA" -c "$OCRCONF" "$@"; }
check "a schema-3 store is reviewed by reading every record" test "$(v3 review --json | jq -c '[.records[].id]')" = "$(jq -c '[.records[].id]' "$T/scan.json")"
printf 'mat-khau-dai\n' | v3 -q user add lan --role reviewer
check "its first write makes it schema 7" test "$(v3 stats --json | jq .schema)" = 7
check "with the queue built from every record" test "$(v3 review --json | jq -c '[.records[] | [.id, .score]]')" = "$(jq -c '[.records[] | [.id, .score]]' "$T/scan.json")"

# a damaged line of the queue (derived data) stops no change: an export
# marks the record, which keeps its place and says its review was lost
"$BUILD/store_poke" "$T/store" queue "$blank"
expect_exit 0 "an export with a record's queue line damaged" socr -q export --out "$T/bag-damaged"
check "keeps the record in the queue, its review said to be lost" sh -c "'$SOHOA' -c '$OCRCONF' review --json | jq -e --arg id $blank '.records[] | select(.id == \$id) | .problems[0].problem == \"lost: review again\"' >/dev/null"
socr -q correct "$blank" type=khai-tu 2>/dev/null
check "until a person's change finds its problems again" sh -c "'$SOHOA' -c '$OCRCONF' review --json | jq -e --arg id $blank '.records[] | select(.id == \$id) | all(.problems[]; .problem != \"lost: review again\")' >/dev/null"
