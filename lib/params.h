/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The parameter table: one row per config key vzctl knows (vzctl-behaviour.md §2.5, §1.1),
 * saying how its value is written, in which unit, what it is when unset, whether a running
 * VE takes a change, and which kernel call (or other mechanism) applies it. Parsing,
 * validation, set, get, the XML mappings and `vzlite help params` all read this table;
 * a new parameter is a new row in params.c plus its tests (style.md rule 6).
 *
 * Row order is the order vzctl writes keys back (§2.7): the UB resources, then the other
 * saved keys in vzctl's config-table order, then the keys that are never written back
 * (PARAM_F_NOT_SAVED), vz.conf-only ones last.
 */
#ifndef VZL_PARAMS_H
#define VZL_PARAMS_H

#include <stdbool.h>
#include <stddef.h>

#include "vzlite.h"

/* How a value is written (the grammar a parser must accept, §2.4). */
enum param_type {
	PARAM_T_UBC,          /* BAR[:LIM], "unlimited", K/M/G/T/P/B suffixes per unit */
	PARAM_T_DISK,         /* SOFT[:HARD], suffixes, no "unlimited" */
	PARAM_T_UINT,         /* decimal, no suffix, "unlimited" = LONG_MAX */
	PARAM_T_INT,          /* signed decimal */
	PARAM_T_FLOAT,        /* decimal with optional fraction */
	PARAM_T_BOOL,         /* exactly "yes" or "no" */
	PARAM_T_STRING,       /* free text */
	PARAM_T_WORD,         /* one token without blanks: template or sample name */
	PARAM_T_PATH,         /* host path; the first $VEID / ${VEID} is expanded (§1.4) */
	PARAM_T_HOST_PATH,    /* host path taken literally */
	PARAM_T_NAME,         /* VE name: letters, digits, space and -+_. */
	PARAM_T_HOSTNAME,     /* host name: dot-separated labels of letters, digits, -_ */
	PARAM_T_LAYOUT,       /* simfs | ploop[:expanded|plain|raw] */
	PARAM_T_IP_LIST,      /* addresses with optional /prefix (§5.3) */
	PARAM_T_WORD_LIST,    /* blank-separated words, or "inherit" for the DNS keys */
	PARAM_T_NETDEV,       /* host interface names (no venet*, tun*, tap*, lo*) */
	PARAM_T_NETIF,        /* veth devices: key=value fields, devices split on ';' (§5.4) */
	PARAM_T_CPULIMIT,     /* N (% of one CPU) or N% (% of the host) */
	PARAM_T_CPUMASK,      /* CPU list "0-2,7", "all" or "auto" */
	PARAM_T_NODEMASK,     /* NUMA node list or "all" */
	PARAM_T_CAPABILITIES, /* name:on|off, comma or blank separated */
	PARAM_T_FEATURES,     /* feature:on|off list */
	PARAM_T_NETFILTER,    /* disabled | stateless | stateful | full */
	PARAM_T_IPTABLES,     /* iptables module names (deprecated mask form, §2.6) */
	PARAM_T_DEVICES,      /* b|c:MAJOR:MINOR|all:[rwq]|none */
	PARAM_T_DEVNODES,     /* NAME:[rwq]|none, NAME under /dev */
	PARAM_T_PCI,          /* [DOMAIN:]BUS:SLOT.FUNC, hex */
	PARAM_T_MEMINFO,      /* none | pages:N | privvmpages:N */
	PARAM_T_IOLIMIT,      /* bytes/s in a config; MB/s or b/k/m/g suffix as an option */
	PARAM_T_USERPW,       /* user:password pairs */
	_PARAM_T_MAX,
};

/* Unit of the number(s) in a value as stored in a config file. */
enum param_unit {
	PARAM_U_NONE,
	PARAM_U_BYTES,
	PARAM_U_PAGES, /* 4096 bytes on x86 */
	PARAM_U_ITEMS, /* count-type UB resources: no suffix allowed */
	PARAM_U_KIB,   /* 1 KiB disk blocks */
	PARAM_U_INODES,
	PARAM_U_SECONDS,
	PARAM_U_PERCENT,
	PARAM_U_BYTES_PER_SEC,
	PARAM_U_OPS_PER_SEC,
	PARAM_U_WEIGHT, /* relative CPU share */
	PARAM_U_COUNT,
	_PARAM_U_MAX,
};

