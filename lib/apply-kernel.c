/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The appliers that issue a kernel call (apply.h). Each parses the row's canonical value
 * with units.c's parsers and makes the call vzctl makes for it (vzctl-behaviour.md §3.2,
 * §3.6 and its CPU formulas; kernel-abi.md §3, §4, §6, §8, §9) through kernel.c.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "apply.h"
#include "ctx.h"
#include "error.h"
#include "value.h"

/* Bytes of the CPU mask vzctl passes: 4096 CPUs. */
#define CPUMASK_BYTES 512

static int bad_value(const struct apply_ctx *a, const struct param_def *p, const char *value,
		     vzl_error **err)
{
	char quoted[80];
	value_quote(value, quoted, sizeof(quoted));
	return error_set(err, EINVAL, a->veid, VZL_STEP_CONFIG_VALUE, p->name,
			 "%s: \"%s\" cannot be applied; correct it with 'vzlite set %u --%s VALUE "
			 "--save'",
			 p->name, quoted, a->veid, p->option ? p->option : p->name);
}

static int call_failed(const struct apply_ctx *a, const struct param_def *p, int r,
		       enum vzl_step step, const char *call, vzl_error **err)
{
	return error_set(err, -r, a->veid, step, p->name, "%s of %s failed: %s", call, p->name,
			 strerror(-r));
}

static int parse_ulong(const struct apply_ctx *a, const char *value, uint64_t *ret)
{
	return units_parse_ulong(a->t, false, value, ret, NULL);
}

int apply_setublimit(const struct apply_ctx *a, const struct param_def *p, const char *value,
		     vzl_error **err)
{
	struct units_rule rule;
	uint64_t v[2];
	if (p->ub_resource < 0 || value_rule(p, a->t, &rule) < 0 ||
	    units_parse_pair(a->t, &rule, value, v, NULL) < 0)
		return bad_value(a, p, value, err);
	int r = kernel_setublimit(a->k, a->veid, (unsigned)p->ub_resource, (unsigned long)v[0],
				  (unsigned long)v[1]);
	return r < 0 ? call_failed(a, p, r, VZL_STEP_UBC_SET, "setublimit", err) : 0;
}

/* vzctl treats ENOSYS from a fair-scheduler call as success (kernel without fairsched). */
static int fairsched_result(const struct apply_ctx *a, const struct param_def *p, int r,
			    const char *call, vzl_error **err)
{
	if (r == -ENOSYS || r >= 0)
		return 0;
	return call_failed(a, p, r, VZL_STEP_FAIRSCHED, call, err);
}

int apply_cpuunits(const struct apply_ctx *a, const struct param_def *p, const char *value,
		   vzl_error **err)
{
	uint64_t u;
	if (parse_ulong(a, value, &u) < 0 || u < 8 || u > 500000)
		return bad_value(a, p, value, err);
	return fairsched_result(a, p, kernel_fairsched_chwt(a->k, a->veid, (unsigned)(500000 / u)),
				"fairsched_chwt", err);
}

int apply_cpuweight(const struct apply_ctx *a, const struct param_def *p, const char *value,
		    vzl_error **err)
{
	uint64_t w;
	if (a->value_of && a->value_of(a->userdata, "CPUUNITS"))
		return 0; /* CPUUNITS wins; its applier sets the weight */
	if (parse_ulong(a, value, &w) < 0 || w < 1 || w > 65535)
		return bad_value(a, p, value, err);
	return fairsched_result(a, p, kernel_fairsched_chwt(a->k, a->veid, (unsigned)w),
				"fairsched_chwt", err);
}

int apply_cpulimit(const struct apply_ctx *a, const struct param_def *p, const char *value,
		   vzl_error **err)
{
	uint64_t pct;
	size_t d = strspn(value, "0123456789");
	int of_host = value[d] == '%';
	char digits[16];
	if (!d || d >= sizeof(digits) || (value[d] && !(of_host && !value[d + 1])))
		return bad_value(a, p, value, err);
	snprintf(digits, sizeof(digits), "%.*s", (int)d, value);
	if (parse_ulong(a, digits, &pct) < 0)
		return bad_value(a, p, value, err);
	if (of_host) { /* N% of the host is N% of one CPU times the CPUs online */
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		pct *= (uint64_t)(n > 0 ? n : 1);
	}
	uint64_t rate = pct * 1024 / 100;
	if (rate > 2147483647u)
		return bad_value(a, p, value, err);
	int r = rate ? kernel_fairsched_rate(a->k, a->veid, FAIRSCHED_SET_RATE, (unsigned)rate)
		     : kernel_fairsched_rate(a->k, a->veid, FAIRSCHED_DROP_RATE, 0);
	return fairsched_result(a, p, r, "fairsched_rate", err);
}

