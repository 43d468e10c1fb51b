/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vzcfgvalidate's checks (vzctl-behaviour.md §6.1; kolyshkin/vzctl: src/validate.c), in its
 * order and with its arithmetic: unsigned long on the target (so the differences of rules
 * 10-12 wrap around when limit < barrier and pass, as there), thresholds masked with LONG_MAX.
 * Severities follow vzcfgvalidate's labels: "Error" and "Warning" fail, "Recommendation" does
 * not. Each problem carries the line that would fix it, which is what -r would set.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf-write.h"
#include "macro.h"
#include "validate.h"
#include "value.h"
#include "ve-spec.h"

#include "vzlite.h"

enum {
	NUMPROC,
	NUMTCPSOCK,
	NUMOTHERSOCK,
	OOMGUARPAGES,
	VMGUARPAGES,
	KMEMSIZE,
	TCPSNDBUF,
	TCPRCVBUF,
	OTHERSOCKBUF,
	DGRAMRCVBUF,
	PRIVVMPAGES,
	NUMFILE,
	DCACHESIZE,
	PHYSPAGES,
	NUMPTY,
	LOCKEDPAGES,
	SHMPAGES,
	NUMFLOCK,
	NUMSIGINFO,
	NUMIPTENT,
	AVNUMPROC,
	SWAPPAGES,
	DISKSPACE,
	DISKINODES,
	N_V,
};

static const char *const names[N_V] = {
	"NUMPROC",    "NUMTCPSOCK", "NUMOTHERSOCK", "OOMGUARPAGES", "VMGUARPAGES", "KMEMSIZE",
	"TCPSNDBUF",  "TCPRCVBUF",  "OTHERSOCKBUF", "DGRAMRCVBUF",  "PRIVVMPAGES", "NUMFILE",
	"DCACHESIZE", "PHYSPAGES",  "NUMPTY",       "LOCKEDPAGES",  "SHMPAGES",    "NUMFLOCK",
	"NUMSIGINFO", "NUMIPTENT",  "AVNUMPROC",    "SWAPPAGES",    "DISKSPACE",   "DISKINODES",
};

struct run {
	const struct units_target *t;
	unsigned flags;
	uint64_t ulmask; /* the target's ULONG_MAX */
	int set[N_V];
	uint64_t v[N_V][2];
	int dirty[N_V];
	int failed;
	validate_fn fn;
	void *userdata;
};

/* Value i from the resolved config: a UB resource by its UB_* id, or a DISK pair. */
static void load(struct run *R, const struct ve_spec *s, int i)
{
	const struct param_def *p = param_find(names[i]);
	const struct ve_disk_limit *d = i == DISKSPACE    ? &s->disk.space
					: i == DISKINODES ? &s->disk.inodes
							  : NULL;
	const struct ve_ub *u = d                     ? NULL
				: p->ub_resource >= 0 ? &s->ub[p->ub_resource]
						      : &s->avnumproc;
	R->set[i] = d ? d->set : u->set;
	R->v[i][0] = d ? d->soft : u->barrier;
	R->v[i][1] = d ? d->hard : u->limit;
}

/*
 * Report one problem of parameter i. `fix` (NULL: none) is the repaired pair; it is applied
 * with VZL_VALIDATE_FIX, and then the problem no longer fails the check.
 */
static int emit(struct run *R, enum vzl_severity sev, int i, const uint64_t *fix, const char *fmt,
		...) __attribute__((format(printf, 5, 6)));
