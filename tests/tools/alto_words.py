#!/usr/bin/env python3
"""alto_words.py - the words of ALTO files, one a line, in document order
(CONTENT of every String); with --image, the sourceImageInformation
fileName of each instead.

usage: alto_words.py [--image] FILE.xml..."""
import sys
import xml.etree.ElementTree as ET

NS = "{http://www.loc.gov/standards/alto/ns-v3#}"
args = sys.argv[1:]
image = args[:1] == ["--image"]
for path in args[image:]:
    root = ET.parse(path).getroot()
    if image:
        e = root.find(f"{NS}Description/{NS}sourceImageInformation/{NS}fileName")
        print(e.text if e is not None else "")
        continue
    for s in root.iter(f"{NS}String"):
        print(s.get("CONTENT"))
