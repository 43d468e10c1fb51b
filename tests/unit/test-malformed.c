/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Malformed inputs, one table: each case gives the exact message vzlite reports, and after
 * each the config file on disk is byte-for-byte what it was.
 *
 * SET cases go through vzl_config_set() (a command-line value: `vzlite set --save`), then
 * vzl_config_save(), which must find nothing to write. FILE cases are a config file's text:
 * the file is opened and validated with --fix semantics (fixes in memory only), and the
 * first problem reported is compared; the message starts with "FILE:LINE: ". OPEN cases
 * make opening fail.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "test.h"

enum kind { SET, FILE_, OPEN };

struct mcase {
	enum kind kind;
	const char *key;     /* SET: the parameter */
	const char *input;   /* SET: the value; FILE/OPEN: the file's text ("@1M" etc. below) */
	const char *message; /* exact; FILE/OPEN: without the leading path */
};

#define X48   "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
#define ONE48 "111111111111111111111111111111111111111111111111"
#define SFX   "a number with an optional K, M, G, T, P or B suffix, or unlimited"

static const struct mcase cases[] = {
	/* Numbers: barrier:limit grammar (§2.4). */
	{ SET, "KMEMSIZE", "1Q", "KMEMSIZE: \"1Q\" is not " SFX },
	{ SET, "KMEMSIZE", "1:2:3",
	  "KMEMSIZE: \"1:2:3\" has more than two numbers; use BARRIER or BARRIER:LIMIT, each " SFX },
	{ SET, "KMEMSIZE", "-1", "KMEMSIZE: \"-1\" is negative; use " SFX },
	{ SET, "KMEMSIZE", "1:-5", "KMEMSIZE: \"1:-5\" is negative; use " SFX },
	{ SET, "KMEMSIZE", "18446744073709551616",
	  "KMEMSIZE: \"18446744073709551616\" is too large; the largest value is "
	  "9223372036854775807 (unlimited)" },
	{ SET, "KMEMSIZE", "9223372036854775808",
	  "KMEMSIZE: \"9223372036854775808\" is larger than 9223372036854775807, the largest "
	  "value on x86_64; use unlimited or a smaller number" },
	{ SET, "KMEMSIZE", "9000000T",
	  "KMEMSIZE: \"9000000T\" is larger than 9223372036854775807, the largest value on "
	  "x86_64; use unlimited or a smaller number" },
	{ SET, "KMEMSIZE", "", "KMEMSIZE: \"\" is empty; use " SFX },
	{ SET, "KMEMSIZE", "1:", "KMEMSIZE: \"1:\" is empty; use " SFX },
	{ SET, "KMEMSIZE", "1KK", "KMEMSIZE: \"1KK\" is not " SFX },
	{ SET, "KMEMSIZE", " 1", "KMEMSIZE: \" 1\" is not " SFX },
	{ SET, "KMEMSIZE", "+1", "KMEMSIZE: \"+1\" is not " SFX },
	{ SET, "KMEMSIZE", "1e3", "KMEMSIZE: \"1e3\" is not " SFX },
	{ SET, "KMEMSIZE", "unlimitedx", "KMEMSIZE: \"unlimitedx\" is not " SFX },
	{ SET, "KMEMSIZE", "Unlimited", "KMEMSIZE: \"Unlimited\" is not " SFX },
	{ SET, "NUMPROC", "1K",
	  "NUMPROC: \"1K\" is not a whole number (no suffix: it counts items) or unlimited" },
	{ SET, "DISKSPACE", "unlimited",
	  "DISKSPACE: \"unlimited\" is not a number with an optional K, M, G, T, P or B suffix "
	  "(not unlimited)" },
	{ SET, "DISKSPACE", "2:1",
	  "DISKSPACE: \"2:1\" has a soft limit above the hard limit; use SOFT:HARD with SOFT <= "
	  "HARD" },
	{ SET, "DISKSPACE", "9000000000T",
	  "DISKSPACE: \"9000000000T\" is larger than 9223372036854775807, the largest quota on "
	  "x86_64" },
	/* Plain numbers and their ranges (vzctl's, the kernel's). */
	{ SET, "CPUUNITS", "5",
	  "CPUUNITS: \"5\" is out of range; use 8..500000 (vzctl's range, which the kernel's "
	  "fair-scheduler weight 1..65535 allows)" },
	{ SET, "CPUUNITS", "1000x",
	  "CPUUNITS: \"1000x\" is not a whole number; use a whole number without a suffix, or "
	  "unlimited" },
	{ SET, "CPUUNITS", "-8",
	  "CPUUNITS: \"-8\" is negative; use a whole number without a suffix, or unlimited" },
	{ SET, "CPUUWEIGHT", "70000",
	  "CPUUWEIGHT: \"70000\" is out of range; use 1..65535 (the kernel's fair-scheduler "
	  "weight range)" },
	{ SET, "QUOTATIME", "9223372036854775808",
	  "QUOTATIME: \"9223372036854775808\" is too large; the largest value is "
	  "9223372036854775807" },
	{ SET, "IOPRIO", "8",
	  "IOPRIO: \"8\" is out of range; use 0..7 (the kernel's I/O priorities)" },
	{ SET, "CPULIMIT", "150%",
	  "CPULIMIT: \"150%\" is above 100%; a limit of the whole host is at most 100%" },
	{ SET, "CPULIMIT", "300000000",
	  "CPULIMIT: \"300000000\" is too large; the kernel's CPU rate allows at most 209715199 "
	  "(percent of one CPU)" },
	{ SET, "IOLIMIT", "3000",
	  "IOLIMIT: \"3000\" is above 2147483647 bytes/s, the largest I/O limit" },
	{ SET, "VM_OVERCOMMIT", "-1",
	  "VM_OVERCOMMIT: \"-1\" is not a decimal number; use a value such as 1.5 (0 for none)" },
	/* Other types. */
	{ SET, "ONBOOT", "maybe", "ONBOOT: \"maybe\" is not yes or no" },
	{ SET, "ONBOOT", "YES", "ONBOOT: \"YES\" is not yes or no" },
	{ SET, "IP_ADDRESS", "10.0.0.300",
	  "IP_ADDRESS: \"10.0.0.300\" has \"10.0.0.300\", which is not an IPv4 or IPv6 address; "
	  "use ADDRESS[/PREFIX] separated by spaces or commas" },
	{ SET, "IP_ADDRESS", "10.0.0.1/33",
	  "IP_ADDRESS: \"10.0.0.1/33\" has a bad prefix \"/33\"; use /0../32" },
	{ SET, "NETFILTER", "on",
	  "NETFILTER: \"on\" is not disabled, stateless, stateful or full" },
	{ SET, "FEATURES", "nfs:maybe",
	  "FEATURES: \"nfs:maybe\" has \"nfs:maybe\"; use feature:on or feature:off items" },
	{ SET, "FEATURES", "fuse:on", "FEATURES: \"fuse:on\" has an unknown feature \"fuse\"" },
	{ SET, "CAPABILITY", "net_admin",
	  "CAPABILITY: \"net_admin\" has \"net_admin\"; use capability:on or capability:off "
	  "items" },
	{ SET, "DEVICES", "c:7:0:rw",
	  "DEVICES: \"c:7:0:rw\" gives access to loop devices (major 7), which vzctl refuses" },
	{ SET, "DEVICES", "x:1:2:rw",
	  "DEVICES: \"x:1:2:rw\" has \"x:1:2\"; use b|c:MAJOR:MINOR|all:PERM" },
	{ SET, "NETDEV", "venet0",
	  "NETDEV: \"venet0\" names venet0; devices whose names start with venet, tun, tap or lo "
	  "cannot be moved into a VE" },
	{ SET, "PCI", "zz:00.0",
	  "PCI: \"zz:00.0\" has \"zz:00.0\"; use [DOMAIN:]BUS:SLOT.FUNC in hex" },
	{ SET, "MEMINFO", "pages:0",
	  "MEMINFO: \"pages:0\" is not a meminfo mode; use none, pages:N or privvmpages:N with N "
	  "above 0" },
	{ SET, "CPUMASK", "5-2",
	  "CPUMASK: \"5-2\" has a bad range; numbers go from 0 to 4095, low-high" },
	{ SET, "NODEMASK", "auto", "NODEMASK: \"auto\" is not a node list such as 0-1,3 or all" },
	{ SET, "VE_LAYOUT", "ploop:fast",
	  "VE_LAYOUT: \"ploop:fast\" is not a layout; use simfs or ploop[:expanded|plain|raw]" },
	{ SET, "NAME", "bad/name",
	  "NAME: \"bad/name\" is not a VE name; use letters, digits, spaces and -+_. only" },
	{ SET, "VE_PRIVATE", "vz/private/$VEID",
	  "VE_PRIVATE: \"vz/private/$VEID\" is not an absolute path; use a path starting with /" },
	{ SET, "OSTEMPLATE", "../etc",
	  "OSTEMPLATE: \"../etc\" is not a single name; use one word without blanks or '/' that "
	  "does not start with '.'" },
	{ SET, "NETIF", "ifname=eth0,mac=zz",
	  "NETIF: \"ifname=eth0,mac=zz\" has mac=\"zz\"; use a MAC address such as "
	  "00:18:51:12:34:56" },
	/* Injection and size: one line per value, bounded values. */
	{ SET, "DESCRIPTION", "line1\nKMEMSIZE=1",
	  "DESCRIPTION: \"line1\\nKMEMSIZE=1\" contains a line break or another control "
	  "character; a value must be one line of text" },
	{ SET, "HOSTNAME", "a\rb",
	  "HOSTNAME: \"a\\rb\" contains a line break or another control character; a value must "
	  "be one line of text" },
	{ SET, "DESCRIPTION", "@1M",
	  "DESCRIPTION: \"" X48 "...\" is 1048576 bytes long; the longest value accepted is 4096 "
	  "bytes" },
	/* Keys set cannot take. */
	{ SET, "LOCKDIR", "/x",
	  "LOCKDIR is a host setting read from vz.conf only; edit the global config instead" },
	{ SET, "TEMPLATE", "/x", "TEMPLATE is never saved in a VE config" },
	{ SET, "FOO", "1", "unknown parameter \"FOO\"; 'vzlite help params' lists them" },
	/* Files. */
	{ FILE_, NULL, "KMEMSIZE=\"1\n", "1: unmatched quotes, line skipped" },
	{ FILE_, NULL, "# c\nJUSTTEXT\n", "2: '=' not found, line skipped" },
	{ FILE_, NULL, "=5\n", "1: the name before '=' is empty, line skipped" },
	{ FILE_, NULL, "KMEMSIZE = 5\n",
	  "1: unknown parameter \"KMEMSIZE \" ignored (no blanks are allowed before '=')" },
	{ FILE_, NULL, "@NAME600", "1: the name before '=' is 512 bytes or longer, line skipped" },
	{ FILE_, NULL, "@LINE1M",
	  "1: KMEMSIZE: \"" ONE48 "...\" is 1048576 bytes long; the longest value accepted is "
	  "4096 bytes; the line is skipped" },
	{ FILE_, NULL, "CPUUNITS=\"7\"\n",
	  "1: CPUUNITS: \"7\" is out of range; use 8..500000 (vzctl's range, which the kernel's "
	  "fair-scheduler weight 1..65535 allows); the line is skipped" },
	{ FILE_, NULL, "KMEMSIZE=99999999999999999999\n",
	  "1: KMEMSIZE: \"99999999999999999999\" is too large; the largest value is "
	  "9223372036854775807 (unlimited); the line is skipped" },
	{ FILE_, NULL, "KMEMSIZE=1:2:3 # comment\n",
	  "1: KMEMSIZE: \"1:2:3 # comment\" has more than two numbers; use BARRIER or "
	  "BARRIER:LIMIT, each " SFX "; the line is skipped" },
	{ FILE_, NULL, "KMEMSIZE=\"9223372036854775808\"\n",
	  "1: KMEMSIZE: \"9223372036854775808\" is larger than 9223372036854775807, the largest "
	  "value on x86_64, and is taken as unlimited" },
	{ FILE_, NULL, "HOSTNAME=a\nHOSTNAME=b\n",
	  "2: duplicate HOSTNAME ignored; line 1 sets it first" },
	{ OPEN, NULL, "@NUL", "2: the line contains a NUL byte; a config file must be text" },
};

