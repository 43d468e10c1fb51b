/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * veth pairs: VETHCTL_VE_HWADDR on /dev/vzctl (type '[').
 *
 * Source: 2.6.32-042stab141, include/linux/vzctl_veth.h,
 * drivers/net/vzethdev.c (real_ve_hwaddr). Semantics: kernel-abi.md §5.
 * The struct has no pointer or long: same 64-byte layout on both arches.
 */
#ifndef VZLITE_KERNEL_ABI_VETH_H
#define VZLITE_KERNEL_ABI_VETH_H

#include <linux/ioctl.h>

#ifndef __ENVID_T_DEFINED__
#define __ENVID_T_DEFINED__
typedef unsigned int envid_t;
#endif

/* op */
#define VE_ETH_ADD              1
#define VE_ETH_DEL              2
#define VE_ETH_ALLOW_MAC_CHANGE 3
#define VE_ETH_DENY_MAC_CHANGE  4

struct vzctl_ve_hwaddr {
	envid_t veid;
	int op;
	unsigned char dev_addr[6];    /* host side MAC */
	int addrlen;                  /* must be 6 */
	char dev_name[16];            /* host side name, "" = vz<veid>.%d */
	unsigned char dev_addr_ve[6]; /* VE side MAC */
	int addrlen_ve;               /* 6, or 0 to derive from dev_addr */
	char dev_name_ve[16];         /* VE side name, "" = eth%d */
};

#define VETHCTLTYPE '['

#define VETHCTL_VE_HWADDR _IOW(VETHCTLTYPE, 3, struct vzctl_ve_hwaddr)

#endif /* VZLITE_KERNEL_ABI_VETH_H */
