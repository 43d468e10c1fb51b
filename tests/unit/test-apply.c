/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The appliers of the parameter table in dry-run: each row's applier is run on a value and
 * the kernel calls it made, as kernel-print.c renders them, are compared with the lines
 * written below from the formulas of vzctl-behaviour.md §3.6 and kernel-abi.md. Bad values
 * and missing companions fail with a message naming the VE and the key, and make no call.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "apply.h"
#include "test.h"

static char lines[32][1024];
static int n_lines;

static void collect(void *userdata, const char *call)
{
	(void)userdata;
	if (n_lines < 32)
		snprintf(lines[n_lines++], sizeof(lines[0]), "%s", call);
}

/* The VE's other keys, for appliers that need them: KEY=VALUE pairs, NULL-ended. */
static const char *const *other_keys;

static const char *value_of(void *userdata, const char *key)
{
	(void)userdata;
	size_t n = strlen(key);
	for (const char *const *kv = other_keys; kv && *kv; kv++)
		if (strncmp(*kv, key, n) == 0 && (*kv)[n] == '=')
			return *kv + n + 1;
	return NULL;
}

static struct kernel k;
static const struct apply_ctx ctx = { .k = &k, .veid = 101, .value_of = value_of };

/* Apply `value` to `key`: the result, with the calls in lines[] and the error in *err. */
static int apply(const char *key, const char *value, vzl_error **err)
{
	const struct param_def *p = param_find(key);
	struct apply_ctx a = ctx;
	a.t = units_native();
	n_lines = 0;
	if (!p || !p->apply) {
		fprintf(stderr, "no row or applier for %s\n", key);
		return -ENOENT;
	}
	return p->apply(&a, p, value, err);
}

/* One applier, one expected call. */
static void expect_one(const char *key, const char *value, const char *line)
{
	CHECK_INT(apply(key, value, NULL), 0);
	CHECK_INT(n_lines, 1);
	CHECK_STR(lines[0], line);
}

/* A refused value: the error names VE 101 and the key, and no call was made. */
static void expect_refused(const char *key, const char *value, int code, const char *needle)
{
	vzl_error *err = NULL;
	CHECK_INT(apply(key, value, &err), -code);
	CHECK_INT(n_lines, 0);
	CHECK(err != NULL);
	if (err) {
		const char *msg = vzl_error_message(err);
		CHECK_INT(vzl_error_veid(err), 101);
		if (!strstr(msg, needle))
			fprintf(stderr, "message \"%s\" lacks \"%s\"\n", msg, needle);
		CHECK(strstr(msg, needle) != NULL);
		vzl_error_free(err);
	}
}

