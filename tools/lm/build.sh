#!/bin/sh
# tools/lm/build.sh [OUT] - fetches the Vietnamese text the syllable
# model is made from (npm's @vntk/dictionary 1.0.0; Debian 12's
# libreoffice-help-vi, libreoffice-l10n-vi, manpages-vi, maint-guide-vi),
# draws the forms' wording with sohoa-gen, and writes the model (default
# config/vie-syllables.lm.zst). Needs npm, apt-get, msgunfmt (gettext),
# zstd and a built sohoa-gen. Run by hand when its sources change; the
# build uses the committed model and never downloads.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=${1:-$repo/config/vie-syllables.lm.zst}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack -q @vntk/dictionary@1.0.0 >/dev/null && mkdir vntk &&
	tar xzf vntk-dictionary-1.0.0.tgz -C vntk)
(cd "$work" && apt-get download -q libreoffice-help-vi libreoffice-l10n-vi \
	manpages-vi maint-guide-vi >/dev/null 2>&1)
mkdir "$work/debs"
for d in "$work"/*.deb; do dpkg-deb -x "$d" "$work/debs"; done
"$repo/build/sohoa-gen" --out "$work/forms" --count 300 --seed 4242 --no-images >/dev/null 2>&1
/usr/bin/python3 "$here/build.py" --out "$out" --vntk "$work/vntk/package" \
	--debs "$work/debs" --forms "$work/forms"
