#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The explorer with measured data, pinned and compared curves, undo and redo, and a fit in the
# background: the real program in a detached tmux session on a private socket, read back with
# capture-pane. TAP output. CALCIUM_STDP, TMUX_BIN, CALCIUM_STDP_PARAMS, CALCIUM_STDP_DATA as in
# explorer-tmux.sh.
PROG=${CALCIUM_STDP:-./calcium-stdp}
TMUX_BIN=${TMUX_BIN:-tmux}
here=$(cd "$(dirname "$0")" && pwd)
PARAMS_DIR=${CALCIUM_STDP_PARAMS:-$here/../params}
DATA_DIR=${CALCIUM_STDP_DATA:-$here/../data}
name=data-tmux
. "$here/tmux-lib.sh"

# start ARGS...: the explorer at 100x34 in a UTF-8 locale; the shell reports its exit status.
start() {
	T kill-server 2>/dev/null
	sock=$((sock + 1))
	T new-session -d -x 100 -y 34 "env LC_ALL=C.UTF-8 TERM=xterm-256color CALCIUM_STDP_PARAMS='$PARAMS_DIR' \
		CALCIUM_STDP_DATA='$DATA_DIR' XDG_CONFIG_HOME='$tmp' '$PROG' $*; echo EXIT=\$?; exec sleep 600"
}

# ---- the preset's data set, pins, undo and redo ----
start --preset cortical-slices-frequency --reps 20
wait_for "| done"
has "sjostrom2001-frequency, SEM (6 of 10 rows elsewhere)"
ok $? "the preset's data set is drawn, its legend counting the rows elsewhere (-10 ms, 0.1 Hz)"

# has_legend K TEXT: pin K's legend entry ("pin K: TEXT", or with a curve "pin K (points K): TEXT").
has_legend() { has "pin $1: $2" || has "pin $1 (points $1): $2"; }
keys i
wait_for "pinned the curve (1 of 4)"
ok $? "i pins the curve"
keys j L L
wait_until has_legend 1 "theta_p 1.3 -> 1.5"
ok $? "the pin stays while theta_p moves; its legend says what differs"
keys i
wait_until has_legend 2 "same parameters" && has_legend 1 "theta_p 1.3 -> 1.5"
ok $? "a second pin, with the first still there"
keys I
wait_until lacks "pin 1:" && wait_for "pinned curves cleared"
ok $? "I clears the pins"

keys u
wait_for "undone: theta_p" && has "theta_p     1.30"
ok $? "u undoes the two coarse steps of theta_p at once"
keys U
wait_for "redone: theta_p" && has "theta_p *   1.50"
ok $? "U redoes them"

# ---- a fit in the background, then undone ----
keys u
wait_for "undone: theta_p"
keys t
wait_for "theta_p joins the fit (1 marked; F fits)"
ok $? "t marks the selected parameter for the fit"
keys k t
wait_for "theta_d joins the fit (2 marked" && has "│ftheta_p"
ok $? "a marked slider shows an f"
keys G t
wait_for "step_ms cannot be fitted"
ok $? "a simulation parameter cannot be marked"
keys F
wait_for "fit of 2 parameters to 10 data rows"
ok $? "F fits in the background; the report shows when it is done"
has "degrees of freedom; p =" && has "95% [" && has "theta_p" && has "theta_d"
ok $? "the report gives chi^2, dof, p-value and intervals"
keys Escape
wait_until lacks "fit of 2 parameters" && wait_for "theta_p *"
ok $? "any key closes it; the sliders moved to the fit"
keys u
wait_for "undone: fit" && wait_until lacks "theta_p *"
ok $? "u undoes the fit"

# ---- a preset load is undone with its reference ----
keys p
wait_for "DPD"
keys g
keys Enter
wait_for " cortical-slices-distal | reps" && wait_until lacks "sjostrom2001-frequency"
ok $? "loading the first preset, cortical-slices-distal (no data line), drops the last one's data set"
keys u
wait_for "undone: preset cortical-slices-distal" && has "in cortical-slices-frequency:" &&
	has "sjostrom2001-frequency, SEM"
ok $? "u undoes the preset load: the values, the preset's name and its data set come back"
keys s C-u
keys -l withdata
keys Enter
wait_for "saved " && grep -q "^; data: .*sjostrom2001-frequency.csv" "$tmp/calcium-stdp/params/withdata.ini"
ok $? "s saves the set with a data line naming the data set shown"
keys q
wait_for "EXIT=0"
ok $? "q exits with status 0"

# ---- undoing a preset load from a start without data takes its data set away ----
start --reps 20
wait_for "| done"
keys p
wait_for "DPD"
keys g Down
keys Enter
wait_for "sjostrom2001-frequency, SEM"
ok $? "a preset with a data set, loaded over the defaults, draws it"
keys u
wait_for "undone: preset cortical-slices-frequency" && wait_until lacks "sjostrom2001-frequency"
ok $? "u undoes the load: the defaults come back without the preset's data set"
keys s C-u
keys -l nodata
keys Enter
wait_for "saved " && ! grep -q "^; data:" "$tmp/calcium-stdp/params/nodata.ini"
ok $? "and a save then names no data set"
keys U
wait_for "redone: preset cortical-slices-frequency" && wait_for "sjostrom2001-frequency, SEM"
ok $? "U redoes it, with the data set"
keys q y
wait_for "EXIT=0"

# ---- --compare and --data in the explorer; no data to fit ----
start --preset DP --reps 20 --compare "$PARAMS_DIR/DPD.ini" --data "$DATA_DIR/markram1997-frequency.csv"
wait_for "| done"
has "DPD (analytic)" && has "markram1997-frequency, SEM (7 of 7 rows elsewhere)"
ok $? "--compare draws the set's curve, --data its points, each with a legend entry"
keys q
wait_for "EXIT=0"
start --preset cortical-slices-rates --reps 10 --compare "$PARAMS_DIR/DP.ini"
wait_for "DP (analytic)"
ok $? "Poisson trains: the compared set's curve comes from a background job"
keys q
wait_for "EXIT=0"
# A fit of eight parameters to 17 rows takes a few hundred milliseconds: its progress shows.
start --preset cortical-slices-frequency --reps 10 --data "$DATA_DIR/sjostrom2001-frequency.csv" \
	--data "$DATA_DIR/markram1997-frequency.csv"
wait_for "| done"
keys g t j t j t j t j t j t j t j t
wait_for "8 marked"
keys F
wait_for "computing a fit"
ok $? "while the fit runs the status line shows its progress"
wait_for "fit of 8 parameters to 17 data rows"
ok $? "and its report comes when it is done"
keys Escape
wait_until lacks "fit of 8"
keys u
wait_for "undone: fit"
keys q
wait_for "EXIT=0"
start --preset DP --reps 20
wait_for "| done"
keys j t F
wait_for "no measured data to fit"
ok $? "F without data says what is missing"
keys q
wait_for "EXIT=0"

echo "1..$n"
[ $failed -eq 0 ]
