/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Output helpers: the check that refuses a config value JSON cannot carry (README: "Where
 * vzlite deliberately differs") and the buffer that prints a command's output only whole.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int json_value_ok(const struct cli_globals *g, const struct cli_config *c, const char *key,
		  const char *value)
{
	long bad = value ? json_bad_byte(value) : -1;
	if (bad < 0)
		return 0;
	const char *option = NULL;
	for (size_t i = 0; i < vzl_param_count(); i++)
		if (strcmp(vzl_param_name(i), key) == 0)
			option = vzl_param_option(i);
	char ve[32] = "";
	if (c->is_ve)
		snprintf(ve, sizeof(ve), "VE %u: ", c->veid);
	fprintf(stderr,
		"%s: %s%s: byte 0x%02x at offset %ld of the value is not UTF-8, which JSON "
		"requires (a config written by an old vzctl may be in Latin-1); ",
		g->progname, ve, key, (unsigned char)value[bad], bad);
	if (c->is_ve && option)
		fprintf(stderr, "set it again in UTF-8 with '%s set %u --%s VALUE --save'\n",
			g->progname, c->veid, option);
	else
		fprintf(stderr, "correct it in %s (UTF-8 text only)\n",
			c->cfg ? vzl_config_path(c->cfg) : "the config");
	return EXIT_VZ_INVALID_PARAMETER_VALUE;
}

int out_buffer_open(const struct cli_globals *g, struct out_buffer *o)
{
	*o = (struct out_buffer){ 0 };
	o->f = open_memstream(&o->buf, &o->len);
	if (o->f)
		return 0;
	fprintf(stderr, "%s: out of memory\n", g->progname);
	return EXIT_VZ_SYSTEM_ERROR;
}

int out_buffer_finish(const struct cli_globals *g, struct out_buffer *o, int r)
{
	if (fclose(o->f) != 0 && r == 0) {
		fprintf(stderr, "%s: out of memory\n", g->progname);
		r = EXIT_VZ_SYSTEM_ERROR;
	}
	if (r == 0)
		fputs(o->buf, stdout);
	free(o->buf);
	*o = (struct out_buffer){ 0 };
	return r;
}
