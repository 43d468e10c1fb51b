/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The bytes of vzquota's quota file (vzctl-behaviour.md §4.3; facts from kolyshkin/vzquota
 * include/quota_io.h, include/linux/vzquota.h, src/quota_io.c).
 *
 * vzquota writes its C structs as they lie in memory: native byte order, native alignment,
 * the kernel's `time_t` (a long) and `size_t`. The structs below declare the same members in
 * the same order so the compiler lays them out as vzquota's build does on this ABI (x86_64
 * sizes 80/64/72, i386 56/40/56: asserted below). Padding is written as zero bytes.
 *
 *   header        int magic, int flags
 *   stat          dq_stat + dq_info
 *   path_len      size_t, then path_len bytes of path (no NUL)
 *   ugid info     u32 limit, count, flags, u32 buf_size, dq_info[2]
 *   records       buf_size x { u32 id, u32 type, dq_stat, u32 flags }
 *   checksum      u64: XOR of every 8-byte word before it, the last one zero-padded
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "quota-file.h"

#define QUOTA_MAGIC_V3 0xFEDCBC27u
#define QUOTA_MAGIC_V2 0xFEDCBB00u
#define QUOTA_MAGIC_V1 0xFEDCBA98u

/* vzquota itself keeps paths in buffers of a few KiB; anything longer is not its file. */
#define QUOTA_PATH_MAX 4096

struct disk_header {
	int32_t magic;
	int32_t flags;
};

struct disk_dq_stat {
	uint64_t bhardlimit;
	uint64_t bsoftlimit;
	long btime;
	uint64_t bcurrent;
	uint32_t ihardlimit;
	uint32_t isoftlimit;
	long itime;
	uint32_t icurrent;
};

struct disk_dq_info {
	long bexpire;
	long iexpire;
	unsigned int flags;
};

struct disk_stat {
	struct disk_dq_stat dq_stat;
	struct disk_dq_info dq_info;
};

struct disk_ugid_info {
	uint32_t limit;
	uint32_t count;
	uint32_t flags;
	uint32_t buf_size;
	struct disk_dq_info grace[2];
};

struct disk_record {
	uint32_t id;
	uint32_t type;
	struct disk_dq_stat stat;
	uint32_t flags;
};

#if ULONG_MAX == 0xffffffffffffffffUL && defined(__x86_64__)
_Static_assert(sizeof(struct disk_stat) == 80, "x86_64 vz_quota_stat is 80 bytes");
_Static_assert(sizeof(struct disk_ugid_info) == 64, "x86_64 ugid_info is 64 bytes");
_Static_assert(sizeof(struct disk_record) == 72, "x86_64 ugid_obj is 72 bytes");
#elif defined(__i386__)
_Static_assert(sizeof(struct disk_stat) == 56, "i386 vz_quota_stat is 56 bytes");
_Static_assert(sizeof(struct disk_ugid_info) == 40, "i386 ugid_info is 40 bytes");
_Static_assert(sizeof(struct disk_record) == 56, "i386 ugid_obj is 56 bytes");
#endif

#define OFF_STAT      sizeof(struct disk_header)
#define OFF_PATH_LEN  (OFF_STAT + sizeof(struct disk_stat))
#define OFF_PATH      (OFF_PATH_LEN + sizeof(size_t))
#define CHECKSUM_SIZE sizeof(uint64_t)

void quota_file_clear(struct quota_file *q)
{
	free(q->path);
	free(q->records);
	memset(q, 0, sizeof(*q));
}

static uint64_t checksum(const unsigned char *buf, size_t len)
{
	uint64_t sum = 0, w;
	size_t i = 0;
	for (; i + sizeof(w) <= len; i += sizeof(w)) {
		memcpy(&w, buf + i, sizeof(w));
		sum ^= w;
	}
	if (i < len) {
		w = 0;
		memcpy(&w, buf + i, len - i);
		sum ^= w;
	}
	return sum;
}

static int to_long(int64_t v, long *ret)
{
	if (v < LONG_MIN || v > LONG_MAX)
		return -EINVAL;
	*ret = (long)v;
	return 0;
}

static int encode_dq_stat(const struct quota_stat *s, struct disk_dq_stat *d)
{
	d->bhardlimit = s->bhardlimit;
	d->bsoftlimit = s->bsoftlimit;
	d->bcurrent = s->bcurrent;
	d->ihardlimit = s->ihardlimit;
	d->isoftlimit = s->isoftlimit;
	d->icurrent = s->icurrent;
	if (to_long(s->btime, &d->btime) < 0 || to_long(s->itime, &d->itime) < 0)
		return -EINVAL;
	return 0;
}

