/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libvzlite — run OpenVZ 6 containers (VEs) through the kernel's own interfaces.
 *
 * Conventions (see README.md, "Library API"):
 * - Every fallible call returns 0 (or a count) on success and a negative errno-style code
 *   on failure, and takes `vzl_error **err` as its last parameter. `err` may be NULL. On
 *   failure `*err` receives a new error object, released with vzl_error_free(); on success
 *   `*err` is left untouched.
 * - Objects returned by _new/_open are owned by the caller and released with the matching
 *   _free, which accepts NULL. A vzl_ve borrows its vzl_ctx: free VEs first.
 * - Strings passed in are copied. `const char *` results are borrowed from the object that
 *   returned them and stay valid until that object is changed or freed.
 * - Output parameters are written only on success.
 * - There is no global state. A context and its VEs are used by one thread at a time.
 */
#ifndef VZLITE_H
#define VZLITE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(VZLITE_BUILDING) && defined(__GNUC__)
#define VZL_API __attribute__((visibility("default")))
#else
#define VZL_API
#endif

typedef struct vzl_ctx vzl_ctx;
typedef struct vzl_ve vzl_ve;
typedef struct vzl_error vzl_error;

/* The library's version, "MAJOR.MINOR.PATCH". */
VZL_API const char *vzl_version(void);

/* ---- Errors ------------------------------------------------------------------------ */

/* The step of an operation that failed. Values only grow. */
enum vzl_step {
	VZL_STEP_NONE = 0,
	VZL_STEP_CONFIG_READ,     /* reading vz.conf, a VE config or a profile */
	VZL_STEP_CONFIG_VALUE,    /* a parameter's value is malformed or out of range */
	VZL_STEP_CONFIG_WRITE,    /* writing a VE config */
	VZL_STEP_ARGUMENT,        /* a bad argument from the caller (VEID, name, option) */
	VZL_STEP_PATH,            /* a directory from the configuration is unusable */
	VZL_STEP_LOCK,            /* taking the per-VE lock */
	VZL_STEP_KERNEL_OPEN,     /* opening /dev/vzctl or probing the kernel */
	VZL_STEP_SETLUID,         /* setluid: attaching to the VE's beancounter */
	VZL_STEP_UBC_SET,         /* setublimit */
	VZL_STEP_FAIRSCHED,       /* a fair-scheduler call */
	VZL_STEP_ENV_CREATE,      /* VZCTL_ENV_CREATE_DATA: creating or entering a VE */
	VZL_STEP_QUOTA,           /* first- or second-level disk quota */
	VZL_STEP_VENET,           /* VENETCTL_VE_IP_MAP */
	VZL_STEP_NETLINK,         /* host routes, proxy ARP, in-VE addresses */
	VZL_STEP_MOUNT,           /* mounting or unmounting the VE's root */
	VZL_STEP_TEMPLATE,        /* finding a template cache */
	VZL_STEP_EXTRACT,         /* extracting a template cache */
	VZL_STEP_XML,             /* reading or writing domain XML */
	VZL_STEP_STATE,           /* the VE is in the wrong state (running, stopped, absent) */
	VZL_STEP_PROFILE,         /* finding or applying a profile (ve-NAME.conf-sample) */
	VZL_STEP_NOT_IMPLEMENTED, /* the operation does not exist in this version yet */
	VZL_STEP_EXEC,            /* executing a program inside a VE, or giving it a pty */
	VZL_STEP_VETH,            /* VETHCTL_VE_HWADDR, a veth device's host side */
	_VZL_STEP_MAX,
};

/* The step's name, e.g. "setublimit"; NULL for values out of range. */
VZL_API const char *vzl_step_name(enum vzl_step step);

/* Positive errno of the failure; always equal to minus the failing call's return value. */
VZL_API int vzl_error_code(const vzl_error *err);
/* The VE involved, 0 if none. */
VZL_API unsigned int vzl_error_veid(const vzl_error *err);
VZL_API enum vzl_step vzl_error_step(const vzl_error *err);
/* The parameter involved (vzctl's name, e.g. "KMEMSIZE"), or NULL. */
VZL_API const char *vzl_error_param(const vzl_error *err);
/* One sentence naming the problem and the fix. Never NULL. */
VZL_API const char *vzl_error_message(const vzl_error *err);
VZL_API void vzl_error_free(vzl_error *err);

/* ---- Context ----------------------------------------------------------------------- */

/* Directories and files a context uses. Every one can be overridden. */
enum vzl_path {
	VZL_PATH_GLOBAL_CONFIG = 0, /* vz.conf; default /etc/vz/vz.conf */
	VZL_PATH_CONF_DIR,          /* VE configs and profiles; default conf/ beside vz.conf */
	VZL_PATH_VE_PRIVATE,        /* VE_PRIVATE, may contain $VEID */
	VZL_PATH_VE_ROOT,           /* VE_ROOT, may contain $VEID */
	VZL_PATH_TEMPLATE,          /* TEMPLATE; caches live in $TEMPLATE/cache */
	VZL_PATH_LOCK_DIR,          /* LOCKDIR */
	VZL_PATH_QUOTA_DIR,         /* VZQUOTA_DIR (vzlite addition); default /var/vzquota */
	VZL_PATH_VZCTL_DEVICE,      /* the kernel's control device; default /dev/vzctl */
	VZL_PATH_PROC,              /* where the kernel's proc is mounted; default /proc (another
	                             * path for a host seen from a chroot or an appliance's
	                             * staging tree, or for recorded copies of its files) */
	VZL_PATH_VEIP_DIR,          /* VEIP_DIR (vzlite addition): the veip files of the host side
	                             * of venet addresses; default /var/lib/vzctl/veip */
	_VZL_PATH_MAX,
};

/* The path's name as written in vz.conf ("VE_PRIVATE"), or a descriptive name. */
VZL_API const char *vzl_path_name(enum vzl_path which);

/*
 * Create a context from the global config `global_config` (NULL = /etc/vz/vz.conf).
 * The file is read now; directories named in it become the context's paths. A missing
 * file is an error (-ENOENT, step VZL_STEP_CONFIG_READ), as vzctl exits 10 without it.
 */
VZL_API int vzl_ctx_new(vzl_ctx **ret, const char *global_config, vzl_error **err);
VZL_API void vzl_ctx_free(vzl_ctx *ctx);

