/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vzl_ve_list: the VEs and the values vzlist shows (vzctl-behaviour.md §3.13), collected in
 * vzlist's order: the configs' names, /proc/vz/veinfo, the beancounters, CPU figures, each
 * VE's config, mount state, then the disk quotas. Every /proc file is read once.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <arpa/inet.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf-layer.h"
#include "conf.h"
#include "ctx.h"
#include "error.h"
#include "kernel.h"
#include "macro.h"
#include "proc-vz.h"
#include "ve-spec.h"
#include "ve-state.h"

struct collect {
	vzl_ctx *ctx;
	vzl_ve_info *v;
	unsigned char *ub_from_kernel; /* per entry: its beancounter came from /proc */
	size_t n, cap;
	const unsigned int *ids;
	size_t n_ids;
};

static int cmp_uint(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
	return x < y ? -1 : x > y;
}

static int cmp_info(const void *a, const void *b)
{
	return cmp_uint(&((const vzl_ve_info *)a)->veid, &((const vzl_ve_info *)b)->veid);
}

static int wanted(const struct collect *c, unsigned int veid)
{
	return c->n_ids == 0 || bsearch(&veid, c->ids, c->n_ids, sizeof(*c->ids), cmp_uint);
}

static vzl_ve_info *find(struct collect *c, unsigned int veid)
{
	vzl_ve_info key = { .veid = veid };
	return c->n ? bsearch(&key, c->v, c->n, sizeof(*c->v), cmp_info) : NULL;
}

static vzl_ve_info *add(struct collect *c, unsigned int veid, enum vzl_list_status st)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 256;
		vzl_ve_info *n = realloc(c->v, cap * sizeof(*n));
		if (!n)
			return NULL;
		c->v = n;
		c->cap = cap;
	}
	vzl_ve_info *e = &c->v[c->n++];
	*e = (vzl_ve_info){ .veid = veid, .status = st, .ioprio = -1 };
	return e;
}

/* <VEID>.conf in the config directory, as vzlist's readdir scan */
static int list_configs(struct collect *c, vzl_error **err)
{
	const char *dir = c->ctx->paths[VZL_PATH_CONF_DIR];
	DIR *d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0
				       : error_set(err, errno, 0, VZL_STEP_CONFIG_READ, NULL,
						   "cannot read the config directory %s: %m", dir);
	struct dirent *de;
	int r = 0;
	while ((de = readdir(d))) {
		const char *s = de->d_name;
		char *end;
		if (*s < '0' || *s > '9' || (s[0] == '0' && s[1] != '.'))
			continue;
		unsigned long id = strtoul(s, &end, 10);
		if (strcmp(end, ".conf") || id > VZL_VEID_MAX || !wanted(c, (unsigned)id))
			continue;
		if (!add(c, (unsigned)id, VZL_LIST_STOPPED)) {
			r = error_set(err, ENOMEM, 0, VZL_STEP_NONE, NULL, "out of memory");
			break;
		}
	}
	closedir(d);
	if (c->n) /* no qsort of a NULL base (UBSan) */
		qsort(c->v, c->n, sizeof(*c->v), cmp_info);
	return r;
}

/* vzlist prints the kernel's addresses last first, each through inet_ntop (so IPv6 ones
 * get their "::" back), each followed by a space. */
static char *reverse_ips(const char *ips, size_t len)
{
	char *out = malloc(len * 2 + 2), *o = out;
	if (!out)
		return NULL;
	const char *p = ips + len;
	while (p > ips) {
		while (p > ips && (p[-1] == ' ' || p[-1] == '\t'))
			p--;
		const char *e = p;
		while (p > ips && p[-1] != ' ' && p[-1] != '\t')
			p--;
		char tok[64], txt[INET6_ADDRSTRLEN];
		unsigned char bin[16];
		size_t l = (size_t)(e - p);
		if (l == 0 || l >= sizeof(tok))
			continue;
		memcpy(tok, p, l);
		tok[l] = 0;
		int fam = strchr(tok, ':') ? AF_INET6 : AF_INET;
		if (inet_pton(fam, tok, bin) != 1 || !inet_ntop(fam, bin, txt, sizeof(txt)))
			continue;
		o += sprintf(o, "%s ", txt);
	}
	*o = 0;
	return out;
}

