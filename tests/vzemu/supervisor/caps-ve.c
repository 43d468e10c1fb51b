// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Capabilities around the VE namespace work of ptrace.c.
 *
 * On OpenVZ the creator of a VE lowers its capabilities to the VE's set first (vzctl: the
 * bounding set, then capset) and the create still works: do_env_create checks only
 * capable_setveid() (CAP_SYS_ADMIN or CAP_VE_ADMIN), then limits the VE to the creator's
 * effective set (kernel/ve/vecalls.c: set_ve_caps copies it into ve_cap_bset, init_ve_cred
 * intersects the init's effective, permitted, inheritable and bounding sets with it).
 * vzemu makes the VE's namespaces with calls injected into the creator, and those need
 * CAP_SYS_ADMIN in its effective set, which a capset may have taken from the permitted set
 * for good. So:
 *
 *  - capset stops in ptrace. One that would take CAP_SYS_ADMIN out of the permitted set of a
 *    thread holding it runs with CAP_SYS_ADMIN kept in the permitted set only (the reserve):
 *    the effective set is the one asked for, so the kernel refuses what it would refuse. The
 *    sets asked for are recorded (caps.c: inherited by fork, forgotten at exec, which makes
 *    new sets from the bounding set). A later capset putting CAP_SYS_ADMIN back into the
 *    permitted set gets EPERM, as from the kernel.
 *  - VE create/enter: the creator raises CAP_SYS_ADMIN from its reserve into its effective
 *    set for the namespace calls. The child that continues as the VE's init then gets
 *    init_ve_cred's limit: every capability outside the creator's effective set dropped from
 *    its bounding set, capset(eff, prm & eff, inh & eff). The child of VE_ENTER gets the sets
 *    asked for (do_env_enter changes no capability). If the create fails, the creator's sets
 *    are lowered again; the stand-in keeps what it has (it never returns to its program).
 *  - The VE's init keeps the reserve too, until its exec: OpenVZ lets a VE's root mount with
 *    CAP_VE_ADMIN (fs/namespace.c: CAP_VE_SYS_ADMIN), which Linux does not know; a mount by
 *    a thread holding CAP_VE_ADMIN and the reserve runs with CAP_SYS_ADMIN raised for it
 *    (vzctl and vzlite mount the VE's /proc and /sys so, before the init's exec). After the
 *    exec the reserve is gone (root's sets come from the bounding set): a mount there
 *    without CAP_SYS_ADMIN is EPERM, unlike OpenVZ.
 *
 * capget stops in ptrace too and does not show the reserve (a read-modify-write of the sets
 * would ask for it back). Seen from outside: between such a capset and the create,
 * /proc/PID/status shows CAP_SYS_ADMIN in the permitted set of the thread (and of the VE's
 * init until its exec).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/capability.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>

#include "inject.h"
#include "vzemu.h"

#define RESERVED     (1ULL << CAP_SYS_ADMIN)
#define CAP_VE_ADMIN 30 /* OpenVZ's, on the number of CAP_AUDIT_CONTROL */

struct cap_args {
	struct __user_cap_header_struct h;
	struct __user_cap_data_struct d[2];
};

static int last_cap(void)
{
	static int last = -1;
	FILE *f;

	if (last < 0) {
		f = fopen("/proc/sys/kernel/cap_last_cap", "re");
		if (!f || fscanf(f, "%d", &last) != 1 || last < 0 || last > 63)
			last = CAP_LAST_CAP;
		if (f)
			fclose(f);
	}
	return last;
}

void caps_capset_stop(struct sup *s, pid_t tid, struct user_regs_struct *regs, struct call *c)
{
	struct inj j = { .s = s, .tid = tid, .compat = c->compat32 };
	struct user_regs_struct ex;
	struct cap_args orig, kept;
	uint64_t real[4], want[3], held[3], a[6];
	bool reserve = caps_reserve(tid, held);
	int words;
	long r;

	if (mem_read(tid, c->args[0], &orig.h, sizeof(orig.h)) < 0)
		goto as_is;
	words = orig.h.version == _LINUX_CAPABILITY_VERSION_1 ? 1 : 2;
	memset(orig.d, 0, sizeof(orig.d));
	if (mem_read(tid, c->args[1], orig.d, sizeof(orig.d[0]) * (size_t)words) < 0 ||
	    caps_real(tid, real) < 0)
		goto as_is;
	for (int i = 0; i < 3; i++)
		want[i] = 0;
	for (int w = 0; w < words; w++) {
		want[0] |= (uint64_t)orig.d[w].effective << (32 * w);
		want[1] |= (uint64_t)orig.d[w].permitted << (32 * w);
		want[2] |= (uint64_t)orig.d[w].inheritable << (32 * w);
	}
	if (reserve && (orig.h.pid == 0 || orig.h.pid == (int)c->pid) &&
	    (orig.h.version == _LINUX_CAPABILITY_VERSION_1 ||
	     orig.h.version == _LINUX_CAPABILITY_VERSION_2 ||
	     orig.h.version == _LINUX_CAPABILITY_VERSION_3) &&
	    want[1] & ~held[1]) {
		inj_finish(&j, regs, -EPERM, false); /* cap_capset: the permitted set cannot grow */
		return;
	}
	caps_on_capset(c);
	/* a capset the kernel accepts that takes CAP_SYS_ADMIN out of the permitted set */
	if (!(real[1] & RESERVED) || want[1] & RESERVED || want[0] & ~want[1] ||
	    want[1] & ~real[1] || (orig.h.pid != 0 && orig.h.pid != (int)c->pid) ||
	    (orig.h.version != _LINUX_CAPABILITY_VERSION_2 &&
	     orig.h.version != _LINUX_CAPABILITY_VERSION_3 &&
	     orig.h.version != _LINUX_CAPABILITY_VERSION_1))
		goto as_is;
	kept = orig;
	kept.d[0].permitted |= (uint32_t)RESERVED;
	if (mem_write(tid, c->args[1], kept.d, sizeof(kept.d[0])) < 0)
		goto as_is;
	memcpy(a, c->args, sizeof(a));
	r = inj_replace(&j, regs, c->nr, a, &ex);
	if (j.dead)
		return;
	mem_write(tid, c->args[1], orig.d, sizeof(orig.d[0]));
	if (r == 0)
		caps_set_reserve(tid, want);
	inj_finish(&j, regs, r, true);
	return;
as_is:
	ptrace(PTRACE_CONT, tid, 0, 0);
}

/* capget of the caller itself: the reserve is not shown (a read-modify-write would ask for it) */
void caps_capget_stop(struct sup *s, pid_t tid, struct user_regs_struct *regs, struct call *c)
{
	struct inj j = { .s = s, .tid = tid, .compat = c->compat32 };
	struct __user_cap_header_struct h;
	struct __user_cap_data_struct d;
	struct user_regs_struct ex;
	uint64_t held[3], a[6];
	long r;

	if (!caps_reserve(tid, held) || held[1] & RESERVED ||
	    mem_read(tid, c->args[0], &h, sizeof(h)) < 0 || (h.pid != 0 && h.pid != (int)c->pid) ||
	    !c->args[1]) {
		ptrace(PTRACE_CONT, tid, 0, 0);
		return;
	}
	memcpy(a, c->args, sizeof(a));
	r = inj_replace(&j, regs, c->nr, a, &ex);
	if (j.dead)
		return;
	if (r == 0 && mem_read(tid, c->args[1], &d, sizeof(d)) == 0) {
		d.permitted &= ~(uint32_t)RESERVED;
		d.effective &= ~(uint32_t)RESERVED;
		mem_write(tid, c->args[1], &d, sizeof(d));
	}
	inj_finish(&j, regs, r, true);
}

void caps_ve_prepare(pid_t tid, struct ve_caps *vc)
{
	uint64_t real[4] = { 0 };

	caps_real(tid, real);
	vc->bnd = real[3];
	vc->raise = caps_reserve(tid, vc->want) && real[1] & RESERVED;
	if (!vc->raise)
		memcpy(vc->want, real, sizeof(vc->want));
}

void caps_raised(const struct ve_caps *vc, uint64_t set[3])
{
	set[0] = vc->want[0] | RESERVED;
	set[1] = vc->want[1] | RESERVED;
	set[2] = vc->want[2];
}

long caps_inj_capset(struct inj *j, const struct user_regs_struct *at, struct user_regs_struct *cur,
		     const uint64_t set[3])
{
	const struct user_regs_struct *sp = at ? at : cur;
	struct cap_args b = { .h = { .version = _LINUX_CAPABILITY_VERSION_3 } };
	/* below the stack pointer and the x86_64 red zone: memory the program does not use now */
	uint64_t addr = ((j->compat ? (uint32_t)sp->rsp : sp->rsp) - 512) & ~15ULL;
	uint64_t a[6] = { addr, addr + offsetof(struct cap_args, d), 0, 0, 0, 0 };

	for (int w = 0; w < 2; w++)
		b.d[w] = (struct __user_cap_data_struct){ (uint32_t)(set[0] >> (32 * w)),
							  (uint32_t)(set[1] >> (32 * w)),
							  (uint32_t)(set[2] >> (32 * w)) };
	if (mem_write(j->tid, addr, &b, sizeof(b)) < 0)
		return -EFAULT;
	if (at)
		return inj_replace(j, at, inj_nrs(j)->capset, a, cur);
	return inj_call(j, cur, inj_nrs(j)->capset, a);
}

long caps_inj_ve_limit(struct inj *jc, struct user_regs_struct *cur, const struct ve_caps *vc,
		       pid_t creator, unsigned int veid)
{
	uint64_t eff = vc->want[0], dropped = vc->bnd & ~eff;
	uint64_t set[3] = { eff, vc->want[1] & eff, vc->want[2] & eff };
	/* the reserve stays (permitted only) for the mounts CAP_VE_ADMIN allows (caps_mount) */
	bool reserve = (vc->raise || vc->want[1] & RESERVED) && !(eff & RESERVED);
	long r = 0;

	if (reserve)
		set[1] |= RESERVED;

	for (int cap = 0; cap <= last_cap() && r >= 0; cap++)
		if (dropped >> cap & 1)
			r = inj_call3(jc, cur, inj_nrs(jc)->prctl, PR_CAPBSET_DROP, (uint64_t)cap,
				      0);
	if (r >= 0 && (vc->raise || set[1] != vc->want[1] || set[2] != vc->want[2]))
		r = caps_inj_capset(jc, NULL, cur, set);
	if (r < 0)
		return r;
	caps_ve_limited(jc->tid, creator, dropped);
	if (reserve) {
		set[1] &= ~RESERVED;
		caps_set_reserve(jc->tid, set);
	}
	if (dropped || vc->raise || set[1] != vc->want[1] || set[2] != vc->want[2])
		trace_raw("%d vzemu: VE %u init limited to its creator's effective capabilities: "
			  "CapEff=%016llx CapBnd=%016llx",
			  (int)jc->tid, veid, (unsigned long long)eff,
			  (unsigned long long)(vc->bnd & eff));
	return 0;
}

long caps_mount(struct inj *j, const struct user_regs_struct *at, long nr, uint64_t a[6],
		struct user_regs_struct *ex)
{
	struct ve_caps vc;
	uint64_t raised[3];
	long r;

	caps_ve_prepare(j->tid, &vc);
	/* fs/namespace.c: capable(CAP_VE_SYS_ADMIN) || capable(CAP_SYS_ADMIN) */
	if (!vc.raise || !(vc.want[0] >> CAP_VE_ADMIN & 1))
		return inj_replace(j, at, nr, a, ex);
	caps_raised(&vc, raised);
	r = caps_inj_capset(j, at, ex, raised);
	if (r < 0)
		return r;
	r = inj_call(j, ex, nr, a);
	if (!j->dead)
		caps_inj_capset(j, NULL, ex, vc.want);
	return r;
}
