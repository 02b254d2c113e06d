#!/bin/sh
# bench/realpages.sh BIN - sohoa on real scans and phone photos beside
# plain tesseract and ocrmypdf --rotate-pages --deskew on the same files
# (real.py says what is measured). The pages are not in the repository:
# REAL_DIR is what shared/real/fetch.sh rebuilt from public repositories
#   MIRROR=/path/to/mirrors bash ../shared/real/fetch.sh "$REAL_DIR"
#   REAL_DIR (default /tmp/sohoa-real), REAL_EVERY (every Nth page of sets
#   3 and 4, default 3), REAL_EVERY5 (every Nth photo of set 5, default 5),
#   REAL_OCRMYPDF_EVERY (ocrmypdf on every Nth of those, default 4),
#   REAL_OFFSET (the samples' first page, default 1: the page rules
#   were written on samples from 0),
#   BENCH_BEFORE (an older sohoa read beside), BENCH_DIR
set -eu
bin=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
real=${REAL_DIR:-/tmp/sohoa-real}
work=${BENCH_DIR:-/tmp/sohoa-bench}/realpages
if [ ! -d "$real/vn_gov_adf_bilevel/pages" ]; then
	echo "== real pages: none in $real (rebuild them: MIRROR=DIR bash ../shared/real/fetch.sh $real); skipped"
	exit 0
fi
conf="$work/ocr.conf"
mkdir -p "$work"
sed "s|^user_words = .*|user_words = $here/../../config/vie-words.txt|; s|^syllables = .*|syllables = $here/../../config/vie-syllables.lm.zst|; s|^rules = .*|rules = $here/../../config/fields|" "$here/../../config/sohoa.conf" >"$conf"
echo "== real pages ($real): sohoa beside tesseract and ocrmypdf on the same files; $(nproc) cores"
/usr/bin/python3 "$here/real.py" --bin "$bin" --conf "$conf" --real "$real" --work "$work" \
	--every "${REAL_EVERY:-3}" --every5 "${REAL_EVERY5:-5}" --offset "${REAL_OFFSET:-1}" \
	--ocrmypdf-every "${REAL_OCRMYPDF_EVERY:-4}" \
	${BENCH_BEFORE:+--before "$BENCH_BEFORE"}
