/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libvirt's OpenVZ domain format (xml.md §B.3) → config values. vzlite's extension inside
 * <metadata> (xml-ext.c) is read first: it is exact and wins, and a libvirt element that
 * expresses the same quantity must agree with it (§C.3), so an edited <vcpu> is never
 * silently ignored. Without the extension, each element sets the value as libvirt's driver
 * would, minus its bugs (the Δ rows of §B.3, listed in the README).
 *
 * Unknown elements are refused ("unsupported for OpenVZ containers"): refusing beats
 * silently dropping what the user asked for. Only what libvirt itself prints or what means
 * nothing for a container is accepted and ignored.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf.h"
#include "error.h"
#include "macro.h"
#include "xml.h"

struct dom {
	struct xml_state s;
	unsigned long long memory, current; /* bytes; 0 = absent */
	const xmlNode *memory_node, *current_node;
	unsigned netif_n;
	char *mount_dir;
	const xmlNode *mount_node;
};

/* A pair value "B:L" of the extension, back to numbers (each "unlimited" = LONG_MAX). */
static int pair_of(const struct xml_state *s, const char *v, unsigned long long ret[2])
{
	for (int i = 0; i < 2; i++) {
		size_t l = strcspn(v, ":");
		char tmp[32];
		if (l >= sizeof(tmp))
			return -EINVAL;
		memcpy(tmp, v, l);
		tmp[l] = '\0';
		if (strcmp(tmp, "unlimited") == 0)
			ret[i] = s->t->long_max;
		else if (xml_number(tmp, UINT64_MAX, &ret[i]) < 0)
			return -EINVAL;
		v += l + (v[l] == ':');
	}
	return 0;
}

/* libvirt's unit attribute (xml.md §B.2) → bytes per unit; 0 when unknown. */
static unsigned long long unit_scale(const char *u)
{
	static const char letters[] = "kmgtpe";
	size_t l = strlen(u);
	if (!strcasecmp(u, "b") || !strcasecmp(u, "byte") || !strcasecmp(u, "bytes"))
		return 1;
	const char *p = l ? strchr(letters, u[0] | 0x20) : NULL;
	if (!p || !u[0])
		return 0;
	int power = (int)(p - letters) + 1;
	unsigned long long base;
	if (l == 1 || (l == 3 && (u[1] | 0x20) == 'i' && (u[2] | 0x20) == 'b'))
		base = 1024;
	else if (l == 2 && (u[1] | 0x20) == 'b')
		base = 1000;
	else
		return 0;
	unsigned long long v = 1;
	while (power--)
		v *= base;
	return v;
}

/* A scaled quantity in bytes: text × unit (default `def`); overflow is an error. */
static int scaled(const xmlNode *n, unsigned long long def, unsigned long long *ret,
		  vzl_error **err)
{
	static const char *const attrs[] = { "unit", NULL };
	const char *text, *u = xml_attr(n, "unit");
	unsigned long long v, scale = u ? unit_scale(u) : def;
	int r = xml_check_attrs(n, attrs, err);
	if (r < 0 || (r = xml_text(n, &text, err)) < 0)
		return r;
	if (!scale)
		return xml_error(err, n, "unit='%.20s' is not b, KB, KiB, MB, MiB, ... EiB", u);
	if (xml_number(text, UINT64_MAX, &v) < 0 || (v && scale > UINT64_MAX / v))
		return xml_error(err, n, "'%.30s' is not a number, or too large once scaled", text);
	*ret = v * scale;
	return 0;
}

/* §C.3: a libvirt element and the extension must say the same. */
static int disagree(const xmlNode *n, const char *what, unsigned long long doc,
		    unsigned long long ext, vzl_error **err)
{
	return xml_error(err, n,
			 "says %llu but the extension's %s gives %llu; change both or "
			 "remove one",
			 doc, what, ext);
}

static unsigned long long page_kib(const struct dom *d)
{
	return d->s.t->page_size / 1024;
}