static int on_veinfo(void *u, unsigned int veid, unsigned int tasks, const char *ips, size_t len)
{
	struct collect *c = u;
	if (!wanted(c, veid))
		return 0;
	vzl_ve_info *e = find(c, veid);
	if (!e) {
		if (!(e = add(c, veid, VZL_LIST_RUNNING)))
			return -ENOMEM;
		/* keep the array sorted: the new one moves to its place */
		vzl_ve_info t = *e;
		size_t i = c->n - 1;
		for (; i > 0 && c->v[i - 1].veid > veid; i--)
			c->v[i] = c->v[i - 1];
		c->v[i] = t;
		e = &c->v[i];
	}
	e->status = VZL_LIST_RUNNING;
	e->tasks = tasks;
	if (len && !e->ip && !(e->ip = reverse_ips(ips, len)))
		return -ENOMEM;
	return 0;
}

static int on_ub(void *u, unsigned int id, unsigned int ub, const uint64_t v[5])
{
	struct collect *c = u;
	vzl_ve_info *e = find(c, id);
	if (!e || e->status != VZL_LIST_RUNNING)
		return 0;
	e->ub[ub] = (struct vzl_ub_value){ v[0], v[1], v[2], v[3], v[4] };
	c->ub_from_kernel[e - c->v] = 1;
	return 0;
}

/* n / d rounded to the nearest, a half to the even one (as rint() in the default mode) */
static unsigned long div_round(unsigned long n, unsigned long d)
{
	unsigned long q = n / d, twice_rest = n % d * 2;
	return twice_rest > d || (twice_rest == d && q % 2) ? q + 1 : q;
}

static int on_fairsched(void *u, unsigned int id, unsigned long weight, unsigned long rate)
{
	vzl_ve_info *e = find(u, id);
	if (!e || weight == 0)
		return 0;
	/* the inverse of vzctl's formulas, rounded (§3.6): 1024 = 100 %, 500000 / weight units */
	e->has_cpu = 1;
	e->cpulimit = div_round(rate * 100, 1024);
	e->cpuunits = div_round(500000, weight);
	return 0;
}

static int on_quota(void *u, unsigned int id, const uint64_t space[3], const uint64_t inodes[3])
{
	vzl_ve_info *e = find(u, id);
	if (!e)
		return 0;
	e->has_quota = 1;
	memcpy(e->diskspace, space, sizeof(e->diskspace));
	memcpy(e->diskinodes, inodes, sizeof(e->diskinodes));
	return 0;
}

static int on_vestat(void *u, unsigned int id, const uint64_t v[4])
{
	vzl_ve_info *e = find(u, id);
	if (!e || e->status != VZL_LIST_RUNNING)
		return 0;
	e->has_vestat = 1;
	e->cpu_ticks = v[0] + v[1] + v[2];
	e->uptime_ticks = v[3];
	return 0;
}

static int proc_error(vzl_error **err, int r, const vzl_ctx *ctx, const char *rel)
{
	if (r == -ENOMEM)
		return error_set(err, ENOMEM, 0, VZL_STEP_NONE, NULL, "out of memory");
	return error_set(err, -r, 0, VZL_STEP_KERNEL_OPEN, NULL,
			 "cannot read %s/%s: %s; is this an OpenVZ kernel, and is %s its proc?",
			 ctx->paths[VZL_PATH_PROC], rel, strerror(-r), ctx->paths[VZL_PATH_PROC]);
}

static int read_proc(struct collect *c, unsigned int flags, vzl_error **err)
{
	_cleanup_free_ char *buf = NULL;
	int r = proc_vz_read(c->ctx, "vz/veinfo", &buf, NULL);
	if (r < 0)
		return proc_error(err, r, c->ctx, "vz/veinfo");
	if ((r = proc_vz_parse_veinfo(buf, on_veinfo, c)) < 0)
		return proc_error(err, r, c->ctx, "vz/veinfo");
	if (c->n && !(c->ub_from_kernel = calloc(c->n, 1)))
		return proc_error(err, -ENOMEM, c->ctx, "");
	if (flags & VZL_LIST_UB) {
		const char *which = NULL;
		free(TAKE_PTR(buf));
		if ((r = proc_vz_read_ub(c->ctx, &buf, &which)) < 0)
			return proc_error(err, r, c->ctx, which);
		proc_vz_parse_ub(buf, on_ub, c);
	}
	if (flags & VZL_LIST_CPU) {
		free(TAKE_PTR(buf));
		if ((r = proc_vz_read(c->ctx, "fairsched", &buf, NULL)) < 0)
			return proc_error(err, r, c->ctx, "fairsched");
		proc_vz_parse_fairsched(buf, on_fairsched, c);
	}
	if (flags & VZL_LIST_VESTAT) {
		free(TAKE_PTR(buf));
		if ((r = proc_vz_read(c->ctx, "vz/vestat", &buf, NULL)) < 0)
			return proc_error(err, r, c->ctx, "vz/vestat");
		proc_vz_parse_vestat(buf, on_vestat, c);
	}
	return 0;
}

