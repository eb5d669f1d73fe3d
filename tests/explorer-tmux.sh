#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# End-to-end tests of the explorer: the real program in a detached tmux session, driven with
# send-keys and read back with capture-pane, as a person at the terminal would see it. TAP output.
#
# CALCIUM_STDP: the program (default ./calcium-stdp); TMUX_BIN: tmux (default tmux);
# CALCIUM_STDP_PARAMS: the preset folder (default: params/ next to this script's folder).
#
# The check that the screen shows what --batch computes uses the explorer's test hook:
# CALCIUM_STDP_DUMP=PATH makes it write, each time a run completes and its frame has been drawn,
# PATH.screen (the plot's canvas rows as drawn, "ROW<tab>TEXT") and then PATH (the curve shown, in
# --batch's CSV format). The test compares PATH with --batch byte for byte and finds every row of
# PATH.screen on the captured screen.

PROG=${CALCIUM_STDP:-./calcium-stdp}
TMUX_BIN=${TMUX_BIN:-tmux}
here=$(cd "$(dirname "$0")" && pwd)
PARAMS_DIR=${CALCIUM_STDP_PARAMS:-$here/../params}

name=explorer-tmux
. "$here/tmux-lib.sh"
mkdir -p "$tmp/cwd" "$tmp/config"

# launch COLS ROWS [VAR=VALUE...] -- [ARGS...]: a new tmux server with one pane running the
# explorer in a UTF-8 locale with TERM=xterm-256color (unless overridden). A shell around it
# writes the program's pid to $tmp/pid, then "EXIT=<status>" and "TTY: <echo and icanon flags>".
# It survives the Ctrl-C meant for the explorer (trap), so that it can report.
launch() {
	cols=$1
	rows=$2
	shift 2
	envs="LC_ALL=C.UTF-8 TERM=xterm-256color CALCIUM_STDP_PARAMS='$PARAMS_DIR' XDG_CONFIG_HOME='$tmp/config'"
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		envs="$envs '$1'"
		shift
	done
	[ "$1" = "--" ] && shift
	rm -f "$tmp/pid"
	sock=$((sock + 1))
	T new-session -d -x "$cols" -y "$rows" \
		"trap : INT; cd '$tmp/cwd' && env -u NO_COLOR $envs sh -c 'echo \$\$ >\"$tmp/pid\"; exec \"\$0\" \"\$@\"' '$PROG' $*;
		 echo EXIT=\$?; echo TTY: \$(stty -a | tr ' ;' '\\n\\n' | grep -x -e -echo -e echo -e -icanon -e icanon | sort);
		 exec sleep 600"
	wait_until test -s "$tmp/pid"
	pid=$(cat "$tmp/pid")
}

# Whether the screen holds braille cells (U+2800..U+28FF: bytes E2 A0..A3 xx), in any locale.
braille() { screen | LC_ALL=C grep -q "$(printf '\342[\240\241\242\243]')"; }

# has_all TEXT...: every text is on the screen (one capture).
has_all() {
	cap=$(screen)
	for t in "$@"; do
		case $cap in *"$t"*) ;; *) return 1 ;; esac
	done
}
wait_gone() { wait_until lacks "$1"; }
# The 1-based line of the screen.
line() { screen | sed -n "${1}p"; }
# Every "ROW<tab>TEXT" of a canvas dump appears in that row of the screen.
screen_shows_dump() {
	cap=$(screen)
	sed 1d "$1" | {
		bad=0
		while IFS='	' read -r row text; do
			l=$(printf '%s\n' "$cap" | sed -n "${row}p")
			case $l in *"$text"*) ;; *) bad=1 ;; esac
		done
		return $bad
	}
}
exited() { ! kill -0 "$pid" 2>/dev/null; }
# CPU ticks (user + system) the explorer has used.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }

# ---- the screen: sliders and the curve appear ----
launch 100 30 -- --reps 50 --seed 5
wait_for "reps 50/50"
all=0
for p in theta_d theta_p gamma_d gamma_p tau_s tau_ca c_pre c_post delay_ms sigma rho_star beta b pairs freq_hz; do
	has "│ $p " || has "│>$p " || all=1
done
ok $all "a slider for every parameter of the issue's list"
has "│>theta_d     1.00    ━" && has "│ gamma_p  321.808    ━" && has "│ tau_s        150 s  ━"
ok $? "each slider shows its value, unit and bar; the first one is selected"
has "change in synaptic strength (after/before)" && has "t_post - t_pre (ms)" && has "-100" && screen | grep -qE "[0-9]\.[0-9] \+"
ok $? "the plot has its title, axis label and ticks"
has "simulation, 95% interval" && has "analytic (OU approximation)"
ok $? "the legend lists the simulated points and the analytic curve"
braille
ok $? "in a UTF-8 locale the plot is drawn in braille"
wait_for "| done" && has "defaults | reps 50/50 [" && has "100% |" && has "synapses/s, curve in " && has "s | seed 5 | done"
ok $? "the status line shows preset, reps done/requested with a bar, synapses/s, the curve's time, seed and state"
has "Enter type" && has "? help" && has "q quit"
ok $? "a line of key hints"
keys b
# Quadrants (U+2580..U+259F) in the plot; the progress bar's full blocks are in the status line.
wait_for "glyphs: block" && ! braille && screen | grep -v "reps" | LC_ALL=C grep -q "$(printf '\342\226[\200-\237]')"
ok $? "b switches the plot to block glyphs"
keys b
wait_for "glyphs: ascii" && ! braille
ok $? "b again to ASCII"
keys b
wait_for "glyphs: braille" && braille
ok $? "and back to braille"

