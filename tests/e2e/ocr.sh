# ocr.sh - OCR at ingest on generated pages: pages turned 90/180/270 come
# back upright, a 2.5 degree skew is measured to within 0.2 degrees, the
# known words are read (the signer's name under a seal, dotted zeros,
# words among dust too), -j 1 and -j 2 store the same text, and `page`
# writes the cleaned image, seal kept.
. "$TESTS/lib.sh"
GEN="$BUILD/sohoa-gen"
socr() { "$SOHOA" -c "$OCRCONF" "$@"; }
in="$T/in"
for c in clean rot90 rot180 rot270; do
	"$GEN" --out "$in/$c" --type khai-sinh --edition current --condition $c --dpi 300 --encoding g4 --seed 11 >/dev/null
done
"$GEN" --out "$in/skew" --type ket-hon --edition current --condition clean --skew 2.5 --dpi 300 --encoding gray --seed 12 >/dev/null
"$GEN" --out "$in/old" --type khai-tu --edition old --condition yellow,typewriter --dpi 200 --encoding rgb-jpeg --seed 13 >/dev/null
"$GEN" --out "$in/mono" --type ket-hon --edition current --condition typewriter --dpi 300 --encoding g4 --seed 18 >/dev/null
"$GEN" --out "$in/dust" --type gcn --edition current --condition noise --dpi 300 --encoding g4 --seed 24 >/dev/null

