#!/bin/sh
# bench/fields-real.sh BIN GEN - fields on the real editions, each record
# laid out at random (sohoa-gen --layout real), beside nothing: the figure
# is sohoa's own, per type, edition and condition. Part "real" of make
# bench. The seed is chosen before the rules it measures and the corpus
# is read once (see README, "Fields").
#   REAL_SEED  the corpus' seed (default 4713, the last held-out one)
#   REAL_N     records (default 300)
set -eu
bin=$(realpath "$1"); gen=$(realpath "$2")
here=$(cd "$(dirname "$0")" && pwd)
seed=${REAL_SEED:-4713}
n=${REAL_N:-300}
work=${BENCH_DIR:-/tmp/sohoa-bench}/real-$seed-$n
mkdir -p "$work"
corpus="$work/corpus"
if [ ! -f "$corpus/.done" ]; then
	rm -rf "$corpus"
	"$gen" --layout real --out "$corpus" --count "$n" --seed "$seed"
	touch "$corpus/.done"
fi
conf="$work/ocr.conf"
sed "s|^user_words = .*|user_words = $here/../../config/vie-words.txt|; s|^syllables = .*|syllables = $here/../../config/vie-syllables.lm.zst|; s|^rules = .*|rules = $here/../../config/fields|" "$here/../../config/sohoa.conf" >"$conf"
rm -rf "$work/store" "$work/json"; mkdir -p "$work/json"
"$bin" -q -c "$conf" --store "$work/store" ingest -j 2 --report "$work/report.json" "$corpus" >/dev/null || true
jq -r '.files[] | select(.id) | .path + " " + .id' "$work/report.json" | while read -r path id; do
	"$bin" -c "$conf" --store "$work/store" show --json "$id" >"$work/json/$(basename "$path" .tif).json"
done
"$bin" -c "$conf" --store "$work/store" review --json >"$work/review.json"
echo "== fields on the real editions, random layouts (seed $seed, $n records)"
python3 "$here/fields.py" "$corpus" "$work/json" "$work/review.json"
