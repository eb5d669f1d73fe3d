#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# --export (brian2, command, ini) and --lesson --check from the command line: what they write, that the
# command and INI rebuild the same set, the shipped lessons valid, bad input refused with exit 2.
# (The Brian2 script's numbers are checked by brian2-roundtrip.test.)
prog=${CALCIUM_STDP:-./calcium-stdp}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cstdp-export.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/tap-lib.sh"
lessons=$(dirname "$0")/../lessons

# --export command: the options that rebuild the state, and they do.
state="--preset DPD --set theta_p=1.45 --reps 77 --protocol burst"
# shellcheck disable=SC2086 # $state is a list of options
out=$("$prog" --export command $state)
ok $? "--export command runs"
[ "$out" = "calcium-stdp --preset DPD --set theta_p=1.45 --set protocol=burst --set reps=77" ]
ok $? "--export command: the preset and the changed parameters in table order ($out)"
# shellcheck disable=SC2086
"$prog" --export ini $state | grep -v '^;' >"$tmp/a.ini" &&
	eval "\"\$prog\" --export ini ${out#calcium-stdp }" | grep -v '^;' >"$tmp/b.ini"
cmp -s "$tmp/a.ini" "$tmp/b.ini" && [ -s "$tmp/a.ini" ]
ok $? "the exported command rebuilds the same set (the INI files agree)"
[ "$("$prog" --export command)" = "calcium-stdp" ]
ok $? "--export command of the defaults: the bare command"
"$prog" --export command --params "$tmp/a.ini" --set c_post=1.5 | grep -qx "calcium-stdp --params $tmp/a.ini --set c_post=1.5"
ok $? "--export command from a --params file names the file"

# --export ini: --save's twin.
# shellcheck disable=SC2086
"$prog" --save "$tmp/saved.ini" $state && "$prog" --export ini "$tmp/exported.ini" $state &&
	diff "$tmp/saved.ini" "$tmp/exported.ini" | grep '^[<>]' | grep -qv '^[<>] ;'
[ $? -ne 0 ] && [ -s "$tmp/exported.ini" ]
ok $? "--export ini FILE writes what --save writes (but for the comment)"

# --export brian2.
"$prog" --export brian2 --preset DP --set theta_p=1.35 --reps 50 "$tmp/dp.py"
ok $? "--export brian2 FILE writes a script"
grep -q "^theta_p = 1.35 " "$tmp/dp.py" && [ "$(grep -c '^theta_p = ' "$tmp/dp.py")" -eq 1 ] &&
	grep -q "^tau_ca_ms = 20 \* ms " "$tmp/dp.py" && grep -q "^tau_s = 150 \* second " "$tmp/dp.py"
ok $? "its parameters appear once, named as in the program, with units"
version=$("$prog" --version | cut -d' ' -f2)
grep -q "Written by calcium-stdp $version from the state" "$tmp/dp.py" &&
	grep -q "calcium-stdp --preset DP --set theta_p=1.35 --set reps=50 --batch" "$tmp/dp.py"
ok $? "it says which version and command made it, and how to get the program's own curve"
grep -q "sqrt(int(c > theta_d) + int(c > theta_p)) \* xi" "$tmp/dp.py"
ok $? "it has the corrected noise term"
grep -q "X_COLUMN + ',U,D,change,change_lo,change_hi,reps" "$tmp/dp.py" &&
	grep -q "X_COLUMN = 'dt_ms'" "$tmp/dp.py"
ok $? "it writes the --batch columns"
"$prog" --export brian2 --protocol poisson | grep -q "^rate_pre_hz = 10 \* Hz"
ok $? "--export brian2 without FILE: the script on standard output (Poisson here)"
for p in pairs frequency burst poisson irregular irregular-rate; do
	"$prog" --export brian2 --protocol $p >"$tmp/$p.py" 2>"$tmp/err"
	rc=$?
	"$prog" --export brian2 --preset deperrois2020-visual-nonlinear --protocol $p >"$tmp/w-$p.py" 2>>"$tmp/err"
	rc=$((rc + $?))
	if python3 -c "import ast" 2>/dev/null; then
		python3 -c "import ast, sys; ast.parse(open(sys.argv[1]).read())" "$tmp/$p.py"
		rc=$((rc + $?))
		python3 -c "import ast, sys; ast.parse(open(sys.argv[1]).read())" "$tmp/w-$p.py"
		rc=$((rc + $?))
	fi
	ok $rc "--export brian2 --protocol $p: scripts Python can parse, of the 2012 and the 2020 weight model"
done
grep -q "^def events(x):" "$tmp/w-irregular.py" && grep -q "^nl = 2 " "$tmp/w-irregular.py" &&
	grep -q "^def trains(x):" "$tmp/irregular.py" && grep -q "^pair_prob = 1 " "$tmp/irregular.py"
ok $? "the weight model's script has its events and variants, the 2012 model's its trains"
! grep -q "freq_min_hz" "$tmp/pairs.py" && grep -q "^freq_min_hz = " "$tmp/frequency.py"
ok $? "a script lists the protocol parameters its protocol reads, and no others"
refuses "is unknown: use brian2, command or ini" --export python
refuses "not saved" --export brian2 "$tmp"
refuses "unexpected argument" --export command extra
refuses "unexpected argument" --export brian2 a b
refuses "analytic is not used by --export" --export command --analytic
refuses "needs the deterministic weight model" --export brian2 --set std_u=0.4

# --lesson --check.
for f in why-the-curve rate-vs-timing; do
	"$prog" --lesson "$lessons/$f.lesson" --check >"$tmp/out" 2>"$tmp/err"
	ok $? "--lesson $f.lesson --check: valid ($(head -n 1 "$tmp/out"))"
done
grep -q "^Rate versus timing: 9 steps" "$tmp/out" && grep -q "^step 8 (line 58): view curve" "$tmp/out"
ok $? "--check lists the steps with their lines"
printf 'title t\nview calcium\nwait key\nset theta_p=99\nwait key\n' >"$tmp/bad.lesson"
refuses "bad.lesson:4: set: theta_p: 99 is out of range" --lesson "$tmp/bad.lesson" --check
refuses "bad.lesson:4:" --lesson "$tmp/bad.lesson"
refuses "cannot open" --lesson "$tmp/none.lesson" --check
refuses "the explorer needs a terminal" --lesson "$lessons/why-the-curve.lesson"
refuses "--check is not used by --batch" --batch --check
echo "1..$n"
[ "$failed" -eq 0 ]
