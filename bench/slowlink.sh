#!/bin/sh
# make bench: the explorer over slow links (not a test). slow-link runs the program in a terminal that
# drains at a fixed byte rate, as SSH does, holds an arrow key for 5 s at 30 keys/s and reports the
# bytes written while keys arrive and how long after the last key the screen settles. Medians of
# RUNS runs at 80x24, 100x30 and 200x60, at 7,000 B/s (56 kbit/s) and 125,000 B/s (1 Mbit/s).
# Usage: slowlink.sh PROGRAM [RUNS]; SLOW_LINK names the tool (default: shared/tools/slow-link one or
# two folders above the source tree).
prog=$1 runs=${2:-3}
here=$(cd "$(dirname "$0")" && pwd)
tool=${SLOW_LINK:-}
# The project's machines keep it in shared/tools beside the clones and work trees.
for d in "$here/../../shared" "$here/../../../shared"; do
	[ -z "$tool" ] && [ -x "$d/tools/slow-link" ] && tool=$d/tools/slow-link
done
if [ -z "$tool" ] || [ ! -x "$tool" ]; then
	echo "slow link: skipped ($tool not found; set SLOW_LINK)"
	exit 0
fi
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
echo "slow link: 5 s key hold at 30 keys/s, medians of $runs runs (targets: 7000 B/s at 100x30 settles"
echo "           within 1 s writing <= 5000 B/s; 125000 B/s at 200x60 settles within 0.3 s)"
for rate in 7000 125000; do
	for size in 80x24 100x30 200x60; do
		out=$(mktemp)
		i=0
		while [ $i -lt "$runs" ]; do
			# As in an SSH session, which is what slow-link models: the explorer paces itself there.
			SSH_CONNECTION="127.0.0.1 0 127.0.0.1 22" "$tool" --rate "$rate" --size "$size" -- "$prog" \
				2>/dev/null | tail -n 1 >>"$out"
			i=$((i + 1))
		done
		bps=$(sed -n 's/.*(\([0-9]*\) B\/s over the hold).*/\1/p' "$out" | median)
		settled=$(sed -n 's/.*settled \([0-9.]*\) s after.*/\1/p' "$out" | median)
		printf 'slow link %6s B/s %7s: %6s B/s written over the hold, settled %5s s after the last key\n' \
			"$rate" "$size" "${bps:--}" "${settled:--}"
		rm -f "$out"
	done
done
