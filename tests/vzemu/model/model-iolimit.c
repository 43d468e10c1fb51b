/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vzemu model: I/O limits (kernel/ve/vziolimit.c: iolimit_ioctl), I/O priority of a
 * beancounter (fs/ioprio.c: sys_ioprio_set, kernel/bc/io_prio.c: ub_set_ioprio), and the
 * two path calls lchmod/lutime, which the host kernel lacks: the model performs their
 * no-follow equivalents on the caller's path, resolved through /proc/<pid>/root or cwd.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "model-internal.h"

/* kernel/ve/vziolimit.c: iolimit_ioctl — the same handler serves compat callers */
long iolimit_ioctl(struct emu_model *m, const struct emu_caller *c, const struct emu_mem *mem,
		   unsigned long req, uint64_t arg, char *tr, size_t trl)
{
	uint8_t s[16];
	struct m_iolim *l;
	struct m_bc *b;
	struct kcall kc = { 0 };

	(void)c;
	switch (req) {
	case VZCTL_SET_IOLIMIT:
		kc.kind = KCALL_SET_IOLIMIT;
		break;
	case VZCTL_GET_IOLIMIT:
		kc.kind = KCALL_GET_IOLIMIT;
		break;
	case VZCTL_SET_IOPSLIMIT:
		kc.kind = KCALL_SET_IOPSLIMIT;
		break;
	case VZCTL_GET_IOPSLIMIT:
		kc.kind = KCALL_GET_IOPSLIMIT;
		break;
	default:
		return -ENOTTY;
	}
	if (m_rd(mem, arg, s, sizeof(s)) < 0) {
		kc.unreadable = true;
		m_trace_call(tr, trl, &kc);
		return -EFAULT;
	}
	kc.id = m_u32(s, 0);
	kc.u.iolimit.speed = m_u32(s, 4);
	kc.u.iolimit.burst = m_u32(s, 8);
	kc.u.iolimit.latency = m_u32(s, 12);
	m_trace_call(tr, trl, &kc);
	/* no permission check at all (§17 item 8) */
	b = bc_find(m, m_u32(s, 0));
	if (!b)
		return -ENOENT;
	l = (req == VZCTL_SET_IOLIMIT || req == VZCTL_GET_IOLIMIT) ? &b->io : &b->iops;
	if (req == VZCTL_SET_IOLIMIT || req == VZCTL_SET_IOPSLIMIT) {
		/* iolimit_get allocates both throttles; latency kept in ms (HZ 1000) */
		b->io.set = b->iops.set = true;
		l->speed = m_u32(s, 4);
		l->burst = m_u32(s, 8);
		l->latency = m_u32(s, 12);
		return 0;
	}
	/* GET: ENXIO until some SET allocated the bc's iolimit (either kind) */
	if (!b->io.set && !b->iops.set)
		return -ENXIO;
	m_put32(s, 4, l->speed);
	m_put32(s, 8, l->burst);
	m_put32(s, 12, l->latency);
	return m_wr(mem, arg, s, sizeof(s)) < 0 ? -EFAULT : 0;
}

/* fs/ioprio.c: sys_ioprio_set for IOPRIO_WHO_UBC; kernel/bc/io_prio.c: ub_set_ioprio */
long iolimit_ioprio_set(struct emu_model *m, const struct emu_caller *c, int which, int who,
			int ioprio, char *tr, size_t trl)
{
	int class = ioprio >> IOPRIO_CLASS_SHIFT;
	int data = ioprio & ((1 << IOPRIO_CLASS_SHIFT) - 1);
	struct m_bc *b;

	m_trace_call(tr, trl,
		     &(struct kcall){ .kind = KCALL_IOPRIO_SET,
				      .id = (unsigned int)who,
				      .u.ioprio = { .which = which, .ioprio = ioprio } });
	if (which != IOPRIO_WHO_UBC)
		return -EINVAL; /* the supervisor routes only IOPRIO_WHO_UBC here */
	if (c->veid != 0)
		return -EPERM;
	switch (class) {
	case IOPRIO_CLASS_RT:
		if (!m_cap(c, M_CAP_SYS_ADMIN))
			return -EPERM;
		__attribute__((fallthrough)); /* rt has a data field too */
	case IOPRIO_CLASS_BE:
		if (data >= IOPRIO_BE_NR || data < 0)
			return -EINVAL;
		break;
	case IOPRIO_CLASS_IDLE:
		break; /* no data check for IDLE in this kernel */
	case IOPRIO_CLASS_NONE:
		if (data)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	if (class != IOPRIO_CLASS_BE)
		return -ERANGE;
	if (data < UB_IOPRIO_MIN || data >= UB_IOPRIO_MAX)
		return -ERANGE;
	b = bc_find(m, (uint32_t)who);
	if (!b)
		return -ESRCH;
	/* the bc's blkio cgroup exists (sysctl ubc.ioprio = 1 when it was created) */
	b->ioprio = data;
	return 0;
}

/* fs/namei.c: getname — EFAULT, ENOENT for "", ENAMETOOLONG without a NUL in PATH_MAX */
int m_read_path(const struct emu_mem *mem, uint64_t addr, char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (m_rd(mem, addr + i, &buf[i], 1) < 0)
			return -EFAULT;
		if (!buf[i])
			return i == 0 ? -ENOENT : 0;
	}
	return -ENAMETOOLONG;
}

