/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * venet IP map: VENETCTL_VE_IP_MAP on /dev/vzctl (type '(').
 *
 * Source: 2.6.32-042stab141, include/linux/vzctl_venet.h,
 * drivers/net/venetdev.c (real_ve_ip_map). Semantics: kernel-abi.md §4.
 */
#ifndef VZLITE_KERNEL_ABI_VENET_H
#define VZLITE_KERNEL_ABI_VENET_H

#include <linux/ioctl.h>

#ifndef __ENVID_T_DEFINED__
#define __ENVID_T_DEFINED__
typedef unsigned int envid_t;
#endif

struct sockaddr;

/* op */
#define VE_IP_ADD     1
#define VE_IP_DEL     2
#define VE_IP_EXT_ADD 3
#define VE_IP_EXT_DEL 4

/*
 * addrlen must be sizeof(struct sockaddr_in) or sizeof(struct sockaddr_in6);
 * never 0 (the kernel then reads uninitialised stack).
 */
struct vzctl_ve_ip_map {
	envid_t veid;
	int op;
	struct sockaddr *addr;
	int addrlen;
};

#define VENETCTLTYPE '('

#define VENETCTL_VE_IP_MAP _IOW(VENETCTLTYPE, 3, struct vzctl_ve_ip_map)

#endif /* VZLITE_KERNEL_ABI_VENET_H */
