/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The failcnt of each beancounter resource as `vzlite ubc` last saw it, kept per VE in
 * <LOCKDIR>/<VEID>.failcnt ("<resource> <failcnt>" lines), so that the next look can say
 * which resources refused something since. The file is replaced whole (a temporary file
 * beside it, then rename) and never opened through a symbolic link: the lock directory is
 * the host's, but a link there must not make the host read or write elsewhere.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctx.h"
#include "error.h"
#include "fsutil.h"
#include "macro.h"
#include "proc-vz.h"

/* The last counts of `name` in the open directory: 0 read, -ENOENT none (or not a regular
 * file, e.g. a planted link: ignored, and replaced by the rename below) */
static int read_seen(int dfd, const char *name, uint64_t prev[VZL_UB_COUNT], uint32_t *present)
{
	char buf[4096];
	_cleanup_close_ int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	struct stat st;
	if (fd < 0)
		return errno == ELOOP ? -ENOENT : -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return -ENOENT;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	*present = 0;
	for (char *save = NULL, *l = strtok_r(buf, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save)) {
		char *sp = strchr(l, ' '), *end;
		if (!sp)
			continue;
		int ub = proc_vz_ub_id(l, (size_t)(sp - l));
		errno = 0;
		unsigned long long v = strtoull(sp + 1, &end, 10);
		if (ub < 0 || *end || errno || end == sp + 1)
			continue;
		prev[ub] = v;
		*present |= 1u << ub;
	}
	return 0;
}

static int write_seen(int dfd, const char *name, const struct vzl_ub_value now[VZL_UB_COUNT],
		      uint32_t present)
{
	char tmp[96], buf[2048];
	size_t len = 0;
	for (unsigned ub = 0; ub < VZL_UB_COUNT; ub++)
		if ((present & (1u << ub)) && vzl_ub_name(ub))
			len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s %" PRIu64 "\n",
						vzl_ub_name(ub), now[ub].failcnt);
	snprintf(tmp, sizeof(tmp), ".%s.%d", name, (int)getpid());
	unlinkat(dfd, tmp, 0); /* a leftover of a dead writer with our pid */
	int fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	int r = write(fd, buf, len) == (ssize_t)len ? 0 : -EIO;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && renameat(dfd, tmp, dfd, name) < 0)
		r = -errno;
	if (r < 0)
		unlinkat(dfd, tmp, 0);
	return r;
}

VZL_API int vzl_ve_ub_failcnt_swap(vzl_ctx *ctx, unsigned int veid,
				   const struct vzl_ub_value now[VZL_UB_COUNT], uint32_t present,
				   uint64_t prev[VZL_UB_COUNT], uint32_t *prev_present,
				   vzl_error **err)
{
	const char *dir = ctx->paths[VZL_PATH_LOCK_DIR];
	char name[32];
	*prev_present = 0;
	memset(prev, 0, sizeof(*prev) * VZL_UB_COUNT);
	if (!dir)
		return error_set(err, EINVAL, veid, VZL_STEP_LOCK, "LOCKDIR",
				 "LOCKDIR is not set; set it in vz.conf");
	int r = fs_mkdir_parents(dir, 0755);
	if (r < 0 && r != -EEXIST)
		return error_set(err, -r, veid, VZL_STEP_LOCK, "LOCKDIR",
				 "cannot create the lock directory %s: %s", dir, strerror(-r));
	_cleanup_close_ int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return error_set(err, errno, veid, VZL_STEP_LOCK, "LOCKDIR",
				 "cannot open the lock directory %s: %m", dir);
	snprintf(name, sizeof(name), "%u.failcnt", veid);
	r = read_seen(dfd, name, prev, prev_present);
	if (r < 0 && r != -ENOENT)
		return error_set(err, -r, veid, VZL_STEP_LOCK, NULL,
				 "cannot read the last failcnt counts %s/%s: %s; remove the file",
				 dir, name, strerror(-r));
	r = write_seen(dfd, name, now, present);
	if (r < 0)
		return error_set(err, -r, veid, VZL_STEP_LOCK, NULL,
				 "cannot record the failcnt counts in %s/%s: %s", dir, name,
				 strerror(-r));
	return 0;
}