expect_exit 0 "ingest with OCR, -j 2" socr ingest -j 2 --report "$T/r.json" "$in"
id_of() { jq -r --arg p "$1" '.files[] | select(.path | contains($p)) | .id' "$T/r.json"; }
page() { socr show --json "$(id_of "$1")" | jq -r ".pages[0].$2"; }
# share of the page's printed words found in its OCR text
score() {
	gt=$(ls "$in/$1"/*.json)
	socr show --json "$(id_of "/$1/")" | jq -r '.pages[].text' >"$T/ocr.txt"
	jq -r '.lines[]' "$gt" | tr ' ' '\n' | sed 's/[,.:;()]//g' | grep -v '^$' | sort >"$T/gt.words"
	tr -s ' \n' '\n\n' <"$T/ocr.txt" | sed 's/[,.:;()]//g' | grep -v '^$' | sort >"$T/ocr.words"
	total=$(wc -l <"$T/gt.words")
	found=$(comm -12 "$T/gt.words" "$T/ocr.words" | wc -l)
	echo $((found * 100 / total))
}
for c in rot90 rot180 rot270; do
	check "a page turned $c is found turned by ${c#rot}" test "$(page /$c/ rotation)" = "${c#rot}"
	check "and comes back upright: 95% of its words read" test "$(score $c)" -ge 95
done
# marks that say plainly "upside down" are confirmed by the page reading
# well turned, not by two strips read first
check "a page scanned upside down is turned on its marks, no strip read" test "$(page /rot180/ orientation.sampled)" = false
check "an upright page is not turned" test "$(page /clean/ rotation)" = 0
check "the clean page: 95% of its words read" test "$(score clean)" -ge 95
name=$(jq -r .fields.ho_ten "$in"/clean/*.json)
check "the child's name is in the text ($name)" sh -c "socr() { \"$SOHOA\" -c \"$OCRCONF\" \"\$@\"; }; socr show --json $(id_of /clean/) | jq -r '.pages[0].text' | grep -qF '$name'"
skew=$(page /skew/ skew)
check "a 2.5 degree skew is measured as $skew, within 0.2" sh -c "echo '$skew' | awk '{ d = \$1 - 2.5; exit !(d < 0.2 && d > -0.2) }'"
check "the skewed page: 95% of its words read" test "$(score skew)" -ge 95
check "an old typewritten form on yellowed paper: 90% of its words" test "$(score old)" -ge 90
check "page confidence is kept" test "$(page /clean/ confidence)" -ge 80
# the seal stamped over the signer's name: Tesseract took name and rings
# for one picture and read no name until the rings were kept from it
signer=$(jq -r '.page_lines[-1][-1]' "$in"/clean/*.json)
check "the seal over the signature is found" test "$(page /clean/ seals)" = 1
check "and the signer's name under it is read ($signer)" sh -c "socr() { \"$SOHOA\" -c \"$OCRCONF\" \"\$@\"; }; socr show --json $(id_of /clean/) | jq -r '.pages[0].text' | grep -qF '$signer'"
# monospaced print dots its zeros, read as 8 or 9 until the dot goes
dates=$(jq -r '.printed | to_entries[] | select(.key | startswith("ngay")) | .value' "$in"/mono/*.json)
socr show --json "$(id_of /mono/)" | jq -r '.pages[].text' | tr -d ' ' >"$T/mono.txt"
for d in $dates; do
	check "a typewritten date with dotted zeros is read: $d" grep -qF -- "$d" "$T/mono.txt"
done
check "the typewritten page: 97% of its words read" test "$(score mono)" -ge 97
# dust beside the words reads as colons and stops gluing them together
check "a dusty land certificate: 97% of its words read" test "$(score dust)" -ge 97
check "its title's words are not glued by dust" sh -c "socr() { \"$SOHOA\" -c \"$OCRCONF\" \"\$@\"; }; socr show --json $(id_of /dust/) | jq -r '.pages[0].text' | grep -qF 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'"
expect_exit 0 "page writes a PNG" socr page "$(id_of /rot90/)" 1 -o "$T/p.png"
check "a real PNG" sh -c "head -c 8 '$T/p.png' | od -An -c | grep -q 'P   N   G'"
expect_exit 0 "page writes the stored G4 TIFF" socr page "$(id_of /rot90/)" 1 -o "$T/p.tif"
expect_exit 0 "the cleaned page is itself a valid bilevel TIFF" sohoa ingest --report "$T/rp.json" "$T/p.tif"
check "upright: the cleaned page of the sideways scan is portrait" test "$(sohoa show --json "$(jsonq "$T/rp.json" '.files[0].id')" | jq '.pages[0].height > .pages[0].width and .pages[0].mode == "bilevel"')" = true
expect_exit 0 "page writes a sealed page's stored TIFF" socr page "$(id_of /mono/)" 1 -o "$T/c.tif"
expect_exit 0 "read again with OCR" socr ingest --report "$T/rc.json" "$T/c.tif"
check "the stored page keeps its seal: found on it again" test "$(socr show --json "$(jsonq "$T/rc.json" '.files[0].id')" | jq '.pages[0].seals')" = 1
expect_exit 2 "page 0 is a usage error" socr page "$(id_of /clean/)" 0 -o "$T/x.png"
expect_exit 1 "a page beyond the last is an error" socr page "$(id_of /clean/)" 2 -o "$T/x.png"

# a page with nothing on it: reported with its reason, the record kept
"$MKTIFF" "$T/blank.tif" blank 1 5 1654 2339
expect_exit 0 "a blank page is stored" socr ingest --report "$T/rb.json" "$T/blank.tif"
check "and reported: 'page 1: no text found'" test "$(jq -r '.files[0].status + ": " + .files[0].warnings[0]' "$T/rb.json")" = "stored: page 1: no text found"

# -j 1 stores the same text as -j 2
mv "$SOHOA_STORE" "$T/store-j2"
expect_exit 0 "ingest with OCR, -j 1" socr ingest -j 1 --report "$T/r1.json" "$in"
same=1
for f in $(jq -r '.files[].path' "$T/r.json"); do
	a=$(jq -r --arg p "$f" '.files[] | select(.path == $p) | .id' "$T/r.json")
	b=$(jq -r --arg p "$f" '.files[] | select(.path == $p) | .id' "$T/r1.json")
	"$SOHOA" -c "$OCRCONF" --store "$T/store-j2" show --json "$a" | jq '[.pages[].text]' >"$T/a.json"
	socr show --json "$b" | jq '[.pages[].text]' >"$T/b.json"
	cmp -s "$T/a.json" "$T/b.json" || same=0
done
check "-j 1 and -j 2 store the same text" test $same = 1

# the syllable model the diacritics are chosen by: missing or damaged,
# ingest refuses to start, naming it and saying how to go without it;
# nothing is stored
one=$(ls "$in"/clean/*.tif | head -1)
sed "s|^syllables = .*|syllables = $T/none.lm.zst|" "$OCRCONF" >"$T/nomodel.conf"
expect_exit 1 "ingest with a missing syllable model" "$SOHOA" -c "$T/nomodel.conf" --store "$T/s-nomodel" ingest "$one"
contains "$T/err" "$T/none.lm.zst" "names the model's file"
contains "$T/err" "empty to read without it" "and says how to read without it"
printf 'not a model\n' | zstd -q -c >"$T/bad.lm.zst"
sed "s|^syllables = .*|syllables = $T/bad.lm.zst|" "$OCRCONF" >"$T/badmodel.conf"
expect_exit 1 "ingest with a damaged syllable model" "$SOHOA" -c "$T/badmodel.conf" --store "$T/s-badmodel" ingest "$one"
contains "$T/err" "$T/bad.lm.zst' is damaged" "names it as damaged"
check "no record stored" test "$(socr --store "$T/s-nomodel" stats --json | jq .records)$(socr --store "$T/s-badmodel" stats --json | jq .records)" = 00
