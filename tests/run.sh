#!/bin/sh
# run.sh - runs every unit test program and end-to-end script, counts the
# "ok" and "not ok" lines they print, and ends with "N passed, N failed".
# A program that dies without saying "not ok" counts as one failure.
# Environment: SOHOA (the binary under test), BUILD (the build folder),
# ONLY=unit for the unit test programs alone (make unit: no browser, no
# network, no OCR of whole batches).
set -u
here=$(cd "$(dirname "$0")" && pwd)
export SOHOA BUILD
export TESTS="$here"
export TMPROOT="${TMPDIR:-/tmp}/sohoa-tests.$$"
# under make check-asan: the system libraries' caches are not our leaks
export RULES="$here/../config/fields"
export LSAN_OPTIONS="suppressions=$here/lsan.supp:print_suppressions=0"
rm -rf "$TMPROOT"; mkdir -p "$TMPROOT"
passed=0; failed=0
run_one() {
	name=$1; shift
	log="$TMPROOT/$(basename "$name").log"
	start=$(date +%s)
	"$@" >"$log" 2>&1
	rc=$?
	p=$(grep -c '^ok ' "$log"); f=$(grep -c '^not ok ' "$log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1; echo "not ok - $name exited with status $rc" >>"$log"
	fi
	passed=$((passed + p)); failed=$((failed + f))
	printf '%-34s %3d passed, %d failed (%ds)\n' "$name" "$p" "$f" $(( $(date +%s) - start ))
	if [ "$f" -gt 0 ]; then
		grep '^not ok ' "$log" | sed 's/^/    /'
		echo "    (full log: $log)"
	fi
}
for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] && run_one "$(basename "$t")" "$t"
done
[ "${ONLY:-}" = unit ] || for t in "$here"/e2e/*.sh; do
	run_one "$(basename "$t")" sh "$t"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
