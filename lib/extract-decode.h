/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Detecting the compression of a template cache and decoding it in a second thread. */
#ifndef VZL_EXTRACT_DECODE_H
#define VZL_EXTRACT_DECODE_H

#include <stdbool.h>
#include <stdint.h>

#include "vzlite.h"

struct archive;
struct xdec;

/* Enable the decompression filters vzlite accepts (no external programs). */
void xdec_support_filters(struct archive *a);

/*
 * Find out how the archive open on `fd` is compressed (from its data) and set *ret_filter
 * to a static name ("none", "gzip", "xz", "zstd", ...). If it is not compressed, rewind
 * `fd` and return 0. Otherwise return 1 with a decoder in *ret: with `thread`, a thread
 * decoding into a bounded queue (8 buffers of 256 KiB), else decoding on demand. `label`
 * names the archive in errors.
 */
int xdec_start(int fd, const char *label, unsigned int veid, bool thread, struct xdec **ret,
	       const char **ret_filter, vzl_error **err);

/* Open `a` (a reader with formats but no filters) on the decoded stream. */
int xdec_open(struct xdec *d, struct archive *a);

/* Bytes of the archive file the decoder has consumed so far. */
uint64_t xdec_in_bytes(struct xdec *d);

bool xdec_threaded(const struct xdec *d);

/* Threads of liblzma's multi-threaded xz decoder, or 0 when it is not used. */
unsigned int xdec_xz_threads(const struct xdec *d);

/* Stop the thread (it may be blocked on a full queue), wait for it and free everything. */
void xdec_stop(struct xdec *d);

#endif
