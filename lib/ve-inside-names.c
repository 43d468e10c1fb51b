/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The VE's names (vzctl-behaviour.md §5.6), as vzctl's SET_HOSTNAME and SET_DNS scripts
 * leave them:
 *  - the host name: sethostname in the VE's UTS namespace (Debian family: the short name,
 *    up to the first dot; Red Hat family and others: HOSTNAME as given); written to
 *    /etc/hostname (short name; Red Hat family only when that file exists) or else as
 *    HOSTNAME="<fqdn>" in /etc/sysconfig/network (Red Hat family); /etc/hosts rewritten by
 *    vzctl's change_hostname rules;
 *  - /etc/resolv.conf: the search line replaced (or appended), every nameserver line
 *    replaced by the new ones, mode 0644. vzctl feeds `resolvconf -a venet0` instead when
 *    the VE has resolvconf; vzlite executes nothing in the VE and always writes the file.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ve-inside.h"

#define MARKER "# Auto-generated hostname. Please do not remove this comment."
#define LOCAL  "127.0.0.1 localhost.localdomain localhost"

static void put_file(struct inside_out *out, const char *path, char *text, mode_t mode)
{
	int r = text ? inside_write(path, text, mode) : -ENOMEM;
	if (r < 0)
		inside_warn(out, "cannot write %s: %s", path, strerror(-r));
	free(text);
}

/* The whitespace-separated field `n` (0-based) of `line` (len bytes) equals `word`. */
static bool field_is(const char *line, size_t len, int n, const char *word)
{
	size_t wl = strlen(word);
	const char *p = line, *end = line + len;
	for (int i = 0;; i++) {
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p == end)
			return false;
		const char *s = p;
		while (p < end && *p != ' ' && *p != '\t')
			p++;
		if (i == n)
			return (size_t)(p - s) == wl && !strncmp(s, word, wl);
	}
}

/* Any name field (after the address) of the line is `word`. */
static bool names_has(const char *line, size_t len, const char *word)
{
	for (int i = 1; i < 64; i++)
		if (field_is(line, len, i, word))
			return true;
	return false;
}

/* vzctl's change_hostname on /etc/hosts (§5.6 "Common scripts"). */
static char *hosts_text(const char *old, const char *fqdn, const char *shortname, const char *ip)
{
	bool local = !strcmp(ip, "127.0.0.1");
	bool is_localhost = !strcmp(fqdn, "localhost") || !strcmp(fqdn, "localhost.localdomain");
	char *text = NULL, *v6 = NULL;
	size_t size = 0;
	bool skip_next = false, local_written = false;
	FILE *f = open_memstream(&text, &size);
	if (!f)
		return NULL;
	for (const char *p = old ? old : ""; *p;) {
		size_t len = strcspn(p, "\n");
		const char *line = p;
		p += len + (p[len] == '\n');
		if (is_localhost) {
			fprintf(f, "%.*s\n", (int)len, line);
			local_written |= len == strlen(LOCAL) && !strncmp(line, LOCAL, len);
			continue;
		}
		if (skip_next) { /* the previous auto-generated entry */
			skip_next = false;
			continue;
		}
		if (len == strlen(MARKER) && !strncmp(line, MARKER, len)) {
			skip_next = true;
			continue;
		}
		if (field_is(line, len, 0, "::1")) {
			if (!v6)
				v6 = strndup(line, len);
			continue;
		}
		if (field_is(line, len, 0, "127.0.0.1")) {
			if (!local && !local_written)
				fprintf(f, "%s\n", LOCAL); /* rewritten, in its place */
			local_written = true;
			continue;
		}
		if ((!local && field_is(line, len, 0, ip)) || names_has(line, len, fqdn) ||
		    names_has(line, len, shortname))
			continue;
		fprintf(f, "%.*s\n", (int)len, line);
	}
	if (is_localhost) {
		if (!local_written)
			fprintf(f, "%s\n", LOCAL);
	} else {
		if (!local && !local_written)
			fprintf(f, "%s\n", LOCAL);
		fprintf(f, "%s\n%s %s", MARKER, ip, fqdn);
		if (strcmp(fqdn, shortname))
			fprintf(f, " %s", shortname);
		fprintf(f, "%s\n%s\n", local ? " localhost.localdomain localhost" : "",
			v6 ? v6 : "::1 localhost");
	}
	free(v6);
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

void inside_names(const struct inside_job *job, struct inside_out *out)
{
	const char *fqdn = job->hostname;
	if (!fqdn)
		return;
	char shortname[256];
	snprintf(shortname, sizeof(shortname), "%.*s", (int)strcspn(fqdn, "."), fqdn);
	const char *ip = job->n_addrs ? job->addrs[0].text : "127.0.0.1";
	bool deb = job->family == INSIDE_DEBIAN;

	char *old = NULL;
	int r = inside_read("/etc/hosts", &old);
	if (r < 0)
		inside_warn(out, "cannot read /etc/hosts: %s; not rewritten", strerror(-r));
	else
		put_file(out, "/etc/hosts", hosts_text(old, fqdn, shortname, ip), 0);
	free(old);

	if (deb || (job->family == INSIDE_REDHAT && inside_exists("/etc/hostname"))) {
		char *t = NULL;
		put_file(out, "/etc/hostname", asprintf(&t, "%s\n", shortname) < 0 ? NULL : t, 0);
	} else if (job->family == INSIDE_REDHAT) {
		char *text = NULL;
		r = inside_read("/etc/sysconfig/network", &text);
		if (r < 0)
			inside_warn(out, "cannot read /etc/sysconfig/network: %s", strerror(-r));
		else
			put_file(out, "/etc/sysconfig/network",
				 inside_put_param(text, "HOSTNAME", fqdn), 0);
		free(text);
	}
	const char *name = deb ? shortname : fqdn;
	if (sethostname(name, strlen(name)) < 0)
		inside_warn(out, "sethostname(\"%s\") failed: %m", name);
}

void inside_dns(const struct inside_job *job, struct inside_out *out)
{
	const char *path = "/etc/resolv.conf";
	char *old = NULL, *text = NULL;
	size_t size = 0;
	bool search_done = false;
	int r = inside_read(path, &old);
	if (r < 0) {
		inside_warn(out, "cannot read %s: %s; not rewritten", path, strerror(-r));
		return;
	}
	FILE *f = open_memstream(&text, &size);
	if (!f) {
		free(old);
		inside_warn(out, "cannot write %s: out of memory", path);
		return;
	}
	for (const char *p = old ? old : ""; *p;) {
		size_t len = strcspn(p, "\n");
		const char *line = p;
		p += len + (p[len] == '\n');
		if (job->nameservers_set && field_is(line, len, 0, "nameserver"))
			continue;
		if (job->search && field_is(line, len, 0, "search")) {
			if (!search_done)
				fprintf(f, "search %s\n", job->search);
			search_done = true;
			continue;
		}
		fprintf(f, "%.*s\n", (int)len, line);
	}
	free(old);
	if (job->search && !search_done)
		fprintf(f, "search %s\n", job->search);
	for (size_t i = 0; job->nameservers_set && i < job->n_nameservers; i++)
		fprintf(f, "nameserver %s\n", job->nameservers[i]);
	if (fclose(f) != 0) {
		free(text);
		text = NULL;
	}
	put_file(out, path, text, 0644);
}
