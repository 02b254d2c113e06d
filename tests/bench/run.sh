#!/bin/sh
# bench/run.sh BIN GEN - benchmarks, side by side with the reference tools
# on the same files, in one run. Not part of `make check`.
#   BENCH_N    records in the generated corpus (default 100)
#   BENCH_DIR  where corpus, stores and outputs go (default /tmp/sohoa-bench)
#   BENCH_PARTS which parts (default "ocr search verify serve real"; ocr
#              includes fields and ingest without OCR; real is fields on
#              the real editions drawn at random, fields-real.sh;
#              forgiving is search as the clerk types, forgiving.sh;
#              station is the review station, station.sh)
set -eu
parts=${BENCH_PARTS:-ocr search verify serve real forgiving station}
case " $parts " in *" ocr "*) ;; *)
	here0=$(cd "$(dirname "$0")" && pwd)
	case " $parts " in *" search "*) sh "$here0/search.sh" "$2" "$(dirname "$2")/ixbench";; esac
	case " $parts " in *" verify "*) sh "$here0/verify.sh" "$1";; esac
	case " $parts " in *" serve "*) sh "$here0/serve.sh" "$1";; esac
	case " $parts " in *" real "*) sh "$here0/fields-real.sh" "$1" "$2";; esac
	case " $parts " in *" forgiving "*) sh "$here0/forgiving.sh" "$2" "$(dirname "$2")/ixbench";; esac
	case " $parts " in *" station "*) sh "$here0/station.sh" "$1" "$2";; esac
	exit 0;;
esac
bin=$(realpath "$1"); gen=$(realpath "$2")
here=$(cd "$(dirname "$0")" && pwd)
n=${BENCH_N:-100}
work=${BENCH_DIR:-/tmp/sohoa-bench}
mkdir -p "$work"
corpus="$work/corpus-$n"
if [ ! -f "$corpus/.done" ]; then
	echo "generating $n records (seed 7) into $corpus ..."
	rm -rf "$corpus"
	"$gen" --out "$corpus" --count "$n" --seed 7
	touch "$corpus/.done"
