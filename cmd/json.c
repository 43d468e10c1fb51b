/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The CLI's JSON writer (json.h). */
#include <string.h>

#include "json.h"
#include "vzlite.h"

void json_init(struct json_writer *w, FILE *f)
{
	memset(w, 0, sizeof(*w));
	w->f = f;
}

static struct json_level *current(struct json_writer *w)
{
	return w->depth > 0 ? &w->level[w->depth - 1] : NULL;
}

/* What goes before a value, or before a key in an object: a separator and the layout. */
static void separate(struct json_writer *w, bool is_key)
{
	struct json_level *l = current(w);
	if (w->after_key) {
		if (is_key)
			w->misused = true;
		w->after_key = false;
		return;
	}
	if (!l) {
		if (is_key || w->complete)
			w->misused = true; /* a key outside an object, or a second document */
		return;
	}
	if (l->is_object != is_key)
		w->misused = true; /* a value without its key, or a key inside an array */
	if (l->has_items)
		fputc(',', w->f);
	if (l->indent >= 0)
		fprintf(w->f, "\n%*s", l->indent, "");
	else if (l->has_items)
		fputc(' ', w->f);
	l->has_items = true;
}

/* After a complete value: a document that is now complete ends with a newline. */
static void value_done(struct json_writer *w)
{
	if (w->depth == 0) {
		fputc('\n', w->f);
		w->complete = true;
	}
}

static void begin(struct json_writer *w, bool is_object, int indent, int close_indent)
{
	separate(w, false);
	if (w->depth == JSON_MAX_DEPTH) {
		w->misused = true;
		return;
	}
	fputc(is_object ? '{' : '[', w->f);
	w->level[w->depth++] = (struct json_level){ .is_object = is_object,
						    .indent = indent,
						    .close_indent = close_indent };
}

static void end(struct json_writer *w, bool is_object)
{
	struct json_level *l = current(w);
	if (!l || l->is_object != is_object || w->after_key) {
		w->misused = true;
		return;
	}
	if (l->indent >= 0)
		fprintf(w->f, "\n%*s", l->close_indent, "");
	fputc(is_object ? '}' : ']', w->f);
	w->depth--;
	value_done(w);
}

void json_begin_object(struct json_writer *w)
{
	begin(w, true, -1, 0);
}

void json_begin_object_rows(struct json_writer *w, int indent, int close_indent)
{
	begin(w, true, indent, close_indent);
}

void json_end_object(struct json_writer *w)
{
	end(w, true);
}

void json_begin_array(struct json_writer *w)
{
	begin(w, false, -1, 0);
}

void json_begin_array_rows(struct json_writer *w, int indent, int close_indent)
{
	begin(w, false, indent, close_indent);
}

void json_end_array(struct json_writer *w)
{
	end(w, false);
}

static void write_escaped(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t n = vzl_utf8_char_len((const char *)p);
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		case '\b':
			fputs("\\b", f);
			break;
		case '\f':
			fputs("\\f", f);
			break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else if (!n)
				/* Callers refuse such config values first (json_value_ok); this
				 * only keeps the document valid whatever reaches it. */
				fputs("\\ufffd", f);
			else
				fwrite(p, 1, n, f);
		}
		p += n ? n : 1;
	}
	fputc('"', f);
}

void json_key(struct json_writer *w, const char *key)
{
	separate(w, true);
	write_escaped(w->f, key);
	fputs(": ", w->f);
	w->after_key = true;
}

void json_string(struct json_writer *w, const char *s)
{
	separate(w, false);
	if (s)
		write_escaped(w->f, s);
	else
		fputs("null", w->f);
	value_done(w);
}

void json_int(struct json_writer *w, long long n)
{
	separate(w, false);
	fprintf(w->f, "%lld", n);
	value_done(w);
}

void json_bool(struct json_writer *w, bool b)
{
	separate(w, false);
	fputs(b ? "true" : "false", w->f);
	value_done(w);
}

void json_null(struct json_writer *w)
{
	separate(w, false);
	fputs("null", w->f);
	value_done(w);
}

int json_finish(const struct json_writer *w)
{
	return w->misused || !w->complete ? -1 : 0;
}

long json_bad_byte(const char *text)
{
	for (long i = 0; text[i];) {
		size_t n = vzl_utf8_char_len(text + i);
		if (!n)
			return i;
		i += (long)n;
	}
	return -1;
}
