/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The seed proposal's format (xml.md §A) → config values, and the value rules both formats
 * share (§0.3, §0.5). The seed vocabulary is closed: any other element or attribute is an
 * error.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "macro.h"
#include "params.h"
#include "value.h"
#include "veid.h"
#include "xml.h"

int xml_check_veid(const xmlNode *n, const char *text, unsigned *ret, vzl_error **err)
{
	/* The VEID rule of the command line (ve.c); 0 (the host) and the reserved IDs name
	 * no VE a document can define, as create refuses them. */
	unsigned v;
	if (veid_parse(text, &v) < 0 || v < XML_VEID_MIN)
		return xml_error(err, n,
				 "'%.40s' is not a VE ID: use decimal digits from %u to "
				 "%u, no sign, blank or leading zero",
				 text, XML_VEID_MIN, VZL_VEID_MAX);
	*ret = v;
	return 0;
}

/*
 * The rule of config key `key` (value.c), the one `vzlite set` applies, so that a document
 * is refused only for a value a config could not hold: define(dumpxml(C)) gives C back for
 * every config set accepts (xml.md §C.4). A key outside the parameter table is a string.
 */
int xml_check_param(const xmlNode *n, const struct units_target *t, const char *key,
		    const char *text, char **ret_canonical, vzl_error **err)
{
	const struct param_def *p = param_find(key);
	const struct param_def string = { .name = key, .type = PARAM_T_STRING };
	_cleanup_free_ char *msg = NULL;
	int r = value_check(p ? p : &string, t, VALUE_FROM_USER, text, ret_canonical, &msg);
	if (r == -ENOMEM)
		return error_set(err, ENOMEM, 0, VZL_STEP_NONE, NULL, "out of memory");
	if (r < 0)
		return xml_error(err, n, "%s", msg);
	return 0;
}

/* One word of a blank-separated list given as one element: a blank would make it two. */
static int one_word(const xmlNode *n, const char *text, vzl_error **err)
{
	if (!*text || strpbrk(text, " \t"))
		return xml_error(err, n, "'%.40s' is not one word: give one entry per element",
				 text);
	return 0;
}

int xml_check_word(const xmlNode *n, const struct units_target *t, const char *key,
		   const char *text, vzl_error **err)
{
	int r = one_word(n, text, err);
	return r < 0 ? r : xml_check_param(n, t, key, text, NULL, err);
}

int xml_check_ip(const xmlNode *n, const struct units_target *t, const char *text, char *buf,
		 size_t size, vzl_error **err)
{
	_cleanup_free_ char *canon = NULL;
	int r;
	if (!*text || strpbrk(text, " \t"))
		return xml_error(err, n,
				 "'%.48s' is not an IPv4 or IPv6 address; give one "
				 "address per element",
				 text);
	if ((r = xml_check_param(n, t, "IP_ADDRESS", text, &canon, err)) < 0)
		return r;
	snprintf(buf, size, "%s", canon);
	return strchr(canon, ':') ? 6 : 4;
}

int xml_ve_append(struct xml_ve *x, const xmlNode *n, const char *key, const char *word,
		  vzl_error **err)
{
	const char *old = xml_ve_get(x, key);
	if (old) {
		size_t wl = strlen(word);
		for (const char *p = old; *p;) {
			size_t l = strcspn(p, " ");
			if (l == wl && strncmp(p, word, l) == 0)
				return xml_error(err, n, "'%s' is given twice", word);
			p += l;
			p += *p == ' ';
		}
	}
	_cleanup_free_ char *v = NULL;
	if (asprintf(&v, "%s%s%s", old ? old : "", old ? " " : "", word) < 0 ||
	    xml_ve_set(x, key, v, 0) < 0)
		return error_set(err, ENOMEM, 0, VZL_STEP_NONE, NULL, "out of memory");
	return 0;
}

static int nomem(vzl_error **err)
{
	return error_set(err, ENOMEM, 0, VZL_STEP_NONE, NULL, "out of memory");
}

