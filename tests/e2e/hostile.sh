# hostile.sh - what a hostile or unlucky week feeds the command line
# (issue 29): names that are not UTF-8 or carry control characters,
# FIFOs and folders that link to themselves in a batch, a page
# directory that loops, a flipped byte in any stored value. Each check
# failed before its fix; each is named after what it checks.
. "$TESTS/lib.sh"
POKE="$BUILD/store_poke"
in="$T/in"; mkdir -p "$in"
"$MKTIFF" "$in/a.tif" gray-lzw 1 1
"$MKTIFF" "$in/b$(printf '\377').tif" gray-lzw 1 2     # a TCVN3/VNI-era name
"$MKTIFF" "$in/c.tif" gray-lzw 1 3
cp "$in/a.tif" "$T/a.copy"

# a name that is not UTF-8 never stops the batch
expect_exit 0 "non-utf8-name: the batch with a name that is not UTF-8 succeeds" \
	sohoa ingest --report "$T/r1.json" "$in"
check "non-utf8-name: all three files are stored" test "$(jq .stored "$T/r1.json")" = 3
check "non-utf8-name: the name is shown with its byte escaped" \
	test "$(jq -r '.files[1].path' "$T/r1.json")" = "$in/b\\xff.tif"
check "non-utf8-name: and kept exactly, as hex" \
	test "$(jq -r '.files[1].path_hex' "$T/r1.json" | xxd -r -p)" = "$in/b$(printf '\377').tif"
id=$(jq -r '.files[1].id' "$T/r1.json")
check "non-utf8-name: the record keeps the name's bytes" \
	test "$(sohoa show --json "$id" | jq -r .source.path_hex | xxd -r -p)" = "$in/b$(printf '\377').tif"
"$MKTIFF" "$in/d$(printf '\376').tif" gray-lzw 1 4
expect_exit 0 "non-utf8-name: a re-run stores the new file after it" sohoa ingest --report "$T/r2.json" "$in"
check "non-utf8-name: one more stored, the others known" \
	test "$(jq -c '[.stored, .duplicates]' "$T/r2.json")" = "[1,3]"
check "the input is never modified" cmp "$in/a.tif" "$T/a.copy"

# a FIFO named like a scan is refused by name, at once
fifo="$T/fifo"; mkdir -p "$fifo"
"$MKTIFF" "$fifo/1.tif" gray-lzw 1 11
mkfifo "$fifo/2.tif"
"$MKTIFF" "$fifo/3.tif" gray-lzw 1 13
expect_exit 3 "fifo: a batch with a FIFO ends (exit 3: a file refused)" \
	timeout 30 "$SOHOA" -c "$CONF" ingest --report "$T/r3.json" "$fifo"
check "fifo: the files around it are stored" test "$(jq .stored "$T/r3.json")" = 2
contains "$T/err" "2.tif': not a regular file (a FIFO)" "fifo: refused by name, with the reason"

# a folder that links to itself twice is walked once
loop="$T/loop"; mkdir -p "$loop/sub"
"$MKTIFF" "$loop/sub/x.tif" gray-lzw 1 21
ln -s .. "$loop/sub/up"; ln -s ../sub "$loop/sub/self"; ln -s "$loop" "$loop/sub/top"
expect_exit 0 "symlink-loop: a folder linking to itself is walked to its end" \
	timeout 30 "$SOHOA" -c "$CONF" ingest --report "$T/r4.json" "$loop"
check "symlink-loop: its one file is stored once" test "$(jq -c '[.total, .stored]' "$T/r4.json")" = "[1,1]"

# control characters in a name never reach the terminal or a log line
esc="$T/esc"; mkdir -p "$esc"
nl=$(printf '\nX'); nl=${nl%X}
printf 'not a tiff' >"$esc/x$(printf '\033')[2J${nl}admin1 user-add backdoor.tif"
expect_exit 3 "control-chars: a name with ESC and a newline is refused as not a TIFF" \
	sohoa ingest --report "$T/r5.json" "$esc"
check "control-chars: the ingest summary escapes them (one line, no ESC)" \
	sh -c "grep -c 'not a TIFF' '$T/err' | grep -qx 1 && ! grep -q \"\$(printf '\\033')\" '$T/err'"
contains "$T/err" 'x\x1b[2J\x0aadmin1 user-add backdoor.tif' "control-chars: written as \\xNN"
b=$(jq -r .batch "$T/r5.json")
sohoa report "$b" >"$T/rep.txt"
check "control-chars: report prints them escaped" \
	sh -c "grep -qF 'x\\x1b[2J\\x0aadmin1' '$T/rep.txt' && ! grep -q '^admin1' '$T/rep.txt'"

