#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# A PNG of the explorer in a real terminal: xterm with DejaVu Sans Mono on a virtual X server
# (Xvfb), captured with ImageMagick's import. Anyone can rerun it to make the README's picture:
#
#   sudo apt-get install -y xvfb xterm imagemagick fonts-dejavu-core
#   tools/screenshot.sh -o doc/explorer.png
#   tools/screenshot.sh --readme      (both of the README's pictures: doc/explorer.png, doc/map.png)
#
# Options (before any arguments for calcium-stdp, which follow a --):
#   -o FILE     the PNG to write (default: explorer.png)
#   -g COLSxROWS  the terminal's size in cells (default: 100x30)
#   -d :N       the X display to use (default: :97); it must be free
#   -s SIZE     the font size in points (default: 11)
#   -k KEYS     keys to press once the run is done, in tmux send-keys syntax, blank separated
#               (for example -k 'f' for the frequency overlay, -k '< < c' for the calcium view);
#               the program then runs inside tmux (without its status line) inside the xterm, with
#               allow-passthrough on so that the program's background query reaches the xterm
#   --dark      white on black instead of black on white
#   --readme    make the README's pictures in doc/ (run from the top of the source tree), then stop
#   -w SECONDS  how long to let the run go before the picture (default: 4)
# Environment: NO_COLOR is passed through, so NO_COLOR=1 tools/screenshot.sh shows the monochrome
# rendering; PROG names the program (default: ./calcium-stdp).
set -eu

out=explorer.png
geom=100x30
disp=:97
size=11
fg=black
bg=white
wait=4
keys=
while [ $# -gt 0 ]; do
	case $1 in
	-o) out=$2; shift 2 ;;
	-g) geom=$2; shift 2 ;;
	-d) disp=$2; shift 2 ;;
	-s) size=$2; shift 2 ;;
	-w) wait=$2; shift 2 ;;
	-k) keys=$2; shift 2 ;;
	--dark) fg=white; bg=black; shift ;;
	--readme)
		self=$0
		"$self" -o doc/explorer.png
		"$self" -o doc/map.png -k m
		exit 0
		;;
	--) shift; break ;;
	*) echo "screenshot.sh: unknown option '$1' (see the comment at the top)" >&2; exit 2 ;;
	esac
done
prog=${PROG:-./calcium-stdp}
for tool in Xvfb xterm import ${keys:+tmux}; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "screenshot.sh: $tool is missing: apt-get install xvfb xterm imagemagick fonts-dejavu-core" >&2
		exit 2
	}
done
[ -x "$prog" ] || { echo "screenshot.sh: $prog is not built (run make)" >&2; exit 2; }
case $disp in :[0-9]*) ;; *) echo "screenshot.sh: -d takes a display such as :97" >&2; exit 2 ;; esac
if [ -e "/tmp/.X11-unix/X${disp#:}" ]; then
	echo "screenshot.sh: display $disp is taken; choose another with -d" >&2
	exit 2
fi

tmp=$(mktemp -d)
xvfb_pid=
xterm_pid=
sock="shot-$$"
cleanup() {
	[ -n "$keys" ] && tmux -L "$sock" kill-server 2>/dev/null || true
	[ -n "$xterm_pid" ] && kill "$xterm_pid" 2>/dev/null || true
	if [ -n "$xvfb_pid" ]; then
		kill "$xvfb_pid" 2>/dev/null || true
		# Gone, with its socket, before the next run asks for the display.
		wait "$xvfb_pid" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

Xvfb "$disp" -screen 0 3000x2000x24 -nolisten tcp >"$tmp/xvfb.log" 2>&1 &
xvfb_pid=$!
i=0
while [ ! -e "/tmp/.X11-unix/X${disp#:}" ]; do
	i=$((i + 1))
	[ $i -lt 100 ] || { echo "screenshot.sh: Xvfb did not start:" >&2; cat "$tmp/xvfb.log" >&2; exit 1; }
	sleep 0.1
done

# The window's title names it for import; the program runs straight in the xterm.
title="calcium-stdp-shot-$$"
cols=${geom%x*}
rows=${geom#*x}
if [ -n "$keys" ]; then
	# Quote the program's arguments for tmux's shell command.
	cmd=$(printf "'%s' " "$prog" "$@")
	# Passthrough lets the program's OSC 11 query reach the xterm, as the README tells tmux users.
	printf 'set -g status off\nset -g allow-passthrough on\n' >"$tmp/tmux.conf"
	set -- tmux -L "$sock" -f "$tmp/tmux.conf" new-session -x "$cols" -y "$rows" "$cmd"
else
	set -- "$prog" "$@"
fi
DISPLAY=$disp LANG=${LANG:-C.UTF-8} xterm -T "$title" -fa 'DejaVu Sans Mono' -fs "$size" \
	-geometry "$geom+0+0" -bg "$bg" -fg "$fg" -bw 0 +sb -e "$@" &
xterm_pid=$!
sleep "$wait"
if [ -n "$keys" ]; then
	for k in $keys; do
		tmux -L "$sock" send-keys "$k"
		sleep 0.3
	done
	sleep 1
fi
DISPLAY=$disp import -window "$title" "$out"
echo "screenshot.sh: wrote $out ($geom, $bg background${NO_COLOR:+, NO_COLOR})"
