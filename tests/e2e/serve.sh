# serve.sh - the clerks' site on a loopback port against a store from
# seeds/: search page, a hit, the record page, a page image, the
# original, the API against `search --json`; escaping of queries and
# corrected fields, refused ids and paths, bounds, accounts beyond
# loopback (login, session cookie, API token, failed logins slowed),
# one log line a request.
. "$TESTS/lib.sh"
socr() { "$SOHOA" -c "$OCRCONF" "$@"; }
socr -q ingest -j 2 --report "$T/r.json" "$REPO/seeds"
ks=$(jq -r '.files[] | select(.path | endswith("khai-sinh-0001.tif")) | .id' "$T/r.json")
name=$(socr show --json "$ks" | jq -r .fields.ho_ten.value)
toneless=$(printf '%s' "$name" | sed 'y/ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ/AAAAAAAAAAAAAAAAADEEEEEEEEEEEIIIIIOOOOOOOOOOOOOOOOOUUUUUUUUUUUYYYYY/' | tr 'A-Z ' 'a-z+')
port=$((20000 + $$ % 20000))
start() { # start ADDR:PORT [config]: serve in the background, wait for it
	"$SOHOA" -c "${2:-$OCRCONF}" serve --listen "$1" 2>"$T/serve.log" &
	spid=$!
	for i in $(seq 50); do
		curl -s -o /dev/null "http://$1/login" && return 0
		sleep 0.1
	done
	return 1
}
get() { curl -s --path-as-is -o "$T/body" -w '%{http_code}' "$@"; }
check "serve starts on 127.0.0.1:$port" start "127.0.0.1:$port"
u="http://127.0.0.1:$port"

