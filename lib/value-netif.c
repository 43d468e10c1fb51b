/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* NETIF's veth devices (vzctl-behaviour.md §5.4) into struct value_netif. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "value-list.h"
#include "value.h"

/* "00:18:51:12:34:56" into mac (when non-NULL). */
static bool is_mac(const char *s, unsigned char *mac)
{
	if (strlen(s) != 17)
		return false;
	for (int i = 0; i < 17; i++)
		if (i % 3 == 2 ? s[i] != ':' : !strchr("0123456789abcdefABCDEF", s[i]))
			return false;
	for (int i = 0; mac && i < 6; i++)
		mac[i] = (unsigned char)strtoul(s + 3 * i, NULL, 16);
	return true;
}

/* NETIF: devices split on ';', each ifname=..,mac=..,host_ifname=..,host_mac=..,bridge=..,
 * mac_filter=on|off (§5.4). */
int value_check_netif(struct value_work *w)
{
	const char *p = w->text;
	char dev[VALUE_MAX + 1], field[VALUE_MAX + 1];

	while (value_next_token(&p, ";", dev, sizeof(dev))) {
		const char *q = dev;
		bool ifname = false;
		struct value_netif *n = value_push(&w->out->netifs, &w->out->n_netifs, sizeof(*n));
		if (!n)
			return -ENOMEM;
		n->mac_filter = -1;
		while (value_next_token(&q, ",", field, sizeof(field))) {
			char *eq = strchr(field, '=');
			const char *v = eq ? eq + 1 : "";
			if (eq)
				*eq = '\0';
			if (strcmp(field, "ifname") == 0 || strcmp(field, "host_ifname") == 0 ||
			    strcmp(field, "bridge") == 0) {
				if (!*v || strlen(v) > 15 || strpbrk(v, "/ "))
					return value_why(
						w,
						"has %s=\"%.32s\", which is not an interface "
						"name (1 to 15 characters)",
						field, v);
				ifname |= field[0] == 'i';
				snprintf(field[0] == 'i'   ? n->ifname
					 : field[0] == 'h' ? n->host_ifname
							   : n->bridge,
					 sizeof(n->ifname), "%s", v);
			} else if (strcmp(field, "mac") == 0 || strcmp(field, "host_mac") == 0) {
				bool host = field[0] == 'h';
				if (!is_mac(v, host ? n->host_mac : n->mac))
					return value_why(
						w,
						"has %s=\"%.32s\"; use a MAC address such as "
						"00:18:51:12:34:56",
						field, v);
				*(host ? &n->has_host_mac : &n->has_mac) = true;
				snprintf(host ? n->host_mac_text : n->mac_text, sizeof(n->mac_text),
					 "%s", v);
			} else if (strcmp(field, "mac_filter") == 0) {
				if (strcmp(v, "on") != 0 && strcmp(v, "off") != 0)
					return value_why(
						w, "has mac_filter=\"%.8s\"; use on or off", v);
				n->mac_filter = strcmp(v, "on") == 0;
			} else {
				return value_why(
					w,
					"has an unknown field \"%.32s\"; devices are "
					"ifname=,mac=,host_ifname=,host_mac=,bridge=,mac_filter= "
					"separated by ';'",
					field);
			}
		}
		if (!ifname)
			return value_why(w, "has a device without ifname=; every device needs one");
	}
	return 0;
}
