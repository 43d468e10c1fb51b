/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A small streaming JSON writer for the CLI's --json output. It tracks nesting and writes
 * the commas, the ": " after keys and the newline ending the document itself, so a printer
 * only says what comes next. Strings are escaped per RFC 8259.
 *
 * Layout: a container opened with json_begin_object/json_begin_array keeps its items on one
 * line, separated by ", "; one opened with a `rows` variant puts each item on its own line
 * after `indent` blanks and its closing bracket on a new line after `close_indent` blanks.
 */
#ifndef VZL_CMD_JSON_H
#define VZL_CMD_JSON_H

#include <stdbool.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json_level {
	bool is_object;
	bool has_items;
	int indent, close_indent; /* -1: items on one line */
};

struct json_writer {
	FILE *f;
	int depth;
	bool after_key; /* a key was written, its value comes next */
	bool misused;   /* a call out of order (value without key, unbalanced end, ...) */
	bool complete;  /* the top-level value has been written */
	struct json_level level[JSON_MAX_DEPTH];
};

void json_init(struct json_writer *w, FILE *f);

void json_begin_object(struct json_writer *w);
void json_begin_object_rows(struct json_writer *w, int indent, int close_indent);
void json_end_object(struct json_writer *w);
void json_begin_array(struct json_writer *w);
void json_begin_array_rows(struct json_writer *w, int indent, int close_indent);
void json_end_array(struct json_writer *w);

/* The key of the next member of the current object. */
void json_key(struct json_writer *w, const char *key);
/* A string value; NULL writes null. Bytes that are not UTF-8 become U+FFFD. */
void json_string(struct json_writer *w, const char *s);
void json_int(struct json_writer *w, long long n);
void json_bool(struct json_writer *w, bool b);
void json_null(struct json_writer *w);

/* 0 when the calls made one complete document; -1 when not, or one was out of order. */
int json_finish(const struct json_writer *w);

/* Offset of the first byte of `s` that is not UTF-8, or -1. */
long json_bad_byte(const char *s);

#endif
