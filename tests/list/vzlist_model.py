#!/usr/bin/env python3
"""An independent model of vzlist's output (vzctl-behaviour.md §3.13, kolyshkin/vzctl
src/vzlist.c): it builds a host of VEs (configs + /proc fixture files) and computes, from
the values it wrote and vzlist's rules, the rows `vzlite list` must print.

  vzlist_model.py VZLITE DIR                  against /proc fixture files it writes
  vzlist_model.py emu-setup DIR CLIENT VZLITE  the same configs; prints a script that, run
      under vzemu, makes the running VEs with CLIENT (vzemu-abi-client), dumps the
      emulator's /proc files to DIR/out and runs every `vzlite list` case into DIR/out
  vzlist_model.py emu-check DIR                the rows those runs must have printed, from
      the configs and the dumped /proc files (never from vzlite's output)"""
import ipaddress, json, math, os, random, re, shlex, subprocess, sys

LONG_MAX = 9223372036854775807
# name, header, header format, value width (negative: left), kind, index
UB = [("kmemsize", "KMEMSIZE", 0), ("lockedpages", "LOCKEDP", 1), ("privvmpages", "PRIVVMP", 2),
      ("shmpages", "SHMP", 3), ("numproc", "NPROC", 5), ("physpages", "PHYSP", 6),
      ("vmguarpages", "VMGUARP", 7), ("oomguarpages", "OOMGUARP", 8),
      ("numtcpsock", "NTCPSOCK", 9), ("numflock", "NFLOCK", 10), ("numpty", "NPTY", 11),
      ("numsiginfo", "NSIGINFO", 12), ("tcpsndbuf", "TCPSNDB", 13), ("tcprcvbuf", "TCPRCVB", 14),
      ("othersockbuf", "OTHSOCKB", 15), ("dgramrcvbuf", "DGRAMRB", 16),
      ("numothersock", "NOTHSOCK", 17), ("dcachesize", "DCACHESZ", 18), ("numfile", "NFILE", 19),
      ("numiptent", "NIPTENT", 23), ("swappages", "SWAPP", 24)]
FIELDS = [("ctid", "CTID", "%10s"), ("veid", "CTID", "%10s"), ("vpsid", "CTID", "%10s"),
          ("private", "PRIVATE", "%-32s"), ("root", "ROOT", "%-32s"),
          ("mount_opts", "MOUNT_OPTS", "%-16s"), ("origin_sample", "ORIGIN_SAMPLE", "%32s"),
          ("hostname", "HOSTNAME", "%-32s"), ("name", "NAME", "%-32s"),
          ("smart_name", "SMARTNAME", "%10s"), ("description", "DESCRIPTION", "%-32s"),
          ("ostemplate", "OSTEMPLATE", "%-32s"), ("ip", "IP_ADDR", "%-15s"),
          ("nameserver", "NAMESERVER", "%-15s"), ("searchdomain", "SEARCHDOMAIN", "%-15s"),
          ("status", "STATUS", "%-9s")]
for n, h, _ in UB:
    FIELDS += [(n, h, "%10s")] + [(n + s, h + s.upper(), "%10s") for s in (".m", ".b", ".l", ".f")]
for n, h in (("diskspace", "DSPACE"), ("diskinodes", "DINODES")):
    FIELDS += [(n, h, "%10s"), (n + ".s", h + ".S", "%10s"), (n + ".h", h + ".H", "%10s")]
FIELDS += [("laverage", "LAVERAGE", "%14s"), ("uptime", "UPTIME", "%15s"),
           ("cpulimit", "CPULIM", "%7s"), ("cpuunits", "CPUUNI", "%7s"), ("cpus", "CPUS", "%5s"),
           ("ioprio", "IOP", "%3s"), ("onboot", "ONBOOT", "%6s"), ("bootorder", "BOOTORDER", "%10s"),
           ("layout", "LAYOUT", "%6s"), ("features", "FEATURES", "%-15s"), ("vswap", "VSWAP", "%5s"),
           ("disabled", "DISABL", "%6s")]
FIELD_NAMES = [f[0] for f in FIELDS]
UBIDX = {".m": 1, ".b": 2, ".l": 3, ".f": 4}


