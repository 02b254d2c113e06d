#!/bin/sh
# demo.sh BIN - ingests the sample batch seeds/ into the default store
# (config/sohoa.conf: var/store), with OCR, and shows what was stored.
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
echo "The batch report is in var/demo-report.json, the store in var/store."
echo "Search arrives with the index (issue 5); until then records are read"
echo "back with 'sohoa show ID', 'sohoa page ID N -o FILE.png' and"
echo "'sohoa original ID -o FILE'."
