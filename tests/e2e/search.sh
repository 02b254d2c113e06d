# search.sh - `sohoa search` on records ingested from real scans: names
# typed without tones, JSON for scripts, field and date queries, clear
# errors for malformed queries, corrections searchable at once, searches
# while an ingest writes, and the relevance rules on a generated corpus.
. "$TESTS/lib.sh"
socr() { "$SOHOA" -c "$OCRCONF" "$@"; }
socr -q ingest -j 2 --report "$T/r.json" "$REPO/seeds"
ks=$(jq -r '.files[] | select(.path | endswith("khai-sinh-0001.tif")) | .id' "$T/r.json")
socr show --json "$ks" >"$T/ks.json"
name=$(jq -r .fields.ho_ten.value "$T/ks.json")
so=$(jq -r .fields.so.value "$T/ks.json")
qs=$(jq -r .fields.quyen_so.value "$T/ks.json")
toneless=$(printf '%s' "$name" | sed 'y/ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ/AAAAAAAAAAAAAAAAADEEEEEEEEEEEIIIIIOOOOOOOOOOOOOOOOOUUUUUUUUUUUYYYYY/' | tr 'A-Z' 'a-z')
echo "# record $ks: '$name' -> '$toneless', so $so quyen_so $qs"

expect_exit 0 "search by a name typed without tones" socr search "$toneless"
contains "$T/out" "$ks" "finds the record"
check "and ranks it first" test "$(head -1 "$T/out" | cut -d' ' -f1)" = "$ks"
contains "$T/out" "«" "the snippet marks the matched words"
expect_exit 0 "the same name in capitals with tones" socr search --json "$name"
check "finds the same record first" test "$(jq -r '.hits[0].id' "$T/out")" = "$ks"
check "--json has query, total and hits" test "$(jq -c '[.query, (.total > 0), (.hits[0] | keys)]' "$T/out")" = "[\"$name\",true,[\"fields\",\"fuzzy\",\"id\",\"score\",\"snippet\",\"type\"]]"
check "a hit carries its key fields" test "$(jq -r '.hits[0].fields.ho_ten' "$T/out")" = "$name"
expect_exit 0 "so, quyen_so and type" socr search --json "so:$so" "quyen_so:$qs" type:khai-sinh
check "put the record first" test "$(jq -r '.hits[0].id' "$T/out")" = "$ks"
year=$(jq -r '.fields.ngay_dang_ky.value[0:4]' "$T/ks.json")
expect_exit 0 "a registration year" socr search --json type:khai-sinh "ngay_dang_ky:$year"
check "finds the record" sh -c "jq -e --arg id $ks '.hits[] | select(.id == \$id)' '$T/out' >/dev/null"
expect_exit 0 "a range that excludes its year" socr search --json type:khai-sinh "ngay_dang_ky:..$((year - 1))"
check "does not find it" sh -c "! jq -e --arg id $ks '.hits[] | select(.id == \$id)' '$T/out' >/dev/null"
expect_exit 0 "excluding the name" socr search --json type:khai-sinh "-\"$toneless\""
check "leaves the record out" sh -c "! jq -e --arg id $ks '.hits[] | select(.id == \$id)' '$T/out' >/dev/null"
# one letter wrong in the query: near spellings are tried
typo=$(printf '%s' "$toneless" | awk '{ w = $NF; $NF = substr(w, 1, length(w) - 1) "x"; print }')
expect_exit 0 "a typo in the name ('$typo')" socr search --json "$typo"
check "still finds the record, marked fuzzy" test "$(jq -r '[.hits[0].id, .hits[0].fuzzy] | join(" ")' "$T/out")" = "$ks true"
expect_exit 0 "--limit 1" socr search --json --limit 1 hồ
check "gives one hit of several" test "$(jq '[(.hits | length), (.total > 1)] | tostring' "$T/out")" = '"[1,true]"'

# malformed queries: exit 2, pointing at the problem
expect_exit 2 "an unterminated quote" socr search '"nguyen van'
contains "$T/err" "unterminated quote" "is named"
expect_exit 2 "an unknown field" socr search hoten:an
contains "$T/err" "unknown field 'hoten'" "is named"
expect_exit 2 "a date that is not one" socr search ngay_sinh:1985-13
contains "$T/err" "is not a date" "is named"
expect_exit 2 "only exclusions" socr search -- -nguyen
expect_exit 2 "an empty field value" socr search so:
expect_exit 2 "a bad --limit" socr search --limit 0 an
expect_exit 2 "no query" socr search