/* Override one path (copied). -EINVAL for an unknown `which` or an empty value. */
VZL_API int vzl_ctx_set_path(vzl_ctx *ctx, enum vzl_path which, const char *value, vzl_error **err);
/* The path as configured (unexpanded: VE_PRIVATE may contain $VEID), or NULL if unset. */
VZL_API const char *vzl_ctx_get_path(const vzl_ctx *ctx, enum vzl_path which);
/* A value from the global config as read (unexpanded), or NULL if absent. */
VZL_API const char *vzl_ctx_get_global(const vzl_ctx *ctx, const char *key);

enum vzl_log_level {
	VZL_LOG_ERR = 3,
	VZL_LOG_WARNING = 4,
	VZL_LOG_NOTICE =
		5, /* what a long operation is doing now (a stop's waits): shown by default */
	VZL_LOG_INFO = 6,
	VZL_LOG_DEBUG = 7,
};

typedef void (*vzl_log_fn)(void *userdata, enum vzl_log_level level, const char *message);

/* Route the library's log to `fn` for messages up to `max_level`. NULL fn = silent (default). */
VZL_API void vzl_ctx_set_log(vzl_ctx *ctx, vzl_log_fn fn, void *userdata,
			     enum vzl_log_level max_level);

/*
 * Dry run: kernel calls are not sent; each is passed, decoded, to `fn` as one line such as
 * "setublimit(101, UB_KMEMSIZE, 2752512:2936012)". Nothing on disk is changed either.
 * NULL fn turns dry-run off. The callback must not call back into the same context.
 */
typedef void (*vzl_dry_run_fn)(void *userdata, const char *call);
VZL_API void vzl_ctx_set_dry_run(vzl_ctx *ctx, vzl_dry_run_fn fn, void *userdata);

/* ---- VEs --------------------------------------------------------------------------- */

/* Largest VEID vzctl accepts (kolyshkin/vzctl: src/vzctl.c). */
#define VZL_VEID_MAX 2147483644u

/*
 * Parse a VEID: decimal, 0..VZL_VEID_MAX, no sign, blank, leading zero or trailing garbage
 * (vzctl also takes "0105" as 105). The same rule as a config's VEID key and the <name> of
 * a domain document. -EINVAL otherwise.
 */
VZL_API int vzl_veid_parse(const char *text, unsigned int *ret, vzl_error **err);

/* Open VE `veid` (it need not exist yet: create works on such a handle). */
VZL_API int vzl_ve_open(vzl_ctx *ctx, unsigned int veid, vzl_ve **ret, vzl_error **err);
VZL_API void vzl_ve_free(vzl_ve *ve);
VZL_API unsigned int vzl_ve_id(const vzl_ve *ve);

/* Paths of the VE with $VEID expanded, borrowed. */
VZL_API const char *vzl_ve_private(const vzl_ve *ve);
VZL_API const char *vzl_ve_root(const vzl_ve *ve);
VZL_API const char *vzl_ve_config_path(const vzl_ve *ve);

/* vzl_ve_status() flags. */
#define VZL_STATUS_EXIST   (1u << 0) /* its config and its private area exist */
#define VZL_STATUS_MOUNTED (1u << 1) /* its private area is mounted on its root */
#define VZL_STATUS_RUNNING (1u << 2) /* the kernel lists it (running or stopping) */
/* it exists, does not run, and its checkpoint dump $DUMPDIR/Dump.<VEID> exists */
#define VZL_STATUS_SUSPENDED (1u << 3)

/*
 * The VE's state, as vzctl status decides it (vzctl-behaviour.md §3.8): VZL_STATUS_* flags
 * in *ret. Asking whether it runs needs the kernel: -ENOENT etc. (VZL_STEP_KERNEL_OPEN)
 * when /dev/vzctl cannot be opened; any answer of the kernel other than "listed" or "not
 * listed" is an error (VZL_STEP_ENV_CREATE), where vzctl would say "running".
 * VE 0, the host, is refused (-EINVAL, VZL_STEP_ARGUMENT) here and by create, destroy and
 * define, as vzctl allows only set actions for CT0.
 */
VZL_API int vzl_ve_status(vzl_ve *ve, unsigned int *ret, vzl_error **err);

/* Options of a create; unset fields are NULL. */
typedef struct vzl_create_opts vzl_create_opts;
VZL_API int vzl_create_opts_new(vzl_create_opts **ret, vzl_error **err);
VZL_API void vzl_create_opts_free(vzl_create_opts *opts);
/*
 * key is one of "ostemplate", "config", "private", "root", "hostname", "name" (saved as
 * NAME, as vzctl create --name), "ipadd" (repeatable).
 * A template or profile name containing '/' or starting with '.' is -EINVAL.
 */
VZL_API int vzl_create_opts_set(vzl_create_opts *opts, const char *key, const char *value,
				vzl_error **err);

/*
 * Progress of a long operation: bytes of the input consumed out of `total` (0 if unknown)
 * and items done. Called from the calling thread. Return 0 to go on; anything else cancels
 * the operation, which then fails with -ECANCELED and undoes what it did.
 */
typedef int (*vzl_progress_fn)(void *userdata, uint64_t done, uint64_t total, uint64_t items);
VZL_API void vzl_create_opts_set_progress(vzl_create_opts *opts, vzl_progress_fn fn,
					  void *userdata);

/*
 * Create the VE from a template cache and a profile, as vzctl create does
 * (vzctl-behaviour.md §3.1): the cache $TEMPLATE/cache/NAME.tar[.gz|.bz2|.xz|.zst] is
 * extracted into "<VE_PRIVATE>.tmp" and renamed into place, then <VEID>.conf is committed
 * from the profile with OSTEMPLATE, VE_ROOT, VE_PRIVATE, VE_LAYOUT, ORIGIN_SAMPLE and the
 * options; an existing <VEID>.conf is continued with instead of a profile (unless the
 * profile is named). Under the VE's lock; an interrupted create leaves nothing that looks
 * like a VE, and the next create, define or destroy settles it (a private area already in
 * place is kept and the create completed). With dry-run on, the plan is reported and nothing
 * is changed. Errors: VZL_STEP_PROFILE (profile missing, config exists and a profile is
 * named), VZL_STEP_TEMPLATE (no cache), VZL_STEP_PATH (private area exists), VZL_STEP_LOCK,
 * VZL_STEP_EXTRACT (a bad or hostile archive: the message names the entry).
 */
VZL_API int vzl_ve_create(vzl_ve *ve, const vzl_create_opts *opts, vzl_error **err);

