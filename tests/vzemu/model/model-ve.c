/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vzemu model: VEs — the '.' ioctls of /dev/vzctl (kernel/ve/vecalls.c: vzcalls_ioctl,
 * compat_vzcalls_ioctl): env create/enter decision table, setdevperms, netdev, meminfo,
 * configure, cpu stat.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "model-internal.h"

struct m_ve *ve_find(struct emu_model *m, unsigned int veid)
{
	int i;

	if (veid == 0)
		return &m->host;
	for (i = 0; i < m->nve; i++)
		if (m->ve[i].veid == veid)
			return &m->ve[i];
	return NULL;
}

/*
 * kernel/ve/vecalls.c: env_cleanup, run by vzmond once the VE's task count is 0 (kernel/exit.c:
 * release_task → ve_cleanup_schedule): the net namespace goes (drivers/net/venetdev.c:
 * venet_exit_net → veip_stop unhashes the VE's IP entries, venet_ext_clean its external
 * ones), then fini_ve_sched → kernel/fairsched.c: fairsched_drop_node removes node <veid>
 * (cgroup_kernel_remove; an rmdir that fails because a task moved in with fairsched_mvpr
 * still lives there is only logged, and the node stays), then ve_list_del. Nothing here
 * touches beancounters (kernel/bc/beancounter.c: release_beancounter runs when the last
 * reference goes) or vzquota (fs/quota/vzdquota registers no VE hook: a quota left on
 * stays on).
 */
void ve_remove(struct emu_model *m, unsigned int veid)
{
	struct m_node *node = node_find(m, veid);
	int i;

	if (veid == 0)
		return;
	venet_drop_ve(m, veid);
	if (node && !node_has_moved_tasks(node))
		node_remove(m, veid);
	for (i = 0; i < m->nve; i++)
		if (m->ve[i].veid == veid) {
			memmove(&m->ve[i], &m->ve[i + 1],
				(size_t)(m->nve - i - 1) * sizeof(*m->ve));
			m->nve--;
			return;
		}
}

/*
 * Record a process as a member of `ve` (kernel/ve/vecalls.c: ve_move_task moves it into the
 * VE's pcounter); start 0 only removes it. Dead members are dropped first; past
 * M_MAX_MEMBERS live members the newcomer is not recorded (the count then shows fewer
 * processes, nothing else changes).
 */
void ve_add_member(struct m_ve *ve, pid_t pid, uint64_t start)
{
	int i;

	for (i = 0; i < ve->nmember; i++)
		if (!m_pid_alive(ve->member[i].pid, ve->member[i].start) ||
		    ve->member[i].pid == pid) {
			ve->member[i] = ve->member[--ve->nmember];
			i--;
		}
	if (start && ve->nmember < M_MAX_MEMBERS)
		ve->member[ve->nmember++] = (struct m_member){ pid, start };
}

/*
 * ve->pcounter, the task count /proc/vz/veinfo and /proc/fairsched print: every task of the
 * VE (kernel/fork.c: copy_process increments it, kernel/exit.c: release_task decrements
 * it) plus, while the VE runs, its kthreadd and khelper threads (vecalls.c: init_kthreadd;
 * pid_namespace.c: zap_ve_processes stops them when the init exits). The model counts the
 * members it recorded that are alive (one pidfd poll each, model-pids.c): the init and the
 * processes that entered with VE_ENTER. Their children and extra threads are not seen (no
 * /proc scan: that cost ~1 ms per VE per open).
 */
unsigned int ve_task_count(struct emu_model *m, const struct m_ve *ve)
{
	unsigned int n = 0;
	int i;

	(void)m;
	for (i = 0; i < ve->nmember; i++)
		if (m_pid_alive(ve->member[i].pid, ve->member[i].start))
			n++;
	return ve->state == VES_RUNNING ? n + 2 : n;
}

/* include/linux/vziptable_defs.h: mask_ipt_allow — every bit of the composite mask */
static bool ipt_allow(uint64_t permitted, uint64_t mask)
{
	return (permitted & mask) == mask;
}

