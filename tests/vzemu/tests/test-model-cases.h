/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The cases of test-model.c (included once from there; kept apart for file length).
 * Each case name cites the kernel function whose behaviour it checks.
 */
#ifndef TEST_MODEL_CASES_H
#define TEST_MODEL_CASES_H

static void cases_env(pid_t init)
{
	struct emu_caller h = host(), n = nocaps(), v = inve(101), ic = host();
	struct m_ve *ve;

	ic.pid = init;
	/* kernel/ve/vecalls.c: real_env_create — the §2.2 decision table */
	EQ("real_env_create: flags 0 on host returns 0", env_create(&n, 555, 0), 0);
	EQ("real_env_create: flags 0 in VE returns its id", env_create(&v, 555, 0), 101);
	EQ("real_env_create: no capable_setveid -> EPERM", env_create(&n, 101, VE_TEST), -EPERM);
	EQ("real_env_create: inside a VE -> EPERM", env_create(&v, 101, VE_TEST), -EPERM);
	EQ("real_env_create: TEST|CREATE -> EINVAL", env_create(&h, 101, VE_TEST | VE_CREATE),
	   -EINVAL);
	EQ("real_env_create: TEST|ENTER -> EINVAL", env_create(&h, 101, VE_TEST | VE_ENTER),
	   -EINVAL);
	EQ("real_env_create: TEST absent -> ESRCH", env_create(&h, 101, VE_TEST), -ESRCH);
	EQ("real_env_create: ENTER absent -> ESRCH", env_create(&h, 101, VE_ENTER), -ESRCH);
	EQ("real_env_create: EXCLUSIVE only -> EINVAL", env_create(&h, 101, VE_EXCLUSIVE), -EINVAL);
	EQ("real_env_create: LOCK only -> EINVAL", env_create(&h, 101, VE_LOCK), -EINVAL);
	EQ("real_env_create: TEST on VE 0 -> 0", env_create(&h, 0, VE_TEST), 0);
	EQ("real_env_create: CREATE|EXCL on VE 0 -> EACCES",
	   env_create(&h, 0, VE_CREATE | VE_EXCLUSIVE), -EACCES);
	EQ("real_env_create: CAP_VE_ADMIN alone passes capable_setveid", ({
		   struct emu_caller va = nocaps();
		   va.cap_effective = 1ULL << CAP_VE_ADMIN;
		   env_create(&va, 101, VE_TEST);
	   }),
	   -ESRCH);
	/* kernel/ve/vecalls.c: vzcalls_ioctl VZCTL_ENV_CREATE_DATA block checks */
	param(VE_IP_DEFAULT, 0, 0, 0);
	EQ("vzcalls_ioctl: datalen 7 -> EINVAL", create_data(&h, 101, VE_TEST, 7, A_P), -EINVAL);
	EQ("vzcalls_ioctl: datalen 33 -> EINVAL", create_data(&h, 101, VE_TEST, 33, A_P), -EINVAL);
	EQ("vzcalls_ioctl: datalen -1 -> EINVAL", create_data(&h, 101, VE_TEST, -1, A_P), -EINVAL);
	EQ("vzcalls_ioctl: data NULL -> EINVAL", create_data(&h, 101, VE_TEST, 32, 0), -EINVAL);
	EQ("vzcalls_ioctl: unreadable block -> EFAULT (before TEST)",
	   create_data(&h, 101, VE_TEST, 32, BAD), -EFAULT);
	EQ("vzcalls_ioctl: unreadable struct -> EFAULT", ioc(&h, VZCTL_ENV_CREATE_DATA, BAD),
	   -EFAULT);
	EQ("vzcalls_ioctl: block checks before EPERM", create_data(&n, 101, VE_TEST, 3, A_P),
	   -EINVAL);
	/* kernel/ve/vecalls.c: do_env_create preconditions */
	ic.single_threaded = false;
	EQ("do_env_create: multi-threaded -> EINVAL",
	   create_data(&ic, 101, VE_CREATE | VE_EXCLUSIVE, 32, A_P), -EINVAL);
	ic.single_threaded = true;
	ic.has_ctty = true;
	EQ("do_env_create: controlling tty -> EINVAL",
	   create_data(&ic, 101, VE_CREATE | VE_EXCLUSIVE, 32, A_P), -EINVAL);
	ic.has_ctty = false;
	ic.alone = false;
	EQ("do_env_create: not alone_in_pgrp -> EINVAL",
	   create_data(&ic, 101, VE_CREATE | VE_EXCLUSIVE, 32, A_P), -EINVAL);
	EQ("do_env_create: preconditions before the NULL-param oops",
	   env_create(&ic, 101, VE_CREATE), -EINVAL);
	EQ("do_env_create: no effect on a precondition failure", eff.kind, EMU_EFFECT_NONE);
	ic.alone = true;
	env_create(&ic, 101, VE_CREATE);
	EQ("get_ve_features: plain VZCTL_ENV_CREATE|VE_CREATE oopses (KILL_CALLER)", eff.kind,
	   EMU_EFFECT_KILL_CALLER);
	EQ("do_env_create: nothing created by the oops", env_create(&h, 101, VE_TEST), -ESRCH);
	/* successful creation: 8-byte block, then features/iptables derivation */
	param(VE_IP_FILTER | VE_IP_MANGLE | VE_IP_IPTABLES6, 0, 0, 0);
	EQ("do_env_create: CREATE|EXCL returns veid",
	   create_data(&ic, 101, VE_CREATE | VE_EXCLUSIVE, 8, A_P), 101);
	EQ("do_env_create: effect VE_CREATED", eff.kind, EMU_EFFECT_VE_CREATED);
	ve = ve_find(M, 101);
	EQ("get_ve_features: 8-byte block leaves SYSFS off", ve ? ve->features : 0,
	   VE_FEATURE_DEF_PERMS | VE_FEATURE_SMNFCT);
	EQ("setup_iptables_mask: FILTER|MANGLE gain the IPv6 modules", ve ? ve->ipt_mask : 0,
	   VE_IP_DEFAULT);
	EQ("init_ve_meminfo: VE_MEMINFO_DEFAULT", ve ? ve->meminfo : 9, VE_MEMINFO_DEFAULT);
	EQ("set_ve_caps: bounding set = creator's effective set", ve ? ve->cap_bset : 0, ~0ULL);
	EQ("real_env_create: TEST existing -> 0", env_create(&h, 101, VE_TEST), 0);
	EQ("real_env_create: CREATE|EXCL existing -> EACCES",
	   create_data(&h, 101, VE_CREATE | VE_EXCLUSIVE, 32, A_P), -EACCES);
	EQ("real_env_create: CREATE existing becomes ENTER",
	   create_data(&h, 101, VE_CREATE, 32, A_P), 101);
	EQ("do_env_enter: effect VE_ENTERED", eff.kind, EMU_EFFECT_VE_ENTERED);
	EQ("do_env_enter: plain ENTER returns veid", env_create(&h, 101, VE_ENTER), 101);
	h.single_threaded = false;
	EQ("do_env_enter: multi-threaded -> EINVAL", env_create(&h, 101, VE_ENTER), -EINVAL);
	h.single_threaded = true;
	/* VE 102: 32-byte block, LOCK, vcpus, known features */
	param(VE_IP_IPTABLES6 | VE_IP_IPTABLE_NAT_MOD, VE_FEATURE_NFS, 16, VE_FEATURE_NFS);
	EQ("do_env_create: VE_LOCK create", create_data(&ic, 102, VE_CREATE | VE_LOCK, 32, A_P),
	   102);
	ve = ve_find(M, 102);
	EQ("get_ve_features: known bits from feature_mask, others default", ve ? ve->features : 0,
	   VE_FEATURES_DEF | VE_FEATURE_NFS);
	EQ("setup_iptables_mask: IPv6 bits without IPTABLES are cleared", ve ? ve->ipt_mask : 1, 0);
	EQ("sched_cgroup_set_nr_cpus: total_vcpus clamped to online CPUs",
	   node_find(M, 102) ? node_find(M, 102)->nr_cpus : 0, 4);
	EQ("do_env_enter: locked VE -> EBUSY", env_create(&h, 102, VE_ENTER), -EBUSY);
	EQ("do_env_enter: VE_SKIPLOCK enters", env_create(&h, 102, VE_ENTER | VE_SKIPLOCK), 102);
	/* kernel/ve/vecalls.c: compat_vzcalls_ioctl */
	h.compat32 = true;
	w32(A_S, 101);
	w32(A_S + 4, VE_TEST);
	w32(A_S + 8, 0);
	w32(A_S + 12, (uint32_t)A_P);
	w32(A_S + 16, 32);
	EQ("compat_vzcalls_ioctl: VZCTL_COMPAT_ENV_CREATE_DATA translated",
	   ioc(&h, VZCTL_COMPAT_ENV_CREATE_DATA, A_S), 0);
	EQ("compat_vzcalls_ioctl: i386 VZCTL_GET_CPU_STAT -> ENOTTY", ioc(&h, 0x40082e06, A_S),
	   -ENOTTY);
	EQ("compat_vzcalls_ioctl: x86_64 GET_CPU_STAT falls into ENV_CREATE_DATA",
	   ioc(&h, VZCTL_GET_CPU_STAT, A_S), 0);
	EQ("compat_vzctl_ioctl: unknown type -> EINVAL (fs/compat_ioctl.c)",
	   ioc(&h, 0x4004ee01, A_S), -EINVAL);
	h.compat32 = false;
	EQ("vzctl_ioctl: unknown type -> ENOTTY", ioc(&h, 0x4004ee01, A_S), -ENOTTY);
	EQ("vzcalls_ioctl: VZCTL_OLD_ENV_CREATE -> ENOTTY", ioc(&h, VZCTL_OLD_ENV_CREATE, A_S),
	   -ENOTTY);
	EQ("vzcalls_ioctl: VZCTL_ENV_CREATE_CID -> ENOTTY", ioc(&h, VZCTL_ENV_CREATE_CID, A_S),
	   -ENOTTY);
	EQ("vzcalls_ioctl: MARK_ENV_TO_DOWN ignores its argument",
	   ioc(&h, VZCTL_MARK_ENV_TO_DOWN, BAD), 0);
}

