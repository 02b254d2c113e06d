#!/usr/bin/python3
"""bench/real.py - sohoa on real pages, beside plain tesseract and
ocrmypdf --rotate-pages --deskew on the same files, in one run.

usage: real.py --bin BIN --conf CONF --real DIR --work DIR [--sets 3,4,5,6,T]
               [--every N] [--every5 N] [--offset I] [--ocrmypdf-every K] [--no-ocrmypdf]
               [--before BIN] [-v]

DIR is what ../shared/real/fetch.sh rebuilt. For each set:
  3, 4 (Vietnamese scans, no transcription): well-formed Vietnamese
       syllables read per page (hunspell-vi's list, numbers count too; the
       measure of shared/real/noharm.py), pages where sohoa reads fewer
       than 0.9x tesseract (where tesseract reads 20 or more), pages
       turned, squared, flattened, re-read from the page as it came;
  5    (phone photos of English invoices): word accuracy against
       ground_truth_words.json (the truth's words found, order-independent),
       read with `eng`;
  6    (phone photos with the sheet's corners): the worst corner's distance
       from the truth as a share of the sheet's height, or unsquared;
  T    (pages of sets 3 and 4 transcribed by hand, real-truth/NAME.txt):
       exact word accuracy and with diacritics folded (score.py's
       measure), per page with -v, and the words wrong only in their
       diacritics.
ocrmypdf (20 s a page here) reads every Kth page of the sample; its figures
are given beside sohoa's and tesseract's on those same pages.
Tesseract's and ocrmypdf's texts are kept in WORK and reused. Exit 0."""
import argparse, collections, glob, json, math, os, re, subprocess, sys, time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from wellformed import valid  # noqa: E402
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import score  # noqa: E402

ENV1 = dict(os.environ, OMP_THREAD_LIMIT="1")


def to_tiff(src, dst, dpi=None):
    """A page image as the TIFF a scanner would give (noharm.py's way:
    JPEG in TIFF for colour, LZW for gray and bilevel; a TIFF as it is)."""
    if os.path.exists(dst):
        return
    if src.lower().endswith((".tif", ".tiff")):
        subprocess.run(["cp", src, dst], check=True)
        return
    from PIL import Image
    im = Image.open(src)
    im = im.convert("RGB") if im.mode not in ("1", "L") else im
    kw = {"dpi": (dpi, dpi)} if dpi else {}
    im.save(dst, compression="tiff_jpeg" if im.mode == "RGB" else "tiff_lzw",
            quality=92, **kw)


def tesseract(tif, out, lang):
    if not os.path.exists(out + ".txt"):
        subprocess.run(["tesseract", tif, out, "-l", lang], capture_output=True, env=ENV1)
    return open(out + ".txt", encoding="utf-8", errors="replace").read() \
        if os.path.exists(out + ".txt") else ""


def ocrmypdf(tif, out, lang, dpi):
    if not os.path.exists(out + ".txt"):
        subprocess.run(["ocrmypdf", "-q", "-j", "1", "-l", lang, "--rotate-pages", "--deskew",
                        "--image-dpi", str(dpi), "--sidecar", out + ".txt", tif, out + ".pdf"],
                       capture_output=True, env=ENV1)
        if os.path.exists(out + ".pdf"):
            os.unlink(out + ".pdf")
    return open(out + ".txt", encoding="utf-8", errors="replace").read() \
        if os.path.exists(out + ".txt") else ""


def conf_for(binary, conf):
    """conf as an older sohoa (--before) reads it: texts.sh's before_conf,
    the one the shell benches use."""
    out = conf + ".before.conf"
    texts = os.path.join(os.path.dirname(os.path.abspath(__file__)), "texts.sh")
    subprocess.run(["sh", "-c", '. "$0"; before_conf "$1" "$2" "$3"', texts, binary, conf, out],
                   check=True)
    return out


