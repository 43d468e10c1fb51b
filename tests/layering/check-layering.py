#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The layering rules of the design, checked on the sources:

  1. only lib/kernel*.c issues OpenVZ ioctls and system calls: no other file of lib/ or cmd/
     calls ioctl() or syscall() or names an OpenVZ request or call number (VZCTL_*,
     VENETCTL_*, VETHCTL_*, __NR_*, SYS_*);
  2. lib/ never prints: no printf, puts, putchar, perror, err/warn, error(), no stdout or
     stderr, no write()/dprintf() to descriptor 1 or 2 (fprintf to a FILE the caller or
     open_memstream gave is fine);
  3. lib/ never exits: no exit, _exit, _Exit, quick_exit, abort, assert.

Comments, string and character literals are blanked first, so prose and messages that
mention a call do not count. tests/ and bench/ are not checked: the emulator and its clients
sit on the other side of the kernel boundary and issue these calls on purpose.

Usage: check-layering.py SOURCE_DIR    exit 1 and one line per violation when any
       check-layering.py --self-test   plants violations in a scratch tree, expects each found
"""
import os
import re
import sys
import tempfile

# Explicit exceptions: (path relative to the source dir, rule, why). Each must still match
# something, so an exception outlives neither its reason nor its code.
ALLOWED = [
    ("lib/quota-scan.c", "ioctl",
     "FIOQSIZE and EXT4_IOC_ALLOC_DA_BLKS: the filesystem ioctls of vzquota's usage scan, "
     "not OpenVZ calls"),
    ("lib/start-child.c", "exits",
     "the forked VE-creating children end with _exit; the caller's process never exits"),
    ("lib/stop.c", "exits",
     "the forked children that enter the VE to halt or kill it end with _exit"),
    ("lib/exec.c", "ioctl",
     "TIOCSPTLCK, TIOCGPTN, TIOCSWINSZ, TIOCSCTTY: the pty inside the VE, not OpenVZ calls"),
    ("lib/exec.c", "exits",
     "the forked child that enters the VE for exec/enter ends with _exit when it fails"),
    ("cmd/relay.c", "ioctl",
     "TIOCGWINSZ, TIOCSWINSZ: the window size of the host terminal and the pty"),
    ("lib/ve-inside.c", "exits",
     "the forked child that enters the VE to configure its network ends with _exit"),
]

KERNEL_FILES = re.compile(r"^lib/kernel[^/]*\.c$")

KERNEL_CALL = [
    ("ioctl", re.compile(r"(?<![\w.>])ioctl\s*\(")),
    ("syscall", re.compile(r"(?<![\w.>])syscall\s*\(")),
    ("kernel-name", re.compile(r"\b(?:VZCTL|VENETCTL|VETHCTL|VZDQCTL)_\w+|\b__NR_\w+|\bSYS_\w+")),
]
PRINTS = [
    ("prints", re.compile(r"(?<![\w.>])(?:printf|vprintf|puts|putchar|perror|psignal|"
                          r"err|errx|verr|verrx|warn|warnx|vwarn|vwarnx|error|error_at_line)\s*\(")),
    ("prints", re.compile(r"\b(?:stdout|stderr|STDOUT_FILENO|STDERR_FILENO)\b")),
    ("prints", re.compile(r"(?<![\w.>])(?:write|dprintf)\s*\(\s*[12]\s*,")),
]
EXITS = [
    ("exits", re.compile(r"(?<![\w.>])(?:exit|_exit|_Exit|quick_exit|abort|assert)\s*\(")),
]


def blank_comments_and_literals(text):
    """The C text with comments and string/char literals replaced by spaces (newlines kept)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        two = text[i:i + 2]
        if two == "/*":
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            out.append(re.sub(r"[^\n]", " ", text[i:end]))
            i = end
        elif two == "//":
            end = text.find("\n", i)
            end = n if end < 0 else end
            out.append(" " * (end - i))
            i = end
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(c + re.sub(r"[^\n]", " ", text[i + 1:j - 1]) + (c if j - 1 > i else ""))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def rules_for(rel):
    rules = []
    if not KERNEL_FILES.match(rel):
        rules += KERNEL_CALL
    if rel.startswith("lib/"):
        rules += PRINTS + EXITS
    return rules


