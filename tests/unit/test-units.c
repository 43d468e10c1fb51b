/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Property tests of the value grammar (vzctl-behaviour.md §2.4), for the x86_64 target and
 * for i386 (LONG_MAX 2147483647), whose binaries cannot run here: the target is a parameter.
 *
 * Properties, for every numeric parameter of the table:
 *  P1  format(v) parses back to v, and format(parse(format(v))) == format(v), for random v in
 *      0..LONG_MAX and the boundaries 0, 1, 2^31-1, 2^31, 2^32, LONG_MAX.
 *  P2  LONG_MAX + 1 (and anything above, up to 2^64-1) read from a file is clamped to
 *      LONG_MAX with a warning; from the user it is an error (vzctl: exit 21); DISKSPACE and
 *      DISKINODES refuse it either way (vzctl's parse_dq). 2^64 is "too large" everywhere.
 *  P3  a suffixed value is bytes divided by the unit, truncated: parse(x) equals
 *      floor(n * mul / unit) computed here in 128-bit arithmetic, and
 *      parse(format(parse(x))) == parse(x).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "params.h"
#include "test.h"
#include "units.h"
#include "value.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	/* xorshift64*: reproducible across runs. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static int is_numeric(const struct param_def *p)
{
	return p->type == PARAM_T_UBC || p->type == PARAM_T_DISK || p->type == PARAM_T_UINT;
}

/* value_check as a user value; returns the canonical text or NULL. */
static char *canon(const struct param_def *p, const struct units_target *t, enum value_origin o,
		   const char *s, int *ret)
{
	char *c = NULL, *m = NULL;
	*ret = value_check(p, t, o, s, &c, &m);
	free(m);
	return c;
}

static int in_uint_range(const struct param_def *p, uint64_t v)
{
	if (!strcmp(p->name, "CPUUNITS") || !strcmp(p->name, "VE0CPUUNITS"))
		return v >= 8 && v <= 500000;
	if (!strcmp(p->name, "CPUUWEIGHT"))
		return v >= 1 && v <= 65535;
	if (!strcmp(p->name, "VEID"))
		return v <= 2147483644;
	if (!strcmp(p->name, "CPUS"))
		return v <= 4096;
	return 1;
}

static void p1_roundtrip(const struct units_target *t)
{
	for (size_t i = 0; i < param_table_len; i++) {
		const struct param_def *p = &param_table[i];
		if (!is_numeric(p))
			continue;
		uint64_t fixed[] = { 0, 1, 2147483647u, 2147483648u, 4294967296u, t->long_max };
		for (int k = 0; k < 200 + (int)ELEMENTSOF(fixed); k++) {
			uint64_t v = k < (int)ELEMENTSOF(fixed) ? fixed[k]
								: rnd() % (t->long_max + 1);
			if (k >= (int)ELEMENTSOF(fixed) && (k & 1))
				v %= 100000; /* small values too, where ranges are */
			if (v > t->long_max || (p->type == PARAM_T_UINT && !in_uint_range(p, v)))
				continue;
			char s[64];
			uint64_t pair[2] = { v, v };
			struct units_rule r;
			if (p->type == PARAM_T_UINT) {
				snprintf(s, sizeof(s), "%" PRIu64, v);
			} else {
				value_rule(p, t, &r);
				if (p->type == PARAM_T_DISK)
					units_format_pair_full(t, &r, pair, s, sizeof(s));
				else
					units_format_pair(t, &r, pair, s, sizeof(s));
			}
			int rc;
			char *c = canon(p, t, VALUE_FROM_USER, s, &rc);
			CHECK_INT(rc, 0);
			/* Written back as two plain decimals whatever the input's form (issue 18:
			 * libvirt reads nothing else); a plain number stays as it was. */
			char want[64];
			if (p->type == PARAM_T_UINT)
				snprintf(want, sizeof(want), "%s", s);
			else
				snprintf(want, sizeof(want), "%" PRIu64 ":%" PRIu64, v, v);
			if (c)
				CHECK_STR(c, want);
			free(c);
			if (p->type != PARAM_T_UINT) {
				uint64_t back[2];
				CHECK_INT(units_parse_pair(t, &r, s, back, NULL), 0);
				CHECK(back[0] == v && back[1] == v);
				/* barrier:limit with different sides */
				uint64_t two[2] = { v / 2, v };
				char s2[64];
				units_format_pair_full(t, &r, two, s2, sizeof(s2));
				CHECK_INT(units_parse_pair(t, &r, s2, back, NULL), 0);
				CHECK(back[0] == v / 2 && back[1] == v);
			}
		}
	}
}

static void p2_clamp(const struct units_target *t)
{
	const struct param_def *km = param_find("KMEMSIZE"), *ds = param_find("DISKSPACE");
	const struct param_def *np = param_find("NUMPROC"), *qt = param_find("QUOTATIME");
	char s[64], unl[64];
	int rc;
	char *c;
	/* Unlimited is written as LONG_MAX, twice (issue 18), never as the word. */
	snprintf(unl, sizeof(unl), "%" PRIu64 ":%" PRIu64, t->long_max, t->long_max);

	snprintf(s, sizeof(s), "%" PRIu64, t->long_max + 1);
	c = canon(km, t, VALUE_FROM_FILE, s, &rc);
	CHECK_INT(rc, UNITS_CLAMPED);
	CHECK_STR(c, unl);
	free(c);
	c = canon(np, t, VALUE_FROM_FILE, s, &rc);
	CHECK_INT(rc, UNITS_CLAMPED);
	free(c);
	CHECK(canon(km, t, VALUE_FROM_USER, s, &rc) == NULL && rc == -EINVAL);
	CHECK(canon(ds, t, VALUE_FROM_FILE, s, &rc) == NULL && rc == -EINVAL);
	CHECK(canon(qt, t, VALUE_FROM_FILE, s, &rc) == NULL && rc == -EINVAL);
	/* 2^64 - 1 is still a number to strtoull (clamped); 2^64 is not. */
	c = canon(km, t, VALUE_FROM_FILE, "18446744073709551615", &rc);
	CHECK_INT(rc, UNITS_CLAMPED);
	free(c);
	CHECK(canon(km, t, VALUE_FROM_FILE, "18446744073709551616", &rc) == NULL && rc == -EINVAL);
	/* 2^31 and 2^32: numbers on x86_64, above LONG_MAX on i386. */
	c = canon(km, t, VALUE_FROM_FILE, "2147483648:4294967296", &rc);
	if (t->long_max == 2147483647u) {
		CHECK_INT(rc, UNITS_CLAMPED);
		CHECK_STR(c, unl);
	} else {
		CHECK_INT(rc, 0);
		CHECK_STR(c, "2147483648:4294967296");
	}
	free(c);
	/* LONG_MAX itself is unlimited; the other target's LONG_MAX is just a number. */
	snprintf(s, sizeof(s), "%" PRIu64, t->long_max);
	c = canon(km, t, VALUE_FROM_USER, s, &rc);
	CHECK_STR(c, unl);
	free(c);
	c = canon(km, t, VALUE_FROM_USER, "2147483647", &rc);
	CHECK_STR(c, "2147483647:2147483647");
	free(c);
}

struct sfx_case {
	const char *param, *text, *x86_64, *i386; /* NULL: error */
};

static const struct sfx_case sfx_cases[] = {
	{ "KMEMSIZE", "2G", "2147483648:2147483648", "2147483647:2147483647" },
	{ "KMEMSIZE", "10P", "40960:40960", "40960:40960" },
	{ "KMEMSIZE", "1k:1.5K", "1024:1536", "1024:1536" },
	{ "KMEMSIZE", "5G", "5368709120:5368709120", "2147483647:2147483647" },
	{ "KMEMSIZE", "8388607T", "9223370937343148032:9223370937343148032",
	  "2147483647:2147483647" },
	{ "PRIVVMPAGES", "1B", "0:0", "0:0" },
	{ "PRIVVMPAGES", "1G", "262144:262144", "262144:262144" },
	{ "PRIVVMPAGES", "4097b", "1:1", "1:1" },
	{ "PHYSPAGES", "0:256M", "0:65536", "0:65536" },
	{ "SWAPPAGES", "0:8G", "0:2097152", "0:2097152" },
	{ "PHYSPAGES", "2.5", "2:2", "2:2" },
	{ "DISKSPACE", "2G:2.2G", "2097152:2306867", "2097152:2306867" },
	{ "DISKSPACE", "1048576", "1048576:1048576", "1048576:1048576" },
	{ "DISKINODES", "1K", "1024:1024", "1024:1024" },
	{ "DISKSPACE", "4T", "4294967296:4294967296", NULL },
	{ "NUMPROC", "1K", NULL, NULL },
	{ "NUMPROC", "240:240", "240:240", "240:240" },
	{ "DISKSPACE", "unlimited", NULL, NULL },
	{ "KMEMSIZE", "unlimited:unlimited", "9223372036854775807:9223372036854775807",
	  "2147483647:2147483647" },
	{ "PRIVVMPAGES", "65536:unlimited", "65536:9223372036854775807", "65536:2147483647" },
};

static void p3_suffixes(void)
{
	for (size_t i = 0; i < ELEMENTSOF(sfx_cases); i++) {
		const struct sfx_case *k = &sfx_cases[i];
		const struct units_target *ts[2] = { &units_x86_64, &units_i386 };
		for (int j = 0; j < 2; j++) {
			const char *want = j ? k->i386 : k->x86_64;
			int rc;
			char *c = canon(param_find(k->param), ts[j], VALUE_FROM_FILE, k->text, &rc);
			if (!want) {
				CHECK(c == NULL && rc == -EINVAL);
			} else {
				CHECK(rc >= 0);
				CHECK_STR(c, want);
			}
			free(c);
		}
	}
	/* Random n with every suffix, against 128-bit arithmetic. */
	static const char sfx[] = "bkmgtpBKMGTP";
	const struct units_target *ts[2] = { &units_x86_64, &units_i386 };
	const char *params[] = { "KMEMSIZE", "PRIVVMPAGES", "DISKSPACE", "DISKINODES" };
	for (int n = 0; n < 2000; n++) {
		const struct units_target *t = ts[n & 1];
		const struct param_def *p = param_find(params[(n >> 1) % 4]);
		struct units_rule r;
		value_rule(p, t, &r);
		uint64_t num = rnd() >> (rnd() % 64);
		char c = sfx[rnd() % 12];
		unsigned __int128 mul = c == 'p' || c == 'P' ? t->page_size
					: c == 'b' || c == 'B'
						? 1
						: (unsigned __int128)1
							  << (10 * (strchr("kmgt", c | 0x20) -
								    "kmgt" + 1));
		unsigned __int128 want = (unsigned __int128)num * mul / r.divisor;
		int clamp = want > t->long_max;
		char s[64];
		snprintf(s, sizeof(s), "%" PRIu64 "%c", num, c);
		uint64_t v[2];
		int rc = units_parse_pair(t, &r, s, v, NULL);
		CHECK_INT(rc, clamp ? (int)UNITS_CLAMPED : 0);
		CHECK(v[0] == (clamp ? t->long_max : (uint64_t)want));
		/* Idempotence: the canonical text parses to the same number. */
		char f[64];
		uint64_t back[2];
		units_format_pair(t, &r, v, f, sizeof(f));
		CHECK(units_parse_pair(t, &r, f, back, NULL) >= 0 && back[0] == v[0]);
	}
}

static void p4_plain(void)
{
	long long v;
	CHECK_INT(units_parse_long("-1", -5, 5, &v), 0);
	CHECK_INT(v, -1);
	CHECK_INT(units_parse_long("8", 0, 7, &v), -ERANGE);
	CHECK_INT(units_parse_long("9223372036854775808", 0, 7, &v), -ERANGE);
	CHECK_INT(units_parse_long("-9223372036854775808", -9223372036854775807LL - 1, 0, &v), 0);
	CHECK_INT(units_parse_long("1x", 0, 7, &v), -EINVAL);
	uint64_t u;
	CHECK_INT(units_parse_ulong(&units_i386, true, "unlimited", &u, NULL), 0);
	CHECK(u == 2147483647u);
	CHECK_INT(units_parse_ulong(&units_i386, true, "2147483648", &u, NULL), -EINVAL);
	CHECK_INT(units_parse_ulong(&units_x86_64, true, "2147483648", &u, NULL), 0);
}

int main(void)
{
	p1_roundtrip(&units_x86_64);
	p1_roundtrip(&units_i386);
	p2_clamp(&units_x86_64);
	p2_clamp(&units_i386);
	p3_suffixes();
	p4_plain();
	return test_summary("test-units");
}
