#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""fs_remove_tree (through vzl-extract --rm) removes a tree without ever following a symbolic
link, also when the path itself is one, whatever the depth (deeper than PATH_MAX and than the
number of directories it keeps open), with read-only directories, and it refuses to descend
into a mount point.

Usage: test_remove.py VZL-EXTRACT"""
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import xtest  # noqa: E402


def deep_tree(top, depth):
    """A chain of `depth` directories "dNNN" below top, each with a file and a symlink to the
    host, built with directory fds because the full path exceeds PATH_MAX."""
    fd = os.open(top, os.O_RDONLY | os.O_DIRECTORY)
    for i in range(depth):
        name = f"d{i:03d}" + "x" * 20
        os.mkdir(name, dir_fd=fd)
        nfd = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
        os.close(fd)
        fd = nfd
        with open(os.open("f", os.O_CREAT | os.O_WRONLY, 0o644, dir_fd=fd), "w") as fh:
            fh.write("x")
    os.close(fd)


def main():
    driver = sys.argv[1]
    xtest.need_root()
    f = xtest.Failures("extract-remove")
    work = xtest.workdir("vzl-remove.")
    try:
        host = os.path.join(work, "host")
        os.makedirs(os.path.join(host, "sub"))
        with open(os.path.join(host, "sub", "keep"), "w") as fh:
            fh.write("keep me\n")
        before = xtest.listing(host)

        def rm(path):
            return xtest.run([driver, "--rm", path])

        # Symlinks to the host everywhere in the tree.
        t = os.path.join(work, "tree")
        os.makedirs(os.path.join(t, "a/b/c"))
        os.symlink(host, os.path.join(t, "link-to-host"))
        os.symlink(host + "/sub", os.path.join(t, "a/b/c/link"))
        os.symlink("../../../../host", os.path.join(t, "a/rel"))
        os.link(os.path.join(host, "sub", "keep"), os.path.join(t, "a/hardlink"))
        os.mkfifo(os.path.join(t, "a/fifo"))
        os.mknod(os.path.join(t, "a/null"), 0o666 | 0o020000, os.makedev(1, 3))
        os.chmod(os.path.join(t, "a/b"), 0)  # unreadable, root removes it anyway
        r = rm(t)
        f.check(r.returncode == 0, f"tree with links: {r.stderr}")
        f.check(not os.path.lexists(t), "tree removed")
        f.check(xtest.listing(host) == before, "host untouched by links in the tree")

        # The path itself is a symlink: only the link goes.
        os.symlink(host, os.path.join(work, "top-link"))
        r = rm(os.path.join(work, "top-link"))
        f.check(r.returncode == 0 and not os.path.lexists(os.path.join(work, "top-link")),
                f"top symlink removed: {r.stderr}")
        f.check(xtest.listing(host) == before, "host untouched through a top symlink")

        # Missing: success. A plain file: removed.
        f.check(rm(os.path.join(work, "missing")).returncode == 0, "missing path is success")
        p = os.path.join(work, "file")
        open(p, "w").close()
        f.check(rm(p).returncode == 0 and not os.path.exists(p), "plain file removed")

        # Deeper than PATH_MAX and than the number of directories held open.
        t = os.path.join(work, "deep")
        os.mkdir(t)
        deep_tree(t, 300)
        r = rm(t)
        f.check(r.returncode == 0 and not os.path.lexists(t), f"deep tree: {r.stderr}")

        # A mount point inside: refused, the mounted filesystem left alone.
        if xtest.have("unshare"):
            t = os.path.join(work, "mnt")
            os.makedirs(os.path.join(t, "m"))
            script = (f"mount -t tmpfs none {t}/m && echo data > {t}/m/file && "
                      f"{driver} --rm {t}; rc=$?; cat {t}/m/file; exit $rc")
            r = subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c",
                                script], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
            if "mount" in r.stderr and "permission" in r.stderr.lower():
                print("note: cannot mount here; mount-point case not tested")
            else:
                f.check(r.returncode == 1 and "mount point" in r.stderr and
                        r.stdout.strip() == "data", f"mount point refused: {r.stderr}")
        f.check(xtest.listing(host) == before, "host untouched at the end")
    finally:
        subprocess.run(["chmod", "-R", "u+rwx", work], stderr=subprocess.DEVNULL)
        shutil.rmtree(work, ignore_errors=True)
    f.done()


if __name__ == "__main__":
    main()
