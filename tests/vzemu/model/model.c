/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vzemu model: helpers, and the dispatch of system calls and /dev/vzctl ioctls to the
 * per-subsystem files. Open/close, locking and the state cache: model-lock.c; the state
 * file: model-state.c; process liveness: model-pids.c.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "model-internal.h"

/* LINUX_REBOOT_* (include/linux/reboot.h) */
#define R_MAGIC1        0xfee1deadU
#define R_MAGIC2        672274793
#define R_MAGIC2A       85072278
#define R_MAGIC2B       369367448
#define R_MAGIC2C       537993216
#define R_CMD_RESTART   0x01234567U
#define R_CMD_HALT      0xCDEF0123U
#define R_CMD_CAD_ON    0x89ABCDEFU
#define R_CMD_CAD_OFF   0x00000000U
#define R_CMD_POWER_OFF 0x4321FEDCU
#define R_CMD_RESTART2  0xA1B2C3D4U

bool m_cap(const struct emu_caller *c, int cap)
{
	return (c->cap_effective >> cap) & 1;
}

/* include/linux/capability.h: capable_setveid — host, and CAP_SYS_ADMIN or CAP_VE_ADMIN */
bool m_capable_setveid(const struct emu_caller *c)
{
	return c->veid == 0 && (m_cap(c, M_CAP_SYS_ADMIN) || m_cap(c, CAP_VE_ADMIN));
}

int m_rd(const struct emu_mem *mem, uint64_t addr, void *buf, size_t len)
{
	if (len == 0)
		return 0;
	return mem->read(mem->opaque, addr, buf, len) < 0 ? -EFAULT : 0;
}

int m_wr(const struct emu_mem *mem, uint64_t addr, const void *buf, size_t len)
{
	if (len == 0)
		return 0;
	return mem->write(mem->opaque, addr, buf, len) < 0 ? -EFAULT : 0;
}

uint32_t m_u32(const void *buf, size_t off)
{
	uint32_t v;
	memcpy(&v, (const char *)buf + off, 4);
	return v;
}

uint64_t m_u64(const void *buf, size_t off)
{
	uint64_t v;
	memcpy(&v, (const char *)buf + off, 8);
	return v;
}

/* an unsigned long of the caller: 4 bytes for i386, zero-extended as compat_ulong_t */
uint64_t m_ulong(const void *buf, size_t off, bool compat32)
{
	return compat32 ? m_u32(buf, off) : m_u64(buf, off);
}

void m_put32(void *buf, size_t off, uint32_t v)
{
	memcpy((char *)buf + off, &v, 4);
}

void m_put64(void *buf, size_t off, uint64_t v)
{
	memcpy((char *)buf + off, &v, 8);
}

void m_trace(char *trace, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (!trace || len == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(trace, len, fmt, ap);
	va_end(ap);
}

void m_trace_call(char *trace, size_t len, const struct kcall *call)
{
	if (trace && len)
		kcall_render(trace, len, call, NULL);
}

uint64_t m_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec;
}

void *m_grow(void *arr, int n, size_t elem)
{
	void *p = realloc(arr, (size_t)(n + 1) * elem);

	if (!p)
		abort();
	memset((char *)p + (size_t)n * elem, 0, elem);
	return p;
}

