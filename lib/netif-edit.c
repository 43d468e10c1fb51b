/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `set --netif_add/--netif_del/--ifname ... --mac/--host_ifname/--host_mac/--bridge/
 * --mac_filter` as an edit of NETIF (vzctl-behaviour.md §5.4; vzctl's parse_netif_str_cmd,
 * add_netif_param and merge_veth_list). --netif_add writes every field it generates (vzctl
 * stores them), so the config then says which names and MACs the device has:
 *
 *   IFNAME                  MAC from IFNAME, host name veth<VEID>.<N>, host MAC from it
 *   IFNAME,MAC[,...]        empty fields generated the same way; no host field after MAC:
 *                           the host MAC copies MAC
 *   ...,HOST_IFNAME         no HOST_MAC field: it copies MAC
 *
 * A device named again by --netif_add takes the new fields. --netif_del removes one device
 * or all; --ifname names the device the other options change.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "params.h"
#include "value.h"
#include "veth.h"

struct edit {
	unsigned veid;
	struct value_netif *d;
	size_t n;
	unsigned char hwid[6];
	bool have_hwid;
};

static int fail(vzl_error **err, unsigned veid, const char *option, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int fail(vzl_error **err, unsigned veid, const char *option, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return error_set(err, EINVAL, veid, VZL_STEP_CONFIG_VALUE, "NETIF", "--%s: %s", option,
			 msg);
}

static struct value_netif *find(struct edit *e, const char *ifname)
{
	for (size_t i = 0; i < e->n; i++)
		if (!strcmp(e->d[i].ifname, ifname))
			return &e->d[i];
	return NULL;
}

static int gen(struct edit *e, const char *name, unsigned char mac[6], char text[18])
{
	if (!e->have_hwid) {
		int r = veth_host_hwid(e->hwid);
		if (r < 0)
			return r;
		e->have_hwid = true;
	}
	veth_generate_mac(e->veid, name, e->hwid, mac);
	veth_mac_text(mac, text);
	return 0;
}

static bool parse_mac(const char *s, unsigned char mac[6], char text[18])
{
	unsigned m[6];
	int end = 0;
	if (strlen(s) != 17 ||
	    sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%n", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5],
		   &end) != 6 ||
	    end != 17)
		return false;
	for (int i = 0; i < 6; i++)
		mac[i] = (unsigned char)m[i];
	memcpy(text, s, 18);
	return true;
}

static bool ifname_ok(const char *s)
{
	return *s && strlen(s) < IF_NAMESIZE && !strpbrk(s, "/ ,;=:");
}

