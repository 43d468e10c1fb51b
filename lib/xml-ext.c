/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vzlite's extension (xml.md §C), <metadata><vz:ve xmlns:vz='urn:vzlite:ve:1'>, → config
 * values. Every element is optional; unknown ones, unknown attributes and duplicates are
 * refused. xml-libvirt.c reads the rest of the document.
 *
 * The extension (<metadata><vz:ve xmlns:vz='urn:vzlite:ve:1'>) is read first: it is exact
 * and wins. A libvirt element that expresses the same quantity must then agree with it
 * (§C.3), so an edited <vcpu> is never silently ignored; without the extension the libvirt
 * element sets the value as libvirt's driver would, minus its bugs (the Δ rows of §B.3).
 * Elements are mapped, accepted and ignored, or refused; nothing is dropped silently.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "error.h"
#include "macro.h"
#include "params.h"
#include "xml.h"

static int nomem(vzl_error **err)
{
	return error_set(err, ENOMEM, 0, VZL_STEP_NONE, NULL, "out of memory");
}

int xml_state_set(struct xml_state *s, const char *key, const char *value, int raw, vzl_error **err)
{
	return xml_ve_set(s->x, key, value, raw) < 0 ? nomem(err) : 0;
}

/* A number attribute of the extension: plain decimal ≤ LONG_MAX, or "unlimited" if allowed. */
static int ext_number(const struct xml_state *s, const xmlNode *n, const char *attr, int unlimited,
		      unsigned long long *ret, vzl_error **err)
{
	const char *v = xml_attr(n, attr);
	if (v && unlimited && strcmp(v, "unlimited") == 0) {
		*ret = s->t->long_max;
		return 1;
	}
	if (!v || xml_number(v, s->t->long_max, ret) < 0)
		return xml_error(err, n, "%s='%.30s' is not a number from 0 to %llu%s", attr,
				 v ? v : "", (unsigned long long)s->t->long_max,
				 unlimited ? " or unlimited" : "");
	return 1;
}

/* ---- The extension ---- */

