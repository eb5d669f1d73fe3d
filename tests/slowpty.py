#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A slow terminal for the explorer's pacing: runs PROGRAM on a pty whose output is read no faster
than --rate bytes per second into a link buffer (as SSH and terminal emulators buffer megabytes),
holds an arrow key, then presses it once after pauses, and reports when the screen settled.

  slowpty.py [--rate B/S] [--size COLSxROWS] [--answer] [--hold S] [--singles N] -- PROGRAM [ARGS...]

--answer: the far end answers the terminal queries that reach it (cursor position ESC [ 6 n, device
attributes ESC [ c, background colour OSC 11) once everything written before them has crossed the
link, as a real terminal does; without it nothing is answered (a relay that swallows queries).

Prints one line per measure:
  settled S        seconds from the last key of the hold until the output stopped (no byte for
                   --quiet-s, not counted), as slow-link reports it
  single F D B     for each single key after a pause: seconds until its first byte crossed the
                   link, and until its last did, and the bytes written for it
  bytes B          bytes written by the program from the first key of the hold until it settled
Exit 0, or 1 when the program ended early, 2 on a usage error."""
import argparse, fcntl, os, pty, select, signal, struct, sys, termios, time

QUERIES = (b"\x1b[6n", b"\x1b[c", b"\x1b[0c", b"\x1b]11;?")
ARROWS = {"right": b"\x1bOC", "left": b"\x1bOD", "up": b"\x1bOA", "down": b"\x1bOB"}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rate", type=float, default=2000)
    ap.add_argument("--size", default="80x24")
    ap.add_argument("--answer", action="store_true")
    ap.add_argument("--hold", type=float, default=3.0)
    ap.add_argument("--keys-per-s", type=float, default=30.0)
    ap.add_argument("--key", default="right", choices=sorted(ARROWS))
    ap.add_argument("--warmup", type=float, default=3.0)
    ap.add_argument("--quiet-s", type=float, default=0.7)
    ap.add_argument("--singles", type=int, default=0)
    ap.add_argument("--pause", type=float, default=1.5, help="seconds of quiet before a single key")
    ap.add_argument("--buffer", type=int, default=4 << 20)
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--no-drain", action="store_true", help="start the hold after the warm-up even if "
                    "the start's frame is still crossing (as slow-link does)")
    ap.add_argument("--log", help="write what crosses the link there, with times")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd[:1] == ["--"] else a.cmd
    if not cmd:
        ap.error("no program given")
    cols, rows = (int(v) for v in a.size.lower().split("x"))
    env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8")
    for v in ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY"):
        env.pop(v, None)
    if os.environ.get("SLOWPTY_SSH"):
        env["SSH_CONNECTION"] = "127.0.0.1 0 127.0.0.1 22"
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        os.execvpe(cmd[0], cmd, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    key = ARROWS[a.key]
    log = open(a.log, "wb") if a.log else None
    st = {"queue": bytearray(), "tokens": 0.0, "t": time.monotonic(), "alive": True,
          "last": time.monotonic(), "first_after": None, "tail": b"", "written": 0}

    def answer(chunk):
        """The queries in what crossed the link, answered in order (a real terminal's replies)."""
        s = st["tail"] + chunk
        i = 0
        while True:
            j = s.find(b"\x1b", i)
            if j < 0:
                st["tail"] = b""
                return
            rest = s[j:j + 16]
            if len(rest) < 8 and any(q.startswith(rest) and q != rest for q in QUERIES):
                st["tail"] = s[j:]
                return
            if rest.startswith(b"\x1b[6n"):
                os.write(fd, b"\x1b[%d;%dR" % (rows, cols))
            elif rest.startswith(b"\x1b[c") or rest.startswith(b"\x1b[0c"):
                os.write(fd, b"\x1b[?62;22c")
            elif rest.startswith(b"\x1b]11;?"):
                os.write(fd, b"\x1b]11;rgb:0000/0000/0000\x1b\\")
            i = j + 1

    def pump(until, quiet=None):
        """Moves bytes until the time given, or until the output was quiet for `quiet` seconds.
        Returns the time of the last byte across, or None when the program ended."""
        while True:
            now = time.monotonic()
            if now >= until:
                return st["last"]
            if quiet is not None and not st["queue"] and now - st["last"] >= quiet:
                return st["last"]
            if not st["alive"] and not st["queue"]:
                return None
            st["tokens"] = min(a.rate * 0.05, st["tokens"] + a.rate * (now - st["t"]))
            st["t"] = now
            if st["queue"] and st["tokens"] >= 1:
                n = min(int(st["tokens"]), len(st["queue"]))
                st["tokens"] -= n
                chunk = bytes(st["queue"][:n])
                del st["queue"][:n]
                st["last"] = now
                if st["first_after"] is None:
                    st["first_after"] = now
                if a.answer:
                    answer(chunk)
                if log:
                    log.write(b"\n@@ %.3f %d\n" % (now - start, n) + chunk)
            if st["alive"] and len(st["queue"]) < a.buffer:
                r, _, _ = select.select([fd], [], [], 0.002)
                if r:
                    try:
                        data = os.read(fd, min(65536, a.buffer - len(st["queue"])))
                    except OSError:
                        data = b""
                    if not data:
                        st["alive"] = False
                    else:
                        st["queue"] += data
                        st["written"] += len(data)
                        if log:
                            log.write(b"\n<< %.3f %d queue %d\n" % (time.monotonic() - start, len(data), len(st["queue"])))
                    continue
            time.sleep(0.002)

    start = time.monotonic()
    if pump(start + a.warmup) is None:
        print("slowpty: the program ended during warm-up", file=sys.stderr)
        return 1
    # let the start drain (with a limit) so that the hold starts on an idle link
    if not a.no_drain:
        pump(time.monotonic() + a.timeout, quiet=a.quiet_s)
    if a.hold > 0:
        written0 = st["written"]
        t0 = time.monotonic()
        n = int(a.hold * a.keys_per_s)
        last_key = t0
        for i in range(n):
            if pump(t0 + i / a.keys_per_s) is None:
                print("slowpty: the program ended during the hold", file=sys.stderr)
                return 1
            os.write(fd, key)
            last_key = time.monotonic()
            if log:
                log.write(b"\n>> %.3f key\n" % (last_key - start))
        st["last"] = max(st["last"], last_key)  # quiet counts from the last key
        last = pump(last_key + a.timeout, quiet=a.quiet_s)
        if last is None:
            print("slowpty: the program ended", file=sys.stderr)
            return 1
        print("settled %.2f" % max(0.0, last - last_key))
        print("bytes %d" % (st["written"] - written0))
    other = {"right": "left", "left": "right", "up": "down", "down": "up"}
    for i in range(a.singles):
        pump(time.monotonic() + a.pause)
        pump(time.monotonic() + a.timeout, quiet=a.quiet_s)
        st["first_after"] = None
        k = ARROWS[other[a.key]] if i % 2 else key
        t = time.monotonic()
        st["last"] = t
        w0 = st["written"]
        os.write(fd, k)
        last = pump(t + a.timeout, quiet=a.quiet_s)
        if last is None:
            print("slowpty: the program ended", file=sys.stderr)
            return 1
        first = st["first_after"]
        print("single %.3f %.3f %d" % (first - t if first else -1, max(0.0, last - t) if first else -1,
                                       st["written"] - w0))
    try:
        os.write(fd, b"q")
        pump(time.monotonic() + 0.5)
        os.kill(pid, signal.SIGTERM)
    except OSError:
        pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
