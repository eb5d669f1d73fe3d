#!/bin/sh
# Failures are never data: when the workers cannot allocate, --batch exits 1 within 2 s with a
# message that says what failed, for the pairs, burst and Poisson protocols; nothing is printed as a
# result. The fault injector (tests/failalloc.c) is built here and preloaded.
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
if ! $cc -shared -fPIC -O1 -o "$tmp/failalloc.so" "$srcdir/tests/failalloc.c" 2>"$tmp/cc.err"; then
	echo "1..0 # SKIP cannot build the fault injector: $(head -n 1 "$tmp/cc.err")"
	exit 0
fi

n=0
check() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}

echo "1..12"
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
