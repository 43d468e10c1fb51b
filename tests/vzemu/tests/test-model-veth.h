/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-model: veth (drivers/net/vzethdev.c: real_ve_hwaddr, veth_entry_add, veth_entry_del,
 * veth_allow_change_mac, vehwaddr_seq_show; kernel-abi.md §5), at model level: the checks in
 * the kernel's order with its errnos, the effects asked of the supervisor, /proc/vz/veth, the
 * state file, and the pairs going with their VE. Included by test-model.c.
 */

/* struct vzctl_ve_hwaddr (64 bytes): veid, op, dev_addr[6], addrlen, dev_name[16],
 * dev_addr_ve[6], addrlen_ve, dev_name_ve[16] */
static long hwaddr(const struct emu_caller *c, unsigned int veid, int op, const char *mac,
		   int addrlen, const char *name, const char *mac_ve, int addrlen_ve,
		   const char *name_ve)
{
	unsigned int m[6];

	memset(arena, 0, 64);
	w32(A_S, veid);
	w32(A_S + 4, (uint32_t)op);
	if (mac && sscanf(mac, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5]) == 6)
		for (int i = 0; i < 6; i++)
			arena[8 + i] = (uint8_t)m[i];
	w32(A_S + 16, (uint32_t)addrlen);
	if (name)
		memcpy(arena + 20, name, strlen(name) < 16 ? strlen(name) : 16);
	if (mac_ve &&
	    sscanf(mac_ve, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5]) == 6)
		for (int i = 0; i < 6; i++)
			arena[36 + i] = (uint8_t)m[i];
	w32(A_S + 44, (uint32_t)addrlen_ve);
	if (name_ve)
		memcpy(arena + 48, name_ve, strlen(name_ve) < 16 ? strlen(name_ve) : 16);
	memset(&eff, 0, sizeof(eff));
	return ioc(c, VETHCTL_VE_HWADDR, A_S);
}

#define MAC_H "00:18:51:aa:bb:01"
#define MAC_V "00:18:51:aa:bb:02"

