# catalogue.sh - the field catalogue is the one place a field is named:
# a field added there (and its label in the rules of a type that prints
# it) is read, searched by field, shown with its label on the site and
# carried in the exports, with no change to the program; a catalogue or
# rules that disagree is refused, naming the file and the field; no C
# source lists field names.
. "$TESTS/lib.sh"

# --- no field names in C: the catalogue's keys as string literals -----
keys=$(sed -n 's/^\[field \(.*\)\]$/\1/p' "$REPO/config/fields/catalogue.ini")
check "the catalogue names its fields ($(echo "$keys" | wc -l))" test "$(echo "$keys" | wc -l)" -ge 30
: >"$T/named"
for k in $keys; do
	grep -rnF "\"$k\"" "$REPO/src" --include=*.c --include=*.h |
		grep -v 'catalogue-ok' >>"$T/named" || true
done
check "no C source names a field of the catalogue ($(wc -l <"$T/named") lines)" test ! -s "$T/named"
if [ -s "$T/named" ]; then sed 's/^/#   /' "$T/named" | head -20; fi

# --- a field added by configuration alone ------------------------------
# The birth certificate's residence line ("Nơi cư trú:", the mother's
# first) is read today only so that no field's value runs into it.
rules="$T/rules"
cp -r "$REPO/config/fields" "$rules"
sed -i 's/^\[_noi_cu_tru\]$/[noi_cu_tru]/' "$rules/khai-sinh.conf"
cat >>"$rules/catalogue.ini" <<'EOF'

[field noi_cu_tru]
label = Nơi cư trú của mẹ
kind = place
index = place
EOF
conf="$T/cat.conf"
sed "s|^rules = .*|rules = $rules|" "$OCRCONF" >"$conf"
s() { "$SOHOA" -c "$conf" "$@"; }
mkdir -p "$T/in"
cp "$REPO/seeds/khai-sinh-0001.tif" "$T/in/"
expect_exit 0 "ingest a birth certificate with the added field" s -q ingest --report "$T/r.json" "$T/in"
id=$(jq -r '.files[0].id' "$T/r.json")
s show --json "$id" >"$T/rec.json"
value=$(jq -r '.fields.noi_cu_tru.value // empty' "$T/rec.json")
echo "# noi_cu_tru read: $value"
check "the added field is read from the page" test -n "$value"
word=$(printf '%s' "$value" | tr ',' ' ' | awk '{ for (i = NF; i > 0; i--) if (length($i) > 3) { print $i; exit } }')
s search --json "noi_cu_tru:$word" >"$T/hits.json"
check "it is searched by field (noi_cu_tru:$word)" test "$(jq -r '.hits[0].id' "$T/hits.json")" = "$id"
expect_exit 2 "the stock catalogue does not know it" "$SOHOA" -c "$OCRCONF" search "noi_cu_tru:$word"
expect_exit 0 "a bag is exported" s -q export --out "$T/bag"
head -1 "$T/bag/data/records.csv" | tr -d '\r' >"$T/head"
contains "$T/head" ",ngay_cap,so_dinh_danh,noi_cu_tru,source_file" "records.csv carries it, in the catalogue's order"
check "with its value" grep -qF "$word" "$T/bag/data/records.csv"
port=$((20000 + ($$ + 7) % 20000))
check "serve starts with the added field" serve_bg "$conf" "127.0.0.1:$port"
curl -s -o "$T/page.html" "http://127.0.0.1:$port/record/$id"
contains "$T/page.html" "Nơi cư trú của mẹ" "the site shows it with its label"
contains "$T/page.html" "Họ và tên" "and the stock fields with theirs"
kill "$spid" 2>/dev/null; wait "$spid" 2>/dev/null

# --- catalogue and rules that disagree ---------------------------------
sed -i '/^\[noi_sinh\]/,/^kind/ s/^kind = place$/kind = text/' "$rules/khai-sinh.conf"
expect_exit 1 "a field whose kind the rules give otherwise is refused" s -q ingest "$T/in"
sohoa_err=$(s -q ingest "$T/in" 2>&1 >/dev/null || true)
case $sohoa_err in
*khai-sinh.conf*noi_sinh*kind*) ok "naming the rules file and the field" ;;
*) nok "naming the rules file and the field: $sohoa_err" ;;
esac
# rules of one's own without the catalogue beside them: said so, and
# where sohoa's is
rm "$rules/catalogue.ini"
expect_exit 1 "rules without their catalogue are refused" s -q ingest "$T/in"
err=$(s -q ingest "$T/in" 2>&1 >/dev/null || true)
case $err in
*"$rules/catalogue.ini"*"no such file"*"catalogue.ini"*fields*) ok "naming the file missing and where sohoa's is" ;;
*) nok "naming the file missing and where sohoa's is: $err" ;;
esac
cp "$REPO/config/fields/catalogue.ini" "$REPO/config/fields/khai-sinh.conf" "$rules/"
printf '\n[field x]\nlabel = X\nkind = text\nindex = date\n' >>"$rules/catalogue.ini"
expect_exit 2 "a date field without its code is refused" s search "x:1990"
err=$(s search "x:1990" 2>&1 || true)
case $err in
*catalogue.ini*"'x'"*) ok "naming the catalogue and the field" ;;
*) nok "naming the catalogue and the field: $err" ;;
esac
