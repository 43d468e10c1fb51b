/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vzlite set VEID --PARAM VALUE... [--save] (vzctl-behaviour.md §3.6), the config part.
 *
 * Every option is checked before anything is changed; with --save the values are written to
 * the VE config, each key's line rewritten in place. Disk limits (DISKSPACE, DISKINODES,
 * QUOTATIME, QUOTAUGIDLIMIT) are applied to the VE's quota when it is on. Otherwise there is
 * no running-VE detection yet, so every VE is treated as stopped: without --save, parameters
 * that vzctl applies to a running VE fail as vzctl fails them on a stopped one (exit 31), and
 * the others are not saved, with vzctl's warning.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct set_item {
	const char *option, *key, *value;
};

/*
 * Options that only make sense with --save (vzctl: check_set_mode, the table's
 * VZL_SET_NEEDS_SAVE); their exit codes. 0 when the option is fine without --save.
 */
static int needs_save_code(const struct set_item *it)
{
	if (!(vzl_param_set_policy(it->option) & VZL_SET_NEEDS_SAVE))
		return 0;
	return strcmp(it->key, "NAME") == 0 ? EXIT_VZ_SET_NAME_ERROR
					    : EXIT_VZ_INVALID_PARAMETER_SYNTAX;
}

/* --nameserver and --searchdomain may be repeated: the new list is all of them, in order
 * (vzctl-behaviour.md §2.4: it then replaces the saved list). items[k]'s value joined to
 * those of the same option before it. */
static char *repeated_list(const struct set_item *items, size_t k)
{
	size_t n = 1;
	for (size_t j = 0; j <= k; j++)
		if (strcmp(items[j].option, items[k].option) == 0)
			n += strlen(items[j].value) + 1;
	char *v = malloc(n);
	if (!v)
		return NULL;
	*v = '\0';
	for (size_t j = 0; j <= k; j++)
		if (strcmp(items[j].option, items[k].option) == 0) {
			if (*v)
				strcat(v, " ");
			strcat(v, items[j].value);
		}
	return v;
}

/* --ipadd appends to IP_ADDRESS, --ipdel takes out; --nameserver and --searchdomain
 * collect their repeats; every other option replaces the key's value. */
static int merged_value(struct cli_config *c, struct cli_globals *g, const struct set_item *items,
			size_t k, char **ret)
{
	const struct set_item *it = &items[k];
	vzl_error *err = NULL;
	char *old = NULL;
	if (strcmp(it->option, "nameserver") == 0 || strcmp(it->option, "searchdomain") == 0) {
		*ret = repeated_list(items, k);
		return *ret ? 0 : EXIT_VZ_SYSTEM_ERROR;
	}
	bool del = strcmp(it->option, "ipdel") == 0;
	if (strcmp(it->option, "ipadd") != 0 && strcmp(it->option, "ip") != 0 && !del) {
		*ret = strdup(it->value);
		return *ret ? 0 : EXIT_VZ_SYSTEM_ERROR;
	}
	if (vzl_config_get(c->cfg, it->key, del ? VZL_GET_CANONICAL : 0, &old, NULL, &err) < 0)
		return cli_fail(g, err);
	if (del) {
		int r = vzl_ip_list_remove(c->veid, old, it->value, ret, &err);
		free(old);
		return r < 0 ? cli_fail(g, err) : 0;
	}
	size_t n = (old ? strlen(old) + 1 : 0) + strlen(it->value) + 1;
	char *v = malloc(n);
	if (!v) {
		free(old);
		return EXIT_VZ_SYSTEM_ERROR;
	}
	snprintf(v, n, "%s%s%s", old ? old : "", old && *old ? " " : "", it->value);
	free(old);
	*ret = v;
	return 0;
}

/*
 * Does the VE run? VE 0 (the host) and a host without an OpenVZ kernel (no /dev/vzctl) count
 * as "not running", so set stays the config editor it is there.
 */
static int set_running(struct cli_globals *g, struct cli_config *c, int *running)
{
	vzl_error *err = NULL;
	*running = 0;
	if (!c->is_ve || c->veid == 0)
		return 0;
	int r = vzl_ve_is_running(c->ve, &err);
	if (r < 0 && vzl_error_step(err) == VZL_STEP_KERNEL_OPEN) {
		vzl_error_free(err);
		return 0;
	}
	if (r < 0)
		return cli_fail(g, err);
	*running = r;
	return 0;
}

static int not_running(struct cli_globals *g, const struct cli_config *c, const char *what)
{
	fprintf(stderr, "%s: VE %u is not running; %s applies to a running VE only\n", g->progname,
		c->veid, what);
	return EXIT_VZ_VE_NOT_RUNNING;
}

