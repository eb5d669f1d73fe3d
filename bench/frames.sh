#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# make bench: the bytes of the explorer's frames after one key (not a test). tests/frame-attrs.py runs
# the explorer on a pty at each size (dark theme, 256 colours), answers its cursor questions at once,
# presses the right arrow and counts what is written until the screen is quiet: the bytes, the
# attribute changes (SGR) among them and those spent on blanks alone. Over a 2,000 B/s link each
# kilobyte is half a second.
# Usage: frames.sh PROGRAM
prog=$1
here=$(cd "$(dirname "$0")" && pwd)
command -v python3 >/dev/null 2>&1 || { echo "frames: skipped (python3 is missing)"; exit 0; }
for size in 80x24 100x30 200x60; do
	line=$(python3 "$here/../tests/frame-attrs.py" "$size" "$prog" --theme dark 2>/dev/null)
	set -- $line
	printf 'frames after a key at %7s: %6s bytes, %4s attribute changes, %3s on blanks alone (first screen %s bytes)\n' \
		"$size" "${2:--}" "${4:--}" "${6:--}" "${8:--}"
done
