/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vzemu model: the state file. A versioned text file, one record per line, written to
 * state.tmp and renamed over state (called with the state_dir/lock flock held). When it is
 * read and written again is model-lock.c's business.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model-internal.h"

#define STATE_MAGIC "vzemu-model-state 1"

static void put_hex(FILE *f, const char *s)
{
	if (!*s) {
		fputs(" -", f);
		return;
	}
	fputc(' ', f);
	for (; *s; s++)
		fprintf(f, "%02x", (unsigned char)*s);
}

static void get_hex(const char *in, char *out, size_t len)
{
	size_t n = 0;
	unsigned int b;

	if (strcmp(in, "-") == 0) {
		out[0] = 0;
		return;
	}
	while (in[0] && in[1] && n + 1 < len && sscanf(in, "%2x", &b) == 1) {
		out[n++] = (char)b;
		in += 2;
	}
	out[n] = 0;
}

void state_clear(struct emu_model *m)
{
	int i;

	for (i = 0; i < m->nquota; i++)
		free(m->quota[i].ugid);
	free(m->ve);
	free(m->bc);
	free(m->node);
	free(m->ip);
	free(m->quota);
	free(m->luid);
	m->ve = NULL;
	m->bc = NULL;
	m->node = NULL;
	m->ip = NULL;
	m->quota = NULL;
	m->luid = NULL;
	m->nve = m->nbc = m->nnode = m->nip = m->nquota = m->nluid = 0;
	m->seq = 0;
}

static void fresh(struct emu_model *m)
{
	struct m_node *n;

	state_clear(m);
	/* boot state: bc 0 exists, fairsched node "0" (the host) exists */
	bc_get(m, 0);
	n = node_new(m, 0);
	(void)n;
	/* kernel/bc/statd.c: ubstatd_init — timer at TIME_MAX, times 0 */
	m->ubs_start = m->ubs_end = 0;
	m->ubs_expires = INT64_MAX;
	m->ubs_min_interval = INT64_MAX;
	m->epoch_s = m_now_s();
}

/* " <decimal>" at o; returns the end */
static char *put_dec(char *o, uint64_t v)
{
	char d[20];
	int n = 0;

	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	*o++ = ' ';
	while (n)
		*o++ = d[--n];
	return o;
}

/*
 * "<tag> <id> <r> <barrier> <limit> <held> <maxheld> <minheld> <failcnt>": 25 lines per bc,
 * 2500 with 100 VEs, most of the file: formatted and parsed by hand (fprintf and sscanf
 * made a state write or reload cost milliseconds, on the path of every VE start and stop).
 */
static void put_parm(FILE *f, const char *tag, unsigned int id, int r, const struct m_ubparm *p)
{
	char line[200], *o = line;

	memcpy(o, tag, 3);
	o = put_dec(o + 3, id);
	o = put_dec(o, (uint64_t)r);
	o = put_dec(o, p->barrier);
	o = put_dec(o, p->limit);
	o = put_dec(o, p->held);
	o = put_dec(o, p->maxheld);
	o = put_dec(o, p->minheld);
	o = put_dec(o, p->failcnt);
	*o++ = '\n';
	fwrite(line, 1, (size_t)(o - line), f);
}

/* " <decimal>" of at most 20 digits that fits in 64 bits; NULL if `p` is not that */
static const char *get_dec(const char *p, uint64_t *v)
{
	const char *start;
	uint64_t x = 0;

	if (*p++ != ' ')
		return NULL;
	for (start = p; *p >= '0' && *p <= '9'; p++) {
		unsigned int dgt = (unsigned int)(*p - '0');

		if (p - start >= 20 || x > (UINT64_MAX - dgt) / 10)
			return NULL;
		x = x * 10 + dgt;
	}
	*v = x;
	return p == start ? NULL : p;
}

