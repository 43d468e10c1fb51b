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

/*
 * A value the checks read: every UB resource of the parameter table (the rows with a
 * ub_resource), AVNUMPROC, DISKSPACE and DISKINODES. The rules below name the ones they use.
 */
struct slot {
	const struct param_def *p;
	bool set;
	uint64_t v[2]; /* barrier:limit, soft:hard */
	bool dirty;    /* repaired by VZL_VALIDATE_FIX */
};

/* The values that are no UB resource but take part in vzcfgvalidate's rules. */
static const char *const extra_names[] = { "AVNUMPROC", "DISKSPACE", "DISKINODES" };

struct run {
	const struct units_target *t;
	unsigned flags;
	uint64_t ulmask; /* the target's ULONG_MAX */
	struct slot slots[UB_RESOURCES + ELEMENTSOF(extra_names)];
	size_t n_slots;
	struct slot missing; /* what S() gives for a name load() did not fill */
	int failed;
	validate_fn fn;
	void *userdata;
};

/* Fill the slots from the resolved config, the UB resources in table order first. */
static void load(struct run *R, const struct ve_spec *s)
{
	for (size_t i = 0; i < param_table_len; i++) {
		const struct param_def *p = &param_table[i];
		if (p->ub_resource < 0 || p->ub_resource >= UB_RESOURCES ||
		    R->n_slots == UB_RESOURCES)
			continue;
		const struct ve_ub *u = &s->ub[p->ub_resource];
		R->slots[R->n_slots++] = (struct slot){
			p, u->set, { u->barrier, u->limit }, false
		};
	}
	const struct ve_ub *av = &s->avnumproc;
	const struct ve_disk_limit *d[] = { &s->disk.space, &s->disk.inodes };
	const struct param_def *p = param_find(extra_names[0]);
	if (p)
		R->slots[R->n_slots++] = (struct slot){
			p, av->set, { av->barrier, av->limit }, false
		};
	for (size_t k = 0; k < ELEMENTSOF(d); k++)
		if ((p = param_find(extra_names[k + 1])))
			R->slots[R->n_slots++] = (struct slot){
				p, d[k]->set, { d[k]->soft, d[k]->hard }, false
			};
}

/*
 * The slot of parameter `name`. The rules name only parameters of the table, which the unit
 * tests hold; a name it lacks would read as "not set" under the name "?" rather than crash.
 */
static struct slot *S(struct run *R, const char *name)
{
	static const struct param_def unknown = { .name = "?", .type = PARAM_T_UBC };
	for (size_t i = 0; i < R->n_slots; i++)
		if (strcmp(R->slots[i].p->name, name) == 0)
			return &R->slots[i];
	R->missing = (struct slot){ .p = &unknown };
	return &R->missing;
}

/*
 * Report one problem of parameter x. `fix` (NULL: none) is the repaired pair; it is applied
 * with VZL_VALIDATE_FIX, and then the problem no longer fails the check.
 */
static int emit(struct run *R, enum vzl_severity sev, struct slot *x, const uint64_t *fix,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static int emit(struct run *R, enum vzl_severity sev, struct slot *x, const uint64_t *fix,
		const char *fmt, ...)
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
		uint64_t f[2] = { fix[0] & R->ulmask, fix[1] & R->ulmask };
		units_format_plain_pair(f, val, sizeof(val));
		if (conf_render(x->p->name, val, &line) < 0)
			return -ENOMEM;
		if (R->flags & VZL_VALIDATE_FIX) {
			x->v[0] = f[0];
			x->v[1] = f[1];
			x->set = x->dirty = true;
		}
	}
	if ((sev == VZL_SEVERITY_ERROR || sev == VZL_SEVERITY_WARNING) &&
	    !(fix && (R->flags & VZL_VALIDATE_FIX)))
		R->failed = 1;
	return R->fn(R->userdata, sev, x->p->name, msg, line);
}

#define B(x)    ((x)->v[0])
#define L(x)    ((x)->v[1])
#define U(x)    ((uint64_t)(x)&R->ulmask)
#define NAME(x) ((x)->p->name)

static const char *lim_text(const struct run *R, uint64_t v, char *buf)
{
	if (v >= R->t->long_max)
		return "unlimited";
	snprintf(buf, 24, "%" PRIu64, v);
	return buf;
}

