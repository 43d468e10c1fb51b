/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Extracting a template cache into a private area (internal API).
 *
 * libarchive reads and decodes (tar in any of its dialects; gzip, bzip2, xz, lzma, zstd,
 * lz4 or compress, detected from the data, not the name); vzlite's own writer creates the
 * files (extract-writer.c). The guarantees are those of libarchive's secure flags
 * (SECURE_NODOTDOT, SECURE_NOABSOLUTEPATHS, SECURE_SYMLINKS), enforced without openat2,
 * which 2.6.32 lacks: every path is resolved one component at a time from the destination
 * with openat(O_NOFOLLOW | O_DIRECTORY), so nothing is ever created, chowned, chmodded or
 * given xattrs through a symbolic link, and an entry that would land outside the
 * destination is an error naming the entry.
 *
 * Atomicity is the caller's: extract into a staging directory beside the final one (e.g.
 * "<VE_PRIVATE>.tmp", created 0700 and empty), rename it into place on success, and remove
 * it with fs_remove_tree() on failure or when a leftover is found.
 */
#ifndef VZL_EXTRACT_H
#define VZL_EXTRACT_H

#include <stdbool.h>
#include <stdint.h>

#include "vzlite.h"

struct extract_progress {
	uint64_t archive_bytes; /* bytes of the archive file consumed so far */
	uint64_t archive_size;  /* size of the archive file (0 if unknown) */
	uint64_t entries;       /* entries extracted so far */
	uint64_t data_bytes;    /* file data written so far (uncompressed) */
};

/*
 * Called from the calling thread every few hundred entries or megabytes and once at the
 * end. Return 0 to continue; anything else stops the extraction with -ECANCELED.
 */
typedef int (*extract_progress_fn)(const struct extract_progress *p, void *userdata);

struct extract_opts {
	unsigned int veid;            /* only for error reports; 0 if none */
	extract_progress_fn progress; /* may be NULL */
	void *userdata;
	/*
	 * Decoder thread: -1 (or 0 in a zeroed struct) = automatic (a second thread decodes a
	 * compressed archive when more than one CPU is online), 1 = never, 2 = always.
	 */
	int threads;
	/*
	 * Threads creating files: -1 (or 0) = automatic (decided from the CPUs this process
	 * may run on and the destination's filesystem, see extract.c), 1 = the calling thread
	 * only, N >= 2 = N worker threads (at most 8) besides the reading thread.
	 */
	int writers;
	/*
	 * Flush the destination's filesystem (syncfs, or sync() where syncfs is missing)
	 * before returning success, so that a rename into place that follows cannot survive
	 * a crash while the files' data does not. See extract.c for why not fsync per file.
	 */
	bool sync;
};

struct extract_stats {
	uint64_t entries;
	uint64_t files, dirs, symlinks, hardlinks, devices, fifos;
	uint64_t data_bytes;     /* file data written */
	uint64_t archive_bytes;  /* archive bytes read */
	uint64_t xattrs;         /* extended attributes set (ACLs included) */
	uint64_t xattrs_skipped; /* refused by the filesystem as unsupported (EOPNOTSUPP) */
	uint64_t acls_skipped;   /* NFSv4 ACLs, which Linux cannot store */
	const char *filter;      /* "gzip", "xz", "zstd", "none", ... (static string) */
	bool threaded;           /* a decoder thread was used */
	unsigned int writers;    /* threads that created files (1: the calling thread) */
	unsigned int xz_threads; /* threads of liblzma's multi-block xz decoder, 0 if unused */
};

/*
 * Extract `archive_path` into `dest_dir`, which must exist, be a directory (not a symbolic
 * link) and be empty. Owners are restored numerically when running as root (as
 * `tar --numeric-owner -xp`), modes including setuid/setgid/sticky, mtimes, hard links,
 * symlinks, devices, FIFOs, sparse files, xattrs (security.capability included) and POSIX
 * ACLs. Duplicate entries: the later one wins, except that a directory is never replaced
 * by a symbolic link. `opts` and `ret_stats` may be NULL; `ret_stats` is written only on
 * success. On failure `dest_dir` may hold a partial tree: remove it with fs_remove_tree().
 */
int extract_archive(const char *archive_path, const char *dest_dir, const struct extract_opts *opts,
		    struct extract_stats *ret_stats, vzl_error **err);

#endif
