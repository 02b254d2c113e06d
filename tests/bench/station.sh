#!/bin/sh
# bench/station.sh BIN GEN - the review station:
#  1. the queue at 100,000 records (the search bench's texts, 36 in a
#     hundred with a doubted field, the share measured on the bench
#     corpus): `sohoa review` from the queue beside reading every record
#     (--scan, what review did before the queue), seconds and memory; the
#     queue page and its API under wrk, p50/p99.
#  2. the record page under wrk on a store of seeds/, logged in (each
#     view now writes an access-log entry), beside BENCH_BEFORE (an older
#     sohoa binary, on its own store) when given.
#  3. a scripted reviewer in Chromium working through 50 records of the
#     bench corpus (seed 7, 180 records): the server's part of each record (the review
#     page, its images, the save) from the request log, median and p99.
#   BENCH_DIR, BENCH_SEARCH_N (100000), BENCH_STATION_N (records of the
#   bench corpus generator's seed 7 to review, 180)
set -eu
bin=$(realpath "$1"); gen=$(realpath "$2")
here=$(cd "$(dirname "$0")" && pwd)
ixb="$(dirname "$gen")/ixbench"
n=${BENCH_SEARCH_N:-100000}
work=${BENCH_DIR:-/tmp/sohoa-bench}
mkdir -p "$work"
conf="$work/station.conf"
sed "s|^user_words = .*|user_words = $here/../../config/vie-words.txt|; s|^syllables = .*|syllables = $here/../../config/vie-syllables.lm.zst|; s|^rules = .*|rules = $here/../../config/fields|" "$here/../../config/sohoa.conf" >"$conf"
med() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
p99() { sort -n | awk '{a[NR] = $1} END {i = int(NR * 0.99 + 0.999); if (i < 1) i = 1; print a[i]}'; }
port=$((31000 + $$ % 9000))
serve() { # serve STORE: in the background, waits for it
	"$bin" -c "$conf" --store "$1" serve --listen "127.0.0.1:$port" 2>"$work/station-serve.log" &
	spid=$!
	for i in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/login" && return 0; sleep 0.1; done
}
cookie() { # cookie USER PASSWORD: a session's cookie header
	curl -s -o /dev/null -c "$work/jar" --data-urlencode "user=$1" --data-urlencode "password=$2" "http://127.0.0.1:$port/login"
	echo "Cookie: sohoa_session=$(awk '$6 == "sohoa_session" {print $7}' "$work/jar")"
}
wrkrow() { # wrkrow LABEL PATH HEADER [CONNECTIONS]
	c=${4:-8}
	out=$(wrk -t$([ "$c" = 1 ] && echo 1 || echo 2) -c"$c" -d10s --latency -H "$3" "http://127.0.0.1:$port$2")
	printf '%-44s %10s req/s   p50 %8s   p99 %8s\n' "$1" \
		"$(echo "$out" | awk '/Requests\/sec/ {print $2}')" \
		"$(echo "$out" | awk '$1 == "50%" {print $2}')" "$(echo "$out" | awk '$1 == "99%" {print $2}')"
}

# --- 1. the queue at 100,000 records ----------------------------------
corpus="$work/text-$n"
if [ ! -f "$corpus/.done" ]; then
	echo "generating $n records' text and fields (seed 11) into $corpus ..."
	rm -rf "$corpus"
	"$gen" --out "$corpus" --count "$n" --seed 11 --no-images >/dev/null 2>&1
	touch "$corpus/.done"
fi
store="$work/queue-$n"
rm -rf "$store"
OMP_THREAD_LIMIT=1 "$ixb" load --store "$store" --doubt 36 "$corpus" >/dev/null
# ixbench stores without the review hook: the first write by sohoa
# builds the queue from every record
t0=$(date +%s.%N)
printf 'bench-mat-khau\n' | "$bin" -q -c "$conf" --store "$store" user add bench --role reviewer
t1=$(date +%s.%N)
echo
echo "== station: the review queue at $n records"
printf '%-44s %s s\n' "queue built from every record (once)" "$(echo "$t1 - $t0" | bc -l | xargs printf %.1f)"
for mode in queue scan; do
	arg=$([ $mode = scan ] && echo --scan || true)
	for i in 1 2 3; do
		/usr/bin/time -f '%e %M' -o "$work/time.txt" "$bin" -q -c "$conf" --store "$store" review $arg --json --limit 50 >"$work/review-$mode.json"
		cat "$work/time.txt"
	done >"$work/review-$mode.times"
	printf '%-44s %8s s   %6d MB   (%s records need review)\n' "sohoa review ($mode), median of 3" \
		"$(cut -d' ' -f1 "$work/review-$mode.times" | med)" \
		"$(( $(cut -d' ' -f2 "$work/review-$mode.times" | med) / 1024 ))" \
		"$(jq .total "$work/review-$mode.json")"
