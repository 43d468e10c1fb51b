/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The decoder thread. perf-baseline.md measured a decoder thread feeding the thread that
 * creates files at -22% for xz and -10..14% for gzip: GNU tar gets that overlap by forking
 * gzip/xz, and a single-threaded libarchive loses it. Here a second libarchive reader, with
 * the decompression filters and the "raw" format, decodes into a ring of buffers; the tar
 * reader of the calling thread takes them through its read callback. Each buffer stays
 * valid until the next callback, which is what libarchive requires, so the only copy is
 * the one out of the decompressor. Memory is bounded by the ring, whatever the archive.
 * Without the thread (one CPU, or threads = 1) the same decoder runs inside the callback.
 *
 * gzip is decoded with zlib directly, not with libarchive's gzip filter: libarchive 3.6
 * does not check the CRC32 and length in the trailer of a gzip member ("XXX TODO: Verify
 * the length and CRC" in archive_read_support_filter_gzip.c), so damage inside stored
 * blocks would go unnoticed, where GNU tar's gzip child reports it. zlib's inflate in gzip
 * mode checks both. The other decoders check their streams themselves (xz, bzip2; zstd
 * when the frame has a checksum, which the zstd tool writes by default).
 *
 * xz with several blocks (xz -T, or --block-size) is decoded with liblzma's multi-threaded
 * decoder (liblzma >= 5.4; libarchive 3.6 only uses the single-threaded one), when the
 * decoder thread is wanted: the blocks are independent, so n CPUs decode n blocks at once.
 * The block count comes from the index at the end of the file (its last stream); an archive
 * of one block keeps libarchive's decoder, as does a liblzma that has no threaded decoder
 * (probed by version at build and run time, and by the decoder's own answer).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#ifdef VZL_HAVE_LZMA
#include <lzma.h>
#endif

#include <archive.h>
#include <archive_entry.h>

#include "error.h"
#include "extract-decode.h"
#include "macro.h"

#define QBUF_SIZE  (256 * 1024)
#define QBUF_COUNT 8
#define READ_BLOCK (1024 * 1024)

struct xdec {
	struct archive *dec; /* libarchive with "raw" format, or NULL for gzip */
	/* gzip through zlib */
	int fd;
	z_stream z;
	bool z_init, member_done, in_eof;
	unsigned char *in;
	uint64_t in_total;
#ifdef VZL_HAVE_LZMA
	/* xz through liblzma's threaded decoder */
	lzma_stream xz;
	bool xz_init;
#endif
	unsigned int xz_threads;

	bool threaded;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t not_empty, not_full;
	char *buf[QBUF_COUNT];
	size_t len[QBUF_COUNT];
	unsigned int head, count; /* filled buffers: count of them from head */
	bool held;                /* the reader holds buf[head] */
	bool eof, stop, failed;
	char errmsg[512];
	int errcode;
	uint64_t in_bytes; /* atomic */
};

void xdec_support_filters(struct archive *a)
{
	/* Only in-process decoders: no lrzip/lzop/grzip external programs. */
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_bzip2(a);
	archive_read_support_filter_xz(a);
	archive_read_support_filter_lzma(a);
	archive_read_support_filter_zstd(a);
	archive_read_support_filter_lz4(a);
	archive_read_support_filter_compress(a);
}

static const char *filter_name(int code)
{
	switch (code) {
	case ARCHIVE_FILTER_NONE:
		return "none";
	case ARCHIVE_FILTER_GZIP:
		return "gzip";
	case ARCHIVE_FILTER_BZIP2:
		return "bzip2";
	case ARCHIVE_FILTER_XZ:
		return "xz";
	case ARCHIVE_FILTER_LZMA:
		return "lzma";
	case ARCHIVE_FILTER_ZSTD:
		return "zstd";
	case ARCHIVE_FILTER_LZ4:
		return "lz4";
	case ARCHIVE_FILTER_COMPRESS:
		return "compress";
	default:
		return "other";
	}
}

static la_ssize_t fill_error(struct xdec *d, int code, const char *msg)
{
	d->errcode = code;
	snprintf(d->errmsg, sizeof(d->errmsg), "%s", msg);
	return -1;
}

/* The next block of compressed input into d->in: its length, 0 at the end (in_eof set), or
 * -1 after fill_error. */
static ssize_t read_input(struct xdec *d)
{
	ssize_t n;
	do
		n = read(d->fd, d->in, READ_BLOCK);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return fill_error(d, errno, strerror(errno));
	if (n == 0)
		d->in_eof = true;
	d->in_total += (uint64_t)n;
	return n;
}

/* Decode gzip members (one or several, as gzip -d does) into buf[0..size). */
static la_ssize_t fill_gzip(struct xdec *d, char *buf, size_t size)
{
	d->z.next_out = (unsigned char *)buf;
	d->z.avail_out = (uInt)size;
	while (d->z.avail_out > 0) {
		if (d->z.avail_in == 0 && !d->in_eof) {
			ssize_t n = read_input(d);
			if (n < 0)
				return -1;
			d->z.next_in = d->in;
			d->z.avail_in = (uInt)n;
		}
		if (d->member_done) {
			/* Another member follows, or trailing bytes that gzip -d ignores too. */
			if (d->z.avail_in == 0 || d->z.next_in[0] != 0x1f) {
				d->z.avail_in = 0;
				d->in_eof = true;
				break;
			}
			inflateReset(&d->z);
			d->member_done = false;
		}
		if (d->z.avail_in == 0 && d->in_eof)
			return fill_error(d, EIO, "truncated gzip input");
		int r = inflate(&d->z, Z_NO_FLUSH);
		if (r == Z_STREAM_END)
			d->member_done = true; /* CRC32 and length checked by zlib */
		else if (r == Z_BUF_ERROR && d->z.avail_in == 0)
			continue;
		else if (r != Z_OK)
			return fill_error(d, r == Z_MEM_ERROR ? ENOMEM : EIO,
					  d->z.msg ? d->z.msg : "gzip data error");
	}
	return (la_ssize_t)(size - d->z.avail_out);
}

#ifdef VZL_HAVE_LZMA
/* liblzma's threaded decoder needs 5.4.0 (stable); the library linked may be older. */
#define XZ_MT_VERSION 50040002u
/*
 * What liblzma's threads may use between them, decoded blocks waiting included; it runs
 * fewer threads, or one, beyond. liblzma counts a whole dictionary per thread (8 MiB for
 * xz -6) though a block touches at most its own size of it: two threads on blocks of up to
 * 2 MiB fit, and the extraction stays within 32 MiB. Blocks of xz -T's default size (three
 * dictionaries, 24 MiB for -6) are decoded in one thread, as before.
 */
#define XZ_MT_MEMLIMIT (22u << 20)
#define XZ_MT_THREADS  4

static const char *xz_message(lzma_ret r)
{
	switch (r) {
	case LZMA_MEM_ERROR:
		return "out of memory";
	case LZMA_MEMLIMIT_ERROR:
		return "the memory limit was reached";
	case LZMA_FORMAT_ERROR:
		return "not in the .xz format";
	case LZMA_OPTIONS_ERROR:
		return "unsupported xz options";
	case LZMA_DATA_ERROR:
		return "xz data is corrupt";
	case LZMA_BUF_ERROR:
		return "truncated xz input";
	default:
		return "xz decoding failed";
	}
}

static la_ssize_t fill_xz(struct xdec *d, char *buf, size_t size)
{
	d->xz.next_out = (uint8_t *)buf;
	d->xz.avail_out = size;
	while (d->xz.avail_out > 0 && !d->member_done) {
		if (d->xz.avail_in == 0 && !d->in_eof) {
			ssize_t n = read_input(d);
			if (n < 0)
				return -1;
			d->xz.next_in = d->in;
			d->xz.avail_in = (size_t)n;
		}
		lzma_ret r = lzma_code(&d->xz, d->in_eof ? LZMA_FINISH : LZMA_RUN);
		if (r == LZMA_STREAM_END)
			d->member_done = true; /* every stream's check verified by liblzma */
		else if (r != LZMA_OK)
			return fill_error(d, r == LZMA_MEM_ERROR ? ENOMEM : EIO, xz_message(r));
	}
	return (la_ssize_t)(size - d->xz.avail_out);
}

/*
 * The number of blocks of the last stream of the .xz file on `fd`, from its index (0 when
 * it cannot be read: then libarchive's decoder reports what is wrong).
 */
static uint64_t xz_blocks(int fd)
{
	uint8_t foot[LZMA_STREAM_HEADER_SIZE];
	lzma_stream_flags flags;
	struct stat st;
	uint64_t blocks = 0;

	if (fstat(fd, &st) < 0 || st.st_size < 2 * LZMA_STREAM_HEADER_SIZE)
		return 0;
	off_t end = st.st_size;
	/* Stream padding (multiples of four zero bytes) may follow the stream. */
	for (;;) {
		if (end < 2 * LZMA_STREAM_HEADER_SIZE ||
		    pread(fd, foot, sizeof(foot), end - LZMA_STREAM_HEADER_SIZE) !=
			    (ssize_t)sizeof(foot))
			return 0;
		if (foot[8] | foot[9] | foot[10] | foot[11])
			break;
		end -= 4;
	}
	if (lzma_stream_footer_decode(&flags, foot) != LZMA_OK ||
	    flags.backward_size > (8u << 20) ||
	    (off_t)flags.backward_size > end - 2 * LZMA_STREAM_HEADER_SIZE)
		return 0;
	uint8_t *ib = malloc(flags.backward_size);
	if (!ib)
		return 0;
	lzma_index *idx = NULL;
	uint64_t memlimit = 16u << 20;
	size_t pos = 0;
	off_t at = end - LZMA_STREAM_HEADER_SIZE - (off_t)flags.backward_size;
	if (pread(fd, ib, flags.backward_size, at) == (ssize_t)flags.backward_size &&
	    lzma_index_buffer_decode(&idx, &memlimit, NULL, ib, &pos, flags.backward_size) ==
		    LZMA_OK) {
		blocks = lzma_index_block_count(idx);
		lzma_index_end(idx, NULL);
	}
	free(ib);
	return blocks;
}

/*
 * Switch `d` to liblzma's threaded decoder when the archive has several blocks. Returns
 * true if it did (then libarchive's reader is gone and decoding starts at byte 0).
 */
static bool xz_start_mt(struct xdec *d, int fd)
{
	if (lzma_version_number() < XZ_MT_VERSION || xz_blocks(fd) < 2)
		return false;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	lzma_mt mt = {
		.flags = LZMA_CONCATENATED,
		.threads = cpus > XZ_MT_THREADS ? XZ_MT_THREADS
			   : cpus < 2           ? 2
						: (uint32_t)cpus,
		.memlimit_threading = XZ_MT_MEMLIMIT,
		.memlimit_stop = UINT64_MAX,
	};
	d->xz = (lzma_stream)LZMA_STREAM_INIT;
	if (lzma_stream_decoder_mt(&d->xz, &mt) != LZMA_OK)
		return false;
	d->in = malloc(READ_BLOCK);
	if (!d->in || lseek(fd, 0, SEEK_SET) < 0) {
		lzma_end(&d->xz);
		free(d->in);
		d->in = NULL;
		return false;
	}
	d->xz_init = true;
	d->xz_threads = mt.threads;
	d->fd = fd;
	archive_read_free(d->dec);
	d->dec = NULL;
	return true;
}
#endif

/* Fill buf with decoded data: the byte count, 0 at the end, -1 with errmsg set. */
static la_ssize_t fill(struct xdec *d, char *buf, size_t size)
{
	la_ssize_t n;
#ifdef VZL_HAVE_LZMA
	if (d->xz_init) {
		n = fill_xz(d, buf, size);
		__atomic_store_n(&d->in_bytes, d->in_total - d->xz.avail_in, __ATOMIC_RELAXED);
		return n;
	}
#endif
	if (!d->dec) {
		n = fill_gzip(d, buf, size);
		__atomic_store_n(&d->in_bytes, d->in_total - d->z.avail_in, __ATOMIC_RELAXED);
		return n;
	}
	size_t got = 0;
	n = 0;
	/* Fill the whole buffer: fewer hand-overs, and libarchive may return less. */
	while (got < size) {
		n = archive_read_data(d->dec, buf + got, size - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	__atomic_store_n(&d->in_bytes, (uint64_t)archive_filter_bytes(d->dec, -1),
			 __ATOMIC_RELAXED);
	if (n < 0)
		return fill_error(d, archive_errno(d->dec) > 0 ? archive_errno(d->dec) : EIO,
				  archive_error_string(d->dec) ?: "decompression failed");
	return (la_ssize_t)got;
}

static void *decode_thread(void *arg)
{
	struct xdec *d = arg;

	for (;;) {
		pthread_mutex_lock(&d->lock);
		while (d->count == QBUF_COUNT && !d->stop)
			pthread_cond_wait(&d->not_full, &d->lock);
		if (d->stop) {
			pthread_mutex_unlock(&d->lock);
			return NULL;
		}
		unsigned int slot = (d->head + d->count) % QBUF_COUNT;
		pthread_mutex_unlock(&d->lock);

		la_ssize_t n = fill(d, d->buf[slot], QBUF_SIZE);

		pthread_mutex_lock(&d->lock);
		if (n > 0) {
			d->len[slot] = (size_t)n;
			d->count++;
		} else if (n < 0) {
			d->failed = true;
		} else {
			d->eof = true;
		}
		bool done = d->failed || d->eof;
		pthread_cond_signal(&d->not_empty);
		pthread_mutex_unlock(&d->lock);
		if (done)
			return NULL;
	}
}

static la_ssize_t queue_read(struct archive *a, void *arg, const void **ret_buf)
{
	struct xdec *d = arg;

	if (!d->threaded) {
		la_ssize_t n = fill(d, d->buf[0], QBUF_SIZE);
		if (n < 0)
			archive_set_error(a, d->errcode, "%s", d->errmsg);
		*ret_buf = d->buf[0];
		return n;
	}
	pthread_mutex_lock(&d->lock);
	if (d->held) {
		d->held = false;
		d->head = (d->head + 1) % QBUF_COUNT;
		d->count--;
		pthread_cond_signal(&d->not_full);
	}
	while (d->count == 0 && !d->eof && !d->failed)
		pthread_cond_wait(&d->not_empty, &d->lock);
	la_ssize_t n;
	if (d->count > 0) {
		d->held = true;
		*ret_buf = d->buf[d->head];
		n = (la_ssize_t)d->len[d->head];
	} else if (d->failed) {
		archive_set_error(a, d->errcode, "%s", d->errmsg);
		n = -1;
	} else {
		n = 0;
	}
	pthread_mutex_unlock(&d->lock);
	return n;
}

static void xdec_free(struct xdec *d)
{
	if (d->dec)
		archive_read_free(d->dec);
	if (d->z_init)
		inflateEnd(&d->z);
#ifdef VZL_HAVE_LZMA
	if (d->xz_init)
		lzma_end(&d->xz);
#endif
	free(d->in);
	for (unsigned int i = 0; i < QBUF_COUNT; i++)
		free(d->buf[i]);
	pthread_mutex_destroy(&d->lock);
	pthread_cond_destroy(&d->not_empty);
	pthread_cond_destroy(&d->not_full);
	free(d);
}

int xdec_start(int fd, const char *label, unsigned int veid, bool thread, struct xdec **ret,
	       const char **ret_filter, vzl_error **err)
{
	struct archive_entry *ae;
	struct xdec *d = calloc(1, sizeof(*d));
	if (!d)
		return error_set(err, ENOMEM, veid, VZL_STEP_EXTRACT, NULL, "out of memory");
	pthread_mutex_init(&d->lock, NULL);
	pthread_cond_init(&d->not_empty, NULL);
	pthread_cond_init(&d->not_full, NULL);

	int r;
	d->dec = archive_read_new();
	if (!d->dec) {
		r = error_set(err, ENOMEM, veid, VZL_STEP_EXTRACT, NULL, "out of memory");
		goto fail;
	}
	xdec_support_filters(d->dec);
	archive_read_support_format_raw(d->dec);
	if (archive_read_open_fd(d->dec, fd, READ_BLOCK) != ARCHIVE_OK ||
	    archive_read_next_header(d->dec, &ae) != ARCHIVE_OK) {
		int e = archive_errno(d->dec) > 0 ? archive_errno(d->dec) : EIO;
		r = error_set(err, e, veid, VZL_STEP_EXTRACT, NULL,
			      "cannot read the template cache '%s': %s", label,
			      archive_error_string(d->dec) ?: "unknown error");
		goto fail;
	}
	int code = archive_filter_code(d->dec, 0);
	*ret_filter = filter_name(code);
	if (code == ARCHIVE_FILTER_NONE) {
		xdec_free(d);
		if (lseek(fd, 0, SEEK_SET) < 0)
			return error_set(err, errno, veid, VZL_STEP_EXTRACT, NULL,
					 "cannot rewind the template cache '%s': %m", label);
		return 0;
	}
	if (code == ARCHIVE_FILTER_GZIP && archive_filter_count(d->dec) == 2) {
		archive_read_free(d->dec);
		d->dec = NULL;
		d->fd = fd;
		d->in = malloc(READ_BLOCK);
		if (!d->in || lseek(fd, 0, SEEK_SET) < 0 || inflateInit2(&d->z, 15 + 16) != Z_OK) {
			r = error_set(err, d->in ? EIO : ENOMEM, veid, VZL_STEP_EXTRACT, NULL,
				      "cannot start decoding the template cache '%s'", label);
			goto fail;
		}
		d->z_init = true;
	}
#ifdef VZL_HAVE_LZMA
	if (code == ARCHIVE_FILTER_XZ && archive_filter_count(d->dec) == 2 && thread)
		xz_start_mt(d, fd);
#endif

	for (unsigned int i = 0; i < (thread ? QBUF_COUNT : 1); i++) {
		d->buf[i] = malloc(QBUF_SIZE);
		if (!d->buf[i]) {
			r = error_set(err, ENOMEM, veid, VZL_STEP_EXTRACT, NULL, "out of memory");
			goto fail;
		}
	}
	if (thread) {
		/* Signals stay with the calling thread. */
		sigset_t all, old;
		sigfillset(&all);
		pthread_sigmask(SIG_SETMASK, &all, &old);
		r = pthread_create(&d->thread, NULL, decode_thread, d);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		if (r != 0) {
			r = error_set(err, r, veid, VZL_STEP_EXTRACT, NULL,
				      "cannot start the decoder thread: %s", strerror(r));
			goto fail;
		}
		d->threaded = true;
	}
	*ret = d;
	return 1;
fail:
	xdec_free(d);
	return r;
}

int xdec_open(struct xdec *d, struct archive *a)
{
	return archive_read_open(a, d, NULL, queue_read, NULL);
}

uint64_t xdec_in_bytes(struct xdec *d)
{
	return __atomic_load_n(&d->in_bytes, __ATOMIC_RELAXED);
}

bool xdec_threaded(const struct xdec *d)
{
	return d && d->threaded;
}

unsigned int xdec_xz_threads(const struct xdec *d)
{
	return d ? d->xz_threads : 0;
}

void xdec_stop(struct xdec *d)
{
	if (!d)
		return;
	if (!d->threaded) {
		xdec_free(d);
		return;
	}
	pthread_mutex_lock(&d->lock);
	d->stop = true;
	pthread_cond_signal(&d->not_full);
	pthread_mutex_unlock(&d->lock);
	pthread_join(d->thread, NULL);
	xdec_free(d);
}
