# hostile-site.sh - what a hostile week does to the site (issue 29): an
# account disabled from the command line, every account disabled, a NUL
# in the path, a queue offset at the end of the integers, an admin form
# without a name, 300 slow connections from one address, forty names
# tried from one address, an API token's scope. Each check failed
# before its fix; each is named after what it checks.
. "$TESTS/lib.sh"
socr() { "$SOHOA" -c "$OCRCONF" "$@"; }
socr -q ingest -j 2 "$REPO/seeds/khai-sinh-0001.tif" "$REPO/seeds/khai-tu-0006.tif"
printf 'quan-tri-mat-khau\n' | socr -q user add boss --role admin
printf 'kiem-tra-mat-khau\n' | socr -q user add lan --role reviewer
port=$((12000 + $$ % 20000))
u="http://127.0.0.1:$port"
check "the site starts" serve_bg "$OCRCONF" "127.0.0.1:$port"
get() { curl -s --path-as-is -o "$T/body" -w '%{http_code}' "$@"; }
login() { # login NAME PASSWORD: the session id
	rm -f "$T/jar"
	curl -s -o /dev/null -c "$T/jar" -d "user=$1" -d "password=$2" "$u/login"
	awk '$6 == "sohoa_session" {print $7}' "$T/jar"
}
csrf_of() { curl -s -b "sohoa_session=$1" "$u/queue" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//'; }

# a NUL in the path or an argument is refused, not served cut at it
boss=$(login boss quan-tri-mat-khau)
check "nul-in-url: /record/HS-000001%00 is 400" test "$(get -b "sohoa_session=$boss" "$u/record/HS-000001%00")" = 400
check "nul-in-url: /api/search?q=a%00b is 400" test "$(get -b "sohoa_session=$boss" "$u/api/search?q=a%00b")" = 400
check "nul-in-url: the same without the NUL is 200" test "$(get -b "sohoa_session=$boss" "$u/record/HS-000001")" = 200

# a queue offset past every integer: no overflow, no page after the end
check "queue-from-overflow: /queue?from=9223372036854775807 answers 200" \
	test "$(get -b "sohoa_session=$boss" "$u/queue?from=9223372036854775807")" = 200
check "queue-from-overflow: with no link to a page after it" sh -c "! grep -q 'Trang sau' '$T/body'"
check "queue-from-overflow: /api/queue?from=-5&limit=99999999999999999999 answers 200" \
	test "$(get -b "sohoa_session=$boss" "$u/api/queue?from=-5&limit=99999999999999999999")" = 200

# an admin operation with an empty name is a bad request, not a 500
bc=$(csrf_of "$boss")
for op in disable token; do
	check "admin-empty-name: op=$op with no name is 400" \
		test "$(get -b "sohoa_session=$boss" -d "csrf=$bc" -d "op=$op" -d "name=" "$u/admin")" = 400
	check "admin-empty-name: op=$op names the problem, no LMDB error" \
		sh -c "grep -q 'is not a user name' '$T/body' && ! grep -q MDB_ '$T/body'"
done

# an API token is read-only unless asked otherwise, and says when it ends
tok=$(socr user token lan 2>"$T/tok.err")
contains "$T/tok.err" "a read-only token, good until" "token-scope: the token says its scope and its end"
check "token-scope: a read-only token searches" test "$(get -H "Authorization: Bearer $tok" "$u/api/search?q=an")" = 200
check "token-scope: but may not read the review queue (a reviewer's)" \
	test "$(get -H "Authorization: Bearer $tok" "$u/api/queue")" = 403
wtok=$(socr -q user token lan --write --days 1)
check "token-scope: a --write token has the account's role" \
	test "$(get -H "Authorization: Bearer $wtok" "$u/api/queue")" = 200

# disabling an account from the command line ends its site sessions
lan=$(login lan kiem-tra-mat-khau)
lc=$(csrf_of "$lan")
check "cli-disable: a reviewer's session reads the queue" test "$(get -b "sohoa_session=$lan" "$u/queue")" = 200
socr -q user disable lan
check "cli-disable: after 'sohoa user disable' the old cookie no longer reads the queue" \
	test "$(get -b "sohoa_session=$lan" "$u/queue")" = 401
before=$(socr show --json HS-000001 | jq .version)
get -b "sohoa_session=$lan" -d "csrf=$lc" -d "version=$before" -d "action=accept" "$u/review/HS-000001" >"$T/code"
check "cli-disable: nor saves a correction" test "$(cat "$T/code")" = 401
check "cli-disable: the record is unchanged" test "$(socr show --json HS-000001 | jq .version)" = "$before"

# one address cannot take every connection: 300 slow ones from
# 127.0.0.1, and ten normal requests from 127.0.0.2 are all answered
python3 - "$port" >"$T/slow.out" 2>&1 <<'PY' &
import socket, sys, time
port = int(sys.argv[1])
held = []
for i in range(300):
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=2)
        s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")   # never finished
        held.append(s)
    except OSError:
        pass
print(len(held), "held", flush=True)
time.sleep(12)
PY
slow=$!
sleep 3
good=0
for i in 1 2 3 4 5 6 7 8 9 10; do
	[ "$(curl -s -m 5 --interface 127.0.0.2 -o /dev/null -w '%{http_code}' "$u/login")" = 200 ] && good=$((good + 1))
done
check "per-address-limit: 10 of 10 requests from another address answered during 300 slow connections" test $good = 10
kill $slow 2>/dev/null; wait $slow 2>/dev/null

# forty names tried from one address: slowed after twenty
slowed=0
for i in $(seq 40); do
	code=$(curl -s --interface 127.0.0.3 -o /dev/null -w '%{http_code}' -d "user=guess$i" -d "password=wrong-password" "$u/login")
	[ "$code" = 429 ] && slowed=$((slowed + 1))
done
check "login-throttle-address: forty names from one address, the later ones slowed (429)" test $slowed -ge 15
check "login-throttle-address: another address is not" \
	test "$(curl -s --interface 127.0.0.4 -o /dev/null -w '%{http_code}' -d user=boss -d password=quan-tri-mat-khau "$u/login")" = 303

# a login with a newline in the name cannot forge a line of `sohoa log`
curl -s -o /dev/null --data-urlencode "user=$(printf 'x\n2026-12-01T00:00:00Z  admin1  user-add  backdoor')" \
	-d password=wrong-password "$u/login"
socr log >"$T/log.txt"
check "log-forging: a name with a newline stays on its own line in sohoa log" \
	sh -c "! grep -q '^2026-12-01T00:00:00Z  admin1' '$T/log.txt' && grep -qF 'x\\x0a2026-12-01T00:00:00Z  admin1  user-add  backdoor' '$T/log.txt'"

# every account disabled on loopback: no anonymous viewing
socr -q user disable boss
check "loopback-anonymous: with every account disabled, / asks for a login (401)" test "$(get "$u/")" = 401
check "loopback-anonymous: and an original is not handed out" test "$(get "$u/original/HS-000001")" = 401
kill $spid; wait $spid 2>/dev/null
check "the site stopped cleanly (no sanitizer report)" sh -c "! grep -q 'ERROR: AddressSanitizer\|runtime error:' '$T/serve.log'"
