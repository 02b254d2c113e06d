#!/bin/sh
# bench/cluster.sh BIN GEN - the bench corpus spread over a Slurm of one
# node on this machine (tests/tools/slurm-local.sh) beside `ingest -j 2`
# of the same files, in one run: seconds from `cluster submit` to the
# last task's end (`status --wait`), the merge's, and the whole against
# one machine's ingest; pages a core-hour. The scheduler's overhead is
# what is left when both use the same two cores.
#   BENCH_N (default 100), BENCH_DIR (default /tmp/sohoa-bench),
#   BENCH_CLUSTER_TASKS (default 4 tasks of 1 CPU)
set -eu
bin=$(realpath "$1"); gen=$(realpath "$2")
here=$(cd "$(dirname "$0")" && pwd)
n=${BENCH_N:-100}
work=${BENCH_DIR:-/tmp/sohoa-bench}
tasks=${BENCH_CLUSTER_TASKS:-4}
. "$here/corpus.sh"
now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc -l; }
conf="$work/cluster.conf"
sed "s|^user_words = .*|user_words = $here/../../config/vie-words.txt|; s|^syllables = .*|syllables = $here/../../config/vie-syllables.lm.zst|; s|^rules = .*|rules = $here/../../config/fields|" "$here/../../config/sohoa.conf" >"$conf"
pages=$(cat "$corpus"/*.json | jq -s 'map(.pages) | add')
records=$(ls "$corpus"/*.tif | wc -l)
sl="$work/cluster-slurm"
rm -rf "$sl" "$work/cluster-b" "$work/cluster-main" "$work/cluster-one"
mkdir -p "$sl"
eval "$(sh "$here/../tools/slurm-local.sh" start "$sl")"
trap 'sh "$here/../tools/slurm-local.sh" stop "$sl"' EXIT
t0=$(now)
"$bin" -c "$conf" --store "$work/cluster-one" -q ingest -j 2 "$corpus"
t1=$(now)
"$bin" -c "$conf" -q cluster submit --tasks "$tasks" --cpus 1 --shards "$work/cluster-b" "$corpus" >/dev/null
"$bin" -c "$conf" -q cluster status --wait --shards "$work/cluster-b" >/dev/null
t2=$(now)
"$bin" -c "$conf" --store "$work/cluster-main" -q merge "$work/cluster-b"/shard-*
t3=$(now)
one=$(secs "$t0" "$t1"); run=$(secs "$t1" "$t2"); merge=$(secs "$t2" "$t3")
all=$(echo "$run + $merge" | bc -l)
same=$( [ "$("$bin" -c "$conf" --store "$work/cluster-main" stats --json | jq .records)" = \
	"$("$bin" -c "$conf" --store "$work/cluster-one" stats --json | jq .records)" ] && echo yes || echo NO)
echo
echo "== cluster: the bench corpus, $records records, $pages pages, $(nproc) cores, $tasks tasks of 1 CPU"
printf '%-52s %9s %13s\n' "" "seconds" "pages/core-h"
printf '%-52s %9.1f %13.0f\n' "ingest -j 2 (one machine)" "$one" "$(echo "$pages * 3600 / ($one * $(nproc))" | bc -l)"
printf '%-52s %9.1f\n' "cluster submit .. status --wait (the tasks)" "$run"
printf '%-52s %9.1f\n' "merge (one writer)" "$merge"
printf '%-52s %9.1f %13.0f\n' "cluster, all of it" "$all" "$(echo "$pages * 3600 / ($all * $(nproc))" | bc -l)"
printf 'cluster / one machine: %.2fx the time; same records: %s\n' "$(echo "$all / $one" | bc -l)" "$same"
