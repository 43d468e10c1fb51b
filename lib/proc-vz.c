/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading and parsing the OpenVZ /proc files vzlist reads (proc-vz.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctx.h"
#include "macro.h"
#include "proc-vz.h"

int proc_vz_read(const vzl_ctx *ctx, const char *rel, char **ret, size_t *ret_len)
{
	_cleanup_free_ char *path = NULL;
	if (asprintf(&path, "%s/%s", ctx->paths[VZL_PATH_PROC], rel) < 0)
		return -ENOMEM;
	_cleanup_close_ int fd = -1;
	do /* a FIFO (recorded files fed by a test or a tool) blocks in open */
		fd = open(path, O_RDONLY | O_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return -errno;
	size_t cap = 65536, len = 0;
	_cleanup_free_ char *buf = malloc(cap);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		if (cap - len < 4096) {
			char *n = realloc(buf, cap * 2);
			if (!n)
				return -ENOMEM;
			buf = n;
			cap *= 2;
		}
		ssize_t r = read(fd, buf + len, cap - len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			break;
		len += (size_t)r;
	}
	buf[len] = 0;
	*ret = TAKE_PTR(buf);
	if (ret_len)
		*ret_len = len;
	return 0;
}

static const char *skip_blanks(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* A decimal number after blanks; NULL when there is none or it overflows. */
static const char *parse_u64(const char *p, uint64_t *ret)
{
	p = skip_blanks(p);
	if (*p < '0' || *p > '9')
		return NULL;
	uint64_t v = 0;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (UINT64_MAX - 9) / 10)
			return NULL;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	*ret = v;
	return p;
}

static const char *parse_uint(const char *p, unsigned int *ret)
{
	uint64_t v;
	p = parse_u64(p, &v);
	if (!p || v > UINT32_MAX)
		return NULL;
	*ret = (unsigned int)v;
	return p;
}

static const char *line_end(const char *p)
{
	const char *e = strchr(p, '\n');
	return e ? e : p + strlen(p);
}

int proc_vz_parse_veinfo(const char *buf, proc_veinfo_fn fn, void *userdata)
{
	for (const char *p = buf; *p;) {
		const char *end = line_end(p), *q;
		unsigned int veid, class_id, tasks;
		if ((q = parse_uint(p, &veid)) && (q = parse_uint(q, &class_id)) &&
		    (q = parse_uint(q, &tasks)) && q <= end && veid != 0) {
			q = skip_blanks(q);
			int r = fn(userdata, veid, tasks, q, (size_t)(end - q));
			if (r < 0)
				return r;
		}
		p = *end ? end + 1 : end;
	}
	return 0;
}

/* kernel/bc/beancounter.c: ub_rnames, by UB id; NULL for the dummies */
static const char *const ub_names[VZL_UB_COUNT] = {
	"kmemsize",     "lockedpages", "privvmpages",  "shmpages",     NULL,
	"numproc",      "physpages",   "vmguarpages",  "oomguarpages", "numtcpsock",
	"numflock",     "numpty",      "numsiginfo",   "tcpsndbuf",    "tcprcvbuf",
	"othersockbuf", "dgramrcvbuf", "numothersock", "dcachesize",   "numfile",
	NULL,           NULL,          NULL,           "numiptent",    "swappages",
};

VZL_API const char *vzl_ub_name(unsigned int ub)
{
	return ub < VZL_UB_COUNT ? ub_names[ub] : NULL;
}

int proc_vz_ub_id(const char *name, size_t len)
{
	for (int i = 0; i < VZL_UB_COUNT; i++)
		if (ub_names[i] && strlen(ub_names[i]) == len && !memcmp(ub_names[i], name, len))
			return i;
	return -1;
}

int proc_vz_parse_ub(const char *buf, proc_ub_fn fn, void *userdata)
{
	unsigned int id = 0;
	int have_id = 0;
	for (const char *p = buf; *p;) {
		const char *end = line_end(p), *q = skip_blanks(p);
		const char *colon = memchr(q, ':', (size_t)(end - q));
		if (colon) { /* "<id>:" opens a beancounter; "Version: 2.5" is no number */
			unsigned int v;
			const char *n = parse_uint(q, &v);
			if (n != colon)
				goto next;
			id = v;
			have_id = 1;
			q = colon + 1;
		}
		q = skip_blanks(q);
		const char *name = q;
		while (q < end && *q != ' ' && *q != '\t')
			q++;
		uint64_t v[5];
		int ub = proc_vz_ub_id(name, (size_t)(q - name));
		for (int i = 0; i < 5 && q; i++)
			q = parse_u64(q, &v[i]);
		if (q && q <= end && ub >= 0 && have_id) {
			int r = fn(userdata, id, (unsigned int)ub, v);
			if (r < 0)
				return r;
		}
next:
		p = *end ? end + 1 : end;
	}
	return 0;
}

int proc_vz_read_ub(const vzl_ctx *ctx, char **ret, const char **ret_path)
{
	int r = proc_vz_read(ctx, "bc/resources", ret, NULL);
	if (r == -ENOENT) {
		r = proc_vz_read(ctx, "user_beancounters", ret, NULL);
		if (r < 0)
			*ret_path = "user_beancounters";
	} else if (r < 0) {
		*ret_path = "bc/resources";
	}
	return r;
}

int proc_vz_parse_vzquota(const char *buf, proc_quota_fn fn, void *userdata)
{
	unsigned int id = 0;
	int have = 0, r;
	uint64_t space[3] = { 0 }, inodes[3] = { 0 };
	for (const char *p = buf; *p;) {
		const char *end = line_end(p), *q = skip_blanks(p);
		const char *colon = memchr(q, ':', (size_t)(end - q));
		unsigned int v;
		if (colon) { /* "<id>: <path>" opens a quota; the header "qid: path" does not */
			if (parse_uint(q, &v) == colon) {
				if (have && (r = fn(userdata, id, space, inodes)) < 0)
					return r;
				id = v;
				have = 1;
				memset(space, 0, sizeof(space));
				memset(inodes, 0, sizeof(inodes));
			}
		} else if (have) {
			const char *w = q;
			while (q < end && *q != ' ' && *q != '\t')
				q++;
			size_t wl = (size_t)(q - w);
			uint64_t n[3];
			for (int i = 0; i < 3 && q; i++)
				q = parse_u64(q, &n[i]);
			if (q && q <= end) {
				if (wl == 9 && !memcmp(w, "1k-blocks", 9))
					memcpy(space, n, sizeof(n));
				else if (wl == 6 && !memcmp(w, "inodes", 6))
					memcpy(inodes, n, sizeof(n));
			}
		}
		p = *end ? end + 1 : end;
	}
	return have ? fn(userdata, id, space, inodes) : 0;
}

int proc_vz_parse_fairsched(const char *buf, proc_fairsched_fn fn, void *userdata)
{
	for (const char *p = buf; *p;) {
		const char *end = line_end(p), *q = p;
		uint64_t v[5];
		for (int i = 0; i < 5 && q; i++)
			q = parse_u64(q, &v[i]);
		/* a node's own line has veid 0 and its id (kernel-abi.md §13.5) */
		if (q && q <= end && v[0] == 0 && v[1] != 0 && v[1] <= UINT32_MAX) {
			int r = fn(userdata, (unsigned int)v[1], (unsigned long)v[3],
				   (unsigned long)v[4]);
			if (r < 0)
				return r;
		}
		p = *end ? end + 1 : end;
	}
	return 0;
}

int proc_vz_parse_vestat(const char *buf, proc_vestat_fn fn, void *userdata)
{
	for (const char *p = buf; *p;) {
		const char *end = line_end(p), *q = p;
		unsigned int id;
		uint64_t v[4];
		/* "Version: 2.2" and the column names are no numbers */
		q = parse_uint(q, &id);
		for (int i = 0; i < 4 && q; i++)
			q = parse_u64(q, &v[i]);
		if (q && q <= end && id != 0) {
			int r = fn(userdata, id, v);
			if (r < 0)
				return r;
		}
		p = *end ? end + 1 : end;
	}
	return 0;
}
