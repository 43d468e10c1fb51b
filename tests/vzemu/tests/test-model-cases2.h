/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* More cases of test-model.c: quota, iolimit, ioprio, lchmod/lutime, reboot, stop, state. */
#ifndef TEST_MODEL_CASES2_H
#define TEST_MODEL_CASES2_H

/* quotactl, x86_64 layout: cmd, id, qstat, ve_root */
static long qctl(const struct emu_caller *c, int cmd, unsigned int id, uint64_t qstat,
		 uint64_t root)
{
	w32(A_S, (uint32_t)cmd);
	w32(A_S + 4, id);
	w64(A_S + 8, qstat);
	w64(A_S + 16, root);
	return ioc(c, VZCTL_QUOTA_NEW_CTL, A_S);
}

static long ugid(const struct emu_caller *c, int cmd, unsigned int id, unsigned int index,
		 unsigned int size, uint64_t addr)
{
	w32(A_S, (uint32_t)cmd);
	w32(A_S + 4, id);
	w32(A_S + 8, index);
	w32(A_S + 12, size);
	w64(A_S + 16, addr);
	return ioc(c, VZCTL_QUOTA_UGID_CTL, A_S);
}

/* struct vz_quota_stat (x86_64): dq_stat 56 bytes then dq_info */
static void qstat_put(uint64_t a, uint64_t bh, uint64_t bs, uint64_t bc, int64_t bt, uint32_t ih,
		      uint32_t is, uint32_t icur, int64_t it)
{
	memset(arena + (a - BASE), 0, 80);
	w64(a, bh);
	w64(a + 8, bs);
	w64(a + 16, (uint64_t)bt);
	w64(a + 24, bc);
	w32(a + 32, ih);
	w32(a + 36, is);
	w64(a + 40, (uint64_t)it);
	w32(a + 48, icur);
}

