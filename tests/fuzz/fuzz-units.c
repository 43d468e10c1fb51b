/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libFuzzer target: every parameter's value grammar (value.c, value-list.c, units.c) for the
 * x86_64 and the i386 target. Property: a value's canonical form is itself valid and
 * canonical (format(parse(format(parse(x)))) == format(parse(x))).
 */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "params.h"
#include "value.h"

/* Unlike assert(), stays in RelWithDebInfo builds, which define NDEBUG. */
#define FUZZ_CHECK(cond)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);   \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > VALUE_MAX + 64)
		return 0;
	char *text = malloc(size);
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	const struct param_def *p = &param_table[data[0] % param_table_len];
	const struct units_target *t = (data[0] & 0x80) ? &units_i386 : &units_x86_64;
	enum value_origin o = (data[0] & 0x40) ? VALUE_FROM_USER : VALUE_FROM_FILE;

	char *canon = NULL, *msg = NULL;
	int r = value_check(p, t, o, text, &canon, &msg);
	if (r >= 0) {
		char *again = NULL, *msg2 = NULL;
		int r2 = value_check(p, t, VALUE_FROM_FILE, canon, &again, &msg2);
		FUZZ_CHECK(r2 == 0);
		FUZZ_CHECK(strcmp(again, canon) == 0);
		free(again);
		free(msg2);
	} else {
		FUZZ_CHECK(msg && strncmp(msg, p->name, strlen(p->name)) == 0);
	}
	free(canon);
	free(msg);
	free(text);
	return 0;
}
