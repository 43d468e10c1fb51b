/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* quota_scan_apply: a scan's usage put into a quota file as vzquota does after its scan. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/test.h"
#include "quota-scan.h"

static struct quota_ugid_record rec(uint32_t type, uint32_t id, uint64_t bsoft, uint64_t bcur,
				    uint32_t icur, uint32_t flags)
{
	return (struct quota_ugid_record){
		.type = type,
		.id = id,
		.flags = flags,
		.stat = { .bsoftlimit = bsoft,
			  .bhardlimit = bsoft,
			  .bcurrent = bcur,
			  .icurrent = icur,
			  .btime = 77 },
	};
}

int main(void)
{
	struct quota_file q = { 0 };
	q.n_records = 4;
	q.records = calloc(q.n_records, sizeof(*q.records));
	q.records[0] = rec(QUOTA_USER, 600, 0, 5000, 5, 1);       /* no limit: usage only */
	q.records[1] = rec(QUOTA_USER, 500, 1 << 20, 9999, 9, 1); /* a limit */
	q.records[2] = rec(QUOTA_GROUP, 7, 0, 1, 1, 0);           /* seen again below */
	q.records[3] = rec(QUOTA_GROUP, 8, 4096, 0, 0, 2);        /* a limit, not seen */
	q.stat.bhardlimit = 123;

	struct quota_ugid_usage u[] = {
		{ QUOTA_USER, 500, 4096, 2 },
		{ QUOTA_USER, 700, 8192, 3 },
		{ QUOTA_GROUP, 7, 12288, 5 },
	};
	struct quota_scan_result s = { .space = 12288, .inodes = 5, .ugid = u, .n_ugid = 3 };
	CHECK_INT(quota_scan_apply(&s, &q), 0);
	CHECK_INT(q.stat.bcurrent, 12288);
	CHECK_INT(q.stat.icurrent, 5);
	CHECK_INT(q.stat.bhardlimit, 123);
	/* 600: no limit and no usage left: dropped. 8: a limit, so kept with zero usage. */
	CHECK_INT(q.n_records, 4);
	CHECK(quota_file_find(&q, QUOTA_USER, 600) == NULL);
	struct quota_ugid_record *r = quota_file_find(&q, QUOTA_USER, 500);
	CHECK(r && r->stat.bcurrent == 4096 && r->stat.icurrent == 2 &&
	      r->stat.bsoftlimit == 1 << 20 && r->stat.btime == 77 && r->flags == 1);
	r = quota_file_find(&q, QUOTA_USER, 700);
	CHECK(r && r->stat.bcurrent == 8192 && r->stat.icurrent == 3 && r->stat.bsoftlimit == 0 &&
	      r->flags == 0);
	r = quota_file_find(&q, QUOTA_GROUP, 7);
	CHECK(r && r->stat.bcurrent == 12288 && r->stat.icurrent == 5);
	r = quota_file_find(&q, QUOTA_GROUP, 8);
	CHECK(r && r->stat.bcurrent == 0 && r->stat.icurrent == 0 && r->stat.bsoftlimit == 4096);
	/* Users before groups, each by id. */
	CHECK(q.records[0].type == QUOTA_USER && q.records[0].id == 500);
	CHECK(q.records[1].type == QUOTA_USER && q.records[1].id == 700);
	CHECK(q.records[2].type == QUOTA_GROUP && q.records[2].id == 7);

	/* More inodes than the file's 32 bits: refused, the file data unchanged. */
	struct quota_scan_result big = { .space = 1, .inodes = (uint64_t)UINT32_MAX + 1 };
	CHECK_INT(quota_scan_apply(&big, &q), -EOVERFLOW);
	CHECK_INT(q.stat.icurrent, 5);
	quota_file_clear(&q);
	return test_summary("test-quota-apply");
}
