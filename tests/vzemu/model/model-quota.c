/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vzemu model: vzquota, first level (fs/quota/vzdquota/vzdq_mgmt.c: do_vzquotactl) and
 * second level (vzdq_ugid.c: do_vzquotaugidctl), entered through vzdquot.c:
 * vzquota_ioctl / compat_vzquota_ioctl. No file mode (ON_FILE): the model has no
 * .vzdq.<id> files, so every quota is a plain in-kernel one.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "model-internal.h"

static struct m_quota *q_find(struct emu_model *m, unsigned int id)
{
	int i;

	for (i = 0; i < m->nquota; i++)
		if (m->quota[i].id == id)
			return &m->quota[i];
	return NULL;
}

/*
 * dq_stat in the caller's layout as the kernel reads it: native x86_64 (56 bytes) or the
 * kernel's compat_dq_stat (48 bytes, u64 fields 8-aligned — not the i386 layout, §16.2).
 */
static void dq_decode(const uint8_t *b, bool compat, struct m_dqstat *s)
{
	s->bhardlimit = m_u64(b, 0);
	s->bsoftlimit = m_u64(b, 8);
	if (compat) {
		s->btime = (int32_t)m_u32(b, 16);
		s->bcurrent = m_u64(b, 24);
		s->ihardlimit = m_u32(b, 32);
		s->isoftlimit = m_u32(b, 36);
		s->itime = (int32_t)m_u32(b, 40);
		s->icurrent = m_u32(b, 44);
	} else {
		s->btime = (int64_t)m_u64(b, 16);
		s->bcurrent = m_u64(b, 24);
		s->ihardlimit = m_u32(b, 32);
		s->isoftlimit = m_u32(b, 36);
		s->itime = (int64_t)m_u64(b, 40);
		s->icurrent = m_u32(b, 48);
	}
}

static size_t dq_encode(uint8_t *b, bool compat, const struct m_dqstat *s)
{
	m_put64(b, 0, s->bhardlimit);
	m_put64(b, 8, s->bsoftlimit);
	m_put64(b, 24, s->bcurrent);
	m_put32(b, 32, s->ihardlimit);
	m_put32(b, 36, s->isoftlimit);
	if (compat) {
		m_put32(b, 16, (uint32_t)s->btime);
		m_put32(b, 20, 0);
		m_put32(b, 40, (uint32_t)s->itime);
		m_put32(b, 44, s->icurrent);
		return 48;
	}
	m_put64(b, 16, (uint64_t)s->btime);
	m_put64(b, 40, (uint64_t)s->itime);
	m_put32(b, 48, s->icurrent);
	m_put32(b, 52, 0);
	return 56;
}

static void di_decode(const uint8_t *b, bool compat, struct m_dqinfo *i)
{
	if (compat) {
		i->bexpire = (int32_t)m_u32(b, 0);
		i->iexpire = (int32_t)m_u32(b, 4);
		i->flags = m_u32(b, 8);
	} else {
		i->bexpire = (int64_t)m_u64(b, 0);
		i->iexpire = (int64_t)m_u64(b, 8);
		i->flags = m_u32(b, 16);
	}
}

static size_t di_encode(uint8_t *b, bool compat, const struct m_dqinfo *i)
{
	if (compat) {
		m_put32(b, 0, (uint32_t)i->bexpire);
		m_put32(b, 4, (uint32_t)i->iexpire);
		m_put32(b, 8, i->flags);
		return 12;
	}
	m_put64(b, 0, (uint64_t)i->bexpire);
	m_put64(b, 8, (uint64_t)i->iexpire);
	m_put32(b, 16, i->flags);
	m_put32(b, 20, 0);
	return 24;
}

/* read a vz_quota_stat; native 80 bytes, compat_vz_quota_stat 64 */
static int qstat_read(const struct emu_mem *mem, uint64_t p, bool compat, struct m_dqstat *s,
		      struct m_dqinfo *i)
{
	uint8_t b[80];

