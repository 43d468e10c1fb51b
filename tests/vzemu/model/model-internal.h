/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vzemu model: internal state shared by model*.c and procfs.c. Nothing here is part of the
 * contract with the supervisor (that is model.h).
 *
 * Caller memory is decoded by explicit offsets per caller layout (x86_64 or i386 through
 * the compat path), never by casting to the native structs, so one build serves both.
 */
#ifndef VZEMU_MODEL_INTERNAL_H
#define VZEMU_MODEL_INTERNAL_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "kernel-print.h"
#include "openvz.h"

#include "model.h"

/*
 * Compat request numbers as the x86_64 kernel sees i386 callers (TSV rows
 * VZCTL_COMPAT_*; include/linux/vzcalluser.h, vzctl_venet.h, vzctl_quota.h CONFIG_COMPAT
 * blocks). Defined here only if kernel-abi/ does not provide them.
 */
#ifndef VZCTL_COMPAT_ENV_CREATE_DATA
#define VZCTL_COMPAT_ENV_CREATE_DATA 0x40142e0aU
#endif
#ifndef VZCTL_COMPAT_VE_NETDEV
#define VZCTL_COMPAT_VE_NETDEV 0x400c2e0bU
#endif
#ifndef VZCTL_COMPAT_VE_MEMINFO
#define VZCTL_COMPAT_VE_MEMINFO 0x40082e0dU
#endif
#ifndef VENETCTL_COMPAT_VE_IP_MAP
#define VENETCTL_COMPAT_VE_IP_MAP 0x40102803U
#endif
#ifndef VZCTL_COMPAT_QUOTA_CTL
#define VZCTL_COMPAT_QUOTA_CTL 0xc0102b02U
#endif
#ifndef VZCTL_COMPAT_QUOTA_UGID_CTL
#define VZCTL_COMPAT_QUOTA_UGID_CTL 0xc0142b03U
#endif
/* include/linux/errno.h: kernel-internal, reaches user space as is */
#ifndef ENOTSUPP
#define ENOTSUPP 524
#endif

#define M_CAP_DAC_OVERRIDE    1
#define M_CAP_DAC_READ_SEARCH 2
#define M_CAP_SETUID          7
#define M_CAP_NET_ADMIN       12
#define M_CAP_SYS_ADMIN       21
#define M_CAP_SYS_BOOT        22
#define M_CAP_SYS_RESOURCE    24

/* The kernel is x86_64: its UB_MAXVALUE is LONG_MAX whatever the caller (§16.2). */
#define M_UB_MAXVALUE 0x7fffffffffffffffULL
#define M_NR_UB       25
#define M_MAX_RULES   64
#define M_MAX_EXT     32
#define M_MAX_MVPR    16
#define M_MAX_MEMBERS 64
#define M_MAX_VETH    16

enum { VES_RUNNING = 1, VES_STOPPING = 2 };

struct m_devperm {
	unsigned int type;         /* 'b' or 'c' */
	unsigned int major, minor; /* ~0u = any */
	unsigned int access;       /* security/device_cgroup.c ACC_* bits */
};

struct m_addr {
	int family;      /* AF_INET or AF_INET6 */
	uint32_t key[4]; /* network order, as struct ve_addr_struct */
};

/* a process the model knows to be in a VE: its init, or one that entered with VE_ENTER */
struct m_member {
	pid_t pid;
	uint64_t start; /* /proc/<pid>/stat field 22: (pid, start) survives pid reuse */
};

/*
 * One veth pair of a VE (drivers/net/vzethdev.c: struct veth_struct of the VE's side and its
 * pair); the devices themselves are real, made by the supervisor (EMU_EFFECT_VETH_ADD).
 * Byte fields only after `seq`, and zeroed whole before use: states are compared bytewise.
 */
struct m_veth {
	uint64_t seq; /* creation order: /proc/vz/veth lists the newest first */
	char host[16], ve[16];
	uint8_t mac[6], mac_ve[6];
	uint8_t allow_mac_change;
};

struct m_ve {
	unsigned int veid, class_id;
	int state;
	pid_t init_pid;
	uint64_t init_start; /* /proc/<pid>/stat field 22 */
	pid_t owner_pid;     /* vzemu supervisor that ran the creation */
	uint64_t owner_start;
	bool locked;
	bool reboot; /* VE_REBOOT: reboot(RESTART) inside; only vzevent reads it */
	uint64_t features, ipt_mask, cap_bset, meminfo;
	uint64_t seq;      /* creation order */
	uint64_t start_ns; /* CLOCK_REALTIME at creation, for uptime */
	char osrelease[65];
	int nrules;
	struct m_devperm rules[M_MAX_RULES];
	int next;
	struct m_addr ext[M_MAX_EXT];
	int nmember;
	struct m_member member[M_MAX_MEMBERS];
	int nveth;
	struct m_veth veth[M_MAX_VETH];
};

