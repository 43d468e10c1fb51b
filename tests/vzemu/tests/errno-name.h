/*
 * errno_name(e): the symbolic name of errno value e ("EPERM"), "?" for one it does not know.
 * glibc's strerrorname_np does this but musl has no such call, and the raw-ABI client is
 * also built static with musl to run on the real OpenVZ kernel; a table indexed by the
 * macros themselves gives the right value on every architecture.
 */
#ifndef VZEMU_ERRNO_NAME_H
#define VZEMU_ERRNO_NAME_H

#include <errno.h>
#include <stddef.h>

static inline const char *errno_name(int e)
{
	// clang-format off
	static const char *const names[] = {
		[EPERM] = "EPERM", [ENOENT] = "ENOENT", [ESRCH] = "ESRCH", [EINTR] = "EINTR",
		[EIO] = "EIO", [ENXIO] = "ENXIO", [E2BIG] = "E2BIG", [ENOEXEC] = "ENOEXEC",
		[EBADF] = "EBADF", [ECHILD] = "ECHILD", [EAGAIN] = "EAGAIN", [ENOMEM] = "ENOMEM",
		[EACCES] = "EACCES", [EFAULT] = "EFAULT", [ENOTBLK] = "ENOTBLK", [EBUSY] = "EBUSY",
		[EEXIST] = "EEXIST", [EXDEV] = "EXDEV", [ENODEV] = "ENODEV", [ENOTDIR] = "ENOTDIR",
		[EISDIR] = "EISDIR", [EINVAL] = "EINVAL", [ENFILE] = "ENFILE", [EMFILE] = "EMFILE",
		[ENOTTY] = "ENOTTY", [ETXTBSY] = "ETXTBSY", [EFBIG] = "EFBIG", [ENOSPC] = "ENOSPC",
		[ESPIPE] = "ESPIPE", [EROFS] = "EROFS", [EMLINK] = "EMLINK", [EPIPE] = "EPIPE",
		[EDOM] = "EDOM", [ERANGE] = "ERANGE", [EDEADLK] = "EDEADLK",
		[ENAMETOOLONG] = "ENAMETOOLONG", [ENOLCK] = "ENOLCK", [ENOSYS] = "ENOSYS",
		[ENOTEMPTY] = "ENOTEMPTY", [ELOOP] = "ELOOP", [ENOMSG] = "ENOMSG", [EIDRM] = "EIDRM",
		[ENOSTR] = "ENOSTR", [ENODATA] = "ENODATA", [ETIME] = "ETIME", [ENOSR] = "ENOSR",
		[ENOLINK] = "ENOLINK", [EPROTO] = "EPROTO", [EBADMSG] = "EBADMSG",
		[EOVERFLOW] = "EOVERFLOW", [EILSEQ] = "EILSEQ", [EUSERS] = "EUSERS",
		[ENOTSOCK] = "ENOTSOCK", [EDESTADDRREQ] = "EDESTADDRREQ", [EMSGSIZE] = "EMSGSIZE",
		[EPROTOTYPE] = "EPROTOTYPE", [ENOPROTOOPT] = "ENOPROTOOPT",
		[EPROTONOSUPPORT] = "EPROTONOSUPPORT", [ESOCKTNOSUPPORT] = "ESOCKTNOSUPPORT",
		[EOPNOTSUPP] = "EOPNOTSUPP", [EPFNOSUPPORT] = "EPFNOSUPPORT",
		[EAFNOSUPPORT] = "EAFNOSUPPORT", [EADDRINUSE] = "EADDRINUSE",
		[EADDRNOTAVAIL] = "EADDRNOTAVAIL", [ENETDOWN] = "ENETDOWN",
		[ENETUNREACH] = "ENETUNREACH", [ENETRESET] = "ENETRESET",
		[ECONNABORTED] = "ECONNABORTED", [ECONNRESET] = "ECONNRESET", [ENOBUFS] = "ENOBUFS",
		[EISCONN] = "EISCONN", [ENOTCONN] = "ENOTCONN", [ESHUTDOWN] = "ESHUTDOWN",
		[ETOOMANYREFS] = "ETOOMANYREFS", [ETIMEDOUT] = "ETIMEDOUT",
		[ECONNREFUSED] = "ECONNREFUSED", [EHOSTDOWN] = "EHOSTDOWN",
		[EHOSTUNREACH] = "EHOSTUNREACH", [EALREADY] = "EALREADY",
		[EINPROGRESS] = "EINPROGRESS", [ESTALE] = "ESTALE", [EDQUOT] = "EDQUOT",
		[ECANCELED] = "ECANCELED", [EOWNERDEAD] = "EOWNERDEAD",
		[ENOTRECOVERABLE] = "ENOTRECOVERABLE",
	};
	// clang-format on

	if (e <= 0 || (size_t)e >= sizeof(names) / sizeof(names[0]))
		return "?";
	return names[e] ? names[e] : "?";
}

#endif
