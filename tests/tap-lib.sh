# SPDX-License-Identifier: GPL-3.0-or-later
# TAP helpers for the shell tests, sourced after setting prog (the program) and tmp (a scratch
# directory): ok, skip and refuses number their lines in n and count failures in failed.
n=0 failed=0
ok() { # ok STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}

skip() { # skip REASON
	n=$((n + 1))
	echo "ok $n # SKIP $1"
}

# refuses EXPECTED_PHRASE ARGS...: exit 2, nothing on stdout, the phrase on stderr.
refuses() {
	phrase=$1
	shift
	"$prog" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -eq 2 ] && [ ! -s "$tmp/out" ] && grep -q -- "$phrase" "$tmp/err"; then
		ok 0 "refused: $* -> $(head -n 1 "$tmp/err")"
	else
		ok 1 "refused: $* (exit $rc, stderr: $(head -n 2 "$tmp/err"))"
	fi
}
