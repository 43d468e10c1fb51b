/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One VE as an operation sees it: the layered config (vz.conf < VE config < values given on
 * the command line, conf-layer.h) resolved ONCE into typed fields. Readers take numbers,
 * addresses and masks from here instead of parsing config text again; every field is parsed
 * by the parameter's own rule (value_parse, the function `vzlite set` checks with), and the
 * canonical text of a value stays what value_check() renders.
 *
 * A value the config does not set validly is "not set" (`set` false, NULL, 0 entries): a bad
 * line is skipped, as vzctl skips it, and the config's loader has already warned about it.
 */
#ifndef VZL_VE_SPEC_H
#define VZL_VE_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "beancounter.h"
#include "conf-layer.h"
#include "value.h"
#include "vzlite.h"

/* A UB resource's pair as setublimit takes it. */
struct ve_ub {
	bool set;
	unsigned long barrier, limit;
};

/* A DISK pair (DISKSPACE in 1 KiB blocks, DISKINODES in inodes). */
struct ve_disk_limit {
	bool set;
	uint64_t soft, hard;
};

struct ve_opt_ulong {
	bool set;
	unsigned long value;
};

struct ve_opt_long {
	bool set;
	long value;
};

struct ve_opt_bool {
	bool set;
	bool value;
};

struct ve_opt_double {
	bool set;
	double value;
};

/* The lists of typed entries. */
struct ve_ips {
	struct value_ip *v;
	size_t n;
};

struct ve_netifs {
	struct value_netif *v;
	size_t n;
};

struct ve_devices {
	struct value_device *v;
	size_t n;
};

struct ve_devnodes {
	struct value_devnode *v;
	size_t n;
};

struct ve_pcis {
	struct value_pci *v;
	size_t n;
};

struct ve_layout {
	bool set;
	enum value_layout value;
};

struct ve_netfilter {
	bool set;
	enum value_netfilter value;
};

struct ve_iptables {
	bool set;
	uint64_t modules; /* bit i: value_iptables_name(i) */
};

struct ve_meminfo {
	bool set;
	enum value_meminfo mode;
	unsigned long value; /* N of pages:N or privvmpages:N */
};

struct ve_cpulimit {
	bool set;
	unsigned long value;
	bool of_host; /* "N%": percent of the whole host, else of one CPU */
};

/* A name:on|off list: which bits were turned on and which off (CAPABILITY, FEATURES). */
struct ve_onoff {
	bool set;
	uint64_t on, off;
};

/* A word list; `inherit` when it is the single word "inherit" (NAMESERVER, SEARCHDOMAIN:
 * take the host's). */
struct ve_words {
	char **v;
	size_t n;
	bool inherit;
};

struct ve_spec_cpu {
	struct ve_opt_ulong units;  /* CPUUNITS */
	struct ve_opt_ulong weight; /* CPUUWEIGHT */
	struct ve_cpulimit limit;   /* CPULIMIT */
	struct ve_opt_ulong cpus;   /* CPUS */
	bool cpumask_set, nodemask_set;
	struct value_mask cpumask, nodemask;
};

struct ve_spec_disk {
	struct ve_opt_bool quota;           /* DISK_QUOTA */
	struct ve_disk_limit space;         /* DISKSPACE, KiB */
	struct ve_disk_limit inodes;        /* DISKINODES */
	struct ve_opt_ulong quotatime;      /* QUOTATIME, seconds */
	struct ve_opt_ulong quotaugidlimit; /* QUOTAUGIDLIMIT */
	struct value_ugid *ugid;            /* VZLITE_UGID_QUOTA, bad entries skipped */
	size_t n_ugid;
};

struct ve_spec_net {
	struct ve_ips ips;             /* IP_ADDRESS */
	char *hostname;                /* HOSTNAME */
	struct ve_words nameservers;   /* NAMESERVER */
	struct ve_words searchdomains; /* SEARCHDOMAIN */
	struct ve_netifs netifs;       /* NETIF */
	struct ve_words netdevs;       /* NETDEV */
	struct ve_netfilter netfilter; /* NETFILTER */
	struct ve_iptables iptables;   /* IPTABLES */
};

