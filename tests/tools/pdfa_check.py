#!/usr/bin/env python3
"""pdfa_check.py - what can be checked of a PDF/A-2b here, without
veraPDF: one "ok - ..." or "not ok - ..." line per check.

usage: pdfa_check.py FILE.pdf ICC_PROFILE

Reads the file through `qpdf --json` (qpdf's own parser) and checks: PDF
1.4-1.7; a trailer ID; no encryption; the catalog's XMP metadata stream
unfiltered, its packet declaring pdfaid:part 2 and conformance B, its
dc:title equal to the document information's Title; an output intent
GTS_PDFA1 whose DestOutputProfile is an RGB ICC profile, byte for byte
the one given; every font with an embedded font program; no JavaScript,
no launch or URI actions, no embedded files."""
import base64
import json
import subprocess
import sys
import xml.etree.ElementTree as ET

pdf, icc = sys.argv[1], sys.argv[2]
fails = 0


def check(ok, what):
    global fails
    print(("ok - " if ok else "not ok - ") + what)
    fails += not ok


out = subprocess.run(["qpdf", "--json=2", "--json-key=qpdf",
                      "--json-stream-data=inline", "--decode-level=generalized",
                      pdf], capture_output=True, check=True).stdout
head, objs = json.loads(out)["qpdf"]


def obj(ref):
    return objs.get("obj:" + ref) if isinstance(ref, str) else None


def value(ref):
    o = obj(ref)
    if o is None:
        return ref
    return o.get("value", o.get("stream", {}).get("dict"))


def pdfstr(s):
    """qpdf's JSON strings: u:text or b:hex (UTF-16BE with BOM)."""
    if s.startswith("u:"):
        return s[2:]
    raw = bytes.fromhex(s[2:])
    return raw[2:].decode("utf-16-be") if raw[:2] == b"\xfe\xff" else raw.decode("latin-1")


trailer = objs["trailer"]["value"]
check(head["pdfversion"] in ("1.4", "1.5", "1.6", "1.7"),
      f"{pdf}: PDF version {head['pdfversion']} (1.4 to 1.7)")
check(isinstance(trailer.get("/ID"), list) and len(trailer["/ID"]) == 2,
      "the trailer has a document ID")
check("/Encrypt" not in trailer, "nothing is encrypted")
root = value(trailer["/Root"])
meta = obj(root.get("/Metadata"))
stream = meta.get("stream", {}) if meta else {}
check(bool(stream) and "/Filter" not in stream.get("dict", {}),
      "the catalog has an unfiltered XMP metadata stream")
ns = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
      "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
      "dc": "http://purl.org/dc/elements/1.1/"}
xmp = base64.b64decode(stream.get("data", "")) if stream else b""
try:
    tree = ET.fromstring(xmp[xmp.index(b"<x:xmpmeta"):xmp.index(b"</x:xmpmeta>") + 12])
except (ValueError, ET.ParseError):
    tree = None
check(tree is not None and xmp.startswith(b"<?xpacket begin=") and
      xmp.rstrip().endswith(b"<?xpacket end=\"w\"?>"), "the XMP is one well-formed packet")


def xmp_value(path):
    if tree is None:
        return None
    for d in tree.iter("{%s}Description" % ns["rdf"]):
        e = d.find(path, ns)
        if e is not None:
            return e.text
        k = path.replace("pdfaid:", "{%s}" % ns["pdfaid"])
        if k in d.attrib:
            return d.attrib[k]
    return None


check(xmp_value("pdfaid:part") == "2", "XMP pdfaid:part is 2")
check(xmp_value("pdfaid:conformance") == "B", "XMP pdfaid:conformance is B")
info = value(trailer.get("/Info", "")) or {}
title = pdfstr(info["/Title"]) if "/Title" in info else None
check(title is not None and xmp_value("dc:title/rdf:Alt/rdf:li") == title,
      f"the XMP dc:title is the document's Title ({title})")
intents = value(root.get("/OutputIntents", [])) or []
gts = [value(i) for i in intents if value(i).get("/S") == "/GTS_PDFA1"]
check(len(gts) == 1, "one output intent GTS_PDFA1")
prof = obj(gts[0].get("/DestOutputProfile")) if gts else None
data = base64.b64decode(prof["stream"]["data"]) if prof else b""
check(prof is not None and prof["stream"]["dict"].get("/N") == 3 and data[36:40] == b"acsp"
      and data[16:20] == b"RGB ", "its DestOutputProfile is an embedded RGB ICC profile")
check(data == open(icc, "rb").read(), f"the profile is {icc}, byte for byte")
fonts = []
for k, o in objs.items():
    v = o.get("value") if isinstance(o, dict) else None
    if isinstance(v, dict) and v.get("/Type") == "/FontDescriptor":
        fonts.append(v)
check(bool(fonts) and all(any(f in fd for f in ("/FontFile", "/FontFile2", "/FontFile3"))
                          for fd in fonts), f"every font ({len(fonts)}) has its program embedded")
bad = [k for k, o in objs.items() if isinstance(o, dict) and isinstance(o.get("value"), dict)
       and (o["value"].get("/S") in ("/JavaScript", "/Launch", "/URI")
            or "/JS" in o["value"] or "/EmbeddedFiles" in o["value"])]
check(not bad and "/Names" not in root and "/OpenAction" not in root,
      "no scripts, actions or embedded files")
sys.exit(1 if fails else 0)
