/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Every OpenVZ ioctl and system call vzlite makes goes through this file (style rule 5).
 * With a dry-run callback set, calls are decoded and reported instead of sent; the value
 * returned is what the kernel returns on success, so callers follow the success path.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/netlink.h>
#include <fcntl.h>
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

/* The dry-run backend: the call as the emulator's trace shows it (kernel-print.h) */
static void record(struct kernel *k, const struct kcall *c)
{
	char line[4096];
	kcall_render(line, sizeof(line), c, k->device);
	k->dry_run(k->dry_run_userdata, line);
}

/* The kernel's UB_MAXVALUE is LONG_MAX of the kernel: an i386 caller's LONG_MAX means it too */
static uint64_t ub_value(unsigned long v)
{
	return v == (unsigned long)UB_MAXVALUE ? KCALL_UB_UNLIMITED : v;
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

/*
 * The plain VZCTL_ENV_CREATE request. Its flags come from this enum only, none of which
 * holds VE_CREATE: creating without a parameter block oopses the kernel (§17 item 1).
 */
enum plain_request {
	PLAIN_PROBE = 0, /* answers the caller's VE id */
	PLAIN_TEST = VE_TEST,
	PLAIN_ENTER = VE_ENTER,
};

static long env_create_plain(struct kernel *k, unsigned int veid, enum plain_request flags)
{
	struct vzctl_env_create req = { .veid = veid, .flags = (unsigned int)flags };
	return do_ioctl(k, VZCTL_ENV_CREATE, &req);
}

int kernel_open(struct kernel *k, vzl_error **err)
{
	if (kernel_is_dry_run(k)) {
		if (k->fd == -1) {
			char line[512];
			snprintf(line, sizeof(line), "openat(AT_FDCWD, \"%s\", O_RDWR|O_CLOEXEC)",
				 k->device);
			k->dry_run(k->dry_run_userdata, line);
			record(k, &(struct kcall){ .kind = KCALL_ENV_CREATE, .id = 0 });
			k->fd = -2; /* recorded as open; never a real descriptor */
		}
		return 0;
	}
	if (k->fd >= 0)
		return 0;

	/* openat, not open: the call the plan line names on every C library and word size. */
	int fd = openat(AT_FDCWD, k->device, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return error_set(err, errno, 0, VZL_STEP_KERNEL_OPEN, NULL,
				 "cannot open %s: %m; is this an OpenVZ kernel with the vzdev "
				 "module loaded?",
				 k->device);
	k->fd = fd;

	/* vzctl's probe (src/lib/hooks_vz.c): flags 0 returns the caller's VE id. */
	long r = env_create_plain(k, 0, PLAIN_PROBE);
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
		record(k, &(struct kcall){ .kind = KCALL_SETLUID, .id = id });
		return 0;
	}
	return (int)do_syscall(__NR_setluid, id, 0, 0);
}

int kernel_setublimit(struct kernel *k, unsigned int id, unsigned int resource,
		      unsigned long barrier, unsigned long limit)
{
	if (kernel_is_dry_run(k)) {
		struct kcall c = { .kind = KCALL_SETUBLIMIT, .id = id };
		c.u.ub.resource = resource;
		c.u.ub.barrier = ub_value(barrier);
		c.u.ub.limit = ub_value(limit);
		record(k, &c);
		return 0;
	}
	unsigned long limits[2] = { barrier, limit };
	return (int)do_syscall(__NR_setublimit, id, resource, (long)limits);
}

/* The parameter block as the kernel sees it: datalen bytes of it, the rest zero (§2.1) */
static struct env_create_param3 param_as_read(const struct env_create_param3 *param, int datalen)
{
	struct env_create_param3 p = { 0 };
	if (datalen > 0)
		memcpy(&p, param, (size_t)datalen < sizeof(p) ? (size_t)datalen : sizeof(p));
	return p;
}

int kernel_env_create_data(struct kernel *k, unsigned int veid, unsigned int flags,
			   const struct env_create_param3 *param, int datalen)
{
	if (kernel_is_dry_run(k)) {
		struct env_create_param3 p = param_as_read(param, datalen);
		struct kcall c = { .kind = KCALL_ENV_CREATE_DATA, .id = veid };
		c.u.env_data.flags = flags;
		c.u.env_data.datalen = datalen;
		c.u.env_data.iptables_mask = p.iptables_mask;
		c.u.env_data.feature_mask = p.feature_mask;
		c.u.env_data.known_features = p.known_features;
		c.u.env_data.total_vcpus = p.total_vcpus;
		record(k, &c);
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

int kernel_env_create(struct kernel *k, unsigned int veid, const struct env_create_param3 *param)
{
	/* vzctl's order (hooks_vz.c): the newest block first, older ones on EINVAL (§2.1) */
	static const int datalens[] = {
		sizeof(struct env_create_param3),
		sizeof(struct env_create_param2),
		sizeof(struct env_create_param),
	};
	int r = -EINVAL;
	for (size_t i = 0; i < ELEMENTSOF(datalens) && r == -EINVAL; i++)
		r = kernel_env_create_data(k, veid, VE_CREATE | VE_EXCLUSIVE, param, datalens[i]);
	return r;
}

/*
 * VE_TEST only reads, so a dry run asks the kernel too: its checks then refuse what the real
 * run would refuse (a running VE). Where no kernel answers (no device, not OpenVZ) the plan
 * goes on as for a VE that does not run; the real run fails at kernel_open there.
 */
static int dry_run_env_test(const struct kernel *k, unsigned int veid)
{
	struct kernel probe = { .fd = open(k->device, O_RDWR | O_CLOEXEC) };
	if (probe.fd < 0)
		return 0;
	long r = env_create_plain(&probe, veid, PLAIN_TEST);
	close(probe.fd);
	return r >= 0;
}

int kernel_env_test(struct kernel *k, unsigned int veid)
{
	if (kernel_is_dry_run(k)) {
		struct kcall c = { .kind = KCALL_ENV_CREATE, .id = veid };
		c.u.env.flags = PLAIN_TEST;
		record(k, &c);
		return dry_run_env_test(k, veid);
	}
	long r = env_create_plain(k, veid, PLAIN_TEST);
	/* vecalls.c: real_env_create — TEST answers 0 for a listed VE, ESRCH otherwise. */
	if (r == -ESRCH)
		return 0;
	return r < 0 ? (int)r : 1;
}

int kernel_env_enter(struct kernel *k, unsigned int veid)
{
	if (kernel_is_dry_run(k)) {
		struct kcall c = { .kind = KCALL_ENV_CREATE, .id = veid };
		c.u.env.flags = PLAIN_ENTER;
		record(k, &c);
		return (int)veid;
	}
	return (int)env_create_plain(k, veid, PLAIN_ENTER);
}

int kernel_get_cpu_stat(struct kernel *k, unsigned int veid, struct vz_cpu_stat *ret)
{
	struct vzctl_cpustatctl req = { .veid = veid, .cpustat = ret };
	if (kernel_is_dry_run(k)) {
		struct kernel probe = { .fd = open(k->device, O_RDWR | O_CLOEXEC) };
		if (probe.fd < 0)
			return -ENOENT;
		long r = do_ioctl(&probe, VZCTL_GET_CPU_STAT, &req);
		close(probe.fd);
		return (int)r;
	}
	if (k->fd < 0) {
		int fd = openat(AT_FDCWD, k->device, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		k->fd = fd;
	}
	return (int)do_ioctl(k, VZCTL_GET_CPU_STAT, &req);
}

int kernel_ve_configure_os_release(struct kernel *k, unsigned int veid, const char *release)
{
	size_t size = strlen(release) + 1; /* with its NUL, as vzctl sends it */
	if (size > 4096)
		return -EMSGSIZE; /* the kernel's PAGE_SIZE bound; no buffer that large */
	if (kernel_is_dry_run(k)) {
		struct kcall c = { .kind = KCALL_VE_CONFIGURE, .id = veid };
		c.u.configure.key = VE_CONFIGURE_OS_RELEASE;
		c.u.configure.size = (unsigned int)size;
		memcpy(c.u.configure.data, release,
		       size < sizeof(c.u.configure.data) ? size : sizeof(c.u.configure.data));
		record(k, &c);
		return 0;
	}
	struct vzctl_ve_configure *conf = calloc(1, sizeof(*conf) + size);
	if (!conf)
		return -ENOMEM;
	conf->veid = veid;
	conf->key = VE_CONFIGURE_OS_RELEASE;
	conf->size = (unsigned int)size;
	memcpy(conf->data, release, size);
	long r = do_ioctl(k, VZCTL_VE_CONFIGURE, conf);
	free(conf);
	return (int)r;
}

int kernel_ve_open_tty(struct kernel *k, unsigned int veid, unsigned int idx)
{
	if (kernel_is_dry_run(k)) {
		struct kcall c = { .kind = KCALL_VE_CONFIGURE, .id = veid };
		c.u.configure.key = VE_CONFIGURE_OPEN_TTY;
		c.u.configure.val = idx;
		record(k, &c);
		return -ENOTTY; /* no descriptor to give in a plan */
	}
	struct vzctl_ve_configure conf = { .veid = veid, .key = VE_CONFIGURE_OPEN_TTY, .val = idx };
	return (int)do_ioctl(k, VZCTL_VE_CONFIGURE, &conf);
}

int kernel_ve_meminfo(struct kernel *k, unsigned int veid, unsigned long val)
{
	if (kernel_is_dry_run(k)) {
		record(k, &(struct kcall){
				  .kind = KCALL_VE_MEMINFO, .id = veid, .u.meminfo_val = val });
		return 0;
	}
	struct vzctl_ve_meminfo m = { .veid = veid, .val = val };
	return (int)do_ioctl(k, VZCTL_VE_MEMINFO, &m);
}

int kernel_ve_netdev(struct kernel *k, unsigned int veid, int op, const char *name)
{
	if (kernel_is_dry_run(k)) {
		struct kcall c = { .kind = KCALL_VE_NETDEV, .id = veid };
		c.u.netdev.op = op;
		/* the kernel copies at most IFNAMSIZ bytes */
		snprintf(c.u.netdev.name, sizeof(c.u.netdev.name), "%.*s", KCALL_IFNAMSIZ, name);
		record(k, &c);
		return 0;
	}
	struct vzctl_ve_netdev d = { .veid = veid, .op = op, .dev_name = (char *)name };
	return (int)do_ioctl(k, VZCTL_VE_NETDEV, &d);
}

int kernel_veth_hwaddr(struct kernel *k, unsigned int veid, int op, const unsigned char mac[6],
		       const char *name, const unsigned char mac_ve[6], const char *name_ve)
{
	struct vzctl_ve_hwaddr h = { .veid = veid, .op = op };
	/* the kernel copies 15 characters of a name and ends it itself */
	snprintf(h.dev_name, sizeof(h.dev_name), "%.15s", name ? name : "");
	if (op == VE_ETH_ADD) {
		memcpy(h.dev_addr, mac, sizeof(h.dev_addr));
		memcpy(h.dev_addr_ve, mac_ve, sizeof(h.dev_addr_ve));
		h.addrlen = h.addrlen_ve = 6;
		snprintf(h.dev_name_ve, sizeof(h.dev_name_ve), "%.15s", name_ve ? name_ve : "");
	}
	if (kernel_is_dry_run(k)) {
		struct kcall c = { .kind = KCALL_VE_HWADDR, .id = veid };
		c.u.hwaddr.op = op;
		c.u.hwaddr.addrlen = h.addrlen;
		c.u.hwaddr.addrlen_ve = h.addrlen_ve;
		memcpy(c.u.hwaddr.addr, h.dev_addr, 6);
		memcpy(c.u.hwaddr.addr_ve, h.dev_addr_ve, 6);
		memcpy(c.u.hwaddr.name, h.dev_name, sizeof(h.dev_name));
		memcpy(c.u.hwaddr.name_ve, h.dev_name_ve, sizeof(h.dev_name_ve));
		record(k, &c);
		return 0;
	}
	return (int)do_ioctl(k, VETHCTL_VE_HWADDR, &h);
}

static int set_iolimit(struct kernel *k, enum kcall_kind kind, unsigned long request,
		       unsigned int id, unsigned int speed, unsigned int burst,
		       unsigned int latency)
{
	if (kernel_is_dry_run(k)) {
		struct kcall c = { .kind = kind, .id = id };
		c.u.iolimit.speed = speed;
		c.u.iolimit.burst = burst;
		c.u.iolimit.latency = latency;
		record(k, &c);
		return 0;
	}
	struct iolimit_state st = { .id = id, .speed = speed, .burst = burst, .latency = latency };
	return (int)do_ioctl(k, request, &st);
}

int kernel_set_iolimit(struct kernel *k, unsigned int id, unsigned int speed, unsigned int burst,
		       unsigned int latency)
{
	return set_iolimit(k, KCALL_SET_IOLIMIT, VZCTL_SET_IOLIMIT, id, speed, burst, latency);
}

int kernel_set_iopslimit(struct kernel *k, unsigned int id, unsigned int speed, unsigned int burst,
			 unsigned int latency)
{
	return set_iolimit(k, KCALL_SET_IOPSLIMIT, VZCTL_SET_IOPSLIMIT, id, speed, burst, latency);
}

int kernel_ioprio_set_ubc(struct kernel *k, unsigned int id, int prio)
{
	int value = IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, prio);
	if (kernel_is_dry_run(k)) {
		struct kcall c = { .kind = KCALL_IOPRIO_SET, .id = id };
		c.u.ioprio.which = IOPRIO_WHO_UBC;
		c.u.ioprio.ioprio = value;
		record(k, &c);
		return 0;
	}
	return (int)do_syscall(__NR_ioprio_set, IOPRIO_WHO_UBC, id, value);
}

int kernel_fairsched_chwt(struct kernel *k, unsigned int id, unsigned int weight)
{
	if (kernel_is_dry_run(k)) {
		record(k, &(struct kcall){
				  .kind = KCALL_FAIRSCHED_CHWT, .id = id, .u.weight = weight });
		return 0;
	}
	return (int)do_syscall(__NR_fairsched_chwt, id, weight, 0);
}

int kernel_fairsched_rate(struct kernel *k, unsigned int id, int op, unsigned int rate)
{
	if (kernel_is_dry_run(k)) {
		struct kcall c = { .kind = KCALL_FAIRSCHED_RATE, .id = id };
		c.u.rate.op = op;
		c.u.rate.rate = rate;
		record(k, &c);
		return op == FAIRSCHED_SET_RATE ? (int)rate : 0;
	}
	return (int)do_syscall(__NR_fairsched_rate, id, op, rate);
}

int kernel_fairsched_vcpus(struct kernel *k, unsigned int id, unsigned int vcpus)
{
	if (kernel_is_dry_run(k)) {
		record(k, &(struct kcall){
				  .kind = KCALL_FAIRSCHED_VCPUS, .id = id, .u.vcpus = vcpus });
		return 0;
	}
	return (int)do_syscall(__NR_fairsched_vcpus, id, vcpus, 0);
}

int kernel_fairsched_rmnod(struct kernel *k, unsigned int id)
{
	if (kernel_is_dry_run(k)) {
		record(k, &(struct kcall){ .kind = KCALL_FAIRSCHED_RMNOD, .id = id });
		return 0;
	}
	return (int)do_syscall(__NR_fairsched_rmnod, id, 0, 0);
}

int kernel_fairsched_cpumask(struct kernel *k, unsigned int id, const unsigned long *mask,
			     unsigned int len)
{
	if (kernel_is_dry_run(k)) {
		struct kcall c = { .kind = KCALL_FAIRSCHED_CPUMASK, .id = id };
		c.u.mask.len = len;
		memcpy(&c.u.mask.first, mask, len < 8 ? len : 8);
		record(k, &c);
		return 0;
	}
	return (int)do_syscall(__NR_fairsched_cpumask, id, len, (long)mask);
}

int kernel_fairsched_nodemask(struct kernel *k, unsigned int id, const unsigned long *mask,
			      unsigned int len)
{
	if (kernel_is_dry_run(k)) {
		struct kcall c = { .kind = KCALL_FAIRSCHED_NODEMASK, .id = id };
		c.u.mask.len = len;
		memcpy(&c.u.mask.first, mask, len < 8 ? len : 8);
		record(k, &c);
		return 0;
	}
	return (int)do_syscall(__NR_fairsched_nodemask, id, len, (long)mask);
}

int kernel_venet_ip(struct kernel *k, unsigned int veid, int op, const struct sockaddr *addr,
		    socklen_t addrlen)
{
	if (kernel_is_dry_run(k)) {
		struct kcall c = { .kind = KCALL_VE_IP_MAP, .id = veid };
		c.u.ip.op = op;
		c.u.ip.addrlen = (int)addrlen;
		memcpy(c.u.ip.addr, addr,
		       addrlen < sizeof(c.u.ip.addr) ? addrlen : sizeof(c.u.ip.addr));
		record(k, &c);
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
		struct kcall c = { .kind = KCALL_QUOTA_CTL, .id = quota_id };
		c.u.quota.cmd = cmd;
		c.u.quota.ve_root = ve_root;
		if (qstat) {
			c.u.quota.has_qstat = true;
			c.u.quota.bhardlimit = qstat->dq_stat.bhardlimit;
			c.u.quota.bsoftlimit = qstat->dq_stat.bsoftlimit;
			c.u.quota.bcurrent = qstat->dq_stat.bcurrent;
			c.u.quota.ihardlimit = qstat->dq_stat.ihardlimit;
			c.u.quota.isoftlimit = qstat->dq_stat.isoftlimit;
			c.u.quota.icurrent = qstat->dq_stat.icurrent;
			c.u.quota.bexpire = qstat->dq_info.bexpire;
			c.u.quota.iexpire = qstat->dq_info.iexpire;
		}
		record(k, &c);
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

int kernel_quota_query(struct kernel *k, int cmd, unsigned int quota_id,
		       struct vz_quota_stat *qstat)
{
	struct vzctl_quotactl q = { .cmd = cmd, .quota_id = quota_id, .qstat = qstat };
	if (kernel_is_dry_run(k)) {
		record(k, &(struct kcall){
				  .kind = KCALL_QUOTA_CTL, .id = quota_id, .u.quota.cmd = cmd });
		int fd = open(k->device, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			return cmd == VZ_DQ_STATUS ? -ESRCH : -ENOENT;
		int r;
		do
			r = ioctl(fd, VZCTL_QUOTA_NEW_CTL, &q);
		while (r < 0 && errno == EINTR);
		r = r < 0 ? -errno : r;
		close(fd);
		return r;
	}
	return (int)do_ioctl(k, VZCTL_QUOTA_NEW_CTL, &q);
}

static void ugid_rec_from_stat(struct kcall_ugid_rec *r, unsigned int type, unsigned int id,
			       const struct dq_stat *s)
{
	*r = (struct kcall_ugid_rec){
		.type = type,
		.id = id,
		.bcurrent = s->bcurrent,
		.bsoftlimit = s->bsoftlimit,
		.bhardlimit = s->bhardlimit,
		.icurrent = s->icurrent,
		.isoftlimit = s->isoftlimit,
		.ihardlimit = s->ihardlimit,
	};
}

/* The dry-run record of a second-level call, decoded from this process's own structs. */
static void record_ugid(struct kernel *k, int cmd, unsigned int quota_id, unsigned int index,
			unsigned int size, const void *addr)
{
	struct kcall c = { .kind = KCALL_QUOTA_UGID_CTL, .id = quota_id };
	c.u.ugid.cmd = cmd;
	c.u.ugid.index = index;
	c.u.ugid.size = size;
	if (cmd == VZ_DQ_UGID_SETCONFIG) {
		const struct vz_quota_ugid_stat *u = addr;
		c.u.ugid.limit = u->limit;
		c.u.ugid.count = u->count;
		c.u.ugid.flags = u->flags;
	} else if (cmd == VZ_DQ_UGID_SETGRACE) {
		const struct dq_info *g = addr;
		for (int t = 0; t < 2; t++) {
			c.u.ugid.bexpire[t] = g[t].bexpire;
			c.u.ugid.iexpire[t] = g[t].iexpire;
		}
	} else if (cmd == VZ_DQ_UGID_SETLIMIT) {
		const struct vz_quota_ugid_setlimit *l = addr;
		c.u.ugid.rec[0] = (struct kcall_ugid_rec){
			.type = l->type,
			.id = l->id,
			.bhardlimit = l->dqb.dqb_bhardlimit,
			.bsoftlimit = l->dqb.dqb_bsoftlimit,
			.ihardlimit = l->dqb.dqb_ihardlimit,
			.isoftlimit = l->dqb.dqb_isoftlimit,
		};
		c.u.ugid.valid = l->dqb.dqb_valid;
	} else if (cmd == VZ_DQ_UGID_SETINFO) {
		const struct vz_quota_ugid_setinfo *i = addr;
		c.u.ugid.rec[0].type = i->type;
		c.u.ugid.bexpire[0] = (int64_t)i->dqi.dqi_bgrace;
		c.u.ugid.iexpire[0] = (int64_t)i->dqi.dqi_igrace;
		c.u.ugid.valid = i->dqi.dqi_valid;
	} else if (cmd == VZ_DQ_UGID_ADDSTAT) {
		const struct vz_quota_iface *v = addr;
		c.u.ugid.nrec = size < KCALL_UGID_RECORDS ? size : KCALL_UGID_RECORDS;
		for (unsigned int i = 0; i < c.u.ugid.nrec; i++)
			ugid_rec_from_stat(&c.u.ugid.rec[i], v[i].qi_type, v[i].qi_id,
					   &v[i].qi_stat);
	}
	record(k, &c);
}

int kernel_quota_ugid_ctl(struct kernel *k, int cmd, unsigned int quota_id, unsigned int index,
			  unsigned int size, void *addr)
{
	if (kernel_is_dry_run(k)) {
		record_ugid(k, cmd, quota_id, index, size, addr);
		return cmd == VZ_DQ_UGID_ADDSTAT ? (int)size : 0;
	}
	struct vzctl_quotaugidctl q = {
		.cmd = cmd,
		.quota_id = quota_id,
		.ugid_index = index,
		.ugid_size = size,
		.addr = addr,
	};
	return (int)do_ioctl(k, VZCTL_QUOTA_UGID_CTL, &q);
}

int kernel_setdevperms(struct kernel *k, unsigned int veid, unsigned int type, unsigned int dev,
		       unsigned int mask)
{
	if (kernel_is_dry_run(k)) {
		struct kcall c = { .kind = KCALL_SETDEVPERMS, .id = veid };
		c.u.devperms.type = type;
		c.u.devperms.dev = dev;
		c.u.devperms.mask = mask;
		record(k, &c);
		return 0;
	}
	struct vzctl_setdevperms p = { .veid = veid, .type = type, .dev = dev, .mask = mask };
	return (int)do_ioctl(k, VZCTL_SETDEVPERMS, &p);
}

#define VZEVENT_NETLINK_PROTO 31 /* "NETLINK_UEVENT" inside vzevent.c; in no header */
#define VZEVENT_GROUP_ALL     1  /* VZ_EVGRP_ALL */

int kernel_vzevent_open(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW, VZEVENT_NETLINK_PROTO);
	if (fd < 0)
		return -errno;
	/* SOCK_CLOEXEC in the type is 2.6.27+, but set separately it costs nothing */
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
		int e = errno;
		close(fd);
		return -e;
	}
	struct sockaddr_nl a = { .nl_family = AF_NETLINK, .nl_groups = VZEVENT_GROUP_ALL };
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		int e = errno;
		close(fd);
		return -e;
	}
	return fd;
}

ssize_t kernel_vzevent_recv(int fd, char *buf, size_t len)
{
	ssize_t n = recv(fd, buf, len, 0);
	return n < 0 ? -errno : n;
}