/*
 * Destroy a stopped, unmounted VE (vzctl-behaviour.md §3.5): its private area (removed
 * without following any link inside it), its root mount point and its quota file; its
 * config is kept as <VEID>.conf.destroyed. Under the VE's lock. Refused with -EBUSY when it
 * runs (VZL_STEP_STATE), is mounted or has a mount point (a bind mount too) inside its
 * private area or root (VZL_STEP_MOUNT, before anything is changed); -ENOENT (VZL_STEP_STATE) when
 * there is no such VE. Needs the kernel to tell whether the VE runs.
 */
VZL_API int vzl_ve_destroy(vzl_ve *ve, vzl_error **err);

/*
 * Mount the VE's private area on its root with simfs, as vzctl mount (vzctl-behaviour.md
 * §3.9): the root made if missing, the disk quota on (unless DISK_QUOTA=no; off again if
 * the mount fails); already mounted is success (logged). No action scripts.
 * Errors: VZL_STEP_PATH (VE_PRIVATE/VE_ROOT unset or missing), VZL_STEP_QUOTA,
 * VZL_STEP_MOUNT, VZL_STEP_LOCK.
 */
VZL_API int vzl_ve_mount(vzl_ve *ve, vzl_error **err);
/* Unmount it (everything below the root first), then turn its disk quota off, the usage
 * saved. -ENXIO (VZL_STEP_MOUNT) when not mounted, -EBUSY (VZL_STEP_STATE) while it runs. */
VZL_API int vzl_ve_umount(vzl_ve *ve, vzl_error **err);

/* vzl_ve_start() / vzl_ve_restart() flags. */
#define VZL_START_FORCE (1u << 0) /* start even with DISABLED=yes */
#define VZL_START_WAIT  (1u << 3) /* return once the VE's boot has finished (--wait) */
/*
 * Start the VE as vzctl start (§3.2), without scripts: UB completeness, mount (the disk
 * quota on with DISKSPACE and DISKINODES raised by 100, set back before init runs), the
 * VE-creating child (setluid, setublimit, capabilities, VZCTL_ENV_CREATE_DATA), CPU,
 * devices, meminfo, I/O with the init held, then init released and its exec confirmed.
 * Every step that succeeded is undone when a later one fails. -EBUSY (VZL_STEP_STATE)
 * when it runs; -ENODATA (VZL_STEP_CONFIG_VALUE) when a required UB parameter is unset.
 */
VZL_API int vzl_ve_start(vzl_ve *ve, unsigned int flags, vzl_error **err);
/*
 * The same with VZL_START_WAIT's wait bounded by `wait_s` seconds (vzl_ve_start: 3600, as
 * vzctl). With VZL_START_WAIT the VE gets vzctl's /.vzfifo and runlevel marker and the start
 * returns once the VE's init system opened it; a timeout is -ETIMEDOUT (parameter "--wait")
 * and the VE is killed and unmounted again.
 */
VZL_API int vzl_ve_start_wait(vzl_ve *ve, unsigned int flags, unsigned int wait_s, vzl_error **err);

/* vzl_ve_stop() flags. */
#define VZL_STOP_FAST        (1u << 1) /* no graceful halt: kill at once */
#define VZL_STOP_SKIP_UMOUNT (1u << 2) /* leave the VE mounted */
/*
 * Stop the VE as vzctl stop (§3.3): its own halt run inside, STOP_TIMEOUT waited for, then
 * reboot(2) from a process entered into it; then unmounted and its quota turned off
 * (neither with VZL_STOP_SKIP_UMOUNT). Returns 0, 1 when it was not
 * running (nothing done, as vzctl, which exits 0), or -errno (-ETIMEDOUT: it did not stop).
 * Progress (what it waits for, how long) goes to the log at info level.
 */
VZL_API int vzl_ve_stop(vzl_ve *ve, unsigned int flags, vzl_error **err);
/* Stop (if running) and start under one lock (§3.4); VZL_START_* and VZL_STOP_FAST. */
VZL_API int vzl_ve_restart(vzl_ve *ve, unsigned int flags, vzl_error **err);

/* vzl_ve_cleanup() flags. */
#define VZL_CLEANUP_NOWAIT    (1u << 0) /* the lock held by another command: -EBUSY at once */
#define VZL_CLEANUP_WAIT_GONE (1u << 1) /* first wait (up to 10 s) until the kernel drops it */
/*
 * A VE that stopped from inside (its root ran halt, poweroff or reboot): the kernel no longer
 * lists it, but what its start did on the host stays (root mounted, disk quota on, and with
 * the network, routes). Under the VE's lock, when the run marker its start left says so
 * (<LOCKDIR>/<VEID>.running, removed by stop) and the kernel does not list it: unmount,
 * quota off, marker removed, as stop's tail does. A VE mounted by vzl_ve_mount and never
 * started has no marker and is left as it is. Start, stop, restart, mount and umount do
 * this first by themselves. Returns 1 when something was cleaned, 0 when there was
 * nothing to clean, -errno (-EBUSY, VZL_STEP_LOCK, with VZL_CLEANUP_NOWAIT when the lock
 * is held). Never starts the VE again; a monitor does that on ve-reboot.
 */
VZL_API int vzl_ve_cleanup(vzl_ve *ve, unsigned int flags, vzl_error **err);

/*
 * The kernel's VE events (vzevent, kernel-abi.md §14). vzl_vzevent_open: a descriptor
 * (close-on-exec) to poll and read with vzl_vzevent_read, or -errno: -EPROTONOSUPPORT (the
 * vzevent module is not loaded), -EPERM (needs CAP_NET_ADMIN). vzl_vzevent_read: one
 * message, its action ("ve-start", "ve-stop", "ve-reboot") into action[len] and the VE's id;
 * 0, -EINTR/-EAGAIN without *err, -EBADMSG for a malformed message.
 */
VZL_API int vzl_vzevent_open(vzl_error **err);
VZL_API int vzl_vzevent_read(int fd, char *action, size_t len, unsigned int *veid, vzl_error **err);

/* 1 when the kernel lists the VE (running or stopping), 0 when not; -errno as vzl_ve_status. */
VZL_API int vzl_ve_is_running(vzl_ve *ve, vzl_error **err);

/* ---- Listing VEs (vzlist) ---------------------------------------------------------- */

/* The kernel's beancounter resources (UB_*), 0 .. VZL_UB_COUNT - 1. */
#define VZL_UB_COUNT 25
/* Its name as /proc/user_beancounters prints it ("numproc"); NULL for the unused ids and
 * out of range. */
