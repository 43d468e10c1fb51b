/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Extended attributes and POSIX ACLs of an archive entry, collected and applied. */
#ifndef VZL_EXTRACT_ATTR_H
#define VZL_EXTRACT_ATTR_H

#include <stddef.h>
#include <stdint.h>

struct archive_entry;

/*
 * A packed list of (name, value) pairs to set: each is the name with its NUL, then a
 * uint32_t value length (native order), then the value. POSIX ACLs are turned into the
 * kernel's system.posix_acl_access / system.posix_acl_default binary values and come last,
 * after the mode is set (setting an access ACL also sets the group bits of the mode).
 */
struct xattr_list {
	char *buf;
	size_t len, cap;
	unsigned int n;
};

/*
 * Fill `l` (emptied first) with the entry's xattrs and ACLs. NFSv4 ACLs, which Linux cannot
 * store, are counted in *acls_skipped. Returns 0, -ENOMEM, or -EINVAL for an ACL the kernel
 * could not take (too many entries, a bad tag).
 */
int xattr_list_collect(struct xattr_list *l, struct archive_entry *ae, uint64_t *acls_skipped);

void xattr_list_free(struct xattr_list *l);

/*
 * Set every attribute of the packed list buf[0..len) on `fd`, or, when fd < 0, on `path`
 * without following a final symbolic link (lsetxattr). Attributes the filesystem does not
 * support (EOPNOTSUPP) are counted in *skipped and do not fail. Returns the number set or
 * -errno, with *ret_failed naming the attribute that failed.
 */
int xattr_list_apply(const char *buf, size_t len, int fd, const char *path, uint64_t *skipped,
		     const char **ret_failed);

#endif
