# faults.sh - fault injection: the process killed before and after a
# commit and by kill -9 from outside, a map that starts full, a store
# damaged on purpose and one from a newer sohoa. Nothing stored is lost
# and a re-run finishes the batch with every file stored exactly once.
. "$TESTS/lib.sh"
POKE="$BUILD/store_poke"
in="$T/batch"; mkdir -p "$in"
n=24
i=1; while [ $i -le $n ]; do "$MKTIFF" "$in/scan-$i.tif" gray-lzw 2 $i; i=$((i + 1)); done

# all_once WHAT ALREADY: a re-run stores the rest, and then every file of
# $in is stored exactly once and the store is sound
all_once() {
	sohoa ingest --report "$T/again.json" "$in" >/dev/null 2>&1
	check "$1: the re-run stores the other $((n - $2))" test "$(jsonq "$T/again.json" .stored)" = $((n - $2))
	check "$1: and knows the $2 as stored" test "$(jsonq "$T/again.json" .duplicates)" = $2
	check "$1: $n records, no duplicates" test "$(sohoa stats --json | jq .records)" = $n
	check "$1: $n distinct ids" test "$(jq -r '.files[].id' "$T/again.json" | sort -u | wc -l)" = $n
	expect_exit 0 "$1: check passes" sohoa check
}

SOHOA_FAULT=kill-before-commit:5 sohoa -q ingest -j 2 "$in" >/dev/null 2>&1
check "killed inside the 5th transaction" test $? = 137
check "the 4 committed records survive" test "$(sohoa stats --json | jq .records)" = 4
all_once "after kill-before-commit" 4

rm -rf "$SOHOA_STORE"
SOHOA_FAULT=kill-after-commit:7 sohoa -q ingest -j 2 "$in" >/dev/null 2>&1
check "killed right after the 7th commit" test "$(sohoa stats --json | jq .records)" = 7
all_once "after kill-after-commit" 7

# kill -9 from outside at an arbitrary moment, several times over
rm -rf "$SOHOA_STORE"
big="$T/big"; mkdir -p "$big"
i=1; while [ $i -le 16 ]; do "$MKTIFF" "$big/page-$i.tif" rgb-jpeg 3 $((100 + i)) 1700 2300; i=$((i + 1)); done
for delay in 0.3 0.6 0.9; do
	# the binary itself, not the shell function: $! must be sohoa's pid
	"$SOHOA" -c "$CONF" -q ingest -j 2 "$big" >/dev/null 2>&1 &
	pid=$!
	sleep $delay
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	check "kill -9 at ${delay}s released the ingest lock" flock -n "$SOHOA_STORE/ingest.lock" true
	echo "# after kill -9 at ${delay}s: $(sohoa stats --json 2>/dev/null | jq .records) records"
done
# (a process killed before it made the store holds no lock on it)
wait_unlocked() {
	while [ -d "$SOHOA_STORE" ] && ! flock -n "$SOHOA_STORE/ingest.lock" true 2>/dev/null; do sleep 0.1; done
}
wait_unlocked
sohoa ingest --report "$T/big.json" "$big" >/dev/null 2>&1
check "after kill -9 and a re-run, all 16 files are stored" test "$(sohoa stats --json | jq .records)" = 16
check "each exactly once" test "$(jq -r '.files[].id' "$T/big.json" | sort -u | wc -l)" = 16
expect_exit 0 "the killed store passes check" sohoa check

# readers work while an ingest writes
rm -rf "$SOHOA_STORE"
sohoa -q ingest -j 1 "$in" >/dev/null 2>&1   # create the store
"$SOHOA" -c "$CONF" -q ingest -j 1 "$big" >/dev/null 2>&1 &
pid=$!
reads=0; fails=0
while kill -0 $pid 2>/dev/null; do
	if sohoa stats --json >/dev/null 2>&1 && sohoa show HS-000001 >/dev/null 2>&1; then
		reads=$((reads + 1)); else fails=$((fails + 1)); fi
done
wait $pid
echo "# $reads reads during the ingest"
check "stats and show never failed during an ingest" test $fails = 0

# the map starts at 1 MiB and must grow by itself
rm -rf "$SOHOA_STORE"
printf '[store]\npath = %s\nmap_size_mb = 1\n[ocr]\nenabled = false\n' "$SOHOA_STORE" >"$T/tiny.conf"
"$SOHOA" -c "$T/tiny.conf" -q ingest --report "$T/tiny.json" "$big" >"$T/out" 2>"$T/err"
check "a full map grows: the batch succeeds" test $? = 0
check "all 16 stored in a store that started at 1 MiB" test "$(jsonq "$T/tiny.json" .stored)" = 16
check "the map is now larger" test "$("$SOHOA" -c "$T/tiny.conf" stats --json | jq .map_bytes)" -gt 1048576
check "no map-full error reached the user" sh -c "! grep -qi 'map.*full' '$T/err'"
expect_exit 0 "the grown store passes check" "$SOHOA" -c "$T/tiny.conf" check

