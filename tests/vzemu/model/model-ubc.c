/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vzemu model: beancounters — getluid, setluid, setublimit, ubstat (kernel/bc/sys.c,
 * kernel/bc/statd.c) and the bc table behind /proc/user_beancounters.
 *
 * The exec bc of a process is recorded per (pid, start time) at setluid; a process with
 * no record inherits from its nearest recorded ancestor (fork inherits the exec bc), and
 * is recorded itself the first time it is resolved, so reparenting does not lose it.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model-internal.h"

struct m_bc *bc_find(struct emu_model *m, unsigned int id)
{
	int i;

	for (i = 0; i < m->nbc; i++)
		if (m->bc[i].id == id)
			return &m->bc[i];
	return NULL;
}

/* kernel/bc/beancounter.c: init_beancounter_nolimits — everything unlimited except guarantees */
struct m_bc *bc_get(struct emu_model *m, unsigned int id)
{
	struct m_bc *b = bc_find(m, id);
	long pages;
	int r;

	if (b)
		return b;
	m->bc = m_grow(m->bc, m->nbc, sizeof(*m->bc));
	b = &m->bc[m->nbc++];
	b->id = id;
	b->seq = id == 0 ? 0 : ++m->seq;
	b->ioprio = -1;
	for (r = 0; r < M_NR_UB; r++)
		b->p[r].barrier = b->p[r].limit = M_UB_MAXVALUE;
	pages = sysconf(_SC_PHYS_PAGES);
	b->p[UB_VMGUARPAGES].barrier = 0;
	b->p[UB_OOMGUARPAGES].barrier = pages > 0 ? (uint64_t)pages * 3 / 4 : 0;
	return b;
}

static pid_t parent_of(pid_t pid)
{
	char buf[1024], *p;
	int ppid = 0;

	if (proc_read(pid, "stat", buf, sizeof(buf)) > 0 && (p = strrchr(buf, ')')))
		sscanf(p + 2, "%*c %d", &ppid);
	return ppid;
}

static void luid_set(struct emu_model *m, pid_t pid, uint64_t start, unsigned int id)
{
	int i;

	m->changed = true; /* getluid and /proc renders record here: model-lock.c */
	for (i = 0; i < m->nluid; i++)
		if (m->luid[i].pid == pid) {
			m->luid[i].start = start;
			m->luid[i].id = id;
			return;
		}
	m->luid = m_grow(m->luid, m->nluid, sizeof(*m->luid));
	m->luid[m->nluid].pid = pid;
	m->luid[m->nluid].start = start;
	m->luid[m->nluid].id = id;
	m->nluid++;
}

/*
 * get_exec_ub_top(): the caller's exec bc id. A process without a record takes its nearest
 * recorded ancestor's (kernel/fork.c: copy_process — the child starts in the parent's exec
 * bc), or bc 0; the answer is then recorded for the caller, so that later calls do not walk
 * /proc again and a later setluid of the parent does not change it (as in the kernel, where
 * the child's bc was fixed at fork).
 */
unsigned int bc_exec_id(struct emu_model *m, const struct emu_caller *c)
{
	uint64_t self = m_pid_start(c->pid);
	unsigned int id = 0;
	pid_t pid = c->pid;
	int depth, i;

	for (depth = 0; pid > 1 && depth < 64; depth++) {
		uint64_t st = pid == c->pid ? self : m_pid_start(pid);

		for (i = 0; i < m->nluid; i++)
			if (m->luid[i].pid == pid && m->luid[i].start == st)
				break;
		if (i < m->nluid) {
			id = bc_find(m, m->luid[i].id) ? m->luid[i].id : 0;
			if (pid == c->pid)
				return id;
			break;
		}
		pid = parent_of(pid);
	}
	if (self)
		luid_set(m, c->pid, self, id);
	return id;
}

/*
 * kernel/bc/beancounter.c: release_beancounter — a bc goes when its last reference goes.
 * Referents the model knows: processes recorded with it. bc 0 always exists.
 */
void bc_gc(struct emu_model *m)
{
	int i, j;

	for (i = 0; i < m->nluid; i++)
		if (!m_pid_alive(m->luid[i].pid, m->luid[i].start)) {
			m->luid[i] = m->luid[--m->nluid];
			i--;
		}
	for (i = 0; i < m->nbc; i++) {
		bool used = m->bc[i].id == 0;

		for (j = 0; j < m->nluid && !used; j++)
			used = m->luid[j].id == m->bc[i].id;
		for (j = 0; j < m->nve && !used; j++)
			used = m->ve[j].veid == m->bc[i].id &&
			       m_pid_alive(m->ve[j].init_pid, m->ve[j].init_start);
		if (!used) {
			memmove(&m->bc[i], &m->bc[i + 1],
				(size_t)(m->nbc - i - 1) * sizeof(*m->bc));
			m->nbc--;
			i--;
		}
	}
}