def make_configs(top, n_conf=200, n_run=50, seed=15):
    """vz.conf, the VEs' configs, names/ links and private areas; the VEs meant to run
    (newest first, as the kernel lists them)."""
    rnd = random.Random(seed)
    os.makedirs(f"{top}/conf"); os.makedirs(f"{top}/names")
    with open(f"{top}/vz.conf", "w") as f:
        f.write(f'VE_PRIVATE="{top}/private/$VEID"\nVE_ROOT="{top}/root/$VEID"\nLOCKDIR="{top}/lock"\n'
                f'DUMPDIR="{top}/dump"\nHOSTNAME="not-from-vz.conf"\n')
    ves = {}
    ids = sorted(rnd.sample(range(101, 100000), n_conf))
    running = set(rnd.sample(ids, n_run))
    for k, veid in enumerate(ids):
        c = {}
        if k % 7:
            c["HOSTNAME"] = f"ct{veid}.example" if k % 5 else f"a-rather-long-host-name-{veid}.example.org"
        if k % 3:
            c["IP_ADDRESS"] = " ".join(f"10.{k % 250}.{j}.{veid % 250}" for j in range(1 + k % 3))
        c["NUMPROC"] = f"{100 + k}:{200 + k}"
        c["KMEMSIZE"] = "unlimited" if k % 4 == 0 else f"{1000000 + k}:{2000000 + k}"
        c["PHYSPAGES"] = "0:unlimited" if k % 4 == 1 else f"0:{65536 + k}"
        if k % 2:
            c["DISKSPACE"] = f"{1000 * k}:{1100 * k}"
        if k % 4 != 3:
            c["DISKINODES"] = f"{100 * k}:{110 * k}"
        if k % 5 == 1:
            c["CPUUNITS"] = str(1000 + 10 * k)
        if k % 6 == 2:
            c["CPULIMIT"] = str(k % 100)
        if k % 8 == 3:
            c["CPUS"] = str(1 + k % 4)
        if k % 3 == 0:
            c["IOPRIO"] = str(k % 8)
        c["ONBOOT"] = "yes" if k % 2 else "no"
        if k % 9 == 4:
            c["BOOTORDER"] = str(k % 5)
        if k % 10 == 5:
            c["DESCRIPTION"] = f"desc {veid} web"
        c["OSTEMPLATE"] = "centos-6-x86_64" if k % 2 else "debian-7.0-x86_64-minimal-long-name"
        if k % 11 == 6:
            c["NAME"] = f"n{veid}"
            if k % 2:  # only a name with its names/ link counts
                os.symlink(f"{top}/conf/{veid}.conf", f"{top}/names/n{veid}")
        if k % 13 == 7:
            c["NAMESERVER"] = "8.8.8.8 8.8.4.4"
        if k % 12 == 1:
            c["FEATURES"] = "nfs:on sit:off"
        if k % 17 == 2:
            c["DISABLED"] = "yes"
        if k % 14 == 9:
            c["MOUNT_OPTS"] = "nosuid,noexec"
        with open(f"{top}/conf/{veid}.conf", "w") as f:
            f.writelines(f'{key}="{v}"\n' for key, v in c.items())
        hidden = k % 19 == 18 and veid not in running
        if not hidden:
            os.makedirs(f"{top}/private/{veid}")
        ve = {"veid": veid, "conf": c, "running": veid in running, "hidden": hidden, "k": k}
        ves[veid] = ve
    return ves, [ves[v] for v in sorted(running, key=lambda v: -ves[v]["k"])]


def kernel_ips(k):
    return [f"192.168.{k}.{j}" for j in range(k % 3)] + ([f"2001:db8:0:0:0:0:0:{k:x}"] if k % 5 == 2 else [])


