/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vzemu: the contract between the supervisor (which intercepts system calls of the
 * traced program) and the model (which answers them as the OpenVZ 6 kernel would).
 *
 * The supervisor owns processes, memory access, namespaces, file-descriptor injection,
 * the trace and fault injection. The model owns the kernel's state (VEs, beancounters,
 * fair-scheduler nodes, quotas, venet IP maps, iolimits) and its argument checks and
 * errnos. The model never touches another process directly: it reads and writes the
 * caller's memory through `struct emu_mem`, and asks the supervisor to act on processes
 * through `struct emu_effect`.
 */
#ifndef VZEMU_MODEL_H
#define VZEMU_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Who is calling: filled by the supervisor for every intercepted call. */
struct emu_caller {
	pid_t pid;              /* host pid of the calling thread's process */
	unsigned int veid;      /* exec env of the caller: 0 = host */
	uint64_t cap_effective; /* effective capability set (CAP_* bit numbers) */
	bool compat32;          /* i386 caller (compat path, kernel-abi.md §16) */
	bool single_threaded;   /* thread-group leader with no other threads */
	bool has_ctty;          /* has a controlling terminal */
	bool alone;             /* kernel-abi.md §2.3 rules 3 and 4 hold */
	/* vecalls.c: alone_in_pgrp — no other process is in a group or session whose id is
	 * the caller's pid (it leads no group or session with members) */
	bool alone_in_pgrp;
};

/*
 * Access to the caller's memory. Both return 0 or -EFAULT; a partial access is a fault,
 * as copy_from_user/copy_to_user report it.
 */
struct emu_mem {
	void *opaque;
	int (*read)(void *opaque, uint64_t addr, void *buf, size_t len);
	int (*write)(void *opaque, uint64_t addr, const void *buf, size_t len);
};

/* What the supervisor must do to processes after the model answered. */
enum emu_effect_kind {
	EMU_EFFECT_NONE = 0,
	EMU_EFFECT_VE_CREATED, /* caller is now init of `veid`: new UTS/IPC/NET (+venet0) ns */
	EMU_EFFECT_VE_ENTERED, /* caller joins the namespaces of `veid` */
	/*
	 * reboot HALT/POWER_OFF in a VE: the kernel SIGKILLs the VE's init (kernel/sys.c:
	 * sys_reboot → force_sig) and the init's exit kills the rest (pid_namespace.c:
	 * zap_pid_ns_processes); the supervisor kills every process of `veid`.
	 */
	EMU_EFFECT_VE_STOP,
	EMU_EFFECT_VE_RESTART,  /* as STOP; the kernel also sets VE_REBOOT (vzevent only) */
	EMU_EFFECT_KILL_CALLER, /* the real kernel would oops (kernel-abi.md §17): SIGKILL, loud */
	EMU_EFFECT_OPEN_VTTY,   /* VE_CONFIGURE_OPEN_TTY: the host side of console `index` */
	/*
	 * VETHCTL_VE_HWADDR: make a veth pair, `veth.host` with `veth.mac` in the namespace the
	 * supervisor runs in, `veth.ve` with `veth.mac_ve` in the network namespace of `veid`;
	 * if that fails, model_veth_add_failed and the call answers the failure's errno.
	 */
	EMU_EFFECT_VETH_ADD,
	EMU_EFFECT_VETH_DEL, /* delete host device `veth.host` (its peer goes with it) */
};

struct emu_effect {
	enum emu_effect_kind kind;
	unsigned int veid;
	const char *why;    /* for KILL_CALLER: which hazard, for stderr and the trace */
	unsigned int index; /* for OPEN_VTTY */
	bool pid_inside;    /* VE_ENTERED: the caller gets a pid in the VE's PID namespace */
	struct {
		char host[16], ve[16];
		unsigned char mac[6], mac_ve[6];
	} veth; /* VETH_ADD, VETH_DEL */
};

struct emu_model;

/*
 * State lives in `state_dir` and persists across runs. model_open takes no lock;
 * model_lock/model_unlock bracket every call (flock on a file in state_dir): model_lock
 * reloads the state if another run changed it since, model_unlock writes it back if the call
 * changed it (model-lock.c), so concurrent vzemu runs on one directory are safe.
 */
int model_open(struct emu_model **ret, const char *state_dir);
void model_close(struct emu_model *m);
int model_lock(struct emu_model *m);
int model_unlock(struct emu_model *m);
/* Instead of model_unlock: forget what the call changed (the next model_lock reloads the
 * state file), for a call made only to have the model render it. */