/* Rule 1: barrier = limit. */
static int check_equal(struct run *R, const char *name)
{
	struct slot *x = S(R, name);
	if (!x->set)
		return emit(R, VZL_SEVERITY_ERROR, x, NULL, "%s is not set; give it as N:N", name);
	if (B(x) == L(x))
		return 0;
	uint64_t m = B(x) > L(x) ? B(x) : L(x), fix[2] = { m, m };
	return emit(R, VZL_SEVERITY_ERROR, x, fix,
		    "%s: barrier %" PRIu64 " and limit %" PRIu64 " must be equal", name, B(x),
		    L(x));
}

/* Rule 3: barrier ≤ limit. */
static int check_le(struct run *R, const char *name, const char *unset_why)
{
	struct slot *x = S(R, name);
	if (!x->set)
		return emit(R, VZL_SEVERITY_ERROR, x, NULL, "%s is not set%s", name,
			    unset_why ? unset_why : "");
	if (B(x) <= L(x))
		return 0;
	uint64_t fix[2] = { B(x), B(x) };
	return emit(R, VZL_SEVERITY_ERROR, x, fix,
		    "%s: barrier %" PRIu64 " is above limit %" PRIu64, name, B(x), L(x));
}

/* Rules 2, 4, 5: a barrier of 0 and/or a limit of LONG_MAX. */
static int check_fixed(struct run *R, const char *name, int zero_barrier)
{
	struct slot *x = S(R, name);
	char buf[24];
	int r = 0;
	if (!x->set)
		return emit(R, VZL_SEVERITY_ERROR, x, NULL, "%s is not set", name);
	if (zero_barrier && B(x) != 0) {
		uint64_t fix[2] = { 0, L(x) };
		r = emit(R, VZL_SEVERITY_ERROR, x, fix, "%s: barrier %" PRIu64 " must be 0", name,
			 B(x));
	}
	if (r == 0 && L(x) != R->t->long_max) {
		uint64_t fix[2] = { B(x), R->t->long_max };
		r = emit(R, VZL_SEVERITY_ERROR, x, fix, "%s: limit %s must be unlimited", name,
			 lim_text(R, L(x), buf));
	}
	return r;
}

/* Rules 13-16: a barrier at least `min` (fail) and, optionally, `rec` (recommendation). */
static int check_min_barrier(struct run *R, const char *name, uint64_t min, uint64_t rec)
{
	struct slot *x = S(R, name);
	enum vzl_severity sev = VZL_SEVERITY_WARNING;
	uint64_t want = min;
	if (B(x) >= min) {
		if (!rec || B(x) >= rec)
			return 0;
		sev = VZL_SEVERITY_RECOMMENDATION;
		want = rec;
	}
	uint64_t fix[2] = { want, U(L(x) + want - B(x)) };
	return emit(R, sev, x, fix,
		    "%s: barrier %" PRIu64 " is below %" PRIu64 "; raise it (and the limit by as "
		    "much)",
		    name, B(x), want);
}

/* Rules 10-12: limit − barrier of a socket buffer at least 2.5 KiB per socket. */
static int check_gap(struct run *R, const char *name, const char *sockets_name,
		     enum vzl_severity sev)
{
	struct slot *x = S(R, name);
	uint64_t n = B(S(R, sockets_name)), need;
	/* vzctl computes 2.5 * 1024 * n in double; past 2^64 the conversion is undefined in C,
	 * so vzlite treats the need as 0 there (an unlimited socket count). */
	if (__builtin_mul_overflow(n, 2560, &need) || need > R->ulmask)
		need = 0;
	need &= R->t->long_max;
	uint64_t gap = U(L(x) - B(x));
	if (gap >= need)
		return 0;
	uint64_t fix[2] = { B(x), U(B(x) + need) };
	return emit(R, sev, x, fix,
		    "%s: limit - barrier is %" PRIu64 " - %" PRIu64 " = %" PRIu64 ", below 2.5 KiB "
		    "x %s barrier (%" PRIu64 ") = %" PRIu64,
		    name, L(x), B(x), gap, sockets_name, n, need);
}