static enum m_sys sys_of(const struct emu_caller *c, long nr)
{
	/*
	 * i386 numbers (arch/x86/include/asm/unistd_32.h, TSV rows arch=i386): kernel-abi's
	 * arch-i386.h defines the same macro names as arch-x86_64.h, so both cannot be
	 * included in one build; the i386 table is written out here.
	 */
	static const struct {
		long nr;
		enum m_sys s;
	} i386[] = {
		{ 500, MS_MKNOD },   { 501, MS_RMNOD },      { 502, MS_CHWT },
		{ 503, MS_MVPR },    { 504, MS_RATE },       { 505, MS_VCPUS },
		{ 506, MS_CPUMASK }, { 507, MS_NODEMASK },   { 510, MS_GETLUID },
		{ 511, MS_SETLUID }, { 512, MS_SETUBLIMIT }, { 513, MS_UBSTAT },
		{ 516, MS_LCHMOD },  { 517, MS_LUTIME },     { 289, MS_IOPRIO_SET },
	};
	static const struct {
		long nr;
		enum m_sys s;
	} x64[] = {
		{ __NR_fairsched_mknod, MS_MKNOD },
		{ __NR_fairsched_rmnod, MS_RMNOD },
		{ __NR_fairsched_chwt, MS_CHWT },
		{ __NR_fairsched_mvpr, MS_MVPR },
		{ __NR_fairsched_rate, MS_RATE },
		{ __NR_fairsched_vcpus, MS_VCPUS },
		{ __NR_fairsched_cpumask, MS_CPUMASK },
		{ __NR_fairsched_nodemask, MS_NODEMASK },
		{ __NR_getluid, MS_GETLUID },
		{ __NR_setluid, MS_SETLUID },
		{ __NR_setublimit, MS_SETUBLIMIT },
		{ __NR_ubstat, MS_UBSTAT },
		{ __NR_lchmod, MS_LCHMOD },
		{ __NR_lutime, MS_LUTIME },
		{ 251, MS_IOPRIO_SET }, /* __NR_ioprio_set, x86_64 */
	};
	size_t i;

	if (c->compat32) {
		for (i = 0; i < sizeof(i386) / sizeof(i386[0]); i++)
			if (i386[i].nr == nr)
				return i386[i].s;
	} else {
		for (i = 0; i < sizeof(x64) / sizeof(x64[0]); i++)
			if (x64[i].nr == nr)
				return x64[i].s;
	}
	return MS_NONE;
}

long model_syscall(struct emu_model *m, const struct emu_caller *caller, const struct emu_mem *mem,
		   long nr, const uint64_t args[6], struct emu_effect *effect, char *trace,
		   size_t trace_len)
{
	enum m_sys s = sys_of(caller, nr);

	/* getluid changes nothing but a first exec-bc record (luid_set says so itself) */
	if (s != MS_GETLUID)
		m->changed = true;
	effect->kind = EMU_EFFECT_NONE;
	effect->veid = 0;
	effect->why = NULL;
	m_trace(trace, trace_len, "syscall %ld", nr);
	switch (s) {
	case MS_GETLUID:
	case MS_SETLUID:
	case MS_SETUBLIMIT:
	case MS_UBSTAT:
		return ubc_syscall(m, caller, mem, s, args, trace, trace_len);
	case MS_MKNOD:
	case MS_RMNOD:
	case MS_CHWT:
	case MS_MVPR:
	case MS_RATE:
	case MS_VCPUS:
	case MS_CPUMASK:
	case MS_NODEMASK:
		return fairsched_syscall(m, caller, mem, s, args, trace, trace_len);
	case MS_LCHMOD:
		return m_lchmod(caller, mem, args, trace, trace_len);
	case MS_LUTIME:
		return m_lutime(caller, mem, args, trace, trace_len);
	case MS_IOPRIO_SET:
		return iolimit_ioprio_set(m, caller, (int)args[0], (int)args[1], (int)args[2],
					  trace, trace_len);
	default:
		return -ENOSYS;
	}
}