/* One --netif_add device: IFNAME[,MAC[,HOST_IFNAME[,HOST_MAC[,BRIDGE]]]] */
static int add_one(struct edit *e, char *spec, vzl_error **err)
{
	char *f[5] = { NULL };
	size_t nf = 0;
	for (char *p = spec; nf < 5; nf++) {
		f[nf] = p;
		char *c = nf < 4 ? strchr(p, ',') : NULL;
		if (!c) {
			nf++;
			break;
		}
		*c = '\0';
		p = c + 1;
	}
	struct value_netif n = { .mac_filter = -1 };
	if (!ifname_ok(f[0]))
		return fail(err, e->veid, "netif_add",
			    "\"%.32s\" is not an interface name (1 to 15 characters); use "
			    "IFNAME[,MAC[,HOST_IFNAME[,HOST_MAC[,BRIDGE]]]]",
			    f[0]);
	snprintf(n.ifname, sizeof(n.ifname), "%s", f[0]);
	int r = 0;
	if (nf > 1 && *f[1]) {
		if (!parse_mac(f[1], n.mac, n.mac_text))
			return fail(err, e->veid, "netif_add",
				    "\"%.32s\" is not a MAC address such as 00:18:51:12:34:56",
				    f[1]);
	} else {
		r = gen(e, n.ifname, n.mac, n.mac_text);
	}
	n.has_mac = n.has_host_mac = true;
	if (nf > 2 && *f[2]) {
		if (!ifname_ok(f[2]))
			return fail(err, e->veid, "netif_add",
				    "host interface name \"%.32s\" is not 1 to 15 characters",
				    f[2]);
		snprintf(n.host_ifname, sizeof(n.host_ifname), "%s", f[2]);
	} else {
		veth_default_host_ifname(e->veid, n.ifname, n.host_ifname);
	}
	if (nf > 3 && *f[3]) {
		if (!parse_mac(f[3], n.host_mac, n.host_mac_text))
			return fail(err, e->veid, "netif_add",
				    "host MAC \"%.32s\" is not a MAC address such as "
				    "00:18:51:12:34:56",
				    f[3]);
	} else if (nf == 1 || nf > 3 || (nf == 3 && !*f[2])) {
		/* vzctl generates the host MAC when the host name was not given as the last
		 * field; after a MAC or a host name that ends the list it copies the MAC */
		if (r == 0)
			r = gen(e, n.host_ifname, n.host_mac, n.host_mac_text);
	} else {
		memcpy(n.host_mac, n.mac, 6);
		memcpy(n.host_mac_text, n.mac_text, sizeof(n.mac_text));
	}
	if (r < 0)
		return error_set(err, -r, e->veid, VZL_STEP_NETLINK, "NETIF",
				 "the host's first Ethernet address (for generated MACs) "
				 "cannot be read: %s",
				 strerror(-r));
	if (nf > 4) {
		if (*f[4] && !ifname_ok(f[4]))
			return fail(err, e->veid, "netif_add",
				    "bridge name \"%.32s\" is not 1 to 15 characters", f[4]);
		snprintf(n.bridge, sizeof(n.bridge), "%s", f[4]);
	}
	struct value_netif *old = find(e, n.ifname);
	if (old) { /* merge_veth_dev: the new fields over the old */
		n.mac_filter = old->mac_filter;
		if (!n.bridge[0])
			memcpy(n.bridge, old->bridge, sizeof(n.bridge));
		*old = n;
		return 0;
	}
	struct value_netif *t = realloc(e->d, (e->n + 1) * sizeof(*t));
	if (!t)
		return -ENOMEM;
	e->d = t;
	e->d[e->n++] = n;
	return 0;
}

static int del(struct edit *e, const char *ifname, vzl_error **err)
{
	if (!strcmp(ifname, "all")) {
		e->n = 0;
		return 0;
	}
	struct value_netif *d = find(e, ifname);
	if (!d)
		return fail(err, e->veid, "netif_del",
			    "VE %u has no veth device \"%.32s\" (NETIF); name one of its "
			    "ifname= values, or all",
			    e->veid, ifname);
	memmove(d, d + 1, (size_t)(e->d + e->n - d - 1) * sizeof(*d));
	e->n--;
	return 0;
}

/* --mac, --host_ifname, --host_mac, --bridge, --mac_filter on device `d` */
static int change(struct edit *e, struct value_netif *d, const char *opt, const char *v,
		  vzl_error **err)
{
	if (!strcmp(opt, "mac") || !strcmp(opt, "host_mac")) {
		bool host = opt[0] == 'h';
		if (!parse_mac(v, host ? d->host_mac : d->mac,
			       host ? d->host_mac_text : d->mac_text))
			return fail(err, e->veid, opt,
				    "\"%.32s\" is not a MAC address such as 00:18:51:12:34:56", v);
		*(host ? &d->has_host_mac : &d->has_mac) = true;
	} else if (!strcmp(opt, "host_ifname") || !strcmp(opt, "bridge")) {
		if (!ifname_ok(v))
			return fail(err, e->veid, opt,
				    "\"%.32s\" is not an interface name (1 to 15 characters)", v);
		snprintf(opt[0] == 'h' ? d->host_ifname : d->bridge, sizeof(d->bridge), "%s", v);
	} else if (!strcmp(opt, "mac_filter")) {
		if (strcmp(v, "on") && strcmp(v, "off"))
			return fail(err, e->veid, opt, "\"%.32s\": use on or off", v);
		d->mac_filter = !strcmp(v, "on");
	}
	return 0;
}