# ---- a key changes theta_p and the curve redraws ----
keys j Right
wait_for "│>theta_p *   1.31"
ok $? "j selects theta_p, Right steps it by the fine step and marks it as changed"
has "theta_p: potentiation threshold on calcium"
ok $? "the title line explains the selected parameter"
keys ']' Right
wait_for "│>theta_p *   1.40" && has "parameters: coarse step"
ok $? "] makes Left/Right take the coarse step"
keys '[' Left Left
wait_for "│>theta_p *   1.38"
ok $? "[ goes back to the fine step"
keys r
wait_for "│>theta_p     1.30"
ok $? "r resets the parameter to the preset's value and the mark goes"

# ---- Enter with a bad value ----
keys Enter
wait_for "theta_p = 1.3"
ok $? "Enter opens a prompt holding the exact current value"
keys C-u abc Enter
wait_for "theta_p: 'abc' is not a valid value: theta_p must be a number from 0.01 to 10"
ok $? "a bad value shows the parser's error in the status line"
has "│>theta_p     1.30"
ok $? "and the old value stays"
keys Enter C-u 11 Enter
wait_for "theta_p: 11 is out of range" && has "│>theta_p     1.30"
ok $? "an out-of-range value is refused the same way"
keys Enter C-u 1.45 Enter
wait_for "│>theta_p *   1.45"
ok $? "a good value is taken exactly"
keys Enter C-u 9
wait_for "theta_p = 9"
keys Escape
wait_gone "theta_p = 9" && has "│>theta_p *   1.45"
ok $? "Esc cancels the prompt"

# ---- resizing (tmux crops the old screen at once: wait for the whole new layout) ----
T resize-window -x 80 -y 24
wait_until has_all "│ dt_max       100 ms" "vvv" "parameters: fine step" "change (after/before)" "? help" \
	"reps 50/50"
ok $? "at 80x24 the plot, the status, the hints and 19 sliders fit, with a mark for more below"
T resize-window -x 60 -y 20
wait_until has_all "theta_p* 1.45" "dt = t_post - t_pre (ms)" "50/50 done" && lacks "parameters"
ok $? "at 60x20 the compact layout: the plot with a line of values, no panel"
keys Right
wait_for "theta_p* 1.46"
ok $? "and a key's change shows there"
keys Left
wait_for "theta_p* 1.45"
T resize-window -x 39 -y 20
wait_for "Terminal too small: 39x20."
has "needs at least 40x12" && lacks "parameters"
ok $? "below 40 columns a message says what size is needed, and no broken layout shows"
T resize-window -x 200 -y 60
wait_until has_all "y scale" "│>theta_p *   1.45" "change in synaptic strength" && lacks "too small"
ok $? "at 200x60 the layout comes back, with every key hint"
has "potentiation threshold on calcium" && has "range 0.01 to 10"
ok $? "a tall screen shows the selected parameter's help under the sliders"
T resize-window -x 100 -y 30
wait_until has_all "│>theta_p *   1.45" "Enter type  ? help  q quit" "reps 50/50" && lacks "y scale"
ok $? "back at 100x30, the same state"

# ---- help ----
# Tall enough for the whole list (it scrolls on shorter screens, tested below).
T resize-window -x 100 -y 44
status_at_43() { line 43 | grep -q "reps "; }
wait_until status_at_43
keys '?'
wait_for "calcium-stdp keys"
wait_for "in a prompt"
all=0
for k in "Up/Down  k/j" "Left/Right  h/l" "H/L" "Enter" "r  R" "Home/End" "p " "s " "e " "n " "+ " \
	"space" "<  ," ">  ." "c " "v " "Esc" "P  F5" "a " "f " "y " "?  F1" "q  Ctrl-C" "Ctrl-L" "mouse" \
	"in a prompt" "B " "W  w" "in a lesson"; do
	has "│ $k" || { all=1; echo "# missing from the help: '$k'"; }
done
ok $all "? lists every key"
keys x
wait_gone "calcium-stdp keys"
ok $? "any key closes the help"
T resize-window -x 100 -y 30

# ---- q ----
keys q
wait_for "unsaved changes (s saves them): quit anyway? y/n"
ok $? "q with unsaved changes asks first"
keys n
wait_for "not quitting"
ok $? "n keeps the explorer open"
keys e
wait_for "export CSV to:"
T send-keys C-c
wait_for "cancelled (Ctrl-C again quits)"
ok $? "Ctrl-C in a prompt cancels the prompt"
exited
[ $? -ne 0 ]
ok $? "and does not quit"
keys q y
wait_for "TTY:"
has "EXIT=0"
ok $? "q exits with status 0"
has "TTY: echo icanon"
ok $? "the tty is back in cooked mode with echo"
[ "$(T display -p '#{alternate_on} #{mouse_any_flag} #{keypad_flag} #{cursor_flag}')" = "0 0 0 1" ]
ok $? "the terminal is restored: main screen, no mouse reporting, keypad off, cursor visible"