static void read_cpustat(struct collect *c)
{
	long tck = sysconf(_SC_CLK_TCK);
	for (size_t i = 0; i < c->n; i++) {
		vzl_ve_info *e = &c->v[i];
		struct vz_cpu_stat st;
		if (e->status != VZL_LIST_RUNNING ||
		    kernel_get_cpu_stat(&c->ctx->kernel, e->veid, &st) < 0)
			continue;
		e->has_cpustat = 1;
		for (int k = 0; k < 3; k++) /* single precision, as vzlist keeps them */
			e->loadavg[k] = (float)(st.avenrun[k].val_int +
						(float)st.avenrun[k].val_frac * 0.01f);
		e->uptime = (float)st.uptime_jif / (float)(tck > 0 ? tck : 100);
	}
}

static int read_nr_cpus(const struct collect *c, unsigned int veid)
{
	char rel[64], *buf = NULL;
	snprintf(rel, sizeof(rel), "vz/fairsched/%u/cpu.nr_cpus", veid);
	if (proc_vz_read(c->ctx, rel, &buf, NULL) < 0)
		return 0;
	int n = atoi(buf);
	free(buf);
	return n;
}

/* NAME counts only when $NAMES_DIR/<NAME> (names/ beside vz.conf, as /etc/vz/names) links
 * to this VE's config, as vzctl's get_veid_by_name decides. */
static int name_owner(const vzl_ctx *ctx, const char *name, unsigned int *ret)
{
	_cleanup_free_ char *g = strdup(ctx->paths[VZL_PATH_GLOBAL_CONFIG]), *link = NULL;
	char target[4096];
	if (!g || asprintf(&link, "%s/names/%s", dirname(g), name) < 0)
		return -ENOMEM;
	ssize_t l = readlink(link, target, sizeof(target) - 1);
	if (l < 0)
		return -errno;
	target[l] = 0;
	char *base = strrchr(target, '/'), *end;
	base = base ? base + 1 : target;
	unsigned long id = strtoul(base, &end, 10);
	if (end == base || strcmp(end, ".conf") || id > VZL_VEID_MAX)
		return -EINVAL;
	*ret = (unsigned int)id;
	return 0;
}

VZL_API int vzl_ve_id_by_name(vzl_ctx *ctx, const char *name, unsigned int *ret, vzl_error **err)
{
	int r = strchr(name, '/') || !*name ? -EINVAL : name_owner(ctx, name, ret);
	if (r < 0)
		return error_set(err, -r, 0, VZL_STEP_ARGUMENT, "NAME",
				 "no VE is named '%s' (no link names/%s beside %s)", name, name,
				 ctx->paths[VZL_PATH_GLOBAL_CONFIG]);
	return 0;
}

static int dup_opt(char **dst, const char *src)
{
	if (src && !(*dst = strdup(src)))
		return -ENOMEM;
	return 0;
}

/* A list value as vzctl's list2str: the words, each followed by a space. */
static int word_list(const struct layers *L, const char *key, char **ret)
{
	_cleanup_free_ char *v = NULL;
	const struct param_def *p = param_find(key);
	enum vzl_source src;
	if (!p || layer_get(L, p, units_native(), &v, &src) < 0)
		return -ENOMEM;
	if (!v)
		return 0;
	char *out = malloc(strlen(v) + 2), *o = out;
	if (!out)
		return -ENOMEM;
	for (char *tok = strtok(v, " \t\n"); tok; tok = strtok(NULL, " \t\n"))
		o += sprintf(o, "%s ", tok);
	*o = 0;
	if (o == out)
		free(TAKE_PTR(out));
	*ret = out;
	return 0;
}

