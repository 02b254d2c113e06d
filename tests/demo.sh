#!/bin/sh
# demo.sh BIN - ingests the sample batch seeds/ into the default store
# (config/sohoa.conf: var/store), with OCR, shows what was stored and
# searches it.
set -u
bin=$1
cd "$(dirname "$0")/.."
echo "== sohoa ingest --progress seeds/"
"$bin" ingest --progress --report var/demo-report.json seeds/
rc=$?
if [ $rc -ne 0 ] && [ $rc -ne 3 ]; then exit $rc; fi
echo
echo "== sohoa stats"
"$bin" stats
echo
echo "== sohoa show HS-000001"
"$bin" show HS-000001
echo
echo "== sohoa page HS-000001 1 -o var/demo-page-1.png"
"$bin" page HS-000001 1 -o var/demo-page-1.png && echo "written: the cleaned page as recognised"
echo
echo "== sohoa search nguyen   (a name typed without tones)"
"$bin" search nguyen
echo
echo "== sohoa search type:khai-sinh ngay_dang_ky:2000..2020"
"$bin" search type:khai-sinh ngay_dang_ky:2000..2020
echo
echo "The batch report is in var/demo-report.json, the store in var/store."
echo "Try 'sohoa search --json ...', 'sohoa export --out var/bag type:gcn'"
echo "and 'sohoa verify var/bag'."
echo "For the review station: 'sohoa user add lan --role reviewer', then"
echo "'sohoa serve' and http://127.0.0.1:8080/queue."
