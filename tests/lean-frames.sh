#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Lean frames for slow links: after one key at 100x30 and 200x60 the explorer's frames spend
# (almost) no attribute change on blank cells, which look the same in any colour, bold or dim
# (tests/frame-attrs.py counts them; painting blanks in whatever attribute the canvas gave them
# spent one change in eight there), and the frames after the key send the changes only, fewer bytes
# than the first, full screen (a frame that cleared and repainted the plot would not). TAP output; skipped without python3.
prog=${CALCIUM_STDP:-./calcium-stdp}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cstdp-lean.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
. "$here/tap-lib.sh"
echo "TAP version 13"
if ! command -v python3 >/dev/null 2>&1; then
	echo "1..0 # SKIP python3 is missing"
	exit 0
fi
export CALCIUM_STDP_PARAMS=${CALCIUM_STDP_PARAMS:-$here/../params}
export XDG_CONFIG_HOME="$tmp/config"
echo "1..4"
for size in 100x30 200x60; do
	python3 "$here/frame-attrs.py" "$size" "$prog" --theme dark >"$tmp/out" 2>"$tmp/err"
	read -r _ bytes _ sgr _ blank _ start <"$tmp/out"
	[ -n "$blank" ] && [ "$sgr" -gt 0 ] && [ $((blank * 100)) -le $((sgr * 3)) ]
	ok $? "$size: ${blank:-?} of ${sgr:-?} attribute changes after a key are spent on blanks alone (at most 3%) $(cat "$tmp/err")"
	[ -n "$bytes" ] && [ "$bytes" -gt 0 ] && [ "$bytes" -lt "$start" ]
	ok $? "$size: ${bytes:-no} bytes after a key, fewer than the first screen's ${start:-?}"
done
[ "$failed" -eq 0 ]
