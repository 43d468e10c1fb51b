// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The capabilities the model sees: those of root on the target host, not of this machine.
 *
 * On an OpenVZ 6 host root holds every capability. The machines vzemu runs on may withhold
 * some from everyone (a container whose bounding set lacks CAP_SYS_RESOURCE, say); checking a
 * caller's real capabilities would then refuse setublimit, vzquota, ... where the kernel
 * accepts them. So:
 *
 *   M  = the machine's root set: the bounding set of pid 1 (read once; our own bounding set
 *        if /proc/1 cannot be read). Capabilities outside M are "withheld".
 *   D  = the capabilities the caller (or an ancestor, through fork) gave up on purpose:
 *        prctl(PR_CAPBSET_DROP), and capset(2) without them in the effective set (only the
 *        capabilities of M count there: capget never shows a withheld one, so a program's
 *        read-modify-write leaves it out without meaning to drop it).
 *   A caller whose real effective set holds every capability of M it did not give up
 *   (real | D ⊇ M) is as privileged as the machine allows; it gets the withheld capabilities
 *   too, except those it gave up: emulated = real | (~M & ~D). Any other caller (non-root
 *   uid, a set lowered by exec or setuid, ...) gets exactly its real set.
 *
 * Dropping a withheld capability changes nothing the kernel here could show, hence D. Drops
 * made before vzemu started are not seen: a vzemu run under `capsh --drop=X` with X withheld
 * here serves its command as full root (run capsh under vzemu instead). The
 * kernel's transitions (fork, exec, setuid) treat every capability alike, so apart from
 * explicit drops a withheld capability is where the ones of M are. D follows the kernel's
 * rules: it is inherited through fork; an exec keeps the bounding-set part and, since root's
 * permitted set is refilled from the bounding set at exec (cap_bprm_set_creds), forgets the
 * capset part. Each thread has its own entry (capabilities are per thread).
 *
 * capset and prctl(PR_CAPBSET_DROP) reach us as user notifications and then continue to the
 * kernel unchanged; we record the drop only when the kernel will accept the call (the checks
 * of cap_capset and cap_prctl_drop, done on the values read before it runs).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h> /* PTRACE_EVENT_* */
#include <unistd.h>

#include "vzemu.h"

struct cap_drops {
	pid_t tid;
	unsigned long long start; /* proc_starttime: the entry is this thread's */
	uint64_t bnd;             /* PR_CAPBSET_DROP: kept across exec */
	uint64_t prm;             /* capset: left out of the permitted set */
	uint64_t eff;             /* capset: left out of the effective set (includes prm) */
	bool reserve;             /* CAP_SYS_ADMIN kept in the real permitted set (caps-ve.c) */
	uint64_t want[3];         /* then: the effective, permitted, inheritable sets asked for */
};

static struct cap_drops *drops;
static size_t ndrops, capdrops;
static uint64_t machine_set;
static bool machine_known;

