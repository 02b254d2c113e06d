#!/usr/bin/env python3
"""fuzz.py HOST:PORT N SEED [COOKIE CSRF] - sends the site N random
requests over raw sockets (loopback only): random paths, query strings
and form bodies with bytes that are not UTF-8, NUL bytes, huge values,
odd methods and encodings, and raw garbage. Every request that gets an
answer must get a 2xx, 3xx or 4xx; raw garbage may also be dropped. Prints
one "ok - ..." / "not ok - ..." line per finding class for tests/run.sh,
and the requests that drew a 5xx or no answer (to replay them). /logout
is left out: it would end the session the rest of the run rides on."""
import random
import socket
import sys

host, port = sys.argv[1].rsplit(':', 1)
port = int(port)
n = int(sys.argv[2])
rng = random.Random(int(sys.argv[3]))
cookie = sys.argv[4] if len(sys.argv) > 4 else ''
csrf = sys.argv[5] if len(sys.argv) > 5 else ''
assert host in ('127.0.0.1', 'localhost', '::1'), 'loopback only'

PATHS = ['/', '/api/search', '/api/queue', '/record/HS-000001', '/record/HS-00000',
         '/record/../../etc/passwd', '/page/HS-000001/1.png', '/page/HS-000001/0.png',
         '/page/HS-000001/999.png', '/page/HS-0000/1.png', '/original/HS-000001',
         '/original/HS-999999', '/pdf/HS-99999x', '/pdf/', '/queue', '/review/HS-000001',
         '/review/HS-000002', '/review/HS-999999', '/review/', '/login', '/admin',
         '/admin/log', '/static/station.js', '/static/../serve.c', '/%00', '/%ff%fe',
         '/' + 'a' * 3000, '//', '/api/', '/record/HS-000001/x']
KEYS = ['q', 'type', 'from', 'to', 'limit', 'w', 'batch', 'problem', 'user', 'record',
        'done', 'ho_ten', 'so', 'ngay_sinh', 'gioi_tinh', 'csrf', 'version', 'action',
        'op', 'name', 'role', 'password', 'chu_su_dung', 'dien_tich', 'x' * 70, '', '%00']
METHODS = ['GET'] * 6 + ['POST'] * 6 + ['HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS',
                                        'TRACE', 'CONNECT', 'FOO', 'G\x00T', 'get']


def junk(k):
    return bytes(rng.randrange(256) for _ in range(k))


def pct(b):
    return ''.join('%%%02X' % c for c in b)


def value(good=False):
    r = rng.random() * (0.44 if good else 1) + (0.56 if good else 0)
    if r < 0.15:
        return pct(junk(rng.randrange(1, 8)))            # not UTF-8, most likely
    if r < 0.25:
        return 'a%00b'                                   # a NUL
    if r < 0.32:
        return 'x' * rng.choice([1000, 5000, 70000])    # huge
    if r < 0.40:
        return pct('<script>alert(1)</script>'.encode())
    if r < 0.48:
        return rng.choice(['%c3%28', '%e2%82', '%f0%28%8c%bc', '%ed%a0%80', '%c0%af'])
    if r < 0.56:
        return rng.choice(['15%2F03%2F1985', '31%2F02%2F1990', 'Nam', 'N%E1%BB%AF', '1',
                           '-1', '99999999999999999999', 'accept', 'save', 'check', 'add'])
    return pct(rng.choice(['nguyễn văn an', 'so:38/1999', '"open', 'type:gcn',
                           'ngay_sinh:1985..', 'thua_dat_so:912']).encode())


def query(good=False):
    k = rng.randrange(0, 6)
    parts = []
    for _ in range(k):
        key = rng.choice(KEYS[:-3] if good else KEYS)
        parts.append(key + ('=' + value(good) if rng.random() < 0.9 else ''))
    if rng.random() < 0.05:
        parts.append('&&&===')
    return '&'.join(parts)


