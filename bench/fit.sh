#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Fits: how long a three-parameter fit with its check by simulation takes (median of RUNS), and the
# coverage of the profile intervals on 200 synthetic data sets per parameter set (not a test).
# Usage: fit.sh PROGRAM TEST_FIT [RUNS]
prog=$1 test_fit=$2 runs=${3:-25}
srcdir=$(dirname "$0")/..
t=""
i=0
while [ "$i" -lt "$runs" ]; do
	s=$(date +%s%N)
	"$prog" --preset cortical-slices-frequency --data "$srcdir/data/sjostrom2001-frequency.csv" \
		--fit gamma_d,gamma_p,theta_p >/dev/null || exit 1
	e=$(date +%s%N)
	t="$t $(( (e - s) / 1000 ))"
	i=$((i + 1))
done
echo "$t" | tr ' ' '\n' | grep . | sort -n | awk '{ a[NR] = $1 } END {
	printf "fit of gamma_d,gamma_p,theta_p with the simulation check   %8.3f s median of %d  (goal < 0.5 s)\n",
		a[int((NR + 1) / 2)] / 1e6, NR }'
echo "coverage of the 95% profile intervals, 200 synthetic data sets each:"
CALCIUM_STDP_COVERAGE_SEEDS=200 "$test_fit" "$srcdir/data" | grep 'inside its interval for .* seeds' | sed 's/^ok [0-9]* - /  /; s/^not ok [0-9]* - /  (below the bound) /'
