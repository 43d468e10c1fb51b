/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * dumpxml: a VE config as libvirt's OpenVZ domain format plus vzlite's extension
 * (xml.md §B.5, §C). The libvirt part has B.4's element set, order and formatting, so a
 * diff against libvirt's output shows only the deliberate differences; the extension
 * carries every key of the VE config, so define(dumpxml(C)) gives C again (§C.4).
 * Values are read from the VE config file alone: what vz.conf sets is the host's.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "conf-layer.h"
#include "error.h"
#include "macro.h"
#include "params.h"
#include "value.h"
#include "ve-spec.h"
#include "xml.h"

/* The first value that no XML document can hold: the document is then not written. */
struct dump_fault {
	char key[64];
	long offset; /* of the bad byte; -1: the key itself is the problem */
	unsigned char byte;
	int found;
};

struct dump {
	FILE *f;
	const vzl_config *cfg;
	const struct units_target *t;
	const struct ve_spec *spec; /* the VE config file's values, typed; vz.conf not layered */
	struct dump_fault *fault;
};

/*
 * Offset of the first byte of `s` that an XML 1.0 document cannot hold, or -1: bytes that
 * are not UTF-8 (overlong forms, surrogates and code points above U+10FFFF included), the
 * non-characters U+FFFE and U+FFFF, and control characters other than tab, LF and CR.
 */
static long xml_bad_byte(const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	for (long i = 0; s[i];) {
		size_t n = vzl_utf8_char_len(text + i);
		if (!n || (s[i] < 0x20 && s[i] != '\t' && s[i] != '\n' && s[i] != '\r'))
			return i;
		/* U+FFFE and U+FFFF: EF BF BE and EF BF BF */
		if (n == 3 && s[i] == 0xef && s[i + 1] == 0xbf && s[i + 2] >= 0xbe)
			return i;
		i += (long)n;
	}
	return -1;
}

static void fault(const struct dump *d, const char *key, long offset, unsigned char byte)
{
	if (d->fault->found++)
		return;
	snprintf(d->fault->key, sizeof(d->fault->key), "%s", key);
	d->fault->offset = offset;
	d->fault->byte = byte;
}

/* Text for element content or a single-quoted attribute. Tab, LF and CR as references,
 * which survive the normalisation of attribute values (XML 1.0 §3.3.3). */
static void esc(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '\'':
			fputs("&apos;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\t':
			fputs("&#9;", f);
			break;
		case '\n':
			fputs("&#10;", f);
			break;
		case '\r':
			fputs("&#13;", f);
			break;
		default:
			fputc(*s, f);
		}
	}
}

/* The file's value of a key (its duplicate rule applied), malloc()ed, or NULL. A value
 * no XML document can hold is recorded as the fault and printed as "". */
static char *get(const struct dump *d, const char *key)
{
	const struct param_def *p = param_find(key);
	char *v = NULL;
	if (p) {
		if (conf_lookup(d->cfg->file, p, d->t, &v, NULL) < 0)
			return NULL;
	} else {
		const char *raw = conf_get(d->cfg->file, key);
		if (raw && !(v = strdup(raw)))
			return NULL;
	}
	long bad = v ? xml_bad_byte(v) : -1;
	if (bad >= 0) {
		fault(d, key, bad, (unsigned char)v[bad]);
		v[0] = '\0';
	}
	return v;
}

