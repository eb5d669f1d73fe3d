# SPDX-License-Identifier: GPL-3.0-or-later
# The harness of the explorer's tmux tests (explorer-tmux.sh, data-tmux.sh), sourced after setting
# PROG (the program), TMUX_BIN (tmux) and name (a word for the sockets and the scratch folder).
# It skips the whole script where tmux or a pseudo-terminal is missing, makes $tmp, and gives:
# T (tmux on the current server, $sock), ok (TAP, with the screen as diagnostics on failure),
# screen, wait_until, has, lacks, wait_for and keys. Every server started is killed on exit.

if ! command -v "$TMUX_BIN" >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux is not installed"
	exit 0
fi
if [ ! -x "$PROG" ]; then
	echo "Bail out! $PROG is not an executable (set CALCIUM_STDP)"
	exit 1
fi
case $PROG in /*) ;; *) PROG=$(pwd)/$PROG ;; esac
# Our own server on our own socket, even when make check runs inside tmux.
unset TMUX
# No terminal outside these servers answers the background query: a dark one, said as terminals
# say it, so that the explorer does not tell the panes tmux hid it.
export COLORFGBG='15;0'
# A build machine (a package builder's chroot) may have tmux but no pseudo-terminals to give it.
if ! "$TMUX_BIN" -L "cstdp-probe-$$" -f /dev/null new-session -d "exit 0" 2>/dev/null; then
	echo "1..0 # SKIP tmux cannot open a terminal here (no pseudo-terminals?)"
	exit 0
fi
"$TMUX_BIN" -L "cstdp-probe-$$" kill-server 2>/dev/null

tmp=$(mktemp -d "${TMPDIR:-/tmp}/$name.XXXXXX") || exit 1
sock=0
T() { "$TMUX_BIN" -L "cstdp-$name-$$-$sock" -f /dev/null "$@"; }
cleanup() {
	i=1
	while [ "$i" -le "$sock" ]; do
		"$TMUX_BIN" -L "cstdp-$name-$$-$i" kill-server 2>/dev/null
		i=$((i + 1))
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

n=0
failed=0
# ok STATUS DESCRIPTION: one TAP line; on failure the screen goes into the log as diagnostics.
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
		echo "# screen:"
		T capture-pane -p 2>/dev/null | sed 's/^/#   |/'
	fi
}

screen() { T capture-pane -p; }
# wait_until COMMAND...: poll every 0.05 s for up to 10 s.
wait_until() {
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
wait_for() { wait_until has "$1"; }
keys() { T send-keys "$@"; }