/* kernel/bc/statd.c: ubstatd → do_notifies, when the timer expired */
void ubstat_tick(struct emu_model *m)
{
	int64_t now = (int64_t)(m_now_s() - m->epoch_s);
	int i;

	while (m->ubs_expires != INT64_MAX && now >= m->ubs_expires) {
		m->ubs_start = m->ubs_end;
		m->ubs_end = m->ubs_expires;
		if (m->ubs_min_interval == INT64_MAX)
			m->ubs_expires = INT64_MAX;
		else
			m->ubs_expires += m->ubs_min_interval;
		m->ubs_min_interval = INT64_MAX;
		/* ubstat_save_statistics: bcs with a store get the current values there */
		for (i = 0; i < m->nbc; i++) {
			struct m_bc *b = &m->bc[i];
			int r;

			if (!b->has_store)
				continue;
			memcpy(b->store, b->p, sizeof(b->store));
			for (r = 0; r < M_NR_UB; r++)
				b->p[r].minheld = b->p[r].maxheld = b->p[r].held;
		}
		m->changed = true;
	}
}

/*
 * kernel/fork.c: copy_process — the child's exec bc is its parent's, fixed at birth. Recorded
 * at the fork for a parent whose own bc is recorded, so that a bc whose setluid caller
 * exits right after forking (vzctl's and vzlite's VE-creating child) keeps its holder.
 */
void model_fork_child(struct emu_model *m, pid_t parent, pid_t child)
{
	uint64_t start = m_pid_start(parent);
	int i;

	for (i = 0; i < m->nluid; i++)
		if (m->luid[i].pid == parent && m->luid[i].start == start) {
			if (m->luid[i].id != 0)
				luid_set(m, child, m_pid_start(child), m->luid[i].id);
			return;
		}
}

/*
 * kernel/fork.c: copy_process charges the new task to the creator's exec bc before anything
 * else (kernel/bc/misc.c: ub_task_charge: charge_beancounter_fast(UB_NUMPROC, UB_HARD)). That
 * goes through kernel/bc/beancounter.c: __charge_beancounter_percpu, which first charges
 * UB_SOFT|UB_TEST (held + 1 + the CPU's precharge against the limit) and only when that fails
 * UB_HARD, whose case falls through to UB_SOFT's (__charge_beancounter_locked: past the
 * barrier or past the limit). So a new task is refused when held + 1 passes the **limit**,
 * whatever the barrier (a barrier below the limit only matters within the per-CPU
 * precharge, at most 2 tasks, which the model leaves out). Then the bc's failcnt grows and
 * fork/clone fails with ENOMEM. `tasks`
 * is what the supervisor counted in the caller's VE; held and maxheld record it (held is the
 * count at the VE's last fork: the model does not see tasks exit).
 */
long model_fork_charge(struct emu_model *m, const struct emu_caller *c, unsigned int tasks,
		       char *tr, size_t trl)
{
	struct m_ubparm *p;
	struct m_bc *b;
	unsigned int id = bc_exec_id(m, c);

	if (id == 0 || !(b = bc_find(m, id)))
		return 0;
	p = &b->p[UB_NUMPROC];
	m->changed = true;
	p->held = tasks;
	if ((uint64_t)tasks + 1 > p->limit) {
		p->failcnt++;
		m_trace(tr, trl,
			"numproc: a new task of bc %u refused (%u held, barrier %llu, limit %llu)",
			id, tasks, (unsigned long long)p->barrier, (unsigned long long)p->limit);
		if (p->maxheld < p->held)
			p->maxheld = p->held;
		return -ENOMEM;
	}
	p->held = (uint64_t)tasks + 1;
	if (p->maxheld < p->held)
		p->maxheld = p->held;
	return 0;
}

/* kernel/bc/sys.c: sys_setluid */
static long setluid(struct emu_model *m, const struct emu_caller *c, uint32_t id)
{
	if (id == (uint32_t)-1)
		return -EINVAL;
	if (!m_cap(c, M_CAP_SETUID))
		return -EPERM;
	if (c->veid != 0)
		return -EPERM;
	bc_get(m, id);
	luid_set(m, c->pid, m_pid_start(c->pid), id);
	return 0;
}

/* kernel/bc/sys.c: do_setublimit (after the copy of the two limits) */
static long do_setublimit(struct emu_model *m, const struct emu_caller *c, uint32_t id,
			  uint64_t res, uint64_t barrier, uint64_t limit)
{
	struct m_bc *b;

	if (!m_cap(c, M_CAP_SYS_RESOURCE))
		return -EPERM;
	if (c->veid != 0)
		return -EPERM;
	if (res >= UB_RESOURCES)
		return -EINVAL;
	if (barrier > M_UB_MAXVALUE || limit > M_UB_MAXVALUE)
		return -EINVAL;
	b = bc_find(m, id);
	if (!b)
		return -ENOENT;
	/* no barrier <= limit rule, dummy ids accepted (§17 item 9) */
	b->p[res].barrier = barrier;
	b->p[res].limit = limit;
	return 0;
}