def make_host(top, n_conf=200, n_run=50, seed=15):
    ves, run = make_configs(top, n_conf, n_run, seed)
    os.makedirs(f"{top}/proc/vz"); os.makedirs(f"{top}/proc/bc")
    # the kernel's view of the running ones: newest first, VE 0 last
    with open(f"{top}/proc/vz/veinfo", "w") as f:
        for ve in run:
            k = ve["k"]
            ips = kernel_ips(k)
            ve["kips"] = ips
            f.write("%10u %5u %5u" % (ve["veid"], 0, 5 + k) + "".join(
                " %15s" % a if ":" not in a else " %39s" % a for a in ips) + "\n")
        f.write("%10u %5u %5u\n" % (0, 0, 187))
    names = {0: "kmemsize", 1: "lockedpages", 2: "privvmpages", 3: "shmpages", 4: "dummy",
             5: "numproc", 6: "physpages", 7: "vmguarpages", 8: "oomguarpages", 9: "numtcpsock",
             10: "numflock", 11: "numpty", 12: "numsiginfo", 13: "tcpsndbuf", 14: "tcprcvbuf",
             15: "othersockbuf", 16: "dgramrcvbuf", 17: "numothersock", 18: "dcachesize",
             19: "numfile", 23: "numiptent", 24: "swappages"}
    with open(f"{top}/proc/bc/resources", "w") as f:
        f.write("Version: 2.5\n%10s  %-12s %20s %20s %20s %20s %20s\n" % (
            "uid", "resource", "held", "maxheld", "barrier", "limit", "failcnt"))
        for ve in run:
            ve["ub"] = {}
            first = True
            for r, name in names.items():
                if name == "dummy":
                    continue
                k = ve["k"]
                unlimited = r % 3 or (r == 6 and k % 2)  # physpages: classic UBC or VSwap
                v = (r * 10 + k, r * 20 + k, 1000 + r, LONG_MAX if unlimited else 2000 + r,
                     (k + r) % 4 if r == 5 else 0)
                ve["ub"][r] = v
                f.write("%10s  %-12s %20d %20d %20d %20d %20d\n" % (
                    f"{ve['veid']}:" if first else "", name, *v))
                first = False
    with open(f"{top}/proc/fairsched", "w") as f:
        f.write("Version: 2.6 debug\n      veid         id     parent weight  rate tasks   run cpus flg ready            start_tag                value                delay\n")
        row = "%10u %10u %10u %6u %5u %5u %5u %4u  %c%c %5u %20u %20u %20u\n"
        f.write(row % (0, 0, 0, 500, 0, 190, 1, 4, ".", ".", 1, 0, 0, 0))
        f.write(row % (0, 2147483647, 0, 500, 0, 190, 1, 4, ".", ".", 1, 0, 0, 0))
        for ve in sorted(run, key=lambda v: v["k"]):
            w, rate = 250 + ve["k"], (ve["k"] * 37) % 4096
            ve["fs"] = (w, rate)
            for trip in ((0, ve["veid"], 0), (ve["veid"], 0, ve["veid"]), (ve["veid"], 1, 0)):
                f.write(row % (*trip, w, rate, 3, 0, 4, "L" if rate else ".", ".", 0, 0, 0, 0))
    with open(f"{top}/proc/vz/vzquota", "w") as f:
        f.write("%-11s%15s%15s%15s%11s%11s\n" % ("qid: path", "usage", "softlimit", "hardlimit", "time", "expire"))
        for ve in run:
            if ve["k"] % 2:
                k = ve["k"]
                ve["q"] = ((k * 3, k * 5, k * 7), (k, k * 2, k * 4))
                f.write(f"{ve['veid']}: {top}/root/{ve['veid']}\n")
                f.write("%11s%15u%15u%15u%11u%11u\n" % ("1k-blocks", *ve["q"][0], 0, 0))
                f.write("%11s%15u%15u%15u%11u%11u\n" % ("inodes", *ve["q"][1], 0, 0))
    return top, ves


# A running VE's uptime cell in an expected table: a placeholder naming the VE (15
# characters, the column's width); same_table checks the text there with uptime_ok.
def uptime_cell(veid):
    return "\0%014d" % veid


UPTIME_CELL_RE = r"\0(\d{14})"
UPTIME_RE = r"(\d{3})d(\d{2})h:(\d{2})m:(\d{2})s"


def uptime_ok(text, lo, hi):
    """vzlist's "%.3dd%.2dh:%.2dm:%.2ds" of whole seconds, within [lo, hi] s."""
    m = re.fullmatch(UPTIME_RE, text)
    if not m:
        return False
    d, h, mi, s = (int(x) for x in m.groups())
    return h < 24 and mi < 60 and s < 60 and lo <= d * 86400 + h * 3600 + mi * 60 + s <= hi


def pair(text):
    if text is None:
        return None
    p = [LONG_MAX if x == "unlimited" else int(x) for x in text.split(":")]
    return (p[0], p[-1])


