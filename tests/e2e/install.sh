# install.sh - sohoa as IT staff install it: the Debian package built
# from the sources and unpacked into a folder (dpkg-deb -x: nothing on
# the machine changes), run from another folder with only the files it
# installed; its units checked by systemd-analyze, the package by
# lintian; how the configuration is found; the nightly batch and the
# morning report; an optional batch.csv absent, or present and
# unreadable.
. "$TESTS/lib.sh"
# (a package of the plain build: none of make check-asan's settings)
expect_exit 0 "make deb builds the package" env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u SAN -u OPT -u BIN \
	make -s -C "$REPO" deb BUILD="$T/build" DEBOUT="$T"
deb=$(ls "$T"/sohoa_*.deb 2>/dev/null | head -1)
check "one package, named by its version" test -f "$deb"
dpkg-deb -x "$deb" "$T/root"
for f in usr/bin/sohoa etc/sohoa/sohoa.conf usr/share/sohoa/fields/khai-sinh.conf \
	usr/share/sohoa/vie-words.txt usr/share/sohoa/vie-syllables.lm.zst usr/share/sohoa/export/csip.conf usr/share/sohoa/export/hotich.conf \
	usr/share/sohoa/schemas/mets.xsd usr/share/sohoa/schemas/csip-mets.xsd usr/share/man/man1/sohoa.1.gz \
	usr/share/bash-completion/completions/sohoa lib/systemd/system/sohoa-serve.service \
	lib/systemd/system/sohoa-nightly.service lib/systemd/system/sohoa-nightly.timer; do
	check "the package installs /$f" test -e "$T/root/$f"
done
check "the configuration is a conffile" sh -c "dpkg-deb -I '$deb' conffiles | grep -qx /etc/sohoa/sohoa.conf"
check "the installed configuration names the installed store" grep -qx 'path = /var/lib/sohoa/store' "$T/root/etc/sohoa/sohoa.conf"
check "the package makes the sohoa system user" sh -c "dpkg-deb -I '$deb' postinst | grep -q 'adduser --system --group'"
out=$(lintian --tag-display-limit 0 "$deb" 2>/dev/null | grep -E '^[EW]: ' || true)
check "lintian finds no error or warning${out:+: $out}" test -z "$out"

