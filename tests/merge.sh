#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Parts that prove where they come from and --merge: the parts of a run merged (in any order, from
# files or from standard input) are the unsharded output byte for byte; a part of another run (seed,
# grid, N, parameters), a truncated, damaged, missing or repeated part is refused with exit status 2,
# naming the part and the reason, and nothing is written.
prog=${CALCIUM_STDP:-./calcium-stdp}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cstdp-merge.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/tap-lib.sh"

# parts DIR N ARGS...: parts 1..N of the run ARGS as DIR/part-K.csv
parts() {
	dir=$1 nparts=$2
	shift 2
	mkdir -p "$dir"
	k=1
	while [ "$k" -le "$nparts" ]; do
		"$prog" "$@" --shard "$k/$nparts" >"$dir/part-$k.csv" 2>/dev/null || return 1
		k=$((k + 1))
	done
}

map="--batch --map theta_d=0.8:1.2:3 --map theta_p=1.2:1.6:3 --reps 60 --set points=9 --seed 4 --threads 2"
# shellcheck disable=SC2086 # $map is a list of options
"$prog" $map >"$tmp/single.csv" 2>/dev/null
ok $? "the simulated map in one run"
# shellcheck disable=SC2086
parts "$tmp/a" 4 $map
ok $? "the same map as 4 parts (run A)"
# Run B: the same map with another seed; C: another grid; D: 3 parts; E: other repetitions.
# shellcheck disable=SC2086
parts "$tmp/b" 4 $map --seed 5
ok $? "run B (another seed) in 4 parts"
# shellcheck disable=SC2086
parts "$tmp/c" 4 $(echo "$map" | sed 's/1.2:1.6:3/1.2:1.7:3/') && parts "$tmp/d" 3 $map &&
	parts "$tmp/e" 4 $map --reps 61 && parts "$tmp/g" 4 $map --tolerance 0.02 &&
	parts "$tmp/h" 4 $map --method stepwise && parts "$tmp/f" 4 $(echo "$map" | sed 's/--map theta_d/--sweep theta_d/; s/--map theta_p/--sweep theta_p/')
ok $? "runs C (another grid), D (3 parts), E (other repetitions), G (another tolerance), H (another method), F (a sweep) in parts"

a="$tmp/a/part-1.csv $tmp/a/part-2.csv $tmp/a/part-3.csv $tmp/a/part-4.csv"
head -n 1 "$tmp/a/part-2.csv" | grep -q "^#calcium-stdp part=2/4 cells=2-4/9 .*seed=4 grid=theta_d=0.8:1.2:3;theta_p=1.2:1.6:3 method=segments tolerance=0.01 set=points=9;reps=60 run=[0-9a-f]*$"
ok $? "a part's first line names its place, the seed, the grid, the settings and the run ($(head -n 1 "$tmp/a/part-2.csv"))"
tail -n 1 "$tmp/a/part-2.csv" | grep -q "^#calcium-stdp end=2/4 rows=2 sum=[0-9a-f]*$"
ok $? "and its last line says it is complete, with its row count and checksum ($(tail -n 1 "$tmp/a/part-2.csv"))"

# shellcheck disable=SC2086 # $a is a list of files
"$prog" --merge $a >"$tmp/merged.csv" && cmp -s "$tmp/merged.csv" "$tmp/single.csv"
ok $? "--merge of the 4 parts = the unsharded map, byte for byte"
"$prog" --merge "$tmp/a/part-3.csv" "$tmp/a/part-1.csv" "$tmp/a/part-4.csv" "$tmp/a/part-2.csv" |
	cmp -s - "$tmp/single.csv"
ok $? "the parts in any order"
# shellcheck disable=SC2086
cat $a | "$prog" --merge - | cmp -s - "$tmp/single.csv"
ok $? "the parts one after the other on standard input (--merge -)"
# shellcheck disable=SC2086
cat "$tmp/a/part-4.csv" "$tmp/a/part-2.csv" | "$prog" --merge "$tmp/a/part-3.csv" - "$tmp/a/part-1.csv" |
	cmp -s - "$tmp/single.csv"
ok $? "files and standard input together"
# shellcheck disable=SC2086
parts "$tmp/many" 12 $map && "$prog" --merge "$tmp"/many/part-*.csv | cmp -s - "$tmp/single.csv"
ok $? "12 parts of 9 cells (some empty) merge to the same map"
# shellcheck disable=SC2086
"$prog" $(echo "$map" | sed 's/--map theta_d/--sweep theta_d/; s/--map theta_p/--sweep theta_p/') \
	>"$tmp/sweep.csv" 2>/dev/null && "$prog" --merge "$tmp"/f/part-*.csv | cmp -s - "$tmp/sweep.csv"
ok $? "a sweep's parts merge to the unsharded sweep"
"$prog" --batch --analytic --map theta_d=0.6:1.6:6 --map theta_p=1.3:2.5:4 >"$tmp/an.csv" &&
	for k in 1 2 3; do
		"$prog" --batch --analytic --map theta_d=0.6:1.6:6 --map theta_p=1.3:2.5:4 --shard "$k/3"
	done | "$prog" --merge - | cmp -s - "$tmp/an.csv"
ok $? "an analytic map's parts merge to the unsharded map"

