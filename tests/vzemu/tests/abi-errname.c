// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The errno names the OpenVZ calls and their callers can meet (kernel-abi.md): glibc's
 * strerrorname_np does not exist in musl, and the client is built with both.
 */
#include <errno.h>
#include <stdio.h>

#include "abi-errname.h"

#define N(e)                                                                                       \
	{                                                                                          \
		e, #e                                                                              \
	}

// clang-format off
static const struct { int e; const char *n; } names[] = {
	N(EPERM), N(ENOENT), N(ESRCH), N(EINTR), N(EIO), N(ENXIO), N(E2BIG), N(ENOEXEC),
	N(EBADF), N(ECHILD), N(EAGAIN), N(ENOMEM), N(EACCES), N(EFAULT), N(EBUSY), N(EEXIST),
	N(EXDEV), N(ENODEV), N(ENOTDIR), N(EISDIR), N(EINVAL), N(ENFILE), N(EMFILE), N(ENOTTY),
	N(EFBIG), N(ENOSPC), N(ESPIPE), N(EROFS), N(EMLINK), N(EPIPE), N(EDOM), N(ERANGE),
	N(EDEADLK), N(ENAMETOOLONG), N(ENOLCK), N(ENOSYS), N(ENOTEMPTY), N(ELOOP), N(ENODATA),
	N(ETIME), N(EPROTO), N(EOVERFLOW), N(EMSGSIZE), N(EPROTONOSUPPORT), N(EOPNOTSUPP),
	N(EAFNOSUPPORT), N(EADDRINUSE), N(EADDRNOTAVAIL), N(ENETDOWN), N(ENOBUFS), N(ETIMEDOUT),
	N(ECONNREFUSED), N(EALREADY), N(EINPROGRESS), N(ESTALE), N(EDQUOT), N(ECANCELED),
	N(ENOKEY), N(EKEYREJECTED), N(EOWNERDEAD),
};
// clang-format on

const char *abi_errno_name(int e)
{
	static __thread char other[16];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].e == e)
			return names[i].n;
	snprintf(other, sizeof(other), "E%d", e);
	return other;
}
