/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The dry-run backend of kernel.c: one line per call, decoded with the kernel's names,
 * and nothing sent (the device path does not exist, so a real call would fail).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kernel.h"
#include "test.h"

static char lines[48][1024];
static int n_lines;

static void collect(void *userdata, const char *call)
{
	(void)userdata;
	if (n_lines < 48)
		snprintf(lines[n_lines++], sizeof(lines[0]), "%s", call);
}

int main(void)
{
	struct kernel k;
	CHECK_INT(kernel_init(&k, "/nonexistent/vzctl"), 0);
	kernel_set_dry_run(&k, collect, NULL);

	/* The open and vzctl's probe, as the emulator traces them */
	CHECK_INT(kernel_open(&k, NULL), 0);
	CHECK_STR(lines[0], "openat(AT_FDCWD, \"/nonexistent/vzctl\", O_RDWR|O_CLOEXEC)");
	CHECK_STR(lines[1],
		  "ioctl(/nonexistent/vzctl, VZCTL_ENV_CREATE, {veid=0, flags=0, class_id=0})");
	CHECK_INT(kernel_open(&k, NULL), 0); /* idempotent: recorded once */
	CHECK_INT(n_lines, 2);

	/* The issue's own example, now in the trace's form */
	CHECK_INT(kernel_setublimit(&k, 101, UB_KMEMSIZE, 2752512, 2936012), 0);
	CHECK_STR(lines[2], "setublimit(101, UB_KMEMSIZE, {2752512, 2936012})");
	CHECK_INT(kernel_setublimit(&k, 101, UB_NUMPROC, (unsigned long)UB_MAXVALUE,
				    (unsigned long)UB_MAXVALUE),
		  0);
	CHECK_STR(lines[3], "setublimit(101, UB_NUMPROC, {UB_MAXVALUE, UB_MAXVALUE})");
	CHECK_INT(kernel_setublimit(&k, 5, 99, 1, 2), 0);
	CHECK_STR(lines[4], "setublimit(5, 99, {1, 2})");
	CHECK_INT(kernel_setublimit(&k, 5, 21, 0, 0), 0); /* an id without a name */
	CHECK_STR(lines[5], "setublimit(5, 21, {0, 0})");

	CHECK_INT(kernel_setluid(&k, 101), 0);
	CHECK_STR(lines[6], "setluid(101)");

	struct env_create_param3 p = {
		.iptables_mask = 0x17, .total_vcpus = 2, .feature_mask = 0x4, .known_features = 0x6
	};
	CHECK_INT(kernel_env_create(&k, 101, &p), 101);
	CHECK_STR(lines[7], "ioctl(/nonexistent/vzctl, VZCTL_ENV_CREATE_DATA, {veid=101, "
			    "flags=VE_CREATE|VE_EXCLUSIVE, class_id=0, data={iptables_mask=0x17, "
			    "feature_mask=0x4, known_features=0x6, total_vcpus=2}, datalen=32})");
	CHECK_INT(kernel_env_create_data(&k, 101, VE_TEST, &p, sizeof(p)), 0);
	/* VE_TEST only reads: a dry run asks the kernel; none answers at this device path */
	CHECK_INT(kernel_env_test(&k, 102), 0);
	CHECK_STR(
		lines[9],
		"ioctl(/nonexistent/vzctl, VZCTL_ENV_CREATE, {veid=102, flags=VE_TEST, class_id=0})");

	CHECK_INT(kernel_fairsched_rate(&k, 101, FAIRSCHED_SET_RATE, 512), 512);
	CHECK_STR(lines[10], "fairsched_rate(101, FAIRSCHED_SET_RATE, 512)");
	CHECK_INT(kernel_fairsched_chwt(&k, 101, 500), 0);
	CHECK_STR(lines[11], "fairsched_chwt(101, 500)");
	CHECK_INT(kernel_fairsched_vcpus(&k, 101, 2), 0);
	CHECK_STR(lines[12], "fairsched_vcpus(101, 2)");
	CHECK_INT(kernel_fairsched_rmnod(&k, 101), 0);
	CHECK_STR(lines[13], "fairsched_rmnod(101)");
	unsigned long mask[2] = { 0x5, 0 };
	CHECK_INT(kernel_fairsched_cpumask(&k, 101, mask, sizeof(mask)), 0);
	CHECK_STR(lines[14], sizeof(long) == 8 ? "fairsched_cpumask(101, 16, {0x5, ...})"
					       : "fairsched_cpumask(101, 8, {0x5})");

	struct sockaddr_in sin = { .sin_family = AF_INET };
	inet_pton(AF_INET, "10.1.2.3", &sin.sin_addr);
	CHECK_INT(kernel_venet_ip(&k, 101, VE_IP_ADD, (struct sockaddr *)&sin, sizeof(sin)), 0);
	CHECK_STR(lines[15],
		  "ioctl(/nonexistent/vzctl, VENETCTL_VE_IP_MAP, {veid=101, op=VE_IP_ADD, "
		  "addr=10.1.2.3, addrlen=16})");
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6 };
	inet_pton(AF_INET6, "2001:db8::1", &sin6.sin6_addr);
	CHECK_INT(kernel_venet_ip(&k, 101, VE_IP_DEL, (struct sockaddr *)&sin6, sizeof(sin6)), 0);
	CHECK_STR(lines[16],
		  "ioctl(/nonexistent/vzctl, VENETCTL_VE_IP_MAP, {veid=101, op=VE_IP_DEL, "
		  "addr=2001:db8::1, addrlen=28})");

	CHECK_INT(kernel_quota_ctl(&k, VZ_DQ_ON, 101, NULL, "/vz/private/101"), 0);
	CHECK_STR(lines[17], "ioctl(/nonexistent/vzctl, VZCTL_QUOTA_NEW_CTL, {cmd=VZ_DQ_ON, "
			     "quota_id=101, ve_root=/vz/private/101})");
	struct vz_quota_stat q = { .dq_stat = { .bhardlimit = 2048,
						.bsoftlimit = 1024,
						.bcurrent = 10,
						.ihardlimit = 200,
						.isoftlimit = 100,
						.icurrent = 3 },
				   .dq_info = { .bexpire = 60, .iexpire = 120 } };
	CHECK_INT(kernel_quota_ctl(&k, VZ_DQ_CREATE, 101, &q, NULL), 0);
	CHECK_STR(lines[18], "ioctl(/nonexistent/vzctl, VZCTL_QUOTA_NEW_CTL, {cmd=VZ_DQ_CREATE, "
			     "quota_id=101, qstat={bhardlimit=2048, bsoftlimit=1024, bcurrent=10, "
			     "ihardlimit=200, isoftlimit=100, icurrent=3, bexpire=60, "
			     "iexpire=120}})");
	CHECK_INT(kernel_quota_ctl(&k, VZ_DQ_OFF, 101, NULL, NULL), 0);
	CHECK_STR(lines[19], "ioctl(/nonexistent/vzctl, VZCTL_QUOTA_NEW_CTL, {cmd=VZ_DQ_OFF, "
			     "quota_id=101})");

	/* dev as the kernel decodes it (new_decode_dev): major 8, minor 300 */
	CHECK_INT(kernel_setdevperms(&k, 101, S_IFBLK | VE_USE_MINOR, 0x10082c, 06), 0);
	CHECK_STR(lines[20], "ioctl(/nonexistent/vzctl, VZCTL_SETDEVPERMS, {veid=101, "
			     "type=060030, dev=8:300, mask=06})");
	CHECK_INT(n_lines, 21);

	/* The calls a start adds (kernel-abi.md §2.1, §2.4, §3.2-§3.4, §7, §9.3) */
	char want[512];
	CHECK_INT(kernel_env_create_data(&k, 101, VE_CREATE | VE_EXCLUSIVE, &p,
					 (int)sizeof(struct env_create_param2)),
		  101);
	/* an older block: the kernel reads no known_features, so neither does the record */
	snprintf(want, sizeof(want),
		 "ioctl(/nonexistent/vzctl, VZCTL_ENV_CREATE_DATA, {veid=101, "
		 "flags=VE_CREATE|VE_EXCLUSIVE, class_id=0, data={iptables_mask=0x17, "
		 "feature_mask=0x4, known_features=0, total_vcpus=2}, datalen=%d})",
		 (int)sizeof(struct env_create_param2));
	CHECK_STR(lines[21], want);
	CHECK_INT(kernel_env_create_data(&k, 101, VE_CREATE | VE_EXCLUSIVE, &p, 8), 101);
	CHECK_STR(lines[22], "ioctl(/nonexistent/vzctl, VZCTL_ENV_CREATE_DATA, {veid=101, "
			     "flags=VE_CREATE|VE_EXCLUSIVE, class_id=0, data={iptables_mask=0x17, "
			     "feature_mask=0, known_features=0, total_vcpus=0}, datalen=8})");
	CHECK_INT(kernel_env_enter(&k, 101), 101);
	CHECK_STR(
		lines[23],
		"ioctl(/nonexistent/vzctl, VZCTL_ENV_CREATE, {veid=101, flags=VE_ENTER, class_id=0})");
	CHECK_INT(kernel_ve_configure_os_release(&k, 101, "2.6.32"), 0);
	CHECK_STR(lines[24], "ioctl(/nonexistent/vzctl, VZCTL_VE_CONFIGURE, {veid=101, "
			     "key=VE_CONFIGURE_OS_RELEASE, val=0, size=7, data=\"2.6.32\\0\"})");
	CHECK_INT(kernel_ve_meminfo(&k, 101, VE_MEMINFO_SYSTEM), 0);
	CHECK_STR(lines[25], "ioctl(/nonexistent/vzctl, VZCTL_VE_MEMINFO, {veid=101, "
			     "val=VE_MEMINFO_SYSTEM})");
	CHECK_INT(kernel_ve_meminfo(&k, 101, 65536), 0);
	CHECK_STR(lines[26], "ioctl(/nonexistent/vzctl, VZCTL_VE_MEMINFO, {veid=101, val=65536})");
	CHECK_INT(kernel_ve_netdev(&k, 101, VE_NETDEV_ADD, "eth1"), 0);
	CHECK_STR(lines[27], "ioctl(/nonexistent/vzctl, VZCTL_VE_NETDEV, {veid=101, "
			     "op=VE_NETDEV_ADD, dev_name=\"eth1\"})");
	CHECK_INT(kernel_set_iolimit(&k, 101, 1048576, 3145728, 10000), 0);
	CHECK_STR(lines[28], "ioctl(/nonexistent/vzctl, VZCTL_SET_IOLIMIT, {id=101, "
			     "speed=1048576, burst=3145728, latency=10000})");
	CHECK_INT(kernel_set_iopslimit(&k, 101, 300, 900, 10000), 0);
	CHECK_STR(lines[29], "ioctl(/nonexistent/vzctl, VZCTL_SET_IOPSLIMIT, {id=101, "
			     "speed=300, burst=900, latency=10000})");
	CHECK_INT(kernel_ioprio_set_ubc(&k, 101, 4), 0);
	CHECK_STR(lines[30],
		  "ioprio_set(IOPRIO_WHO_UBC, 101, IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 4))");
	unsigned long nodes[1] = { 0x1 };
	CHECK_INT(kernel_fairsched_nodemask(&k, 101, nodes, sizeof(nodes)), 0);
	snprintf(want, sizeof(want), "fairsched_nodemask(101, %d, {0x1})", (int)sizeof(long));
	CHECK_STR(lines[31], want);
	CHECK_INT(n_lines, 32);

	char buf[64];
	kcall_env_flags(buf, sizeof(buf), VE_ENTER | 0x1000);
	CHECK_STR(buf, "VE_ENTER|0x1000");
	kcall_env_flags(buf, sizeof(buf), 0);
	CHECK_STR(buf, "0");
	CHECK_STR(kcall_ub_name(UB_SWAPPAGES), "UB_SWAPPAGES");
	CHECK(kcall_ub_name(21) == NULL);
	CHECK(kcall_ub_name(UB_RESOURCES) == NULL);
	CHECK_STR(kcall_quota_cmd_name(VZ_DQ_STATUS), "VZ_DQ_STATUS");
	CHECK(kcall_quota_cmd_name(0) == NULL);
	CHECK(kcall_quota_cmd_name(-1) == NULL);
	CHECK_STR(kcall_fairsched_rate_op_name(FAIRSCHED_GET_RATE), "FAIRSCHED_GET_RATE");

	/* Without dry-run the device really is opened: a missing one is a clear error. */
	kernel_set_dry_run(&k, NULL, NULL);
	kernel_done(&k);
	CHECK_INT(kernel_init(&k, "/nonexistent/vzctl"), 0);
	vzl_error *err = NULL;
	CHECK_INT(kernel_open(&k, &err), -ENOENT);
	CHECK(err && strstr(vzl_error_message(err), "/nonexistent/vzctl") != NULL);
	CHECK_INT(vzl_error_step(err), VZL_STEP_KERNEL_OPEN);
	vzl_error_free(err);
	kernel_done(&k);
	return test_summary("test-kernel-print");
}