def sohoa(binary, conf, batch, store, rep):
    """Ingests batch into a fresh store; {name: show --json} and seconds."""
    subprocess.run(["rm", "-rf", store, rep])
    t0 = time.time()
    p = subprocess.run([binary, "-q", "-c", conf, "--store", store, "ingest", "-j", "2",
                        "--report", rep, batch], capture_output=True)
    secs = time.time() - t0
    if not os.path.exists(rep):
        # 3 is "stored, with problems"; anything without a report is a failure
        raise SystemExit("%s ingest of '%s' failed (exit %d): %s" % (
            binary, batch, p.returncode, p.stderr.decode(errors="replace").strip()[-500:]))
    shown = {}
    for f in json.load(open(rep))["files"]:
        nm = os.path.basename(f["path"]).rsplit(".", 1)[0]
        if f.get("id"):
            p = subprocess.run([binary, "-c", conf, "--store", store, "show", "--json", f["id"]],
                               capture_output=True)
            shown[nm] = json.loads(p.stdout or b"{}")
    return shown, secs


def page_list(setdir, every, offset=0):
    tsv = os.path.join(setdir, "pages", "pages.tsv")
    rows = [l.rstrip("\n").split("\t") for l in open(tsv)] if os.path.exists(tsv) else []
    rows = [r for r in rows if len(r) >= 4]
    return [(os.path.join(setdir, "pages", r[0]), int(r[3]) if r[3].isdigit() else 200)
            for i, r in enumerate(rows) if i % every == offset % every]


def text_of(j):
    return "\n".join(pg.get("text", "") for pg in j.get("pages", []))


def scans(a, num, name, setdir):
    work = os.path.join(a.work, "set%d" % num)
    batch = os.path.join(work, "batch")
    os.makedirs(batch, exist_ok=True)
    for d in ("tess", "ocrmypdf"):
        os.makedirs(os.path.join(work, d), exist_ok=True)
    pages = page_list(setdir, a.every, a.offset)
    names = []
    for src, dpi in pages:
        nm = os.path.basename(src).rsplit(".", 1)[0]
        to_tiff(src, os.path.join(batch, nm + ".tif"))
        names.append((nm, dpi))
    t0 = time.time()
    tess = {nm: tesseract(os.path.join(batch, nm + ".tif"), os.path.join(work, "tess", nm), "vie")
            for nm, _ in names}
    t_tess = time.time() - t0
    ocrm = {}
    if a.ocrmypdf:
        ocrm = {nm: ocrmypdf(os.path.join(batch, nm + ".tif"), os.path.join(work, "ocrmypdf", nm),
                             "vie", dpi) for i, (nm, dpi) in enumerate(names) if i % a.ocrmypdf_every == 0}
    runs = [("sohoa", a.bin)] + ([("before", a.before)] if a.before else [])
    res = {}
    for label, binary in runs:
        conf = a.conf if label == "sohoa" else conf_for(binary, a.conf)
        res[label] = sohoa(binary, conf, batch, os.path.join(work, "store-" + label),
                           os.path.join(work, "report-" + label + ".json"))
    shown = res["sohoa"][0]
    tot = collections.Counter()
    rows = []
    for nm, _ in names:
        j = shown.get(nm, {})
        s, t = valid(text_of(j)), valid(tess[nm])
        o = valid(ocrm[nm]) if nm in ocrm else None
        b = valid(text_of(res["before"][0].get(nm, {}))) if "before" in res else 0
        pg = (j.get("pages") or [{}])[0]
        harm = t >= 20 and s < 0.9 * t
        flags = [k for k, v in (("turned", pg.get("rotation")), ("squared", pg.get("capture")),
                                ("flattened", pg.get("dewarped")),
                                ("as-came", pg.get("chosen") == "as it came")) if v]
        if o is not None:
            tot.update(o_pages=1, o_ocrm=o, o_sohoa=s, o_tess=t)
        tot.update(sohoa=s, tess=t, before=b, pages=1, harm=harm,
                   turned=bool(pg.get("rotation")), squared=bool(pg.get("capture")),
                   flattened=bool(pg.get("dewarped")), ascame=pg.get("chosen") == "as it came",
                   strips=bool((pg.get("orientation") or {}).get("sampled")),
                   declined=bool(pg.get("declined")))
        rows.append((nm, s, t, o, b, harm, flags))
    if a.verbose:
        for nm, s, t, o, b, harm, flags in rows:
            print("  %-44s sohoa %4d  tesseract %4d  ocrmypdf %4s%s  %s %s" % (
                nm[:44], s, t, "-" if o is None else o, "  before %4d" % b if a.before else "",
                "HARM" if harm else "", " ".join(flags)))
    print("set %d %s: %d pages (every %d from %d); well-formed syllables: sohoa %d, tesseract %d (%.3f)%s" % (
        num, name, tot["pages"], a.every, a.offset % a.every, tot["sohoa"], tot["tess"], tot["sohoa"] / max(tot["tess"], 1),
        ", before %d (%.3f)" % (tot["before"], tot["before"] / max(tot["tess"], 1)) if a.before else ""))
    if tot["o_pages"]:
        print("  on the %d of them ocrmypdf read: sohoa %d, tesseract %d, ocrmypdf --rotate-pages --deskew %d"
              % (tot["o_pages"], tot["o_sohoa"], tot["o_tess"], tot["o_ocrm"]))
    print("  pages under 0.9x tesseract: %d; turned %d, squared %d, flattened %d, read as they came %d;"
          " a strip read to tell the way up %d; a step tried and declined %d"
          % (tot["harm"], tot["turned"], tot["squared"], tot["flattened"], tot["ascame"], tot["strips"],
             tot["declined"]))
    print("  seconds a page: sohoa ingest -j 2 %.2f (wall, two workers), tesseract %.2f (one core)%s"
          % (res["sohoa"][1] / max(tot["pages"], 1), t_tess / max(tot["pages"], 1) if t_tess > 1 else float("nan"),
             ", before %.2f" % (res["before"][1] / max(tot["pages"], 1)) if a.before else ""))
    return tot


