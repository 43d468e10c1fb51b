#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Check kernel-abi/ against fixtures/abi/openvz6.tsv for one architecture.

Runs abi-gen.py to turn the table into one _Static_assert per row, compiles
the result against kernel-abi/openvz.h with -m64 (x86_64) or -m32 (i386)
and -fsyntax-only -fmax-errors=0, and maps every compiler error back to its
table row:

  MISMATCH  the header declares the name but the value, size or offset
            differs; the header's value is printed next to the table's
  MISSING   the header lacks the name, struct, typedef or member

Warnings or errors inside the headers themselves are reported too. Ends
with "abi <arch>: M mismatches, K missing of N rows" and exits non-zero on
any problem. The rule: fix the header (or regenerate the table with the
method of kernel-abi.md Appendix A), never edit a number to silence this.
"""

import argparse
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ARCH_FLAG = {"x86_64": "-m64", "i386": "-m32"}
# The project's own warning set: headers must be clean under it
WARN = ["-Wall", "-Wextra", "-Wundef", "-Wshadow", "-Wstrict-prototypes",
        "-Wmissing-prototypes", "-Wpointer-arith", "-Wvla"]
DIAG = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+):(?:(?P<col>\d+):)?\s*"
                  r"(?P<sev>error|warning|fatal error): (?P<msg>.*)$")
MISSING = re.compile(r"undeclared|no member named|incomplete type|"
                     r"unknown type name|storage size|not declared|"
                     r"implicit declaration|expected specifier-qualifier-list|"
                     r"expected expression before")


def run(cmd):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True)


def toolchain_ok(cc, flag, outdir, arch):
    """Can cc build for this arch at all (headers of the target libc)?"""
    probe = os.path.join(outdir, "abi-probe-%s.c" % arch)
    with open(probe, "w") as f:
        f.write("#include <stddef.h>\n#include <stdint.h>\n#include <sys/ioctl.h>\n"
                "#include <linux/ioctl.h>\n#include <linux/quota.h>\nint abi_probe;\n")
    r = run([cc, flag, "-std=c11", "-fsyntax-only", probe])
    if r.returncode != 0:
        sys.stderr.write(r.stderr)
        hint = ""
        if flag == "-m32":
            hint = (" -m32 compilation is impossible here: install the 32-bit C "
                    "library headers (Debian/Ubuntu: apt-get install gcc-multilib; "
                    "Fedora: glibc-devel.i686).")
        print("abi %s: FAILED: %s %s cannot compile a trivial program.%s"
              % (arch, cc, flag, hint))
        return False
    return True


def error_limit_off(cc):
    """Report every error: gcc stops never with -fmax-errors=0, clang needs
    its own spelling (it accepts gcc's and still stops after 20)."""
    r = run([cc, "--version"])
    return "-ferror-limit=0" if "clang" in r.stdout else "-fmax-errors=0"


def read_map(path):
    rows = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            n, name, kind, arch, value = line.rstrip("\n").split("\t")
            rows[int(n)] = (name, kind, arch, value)
    return rows


def expression(name, kind):
    if kind in ("const", "syscall"):
        return "(%s)" % name
    if kind == "sizeof":
        return "sizeof(%s)" % name
    base, _, member = name.rpartition(".")
    return "offsetof(%s, %s)" % (base, member)


def actual_values(cc, flag, incdir, rows, outdir, arch):
    """Ask the compiler for the header's value of each mismatching row.

    Each value is put into an asm operand and read back from the assembly,
    so nothing has to run on the target arch. Returns {line: int}. If the
    rows do not compile together, each is tried alone.
    """
    vals = asm_values(cc, flag, incdir, rows, outdir, arch)
    if vals is None:
        vals = {}
        for n, row in rows.items():
            vals.update(asm_values(cc, flag, incdir, {n: row}, outdir, arch) or {})
    return vals


def asm_values(cc, flag, incdir, rows, outdir, arch):
    src = os.path.join(outdir, "abi-actual-%s.c" % arch)
    out = ["#include <stddef.h>", '#include "openvz.h"', "void abi_actual(void);",
           "void abi_actual(void)", "{"]
    order = []
    for line, (name, kind, _, _) in sorted(rows.items()):
        e = expression(name, kind)
        out.append('\t__asm__ volatile("# ABIVAL %d %%c0 %%c1 %%c2" :: '
                   '"i"((unsigned int)((unsigned long long)%s & 0xffffffffULL)), '
                   '"i"((unsigned int)((unsigned long long)%s >> 32)), '
                   '"i"(%s > 0 ? 1 : (%s == 0 ? 0 : -1)));' % (line, e, e, e, e))
        order.append(line)
    out.append("}")
    with open(src, "w") as f:
        f.write("\n".join(out) + "\n")
    r = run([cc, flag, "-std=c11", "-w", "-S", "-o", "-", "-I", incdir, src])
    vals = {}
    if r.returncode != 0:
        return None
    for m in re.finditer(r"# ABIVAL (\d+) (-?\d+) (-?\d+) (-?\d+)", r.stdout):
        lo = int(m.group(2)) & 0xffffffff
        hi = int(m.group(3)) & 0xffffffff
        sign = int(m.group(4))
        v = (hi << 32) | lo
        if sign < 0:
            v -= 1 << 64
        vals[int(m.group(1))] = v
    return vals


def fmt(v, like):
    if isinstance(v, int):
        if like.lower().startswith("0x") and v >= 0:
            return "0x%x" % v
        return "%d" % v
    return "?"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--arch", required=True, choices=sorted(ARCH_FLAG))
    ap.add_argument("--tsv", required=True)
    ap.add_argument("--include", required=True, help="the kernel-abi directory")
    ap.add_argument("--outdir", required=True)
    ap.add_argument("--cc", default=os.environ.get("CC", "cc"))
    a = ap.parse_args()

    arch, flag = a.arch, ARCH_FLAG[a.arch]
    os.makedirs(a.outdir, exist_ok=True)
    if not toolchain_ok(a.cc, flag, a.outdir, arch):
        return 1

    src = os.path.join(a.outdir, "abi-%s.c" % arch)
    mapf = os.path.join(a.outdir, "abi-%s.map" % arch)
    g = run([sys.executable, os.path.join(HERE, "abi-gen.py"), "--tsv", a.tsv,
             "--arch", arch, "--out", src, "--map", mapf])
    if g.returncode != 0:
        sys.stderr.write(g.stdout + g.stderr)
        print("abi %s: FAILED: abi-gen.py could not read the table" % arch)
        return 1
    rows = read_map(mapf)

    cmd = [a.cc, flag, "-std=c11", "-fsyntax-only", error_limit_off(a.cc)] + WARN + \
        ["-I", a.include, src]
    r = run(cmd)

    per_row = {}		# line -> [messages]
    foreign = []		# diagnostics outside the generated file
    for line in r.stderr.splitlines():
        m = DIAG.match(line)
        if not m:
            continue
        here = os.path.abspath(m.group("file")) == os.path.abspath(src)
        n = int(m.group("line"))
        if here and n in rows:
            if m.group("sev") != "warning":
                per_row.setdefault(n, []).append(m.group("msg"))
        elif m.group("sev") != "warning" or not here:
            foreign.append(line)

    mismatched = {}
    missing = {}
    for n, msgs in per_row.items():
        if any(MISSING.search(x) for x in msgs):
            missing[n] = [x for x in msgs if MISSING.search(x)][0]
        else:
            mismatched[n] = msgs[0]

    got = actual_values(a.cc, flag, a.include,
                        {n: rows[n] for n in mismatched}, a.outdir, arch) \
        if mismatched else {}

    for n in sorted(mismatched):
        name, kind, rarch, value = rows[n]
        have = fmt(got.get(n), value) if n in got else "(%s)" % mismatched[n]
        print("MISMATCH %-40s %-8s %-6s table %s, headers %s"
              % (name, kind, rarch, value, have))
    for n in sorted(missing):
        name, kind, rarch, value = rows[n]
        print("MISSING  %-40s %-8s %-6s table %s: %s"
              % (name, kind, rarch, value, missing[n]))
    for line in foreign:
        print("HEADER   %s" % line)
    if r.returncode != 0 and not per_row and not foreign:
        sys.stderr.write(r.stderr)
        foreign.append("compiler failed without a diagnostic this script understands")

    print("abi %s: %d mismatches, %d missing of %d rows%s"
          % (arch, len(mismatched), len(missing), len(rows),
             ", %d header diagnostics" % len(foreign) if foreign else ""))
    if mismatched or missing or foreign:
        print("command: %s" % " ".join(cmd))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