def check(src, allowed_list=None):
    """Violations as "path:line: rule: text", and the allow-list entries that matched nothing."""
    if allowed_list is None:
        allowed_list = ALLOWED
    found, used = [], set()
    for top in ("lib", "cmd"):
        for dirpath, _, files in os.walk(os.path.join(src, top)):
            for name in sorted(files):
                if not name.endswith((".c", ".h")):
                    continue
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, src)
                with open(path, encoding="utf-8", errors="replace") as f:
                    code = blank_comments_and_literals(f.read())
                for lineno, line in enumerate(code.split("\n"), 1):
                    for rule, pattern in rules_for(rel):
                        if not pattern.search(line):
                            continue
                        allowed = [k for k, a in enumerate(allowed_list) if a[0] == rel and a[1] == rule]
                        if allowed:
                            used.update(allowed)
                        else:
                            found.append(f"{rel}:{lineno}: {rule}: {line.strip()}")
    stale = [f"{a[0]}: {a[1]}: allow-list entry matches nothing" for k, a in enumerate(allowed_list)
             if k not in used]
    return sorted(set(found)), stale


PLANTED = {
    "lib/kernel.c": 'long f(int fd) { return ioctl(fd, VZCTL_ENV_CREATE, 0) + syscall(__NR_setluid, 1); }\n',
    "lib/kernel-print.c": 'int g(void) { return VENETCTL_VE_IP_MAP; }\n',
    "lib/clean.c": (
        '/* printf("x"); exit(1); ioctl(fd, VZCTL_ENV_CREATE) */\n'
        '// puts("y"); abort();\n'
        'static const char *m = "printf(\\"%d\\") exit( syscall( stderr";\n'
        'static char q = \'"\';\n'
        'int h(FILE *f) { fprintf(f, "ok"); fputs("ok", f); return error_set(0, 1, 0, 0, 0, "e"); }\n'
        'int w(int fd) { return write(fd, "", 0) + s.exit(1) + p->abort(); }\n'
    ),
    "lib/bad.c": (
        'void a(void) { printf("x"); }\n'
        'void b(void) { fprintf(stderr, "x"); }\n'
        'void c(void) { exit(1); }\n'
        'void d(void) { abort(); }\n'
        'void e(int fd) { ioctl(fd, 5); }\n'
        'void f(void) { syscall(1); }\n'
        'long g(void) { return __NR_setublimit; }\n'
        'void h(void) { write(2, "x", 1); }\n'
        'void i(void) { _exit(3); }\n'
        'void j(void) { assert(0); }\n'
    ),
    "cmd/main.c": (
        'int main(void) { printf("cmd may print"); exit(0); }\n'
        'int k(int fd) { return ioctl(fd, VETHCTL_VE_HWADDR, 0); }\n'
    ),
}
EXPECTED = [
    "cmd/main.c:2: ioctl", "cmd/main.c:2: kernel-name",
    "lib/bad.c:1: prints", "lib/bad.c:2: prints", "lib/bad.c:3: exits", "lib/bad.c:4: exits",
    "lib/bad.c:5: ioctl", "lib/bad.c:6: syscall", "lib/bad.c:7: kernel-name",
    "lib/bad.c:8: prints", "lib/bad.c:9: exits", "lib/bad.c:10: exits",
]


def self_test():
    with tempfile.TemporaryDirectory() as tmp:
        for rel, text in PLANTED.items():
            os.makedirs(os.path.dirname(os.path.join(tmp, rel)), exist_ok=True)
            with open(os.path.join(tmp, rel), "w") as f:
                f.write(text)
        found, stale = check(tmp, [])  # the real allow-list names files not planted here
    got = sorted(":".join(v.split(":")[:3]) for v in found)
    if got != sorted(EXPECTED) or stale:
        print("self-test: expected\n  " + "\n  ".join(sorted(EXPECTED)) + "\ngot\n  " +
              "\n  ".join(found + stale), file=sys.stderr)
        return 1
    print(f"check-layering self-test: {len(EXPECTED)} planted violations found, nothing else")
    return 0


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    found, stale = check(sys.argv[1])
    for line in found + stale:
        print(line)
    if found or stale:
        print(f"check-layering: {len(found)} violations, {len(stale)} stale exceptions",
              file=sys.stderr)
        return 1
    print("check-layering: lib/ and cmd/ keep the layering rules")
    return 0


if __name__ == "__main__":
    sys.exit(main())
