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
	VZL_STEP_CONFIG_READ,   /* reading vz.conf, a VE config or a profile */
	VZL_STEP_CONFIG_VALUE,  /* a parameter's value is malformed or out of range */
	VZL_STEP_CONFIG_WRITE,  /* writing a VE config */
	VZL_STEP_ARGUMENT,      /* a bad argument from the caller (VEID, name, option) */
	VZL_STEP_PATH,          /* a directory from the configuration is unusable */
	VZL_STEP_LOCK,          /* taking the per-VE lock */
	VZL_STEP_KERNEL_OPEN,   /* opening /dev/vzctl or probing the kernel */
	VZL_STEP_SETLUID,       /* setluid: attaching to the VE's beancounter */
	VZL_STEP_UBC_SET,       /* setublimit */
	VZL_STEP_FAIRSCHED,     /* a fair-scheduler call */
	VZL_STEP_ENV_CREATE,    /* VZCTL_ENV_CREATE_DATA: creating or entering a VE */
	VZL_STEP_QUOTA,         /* first- or second-level disk quota */
	VZL_STEP_VENET,         /* VENETCTL_VE_IP_MAP */
	VZL_STEP_NETLINK,       /* host routes, proxy ARP, in-VE addresses */
	VZL_STEP_MOUNT,         /* mounting or unmounting the VE's root */
	VZL_STEP_TEMPLATE,      /* finding a template cache */
	VZL_STEP_EXTRACT,       /* extracting a template cache */
	VZL_STEP_XML,           /* reading or writing domain XML */
	VZL_STEP_STATE,         /* the VE is in the wrong state (running, stopped, absent) */
	VZL_STEP_PROFILE,       /* finding or applying a profile (ve-NAME.conf-sample) */
	VZL_STEP_NOT_IMPLEMENTED, /* the operation does not exist in this version yet */
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
VZL_API int vzl_ctx_set_path(vzl_ctx *ctx, enum vzl_path which, const char *value,
			     vzl_error **err);
/* The path as configured (unexpanded: VE_PRIVATE may contain $VEID), or NULL if unset. */
VZL_API const char *vzl_ctx_get_path(const vzl_ctx *ctx, enum vzl_path which);
/* A value from the global config as read (unexpanded), or NULL if absent. */
VZL_API const char *vzl_ctx_get_global(const vzl_ctx *ctx, const char *key);

enum vzl_log_level {
	VZL_LOG_ERR = 3,
	VZL_LOG_WARNING = 4,
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
 * Parse a VEID as vzctl does: decimal, 0..VZL_VEID_MAX, no sign, no trailing garbage.
 * -EINVAL otherwise.
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

/* Options of a create; unset fields are NULL. */
typedef struct vzl_create_opts vzl_create_opts;
VZL_API int vzl_create_opts_new(vzl_create_opts **ret, vzl_error **err);
VZL_API void vzl_create_opts_free(vzl_create_opts *opts);
/* key is one of "ostemplate", "config", "private", "root", "hostname", "ipadd" (repeatable). */
VZL_API int vzl_create_opts_set(vzl_create_opts *opts, const char *key, const char *value,
				vzl_error **err);

/*
 * Create the VE: template cache and profile are resolved as vzctl does. In this version
 * only a dry run is implemented: with dry-run on, the plan and the kernel calls are
 * reported and nothing is changed; otherwise -ENOSYS (VZL_STEP_NOT_IMPLEMENTED).
 */
VZL_API int vzl_ve_create(vzl_ve *ve, const vzl_create_opts *opts, vzl_error **err);

/* ---- Parameters -------------------------------------------------------------------- */
/*
 * The table of every VE parameter vzctl knows, in vzctl's write-back order. Index from 0
 * to vzl_param_count() - 1; out-of-range indexes give NULL.
 */
VZL_API size_t vzl_param_count(void);
VZL_API const char *vzl_param_name(size_t i);      /* "KMEMSIZE" */
VZL_API const char *vzl_param_option(size_t i);    /* "kmemsize" (for --kmemsize), or NULL */
VZL_API const char *vzl_param_type(size_t i);      /* "barrier:limit", "yes/no", ... */
VZL_API const char *vzl_param_unit(size_t i);      /* "bytes", "pages", ... or "" */
VZL_API const char *vzl_param_default(size_t i);   /* NULL when unset by default */
VZL_API const char *vzl_param_live(size_t i);      /* how a change reaches a running VE */
VZL_API const char *vzl_param_applier(size_t i);   /* the kernel call, e.g. "setublimit" */
VZL_API const char *vzl_param_help(size_t i);

#ifdef __cplusplus
}
#endif

#endif