static void cases_ve_misc(void)
{
	struct emu_caller h = host(), n = nocaps(), v = inve(101);
	char *t;
	int e;

	/* kernel/ve/vecalls.c: real_setdevperms; security/device_cgroup.c: set_device_perms_ve */
	EQ("real_setdevperms: veid 0 -> EPERM", devperms(&h, 0, S_IFCHR, 0x103, 06), -EPERM);
	EQ("real_setdevperms: no caps -> EPERM", devperms(&n, 101, S_IFCHR, 0x103, 06), -EPERM);
	EQ("real_setdevperms: absent VE -> ESRCH", devperms(&h, 999, S_IFCHR, 0x103, 06), -ESRCH);
	EQ("set_device_perms_ve: type neither blk nor chr -> EINVAL",
	   devperms(&h, 101, 0, 0x103, 06), -EINVAL);
	EQ("set_device_perms_ve: char 1:3 rw", devperms(&h, 101, S_IFCHR | VE_USE_MINOR, 0x103, 06),
	   0);
	EQ("set_device_perms_ve: block major 8 read",
	   devperms(&h, 101, S_IFBLK | VE_USE_MAJOR, 0x800, 04), 0);
	EQ("set_device_perms_ve: char 1:5 quota then removed (mask 0)",
	   devperms(&h, 101, S_IFCHR | VE_USE_MINOR, 0x105, 0), 0);
	EQ("vzcalls_ioctl SETDEVPERMS: struct copy fault -> EFAULT",
	   ioc(&h, VZCTL_SETDEVPERMS, BAD), -EFAULT);
	t = render(&h, "/proc/vz/devperms", &e);
	contains("devperms_seq_show: rules, VE 0 last", t,
		 "Version: 2.7\n       101 c 007 1:3\n       101 b 005 8:*\n");
	contains("devperms_seq_show: host lines", t,
		 "         0 b 016 *:*\n         0 c 006 *:*\n");
	free(t);
	/* kernel/ve/vecalls.c: vzcalls_ioctl VZCTL_VE_NETDEV, real_ve_dev_map */
	strcpy((char *)arena + 512, "");
	w32(A_S, 101);
	w32(A_S + 4, VE_NETDEV_ADD);
	w64(A_S + 8, BASE + 512);
	EQ("vzcalls_ioctl VE_NETDEV: empty name -> EFAULT before EPERM",
	   ioc(&n, VZCTL_VE_NETDEV, A_S), -EFAULT);
	w64(A_S + 8, BAD);
	EQ("vzcalls_ioctl VE_NETDEV: unreadable name -> EFAULT", ioc(&h, VZCTL_VE_NETDEV, A_S),
	   -EFAULT);
	w64(A_S + 8, BASE + 512);
	strcpy((char *)arena + 512, "nosuchdev0");
	EQ("real_ve_dev_map: no caps -> EPERM", ioc(&n, VZCTL_VE_NETDEV, A_S), -EPERM);
	w32(A_S + 4, 3);
	EQ("real_ve_dev_map: op 3 -> EINVAL", ioc(&h, VZCTL_VE_NETDEV, A_S), -EINVAL);
	w32(A_S + 4, VE_NETDEV_ADD);
	w32(A_S, 999);
	EQ("ve_dev_add: absent VE -> ESRCH", ioc(&h, VZCTL_VE_NETDEV, A_S), -ESRCH);
	w32(A_S, 101);
	EQ("ve_dev_add: no such host device -> ESRCH", ioc(&h, VZCTL_VE_NETDEV, A_S), -ESRCH);
	/* kernel/ve/vecalls.c: ve_set_meminfo — no permission check */
	w32(A_S, 101);
	w64(A_S + 8, 262144);
	EQ("ve_set_meminfo: no caps needed", ioc(&n, VZCTL_VE_MEMINFO, A_S), 0);
	EQ("ve_set_meminfo: value stored", ve_find(M, 101)->meminfo, 262144);
	w32(A_S, 999);
	EQ("ve_set_meminfo: absent VE -> EINVAL", ioc(&n, VZCTL_VE_MEMINFO, A_S), -EINVAL);
	n.compat32 = true;
	w32(A_S, 101);
	w32(A_S + 4, 2);
	EQ("compat_vzcalls_ioctl: VZCTL_COMPAT_VE_MEMINFO", ioc(&n, VZCTL_COMPAT_VE_MEMINFO, A_S),
	   0);
	EQ("compat_vzcalls_ioctl: compat val read at offset 4", ve_find(M, 101)->meminfo, 2);
	n.compat32 = false;
	/* kernel/ve/vecalls.c: ve_configure_ioctl, ve_configure */
	EQ("ve_configure_ioctl: size > PAGE_SIZE -> EMSGSIZE",
	   configure(101, VE_CONFIGURE_OS_RELEASE, 0, NULL, 4097), -EMSGSIZE);
	EQ("ve_configure_ioctl: header fault -> EFAULT", ioc(&n, VZCTL_VE_CONFIGURE, BAD), -EFAULT);
	w32(BASE + ARENA - 16, 101);
	w32(BASE + ARENA - 12, VE_CONFIGURE_OS_RELEASE);
	w32(BASE + ARENA - 4, 10);
	EQ("ve_configure_ioctl: data fault -> EFAULT",
	   ioc(&n, VZCTL_VE_CONFIGURE, BASE + ARENA - 16), -EFAULT);
	w32(A_S + 12, 60000);
	EQ("ve_configure_ioctl: oversize before data copy", ioc(&n, VZCTL_VE_CONFIGURE, A_S),
	   -EMSGSIZE);
	EQ("ve_configure: absent VE -> EINVAL", configure(999, VE_CONFIGURE_OS_RELEASE, 0, "x", 2),
	   -EINVAL);
	EQ("init_ve_osrelease: size 0 -> ENODATA",
	   configure(101, VE_CONFIGURE_OS_RELEASE, 0, NULL, 0), -ENODATA);
	EQ("init_ve_osrelease: 65 characters -> EMSGSIZE",
	   configure(101, VE_CONFIGURE_OS_RELEASE, 0,
		     "12345678901234567890123456789012345678901234567890123456789012345", 66),
	   -EMSGSIZE);
	EQ("init_ve_osrelease: 64 characters accepted",
	   configure(101, VE_CONFIGURE_OS_RELEASE, 0,
		     "1234567890123456789012345678901234567890123456789012345678901234", 65),
	   0);
	EQ("ve_configure: unknown key -> ENOKEY", configure(101, 99, 0, "x", 2), -ENOKEY);
	EQ("vtty_open_master: val 12 -> ENODEV without VE lookup",
	   configure(999, VE_CONFIGURE_OPEN_TTY, 12, NULL, 0), -ENODEV);
	EQ("vtty_open_master: no VE lookup: console 12 of an absent VE is opened",
	   configure(999, VE_CONFIGURE_OPEN_TTY, 11, NULL, 0), 0);
	EQ("vtty_open_master: the supervisor opens it (OPEN_VTTY)", eff.kind, EMU_EFFECT_OPEN_VTTY);
	EQ("vtty_open_master: of that VE and index", eff.veid * 100 + eff.index, 999u * 100 + 11);
	configure(101, VE_CONFIGURE_CREATE_PROC_LINK, 0, NULL, 0);
	EQ("ve_configure_make_proc_link: size 0 oopses (KILL_CALLER)", eff.kind,
	   EMU_EFFECT_KILL_CALLER);
	EQ("ve_configure_make_proc_link: one string -> EINVAL",
	   configure(101, VE_CONFIGURE_CREATE_PROC_LINK, 0, "abc", 4), -EINVAL);
	EQ("ve_configure_make_proc_link: no final NUL -> EINVAL",
	   configure(101, VE_CONFIGURE_CREATE_PROC_LINK, 0, "ab\0cd", 5), -EINVAL);
	EQ("ve_configure_mount_options: size 1 -> EINVAL",
	   configure(101, VE_CONFIGURE_MOUNT_OPTIONS, 0x801, "x", 1), -EINVAL);
	EQ("ve_parse_mount_options: valid items",
	   configure(101, VE_CONFIGURE_MOUNT_OPTIONS, 0x801, "2 ro,nosuid;1 usrquota", 23), 0);
	EQ("ve_parse_mount_options: unknown type -> EINVAL",
	   configure(101, VE_CONFIGURE_MOUNT_OPTIONS, 0x801, "3 ro", 5), -EINVAL);
	EQ("ve_parse_mount_options: repeated type -> EINVAL",
	   configure(101, VE_CONFIGURE_MOUNT_OPTIONS, 0x801, "1 a;1 b", 8), -EINVAL);
	/* kernel/ve/vecalls.c: ve_get_cpu_stat */
	w32(A_S, 0);
	w64(A_S + 8, A_BUF);
	EQ("ve_get_cpu_stat: veid 0 -> ESRCH", ioc(&n, VZCTL_GET_CPU_STAT, A_S), -ESRCH);
	w32(A_S, 4244);
	EQ("ve_get_cpu_stat: no fairsched node -> ENOENT", ioc(&n, VZCTL_GET_CPU_STAT, A_S),
	   -ENOENT);
	w32(A_S, 102);
	EQ("ve_get_cpu_stat: other VE from inside -> EPERM", ioc(&v, VZCTL_GET_CPU_STAT, A_S),
	   -EPERM);
	w32(A_S, 101);
	EQ("ve_get_cpu_stat: own VE from inside", ioc(&v, VZCTL_GET_CPU_STAT, A_S), 0);
	w64(A_S + 8, BAD);
	EQ("ve_get_cpu_stat: copy-out fault -> EFAULT", ioc(&n, VZCTL_GET_CPU_STAT, A_S), -EFAULT);
}

