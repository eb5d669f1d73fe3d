#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The command line as a user meets it: --batch output, determinism across threads, and every kind of
# bad input refused with a message that names the problem, exit status 2 and nothing on stdout.
prog=${CALCIUM_STDP:-./calcium-stdp}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cstdp-cli.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/tap-lib.sh"

"$prog" --help >"$tmp/help" 2>&1 </dev/null
ok $? "--help exits 0 without a terminal"
grep -q -- "--batch" "$tmp/help" && grep -q "theta_p" "$tmp/help" && grep -q "tau_ca_ms" "$tmp/help"
ok $? "--help lists the modes and the parameters"
"$prog" --version </dev/null | grep -q "^calcium-stdp [0-9]"
ok $? "--version prints the version"

# The analytic curve: the reference values of the paper at -20, 0, +10 ms.
"$prog" --batch --analytic >"$tmp/an.csv" 2>"$tmp/err"
ok $? "--batch --analytic runs"
head -n 1 "$tmp/an.csv" | grep -qx "dt_ms,U,D,change,change_lo,change_hi,reps"
ok $? "CSV header is dt_ms,U,D,change,change_lo,change_hi,reps"
[ "$(wc -l <"$tmp/an.csv")" -eq 42 ]
ok $? "41 rows plus the header"
awk -F, '$1=="-20"{d=$4-0.76426} $1=="0"{e=$4-1.00790} $1=="10"{f=$4-1.22136}
	END { exit !(d*d < 1e-10 && e*e < 1e-10 && f*f < 1e-10) }' "$tmp/an.csv"
ok $? "analytic change at -20, 0, +10 ms is the paper's to 1e-5"
[ ! -s "$tmp/err" ]
ok $? "no progress on stderr when it is not a terminal"

# The simulation: same seed, same curve bit for bit with 1 and 2 threads.
"$prog" --batch --reps 100 --seed 5 --threads 1 >"$tmp/t1.csv" 2>/dev/null
r1=$?
"$prog" --batch --reps 100 --seed 5 --threads 2 >"$tmp/t2.csv" 2>/dev/null
ok $((r1 + $?)) "--batch --reps 100 runs with 1 and 2 threads"
cmp -s "$tmp/t1.csv" "$tmp/t2.csv"
ok $? "1 and 2 threads give identical output for one seed"
awk -F, 'NR>1 && $7 != 100 { bad = 1 } NR>1 && !($5 <= $4 && $4 <= $6) { bad = 1 } END { exit bad }' "$tmp/t1.csv"
ok $? "every row has 100 repetitions and change_lo <= change <= change_hi"
"$prog" --batch --reps 100 --seed 6 --threads 2 >"$tmp/t3.csv" 2>/dev/null
! cmp -s "$tmp/t1.csv" "$tmp/t3.csv"
ok $? "another seed gives another curve"

# Presets and files.
"$prog" --batch --analytic --preset dpd >"$tmp/dpd.csv" 2>"$tmp/err"
ok $? "--preset dpd (case-insensitive) loads"
"$prog" --list-presets >"$tmp/list" 2>&1
ok $? "--list-presets runs"
[ "$(grep -c . "$tmp/list")" -ge 9 ] && grep -q "^hippocampal-slices" "$tmp/list"
ok $? "--list-presets shows the nine sets of the paper"
"$prog" --preset DPD --set theta_p=1.4 --save "$tmp/saved.ini" </dev/null
ok $? "--save writes the effective parameters"
"$prog" --params "$tmp/saved.ini" --save "$tmp/again.ini" </dev/null && cmp -s "$tmp/saved.ini" "$tmp/again.ini"
ok $? "a saved file loads back to the same parameters"
grep -q "^theta_p = 1.4" "$tmp/saved.ini"
ok $? "--set wins over the preset in the saved file"

# The paper's other experiments: each protocol names its x column; the presets carry them.
"$prog" --batch --analytic --preset cortical-slices-frequency >"$tmp/f.csv" 2>/dev/null &&
	head -n 1 "$tmp/f.csv" | grep -q "^freq_hz,U,D,change" &&
	awk -F, '$1 == "20" { d = $4 - 1.25302; exit !(d * d < 1e-10) }' "$tmp/f.csv"
