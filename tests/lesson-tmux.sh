#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Lessons in the explorer, end to end in tmux: lessons/why-the-curve.lesson played through every
# step forward and back, each step's caption on the screen, and every step's state after going back
# exactly the one it had going forward (parameters bit for bit, view, cursor, pins), through the undo
# history, even after exploring in between; leaving a lesson, recording one by doing it, and the
# Brian2 export key. TAP output.
#
# The exact state comes from the explorer's test hook CALCIUM_STDP_LESSON_LOG=PATH: each step shown
# appends a line "step K HOW: view=... cursor=... pins=... preset=... NAME=VALUE..." with every
# parameter's exact value, HOW saying whether the parameters came from the undo history or were
# applied anew.

PROG=${CALCIUM_STDP:-./calcium-stdp}
TMUX_BIN=${TMUX_BIN:-tmux}
here=$(cd "$(dirname "$0")" && pwd)
PARAMS_DIR=${CALCIUM_STDP_PARAMS:-$here/../params}
lesson=$here/../lessons/why-the-curve.lesson

name=lesson-tmux
. "$here/tmux-lib.sh"
mkdir -p "$tmp/cwd" "$tmp/config"
log=$tmp/steps.log

# launch COLS ROWS ARGS...: the explorer in a new tmux server, "EXIT=<status>" after it.
launch() {
	cols=$1
	rows=$2
	shift 2
	sock=$((sock + 1))
	T new-session -d -x "$cols" -y "$rows" \
		"cd '$tmp/cwd' && env -u NO_COLOR LC_ALL=C.UTF-8 TERM=xterm-256color CALCIUM_STDP_PARAMS='$PARAMS_DIR' \
		 XDG_CONFIG_HOME='$tmp/config' CALCIUM_STDP_LESSON_LOG='$log' '$PROG' $*; echo EXIT=\$?; exec sleep 600"
}
# The log's line for step K, the Nth such line (without HOW), and its HOW.
state() { grep "^step $1 " "$log" | sed -n "${2}p" | sed 's/^step [0-9]* [a-z]*://'; }
how() { grep "^step $1 " "$log" | sed -n "${2}p" | cut -d' ' -f3 | tr -d :; }
count() { grep -c "^step $1 " "$log"; }
# Only the parameters of that line.
params() { state "$1" "$2" | sed 's/.* preset=[^ ]* //'; }
# q, and y when the explorer asks about unsaved changes; then its exit status on the screen.
quit_explorer() {
	keys q
	wait_until sh -c "'$TMUX_BIN' -L 'cstdp-$name-$$-$sock' capture-pane -p | grep -q -e EXIT= -e 'quit anyway'"
	has "quit anyway" && keys y
	wait_for "EXIT="
}
# The first caption line of step K as --check prints it (first 40 characters).
caption() {
	"$PROG" --lesson "$lesson" --check | awk -v k="$1" '/^step /{s++} s==k && /^  \| /{print substr($0, 5, 40); exit}'
}

# A bad lesson is refused with FILE:LINE before anything is shown.
printf 'title bad\nset theta_p=99\nwait key\n' >"$tmp/bad.lesson"
"$PROG" --lesson "$tmp/bad.lesson" </dev/null >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] && grep -q "bad.lesson:2: " "$tmp/err" && [ ! -s "$tmp/out" ]
ok $? "a lesson with a bad step is refused with FILE:LINE and exit 2 ($(head -c 120 "$tmp/err"))"

total=$("$PROG" --lesson "$lesson" --check | sed -n '1s/.*: \([0-9]*\) steps$/\1/p')
[ "$total" -gt 5 ] 2>/dev/null
ok $? "the lesson has $total steps"

launch 80 24 --lesson "$lesson"
wait_for "Lesson 1/$total"
ok $? "the lesson starts at its first step, its heading under the plot"
c=$(caption 1)
wait_for "$c"
ok $? "step 1's caption is shown ($c)"

# Forward through every step.
k=1
fwd=0
while [ $k -lt "$total" ]; do
	k=$((k + 1))
	keys Space
	wait_for "Lesson $k/$total" && wait_for "$(caption $k)" || fwd=$((fwd + 1))
done
ok $fwd "space went forward through all $total steps, each with its caption"
keys Right
wait_for "the end of the lesson"
ok $? "past the last step: the end of the lesson is said, nothing else happens"

# Back through every step: each restored exactly, through the undo history.
bad=0
k=$total
while [ $k -gt 1 ]; do
	k=$((k - 1))
	keys Left
	wait_for "Lesson $k/$total" && wait_for "$(caption $k)" || bad=$((bad + 1))
	wait_until test "$(count $k)" -ge 2
	if [ "$(state $k 1)" != "$(state $k 2)" ]; then
		bad=$((bad + 1))
		echo "# step $k forward: $(state $k 1)"
		echo "# step $k back:    $(state $k 2)"
	fi
	[ "$(how $k 2)" = history ] || { bad=$((bad + 1)) && echo "# step $k back: $(how $k 2)"; }
done
ok $bad "Left went back through every step, each with its parameters, view, cursor and pins exactly as before, from the undo history"

# What the steps hold is the lesson's: spot checks against lessons/why-the-curve.lesson.
s1=$(state 1 1)
s8=$(state 8 1)
s9=$(state 9 1)
case "$s1" in *" view=calcium "*" theta_p=1.3 "*"gamma_p=321.808 "*) r=0 ;; *) r=1 ;; esac
case "$s8" in *" pins=1 "*" c_post=2 "*" theta_p=1.6 "*) ;; *) r=1 ;; esac
case "$s9" in *" pins=1 "*" c_post=1.2 "*" theta_p=1.3 "*) ;; *) r=1 ;; esac
[ "$(params 7 1)" = "$(params 11 1)" ] && [ "$(params 1 1)" = "$(params 11 1)" ] || r=1
ok $r "the steps hold the lesson's sets (DP; theta_p 1.6 with a pin; c_post 1.2; back to DP)"

