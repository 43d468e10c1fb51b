/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The kernel's venet map (kernel-abi.md §4; vzctl-behaviour.md §5.1): VENETCTL_VE_IP_MAP
 * through kernel.c, all or nothing, and the VE that holds an address the kernel refuses as
 * in use, read from /proc/vz/veinfo so the message can name it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "error.h"
#include "kernel.h"
#include "net.h"
#include "proc-vz.h"

static socklen_t to_sockaddr(const struct addr *a, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET6) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
		in6->sin6_family = AF_INET6;
		memcpy(&in6->sin6_addr, a->bytes, 16);
		return sizeof(*in6);
	}
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	in->sin_family = AF_INET;
	memcpy(&in->sin_addr, a->bytes, 4);
	return sizeof(*in);
}

static int map(vzl_ctx *ctx, unsigned veid, int op, const struct addr *a)
{
	struct sockaddr_storage ss;
	socklen_t len = to_sockaddr(a, &ss);
	return kernel_venet_ip(&ctx->kernel, veid, op, (struct sockaddr *)&ss, len);
}

struct owner {
	const struct addr *a;
	unsigned veid; /* 0: none found */
};

static int owner_line(void *userdata, unsigned veid, unsigned tasks, const char *ips,
		      size_t ips_len)
{
	struct owner *o = userdata;
	(void)tasks;
	char *copy = strndup(ips, ips_len);
	if (!copy)
		return 0;
	char *save = NULL;
	for (char *w = strtok_r(copy, " ", &save); w && !o->veid; w = strtok_r(NULL, " ", &save)) {
		struct addr b;
		enum addr_err e;
		struct net_addrs one = { .v = &b, .n = 1 };
		if (addr_parse(w, &b, &e) == 0 && net_addrs_has(&one, o->a))
			o->veid = veid;
	}
	free(copy);
	return 0;
}

/* The VE /proc/vz/veinfo lists `a` for, 0 when none (or unreadable). */
static unsigned owner_of(vzl_ctx *ctx, const struct addr *a)
{
	char *buf = NULL;
	size_t len;
	struct owner o = { .a = a };
	if (proc_vz_read(ctx, "vz/veinfo", &buf, &len) == 0)
		(void)proc_vz_parse_veinfo(buf, owner_line, &o);
	free(buf);
	return o.veid;
}

static int add_failed(vzl_ctx *ctx, unsigned veid, const struct addr *a, int r, vzl_error **err)
{
	char text[ADDR_TEXT_MAX];
	addr_format(a, 0, text, sizeof(text));
	if (r == -EADDRINUSE) {
		unsigned other = owner_of(ctx, a);
		if (other && other != veid)
			return error_set(err, EADDRINUSE, veid, VZL_STEP_VENET, "IP_ADDRESS",
					 "VE %u: address %s is in use by VE %u; remove it there "
					 "('vzlite set %u --ipdel %s') or give VE %u another one",
					 veid, text, other, other, text, veid);
		return error_set(err, EADDRINUSE, veid, VZL_STEP_VENET, "IP_ADDRESS",
				 "VE %u: address %s is in use%s", veid, text,
				 other == veid ? " by this VE already"
					       : " (reserved by the kernel)");
	}
	if (r == -ESRCH)
		return error_set(err, ESRCH, veid, VZL_STEP_STATE, "IP_ADDRESS",
				 "VE %u: cannot add address %s: the VE is not running", veid, text);
	return error_set(err, -r, veid, VZL_STEP_VENET, "IP_ADDRESS",
			 "VE %u: VENETCTL_VE_IP_MAP adding %s failed: %s", veid, text,
			 strerror(-r));
}

int net_venet_add(vzl_ctx *ctx, unsigned veid, const struct net_addrs *l, vzl_error **err)
{
	for (size_t i = 0; i < l->n; i++) {
		int r = map(ctx, veid, VE_IP_ADD, &l->v[i]);
		if (r == 0)
			continue;
		add_failed(ctx, veid, &l->v[i], r, err);
		struct net_addrs done = { .v = l->v, .n = i };
		(void)net_venet_del(ctx, veid, &done, NULL);
		return r;
	}
	return 0;
}

int net_venet_del(vzl_ctx *ctx, unsigned veid, const struct net_addrs *l, vzl_error **err)
{
	int ret = 0;
	for (size_t i = l->n; i-- > 0;) {
		int r = map(ctx, veid, VE_IP_DEL, &l->v[i]);
		if (r == 0 || r == -EADDRNOTAVAIL || ret < 0)
			continue;
		char text[ADDR_TEXT_MAX];
		addr_format(&l->v[i], 0, text, sizeof(text));
		ret = error_set(err, -r, veid, VZL_STEP_VENET, "IP_ADDRESS",
				"VE %u: VENETCTL_VE_IP_MAP deleting %s failed: %s", veid, text,
				strerror(-r));
	}
	return ret;
}
