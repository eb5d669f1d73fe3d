#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The explorer at every size from 40x12 to 300x90, in a detached tmux: each view (the plot, the map,
# the calcium and efficacy views, the help, the preset picker) is walked through the sizes, and each screen is checked
# for a layout (never the "too small" message), a y axis with at least three labelled ticks where
# the curve shows, and no word cut: every word on the screen is one the program writes (taken from
# the string literals of its sources and the presets), and no title runs into its box's line. TAP.
#
# CALCIUM_STDP: the program (default ./calcium-stdp); TMUX_BIN: tmux (default tmux).

PROG=${CALCIUM_STDP:-./calcium-stdp}
TMUX_BIN=${TMUX_BIN:-tmux}
here=$(cd "$(dirname "$0")" && pwd)
src=$here/..
PARAMS_DIR=${CALCIUM_STDP_PARAMS:-$src/params}

name=sizes-tmux
. "$here/tmux-lib.sh"
mkdir -p "$tmp/config"

# The words the program may write: those of its string literals (format letters and all) and of
# the presets' files and their names.
{
	cat "$src"/ui/*.c "$src"/src/*.c | grep -o '"[^"]*"'
	cat "$PARAMS_DIR"/*.ini
	ls "$PARAMS_DIR"
} | LC_ALL=C grep -o '[A-Za-z_][A-Za-z_]*' | sort -u >"$tmp/words"

launch() {
	rm -f "$tmp/pid"
	sock=$((sock + 1))
	T new-session -d -x "$1" -y "$2" \
		"env -u NO_COLOR LC_ALL=C.UTF-8 TERM=xterm-256color CALCIUM_STDP_PARAMS='$PARAMS_DIR' \
		 XDG_CONFIG_HOME='$tmp/config' '$PROG' --reps 50 --seed 3; exec sleep 600"
}

# A screen that stays the same for a fifth of a second, COLS wide (tmux crops at once: the program
# may not have drawn the new size yet).
settled() {
	a=$(screen)
	sleep 0.2
	b=$(screen)
	[ "$a" = "$b" ] && [ "$(printf '%s\n' "$a" | head -n 1 | wc -m)" -le $(($1 + 1)) ]
}

# Words on the screen that the program never writes (a word cut short), one per line.
strange_words() {
	printf '%s\n' "$1" | LC_ALL=C.UTF-8 grep -o '[A-Za-z_][A-Za-z_]*' | sort -u |
		LC_ALL=C comm -23 - "$tmp/words" | grep -v -x -e '[DP]*' -e 'v*'
}

sizes="40x12 44x14 50x15 60x20 79x24 80x24 90x28 100x30 120x40 160x48 200x60 300x90"
for view in plot m c v '?' p; do
	launch 100 30
	wait_for "done"
	[ "$view" != plot ] && keys "$view"
	bad_layout=""
	bad_ticks=""
	bad_words=""
	for s in $sizes; do
		w=${s%x*}
		h=${s#*x}
		T resize-window -x "$w" -y "$h"
		wait_until settled "$w"
		cap=$(screen)
		case $cap in *"too small"*) bad_layout="$bad_layout $s" ;; esac
		if [ "$view" = plot ] || [ "$view" = m ] || [ "$h" -ge 40 ]; then
			# Labelled ticks of the STDP plot's y axis: "1.2 +" at the axis.
			ticks=$(printf '%s\n' "$cap" | grep -c '[│|] *-\{0,1\}[0-9][0-9.]* +')
			[ "$ticks" -ge 3 ] || [ "$view" = m ] || bad_ticks="$bad_ticks $s($ticks)"
		fi
		strange=$(strange_words "$cap" | tr '\n' ' ')
		# A title cut at the box's line: a letter or digit right before it.
		if printf '%s\n' "$cap" | sed 's/vvv─/───/' | grep -q '[A-Za-z0-9][─┐┤]'; then
			strange="$strange (a title runs into its line)"
		fi
		if [ -n "$strange" ]; then
			bad_words="$bad_words $s: $strange;"
			echo "# $view at $s: $strange"
			printf '%s\n' "$cap" | sed 's/^/#   |/'
		fi
	done
	[ -z "$bad_layout" ]
	ok $? "view $view from 40x12 to 300x90: a layout at every size${bad_layout:+ (not at$bad_layout)}"
	if [ "$view" = plot ]; then
		[ -z "$bad_ticks" ]
		ok $? "view $view: at least three labelled y ticks at every size${bad_ticks:+ (not at$bad_ticks)}"
	fi
	[ -z "$bad_words" ]
	ok $? "view $view: no word cut at any size${bad_words:+ ($bad_words)}"
	T kill-server 2>/dev/null
done
echo "1..$n"
[ "$failed" -eq 0 ]
