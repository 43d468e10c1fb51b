/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading OpenVZ config files with vzctl's lexical rules (vzctl-behaviour.md §2.1). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "conf.h"
#include "error.h"
#include "macro.h"
#include "params.h"

/* vzctl skips names of 512 bytes or more (src/lib/config.c). */
#define CONF_NAME_MAX 512
/* Configs are small; refuse anything absurd before reading it into memory. */
#define CONF_FILE_MAX (16u << 20)

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/*
 * Split one logical line into key and value following §2.1: backslashes are removed over
 * the whole line first, then blanks and comments are recognised; a quoted value runs to
 * the last '"' on the line. Returns 0 with *key NULL for lines that are not assignments.
 */
static int split_line(const char *raw, char **ret_key, char **ret_value, const char **ret_problem)
{
	_cleanup_free_ char *line = malloc(strlen(raw) + 1);
	if (!line)
		return -ENOMEM;

	char *w = line;
	for (const char *r = raw; *r; r++) {
		if (*r == '\\') {
			r++;
			if (!*r)
				break;
		}
		*w++ = *r;
	}
	*w = '\0';

	char *p = line;
	while (is_blank(*p))
		p++;
	size_t n = strlen(p);
	while (n > 0 && is_blank(p[n - 1]))
		p[--n] = '\0';
	*ret_key = *ret_value = NULL;
	*ret_problem = NULL;
	if (*p == '\0' || *p == '#')
		return 0;

	char *eq = strchr(p, '=');
	if (!eq) {
		*ret_problem = "'=' not found";
		return 0;
	}
	if (eq == p) {
		*ret_problem = "the name before '=' is empty";
		return 0;
	}
	if (eq - p >= CONF_NAME_MAX) {
		*ret_problem = "the name before '=' is 512 bytes or longer";
		return 0;
	}

	char *v = eq + 1;
	if (*v == '"') {
		char *last = strrchr(v + 1, '"');
		if (!last) {
			*ret_problem = "unmatched quotes"; /* vzctl warns and skips the line */
			return 0;
		}
		v++;
		*last = '\0';
	}
	char *key = strndup(p, eq - p);
	char *value = strdup(v);
	if (!key || !value) {
		free(key);
		free(value);
		return -ENOMEM;
	}
	*ret_key = key;
	*ret_value = value;
	return 0;
}

int conf_grow(struct conf *c, size_t more)
{
	if (c->n_lines + more <= c->cap_lines)
		return 0;
	size_t ncap = c->cap_lines ? c->cap_lines * 2 : 64;
	while (ncap < c->n_lines + more)
		ncap *= 2;
	struct conf_line *n = reallocarray(c->lines, ncap, sizeof(*n));
	if (!n)
		return -ENOMEM;
	c->lines = n;
	c->cap_lines = ncap;
	return 0;
}

int conf_line_parse(struct conf_line *l)
{
	free(l->key);
	free(l->value);
	int r = split_line(l->raw, &l->key, &l->value, &l->problem);
	/* once per line: the value lookups ask it for every parameter (conf-layer.c) */
	l->param = r >= 0 && l->key ? param_find(l->key) : NULL;
	return r;
}

void conf_free(struct conf *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_lines; i++) {
		free(c->lines[i].raw);
		free(c->lines[i].key);
		free(c->lines[i].value);
	}
	free(c->lines);
	free(c->path);
	free(c);
}

