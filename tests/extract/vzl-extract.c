/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Test and benchmark driver for the extraction engine.
 *
 *   vzl-extract [OPTIONS] ARCHIVE DEST   extract as create will: into DEST.tmp (a leftover
 *                                         is removed first), then rename it to DEST; on
 *                                         failure DEST.tmp is removed and DEST never appears
 *   vzl-extract --into [OPTIONS] ARCHIVE DIR   extract into the existing empty DIR
 *   vzl-extract --rm PATH                 remove a tree with fs_remove_tree()
 *
 * Options: --sync (syncfs before the rename), --threads N (1 never, 2 always; default
 * automatic), --writers N (threads creating files: 1 the calling thread only, N >= 2 that
 * many workers; default automatic, or $VZL_EXTRACT_WRITERS, which lets the test suite run
 * every extraction test through the worker threads), --progress (to stderr), --stats
 * (to stdout).
 * Exit status: 0 success, 1 failure (the message on stderr), 2 usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extract.h"
#include "fsutil.h"

static int show_progress(const struct extract_progress *p, void *userdata)
{
	(void)userdata;
	fprintf(stderr, "\rextracting: %3u%%  %" PRIu64 " entries  %" PRIu64 " MiB",
		p->archive_size ? (unsigned)(p->archive_bytes * 100 / p->archive_size) : 0,
		p->entries, p->data_bytes >> 20);
	return 0;
}

static int fail(vzl_error *e)
{
	fprintf(stderr, "vzl-extract: %s\n", vzl_error_message(e));
	vzl_error_free(e);
	return 1;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "into", no_argument, NULL, 'i' },
		{ "rm", no_argument, NULL, 'r' },
		{ "sync", no_argument, NULL, 's' },
		{ "threads", required_argument, NULL, 't' },
		{ "writers", required_argument, NULL, 'w' },
		{ "progress", no_argument, NULL, 'p' },
		{ "stats", no_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 },
	};
	struct extract_opts opts = { .threads = -1, .writers = -1 };
	const char *env_writers = getenv("VZL_EXTRACT_WRITERS");
	if (env_writers && *env_writers)
		opts.writers = atoi(env_writers);
	int into = 0, rm = 0, stats = 0, c;
	vzl_error *e = NULL;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			into = 1;
			break;
		case 'r':
			rm = 1;
			break;
		case 's':
			opts.sync = true;
			break;
		case 't':
			opts.threads = atoi(optarg);
			break;
		case 'w':
			opts.writers = atoi(optarg);
			break;
		case 'p':
			opts.progress = show_progress;
			break;
		case 'S':
			stats = 1;
			break;
		default:
			return 2;
		}
	}
	if (rm) {
		if (argc - optind != 1)
			return 2;
		return fs_remove_tree(argv[optind], 0, VZL_STEP_NONE, &e) < 0 ? fail(e) : 0;
	}
	if (argc - optind != 2) {
		fprintf(stderr, "usage: vzl-extract [--into] [--sync] [--threads N] [--progress] "
				"[--writers N] [--stats] ARCHIVE DEST | --rm PATH\n");
		return 2;
	}
	const char *archive = argv[optind], *dest = argv[optind + 1];
	struct extract_stats st;

	if (into) {
		if (extract_archive(archive, dest, &opts, &st, &e) < 0)
			return fail(e);
	} else {
		char tmp[4096];
		if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", dest) >= sizeof(tmp))
			return 2;
		struct stat sb;
		if (lstat(dest, &sb) == 0 && !(S_ISDIR(sb.st_mode) && rmdir(dest) == 0)) {
			fprintf(stderr, "vzl-extract: '%s' exists\n", dest);
			return 1;
		}
		/* A leftover of an interrupted run goes first, never followed if a link. */
		if (fs_remove_tree(tmp, 0, VZL_STEP_EXTRACT, &e) < 0)
			return fail(e);
		if (mkdir(tmp, 0700) < 0) {
			fprintf(stderr, "vzl-extract: cannot create '%s': %m\n", tmp);
			return 1;
		}
		if (extract_archive(archive, tmp, &opts, &st, &e) < 0) {
			vzl_error *e2 = NULL;
			if (fs_remove_tree(tmp, 0, VZL_STEP_EXTRACT, &e2) < 0)
				fail(e2);
			return fail(e);
		}
		if (rename(tmp, dest) < 0) {
			fprintf(stderr, "vzl-extract: cannot rename '%s' to '%s': %m\n", tmp, dest);
			return 1;
		}
	}
	if (opts.progress)
		fputc('\n', stderr);
	if (stats)
		printf("entries %" PRIu64 " files %" PRIu64 " dirs %" PRIu64 " symlinks %" PRIu64
		       " hardlinks %" PRIu64 " devices %" PRIu64 " fifos %" PRIu64
		       " data_bytes %" PRIu64 " archive_bytes %" PRIu64 " xattrs %" PRIu64
		       " xattrs_skipped %" PRIu64 " acls_skipped %" PRIu64
		       " filter %s threaded %d writers %u xz_threads %u\n",
		       st.entries, st.files, st.dirs, st.symlinks, st.hardlinks, st.devices,
		       st.fifos, st.data_bytes, st.archive_bytes, st.xattrs, st.xattrs_skipped,
		       st.acls_skipped, st.filter, st.threaded, st.writers, st.xz_threads);
	return 0;
}
