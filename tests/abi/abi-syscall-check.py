#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Check kernel-abi/syscalls-042stab.h against the __NR_ rows of the table.

For each arch the set of numbers ovz_syscall_exists_<arch>() accepts must be
exactly: every __NR_ number of fixtures/abi/openvz6.tsv for that arch
(arch column equal to it or "any"), minus the numbers kernel-abi.md §15.1
and §15.2 say are wired to "not implemented" (ENOSYS). That covers both
directions: a defined, implemented call the table says is absent, and a
number the table accepts that the kernel does not define.

A small program including the header is compiled natively and prints the
accepted numbers in 0..MAXNR; this script compares them. The ENOSYS lists
below are typed from kernel-abi.md, independently of the header.
"""

import argparse
import os
import subprocess
import sys

MAXNR = 1023

# kernel-abi.md §15.1 (x86_64 __SYSCALL entries wired to sys_ni_syscall)
ENOSYS_X86_64 = {134, 174, 177, 178, 181, 182, 183, 184, 185, 205, 211, 214,
                 215, 236, 300, 301, 309}
# kernel-abi.md §15.1 and §15.2 (i386: historic holes, fanotify, prlimit64
# defined in unistd_32.h but not wired in either 32-bit table, and the
# unused OpenVZ slots)
ENOSYS_I386 = {17, 31, 32, 35, 44, 53, 56, 58, 98, 112, 127, 130, 137, 167,
               188, 189, 222, 223, 251, 273, 285, 338, 339, 340,
               508, 509, 514, 515}
ENOSYS = {"x86_64": ENOSYS_X86_64, "i386": ENOSYS_I386}

PROGRAM = r'''
#include <stdio.h>
#include "syscalls-042stab.h"

int main(void)
{
	long nr;

	for (nr = -1; nr <= %d; nr++) {
		if (ovz_syscall_exists_x86_64(nr))
			printf("x86_64 %%ld\n", nr);
		if (ovz_syscall_exists_i386(nr))
			printf("i386 %%ld\n", nr);
	}
	return 0;
}
''' % MAXNR


def tsv_syscalls(path):
    nrs = {"x86_64": {}, "i386": {}}
    with open(path, encoding="utf-8") as f:
        next(f)
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) != 4 or cols[1] != "syscall":
                continue
            name, _, arch, value = cols
            for a in (("x86_64", "i386") if arch == "any" else (arch,)):
                nrs[a].setdefault(int(value, 0), []).append(name)
    return nrs


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tsv", required=True)
    ap.add_argument("--include", required=True, help="the kernel-abi directory")
    ap.add_argument("--outdir", required=True)
    ap.add_argument("--cc", default=os.environ.get("CC", "cc"))
    a = ap.parse_args()

    os.makedirs(a.outdir, exist_ok=True)
    src = os.path.join(a.outdir, "abi-syscall-table.c")
    exe = os.path.join(a.outdir, "abi-syscall-table")
    with open(src, "w") as f:
        f.write(PROGRAM)
    r = subprocess.run([a.cc, "-std=c11", "-Wall", "-Wextra", "-Werror", "-I", a.include,
                        "-o", exe, src], stderr=subprocess.PIPE, universal_newlines=True)
    if r.returncode != 0:
        sys.stderr.write(r.stderr)
        print("abi-syscall-table: FAILED: cannot build the probe program")
        return 1
    out = subprocess.run([exe], stdout=subprocess.PIPE, universal_newlines=True,
                         check=True).stdout
    table = {"x86_64": set(), "i386": set()}
    for line in out.splitlines():
        arch, nr = line.split()
        table[arch].add(int(nr))

    tsv = tsv_syscalls(a.tsv)
    problems = 0
    for arch in ("x86_64", "i386"):
        defined = set(tsv[arch])
        want = {n for n in defined if n not in ENOSYS[arch]}
        have = table[arch]
        for n in sorted(want - have):
            print("ABSENT   %-6s %4d %s: in the table, implemented, but the header says it does not exist"
                  % (arch, n, "/".join(tsv[arch][n])))
        for n in sorted(have - want):
            if n in ENOSYS[arch]:
                why = "wired to ENOSYS per kernel-abi.md §15 (%s)" % "/".join(tsv[arch].get(n, ["no name"]))
            else:
                why = "no __NR_ row for this number"
            print("EXTRA    %-6s %4d: the header says it exists, but %s" % (arch, n, why))
        bad = len(want - have) + len(have - want)
        problems += bad
        print("abi-syscall-table %s: %d problems; %d numbers exist (%d distinct __NR_ numbers in the table, %d of them ENOSYS-wired)"
              % (arch, bad, len(have), len(defined), len(defined & ENOSYS[arch])))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
