/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The one rule for a host name and the one rule for a template or profile name. Every way a
 * value gets into a config goes through them (value.c for set, config files and both XML
 * readers; create-opts.c for create's options), so they accept and refuse alike.
 */
#ifndef VZL_NAME_RULES_H
#define VZL_NAME_RULES_H

#define HOSTNAME_MAX       253 /* bytes, dots included */
#define HOSTNAME_LABEL_MAX 63

/*
 * NULL when `s` can be a host name, else why not, as a phrase that follows the quoted value
 * in a message ("is empty; ..."). Labels of letters, digits, '-' and '_' (vzctl's users have
 * names like web_01), not starting or ending with '-', separated by single dots.
 */
const char *hostname_problem(const char *s);

/*
 * NULL when `s` can name a template or a profile, else why not (as above). The name becomes
 * one component of a path ($TEMPLATE/cache/NAME.tar.gz, ve-NAME.conf-sample): not empty, no
 * blank or '/', not starting with '.'.
 */
const char *template_name_problem(const char *s);

#endif
