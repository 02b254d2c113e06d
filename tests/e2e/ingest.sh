# ingest.sh - a batch of good and bad TIFFs through `sohoa ingest`: every
# good one stored bit-exact, every bad one rejected with its reason, the
# inputs untouched, and a second run stores nothing new.
. "$TESTS/lib.sh"
in="$T/batch"; mkdir -p "$in/sub"
"$MKTIFF" "$in/g4-3pages.tif" g4 3 1
"$MKTIFF" "$in/gray-lzw.TIF" gray-lzw 1 2
"$MKTIFF" "$in/sub/rgb-jpeg.tiff" rgb-jpeg 2 3
"$MKTIFF" "$in/gray16.tif" gray16 1 4
"$MKTIFF" "$in/palette.tif" palette 1 5
"$MKTIFF" "$in/tiled.tif" rgb-tiled 1 6
"$MKTIFF" "$in/huge.tif" huge
"$MKTIFF" "$in/cmyk.tif" cmyk 1 7
: >"$in/empty.tif"
echo "not a scan" >"$in/notes.tif"
head -c 8000 /dev/urandom >"$in/random.tif"
"$MKTIFF" "$T/whole.tif" g4 3 8
head -c $(( $(stat -c %s "$T/whole.tif") * 6 / 10 )) "$T/whole.tif" >"$in/truncated.tif"
echo "ignored" >"$in/readme.txt"
ln -s /nonexistent/scan.tif "$in/unreadable.tif"
( cd "$in" && find . -type f -exec sha256sum {} + | sort ) >"$T/before"
ls -lR --time-style=+%s "$in" >"$T/ls-before"

expect_exit 3 "a batch with bad files exits 3" \
	sohoa ingest --report "$T/r1.json" "$in" "$T/no-such-file.tif"
r="$T/r1.json"
check "report counts 6 stored" test "$(jsonq "$r" .stored)" = 6
check "report counts 8 rejected" test "$(jsonq "$r" .rejected)" = 8
check "report counts 9 pages" test "$(jsonq "$r" .pages)" = 9
check "report lists every file once" test "$(jsonq "$r" '.files | length')" = 14
check "text files in folders are not taken" sh -c "! grep -q readme.txt '$r'"
reason() { jq -r --arg p "$1" '.files[] | select(.path | endswith($p)) | .status + ": " + (.reason // "")' "$r"; }
contains_reason() { case "$(reason "$1")" in *"$2"*) ok "$1 rejected: $2";; *) nok "$1: got '$(reason "$1")', wanted '$2'";; esac; }
contains_reason empty.tif "rejected: empty file"
contains_reason notes.tif "rejected: not a TIFF file"
contains_reason random.tif "rejected: not a TIFF file"
contains_reason truncated.tif "rejected: truncated at page"
contains_reason huge.tif "page 1 is 200000x200000 pixels, over the limit"
contains_reason cmyk.tif "unsupported colour mode (CMYK"
contains_reason unreadable.tif "No such file or directory"
contains_reason no-such-file.tif "No such file or directory"
contains "$T/err" "rejected '$in/huge.tif': page 1 is 200000x200000" "stderr names the rejected file and reason"
for f in g4-3pages.tif gray-lzw.TIF rgb-jpeg.tiff gray16.tif palette.tif tiled.tif; do
	check "$f stored" test "$(reason $f)" = "stored: "
done
( cd "$in" && find . -type f -exec sha256sum {} + | sort ) >"$T/after"
check "input files are unchanged" cmp -s "$T/before" "$T/after"
ls -lR --time-style=+%s "$in" >"$T/ls-after"
check "no input file was moved, added or touched" cmp -s "$T/ls-before" "$T/ls-after"

