# browser.sh - a clerk's visit in headless Chromium (Debian's chromium,
# driven by playwright-core from npm): type a toneless name, click the
# first hit, see the page image load; the screenshot is kept in
# build/tests/browser-record.png to look at.
. "$TESTS/lib.sh"
socr() { "$SOHOA" -c "$OCRCONF" "$@"; }
dir="$REPO/tests/browser"
check "chromium is installed" test -x /usr/bin/chromium
check "playwright-core is installed" test -d "$dir/node_modules/playwright-core"
socr -q ingest -j 2 --report "$T/r.json" "$REPO/seeds"
ks=$(jq -r '.files[] | select(.path | endswith("khai-sinh-0001.tif")) | .id' "$T/r.json")
name=$(socr show --json "$ks" | jq -r .fields.ho_ten.value | sed 'y/ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ/AAAAAAAAAAAAAAAAADEEEEEEEEEEEIIIIIOOOOOOOOOOOOOOOOOUUUUUUUUUUUYYYYY/' | tr 'A-Z' 'a-z')
port=$((40000 + $$ % 20000))
check "the site starts" serve_bg "$OCRCONF" "127.0.0.1:$port"
shot="$BUILD/tests/browser-record.png"
mkdir -p "$BUILD/tests"
rm -f "$shot"
(cd "$dir" && node browser.mjs "http://127.0.0.1:$port" "$name" "$shot")
check "a screenshot was saved ($shot)" test -s "$shot"
kill $spid; wait $spid 2>/dev/null
