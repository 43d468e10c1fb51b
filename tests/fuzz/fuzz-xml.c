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

#include "units.h"
#include "xml.h"

#define FUZZ_CHECK(cond)                                                                   \
	do {                                                                               \
		if (!(cond)) {                                                             \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                           \
		}                                                                          \
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
		for (const unsigned char *p = (const unsigned char *)v; *p; p++)
			FUZZ_CHECK(*p >= 0x20 && *p != 0x7f && *p != '"' && *p != '`' && *p != '\\');
	}
	xml_ve_done(&x);
	return 0;
}
