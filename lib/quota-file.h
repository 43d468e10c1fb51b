/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vzquota's quota file, /var/vzquota/quota.<ID> (vzctl-behaviour.md §4.3): read, verified,
 * and written back byte-compatible with the stock vzquota, under the flock vzquota takes.
 */
#ifndef VZL_QUOTA_FILE_H
#define VZL_QUOTA_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "vzlite.h"

/* Header flags (the file's `int flags`). Unknown bits are kept as read. */
#define QUOTA_FILE_ON      0x1 /* quota was on and not shut down cleanly since */
#define QUOTA_FILE_DIRTY   0x2 /* usage must be recomputed before the next on */
#define QUOTA_FILE_UGID_ON 0x4 /* second level (per uid/gid) is enabled */

/* The kernel's second-level config flags (ugid config `flags`). */
#define QUOTA_UGID_FIXED_SET 0x1 /* more uid/gid records than the limit: some dropped */
#define QUOTA_UGID_KERNEL_ON 0x2

/* A uid/gid record's flags. */
#define QUOTA_REC_LOADED 0x1
#define QUOTA_REC_DIRTY  0x2

enum quota_type { QUOTA_USER = 0, QUOTA_GROUP = 1 };

/* Limits and usage of one quota (the kernel's dq_stat). Space in bytes. */
struct quota_stat {
	uint64_t bhardlimit;
	uint64_t bsoftlimit;
	int64_t btime; /* when the space grace ends (0: not over the soft limit) */
	uint64_t bcurrent;
	uint32_t ihardlimit;
	uint32_t isoftlimit;
	int64_t itime;
	uint32_t icurrent;
};

/* Grace periods in seconds (the kernel's dq_info). */
struct quota_grace {
	int64_t bexpire;
	int64_t iexpire;
	uint32_t flags;
};

struct quota_ugid_record {
	uint32_t id;
	uint32_t type; /* enum quota_type */
	struct quota_stat stat;
	uint32_t flags; /* QUOTA_REC_* */
};

/* Everything the file holds, typed. */
struct quota_file {
	uint32_t flags; /* QUOTA_FILE_* */
	struct quota_stat stat;
	struct quota_grace grace;
	char *path;          /* the quota root; NULL when the file stores none */
	uint32_t ugid_limit; /* most uid+gid records the kernel keeps */
	uint32_t ugid_count;
	uint32_t ugid_flags;              /* QUOTA_UGID_* */
	struct quota_grace ugid_grace[2]; /* user, group */
	struct quota_ugid_record *records;
	size_t n_records;
};

void quota_file_clear(struct quota_file *q);

/*
 * The file's bytes, as vzquota lays them out for this machine's ABI. Records are written in
 * the order given. -EINVAL (a time that does not fit the ABI's long, a record type other than
 * user/group), -ENOMEM.
 */
int quota_file_encode(const struct quota_file *q, unsigned char **ret, size_t *ret_len);

/*
 * Parse and verify `len` bytes: magic, sizes, checksum, record types, no duplicate record.
 * On failure returns -EBADMSG and *ret_why (static text) says what is wrong; *ret is untouched.
 * An older vzquota format (V1/V2 magic) is -EPROTO. -ENOMEM.
 */
int quota_file_decode(const unsigned char *buf, size_t len, struct quota_file *ret,
		      const char **ret_why);

/* The record for (type, id), or NULL. */
struct quota_ugid_record *quota_file_find(const struct quota_file *q, uint32_t type, uint32_t id);

/* An open, flock()ed quota file. */
struct quota_handle;

enum quota_open_mode {
	QUOTA_OPEN_EXISTING, /* missing file: -ENOENT */
	QUOTA_OPEN_CREATE,   /* use the file if there is one, else create it (vzquota init) */
};

/*
 * Open <dir>/quota.<veid> read-write and take flock(LOCK_EX | LOCK_NB) on it, as vzquota
 * does, so a vzquota running at the same time exits 7 and we fail with -EWOULDBLOCK while it
 * runs. A file created here is empty until quota_handle_write(); closing the handle before
 * that removes it again. A symbolic link in place of the file is refused (-ELOOP).
 * Errors are VZL_STEP_QUOTA and name the file.
 */
int quota_handle_open(const char *dir, unsigned int veid, enum quota_open_mode mode,
		      struct quota_handle **ret, vzl_error **err);

/* The file's path. */
const char *quota_handle_path(const struct quota_handle *h);

/*
 * Read and verify the file. A corrupt file is -EBADMSG, an older format -EPROTO, an empty
 * one (created here) -ENODATA; the message says how to recover. Nothing is changed.
 */
int quota_handle_read(struct quota_handle *h, struct quota_file *ret, vzl_error **err);

/*
 * Replace the file atomically with `q`: a new file beside it (O_EXCL, O_NOFOLLOW, 0600),
 * locked before it takes the name so the lock never lapses, fsync, rename, fsync of the
 * directory. On failure the old file is as it was.
 */
int quota_handle_write(struct quota_handle *h, const struct quota_file *q, vzl_error **err);

/* Remove the file (vzquota drop); the handle stays valid for closing only. */
int quota_handle_unlink(struct quota_handle *h, vzl_error **err);

void quota_handle_close(struct quota_handle *h);

/* qsort order of quota_ugid_record: users before groups, then by id (the file's order). */
int quota_record_cmp(const void *a, const void *b);

#endif