def words_of(text):
    return collections.Counter(re.findall(r"\w+", text))


def accuracy(truth, text):
    got = words_of(text)
    return sum(min(c, got[w]) for w, c in truth.items()), sum(truth.values())


def photos(a, setdir):
    work = os.path.join(a.work, "set5")
    batch = os.path.join(work, "batch")
    for d in ("batch", "tess", "ocrmypdf"):
        os.makedirs(os.path.join(work, d), exist_ok=True)
    conf = eng_conf(a, work)
    files = sorted(glob.glob(os.path.join(setdir, "*", "warped_document_*.jpg")))
    files = [f for i, f in enumerate(files) if i % a.every5 == a.offset % a.every5]
    truth, names = {}, []
    for f in files:
        inv = os.path.basename(os.path.dirname(f))
        cond = os.path.basename(f)[len("warped_document_"):-4]
        nm = inv + "-" + cond
        to_tiff(f, os.path.join(batch, nm + ".tif"))
        gt = json.load(open(os.path.join(os.path.dirname(f), "ground_truth_words.json")))
        truth[nm] = collections.Counter(w for g in gt for w in re.findall(r"\w+", g["text"]))
        names.append(nm)
    tess = {nm: tesseract(os.path.join(batch, nm + ".tif"), os.path.join(work, "tess", nm), "eng")
            for nm in names}
    ocrm = {}
    if a.ocrmypdf:
        ocrm = {nm: ocrmypdf(os.path.join(batch, nm + ".tif"), os.path.join(work, "ocrmypdf", nm),
                             "eng", 200) for i, nm in enumerate(names) if i % a.ocrmypdf_every == 0}
    runs = [("sohoa", a.bin)] + ([("before", a.before)] if a.before else [])
    shown = {l: sohoa(b, conf if l == "sohoa" else conf_for(b, conf), batch,
                      os.path.join(work, "store-" + l),
                      os.path.join(work, "report-" + l + ".json")) for l, b in runs}
    by = collections.defaultdict(collections.Counter)
    worse = 0
    for nm in names:
        sub = nm in ocrm
        for tool, text in (("tesseract", tess[nm]), ("ocrmypdf", ocrm.get(nm)),
                           ("sohoa", text_of(shown["sohoa"][0].get(nm, {}))),
                           ("before", text_of(shown["before"][0].get(nm, {})) if a.before else None)):
            if text is None:
                continue
            g, n = accuracy(truth[nm], text)
            warp = nm.split("-", 1)[1].rsplit("_", 1)[0]
            by[warp][tool + "_g"] += g
            by[warp][tool + "_n"] += n
            by["all"][tool + "_g"] += g
            by["all"][tool + "_n"] += n
            if sub:
                by["ocrmypdf's"][tool + "_g"] += g
                by["ocrmypdf's"][tool + "_n"] += n
        pg = (shown["sohoa"][0].get(nm, {}).get("pages") or [{}])[0]
        by["all"]["squared"] += bool(pg.get("capture"))
        by["all"]["flattened"] += bool(pg.get("dewarped"))
        by["all"]["turned"] += bool(pg.get("rotation"))
        by["all"]["ascame"] += pg.get("chosen") == "as it came"
        s = accuracy(truth[nm], text_of(shown["sohoa"][0].get(nm, {})))[0]
        t = accuracy(truth[nm], tess[nm])[0]
        worse += s < 0.9 * t and t >= 20
    tools = ["sohoa", "tesseract"] + (["before"] if a.before else [])
    print("set 5 inv3d_real: %d phone photos (every %d from %d), word accuracy (eng):"
          % (len(names), a.every5, a.offset % a.every5))
    for k in sorted(by, key=lambda k: (k == "ocrmypdf's", k == "all", k)):
        ts = tools + (["ocrmypdf"] if k == "ocrmypdf's" else [])
        print("  %-12s " % k + "  ".join("%s %.3f" % (t, by[k][t + "_g"] / max(by[k][t + "_n"], 1)) for t in ts))
    print("  photos under 0.9x tesseract: %d; squared %d, flattened %d, turned %d, read as they came %d"
          % (worse, by["all"]["squared"], by["all"]["flattened"], by["all"]["turned"], by["all"]["ascame"]))
    print("  seconds a photo: sohoa ingest -j 2 %.2f (wall)" % (shown["sohoa"][1] / max(len(names), 1)))


