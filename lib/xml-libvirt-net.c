/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libvirt's <interface> elements (xml.md §B.3): type='ethernet' with <ip> gives venet
 * addresses (IP_ADDRESS), type='bridge' or an ethernet interface without <ip> gives a veth
 * device (a NETIF entry), named as libvirt names them when the document does not.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "macro.h"
#include "xml.h"

static int check_mac(const xmlNode *n, const char *mac, char out[18], vzl_error **err)
{
	int ok = mac && strlen(mac) == 17;
	for (int i = 0; ok && i < 17; i++)
		ok = i % 3 == 2 ? mac[i] == ':'
				: strchr("0123456789abcdefABCDEF", mac[i]) && mac[i] != '\0';
	if (!ok)
		return xml_error(err, n, "'%.20s' is not a MAC address XX:XX:XX:XX:XX:XX",
				 mac ? mac : "");
	for (int i = 0; i <= 17; i++)
		out[i] = (char)(mac[i] >= 'a' && mac[i] <= 'f' ? mac[i] - 32 : mac[i]);
	return 0;
}

/*
 * An interface name becomes a field of a NETIF entry: ',' and ';' would end the field or the
 * entry, so they cannot be in one; anything else follows NETIF's rule (value-netif.c).
 */
static int check_ifname(const struct xml_state *s, const xmlNode *n, const char *v, vzl_error **err)
{
	if (!v || strpbrk(v, ",;"))
		return xml_error(err, n,
				 "'%.20s' is not an interface name (1 to 15 characters, "
				 "no blank, '/', ',' or ';')",
				 v ? v : "");
	_cleanup_free_ char *entry = NULL;
	if (asprintf(&entry, "ifname=%s", v) < 0)
		return error_set(err, ENOMEM, 0, VZL_STEP_NONE, NULL, "out of memory");
	return xml_check_param(n, s->t, "NETIF", entry, NULL, err);
}

/* One veth device (bridge, or ethernet without an address) → a NETIF entry. */
static int parse_veth(struct xml_state *s, unsigned *netif_n, xmlNode *itf, const char *type,
		      vzl_error **err)
{
	const char *mac = NULL, *bridge = NULL, *host = NULL, *guest = NULL;
	static const char *const a_mac[] = { "address", NULL }, *const a_src[] = { "bridge", NULL },
				 *const a_dev[] = { "dev", NULL };
	int r = 0;
	for (xmlNode *n = xml_element(itf->children); n; n = xml_element(n->next)) {
		const char **slot = xml_is(n, NULL, "mac")                      ? &mac
				    : xml_is(n, NULL, "source") && *type == 'b' ? &bridge
				    : xml_is(n, NULL, "target")                 ? &host
				    : xml_is(n, NULL, "guest")                  ? &guest
										: NULL;
		if (!slot)
			return xml_error(err, n, "unsupported in a %s interface", type);
		if (*slot)
			return xml_error(err, n, "given twice");
		const char *const *allowed = slot == &mac ? a_mac : slot == &bridge ? a_src : a_dev;
		if ((r = xml_check_attrs(n, allowed, err)) < 0)
			return r;
		*slot = xml_attr(n, allowed[0]);
		if (!*slot)
			return xml_error(err, n, "needs %s=", allowed[0]);
	}
	char gbuf[20], hbuf[32], macbuf[18], entry[256];
	if (guest && (r = check_ifname(s, itf, guest, err)) < 0)
		return r;
	if (host && (r = check_ifname(s, itf, host, err)) < 0)
		return r;
	if (bridge && (r = check_ifname(s, itf, bridge, err)) < 0)
		return r;
	if (mac && (r = check_mac(itf, mac, macbuf, err)) < 0)
		return r;
	unsigned n = (*netif_n)++;
	if (!guest) {
		/* libvirt's rule: eth<max+1> over the names used so far. */
		unsigned next = 0;
		const char *old = xml_ve_get(s->x, "NETIF");
		for (const char *p = old; p && (p = strstr(p, "ifname=eth")); p += 10) {
			if (p != old && p[-1] != ';')
				continue;
			unsigned k = (unsigned)strtoul(p + 10, NULL, 10);
			next = k + 1 > next ? k + 1 : next;
		}
		snprintf(gbuf, sizeof(gbuf), "eth%u", next);
		guest = gbuf;
	}
	if (!host) {
		snprintf(hbuf, sizeof(hbuf), "veth%u.%u", s->x->veid, n);
		host = hbuf;
	}
	struct xml_veth *v = NULL;
	for (size_t i = 0; i < s->n_veth; i++)
		if (!strcmp(s->veth[i].guest, guest))
			v = &s->veth[i];
	char hm[18] = "";
	if (v && v->host_mac[0] && (r = check_mac(v->node, v->host_mac, hm, err)) < 0)
		return r;
	if (v)
		v->used = 1;
	snprintf(entry, sizeof(entry), "ifname=%s%s%s%s%s,host_ifname=%s%s%s%s%s", guest,
		 bridge ? ",bridge=" : "", bridge ? bridge : "", mac ? ",mac=" : "",
		 mac ? macbuf : "", host, hm[0] ? ",host_mac=" : "", hm,
		 v && v->mac_filter[0] ? ",mac_filter=" : "", v ? v->mac_filter : "");
	const char *old = xml_ve_get(s->x, "NETIF");
	_cleanup_free_ char *val = NULL;
	if (asprintf(&val, "%s%s%s", old ? old : "", old ? ";" : "", entry) < 0)
		return error_set(err, ENOMEM, 0, VZL_STEP_NONE, NULL, "out of memory");
	return xml_state_set(s, "NETIF", val, 0, err);
}

