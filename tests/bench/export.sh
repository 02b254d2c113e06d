#!/bin/sh
# bench/export.sh BIN GEN - exporting the bench corpus beside ingesting
# it, in one run: seconds and pages a second of `sohoa ingest -j 2` and
# of `sohoa export` (PDF/A, page images and ALTO from the stored words),
# an older binary's export beside it when BENCH_BEFORE is given (one
# that recognised every page again), and bytes per page of the PDF/A
# against the 100 kB per A4 page the digitisation guidance expects, and
# against ocrmypdf's PDF/A (--output-type pdfa, its default) of the same
# originals on BENCH_EXPORT_REF records.
#   BENCH_N (default 100), BENCH_DIR (default /tmp/sohoa-bench)
set -eu
bin=$(realpath "$1"); gen=$(realpath "$2")
here=$(cd "$(dirname "$0")" && pwd)
n=${BENCH_N:-100}
work=${BENCH_DIR:-/tmp/sohoa-bench}
before=${BENCH_BEFORE:-}
refn=${BENCH_EXPORT_REF:-10}
. "$here/corpus.sh"
now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc -l; }
conf="$work/export.conf"
store="$work/export-store"
sed "s|^user_words = .*|user_words = $here/../../config/vie-words.txt|; s|^syllables = .*|syllables = $here/../../config/vie-syllables.lm.zst|; s|^rules = .*|rules = $here/../../config/fields|" "$here/../../config/sohoa.conf" >"$conf"
pages=$(cat "$corpus"/*.json | jq -s 'map(.pages) | add')
records=$(ls "$corpus"/*.tif | wc -l)
rm -rf "$store" "$work/export-bag" "$work/export-bag-before"
t0=$(now)
"$bin" -c "$conf" --store "$store" -q ingest -j 2 "$corpus"
t1=$(now)
"$bin" -c "$conf" --store "$store" -q export --out "$work/export-bag"
t2=$(now)
ing=$(secs "$t0" "$t1"); exp=$(secs "$t1" "$t2")
"$bin" -q verify "$work/export-bag"
pdf=$(find "$work/export-bag/data" -name record.pdf -printf '%s\n' | awk '{s += $1} END {print s}')
tif=$(find "$work/export-bag/data" -name 'page-*.tif' -printf '%s\n' | awk '{s += $1} END {print s}')
alto=$(find "$work/export-bag/data" -name 'page-*.xml' -printf '%s\n' | awk '{s += $1} END {print s}')
all=$(du -sb "$work/export-bag" | cut -f1)
row() { printf '%-58s %9s %11s %10s\n' "$@"; }
echo
echo "== export: the bench corpus, $records records, $pages pages, $(nproc) cores"
row "" "seconds" "ms / page" "pages/s"
row "sohoa ingest -j 2 (OCR, fields, index)" "$(printf %.1f "$ing")" "$(printf %.0f "$(echo "$ing * 1000 / $pages" | bc -l)")" "$(printf %.1f "$(echo "$pages / $ing" | bc -l)")"
row "sohoa export (PDF/A, images, ALTO, from stored words)" "$(printf %.1f "$exp")" "$(printf %.0f "$(echo "$exp * 1000 / $pages" | bc -l)")" "$(printf %.1f "$(echo "$pages / $exp" | bc -l)")"
if [ -n "$before" ]; then
	t3=$(now)
	"$before" -c "$conf" --store "$store" -q export --out "$work/export-bag-before"
	t4=$(now)
	bexp=$(secs "$t3" "$t4")
	row "before ($(basename "$before")): export recognising again" "$(printf %.1f "$bexp")" "$(printf %.0f "$(echo "$bexp * 1000 / $pages" | bc -l)")" "$(printf %.1f "$(echo "$pages / $bexp" | bc -l)")"
	bpdf=$(find "$work/export-bag-before/data" -name record.pdf -printf '%s\n' | awk '{s += $1} END {print s}')
fi
echo "ingest / export per page: $(printf %.1f "$(echo "$ing / $exp" | bc -l)")x (target >= 20x)"
echo
row "bytes per page" "bytes" "" ""
row "record.pdf (PDF/A-2b, image + text; guidance: 100 kB / A4 page)" "$(echo "$pdf / $pages" | bc)" "" ""
[ -n "$before" ] && row "before: record.pdf (Tesseract's renderer, PDF 1.5)" "$(echo "$bpdf / $pages" | bc)" "" ""
row "page-N.tif (the cleaned page, G4)" "$(echo "$tif / $pages" | bc)" "" ""
row "page-N.xml (ALTO)" "$(echo "$alto / $pages" | bc)" "" ""
row "the whole bag (originals, PDF, images, ALTO, JSON, manifests)" "$(echo "$all / $pages" | bc)" "" ""
if command -v ocrmypdf >/dev/null && [ "$refn" -gt 0 ]; then
	ref="$work/export-ocrmypdf"; rm -rf "$ref"; mkdir -p "$ref"
	rp=0; rb=0; mine=0
	t5=$(now)
	for f in $(ls "$corpus"/*.tif | head -n "$refn"); do
		b=$(basename "$f" .tif)
		OMP_THREAD_LIMIT=1 ocrmypdf -q -l vie --rotate-pages --deskew -j 2 "$f" "$ref/$b.pdf" >/dev/null 2>&1 || echo "ocrmypdf failed on $b" >&2
		rp=$((rp + $(jq .pages "$corpus/$b.json")))
	done
	t6=$(now)
	rb=$(cat "$ref"/*.pdf | wc -c)
	# the same records in our bag, by source file
	for f in $(ls "$corpus"/*.tif | head -n "$refn"); do
		id=$(jq -r --arg p "$f" 'select(.source.path == $p) | .id' "$work"/export-bag/data/*/record.json 2>/dev/null | head -1)
		[ -n "$id" ] && mine=$((mine + $(stat -c %s "$work/export-bag/data/$id/record.pdf")))
	done
	echo
	row "the same $refn records ($rp pages)" "bytes/page" "s / page" ""
	row "sohoa record.pdf" "$(echo "$mine / $rp" | bc)" "$(printf %.3f "$(echo "$exp / $pages" | bc -l)")" ""
	row "ocrmypdf --rotate-pages --deskew -j 2 (PDF/A-2b)" "$(echo "$rb / $rp" | bc)" "$(printf %.2f "$(echo "($t6 - $t5) / $rp" | bc -l)")" ""
fi