VZL_API const char *vzl_ub_name(unsigned int ub);

struct vzl_ub_value {
	uint64_t held, maxheld, barrier, limit, failcnt;
};

enum vzl_list_status {
	VZL_LIST_RUNNING = 0, /* on the kernel's list (running or stopping) */
	VZL_LIST_STOPPED,
	VZL_LIST_MOUNTED,   /* stopped, its private area mounted on its root */
	VZL_LIST_SUSPENDED, /* stopped, a checkpoint dump $DUMPDIR/Dump.<VEID> exists */
};

/* One VE as vzlist sees it (vzctl-behaviour.md §3.13). Strings are NULL when unset. */
typedef struct vzl_ve_info {
	unsigned int veid;
	enum vzl_list_status status;
	int hidden; /* a stopped VE whose private area is missing: counted, never shown */
	char *hostname, *name, *description, *ostemplate, *private_dir, *root_dir, *mount_opts,
		*origin_sample;
	/* Lists as vzlist builds them: each element followed by one space. Running VEs: the
	 * kernel's addresses, newest last; others (and a running VE without any): IP_ADDRESS. */
	char *ip, *nameserver, *searchdomain;
	/* Kernel's values of a running VE; else the config's barrier and limit (0 when unset). */
	struct vzl_ub_value ub[VZL_UB_COUNT];
	/* DISKSPACE (KiB) and DISKINODES: usage, soft, hard; the kernel's quota when it has the
	 * VE's, else the config's limits with usage 0 when both keys are set. */
	int has_quota;
	uint64_t diskspace[3], diskinodes[3];
	/* VZCTL_GET_CPU_STAT (running VEs, VZL_LIST_CPUSTAT): load averages and uptime in
	 * seconds, computed in single precision as vzlist does. */
	int has_cpustat;
	double loadavg[3], uptime;
	/* CPU limit in % of one CPU and units: /proc/fairsched for running VEs, else the
	 * config's CPULIMIT/CPUUNITS when one of them is set. */
	int has_cpu;
	unsigned long cpulimit, cpuunits;
	int cpus;   /* CPUS, or the kernel's cpu.nr_cpus of a running VE; 0 unknown */
	int ioprio; /* IOPRIO, -1 unset */
	int onboot, disabled, ploop;
	int has_bootorder;
	unsigned long bootorder;
	uint64_t features_on, features_known; /* FEATURES: VE_FEATURE_* bits */
	unsigned int tasks;                   /* /proc/vz/veinfo's task count of a running VE */
	/* /proc/vz/vestat (VZL_LIST_VESTAT): CPU time used (user + nice + system) and uptime,
	 * both in the kernel's clock ticks */
	int has_vestat;
	uint64_t cpu_ticks, uptime_ticks;
	int has_config; /* <VEID>.conf was read (a running VE may have none) */
} vzl_ve_info;

/* vzl_ve_list() flags: what to collect besides the configs and /proc/vz/veinfo. */
#define VZL_LIST_CONFIGURED (1u << 0) /* every configured VE, not only running ones */
#define VZL_LIST_UB         (1u << 1) /* /proc/bc/resources (or /proc/user_beancounters) */
#define VZL_LIST_QUOTA      (1u << 2) /* /proc/vz/vzquota */
#define VZL_LIST_CPU        (1u << 3) /* /proc/fairsched */
#define VZL_LIST_CPUSTAT    (1u << 4) /* VZCTL_GET_CPU_STAT per running VE */
#define VZL_LIST_CPUS       (1u << 5) /* /proc/vz/fairsched/<id>/cpu.nr_cpus */
#define VZL_LIST_VESTAT     (1u << 6) /* /proc/vz/vestat */
/*
 * The VEs vzlist would collect, sorted by id: running ones (and with VZL_LIST_CONFIGURED
 * or `ids` the configured ones), limited to `ids` (n_ids of them) when n_ids > 0. Each /proc
 * file is read once, from the context's VZL_PATH_PROC; no process is started. *ret (free
 * with vzl_ve_list_free) may be empty. Errors: a /proc file that cannot be read
 * (VZL_STEP_KERNEL_OPEN, naming it), -ENOMEM.
 */
VZL_API int vzl_ve_list(vzl_ctx *ctx, unsigned int flags, const unsigned int *ids, size_t n_ids,
			vzl_ve_info **ret, size_t *ret_n, vzl_error **err);
VZL_API void vzl_ve_list_free(vzl_ve_info *v, size_t n);
/* The VE whose NAME is `name`: the link names/<name> beside vz.conf (/etc/vz/names) points
 * to its config, as vzctl keeps names. -ENOENT/-EINVAL (VZL_STEP_ARGUMENT) otherwise. */
VZL_API int vzl_ve_id_by_name(vzl_ctx *ctx, const char *name, unsigned int *ret, vzl_error **err);

/*
 * The beancounter of VE `veid` from /proc/bc/resources (or /proc/user_beancounters):
 * ret[ub] for every resource the file lists, *ret_present a bit per UB id listed.
 * -ESRCH (VZL_STEP_STATE) when the kernel has no beancounter for it (not running).
 */
VZL_API int vzl_ve_ub_read(vzl_ctx *ctx, unsigned int veid, struct vzl_ub_value ret[VZL_UB_COUNT],
			   uint32_t *ret_present, vzl_error **err);

/*
 * The failcnt counts `vzlite ubc` last saw for VE `veid` (<LOCKDIR>/<VEID>.failcnt) into
 * prev[] (a bit per resource in *prev_present; none on the first look), replaced by now[]
 * (the resources in `present`). Written atomically, never through a symbolic link. Errors:
 * VZL_STEP_LOCK naming the lock directory or the file.
 */
VZL_API int vzl_ve_ub_failcnt_swap(vzl_ctx *ctx, unsigned int veid,
				   const struct vzl_ub_value now[VZL_UB_COUNT], uint32_t present,
				   uint64_t prev[VZL_UB_COUNT], uint32_t *prev_present,
				   vzl_error **err);

/* ---- Running programs inside a VE --------------------------------------------------- */

/* vzl_exec.flags */
#define VZL_EXEC_TTY   (1u << 0) /* a pty allocated inside the VE is the program's stdio */
#define VZL_EXEC_LOGIN (1u << 1) /* with `paths`: argv[0] is "-" and the program's base name */

