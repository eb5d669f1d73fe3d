#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The explorer on the 2016/2020 model family (efficacy = weight), in a detached tmux session as a
# person would see it, and simulated maps of weight sets. TAP output.
#
# CALCIUM_STDP: the program (default ./calcium-stdp); TMUX_BIN: tmux (default tmux);
# CALCIUM_STDP_PARAMS: the preset folder (default: params/ next to this script's folder).
# CALCIUM_STDP_DUMP=PATH makes the explorer write the curve shown, in --batch's CSV format, once a
# run completes (see explorer-tmux.sh).

PROG=${CALCIUM_STDP:-./calcium-stdp}
TMUX_BIN=${TMUX_BIN:-tmux}
here=$(cd "$(dirname "$0")" && pwd)
PARAMS_DIR=${CALCIUM_STDP_PARAMS:-$here/../params}

name=family-tmux
. "$here/tmux-lib.sh"
mkdir -p "$tmp/config"

launch() {
	envs="LC_ALL=C.UTF-8 TERM=xterm-256color CALCIUM_STDP_PARAMS='$PARAMS_DIR' XDG_CONFIG_HOME='$tmp/config'"
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		envs="$envs '$1'"
		shift
	done
	[ "$1" = "--" ] && shift
	sock=$((sock + 1))
	T new-session -d -x 110 -y 32 "cd '$tmp' && env -u NO_COLOR $envs '$PROG' $*; echo EXIT=\$?; exec sleep 600"
}
has_all() {
	cap=$(screen)
	for t in "$@"; do
		case $cap in *"$t"*) ;; *) return 1 ;; esac
	done
}
lacks_all() {
	cap=$(screen)
	for t in "$@"; do
		case $cap in *"$t"*) return 1 ;; esac
	done
}

# ---- a 2020 preset on its presentation protocol: exact points, as --batch prints them ----
launch "CALCIUM_STDP_DUMP=$tmp/dump.csv" -- --preset deperrois2020-visual
wait_until test -s "$tmp/dump.csv"
ok $? "deperrois2020-visual loads in the explorer and its run completes"
"$PROG" --batch --preset deperrois2020-visual >"$tmp/batch.csv" 2>/dev/null
cmp -s "$tmp/dump.csv" "$tmp/batch.csv"
ok $? "the curve shown is the one --batch prints, byte for byte (exact values, method exact)"
wait_for "exact 100/100 points"
ok $? "the status line counts exact points, not repetitions"
has "exact (deterministic weight model)" && lacks_all "analytic (OU" "simulation, 95%"
ok $? "the legend says exact, as --plot's does, and names no approximation or simulation"
has "c calcium" && has "v efficacy" && has "q quit"
ok $? "the hint line offers the calcium and efficacy views"
has "efficacy  weight" && has "std_u" && has "tau_rec" && lacks_all "sigma" "rho_star"
ok $? "the sliders show the 2020 parameters and hide the bistable model's noise and rho_star"
has "sjostrom2001-presentations, SEM (5 of 10 rows elsewhere)"
ok $? "the preset's data rows carry the presentations (15 of 5 pairs every 10 s): the 5 rows at +10 ms are on the curve"
keys j t
wait_for "theta_p joins"
keys F
wait_for "chi^2 11.32 before"
ok $? "the explorer's fit of theta_p starts from the authors' chi^2 on that protocol (11.32)"
keys Escape
wait_until lacks "chi^2 11.32 before"
keys u
wait_for "undone"
keys c
wait_for "dotted: x, presynaptic resources"
ok $? "the calcium view opens with the depression variable x"
screen | grep -q "5 pre transients: first 0.766, last 0.375"
ok $? "it shows the depressed presynaptic transients of the first presentation (0.766 down to 0.375)"
keys v
wait_for "change w / w0"
row=$(awk -F, 'NR == 52 { print $2 }' "$tmp/batch.csv")
want=$(printf '%.6f' "$row")
has "w / w0 $want (exact)"
ok $? "the efficacy view's w(t) ends at the exact change of the point under the cursor ($want)"
keys Escape
keys m
wait_until has_all "map of curve classes" "exact at the map cursor"
ok $? "the map view opens on the weight set, with the cursor cell's exact curve"
wait_until has "theta_p up ("
[ "$(screen | grep -c " DP  DP  DP ")" -gt 0 ] && [ "$(screen | grep -c " P   P   P ")" -gt 0 ]
ok $? "its cells are the exact curves' classes (DP above, P below on theta_p)"
T kill-server 2>/dev/null

# ---- a post spike at the time of a pre transient is not counted in its size ----
launch -- --preset deperrois2020-somatosensory-nonlinear
wait_for "exact 100/100 points"
keys c
wait_for "pre transients: first"
# c_pre w0 U = 0.931917611 x 0.5 x 0.46 = 0.2143 (the post spike comes with it: dt = delay = 5 ms)
has "5 pre transients: first 0.214, last"
ok $? "the first presynaptic transient is c_pre w0 U (0.214), without the post spike that coincides with it"
T kill-server 2>/dev/null

# ---- the sliders follow the model: tau_rec appears once depression acts ----
launch -- --preset deperrois2020-visual-nostd
wait_for "exact 100/100 points"
has "std_u" && lacks "tau_rec"
ok $? "without depression (std_u 0) the panel has no tau_rec slider"
keys j j j j j j j j j j j
wait_for ">std_u"
keys l
wait_for "tau_rec"
ok $? "a step of std_u above 0 brings tau_rec into the panel"
keys +
wait_for "no repetitions to add"
ok $? "+ says that exact values have no repetitions to add"
T kill-server 2>/dev/null