static int set(struct dom *d, const char *key, const char *value, int raw, vzl_error **err)
{
	return xml_state_set(&d->s, key, value, raw, err);
}

/* <memtune>: PRIVVMPAGES from hard/soft_limit, VMGUARPAGES from min_guarantee (Δ). */
static int parse_memtune(struct dom *d, xmlNode *mt, vzl_error **err)
{
	unsigned long long kib[3] = { 0 }, ext[2];
	const xmlNode *nodes[3] = { NULL };
	static const char *const names[] = { "hard_limit", "soft_limit", "min_guarantee" };
	int r = xml_check_attrs(mt, NULL, err);
	for (xmlNode *n = xml_element(mt->children); r == 0 && n; n = xml_element(n->next)) {
		int i = 0;
		while (i < 3 && !xml_is(n, NULL, names[i]))
			i++;
		if (i == 3)
			return xml_error(err, n, "unsupported for OpenVZ containers%s",
					 xml_is(n, NULL, "swap_hard_limit")
						 ? "; use <vz:ubc name='SWAPPAGES'> in the metadata"
						 : "");
		if (nodes[i])
			return xml_error(err, n, "given twice");
		nodes[i] = n;
		unsigned long long bytes;
		if ((r = scaled(n, 1024, &bytes, err)) < 0)
			return r;
		kib[i] = bytes / 1024;
	}
	const char *pv = xml_ve_get(d->s.x, "PRIVVMPAGES"), *vg = xml_ve_get(d->s.x, "VMGUARPAGES");
	unsigned long long pages[2];
	for (int i = 0; i < 2; i++) {
		pages[i] = kib[i] / page_kib(d);
		if (nodes[i] && pv && pair_of(&d->s, pv, ext) == 0 &&
		    ext[1 - i] * page_kib(d) != kib[i])
			return disagree(nodes[i], i ? "PRIVVMPAGES barrier" : "PRIVVMPAGES limit",
					kib[i], ext[1 - i] * page_kib(d), err);
		if (nodes[i] && pages[i] > d->s.t->long_max)
			return xml_error(err, nodes[i], "too large for PRIVVMPAGES");
	}
	if (!pv && (nodes[0] || nodes[1])) {
		/* The half not given keeps the profile's value: define.c merges "B:" / ":L". */
		char buf[64] = "";
		if (nodes[1])
			snprintf(buf, sizeof(buf), "%llu", pages[1]);
		strcat(buf, ":");
		if (nodes[0])
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%llu", pages[0]);
		if (nodes[0] && nodes[1] && pages[1] > pages[0])
			return xml_error(err, mt, "soft_limit is above hard_limit");
		if ((r = set(d, "PRIVVMPAGES", buf, nodes[0] && nodes[1] ? 0 : 2, err)) < 0)
			return r;
	}
	if (nodes[2]) {
		if (vg) {
			if (pair_of(&d->s, vg, ext) == 0 && ext[0] * page_kib(d) != kib[2])
				return disagree(nodes[2], "VMGUARPAGES barrier", kib[2],
						ext[0] * page_kib(d), err);
		} else {
			char buf[64];
			snprintf(buf, sizeof(buf), "%llu:unlimited", kib[2] / page_kib(d));
			r = set(d, "VMGUARPAGES", buf, 0, err);
		}
	}
	return r;
}

static int parse_vcpu(struct dom *d, xmlNode *n, vzl_error **err)
{
	static const char *const attrs[] = { "placement", "current", NULL };
	const char *text, *pl = xml_attr(n, "placement"), *cur = xml_attr(n, "current");
	unsigned long long v;
	int r = xml_check_attrs(n, attrs, err);
	if (r < 0 || (r = xml_text(n, &text, err)) < 0)
		return r;
	if (xml_number(text, 4096, &v) < 0 || v == 0)
		return xml_error(err, n, "'%.20s' is not a CPU count from 1 to 4096", text);
	if (pl && strcmp(pl, "static"))
		return xml_error(err, n, "placement='%.20s' is unsupported; use 'static'", pl);
	if (cur && strcmp(cur, text))
		return xml_error(err, n,
				 "current='%.20s' differs from the count; OpenVZ has no "
				 "hot-plugged CPUs",
				 cur);
	const char *ext = xml_ve_get(d->s.x, "CPUS");
	if (ext)
		return strcmp(ext, text) ? disagree(n, "cpus", v, strtoull(ext, NULL, 10), err) : 0;
	return set(d, "CPUS", text, 0, err);
}

