#!/usr/bin/env python3
"""fields.py CORPUS SHOWDIR REVIEW.json - field accuracy against ground truth.

SHOWDIR holds `sohoa show --json` of each record as NAME.json; REVIEW.json
is `sohoa review --json`. A field is right when its value equals the
ground truth after NFC and whitespace folding. Prints accuracy per type
and scan condition, the share of records sent to review, and how many
wrong fields review did not flag."""
import collections, json, os, sys, unicodedata

def norm(v):
    if isinstance(v, list):
        return [norm(x) for x in v]
    return ' '.join(unicodedata.normalize('NFC', str(v)).split())

corpus, showdir, review = sys.argv[1:4]
flagged = {}
for r in json.load(open(review))['records']:
    flagged[r['id']] = {p['field'] for p in r['problems']}
acc = collections.defaultdict(lambda: [0, 0])
eds = collections.defaultdict(lambda: [0, 0, 0, 0])  # ok, fields, records, edition right
types_ok = records = sent = wrong = unflagged = 0
for name in sorted(os.listdir(corpus)):
    if not name.endswith('.json') or not os.path.exists(os.path.join(showdir, name)):
        continue
    gt = json.load(open(os.path.join(corpus, name)))
    rec = json.load(open(os.path.join(showdir, name)))
    records += 1
    types_ok += rec['type'] == gt['type']
    sent += rec['id'] in flagged
    cond = gt['conditions']['names']
    ed = gt['type'] + ' ' + gt.get('edition', '-')
    eds[ed][2] += 1
    eds[ed][3] += rec.get('edition') == gt.get('edition')
    for k, v in gt['fields'].items():
        got = (rec.get('fields') or {}).get(k, {}).get('value')
        ok = got is not None and norm(got) == norm(v)
        for key in ((gt['type'], cond), (gt['type'], 'ALL'), ('ALL', cond), ('ALL', 'ALL')):
            acc[key][0] += ok
            acc[key][1] += 1
        eds[ed][0] += ok
        eds[ed][1] += 1
        if not ok:
            wrong += 1
            if k not in flagged.get(rec['id'], set()) and 'type' not in flagged.get(rec['id'], set()):
                unflagged += 1
types = sorted({t for t, _ in acc if t != 'ALL'}) + ['ALL']
conds = sorted({c for _, c in acc if c != 'ALL'}) + ['ALL']
print('%-18s' % 'condition' + ''.join('%11s' % t for t in types))
for c in conds:
    row = '%-18s' % c
    for t in types:
        a = acc.get((t, c))
        row += '%11s' % ('%.3f' % (a[0] / a[1]) if a and a[1] else '-')
    print(row)
print()
print('%-24s %8s %9s %12s' % ('type and edition', 'records', 'exact', 'edition told'))
for ed in sorted(eds):
    ok, total, recs, told = eds[ed]
    print('%-24s %8d %9.3f %12s' % (ed, recs, ok / max(total, 1), '%d/%d' % (told, recs)))
print()
print('types right: %d/%d; sent to review: %d/%d records (%.0f%%)' % (
    types_ok, records, sent, records, 100.0 * sent / max(records, 1)))
print('wrong fields: %d of %d; not flagged for review: %d' % (
    wrong, acc[('ALL', 'ALL')][1], unflagged))