def value(top, ve, field):
    """(text for the table, JSON value) of one field, by vzlist's rules."""
    c, run = ve["conf"], ve["running"]
    base, _, sfx = field.partition(".")
    if field in ("ctid", "veid", "vpsid"):
        return ("%10d" % ve["veid"], ve["veid"])
    if field == "status":
        s = "running" if run else "stopped"
        return ("%-9s" % s, s)
    strs = {"hostname": c.get("HOSTNAME"), "description": c.get("DESCRIPTION"),
            "ostemplate": c.get("OSTEMPLATE"), "mount_opts": c.get("MOUNT_OPTS"),
            "origin_sample": None, "private": f"{top}/private/{ve['veid']}",
            "root": f"{top}/root/{ve['veid']}",
            "name": c.get("NAME") if os.path.islink(f"{top}/names/{c.get('NAME')}") else None}
    if field in strs:
        return ("S", strs[field])
    if field == "smart_name":
        return ("S10", strs["name"]) if strs["name"] else ("%10d" % ve["veid"], ve["veid"])
    if field in ("ip", "nameserver", "searchdomain"):
        if field == "ip":
            # inet_ntop's form of each address, in reverse of the kernel's order
            l = [str(ipaddress.ip_address(a)) for a in reversed(ve.get("kips", []))]
            if not l:
                l = c.get("IP_ADDRESS", "").split()
        else:
            l = c.get(field.upper(), "").split()
        return ("L", l)
    ubn = {n: r for n, _, r in UB}
    if base in ubn:
        r = ubn[base]
        i = UBIDX.get("." + sfx, 0) if sfx else 0
        if run:
            v = ve["ub"][r]
        else:
            key = {0: "KMEMSIZE", 5: "NUMPROC", 6: "PHYSPAGES"}.get(r)
            b, l = pair(c.get(key)) or (0, 0)
            v = (0, 0, b, l, 0)
        t = "%10s" % "-" if not run and i in (0, 1, 4) else "%10d" % v[i]
        return (t, dict(zip(("held", "maxheld", "barrier", "limit", "failcnt"), v)))
    if base in ("diskspace", "diskinodes"):
        i = {"": 0, "s": 1, "h": 2}[sfx]
        if "q" in ve:
            q = ve["q"][0 if base == "diskspace" else 1]
        elif "DISKSPACE" in c and "DISKINODES" in c:
            q = (0,) + pair(c[base.upper()])
        else:
            return ("%10s" % "-", None)
        t = "%10s" % "-" if i == 0 and q[0] == 0 else "%10d" % q[i]
        return (t, dict(zip(("usage", "softlimit", "hardlimit"), (q[0] if run else 0, q[1], q[2]))))
    # VZCTL_GET_CPU_STAT: none outside the kernel (fixtures); under vzemu ve["cpustat"]
    # holds its avenrun (val_int, val_frac) triple; the uptime is checked against the time
    # window the VE's creation and the list run give (see uptime_ok)
    if field == "laverage":
        if not ve.get("cpustat"):
            return ("%14s" % "-", None)
        la = [i + f / 100 for i, f in ve["cpustat"]]
        return ("%14s" % "/".join("%1.2f" % x for x in la), la)
    if field == "uptime":
        if not ve.get("cpustat"):
            return ("%15s" % "-", 0.0)
        return (uptime_cell(ve["veid"]), uptime_cell(ve["veid"]))
    if field in ("cpulimit", "cpuunits"):
        if run:
            w, rate = ve["fs"]
            # §3.6: round(rate x 100 / 1024), round(500000 / weight)
            lim, units = round(rate * 100 / 1024), round(500000 / w)
        elif "CPULIMIT" in c or "CPUUNITS" in c:
            lim, units = int(c.get("CPULIMIT", 0)), int(c.get("CPUUNITS", 0))
        else:
            return ("%7s" % "-", None)
        v = lim if field == "cpulimit" else units
        return ("%7d" % v, v)
    if field == "cpus":
        v = int(c.get("CPUS", 0))  # no cpu.nr_cpus files in the fixture
        return ("%5s" % "-" if v <= 0 else "%5d" % v, v)
    if field == "ioprio":
        v = int(c.get("IOPRIO", -1))
        return ("%3s" % "-" if v < 0 else "%3d" % v, max(v, 0))
    if field == "onboot":
        v = c.get("ONBOOT") == "yes"
        return ("%6s" % ("yes" if v else "no"), v)
    if field == "disabled":
        v = c.get("DISABLED") == "yes"
        return ("%6s" % ("yes" if v else "no"), v)
    if field == "bootorder":
        v = c.get("BOOTORDER")
        return ("%10s" % "-", None) if v is None else ("%10d" % int(v), int(v))
    if field == "layout":
        return ("%-6s" % "simfs", "simfs")
    if field == "features":
        if "FEATURES" not in c:
            return ("F", None)
        return ("F", {"nfs": True, "sit": False})
    if field == "vswap":
        # §6.6: a VSwap config has a PHYSPAGES limit that is neither LONG_MAX nor INT_MAX
        # (§3.13: vzlist's column uses the same test, on the limit it shows: the kernel's
        # for a running VE, else the config's, 0 when unset)
        if run:
            m = ve["ub"][6][3]
        else:
            lim = c.get("PHYSPAGES", "0:0").split(":")[-1]
            m = LONG_MAX if lim == "unlimited" else int(lim)
        v = m not in (LONG_MAX, 2147483647)
        return ("%5s" % ("yes" if v else "no"), v)
    raise KeyError(field)