done
cmp -s "$work/review-queue.json" "$work/review-scan.json" && echo "  the two list the same 50 records, in the same order" ||
	echo "  the two DIFFER: $work/review-queue.json, $work/review-scan.json"
serve "$store"
ck=$(cookie bench bench-mat-khau)
wrkrow "/queue, one clerk (-c1)" "/queue" "$ck" 1
wrkrow "/queue (page of 50, counts)" "/queue" "$ck"
wrkrow "/queue?type=gcn&problem=low+confidence" "/queue?type=gcn&problem=low+confidence" "$ck"
wrkrow "/api/queue?limit=50" "/api/queue?limit=50" "$ck"
kill $spid; wait $spid 2>/dev/null || true

# --- 2. the record page ------------------------------------------------
seeds="$work/station-seeds"
if [ ! -f "$seeds/data.mdb" ]; then
	"$bin" -q -c "$conf" --store "$seeds" ingest "$here/../../seeds" >/dev/null
	printf 'bench-mat-khau\n' | "$bin" -q -c "$conf" --store "$seeds" user add bench --role reviewer
fi
echo
echo "== station: wrk -t2 -c8 -d10s, store of seeds/"
serve "$seeds"
ck=$(cookie bench bench-mat-khau)
wrkrow "/record/HS-000001 (logged in, access log)" "/record/HS-000001" "$ck"
wrkrow "/review/HS-000005 (the station's page)" "/review/HS-000005" "$ck"
kill $spid; wait $spid 2>/dev/null || true
if [ -n "${BENCH_BEFORE:-}" ]; then
	old="$work/station-seeds-before"
	# the older sohoa knows neither accounts nor session_hours
	grep -v '^session_hours' "$conf" >"$work/station-before.conf"
	[ -f "$old/data.mdb" ] || "$BENCH_BEFORE" -q -c "$work/station-before.conf" --store "$old" ingest "$here/../../seeds" >/dev/null
	bin0=$bin conf0=$conf; bin=$(realpath "$BENCH_BEFORE") conf="$work/station-before.conf"
	serve "$old"
	wrkrow "/record/HS-000001 (before: $(basename "$(dirname "$bin")"))" "/record/HS-000001" "X-None: 1"
	kill $spid; wait $spid 2>/dev/null || true
	bin=$bin0 conf=$conf0
fi

# --- 3. a scripted reviewer over 50 records ----------------------------
# a third of the bench corpus needs review: 180 records leave 50 or more
bn=${BENCH_STATION_N:-180}
bcorpus="$work/corpus-$bn"
if [ ! -f "$bcorpus/.done" ]; then
	rm -rf "$bcorpus"
	"$gen" --out "$bcorpus" --count "$bn" --seed 7 >/dev/null
	touch "$bcorpus/.done"
fi
rstore="$work/station-review"
rm -rf "$rstore"
"$bin" -q -c "$conf" --store "$rstore" ingest -j 2 "$bcorpus" >/dev/null
printf 'bench-mat-khau\n' | "$bin" -q -c "$conf" --store "$rstore" user add bench --role reviewer
serve "$rstore"
(cd "$here/../browser" && node station-bench.mjs "http://127.0.0.1:$port" 50) >"$work/station-ids.txt" 2>"$work/station-wall.txt"
kill $spid; wait $spid 2>/dev/null || true
# the server's part of a record: every request naming it (its review
# page, page images, the save), in ms, from the request log
while read -r id; do
	grep -F "$id" "$work/station-serve.log" | awk '{sub("ms$", "", $NF); s += $NF} END {printf "%.2f\n", s}'
done <"$work/station-ids.txt" >"$work/station-ms.txt"
echo
echo "== station: a scripted reviewer in Chromium, $(wc -l <"$work/station-ids.txt") records of the bench corpus (seed 7)"
printf '%-44s median %6s ms   p99 %6s ms\n' "server's part of a record" \
	"$(med <"$work/station-ms.txt")" "$(p99 <"$work/station-ms.txt")"
printf '%-44s %s\n' "(the browser's whole turn, for scale)" "$(cat "$work/station-wall.txt")"