static int parse_cputune(struct dom *d, xmlNode *ct, vzl_error **err)
{
	int r = xml_check_attrs(ct, NULL, err), seen = 0;
	for (xmlNode *n = xml_element(ct->children); r == 0 && n; n = xml_element(n->next)) {
		const char *text;
		unsigned long long v;
		if (!xml_is(n, NULL, "shares"))
			return xml_error(err, n,
					 "unsupported for OpenVZ containers; <cputune> "
					 "takes <shares> (CPUUNITS) only");
		if (seen++)
			return xml_error(err, n, "given twice");
		if ((r = xml_check_attrs(n, NULL, err)) < 0 || (r = xml_text(n, &text, err)) < 0)
			return r;
		if (xml_number(text, 500000, &v) < 0 || v < 8)
			return xml_error(err, n, "'%.20s' is not a CPUUNITS value from 8 to 500000",
					 text);
		const char *ext = xml_ve_get(d->s.x, "CPUUNITS");
		if (ext && strcmp(ext, text))
			return disagree(n, "units", v, strtoull(ext, NULL, 10), err);
		if (!ext)
			r = set(d, "CPUUNITS", text, 0, err);
	}
	return r;
}

static int parse_os(xmlNode *os, vzl_error **err)
{
	int r = xml_check_attrs(os, NULL, err), seen_type = 0, seen_init = 0;
	for (xmlNode *n = xml_element(os->children); r == 0 && n; n = xml_element(n->next)) {
		const char *text;
		static const char *const type_attrs[] = { "arch", NULL };
		if (xml_is(n, NULL, "type")) {
			const char *arch = xml_attr(n, "arch");
			if (seen_type++)
				return xml_error(err, n, "given twice");
			if ((r = xml_check_attrs(n, type_attrs, err)) < 0 ||
			    (r = xml_text(n, &text, err)) < 0)
				return r;
			if (strcmp(text, "exe"))
				return xml_error(err, n,
						 "'%.20s' is not supported; an OpenVZ "
						 "container is <type>exe</type>",
						 text);
#if defined(__x86_64__)
			const char *mine = "x86_64";
#else
			const char *mine = "i686";
#endif
			if (arch && strcmp(arch, mine))
				return xml_error(err, n, "arch='%.20s' is not this host's (%s)",
						 arch, mine);
		} else if (xml_is(n, NULL, "init")) {
			if (seen_init++)
				return xml_error(err, n, "given twice");
			if ((r = xml_check_attrs(n, NULL, err)) < 0 ||
			    (r = xml_text(n, &text, err)) < 0)
				return r;
			if (strcmp(text, "/sbin/init"))
				return xml_error(err, n,
						 "OpenVZ always starts /sbin/init; remove "
						 "<init> or make it /sbin/init");
		} else {
			return xml_error(err, n, "unsupported for OpenVZ containers");
		}
	}
	if (r == 0 && !seen_type)
		return xml_error(err, os, "needs <type>exe</type>");
	return r;
}