/* a "Key:\tvalue" line of /proc/TID/status, the value in BASE */
static int status_field(pid_t tid, const char *key, int base, uint64_t *v)
{
	char buf[4096], *l;
	size_t klen = strlen(key);
	ssize_t n = proc_read(tid, "status", buf, sizeof(buf));

	if (n <= 0)
		return n < 0 ? (int)n : -EIO;
	for (l = buf; l; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
		if (!strncmp(l, key, klen)) {
			*v = strtoull(l + klen, NULL, base);
			return 0;
		}
	return -ENOENT;
}

int caps_real(pid_t tid, uint64_t sets[4])
{
	static const char *const keys[] = { "CapEff:", "CapPrm:", "CapInh:", "CapBnd:" };

	for (int i = 0; i < 4; i++) {
		int r = status_field(tid, keys[i], 16, &sets[i]);

		if (r < 0)
			return r;
	}
	return 0;
}

uint64_t caps_machine_set(void)
{
	if (!machine_known) {
		if (status_field(1, "CapBnd:", 16, &machine_set) < 0 &&
		    status_field(getpid(), "CapBnd:", 16, &machine_set) < 0)
			machine_set = ~0ULL;
		machine_known = true;
	}
	return machine_set;
}

static struct cap_drops *find(pid_t tid)
{
	for (size_t i = 0; i < ndrops; i++)
		if (drops[i].tid == tid) {
			if (drops[i].start == proc_starttime(tid))
				return &drops[i];
			drops[i] = drops[--ndrops]; /* a thread of the same id that is gone */
			return NULL;
		}
	return NULL;
}

static struct cap_drops *get(pid_t tid)
{
	struct cap_drops *d = find(tid);

	if (d)
		return d;
	if (ndrops == capdrops) {
		size_t n = capdrops ? capdrops * 2 : 16;
		struct cap_drops *v = realloc(drops, n * sizeof(*v));

		if (!v)
			return NULL;
		drops = v;
		capdrops = n;
	}
	d = &drops[ndrops++];
	memset(d, 0, sizeof(*d));
	d->tid = tid;
	d->start = proc_starttime(tid);
	return d;
}

static struct cap_drops *inherit(pid_t child, pid_t parent)
{
	struct cap_drops *p = find(parent), copy, *n;

	if (!p)
		return NULL;
	copy = *p;
	n = get(child);
	if (n) {
		n->bnd |= copy.bnd;
		n->prm |= copy.prm;
		n->eff |= copy.eff;
		n->reserve = copy.reserve;
		memcpy(n->want, copy.want, sizeof(n->want));
	}
	return n;
}

uint64_t caps_emulated(pid_t tid, uint64_t real_eff)
{
	uint64_t m = caps_machine_set(), gone = 0;
	const struct cap_drops *d = ndrops ? find(tid) : NULL;
	uint64_t ppid;

	/*
	 * A new thread may call before its creator's fork event was handled (the two ptrace
	 * stops are reported in either order): then it inherits from its parent process here.
	 */
	if (!d && ndrops && status_field(tid, "PPid:", 10, &ppid) == 0)
		d = inherit(tid, (pid_t)ppid);
	if (d)
		gone = d->bnd | d->eff;
	if (((real_eff | gone) & m) != m)
		return real_eff;
	return real_eff | (~m & ~gone);
}

/* the caller's own id in its innermost pid namespace (capset's pid argument): NSpid's last */
static pid_t own_nspid(pid_t tid)
{
	char buf[4096], *l, *end;

	if (proc_read(tid, "status", buf, sizeof(buf)) <= 0)
		return -1;
	l = strstr(buf, "\nNSpid:");
	if (!l)
		return tid;
	end = strchr(l + 1, '\n');
	if (end)
		*end = 0;
	return (pid_t)atoi(strrchr(l, '\t') ? strrchr(l, '\t') + 1 : l + 7);
}

/* capset(hdr, data): security/commoncap.c cap_capset, kernel/capability.c sys_capset */
void caps_on_capset(struct call *c)
{
	struct __user_cap_header_struct h;
	struct __user_cap_data_struct d[2] = { { 0 } };
	uint64_t eff, prm, inh, old_prm, old_inh, bnd, old_eff, m = caps_machine_set();
	int words;
	struct cap_drops *e;

	if (mem_read(c->tid, c->args[0], &h, sizeof(h)) < 0)
		return;
	if (h.version == _LINUX_CAPABILITY_VERSION_1)
		words = 1;
	else if (h.version == _LINUX_CAPABILITY_VERSION_2 ||
		 h.version == _LINUX_CAPABILITY_VERSION_3)
		words = 2;
	else
		return; /* EINVAL */
	if (h.pid != 0 && h.pid != own_nspid(c->tid))
		return; /* EPERM: capset on another process */
	if (mem_read(c->tid, c->args[1], d, sizeof(d[0]) * (size_t)words) < 0)
		return;
	eff = d[0].effective | (uint64_t)d[1].effective << 32;
	prm = d[0].permitted | (uint64_t)d[1].permitted << 32;
	inh = d[0].inheritable | (uint64_t)d[1].inheritable << 32;
	if (status_field(c->tid, "CapPrm:", 16, &old_prm) < 0 ||
	    status_field(c->tid, "CapInh:", 16, &old_inh) < 0 ||
	    status_field(c->tid, "CapEff:", 16, &old_eff) < 0 ||
	    status_field(c->tid, "CapBnd:", 16, &bnd) < 0)
		return;
	/* cap_capset's checks on what this machine can show (the withheld bits: see below) */
	if (inh & ~(old_inh | old_prm) & m && !(old_eff >> CAP_SETPCAP & 1))
		return;
	if (inh & ~(old_inh | bnd) & m)
		return;
	if (prm & ~old_prm & m)
		return;
	if (eff & ~prm)
		return;
	e = get(c->tid);
	if (!e)
		return;
	/*
	 * Only the capabilities of M: capget never shows a withheld one, so a program's
	 * read-modify-write leaves it out without meaning to drop it. A withheld capability is
	 * given up through the bounding set (PR_CAPBSET_DROP: capsh --drop, setpriv
	 * --bounding-set), or with everything by a set that no longer holds M (the rule above).
	 */
	e->prm |= ~prm & m;
	e->eff = (~eff & m) | e->prm;
}

/* prctl(PR_CAPBSET_DROP, cap): security/commoncap.c cap_prctl_drop */
void caps_on_bset_drop(struct call *c)
{
	uint64_t eff, cap = c->args[1];
	struct cap_drops *e;

	if (cap > CAP_LAST_CAP)
		return; /* EINVAL (this machine's CAP_LAST_CAP: above it no bit can be asked) */
	if (status_field(c->tid, "CapEff:", 16, &eff) < 0 ||
	    !(caps_emulated(c->tid, eff) >> CAP_SETPCAP & 1))
		return; /* EPERM */
	e = get(c->tid);
	if (e)
		e->bnd |= 1ULL << cap;
}

/*
 * Called from the ptrace event loop for fork/vfork/clone (the new thread inherits the
 * creator's drops) and exec (the capset part is forgotten: root's permitted and effective
 * sets are refilled from the bounding set; a thread that is not root has none then, which
 * the rule above sees in its real set).
 */
void caps_on_ptrace_event(pid_t tid, int ev, unsigned long msg)
{
	struct cap_drops *p;

	if (!ndrops)
		return;
	if (ev == PTRACE_EVENT_FORK || ev == PTRACE_EVENT_VFORK || ev == PTRACE_EVENT_CLONE) {
		inherit((pid_t)msg, tid);
	} else if (ev == PTRACE_EVENT_EXEC) {
		/* msg: the thread id before the exec (another thread of the group may exec) */
		p = NULL;
		for (size_t i = 0; i < ndrops && !p; i++)
			if (drops[i].tid == (pid_t)msg)
				p = &drops[i];
		if (!p)
			return;
		p->tid = tid;
		p->start = proc_starttime(tid);
		p->prm = p->eff = 0;
		p->reserve = false; /* the exec computes the sets anew, from the bounding set */
	}
}

bool caps_reserve(pid_t tid, uint64_t want[3])
{
	const struct cap_drops *d = ndrops ? find(tid) : NULL;

	if (!d || !d->reserve)
		return false;
	memcpy(want, d->want, sizeof(d->want));
	return true;
}

void caps_set_reserve(pid_t tid, const uint64_t want[3])
{
	struct cap_drops *d = get(tid);

	if (!d)
		return;
	d->reserve = want != NULL;
	if (want)
		memcpy(d->want, want, sizeof(d->want));
}

void caps_ve_limited(pid_t init, pid_t creator, uint64_t bnd_dropped)
{
	struct cap_drops *d = find(init) ? find(init) : inherit(init, creator);

	if (!d)
		d = get(init);
	if (!d)
		return;
	d->bnd |= bnd_dropped & caps_machine_set();
	d->reserve = false;
}
