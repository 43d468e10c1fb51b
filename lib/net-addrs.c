/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The address lists of venet (net.h): from IP_ADDRESS, and from /proc/vz/veinfo. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "ctx.h"
#include "net.h"
#include "proc-vz.h"

static bool same(const struct addr *x, const struct addr *y)
{
	return x->family == y->family &&
	       memcmp(x->bytes, y->bytes, x->family == AF_INET6 ? 16 : 4) == 0;
}

bool net_addrs_has(const struct net_addrs *l, const struct addr *a)
{
	for (size_t i = 0; i < l->n; i++)
		if (same(&l->v[i], a))
			return true;
	return false;
}

int net_addrs_push(struct net_addrs *l, const struct addr *a)
{
	if (net_addrs_has(l, a))
		return 0; /* vzctl drops a repeated address, whatever its prefix */
	struct addr *v = realloc(l->v, (l->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	l->v = v;
	v[l->n++] = *a;
	return 0;
}

void net_addrs_free(struct net_addrs *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

bool net_ipv6_enabled(const vzl_ctx *ctx)
{
	const char *v = ctx->global ? conf_get(ctx->global, "IPV6") : NULL;
	return v && strcmp(v, "yes") == 0;
}

int net_addrs_parse(vzl_ctx *ctx, unsigned veid, const char *value, bool ipv6,
		    struct net_addrs *ret)
{
	struct net_addrs l = { 0 };
	int r = 0;
	const char *p = value ? value : "";
	while (r == 0 && *(p += strspn(p, " \t,"))) {
		size_t n = strcspn(p, " \t,");
		char word[ADDR_TEXT_MAX + 8];
		struct addr a;
		enum addr_err e;
		if (n >= sizeof(word)) {
			r = -EINVAL;
			break;
		}
		memcpy(word, p, n);
		word[n] = '\0';
		p += n;
		if (addr_parse(word, &a, &e) < 0) {
			r = -EINVAL;
			break;
		}
		if (a.family == AF_INET6 && !ipv6) {
			log_warning(ctx,
				    "VE %u: IPv6 address %s of IP_ADDRESS skipped: IPv6 support is "
				    "disabled (set IPV6=\"yes\" in vz.conf to use it)",
				    veid, word);
			continue;
		}
		r = net_addrs_push(&l, &a);
	}
	if (r < 0) {
		net_addrs_free(&l);
		return r;
	}
	*ret = l;
	return 0;
}

struct of_ve {
	unsigned veid;
	struct net_addrs *l;
	int r;
};

static int of_ve_line(void *userdata, unsigned veid, unsigned tasks, const char *ips,
		      size_t ips_len)
{
	struct of_ve *o = userdata;
	(void)tasks;
	if (veid != o->veid)
		return 0;
	for (size_t i = 0; i < ips_len && o->r == 0;) {
		i += strspn(ips + i, " ");
		size_t n = 0;
		while (i + n < ips_len && ips[i + n] != ' ')
			n++;
		char word[INET6_ADDRSTRLEN];
		struct addr a;
		enum addr_err e;
		if (n && n < sizeof(word)) {
			memcpy(word, ips + i, n);
			word[n] = '\0';
			if (addr_parse(word, &a, &e) == 0)
				o->r = net_addrs_push(o->l, &a);
		}
		i += n;
	}
	return 0;
}

int net_addrs_of_ve(vzl_ctx *ctx, unsigned veid, struct net_addrs *ret)
{
	char *buf = NULL;
	size_t len;
	struct net_addrs l = { 0 };
	int r = proc_vz_read(ctx, "vz/veinfo", &buf, &len);
	if (r < 0)
		return r;
	struct of_ve o = { .veid = veid, .l = &l };
	r = proc_vz_parse_veinfo(buf, of_ve_line, &o);
	free(buf);
	if (r == 0)
		r = o.r;
	if (r < 0) {
		net_addrs_free(&l);
		return r;
	}
	*ret = l;
	return 0;
}