def eng_conf(a, work):
    """The bench's config read in English (sets 5 and 6 are English):
    their words are scored as English, not as Vietnamese syllables."""
    conf = os.path.join(work, "eng.conf")
    with open(a.conf) as i, open(conf, "w") as o:
        for l in i:
            if l.startswith("language ="):
                l = "language = eng\n"
            elif l.startswith("user_words =") or l.startswith("tessedit_char_blacklist"):
                continue
            elif l.startswith("rules =") or l.startswith("settings =") or l.startswith("schemas ="):
                l = l.split("=")[0] + "= " + os.path.join(os.path.dirname(os.path.abspath(a.conf)),
                                                        l.split("=", 1)[1].strip()) + "\n"
            o.write(l)
    return conf


def corners(a, setdir):
    work = os.path.join(a.work, "set6")
    batch = os.path.join(work, "batch")
    os.makedirs(batch, exist_ok=True)
    for f in sorted(glob.glob(os.path.join(setdir, "*.jpg"))):
        to_tiff(f, os.path.join(batch, os.path.basename(f)[:-4] + ".tif"))
    shown, _ = sohoa(a.bin, eng_conf(a, work), batch, os.path.join(work, "store"),
                     os.path.join(work, "report.json"))
    print("set 6 phone_doc_corners: the sheet's corners (read with eng)")
    for nm in sorted(shown):
        t = json.load(open(os.path.join(setdir, nm + ".corners.json")))["corners"]
        truth = [t["tl"], t["tr"], t["br"], t["bl"]]
        pg = (shown[nm].get("pages") or [{}])[0]
        cap = pg.get("capture")
        tx = tesseract(os.path.join(batch, nm + ".tif"), os.path.join(work, nm + "-eng"), "eng")
        s = "words %d (tesseract %d), turned %d°%s" % (
            sum(words_of(text_of(shown[nm])).values()), sum(words_of(tx).values()), pg.get("rotation", 0),
            ", read as it came" if pg.get("chosen") == "as it came" else "")
        if not cap:
            print("  %-34s left unsquared; %s" % (nm, s))
            continue
        side = max(math.dist(truth[0], truth[3]), math.dist(truth[1], truth[2]))
        err = max(math.dist(p, q) for p, q in zip(cap["corners"], truth)) / side
        print("  %-34s squared, worst corner %.2f%% of the sheet's height; %s" % (nm, err * 100, s))


