/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The config reader's lexical rules (vzctl-behaviour.md §2.1) and $VEID expansion (§1.4).
 * Expected values are worked out from the doc's rules, case by case.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "test.h"

static struct conf *parse(const char *text)
{
	struct conf *c = NULL;
	vzl_error *err = NULL;
	if (conf_parse("test.conf", text, strlen(text), &c, &err) < 0) {
		fprintf(stderr, "parse failed: %s\n", vzl_error_message(err));
		vzl_error_free(err);
		return NULL;
	}
	return c;
}

static void test_lexical(void)
{
	struct conf *c = parse("# comment\n"
			       "\n"
			       "  KMEMSIZE=\"1:2\"  # trailing comment dropped after the quote\n"
			       "NAMESERVER=inherit # kept: unquoted values run to the end\n"
			       "NAME = spaced\n"
			       "ESC=\"a\\\"b\"\n"
			       "NOEQUALS\n"
			       "UNMATCHED=\"abc\n"
			       "LAST=\"x\" \"y\"\n"
			       "VE_ROOT=/first\n"
			       "VE_ROOT=/second\n"
			       "EMPTY=\n");
	CHECK(c != NULL);
	if (!c)
		return;
	CHECK_INT(c->n_lines, 12);
	CHECK_STR(conf_get(c, "KMEMSIZE"), "1:2");
	CHECK_STR(conf_get(c, "NAMESERVER"), "inherit # kept: unquoted values run to the end");
	/* The name is not trimmed: "NAME " is a different, unknown key. */
	CHECK(conf_get(c, "NAME") == NULL);
	CHECK_STR(conf_get(c, "NAME "), " spaced");
	/* Backslashes are removed first; the value then runs to the last quote. */
	CHECK_STR(conf_get(c, "ESC"), "a\"b");
	CHECK(conf_get(c, "NOEQUALS") == NULL);
	CHECK(conf_get(c, "UNMATCHED") == NULL);
	CHECK_STR(conf_get(c, "LAST"), "x\" \"y");
	CHECK_STR(conf_get(c, "VE_ROOT"), "/first");
	CHECK_STR(conf_get(c, "EMPTY"), "");
	/* Every physical line is kept for a later in-place rewrite. */
	CHECK_STR(c->lines[0].raw, "# comment");
	CHECK_INT(c->lines[2].lineno, 3);
	conf_free(c);
}

static void test_nul_refused(void)
{
	struct conf *c = NULL;
	vzl_error *err = NULL;
	static const char text[] = "A=1\nB=\0x\n";
	CHECK_INT(conf_parse("nul.conf", text, sizeof(text) - 1, &c, &err), -EINVAL);
	CHECK(c == NULL);
	CHECK(err && strstr(vzl_error_message(err), "nul.conf:2") != NULL);
	vzl_error_free(err);
}

/* A UTF-8 byte order mark is not part of the first key; it is noted, and not written back. */
static void test_bom(void)
{
	struct conf *c = parse("\xef\xbb\xbfKMEMSIZE=\"1:2\"\nB=3\n");
	CHECK(c != NULL);
	if (!c)
		return;
	CHECK_INT(c->bom, 1);
	CHECK_STR(c->lines[0].key, "KMEMSIZE");
	CHECK_STR(conf_get(c, "KMEMSIZE"), "1:2");
	CHECK_STR(c->lines[0].raw, "KMEMSIZE=\"1:2\"");
	CHECK_INT(c->lines[0].lineno, 1);
	conf_free(c);
	/* Only at the very start: elsewhere the bytes stay part of the line. */
	c = parse("A=1\n\xef\xbb\xbf"
		  "B=2\n");
	CHECK(c && c->bom == 0 && conf_get(c, "B") == NULL);
	conf_free(c);
	c = parse("\xef\xbb\xbf");
	CHECK(c && c->bom == 1 && c->n_lines == 0);
	conf_free(c);
}

static void test_expand(void)
{
	char *s;
	CHECK_STR(s = conf_expand_veid("/vz/private/$VEID", 101), "/vz/private/101");
	free(s);
	CHECK_STR(s = conf_expand_veid("/vz/private/${VEID}//", 7), "/vz/private/7");
	free(s);
	/* Only the first occurrence is replaced. */
	CHECK_STR(s = conf_expand_veid("/a/$VEID/$VEID", 5), "/a/5/$VEID");
	free(s);
	CHECK_STR(s = conf_expand_veid("/plain/", 5), "/plain");
	free(s);
	char long_path[600];
	memset(long_path, 'a', sizeof(long_path) - 1);
	long_path[sizeof(long_path) - 1] = '\0';
	CHECK(conf_expand_veid(long_path, 1) == NULL);
}

int main(void)
{
	test_lexical();
	test_nul_refused();
	test_bom();
	test_expand();
	return test_summary("test-conf-basic");
}