static char dir[] = "/tmp/test-malformed.XXXXXX";
static const char base_text[] = "# a VE config\nKMEMSIZE=\"1:2\"\n";

/* Expand the "@..." inputs; returns a malloc()ed buffer and its length. */
static char *expand(const char *in, size_t *len)
{
	size_t big = 1u << 20;
	char *b;
	if (strcmp(in, "@1M") == 0 || strcmp(in, "@LINE1M") == 0) {
		int line = in[1] == 'L';
		b = malloc(big + 32);
		size_t off = line ? (size_t)sprintf(b, "KMEMSIZE=\"") : 0;
		memset(b + off, line ? '1' : 'x', big);
		off += big;
		off += (size_t)sprintf(b + off, line ? "\"\n" : "");
		*len = off;
		return b;
	}
	if (strcmp(in, "@NAME600") == 0) {
		b = malloc(700);
		memset(b, 'N', 600);
		strcpy(b + 600, "=1\n");
		*len = 603;
		return b;
	}
	if (strcmp(in, "@NUL") == 0) {
		b = malloc(32);
		memcpy(b, "ONBOOT=yes\nHOST\0NAME=x\n", 23);
		*len = 23;
		return b;
	}
	*len = strlen(in);
	return strdup(in);
}

static void write_file(const char *path, const char *buf, size_t len)
{
	FILE *f = fopen(path, "wb");
	fwrite(buf, 1, len, f);
	fclose(f);
}