static int encode_dq_info(const struct quota_grace *g, struct disk_dq_info *d)
{
	d->flags = g->flags;
	if (to_long(g->bexpire, &d->bexpire) < 0 || to_long(g->iexpire, &d->iexpire) < 0)
		return -EINVAL;
	return 0;
}

static void decode_dq_stat(const struct disk_dq_stat *d, struct quota_stat *s)
{
	*s = (struct quota_stat){
		.bhardlimit = d->bhardlimit,
		.bsoftlimit = d->bsoftlimit,
		.btime = d->btime,
		.bcurrent = d->bcurrent,
		.ihardlimit = d->ihardlimit,
		.isoftlimit = d->isoftlimit,
		.itime = d->itime,
		.icurrent = d->icurrent,
	};
}

static void decode_dq_info(const struct disk_dq_info *d, struct quota_grace *g)
{
	*g = (struct quota_grace){ .bexpire = d->bexpire,
				   .iexpire = d->iexpire,
				   .flags = d->flags };
}

int quota_file_encode(const struct quota_file *q, unsigned char **ret, size_t *ret_len)
{
	size_t path_len = q->path ? strlen(q->path) : 0;
	if (path_len > QUOTA_PATH_MAX || q->n_records > UINT32_MAX ||
	    q->n_records > (SIZE_MAX / 2) / sizeof(struct disk_record))
		return -EINVAL;
	size_t off_ugid = OFF_PATH + path_len;
	size_t off_rec = off_ugid + sizeof(struct disk_ugid_info);
	size_t len = off_rec + q->n_records * sizeof(struct disk_record) + CHECKSUM_SIZE;
	_cleanup_free_ unsigned char *buf = calloc(1, len);
	if (!buf)
		return -ENOMEM;

	/* Every struct is built zeroed and copied, so its padding is zero in the file. */
	struct disk_header h = { 0 };
	h.magic = (int32_t)QUOTA_MAGIC_V3;
	h.flags = (int32_t)q->flags;
	memcpy(buf, &h, sizeof(h));

	struct disk_stat st;
	memset(&st, 0, sizeof(st));
	if (encode_dq_stat(&q->stat, &st.dq_stat) < 0 || encode_dq_info(&q->grace, &st.dq_info) < 0)
		return -EINVAL;
	memcpy(buf + OFF_STAT, &st, sizeof(st));

	size_t pl = path_len;
	memcpy(buf + OFF_PATH_LEN, &pl, sizeof(pl));
	if (path_len)
		memcpy(buf + OFF_PATH, q->path, path_len);

	struct disk_ugid_info ui;
	memset(&ui, 0, sizeof(ui));
	ui.limit = q->ugid_limit;
	ui.count = q->ugid_count;
	ui.flags = q->ugid_flags;
	ui.buf_size = (uint32_t)q->n_records;
	for (int t = 0; t < 2; t++)
		if (encode_dq_info(&q->ugid_grace[t], &ui.grace[t]) < 0)
			return -EINVAL;
	memcpy(buf + off_ugid, &ui, sizeof(ui));

	for (size_t i = 0; i < q->n_records; i++) {
		const struct quota_ugid_record *r = &q->records[i];
		struct disk_record d;
		memset(&d, 0, sizeof(d));
		if (r->type > QUOTA_GROUP || encode_dq_stat(&r->stat, &d.stat) < 0)
			return -EINVAL;
		d.id = r->id;
		d.type = r->type;
		d.flags = r->flags;
		memcpy(buf + off_rec + i * sizeof(d), &d, sizeof(d));
	}

	uint64_t sum = checksum(buf, len - CHECKSUM_SIZE);
	memcpy(buf + len - CHECKSUM_SIZE, &sum, sizeof(sum));
	*ret = TAKE_PTR(buf);
	*ret_len = len;
	return 0;
}

/* Users before groups, then by id: the order the file's records are written in. */
int quota_record_cmp(const void *a, const void *b)
{
	const struct quota_ugid_record *x = a, *y = b;
	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int has_duplicate(const struct quota_ugid_record *recs, size_t n)
{
	if (n < 2)
		return 0;
	_cleanup_free_ struct quota_ugid_record *sorted = malloc(n * sizeof(*sorted));
	if (!sorted)
		return -ENOMEM;
	memcpy(sorted, recs, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), quota_record_cmp);
	for (size_t i = 1; i < n; i++)
		if (quota_record_cmp(&sorted[i - 1], &sorted[i]) == 0)
			return 1;
	return 0;
}

