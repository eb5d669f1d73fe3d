#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Executed documentation: every example of README.md that shows output is run and its output compared
# with the one shown, so that no number in the README can go stale.
#
# A block is marked by a line <!-- doctest --> before an indented code block. In the block, a line
# starting with "$ " is a command (continued on the next line after a trailing backslash); the lines
# up to the next command are its output (standard output and standard error). A line "..." in an
# output stands for the lines between the shown head and the shown tail. The commands run in a scratch
# folder holding ./calcium-stdp (the build tree's program, also first on the PATH as calcium-stdp) and
# the source tree's data/ and params/, with HOME there and LC_ALL=C.UTF-8. Blanks at the ends of lines
# do not count.
#
#   tests/doctest.sh [FILE...]            TAP: one line per block, the diff under a failing one
#   tests/doctest.sh --update [FILE...]   write the outputs the program prints now into the blocks
# FILE defaults to the README beside this folder; CALCIUM_STDP names the program (default: the
# calcium-stdp of the current folder, the build tree when make runs this).
set -u
here=$(cd "$(dirname "$0")" && pwd)
update=0
if [ "${1:-}" = --update ]; then
	update=1
	shift
fi
[ $# -ge 1 ] || set -- "$here/../README.md"
prog=${CALCIUM_STDP:-$PWD/calcium-stdp}
case $prog in /*) ;; *) prog=$PWD/$prog ;; esac
srcdir=$(cd "$here/.." && pwd)
[ -x "$prog" ] || { echo "doctest.sh: no program at $prog (build it first, or set CALCIUM_STDP)" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 failed=0

# split FILE: one folder per marked block (its first line's number in "line", the block's text without
# its indentation in "text"; per command M: cmd-M (to run), shown-M (as written), out-M (its output)).
split() {
	awk -v dir="$tmp/blocks" '
	function flush_blank() { while (blank > 0) { print "" > (d "/text"); blank-- } }
	function end_block() { inblock = 0; blank = 0 }
	/^<!-- doctest -->[ \t]*$/ { pending = 1; next }
	pending && !inblock && /^[ \t]*$/ { next }
	pending && !inblock && /^    / {
		inblock = 1; pending = 0; nb++; d = dir "/" nb; system("mkdir -p \"" d "\"")
		print NR > (d "/line"); blank = 0
	}
	pending && !inblock { pending = 0 }
	inblock {
		if (/^[ \t]*$/) { blank++; next }
		if (!/^    /) { end_block(); next }
		flush_blank(); print substr($0, 5) > (d "/text"); last[nb] = NR
	}
	END { for (b = 1; b <= nb; b++) print last[b] > (dir "/" b "/last") }
	' "$1"
}

# run BLOCKDIR: the block as it is now, on stdout.
run() {
	work=$tmp/work
	rm -rf "$work"
	mkdir -p "$work/bin"
	ln -s "$prog" "$work/calcium-stdp"
	ln -s "$prog" "$work/bin/calcium-stdp"
	ln -s "$srcdir/data" "$work/data"
	ln -s "$srcdir/params" "$work/params"
	# per command: the command as shown, then its output now (head and tail where "..." is shown)
	awk -v dir="$1" '
	function out(s) { print s > (dir "/out-" m) }
	cont { print > (dir "/shown-" m); c = c "\n" $0; cont = /\\$/; if (!cont) print c > (dir "/cmd-" m); next }
	/^\$ / { m++; print > (dir "/shown-" m); c = substr($0, 3); cont = /\\$/
		printf "" > (dir "/out-" m); if (!cont) print c > (dir "/cmd-" m); next }
	m { out($0) }
	' "$1/text"
	m=1
	while [ -f "$1/cmd-$m" ]; do
		cat "$1/shown-$m"
		(cd "$work" && env HOME="$work" XDG_CONFIG_HOME="$work/config" LC_ALL=C.UTF-8 PATH="$work/bin:$PATH" \
			sh -c "$(cat "$1/cmd-$m")" >"$1/now-$m" 2>&1)
		if grep -qx '\.\.\.' "$1/out-$m"; then
			h=$(awk '/^\.\.\.$/ { print NR - 1; exit }' "$1/out-$m")
			t=$(awk '/^\.\.\.$/ { i = NR } END { print NR - i }' "$1/out-$m")
			head -n "$h" "$1/now-$m"
			echo "..."
			[ "$t" -eq 0 ] || tail -n "$t" "$1/now-$m"
		else
			cat "$1/now-$m"
		fi
		m=$((m + 1))
	done
}

for file in "$@"; do
	rm -rf "$tmp/blocks"
	mkdir -p "$tmp/blocks"
	split "$file"
	name=$(basename "$file")
	b=1
	while [ -d "$tmp/blocks/$b" ]; do
		d=$tmp/blocks/$b
		line=$(cat "$d/line")
		# trailing blanks do not count (editors strip them; the plots pad their lines)
		sed 's/[ 	]*$//' "$d/text" >"$d/text.tmp" && mv "$d/text.tmp" "$d/text"
		run "$d" | sed 's/[ 	]*$//' >"$d/now"
		first=$(head -n 1 "$d/text")
		n=$((n + 1))
		if cmp -s "$d/text" "$d/now"; then
			[ $update -eq 1 ] || echo "ok $n - $name:$line: $first"
		elif [ $update -eq 1 ]; then
			echo "$name:$line: $first: output updated"
			# the block's lines replaced by the new ones, indented as before
			awk -v from="$line" -v to="$(cat "$d/last")" -v new="$d/now" '
			NR == from { while ((getline l < new) > 0) print (l == "" ? "" : "    " l) }
			NR >= from && NR <= to { next }
			{ print }' "$file" >"$tmp/updated" && cat "$tmp/updated" >"$file"
			# the lines below moved: find the blocks again
			rm -rf "$tmp/blocks"
			mkdir -p "$tmp/blocks"
			split "$file"
		else
			echo "not ok $n - $name:$line: $first: the output shown differs from the program's (make update-docs writes it)"
			diff -u --label "$name:$line (shown)" --label "$name:$line (now)" "$d/text" "$d/now" | sed 's/^/# /'
			failed=$((failed + 1))
		fi
		b=$((b + 1))
	done
done
[ $update -eq 1 ] || echo "1..$n"
[ $n -gt 0 ] || { echo "doctest.sh: no marked block in $*" >&2; exit 1; }
[ $failed -eq 0 ]