static int reset_ub_run(struct cli_globals *g, struct cli_config *c)
{
	vzl_error *err = NULL;
	if (vzl_ve_reset_ub(c->ve, c->cfg, &err) < 0)
		return cli_fail(g, err);
	if (!g->dry_run && !g->quiet)
		printf("UB limits of VE %u reset to its config\n", c->veid);
	return 0;
}

/* §3.6 steps 6, 11-13 on a running VE: the library stages, applies and saves. */
static int set_live(struct cli_globals *g, struct cli_config *c, const struct set_item *items,
		    size_t n, bool save, bool ignore, bool restart)
{
	const char **keys = calloc(n + 1, sizeof(*keys));
	char **values = calloc(n + 1, sizeof(*values));
	int r = keys && values ? 0 : EXIT_VZ_SYSTEM_ERROR;
	for (size_t k = 0; r == 0 && k < n; k++) {
		keys[k] = items[k].key;
		r = merged_value(c, g, items, k, &values[k]);
	}
	unsigned result = 0;
	vzl_error *err = NULL;
	if (r == 0 &&
	    vzl_ve_set_live(c->ve, c->cfg, keys, (const char *const *)values, n,
			    (save ? VZL_SET_LIVE_SAVE : 0) | (ignore ? VZL_SET_LIVE_IGNORE : 0) |
				    (restart ? VZL_SET_LIVE_RESTART : 0),
			    &result, &err) < 0)
		r = cli_fail(g, err);
	/* The library has logged each parameter the running VE did not take. */
	bool restarted = restart && (result & VZL_SET_LIVE_NEEDS_RESTART);
	if (r == 0 && !g->quiet && !g->dry_run) {
		if (save)
			printf(restarted ? "Saved parameters for VE %u and restarted it\n"
					 : "Saved parameters for VE %u\n",
			       c->veid);
		else
			fprintf(stderr,
				"%s: warning: settings were not saved to config (use --save) and "
				"will be lost after VE %u restarts\n",
				g->progname, c->veid);
	}
	for (size_t k = 0; values && k < n; k++)
		free(values[k]);
	free(values);
	free(keys);
	return r;
}

/*
 * The NETIF options (--netif_add, --netif_del, --ifname, --mac, ...) edit one value together
 * (vzctl-behaviour.md §5.4): they become one item, NETIF's new text (*netif, to free), in
 * the place of the first of them.
 */
static int netif_items(struct cli_globals *g, struct cli_config *c, struct set_item *items,
		       size_t *n, char **netif)
{
	const char **opts = calloc(*n + 1, sizeof(*opts)), **vals = calloc(*n + 1, sizeof(*vals));
	size_t k = 0, first = *n, out = 0;
	int r = opts && vals ? 0 : EXIT_VZ_SYSTEM_ERROR;
	for (size_t i = 0; r == 0 && i < *n; i++)
		if (strcmp(items[i].key, "NETIF") == 0) {
			first = first < i ? first : i;
			opts[k] = items[i].option;
			vals[k++] = items[i].value;
		}
	vzl_error *err = NULL;
	if (r == 0 && k > 0 &&
	    (vzl_config_edit_netif(c->cfg, c->veid, opts, vals, k, &err) < 0 ||
	     vzl_config_get(c->cfg, "NETIF", 0, netif, NULL, &err) < 0))
		r = cli_fail(g, err);
	for (size_t i = 0; r == 0 && k > 0 && i < *n; i++) {
		if (strcmp(items[i].key, "NETIF") == 0 && i != first) {
			free((char *)items[i].option);
			continue;
		}
		items[out] = items[i];
		if (i == first)
			items[out].value = *netif ? *netif : "";
		out++;
	}
	if (r == 0 && k > 0)
		*n = out;
	free(opts);
	free(vals);
	return r;
}

static int quota_fail(const struct cli_globals *g, vzl_error *err)
{
	int code = cli_quota_exit_code(err, EXIT_VZ_DQ_SET);
	cli_fail(g, err);
	return code;
}