ok $? "frequency preset: x is freq_hz, 20 Hz at +10 ms gives the paper's 1.25302"
"$prog" --batch --analytic --preset hippocampal-slices-burst --set dt_min_ms=18.8 --set dt_max_ms=18.8 --set points=1 >"$tmp/b.csv" 2>/dev/null &&
	awk -F, 'NR == 2 { d = $4 - 1.767608; exit !(d * d < 1e-10) }' "$tmp/b.csv"
ok $? "burst preset: the Fig. 3 maximum 1.767608 at +18.8 ms"
"$prog" --batch --protocol poisson --set points=3 --reps 20 >"$tmp/p.csv" 2>/dev/null &&
	head -n 1 "$tmp/p.csv" | grep -q "^rate_post_hz," && [ "$(wc -l <"$tmp/p.csv")" -eq 4 ]
ok $? "--protocol poisson: x is rate_post_hz, one row per rate"
"$prog" --plot --ascii --preset cortical-slices-frequency --reps 50 --width 80 --height 24 >"$tmp/fplot" 2>/dev/null &&
	grep -q "pairing frequency (Hz)" "$tmp/fplot" && grep -q "sjostrom2001-frequency, SEM" "$tmp/fplot"
ok $? "--plot of the frequency preset names its axis and shows the data set the preset names"

"$prog" --plot --analytic --preset cortical-slices --freqs 1,20,50 --width 100 --height 30 >"$tmp/f4b" 2>/dev/null &&
	grep -q "50 Hz" "$tmp/f4b" && grep -q "20 Hz" "$tmp/f4b"
ok $? "--plot --freqs draws and names the curves at other frequencies (Fig. 4B)"

LC_ALL=C.UTF-8 "$prog" --plot --analytic --glyphs block --width 60 --height 20 >"$tmp/block" 2>/dev/null &&
	LC_ALL=C grep -q "$(printf '\342\226[\200-\237]')" "$tmp/block" &&
	! LC_ALL=C grep -q "$(printf '\342[\240-\243]')" "$tmp/block"
ok $? "--glyphs block draws quadrants, no braille"
"$prog" --batch --analytic --set tau_ca=30 --set post_min=2 >"$tmp/short.csv" 2>/dev/null &&
	"$prog" --batch --analytic --set tau_ca_ms=30 >"$tmp/long.csv" 2>/dev/null && cmp -s "$tmp/short.csv" "$tmp/long.csv"
ok $? "--set takes the panel's short names (tau_ca is tau_ca_ms)"
# Every short name --help gives (the explorer's panel shows them) is taken by --set.
all=0
"$prog" --help | sed -n 's/^  \([a-z_]*\) .*default \([-0-9.]*\):.*(short: \([a-z_]*\))$/\1 \2 \3/p' >"$tmp/short"
[ -s "$tmp/short" ] || all=1
while read -r name def short; do
	"$prog" --batch --analytic --set "$short=$def" >/dev/null 2>"$tmp/err" || {
		all=1
		echo "# --set $short=$def ($name): $(cat "$tmp/err")"
	}
done <"$tmp/short"
ok $all "--set takes every short name that --help and the panel show ($(wc -l <"$tmp/short") of them)"

# Bad input: every case names the parameter and its range, exit 2, nothing on stdout.
refuses "unknown parameter 'thetap'" --batch --set thetap=1
refuses "did you mean 'theta_p'" --batch --set thetap=1
refuses "did you mean 'tau_ca_ms'" --batch --set tau_Ca=20
refuses "--glyphs: 'dots' is unknown: use braille, block or ascii" --plot --glyphs dots
refuses "theta_p: '3 ms' is not a valid value" --batch --set "theta_p=3 ms"
refuses "tau_ca_ms: 'abc' is not a valid value: tau_ca_ms must be a number from 1 to 500 ms" --batch --set tau_ca_ms=abc
refuses "theta_d: 'nan' is not a valid value" --batch --set theta_d=nan
refuses "theta_d: 'inf' is not a valid value" --batch --set theta_d=inf
refuses "theta_p: 11 is out of range: theta_p must be a number from 0.01 to 10" --batch --set theta_p=11
refuses "reps: 0 is out of range: reps must be a whole number from 1 to 1000000" --batch --reps 0
refuses "seed: '-1' is not a valid value\|seed: -1 is out of range" --batch --seed -1
refuses "--set: 'theta_p' is not NAME=VALUE" --batch --set theta_p
refuses "dt_min_ms" --batch --set dt_min_ms=50 --set dt_max_ms=-50
refuses "threads: 'x' is not valid" --batch --threads x
refuses "threads: '0' is not valid" --batch --threads 0
refuses "unknown option" --batch --frobnicate
refuses "needs a value" --batch --reps
refuses "no preset named 'nosuch'" --batch --preset nosuch
refuses "cannot open" --batch --params "$tmp/missing.ini"
printf '[model]\ntheta_p = 3 ms\n' >"$tmp/bad.ini"
refuses "bad.ini:2:" --batch --params "$tmp/bad.ini"
refuses "method" --batch --method fast
refuses "freq_hz: 'x' is not a valid value" --plot --freqs 1,x
refuses "freq_hz: 500 is out of range" --plot --freqs 500
refuses "protocol: 'bogus' is not a valid value: protocol must be one of pairs, frequency, burst, poisson" --batch --protocol bogus
refuses "does not fit in one period" --batch --protocol burst --set burst_spikes=10 --set burst_isi_ms=100 --set freq_hz=5