/* kernel/ve/vecalls.c: setup_iptables_mask — clear the IPv6/NAT/conntrack bits, re-derive */
static uint64_t iptables_mask(uint64_t init)
{
	init &= ~(uint64_t)VE_IP_IPTABLES6;
	init &= ~(uint64_t)VE_IP_FILTER6;
	init &= ~(uint64_t)VE_IP_MANGLE6;
	init &= ~(uint64_t)VE_IP_IPTABLE_NAT_MOD;
	init &= ~(uint64_t)VE_NF_CONNTRACK_MOD;
	if (ipt_allow(init, VE_IP_IPTABLES))
		init |= VE_IP_IPTABLES6;
	if (ipt_allow(init, VE_IP_FILTER))
		init |= VE_IP_FILTER6;
	if (ipt_allow(init, VE_IP_MANGLE))
		init |= VE_IP_MANGLE6;
	if (ipt_allow(init, VE_IP_NAT))
		init |= VE_IP_IPTABLE_NAT;
	if (ipt_allow(init, VE_IP_CONNTRACK))
		init |= VE_NF_CONNTRACK;
	return init;
}

/* kernel/ve/vecalls.c: get_ve_features — datalen < 32: caller knows VE_FEATURES_OLD only */
static uint64_t ve_features(const uint8_t *p, int datalen)
{
	uint64_t known = datalen < 32 ? VE_FEATURES_OLD : m_u64(p, 24);

	return (m_u64(p, 8) & known) | (VE_FEATURES_DEF & ~known);
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* kernel/ve/vecalls.c: do_env_create */
static long env_create(struct emu_model *m, const struct emu_caller *c, unsigned int veid,
		       unsigned int flags, unsigned int class_id, const uint8_t *data, int datalen,
		       struct emu_effect *eff)
{
	struct m_node *node;
	struct m_ve *ve;

	/* preconditions on the caller, each EINVAL (thread group, tty, setsid, alone_in_pgrp) */
	if (!c->single_threaded)
		return -EINVAL;
	if (c->has_ctty)
		return -EINVAL;
	if (!c->alone)
		return -EINVAL;
	if (!data) {
		/*
		 * init_ve_struct → get_ve_features(NULL, 0) dereferences the missing
		 * parameter block of the plain VZCTL_ENV_CREATE (§17 item 1): kernel oops.
		 */
		eff->kind = EMU_EFFECT_KILL_CALLER;
		eff->veid = veid;
		eff->why = "kernel oops: VZCTL_ENV_CREATE with VE_CREATE dereferences a NULL "
			   "env_create_param (vecalls.c: get_ve_features); use "
			   "VZCTL_ENV_CREATE_DATA";
		return -EFAULT;
	}
	/* init_ve_sched → fairsched.c: fairsched_new_node — reuse or create node <veid> */
	node = node_find(m, veid);
	if (!node)
		node = node_new(m, veid);
	/* kernel/sched.c: sched_cgroup_set_nr_cpus clamps to the online CPUs */
	node->nr_cpus = m_u32(data, 16) > m->ncpus ? m->ncpus : m_u32(data, 16);
	m->ve = m_grow(m->ve, m->nve, sizeof(*m->ve));
	ve = &m->ve[m->nve++];
	ve->veid = veid;
	ve->class_id = class_id;
	ve->state = VES_RUNNING;
	ve->locked = flags & VE_LOCK;
	ve->features = ve_features(data, datalen);
	ve->ipt_mask = iptables_mask(m_u64(data, 0));
	ve->cap_bset = c->cap_effective;  /* set_ve_caps */
	ve->meminfo = VE_MEMINFO_DEFAULT; /* init_ve_meminfo */
	ve->init_pid = c->pid;
	ve->init_start = m_pid_start(c->pid);
	ve->nmember = 0;
	ve_add_member(ve, ve->init_pid, ve->init_start);
	ve->owner_pid = getpid();
	ve->owner_start = m_pid_start(getpid());
	ve->seq = ++m->seq;
	ve->start_ns = (uint64_t)now_ns();
	eff->kind = EMU_EFFECT_VE_CREATED;
	eff->veid = veid;
	return veid;
}

/* kernel/ve/vecalls.c: do_env_enter */
static long env_enter(struct emu_model *m, const struct emu_caller *c, struct m_ve *ve,
		      unsigned int flags, struct emu_effect *eff)
{
	if (ve->state != VES_RUNNING)
		return -EBUSY;
	if (ve->locked && !(flags & VE_SKIPLOCK))
		return -EBUSY;
	if (!c->single_threaded)
		return -EINVAL;
	/* fairsched.c: fairsched_move_task — node <veid> must exist */
	if (!node_find(m, ve->veid))
		return -ENOENT;
	/* ve_move_task: the task leaves the pcounter of the VE it was in for this one */
	for (int i = 0; i < m->nve; i++)
		if (&m->ve[i] != ve)
			ve_add_member(&m->ve[i], c->pid, 0);
	ve_add_member(ve, c->pid, m_pid_start(c->pid));
	eff->kind = EMU_EFFECT_VE_ENTERED;
	eff->veid = ve->veid;
	/*
	 * pid_ns_attach_task only for a caller that leads no group or session with other
	 * members, and not with VE_SKIPLOCK; otherwise it keeps its pid in the host's PID
	 * namespace (kill(1, …) reaches the host's init), only its children are the VE's.
	 */
	eff->pid_inside = c->alone_in_pgrp && !(flags & VE_SKIPLOCK);
	return ve->veid;
}

/* kernel/ve/vecalls.c: real_env_create — the decision table of §2.2, in its order */
static long real_env_create(struct emu_model *m, const struct emu_caller *c, unsigned int veid,
			    unsigned int flags, unsigned int class_id, const uint8_t *data,
			    int datalen, struct emu_effect *eff)
{
	struct m_ve *ve;

	if (!flags)
		return c->veid;
	if (!m_capable_setveid(c))
		return -EPERM;
	if ((flags & VE_TEST) && (flags & (VE_ENTER | VE_CREATE)))
		return -EINVAL;
	ve = ve_find(m, veid);
	if (ve) {
		if (flags & VE_TEST)
			return 0;
		if (flags & VE_EXCLUSIVE)
			return -EACCES;
		if (flags & VE_CREATE) {
			flags &= ~(unsigned int)VE_CREATE;
			flags |= VE_ENTER;
		}
	} else if (flags & (VE_TEST | VE_ENTER)) {
		return -ESRCH;
	}
	if (flags & VE_CREATE)
		return env_create(m, c, veid, flags, class_id, data, datalen, eff);
	if (flags & VE_ENTER)
		return env_enter(m, c, ve, flags, eff);
	return -EINVAL;
}

/* The trace of VZCTL_ENV_CREATE_DATA: the parameter block as the kernel would copy it */
static void trace_env_create_data(const struct emu_mem *mem, unsigned int veid, unsigned int flags,
				  unsigned int class_id, uint64_t dptr, int datalen, char *tr,
				  size_t trl)
{
	struct kcall kc = { .kind = KCALL_ENV_CREATE_DATA, .id = veid };
	uint8_t p[32] = { 0 };

	kc.u.env_data.flags = flags;
	kc.u.env_data.class_id = class_id;
	kc.u.env_data.datalen = datalen;
	kc.unreadable = (size_t)datalen < VZCTL_ENV_CREATE_DATA_MINLEN ||
			(size_t)datalen > VZCTL_ENV_CREATE_DATA_MAXLEN || dptr == 0 ||
			m_rd(mem, dptr, p, (size_t)datalen) < 0;
	/* struct env_create_param3: the same offsets for x86_64 and i386 */
	kc.u.env_data.iptables_mask = m_u64(p, offsetof(struct env_create_param3, iptables_mask));
	kc.u.env_data.feature_mask = m_u64(p, offsetof(struct env_create_param3, feature_mask));
	kc.u.env_data.total_vcpus = m_u32(p, offsetof(struct env_create_param3, total_vcpus));
	kc.u.env_data.known_features = m_u64(p, offsetof(struct env_create_param3, known_features));
	m_trace_call(tr, trl, &kc);
}

/* VZCTL_ENV_CREATE_DATA after the struct copy (vzcalls_ioctl) */
static long env_create_data(struct emu_model *m, const struct emu_caller *c,
			    const struct emu_mem *mem, unsigned int veid, unsigned int flags,
			    unsigned int class_id, uint64_t dptr, int datalen,
			    struct emu_effect *eff, char *tr, size_t trl)
{
	uint8_t data[32] = { 0 };

	trace_env_create_data(mem, veid, flags, class_id, dptr, datalen, tr, trl);
	/* datalen is an int compared with sizeof: negative values are huge, hence EINVAL */
	if ((size_t)datalen < VZCTL_ENV_CREATE_DATA_MINLEN ||
	    (size_t)datalen > VZCTL_ENV_CREATE_DATA_MAXLEN || dptr == 0)
		return -EINVAL;
	if (m_rd(mem, dptr, data, (size_t)datalen) < 0)
		return -EFAULT;
	return real_env_create(m, c, veid, flags, class_id, data, datalen, eff);
}

/* new_decode_dev (include/linux/kdev_t.h) */
static void decode_dev(uint32_t dev, unsigned int *major, unsigned int *minor)
{
	*major = (dev & 0xfff00) >> 8;
	*minor = (dev & 0xff) | ((dev >> 12) & 0xfff00);
}

/* security/device_cgroup.c: convert_bits — swap the read/write bits, keep quota and mount */
static unsigned int convert_bits(unsigned int acc)
{
	return ((((acc & 06) == 0) || ((acc & 06) == 06)) ? acc : acc ^ 06) & (2 | 4 | 8 | 64);
}

/* kernel/ve/vecalls.c: real_setdevperms; security/device_cgroup.c: set_device_perms_ve */
static long setdevperms(struct emu_model *m, const struct emu_caller *c, const uint8_t *s, char *tr,
			size_t trl)
{
	unsigned int veid = m_u32(s, 0), type = m_u32(s, 4), mask = m_u32(s, 12);
	unsigned int major, minor, access, t;
	struct kcall kc = { .kind = KCALL_SETDEVPERMS, .id = veid };
	struct m_devperm r;
	struct m_ve *ve;
	int i;

	decode_dev(m_u32(s, 8), &major, &minor);
	kc.u.devperms.type = type;
	kc.u.devperms.dev = m_u32(s, 8);
	kc.u.devperms.mask = mask;
	m_trace_call(tr, trl, &kc);
	if (!m_capable_setveid(c) || veid == 0)
		return -EPERM;
	ve = ve_find(m, veid);
	if (!ve)
		return -ESRCH;
	if (ve->state != VES_RUNNING)
		return -ESRCH;
	if ((type & S_IFMT) == S_IFBLK)
		t = 'b';
	else if ((type & S_IFMT) == S_IFCHR)
		t = 'c';
	else
		return -EINVAL;
	access = convert_bits(mask) | (mask ? 1u : 0u); /* any mask also grants mknod */
	r.type = t;
	r.major = r.minor = ~0u;
	switch (type & VE_USE_MASK) {
	case VE_USE_MAJOR:
		r.major = major;
		break;
	case 0:
		break;
	default:
		r.major = major;
		r.minor = minor;
	}
	r.access = access;
	/* dev_exception_change: replace or delete a rule for the same device, else append */
	for (i = 0; i < ve->nrules; i++) {
		struct m_devperm *w = &ve->rules[i];

		if (w->type != r.type || w->major != r.major || w->minor != r.minor)
			continue;
		if (access == 0) {
			memmove(w, w + 1, (size_t)(ve->nrules - i - 1) * sizeof(*w));
			ve->nrules--;
		} else {
			w->access = access;
		}
		return 0;
	}
	if (access && ve->nrules < M_MAX_RULES)
		ve->rules[ve->nrules++] = r;
	return 0;
}

/* vzcalls_ioctl VZCTL_VE_NETDEV after the struct copy; vecalls.c: real_ve_dev_map */
static long ve_netdev(struct emu_model *m, const struct emu_caller *c, const struct emu_mem *mem,
		      unsigned int veid, int op, uint64_t nameptr, char *tr, size_t trl)
{
	char name[17] = { 0 }, path[64];
	struct kcall kc = { .kind = KCALL_VE_NETDEV, .id = veid };
	struct stat st;
	size_t i;

	/* strncpy_from_user(s, d.dev_name, IFNAMSIZ) must return > 0 bytes, else EFAULT */
	for (i = 0; i < 16; i++) {
		if (m_rd(mem, nameptr + i, &name[i], 1) < 0) {
			kc.u.netdev.op = op;
			kc.unreadable = true;
			m_trace_call(tr, trl, &kc);
			return -EFAULT;
		}
		if (!name[i])
			break;
	}
	kc.u.netdev.op = op;
	memcpy(kc.u.netdev.name, name, sizeof(kc.u.netdev.name));
	m_trace_call(tr, trl, &kc);
	if (!name[0])
		return -EFAULT;
	if (!m_capable_setveid(c))
		return -EPERM;
	if (op != VE_NETDEV_ADD && op != VE_NETDEV_DEL)
		return -EINVAL;
	if (!ve_find(m, veid))
		return -ESRCH;
	/*
	 * ve_dev_add/ve_dev_del: the device must exist in the source namespace. The model
	 * does not move real devices: ADD needs the name on the host, DEL always ESRCH
	 * (nothing was really moved); "lo" is NETIF_F_NETNS_LOCAL → EINVAL.
	 */
	if (op == VE_NETDEV_DEL)
		return -ESRCH;
	snprintf(path, sizeof(path), "/sys/class/net/%s", name);
	if (strchr(name, '/') || stat(path, &st) < 0)
		return -ESRCH;
	if (!strcmp(name, "lo"))
		return -EINVAL;
	return 0;
}

/* kernel/ve/vecalls.c: ve_set_meminfo — no permission check; unknown VE is EINVAL */
static long ve_meminfo(struct emu_model *m, unsigned int veid, uint64_t val, char *tr, size_t trl)
{
	struct m_ve *ve = ve_find(m, veid);

	m_trace_call(tr, trl,
		     &(struct kcall){ .kind = KCALL_VE_MEMINFO, .id = veid, .u.meminfo_val = val });
	if (!ve)
		return -EINVAL;
	ve->meminfo = val;
	return 0;
}

/* kernel/ve/vecalls.c: ve_parse_mount_options */
static int parse_mount_options(char *ptr, char *endp)
{
	bool seen[3] = { false, false, false };

	while (*ptr) {
		char *delim = strchr(ptr, ';') ? strchr(ptr, ';') : endp;
		char *space = strchr(ptr, ' '), *p;
		unsigned long type;

		if (delim == ptr || !space || delim - space <= 1)
			return -EINVAL;
		type = strtoul(ptr, &p, 10);
		if (p != space)
			return -EINVAL;
		if ((type != MNTOPT_ALLOWED && type != MNTOPT_HIDDEN) || seen[type])
			return -EINVAL;
		seen[type] = true;
		if (!*delim)
			break;
		ptr = delim + 1;
	}
	return 0;
}

/* kernel/ve/vecalls.c: ve_configure_ioctl, ve_configure */
static long ve_configure(struct emu_model *m, const struct emu_mem *mem, uint64_t arg,
			 struct emu_effect *eff, char *tr, size_t trl)
{
	uint8_t h[16];
	unsigned int veid, key, val, size;
	char *data = NULL, *link;
	struct kcall kc = { .kind = KCALL_VE_CONFIGURE };
	struct m_ve *ve;
	long r = -ENOKEY;

	if (m_rd(mem, arg, h, sizeof(h)) < 0)
		return -EFAULT;
	veid = m_u32(h, 0);
	key = m_u32(h, 4);
	val = m_u32(h, 8);
	size = m_u32(h, 12);
	kc.id = veid;
	kc.u.configure.key = key;
	kc.u.configure.val = val;
	kc.u.configure.size = size;
	/* the data as the kernel would copy it (up to the bytes the trace shows) */
	kc.unreadable = size &&
			m_rd(mem, arg + 16, kc.u.configure.data,
			     size < KCALL_CONFIGURE_DATA_MAX ? size : KCALL_CONFIGURE_DATA_MAX) < 0;
	m_trace_call(tr, trl, &kc);
	if (size) {
		if (size > 4096)
			return -EMSGSIZE;
		data = calloc(size + 1, 1);
		if (!data)
			return -ENOMEM;
		if (m_rd(mem, arg + 16, data, size) < 0) {
			free(data);
			return -EFAULT;
		}
	}
	if (key == VE_CONFIGURE_OPEN_TTY) {
		/* drivers/char/pty.c: vtty_open_master — no VE lookup; the supervisor opens the
		 * console and returns its descriptor (supervisor/vtty.c) */
		free(data);
		if ((int)val < 0 || (int)val >= MAX_NR_VTTY)
			return -ENODEV;
		eff->kind = EMU_EFFECT_OPEN_VTTY;
		eff->veid = veid;
		eff->index = val;
		return 0;
	}
	ve = ve_find(m, veid);
	if (!ve) {
		free(data);
		return -EINVAL;
	}
	switch (key) {
	case VE_CONFIGURE_OS_RELEASE:
		/* init_ve_osrelease: no data → ENODATA; 65+ characters → EMSGSIZE */
		if (!data)
			r = -ENODATA;
		else if (strlen(data) >= sizeof(ve->osrelease))
			r = -EMSGSIZE;
		else {
			strcpy(ve->osrelease, data);
			r = 0;
		}
		break;
	case VE_CONFIGURE_CREATE_PROC_LINK:
		if (!data) {
			/* ve_configure_make_proc_link reads data[size - 1] of a NULL buffer */
			eff->kind = EMU_EFFECT_KILL_CALLER;
			eff->veid = veid;
			eff->why = "kernel oops: VE_CONFIGURE_CREATE_PROC_LINK with size 0 "
				   "(vecalls.c: ve_configure_make_proc_link)";
			return -EFAULT;
		}
		if (data[size - 1] != '\0') {
			r = -EINVAL;
			break;
		}
		link = strchr(data, '\0');
		/* the /proc entries themselves are not modelled: accept the link */
		r = link == data + size - 1 ? -EINVAL : 0;
		break;
	case VE_CONFIGURE_MOUNT_OPTIONS:
		if (size <= 1) {
			r = -EINVAL;
			break;
		}
		data[size - 1] = 0;
		r = parse_mount_options(data, data + size - 1);
		break;
	}
	free(data);
	return r;
}

/* kernel/ve/vecalls.c: ve_get_cpu_stat */
static long get_cpu_stat(struct emu_model *m, const struct emu_caller *c, const struct emu_mem *mem,
			 unsigned int veid, uint64_t buf, char *tr, size_t trl)
{
	uint8_t st[80] = { 0 };
	struct m_ve *ve;
	int64_t up;

	m_trace(tr, trl, "ioctl(VZCTL_GET_CPU_STAT, {%u, %#llx})", veid, (unsigned long long)buf);
	if (c->veid != 0 && veid != c->veid)
		return -EPERM;
	if (veid == 0)
		return -ESRCH;
	if (!node_find(m, veid))
		return -ENOENT;
	ve = ve_find(m, veid);
	if (!ve)
		return -ESRCH;
	up = now_ns() - (int64_t)ve->start_ns;
	if (up < 0)
		up = 0;
	m_put64(st, 24, (uint64_t)(up / 10000000)); /* uptime_jif in USER_HZ (100) ticks */
	m_put64(st, 48, (uint64_t)up);              /* uptime_clk, ns */
	return m_wr(mem, buf, st, sizeof(st)) < 0 ? -EFAULT : 0;
}

/* kernel/ve/vecalls.c: vzcalls_ioctl (native layouts) */
static long vzcalls(struct emu_model *m, const struct emu_caller *c, const struct emu_mem *mem,
		    unsigned long req, uint64_t arg, struct emu_effect *eff, char *tr, size_t trl)
{
	uint8_t s[32];
	struct kcall kc = { .kind = KCALL_ENV_CREATE };

	switch (req) {
	case VZCTL_MARK_ENV_TO_DOWN:
		m_trace(tr, trl, "ioctl(VZCTL_MARK_ENV_TO_DOWN)");
		return 0;
	case VZCTL_SETDEVPERMS:
		if (m_rd(mem, arg, s, 16) < 0)
			return -EFAULT;
		return setdevperms(m, c, s, tr, trl);
	case VZCTL_VE_NETDEV:
		if (m_rd(mem, arg, s, 16) < 0)
			return -EFAULT;
		return ve_netdev(m, c, mem, m_u32(s, 0), (int)m_u32(s, 4), m_u64(s, 8), tr, trl);
	case VZCTL_ENV_CREATE:
		if (m_rd(mem, arg, s, 12) < 0)
			return -EFAULT;
		kc.id = m_u32(s, 0);
		kc.u.env.flags = m_u32(s, 4);
		kc.u.env.class_id = m_u32(s, 8);
		m_trace_call(tr, trl, &kc);
		return real_env_create(m, c, m_u32(s, 0), m_u32(s, 4), m_u32(s, 8), NULL, 0, eff);
	case VZCTL_ENV_CREATE_DATA:
		if (m_rd(mem, arg, s, 32) < 0)
			return -EFAULT;
		return env_create_data(m, c, mem, m_u32(s, 0), m_u32(s, 4), m_u32(s, 8),
				       m_u64(s, 16), (int)m_u32(s, 24), eff, tr, trl);
	case VZCTL_GET_CPU_STAT:
		if (m_rd(mem, arg, s, 16) < 0)
			return -EFAULT;
		return get_cpu_stat(m, c, mem, m_u32(s, 0), m_u64(s, 8), tr, trl);
	case VZCTL_VE_MEMINFO:
		if (m_rd(mem, arg, s, 16) < 0)
			return -EFAULT;
		return ve_meminfo(m, m_u32(s, 0), m_u64(s, 8), tr, trl);
	case VZCTL_VE_CONFIGURE:
		return ve_configure(m, mem, arg, eff, tr, trl);
	default:
		/* VZCTL_OLD_ENV_CREATE, VZCTL_ENV_CREATE_CID and anything else */
		return -ENOTTY;
	}
}

/* kernel/ve/vecalls.c: vzcalls_ioctl, and compat_vzcalls_ioctl for i386 callers */
long ve_ioctl(struct emu_model *m, const struct emu_caller *c, const struct emu_mem *mem,
	      unsigned long req, uint64_t arg, struct emu_effect *eff, char *tr, size_t trl)
{
	uint8_t s[20];

	if (!c->compat32)
		return vzcalls(m, c, mem, req, arg, eff, tr, trl);
	switch (req) {
	case VZCTL_GET_CPU_STAT:
		/* "FIXME" case without a break: falls into the ENV_CREATE_DATA translation */
	case VZCTL_COMPAT_ENV_CREATE_DATA:
		if (m_rd(mem, arg, s, 20) < 0)
			return -EFAULT;
		return env_create_data(m, c, mem, m_u32(s, 0), m_u32(s, 4), m_u32(s, 8),
				       m_u32(s, 12), (int)m_u32(s, 16), eff, tr, trl);
	case VZCTL_COMPAT_VE_NETDEV:
		if (m_rd(mem, arg, s, 12) < 0)
			return -EFAULT;
		return ve_netdev(m, c, mem, m_u32(s, 0), (int)m_u32(s, 4), m_u32(s, 8), tr, trl);
	case VZCTL_COMPAT_VE_MEMINFO:
		if (m_rd(mem, arg, s, 8) < 0)
			return -EFAULT;
		return ve_meminfo(m, m_u32(s, 0), m_u32(s, 4), tr, trl);
	default:
		return vzcalls(m, c, mem, req, arg, eff, tr, trl);
	}
}
