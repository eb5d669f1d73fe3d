#!/bin/sh
# The explorer's map of curve classes, end to end in tmux: m opens it around the current set
# (theta_d x theta_p), the analytic classes fill in within 0.2 s, the current set is marked, moving
# the map cursor redraws the plot with that cell's curve at once, Enter loads the cell, x and y
# change the parameters, Esc closes it; without colour the letters still say the classes. TAP.
PROG=${CALCIUM_STDP:-./calcium-stdp}
TMUX_BIN=${TMUX_BIN:-tmux}
here=$(cd "$(dirname "$0")" && pwd)
PARAMS_DIR=${CALCIUM_STDP_PARAMS:-$here/../params}
if ! command -v "$TMUX_BIN" >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux is not installed"
	exit 0
fi
case $PROG in /*) ;; *) PROG=$(pwd)/$PROG ;; esac
unset TMUX
# A build machine (a package builder's chroot) may have tmux but no pseudo-terminals to give it.
if ! "$TMUX_BIN" -L "cstdp-map-probe-$$" -f /dev/null new-session -d "exit 0" 2>/dev/null; then
	echo "1..0 # SKIP tmux cannot open a terminal here (no pseudo-terminals?)"
	exit 0
fi
"$TMUX_BIN" -L "cstdp-map-probe-$$" kill-server 2>/dev/null
tmp=$(mktemp -d "${TMPDIR:-/tmp}/map-tmux.XXXXXX") || exit 1
sock=0 # one server per start, on its own socket
T() { "$TMUX_BIN" -L "cstdp-map-$$-$sock" -f /dev/null "$@"; }
trap 'T kill-server 2>/dev/null; sock=1; T kill-server 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP
n=0 failed=0
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
		T capture-pane -p 2>/dev/null | sed 's/^/#   |/'
	fi
}
screen() { T capture-pane -p 2>/dev/null; }
wait_until() { # poll every 0.05 s for up to 10 s
	i=0
	while [ $i -lt 200 ]; do
		"$@" && return 0
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}
has() { screen | grep -qF -- "$1"; }
lacks() { ! has "$1"; }
# The plot's rows (the box's top part), to see the curve change.
plot_rows() { screen | sed -n '3,12p' | cut -c36-; }

start() { # start [VAR=VALUE...]: the explorer at 100 x 34
	T kill-server 2>/dev/null
	sock=$((sock + 1))
	T new-session -d -x 100 -y 34 "env LC_ALL=C.UTF-8 TERM=xterm-256color CALCIUM_STDP_PARAMS='$PARAMS_DIR' $* '$PROG' --reps 40 --seed 3; sleep 600"
	wait_until has "reps 40/40"
}

start
T send-keys m
wait_until has "map of curve classes: theta_d across, theta_p up ("
ok $? "m opens the map: theta_d across, theta_p up"
ms=$(screen | sed -n 's/.*theta_p up (\([0-9]*\) ms).*/\1/p' | head -n 1)
[ -n "$ms" ] && [ "$ms" -lt 200 ]
ok $? "the analytic map filled in within 0.2 s (${ms:-?} ms, computed off the loop thread)"
has "*DP " && has "cursor theta_d = 1, theta_p = 1.3: DP "
ok $? "the current set (DP) is marked with * and the cursor starts on it"
screen | grep -q "^│.*│.*  *1.3 .*D .*DPD.*\*DP .*P " && has "DPD" && has " P   P"
ok $? "cells show their classes: D, DPD, DP, P across the theta_p = 1.3 row"
has "analytic at the map cursor"
ok $? "the plot's analytic curve is the map cursor's cell"
before=$(plot_rows)
T send-keys Right Up
wait_until has "cursor theta_d = 1.05, theta_p = 1.4: DPD"
ok $? "arrows move the map cursor (Right, Up: theta_d 1.05, theta_p 1.4, class DPD)"
wait_until test "$(plot_rows)" != "$before"
ok $? "the plot shows the new cell's curve at once"
T send-keys Enter
wait_until has "loaded theta_d = 1.05, theta_p = 1.4"
ok $? "Enter loads the cell"
screen | grep -q "theta_d \*  *1.05 " && screen | grep -q "theta_p \*  *1.40 "
ok $? "the sliders show the loaded values, marked as changed"
wait_until has "reps 40/40"
ok $? "the simulation ran the loaded set"
T send-keys x
wait_until has "map of curve classes: gamma_d across, theta_p up ("
ok $? "x puts the next parameter (gamma_d) across"
T send-keys y
wait_until has "map of curve classes: gamma_d across, gamma_p up ("
ok $? "y puts the next free parameter (gamma_p) up"
T send-keys Escape
wait_until lacks "map of curve classes"
ok $? "Esc closes the map"
has "analytic (OU approximation)" || has "analytic (OU)"
ok $? "the plot's analytic curve is the current set's again"

start NO_COLOR=1
T send-keys m
wait_until has "map of curve classes: theta_d across"
screen | grep -q "DPD" && has "*DP " && has " D   D"
ok $? "without colour (NO_COLOR) the letters still show every class and the mark"

echo "1..$n"
[ $failed -eq 0 ]