static void cases_venet(void)
{
	struct emu_caller h = host(), n = nocaps();
	char *t;
	int e;

	/* drivers/net/venetdev.c: real_ve_ip_map, sockaddr_to_veaddr, convert_sockaddr */
	EQ("real_ve_ip_map: no caps -> EPERM", ipmap(&n, 101, VE_IP_ADD, "10.0.0.101", 16), -EPERM);
	EQ("move_addr_to_kernel: addrlen 129 -> EINVAL",
	   ipmap(&h, 101, VE_IP_ADD, "10.0.0.101", 129), -EINVAL);
	EQ("move_addr_to_kernel: addrlen -1 -> EINVAL", ipmap(&h, 101, VE_IP_ADD, "10.0.0.101", -1),
	   -EINVAL);
	EQ("convert_sockaddr: AF_INET with 28 bytes -> EINVAL",
	   ipmap(&h, 101, VE_IP_ADD, "10.0.0.101", 28), -EINVAL);
	EQ("convert_sockaddr: AF_INET6 with 16 bytes -> EINVAL",
	   ipmap(&h, 101, VE_IP_ADD, "::1", 16), -EINVAL);
	w32(A_S, 101);
	w32(A_S + 4, VE_IP_ADD);
	w64(A_S + 8, BAD);
	w32(A_S + 16, 16);
	EQ("move_addr_to_kernel: unreadable -> EFAULT", ioc(&h, VENETCTL_VE_IP_MAP, A_S), -EFAULT);
	arena[2048] = AF_UNIX;
	arena[2049] = 0;
	w64(A_S + 8, A_ADDR);
	EQ("convert_sockaddr: AF_UNIX -> EAFNOSUPPORT", ioc(&h, VENETCTL_VE_IP_MAP, A_S),
	   -EAFNOSUPPORT);
	ipmap(&h, 101, VE_IP_ADD, "10.0.0.101", 0);
	EQ("sockaddr_to_veaddr: addrlen 0 is a hazard (KILL_CALLER)", eff.kind,
	   EMU_EFFECT_KILL_CALLER);
	EQ("real_ve_ip_map: ADD absent VE -> ESRCH", ipmap(&h, 999, VE_IP_ADD, "10.0.0.9", 16),
	   -ESRCH);
	EQ("veip_entry_add: ADD", ipmap(&h, 101, VE_IP_ADD, "10.0.0.101", 16), 0);
	EQ("veip_entry_conflict: same VE again -> EADDRINUSE",
	   ipmap(&h, 101, VE_IP_ADD, "10.0.0.101", 16), -EADDRINUSE);
	EQ("veip_entry_conflict: other VE -> EADDRINUSE",
	   ipmap(&h, 102, VE_IP_ADD, "10.0.0.101", 16), -EADDRINUSE);
	EQ("veip_entry_add: IPv6", ipmap(&h, 101, VE_IP_ADD, "2001:db8::65", 28), 0);
	EQ("real_ve_ip_map: unknown op -> EINVAL", ipmap(&h, 101, 9, "10.0.0.5", 16), -EINVAL);
	EQ("veip_entry_del: absent VE, absent address -> EADDRNOTAVAIL",
	   ipmap(&h, 999, VE_IP_DEL, "10.9.9.9", 16), -EADDRNOTAVAIL);
	EQ("veip_entry_del: other VE's address -> EADDRNOTAVAIL",
	   ipmap(&h, 102, VE_IP_DEL, "10.0.0.101", 16), -EADDRNOTAVAIL);
	EQ("venet_ext_add: EXT_ADD", ipmap(&h, 101, VE_IP_EXT_ADD, "10.1.1.1", 16), 0);
	EQ("venet_ext_add: duplicate -> EADDRINUSE", ipmap(&h, 101, VE_IP_EXT_ADD, "10.1.1.1", 16),
	   -EADDRINUSE);
	EQ("venet_ext_del: missing -> EADDRNOTAVAIL", ipmap(&h, 101, VE_IP_EXT_DEL, "10.1.1.2", 16),
	   -EADDRNOTAVAIL);
	EQ("real_ve_ip_map: EXT_ADD absent VE -> ESRCH",
	   ipmap(&h, 999, VE_IP_EXT_ADD, "10.1.1.1", 16), -ESRCH);
	t = render(&h, "/proc/vz/veinfo", &e);
	/* ip_entry_hash: list_add on the VE's ip_lh, so the newest address comes first */
	contains(
		"veinfo_seq_show + veaddr_seq_print (§13.3)", t,
		"       101     0     3                   2001:db8:0:0:0:0:0:65      10.0.0.101\n");
	/* ve->pcounter of 102: its init, the host caller that entered it with VE_SKIPLOCK
	 * (ve_move_task took it out of 101's count), kthreadd and khelper */
	contains("veinfo_seq_show: VE 0 last", t, "       102     0     4\n");
	free(t);
	t = render(&h, "/proc/vz/veip", &e);
	/* both keys hash to bucket 0x65; hlist_add_head puts the IPv6 entry first */
	contains("veip_seq_show (§13.6)", t,
		 "Version: 2.5\n                  2001:db8:0:0:0:0:0:65"
		 "          0\n                             10.0.0.101"
		 "          0\n");

	free(t);
	h.compat32 = true;
	memset(arena + 2048, 0, 32);
	arena[2048] = AF_INET;
	inet_pton(AF_INET, "10.0.0.102", arena + 2052);
	w32(A_S, 102);
	w32(A_S + 4, VE_IP_ADD);
	w32(A_S + 8, (uint32_t)A_ADDR);
	w32(A_S + 12, 16);
	EQ("compat_venet_ioctl: VENETCTL_COMPAT_VE_IP_MAP", ioc(&h, VENETCTL_COMPAT_VE_IP_MAP, A_S),
	   0);
	h.compat32 = false;
	EQ("veip_entry_del: DEL", ipmap(&h, 102, VE_IP_DEL, "10.0.0.102", 16), 0);
}