/* What a change of the parameter does to a running VE (§3.6). */
enum param_live {
	PARAM_LIVE_YES,     /* applied to the running VE by the applier */
	PARAM_LIVE_RESTART, /* saved, takes effect at the next start */
	PARAM_LIVE_CONFIG,  /* only stored; read by create/start/stop or other tools */
	PARAM_LIVE_REFUSED, /* may not change while the VE runs (exit 32) */
	PARAM_LIVE_OPTION,  /* command-line option only, never saved */
	PARAM_LIVE_GLOBAL,  /* host-wide setting from vz.conf */
	_PARAM_LIVE_MAX,
};

/*
 * What applies the value. Mostly a kernel call, named by param_applier_name() as the kernel
 * spells it; a few parameters take effect through files inside the VE, sysfs or a symlink.
 */
enum param_applier {
	PARAM_A_NONE, /* stored only; read by vzlite itself */
	PARAM_A_SETUBLIMIT,
	PARAM_A_FAIRSCHED_CHWT,
	PARAM_A_FAIRSCHED_RATE,
	PARAM_A_FAIRSCHED_VCPUS,
	PARAM_A_FAIRSCHED_CPUMASK,
	PARAM_A_FAIRSCHED_NODEMASK,
	PARAM_A_VENET_IP_MAP,
	PARAM_A_SETDEVPERMS,
	PARAM_A_VE_NETDEV,
	PARAM_A_VE_MEMINFO,
	PARAM_A_VETH_HWADDR,
	PARAM_A_QUOTA_SETLIMIT, /* first-level quota limits and grace time */
	PARAM_A_QUOTA_ON,       /* first-level quota turned on at mount */
	PARAM_A_QUOTA_UGID,     /* second-level (per uid/gid) quota */
	PARAM_A_IOPRIO_SET,
	PARAM_A_SET_IOLIMIT,
	PARAM_A_SET_IOPSLIMIT,
	PARAM_A_ENV_CREATE,  /* field of env_create_param3 at VE creation */
	PARAM_A_CAPSET,      /* bounding set and capset() in the VE's init */
	PARAM_A_SIMFS_MOUNT, /* mount of VE_PRIVATE on VE_ROOT */
	PARAM_A_VE_HOSTNAME, /* hostname files inside the VE */
	PARAM_A_VE_RESOLV,   /* /etc/resolv.conf inside the VE */
	PARAM_A_VE_PASSWD,   /* password database inside the VE */
	PARAM_A_PCI_SYSFS,   /* sysfs ve_device_add of the PCI device */
	PARAM_A_NAME_LINK,   /* /etc/vz/names/<NAME> symlink */
	_PARAM_A_MAX,
};

/*
 * What a second line with the same key in one file does (vzctl-behaviour.md §2.3). The zero
 * value is vzctl's rule for string keys, so a row says nothing when it follows it.
 */
enum param_dup {
	PARAM_DUP_FIRST,      /* the first valid line wins, later ones are ignored with a warning */
	PARAM_DUP_LAST,       /* the last valid line wins, silently */
	PARAM_DUP_ACCUMULATE, /* the values of every line are joined */
	_PARAM_DUP_MAX,
};

/* struct param_def.flags */
#define PARAM_F_GLOBAL_ONLY    (1u << 0) /* only vz.conf's value counts (§2.2 item 6) */
#define PARAM_F_VE_ONLY        (1u << 1) /* refused in vz.conf (NETFILTER) */
#define PARAM_F_NEEDS_SAVE     (1u << 2) /* `set` refuses the option without --save */
#define PARAM_F_DEPRECATED     (1u << 3)
#define PARAM_F_NOT_SENT       (1u << 4) /* the value itself never reaches the kernel */
#define PARAM_F_NOT_SAVED      (1u << 5) /* never written back by --save (§2.7) */
#define PARAM_F_IGNORED        (1u << 6) /* vzctl does nothing with it; init/helper scripts may */
#define PARAM_F_KERNEL_DEFAULT (1u << 7) /* default_value is the kernel's; not sent */
#define PARAM_F_CREATE_OPTION  (1u << 8) /* the option belongs to `create`, not `set` */