# bit rot in one stored original
"$POKE" "$SOHOA_STORE" flip HS-000003
expect_exit 3 "check exits 3 on a damaged store" sohoa check
contains "$T/out" "HS-000003: damaged" "naming the damaged record"
check "and only that one" test "$(grep -c damaged "$T/out")" = 1
expect_exit 3 "original refuses to hand out a damaged file" sohoa original HS-000003 -o "$T/x.tif"
check "and writes nothing" test ! -e "$T/x.tif"

# damaged entries are named, not shown as empty or skipped
"$POKE" "$SOHOA_STORE" page HS-000005
expect_exit 0 "show still shows a record whose page text is damaged" sohoa show --json HS-000005
contains "$T/err" "HS-000005 page 1: OCR result unreadable" "and says which page is damaged"
"$POKE" "$SOHOA_STORE" record HS-000006
expect_exit 3 "review --scan exits 3 when a record cannot be read" "$SOHOA" -c "$OCRCONF" review --scan
contains "$T/err" "HS-000006: cannot be read" "naming the record"
# a record with almost none of the usual keys (another tool wrote it)
"$POKE" "$SOHOA_STORE" bare HS-000007
sohoa show --json HS-000007 >"$T/bare.json"
check "show --json gives a record missing its keys, keys null" \
	test "$(jq -c '[.id, .type, .batch, .source]' "$T/bare.json")" = '["HS-000007","khai-sinh",null,null]'
sohoa show HS-000007 >"$T/bare.txt"
check "and show prints no (null)" sh -c "! grep -q '(null)' '$T/bare.txt'"

# a store from a newer sohoa
"$POKE" "$SOHOA_STORE" schema 99
expect_exit 1 "a newer store is refused" sohoa stats
contains "$T/err" "schema version 99, newer than this sohoa" "with a clear message"

# ---- kill -9 at random moments (issue 29): ingest, export, the site
# saving; after each, nothing stored is lost, nothing is unaudited, and
# the store checks clean. The moments are printed, to replay one.
rnd() { # rnd LO HI: a random decimal in [LO, HI), from /dev/urandom
	awk -v lo="$1" -v hi="$2" -v r="$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')" 'BEGIN { printf "%.2f", lo + (hi - lo) * r / 65536 }'
}
TRIALS=${FAULT_TRIALS:-10}
lost=0; unclean=0; trial=1
while [ $trial -le $TRIALS ]; do
	rm -rf "$SOHOA_STORE"
	at=$(rnd 0.05 1.2)
	"$SOHOA" -c "$CONF" -q ingest -j 2 "$big" >/dev/null 2>&1 &
	pid=$!; sleep "$at"; kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
	wait_unlocked
	had=$(sohoa stats --json 2>/dev/null | jq '.records // 0')
	sohoa check >/dev/null 2>&1 || unclean=$((unclean + 1))
	sohoa ingest --report "$T/k.json" "$big" >/dev/null 2>&1
	# the records stored before the kill are still there, known as such
	[ "$(jq .duplicates "$T/k.json")" = "${had:-0}" ] && [ "$(sohoa stats --json | jq .records)" = 16 ] &&
		[ "$(jq -r '.files[].id' "$T/k.json" | sort -u | wc -l)" = 16 ] || lost=$((lost + 1))
	echo "# ingest trial $trial: kill -9 at ${at}s, ${had:-0} of 16 stored by then"
	trial=$((trial + 1))
done
check "kill-ingest: $TRIALS kills at random moments: every store checks clean after" test $unclean = 0
check "kill-ingest: and no record stored before a kill is lost (re-runs store the rest once)" test $lost = 0

