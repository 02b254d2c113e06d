# lib.sh - helpers for the end-to-end scripts: each assertion prints
# "ok - what" or "not ok - what" (run.sh counts them).
set -u
: "${SOHOA:?set SOHOA to the sohoa binary}"
: "${BUILD:?set BUILD to the build folder}"
MKTIFF="$BUILD/mktiff"
T=$(mktemp -d "${TMPROOT:-/tmp}/$(basename "$0" .sh).XXXXXX")
export SOHOA_STORE="$T/store"
export SOHOA_USER=tester
# Tests never read the developer's config/sohoa.conf.
CONF="$T/test.conf"
REPO=$(cd "$TESTS/.." && pwd)
# OCR is off here: structural tests feed synthetic images, not documents.
# The field catalogue without the types' rules: exports have their
# columns, and no record is read for fields.
mkdir -p "$T/fields"
cp "$REPO/config/fields/catalogue.ini" "$T/fields/"
printf '[store]\npath = %s/store\n[ocr]\nenabled = false\n[fields]\nrules = %s\n[export]\nsettings = %s\nschemas = %s\n' \
	"$T" "$T/fields" "$REPO/config/export" "$REPO/config/schemas" >"$CONF"
# The OCR tests use the project's own OCR settings with this store.
OCRCONF="$T/ocr.conf"
sed "s|^path = .*|path = $T/store|; s|^user_words = .*|user_words = $REPO/config/vie-words.txt|; s|^syllables = .*|syllables = $REPO/config/vie-syllables.lm.zst|; s|^rules = .*|rules = $REPO/config/fields|; s|^settings = .*|settings = $REPO/config/export|; s|^schemas = .*|schemas = $REPO/config/schemas|" "$REPO/config/sohoa.conf" >"$OCRCONF"
sohoa() { "$SOHOA" -c "$CONF" "$@"; }

ok() { echo "ok - $*"; }
nok() { echo "not ok - $*"; }
# check DESCRIPTION COMMAND...: passes when the command succeeds
check() { d=$1; shift; if "$@"; then ok "$d"; else nok "$d"; fi; }
# expect_exit CODE DESCRIPTION COMMAND...
expect_exit() {
	want=$1; d=$2; shift 2
	"$@" >"$T/out" 2>"$T/err"; got=$?
	if [ "$got" -eq "$want" ]; then ok "$d"; else
		nok "$d (exit $got, wanted $want)"; sed 's/^/#   /' "$T/err" | head -5; fi
}
# contains FILE TEXT DESCRIPTION
contains() { if grep -qF -- "$2" "$1"; then ok "$3"; else nok "$3 ('$2' not in $1)"; fi; }
# jsonq FILE FILTER: one value out of a JSON file
jsonq() { jq -r "$2" "$1"; }
# serve_bg CONFIG ADDR:PORT: `sohoa serve` in the background ($spid, its
# log in $T/serve.log), waiting until it answers
serve_bg() {
	"$SOHOA" -c "$1" serve --listen "$2" 2>"$T/serve.log" &
	spid=$!
	for i in $(seq 100); do curl -s -o /dev/null "http://$2/login" && return 0; sleep 0.1; done
	return 1
}
