/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The addresses in the distribution's own network config, so that a network restart inside
 * the VE keeps them, as vzctl's ADD_IP scripts write them (vzctl-behaviour.md §5.6):
 *  - Debian family: /etc/network/interfaces regenerated (a header, interfaces.head,
 *    interfaces.template, a lo stanza unless one is there, the venet0 stanza, an inet6
 *    stanza with IPv6, interfaces.tail, then a venet0:N stanza per IPv4 address);
 *  - Red Hat family: ifcfg-venet0 and one ifcfg-venet0:N per IPv4 address (the old ones
 *    removed first), IPv6 addresses in IPV6ADDR_SECONDARIES; NETWORKING, GATEWAYDEV (and the
 *    IPv6 keys) in /etc/sysconfig/network, GATEWAY removed.
 * Both create /etc/hosts when it is missing. vzlite regenerates the whole set from the
 * address list each time (also for a live change), which is the state vzctl's scripts reach
 * by adding and removing stanzas. Not done: vzctl's patch of /sbin/ifup and the edit of
 * upstart's networking.conf (programs of the VE, not its network config).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ve-inside.h"

#define INTERFACES "/etc/network/interfaces"
#define NETWORK    "/etc/sysconfig/network"
#define SCRIPTS    "/etc/sysconfig/network-scripts"

static void put_file(struct inside_out *out, const char *path, char *text, mode_t mode)
{
	int r = text ? inside_write(path, text, mode) : -ENOMEM;
	if (r < 0)
		inside_warn(out, "cannot write %s: %s", path, strerror(-r));
	free(text);
}

static void hosts_if_missing(const struct inside_job *job, struct inside_out *out)
{
	if (inside_exists("/etc/hosts"))
		return;
	put_file(out, "/etc/hosts",
		 strdup(job->ipv6 ? "127.0.0.1 localhost.localdomain localhost\n::1 localhost\n"
				  : "127.0.0.1 localhost.localdomain localhost\n"),
		 0644);
}

/* An included piece (interfaces.head ...): its text, or "" */
static void include(FILE *f, const char *path)
{
	char *text = NULL;
	if (inside_read(path, &text) == 0 && text) {
		fputs(text, f);
		if (text[0] && text[strlen(text) - 1] != '\n')
			fputc('\n', f);
	}
	free(text);
}

/* Whether `text` has the word "lo" (vzctl adds its lo stanza only then). */
static bool has_lo(const char *text)
{
	for (const char *p = text; (p = strstr(p, "lo")); p += 2) {
		bool start = p == text || strchr(" \t\n", p[-1]);
		if (start && (!p[2] || strchr(" \t\n", p[2])))
			return true;
	}
	return false;
}

static void debian(const struct inside_job *job, struct inside_out *out)
{
	char *old = NULL, *text = NULL;
	size_t size = 0, v4 = 0;
	bool v6 = false;
	inside_read(INTERFACES, &old);
	bool mentions = old && strstr(old, "venet0");
	free(old);
	if (!job->n_addrs && !mentions)
		return;
	FILE *f = open_memstream(&text, &size);
	if (!f) {
		inside_warn(out, "cannot write %s: out of memory", INTERFACES);
		return;
	}
	fputs("# This configuration file is auto-generated (by vzlite, as vzctl's distribution\n"
	      "# scripts do) at every start of the VE: your changes will be lost.\n"
	      "# Put your own lines in /etc/network/interfaces.head, interfaces.template or\n"
	      "# interfaces.tail: they are copied in.\n\n",
	      f);
	include(f, INTERFACES ".head");
	include(f, INTERFACES ".template");
	fflush(f);
	if (!has_lo(text))
		fputs("auto lo\niface lo inet loopback\n\n", f);
	for (size_t i = 0; i < job->n_addrs; i++)
		v6 |= job->addrs[i].family == AF_INET6;
	if (job->n_addrs) {
		fputs("auto venet0\niface venet0 inet manual\n"
		      "\tup ifconfig venet0 up\n"
		      "\tup ifconfig venet0 127.0.0.2\n"
		      "\tup route add default dev venet0\n"
		      "\tdown route del default dev venet0\n"
		      "\tdown ifconfig venet0 down\n\n",
		      f);
	}
	if (v6) {
		fputs("iface venet0 inet6 manual\n", f);
		for (size_t i = 0; i < job->n_addrs; i++)
			if (job->addrs[i].family == AF_INET6)
				fprintf(f, "\tup ifconfig venet0 add %s/%d\n", job->addrs[i].text,
					job->addrs[i].prefix);
		fputs("\tup route -A inet6 add default dev venet0\n"
		      "\tdown route -A inet6 del default dev venet0\n",
		      f);
		for (size_t i = 0; i < job->n_addrs; i++)
			if (job->addrs[i].family == AF_INET6)
				fprintf(f, "\tdown ifconfig venet0 del %s/%d\n", job->addrs[i].text,
					job->addrs[i].prefix);
		fputc('\n', f);
	}
	include(f, INTERFACES ".tail");
	for (size_t i = 0; i < job->n_addrs; i++) {
		const struct inside_addr *a = &job->addrs[i];
		char mask[16];
		if (a->family != AF_INET)
			continue;
		inside_netmask(a->prefix, mask, sizeof(mask));
		fprintf(f,
			"auto venet0:%zu\niface venet0:%zu inet static\n\taddress %s\n"
			"\tnetmask %s\n\n",
			v4, v4, a->text, mask);
		v4++;
	}
	if (fclose(f) != 0) {
		free(text);
		text = NULL;
	}
	put_file(out, INTERFACES, text, 0);
	hosts_if_missing(job, out);
}