# ---- a completed run shows what --batch computes ----
launch 100 30 "CALCIUM_STDP_DUMP=$tmp/dump.csv" -- --reps 50 --seed 7 --set theta_p=1.25
wait_until test -s "$tmp/dump.csv"
ok $? "the run completes (test hook CALCIUM_STDP_DUMP wrote the curve)"
"$PROG" --batch --reps 50 --seed 7 --set theta_p=1.25 >"$tmp/batch.csv" 2>/dev/null
cmp -s "$tmp/dump.csv" "$tmp/batch.csv"
ok $? "the curve shown is the one --batch prints for the same seed, byte for byte"
has "reps 50/50" && has "seed 7 | done"
ok $? "the status agrees: 50 of 50 repetitions, seed 7, done"
screen_shows_dump "$tmp/dump.csv.screen"
ok $? "the screen shows that curve's plot, cell for cell"
cp "$tmp/dump.csv.screen" "$tmp/before.screen"
# Paused, so that only the last of the three parameter sets runs.
keys space
wait_for "| paused"
keys j L L L
wait_for "│>theta_p *   1.50"
rm -f "$tmp/dump.csv"
keys space
wait_until test -s "$tmp/dump.csv"
"$PROG" --batch --reps 50 --seed 7 --set theta_p=1.5 >"$tmp/batch.csv" 2>/dev/null
cmp -s "$tmp/dump.csv" "$tmp/batch.csv"
ok $? "after three coarse steps of theta_p the new run matches --batch with theta_p=1.5"
! cmp -s "$tmp/before.screen" "$tmp/dump.csv.screen" && screen_shows_dump "$tmp/dump.csv.screen"
ok $? "and the plot on the screen was redrawn with the new curve"

# ---- idle ----
if [ -r "/proc/$pid/stat" ]; then
	t0=$(cpu_ticks)
	sleep 1
	t1=$(cpu_ticks)
	[ $((t1 - t0)) -le 2 ]
	ok $? "the idle explorer uses no CPU ($((t1 - t0)) ticks in 1 s)"
else
	n=$((n + 1))
	echo "ok $n # SKIP no /proc to measure CPU"
fi

# ---- new seed, more repetitions, pause ----
# x is not bound: like any key it dismisses the confirmation that hides the status.
keys n x
wait_for "seed 8 | done"
ok $? "n reruns with a new seed"
keys + x
wait_for "reps 100/100" && wait_for "seed 8 | done"
ok $? "+ adds as many repetitions again and the run continues to them"
keys space
wait_for "| paused"
ok $? "space pauses"
keys space
wait_gone "| paused"
ok $? "and space resumes"

# ---- export and save ----
keys e C-u "$tmp/curve.csv" Enter
wait_for "exported 41 points"
head -n 1 "$tmp/curve.csv" 2>/dev/null | grep -qx "dt_ms,U,D,change,change_lo,change_hi,reps" &&
	[ "$(wc -l <"$tmp/curve.csv")" -eq 42 ]
ok $? "e exports the curve as CSV with the --batch columns"
keys s C-u mine Enter
wait_for "saved $tmp/config/calcium-stdp/params/mine.ini"
ok $? "s saves the parameters under a name in the user's preset folder"
"$PROG" --batch --analytic --params "$tmp/config/calcium-stdp/params/mine.ini" >/dev/null 2>&1 &&
	grep -q "theta_p = 1.5" "$tmp/config/calcium-stdp/params/mine.ini"
ok $? "the saved file loads again and holds the changed value"
keys x
wait_for " mine | reps" && lacks "│>theta_p *"
ok $? "the saved file becomes the reference: its name in the status, no marks"
keys s C-u mine Enter
wait_for "mine.ini exists"
ok $? "saving over an existing file asks for confirmation"
keys e C-u "$tmp/curve.csv" Enter
wait_for "curve.csv exists: export again with the same name to replace it"
ok $? "exporting over an existing file asks first"
chmod 600 "$tmp/curve.csv"
keys e C-u "$tmp/curve.csv" Enter
wait_for "exported 41 points to $tmp/curve.csv" && [ "$(stat -c %a "$tmp/curve.csv")" = 600 ]
ok $? "the same name again replaces it, says the full path and keeps its mode 0600"
keys e C-u rel.csv Enter
wait_for "exported 41 points to $tmp/cwd/rel.csv"
ok $? "a bare export name goes to the current folder, and the message gives the full path"
mkfifo "$tmp/fifo.csv"
keys e C-u "$tmp/fifo.csv" Enter
wait_for "not exported: $tmp/fifo.csv: it is a FIFO" && [ -p "$tmp/fifo.csv" ]
ok $? "exporting to a FIFO is refused and the FIFO left alone"
echo old >"$tmp/ro.ini"
chmod 0444 "$tmp/ro.ini"
keys s C-u "$tmp/ro.ini" Enter
wait_for "ro.ini exists and is read-only: save again" &&
	[ "$(cat "$tmp/ro.ini")" = old ]
ok $? "saving over a read-only file asks first, and the file stays as it was"
keys s C-u "$tmp/ro.ini" Enter
wait_for "saved $tmp/ro.ini" && grep -q "^theta_p = " "$tmp/ro.ini" && [ "$(stat -c %a "$tmp/ro.ini")" = 444 ]
ok $? "the same name again (the user said so) replaces it, still read-only"
keys s C-u DP Enter
wait_for "DP is the name of a built-in preset: it stays first for --preset (p lists both)"
ok $? "saving under a built-in preset's name warns that it will shadow it"
keys s C-u DP Enter
wait_for "saved $tmp/config/calcium-stdp/params/DP.ini"
ok $? "the same name again saves it"

# ---- presets ----
keys p
# The list is longer than the window: the user's "mine" comes last (G goes there).
wait_for "presets: Up/Down choose" && has "(yours)" && keys G && wait_for "> mine"
ok $? "p lists the presets, the user's own among them"
[ "$(screen | grep -c '[> ] DP   ')" -eq 2 ]
ok $? "both the user's DP and the built-in DP are in the picker"
# g (first), then Down until DPD is chosen, one redraw at a time. (Not Home: tmux sends \e[1~,
# which xterm-256color's terminfo does not list.)
keys g
wait_gone "> mine"
i=0
while lacks "> DPD " && [ $i -lt 30 ]; do
	sel=$(screen | grep -o '> [A-Za-z0-9-]* ' | head -n 1)
	keys Down
	wait_until lacks "$sel"
	i=$((i + 1))
