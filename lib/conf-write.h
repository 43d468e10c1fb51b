/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Editing a struct conf in place and writing it atomically (conf-write.c). */
#ifndef VZL_CONF_WRITE_H
#define VZL_CONF_WRITE_H

#include <stddef.h>

#include "conf.h"

/* Length of a UUID in its 36-character text form. */
#define CONF_UUID_LEN 36

/*
 * The line `KEY="VALUE"` with VALUE escaped for vzctl's reader and /bin/sh alike (see
 * conf-write.c). -EINVAL when the value contains a control character other than a tab.
 */
int conf_render(const char *key, const char *value, char **ret);

/*
 * Set `key`: the first line setting it (or its alias) is replaced, every later one removed;
 * without one, the line is appended at the end. Returns 1 when the text changed, 0 when it was
 * already so, -EINVAL (control character in the value), -ENOMEM.
 */
int conf_set(struct conf *c, const char *key, const char *value);
/* Remove every line setting `key`. Returns 1 when something was removed, else 0. */
int conf_unset(struct conf *c, const char *key);

/* The file's bytes as they would be written. malloc()ed, NUL-terminated. */
int conf_serialize(const struct conf *c, char **ret, size_t *ret_len);
/* Replace `path` atomically with `buf` (temporary file, fsync, rename, fsync of the dir). */
int conf_write_file(const char *path, const char *buf, size_t len, vzl_error **err);
/* conf_serialize + conf_write_file; clears c->changed. */
int conf_write(struct conf *c, const char *path, vzl_error **err);

/* The UUID of the "#UUID: ..." line, lower case. -ENOENT: none; -EINVAL: not a UUID. */
int conf_get_uuid(const struct conf *c, char ret[CONF_UUID_LEN + 1]);
/*
 * Write `uuid` (NULL: a new random one from libuuid) into the "#UUID:" line, appending the
 * line as libvirt does (an empty line, then "#UUID: <uuid>") when there is none. Returns 1
 * when changed, 0 when already so, -EINVAL for a malformed or nil UUID, -ENOMEM.
 */
int conf_set_uuid(struct conf *c, const char *uuid);

#endif