	if (m_rd(mem, p, b, compat ? 64 : 80) < 0)
		return -EFAULT;
	dq_decode(b, compat, s);
	di_decode(b + (compat ? 48 : 56), compat, i);
	return 0;
}

/* vzdq_mgmt.c: vzquota_check_sane_limits / vzquota_check_sane_values */
static bool sane_limits(const struct m_dqstat *s)
{
	return s->bsoftlimit <= s->bhardlimit && s->isoftlimit <= s->ihardlimit;
}

static bool sane_values(const struct m_dqstat *s)
{
	if (s->bcurrent < s->bsoftlimit && s->btime != 0)
		return false;
	if (s->icurrent < s->isoftlimit && s->itime != 0)
		return false;
	return sane_limits(s);
}

/* fs/namei.c: user_path of the caller's string, resolved in the caller's root and cwd */
static long lookup_dir(const struct emu_caller *c, const struct emu_mem *mem, uint64_t p,
		       char *real, size_t rlen)
{
	char path[PATH_MAX], host[PATH_MAX + 64];
	struct stat st;
	int r;

	r = m_read_path(mem, p, path, sizeof(path));
	if (r < 0)
		return r;
	r = m_host_path(c, path, host, sizeof(host));
	if (r < 0)
		return r;
	if (stat(host, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	if (!realpath(host, real) || strlen(real) >= rlen)
		snprintf(real, rlen, "%s", path);
	return 0;
}

/* the busy-list buffer of ON/OFF: 4096 bytes copied out, the result of the copy ignored */
static void busy_buffer(const struct emu_mem *mem, uint64_t p)
{
	static const uint8_t zero[4096];

	if (p)
		(void)m_wr(mem, p, zero, sizeof(zero));
}

/* vzdq_mgmt.c: do_vzquotactl */
static long quotactl(struct emu_model *m, const struct emu_caller *c, const struct emu_mem *mem,
		     int cmd, unsigned int id, uint64_t qstat, uint64_t ve_root)
{
	struct m_dqstat s;
	struct m_dqinfo inf;
	struct m_quota *q;
	uint8_t b[80] = { 0 };
	char real[PATH_MAX];
	size_t n;
	long r;

	if (!m_cap(c, M_CAP_SYS_RESOURCE) || !m_cap(c, M_CAP_SYS_ADMIN))
		return -EPERM;
	switch (cmd) {
	case VZ_DQ_CREATE:
		/* vzquota_create: copy, then id 0, then sanity, then EEXIST */
		if (qstat_read(mem, qstat, c->compat32, &s, &inf) < 0)
			return -EFAULT;
		if (id == 0)
			return -EINVAL;
		if (!sane_values(&s))
			return -EINVAL;
		if (q_find(m, id))
			return -EEXIST;
		m->quota = m_grow(m->quota, m->nquota, sizeof(*m->quota));
		q = &m->quota[m->nquota++];
		q->id = id;
		q->state = VZDQ_STARTING;
		q->seq = ++m->seq;
		q->st = s;
		q->info = inf;
		return 0;
	case VZ_DQ_DESTROY:
		/* vzquota_destroy → __vzquota_destroy */
		q = q_find(m, id);
		if (!q)
			return -ENOENT;
		if (q->state == VZDQ_WORKING)
			return -EBUSY;
		free(q->ugid);
		*q = m->quota[--m->nquota];
		return 0;
	case VZ_DQ_ON:
		/* vzquota_on: lookup, state, path; the tree is never busy in the model */
		q = q_find(m, id);
		if (!q)
			return -ENOENT;
		if (q->state != VZDQ_STARTING)
			return -EBUSY;
		r = lookup_dir(c, mem, ve_root, real, sizeof(q->path));
		if (r < 0)
			return r;
		busy_buffer(mem, qstat);
		snprintf(q->path, sizeof(q->path), "%s", real);
		q->state = VZDQ_WORKING;
		return 0;
	case VZ_DQ_ON_FILE:
		/* vzquota_on_file: no .vzdq.<id> file exists in the model's world */
		if (id == 0)
			return -EINVAL;
		r = lookup_dir(c, mem, ve_root, real, sizeof(real));
		return r < 0 ? r : -ENOENT;
	case VZ_DQ_OFF_FORCED:
	case VZ_DQ_OFF:
		/* vzquota_off → __vzquota_off */
		q = q_find(m, id);
		if (!q)
			return -ENOENT;
		if (q->state != VZDQ_WORKING)
			return -EALREADY;
		busy_buffer(mem, ve_root);
		q->state = VZDQ_STOPING;
		return 0;
	case VZ_DQ_OFF_FILE:
		q = q_find(m, id);
		if (!q)
			return -ENOENT;
		return -EINVAL; /* not in file mode */
	case VZ_DQ_SETLIMIT:
		/* vzquota_setlimit: lookup before the copy; vzquota_update_limit */
		q = q_find(m, id);
		if (!q)
			return -ENOENT;
		if (qstat_read(mem, qstat, c->compat32, &s, &inf) < 0)
			return -EFAULT;
		if (!sane_limits(&s))
			return -EINVAL;
		q->st.bsoftlimit = s.bsoftlimit;
		q->st.bhardlimit = s.bhardlimit;
		if (s.btime != 0 && q->st.bcurrent >= q->st.bsoftlimit)
			q->st.btime = s.btime;
		q->st.isoftlimit = s.isoftlimit;
		q->st.ihardlimit = s.ihardlimit;
		if (s.itime != 0 && q->st.icurrent >= q->st.isoftlimit)
			q->st.itime = s.itime;
		q->info = inf;
		return 0;
	case VZ_DQ_GETSTAT:
		q = q_find(m, id);
		if (!q)
			return -ENOENT;
		n = dq_encode(b, c->compat32, &q->st);
		n += di_encode(b + n, c->compat32, &q->info);
		if (c->compat32)
			n = 64; /* sizeof(struct compat_vz_quota_stat), tail padding */
		return m_wr(mem, qstat, b, n) < 0 ? -EFAULT : 0;
	case VZ_DQ_STATUS:
		q = q_find(m, id);
		return q ? q->state : -ESRCH;
	default:
		return -EINVAL;
	}
}

static int ugid_cmp(const void *a, const void *b)
{
	const struct m_ugid *x = a, *y = b;

	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* vzdq_ugid.c: __vzquota_find_ugid — find, or create while below ugid_max and not FIXED */
static struct m_ugid *ugid_get(struct m_quota *q, unsigned int id, unsigned int type)
{
	int i;

	for (i = 0; i < q->nugid; i++)
		if (q->ugid[i].id == id && q->ugid[i].type == type)
			return &q->ugid[i];
	if ((unsigned int)q->nugid >= q->ugid_max || (q->flags & VZDQUG_FIXED_SET))
		return NULL;
	q->ugid = m_grow(q->ugid, q->nugid, sizeof(*q->ugid));
	q->ugid[q->nugid].id = id;
	q->ugid[q->nugid].type = type;
	q->nugid++;
	qsort(q->ugid, (size_t)q->nugid, sizeof(*q->ugid), ugid_cmp);
	for (i = 0; i < q->nugid; i++)
		if (q->ugid[i].id == id && q->ugid[i].type == type)
			return &q->ugid[i];
	return NULL;
}

/*
 * vzdq_ugid.c: vzquota_put_ugid — after ADDSTAT and SETLIMIT the record is dropped again
 * unless the set is fixed (VZDQUG_FIXED_SET), it has a limit (vzquota_fake_stat) or usage
 */
static void ugid_put(struct m_quota *q, struct m_ugid *g)
{
	if ((q->flags & VZDQUG_FIXED_SET) || g->st.bhardlimit || g->st.bsoftlimit ||
	    g->st.ihardlimit || g->st.isoftlimit || g->st.bcurrent || g->st.icurrent)
		return;
	memmove(g, g + 1, (size_t)(q->ugid + q->nugid - (g + 1)) * sizeof(*g));
	q->nugid--;
}

/* vzdq_ugid.c: do_vzquotaugidctl */
static long ugidctl(struct emu_model *m, const struct emu_caller *c, const struct emu_mem *mem,
		    int cmd, unsigned int id, unsigned int index, unsigned int size, uint64_t addr,
		    struct emu_effect *eff)
{
	bool cp = c->compat32;
	size_t isz = cp ? 56 : 64, dsz = cp ? 12 : 24;
	struct m_quota *q;
	uint8_t b[96];
	unsigned int i, t;
	long r;

	if (!m_cap(c, M_CAP_SYS_RESOURCE) || !m_cap(c, M_CAP_SYS_ADMIN))
		return -EPERM;
	switch (cmd) {
	case VZ_DQ_UGID_GETSTAT: {
		/* quota_ugid_getstat: int checks, vmalloc(size * 64) — size 0 gives ENOMEM */
		int idx, k;

		if ((int)index < 0 || (int)size < 0)
			return -EINVAL;
		if (size > INT_MAX / 64)
			return -EINVAL;
		if (size == 0)
			return -ENOMEM;
		q = q_find(m, id);
		if (!q)
			return -ENOENT;
		r = 0;
		for (idx = (int)index, k = 0; idx < q->nugid && (unsigned int)k < size;
		     idx++, k++) {
			memset(b, 0, sizeof(b));
			m_put32(b, 0, q->ugid[idx].id);
			m_put32(b, 4, q->ugid[idx].type);
			dq_encode(b + 8, cp, &q->ugid[idx].st);
			if (m_wr(mem, addr + (uint64_t)k * isz, b, isz) < 0)
				r = -EFAULT;
		}
		return r < 0 ? r : k;
	}
	case VZ_DQ_UGID_ADDSTAT:
		/* quota_ugid_addstat: stops silently at a fault, a bad type or the limit */
		q = q_find(m, id);
		if (!q)
			return -ENOENT;
		if (q->state != VZDQ_STARTING)
			return -EBUSY;
		for (i = 0; i < size; i++) {
			struct m_dqstat s;
			struct m_ugid *g;

			if (m_rd(mem, addr + (uint64_t)i * isz, b, isz) < 0)
				break;
			if (m_u32(b, 4) >= MAXQUOTAS)
				break;
			dq_decode(b + 8, cp, &s);
			g = ugid_get(q, m_u32(b, 0), m_u32(b, 4));
			if (!g) {
				q->flags |= VZDQUG_FIXED_SET;
				break;
			}
			g->st = s;
			ugid_put(q, g);
		}
		return (long)i;
	case VZ_DQ_UGID_GETGRACE:
		q = q_find(m, id);
		if (!q)
			return -ENOENT;
		memset(b, 0, sizeof(b));
		for (t = 0; t < 2; t++)
			di_encode(b + t * dsz, cp, &q->ugid_info[t]);
		return m_wr(mem, addr, b, 2 * dsz) < 0 ? -EFAULT : 0;
	case VZ_DQ_UGID_SETGRACE:
		q = q_find(m, id);
		if (!q)
			return -ENOENT;
		if (q->state != VZDQ_STARTING)
			return -EBUSY;
		if (m_rd(mem, addr, b, 2 * dsz) < 0)
			return -EFAULT;
		for (t = 0; t < 2; t++) {
			struct m_dqinfo inf;

			di_decode(b + t * dsz, cp, &inf);
			q->ugid_info[t].bexpire = inf.bexpire;
			q->ugid_info[t].iexpire = inf.iexpire;
		}
		return 0;
	case VZ_DQ_UGID_GETCONFIG:
		q = q_find(m, id);
		if (!q)
			return -ENOENT;
		m_put32(b, 0, q->ugid_max);
		m_put32(b, 4, (uint32_t)q->nugid);
		m_put32(b, 8, q->flags & ~VZDQF_USER_MASK); /* not file mode */
		return m_wr(mem, addr, b, 12) < 0 ? -EFAULT : 0;
	case VZ_DQ_UGID_SETCONFIG:
		/* quota_ugid_setconfig: the limit is stored before the flag checks */
		q = q_find(m, id);
		if (!q)
			return -ENOENT;
		if (m_rd(mem, addr, b, 12) < 0)
			return -EFAULT;
		q->ugid_max = m_u32(b, 0);
		if (q->state == VZDQ_STARTING) {
			if (m_u32(b, 8) & VZDQF_USER_MASK)
				return -EINVAL;
			q->flags = m_u32(b, 8);
			if (q->flags & VZDQUG_ON)
				q->flags |= VZDQ_USRQUOTA | VZDQ_GRPQUOTA;
		}
		return 0;
	case VZ_DQ_UGID_SETLIMIT: {
		/* quota_ugid_setlimit → __vz_set_dqblk; 80 bytes read whatever the caller */
		struct m_ugid *g;
		uint32_t valid;

		q = q_find(m, id);
		if (!q)
			return -ESRCH;
		if (m_rd(mem, addr, b, 80) < 0)
			return -EFAULT;
		t = m_u32(b, 0);
		if (t >= MAXQUOTAS) {
			eff->kind = EMU_EFFECT_KILL_CALLER;
			eff->why = "kernel memory corruption: VZ_DQ_UGID_SETLIMIT with a type "
				   "other than USRQUOTA/GRPQUOTA (vzdq_ugid.c: __vz_set_dqblk)";
			return -EFAULT;
		}
		g = ugid_get(q, m_u32(b, 4), t);
		if (!g)
			return -ESRCH;
		valid = m_u32(b, 8 + 64);
		if (valid & QIF_BLIMITS) {
			g->st.bhardlimit = m_u64(b, 8) << 10;
			g->st.bsoftlimit = m_u64(b, 16) << 10;
			if (m_u64(b, 16) == 0 || g->st.bcurrent < g->st.bsoftlimit)
				g->st.btime = 0;
			else if (!(valid & QIF_BTIME))
				g->st.btime = (int64_t)time(NULL) + q->ugid_info[t].bexpire;
			else
				g->st.btime = (int64_t)m_u64(b, 8 + 48);
		}
		if (valid & QIF_ILIMITS) {
			g->st.ihardlimit = (uint32_t)m_u64(b, 8 + 24);
			g->st.isoftlimit = (uint32_t)m_u64(b, 8 + 32);
			if (m_u64(b, 8 + 32) == 0 || g->st.icurrent < g->st.isoftlimit)
				g->st.itime = 0;
			else if (!(valid & QIF_ITIME))
				g->st.itime = (int64_t)time(NULL) + q->ugid_info[t].iexpire;
			else
				g->st.itime = (int64_t)m_u64(b, 8 + 56);
		}
		ugid_put(q, g);
		return 0;
	}
	case VZ_DQ_UGID_SETINFO: {
		/* quota_ugid_setinfo → __vz_set_dqinfo; 32 bytes, dqi at offset 8 */
		uint32_t valid;

		q = q_find(m, id);
		if (!q)
			return -ESRCH;
		if (m_rd(mem, addr, b, 32) < 0)
			return -EFAULT;
		t = m_u32(b, 0);
		valid = m_u32(b, 8 + 20);
		if ((valid & IIF_FLAGS) && (m_u32(b, 8 + 16) & DQF_MASK))
			return -EINVAL;
		if (t >= MAXQUOTAS) {
			eff->kind = EMU_EFFECT_KILL_CALLER;
			eff->why = "kernel memory corruption: VZ_DQ_UGID_SETINFO with a type "
				   "other than USRQUOTA/GRPQUOTA (vzdq_ugid.c: __vz_set_dqinfo)";
			return -EFAULT;
		}
		if (valid & IIF_BGRACE)
			q->ugid_info[t].bexpire = (int64_t)m_u64(b, 8);
		if (valid & IIF_IGRACE)
			q->ugid_info[t].iexpire = (int64_t)m_u64(b, 16);
		return 0;
	}
	default:
		return -EINVAL;
	}
}

/* The trace of VZCTL_QUOTA_NEW_CTL: the limits or the path the command reads */
static void trace_quotactl(const struct emu_mem *mem, bool compat, int cmd, unsigned int id,
			   uint64_t qstat, uint64_t ve_root, char *tr, size_t trl)
{
	struct kcall kc = { .kind = KCALL_QUOTA_CTL, .id = id };
	char path[PATH_MAX];
	struct m_dqstat s;
	struct m_dqinfo inf;

	if (!tr || !trl)
		return;
	kc.u.quota.cmd = cmd;
	if (kcall_quota_reads_qstat(cmd) && qstat) {
		kc.u.quota.has_qstat = true;
		kc.unreadable = qstat_read(mem, qstat, compat, &s, &inf) < 0;
		if (!kc.unreadable) {
			kc.u.quota.bhardlimit = s.bhardlimit;
			kc.u.quota.bsoftlimit = s.bsoftlimit;
			kc.u.quota.bcurrent = s.bcurrent;
			kc.u.quota.ihardlimit = s.ihardlimit;
			kc.u.quota.isoftlimit = s.isoftlimit;
			kc.u.quota.icurrent = s.icurrent;
			kc.u.quota.bexpire = inf.bexpire;
			kc.u.quota.iexpire = inf.iexpire;
		}
	}
	if (kcall_quota_reads_ve_root(cmd) && ve_root) {
		int r = m_read_path(mem, ve_root, path, sizeof(path));

		kc.unreadable = r < 0 && r != -ENOENT; /* "" is read, and refused */
		kc.u.quota.ve_root = path;
	}
	m_trace_call(tr, trl, &kc);
}

/* The trace of VZCTL_QUOTA_UGID_CTL: what the command reads from addr, decoded */
static void trace_ugidctl(const struct emu_mem *mem, bool compat, const uint8_t *s, uint64_t addr,
			  char *tr, size_t trl)
{
	struct kcall kc = { .kind = KCALL_QUOTA_UGID_CTL, .id = m_u32(s, 4) };
	size_t isz = compat ? 56 : 64, dsz = compat ? 12 : 24;
	uint8_t b[96];
	struct m_dqstat st;
	struct m_dqinfo inf;
	int cmd = (int)m_u32(s, 0);

	if (!tr || !trl)
		return;
	kc.u.ugid.cmd = cmd;
	kc.u.ugid.index = m_u32(s, 8);
	kc.u.ugid.size = m_u32(s, 12);
	switch (cmd) {
	case VZ_DQ_UGID_SETCONFIG:
		kc.unreadable = m_rd(mem, addr, b, 12) < 0;
		kc.u.ugid.limit = m_u32(b, 0);
		kc.u.ugid.count = m_u32(b, 4);
		kc.u.ugid.flags = m_u32(b, 8);
		break;
	case VZ_DQ_UGID_SETGRACE:
		kc.unreadable = m_rd(mem, addr, b, 2 * dsz) < 0;
		for (int t = 0; t < 2 && !kc.unreadable; t++) {
			di_decode(b + (size_t)t * dsz, compat, &inf);
			kc.u.ugid.bexpire[t] = inf.bexpire;
			kc.u.ugid.iexpire[t] = inf.iexpire;
		}
		break;
	case VZ_DQ_UGID_SETLIMIT:
		kc.unreadable = m_rd(mem, addr, b, 80) < 0;
		kc.u.ugid.rec[0].type = m_u32(b, 0);
		kc.u.ugid.rec[0].id = m_u32(b, 4);
		kc.u.ugid.rec[0].bhardlimit = m_u64(b, 8);
		kc.u.ugid.rec[0].bsoftlimit = m_u64(b, 16);
		kc.u.ugid.rec[0].ihardlimit = m_u64(b, 8 + 24);
		kc.u.ugid.rec[0].isoftlimit = m_u64(b, 8 + 32);
		kc.u.ugid.valid = m_u32(b, 8 + 64);
		break;
	case VZ_DQ_UGID_SETINFO:
		kc.unreadable = m_rd(mem, addr, b, 32) < 0;
		kc.u.ugid.rec[0].type = m_u32(b, 0);
		kc.u.ugid.bexpire[0] = (int64_t)m_u64(b, 8);
		kc.u.ugid.iexpire[0] = (int64_t)m_u64(b, 16);
		kc.u.ugid.valid = m_u32(b, 8 + 20);
		break;
	case VZ_DQ_UGID_ADDSTAT:
		for (unsigned int i = 0; i < kc.u.ugid.size && i < KCALL_UGID_RECORDS; i++) {
			struct kcall_ugid_rec *r = &kc.u.ugid.rec[i];

			if (m_rd(mem, addr + (uint64_t)i * isz, b, isz) < 0)
				break; /* the kernel stops there too */
			dq_decode(b + 8, compat, &st);
			r->type = m_u32(b, 4);
			r->id = m_u32(b, 0);
			r->bcurrent = st.bcurrent;
			r->bsoftlimit = st.bsoftlimit;
			r->bhardlimit = st.bhardlimit;
			r->icurrent = st.icurrent;
			r->isoftlimit = st.isoftlimit;
			r->ihardlimit = st.ihardlimit;
			kc.u.ugid.nrec = i + 1;
		}
		break;
	}
	m_trace_call(tr, trl, &kc);
}

/* fs/quota/vzdquota/vzdquot.c: vzquota_ioctl / compat_vzquota_ioctl */
long quota_ioctl(struct emu_model *m, const struct emu_caller *c, const struct emu_mem *mem,
		 unsigned long req, uint64_t arg, struct emu_effect *eff, char *tr, size_t trl)
{
	uint8_t s[24];
	bool cp = c->compat32;

	if ((!cp && req == VZCTL_QUOTA_NEW_CTL) || (cp && req == VZCTL_COMPAT_QUOTA_CTL)) {
		if (m_rd(mem, arg, s, cp ? 16 : 24) < 0)
			return -EFAULT;
		trace_quotactl(mem, cp, (int)m_u32(s, 0), m_u32(s, 4),
			       cp ? m_u32(s, 8) : m_u64(s, 8), cp ? m_u32(s, 12) : m_u64(s, 16), tr,
			       trl);
		return quotactl(m, c, mem, (int)m_u32(s, 0), m_u32(s, 4),
				cp ? m_u32(s, 8) : m_u64(s, 8), cp ? m_u32(s, 12) : m_u64(s, 16));
	}
	if ((!cp && req == VZCTL_QUOTA_UGID_CTL) || (cp && req == VZCTL_COMPAT_QUOTA_UGID_CTL)) {
		if (m_rd(mem, arg, s, cp ? 20 : 24) < 0)
			return -EFAULT;
		trace_ugidctl(mem, cp, s, cp ? m_u32(s, 16) : m_u64(s, 16), tr, trl);
		return ugidctl(m, c, mem, (int)m_u32(s, 0), m_u32(s, 4), m_u32(s, 8), m_u32(s, 12),
			       cp ? m_u32(s, 16) : m_u64(s, 16), eff);
	}
	/* native default → ENOTTY; compat default → ENOIOCTLCMD → EINVAL (fs/compat_ioctl.c) */
	return cp ? -EINVAL : -ENOTTY;
}

void quota_free_all(struct emu_model *m)
{
	int i;

	for (i = 0; i < m->nquota; i++)
		free(m->quota[i].ugid);
}
