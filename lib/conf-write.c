/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Editing a config in memory and writing it back (vzctl-behaviour.md §2.7), plus the
 * libvirt-style "#UUID:" comment line (xml.md §0.2).
 *
 * Where vzlite differs from vzctl, on purpose:
 * - Values are escaped so that both vzctl's reader and /bin/sh read back exactly the value
 *   given: '\', '"', '`' and '$' get a backslash, except "$VEID"/"${VEID}" in VE_ROOT and
 *   VE_PRIVATE, which the shell scripts sourcing the file must still expand. vzctl writes
 *   values raw. Control characters (a newline would inject a second line) are refused.
 * - Every other line with the same key is removed when a key is rewritten; vzctl rewrites
 *   only the first line starting with "KEY=", so with a duplicate UB line (last one wins
 *   when read) its --save does not take effect.
 * - The first line whose key is KEY is replaced even when it is indented; vzctl would
 *   append a second line instead.
 * - The file is written to a new temporary file in the same directory with O_EXCL, synced,
 *   renamed over the config and the directory synced; its mode and owner are kept. vzctl
 *   writes "<file>.tmp" and gives the new file 0666 & ~umask.
 * - Temporary files that a save killed before its rename left behind are removed by the next
 *   save of the same file (for a VE config that save holds the VE's lock).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <uuid/uuid.h>

#include "conf.h"
#include "conf-write.h"
#include "error.h"
#include "macro.h"
#include "params.h"
#include "proc-pid.h"

static int keeps_veid(const char *key)
{
	const struct param_def *p = param_find(key);
	return p && p->type == PARAM_T_PATH;
}

int conf_render(const char *key, const char *value, char **ret)
{
	size_t n = strlen(value);
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)value[i] < 0x20 && value[i] != '\t') || value[i] == 0x7f)
			return -EINVAL;
	char *out = malloc(strlen(key) + 2 * n + 4);
	if (!out)
		return -ENOMEM;
	char *w = stpcpy(out, key);
	*w++ = '=';
	*w++ = '"';
	int veid = keeps_veid(key);
	for (const char *r = value; *r; r++) {
		if (*r == '$' && veid &&
		    (strncmp(r, "$VEID", 5) == 0 || strncmp(r, "${VEID}", 7) == 0)) {
			*w++ = *r;
			continue;
		}
		if (*r == '\\' || *r == '"' || *r == '`' || *r == '$')
			*w++ = '\\';
		*w++ = *r;
	}
	*w++ = '"';
	*w = '\0';
	*ret = out;
	return 0;
}

/* Does line l set `key` (or the other name of the same parameter: DCACHE/DCACHESIZE)? */
static int line_sets(const struct conf_line *l, const char *key)
{
	if (!l->key)
		return 0;
	if (strcmp(l->key, key) == 0)
		return 1;
	const struct param_def *p = param_find(key);
	return p && p == param_find(l->key);
}

static void drop_line(struct conf *c, size_t i)
{
	free(c->lines[i].raw);
	free(c->lines[i].key);
	free(c->lines[i].value);
	memmove(&c->lines[i], &c->lines[i + 1], (c->n_lines - i - 1) * sizeof(c->lines[0]));
	c->n_lines--;
}

/* Append a raw line; keeps the file's last line terminated. */
static int append_raw(struct conf *c, char *raw)
{
	if (conf_grow(c, 1) < 0)
		return -ENOMEM;
	unsigned lineno = c->n_lines ? c->lines[c->n_lines - 1].lineno + 1 : 1;
	struct conf_line *l = &c->lines[c->n_lines];
	*l = (struct conf_line){ .raw = raw, .lineno = lineno };
	if (conf_line_parse(l) < 0) {
		l->raw = NULL;
		return -ENOMEM;
	}
	c->n_lines++;
	c->final_newline = 1;
	return 0;
}

int conf_set(struct conf *c, const char *key, const char *value)
{
	char *raw;
	int r = conf_render(key, value, &raw);
	if (r < 0)
		return r;

	size_t first = c->n_lines;
	for (size_t i = 0; i < c->n_lines; i++)
		if (line_sets(&c->lines[i], key)) {
			first = i;
			break;
		}
	int changed = 0;
	for (size_t i = c->n_lines; i-- > first + 1;)
		if (line_sets(&c->lines[i], key)) {
			drop_line(c, i);
			changed = 1;
		}
	if (first == c->n_lines) {
		if (append_raw(c, raw) < 0) {
			free(raw);
			return -ENOMEM;
		}
		c->changed = 1;
		return 1;
	}
	struct conf_line *l = &c->lines[first];
	if (strcmp(l->raw, raw) == 0) {
		free(raw);
	} else {
		free(l->raw);
		l->raw = raw;
		if (conf_line_parse(l) < 0)
			return -ENOMEM;
		changed = 1;
	}
	c->changed |= changed;
	return changed;
}

