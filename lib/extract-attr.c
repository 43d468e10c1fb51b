/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * xattrs and POSIX.1e ACLs of archive entries. libarchive hands ACLs over as parsed entries
 * (from SCHILY.acl.* or LIBARCHIVE.xattr records); the kernel takes them as the binary
 * value of system.posix_acl_access / system.posix_acl_default (include/linux/posix_acl_xattr.h:
 * a little-endian header { u32 version = 2 } followed by { u16 tag, u16 perm, u32 id }
 * entries sorted by tag, then id). Writing that value directly needs no libacl and no
 * path: it works on the fd we already hold.
 */
#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>

#include <archive.h>
#include <archive_entry.h>

#include "extract-attr.h"

#define POSIX_ACL_XATTR_VERSION 0x0002
#define ACL_UNDEFINED_ID        0xffffffffu
/* Kernel tags (include/linux/posix_acl.h). */
#define K_ACL_USER_OBJ  0x01
#define K_ACL_USER      0x02
#define K_ACL_GROUP_OBJ 0x04
#define K_ACL_GROUP     0x08
#define K_ACL_MASK      0x10
#define K_ACL_OTHER     0x20
/* More than any filesystem stores (ext4 fits about 500 in a block). */
#define ACL_MAX_ENTRIES 1024

struct kacl {
	uint16_t tag, perm;
	uint32_t id;
};

static int append(struct xattr_list *l, const char *name, const void *value, uint32_t size)
{
	size_t nlen = strlen(name) + 1;
	size_t need = l->len + nlen + sizeof(uint32_t) + size;
	if (need > l->cap) {
		size_t cap = need * 2 > 256 ? need * 2 : 256;
		char *p = realloc(l->buf, cap);
		if (!p)
			return -ENOMEM;
		l->buf = p;
		l->cap = cap;
	}
	memcpy(l->buf + l->len, name, nlen);
	l->len += nlen;
	memcpy(l->buf + l->len, &size, sizeof(size));
	l->len += sizeof(size);
	if (size)
		memcpy(l->buf + l->len, value, size);
	l->len += size;
	l->n++;
	return 0;
}

