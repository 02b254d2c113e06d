# station.sh - the review station in headless Chromium: a reviewer logs
# in, opens the queue, corrects two fields and accepts a record with the
# keyboard only; a viewer's correction is refused; a POST without the
# CSRF token is refused; two people saving one record: the second is
# told who changed it and nothing is lost; markup typed into a field
# comes back escaped; and the access log holds each of those actions.
# The screenshot is kept in build/tests/station.png to look at.
. "$TESTS/lib.sh"
socr() { "$SOHOA" -c "$OCRCONF" "$@"; }
dir="$REPO/tests/browser"
socr -q ingest -j 2 "$REPO/seeds"
printf 'lan-mat-khau-1\n' | socr -q user add lan --role reviewer
printf 'minh-mat-khau-2\n' | socr -q user add minh --role reviewer
printf 'xem-mat-khau-3\n' | socr -q user add xem --role viewer
printf 'admin-mat-khau-4\n' | socr -q user add quan --role admin
queued=$(socr review --json | jq .total)
check "the seeds leave records to review ($queued)" test "$queued" -ge 2
port=$((30000 + $$ % 10000))
check "the site starts" serve_bg "$OCRCONF" "127.0.0.1:$port"
shot="$BUILD/tests/station.png"
mkdir -p "$BUILD/tests"
rm -f "$shot"
(cd "$dir" && node station.mjs "http://127.0.0.1:$port" "$shot" "$T/ids")
check "a screenshot of the station was saved ($shot)" test -s "$shot"
# the access log in the site: for an admin only
u="http://127.0.0.1:$port"
curl -s -o /dev/null -c "$T/admin.jar" -d user=quan -d password=admin-mat-khau-4 "$u/login"
curl -s -o /dev/null -c "$T/lan.jar" -d user=lan -d password=lan-mat-khau-1 "$u/login"
check "an admin reads the access log in the site" test "$(curl -s -o "$T/log.html" -w '%{http_code}' -b "$T/admin.jar" "$u/admin/log")" = 200
contains "$T/log.html" "csrf-refused" "with the refusals in it"
check "a reviewer may not (403)" test "$(curl -s -o /dev/null -w '%{http_code}' -b "$T/lan.jar" "$u/admin/log")" = 403
check "nor manage accounts" test "$(curl -s -o /dev/null -w '%{http_code}' -b "$T/lan.jar" -d op=add -d name=x -d role=admin -d password=12345678 "$u/admin")" = 403
csrf=$(curl -s -b "$T/admin.jar" "$u/admin" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
check "an admin adds an account from the site" test "$(curl -s -o "$T/add.html" -w '%{http_code}' -b "$T/admin.jar" --data-urlencode "csrf=$csrf" -d op=add -d name=thu -d role=viewer -d password=thu-mat-khau "$u/admin")" = 200
check "which then logs in" test "$(curl -s -o /dev/null -w '%{http_code}' -d user=thu -d password=thu-mat-khau "$u/login")" = 303
check "and runs the fixity check" sh -c "curl -s -b '$T/admin.jar' --data-urlencode 'csrf=$csrf' -d op=check '$u/admin' | grep -q 'tất cả nguyên vẹn'"
kill $spid; wait $spid 2>/dev/null
first=$(sed -n 1p "$T/ids"); second=$(sed -n 2p "$T/ids")
socr show --json "$first" >"$T/first.json"
check "the corrections are stored, by lan" test "$(jq -r '[.history[] | select(.event == "corrected") | .user] | first' "$T/first.json")" = lan
check "with two changes in one event" test "$(jq '[.history[] | select(.event == "corrected")][0].changes | length' "$T/first.json")" = 2
check "the accepted record is marked reviewed by lan" test "$(socr show --json "$second" | jq -r .reviewed.user)" = lan
check "and has left the queue" sh -c "! '$SOHOA' -c '$OCRCONF' review --json | jq -r '.records[].id' | grep -qx '$second'"
socr log --json >"$T/log.json"
for a in login view-record correct accept denied csrf-refused conflict view-page; do
	check "the access log holds '$a'" test "$(jq --arg a "$a" '[.[] | select(.action == $a)] | length' "$T/log.json")" -ge 1
done
check "the viewer's refusal names the viewer" test "$(jq -r '[.[] | select(.action == "denied")][0].user' "$T/log.json")" = xem
check "each entry has time, user, action, address" test "$(jq '[.[] | select(.time and .user and .action and .address)] | length' "$T/log.json")" = "$(jq length "$T/log.json")"
check "sohoa log --record finds one record's entries" test "$(socr log --record "$first" --json | jq '[.[] | select(.record != "'"$first"'")] | length')" = 0
check "sohoa log --user finds one person's" test "$(socr log --user minh --json | jq '[.[] | select(.user != "minh")] | length')" = 0