/* A bcp/bcs line as put_parm writes it: 1, or 0 to let the general parser judge it */
static int get_parm(struct emu_model *m, const char *line)
{
	struct m_bc *last;
	uint64_t v[8];
	const char *p = line + 3;
	struct m_ubparm *up;
	int i;

	for (i = 0; i < 8 && p; i++)
		p = get_dec(p, &v[i]);
	if (!p || *p != '\n' || v[0] > UINT32_MAX || v[1] >= M_NR_UB)
		return 0;
	/* state_save writes them right after their bc line */
	last = m->nbc && m->bc[m->nbc - 1].id == v[0] ? &m->bc[m->nbc - 1]
						      : bc_find(m, (unsigned int)v[0]);
	if (!last)
		return 0;
	up = line[2] == 'p' ? &last->p[v[1]] : &last->store[v[1]];
	*up = (struct m_ubparm){ v[2], v[3], v[4], v[5], v[6], v[7] };
	return 1;
}

static void put_dq(FILE *f, const struct m_dqstat *s)
{
	fprintf(f, " %llu %llu %llu %lld %u %u %u %lld", (unsigned long long)s->bhardlimit,
		(unsigned long long)s->bsoftlimit, (unsigned long long)s->bcurrent,
		(long long)s->btime, s->ihardlimit, s->isoftlimit, s->icurrent,
		(long long)s->itime);
}

static int get_dq(const char *p, struct m_dqstat *s, int *used)
{
	unsigned long long a, b, c;
	long long d, h;
	unsigned int e, f, g;
	int n = 0;

	if (sscanf(p, " %llu %llu %llu %lld %u %u %u %lld%n", &a, &b, &c, &d, &e, &f, &g, &h, &n) !=
	    8)
		return -1;
	s->bhardlimit = a;
	s->bsoftlimit = b;
	s->bcurrent = c;
	s->btime = d;
	s->ihardlimit = e;
	s->isoftlimit = f;
	s->icurrent = g;
	s->itime = h;
	*used = n;
	return 0;
}

static void fileid_of(const struct stat *st, struct m_fileid *id);

