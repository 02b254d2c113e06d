#!/bin/sh
# bench/serve.sh BIN - /api/search under load: wrk with 8 connections on
# 2 threads for 10 s against `sohoa serve` on a store of seeds/, and the
# record page beside it.
set -eu
bin=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
work=${BENCH_DIR:-/tmp/sohoa-bench}
store="$work/serve-store"
conf="$work/serve.conf"
sed "s|^user_words = .*|user_words = $here/../../config/vie-words.txt|; s|^syllables = .*|syllables = $here/../../config/vie-syllables.lm.zst|; s|^rules = .*|rules = $here/../../config/fields|" "$here/../../config/sohoa.conf" >"$conf"
if [ ! -f "$store/data.mdb" ]; then
	"$bin" -q -c "$conf" --store "$store" ingest "$here/../../seeds" >/dev/null
fi
port=$((30000 + $$ % 10000))
"$bin" -q -c "$conf" --store "$store" serve --listen "127.0.0.1:$port" &
pid=$!
sleep 1
echo
echo "== serve: wrk -t2 -c8 -d10s, store of seeds/ (10 records)"
for path in "/api/search?q=nguyen+van" "/?q=nguyen+van" "/record/HS-000001"; do
	out=$(wrk -t2 -c8 -d10s --latency "http://127.0.0.1:$port$path")
	rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
	p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
	p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
	printf '%-28s %10s req/s   p50 %8s   p99 %8s\n' "$path" "$rps" "$p50" "$p99"
done
kill $pid
wait $pid 2>/dev/null || true
