#!/bin/sh
# Merge the N parts of examples/slurm-map.sbatch (or of any --shard K/N runs saved as
# DIR/part-K.csv with K zero-padded to 6 digits) into one CSV on stdout, in shard order. Refuses to
# merge when a part is missing, so that an unfinished job cannot pass for a complete map.
#   examples/slurm-merge.sh N [DIR] > map.csv
set -eu
n=${1:?usage: slurm-merge.sh N [DIR]}
dir=${2:-parts}
k=1
while [ "$k" -le "$n" ]; do
	f=$(printf '%s/part-%06d.csv' "$dir" "$k")
	if [ ! -f "$f" ]; then
		echo "slurm-merge.sh: $f is missing: shard $k/$n has not finished (see its slurm-*.out)" >&2
		exit 1
	fi
	k=$((k + 1))
done
k=1
while [ "$k" -le "$n" ]; do
	cat "$(printf '%s/part-%06d.csv' "$dir" "$k")"
	k=$((k + 1))
done
