# bench/texts.sh - sourced by the benchmarks. texts DIR STORE REPORT BIN
# [CONFIG]: each record of the batch REPORT, as BIN stored it: its text as
# DIR/NAME.txt and its show --json as DIR.json/NAME.json (CONFIG, else $conf).
texts() {
	rm -rf "$1" "$1.json"; mkdir -p "$1" "$1.json"
	jq -r '.files[] | .path + " " + .id' "$3" | while read -r path id; do
		b=$(basename "$path" .tif)
		"$4" -c "${5:-$conf}" --store "$2" show --json "$id" >"$1.json/$b.json"
		jq -r '.pages[].text' "$1.json/$b.json" >"$1/$b.txt"
	done
}

# before_conf BIN IN OUT: IN as an older sohoa BIN reads it: each key it
# names as unknown (one added since) left out, unreadable_below under its
# name before 0.15 (osd_below)
before_conf() {
	cp "$2" "$3"
	for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do
		err=$("$1" -q -c "$3" --store "$3.store" stats 2>&1 >/dev/null) && break
		line=$(printf '%s\n' "$err" | sed -n "s/.*line \([0-9]*\): unknown key.*/\1/p")
		[ -n "$line" ] || break
		if sed -n "${line}p" "$3" | grep -q '^unreadable_below'; then
			sed -i "${line}s/^unreadable_below/osd_below/" "$3"
		else
			sed -i "${line}d" "$3"
		fi
	done
	rm -rf "$3.store"
}
