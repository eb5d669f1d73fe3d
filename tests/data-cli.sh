#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Measured data, compared sets and fits on the command line: --fit reproduces and improves the paper's
# cortical-slices fit and saves a set that --batch --analytic scores the same; --data and --compare in
# --plot and --batch; bad data files refused with FILE:LINE, exit status 2 and nothing on stdout.
prog=${CALCIUM_STDP:-./calcium-stdp}
data=${CALCIUM_STDP_DATA:-data}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cstdp-data.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/tap-lib.sh"
sj="$data/sjostrom2001-frequency.csv"

# The acceptance run: fit three parameters of the paper's set to the data it was fitted to.
"$prog" --preset cortical-slices-frequency --data "$sj" --fit gamma_d,gamma_p,theta_p --save "$tmp/fit.ini" \
	>"$tmp/fit.out" 2>"$tmp/fit.err"
ok $? "--fit runs and saves ($(head -n 1 "$tmp/fit.err"))"
before=$(sed -n 's/^chi^2 \([0-9.]*\) before, \([0-9.]*\) after.*/\1/p' "$tmp/fit.out")
after=$(sed -n 's/^chi^2 \([0-9.]*\) before, \([0-9.]*\) after.*/\2/p' "$tmp/fit.out")
awk -v b="$before" 'BEGIN { exit !(b > 5.18 && b < 5.20) }'
ok $? "chi^2 before is the paper's 5.19 over the ten points ($before)"
awk -v a="$after" 'BEGIN { exit !(a > 0 && a <= 5.195) }'
ok $? "chi^2 after is no worse than the paper's ($after)"
grep -q "7 degrees of freedom; p = " "$tmp/fit.out" && grep -q "^  gamma_d .*95% \[" "$tmp/fit.out" &&
	grep -q "^  theta_p .*95% \[" "$tmp/fit.out"
ok $? "the report gives dof, p-value and an interval per parameter"
grep -q "^chi^2 by simulation [0-9.]*, by the analytic curve" "$tmp/fit.out" &&
	[ "$(grep -c "^  sjostrom2001-frequency:[0-9]" "$tmp/fit.out")" -eq 10 ]
ok $? "then the check by simulation: each of the ten rows and its chi^2"
grep -q "^; data: .*sjostrom2001-frequency.csv" "$tmp/fit.ini" && grep -q "^gamma_d = " "$tmp/fit.ini"
ok $? "the saved set names its data set"

# The saved set through --batch --analytic, one row at a time: the same chi^2.
chi2=0
grep -v '^#' "$sj" | tail -n +2 | while IFS=, read -r f pairs dt change sem; do
	"$prog" --params "$tmp/fit.ini" --batch --analytic --set points=1 --set "pairs=$pairs" --set "freq_min_hz=$f" \
		--set "freq_max_hz=$f" --set "fixed_dt_ms=$dt" | tail -n 1 | cut -d, -f4 |
		awk -v c="$change" -v s="$sem" '{ printf "%.17g\n", (($1 - c) / s) ^ 2 }'
done >"$tmp/terms"
chi2=$(awk '{ s += $1 } END { printf "%.4g", s }' "$tmp/terms")
[ "$(wc -l <"$tmp/terms")" -eq 10 ] && [ "$chi2" = "$after" ]
ok $? "--batch --analytic with the saved set: chi^2 $chi2 over $(wc -l <"$tmp/terms") rows, as reported ($after)"

# A preset that names its data set is fitted to it without --data; --save before --fit works too.
"$prog" --save "$tmp/fit2.ini" --preset cortical-slices-frequency --fit theta_p >"$tmp/fit2.out" 2>&1 &&
	grep -q "data: .*sjostrom2001-frequency.csv, 10 rows" "$tmp/fit2.out" && [ -s "$tmp/fit2.ini" ]
ok $? "--save FILE --fit NAMES: the preset's data set, the result saved"

