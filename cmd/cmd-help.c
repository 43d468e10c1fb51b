/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vzlite help [params|COMMAND]: the parameter table is printed from the library's table. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void print_params_text(FILE *f)
{
	fprintf(f, "%-16s %-14s %-8s %-20s %-22s %s\n", "PARAMETER", "TYPE", "UNIT", "DEFAULT",
		"CHANGES", "KERNEL CALL");
	for (size_t i = 0; i < vzl_param_count(); i++) {
		const char *def = vzl_param_default(i);
		fprintf(f, "%-16s %-14s %-8s %-20s %-22s %s\n", vzl_param_name(i),
			vzl_param_type(i), vzl_param_unit(i)[0] ? vzl_param_unit(i) : "-",
			def ? def : "-", vzl_param_live(i), vzl_param_applier(i));
		fprintf(f, "%16s %s\n", "", vzl_param_help(i));
	}
}

static void print_params_json(FILE *f)
{
	struct json_writer w;
	json_init(&w, f);
	json_begin_array_rows(&w, 1, 0);
	for (size_t i = 0; i < vzl_param_count(); i++) {
		const struct {
			const char *key, *value;
		} fields[] = {
			{ "name", vzl_param_name(i) },           { "option", vzl_param_option(i) },
			{ "type", vzl_param_type(i) },           { "unit", vzl_param_unit(i) },
			{ "default", vzl_param_default(i) },     { "changes", vzl_param_live(i) },
			{ "kernel_call", vzl_param_applier(i) }, { "help", vzl_param_help(i) },
		};
		json_begin_object(&w);
		for (size_t k = 0; k < sizeof(fields) / sizeof(fields[0]); k++) {
			json_key(&w, fields[k].key);
			json_string(&w, fields[k].value);
		}
		json_end_object(&w);
	}
	json_end_array(&w);
}

static int run_help(const struct cli_command *cmd, struct cli_globals *g, int argc, char **argv)
{
	bool json = g->json;
	const char *topic = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = true;
		else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			topic = "help";
		else if (!topic)
			topic = argv[i];
		else
			return cli_usage_error(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_SYNTAX,
					       "invalid extra argument '%s'", argv[i]);
	}
	if (!topic || strcmp(topic, "help") == 0) {
		cli_print_command_help(g, cmd, stdout);
		return 0;
	}
	if (strcmp(topic, "params") == 0) {
		if (json)
			print_params_json(stdout);
		else
			print_params_text(stdout);
		return 0;
	}
	return cli_usage_error(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_SYNTAX,
			       "no help topic '%s'; topics are 'params' and the command names "
			       "(use 'vzlite COMMAND --help')",
			       topic);
}

const struct cli_command cmd_help = {
	.name = "help",
	.summary = "Describe the VE parameters ('help params')",
	.usage =
		"help params [--json]\n"
		"\n"
		"  params   every VE parameter vzctl knows: type, unit, default, whether a change\n"
		"           reaches a running VE, and the kernel call that applies it",
	.run = run_help,
};