int conf_unset(struct conf *c, const char *key)
{
	int changed = 0;
	for (size_t i = c->n_lines; i-- > 0;)
		if (line_sets(&c->lines[i], key)) {
			drop_line(c, i);
			changed = 1;
		}
	c->changed |= changed;
	return changed;
}

int conf_serialize(const struct conf *c, char **ret, size_t *ret_len)
{
	size_t len = 0;
	for (size_t i = 0; i < c->n_lines; i++)
		len += strlen(c->lines[i].raw) + 1;
	char *buf = malloc(len + 1);
	if (!buf)
		return -ENOMEM;
	char *w = buf;
	for (size_t i = 0; i < c->n_lines; i++) {
		w = stpcpy(w, c->lines[i].raw);
		if (i + 1 < c->n_lines || c->final_newline)
			*w++ = '\n';
	}
	*w = '\0';
	*ret = buf;
	*ret_len = (size_t)(w - buf);
	return 0;
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static int write_temp(int dfd, const char *base, const struct stat *old, const char *buf,
		      size_t len, char *tmp, size_t tmp_size)
{
	int fd = -1;
	for (int attempt = 0; attempt < 100 && fd < 0; attempt++) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		snprintf(tmp, tmp_size, ".%s.%ld.%lx", base, (long)getpid(),
			 (unsigned long)ts.tv_nsec ^ ((unsigned long)attempt << 20));
		fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd < 0 && errno != EEXIST)
			return -errno;
	}
	if (fd < 0)
		return -EEXIST;
	int r = write_all(fd, buf, len);
	mode_t mode = old ? old->st_mode & 07777 : 0644;
	if (r == 0 && fchmod(fd, mode) < 0)
		r = -errno;
	/* Keep the owner when we may (root); otherwise the file stays ours. */
	if (r == 0 && old && (old->st_uid != geteuid() || old->st_gid != getegid()) &&
	    fchown(fd, old->st_uid, old->st_gid) < 0 && errno != EPERM)
		r = -errno;
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r < 0)
		unlinkat(dfd, tmp, 0);
	return r;
}

/*
 * The pid in `name` when it is one of write_temp's names for `base` (".<base>.<pid>.<hex>"),
 * else 0.
 */
static pid_t temp_writer(const char *name, const char *base)
{
	size_t blen = strlen(base);
	if (name[0] != '.' || strncmp(name + 1, base, blen) != 0 || name[1 + blen] != '.')
		return 0;
	const char *p = name + blen + 2;
	size_t digits = strspn(p, "0123456789");
	if (digits == 0 || digits > 9 || p[digits] != '.')
		return 0;
	const char *hex = p + digits + 1;
	if (!*hex || hex[strspn(hex, "0123456789abcdef")])
		return 0;
	return (pid_t)atoi(p);
}

/*
 * Remove the temporary files of `base` that killed saves left in the directory: those whose
 * writer is gone, or whose pid belongs to a process started after the file was last written
 * (a reused pid). A live writer's file is never touched. Best effort: what cannot be
 * removed stays.
 */
static void remove_stale_temps(int dfd, const char *base)
{
	int fd = fcntl(dfd, F_DUPFD_CLOEXEC, 3);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		pid_t pid = temp_writer(e->d_name, base);
		struct stat st;
		if (pid <= 0 || pid == getpid() ||
		    fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
			continue;
		if (proc_pid_writer_gone(pid, &st.st_mtim))
			unlinkat(dfd, e->d_name, 0);
	}
	closedir(d);
}

