// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The seccomp filter every process under vzemu runs with, built as raw BPF.
 *
 * Per architecture (x86_64, and i386 callers through the compat path):
 *   1. reboot            -> USER_NOTIF, always, before anything else
 *   2. args[5] == cookie -> ALLOW (system calls the supervisor injects with ptrace; the cookie
 *                           is random per run)
 *   3. the table below    -> USER_NOTIF (getdents and the renames only when a --fail
 *                           CALL@PATH names them, fault-paths.c), or TRACE for mount, capset, capget, the fork family; ioctl by request: the VE create /
 *                           enter family -> TRACE, other OpenVZ ioctl types -> USER_NOTIF,
 *                           anything else -> ALLOW; ioprio_set and prctl by their first
 *                           argument (IOPRIO_WHO_UBC, PR_CAPBSET_DROP)
 *      socket only for (AF_NETLINK, *, 31), vzevent's protocol; bind always (vzevent.c);
 *      the kill family only when it names pid 1 (kill also -1): kill-host.c
 *   4. fidelity mode: every number 2.6.32-042stab does not have -> ERRNO(ENOSYS)
 *   5. ALLOW
 * x32 system calls get ENOSYS; unknown architectures are killed.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "openvz.h"
#include "syscalls-042stab.h"
#include "vzemu.h"

const struct sc_ent sc_table_x86_64[] = {
	{ __NR_fairsched_nodemask, "fairsched_nodemask", SC_OVZ, 3 },
	{ __NR_fairsched_cpumask, "fairsched_cpumask", SC_OVZ, 3 },
	{ __NR_fairsched_vcpus, "fairsched_vcpus", SC_OVZ, 2 },
	{ __NR_getluid, "getluid", SC_OVZ, 0 },
	{ __NR_setluid, "setluid", SC_OVZ, 1 },
	{ __NR_setublimit, "setublimit", SC_OVZ, 3 },
	{ __NR_ubstat, "ubstat", SC_OVZ, 5 },
	{ __NR_fairsched_mknod, "fairsched_mknod", SC_OVZ, 3 },
	{ __NR_fairsched_rmnod, "fairsched_rmnod", SC_OVZ, 1 },
	{ __NR_fairsched_chwt, "fairsched_chwt", SC_OVZ, 2 },
	{ __NR_fairsched_mvpr, "fairsched_mvpr", SC_OVZ, 2 },
	{ __NR_fairsched_rate, "fairsched_rate", SC_OVZ, 3 },
	{ __NR_lchmod, "lchmod", SC_OVZ, 2 },
	{ __NR_lutime, "lutime", SC_OVZ, 2 },
	{ SYS_reboot, "reboot", SC_REBOOT, 4 },
	{ SYS_ioctl, "ioctl", SC_IOCTL, 3 },
	{ SYS_open, "open", SC_OPEN, 3 },
	{ SYS_openat, "openat", SC_OPENAT, 4 },
	{ SYS_openat2, "openat2", SC_OPENAT2, 4 },
	{ SYS_creat, "creat", SC_CREAT, 2 },
	{ SYS_stat, "stat", SC_STAT, 2 },
	{ SYS_lstat, "lstat", SC_LSTAT, 2 },
	{ SYS_newfstatat, "newfstatat", SC_FSTATAT, 4 },
	{ SYS_statx, "statx", SC_STATX, 5 },
	{ SYS_access, "access", SC_ACCESS, 2 },
	{ SYS_faccessat, "faccessat", SC_FACCESSAT, 3 },
	{ SYS_faccessat2, "faccessat2", SC_FACCESSAT2, 4 },
	{ SYS_mount, "mount", SC_MOUNT, 5 },
	{ SYS_sethostname, "sethostname", SC_HOSTNAME, 2 },
	{ SYS_setdomainname, "setdomainname", SC_HOSTNAME, 2 },
	{ SYS_swapon, "swapon", SC_DENY, 2 },
	{ SYS_swapoff, "swapoff", SC_DENY, 1 },
	{ SYS_kexec_load, "kexec_load", SC_DENY, 4 },
	{ SYS_kexec_file_load, "kexec_file_load", SC_DENY, 5 },
	{ SYS_init_module, "init_module", SC_DENY, 3 },
	{ SYS_finit_module, "finit_module", SC_DENY, 3 },
	{ SYS_delete_module, "delete_module", SC_DENY, 2 },
	{ SYS_settimeofday, "settimeofday", SC_DENY, 2 },
	{ SYS_clock_settime, "clock_settime", SC_DENY, 2 },
	{ SYS_acct, "acct", SC_DENY, 1 },
	{ SYS_iopl, "iopl", SC_DENY, 1 },
	{ SYS_ioperm, "ioperm", SC_DENY, 3 },
	{ SYS_adjtimex, "adjtimex", SC_ADJTIME, 1 },
	{ SYS_clock_adjtime, "clock_adjtime", SC_ADJTIME, 2 },
	{ SYS_pivot_root, "pivot_root", SC_PIVOT, 2 },
	{ SYS_ioprio_set, "ioprio_set", SC_IOPRIO, 3 },
	{ SYS_capset, "capset", SC_CAPSET, 2 },
	{ SYS_capget, "capget", SC_CAPGET, 2 },
	{ SYS_prctl, "prctl", SC_CAPBSET, 2 },
	{ SYS_execve, "execve", SC_EXEC, 3 },
	{ SYS_execveat, "execveat", SC_EXECAT, 5 },
	{ SYS_socket, "socket", SC_NLSOCK, 3 },
	{ SYS_bind, "bind", SC_NLBIND, 3 },
	{ SYS_fork, "fork", SC_FORK, 0 },
	{ SYS_vfork, "vfork", SC_FORK, 0 },
	{ SYS_clone, "clone", SC_FORK, 5 },
	{ SYS_clone3, "clone3", SC_FORK, 2 },
	{ SYS_kill, "kill", SC_KILL, 2 },
	{ SYS_tkill, "tkill", SC_KILL, 2 },
	{ SYS_tgkill, "tgkill", SC_KILL, 3 },
	{ SYS_rt_sigqueueinfo, "rt_sigqueueinfo", SC_KILL, 3 },
	{ SYS_rt_tgsigqueueinfo, "rt_tgsigqueueinfo", SC_KILL, 4 },
	{ SYS_getdents, "getdents", SC_GETDENTS, 3 },
	{ SYS_getdents64, "getdents64", SC_GETDENTS, 3 },
	{ SYS_rename, "rename", SC_RENAME, 2 },
	{ SYS_renameat, "renameat", SC_RENAMEAT, 4 },
	{ SYS_renameat2, "renameat2", SC_RENAMEAT, 5 },
	{ -1, NULL, SC_NONE, 0 },
};

