/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The veip file (vzctl-behaviour.md §5.2, §3.3): <VEIP_DIR>/<VEID>, default
 * /var/lib/vzctl/veip/<VEID>, lists the addresses whose host side (routes, proxy entries)
 * was set up, each followed by one blank, as vps-net_add appends them. A start truncates it,
 * --ipdel takes addresses out, a stop removes it; the cleanup of a VE that stopped from
 * inside reads it, since the kernel has forgotten the VE's addresses by then.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctx.h"
#include "net.h"

static int veip_path(vzl_ctx *ctx, unsigned veid, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s/%u", ctx->paths[VZL_PATH_VEIP_DIR], veid);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* mkdir -p of the directory; 0 or -errno. */
static int make_dir(const char *dir)
{
	char p[4096];
	snprintf(p, sizeof(p), "%s", dir);
	for (char *s = p + 1;; s++) {
		if (*s != '/' && *s)
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			return -errno;
		*s = c;
		if (!c)
			return 0;
	}
}

static int open_file(vzl_ctx *ctx, unsigned veid, int flags)
{
	char p[4096];
	int r = veip_path(ctx, veid, p, sizeof(p));
	if (r < 0)
		return r;
	if ((flags & O_CREAT) && (r = make_dir(ctx->paths[VZL_PATH_VEIP_DIR])) < 0)
		return r;
	int fd = open(p, flags | O_NOFOLLOW | O_CLOEXEC, 0644);
	return fd < 0 ? -errno : fd;
}

static int write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

int net_veip_truncate(vzl_ctx *ctx, unsigned veid)
{
	int fd = open_file(ctx, veid, O_WRONLY | O_CREAT | O_TRUNC);
	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

int net_veip_append(vzl_ctx *ctx, unsigned veid, const struct addr *a)
{
	char text[ADDR_TEXT_MAX + 1];
	addr_format(a, 0, text, sizeof(text) - 1);
	strcat(text, " ");
	int fd = open_file(ctx, veid, O_WRONLY | O_CREAT | O_APPEND);
	if (fd < 0)
		return fd;
	int r = write_all(fd, text, strlen(text));
	close(fd);
	return r;
}

int net_veip_read(vzl_ctx *ctx, unsigned veid, struct net_addrs *ret)
{
	struct net_addrs l = { 0 };
	int fd = open_file(ctx, veid, O_RDONLY);
	if (fd == -ENOENT) {
		*ret = l;
		return 0;
	}
	if (fd < 0)
		return fd;
	char buf[65536];
	size_t n = 0;
	ssize_t got;
	while (n < sizeof(buf) - 1 && (got = read(fd, buf + n, sizeof(buf) - 1 - n)) > 0)
		n += (size_t)got;
	close(fd);
	buf[n] = '\0';
	char *save = NULL;
	int r = 0;
	for (char *w = strtok_r(buf, " \t\n", &save); w && r == 0;
	     w = strtok_r(NULL, " \t\n", &save)) {
		struct addr a;
		enum addr_err e;
		if (addr_parse(w, &a, &e) == 0)
			r = net_addrs_push(&l, &a);
	}
	if (r < 0) {
		net_addrs_free(&l);
		return r;
	}
	*ret = l;
	return 0;
}

int net_veip_drop(vzl_ctx *ctx, unsigned veid, const struct net_addrs *gone)
{
	struct net_addrs cur;
	int r = net_veip_read(ctx, veid, &cur);
	if (r < 0)
		return r;
	char p[4096];
	if ((r = veip_path(ctx, veid, p, sizeof(p))) == 0 && access(p, F_OK) == 0) {
		int fd = open_file(ctx, veid, O_WRONLY | O_TRUNC);
		if (fd < 0)
			r = fd;
		for (size_t i = 0; fd >= 0 && r == 0 && i < cur.n; i++) {
			char text[ADDR_TEXT_MAX + 1];
			if (net_addrs_has(gone, &cur.v[i]))
				continue;
			addr_format(&cur.v[i], 0, text, sizeof(text) - 1);
			strcat(text, " ");
			r = write_all(fd, text, strlen(text));
		}
		if (fd >= 0)
			close(fd);
	}
	net_addrs_free(&cur);
	return r;
}

int net_veip_remove(vzl_ctx *ctx, unsigned veid)
{
	char p[4096];
	int r = veip_path(ctx, veid, p, sizeof(p));
	if (r == 0 && unlink(p) < 0 && errno != ENOENT)
		r = -errno;
	return r;
}