# Exploring between steps: a slider moved at step 3, on to 4, back to 3: the lesson's step 3 again.
keys Space Space
wait_for "Lesson 3/$total"
keys l l
wait_for "theta_d *   1.02"
ok $? "at a step the explorer is usable: l steps the selected slider (theta_d 1.02)"
keys Space
wait_for "Lesson 4/$total"
keys Left
wait_for "Lesson 3/$total"
wait_until test "$(count 3)" -ge 4
[ "$(state 3 4)" = "$(state 3 1)" ] && [ "$(how 3 4)" = history ]
ok $? "a slider moved at a step is undone when the lesson comes back to it ($(how 3 4))"

# The history no longer holding a step: it is applied anew, the same.
keys Left Left
wait_for "Lesson 1/$total"
keys u l
sleep 0.3
keys Space
wait_for "Lesson 2/$total"
keys Left
wait_for "Lesson 1/$total"
wait_until test "$(count 1)" -ge 4
last=$(count 1)
[ "$(state 1 "$last")" = "$(state 1 1)" ] && [ "$(how 1 "$last")" = applied ]
ok $? "a step whose undo entry was replaced is applied anew, exactly ($(how 1 "$last"))"

# Other keys stay the explorer's: the map opens and the lesson goes on from it.
keys m
wait_for "map of curve classes"
keys Space
wait_for "Lesson 2/$total"
ok $? "every other key is the explorer's (the map), and space goes on with the lesson"

# q leaves the lesson, a second q quits.
keys q
wait_for "left the lesson"
wait_gone() { wait_until lacks "$1"; }
wait_gone "Lesson 2/$total"
ok $? "q leaves the lesson: its caption lines are gone, the explorer stays"
quit_explorer
has "EXIT=0"
ok $? "a second q quits"

# A preset with a data set: the data come with it, as from the preset picker.
launch 100 30 --lesson "$here/../lessons/rate-vs-timing.lesson"
wait_for "Lesson 1/"
keys Space
wait_for "Lesson 2/"
wait_for "sjostrom2001-frequency"
ok $? "a step loading a preset with a data set draws its data (rate-vs-timing, step 2)"
keys Left
wait_for "Lesson 1/"
wait_gone "sjostrom2001-frequency"
ok $? "and back at the step before, that preset's data set goes with it"
quit_explorer

# A timed wait goes on by itself; any key first cancels it.
printf 'title timed\ncaption The first step.\nwait 0.5\ncaption The second step.\nwait key\n' >"$tmp/timed.lesson"
launch 80 24 --lesson "$tmp/timed.lesson"
wait_for "The second step."
ok $? "a step that waits seconds goes on by itself"
quit_explorer
printf 'title timed\ncaption The first step.\nwait 1.5\ncaption The second step.\nwait key\n' >"$tmp/timed.lesson"
launch 80 24 --lesson "$tmp/timed.lesson"
wait_for "on by itself in 1.5 s"
keys j
wait_gone "on by itself"
sleep 2.5
has "The first step." && lacks "The second step."
ok $? "a key during a timed wait cancels it: the lesson waits for space"
keys Space
wait_for "The second step."
ok $? "and space goes on"
quit_explorer

# Recording: W starts (a new file), w adds the screen as a step with its caption, W stops.
rm -f "$log"
launch 80 24 --preset DPD
wait_for "DPD"
keys W
wait_for "record a lesson to"
keys C-u "$tmp/rec.lesson" Enter
wait_for "Recording: 0 steps"
ok $? "W asks for a file and starts recording (shown under the plot)"
keys c . .
sleep 0.3
keys w
wait_for "caption"
keys "The calcium near +10 ms | and its thresholds" Enter
wait_for "Recording: 1 step "
keys Escape l l P
sleep 0.3
keys w
wait_for "caption"
keys Enter
wait_for "Recording: 2 steps"
keys W
wait_for "recorded 2 steps"
ok $? "w records the screen as a step (twice), W stops"
"$PROG" --lesson "$tmp/rec.lesson" --check >"$tmp/check" 2>&1
r=$?
grep -q "^step 1 .*view calcium" "$tmp/check" && grep -q "  | The calcium near +10 ms$" "$tmp/check" &&
	grep -q "  | and its thresholds$" "$tmp/check" && grep -q "^step 2 .*presentation" "$tmp/check" &&
	grep -q "^preset DPD$" "$tmp/rec.lesson"
ok $((r + $?)) "the recorded file is a valid lesson of those steps (preset, view, caption, presentation)"
keys B
wait_for "Brian2 script to"
keys C-u "$tmp/dpd.py" Enter
wait_for "Brian2 script in"
grep -q "^theta_p = " "$tmp/dpd.py" && grep -q -- "--preset DPD" "$tmp/dpd.py"
ok $? "B exports a Brian2 script of the set shown, the command line in it and on the screen"
quit_explorer
has "EXIT=0"
ok $? "the explorer quits after a recording"

# Played back, the recorded lesson shows the state it was recorded in.
rm -f "$log"
launch 80 24 --lesson "$tmp/rec.lesson"
wait_for "The calcium near +10 ms"
keys Space
wait_for "Lesson 2/2"
wait_until test -s "$log" && wait_until test "$(count 2)" -ge 1
case "$(state 2 1)" in *" view=curve present=1 "*" preset=DPD "*) r=0 ;; *) r=1 ;; esac
ok $r "the recorded lesson plays back: step 2 in presentation mode on DPD"
keys q
wait_for "left the lesson"
quit_explorer

echo "1..$n"
[ $failed -eq 0 ]