# One mode per run: two modes, a repeated option and an option the mode does not use are refused.
refuses "--save and --batch are two modes" --save "$tmp/m.ini" --batch
refuses "--batch and --plot are two modes" --batch --plot
refuses "--list-presets and --batch are two modes" --list-presets --batch
refuses "--save given twice" --save "$tmp/a.ini" --save "$tmp/b.ini"
refuses "--threads given twice" --batch --threads 1 --threads 2
refuses "--set is not used by --list-presets" --list-presets --set theta_p=1
refuses "--version and --batch are two modes" -V --batch
refuses "unknown option '--foo'" -V --foo
refuses "--present is not used by --batch (only by the explorer and --lesson)" --batch --present
refuses "--width is not used by --batch (only by --plot)" --batch --width 80
refuses "--freqs is not used by --batch (only by --plot)" --batch --freqs 1,20
refuses "--analytic is not used by the explorer" --analytic
[ ! -e "$tmp/m.ini" ] && [ ! -e "$tmp/a.ini" ] && [ ! -e "$tmp/b.ini" ]
ok $? "a refused command line writes no file"
"$prog" --batch --analytic --reps 5 --reps 7 --set points=2 >"$tmp/r.csv" 2>/dev/null &&
	awk -F, 'NR == 2 { exit $7 != 0 }' "$tmp/r.csv"
ok $? "--set, --reps, --seed and --protocol may repeat (the last wins)"
grep -q "One mode per run" "$tmp/help" && grep -q "^  --plot  *--preset" "$tmp/help"
ok $? "--help states the one-mode rule and lists the options of each mode"