/* the caller's view of a path: its root for absolute paths, its cwd for relative ones */
int m_host_path(const struct emu_caller *c, const char *path, char *out, size_t outlen)
{
	int n;

	if (path[0] == '/')
		n = snprintf(out, outlen, "/proc/%d/root%s", (int)c->pid, path);
	else
		n = snprintf(out, outlen, "/proc/%d/cwd/%s", (int)c->pid, path);
	return n < 0 || (size_t)n >= outlen ? -ENAMETOOLONG : 0;
}

/* fs/open.c: sys_lchmod — chmod without following a final symlink */
long m_lchmod(const struct emu_caller *c, const struct emu_mem *mem, const uint64_t a[6], char *tr,
	      size_t trl)
{
	char path[PATH_MAX], host[PATH_MAX + 64];
	uint64_t p = c->compat32 ? (uint32_t)a[0] : a[0];
	unsigned int mode = (uint32_t)a[1];
	struct stat st;
	int r;

	r = m_read_path(mem, p, path, sizeof(path));
	m_trace(tr, trl, "lchmod(\"%s\", %#o)", r == 0 ? path : "?", mode);
	if (r < 0)
		return r;
	r = m_host_path(c, path, host, sizeof(host));
	if (r < 0)
		return r;
	if (lstat(host, &st) < 0)
		return -errno;
	if (S_ISLNK(st.st_mode))
		return 0; /* the kernel sets a symlink's (meaningless) mode bits */
	return fchmodat(AT_FDCWD, host, mode & 07777, AT_SYMLINK_NOFOLLOW) < 0 ? -errno : 0;
}

/* fs/utimes.c: sys_lutime / compat_sys_lutime — utime without following a final symlink */
long m_lutime(const struct emu_caller *c, const struct emu_mem *mem, const uint64_t a[6], char *tr,
	      size_t trl)
{
	char path[PATH_MAX], host[PATH_MAX + 64];
	uint64_t p = c->compat32 ? (uint32_t)a[0] : a[0];
	uint64_t tp = c->compat32 ? (uint32_t)a[1] : a[1];
	struct timespec ts[2];
	uint8_t b[16];
	int r;

	r = m_read_path(mem, p, path, sizeof(path));
	m_trace(tr, trl, "lutime(\"%s\", %#llx)", r == 0 ? path : "?", (unsigned long long)tp);
	if (r < 0)
		return r;
	if (tp) {
		/* struct utimbuf: two longs (compat: two s32) */
		if (m_rd(mem, tp, b, c->compat32 ? 8 : 16) < 0)
			return -EFAULT;
		ts[0].tv_sec = c->compat32 ? (int32_t)m_u32(b, 0) : (int64_t)m_u64(b, 0);
		ts[1].tv_sec = c->compat32 ? (int32_t)m_u32(b, 4) : (int64_t)m_u64(b, 8);
		ts[0].tv_nsec = ts[1].tv_nsec = 0;
	}
	r = m_host_path(c, path, host, sizeof(host));
	if (r < 0)
		return r;
	return utimensat(AT_FDCWD, host, tp ? ts : NULL, AT_SYMLINK_NOFOLLOW) < 0 ? -errno : 0;
}
