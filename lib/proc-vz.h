/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Readers of the OpenVZ /proc files vzlist reads (kernel-abi.md §13): each file is read
 * whole with one open, then parsed line by line by hand (thousands of beancounter rows on
 * a busy host). The files live under the context's VZL_PATH_PROC.
 */
#ifndef VZL_PROC_VZ_H
#define VZL_PROC_VZ_H

#include <stddef.h>
#include <stdint.h>

#include "vzlite.h"

/* "<proc root>/<rel>" read whole into a malloc()ed, NUL-terminated *ret. -errno. */
int proc_vz_read(const vzl_ctx *ctx, const char *rel, char **ret, size_t *ret_len);

/* One line of /proc/vz/veinfo: the VE (never 0), its task count and its addresses as the
 * kernel prints them (blank separated, `ips` not NUL-terminated, `ips_len` bytes). */
typedef int (*proc_veinfo_fn)(void *userdata, unsigned int veid, unsigned int tasks,
			      const char *ips, size_t ips_len);
int proc_vz_parse_veinfo(const char *buf, proc_veinfo_fn fn, void *userdata);

/* One resource row of /proc/bc/resources or /proc/user_beancounters: the beancounter, the
 * resource's UB id (dummies skipped) and held, maxheld, barrier, limit, failcnt. */
typedef int (*proc_ub_fn)(void *userdata, unsigned int id, unsigned int ub, const uint64_t v[5]);
int proc_vz_parse_ub(const char *buf, proc_ub_fn fn, void *userdata);
/* Read /proc/bc/resources, else /proc/user_beancounters (older kernels). *ret_path names
 * the file that failed (static). */
int proc_vz_read_ub(const vzl_ctx *ctx, char **ret, const char **ret_path);

/* One quota of /proc/vz/vzquota: usage, soft and hard limit of space (KiB) and inodes. */
typedef int (*proc_quota_fn)(void *userdata, unsigned int id, const uint64_t space[3],
			     const uint64_t inodes[3]);
int proc_vz_parse_vzquota(const char *buf, proc_quota_fn fn, void *userdata);

/* One node of /proc/fairsched (its "0 <id> 0" line): weight and rate as the kernel keeps. */
typedef int (*proc_fairsched_fn)(void *userdata, unsigned int id, unsigned long weight,
				 unsigned long rate);
int proc_vz_parse_fairsched(const char *buf, proc_fairsched_fn fn, void *userdata);

/* One VE line of /proc/vz/vestat: user, nice, system and uptime (the first one), in ticks. */
typedef int (*proc_vestat_fn)(void *userdata, unsigned int id, const uint64_t v[4]);
int proc_vz_parse_vestat(const char *buf, proc_vestat_fn fn, void *userdata);

/* The UB id of a resource name as /proc prints it, -1 for "dummy" and unknown names. */
int proc_vz_ub_id(const char *name, size_t len);

#endif