# Messages name the option and the problem; user text is escaped and cut.
refuses "unknown option '-x'" -xb
refuses "option '--batch' takes no value" --batch=1
refuses "option '--p' is ambiguous: it could be --plot, --preset, --params, --protocol, --present" --p
refuses "option '--pre' is ambiguous: it could be --preset, --present" --pre x
refuses "option '--reps' needs a value" --batch --reps
refuses "option '--reps' needs a value" --batch -r
refuses "--save: the file name is empty" --save ''
refuses "--params: the file name is empty" --batch --params ''
long=$(awk 'BEGIN { while (i++ < 8000) printf "9" }')
refuses "--reps: reps: '9999999999999999999999999999999999999999\.\.\.' is not a valid value" --batch --reps "$long"
[ "$(wc -c <"$tmp/err")" -lt 300 ]
ok $? "an 8000-byte value is cut in the message ($(wc -c <"$tmp/err") bytes)"
i=0 many=""
while [ $i -lt 70 ]; do many="$many --reps 3"; i=$((i + 1)); done
# shellcheck disable=SC2086
"$prog" --batch --analytic --set points=2 $many >/dev/null 2>"$tmp/err"
ok $? "70 times --reps is accepted (no fixed table of assignments)"
esc=$(printf 'theta_p=\033[31mred')
refuses 'theta_p: '\''\\e\[31mred'\'' is not a valid value' --batch --set "$esc"
! grep -q "$(printf '\033')" "$tmp/err"
ok $? "no raw escape byte reaches the terminal"
refuses 'unknown parameter '\''a\\tb'\''' --batch --set "$(printf 'a\tb=1')"
refuses "unexpected argument 'stray'" --batch stray
freqs=$(awk 'BEGIN { printf "1"; while (i++ < 300) printf "0"; printf ",20" }')
refuses "freq_hz: '1000000000000000000000000000000000000000\.\.\.' is not a valid value\|freq_hz: .* is out of range" --plot --freqs "$freqs"
refuses "at most 8 frequencies" --plot --freqs 1,2,3,4,5,6,7,8,9
refuses "an empty frequency" --plot --freqs 1,,2

# Saving like a careful editor: only regular files are replaced, links followed, owner and mode kept.
sv="$tmp/save"
mkdir "$sv"
if mknod "$sv/null" c 1 3 2>/dev/null; then
	refuses "it is a character device" --save "$sv/null"
	[ -c "$sv/null" ]
	ok $? "the device node made with mknod is still a device"
else
	echo "ok $((n = n + 1)) # SKIP --save over a device node: mknod needs root"
fi
mkfifo "$sv/fifo"
refuses "it is a FIFO" --save "$sv/fifo"
[ -p "$sv/fifo" ]
ok $? "the FIFO is still a FIFO"
mkdir "$sv/dir"
refuses "it is a directory" --save "$sv/dir"
"$prog" --save /dev/stdout </dev/null 2>"$tmp/err" | cat >/dev/null
grep -q "not saved: /dev/stdout: it is a FIFO" "$tmp/err"
ok $? "--save /dev/stdout into a pipe is refused: $(cat "$tmp/err")"
echo old >"$sv/target.ini"
chmod 0600 "$sv/target.ini"
ln -s target.ini "$sv/link.ini"
"$prog" --set theta_p=1.5 --save "$sv/link.ini" </dev/null 2>"$tmp/err"
ok $? "--save through a symbolic link"
[ -L "$sv/link.ini" ] && grep -q "^theta_p = 1.5" "$sv/target.ini" && [ "$(stat -c %a "$sv/target.ini")" = 600 ]
ok $? "the link stays a link; its target has the new text and keeps mode 0600"
echo old >"$sv/ro.ini"
chmod 0444 "$sv/ro.ini"
refuses "the file is read-only" --save "$sv/ro.ini"
[ "$(cat "$sv/ro.ini")" = old ]
ok $? "a 0444 file is refused (also as root) and unchanged"
if [ "$(id -u)" -eq 0 ] && chown nobody "$sv/target.ini" 2>/dev/null; then
	"$prog" --save "$sv/target.ini" </dev/null && [ "$(stat -c %U:%a "$sv/target.ini")" = nobody:600 ]
	ok $? "root saving over nobody's file: it stays nobody's, mode 600"
else
	echo "ok $((n = n + 1)) # SKIP owner kept: needs root to give a file to nobody"
fi
echo old >"$sv/full.ini"
(trap '' XFSZ; ulimit -f 1; exec "$prog" --set theta_p=1.5 --save "$sv/full.ini" </dev/null 2>"$tmp/err")
rc=$?
[ $rc -eq 1 ] && [ "$(cat "$sv/full.ini")" = old ] && grep -q "unchanged" "$tmp/err" && [ "$(ls -A "$sv" | grep -c '^\.')" -eq 0 ]
ok $? "a failed write (file size limit): exit 1, the old file intact, no temporary file (exit $rc)"

# Presets: the installed program looks only in its data folder and the user's; a user's preset
# with a built-in's name is saved with a warning, and both are listed.
cfg="$tmp/cfg"
mkdir -p "$cfg/calcium-stdp/params"
env -u CALCIUM_STDP_PARAMS XDG_CONFIG_HOME="$cfg" "$prog" --set theta_p=1.4 --save "$cfg/calcium-stdp/params/DP.ini" </dev/null 2>"$tmp/err"
ok $? "saving a preset under a built-in's name works"
# A package build leaves the build tree out of the program (make UNINSTALLED_CPPFLAGS=) and says
# so with CALCIUM_STDP_NO_BUILD_TREE=1: the program then has no built-in presets before it is
# installed, and the tests that need them skip.
if [ -n "${CALCIUM_STDP_NO_BUILD_TREE:-}" ]; then
	skip "a user's preset shadowing a built-in: this build knows no built-in presets until installed"
	skip "the shadowed built-in in --list-presets: as above"
else
	grep -q "warning: DP.ini has the name of a built-in preset: yours now comes first" "$tmp/err"
	ok $? "and warns that it shadows the built-in: $(cat "$tmp/err")"
	env -u CALCIUM_STDP_PARAMS XDG_CONFIG_HOME="$cfg" "$prog" --list-presets >"$tmp/list" 2>&1
	[ "$(grep -c '^DP ' "$tmp/list")" -eq 2 ] && grep '^DP ' "$tmp/list" | head -n 1 | grep -q "(yours)" &&
		grep '^DP ' "$tmp/list" | tail -n 1 | grep -q "not found by --preset"
	ok $? "--list-presets shows both DP presets, the built-in marked as shadowed"
fi
cp "$prog" "$tmp/installed-calcium-stdp"
env -u CALCIUM_STDP_PARAMS -u CALCIUM_STDP_DATADIR XDG_CONFIG_HOME="$tmp/empty" "$tmp/installed-calcium-stdp" --list-presets >"$tmp/list" 2>&1
env -u CALCIUM_STDP_PARAMS -u CALCIUM_STDP_DATADIR XDG_CONFIG_HOME="$tmp/empty" "$tmp/installed-calcium-stdp" --batch --analytic --preset DPD >/dev/null 2>&1
rc=$?
if [ -e "${PKGDATADIR:-/nonexistent}/params/DPD.ini" ]; then
	echo "ok $((n = n + 1)) # SKIP presets are installed in $PKGDATADIR: a copy would find those"
else
	! grep -q "^DPD " "$tmp/list" && [ $rc -eq 2 ]
	ok $? "a copy outside the build folder does not find the source tree's presets (exit $rc)"
fi
if [ -n "${CALCIUM_STDP_NO_BUILD_TREE:-}" ]; then
	skip "the uninstalled program and the source tree's presets: this build leaves the build tree out"
else
	env -u CALCIUM_STDP_PARAMS -u CALCIUM_STDP_DATADIR XDG_CONFIG_HOME="$tmp/empty" "$prog" --list-presets 2>&1 | grep -q "^DPD "
	ok $? "the program in its build folder (uninstalled) finds the source tree's presets"
fi

# The explorer needs a terminal.
"$prog" </dev/null >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] && grep -q -- "--batch" "$tmp/err"
ok $? "without a terminal the explorer refuses and points to --batch (exit $rc)"

