/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * List-like values (vzctl-behaviour.md §2.4, §2.5, §5.3, §5.4): the helpers every list parser
 * shares (value-list.h), IP lists, word lists, netdevs, meminfo, user:password pairs, the
 * VZLITE_UGID_QUOTA entries, and the dispatch by type to the parsers of value-netif.c,
 * value-masks.c and value-names.c. Each is checked token by token, and the canonical form
 * joins the tokens with one separator, as vzctl writes them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "macro.h"
#include "value-list.h"
#include "value.h"

int value_why(struct value_work *w, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(w->why, sizeof(w->why), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

void value_out_add(struct value_out *o, const char *sep, const char *s)
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

int value_out_done(struct value_work *w, struct value_out *o, int r)
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
void *value_push(void *arr, size_t *n, size_t size)
{
	void **a = arr;
	char *grown = reallocarray(*a, *n + 1, size);
	if (!grown)
		return NULL;
	*a = grown;
	memset(grown + *n * size, 0, size);
	return grown + (*n)++ * size;
}

int value_push_word(struct value_typed *v, const char *word)
{
	char *copy = strdup(word);
	char **slot = copy ? value_push(&v->words, &v->n_words, sizeof(char *)) : NULL;
	if (!slot) {
		free(copy);
		return -ENOMEM;
	}
	*slot = copy;
	return 0;
}

/* Next token of `*p` split on any of `seps`, copied into tok (NUL-terminated); 0 at the end. */
int value_next_token(const char **p, const char *seps, char *tok, size_t size)
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

bool value_all_digits(const char *s, size_t max)
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
	struct value_out o = { 0 };
	const char *p = w->text;
	char tok[VALUE_MAX + 1];
	int r = 0;

	while (r == 0 && value_next_token(&p, " \t,", tok, sizeof(tok))) {
		struct addr a;
		enum addr_err e;

		if (addr_parse(tok, &a, &e) < 0) {
			const char *slash = strchr(tok, '/');
			int hlen = (int)(slash ? (size_t)(slash - tok) : strlen(tok));
			if (e == ADDR_E_PREFIX)
				r = value_why(w, "has a bad prefix \"/%.8s\"; use /0../%u",
					      slash + 1, strchr(tok, ':') ? 128 : 32);
			else if (e == ADDR_E_UNSPECIFIED)
				r = value_why(
					w, "has the unspecified address %.*s, which no VE can use",
					hlen, tok);
			else
				r = value_why(
					w,
					"has \"%.*s\", which is not an IPv4 or IPv6 address; use "
					"ADDRESS[/PREFIX] separated by spaces or commas",
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
		struct value_ip *slot = value_push(&w->out->ips, &w->out->n_ips, sizeof(ip));
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
		value_out_add(&o, " ", text);
	}
	return value_out_done(w, &o, r);
}

/* Blank-separated words; `dedup` drops repeats (all but NETDEV, §2.4). */
static int check_words(struct value_work *w, bool dedup, bool netdev)
{
	struct value_out o = { 0 };
	const char *p = w->text;
	char tok[VALUE_MAX + 1];
	int r = 0;

	while (r == 0 && value_next_token(&p, " \t", tok, sizeof(tok))) {
		if (netdev) {
			static const char *const bad[] = { "venet", "tun", "tap", "lo" };
			for (size_t i = 0; i < ELEMENTSOF(bad) && r == 0; i++)
				if (strncmp(tok, bad[i], strlen(bad[i])) == 0)
					r = value_why(
						w,
						"names %.32s; devices whose names start with venet, "
						"tun, tap or lo cannot be moved into a VE",
						tok);
			if (r == 0 && (strlen(tok) > 15 || strchr(tok, '/')))
				r = value_why(
					w,
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
		if (value_push_word(w->out, tok) < 0)
			o.oom = 1;
		value_out_add(&o, " ", tok);
	}
	return value_out_done(w, &o, r);
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
	if (!n || !value_all_digits(n, 18) || strspn(n, "0") == strlen(n))
		return value_why(w,
				 "is not a meminfo mode; use none, pages:N or privvmpages:N with N "
				 "above 0");
	w->out->e = s[0] == 'p' && s[1] == 'a' ? VALUE_MEMINFO_PAGES : VALUE_MEMINFO_PRIVVMPAGES;
	w->out->u = strtoull(n, NULL, 10);
	return 0;
}

static int check_userpw(struct value_work *w)
{
	const char *p = w->text;
	char tok[VALUE_MAX + 1];
	while (value_next_token(&p, " \t", tok, sizeof(tok))) {
		char *c = strchr(tok, ':');
		if (!c || c == tok || !c[1])
			return value_why(w, "is not USER:PASSWORD");
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
		return value_check_netif(w);
	case PARAM_T_CPUMASK:
		return value_check_mask(w, true);
	case PARAM_T_NODEMASK:
		return value_check_mask(w, false);
	case PARAM_T_CAPABILITIES:
		return value_check_capabilities(w);
	case PARAM_T_FEATURES:
		return value_check_features(w);
	case PARAM_T_NETFILTER:
		return value_check_netfilter(w);
	case PARAM_T_IPTABLES:
		return value_check_iptables(w);
	case PARAM_T_DEVICES:
		return value_check_devices(w, false);
	case PARAM_T_DEVNODES:
		return value_check_devices(w, true);
	case PARAM_T_PCI:
		return value_check_pci(w);
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

	while (text && value_next_token(&text, " \t", tok, sizeof(tok))) {
		struct value_ugid e;
		int used = 0;
		if (sscanf(tok, "%c:%llu:%llu:%llu:%llu:%llu%n", &e.type, &e.id, &e.space_soft,
			   &e.space_hard, &e.inodes_soft, &e.inodes_hard, &used) != 6 ||
		    tok[used] || (e.type != 'u' && e.type != 'g')) {
			bad++;
			continue;
		}
		struct value_ugid *slot = value_push(&v, &n, sizeof(e));
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
