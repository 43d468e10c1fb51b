/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vzemu supervisor internals (everything except the model, see model.h).
 *
 * Processes: the foreground `vzemu` (P0) forks the supervisor (S), S forks the command (C).
 * C enters new mount (private propagation) and UTS namespaces, waits until S has attached to
 * it with ptrace, installs the seccomp filter, hands the notification listener to S and execs
 * the command. S is the child subreaper and the ptrace tracer of every process under the
 * filter; it answers user notifications and ptrace seccomp stops until no traced process is
 * left. P0 only waits for the command's exit status, which S sends through a pipe.
 */
#ifndef VZEMU_SUPERVISOR_H
#define VZEMU_SUPERVISOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "model.h"

#define VZEMU_EXIT_ERROR   125 /* vzemu itself failed, or a call would have oopsed the kernel */
#define VZEMU_EXIT_TIMEOUT 124 /* --wait-ve: the --timeout passed first (as timeout(1)) */
#define VZEMU_TRACE_MAX    4096

/* SECCOMP_RET_TRACE data: which kind of call stopped in ptrace */
enum {
	TRACE_DATA_ENV_CREATE = 1,
	TRACE_DATA_MOUNT = 2,
	TRACE_DATA_CAPSET = 3,
	TRACE_DATA_CAPGET = 4,
	TRACE_DATA_FORK = 5
};

/* What the supervisor does with an intercepted system call */
enum sc_class {
	SC_NONE = 0,
	SC_OVZ,        /* OpenVZ system call: model_syscall */
	SC_REBOOT,     /* model_reboot; never reaches the host */
	SC_IOCTL,      /* filtered by request type in BPF */
	SC_OPEN,       /* open(path, flags, mode) */
	SC_OPENAT,     /* openat(dirfd, path, flags, mode) */
	SC_OPENAT2,    /* openat2(dirfd, path, how, size) */
	SC_CREAT,      /* creat(path, mode) */
	SC_STAT,       /* stat(path, buf) */
	SC_LSTAT,      /* lstat(path, buf) */
	SC_FSTATAT,    /* newfstatat(dirfd, path, buf, flags) */
	SC_STATX,      /* statx(dirfd, path, flags, mask, buf) */
	SC_ACCESS,     /* access(path, mode) */
	SC_FACCESSAT,  /* faccessat(dirfd, path, mode) */
	SC_FACCESSAT2, /* faccessat2(dirfd, path, mode, flags) */
	SC_MOUNT,      /* ptrace: simfs becomes a bind mount; refused in the host mount ns */
	SC_HOSTNAME,   /* sethostname/setdomainname: only inside an emulated VE */
	SC_DENY,       /* acts on the host: always EPERM */
	SC_ADJTIME,    /* adjtimex/clock_adjtime: read-only queries continue, changes EPERM */
	SC_PIVOT,      /* pivot_root: EPERM in the host mount namespace */
	SC_IOPRIO, /* ioprio_set: only which == IOPRIO_WHO_UBC is the model's (filtered in BPF) */
	SC_CAPSET, /* capset: ptrace: recorded (caps.c), CAP_SYS_ADMIN kept in reserve (caps-ve.c) */
	SC_CAPGET,  /* capget: ptrace: the reserve of caps-ve.c not shown */
	SC_CAPBSET, /* prctl(PR_CAPBSET_DROP) only (filtered in BPF): recorded, continues */
	SC_EXEC,    /* execve: an event line in the trace (exec-trace.c), continues */
	SC_EXECAT,  /* execveat: the same */
	SC_NLSOCK,  /* socket(AF_NETLINK, *, 31) only (filtered in BPF): vzevent.c */
	SC_NLBIND,  /* bind: vzevent.c's sockets; every other continues */
	SC_FORK,    /* fork, vfork, clone, clone3: ptrace: a VE's numproc barrier (fork-charge.c) */
	SC_KILL,    /* kill family naming pid 1 (kill also -1; filtered in BPF): kill-host.c */
	/* in the filter only when a --fail CALL@PATH names them (fault-paths.c), x86_64 only */
	SC_GETDENTS, /* getdents, getdents64(fd, ...) */
	SC_RENAME,   /* rename(old, new) */
	SC_RENAMEAT, /* renameat, renameat2(olddirfd, old, newdirfd, new, ...) */
};

struct sc_ent {
	int nr;
	const char *name;
	enum sc_class cls;
	int nargs;
};

/* x86_64 and i386 tables (supervisor-filter.c, supervisor-i386.c), terminated by nr < 0 */
extern const struct sc_ent sc_table_x86_64[];
extern const struct sc_ent sc_table_i386[];
const struct sc_ent *sc_lookup(bool compat32, long nr);
extern const int sc_i386_unshare, sc_i386_setns, sc_i386_close, sc_i386_pidfd_open;

