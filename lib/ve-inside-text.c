/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Text edits of the VE's shell-style config files, as vzctl's dist `functions` make them. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ve-inside.h"

static bool sets(const char *line, size_t len, const char *name)
{
	size_t n = strlen(name);
	return len > n && strncmp(line, name, n) == 0 && line[n] == '=';
}

/* `text` with every NAME= line replaced by NAME="VALUE" (value NULL: removed); a value that
 * no line had is appended. */
static char *edit(const char *text, const char *name, const char *value)
{
	char *out = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&out, &size);
	bool done = false;
	if (!f)
		return NULL;
	for (const char *p = text ? text : ""; *p;) {
		size_t len = strcspn(p, "\n");
		if (!sets(p, len, name))
			fprintf(f, "%.*s\n", (int)len, p);
		else if (value) {
			fprintf(f, "%s=\"%s\"\n", name, value);
			done = true;
		}
		p += len + (p[len] == '\n');
	}
	if (value && !done)
		fprintf(f, "%s=\"%s\"\n", name, value);
	if (fclose(f) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

char *inside_put_param(const char *text, const char *name, const char *value)
{
	return edit(text, name, value);
}

char *inside_del_param(const char *text, const char *name)
{
	return edit(text, name, NULL);
}

void inside_netmask(int prefix, char *buf, size_t size)
{
	unsigned long m = prefix <= 0 ? 0 : (0xffffffffUL << (32 - prefix)) & 0xffffffffUL;
	snprintf(buf, size, "%lu.%lu.%lu.%lu", m >> 24, (m >> 16) & 255, (m >> 8) & 255, m & 255);
}
