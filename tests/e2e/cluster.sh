# cluster.sh - a batch spread over Slurm and merged: a Slurm of one node
# started here (tests/tools/slurm-local.sh), a 40-file batch as 4 array
# tasks, one cancelled while it runs and submitted again, the shards
# merged; the merged store is what `ingest -j 2` of the same files makes
# (originals bit for bit, texts, fields, review queue, 20 searches);
# merging twice adds nothing; a shard of another batch, of a newer
# schema or that does not check is refused with its reason; a task
# killed at a random moment (10 times) leaves a shard that checks clean.
. "$TESTS/lib.sh"
for cmd in munged slurmctld slurmd sbatch squeue scancel; do
	if ! command -v "$cmd" >/dev/null; then
		echo "# skipped: $cmd is not installed (make deps installs slurm-wlm and munge)"
		ok "cluster: skipped, Slurm cannot be installed here"
		exit 0
	fi
done
SL="$T/slurm"
mkdir -p "$SL"
if ! eval "$(sh "$TESTS/tools/slurm-local.sh" start "$SL")"; then
	nok "a Slurm of one node starts here"
	sed 's/^/#   /' "$SL"/log/*.log | tail -20
	sh "$TESTS/tools/slurm-local.sh" stop "$SL"
	exit 0
fi
trap 'sh "$TESTS/tools/slurm-local.sh" stop "$SL"' EXIT
ok "a Slurm of one node starts here (munged, slurmctld, slurmd of its own)"
socr() { "$SOHOA" -c "$OCRCONF" "$@"; }

# the batch: 28 generated records, the 10 sample records, a copy of one
# of them (the last shard's, so that two shards hold its content) and a
# file that is no TIFF: 40 files
mkdir -p "$T/batch/seeds" "$T/batch/zz"
"$BUILD/sohoa-gen" --count 28 --seed 34 --dpi 200 --encoding g4 --out "$T/batch/gen" >/dev/null 2>&1
rm -f "$T/batch/gen/"*.json "$T/batch/gen/"*.csv
cp "$REPO"/seeds/*.tif "$T/batch/seeds/"
cp "$REPO/seeds/gcn-0008.tif" "$T/batch/zz/copy.tif"
printf 'not a tiff\n' >"$T/batch/zz/bad.tif"
n=$(find "$T/batch" -name '*.tif' | wc -l)
check "the batch holds 40 files ($n)" test "$n" = 40

expect_exit 0 "cluster submit: 4 array tasks" socr cluster submit --json --tasks 4 --shards "$T/b" "$T/batch"
job=$(jq -r .job "$T/out")
check "a job was submitted with its 4 tasks" test "$(jq -c .submitted "$T/out")" = "[0,1,2,3]"
check "the folder holds the list, the script and the batch" test -s "$T/b/files.txt" -a -x "$T/b/task.sh" -a -s "$T/b/cluster.json"
# task 1 cancelled while it runs
for i in $(seq 1 600); do
	[ "$(squeue -h -r -j "$job" -o '%K %T' | awk '$1 == 1 {print $2}')" = RUNNING ] && break
	sleep 0.1
done
sleep 1.5
scancel "${job}_1"
expect_exit 3 "status --wait returns, one task short" socr cluster status --wait --json --shards "$T/b"
check "three shards finished, the cancelled one not ($(jq -c '[.shards[] | [.shard, .state, .finished]]' "$T/out"))" \
	test "$(jq -c '[.shards[] | .finished]' "$T/out")" = "[true,false,true,true]"
check "Slurm says task 1 was cancelled" test "$(jq -r '.shards[1].state' "$T/out")" = CANCELLED
if [ -d "$T/b/shard-1" ]; then
	expect_exit 0 "the cancelled task's shard opens and checks clean" env SOHOA_STORE="$T/b/shard-1" "$SOHOA" -c "$CONF" check
else
	ok "the cancelled task's shard opens and checks clean (cancelled before it began)"
fi
expect_exit 3 "a merge now refuses the unfinished shard" socr --store "$T/early" merge "$T/b/shard-1"
contains "$T/err" "did not finish" "saying its task did not finish"
expect_exit 0 "cluster submit again" socr cluster submit --json --shards "$T/b"
check "submits only the missing task" test "$(jq -c '[.submitted, .finished]' "$T/out")" = "[[1],[0,2,3]]"
expect_exit 0 "status --wait: every task finished" socr cluster status --wait --shards "$T/b"
contains "$T/out" "4 of 4 tasks finished" "says so"

# merged, beside one machine's ingest of the same files
expect_exit 0 "merge the four shards" socr --store "$T/main" merge --report "$T/merge.json" "$T/b"/shard-*
contains "$T/err" "4 shards merged, 0 refused: 40 files: 38 stored, 1 duplicate, 1 rejected" "all 40 files accounted for"
socr --store "$T/one" -q ingest -j 2 "$T/batch" 2>/dev/null
main() { "$SOHOA" -c "$OCRCONF" --store "$T/main" "$@"; }
one() { "$SOHOA" -c "$OCRCONF" --store "$T/one" "$@"; }
check "as many records as one machine stores" test "$(main stats --json | jq .records)" = "$(one stats --json | jq .records)"
bad=0
for i in $(seq 1 38); do
	id=$(printf 'HS-%06d' "$i")
	main show --json "$id" | jq -S '{p: .source.path, t: .type, f: .fields, x: [.pages[].text]}' >"$T/m.json"
	one show --json "$id" | jq -S '{p: .source.path, t: .type, f: .fields, x: [.pages[].text]}' >"$T/o.json"
	main original "$id" -o "$T/m.orig" 2>/dev/null
	one original "$id" -o "$T/o.orig" 2>/dev/null
	if ! cmp -s "$T/m.json" "$T/o.json" || ! cmp -s "$T/m.orig" "$T/o.orig"; then
		bad=$((bad + 1)); echo "# $id differs"
	fi
done
check "each record the same: id, path, original bit for bit, type, fields, texts ($bad differ)" test "$bad" = 0
check "the same review queue" test "$(main review --json | jq -c '[.records[] | [.id, .problems]]')" = "$(one review --json | jq -c '[.records[] | [.id, .problems]]')"
check "the same rejected file" test "$(main report --json | jq -c '.rejected_files | map(.path)')" = "$(one report --json | jq -c '.rejected_files | map(.path)')"
# 20 searches: names, numbers and words of the records
queries=$(for i in 2 5 9 13 17 21 25 29 33 37; do one show --json "$(printf 'HS-%06d' "$i")" | jq -r '.fields | (.ho_ten.value // .ho_ten_chong.value // .chu_su_dung.value[0] // empty), (.so.value // .so_phat_hanh.value // empty)'; done | head -16)
nq=0; differ=0
printf '%s\n' "$queries" "cong hoa" "giay chung nhan" "khai sinh" "nguyen van" >"$T/queries"
while IFS= read -r q; do
	[ -n "$q" ] || continue
	nq=$((nq + 1))
	a=$(main search --json --limit 100 "$q" 2>/dev/null | jq -c '[.hits[] | [.id, .score]]')
	b=$(one search --json --limit 100 "$q" 2>/dev/null | jq -c '[.hits[] | [.id, .score]]')
	[ "$a" = "$b" ] || { differ=$((differ + 1)); echo "# '$q' differs"; }
done <"$T/queries"
check "$nq searches give the same hits in the same order ($differ differ)" test "$nq" -ge 20 -a "$differ" = 0

# merging again adds nothing
before=$(main stats --json | jq -c '{records, batches}')
expect_exit 0 "merge the same shards again" socr --store "$T/main" merge "$T/b"/shard-*
contains "$T/err" "nothing to merge" "says nothing was left to merge"
check "and adds nothing" test "$(main stats --json | jq -c '{records, batches}')" = "$before"

# shards refused, each with its reason
socr -q cluster submit --tasks 1 --shards "$T/b2" "$T/batch/seeds/khai-tu-0007.tif" >/dev/null
socr -q cluster status --wait --shards "$T/b2" >/dev/null
expect_exit 3 "a shard of another batch beside them" socr --store "$T/main" merge "$T/b/shard-0" "$T/b2/shard-0"
contains "$T/err" "refused '$T/b2/shard-0': it is a shard of batch $(jq -r .batch "$T/b2/cluster.json"), not of $(jq -r .batch "$T/b/cluster.json")" "is refused, naming both batches"
cp -r "$T/b2/shard-0" "$T/newer"
"$BUILD/store_poke" "$T/newer" schema 9
expect_exit 3 "a shard of a newer schema" socr --store "$T/main" merge "$T/newer"
contains "$T/err" "newer than this sohoa understands" "is refused, saying so"
cp -r "$T/b2/shard-0" "$T/flipped"
"$BUILD/store_poke" "$T/flipped" flip HS-000001
expect_exit 3 "a shard that does not check" socr --store "$T/main" merge "$T/flipped"
contains "$T/err" "does not check: HS-000001" "is refused, naming the damaged record"
check "and none of them added anything" test "$(main stats --json | jq -c '{records, batches}')" = "$before"

# a task killed at a random moment, ten times: its shard checks clean
ls "$T/batch/gen/"*.tif | head -6 | sed '1i # sohoa batch C-killed' >"$T/kill.txt"
clean=0
for trial in $(seq 1 10); do
	socr --store "$T/killed" -q ingest -j 2 --list "$T/kill.txt" --shard 0/1 >/dev/null 2>&1 &
	pid=$!
	sleep "$(awk -v r="$(od -An -N2 -tu2 /dev/urandom)" 'BEGIN { printf "%.2f", (r % 250) / 100 }')"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	if [ ! -d "$T/killed" ] || env SOHOA_STORE="$T/killed" "$SOHOA" -c "$CONF" check >/dev/null 2>&1; then
		clean=$((clean + 1))
	fi
done
check "a shard killed at a random moment checks clean, $clean of 10 times" test "$clean" = 10