static int emit(struct run *R, enum vzl_severity sev, int i, const uint64_t *fix, const char *fmt,
		...)
{
	_cleanup_free_ char *msg = NULL, *line = NULL;
	char val[64];
	va_list ap;

	va_start(ap, fmt);
	int n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -ENOMEM;
	if (fix) {
		struct units_rule rule;
		uint64_t f[2] = { fix[0] & R->ulmask, fix[1] & R->ulmask };
		value_rule(param_find(names[i]), R->t, &rule);
		if (i >= DISKSPACE)
			units_format_pair_full(R->t, &rule, f, val, sizeof(val));
		else
			units_format_pair(R->t, &rule, f, val, sizeof(val));
		if (conf_render(names[i], val, &line) < 0)
			return -ENOMEM;
		if (R->flags & VZL_VALIDATE_FIX) {
			R->v[i][0] = f[0];
			R->v[i][1] = f[1];
			R->set[i] = R->dirty[i] = 1;
		}
	}
	if ((sev == VZL_SEVERITY_ERROR || sev == VZL_SEVERITY_WARNING) &&
	    !(fix && (R->flags & VZL_VALIDATE_FIX)))
		R->failed = 1;
	return R->fn(R->userdata, sev, names[i], msg, line);
}

#define B(i) R->v[i][0]
#define L(i) R->v[i][1]
#define U(x) ((uint64_t)(x)&R->ulmask)

static const char *lim_text(const struct run *R, uint64_t v, char *buf)
{
	if (v >= R->t->long_max)
		return "unlimited";
	snprintf(buf, 24, "%" PRIu64, v);
	return buf;
}

/* Rule 1: barrier = limit. */
static int check_equal(struct run *R, int i)
{
	if (!R->set[i])
		return emit(R, VZL_SEVERITY_ERROR, i, NULL, "%s is not set; give it as N:N",
			    names[i]);
	if (B(i) == L(i))
		return 0;
	uint64_t m = B(i) > L(i) ? B(i) : L(i), fix[2] = { m, m };
	return emit(R, VZL_SEVERITY_ERROR, i, fix,
		    "%s: barrier %" PRIu64 " and limit %" PRIu64 " must be equal", names[i], B(i),
		    L(i));
}

/* Rule 3: barrier ≤ limit. */
static int check_le(struct run *R, int i, const char *unset_why)
{
	if (!R->set[i])
		return emit(R, VZL_SEVERITY_ERROR, i, NULL, "%s is not set%s", names[i],
			    unset_why ? unset_why : "");
	if (B(i) <= L(i))
		return 0;
	uint64_t fix[2] = { B(i), B(i) };
	return emit(R, VZL_SEVERITY_ERROR, i, fix,
		    "%s: barrier %" PRIu64 " is above limit %" PRIu64, names[i], B(i), L(i));
}

/* Rules 2, 4, 5: a barrier of 0 and/or a limit of LONG_MAX. */
static int check_fixed(struct run *R, int i, int zero_barrier)
{
	char buf[24];
	int r = 0;
	if (!R->set[i])
		return emit(R, VZL_SEVERITY_ERROR, i, NULL, "%s is not set", names[i]);
	if (zero_barrier && B(i) != 0) {
		uint64_t fix[2] = { 0, L(i) };
		r = emit(R, VZL_SEVERITY_ERROR, i, fix, "%s: barrier %" PRIu64 " must be 0",
			 names[i], B(i));
	}
	if (r == 0 && L(i) != R->t->long_max) {
		uint64_t fix[2] = { B(i), R->t->long_max };
		r = emit(R, VZL_SEVERITY_ERROR, i, fix, "%s: limit %s must be unlimited", names[i],
			 lim_text(R, L(i), buf));
	}
	return r;
}

/* Rules 13-16: a barrier at least `min` (fail) and, optionally, `rec` (recommendation). */
static int check_min_barrier(struct run *R, int i, uint64_t min, uint64_t rec)
{
	enum vzl_severity sev = VZL_SEVERITY_WARNING;
	uint64_t want = min;
	if (B(i) >= min) {
		if (!rec || B(i) >= rec)
			return 0;
		sev = VZL_SEVERITY_RECOMMENDATION;
		want = rec;
	}
	uint64_t fix[2] = { want, U(L(i) + want - B(i)) };
	return emit(R, sev, i, fix,
		    "%s: barrier %" PRIu64 " is below %" PRIu64 "; raise it (and the limit by as "
		    "much)",
		    names[i], B(i), want);
}