# a correction is searchable the moment it is stored
expect_exit 0 "nothing has parcel 9912 yet" socr search --json thua_dat_so:9912
check "total 0" test "$(jq .total "$T/out")" = 0
gcn=$(jq -r '.files[] | select(.path | endswith("gcn-0009.tif")) | .id' "$T/r.json")
oldowner=$(socr show --json "$gcn" | jq -r '.fields.chu_su_dung.value[0]')
socr -q correct "$gcn" thua_dat_so=9912 "chu_su_dung=ĐẶNG THỊ XUÂN"
expect_exit 0 "after the correction" socr search --json thua_dat_so:9912
check "the parcel finds the record" test "$(jq -r '.hits[0].id' "$T/out")" = "$gcn"
socr -q search --json 'chu_su_dung:"dang thi xuan"' >"$T/owner.json"
check "the corrected owner finds it" test "$(jq -r '.hits[0].id' "$T/owner.json")" = "$gcn"
socr -q search --json "chu_su_dung:\"$oldowner\"" >"$T/old.json"
check "the old owner no longer does, as a field" sh -c "! jq -e --arg id $gcn '.hits[] | select(.id == \$id and .fuzzy == false)' '$T/old.json' >/dev/null"

# searches while an ingest writes: never blocked, never going back
"$BUILD/sohoa-gen" --count 4 --seed 91 --out "$T/more" >/dev/null 2>&1
before=$(socr -q search --json --limit 1 'cong hoa' | jq .total)
socr -q ingest -j 1 "$T/more" >/dev/null 2>&1 &
pid=$!
seen=0 bad=0 last=$before
while kill -0 $pid 2>/dev/null; do
	n=$(socr -q search --json --limit 1 'cong hoa' | jq .total) || bad=1
	[ "$n" -lt "$last" ] && bad=1
	last=$n seen=$((seen + 1))
	sleep 0.3
done
wait $pid
after=$(socr -q search --json --limit 1 'cong hoa' | jq .total)
check "$seen searches ran during the ingest, none failed or went back" test "$bad" = 0 -a "$seen" -gt 0
check "and the new records are found after it ($before -> $after)" test "$after" = $((before + 4))

# a store from before the index: readers say so, the first write builds it
cp -r "$T/store" "$T/old"
"$BUILD/store_poke" "$T/old" unindex 1
expect_exit 1 "search in a store without an index" env SOHOA_STORE="$T/old" "$SOHOA" -c "$CONF" search nguyen
contains "$T/err" "no search index yet" "says what to do"
mkdir -p "$T/empty"
# (its review queue is built with it, from each record's fields: a
# writer without the field rules is refused, saying so)
expect_exit 1 "a first write without the field rules" env SOHOA_STORE="$T/old" "$SOHOA" -c "$CONF" -q ingest "$T/empty"
contains "$T/err" "needs its review queue built" "says the queue is to be built"
contains "$T/err" "$T/fields" "and names the rules it could not read"
SOHOA_STORE="$T/old" "$SOHOA" -c "$OCRCONF" -q ingest "$T/empty" 2>/dev/null
expect_exit 0 "after any ingest" env SOHOA_STORE="$T/old" "$SOHOA" -c "$CONF" search --json "so:$so" "quyen_so:$qs"
check "the old records are found" test "$(jq -r '.hits[0].id' "$T/out")" = "$ks"
check "and the store is schema 7" test "$(SOHOA_STORE="$T/old" "$SOHOA" -c "$CONF" stats --json | jq .schema)" = 7
check "its pages keep their text" test "$(SOHOA_STORE="$T/old" "$SOHOA" -c "$CONF" show --json "$ks" | jq -r '.pages[0].text')" = "$(socr show --json "$ks" | jq -r '.pages[0].text')"