/*
 * Where a key lives in domain XML (docs/xml.md): element paths, "@" before an attribute.
 * `ext` is its element in vzlite's extension (<metadata><vz:ve xmlns:vz='urn:vzlite:ve:1'>),
 * PARAM_XML_EXT_PARAM for the generic <vz:param name='KEY'>; `libvirt` its element in
 * libvirt's format (B), `seed` in the seed proposal's (A). A key in no document has all
 * three NULL and `none` saying why. The test of the table fails on a row with neither.
 */
struct param_xml {
	const char *libvirt;
	const char *ext;
	const char *seed;
	const char *none;
};

#define PARAM_XML_EXT_PARAM "vz:param"

struct apply_ctx;
struct param_def;
/*
 * Applies the canonical value `value` of row `p` to the VE of `a` (apply.h). The pointer
 * is shared by a live `set` and by start; rows that no kernel call applies point to a
 * named applier saying what does.
 */
typedef int param_apply_fn(const struct apply_ctx *a, const struct param_def *p, const char *value,
			   vzl_error **err);

struct param_def {
	const char *name;   /* config key, case-sensitive */
	const char *alias;  /* older key read as this one, or NULL */
	const char *option; /* main long option without dashes, or NULL */
	/*
	 * Other options that change this key, NULL-terminated, or NULL. Some differ in syntax
	 * from the main one: "ram"/"swap" take bytes, "ipdel" removes addresses.
	 */
	const char *const *other_options;
	char short_option; /* '\0' if none */
	enum param_type type;
	enum param_unit unit;
	int ub_resource;           /* kernel UB_* id (setublimit's resource), or -1 */
	const char *default_value; /* effective value when unset, config syntax; NULL = none */
	enum param_live live;
	enum param_applier applier;
	unsigned flags;        /* PARAM_F_* */
	enum param_dup dup;    /* several lines with this key in one file (§2.3) */
	const char *help;      /* one sentence */
	struct param_xml xml;  /* where the key lives in domain XML */
	param_apply_fn *apply; /* what applies the value (apply.h) */
	/*
	 * Options of this row, NULL-terminated, that `set` does not implement yet (their
	 * syntax differs from the key's: --ram takes bytes, --ipdel removes), or NULL.
	 */
	const char *const *pending_options;
	bool set_pending; /* `set` implements none of its options yet */
};

extern const struct param_def param_table[];
extern const size_t param_table_len;

/* The row for a config key or its alias (DCACHE, IPTENTRIES), or NULL. */
const struct param_def *param_find(const char *name);

/*
 * The row a command-line option changes, or NULL. `option` is given without dashes: a long
 * option ("kmemsize", "ram", "ipdel") or a single character for a short option ("k").
 */
const struct param_def *param_find_option(const char *option);

/*
 * Has the key an element of its own in domain XML (anything but <vz:param>)? Such keys are
 * written there by dumpxml and refused as <vz:param> by define (xml.md §C.2).
 */
bool param_xml_has_element(const struct param_def *p);

/* The row whose extension element is `ext` ("vz:hostname"), or NULL. */
const struct param_def *param_find_xml_ext(const char *ext);

/* Does `set` not implement option `option` (no dashes) of row `p` yet? */
bool param_option_pending(const struct param_def *p, const char *option);
/* Is `option` one of `set`'s options that belong to no row and are not implemented yet? */
bool param_set_action_pending(const char *option);

/* Names for printing; NULL for a value out of range. */
const char *param_type_name(enum param_type type);
const char *param_unit_name(enum param_unit unit);
const char *param_live_name(enum param_live live);
/* The kernel call as the kernel spells it, e.g. "setublimit", "VENETCTL_VE_IP_MAP". */
const char *param_applier_name(enum param_applier applier);

#endif
