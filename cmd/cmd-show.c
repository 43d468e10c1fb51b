/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vzlite show VEID|FILE [PARAM...]: the effective parameters of a VE config or profile, the
 * file's values layered over vz.conf as vzctl does. Text output is config lines that a shell
 * can source, each value not from the file itself marked with where it came from.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char *source_name(enum vzl_source s)
{
	switch (s) {
	case VZL_SOURCE_DEFAULT:
		return "default";
	case VZL_SOURCE_GLOBAL:
		return "vz.conf";
	case VZL_SOURCE_FILE:
		return "file";
	default:
		return "unset";
	}
}

/* A value in double quotes, escaped as vzlite writes configs. */
static void print_quoted(FILE *f, const char *v)
{
	fputc('"', f);
	for (; *v; v++) {
		if (strchr("\\\"`$", *v))
			fputc('\\', f);
		fputc(*v, f);
	}
	fputc('"', f);
}

static int show_one(FILE *out, const struct cli_config *c, struct cli_globals *g, const char *key,
		    int with_default, struct json_writer *jw)
{
	vzl_error *err = NULL;
	char *v = NULL;
	enum vzl_source src;
	if (vzl_config_get(c->cfg, key, with_default, &v, &src, &err) < 0)
		return cli_fail(g, err);
	int r = g->json ? json_value_ok(g, c, key, v) : 0;
	if (r) {
		free(v);
		return r;
	}
	if (g->json) {
		json_key(jw, key);
		json_begin_object(jw);
		json_key(jw, "value");
		json_string(jw, v);
		json_key(jw, "source");
		json_string(jw, source_name(src));
		json_end_object(jw);
	} else if (!v) {
		fprintf(out, "# %s is not set\n", key);
	} else {
		fprintf(out, "%s=", key);
		print_quoted(out, v);
		if (src != VZL_SOURCE_FILE)
			fprintf(out, "  # %s", source_name(src));
		fputc('\n', out);
	}
	free(v);
	return 0;
}

static int run_show(const struct cli_command *cmd, struct cli_globals *g, int argc, char **argv)
{
	const char *target = NULL;
	int first_param = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cli_print_command_help(g, cmd, stdout);
			return 0;
		}
		if (strcmp(argv[i], "--json") == 0) {
			g->json = true;
		} else if (argv[i][0] == '-') {
			return cli_unknown_option(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_SYNTAX,
						  argv[i]);
		} else if (!target) {
			target = argv[i];
			first_param = i + 1;
		}
	}
	if (!target)
		return cli_usage_error(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_SYNTAX,
				       "show needs a VE ID or a config file");

	struct cli_config c;
	int r = cli_config_open(g, target, true, &c);
	if (r)
		return r;
	if ((r = cli_config_require(g, &c)) != 0)
		return r;

	/* Printed only when every value could be: never half a JSON document. */
	struct out_buffer ob;
	if ((r = out_buffer_open(g, &ob)) != 0) {
		cli_config_close(&c);
		return r;
	}
	FILE *out = ob.f;
	struct json_writer jw;
	json_init(&jw, out);
	const char *uuid = vzl_config_uuid(c.cfg);
	if (g->json) {
		json_begin_object(&jw);
		json_key(&jw, "config");
		json_string(&jw, vzl_config_path(c.cfg));
		json_key(&jw, "uuid");
		json_string(&jw, uuid);
		json_key(&jw, "parameters");
		json_begin_object_rows(&jw, 4, 2);
	}
	int explicit = 0;
	for (int i = first_param; r == 0 && i < argc; i++) {
		if (argv[i][0] == '-')
			continue;
		explicit = 1;
		r = show_one(out, &c, g, argv[i], 1, &jw);
	}
	if (r == 0 && !explicit) {
		vzl_error *err = NULL;
		char **keys = NULL;
		int n = vzl_config_keys(c.cfg, &keys, &err);
		if (n < 0)
			r = cli_fail(g, err);
		for (int i = 0; i < n; i++) {
			if (r == 0)
				r = show_one(out, &c, g, keys[i], 0, &jw);
			free(keys[i]);
		}
		free(keys);
		if (r == 0 && !g->json && uuid)
			fprintf(out, "#UUID: %s\n", uuid);
	}
	if (g->json) {
		json_end_object(&jw);
		json_end_object(&jw);
	}
	r = out_buffer_finish(g, &ob, r);
	cli_config_close(&c);
	return r;
}

const struct cli_command cmd_show = {
	.name = "show",
	.summary = "Show the parameters of a VE config or profile",
	.usage =
		"show VEID|FILE [PARAM...] [--json]\n"
		"\n"
		"Prints the effective value of every parameter set in the config or in vz.conf,\n"
		"or of the PARAMs named (their default when set nowhere), as KEY=\"value\" lines;\n"
		"values not from the file itself are marked '# vz.conf' or '# default'.\n"
		"--json prints {\"config\", \"uuid\", \"parameters\": {KEY: {\"value\", \"source\"}}};\n"
		"it refuses a value that is not UTF-8 (exit 21), naming the fix.",
	.run = run_show,
};