def cell(top, ve, field, last):
    fmt = dict((f[0], f[2]) for f in FIELDS)[field]
    t, v = value(top, ve, field)
    if t == "S" or t == "S10":
        # vzlist prints every string value left-aligned in 32 columns; origin_sample's
        # header alone is right-aligned ("%32s")
        w = 10 if t == "S10" else -abs(int(fmt[1:-1]))
        s = v if v is not None else "-"
        out = "%*s" % (w, s)
        return out if last else out[:abs(w)]
    if t == "L":
        s = " ".join(v) + " " if v else "-"
        if not last:
            s = s.split(" ")[0]
        out = "%-15s" % s
        return out if last else out[:15]
    if t == "F":
        s = "nfs:on,sit:off" if v else "-"
        out = "%-15s" % s
        return out if last else out[:15]
    return t


def json_value(top, ve, field):
    t, v = value(top, ve, field)
    if t == "L":
        return v
    if t == "F":
        return v
    return v


def expected_table(top, ves, fields, opts):
    shown = [v for v in sorted(ves.values(), key=lambda v: v["veid"])]
    if not (opts.get("all") or opts.get("stopped")):
        shown = [v for v in shown if v["running"]]
    if opts.get("stopped"):
        shown = [v for v in shown if not v["running"]]
    shown = [v for v in shown if not v["hidden"]]
    if "sort" in opts:
        f, rev = opts["sort"]
        key = {"numproc": lambda v: value(top, v, "numproc")[1]["held"] if v["running"] else 0,
               "hostname": lambda v: (v["conf"].get("HOSTNAME") is not None, v["conf"].get("HOSTNAME") or "")}[f]
        shown.sort(key=key)  # stable, as vzlist's merge sort
        if rev:
            shown.reverse()
    import fnmatch
    for opt, get in (("host", lambda v: v["conf"].get("HOSTNAME")),
                     ("desc", lambda v: v["conf"].get("DESCRIPTION")),
                     ("name", lambda v: value(top, v, "name")[1])):
        if opt in opts:  # fnmatch patterns; a VE without the value never matches
            shown = [v for v in shown if get(v) is not None and fnmatch.fnmatchcase(get(v), opts[opt])]
    lines = []
    if opts.get("header", True):
        lines.append(" ".join(dict((f[0], f[2]) for f in FIELDS)[n] % dict((f[0], f[1]) for f in FIELDS)[n] for n in fields).rstrip())
    for ve in shown:
        # -t: no value is cut, as if every column were the last
        lines.append(" ".join(cell(top, ve, n, opts.get("notrim") or i == len(fields) - 1)
                              for i, n in enumerate(fields)).rstrip())
    return "".join(l + "\n" for l in lines), shown


DEFAULT = ["ctid", "numproc", "status", "ip", "hostname"]


def cases():
    """Every table check: name, `vzlite list` arguments, fields and expected_table's options."""
    c = [("default: running VEs", [], DEFAULT, {}),
         ("-a", ["-a"], DEFAULT, {"all": True}),
         ("-S", ["-S"], DEFAULT, {"stopped": True}),
         ("-a -H", ["-a", "-H"], DEFAULT, {"all": True, "header": False}),
         ("-1", ["-1"], ["veid"], {"header": False}),
         ("libvirt's -a -ovpsid,status -H", ["-a", "-ovpsid,status", "-H"], ["vpsid", "status"],
          {"all": True, "header": False}),
         ("-o every field", ["-a", "-o", ",".join(FIELD_NAMES)], FIELD_NAMES, {"all": True})]
    # each field alone is the last column: nothing cut
    c += [(f"-o {n}", ["-a", "-o", n + ",ctid"], [n, "ctid"], {"all": True}) for n in FIELD_NAMES]
    c += [("-s numproc", ["-a", "-s", "numproc"], DEFAULT, {"all": True, "sort": ("numproc", False)}),
          ("-s -hostname", ["-a", "-s", "-hostname"], DEFAULT, {"all": True, "sort": ("hostname", True)}),
          ("-h pattern", ["-a", "-h", "ct1*"], DEFAULT, {"all": True, "host": "ct1*"}),
          ("-N pattern (only names with their names/ link)", ["-a", "-N", "n1*"], DEFAULT,
           {"all": True, "name": "n1*"}),
          ("-d pattern", ["-a", "-d", "desc *web"], DEFAULT, {"all": True, "desc": "desc *web"}),
          ("-d pattern matching nothing", ["-a", "-d", "nothing*"], DEFAULT,
           {"all": True, "desc": "nothing*"}),
          ("-n: smart_name first", ["-a", "-n"], ["smart_name", "numproc", "status", "ip", "hostname"],
           {"all": True}),
          ("-t: nothing cut", ["-a", "-t", "-o", "hostname,ip,ostemplate,ctid"],
           ["hostname", "ip", "ostemplate", "ctid"], {"all": True, "notrim": True}),
          ("-a -o vswap,physpages.l,ctid", ["-a", "-o", "vswap,physpages.l,ctid"],
           ["vswap", "physpages.l", "ctid"], {"all": True})]
    return c