struct vzemu_opts {
	const char *state_dir;
	const char *trace_path;
	bool reset;
	bool fidelity;   /* answer ENOSYS for syscalls 2.6.32-042stab lacks */
	bool no_vzevent; /* the vzevent module is not loaded */
	char **argv;
};

/* supervisor-filter.c */
struct sock_fprog;
int filter_build(struct sock_fprog *prog, bool fidelity, uint64_t cookie);

/* One VE this supervisor watches (it created it: its init is our tracee) */
struct own_ve {
	unsigned int veid;
	pid_t init;
	bool stopping; /* init exited; waiting for the VE to become empty */
	uint64_t net_ino, uts_ino, ipc_ino;
	int *left, nleft; /* stopping: pidfds of processes still in its network namespace */
};

struct sup {
	struct emu_model *model;
	const char *state_dir;
	char regdir[4096];
	int listener;
	int sigfd;
	pid_t main_pid;
	int status_fd;
	bool fatal;
	bool fidelity;
	bool no_vzevent;
	uint64_t cookie;
	int vzctl_fd;
	uint64_t vzctl_dev, vzctl_ino;
	uint64_t host_net_ino, host_uts_ino, host_ipc_ino, host_mnt_ino, host_pid_ino;
	int self_uts_fd;
	int ntracees;
	struct own_ve ves[256];
	int nves;
};

/* One intercepted call, from either path */
struct call {
	struct sup *s;
	bool filled; /* call_fill_caller done */
	pid_t tid;
	pid_t pid; /* thread group */
	uid_t euid;
	bool compat32;
	long nr;
	uint64_t args[6];
	const struct sc_ent *ent;
	struct emu_caller caller;
	struct emu_mem mem;
};

/* vtty.c: the VEs' virtual consoles. Each returns 0 with *addfd set, or -errno. */
long vtty_open_master(unsigned int veid, unsigned int idx, int *addfd);
long vtty_open_slave(unsigned int veid, int idx, int flags, int *addfd);
/* 0 for /dev/console, N-1 for /dev/ttyN (1..12), else -1 */
int vtty_index_of(const char *path);

/* kill-host.c: SC_KILL; 1: continue to the kernel, 0: answered in *ret (and traced) */
int kill_host_handle(struct sup *s, struct call *c, long *ret, char *trace, size_t tlen);

/* supervisor.c */
int supervisor_run(struct sup *s, const struct vzemu_opts *o, int status_fd, int ready_sock);
void sup_fatal_msg(struct sup *s, pid_t pid, const char *what);
void sup_on_exit(struct sup *s, pid_t pid, int status);
long now_ms(void);

/* supervisor-calls.c: caller identity, model calls, effects */
int call_init(struct sup *s, struct call *c, pid_t tid, bool compat32, long nr,
	      const uint64_t args[6]);
int call_fill_caller(struct call *c);
int caller_fill_alone(struct call *c);
void caller_forget(pid_t pid);
void caller_forget_ve(unsigned int veid);
int mem_read(pid_t pid, uint64_t addr, void *buf, size_t len);
int mem_write(pid_t pid, uint64_t addr, const void *buf, size_t len);
int mem_read_str(pid_t pid, uint64_t addr, char *buf, size_t len);
bool calls_model_render(struct sup *s, struct call *c, bool is_ioctl, char *trace, size_t tlen);
long calls_model_ioctl(struct sup *s, struct call *c, unsigned long req, uint64_t arg,
		       struct emu_effect *eff, char *trace, size_t tlen);
long model_broken(struct sup *s);
long calls_model_syscall(struct sup *s, struct call *c, struct emu_effect *eff, char *trace,
			 size_t tlen);
long calls_reboot(struct sup *s, struct call *c, char *trace, size_t tlen);
long calls_simple(struct sup *s, struct call *c, bool *cont, char *trace, size_t tlen);
bool call_in_host_mntns(struct sup *s, struct call *c);
void effect_apply_kill(struct sup *s, struct call *c, const struct emu_effect *eff);
void ve_kill_all(struct sup *s, unsigned int veid);
void tracee_event(struct sup *s, pid_t tid, int ev);
const char *ioctl_name(unsigned long req, bool compat32);
const char *ioctl_sub_name(struct call *c, unsigned long req, uint64_t arg, char *buf, size_t len);
const char *fault_name(size_t i);

/* notify.c / notify-paths.c */
bool vzctl_fd_is(struct sup *s, pid_t tid, int fd);
void notify_handle(struct sup *s);
int paths_handle(struct sup *s, struct call *c, long *ret, int *addfd, bool *cont, char *trace,
		 size_t tlen);
int path_of_caller(pid_t tid, int dirfd, const char *path, char *out, size_t outlen);
void open_flags_text(char *out, size_t len, int flags);

