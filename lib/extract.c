/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Extracting a template cache: libarchive reads and decodes, extract-writer.c creates the
 * files, extract-decode.c runs the decoder in a second thread when the cache is compressed.
 *
 * Durability. No fsync per file: on ext4 that is a journal commit per file, seconds to
 * minutes for the 6,700 entries of a minimal template, and neither tar nor vzctl does it.
 * What matters is that a crash never leaves a private area that looks complete but holds
 * empty or partial files: ext4 with delalloc may commit the rename of the staging directory
 * before the data of the files inside it. So, with opts->sync, the whole staging
 * filesystem is flushed once with syncfs(2) (present in 042stab, kernel-abi.md §15.3;
 * sync() where it is missing) after the last file and before the caller's rename into
 * place. One flush costs about what writing the data back costs anyway, and the caller
 * renames only afterwards, so after a crash there is either no private area or a complete
 * one; the staging leftover is removed by the next create or destroy.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "error.h"
#include "extract-decode.h"
#include "extract-writer.h"
#include "extract.h"
#include "macro.h"

#define READ_BLOCK       (1024 * 1024)
#define PROGRESS_ENTRIES 256
#define PROGRESS_BYTES   (8u << 20)

struct run {
	const struct extract_opts *opts;
	struct archive *a;
	struct xdec *dec;
	struct xw *w;
	struct extract_progress p;
	uint64_t last_entries, last_bytes;
};

static int progress(struct run *run, bool force, vzl_error **err)
{
	const struct xw_counts *c = xw_counts(run->w);
	if (!run->opts->progress)
		return 0;
	if (!force && c->entries - run->last_entries < PROGRESS_ENTRIES &&
	    c->data_bytes - run->last_bytes < PROGRESS_BYTES)
		return 0;
	run->last_entries = c->entries;
	run->last_bytes = c->data_bytes;
	run->p.entries = c->entries;
	run->p.data_bytes = c->data_bytes;
	run->p.archive_bytes =
	    run->dec ? xdec_in_bytes(run->dec) : (uint64_t)archive_filter_bytes(run->a, -1);
	if (run->opts->progress(&run->p, run->opts->userdata) != 0)
		return error_set(err, ECANCELED, run->opts->veid, VZL_STEP_EXTRACT, NULL,
				 "extraction cancelled");
	return 0;
}

static int check_empty(int dirfd, const char *dest, unsigned int veid, vzl_error **err)
{
	int fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 3);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return error_set(err, errno, veid, VZL_STEP_EXTRACT, NULL,
				 "cannot read the directory '%s': %m", dest);
	}
	struct dirent *de;
	int r = 0;
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
			r = error_set(err, ENOTEMPTY, veid, VZL_STEP_EXTRACT, NULL,
				      "the extraction directory '%s' is not empty", dest);
			break;
		}
	}
	closedir(d);
	return r;
}

/* libarchive's errno and message, after `what` (which says where). */
static int lib_error(struct archive *a, unsigned int veid, vzl_error **err, const char *what)
{
	int e = archive_errno(a) > 0 ? archive_errno(a) : EIO;
	return error_set(err, e, veid, VZL_STEP_EXTRACT, NULL, "%s: %s", what,
			 archive_error_string(a) ?: "unknown error");
}

static int run_entries(struct run *run, const char *label, const char *filter, vzl_error **err)
{
	unsigned int veid = run->opts->veid;
	struct archive_entry *ae;
	char last[256] = "", what[1024];
	int r;

	for (;;) {
		r = archive_read_next_header(run->a, &ae);
		if (r == ARCHIVE_EOF)
			break;
		if (r < ARCHIVE_WARN) {
			if (xw_counts(run->w)->entries == 0)
				snprintf(what, sizeof(what),
					 "'%s' is not a tar archive (compression: %s)", label,
					 filter);
			else
				snprintf(what, sizeof(what),
					 "cannot read the template cache '%s' after the entry '%s'",
					 label, last);
			return lib_error(run->a, veid, err, what);
		}
		r = xw_entry(run->w, run->a, ae, err);
		if (r < 0) {
			error_prefix(err, "extracting '%s'", label);
			return r;
		}
		const char *name = archive_entry_pathname(ae);
		if (name) {
			size_t n = strlen(name);
			if (n >= sizeof(last))
				n = sizeof(last) - 1;
			memcpy(last, name, n);
			last[n] = '\0';
			for (size_t i = 0; i < n; i++)
				if ((unsigned char)last[i] < 0x20 || last[i] == 0x7f)
					last[i] = '?';
		}
		r = progress(run, false, err);
		if (r < 0)
			return r;
	}
	if (xw_counts(run->w)->entries == 0)
		return error_set(err, EINVAL, veid, VZL_STEP_EXTRACT, NULL,
				 "the template cache '%s' contains no entries", label);
	return 0;
}