def same_table(want, got, window):
    """got is want, except that an uptime cell of want may be any uptime within the
    window(veid) = (lo, hi) seconds that VE may have been up during the run."""
    wl, gl = want.splitlines(), got.splitlines()
    if len(wl) != len(gl):
        return False
    for w, g in zip(wl, gl):
        parts = re.split(UPTIME_CELL_RE, w)  # text, veid, text, veid, ..., text
        if len(parts) == 1:
            if w != g:
                return False
            continue
        m = re.fullmatch("(.{15})".join(re.escape(x) for x in parts[::2]), g)
        if not m or not all(uptime_ok(u, *window(int(v))) for u, v in zip(m.groups(), parts[1::2])):
            return False
    return True


def report(name, ok, want, got, rc, err):
    if ok:
        print(f"ok {name}")
        return 0
    print(f"FAIL {name}: rc={rc} {err}")
    for a, b in zip(want.splitlines(), got.splitlines()):
        if a != b:
            print(f"  want {a!r}\n  got  {b!r}")
            break
    print(f"  lines want {len(want.splitlines())} got {len(got.splitlines())}")
    if "\0" in want:
        print("  (want's \\x00<veid> cells: an uptime within that VE's window)")
    return 1


def check_json(top, ves, text, window):
    """-a -j: the VEs of -a in order, every field without a dot, vzlist's values."""
    data = json.loads(text)
    _, shown = expected_table(top, ves, DEFAULT, {"all": True})
    jfields = [f[0] for f in FIELDS if "." not in f[0]]
    bad = 0
    if [d["ctid"] for d in data] != [v["veid"] for v in shown]:
        bad += 1
        print("FAIL -j: not the same VEs")
    for d, ve in zip(data, shown):
        if list(d) != jfields:
            bad += 1
            print(f"FAIL -j {ve['veid']}: keys {list(d)}")
            break
        for n in jfields:
            w = json_value(top, ve, n)
            if isinstance(w, str) and re.fullmatch(UPTIME_CELL_RE, w):
                # uptime_jif / 100: up to 10 ms below the whole seconds of the window
                lo, hi = window(ve["veid"])
                good = isinstance(d[n], (int, float)) and lo - 0.011 <= d[n] <= hi
            else:
                good = d[n] == w
            if not good:
                bad += 1
                print(f"FAIL -j {ve['veid']} {n}: want {w!r} got {d[n]!r}"
                      + (f" (an uptime within {window(ve['veid'])})" if n == "uptime" and window else ""))
    print("ok -j" if not bad else "FAIL -j")
    return bad


def main():
    vzlite, top = sys.argv[1], sys.argv[2]
    top, ves = make_host(top)
    base = [vzlite, "--global-config", f"{top}/vz.conf", "--proc-root", f"{top}/proc", "list"]
    fails = 0

    def run(args):
        p = subprocess.run(base + args, capture_output=True, text=True)
        return p.stdout, p.returncode, p.stderr

    for name, args, fields, opts in cases():
        want, _ = expected_table(top, ves, fields, opts)
        got, rc, err = run(args)
        fails += report(name, rc == 0 and same_table(want, got, None), want, got, rc, err)
    got, rc, err = run(["-L"])
    want = "".join("%-15s %-15s\n" % (f[0], f[1]) for f in FIELDS)
    fails += report("-L", rc == 0 and got == want, want, got, rc, err)

    got, _, _ = run(["-a", "-j"])
    fails += check_json(top, ves, got, None)

    _, rc, err = run(["-o", "nosuchfield"])
    if rc != 1 or "Unknown field: nosuchfield" not in err:
        fails += 1; print("FAIL unknown field", rc, err)
    _, rc, err = run(["99"])
    if rc != 1 or "Container(s) not found" not in err:
        fails += 1; print("FAIL named VE missing", rc, err)
    sys.exit(1 if fails else 0)