int state_save(struct emu_model *m)
{
	char path[4096], tmp[4096];
	struct stat st;
	FILE *f;
	int i, j, r;

	snprintf(path, sizeof(path), "%s/state", m->state_dir);
	snprintf(tmp, sizeof(tmp), "%s/state.tmp", m->state_dir);
	f = fopen(tmp, "we");
	if (!f)
		return -errno;
	fprintf(f, "%s\n", STATE_MAGIC);
	fprintf(f, "seq %llu\n", (unsigned long long)m->seq);
	fprintf(f, "ubstat %lld %lld %lld %lld %llu\n", (long long)m->ubs_start,
		(long long)m->ubs_end, (long long)m->ubs_expires, (long long)m->ubs_min_interval,
		(unsigned long long)m->epoch_s);
	for (i = 0; i < m->nve; i++) {
		const struct m_ve *v = &m->ve[i];

		fprintf(f, "ve %u %u %d %d %llu %d %llu %d %llu %llu %llu %llu %llu %llu", v->veid,
			v->class_id, v->state, (int)v->init_pid, (unsigned long long)v->init_start,
			(int)v->owner_pid, (unsigned long long)v->owner_start, v->locked,
			(unsigned long long)v->features, (unsigned long long)v->ipt_mask,
			(unsigned long long)v->cap_bset, (unsigned long long)v->meminfo,
			(unsigned long long)v->seq, (unsigned long long)v->start_ns);
		put_hex(f, v->osrelease);
		fputc('\n', f);
		for (j = 0; j < v->nrules; j++)
			fprintf(f, "rule %u %u %u %u %u\n", v->veid, v->rules[j].type,
				v->rules[j].major, v->rules[j].minor, v->rules[j].access);
		for (j = 0; j < v->next; j++)
			fprintf(f, "ext %u %d %08x %08x %08x %08x\n", v->veid, v->ext[j].family,
				v->ext[j].key[0], v->ext[j].key[1], v->ext[j].key[2],
				v->ext[j].key[3]);
		if (v->reboot)
			fprintf(f, "vereboot %u\n", v->veid);
		for (j = 0; j < v->nveth; j++) { /* model-veth.c; names hold no blank */
			const struct m_veth *e = &v->veth[j];
			fprintf(f,
				"veth %u %llu %s %s %02x%02x%02x%02x%02x%02x "
				"%02x%02x%02x%02x%02x%02x %u\n",
				v->veid, (unsigned long long)e->seq, e->host, e->ve, e->mac[0],
				e->mac[1], e->mac[2], e->mac[3], e->mac[4], e->mac[5], e->mac_ve[0],
				e->mac_ve[1], e->mac_ve[2], e->mac_ve[3], e->mac_ve[4],
				e->mac_ve[5], e->allow_mac_change);
		}
		for (j = 0; j < v->nmember; j++) /* model-ve.c: ve_add_member */
			fprintf(f, "member %u %d %llu\n", v->veid, (int)v->member[j].pid,
				(unsigned long long)v->member[j].start);
	}
	for (i = 0; i < m->nbc; i++) {
		const struct m_bc *b = &m->bc[i];

		fprintf(f, "bc %u %llu %d %d %d %u %u %u %d %u %u %u\n", b->id,
			(unsigned long long)b->seq, b->has_store, b->ioprio, b->io.set, b->io.speed,
			b->io.burst, b->io.latency, b->iops.set, b->iops.speed, b->iops.burst,
			b->iops.latency);
		for (j = 0; j < M_NR_UB; j++)
			put_parm(f, "bcp", b->id, j, &b->p[j]);
		if (b->has_store)
			for (j = 0; j < M_NR_UB; j++)
				put_parm(f, "bcs", b->id, j, &b->store[j]);
	}
	for (i = 0; i < m->nnode; i++) {
		const struct m_node *n = &m->node[i];

		fprintf(f, "node %u %llu %lu %lu %u %d %llu %d %llu %d", n->id,
			(unsigned long long)n->seq, n->shares, n->rate, n->nr_cpus, n->has_cpumask,
			(unsigned long long)n->cpumask, n->has_nodemask,
			(unsigned long long)n->nodemask, n->nmvpr);
		for (j = 0; j < n->nmvpr; j++)
			fprintf(f, " %d", (int)n->mvpr[j]);
		fputc('\n', f);
	}
	for (i = 0; i < m->nip; i++)
		fprintf(f, "ip %u %llu %d %08x %08x %08x %08x\n", m->ip[i].veid,
			(unsigned long long)m->ip[i].seq, m->ip[i].a.family, m->ip[i].a.key[0],
			m->ip[i].a.key[1], m->ip[i].a.key[2], m->ip[i].a.key[3]);
	for (i = 0; i < m->nquota; i++) {
		const struct m_quota *q = &m->quota[i];

		fprintf(f, "quota %u %d %llu %u %u", q->id, q->state, (unsigned long long)q->seq,
			q->ugid_max, q->flags);
		put_dq(f, &q->st);
		fprintf(f, " %lld %lld %u", (long long)q->info.bexpire, (long long)q->info.iexpire,
			q->info.flags);
		for (j = 0; j < 2; j++)
			fprintf(f, " %lld %lld %u", (long long)q->ugid_info[j].bexpire,
				(long long)q->ugid_info[j].iexpire, q->ugid_info[j].flags);
		put_hex(f, q->path);
		fputc('\n', f);
		for (j = 0; j < q->nugid; j++) {
			fprintf(f, "ugid %u %u %u", q->id, q->ugid[j].id, q->ugid[j].type);
			put_dq(f, &q->ugid[j].st);
			fputc('\n', f);
		}
	}
	for (i = 0; i < m->nluid; i++)
		fprintf(f, "luid %d %llu %u\n", (int)m->luid[i].pid,
			(unsigned long long)m->luid[i].start, m->luid[i].id);
	/*
	 * No fsync: this is test state, and a crash of the machine may lose it. What matters
	 * is that a reader never sees a half-written file, and the rename gives that.
	 */
	if (fflush(f) != 0 || ferror(f) || fstat(fileno(f), &st) < 0) {
		fclose(f);
		unlink(tmp);
		return -EIO;
	}
	fclose(f);
	if (rename(tmp, path) < 0) {
		r = -errno;
		unlink(tmp);
		return r;
	}
	fileid_of(&st, &m->fid); /* close and rename leave size, inode and mtime alone */
	return 0;
}