static int ext_param(struct xml_state *s, xmlNode *n, vzl_error **err)
{
	static const char *const attrs[] = { "name", NULL };
	const char *key = xml_attr(n, "name"), *text;
	int r = xml_check_attrs(n, attrs, err);
	if (r < 0 || (r = xml_text(n, &text, err)) < 0)
		return r;
	int ok = key && key[0] >= 'A' && key[0] <= 'Z' && strlen(key) <= 64;
	for (const char *p = key; ok && *p; p++)
		ok = (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_';
	if (!ok)
		return xml_error(err, n, "name='%.40s' is not a config key ([A-Z][A-Z0-9_]*)",
				 key ? key : "");
	const struct param_def *p = param_find(key);
	if (xml_key_has_element(key))
		return xml_error(err, n, "%s has its own element; use it instead of vz:param", key);
	if (xml_ve_get(s->x, key))
		return xml_error(err, n, "%s is given twice", key);
	if ((r = xml_check_param(n, s->t, key, text, NULL, err)) < 0)
		return r;
	return xml_state_set(s, key, text, p ? 0 : 1, err);
}

static int ext_ubc(struct xml_state *s, xmlNode *n, vzl_error **err)
{
	static const char *const attrs[] = { "name", "barrier", "limit", NULL };
	const char *name = xml_attr(n, "name");
	int r = xml_check_attrs(n, attrs, err);
	if (r < 0)
		return r;
	const struct param_def *p = name ? param_find(name) : NULL;
	if (!p || p->type != PARAM_T_UBC || strcmp(p->name, name) != 0)
		return xml_error(err, n,
				 "name='%.30s' is not a beancounter (KMEMSIZE, NUMPROC, "
				 "... as vzctl names them)",
				 name ? name : "");
	if (xml_ve_get(s->x, name))
		return xml_error(err, n, "%s is given twice", name);
	unsigned long long v[2];
	if ((r = ext_number(s, n, "barrier", 1, &v[0], err)) < 0 ||
	    (r = ext_number(s, n, "limit", 1, &v[1], err)) < 0)
		return r;
	if (v[0] > v[1])
		return xml_error(err, n, "%s: barrier %llu is above limit %llu", name, v[0], v[1]);
	char buf[64];
	snprintf(buf, sizeof(buf), "%llu:%llu", v[0], v[1]);
	return xml_state_set(s, name, buf, 0, err);
}

/* A soft/hard pair of attributes: both or neither; soft ≤ hard. */
static int ext_pair(struct xml_state *s, xmlNode *n, const char *a, const char *b, const char *key,
		    vzl_error **err)
{
	if (!xml_attr(n, a) != !xml_attr(n, b))
		return xml_error(err, n, "give %s and %s together", a, b);
	if (!xml_attr(n, a))
		return 0;
	unsigned long long v[2];
	int r;
	if ((r = ext_number(s, n, a, 0, &v[0], err)) < 0 ||
	    (r = ext_number(s, n, b, 0, &v[1], err)) < 0)
		return r;
	if (v[0] > v[1])
		return xml_error(err, n, "%s %llu is above %s %llu", a, v[0], b, v[1]);
	char buf[64];
	snprintf(buf, sizeof(buf), "%llu:%llu", v[0], v[1]);
	return xml_state_set(s, key, buf, 0, err);
}

static int ext_single(struct xml_state *s, xmlNode *n, const char *attr, const char *key,
		      vzl_error **err)
{
	unsigned long long v;
	if (!xml_attr(n, attr))
		return 0;
	int r = ext_number(s, n, attr, 0, &v, err);
	char buf[32];
	snprintf(buf, sizeof(buf), "%llu", v);
	return r < 0 ? r : xml_state_set(s, key, buf, 0, err);
}

static int ext_disk(struct xml_state *s, xmlNode *n, vzl_error **err)
{
	static const char *const attrs[] = { "space-soft",  "space-hard", "inodes-soft",
					     "inodes-hard", "quotatime",  "ugidlimit",
					     "quota",       NULL };
	const char *q = xml_attr(n, "quota");
	int r = xml_check_attrs(n, attrs, err);
	if (r == 0)
		r = ext_pair(s, n, "space-soft", "space-hard", "DISKSPACE", err);
	if (r == 0)
		r = ext_pair(s, n, "inodes-soft", "inodes-hard", "DISKINODES", err);
	if (r == 0)
		r = ext_single(s, n, "quotatime", "QUOTATIME", err);
	if (r == 0)
		r = ext_single(s, n, "ugidlimit", "QUOTAUGIDLIMIT", err);
	if (r == 0 && q) {
		if (strcmp(q, "yes") && strcmp(q, "no"))
			return xml_error(err, n, "quota='%.10s' is not yes or no", q);
		r = xml_state_set(s, "DISK_QUOTA", q, 0, err);
	}
	return r;
}

static int ext_ugid(struct xml_state *s, xmlNode *n, vzl_error **err)
{
	static const char *const attrs[] = { "type",       "id",          "space-soft",
					     "space-hard", "inodes-soft", "inodes-hard",
					     NULL };
	static const char *const lim[] = { "space-soft", "space-hard", "inodes-soft",
					   "inodes-hard" };
	const char *type = xml_attr(n, "type"), *id = xml_attr(n, "id");
	unsigned long long idv, v[4];
	int r = xml_check_attrs(n, attrs, err);
	if (r < 0)
		return r;
	if (!type || (strcmp(type, "user") && strcmp(type, "group")))
		return xml_error(err, n, "type='%.10s' is not user or group", type ? type : "");
	if (!id || xml_number(id, 4294967294ull, &idv) < 0)
		return xml_error(err, n, "id='%.20s' is not a number from 0 to 4294967294",
				 id ? id : "");
	for (int i = 0; i < 4; i++) {
		v[i] = 0;
		if (xml_attr(n, lim[i]) && (r = ext_number(s, n, lim[i], 0, &v[i], err)) < 0)
			return r;
	}
	if (v[0] > v[1] || v[2] > v[3])
		return xml_error(err, n, "a soft limit is above its hard limit");
	char buf[160], prefix[32];
	int plen = snprintf(prefix, sizeof(prefix), "%c:%llu:", type[0] == 'u' ? 'u' : 'g', idv);
	const char *old = xml_ve_get(s->x, XML_KEY_UGID_QUOTA);
	for (const char *p = old; p && *p; p += strcspn(p, " "), p += *p == ' ')
		if (strncmp(p, prefix, (size_t)plen) == 0)
			return xml_error(err, n, "%s %llu is given twice", type, idv);
	snprintf(buf, sizeof(buf), "%s%llu:%llu:%llu:%llu", prefix, v[0], v[1], v[2], v[3]);
	s->x->ugid_entries++;
	return xml_ve_append(s->x, n, XML_KEY_UGID_QUOTA, buf, err);
}

static int ext_cpu(struct xml_state *s, xmlNode *n, vzl_error **err)
{
	static const char *const attrs[] = { "units", "limit", "cpus", NULL };
	const char *limit = xml_attr(n, "limit");
	int r = xml_check_attrs(n, attrs, err);
	if (r == 0)
		r = ext_single(s, n, "units", "CPUUNITS", err);
	if (r == 0)
		r = ext_single(s, n, "cpus", "CPUS", err);
	if (r == 0 && limit && (r = xml_check_param(n, s->t, "CPULIMIT", limit, NULL, err)) == 0)
		r = xml_state_set(s, "CPULIMIT", limit, 0, err);
	return r;
}

static int ext_veth(struct xml_state *s, xmlNode *n, vzl_error **err)
{
	static const char *const attrs[] = { "guest", "host-mac", "mac-filter", NULL };
	const char *g = xml_attr(n, "guest"), *hm = xml_attr(n, "host-mac"),
		   *mf = xml_attr(n, "mac-filter");
	int r = xml_check_attrs(n, attrs, err);
	if (r < 0)
		return r;
	if (s->n_veth == XML_MAX_VETH)
		return xml_error(err, n, "more than %d vz:veth elements", XML_MAX_VETH);
	if (!g || !*g || strlen(g) >= 16 || (hm && strlen(hm) > 17) ||
	    (mf && strcmp(mf, "on") && strcmp(mf, "off")))
		return xml_error(err, n,
				 "needs guest='IFNAME', host-mac='XX:XX:XX:XX:XX:XX' "
				 "and mac-filter='on' or 'off'");
	for (size_t i = 0; i < s->n_veth; i++)
		if (!strcmp(s->veth[i].guest, g))
			return xml_error(err, n, "guest='%s' is given twice", g);
	struct xml_veth *v = &s->veth[s->n_veth++];
	*v = (struct xml_veth){ .node = n };
	snprintf(v->guest, sizeof(v->guest), "%s", g);
	snprintf(v->host_mac, sizeof(v->host_mac), "%s", hm ? hm : "");
	snprintf(v->mac_filter, sizeof(v->mac_filter), "%s", mf ? mf : "");
	return 0;
}

static int ext_word_list(struct xml_state *s, xmlNode *n, const char *key, vzl_error **err)
{
	const char *text;
	int r = xml_check_attrs(n, NULL, err);
	if (r < 0 || (r = xml_text(n, &text, err)) < 0)
		return r;
	if (strcmp(text, "inherit") == 0) {
		if (xml_ve_get(s->x, key))
			return xml_error(err, n, "'inherit' must be the only entry");
		return xml_state_set(s, key, text, 0, err);
	}
	if (xml_ve_get(s->x, key) && !strcmp(xml_ve_get(s->x, key), "inherit"))
		return xml_error(err, n, "'inherit' must be the only entry");
	r = xml_check_word(n, s->t, key, text, err);
	return r < 0 ? r : xml_ve_append(s->x, n, key, text, err);
}

static int ext_parse(struct xml_state *s, xmlNode *ve, vzl_error **err)
{
	int r = xml_check_attrs(ve, NULL, err), seen_prof = 0, seen_onb = 0, seen_host = 0,
	    seen_disk = 0, seen_cpu = 0;
	for (xmlNode *n = xml_element(ve->children); r == 0 && n; n = xml_element(n->next)) {
		const char *text = NULL;
		int *once = xml_is(n, XML_NS_VZ, "profile")    ? &seen_prof
			    : xml_is(n, XML_NS_VZ, "onboot")   ? &seen_onb
			    : xml_is(n, XML_NS_VZ, "hostname") ? &seen_host
			    : xml_is(n, XML_NS_VZ, "disk")     ? &seen_disk
			    : xml_is(n, XML_NS_VZ, "cpu")      ? &seen_cpu
							       : NULL;
		if (once && (*once)++)
			return xml_error(err, n, "given twice");
		if (xml_is(n, XML_NS_VZ, "profile") || xml_is(n, XML_NS_VZ, "onboot") ||
		    xml_is(n, XML_NS_VZ, "hostname")) {
			if ((r = xml_check_attrs(n, NULL, err)) < 0 ||
			    (r = xml_text(n, &text, err)) < 0)
				return r;
		}
		if (xml_is(n, XML_NS_VZ, "profile")) {
			if ((r = xml_check_param(n, s->t, "ORIGIN_SAMPLE", text, NULL, err)) < 0)
				return r;
			if (!(s->x->profile = strdup(text)))
				return nomem(err);
			r = xml_state_set(s, "ORIGIN_SAMPLE", text, 0, err);
		} else if (xml_is(n, XML_NS_VZ, "onboot")) {
			if (strcmp(text, "yes") && strcmp(text, "no"))
				return xml_error(err, n, "'%.10s' is not yes or no", text);
			r = xml_state_set(s, "ONBOOT", text, 0, err);
		} else if (xml_is(n, XML_NS_VZ, "hostname")) {
			if ((r = xml_check_param(n, s->t, "HOSTNAME", text, NULL, err)) == 0)
				r = xml_state_set(s, "HOSTNAME", text, 0, err);
		} else if (xml_is(n, XML_NS_VZ, "nameserver")) {
			r = ext_word_list(s, n, "NAMESERVER", err);
		} else if (xml_is(n, XML_NS_VZ, "searchdomain")) {
			r = ext_word_list(s, n, "SEARCHDOMAIN", err);
		} else if (xml_is(n, XML_NS_VZ, "ubc")) {
			r = ext_ubc(s, n, err);
		} else if (xml_is(n, XML_NS_VZ, "disk")) {
			r = ext_disk(s, n, err);
		} else if (xml_is(n, XML_NS_VZ, "ugid-quota")) {
			r = ext_ugid(s, n, err);
		} else if (xml_is(n, XML_NS_VZ, "cpu")) {
			r = ext_cpu(s, n, err);
		} else if (xml_is(n, XML_NS_VZ, "veth")) {
			r = ext_veth(s, n, err);
		} else if (xml_is(n, XML_NS_VZ, "param")) {
			r = ext_param(s, n, err);
		} else {
			return xml_error(err, n, "unknown element of vzlite's extension");
		}
	}
	return r;
}

int xml_ext_metadata(struct xml_state *s, xmlNode *md, vzl_error **err)
{
	int r = xml_check_attrs(md, NULL, err), seen = 0;
	for (xmlNode *n = xml_element(md->children); r == 0 && n; n = xml_element(n->next)) {
		if (xml_is(n, XML_NS_VZ, "ve")) {
			if (seen++)
				return xml_error(err, n, "given twice");
			r = ext_parse(s, n, err);
		} else if (!n->ns) {
			return xml_error(err, n, "a <metadata> child needs a namespace");
		} else if (n->ns->href && !strcmp((const char *)n->ns->href, XML_NS_VZ)) {
			return xml_error(err, n,
					 "unknown element of vzlite's extension; use <vz:ve>");
		}
		/* Another application's metadata: not ours, kept out of the config. */
	}
	return r;
}
