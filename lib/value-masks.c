/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Values that name numbers or devices (vzctl-behaviour.md §2.4, §2.5): CPU and node masks,
 * DEVICES and DEVNODES rules, PCI addresses.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "value-list.h"
#include "value.h"

/* "0-2,7": ranges of bit numbers below 4096 (vzctl's CPUMASK_NBITS, NODEMASK_NBITS). */
int value_check_mask(struct value_work *w, bool cpu)
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
		return value_why(w, "is empty; use %s", what);
	while (value_next_token(&p, ",", tok, sizeof(tok))) {
		char *dash = strchr(tok, '-');
		if (dash)
			*dash = '\0';
		if (!value_all_digits(tok, 4) || (dash && !value_all_digits(dash + 1, 4)))
			return value_why(w, "is not %s", what);
		int a = atoi(tok), b = dash ? atoi(dash + 1) : a;
		if (a > b || b >= VALUE_MASK_BITS)
			return value_why(w, "has a bad range; numbers go from 0 to 4095, low-high");
		for (int bit = a; bit <= b; bit++)
			w->out->mask.bits[bit / 64] |= UINT64_C(1) << (bit % 64);
	}
	if (w->text[strlen(w->text) - 1] == ',' || w->text[0] == ',' || strstr(w->text, ",,"))
		return value_why(w, "is not %s", what);
	return 0;
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
int value_check_devices(struct value_work *w, bool nodes)
{
	const char *p = w->text;
	char tok[VALUE_MAX + 1];

	while (value_next_token(&p, " ", tok, sizeof(tok))) {
		char *perm = strrchr(tok, ':');
		unsigned bits = 0;
		if (!perm || !is_perm(perm + 1, &bits))
			return value_why(
				w, "has \"%.32s\"; %s", tok,
				nodes ? "use NAME:PERM with PERM r, w, q, a mix, or none"
				      : "use b|c:MAJOR:MINOR|all:PERM with PERM r, w, q, a mix, "
					"or none");
		*perm = '\0';
		if (nodes) {
			if (!*tok || tok[0] == '/' || strstr(tok, ".."))
				return value_why(
					w, "has \"%.32s\", which is not a device name under /dev",
					tok);
			struct value_devnode *n = value_push(&w->out->devnodes, &w->out->n_devnodes,
							     sizeof(*n));
			if (!n || !(n->name = strdup(tok)))
				return -ENOMEM;
			n->perms = bits;
			continue;
		}
		char *c1 = strchr(tok, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c1 || !c2 || c1 - tok != 1 || (tok[0] != 'b' && tok[0] != 'c') ||
		    !value_all_digits(c1 + 1 == c2 ? "" : (*c2 = '\0', c1 + 1), 4) ||
		    (strcmp(c2 + 1, "all") != 0 && !value_all_digits(c2 + 1, 7)))
			return value_why(w, "has \"%.32s\"; use b|c:MAJOR:MINOR|all:PERM", tok);
		if (atoi(c1 + 1) == 7)
			return value_why(
				w, "gives access to loop devices (major 7), which vzctl refuses");
		struct value_device *d = value_push(&w->out->devices, &w->out->n_devices,
						    sizeof(*d));
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
int value_check_pci(struct value_work *w)
{
	struct value_out o = { 0 };
	const char *p = w->text;
	char tok[VALUE_MAX + 1];
	int r = 0;

	while (r == 0 && value_next_token(&p, " ", tok, sizeof(tok))) {
		unsigned dom = 0, bus, slot, func;
		char tail, text[32];
		if (sscanf(tok, "%4x:%2x:%2x.%1u%c", &dom, &bus, &slot, &func, &tail) != 4 &&
		    (dom = 0, sscanf(tok, "%2x:%2x.%1u%c", &bus, &slot, &func, &tail) != 3)) {
			r = value_why(w, "has \"%.32s\"; use [DOMAIN:]BUS:SLOT.FUNC in hex", tok);
			break;
		}
		if (slot > 0x1f || func > 7 || strpbrk(tok, "+- ")) {
			r = value_why(w, "has \"%.32s\"; slots are 00..1f and functions 0..7", tok);
			break;
		}
		snprintf(text, sizeof(text), "%04x:%02x:%02x.%u", dom, bus, slot, func);
		if (!o.s || !strstr(o.s, text)) {
			struct value_pci *pci = value_push(&w->out->pcis, &w->out->n_pcis,
							   sizeof(*pci));
			if (!pci)
				o.oom = 1;
			else
				*pci = (struct value_pci){ dom, bus, slot, func };
			value_out_add(&o, " ", text);
		}
	}
	return value_out_done(w, &o, r);
}