def transcribed(a, truthdir):
    """The hand-transcribed pages: each read by tesseract on the raw
    image and by sohoa, scored against its transcription."""
    work = os.path.join(a.work, "truth")
    batch = os.path.join(work, "batch")
    for d in ("batch", "tess"):
        os.makedirs(os.path.join(work, d), exist_ok=True)
    names = sorted(f[:-4] for f in os.listdir(truthdir) if f.endswith(".txt"))
    for nm in names:
        src = [f for f in glob.glob(os.path.join(a.real, "vn_*", "pages", nm + ".*"))]
        if len(src) != 1:
            raise SystemExit("real.py: no page (or two) named %s in %s/vn_*/pages" % (nm, a.real))
        to_tiff(src[0], os.path.join(batch, nm + ".tif"))
    tess = {nm: tesseract(os.path.join(batch, nm + ".tif"), os.path.join(work, "tess", nm), "vie")
            for nm in names}
    runs = [("sohoa", a.bin)] + ([("before", a.before)] if a.before else [])
    texts = {"tesseract": tess}
    for label, binary in runs:
        conf = a.conf if label == "sohoa" else conf_for(binary, a.conf)
        shown, _ = sohoa(binary, conf, batch, os.path.join(work, "store-" + label),
                         os.path.join(work, "report-" + label + ".json"))
        texts[label] = {nm: text_of(shown.get(nm, {})) for nm in names}
    tools = ["tesseract"] + [l for l, _ in runs]
    tot = {t: [0, 0, 0] for t in tools}
    for nm in names:
        gw = score.words(open(os.path.join(truthdir, nm + ".txt"), encoding="utf-8").read())
        row = []
        for t in tools:
            ow = score.words(texts[t][nm])
            hit, n = score.accuracy(gw, ow)
            fhit, _ = score.accuracy([score.fold(w) for w in gw], [score.fold(w) for w in ow])
            for i, v in enumerate((hit, fhit, n)):
                tot[t][i] += v
            row.append("%s %.3f/%.3f" % (t, hit / max(n, 1), fhit / max(n, 1)))
        if a.verbose:
            print("  %-36s %4d words  %s" % (nm[:36], len(gw), "  ".join(row)))
    n = tot["tesseract"][2]
    print("transcribed pages: %d pages of sets 3 and 4, %d words; exact / diacritics folded:" % (len(names), n))
    for t in tools:
        h, f, _ = tot[t]
        print("  %-10s %.3f / %.3f  (%d words wrong only in their diacritics)" % (t, h / max(n, 1), f / max(n, 1), f - h))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bin", required=True)
    p.add_argument("--conf", required=True)
    p.add_argument("--real", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--sets", default="3,4,5,6")
    p.add_argument("--every", type=int, default=1)
    p.add_argument("--every5", type=int, default=3)
    p.add_argument("--offset", type=int, default=0,
                   help="the sample's first page: another offset is pages not yet looked at")
    p.add_argument("--no-ocrmypdf", dest="ocrmypdf", action="store_false")
    p.add_argument("--ocrmypdf-every", dest="ocrmypdf_every", type=int, default=4)
    p.add_argument("--before")
    p.add_argument("-v", dest="verbose", action="store_true")
    a = p.parse_args()
    a.bin = os.path.abspath(a.bin)
    a.before = a.before and os.path.abspath(a.before)
    sets = {int(s) if s.isdigit() else s for s in a.sets.split(",")}
    if 3 in sets:
        scans(a, 3, "vn_gov_adf_bilevel", os.path.join(a.real, "vn_gov_adf_bilevel"))
    if 4 in sets:
        scans(a, 4, "vn_province_colour", os.path.join(a.real, "vn_province_colour"))
    if 5 in sets:
        photos(a, os.path.join(a.real, "inv3d_real"))
    if 6 in sets:
        corners(a, os.path.join(a.real, "phone_doc_corners"))
    if "T" in sets:
        transcribed(a, os.path.join(os.path.dirname(os.path.abspath(__file__)), "real-truth"))


main()