# Bad requests.
refuses "--fit needs measured data" --preset DP --fit theta_p
refuses "unknown parameter 'gamma'" --preset DP --data "$sj" --fit gamma
refuses "'pairs' cannot be fitted" --preset DP --data "$sj" --fit pairs
refuses "--batch and --fit are two modes" --batch --fit theta_p --data "$sj"
refuses "--data is not used by --batch" --batch --data "$sj"
refuses "7 data rows cannot fit 7 parameters" --preset DP --data "$data/markram1997-frequency.csv" \
	--fit tau_ca_ms,c_pre,c_post,theta_p,gamma_d,gamma_p,sigma
refuses "poisson protocol cannot be fitted" --preset DP --protocol poisson --data "$sj" --fit theta_p

# Bad data files: FILE:LINE and the problem.
printf 'dt_ms,change\n10,1.2\n' >"$tmp/nosem.csv"
refuses "$tmp/nosem.csv:1: missing column 'sem'" --plot --data "$tmp/nosem.csv"
printf '# lab\ndt_ms,change,sem\n10,1.2,0.1\n20,high,0.1\n' >"$tmp/nan.csv"
refuses "$tmp/nan.csv:4: change: 'high' is not a number" --plot --data "$tmp/nan.csv"
printf 'dt_ms,change,sem\n10,1.2,-0.1\n' >"$tmp/neg.csv"
refuses "$tmp/neg.csv:2: sem: -0.1 must be greater than 0" --plot --data "$tmp/neg.csv"
printf 'dt_ms,change,sem\n10,1.2,0\n' >"$tmp/zero.csv"
refuses "$tmp/zero.csv:2: sem: 0 must be greater than 0" --preset DP --fit theta_p --data "$tmp/zero.csv"
printf 'dt_ms,change,sem\n' >"$tmp/empty.csv"
refuses "$tmp/empty.csv: no rows" --plot --data "$tmp/empty.csv"
refuses "$tmp/absent.csv: cannot open" --plot --data "$tmp/absent.csv"

# --data in --plot: the points with a legend entry that counts the rows elsewhere.
printf 'dt_ms,change,sem\n-20,0.75,0.05\n10,1.25,0.06\n300,1.0,0.1\n' >"$tmp/curve.csv"
"$prog" --plot --ascii --analytic --width 100 --height 30 --data "$tmp/curve.csv" --data "$sj" >"$tmp/dplot" 2>&1
ok $? "--plot with two --data files runs"
grep -q "curve, SEM (1 of 3 rows elsewhere)" "$tmp/dplot" &&
	grep -q "sjostrom2001-frequency, SEM (10 of 10 rows elsewhere)" "$tmp/dplot"
ok $? "each data set has a legend entry counting its rows not on this curve"

# --compare in --batch: every set's curve, a column naming the set.
"$prog" --batch --preset DP --reps 20 --set points=3 --compare "$CALCIUM_STDP_PARAMS/DPD.ini" \
	--compare "$CALCIUM_STDP_PARAMS/P.ini" >"$tmp/cmp.csv" 2>/dev/null
ok $? "--batch --compare runs"
head -n 1 "$tmp/cmp.csv" | grep -qx "set,dt_ms,U,D,change,change_lo,change_hi,reps" &&
	[ "$(cut -d, -f1 "$tmp/cmp.csv" | tail -n +2 | uniq | tr '\n' ' ')" = "DP DPD P " ] &&
	[ "$(wc -l <"$tmp/cmp.csv")" -eq 10 ]
ok $? "the CSV has a set column: DP, DPD and P, three rows each"
"$prog" --batch --preset DPD --reps 20 --set points=3 >"$tmp/dpd.csv" 2>/dev/null
[ "$(grep '^DPD,' "$tmp/cmp.csv" | cut -d, -f2-)" = "$(tail -n +2 "$tmp/dpd.csv")" ]
ok $? "the DPD rows are what --preset DPD prints on the same protocol and seed"
"$prog" --batch --analytic --preset DP --set points=3 --set pairs=30 --compare "$CALCIUM_STDP_PARAMS/DPD.ini" \
	>"$tmp/cmp30.csv" 2>/dev/null &&
	"$prog" --batch --analytic --preset DPD --set points=3 --set pairs=30 >"$tmp/dpd30.csv" 2>/dev/null