static int render(const struct edit *e, char **ret)
{
	size_t cap = 1 + e->n * 200;
	char *s = malloc(cap), *p = s;
	if (!s)
		return -ENOMEM;
	*p = '\0';
	for (size_t i = 0; i < e->n; i++) {
		const struct value_netif *d = &e->d[i];
		p += sprintf(p, "%sifname=%s", i ? ";" : "", d->ifname);
		if (d->bridge[0])
			p += sprintf(p, ",bridge=%s", d->bridge);
		if (d->has_mac)
			p += sprintf(p, ",mac=%s", d->mac_text);
		if (d->host_ifname[0])
			p += sprintf(p, ",host_ifname=%s", d->host_ifname);
		if (d->has_host_mac)
			p += sprintf(p, ",host_mac=%s", d->host_mac_text);
		if (d->mac_filter >= 0)
			p += sprintf(p, ",mac_filter=%s", d->mac_filter ? "on" : "off");
	}
	*ret = s;
	return 0;
}

VZL_API int vzl_config_edit_netif(vzl_config *cfg, unsigned veid, const char *const *options,
				  const char *const *values, size_t n, vzl_error **err)
{
	struct edit e = { .veid = veid };
	char *old = NULL, *text = NULL, *msg = NULL;
	const char *ifname = NULL;
	struct value_typed v = { 0 };
	int r = vzl_config_get(cfg, "NETIF", 0, &old, NULL, err);
	if (r < 0)
		return r;
	if (old && *old) {
		r = value_parse(param_find("NETIF"), units_native(), VALUE_FROM_FILE, old, &v,
				&msg);
		if (r < 0)
			r = error_set(err, EINVAL, veid, VZL_STEP_CONFIG_VALUE, "NETIF",
				      "the config's NETIF %s; start over with --netif_del all",
				      msg ? msg : "is malformed");
		e.d = v.netifs; /* taken over */
		e.n = v.n_netifs;
		v.netifs = NULL;
		v.n_netifs = 0;
		value_typed_done(&v);
	}
	free(old);
	free(msg);
	for (size_t i = 0; r == 0 && i < n; i++) {
		if (!strcmp(options[i], "ifname")) {
			if (ifname)
				r = fail(err, veid, "ifname",
					 "given twice; change one device at a time");
			ifname = values[i];
		}
	}
	/* vzctl's order: deletions, additions, then the device --ifname names */
	for (size_t i = 0; r == 0 && i < n; i++)
		if (!strcmp(options[i], "netif_del"))
			r = del(&e, values[i], err);
	for (size_t i = 0; r == 0 && i < n; i++) {
		if (strcmp(options[i], "netif_add") != 0)
			continue;
		char *list = strdup(values[i]), *save = NULL;
		if (!list)
			r = -ENOMEM;
		for (char *t = list ? strtok_r(list, " ", &save) : NULL; r == 0 && t;
		     t = strtok_r(NULL, " ", &save))
			r = add_one(&e, t, err);
		free(list);
	}
	struct value_netif *d = r == 0 && ifname ? find(&e, ifname) : NULL;
	if (r == 0 && ifname && !d)
		r = fail(err, veid, "ifname",
			 "VE %u has no veth device \"%.32s\"; add it with --netif_add %.32s", veid,
			 ifname, ifname);
	for (size_t i = 0; r == 0 && i < n; i++) {
		const char *o = options[i];
		if (!strcmp(o, "netif_add") || !strcmp(o, "netif_del") || !strcmp(o, "ifname"))
			continue;
		r = d ? change(&e, d, o, values[i], err)
		      : fail(err, veid, o, "names no device; add --ifname IFNAME");
	}
	if (r == 0)
		r = render(&e, &text);
	if (r == 0)
		r = vzl_config_set(cfg, "NETIF", text, err);
	if (r == -ENOMEM && err && !*err)
		error_set(err, ENOMEM, veid, VZL_STEP_NONE, "NETIF", "out of memory");
	free(text);
	free(e.d);
	return r < 0 ? r : 0;
}
