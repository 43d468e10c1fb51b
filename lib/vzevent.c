/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The kernel's VE events (kernel-abi.md §14): a listener on vzevent's netlink group, and the
 * parse of its messages, "<action>@<veid>" in ASCII without header or NUL.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "kernel.h"

VZL_API int vzl_vzevent_open(vzl_error **err)
{
	int fd = kernel_vzevent_open();
	if (fd == -EPROTONOSUPPORT)
		return error_set(err, EPROTONOSUPPORT, 0, VZL_STEP_KERNEL_OPEN, NULL,
				 "the kernel has no vzevent netlink protocol (31): load the "
				 "vzevent module (modprobe vzevent)");
	if (fd == -EPERM || fd == -EACCES)
		return error_set(err, -fd, 0, VZL_STEP_KERNEL_OPEN, NULL,
				 "listening to the kernel's VE events (vzevent netlink group 1) "
				 "needs CAP_NET_ADMIN: run as root");
	if (fd < 0)
		return error_set(err, -fd, 0, VZL_STEP_KERNEL_OPEN, NULL,
				 "cannot listen to the kernel's VE events (vzevent): %s",
				 strerror(-fd));
	return fd;
}

VZL_API int vzl_vzevent_read(int fd, char *action, size_t len, unsigned int *veid, vzl_error **err)
{
	char buf[64];
	ssize_t n = kernel_vzevent_recv(fd, buf, sizeof(buf) - 1);
	if (n < 0)
		return n == -EINTR || n == -EAGAIN
			       ? (int)n
			       : error_set(err, (int)-n, 0, VZL_STEP_KERNEL_OPEN, NULL,
					   "cannot read a vzevent message: %s", strerror((int)-n));
	buf[n] = '\0';
	char *at = memchr(buf, '@', (size_t)n), *end;
	errno = 0;
	unsigned long id = at ? strtoul(at + 1, &end, 10) : 0;
	if (!at || at == buf || (size_t)(at - buf) >= len || errno || end == at + 1 || *end ||
	    id > 0xffffffffUL)
		return error_set(err, EBADMSG, 0, VZL_STEP_KERNEL_OPEN, NULL,
				 "malformed vzevent message '%s' (expected ACTION@VEID)", buf);
	memcpy(action, buf, (size_t)(at - buf));
	action[at - buf] = '\0';
	*veid = (unsigned int)id;
	return 0;
}
