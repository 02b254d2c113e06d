#!/usr/bin/env python3
"""score.py CORPUS TOOL=TEXTDIR... - order-independent word accuracy.

For every record NAME in CORPUS (NAME.json ground truth), each tool's
TEXTDIR/NAME.txt is compared with the printed lines: accuracy is the
share of ground-truth words (as a multiset) found among the OCR words,
exact and with diacritics folded (case, tones and marks removed, đ -> d).
Prints one row per scan condition, one column pair per tool."""
import collections, json, os, sys, unicodedata

PUNCT = ',.:;()[]"\'“”‘’-_…'

def words(text):
    out = []
    for w in text.split():
        w = w.strip(PUNCT)
        if w and any(ch.isalnum() for ch in w):
            out.append(unicodedata.normalize('NFC', w))
    return out

def fold(w):
    w = w.lower().replace('đ', 'd')
    return ''.join(c for c in unicodedata.normalize('NFD', w)
                   if unicodedata.category(c) != 'Mn')

def accuracy(gt, ocr):
    g, o = collections.Counter(gt), collections.Counter(ocr)
    return sum(min(n, o[w]) for w, n in g.items()), sum(g.values())

def main():
    corpus, tools = sys.argv[1], [a.split('=', 1) for a in sys.argv[2:]]
    rows = collections.defaultdict(lambda: collections.defaultdict(lambda: [0, 0, 0]))
    for name in sorted(os.listdir(corpus)):
        if not name.endswith('.json'):
            continue
        gt = json.load(open(os.path.join(corpus, name)))
        cond = gt['conditions']['names']
        gw = words(' '.join(gt['lines']))
        for tool, d in tools:
            path = os.path.join(d, name[:-5] + '.txt')
            ow = words(open(path, encoding='utf-8', errors='replace').read()) if os.path.exists(path) else []
            hit, total = accuracy(gw, ow)
            fhit, _ = accuracy([fold(w) for w in gw], [fold(w) for w in ow])
            for key in (cond, 'ALL'):
                r = rows[key][tool]
                r[0] += hit; r[1] += fhit; r[2] += total
    names = [t for t, _ in tools]
    print('%-22s' % 'condition' + ''.join('%24s' % n for n in names))
    print('%-22s' % '' + ''.join('%12s%12s' % ('exact', 'folded') for _ in names))
    for key in sorted(rows, key=lambda k: (k == 'ALL', k)):
        line = '%-22s' % key
        for n in names:
            h, f, t = rows[key][n]
            line += '%12.3f%12.3f' % (h / t, f / t) if t else '%24s' % '-'
        print(line)

if __name__ == '__main__':
    main()