check "the search page answers 200" test "$(get "$u/")" = 200
contains "$T/body" '<input type="search" name="q"' "with a search box"
contains "$T/body" 'lang="vi"' "in Vietnamese"
check "a toneless name finds the record" test "$(get "$u/?q=$toneless")" = 200
contains "$T/body" "href=\"/record/$ks\"" "the hit links to the record"
contains "$T/body" "<mark>" "the matched words are marked"
contains "$T/body" "/page/$ks/1.png?w=180" "with a thumbnail"
# a query that is not UTF-8 is refused, and the site lives on
check "GET /api/search?q=%ff is refused with 400" test "$(get "$u/api/search?q=%ff")" = 400
contains "$T/body" "not valid UTF-8" "saying why"
check "GET /?q=%c3%28 is refused with 400" test "$(get "$u/?q=%c3%28")" = 400
check "and the site still answers a search" test "$(get "$u/api/search?q=$toneless")" = 200
# what the clerk types: one word that matches nothing, a letter short
check "a query with one word found nowhere answers 200" test "$(get "$u/?q=$toneless+qzwx")" = 200
contains "$T/body" "khớp một phần, thiếu «qzwx»" "its records holding the other words are labelled partial"
contains "$T/body" "href=\"/record/$ks\"" "the record asked for among them"
contains "$T/body" "Có phải bạn muốn tìm: <a href=\"/?q=$toneless\">" "and the query that would match is offered"
short=$(printf '%s' "$toneless" | sed 's/.$//')
check "a name a letter short answers 200" test "$(get "$u/?q=$short")" = 200
contains "$T/body" "href=\"/record/$ks\"" "and finds the record"
check "a type filter and a year range" test "$(get "$u/?q=&type=khai-sinh&from=2000&to=2030")" = 200
contains "$T/body" "href=\"/record/$ks\"" "find it too"
check "the record page" test "$(get "$u/record/$ks")" = 200
contains "$T/body" "Họ và tên" "shows the fields"
contains "$T/body" "$name" "with their values"
contains "$T/body" "Lịch sử" "and the history"
contains "$T/body" "/page/$ks/1.png?w=900" "and the page image"
contains "$T/body" "/original/$ks" "and a link to the original"
check "the page image is a PNG" sh -c "test \$(curl -s '$u/page/$ks/1.png' | head -c 8 | od -An -tx1 | tr -d ' ') = 89504e470d0a1a0a"
check "the original comes back bit-exact" sh -c "curl -s '$u/original/$ks' | cmp -s - '$REPO/seeds/khai-sinh-0001.tif'"
check "the PDF is made on request" sh -c "curl -s -o '$T/site.pdf' '$u/pdf/$ks' && head -c 5 '$T/site.pdf' | grep -q '%PDF-'"
# a land certificate's owners with their details, as a clerk reads them
gcn=$(jq -r '.files[] | select(.path | endswith("gcn-0008.tif")) | .id' "$T/r.json")
owner=$(socr show --json "$gcn" | jq -r '.fields.chu_su_dung_chi_tiet.value[0] | [.[]] | join(", ")')
curl -s -o "$T/gcn.html" "$u/record/$gcn"
check "an owner's details are shown as read ($owner)" sh -c "test -n '$owner' && grep -qF '$owner' '$T/gcn.html'"
# years with no type: each record's own date (a land certificate's
# issue, a registration's date), not the registration date of all
y=$(socr show --json "$gcn" | jq -r '.fields.ngay_cap.value[0:4]')
check "years with no type answer 200 ($y)" test "$(get "$u/?q=&from=$y&to=$y")" = 200
contains "$T/body" "href=\"/record/$gcn\"" "and find the land certificate issued in them"
ky=$(socr show --json "$ks" | jq -r '.fields.ngay_dang_ky.value[0:4]')
check "and a registration of its own year ($ky)" sh -c "test \"\$(curl -s '$u/?q=&from=$ky&to=$ky' | grep -c 'href=\"/record/$ks\"')\" -ge 1"
pdftotext -raw "$T/site.pdf" - | tr -s ' \f\n' '\n\n\n' | grep -v '^$' >"$T/site.txt"
socr show --json "$ks" | jq -r '.pages[].text' | tr -s ' \n' '\n\n' | grep -v '^$' >"$T/stored.txt"
check "it is the stored text over the stored page, not a second reading" cmp -s "$T/site.txt" "$T/stored.txt"
python3 "$TESTS/tools/pdfa_check.py" "$T/site.pdf" /usr/share/color/icc/sRGB.icc | sed 's/^\(n*o*t* *ok - \)/\1the site: /'

check "/api/search answers 200" test "$(get "$u/api/search?q=$toneless")" = 200
socr -q search --json "$(printf '%s' "$toneless" | tr + ' ')" >"$T/cli.json"
check "with the JSON of search --json" test "$(jq -c '[.total, [.hits[].id], .hits[0].fields, .hits[0].snippet]' "$T/body")" = "$(jq -c '[.total, [.hits[].id], .hits[0].fields, .hits[0].snippet]' "$T/cli.json")"
check "a malformed query is 400 in the API" test "$(get "$u/api/search?q=so%3A")" = 400
contains "$T/body" '"error"' "with the error"

# escaping
check "a script in the query" test "$(get "$u/?q=%3Cscript%3Ealert(1)%3C/script%3E")" = 200
check "comes back escaped" sh -c "grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' '$T/body' && ! grep -q '<script>alert' '$T/body'"
socr -q correct "$ks" 'ho_ten=<img src=x onerror=alert(1)>'
check "a corrected field with markup" test "$(get "$u/record/$ks")" = 200
check "comes back escaped" sh -c "grep -q '&lt;img src=x onerror=alert(1)&gt;' '$T/body' && ! grep -q '<img src=x' '$T/body'"
contains "$T/body" "đã sửa" "and marked as a correction"
check "a malformed query on the page is 400" test "$(get "$u/?q=%22open")" = 400
contains "$T/body" "unterminated quote" "saying why"