const struct sc_ent *sc_lookup(bool compat32, long nr)
{
	const struct sc_ent *e = compat32 ? sc_table_i386 : sc_table_x86_64;

	for (; e->nr >= 0; e++)
		if (e->nr == nr)
			return e;
	return NULL;
}

struct bpf_buf {
	struct sock_filter *v;
	size_t n, cap;
};

static void emit(struct bpf_buf *b, unsigned short code, unsigned char jt, unsigned char jf,
		 unsigned int k)
{
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 256;
		b->v = realloc(b->v, b->cap * sizeof(*b->v));
		if (!b->v)
			abort();
	}
	b->v[b->n++] = (struct sock_filter)BPF_JUMP(code, k, jt, jf);
}

#define LD_ABS(off)  emit(b, BPF_LD | BPF_W | BPF_ABS, 0, 0, (off))
#define RET(v)       emit(b, BPF_RET | BPF_K, 0, 0, (v))
#define JEQ(k, t, f) emit(b, BPF_JMP | BPF_JEQ | BPF_K, (t), (f), (k))
#define ARG_LO(i)    (offsetof(struct seccomp_data, args) + 8 * (i))
#define ARG_HI(i)    (offsetof(struct seccomp_data, args) + 8 * (i) + 4)

static unsigned int action_of(enum sc_class cls)
{
	switch (cls) {
	case SC_MOUNT:
		return SECCOMP_RET_TRACE | TRACE_DATA_MOUNT;
	case SC_CAPSET:
		return SECCOMP_RET_TRACE | TRACE_DATA_CAPSET;
	case SC_CAPGET:
		return SECCOMP_RET_TRACE | TRACE_DATA_CAPGET;
	case SC_FORK:
		return SECCOMP_RET_TRACE | TRACE_DATA_FORK;
	case SC_NONE:
		return SECCOMP_RET_ALLOW;
	default:
		return SECCOMP_RET_USER_NOTIF;
	}
}

