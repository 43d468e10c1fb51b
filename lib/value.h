/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Values of parameters: is this text a valid value of that parameter, and what does vzlite
 * write for it (vzctl-behaviour.md §2.4, §2.5, §2.7). One entry point for every type in the
 * parameter table; units.c does the numbers, value-list.c (with value-netif.c,
 * value-masks.c and value-names.c) the list-like types.
 *
 * Messages have the form `KMEMSIZE: "1Q" is not a number with an optional K, M, G, T, P or B
 * suffix, or unlimited`; callers put "FILE:LINE: " in front when the value came from a file.
 */
#ifndef VZL_VALUE_H
#define VZL_VALUE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "params.h"
#include "units.h"

/* Longest value accepted, in bytes; vzctl has no limit, but no real value comes close. */
#define VALUE_MAX 4096

/*
 * Where a value comes from. vzctl clamps a number above LONG_MAX with a warning when it is
 * read from a file, but refuses it on the command line (exit 21); vzlite does the same.
 */
enum value_origin {
	VALUE_FROM_FILE,
	VALUE_FROM_USER,
};

/*
 * Check `text` as a value of `p`. Returns 0 when valid, UNITS_CLAMPED when valid only after
 * lowering a number to LONG_MAX (files only; *ret_message is then the warning), -EINVAL when
 * invalid (*ret_message says why and what is accepted), -ENOMEM. On success *ret_canonical
 * (when ret_canonical is non-NULL) is the value as vzlite writes it. Both are malloc()ed.
 */
int value_check(const struct param_def *p, const struct units_target *t, enum value_origin origin,
		const char *text, char **ret_canonical, char **ret_message);

/* The number rule of a UBC or DISK parameter; -EINVAL for other types. */
int value_rule(const struct param_def *p, const struct units_target *t, struct units_rule *ret);

/* ---- Typed values: what a checked text means (value_parse) ---- */

/* Bits a CPUMASK or NODEMASK can name (vzctl's CPUMASK_NBITS, NODEMASK_NBITS). */
#define VALUE_MASK_BITS 4096

struct value_mask {
	bool all;       /* "all" */
	bool automatic; /* "auto" (CPUMASK only) */
	uint64_t bits[VALUE_MASK_BITS / 64];
};

/* One address of IP_ADDRESS: AF_INET or AF_INET6, with its prefix or -1 when none is given. */
struct value_ip {
	int family;
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} addr;
	int prefix;
};

/*
 * One veth device of NETIF (vzctl-behaviour.md §5.4); "" and false where the entry omits it.
 * The MACs also keep the text the config wrote (case included), which dumpxml gives back.
 */
struct value_netif {
	char ifname[16], host_ifname[16], bridge[16];
	unsigned char mac[6], host_mac[6];
	char mac_text[18], host_mac_text[18];
	bool has_mac, has_host_mac;
	int mac_filter; /* -1 unset, 0 off, 1 on */
};

/* Access bits of DEVICES and DEVNODES, as the kernel's setdevperms mask spells them. */
#define VALUE_PERM_R 04  /* S_IROTH */
#define VALUE_PERM_W 02  /* S_IWOTH */
#define VALUE_PERM_Q 010 /* S_IXGRP: quota management */

/* One DEVICES rule: b|c:MAJOR:MINOR|all:PERM ("none" is perms 0). */
struct value_device {
	char type; /* 'b' or 'c' */
	unsigned major;
	long minor; /* -1: all minors */
	unsigned perms;
};

/* One DEVNODES rule: NAME:PERM, NAME under /dev. */
struct value_devnode {
	char *name;
	unsigned perms;
};

struct value_pci {
	unsigned domain, bus, slot, func;
};

/* vzlite's own config key for per-uid/gid quota limits (outside the parameter table: vzctl
 * has no such key). */
#define VALUE_UGID_QUOTA_KEY "VZLITE_UGID_QUOTA"