# ---- the 2016 irregular protocol: trials streamed with intervals ----
launch "CALCIUM_STDP_DUMP=$tmp/dump2.csv" -- --preset graupner2016-nonlinear --reps 500
wait_until test -s "$tmp/dump2.csv"
ok $? "graupner2016-nonlinear (irregular pairs) completes in the explorer"
"$PROG" --batch --preset graupner2016-nonlinear --reps 500 >"$tmp/batch2.csv" 2>/dev/null
cmp -s "$tmp/dump2.csv" "$tmp/batch2.csv"
ok $? "its means over 500 trials and their intervals are --batch's, byte for byte"
has "trials 500/500" && has "mean over trials, 95% interval"
ok $? "the status counts trials and the legend says means over trials"
keys v
wait_for "in this trial"
ok $? "the efficacy view shows w(t) of a sample trial"
keys Escape
keys q
wait_for "EXIT=0"
ok $? "q quits with status 0 (under the sanitizers: nothing leaked)"
T kill-server 2>/dev/null
launch -- --preset graupner2016-linear --reps 100 --set points=21
wait_for "trials 100/100"
keys m
wait_for "map of curve classes"
wait_until has "cursor theta_d = 1, theta_p = 2.00928899: DPD"
ok $? "the map view classifies the means over trials of a weight set on irregular trains (DPD at the preset)"
T kill-server 2>/dev/null

# ---- data rows with the presentation structure, and --fit ----
"$PROG" --fit gamma_d,gamma_p,theta_p,c_pre,c_post --preset deperrois2020-visual >"$tmp/fit.out" 2>&1
grep -q "data: .*sjostrom2001-presentations.csv, 10 rows" "$tmp/fit.out" && grep -q "chi^2 11.32 before, 7.62 after" "$tmp/fit.out"
ok $? "--fit of five parameters of the 2020 visual set on its protocol: chi^2 11.32 (the authors' set) to 7.62"
"$PROG" --plot --ascii --preset deperrois2020-visual --data "$here/../data/sjostrom2001-frequency.csv" >"$tmp/p75" 2>&1
grep -q "sjostrom2001-frequency, SEM (10 of 10 rows elsewhere)" "$tmp/p75"
ok $? "rows that say 75 pairs (the 2012 modelling) are not this protocol: none is drawn on its curve"

printf 'dt_ms,change,sem\n-10,0.9,0.05\n10,1.1,0.05\n' >"$tmp/irr.csv"
"$PROG" --preset graupner2016-linear --fit theta_p --data "$tmp/irr.csv" >"$tmp/fit3.out" 2>&1
[ $? -eq 2 ] && grep -q "the irregular protocol cannot be fitted to data rows" "$tmp/fit3.out" && ! grep -q "chi^2" "$tmp/fit3.out"
ok $? "a fit on irregular trains, which have no analytic curve, is refused (it printed a chi^2 of 2e+06 before)"

# ---- simulated maps of weight sets ----
"$PROG" --batch --preset deperrois2020-visual --map theta_p=1.4:1.8:3 --map gamma_p=400:700:2 >"$tmp/sim.csv" 2>"$tmp/err"
s=$?
"$PROG" --batch --analytic --preset deperrois2020-visual --map theta_p=1.4:1.8:3 --map gamma_p=400:700:2 >"$tmp/ana.csv" 2>>"$tmp/err"
[ $s -eq 0 ] && [ $? -eq 0 ] && cmp -s "$tmp/sim.csv" "$tmp/ana.csv" && grep -q ',DP,' "$tmp/sim.csv" && grep -q ',P,' "$tmp/sim.csv"
ok $? "a map of a weight set on regular trains is the same in simulated and exact (--analytic) mode, with its DP and P cells"
"$PROG" --batch --preset graupner2016-linear --set points=11 --reps 200 --map theta_p=1.8:2.2:2 --map gamma_p=400:700:2 >"$tmp/irr.csv" 2>"$tmp/err"
[ $? -eq 0 ] && [ "$(sed 1d "$tmp/irr.csv" | wc -l)" -eq 4 ] &&
	sed 1d "$tmp/irr.csv" | awk -F, '$3 == "flat" && $4 == 1 && $6 == 1 { bad = 1 } $8 < 0 || $8 > 1 { bad = 1 } END { exit bad }' &&
	grep -q ',D,' "$tmp/irr.csv"
ok $? "a simulated map of a weight set on irregular trains classifies the means over trials (not the bistable counts, which it has none of)"
"$PROG" --batch --analytic --preset graupner2016-linear --map theta_p=1.8:2.2:2 --map gamma_p=400:700:2 >/dev/null 2>"$tmp/err"
[ $? -ne 0 ] && grep -q "no analytic approximation for random trains" "$tmp/err"
ok $? "--analytic maps of a weight set on random trains are refused with the reason"

"$PROG" --batch --analytic --preset cortical-slices --protocol irregular --set points=5 --map theta_p=1.8:2.2:2 --map gamma_p=400:700:2 >"$tmp/bi.csv" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "the irregular protocols have no analytic approximation" "$tmp/err" && ! grep -q ',D,' "$tmp/bi.csv"
ok $? "so are --analytic maps of the bistable model on irregular trains (they printed class D with changes of 0)"

echo "1..$n"
[ "$failed" -eq 0 ]