# systemd-analyze verify: each unit with its command pointed at the
# unpacked program (verify checks that the command exists)
mkdir -p "$T/units"
for u in "$T"/root/lib/systemd/system/*; do
	sed "s|/usr/bin/sohoa|$T/root/usr/bin/sohoa|" "$u" >"$T/units/$(basename "$u")"
done
systemd-analyze verify --man=no "$T"/units/sohoa-serve.service "$T"/units/sohoa-nightly.service \
	"$T"/units/sohoa-nightly.timer >"$T/verify.out" 2>&1; rc=$?
check "systemd-analyze verify passes the units, silently (exit $rc: $(head -c 300 "$T/verify.out"))" \
	sh -c "[ $rc = 0 ] && [ ! -s '$T/verify.out' ]"
check "the site runs hardened, as sohoa, with only the store writable" sh -c "grep -qx 'User=sohoa' '$T/units/sohoa-serve.service' && grep -qx 'ProtectSystem=strict' '$T/units/sohoa-serve.service' && grep -qx 'ReadWritePaths=/var/lib/sohoa/store' '$T/units/sohoa-serve.service' && grep -qx 'NoNewPrivileges=yes' '$T/units/sohoa-serve.service' && grep -qx 'PrivateTmp=yes' '$T/units/sohoa-serve.service' && grep -qx 'Restart=on-failure' '$T/units/sohoa-serve.service'"

# run from another folder with the installed files only: a config
# beside the installed one, its paths relative to it
mkdir -p "$T/elsewhere" "$T/root/var/lib/sohoa"
sed -e 's|^path = .*|path = ../../var/lib/sohoa/store|' \
	-e 's|^user_words = .*|user_words = ../../usr/share/sohoa/vie-words.txt|' \
	-e 's|^syllables = .*|syllables = ../../usr/share/sohoa/vie-syllables.lm.zst|' \
	-e 's|^rules = .*|rules = ../../usr/share/sohoa/fields|' \
	-e 's|^settings = .*|settings = ../../usr/share/sohoa/export|' \
	-e 's|^schemas = .*|schemas = ../../usr/share/sohoa/schemas|' \
	-e 's|^inbox = .*|inbox = ../../var/lib/sohoa/inbox|' \
	-e 's|^reports = .*|reports = ../../var/lib/sohoa/reports|' \
	"$T/root/etc/sohoa/sohoa.conf" >"$T/root/etc/sohoa/here.conf"
cd "$T/elsewhere"
unset SOHOA_STORE
inst() { SOHOA_CONFIG="$T/root/etc/sohoa/here.conf" "$T/root/usr/bin/sohoa" "$@"; }
"$T/root/usr/bin/sohoa" --version >"$T/version" 2>&1
check "--version names sohoa's version and the libraries'" sh -c "grep -q '^sohoa 0\.' '$T/version' && grep -q 'tesseract 5\.' '$T/version' && grep -q 'leptonica' '$T/version' && grep -q 'lmdb 0\.' '$T/version' && grep -q 'zstd 1\.' '$T/version' && grep -q 'libtiff 4\.' '$T/version'"
check "an installed sohoa looks for /etc/sohoa/sohoa.conf and /usr/share/sohoa" sh -c "grep -q '/usr/share/sohoa' '$T/version' && grep -q '/etc/sohoa/sohoa.conf' '$T/version'"
mkdir -p "$T/root/var/lib/sohoa/inbox"
cp "$REPO"/seeds/*.tif "$T/root/var/lib/sohoa/inbox/"
expect_exit 0 "the nightly batch ingests the inbox from another folder" inst ingest --nightly -j 2
check "its report is in the reports folder" test -f "$T/root/var/lib/sohoa/reports/B-000001.json"
check "the store is where the configuration says, relative to it" test -f "$T/root/var/lib/sohoa/store/data.mdb"
check "no file carries a warning that the optional batch.csv is absent" sh -c "! grep -q 'batch.csv' '$T/root/var/lib/sohoa/reports/B-000001.json'"
name=$(jq -r '.fields.ho_ten' "$REPO/seeds/khai-sinh-0001.json")
inst search "$name" >"$T/hits" 2>&1
check "a search finds a seed by its name ($name)" grep -q 'khai-sinh' "$T/hits"
inst report >"$T/report" 2>&1
check "the morning report: stored, pages a minute, review, the store" sh -c "grep -q '^files      10: 10 stored, 0 duplicates, 0 rejected' '$T/report' && grep -q 'pages a minute' '$T/report' && grep -q '^review ' '$T/report' && grep -q '^store ' '$T/report'"
expect_exit 0 "an E-ARK package exported by the installed files" inst export --format csip --out "$T/sip"
expect_exit 0 "which the installed sohoa verifies" inst verify "$T/sip"
expect_exit 0 "the civil-status import from the installed columns" inst export --format hotich --out "$T/hotich"
inst report --json >"$T/report.json"
check "report --json: the batch's summary, rejects and the store's size" sh -c "jq -e '.batch == \"B-000001\" and .stored == 10 and (.review | type == \"number\") and (.rejected_files | length == 0) and .store_bytes > 0' '$T/report.json' >/dev/null"

# how the configuration is found: -c, then $SOHOA_CONFIG, then
# config/sohoa.conf in a source tree; its paths from its own folder
mkdir -p "$T/tree/config" "$T/other"
printf '[store]\npath = ../tree-store\n[ocr]\nenabled = false\n' >"$T/tree/config/sohoa.conf"
printf '[store]\npath = env-store\n[ocr]\nenabled = false\n' >"$T/other/env.conf"
printf '[store]\npath = c-store\n[ocr]\nenabled = false\n' >"$T/other/c.conf"
cd "$T/tree"
"$SOHOA" stats >/dev/null 2>"$T/e1"
check "in a source tree: config/sohoa.conf, its store relative to it" grep -q "tree-store" "$T/e1"
SOHOA_CONFIG="$T/other/env.conf" "$SOHOA" stats >/dev/null 2>"$T/e2"
check "\$SOHOA_CONFIG over the tree's" grep -q "$T/other/env-store" "$T/e2"
SOHOA_CONFIG="$T/other/env.conf" "$SOHOA" -c "$T/other/c.conf" stats >/dev/null 2>"$T/e3"
check "-c over \$SOHOA_CONFIG" grep -q "$T/other/c-store" "$T/e3"
SOHOA_CONFIG="$T/other/none.conf" "$SOHOA" stats >/dev/null 2>"$T/e4"; rc=$?
check "a named configuration that is missing is an error naming it (exit $rc)" sh -c "[ $rc = 1 ] && grep -q \"cannot open config '$T/other/none.conf'\" '$T/e4'"
mkdir -p "$T/tree2/config/sohoa.conf"
(cd "$T/tree2" && "$SOHOA" stats >/dev/null 2>"$T/e5"); rc=$?
check "a source tree's configuration that cannot be read is an error naming it (exit $rc)" \
	sh -c "[ $rc = 1 ] && grep -q \"config 'config/sohoa.conf'\" '$T/e5'"
cd "$T"

# the optional batch.csv: absent is no warning; present and unreadable
# is one warning for the batch, with its reason
mkdir -p "$T/b1" "$T/b2/batch.csv"
"$MKTIFF" "$T/b1/a.tif" gray-lzw 1 1
"$MKTIFF" "$T/b2/a.tif" gray-lzw 1 2
"$MKTIFF" "$T/b2/b.tif" gray-lzw 1 3
sohoa ingest --report "$T/r1.json" "$T/b1" >/dev/null 2>&1
check "a batch without batch.csv has no warning" sh -c "jq -e '([.files[].warnings // empty] | length == 0) and (.warnings | length == 0)' '$T/r1.json' >/dev/null"
sohoa ingest --report "$T/r2.json" "$T/b2" >/dev/null 2>&1
check "an unreadable batch.csv is one warning for the batch, with its reason" sh -c "jq -e '(.warnings | length == 1) and (.warnings[0] | test(\"batch.csv.*Is a directory\")) and ([.files[].warnings // empty] | length == 0)' '$T/r2.json' >/dev/null"
mkdir -p "$T/reports"
sohoa ingest --report "$T/reports" "$T/b1" >/dev/null 2>&1
check "--report into a folder writes BATCH.json there" sh -c "ls '$T/reports' | grep -qx 'B-[0-9]*.json'"
expect_exit 2 "--nightly without [nightly] inbox is a usage error" sohoa ingest --nightly
check "and says which setting to make" grep -q 'no \[nightly\] inbox' "$T/err"
expect_exit 1 "report on a store without a finished batch says so" env SOHOA_STORE="$T/nostore" "$SOHOA" -c "$CONF" report

# the manual and the completion
check "the manual renders" sh -c "man -l '$T/root/usr/share/man/man1/sohoa.1.gz' 2>/dev/null | grep -q 'EXIT STATUS'"
for cmd in ingest search show original page export verify check stats serve review correct report user log cluster merge; do
	zcat "$T/root/usr/share/man/man1/sohoa.1.gz" | grep -q "^\.B $cmd" || nok "the manual covers $cmd"
done
ok "the manual covers every command"
comp=$(bash -c ". '$T/root/usr/share/bash-completion/completions/sohoa'; COMP_WORDS=(sohoa rep); COMP_CWORD=1; _sohoa; echo \${COMPREPLY[*]}")
check "bash completes a command ($comp)" test "$comp" = report
comp=$(bash -c ". '$T/root/usr/share/bash-completion/completions/sohoa'; COMP_WORDS=(sohoa ingest --ni); COMP_CWORD=2; _sohoa; echo \${COMPREPLY[*]}")
check "and a command's option ($comp)" test "$comp" = --nightly

# make install honours PREFIX and DESTDIR, and the units name the prefix;
# it installs the binary under test as it is (-o: never relinked here
# without the flags it was built with, as in make check-asan)
expect_exit 0 "make install PREFIX=/opt/sohoa DESTDIR=..." env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u SAN -u OPT \
	make -s -C "$REPO" -o "$SOHOA" install PREFIX=/opt/sohoa DESTDIR="$T/inst" BUILD="$BUILD" BIN="$SOHOA"
check "the program under the prefix, the configuration in /etc" sh -c "test -x '$T/inst/opt/sohoa/bin/sohoa' && test -f '$T/inst/etc/sohoa/sohoa.conf' && test -f '$T/inst/opt/sohoa/share/sohoa/fields/gcn.conf'"
check "the units start the program under the prefix" grep -q 'ExecStart=/opt/sohoa/bin/sohoa serve' "$T/inst/opt/sohoa/lib/systemd/system/sohoa-serve.service"
