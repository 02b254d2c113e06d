# pdfa.sh - a record's PDF/A and ALTO come from what the store keeps,
# not from a second reading: exported with OCR off, the PDF's text
# (pdftotext) and the ALTO's words are the stored page text word for
# word, a correction made before export included; each ALTO validates
# against ALTO 3.0 and names its page image, which is in the bag; the
# PDF passes the PDF/A-2b checks that can be made here (qpdf --check,
# fonts embedded, XMP part and conformance, output intent and profile).
. "$TESTS/lib.sh"
socr() { "$SOHOA" -c "$OCRCONF" "$@"; }
# ALTO 3.0: the shared standards' copy when there, else the one sohoa ships
ALTO_XSD="$REPO/../shared/standards/alto/alto-3-0.xsd"
[ -f "$ALTO_XSD" ] || ALTO_XSD="$REPO/config/schemas/alto-3-0.xsd"
mkdir -p "$T/scans"
cp "$REPO"/seeds/khai-sinh-0001.tif "$REPO"/seeds/gcn-0008.tif "$T/scans/"
socr -q ingest -j 2 --report "$T/r.json" "$T/scans"
ks=$(jq -r '.files[] | select(.path | endswith("khai-sinh-0001.tif")) | .id' "$T/r.json")
gcn=$(jq -r '.files[] | select(.path | endswith("gcn-0008.tif")) | .id' "$T/r.json")
# words a line, as the stored text has them
words() { tr -s ' \t\f\n' '\n\n\n\n' | grep -v '^$'; }
old=$(socr show --json "$ks" | jq -r .fields.ho_ten.value)
expect_exit 0 "a reviewer corrects the name before export" socr correct "$ks" "ho_ten=TRẦN THỊ THANH XUÂN"
# the expected text: the stored one, the name as corrected
socr show --json "$ks" | jq -r '.pages[].text' | words >"$T/ks.stored"
python3 - "$T/ks.stored" "$old" "TRẦN THỊ THANH XUÂN" >"$T/ks.want" <<'PY'
import sys
w = open(sys.argv[1]).read().split("\n")[:-1]
old, new = sys.argv[2].split(), sys.argv[3].split()
at = [i for i in range(len(w)) if w[i:i + len(old)] == old]
assert len(at) == 1, at
print("\n".join(w[:at[0]] + new + w[at[0] + len(old):]))
PY
socr show --json "$gcn" | jq -r '.pages[].text' | words >"$T/gcn.want"

# with OCR off: nothing can be recognised, the export still has it all
start=$(date +%s)
expect_exit 0 "export with OCR off" sohoa export --json --out "$T/bag"
for id in "$ks" "$gcn"; do
	rd="$T/bag/data/$id"
	np=$(jq '.pages | length' "$rd/record.json")
	pdftotext -raw "$rd/record.pdf" - 2>"$T/pdferr" | words >"$T/$id.pdf"
	check "$id: the PDF's text is the stored text, word for word ($np page(s))" cmp -s "$T/$id.pdf" "$T/$( [ "$id" = "$ks" ] && echo ks || echo gcn).want"
	check "$id: pdftotext reads it without complaint" test ! -s "$T/pdferr"
	alto=""; for n in $(seq 1 "$np"); do alto="$alto $rd/page-$n.xml"; done
	python3 "$TESTS/tools/alto_words.py" $alto >"$T/$id.alto"
	check "$id: the ALTO's words are the same" cmp -s "$T/$id.alto" "$T/$id.pdf"
	for n in $(seq 1 "$np"); do
		check "$id page $n: the ALTO validates against ALTO 3.0" xmllint --noout --schema "$ALTO_XSD" "$rd/page-$n.xml"
		check "$id page $n: the ALTO names its image, which is in the bag" test "$(python3 "$TESTS/tools/alto_words.py" --image "$rd/page-$n.xml")" = "page-$n.tif" -a -s "$rd/page-$n.tif"
		wh=$(pdfimages -f "$n" -l "$n" -list "$rd/record.pdf" | awk 'NR == 3 {print $4 " " $5}')
		check "$id page $n: the ALTO measures the page the PDF shows ($wh)" grep -q "<Page ID=\"p$n\" PHYSICAL_IMG_NR=\"$n\" WIDTH=\"${wh% *}\" HEIGHT=\"${wh#* }\"" "$rd/page-$n.xml"
	done
	check "$id: the PDF has a page a page" test "$(pdfinfo "$rd/record.pdf" | awk '/^Pages:/ {print $2}')" = "$np"
	check "$id: qpdf --check finds nothing" qpdf --check "$rd/record.pdf"
	check "$id: every font is embedded" sh -c "pdffonts '$rd/record.pdf' | awk 'NR > 2 && \$(NF-4) != \"yes\" {bad = 1} END {exit bad || NR < 3}'"
	python3 "$TESTS/tools/pdfa_check.py" "$rd/record.pdf" /usr/share/color/icc/sRGB.icc
	check "$id: the page image is the stored bilevel page (CCITT, 1 bit)" sh -c "pdfimages -list '$rd/record.pdf' | awk 'NR > 2 {n++; if (\$9 != \"ccitt\" || \$8 != 1) bad = 1} END {exit bad || n != $np}'"
done
check "the correction is what sets the PDF apart from the text as read" sh -c "! cmp -s '$T/ks.stored' '$T/$ks.pdf' && grep -qx 'XUÂN' '$T/$ks.pdf'"
check "the PDF is titled with the record" sh -c "pdfinfo '$T/bag/data/$ks/record.pdf' | grep -q '^Title: *$ks khai-sinh'"
# a word on the page sits where the ALTO says
so=$(socr show --json "$ks" | jq -r .fields.so.value)
hpos=$(grep -o "CONTENT=\"$so\" HPOS=\"[0-9]*\"" "$T/bag/data/$ks/page-1.xml" | sed 's/.*HPOS="//; s/"//')
dpi=$(socr show --json "$ks" | jq .pages[0].dpi)
xmin=$(pdftotext -bbox "$T/bag/data/$ks/record.pdf" - | grep ">$so<" | sed 's/.*xMin="\([0-9.]*\)".*/\1/' | head -1)
check "the number's invisible text lies on its printed box (x $xmin pt, ALTO $hpos px at $dpi dpi)" python3 -c "import sys; sys.exit(abs($xmin - $hpos * 72 / $dpi) > 1)"