static int classic(struct run *R, int disk_quota)
{
	static const char *const required[] = {
		"NUMPROC",     "NUMTCPSOCK", "NUMOTHERSOCK", "OOMGUARPAGES", "VMGUARPAGES",
		"KMEMSIZE",    "TCPSNDBUF",  "TCPRCVBUF",    "OTHERSOCKBUF", "DGRAMRCVBUF",
		"PRIVVMPAGES", "NUMFILE",    "DCACHESIZE",   "PHYSPAGES",    "NUMPTY",
	};
	int r = 0, missing = 0;
	char buf[24];

	/* Presence first: vzcfgvalidate stops right there when one is missing. */
	for (size_t k = 0; k < ELEMENTSOF(required) && r == 0; k++)
		if (!S(R, required[k])->set) {
			missing = 1;
			r = emit(R, VZL_SEVERITY_ERROR, S(R, required[k]), NULL,
				 "%s is not set; a classic (non-VSwap) config needs it",
				 required[k]);
		}
	if (r < 0 || missing)
		return r;

	struct slot *numproc = S(R, "NUMPROC"), *avnum = S(R, "AVNUMPROC");
	uint64_t avnumproc = avnum->set ? B(avnum) : B(numproc) / 2;
	const char *quota = " although DISK_QUOTA is yes";

	if ((r = check_equal(R, "NUMPROC")) || (r = check_equal(R, "NUMTCPSOCK")) ||
	    (r = check_equal(R, "NUMOTHERSOCK")))
		return r;
	if ((r = check_fixed(R, "VMGUARPAGES", 0)))
		return r;
	if ((r = check_le(R, "KMEMSIZE", NULL)) || (r = check_le(R, "TCPSNDBUF", NULL)) ||
	    (r = check_le(R, "TCPRCVBUF", NULL)) || (r = check_le(R, "OTHERSOCKBUF", NULL)) ||
	    (r = check_le(R, "DGRAMRCVBUF", NULL)))
		return r;
	if ((r = check_fixed(R, "OOMGUARPAGES", 0)))
		return r;
	if ((r = check_le(R, "PRIVVMPAGES", NULL)) || (r = check_le(R, "LOCKEDPAGES", NULL)) ||
	    (r = check_equal(R, "SHMPAGES")) || (r = check_fixed(R, "PHYSPAGES", 1)) ||
	    (r = check_equal(R, "NUMFILE")) || (r = check_le(R, "NUMFLOCK", NULL)) ||
	    (r = check_equal(R, "NUMPTY")) || (r = check_equal(R, "NUMSIGINFO")) ||
	    (r = check_le(R, "DCACHESIZE", NULL)) || (r = check_equal(R, "NUMIPTENT")))
		return r;
	if (disk_quota &&
	    ((r = check_le(R, "DISKSPACE", quota)) || (r = check_le(R, "DISKINODES", quota))))
		return r;

	struct slot *numfile = S(R, "NUMFILE"), *dcache = S(R, "DCACHESIZE"),
		    *kmem = S(R, "KMEMSIZE"), *privvm = S(R, "PRIVVMPAGES"),
		    *vmguar = S(R, "VMGUARPAGES");
	/* Rule 7: room in the dentry cache for every file. */
	uint64_t need = U(B(numfile) * 384) & R->t->long_max;
	if (L(dcache) < need) {
		uint64_t fix[2] = { B(dcache), need };
		if ((r = emit(R, VZL_SEVERITY_WARNING, dcache, fix,
			      "DCACHESIZE: limit %" PRIu64 " is below NUMFILE barrier %" PRIu64
			      " x 384 = %" PRIu64,
			      L(dcache), B(numfile), need)))
			return r;
	}
	/* Rule 8: kernel memory for the processes and the dentry cache. */
	need = U(U(40 * 1024 * avnumproc) + L(dcache)) & R->t->long_max;
	if (B(kmem) < need) {
		uint64_t fix[2] = { need, U(L(kmem) + need - B(kmem)) };
		if ((r = emit(
			     R, VZL_SEVERITY_ERROR, kmem, fix,
			     "KMEMSIZE: barrier %" PRIu64 " is below 40 KiB x %" PRIu64
			     " processes (AVNUMPROC, or NUMPROC / 2) + DCACHESIZE limit %s = %" PRIu64,
			     B(kmem), avnumproc, lim_text(R, L(dcache), buf), need)))
			return r;
	}
	/* Rule 9; the repair's limit is vzctl's (VMGUARPAGES' limit when PRIVVMPAGES' was
	 * not lower), kept for compatibility. */
	if (B(privvm) < B(vmguar)) {
		uint64_t fix[2] = { B(vmguar), L(privvm) < B(vmguar) ? B(vmguar) : L(vmguar) };
		if ((r = emit(R, VZL_SEVERITY_WARNING, privvm, fix,
			      "PRIVVMPAGES: barrier %" PRIu64
			      " is below VMGUARPAGES barrier %" PRIu64,
			      B(privvm), B(vmguar))))
			return r;
	}
	if ((r = check_gap(R, "TCPSNDBUF", "NUMTCPSOCK", VZL_SEVERITY_ERROR)) ||
	    (r = check_gap(R, "OTHERSOCKBUF", "NUMOTHERSOCK", VZL_SEVERITY_ERROR)) ||
	    (r = check_gap(R, "TCPRCVBUF", "NUMTCPSOCK", VZL_SEVERITY_WARNING)) ||
	    (r = check_min_barrier(R, "TCPRCVBUF", 64 * 1024, 0)) ||
	    (r = check_min_barrier(R, "TCPSNDBUF", 64 * 1024, 0)) ||
	    (r = check_min_barrier(R, "DGRAMRCVBUF", 32 * 1024, 129 * 1024)) ||
	    (r = check_min_barrier(R, "OTHERSOCKBUF", 32 * 1024, 129 * 1024)))
		return r;
	/* Rule 17: a file for every socket and terminal, and 32 per process. */
	need = U(avnumproc * 32);
	uint64_t socks = U(B(S(R, "NUMTCPSOCK")) + B(S(R, "NUMOTHERSOCK")) + B(S(R, "NUMPTY")));
	if (socks > need)
		need = socks;
	need &= R->t->long_max;
	if (B(numfile) < need) {
		uint64_t fix[2] = { need, U(L(numfile) + need - B(numfile)) };
		if ((r = emit(R, VZL_SEVERITY_WARNING, numfile, fix,
			      "NUMFILE: barrier %" PRIu64 " is below max(32 x %" PRIu64
			      " processes, NUMTCPSOCK + NUMOTHERSOCK + NUMPTY barriers = %" PRIu64
			      ") = %" PRIu64,
			      B(numfile), avnumproc, socks, need)))
			return r;
	}
	/* Not vzcfgvalidate's: what start will do anyway (§6.2). */
	struct slot *iptent = S(R, "NUMIPTENT");
	if (B(iptent) < 16)
		r = emit(R, VZL_SEVERITY_NOTE, iptent, NULL,
			 "NUMIPTENT: barrier %" PRIu64 " is below 16; start raises it to 16:16",
			 B(iptent));
	return r;
}