int conf_write_file(const char *path, const char *buf, size_t len, vzl_error **err)
{
	/* As vzctl, a config that is a symlink is written where it points (§2.7 item 5). */
	_cleanup_free_ char *real = realpath(path, NULL);
	const char *target = real ? real : path;
	if (!real && errno != ENOENT)
		return error_set(err, errno, 0, VZL_STEP_CONFIG_WRITE, NULL,
				 "cannot resolve %s: %m", path);
	_cleanup_free_ char *d = strdup(target), *b = strdup(target);
	if (!d || !b)
		return error_set(err, ENOMEM, 0, VZL_STEP_CONFIG_WRITE, NULL, "out of memory");
	const char *dir = dirname(d), *base = basename(b);

	_cleanup_close_ int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return error_set(err, errno, 0, VZL_STEP_CONFIG_WRITE, NULL,
				 "cannot open the directory %s: %m", dir);
	struct stat st;
	int have_old = fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0;
	if (have_old && !S_ISREG(st.st_mode))
		return error_set(err, EINVAL, 0, VZL_STEP_CONFIG_WRITE, NULL,
				 "%s is not a regular file; not replacing it", target);

	remove_stale_temps(dfd, base);
	char tmp[NAME_MAX + 1];
	int r = write_temp(dfd, base, have_old ? &st : NULL, buf, len, tmp, sizeof(tmp));
	if (r < 0)
		return error_set(err, -r, 0, VZL_STEP_CONFIG_WRITE, NULL,
				 "cannot write a temporary file in %s: %s", dir, strerror(-r));
	if (renameat(dfd, tmp, dfd, base) < 0) {
		int e = errno;
		unlinkat(dfd, tmp, 0);
		return error_set(err, e, 0, VZL_STEP_CONFIG_WRITE, NULL,
				 "cannot rename the new config over %s: %s", target, strerror(e));
	}
	if (fsync(dfd) < 0)
		return error_set(err, errno, 0, VZL_STEP_CONFIG_WRITE, NULL,
				 "%s was replaced but its directory could not be synced: %m",
				 target);
	return 0;
}

int conf_write(struct conf *c, const char *path, vzl_error **err)
{
	_cleanup_free_ char *buf = NULL;
	size_t len;
	if (conf_serialize(c, &buf, &len) < 0)
		return error_set(err, ENOMEM, 0, VZL_STEP_CONFIG_WRITE, NULL, "out of memory");
	int r = conf_write_file(path, buf, len, err);
	if (r == 0)
		c->changed = 0;
	return r;
}

/* libvirt reads the first line whose first space-separated token is exactly "#UUID:". */
static ssize_t uuid_line(const struct conf *c)
{
	for (size_t i = 0; i < c->n_lines; i++)
		if (strncmp(c->lines[i].raw, "#UUID:", 6) == 0 &&
		    (c->lines[i].raw[6] == ' ' || c->lines[i].raw[6] == '\0'))
			return (ssize_t)i;
	return -1;
}

int conf_get_uuid(const struct conf *c, char ret[CONF_UUID_LEN + 1])
{
	ssize_t i = uuid_line(c);
	if (i < 0)
		return -ENOENT;
	const char *u = c->lines[i].raw + 6;
	u += *u == ' ';
	uuid_t bin;
	if (strlen(u) != CONF_UUID_LEN || uuid_parse(u, bin) < 0)
		return -EINVAL;
	uuid_unparse_lower(bin, ret);
	return 0;
}

int conf_set_uuid(struct conf *c, const char *uuid)
{
	uuid_t bin;
	char text[CONF_UUID_LEN + 1];
	if (!uuid) {
		uuid_generate_random(bin);
	} else if (strlen(uuid) != CONF_UUID_LEN || uuid_parse(uuid, bin) < 0 ||
		   uuid_is_null(bin)) {
		return -EINVAL;
	}
	uuid_unparse_lower(bin, text);
	char *raw;
	if (asprintf(&raw, "#UUID: %s", text) < 0)
		return -ENOMEM;
	ssize_t i = uuid_line(c);
	if (i >= 0) {
		if (strcmp(c->lines[i].raw, raw) == 0) {
			free(raw);
			return 0;
		}
		free(c->lines[i].raw);
		c->lines[i].raw = raw;
		c->changed = 1;
		return conf_line_parse(&c->lines[i]) < 0 ? -ENOMEM : 1;
	}
	/* The bytes libvirt appends: "\n#UUID: " UUID "\n" — an empty line, then the UUID. */
	char *empty = NULL;
	if ((c->final_newline || c->n_lines == 0) &&
	    (!(empty = strdup("")) || append_raw(c, empty) < 0)) {
		free(empty);
		free(raw);
		return -ENOMEM;
	}
	if (append_raw(c, raw) < 0) {
		free(raw);
		return -ENOMEM;
	}
	c->changed = 1;
	return 1;
}
