#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Drive a program through a real pty, as a user at a terminal would.

Usage: pty-drive.py STEP... -- COMMAND [ARG...]

COMMAND runs as the leader of a new session whose controlling terminal is the slave side
of a fresh pty (24x80). The steps run in order against the master side:
  send:TEXT          type TEXT (\\r, \\n and \\e escapes are understood)
  expect:TEXT        wait until TEXT appears in the output after the last match
  winsize:ROWS:COLS  resize the terminal (the kernel signals SIGWINCH to COMMAND)
  raw                record whether the terminal is in raw mode now (no ICANON, no ECHO)
  kill:SIG           send signal SIG (a number) to COMMAND
  run:SHELL-COMMAND  run SHELL-COMMAND with sh -c (stdin and stdout /dev/null), wait for it
Then COMMAND is waited for. Printed, one per line: "raw=yes|no" for each raw step,
"exit=N" (128+N for a signal), "termios=restored|changed" (the slave's termios after the
command, compared with before it), and the whole output on stderr. Every wait gives up
after 20 s (a safety net: the steps synchronise on the output, never on time); a step that
times out prints "timeout=STEP" and the command is killed.
"""
import fcntl
import os
import select
import signal
import struct
import subprocess
import sys
import termios
import time

LIMIT = 20.0


def unescape(text):
    return text.replace("\\r", "\r").replace("\\n", "\n").replace("\\e", "\x1b")


def main():
    argv = sys.argv[1:]
    sep = argv.index("--")
    steps, cmd = argv[:sep], argv[sep + 1:]
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    before = termios.tcgetattr(slave)
    pid = os.fork()
    if pid == 0:
        os.close(master)
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
        for fd in range(3):
            os.dup2(slave, fd)
        if slave > 2:
            os.close(slave)
        try:
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)
    out = b""
    seen = 0
    results = []
    # SIGCHLD wakes the select below: the end of COMMAND is seen when it happens
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_r, False)
    os.set_blocking(wake_w, False)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.set_wakeup_fd(wake_w)

    def read_some(deadline):
        nonlocal out
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        ready, _, _ = select.select([master, wake_r], [], [], left)
        if wake_r in ready:
            while True:
                try:
                    if not os.read(wake_r, 64):
                        break
                except BlockingIOError:
                    break
        if master in ready:
            try:
                data = os.read(master, 4096)
            except OSError:
                data = b""
            out += data
        return True

    status = None
    for step in steps:
        kind, _, arg = step.partition(":")
        if kind == "send":
            os.write(master, unescape(arg).encode())
        elif kind == "expect":
            want = unescape(arg).encode()
            deadline = time.monotonic() + LIMIT
            while out.find(want, seen) < 0:
                if not read_some(deadline):
                    results.append("timeout=" + step)
                    os.kill(pid, signal.SIGKILL)
                    break
            else:
                seen = out.find(want, seen) + len(want)
                continue
            break
        elif kind == "winsize":
            rows, cols = (int(x) for x in arg.split(":"))
            fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        elif kind == "raw":
            lflag = termios.tcgetattr(slave)[3]
            raw = not (lflag & (termios.ICANON | termios.ECHO))
            results.append("raw=" + ("yes" if raw else "no"))
        elif kind == "kill":
            os.kill(pid, int(arg))
        elif kind == "run":
            subprocess.run(["sh", "-c", arg], stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL, timeout=LIMIT)
        else:
            sys.exit("pty-drive.py: unknown step " + step)
    deadline = time.monotonic() + LIMIT
    while status is None:
        done, st = os.waitpid(pid, os.WNOHANG)
        if done:
            status = st
            break
        if not read_some(deadline):
            results.append("timeout=wait")
            os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
    # what it wrote last (the slave stays open here: read what is buffered, no EOF)
    while select.select([master], [], [], 0)[0]:
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        out += data
    after = termios.tcgetattr(slave)
    if os.WIFSIGNALED(status):
        results.append("exit=%d" % (128 + os.WTERMSIG(status)))
    else:
        results.append("exit=%d" % os.WEXITSTATUS(status))
    results.append("termios=" + ("restored" if after == before else "changed"))
    print("\n".join(results))
    sys.stderr.write(out.decode(errors="replace"))


if __name__ == "__main__":
    main()
