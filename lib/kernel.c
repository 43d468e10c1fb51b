/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Every OpenVZ ioctl and system call vzlite makes goes through this file (style rule 5).
 * With a dry-run callback set, calls are decoded and reported instead of sent; the value
 * returned is what the kernel returns on success, so callers follow the success path.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "error.h"
#include "kernel.h"
#include "macro.h"

int kernel_init(struct kernel *k, const char *device)
{
	*k = (struct kernel){ .fd = -1 };
	k->device = strdup(device);
	return k->device ? 0 : -ENOMEM;
}

void kernel_done(struct kernel *k)
{
	if (k->fd >= 0)
		close(k->fd);
	free(k->device);
	*k = (struct kernel){ .fd = -1 };
}

void kernel_set_dry_run(struct kernel *k, vzl_dry_run_fn fn, void *userdata)
{
	k->dry_run = fn;
	k->dry_run_userdata = userdata;
}

static void record(struct kernel *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void record(struct kernel *k, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	k->dry_run(k->dry_run_userdata, line);
}

static long do_ioctl(struct kernel *k, unsigned long request, void *arg)
{
	long r;
	do
		r = ioctl(k->fd, request, arg);
	while (r < 0 && errno == EINTR);
	return r < 0 ? -errno : r;
}

static long do_syscall(long nr, long a1, long a2, long a3)
{
	long r = syscall(nr, a1, a2, a3);
	return r < 0 ? -errno : r;
}

int kernel_open(struct kernel *k, vzl_error **err)
{
	if (kernel_is_dry_run(k)) {
		if (k->fd == -1) {
			record(k, "open(%s, O_RDWR)", k->device);
			k->fd = -2; /* recorded as open; never a real descriptor */
		}
		return 0;
	}
	if (k->fd >= 0)
		return 0;

	int fd = open(k->device, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return error_set(err, errno, 0, VZL_STEP_KERNEL_OPEN, NULL,
				 "cannot open %s: %m; is this an OpenVZ kernel with the vzdev "
				 "module loaded?",
				 k->device);
	k->fd = fd;

	/* vzctl's probe (src/lib/hooks_vz.c): flags 0 returns the caller's VE id. */
	struct vzctl_env_create probe = { .veid = 0, .flags = 0 };
	long r = do_ioctl(k, VZCTL_ENV_CREATE, &probe);
	if (r < 0) {
		close(k->fd);
		k->fd = -1;
		return error_set(err, (int)-r, 0, VZL_STEP_KERNEL_OPEN, NULL,
				 "%s does not answer VZCTL_ENV_CREATE: %s; the running kernel "
				 "lacks OpenVZ support",
				 k->device, strerror((int)-r));
	}
	return 0;
}

int kernel_setluid(struct kernel *k, unsigned int id)
{
	if (kernel_is_dry_run(k)) {
		record(k, "setluid(%u)", id);
		return 0;
	}
	return (int)do_syscall(__NR_setluid, id, 0, 0);
}

int kernel_setublimit(struct kernel *k, unsigned int id, unsigned int resource,
		      unsigned long barrier, unsigned long limit)
{
	if (kernel_is_dry_run(k)) {
		char b[32], l[32];
		const char *name = kernel_ub_name(resource);
		kernel_print_ulong(b, sizeof(b), barrier);
		kernel_print_ulong(l, sizeof(l), limit);
		if (name)
			record(k, "setublimit(%u, %s, %s:%s)", id, name, b, l);
		else
			record(k, "setublimit(%u, %u, %s:%s)", id, resource, b, l);
		return 0;
	}
	unsigned long limits[2] = { barrier, limit };
	return (int)do_syscall(__NR_setublimit, id, resource, (long)limits);
}

int kernel_env_create(struct kernel *k, unsigned int veid, unsigned int flags,
		      const struct env_create_param3 *param, int datalen)
{
	if (kernel_is_dry_run(k)) {
		char f[128];
		kernel_print_env_flags(f, sizeof(f), flags);
		record(k,
		       "ioctl(%s, VZCTL_ENV_CREATE_DATA, {veid=%u, flags=%s, class_id=0, "
		       "iptables_mask=%#llx, feature_mask=%#llx, known_features=%#llx, "
		       "total_vcpus=%u, datalen=%d})",
		       k->device, veid, f, (unsigned long long)param->iptables_mask,
		       (unsigned long long)param->feature_mask,
		       (unsigned long long)param->known_features, param->total_vcpus, datalen);
		return flags & VE_TEST ? 0 : (int)veid;
	}
	struct vzctl_env_create_data data = {
		.veid = veid,
		.flags = flags,
		.class_id = 0,
		.data = (void *)param,
		.datalen = datalen,
	};
	return (int)do_ioctl(k, VZCTL_ENV_CREATE_DATA, &data);
}

int kernel_env_test(struct kernel *k, unsigned int veid)
{
	if (kernel_is_dry_run(k)) {
		record(k, "ioctl(%s, VZCTL_ENV_CREATE, {veid=%u, flags=VE_TEST, class_id=0})",
		       k->device, veid);
		return 1;
	}
	struct vzctl_env_create req = { .veid = veid, .flags = VE_TEST };
	long r = do_ioctl(k, VZCTL_ENV_CREATE, &req);
	/* vecalls.c: real_env_create — TEST answers 0 for a listed VE, ESRCH otherwise. */
	if (r == -ESRCH)
		return 0;
	return r < 0 ? (int)r : 1;
}

int kernel_fairsched_chwt(struct kernel *k, unsigned int id, unsigned int weight)
{
	if (kernel_is_dry_run(k)) {
		record(k, "fairsched_chwt(%u, %u)", id, weight);
		return 0;
	}
	return (int)do_syscall(__NR_fairsched_chwt, id, weight, 0);
}

int kernel_fairsched_rate(struct kernel *k, unsigned int id, int op, unsigned int rate)
{
	if (kernel_is_dry_run(k)) {
		const char *name = kernel_fairsched_rate_op_name(op);
		record(k, "fairsched_rate(%u, %s, %u)", id, name ? name : "?", rate);
		return op == FAIRSCHED_SET_RATE ? (int)rate : 0;
	}
	return (int)do_syscall(__NR_fairsched_rate, id, op, rate);
}

int kernel_fairsched_vcpus(struct kernel *k, unsigned int id, unsigned int vcpus)
{
	if (kernel_is_dry_run(k)) {
		record(k, "fairsched_vcpus(%u, %u)", id, vcpus);
		return 0;
	}
	return (int)do_syscall(__NR_fairsched_vcpus, id, vcpus, 0);
}

int kernel_fairsched_rmnod(struct kernel *k, unsigned int id)
{
	if (kernel_is_dry_run(k)) {
		record(k, "fairsched_rmnod(%u)", id);
		return 0;
	}
	return (int)do_syscall(__NR_fairsched_rmnod, id, 0, 0);
}

int kernel_fairsched_cpumask(struct kernel *k, unsigned int id, const unsigned long *mask,
			     unsigned int len)
{
	if (kernel_is_dry_run(k)) {
		record(k, "fairsched_cpumask(%u, %u, {%#lx...})", id, len, len ? mask[0] : 0ul);
		return 0;
	}
	return (int)do_syscall(__NR_fairsched_cpumask, id, len, (long)mask);
}

int kernel_venet_ip(struct kernel *k, unsigned int veid, int op, const struct sockaddr *addr,
		    socklen_t addrlen)
{
	if (kernel_is_dry_run(k)) {
		char a[64];
		kernel_print_sockaddr(a, sizeof(a), addr, addrlen);
		record(k, "ioctl(%s, VENETCTL_VE_IP_MAP, {veid=%u, op=%s, addr=%s})", k->device,
		       veid, op == VE_IP_ADD ? "VE_IP_ADD" : op == VE_IP_DEL ? "VE_IP_DEL" : "?",
		       a);
		return 0;
	}
	/* addrlen 0 would make the kernel read uninitialised stack (kernel-abi.md §17 item 4). */
	if (addrlen == 0)
		return -EINVAL;
	struct vzctl_ve_ip_map map = {
		.veid = veid,
		.op = op,
		.addr = (void *)addr,
		.addrlen = (int)addrlen,
	};
	return (int)do_ioctl(k, VENETCTL_VE_IP_MAP, &map);
}

int kernel_quota_ctl(struct kernel *k, int cmd, unsigned int quota_id, struct vz_quota_stat *qstat,
		     const char *ve_root)
{
	if (kernel_is_dry_run(k)) {
		const char *name = kernel_quota_cmd_name(cmd);
		char detail[256] = "";
		if (qstat && (cmd == VZ_DQ_CREATE || cmd == VZ_DQ_SETLIMIT))
			snprintf(detail, sizeof(detail),
				 ", bsoftlimit=%llu, bhardlimit=%llu, isoftlimit=%u, "
				 "ihardlimit=%u, bexpire=%ld, iexpire=%ld",
				 (unsigned long long)qstat->dq_stat.bsoftlimit,
				 (unsigned long long)qstat->dq_stat.bhardlimit,
				 (unsigned)qstat->dq_stat.isoftlimit,
				 (unsigned)qstat->dq_stat.ihardlimit, (long)qstat->dq_info.bexpire,
				 (long)qstat->dq_info.iexpire);
		record(k, "ioctl(%s, VZCTL_QUOTA_NEW_CTL, {cmd=%s, quota_id=%u%s%s%s})", k->device,
		       name ? name : "?", quota_id, detail, ve_root ? ", ve_root=" : "",
		       ve_root ? ve_root : "");
		return 0;
	}
	struct vzctl_quotactl q = {
		.cmd = cmd,
		.quota_id = quota_id,
		.qstat = qstat,
		.ve_root = (char *)ve_root,
	};
	return (int)do_ioctl(k, VZCTL_QUOTA_NEW_CTL, &q);
}

int kernel_setdevperms(struct kernel *k, unsigned int veid, unsigned int type, unsigned int dev,
		       unsigned int mask)
{
	if (kernel_is_dry_run(k)) {
		record(k, "ioctl(%s, VZCTL_SETDEVPERMS, {veid=%u, type=%#o, dev=%#x, mask=%#o})",
		       k->device, veid, type, dev, mask);
		return 0;
	}
	struct vzctl_setdevperms p = { .veid = veid, .type = type, .dev = dev, .mask = mask };
	return (int)do_ioctl(k, VZCTL_SETDEVPERMS, &p);
}
