/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vzlite validate [--fix [--save]] [--vswap yes|no] VEID|FILE: vzcfgvalidate's checks
 * (vzctl-behaviour.md §6.1) plus every value's syntax and the kernel's ranges. Exit codes are
 * vzcfgvalidate's (§7.2): 0 valid, 2 invalid, 1 anything else (missing file, bad usage).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

enum { VALIDATE_OK = 0, VALIDATE_ERROR = 1, VALIDATE_INVALID = 2 };

static void print_json(const vzl_report *rep, const vzl_config *cfg, int bad)
{
	struct json_writer w;
	json_init(&w, stdout);
	json_begin_object(&w);
	json_key(&w, "config");
	json_string(&w, vzl_config_path(cfg));
	json_key(&w, "mode");
	json_string(&w, vzl_report_vswap(rep) ? "vswap" : "classic");
	json_key(&w, "valid");
	json_bool(&w, !bad);
	json_key(&w, "problems");
	json_begin_array_rows(&w, 2, 0);
	for (size_t i = 0; i < vzl_report_count(rep); i++) {
		json_begin_object(&w);
		json_key(&w, "severity");
		json_string(&w, vzl_severity_name(vzl_report_severity(rep, i)));
		json_key(&w, "param");
		json_string(&w, vzl_report_param(rep, i));
		json_key(&w, "message");
		json_string(&w, vzl_report_message(rep, i));
		json_key(&w, "fix");
		json_string(&w, vzl_report_fix(rep, i));
		json_end_object(&w);
	}
	json_end_array(&w);
	json_end_object(&w);
}

static void print_text(const vzl_report *rep, bool fix)
{
	for (size_t i = 0; i < vzl_report_count(rep); i++) {
		const char *f = vzl_report_fix(rep, i);
		printf("%s: %s\n", vzl_severity_name(vzl_report_severity(rep, i)),
		       vzl_report_message(rep, i));
		if (f)
			printf("  %s: %s\n", fix ? "fixed" : "fix", f);
	}
}

static int run_validate(const struct cli_command *cmd, struct cli_globals *g, int argc, char **argv)
{
	const char *target = NULL;
	bool fix = false, save = false;
	unsigned flags = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			cli_print_command_help(g, cmd, stdout);
			return 0;
		} else if (strcmp(a, "--fix") == 0 || strcmp(a, "-r") == 0) {
			fix = true;
		} else if (strcmp(a, "--save") == 0) {
			save = true;
		} else if (strcmp(a, "--json") == 0) {
			g->json = true;
		} else if (strcmp(a, "--vswap") == 0 || strcmp(a, "-v") == 0) {
			const char *v = i + 1 < argc ? argv[++i] : "";
			if (strcmp(v, "yes") == 0)
				flags |= VZL_VALIDATE_VSWAP;
			else if (strcmp(v, "no") == 0)
				flags |= VZL_VALIDATE_CLASSIC;
			else
				return cli_usage_error(g, cmd->name, VALIDATE_ERROR,
						       "--vswap takes yes or no, not '%s'", v);
		} else if (a[0] == '-') {
			return cli_unknown_option(g, cmd->name, VALIDATE_ERROR, a);
		} else if (target) {
			return cli_usage_error(g, cmd->name, VALIDATE_ERROR,
					       "invalid extra argument '%s'", a);
		} else {
			target = a;
		}
	}
	if (!target)
		return cli_usage_error(g, cmd->name, VALIDATE_ERROR,
				       "validate needs a VE ID or a config file");
	if (save && !fix)
		return cli_usage_error(g, cmd->name, VALIDATE_ERROR,
				       "--save writes the values --fix proposes; give both");

	/* Only a save needs the VE's lock, held from the read to the write. */
	struct cli_config c;
	if ((save ? cli_config_open_locked(g, target, true, &c)
		  : cli_config_open(g, target, true, &c)) != 0)
		return VALIDATE_ERROR;
	if (c.is_ve && !vzl_config_exists(c.cfg)) {
		fprintf(stderr, "%s: VE %u has no config (%s)\n", g->progname, c.veid,
			vzl_config_path(c.cfg));
		cli_config_close(&c);
		return VALIDATE_ERROR;
	}

	vzl_error *err = NULL;
	vzl_report *rep = NULL;
	int bad = vzl_config_validate(c.cfg, flags | (fix ? VZL_VALIDATE_FIX : 0), &rep, &err);
	int ret = bad < 0 ? VALIDATE_ERROR : bad ? VALIDATE_INVALID : VALIDATE_OK;
	if (bad < 0) {
		fprintf(stderr, "%s: %s\n", g->progname, vzl_error_message(err));
		vzl_error_free(err);
	} else if (g->json) {
		print_json(rep, c.cfg, bad);
	} else {
		print_text(rep, fix);
		if (bad)
			printf("Validation failed: %s is not a valid %s config\n",
			       vzl_config_path(c.cfg), vzl_report_vswap(rep) ? "VSwap" : "classic");
		else
			printf("Validation completed: success\n");
	}
	if (ret == VALIDATE_OK && save) {
		int w = vzl_config_save(c.cfg, &err);
		if (w < 0) {
			fprintf(stderr, "%s: %s\n", g->progname, vzl_error_message(err));
			vzl_error_free(err);
			ret = VALIDATE_ERROR;
		} else if (w && !g->quiet) {
			fprintf(stderr, "Saved the fixed values to %s\n", vzl_config_path(c.cfg));
		}
	} else if (fix && !save && vzl_report_count(rep) && !g->quiet && !g->json) {
		fprintf(stderr, "Nothing was written; add --save to store the fixed values.\n");
	}
	vzl_report_free(rep);
	cli_config_close(&c);
	return ret;
}

const struct cli_command cmd_validate = {
	.name = "validate",
	.summary = "Validate a config",
	.usage =
		"validate VEID|FILE [--vswap yes|no] [--fix [--save]] [--json]\n"
		"\n"
		"Checks a VE config or profile as vzcfgvalidate does (classic UBC consistency\n"
		"rules, or the VSwap rules for a VSwap config), plus the syntax and range of every\n"
		"value. Each problem is printed with the values involved and the line that would\n"
		"fix it. --fix applies those fixes in memory to decide the verdict; only --save\n"
		"writes them. Exit: 0 valid, 2 invalid, 1 other errors (as vzcfgvalidate).",
	.run = run_validate,
};