# setublimit(2) resource ids the emulator setup sets (kernel-abi.md §8.1): kmemsize,
# privvmpages, numproc, physpages, numfile, swappages; the others keep the emulator's values
EMU_UB = (0, 2, 5, 6, 19, 24)
# vzemu's VZCTL_GET_CPU_STAT fills the uptime only (tests/vzemu/model/model-ve.c:
# get_cpu_stat): avenrun is {0, 0} three times
EMU_AVENRUN = ((0, 0), (0, 0), (0, 0))


def emu_plan(ve):
    """What the setup gives running VE ve: UB (barrier, limit) per resource id, kernel
    addresses, fairsched (weight, rate), quota ((blocks), (inodes)) as (usage, soft, hard)."""
    k = ve["k"]
    ub = {}
    for r in EMU_UB:
        if r == 6:  # physpages: VSwap (a limit) or classic UBC (unlimited)
            ub[r] = (0, LONG_MAX if k % 2 else 65536 + k)
        else:
            ub[r] = (1000 * (r + 1) + k, LONG_MAX if (k + r) % 3 == 0 else 3000 * (r + 1) + k)
    quota = ((k * 3, k * 5 + 1, k * 7 + 2), (k, k * 2 + 1, k * 4 + 2)) if k % 2 else None
    return ub, kernel_ips(k), (250 + k, (k * 37) % 2048), quota


def emu_setup(top, client, vzlite):
    ves, run = make_configs(top)
    with open(f"{top}/model.json", "w") as f:
        json.dump(list(ves.values()), f)
    out = f"{top}/out"
    q = shlex.quote
    lines = ["set -u", "export LC_ALL=C", f"out={q(out)} C={q(client)}", 'mkdir -p "$out"',
             # a setup step that fails stops the run: the checks need its inputs
             'must() { "$@" >>"$out/setup.log" 2>&1 || { echo "setup failed: $*" >&2; exit 1; }; }',
             ]
    for ve in sorted(run, key=lambda v: v["k"]):
        v = ve["veid"]
        ub, ips, (w, rate), quota = emu_plan(ve)
        # the times around each create and each list run bound the uptimes it shows
        lines += [f'echo {v} $EPOCHREALTIME >>"$out/created0"', f'must "$C" create {v} -- sleep 100000',
                  f'echo {v} $EPOCHREALTIME >>"$out/created1"']
        lines += [f'must "$C" setublimit {v} {r} {b} {l}' for r, (b, l) in ub.items()]
        if ips:
            lines.append(f'must "$C" ipadd {v} {" ".join(ips)}')
        lines.append(f'must "$C" fairsched {v} {w} {rate}')
        if quota:
            root = q(f"{top}/root/{v}")
            lines += [f"mkdir -p {root}",
                      f'must "$C" quotactl create {v} {root} {" ".join(map(str, quota[0] + quota[1]))}',
                      f'must "$C" quotactl on {v} {root}']
    for src, dst in (("/proc/vz/veinfo", "veinfo"), ("/proc/bc/resources", "resources"),
                     ("/proc/user_beancounters", "user_beancounters"), ("/proc/fairsched", "fairsched"),
                     ("/proc/vz/vzquota", "vzquota"), ("/proc/vz/vestat", "vestat")):
        lines.append(f'cat {src} >"$out/{dst}"')
    V = f"{q(vzlite)} --global-config {q(top + '/vz.conf')} list"
    for i, (_, args, _, _) in enumerate(cases()):
        lines.append(f't=$EPOCHREALTIME; {V} {" ".join(map(q, args))} >"$out/{i}.out" 2>"$out/{i}.err"; '
                     f'echo $? >"$out/{i}.rc"; echo $t $EPOCHREALTIME >"$out/{i}.t"')
    lines.append(f't=$EPOCHREALTIME; {V} -a -j >"$out/json.out" 2>"$out/json.err"; echo $? >"$out/json.rc"; '
                 f'echo $t $EPOCHREALTIME >"$out/json.t"')
    print("\n".join(lines))