int apply_cpus(const struct apply_ctx *a, const struct param_def *p, const char *value,
	       vzl_error **err)
{
	uint64_t n;
	if (parse_ulong(a, value, &n) < 0 || n > 4096)
		return bad_value(a, p, value, err);
	return fairsched_result(a, p, kernel_fairsched_vcpus(a->k, a->veid, (unsigned)n),
				"fairsched_vcpus", err);
}

/* "0-2,7" or "all" into the bit mask; -EINVAL otherwise ("auto" needs NODEMASK's CPUs). */
static int parse_cpu_list(const char *s, unsigned long *mask, size_t bits)
{
	if (strcmp(s, "all") == 0) {
		memset(mask, 0xff, bits / 8);
		return 0;
	}
	while (*s) {
		char *end;
		unsigned long lo = strtoul(s, &end, 10), hi = lo;
		if (end == s || *s == '-' || *s == '+')
			return -EINVAL;
		if (*end == '-') {
			s = end + 1;
			hi = strtoul(s, &end, 10);
			if (end == s || *s == '-' || *s == '+' || hi < lo)
				return -EINVAL;
		}
		if (hi >= bits || (*end && *end != ','))
			return -EINVAL;
		for (unsigned long c = lo; c <= hi; c++)
			mask[c / (8 * sizeof(long))] |= 1ul << (c % (8 * sizeof(long)));
		s = *end ? end + 1 : end;
	}
	return 0;
}

int apply_cpumask(const struct apply_ctx *a, const struct param_def *p, const char *value,
		  vzl_error **err)
{
	unsigned long mask[CPUMASK_BYTES / sizeof(long)] = { 0 };
	if (strcmp(value, "auto") == 0)
		return error_set(err, EOPNOTSUPP, a->veid, VZL_STEP_NOT_IMPLEMENTED, p->name,
				 "CPUMASK=auto (the CPUs of NODEMASK) cannot be applied yet; give "
				 "the CPUs as a list");
	if (parse_cpu_list(value, mask, CPUMASK_BYTES * 8) < 0)
		return bad_value(a, p, value, err);
	return fairsched_result(a, p, kernel_fairsched_cpumask(a->k, a->veid, mask, CPUMASK_BYTES),
				"fairsched_cpumask", err);
}