struct ve_spec {
	unsigned veid;
	char *config_path; /* the VE config read (or to be written); NULL for a profile */
	/* VE_PRIVATE and VE_ROOT, $VEID expanded: the VE config's own when it sets them, else
	 * vz.conf's; NULL when neither does. */
	char *private_dir, *root_dir;
	struct ve_layout layout; /* VE_LAYOUT */
	char *ostemplate;        /* OSTEMPLATE */
	char *origin_sample;     /* ORIGIN_SAMPLE */
	char *name;              /* NAME */
	char *description;       /* DESCRIPTION */
	char uuid[37];           /* the "#UUID:" line, lower case; "" when none */

	struct ve_ub ub[UB_RESOURCES];      /* indexed by the kernel's UB_* */
	struct ve_ub avnumproc;             /* AVNUMPROC: vzcfgvalidate's, never sent */
	struct ve_opt_double vm_overcommit; /* VM_OVERCOMMIT */

	struct ve_spec_cpu cpu;
	struct ve_spec_disk disk;
	struct ve_spec_net net;

	struct ve_devices devices;    /* DEVICES */
	struct ve_devnodes devnodes;  /* DEVNODES */
	struct ve_pcis pcis;          /* PCI */
	struct ve_onoff features;     /* FEATURES: VE_FEATURE_* bits */
	struct ve_onoff capabilities; /* CAPABILITY: capability numbers */
	struct ve_meminfo meminfo;    /* MEMINFO */

	struct ve_opt_long ioprio;       /* IOPRIO */
	struct ve_opt_ulong iolimit;     /* IOLIMIT, bytes/s */
	struct ve_opt_long iopslimit;    /* IOPSLIMIT */
	struct ve_opt_bool onboot;       /* ONBOOT */
	struct ve_opt_bool disabled;     /* DISABLED */
	struct ve_opt_ulong bootorder;   /* BOOTORDER */
	struct ve_opt_long stop_timeout; /* STOP_TIMEOUT */
};

/*
 * Resolve the values `L` gives for VE `veid` (0 for a profile) into `s`, parsed for target
 * `t`. `config_path` (may be NULL) and `uuid` (may be NULL) are copied in. An entry of
 * VZLITE_UGID_QUOTA that does not parse is skipped and reported through `fn` (may be NULL)
 * as a warning. Returns 0, -ENOMEM, or -ENAMETOOLONG when VE_PRIVATE or VE_ROOT is longer
 * than 511 bytes once $VEID is expanded (*ret_param then names it; that path is NULL, the
 * rest is loaded and must be released). On -ENOMEM `s` is empty.
 */
int ve_spec_load(const struct layers *L, unsigned veid, const struct units_target *t,
		 const char *config_path, const char *uuid, conf_problem_fn fn, void *userdata,
		 struct ve_spec *s, const char **ret_param);
void ve_spec_done(struct ve_spec *s);

/*
 * The spec of an opened config (vzl_config_open_ve, vzl_config_open_file) with the values set
 * on it so far (command-line values come last). The paths of a VE config that leaves
 * VE_PRIVATE or VE_ROOT to vz.conf are vz.conf's.
 */
int ve_spec_from_config(const vzl_config *cfg, unsigned veid, struct ve_spec *s, vzl_error **err);

/* The pair of UBC parameter `p` in `s` (a UB resource, or AVNUMPROC), set or not; NULL when
 * `p` is no UBC parameter. */
const struct ve_ub *ve_spec_ubc(const struct ve_spec *s, const struct param_def *p);

/* The parameter row of UB resource `ub` (UB_*), or NULL when vzctl has no key for it. */
const struct param_def *ve_spec_ub_param(int ub);

#endif