static int merge_config(struct collect *c, vzl_ve_info *e, int ub_from_kernel, unsigned ncpus)
{
	const vzl_ctx *ctx = c->ctx;
	_cleanup_free_ char *path = NULL;
	struct conf *conf = NULL;
	if (asprintf(&path, "%s/%u.conf", ctx->paths[VZL_PATH_CONF_DIR], e->veid) < 0)
		return -ENOMEM;
	e->has_config = conf_read(path, &conf, NULL) >= 0;
	if (!e->has_config && conf_parse(path, "", 0, &conf, NULL) < 0)
		return -ENOMEM;
	/* vzlist reads the VE's config alone: vz.conf counts only for VE_ROOT/VE_PRIVATE */
	struct layers L = { .global = NULL, .file = conf, .file_is_ve = 1 };
	struct ve_spec s;
	const char *bad = NULL;
	int r = ve_spec_load(&L, e->veid, units_native(), NULL, NULL, NULL, NULL, &s, &bad);
	if (r == -ENOMEM) {
		conf_free(conf);
		return r;
	}
	if (!ub_from_kernel)
		for (int i = 0; i < UB_RESOURCES && i < VZL_UB_COUNT; i++)
			if (s.ub[i].set) {
				e->ub[i].barrier = s.ub[i].barrier;
				e->ub[i].limit = s.ub[i].limit;
			}
	if (!e->has_quota && s.disk.space.set && s.disk.inodes.set) {
		e->has_quota = 1;
		e->diskspace[1] = s.disk.space.soft;
		e->diskspace[2] = s.disk.space.hard;
		e->diskinodes[1] = s.disk.inodes.soft;
		e->diskinodes[2] = s.disk.inodes.hard;
	}
	if (!e->has_cpu && (s.cpu.limit.set || s.cpu.units.set)) {
		e->has_cpu = 1;
		e->cpulimit = s.cpu.limit.set
				      ? s.cpu.limit.value * (s.cpu.limit.of_host ? ncpus : 1)
				      : 0;
		e->cpuunits = s.cpu.units.set ? s.cpu.units.value : 0;
	}
	if (s.cpu.cpus.set)
		e->cpus = (int)s.cpu.cpus.value;
	e->ioprio = s.ioprio.set ? (int)s.ioprio.value : -1;
	e->onboot = s.onboot.set && s.onboot.value;
	e->disabled = s.disabled.set && s.disabled.value;
	if ((e->has_bootorder = s.bootorder.set))
		e->bootorder = s.bootorder.value;
	if (s.features.set) {
		e->features_on = s.features.on;
		e->features_known = s.features.on | s.features.off;
	}
	unsigned owner;
	if (!e->ip)
		r = word_list(&L, "IP_ADDRESS", &e->ip);
	if (r >= 0)
		r = word_list(&L, "NAMESERVER", &e->nameserver);
	if (r >= 0)
		r = word_list(&L, "SEARCHDOMAIN", &e->searchdomain);
	if (r >= 0 && s.name && name_owner(ctx, s.name, &owner) == 0 && owner == e->veid)
		r = dup_opt(&e->name, s.name);
	if (r >= 0)
		r = dup_opt(&e->hostname, s.net.hostname);
	if (r >= 0)
		r = dup_opt(&e->description, s.description);
	if (r >= 0)
		r = dup_opt(&e->ostemplate, s.ostemplate);
	if (r >= 0)
		r = dup_opt(&e->origin_sample, s.origin_sample);
	if (r >= 0)
		r = dup_opt(&e->mount_opts, conf_get(conf, "MOUNT_OPTS"));
	/* the VE's own paths, else vz.conf's with $VEID put in */
	const char *gp = conf_get(ctx->global, "VE_PRIVATE"),
		   *gr = conf_get(ctx->global, "VE_ROOT");
	if (r >= 0 && (s.private_dir ? dup_opt(&e->private_dir, s.private_dir)
				     : gp && !(e->private_dir = conf_expand_veid(gp, e->veid))) < 0)
		r = -ENOMEM;
	if (r >= 0 && (s.root_dir ? dup_opt(&e->root_dir, s.root_dir)
				  : gr && !(e->root_dir = conf_expand_veid(gr, e->veid))) < 0)
		r = -ENOMEM;
	ve_spec_done(&s);
	conf_free(conf);
	return r;
}

/* stopped VEs: hidden without a private area, else suspended or mounted (vzlist's order) */
static void stopped_state(const vzl_ctx *ctx, vzl_ve_info *e)
{
	struct stat st;
	char path[4096];
	if (e->private_dir) {
		snprintf(path, sizeof(path), "%s/root.hdd/DiskDescriptor.xml", e->private_dir);
		e->ploop = stat(path, &st) == 0;
	}
	if (e->status == VZL_LIST_RUNNING)
		return;
	if (!e->private_dir || stat(e->private_dir, &st) < 0) {
		e->hidden = 1;
		return;
	}
	const char *dump = conf_get(ctx->global, "DUMPDIR");
	snprintf(path, sizeof(path), "%s/Dump.%u", dump && *dump ? dump : "/vz/dump", e->veid);
	if (stat(path, &st) == 0)
		e->status = VZL_LIST_SUSPENDED;
	if (e->root_dir && ve_is_mounted(e->root_dir, e->private_dir))
		e->status = VZL_LIST_MOUNTED;
}