def request():
    """One request as bytes, and whether it is raw garbage."""
    if rng.random() < 0.08:
        kind = rng.randrange(4)
        if kind == 0:
            return junk(rng.randrange(1, 2000)), True
        if kind == 1:
            return b'GET /' + junk(50) + b' HTTP/1.1\r\n\r\n', True
        if kind == 2:
            return b'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n', True
        return b'POST /review/HS-000001 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', True
    method = rng.choice(METHODS)
    path = rng.choice(PATHS)
    qs = query() if rng.random() < (0.3 if method == 'POST' else 0.7) else ''
    target = path + ('?' + qs if qs else '')
    headers = ['Host: %s:%d' % (host, port), 'Connection: close']
    if cookie and rng.random() < 0.8:
        headers.append('Cookie: sohoa_session=' + (cookie if rng.random() < 0.9 else 'x' * 43))
    if rng.random() < 0.1:
        headers.append('Authorization: Bearer ' + rng.choice(['nope', 'a' * 64, '', '\xff']))
    if rng.random() < 0.05:
        headers.append('Cookie: ' + 'sohoa_session=' + 'A' * 5000)
    body = b''
    if method == 'POST' or rng.random() < 0.05:
        r = rng.random()
        if r < 0.6:
            fields = query(good=rng.random() < 0.5)
            if csrf and rng.random() < 0.85:
                fields += '&csrf=' + csrf
            body = fields.encode('latin-1', 'replace')
            ctype = 'application/x-www-form-urlencoded'
        elif r < 0.7:
            body = junk(rng.randrange(0, 3000))
            ctype = 'application/x-www-form-urlencoded'
        elif r < 0.8:
            bnd = 'XyZ'
            body = ('--%s\r\nContent-Disposition: form-data; name="ho_ten"\r\n\r\n' % bnd).encode() \
                + junk(40) + ('\r\n--%s--\r\n' % bnd).encode()
            ctype = 'multipart/form-data; boundary=' + bnd
        elif r < 0.9:
            body = b'{"ho_ten": "x"}'
            ctype = 'application/json'
        else:
            body = b'x=' + b'y' * 80000
            ctype = 'application/x-www-form-urlencoded'
        headers.append('Content-Type: ' + ctype)
        headers.append('Content-Length: %d' % len(body))
    head = '%s %s HTTP/1.1\r\n%s\r\n\r\n' % (method, target, '\r\n'.join(headers))
    return head.encode('latin-1', 'replace') + body, False


def send(data):
    """The status of the answer, or None when none came."""
    s = socket.create_connection((host, port), timeout=20)
    try:
        s.sendall(data)
        try:
            s.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        got = b''
        while b'\r\n' not in got:
            chunk = s.recv(4096)
            if not chunk:
                break
            got += chunk
        line = got.split(b'\r\n', 1)[0].split()
        return int(line[1]) if len(line) >= 2 and line[1].isdigit() else None
    except (ConnectionResetError, BrokenPipeError, socket.timeout):
        return None
    finally:
        s.close()


bad, dropped, counts = [], 0, {}
for i in range(n):
    data, raw = request()
    try:
        status = send(data)
    except ConnectionRefusedError:
        print('not ok - the site stopped answering at request %d: %r' % (i, data[:200]))
        sys.exit(1)
    if status is None:
        if raw:
            dropped += 1
            continue
        bad.append((i, 'no answer', data[:300]))
        continue
    counts[status // 100] = counts.get(status // 100, 0) + 1
    if status >= 500 or status < 200:
        bad.append((i, status, data[:300]))
for i, what, data in bad[:10]:
    print('# request %d: %s: %r' % (i, what, data))
print('%s - %d random requests: %s; %d raw garbage dropped; %d answered 5xx or not at all'
      % ('not ok' if bad else 'ok', n,
         ', '.join('%dxx %d' % (k, v) for k, v in sorted(counts.items())), dropped, len(bad)))
sys.exit(1 if bad else 0)
