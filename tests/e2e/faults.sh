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
wait_unlocked() { while ! flock -n "$SOHOA_STORE/ingest.lock" true 2>/dev/null; do sleep 0.1; done; }
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