static void emit_ioctl_block(struct bpf_buf *b)
{
	static const unsigned int create_nrs[] = { 0x2e00, 0x2e04, 0x2e05, 0x2e0a };
	static const unsigned int types[] = { VZCTLTYPE, VENETCTLTYPE, VETHCTLTYPE, VZDQCTLTYPE,
					      VZIOLIMITTYPE };

	LD_ABS(ARG_LO(1));
	emit(b, BPF_ALU | BPF_AND | BPF_K, 0, 0, 0xffff);
	for (size_t i = 0; i < 4; i++)
		JEQ(create_nrs[i], (unsigned char)(3 - i), i == 3 ? 1 : 0);
	RET(SECCOMP_RET_TRACE | TRACE_DATA_ENV_CREATE);
	emit(b, BPF_ALU | BPF_RSH | BPF_K, 0, 0, 8);
	for (size_t i = 0; i < 5; i++)
		JEQ(types[i], (unsigned char)(4 - i), i == 4 ? 1 : 0);
	RET(SECCOMP_RET_USER_NOTIF);
	RET(SECCOMP_RET_ALLOW);
}

/*
 * The kill family only when it names pid 1 (kill: also -1): the first argument, and the
 * second (the thread) for tgkill and rt_tgsigqueueinfo. pid_t is 32 bits: the low word.
 */
static void emit_kill_block(struct bpf_buf *b, const struct sc_ent *e)
{
	bool kill = !strcmp(e->name, "kill"), two = e->nargs >= 3 && strstr(e->name, "tg");

	JEQ((unsigned int)e->nr, 0, two ? 6 : 5); /* not this call: past its block */
	LD_ABS(ARG_LO(0));
	JEQ(1, two ? 2 : 1, 0); /* 1 -> USER_NOTIF */
	if (kill)
		JEQ(0xffffffffu, 0, 1);
	if (two) {
		LD_ABS(ARG_LO(1));
		JEQ(1, 0, 1);
	}
	if (!kill && !two)
		emit(b, BPF_JMP | BPF_JA, 0, 0, 1);
	RET(SECCOMP_RET_USER_NOTIF);
	RET(SECCOMP_RET_ALLOW);
}