int extract_archive(const char *archive_path, const char *dest_dir, const struct extract_opts *opts,
		    struct extract_stats *ret_stats, vzl_error **err)
{
	static const struct extract_opts defaults = {.threads = -1};
	struct run run = {.opts = opts ? opts : &defaults};
	unsigned int veid = run.opts->veid;
	const char *filter = "none";
	struct stat st;
	int r;

	_cleanup_close_ int fd = open(archive_path, O_RDONLY | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return error_set(err, errno, veid, VZL_STEP_EXTRACT, NULL,
				 "cannot open the template cache '%s': %m", archive_path);
	if (fstat(fd, &st) < 0)
		return error_set(err, errno, veid, VZL_STEP_EXTRACT, NULL,
				 "cannot examine the template cache '%s': %m", archive_path);
	if (!S_ISREG(st.st_mode))
		return error_set(err, EINVAL, veid, VZL_STEP_EXTRACT, NULL,
				 "the template cache '%s' is not a regular file", archive_path);
	if (st.st_size == 0)
		return error_set(err, EINVAL, veid, VZL_STEP_EXTRACT, NULL,
				 "the template cache '%s' is empty (0 bytes)", archive_path);
	run.p.archive_size = (uint64_t)st.st_size;

	_cleanup_close_ int rootfd =
	    open(dest_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (rootfd < 0)
		return error_set(err, errno, veid, VZL_STEP_EXTRACT, NULL,
				 "cannot open the extraction directory '%s': %m%s", dest_dir,
				 errno == ELOOP ? " (a symbolic link)" : "");
	r = check_empty(rootfd, dest_dir, veid, err);
	if (r < 0)
		return r;

	bool thread =
	    run.opts->threads >= 2 || (run.opts->threads != 1 && sysconf(_SC_NPROCESSORS_ONLN) > 1);
	r = xdec_start(fd, archive_path, veid, thread, &run.dec, &filter, err);
	if (r < 0)
		return r;

	run.a = archive_read_new();
	if (!run.a) {
		r = error_set(err, ENOMEM, veid, VZL_STEP_EXTRACT, NULL, "out of memory");
		goto out;
	}
	archive_read_support_format_tar(run.a);
	if ((run.dec ? xdec_open(run.dec, run.a) : archive_read_open_fd(run.a, fd, READ_BLOCK)) !=
	    ARCHIVE_OK) {
		char what[1024];
		/* libarchive's ARCHIVE_ERRNO_FILE_FORMAT is EILSEQ on Linux (no EFTYPE). */
		if (archive_errno(run.a) == EILSEQ)
			snprintf(what, sizeof(what), "'%s' is not a tar archive (compression: %s)",
				 archive_path, filter);
		else
			snprintf(what, sizeof(what), "cannot read the template cache '%s'",
				 archive_path);
		r = lib_error(run.a, veid, err, what);
		goto out;
	}
	r = xw_new(rootfd, veid, &run.w, err);
	if (r < 0)
		goto out;

	r = run_entries(&run, archive_path, filter, err);
	if (r < 0)
		goto out;
	r = xw_finish(run.w, err);
	if (r < 0) {
		error_prefix(err, "extracting '%s'", archive_path);
		goto out;
	}
	if (run.opts->sync && syncfs(rootfd) < 0) {
		if (errno != ENOSYS) {
			r = error_set(err, errno, veid, VZL_STEP_EXTRACT, NULL,
				      "cannot flush '%s' to disk: %m", dest_dir);
			goto out;
		}
		sync();
	}
	r = progress(&run, true, err);
	if (r < 0)
		goto out;

	if (ret_stats) {
		const struct xw_counts *c = xw_counts(run.w);
		*ret_stats = (struct extract_stats){
		    .entries = c->entries,
		    .files = c->files,
		    .dirs = c->dirs,
		    .symlinks = c->symlinks,
		    .hardlinks = c->hardlinks,
		    .devices = c->devices,
		    .fifos = c->fifos,
		    .data_bytes = c->data_bytes,
		    .archive_bytes = run.p.archive_bytes,
		    .xattrs = c->xattrs,
		    .xattrs_skipped = c->xattrs_skipped,
		    .acls_skipped = c->acls_skipped,
		    .filter = filter,
		    .threaded = xdec_threaded(run.dec),
		};
		if (!run.opts->progress)
			ret_stats->archive_bytes = run.dec
						       ? xdec_in_bytes(run.dec)
						       : (uint64_t)archive_filter_bytes(run.a, -1);
	}
	r = 0;
out:
	if (run.a)
		archive_read_free(run.a);
	xdec_stop(run.dec);
	xw_free(run.w);
	return r;
}
