#!/bin/sh
# bench/search.sh GEN IXBENCH - the search index beside SQLite FTS5 on
# the same generated texts: build time, index size, query latency p50 and
# p99 per query class. Run by `make bench`; alone: BENCH_SEARCH_N=10000.
#   BENCH_SEARCH_N  records (default 100000)
#   BENCH_DIR       where corpus, stores and outputs go
set -eu
gen=$(realpath "$1"); ixb=$(realpath "$2")
here=$(cd "$(dirname "$0")" && pwd)
n=${BENCH_SEARCH_N:-100000}
work=${BENCH_DIR:-/tmp/sohoa-bench}
corpus="$work/text-$n"
mkdir -p "$work"
if [ ! -f "$corpus/.done" ]; then
	echo "generating $n records' text and fields (seed 11) into $corpus ..."
	rm -rf "$corpus"
	"$gen" --out "$corpus" --count "$n" --seed 11 --no-images >/dev/null 2>&1
	touch "$corpus/.done"
fi
store="$work/ix-$n" tsv="$work/ix-$n.tsv" db="$work/fts5-$n.db"
rm -rf "$store"
# ixbench prints its total and the part spent in the store (records and
# index); the rest is reading the generator's JSON files
out=$(OMP_THREAD_LIMIT=1 "$ixb" load --store "$store" --tsv "$tsv" "$corpus")
load=$(echo "$out" | awk '{print $(NF-1)}')
# a configuration of the field catalogue alone (a regular file: sohoa
# reads no devices)
printf '[fields]\nrules = %s\n' "$here/../../config/fields" >"$work/empty.conf"
ixbytes=$("$here/../../sohoa" --store "$store" -c "$work/empty.conf" stats --json | jq .index_bytes)
case $ixbytes in ''|null|*[!0-9]*) echo "bench/search: no index size from sohoa stats ($ixbytes)" >&2; exit 1;; esac
# the index alone: dropped, then built again from the stored records
"$(dirname "$ixb")/store_poke" "$store" dropindex 1
reindex=$("$ixb" reindex --store "$store" x | awk '{print $(NF-1)}')
textbytes=$(cut -f1 "$tsv" | wc -c)
fts=$(python3 "$here/fts5.py" build "$db" "$tsv")
python3 "$here/queries.py" "$corpus" 1000 >"$work/queries-$n.tsv"
"$ixb" query --store "$store" "$work/queries-$n.tsv" >"$work/ours-$n.txt"
python3 "$here/fts5.py" query "$db" "$work/queries-$n.tsv" >"$work/fts5-$n.txt"

echo
echo "== search: $n records ($textbytes bytes of text), one query class = 1000 queries"
printf '%-30s %14s %14s\n' "" "sohoa" "SQLite FTS5"
printf '%-30s %13.1fs %13.1fs\n' "build (store + index)" "$load" "$(echo "$fts" | cut -f1)"
printf '%-30s %13.1fs %14s\n' "build (index of stored records)" "$reindex" ""
printf '%-30s %12.1fMB %12.1fMB\n' "index size" "$(echo "$ixbytes / 1000000" | bc -l)" \
	"$(echo "$(echo "$fts" | cut -f2) / 1000000" | bc -l)"
for cls in name phrase field fuzzy; do
	o=$(grep "^$cls	" "$work/ours-$n.txt" || true)
	f=$(grep "^$cls	" "$work/fts5-$n.txt" || true)
	fp=$( [ -n "$f" ] && echo "$f" | awk -F'\t' '{printf "%.2f / %.2f", $3, $4}' || echo "cannot")
	printf '%-30s %14s %14s\n' "$cls p50 / p99 (ms)" \
		"$(echo "$o" | awk -F'\t' '{printf "%.2f / %.2f", $3, $4}')" "$fp"
	printf '%-30s %14s %14s\n' "  mean matches" "$(echo "$o" | cut -f5)" \
		"$( [ -n "$f" ] && echo "$f" | cut -f5 || echo -)"
done