static int cmp_kacl(const void *a, const void *b)
{
	const struct kacl *x = a, *y = b;
	if (x->tag != y->tag)
		return x->tag < y->tag ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static bool has_name(const struct xattr_list *l, const char *name)
{
	size_t off = 0;
	while (off < l->len) {
		const char *n = l->buf + off;
		uint32_t size;
		off += strlen(n) + 1;
		memcpy(&size, l->buf + off, sizeof(size));
		off += sizeof(size) + size;
		if (strcmp(n, name) == 0)
			return true;
	}
	return false;
}

/*
 * The id of a named ACL entry. bsdtar and star write "user:name:rwx:1000" and libarchive
 * gives 1000; GNU tar writes only "user:name:rwx" (and the numeric value as
 * SCHILY.xattr.system.posix_acl_*, which is preferred when present). A numeric name is the
 * id; another name is looked up on the host, as GNU tar and libarchive do. Returns false
 * for a name nobody has.
 */
static bool acl_id(int tag, int qual, const char *qname, uint32_t *ret)
{
	if (qual >= 0) {
		*ret = (uint32_t)qual;
		return true;
	}
	if (!qname || !*qname)
		return false;
	char *end;
	errno = 0;
	unsigned long v = strtoul(qname, &end, 10);
	if (!*end && errno == 0 && v < ACL_UNDEFINED_ID) {
		*ret = (uint32_t)v;
		return true;
	}
	char buf[4096];
	if (tag == ARCHIVE_ENTRY_ACL_USER) {
		struct passwd pw, *res = NULL;
		if (getpwnam_r(qname, &pw, buf, sizeof(buf), &res) != 0 || !res)
			return false;
		*ret = res->pw_uid;
	} else {
		struct group gr, *res = NULL;
		if (getgrnam_r(qname, &gr, buf, sizeof(buf), &res) != 0 || !res)
			return false;
		*ret = res->gr_gid;
	}
	return true;
}

static int add_acl(struct xattr_list *l, struct archive_entry *ae, int type, const char *name,
		   uint64_t *acls_skipped)
{
	struct kacl *e = NULL;
	size_t n = 0, cap = 0;
	int atype, perm, tag, qual;
	const char *qname;
	int r = 0;

	if (archive_entry_acl_reset(ae, type) <= 0)
		return 0;
	while (archive_entry_acl_next(ae, type, &atype, &perm, &tag, &qual, &qname) == ARCHIVE_OK) {
		if (n == ACL_MAX_ENTRIES) {
			r = -EINVAL;
			goto out;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			struct kacl *p = realloc(e, cap * sizeof(*e));
			if (!p) {
				r = -ENOMEM;
				goto out;
			}
			e = p;
		}
		uint16_t ktag;
		uint32_t id = ACL_UNDEFINED_ID;
		switch (tag) {
		case ARCHIVE_ENTRY_ACL_USER_OBJ:
			ktag = K_ACL_USER_OBJ;
			break;
		case ARCHIVE_ENTRY_ACL_USER:
			ktag = K_ACL_USER;
			break;
		case ARCHIVE_ENTRY_ACL_GROUP_OBJ:
			ktag = K_ACL_GROUP_OBJ;
			break;
		case ARCHIVE_ENTRY_ACL_GROUP:
			ktag = K_ACL_GROUP;
			break;
		case ARCHIVE_ENTRY_ACL_MASK:
			ktag = K_ACL_MASK;
			break;
		case ARCHIVE_ENTRY_ACL_OTHER:
			ktag = K_ACL_OTHER;
			break;
		default:
			r = -EINVAL;
			goto out;
		}
		if ((ktag == K_ACL_USER || ktag == K_ACL_GROUP) && !acl_id(tag, qual, qname, &id)) {
			/* Like GNU tar, which warns: the ACL is not set. */
			(*acls_skipped)++;
			goto out;
		}
		/* libarchive's READ/WRITE/EXECUTE bits are the kernel's 4/2/1. */
		e[n++] = (struct kacl){ .tag = ktag, .perm = (uint16_t)(perm & 7), .id = id };
	}
	if (n == 0)
		goto out;
	qsort(e, n, sizeof(*e), cmp_kacl);

	size_t size = 4 + n * 8;
	unsigned char *v = malloc(size);
	if (!v) {
		r = -ENOMEM;
		goto out;
	}
	uint32_t ver = htole32(POSIX_ACL_XATTR_VERSION);
	memcpy(v, &ver, 4);
	for (size_t i = 0; i < n; i++) {
		uint16_t t = htole16(e[i].tag), p = htole16(e[i].perm);
		uint32_t id = htole32(e[i].id);
		memcpy(v + 4 + i * 8, &t, 2);
		memcpy(v + 6 + i * 8, &p, 2);
		memcpy(v + 8 + i * 8, &id, 4);
	}
	r = append(l, name, v, (uint32_t)size);
	free(v);
out:
	free(e);
	return r;
}

int xattr_list_collect(struct xattr_list *l, struct archive_entry *ae, uint64_t *acls_skipped)
{
	const char *name;
	const void *value;
	size_t size;
	int r;

	l->len = 0;
	l->n = 0;
	if (archive_entry_xattr_reset(ae) > 0) {
		while (archive_entry_xattr_next(ae, &name, &value, &size) == ARCHIVE_OK) {
			if (!name || !*name || size > UINT32_MAX)
				return -EINVAL;
			r = append(l, name, value, (uint32_t)size);
			if (r < 0)
				return r;
		}
	}
	int types = archive_entry_acl_types(ae);
	if (types & ARCHIVE_ENTRY_ACL_TYPE_NFS4)
		(*acls_skipped)++;
	/* The exact binary value, when the archive has it, wins over the parsed text. */
	if ((types & ARCHIVE_ENTRY_ACL_TYPE_ACCESS) && !has_name(l, "system.posix_acl_access")) {
		r = add_acl(l, ae, ARCHIVE_ENTRY_ACL_TYPE_ACCESS, "system.posix_acl_access",
			    acls_skipped);
		if (r < 0)
			return r;
	}
	if ((types & ARCHIVE_ENTRY_ACL_TYPE_DEFAULT) && !has_name(l, "system.posix_acl_default")) {
		r = add_acl(l, ae, ARCHIVE_ENTRY_ACL_TYPE_DEFAULT, "system.posix_acl_default",
			    acls_skipped);
		if (r < 0)
			return r;
	}
	return 0;
}

void xattr_list_free(struct xattr_list *l)
{
	free(l->buf);
	*l = (struct xattr_list){ 0 };
}

int xattr_list_apply(const char *buf, size_t len, int fd, const char *path, uint64_t *skipped,
		     const char **ret_failed)
{
	size_t off = 0;
	int n = 0;

	while (off < len) {
		const char *name = buf + off;
		off += strlen(name) + 1;
		uint32_t size;
		memcpy(&size, buf + off, sizeof(size));
		off += sizeof(size);
		const char *value = buf + off;
		off += size;
		int r = fd >= 0 ? fsetxattr(fd, name, value, size, 0)
				: lsetxattr(path, name, value, size, 0);
		if (r < 0) {
			if (errno == EOPNOTSUPP) {
				(*skipped)++;
				continue;
			}
			*ret_failed = name;
			return -errno;
		}
		n++;
	}
	return n;
}