/*
 * kernel/bc/misc.c: ub_task_charge → beancounter.c: __charge_beancounter_percpu tries the
 * limit first and UB_HARD falls through to the limit: numproc refuses past the limit,
 * whatever the barrier (abi-client cases saw it on the real kernel)
 */
static void cases_fork_charge(void)
{
	struct emu_caller c = host();
	int status;

	c.pid = spawn_init();
	EQ("fork charge setup: setluid(4321)", sys(&c, __NR_setluid, 4321, 0, 0, 0, 0), 0);
	w64(A_BUF, 40);
	w64(A_BUF + 8, 43);
	EQ("fork charge setup: numproc 40:43",
	   sys(&c, __NR_setublimit, 4321, UB_NUMPROC, A_BUF, 0, 0), 0);
	EQ("ub_task_charge: past the barrier, below the limit",
	   model_fork_charge(M, &c, 41, NULL, 0), 0);
	EQ("ub_task_charge: up to the limit", model_fork_charge(M, &c, 42, NULL, 0), 0);
	EQ("ub_task_charge: past the limit -> ENOMEM", model_fork_charge(M, &c, 43, NULL, 0),
	   -ENOMEM);
	w64(A_BUF, 46);
	sys(&c, __NR_setublimit, 4321, UB_NUMPROC, A_BUF, 0, 0);
	EQ("__charge_beancounter_locked: a barrier above the limit lets none through",
	   model_fork_charge(M, &c, 43, NULL, 0), -ENOMEM);
	EQ("__charge_beancounter_locked: failcnt 2", bc_find(M, 4321)->p[UB_NUMPROC].failcnt, 2);
	kill(c.pid, SIGKILL);
	waitpid(c.pid, &status, 0);
}

