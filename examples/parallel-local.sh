#!/bin/sh
# A simulated map of curve classes over theta_d x theta_p on this machine's cores with GNU parallel:
# one shard per job slot, outputs kept in shard order (-k), so map.csv is the single run, byte for byte.
#   examples/parallel-local.sh > map.csv
# N shards: more than the cores is fine (parallel runs them as slots free up); each shard uses one
# thread. CALCIUM_STDP names the program (default: calcium-stdp on the PATH).
set -eu
prog=${CALCIUM_STDP:-calcium-stdp}
n=${SHARDS:-$(nproc)}
seq "$n" | parallel -k --halt now,fail=1 \
	"$prog" --batch --map theta_d=0.6:1.4:9 --map theta_p=1.1:2.5:8 --reps 1000 --seed 1 \
	--threads 1 --shard '{}'/"$n"
