#!/bin/sh
# bench/verify.sh BIN - `sohoa verify` beside sha256sum and sha512sum on
# the same bag: a payload of BENCH_VERIFY_MB megabytes (default 1024) in
# 5 MB files, SHA-256 and SHA-512 manifests. Each tool runs once to warm
# the page cache, then is timed.
set -eu
bin=$(realpath "$1")
mb=${BENCH_VERIFY_MB:-1024}
work=${BENCH_DIR:-/tmp/sohoa-bench}
bag="$work/verify-bag-$mb"
if [ ! -f "$bag/.done" ]; then
	rm -rf "$bag"; mkdir -p "$bag/data"
	i=0
	while [ $((i * 5)) -lt "$mb" ]; do
		head -c 5242880 /dev/urandom >"$bag/data/f$i.bin"; i=$((i + 1))
	done
	(cd "$bag" && sha256sum data/* >manifest-sha256.txt && sha512sum data/* >manifest-sha512.txt)
	printf 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n' >"$bag/bagit.txt"
	touch "$bag/.done"
fi
t() { s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc -l; }
"$bin" -q verify "$bag" || { echo "verify failed"; exit 1; }
(cd "$bag" && sha256sum -c --quiet manifest-sha256.txt)
ours=$(t "$bin" -q verify "$bag")
ours1=$(t "$bin" -q verify -j 1 "$bag")
s256=$(cd "$bag" && t sha256sum -c --quiet manifest-sha256.txt)
s512=$(cd "$bag" && t sha512sum -c --quiet manifest-sha512.txt)
echo
echo "== verify: a bag of $mb MB in 5 MB files, SHA-256 and SHA-512 manifests"
printf '%-46s %8.2fs %8.0f MB/s\n' "sohoa verify (both manifests, $(nproc) threads)" "$ours" "$(echo "$mb / $ours" | bc -l)"
printf '%-46s %8.2fs %8.0f MB/s\n' "sohoa verify -j 1 (both manifests)" "$ours1" "$(echo "$mb / $ours1" | bc -l)"
printf '%-46s %8.2fs %8.0f MB/s\n' "sha256sum -c (SHA-256 only)" "$s256" "$(echo "$mb / $s256" | bc -l)"
printf '%-46s %8.2fs %8.0f MB/s\n' "sha512sum -c (SHA-512 only)" "$s512" "$(echo "$mb / $s512" | bc -l)"
printf '%-46s %8.2fs\n' "sha256sum + sha512sum (the same work)" "$(echo "$s256 + $s512" | bc -l)"
