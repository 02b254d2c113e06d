# export.sh - BagIt export and verify: a bag that verifies, its layout,
# the original bit-exact, a PDF whose text layer carries Vietnamese (the
# signer's name under the seal too), the archive description from
# batch.csv, --new, refusal of an existing folder, an interrupted
# export, and every kind of damage named.
. "$TESTS/lib.sh"
socr() { "$SOHOA" -c "$OCRCONF" "$@"; }
mkdir -p "$T/scans"
cp "$REPO"/seeds/khai-sinh-0001.tif "$REPO"/seeds/gcn-0008.tif "$REPO"/seeds/ket-hon-0004.tif "$T/scans/"
printf '\357\273\277file,phong,muc_luc,hop,ho_so_so,ghi_chu\nkhai-sinh-0001.tif,P12,3,"Hộp 7",45,"sổ gốc, rách mép"\n' >"$T/scans/batch.csv"
socr -q ingest -j 2 --report "$T/r.json" "$T/scans"
ks=$(jq -r '.files[] | select(.path | endswith("khai-sinh-0001.tif")) | .id' "$T/r.json")
check "show --json has the batch.csv row" test "$(socr show --json "$ks" | jq -c '.archive | [.phong, .hop, .ghi_chu]')" = '["P12","Hộp 7","sổ gốc, rách mép"]'

expect_exit 0 "export every record" socr export --json --out "$T/bag"
check "the summary counts 3 records" test "$(jq .records "$T/out")" = 3
check "no temporary folder is left" test -z "$(ls -d "$T"/bag.partial-* 2>/dev/null)"
expect_exit 0 "verify: the new bag is valid" socr verify "$T/bag"
contains "$T/err" "valid" "and says so"
check "bagit.txt declares BagIt 1.0" grep -qx 'BagIt-Version: 1.0' "$T/bag/bagit.txt"
check "bag-info.txt has Payload-Oxum, Bagging-Date, Record-Count and the selection" sh -c "grep -q '^Payload-Oxum: [0-9]*\.[0-9]*$' '$T/bag/bag-info.txt' && grep -q '^Bagging-Date: ' '$T/bag/bag-info.txt' && grep -qx 'Record-Count: 3' '$T/bag/bag-info.txt' && grep -qx 'Selection: all' '$T/bag/bag-info.txt'"
check "Payload-Oxum is what data/ holds" test "$(sed -n 's/^Payload-Oxum: //p' "$T/bag/bag-info.txt")" = "$(find "$T/bag/data" -type f -printf '%s\n' | awk '{s+=$1; n++} END {print s "." n}')"
check "both payload manifests list every payload file" sh -c "test \$(wc -l <'$T/bag/manifest-sha256.txt') = \$(find '$T/bag/data' -type f | wc -l) && test \$(wc -l <'$T/bag/manifest-sha512.txt') = \$(find '$T/bag/data' -type f | wc -l)"
check "sha256sum agrees with the manifest" sh -c "cd '$T/bag' && sha256sum --quiet -c manifest-sha256.txt && sha256sum --quiet -c tagmanifest-sha256.txt"
check "paths in the bag are ASCII record ids" sh -c "! find '$T/bag' | LC_ALL=C grep -q '[^ -~]' && test -d '$T/bag/data/$ks'"
check "the original is bit-exact" cmp -s "$T/bag/data/$ks/original.tif" "$REPO/seeds/khai-sinh-0001.tif"
pdftotext "$T/bag/data/$ks/record.pdf" "$T/pdf.txt"
contains "$T/pdf.txt" "GIẤY KHAI SINH" "pdftotext reads the PDF's Vietnamese with diacritics"
contains "$T/pdf.txt" "Nơi sinh" "including lowercase marks"
signer=$(jq -r '.page_lines[-1][-1]' "$REPO/seeds/khai-sinh-0001.json")
contains "$T/pdf.txt" "$signer" "and the signer's name under the seal, which the page image keeps"
check "the PDF has one page a scanned page" test "$(pdfinfo "$T/bag/data/$ks/record.pdf" | awk '/^Pages:/ {print $2}')" = 1
check "each page has its ALTO, words with boxes and confidence" grep -q '<String ID="p1_w1" CONTENT="[^"]*" HPOS="[0-9]*" VPOS="[0-9]*" WIDTH="[0-9]*" HEIGHT="[0-9]*" WC="0\.[0-9]*"' "$T/bag/data/$ks/page-1.xml"
socr page "$ks" 1 -o "$T/p1.tif"
check "and its cleaned page image, as stored" cmp -s "$T/p1.tif" "$T/bag/data/$ks/page-1.tif"
check "record.json names each page's image and ALTO" test "$(jq -c '[.files.pdf, .pages[0].image, .pages[0].alto]' "$T/bag/data/$ks/record.json")" = '["record.pdf","page-1.tif","page-1.xml"]'
rj="$T/bag/data/$ks/record.json"
check "record.json: type, fields with confidence and source" test "$(jq -c '[.type, (.fields.so | keys)]' "$rj")" = '["khai-sinh",["box","confidence","source","value"]]'
check "record.json: archive description from batch.csv" test "$(jq -c '.archive | [."Mã hồ sơ", ."Phông", ."Hộp số", ."Ghi chú", ."Mức độ tin cậy", ."Số lượng trang"]' "$rj")" = '["P12.3.45","P12","Hộp 7","sổ gốc, rách mép","Số hóa",1]'
check "record.json: history and OCR confidence" test "$(jq -c '[.history[0].event, (.ocr_confidence > 50)]' "$rj")" = '["ingested",true]'
check "records.csv starts with a byte-order mark and a header" sh -c "head -c 11 '$T/bag/data/records.csv' | od -An -c | tr -s ' ' | grep -q '357 273 277 i d , t y p e'"
check "records.csv has a row a record" test "$(grep -c '^HS-' "$T/bag/data/records.csv")" = 3
check "the export is in each record's history" test "$(socr show --json "$ks" | jq -r '.history[-1] | .event + " " + .bag')" = "exported bag"
check "and in the access log, with who and how many" test "$(socr log --action export --json | jq -r '.[-1] | .user + " " + (.detail | split(" ")[1])')" = "tester records"