/* ⌈bytes / 1024⌉ KB from a <quota> text; 0 < BYTES. */
static int quota_kb(const xmlNode *n, const char *text, unsigned long long *ret, vzl_error **err)
{
	unsigned long long bytes;
	int r = xml_number(text, UINT64_MAX, &bytes);
	if (r < 0 || bytes == 0)
		return xml_error(err, n, "'%.40s' is not a size in bytes from 1 to 2^64-1", text);
	*ret = bytes / 1024 + (bytes % 1024 != 0);
	return 0;
}

static int seed_quota(xmlNode *q, struct xml_ve *x, int *have_first, vzl_error **err)
{
	static const char *const attrs[] = { "level", "uid", "gid", NULL };
	const char *level = xml_attr(q, "level"), *text;
	int r = xml_check_attrs(q, attrs, err);
	if (r < 0 || (r = xml_text(q, &text, err)) < 0)
		return r;
	unsigned long long kb = 0;
	if (!level || (strcmp(level, "first") != 0 && strcmp(level, "second") != 0))
		return xml_error(err, q,
				 "level='%s' is not supported; use level='first' (the "
				 "VE's disk) or level='second' with uid= or gid= (the "
				 "draft's level='vm'/'user' became these)",
				 level ? level : "");
	if ((r = quota_kb(q, text, &kb, err)) < 0)
		return r;
	char buf[128];
	if (strcmp(level, "first") == 0) {
		if (*have_first)
			return xml_error(err, q, "a second first-level quota; give one");
		if (xml_attr(q, "uid") || xml_attr(q, "gid"))
			return xml_error(err, q, "a first-level quota has no uid or gid");
		*have_first = 1;
		snprintf(buf, sizeof(buf), "%llu:%llu", kb, kb);
		return xml_ve_set(x, "DISKSPACE", buf, 0) < 0 ? nomem(err) : 0;
	}
	const char *uid = xml_attr(q, "uid"), *gid = xml_attr(q, "gid");
	unsigned long long id;
	if (!uid == !gid)
		return xml_error(err, q, "a second-level quota needs exactly one of uid= and gid=");
	if (xml_number(uid ? uid : gid, 4294967294ull, &id) < 0)
		return xml_error(err, q, "'%.20s' is not a %s from 0 to 4294967294",
				 uid ? uid : gid, uid ? "uid" : "gid");
	snprintf(buf, sizeof(buf), "%c:%llu:%llu:%llu:0:0", uid ? 'u' : 'g', id, kb, kb);
	char prefix[32];
	int plen = snprintf(prefix, sizeof(prefix), "%c:%llu:", uid ? 'u' : 'g', id);
	const char *old = xml_ve_get(x, "VZLITE_UGID_QUOTA");
	for (const char *p = old; p && *p; p += strcspn(p, " "), p += *p == ' ')
		if (strncmp(p, prefix, (size_t)plen) == 0)
			return xml_error(err, q, "%s %llu has two second-level quotas",
					 uid ? "uid" : "gid", id);
	x->ugid_entries++;
	return xml_ve_append(x, q, "VZLITE_UGID_QUOTA", buf, err);
}

static int seed_filesystem(xmlNode *fs, const struct units_target *t, struct xml_ve *x,
			   vzl_error **err)
{
	int r = xml_check_attrs(fs, NULL, err), have_first = 0, have_tmpl = 0;
	for (xmlNode *c = xml_element(fs->children); r == 0 && c; c = xml_element(c->next)) {
		const char *text;
		if (xml_is(c, NULL, "template")) {
			if (have_tmpl++)
				return xml_error(err, c, "given twice");
			if ((r = xml_check_attrs(c, NULL, err)) < 0 ||
			    (r = xml_text(c, &text, err)) < 0 ||
			    (r = xml_check_param(c, t, "OSTEMPLATE", text, NULL, err)) < 0)
				return r;
			if (xml_ve_set(x, "OSTEMPLATE", text, 0) < 0)
				return nomem(err);
		} else if (xml_is(c, NULL, "quota")) {
			r = seed_quota(c, x, &have_first, err);
		} else {
			return xml_error(err, c,
					 "unknown element in <filesystem>; the seed format "
					 "has <template> and <quota>");
		}
	}
	return r;
}

