# fuzz.sh - a few thousand random requests at the site on loopback
# (tests/tools/fuzz.py: random paths, query strings and form bodies with
# bytes that are not UTF-8, NUL bytes, huge values, odd methods, raw
# garbage on the socket), half of them logged in as a reviewer with the
# session's CSRF token: every one is answered 2xx, 3xx or 4xx, the site
# never dies, and still serves a search and its records afterwards. In
# `make check-asan` the site is the AddressSanitizer/UBSan build.
. "$TESTS/lib.sh"
socr() { "$SOHOA" -c "$OCRCONF" "$@"; }
socr -q ingest -j 2 "$REPO/seeds"
printf 'fuzz-mat-khau\n' | socr -q user add fuzz --role admin
port=$((10000 + $$ % 10000))
u="http://127.0.0.1:$port"
check "the site starts" serve_bg "$OCRCONF" "127.0.0.1:$port"
curl -s -o /dev/null -c "$T/jar" -d user=fuzz -d password=fuzz-mat-khau "$u/login"
sid=$(awk '$6 == "sohoa_session" {print $7}' "$T/jar")
csrf=$(curl -s -b "sohoa_session=$sid" "$u/queue" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
check "a session to fuzz with" test -n "$sid" -a -n "$csrf"
python3 "$REPO/tests/tools/fuzz.py" "127.0.0.1:$port" "${FUZZ_N:-3000}" 21 "$sid" "$csrf"
check "the site is still running" kill -0 $spid
curl -s -o /dev/null -c "$T/jar" -d user=fuzz -d password=fuzz-mat-khau "$u/login"
sid=$(awk '$6 == "sohoa_session" {print $7}' "$T/jar")
check "and still serves a search" test "$(curl -s -o /dev/null -w '%{http_code}' -b "sohoa_session=$sid" "$u/api/search?q=nguyen")" = 200
check "and a record" test "$(curl -s -o /dev/null -w '%{http_code}' -b "sohoa_session=$sid" "$u/record/HS-000001")" = 200
kill $spid; wait $spid 2>/dev/null
check "it stopped cleanly (no sanitizer report)" sh -c "! grep -q 'ERROR: AddressSanitizer\|runtime error:' '$T/serve.log'"
check "the store is sound after it" "$SOHOA" -c "$OCRCONF" -q check