expect_exit 2 "an existing --out is refused" socr export --out "$T/bag"
contains "$T/err" "exists" "saying why"
expect_exit 1 "--new with nothing new" socr export --new --out "$T/bag2"
check "writes nothing" test ! -e "$T/bag2"
cp "$REPO/seeds/khai-tu-0006.tif" "$T/scans/"
socr -q ingest "$T/scans"
expect_exit 0 "--new after one more scan" socr export --json --new --out "$T/bag2"
check "exports only the new record" test "$(jq .records "$T/out")" = 1 -a "$(ls "$T/bag2/data" | grep -c '^HS-')" = 1
expect_exit 0 "a query selects records" socr export --json --out "$T/bag3" type:gcn
check "only the land certificate" test "$(jq .records "$T/out")" = 1 -a "$(grep -x 'Selection: type:gcn' "$T/bag3/bag-info.txt")" = "Selection: type:gcn"
expect_exit 2 "a malformed query is a usage error" socr export --out "$T/bag4" 'so:'

SOHOA_FAULT=kill-export:2 socr -q export --out "$T/bag5" >/dev/null 2>&1
check "an export killed midway dies (137)" test $? = 137
check "leaves no folder by the bag's name" test ! -e "$T/bag5"
check "and nothing that looks like a finished bag" sh -c "! find '$T' -path '*bag5*' -name bagit.txt | grep -q ."
expect_exit 0 "the next export to that name works" socr export --out "$T/bag5"

