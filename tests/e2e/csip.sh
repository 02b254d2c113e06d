# csip.sh - E-ARK CSIP packages and the civil-status import, as the
# archive and the Ministry's loader would take them: a package of the
# seeds that validates against the CSIP METS schema and passes `sohoa
# verify`, its files named by the file-code rule, each record's
# description and PREMIS events (a correction with who made it), its ALTO
# valid; a flipped byte, a missing file, an extra file and a broken
# METS.xml each named; the six E-ARK example packages with the expected
# verdicts; --package aip, --bag checked in both layers; the hotich
# spreadsheets read back with openpyxl holding each record's fields,
# their review state and PDF names that are files; hotich.conf deciding
# the columns; bad requests refused.
. "$TESTS/lib.sh"
socr() { "$SOHOA" -c "$OCRCONF" "$@"; }
SCHEMAS="$REPO/../shared/standards"
[ -f "$SCHEMAS/e-ark-csip/schemas/csip-mets.xsd" ] && METS_XSD="$SCHEMAS/e-ark-csip/schemas/csip-mets.xsd" || METS_XSD="$REPO/config/schemas/csip-mets.xsd"
[ -f "$SCHEMAS/alto/alto-3-0.xsd" ] && ALTO_XSD="$SCHEMAS/alto/alto-3-0.xsd" || ALTO_XSD="$REPO/config/schemas/alto-3-0.xsd"
PY=/usr/bin/python3  # Debian's, with python3-openpyxl
mkdir -p "$T/scans"
cp "$REPO"/seeds/khai-sinh-0001.tif "$REPO"/seeds/khai-sinh-0002.tif "$REPO"/seeds/ket-hon-0004.tif "$REPO"/seeds/gcn-0008.tif "$T/scans/"
# two birth registrations of one file (hồ sơ) of the archive
printf 'file,phong,muc_luc,hop,ho_so_so,ghi_chu\nkhai-sinh-0001.tif,P12,3,7,45,rách mép\nkhai-sinh-0002.tif,P12,3,7,45,\n' >"$T/scans/batch.csv"
socr -q ingest -j 2 --report "$T/r.json" "$T/scans"
id_of() { jq -r --arg f "$1" '.files[] | select(.path | endswith($f)) | .id' "$T/r.json"; }
ks1=$(id_of khai-sinh-0001.tif); ks2=$(id_of khai-sinh-0002.tif); kh=$(id_of ket-hon-0004.tif); gcn=$(id_of gcn-0008.tif)
expect_exit 0 "a reviewer corrects a name" socr correct "$ks1" "ho_ten=LÊ THỊ HOA"

