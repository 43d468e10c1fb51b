/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-model.c: what the 042stab kernel does by itself when a VE stops, and what it leaves
 * behind (tests/vzemu/README.md "Stop semantics"). Each case names the kernel function the
 * expected answer was read from. Runs on a fresh state of its own.
 */
#ifndef TEST_MODEL_STOP_H
#define TEST_MODEL_STOP_H

#define R_M1 ((int)0xfee1dead)
#define R_M2 672274793

static void reap_child(pid_t p)
{
	kill(p, SIGKILL);
	waitpid(p, NULL, 0);
}

/* /proc/user_beancounters row of one resource: held maxheld barrier limit failcnt */
static void ubc_row(char *out, size_t len, const char *res, unsigned long long held,
		    unsigned long long barrier, unsigned long long limit)
{
	snprintf(out, len, "%10s  %-12s %20llu %20llu %20llu %20llu %20llu\n", "", res, held, held,
		 barrier, limit, 0ULL);
}

/* kernel/sys.c: sys_reboot — the VE branch signals the init and returns; nothing else */
static void cases_stop_reboot(const char *state_dir, unsigned int veid)
{
	struct emu_caller v = inve(veid), vn = inve(veid);

	vn.cap_effective &= ~(1ULL << M_CAP_SYS_BOOT);
	EQ("sys_reboot: capable(CAP_SYS_BOOT) first, also in a VE -> EPERM",
	   model_reboot(M, &vn, 1, 2, 0x12345U, &eff), -EPERM);
	EQ("sys_reboot: magic checked before the VE branch -> EINVAL",
	   model_reboot(M, &v, R_M1, 1, 0x4321FEDCU, &eff), -EINVAL);
	EQ("sys_reboot: POWER_OFF in a VE returns 0",
	   model_reboot(M, &v, R_M1, R_M2, 0x4321FEDCU, &eff), 0);
	EQ("sys_reboot: POWER_OFF -> force_sig(SIGKILL, get_exec_env_init()) (VE_STOP)",
	   eff.kind == EMU_EFFECT_VE_STOP && eff.veid == veid, 1);
	EQ("sys_reboot: POWER_OFF does not set VE_REBOOT (vzevent sends ve-stop)",
	   model_ve_reboot_asked(M, veid), 0);
	EQ("sys_reboot: HALT in a VE returns 0", model_reboot(M, &v, R_M1, R_M2, 0xCDEF0123U, &eff),
	   0);
	EQ("sys_reboot: HALT does not set VE_REBOOT", model_ve_reboot_asked(M, veid), 0);
	EQ("sys_reboot: HALT -> VE_STOP of the caller's VE",
	   eff.kind == EMU_EFFECT_VE_STOP && eff.veid == veid, 1);
	EQ("sys_reboot: RESTART2 in a VE returns 0 (its string argument is never read)",
	   model_reboot(M, &v, R_M1, R_M2, 0xA1B2C3D4U, &eff), 0);
	EQ("sys_reboot: RESTART2 -> set_bit(VE_REBOOT) + SIGKILL to init (VE_RESTART)",
	   eff.kind == EMU_EFFECT_VE_RESTART && eff.veid == veid, 1);
	EQ("sys_reboot: RESTART2 sets VE_REBOOT (read by vzevent's stop hook)",
	   model_ve_reboot_asked(M, veid), 1);
	model_unlock(M); /* written to the state file and read back: a later run's view */
	model_close(M);
	if (model_open(&M, state_dir) < 0 || model_lock(M) < 0)
		abort();
	EQ("VE_REBOOT survives a reload of the state", model_ve_reboot_asked(M, veid), 1);
	EQ("VE_REBOOT of another VE is not set", model_ve_reboot_asked(M, veid + 1), 0);
	EQ("sys_reboot: CAD_OFF in a VE returns 0", model_reboot(M, &v, R_M1, R_M2, 0, &eff), 0);
	EQ("sys_reboot: CAD_OFF in a VE signals nobody", eff.kind, EMU_EFFECT_NONE);
	EQ("sys_reboot: the call itself does not stop the VE (init still running)",
	   model_ve_running(M, veid), 1);
	EQ("sys_reboot: VE_TEST still 0 right after it", env_create(&v, veid, 0), veid);
}

