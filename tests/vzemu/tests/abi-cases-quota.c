// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Cases of `abi-client cases`: vzquota, first level (VZCTL_QUOTA_NEW_CTL) and second level
 * (VZCTL_QUOTA_UGID_CTL), on a directory under the run's writable directory
 * (fs/quota/vzdquota/vzdq_mgmt.c, vzdq_ugid.c; kernel-abi.md §6).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "abi-cases.h"
#include "abi-proc.h"
#include "openvz.h"

#define QID 4400

static long dq(enum abi_who who, int cmd, unsigned int id, void *qs, const char *root)
{
	static struct vzctl_quotactl q;

	q.cmd = cmd;
	q.quota_id = id;
	q.qstat = qs;
	q.ve_root = (char *)root;
	return abi_as(who, 0, ABI_IOCTL, (long)VZCTL_QUOTA_NEW_CTL, (long)&q, 0, 0, 0);
}

static long ugid(int cmd, unsigned int id, unsigned int index, unsigned int size, void *addr)
{
	struct vzctl_quotaugidctl u = {
		.cmd = cmd, .quota_id = id, .ugid_index = index, .ugid_size = size, .addr = addr
	};

	return abi_call(ABI_IOCTL, (long)VZCTL_QUOTA_UGID_CTL, (long)&u, 0, 0, 0);
}

static void limits(struct vz_quota_stat *qs, uint64_t bhard, uint64_t bsoft, uint64_t bcur,
		   long btime, uint32_t ihard, uint32_t isoft, uint32_t icur)
{
	memset(qs, 0, sizeof(*qs));
	qs->dq_stat.bhardlimit = bhard;
	qs->dq_stat.bsoftlimit = bsoft;
	qs->dq_stat.bcurrent = bcur;
	qs->dq_stat.btime = btime;
	qs->dq_stat.ihardlimit = ihard;
	qs->dq_stat.isoftlimit = isoft;
	qs->dq_stat.icurrent = icur;
}

static void cases_ugid(void)
{
	struct vz_quota_ugid_stat conf = { .limit = 10, .count = 0, .flags = 0xffff0000u };
	struct vz_quota_iface rec[4];
	struct dq_info grace[2];

	abi_expect("quota_ugid_setconfig: user-mask flags -> EINVAL",
		   ugid(VZ_DQ_UGID_SETCONFIG, QID, 0, 0, &conf), -EINVAL);
	conf.flags = VZDQUG_ON;
	abi_expect("quota_ugid_setconfig: VZDQUG_ON", ugid(VZ_DQ_UGID_SETCONFIG, QID, 0, 0, &conf),
		   0);
	memset(rec, 0, sizeof(rec));
	rec[0].qi_id = 500;
	rec[0].qi_type = USRQUOTA;
	rec[0].qi_stat.bhardlimit = 4096; /* a limit: vzquota_put_ugid keeps the record */
	rec[1].qi_id = 100;
	rec[1].qi_type = GRPQUOTA;
	rec[1].qi_stat.bhardlimit = 4096;
	rec[2].qi_id = 7;
	rec[2].qi_type = 2;
	abi_expect("quota_ugid_addstat: stops at qi_type >= MAXQUOTAS",
		   ugid(VZ_DQ_UGID_ADDSTAT, QID, 0, 3, rec), 2);
	abi_expect("quota_ugid_addstat: stops at a fault",
		   ugid(VZ_DQ_UGID_ADDSTAT, QID, 0, 3, abi_unmapped), 0);
	memset(&rec[3], 0, sizeof(rec[3]));
	rec[3].qi_id = 700;
	abi_expect("vzquota_put_ugid: a record without limits or usage is counted as added",
		   ugid(VZ_DQ_UGID_ADDSTAT, QID, 0, 1, &rec[3]), 1);
	memset(&conf, 0, sizeof(conf));
	abi_expect("quota_ugid_getconfig", ugid(VZ_DQ_UGID_GETCONFIG, QID, 0, 0, &conf), 0);
	abi_expect("quota_ugid_getconfig: limit", conf.limit, 10);
	abi_expect("vzquota_put_ugid: count 2, uid 700 dropped again", conf.count, 2);
	abi_expect("quota_ugid_getconfig: flags with the second level on", conf.flags,
		   VZDQUG_ON | VZDQ_USRQUOTA | VZDQ_GRPQUOTA);
	abi_expect("quota_ugid_getstat: size 0 -> ENOMEM (vmalloc(0))",
		   ugid(VZ_DQ_UGID_GETSTAT, QID, 0, 0, rec), -ENOMEM);
	abi_expect("quota_ugid_getstat: negative index -> EINVAL",
		   ugid(VZ_DQ_UGID_GETSTAT, QID, 0x80000000u, 1, rec), -EINVAL);
	abi_expect("quota_ugid_getstat: unknown quota -> ENOENT",
		   ugid(VZ_DQ_UGID_GETSTAT, QID + 1, 0, 4, rec), -ENOENT);
	memset(rec, 0, sizeof(rec));
	abi_expect("quota_ugid_getstat: records copied", ugid(VZ_DQ_UGID_GETSTAT, QID, 0, 4, rec),
		   2);
	abi_expect("do_quota_ugid_getstat: group record second", rec[1].qi_id, 100);
	abi_expect("quota_ugid_getstat: from index 1", ugid(VZ_DQ_UGID_GETSTAT, QID, 1, 4, rec), 1);
	memset(grace, 0, sizeof(grace));
	grace[0].bexpire = 3600;
	grace[0].iexpire = 7200;
	grace[1].bexpire = 60;
	grace[1].iexpire = 120;
	abi_expect("quota_ugid_setgrace: STARTING", ugid(VZ_DQ_UGID_SETGRACE, QID, 0, 0, grace), 0);
	abi_expect("quota_ugid_getgrace: copy fault -> EFAULT",
		   ugid(VZ_DQ_UGID_GETGRACE, QID, 0, 0, abi_unmapped), -EFAULT);
	memset(grace, 0, sizeof(grace));
	ugid(VZ_DQ_UGID_GETGRACE, QID, 0, 0, grace);
	abi_expect("quota_ugid_getgrace: what SETGRACE stored", grace[1].iexpire, 120);
}

