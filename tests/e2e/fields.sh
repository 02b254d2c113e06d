# fields.sh - type and fields at ingest, on the seeds/ batch against its
# ground truth: every record's type, most fields exact, values in the
# forms of DESIGN.md, each with a confidence and its source.
. "$TESTS/lib.sh"
socr() { "$SOHOA" -c "$OCRCONF" "$@"; }
expect_exit 0 "ingest seeds/ with OCR and fields" socr ingest -j 2 --report "$T/r.json" "$REPO/seeds"
total=0; good=0; types=0; n=0
for id in $(jq -r '.files[].id' "$T/r.json"); do
	socr show --json "$id" >"$T/rec.json"
	gt="$REPO/seeds/$(basename "$(jq -r .source.path "$T/rec.json")" .tif).json"
	n=$((n + 1))
	[ "$(jq -r .type "$T/rec.json")" = "$(jq -r .type "$gt")" ] && types=$((types + 1))
	total=$((total + $(jq '.fields | length' "$gt")))
	good=$((good + $(jq --slurpfile r "$T/rec.json" '[.fields | to_entries[] | select($r[0].fields[.key].value == .value)] | length' "$gt")))
done
echo "# $types/$n types, $good/$total fields exact"
check "every seed record gets its type" test $types = $n
check "at least 85% of the fields read exactly ($good/$total)" test $((good * 100 / total)) -ge 85
id=$(jq -r '.files[] | select(.path | endswith("khai-sinh-0001.tif")) | .id' "$T/r.json")
socr show --json "$id" >"$T/ks.json"
check "a field is {value, confidence, source}" test "$(jq -c '.fields.ngay_sinh | [(.value | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}$")), (.confidence > 0 and .confidence <= 1), .source]' "$T/ks.json")" = '[true,true,"ocr"]'
check "gioi_tinh is Nam or Nữ" sh -c "jq -e '.fields.gioi_tinh.value | IN(\"Nam\", \"Nữ\")' '$T/ks.json' >/dev/null"
id=$(jq -r '.files[] | select(.path | endswith("gcn-0008.tif")) | .id' "$T/r.json")
socr show --json "$id" >"$T/gcn.json"
check "chu_su_dung is a list of names without Ông/Bà" sh -c "jq -e '.fields.chu_su_dung.value | type == \"array\" and length >= 1 and (map(test(\"^(Ông|Bà)\")) | any | not)' '$T/gcn.json' >/dev/null"
check "dien_tich is a decimal with a point" sh -c "jq -e '.fields.dien_tich.value | test(\"^[0-9]+(\\\\.[0-9]+)?$\")' '$T/gcn.json' >/dev/null"
check "the report names each record's type" test "$(jq -r '[.files[].type] | map(select(. != null)) | length' "$T/r.json")" = $n
socr show "$id" >"$T/gcn.txt"
contains "$T/gcn.txt" "thua_dat_so" "show lists the fields"