static void cases_veth(const char *dir)
{
	struct emu_caller h = host(), n = nocaps();
	char *t;
	int e;

	/* veth_ioctl copies the struct first, then real_ve_hwaddr checks CAP_NET_ADMIN */
	w32(A_S, 101);
	EQ("veth_ioctl: unreadable -> EFAULT", ioc(&h, VETHCTL_VE_HWADDR, BAD), -EFAULT);
	EQ("veth_ioctl: another request -> ENOTTY", ioc(&h, VETHCTL_VE_HWADDR + 1, A_S), -ENOTTY);
	EQ("real_ve_hwaddr: no CAP_NET_ADMIN -> EPERM",
	   hwaddr(&n, 101, VE_ETH_ADD, MAC_H, 6, "veth101.0", MAC_V, 6, "eth0"), -EPERM);
	n.cap_effective = 1ULL << M_CAP_NET_ADMIN; /* not capable_setveid: enough here */
	EQ("real_ve_hwaddr: CAP_NET_ADMIN alone passes (absent VE -> ESRCH)",
	   hwaddr(&n, 999, VE_ETH_ADD, MAC_H, 6, "veth999.0", MAC_V, 6, "eth0"), -ESRCH);
	EQ("ADD: addrlen 5 -> EINVAL",
	   hwaddr(&h, 101, VE_ETH_ADD, MAC_H, 5, "veth101.0", MAC_V, 6, "eth0"), -EINVAL);
	EQ("ADD: addrlen_ve 4 -> EINVAL",
	   hwaddr(&h, 101, VE_ETH_ADD, MAC_H, 6, "veth101.0", MAC_V, 4, "eth0"), -EINVAL);
	EQ("ADD: addrlen_ve 0 with bit 0x80 of byte 3 set -> EINVAL",
	   hwaddr(&h, 101, VE_ETH_ADD, "00:18:51:80:00:01", 6, "veth101.0", NULL, 0, "eth0"),
	   -EINVAL);
	EQ("ADD: argument checks come before the VE lookup",
	   hwaddr(&h, 999, VE_ETH_ADD, MAC_H, 5, "veth999.0", MAC_V, 6, "eth0"), -EINVAL);
	EQ("veth_dev_start: multicast MAC -> EADDRNOTAVAIL",
	   hwaddr(&h, 101, VE_ETH_ADD, "01:18:51:aa:bb:01", 6, "veth101.0", MAC_V, 6, "eth0"),
	   -EADDRNOTAVAIL);
	EQ("veth_dev_start: all-zero VE MAC -> EADDRNOTAVAIL",
	   hwaddr(&h, 101, VE_ETH_ADD, MAC_H, 6, "veth101.0", "00:00:00:00:00:00", 6, "eth0"),
	   -EADDRNOTAVAIL);
	EQ("dev_valid_name: '/' in the host name -> EINVAL",
	   hwaddr(&h, 101, VE_ETH_ADD, MAC_H, 6, "veth/1", MAC_V, 6, "eth0"), -EINVAL);
	EQ("no pair was kept by the refused calls", M->ve[0].nveth + M->ve[1].nveth, 0);

	EQ("veth_entry_add: ADD",
	   hwaddr(&h, 101, VE_ETH_ADD, MAC_H, 6, "veth101.0", MAC_V, 6, "eth0"), 0);
	EQ("ADD asks the supervisor for the devices", eff.kind, EMU_EFFECT_VETH_ADD);
	EQ("the effect names the VE", eff.veid, 101);
	EQ("the effect: host name", strcmp(eff.veth.host, "veth101.0"), 0);
	EQ("the effect: VE name", strcmp(eff.veth.ve, "eth0"), 0);
	EQ("the effect: host MAC", eff.veth.mac[5], 0x01);
	EQ("the effect: VE MAC", eff.veth.mac_ve[5], 0x02);
	EQ("register_netdev: the host name again -> EEXIST",
	   hwaddr(&h, 102, VE_ETH_ADD, MAC_H, 6, "veth101.0", MAC_V, 6, "eth5"), -EEXIST);
	EQ("register_netdev: the VE name again in that VE -> EEXIST",
	   hwaddr(&h, 101, VE_ETH_ADD, MAC_H, 6, "veth101.9", MAC_V, 6, "eth0"), -EEXIST);
	EQ("register_netdev: venet0 in the VE -> EEXIST",
	   hwaddr(&h, 101, VE_ETH_ADD, MAC_H, 6, "veth101.9", MAC_V, 6, "venet0"), -EEXIST);
	/* addrlen_ve 0: the host MAC with 0x80 in byte 3; empty names: vz<veid>.%d and eth%d */
	EQ("ADD with derived VE MAC and kernel names",
	   hwaddr(&h, 102, VE_ETH_ADD, "00:18:51:01:02:03", 6, "", NULL, 0, ""), 0);
	EQ("dev_alloc_name: host side vz102.0", strcmp(eff.veth.host, "vz102.0"), 0);
	EQ("dev_alloc_name: VE side eth0", strcmp(eff.veth.ve, "eth0"), 0);
	EQ("VE MAC: byte 3 | 0x80", eff.veth.mac_ve[3], 0x81);
	t = render(&h, "/proc/vz/veth", &e);
	/* vehwaddr_seq_show: list_add, the newest first; allow_mac_change 0 is "deny" */
	contains(
		"vehwaddr_seq_show", t,
		"Version: 1.0\n"
		"00:18:51:01:02:03          vz102.0 00:18:51:81:02:03             eth0        102  deny\n"
		"00:18:51:aa:bb:01        veth101.0 00:18:51:aa:bb:02             eth0        101  deny\n");
	free(t);
	t = render(&h, "/proc/vz/veth", &e);
	free(t);
	EQ("/proc/vz/veth: not in a VE", ({
		   struct emu_caller v = inve(101);
		   render(&v, "/proc/vz/veth", &e);
		   e;
	   }),
	   -ENOENT);

	EQ("veth_allow_change_mac: absent VE -> ESRCH",
	   hwaddr(&h, 999, VE_ETH_ALLOW_MAC_CHANGE, NULL, 0, "veth101.0", NULL, 0, NULL), -ESRCH);
	EQ("veth_allow_change_mac: another VE's pair -> ENODEV",
	   hwaddr(&h, 102, VE_ETH_ALLOW_MAC_CHANGE, NULL, 0, "veth101.0", NULL, 0, NULL), -ENODEV);
	EQ("veth_allow_change_mac: by the VE side's name -> ENODEV",
	   hwaddr(&h, 101, VE_ETH_ALLOW_MAC_CHANGE, NULL, 0, "eth0", NULL, 0, NULL), -ENODEV);
	EQ("ALLOW", hwaddr(&h, 101, VE_ETH_ALLOW_MAC_CHANGE, NULL, 0, "veth101.0", NULL, 0, NULL),
	   0);
	EQ("ALLOW has no effect on devices", eff.kind, EMU_EFFECT_NONE);
	EQ("unknown op -> EINVAL", hwaddr(&h, 101, 7, NULL, 0, "veth101.0", NULL, 0, NULL),
	   -EINVAL);

	/* the state file keeps the pairs: a new open reads them back */
	model_unlock(M);
	model_close(M);
	EQ("model_open again", model_open(&M, dir), 0);
	model_lock(M);
	t = render(&h, "/proc/vz/veth", &e);
	contains(
		"the state file: pairs and allow", t,
		"00:18:51:aa:bb:01        veth101.0 00:18:51:aa:bb:02             eth0        101 allow\n");
	free(t);

	EQ("DEL: empty name -> EINVAL", hwaddr(&h, 101, VE_ETH_DEL, NULL, 0, "", NULL, 0, NULL),
	   -EINVAL);
	EQ("DEL: absent VE -> ESRCH",
	   hwaddr(&h, 999, VE_ETH_DEL, NULL, 0, "veth101.0", NULL, 0, NULL), -ESRCH);
	EQ("veth_entry_del: another VE's pair -> ENODEV",
	   hwaddr(&h, 102, VE_ETH_DEL, NULL, 0, "veth101.0", NULL, 0, NULL), -ENODEV);
	EQ("veth_entry_del: DEL", hwaddr(&h, 101, VE_ETH_DEL, NULL, 0, "veth101.0", NULL, 0, NULL),
	   0);
	EQ("DEL asks the supervisor to delete the host side", eff.kind, EMU_EFFECT_VETH_DEL);
	EQ("the effect names it", strcmp(eff.veth.host, "veth101.0"), 0);
	EQ("DEL again -> ENODEV", hwaddr(&h, 101, VE_ETH_DEL, NULL, 0, "veth101.0", NULL, 0, NULL),
	   -ENODEV);

	/* a pair the supervisor could not make is not the kernel's */
	EQ("ADD", hwaddr(&h, 101, VE_ETH_ADD, MAC_H, 6, "veth101.1", MAC_V, 6, "eth1"), 0);
	model_veth_add_failed(M, 101, "veth101.1");
	EQ("model_veth_add_failed: gone (DEL -> ENODEV)",
	   hwaddr(&h, 101, VE_ETH_DEL, NULL, 0, "veth101.1", NULL, 0, NULL), -ENODEV);

	/* real_ve_hwaddr: a VE that is not running (stopping) is ESRCH for every op */
	for (int i = 0; i < M->nve; i++)
		if (M->ve[i].veid == 102)
			M->ve[i].state = VES_STOPPING;
	EQ("ADD: VE stopping -> ESRCH",
	   hwaddr(&h, 102, VE_ETH_ADD, MAC_H, 6, "veth102.5", MAC_V, 6, "eth5"), -ESRCH);
	EQ("DEL: VE stopping -> ESRCH",
	   hwaddr(&h, 102, VE_ETH_DEL, NULL, 0, "vz102.0", NULL, 0, NULL), -ESRCH);
	EQ("DENY: VE stopping -> ESRCH",
	   hwaddr(&h, 102, VE_ETH_DENY_MAC_CHANGE, NULL, 0, "vz102.0", NULL, 0, NULL), -ESRCH);
	for (int i = 0; i < M->nve; i++)
		if (M->ve[i].veid == 102)
			M->ve[i].state = VES_RUNNING;
}

/* After cases_stop: veth_exit_net took every pair with its VE (vz102.0 was left on purpose). */
static void cases_veth_after_stop(void)
{
	struct emu_caller h = host();
	int e;
	char *t = render(&h, "/proc/vz/veth", &e);

	EQ("veth_exit_net: the pairs go with their VE", strcmp(t ? t : "", "Version: 1.0\n"), 0);
	free(t);
}