expect_exit 0 "export --format csip" socr export --format csip --json --out "$T/sip"
P="$T/sip"
check "the summary: a SIP of 4 records" test "$(jq -c '[.format, .type, .records]' "$T/out")" = '["csip","SIP",4]'
check "no temporary folder is left" test -z "$(ls -d "$T"/sip.partial-* 2>/dev/null)"
check "the CSIP layout: METS.xml, metadata/descriptive, metadata/preservation, representations/rep1/data, schemas" sh -c "test -f '$P/METS.xml' -a -d '$P/metadata/descriptive' -a -f '$P/metadata/preservation/premis.xml' -a -d '$P/representations/rep1/data' -a -f '$P/schemas/mets.xsd'"
check "METS.xml validates against the CSIP METS schema" xmllint --noout --schema "$METS_XSD" "$P/METS.xml"
expect_exit 0 "sohoa verify passes the package" socr verify "$P"
contains "$T/err" "(package): valid" "and says it is a valid package"
R="$P/representations/rep1/data"
check "file names follow the file code: the file's two documents P12.3.45.01 and .02" sh -c "test -f '$R/P12.3.45.01.pdf' -a -f '$R/P12.3.45.02.pdf' -a -f '$R/P12.3.45.01.tif' -a -f '$R/P12.3.45.01.p1.xml' -a -f '$R/P12.3.45.01.p1.tif'"
check "a record outside any file is named by its id" test -f "$R/$kh.01.pdf"
check "the original is bit-exact" cmp -s "$R/P12.3.45.01.tif" "$REPO/seeds/khai-sinh-0001.tif"
n_files=$(find "$P" -type f ! -name METS.xml | wc -l)
n_listed=$(grep -c '<FLocat \|<mdRef ' "$P/METS.xml")
check "METS.xml lists every file ($n_listed of $n_files)" test "$n_files" = "$n_listed"
check "each file with its size, SHA-256 and type" sh -c "! grep '<file ' '$P/METS.xml' | grep -v 'MIMETYPE=\"[a-z]*/[a-z]*\" SIZE=\"[0-9]*\" CREATED=\"[-0-9T:Z]*\" CHECKSUM=\"[0-9a-f]\{64\}\" CHECKSUMTYPE=\"SHA-256\"'"
sum=$(sha256sum "$R/P12.3.45.01.pdf" | cut -d' ' -f1)
check "a listed checksum is the file's" grep -q "CHECKSUM=\"$sum\"" "$P/METS.xml"
check "the header: created by sohoa, package type SIP" sh -c "grep -q 'csip:OAISPACKAGETYPE=\"SIP\"' '$P/METS.xml' && grep -q '<name>sohoa</name>' '$P/METS.xml' && grep -q 'NOTETYPE=\"SOFTWARE VERSION\"' '$P/METS.xml'"
check "the structMap: CSIP, physical, Metadata, Schemas and Representations" sh -c "grep -q '<structMap ID=\"ID-structmap\" TYPE=\"PHYSICAL\" LABEL=\"CSIP\">' '$P/METS.xml' && grep -q 'LABEL=\"Metadata\" DMDID=\"ID-dmd-1 ID-dmd-2 ID-dmd-3 ID-dmd-4\"' '$P/METS.xml' && grep -q 'LABEL=\"Representations\"' '$P/METS.xml'"
for a in "$R"/*.xml; do xmllint --noout --schema "$ALTO_XSD" "$a" 2>/dev/null || echo "$a" >>"$T/bad-alto"; done
check "every ALTO validates against ALTO 3.0" test ! -s "$T/bad-alto"
check "each ALTO names its page image, beside it" sh -c "grep -q '<fileName>P12.3.45.01.p1.tif</fileName>' '$R/P12.3.45.01.p1.xml'"
D="$P/metadata/descriptive/P12.3.45.01.xml"
check "the description carries the archive's metadata" sh -c "grep -q '<ma_ho_so label=\"Mã hồ sơ\">P12.3.45</ma_ho_so>' '$D' && grep -q '<tieu_de label=\"Tiêu đề\">Giấy khai sinh: LÊ THỊ HOA</tieu_de>' '$D' && grep -q '<thoi_han_bao_quan label=\"Thời hạn bảo quản\">Vĩnh viễn</thoi_han_bao_quan>' '$D' && grep -q '<che_do_su_dung label=\"Chế độ sử dụng\">Hạn chế</che_do_su_dung>' '$D' && grep -q '<ngon_ngu label=\"Ngôn ngữ\">Tiếng Việt</ngon_ngu>' '$D' && grep -q '<tong_so_van_ban label=\"Tổng số văn bản\">2</tong_so_van_ban>' '$D' && grep -q 'label=\"Số lượng trang\">1<' '$D' && grep -q 'label=\"Từ khóa\">hộ tịch; khai sinh; LÊ THỊ HOA<' '$D' && grep -q 'label=\"Thời gian bắt đầu\">[0-9][0-9]/[0-9][0-9]/[0-9]\{4\}<' '$D' && grep -q '<tinh_trang_vat_ly\|<ghi_chu label=\"Ghi chú\">rách mép' '$D'"
check "and its fields, the corrected one checked by a person" grep -q '<field name="ho_ten" source="correction" confidence="1.00" reviewed="true">LÊ THỊ HOA</field>' "$D"
check "the PDF's text carries the correction" sh -c "pdftotext -raw '$R/P12.3.45.01.pdf' - | grep -q 'LÊ THỊ HOA'"
PR="$P/metadata/preservation/premis.xml"
check "PREMIS: each file's fixity" sh -c "grep -q '<messageDigest>$sum</messageDigest>' '$PR' && test \$(grep -c '<object ' '$PR') = $((n_files - 1))"
check "PREMIS: ingestion, OCR, field extraction, the correction with who, the packing" sh -c "grep -q '<eventType>ingestion</eventType>' '$PR' && grep -q 'text recognition (OCR)' '$PR' && grep -q 'field extraction' '$PR' && grep -q '<eventDetail>corrected: ho_ten</eventDetail>' '$PR' && grep -q '<linkingAgentIdentifierValue>person-tester</linkingAgentIdentifierValue>' '$PR' && grep -q '<eventType>information package creation</eventType>' '$PR'"
check "PREMIS: the agents, software and the person" sh -c "grep -q '<agentName>Tesseract OCR</agentName>' '$PR' && grep -q '<agentName>tester</agentName>' '$PR' && grep -q '<agentType>person</agentType>' '$PR'"
check "PREMIS is well-formed XML" xmllint --noout "$PR"
check "the export is in each record's history" test "$(socr show --json "$ks1" | jq -r '.history[-1] | .event + " " + .package')" = "exported sip"

# damage, each named
damage() { rm -rf "$T/dmg"; cp -r "$P" "$T/dmg"; }
damage; printf '\001' | dd of="$T/dmg/representations/rep1/data/P12.3.45.01.pdf" bs=1 seek=2000 conv=notrunc 2>/dev/null
expect_exit 3 "a flipped byte" socr verify "$T/dmg"
contains "$T/out" "representations/rep1/data/P12.3.45.01.pdf: [CSIP71] SHA-256" "is named, with the requirement it breaks"
damage; rm "$T/dmg/representations/rep1/data/$kh.01.p1.xml"
expect_exit 3 "a missing file" socr verify "$T/dmg"
contains "$T/out" "representations/rep1/data/$kh.01.p1.xml: [CSIP79] missing" "is named"
damage; echo extra >"$T/dmg/representations/rep1/data/extra.txt"
expect_exit 3 "an extra file" socr verify "$T/dmg"
contains "$T/out" "representations/rep1/data/extra.txt: [unlisted] present but not listed" "is named"
damage; sed -i 's/ CREATEDATE="[^"]*"//' "$T/dmg/METS.xml"
expect_exit 3 "a METS.xml without its creation date" socr verify "$T/dmg"
contains "$T/out" "METS.xml: [CSIP7] metsHdr/@CREATEDATE is missing" "breaks CSIP7"
damage; sed -i 's/<\/mets>/<bad/' "$T/dmg/METS.xml"
expect_exit 3 "a METS.xml that is not XML" socr verify "$T/dmg"
contains "$T/out" "METS.xml: [METS schema] not well-formed" "is named"
damage; sed -i 's/xlink:href="schemas\/mets.xsd"/xlink:href="..\/..\/etc\/passwd"/' "$T/dmg/METS.xml"
expect_exit 3 "a listed path outside the package" socr verify "$T/dmg"
contains "$T/out" "points outside the package" "is refused, not read"
expect_exit 0 "verify --json of the package" socr verify --json "$P"
check "says kind package, valid, no problems" test "$(jq -c '[.kind, .valid, (.problems | length)]' "$T/out")" = '["package",true,0]'

# the six E-ARK examples
mkdir -p "$T/ex"
"$PY" -c "import sys, zipfile; [zipfile.ZipFile(z).extractall(sys.argv[1] + '/' + z.split('/')[-1][:-4]) for z in sys.argv[2:]]" "$T/ex" "$REPO"/tests/standards/e-ark-csip/examples/*.zip
ex() { socr verify "$T/ex/minimal_IP_$1/minimal_IP_with_schemas" >"$T/ex-$1.out" 2>"$T/ex-$1.err"; echo $? >"$T/ex-$1.rc"; }
for e in with_schemas invmets nocrtdt noflscid nomtshdr nopcktyp; do ex $e; done
check "the valid example breaks no CSIP requirement of METS.xml, no schema, lists every file" sh -c "! grep -q '^METS.xml: \|\[unlisted\]' '$T/ex-with_schemas.out'"
check "its one finding: xlink.xsd's line ends were changed after it was listed (its MD5 is of the CRLF form)" sh -c "test \$(wc -l <'$T/ex-with_schemas.out') = 2 && grep -q 'schemas/xlink.xsd: \[CSIP71\] MD5 .*line ends were changed from CRLF to LF' '$T/ex-with_schemas.out' && grep -q 'schemas/xlink.xsd: \[CSIP69\] size 8052, METS.xml says 8322' '$T/ex-with_schemas.out'"
check "its .gitkeep files are notes, not failures" grep -q 'note: metadata/.gitkeep: a hidden file' "$T/ex-with_schemas.err"
check "invmets: not valid METS (namez), and CSIP14: no name" sh -c "grep -q 'METS.xml: \[METS schema\] line [0-9]*: .*namez' '$T/ex-invmets.out' && grep -q '\[CSIP14\]' '$T/ex-invmets.out' && test \$(cat '$T/ex-invmets.rc') = 3"
check "nocrtdt: CSIP7, no creation date" sh -c "grep -q '\[CSIP7\]' '$T/ex-nocrtdt.out' && test \$(cat '$T/ex-nocrtdt.rc') = 3"
check "noflscid: CSIP59, a fileSec without ID" sh -c "grep -q '\[CSIP59\]' '$T/ex-noflscid.out' && test \$(cat '$T/ex-noflscid.rc') = 3"
check "nomtshdr: CSIP117, no metsHdr" sh -c "grep -q '\[CSIP117\]' '$T/ex-nomtshdr.out' && test \$(cat '$T/ex-nomtshdr.rc') = 3"
check "nopcktyp: CSIP9, no package type" sh -c "grep -q '\[CSIP9\]' '$T/ex-nopcktyp.out' && test \$(cat '$T/ex-nopcktyp.rc') = 3"
check "each broken example names only its own rules" sh -c "for e in nocrtdt noflscid nopcktyp; do test \$(grep -o '\[CSIP[0-9]*\]' '$T/ex-'\$e.out | grep -v 'CSIP69\|CSIP71' | sort -u | wc -l) = 1 || exit 1; done"

# killed midway: no package by that name, nothing that looks finished
SOHOA_FAULT=kill-export:2 socr -q export --format csip --out "$T/sip5" >/dev/null 2>&1
check "a package export killed midway dies (137)" test $? = 137
check "leaves no folder by the package's name" test ! -e "$T/sip5"
check "and no METS.xml in what it left" sh -c "! find '$T' -path '*sip5*' -name METS.xml | grep -q ."
expect_exit 0 "the next export to that name works" socr export --format csip --out "$T/sip5"

# AIP, and a package inside a bag
expect_exit 0 "--package aip" socr export --format csip --package aip --out "$T/aip" type:ket-hon
check "is an AIP" grep -q 'csip:OAISPACKAGETYPE="AIP"' "$T/aip/METS.xml"
expect_exit 0 "--bag: the package inside a BagIt bag" socr export --format csip --bag --out "$T/bagged" type:khai-sinh
check "the bag's payload is the package" sh -c "test -f '$T/bagged/bagit.txt' -a -f '$T/bagged/data/bagged/METS.xml'"
expect_exit 0 "verify checks both layers" socr verify "$T/bagged"
contains "$T/err" "(bag holding a package): valid" "and says so"
printf '\001' | dd of="$T/bagged/data/bagged/metadata/descriptive/P12.3.45.02.xml" bs=1 seek=100 conv=notrunc 2>/dev/null
expect_exit 3 "a flipped byte inside" socr verify "$T/bagged"
contains "$T/out" "data/bagged/metadata/descriptive/P12.3.45.02.xml: altered" "the bag names it"
contains "$T/out" "data/bagged/metadata/descriptive/P12.3.45.02.xml: [CSIP29]" "and the package names its rule"
expect_exit 2 "--bag is for csip" socr export --bag --out "$T/x1"
expect_exit 2 "an unknown --format" socr export --format zip --out "$T/x2"
contains "$T/err" "--format 'zip': bag, csip or hotich" "is named"
expect_exit 2 "an unknown --package" socr export --format csip --package xip --out "$T/x3"
expect_exit 2 "an existing --out is refused" socr export --format csip --out "$P"

# the civil-status import
expect_exit 0 "export --format hotich" socr export --format hotich --json --out "$T/ht"
check "three registrations, the land certificate skipped" test "$(jq -c '[.records, .skipped]' "$T/out")" = '[3,1]'
for id in "$ks1" "$ks2" "$kh"; do socr show --json "$id"; done | jq -s . >"$T/shown.json"
"$PY" - "$T/ht" "$T/shown.json" "$REPO/config/export/hotich.conf" >"$T/ht.log" 2>&1 <<'PY'
import configparser, glob, json, os, sys
import openpyxl
out, shown, conf = sys.argv[1], json.load(open(sys.argv[2])), sys.argv[3]
cfg = configparser.ConfigParser(inline_comment_prefixes=None, interpolation=None)
cfg.optionxform = str
cfg.read(conf, encoding="utf-8")
def say(ok, what):
    print(("ok - " if ok else "not ok - ") + what)
rows = {}
for f in sorted(glob.glob(out + "/*.xlsx")):
    ws = openpyxl.load_workbook(f).active
    head = [c.value for c in ws[1]]
    for r in ws.iter_rows(min_row=2, values_only=True):
        rows[r[head.index("Mã hồ sơ số hóa")]] = (os.path.basename(f), ws.title, head, r)
say(len(rows) == 3, f"the spreadsheets hold a row a registration ({len(rows)})")
for rec in shown:
    book, sheet, head, r = rows[rec["id"]]
    cols = list(cfg[rec["type"]].items())
    want = [h for _, h in cols]
    say(head[0:2 * len(cols):2] == want, f"{rec['id']}: a column a field of its type, with the headers of hotich.conf")
    say(sheet == rec["type"], f"{rec['id']}: in the sheet of its type")
    qs = rec["fields"].get("quyen_so", {}).get("value") or "khong-ro"
    say(book == f"{rec['type']}.{qs.replace('/', '_')}.xlsx", f"{rec['id']}: in the book of its quyển số ({book})")
    bad = []
    for i, (field, _) in enumerate(cols):
        v = rec["fields"].get(field, {}).get("value")
        if v and len(v) == 10 and v[4] == "-":
            v = f"{v[8:10]}/{v[5:7]}/{v[0:4]}"
        if (r[2 * i] or None) != (v or None):
            bad.append((field, r[2 * i], v))
    say(not bad, f"{rec['id']}: every field's value, dates dd/mm/yyyy {bad}")
    states = dict((cols[i][0], r[2 * i + 1]) for i in range(len(cols)))
    say(all(s in ("đã kiểm tra", "đã sửa", "đọc máy", "cần kiểm tra", "thiếu", "không có") for s in states.values()),
        f"{rec['id']}: each field's review state beside it")
    if rec["fields"].get("ho_ten", {}).get("source") == "correction":
        say(states["ho_ten"] == "đã sửa", f"{rec['id']}: the corrected name is marked đã sửa")
    pdf = r[head.index("Tệp PDF")]
    say(pdf and os.path.isfile(os.path.join(out, pdf)), f"{rec['id']}: its PDF ({pdf}) is a file of the export")
    doubt = r[head.index("Cần kiểm tra")] or ""
    marked = [cols[i][1] for i in range(len(cols)) if states[cols[i][0]] in ("cần kiểm tra", "thiếu")]
    say(doubt == ", ".join(marked), f"{rec['id']}: what needs a person is listed ({doubt or 'nothing'})")
pdfs = sorted(os.path.basename(p) for p in glob.glob(out + "/*.pdf"))
named = sorted(r[3][r[2].index("Tệp PDF")] for r in rows.values())
say(pdfs == named, "the PDFs are exactly the ones the sheets name")
PY
cat "$T/ht.log"
for f in "$T"/ht/*.pdf; do python3 "$TESTS/tools/pdfa_check.py" "$f" /usr/share/color/icc/sRGB.icc | grep -q '^not ok' && echo "$f" >>"$T/bad-pdf"; done
check "each registration's PDF passes the PDF/A checks" test ! -s "$T/bad-pdf"
# the columns are the configuration's
mkdir -p "$T/myexport"
printf '[files]\npdf = {so}.pdf\nbook = so-{quyen_so}.xlsx\n[ket-hon]\nho_ten_chong = Chồng\nho_ten_vo = Vợ\n' >"$T/myexport/hotich.conf"
sed "s|^settings = .*|settings = $T/myexport|" "$OCRCONF" >"$T/my.conf"
expect_exit 0 "a hotich.conf of two columns" "$SOHOA" -c "$T/my.conf" export --format hotich --out "$T/ht2"
check "gives the sheet those columns, the files those names" "$PY" -c "
import glob, openpyxl, sys
b = glob.glob('$T/ht2/so-*.xlsx'); ws = openpyxl.load_workbook(b[0]).active
h = [c.value for c in ws[1]]
sys.exit(not (len(b) == 1 and h[:4] == ['Chồng', 'Chồng (trạng thái)', 'Vợ', 'Vợ (trạng thái)'] and len(glob.glob('$T/ht2/*.pdf')) == 1))"
printf '[files]\npdf = x.pdf\n' >"$T/myexport/hotich.conf"
expect_exit 1 "a hotich.conf naming no type is refused" "$SOHOA" -c "$T/my.conf" export --format hotich --out "$T/ht3"
contains "$T/err" "names no type of registration" "and says why"
check "and leaves nothing behind" test ! -e "$T/ht3"