# --plot draws a text plot of the requested size.
"$prog" --plot --analytic --ascii --width 80 --height 24 >"$tmp/plot" 2>"$tmp/err"
ok $? "--plot --analytic runs"
[ "$(wc -l <"$tmp/plot")" -eq 24 ] && [ "$(awk '{ if (length($0) > m) m = length($0) } END { print m }' "$tmp/plot")" -eq 80 ]
ok $? "--plot --width 80 --height 24 prints 24 lines of 80 columns"
grep -q "dt" "$tmp/plot" && grep -q "^1\.[0-9] +" "$tmp/plot"
ok $? "--plot shows axis labels and ticks"

# The man page documents every option of --help and every parameter.
if [ -n "${MAN_PAGE:-}" ] && [ -f "$MAN_PAGE" ]; then
	missing=""
	for opt in $(grep -o -- '--[a-z][a-z-]*' "$tmp/help" | sort -u); do
		esc=$(printf '%s' "$opt" | sed 's/-/\\\\-/g')
		grep -q -- "$esc" "$MAN_PAGE" || missing="$missing $opt"
	done
	[ -z "$missing" ]
	ok $? "the man page documents every option of --help${missing:+ (missing:$missing)}"
	missing=""
	for name in $("$prog" --help | awk '/^Parameter names/ { on = 1; next } on && /^  [a-z]/ { print $1 }'); do
		grep -q "^\.B $name\$" "$MAN_PAGE" || missing="$missing $name"
	done
	[ -z "$missing" ]
	ok $? "the man page documents every parameter${missing:+ (missing:$missing)}"
	if command -v man >/dev/null 2>&1; then
		warn=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l "$MAN_PAGE" 2>&1 >/dev/null)
		[ -z "$warn" ]
		ok $? "the man page renders without warnings${warn:+: $warn}"
	fi
fi

echo "1..$n"
[ $failed -eq 0 ]