/* VSwap: only PHYSPAGES and SWAPPAGES, barriers 0, limits within the host's RAM and swap. */
static int vswap(struct run *R, const struct validate_host *h)
{
	const char *const which[2] = { "PHYSPAGES", "SWAPPAGES" };
	const uint64_t max[2] = { h->ram_bytes / R->t->page_size, h->swap_bytes / R->t->page_size };
	const char *what[2] = { "RAM", "swap" };
	int r = 0;
	char buf[24];

	for (int k = 0; k < 2 && r == 0; k++) {
		struct slot *x = S(R, which[k]);
		if (!x->set) {
			r = emit(R, VZL_SEVERITY_ERROR, x, NULL,
				 "%s is not set; a VSwap config needs it", NAME(x));
			continue;
		}
		if (B(x) != 0) {
			uint64_t fix[2] = { 0, L(x) };
			r = emit(R, VZL_SEVERITY_ERROR, x, fix, "%s: barrier %" PRIu64 " must be 0",
				 NAME(x), B(x));
		}
		if (r == 0 && L(x) > max[k]) {
			uint64_t fix[2] = { B(x), max[k] };
			r = emit(R, VZL_SEVERITY_WARNING, x, fix,
				 "%s: limit %s pages is above the host's %s of %" PRIu64 " pages",
				 NAME(x), lim_text(R, L(x), buf), what[k], max[k]);
		}
	}
	return r;
}

int validate_is_vswap(const struct ve_spec *s, const struct units_target *t)
{
	const struct ve_ub *phys = &s->ub[UB_PHYSPAGES];
	return phys->set && phys->limit != t->long_max && phys->limit != 2147483647u;
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
	load(&R, &spec);
	bool disk_quota = spec.disk.quota.set && spec.disk.quota.value;
	int is_vswap = flags & VZL_VALIDATE_VSWAP     ? 1
		       : flags & VZL_VALIDATE_CLASSIC ? 0
						      : validate_is_vswap(&spec, t);
	ve_spec_done(&spec);
	r = is_vswap ? vswap(&R, h) : classic(&R, disk_quota);
	if (r < 0)
		return r;
	for (size_t i = 0; fix_into && i < R.n_slots; i++) {
		char val[64];
		if (!R.slots[i].dirty)
			continue;
		units_format_plain_pair(R.slots[i].v, val, sizeof(val));
		if ((r = conf_set(fix_into, NAME(&R.slots[i]), val)) < 0)
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
