#!/usr/bin/env python3
"""queries.py CORPUS N - search benchmark queries drawn from the
generator's ground truth, N of each class, as lines of
class TAB sohoa-query TAB fts5-query (fts5-query "-" when FTS5 has no
equivalent). Classes: name (typed without tones), phrase (three words of
the text), field (so + quyen_so + type, or parcel + map sheet), fuzzy
(a name with one letter wrong)."""
import json, os, random, sys

from truth import fold, name_of

corpus, n = sys.argv[1], int(sys.argv[2])
files = sorted(x for x in os.listdir(corpus) if x.endswith('.json'))
rng = random.Random(13)
picked = [json.load(open(os.path.join(corpus, x)))
          for x in rng.sample(files, min(len(files), n))]
out = []
for t in picked:
    f = t['fields']
    name = fold(name_of(f) or 'nguyen')
    out.append(('name', name, name))
    words = fold(' '.join(t['lines'])).split()
    i = rng.randrange(0, max(1, len(words) - 3))
    ph = ' '.join(words[i:i + 3])
    out.append(('phrase', '"%s"' % ph, '"%s"' % ph))
    if 'so' in f and 'quyen_so' in f:
        so, qs = fold(f['so']), fold(f['quyen_so'])
        out.append(('field', 'so:"%s" quyen_so:"%s" type:%s' % (so, qs, t['type']),
                    'so:"%s" AND quyen_so:"%s" AND type:"%s"'
                    % (so, qs, t['type'].replace('-', ' '))))
    else:
        a, b = fold(f['thua_dat_so']), fold(f['to_ban_do_so'])
        out.append(('field', 'thua_dat_so:%s to_ban_do_so:%s' % (a, b),
                    'thua_dat_so:"%s" AND to_ban_do_so:"%s"' % (a, b)))
    w = name.split()
    k = max(range(len(w)), key=lambda j: len(w[j]))
    s = w[k]
    p = rng.randrange(1, len(s))
    w[k] = s[:p] + rng.choice('abcdeghiklmnopqrstuvxy'.replace(s[p], '')) + s[p + 1:]
    out.append(('fuzzy', ' '.join(w), '-'))
for cls in ('name', 'phrase', 'field', 'fuzzy'):
    for c, q, r in out:
        if c == cls:
            print('%s\t%s\t%s' % (c, q, r))
