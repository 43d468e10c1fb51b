/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Resolving a VE's layered config into struct ve_spec (ve-spec.h). A table says where each
 * parameter's value goes; the kind of destination follows the parameter's type, so a row is
 * only a name and a place, as in systemd-nspawn's settings table.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "ctx.h"
#include "error.h"
#include "macro.h"
#include "ve-spec.h"

#define AT(field) offsetof(struct ve_spec, field)

/* Where a parameter's value goes; the UB resources go to ub[] by their ub_resource. */
static const struct {
	const char *name;
	size_t at;
} places[] = {
	{ "AVNUMPROC", AT(avnumproc) },
	{ "VM_OVERCOMMIT", AT(vm_overcommit) },
	{ "VE_LAYOUT", AT(layout) },
	{ "OSTEMPLATE", AT(ostemplate) },
	{ "ORIGIN_SAMPLE", AT(origin_sample) },
	{ "NAME", AT(name) },
	{ "DESCRIPTION", AT(description) },
	{ "CPUUNITS", AT(cpu.units) },
	{ "CPUUWEIGHT", AT(cpu.weight) },
	{ "CPULIMIT", AT(cpu.limit) },
	{ "CPUS", AT(cpu.cpus) },
	{ "CPUMASK", AT(cpu.cpumask) },
	{ "NODEMASK", AT(cpu.nodemask) },
	{ "DISK_QUOTA", AT(disk.quota) },
	{ "DISKSPACE", AT(disk.space) },
	{ "DISKINODES", AT(disk.inodes) },
	{ "QUOTATIME", AT(disk.quotatime) },
	{ "QUOTAUGIDLIMIT", AT(disk.quotaugidlimit) },
	{ "IP_ADDRESS", AT(net.ips) },
	{ "HOSTNAME", AT(net.hostname) },
	{ "NAMESERVER", AT(net.nameservers) },
	{ "SEARCHDOMAIN", AT(net.searchdomains) },
	{ "NETIF", AT(net.netifs) },
	{ "NETDEV", AT(net.netdevs) },
	{ "NETFILTER", AT(net.netfilter) },
	{ "IPTABLES", AT(net.iptables) },
	{ "DEVICES", AT(devices) },
	{ "DEVNODES", AT(devnodes) },
	{ "PCI", AT(pcis) },
	{ "FEATURES", AT(features) },
	{ "CAPABILITY", AT(capabilities) },
	{ "MEMINFO", AT(meminfo) },
	{ "IOPRIO", AT(ioprio) },
	{ "IOLIMIT", AT(iolimit) },
	{ "IOPSLIMIT", AT(iopslimit) },
	{ "ONBOOT", AT(onboot) },
	{ "DISABLED", AT(disabled) },
	{ "BOOTORDER", AT(bootorder) },
	{ "STOP_TIMEOUT", AT(stop_timeout) },
};

const struct param_def *ve_spec_ub_param(int ub)
{
	for (size_t i = 0; i < param_table_len; i++)
		if (param_table[i].ub_resource == ub && param_table[i].type == PARAM_T_UBC)
			return &param_table[i];
	return NULL;
}

const struct ve_ub *ve_spec_ubc(const struct ve_spec *s, const struct param_def *p)
{
	if (p->type != PARAM_T_UBC)
		return NULL;
	if (p->ub_resource >= 0 && p->ub_resource < UB_RESOURCES)
		return &s->ub[p->ub_resource];
	return strcmp(p->name, "AVNUMPROC") == 0 ? &s->avnumproc : NULL;
}

#define TAKE_LIST(dst, type, arr, count)                                                           \
	do {                                                                                       \
		type *l_ = (dst);                                                                  \
		l_->v = TAKE_PTR(v->arr);                                                          \
		l_->n = v->count;                                                                  \
		v->count = 0;                                                                      \
	} while (0)