/* Rules 10-12: limit − barrier of a socket buffer at least 2.5 KiB per socket. */
static int check_gap(struct run *R, int i, int sockets, enum vzl_severity sev)
{
	uint64_t n = B(sockets), need;
	/* vzctl computes 2.5 * 1024 * n in double; past 2^64 the conversion is undefined in C,
	 * so vzlite treats the need as 0 there (an unlimited socket count). */
	if (__builtin_mul_overflow(n, 2560, &need) || need > R->ulmask)
		need = 0;
	need &= R->t->long_max;
	uint64_t gap = U(L(i) - B(i));
	if (gap >= need)
		return 0;
	uint64_t fix[2] = { B(i), U(B(i) + need) };
	return emit(R, sev, i, fix,
		    "%s: limit - barrier is %" PRIu64 " - %" PRIu64 " = %" PRIu64 ", below 2.5 KiB "
		    "x %s barrier (%" PRIu64 ") = %" PRIu64,
		    names[i], L(i), B(i), gap, names[sockets], n, need);
}

static int classic(struct run *R, int disk_quota)
{
	static const int required[] = { NUMPROC,      NUMTCPSOCK,  NUMOTHERSOCK, OOMGUARPAGES,
					VMGUARPAGES,  KMEMSIZE,    TCPSNDBUF,    TCPRCVBUF,
					OTHERSOCKBUF, DGRAMRCVBUF, PRIVVMPAGES,  NUMFILE,
					DCACHESIZE,   PHYSPAGES,   NUMPTY };
	int r = 0, missing = 0;
	char buf[24];

	/* Presence first: vzcfgvalidate stops right there when one is missing. */
	for (size_t k = 0; k < ELEMENTSOF(required) && r == 0; k++)
		if (!R->set[required[k]]) {
			missing = 1;
			r = emit(R, VZL_SEVERITY_ERROR, required[k], NULL,
				 "%s is not set; a classic (non-VSwap) config needs it",
				 names[required[k]]);
		}
	if (r < 0 || missing)
		return r;

	uint64_t avnumproc = R->set[AVNUMPROC] ? B(AVNUMPROC) : B(NUMPROC) / 2;
	const char *quota = " although DISK_QUOTA is yes";

	if ((r = check_equal(R, NUMPROC)) || (r = check_equal(R, NUMTCPSOCK)) ||
	    (r = check_equal(R, NUMOTHERSOCK)))
		return r;
	if ((r = check_fixed(R, VMGUARPAGES, 0)))
		return r;
	if ((r = check_le(R, KMEMSIZE, NULL)) || (r = check_le(R, TCPSNDBUF, NULL)) ||
	    (r = check_le(R, TCPRCVBUF, NULL)) || (r = check_le(R, OTHERSOCKBUF, NULL)) ||
	    (r = check_le(R, DGRAMRCVBUF, NULL)))
		return r;
	if ((r = check_fixed(R, OOMGUARPAGES, 0)))
		return r;
	if ((r = check_le(R, PRIVVMPAGES, NULL)) || (r = check_le(R, LOCKEDPAGES, NULL)) ||
	    (r = check_equal(R, SHMPAGES)) || (r = check_fixed(R, PHYSPAGES, 1)) ||
	    (r = check_equal(R, NUMFILE)) || (r = check_le(R, NUMFLOCK, NULL)) ||
	    (r = check_equal(R, NUMPTY)) || (r = check_equal(R, NUMSIGINFO)) ||
	    (r = check_le(R, DCACHESIZE, NULL)) || (r = check_equal(R, NUMIPTENT)))
		return r;
	if (disk_quota &&
	    ((r = check_le(R, DISKSPACE, quota)) || (r = check_le(R, DISKINODES, quota))))
		return r;

	/* Rule 7: room in the dentry cache for every file. */
	uint64_t need = U(B(NUMFILE) * 384) & R->t->long_max;
	if (L(DCACHESIZE) < need) {
		uint64_t fix[2] = { B(DCACHESIZE), need };
		if ((r = emit(R, VZL_SEVERITY_WARNING, DCACHESIZE, fix,
			      "DCACHESIZE: limit %" PRIu64 " is below NUMFILE barrier %" PRIu64
			      " x 384 = %" PRIu64,
			      L(DCACHESIZE), B(NUMFILE), need)))
			return r;
	}
	/* Rule 8: kernel memory for the processes and the dentry cache. */
	need = U(U(40 * 1024 * avnumproc) + L(DCACHESIZE)) & R->t->long_max;
	if (B(KMEMSIZE) < need) {
		uint64_t fix[2] = { need, U(L(KMEMSIZE) + need - B(KMEMSIZE)) };
		if ((r = emit(
			     R, VZL_SEVERITY_ERROR, KMEMSIZE, fix,
			     "KMEMSIZE: barrier %" PRIu64 " is below 40 KiB x %" PRIu64
			     " processes (AVNUMPROC, or NUMPROC / 2) + DCACHESIZE limit %s = %" PRIu64,
			     B(KMEMSIZE), avnumproc, lim_text(R, L(DCACHESIZE), buf), need)))
			return r;
	}
	/* Rule 9; the repair's limit is vzctl's (VMGUARPAGES' limit when PRIVVMPAGES' was
	 * not lower), kept for compatibility. */
	if (B(PRIVVMPAGES) < B(VMGUARPAGES)) {
		uint64_t fix[2] = { B(VMGUARPAGES), L(PRIVVMPAGES) < B(VMGUARPAGES)
							    ? B(VMGUARPAGES)
							    : L(VMGUARPAGES) };
		if ((r = emit(R, VZL_SEVERITY_WARNING, PRIVVMPAGES, fix,
			      "PRIVVMPAGES: barrier %" PRIu64
			      " is below VMGUARPAGES barrier %" PRIu64,
			      B(PRIVVMPAGES), B(VMGUARPAGES))))
			return r;
	}
	if ((r = check_gap(R, TCPSNDBUF, NUMTCPSOCK, VZL_SEVERITY_ERROR)) ||
	    (r = check_gap(R, OTHERSOCKBUF, NUMOTHERSOCK, VZL_SEVERITY_ERROR)) ||
	    (r = check_gap(R, TCPRCVBUF, NUMTCPSOCK, VZL_SEVERITY_WARNING)) ||
	    (r = check_min_barrier(R, TCPRCVBUF, 64 * 1024, 0)) ||
	    (r = check_min_barrier(R, TCPSNDBUF, 64 * 1024, 0)) ||
	    (r = check_min_barrier(R, DGRAMRCVBUF, 32 * 1024, 129 * 1024)) ||
	    (r = check_min_barrier(R, OTHERSOCKBUF, 32 * 1024, 129 * 1024)))
		return r;
	/* Rule 17: a file for every socket and terminal, and 32 per process. */
	need = U(avnumproc * 32);
	uint64_t socks = U(B(NUMTCPSOCK) + B(NUMOTHERSOCK) + B(NUMPTY));
	if (socks > need)
		need = socks;
	need &= R->t->long_max;
	if (B(NUMFILE) < need) {
		uint64_t fix[2] = { need, U(L(NUMFILE) + need - B(NUMFILE)) };
		if ((r = emit(R, VZL_SEVERITY_WARNING, NUMFILE, fix,
			      "NUMFILE: barrier %" PRIu64 " is below max(32 x %" PRIu64
			      " processes, NUMTCPSOCK + NUMOTHERSOCK + NUMPTY barriers = %" PRIu64
			      ") = %" PRIu64,
			      B(NUMFILE), avnumproc, socks, need)))
			return r;
	}
	/* Not vzcfgvalidate's: what start will do anyway (§6.2). */
	if (B(NUMIPTENT) < 16)
		r = emit(R, VZL_SEVERITY_NOTE, NUMIPTENT, NULL,
			 "NUMIPTENT: barrier %" PRIu64 " is below 16; start raises it to 16:16",
			 B(NUMIPTENT));
	return r;
}

