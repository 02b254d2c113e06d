#!/usr/bin/env python3
"""forgiving.py queries CORPUS N OUT.tsv | fts5 DB TSV QUERIES - the
relevance set of typed-as-at-the-counter queries, and SQLite FTS5's
answer to it.

queries: N queries of each class from the generator's ground truth (the
records in file order are HS-000001...), as lines
  class TAB sohoa-query TAB fts5-query TAB the record meant TAB its folded name
Classes: toneless (a name without tones), missing (a letter left out),
swapped (two letters swapped), tone (a wrong tone, typed with tones),
given_first (the given name first), date (a date of the record typed in
another form), id_spaces (a 12-digit ID number typed in groups).

fts5 DB TSV QUERIES: the same texts in FTS5 with its trigram tokenizer
(folded before indexing, as a user of it would: SQLite 3.40's trigram
has no remove_diacritics), each query's words of three letters or more
as phrases (shorter ones it cannot use); prints per class: queries,
share with the record meant in the top 5 (same-name ties as ixbench
counts them), how many found nothing."""
import json, os, random, sqlite3, sys, unicodedata

from truth import fold, name_of

TONES = ['\u0300', '\u0301', '\u0303', '\u0309', '\u0323']




def retone(rng, name):
    """The name lowercased with one syllable's tone changed."""
    words = name.lower().split()
    order = list(range(len(words)))
    rng.shuffle(order)
    for i in order:
        d = unicodedata.normalize('NFD', words[i])
        have = [c for c in d if c in TONES]
        base = ''.join(c for c in d if c not in TONES)
        vowels = [k for k, c in enumerate(base) if c in 'aeiouy']
        if not vowels:
            continue
        new = rng.choice([t for t in TONES + [''] if t not in have])
        at = vowels[len(vowels) // 2] + 1
        # after the vowel's own marks (circumflex, breve, horn)
        while at < len(base) and unicodedata.category(base[at]) == 'Mn':
            at += 1
        words[i] = unicodedata.normalize('NFC', base[:at] + new + base[at:])
        return ' '.join(words)
    return None


def typed_date(rng, iso):
    y, m, d = int(iso[:4]), int(iso[5:7]), int(iso[8:10])
    return rng.choice(['%d/%d/%d' % (d, m, y), '%02d-%02d-%d' % (d, m, y),
                       '%d.%d.%02d' % (d, m, y % 100), '%d-%d-%d' % (d, m, y)])


def queries(corpus, n, out):
    files = sorted(x for x in os.listdir(corpus) if x.endswith('.json'))
    recs = [json.load(open(os.path.join(corpus, x))) for x in files]
    rng = random.Random(29)
    lines = []
    def add(cls, q, fq, i, name):
        lines.append('\t'.join([cls, q, fq, 'HS-%06d' % (i + 1), name]))
    idx = list(range(len(recs)))
    for cls in ('toneless', 'missing', 'swapped', 'tone', 'given_first', 'date', 'id_spaces'):
        made = 0
        tries = 0
        while made < n and tries < 50 * n:
            tries += 1
            i = rng.choice(idx)
            f = recs[i]['fields']
            nm = name_of(f)
            if not nm:
                continue
            folded = fold(nm)
            w = folded.split()
            q = None
            if cls == 'toneless':
                q = folded
            elif cls == 'missing':
                k = rng.randrange(len(w))
                if len(w[k]) < 2:
                    continue
                p = rng.randrange(len(w[k]))
                w[k] = w[k][:p] + w[k][p + 1:]
                q = ' '.join(w)
            elif cls == 'swapped':
                k = rng.randrange(len(w))
                if len(w[k]) < 2:
                    continue
                p = rng.randrange(len(w[k]) - 1)
                if w[k][p] == w[k][p + 1]:
                    continue
                w[k] = w[k][:p] + w[k][p + 1] + w[k][p] + w[k][p + 2:]
                q = ' '.join(w)
            elif cls == 'tone':
                q = retone(rng, nm)
            elif cls == 'given_first':
                if len(w) < 2:
                    continue
                q = ' '.join([w[-1]] + w[:-1])
            elif cls == 'date':
                ds = [v for k, v in f.items() if k.startswith('ngay_') and isinstance(v, str)]
                if not ds:
                    continue
                q = typed_date(rng, rng.choice(ds))
                folded = ''
            elif cls == 'id_spaces':
                ids = []
                if isinstance(f.get('so_dinh_danh'), str):
                    ids.append(f['so_dinh_danh'])
                for o in f.get('chu_su_dung_chi_tiet') or []:
                    digits = ''.join(c for c in o.get('giay_to', '') if c.isdigit())
                    if len(digits) == 12:
                        ids.append(digits)
                if not ids:
                    continue
                d = rng.choice(ids)
                g = rng.choice([3, 4])
                q = ' '.join(d[j:j + g] for j in range(0, 12, g))
                folded = ''
            if not q:
                continue
            add(cls, q, '-', i, folded)
            made += 1
    with open(out, 'w', encoding='utf-8') as o:
        o.write('\n'.join(lines) + '\n')


def fts5(db, tsv, qpath):
    if os.path.exists(db):
        os.unlink(db)
    con = sqlite3.connect(db)
    con.execute("CREATE VIRTUAL TABLE r USING fts5(body, name, tokenize='trigram')")
    with open(tsv, encoding='utf-8') as f:
        con.executemany('INSERT INTO r(rowid, body, name) VALUES (?, ?, ?)',
                        ((i + 1, fold(line.split('\t')[0]), fold(line.split('\t')[1]))
                         for i, line in enumerate(f)))
    con.commit()
    names = {}
    for rowid, name in con.execute('SELECT rowid, name FROM r'):
        names[rowid] = name
    stats = {}
    for line in open(qpath, encoding='utf-8'):
        cls, q, _, want, wname = line.rstrip('\n').split('\t')
        st = stats.setdefault(cls, [0, 0, 0])
        st[0] += 1
        words = [x for x in fold(q).split() if len(x) >= 3] if cls not in ('date', 'id_spaces') else [q]
        if not words:
            st[2] += 1
            continue
        match = ' AND '.join('"%s"' % x.replace('"', '') for x in words)
        try:
            rows = [r[0] for r in con.execute(
                'SELECT rowid FROM r WHERE r MATCH ? ORDER BY rank LIMIT 50', (match,))]
        except sqlite3.OperationalError:
            rows = []
        if not rows:
            st[2] += 1
            continue
        want_id = int(want[3:])
        rank = 0
        for r in rows:
            if r == want_id:
                st[1] += rank < 5
                break
            rank += not wname or names.get(r) != wname
    for cls, (n, found, empty) in stats.items():
        print('%s\t%d\t%.3f\t%d' % (cls, n, found / n if n else 0, empty))


if __name__ == '__main__':
    if sys.argv[1] == 'queries':
        queries(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    else:
        fts5(sys.argv[2], sys.argv[3], sys.argv[4])
