# SPDX-License-Identifier: LGPL-2.1-or-later
"""Helpers shared by the extraction tests: running the driver and GNU tar, and describing a
tree attribute by attribute (os.lstat / os.listxattr) so that two trees can be compared."""
import hashlib
import io
import os
import shutil
import stat
import subprocess
import sys
import tarfile
import tempfile

SKIP = 77


class Failures:
    def __init__(self, name):
        self.name = name
        self.failed = 0
        self.passed = 0

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL: {what}", file=sys.stderr)
        return ok

    def done(self):
        print(f"{self.name}: {self.passed} passed, {self.failed} failed")
        sys.exit(1 if self.failed else 0)


def member(name, type_=tarfile.REGTYPE, data=b"", linkname="", mode=0o644, uid=0, mtime=0):
    """A tar member for tarfile.addfile: (TarInfo, file object or None)."""
    ti = tarfile.TarInfo(name)
    ti.type = type_
    ti.mode = mode
    ti.uid = uid
    ti.gid = uid
    ti.mtime = 1_600_000_000 + mtime
    ti.linkname = linkname
    ti.size = len(data) if type_ == tarfile.REGTYPE else 0
    return ti, (io.BytesIO(data) if type_ == tarfile.REGTYPE else None)


def need_root():
    if os.geteuid() != 0:
        print("skip: the extraction tests restore owners and devices and need root")
        sys.exit(SKIP)


def workdir(prefix):
    # On the disk, beside the build, not in a tmpfs: ext4 takes every xattr namespace.
    base = os.environ.get("VZL_TEST_TMPDIR") or tempfile.gettempdir()
    return tempfile.mkdtemp(prefix=prefix, dir=base)


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def have(tool):
    return shutil.which(tool) is not None


def gnu_tar_extract(archive, dest, extra=()):
    """GNU tar as vzctl runs it (--numeric-owner -xp), plus `extra` (e.g. --xattrs)."""
    os.mkdir(dest, 0o700)
    r = run(["tar", "--numeric-owner", "-xpf", archive, "-C", dest, *extra])
    return r


def vzl_extract(driver, archive, dest, *opts):
    """The driver; with VZL_EXTRACT_WRITERS=N in the environment (the suite's second run of
    these tests), a success must also say that N threads created the files."""
    forced = os.environ.get("VZL_EXTRACT_WRITERS")
    if forced and "--stats" not in opts:
        opts = (*opts, "--stats")
    r = run([driver, *opts, archive, dest])
    if forced and r.returncode == 0 and not any(o.startswith("--writers") for o in opts) \
            and f" writers {forced} " not in r.stdout:
        sys.exit(f"FAIL: VZL_EXTRACT_WRITERS={forced} but the extraction says: {r.stdout}")
    return r


def _xattrs(path):
    out = {}
    try:
        names = os.listxattr(path, follow_symlinks=False)
    except OSError:
        return out
    for n in sorted(names):
        try:
            out[n] = os.getxattr(path, n, follow_symlinks=False).hex()
        except OSError as e:
            out[n] = f"<{e.errno}>"
    return out


def describe(root, with_dir_mtime=True):
    """Map every path below root (root itself is ".") to its attributes, plus the hard-link
    groups (sets of paths sharing an inode)."""
    tree = {}
    inodes = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in [None] + dirnames + filenames:
            if name is None and dirpath != root:
                continue
            full = dirpath if name is None else os.path.join(dirpath, name)
            rel = os.path.relpath(full, root)
            st = os.lstat(full)
            d = {
                "type": stat.S_IFMT(st.st_mode),
                "mode": oct(stat.S_IMODE(st.st_mode)),
                "uid": st.st_uid,
                "gid": st.st_gid,
                "xattrs": _xattrs(full),
            }
            if stat.S_ISREG(st.st_mode):
                d["size"] = st.st_size
                h = hashlib.sha256()
                with open(full, "rb") as f:
                    for block in iter(lambda: f.read(1 << 20), b""):
                        h.update(block)
                d["sha256"] = h.hexdigest()
                d["nlink"] = st.st_nlink
                d["mtime"] = st.st_mtime_ns
                inodes.setdefault(st.st_ino, []).append(rel)
            elif stat.S_ISLNK(st.st_mode):
                d["target"] = os.readlink(full)
                d["mtime"] = st.st_mtime_ns
            elif stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode):
                d["rdev"] = (os.major(st.st_rdev), os.minor(st.st_rdev))
                d["mtime"] = st.st_mtime_ns
            elif stat.S_ISFIFO(st.st_mode):
                d["mtime"] = st.st_mtime_ns
            elif stat.S_ISDIR(st.st_mode) and with_dir_mtime:
                d["mtime"] = st.st_mtime_ns
            tree[rel] = d
    groups = sorted(sorted(v) for v in inodes.values() if len(v) > 1)
    return tree, groups


def compare(f, what, a_root, b_root, ignore=(), dir_mtime=True):
    """Check that two trees are equal attribute by attribute; report every difference."""
    a, ga = describe(a_root, dir_mtime)
    b, gb = describe(b_root, dir_mtime)
    ok = True
    for p in sorted(set(a) | set(b)):
        if p not in a or p not in b:
            ok = f.check(False, f"{what}: '{p}' only in {'first' if p in a else 'second'}")
            continue
        for k in sorted(set(a[p]) | set(b[p])):
            if k in ignore:
                continue
            if a[p].get(k) != b[p].get(k):
                ok = f.check(False, f"{what}: '{p}' {k}: {a[p].get(k)!r} != {b[p].get(k)!r}")
    ok = f.check(ga == gb, f"{what}: hard-link groups {ga} != {gb}") and ok
    if ok:
        f.check(True, what)
    return ok


def listing(root):
    """Names, types and sizes below root (to prove that nothing changed in a host dir)."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        for n in dirnames + filenames:
            p = os.path.join(dirpath, n)
            st = os.lstat(p)
            content = None
            if stat.S_ISREG(st.st_mode):
                with open(p, "rb") as fh:
                    content = hashlib.sha256(fh.read()).hexdigest()
            out.append((os.path.relpath(p, root), st.st_mode, st.st_size, st.st_mtime_ns,
                        content))
    return sorted(out)