static void cases_quota(void)
{
	struct emu_caller h = host(), n = nocaps(), r = host();
	char *t;
	int e;

	r.cap_effective = 1ULL << M_CAP_SYS_RESOURCE;
	/* fs/quota/vzdquota/vzdq_mgmt.c: do_vzquotactl, vzquota_create, … */
	qstat_put(A_P, 11534336ULL << 10, 10485760ULL << 10, 524288ULL << 10, 0, 220000, 200000,
		  21345, 0);
	EQ("do_vzquotactl: CAP_SYS_RESOURCE alone -> EPERM", qctl(&r, VZ_DQ_CREATE, 101, A_P, 0),
	   -EPERM);
	EQ("do_vzquotactl: no caps -> EPERM", qctl(&n, VZ_DQ_STATUS, 101, 0, 0), -EPERM);
	EQ("do_vzquotactl: unknown cmd -> EINVAL", qctl(&h, 99, 101, 0, 0), -EINVAL);
	EQ("vzquota_create: copy before the id check -> EFAULT", qctl(&h, VZ_DQ_CREATE, 0, BAD, 0),
	   -EFAULT);
	EQ("vzquota_create: id 0 -> EINVAL", qctl(&h, VZ_DQ_CREATE, 0, A_P, 0), -EINVAL);
	qstat_put(A_BUF, 10, 20, 0, 0, 0, 0, 0, 0);
	EQ("vzquota_check_sane_limits: bsoft > bhard -> EINVAL",
	   qctl(&h, VZ_DQ_CREATE, 101, A_BUF, 0), -EINVAL);
	qstat_put(A_BUF, 20, 10, 5, 12345, 0, 0, 0, 0);
	EQ("vzquota_check_sane_values: btime under the soft limit -> EINVAL",
	   qctl(&h, VZ_DQ_CREATE, 101, A_BUF, 0), -EINVAL);
	EQ("vzquota_create: ok", qctl(&h, VZ_DQ_CREATE, 101, A_P, 0), 0);
	EQ("vzquota_alloc_master: exists -> EEXIST", qctl(&h, VZ_DQ_CREATE, 101, A_P, 0), -EEXIST);
	EQ("vzquota_get_status: STARTING", qctl(&h, VZ_DQ_STATUS, 101, 0, 0), VZDQ_STARTING);
	EQ("vzquota_get_status: unknown -> ESRCH", qctl(&h, VZ_DQ_STATUS, 4244, 0, 0), -ESRCH);
	EQ("vzquota_on: unknown -> ENOENT", qctl(&h, VZ_DQ_ON, 4244, 0, BASE + 512), -ENOENT);
	strcpy((char *)arena + 512, "/nonexistent/vzemu-test");
	EQ("vzquota_on: path lookup -> ENOENT", qctl(&h, VZ_DQ_ON, 101, 0, BASE + 512), -ENOENT);
	EQ("vzquota_on: unreadable path -> EFAULT", qctl(&h, VZ_DQ_ON, 101, 0, BAD), -EFAULT);
	strcpy((char *)arena + 512, "/proc/self/stat");
	EQ("vzquota_on: not a directory -> ENOTDIR", qctl(&h, VZ_DQ_ON, 101, 0, BASE + 512),
	   -ENOTDIR);
	EQ("vzquota_off: STARTING -> EALREADY", qctl(&h, VZ_DQ_OFF, 101, 0, 0), -EALREADY);
	/* UGID setup happens while STARTING */
	EQ("quota_ugid_addstat: ugid_max 0 accepts nothing",
	   ugid(&h, VZ_DQ_UGID_ADDSTAT, 101, 0, 1, A_BUF), 0);
	w32(A_BUF, 10);
	w32(A_BUF + 4, 0);
	w32(A_BUF + 8, 0xffff0000u);
	EQ("quota_ugid_setconfig: user-mask flags -> EINVAL",
	   ugid(&h, VZ_DQ_UGID_SETCONFIG, 101, 0, 0, A_BUF), -EINVAL);
	w32(A_BUF, 0);
	w32(A_S + 16, 0);
	EQ("quota_ugid_getconfig: limit stored despite EINVAL", ({
		   ugid(&h, VZ_DQ_UGID_GETCONFIG, 101, 0, 0, A_BUF);
		   r32(A_BUF);
	   }),
	   10);
	w32(A_BUF + 8, VZDQUG_ON);
	EQ("quota_ugid_setconfig: VZDQUG_ON", ugid(&h, VZ_DQ_UGID_SETCONFIG, 101, 0, 0, A_BUF), 0);
	memset(arena + 4096, 0, 256);
	w32(A_BUF, 500);      /* uid 500 */
	w64(A_BUF + 8, 4096); /* a limit: vzquota_put_ugid keeps the record */
	w32(A_BUF + 64, 100); /* gid 100 */
	w64(A_BUF + 64 + 8, 4096);
	w32(A_BUF + 68, GRPQUOTA);
	w32(A_BUF + 128, 7);
	w32(A_BUF + 132, 2); /* bad type stops the load */
	EQ("quota_ugid_addstat: stops at qi_type >= MAXQUOTAS",
	   ugid(&h, VZ_DQ_UGID_ADDSTAT, 101, 0, 3, A_BUF), 2);
	EQ("quota_ugid_addstat: stops at a fault", ugid(&h, VZ_DQ_UGID_ADDSTAT, 101, 0, 3, BAD), 0);
	memset(arena + 4096 + 192, 0, 64);
	w32(A_BUF + 192, 700);
	EQ("vzquota_put_ugid: a record without limits or usage is counted as added",
	   ugid(&h, VZ_DQ_UGID_ADDSTAT, 101, 0, 1, A_BUF + 192), 1);
	EQ("quota_ugid_getconfig: count 2, uid 700 dropped by vzquota_put_ugid", ({
		   ugid(&h, VZ_DQ_UGID_GETCONFIG, 101, 0, 0, A_BUF);
		   r32(A_BUF + 4);
	   }),
	   2);
	EQ("quota_ugid_getconfig: flags with the second level on", r32(A_BUF + 8),
	   VZDQUG_ON | VZDQ_USRQUOTA | VZDQ_GRPQUOTA);
	EQ("quota_ugid_getstat: size 0 -> ENOMEM (vmalloc(0))",
	   ugid(&h, VZ_DQ_UGID_GETSTAT, 101, 0, 0, A_BUF), -ENOMEM);
	EQ("quota_ugid_getstat: negative index -> EINVAL",
	   ugid(&h, VZ_DQ_UGID_GETSTAT, 101, 0x80000000u, 1, A_BUF), -EINVAL);
	EQ("quota_ugid_getstat: unknown quota -> ENOENT",
	   ugid(&h, VZ_DQ_UGID_GETSTAT, 4244, 0, 4, A_BUF), -ENOENT);
	EQ("quota_ugid_getstat: records copied", ugid(&h, VZ_DQ_UGID_GETSTAT, 101, 0, 4, A_BUF), 2);
	EQ("do_quota_ugid_getstat: group record second", r32(A_BUF + 64), 100);
	EQ("quota_ugid_getstat: from index 1", ugid(&h, VZ_DQ_UGID_GETSTAT, 101, 1, 4, A_BUF), 1);
	EQ("quota_ugid_setlimit: unknown quota -> ESRCH",
	   ugid(&h, VZ_DQ_UGID_SETLIMIT, 4244, 0, 0, A_BUF), -ESRCH);
	memset(arena + 4096, 0, 128);
	w32(A_BUF, USRQUOTA);
	w32(A_BUF + 4, 500);
	w64(A_BUF + 8, 2000);
	w64(A_BUF + 16, 1000);
	w32(A_BUF + 72, QIF_BLIMITS);
	EQ("__vz_set_dqblk: block limits", ugid(&h, VZ_DQ_UGID_SETLIMIT, 101, 0, 0, A_BUF), 0);
	w32(A_BUF + 4, 501);
	/* the bad qi_type stopped ADDSTAT without VZDQUG_FIXED_SET: 2 < ugid_max 10 */
	EQ("__vzquota_find_ugid: SETLIMIT creates a record below ugid_max",
	   ugid(&h, VZ_DQ_UGID_SETLIMIT, 101, 0, 0, A_BUF), 0);
	w32(A_BUF, 3);
	w32(A_BUF + 8, VZDQUG_ON);
	EQ("quota_ugid_setconfig: limit 3 while STARTING",
	   ugid(&h, VZ_DQ_UGID_SETCONFIG, 101, 0, 0, A_BUF), 0);
	memset(arena + 4096, 0, 128);
	w32(A_BUF, 600);
	w32(A_BUF + 64, 601);
	EQ("quota_ugid_addstat: limit reached after one record",
	   ugid(&h, VZ_DQ_UGID_ADDSTAT, 101, 0, 2, A_BUF), 0);
	memset(arena + 4096, 0, 128);
	w32(A_BUF, USRQUOTA);
	w32(A_BUF + 4, 502);
	w32(A_BUF + 72, QIF_BLIMITS);
	EQ("__vzquota_find_ugid: limit reached -> ESRCH",
	   ugid(&h, VZ_DQ_UGID_SETLIMIT, 101, 0, 0, A_BUF), -ESRCH);
	w32(A_BUF, 10); /* SETCONFIG replaces the flags: FIXED_SET only if given */
	w32(A_BUF + 8, VZDQUG_ON | VZDQUG_FIXED_SET);
	ugid(&h, VZ_DQ_UGID_SETCONFIG, 101, 0, 0, A_BUF);
	memset(arena + 4096, 0, 128);
	w32(A_BUF, USRQUOTA);
	w32(A_BUF + 4, 503);
	w32(A_BUF + 72, QIF_BLIMITS);
	EQ("__vzquota_find_ugid: VZDQUG_FIXED_SET -> ESRCH",
	   ugid(&h, VZ_DQ_UGID_SETLIMIT, 101, 0, 0, A_BUF), -ESRCH);
	w32(A_BUF, 5);
	ugid(&h, VZ_DQ_UGID_SETLIMIT, 101, 0, 0, A_BUF);
	EQ("__vz_set_dqblk: type 5 is a kernel hazard (KILL_CALLER)", eff.kind,
	   EMU_EFFECT_KILL_CALLER);
	memset(arena + 4096, 0, 64);
	w32(A_BUF + 8 + 16, 1);
	w32(A_BUF + 8 + 20, IIF_FLAGS);
	EQ("__vz_set_dqinfo: IIF_FLAGS with DQF_MASK bits -> EINVAL",
	   ugid(&h, VZ_DQ_UGID_SETINFO, 101, 0, 0, A_BUF), -EINVAL);
	EQ("quota_ugid_setinfo: unknown quota -> ESRCH",
	   ugid(&h, VZ_DQ_UGID_SETINFO, 4244, 0, 0, A_BUF), -ESRCH);
	w64(A_BUF, 3600);
	w64(A_BUF + 8, 7200);
	w64(A_BUF + 24, 60);
	w64(A_BUF + 32, 120);
	EQ("quota_ugid_setgrace: STARTING", ugid(&h, VZ_DQ_UGID_SETGRACE, 101, 0, 0, A_BUF), 0);
	EQ("quota_ugid_getgrace: copy fault -> EFAULT",
	   ugid(&h, VZ_DQ_UGID_GETGRACE, 101, 0, 0, BAD), -EFAULT);
	strcpy((char *)arena + 512, "/tmp");
	EQ("vzquota_on: directory", qctl(&h, VZ_DQ_ON, 101, 0, BASE + 512), 0);
	EQ("vzquota_get_status: WORKING", qctl(&h, VZ_DQ_STATUS, 101, 0, 0), VZDQ_WORKING);
	EQ("vzquota_on: not STARTING -> EBUSY", qctl(&h, VZ_DQ_ON, 101, 0, BASE + 512), -EBUSY);
	EQ("quota_ugid_addstat: WORKING -> EBUSY", ugid(&h, VZ_DQ_UGID_ADDSTAT, 101, 0, 1, A_BUF),
	   -EBUSY);
	EQ("quota_ugid_setgrace: WORKING -> EBUSY", ugid(&h, VZ_DQ_UGID_SETGRACE, 101, 0, 0, A_BUF),
	   -EBUSY);
	EQ("__vzquota_destroy: WORKING -> EBUSY", qctl(&h, VZ_DQ_DESTROY, 101, 0, 0), -EBUSY);
	EQ("vzquota_setlimit: unknown id before the copy -> ENOENT",
	   qctl(&h, VZ_DQ_SETLIMIT, 4244, BAD, 0), -ENOENT);
	EQ("vzquota_setlimit: copy fault -> EFAULT", qctl(&h, VZ_DQ_SETLIMIT, 101, BAD, 0),
	   -EFAULT);
	EQ("vzquota_getstat: copy-out fault -> EFAULT", qctl(&h, VZ_DQ_GETSTAT, 101, BAD, 0),
	   -EFAULT);
	EQ("vzquota_getstat: ok", qctl(&h, VZ_DQ_GETSTAT, 101, A_BUF, 0), 0);
	EQ("vzquota_getstat: bcurrent at offset 24", r64(A_BUF + 24), 524288ULL << 10);
	EQ("vzquota_getstat: icurrent at offset 48", r32(A_BUF + 48), 21345);
	t = render(&h, "/proc/vz/vzquota", &e);
	contains(
		"vzquota_read_proc (§13.6)", t,
		"qid: path            usage      softlimit      hardlimit       time     expire\n"
		"101: /tmp\n"
		"  1k-blocks         524288       10485760       11534336          0          0\n"
		"     inodes          21345         200000         220000          0          0\n");
	free(t);
	EQ("vzquota_off: ok", qctl(&h, VZ_DQ_OFF, 101, 0, A_BUF), 0);
	EQ("vzquota_off: again -> EALREADY", qctl(&h, VZ_DQ_OFF, 101, 0, 0), -EALREADY);
	EQ("vzquota_off_file: not file mode -> EINVAL", qctl(&h, VZ_DQ_OFF_FILE, 101, 0, 0),
	   -EINVAL);
	qstat_put(A_BUF, 100, 50, 0, 0, 10, 5, 0, 0);
	EQ("vzquota_setlimit: on a quota that is off", qctl(&h, VZ_DQ_SETLIMIT, 101, A_BUF, 0), 0);
	t = render(&h, "/proc/vz/vzquota", &e);
	contains("print_proc_master_id: STOPING", t, "101: -- stopped --\n");
	free(t);
	EQ("vzquota_destroy: ok", qctl(&h, VZ_DQ_DESTROY, 101, 0, 0), 0);
	EQ("vzquota_destroy: gone -> ENOENT", qctl(&h, VZ_DQ_DESTROY, 101, 0, 0), -ENOENT);
	EQ("vzquota_ioctl: VZCTL_QUOTA_DEPR_CTL -> ENOTTY", ioc(&h, VZCTL_QUOTA_DEPR_CTL, A_S),
	   -ENOTTY);
	h.compat32 = true;
	EQ("compat_vzquota_ioctl: unknown -> EINVAL", ioc(&h, VZCTL_QUOTA_DEPR_CTL, A_S), -EINVAL);
	/* compat: the kernel's compat_dq_stat puts bcurrent at 24 */
	memset(arena + 1024, 0, 64);
	w64(A_P, 100);
	w64(A_P + 8, 50);
	w64(A_P + 24, 7);
	w32(A_S, VZ_DQ_CREATE);
	w32(A_S + 4, 77);
	w32(A_S + 8, (uint32_t)A_P);
	w32(A_S + 12, 0);
	EQ("compat_vzquota_ioctl: VZCTL_COMPAT_QUOTA_CTL create",
	   ioc(&h, VZCTL_COMPAT_QUOTA_CTL, A_S), 0);
	h.compat32 = false;
	EQ("compat_dqstat2dqstat: bcurrent read at compat offset 24",
	   (qctl(&h, VZ_DQ_GETSTAT, 77, A_BUF, 0), r64(A_BUF + 24)), 7);
	qctl(&h, VZ_DQ_DESTROY, 77, 0, 0);
}

