/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The VE's own network configuration, what vzctl's distribution scripts do inside a VE
 * (vzctl-behaviour.md §5.6: ADD_IP, SET_HOSTNAME, SET_DNS), done by vzlite without a script:
 * a child enters the VE as stop does (setluid, chroot to VE_ROOT, VE_ENTER), so it is in the
 * VE's network and UTS namespaces and sees only the VE's tree, and there
 *  - brings lo and venet0 up and gives venet0 the addresses and the default route (rtnetlink
 *    through libnl-route-3), as the distribution's network start would end up doing;
 *  - sets the host name (sethostname) and writes it where the distribution reads it;
 *  - writes /etc/resolv.conf, /etc/hosts and the distribution's network config.
 * Every file is written by a walk from the (chrooted) root that opens each directory with
 * O_NOFOLLOW and replaces the file by a rename of a new one in the same directory: a link the
 * VE planted is replaced, never followed. vzctl ignores the failures of these scripts at start
 * and in `set` (§3.2 step 10.1, 10.10; §3.6 step 12): here each failure is a warning and the
 * rest goes on.
 */
#ifndef VZL_VE_INSIDE_H
#define VZL_VE_INSIDE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "ve-spec.h"
#include "vzlite.h"

struct step_plan;

enum {
	INSIDE_ADD_IP = 1 << 0,   /* lo, venet0, addresses, routes; the network config files */
	INSIDE_HOSTNAME = 1 << 1, /* sethostname; /etc/hostname or sysconfig; /etc/hosts */
	INSIDE_DNS = 1 << 2,      /* /etc/resolv.conf */
};

/* Which distribution scripts vzctl would run (§5.6 "Which scripts"). */
enum inside_family {
	INSIDE_REDHAT, /* redhat.conf, fedora-core.conf, redhat-7.3.conf, and `default` */
	INSIDE_DEBIAN, /* debian.conf, debian-3.conf */
	INSIDE_OTHER,  /* a family whose files vzlite does not write (suse, gentoo, ...) */
};

/* One address as the VE gets it. */
struct inside_addr {
	int family;              /* AF_INET, AF_INET6 */
	unsigned char bytes[16]; /* network order */
	int prefix;              /* the given prefix, or 32 / 128 */
	char text[48];           /* the address without prefix */
};

/* Everything the entered child needs, resolved in the parent (no config reading inside). */
struct inside_job {
	unsigned what; /* INSIDE_* */
	bool starting; /* VE_STATE=starting (a start) or running (a live set) */
	enum inside_family family;
	const char *dist; /* the dist config name vzctl would pick: "debian", "default", ... */
	bool ipv6;        /* IPV6=yes: IPv6 addresses are configured */
	struct inside_addr *addrs;
	size_t n_addrs;
	const char *hostname; /* NULL: not set */
	char **nameservers;   /* resolved (inherit done) */
	size_t n_nameservers; /* 0 with nameservers_set: an empty list */
	bool nameservers_set;
	char *search; /* the search line's value; NULL: not set */
};

/* The family and dist name of OSTEMPLATE `ostemplate` (may be NULL: `default`). */
enum inside_family inside_family_of(const char *ostemplate, const char **ret_dist);

/*
 * Fill `job` for `what` from `spec` and the config's IPV6 (`ipv6`); NAMESERVER/SEARCHDOMAIN
 * "inherit" read the host's resolv.conf. Warnings (an unreadable host resolv.conf) go to the
 * context's log. 0 or -ENOMEM.
 */
int inside_job_init(struct inside_job *job, vzl_ve *ve, const struct ve_spec *spec, bool ipv6,
		    unsigned what, bool starting);
void inside_job_done(struct inside_job *job);

/*
 * Do `job` inside running VE `ve` whose root is `root`. Each failure inside is logged as a
 * warning naming the VE and what was not done; returns how many there were (0 when all was
 * done), or -errno when the VE could not be entered (also logged). Never fails a start.
 */
int inside_run(vzl_ve *ve, const char *root, const struct inside_job *job);

/* The dry-run lines of inside_run. */
void inside_describe(const struct inside_job *job, unsigned veid, const char *root,
		     struct step_plan *plan);

/* Inside the entered child (ve-inside-*.c). `warn` sends one warning to the parent. */
struct inside_out {
	int fd;
	unsigned warnings;
};
void inside_warn(struct inside_out *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void inside_net(const struct inside_job *job, struct inside_out *out);   /* netlink */
void inside_dist(const struct inside_job *job, struct inside_out *out);  /* network files */
void inside_names(const struct inside_job *job, struct inside_out *out); /* hostname, hosts */
void inside_dns(const struct inside_job *job, struct inside_out *out);   /* resolv.conf */

/* Files beneath "/" (the chrooted root) without following links (ve-inside-file.c). */
/* The file's content in *ret (NUL-terminated, malloc'ed; NULL and 0 when it does not exist
 * or is a symbolic link, which is not followed). */
int inside_read(const char *path, char **ret);
/* Replace `path` by a new file with `text`, mode `mode` (an existing file's mode when
 * `mode` is 0, else 0644); its directory must exist. 0 or -errno. */
int inside_write(const char *path, const char *text, mode_t mode);
/* Remove `path` (not following a link); a missing file is no error. */
int inside_unlink(const char *path);
/* Whether `path` exists (lstat-like: a link counts). */
bool inside_exists(const char *path);
/* The entries of directory `dir` whose names start with `prefix`: a NULL-terminated array. */
char **inside_list(const char *dir, const char *prefix);

/* Text helpers (ve-inside-text.c). A NAME="VALUE" line set (replaced or appended) or removed
 * in `text`, as vzctl's put_param / del_param; returns new malloc'ed text or NULL. */
char *inside_put_param(const char *text, const char *name, const char *value);
char *inside_del_param(const char *text, const char *name);
/* The dotted netmask of an IPv4 prefix. */
void inside_netmask(int prefix, char *buf, size_t size);

#endif
