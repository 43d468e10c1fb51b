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
#include <sched.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "error.h"
#include "extract-decode.h"
#include "extract-writer.h"
#include "extract.h"
#include "fsutil.h"
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
	run->p.archive_bytes = run->dec ? xdec_in_bytes(run->dec)
					: (uint64_t)archive_filter_bytes(run->a, -1);
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

/* The CPUs this process may run on (its affinity mask, else the online count). */
static long usable_cpus(void)
{
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
		return CPU_COUNT(&set);
	return sysconf(_SC_NPROCESSORS_ONLN);
}

#define TMPFS_MAGIC_ 0x01021994
#define RAMFS_MAGIC_ 0x858458f6

/*
 * How many threads create files. Worker threads pay when creating an inode costs
 * filesystem time that several threads can overlap: on ext4 (journal, block and inode
 * allocation) one creation costs 25-330 µs and two creating threads nearly halve the
 * creation time (bench/extract-bench.sh). On tmpfs and ramfs a creation is ~10 µs of pure
 * CPU, and with the decoder already on the second CPU more threads only compete for it.
 * With one usable CPU there is nothing to overlap.
 */
static unsigned int writers_for(int rootfd, const struct extract_opts *o)
{
	if (o->writers >= 1)
		return o->writers > 8 ? 8 : (unsigned int)o->writers;
	long cpus = usable_cpus();
	struct statfs sf;
	if (cpus < 2 || fstatfs(rootfd, &sf) < 0)
		return 1;
	if ((unsigned long)sf.f_type == TMPFS_MAGIC_ || (unsigned long)sf.f_type == RAMFS_MAGIC_)
		return 1;
	return cpus > 4 ? 4 : (unsigned int)cpus;
}

/* libarchive's errno and message, after `what` (which says where). */
static int lib_error(struct archive *a, unsigned int veid, vzl_error **err, const char *what)
{
	int e = archive_errno(a) > 0 ? archive_errno(a) : EIO;
	return error_set(err, e, veid, VZL_STEP_EXTRACT, NULL, "%s: %s", what,
			 archive_error_string(a) ?: "unknown error");
}

/* `name` for messages: at most size - 1 bytes, control characters made harmless. */
static void copy_shown(char *dst, size_t size, const char *name)
{
	size_t n = strlen(name);
	if (n >= size)
		n = size - 1;
	for (size_t i = 0; i < n; i++)
		dst[i] = ((unsigned char)name[i] < 0x20 || name[i] == 0x7f) ? '?' : name[i];
	dst[n] = '\0';
}

/*
 * May an entry whose header libarchive reported with ARCHIVE_WARN be extracted? Only for a
 * name that cannot be converted to the current locale: pax stores names in UTF-8, vzlite
 * runs in the C locale, and libarchive then keeps the bytes as the archive spells them,
 * which is what GNU tar writes too. Every other warning means libarchive ignored part of
 * the header and fell back to other data (a malformed or oversized pax record: the ustar
 * name instead of the pax path; an unknown sparse format; an ACL it could not parse).
 * GNU tar and bsdtar refuse those archives, and a template cache must not be
 * extracted as something other than what its author wrote.
 */
static bool warning_is_harmless(struct archive *a)
{
	const char *msg = archive_error_string(a);
	/* libarchive's ARCHIVE_ERRNO_FILE_FORMAT, which its public headers do not define. */
	return archive_errno(a) == EILSEQ && msg && strstr(msg, "can't be converted from ");
}

/*
 * After a header that could not be read or was refused: say where. `last` and `last_pos`
 * are the name and header offset of entry `index`, the last one extracted; `warned`, the
 * header libarchive warned about, is named itself (its state is still readable then).
 */
static int header_error(struct run *run, const char *label, const char *filter,
			struct archive_entry *warned, uint64_t index, const char *last,
			int64_t last_pos, vzl_error **err)
{
	char what[1024];

	if (warned) {
		const char *name = archive_entry_pathname(warned);
		char shown[256] = "?";
		if (name)
			copy_shown(shown, sizeof(shown), name);
		snprintf(what, sizeof(what),
			 "refusing the template cache '%s': entry %llu ('%s', header at byte %lld "
			 "of the tar stream) is malformed",
			 label, (unsigned long long)index + 1, shown,
			 (long long)archive_read_header_position(run->a));
	} else if (index == 0) {
		snprintf(what, sizeof(what), "'%s' is not a tar archive (compression: %s)", label,
			 filter);
	} else {
		snprintf(what, sizeof(what),
			 "cannot read the template cache '%s' after entry %llu ('%s', header at "
			 "byte %lld of the tar stream)",
			 label, (unsigned long long)index, last, (long long)last_pos);
	}
	return lib_error(run->a, run->opts->veid, err, what);
}

static int run_entries(struct run *run, const char *label, const char *filter, vzl_error **err)
{
	unsigned int veid = run->opts->veid;
	struct archive_entry *ae;
	char last[256] = "";
	uint64_t index = 0;   /* entries extracted so far */
	int64_t last_pos = 0; /* where the header of the last one starts */
	int r;

	for (;;) {
		r = archive_read_next_header(run->a, &ae);
		if (r == ARCHIVE_EOF)
			break;
		/* ARCHIVE_RETRY (a damaged header, which tar would skip) is above
		 * ARCHIVE_WARN: anything but OK or a harmless warning stops here. */
		if (r != ARCHIVE_OK && !(r == ARCHIVE_WARN && warning_is_harmless(run->a))) {
			return header_error(run, label, filter, r == ARCHIVE_WARN ? ae : NULL,
					    index, last, last_pos, err);
		}
		r = xw_entry(run->w, run->a, ae, err);
		if (r < 0) {
			error_prefix(err, "extracting '%s'", label);
			return r;
		}
		index++;
		last_pos = archive_read_header_position(run->a);
		const char *name = archive_entry_pathname(ae);
		copy_shown(last, sizeof(last), name ? name : "?");
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
	static const struct extract_opts defaults = { .threads = -1 };
	struct run run = { .opts = opts ? opts : &defaults };
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

	_cleanup_close_ int rootfd = open(dest_dir,
					  O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (rootfd < 0)
		return error_set(err, errno, veid, VZL_STEP_EXTRACT, NULL,
				 "cannot open the extraction directory '%s': %m%s", dest_dir,
				 errno == ELOOP ? " (a symbolic link)" : "");
	r = check_empty(rootfd, dest_dir, veid, err);
	if (r < 0)
		return r;

	bool thread = run.opts->threads >= 2 ||
		      (run.opts->threads != 1 && sysconf(_SC_NPROCESSORS_ONLN) > 1);
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
	r = xw_new(rootfd, veid, writers_for(rootfd, run.opts), &run.w, err);
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
	if (run.opts->sync && (r = fs_syncfs(rootfd)) < 0) {
		r = error_set(err, -r, veid, VZL_STEP_EXTRACT, NULL,
			      "cannot flush '%s' to disk: %s", dest_dir, strerror(-r));
		goto out;
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
			.writers = xw_writers(run.w),
			.xz_threads = xdec_xz_threads(run.dec),
		};
		if (!run.opts->progress)
			ret_stats->archive_bytes = run.dec ? xdec_in_bytes(run.dec)
							   : (uint64_t)archive_filter_bytes(run.a,
											    -1);
	}
	r = 0;
out:
	if (run.a)
		archive_read_free(run.a);
	xdec_stop(run.dec);
	xw_free(run.w);
	return r;
}