void abi_cases_quota(const char *dir)
{
	struct vz_quota_stat qs, bad, out;
	char root[4096], file[4200], detail[4096];
	int fd;

	snprintf(root, sizeof(root), "%s/abi-quota-%d", dir, (int)getpid());
	/* empty: vzquota_check_dtree refuses (EBUSY) a tree with dentries it cannot shrink,
	 * and tmpfs (the real kernel's /tmp in a VM) pins every dentry */
	snprintf(file, sizeof(file), "%s.file", root);
	if (mkdir(root, 0755) < 0 || (fd = open(file, O_WRONLY | O_CREAT, 0644)) < 0) {
		abi_truth("quota: a directory to work on", 0, root);
		return;
	}
	close(fd);
	limits(&qs, 11534336ULL << 10, 10485760ULL << 10, 524288ULL << 10, 0, 220000, 200000,
	       21345);
	abi_expect("do_vzquotactl: no caps -> EPERM", dq(AS_NOCAP, VZ_DQ_STATUS, QID, NULL, NULL),
		   -EPERM);
	abi_expect("do_vzquotactl: unknown cmd -> EINVAL", dq(AS_HOST, 99, QID, NULL, NULL),
		   -EINVAL);
	abi_expect("vzquota_create: copy before the id check -> EFAULT",
		   dq(AS_HOST, VZ_DQ_CREATE, 0, abi_unmapped, NULL), -EFAULT);
	abi_expect("vzquota_create: id 0 -> EINVAL", dq(AS_HOST, VZ_DQ_CREATE, 0, &qs, NULL),
		   -EINVAL);
	limits(&bad, 10, 20, 0, 0, 0, 0, 0);
	abi_expect("vzquota_check_sane_limits: bsoft > bhard -> EINVAL",
		   dq(AS_HOST, VZ_DQ_CREATE, QID, &bad, NULL), -EINVAL);
	limits(&bad, 20, 10, 5, 12345, 0, 0, 0);
	abi_expect("vzquota_check_sane_values: btime under the soft limit -> EINVAL",
		   dq(AS_HOST, VZ_DQ_CREATE, QID, &bad, NULL), -EINVAL);
	abi_expect("vzquota_create: ok", dq(AS_HOST, VZ_DQ_CREATE, QID, &qs, NULL), 0);
	abi_expect("vzquota_alloc_master: exists -> EEXIST",
		   dq(AS_HOST, VZ_DQ_CREATE, QID, &qs, NULL), -EEXIST);
	abi_expect("vzquota_get_status: STARTING", dq(AS_HOST, VZ_DQ_STATUS, QID, NULL, NULL),
		   VZDQ_STARTING);
	abi_expect("vzquota_get_status: unknown -> ESRCH",
		   dq(AS_HOST, VZ_DQ_STATUS, QID + 1, NULL, NULL), -ESRCH);
	abi_expect("vzquota_on: unknown -> ENOENT", dq(AS_HOST, VZ_DQ_ON, QID + 1, NULL, root),
		   -ENOENT);
	abi_expect("vzquota_on: path lookup -> ENOENT",
		   dq(AS_HOST, VZ_DQ_ON, QID, NULL, "/nonexistent/vzemu-test"), -ENOENT);
	abi_expect("vzquota_on: unreadable path -> EFAULT",
		   dq(AS_HOST, VZ_DQ_ON, QID, NULL, abi_unmapped), -EFAULT);
	abi_expect("vzquota_on: not a directory -> ENOTDIR", dq(AS_HOST, VZ_DQ_ON, QID, NULL, file),
		   -ENOTDIR);
	abi_expect("vzquota_off: STARTING -> EALREADY", dq(AS_HOST, VZ_DQ_OFF, QID, NULL, NULL),
		   -EALREADY);
	cases_ugid();
	abi_expect("vzquota_on: directory", dq(AS_HOST, VZ_DQ_ON, QID, NULL, root), 0);
	abi_expect("vzquota_get_status: WORKING", dq(AS_HOST, VZ_DQ_STATUS, QID, NULL, NULL),
		   VZDQ_WORKING);
	abi_expect("vzquota_on: not STARTING -> EBUSY", dq(AS_HOST, VZ_DQ_ON, QID, NULL, root),
		   -EBUSY);
	abi_expect("quota_ugid_addstat: WORKING -> EBUSY",
		   ugid(VZ_DQ_UGID_ADDSTAT, QID, 0, 1, &out), -EBUSY);
	abi_expect("__vzquota_destroy: WORKING -> EBUSY",
		   dq(AS_HOST, VZ_DQ_DESTROY, QID, NULL, NULL), -EBUSY);
	abi_expect("vzquota_setlimit: unknown id before the copy -> ENOENT",
		   dq(AS_HOST, VZ_DQ_SETLIMIT, QID + 1, abi_unmapped, NULL), -ENOENT);
	abi_expect("vzquota_setlimit: copy fault -> EFAULT",
		   dq(AS_HOST, VZ_DQ_SETLIMIT, QID, abi_unmapped, NULL), -EFAULT);
	abi_expect("vzquota_getstat: copy-out fault -> EFAULT",
		   dq(AS_HOST, VZ_DQ_GETSTAT, QID, abi_unmapped, NULL), -EFAULT);
	memset(&out, 0, sizeof(out));
	abi_expect("vzquota_getstat: ok",
		   abi_call(ABI_IOCTL, (long)VZCTL_QUOTA_NEW_CTL,
			    (long)&(struct vzctl_quotactl){ VZ_DQ_GETSTAT, QID, &out, NULL }, 0, 0,
			    0),
		   0);
	abi_expect("vzquota_getstat: bhardlimit as created", (long)out.dq_stat.bhardlimit,
		   (long)(11534336ULL << 10));
	abi_proc_read("/proc/vz/vzquota", detail, sizeof(detail));
	{
		char want[4200];

		snprintf(want, sizeof(want), "%u: %s\n", QID, root);
		abi_truth("vzquota_read_proc: the quota with its path",
			  strstr(detail, want) != NULL, detail);
		abi_truth("vzquota_read_proc: 1k-blocks soft and hard limits",
			  strstr(detail, "       10485760       11534336") != NULL, detail);
	}
	abi_expect("vzquota_off: ok", dq(AS_HOST, VZ_DQ_OFF, QID, NULL, NULL), 0);
	abi_expect("vzquota_off: again -> EALREADY", dq(AS_HOST, VZ_DQ_OFF, QID, NULL, NULL),
		   -EALREADY);
	abi_expect("vzquota_off_file: not file mode -> EINVAL",
		   dq(AS_HOST, VZ_DQ_OFF_FILE, QID, NULL, NULL), -EINVAL);
	limits(&bad, 100, 50, 0, 0, 10, 5, 0);
	abi_expect("vzquota_setlimit: on a quota that is off",
		   dq(AS_HOST, VZ_DQ_SETLIMIT, QID, &bad, NULL), 0);
	abi_expect("vzquota_destroy: ok", dq(AS_HOST, VZ_DQ_DESTROY, QID, NULL, NULL), 0);
	abi_expect("vzquota_destroy: gone -> ENOENT", dq(AS_HOST, VZ_DQ_DESTROY, QID, NULL, NULL),
		   -ENOENT);
	abi_expect("vzquota_ioctl: VZCTL_QUOTA_DEPR_CTL -> ENOTTY",
		   abi_call(ABI_IOCTL, (long)VZCTL_QUOTA_DEPR_CTL, (long)&out, 0, 0, 0), -ENOTTY);
	unlink(file);
	rmdir(root);
}