done
keys Enter
wait_for "preset DPD" && has "│ c_pre       0.90" && has "│ delay_ms     4.6 ms"
ok $? "Enter loads the chosen preset into the sliders"
keys x
wait_for " DPD | reps 100/100"
ok $? "the preset's name shows in the status, and the repetitions asked for stay"
keys q y
wait_for "EXIT=0"
ok $? "q exits with status 0"

# ---- the analytic curve follows keys at once, even when paused; ASCII in the C locale ----
launch 100 30 LC_ALL=C -- --reps 50
wait_for "| done"
has "+- parameters" && ! screen | LC_ALL=C grep -q '[^ -~]'
ok $? "in the C locale the screen is plain ASCII"
keys space
wait_for "| paused"
plot_before=$(screen | cut -c36-99)
keys j L L L
wait_for "theta_p *   1.60"
plot_after=$(screen | cut -c36-99)
[ "$plot_before" != "$plot_after" ]
ok $? "while paused a key still redraws the analytic curve at once"
keys a
wait_gone "analytic (OU approximation)"
ok $? "a hides the analytic curve (and its legend entry)"
keys a y
wait_for "y fixed 0.3-1.7"
ok $? "y fixes the y axis to 0.3 .. 1.7, and says so"
keys y
wait_for "y fitted"
ok $? "and back to the range fitted to the data"
keys q y
wait_for "EXIT=0"
ok $? "q quits while paused"

# ---- --ascii, TERM=linux, NO_COLOR, an unknown TERM ----
launch 100 30 -- --reps 50 --ascii
wait_for "| done"
has "+- parameters" && ! braille
ok $? "--ascii draws ASCII in a UTF-8 locale"
keys q y
wait_for "EXIT=0"
launch 100 30 TERM=linux -- --reps 50
wait_for "| done"
! braille
ok $? "TERM=linux (no braille in the console font) draws ASCII"
keys q y
wait_for "TTY:"
launch 100 30 -- --reps 50
wait_for "| done"
T capture-pane -p -e | grep -qE "$(printf '\033')\\[([0-9]+;)*(3[1-7]|38;5;[0-9]+)m"
ok $? "colours are used by default"
keys q y
wait_for "TTY:"
# The analytic curve's red: 203 (light red) on a dark background, 124 (dark red) on a light one.
launch 100 30 -- --reps 50 --theme light
wait_for "| done"
T capture-pane -p -e | grep -qE "$(printf '\033')\\[([0-9]+;)*38;5;124m" &&
	! T capture-pane -p -e | grep -qE "$(printf '\033')\\[([0-9]+;)*38;5;203m"
ok $? "--theme light: the light palette (dark red 124 for the analytic curve)"
keys q y
wait_for "TTY:"
launch 100 30 -- --reps 50 --theme dark
wait_for "| done"
T capture-pane -p -e | grep -qE "$(printf '\033')\\[([0-9]+;)*38;5;203m"
ok $? "--theme dark: the dark palette (light red 203)"
keys q y
wait_for "TTY:"
launch 100 30 -- --reps 50 --theme mono
wait_for "| done"
! T capture-pane -p -e | grep -qE "$(printf '\033')\\[([0-9]+;)*(3[1-7]|38;5;[0-9]+)m"
ok $? "--theme mono: no colour at all"
keys q y
wait_for "TTY:"
launch 100 30 NO_COLOR=1 -- --reps 50
wait_for "| done"
! T capture-pane -p -e | grep -qE "$(printf '\033')\\[([0-9]+;)*(3[0-7]|4[0-7]|38|48|9[0-7])m"
ok $? "NO_COLOR: no colours at all"
has "│>theta_d"
ok $? "and the selection still shows"
keys q y
wait_for "TTY:"
launch 100 30 TERM=xterm-kitty-not-installed -- --reps 50
wait_for "is unknown here: using xterm-256color"
ok $? "an unknown TERM falls back to xterm-256color and says so"
wait_for "│>theta_d"
ok $? "and the explorer works"
keys q y
wait_for "EXIT=0"
ok $? "and quits with status 0"

# ---- the mouse ----
launch 100 30 -- --reps 50
wait_for "| done"
# xterm SGR reports, 1-based: theta_p's row is 4; its bar spans columns 23..32.
keys -l "$(printf '\033[<0;32;4M\033[<0;32;4m')"
wait_for "│>theta_p *  10.00"
ok $? "a click on the end of a bar selects the slider and sets the maximum"
# A drag, one report at a time as a hand makes them.
keys -l "$(printf '\033[<0;23;5M')"
wait_for "│>gamma_d *      0"
keys -l "$(printf '\033[<32;25;5M')"
wait_gone "│>gamma_d *      0"
keys -l "$(printf '\033[<32;28;5M')"
wait_for "│>gamma_d *   1543"
keys -l "$(printf '\033[<0;28;5m')"
wait_for "│>gamma_d *   1543"
ok $? "a drag along gamma_d's bar sets the value where it is released"
keys -l "$(printf '\033[<0;5;10M\033[<0;5;10m')"
wait_for "│>c_post "
ok $? "a click on a label selects that slider"
keys q y
wait_for "EXIT=0"