rm -rf "$SOHOA_STORE"
sohoa -q ingest -j 2 "$in"
unaudited=0; leftover=0; bad=0; trial=1; complete=0
while [ $trial -le $TRIALS ]; do
	at=$(rnd 0.01 0.6)
	out="$T/kx$trial"
	"$SOHOA" -c "$CONF" -q export --out "$out" >/dev/null 2>&1 &
	pid=$!; sleep "$at"; kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
	sohoa -q user list >/dev/null 2>&1   # any command that writes settles it
	ls -d "$out".partial-* >/dev/null 2>&1 && leftover=$((leftover + 1))
	logged=$(sohoa log --json | jq --arg o "$out" '[.[] | select(.action == "export" and (.detail | contains($o)))] | length')
	if [ -d "$out" ]; then
		complete=$((complete + 1))
		[ "$logged" = 1 ] || unaudited=$((unaudited + 1))
		sohoa verify "$out" >/dev/null 2>&1 || bad=$((bad + 1))
	else
		[ "$logged" = 0 ] || bad=$((bad + 1))
	fi
	sohoa check >/dev/null 2>&1 || bad=$((bad + 1))
	echo "# export trial $trial: kill -9 at ${at}s: $([ -d "$out" ] && echo 'package complete' || echo 'no package')"
	trial=$((trial + 1))
done
check "kill-export: $TRIALS kills at random moments: no package without its access-log entry" test $unaudited = 0
check "kill-export: no partial folder left once a command writes" test $leftover = 0
check "kill-export: every package left verifies, none is logged that is not there, the store checks clean" test $bad = 0
echo "# $complete of $TRIALS exports had their package in place when killed"

# the site killed while people save: no correction without its entry
rm -rf "$SOHOA_STORE"
socr() { "$SOHOA" -c "$OCRCONF" "$@"; }
socr -q ingest -j 2 "$REPO/seeds/khai-sinh-0001.tif" "$REPO/seeds/khai-tu-0006.tif"
printf 'kiem-tra-mat-khau\n' | socr -q user add lan --role reviewer
port=$((15000 + $$ % 20000))
trial=1
while [ $trial -le $TRIALS ]; do
	serve_bg "$OCRCONF" "127.0.0.1:$port" || break
	python3 - "$port" >/dev/null 2>&1 <<'PY' &
import re, sys, urllib.parse, urllib.request, http.cookiejar
u = "http://127.0.0.1:%s" % sys.argv[1]
jar = http.cookiejar.CookieJar()
op = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k): return None
op.add_handler(NoRedirect())
def post(path, form):
    try: op.open(u + path, urllib.parse.urlencode(form).encode())
    except urllib.error.HTTPError: pass
post("/login", {"user": "lan", "password": "kiem-tra-mat-khau"})
while True:
    for rid in ("HS-000001", "HS-000002"):
        page = op.open(u + "/review/" + rid).read().decode()
        csrf = re.search(r'name="csrf" value="([^"]*)"', page).group(1)
        version = re.search(r'name="version" value="([^"]*)"', page).group(1)
        post("/review/" + rid, {"csrf": csrf, "version": version, "action": "accept"})
PY
	py=$!
	at=$(rnd 0.3 1.5)
	sleep "$at"; kill -9 $spid 2>/dev/null; wait $spid 2>/dev/null
	kill $py 2>/dev/null; wait $py 2>/dev/null
	echo "# site trial $trial: kill -9 at ${at}s"
	trial=$((trial + 1))
done
saves=$(for id in HS-000001 HS-000002; do socr show --json $id | jq '[.history[] | select(.event == "reviewed" and .via == "station")] | length'; done | awk '{s += $1} END {print s}')
logged=$(socr log --json | jq '[.[] | select(.action == "accept")] | length')
echo "# $saves saves through the site, $logged accept entries in the access log"
check "kill-site: $TRIALS kills during saves: every save has its access-log entry, and no entry is without its save" test "$saves" = "$logged" -a "$saves" -gt 0
expect_exit 0 "kill-site: the store checks clean" socr check