/* What to run in a VE (vzctl-behaviour.md §3.7). */
struct vzl_exec {
	/* The program's arguments, argv[0] its name: without `paths` a name without '/' is looked
	 * up in PATH of `envp` (default vzctl's DEF_PATH) inside the VE, as execvp does. */
	char *const *argv;
	/* NULL, or programs tried in order, the first that exists runs (e.g. "/bin/bash",
	 * "/bin/sh"); argv[0] is then replaced by the base name of the one that runs. */
	const char *const *paths;
	char *const *envp; /* the program's whole environment */
	unsigned int flags;
	unsigned short rows, cols; /* VZL_EXEC_TTY: the pty's first window size (0: unset) */
};

/* A program started in a VE. Descriptors are close-on-exec and owned by the caller. */
struct vzl_exec_child {
	int pid;                            /* on the host: wait for it, send it signals */
	int stdin_fd, stdout_fd, stderr_fd; /* pipes to the program's stdio; -1 with a tty */
	int tty_fd;                         /* VZL_EXEC_TTY: the pty's master side; else -1 */
};

/*
 * Start a program in the running VE as vzctl enters one (§3.7, kernel-abi.md §12.2): a
 * child does setluid(VEID), chroot(VE_ROOT), setsid, VZCTL_ENV_CREATE{VE_ENTER} (EBUSY
 * retried three times, one second apart), setgroups(0), closes every other descriptor,
 * and executes the program; the host's descriptors never reach the VE, its stdio is pipes
 * or a pty of the VE's own devpts. Returns 0 once the program runs (its exit status is the
 * child's: waitpid `child->pid`), or -errno with no process left: -ESRCH (VZL_STEP_STATE)
 * when the VE is not running, VZL_STEP_ENV_CREATE for a refused entry, VZL_STEP_EXEC when
 * the program cannot be executed (-ENOENT: not found, -EACCES, ...); a pty that cannot be
 * allocated (no devpts on the VE's /dev/pts) is VZL_STEP_ENV_CREATE. No lock (as vzctl).
 */
VZL_API int vzl_ve_exec(vzl_ve *ve, const struct vzl_exec *how, struct vzl_exec_child *child,
			vzl_error **err);

/*
 * The host side of the VE's virtual console `n` (1..12; 1 is the VE's /dev/console) through
 * VZCTL_VE_CONFIGURE{VE_CONFIGURE_OPEN_TTY} (§3.7 console). The VE need not run: consoles
 * outlive it. Returns a descriptor (close-on-exec) or -errno (-EBUSY: attached elsewhere).
 */
VZL_API int vzl_ve_console_open(vzl_ve *ve, unsigned int n, vzl_error **err);

/* ---- Disk quota -------------------------------------------------------------------- */
/*
 * A VE's disk quota, as vzquota keeps it (vzctl-behaviour.md §4): limits from DISKSPACE,
 * DISKINODES, QUOTATIME, QUOTAUGIDLIMIT and the per-uid/gid entries of VZLITE_UGID_QUOTA;
 * usage in the kernel while the quota is on, and in $VZQUOTA_DIR/quota.<VEID> (vzquota's
 * own format, so vzquota and vzlite can take turns) while it is off. Every operation holds
 * vzquota's lock on that file (flock): a vzquota running at the same time waits for nothing
 * and exits 7, and this fails with -EWOULDBLOCK. Errors are VZL_STEP_QUOTA; the parameter is
 * set when a missing or bad value is the cause ("DISKSPACE", "DISKINODES", "DISK_QUOTA",
 * "QUOTAUGIDLIMIT"); a corrupt file is -EBADMSG with the recovery in the message. On failure
 * the kernel's quota is as it was (an `on` that fails leaves none, an `off` that fails leaves
 * none either and the file as it was, which then says the next `on` must rescan) and the
 * file is unchanged.
 */

typedef struct vzl_config vzl_config; /* described under "Config files" */

/* Usage and limits of one quota (first level, or one uid or gid). Space in bytes. */
struct vzl_quota_usage {
	uint64_t space, space_soft, space_hard;
	int64_t space_grace_end; /* when the space grace period ends; 0: not running */
	uint64_t inodes, inodes_soft, inodes_hard;
	int64_t inodes_grace_end;
};

struct vzl_quota_ugid {
	int group; /* 0 a uid, 1 a gid */
	uint32_t id;
	struct vzl_quota_usage usage;
};

typedef struct vzl_quota_info {
	int on;         /* the kernel has the quota on (the values are the kernel's) */
	int file_on;    /* the file says on: a shutdown that was not clean, or on now */
	int file_dirty; /* the file says its usage must be recomputed */
	int ugid_on;    /* the second level is enabled */
	uint32_t ugid_limit;
	int64_t space_grace, inodes_grace; /* grace periods, seconds */
	struct vzl_quota_usage total;
	struct vzl_quota_ugid *ugid; /* users by id, then groups by id */
	size_t n_ugid;
	char *path; /* the quota root the file stores, or NULL */
} vzl_quota_info;

/* vzl_ve_quota_on() flags */
#define VZL_QUOTA_RESCAN  (1u << 0) /* recompute the usage whatever the file says (-f) */
#define VZL_QUOTA_NOCHECK (1u << 1) /* do not rescan although the file asks (--nocheck) */
/* vzl_ve_quota_drop() flag: also when the quota is on (it is turned off, not saved) */
#define VZL_QUOTA_FORCE (1u << 2)

/*
 * vzquota init: scan the private area (progress through `fn`, may be NULL; its `items` are
 * the entries seen) and write the file with the config's limits, quota off. A quota the
 * kernel has is refused (-EBUSY).
 */
VZL_API int vzl_ve_quota_init(vzl_ve *ve, vzl_progress_fn fn, void *userdata, vzl_error **err);
/*
 * vzquota on for the private area with the config's limits: the file is created (by a scan)
 * when missing; the usage is rescanned when the file says the quota was not turned off
 * cleanly, is dirty, stores another path, or VZL_QUOTA_RESCAN; else the stored usage is
 * used. Second-level records and per-uid/gid limits go to the kernel when QUOTAUGIDLIMIT > 0.
 * VZ_DQ_ON is retried on EBUSY as vzquota does. Returns 1 when the usage was rescanned, 0
 * when not, 2 when the quota was on already (its limits are then updated as `set` does).
 */
VZL_API int vzl_ve_quota_on(vzl_ve *ve, unsigned flags, vzl_progress_fn fn, void *userdata,
			    vzl_error **err);
