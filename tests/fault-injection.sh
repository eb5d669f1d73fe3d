#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Failures are never data: when the workers cannot allocate, --batch exits 1 within 2 s with a
# message that says what failed, for the pairs, burst and Poisson protocols; nothing is printed as a
# result. Then every allocation in turn fails in a small fit, map (analytic and simulated), sweep,
# compare and data load: each run either prints what the good run prints and exits 0 (the failure
# was recovered from), or exits non-zero with a message and a prefix of the good run's output (or
# nothing; an abort inside a library is let pass without a message). The fault injector
# (tests/failalloc.c) is built here and preloaded.
set -u
prog=${CALCIUM_STDP:-./calcium-stdp}
srcdir=${srcdir:-.}
cc=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Sanitizer runtimes want to be first in the process and intercept malloc themselves.
if ldd "$prog" 2>/dev/null | grep -Eq 'lib(asan|tsan|ubsan|lsan)'; then
	echo "1..0 # SKIP LD_PRELOAD fault injection does not mix with sanitizer runtimes"
	exit 0
fi
if ! $cc -shared -fPIC -O1 -o "$tmp/failalloc.so" "$srcdir/tests/failalloc.c" -ldl 2>"$tmp/cc.err"; then
	echo "1..0 # SKIP cannot build the fault injector: $(head -n 1 "$tmp/cc.err")"
	exit 0
fi

n=0
check() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}

echo "1..20"
# The first allocation of a worker fails: building the protocol.
for case in pairs burst poisson; do
	proto=${case%+}
	after=0
	[ "$case" = "poisson+" ] && after=200
	start=$(date +%s%N)
	FAILALLOC_AFTER=$after LD_PRELOAD="$tmp/failalloc.so" timeout 20 "$prog" --batch --protocol $proto \
		--set reps=200 --threads 2 >"$tmp/out" 2>"$tmp/err"
	rc=$?
	ms=$((($(date +%s%N) - start) / 1000000))
	check $([ $rc = 1 ] && echo 0 || echo 1) "$case: exit 1 when the workers cannot allocate (got $rc)"
	check $([ $ms -lt 2000 ] && echo 0 || echo 1) "$case: within 2 s ($ms ms)"
	check $(tail -n 1 "$tmp/err" | grep -q 'calcium-stdp: .*\(out of memory\|failed\|cannot\)' && echo 0 || echo 1) \
		"$case: the message says what failed: $(tail -n 1 "$tmp/err")"
	check $([ ! -s "$tmp/out" ] && echo 0 || echo 1) "$case: no numbers on stdout"
done

# Every allocation in turn. The runs use one worker so that the allocations come in the same order
# every time.
cat >"$tmp/small.csv" <<'EOF'
# three rows
freq_hz,dt_ms,change,sem
1,10,1.2,0.1
1,-10,0.8,0.1
20,10,1.3,0.1
EOF
printf '[model]\ntheta_p = 1.5\n' >"$tmp/compare.ini"
every() { # every NAME ARGS...: fail each allocation of `prog ARGS` in turn
	name=$1
	shift
	FAILALLOC_COUNT="$tmp/count" LD_PRELOAD="$tmp/failalloc.so" "$prog" "$@" >"$tmp/good" 2>"$tmp/good.err"
	rc=$?
	total=$(cat "$tmp/count" 2>/dev/null || echo 0)
	if [ "$rc" != 0 ] || [ "$total" -lt 1 ]; then
		check 1 "$name: the good run exits 0 (got $rc) and allocates ($total): $(head -n 1 "$tmp/good.err")"
		return
	fi
	bad="" i=1 failed=0 recovered=0
	size=$(wc -c <"$tmp/good")
	while [ "$i" -le "$total" ]; do
		FAILALLOC_NTH=$i LD_PRELOAD="$tmp/failalloc.so" timeout 20 "$prog" "$@" >"$tmp/out" 2>"$tmp/err"
		rc=$?
		if [ "$rc" = 0 ]; then
			cmp -s "$tmp/out" "$tmp/good" || bad="$bad $i(exit 0, other output)"
			recovered=$((recovered + 1))
		else
			failed=$((failed + 1))
			got=$(wc -c <"$tmp/out")
			if [ "$got" -gt "$size" ] || ! cmp -s -n "$got" "$tmp/out" "$tmp/good"; then
				bad="$bad $i(exit $rc, output not a prefix)"
			elif [ "$rc" -ge 124 ] && [ "$rc" != 134 ]; then
				bad="$bad $i(exit $rc)"
			elif [ "$rc" != 134 ] && ! grep -q 'calcium-stdp: ' "$tmp/err"; then
				bad="$bad $i(exit $rc without a message)"
			fi
		fi
		i=$((i + 1))
	done
	check $([ -z "$bad" ] && echo 0 || echo 1) \
		"$name: $total allocations failed in turn: $failed runs failed with a message, $recovered recovered with the good output${bad:+; wrong:$bad}"
}
every "fit" --preset cortical-slices-frequency --data "$tmp/small.csv" --fit theta_p --reps 5 --threads 1
every "analytic map" --batch --analytic --map theta_d=0.5:1.5:2 --map theta_p=1:2:2 --set points=5
every "simulated map" --batch --map theta_d=0.5:1.5:2 --map theta_p=1:2:2 --set points=5 --reps 5 --threads 1
every "sweep" --batch --sweep theta_p=1:2:2 --set points=5 --reps 5 --threads 1
every "compare" --batch --analytic --compare "$tmp/compare.ini" --set points=5
# The locale too is set up with allocations: one that fails gives ASCII instead of braille.
export LC_ALL=C
every "data load" --plot --analytic --data "$tmp/small.csv" --width 40 --height 12

# The explorer shows the failure and keeps going: keys still work, q still quits.
TMUX_BIN=${TMUX_BIN:-tmux}
unset TMUX
T() { "$TMUX_BIN" -L "cstdp-fault-$$" -f /dev/null "$@"; }
if command -v "$TMUX_BIN" >/dev/null 2>&1 && T new-session -d -x 100 -y 30 \
	"env LC_ALL=C.UTF-8 TERM=xterm-256color LD_PRELOAD='$tmp/failalloc.so' '$prog' --reps 100; echo EXIT=\$?; sleep 60" 2>/dev/null; then
	trap 'T kill-server 2>/dev/null; rm -rf "$tmp"' EXIT
	seen() {
		i=0
		while [ $i -lt 100 ]; do
			T capture-pane -p | grep -qF -- "$1" && return 0
			sleep 0.05
			i=$((i + 1))
		done
		return 1
	}
	seen "the run stopped: cannot build the protocol"
	check $? "explorer: a failed worker is reported on the status line"
	T send-keys Down
	seen "│>theta_p" && { T send-keys q; seen "EXIT=0"; }
	check $? "explorer: it keeps running (a key moves the selection) and q quits with status 0"
else
	check 0 "explorer: skipped, tmux cannot open a terminal here # SKIP"
	check 0 "explorer: skipped # SKIP"
fi