# ---- a full disk (a small tmpfs): ingest, export and the site
full="$T/full"; mkdir -p "$full"
if mount -t tmpfs -o size=12m tmpfs "$full" 2>/dev/null; then
	printf '[store]\npath = %s/store\n[ocr]\nenabled = false\n[fields]\nrules = %s\n' "$full" "$REPO/config/fields" >"$T/full.conf"
	sf() { env -u SOHOA_STORE "$SOHOA" -c "$T/full.conf" "$@"; }
	many="$T/many"; mkdir -p "$many"
	i=1; while [ $i -le 30 ]; do "$MKTIFF" "$many/p$i.tif" rgb-jpeg 1 $((300 + i)) 1700 2300; i=$((i + 1)); done
	sf ingest --report "$T/full.json" "$many" >"$T/out" 2>"$T/err"
	check "disk-full: an ingest onto a full disk fails" test $? -ne 0
	contains "$T/err" "the disk holding it is full" "disk-full: saying the disk is full, not an I/O fault"
	contains "$T/err" "$full/store" "disk-full: naming where"
	had=$(sf stats --json | jq .records)
	expect_exit 0 "disk-full: what was stored before checks clean" sf check
	# room made (the store moved to a larger disk), the batch finishes
	cp -a "$full/store" "$T/moved"
	printf '[store]\npath = %s/moved\n[ocr]\nenabled = false\n' "$T" >"$T/moved.conf"
	env -u SOHOA_STORE "$SOHOA" -c "$T/moved.conf" ingest --report "$T/again.json" "$many" >/dev/null 2>&1
	check "disk-full: with room again, the rest is stored and none twice" \
		test "$(jq -c '[.stored, .duplicates]' "$T/again.json")" = "[$((30 - had)),$had]"
	# an export that fills the disk leaves nothing and marks nothing
	rm -rf "$full/store"
	sf -q ingest "$in/scan-1.tif" "$in/scan-2.tif" "$in/scan-3.tif"
	dd if=/dev/zero of="$full/fill" bs=1M count=100 2>/dev/null
	rm -f "$full/fill"; dd if=/dev/zero of="$full/fill" bs=1M count=$(( $(df -m --output=avail "$full" | tail -1) - 1 )) 2>/dev/null
	sf export --out "$full/bag" >"$T/out" 2>"$T/err"
	check "disk-full: an export onto a full disk fails" test $? -ne 0
	check "disk-full: and leaves no package and no partial folder" sh -c "! ls -d '$full'/bag* 2>/dev/null | grep -q ."
	rm -f "$full/fill"
	check "disk-full: nothing is marked exported" sh -c "env -u SOHOA_STORE \"$SOHOA\" -c '$T/full.conf' export --new --out '$T/after' >/dev/null 2>&1 && test -d '$T/after'"
	# the site on a full disk: a search it cannot log is not served
	rm -rf "$full/store" "$full/fill"
	sf -q ingest "$in/scan-1.tif" "$in/scan-2.tif"
	printf 'quan-tri-mat-khau\n' | sf -q user add boss --role admin
	port=$((16000 + $$ % 20000))
	SOHOA_STORE="$full/store"; export SOHOA_STORE
	check "disk-full: the site starts" serve_bg "$T/full.conf" "127.0.0.1:$port"
	SOHOA_STORE="$T/store"; export SOHOA_STORE
	curl -s -o /dev/null -c "$T/jar" -d user=boss -d password=quan-tri-mat-khau "http://127.0.0.1:$port/login"
	sid=$(awk '$6 == "sohoa_session" {print $7}' "$T/jar")
	before=$(sf log --json | jq '[.[] | select(.action == "search")] | length')
	dd if=/dev/zero of="$full/fill" bs=1M count=100 2>/dev/null
	# searches until the log's free pages run out and it must grow
	python3 - "$port" "$sid" >"$T/codes" <<'PY'
import sys, urllib.request, urllib.error
u = "http://127.0.0.1:%s/api/search?q=a" % sys.argv[1]
codes = {}
for i in range(20000):
    req = urllib.request.Request(u, headers={"Cookie": "sohoa_session=" + sys.argv[2]})
    try:
        c = urllib.request.urlopen(req).status
    except urllib.error.HTTPError as e:
        c = e.code
    codes[c] = codes.get(c, 0) + 1
    if codes.get(503, 0) >= 20:
        break
print(codes.get(200, 0), codes.get(503, 0), sum(codes.values()))
PY
	read served refused asked <"$T/codes"
	code=$(curl -s -o /dev/null -w '%{http_code}' -b "sohoa_session=$sid" "http://127.0.0.1:$port/record/HS-000001")
	rm -f "$full/fill"
	after=$(sf log --json | jq '[.[] | select(.action == "search")] | length')
	echo "# full disk: $asked searches, $served served, $refused refused; $((after - before)) logged"
	check "disk-full: once the access log cannot grow, searches are refused (503)" test "$refused" -gt 0
	check "disk-full: and every search served was logged" test "$served" = $((after - before))
	check "disk-full: a record too is refused (503)" test "$code" = 503
	rm -f "$full/fill"
	code=$(curl -s -o /dev/null -w '%{http_code}' -b "sohoa_session=$sid" "http://127.0.0.1:$port/api/search?q=a")
	check "disk-full: with room again it is served, and logged" test "$code" = 200
	kill $spid; wait $spid 2>/dev/null
	umount "$full"
else
	nok "disk-full: cannot mount a tmpfs (the tests run as root)"
fi