static int unchanged(const char *path, const char *buf, size_t len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	char *got = malloc(len + 2);
	size_t n = fread(got, 1, len + 1, f);
	fclose(f);
	int same = n == len && memcmp(got, buf, len) == 0;
	free(got);
	return same;
}

static void run_case(const struct mcase *k, size_t idx)
{
	char path[256], want[4096];
	snprintf(path, sizeof(path), "%s/%zu.conf", dir, idx);
	size_t len;
	char *in = expand(k->input, &len);
	vzl_error *err = NULL;
	vzl_config *cfg = NULL;

	if (k->kind == SET) {
		write_file(path, base_text, strlen(base_text));
		CHECK_INT(vzl_config_open_file(NULL, path, &cfg, NULL), 0);
		CHECK_INT(vzl_config_set(cfg, k->key, in, &err), -EINVAL);
		CHECK_STR(err ? vzl_error_message(err) : NULL, k->message);
		CHECK_INT(err ? (int)vzl_error_step(err) : -1, VZL_STEP_CONFIG_VALUE);
		CHECK_INT(vzl_config_save(cfg, NULL), 0);
		CHECK(unchanged(path, base_text, strlen(base_text)));
	} else {
		write_file(path, in, len);
		snprintf(want, sizeof(want), "%s:%s", path, k->message);
		int r = vzl_config_open_file(NULL, path, &cfg, &err);
		if (k->kind == OPEN) {
			CHECK_INT(r, -EINVAL);
			CHECK_STR(err ? vzl_error_message(err) : NULL, want);
		} else {
			struct validate_host h = { 1ull << 34, 1ull << 34 };
			vzl_report *rep = NULL;
			CHECK_INT(r, 0);
			if (cfg) {
				CHECK_INT(config_validate(cfg, VZL_VALIDATE_FIX, &h, &rep, NULL),
					  1);
				CHECK(vzl_report_count(rep) > 0);
				CHECK_STR(vzl_report_message(rep, 0), want);
			}
			vzl_report_free(rep);
		}
		CHECK(unchanged(path, in, len));
	}
	vzl_error_free(err);
	vzl_config_free(cfg);
	unlink(path);
	free(in);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	CHECK(sizeof(cases) / sizeof(cases[0]) >= 40);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i], i);
	printf("test-malformed: %zu cases\n", sizeof(cases) / sizeof(cases[0]));
	rmdir(dir);
	return test_summary("test-malformed");
}
