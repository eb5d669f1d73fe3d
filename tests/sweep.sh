#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Maps and sweeps from the command line: the CSV's shape, shards that merge to the unsharded
# output byte for byte (also when GNU parallel runs them), Ctrl-C leaving only whole rows, progress on
# a terminal, and bad grids refused. tests/merge.sh checks the merge's refusals.
prog=${CALCIUM_STDP:-./calcium-stdp}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cstdp-sweep.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/tap-lib.sh"
# shards OUT ARGS...: shards 1..3 of ARGS merged into OUT
shards() {
	out=$1
	shift
	for k in 1 2 3; do
		"$prog" "$@" --shard "$k/3" >"$out.$k" 2>/dev/null || return 1
	done
	"$prog" --merge "$out.1" "$out.2" "$out.3" >"$out"
}

map="--batch --analytic --map theta_d=0.6:1.6:6 --map theta_p=1.3:2.5:4"
# shellcheck disable=SC2086 # $map is a list of options
"$prog" $map >"$tmp/map.csv" 2>"$tmp/err"
ok $? "an analytic map runs"
head -n 1 "$tmp/map.csv" | grep -qx "theta_d,theta_p,class,change_min,x_at_min,change_max,x_at_max,class_p"
ok $? "the map's header: NAME1,NAME2,class,change_min,x_at_min,change_max,x_at_max,class_p"
[ "$(wc -l <"$tmp/map.csv")" -eq 25 ]
ok $? "6 x 4 cells: 24 rows and the header"
awk -F, 'NR > 1 && ($3 !~ /^(flat|[DP]+)$/ || NF != 8 || $8 < 0 || $8 > 1) { bad = 1 } END { exit bad }' "$tmp/map.csv"
ok $? "every row has 8 fields, a class made of D and P (or flat) and a class_p from 0 to 1"
[ "$(cut -d, -f3 "$tmp/map.csv" | sort -u | wc -l)" -ge 4 ]
ok $? "the map shows several classes ($(tail -n +2 "$tmp/map.csv" | cut -d, -f3 | sort -u | tr '\n' ' '))"
grep -q "^1,1.3,DP," "$tmp/map.csv"
ok $? "the default set's cell (theta_d 1, theta_p 1.3) is DP"

"$prog" --batch --analytic --map theta_d=1:2:1 --map theta_p=1.3:9:1 >"$tmp/one.csv"
[ "$(sed -n 2p "$tmp/one.csv" | cut -d, -f1-3)" = "1,1.3,DP" ]
ok $? "N = 1 is the single value FROM: a one-cell map classifies the current set (DP)"
for set in DP DPD P D DPDprime Dprime; do
	tp=$("$prog" --preset "$set" --save "$tmp/$set.ini" && sed -n 's/^theta_p = //p' "$tmp/$set.ini")
	"$prog" --batch --analytic --preset "$set" --map theta_d=1:1:1 --map "theta_p=$tp:$tp:1" >"$tmp/one.csv"
	cls=$(sed -n 2p "$tmp/one.csv" | cut -d, -f3)
	want=$(echo "$set" | sed 's/prime//')
	[ "$cls" = "$want" ]
	ok $? "the preset $set classifies as $want on a one-cell map (got $cls)"
done
"$prog" --batch --analytic --map theta_d=1:1:1 --map theta_p=1.3:1.3:1 --tolerance 0.5 >"$tmp/tol.csv"
[ "$(sed -n 2p "$tmp/tol.csv" | cut -d, -f3)" = flat ]
ok $? "--tolerance 0.5 makes the DP curve flat"

# Shards: the unsharded output, byte for byte.
# shellcheck disable=SC2086
shards "$tmp/cat.csv" $map && cmp -s "$tmp/map.csv" "$tmp/cat.csv"
ok $? "analytic map: shards 1/3 2/3 3/3 merged = the unsharded map"
sim="--batch --map theta_d=0.8:1.2:3 --map theta_p=1.2:1.6:3 --reps 60 --set points=9 --seed 4"
# shellcheck disable=SC2086
"$prog" $sim --threads 2 >"$tmp/sim.csv" 2>/dev/null && shards "$tmp/simcat.csv" $sim --threads 2 &&
	cmp -s "$tmp/sim.csv" "$tmp/simcat.csv"
