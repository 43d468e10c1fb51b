/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The VE's own network configuration (ve-inside.h): which distribution's files, the job
 * resolved in the parent, and the child that enters the VE and does it.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ctx.h"
#include "kernel.h"
#include "macro.h"
#include "step.h"
#include "ve-inside.h"

/* §5.6 item 3: the dist configs vzctl installs, by the name they are found under. */
static const struct {
	const char *name;
	enum inside_family family;
} dists[] = {
	{ "redhat", INSIDE_REDHAT },     { "centos", INSIDE_REDHAT },
	{ "rhel", INSIDE_REDHAT },       { "scientific", INSIDE_REDHAT },
	{ "fedora", INSIDE_REDHAT },     { "fedora-core", INSIDE_REDHAT },
	{ "redhat-7.x", INSIDE_REDHAT }, { "altlinux-2.4", INSIDE_REDHAT },
	{ "owl", INSIDE_REDHAT },        { "debian", INSIDE_DEBIAN },
	{ "ubuntu", INSIDE_DEBIAN },     { "debian-3.0", INSIDE_DEBIAN },
	{ "debian-3.1", INSIDE_DEBIAN }, { "ubuntu-6.06", INSIDE_DEBIAN },
	{ "suse", INSIDE_OTHER },        { "opensuse", INSIDE_OTHER },
	{ "sles", INSIDE_OTHER },        { "gentoo", INSIDE_OTHER },
	{ "arch", INSIDE_OTHER },        { "alpine", INSIDE_OTHER },
	{ "altlinux", INSIDE_OTHER },    { "slackware", INSIDE_OTHER },
	{ "mandrake", INSIDE_OTHER },    { "funtoo", INSIDE_OTHER },
};

/* §5.6 item 1: the OSTEMPLATE's base name, then cut at its last '-' again and again; no
 * match is `default`, which holds the Red Hat scripts. */
enum inside_family inside_family_of(const char *ostemplate, const char **ret_dist)
{
	char name[256];
	const char *base = ostemplate ? strrchr(ostemplate, '/') : NULL;
	snprintf(name, sizeof(name), "%s", base ? base + 1 : ostemplate ? ostemplate : "");
	for (char *cut; name[0]; *cut = '\0') {
		for (size_t i = 0; i < ELEMENTSOF(dists); i++)
			if (strcmp(name, dists[i].name) == 0) {
				*ret_dist = dists[i].name;
				return dists[i].family;
			}
		cut = strrchr(name, '-');
		if (!cut)
			break;
	}
	*ret_dist = "default";
	return INSIDE_REDHAT;
}

/* §5.6 "inherit": the host's nameservers in order; of domain/search lines the last wins. */
static int read_host_resolv(vzl_ve *ve, struct inside_job *job, bool ns, bool search)
{
	FILE *f = fopen("/etc/resolv.conf", "re");
	if (!f) {
		log_warning(ve->ctx,
			    "VE %u: NAMESERVER/SEARCHDOMAIN inherit: cannot read the host's "
			    "/etc/resolv.conf: %m; nothing inherited",
			    ve->id);
		return 0;
	}
	char *line = NULL;
	size_t cap = 0;
	int r = 0;
	while (r == 0 && getline(&line, &cap, f) > 0) {
		char key[16], *rest = line;
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == ';' || line[0] == '#' || sscanf(line, "%15s", key) != 1)
			continue;
		rest = line + strspn(line, " \t") + strlen(key);
		rest += strspn(rest, " \t");
		if (ns && strcmp(key, "nameserver") == 0 && *rest) {
			char val[256];
			sscanf(rest, "%255s", val);
			char **v = realloc(job->nameservers, (job->n_nameservers + 1) * sizeof(*v));
			if (!v || !(v[job->n_nameservers] = strdup(val)))
				r = -ENOMEM;
			if (v)
				job->nameservers = v;
			if (r == 0)
				job->n_nameservers++;
		} else if (search && (strcmp(key, "search") == 0 || strcmp(key, "domain") == 0)) {
			free(job->search);
			if (!(job->search = strdup(rest)))
				r = -ENOMEM;
		}
	}
	free(line);
	fclose(f);
	return r;
}

static int words_copy(struct inside_job *job, const struct ve_words *w)
{
	job->nameservers = calloc(w->n + 1, sizeof(char *));
	if (!job->nameservers)
		return -ENOMEM;
	for (size_t i = 0; i < w->n; i++)
		if (!(job->nameservers[job->n_nameservers++] = strdup(w->v[i])))
			return -ENOMEM;
	return 0;
}

