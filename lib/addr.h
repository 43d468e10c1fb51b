/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The one parser of an IP address with an optional /PREFIX (vzctl-behaviour.md §5.3): used
 * for IP_ADDRESS by set, config files, create's --ipadd and both XML readers (value-list.c).
 */
#ifndef VZL_ADDR_H
#define VZL_ADDR_H

#include <arpa/inet.h>
#include <stddef.h>

/* "2001:db8::1/128" at most. */
#define ADDR_TEXT_MAX (INET6_ADDRSTRLEN + 4)

struct addr {
	int family;              /* AF_INET or AF_INET6 (IPv6 iff the text has a ':') */
	unsigned char bytes[16]; /* network order; 4 used for IPv4 */
	int prefix;              /* 0..32 or 0..128, -1 when none was given */
};

enum addr_err {
	ADDR_E_ADDRESS = 1, /* not an IPv4 or IPv6 address */
	ADDR_E_PREFIX,      /* the prefix is not 0..32 (IPv4) or 0..128 (IPv6) */
	ADDR_E_UNSPECIFIED, /* 0.0.0.0 or ::, which no VE can use */
};

/* Parse one ADDRESS[/PREFIX] (no blanks). 0 or -EINVAL with *ret_err set. */
int addr_parse(const char *text, struct addr *ret, enum addr_err *ret_err);

/* The canonical text (inet_ntop, "/PREFIX" when given) into buf of ADDR_TEXT_MAX bytes;
 * `with_prefix` false leaves the prefix out. */
void addr_format(const struct addr *a, int with_prefix, char *buf, size_t size);

#endif