/* One address of IP_ADDRESS (ADDR[/PREFIX]) as a sockaddr; the prefix is not the kernel's. */
static int ip_sockaddr(const char *word, struct sockaddr_storage *ss, socklen_t *len)
{
	char addr[INET6_ADDRSTRLEN];
	size_t n = strcspn(word, "/");
	if (n >= sizeof(addr))
		return -EINVAL;
	snprintf(addr, sizeof(addr), "%.*s", (int)n, word);
	memset(ss, 0, sizeof(*ss));
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
	if (inet_pton(AF_INET, addr, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		*len = sizeof(*in);
		return 0;
	}
	if (inet_pton(AF_INET6, addr, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		*len = sizeof(*in6);
		return 0;
	}
	return -EINVAL;
}

/*
 * Each blank-separated word of `value` to `fn`. With `dry` set only parsed: a list is parsed
 * whole before its first call, so a bad later entry sends nothing.
 */
typedef int word_fn(const struct apply_ctx *a, const struct param_def *p, char *word, bool dry,
		    vzl_error **err);

static int each_word(const struct apply_ctx *a, const struct param_def *p, const char *value,
		     word_fn *fn, vzl_error **err)
{
	for (int dry = 1; dry >= 0; dry--)
		for (const char *w = value + strspn(value, " \t"); *w; w += strspn(w, " \t")) {
			size_t n = strcspn(w, " \t");
			char word[64];
			if (n >= sizeof(word))
				return bad_value(a, p, value, err);
			snprintf(word, sizeof(word), "%.*s", (int)n, w);
			int r = fn(a, p, word, dry, err);
			if (r < 0)
				return r == -EINVAL && dry ? bad_value(a, p, value, err) : r;
			w += n;
		}
	return 0;
}

static int ip_add(const struct apply_ctx *a, const struct param_def *p, char *word, bool dry,
		  vzl_error **err)
{
	struct sockaddr_storage ss;
	socklen_t len;
	if (ip_sockaddr(word, &ss, &len) < 0)
		return -EINVAL;
	if (dry)
		return 0;
	int r = kernel_venet_ip(a->k, a->veid, VE_IP_ADD, (struct sockaddr *)&ss, len);
	if (r < 0)
		return error_set(err, -r, a->veid, VZL_STEP_VENET, p->name,
				 "VENETCTL_VE_IP_MAP adding %s failed: %s", word, strerror(-r));
	return 0;
}

int apply_ip_address(const struct apply_ctx *a, const struct param_def *p, const char *value,
		     vzl_error **err)
{
	return each_word(a, p, value, ip_add, err);
}

/* r, w, q or none as the kernel's mask bits (kernel-abi.md §3.1). */
static int devperm_mask(const char *perm, unsigned *ret)
{
	unsigned m = 0;
	if (strcmp(perm, "none") == 0) {
		*ret = 0;
		return 0;
	}
	for (; *perm; perm++)
		switch (*perm) {
		case 'r':
			m |= S_IROTH;
			break;
		case 'w':
			m |= S_IWOTH;
			break;
		case 'q':
			m |= S_IXGRP;
			break;
		default:
			return -EINVAL;
		}
	*ret = m;
	return 0;
}

/* One DEVICES entry b|c:MAJOR:MINOR|all:PERM as setdevperms' type, dev and mask. */
static int devperm_entry(char *tok, unsigned *type, unsigned *dev, unsigned *mask)
{
	char *perm = strrchr(tok, ':');
	unsigned long major, minor = 0;
	char *end;
	if (!perm || devperm_mask(perm + 1, mask) < 0 || (tok[0] != 'b' && tok[0] != 'c') ||
	    tok[1] != ':')
		return -EINVAL;
	*perm = '\0';
	major = strtoul(tok + 2, &end, 10);
	if (end == tok + 2 || *end != ':' || major > 4095)
		return -EINVAL;
	int all = strcmp(end + 1, "all") == 0;
	if (!all) {
		char *mend;
		minor = strtoul(end + 1, &mend, 10);
		if (mend == end + 1 || *mend || minor > 1048575)
			return -EINVAL;
	}
	*type = (tok[0] == 'b' ? S_IFBLK : S_IFCHR) | (all ? VE_USE_MAJOR : VE_USE_MINOR);
	/* The kernel's new_encode_dev, which it decodes again */
	*dev = (unsigned)((minor & 0xff) | (major << 8) | ((minor & ~0xfful) << 12));
	return 0;
}

static int devperm_set(const struct apply_ctx *a, const struct param_def *p, char *word, bool dry,
		       vzl_error **err)
{
	unsigned type, dev, mask;
	if (devperm_entry(word, &type, &dev, &mask) < 0)
		return -EINVAL;
	int r = dry ? 0 : kernel_setdevperms(a->k, a->veid, type, dev, mask);
	return r < 0 ? call_failed(a, p, r, VZL_STEP_NONE, "VZCTL_SETDEVPERMS", err) : 0;
}

int apply_devices(const struct apply_ctx *a, const struct param_def *p, const char *value,
		  vzl_error **err)
{
	return each_word(a, p, value, devperm_set, err);
}

/* A soft:hard pair of DISKSPACE or DISKINODES, from the row's value or the VE's. */
static int disk_pair(const struct apply_ctx *a, const struct param_def *self, const char *value,
		     const char *key, uint64_t v[2], vzl_error **err)
{
	const struct param_def *p = param_find(key);
	const char *text = p == self ? value : a->value_of ? a->value_of(a->userdata, key) : NULL;
	struct units_rule rule;
	if (!text)
		return error_set(err, EINVAL, a->veid, VZL_STEP_QUOTA, key,
				 "%s is not set, and the disk quota needs it; set it with 'vzlite "
				 "set %u --%s SOFT:HARD --save'",
				 key, a->veid, p->option);
	if (value_rule(p, a->t, &rule) < 0 || units_parse_pair(a->t, &rule, text, v, NULL) < 0)
		return bad_value(a, p, text, err);
	return 0;
}

/*
 * DISKSPACE, DISKINODES and QUOTATIME go to the kernel together (vzquota setlimit): one
 * VZ_DQ_SETLIMIT with the VE's values of all three, whichever row changed.
 */
int apply_disk_limits(const struct apply_ctx *a, const struct param_def *p, const char *value,
		      vzl_error **err)
{
	uint64_t space[2], inodes[2], grace = 259200;
	const struct param_def *qt = param_find("QUOTATIME");
	const char *qtext = p == qt       ? value
			    : a->value_of ? a->value_of(a->userdata, "QUOTATIME")
					  : NULL;
	int r;
	if ((r = disk_pair(a, p, value, "DISKSPACE", space, err)) < 0 ||
	    (r = disk_pair(a, p, value, "DISKINODES", inodes, err)) < 0)
		return r;
	if (qtext && parse_ulong(a, qtext, &grace) < 0)
		return bad_value(a, qt, qtext, err);
	if (space[1] > UINT64_MAX / 1024 || inodes[1] > UINT32_MAX)
		return bad_value(a, p, value, err);
	struct vz_quota_stat qs = { 0 };
	qs.dq_stat.bsoftlimit = space[0] * 1024; /* the kernel counts bytes, the config KiB */
	qs.dq_stat.bhardlimit = space[1] * 1024;
	qs.dq_stat.isoftlimit = (uint32_t)inodes[0];
	qs.dq_stat.ihardlimit = (uint32_t)inodes[1];
	qs.dq_info.bexpire = (long)grace;
	qs.dq_info.iexpire = (long)grace;
	r = kernel_quota_ctl(a->k, VZ_DQ_SETLIMIT, a->veid, &qs, NULL);
	return r < 0 ? call_failed(a, p, r, VZL_STEP_QUOTA, "VZ_DQ_SETLIMIT", err) : 0;
}

/* NODEMASK: "all" or a node list as the 4096-bit mask vzctl passes (§3.6). */
int apply_nodemask(const struct apply_ctx *a, const struct param_def *p, const char *value,
		   vzl_error **err)
{
	unsigned long mask[CPUMASK_BYTES / sizeof(long)] = { 0 };
	if (parse_cpu_list(value, mask, CPUMASK_BYTES * 8) < 0)
		return bad_value(a, p, value, err);
	return fairsched_result(a, p, kernel_fairsched_nodemask(a->k, a->veid, mask, CPUMASK_BYTES),
				"fairsched_nodemask", err);
}

/* A VSwap config (§6.6): PHYSPAGES' limit is neither the target's LONG_MAX nor INT_MAX. */
static bool is_vswap(const struct apply_ctx *a)
{
	const char *text = a->value_of ? a->value_of(a->userdata, "PHYSPAGES") : NULL;
	struct units_rule rule;
	uint64_t v[2];
	if (!text || value_rule(param_find("PHYSPAGES"), a->t, &rule) < 0 ||
	    units_parse_pair(a->t, &rule, text, v, NULL) < 0)
		return false;
	return v[1] != a->t->long_max && v[1] != 2147483647u;
}

/*
 * MEMINFO (vzctl's meminfo.c): none sends VE_MEMINFO_SYSTEM (0), pages:N sends N, and
 * privvmpages:N sends N times PRIVVMPAGES' barrier, at most the target's ULONG_MAX. A VSwap
 * VE's /proc/meminfo comes from its RAM and swap limits: nothing is sent, nor when
 * privvmpages:N has no PRIVVMPAGES to scale (vzctl only warns there).
 */
int apply_meminfo(const struct apply_ctx *a, const struct param_def *p, const char *value,
		  vzl_error **err)
{
	struct value_typed v;
	uint64_t val = 0;
	if (value_parse(p, a->t, VALUE_FROM_FILE, value, &v, NULL) < 0)
		return bad_value(a, p, value, err);
	int mode = v.e;
	uint64_t n = v.u;
	value_typed_done(&v);
	if (is_vswap(a))
		return 0;
	uint64_t ulong_max = a->t->long_max * 2 + 1;
	if (mode == VALUE_MEMINFO_PAGES) {
		val = n;
	} else if (mode == VALUE_MEMINFO_PRIVVMPAGES) {
		const struct param_def *pv = param_find("PRIVVMPAGES");
		const char *text = a->value_of ? a->value_of(a->userdata, "PRIVVMPAGES") : NULL;
		struct units_rule rule;
		uint64_t pair[2];
		if (!text)
			return 0;
		if (value_rule(pv, a->t, &rule) < 0 ||
		    units_parse_pair(a->t, &rule, text, pair, NULL) < 0)
			return bad_value(a, pv, text, err);
		val = pair[0] > ulong_max / n ? ulong_max : pair[0] * n;
	}
	if (val > ulong_max)
		return bad_value(a, p, value, err);
	int r = kernel_ve_meminfo(a->k, a->veid, (unsigned long)val);
	return r < 0 ? call_failed(a, p, r, VZL_STEP_NONE, "VZCTL_VE_MEMINFO", err) : 0;
}

/*
 * DEVNODES: each NAME:PERM allows the host's device node /dev/NAME (its type and number,
 * one major:minor) in the VE with VZCTL_SETDEVPERMS. Only the permission: making the node
 * inside the VE's /dev is the start work's (it writes into the VE's tree, §5.6), as is
 * removing it for "none".
 */
static int devnode_set(const struct apply_ctx *a, const struct param_def *p, char *word, bool dry,
		       vzl_error **err)
{
	char *perm = strrchr(word, ':');
	char path[PATH_MAX];
	unsigned mask;
	struct stat st;
	if (!perm || perm == word || devperm_mask(perm + 1, &mask) < 0)
		return -EINVAL;
	*perm = '\0';
	if (word[0] == '/' || strstr(word, "..") ||
	    snprintf(path, sizeof(path), "/dev/%s", word) >= (int)sizeof(path))
		return -EINVAL;
	/* On both passes: a missing node makes the whole list send nothing */
	int e = stat(path, &st) < 0 ? errno : 0;
	if (e || !(S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)))
		return error_set(err, e ? e : ENODEV, a->veid, VZL_STEP_CONFIG_VALUE, p->name,
				 "%s: %s is not a device node on the host; remove it with "
				 "'vzlite set %u --devnodes %s:none --save'",
				 p->name, path, a->veid, word);
	if (dry)
		return 0;
	unsigned type = (S_ISBLK(st.st_mode) ? S_IFBLK : S_IFCHR) | VE_USE_MINOR;
	unsigned major = major(st.st_rdev), minor = minor(st.st_rdev);
	/* The kernel's new_encode_dev, as for DEVICES */
	unsigned dev = (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12);
	int r = kernel_setdevperms(a->k, a->veid, type, dev, mask);
	return r < 0 ? call_failed(a, p, r, VZL_STEP_NONE, "VZCTL_SETDEVPERMS", err) : 0;
}

int apply_devnodes(const struct apply_ctx *a, const struct param_def *p, const char *value,
		   vzl_error **err)
{
	return each_word(a, p, value, devnode_set, err);
}

/* IOPRIO 0..7: the beancounter's best-effort I/O priority (§7.2). */
int apply_ioprio(const struct apply_ctx *a, const struct param_def *p, const char *value,
		 vzl_error **err)
{
	long long prio;
	if (units_parse_long(value, 0, IOPRIO_BE_NR - 1, &prio) < 0)
		return bad_value(a, p, value, err);
	int r = kernel_ioprio_set_ubc(a->k, a->veid, (int)prio);
	return r < 0 ? call_failed(a, p, r, VZL_STEP_NONE, "ioprio_set", err) : 0;
}

/*
 * IOLIMIT (bytes/s) and IOPSLIMIT (requests/s) as vzctl sends them (§3.2 step 10.7): speed L,
 * burst 3L, latency 10 s; 0 lifts the limit. vzctl computes 3L in an int, which wraps for L
 * above 1431655765; vzlite gives the largest burst instead.
 */
static int set_io(const struct apply_ctx *a, const struct param_def *p, const char *value,
		  bool iops, vzl_error **err)
{
	struct value_typed v;
	if (value_parse(p, a->t, VALUE_FROM_FILE, value, &v, NULL) < 0)
		return bad_value(a, p, value, err);
	/* IOLIMIT: bytes/s from its suffix rules; IOPSLIMIT: a plain integer */
	long long n = iops ? v.i : (long long)v.u;
	value_typed_done(&v);
	if (n < 0 || n > 2147483647)
		return bad_value(a, p, value, err);
	uint64_t speed = (uint64_t)n;
	unsigned burst = speed > UINT32_MAX / 3 ? UINT32_MAX : (unsigned)speed * 3;
	int r = iops ? kernel_set_iopslimit(a->k, a->veid, (unsigned)speed, burst, 10000)
		     : kernel_set_iolimit(a->k, a->veid, (unsigned)speed, burst, 10000);
	return r < 0 ? call_failed(a, p, r, VZL_STEP_NONE,
				   iops ? "VZCTL_SET_IOPSLIMIT" : "VZCTL_SET_IOLIMIT", err)
		     : 0;
}

int apply_iolimit(const struct apply_ctx *a, const struct param_def *p, const char *value,
		  vzl_error **err)
{
	return set_io(a, p, value, false, err);
}

int apply_iopslimit(const struct apply_ctx *a, const struct param_def *p, const char *value,
		    vzl_error **err)
{
	return set_io(a, p, value, true, err);
}

int apply_row(vzl_ve *ve, const struct param_def *p, const char *value,
	      const char *(*value_of)(void *userdata, const char *key), void *userdata,
	      vzl_error **err)
{
	struct apply_ctx a = { .k = &ve->ctx->kernel,
			       .veid = ve->id,
			       .t = units_native(),
			       .value_of = value_of,
			       .userdata = userdata };
	return p->apply(&a, p, value, err);
}