struct m_ubparm {
	uint64_t barrier, limit, held, maxheld, minheld, failcnt;
};

struct m_iolim {
	bool set;
	unsigned int speed, burst, latency;
};

struct m_bc {
	unsigned int id;
	uint64_t seq;
	struct m_ubparm p[M_NR_UB];
	bool has_store;
	struct m_ubparm store[M_NR_UB];
	int ioprio; /* -1: never set */
	struct m_iolim io, iops;
};

struct m_node {
	unsigned int id; /* directory name; 0 = host */
	uint64_t seq;
	unsigned long shares;
	unsigned long rate;
	unsigned int nr_cpus;
	bool has_cpumask, has_nodemask;
	uint64_t cpumask, nodemask;
	int nmvpr;
	pid_t mvpr[M_MAX_MVPR];
};

struct m_ip {
	struct m_addr a;
	unsigned int veid;
	uint64_t seq;
};

struct m_dqstat {
	uint64_t bhardlimit, bsoftlimit, bcurrent;
	int64_t btime;
	uint32_t ihardlimit, isoftlimit, icurrent;
	int64_t itime;
};

struct m_dqinfo {
	int64_t bexpire, iexpire;
	uint32_t flags;
};

struct m_ugid {
	unsigned int id, type;
	struct m_dqstat st;
};

struct m_quota {
	unsigned int id;
	int state;
	uint64_t seq;
	struct m_dqstat st;
	struct m_dqinfo info;
	char path[4096];
	unsigned int ugid_max, flags;
	struct m_dqinfo ugid_info[2];
	int nugid;
	struct m_ugid *ugid;
};

/* the exec beancounter recorded for a host process (model-ubc.c) */
struct m_luid {
	pid_t pid;
	uint64_t start;
	unsigned int id;
};

/* identity of the state file as last loaded or written (model-lock.c) */
struct m_fileid {
	bool exists;
	uint64_t dev, ino;
	int64_t size, mtime_s, mtime_ns;
};

struct m_snap;

struct emu_model {
	char *state_dir;
	struct m_ve host; /* VE 0: always on the list and running; not persisted */
	int lock_fd;
	bool locked;
	/*
	 * The cache (model-lock.c): while `cached`, the arrays below are generation `gen` of
	 * the state file, identified by `fid`; `snap` is a deep copy of them as loaded or last
	 * written (NULL: the state in memory has never been written, e.g. a fresh one).
	 */
	bool cached;
	uint64_t gen;
	struct m_fileid fid;
	struct m_snap *snap;
	/*
	 * `changed`: the state may differ from `snap` (set by model_lock's transitions and by
	 * every entry point that can change something; model_unlock compares only then).
	 * `need_sweep`, `swept_epoch`: when dead VEs and bc holders were last looked for
	 * (model-lock.c: sweep).
	 */
	bool changed, need_sweep;
	uint64_t swept_epoch;
	uint64_t seq;
	unsigned int ncpus;
	int nve, nbc, nnode, nip, nquota;
	struct m_ve *ve;
	struct m_bc *bc;
	struct m_node *node;
	struct m_ip *ip;
	struct m_quota *quota;
	/* kernel/bc/statd.c: ubs_start_time, ubs_end_time, ubs_timer, ubs_min_interval */
	int64_t ubs_start, ubs_end, ubs_expires, ubs_min_interval;
	uint64_t epoch_s; /* model "boot": ubstat times count from here */
	/* per-bc exec beancounter of host processes after setluid */
	int nluid;
	struct m_luid *luid;
};