# Refusals: exit 2, nothing on stdout, the part and the reason on stderr.
p1=$tmp/a/part-1.csv p2=$tmp/a/part-2.csv p3=$tmp/a/part-3.csv p4=$tmp/a/part-4.csv
refuses "part-3.csv: part 3/4 is of another run than part 1/4 of .*part-1.csv: seed 5, not 4" \
	--merge "$p1" "$p2" "$tmp/b/part-3.csv" "$p4"
refuses "part-2.csv: part 2/4 is of another run .*: grid theta_d=0.8:1.2:3;theta_p=1.2:1.7:3, not theta_d=0.8:1.2:3;theta_p=1.2:1.6:3" \
	--merge "$p1" "$tmp/c/part-2.csv" "$p3" "$p4"
refuses "part-3.csv: part 3/3 is of another run .*: it is one of 3 parts, not 4" \
	--merge "$p1" "$p2" "$tmp/d/part-3.csv" "$p4"
refuses "part-4.csv: part 4/4 is of another run .*: other parameters: reps is 61, not 60" \
	--merge "$p1" "$p2" "$p3" "$tmp/e/part-4.csv"
refuses "part-1.csv: part 1/4 is of another run .*: tolerance 0.02, not 0.01" \
	--merge "$p2" "$tmp/g/part-1.csv" "$p3" "$p4"
refuses "part-3.csv: part 3/4 is of another run .*: method stepwise, not segments" \
	--merge "$p1" "$p2" "$tmp/h/part-3.csv" "$p4"
refuses "part 1/4 is of another run .*: it is a sweep, not a map" \
	--merge "$p2" "$tmp/f/part-1.csv" "$p3" "$p4"
refuses "1 of 4 parts is missing: 3/4 (cells 4-6)" --merge "$p1" "$p2" "$p4"
refuses "2 of 4 parts are missing: 1/4 (cells 0-2), 4/4 (cells 6-9)" --merge "$p2" "$p3"
refuses "part-2.csv: part 2/4 is given twice (also in .*part-2.csv)" --merge "$p1" "$p2" "$p2" "$p3" "$p4"
cp "$p2" "$tmp/copy.csv"
refuses "copy.csv: part 2/4 is given twice" --merge "$p1" "$p2" "$p3" "$tmp/copy.csv" "$p4"
# A part cut in the middle of a row, cut after a whole row, and one whose run was interrupted.
head -c "$(($(wc -c <"$p3") - 70))" "$p3" >"$tmp/cut.csv"
refuses "cut.csv: part 3/4 is truncated: it stops in the middle of a row" --merge "$p1" "$p2" "$tmp/cut.csv" "$p4"
sed '$d' "$p3" >"$tmp/noend.csv"
refuses "noend.csv: part 3/4 is truncated: it ends after 2 rows without its end line" \
	--merge "$p1" "$p2" "$tmp/noend.csv" "$p4"
cat "$tmp/noend.csv" "$p4" >"$tmp/joined.csv"
refuses "joined.csv: part 3/4 is truncated: it stops after 2 rows, without its end line, where another part begins" \
	--merge "$p1" "$p2" "$tmp/joined.csv"
# shellcheck disable=SC2086
cat "$p1" "$p2" "$tmp/noend.csv" "$p4" >"$tmp/stream.csv"
refuses "standard input: part 3/4 is truncated" --merge - <"$tmp/stream.csv"
# A part whose rows were changed or lost after it was written.
sed '2s/,D,/,P,/' "$p3" >"$tmp/edited.csv"
refuses "edited.csv: part 3/4 is damaged: its rows are not those that were written" \
	--merge "$p1" "$p2" "$tmp/edited.csv" "$p4"
sed '2d' "$p3" >"$tmp/lost.csv"
refuses "lost.csv: part 3/4 is damaged: it has 1 row(s) where its end line says 2" \
	--merge "$p1" "$p2" "$tmp/lost.csv" "$p4"
{ cat "$p3"; echo "0.9,1.3,DP,0.5,1,1.5,2"; } >"$tmp/extra.csv"
refuses "extra.csv: line 5: text after the end of part 3/4" --merge "$p1" "$p2" "$tmp/extra.csv" "$p4"
# Not parts at all.
refuses "single.csv: not a part of a sharded run" --merge "$tmp/single.csv"
: >"$tmp/empty.csv"
refuses "empty.csv: empty: no part in it" --merge "$p1" "$tmp/empty.csv" "$p2" "$p3" "$p4"
refuses "nowhere.csv: cannot read it" --merge "$p1" "$tmp/nowhere.csv"
refuses "name the parts" --merge
refuses "standard input can be read once" --merge - - </dev/null
refuses "--seed is not used by --merge" --merge --seed 3 "$p1"

# A part of an interrupted run has no end line: the merge refuses it.
"$prog" --batch --sweep theta_p=1.1:2:400 --reps 2000 --set points=5 --threads 2 --shard 1/2 \
	>"$tmp/int.csv" 2>/dev/null &
pid=$!
i=0
while { [ ! -f "$tmp/int.csv" ] || [ "$(wc -l <"$tmp/int.csv")" -lt 8 ]; } && [ $i -lt 400 ]; do
	sleep 0.05
	i=$((i + 1))
done
kill -INT $pid
wait $pid
rc=$?
[ $rc -eq 130 ] && ! grep -q "^#calcium-stdp end=" "$tmp/int.csv"
ok $? "an interrupted part ends without its end line (exit $rc)"
refuses "int.csv: part 1/2 is truncated: it ends after [0-9]* rows without its end line" --merge "$tmp/int.csv"

echo "1..$n"
[ $failed -eq 0 ]