/* VSwap: only PHYSPAGES and SWAPPAGES, barriers 0, limits within the host's RAM and swap. */
static int vswap(struct run *R, const struct validate_host *h)
{
	const int which[2] = { PHYSPAGES, SWAPPAGES };
	const uint64_t max[2] = { h->ram_bytes / R->t->page_size, h->swap_bytes / R->t->page_size };
	const char *what[2] = { "RAM", "swap" };
	int r = 0;
	char buf[24];

	for (int k = 0; k < 2 && r == 0; k++) {
		int i = which[k];
		if (!R->set[i]) {
			r = emit(R, VZL_SEVERITY_ERROR, i, NULL,
				 "%s is not set; a VSwap config needs it", names[i]);
			continue;
		}
		if (B(i) != 0) {
			uint64_t fix[2] = { 0, L(i) };
			r = emit(R, VZL_SEVERITY_ERROR, i, fix, "%s: barrier %" PRIu64 " must be 0",
				 names[i], B(i));
		}
		if (r == 0 && L(i) > max[k]) {
			uint64_t fix[2] = { B(i), max[k] };
			r = emit(R, VZL_SEVERITY_WARNING, i, fix,
				 "%s: limit %s pages is above the host's %s of %" PRIu64 " pages",
				 names[i], lim_text(R, L(i), buf), what[k], max[k]);
		}
	}
	return r;
}