/* ptrace.c */
int ptrace_setup_main(pid_t pid);
void ptrace_handle_wait(struct sup *s, pid_t tid, int status);

/* ns.c: namespaces, venet0, VE registry shared between supervisors of one state dir */
int ns_ino(pid_t pid, const char *ns, uint64_t *ino);
int ns_add_venet(pid_t pid);
/* venet-link.c: the host's venet0 (--host-venet) and the VEs' venet0 that carry packets */
int ns_add_host_venet(void);
int venet_link_add(pid_t pid, unsigned int veid);
void venet_link_del(unsigned int veid);
int reg_write(struct sup *s, unsigned int veid, pid_t init, uint64_t net, uint64_t uts,
	      uint64_t ipc);
int reg_find_init(struct sup *s, unsigned int veid, pid_t *init);
unsigned int reg_veid_of(struct sup *s, pid_t pid);
int reg_ve_inos(struct sup *s, unsigned int veid, uint64_t *net, uint64_t *uts, uint64_t *ipc);
void reg_remove(struct sup *s, unsigned int veid);
void reg_reset(const char *state_dir);
int ve_count_procs(uint64_t net, uint64_t uts, bool kill_them);
int ve_kill_collect(uint64_t net, int **pidfds);
/* ns-veth.c: the real devices of a veth pair (0 or -errno), and the host side's removal */
int ns_veth_add(struct sup *s, unsigned int veid, const char *host, const unsigned char *mac,
		const char *ve, const unsigned char *mac_ve);
int ns_veth_del(const char *host);

/* caps.c: the capabilities the model sees (root of the target host) */
uint64_t caps_machine_set(void);
uint64_t caps_emulated(pid_t tid, uint64_t real_eff);
void caps_on_capset(struct call *c);
void caps_on_bset_drop(struct call *c);
void caps_on_ptrace_event(pid_t tid, int ev, unsigned long msg);
/* caps-ve.c's record: the sets a thread holding CAP_SYS_ADMIN in reserve asked for */
bool caps_reserve(pid_t tid, uint64_t want[3]);
void caps_set_reserve(pid_t tid, const uint64_t want[3]); /* NULL: none */
/* a VE's init got the creator's limit: its bounding-set drops, no reserve */
void caps_ve_limited(pid_t init, pid_t creator, uint64_t bnd_dropped);
/* CapEff, CapPrm, CapInh, CapBnd of /proc/TID/status */
int caps_real(pid_t tid, uint64_t sets[4]);

/* exec-trace.c */
void exec_trace(struct call *c);
void exec_trace_done(pid_t tid, unsigned long old_tid);

/* trace.c */
int trace_open(const char *path);
void trace_line(pid_t pid, const char *call, long ret, const char *note);
void trace_raw(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *errno_name(int e);
int errno_parse(const char *s);

/* vzevent.c: the vzevent netlink channel (kernel-abi.md §14). The handlers return 1 when
 * the call is not vzevent's (it continues), else 0 with *ret (and *addfd) set. */
int vzevent_socket(struct sup *s, struct call *c, long *ret, int *addfd, char *trace, size_t tlen);
int vzevent_bind(struct sup *s, struct call *c, long *ret, char *trace, size_t tlen);
void vzevent_broadcast(const char *state_dir, const char *action, unsigned int veid);
void vzevent_ve_stopped(struct sup *s, unsigned int veid, bool reboot_asked);
void vzevent_reset(const char *state_dir);
int vzevent_set_reboot_event(const char *state_dir, int value);

/* faults.c */
int faults_add(const char *spec, char *why, size_t whylen);
int faults_check(const char *name, const char *sub);
extern bool faults_fired;
/* is there a CALL@PATH rule for `name` (NULL: for any call)? */
bool faults_on_path(const char *name);
/* the errno to inject for a call on one of `paths`, or 0 */
int faults_check_path(const char *name, const char *const paths[], int npaths);

/* fault-paths.c: --fail CALL@PATH */
#define FAULT_PATH_CALLS                                                                           \
	"open, creat, openat, openat2, getdents, getdents64, rename, renameat, renameat2"
bool fault_path_call(const char *name); /* CALL@PATH takes it */
bool fault_path_only(const char *name); /* it is intercepted only for a CALL@PATH rule */
/* an open on a rule's path: 0 with *ret and the trace when the rule fires, else 1 */
int fault_paths_open(struct call *c, int dirfd, const char *path, int flags, long *ret, char *trace,
		     size_t tlen);
/* SC_GETDENTS, SC_RENAME, SC_RENAMEAT: 0 with *ret and the trace when a rule fires, else 1 */
int fault_paths_handle(struct call *c, long *ret, char *trace, size_t tlen);

#endif