# ---- the cursor, the calcium view and the efficacy view ----
# The part of each row right of the panel: the plot box (so that the panel's rows do not count).
plot_part() { screen | sed -n 's/^.*││//p'; }
# line_drawn NAME: the chart row that names a line also draws it (six or more braille cells).
line_drawn() {
	plot_part | grep -F -- "$1" | while IFS= read -r l; do
		k=$(printf '%s\n' "$l" | LC_ALL=C grep -o "$(printf '\342[\240\241\242\243]')" | wc -l)
		[ "$k" -ge 6 ] && echo drawn
	done | grep -q drawn
}
thresholds_drawn() { line_drawn theta_d && line_drawn theta_p; }
launch 80 24 -- --reps 50 --seed 3
wait_for "| done"
has "dt = 0 ms: sim"
ok $? "the cursor starts mid-axis; the plot's border says where it is and what the curve is there"
keys , , , ,
wait_for "dt = -20 ms: sim"
ok $? ", moves the cursor one point left at a time"
keys c
wait_until has_all "calcium c(t) at dt = -20 ms" "alpha_d 0.02017" "alpha_p 0.009678"
ok $? "c at 80x24: the calcium view at the cursor, with model.md's alpha_d and alpha_p for -20 ms"
thresholds_drawn
ok $? "theta_d and theta_p are drawn as lines and named"
has_all "post pre " "time after the pre spike (ms)" "rho_bar 0.4356" "U 0.2444" "D 0.5980" && lacks "pre pre"
ok $? "the spikes are marked apart (a name that would run into another is left out); rho_bar, U and D are given"
keys . . . . . .
wait_until has_all "calcium c(t) at dt = +10 ms" "alpha_d 0.02328" "alpha_p 0.01804"
ok $? ". moves the cursor right and the view follows: model.md's alphas for +10 ms"
keys j Right
wait_until has_all "│>theta_p *   1.31" "calcium c(t) at dt = +10 ms" && lacks "alpha_p 0.01804"
ok $? "a slider changes the view at once"
keys r
wait_for "alpha_p 0.01804"
T resize-window -x 120 -y 40
wait_until has_all "change in synaptic strength" "calcium c(t) at dt = +10 ms: steady state" \
	"alpha_d 0.02328 (23.3 ms above theta_d: light shade)" "alpha_p 0.01804 (18.0 ms above theta_p: dense shade)" \
	"lines: pre and post spikes; pre Ca, the pre spike's calcium"
ok $? "at 120x40 the plot and the calcium view share the box; the shades and lines are explained"
thresholds_drawn
ok $? "with the threshold lines"
keys v
wait_until has_all "efficacy rho(t) at dt = +10 ms" "rho_star" "of 5 end UP" "time (s)"
ok $? "v: sample rho(t) paths from DOWN and from UP, with rho_star"
line_drawn rho_star
ok $? "rho_star is a line"
T resize-window -x 80 -y 24
wait_until has_all "rho(t) at dt = +10 ms, seed 3" "rho_star" "of 5 end DOWN"
ok $? "the efficacy view renders at 80x24"
keys Escape
wait_until has_all "change (after/before)" "dt = +10 ms: sim" && lacks "of 5 end"
ok $? "Esc closes the view"
# The plot area's first column at 80x24 is the screen's 41st: its nearest point is -100 ms.
keys -l "$(printf '\033[<0;41;10M\033[<0;41;10m')"
wait_for "dt = -100 ms: sim"
ok $? "a click on the plot puts the cursor on the nearest point"
keys '?'
wait_for "Up/Down scroll"
keys NPage NPage
wait_until has_all "in a prompt" "Up/Down scroll"
ok $? "at 80x24 the help scrolls to its last keys (two pages down)"
keys NPage NPage NPage
wait_until has_all "the picture:" "double line" "the readout"
ok $? "and after the keys it explains the picture: the layers and the readout"
T resize-window -x 120 -y 48
undo_line_whole() { screen | grep -F 'u  U' | grep -qF '(sliders, presets, fits)'; }
wait_until undo_line_whole
ok $? "at 120x48 the help is wide enough for every key's text on its line"
T resize-window -x 80 -y 24
keys x
wait_gone "calcium-stdp keys"
keys q y
wait_for "EXIT=0"
ok $? "q exits with status 0"

# ---- presentation mode ----
launch 80 24 -- --reps 50
wait_for "| done"
keys P
wait_until has_all "calcium-stdp  |  defaults  |  pairs: 60 pairs at 1 Hz" "theta_d 1.00   theta_p 1.30" \
	"P leave" && lacks "parameters:"
ok $? "P at 80x24: the plot takes the screen; the title names preset and protocol; values in a line"
has "change in synaptic strength (after/before)" && has "dt = t_post - t_pre (ms)"
ok $? "with the plot's labels"
T capture-pane -p -e | grep -F -- "-100" | grep -qE "$(printf '\033')\\[([0-9]+;)*1[;m]"
ok $? "labels are bold"
keys Down Right
wait_for "theta_p* 1.31"
ok $? "Down selects the next value of the line, Right changes it"
keys c
wait_until has_all "calcium c(t) at dt = 0 ms" "alpha_d 0.02764"
ok $? "the views work when presenting"
keys Escape Escape
wait_until has_all "parameters: fine step" "│>theta_p *   1.31"
ok $? "Esc closes the view, Esc again leaves presentation mode; the change stays"
keys q y
wait_for "EXIT=0"
if "$PROG" --help 2>/dev/null | grep -q -- --present; then
	launch 80 24 -- --reps 50 --present
	wait_until has_all "calcium-stdp  |  defaults" "theta_d 1.00" && lacks "parameters:"
	ok $? "--present starts in presentation mode"
	keys q y
	wait_for "EXIT=0"
	# A projector's font: 60x16 and 40x12 still present, the title and the counters apart.
	launch 60 16 -- --reps 50 --present
	wait_until has_all "defaults  |  pairs: 60 pairs at 1 Hz" "50/50 done" "theta_d 1.00" && lacks "too small"
	ok $? "presenting at 60x16: the plot, the title with its counters apart, the values"
	T resize-window -x 40 -y 12
	wait_until has_all "defaults | pairs" "50/50 done" "dt = t_post - t_pre (ms)" "theta_d 1.00" &&
		lacks "too small"
	ok $? "and at 40x12"
	T resize-window -x 39 -y 12
	wait_until has_all "Terminal too small:" "39x12." "needs at least 40x12."
	ok $? "below 40x12 a message that wraps between words"
	keys q
	wait_for "EXIT=0"