/*
 * vzquota off: the final usage is read back from the kernel and saved in the file with the
 * quota marked off, then the kernel's quota is destroyed. Returns 1 when it was on, 0 when
 * it was not (a file still marked on is then marked off, as vzquota repairs it). `flags` 0.
 */
VZL_API int vzl_ve_quota_off(vzl_ve *ve, unsigned flags, vzl_error **err);
/* vzquota drop: remove the file; refused while the quota is on unless VZL_QUOTA_FORCE. */
VZL_API int vzl_ve_quota_drop(vzl_ve *ve, unsigned flags, vzl_error **err);
/*
 * The quota's usage and limits: the kernel's while it is on, else the file's. -ENOENT when
 * neither has it.
 */
VZL_API int vzl_ve_quota_stat(vzl_ve *ve, vzl_quota_info **ret, vzl_error **err);
VZL_API void vzl_quota_info_free(vzl_quota_info *info);
/*
 * Apply the limits of `cfg` (the VE's config with values set on it, not necessarily saved)
 * to the VE's running quota, as `vzctl set` does with vzquota setlimit: VZ_DQ_SETLIMIT,
 * the second level's record limit and per-uid/gid limits; the file's stored limits follow.
 * Returns 1 when applied, 0 when the quota is not on (nothing done). Turning the second
 * level on or off needs the quota turned off first (-EBUSY, parameter QUOTAUGIDLIMIT).
 */
VZL_API int vzl_ve_quota_apply(vzl_ve *ve, const vzl_config *cfg, vzl_error **err);

/* ---- Domain XML -------------------------------------------------------------------- */
/*
 * Define a VE from a domain document (docs/xml.md): the seed proposal's format or libvirt's
 * OpenVZ format with vzlite's extension (namespace urn:vzlite:ve:1 inside <metadata>).
 * The document is read safely (at most 1 MiB, UTF-8, no DOCTYPE, no entities, no network)
 * and every value checked before anything is written. A new VE starts from its profile
 * (<profile>, <vz:profile> or CONFIGFILE), gets the document's values on top, a "#UUID:"
 * line (the document's or a new one; nil and UUIDs used by other VEs are refused) and a
 * private area extracted from its template unless one exists; an existing VE's config is
 * rewritten and its UUID kept. On failure nothing is left. With dry-run on, nothing is
 * written. `flags` must be 0. *ret_veid (may be NULL) is the VE defined; *ret_config (may
 * be NULL) the config text written or, in a dry run, that would be, malloc()ed.
 * Errors: VZL_STEP_XML (-EINVAL; the message names the line and element, -EFBIG for an
 * oversized document), VZL_STEP_CONFIG_VALUE, and those of vzl_ve_create().
 */
VZL_API int vzl_domain_define_xml(vzl_ctx *ctx, const char *xml, size_t len, unsigned flags,
				  unsigned *ret_veid, char **ret_config, vzl_error **err);
/*
 * The VE's config as libvirt's OpenVZ domain format plus vzlite's extension, which carries
 * every key of the config so that defining the output gives the same values. malloc()ed
 * into *ret_xml. -ENOENT (VZL_STEP_STATE) when the VE has no config.
 */
VZL_API int vzl_ve_dump_xml(vzl_ve *ve, char **ret_xml, vzl_error **err);

/* ---- Parameters -------------------------------------------------------------------- */
/*
 * The table of every VE parameter vzctl knows, in vzctl's write-back order. Index from 0
 * to vzl_param_count() - 1; out-of-range indexes give NULL.
 */
VZL_API size_t vzl_param_count(void);
VZL_API const char *vzl_param_name(size_t i);    /* "KMEMSIZE" */
VZL_API const char *vzl_param_option(size_t i);  /* "kmemsize" (for --kmemsize), or NULL */
VZL_API const char *vzl_param_type(size_t i);    /* "barrier:limit", "yes/no", ... */
VZL_API const char *vzl_param_unit(size_t i);    /* "bytes", "pages", ... or "" */
VZL_API const char *vzl_param_default(size_t i); /* NULL when unset by default */
VZL_API const char *vzl_param_live(size_t i);    /* how a change reaches a running VE */
VZL_API const char *vzl_param_applier(size_t i); /* the kernel call, e.g. "setublimit" */
VZL_API const char *vzl_param_help(size_t i);
/*
 * The config key a `vzlite set` option changes ("kmemsize" or "k" → "KMEMSIZE"), or NULL.
 * The option is given without dashes.
 */
VZL_API const char *vzl_param_key_for_option(const char *option);

/* What `vzlite set` does with an option, from the parameter table (vzl_param_set_policy). */
#define VZL_SET_NOT_IMPLEMENTED (1u << 0) /* the option is not implemented in this version yet */
#define VZL_SET_APPLIED_LIVE    (1u << 1) /* applied to a running VE; a stopped VE fails */
#define VZL_SET_NEEDS_SAVE      (1u << 2) /* only accepted together with --save */
#define VZL_SET_REFUSED_RUNNING (1u << 3) /* may not change while the VE runs */
#define VZL_SET_QUOTA           (1u << 4) /* goes to the disk quota when it is on (vzl_ve_quota_apply) */
/* The VZL_SET_* bits of option `option` (no dashes, as vzl_param_key_for_option); 0 when
 * unknown or none apply. Options that change no parameter (--reset_ub, ...) have no key but
 * may have VZL_SET_NOT_IMPLEMENTED. */
VZL_API unsigned vzl_param_set_policy(const char *option);

/* ---- Config files ------------------------------------------------------------------ */
/*
 * A VE config (<VEID>.conf), a profile (ve-NAME.conf-sample) or any file in that format,
 * read with vzctl's rules and layered over the context's vz.conf as vzctl does. Every line is
 * kept: saving rewrites only the lines of the keys that were set and leaves comments, order
 * and unknown keys alone.
 */
typedef struct vzl_config vzl_config;

/* Where an effective value comes from. */
enum vzl_source {
	VZL_SOURCE_NONE = 0, /* set nowhere */
	VZL_SOURCE_DEFAULT,  /* the parameter's default (vzl_param_default) */
	VZL_SOURCE_GLOBAL,   /* vz.conf */
	VZL_SOURCE_FILE,     /* the config itself, including values set since it was opened */
	_VZL_SOURCE_MAX,
};

