#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# make bench: the explorer over slow links (not a test). slow-link runs the program in a terminal that
# drains at a fixed byte rate, as SSH does, holds an arrow key for 5 s at 30 keys/s and reports the
# bytes written while keys arrive and how long after the last key the screen settles. Medians of
# RUNS runs for the 18 cases: 2,000, 7,000 and 56,000 B/s, at 80x24, 100x30 and 200x60, with and
# without SSH_CONNECTION (which no longer matters: the explorer measures the link). Then
# tests/slowpty.py presses a single arrow key three times after pauses, from the start's state (each
# key moves the curve): the median time until the key's first byte crossed the link (it shows) and
# until its last did. Neither far end answers the terminal's questions (slow-link answers none), so
# the explorer keeps to its cautious rate throughout: the worst case. A real terminal answers: the
# last 9 rows run the same hold and keys with tests/slowpty.py's far end answering the terminal's
# questions once the bytes before them have crossed (the explorer measures the link).
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
echo "slow link: 5 s key hold at 30 keys/s, medians of $runs runs (targets: settled within 1 s after"
echo "           the hold, a single key after a pause shows within 0.3 s, in every case)"
single=$here/../tests/slowpty.py
for ssh in yes no; do
	for rate in 2000 7000 56000; do
		for size in 80x24 100x30 200x60; do
			out=$(mktemp)
			i=0
			while [ $i -lt "$runs" ]; do
				if [ $ssh = yes ]; then
					SSH_CONNECTION="127.0.0.1 0 127.0.0.1 22" "$tool" --rate "$rate" --size "$size" -- \
						"$prog" 2>/dev/null | tail -n 1 >>"$out"
				else
					env -u SSH_CONNECTION -u SSH_CLIENT -u SSH_TTY "$tool" --rate "$rate" --size "$size" -- \
						"$prog" 2>/dev/null | tail -n 1 >>"$out"
				fi
				i=$((i + 1))
			done
			bps=$(sed -n 's/.*(\([0-9]*\) B\/s over the hold).*/\1/p' "$out" | median)
			settled=$(sed -n 's/.*settled \([0-9.]*\) s after.*/\1/p' "$out" | median)
			: >"$out"
			if command -v python3 >/dev/null 2>&1; then
				SLOWPTY_SSH=$([ $ssh = yes ] && echo 1) python3 "$single" --rate "$rate" --size "$size" \
					--hold 0 --singles 3 -- "$prog" 2>/dev/null >"$out"
			fi
			first=$(sed -n 's/^single \([0-9.]*\) .*/\1/p' "$out" | median)
			last=$(sed -n 's/^single [0-9.]* \([0-9.]*\) .*/\1/p' "$out" | median)
			printf 'slow link %5s B/s %7s SSH_CONNECTION %-3s: %6s B/s over the hold, settled %6s s after the last key; single key shows %5s s, done %5s s\n' \
				"$rate" "$size" "$ssh" "${bps:--}" "${settled:--}" "${first:--}" "${last:--}"
			rm -f "$out"
		done
	done
done
command -v python3 >/dev/null 2>&1 || exit 0
for rate in 2000 7000 56000; do
	for size in 80x24 100x30 200x60; do
		out=$(mktemp)
		i=0
		while [ $i -lt "$runs" ]; do
			python3 "$single" --answer --rate "$rate" --size "$size" --warmup 4 --no-drain --hold 5 \
				-- "$prog" 2>/dev/null >>"$out"
			i=$((i + 1))
		done
		bytes=$(sed -n 's/^bytes \([0-9]*\)/\1/p' "$out" | median)
		settled=$(sed -n 's/^settled \([0-9.]*\)/\1/p' "$out" | median)
		: >"$out"
		python3 "$single" --answer --rate "$rate" --size "$size" --hold 0 --singles 3 -- "$prog" 2>/dev/null >"$out"
		first=$(sed -n 's/^single \([0-9.]*\) .*/\1/p' "$out" | median)
		last=$(sed -n 's/^single [0-9.]* \([0-9.]*\) .*/\1/p' "$out" | median)
		printf 'slow link %5s B/s %7s, far end answers: %6s B written in the hold, settled %6s s after the last key; single key shows %5s s, done %5s s\n' \
			"$rate" "$size" "${bytes:--}" "${settled:--}" "${first:--}" "${last:--}"
		rm -f "$out"
	done
done