/* helpers (model.c; liveness: model-pids.c) */
bool m_cap(const struct emu_caller *c, int cap);
bool m_capable_setveid(const struct emu_caller *c);
int m_rd(const struct emu_mem *mem, uint64_t addr, void *buf, size_t len);
int m_wr(const struct emu_mem *mem, uint64_t addr, const void *buf, size_t len);
uint32_t m_u32(const void *buf, size_t off);
uint64_t m_u64(const void *buf, size_t off);
uint64_t m_ulong(const void *buf, size_t off, bool compat32);
void m_put32(void *buf, size_t off, uint32_t v);
void m_put64(void *buf, size_t off, uint64_t v);
void m_trace(char *trace, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The decoded call in the rendering the library's dry-run uses (lib/kernel-print.c) */
void m_trace_call(char *trace, size_t len, const struct kcall *call);
uint64_t m_now_s(void);
bool m_pid_alive(pid_t pid, uint64_t start);
uint64_t m_pid_start(pid_t pid);
uint64_t m_pids_poll(void);
void *m_grow(void *arr, int n, size_t elem);

/* model-ve.c */
struct m_ve *ve_find(struct emu_model *m, unsigned int veid);
long ve_ioctl(struct emu_model *m, const struct emu_caller *c, const struct emu_mem *mem,
	      unsigned long req, uint64_t arg, struct emu_effect *eff, char *tr, size_t trl);
void ve_remove(struct emu_model *m, unsigned int veid);
unsigned int ve_task_count(struct emu_model *m, const struct m_ve *ve);
void ve_add_member(struct m_ve *ve, pid_t pid, uint64_t start);

/* model-ubc.c */
struct m_bc *bc_find(struct emu_model *m, unsigned int id);
struct m_bc *bc_get(struct emu_model *m, unsigned int id);
unsigned int bc_exec_id(struct emu_model *m, const struct emu_caller *c);
long ubc_syscall(struct emu_model *m, const struct emu_caller *c, const struct emu_mem *mem,
		 int which, const uint64_t a[6], char *tr, size_t trl);
void ubstat_tick(struct emu_model *m);
void bc_gc(struct emu_model *m);

/* model-fairsched.c */
struct m_node *node_find(struct emu_model *m, unsigned int id);
struct m_node *node_new(struct emu_model *m, unsigned int id);
void node_remove(struct emu_model *m, unsigned int id);
bool node_has_moved_tasks(const struct m_node *n);
long fairsched_syscall(struct emu_model *m, const struct emu_caller *c, const struct emu_mem *mem,
		       int which, const uint64_t a[6], char *tr, size_t trl);
unsigned long node_weight(const struct m_node *n);

/* model-venet.c */
long venet_ioctl(struct emu_model *m, const struct emu_caller *c, const struct emu_mem *mem,
		 unsigned long req, uint64_t arg, struct emu_effect *eff, char *tr, size_t trl);
void venet_drop_ve(struct emu_model *m, unsigned int veid);
void m_addr_print(char *buf, size_t len, const struct m_addr *a);

/* model-veth.c */
long veth_ioctl(struct emu_model *m, const struct emu_caller *c, const struct emu_mem *mem,
		unsigned long req, uint64_t arg, struct emu_effect *eff, char *tr, size_t trl);

/* model-quota.c */
long quota_ioctl(struct emu_model *m, const struct emu_caller *c, const struct emu_mem *mem,
		 unsigned long req, uint64_t arg, struct emu_effect *eff, char *tr, size_t trl);
void quota_free_all(struct emu_model *m);

/* model-iolimit.c */
long iolimit_ioctl(struct emu_model *m, const struct emu_caller *c, const struct emu_mem *mem,
		   unsigned long req, uint64_t arg, char *tr, size_t trl);
long iolimit_ioprio_set(struct emu_model *m, const struct emu_caller *c, int which, int who,
			int ioprio, char *tr, size_t trl);
long m_lchmod(const struct emu_caller *c, const struct emu_mem *mem, const uint64_t a[6], char *tr,
	      size_t trl);
long m_lutime(const struct emu_caller *c, const struct emu_mem *mem, const uint64_t a[6], char *tr,
	      size_t trl);
int m_read_path(const struct emu_mem *mem, uint64_t addr, char *buf, size_t len);
int m_host_path(const struct emu_caller *c, const char *path, char *out, size_t outlen);

/* model-state.c */
int state_load(struct emu_model *m);
int state_save(struct emu_model *m);
void state_clear(struct emu_model *m);
int state_fileid(const char *path, struct m_fileid *id);

/* syscall identities, independent of the caller's arch numbering */
enum m_sys {
	MS_NONE = 0,
	MS_GETLUID,
	MS_SETLUID,
	MS_SETUBLIMIT,
	MS_UBSTAT,
	MS_MKNOD,
	MS_RMNOD,
	MS_CHWT,
	MS_MVPR,
	MS_RATE,
	MS_VCPUS,
	MS_CPUMASK,
	MS_NODEMASK,
	MS_LCHMOD,
	MS_LUTIME,
	MS_IOPRIO_SET,
};

#endif