else
	n=$((n + 1))
	echo "ok $n # SKIP --present is not in this build"
fi

# ---- the other protocols ----
DATA_DIR=${CALCIUM_STDP_DATA:-$here/../data}
launch 100 30 -- --reps 20 --set pairs=75 --data "$DATA_DIR/sjostrom2001-frequency.csv"
wait_for "| done"
keys g j j j j j j j j j j j j j j
wait_for "│>protocol  pairs"
keys Right
wait_until has_all "│>protocol* frequency" "pairing frequency (Hz)" "sjostrom2001-frequency, SEM (6 of 10" \
	"│ fixed_dt      10 ms" && lacks "│ dt_min"
ok $? "protocol steps to frequency: the axis is named, the sliders follow, the --data set in the legend"
# The data set's marker, as its legend entry shows it, at least three times in the chart.
mark=$(plot_part | grep "sjostrom2001-frequency, SEM" | awk '{ print $1 }')
[ -n "$mark" ] && [ "$(plot_part | grep -v sjostrom | grep -o -F -- "$mark" | wc -l)" -ge 3 ]
ok $? "and its points at +10 ms are drawn (marker '$mark')"
keys Right
wait_until has_all "│>protocol* burst" "t_post(last of burst) - t_pre (ms)" "│ burst_n        2"
ok $? "burst: the plot renders with its axis and sliders"
keys c
wait_until has_all "calcium c(t) at dt = 0 ms" "post" "theta_p" "alpha_d"
ok $? "and the calcium view shows a period of the burst"
keys Right
wait_until has_all "│>protocol* poisson" "no periodic cycle" "alpha_d"
ok $? "poisson: the calcium view says there is no periodic cycle and gives the alphas"
keys c
wait_for "postsynaptic rate (Hz)"
ok $? "c again: back to the plot, against the post rate"
keys q y
wait_for "EXIT=0"

# ---- Fig. 4B: the curves at other frequencies ----
launch 120 36 -- --preset cortical-slices --reps 20 --theme dark
wait_for "| done"
keys f
wait_until has_all "50 Hz" "40 Hz" "1 Hz"
ok $? "f overlays the curves at other pairing frequencies, each named"
T capture-pane -p -e | grep -q "$(printf '\033')\\[[0-9;]*38;5;227m"
ok $? "in three colours, not two (the third: yellow)"
keys f
wait_until lacks "50 Hz"
ok $? "f again removes them"
keys q y
wait_for "EXIT=0"

# ---- the map of curve classes ----
# m opens it around the current set (theta_d x theta_p); the analytic classes fill in within 0.2 s
# (a background job); the current set is marked; moving the map cursor redraws the plot with that
# cell's curve at once; Enter loads the cell; x and y change the parameters; Esc closes it.
# The plot's rows (the box's top part), to see the curve change.
plot_rows() { screen | sed -n '3,12p' | cut -c36-; }
launch 100 34 -- --reps 40 --seed 3
wait_for "reps 40/40"
keys m
wait_for "map of curve classes: theta_d across, theta_p up ("
ok $? "m opens the map: theta_d across, theta_p up"
ms=$(screen | sed -n 's/.*theta_p up (\([0-9]*\) ms).*/\1/p' | head -n 1)
[ -n "$ms" ] && [ "$ms" -lt 200 ]
ok $? "the analytic map filled in within 0.2 s (${ms:-?} ms, computed off the loop thread)"
has "*DP " && has "cursor theta_d = 1, theta_p = 1.3: DP "
ok $? "the current set (DP) is marked with * and the map cursor starts on it"
screen | grep -q "^│.*│.*  *1.3 .*D .*DPD.*\*DP .*P " && has " P   P"
ok $? "cells show their classes: D, DPD, DP, P across the theta_p = 1.3 row"
has "analytic at the map cursor"
ok $? "the plot's analytic curve is the map cursor's cell"
before=$(plot_rows)
keys Right Up
wait_for "cursor theta_d = 1.05, theta_p = 1.4: DPD"
ok $? "arrows move the map cursor (Right, Up: theta_d 1.05, theta_p 1.4, class DPD)"
wait_until test "$(plot_rows)" != "$before"
ok $? "the plot shows the new cell's curve at once"
keys Enter
wait_for "loaded theta_d = 1.05, theta_p = 1.4"
ok $? "Enter loads the cell"
screen | grep -q "theta_d \*  *1.05 " && screen | grep -q "theta_p \*  *1.40 "
ok $? "the sliders show the loaded values, marked as changed"
wait_for "reps 40/40"
ok $? "the simulation ran the loaded set"
keys x
wait_for "map of curve classes: gamma_d across, theta_p up ("
ok $? "x puts the next parameter (gamma_d) across"
keys y
wait_for "map of curve classes: gamma_d across, gamma_p up ("
ok $? "y puts the next free parameter (gamma_p) up"
keys Escape
wait_gone "map of curve classes"
ok $? "Esc closes the map"
has "analytic (OU approximation)" || has "analytic (OU)"
ok $? "the plot's analytic curve is the current set's again"
launch 100 34 NO_COLOR=1 -- --reps 40
wait_for "reps 40/40"
keys m
wait_for "map of curve classes: theta_d across"
has "DPD" && has "*DP " && has " D   D"
ok $? "without colour (NO_COLOR) the letters still show every class and the mark"
has_all "arrows move" "Enter load cell" "x X y Y axes" "Esc m close" "q quit" && lacks "select"
ok $? "the hints line gives the map's keys while it is open"
has "classes:  D   P   DP   PD   DPD   PDP"
ok $? "a legend names the classes, each in its style"
keys q
wait_for "EXIT=0"
ok $? "q in the map quits, as everywhere (nothing unsaved: at once)"