static int run_set(const struct cli_command *cmd, struct cli_globals *g, int argc, char **argv)
{
	const char *veid_arg = NULL;
	bool save = false, reset_ub = false, setmode_ignore = false, setmode_restart = false;
	struct set_item *items = calloc((size_t)argc, sizeof(*items));
	const char **ugid = calloc((size_t)argc, sizeof(*ugid)); /* --ugidlimit entries */
	size_t n = 0, nu = 0;
	int r = 0;

	if (!items || !ugid) {
		free(items);
		free(ugid);
		return EXIT_VZ_SYSTEM_ERROR;
	}
	for (int i = 1; r == 0 && i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			cli_print_command_help(g, cmd, stdout);
			free(items);
			free(ugid);
			return 0;
		}
		if (strcmp(a, "--save") == 0) {
			save = true;
			continue;
		}
		if (strcmp(a, "--reset_ub") == 0) {
			reset_ub = true;
			continue;
		}
		if (strncmp(a, "--setmode", 9) == 0 && (a[9] == '\0' || a[9] == '=')) {
			const char *m = a[9] == '=' ? a + 10 : i + 1 < argc ? argv[++i] : NULL;
			if (m && strcmp(m, "ignore") == 0) {
				setmode_ignore = true;
			} else if (m && strcmp(m, "restart") == 0) {
				setmode_restart = true;
			} else {
				r = cli_usage_error(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_VALUE,
						    "--setmode takes 'restart' or 'ignore'");
				break;
			}
			continue;
		}
		/* One uid's or gid's quota limits: not a parameter of the table (vzctl has none). */
		if (strncmp(a, "--ugidlimit", 11) == 0 && (a[11] == '\0' || a[11] == '=')) {
			const char *v = a[11] == '=' ? a + 12 : i + 1 < argc ? argv[++i] : NULL;
			if (!v)
				r = cli_usage_error(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_VALUE,
						    "option '--ugidlimit' needs a value");
			ugid[nu++] = v;
			continue;
		}
		if (a[0] != '-') {
			if (veid_arg)
				r = cli_usage_error(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_SYNTAX,
						    "invalid extra argument '%s'", a);
			veid_arg = a;
			continue;
		}
		/* --option VALUE, --option=VALUE or -k VALUE. */
		char opt[64];
		const char *value = NULL;
		const char *name = a + (a[1] == '-' ? 2 : 1);
		const char *eq = strchr(name, '=');
		size_t len = eq ? (size_t)(eq - name) : strlen(name);
		/* Unknown options and missing values are 21, as vzctl set (getopt) and create. */
		if (len == 0 || len >= sizeof(opt) || (a[1] != '-' && len != 1)) {
			r = cli_unknown_option(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_VALUE, a);
			break;
		}
		memcpy(opt, name, len);
		opt[len] = '\0';
		if (eq)
			value = eq + 1;
		else if (i + 1 < argc)
			value = argv[++i];
		const char *key = vzl_param_key_for_option(opt);
		/* Checked before the value: --reset_ub takes none. */
		if (vzl_param_set_policy(opt) & VZL_SET_NOT_IMPLEMENTED) {
			r = cli_usage_error(g, cmd->name, EXIT_VZ_SYSTEM_ERROR,
					    "option '--%s' is not implemented in this version yet",
					    opt);
			break;
		}
		if (!key) {
			r = cli_unknown_option(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_VALUE, a);
			break;
		}
		if (!value) {
			r = cli_usage_error(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_VALUE,
					    "option '%s' needs a value", a);
			break;
		}
		items[n++] = (struct set_item){ .option = strdup(opt), .key = key, .value = value };
	}
	if (r == 0 && !veid_arg)
		r = cli_usage_error(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_VALUE,
				    "set needs a VE ID");
	unsigned veid;
	vzl_error *veid_err = NULL;
	/* set acts on a VE only (show and validate also take a file). */
	if (r == 0 && vzl_veid_parse(veid_arg, &veid, &veid_err) < 0)
		r = cli_fail(g, veid_err);
	/* §3.6 option checks: --reset_ub alone; --setmode restart only with --save. */
	if (r == 0 && reset_ub && (n || nu || save || setmode_ignore || setmode_restart))
		r = cli_usage_error(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_SYNTAX,
				    "--reset_ub cannot be combined with other options");
	if (r == 0 && setmode_restart && !save)
		r = cli_usage_error(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_SYNTAX,
				    "--setmode restart can only be used with --save");
	for (size_t k = 0; r == 0 && !save && k < n; k++) {
		int code = needs_save_code(&items[k]);
		if (code)
			r = cli_usage_error(g, cmd->name, code, "--%s can only be used with --save",
					    items[k].option);
	}

	/* As vzctl, set holds the VE's lock; here from before the config is read until it is
	 * written, so a concurrent save of another key is not lost. */
	struct cli_config c = { 0 };
	if (r == 0)
		r = cli_config_open_locked(g, veid_arg, false, &c);
	int running = 0;
	char *netif = NULL;
	if (r == 0)
		r = set_running(g, &c, &running);
	if (r == 0)
		r = netif_items(g, &c, items, &n, &netif);
	for (size_t k = 0; r == 0 && k < nu; k++) {
		vzl_error *err = NULL;
		if (vzl_config_set_ugid_limit(c.cfg, ugid[k], &err) < 0)
			r = cli_fail(g, err);
	}
	if (r == 0 && reset_ub)
		r = running ? reset_ub_run(g, &c) : not_running(g, &c, "--reset_ub");
	else if (r == 0 && running && n)
		r = set_live(g, &c, items, n, save, setmode_ignore, setmode_restart);
	/* Check every value (and stage it in memory) before anything is written. */
	for (size_t k = 0; r == 0 && !running && !reset_ub && k < n; k++) {
		vzl_error *err = NULL;
		char *v = NULL;
		if ((r = merged_value(&c, g, items, k, &v)) == 0 &&
		    vzl_config_set(c.cfg, items[k].key, v, &err) < 0)
			r = cli_fail(g, err);
		free(v);
	}
	/* The disk limits reach a running quota now (vzctl: vzquota setlimit, exit 62); a quota
	 * is on for a mounted VE too, whether it runs or not. */
	bool quota_live = nu > 0;
	for (size_t k = 0; r == 0 && !reset_ub && k < n; k++)
		quota_live |= (vzl_param_set_policy(items[k].option) & VZL_SET_QUOTA) != 0;
	if (r == 0 && quota_live) {
		vzl_error *err = NULL;
		int a = vzl_ve_quota_apply(c.ve, c.cfg, &err);
		if (a < 0)
			r = quota_fail(g, err);
		quota_live = a > 0;
	}
	if (r == 0 && (reset_ub || (running && n))) {
		/* done above (set_live saved, with --save) */
	} else if (r == 0 && save) {
		vzl_error *err = NULL;
		bool existed = vzl_config_exists(c.cfg);
		int w = vzl_config_save(c.cfg, &err);
		if (w < 0)
			r = cli_fail(g, err);
		else if (!g->quiet && !existed && w)
			fprintf(stderr, "%s: warning: VE %u had no config; created %s\n",
				g->progname, c.veid, vzl_config_path(c.cfg));
		if (r == 0 && !g->quiet)
			printf(w ? "Saved parameters for VE %u\n"
				 : "No changes in VE %u configuration, not saving\n",
			       c.veid);
	} else if (r == 0) {
		for (size_t k = 0; r == 0 && k < n; k++)
			if ((vzl_param_set_policy(items[k].option) & VZL_SET_APPLIED_LIVE) &&
			    !(quota_live &&
			      (vzl_param_set_policy(items[k].option) & VZL_SET_QUOTA))) {
				fprintf(stderr,
					"%s: VE %u is not running, so %s cannot be applied now; add "
					"--save to store it in the config\n",
					g->progname, c.veid, items[k].key);
				r = EXIT_VZ_VE_NOT_RUNNING;
			}
		if (r == 0 && (n || nu) && !g->quiet)
			fprintf(stderr,
				"%s: warning: settings were not saved to config (use "
				"--save)\n",
				g->progname);
	}
	cli_config_close(&c);
	free(netif);
	for (size_t k = 0; k < n; k++)
		free((char *)items[k].option);
	free(items);
	free(ugid);
	return r;
}

