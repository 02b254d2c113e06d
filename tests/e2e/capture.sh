# capture.sh - camera captures and scans without a resolution: phone
# photos of two records (8 degrees of perspective, a table around the
# sheet, light falling off, a glare, no resolution tag) come back squared,
# the sheet's corners found within 1% of its size, their type and names
# read; show --json says what was done (corners, the squared size, the
# enlargement, where the resolution came from); the originals stay
# bit-exact; scans without a resolution tag get one from their text
# within 15%; a page on a guilloche background reads its words and
# fields; a bound page curling toward its spine is flattened and read; an
# e-copy's screenshot is read; a seal in red or blue over the signer's
# name is taken out of recognition by its colour and kept on the stored
# page; a flatbed scan is left as it is.
. "$TESTS/lib.sh"
socr() { "$SOHOA" -c "$OCRCONF" "$@"; }
GEN="$BUILD/sohoa-gen"
"$GEN" --out "$T/photo" --count 2 --seed 77 --type khai-sinh --condition photo --perspective 8 --layout real >/dev/null 2>&1
"$GEN" --out "$T/photo2" --count 1 --seed 79 --type ket-hon --condition photo --perspective 8 --layout real >/dev/null 2>&1
"$GEN" --out "$T/nodpi" --count 2 --seed 78 --condition no-dpi-tag --encoding gray --dpi 300 --layout real >/dev/null 2>&1
"$GEN" --out "$T/nodpi200" --count 1 --seed 80 --condition no-dpi-tag --encoding gray --dpi 200 --layout real >/dev/null 2>&1
"$GEN" --out "$T/guilloche" --count 1 --seed 81 --type khai-sinh --condition guilloche --layout real >/dev/null 2>&1
"$GEN" --out "$T/curl" --count 1 --seed 82 --type khai-tu --condition curl --layout real >/dev/null 2>&1
"$GEN" --out "$T/screen" --count 1 --seed 83 --type ket-hon --condition screenshot --layout real >/dev/null 2>&1
"$GEN" --out "$T/seal" --count 1 --seed 84 --type khai-sinh --condition seal-colour --layout real >/dev/null 2>&1
mkdir -p "$T/in"
for d in photo photo2 nodpi nodpi200 guilloche curl screen seal; do for f in "$T/$d"/*.tif; do cp "$f" "$T/in/$d-$(basename "$f")"; cp "${f%.tif}.json" "$T/in/$d-$(basename "${f%.tif}").json"; done; done
cp "$REPO/seeds/khai-sinh-0002.tif" "$T/in/flatbed.tif"
sha_before=$(sha256sum "$T"/in/*.tif | sha256sum)
socr -q ingest -j 2 --report "$T/r.json" "$T/in"
check "every file stored" test "$(jq '[.files[] | select(.status == "stored")] | length' "$T/r.json")" = 11
check "the inputs untouched" test "$(sha256sum "$T"/in/*.tif | sha256sum)" = "$sha_before"
for f in "$T"/in/*.tif; do
	id=$(jq -r --arg p "$f" '.files[] | select(.path == $p) | .id' "$T/r.json")
	socr show --json "$id" >"${f%.tif}.show"
	# the stored cleaned page's size, as file(1) reads its TIFF header
	socr page "$id" 1 -o "${f%.tif}.page.tif" 2>/dev/null
	file "${f%.tif}.page.tif" | sed 's/.*height=\([0-9]*\).*width=\([0-9]*\).*/\2 \1/' >"${f%.tif}.size"
done
python3 - "$T/in" <<'PY'
import glob, json, math, os, sys
d = sys.argv[1]
def say(ok, what):
    print(("ok - " if ok else "not ok - ") + what)
for f in sorted(glob.glob(d + "/photo*.show")):
    s, t = json.load(open(f)), json.load(open(f[:-5] + ".json"))
    name = os.path.basename(f)[:-5]
    pg, truth = s["pages"][0], t["capture"][0]
    cap = pg.get("capture") or {}
    say(cap.get("squared") is True, f"{name}: the photographed sheet is found and squared")
    if not cap:
        continue
    side = max(math.dist(truth["corners"][0], truth["corners"][3]), math.dist(truth["corners"][1], truth["corners"][2]))
    worst = max(math.dist(a, b) for a, b in zip(cap["corners"], truth["corners"]))
    say(worst / side < 0.01, f"{name}: its corners within 1% of its size ({worst:.1f} px of {side:.0f}, tilt {truth['tilt']})")
    aspect = cap["width"] / cap["height"]
    say(abs(aspect / (210 / 297) - 1) < 0.03, f"{name}: squared to an A4 sheet's aspect ({aspect:.3f}, A4 {210/297:.3f})")
    k = pg.get("enlarged") or 1
    sw, sh = map(int, open(f[:-5] + ".size").read().split())
    # (the factor is reported to two decimals)
    say(abs(sw / (cap["width"] * k) - 1) < 0.005 and abs(sh / (cap["height"] * k) - 1) < 0.005,
        f"{name}: the stored page is the squared sheet ({sw}x{sh}: {cap['width']}x{cap['height']} enlarged {k})")
    say(pg.get("dpi_from") == "text" and pg.get("rotation") == 0, f"{name}: upright, its resolution from its text ({pg.get('ocr_dpi')} dpi, {pg.get('dpi_from')})")
    say(s["type"] == t["type"], f"{name}: its type is read ({s['type']})")
    for fld in ("ho_ten", "ho_ten_chong", "ho_ten_vo", "so"):
        if fld in t["fields"]:
            got = (s["fields"].get(fld) or {}).get("value")
            say(got == t["fields"][fld], f"{name}: {fld} reads '{got}' (printed '{t['fields'][fld]}')")
