#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Check kernel-abi/names.h against fixtures/abi/openvz6.tsv.

names.h lists the kernel's names of OpenVZ constants as X-macro lists, from which the
library's dry-run and the emulator's trace build their tables. Every name listed must be a
constant row of the table (a misspelt or invented name fails), no list may name a constant
twice, and each list must be complete: every table constant of its family is listed (a
constant added to kernel-abi/ and the table but not here would print as a bare number).
Ends with "abi names: N problems in M names" and exits non-zero on any problem.
"""

import argparse
import re
import sys

# list -> (family of table names it must cover, names of that family that are not members)
FAMILIES = {
    "VZ_UB_RESOURCES": (r"UB_[A-Z]+", {"UB_MAGIC", "UB_MAXVALUE", "UB_MAXVALUE_COMPAT",
                                       "UB_RESOURCES", "UB_RESOURCES_COMPAT",
                                       "UB_IOPRIO_MIN", "UB_IOPRIO_MAX"}),
    "VZ_ENV_FLAGS": (r"VE_(CREATE|EXCLUSIVE|ENTER|TEST|LOCK|SKIPLOCK)", set()),
    "VZ_DQ_CMDS": (r"VZ_DQ_(?!UGID_)[A-Z_]+", set()),
    "VZ_DQ_UGID_CMDS": (r"VZ_DQ_UGID_[A-Z_]+", set()),
    "VZ_FAIRSCHED_RATE_OPS": (r"FAIRSCHED_[A-Z]+_RATE", set()),
    "VZ_VE_IP_OPS": (r"VE_IP_(EXT_)?(ADD|DEL)", set()),
    "VZ_VE_CONFIGURE_KEYS": (r"VE_CONFIGURE_[A-Z_]+", set()),
    "VZ_VE_MEMINFO_MODES": (r"VE_MEMINFO_[A-Z_]+", {"VE_MEMINFO_NR_SPECIAL"}),
    "VZ_VE_NETDEV_OPS": (r"VE_NETDEV_[A-Z]+", set()),
    "VZ_VE_ETH_OPS": (r"VE_ETH_[A-Z_]+", set()),
    "VZ_IOPRIO_CLASSES": (r"IOPRIO_CLASS_(?!SHIFT)[A-Z]+", set()),
    "VZ_IOPRIO_WHO": (r"IOPRIO_WHO_[A-Z]+", set()),
    "VZ_IOCTLS": (r"(VZCTL|VENETCTL|VETHCTL)_(?!COMPAT_)[A-Z_]+",
                  {"VZCTL_MAJOR", "VZCTL_ENV_CREATE_DATA_MINLEN",
                   "VZCTL_ENV_CREATE_DATA_MAXLEN"}),
    "VZ_COMPAT_IOCTLS": (r"(VZCTL|VENETCTL)_COMPAT_[A-Z_]+", set()),
}


def lists_of(text):
    """{list name: [names]} from the #define NAME(X) ... bodies (continued lines joined)"""
    text = text.replace("\\\n", " ")
    out = {}
    for m in re.finditer(r"^#define\s+(VZ_[A-Z_]+)\(X\)\s+(.*)$", text, re.M):
        out[m.group(1)] = re.findall(r"X\(([^)]*)\)", m.group(2))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tsv", required=True)
    ap.add_argument("--names", required=True)
    a = ap.parse_args()

    consts = set()
    with open(a.tsv) as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) >= 2 and cols[1] == "const":
                consts.add(cols[0])
    with open(a.names) as f:
        lists = lists_of(f.read())

    problems, count = [], 0
    for lname, (family, excluded) in FAMILIES.items():
        if lname not in lists:
            problems.append("%s: list missing from names.h" % lname)
            continue
        listed = []
        for row in lists[lname]:
            parts = [p.strip() for p in row.split(",")]
            # the compat list: (number's name, the name the program writes); both are rows
            for p in parts:
                count += 1
                if p not in consts:
                    problems.append("%s: %s is not a constant of the table" % (lname, p))
            listed.append(parts[0])
        for dup in sorted({n for n in listed if listed.count(n) > 1}):
            problems.append("%s: %s listed twice" % (lname, dup))
        want = {c for c in consts if re.fullmatch(family, c)} - excluded
        for miss in sorted(want - set(listed)):
            problems.append("%s: the table's %s is not listed" % (lname, miss))
    for lname in sorted(set(lists) - set(FAMILIES)):
        problems.append("%s: a list this check does not know; add its family here" % lname)

    for p in problems:
        print("PROBLEM  " + p)
    print("abi names: %d problems in %d names" % (len(problems), count))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
