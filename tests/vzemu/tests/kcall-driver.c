/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Issues every kind of call lib/kernel.c can make, through lib/kernel.c itself, for
 * test-kcall-render.sh: with --dry-run the recording backend prints one line per call (the
 * plan); without it the calls go to the kernel, i.e. to vzemu, whose trace decodes them from
 * this process's memory. The test compares the two line for line. Results are not checked
 * here: a refused call is traced all the same, and the trace's "= result" is not compared.
 *
 *   vzemu-kcall-driver [--dry-run] VEID DIR
 *   vzemu-kcall-driver --create-only VEID DIR
 *
 * DIR: an existing directory, the quota's ve_root. --create-only makes the VE creation alone
 * (kernel_env_create with its fallback to older parameter blocks), for a run whose earlier
 * attempts the emulator fails.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kernel.h"

static void print_line(void *userdata, const char *line)
{
	(void)userdata;
	printf("%s\n", line);
}

int main(int argc, char **argv)
{
	bool dry = argc > 1 && !strcmp(argv[1], "--dry-run");
	bool create_only = argc > 1 && !strcmp(argv[1], "--create-only");
	struct kernel k;

	int opt = dry || create_only;
	if (argc != 3 + opt) {
		fprintf(stderr, "usage: %s [--dry-run|--create-only] VEID DIR\n", argv[0]);
		return 2;
	}
	unsigned int veid = (unsigned int)strtoul(argv[1 + opt], NULL, 10);
	const char *dir = argv[2 + opt];

	if (kernel_init(&k, "/dev/vzctl") < 0)
		return 1;
	if (dry)
		kernel_set_dry_run(&k, print_line, NULL);
	if (kernel_open(&k, NULL) < 0) {
		fprintf(stderr, "kcall-driver: cannot open /dev/vzctl\n");
		return 1;
	}

	struct env_create_param3 p = { .iptables_mask = VE_IP_DEFAULT,
				       .feature_mask = VE_FEATURE_SYSFS,
				       .known_features = VE_FEATURE_SYSFS | VE_FEATURE_NFS,
				       .total_vcpus = 2 };
	if (create_only) {
		int r = kernel_env_create(&k, veid, &p);
		printf("kernel_env_create: %d\n", r);
		return r == (int)veid ? 0 : 1;
	}

	kernel_env_test(&k, veid);
	kernel_env_enter(&k, veid); /* no such VE yet: refused, traced all the same */
	kernel_setluid(&k, veid);
	kernel_setublimit(&k, veid, UB_KMEMSIZE, 2752512, 2936012);
	kernel_setublimit(&k, veid, UB_NUMPROC, UB_MAXVALUE, UB_MAXVALUE);
	kernel_setublimit(&k, veid, UB_SWAPPAGES, 0, 65536);

	kernel_fairsched_chwt(&k, veid, 500);
	kernel_fairsched_rate(&k, veid, FAIRSCHED_SET_RATE, 256);
	kernel_fairsched_rate(&k, veid, FAIRSCHED_DROP_RATE, 0);
	kernel_fairsched_vcpus(&k, veid, 2);
	unsigned long mask[1] = { 0x3 };
	kernel_fairsched_cpumask(&k, veid, mask, sizeof(mask));
	unsigned long nodes[1] = { 0x1 };
	kernel_fairsched_nodemask(&k, veid, nodes, sizeof(nodes));

	struct vz_quota_stat q = { .dq_stat = { .bhardlimit = 2097152,
						.bsoftlimit = 1048576,
						.bcurrent = 4096,
						.ihardlimit = 2000,
						.isoftlimit = 1000,
						.icurrent = 12 },
				   .dq_info = { .bexpire = 600, .iexpire = 1200 } };
	kernel_quota_ctl(&k, VZ_DQ_CREATE, veid, &q, NULL);
	q.dq_stat.bhardlimit *= 2;
	kernel_quota_ctl(&k, VZ_DQ_SETLIMIT, veid, &q, NULL);
	kernel_quota_ctl(&k, VZ_DQ_ON, veid, NULL, dir);
	kernel_quota_ctl(&k, VZ_DQ_OFF, veid, NULL, NULL);
	kernel_quota_ctl(&k, VZ_DQ_DESTROY, veid, NULL, NULL);

	/* 8:300 in the kernel's encoding (new_encode_dev) */
	kernel_setdevperms(&k, veid, S_IFBLK | VE_USE_MINOR,
			   (300 & 0xff) | (8 << 8) | ((300 & ~0xffu) << 12), 06);
	struct sockaddr_in sin = { .sin_family = AF_INET };
	inet_pton(AF_INET, "10.1.2.3", &sin.sin_addr);
	kernel_venet_ip(&k, veid, VE_IP_ADD, (struct sockaddr *)&sin, sizeof(sin));
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6 };
	inet_pton(AF_INET6, "2001:db8::7", &sin6.sin6_addr);
	kernel_venet_ip(&k, veid, VE_IP_DEL, (struct sockaddr *)&sin6, sizeof(sin6));
	kernel_ve_configure_os_release(&k, veid, "2.6.32-042stab141.3");
	kernel_ve_meminfo(&k, veid, VE_MEMINFO_SYSTEM);
	kernel_ve_meminfo(&k, veid, 262144);
	kernel_ve_netdev(&k, veid, VE_NETDEV_ADD, "vzl-kcall0");
	static const unsigned char mac[6] = { 0x00, 0x18, 0x51, 0xab, 0xcd, 0xef },
				   mac_ve[6] = { 0x00, 0x18, 0x51, 0x01, 0x02, 0x03 };
	kernel_veth_hwaddr(&k, veid, VE_ETH_ADD, mac, "veth4601.0", mac_ve, "eth0");
	kernel_veth_hwaddr(&k, veid, VE_ETH_DENY_MAC_CHANGE, NULL, "veth4601.0", NULL, NULL);
	kernel_veth_hwaddr(&k, veid, VE_ETH_DEL, NULL, "veth4601.0", NULL, NULL);
	kernel_set_iolimit(&k, veid, 10485760, 31457280, 10000);
	kernel_set_iopslimit(&k, veid, 300, 900, 10000);
	kernel_ioprio_set_ubc(&k, veid, 6);
	kernel_fairsched_rmnod(&k, veid);

	/* Last: if it succeeds this process is the VE's init, which only exits */
	kernel_env_create(&k, veid, &p);
	kernel_done(&k);
	return 0;
}