static int corrupt(const char **ret_why, const char *why)
{
	*ret_why = why;
	return -EBADMSG;
}

int quota_file_decode(const unsigned char *buf, size_t len, struct quota_file *ret,
		      const char **ret_why)
{
	struct disk_header h;
	if (len < sizeof(h))
		return corrupt(ret_why, "shorter than its header");
	memcpy(&h, buf, sizeof(h));
	uint32_t magic = (uint32_t)h.magic;
	if (magic == QUOTA_MAGIC_V2 || magic == QUOTA_MAGIC_V1) {
		*ret_why = "written by an old vzquota (format version 1 or 2)";
		return -EPROTO;
	}
	if (magic != QUOTA_MAGIC_V3)
		return corrupt(ret_why, "not a vzquota file (bad magic number)");
	if (len < OFF_PATH + sizeof(struct disk_ugid_info) + CHECKSUM_SIZE)
		return corrupt(ret_why, "truncated (shorter than its fixed part)");

	uint64_t stored;
	memcpy(&stored, buf + len - CHECKSUM_SIZE, sizeof(stored));
	if (checksum(buf, len - CHECKSUM_SIZE) != stored)
		return corrupt(ret_why, "its checksum does not match its contents");

	size_t path_len;
	memcpy(&path_len, buf + OFF_PATH_LEN, sizeof(path_len));
	if (path_len > QUOTA_PATH_MAX)
		return corrupt(ret_why, "its stored path length is implausible");
	size_t off_ugid = OFF_PATH + path_len;
	size_t off_rec = off_ugid + sizeof(struct disk_ugid_info);
	if (len < off_rec + CHECKSUM_SIZE)
		return corrupt(ret_why, "truncated inside its path or uid/gid header");
	struct disk_ugid_info ui;
	memcpy(&ui, buf + off_ugid, sizeof(ui));
	size_t room = (len - off_rec - CHECKSUM_SIZE) / sizeof(struct disk_record);
	if (ui.buf_size > room)
		return corrupt(ret_why, "truncated inside its uid/gid records");
	if (off_rec + (size_t)ui.buf_size * sizeof(struct disk_record) + CHECKSUM_SIZE != len)
		return corrupt(ret_why, "longer than its uid/gid record count says");
	if (memchr(buf + OFF_PATH, '\0', path_len))
		return corrupt(ret_why, "its stored path contains a NUL byte");

	struct quota_file q = { 0 };
	q.flags = (uint32_t)h.flags;
	struct disk_stat st;
	memcpy(&st, buf + OFF_STAT, sizeof(st));
	decode_dq_stat(&st.dq_stat, &q.stat);
	decode_dq_info(&st.dq_info, &q.grace);
	if (path_len && !(q.path = strndup((const char *)buf + OFF_PATH, path_len)))
		return -ENOMEM;
	q.ugid_limit = ui.limit;
	q.ugid_count = ui.count;
	q.ugid_flags = ui.flags;
	decode_dq_info(&ui.grace[0], &q.ugid_grace[0]);
	decode_dq_info(&ui.grace[1], &q.ugid_grace[1]);
	if (ui.buf_size && !(q.records = calloc(ui.buf_size, sizeof(*q.records)))) {
		quota_file_clear(&q);
		return -ENOMEM;
	}
	q.n_records = ui.buf_size;
	for (size_t i = 0; i < q.n_records; i++) {
		struct disk_record d;
		memcpy(&d, buf + off_rec + i * sizeof(d), sizeof(d));
		if (d.type > QUOTA_GROUP) {
			quota_file_clear(&q);
			return corrupt(ret_why,
				       "a uid/gid record has a type other than user or group");
		}
		q.records[i].id = d.id;
		q.records[i].type = d.type;
		q.records[i].flags = d.flags;
		decode_dq_stat(&d.stat, &q.records[i].stat);
	}
	int r = has_duplicate(q.records, q.n_records);
	if (r != 0) {
		quota_file_clear(&q);
		return r < 0 ? r : corrupt(ret_why, "it holds the same uid or gid twice");
	}
	*ret = q;
	return 0;
}

struct quota_ugid_record *quota_file_find(const struct quota_file *q, uint32_t type, uint32_t id)
{
	for (size_t i = 0; i < q->n_records; i++)
		if (q->records[i].type == type && q->records[i].id == id)
			return &q->records[i];
	return NULL;
}