ok $? "simulated map: 3 shards merged = the unsharded map"
# shellcheck disable=SC2086
"$prog" $sim --threads 1 >"$tmp/sim1.csv" 2>/dev/null && cmp -s "$tmp/sim.csv" "$tmp/sim1.csv"
ok $? "simulated map: the same with 1 thread and 2"
sweep="--batch --sweep gamma_p=100:1000:3:log --sweep c_pre=0.8:1.2:2 --reps 40 --set points=5 --seed 9"
# shellcheck disable=SC2086
"$prog" $sweep >"$tmp/sweep.csv" 2>/dev/null
ok $? "a simulated sweep runs"
head -n 1 "$tmp/sweep.csv" | grep -qx "gamma_p,c_pre,seed,dt_ms,U,D,change,change_lo,change_hi,reps"
ok $? "the sweep's header: the swept parameters, the seed, then the curve's columns"
[ "$(wc -l <"$tmp/sweep.csv")" -eq 31 ] && [ "$(cut -d, -f1 "$tmp/sweep.csv" | sort -u | tr '\n' ' ')" = "100 1000 316.227766016838 gamma_p " ]
ok $? "3 x 2 cells x 5 points = 30 rows; gamma_p log-spaced 100, 316.2..., 1000"
[ "$(tail -n +2 "$tmp/sweep.csv" | cut -d, -f3 | sort -u | wc -l)" -eq 6 ]
ok $? "each of the 6 cells has its own seed"
# shellcheck disable=SC2086
shards "$tmp/swcat.csv" $sweep && cmp -s "$tmp/sweep.csv" "$tmp/swcat.csv"
ok $? "sweep: 3 shards merged = the unsharded sweep"
row=$(sed -n 2p "$tmp/sweep.csv")
cellseed=$(echo "$row" | cut -d, -f3)
"$prog" --batch --set gamma_p=100 --set c_pre=0.8 --reps 40 --set points=5 --seed "$cellseed" 2>/dev/null |
	sed -n 2p >"$tmp/again"
[ "$(echo "$row" | cut -d, -f4-)" = "$(cat "$tmp/again")" ]
ok $? "a sweep row is reproduced by --batch with its values and its seed"

if command -v parallel >/dev/null 2>&1; then
	# shellcheck disable=SC2086
	seq 3 | parallel --will-cite -k -j 2 --halt now,fail=1 "$prog" $sim --threads 1 --shard {}/3 2>/dev/null |
		"$prog" --merge - >"$tmp/par.csv" && cmp -s "$tmp/sim.csv" "$tmp/par.csv"
	ok $? "GNU parallel running the 3 shards gives the unsharded map byte for byte"
	# shellcheck disable=SC2086
	seq 3 | parallel --will-cite -k -j 2 --halt now,fail=1 "$prog" $sweep --threads 1 --shard {}/3 2>/dev/null |
		"$prog" --merge - >"$tmp/parsw.csv" && cmp -s "$tmp/sweep.csv" "$tmp/parsw.csv"
	ok $? "GNU parallel: the same for the sweep"
else
	skip "GNU parallel is not installed (apt-get install parallel)"
	skip "GNU parallel is not installed"
fi

# Ctrl-C: a long sweep stops with only whole rows (5 points per cell, 10 fields per row).
"$prog" --batch --sweep theta_p=1.1:2:400 --reps 2000 --set points=5 --threads 2 >"$tmp/int.csv" 2>/dev/null &
pid=$!
i=0
# (the file appears when the child has opened it; the handler is in place before the first row)
while { [ ! -f "$tmp/int.csv" ] || [ "$(wc -l <"$tmp/int.csv")" -lt 6 ]; } && [ $i -lt 400 ]; do
	sleep 0.05
	i=$((i + 1))
done
kill -INT $pid
wait $pid
rc=$?
[ $rc -eq 130 ]
ok $? "Ctrl-C stops a sweep with status 130 (got $rc)"
lines=$(wc -l <"$tmp/int.csv")
awk -F, 'NF != 9 { bad = 1 } END { exit bad }' "$tmp/int.csv" && [ $(((lines - 1) % 5)) -eq 0 ] &&
	[ "$lines" -lt 2001 ] && [ "$(tail -c 1 "$tmp/int.csv" | od -An -c | tr -d ' ')" = '\n' ]
ok $? "what it wrote is whole rows of whole cells ($lines lines)"
# The first part of a sharding that holds at least the cells written (a fast machine writes many).
cells=$(((lines - 1) / 5))
parts=$((400 / (cells > 0 ? cells : 1)))
"$prog" --batch --sweep theta_p=1.1:2:400 --reps 2000 --set points=5 --shard "1/$((parts > 0 ? parts : 1))" \
	2>/dev/null | sed 1d | head -n "$lines" | cmp -s - "$tmp/int.csv"
ok $? "and they are the rows an uninterrupted run writes first"