static void emit_arch(struct bpf_buf *b, bool x86_64, bool fidelity, uint64_t cookie)
{
	const struct sc_ent *tab = x86_64 ? sc_table_x86_64 : sc_table_i386;
	int (*exists)(long) = x86_64 ? ovz_syscall_exists_x86_64 : ovz_syscall_exists_i386;
	const struct sc_ent *reboot = NULL;
	long maxnr = 600;

	for (const struct sc_ent *e = tab; e->nr >= 0; e++)
		if (e->cls == SC_REBOOT)
			reboot = e;

	LD_ABS(offsetof(struct seccomp_data, nr));
	if (x86_64) {
		emit(b, BPF_JMP | BPF_JGE | BPF_K, 0, 1, 0x40000000); /* x32 */
		RET(SECCOMP_RET_ERRNO | ENOSYS);
	}
	JEQ((unsigned int)reboot->nr, 0, 1);
	RET(SECCOMP_RET_USER_NOTIF);
	LD_ABS(ARG_LO(5));
	if (x86_64) {
		JEQ((unsigned int)cookie, 0, 3);
		LD_ABS(ARG_HI(5));
		JEQ((unsigned int)(cookie >> 32), 0, 1);
	} else {
		JEQ((unsigned int)cookie, 0, 1); /* 32-bit arguments */
	}
	RET(SECCOMP_RET_ALLOW);
	LD_ABS(offsetof(struct seccomp_data, nr));
	for (const struct sc_ent *e = tab; e->nr >= 0; e++) {
		if (e->cls == SC_REBOOT || e->cls == SC_NONE)
			continue;
		if (fidelity && !exists(e->nr))
			continue; /* the ENOSYS part below answers it */
		if (fault_path_only(e->name) && !faults_on_path(e->name))
			continue; /* only for a --fail CALL@PATH: other runs pay nothing */
		if (e->cls == SC_IOCTL) {
			size_t at = b->n;

			JEQ((unsigned int)e->nr, 0, 0);
			emit_ioctl_block(b);
			b->v[at].jf = (unsigned char)(b->n - at - 1);
			LD_ABS(offsetof(struct seccomp_data, nr));
			continue;
		}
		if (e->cls == SC_IOPRIO || e->cls == SC_CAPBSET) {
			/* ioprio_set(IOPRIO_WHO_UBC, ...), prctl(PR_CAPBSET_DROP, ...) only */
			JEQ((unsigned int)e->nr, 0, 4);
			LD_ABS(ARG_LO(0));
			JEQ(e->cls == SC_IOPRIO ? IOPRIO_WHO_UBC : PR_CAPBSET_DROP, 0, 1);
			RET(SECCOMP_RET_USER_NOTIF);
			RET(SECCOMP_RET_ALLOW);
			continue;
		}
		if (e->cls == SC_KILL) {
			emit_kill_block(b, e);
			continue;
		}
		if (e->cls == SC_NLSOCK) {
			/* socket(AF_NETLINK, *, 31) only: vzevent's protocol */
			JEQ((unsigned int)e->nr, 0, 6);
			LD_ABS(ARG_LO(0));
			JEQ(AF_NETLINK, 0, 3);
			LD_ABS(ARG_LO(2));
			JEQ(31, 0, 1);
			RET(SECCOMP_RET_USER_NOTIF);
			RET(SECCOMP_RET_ALLOW);
			continue;
		}
		JEQ((unsigned int)e->nr, 0, 1);
		RET(action_of(e->cls));
	}
	if (fidelity) {
		long nr = 0;

		while (nr <= maxnr) {
			long a, z;

			if (exists(nr)) {
				nr++;
				continue;
			}
			a = nr;
			while (nr <= maxnr && !exists(nr))
				nr++;
			z = nr - 1;
			if (z >= maxnr) {
				emit(b, BPF_JMP | BPF_JGE | BPF_K, 0, 1, (unsigned int)a);
				RET(SECCOMP_RET_ERRNO | ENOSYS);
			} else if (a == z) {
				JEQ((unsigned int)a, 0, 1);
				RET(SECCOMP_RET_ERRNO | ENOSYS);
			} else {
				emit(b, BPF_JMP | BPF_JGE | BPF_K, 0, 2, (unsigned int)a);
				emit(b, BPF_JMP | BPF_JGT | BPF_K, 1, 0, (unsigned int)z);
				RET(SECCOMP_RET_ERRNO | ENOSYS);
			}
		}
	}
	RET(SECCOMP_RET_ALLOW);
}

int filter_build(struct sock_fprog *prog, bool fidelity, uint64_t cookie)
{
	struct bpf_buf main = { 0 }, x64 = { 0 }, i386 = { 0 };
	struct bpf_buf *b = &main;

	emit_arch(&x64, true, fidelity, cookie);
	emit_arch(&i386, false, fidelity, cookie);

	LD_ABS(offsetof(struct seccomp_data, arch));
	JEQ(AUDIT_ARCH_X86_64, 0, 1);
	emit(b, BPF_JMP | BPF_JA, 0, 0, 3); /* -> x86_64 section */
	JEQ(AUDIT_ARCH_I386, 0, 1);
	emit(b, BPF_JMP | BPF_JA, 0, 0, 1 + (unsigned int)x64.n); /* -> i386 section */
	RET(SECCOMP_RET_KILL_PROCESS);
	for (size_t i = 0; i < x64.n; i++)
		emit(b, x64.v[i].code, x64.v[i].jt, x64.v[i].jf, x64.v[i].k);
	for (size_t i = 0; i < i386.n; i++)
		emit(b, i386.v[i].code, i386.v[i].jt, i386.v[i].jf, i386.v[i].k);
	free(x64.v);
	free(i386.v);
	if (main.n > BPF_MAXINSNS)
		return -E2BIG;
	prog->len = (unsigned short)main.n;
	prog->filter = main.v;
	return 0;
}