/* How bad a problem found in a config is. ERROR and WARNING fail validation. */
enum vzl_severity {
	VZL_SEVERITY_ERROR = 0,      /* invalid value, missing or inconsistent parameter */
	VZL_SEVERITY_WARNING,        /* vzcfgvalidate's "Warning": fails unless fixed */
	VZL_SEVERITY_RECOMMENDATION, /* vzcfgvalidate's "Recommendation": does not fail */
	VZL_SEVERITY_NOTE,           /* skipped line, unknown key, ignored duplicate */
	_VZL_SEVERITY_MAX,
};

/* "error", "warning", "recommendation", "note"; NULL out of range. */
VZL_API const char *vzl_severity_name(enum vzl_severity severity);

/*
 * Open the config of `ve`. A VE without a config yet gives an empty one that saving creates
 * (as `vzctl set --save` does). Problems in the file are logged as warnings through the
 * context's log sink and the values concerned skipped, as vzctl does; vzl_config_validate()
 * reports them. -ENOMEM, or the error of reading the file (VZL_STEP_CONFIG_READ).
 */
VZL_API int vzl_config_open_ve(vzl_ve *ve, vzl_config **ret, vzl_error **err);
/*
 * vzl_config_open_ve for changing the config: the VE's lock ($LOCKDIR/<VEID>.lck, vzctl's)
 * is taken before the file is read and held until vzl_config_free(), so no other command
 * changes the file between this read and vzl_config_save(). Another vzlite command holding
 * the lock is waited for (10 s at most); -EBUSY (VZL_STEP_LOCK) when the lock stays taken.
 */
VZL_API int vzl_config_open_ve_locked(vzl_ve *ve, vzl_config **ret, vzl_error **err);
/*
 * Open any config file by path. `ctx` may be NULL: then no vz.conf is layered under it and
 * nothing is logged. A missing file is -ENOENT.
 */
VZL_API int vzl_config_open_file(vzl_ctx *ctx, const char *path, vzl_config **ret, vzl_error **err);
VZL_API void vzl_config_free(vzl_config *cfg);
/* The file's path (borrowed). */
VZL_API const char *vzl_config_path(const vzl_config *cfg);
/* 1 when the file existed when opened or has been saved, else 0. */
VZL_API int vzl_config_exists(const vzl_config *cfg);

/*
 * The effective value of parameter `key` (a config key such as "KMEMSIZE" or an alias),
 * as text in config syntax: malloc()ed into *ret_value, free() it; NULL when unset. With
 * `with_default` (VZL_GET_* flags; 1 = VZL_GET_DEFAULT), an unset parameter gives its default,
 * and with VZL_GET_CANONICAL the value is in canonical form. `ret_source` may be NULL.
 * Unknown keys are looked up in the file alone. -EINVAL for an empty key.
 */
/* vzl_config_get() flags; 1 stays "with_default" for older callers. */
#define VZL_GET_DEFAULT   (1u << 0) /* an unset parameter gives its default */
#define VZL_GET_CANONICAL (1u << 1) /* numbers in the parameter's unit, as vzlite writes them */
VZL_API int vzl_config_get(const vzl_config *cfg, const char *key, int with_default,
			   char **ret_value, enum vzl_source *ret_source, vzl_error **err);

/*
 * Every key set in the file or in vz.conf, known ones in the parameter table's order, then
 * unknown ones in file order: a NULL-terminated array in *ret_keys; free() each string and
 * the array. Returns the number of keys.
 */
VZL_API int vzl_config_keys(const vzl_config *cfg, char ***ret_keys, vzl_error **err);

/*
 * Set `key` to `value` in memory, checked as a command-line value (numbers above the
 * target's LONG_MAX are errors, not clamped). The stored text is vzctl's rendering (numbers
 * in the parameter's unit, e.g. "2G" for KMEMSIZE becomes 2147483648). Refused, with
 * -EINVAL and VZL_STEP_CONFIG_VALUE: unknown keys, keys only vz.conf may set, keys that are
 * never saved, malformed or out-of-range values, and values with control characters. The
 * message names the parameter, the value and what is accepted. Returns 1 when the file's
 * text changed, 0 when it already had this value.
 */
VZL_API int vzl_config_set(vzl_config *cfg, const char *key, const char *value, vzl_error **err);
/*
 * Set one uid's or gid's second-level quota limits in VZLITE_UGID_QUOTA (vzlite's key; vzctl
 * has none): `entry` is u|g:ID:BSOFT:BHARD:ISOFT:IHARD (1 KiB blocks, inodes), replacing the
 * id's entry; all limits 0 removes it. In memory until vzl_config_save; vzl_ve_quota_apply
 * sends it to an on quota. -EINVAL (VZL_STEP_CONFIG_VALUE) for another syntax.
 */
VZL_API int vzl_config_set_ugid_limit(vzl_config *cfg, const char *entry, vzl_error **err);
/*
 * IP_ADDRESS `list` of VE `veid` without the addresses of `del` (blank- or comma-separated,
 * compared by address, the /PREFIX ignored), or empty for "all", as `set --ipdel` saves it
 * (vzctl-behaviour.md §2.4). *ret is malloc'd, space-separated. -EINVAL (VZL_STEP_ARGUMENT,
 * parameter IP_ADDRESS) naming the address when `del` names one the list lacks.
 */
VZL_API int vzl_ip_list_remove(unsigned int veid, const char *list, const char *del, char **ret,
			       vzl_error **err);

/*
 * Edit NETIF of VE `veid` in memory as vzctl's set options do, applied in vzctl's order
 * whatever their order here: every `netif_del` (IFNAME or all), every `netif_add`
 * (IFNAME[,MAC[,HOST_IFNAME[,HOST_MAC[,BRIDGE]]]], several separated by blanks; the names
 * and MACs not given are generated and written, vzctl-behaviour.md §5.4), then `mac`,
 * `host_ifname`, `host_mac`, `bridge` and `mac_filter` (on|off) on the device `ifname`
 * names. options[i] is the option without dashes, values[i] its value. -EINVAL
 * (VZL_STEP_CONFIG_VALUE) naming the option for a bad value or an unknown device; nothing
 * is changed then.
 */
VZL_API int vzl_config_edit_netif(vzl_config *cfg, unsigned veid, const char *const *options,
				  const char *const *values, size_t n, vzl_error **err);

