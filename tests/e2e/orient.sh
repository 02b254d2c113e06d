# orient.sh - every page ends upright: a two-page land certificate turned
# 0/90/180/270 at 200 and 300 dpi, bilevel G4 min-is-white and
# min-is-black, gray and colour; a page that stays unreadable once upright
# is a warning on its file and sends its record to review; a record's
# pages are read by different workers, -j 1 and -j 2 store the same text,
# and records are stored in input order.
. "$TESTS/lib.sh"
GEN="$BUILD/sohoa-gen"
socr() { "$SOHOA" -c "$OCRCONF" "$@"; }
in="$T/in"
seed=40
for enc in g4 g4-black gray rgb-jpeg; do
	for dpi in 200 300; do
		for rot in 0 90 180 270; do
			c=clean; [ $rot = 0 ] || c=rot$rot
			seed=$((seed + 1))
			"$GEN" --out "$in/$enc-$dpi-$rot" --type gcn --layout real --condition $c \
				--encoding $enc --dpi $dpi --seed $seed >/dev/null
		done
	done
done
expect_exit 0 "32 two-page certificates ingested with OCR, -j 2" socr ingest -j 2 --report "$T/r.json" "$in"
jq -r '.files[] | [.path, .id] | @tsv' "$T/r.json" >"$T/ids.tsv"
: >"$T/pages.tsv"
while IFS="$(printf '\t')" read -r path id; do
	want=$(jq .conditions.rotation "${path%.tif}.json")
	socr show --json "$id" | jq -r --arg w "$want" --arg p "$(basename "$(dirname "$path")")" \
		'.pages[] | [$p, .n, $w, .rotation, .confidence] | @tsv' >>"$T/pages.tsv"
done <"$T/ids.tsv"
check "64 pages read" test "$(wc -l <"$T/pages.tsv")" = 64
for enc in g4 g4-black gray rgb-jpeg; do
	for dpi in 200 300; do
		for rot in 0 90 180 270; do
			k="$enc-$dpi-$rot"
			got=$(awk -F'\t' -v k="$k" '$1 == k && $3 == $4 && $5 >= 80 { n++ } END { print n + 0 }' "$T/pages.tsv")
			check "$k: both pages found turned by $rot and read upright (confidence 80+)" test "$got" = 2
		done
	done
done
# the case found in trial: two upside-down 200 dpi min-is-black
# certificates, page 2 stored upside down at confidence 36, unreported
check "no page is reported unreadable" test "$(jq '[.files[].warnings // [] | .[] | select(test("review"))] | length' "$T/r.json")" = 0

# both workers on one record, records stored in input order
mkdir -p "$T/two"
cp "$in/g4-300-180/"*.tif "$T/two/a-two-pages.tif"
"$GEN" --out "$T/one" --type khai-sinh --layout real --condition rot90 --encoding g4 --dpi 300 --seed 77 >/dev/null
cp "$T/one/"*.tif "$T/two/b-one-page.tif"
expect_exit 0 "a two-page and a one-page record, -j 2" socr --store "$T/s2" ingest -j 2 --report "$T/r2.json" "$T/two"
check "the two-page record's pages were read by different workers" test "$(jq '.files[0].workers | unique | length' "$T/r2.json")" = 2
check "the records are reported in input order" test "$(jq -r '[.files[].path | split("/") | last] | join(" ")' "$T/r2.json")" = "a-two-pages.tif b-one-page.tif"
first=$(jq -r '.files[0].id' "$T/r2.json"); second=$(jq -r '.files[1].id' "$T/r2.json")
check "the stored ids follow the input: $first before $second" test "$first" \< "$second"
check "where each step's time went is reported" test "$(jq '.files[0].seconds | keys | sort | join(",")' -r "$T/r2.json")" = "encode,fields,orient,pack,prepare,recognise,write"
expect_exit 0 "the same two, -j 1" socr --store "$T/s1" ingest -j 1 --report "$T/r1.json" "$T/two"
for i in 0 1; do
	a=$(jq -r ".files[$i].id" "$T/r2.json"); b=$(jq -r ".files[$i].id" "$T/r1.json")
	socr --store "$T/s2" show --json "$a" | jq '[.pages[].text]' >"$T/a.json"
	socr --store "$T/s1" show --json "$b" | jq '[.pages[].text]' >"$T/b.json"
	check "record $((i + 1)): -j 1 and -j 2 store the same text" cmp -s "$T/a.json" "$T/b.json"
done

# a page that stays unreadable: warned on its file, its record to review
mkdir -p "$T/bad"
"$MKTIFF" "$T/bad/bars.tif" g4 1 3 1700 2300
"$MKTIFF" "$T/bad/blank.tif" blank 1 5 1654 2339
expect_exit 0 "ink that reads as no text, and a blank page" socr --store "$T/s3" ingest --report "$T/r3.json" "$T/bad"
check "the inked page is a warning: left for review" test "$(jq -r '.files[] | select(.path | endswith("bars.tif")) | .warnings[0]' "$T/r3.json")" = "page 1: no text could be read from its ink, even once upright: left for review"
check "the blank page is no unreadable page" test "$(jq -r '.files[] | select(.path | endswith("blank.tif")) | .warnings[0]' "$T/r3.json")" = "page 1: no text found"
bars=$(jq -r '.files[] | select(.path | endswith("bars.tif")) | .id' "$T/r3.json")
check "show says the page is unreadable" test "$(socr --store "$T/s3" show --json "$bars" | jq '.pages[0].unreadable')" = true
check "review lists it: page 1, unreadable page" test "$(socr --store "$T/s3" review --json | jq -r --arg id "$bars" '.records[] | select(.id == $id) | .problems[] | select(.problem == "unreadable page") | .field')" = "page 1"
# a page with words read below unreadable_below (set high here)
sed 's/^unreadable_below = .*/unreadable_below = 99/' "$OCRCONF" >"$T/strict.conf"
expect_exit 0 "a page read below unreadable_below" "$SOHOA" -c "$T/strict.conf" --store "$T/s4" ingest --report "$T/r4.json" "$T/two/b-one-page.tif"
check "is a warning naming its confidence and turn" sh -c "jq -r '.files[0].warnings[0]' '$T/r4.json' | grep -Eq '^page 1 reads at confidence [0-9]+ once upright \\(found turned 90°\\): left for review\$'"
check "and its record is in review" test "$(jq '.files[0].review' "$T/r4.json")" = true
