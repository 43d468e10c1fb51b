/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Shell-like OpenVZ config files (vz.conf, <VEID>.conf, ve-<name>.conf-sample), read with
 * vzctl's lexical rules (vzctl-behaviour.md §2.1). Every physical line is kept, so a later
 * writer can change one key in place and leave comments, order and unknown keys alone.
 */
#ifndef VZL_CONF_H
#define VZL_CONF_H

#include <stddef.h>

#include "vzlite.h"

struct param_def;

struct conf_line {
	char *raw;   /* the line as read, without its newline */
	char *key;   /* NULL for comments, blank lines and lines that did not parse */
	char *value; /* unquoted value; NULL when key is NULL */
	/*
	 * Why a line that is not blank or a comment gave no key ("'=' not found", "unmatched
	 * quotes", ...), as vzctl warns and skips it; NULL otherwise. Static storage.
	 */
	const char *problem;
	unsigned lineno;
	/* The table's row for `key` (or its alias), NULL for unknown keys; kept by
	 * conf_line_parse, through which every key is set. */
	const struct param_def *param;
};

struct conf {
	char *path;
	struct conf_line *lines;
	size_t n_lines;
	size_t cap_lines;
	int final_newline; /* the last line ended with '\n' (kept for byte-identical writes) */
	int changed;       /* lines were edited since reading (conf-write.c) */
	int bom;           /* the file began with a UTF-8 byte order mark, skipped on reading */
};

/* Read `path`. -ENOENT etc. with a message naming the file. */
int conf_read(const char *path, struct conf **ret, vzl_error **err);
/*
 * Parse a buffer (for tests and fuzzers); `name` is used in messages. A leading UTF-8 byte
 * order mark is skipped and noted in `bom` (vzctl would read it as part of the first key and
 * lose that key; a save writes the file without it).
 */
int conf_parse(const char *name, const char *buf, size_t len, struct conf **ret, vzl_error **err);
void conf_free(struct conf *c);

/* Room for `more` lines in c->lines. -ENOMEM. */
int conf_grow(struct conf *c, size_t more);
/* (Re)compute key, value and problem of a line from its raw text. -ENOMEM. */
int conf_line_parse(struct conf_line *l);

/*
 * The value of `key`, or NULL. For now the first occurrence wins, which is vzctl's rule for
 * string keys (paths, names); per-key duplicate rules belong to the parameter table.
 */
const char *conf_get(const struct conf *c, const char *key);

/*
 * vzctl's $VEID substitution for VE_ROOT/VE_PRIVATE (§1.4): strip trailing '/', replace the
 * first "$VEID" (else the first "${VEID}") by the decimal id. Returns a malloc()ed string,
 * or NULL on allocation failure or when the result exceeds 511 bytes (vzctl: unset).
 */
char *conf_expand_veid(const char *value, unsigned int veid);

#endif