/* A key the extension can carry as vz:param name='KEY' (what xml-ext.c reads back). */
static int key_ok(const char *key)
{
	size_t n = strlen(key);
	return n >= 1 && n <= 64 && key[0] >= 'A' && key[0] <= 'Z' &&
	       strspn(key, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == n;
}

/* Record the fault of a value no XML document can hold, when `key` has one. */
static void check_xml_text(const struct dump *d, const char *key)
{
	free(get(d, key));
}

static void num(FILE *f, uint64_t v, const struct units_target *t, int unlimited)
{
	if (unlimited && v >= t->long_max)
		fputs("unlimited", f);
	else
		fprintf(f, "%llu", (unsigned long long)v);
}

static void leaf(FILE *f, const char *indent, const char *name, const char *text)
{
	fprintf(f, "%s<%s>", indent, name);
	esc(f, text);
	fprintf(f, "</%s>\n", name);
}

/* Each space-separated word of the key whose extension element is `name`, as one element. */
static void words(const struct dump *d, const char *name)
{
	const struct param_def *p = param_find_xml_ext(name);
	_cleanup_free_ char *v = p ? get(d, p->name) : NULL;
	for (char *save = NULL, *w = v ? strtok_r(v, " \t", &save) : NULL; w;
	     w = strtok_r(NULL, " \t", &save))
		leaf(d->f, "      ", name, w);
}

static void extension(const struct dump *d)
{
	FILE *f = d->f;
	const char *in = "      ";
	fputs("  <metadata>\n    <vz:ve xmlns:vz='" XML_NS_VZ "'>\n", f);
	/* The text elements in the document's order (xml.md §C.1); their keys are the table's. */
	static const char *const text_elements[] = { "vz:profile", "vz:onboot", "vz:hostname" };
	for (size_t i = 0; i < ELEMENTSOF(text_elements); i++) {
		const struct param_def *p = param_find_xml_ext(text_elements[i]);
		_cleanup_free_ char *v = p ? get(d, p->name) : NULL;
		/* An unset ONBOOT is "no" for vzctl, and define writes it (xml.md §0.1). */
		if (v || (p && strcmp(p->name, "ONBOOT") == 0))
			leaf(f, in, text_elements[i], v ? v : "no");
	}
	words(d, "vz:nameserver");
	words(d, "vz:searchdomain");
	for (size_t i = 0; i < param_table_len; i++) {
		const struct ve_ub *u = ve_spec_ubc(d->spec, &param_table[i]);
		if (!u || !u->set)
			continue;
		fprintf(f, "%s<vz:ubc name='%s' barrier='", in, param_table[i].name);
		num(f, u->barrier, d->t, 1);
		fputs("' limit='", f);
		num(f, u->limit, d->t, 1);
		fputs("'/>\n", f);
	}
	const struct ve_disk_limit *space = &d->spec->disk.space, *inodes = &d->spec->disk.inodes;
	int have_sp = space->set, have_ino = inodes->set;
	_cleanup_free_ char *qt = get(d, "QUOTATIME"), *ugl = get(d, "QUOTAUGIDLIMIT"),
			    *dq = get(d, "DISK_QUOTA");
	if (have_sp || have_ino || qt || ugl || dq) {
		fprintf(f, "%s<vz:disk", in);
		if (have_sp)
			fprintf(f, " space-soft='%llu' space-hard='%llu'",
				(unsigned long long)space->soft, (unsigned long long)space->hard);
		if (have_ino)
			fprintf(f, " inodes-soft='%llu' inodes-hard='%llu'",
				(unsigned long long)inodes->soft, (unsigned long long)inodes->hard);
		const char *attrs[] = { "quotatime", qt, "ugidlimit", ugl, "quota", dq };
		for (int i = 0; i < 6; i += 2)
			if (attrs[i + 1]) {
				fprintf(f, " %s='", attrs[i]);
				esc(f, attrs[i + 1]);
				fputc('\'', f);
			}
		fputs("/>\n", f);
	}
	_cleanup_free_ char *ug = get(d, XML_KEY_UGID_QUOTA);
	for (char *save = NULL, *w = ug ? strtok_r(ug, " ", &save) : NULL; w;
	     w = strtok_r(NULL, " ", &save)) {
		char t;
		unsigned long long id, l[4];
		if (sscanf(w, "%c:%llu:%llu:%llu:%llu:%llu", &t, &id, &l[0], &l[1], &l[2], &l[3]) ==
		    6)
			fprintf(f,
				"%s<vz:ugid-quota type='%s' id='%llu' space-soft='%llu' "
				"space-hard='%llu' inodes-soft='%llu' inodes-hard='%llu'/>\n",
				in, t == 'u' ? "user" : "group", id, l[0], l[1], l[2], l[3]);
	}
	_cleanup_free_ char *cu = get(d, "CPUUNITS"), *cl = get(d, "CPULIMIT"),
			    *cs = get(d, "CPUS");
	if (cu || cl || cs) {
		const char *attrs[] = { "units", cu, "limit", cl, "cpus", cs };
		fprintf(f, "%s<vz:cpu", in);
		for (int i = 0; i < 6; i += 2)
			if (attrs[i + 1]) {
				fprintf(f, " %s='", attrs[i]);
				esc(f, attrs[i + 1]);
				fputc('\'', f);
			}
		fputs("/>\n", f);
	}
	/* The interface names are NETIF's text; one with bytes XML cannot hold is refused. */
	check_xml_text(d, "NETIF");
	/* What libvirt's <interface> cannot say about a veth device. */
	for (size_t i = 0; i < d->spec->net.netifs.n; i++) {
		const struct value_netif *n = &d->spec->net.netifs.v[i];
		if (!n->has_host_mac && n->mac_filter < 0)
			continue;
		fprintf(f, "%s<vz:veth guest='", in);
		esc(f, n->ifname);
		if (n->has_host_mac) {
			fputs("' host-mac='", f);
			esc(f, n->host_mac_text);
		}
		if (n->mac_filter >= 0)
			fprintf(f, "' mac-filter='%s", n->mac_filter ? "on" : "off");
		fputs("'/>\n", f);
	}
	/* Every other key of the file, known ones in table order, then unknown ones. */
	const struct conf *c = d->cfg->file;
	for (size_t i = 0; i < param_table_len + c->n_lines; i++) {
		const char *key;
		if (i < param_table_len) {
			const struct param_def *p = &param_table[i];
			if (p->type == PARAM_T_UBC ||
			    (p->flags & (PARAM_F_GLOBAL_ONLY | PARAM_F_NOT_SAVED)))
				continue;
			key = p->name;
		} else {
			key = c->lines[i - param_table_len].key;
			if (!key || param_find(key))
				continue;
			int dup = 0;
			for (size_t j = 0; j < i - param_table_len; j++)
				dup |= c->lines[j].key && !strcmp(c->lines[j].key, key);
			if (dup)
				continue;
			if (!key_ok(key)) {
				fault(d, key, -1, 0);
				continue;
			}
		}
		_cleanup_free_ char *v = xml_key_has_element(key) ? NULL : get(d, key);
		if (!v)
			continue;
		fprintf(f, "%s<vz:param name='%s'>", in, key);
		esc(f, v);
		fputs("</vz:param>\n", f);
	}
	fputs("    </vz:ve>\n  </metadata>\n", f);
}

static void memory(const struct dump *d)
{
	FILE *f = d->f;
	const struct ve_ub *km = &d->spec->ub[UB_KMEMSIZE], *pv = &d->spec->ub[UB_PRIVVMPAGES],
			   *vg = &d->spec->ub[UB_VMGUARPAGES];
	uint64_t kib = d->t->page_size / 1024, mem = 0;
	if (km->set && km->limit < d->t->long_max)
		mem = km->limit / 1024 + (km->limit % 1024 != 0);
	fprintf(f, "  <memory unit='KiB'>%llu</memory>\n", (unsigned long long)mem);
	fprintf(f, "  <currentMemory unit='KiB'>%llu</currentMemory>\n", (unsigned long long)mem);
	uint64_t lim = UINT64_MAX / kib;
	int hard = pv->set && pv->limit < d->t->long_max && pv->limit <= lim,
	    soft = pv->set && pv->barrier < d->t->long_max && pv->barrier <= lim,
	    guar = vg->set && vg->barrier && vg->barrier < d->t->long_max && vg->barrier <= lim;
	if (!hard && !soft && !guar)
		return;
	fputs("  <memtune>\n", f);
	if (hard)
		fprintf(f, "    <hard_limit unit='KiB'>%llu</hard_limit>\n",
			(unsigned long long)(pv->limit * kib));
	if (soft)
		fprintf(f, "    <soft_limit unit='KiB'>%llu</soft_limit>\n",
			(unsigned long long)(pv->barrier * kib));
	if (guar)
		fprintf(f, "    <min_guarantee unit='KiB'>%llu</min_guarantee>\n",
			(unsigned long long)(vg->barrier * kib));
	fputs("  </memtune>\n", f);
}

static void devices(const struct dump *d, unsigned veid)
{
	FILE *f = d->f;
	_cleanup_free_ char *tmpl = get(d, "OSTEMPLATE"), *priv = get(d, "VE_PRIVATE");
	_cleanup_free_ char *dir = priv ? conf_expand_veid(priv, veid) : NULL;
	const struct ve_disk_limit *sp = &d->spec->disk.space;
	fputs("  <devices>\n", f);
	if (tmpl || dir) {
		fprintf(f, "    <filesystem type='%s'>\n      <source %s='",
			tmpl ? "template" : "mount", tmpl ? "name" : "dir");
		esc(f, tmpl ? tmpl : dir);
		fputs("'/>\n      <target dir='/'/>\n", f);
		if (sp->set && sp->hard <= UINT64_MAX / 1024) {
			fprintf(f, "      <space_hard_limit unit='bytes'>%llu</space_hard_limit>\n",
				(unsigned long long)sp->hard * 1024);
			fprintf(f, "      <space_soft_limit unit='bytes'>%llu</space_soft_limit>\n",
				(unsigned long long)sp->soft * 1024);
		}
		fputs("    </filesystem>\n", f);
	}
	for (size_t i = 0; i < d->spec->net.ips.n; i++) {
		const struct value_ip *ip = &d->spec->net.ips.v[i];
		char text[INET6_ADDRSTRLEN];
		inet_ntop(ip->family, &ip->addr, text, sizeof(text));
		fputs("    <interface type='ethernet'>\n      <mac address='00:00:00:00:00:00'/>\n"
		      "      <ip address='",
		      f);
		esc(f, text);
		fprintf(f, "' family='%s'", ip->family == AF_INET6 ? "ipv6" : "ipv4");
		if (ip->prefix >= 0)
			fprintf(f, " prefix='%d'", ip->prefix);
		fputs("/>\n    </interface>\n", f);
	}
	for (size_t i = 0; i < d->spec->net.netifs.n; i++) {
		const struct value_netif *n = &d->spec->net.netifs.v[i];
		fputs("    <interface type='bridge'>\n", f);
		if (n->has_mac) /* libvirt writes MACs in lower case */
			fprintf(f, "      <mac address='%02x:%02x:%02x:%02x:%02x:%02x'/>\n",
				n->mac[0], n->mac[1], n->mac[2], n->mac[3], n->mac[4], n->mac[5]);
		if (n->bridge[0]) {
			fputs("      <source bridge='", f);
			esc(f, n->bridge);
			fputs("'/>\n", f);
		}
		if (n->host_ifname[0]) {
			fputs("      <target dev='", f);
			esc(f, n->host_ifname);
			fputs("'/>\n", f);
		}
		fputs("      <guest dev='", f);
		esc(f, n->ifname);
		fputs("'/>\n", f);
		fputs("    </interface>\n", f);
	}
	fputs("  </devices>\n", f);
}

/*
 * A value no XML document can hold: refused rather than guessed at (Latin-1 is the usual
 * cause, but only the operator knows what the bytes meant), naming the fix.
 */
static int refuse(const vzl_config *cfg, unsigned veid, const struct dump_fault *flt,
		  vzl_error **err)
{
	const char *path = vzl_config_path(cfg);
	const struct param_def *p = param_find(flt->key);
	char quoted[256], fix[160];
	value_quote(flt->key, quoted, sizeof(quoted));
	if (flt->offset < 0)
		return error_set(
			err, EINVAL, veid, VZL_STEP_CONFIG_VALUE, NULL,
			"the config has the key \"%s\", which XML cannot carry (keys are "
			"A-Z, 0-9 and '_', starting with a letter); rename or remove it in "
			"%s",
			quoted, path ? path : "the config");
	if (p && p->option)
		snprintf(fix, sizeof(fix),
			 "set it again in UTF-8 with 'vzlite set %u --%s VALUE --save'", veid,
			 p->option);
	else
		snprintf(fix, sizeof(fix), "correct it in %s (UTF-8 text only)",
			 path ? path : "the config");
	return error_set(err, EILSEQ, veid, VZL_STEP_CONFIG_VALUE, flt->key,
			 "%s: byte 0x%02x at offset %ld of the value is %s, which an XML document "
			 "cannot hold%s; %s",
			 quoted, flt->byte, flt->offset,
			 flt->byte < 0x20 ? "a control character" : "not UTF-8",
			 flt->byte < 0x20 ? ""
					  : " (a config written by an old vzctl may be in Latin-1)",
			 fix);
}

int xml_dump(const vzl_config *cfg, unsigned veid, const char *uuid, int running,
	     const struct units_target *t, char **ret, vzl_error **err)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return error_set(err, ENOMEM, veid, VZL_STEP_NONE, NULL, "out of memory");
	/* The file's own values, typed by each parameter's rule; vz.conf is the host's. */
	struct layers file_only = { .file = cfg->file, .file_is_ve = 1 };
	struct ve_spec spec;
	const char *too_long;
	int r = ve_spec_load(&file_only, veid, t, NULL, NULL, NULL, NULL, &spec, &too_long);
	if (r == -ENOMEM) {
		fclose(f);
		free(buf);
		return error_set(err, ENOMEM, veid, VZL_STEP_NONE, NULL, "out of memory");
	}
	/* -ENAMETOOLONG only leaves the paths unset, which dumpxml takes from the text. */
	struct dump_fault flt = { .found = 0 };
	struct dump d = { .f = f, .cfg = cfg, .t = t, .spec = &spec, .fault = &flt };
	if (running)
		fprintf(f, "<domain type='openvz' id='%u'>\n", veid);
	else
		fputs("<domain type='openvz'>\n", f);
	fprintf(f, "  <name>%u</name>\n", veid);
	if (uuid)
		leaf(f, "  ", "uuid", uuid);
	_cleanup_free_ char *desc = get(&d, "DESCRIPTION"), *cpus = get(&d, "CPUS"),
			    *units = get(&d, "CPUUNITS");
	if (desc)
		leaf(f, "  ", "description", desc);
	extension(&d);
	memory(&d);
	if (cpus && strcmp(cpus, "0"))
		fprintf(f, "  <vcpu placement='static'>%s</vcpu>\n", cpus);
	if (units)
		fprintf(f, "  <cputune>\n    <shares>%s</shares>\n  </cputune>\n", units);
	fputs("  <os>\n    <type>exe</type>\n    <init>/sbin/init</init>\n  </os>\n"
	      "  <clock offset='utc'/>\n  <on_poweroff>destroy</on_poweroff>\n"
	      "  <on_reboot>destroy</on_reboot>\n  <on_crash>destroy</on_crash>\n",
	      f);
	devices(&d, veid);
	fputs("</domain>\n", f);
	ve_spec_done(&spec);
	if (fclose(f) != 0 || !buf) {
		free(buf);
		return error_set(err, ENOMEM, veid, VZL_STEP_NONE, NULL, "out of memory");
	}
	if (flt.found) {
		free(buf);
		return refuse(cfg, veid, &flt, err);
	}
	*ret = buf;
	return 0;
}