static void cases_misc(void)
{
	struct emu_caller h = host(), n = nocaps(), v = inve(101);
	char path[] = "/tmp/vzemu-test-model-XXXXXX";
	struct stat st;
	int fd;

	/* kernel/ve/vziolimit.c: iolimit_ioctl */
	w32(A_S, 4244);
	EQ("iolimit_ioctl: no bc -> ENOENT", ioc(&n, VZCTL_SET_IOLIMIT, A_S), -ENOENT);
	EQ("iolimit_ioctl: copy fault -> EFAULT", ioc(&n, VZCTL_SET_IOLIMIT, BAD), -EFAULT);
	EQ("iolimit_ioctl: unknown 'I' number -> ENOTTY", ioc(&n, 0x40104905, A_S), -ENOTTY);
	w32(A_S, 101);
	EQ("iolimit_ioctl: GET before SET -> ENXIO", ioc(&n, VZCTL_GET_IOLIMIT, A_S), -ENXIO);
	w32(A_S + 4, 10485760);
	w32(A_S + 8, 20971520);
	w32(A_S + 12, 2000);
	EQ("iolimit_ioctl: SET without capabilities", ioc(&n, VZCTL_SET_IOLIMIT, A_S), 0);
	memset(arena + 4, 0, 12);
	EQ("iolimit_ioctl: GET", ioc(&n, VZCTL_GET_IOLIMIT, A_S), 0);
	EQ("throttle_state: speed", r32(A_S + 4), 10485760);
	EQ("throttle_state: latency in ms", r32(A_S + 12), 2000);
	EQ("iolimit_ioctl: GET_IOPSLIMIT after SET_IOLIMIT (shared iolimit)",
	   ioc(&n, VZCTL_GET_IOPSLIMIT, A_S), 0);
	/* fs/ioprio.c: sys_ioprio_set; kernel/bc/io_prio.c: ub_set_ioprio */
	EQ("sys_ioprio_set: WHO_UBC inside a VE -> EPERM",
	   sys(&v, 251, IOPRIO_WHO_UBC, 101, (2 << 13) | 4, 0, 0), -EPERM);
	EQ("sys_ioprio_set: RT without CAP_SYS_ADMIN -> EPERM",
	   sys(&n, 251, IOPRIO_WHO_UBC, 101, (1 << 13) | 4, 0, 0), -EPERM);
	EQ("sys_ioprio_set: BE data 8 -> EINVAL",
	   sys(&n, 251, IOPRIO_WHO_UBC, 101, (2 << 13) | 8, 0, 0), -EINVAL);
	EQ("sys_ioprio_set: NONE with data -> EINVAL", sys(&n, 251, IOPRIO_WHO_UBC, 101, 1, 0, 0),
	   -EINVAL);
	EQ("sys_ioprio_set: IDLE -> ERANGE", sys(&n, 251, IOPRIO_WHO_UBC, 101, (3 << 13) | 5, 0, 0),
	   -ERANGE);
	EQ("sys_ioprio_set: class 5 -> EINVAL", sys(&n, 251, IOPRIO_WHO_UBC, 101, 5 << 13, 0, 0),
	   -EINVAL);
	EQ("ub_set_ioprio: no bc -> ESRCH", sys(&n, 251, IOPRIO_WHO_UBC, 4244, (2 << 13) | 4, 0, 0),
	   -ESRCH);
	EQ("ub_set_ioprio: no capability needed on the host",
	   sys(&n, 251, IOPRIO_WHO_UBC, 101, (2 << 13) | 4, 0, 0), 0);
	/* fs/open.c: sys_lchmod; fs/utimes.c: sys_lutime */
	fd = mkstemp(path);
	close(fd);
	strcpy((char *)arena + 512, path);
	EQ("sys_lchmod: unreadable path -> EFAULT", sys(&h, __NR_lchmod, BAD, 0600, 0, 0, 0),
	   -EFAULT);
	arena[600] = 0;
	EQ("sys_lchmod: empty path -> ENOENT", sys(&h, __NR_lchmod, BASE + 600, 0600, 0, 0, 0),
	   -ENOENT);
	EQ("sys_lchmod: chmod", sys(&h, __NR_lchmod, BASE + 512, 0604, 0, 0, 0), 0);
	stat(path, &st);
	EQ("sys_lchmod: mode applied", st.st_mode & 07777, 0604);
	w64(A_BUF, 1000000000);
	w64(A_BUF + 8, 1200000000);
	EQ("sys_lutime: times", sys(&h, __NR_lutime, BASE + 512, A_BUF, 0, 0, 0), 0);
	stat(path, &st);
	EQ("sys_lutime: modtime applied", st.st_mtime, 1200000000);
	EQ("sys_lutime: times unreadable -> EFAULT", sys(&h, __NR_lutime, BASE + 512, BAD, 0, 0, 0),
	   -EFAULT);
	unlink(path);
	EQ("sys_lutime: missing file -> ENOENT", sys(&h, __NR_lutime, BASE + 512, 0, 0, 0, 0),
	   -ENOENT);
	EQ("sys_ni_syscall: unknown number -> ENOSYS", sys(&h, 496, 0, 0, 0, 0, 0), -ENOSYS);
	/* kernel/sys.c: sys_reboot */
	EQ("sys_reboot: no CAP_SYS_BOOT -> EPERM",
	   model_reboot(M, &n, (int)0xfee1dead, 672274793, 0xCDEF0123U, &eff), -EPERM);
	EQ("sys_reboot: bad magic -> EINVAL", model_reboot(M, &v, 1, 672274793, 0xCDEF0123U, &eff),
	   -EINVAL);
	EQ("sys_reboot: CAD_ON in a VE -> 0",
	   model_reboot(M, &v, (int)0xfee1dead, 85072278, 0x89ABCDEFU, &eff), 0);
	EQ("sys_reboot: unknown cmd in a VE -> EINVAL",
	   model_reboot(M, &v, (int)0xfee1dead, 85072278, 0x12345U, &eff), -EINVAL);
	model_reboot(M, &v, (int)0xfee1dead, 672274793, 0xCDEF0123U, &eff);
	EQ("sys_reboot: HALT in a VE kills its init (VE_STOP)", eff.kind, EMU_EFFECT_VE_STOP);
	model_reboot(M, &v, (int)0xfee1dead, 672274793, 0x01234567U, &eff);
	EQ("sys_reboot: RESTART in a VE (VE_RESTART)", eff.kind, EMU_EFFECT_VE_RESTART);
}