static void fileid_of(const struct stat *st, struct m_fileid *id)
{
	id->exists = true;
	id->dev = st->st_dev;
	id->ino = st->st_ino;
	id->size = st->st_size;
	id->mtime_s = st->st_mtim.tv_sec;
	id->mtime_ns = st->st_mtim.tv_nsec;
}

/* The identity of the state file `path`: 0 (maybe !exists) or -errno */
int state_fileid(const char *path, struct m_fileid *id)
{
	struct stat st;

	memset(id, 0, sizeof(*id));
	if (stat(path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	fileid_of(&st, id);
	return 0;
}

static struct m_quota *last_quota(struct emu_model *m, unsigned int id)
{
	int i;

	for (i = 0; i < m->nquota; i++)
		if (m->quota[i].id == id)
			return &m->quota[i];
	return NULL;
}

static int parse_line(struct emu_model *m, char *line)
{
	char tag[16], hex[8300];
	unsigned long long a[14];
	unsigned int u[12];
	int d[6], n = 0, j;

	if ((!strncmp(line, "bcp ", 4) || !strncmp(line, "bcs ", 4)) && get_parm(m, line))
		return 0;
	if (sscanf(line, "%15s%n", tag, &n) != 1)
		return 0;
	line += n;
	if (!strcmp(tag, "seq")) {
		if (sscanf(line, "%llu", &a[0]) != 1)
			return -1;
		m->seq = a[0];
	} else if (!strcmp(tag, "ubstat")) {
		long long s1, s2, s3, s4;
		if (sscanf(line, "%lld %lld %lld %lld %llu", &s1, &s2, &s3, &s4, &a[0]) != 5)
			return -1;
		m->ubs_start = s1;
		m->ubs_end = s2;
		m->ubs_expires = s3;
		m->ubs_min_interval = s4;
		m->epoch_s = a[0];
	} else if (!strcmp(tag, "ve")) {
		struct m_ve *v;
		if (sscanf(line, "%u %u %d %d %llu %d %llu %d %llu %llu %llu %llu %llu %llu %8299s",
			   &u[0], &u[1], &d[0], &d[1], &a[0], &d[2], &a[1], &d[3], &a[2], &a[3],
			   &a[4], &a[5], &a[6], &a[7], hex) != 15)
			return -1;
		m->ve = m_grow(m->ve, m->nve, sizeof(*m->ve));
		v = &m->ve[m->nve++];
		v->veid = u[0];
		v->class_id = u[1];
		v->state = d[0];
		v->init_pid = d[1];
		v->init_start = a[0];
		v->owner_pid = d[2];
		v->owner_start = a[1];
		v->locked = d[3];
		v->features = a[2];
		v->ipt_mask = a[3];
		v->cap_bset = a[4];
		v->meminfo = a[5];
		v->seq = a[6];
		v->start_ns = a[7];
		get_hex(hex, v->osrelease, sizeof(v->osrelease));
	} else if (!strcmp(tag, "rule")) {
		struct m_ve *v;
		if (sscanf(line, "%u %u %u %u %u", &u[0], &u[1], &u[2], &u[3], &u[4]) != 5)
			return -1;
		v = ve_find(m, u[0]);
		if (!v || v->nrules >= M_MAX_RULES)
			return -1;
		v->rules[v->nrules++] = (struct m_devperm){ u[1], u[2], u[3], u[4] };
	} else if (!strcmp(tag, "ext")) {
		struct m_ve *v;
		if (sscanf(line, "%u %d %x %x %x %x", &u[0], &d[0], &u[1], &u[2], &u[3], &u[4]) !=
		    6)
			return -1;
		v = ve_find(m, u[0]);
		if (!v || v->next >= M_MAX_EXT)
			return -1;
		v->ext[v->next++] = (struct m_addr){ d[0], { u[1], u[2], u[3], u[4] } };
	} else if (!strcmp(tag, "veth")) {
		struct m_veth e;
		unsigned long long seq;
		unsigned int mac[12], allow;
		struct m_ve *v;
		memset(&e, 0, sizeof(e));
		if (sscanf(line, "%u %llu %15s %15s %2x%2x%2x%2x%2x%2x %2x%2x%2x%2x%2x%2x %u",
			   &u[0], &seq, e.host, e.ve, &mac[0], &mac[1], &mac[2], &mac[3], &mac[4],
			   &mac[5], &mac[6], &mac[7], &mac[8], &mac[9], &mac[10], &mac[11],
			   &allow) != 17)
			return -1;
		v = ve_find(m, u[0]);
		if (!v || v->nveth >= M_MAX_VETH)
			return -1;
		e.seq = seq;
		for (int k = 0; k < 6; k++) {
			e.mac[k] = (uint8_t)mac[k];
			e.mac_ve[k] = (uint8_t)mac[6 + k];
		}
		e.allow_mac_change = allow != 0;
		v->veth[v->nveth++] = e;
	} else if (!strcmp(tag, "vereboot")) {
		struct m_ve *v;
		if (sscanf(line, "%u", &u[0]) != 1 || !(v = ve_find(m, u[0])))
			return -1;
		v->reboot = true;
	} else if (!strcmp(tag, "member")) {
		struct m_ve *v;
		if (sscanf(line, "%u %d %llu", &u[0], &d[0], &a[0]) != 3)
			return -1;
		v = ve_find(m, u[0]);
		if (!v || v->nmember >= M_MAX_MEMBERS)
			return -1;
		v->member[v->nmember++] = (struct m_member){ d[0], a[0] };
	} else if (!strcmp(tag, "bc")) {
		struct m_bc *b;
		if (sscanf(line, "%u %llu %d %d %d %u %u %u %d %u %u %u", &u[0], &a[0], &d[0],
			   &d[1], &d[2], &u[1], &u[2], &u[3], &d[3], &u[4], &u[5], &u[6]) != 12)
			return -1;
		m->bc = m_grow(m->bc, m->nbc, sizeof(*m->bc));
		b = &m->bc[m->nbc++];
		b->id = u[0];
		b->seq = a[0];
		b->has_store = d[0];
		b->ioprio = d[1];
		b->io = (struct m_iolim){ d[2], u[1], u[2], u[3] };
		b->iops = (struct m_iolim){ d[3], u[4], u[5], u[6] };
	} else if (!strcmp(tag, "bcp") || !strcmp(tag, "bcs")) {
		struct m_bc *b;
		struct m_ubparm *p;
		if (sscanf(line, "%u %d %llu %llu %llu %llu %llu %llu", &u[0], &d[0], &a[0], &a[1],
			   &a[2], &a[3], &a[4], &a[5]) != 8 ||
		    d[0] < 0 || d[0] >= M_NR_UB)
			return -1;
		b = bc_find(m, u[0]);
		if (!b)
			return -1;
		p = tag[2] == 'p' ? &b->p[d[0]] : &b->store[d[0]];
		*p = (struct m_ubparm){ a[0], a[1], a[2], a[3], a[4], a[5] };
	} else if (!strcmp(tag, "node")) {
		struct m_node *nd;
		unsigned long sh, rt;
		if (sscanf(line, "%u %llu %lu %lu %u %d %llu %d %llu %d%n", &u[0], &a[0], &sh, &rt,
			   &u[1], &d[0], &a[1], &d[1], &a[2], &d[2], &n) != 10)
			return -1;
		m->node = m_grow(m->node, m->nnode, sizeof(*m->node));
		nd = &m->node[m->nnode++];
		nd->id = u[0];
		nd->seq = a[0];
		nd->shares = sh;
		nd->rate = rt;
		nd->nr_cpus = u[1];
		nd->has_cpumask = d[0];
		nd->cpumask = a[1];
		nd->has_nodemask = d[1];
		nd->nodemask = a[2];
		line += n;
		for (j = 0; j < d[2] && j < M_MAX_MVPR; j++) {
			if (sscanf(line, " %d%n", &d[3], &n) != 1)
				return -1;
			nd->mvpr[nd->nmvpr++] = d[3];
			line += n;
		}
	} else if (!strcmp(tag, "ip")) {
		struct m_ip *ip;
		if (sscanf(line, "%u %llu %d %x %x %x %x", &u[0], &a[0], &d[0], &u[1], &u[2], &u[3],
			   &u[4]) != 7)
			return -1;
		m->ip = m_grow(m->ip, m->nip, sizeof(*m->ip));
		ip = &m->ip[m->nip++];
		*ip = (struct m_ip){ { d[0], { u[1], u[2], u[3], u[4] } }, u[0], a[0] };
	} else if (!strcmp(tag, "quota")) {
		struct m_quota *q;
		long long e[6];
		if (sscanf(line, "%u %d %llu %u %u%n", &u[0], &d[0], &a[0], &u[1], &u[2], &n) != 5)
			return -1;
		m->quota = m_grow(m->quota, m->nquota, sizeof(*m->quota));
		q = &m->quota[m->nquota++];
		q->id = u[0];
		q->state = d[0];
		q->seq = a[0];
		q->ugid_max = u[1];
		q->flags = u[2];
		line += n;
		if (get_dq(line, &q->st, &n) < 0)
			return -1;
		line += n;
		if (sscanf(line, " %lld %lld %u %lld %lld %u %lld %lld %u %8299s", &e[0], &e[1],
			   &u[3], &e[2], &e[3], &u[4], &e[4], &e[5], &u[5], hex) != 10)
			return -1;
		q->info = (struct m_dqinfo){ e[0], e[1], u[3] };
		q->ugid_info[0] = (struct m_dqinfo){ e[2], e[3], u[4] };
		q->ugid_info[1] = (struct m_dqinfo){ e[4], e[5], u[5] };
		get_hex(hex, q->path, sizeof(q->path));
	} else if (!strcmp(tag, "ugid")) {
		struct m_quota *q;
		struct m_ugid *g;
		if (sscanf(line, "%u %u %u%n", &u[0], &u[1], &u[2], &n) != 3)
			return -1;
		q = last_quota(m, u[0]);
		if (!q)
			return -1;
		q->ugid = m_grow(q->ugid, q->nugid, sizeof(*q->ugid));
		g = &q->ugid[q->nugid++];
		g->id = u[1];
		g->type = u[2];
		if (get_dq(line + n, &g->st, &n) < 0)
			return -1;
	} else if (!strcmp(tag, "luid")) {
		if (sscanf(line, "%d %llu %u", &d[0], &a[0], &u[0]) != 3)
			return -1;
		m->luid = m_grow(m->luid, m->nluid, sizeof(*m->luid));
		m->luid[m->nluid].pid = d[0];
		m->luid[m->nluid].start = a[0];
		m->luid[m->nluid].id = u[0];
		m->nluid++;
	} else {
		return -1;
	}
	return 0;
}

static char load_error[4608]; /* a path (4096) and the reason */

/* Why the last state_load failed, naming the file: for the user, who can then --reset */
const char *model_state_error(void)
{
	return load_error;
}

/* 0: loaded; 1: no state file, a fresh (boot) state; -errno (model_state_error says why) */
int state_load(struct emu_model *m)
{
	char path[4096], *line = NULL;
	size_t cap = 0;
	unsigned int lineno = 1;
	FILE *f;
	int r = 0;

	snprintf(path, sizeof(path), "%s/state", m->state_dir);
	f = fopen(path, "re");
	if (!f) {
		if (errno != ENOENT) {
			r = -errno;
			snprintf(load_error, sizeof(load_error), "state file %s: %s", path,
				 strerror(-r));
			return r;
		}
		fresh(m);
		return 1; /* a fresh state, never written */
	}
	state_clear(m);
	if (getline(&line, &cap, f) < 0 || strncmp(line, STATE_MAGIC, strlen(STATE_MAGIC)) != 0) {
		r = -EPROTO; /* unknown version: refuse rather than guess */
		snprintf(load_error, sizeof(load_error),
			 "state file %s: line 1 is not \"%s\" (not a vzemu state, or another "
			 "version)",
			 path, STATE_MAGIC);
		goto out;
	}
	while (getline(&line, &cap, f) > 0) {
		lineno++;
		if (parse_line(m, line) < 0) {
			r = -EPROTO;
			line[strcspn(line, "\n")] = 0;
			snprintf(load_error, sizeof(load_error),
				 "state file %s: line %u cannot be read: \"%.80s\"", path, lineno,
				 line);
			break;
		}
	}
out:
	free(line);
	fclose(f);
	return r;
}