int xml_libvirt_parse_interface(struct xml_state *s, unsigned *netif_n, xmlNode *itf,
				vzl_error **err)
{
	static const char *const attrs[] = { "type", NULL }, *const ip_a[] = { "address", "prefix",
									       "family", NULL };
	const char *type = xml_attr(itf, "type");
	int r = xml_check_attrs(itf, attrs, err), ips = 0;
	if (r < 0)
		return r;
	if (!type || (strcmp(type, "ethernet") && strcmp(type, "bridge")))
		return xml_error(err, itf,
				 "type='%.20s' is unsupported for OpenVZ containers; use "
				 "'ethernet' (venet addresses) or 'bridge' (veth)",
				 type ? type : "");
	for (xmlNode *n = xml_element(itf->children); n; n = xml_element(n->next))
		ips += xml_is(n, NULL, "ip");
	if (!strcmp(type, "bridge") || !ips)
		return parse_veth(s, netif_n, itf, type, err);
	for (xmlNode *n = xml_element(itf->children); n; n = xml_element(n->next)) {
		if (xml_is(n, NULL, "mac"))
			continue; /* venet has none; libvirt prints zeros */
		if (!xml_is(n, NULL, "ip"))
			return xml_error(err, n, "unsupported in an ethernet interface with <ip>");
		if ((r = xml_check_attrs(n, ip_a, err)) < 0)
			return r;
		const char *addr = xml_attr(n, "address"), *prefix = xml_attr(n, "prefix"),
			   *family = xml_attr(n, "family");
		char text[128], ip[INET6_ADDRSTRLEN + 8];
		if (!addr)
			return xml_error(err, n, "needs address=");
		snprintf(text, sizeof(text), "%s%s%s", addr, prefix ? "/" : "",
			 prefix ? prefix : "");
		int fam = xml_check_ip(n, s->t, text, ip, sizeof(ip), err);
		if (fam < 0)
			return fam;
		if (family && strcmp(family, fam == 4 ? "ipv4" : "ipv6"))
			return xml_error(err, n, "family='%.10s' does not match address %.48s",
					 family, addr);
		s->x->has_ipv6 |= fam == 6;
		if ((r = xml_ve_append(s->x, n, "IP_ADDRESS", ip, err)) < 0)
			return r;
	}
	return 0;
}