# that index is built in transactions of its own (a step of one record
# here): killed after two steps, the store reads as one whose index is
# not whole, and the next write goes on from where it stopped
cp -r "$T/store" "$T/half"
"$BUILD/store_poke" "$T/half" dropindex 1
half() { SOHOA_STORE="$T/half" "$SOHOA" -c "$OCRCONF" "$@"; }
nrec=$(socr stats --json | jq .records)
expect_exit 137 "an index build killed after two of its $nrec steps" env SOHOA_FAULT=kill-after-index-step:2 SOHOA_STORE="$T/half" "$SOHOA" -c "$OCRCONF" -q ingest "$T/empty"
expect_exit 1 "search in it" env SOHOA_STORE="$T/half" "$SOHOA" -c "$CONF" search nguyen
contains "$T/err" "not yet whole" "says its index is not yet whole"
expect_exit 0 "the next write, one record a step" env SOHOA_FAULT=index-step:1 SOHOA_STORE="$T/half" "$SOHOA" -c "$OCRCONF" -q ingest "$T/empty"
for q in nguyen "so:$so quyen_so:$qs" 'cong hoa' 'type:khai-sinh' 'nguyen~'; do
	check "then '$q' finds what the whole store finds" test "$(half search --json $q | jq -c '[.hits[] | [.id, .score]]')" = "$(socr search --json $q | jq -c '[.hits[] | [.id, .score]]')"
done
expect_exit 0 "and it checks clean" env SOHOA_STORE="$T/half" "$SOHOA" -c "$CONF" check

# a store from before the texts database (schema 2): read as it is, its
# text shown and found; upgraded on the first write, records kept whole
cp -r "$T/store" "$T/v2"
"$BUILD/store_poke" "$T/v2" untext 1
v2() { SOHOA_STORE="$T/v2" "$SOHOA" -c "$CONF" "$@"; }
check "a schema-2 store is read: show gives the page text" test "$(v2 show --json "$ks" | jq -r '.pages[0].text')" = "$(socr show --json "$ks" | jq -r '.pages[0].text')"
check "and search finds and marks it" test "$(v2 search --json "so:$so" "quyen_so:$qs" 'cong hoa' | jq -r '.hits[0].snippet' | grep -c '«')" = 1
# (its queue is built with it: the writer has the field rules)
expect_exit 0 "its first write" env SOHOA_STORE="$T/v2" "$SOHOA" -c "$OCRCONF" -q ingest "$T/empty"
check "its first write upgrades it to schema 7" test "$(v2 stats --json | jq .schema)" = 7
check "with the text of every page still shown" test "$(v2 show --json "$ks" | jq -c '[.pages[].text]')" = "$(socr show --json "$ks" | jq -c '[.pages[].text]')"

# a store from before words were stored mended (schema 5): its pages'
# words as read, the word lists' mends only in their texts (every
# reader of words writes: export, the site). Its first write mends them.
"$BUILD/store_poke" "$T/store" words "$ks" >"$T/words.json"
cp -r "$T/store" "$T/v5"
"$BUILD/store_poke" "$T/v5" unmend 1
v5() { SOHOA_STORE="$T/v5" "$SOHOA" -c "$CONF" "$@"; }
check "a fresh page's mended words keep what was read" test "$(jq '[.[] | select(.r)] | length' "$T/words.json")" -gt 0
check "which the schema-5 store lacks" test "$("$BUILD/store_poke" "$T/v5" words "$ks" | jq '[.[] | select(.r)] | length')" = 0
v5 -q ingest "$T/empty" 2>/dev/null
check "its first write upgrades it to schema 7" test "$(v5 stats --json | jq .schema)" = 7
check "each page's words as a fresh ingest stores them" test "$("$BUILD/store_poke" "$T/v5" words "$ks" | jq -c '[.[] | [.t, .r]]')" = "$(jq -c '[.[] | [.t, .r]]' "$T/words.json")"
check "its text theirs" test "$(v5 show --json "$ks" | jq -c '[.pages[].text]')" = "$(socr show --json "$ks" | jq -c '[.pages[].text]')"
expect_exit 0 "and it checks clean" env SOHOA_STORE="$T/v5" "$SOHOA" -c "$CONF" check

# relevance on a generated corpus, loaded without OCR
"$BUILD/sohoa-gen" --count 400 --seed 5 --no-images --out "$T/corpus" >/dev/null 2>&1
"$BUILD/ixbench" load --store "$T/ix" "$T/corpus" >/dev/null
"$BUILD/ixbench" relevance --store "$T/ix" "$T/corpus"