int validate_is_vswap(const struct layers *L, const struct units_target *t)
{
	const struct param_def *p = param_find("PHYSPAGES");
	_cleanup_free_ char *text = NULL;
	enum vzl_source src;
	struct units_rule rule;
	uint64_t v[2];

	value_rule(p, t, &rule);
	if (layer_get(L, p, t, &text, &src) < 0 || !text ||
	    units_parse_pair(t, &rule, text, v, NULL) < 0)
		return 0;
	return v[1] != t->long_max && v[1] != 2147483647u;
}

int validate_run(const struct layers *L, struct conf *fix_into, const struct units_target *t,
		 const struct validate_host *h, unsigned flags, int *ret_vswap, validate_fn fn,
		 void *userdata)
{
	struct run R = { .t = t, .flags = flags, .fn = fn, .userdata = userdata };
	int r;

	R.ulmask = t->long_max * 2 + 1;
	struct ve_spec spec;
	const char *param;
	if ((r = ve_spec_load(L, 0, t, NULL, NULL, NULL, NULL, &spec, &param)) == -ENOMEM)
		return r;
	for (int i = 0; i < N_V; i++)
		load(&R, &spec, i);
	bool disk_quota = spec.disk.quota.set && spec.disk.quota.value;
	ve_spec_done(&spec);
	int is_vswap = flags & VZL_VALIDATE_VSWAP     ? 1
		       : flags & VZL_VALIDATE_CLASSIC ? 0
						      : validate_is_vswap(L, t);
	r = is_vswap ? vswap(&R, h) : classic(&R, disk_quota);
	if (r < 0)
		return r;
	for (int i = 0; fix_into && i < N_V; i++) {
		char val[64];
		struct units_rule rule;
		if (!R.dirty[i])
			continue;
		value_rule(param_find(names[i]), t, &rule);
		if (i >= DISKSPACE)
			units_format_pair_full(t, &rule, R.v[i], val, sizeof(val));
		else
			units_format_pair(t, &rule, R.v[i], val, sizeof(val));
		if ((r = conf_set(fix_into, names[i], val)) < 0)
			return r;
	}
	*ret_vswap = is_vswap;
	return R.failed;
}

int validate_host_probe(struct validate_host *h)
{
	long pages = sysconf(_SC_PHYS_PAGES), psize = sysconf(_SC_PAGESIZE);
	if (pages < 0 || psize < 0)
		return -errno;
	h->ram_bytes = (uint64_t)pages * (uint64_t)psize;
	h->swap_bytes = 0;
	FILE *f = fopen("/proc/meminfo", "re");
	if (!f)
		return 0; /* no swap known: VSwap limits of swap are then reported */
	char line[256];
	unsigned long long kb;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "SwapTotal: %llu kB", &kb) == 1)
			h->swap_bytes = (uint64_t)kb * 1024;
	fclose(f);
	return 0;
}
