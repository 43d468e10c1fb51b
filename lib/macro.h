/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Small generic helpers: cleanup attributes, ownership transfer, array sizes. */
#ifndef VZL_MACRO_H
#define VZL_MACRO_H

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#define ELEMENTSOF(a) (sizeof(a) / sizeof((a)[0]))

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

static inline void freep(void *p)
{
	free(*(void **)p);
}

static inline void closep(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;
		close(*fd);
		errno = saved;
	}
}

#define _cleanup_(f)    __attribute__((cleanup(f)))
#define _cleanup_free_  _cleanup_(freep)
#define _cleanup_close_ _cleanup_(closep)

/* Hand a pointer or fd out of a cleanup-scoped variable. */
#define TAKE_PTR(p)                                                                                \
	({                                                                                         \
		__typeof__(p) _taken_ = (p);                                                       \
		(p) = NULL;                                                                        \
		_taken_;                                                                           \
	})
#define TAKE_FD(fd)                                                                                \
	({                                                                                         \
		int _taken_ = (fd);                                                                \
		(fd) = -1;                                                                         \
		_taken_;                                                                           \
	})

/* libc convention (-1 + errno) to ours (-errno). */
#define NEG_ERRNO(r) ((r) < 0 ? -errno : (r))

#define VZL_INTERNAL __attribute__((visibility("hidden")))

#endif
