#!/bin/sh
# make bench: speed figures of calcium-stdp (not a test: nothing here can fail a build).
# Usage: bench.sh PROGRAM BENCH [RUNS]
prog=$1 bench=$2 runs=${3:-5}
"$bench" "$runs" || exit 1

# Peak memory of --batch (maximum resident set, from the kernel's accounting of the child).
if command -v python3 >/dev/null 2>&1; then
	python3 - "$prog" <<'PY'
import resource, subprocess, sys
subprocess.run([sys.argv[1], "--batch", "--threads", "2"], stdout=subprocess.DEVNULL, check=True)
kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print("peak memory, --batch (2 threads)          %8.1f MiB  (target <= 32 MiB)" % (kb / 1024))
PY
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
