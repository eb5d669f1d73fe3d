#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# One seed, one curve, whichever path of the kernel runs: --batch on every path this CPU has
# (CALCIUM_STDP_KERNEL forces one), compared byte for byte with the plain C path's CSV.
prog=${CALCIUM_STDP:-./calcium-stdp}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cstdp-kernels.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
n=0 failed=0
ok() { # ok COND_STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}

# The paths this machine can run, from the CPU's flags (x86 only; elsewhere only plain C exists).
flags=$(grep -m 1 '^flags' /proc/cpuinfo 2>/dev/null)
has() { case " $flags " in *" $1 "*) return 0 ;; esac; return 1; }
paths=""
has sse2 && paths="$paths sse2"
has avx2 && paths="$paths avx2"
has avx512f && has avx512dq && paths="$paths avx512"
echo "# vector paths on this machine:${paths:- none}"

# Five protocols: pairs (the seed's figure, fewer repetitions), frequency, burst, and the random
# trains (each synapse event by event).
set -- "--reps 200" "--protocol frequency --reps 100" "--protocol burst --set pairs=20 --reps 100" \
	"--protocol poisson --reps 100" "--protocol irregular --reps 50"
for args in "$@"; do
	# shellcheck disable=SC2086
	CALCIUM_STDP_KERNEL=plain "$prog" --batch --threads 2 $args >"$tmp/plain.csv" 2>"$tmp/err"
	ok $? "plain C: --batch $args"
	for k in $paths; do
		# shellcheck disable=SC2086
		CALCIUM_STDP_KERNEL=$k "$prog" --batch --threads 2 $args >"$tmp/$k.csv" 2>>"$tmp/err"
		cmp -s "$tmp/plain.csv" "$tmp/$k.csv"
		ok $? "$k: --batch $args gives the plain path's CSV byte for byte"
	done
done
# Threads do not change the bits either, on the widest path.
CALCIUM_STDP_KERNEL=plain "$prog" --batch --threads 1 --reps 200 >"$tmp/t1.csv" 2>>"$tmp/err"
"$prog" --batch --threads 2 --reps 200 >"$tmp/t2.csv" 2>>"$tmp/err"
cmp -s "$tmp/t1.csv" "$tmp/t2.csv"
ok $? "plain C on 1 thread and the default path on 2 threads: the same CSV"
CALCIUM_STDP_KERNEL=plain "$prog" --batch --threads 1 --protocol poisson --reps 100 >"$tmp/p1.csv" 2>>"$tmp/err"
"$prog" --batch --threads 2 --protocol poisson --reps 100 >"$tmp/p2.csv" 2>>"$tmp/err"
cmp -s "$tmp/p1.csv" "$tmp/p2.csv"
ok $? "poisson: plain C on 1 thread and the default path on 2 threads, the same CSV"
echo "1..$n"
[ "$failed" -eq 0 ]
