# bench/corpus.sh - sourced by the benchmarks: the bench corpus (seed 7,
# $n records) in $work/corpus-$n, generated once with $gen; sets corpus.
mkdir -p "$work"
corpus="$work/corpus-$n"
if [ ! -f "$corpus/.done" ]; then
	echo "generating $n records (seed 7) into $corpus ..."
	rm -rf "$corpus"
	"$gen" --out "$corpus" --count "$n" --seed 7
	touch "$corpus/.done"
fi
