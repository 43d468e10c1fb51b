/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The names and MACs vzctl gives veth devices it is not told (vzctl-behaviour.md §5.4). */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "veth.h"

void veth_mac_text(const unsigned char mac[6], char out[18])
{
	snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4],
		 mac[5]);
}

void veth_default_host_ifname(unsigned int veid, const char *ifname, char out[IF_NAMESIZE])
{
	/* vzctl: sscanf(ifname, "%*[^0-9]%d"): a name starting with a digit, or without one,
	 * gives 0; the number is read as an int */
	long n = 0;
	const char *d = ifname;
	while (*d && !isdigit((unsigned char)*d))
		d++;
	if (d != ifname && *d)
		for (; isdigit((unsigned char)*d) && n < 100000000; d++)
			n = n * 10 + (*d - '0');
	char name[64];
	snprintf(name, sizeof(name), "veth%u.%ld", veid, n);
	snprintf(out, IF_NAMESIZE, "%.*s", IF_NAMESIZE - 1, name);
}

void veth_generate_mac(unsigned int veid, const char *name, const unsigned char hwid[6],
		       unsigned char mac[6])
{
	char hw[18], data[128];
	veth_mac_text(hwid, hw);
	/* vzctl prints the VE id with %d and hashes every byte but the trailing blank, which
	 * is still read as the last "next" byte; bytes are signed chars there */
	snprintf(data, sizeof(data), "%s:%d:%s ", name, (int)veid, hw);
	size_t len = strlen(data) - 1;
	unsigned int hash = veid;
	for (size_t i = 0; i < len; i++) {
		int cur = (signed char)data[i], next = (signed char)data[i + 1];
		hash += (unsigned int)cur;
		hash = (hash << 16) ^ (((unsigned int)next << 11) ^ hash);
		hash += hash >> 11;
	}
	hash ^= hash << 3;
	hash += hash >> 5;
	hash ^= hash << 4;
	hash += hash >> 17;
	hash ^= hash << 25;
	hash += hash >> 6;
	/* SW_OUI 0x001851; the third byte is taken at bit 15, not 16, as vzctl does */
	mac[0] = 0x00;
	mac[1] = 0x18;
	mac[2] = 0x51;
	mac[3] = (unsigned char)hash;
	mac[4] = (unsigned char)(hash >> 8);
	mac[5] = (unsigned char)(hash >> 15);
}