/* One entry of VZLITE_UGID_QUOTA: u|g:ID:BSOFT:BHARD:ISOFT:IHARD (README, Domain XML). */
struct value_ugid {
	char type; /* 'u' or 'g' */
	unsigned long long id, space_soft, space_hard, inodes_soft, inodes_hard;
};

enum value_layout {
	VALUE_LAYOUT_SIMFS,
	VALUE_LAYOUT_PLOOP,
	VALUE_LAYOUT_PLOOP_EXPANDED,
	VALUE_LAYOUT_PLOOP_PLAIN,
	VALUE_LAYOUT_PLOOP_RAW,
};

enum value_netfilter {
	VALUE_NETFILTER_DISABLED,
	VALUE_NETFILTER_STATELESS,
	VALUE_NETFILTER_STATEFUL,
	VALUE_NETFILTER_FULL,
};

enum value_meminfo {
	VALUE_MEMINFO_NONE,
	VALUE_MEMINFO_PAGES,
	VALUE_MEMINFO_PRIVVMPAGES,
};

/*
 * A value in its parts. Which members value_parse() fills depends on the parameter's type;
 * the others stay zero. Release with value_typed_done().
 */
struct value_typed {
	uint64_t pair[2]; /* UBC barrier:limit, DISK soft:hard (a single value is both) */
	uint64_t u;       /* UINT; IOLIMIT in bytes/s; CPULIMIT's number; MEMINFO's N */
	long long i;      /* INT */
	double f;         /* FLOAT */
	bool b;           /* BOOL; CPULIMIT: "N%" (of the host) rather than "N" (of one CPU) */
	int e;            /* LAYOUT, NETFILTER, MEMINFO: enum value_layout, _netfilter, _meminfo */
	/* CAPABILITIES: capability numbers; FEATURES: VE_FEATURE_* bits; IPTABLES: bit i is
	 * module i of value_iptables_name() (in `on`). */
	uint64_t on, off;
	struct value_mask mask; /* CPUMASK, NODEMASK */
	char **words;           /* WORD_LIST, NETDEV: each word, in order */
	size_t n_words;
	struct value_ip *ips; /* IP_LIST */
	size_t n_ips;
	struct value_netif *netifs; /* NETIF */
	size_t n_netifs;
	struct value_device *devices; /* DEVICES */
	size_t n_devices;
	struct value_devnode *devnodes; /* DEVNODES */
	size_t n_devnodes;
	struct value_pci *pcis; /* PCI */
	size_t n_pcis;
};

/*
 * value_check() that also gives the value's parts: the same rule, one function per type
 * (checking is parsing). Returns what value_check() returns; *ret is filled when it is >= 0
 * and must then be released with value_typed_done().
 */
int value_parse(const struct param_def *p, const struct units_target *t, enum value_origin origin,
		const char *text, struct value_typed *ret, char **ret_message);
void value_typed_done(struct value_typed *v);

/* Name of iptables module bit i (IPTABLES), or NULL past the last one. */
const char *value_iptables_name(unsigned i);

/*
 * VZLITE_UGID_QUOTA: the entries in order. An entry that is not u|g:ID:BSOFT:BHARD:ISOFT:IHARD
 * is skipped and counted in *ret_bad. Returns 0 or -ENOMEM.
 */
int value_parse_ugid_quota(const char *text, struct value_ugid **ret, size_t *ret_n,
			   size_t *ret_bad);

/*
 * The value quoted for a message: '"' and '\' escaped, control characters as \n, \r, \t or
 * \xNN, cut after 48 bytes with "..." appended. Writes at most `size` bytes.
 */
void value_quote(const char *text, char *buf, size_t size);

/* Used by value.c for the list-like types (value-list.c). Return 0, -EINVAL (with `why` set to
 * the text after the quoted value) or -ENOMEM; *canon is a malloc()ed canonical form or NULL
 * to keep the text as it is. */
struct value_work {
	const struct param_def *p;
	const struct units_target *t;
	enum value_origin origin;
	const char *text;
	char *canon;
	struct value_typed *out; /* never NULL: value_check() parses into a scratch one */
	char why[384];
};

int value_check_list(struct value_work *w);

#endif