const struct cli_command cmd_set = {
	.name = "set",
	.summary = "Set VE parameters",
	.usage =
		"set VEID --PARAM VALUE... [--save] [--setmode ignore|restart]\n"
		"   or: vzlite set VEID --reset_ub\n"
		"   or: vzlite set VEID --ugidlimit u|g:ID:BSOFT:BHARD:ISOFT:IHARD... [--save]\n"
		"\n"
		"Options are vzctl's (--kmemsize, -k, --cpuunits, --onboot, --ipadd, ...; 'vzlite\n"
		"help params' lists them). Every value is checked first; with --save they are\n"
		"written to the VE config, each key's line rewritten in place (a missing config\n"
		"is created). On a running VE each value the kernel takes live (beancounters,\n"
		"CPU, devices, meminfo, I/O) is applied first; a failed call puts back what was\n"
		"applied and writes nothing. A value that needs a restart is only saved, with a\n"
		"warning; --setmode ignore refuses it instead; --setmode restart (with --save)\n"
		"then applies nothing live, saves, and restarts the VE. Disk limits (--diskspace,\n"
		"--diskinodes, --quotatime, --quotaugidlimit) go to the quota when it is on.\n"
		"--reset_ub sends every beancounter of the config to the running VE again.\n"
		"--ugidlimit sets one user's (u) or group's (g) second-level quota limits, space\n"
		"in 1 KiB blocks and inodes, kept in VZLITE_UGID_QUOTA; all 0 removes them.",
	.run = run_set,
};