# a page directory that points back at itself is named a loop
"$MKTIFF" "$T/two.tif" gray-lzw 2 31
python3 - "$T/two.tif" "$T/loopdir/loop.tif" <<'PY'
import os, struct, sys
d = bytearray(open(sys.argv[1], 'rb').read())
bo = '<' if d[:2] == b'II' else '>'
first = struct.unpack(bo + 'I', d[4:8])[0]
n = struct.unpack(bo + 'H', d[first:first + 2])[0]
second = struct.unpack(bo + 'I', d[first + 2 + 12 * n:first + 6 + 12 * n])[0]
n2 = struct.unpack(bo + 'H', d[second:second + 2])[0]
d[second + 2 + 12 * n2:second + 6 + 12 * n2] = struct.pack(bo + 'I', first)
os.makedirs(os.path.dirname(sys.argv[2]), exist_ok=True)
open(sys.argv[2], 'wb').write(d)
PY
expect_exit 3 "ifd-loop: a looping page directory is refused" sohoa ingest "$T/loopdir"
contains "$T/err" "loop in the page directory: page 2 points back to page 1" "ifd-loop: named a loop, not truncation"

# every stored value carries a checksum: a flipped byte in a page image
# or a page text is found by check and refused by every reader
rm -rf "$SOHOA_STORE"
socr() { "$SOHOA" -c "$OCRCONF" "$@"; }
socr -q ingest -j 2 "$REPO/seeds/gcn-0008.tif" "$REPO/seeds/gcn-0009.tif" "$REPO/seeds/khai-sinh-0001.tif"
expect_exit 0 "blob-checksums: a sound store checks clean" socr check
"$POKE" "$SOHOA_STORE" image HS-000002
expect_exit 3 "blob-checksums: a flipped byte in a page image fails check" socr check
contains "$T/out" "HS-000002: damaged: the page image 'HS-000002:0001' is damaged" "blob-checksums: naming the record and the page"
check "blob-checksums: and only that record" test "$(grep -c damaged "$T/out")" = 1
expect_exit 1 "blob-checksums: page refuses to hand out the damaged image" socr page HS-000002 1 -o "$T/p.png"
check "blob-checksums: export refuses it too (nothing left behind)" \
	sh -c "! \"$SOHOA\" -c \"$OCRCONF\" -q export --out '$T/bag' HS-000002 2>/dev/null && test ! -e '$T/bag'"
"$POKE" "$SOHOA_STORE" text HS-000003
expect_exit 3 "blob-checksums: a flipped byte in a page text fails check" socr check
contains "$T/out" "HS-000003: damaged: the page text" "blob-checksums: naming it"

# a damaged original's message reads plainly (it was garbled)
"$POKE" "$SOHOA_STORE" flip HS-000001
expect_exit 3 "check-message: a damaged original fails check" socr check
check "check-message: one plain line, the record named once" \
	sh -c "grep '^HS-000001: ' '$T/out' | grep -q '^HS-000001: damaged: the original .HS-000001. is damaged' && test \$(grep -o HS-000001 '$T/out' | wc -l) = 2"

# exports: a short write fails the export and leaves nothing; a kill
# after the rename or mid-way is settled by the next command that writes
rm -rf "$SOHOA_STORE"
sohoa -q ingest "$in"
sh -c "trap '' XFSZ; ulimit -f 60; exec \"$SOHOA\" -c \"$CONF\" -q export --out '$T/cut'" >"$T/out" 2>"$T/err"
check "short-write: an export cut by a file size limit fails" test $? -ne 0
contains "$T/err" "File too large" "short-write: saying why, naming the file"
check "short-write: and leaves no bag, no partial folder" sh -c "! ls -d '$T'/cut* 2>/dev/null | grep -q ."
check "short-write: nothing is marked exported" test "$(sohoa show --json HS-000001 | jq '[.history[] | select(.event == "exported")] | length')" = 0

