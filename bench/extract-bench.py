#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""One target (a directory on the disk, or a tmpfs) of bench/extract-bench.sh: runs, in
rounds and in a random order within each round, vzlite's extraction, GNU tar as vzctl runs
it, bsdtar, the decoder alone, and (with --copy-src, a directory on a tmpfs) `cp -a` of the
extracted tree from there to the target: the fastest creation of the same tree measured
here. For every cache; then checks that vzlite's tree equals tar's. Prints a table (medians
with min-max; the floor is the slower of decoding and copying) and writes JSON lines.

Usage: extract-bench.py --target NAME --dir SCRATCH --driver VZL-EXTRACT --runs N
                        [--copy-src TMPFS-DIR] [--json FILE] CACHE..."""
import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "extract"))
import xtest  # noqa: E402

TAR_Z = {"gz": ["-z"], "zst": ["--zstd"], "xz": ["-J"], "xz-mt": ["-J"], "tar": []}
# xz -T0 decodes a multi-block file in threads (xz >= 5.4), as vzlite does.
FLOOR = {"gz": ["gzip", "-dc"], "zst": ["zstd", "-dc"], "xz": ["xz", "-dc"],
         "xz-mt": ["xz", "-T0", "-dc"], "tar": ["cat"]}
NO_DEST = ("decode floor",)  # commands that create nothing in dest


def commands(driver, cache, fmt, dest, copy_src):
    c = {
        "vzlite": [driver, cache, dest],
        "GNU tar": ["tar", "--numeric-owner", "-Sp", *TAR_Z[fmt], "-xf", cache, "-C", dest],
        "bsdtar": ["bsdtar", "--numeric-owner", "-xpf", cache, "-C", dest],
        "decode floor": [*FLOOR[fmt], cache],
    }
    if copy_src:
        c["copy floor"] = ["cp", "-a", copy_src + "/.", dest]
    return c


def timed(cmd, stdout=None):
    """Wall seconds, and the peak RSS (KiB) of the largest process of the command's tree, by
    /usr/bin/time -f %M (os.wait4 would count the RSS the forked Python had before exec)."""
    rss_file = "/tmp/.vzl-bench-rss"
    t0 = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss_file, *cmd], stdout=stdout,
                       stderr=subprocess.PIPE)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"FAILED: {' '.join(cmd)}: {p.stderr.decode(errors='replace')}")
    with open(rss_file) as fh:
        rss = int(fh.read().split()[-1])
    return wall, rss


def prepare(scratch, dest, needs_dir):
    if os.path.lexists(dest):
        subprocess.run(["rm", "-rf", dest], check=True)
    if os.path.lexists(dest + ".tmp"):
        subprocess.run(["rm", "-rf", dest + ".tmp"], check=True)
    if needs_dir:
        os.mkdir(dest, 0o700)
    os.sync()


def fmt_of(cache):
    if cache.endswith("-mt.tar.xz"):
        return "xz-mt"
    for ext in ("gz", "zst", "xz"):
        if cache.endswith(".tar." + ext):
            return ext
    return "tar"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--target", required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--driver", required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--json")
    ap.add_argument("--copy-src")
    ap.add_argument("caches", nargs="+")
    a = ap.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    dest = os.path.join(a.dir, "private")
    devnull = open(os.devnull, "wb")
    results = {}

    for cache in a.caches:
        fmt = fmt_of(cache)
        src = None
        if a.copy_src:
            os.makedirs(a.copy_src, exist_ok=True)
            src = os.path.join(a.copy_src, "tree")
            prepare(a.copy_src, src, True)
            subprocess.run(["tar", "--numeric-owner", "-Sp", *TAR_Z[fmt], "-xf", cache, "-C",
                            src], check=True)
        cmds = commands(a.driver, cache, fmt, dest, src)
        if not shutil.which("bsdtar"):
            del cmds["bsdtar"]
        # One warm-up of each, then rounds in a random order (slow periods of a shared
        # host spread over all commands).
        for name, cmd in cmds.items():
            if name not in NO_DEST:
                prepare(a.dir, dest, name != "vzlite")
            timed(cmd, devnull if name in NO_DEST else None)
        times = {n: [] for n in cmds}
        rss = {n: [] for n in cmds}
        for _ in range(a.runs):
            order = list(cmds)
            random.shuffle(order)
            for name in order:
                if name not in NO_DEST:
                    prepare(a.dir, dest, name != "vzlite")
                w, m = timed(cmds[name], devnull if name in NO_DEST else None)
                times[name].append(w)
                rss[name].append(m)
        results[fmt] = {n: {"median": statistics.median(t), "min": min(t), "max": max(t),
                            "rss_kib": max(rss[n]), "runs": t} for n, t in times.items()}

        # vzlite's tree must equal GNU tar's, attribute by attribute.
        ref = os.path.join(a.dir, "ref")
        prepare(a.dir, ref, True)
        subprocess.run(cmds["GNU tar"][:-1] + [ref], check=True)
        prepare(a.dir, dest, False)
        st = subprocess.run([a.driver, "--stats", cache, dest], check=True,
                            stdout=subprocess.PIPE, text=True).stdout.split()
        st = dict(zip(st[::2], st[1::2]))
        results[fmt]["threads"] = (f"decoder thread {st.get('threaded')}, writers "
                                   f"{st.get('writers')}, xz threads {st.get('xz_threads')}")
        f = xtest.Failures(f"tree check {a.target} {fmt}")
        xtest.compare(f, f"{a.target} {fmt}: vzlite vs GNU tar", dest, ref)
        if f.failed:
            sys.exit(f"FAILED: vzlite's tree differs from GNU tar's for {cache} "
                     f"({f.failed} differences above)")
        results[fmt]["tree_check"] = f"equal ({len(xtest.describe(ref)[0])} entries)"
        subprocess.run(["rm", "-rf", ref, dest], check=True)
        if src:
            subprocess.run(["rm", "-rf", src], check=True)

    print(f"\n### target: {a.target} ({a.dir}), {a.runs} interleaved runs per command\n")
    print("| cache | command | median s (min-max) | ×GNU tar | ×bsdtar | ×floor "
          "| peak RSS MiB |")
    print("|---|---|---|---|---|---|---|")
    for fmt, r in results.items():
        tar_m = r["GNU tar"]["median"]
        bsd_m = r["bsdtar"]["median"] if "bsdtar" in r else None
        # The floor: what can be neither decoded nor created faster here.
        floor_m = max(r[n]["median"] for n in ("decode floor", "copy floor") if n in r)
        for name in ("vzlite", "GNU tar", "bsdtar", "decode floor", "copy floor"):
            if name not in r:
                continue
            x = r[name]
            bsd = f"{x['median'] / bsd_m:.2f}" if bsd_m else "-"
            print(f"| .tar.{fmt} | {name} | {x['median']:.2f} ({x['min']:.2f}-{x['max']:.2f})"
                  f" | {x['median'] / tar_m:.2f} | {bsd} | {x['median'] / floor_m:.2f}"
                  f" | {x['rss_kib'] / 1024:.1f} |")
        print(f"| .tar.{fmt} | tree check | {r['tree_check']}; vzlite: {r['threads']} "
              "| | | | |")
    if a.json:
        with open(a.json, "a") as fh:
            fh.write(json.dumps({"target": a.target, "results": results}) + "\n")


if __name__ == "__main__":
    main()