static void cases_ubc(void)
{
	struct emu_caller h = host(), n = nocaps(), v = inve(101), c32 = host();
	char *t;
	int e;

	c32.compat32 = true;
	/* kernel/bc/sys.c: sys_getluid, sys_setluid */
	EQ("sys_getluid: host process without setluid -> 0", sys(&h, __NR_getluid, 0, 0, 0, 0, 0),
	   0);
	EQ("sys_setluid: -1 -> EINVAL before the capability",
	   sys(&n, __NR_setluid, 0xffffffffu, 0, 0, 0, 0), -EINVAL);
	EQ("sys_setluid: no CAP_SETUID -> EPERM", sys(&n, __NR_setluid, 101, 0, 0, 0, 0), -EPERM);
	EQ("sys_setluid: inside a VE -> EPERM", sys(&v, __NR_setluid, 101, 0, 0, 0, 0), -EPERM);
	EQ("sys_setluid: creates bc 101", sys(&h, __NR_setluid, 101, 0, 0, 0, 0), 0);
	EQ("sys_getluid: 101 after setluid", sys(&h, __NR_getluid, 0, 0, 0, 0, 0), 101);
	EQ("sys_setluid: repeated on the host is accepted", sys(&h, __NR_setluid, 101, 0, 0, 0, 0),
	   0);
	EQ("sys_getluid: i386 number 510", sys(&c32, 510, 0, 0, 0, 0, 0), 101);
	/* kernel/bc/sys.c: sys_setublimit, do_setublimit */
	EQ("sys_setublimit: copy fault first, even without caps",
	   sys(&n, __NR_setublimit, 101, 0, BAD, 0, 0), -EFAULT);
	w64(A_BUF, 14372700);
	w64(A_BUF + 8, 14790164);
	EQ("do_setublimit: no CAP_SYS_RESOURCE -> EPERM",
	   sys(&n, __NR_setublimit, 101, 0, A_BUF, 0, 0), -EPERM);
	EQ("do_setublimit: inside a VE -> EPERM", sys(&v, __NR_setublimit, 101, 0, A_BUF, 0, 0),
	   -EPERM);
	EQ("do_setublimit: resource 25 -> EINVAL", sys(&h, __NR_setublimit, 101, 25, A_BUF, 0, 0),
	   -EINVAL);
	EQ("do_setublimit: bc absent -> ENOENT", sys(&h, __NR_setublimit, 4244, 0, A_BUF, 0, 0),
	   -ENOENT);
	EQ("do_setublimit: kmemsize", sys(&h, __NR_setublimit, 101, UB_KMEMSIZE, A_BUF, 0, 0), 0);
	w64(A_BUF, 0x8000000000000000ULL);
	EQ("do_setublimit: barrier > UB_MAXVALUE -> EINVAL",
	   sys(&h, __NR_setublimit, 101, 0, A_BUF, 0, 0), -EINVAL);
	w64(A_BUF, 240);
	w64(A_BUF + 8, 100);
	EQ("do_setublimit: barrier > limit accepted",
	   sys(&h, __NR_setublimit, 101, UB_NUMPROC, A_BUF, 0, 0), 0);
	EQ("do_setublimit: dummy resource accepted",
	   sys(&h, __NR_setublimit, 101, UB_DUMMY, A_BUF, 0, 0), 0);
	EQ("do_setublimit: bc 0 (host)", sys(&h, __NR_setublimit, 0, UB_NUMFILE, A_BUF, 0, 0), 0);
	w32(A_BUF, 2147483647);
	w32(A_BUF + 4, 1000);
	EQ("compat_sys_setublimit: 2^31-1 is UB_MAXVALUE",
	   sys(&c32, 512, 101, UB_NUMFLOCK, A_BUF, 0, 0), 0);
	EQ("compat_sys_setublimit: barrier stored as UB_MAXVALUE",
	   bc_find(M, 101)->p[UB_NUMFLOCK].barrier, M_UB_MAXVALUE);
	w32(A_BUF, 0x80000000u);
	EQ("compat_sys_setublimit: 2^31 sign-extends -> EINVAL",
	   sys(&c32, 512, 101, UB_NUMFLOCK, A_BUF, 0, 0), -EINVAL);
	w32(A_BUF, 1);
	EQ("compat_sys_setublimit: resource -1 -> EINVAL",
	   sys(&c32, 512, 101, 0xffffffffu, A_BUF, 0, 0), -EINVAL);
	/* kernel/bc/statd.c: do_ubstat */
	w64(A_BUF + 1024, 10);
	w32(A_BUF + 1032, 0);
	EQ("sys_ubstat: inside a VE -> EPERM", sys(&v, __NR_ubstat, UBSTAT_UBPARMNUM, 0, 0, 0, 0),
	   -EPERM);
	EQ("do_ubstat: UBPARMNUM", sys(&n, __NR_ubstat, UBSTAT_UBPARMNUM, 0, 0, 0, 0),
	   UB_RESOURCES);
	EQ("ubstat_get_list: two bcs, 16 bytes",
	   sys(&n, __NR_ubstat, UBSTAT_UBLIST, 0, 0, A_BUF, 4096), 16);
	EQ("ubstat_get_list: newest first", r64(A_BUF), 101);
	EQ("ubstat_get_list: truncated to size",
	   sys(&n, __NR_ubstat, UBSTAT_UBLIST, 0, 0, A_BUF, 8), 8);
	EQ("do_ubstat: GETTIME without DAC caps -> EPERM",
	   sys(&n, __NR_ubstat, UBSTAT_GETTIME, 0, A_BUF + 1024, A_BUF, 24), -EPERM);
	EQ("ubstat_gettime: 24 bytes",
	   sys(&h, __NR_ubstat, UBSTAT_GETTIME, 0, A_BUF + 1024, A_BUF, 100), 24);
	EQ("do_ubstat: READ unknown bc -> ESRCH",
	   sys(&h, __NR_ubstat, UBSTAT_READ_ALL, 4244, A_BUF + 1024, A_BUF, 4096), -ESRCH);
	EQ("ubstat_get_stat: READ_ONE res 25 -> EINVAL",
	   sys(&h, __NR_ubstat, UBSTAT_READ_ONE | 25, 101, A_BUF + 1024, A_BUF, 4096), -EINVAL);
	EQ("ubstat_get_stat: unknown command -> EINVAL",
	   sys(&h, __NR_ubstat, 0x70000, 101, A_BUF + 1024, A_BUF, 4096), -EINVAL);
	EQ("ubstat_do_read_all: 16 + 25*16 bytes",
	   sys(&h, __NR_ubstat, UBSTAT_READ_ALL, 101, A_BUF + 1024, A_BUF, 4096), 416);
	EQ("ubstat_do_read_full: truncated to size",
	   sys(&h, __NR_ubstat, UBSTAT_READ_FULL, 101, A_BUF + 1024, A_BUF, 100), 100);
	EQ("ubstat_do_read_full: kmemsize barrier at offset 16", r64(A_BUF + 16), 14372700);
	EQ("do_ubstat: unreadable arg2 -> EFAULT after the copy",
	   sys(&h, __NR_ubstat, UBSTAT_READ_ONE, 101, BAD, A_BUF, 4096), -EFAULT);
	w64(A_BUF + 1024, 0);
	EQ("ubstat_handle_notifrq: maxinterval 0 -> EINVAL",
	   sys(&h, __NR_ubstat, UBSTAT_GETTIME, 0, A_BUF + 1024, A_BUF, 24), -EINVAL);
	/* kernel/bc/proc.c: ub_show_header, ub_show, ub_show_dummy (§13.1) */
	t = render(&n, "/proc/user_beancounters", &e);
	EQ("/proc/user_beancounters: open without DAC caps -> EACCES", e, -EACCES);
	free(t);
	t = render(&h, "/proc/user_beancounters", &e);
	contains("ub_show_header", t,
		 "Version: 2.5\n       uid  resource                     held"
		 "              maxheld              barrier                limit"
		 "              failcnt\n");
	contains("ub_show_res: first row with uid", t,
		 "      101:  kmemsize                        0                    0"
		 "             14372700             14790164                    0\n");
	contains("ub_show_dummy: stored barrier/limit", t,
		 "            dummy                           0                    0"
		 "                  240                  100                    0\n");
	contains("ub_show_res: barrier above limit shown as stored", t,
		 "            numproc                         0                    0"
		 "                  240                  100                    0\n");
	contains(
		"ub_show: bc 0 last, numiptent row 23 ends bc 101", t,
		"            numiptent                       0                    0"
		"  9223372036854775807  9223372036854775807                    0\n        0:  kmemsize");
	EQ("ub_show: no swappages row", strstr(t, "swappages") == NULL, 1);
	free(t);
	t = render(&h, "/proc/bc/101/resources", &e);
	contains("__show_resources: swappages row, blank uid", t,
		 "            swappages                       0                    0"
		 "  9223372036854775807  9223372036854775807                    0\n");
	EQ("__show_resources: 21 rows of 129+1 bytes", t ? (long)strlen(t) : 0, 21 * 130);
	free(t);
	render(&h, "/proc/bc/4244/resources", &e);
	EQ("/proc/bc: unknown id -> ENOENT", e, -ENOENT);
	cases_fork_charge();
}

