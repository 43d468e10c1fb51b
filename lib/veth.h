/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * veth devices of a VE (NETIF, vzctl-behaviour.md §5.4; kernel-abi.md §5): the names and
 * MACs vzctl would use (veth-mac.c), the pairs made through VETHCTL_VE_HWADDR at start and by
 * a live `set` (veth.c), and their host side brought up and attached to its bridge through
 * rtnetlink (veth-link.c), as vzctl's vznetcfg/vznetaddbr scripts do.
 */
#ifndef VZL_VETH_H
#define VZL_VETH_H

#include <net/if.h>
#include <stddef.h>

#include "kernel.h"
#include "vzlite.h"

/* One device with every field decided. */
struct veth_dev {
	char ifname[IF_NAMESIZE], host_ifname[IF_NAMESIZE], bridge[IF_NAMESIZE];
	unsigned char mac[6], host_mac[6];
	int mac_filter; /* -1 unset (the kernel's default: deny), 0 off (allow), 1 on (deny) */
};

/* veth-mac.c */
/* "veth<VEID>.<N>", N the first number in `ifname` (0 if none), as vzctl names it. */
void veth_default_host_ifname(unsigned int veid, const char *ifname, char out[IF_NAMESIZE]);
/* 00:18:51 and three bytes of vzctl's hash of "<name>:<VEID>:<hwid> " (§5.4). */
void veth_generate_mac(unsigned int veid, const char *name, const unsigned char hwid[6],
		       unsigned char mac[6]);
/* "00:18:51:ab:cd:ef" (18 bytes with the NUL). */
void veth_mac_text(const unsigned char mac[6], char out[18]);

/* veth-link.c: rtnetlink in the caller's network namespace; 0 or -errno. */
/* The MAC of the lowest-numbered Ethernet device (zeros when none), vzctl's "hwid". */
int veth_host_hwid(unsigned char mac[6]);
/* `dev` up, and enslaved to `bridge` when that is not empty; *what names the failing link. */
int veth_link_attach(const char *dev, const char *bridge, const char **what);
/* The name of the bridge `dev` is enslaved to, "" for none. */
int veth_link_master(const char *dev, char bridge[IF_NAMESIZE]);
/* Delete veth `dev` if it exists: 1 deleted, 0 none (or not a veth), -errno. */
int veth_link_remove_leftover(const char *dev);

/* veth.c */
/*
 * NETIF's devices with their defaults filled in (config form: a missing MAC is generated
 * from the host name, a missing host MAC copies the VE's). *ret malloc()ed. 0 or -errno,
 * *err naming the VE and NETIF.
 */
int veth_resolve(unsigned int veid, const char *netif, struct veth_dev **ret, size_t *ret_n,
		 vzl_error **err);
/*
 * Make the kernel's pairs of running VE `veid` what `netif` says: pairs it does not name
 * removed, the missing ones added (VE_ETH_ADD, then the MAC filter, then the host side up
 * and on its bridge). On failure what it changed is taken back.
 */
int veth_apply(struct kernel *k, unsigned int veid, const char *netif, vzl_error **err);

#endif
