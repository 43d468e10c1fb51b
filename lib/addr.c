/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* An IP address with an optional prefix (addr.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"

int addr_parse(const char *text, struct addr *ret, enum addr_err *ret_err)
{
	static const unsigned char zero[16];
	char host[INET6_ADDRSTRLEN];
	const char *slash = strchr(text, '/');
	size_t len = slash ? (size_t)(slash - text) : strlen(text);
	struct addr a = { .family = strchr(text, ':') ? AF_INET6 : AF_INET, .prefix = -1 };
	int max = a.family == AF_INET6 ? 128 : 32;

	*ret_err = ADDR_E_ADDRESS;
	if (len >= sizeof(host))
		return -EINVAL;
	memcpy(host, text, len);
	host[len] = '\0';
	if (inet_pton(a.family, host, a.bytes) != 1)
		return -EINVAL;
	if (slash) {
		/* One to three decimal digits (vzctl reads leading zeros: "/024" is /24). */
		const char *p = slash + 1;
		size_t digits = strspn(p, "0123456789");
		*ret_err = ADDR_E_PREFIX;
		if (!digits || digits > 3 || p[digits])
			return -EINVAL;
		a.prefix = 0;
		for (size_t i = 0; i < digits; i++)
			a.prefix = a.prefix * 10 + (p[i] - '0');
		if (a.prefix > max)
			return -EINVAL;
	}
	*ret_err = ADDR_E_UNSPECIFIED;
	if (memcmp(a.bytes, zero, a.family == AF_INET6 ? 16 : 4) == 0)
		return -EINVAL;
	*ret = a;
	return 0;
}

void addr_format(const struct addr *a, int with_prefix, char *buf, size_t size)
{
	char host[INET6_ADDRSTRLEN];
	if (!inet_ntop(a->family, a->bytes, host, sizeof(host)))
		host[0] = '\0'; /* cannot happen for a parsed address */
	if (with_prefix && a->prefix >= 0)
		snprintf(buf, size, "%s/%d", host, a->prefix);
	else
		snprintf(buf, size, "%s", host);
}