static int words_join(char **ret, const struct ve_words *w)
{
	size_t len = 1;
	for (size_t i = 0; i < w->n; i++)
		len += strlen(w->v[i]) + 1;
	char *s = malloc(len);
	if (!s)
		return -ENOMEM;
	s[0] = '\0';
	for (size_t i = 0; i < w->n; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, w->v[i]);
	}
	*ret = s;
	return 0;
}

static int addrs_copy(struct inside_job *job, const struct ve_ips *ips)
{
	job->addrs = calloc(ips->n + 1, sizeof(*job->addrs));
	if (!job->addrs)
		return -ENOMEM;
	for (size_t i = 0; i < ips->n; i++) {
		const struct value_ip *ip = &ips->v[i];
		struct inside_addr a = { .family = ip->family };
		size_t len = ip->family == AF_INET6 ? 16 : 4;
		if (ip->family == AF_INET6 && !job->ipv6)
			continue; /* §5.3: dropped unless IPV6=yes (the map's code says so) */
		memcpy(a.bytes, &ip->addr, len);
		a.prefix = ip->prefix >= 0 ? ip->prefix : (int)len * 8;
		inet_ntop(a.family, a.bytes, a.text, sizeof(a.text));
		bool dup = false; /* §5.3: the same address twice (any prefix) counts once */
		for (size_t j = 0; j < job->n_addrs; j++)
			dup |= job->addrs[j].family == a.family &&
			       !memcmp(job->addrs[j].bytes, a.bytes, len);
		if (!dup)
			job->addrs[job->n_addrs++] = a;
	}
	return 0;
}

int inside_job_init(struct inside_job *job, vzl_ve *ve, const struct ve_spec *spec, bool ipv6,
		    unsigned what, bool starting)
{
	const struct ve_spec_net *n = &spec->net;
	*job = (struct inside_job){ .what = what, .starting = starting, .ipv6 = ipv6 };
	job->family = inside_family_of(spec->ostemplate, &job->dist);
	int r = addrs_copy(job, &n->ips);
	if (r == 0 && (what & INSIDE_HOSTNAME) && n->hostname && n->hostname[0])
		job->hostname = n->hostname;
	if (!(what & INSIDE_DNS) || r < 0)
		return r;
	/* §5.6: inherit is looked for in the first element only */
	bool ns_inherit = n->nameservers.n && strcmp(n->nameservers.v[0], "inherit") == 0;
	bool sd_inherit = n->searchdomains.n && strcmp(n->searchdomains.v[0], "inherit") == 0;
	job->nameservers_set = n->nameservers.n > 0;
	if (ns_inherit || sd_inherit)
		r = read_host_resolv(ve, job, ns_inherit, sd_inherit);
	if (r == 0 && n->nameservers.n && !ns_inherit)
		r = words_copy(job, &n->nameservers);
	if (r == 0 && n->searchdomains.n && !sd_inherit)
		r = words_join(&job->search, &n->searchdomains);
	return r;
}

void inside_job_done(struct inside_job *job)
{
	for (size_t i = 0; i < job->n_nameservers; i++)
		free(job->nameservers[i]);
	free(job->nameservers);
	free(job->search);
	free(job->addrs);
	*job = (struct inside_job){ 0 };
}

/* One warning from the child: a fixed-size record, written at once (below PIPE_BUF). */
struct inside_msg {
	char text[400];
};

void inside_warn(struct inside_out *out, const char *fmt, ...)
{
	struct inside_msg m = { { 0 } };
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(m.text, sizeof(m.text), fmt, ap);
	va_end(ap);
	out->warnings++;
	ssize_t w;
	do
		w = write(out->fd, &m, sizeof(m));
	while (w < 0 && errno == EINTR);
}

