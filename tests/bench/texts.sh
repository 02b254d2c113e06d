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