static int seed_interface(xmlNode *itf, const struct units_target *t, struct xml_ve *x,
			  vzl_error **err)
{
	int r = xml_check_attrs(itf, NULL, err), n = 0;
	for (xmlNode *c = xml_element(itf->children); r == 0 && c; c = xml_element(c->next)) {
		const char *text;
		char ip[INET6_ADDRSTRLEN + 8];
		if (!xml_is(c, NULL, "ipaddress"))
			return xml_error(err, c,
					 "unknown element in <interface>; the seed format "
					 "has <ipaddress>");
		if ((r = xml_check_attrs(c, NULL, err)) < 0 || (r = xml_text(c, &text, err)) < 0)
			return r;
		int fam = xml_check_ip(c, t, text, ip, sizeof(ip), err);
		if (fam < 0)
			return fam;
		x->has_ipv6 |= fam == 6;
		r = xml_ve_append(x, c, "IP_ADDRESS", ip, err);
		n++;
	}
	if (r == 0 && n == 0)
		return xml_error(err, itf, "an interface needs at least one <ipaddress>");
	return r;
}

int xml_seed_parse(xmlNode *root, const struct units_target *t, struct xml_ve *x, vzl_error **err)
{
	static const char *const root_attrs[] = { "type", NULL };
	int r = xml_check_attrs(root, root_attrs, err);
	int have_name = 0, seen_uuid = 0, seen_fs = 0, seen_prof = 0, seen_dev = 0, seen_host = 0;
	for (xmlNode *n = xml_element(root->children); r == 0 && n; n = xml_element(n->next)) {
		const char *text = NULL;
		int leaf = !xml_is(n, NULL, "filesystem") && !xml_is(n, NULL, "devices");
		if ((r = xml_check_attrs(n, NULL, err)) < 0 ||
		    (leaf && (r = xml_text(n, &text, err)) < 0))
			return r;
		if (xml_is(n, NULL, "name")) {
			if (have_name++)
				return xml_error(err, n, "given twice");
			r = xml_check_veid(n, text, &x->veid, err);
		} else if (xml_is(n, NULL, "uuid")) {
			if (seen_uuid++)
				return xml_error(err, n, "given twice");
			if (!(x->uuid = strdup(text)))
				return nomem(err);
		} else if (xml_is(n, NULL, "filesystem")) {
			if (seen_fs++)
				return xml_error(err, n, "given twice");
			r = seed_filesystem(n, t, x, err);
		} else if (xml_is(n, NULL, "profile")) {
			if (seen_prof++)
				return xml_error(err, n, "given twice");
			if ((r = xml_check_param(n, t, "ORIGIN_SAMPLE", text, NULL, err)) == 0 &&
			    !(x->profile = strdup(text)))
				return nomem(err);
		} else if (xml_is(n, NULL, "devices")) {
			if (seen_dev++)
				return xml_error(err, n, "given twice");
			int itfs = 0;
			for (xmlNode *c = xml_element(n->children); r == 0 && c;
			     c = xml_element(c->next)) {
				if (!xml_is(c, NULL, "interface"))
					return xml_error(err, c,
							 "unknown element in <devices>; the "
							 "seed format has <interface>");
				if (++itfs > XML_MAX_INTERFACES)
					return xml_error(err, c, "more than %d interfaces",
							 XML_MAX_INTERFACES);
				r = seed_interface(c, t, x, err);
			}
		} else if (xml_is(n, NULL, "nameserver")) {
			if ((r = xml_check_word(n, t, "NAMESERVER", text, err)) == 0)
				r = xml_ve_append(x, n, "NAMESERVER", text, err);
		} else if (xml_is(n, NULL, "hostname")) {
			if (seen_host++)
				return xml_error(err, n, "given twice");
			if ((r = xml_check_param(n, t, "HOSTNAME", text, NULL, err)) == 0 &&
			    xml_ve_set(x, "HOSTNAME", text, 0) < 0)
				return nomem(err);
		} else {
			return xml_error(err, n,
					 "unknown element; the seed format has <name>, "
					 "<uuid>, <filesystem>, <profile>, <devices>, "
					 "<nameserver> and <hostname>");
		}
	}
	if (r == 0 && !have_name)
		return xml_error(err, root, "no <name>: give the VE ID");
	return r;
}