/* The child: enter as stop does (§3.7: setluid, chroot, VE_ENTER), then the work. */
static void __attribute__((noreturn))
child(vzl_ve *ve, const char *root, const struct inside_job *job, int fd)
{
	struct kernel *k = &ve->ctx->kernel;
	struct inside_out out = { .fd = fd };
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	int null = open("/dev/null", O_RDWR);
	for (int i = 0; i < 3; i++)
		if (null >= 0 && i != null)
			dup2(null, i);
	int r = kernel_setluid(k, ve->id);
	const char *what = "setluid";
	if (r == 0) {
		what = "chroot";
		r = chdir(root) < 0 || chroot(".") < 0 ? -errno : 0;
	}
	if (r == 0) {
		what = "VE_ENTER";
		r = kernel_env_enter(k, ve->id);
	}
	if (r < 0) {
		inside_warn(&out, "cannot enter it (%s: %s)", what, strerror(-r));
		_exit(1);
	}
	close(k->fd);
	umask(022);
	if (job->what & INSIDE_ADD_IP) {
		inside_net(job, &out);
		inside_dist(job, &out);
	}
	if (job->what & INSIDE_HOSTNAME)
		inside_names(job, &out);
	if (job->what & INSIDE_DNS)
		inside_dns(job, &out);
	_exit(0);
}

int inside_run(vzl_ve *ve, const char *root, const struct inside_job *job)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0) {
		log_warning(ve->ctx,
			    "VE %u: its network configuration inside was not done: pipe: %m",
			    ve->id);
		return -errno;
	}
	if (kernel_open(&ve->ctx->kernel, NULL) < 0) {
		/* the child's setluid reports it */
	}
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close(p[0]);
		close(p[1]);
		log_warning(ve->ctx,
			    "VE %u: its network configuration inside was not done: fork: %s",
			    ve->id, strerror(e));
		return -e;
	}
	if (pid == 0) {
		close(p[0]);
		child(ve, root, job, p[1]);
	}
	close(p[1]);
	int n = 0;
	struct inside_msg m;
	ssize_t got;
	while ((got = read(p[0], &m, sizeof(m))) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got != (ssize_t)sizeof(m))
			break;
		m.text[sizeof(m.text) - 1] = '\0';
		log_warning(ve->ctx, "VE %u: inside the VE: %s", ve->id, m.text);
		n++;
	}
	close(p[0]);
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return n;
	if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0) && n == 0) {
		log_warning(ve->ctx,
			    "VE %u: the process configuring its network inside ended "
			    "abnormally (status 0x%x)",
			    ve->id, (unsigned)status);
		n++;
	}
	return n;
}

static void describe_addrs(const struct inside_job *job, struct step_plan *plan)
{
	bool deb = job->family == INSIDE_DEBIAN;
	size_t v4 = 0, v6 = 0;
	step_line(plan, "  in VE: lo up");
	if (!job->n_addrs)
		return;
	step_line(plan, "  in VE: venet0 up%s",
		  job->family == INSIDE_OTHER ? ""
		  : deb                       ? ", 127.0.0.2/8"
					      : ", 127.0.0.1/32");
	for (size_t i = 0; i < job->n_addrs; i++) {
		const struct inside_addr *a = &job->addrs[i];
		if (a->family == AF_INET)
			step_line(plan, "  in VE: address %s/%d on venet0 (label venet0:%zu)",
				  a->text, a->prefix, v4++);
		else
			step_line(plan, "  in VE: address %s/%d on venet0", a->text, a->prefix),
				v6++;
	}
	if (v4)
		step_line(plan, "  in VE: route default dev venet0");
	if (v6)
		step_line(plan, "  in VE: route ::/0 dev venet0");
}

void inside_describe(const struct inside_job *job, unsigned veid, const char *root,
		     struct step_plan *plan)
{
	step_line(plan,
		  "fork; setluid(%u); chroot %s; enter VE %u (failures from here on are "
		  "warnings, as vzctl ignores its distribution scripts' errors)",
		  veid, root, veid);
	if (job->what & INSIDE_ADD_IP) {
		describe_addrs(job, plan);
		if (job->family == INSIDE_DEBIAN)
			step_line(plan, "  in VE: write /etc/network/interfaces (dist %s)",
				  job->dist);
		else if (job->family == INSIDE_REDHAT)
			step_line(plan,
				  "  in VE: write /etc/sysconfig/network, "
				  "/etc/sysconfig/network-scripts/ifcfg-venet0* (dist %s)",
				  job->dist);
		else
			step_line(plan,
				  "  in VE: no network files (dist %s: not written by vzlite)",
				  job->dist);
	}
	if (job->hostname)
		step_line(plan, "  in VE: sethostname; write %s and /etc/hosts for %s",
			  job->family == INSIDE_DEBIAN ? "/etc/hostname"
						       : "/etc/hostname or /etc/sysconfig/network",
			  job->hostname);
	if (job->nameservers_set || job->search)
		step_line(plan, "  in VE: write /etc/resolv.conf");
}