for f in sorted(glob.glob(d + "/nodpi*.show")):
    s, t = json.load(open(f)), json.load(open(f[:-5] + ".json"))
    name, pg, true = os.path.basename(f)[:-5], s["pages"][0], t["conditions"]["dpi"]
    est = pg.get("ocr_dpi") or 0
    say(pg.get("dpi_from") == "text" and abs(est - true) / true <= 0.15,
        f"{name}: no resolution tag: {est} dpi from its text, {true} printed ({(est - true) / true:+.0%})")
    say(pg.get("capture") is None, f"{name}: a scan that fills its frame is not squared")
# a page on the current form's green or pink security background
exec(open(os.environ["TESTS"] + "/bench/score.py").read().replace("\nmain()\n", "\n"))
def reads(s, t, what):
    """its words (0.97 of them or more) and every field, as printed"""
    gw = words(" ".join(t["lines"])); ow = words(" ".join(p["text"] or "" for p in s["pages"]))
    hit, total = accuracy(gw, ow)
    say(hit / total >= 0.97, f"{what} reads its words ({hit} of {total})")
    bad = [k for k, v in t["fields"].items() if (s["fields"].get(k) or {}).get("value") != v]
    say(not bad, f"and its fields ({len(t['fields'])}; wrong: {bad})")
    return gw, ow
for f in sorted(glob.glob(d + "/guilloche*.show")):
    reads(json.load(open(f)), json.load(open(f[:-5] + ".json")), "a page on a guilloche background")
# a bound page curling toward its spine: its bend measured, flattened
# only when that reads clearly better (else "declined" says it was
# tried), its words read either way
for f in sorted(glob.glob(d + "/curl*.show")):
    s, t = json.load(open(f)), json.load(open(f[:-5] + ".json"))
    pg = s["pages"][0]
    dw = pg.get("dewarped") or {}
    say((dw.get("depth_mm", 0) >= 0.35 and dw.get("profiles") in (1, 3)) != ("flattening" in (pg.get("declined") or [])),
        f"a page curling {t['capture'][0]['curl_mm']} mm toward its spine is found bent: flattened ({dw}) or the flattening tried and declined ({pg.get('declined')})")
    reads(s, t, "and")
# an e-copy's screenshot: status bar, title bar, a QR code, no tag
for f in sorted(glob.glob(d + "/screen*.show")):
    s, t = json.load(open(f)), json.load(open(f[:-5] + ".json"))
    pg, true = s["pages"][0], t["capture"][0]["page_dpi"]
    say(pg.get("dpi_from") == "text" and abs(pg["ocr_dpi"] / (pg.get("enlarged") or 1) / true - 1) <= 0.15,
        f"a screenshot's page: its resolution from its text ({pg['ocr_dpi']} dpi enlarged {pg.get('enlarged')}, the page {true} dpi on the screen)")
    say(s["type"] == t["type"], f"its type is read ({s['type']})")
    reads(s, t, "it")
# a dense red or blue seal over the signature and the signer's name
for f in sorted(glob.glob(d + "/seal*.show")):
    s, t = json.load(open(f)), json.load(open(f[:-5] + ".json"))
    pg = s["pages"][0]
    say(pg.get("colour_seals") == 1 and pg.get("seals", 0) >= 1,
        f"a coloured seal is found by its colour ({pg.get('colour_seals')}) and kept on the stored page ({pg.get('seals')} found there)")
    gw, ow = reads(s, t, "the page")
    missed = [w for w in gw if w not in ow]
    say(not missed, f"every word read, the signer's name under the seal too (missed {missed})")
s = json.load(open(d + "/flatbed.show"))
say(s["pages"][0].get("capture") is None and s["pages"][0].get("dpi_from") == "tag",
    "a flatbed scan with its resolution: left as it is, the tag's resolution kept")
say(all(p.get("dewarped") is None for p in s["pages"]), "and not dewarped: its lines are straight")
PY
id=$(jq -r '.files[] | select(.path | endswith("photo-khai-sinh-0001.tif")) | .id' "$T/r.json")
socr original "$id" -o "$T/back.tif"
check "the photographed original comes back bit-exact" cmp -s "$T/back.tif" "$T/in/photo-khai-sinh-0001.tif"