fi
files=$(ls "$corpus"/*.tif | wc -l)
bytes=$(cat "$corpus"/*.tif | wc -c)
pages=$(cat "$corpus"/*.json | jq -s 'map(.pages) | add')
now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc -l; }
ppm() { printf %.0f "$(echo "$pages * 60 / $1" | bc -l)"; }
row() { printf '%-46s %9s %10s %14s\n' "$@"; }
conf="$work/ocr.conf"
sed "s|^user_words = .*|user_words = $here/../../config/vie-words.txt|; s|^rules = .*|rules = $here/../../config/fields|" "$here/../../config/sohoa.conf" >"$conf"
echo "corpus: $files records, $pages pages, $bytes bytes of TIFF; $(nproc) cores"

# --- OCR: sohoa ingest, plain tesseract, ocrmypdf ------------------------
echo
echo "== OCR (make bench; BENCH_N=$n)"
rm -rf "$work/store" "$work/txt-sohoa"; mkdir -p "$work/txt-sohoa"
t0=$(now)
"$bin" -q -c "$conf" --store "$work/store" ingest -j 2 --report "$work/report.json" "$corpus" >/dev/null
t1=$(now); s_sohoa=$(secs $t0 $t1)
rm -rf "$work/json-sohoa"; mkdir -p "$work/json-sohoa"
jq -r '.files[] | .path + " " + .id' "$work/report.json" | while read -r path id; do
	b=$(basename "$path" .tif)
	"$bin" -c "$conf" --store "$work/store" show --json "$id" >"$work/json-sohoa/$b.json"
	jq -r '.pages[].text' "$work/json-sohoa/$b.json" >"$work/txt-sohoa/$b.txt"
done
"$bin" -c "$conf" --store "$work/store" review --json >"$work/review.json"
# tesseract as an archive would run it: one call per file, one after
# another, its own defaults (OpenMP threads and all)
rm -rf "$work/txt-tess"; mkdir -p "$work/txt-tess"
t0=$(now)
for f in "$corpus"/*.tif; do
	env -u OMP_THREAD_LIMIT tesseract "$f" "$work/txt-tess/$(basename "$f" .tif)" -l vie >/dev/null 2>&1
done
t1=$(now); s_tess=$(secs $t0 $t1)
rm -rf "$work/txt-ocrmypdf" "$work/pdf"; mkdir -p "$work/txt-ocrmypdf" "$work/pdf"
t0=$(now)
for f in "$corpus"/*.tif; do
	b=$(basename "$f" .tif)
	env -u OMP_THREAD_LIMIT ocrmypdf -q -l vie --rotate-pages --deskew --sidecar "$work/txt-ocrmypdf/$b.txt" \
		"$f" "$work/pdf/$b.pdf" >/dev/null 2>&1 || echo "ocrmypdf failed on $b" >&2
done
t1=$(now); s_ocrmypdf=$(secs $t0 $t1)
echo "word accuracy, order-independent (exact / diacritics folded):"
python3 "$here/score.py" "$corpus" "sohoa=$work/txt-sohoa" "tesseract=$work/txt-tess" \
	"ocrmypdf=$work/txt-ocrmypdf"
echo
row "throughput" "seconds" "pages/min" ""
row "sohoa ingest -j 2 (OCR and store)" "$(printf %.1f "$s_sohoa")" "$(ppm "$s_sohoa")" ""
row "tesseract -l vie, serial loop" "$(printf %.1f "$s_tess")" "$(ppm "$s_tess")" ""
row "ocrmypdf -l vie --rotate-pages --deskew, loop" "$(printf %.1f "$s_ocrmypdf")" "$(ppm "$s_ocrmypdf")" ""
printf 'sohoa is %.2fx tesseract and %.2fx ocrmypdf\n' "$(echo "$s_tess / $s_sohoa" | bc -l)" \
	"$(echo "$s_ocrmypdf / $s_sohoa" | bc -l)"

# --- fields: type and fields read at ingest, against the ground truth ---
echo
echo "== fields (exact after NFC and whitespace folding), per type and condition"
python3 "$here/fields.py" "$corpus" "$work/json-sohoa" "$work/review.json"

# --- ingest without OCR: validate, hash, compress, store ----------------
echo
echo "== ingest without OCR"
printf '[store]\n[ocr]\nenabled = false\n' >"$work/noocr.conf"
row "" "seconds" "pages/min" "stored B/page"
for j in 1 2; do
	rm -rf "$work/store2"
	t0=$(now)
	"$bin" -q -c "$work/noocr.conf" --store "$work/store2" ingest -j $j "$corpus" >/dev/null
	t1=$(now); s=$(secs $t0 $t1)
	sb=$("$bin" -c "$work/noocr.conf" --store "$work/store2" stats --json | jq .store_bytes)
	row "sohoa ingest -j $j, OCR off" "$(printf %.2f "$s")" "$(ppm "$s")" "$((sb / pages))"
done
rm -rf "$work/ref"; mkdir -p "$work/ref"
t0=$(now)
for f in "$corpus"/*.tif; do
	sha256sum "$f" >/dev/null
	zstd -q -9 -f "$f" -o "$work/ref/$(basename "$f").zst"
done
t1=$(now); s=$(secs $t0 $t1)
rb=$(cat "$work/ref"/*.zst | wc -c)
row "sha256sum + zstd -9 loop (no validation)" "$(printf %.2f "$s")" "$(ppm "$s")" "$((rb / pages))"
row "TIFF as scanned" "" "" "$((bytes / pages))"

case " $parts " in *" search "*) sh "$here/search.sh" "$gen" "$(dirname "$gen")/ixbench";; esac
case " $parts " in *" verify "*) sh "$here/verify.sh" "$bin";; esac
case " $parts " in *" serve "*) sh "$here/serve.sh" "$bin";; esac
case " $parts " in *" real "*) sh "$here/fields-real.sh" "$bin" "$gen";; esac
case " $parts " in *" forgiving "*) sh "$here/forgiving.sh" "$gen" "$(dirname "$gen")/ixbench";; esac
case " $parts " in *" station "*) sh "$here/station.sh" "$bin" "$gen";; esac