long model_ioctl(struct emu_model *m, const struct emu_caller *caller, const struct emu_mem *mem,
		 unsigned long request, uint64_t arg, struct emu_effect *effect, char *trace,
		 size_t trace_len)
{
	unsigned int type = (request >> 8) & 0xff;
	long r;

	m->changed = true;
	effect->kind = EMU_EFFECT_NONE;
	effect->veid = 0;
	effect->why = NULL;
	m_trace(trace, trace_len, "ioctl(vzctl, %#lx)", request);
	request &= 0xffffffffUL; /* the kernel's cmd is an unsigned int */
	/* kernel/ve/vzdev.c: vzctl_ioctl / compat_vzctl_ioctl — dispatch by type byte */
	switch (type) {
	case VZCTLTYPE:
		return ve_ioctl(m, caller, mem, request, arg, effect, trace, trace_len);
	case VENETCTLTYPE:
		return venet_ioctl(m, caller, mem, request, arg, effect, trace, trace_len);
	case VZDQCTLTYPE:
		r = quota_ioctl(m, caller, mem, request, arg, effect, trace, trace_len);
		return r;
	case VZIOLIMITTYPE:
		return iolimit_ioctl(m, caller, mem, request, arg, trace, trace_len);
	case VETHCTLTYPE:
		return veth_ioctl(m, caller, mem, request, arg, effect, trace, trace_len);
	default:
		/* no handler: ENOTTY natively; compat_vzctl_ioctl gives ENOIOCTLCMD, which
		 * fs/compat_ioctl.c turns into EINVAL ("ioctl32 … Unknown cmd") */
		return caller->compat32 ? -EINVAL : -ENOTTY;
	}
}

/* kernel/sys.c: sys_reboot — CAP_SYS_BOOT, then the magic numbers, then the VE branch */
long model_reboot(struct emu_model *m, const struct emu_caller *caller, int magic1, int magic2,
		  unsigned int cmd, struct emu_effect *effect)
{
	effect->kind = EMU_EFFECT_NONE;
	effect->veid = 0;
	effect->why = NULL;
	if (!m_cap(caller, M_CAP_SYS_BOOT))
		return -EPERM;
	if ((unsigned int)magic1 != R_MAGIC1 || (magic2 != R_MAGIC2 && magic2 != R_MAGIC2A &&
						 magic2 != R_MAGIC2B && magic2 != R_MAGIC2C))
		return -EINVAL;
	if (caller->veid == 0)
		return -EPERM; /* model.h: never reboot the host from a test */
	switch (cmd) {
	case R_CMD_RESTART:
	case R_CMD_RESTART2: {
		struct m_ve *ve = ve_find(m, caller->veid);

		/* set_bit(VE_REBOOT, &ve->flags): read only by vzevent's stop hook */
		if (ve && !ve->reboot) {
			ve->reboot = true;
			m->changed = true;
		}
		effect->kind = EMU_EFFECT_VE_RESTART;
		effect->veid = caller->veid;
		return 0;
	}
	case R_CMD_HALT:
	case R_CMD_POWER_OFF:
		effect->kind = EMU_EFFECT_VE_STOP;
		effect->veid = caller->veid;
		return 0;
	case R_CMD_CAD_ON:
	case R_CMD_CAD_OFF:
		return 0;
	default:
		return -EINVAL;
	}
}

bool model_ve_reboot_asked(struct emu_model *m, unsigned int veid)
{
	struct m_ve *ve = ve_find(m, veid);

	return ve && ve->reboot;
}

/* kernel/exit.c: do_initproc_exit — the VE is no longer running, still on the list */
void model_init_exited(struct emu_model *m, unsigned int veid)
{
	struct m_ve *ve = ve_find(m, veid);

	m->changed = true;
	if (ve && veid != 0)
		ve->state = VES_STOPPING;
}

/* kernel/ve/vecalls.c: env_cleanup via vzmond — net ns (IPs), fairsched node, VE list */
void model_ve_empty(struct emu_model *m, unsigned int veid)
{
	m->changed = true;
	if (veid != 0 && ve_find(m, veid))
		ve_remove(m, veid);
}

bool model_ve_running(struct emu_model *m, unsigned int veid)
{
	struct m_ve *ve = ve_find(m, veid);

	if (veid == 0)
		return true;
	return ve && ve->state == VES_RUNNING && m_pid_alive(ve->init_pid, ve->init_start);
}