static void cases_fairsched(void)
{
	struct emu_caller h = host(), n = nocaps();
	char *t;
	int e;

	/* kernel/fairsched.c: sys_fairsched_mknod/rmnod/chwt/rate/vcpus/mvpr/cpumask/nodemask */
	EQ("sys_fairsched_mknod: no caps -> EPERM",
	   sys(&n, __NR_fairsched_mknod, 0, 500, 300, 0, 0), -EPERM);
	EQ("sys_fairsched_mknod: weight 0 -> EINVAL",
	   sys(&h, __NR_fairsched_mknod, 0, 0, 300, 0, 0), -EINVAL);
	EQ("sys_fairsched_mknod: weight 65536 -> EINVAL",
	   sys(&h, __NR_fairsched_mknod, 0, 65536, 300, 0, 0), -EINVAL);
	EQ("sys_fairsched_mknod: newid > INT_MAX -> EINVAL",
	   sys(&h, __NR_fairsched_mknod, 0, 500, 0x80000000u, 0, 0), -EINVAL);
	EQ("sys_fairsched_mknod: newid 0 names the host -> EEXIST",
	   sys(&h, __NR_fairsched_mknod, 0, 500, 0, 0, 0), -EEXIST);
	EQ("sys_fairsched_mknod: creates 300", sys(&h, __NR_fairsched_mknod, 0, 7, 300, 0, 0), 300);
	EQ("sys_fairsched_mknod: weight validated only", node_weight(node_find(M, 300)), 500);
	EQ("sys_fairsched_mknod: exists -> EEXIST",
	   sys(&h, __NR_fairsched_mknod, 0, 500, 300, 0, 0), -EEXIST);
	EQ("sys_fairsched_chwt: id 0 -> EINVAL", sys(&h, __NR_fairsched_chwt, 0, 10, 0, 0, 0),
	   -EINVAL);
	EQ("sys_fairsched_chwt: weight 0 before lookup -> EINVAL",
	   sys(&h, __NR_fairsched_chwt, 4244, 0, 0, 0, 0), -EINVAL);
	EQ("sys_fairsched_chwt: no node -> ENOENT", sys(&h, __NR_fairsched_chwt, 4244, 10, 0, 0, 0),
	   -ENOENT);
	EQ("sys_fairsched_chwt: weight 1000", sys(&h, __NR_fairsched_chwt, 300, 1000, 0, 0, 0), 0);
	EQ("sched_cgroup_set_shares: 512000/1000 = 512 reads back as 1000",
	   node_weight(node_find(M, 300)), 1000);
	EQ("sys_fairsched_chwt: host node via INT_MAX",
	   sys(&h, __NR_fairsched_chwt, FAIRSCHED_HOST_NODE, 500, 0, 0, 0), 0);
	EQ("sys_fairsched_rate: unknown op on missing node -> ENOENT",
	   sys(&h, __NR_fairsched_rate, 4244, 7, 1, 0, 0), -ENOENT);
	EQ("sys_fairsched_rate: unknown op -> EINVAL after lookup",
	   sys(&h, __NR_fairsched_rate, 300, 7, 1, 0, 0), -EINVAL);
	EQ("sys_fairsched_rate: SET 0 -> EINVAL",
	   sys(&h, __NR_fairsched_rate, 300, FAIRSCHED_SET_RATE, 0, 0, 0), -EINVAL);
	EQ("sys_fairsched_rate: id 0 -> EINVAL",
	   sys(&h, __NR_fairsched_rate, 0, FAIRSCHED_GET_RATE, 0, 0, 0), -EINVAL);
	EQ("sys_fairsched_rate: GET without rate -> ENODATA",
	   sys(&h, __NR_fairsched_rate, 300, FAIRSCHED_GET_RATE, 0, 0, 0), -ENODATA);
	EQ("sched_cgroup_set_rate: clamped to 4 CPUs * 1024",
	   sys(&h, __NR_fairsched_rate, 300, FAIRSCHED_SET_RATE, 100000, 0, 0), 4096);
	EQ("sys_fairsched_rate: SET returns the rate",
	   sys(&h, __NR_fairsched_rate, 101, FAIRSCHED_SET_RATE, 2048, 0, 0), 2048);
	EQ("sys_fairsched_rate: DROP -> 0",
	   sys(&h, __NR_fairsched_rate, 300, FAIRSCHED_DROP_RATE, 0, 0, 0), 0);
	EQ("sys_fairsched_vcpus: id 0 -> EINVAL", sys(&h, __NR_fairsched_vcpus, 0, 2, 0, 0, 0),
	   -EINVAL);
	EQ("sys_fairsched_vcpus: no node -> ENOENT",
	   sys(&h, __NR_fairsched_vcpus, 4244, 2, 0, 0, 0), -ENOENT);
	EQ("sys_fairsched_vcpus: ok", sys(&h, __NR_fairsched_vcpus, 300, 2, 0, 0, 0), 0);
	EQ("sys_fairsched_mvpr: pid 0 -> ESRCH", sys(&h, __NR_fairsched_mvpr, 0, 300, 0, 0, 0),
	   -ESRCH);
	EQ("sys_fairsched_mvpr: node missing first -> ENOENT",
	   sys(&h, __NR_fairsched_mvpr, 0, 4244, 0, 0, 0), -ENOENT);
	EQ("sys_fairsched_mvpr: host node 0 accepted",
	   sys(&h, __NR_fairsched_mvpr, getpid(), 0, 0, 0, 0), 0);
	EQ("sys_fairsched_cpumask: id 0 -> EINVAL",
	   sys(&h, __NR_fairsched_cpumask, 0, 512, A_BUF, 0, 0), -EINVAL);
	EQ("get_user_cpu_mask: fault -> EFAULT",
	   sys(&h, __NR_fairsched_cpumask, 300, 512, BAD, 0, 0), -EFAULT);
	w64(A_BUF, 3);
	EQ("sys_fairsched_cpumask: ok", sys(&h, __NR_fairsched_cpumask, 300, 512, A_BUF, 0, 0), 0);
	EQ("sys_fairsched_nodemask: no node -> ENOENT",
	   sys(&h, __NR_fairsched_nodemask, 4244, 8, A_BUF, 0, 0), -ENOENT);
	EQ("sys_fairsched_rmnod: host 0 -> EBUSY", sys(&h, __NR_fairsched_rmnod, 0, 0, 0, 0, 0),
	   -EBUSY);
	EQ("sys_fairsched_rmnod: INT_MAX -> EBUSY",
	   sys(&h, __NR_fairsched_rmnod, FAIRSCHED_HOST_NODE, 0, 0, 0, 0), -EBUSY);
	EQ("sys_fairsched_rmnod: running VE node -> EBUSY",
	   sys(&h, __NR_fairsched_rmnod, 101, 0, 0, 0, 0), -EBUSY);
	w32(A_S, 300);
	w64(A_S + 8, A_BUF);
	EQ("ve_get_cpu_stat: node without VE -> ESRCH", ioc(&n, VZCTL_GET_CPU_STAT, A_S), -ESRCH);
	EQ("sys_fairsched_rmnod: 300", sys(&h, __NR_fairsched_rmnod, 300, 0, 0, 0, 0), 0);
	EQ("sys_fairsched_rmnod: gone -> ENOENT", sys(&h, __NR_fairsched_rmnod, 300, 0, 0, 0, 0),
	   -ENOENT);
	h.compat32 = true;
	EQ("sys_fairsched_chwt: i386 number 502", sys(&h, 502, 101, 500, 0, 0, 0), 0);
	h.compat32 = false;
	/* kernel/fairsched.c: fairsched_seq_show, fairsched2_seq_show (§13.5) */
	t = render(&h, "/proc/fairsched2", &e);
	contains(
		"fairsched2_seq_show: header", t,
		"Version: 2.7 debug\n        id weight  rate   run cpus"
		" flg ready            start_tag                value                delay\n2147483647"
		"    500     0     1    4  ..     1                    0                    0        "
		"            0\n");
	contains("fairsched2_seq_show: VE node", t,
		 "       101    500  2048     0    4  L.     0       "
		 "             0                    0                    0\n");
	free(t);
	t = render(&h, "/proc/fairsched", &e);
	contains(
		"fairsched_seq_show: header", t,
		"Version: 2.6 debug\n      veid         id     parent"
		" weight  rate tasks   run cpus flg ready            start_tag                value  "
		"              delay\n         0          0          0    500     0");
	contains(
		"fairsched_seq_show: three lines per further node", t,
		"         0        101          0    500  2048     3     0    4  L.     0          "
		"          0                    0                    0\n       101          0        "
		"101    500  2048     3     0    4  L.     0                    0                    0"
		"                    0\n       101          1          0    500  2048     3     0    4"
		"  L.     0                    0                    0                    0\n");
	free(t);
}

#include "test-model-cases2.h"

#endif
