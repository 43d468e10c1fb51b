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

#include "kernel.h"
#include "test.h"

static char lines[16][512];
static int n_lines;

static void collect(void *userdata, const char *call)
{
	(void)userdata;
	if (n_lines < 16)
		snprintf(lines[n_lines++], sizeof(lines[0]), "%s", call);
}

int main(void)
{
	struct kernel k;
	CHECK_INT(kernel_init(&k, "/nonexistent/vzctl"), 0);
	kernel_set_dry_run(&k, collect, NULL);

	CHECK_INT(kernel_open(&k, NULL), 0);
	CHECK_STR(lines[0], "open(/nonexistent/vzctl, O_RDWR)");
	CHECK_INT(kernel_open(&k, NULL), 0); /* idempotent: recorded once */
	CHECK_INT(n_lines, 1);

	/* The issue's own example line. */
	CHECK_INT(kernel_setublimit(&k, 101, UB_KMEMSIZE, 2752512, 2936012), 0);
	CHECK_STR(lines[1], "setublimit(101, UB_KMEMSIZE, 2752512:2936012)");
	CHECK_INT(kernel_setublimit(&k, 101, UB_NUMPROC, (unsigned long)UB_MAXVALUE,
				    (unsigned long)UB_MAXVALUE),
		  0);
	CHECK_STR(lines[2], "setublimit(101, UB_NUMPROC, unlimited:unlimited)");
	CHECK_INT(kernel_setublimit(&k, 5, 99, 1, 2), 0);
	CHECK_STR(lines[3], "setublimit(5, 99, 1:2)");

	CHECK_INT(kernel_setluid(&k, 101), 0);
	CHECK_STR(lines[4], "setluid(101)");

	struct env_create_param3 p = { .iptables_mask = 0x17, .total_vcpus = 2 };
	CHECK_INT(kernel_env_create(&k, 101, VE_CREATE | VE_EXCLUSIVE, &p, sizeof(p)), 101);
	CHECK(strstr(lines[5], "VZCTL_ENV_CREATE_DATA, {veid=101, flags=VE_CREATE|VE_EXCLUSIVE,") !=
	      NULL);
	CHECK(strstr(lines[5], "total_vcpus=2, datalen=32})") != NULL);
	CHECK_INT(kernel_env_create(&k, 101, VE_TEST, &p, sizeof(p)), 0);

	CHECK_INT(kernel_fairsched_rate(&k, 101, FAIRSCHED_SET_RATE, 512), 512);
	CHECK_STR(lines[7], "fairsched_rate(101, FAIRSCHED_SET_RATE, 512)");
	CHECK_INT(kernel_fairsched_chwt(&k, 101, 500), 0);
	CHECK_STR(lines[8], "fairsched_chwt(101, 500)");

	struct sockaddr_in sin = { .sin_family = AF_INET };
	inet_pton(AF_INET, "10.1.2.3", &sin.sin_addr);
	CHECK_INT(kernel_venet_ip(&k, 101, VE_IP_ADD, (struct sockaddr *)&sin, sizeof(sin)), 0);
	CHECK_STR(lines[9],
		  "ioctl(/nonexistent/vzctl, VENETCTL_VE_IP_MAP, {veid=101, op=VE_IP_ADD, "
		  "addr=10.1.2.3})");

	CHECK_INT(kernel_quota_ctl(&k, VZ_DQ_ON, 101, NULL, "/vz/private/101"), 0);
	CHECK_STR(lines[10], "ioctl(/nonexistent/vzctl, VZCTL_QUOTA_NEW_CTL, {cmd=VZ_DQ_ON, "
			     "quota_id=101, ve_root=/vz/private/101})");

	char buf[64];
	kernel_print_env_flags(buf, sizeof(buf), VE_ENTER | 0x1000);
	CHECK_STR(buf, "VE_ENTER|0x1000");
	kernel_print_env_flags(buf, sizeof(buf), 0);
	CHECK_STR(buf, "0");
	CHECK_STR(kernel_ub_name(UB_SWAPPAGES), "UB_SWAPPAGES");
	CHECK(kernel_ub_name(UB_RESOURCES) == NULL);

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
