#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The bytes of the explorer's frames after one key, for tests/lean-frames.sh and make bench.

  frame-attrs.py COLSxROWS PROGRAM [ARGS...]

Runs PROGRAM on a pty of that size (TERM xterm-256color, UTF-8) whose far end answers the cursor
position question (ESC [ 6 n) at once, waits until the start is drawn (no byte for 2 s), presses the
right arrow, records what is written until no byte comes for 2 s, and prints one line:
  bytes B sgr S blank_sgr K start F
B: bytes written after the key; S: attribute changes (SGR sequences) among them; K: those spent on
blanks alone (an SGR followed by nothing but blanks before the next SGR, which a blank never needs:
it looks the same in any colour, bold or dim); F: bytes of the first, full, screen. Exit 1 when the program ended early."""
import fcntl, os, pty, re, select, struct, sys, termios, time


def main():
    cols, rows = (int(v) for v in sys.argv[1].lower().split("x"))
    cmd = sys.argv[2:]
    env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8")
    for k in ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY", "NO_COLOR"):
        env.pop(k, None)
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        os.execvpe(cmd[0], cmd, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

    def pump(quiet, limit):
        buf = bytearray()
        t0 = last = time.monotonic()
        while time.monotonic() - last < quiet and time.monotonic() - t0 < limit:
            r, _, _ = select.select([fd], [], [], 0.02)
            if not r:
                continue
            try:
                d = os.read(fd, 65536)
            except OSError:
                return None
            if not d:
                return None
            buf += d
            last = time.monotonic()
            if b"\x1b[6n" in d:
                os.write(fd, b"\x1b[1;1R" * d.count(b"\x1b[6n"))
        return bytes(buf)

    start = pump(2.0, 30)
    os.write(fd, b"\x1bOC")
    after = pump(2.0, 30) if start is not None else None
    try:
        os.write(fd, b"q")
        pump(0.5, 3)
        os.kill(pid, 9)
    except OSError:
        pass
    os.waitpid(pid, 0)
    if after is None:
        print("frame-attrs: the program ended early", file=sys.stderr)
        return 1
    sgr = re.findall(rb"\x1b\[[0-9;]*m", after)
    blank = re.findall(rb"\x1b\[[0-9;]*m +(?=(?:\x1b\(B)?\x1b\[[0-9;]*m)", after)
    print("bytes %d sgr %d blank_sgr %d start %d" % (len(after), len(sgr), len(blank), len(start)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
