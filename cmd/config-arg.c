/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The VEID|FILE argument of show, set and validate: open the config it names. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static int open_config(struct cli_globals *g, const char *arg, bool global_optional, bool locked,
		       struct cli_config *c)
{
	vzl_error *err = NULL;
	int r;

	memset(c, 0, sizeof(*c));
	c->is_ve = arg[0] && strspn(arg, "0123456789") == strlen(arg);
	if (c->is_ve) {
		if (vzl_veid_parse(arg, &c->veid, &err) < 0)
			return cli_fail(g, err);
		if ((r = cli_open_ctx(g, &c->ctx)) != 0)
			return r;
		if (vzl_ve_open(c->ctx, c->veid, &c->ve, &err) < 0 ||
		    (locked && !g->dry_run && cli_cleanup_ve(g, c->ve) < 0) ||
		    (locked ? vzl_config_open_ve_locked(c->ve, &c->cfg, &err)
			    : vzl_config_open_ve(c->ve, &c->cfg, &err)) < 0) {
			cli_config_close(c);
			return cli_fail(g, err);
		}
		return 0;
	}
	/* vzcfgvalidate only warns when vz.conf is missing: a profile can be checked alone. */
	vzl_ctx *probe = NULL;
	if (vzl_ctx_new(&probe, g->global_config, &err) < 0) {
		if (!global_optional)
			return cli_fail(g, err);
		if (!g->quiet)
			fprintf(stderr, "%s: warning: %s; continuing without the global config\n",
				g->progname, vzl_error_message(err));
		vzl_error_free(err);
		err = NULL;
	} else {
		/* Reopen through the common helper so --verbose and the log sink apply. */
		vzl_ctx_free(probe);
		if ((r = cli_open_ctx(g, &c->ctx)) != 0)
			return r;
	}
	if (vzl_config_open_file(c->ctx, arg, &c->cfg, &err) < 0) {
		cli_config_close(c);
		return cli_fail(g, err);
	}
	return 0;
}

int cli_config_open(struct cli_globals *g, const char *arg, bool global_optional,
		    struct cli_config *c)
{
	return open_config(g, arg, global_optional, false, c);
}

int cli_config_open_locked(struct cli_globals *g, const char *arg, bool global_optional,
			   struct cli_config *c)
{
	return open_config(g, arg, global_optional, true, c);
}

void cli_config_close(struct cli_config *c)
{
	vzl_config_free(c->cfg);
	vzl_ve_free(c->ve);
	vzl_ctx_free(c->ctx);
	memset(c, 0, sizeof(*c));
}

int cli_config_require(const struct cli_globals *g, struct cli_config *c)
{
	if (!c->is_ve || vzl_config_exists(c->cfg))
		return 0;
	fprintf(stderr, "%s: VE %u has no config (%s)\n", g->progname, c->veid,
		vzl_config_path(c->cfg));
	cli_config_close(c);
	return EXIT_VZ_NOVECONFIG;
}
