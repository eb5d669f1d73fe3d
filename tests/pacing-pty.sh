#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The explorer's pace on a slow terminal, outside SSH (no SSH_CONNECTION): the program runs on a pty
# whose far end reads 2,000 bytes a second into a deep buffer (tests/slowpty.py, as SSH and terminal
# emulators buffer megabytes, so writes never block). An arrow key is held for 3 s at 30 keys/s.
# The explorer must keep what it writes to about what the link carries, so that the screen settles
# soon after the last key: once with a far end that answers the terminal's questions (it measures
# the link) and once with one that answers none (it must assume a slow link). And a far end that
# drains fast and answers at once (a local terminal) must not be paced. The bounds are several
# times what it does here, for a loaded machine; an unpaced explorer writes ten times as much.
# TAP output; skipped without python3.
prog=${CALCIUM_STDP:-./calcium-stdp}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cstdp-pacing.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
. "$here/tap-lib.sh"
echo "TAP version 13"
if ! command -v python3 >/dev/null 2>&1; then
	echo "1..0 # SKIP python3 is missing"
	exit 0
fi
export CALCIUM_STDP_PARAMS=${CALCIUM_STDP_PARAMS:-$here/../params}
export XDG_CONFIG_HOME="$tmp/config"
unset SSH_CONNECTION SSH_CLIENT SSH_TTY
rate=2000 hold=3

# field NAME FILE: the first number after NAME on its line.
field() { sed -n "s/^$1 \([0-9.]*\).*/\1/p" "$2" | head -n 1; }

# The three runs at once (each waits on its link most of the time): a far end that answers, one
# that answers nothing, and a fast one that answers (a local terminal).
python3 "$here/slowpty.py" --rate $rate --size 80x24 --warmup 1 --hold $hold --singles 1 --answer \
	--timeout 20 -- "$prog" >"$tmp/out1" 2>"$tmp/err1" &
p1=$!
python3 "$here/slowpty.py" --rate $rate --size 80x24 --warmup 1 --hold $hold --singles 1 \
	--timeout 20 -- "$prog" >"$tmp/out2" 2>"$tmp/err2" &
p2=$!
python3 "$here/slowpty.py" --rate 10000000 --size 80x24 --warmup 1 --hold $hold --answer \
	--timeout 20 -- "$prog" >"$tmp/out3" 2>"$tmp/err3" &
p3=$!
wait $p1
s1=$?
wait $p2
s2=$?
wait $p3
s3=$?

for i in 1 2; do
	if [ $i = 1 ]; then what="a far end that answers" status=$s1; else what="a far end that answers no question" status=$s2; fi
	ok $status "ran on a $rate B/s pty with $what: $(tr '\n' ' ' <"$tmp/out$i") $(head -c 200 "$tmp/err$i")"
	settled=$(field settled "$tmp/out$i")
	bytes=$(field bytes "$tmp/out$i")
	first=$(sed -n 's/^single \([0-9.]*\) .*/\1/p' "$tmp/out$i" | head -n 1)
	# what the link carries in the hold and 3 s more (a frame or two in flight when it starts)
	awk -v b="${bytes:-1e9}" -v r=$rate -v h=$hold 'BEGIN { exit !(b <= r * (h + 3)) }'
	ok $? "$what: ${bytes:-?} bytes written from the first key until it settled (at most $((rate * (hold + 3))))"
	awk -v s="${settled:-1e9}" 'BEGIN { exit !(s <= 3) }'
	ok $? "$what: settled ${settled:-never} s after the last key (at most 3)"
	awk -v s="${first:-1e9}" 'BEGIN { exit !(s >= 0 && s <= 1.5) }'
	ok $? "$what: a single key after a pause shows in ${first:-never} s (at most 1.5)"
done

# The local terminal: pacing as for an unknown link would keep the hold to some 1,500 B/s; a
# measured fast link lets every frame out (tens of kB/s here).
ok $s3 "ran on a fast pty that answers: $(tr '\n' ' ' <"$tmp/out3") $(head -c 200 "$tmp/err3")"
bytes=$(field bytes "$tmp/out3")
awk -v b="${bytes:-0}" -v r=$rate -v h=$hold 'BEGIN { exit !(b > 3 * r * h) }'
ok $? "fast terminal: ${bytes:-?} bytes in the hold, not paced (over $((3 * rate * hold)))"
echo "1..$n"
[ "$failed" -eq 0 ]