# reading back
id=$(jq -r '.files[] | select(.path | endswith("g4-3pages.tif")) | .id' "$r")
expect_exit 0 "show --json works" sohoa show --json "$id"
cp "$T/out" "$T/show.json"
check "show: 3 pages" test "$(jsonq "$T/show.json" '.pages | length')" = 3
check "show: page mode and dpi" test "$(jsonq "$T/show.json" '.pages[0].mode + " " + (.pages[0].dpi|tostring)')" = "bilevel 200"
check "show: sha256 matches the file" test "$(jsonq "$T/show.json" .source.sha256)" = "$(sha256sum <"$in/g4-3pages.tif" | cut -d' ' -f1)"
check "show: keys of later stages are present" test "$(jq -c '[has("type"), has("fields"), (.pages[0] | has("text")), (.pages[0] | has("confidence"))]' "$T/show.json")" = "[true,true,true,true]"
check "show: history has the ingest" test "$(jsonq "$T/show.json" '.history[0].event + " " + .history[0].user')" = "ingested tester"
expect_exit 0 "show prints text" sohoa show "$id"
contains "$T/out" "bilevel" "show text lists the pages"
for f in g4-3pages.tif gray-lzw.TIF rgb-jpeg.tiff gray16.tif palette.tif tiled.tif; do
	rid=$(jq -r --arg p "$f" '.files[] | select(.path | endswith($p)) | .id' "$r")
	sohoa -q original "$rid" -o "$T/orig.bin"
	check "original of $f is bit-exact" cmp -s "$T/orig.bin" "$(find "$in" -name "$f")"
done
expect_exit 1 "show of an unknown id fails" sohoa show HS-999999
contains "$T/err" "no record 'HS-999999'" "and says which id"
expect_exit 2 "a bad command is a usage error" sohoa frobnicate
expect_exit 2 "ingest without paths is a usage error" sohoa ingest

# the same batch again: nothing new
expect_exit 3 "second run still reports the rejected files" sohoa ingest --report "$T/r2.json" "$in"
check "second run stores nothing" test "$(jsonq "$T/r2.json" .stored)" = 0
check "second run: every good file is a duplicate" test "$(jsonq "$T/r2.json" .duplicates)" = 6
check "duplicates name the existing record" test "$(jq -r '.files[] | select(.path | endswith("g4-3pages.tif")) | .id' "$T/r2.json")" = "$id"
sohoa stats --json >"$T/stats.json"
check "stats: 6 records" test "$(jsonq "$T/stats.json" .records)" = 6
check "stats: 9 pages" test "$(jsonq "$T/stats.json" .pages)" = 9
check "stats: a rejected file is counted once across runs" test "$(jsonq "$T/stats.json" .rejected)" = 8
check "stats: 2 batches" test "$(jsonq "$T/stats.json" .batches)" = 2
check "stats: store_bytes" test "$(jsonq "$T/stats.json" .store_bytes)" -gt 0
expect_exit 0 "check passes on a sound store" sohoa check

# an identical copy inside one batch is a duplicate of the first
mkdir "$T/twins"; "$MKTIFF" "$T/twins/a.tif" g4 1 42; cp "$T/twins/a.tif" "$T/twins/b.tif"
expect_exit 0 "a batch of good files exits 0" sohoa ingest --report "$T/r3.json" "$T/twins"
check "a copy within a batch is a duplicate" test "$(jq -r '[.files[].status] | join(",")' "$T/r3.json")" = "stored,duplicate"

# memory stays bounded on a hostile header
expect_exit 3 "the 200000x200000 header alone is rejected" sohoa ingest --report "$T/r4.json" "$in/huge.tif"
check "and ingest stays under 150 MB of memory" test "$(jsonq "$T/r4.json" .max_rss_kb)" -lt 150000

# a second ingest while one holds the store
flock "$SOHOA_STORE/ingest.lock" sh -c "\"$SOHOA\" -c \"$CONF\" ingest \"$T/twins\" >\"$T/out\" 2>\"$T/err\"; echo \$? >\"$T/code\""
check "a second ingest is refused" test "$(cat "$T/code")" = 1
contains "$T/err" "another ingest is running" "with a clear message"

# progress line with --progress when stderr is not a terminal
mkdir "$T/p"; "$MKTIFF" "$T/p/x.tif" gray-lzw 1 77
sohoa ingest --progress "$T/p" 2>"$T/err" >/dev/null
contains "$T/err" "ingest: 1/1 files" "--progress draws a progress line"
# config: typos are errors
printf '[store]\npaht = x\n' >"$T/bad.conf"
expect_exit 2 "an unknown config key is a usage error" "$SOHOA" -c "$T/bad.conf" stats
contains "$T/err" "line 2" "naming the line"
