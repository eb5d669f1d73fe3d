#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# What `make install` puts on a system, installed into a scratch DESTDIR from this build tree: no
# placeholder (@NAME@) left in any installed text file, the man page's numbers as written (1000, the
# correction's DOI), the examples runnable where the man page says they are.
# TOP_BUILDDIR: the build tree (set by make check).
set -u
builddir=${TOP_BUILDDIR:?run this from make check, or set TOP_BUILDDIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 failed=0
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}

# A make of its own, not the job server of the make check that runs this.
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL ${MAKE:-make} -C "$builddir" install DESTDIR="$tmp/root" >"$tmp/log" 2>&1
rc=$?
ok $rc "make install DESTDIR=... (exit $rc$( [ $rc -eq 0 ] || tail -n 5 "$tmp/log" | tr '\n' ' '))"
[ $rc -eq 0 ] || { echo "1..$n"; exit 1; }

left=$(find "$tmp/root" -type f -exec grep -IlE '@[A-Z][A-Z_]*@' {} + 2>/dev/null | sed "s|^$tmp/root||")
[ -z "$left" ]
ok $? "no @PLACEHOLDER@ in any installed file${left:+: $left}"

man=$(find "$tmp/root" -path '*/man1/calcium-stdp.1' | head -n 1)
[ -n "$man" ]
ok $? "the man page is installed"
if [ -n "$man" ]; then
	text=$(LC_ALL=C.UTF-8 MANWIDTH=200 man -l "$man" 2>/dev/null || LC_ALL=C groff -man -Tutf8 "$man")
	flat=$(printf '%s\n' "$text" | tr -s ' \n' ' ') # the words, whatever the line breaks
	printf '%s\n' "$flat" | grep -q "runs 1000 synapses starting DOWN"
	ok $? "the man page says 1000 synapses, as written"
	printf '%s\n' "$flat" | grep -q "doi:10.1073/pnas.1220044110\."
	ok $? "the man page's DOI is intact"
	printf '%s\n' "$flat" | grep -q "exit status 130 (143)"
	ok $? "the man page's exit statuses are intact"
	printf '%s\n' "$text" | grep -q "^ *calcium-stdp $(${CALCIUM_STDP:-$builddir/calcium-stdp} --version | head -n 1 | cut -d' ' -f2) "
	ok $? "the man page's footer has the version"
	# The recipes: where the man page says they are, with their run bit.
	dir=$(printf '%s\n' "$flat" | sed -n 's|.*The recipes are installed in the folder \([^ ]*\) (DIR here).*|\1|p')
	[ -n "$dir" ] && [ -d "$tmp/root$dir" ]
	ok $? "the man page names the installed examples folder (${dir:-none})"
	notx=""
	for f in "$tmp/root$dir"/*; do [ -x "$f" ] || notx="$notx ${f##*/}"; done
	[ -z "$notx" ] && [ -n "$(ls "$tmp/root$dir" 2>/dev/null)" ]
	ok $? "the installed examples are executable${notx:+ (not:$notx)}"
fi

echo "1..$n"
[ $failed -eq 0 ]