SOHOA_FAULT=kill-after-rename "$SOHOA" -c "$CONF" -q export --out "$T/b1" >/dev/null 2>&1
check "kill-after-rename: killed just after its package is in place" test $? = 137 -a -f "$T/b1/bagit.txt"
expect_exit 0 "kill-after-rename: check still passes the store" sohoa check
contains "$T/err" "an export to '$T/b1' was interrupted (its package complete" "kill-after-rename: and names the interrupted export"
expect_exit 1 "kill-after-rename: the next export --new finds nothing new" sohoa export --new --out "$T/b2"
contains "$T/err" "the export to '$T/b1' was interrupted after its package was complete" "kill-after-rename: it settled the first one, saying so"
check "kill-after-rename: its records are marked exported" test "$(sohoa show --json HS-000001 | jq '[.history[] | select(.event == "exported")] | length')" = 1
sohoa log --json >"$T/log.json"
check "kill-after-rename: and the access log holds the export" \
	test "$(jq '[.[] | select(.action == "export" and (.detail | contains("b1 (recorded after")))] | length' "$T/log.json")" = 1

SOHOA_FAULT=kill-export:2 "$SOHOA" -c "$CONF" -q export --out "$T/b3" >/dev/null 2>&1
check "partial-left: an export killed mid-way leaves its partial folder" sh -c "ls -d '$T'/b3.partial-* >/dev/null 2>&1"
sohoa user list >/dev/null 2>"$T/err"
check "partial-left: the next command that writes removes it" sh -c "! ls -d '$T'/b3.partial-* 2>/dev/null | grep -q ."
contains "$T/err" "the export to '$T/b3' was interrupted before its package was complete" "partial-left: saying so"
sohoa log --json >"$T/log.json"
check "partial-left: and logs the export as abandoned" \
	test "$(jq '[.[] | select(.action == "export-abandoned")] | length' "$T/log.json")" = 1

# verify: a bag that lost its tag manifest, a payload file made a link
sohoa -q export --out "$T/v1"
rm "$T/v1/tagmanifest-sha256.txt"
expect_exit 0 "verify-tagmanifest: a bag without its tag manifest is still valid BagIt" sohoa verify "$T/v1"
contains "$T/err" "no tag manifest" "verify-tagmanifest: but verify says bag-info.txt is no longer protected"
f=$(cd "$T/v1" && find data -type f | sort | head -1)
cp "$T/v1/$f" "$T/elsewhere"; rm "$T/v1/$f"; ln -s "$T/elsewhere" "$T/v1/$f"
expect_exit 3 "verify-symlink: a payload file replaced by a link is not valid" sohoa verify "$T/v1"
contains "$T/out" "$f: a symbolic link, not a file" "verify-symlink: named as a link"

# a page's budget: a page too large for its memory budget is not read,
# one over its time budget is stopped; either is stored unrecognised,
# with a warning, and its record goes to review
rm -rf "$SOHOA_STORE"
sed 's/^page_memory_mb = .*/page_memory_mb = 20/' "$OCRCONF" >"$T/mem.conf"
"$SOHOA" -c "$T/mem.conf" ingest --report "$T/mem.json" "$REPO/seeds/khai-tu-0006.tif" >"$T/out" 2>"$T/err"
check "page-budget: a page over the memory budget: the record is still stored" test "$(jq .stored "$T/mem.json")" = 1
check "page-budget: with a warning saying why" sh -c "jq -r '.files[0].warnings[0]' '$T/mem.json' | grep -q 'over the page budget of 20 MB (\[ocr\] page_memory_mb): left unrecognised, for review'"
check "page-budget: and goes to review" test "$(jq '.files[0].review' "$T/mem.json")" = true
rm -rf "$SOHOA_STORE"
sed 's/^page_seconds = .*/page_seconds = 0.05/' "$OCRCONF" >"$T/time.conf"
"$SOHOA" -c "$T/time.conf" ingest --report "$T/time.json" "$REPO/seeds/khai-tu-0006.tif" >"$T/out" 2>"$T/err"
check "page-budget: a page over its time budget is stopped, the record stored" test "$(jq .stored "$T/time.json")" = 1
check "page-budget: with a warning saying why" sh -c "jq -r '.files[0].warnings[0]' '$T/time.json' | grep -q 'over its time budget of 0.05 s'"
check "page-budget: and goes to review" test "$(jq '.files[0].review' "$T/time.json")" = true

# a configuration a removed package left behind (its rules folder gone
# with the package) reads as none: the same as no configuration at all
mkdir -p "$T/etc" "$T/empty"
sed 's|^path = .*|path = '"$T"'/left-store|' "$REPO/config/sohoa.conf" >"$T/etc/sohoa.conf"
(cd "$T/empty" && env -u SOHOA_STORE SOHOA_CONFIG="$T/etc/sohoa.conf" "$SOHOA" ingest "$REPO/seeds/khai-tu-0006.tif" >/dev/null 2>"$T/left.err")
(cd "$T/empty" && env -u SOHOA_STORE -u SOHOA_CONFIG "$SOHOA" ingest "$REPO/seeds/khai-tu-0006.tif" >/dev/null 2>"$T/none.err")
want=$(sed -n "s/.*cannot read rules folder '\([^']*\)'.*/\1/p" "$T/none.err")
if [ -n "$want" ]; then
	check "leftover-config: its missing rules folder is looked for where sohoa keeps its own, as with no configuration" \
		sh -c "! grep -q '$T/etc/fields' '$T/left.err' && grep -qF \"cannot read rules folder '$want'\" '$T/left.err'"
else   # sohoa's own data is installed here: both read it
	check "leftover-config: its missing rules folder is taken from where sohoa keeps its own" \
		sh -c "! grep -q 'cannot read rules folder' '$T/left.err'"
fi

# sha256-fail: a file whose hash cannot be computed is refused with the
# reason, never stored or taken for a duplicate under an empty hash
expect_exit 3 "sha256-fail: the file is refused" env SOHOA_FAULT=sha256 "$SOHOA" -c "$CONF" --store "$T/hash-store" ingest --report "$T/hash.json" "$REPO/seeds/khai-tu-0006.tif"
check "sha256-fail: the report names the file and the reason" sh -c "jq -r '.files[0] | .path + \" \" + .reason' '$T/hash.json' | grep -q 'khai-tu-0006.tif cannot compute a SHA-256'"
check "sha256-fail: nothing is stored" test "$(jq .stored "$T/hash.json")" = 0