/* Move the parts of `v` (a value of `p`) into the field at `dst`. -ENOMEM. */
static int place(const struct param_def *p, void *dst, struct value_typed *v, const char *text)
{
	switch (p->type) {
	case PARAM_T_UBC:
		*(struct ve_ub *)dst = (struct ve_ub){ true, (unsigned long)v->pair[0],
						       (unsigned long)v->pair[1] };
		return 0;
	case PARAM_T_DISK:
		*(struct ve_disk_limit *)dst = (struct ve_disk_limit){ true, v->pair[0],
								       v->pair[1] };
		return 0;
	case PARAM_T_UINT:
	case PARAM_T_IOLIMIT:
		*(struct ve_opt_ulong *)dst = (struct ve_opt_ulong){ true, (unsigned long)v->u };
		return 0;
	case PARAM_T_INT:
		*(struct ve_opt_long *)dst = (struct ve_opt_long){ true, (long)v->i };
		return 0;
	case PARAM_T_BOOL:
		*(struct ve_opt_bool *)dst = (struct ve_opt_bool){ true, v->b };
		return 0;
	case PARAM_T_FLOAT:
		*(struct ve_opt_double *)dst = (struct ve_opt_double){ true, v->f };
		return 0;
	case PARAM_T_STRING:
	case PARAM_T_HOSTNAME:
	case PARAM_T_WORD:
	case PARAM_T_NAME:
	case PARAM_T_PATH:
	case PARAM_T_HOST_PATH: {
		char **s = dst;
		free(*s);
		*s = strdup(text);
		return *s ? 0 : -ENOMEM;
	}
	case PARAM_T_LAYOUT:
		*(struct ve_layout *)dst = (struct ve_layout){ true, (enum value_layout)v->e };
		return 0;
	case PARAM_T_NETFILTER:
		*(struct ve_netfilter *)dst = (struct ve_netfilter){ true,
								     (enum value_netfilter)v->e };
		return 0;
	case PARAM_T_IPTABLES:
		*(struct ve_iptables *)dst = (struct ve_iptables){ true, v->on };
		return 0;
	case PARAM_T_MEMINFO:
		*(struct ve_meminfo *)dst = (struct ve_meminfo){ true, (enum value_meminfo)v->e,
								 (unsigned long)v->u };
		return 0;
	case PARAM_T_CPULIMIT:
		*(struct ve_cpulimit *)dst = (struct ve_cpulimit){ true, (unsigned long)v->u,
								   v->b };
		return 0;
	case PARAM_T_CPUMASK:
	case PARAM_T_NODEMASK:
		*(struct value_mask *)dst = v->mask;
		return 0;
	case PARAM_T_CAPABILITIES:
	case PARAM_T_FEATURES:
		*(struct ve_onoff *)dst = (struct ve_onoff){ true, v->on, v->off };
		return 0;
	case PARAM_T_WORD_LIST:
	case PARAM_T_NETDEV: {
		struct ve_words *w = dst;
		TAKE_LIST(w, struct ve_words, words, n_words);
		w->inherit = w->n == 1 && strcmp(w->v[0], "inherit") == 0;
		return 0;
	}
	case PARAM_T_IP_LIST:
		TAKE_LIST(dst, struct ve_ips, ips, n_ips);
		return 0;
	case PARAM_T_NETIF:
		TAKE_LIST(dst, struct ve_netifs, netifs, n_netifs);
		return 0;
	case PARAM_T_DEVICES:
		TAKE_LIST(dst, struct ve_devices, devices, n_devices);
		return 0;
	case PARAM_T_DEVNODES:
		TAKE_LIST(dst, struct ve_devnodes, devnodes, n_devnodes);
		return 0;
	case PARAM_T_PCI:
		TAKE_LIST(dst, struct ve_pcis, pcis, n_pcis);
		return 0;
	/* No field: USERPW is an option that is never stored. Without a default, a new type
	 * that is not placed here is a -Wswitch error. */
	case PARAM_T_USERPW:
	case _PARAM_T_MAX:
		return 0;
	}
	return 0;
}

/*
 * The entry of places[] for each row of the parameter table, found once per process:
 * loading a spec asks for every row (vzlite list: for every one of 1,000s of VEs).
 */
#define PLACE_INDEX_MAX 1024
static short place_index[PLACE_INDEX_MAX];
static pthread_once_t place_index_once = PTHREAD_ONCE_INIT;

static void place_index_build(void)
{
	for (size_t i = 0; i < PLACE_INDEX_MAX; i++)
		place_index[i] = -1;
	for (size_t k = 0; k < ELEMENTSOF(places); k++) {
		const struct param_def *p = param_find(places[k].name);
		if (p && (size_t)(p - param_table) < PLACE_INDEX_MAX)
			place_index[p - param_table] = (short)k;
	}
}

static int place_of(size_t row)
{
	if (row >= PLACE_INDEX_MAX) { /* a table grown past the index: look it up */
		for (size_t k = 0; k < ELEMENTSOF(places); k++)
			if (strcmp(places[k].name, param_table[row].name) == 0)
				return (int)k;
		return -1;
	}
	pthread_once(&place_index_once, place_index_build);
	return place_index[row];
}

/* The value of `p` that `L` gives, parsed and put at `dst`; nothing when unset. */
static int load_one(const struct layers *L, const struct units_target *t, const struct param_def *p,
		    void *dst)
{
	_cleanup_free_ char *text = NULL;
	enum vzl_source src;
	int r = layer_get(L, p, t, &text, &src);
	if (r < 0 || !text)
		return r;
	struct value_typed v;
	/* layer_get returns only values that pass this rule, so a failure here is -ENOMEM. */
	r = value_parse(p, t, VALUE_FROM_FILE, text, &v, NULL);
	if (r == -ENOMEM)
		return r;
	if (r >= 0) {
		r = place(p, dst, &v, text);
		value_typed_done(&v);
	}
	return r == -ENOMEM ? r : 0;
}

