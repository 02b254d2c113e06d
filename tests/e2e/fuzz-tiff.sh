# fuzz-tiff.sh - TIFFs damaged at random (bytes flipped, runs zeroed,
# cut short, a directory's counts and offsets made large) from every
# kind mktiff writes: each file is stored or refused with its reason,
# the batch never stops, nothing crashes, and the store checks clean. In
# `make check-asan` it runs under AddressSanitizer and UBSan, where a
# read out of bounds in the TIFF check or in Leptonica's decoding stops
# the run. FUZZ_TIFF_N files (default 400), FUZZ_TIFF_SEED to replay.
. "$TESTS/lib.sh"
seeds="$T/seeds"; mkdir -p "$seeds"
for k in g4 gray-lzw rgb-jpeg gray16 palette rgb-tiled cmyk blank; do
	"$MKTIFF" "$seeds/$k.tif" "$k" 2 7 300 400 2>/dev/null || "$MKTIFF" "$seeds/$k.tif" "$k" 2 7
done
seed=${FUZZ_TIFF_SEED:-$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')}
echo "# seed $seed"
python3 - "$seeds" "$T/fuzz" "${FUZZ_TIFF_N:-400}" "$seed" <<'PY'
import os, random, struct, sys
src, out, n, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rng = random.Random(seed)
os.makedirs(out, exist_ok=True)
files = sorted(os.listdir(src))
for i in range(n):
    d = bytearray(open(os.path.join(src, files[i % len(files)]), 'rb').read())
    how = rng.choice(["flip", "zero", "cut", "ifd", "flip", "ifd"])
    if how == "flip":
        for _ in range(rng.randint(1, 20)):
            d[rng.randrange(len(d))] ^= 1 << rng.randrange(8)
    elif how == "zero":
        a = rng.randrange(len(d)); d[a:a + rng.randint(1, 4096)] = bytes(min(4096, len(d) - a))[:len(d[a:a + 4096])]
    elif how == "cut":
        d = d[:rng.randrange(8, len(d))]
    else:
        # a directory entry's count or offset made large, small or odd
        bo = '<' if d[:2] == b'II' else '>'
        first = struct.unpack(bo + 'I', d[4:8])[0]
        if first + 2 <= len(d):
            cnt = struct.unpack(bo + 'H', d[first:first + 2])[0]
            e = first + 2 + 12 * rng.randrange(max(cnt, 1))
            if e + 12 <= len(d):
                field = rng.choice([4, 8])
                val = rng.choice([0, 1, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF, rng.randrange(1 << 32), len(d) - 1])
                d[e + field:e + field + 4] = struct.pack(bo + 'I', val)
    open(os.path.join(out, "f%04d-%s.tif" % (i, how)), 'wb').write(d)
PY
"$SOHOA" -c "$CONF" ingest -j 2 --report "$T/r.json" "$T/fuzz" >"$T/out" 2>"$T/err"
rc=$?
check "fuzz-tiff: the batch ends normally (exit 0 or 3), never a crash" test $rc = 0 -o $rc = 3
n=$(ls "$T/fuzz" | wc -l)
check "fuzz-tiff: every one of $n files is stored or refused" \
	test "$(jq '.stored + .duplicates + .rejected' "$T/r.json")" = "$n"
check "fuzz-tiff: each refusal says why" test "$(jq '[.files[] | select(.status == "rejected" and ((.reason // "") == ""))] | length' "$T/r.json")" = 0
echo "# $(jq .stored "$T/r.json") stored, $(jq .duplicates "$T/r.json") duplicates, $(jq .rejected "$T/r.json") refused"
check "fuzz-tiff: no sanitizer report" sh -c "! grep -q 'ERROR: AddressSanitizer\|runtime error:' '$T/err'"
expect_exit 0 "fuzz-tiff: the store checks clean" sohoa check
# the ones that passed the check, read by OCR too (Leptonica decodes them)
mkdir -p "$T/ocr"
jq -r '.files[] | select(.status == "stored") | .path' "$T/r.json" | head -12 | while read -r f; do cp "$f" "$T/ocr/"; done
rm -rf "$SOHOA_STORE"
"$SOHOA" -c "$OCRCONF" ingest -j 2 --report "$T/r2.json" "$T/ocr" >"$T/out" 2>"$T/err"
rc=$?
check "fuzz-tiff: damaged files that pass the check are read by OCR without a crash" test $rc = 0 -o $rc = 3
check "fuzz-tiff: and no sanitizer report there either" sh -c "! grep -q 'ERROR: AddressSanitizer\|runtime error:' '$T/err'"
