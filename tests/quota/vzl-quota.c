/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Test driver for lib/quota-file.c, lib/quota-handle.c and lib/quota-scan.c (not installed).
 *
 *   vzl-quota read DIR VEID            print every field of DIR/quota.VEID as key=value lines
 *   vzl-quota write DIR VEID KEY=VAL…  create or replace the file with exactly these fields
 *   vzl-quota rewrite DIR VEID         read the file and write it back (what on/off do)
 *   vzl-quota rewrite-hold DIR VEID    the same, then print "written" and keep the handle
 *                                      open until stdin is closed
 *   vzl-quota create-abandon DIR VEID  create the file, then give up before writing it
 *   vzl-quota drop DIR VEID            remove the file under the lock
 *   vzl-quota scan [--ugid] [--exact] ROOT   print the usage of the tree
 *
 * Keys for write: flags, bhard, bsoft, btime, bcur, ihard, isoft, itime, icur, bexpire,
 * iexpire, iflags, path, ugid_limit, ugid_count, ugid_flags, ug{0,1}_{bexpire,iexpire,flags},
 * and rec=TYPE:ID:BHARD:BSOFT:BTIME:BCUR:IHARD:ISOFT:ITIME:ICUR:FLAGS (repeatable).
 * Errors: the message on stderr, and vzctl's exit code for it (cmd/exitcode.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../cmd/cli.h"
#include "quota-file.h"
#include "quota-scan.h"

static int fail(vzl_error *err)
{
	fprintf(stderr, "vzl-quota: %s\n", vzl_error_message(err));
	fprintf(stderr, "errno=%s\n", strerrorname_np(vzl_error_code(err)));
	int code = cli_exit_code(err);
	vzl_error_free(err);
	return code;
}

static void print_stat(const char *prefix, const struct quota_stat *s)
{
	printf("%sbhard=%" PRIu64 "\n%sbsoft=%" PRIu64 "\n%sbtime=%" PRId64 "\n%sbcur=%" PRIu64
	       "\n%sihard=%" PRIu32 "\n%sisoft=%" PRIu32 "\n%sitime=%" PRId64 "\n%sicur=%" PRIu32
	       "\n",
	       prefix, s->bhardlimit, prefix, s->bsoftlimit, prefix, s->btime, prefix, s->bcurrent,
	       prefix, s->ihardlimit, prefix, s->isoftlimit, prefix, s->itime, prefix, s->icurrent);
}

static void print_file(const struct quota_file *q)
{
	printf("flags=%" PRIu32 "\n", q->flags);
	print_stat("", &q->stat);
	printf("bexpire=%" PRId64 "\niexpire=%" PRId64 "\niflags=%" PRIu32 "\n", q->grace.bexpire,
	       q->grace.iexpire, q->grace.flags);
	printf("path=%s\n", q->path ? q->path : "");
	printf("ugid_limit=%" PRIu32 "\nugid_count=%" PRIu32 "\nugid_flags=%" PRIu32 "\n",
	       q->ugid_limit, q->ugid_count, q->ugid_flags);
	for (int t = 0; t < 2; t++)
		printf("ug%d_bexpire=%" PRId64 "\nug%d_iexpire=%" PRId64 "\nug%d_flags=%" PRIu32
		       "\n",
		       t, q->ugid_grace[t].bexpire, t, q->ugid_grace[t].iexpire, t,
		       q->ugid_grace[t].flags);
	for (size_t i = 0; i < q->n_records; i++) {
		const struct quota_ugid_record *r = &q->records[i];
		const struct quota_stat *s = &r->stat;
		printf("rec=%" PRIu32 ":%" PRIu32 ":%" PRIu64 ":%" PRIu64 ":%" PRId64 ":%" PRIu64
		       ":%" PRIu32 ":%" PRIu32 ":%" PRId64 ":%" PRIu32 ":%" PRIu32 "\n",
		       r->type, r->id, s->bhardlimit, s->bsoftlimit, s->btime, s->bcurrent,
		       s->ihardlimit, s->isoftlimit, s->itime, s->icurrent, r->flags);
	}
}

static int parse_record(const char *v, struct quota_ugid_record *r)
{
	unsigned long long f[11];
	long long bt, it;
	if (sscanf(v, "%llu:%llu:%llu:%llu:%lld:%llu:%llu:%llu:%lld:%llu:%llu", &f[0], &f[1], &f[2],
		   &f[3], &bt, &f[5], &f[6], &f[7], &it, &f[9], &f[10]) != 11)
		return -1;
	*r = (struct quota_ugid_record){
		.type = (uint32_t)f[0],
		.id = (uint32_t)f[1],
		.stat = { .bhardlimit = f[2],
			  .bsoftlimit = f[3],
			  .btime = bt,
			  .bcurrent = f[5],
			  .ihardlimit = (uint32_t)f[6],
			  .isoftlimit = (uint32_t)f[7],
			  .itime = it,
			  .icurrent = (uint32_t)f[9] },
		.flags = (uint32_t)f[10],
	};
	return 0;
}

