#!/usr/bin/env python3
"""throughput.py CORPUS REPORT.json TESS.tsv OCRMYPDF.tsv - seconds per page
by scan condition, for sohoa (one core: the report's per-record step
times, which its workers spend on one core each) and for the references
(each file's wall time in their loops: tesseract on one core, ocrmypdf
with its own -j 2), and where sohoa's time goes by step.

TESS.tsv and OCRMYPDF.tsv: NAME<TAB>SECONDS per file, NAME without .tif."""
import collections, json, os, sys

STEPS = ['prepare', 'orient', 'recognise', 'encode', 'fields', 'pack', 'write']


def load_times(path):
    out = {}
    for line in open(path):
        name, secs = line.rstrip('\n').split('\t')
        out[name] = float(secs)
    return out


def main():
    corpus, report, tess, ocrmypdf = sys.argv[1:5]
    rep = json.load(open(report))
    tt, ot = load_times(tess), load_times(ocrmypdf)
    pages = collections.Counter()
    cost = collections.defaultdict(lambda: [0.0, 0.0, 0.0])
    steps = collections.Counter()
    upright = [0, 0.0, 0.0, 0.0]
    for f in rep['files']:
        name = os.path.basename(f['path'])[:-4]
        gt = json.load(open(os.path.join(corpus, name + '.json')))
        cond = gt['conditions']['names']
        n = gt['pages']
        secs = f.get('seconds', {})
        own = sum(secs.get(k, 0) for k in STEPS)
        for k in STEPS:
            steps[k] += secs.get(k, 0)
        for key in (cond, 'ALL'):
            pages[key] += n
            c = cost[key]
            c[0] += own
            c[1] += tt.get(name, 0)
            c[2] += ot.get(name, 0)
        if gt['conditions']['rotation'] == 0:
            upright[0] += n
            upright[1] += own
            upright[2] += tt.get(name, 0)
            upright[3] += ot.get(name, 0)
    print('%-22s %6s %14s %14s %14s' % ('seconds per page', 'pages', 'sohoa (1 core)',
                                         'tesseract', 'ocrmypdf -j 2'))
    for key in sorted(pages, key=lambda k: (k == 'ALL', k)):
        c = cost[key]
        p = pages[key]
        print('%-22s %6d %14.2f %14.2f %14.2f' % (key, p, c[0] / p, c[1] / p, c[2] / p))
    if upright[0]:
        print('%-22s %6d %14.2f %14.2f %14.2f' % ('upright pages', upright[0],
              upright[1] / upright[0], upright[2] / upright[0], upright[3] / upright[0]))
    total = sum(steps.values())
    print()
    print('where sohoa\'s time goes (one core, whole corpus, %d pages):' % pages['ALL'])
    for k in STEPS:
        print('  %-10s %8.1f s %6.1f%%  %6.3f s/page' % (k, steps[k], 100 * steps[k] / total,
                                                   steps[k] / pages['ALL']))
    print('  %-10s %8.1f s' % ('all', total))
    print('UPRIGHT_TESS_SECONDS %.3f' % upright[2])
    print('UPRIGHT_PAGES %d' % upright[0])


main()