int main(void)
{
	CHECK_INT(kernel_init(&k, "/dev/vzctl"), 0);
	kernel_set_dry_run(&k, collect, NULL);

	/* Beancounters: setublimit with the row's UB_* id, in the resource's unit. */
	expect_one("KMEMSIZE", "2752512:2936012",
		   "setublimit(101, UB_KMEMSIZE, {2752512, 2936012})");
	expect_one("NUMPROC", "unlimited",
		   "setublimit(101, UB_NUMPROC, {UB_MAXVALUE, UB_MAXVALUE})");
	expect_one("PHYSPAGES", "0:262144", "setublimit(101, UB_PHYSPAGES, {0, 262144})");
	expect_one("NUMIPTENT", "200", "setublimit(101, UB_NUMXTENT, {200, 200})");
	expect_one("DCACHESIZE", "1M:2M", "setublimit(101, UB_DCACHESIZE, {1048576, 2097152})");
	expect_one("SWAPPAGES", "0:1G", "setublimit(101, UB_SWAPPAGES, {0, 262144})");

	/* CPU: weight 500000 / units, rate = percent x 1024 / 100, 0 drops the rate. */
	expect_one("CPUUNITS", "1000", "fairsched_chwt(101, 500)");
	expect_one("CPUUNITS", "8", "fairsched_chwt(101, 62500)");
	expect_one("CPULIMIT", "25", "fairsched_rate(101, FAIRSCHED_SET_RATE, 256)");
	expect_one("CPULIMIT", "0", "fairsched_rate(101, FAIRSCHED_DROP_RATE, 0)");
	expect_one("CPUS", "2", "fairsched_vcpus(101, 2)");
	expect_one("CPUMASK", "0,2", "fairsched_cpumask(101, 512, {0x5, ...})");
	expect_one("CPUMASK", "1-3", "fairsched_cpumask(101, 512, {0xe, ...})");
	/* CPUUWEIGHT counts only without CPUUNITS. */
	expect_one("CPUUWEIGHT", "300", "fairsched_chwt(101, 300)");
	const char *const with_units[] = { "CPUUNITS=1000", NULL };
	other_keys = with_units;
	CHECK_INT(apply("CPUUWEIGHT", "300", NULL), 0);
	CHECK_INT(n_lines, 0);
	other_keys = NULL;

	/* venet: one VE_IP_ADD per address; the prefix stays in the config. */
	CHECK_INT(apply("IP_ADDRESS", "10.1.2.3 2001:db8::1/64", NULL), 0);
	CHECK_INT(n_lines, 2);
	CHECK_STR(lines[0], "ioctl(/dev/vzctl, VENETCTL_VE_IP_MAP, {veid=101, op=VE_IP_ADD, "
			    "addr=10.1.2.3, addrlen=16})");
	CHECK_STR(lines[1], "ioctl(/dev/vzctl, VENETCTL_VE_IP_MAP, {veid=101, op=VE_IP_ADD, "
			    "addr=2001:db8::1, addrlen=28})");

	/* Devices: S_IFCHR (020000) | VE_USE_MINOR (030); r = 04, w = 02, q = 010. */
	CHECK_INT(apply("DEVICES", "c:10:200:rw b:8:all:q", NULL), 0);
	CHECK_INT(n_lines, 2);
	CHECK_STR(lines[0], "ioctl(/dev/vzctl, VZCTL_SETDEVPERMS, {veid=101, type=020030, "
			    "dev=10:200, mask=06})");
	/* S_IFBLK (060000) | VE_USE_MAJOR (010) */
	CHECK_STR(lines[1], "ioctl(/dev/vzctl, VZCTL_SETDEVPERMS, {veid=101, type=060010, "
			    "dev=8:0, mask=010})");
	expect_one("DEVICES", "b:8:300:none",
		   "ioctl(/dev/vzctl, VZCTL_SETDEVPERMS, {veid=101, type=060030, dev=8:300, "
		   "mask=0})");

	/* Disk quota: one VZ_DQ_SETLIMIT with all three keys; KiB become bytes. */
	const char *const disk[] = { "DISKSPACE=1048576:1153434", "DISKINODES=200000:220000",
				     "QUOTATIME=600", NULL };
	other_keys = disk;
	const char *const setlimit =
		"ioctl(/dev/vzctl, VZCTL_QUOTA_NEW_CTL, {cmd=VZ_DQ_SETLIMIT, quota_id=101, "
		"qstat={bhardlimit=1181116416, bsoftlimit=1073741824, bcurrent=0, "
		"ihardlimit=220000, isoftlimit=200000, icurrent=0, bexpire=600, iexpire=600}})";
	expect_one("DISKSPACE", "1048576:1153434", setlimit);
	expect_one("DISKINODES", "200000:220000", setlimit);
	expect_one("QUOTATIME", "600", setlimit);
	/* The row's own value wins over the VE's stored one. */
	expect_one("QUOTATIME", "60",
		   "ioctl(/dev/vzctl, VZCTL_QUOTA_NEW_CTL, {cmd=VZ_DQ_SETLIMIT, quota_id=101, "
		   "qstat={bhardlimit=1181116416, bsoftlimit=1073741824, bcurrent=0, "
		   "ihardlimit=220000, isoftlimit=200000, icurrent=0, bexpire=60, iexpire=60}})");
	const char *const no_inodes[] = { "DISKSPACE=1048576:1153434", NULL };
	other_keys = no_inodes;
	expect_refused("DISKSPACE", "1048576:1153434", EINVAL, "DISKINODES is not set");
	other_keys = NULL;

	/* Refused values name the key and the fix; nothing is sent. */
	expect_refused("KMEMSIZE", "lots", EINVAL, "KMEMSIZE: \"lots\" cannot be applied");
	expect_refused("CPUUNITS", "7", EINVAL, "vzlite set 101 --cpuunits");
	expect_refused("CPUMASK", "3-1", EINVAL, "CPUMASK");
	expect_refused("CPUMASK", "auto", EOPNOTSUPP, "CPUMASK=auto");
	expect_refused("IP_ADDRESS", "10.1.2.3 not-an-address", EINVAL, "IP_ADDRESS");
	expect_refused("DEVICES", "x:1:2:r", EINVAL, "DEVICES");

	/* I/O (vzctl-behaviour.md §3.2 step 10.7, kernel-abi.md §7): the best-effort class;
	 * speed L, burst 3L, latency 10000 ms. */
	expect_one("IOPRIO", "6",
		   "ioprio_set(IOPRIO_WHO_UBC, 101, IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 6))");
	expect_one("IOPRIO", "0",
		   "ioprio_set(IOPRIO_WHO_UBC, 101, IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 0))");
	expect_refused("IOPRIO", "8", EINVAL, "vzlite set 101 --ioprio");
	expect_one("IOLIMIT", "1048576",
		   "ioctl(/dev/vzctl, VZCTL_SET_IOLIMIT, {id=101, speed=1048576, burst=3145728, "
		   "latency=10000})");
	expect_one("IOLIMIT", "10M",
		   "ioctl(/dev/vzctl, VZCTL_SET_IOLIMIT, {id=101, speed=10485760, burst=31457280, "
		   "latency=10000})");
	expect_one(
		"IOLIMIT", "0",
		"ioctl(/dev/vzctl, VZCTL_SET_IOLIMIT, {id=101, speed=0, burst=0, latency=10000})");
	/* 3 x (2^31 - 1) does not fit the kernel's unsigned int: the largest burst instead */
	expect_one("IOLIMIT", "2147483647",
		   "ioctl(/dev/vzctl, VZCTL_SET_IOLIMIT, {id=101, speed=2147483647, "
		   "burst=4294967295, latency=10000})");
	expect_refused("IOLIMIT", "fast", EINVAL, "IOLIMIT");
	expect_one("IOPSLIMIT", "300",
		   "ioctl(/dev/vzctl, VZCTL_SET_IOPSLIMIT, {id=101, speed=300, burst=900, "
		   "latency=10000})");
	expect_refused("IOPSLIMIT", "-1", EINVAL, "vzlite set 101 --iopslimit");

	/* NODEMASK: 512 bytes as CPUMASK (§3.6) */
	expect_one("NODEMASK", "0", "fairsched_nodemask(101, 512, {0x1, ...})");
	expect_one("NODEMASK", "0-1", "fairsched_nodemask(101, 512, {0x3, ...})");
	expect_one("NODEMASK", "all", "fairsched_nodemask(101, 512, {0xffffffffffffffff, ...})");
	expect_refused("NODEMASK", "1-0", EINVAL, "NODEMASK");

	/* MEMINFO (kernel-abi.md §3.3; vzctl's meminfo.c): none is VE_MEMINFO_SYSTEM, pages:N
	 * is N, privvmpages:N is N x PRIVVMPAGES' barrier; VSwap configs send nothing. */
	const char *const classic[] = { "PRIVVMPAGES=65536:69632", "PHYSPAGES=0:unlimited", NULL };
	other_keys = classic;
	expect_one("MEMINFO", "none",
		   "ioctl(/dev/vzctl, VZCTL_VE_MEMINFO, {veid=101, val=VE_MEMINFO_SYSTEM})");
	expect_one("MEMINFO", "pages:1000",
		   "ioctl(/dev/vzctl, VZCTL_VE_MEMINFO, {veid=101, val=1000})");
	expect_one("MEMINFO", "privvmpages:1",
		   "ioctl(/dev/vzctl, VZCTL_VE_MEMINFO, {veid=101, val=65536})");
	expect_one("MEMINFO", "privvmpages:2",
		   "ioctl(/dev/vzctl, VZCTL_VE_MEMINFO, {veid=101, val=131072})");
	/* 32-bit-era "unlimited" RAM (2147483647) still counts as classic (§6.6) */
	const char *const classic32[] = { "PRIVVMPAGES=100:200", "PHYSPAGES=0:2147483647", NULL };
	other_keys = classic32;
	expect_one("MEMINFO", "privvmpages:3",
		   "ioctl(/dev/vzctl, VZCTL_VE_MEMINFO, {veid=101, val=300})");
	const char *const vswap[] = { "PRIVVMPAGES=65536:69632", "PHYSPAGES=0:262144", NULL };
	other_keys = vswap;
	CHECK_INT(apply("MEMINFO", "pages:1000", NULL), 0);
	CHECK_INT(n_lines, 0);
	other_keys = NULL; /* privvmpages:N without PRIVVMPAGES: nothing to scale */
	CHECK_INT(apply("MEMINFO", "privvmpages:1", NULL), 0);
	CHECK_INT(n_lines, 0);
	expect_refused("MEMINFO", "pages:0", EINVAL, "vzlite set 101 --meminfo");

	/* DEVNODES: the host's node's type and number, one major:minor; /dev/null is c 1:3.
	 * S_IFCHR (020000) | VE_USE_MINOR (030). */
	expect_one("DEVNODES", "null:rw",
		   "ioctl(/dev/vzctl, VZCTL_SETDEVPERMS, {veid=101, type=020030, dev=1:3, "
		   "mask=06})");
	expect_one("DEVNODES", "null:none",
		   "ioctl(/dev/vzctl, VZCTL_SETDEVPERMS, {veid=101, type=020030, dev=1:3, "
		   "mask=0})");
	/* A missing node anywhere in the list: nothing is sent */
	expect_refused("DEVNODES", "null:r vzlite-no-such-node:r", ENOENT,
		       "/dev/vzlite-no-such-node is not a device node");
	expect_refused("DEVNODES", "../etc/passwd:r", EINVAL, "DEVNODES");

	/* A row whose mechanism vzlite does not issue yet says so instead of succeeding. */
	expect_refused("PCI", "0000:01:00.0", EOPNOTSUPP,
		       "PCI (sysfs ve_device_add) is not implemented");
	/* Rows applied by the start work's files or the config alone make no call. */
	CHECK_INT(apply("HOSTNAME", "ve101.example.org", NULL), 0);
	CHECK_INT(apply("ONBOOT", "yes", NULL), 0);
	CHECK_INT(apply("NETFILTER", "full", NULL), 0);
	CHECK_INT(apply("LOCKDIR", "/vz/lock", NULL), 0);
	CHECK_INT(n_lines, 0);

	kernel_done(&k);
	return test_summary("test-apply");
}