[ "$(grep '^DPD,' "$tmp/cmp30.csv" | cut -d, -f2-)" = "$(tail -n +2 "$tmp/dpd30.csv")" ]
ok $? "a compared set runs on this run's protocol (pairs=30), keeping its own model parameters"

# --compare in --plot: a named curve per set.
"$prog" --plot --ascii --analytic --preset DP --width 100 --height 30 --compare "$CALCIUM_STDP_PARAMS/DPD.ini" \
	>"$tmp/cplot" 2>&1 && grep -q "DPD (analytic)" "$tmp/cplot"
ok $? "--plot --compare draws the set's analytic curve with a legend entry"
printf '[model]\ntheta_p = abc\n' >"$tmp/bad.ini"
refuses "$tmp/bad.ini:2" --batch --compare "$tmp/bad.ini"

# --fit --save checks its target first: a refused one costs no fit and prints no report.
"$prog" --preset cortical-slices-frequency --fit theta_p --save /dev/null >"$tmp/dev.out" 2>"$tmp/dev.err"
[ $? -eq 2 ] && [ ! -s "$tmp/dev.out" ] && grep -q "character device" "$tmp/dev.err"
ok $? "--fit --save /dev/null: refused before the fit, exit 2, nothing on stdout ($(head -n 1 "$tmp/dev.err"))"
grep -q "^calcium-stdp: the fitted set was saved to .*fit.ini$" "$tmp/fit.err"
ok $? "--fit --save says where it wrote"

# A data row whose chi^2 cannot be finite is refused, not fitted.
sed 's/^10,75,-10,0.59,0.11$/10,75,-10,1e300,0.11/' "$sj" >"$tmp/huge.csv"
"$prog" --preset cortical-slices-frequency --data "$tmp/huge.csv" --fit theta_p >"$tmp/huge.out" 2>"$tmp/huge.err"
[ $? -ne 0 ] && ! grep -q "chi^2" "$tmp/huge.out" && grep -q "huge.csv:.*not finite" "$tmp/huge.err"
ok $? "a row of 1e300 is refused with its FILE:LINE ($(head -n 1 "$tmp/huge.err"))"

# Closed standard descriptors: the run still works (they are opened on /dev/null at start-up).
"$prog" --batch --reps 10 --set points=3 <&- >"$tmp/closed.csv" 2>"$tmp/closed.err"
[ $? -eq 0 ] && [ "$(wc -l <"$tmp/closed.csv")" -eq 4 ]
ok $? "--batch with standard input closed: exit 0, the whole curve ($(head -n 1 "$tmp/closed.err"))"
"$prog" --batch --reps 10 --set points=3 2>&- >"$tmp/closed2.csv"
[ $? -eq 0 ] && [ "$(wc -l <"$tmp/closed2.csv")" -eq 4 ]
ok $? "--batch with standard error closed: exit 0, the whole curve"
"$prog" --batch --reps 10 --set points=3 >&- 2>"$tmp/closed3.err"
[ $? -eq 1 ] && grep -q "standard output is closed" "$tmp/closed3.err"
ok $? "--batch with standard output closed: an error, not a curve thrown away ($(head -n 1 "$tmp/closed3.err"))"
"$prog" --save "$tmp/closed.ini" >&- && [ -s "$tmp/closed.ini" ]
ok $? "--save FILE with standard output closed: it writes no output there, so it runs"

# Data files are read as the INI loader reads: a device or a FIFO is refused at once.
mkfifo "$tmp/fifo.csv" 2>/dev/null && {
	timeout 5 "$prog" --plot --analytic --data "$tmp/fifo.csv" >/dev/null 2>"$tmp/fifo.err"
	[ $? -eq 2 ] && grep -q "not a regular file" "$tmp/fifo.err"
	ok $? "a FIFO as --data is refused without waiting ($(head -n 1 "$tmp/fifo.err"))"
}
timeout 5 "$prog" --plot --analytic --data /dev/zero >/dev/null 2>"$tmp/zero.err"
[ $? -eq 2 ] && grep -q "not a regular file" "$tmp/zero.err"
ok $? "/dev/zero as --data is refused ($(head -n 1 "$tmp/zero.err"))"

echo "1..$n"
[ $failed -eq 0 ]