/* kernel/exit.c: do_initproc_exit; kernel/ve/vecalls.c: env_cleanup (§2.5, §12.3) */
static void cases_stop(const char *dir, pid_t init)
{
	struct emu_caller h = host(), ic = host();
	int status;

	ic.pid = init;
	param(VE_IP_DEFAULT, 0, 0, 0);
	EQ("ve_list_add survives model_unlock/model_lock",
	   (model_unlock(M), model_lock(M), env_create(&h, 101, VE_TEST)), 0);
	EQ("model_ve_running: live init", model_ve_running(M, 101), 1);
	model_init_exited(M, 101);
	EQ("do_initproc_exit: TEST still 0", env_create(&h, 101, VE_TEST), 0);
	EQ("do_env_enter: stopping -> EBUSY", env_create(&h, 101, VE_ENTER), -EBUSY);
	EQ("real_env_create: CREATE on a stopping VE -> EBUSY",
	   create_data(&ic, 101, VE_CREATE, 32, A_P), -EBUSY);
	EQ("real_env_create: CREATE|EXCL on a stopping VE -> EACCES",
	   create_data(&ic, 101, VE_CREATE | VE_EXCLUSIVE, 32, A_P), -EACCES);
	EQ("real_ve_ip_map: ADD to a stopping VE -> ESRCH",
	   ipmap(&h, 101, VE_IP_ADD, "10.0.0.7", 16), -ESRCH);
	EQ("real_setdevperms: stopping VE -> ESRCH", devperms(&h, 101, S_IFCHR, 0x103, 06), -ESRCH);
	EQ("model_ve_running: stopping", model_ve_running(M, 101), 0);
	model_ve_empty(M, 101);
	EQ("env_cleanup: off the list -> ESRCH", env_create(&h, 101, VE_TEST), -ESRCH);
	EQ("env_cleanup: fairsched node removed",
	   sys(&h, __NR_fairsched_rate, 101, FAIRSCHED_GET_RATE, 0, 0, 0), -ENOENT);
	EQ("veip_stop: address free again", ipmap(&h, 102, VE_IP_ADD, "10.0.0.101", 16), 0);
	w64(A_BUF, 1);
	w64(A_BUF + 8, 1);
	EQ("env_cleanup: the beancounter stays", sys(&h, __NR_setublimit, 101, 0, A_BUF, 0, 0), 0);
	/* a dead init with its supervisor gone: the next run's model_lock removes the VE */
	kill(init, SIGKILL);
	waitpid(init, &status, 0);
	{
		struct m_ve *ve = ve_find(M, 102);

		if (ve)
			ve->owner_pid = 0x3ffffff0, ve->owner_start = 1;
	}
	model_unlock(M);
	model_lock(M);
	EQ("model_lock: VE 102 with dead init and owner removed", env_create(&h, 102, VE_TEST),
	   -ESRCH);
	EQ("model_lock: its IP dropped", ipmap(&h, 999, VE_IP_DEL, "10.0.0.101", 16),
	   -EADDRNOTAVAIL);
	model_unlock(M);
	model_close(M);
	EQ("model_reset", model_reset(dir), 0);
	EQ("model_open after reset", model_open(&M, dir), 0);
	model_lock(M);
	EQ("model_reset: no bc 101 in a fresh state", sys(&h, __NR_setublimit, 101, 0, A_BUF, 0, 0),
	   -ENOENT);
}

static void run_cases(const char *dir)
{
	pid_t init = spawn_init();

	cases_env(init);
	cases_ve_misc();
	cases_venet();
	cases_veth(dir);
	cases_ubc();
	cases_fairsched();
	cases_quota();
	cases_misc();
	cases_stop(dir, init);
	cases_veth_after_stop();
	model_unlock(M);
	model_close(M);
}

#endif