# ---- signals and a lost terminal ----
launch 100 30 -- --reps 50
wait_for "| done"
kill -TERM "$pid"
wait_for "TTY:"
has "EXIT=143" && has "TTY: echo icanon"
ok $? "SIGTERM exits (status 143) with the terminal restored"
[ "$(T display -p '#{alternate_on} #{mouse_any_flag}')" = "0 0" ]
ok $? "main screen back, mouse reporting off"
launch 100 30 -- --reps 50
wait_for "| done"
keys C-c
wait_for "TTY:"
has "EXIT=130" && has "TTY: echo icanon"
ok $? "Ctrl-C (SIGINT) exits (status 130) with the terminal restored"
launch 100 30 -- --reps 100000
wait_for "running"
T kill-server
wait_until exited
ok $? "a hang-up (the terminal goes away mid-run) ends the explorer"

# ---- not a terminal ----
"$PROG" </dev/null >"$tmp/out" 2>&1
rc=$?
[ $rc -ne 0 ] && grep -q -- "--batch" "$tmp/out"
ok $? "without a terminal it refuses and points to --batch"

# ---- always live: parameters that take days to simulate ----
# One Poisson synapse here is 10^9 steps (a run of days): the screen must still come at once, every
# key must be answered while the run goes on, the views must not block, and q and Ctrl-C must leave
# at once with the terminal as it was (stty -g before and after).
costly="--protocol poisson --set duration_s=1000 --set step_ms=0.001 --set rate_pre_hz=100 \
--set rate_post_min_hz=90 --set rate_post_max_hz=100 --set tau_ca_ms=500"
now_ms() { echo $(($(date +%s%N) / 1000000)); }
# quick_for TEXT: as wait_for, polling every 20 ms for at most 3 s; prints the milliseconds it took.
# quick_re REGEX: the same for an extended regular expression.
quick_for() { quick_match -F "$1"; }
quick_re() { quick_match -E "$1"; }
quick_match() {
	t0=$(now_ms)
	i=0
	while [ $i -lt 150 ]; do
		if screen | grep -q "$1" -- "$2"; then
			echo $(($(now_ms) - t0))
			return 0
		fi
		sleep 0.02
		i=$((i + 1))
	done
	echo 99999
	return 1
}
# launch_stty COLS ROWS ARGS...: the explorer with stty -g saved before and after it runs, and the
# terminal's file status flags (O_NONBLOCK left on would make the next program's writes fail).
launch_stty() {
	cols=$1
	rows=$2
	shift 2
	rm -f "$tmp/pid" "$tmp/stty.before" "$tmp/stty.after"
	sock=$((sock + 1))
	T new-session -d -x "$cols" -y "$rows" \
		"trap : INT; { stty -g; grep flags /proc/self/fdinfo/0 2>/dev/null; } >'$tmp/stty.before'; cd '$tmp/cwd' && env LC_ALL=C.UTF-8 TERM=xterm-256color \
		 CALCIUM_STDP_PARAMS='$PARAMS_DIR' XDG_CONFIG_HOME='$tmp/config' \
		 sh -c 'echo \$\$ >\"$tmp/pid\"; exec \"\$0\" \"\$@\"' '$PROG' $*;
		 echo EXIT=\$?; { stty -g; grep flags /proc/self/fdinfo/0 2>/dev/null; } >'$tmp/stty.after.part';
		 mv '$tmp/stty.after.part' '$tmp/stty.after'; echo TTY: saved; exec sleep 600"
	wait_until test -s "$tmp/pid"
	pid=$(cat "$tmp/pid")
}
same_stty() { wait_until test -s "$tmp/stty.after" && cmp -s "$tmp/stty.before" "$tmp/stty.after"; }
t_start=$(now_ms)
launch_stty 100 30 $costly --threads 2
ms=$(quick_for "│>theta_d")
first=$(($(now_ms) - t_start))
[ "$first" -lt 1000 ] && has "running"
ok $? "costly parameters: the first frame within 1 s ($first ms), the run going on"
# answered KEY TEXT: the key, then the milliseconds until TEXT shows. A shared machine may stall a
# process for a moment: a slow answer is tried once more with the next key (KEY2 TEXT2).
answered() {
	keys "$1"
	a=$(quick_for "$2")
	if [ "$a" -ge 300 ] && [ $# -ge 4 ]; then
		keys "$3"
		a="$a, then $(quick_for "$4")"
	fi
	echo "$a"
}
fast() { [ "${1##* }" -lt 300 ]; }
ms=$(answered Right "│>theta_d *   1.01" Right "│>theta_d *   1.02")
fast "$ms"
ok $? "a slider key is answered on screen in $ms ms while the run goes on"
keys v
ms=$(quick_re "efficacy (view|rho)")
[ "$ms" -lt 300 ]
ok $? "v: the efficacy view (or what is being computed for it) shows in $ms ms"
ms=$(answered Down "│>theta_p" Down "│>gamma_d")
fast "$ms"
ok $? "while the view is computed keys still work: Down answered in $ms ms"
keys c
ms=$(quick_re "calcium (view|c\(t\))")
ms2=$(answered Up "│>theta_d *" Down "│>theta_p")
[ "$ms" -lt 300 ] && fast "$ms2"
ok $? "c: the calcium view in $ms ms, and Up answered in $ms2 ms after it"
# q asks first: the values were changed and not saved.
keys q
wait_for "quit anyway"
t0=$(now_ms)
keys y
wait_for "EXIT=0"
quit=$(($(now_ms) - t0))
[ "$quit" -lt 500 ]
ok $? "q (and y: quit without saving) leaves in $quit ms although workers are inside a synapse of days"
same_stty
ok $? "and the terminal is as it was (stty -g and its file flags unchanged)"
launch_stty 100 30 $costly --threads 2
wait_for "running"
t0=$(now_ms)
keys C-c C-c
wait_for "TTY: saved"
quit=$(($(now_ms) - t0))
has "EXIT=130" && [ "$quit" -lt 500 ]
ok $? "two Ctrl-C in a row: exit 130 in $quit ms"
same_stty
ok $? "and the terminal is as it was (stty -g and its file flags unchanged)"
launch_stty 100 30 --reps 50
wait_for "| done"
keys n
wait_for "running"
keys C-c C-c C-c
wait_for "TTY: saved"
same_stty
ok $? "three Ctrl-C during a rerun (n) leave the terminal as it was"

# ---- keys first: many more workers than cores ----
launch 100 30 -- --threads 1024 --reps 100000
wait_for "1024: "
has_all "workers here" "per core"
ok $? "--threads 1024: the explorer caps its workers per core and says so"
keys Down
wait_for ">theta_p"
ok $? "and a key moves the selection while they run"

# ---- saving never shadows the built-in values without a second word ----
launch 100 30 -- --reps 20
wait_for "| done"
keys s Enter
wait_for "saved " && test -f "$tmp/config/calcium-stdp/params/defaults-mine.ini"
ok $? "s Enter on the defaults saves defaults-mine, not defaults"
keys s C-u
keys -l defaults
keys Enter
wait_for "is the name of a built-in preset" && ! test -e "$tmp/config/calcium-stdp/params/defaults.ini"
ok $? "a save named defaults asks first"
keys s C-u
keys -l defaults
keys Enter
wait_for "saved " && test -f "$tmp/config/calcium-stdp/params/defaults.ini"
ok $? "and saves when asked again"
rm -f "$tmp/config/calcium-stdp/params/defaults.ini" "$tmp/config/calcium-stdp/params/defaults-mine.ini"
keys q
wait_for "EXIT="

# ---- remembered choices: config.ini ----
launch 100 30 -- --reps 20
wait_for "| done"
keys b y M
wait_for "remembered (glyphs, theme, y scale, link rate) in"
grep -qx "glyphs = block" "$tmp/config/calcium-stdp/config.ini" &&
	grep -qx "y_scale = fixed" "$tmp/config/calcium-stdp/config.ini"
ok $? "M writes the glyphs and the y scale to config.ini"
keys q
wait_for "EXIT="
launch 100 30 -- --reps 20
wait_for "| done"
has "y fixed" && ! braille
ok $? "the next start takes them (blocks, y fixed)"
keys q
wait_for "EXIT="
launch 100 30 -- --reps 20 --glyphs braille
wait_for "| done"
braille
ok $? "the command line wins over config.ini"
keys q
wait_for "EXIT="
printf '[explorer]\nglyphs = round\n' >"$tmp/config/calcium-stdp/config.ini"
launch 100 30 -- --reps 20
wait_for "| done"
has "not used: " && has "config.ini: glyphs: 'round' is not braille" && braille
ok $? "a bad value in config.ini is named, and the file not used"
keys q
wait_for "EXIT="
rm -f "$tmp/config/calcium-stdp/config.ini"

# ---- irregular pairs of the bistable model: no analytic curve, so nothing claims one ----
launch 160 36 -- --protocol irregular --reps 50
wait_for "| done"
lacks "nan" && lacks "analytic" && has "irregular, pre 10 Hz, p 1, 10 s"
ok $? "irregular pairs: the title names the protocol, no analytic value or legend, no nan"
keys m
wait_for "No map on the irregular protocols"
lacks " ?  "
ok $? "the map says why it has no classes there instead of a grid of '?'"
keys Escape q y
wait_for "EXIT="

# ---- the cursor's x as a reader wants it ----
launch 140 36 -- --protocol frequency --set points=100 --reps 20
wait_for "| done"
keys ">" ">" ">"
wait_for "Hz (dt = +10 ms)"
screen | grep -qE "[ ][0-9]{1,2}\.[0-9]{1,3} Hz \(dt = \+10 ms\)"
r1=$?
! screen | grep -qE "[0-9]\.[0-9]{6,} Hz"
ok $(( r1 | $? )) "a frequency grid point is read out in five significant digits ($(screen | grep -oE "[0-9.]+ Hz \(dt" | head -n 1))"
keys q y
wait_for "EXIT="

# ---- a terminal that cannot move the cursor ----
launch 100 30 TERM=dumb -- --reps 10
wait_for "EXIT="
has "EXIT=2" && has "--plot" && has "--batch"
ok $? "TERM=dumb is refused with exit 2, pointing to --plot and --batch"
echo "1..$n"
[ "$failed" -eq 0 ]