static int load_ugid(const struct layers *L, unsigned veid, conf_problem_fn fn, void *userdata,
		     struct ve_spec *s)
{
	/* Not a vzctl key, so no duplicate or global rule: the VE config's first line. */
	const char *text = L->file ? conf_get(L->file, "VZLITE_UGID_QUOTA") : NULL;
	size_t bad = 0;
	if (!text)
		return 0;
	int r = value_parse_ugid_quota(text, &s->disk.ugid, &s->disk.n_ugid, &bad);
	if (r < 0 || !bad || !fn)
		return r;
	_cleanup_free_ char *msg = NULL;
	if (asprintf(&msg,
		     "VE %u: VZLITE_UGID_QUOTA has %zu entr%s that %s not u|g:ID:BSOFT:BHARD:"
		     "ISOFT:IHARD; skipped (define the VE again to rewrite it)",
		     veid, bad, bad == 1 ? "y" : "ies", bad == 1 ? "is" : "are") < 0)
		return -ENOMEM;
	return fn(userdata, VZL_SEVERITY_WARNING, "VZLITE_UGID_QUOTA", msg);
}

static int load_path(const struct layers *L, const struct units_target *t, unsigned veid,
		     const char *key, char **ret, const char **ret_param)
{
	_cleanup_free_ char *raw = NULL;
	enum vzl_source src;
	int r = layer_get(L, param_find(key), t, &raw, &src);
	if (r < 0 || !raw)
		return r;
	if (!(*ret = conf_expand_veid(raw, veid))) {
		*ret_param = key;
		return -ENAMETOOLONG;
	}
	return 0;
}

int ve_spec_load(const struct layers *L, unsigned veid, const struct units_target *t,
		 const char *config_path, const char *uuid, conf_problem_fn fn, void *userdata,
		 struct ve_spec *s, const char **ret_param)
{
	*s = (struct ve_spec){ .veid = veid };
	int r = 0;
	if (config_path && !(s->config_path = strdup(config_path)))
		r = -ENOMEM;
	if (uuid)
		snprintf(s->uuid, sizeof(s->uuid), "%s", uuid);
	for (size_t i = 0; r >= 0 && i < param_table_len; i++) {
		const struct param_def *p = &param_table[i];
		if (p->type == PARAM_T_UBC && p->ub_resource >= 0 &&
		    p->ub_resource < UB_RESOURCES) {
			r = load_one(L, t, p, &s->ub[p->ub_resource]);
			continue;
		}
		int k = place_of(i);
		if (k >= 0)
			r = load_one(L, t, p, (char *)s + places[k].at);
	}
	s->cpu.cpumask_set = s->cpu.cpumask.all || s->cpu.cpumask.automatic;
	s->cpu.nodemask_set = s->cpu.nodemask.all;
	for (size_t i = 0; i < ELEMENTSOF(s->cpu.cpumask.bits); i++) {
		s->cpu.cpumask_set |= s->cpu.cpumask.bits[i] != 0;
		s->cpu.nodemask_set |= s->cpu.nodemask.bits[i] != 0;
	}
	if (r >= 0)
		r = load_ugid(L, veid, fn, userdata, s);
	if (r >= 0 && (r = load_path(L, t, veid, "VE_PRIVATE", &s->private_dir, ret_param)) >= 0)
		r = load_path(L, t, veid, "VE_ROOT", &s->root_dir, ret_param);
	if (r == -ENOMEM)
		ve_spec_done(s);
	return r < 0 ? r : 0;
}

static void words_done(struct ve_words *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->v[i]);
	free(w->v);
}

void ve_spec_done(struct ve_spec *s)
{
	free(s->config_path);
	free(s->private_dir);
	free(s->root_dir);
	free(s->ostemplate);
	free(s->origin_sample);
	free(s->name);
	free(s->description);
	free(s->disk.ugid);
	free(s->net.ips.v);
	free(s->net.hostname);
	words_done(&s->net.nameservers);
	words_done(&s->net.searchdomains);
	words_done(&s->net.netdevs);
	free(s->net.netifs.v);
	free(s->devices.v);
	for (size_t i = 0; i < s->devnodes.n; i++)
		free(s->devnodes.v[i].name);
	free(s->devnodes.v);
	free(s->pcis.v);
	*s = (struct ve_spec){ 0 };
}

int ve_spec_from_config(const vzl_config *cfg, unsigned veid, struct ve_spec *s, vzl_error **err)
{
	struct layers L = { .global = cfg->global, .file = cfg->file, .file_is_ve = cfg->is_ve };
	const char *param = NULL;
	int r = ve_spec_load(&L, veid, cfg->target, cfg->is_ve ? cfg->path : NULL,
			     vzl_config_uuid(cfg), config_log_problem, (void *)cfg, s, &param);
	if (r == -ENAMETOOLONG)
		ve_spec_done(s);
	if (r == -ENAMETOOLONG)
		return error_set(err, ENAMETOOLONG, veid, VZL_STEP_PATH, param,
				 "%s is longer than 511 bytes once $VEID is expanded", param);
	if (r < 0)
		return error_set(err, ENOMEM, veid, VZL_STEP_NONE, NULL, "out of memory");
	return 0;
}