int conf_parse(const char *name, const char *buf, size_t len, struct conf **ret, vzl_error **err)
{
	struct conf *c = calloc(1, sizeof(*c));
	if (!c || !(c->path = strdup(name)))
		goto oom;

	/* Editors on other systems put one there; it is not part of the first key. */
	size_t pos = 0;
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
		c->bom = 1;
		pos = 3;
	}
	unsigned lineno = 0;
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - buf) : len;
		lineno++;
		if (memchr(buf + pos, '\0', end - pos)) {
			conf_free(c);
			return error_set(
				err, EINVAL, 0, VZL_STEP_CONFIG_READ, NULL,
				"%s:%u: the line contains a NUL byte; a config file must be "
				"text",
				name, lineno);
		}
		if (conf_grow(c, 1) < 0)
			goto oom;
		struct conf_line *l = &c->lines[c->n_lines];
		*l = (struct conf_line){ .lineno = lineno };
		l->raw = strndup(buf + pos, end - pos);
		if (!l->raw)
			goto oom;
		c->n_lines++;
		if (conf_line_parse(l) < 0)
			goto oom;
		c->final_newline = nl != NULL;
		pos = nl ? end + 1 : len;
	}
	*ret = c;
	return 0;
oom:
	conf_free(c);
	return error_set(err, ENOMEM, 0, VZL_STEP_CONFIG_READ, NULL, "out of memory reading %s",
			 name);
}

int conf_read(const char *path, struct conf **ret, vzl_error **err)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return error_set(err, errno, 0, VZL_STEP_CONFIG_READ, NULL,
				 "cannot open %s: %m; check the path or create the file", path);
	struct stat st;
	if (fstat(fd, &st) < 0)
		return error_set(err, errno, 0, VZL_STEP_CONFIG_READ, NULL, "cannot stat %s: %m",
				 path);
	if (!S_ISREG(st.st_mode))
		return error_set(err, EINVAL, 0, VZL_STEP_CONFIG_READ, NULL,
				 "%s is not a regular file", path);
	if ((unsigned long long)st.st_size > CONF_FILE_MAX)
		return error_set(err, EFBIG, 0, VZL_STEP_CONFIG_READ, NULL,
				 "%s is %lld bytes; config files over %u bytes are refused", path,
				 (long long)st.st_size, CONF_FILE_MAX);

	size_t len = 0, cap = (size_t)st.st_size + 1;
	_cleanup_free_ char *buf = malloc(cap);
	if (!buf)
		return error_set(err, ENOMEM, 0, VZL_STEP_CONFIG_READ, NULL,
				 "out of memory reading %s", path);
	for (;;) {
		if (len == cap) {
			if (cap > CONF_FILE_MAX)
				return error_set(err, EFBIG, 0, VZL_STEP_CONFIG_READ, NULL,
						 "%s grew past %u bytes while being read", path,
						 CONF_FILE_MAX);
			char *nb = realloc(buf, cap * 2);
			if (!nb)
				return error_set(err, ENOMEM, 0, VZL_STEP_CONFIG_READ, NULL,
						 "out of memory reading %s", path);
			buf = nb;
			cap *= 2;
		}
		ssize_t n = read(fd, buf + len, cap - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return error_set(err, errno, 0, VZL_STEP_CONFIG_READ, NULL,
					 "cannot read %s: %m", path);
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	return conf_parse(path, buf, len, ret, err);
}

const char *conf_get(const struct conf *c, const char *key)
{
	for (size_t i = 0; c && i < c->n_lines; i++)
		if (c->lines[i].key && strcmp(c->lines[i].key, key) == 0)
			return c->lines[i].value;
	return NULL;
}

char *conf_expand_veid(const char *value, unsigned int veid)
{
	size_t n = strlen(value);
	while (n > 0 && value[n - 1] == '/')
		n--;
	_cleanup_free_ char *v = strndup(value, n);
	if (!v)
		return NULL;

	const char *pat = "$VEID";
	char *at = strstr(v, pat);
	if (!at) {
		pat = "${VEID}";
		at = strstr(v, pat);
	}
	char *out = NULL;
	if (!at)
		out = TAKE_PTR(v);
	else if (asprintf(&out, "%.*s%u%s", (int)(at - v), v, veid, at + strlen(pat)) < 0)
		return NULL;
	if (strlen(out) > 511) {
		free(out);
		return NULL;
	}
	return out;
}