def parse_emu_proc(out):
    """The emulator's /proc files as the model's kernel inputs, per VE id."""
    read = lambda n: open(f"{out}/{n}").read()
    kips = {}
    for line in read("veinfo").splitlines():
        f = line.split()
        if f and int(f[0]):
            kips[int(f[0])] = f[3:]
    ub, cur = {}, None
    rid = {n: r for n, _, r in UB}
    for line in read("resources").splitlines()[2:]:
        f = line.split()
        if f[0].endswith(":"):
            cur = int(f[0][:-1])
            f = f[1:]
        if f[0] in rid and cur:
            ub.setdefault(cur, {})[rid[f[0]]] = tuple(int(x) for x in f[1:6])
    fs = {}
    for line in read("fairsched").splitlines()[2:]:
        f = line.split()
        if int(f[0]) == 0 and int(f[1]) not in (0, 2147483647):  # the host's row of a VE's node
            fs[int(f[1])] = (int(f[3]), int(f[4]))
    quota, cur = {}, None
    for line in read("vzquota").splitlines()[1:]:
        f = line.split()
        if f[0].endswith(":"):
            cur = int(f[0][:-1])
        elif f[0] in ("1k-blocks", "inodes"):
            quota.setdefault(cur, []).append(tuple(int(x) for x in f[1:4]))
    vestat = {int(line.split()[0]) for line in read("vestat").splitlines()[2:] if line.split()}
    return kips, ub, fs, quota, vestat


def emu_check(top):
    out = f"{top}/out"
    ves = {v["veid"]: v for v in json.load(open(f"{top}/model.json"))}
    kips, ub, fs, quota, vestat = parse_emu_proc(out)
    created = [{int(a): float(b) for a, b in (l.split() for l in open(f"{out}/created{i}"))}
               for i in (0, 1)]

    def window(case):
        """(lo, hi) whole seconds a VE's uptime may show in a case: from its create's end
        to the case's start at least, from its create's start to the case's end at most"""
        t0, t1 = (float(x) for x in open(f"{out}/{case}.t").read().split())
        return lambda v: (math.floor(t0 - created[1][v]), t1 - created[0][v])

    fails = checks = 0

    def expect(name, good):
        nonlocal fails, checks
        checks += 1
        fails += 0 if good else 1
        print(("ok " if good else "FAIL ") + name)

    # the emulator took the setup's inputs: its /proc shows what was set
    planned = sorted(v["veid"] for v in ves.values() if v["running"])
    expect("50 VEs run under vzemu (veinfo)", sorted(kips) == planned and len(planned) == 50)
    expect("vestat lists the same VEs", vestat == set(planned))
    for v in planned:
        pub, pips, pfs, pq = emu_plan(ves[v])
        got = ub.get(v, {})
        expect(f"{v}: the beancounter limits set", all(got.get(r, ())[2:4] == bl for r, bl in pub.items()))
        expect(f"{v}: the addresses mapped", sorted(str(ipaddress.ip_address(a)) for a in kips.get(v, []))
               == sorted(str(ipaddress.ip_address(a)) for a in pips))
        expect(f"{v}: the fairsched weight", fs.get(v, (0,))[0] == pfs[0])
        expect(f"{v}: the quota", quota.get(v) == (list(pq) if pq else None))
    for v, ve in ves.items():
        ve["running"] = v in kips
        if ve["running"]:
            ve["kips"], ve["ub"], ve["fs"], ve["cpustat"] = kips[v], ub[v], fs[v], EMU_AVENRUN
            if v in quota:
                ve["q"] = tuple(quota[v])
    for i, (name, _, fields, opts) in enumerate(cases()):
        want, _ = expected_table(top, ves, fields, opts)
        got, rc = open(f"{out}/{i}.out").read(), int(open(f"{out}/{i}.rc").read())
        checks += 1
        fails += report(name, rc == 0 and same_table(want, got, window(i)), want, got, rc,
                        open(f"{out}/{i}.err").read())
    checks += 1
    rc = int(open(f"{out}/json.rc").read())
    if rc:
        fails += 1
        print(f"FAIL -j: rc={rc}")
    else:
        fails += 1 if check_json(top, ves, open(f"{out}/json.out").read(), window("json")) else 0
    print(f"{checks - fails} of {checks} checks passed")
    sys.exit(1 if fails else 0)


if __name__ == "__main__":
    if sys.argv[1] == "emu-setup":
        emu_setup(*sys.argv[2:5])
    elif sys.argv[1] == "emu-check":
        emu_check(sys.argv[2])
    else:
        main()
