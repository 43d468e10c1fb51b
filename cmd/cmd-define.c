/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vzlite define FILE.xml: create or re-define a VE from domain XML (docs/xml.md). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* Read at most `limit` + 1 bytes: the library refuses a larger document before parsing. */
static int read_file(const char *path, size_t limit, char **ret, size_t *ret_len)
{
	int fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	size_t cap = limit + 1, len = 0;
	char *buf = malloc(cap);
	if (!buf) {
		if (fd)
			close(fd);
		return -ENOMEM;
	}
	for (;;) {
		ssize_t n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			free(buf);
			if (fd)
				close(fd);
			return -e;
		}
		len += (size_t)n;
		if (n == 0 || len == cap)
			break;
	}
	if (fd)
		close(fd);
	*ret = buf;
	*ret_len = len;
	return 0;
}

static int run_define(const struct cli_command *cmd, struct cli_globals *g, int argc, char **argv)
{
	const char *file = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cli_print_command_help(g, cmd, stdout);
			return 0;
		} else if (strcmp(argv[i], "--dry-run") == 0) {
			g->dry_run = true;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return cli_unknown_option(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_SYNTAX,
						  argv[i]);
		} else if (!file) {
			file = argv[i];
		} else {
			return cli_usage_error(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_SYNTAX,
					       "invalid extra argument '%s'", argv[i]);
		}
	}
	if (!file)
		return cli_usage_error(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_SYNTAX,
				       "define needs an XML file ('-' for standard input)");
	char *xml = NULL;
	size_t len = 0;
	/* 1 MiB is the library's limit; one byte more is enough to be refused by it. */
	int r = read_file(file, 1024 * 1024, &xml, &len);
	if (r < 0) {
		fprintf(stderr, "%s: cannot read %s: %s\n", g->progname, file, strerror(-r));
		return EXIT_VZ_INVALID_PARAMETER_VALUE;
	}
	vzl_ctx *ctx = NULL;
	int ret = cli_open_ctx(g, &ctx);
	if (ret) {
		free(xml);
		return ret;
	}
	vzl_error *err = NULL;
	unsigned veid = 0;
	char *config = NULL;
	if (vzl_domain_define_xml(ctx, xml, len, 0, &veid, g->dry_run ? &config : NULL, &err) < 0)
		ret = cli_fail(g, err);
	else if (g->dry_run)
		fputs(config, stdout);
	else if (!g->quiet)
		fprintf(stderr, "VE %u defined\n", veid);
	free(config);
	free(xml);
	vzl_ctx_free(ctx);
	return ret;
}

const struct cli_command cmd_define = {
	.name = "define",
	.summary = "Define a VE from domain XML",
	.usage = "define FILE.xml [--dry-run]\n"
		 "\n"
		 "Reads the seed proposal's format or libvirt's OpenVZ format with vzlite's\n"
		 "extension (docs/xml.md); FILE may be '-' for standard input. A new VE gets\n"
		 "its profile's values, then the document's, a #UUID: line and a private area\n"
		 "from its template (unless one exists); an existing VE's config is rewritten.\n"
		 "Nothing is written when the document or a value is refused. At most 1 MiB,\n"
		 "UTF-8, no DOCTYPE. Unknown elements are errors. --dry-run prints the config\n"
		 "that would be written and the plan, and changes nothing.",
	.run = run_define,
};