static void cases_stop_kernel(const char *dir)
{
	struct emu_caller h = host(), ic = host(), hold = host(), ic3 = host();
	pid_t init = spawn_init(), holder = spawn_init(), moved = spawn_init(), init2, init3;
	char qdir[] = "/tmp/vzemu-test-stop-XXXXXX", row[256], *t;
	unsigned int V = 4301, W = 4302;
	int e;

	model_unlock(M);
	model_close(M);
	if (model_reset(dir) < 0 || model_open(&M, dir) < 0 || model_lock(M) < 0 || !mkdtemp(qdir))
		abort();
	ic.pid = init;
	hold.pid = holder;
	/* a running VE as vzctl leaves it: bc with a limit, IPs, a quota on, a heavier node */
	EQ("stop setup: setluid by the init", sys(&ic, __NR_setluid, V, 0, 0, 0, 0), 0);
	EQ("stop setup: setluid by another host process", sys(&hold, __NR_setluid, V, 0, 0, 0, 0),
	   0);
	w64(A_BUF, 100);
	w64(A_BUF + 8, 110);
	EQ("stop setup: setublimit numproc", sys(&h, __NR_setublimit, V, UB_NUMPROC, A_BUF, 0, 0),
	   0);
	param(VE_IP_DEFAULT, 0, 0, 0);
	EQ("stop setup: create", create_data(&ic, V, VE_CREATE | VE_EXCLUSIVE, 32, A_P), V);
	EQ("stop setup: IP 10.43.0.1", ipmap(&h, V, VE_IP_ADD, "10.43.0.1", 16), 0);
	EQ("stop setup: IP 10.43.0.2", ipmap(&h, V, VE_IP_ADD, "10.43.0.2", 16), 0);
	EQ("stop setup: fairsched_chwt 100", sys(&h, __NR_fairsched_chwt, V, 100, 0, 0, 0), 0);
	EQ("stop setup: devperms", devperms(&h, V, S_IFCHR | VE_USE_MINOR, 0x103, 06), 0);
	qstat_put(A_P + 64, 1 << 30, 1 << 29, 0, 0, 1000, 900, 0, 0);
	EQ("stop setup: VZ_DQ_CREATE", qctl(&h, VZ_DQ_CREATE, V, A_P + 64, 0), 0);
	strcpy((char *)arena + 512, qdir);
	EQ("stop setup: VZ_DQ_ON", qctl(&h, VZ_DQ_ON, V, 0, BASE + 512), 0);
	t = render(&h, "/proc/vz/veinfo", &e);
	contains("veinfo_seq_show: running: init + kthreadd + khelper", t,
		 "      4301     0     3       10.43.0.2       10.43.0.1\n");
	free(t);

	cases_stop_reboot(dir, V);

	/* the init exits (its SIGKILL from reboot): kernel/exit.c: do_initproc_exit */
	model_init_exited(M, V);
	EQ("do_initproc_exit: is_running 0", model_ve_running(M, V), 0);
	EQ("do_initproc_exit: still on the VE list, VE_TEST 0", env_create(&h, V, VE_TEST), 0);
	EQ("do_env_enter: VE_ENTER into a stopping VE -> EBUSY", env_create(&h, V, VE_ENTER),
	   -EBUSY);
	EQ("do_env_enter: also with VE_SKIPLOCK -> EBUSY",
	   env_create(&h, V, VE_ENTER | VE_SKIPLOCK), -EBUSY);
	EQ("real_env_create: VE_CREATE of the stopping id is turned into ENTER -> EBUSY",
	   create_data(&h, V, VE_CREATE, 32, A_P), -EBUSY);
	EQ("real_env_create: VE_CREATE|VE_EXCLUSIVE of the stopping id -> EACCES",
	   create_data(&h, V, VE_CREATE | VE_EXCLUSIVE, 32, A_P), -EACCES);
	EQ("real_ve_ip_map: VE_IP_ADD checks ve->is_running -> ESRCH",
	   ipmap(&h, V, VE_IP_ADD, "10.43.0.3", 16), -ESRCH);
	EQ("veip_entry_del: VE_IP_DEL needs no running VE -> 0",
	   ipmap(&h, V, VE_IP_DEL, "10.43.0.2", 16), 0);
	EQ("fairsched node kept while stopping (fairsched_rate GET finds it)",
	   sys(&h, __NR_fairsched_rate, V, FAIRSCHED_GET_RATE, 0, 0, 0), -ENODATA);
	t = render(&h, "/proc/vz/veinfo", &e);
	/* zap_ve_processes stopped kthreadd/khelper; the dead init counts until release_task */
	contains("veinfo_seq_show: a stopping VE is listed with its IPs, kthreads gone", t,
		 "      4301     0     1       10.43.0.1\n");
	free(t);

	/* its last task released: kernel/ve/vecalls.c: env_cleanup */
	model_ve_empty(M, V);
	EQ("env_cleanup: ve_list_del -> VE_TEST ESRCH", env_create(&h, V, VE_TEST), -ESRCH);
	EQ("env_cleanup: VE_ENTER -> ESRCH", env_create(&h, V, VE_ENTER), -ESRCH);
	t = render(&h, "/proc/vz/veinfo", &e);
	EQ("env_cleanup: gone from /proc/vz/veinfo", t && !strstr(t, "  4301 "), 1);
	free(t);
	EQ("veip_stop: the stopped VE's IP entry is unhashed (VE_IP_DEL -> EADDRNOTAVAIL)",
	   ipmap(&h, V, VE_IP_DEL, "10.43.0.1", 16), -EADDRNOTAVAIL);
	t = render(&h, "/proc/vz/veip", &e);
	EQ("veip_stop: not in /proc/vz/veip", t && !strstr(t, "10.43.0.1"), 1);
	free(t);
	EQ("fairsched_drop_node: node removed -> ENOENT",
	   sys(&h, __NR_fairsched_rate, V, FAIRSCHED_GET_RATE, 0, 0, 0), -ENOENT);
	/* release_beancounter: the bc lives while a task (here: the other host process) holds it */
	t = render(&h, "/proc/bc/4301/resources", &e);
	ubc_row(row, sizeof(row), "numproc", 0, 100, 110);
	contains("release_beancounter: bc of a stopped VE kept while held, limits kept, held 0", t,
		 row);
	free(t);
	EQ("sys_setublimit: works on the stopped VE's bc",
	   sys(&h, __NR_setublimit, V, UB_NUMPROC, A_BUF, 0, 0), 0);
	/* vzdquota registers no VE hook: the quota stays on */
	EQ("vzquota: still VZDQ_WORKING after the stop", qctl(&h, VZ_DQ_STATUS, V, 0, 0),
	   VZDQ_WORKING);
	t = render(&h, "/proc/vz/vzquota", &e);
	snprintf(row, sizeof(row), "4301: %s\n", qdir);
	contains("vzquota_read_proc: the stopped VE's quota listed with its path", t, row);
	free(t);
	EQ("vzquota_on: a second ON -> EBUSY", qctl(&h, VZ_DQ_ON, V, 0, BASE + 512), -EBUSY);

	/* the same id again at once: a new ve_struct, a new fairsched node, the old bc */
	init2 = spawn_init();
	ic.pid = init2;
	EQ("real_env_create: the id is free right after env_cleanup",
	   create_data(&ic, V, VE_CREATE | VE_EXCLUSIVE, 32, A_P), V);
	t = render(&h, "/proc/fairsched2", &e);
	contains("fairsched_new_node: a new node, default weight", t, "      4301    500 ");
	free(t);
	t = render(&h, "/proc/vz/veinfo", &e);
	contains("veinfo_seq_show: the new VE has no addresses", t, "      4301     0     3\n");
	free(t);
	t = render(&h, "/proc/vz/devperms", &e);
	EQ("set_device_perms_ve: no rules of the old VE", t && !strstr(t, "  4301 c"), 1);
	free(t);
	EQ("vzquota: off after the stop", qctl(&h, VZ_DQ_OFF, V, 0, 0), 0);
	EQ("vzquota: destroy after the stop", qctl(&h, VZ_DQ_DESTROY, V, 0, 0), 0);
	model_init_exited(M, V);
	model_ve_empty(M, V);
	reap_child(init);
	reap_child(init2);
	reap_child(holder);
	model_unlock(M);
	model_lock(M);
	EQ("release_beancounter: bc gone with its last holder (setublimit ENOENT)",
	   sys(&h, __NR_setublimit, V, UB_NUMPROC, A_BUF, 0, 0), -ENOENT);
	t = render(&h, "/proc/user_beancounters", &e);
	EQ("release_beancounter: not in /proc/user_beancounters", t && !strstr(t, " 4301:"), 1);
	free(t);

	/* a host task moved into the VE's node keeps the node: cgroup_rmdir -> EBUSY */
	init3 = spawn_init();
	ic3.pid = init3;
	EQ("mvpr setup: create", create_data(&ic3, W, VE_CREATE | VE_EXCLUSIVE, 32, A_P), W);
	EQ("mvpr setup: fairsched_chwt 100", sys(&h, __NR_fairsched_chwt, W, 100, 0, 0, 0), 0);
	EQ("mvpr setup: fairsched_mvpr of a host task",
	   sys(&h, __NR_fairsched_mvpr, moved, W, 0, 0, 0), 0);
	model_init_exited(M, W);
	model_ve_empty(M, W);
	EQ("env_cleanup: VE gone although the node stays", env_create(&h, W, VE_TEST), -ESRCH);
	EQ("fairsched_drop_node: rmdir of a node with a task fails, node stays",
	   sys(&h, __NR_fairsched_rate, W, FAIRSCHED_GET_RATE, 0, 0, 0), -ENODATA);
	EQ("fairsched_new_node: re-create reuses the kept node",
	   create_data(&ic3, W, VE_CREATE | VE_EXCLUSIVE, 32, A_P), W);
	t = render(&h, "/proc/fairsched2", &e);
	contains("fairsched_new_node: the kept node's weight (chwt 100 → shares 5120 → 100)", t,
		 "      4302    100 ");
	free(t);
	model_init_exited(M, W);
	reap_child(moved);
	model_ve_empty(M, W);
	EQ("fairsched_drop_node: removed once the moved task is gone",
	   sys(&h, __NR_fairsched_rate, W, FAIRSCHED_GET_RATE, 0, 0, 0), -ENOENT);
	reap_child(init3);
	rmdir(qdir);
}

#endif
