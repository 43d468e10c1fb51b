/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Values made of names from fixed lists (vzctl-behaviour.md §2.4): capabilities and features
 * as name:on|off items, iptables modules, the netfilter mode.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "macro.h"
#include "value-list.h"
#include "value.h"
#include "vzcalluser.h"

static const char *const cap_names[] = {
	"chown",
	"dac_override",
	"dac_read_search",
	"fowner",
	"fsetid",
	"kill",
	"setgid",
	"setuid",
	"setpcap",
	"linux_immutable",
	"net_bind_service",
	"net_broadcast",
	"net_admin",
	"net_raw",
	"ipc_lock",
	"ipc_owner",
	"sys_module",
	"sys_rawio",
	"sys_chroot",
	"sys_ptrace",
	"sys_pacct",
	"sys_admin",
	"sys_boot",
	"sys_nice",
	"sys_resource",
	"sys_time",
	"sys_tty_config",
	"mknod",
	"lease",
	"audit_write",
	"ve_admin",
	"setfcap",
	"fs_mask",
	NULL,
};

/* Capability i is bit i, the kernel's number, up to setfcap (31); fs_mask is vzctl's
 * CAP_FS_MASK: chown, dac_override, dac_read_search, fowner and fsetid. */
static uint64_t cap_bits(size_t i)
{
	return i == 32 ? 0x1f : UINT64_C(1) << i;
}

static const char *const feature_names[] = {
	"sysfs", "nfs", "sit", "ipip", "ppp", "ipgre", "bridge", "nfsd", NULL,
};

static uint64_t feature_bits(size_t i)
{
	static const uint64_t bits[] = { VE_FEATURE_SYSFS,  VE_FEATURE_NFS, VE_FEATURE_SIT,
					 VE_FEATURE_IPIP,   VE_FEATURE_PPP, VE_FEATURE_IPGRE,
					 VE_FEATURE_BRIDGE, VE_FEATURE_NFSD };
	return bits[i];
}

/* IPTABLES module i is bit i of value_typed.on. */
static const char *const iptables_names[] = {
	"ip_tables",        "iptable_filter", "iptable_mangle",
	"ipt_limit",        "ipt_multiport",  "ipt_tos",
	"ipt_TOS",          "ipt_REJECT",     "ipt_TCPMSS",
	"ipt_tcpmss",       "ipt_ttl",        "ipt_LOG",
	"ipt_length",       "ip_conntrack",   "ip_conntrack_ftp",
	"ip_conntrack_irc", "ipt_conntrack",  "ipt_state",
	"ipt_helper",       "iptable_nat",    "ip_nat_ftp",
	"ip_nat_irc",       "ipt_REDIRECT",   "xt_mac",
	"ipt_recent",       "ipt_owner",      NULL,
};

const char *value_iptables_name(unsigned i)
{
	return i < ELEMENTSOF(iptables_names) ? iptables_names[i] : NULL;
}

/* Index of `s` in the NULL-terminated `names`, or -1. */
static int index_of(const char *const *names, const char *s, bool nocase)
{
	for (int i = 0; names[i]; i++)
		if (nocase ? strcasecmp(names[i], s) == 0 : strcmp(names[i], s) == 0)
			return i;
	return -1;
}

/* name:on|off items split on blanks and commas (CAPABILITY, FEATURES); `bits` maps a
 * name's index to its bits. */
static int check_onoff(struct value_work *w, const char *const *names, bool nocase,
		       const char *what, uint64_t (*bits)(size_t))
{
	struct value_out o = { 0 };
	const char *p = w->text;
	char tok[VALUE_MAX + 1];
	int r = 0;

	while (r == 0 && value_next_token(&p, " \t,", tok, sizeof(tok))) {
		char *colon = strrchr(tok, ':');
		if (!colon || (strcmp(colon, ":on") != 0 && strcmp(colon, ":off") != 0)) {
			r = value_why(w, "has \"%.32s\"; use %s:on or %s:off items", tok, what,
				      what);
			break;
		}
		bool on = colon[2] == 'n';
		*colon = '\0';
		int i = index_of(names, tok, nocase);
		if (i < 0) {
			r = value_why(w, "has an unknown %s \"%.32s\"", what, tok);
			break;
		}
		*(on ? &w->out->on : &w->out->off) |= bits((size_t)i);
		*colon = ':';
		value_out_add(&o, " ", tok);
	}
	return value_out_done(w, &o, r);
}

int value_check_iptables(struct value_work *w)
{
	struct value_out o = { 0 };
	const char *p = w->text;
	char tok[VALUE_MAX + 1];
	int r = 0;

	while (r == 0 && value_next_token(&p, " \t,", tok, sizeof(tok))) {
		int i = index_of(iptables_names, tok, false);
		if (i < 0) {
			r = value_why(w,
				      "has an unknown iptables module \"%.32s\"; NETFILTER is the "
				      "supported way to choose netfilter",
				      tok);
		} else {
			w->out->on |= UINT64_C(1) << i;
			value_out_add(&o, " ", tok);
		}
	}
	return value_out_done(w, &o, r);
}

int value_check_capabilities(struct value_work *w)
{
	return check_onoff(w, cap_names, true, "capability", cap_bits);
}

int value_check_features(struct value_work *w)
{
	return check_onoff(w, feature_names, false, "feature", feature_bits);
}

int value_check_netfilter(struct value_work *w)
{
	/* In enum value_netfilter's order. */
	static const char *const modes[] = { "disabled", "stateless", "stateful", "full", NULL };
	int i = index_of(modes, w->text, false);
	if (i < 0)
		return value_why(w, "is not disabled, stateless, stateful or full");
	w->out->e = i;
	return 0;
}
