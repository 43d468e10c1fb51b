/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libFuzzer target: the domain XML reader (lib/xml*.c) on any bytes, both formats and the
 * extension. Properties checked on every input: the reader either refuses with an error that
 * has a message, or yields a VE ID in range and values that a config line can hold (no
 * control character, no '"', no '`'), and keys from the extension's grammar.
 */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf-write.h"
#include "params.h"
#include "units.h"
#include "value.h"
#include "xml.h"

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
	struct xml_ve x;
	vzl_error *err = NULL;
	int r = xml_parse_ve((const char *)data, size, units_native(), &x, &err);
	if (r < 0) {
		FUZZ_CHECK(err && vzl_error_message(err) && *vzl_error_message(err));
		vzl_error_free(err);
		return 0;
	}
	FUZZ_CHECK(!err);
	FUZZ_CHECK(x.veid >= XML_VEID_MIN && x.veid <= VZL_VEID_MAX);
	for (size_t i = 0; i < x.n_kv; i++) {
		const char *k = x.kv[i].key, *v = x.kv[i].value;
		FUZZ_CHECK(k[0] >= 'A' && k[0] <= 'Z');
		/* One rule per value: a document defines only what `set` would accept, and
		 * what the config writer can write back (quotes, `$` and backslashes are
		 * escaped there; control characters other than a tab are not writable). */
		char *line = NULL;
		FUZZ_CHECK(conf_render(k, v, &line) == 0);
		free(line);
		const struct param_def *def = param_find(k);
		if (def) {
			char *msg = NULL;
			/* "B:" / ":L" is half a pair that define merges with the profile's other
			 * half (memtune): check the half given, as a whole pair. */
			char half[2 * 4096 + 2];
			size_t n = strlen(v);
			const char *colon = strchr(v, ':');
			if (n > 1 && n < 4096 && colon && !strchr(colon + 1, ':') &&
			    (colon == v || colon == v + n - 1)) {
				const char *h = colon == v ? v + 1 : v;
				snprintf(half, sizeof(half), "%.*s:%.*s", (int)(n - 1), h,
					 (int)(n - 1), h);
				v = half;
			}
			int ok = value_check(def, units_native(), VALUE_FROM_USER, v, NULL, &msg);
			if (ok < 0)
				fprintf(stderr, "%s=\"%s\": %s\n", k, v, msg ? msg : "?");
			FUZZ_CHECK(ok >= 0);
			free(msg);
		}
	}
	xml_ve_done(&x);
	return 0;
}
