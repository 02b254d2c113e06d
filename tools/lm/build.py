#!/usr/bin/python3
"""tools/lm/build.py - the syllable language model sohoa chooses a
word's diacritics by (config/vie-syllables.lm.zst), from Vietnamese text
that ships in packages. Run by tools/lm/build.sh, which fetches them;
never by the build.

usage: build.py --out FILE.zst --vntk DIR --debs DIR [--forms DIR]

  --vntk   the unpacked npm package @vntk/dictionary 1.0.0 (MIT): the
           definitions and examples of its dictionary.json and the
           entries of Viet74K.txt
  --debs   Debian 12 packages unpacked into one folder: the Vietnamese
           help and UI of LibreOffice, manpages-vi, maint-guide-vi
  --forms  the generator's ground truth (sohoa-gen --no-images): the
           forms' own printed wording

A syllable is keyed by its letters without its tone, then the tone's
digit (0 none, 1 huyền, 2 sắc, 3 hỏi, 4 ngã, 5 nặng): "hoà" and "hòa"
are one key, "thẩm" is "thâm3". The model is text, compressed with
zstd: a header line, then "u KEY COUNT" for every syllable and
"b KEY KEY COUNT" for every pair of neighbours seen at least twice, "."
standing for a break (punctuation, a number, a line's end)."""
import argparse, collections, glob, gzip, html, json, os, re, subprocess, sys, unicodedata

TONES = {"\u0300": 1, "\u0301": 2, "\u0309": 3, "\u0303": 4, "\u0323": 5}
LETTERS = re.compile(r"^[a-zàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]+$")


def key(w):
    d = unicodedata.normalize("NFD", w.lower())
    tone = 0
    rest = []
    for c in d:
        if c in TONES:
            tone = TONES[c]
        else:
            rest.append(c)
    return unicodedata.normalize("NFC", "".join(rest)) + str(tone)


def vntk(d):
    out = []
    for senses in json.load(open(os.path.join(d, "data", "dictionary.json"))).values():
        for s in senses:
            for f in ("definition", "example"):
                if s.get(f):
                    out.append(s[f].replace("~", "\n"))
    out.append(open(os.path.join(d, "data", "Viet74K.txt"), encoding="utf-8").read())
    return out


def debs(d):
    out = []
    for root, _, files in os.walk(d):
        for f in files:
            p = os.path.join(root, f)
            if f.endswith((".html", ".xhtml")):
                t = open(p, encoding="utf-8", errors="replace").read()
                t = re.sub(r"<script.*?</script>|<style.*?</style>", "", t, flags=re.S)
                out.append(html.unescape(re.sub(r"<[^>]+>", "\n", t)))
            elif f.endswith(".gz") and "/man/" in p:
                t = gzip.open(p).read().decode("utf-8", "replace")
                t = re.sub(r"^\.\S+", "", t, flags=re.M)
                out.append(re.sub(r"\\f.", "", t))
            elif f.endswith(".mo"):
                po = subprocess.run(["msgunfmt", p], capture_output=True).stdout.decode("utf-8", "replace")
                out.append("\n".join(re.findall(r'msgstr "(.*)"', po)))
    return out


def forms(d):
    out = []
    for p in glob.glob(os.path.join(d, "*.json")):
        for lines in json.load(open(p)).get("page_lines", []):
            out.append("\n".join(lines))
    return out


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--out", required=True)
    a.add_argument("--vntk", required=True)
    a.add_argument("--debs", required=True)
    a.add_argument("--forms")
    a = a.parse_args()
    texts = {"vntk": vntk(a.vntk), "debs": debs(a.debs)}
    if a.forms:
        texts["forms"] = forms(a.forms)
    uni, bi, sizes = collections.Counter(), collections.Counter(), {}
    for src, parts in texts.items():
        n = 0
        for t in parts:
            for line in unicodedata.normalize("NFC", t).split("\n"):
                prev = "."
                for tok in re.findall(r"\w+|[^\w\s]", line):
                    k = key(tok) if LETTERS.match(tok.lower()) else "."
                    if k != ".":
                        uni[k] += 1
                        n += 1
                    if k != "." or prev != ".":
                        bi[(prev, k)] += 1
                    prev = k
                if prev != ".":
                    bi[(prev, ".")] += 1
        sizes[src] = n
    kept = {p: c for p, c in bi.items() if c >= 2}
    body = ["# sohoa syllable model 1: %s syllables (%s); %d keys, %d pairs" % (
        sum(sizes.values()), ", ".join("%s %d" % kv for kv in sizes.items()), len(uni), len(kept))]
    body += ["u %s %d" % kv for kv in sorted(uni.items())]
    body += ["b %s %s %d" % (p[0], p[1], c) for p, c in sorted(kept.items())]
    data = ("\n".join(body) + "\n").encode()
    z = subprocess.run(["zstd", "-19", "-q", "-c"], input=data, capture_output=True, check=True).stdout
    open(a.out, "wb").write(z)
    print(body[0], "->", a.out, len(z), "bytes", file=sys.stderr)


main()