/* kernel/bc/sys.c: sys_setublimit / compat_sys_setublimit — the copy comes first */
static long setublimit(struct emu_model *m, const struct emu_caller *c, const struct emu_mem *mem,
		       const uint64_t a[6], char *tr, size_t trl)
{
	uint32_t id = (uint32_t)a[0];
	uint64_t res = a[1], lim[2];
	uint8_t buf[16];
	struct kcall kc = { .kind = KCALL_SETUBLIMIT, .id = id };

	if (c->compat32)
		res = (uint64_t)(int64_t)(int32_t)a[1]; /* compat_long_t, sign-extended */
	kc.u.ub.resource = res;
	if (c->compat32) {
		int32_t v0, v1;

		if (m_rd(mem, a[2] & 0xffffffffu, buf, 8) < 0) {
			kc.unreadable = true;
			m_trace_call(tr, trl, &kc);
			return -EFAULT;
		}
		v0 = (int32_t)m_u32(buf, 0);
		v1 = (int32_t)m_u32(buf, 4);
		lim[0] = v0 == INT32_MAX ? M_UB_MAXVALUE : (uint64_t)(int64_t)v0;
		lim[1] = v1 == INT32_MAX ? M_UB_MAXVALUE : (uint64_t)(int64_t)v1;
	} else {
		if (m_rd(mem, a[2], buf, 16) < 0) {
			kc.unreadable = true;
			m_trace_call(tr, trl, &kc);
			return -EFAULT;
		}
		lim[0] = m_u64(buf, 0);
		lim[1] = m_u64(buf, 8);
	}
	kc.u.ub.barrier = lim[0];
	kc.u.ub.limit = lim[1];
	m_trace_call(tr, trl, &kc);
	return do_setublimit(m, c, id, res, lim[0], lim[1]);
}

/* kernel/bc/statd.c: ubstat_handle_notifrq */
static long notifrq(struct emu_model *m, const struct emu_mem *mem, uint64_t arg2)
{
	uint8_t rq[16];
	int64_t maxint, now, dif;

	if (m_rd(mem, arg2, rq, sizeof(rq)) < 0)
		return -EFAULT;
	maxint = (int64_t)m_u64(rq, 0);
	if (maxint < 1)
		return -EINVAL;
	/* signum registrations are accepted but no signal is ever sent by the model */
	now = (int64_t)(m_now_s() - m->epoch_s);
	if (maxint < m->ubs_min_interval) {
		m->ubs_min_interval = maxint;
		dif = m->ubs_expires == INT64_MAX ? INT64_MAX : m->ubs_expires - now;
		if (dif > maxint)
			m->ubs_expires = now + maxint;
	}
	return 0;
}

/* kernel/bc/statd.c: ubstat_get_stat (x86_64 layouts, also for compat callers) */
static long get_stat(struct emu_model *m, struct m_bc *b, int32_t func, const struct emu_mem *mem,
		     uint64_t buf, int64_t size)
{
	uint8_t k[16 + M_NR_UB * 64];
	unsigned int cmd = (unsigned int)func & 0xffff0000u, res = (unsigned int)func & 0xffff;
	long n;
	int r;

	(void)m;
	if (!b->has_store) { /* ubstat_alloc_store: a copy of the current values */
		memcpy(b->store, b->p, sizeof(b->store));
		b->has_store = true;
	}
	memset(k, 0, sizeof(k));
	m_put64(k, 0, (uint64_t)m->ubs_start);
	m_put64(k, 8, (uint64_t)m->ubs_end);
	switch (cmd) {
	case UBSTAT_READ_ONE:
		if (res >= UB_RESOURCES)
			return -EINVAL;
		m_put64(k, 16, b->store[res].maxheld);
		m_put64(k, 24, b->store[res].failcnt);
		n = 32;
		break;
	case UBSTAT_READ_ALL:
		for (r = 0; r < M_NR_UB; r++) {
			m_put64(k, 16 + (size_t)r * 16, b->store[r].maxheld);
			m_put64(k, 24 + (size_t)r * 16, b->store[r].failcnt);
		}
		n = 16 + M_NR_UB * 16;
		break;
	case UBSTAT_READ_FULL:
		for (r = 0; r < M_NR_UB; r++) {
			const struct m_ubparm *s = &b->store[r];
			size_t o = 16 + (size_t)r * 64;

			m_put64(k, o, s->barrier);
			m_put64(k, o + 8, s->limit);
			m_put64(k, o + 16, s->held);
			m_put64(k, o + 24, s->maxheld);
			m_put64(k, o + 32, s->minheld);
			m_put64(k, o + 40, s->failcnt);
		}
		n = 16 + M_NR_UB * 64;
		break;
	default:
		return -EINVAL;
	}
	if (size < n)
		n = (long)size;
	if (n < 0)
		return -EFAULT; /* copy_to_user with a negative length fails */
	return m_wr(mem, buf, k, (size_t)n) < 0 ? -EFAULT : n;
}

