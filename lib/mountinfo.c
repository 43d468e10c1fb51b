/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading the mount table of this process's mount namespace (mountinfo.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "mountinfo.h"

/* Decode mountinfo's octal escapes in place (fs/seq_file.c, mangle_path: " \t\n\\"). */
static void unescape(char *s)
{
	char *w = s;
	for (char *r = s; *r;) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' &&
		    r[3] >= '0' && r[3] <= '7') {
			*w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
			r += 4;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
}

/* The fifth field of a mountinfo line: "ID PARENT MAJ:MIN ROOT MOUNT_POINT OPTIONS ...". */
static char *mount_point_field(char *line)
{
	char *save = NULL, *f = strtok_r(line, " ", &save);
	for (int i = 1; f && i < 5; i++)
		f = strtok_r(NULL, " ", &save);
	return f;
}

static int is_at_or_below(const char *dir, const char *mp)
{
	size_t n = strlen(dir);
	if (strcmp(dir, "/") == 0)
		return 1;
	return strncmp(mp, dir, n) == 0 && (mp[n] == '\0' || mp[n] == '/');
}

int mounts_below(const char *dir, int (*fn)(const char *mount_point, void *userdata),
		 void *userdata)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return -errno;
	char *line = NULL;
	size_t cap = 0;
	int r = 0;
	errno = 0;
	while (r == 0 && getline(&line, &cap, f) > 0) {
		line[strcspn(line, "\n")] = '\0';
		char *mp = mount_point_field(line);
		if (!mp)
			continue;
		unescape(mp);
		if (is_at_or_below(dir, mp))
			r = fn(mp, userdata);
	}
	if (r == 0 && ferror(f))
		r = errno ? -errno : -EIO;
	free(line);
	fclose(f);
	return r;
}

static int take_first(const char *mount_point, void *userdata)
{
	char **ret = userdata;
	*ret = strdup(mount_point);
	return *ret ? 1 : -ENOMEM;
}

int mount_first_below(const char *path, char **ret)
{
	*ret = NULL;
	_cleanup_free_ char *real = realpath(path, NULL);
	if (!real)
		return errno == ENOENT ? 0 : -errno;
	return mounts_below(real, take_first, ret);
}
