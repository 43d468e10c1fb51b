/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The CLI's JSON writer (cmd/json.c): escaping of quotes, backslashes and every control
 * character, bytes that are not UTF-8, nesting, the commas and blanks between items in both
 * layouts, empty containers, and calls out of order being reported by json_finish.
 * Expected texts are written out by hand from RFC 8259.
 */
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "test.h"

struct doc {
	char *buf;
	size_t len;
	FILE *f;
	struct json_writer w;
};

static struct json_writer *doc_open(struct doc *d)
{
	d->buf = NULL;
	d->f = open_memstream(&d->buf, &d->len);
	if (!d->f)
		abort();
	json_init(&d->w, d->f);
	return &d->w;
}

/* The text written, and whether json_finish accepted it (0) or not (-1). */
static const char *doc_close(struct doc *d, int *finished)
{
	*finished = json_finish(&d->w);
	fclose(d->f);
	return d->buf;
}

#define CHECK_DOC(d, expected_text, expected_finish)                                               \
	do {                                                                                       \
		int fin_;                                                                          \
		CHECK_STR(doc_close(d, &fin_), expected_text);                                     \
		CHECK_INT(fin_, expected_finish);                                                  \
		free((d)->buf);                                                                    \
	} while (0)

static void test_escaping(void)
{
	struct doc d;
	struct json_writer *w = doc_open(&d);
	json_string(w, "q\"b\\s/");
	CHECK_DOC(&d, "\"q\\\"b\\\\s/\"\n", 0);

	w = doc_open(&d);
	json_string(w, "\n\r\t\b\f");
	CHECK_DOC(&d, "\"\\n\\r\\t\\b\\f\"\n", 0);

	/* Every other control character as \u00XX; DEL (0x7f) needs no escape. */
	char all[32];
	for (int i = 1; i < 32; i++)
		all[i - 1] = (char)i;
	all[31] = '\0';
	w = doc_open(&d);
	json_string(w, all);
	CHECK_DOC(&d,
		  "\"\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r"
		  "\\u000e\\u000f\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018"
		  "\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f\"\n",
		  0);

	w = doc_open(&d);
	json_string(w, "\x7f \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	CHECK_DOC(&d, "\"\x7f \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"\n", 0);

	/* Not UTF-8: a lone Latin-1 byte, a truncated sequence, an overlong form. */
	w = doc_open(&d);
	json_string(w, "a\xe9z \xe2\x82 \xc0\xaf");
	CHECK_DOC(&d, "\"a\\ufffdz \\ufffd\\ufffd \\ufffd\\ufffd\"\n", 0);

	w = doc_open(&d);
	json_string(w, "");
	CHECK_DOC(&d, "\"\"\n", 0);

	w = doc_open(&d);
	json_string(w, NULL);
	CHECK_DOC(&d, "null\n", 0);

	/* Keys are escaped like values. */
	w = doc_open(&d);
	json_begin_object(w);
	json_key(w, "k\"\n");
	json_int(w, -5);
	json_end_object(w);
	CHECK_DOC(&d, "{\"k\\\"\\n\": -5}\n", 0);

	CHECK_INT(json_bad_byte("plain \xc3\xa9"), -1);
	CHECK_INT(json_bad_byte("ab\xe9"), 2);
	CHECK_INT(json_bad_byte(""), -1);
}

static void test_scalars_and_commas(void)
{
	struct doc d;
	struct json_writer *w = doc_open(&d);
	json_begin_object(w);
	json_key(w, "i");
	json_int(w, 4294967295LL);
	json_key(w, "t");
	json_bool(w, true);
	json_key(w, "f");
	json_bool(w, false);
	json_key(w, "n");
	json_null(w);
	json_key(w, "s");
	json_string(w, "x");
	json_end_object(w);
	CHECK_DOC(&d, "{\"i\": 4294967295, \"t\": true, \"f\": false, \"n\": null, \"s\": \"x\"}\n",
		  0);

	w = doc_open(&d);
	json_begin_array(w);
	json_int(w, 1);
	json_int(w, -9223372036854775807LL - 1);
	json_string(w, "a");
	json_end_array(w);
	CHECK_DOC(&d, "[1, -9223372036854775808, \"a\"]\n", 0);
}

static void test_nesting(void)
{
	struct doc d;
	struct json_writer *w = doc_open(&d);
	json_begin_object(w);
	json_key(w, "a");
	json_begin_array(w);
	json_begin_object(w);
	json_key(w, "b");
	json_begin_array(w);
	json_end_array(w);
	json_end_object(w);
	json_begin_object(w);
	json_end_object(w);
	json_null(w);
	json_end_array(w);
	json_key(w, "c");
	json_begin_object(w);
	json_key(w, "d");
	json_int(w, 0);
	json_end_object(w);
	json_end_object(w);
	CHECK_DOC(&d, "{\"a\": [{\"b\": []}, {}, null], \"c\": {\"d\": 0}}\n", 0);

	/* Empty containers, alone and in rows. */
	w = doc_open(&d);
	json_begin_object(w);
	json_end_object(w);
	CHECK_DOC(&d, "{}\n", 0);
	w = doc_open(&d);
	json_begin_array(w);
	json_end_array(w);
	CHECK_DOC(&d, "[]\n", 0);
	w = doc_open(&d);
	json_begin_array_rows(w, 1, 0);
	json_end_array(w);
	CHECK_DOC(&d, "[\n]\n", 0);

	/* Rows: each item on its own line after `indent` blanks, the close after
	 * `close_indent`; items inside a one-line container stay on one line. */
	w = doc_open(&d);
	json_begin_object(w);
	json_key(w, "p");
	json_begin_object_rows(w, 4, 2);
	json_key(w, "K");
	json_begin_object(w);
	json_key(w, "v");
	json_string(w, "1");
	json_end_object(w);
	json_key(w, "L");
	json_null(w);
	json_end_object(w);
	json_end_object(w);
	CHECK_DOC(&d, "{\"p\": {\n    \"K\": {\"v\": \"1\"},\n    \"L\": null\n  }}\n", 0);

	w = doc_open(&d);
	json_begin_array_rows(w, 2, 0);
	json_int(w, 1);
	json_begin_array(w);
	json_int(w, 2);
	json_int(w, 3);
	json_end_array(w);
	json_end_array(w);
	CHECK_DOC(&d, "[\n  1,\n  [2, 3]\n]\n", 0);

	/* As deep as allowed, and one deeper is refused. */
	w = doc_open(&d);
	for (int i = 0; i < JSON_MAX_DEPTH; i++)
		json_begin_array(w);
	for (int i = 0; i < JSON_MAX_DEPTH; i++)
		json_end_array(w);
	int fin;
	const char *text = doc_close(&d, &fin);
	CHECK_INT(fin, 0);
	CHECK_INT(strlen(text), 2 * JSON_MAX_DEPTH + 1);
	free(d.buf);
	w = doc_open(&d);
	for (int i = 0; i <= JSON_MAX_DEPTH; i++)
		json_begin_array(w);
	doc_close(&d, &fin);
	CHECK_INT(fin, -1);
	free(d.buf);
}

/* Calls out of order leave json_finish saying so. */
static void test_misuse(void)
{
	struct doc d;
	int fin;
	struct json_writer *w = doc_open(&d);
	json_begin_object(w);
	json_string(w, "value without a key");
	json_end_object(w);
	doc_close(&d, &fin);
	CHECK_INT(fin, -1);
	free(d.buf);

	w = doc_open(&d);
	json_begin_array(w);
	json_key(w, "key in an array");
	json_int(w, 1);
	json_end_array(w);
	doc_close(&d, &fin);
	CHECK_INT(fin, -1);
	free(d.buf);

	w = doc_open(&d);
	json_begin_object(w);
	json_key(w, "a");
	json_key(w, "b");
	json_int(w, 1);
	json_end_object(w);
	doc_close(&d, &fin);
	CHECK_INT(fin, -1);
	free(d.buf);

	w = doc_open(&d);
	json_begin_object(w);
	json_key(w, "dangling");
	json_end_object(w);
	doc_close(&d, &fin);
	CHECK_INT(fin, -1);
	free(d.buf);

	w = doc_open(&d);
	json_begin_object(w);
	json_end_array(w);
	doc_close(&d, &fin);
	CHECK_INT(fin, -1);
	free(d.buf);

	w = doc_open(&d);
	json_begin_array(w);
	doc_close(&d, &fin); /* never closed */
	CHECK_INT(fin, -1);
	free(d.buf);

	w = doc_open(&d);
	json_int(w, 1);
	json_int(w, 2); /* a second document */
	doc_close(&d, &fin);
	CHECK_INT(fin, -1);
	free(d.buf);

	w = doc_open(&d); /* nothing written */
	doc_close(&d, &fin);
	CHECK_INT(fin, -1);
	free(d.buf);
}

int main(void)
{
	test_escaping();
	test_scalars_and_commas();
	test_nesting();
	test_misuse();
	return test_summary("test-json");
}