/* kernel/bc/sys.c: sys_ubstat → kernel/bc/statd.c: do_ubstat */
static long ubstat(struct emu_model *m, const struct emu_caller *c, const struct emu_mem *mem,
		   const uint64_t a[6], char *tr, size_t trl)
{
	int32_t func = (int32_t)a[0];
	uint64_t arg1 = c->compat32 ? (uint32_t)a[1] : a[1];
	uint64_t arg2 = c->compat32 ? (uint32_t)a[2] : a[2];
	uint64_t buf = c->compat32 ? (uint32_t)a[3] : a[3];
	int64_t size = c->compat32 ? (int64_t)(uint32_t)a[4] : (int64_t)a[4];
	struct m_bc *b;
	long r;

	m_trace(tr, trl, "ubstat(%#x, %llu, %#llx, %#llx, %lld)", (unsigned int)func,
		(unsigned long long)arg1, (unsigned long long)arg2, (unsigned long long)buf,
		(long long)size);
	if (c->veid != 0)
		return -EPERM;
	if (func == UBSTAT_UBPARMNUM)
		return UB_RESOURCES;
	if (func == UBSTAT_UBLIST) {
		/* ubstat_get_list: ids as longs, truncated to size; a negative size is returned */
		uint8_t *ids = calloc((size_t)m->nbc + 1, 8);
		int64_t n = 0;
		int i, j;

		/* the order of for_each_top_beancounter: newest first, bc 0 last */
		for (i = 0; i < m->nbc; i++) {
			int best = -1;

			for (j = 0; j < m->nbc; j++) {
				bool taken = false;
				int k;

				for (k = 0; k < (int)n; k++)
					taken |= m_u64(ids, (size_t)k * 8) == m->bc[j].id;
				if (!taken && (best < 0 || m->bc[j].seq > m->bc[best].seq))
					best = j;
			}
			m_put64(ids, (size_t)n * 8, m->bc[best].id);
			n++;
		}
		n *= 8;
		if (size < n)
			n = size;
		r = n;
		if (n > 0 && m_wr(mem, buf, ids, (size_t)n) < 0)
			r = -EFAULT;
		free(ids);
		return r;
	}
	if (!(m_cap(c, M_CAP_DAC_OVERRIDE) || m_cap(c, M_CAP_DAC_READ_SEARCH)))
		return -EPERM;
	if (func == UBSTAT_GETTIME) {
		uint8_t t[24];
		int64_t n = 24;

		m_put64(t, 0, (uint64_t)m->ubs_start);
		m_put64(t, 8, (uint64_t)m->ubs_end);
		m_put64(t, 16, m_now_s() - m->epoch_s);
		if (size < n)
			n = size;
		r = n;
		if (n < 0 || m_wr(mem, buf, t, (size_t)n) < 0)
			r = -EFAULT;
	} else {
		unsigned int exec = bc_exec_id(m, c);

		b = exec == arg1 ? bc_find(m, exec) : bc_find(m, (uint32_t)arg1);
		if (!b)
			return -ESRCH;
		r = get_stat(m, b, func, mem, buf, size);
	}
	/* after any success, arg2 must hold a ubnotifrq_t: EFAULT even though data was copied */
	if (r >= 0) {
		long e = notifrq(m, mem, arg2);

		if (e)
			r = e;
	}
	return r;
}

long ubc_syscall(struct emu_model *m, const struct emu_caller *c, const struct emu_mem *mem,
		 int which, const uint64_t a[6], char *tr, size_t trl)
{
	switch (which) {
	case MS_GETLUID:
		/* kernel/bc/sys.c: sys_getluid — the exec bc's id (a uid_t, never negative) */
		m_trace_call(tr, trl, &(struct kcall){ .kind = KCALL_GETLUID });
		return bc_exec_id(m, c);
	case MS_SETLUID:
		m_trace_call(tr, trl,
			     &(struct kcall){ .kind = KCALL_SETLUID, .id = (uint32_t)a[0] });
		return setluid(m, c, (uint32_t)a[0]);
	case MS_SETUBLIMIT:
		return setublimit(m, c, mem, a, tr, trl);
	case MS_UBSTAT:
		return ubstat(m, c, mem, a, tr, trl);
	}
	return -ENOSYS;
}