/* NAME="VALUE" set (value) or removed (NULL) in /etc/sysconfig/network. */
static void network_params(struct inside_out *out, const char *const *kv, size_t n)
{
	char *text = NULL;
	int r = inside_read(NETWORK, &text);
	if (r < 0) {
		inside_warn(out, "cannot read %s: %s", NETWORK, strerror(-r));
		return;
	}
	for (size_t i = 0; i < n * 2; i += 2) {
		char *next = kv[i + 1] ? inside_put_param(text, kv[i], kv[i + 1])
				       : inside_del_param(text, kv[i]);
		free(text);
		text = next;
		if (!text)
			break;
	}
	put_file(out, NETWORK, text, 0);
}

static void remove_ifcfgs(struct inside_out *out)
{
	char **names = inside_list(SCRIPTS, "ifcfg-venet0");
	for (size_t i = 0; names && names[i]; i++) {
		char path[512];
		snprintf(path, sizeof(path), SCRIPTS "/%s", names[i]);
		if (!strcmp(names[i], "ifcfg-venet0") || !strncmp(names[i], "ifcfg-venet0:", 13)) {
			int r = inside_unlink(path);
			if (r < 0)
				inside_warn(out, "cannot remove %s: %s", path, strerror(-r));
		}
		free(names[i]);
	}
	free(names);
}

static void redhat(const struct inside_job *job, struct inside_out *out)
{
	remove_ifcfgs(out);
	if (!job->n_addrs) {
		const char *kv[] = { "NETWORKING", "yes" };
		network_params(out, kv, 1);
		return;
	}
	char *text = NULL;
	size_t size = 0, v4 = 0;
	bool v6 = false;
	FILE *f = open_memstream(&text, &size);
	if (!f) {
		inside_warn(out, "cannot write %s/ifcfg-venet0: out of memory", SCRIPTS);
		return;
	}
	fputs("DEVICE=venet0\nBOOTPROTO=static\nONBOOT=yes\nARPCHECK=\"no\"\nIPADDR=127.0.0.1\n"
	      "NETMASK=255.255.255.255\nBROADCAST=0.0.0.0\n",
	      f);
	for (size_t i = 0; i < job->n_addrs; i++)
		v6 |= job->addrs[i].family == AF_INET6;
	if (v6) {
		fputs("IPV6INIT=\"yes\"\nIPV6ADDR_SECONDARIES=\"", f);
		const char *sep = "";
		for (size_t i = 0; i < job->n_addrs; i++)
			if (job->addrs[i].family == AF_INET6) {
				fprintf(f, "%s%s/%d", sep, job->addrs[i].text,
					job->addrs[i].prefix);
				sep = " ";
			}
		fputs("\"\n", f);
	}
	if (fclose(f) != 0) {
		free(text);
		text = NULL;
	}
	put_file(out, SCRIPTS "/ifcfg-venet0", text, 0644);
	const char *kv[] = { "NETWORKING",      "yes", "GATEWAYDEV",      "venet0", "GATEWAY", NULL,
			     "NETWORKING_IPV6", "yes", "IPV6_DEFAULTDEV", "venet0" };
	network_params(out, kv, v6 ? 5 : 3);
	hosts_if_missing(job, out);
	for (size_t i = 0; i < job->n_addrs; i++) {
		const struct inside_addr *a = &job->addrs[i];
		char mask[16], path[128];
		if (a->family != AF_INET)
			continue;
		inside_netmask(a->prefix, mask, sizeof(mask));
		snprintf(path, sizeof(path), SCRIPTS "/ifcfg-venet0:%zu", v4);
		char *t = NULL;
		if (asprintf(&t,
			     "DEVICE=venet0:%zu\nONBOOT=yes\nARPCHECK=\"no\"\nIPADDR=%s\n"
			     "NETMASK=%s\n",
			     v4, a->text, mask) < 0)
			t = NULL;
		put_file(out, path, t, 0644);
		v4++;
	}
}

void inside_dist(const struct inside_job *job, struct inside_out *out)
{
	if (job->family == INSIDE_DEBIAN)
		debian(job, out);
	else if (job->family == INSIDE_REDHAT)
		redhat(job, out);
}