VZL_API void vzl_ve_list_free(vzl_ve_info *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		vzl_ve_info *e = &v[i];
		free(e->hostname), free(e->name), free(e->description), free(e->ostemplate);
		free(e->private_dir), free(e->root_dir), free(e->mount_opts);
		free(e->origin_sample), free(e->ip), free(e->nameserver), free(e->searchdomain);
	}
	free(v);
}

VZL_API int vzl_ve_list(vzl_ctx *ctx, unsigned int flags, const unsigned int *ids, size_t n_ids,
			vzl_ve_info **ret, size_t *ret_n, vzl_error **err)
{
	struct collect c = { .ctx = ctx, .n_ids = n_ids };
	_cleanup_free_ unsigned *sorted = NULL;
	int r = 0;
	if (n_ids) {
		if (!(sorted = malloc(n_ids * sizeof(*sorted))))
			return error_set(err, ENOMEM, 0, VZL_STEP_NONE, NULL, "out of memory");
		memcpy(sorted, ids, n_ids * sizeof(*sorted));
		qsort(sorted, n_ids, sizeof(*sorted), cmp_uint);
		c.ids = sorted;
	}
	if ((flags & VZL_LIST_CONFIGURED) || n_ids)
		r = list_configs(&c, err);
	if (r >= 0)
		r = read_proc(&c, flags, err);
	if (r >= 0 && (flags & VZL_LIST_CPUSTAT))
		read_cpustat(&c);
	long nc = sysconf(_SC_NPROCESSORS_ONLN);
	for (size_t i = 0; r >= 0 && i < c.n; i++) {
		vzl_ve_info *e = &c.v[i];
		if ((flags & VZL_LIST_CPUS) && e->status == VZL_LIST_RUNNING)
			e->cpus = read_nr_cpus(&c, e->veid);
		if (merge_config(&c, e, c.ub_from_kernel && c.ub_from_kernel[i],
				 nc > 0 ? (unsigned)nc : 1) < 0)
			r = error_set(err, ENOMEM, 0, VZL_STEP_NONE, NULL, "out of memory");
		else
			stopped_state(ctx, e);
	}
	if (r >= 0 && (flags & VZL_LIST_QUOTA)) {
		_cleanup_free_ char *buf = NULL;
		/* no quota file: no quotas to show, as vzlist */
		if (proc_vz_read(ctx, "vz/vzquota", &buf, NULL) == 0)
			proc_vz_parse_vzquota(buf, on_quota, &c);
	}
	free(c.ub_from_kernel);
	if (r < 0) {
		vzl_ve_list_free(c.v, c.n);
		return r;
	}
	*ret = c.v;
	*ret_n = c.n;
	return 0;
}

struct ub_one {
	unsigned int veid;
	struct vzl_ub_value *v;
	uint32_t present;
};

static int ub_one(void *u, unsigned int id, unsigned int ub, const uint64_t v[5])
{
	struct ub_one *o = u;
	if (id == o->veid) {
		o->v[ub] = (struct vzl_ub_value){ v[0], v[1], v[2], v[3], v[4] };
		o->present |= 1u << ub;
	}
	return 0;
}

VZL_API int vzl_ve_ub_read(vzl_ctx *ctx, unsigned int veid, struct vzl_ub_value ret[VZL_UB_COUNT],
			   uint32_t *ret_present, vzl_error **err)
{
	struct ub_one o = { veid, ret, 0 };
	_cleanup_free_ char *buf = NULL;
	const char *which = NULL;
	int r = proc_vz_read_ub(ctx, &buf, &which);
	if (r < 0)
		return proc_error(err, r, ctx, which);
	memset(ret, 0, sizeof(*ret) * VZL_UB_COUNT);
	proc_vz_parse_ub(buf, ub_one, &o);
	if (!o.present)
		return error_set(err, ESRCH, veid, VZL_STEP_STATE, NULL,
				 "the kernel has no beancounter for VE %u: it is not running "
				 "(vzlite start %u)",
				 veid, veid);
	*ret_present = o.present;
	return 0;
}
