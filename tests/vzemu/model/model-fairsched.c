/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vzemu model: the fair scheduler (kernel/fairsched.c, kernel/sched.c). Nodes are the
 * top-level directories of the kernel's "fairsched" cgroup hierarchy, named by their id
 * as a signed int; "0" is the host node, addressed as FAIRSCHED_HOST_NODE.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model-internal.h"

/* kernel/fairsched.c: fairsched_name — INT_MAX names "0"; ids are printed with %d */
static int64_t node_name(unsigned int id)
{
	if (id == FAIRSCHED_HOST_NODE)
		return 0;
	return (int32_t)id; /* ids above INT_MAX become negative names: never exist */
}

struct m_node *node_find(struct emu_model *m, unsigned int id)
{
	int64_t name = node_name(id);
	int i;

	if (name < 0)
		return NULL;
	for (i = 0; i < m->nnode; i++)
		if (m->node[i].id == (unsigned int)name)
			return &m->node[i];
	return NULL;
}

/* a new cgroup: default cpu.shares 1024 (weight 500), no rate, no vcpus */
struct m_node *node_new(struct emu_model *m, unsigned int id)
{
	struct m_node *n;

	m->node = m_grow(m->node, m->nnode, sizeof(*m->node));
	n = &m->node[m->nnode++];
	n->id = (unsigned int)node_name(id);
	n->seq = n->id == 0 ? 0 : ++m->seq;
	n->shares = 1024;
	return n;
}

/* a task moved in with fairsched_mvpr still lives there: the node's cgroup is not empty */
bool node_has_moved_tasks(const struct m_node *n)
{
	int i;

	for (i = 0; i < n->nmvpr; i++)
		if (kill(n->mvpr[i], 0) == 0)
			return true;
	return false;
}

/* kernel/fairsched.c: fairsched_drop_node */
void node_remove(struct emu_model *m, unsigned int id)
{
	struct m_node *n = node_find(m, id);
	int i;

	if (!n || n->id == 0)
		return;
	i = (int)(n - m->node);
	memmove(&m->node[i], &m->node[i + 1], (size_t)(m->nnode - i - 1) * sizeof(*m->node));
	m->nnode--;
}

/* /proc/fairsched: FSCHWEIGHT_BASE / sched_cgroup_get_shares */
unsigned long node_weight(const struct m_node *n)
{
	return FSCHWEIGHT_BASE / (n->shares ? n->shares : 1);
}

static bool node_busy(struct emu_model *m, const struct m_node *n)
{
	int i;

	if (n->id == 0)
		return true; /* the host node holds init and has children */
	for (i = 0; i < m->nve; i++)
		if (m->ve[i].veid == n->id && m_pid_alive(m->ve[i].init_pid, m->ve[i].init_start))
			return true;
	return node_has_moved_tasks(n);
}

/* kernel/sched.c: sched_cgroup_set_rate / sched_cgroup_set_nr_cpus clamp to online CPUs */
static unsigned long clamp_rate(struct emu_model *m, unsigned long rate)
{
	return rate > (unsigned long)m->ncpus * MAX_CPU_RATE
		       ? (unsigned long)m->ncpus * MAX_CPU_RATE
		       : rate;
}

static long do_mvpr(struct emu_model *m, const struct emu_caller *c, int32_t pid, unsigned int id)
{
	struct m_node *n = node_find(m, id);
	int i, j;

	if (!n)
		return -ENOENT;
	/* pid of the caller's namespace; 0 is not found unless it is the caller's own */
	if (pid != c->pid && (pid <= 0 || (kill(pid, 0) < 0 && errno == ESRCH)))
		return -ESRCH;
	for (i = 0; i < m->nnode; i++) /* a task is in exactly one node */
		for (j = 0; j < m->node[i].nmvpr; j++)
			if (m->node[i].mvpr[j] == pid) {
				m->node[i].mvpr[j] = m->node[i].mvpr[--m->node[i].nmvpr];
				j--;
			}
	if (n->id != 0 && n->nmvpr < M_MAX_MVPR)
		n->mvpr[n->nmvpr++] = pid;
	return 0;
}

/* the cpumask: cpumask_size() bytes of an OFFSTACK cpumask for the online CPUs */
static long read_mask(const struct emu_mem *mem, uint64_t ptr, unsigned int len, size_t ksize,
		      uint64_t *ret)
{
	uint8_t b[512] = { 0 };
	size_t n = len < ksize ? len : ksize;

	if (m_rd(mem, ptr, b, n) < 0)
		return -EFAULT;
	*ret = m_u64(b, 0);
	return 0;
}

