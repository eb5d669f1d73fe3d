#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# make bench: speed figures of calcium-stdp (not a test: nothing here can fail a build).
# Usage: bench.sh PROGRAM BENCH [RUNS]
prog=$1 bench=$2 runs=${3:-5}
here=$(dirname "$0")
# Brian2 (the paper's example's simulator) beside it when a python3 here has it (python3-brian).
py=
for p in python3 /usr/bin/python3; do
	if "$p" -c 'import brian2' >/dev/null 2>&1; then
		py=$(command -v "$p")
		break
	fi
done
BENCH_PYTHON=$py BENCH_BRIAN2=$here/brian2_point.py "$bench" "$runs" "$prog" || exit 1

# Random trains: the Poisson protocol of the 2012 model at its defaults, and an irregular curve of the
# 2020 weight model (41 points x 10,000 trials of 10 s at 20 Hz), each on 2 threads; wall-clock
# medians, and the Poisson run's CPU time (user + sys, GNU time) per synapse.
wall() { # wall N ARGS...: median seconds of N runs of `prog ARGS`
	n=$1
	shift
	i=0
	while [ "$i" -lt "$n" ]; do
		t0=$(date +%s.%N)
		"$prog" "$@" >/dev/null 2>&1
		t1=$(date +%s.%N)
		echo "$t0 $t1" | awk '{ printf "%.6f\n", $2 - $1 }'
		i=$((i + 1))
	done | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
cpu() { # cpu N ARGS...: median CPU seconds (user + sys) of N runs of `prog ARGS`
	n=$1
	shift
	i=0
	while [ "$i" -lt "$n" ]; do
		/usr/bin/time -f '%U %S' "$prog" "$@" 2>&1 >/dev/null | tail -n 1 | awk '{ printf "%.6f\n", $1 + $2 }'
		i=$((i + 1))
	done | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
echo
tp=$(wall "$runs" --batch --protocol poisson --threads 2)
cp=-1
[ -x /usr/bin/time ] && cp=$(cpu "$runs" --batch --protocol poisson --threads 2)
ti=$(wall "$runs" --batch --preset deperrois2020-visual --protocol irregular --set rate_pre_hz=20 \
	--set rate_post_hz=20 --set reps=10000 --set points=41 --threads 2)
ci=-1
[ -x /usr/bin/time ] && ci=$(cpu "$runs" --batch --preset deperrois2020-visual --protocol irregular \
	--set rate_pre_hz=20 --set rate_post_hz=20 --set reps=10000 --set points=41 --threads 2)
echo "$tp $ti $cp $ci" | awk '{
	printf "--batch --protocol poisson (2012 model, defaults), 2 threads  %8.2f s  (target < 1 s)\n", $1
	printf "irregular weight curve, 41 x 10,000 trials of 10 s at 20 Hz    %8.2f s  (target < 1 s)\n", $2
	if ($3 >= 0)
		printf "per synapse, CPU (user + sys): Poisson, 41 x 1000 x 2        %8.1f us\n", $3 / 82000 * 1e6
	else
		printf "per synapse (2 x wall of 2 threads): Poisson, 41 x 1000 x 2  %8.1f us\n", $1 * 2 / 82000 * 1e6
	if ($4 >= 0)
		printf "per trial, CPU (user + sys): irregular weight, 41 x 10,000   %8.2f us\n", $4 / 410000 * 1e6
	else
		printf "per trial (2 x wall of 2 threads): irregular weight          %8.2f us\n", $2 * 2 / 410000 * 1e6
}'

# Peak memory of the program alone: GNU time reports the maximum resident set of the process it
# starts (its own small image before the exec is all that could count besides the program).
peak() { # peak ARGS...: prints the peak RSS of `prog ARGS` in MiB
	/usr/bin/time -f '%M' "$prog" "$@" 2>&1 >/dev/null | tail -n 1 | awk '{ printf "%.1f", $1 / 1024 }'
}
if [ -x /usr/bin/time ]; then
	echo
	echo "peak memory, --batch (2 threads)           $(peak --batch --threads 2) MiB  (target <= 32 MiB)"
	# The Poisson worst case of the explorer's parameters, 64 points of one repetition (its memory
	# does not depend on the run's length: trains and calcium are streamed; 100 s instead of
	# 1000 s keeps this short).
	for t in 1 16 64; do
		echo "peak memory, costly Poisson, --threads $t   $(peak --batch --threads "$t" --reps 1 --protocol poisson \
			--set points=64 --set duration_s=100 --set step_ms=0.001 --set rate_pre_hz=100 \
			--set rate_post_min_hz=90 --set rate_post_max_hz=100 --set tau_ca_ms=500) MiB  (target <= 64 MiB)"
	done
else
	echo "peak memory: needs GNU time (/usr/bin/time; apt-get install time)"
fi

# CPU used by the idle explorer: run it in tmux, let the simulation finish, then count its CPU
# ticks over 5 s of no input.
if command -v tmux >/dev/null 2>&1; then
	sock=bench-$$
	T="tmux -L $sock -f /dev/null"
	$T new-session -d -x 100 -y 30 -e LC_ALL=C.UTF-8 -e TERM=xterm-256color "$prog --reps 100" 2>/dev/null
	sleep 3
	pid=$($T list-panes -F '#{pane_pid}' 2>/dev/null | head -n 1)
	if [ -n "$pid" ] && [ -r "/proc/$pid/stat" ]; then
		t1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
		sleep 5
		t2=$(awk '{print $14 + $15}' "/proc/$pid/stat")
		hz=$(getconf CLK_TCK)
		echo "explorer while idle                         $(awk -v a="$t1" -v b="$t2" -v hz="$hz" 'BEGIN { printf "%8.2f %% of a core over 5 s", (b - a) / hz / 5 * 100 }')"
	fi
	$T kill-server 2>/dev/null
fi
