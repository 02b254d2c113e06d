#!/usr/bin/env python3
"""fts5.py build DB TSV | query DB QUERIES - the reference for the search
benchmark: the same record texts in SQLite FTS5 (unicode61,
remove_diacritics 2), contentless so that its size is the index alone.
build prints seconds and bytes; query prints, per class, count, p50 ms,
p99 ms and mean hits, as ixbench does ("-" queries are skipped: FTS5
has no near-spelling search)."""
import os, sqlite3, sys, time

COLS = ('body', 'name', 'so', 'quyen_so', 'type', 'thua_dat_so', 'to_ban_do_so')

def build(db, tsv):
    if os.path.exists(db):
        os.unlink(db)
    t0 = time.monotonic()
    con = sqlite3.connect(db)
    con.execute("CREATE VIRTUAL TABLE r USING fts5(%s, content='', "
                "tokenize='unicode61 remove_diacritics 2')" % ', '.join(COLS))
    with open(tsv, encoding='utf-8') as f:
        con.executemany('INSERT INTO r(rowid, %s) VALUES (?, %s)'
                        % (', '.join(COLS), ', '.join('?' * len(COLS))),
                        ((i + 1, *(line.rstrip('\n').split('\t') + [''] * 7)[:7])
                         for i, line in enumerate(f)))
    con.commit()
    con.execute("INSERT INTO r(r) VALUES ('optimize')")
    con.commit()
    con.close()
    print('%.2f\t%d' % (time.monotonic() - t0, os.path.getsize(db)))

def query(db, path):
    con = sqlite3.connect(db)
    times, hits = {}, {}
    # warm, as ixbench: the first 50 queries once untimed
    for line in open(path, encoding='utf-8').readlines()[:50]:
        q = line.rstrip('\n').split('\t')[2]
        if q != '-':
            con.execute('SELECT rowid FROM r WHERE r MATCH ? ORDER BY rank '
                        'LIMIT 10', (q,)).fetchall()
    for line in open(path, encoding='utf-8'):
        cls, _, q = line.rstrip('\n').split('\t')
        if q == '-':
            continue
        t0 = time.perf_counter()
        rows = con.execute('SELECT rowid FROM r WHERE r MATCH ? ORDER BY rank '
                           'LIMIT 10', (q,)).fetchall()
        total = con.execute('SELECT count(*) FROM r WHERE r MATCH ?', (q,)).fetchone()[0]
        times.setdefault(cls, []).append((time.perf_counter() - t0) * 1000)
        hits[cls] = hits.get(cls, 0) + total
        del rows
    for cls, v in times.items():
        v.sort()
        print('%s\t%d\t%.3f\t%.3f\t%.1f' % (cls, len(v), v[len(v) // 2],
              v[len(v) * 99 // 100], hits[cls] / len(v)))

if __name__ == '__main__':
    {'build': build, 'query': query}[sys.argv[1]](sys.argv[2], sys.argv[3])
