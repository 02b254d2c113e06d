# realpages.sh - real scans hold the line: five pages of real signed
# state documents (tests/real/, from shared/real sets 3 and 4; see its
# README) read against plain `tesseract -l vie` on the same file, counted
# in well-formed Vietnamese syllables (hunspell-vi's list and numbers, the
# measure of shared/real/noharm.py): no page harmed (under 0.9 of
# tesseract's count, noharm's line), the five together within 2% of it
# (one page, lit_306 p4, reads 0.95: three lines under a speckled seal
# that Tesseract reads one of from the raw file and none from the
# cleaned one; README, "Real pages"); none turned, squared or flattened
# (all lie upright and flat: a table of coordinates whose marks say
# "upside down", a table whose rules run down the page, a receipt stamp
# and handwriting, a red seal over a signature).
. "$TESTS/lib.sh"
REAL="$TESTS/real"
socr() { "$SOHOA" -c "$OCRCONF" "$@"; }
expect_exit 0 "the five real pages ingested with OCR" socr ingest -j 2 --report "$T/r.json" "$REAL"
mkdir -p "$T/tess" "$T/show"
jq -r '.files[] | [.path, .id] | @tsv' "$T/r.json" | while IFS="$(printf '\t')" read -r path id; do
	b=$(basename "$path" .tif)
	socr show --json "$id" >"$T/show/$b.json"
	OMP_THREAD_LIMIT=1 tesseract "$path" "$T/tess/$b" -l vie >/dev/null 2>&1
done
check "five records shown" test "$(ls "$T/show" | wc -l)" = 5
PYTHONPATH="$TESTS/tools" python3 - "$T/show" "$T/tess" <<'PY'
import glob, json, os, sys
from wellformed import valid
show, tess = sys.argv[1:3]
def say(good, what):
    print(("ok - " if good else "not ok - ") + what)
ts = tt = 0
for f in sorted(glob.glob(show + "/*.json")):
    b = os.path.basename(f)[:-5]
    j = json.load(open(f))
    pg = j["pages"][0]
    s = valid(pg.get("text", ""))
    t = valid(open(os.path.join(tess, b + ".txt"), encoding="utf-8").read())
    ts += s
    tt += t
    say(s >= 0.9 * t, f"{b}: {s} well-formed syllables, tesseract {t}")
    say(pg.get("rotation") == 0 and not pg.get("capture") and not pg.get("dewarped"),
        f"{b}: stored as it lies, unturned, unsquared, unflattened (rotation {pg.get('rotation')}, "
        f"capture {pg.get('capture')}, dewarped {pg.get('dewarped')}, declined {pg.get('declined')})")
say(ts >= 0.98 * tt, f"the five together: sohoa {ts}, tesseract {tt}")
PY
