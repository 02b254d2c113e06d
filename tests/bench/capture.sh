#!/bin/sh
# bench/capture.sh BIN GEN - camera captures beside the reference tools,
# in one run on the same files: a fresh corpus of phone photos (`photo`:
# perspective, a table and a phone around the sheet, light falling off, a
# glare, 1-3 megapixels, no resolution tag), flatbed scans without a
# resolution tag (`no-dpi-tag`), colour scans of forms with a security
# background (`guilloche`), photos of those (`photo,guilloche`) and bound
# pages curling toward their spine (`curl`), e-copies' screenshots
# (`screenshot`) and colour scans with a dense red or blue seal over the
# signer's name (`seal-colour`); word accuracy of sohoa, plain
# `tesseract` and `ocrmypdf --rotate-pages --deskew` on each, an older
# sohoa's beside (BENCH_BEFORE); fields; how far the sheet's corners and
# the resolution sohoa found are from the truth; the cost a page.
#   CAPTURE_SEED (default 41, drawn after the rules were written),
#   CAPTURE_N photos (default 24), BENCH_DIR, BENCH_BEFORE,
#   CAPTURE_OCRMYPDF (default 1; 0 leaves ocrmypdf out, 20 s a page)
set -eu
bin=$(realpath "$1"); gen=$(realpath "$2")
here=$(cd "$(dirname "$0")" && pwd)
work=${BENCH_DIR:-/tmp/sohoa-bench}/capture
seed=${CAPTURE_SEED:-41}
n=${CAPTURE_N:-24}
before=${BENCH_BEFORE:-}
rm -rf "$work"; mkdir -p "$work/corpus"
"$gen" --out "$work/corpus" --count "$n" --seed "$seed" --condition photo --layout real >/dev/null 2>&1
"$gen" --out "$work/nodpi" --count $((n / 2)) --seed $((seed + 1)) --condition no-dpi-tag --encoding gray --layout real >/dev/null 2>&1
"$gen" --out "$work/gu" --count $((n / 3)) --seed $((seed + 2)) --condition guilloche --layout real >/dev/null 2>&1
"$gen" --out "$work/pg" --count $((n / 3)) --seed $((seed + 3)) --condition photo,guilloche --layout real >/dev/null 2>&1
"$gen" --out "$work/cu" --count $((n / 3)) --seed $((seed + 4)) --condition curl --layout real >/dev/null 2>&1
"$gen" --out "$work/ss" --count $((n / 3)) --seed $((seed + 5)) --condition screenshot --layout real >/dev/null 2>&1
"$gen" --out "$work/sc" --count $((n / 3)) --seed $((seed + 6)) --condition seal-colour --layout real >/dev/null 2>&1
for d in nodpi:nd gu:gu pg:pg cu:cu ss:ss sc:sc; do
	for f in "$work/${d%%:*}"/*; do mv "$f" "$work/corpus/${d##*:}-$(basename "$f")"; done
done
for j in "$work/corpus"/nd-*.json "$work/corpus"/gu-*.json "$work/corpus"/pg-*.json "$work/corpus"/cu-*.json "$work/corpus"/ss-*.json "$work/corpus"/sc-*.json; do
	jq --arg f "$(basename "${j%.json}").tif" '.file = $f' "$j" >"$j.t" && mv "$j.t" "$j"
done
corpus="$work/corpus"
conf="$work/ocr.conf"
sed "s|^user_words = .*|user_words = $here/../../config/vie-words.txt|; s|^syllables = .*|syllables = $here/../../config/vie-syllables.lm.zst|; s|^rules = .*|rules = $here/../../config/fields|" "$here/../../config/sohoa.conf" >"$conf"
now() { date +%s.%N; }
pages=$(cat "$corpus"/*.json | jq -s 'map(.pages) | add')
echo "== camera captures: $(ls "$corpus"/*.tif | wc -l) records, $pages pages (seed $seed); $(nproc) cores"
. "$here/texts.sh"
t0=$(now)
"$bin" -q -c "$conf" --store "$work/store" ingest -j 2 --report "$work/report.json" "$corpus" >/dev/null
t1=$(now)
texts "$work/txt-sohoa" "$work/store" "$work/report.json" "$bin" "$conf"
"$bin" -c "$conf" --store "$work/store" review --json >"$work/review.json"
tools="sohoa=$work/txt-sohoa"
if [ -n "$before" ]; then
	before_conf "$before" "$conf" "$work/before.conf"
	"$before" -q -c "$work/before.conf" --store "$work/store-before" ingest -j 2 --report "$work/report-before.json" "$corpus" >/dev/null
	texts "$work/txt-before" "$work/store-before" "$work/report-before.json" "$before" "$work/before.conf"
	"$before" -c "$work/before.conf" --store "$work/store-before" review --json >"$work/review-before.json"
	tools="before=$work/txt-before $tools"
fi
mkdir -p "$work/txt-tess" "$work/txt-ocrmypdf" "$work/pdf"
for f in "$corpus"/*.tif; do
	b=$(basename "$f" .tif)
	OMP_THREAD_LIMIT=1 tesseract "$f" "$work/txt-tess/$b" -l vie >/dev/null 2>&1 || echo "tesseract failed on $b" >&2
	# ocrmypdf refuses a file without a resolution: given the one an A4
	# sheet filling the frame's short side (a screenshot: the screen's
	# width) would have, as a user would; a scan its own
	[ "${CAPTURE_OCRMYPDF:-1}" = 0 ] && continue
	dpi=$(jq -r 'if .capture[0].frame_width then ([.capture[0].frame_width, .capture[0].frame_height] | min / 8.27 | floor)
		elif .capture[0].screen then (.capture[0].screen[0] / 8.27 | floor) else .conditions.dpi end' "$corpus/$b.json")
	OMP_THREAD_LIMIT=1 ocrmypdf -q -j 2 -l vie --rotate-pages --deskew --image-dpi "$dpi" \
		--sidecar "$work/txt-ocrmypdf/$b.txt" "$f" "$work/pdf/$b.pdf" >/dev/null 2>&1 || echo "ocrmypdf failed on $b" >&2
done
echo "word accuracy, order-independent (exact / diacritics folded):"
python3 "$here/score.py" "$corpus" $tools "tesseract=$work/txt-tess" \
	$([ "${CAPTURE_OCRMYPDF:-1}" = 0 ] || echo "ocrmypdf=$work/txt-ocrmypdf")
echo
echo "== fields (exact), this binary"
python3 "$here/fields.py" "$corpus" "$work/txt-sohoa.json" "$work/review.json"
if [ -n "$before" ]; then
	echo "== fields, before"
	python3 "$here/fields.py" "$corpus" "$work/txt-before.json" "$work/review-before.json"
fi
echo
echo "== the sheet and the resolution sohoa found, against the truth"
python3 - "$corpus" "$work/txt-sohoa.json" <<'PY'
import glob, json, math, os, sys
corpus, shown = sys.argv[1:3]
corner_err, dpi_err, photo_dpi_err, squared, photos = [], [], [], 0, 0
for f in sorted(glob.glob(shown + "/*.json")):
    s = json.load(open(f)); t = json.load(open(os.path.join(corpus, os.path.basename(f))))
    for i, pg in enumerate(s["pages"]):
        caps = t.get("capture") or []
        if i < len(caps) and "corners" in caps[i]:
            photos += 1
            truth = t["capture"][i]
            cap = pg.get("capture")
            if not cap:
                continue
            squared += 1
            # the worst corner's distance, as a share of the sheet's height in the frame
            side = max(math.dist(truth["corners"][0], truth["corners"][3]),
                       math.dist(truth["corners"][1], truth["corners"][2]))
            corner_err.append(max(math.dist(a, b) for a, b in zip(cap["corners"], truth["corners"])) / side)
            # the squared sheet's true resolution: its width over 210 mm
            true = cap["width"] / (210 / 25.4)
            est = pg.get("ocr_dpi", 0) / (pg.get("enlarged") or 1)
            photo_dpi_err.append((est - true) / true)
        elif "no-dpi-tag" in t["conditions"].get("names", ""):
            est = pg.get("ocr_dpi")
            if est:
                dpi_err.append((est - t["conditions"]["dpi"]) / t["conditions"]["dpi"])
def q(v, p):
    v = sorted(v); return v[min(len(v) - 1, int(p * len(v)))] if v else float("nan")
print(f"photos squared: {squared} of {photos} pages")
bent = {}
for f in sorted(glob.glob(shown + "/*.json")):
    t = json.load(open(os.path.join(corpus, os.path.basename(f))))
    k = "curl" if "curl" in t["conditions"]["names"] else "other"
    for pg in json.load(open(f))["pages"]:
        n, d = bent.get(k, (0, 0))
        bent[k] = (n + 1, d + (1 if pg.get("dewarped") else 0))
for k, (n, d) in sorted(bent.items()):
    print(f"pages dewarped, {k} pages: {d} of {n}")
rr = [pg.get("reread") for f in sorted(glob.glob(shown + "/*.json")) for pg in json.load(open(f))["pages"]]
print(f"pages read again from the binarised page: {sum(1 for x in rr if x)} "
      f"(the second reading kept on {sum(1 for x in rr if x == 'binarised page kept')})")
if corner_err:
    print(f"corner error (worst corner, share of the sheet's height): median {q(corner_err, .5):.2%}, worst {max(corner_err):.2%}")
for name, errs in (("no-tag scans", dpi_err), ("photos (the squared sheet)", photo_dpi_err)):
    if errs:
        within = sum(abs(e) <= 0.15 for e in errs)
        print(f"{name}, resolution from the text: {within} of {len(errs)} within 15%; "
              f"median error {q([abs(e) for e in errs], .5):.1%}, worst {max(errs, key=abs):+.1%}")
PY
echo
echo "== time: sohoa ingest -j 2 $(printf %.1f "$(echo "$t1 - $t0" | bc -l)") s for $pages pages; seconds a page by step (one core), by condition:"
steps() {
	jq -r '[.files[] | {g: (.path | capture("/(?<p>nd|gu|cu|ss|sc|pg)-") // {p: "photo"} | .p), s: .seconds}] | group_by(.g)[] |
	  "\(.[0].g | {"photo": "photo", "pg": "photo,guilloche", "nd": "no-dpi-tag (flatbed)", "gu": "guilloche", "cu": "curl", "ss": "screenshot", "sc": "seal-colour"}[.]): " +
	  ([["prepare", "orient", "recognise"][] as $k | "\($k) \(([.[].s[$k]] | add / length * 1000 | round) / 1000)"] | join(", "))' "$1"
}
steps "$work/report.json"
if [ -n "$before" ]; then
	echo "before, the same files:"
	steps "$work/report-before.json"
fi
