/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vzlist's fields (vzctl-behaviour.md §3.13): names, headers, column widths, how each value
 * prints in the table and in JSON, and how it sorts (list-fields.c).
 */
#ifndef VZL_LIST_FIELDS_H
#define VZL_LIST_FIELDS_H

#include <stdbool.h>
#include <stdio.h>

#include "vzlite.h"

struct list_field;

/* The field called `name`, or NULL. */
const struct list_field *list_field_find(const char *name);
/* Index order: every field, as `vzlist -L` lists them. NULL past the end. */
const struct list_field *list_field_at(size_t i);
const char *list_field_name(const struct list_field *f);
const char *list_field_header(const struct list_field *f);
/* A variant (.m .b .l .f .s .h) that JSON output does not have */
bool list_field_is_variant(const struct list_field *f);
/* The VZL_LIST_* data it needs */
unsigned list_field_needs(const struct list_field *f);

/* A growing line. */
struct list_line {
	char *p;
	size_t len, cap;
};
/* The blank between two columns; print the line with its trailing blanks cut and reset it. */
void list_field_put_sep(struct list_line *l);
void list_line_emit(struct list_line *l, FILE *out);
/* Append the header / the value, `last`: the last column or --no-trim (no cut to width). */
void list_field_header_put(const struct list_field *f, struct list_line *l);
void list_field_put(const struct list_field *f, const vzl_ve_info *e, bool last,
		    struct list_line *l);
/* The value as JSON on `out`. */
void list_field_json(const struct list_field *f, const vzl_ve_info *e, FILE *out);
/* vzlist's comparison for -s: > 0 when `a` sorts after `b`. */
int list_field_cmp(const struct list_field *f, const vzl_ve_info *a, const vzl_ve_info *b);

#endif