static int parse_filesystem(struct dom *d, xmlNode *fs, vzl_error **err)
{
	static const char *const attrs[] = { "type", "accessmode", NULL };
	const char *type = xml_attr(fs, "type"), *am = xml_attr(fs, "accessmode");
	int r = xml_check_attrs(fs, attrs, err), template = type && !strcmp(type, "template");
	if (r < 0)
		return r;
	if (!type || (!template && strcmp(type, "mount")))
		return xml_error(err, fs,
				 "type='%.20s' is unsupported for OpenVZ containers; use "
				 "'template' or 'mount'",
				 type ? type : "");
	if (am && strcmp(am, "passthrough"))
		return xml_error(err, fs, "accessmode='%.20s' is unsupported", am);
	const xmlNode *src = NULL, *tgt = NULL, *lim[2] = { NULL };
	unsigned long long bytes[2] = { 0 };
	for (xmlNode *n = xml_element(fs->children); n; n = xml_element(n->next)) {
		int i = xml_is(n, NULL, "space_hard_limit")   ? 0
			: xml_is(n, NULL, "space_soft_limit") ? 1
							      : -1;
		const xmlNode **slot = xml_is(n, NULL, "source")   ? &src
				       : xml_is(n, NULL, "target") ? &tgt
				       : i >= 0                    ? &lim[i]
								   : NULL;
		if (!slot)
			return xml_error(err, n, "unsupported for OpenVZ containers");
		if (*slot)
			return xml_error(err, n, "given twice");
		*slot = n;
		if (i >= 0 && (r = scaled(n, 1, &bytes[i], err)) < 0)
			return r;
	}
	static const char *const src_t[] = { "name", NULL }, *const src_m[] = { "dir", NULL },
				 *const tgt_a[] = { "dir", NULL };
	if (!src || !tgt || !xml_attr(tgt, "dir") || strcmp(xml_attr(tgt, "dir"), "/"))
		return xml_error(err, fs, "needs <source %s=…/> and <target dir='/'/>",
				 template ? "name" : "dir");
	if ((r = xml_check_attrs(src, template ? src_t : src_m, err)) < 0 ||
	    (r = xml_check_attrs(tgt, tgt_a, err)) < 0)
		return r;
	const char *v = xml_attr(src, template ? "name" : "dir");
	if (!v)
		return xml_error(err, src, "needs %s=", template ? "name" : "dir");
	if (template) {
		if ((r = xml_check_param(src, d->s.t, "OSTEMPLATE", v, NULL, err)) < 0 ||
		    (r = set(d, "OSTEMPLATE", v, 0, err)) < 0)
			return r;
	} else {
		if ((r = xml_check_param(src, d->s.t, "VE_PRIVATE", v, NULL, err)) < 0)
			return r;
		d->s.x->mount = 1;
		d->mount_node = src;
		if (!(d->mount_dir = strdup(v)))
			return error_set(err, ENOMEM, 0, VZL_STEP_NONE, NULL, "out of memory");
	}
	if (lim[1] && !lim[0])
		return xml_error(err, lim[1], "needs <space_hard_limit> too");
	if (!lim[0])
		return 0;
	if (lim[1] && bytes[1] > bytes[0])
		return xml_error(err, lim[1], "%llu bytes is above the hard limit %llu", bytes[1],
				 bytes[0]);
	unsigned long long kb[2];
	for (int i = 0; i < 2; i++)
		kb[i] = bytes[i] / 1024 + (bytes[i] % 1024 != 0);
	if (!lim[1])
		kb[1] = kb[0];
	const char *ext = xml_ve_get(d->s.x, "DISKSPACE");
	unsigned long long e[2];
	if (ext) {
		for (int i = 0; i < 2; i++)
			if (lim[i] && pair_of(&d->s, ext, e) == 0 && e[1 - i] * 1024 != bytes[i])
				return disagree(lim[i], i ? "space-soft" : "space-hard", bytes[i],
						e[1 - i] * 1024, err);
		return 0;
	}
	if (kb[0] > d->s.t->long_max)
		return xml_error(err, lim[0], "too large for DISKSPACE");
	char buf[64];
	snprintf(buf, sizeof(buf), "%llu:%llu", kb[1], kb[0]);
	return set(d, "DISKSPACE", buf, 0, err);
}

