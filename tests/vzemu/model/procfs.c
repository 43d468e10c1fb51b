/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vzemu model: /proc files served from the model, byte for byte as the x86_64 kernel
 * prints them (BITS_PER_LONG 64 also for 32-bit readers, §13), with per-caller visibility.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model-internal.h"

struct sbuf {
	char *p;
	size_t len, cap;
};

/* room for `n` more bytes and a terminating NUL */
static char *reserve(struct sbuf *b, size_t n)
{
	if (b->cap - b->len < n + 1) {
		b->cap = b->cap ? b->cap : 16384;
		while (b->cap - b->len < n + 1)
			b->cap *= 2;
		b->p = realloc(b->p, b->cap);
		if (!b->p)
			abort();
	}
	return b->p + b->len;
}

static void __attribute__((format(printf, 2, 3))) put(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	reserve(b, 256);
	va_start(ap, fmt);
	n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (b->len + (size_t)n + 1 > b->cap) {
		reserve(b, (size_t)n);
		va_start(ap, fmt);
		vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

/*
 * The hot rows (/proc/user_beancounters: 24 per bc, 2400 lines for 100 VEs) are written by
 * hand instead of vsnprintf, which took half the time of an open: "%*s", "%-*s", "%*llu".
 */
static void put_str(struct sbuf *b, const char *s, int width, bool left)
{
	size_t l = strlen(s), pad = width > 0 && (size_t)width > l ? (size_t)width - l : 0;
	char *o = reserve(b, l + pad);

	if (!left) {
		memset(o, ' ', pad);
		o += pad;
	}
	memcpy(o, s, l);
	if (left)
		memset(o + l, ' ', pad);
	b->len += l + pad;
	b->p[b->len] = 0;
}

static void put_u64(struct sbuf *b, uint64_t v, int width)
{
	static const char pairs[] = "00010203040506070809101112131415161718192021222324252627282930"
				    "31323334353637383940414243444546474849505152535455565758596061"
				    "62636465666768697071727374757677787980818283848586878889909192"
				    "93949596979899";
	char d[20], *e = d + sizeof(d), *o = e;
	size_t n, pad;

	if (v == M_UB_MAXVALUE) { /* "unlimited": most barriers and limits */
		o -= 19;
		memcpy(o, "9223372036854775807", 19);
		v = 0;
	}
	while (v >= 100) { /* two digits per division, from the right */
		unsigned int r = (unsigned int)(v % 100);

		v /= 100;
		o -= 2;
		memcpy(o, pairs + 2 * r, 2);
	}
	if (v >= 10) {
		o -= 2;
		memcpy(o, pairs + 2 * v, 2);
	} else if (v || o == e) {
		*--o = (char)('0' + v);
	}
	n = (size_t)(e - o);
	pad = width > 0 && (size_t)width > n ? (size_t)width - n : 0;
	memset(reserve(b, pad + n), ' ', pad);
	memcpy(b->p + b->len + pad, o, n);
	b->len += pad + n;
	b->p[b->len] = 0;
}

static void put_char(struct sbuf *b, char c)
{
	*reserve(b, 1) = c;
	b->p[++b->len] = 0;
}

/* kernel/bc/beancounter.c: ub_rnames */
static const char *const ub_rnames[M_NR_UB] = {
	"kmemsize",     "lockedpages", "privvmpages",  "shmpages",     "dummy",
	"numproc",      "physpages",   "vmguarpages",  "oomguarpages", "numtcpsock",
	"numflock",     "numpty",      "numsiginfo",   "tcpsndbuf",    "tcprcvbuf",
	"othersockbuf", "dgramrcvbuf", "numothersock", "dcachesize",   "numfile",
	"dummy",        "dummy",       "dummy",        "numiptent",    "swappages",
};

#define UB_HEAD_FMT "%10s  %-12s %20s %20s %20s %20s %20s\n"

/* kernel/bc/proc.c: ub_show_res, "%10s  %-12s %20lu %20lu %20lu %20lu %20lu\n" */
static void ub_row(struct sbuf *b, const char *uid, int r, uint64_t held, uint64_t maxheld,
		   const struct m_ubparm *p)
{
	put_str(b, uid, 10, false);
	put_str(b, "  ", 0, false);
	put_str(b, ub_rnames[r], 12, true);
	put_char(b, ' ');
	put_u64(b, held, 20);
	put_char(b, ' ');
	put_u64(b, maxheld, 20);
	put_char(b, ' ');
	put_u64(b, p->barrier, 20);
	put_char(b, ' ');
	put_u64(b, p->limit, 20);
	put_char(b, ' ');
	put_u64(b, p->failcnt, 20);
	put_char(b, '\n');
}

/* kernel/bc/proc.c: ub_show_res (precharge is 0 in the model) */
static void ub_res(struct sbuf *b, const struct m_bc *bc, int r, bool show_uid)
{
	char uid[16] = "";

	if (show_uid && r == 0)
		snprintf(uid, sizeof(uid), "%u:", bc->id);
	ub_row(b, uid, r, bc->p[r].held, bc->p[r].maxheld, &bc->p[r]);
}

static bool is_dummy(int r)
{
	return !strcmp(ub_rnames[r], "dummy");
}

static int bc_newer_first(const void *a, const void *b)
{
	const struct m_bc *x = *(const struct m_bc *const *)a, *y = *(const struct m_bc *const *)b;
	uint64_t kx = x->id == 0 ? 0 : x->seq + 1, ky = y->id == 0 ? 0 : y->seq + 1;

	return kx < ky ? 1 : kx > ky ? -1 : 0;
}

/* the bcs the reader sees, newest first, bc 0 last (for_each_top_beancounter) */
static int bc_order(struct emu_model *m, const struct emu_caller *c, struct m_bc **out)
{
	unsigned int own = c->veid ? bc_exec_id(m, c) : 0;
	int n = 0, i;

	for (i = 0; i < m->nbc; i++)
		if (c->veid == 0 || m->bc[i].id == own)
			out[n++] = &m->bc[i];
	qsort(out, (size_t)n, sizeof(*out), bc_newer_first);
	return n;
}

/* kernel/bc/proc.c: ub_show_header, ub_show, ub_show_dummy, __show_resources */
static int render_ubc(struct emu_model *m, const struct emu_caller *c, struct sbuf *b, int kind,
		      unsigned int only)
{
	struct m_bc **v = calloc((size_t)m->nbc + 1, sizeof(*v));
	int n = bc_order(m, c, v), i, r;

	if (kind != 2) {
		put(b, "Version: 2.5\n");
		put(b, UB_HEAD_FMT, "uid", "resource", "held", "maxheld", "barrier", "limit",
		    "failcnt");
	}
	for (i = 0; i < n; i++) {
		const struct m_bc *bc = v[i];

		if (kind == 2 && bc->id != only)
			continue;
		if (kind == 0) { /* /proc/user_beancounters: 24 rows, dummies zeroed */
			for (r = 0; r < UB_RESOURCES_COMPAT; r++) {
				if (!is_dummy(r)) {
					ub_res(b, bc, r, true);
					continue;
				}
				ub_row(b, "", r, 0, 0, &bc->p[r]);
			}
		} else { /* /proc/bc/resources and /proc/bc/<id>/resources */
			for (r = 0; r < M_NR_UB; r++)
				if (r >= UB_RESOURCES_COMPAT || !is_dummy(r))
					ub_res(b, bc, r, kind == 1);
		}
	}
	free(v);
	return 0;
}

static int ve_newer_first(const void *a, const void *b)
{
	const struct m_ve *x = *(const struct m_ve *const *)a, *y = *(const struct m_ve *const *)b;

	return x->seq < y->seq ? 1 : x->seq > y->seq ? -1 : 0;
}

/* VEs in list order: newest first, VE 0 last; in a VE only itself */
static int ve_order(struct emu_model *m, const struct emu_caller *c, struct m_ve **out)
{
	int n = 0, i;

	for (i = 0; i < m->nve; i++)
		if (c->veid == 0 || m->ve[i].veid == c->veid)
			out[n++] = &m->ve[i];
	qsort(out, (size_t)n, sizeof(*out), ve_newer_first);
	if (c->veid == 0)
		out[n++] = &m->host;
	return n;
}

/*
 * VE 0's pcounter: every task of the host (kernel/fork.c: copy_process), i.e. the kernel's
 * nr_threads, which the 4th field of /proc/loadavg prints after the '/' (one read instead
 * of a walk over /proc), less the tasks the model counts in VEs.
 */
static unsigned int host_threads(void)
{
	char buf[128], *slash;
	unsigned int n = 1;
	FILE *f = fopen("/proc/loadavg", "re");

	if (!f)
		return n;
	if (fgets(buf, sizeof(buf), f) && (slash = strchr(buf, '/')))
		n = (unsigned int)strtoul(slash + 1, NULL, 10);
	fclose(f);
	return n;
}

static unsigned int tasks_of(struct emu_model *m, const struct m_ve *ve)
{
	unsigned int all, sum = 0;
	int i;

	if (ve->veid != 0)
		return ve_task_count(m, ve);
	all = host_threads();
	for (i = 0; i < m->nve; i++) {
		unsigned int t = ve_task_count(m, &m->ve[i]);

		sum += m->ve[i].state == VES_RUNNING ? t - 2 : t; /* kthreads: not on the host */
	}
	return all > sum ? all - sum : 0;
}

/* kernel/ve/vecalls.c: veinfo_seq_show + drivers/net/venetdev.c: veaddr_seq_print */
static void render_veinfo(struct emu_model *m, const struct emu_caller *c, struct sbuf *b)
{
	struct m_ve **v = calloc((size_t)m->nve + 2, sizeof(*v));
	int n = ve_order(m, c, v), i, j, k;

	for (i = 0; i < n; i++) {
		uint64_t last = UINT64_MAX;

		put_u64(b, v[i]->veid, 10); /* "%10u %5u %5u" */
		put_char(b, ' ');
		put_u64(b, v[i]->class_id, 5);
		put_char(b, ' ');
		put_u64(b, tasks_of(m, v[i]), 5);
		/* the VE's ip_lh list: list_add, so newest address first */
		for (k = 0; k < m->nip; k++) {
			int best = -1;
			char s[48];

			for (j = 0; j < m->nip; j++)
				if (m->ip[j].veid == v[i]->veid && m->ip[j].seq < last &&
				    (best < 0 || m->ip[j].seq > m->ip[best].seq))
					best = j;
			if (best < 0)
				break;
			last = m->ip[best].seq;
			m_addr_print(s, sizeof(s), &m->ip[best].a);
			put_char(b, ' ');
			put_str(b, s, m->ip[best].a.family == 2 ? 15 : 39, false);
		}
		put_char(b, '\n');
	}
	free(v);
}

/* drivers/net/venetdev.c: veip_seq_show — hash buckets by ntohl(key[3]) & 511, newest first */
static void render_veip(struct emu_model *m, struct sbuf *b)
{
	int bucket, i, j, *idx = calloc((size_t)m->nip + 1, sizeof(int)), n;

	put(b, "Version: 2.5\n");
	for (bucket = 0; bucket < 512; bucket++) {
		n = 0;
		for (i = 0; i < m->nip; i++) {
			uint32_t k = m->ip[i].a.key[3];
			uint32_t h = ((k & 0xff) << 24 | (k & 0xff00) << 8 | (k >> 8 & 0xff00) |
				      k >> 24) &
				     511;

			if ((int)h == bucket)
				idx[n++] = i;
		}
		for (i = 1; i < n; i++)
			for (j = i; j > 0 && m->ip[idx[j]].seq > m->ip[idx[j - 1]].seq; j--) {
				int t = idx[j];

				idx[j] = idx[j - 1];
				idx[j - 1] = t;
			}
		for (i = 0; i < n; i++) {
			char s[48];

			m_addr_print(s, sizeof(s), &m->ip[idx[i]].a);
			put(b, "%39s %10u\n", s, 0u); /* tgt_veip: never set by VE_IP_ADD */
		}
	}
	free(idx);
}

/* kernel/fairsched.c: fairsched_do_dump, fairsched_seq_show, fairsched2_seq_show */
static void render_fairsched(struct emu_model *m, const struct emu_caller *c, struct sbuf *b,
			     bool v2)
{
	struct m_node **v = calloc((size_t)m->nnode + 1, sizeof(*v));
	int n = 0, i, j;

	for (i = 0; i < m->nnode; i++)
		if (c->veid == 0 || m->node[i].id == c->veid)
			v[n++] = &m->node[i];
	for (i = 1; i < n; i++) /* directory order = creation order, host first */
		for (j = i; j > 0 && v[j]->seq < v[j - 1]->seq; j--) {
			struct m_node *t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	if (v2) {
		put(b, "Version: 2.7 debug\n");
		put(b, "%s",
		    "        id "
		    "weight "
		    " rate "
		    "  run "
		    "cpus"
		    " "
		    "flg "
		    "ready "
		    "           start_tag "
		    "               value "
		    "               delay"
		    "\n");
	} else {
		put(b, "Version: 2.6 debug\n");
		put(b, "%s",
		    "      veid "
		    "        id "
		    "    parent "
		    "weight "
		    " rate "
		    "tasks "
		    "  run "
		    "cpus"
		    " "
		    "flg "
		    "ready "
		    "           start_tag "
		    "               value "
		    "               delay"
		    "\n");
	}
	for (i = 0; i < n; i++) {
		const struct m_node *p = v[i];
		unsigned int id = p->id ? p->id : FAIRSCHED_HOST_NODE, tasks = 0, run, k;
		struct m_ve *ve = p->id ? ve_find(m, p->id) : &m->host;

		if (ve)
			tasks = tasks_of(m, ve);
		else
			tasks = (unsigned int)p->nmvpr;
		run = p->id == 0 ? 1 : 0; /* the reader itself runs in the host node */
		if (v2) {
			put(b, "%10u %6lu %5lu %5u %4u  %c%c %5u %20llu %20llu %20llu\n", id,
			    node_weight(p), p->rate, run, m->ncpus, p->rate ? 'L' : '.', '.', run,
			    0ULL, 0ULL, 0ULL);
			continue;
		}
		for (k = 0; k < 3; k++) {
			unsigned int vid = 0, nid = 0, pid = 0;

			if (i == 0 && k == 2)
				break;
			if (i == 0)
				nid = k == 1 ? id : 0;
			else if (k == 0)
				nid = id;
			else if (k == 1)
				vid = pid = id;
			else
				vid = id, nid = 1;
			put(b,
			    "%10u %10u %10u %6lu %5lu %5u %5u %4u  %c%c %5u %20llu %20llu %20llu\n",
			    vid, nid, pid, node_weight(p), p->rate, tasks, run, m->ncpus,
			    p->rate ? 'L' : '.', '.', run, 0ULL, 0ULL, 0ULL);
		}
	}
	free(v);
}

/* kernel/ve/vecalls.c: vestat_seq_show (x86_64 widths) */
static void render_vestat(struct emu_model *m, const struct emu_caller *c, struct sbuf *b)
{
	struct m_ve **v = calloc((size_t)m->nve + 2, sizeof(*v));
	int n = ve_order(m, c, v), i;
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	put(b, "%-*s\n", 12 * 21 - 1, "Version: 2.2");
	put(b, "%20s %20s %20s %20s %20s %20s %20s %20s %20s %20s %20s %20s\n", "VEID", "user",
	    "nice", "system", "uptime", "idle", "strv", "uptime", "used", "maxlat", "totlat",
	    "numsched");
	for (i = 0; i < n; i++) {
		int64_t up = (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec -
			     (int64_t)v[i]->start_ns;

		if (v[i]->veid == 0)
			continue;
		if (up < 0)
			up = 0;
		put(b,
		    "%20u %20lu %20lu %20lu %20llu %20llu %20llu %20llu %20llu %20llu %20llu "
		    "%20lu\n",
		    v[i]->veid, 0UL, 0UL, 0UL, (unsigned long long)(up / 1000000), 0ULL, 0ULL,
		    (unsigned long long)up, 0ULL, 0ULL, 0ULL, 0UL);
	}
	free(v);
}

/* security/device_cgroup.c: devperms_seq_show, devcgroup_seq_read — list order, VE 0 last */
static void render_devperms(struct emu_model *m, const struct emu_caller *c, struct sbuf *b)
{
	struct m_ve **v = calloc((size_t)m->nve + 2, sizeof(*v));
	int n = ve_order(m, c, v), i, j;

	put(b, "Version: 2.7\n");
	for (i = 0; i < n; i++) {
		if (v[i]->veid == 0) {
			put(b, "%10u b 016 *:*\n%10u c 006 *:*\n", 0u, 0u);
			continue;
		}
		for (j = 0; j < v[i]->nrules; j++) {
			const struct m_devperm *r = &v[i]->rules[j];
			unsigned int acc = r->access, out;
			char maj[16] = "*", min[16] = "*";

			out = ((((acc & 06) == 0) || ((acc & 06) == 06)) ? acc : acc ^ 06) &
			      (2 | 4 | 8 | 64);
			if (acc & (2 | 4))
				out |= 01;
			if (r->major != ~0u)
				snprintf(maj, sizeof(maj), "%u", r->major);
			if (r->minor != ~0u)
				snprintf(min, sizeof(min), "%u", r->minor);
			put(b, "%10u %c %03o %s:%s\n", v[i]->veid, (char)r->type, out, maj, min);
		}
	}
	free(v);
}

/* drivers/net/vzethdev.c: vehwaddr_seq_show — the newest pair first (list_add) */
static void render_veth(struct emu_model *m, struct sbuf *b)
{
	uint64_t after = UINT64_MAX;

	put(b, "Version: 1.0\n");
	for (;;) {
		const struct m_veth *e = NULL;
		unsigned int veid = 0;

		for (int i = 0; i < m->nve; i++)
			for (int j = 0; j < m->ve[i].nveth; j++)
				if (m->ve[i].veth[j].seq < after &&
				    (!e || m->ve[i].veth[j].seq > e->seq)) {
					e = &m->ve[i].veth[j];
					veid = m->ve[i].veid;
				}
		if (!e)
			break;
		after = e->seq;
		put(b, "%02x:%02x:%02x:%02x:%02x:%02x %16s ", e->mac[0], e->mac[1], e->mac[2],
		    e->mac[3], e->mac[4], e->mac[5], e->host);
		put(b, "%02x:%02x:%02x:%02x:%02x:%02x %16s %10u %5s\n", e->mac_ve[0], e->mac_ve[1],
		    e->mac_ve[2], e->mac_ve[3], e->mac_ve[4], e->mac_ve[5], e->ve, veid,
		    e->allow_mac_change ? "allow" : "deny");
	}
}

/* fs/quota/vzdquota/vzdq_mgmt.c: vzquota_read_proc — hash order ((id >> 6) ^ id) & 63 */
static void render_vzquota(struct emu_model *m, const struct emu_caller *c, struct sbuf *b)
{
	bool admin = m_cap(c, M_CAP_SYS_ADMIN), all = admin && m_cap(c, M_CAP_SYS_RESOURCE);
	int h, i, j, *idx = calloc((size_t)m->nquota + 1, sizeof(int)), n;

	put(b, "%-11s%15s%15s%15s%11s%11s\n", "qid: path", "usage", "softlimit", "hardlimit",
	    "time", "expire");
	for (h = 0; h < 64; h++) {
		n = 0;
		for (i = 0; i < m->nquota; i++)
			if ((int)(((m->quota[i].id >> 6) ^ m->quota[i].id) & 63) == h)
				idx[n++] = i;
		for (i = 1; i < n; i++) /* list_add: newest first in a bucket */
			for (j = i; j > 0 && m->quota[idx[j]].seq > m->quota[idx[j - 1]].seq; j--) {
				int t = idx[j];

				idx[j] = idx[j - 1];
				idx[j - 1] = t;
			}
		for (i = 0; i < n; i++) {
			const struct m_quota *q = &m->quota[idx[i]];

			if (!all)
				continue; /* quota of the reader's root: not modelled */
			if (admin)
				put(b, "%u: %s\n", q->id,
				    q->state == VZDQ_WORKING    ? q->path
				    : q->state == VZDQ_STARTING ? "-- started --"
				    : q->state == VZDQ_STOPING  ? "-- stopped --"
								: "");
			put(b, "%11s%15llu%15llu%15llu%11u%11u\n", "1k-blocks",
			    (unsigned long long)(q->st.bcurrent >> 10),
			    (unsigned long long)(q->st.bsoftlimit >> 10),
			    (unsigned long long)(q->st.bhardlimit >> 10), (unsigned int)q->st.btime,
			    (unsigned int)q->info.bexpire);
			put(b, "%11s%15u%15u%15u%11u%11u\n", "inodes", q->st.icurrent,
			    q->st.isoftlimit, q->st.ihardlimit, (unsigned int)q->st.itime,
			    (unsigned int)q->info.iexpire);
		}
	}
	free(idx);
}

enum pfile {
	PF_UBC,
	PF_BC_RES,
	PF_BC_ID_RES,
	PF_VEINFO,
	PF_VERSION,
	PF_VSWAP,
	PF_FAIRSCHED,
	PF_FAIRSCHED2,
	PF_VEIP,
	PF_VESTAT,
	PF_DEVPERMS,
	PF_VZQUOTA,
	PF_VETH,
};

/* Which file `path` is for `caller`, or the errno its open gives; *id for /proc/bc/<id>/ */
static int proc_file(struct emu_model *m, const struct emu_caller *caller, const char *path,
		     unsigned int *id)
{
	bool dac = m_cap(caller, M_CAP_DAC_OVERRIDE) && m_cap(caller, M_CAP_DAC_READ_SEARCH);
	char tail[64];

	if (!strcmp(path, "/proc/user_beancounters"))
		return dac ? PF_UBC : -EACCES;
	if (!strcmp(path, "/proc/bc/resources"))
		return dac ? PF_BC_RES : -EACCES;
	if (sscanf(path, "/proc/bc/%u/%63s", id, tail) == 2) {
		/* lookups in /proc/bc need both capabilities (EPERM); unknown ids ENOENT */
		if (!dac)
			return -EPERM;
		if (!bc_find(m, *id) || (caller->veid && *id != bc_exec_id(m, caller)))
			return -ENOENT;
		if (strcmp(tail, "resources"))
			return -ENOENT; /* precharge, meminfo, … are not modelled */
		return PF_BC_ID_RES;
	}
	if (!strcmp(path, "/proc/vz/veinfo"))
		return PF_VEINFO;
	if (!strcmp(path, "/proc/vz/vswap"))
		return PF_VSWAP;
	if (!strcmp(path, "/proc/fairsched"))
		return PF_FAIRSCHED;
	if (!strcmp(path, "/proc/fairsched2"))
		return PF_FAIRSCHED2;
	if (!strcmp(path, "/proc/vz/vestat"))
		return PF_VESTAT;
	/* only the host's /proc/vz has these */
	if (!strcmp(path, "/proc/vz/version"))
		return caller->veid ? -ENOENT : PF_VERSION;
	if (!strcmp(path, "/proc/vz/veip"))
		return caller->veid ? -ENOENT : PF_VEIP;
	if (!strcmp(path, "/proc/vz/devperms"))
		return caller->veid ? -ENOENT : PF_DEVPERMS;
	if (!strcmp(path, "/proc/vz/vzquota"))
		return caller->veid ? -ENOENT : PF_VZQUOTA;
	if (!strcmp(path, "/proc/vz/veth"))
		return caller->veid ? -ENOENT : PF_VETH;
	return -ENOENT;
}

int model_proc_render(struct emu_model *m, const struct emu_caller *caller, const char *path,
		      char **ret_buf, size_t *ret_len)
{
	struct sbuf b = { NULL, 0, 0 };
	unsigned int id = 0;
	int f = proc_file(m, caller, path, &id), r = 0;

	if (f < 0 || !ret_buf)
		return f < 0 ? f : 0; /* no buffer: does it exist, may it be opened */
	switch ((enum pfile)f) {
	case PF_UBC:
		r = render_ubc(m, caller, &b, 0, 0);
		break;
	case PF_BC_RES:
		r = render_ubc(m, caller, &b, 1, 0);
		break;
	case PF_BC_ID_RES:
		r = render_ubc(m, caller, &b, 2, id);
		break;
	case PF_VEINFO:
		render_veinfo(m, caller, &b);
		break;
	case PF_VERSION:
		put(&b, "042stab141_3\n");
		break;
	case PF_VSWAP:
		put(&b, "Version: 1.0\n");
		break;
	case PF_FAIRSCHED:
	case PF_FAIRSCHED2:
		render_fairsched(m, caller, &b, f == PF_FAIRSCHED2);
		break;
	case PF_VEIP:
		render_veip(m, &b);
		break;
	case PF_VESTAT:
		render_vestat(m, caller, &b);
		break;
	case PF_DEVPERMS:
		render_devperms(m, caller, &b);
		break;
	case PF_VZQUOTA:
		render_vzquota(m, caller, &b);
		break;
	case PF_VETH:
		render_veth(m, &b);
		break;
	}
	if (r < 0) {
		free(b.p);
		return r;
	}
	if (!b.p)
		put(&b, "%s", "");
	*ret_buf = b.p;
	*ret_len = b.len;
	return 0;
}
