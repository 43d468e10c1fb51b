/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Inside the parsers of list-like values (value-list.c and the files it dispatches to): the
 * helpers they share, and one entry point per kind of value. Each parser fills w->out, sets
 * w->canon when the canonical text differs from the input, and returns 0, -EINVAL (w->why
 * says why, after the quoted value) or -ENOMEM.
 */
#ifndef VZL_VALUE_LIST_H
#define VZL_VALUE_LIST_H

#include <stdbool.h>
#include <stddef.h>

#include "value.h"

/* Set w->why from the format; returns -EINVAL. */
int value_why(struct value_work *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A growing output string: canonical form under construction. */
struct value_out {
	char *s;
	size_t len, cap;
	int oom;
};

/* Append `s` to `o`, after `sep` unless `o` is empty; a failed allocation is remembered. */
void value_out_add(struct value_out *o, const char *sep, const char *s);
/* Finish `o` as w->canon when r is 0; returns r, or -ENOMEM when an allocation failed. */
int value_out_done(struct value_work *w, struct value_out *o, int r);

/* A new zeroed element at the end of *arr (n elements of `size` bytes), or NULL. */
void *value_push(void *arr, size_t *n, size_t size);
/* A copy of `word` appended to v->words. 0 or -ENOMEM. */
int value_push_word(struct value_typed *v, const char *word);
/* Next token of `*p` split on any of `seps`, copied into tok (NUL-terminated); 0 at the end. */
int value_next_token(const char **p, const char *seps, char *tok, size_t size);
/* `s` is 1 to `max` decimal digits and nothing else. */
bool value_all_digits(const char *s, size_t max);

int value_check_netif(struct value_work *w);               /* value-netif.c */
int value_check_mask(struct value_work *w, bool cpu);      /* value-masks.c */
int value_check_devices(struct value_work *w, bool nodes); /* value-masks.c */
int value_check_pci(struct value_work *w);                 /* value-masks.c */
int value_check_capabilities(struct value_work *w);        /* value-names.c */
int value_check_features(struct value_work *w);            /* value-names.c */
int value_check_iptables(struct value_work *w);            /* value-names.c */
int value_check_netfilter(struct value_work *w);           /* value-names.c */

#endif
