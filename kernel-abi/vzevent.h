/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vzevent: VE start/stop notifications on netlink protocol NETLINK_UEVENT.
 * The datagram payload is plain ASCII "<action>@<veid>", no netlink header,
 * no NUL. Host network namespace only; binding to VZ_EVGRP_ALL needs
 * CAP_NET_ADMIN (or CAP_VE_ADMIN).
 *
 * Source: 2.6.32-042stab141, include/linux/vzevent.h, kernel/ve/vzevent.c
 * (NETLINK_UEVENT, VZ_EVGRP_ALL and the action names are defined there).
 * Semantics: kernel-abi.md §14.
 */
#ifndef VZLITE_KERNEL_ABI_VZEVENT_H
#define VZLITE_KERNEL_ABI_VZEVENT_H

/*
 * vzevent.c's own name, in no exported header; unrelated to mainline's
 * NETLINK_KOBJECT_UEVENT (15).
 */
#define NETLINK_UEVENT 31

/* sockaddr_nl.nl_groups to receive every event */
#define VZ_EVGRP_ALL 0x01

enum {
	VE_EVENT_MOUNT,  /* never sent by this kernel */
	VE_EVENT_UMOUNT, /* never sent by this kernel */
	VE_EVENT_START,
	VE_EVENT_STOP,
	VE_EVENT_REBOOT, /* only with vzevent's reboot_event=1 */
};

/* Action strings of the payload, indexed like VE_EVENT_* (our names) */
#define OVZ_VZEVENT_ACTION_MOUNT  "ve-mount"
#define OVZ_VZEVENT_ACTION_UMOUNT "ve-umount"
#define OVZ_VZEVENT_ACTION_START  "ve-start"
#define OVZ_VZEVENT_ACTION_STOP   "ve-stop"
#define OVZ_VZEVENT_ACTION_REBOOT "ve-reboot"

#endif /* VZLITE_KERNEL_ABI_VZEVENT_H */