static int parse_devices(struct dom *d, xmlNode *devs, vzl_error **err)
{
	int r = xml_check_attrs(devs, NULL, err), fs = 0, itfs = 0;
	for (xmlNode *n = xml_element(devs->children); r == 0 && n; n = xml_element(n->next)) {
		if (xml_is(n, NULL, "filesystem")) {
			if (fs++)
				return xml_error(err, n,
						 "a second filesystem is unsupported for "
						 "OpenVZ containers");
			r = parse_filesystem(d, n, err);
		} else if (xml_is(n, NULL, "interface")) {
			if (++itfs > XML_MAX_INTERFACES)
				return xml_error(err, n, "more than %d interfaces",
						 XML_MAX_INTERFACES);
			r = xml_libvirt_parse_interface(&d->s, &d->netif_n, n, err);
		} else if (!xml_is(n, NULL, "console")) {
			return xml_error(err, n, "unsupported for OpenVZ containers");
		}
	}
	return r;
}

static int parse_memory(struct dom *d, xmlNode *n, vzl_error **err)
{
	int cur = xml_is(n, NULL, "currentMemory");
	const xmlNode **slot = cur ? &d->current_node : &d->memory_node;
	if (*slot)
		return xml_error(err, n, "given twice");
	*slot = n;
	return scaled(n, 1024, cur ? &d->current : &d->memory, err);
}

/* <memory>/<currentMemory> → KMEMSIZE, or agreement with the extension's (§B.3, §C.3). */
static int finish_memory(struct dom *d, vzl_error **err)
{
	unsigned long long cur = d->current_node ? d->current : d->memory;
	if (d->current_node && d->current > d->memory)
		return xml_error(err, d->current_node, "currentMemory is above memory");
	if (!cur)
		return 0; /* Δ: 0 or absent leaves KMEMSIZE alone */
	const char *ext = xml_ve_get(d->s.x, "KMEMSIZE");
	unsigned long long e[2];
	if (ext && pair_of(&d->s, ext, e) == 0) {
		unsigned long long want = e[1] >= d->s.t->long_max
						  ? 0
						  : e[1] / 1024 + (e[1] % 1024 != 0);
		const xmlNode *nodes[2] = { d->memory_node, d->current_node };
		unsigned long long kib[2] = { d->memory / 1024 + (d->memory % 1024 != 0),
					      d->current / 1024 + (d->current % 1024 != 0) };
		for (int i = 0; i < 2; i++)
			if (nodes[i] && kib[i] && kib[i] != want)
				return disagree(nodes[i], "KMEMSIZE limit in KiB", kib[i], want,
						err);
		return 0;
	}
	unsigned long long kib = cur / 1024 + (cur % 1024 != 0);
	if (kib > d->s.t->long_max / 1024)
		return xml_error(err, d->current_node ? d->current_node : d->memory_node,
				 "too large for KMEMSIZE");
	char buf[64];
	snprintf(buf, sizeof(buf), "%llu:%llu", kib * 1024, kib * 1024);
	return set(d, "KMEMSIZE", buf, 0, err);
}