# damage, one kind at a time, on copies
damage() { rm -rf "$T/d"; cp -r "$T/bag" "$T/d"; }
damage; printf '\001' | dd of="$T/d/data/$ks/original.tif" bs=1 seek=200 conv=notrunc 2>/dev/null
expect_exit 3 "a flipped byte" socr verify "$T/d"
contains "$T/out" "data/$ks/original.tif: altered (sha256, sha512" "names the file and the algorithms"
damage; rm "$T/d/data/$ks/page-1.xml"
expect_exit 3 "a deleted file" socr verify "$T/d"
contains "$T/out" "data/$ks/page-1.xml: missing" "is missing"
contains "$T/out" "bag-info.txt: Payload-Oxum says" "and Payload-Oxum disagrees"
damage; echo extra >"$T/d/data/$ks/notes.txt"
expect_exit 3 "an added file" socr verify "$T/d"
contains "$T/out" "data/$ks/notes.txt: added" "is named"
damage; sed -i 's/^Record-Count: 3/Record-Count: 2/' "$T/d/bag-info.txt"
expect_exit 3 "an edited bag-info.txt" socr verify "$T/d"
contains "$T/out" "bag-info.txt: altered (sha256" "is caught by the tag manifest"
damage; sed -i '2s/^\([0-9a-f]*\)  /\1 /; 2s/^[0-9a-f]/zz/' "$T/d/manifest-sha256.txt"
expect_exit 3 "a malformed manifest line" socr verify "$T/d"
contains "$T/out" "manifest-sha256.txt: malformed line 2" "names the manifest and line"
damage; rm "$T/d/bagit.txt"
expect_exit 3 "no bagit.txt" socr verify "$T/d"
expect_exit 1 "verify of a folder that is not there" socr verify "$T/nothing"
expect_exit 0 "verify --json of a good bag" socr verify --json "$T/bag"
check "says valid with no problems" test "$(jq -c '[.valid, (.problems | length)]' "$T/out")" = '[true,0]'

# a bag from another producer: md5 and sha1 manifests, no tag manifest
mkdir -p "$T/other/data/sub"
echo "một" >"$T/other/data/a.txt"; echo "hai" >"$T/other/data/sub/b.txt"
printf 'BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n' >"$T/other/bagit.txt"
(cd "$T/other" && md5sum data/a.txt data/sub/b.txt >manifest-md5.txt && sha1sum data/a.txt data/sub/b.txt >manifest-sha1.txt)
expect_exit 0 "another producer's md5/sha1 bag verifies" socr verify "$T/other"
echo "ba" >"$T/other/data/sub/b.txt"
expect_exit 3 "and its damage is found" socr verify "$T/other"
contains "$T/out" "data/sub/b.txt: altered (md5, sha1" "in both algorithms"

# a batch.csv that cannot be read: the batch goes on, the report says why
mkdir -p "$T/badcsv"
cp "$REPO/seeds/khai-sinh-0003.tif" "$T/badcsv/"
printf 'phong,file\nP1,khai-sinh-0003.tif\n' >"$T/badcsv/batch.csv"
socr -q ingest --report "$T/bad.json" "$T/badcsv" 2>/dev/null
check "a bad batch.csv still stores the scan" test "$(jq -r '.files[0].status' "$T/bad.json")" = stored
check "and the batch's report names the file and the reason, once" sh -c "jq -r '.warnings[]' '$T/bad.json' | grep -q \"badcsv/batch.csv': the first column must be 'file'\" && [ \$(jq '.warnings | length' '$T/bad.json') = 1 ] && ! jq -e '.files[0].warnings' '$T/bad.json' >/dev/null"

# without OCR there is no cleaned page: no PDF, said so in record.json
sohoa -q ingest "$REPO/seeds/khai-sinh-0002.tif" 2>/dev/null
SOHOA_STORE="$T/plain" sohoa -q ingest "$REPO/seeds/khai-sinh-0002.tif"
expect_exit 0 "export from a store without OCR" env SOHOA_STORE="$T/plain" "$SOHOA" -c "$CONF" export --out "$T/bag6"
check "record.json says there is no PDF" test "$(jq -c '.files.pdf' "$T"/bag6/data/HS-000001/record.json)" = null
expect_exit 0 "and the bag verifies" socr verify "$T/bag6"
