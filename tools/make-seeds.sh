#!/bin/sh
# make-seeds.sh GEN [DIR] - regenerates the sample batch (default seeds/)
# with its ground truth and one preview PNG per page, byte for byte.
set -eu
gen=$1
dir=${2:-seeds}
mkdir -p "$dir/preview"
rm -f "$dir"/*.tif "$dir"/*.json "$dir"/preview/*.png
"$gen" --seeds --seed 2026 --out "$dir" --thumbs=420
mv "$dir"/*.png "$dir/preview/"
echo "seeds: $(ls "$dir"/*.tif | wc -l) records, $(du -sh "$dir" | cut -f1) in '$dir'"
