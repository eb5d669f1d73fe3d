#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# A simulated map of curve classes over theta_d x theta_p on this machine's cores with GNU parallel:
# N parts, each with one thread, merged by calcium-stdp --merge (which checks that every part is
# there, whole and of this run) into OUT, written under a temporary name and renamed when complete.
#   examples/parallel-local.sh map.csv
# The first failed part stops the others (--halt now,fail=1) and OUT is not written. More parts than
# cores is fine (parallel runs them as slots free up). CALCIUM_STDP names the program (default:
# calcium-stdp on the PATH); SHARDS sets N (default: the number of cores).
set -eu
prog=${CALCIUM_STDP:-calcium-stdp}
out=${1:?usage: parallel-local.sh OUT}
n=${SHARDS:-$(nproc)}
trap 'rm -f "$out.tmp.$$"' EXIT
seq "$n" | parallel -k --halt now,fail=1 \
	"$prog" --batch --map theta_d=0.6:1.4:9 --map theta_p=1.1:2.5:8 --reps 1000 --seed 1 \
	--threads 1 --shard '{}'/"$n" | "$prog" --merge - > "$out.tmp.$$"
mv "$out.tmp.$$" "$out"