static int set_field(struct quota_file *q, const char *arg)
{
	const char *eq = strchr(arg, '=');
	if (!eq)
		return -1;
	size_t kl = (size_t)(eq - arg);
	const char *v = eq + 1;
	char key[32];
	if (kl >= sizeof(key))
		return -1;
	memcpy(key, arg, kl);
	key[kl] = '\0';
	if (strcmp(key, "path") == 0) {
		free(q->path);
		q->path = *v ? strdup(v) : NULL;
		return 0;
	}
	if (strcmp(key, "rec") == 0) {
		struct quota_ugid_record *r = realloc(q->records, (q->n_records + 1) * sizeof(*r));
		if (!r)
			return -1;
		q->records = r;
		return parse_record(v, &q->records[q->n_records++]);
	}
	long long n = strtoll(v, NULL, 0);
	unsigned long long u = strtoull(v, NULL, 0);
	struct {
		const char *k;
		void *p;
		int size; /* 4 = u32, 8 = u64, -8 = s64 */
	} fields[] = {
		{ "flags", &q->flags, 4 },
		{ "bhard", &q->stat.bhardlimit, 8 },
		{ "bsoft", &q->stat.bsoftlimit, 8 },
		{ "btime", &q->stat.btime, -8 },
		{ "bcur", &q->stat.bcurrent, 8 },
		{ "ihard", &q->stat.ihardlimit, 4 },
		{ "isoft", &q->stat.isoftlimit, 4 },
		{ "itime", &q->stat.itime, -8 },
		{ "icur", &q->stat.icurrent, 4 },
		{ "bexpire", &q->grace.bexpire, -8 },
		{ "iexpire", &q->grace.iexpire, -8 },
		{ "iflags", &q->grace.flags, 4 },
		{ "ugid_limit", &q->ugid_limit, 4 },
		{ "ugid_count", &q->ugid_count, 4 },
		{ "ugid_flags", &q->ugid_flags, 4 },
		{ "ug0_bexpire", &q->ugid_grace[0].bexpire, -8 },
		{ "ug0_iexpire", &q->ugid_grace[0].iexpire, -8 },
		{ "ug0_flags", &q->ugid_grace[0].flags, 4 },
		{ "ug1_bexpire", &q->ugid_grace[1].bexpire, -8 },
		{ "ug1_iexpire", &q->ugid_grace[1].iexpire, -8 },
		{ "ug1_flags", &q->ugid_grace[1].flags, 4 },
	};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if (strcmp(key, fields[i].k) != 0)
			continue;
		if (fields[i].size == 4)
			*(uint32_t *)fields[i].p = (uint32_t)u;
		else if (fields[i].size == 8)
			*(uint64_t *)fields[i].p = u;
		else
			*(int64_t *)fields[i].p = n;
		return 0;
	}
	return -1;
}

static int progress_calls;
static uint64_t progress_last;

static int progress(uint64_t seen, void *userdata)
{
	(void)userdata;
	if (seen < progress_last)
		fprintf(stderr, "vzl-quota: progress went backwards\n");
	progress_calls++;
	progress_last = seen;
	return 0;
}

static int cmd_scan(int argc, char **argv)
{
	unsigned flags = 0;
	int i = 2;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--ugid") == 0)
			flags |= QUOTA_SCAN_UGID;
		else if (strcmp(argv[i], "--exact") == 0)
			flags |= QUOTA_SCAN_EXACT;
		else
			return 2;
	}
	if (i + 1 != argc)
		return 2;
	struct quota_scan_result res;
	vzl_error *err = NULL;
	if (quota_scan(argv[i], flags, progress, NULL, 101, &res, &err) < 0)
		return fail(err);
	printf("space=%" PRIu64 "\ninodes=%" PRIu64 "\nentries=%" PRIu64 "\ninexact=%d\n",
	       res.space, res.inodes, res.entries, res.inexact);
	printf("progress_calls=%d\nprogress_last=%" PRIu64 "\n", progress_calls, progress_last);
	for (size_t k = 0; k < res.n_ugid; k++)
		printf("%s=%" PRIu32 ":%" PRIu64 ":%" PRIu64 "\n",
		       res.ugid[k].type == QUOTA_USER ? "uid" : "gid", res.ugid[k].id,
		       res.ugid[k].space, res.ugid[k].inodes);
	quota_scan_result_clear(&res);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "scan") == 0)
		return cmd_scan(argc, argv);
	if (argc < 4)
		return 2;
	const char *cmd = argv[1], *dir = argv[2];
	unsigned veid = (unsigned)strtoul(argv[3], NULL, 10);
	enum quota_open_mode mode = strcmp(cmd, "write") == 0 || strcmp(cmd, "create-abandon") == 0
					    ? QUOTA_OPEN_CREATE
					    : QUOTA_OPEN_EXISTING;
	struct quota_handle *h;
	vzl_error *err = NULL;
	if (quota_handle_open(dir, veid, mode, &h, &err) < 0)
		return fail(err);
	struct quota_file q = { 0 };
	int r = 0;
	if (strcmp(cmd, "read") == 0 || strncmp(cmd, "rewrite", 7) == 0) {
		r = quota_handle_read(h, &q, &err);
		if (r == 0 && strcmp(cmd, "read") == 0)
			print_file(&q);
		if (r == 0 && strncmp(cmd, "rewrite", 7) == 0)
			r = quota_handle_write(h, &q, &err);
		if (r == 0 && strcmp(cmd, "rewrite-hold") == 0) {
			printf("written\n");
			fflush(stdout);
			while (getchar() != EOF)
				;
		}
	} else if (strcmp(cmd, "write") == 0) {
		for (int i = 4; i < argc; i++)
			if (set_field(&q, argv[i]) < 0) {
				fprintf(stderr, "vzl-quota: bad field %s\n", argv[i]);
				quota_handle_close(h);
				return 2;
			}
		r = quota_handle_write(h, &q, &err);
	} else if (strcmp(cmd, "drop") == 0) {
		r = quota_handle_unlink(h, &err);
	} else if (strcmp(cmd, "create-abandon") != 0) {
		quota_handle_close(h);
		return 2;
	}
	quota_file_clear(&q);
	quota_handle_close(h);
	return r < 0 ? fail(err) : 0;
}