# ids, paths and bounds
check "../ in a record id is refused" test "$(get "$u/record/../../etc/passwd")" = 404
check "an id that is not one is refused" test "$(get "$u/record/HS-00000%2F")" = 404
check "../ in a page path is refused" test "$(get "$u/page/$ks/../../../etc/passwd.png")" = 404
check "page 0 is refused" test "$(get "$u/page/$ks/0.png")" = 404
check "a page that does not exist is 404" test "$(get "$u/page/$ks/9.png")" = 404
check "an unknown record is 404" test "$(get "$u/record/HS-999999")" = 404
check "a query over 1000 bytes is 400" test "$(get "$u/?q=$(head -c 1200 /dev/zero | tr '\0' a)")" = 400
check "a URL over 2 KB is refused" test "$(get "$u/?q=$(head -c 5000 /dev/zero | tr '\0' a)")" -ge 400
check "POST to the search page is 405" test "$(get -X POST "$u/")" = 405
kill $spid; wait $spid 2>/dev/null
check "one log line a request: time, user, method, path, status, ms" grep -Eq "^[0-9T:-]+Z - GET /record/$ks 200 [0-9.]+ms$" "$T/serve.log"

# beyond loopback: accounts
expect_exit 2 "a non-loopback listener without accounts is refused" "$SOHOA" -c "$OCRCONF" serve --listen "0.0.0.0:$((port + 1))"
contains "$T/err" "needs accounts" "saying why"
echo 'mật-khẩu-lan-42' | socr -q user add lan --role viewer
check "with an account it starts on 0.0.0.0" start "0.0.0.0:$((port + 1))"
u="http://127.0.0.1:$((port + 1))"
check "a request without a login is 401" test "$(get "$u/?q=an")" = 401
contains "$T/body" 'name="user"' "and gets the login form"
contains "$T/body" 'name="password"' "with a password"
check "the API without it is 401" test "$(get "$u/api/search?q=an")" = 401
check "a wrong token is 401" test "$(get -H 'Authorization: Bearer nope' "$u/api/search?q=an")" = 401
tok=$(socr user token lan)
check "Authorization: Bearer with the user's token is 200" test "$(get -H "Authorization: Bearer $tok" "$u/api/search?q=an")" = 200
curl -s -o /dev/null -D "$T/hdr" --data-urlencode 'user=lan' --data-urlencode 'password=mật-khẩu-lan-42' "$u/login"
check "the login sets a session cookie, HttpOnly, SameSite=Strict" grep -qiE '^Set-Cookie: sohoa_session=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=/; Max-Age=[0-9]+' "$T/hdr"
sid=$(sed -n 's/^Set-Cookie: sohoa_session=\([^;]*\);.*/\1/ip' "$T/hdr" | tr -d '\r')
check "which then opens the site" test "$(get -b "sohoa_session=$sid" "$u/record/$ks")" = 200
check "a made-up session is 401" test "$(get -b "sohoa_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" "$u/record/$ks")" = 401
check "a wrong password is 401" test "$(get -d user=lan -d password=nope "$u/login")" = 401
for i in 2 3 4 5; do get -d user=lan -d password=nope "$u/login" >/dev/null; done
check "after five failures in a row the name must wait (429)" test "$(get -d user=lan -d password=nope "$u/login")" = 429
check "even with the right password" test "$(get --data-urlencode user=lan --data-urlencode 'password=mật-khẩu-lan-42' "$u/login")" = 429
contains "$T/body" "thử lại sau" "told how long to wait"
check "a disabled account's token stops working" sh -c "'$SOHOA' -c '$OCRCONF' -q user disable lan && test \"\$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer $tok' '$u/api/search?q=an')\" = 401"
kill $spid; wait $spid 2>/dev/null
check "the failed logins are in the access log" test "$(socr log --action login-failed --json | jq 'length')" = 5
check "the refused one too" test "$(socr log --action login-refused --json | jq '.[0].user')" = '"lan"'