if command -v script >/dev/null 2>&1 && script -qec true /dev/null </dev/null >/dev/null 2>&1; then
	# (long enough to outlast the first 200 ms, when progress is first shown, on a fast machine)
	script -qec "$prog --batch --sweep theta_d=0.5:1.5:6 --reps 20000 --threads 2 >/dev/null" /dev/null \
		>"$tmp/tty" 2>&1 </dev/null
	grep -q "cells.*left" "$tmp/tty"
	ok $? "on a terminal, progress with the time left goes to stderr"
else
	skip "script(1) cannot open a terminal here"
fi

refuses "--map" --batch --analytic --map theta_d=1:2:3
refuses "both" --batch --map theta_d=1:2:3 --map theta_p=1:2:3 --sweep gamma_d=1:2:2
refuses "theta_d" --batch --map theta_d=1:2:3 --map theta_d=1:2:3
refuses "out of range" --batch --map theta_d=1:20:3 --map theta_p=1:2:3
refuses "N" --batch --sweep theta_d=1:2
refuses "log" --batch --sweep gamma_d=0:200:3:log
refuses "--shard" --batch --sweep theta_d=1:2:3 --shard 4/3
refuses "--shard" --batch --shard 1/3
refuses "--tolerance" --batch --map theta_d=1:2:3 --map theta_p=1:2:3 --tolerance -1
refuses "dt_min_ms" --batch --sweep dt_min_ms=-100:150:2 --analytic
refuses "--compare" --batch --map theta_d=1:2:2 --map theta_p=1:2:2 --compare "${CALCIUM_STDP_PARAMS:-params}/P.ini"

# class_p: 1 on an analytic map; on a simulated one, cells sure of their class (class_p >= 0.95) give
# the same class under every seed, and most cells are sure.
"$prog" --batch --analytic --map theta_d=0.5:2:4 --map theta_p=0.5:3:3 --set points=21 >"$tmp/amap.csv"
awk -F, 'NR > 1 && $8 != "1.000" { bad = 1 } END { exit bad }' "$tmp/amap.csv"
ok $? "an analytic map's class_p is 1 in every cell"
for s in 1 2 3 4; do
	"$prog" --batch --map theta_d=0.5:2:4 --map theta_p=0.5:3:3 --set points=21 --reps 300 --seed $s \
		--threads 2 >"$tmp/smap$s.csv" || echo "seed $s failed"
done
paste -d, "$tmp/smap1.csv" "$tmp/smap2.csv" "$tmp/smap3.csv" "$tmp/smap4.csv" | awk -F, '
	NR > 1 {
		cls = ""; bad_cell = 0
		for (k = 0; k < 4; k++) {
			c = $(3 + 8 * k); p = $(8 + 8 * k)
			if (p >= 0.95) { sure++; if (cls != "" && c != cls) bad_cell = 1; cls = c }
		}
		conflicts += bad_cell; cells++
	}
	END { printf "%d %d %d\n", cells, sure, conflicts }' >"$tmp/agree"
read -r cells sure conflicts <"$tmp/agree"
[ "$cells" -eq 12 ] && [ "$conflicts" -eq 0 ] && [ "$sure" -gt 24 ]
ok $? "4 seeds of a 12-cell simulated map: $sure of 48 cell runs sure (class_p >= 0.95), $conflicts cells where sure runs disagree"

# A sweep of the deterministic weight model: its own columns (no U and D, which it does not have),
# each cell's rows what --batch prints for that cell's set, and shards that merge to it.
w="--batch --preset deperrois2020-visual --set points=3 --sweep theta_p=1.2:1.5:2"
# shellcheck disable=SC2086 # $w is a list of options
"$prog" $w >"$tmp/wsweep.csv" 2>"$tmp/err"
ok $? "a sweep of a weight set runs"
head -n 1 "$tmp/wsweep.csv" | grep -qx "theta_p,seed,freq_hz,change,change_lo,change_hi,trials,method"
ok $? "its header has the weight model's columns"
! grep -qi nan "$tmp/wsweep.csv" && [ "$(wc -l <"$tmp/wsweep.csv")" -eq 7 ]
ok $? "2 cells x 3 points, no nan anywhere"
"$prog" --batch --preset deperrois2020-visual --set points=3 --set theta_p=1.5 | tail -n +2 >"$tmp/wone"
grep '^1.5,' "$tmp/wsweep.csv" | cut -d, -f3- | cmp -s - "$tmp/wone"
ok $? "the theta_p = 1.5 cell's rows are --batch's at theta_p = 1.5"
# shellcheck disable=SC2086
shards "$tmp/wmerged" $w && cmp -s "$tmp/wmerged" "$tmp/wsweep.csv"
ok $? "3 shards of the weight sweep merge to it byte for byte"

echo "1..$n"
[ $failed -eq 0 ]
