#!/bin/sh
# bench/run.sh BIN GEN - benchmarks, printed side by side with reference
# tools on the same files. Not part of `make check`.
#   BENCH_N   records in the generated corpus (default 100)
set -eu
bin=$1; gen=$2
n=${BENCH_N:-100}
work=${BENCH_DIR:-/tmp/sohoa-bench}
mkdir -p "$work"
corpus="$work/corpus-$n"
if [ ! -f "$corpus/.done" ]; then
	echo "generating $n records into $corpus ..."
	rm -rf "$corpus"
	"$gen" --out "$corpus" --count "$n" --seed 7
	touch "$corpus/.done"
fi
files=$(ls "$corpus"/*.tif | wc -l)
bytes=$(cat "$corpus"/*.tif | wc -c)
pages=$(cat "$corpus"/*.json | grep -c '"file"' || true)
pages=$(for f in "$corpus"/*.json; do jq .pages "$f"; done | awk '{s+=$1} END {print s}')
now() { date +%s.%N; }
conf="$work/bench.conf"
echo "[store]" >"$conf"

# --- ingest (no OCR yet): validate, hash, compress, store ---
row() { printf '%-44s %10s %12s %14s\n' "$@"; }
echo
echo "ingest: $files files, $pages pages, $bytes bytes of TIFF, $(nproc) cores"
row "" "seconds" "pages/min" "stored B/page"
for j in 1 2; do
	rm -rf "$work/store"
	t0=$(now)
	"$bin" -q -c "$conf" --store "$work/store" ingest -j $j "$corpus" >/dev/null
	t1=$(now)
	sb=$("$bin" -c "$conf" --store "$work/store" stats --json | jq .store_bytes)
	s=$(echo "$t1 - $t0" | bc -l)
	row "sohoa ingest -j $j" "$(printf %.2f "$s")" "$(printf %.0f "$(echo "$pages * 60 / $s" | bc -l)")" "$((sb / pages))"
done
# the same work done by hand: hash and compress each file, one after another
rm -rf "$work/ref"; mkdir -p "$work/ref"
t0=$(now)
for f in "$corpus"/*.tif; do
	sha256sum "$f" >/dev/null
	zstd -q -9 -f "$f" -o "$work/ref/$(basename "$f").zst"
done
t1=$(now)
s=$(echo "$t1 - $t0" | bc -l)
rb=$(cat "$work/ref"/*.zst | wc -c)
row "sha256sum + zstd -9 (loop, no validation)" "$(printf %.2f "$s")" "$(printf %.0f "$(echo "$pages * 60 / $s" | bc -l)")" "$((rb / pages))"
row "TIFF as scanned" "" "" "$((bytes / pages))"
