/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * List-like values (vzctl-behaviour.md §2.4, §2.5, §5.3, §5.4): IP lists, word lists, netdevs,
 * veth devices, CPU and node masks, capabilities, features, netfilter, iptables modules,
 * devices, device nodes, PCI addresses, meminfo, user:password pairs. Each is checked token
 * by token, and the canonical form joins the tokens with one separator, as vzctl writes them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "addr.h"
#include "macro.h"
#include "value.h"
#include "vzcalluser.h"

static int why(struct value_work *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int why(struct value_work *w, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(w->why, sizeof(w->why), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* A growing output string: canonical form under construction. */
struct out {
	char *s;
	size_t len, cap;
	int oom;
};

static void out_add(struct out *o, const char *sep, const char *s)
{
	size_t a = o->len ? strlen(sep) : 0, b = strlen(s);
	if (o->oom)
		return;
	if (o->len + a + b + 1 > o->cap) {
		size_t ncap = (o->len + a + b + 1) * 2;
		char *n = realloc(o->s, ncap);
		if (!n) {
			o->oom = 1;
			return;
		}
		o->s = n;
		o->cap = ncap;
	}
	memcpy(o->s + o->len, sep, a);
	memcpy(o->s + o->len + a, s, b + 1);
	o->len += a + b;
}

static int out_done(struct value_work *w, struct out *o, int r)
{
	if (o->oom) {
		free(o->s);
		return -ENOMEM;
	}
	if (r < 0) {
		free(o->s);
		return r;
	}
	w->canon = o->s ? o->s : strdup("");
	return w->canon ? 0 : -ENOMEM;
}

/* A new zeroed element at the end of *arr (n elements of `size` bytes), or NULL. */
static void *push(void *arr, size_t *n, size_t size)
{
	void **a = arr;
	char *grown = reallocarray(*a, *n + 1, size);
	if (!grown)
		return NULL;
	*a = grown;
	memset(grown + *n * size, 0, size);
	return grown + (*n)++ * size;
}

static int push_word(struct value_typed *v, const char *word)
{
	char *copy = strdup(word);
	char **slot = copy ? push(&v->words, &v->n_words, sizeof(char *)) : NULL;
	if (!slot) {
		free(copy);
		return -ENOMEM;
	}
	*slot = copy;
	return 0;
}

/* Next token of `*p` split on any of `seps`, copied into tok (NUL-terminated); 0 at the end. */
static int next_token(const char **p, const char *seps, char *tok, size_t size)
{
	const char *s = *p + strspn(*p, seps);
	size_t n = strcspn(s, seps);
	if (!n)
		return 0;
	if (n >= size)
		n = size - 1; /* values are at most VALUE_MAX; tokens never get near size */
	memcpy(tok, s, n);
	tok[n] = '\0';
	*p = s + strcspn(s, seps);
	return 1;
}

static bool all_digits(const char *s, size_t max)
{
	size_t n = strspn(s, "0123456789");
	return n && n <= max && !s[n];
}

static bool same_address(const struct value_ip *a, const struct value_ip *b)
{
	return a->family == b->family &&
	       memcmp(&a->addr, &b->addr, a->family == AF_INET6 ? 16 : 4) == 0;
}

static int check_ip_list(struct value_work *w)
{
	struct out o = { 0 };
	const char *p = w->text;
	char tok[VALUE_MAX + 1];
	int r = 0;

	while (r == 0 && next_token(&p, " \t", tok, sizeof(tok))) {
		struct addr a;
		enum addr_err e;

		if (addr_parse(tok, &a, &e) < 0) {
			const char *slash = strchr(tok, '/');
			int hlen = (int)(slash ? (size_t)(slash - tok) : strlen(tok));
			if (e == ADDR_E_PREFIX)
				r = why(w, "has a bad prefix \"/%.8s\"; use /0../%u", slash + 1,
					strchr(tok, ':') ? 128 : 32);
			else if (e == ADDR_E_UNSPECIFIED)
				r = why(w, "has the unspecified address %.*s, which no VE can use",
					hlen, tok);
			else
				r = why(w,
					"has \"%.*s\", which is not an IPv4 or IPv6 address; use "
					"ADDRESS[/PREFIX] separated by spaces",
					hlen < 64 ? hlen : 64, tok);
			break;
		}
		struct value_ip ip = { .family = a.family, .prefix = a.prefix };
		memcpy(&ip.addr, a.bytes, a.family == AF_INET6 ? 16 : 4);
		/* vzctl drops an address equal to an earlier one whatever the prefix. */
		bool dup = false;
		for (size_t i = 0; i < w->out->n_ips && !dup; i++)
			dup = same_address(&w->out->ips[i], &ip);
		if (dup)
			continue;
		struct value_ip *slot = push(&w->out->ips, &w->out->n_ips, sizeof(ip));
		if (!slot)
			o.oom = 1;
		else
			*slot = ip;
	}
	/* The canonical text is the addresses as addr_format (inet_ntop) writes them. */
	for (size_t i = 0; r == 0 && i < w->out->n_ips; i++) {
		const struct value_ip *ip = &w->out->ips[i];
		struct addr a = { .family = ip->family, .prefix = ip->prefix };
		char text[ADDR_TEXT_MAX];

		memcpy(a.bytes, &ip->addr, ip->family == AF_INET6 ? 16 : 4);
		addr_format(&a, 1, text, sizeof(text));
		out_add(&o, " ", text);
	}
	return out_done(w, &o, r);
}

/* Blank-separated words; `dedup` drops repeats (all but NETDEV, §2.4). */
static int check_words(struct value_work *w, bool dedup, bool netdev)
{
	struct out o = { 0 };
	const char *p = w->text;
	char tok[VALUE_MAX + 1];
	int r = 0;

	while (r == 0 && next_token(&p, " \t", tok, sizeof(tok))) {
		if (netdev) {
			static const char *const bad[] = { "venet", "tun", "tap", "lo" };
			for (size_t i = 0; i < ELEMENTSOF(bad) && r == 0; i++)
				if (strncmp(tok, bad[i], strlen(bad[i])) == 0)
					r = why(w,
						"names %.32s; devices whose names start with venet, "
						"tun, tap or lo cannot be moved into a VE",
						tok);
			if (r == 0 && (strlen(tok) > 15 || strchr(tok, '/')))
				r = why(w,
					"has \"%.32s\", which is not an interface name (at most 15 "
					"characters, no '/')",
					tok);
		}
		if (r != 0)
			break;
		bool dup = false;
		for (size_t i = 0; dedup && i < w->out->n_words && !dup; i++)
			dup = strcmp(w->out->words[i], tok) == 0;
		if (dup)
			continue;
		if (push_word(w->out, tok) < 0)
			o.oom = 1;
		out_add(&o, " ", tok);
	}
	return out_done(w, &o, r);
}

/* "00:18:51:12:34:56" into mac (when non-NULL). */
static bool is_mac(const char *s, unsigned char *mac)
{
	if (strlen(s) != 17)
		return false;
	for (int i = 0; i < 17; i++)
		if (i % 3 == 2 ? s[i] != ':' : !strchr("0123456789abcdefABCDEF", s[i]))
			return false;
	for (int i = 0; mac && i < 6; i++)
		mac[i] = (unsigned char)strtoul(s + 3 * i, NULL, 16);
	return true;
}

/* NETIF: devices split on ';', each ifname=..,mac=..,host_ifname=..,host_mac=..,bridge=..,
 * mac_filter=on|off (§5.4). */
static int check_netif(struct value_work *w)
{
	const char *p = w->text;
	char dev[VALUE_MAX + 1], field[VALUE_MAX + 1];

	while (next_token(&p, ";", dev, sizeof(dev))) {
		const char *q = dev;
		bool ifname = false;
		struct value_netif *n = push(&w->out->netifs, &w->out->n_netifs, sizeof(*n));
		if (!n)
			return -ENOMEM;
		n->mac_filter = -1;
		while (next_token(&q, ",", field, sizeof(field))) {
			char *eq = strchr(field, '=');
			const char *v = eq ? eq + 1 : "";
			if (eq)
				*eq = '\0';
			if (strcmp(field, "ifname") == 0 || strcmp(field, "host_ifname") == 0 ||
			    strcmp(field, "bridge") == 0) {
				if (!*v || strlen(v) > 15 || strpbrk(v, "/ "))
					return why(w,
						   "has %s=\"%.32s\", which is not an interface "
						   "name (1 to 15 characters)",
						   field, v);
				ifname |= field[0] == 'i';
				snprintf(field[0] == 'i'   ? n->ifname
					 : field[0] == 'h' ? n->host_ifname
							   : n->bridge,
					 sizeof(n->ifname), "%s", v);
			} else if (strcmp(field, "mac") == 0 || strcmp(field, "host_mac") == 0) {
				bool host = field[0] == 'h';
				if (!is_mac(v, host ? n->host_mac : n->mac))
					return why(w,
						   "has %s=\"%.32s\"; use a MAC address such as "
						   "00:18:51:12:34:56",
						   field, v);
				*(host ? &n->has_host_mac : &n->has_mac) = true;
				snprintf(host ? n->host_mac_text : n->mac_text, sizeof(n->mac_text),
					 "%s", v);
			} else if (strcmp(field, "mac_filter") == 0) {
				if (strcmp(v, "on") != 0 && strcmp(v, "off") != 0)
					return why(w, "has mac_filter=\"%.8s\"; use on or off", v);
				n->mac_filter = strcmp(v, "on") == 0;
			} else {
				return why(
					w,
					"has an unknown field \"%.32s\"; devices are "
					"ifname=,mac=,host_ifname=,host_mac=,bridge=,mac_filter= "
					"separated by ';'",
					field);
			}
		}
		if (!ifname)
			return why(w, "has a device without ifname=; every device needs one");
	}
	return 0;
}

/* "0-2,7": ranges of bit numbers below 4096 (vzctl's CPUMASK_NBITS, NODEMASK_NBITS). */
static int check_mask(struct value_work *w, bool cpu)
{
	const char *p = w->text;
	char tok[VALUE_MAX + 1];
	const char *what = cpu ? "a CPU list such as 0-2,7, all or auto"
			       : "a node list such as "
				 "0-1,3 or all";
	if (strcmp(p, "all") == 0 || (cpu && strcmp(p, "auto") == 0)) {
		w->out->mask.all = p[1] == 'l';
		w->out->mask.automatic = p[1] == 'u';
		return 0;
	}
	if (!*p)
		return why(w, "is empty; use %s", what);
	while (next_token(&p, ",", tok, sizeof(tok))) {
		char *dash = strchr(tok, '-');
		if (dash)
			*dash = '\0';
		if (!all_digits(tok, 4) || (dash && !all_digits(dash + 1, 4)))
			return why(w, "is not %s", what);
		int a = atoi(tok), b = dash ? atoi(dash + 1) : a;
		if (a > b || b >= VALUE_MASK_BITS)
			return why(w, "has a bad range; numbers go from 0 to 4095, low-high");
		for (int bit = a; bit <= b; bit++)
			w->out->mask.bits[bit / 64] |= UINT64_C(1) << (bit % 64);
	}
	if (w->text[strlen(w->text) - 1] == ',' || w->text[0] == ',' || strstr(w->text, ",,"))
		return why(w, "is not %s", what);
	return 0;
}

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
	struct out o = { 0 };
	const char *p = w->text;
	char tok[VALUE_MAX + 1];
	int r = 0;

	while (r == 0 && next_token(&p, " \t,", tok, sizeof(tok))) {
		char *colon = strrchr(tok, ':');
		if (!colon || (strcmp(colon, ":on") != 0 && strcmp(colon, ":off") != 0)) {
			r = why(w, "has \"%.32s\"; use %s:on or %s:off items", tok, what, what);
			break;
		}
		bool on = colon[2] == 'n';
		*colon = '\0';
		int i = index_of(names, tok, nocase);
		if (i < 0) {
			r = why(w, "has an unknown %s \"%.32s\"", what, tok);
			break;
		}
		*(on ? &w->out->on : &w->out->off) |= bits((size_t)i);
		*colon = ':';
		out_add(&o, " ", tok);
	}
	return out_done(w, &o, r);
}

static int check_iptables(struct value_work *w)
{
	struct out o = { 0 };
	const char *p = w->text;
	char tok[VALUE_MAX + 1];
	int r = 0;

	while (r == 0 && next_token(&p, " \t,", tok, sizeof(tok))) {
		int i = index_of(iptables_names, tok, false);
		if (i < 0) {
			r = why(w,
				"has an unknown iptables module \"%.32s\"; NETFILTER is the "
				"supported way to choose netfilter",
				tok);
		} else {
			w->out->on |= UINT64_C(1) << i;
			out_add(&o, " ", tok);
		}
	}
	return out_done(w, &o, r);
}

/* "none" or a mix of r, w and q, as VALUE_PERM_* bits in *ret. */
static bool is_perm(const char *s, unsigned *ret)
{
	*ret = 0;
	if (strcmp(s, "none") == 0)
		return true;
	if (!*s || strlen(s) > 3 || s[strspn(s, "rwq")])
		return false;
	for (; *s; s++)
		*ret |= *s == 'r' ? VALUE_PERM_R : *s == 'w' ? VALUE_PERM_W : VALUE_PERM_Q;
	return true;
}

/* DEVICES: b|c:MAJOR:MINOR|all:[rwq]|none; DEVNODES: NAME:[rwq]|none (§2.5). */
static int check_devices(struct value_work *w, bool nodes)
{
	const char *p = w->text;
	char tok[VALUE_MAX + 1];

	while (next_token(&p, " ", tok, sizeof(tok))) {
		char *perm = strrchr(tok, ':');
		unsigned bits = 0;
		if (!perm || !is_perm(perm + 1, &bits))
			return why(w, "has \"%.32s\"; %s", tok,
				   nodes ? "use NAME:PERM with PERM r, w, q, a mix, or none"
					 : "use b|c:MAJOR:MINOR|all:PERM with PERM r, w, q, a mix, "
					   "or none");
		*perm = '\0';
		if (nodes) {
			if (!*tok || tok[0] == '/' || strstr(tok, ".."))
				return why(w,
					   "has \"%.32s\", which is not a device name under /dev",
					   tok);
			struct value_devnode *n = push(&w->out->devnodes, &w->out->n_devnodes,
						       sizeof(*n));
			if (!n || !(n->name = strdup(tok)))
				return -ENOMEM;
			n->perms = bits;
			continue;
		}
		char *c1 = strchr(tok, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c1 || !c2 || c1 - tok != 1 || (tok[0] != 'b' && tok[0] != 'c') ||
		    !all_digits(c1 + 1 == c2 ? "" : (*c2 = '\0', c1 + 1), 4) ||
		    (strcmp(c2 + 1, "all") != 0 && !all_digits(c2 + 1, 7)))
			return why(w, "has \"%.32s\"; use b|c:MAJOR:MINOR|all:PERM", tok);
		if (atoi(c1 + 1) == 7)
			return why(w,
				   "gives access to loop devices (major 7), which vzctl refuses");
		struct value_device *d = push(&w->out->devices, &w->out->n_devices, sizeof(*d));
		if (!d)
			return -ENOMEM;
		*d = (struct value_device){ .type = tok[0],
					    .major = (unsigned)atoi(c1 + 1),
					    .minor = strcmp(c2 + 1, "all") == 0 ? -1 : atol(c2 + 1),
					    .perms = bits };
	}
	return 0;
}

/* PCI: [DOMAIN:]BUS:SLOT.FUNC in hex, written %04x:%02x:%02x.%d. */
static int check_pci(struct value_work *w)
{
	struct out o = { 0 };
	const char *p = w->text;
	char tok[VALUE_MAX + 1];
	int r = 0;

	while (r == 0 && next_token(&p, " ", tok, sizeof(tok))) {
		unsigned dom = 0, bus, slot, func;
		char tail, text[32];
		if (sscanf(tok, "%4x:%2x:%2x.%1u%c", &dom, &bus, &slot, &func, &tail) != 4 &&
		    (dom = 0, sscanf(tok, "%2x:%2x.%1u%c", &bus, &slot, &func, &tail) != 3)) {
			r = why(w, "has \"%.32s\"; use [DOMAIN:]BUS:SLOT.FUNC in hex", tok);
			break;
		}
		if (slot > 0x1f || func > 7 || strpbrk(tok, "+- ")) {
			r = why(w, "has \"%.32s\"; slots are 00..1f and functions 0..7", tok);
			break;
		}
		snprintf(text, sizeof(text), "%04x:%02x:%02x.%u", dom, bus, slot, func);
		if (!o.s || !strstr(o.s, text)) {
			struct value_pci *pci = push(&w->out->pcis, &w->out->n_pcis, sizeof(*pci));
			if (!pci)
				o.oom = 1;
			else
				*pci = (struct value_pci){ dom, bus, slot, func };
			out_add(&o, " ", text);
		}
	}
	return out_done(w, &o, r);
}

static int check_meminfo(struct value_work *w)
{
	const char *s = w->text, *n = NULL;
	if (strcmp(s, "none") == 0)
		return 0;
	if (strncmp(s, "pages:", 6) == 0)
		n = s + 6;
	else if (strncmp(s, "privvmpages:", 12) == 0)
		n = s + 12;
	if (!n || !all_digits(n, 18) || strspn(n, "0") == strlen(n))
		return why(w, "is not a meminfo mode; use none, pages:N or privvmpages:N with N "
			      "above 0");
	w->out->e = s[0] == 'p' && s[1] == 'a' ? VALUE_MEMINFO_PAGES : VALUE_MEMINFO_PRIVVMPAGES;
	w->out->u = strtoull(n, NULL, 10);
	return 0;
}

static int check_userpw(struct value_work *w)
{
	const char *p = w->text;
	char tok[VALUE_MAX + 1];
	while (next_token(&p, " \t", tok, sizeof(tok))) {
		char *c = strchr(tok, ':');
		if (!c || c == tok || !c[1])
			return why(w, "is not USER:PASSWORD");
	}
	return 0;
}

int value_check_list(struct value_work *w)
{
	switch (w->p->type) {
	case PARAM_T_IP_LIST:
		return check_ip_list(w);
	case PARAM_T_WORD_LIST:
		return check_words(w, true, false);
	case PARAM_T_NETDEV:
		return check_words(w, false, true);
	case PARAM_T_NETIF:
		return check_netif(w);
	case PARAM_T_CPUMASK:
		return check_mask(w, true);
	case PARAM_T_NODEMASK:
		return check_mask(w, false);
	case PARAM_T_CAPABILITIES:
		return check_onoff(w, cap_names, true, "capability", cap_bits);
	case PARAM_T_FEATURES:
		return check_onoff(w, feature_names, false, "feature", feature_bits);
	case PARAM_T_NETFILTER: {
		/* In enum value_netfilter's order. */
		static const char *const modes[] = { "disabled", "stateless", "stateful", "full",
						     NULL };
		int i = index_of(modes, w->text, false);
		if (i < 0)
			return why(w, "is not disabled, stateless, stateful or full");
		w->out->e = i;
		return 0;
	}
	case PARAM_T_IPTABLES:
		return check_iptables(w);
	case PARAM_T_DEVICES:
		return check_devices(w, false);
	case PARAM_T_DEVNODES:
		return check_devices(w, true);
	case PARAM_T_PCI:
		return check_pci(w);
	case PARAM_T_MEMINFO:
		return check_meminfo(w);
	case PARAM_T_USERPW:
		return check_userpw(w);
	default:
		return 0;
	}
}

int value_parse_ugid_quota(const char *text, struct value_ugid **ret, size_t *ret_n,
			   size_t *ret_bad)
{
	struct value_ugid *v = NULL;
	size_t n = 0, bad = 0;
	char tok[VALUE_MAX + 1];

	while (text && next_token(&text, " \t", tok, sizeof(tok))) {
		struct value_ugid e;
		int used = 0;
		if (sscanf(tok, "%c:%llu:%llu:%llu:%llu:%llu%n", &e.type, &e.id, &e.space_soft,
			   &e.space_hard, &e.inodes_soft, &e.inodes_hard, &used) != 6 ||
		    tok[used] || (e.type != 'u' && e.type != 'g')) {
			bad++;
			continue;
		}
		struct value_ugid *slot = push(&v, &n, sizeof(e));
		if (!slot) {
			free(v);
			return -ENOMEM;
		}
		*slot = e;
	}
	*ret = v;
	*ret_n = n;
	*ret_bad = bad;
	return 0;
}