/*
 * Write the config back if it changed: only the lines of the keys set are rewritten (a
 * duplicate line of the same key is removed), new keys are appended at the end, and the file
 * is replaced atomically (temporary file, fsync, rename, fsync of the directory) keeping its
 * mode. Returns 1 when written, 0 when there was nothing to write. VZL_STEP_CONFIG_WRITE.
 * A VE config opened without its lock (vzl_config_open_ve) may lose a concurrent change made
 * between the read and this write: open it with vzl_config_open_ve_locked to change it.
 * Temporary files that killed saves of the same file left behind are removed.
 */
VZL_API int vzl_config_save(vzl_config *cfg, vzl_error **err);

/*
 * The UUID of the config's "#UUID: ..." comment line (the form libvirt's OpenVZ driver
 * writes), lower case, borrowed; NULL when there is none or it does not parse.
 */
VZL_API const char *vzl_config_uuid(const vzl_config *cfg);
/*
 * Set the "#UUID:" line to `uuid` (NULL: a new random one from libuuid), appending it at the
 * end as libvirt does when there is none. -EINVAL for a malformed or nil UUID. Saved by
 * vzl_config_save().
 */
VZL_API int vzl_config_set_uuid(vzl_config *cfg, const char *uuid, vzl_error **err);

/* ---- set on a running VE ----------------------------------------------------------- */
/* vzl_ve_set_live() flags. */
#define VZL_SET_LIVE_SAVE   (1u << 0) /* write the config once everything was applied */
#define VZL_SET_LIVE_IGNORE (1u << 1) /* --setmode ignore: refuse if a change needs a restart */
/* --setmode restart (with VZL_SET_LIVE_SAVE): when a change needs a restart, apply nothing
 * live, save, and restart the VE under the lock `cfg` holds */
#define VZL_SET_LIVE_RESTART (1u << 2)
/* vzl_ve_set_live() results. */
#define VZL_SET_LIVE_NEEDS_RESTART (1u << 0) /* a change takes effect at the next start only */
#define VZL_SET_LIVE_NOT_APPLIED   (1u << 1) /* a change vzlite cannot apply live yet: stored */
/*
 * `set` on a running VE (vzctl-behaviour.md §3.6): `cfg` is the VE's config opened with
 * vzl_config_open_ve_locked (its lock is held for the whole command). Each keys[i] gets
 * values[i] (checked as vzl_config_set checks it; nothing is applied when one is bad), each
 * changed parameter a running VE takes is sent to the kernel by its applier in vzctl's
 * order (setublimit, fairsched_rate/chwt/vcpus/masks, VZCTL_SETDEVPERMS, VZCTL_VE_MEMINFO,
 * I/O), and with VZL_SET_LIVE_SAVE the config is then written (only the changed lines).
 * When a call fails, the parameters already applied are set back to their previous values
 * from the config and nothing is written; the error names the parameter (VZL_STEP_UBC_SET,
 * VZL_STEP_FAIRSCHED, ...). *ret_result (may be NULL) gets VZL_SET_LIVE_* results.
 * -ESRCH (VZL_STEP_STATE) when the VE does not run; -EBUSY (VZL_STEP_STATE) for VE_ROOT and
 * VE_PRIVATE, and with VZL_SET_LIVE_IGNORE when a change needs a restart; -EINVAL
 * (VZL_STEP_ARGUMENT) for VZL_SET_LIVE_RESTART without VZL_SET_LIVE_SAVE. With
 * VZL_SET_LIVE_RESTART a failed restart is returned with the config saved (as vzctl).
 * With dry-run on, the kernel calls are reported and nothing is written.
 */
VZL_API int vzl_ve_set_live(vzl_ve *ve, vzl_config *cfg, const char *const *keys,
			    const char *const *values, size_t n, unsigned flags,
			    unsigned *ret_result, vzl_error **err);
/*
 * vzctl set --reset_ub: send every UB parameter of `cfg` (the VE's config) to the running VE
 * with setublimit, in start's order. Nothing is saved. -ESRCH (VZL_STEP_STATE) when the VE
 * does not run; the first failed call's error (VZL_STEP_UBC_SET).
 */
VZL_API int vzl_ve_reset_ub(vzl_ve *ve, vzl_config *cfg, vzl_error **err);

/* ---- Validation -------------------------------------------------------------------- */

/* A list of problems found in a config. */
typedef struct vzl_report vzl_report;

/* vzl_config_validate() flags. */
#define VZL_VALIDATE_FIX     (1u << 0) /* compute repairs and set them in the config (unsaved) */
#define VZL_VALIDATE_VSWAP   (1u << 1) /* check as a VSwap config (vzcfgvalidate -v yes) */
#define VZL_VALIDATE_CLASSIC (1u << 2) /* check as a classic UBC config (-v no) */

/*
 * Check the config with vzcfgvalidate's rules (VSwap or classic, decided as vzctl does
 * unless a flag says which), the kernel's ranges, and every value's syntax. With
 * VZL_VALIDATE_FIX the suggested values are also set in the config, as vzcfgvalidate -r
 * does; nothing is written until vzl_config_save(). *ret receives the report (release with
 * vzl_report_free) also when it lists problems: the return value is 0 when the config is
 * valid (no error or warning left), 1 when it is not, negative on failure.
 */
VZL_API int vzl_config_validate(vzl_config *cfg, unsigned flags, vzl_report **ret, vzl_error **err);
VZL_API void vzl_report_free(vzl_report *report);
VZL_API size_t vzl_report_count(const vzl_report *report);
VZL_API enum vzl_severity vzl_report_severity(const vzl_report *report, size_t i);
/* The parameter concerned ("KMEMSIZE"), or NULL. */
VZL_API const char *vzl_report_param(const vzl_report *report, size_t i);
/* One sentence with the values involved, e.g. "KMEMSIZE: barrier 10 is above limit 5". */
VZL_API const char *vzl_report_message(const vzl_report *report, size_t i);
/* The suggested fix as a config line (KMEMSIZE="10:10"), or NULL when there is none. */
VZL_API const char *vzl_report_fix(const vzl_report *report, size_t i);
/* 1 when the config was checked as VSwap, 0 classic. */
VZL_API int vzl_report_vswap(const vzl_report *report);

/*
 * Text: length in bytes (1..4) of the UTF-8 character `s` starts with, or 0 when it does
 * not start one (RFC 3629: overlong forms, surrogates and code points above U+10FFFF are
 * not UTF-8). Config values are bytes (old vzctl hosts have Latin-1); a program writing
 * them into JSON or XML checks them with this, as `vzlite` and vzl_ve_dump_xml do.
 */
VZL_API size_t vzl_utf8_char_len(const char *s);

#ifdef __cplusplus
}
#endif

#endif