void model_unlock_discard(struct emu_model *m);
int model_reset(const char *state_dir);
/* After model_lock failed: why, naming the state file ("" if it was not the file) */
const char *model_state_error(void);

/*
 * Answer one OpenVZ system call (nr is the caller's arch number: __NR_setluid etc. of
 * x86_64, or of i386 when caller->compat32) or one ioctl on /dev/vzctl. Returns the
 * value the system call returns (>= 0) or -errno. `effect` is always written.
 * `trace` (may be NULL) receives the decoded call, kernel constant names, without the
 * result, e.g. "setublimit(101, UB_KMEMSIZE, {2752512, 2936012})".
 */
long model_syscall(struct emu_model *m, const struct emu_caller *caller, const struct emu_mem *mem,
		   long nr, const uint64_t args[6], struct emu_effect *effect, char *trace,
		   size_t trace_len);
long model_ioctl(struct emu_model *m, const struct emu_caller *caller, const struct emu_mem *mem,
		 unsigned long request, uint64_t arg, struct emu_effect *effect, char *trace,
		 size_t trace_len);

/* The supervisor could not make the pair of an EMU_EFFECT_VETH_ADD: the kernel has none. */
void model_veth_add_failed(struct emu_model *m, unsigned int veid, const char *host);

/* reboot(2) from `caller`: inside a VE stops/restarts it (§12.3), from the host -EPERM. */
long model_reboot(struct emu_model *m, const struct emu_caller *caller, int magic1, int magic2,
		  unsigned int cmd, struct emu_effect *effect);

/* The supervisor saw the init of `veid` exit / the VE's last process go (§12.3). */
void model_init_exited(struct emu_model *m, unsigned int veid);
void model_ve_empty(struct emu_model *m, unsigned int veid);

/*
 * The init of `veid` is now process `pid` (the supervisor's child that continues the
 * creating process in the VE's PID namespace, see ptrace.c): liveness follows it.
 */
void model_ve_init_moved(struct emu_model *m, unsigned int veid, pid_t pid);

/*
 * A fork or clone by `caller`, whose VE holds `tasks` tasks now: 0 when the kernel lets it
 * create one more, -ENOMEM when the numproc barrier of its exec bc refuses it (the bc's
 * failcnt counted). `trace` (may be NULL) says why on a refusal.
 */
/* Process `child` was just forked by process `parent`: it starts in the parent's exec bc. */
void model_fork_child(struct emu_model *m, pid_t parent, pid_t child);
long model_fork_charge(struct emu_model *m, const struct emu_caller *caller, unsigned int tasks,
		       char *trace, size_t trace_len);

/* Host /proc of a process (model-pids.c), for the model and the supervisor alike. */
/* The text of /proc/<pid>/<file>, NUL-terminated, at most size - 1 bytes: its length, or
 * -errno when it cannot be read. */
ssize_t proc_read(pid_t pid, const char *file, char *buf, size_t size);
/* Field 22 of /proc/<pid>/stat, the start time in clock ticks since boot (with the pid, a
 * process's identity); 0 when it is gone. A zombie still has one. */
unsigned long long proc_starttime(pid_t pid);

/*
 * Did a process of `veid` call reboot(RESTART) (the kernel's VE_REBOOT bit, kernel/sys.c:
 * sys_reboot)? Only vzevent's stop hook reads it (ve-reboot instead of ve-stop, §14).
 */
bool model_ve_reboot_asked(struct emu_model *m, unsigned int veid);

/* Is this a VE's init that still lives? Used when state is loaded by a later run. */
bool model_ve_running(struct emu_model *m, unsigned int veid);

/*
 * Block until VE `veid` is running (`running`) or off the VE list (!`running`) in the state
 * in `state_dir`, woken by every committed state change (no polling). timeout_ms < 0: no
 * limit. Returns 0, -ETIMEDOUT, or another -errno.
 */
int model_wait_ve(const char *state_dir, unsigned int veid, bool running, long timeout_ms);

/*
 * Render a /proc file served by the model ("/proc/user_beancounters", "/proc/vz/veinfo",
 * "/proc/bc/101/resources", "/proc/fairsched", ...) as `caller` would see it.
 * Returns 0 and a malloc()ed buffer, -ENOENT if the path is not the model's, or the
 * errno the open would give (-EACCES for missing capabilities). With ret_buf NULL only
 * that answer, nothing rendered.
 */
int model_proc_render(struct emu_model *m, const struct emu_caller *caller, const char *path,
		      char **ret_buf, size_t *ret_len);

#endif