long fairsched_syscall(struct emu_model *m, const struct emu_caller *c, const struct emu_mem *mem,
		       int which, const uint64_t a[6], char *tr, size_t trl)
{
	unsigned int id = (uint32_t)a[0];
	struct m_node *n;
	uint64_t mask;
	long r;

	switch (which) {
	case MS_MKNOD: {
		unsigned int weight = (uint32_t)a[1], newid = (uint32_t)a[2];

		struct kcall kc = { .kind = KCALL_FAIRSCHED_MKNOD, .id = id };

		kc.u.mknod.weight = weight;
		kc.u.mknod.newid = newid;
		m_trace_call(tr, trl, &kc);
		/* kernel/fairsched.c: sys_fairsched_mknod — weight only validated */
		if (!m_capable_setveid(c))
			return -EPERM;
		if (weight < 1 || weight > FSCHWEIGHT_MAX)
			return -EINVAL;
		if (newid > INT32_MAX)
			return -EINVAL;
		if (node_find(m, newid))
			return -EEXIST; /* 0 and INT_MAX name the host directory */
		node_new(m, newid);
		return newid;
	}
	case MS_RMNOD:
		m_trace_call(tr, trl, &(struct kcall){ .kind = KCALL_FAIRSCHED_RMNOD, .id = id });
		/* sys_fairsched_rmnod → cgroup_kernel_remove */
		if (!m_capable_setveid(c))
			return -EPERM;
		n = node_find(m, id);
		if (!n)
			return -ENOENT;
		if (node_busy(m, n))
			return -EBUSY;
		node_remove(m, id);
		return 0;
	case MS_CHWT: {
		unsigned int w = (uint32_t)a[1];
		unsigned long shares;

		m_trace_call(
			tr, trl,
			&(struct kcall){ .kind = KCALL_FAIRSCHED_CHWT, .id = id, .u.weight = w });
		/* sys_fairsched_chwt: id and weight checked before the node lookup */
		if (!m_capable_setveid(c))
			return -EPERM;
		if (id == 0)
			return -EINVAL;
		if (w < 1 || w > FSCHWEIGHT_MAX)
			return -EINVAL;
		n = node_find(m, id);
		if (!n)
			return -ENOENT;
		/* kernel/sched.c: sched_group_set_shares clamps to MIN_SHARES..MAX_SHARES */
		shares = FSCHWEIGHT_BASE / w;
		if (shares < MIN_SHARES)
			shares = MIN_SHARES;
		if (shares > MAX_SHARES)
			shares = MAX_SHARES;
		n->shares = shares;
		return 0;
	}
	case MS_VCPUS:
		m_trace_call(tr, trl,
			     &(struct kcall){ .kind = KCALL_FAIRSCHED_VCPUS,
					      .id = id,
					      .u.vcpus = (uint32_t)a[1] });
		/* sys_fairsched_vcpus → sched_cgroup_set_nr_cpus */
		if (!m_capable_setveid(c))
			return -EPERM;
		if (id == 0)
			return -EINVAL;
		n = node_find(m, id);
		if (!n)
			return -ENOENT;
		n->nr_cpus = (uint32_t)a[1] > m->ncpus ? m->ncpus : (uint32_t)a[1];
		return 0;
	case MS_RATE: {
		int32_t op = (int32_t)a[1];
		uint32_t rate = (uint32_t)a[2];
		struct kcall kc = { .kind = KCALL_FAIRSCHED_RATE, .id = id };

		kc.u.rate.op = op;
		kc.u.rate.rate = rate;
		m_trace_call(tr, trl, &kc);
		/* sys_fairsched_rate: the rate bound before the lookup, the op after it */
		if (!m_capable_setveid(c))
			return -EPERM;
		if (id == 0)
			return -EINVAL;
		if (op == FAIRSCHED_SET_RATE && (rate < 1 || rate >= (1UL << 31)))
			return -EINVAL;
		n = node_find(m, id);
		if (!n)
			return -ENOENT;
		switch (op) {
		case FAIRSCHED_SET_RATE:
			n->rate = clamp_rate(m, rate);
			return (long)n->rate;
		case FAIRSCHED_DROP_RATE:
			n->rate = 0;
			return 0;
		case FAIRSCHED_GET_RATE:
			return n->rate ? (long)n->rate : -ENODATA;
		default:
			return -EINVAL;
		}
	}
	case MS_MVPR:
		m_trace_call(tr, trl,
			     &(struct kcall){ .kind = KCALL_FAIRSCHED_MVPR,
					      .id = (uint32_t)a[0],
					      .u.node = (uint32_t)a[1] });
		/* sys_fairsched_mvpr: no id == 0 check */
		if (!m_capable_setveid(c))
			return -EPERM;
		return do_mvpr(m, c, (int32_t)a[0], (uint32_t)a[1]);
	case MS_CPUMASK:
	case MS_NODEMASK: {
		unsigned int len = (uint32_t)a[1];
		uint64_t ptr = c->compat32 ? (uint32_t)a[2] : a[2];
		size_t ksize;
		struct kcall kc = { .kind = which == MS_CPUMASK ? KCALL_FAIRSCHED_CPUMASK
								: KCALL_FAIRSCHED_NODEMASK,
				    .id = id };

		kc.u.mask.len = len;
		kc.unreadable = m_rd(mem, ptr, &kc.u.mask.first, len < 8 ? len : 8) < 0;
		m_trace_call(tr, trl, &kc);
		/* sys_fairsched_cpumask / sys_fairsched_nodemask */
		if (!m_capable_setveid(c))
			return -EPERM;
		if (id == 0)
			return -EINVAL;
		n = node_find(m, id);
		if (!n)
			return -ENOENT;
		/*
		 * get_user_cpu_mask: cpumask_size() = BITS_TO_LONGS(nr_cpu_ids) longs with
		 * CONFIG_CPUMASK_OFFSTACK (RHEL6 config); nodemask_t is MAX_NUMNODES bits
		 * (NODES_SHIFT 10 on the RHEL6 config: 128 bytes).
		 */
		ksize = which == MS_CPUMASK ? ((m->ncpus + 63) / 64) * 8 : 128;
		r = read_mask(mem, ptr, len, ksize, &mask);
		if (r < 0)
			return r;
		if (which == MS_CPUMASK) {
			/* cpumask_and with the active CPUs; update_cpumask accepts the result */
			if (m->ncpus < 64)
				mask &= (1ULL << m->ncpus) - 1;
			n->has_cpumask = true;
			n->cpumask = mask;
		} else {
			n->has_nodemask = true;
			n->nodemask = mask & 1; /* the model host has memory on node 0 only */
		}
		return 0;
	}
	}
	return -ENOSYS;
}
