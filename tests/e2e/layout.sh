# layout.sh - the modules form an order and every include runs down it:
# base, text and words at the bottom, the commands (src/cli/) at the top, called
# by main.c alone; no module calls back up into the commands. A module
# missing from the order below is a new one: place it.
. "$TESTS/lib.sh"
rank() {
	case $1 in
	base) echo 0 ;; text | words) echo 1 ;;
	index | ocr | fields) echo 2 ;;
	conf | store) echo 3 ;;
	ingest | export | records) echo 4 ;;
	serve | cluster) echo 5 ;; cli) echo 6 ;;
	*) echo -1 ;;
	esac
}
: >"$T/up"
for dir in "$REPO"/src/*/; do
	m=$(basename "$dir")
	check "module $m has its place in the order" test "$(rank "$m")" -ge 0
	for f in "$dir"*.c "$dir"*.h; do
		[ -f "$f" ] || continue
		sed -n 's@^#include "\.\./\([a-z_]*\)/.*@\1@p' "$f" | sort -u | while read -r dep; do
			if [ "$(rank "$dep")" -ge "$(rank "$m")" ]; then
				echo "${f#"$REPO"/}: $m includes $dep" >>"$T/up"
			fi
		done
	done
done
check "every include runs down the order ($(wc -l <"$T/up") do not)" test ! -s "$T/up"
if [ -s "$T/up" ]; then sed 's/^/#   /' "$T/up"; fi
check "only main.c sits at src/'s top" test "$(cd "$REPO/src" && ls -p | grep -v / | tr '\n' ' ')" = "main.c "
check "no module includes the commands' header" sh -c "! grep -rln 'cli/cli.h\|\"cli.h\"' '$REPO/src' --include=*.c --include=*.h | grep -v '/src/cli/\|/src/main.c'"

# --- units one reader can hold -----------------------------------------
: >"$T/long"
for f in $(find "$REPO/src" -name '*.[ch]'); do
	n=$(wc -l <"$f")
	[ "$n" -le 800 ] || echo "${f#"$REPO"/}: $n lines" >>"$T/long"
	# a function: from a line that is "{" alone to the next "}" alone
	awk -v f="${f#"$REPO"/}" '
		/^[A-Za-z].*\(/ { name = $0 }
		/^\{$/ { start = NR }
		/^\}/ && start { if (NR - start + 1 > 100) printf "%s: %s: %d lines\n", f, name, NR - start + 1; start = 0 }
	' "$f" >>"$T/long"
done
check "no source file over 800 lines, no function over 100 ($(wc -l <"$T/long") are)" test ! -s "$T/long"
if [ -s "$T/long" ]; then sed 's/^/#   /' "$T/long"; fi
