/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The secure, syscall-lean writer that turns archive entries into files (internal). */
#ifndef VZL_EXTRACT_WRITER_H
#define VZL_EXTRACT_WRITER_H

#include <stdint.h>

#include "vzlite.h"

struct archive;
struct archive_entry;
struct xw;

struct xw_counts {
	uint64_t entries, files, dirs, symlinks, hardlinks, devices, fifos;
	uint64_t data_bytes, xattrs, xattrs_skipped, acls_skipped;
};

/* A writer that creates entries below the directory `rootfd` (borrowed, kept open by the
 * caller until xw_free), with `writers` threads creating files (1: the calling thread only;
 * 2 or more: that many worker threads besides it, see extract-pool.c). */
int xw_new(int rootfd, unsigned int veid, unsigned int writers, struct xw **ret, vzl_error **err);

/* The number of threads creating files (1 without workers). */
unsigned int xw_writers(const struct xw *w);

/* Create one entry, reading its data from `a`. */
int xw_entry(struct xw *w, struct archive *a, struct archive_entry *ae, vzl_error **err);

/* Wait for the workers, then apply the deferred modes, xattrs and times of the directories. */
int xw_finish(struct xw *w, vzl_error **err);

const struct xw_counts *xw_counts(const struct xw *w);

void xw_free(struct xw *w);

#endif