int xml_libvirt_parse(xmlNode *root, const struct units_target *t, struct xml_ve *x,
		      vzl_error **err)
{
	static const char *const root_attrs[] = { "type", "id", NULL };
	static const char *const ignored[] = { "title",    "clock",    "on_poweroff", "on_reboot",
					       "on_crash", "features", NULL };
	struct dom d = { .s = { .t = t, .x = x } };
	int r = xml_check_attrs(root, root_attrs, err), seen_md = 0, seen_name = 0, seen_uuid = 0,
	    seen_desc = 0, seen_mt = 0, seen_vcpu = 0, seen_ct = 0, seen_os = 0, seen_dev = 0;
	/* The name first: generated interface names depend on the VEID. */
	for (xmlNode *n = xml_element(root->children); r == 0 && n; n = xml_element(n->next)) {
		const char *text;
		if (xml_is(n, NULL, "name")) {
			if (seen_name++)
				return xml_error(err, n, "given twice");
			if ((r = xml_check_attrs(n, NULL, err)) == 0 &&
			    (r = xml_text(n, &text, err)) == 0)
				r = xml_check_veid(n, text, &x->veid, err);
		} else if (xml_is(n, NULL, "metadata")) {
			if (seen_md++)
				return xml_error(err, n, "given twice");
			r = xml_ext_metadata(&d.s, n, err);
		}
	}
	if (r == 0 && !seen_name)
		r = xml_error(err, root, "no <name>: give the VE ID");
	for (xmlNode *n = xml_element(root->children); r == 0 && n; n = xml_element(n->next)) {
		const char *text;
		int *once = xml_is(n, NULL, "uuid")          ? &seen_uuid
			    : xml_is(n, NULL, "description") ? &seen_desc
			    : xml_is(n, NULL, "memtune")     ? &seen_mt
			    : xml_is(n, NULL, "vcpu")        ? &seen_vcpu
			    : xml_is(n, NULL, "cputune")     ? &seen_ct
			    : xml_is(n, NULL, "os")          ? &seen_os
			    : xml_is(n, NULL, "devices")     ? &seen_dev
							     : NULL;
		if (once && (*once)++)
			return xml_error(err, n, "given twice");
		if (xml_is(n, NULL, "name") || xml_is(n, NULL, "metadata")) {
			continue;
		} else if (xml_is(n, NULL, "uuid") || xml_is(n, NULL, "description")) {
			if ((r = xml_check_attrs(n, NULL, err)) < 0 ||
			    (r = xml_text(n, &text, err)) < 0)
				return r;
			if (xml_is(n, NULL, "uuid")) {
				if (!(x->uuid = strdup(text)))
					return error_set(err, ENOMEM, 0, VZL_STEP_NONE, NULL,
							 "out of memory");
			} else if ((r = xml_check_param(n, t, "DESCRIPTION", text, NULL, err)) ==
				   0) {
				r = set(&d, "DESCRIPTION", text, 0, err);
			}
		} else if (xml_is(n, NULL, "memory") || xml_is(n, NULL, "currentMemory")) {
			r = parse_memory(&d, n, err);
		} else if (xml_is(n, NULL, "memtune")) {
			r = parse_memtune(&d, n, err);
		} else if (xml_is(n, NULL, "vcpu")) {
			r = parse_vcpu(&d, n, err);
		} else if (xml_is(n, NULL, "cputune")) {
			r = parse_cputune(&d, n, err);
		} else if (xml_is(n, NULL, "os")) {
			r = parse_os(n, err);
		} else if (xml_is(n, NULL, "devices")) {
			r = parse_devices(&d, n, err);
		} else {
			int ok = 0;
			for (const char *const *p = ignored; !ok && *p; p++)
				ok = xml_is(n, NULL, *p);
			if (!ok)
				r = xml_error(err, n, "unsupported for OpenVZ containers");
		}
	}
	if (r == 0)
		r = finish_memory(&d, err);
	for (size_t i = 0; r == 0 && i < d.s.n_veth; i++)
		if (!d.s.veth[i].used)
			r = xml_error(err, d.s.veth[i].node,
				      "guest='%s' matches no bridge or ethernet interface of the "
				      "document",
				      d.s.veth[i].guest);
	if (r == 0 && d.mount_dir) {
		const char *ext = xml_ve_get(x, "VE_PRIVATE");
		_cleanup_free_ char *exp = ext ? conf_expand_veid(ext, x->veid) : NULL;
		if (ext && (!exp || strcmp(exp, d.mount_dir)))
			r = xml_error(err, d.mount_node,
				      "dir='%.60s' differs from the extension's "
				      "VE_PRIVATE '%.60s'",
				      d.mount_dir, ext);
		else if (!ext)
			r = set(&d, "VE_PRIVATE", d.mount_dir, 0, err);
	}
	free(d.mount_dir);
	return r;
}
