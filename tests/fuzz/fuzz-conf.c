/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libFuzzer target: the config reader, the per-line diagnostics, the duplicate rules and the
 * writer. Properties checked on every input: an unchanged config serializes to exactly the
 * input bytes, and setting a key renders a line that reads back as the value set.
 */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf-layer.h"
#include "conf-write.h"
#include "params.h"

/* Unlike assert(), stays in RelWithDebInfo builds, which define NDEBUG. */
#define FUZZ_CHECK(cond)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);   \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int ignore(void *userdata, enum vzl_severity sev, const char *param, const char *msg)
{
	(void)userdata, (void)sev, (void)param, (void)msg;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf *c = NULL;
	if (conf_parse("fuzz.conf", (const char *)data, size, &c, NULL) < 0)
		return 0;

	char *out = NULL;
	size_t len = 0;
	if (conf_serialize(c, &out, &len) == 0) {
		/* Every byte comes back, except a leading UTF-8 byte order mark, which the
		 * reader skips (with a warning) and a save drops. */
		size_t skip = size >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
		FUZZ_CHECK(len == size - skip && memcmp(out, data + skip, len) == 0);
		free(out);
	}
	conf_diagnose(c, units_native(), 0, ignore, NULL);
	conf_diagnose(c, &units_i386, 1, ignore, NULL);
	for (size_t i = 0; i < param_table_len; i += 7) {
		char *v = NULL;
		conf_lookup(c, &param_table[i], units_native(), &v, NULL);
		free(v);
	}

	/* Use the last line's value as a new value of a key chosen by the first byte. */
	if (c->n_lines && size) {
		const struct param_def *p = &param_table[data[0] % param_table_len];
		char *v = strdup(c->lines[c->n_lines - 1].raw); /* conf_set may drop that line */
		if (v && conf_set(c, p->name, v) >= 0) {
			size_t k;
			for (k = 0; k < c->n_lines; k++)
				if (c->lines[k].key && param_find(c->lines[k].key) == p)
					break;
			FUZZ_CHECK(k < c->n_lines && strcmp(c->lines[k].value, v) == 0);
		}
		free(v);
	}
	conf_free(c);
	return 0;
}
