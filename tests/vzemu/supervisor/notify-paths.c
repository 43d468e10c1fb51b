// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The open/stat/access family on the model's paths: /dev/vzctl, /proc/vz[/...],
 * /proc/user_beancounters, /proc/bc[/...], /proc/fairsched, /proc/fairsched2.
 *
 * - /dev/vzctl (host only; absent inside a VE, as on a real node) opens as one shared
 *   placeholder memfd "vzemu:/dev/vzctl"; the supervisor recognises it later by dev/inode
 *   (stat of /proc/<pid>/fd/<n>), so ioctls on it reach the model and all others continue.
 *   stat() of the path shows a character device 126:0, mode 0600.
 * - /proc files: rendered by model_proc_render for this caller at open time, served as a
 *   read-only descriptor of a fresh memfd (injected with SECCOMP_ADDFD_FLAG_SEND).
 * - /proc directories (/proc/vz, /proc/bc, /proc/bc/<id>): a snapshot directory with empty
 *   entries named as the kernel's, so that readdir works.
 * Every other path continues to the real kernel.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "openvz.h"
#include "vzemu.h"

enum pkind { P_NONE, P_VZCTL, P_FILE, P_DIR };

static int normalize(const char *in, char *out, size_t len)
{
	char tmp[4096], *save = NULL, *tok;
	size_t o = 0;

	if (strlen(in) >= sizeof(tmp))
		return -ENAMETOOLONG;
	strcpy(tmp, in);
	out[0] = 0;
	for (tok = strtok_r(tmp, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		if (!strcmp(tok, "."))
			continue;
		if (!strcmp(tok, "..")) {
			char *sl = strrchr(out, '/');

			if (sl) {
				*sl = 0;
				o = (size_t)(sl - out);
			}
			continue;
		}
		if (o + strlen(tok) + 2 >= len)
			return -ENAMETOOLONG;
		out[o++] = '/';
		strcpy(out + o, tok);
		o += strlen(tok);
	}
	if (!o)
		strcpy(out, "/");
	return 0;
}

static int readlink_str(const char *p, char *out, size_t len)
{
	ssize_t n = readlink(p, out, len - 1);

	if (n < 0)
		return -errno;
	out[n] = 0;
	return 0;
}

int path_of_caller(pid_t tid, int dirfd, const char *path, char *out, size_t outlen)
{
	char base[4096], root[4096], p[64], joined[8300];
	size_t rl;

	if (path[0] == '/')
		return normalize(path, out, outlen);
	if (dirfd == AT_FDCWD)
		snprintf(p, sizeof(p), "/proc/%d/cwd", (int)tid);
	else
		snprintf(p, sizeof(p), "/proc/%d/fd/%d", (int)tid, dirfd);
	if (readlink_str(p, base, sizeof(base)) < 0)
		return -ENOENT;
	snprintf(p, sizeof(p), "/proc/%d/root", (int)tid);
	if (readlink_str(p, root, sizeof(root)) == 0 && strcmp(root, "/")) {
		rl = strlen(root);
		if (!strncmp(base, root, rl) && (base[rl] == '/' || !base[rl]))
			memmove(base, base + rl, strlen(base + rl) + 1);
	}
	snprintf(joined, sizeof(joined), "%s/%s", base, path);
	return normalize(joined, out, outlen);
}

static bool prefix(const char *s, const char *p)
{
	size_t n = strlen(p);

	return !strncmp(s, p, n) && (s[n] == 0 || s[n] == '/');
}

static int render(struct sup *s, struct call *c, const char *path, char **buf, size_t *len)
{
	int r;

	*buf = NULL;
	*len = 0;
	if (model_lock(s->model) < 0)
		return model_broken(s);
	r = model_proc_render(s->model, &c->caller, path, buf, len);
	model_unlock(s->model);
	return r;
}

/* Would an open of `path` find it (the model's answer without rendering the file)? */
static bool renders(struct sup *s, struct call *c, const char *path)
{
	int r;

	if (model_lock(s->model) < 0)
		return model_broken(s) != -ENOENT;
	r = model_proc_render(s->model, &c->caller, path, NULL, NULL);
	model_unlock(s->model);
	return r != -ENOENT;
}

static const char *const vz_files[] = { "veinfo",   "version",  "vestat",    "vzquota", "vzaquota",
					"devperms", "iostat",   "latency",   "stats",   "venetstat",
					"veth",     "vzuptime", "fairsched", NULL };
static const char *const bc_files[] = { "resources", "vmaux",         "dcache", "precharge",
					"ioprio",    "io_accounting", "debug",  NULL };

/* What `abs` is: ours and existing (P_*), -ENOENT when ours but absent, P_NONE otherwise */
static int classify(struct sup *s, struct call *c, const char *abs)
{
	unsigned int id;
	char tail[64], p[128];

	if (!strcmp(abs, OVZ_DEV_VZCTL))
		return c->caller.veid ? -ENOENT : P_VZCTL;
	if (!strcmp(abs, "/proc/vz") || !strcmp(abs, "/proc/bc"))
		return P_DIR;
	if (sscanf(abs, "/proc/bc/%u%63s", &id, tail) == 1) {
		snprintf(p, sizeof(p), "/proc/bc/%u/resources", id);
		return renders(s, c, p) ? P_DIR : -ENOENT;
	}
	if (prefix(abs, "/proc/vz") || prefix(abs, "/proc/bc") ||
	    !strcmp(abs, "/proc/user_beancounters") || !strcmp(abs, "/proc/fairsched") ||
	    !strcmp(abs, "/proc/fairsched2"))
		return renders(s, c, abs) ? P_FILE : -ENOENT;
	return P_NONE;
}

static int snapshot_dir(struct sup *s, struct call *c, const char *abs)
{
	static unsigned int counter;
	char dir[4300], p[4400];
	char *buf = NULL;
	size_t len;
	int fd;

	snprintf(dir, sizeof(dir), "%s/tmp", s->regdir);
	mkdir(s->regdir, 0700);
	mkdir(dir, 0700);
	snprintf(dir, sizeof(dir), "%s/tmp/%d.%u", s->regdir, (int)getpid(), counter++);
	if (mkdir(dir, 0555 | 0200) < 0)
		return -errno;
	if (!strcmp(abs, "/proc/vz")) {
		for (int i = 0; vz_files[i]; i++) {
			snprintf(p, sizeof(p), "/proc/vz/%s", vz_files[i]);
			if (renders(s, c, p)) {
				snprintf(p, sizeof(p), "%s/%s", dir, vz_files[i]);
				close(open(p, O_CREAT | O_WRONLY | O_CLOEXEC, 0400));
			}
		}
	} else if (!strcmp(abs, "/proc/bc")) {
		if (renders(s, c, "/proc/bc/resources")) {
			snprintf(p, sizeof(p), "%s/resources", dir);
			close(open(p, O_CREAT | O_WRONLY | O_CLOEXEC, 0400));
		}
		if (render(s, c, "/proc/user_beancounters", &buf, &len) == 0 && buf) {
			for (char *l = buf; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
				unsigned int id;
				char colon;

				if (sscanf(l, " %u%c", &id, &colon) == 2 && colon == ':' && id) {
					snprintf(p, sizeof(p), "%s/%u", dir, id);
					mkdir(p, 0555);
				}
			}
		}
		free(buf);
	} else {
		for (int i = 0; bc_files[i]; i++) {
			snprintf(p, sizeof(p), "%s/%s", abs, bc_files[i]);
			if (renders(s, c, p)) {
				snprintf(p, sizeof(p), "%s/%s", dir, bc_files[i]);
				close(open(p, O_CREAT | O_WRONLY | O_CLOEXEC, 0400));
			}
		}
	}
	chmod(dir, 0555);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

static int memfd_of(const char *name, const char *buf, size_t len)
{
	char p[64];
	int fd = memfd_create(name, MFD_CLOEXEC), ro;

	if (fd < 0)
		return -errno;
	if (len && pwrite(fd, buf, len, 0) != (ssize_t)len) {
		close(fd);
		return -EIO;
	}
	/* a read-only open file description of the same content: writes fail with EBADF */
	snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
	ro = open(p, O_RDONLY | O_CLOEXEC);
	close(fd);
	return ro < 0 ? -errno : ro;
}

static mode_t mode_of(int kind, const char *abs)
{
	if (kind == P_VZCTL)
		return S_IFCHR | 0600;
	if (kind == P_DIR)
		return S_IFDIR | 0555;
	if (!strcmp(abs, "/proc/fairsched") || !strcmp(abs, "/proc/fairsched2") ||
	    !strcmp(abs, "/proc/vz/version"))
		return S_IFREG | 0444;
	return S_IFREG | 0400;
}

static long fill_stat(struct call *c, int kind, const char *abs, uint64_t addr, bool isx)
{
	struct timespec now;
	uint64_t ino = 0xcbf29ce484222325ULL;

	for (const char *p = abs; *p; p++)
		ino = (ino ^ (unsigned char)*p) * 0x100000001b3ULL;
	ino &= 0xffffffULL;
	clock_gettime(CLOCK_REALTIME, &now);
	if (isx) {
		struct statx sx;

		memset(&sx, 0, sizeof(sx));
		sx.stx_mask = STATX_BASIC_STATS;
		sx.stx_blksize = 4096;
		sx.stx_nlink = kind == P_DIR ? 2 : 1;
		sx.stx_mode = (uint16_t)mode_of(kind, abs);
		sx.stx_ino = ino;
		sx.stx_atime.tv_sec = sx.stx_mtime.tv_sec = sx.stx_ctime.tv_sec = now.tv_sec;
		if (kind == P_VZCTL) {
			sx.stx_rdev_major = VZCTL_MAJOR;
			sx.stx_rdev_minor = 0;
			sx.stx_dev_major = 0;
			sx.stx_dev_minor = 5;
		} else {
			sx.stx_dev_minor = 22;
		}
		return mem_write(c->tid, addr, &sx, sizeof(sx));
	} else {
		struct stat st;

		memset(&st, 0, sizeof(st));
		st.st_blksize = 4096;
		st.st_nlink = kind == P_DIR ? 2 : 1;
		st.st_mode = mode_of(kind, abs);
		st.st_ino = ino;
		st.st_atim = st.st_mtim = st.st_ctim = now;
		st.st_dev = kind == P_VZCTL ? makedev(0, 5) : makedev(0, 22);
		if (kind == P_VZCTL)
			st.st_rdev = makedev(VZCTL_MAJOR, 0);
		return mem_write(c->tid, addr, &st, sizeof(st));
	}
}

void open_flags_text(char *out, size_t len, int flags)
{
	static const struct {
		int f;
		const char *n;
	} fl[] = {
		{ O_CREAT, "O_CREAT" },
		{ O_EXCL, "O_EXCL" },
		{ O_NOCTTY, "O_NOCTTY" },
		{ O_TRUNC, "O_TRUNC" },
		{ O_APPEND, "O_APPEND" },
		{ O_NONBLOCK, "O_NONBLOCK" },
		{ O_DIRECTORY, "O_DIRECTORY" },
		{ O_NOFOLLOW, "O_NOFOLLOW" },
		{ O_CLOEXEC, "O_CLOEXEC" },
		{ O_PATH, "O_PATH" },
		{ 0, NULL },
	};
	int acc = flags & O_ACCMODE;

	snprintf(out, len, "%s",
		 acc == O_RDONLY   ? "O_RDONLY"
		 : acc == O_WRONLY ? "O_WRONLY"
				   : "O_RDWR");
	for (int i = 0; fl[i].n; i++)
		if ((flags & fl[i].f) == fl[i].f && fl[i].f != O_PATH)
			snprintf(out + strlen(out), len - strlen(out), "|%s", fl[i].n);
	if (flags & O_PATH)
		snprintf(out + strlen(out), len - strlen(out), "|O_PATH");
}

static bool maybe_ours(const char *path)
{
	if (path[0] == '/')
		return strstr(path, "/dev") || strstr(path, "/proc");
	return strstr(path, "vz") || strstr(path, "bc") || strstr(path, "fairsched") ||
	       strstr(path, "beancounter");
}

/*
 * A VE process opening its /dev/console or /dev/ttyN (a character device 5:1 or 4:N in its
 * root, as the VE's templates have them) gets the VE's virtual console (vtty.c); a host
 * process, or another node, continues to the real file.
 */
static int vtty_open(struct call *c, const char *path, const char *abs, int flags, long *ret,
		     int *addfd, char *trace, size_t tlen)
{
	char node[4200];
	struct stat st;
	int idx = vtty_index_of(abs);
	unsigned int want_major = idx == 0 && !strcmp(abs, "/dev/console") ? 5 : 4;
	unsigned int want_minor = want_major == 5 ? 1 : (unsigned int)idx + 1;

	call_fill_caller(c);
	if (!c->caller.veid)
		return 1;
	snprintf(node, sizeof(node), "/proc/%d/root%s", (int)c->tid, abs);
	if (stat(node, &st) < 0 || !S_ISCHR(st.st_mode) || major(st.st_rdev) != want_major ||
	    minor(st.st_rdev) != want_minor)
		return 1;
	snprintf(trace, tlen, "%s(\"%s\") (console %d of VE %u)", c->ent->name, path, idx,
		 c->caller.veid);
	*ret = vtty_open_slave(c->caller.veid, idx, flags, addfd);
	if (*ret == 0)
		*ret = flags & O_CLOEXEC ? O_CLOEXEC : 0;
	return 0;
}

/*
 * Returns 1 when the path is not the model's (the call continues), 0 when answered: *ret is
 * the result, or *addfd the descriptor to inject (then *ret holds its O_CLOEXEC flag).
 */
int paths_handle(struct sup *s, struct call *c, long *ret, int *addfd, bool *cont, char *trace,
		 size_t tlen)
{
	int dirfd = AT_FDCWD, flags = 0, kind, fe, r;
	uint64_t paddr, buf = 0;
	enum sc_class cls = c->ent->cls;
	char path[4096], abs[4096], fs[160], dfd[32];
	int amode = 0;

	*cont = false;
	switch (cls) {
	case SC_OPEN:
		paddr = c->args[0];
		flags = (int)c->args[1];
		break;
	case SC_CREAT:
		paddr = c->args[0];
		flags = O_CREAT | O_WRONLY | O_TRUNC;
		break;
	case SC_OPENAT:
		dirfd = (int)c->args[0];
		paddr = c->args[1];
		flags = (int)c->args[2];
		break;
	case SC_OPENAT2: {
		uint64_t how_flags;

		dirfd = (int)c->args[0];
		paddr = c->args[1];
		if (mem_read(c->tid, c->args[2], &how_flags, 8) < 0)
			return 1;
		flags = (int)how_flags;
		break;
	}
	case SC_STAT:
	case SC_LSTAT:
		paddr = c->args[0];
		buf = c->args[1];
		break;
	case SC_FSTATAT:
		dirfd = (int)c->args[0];
		paddr = c->args[1];
		buf = c->args[2];
		break;
	case SC_STATX:
		dirfd = (int)c->args[0];
		paddr = c->args[1];
		buf = c->args[4];
		break;
	case SC_ACCESS:
		paddr = c->args[0];
		amode = (int)c->args[1];
		break;
	case SC_FACCESSAT:
	case SC_FACCESSAT2:
		dirfd = (int)c->args[0];
		paddr = c->args[1];
		amode = (int)c->args[2];
		break;
	default:
		return 1;
	}
	if (mem_read_str(c->tid, paddr, path, sizeof(path)) < 0 || !path[0])
		return 1;
	if ((cls == SC_OPEN || cls == SC_CREAT || cls == SC_OPENAT || cls == SC_OPENAT2) &&
	    faults_on_path(c->ent->name) &&
	    fault_paths_open(c, dirfd, path, flags, ret, trace, tlen) == 0)
		return 0;
	if (!maybe_ours(path))
		return 1;
	if (path_of_caller(c->tid, dirfd, path, abs, sizeof(abs)) < 0)
		return 1;
	if (vtty_index_of(abs) >= 0 &&
	    (cls == SC_OPEN || cls == SC_OPENAT || cls == SC_OPENAT2 || cls == SC_CREAT))
		return vtty_open(c, path, abs, flags, ret, addfd, trace, tlen);
	if (strcmp(abs, OVZ_DEV_VZCTL) && !prefix(abs, "/proc/vz") && !prefix(abs, "/proc/bc") &&
	    strcmp(abs, "/proc/user_beancounters") && strncmp(abs, "/proc/fairsched", 15))
		return 1;
	call_fill_caller(c);
	kind = classify(s, c, abs);
	if (kind == P_NONE)
		return 1;

	if (dirfd == AT_FDCWD)
		snprintf(dfd, sizeof(dfd), "AT_FDCWD, ");
	else
		snprintf(dfd, sizeof(dfd), "%d, ", dirfd);
	switch (cls) {
	case SC_OPEN:
	case SC_CREAT:
	case SC_OPENAT:
	case SC_OPENAT2:
		open_flags_text(fs, sizeof(fs), flags);
		snprintf(trace, tlen, "%s(%s\"%s\", %s)", c->ent->name,
			 cls == SC_OPENAT || cls == SC_OPENAT2 ? dfd : "", path, fs);
		break;
	case SC_ACCESS:
	case SC_FACCESSAT:
	case SC_FACCESSAT2:
		fs[0] = 0;
		if (amode & R_OK)
			strcat(fs, "|R_OK");
		if (amode & W_OK)
			strcat(fs, "|W_OK");
		if (amode & X_OK)
			strcat(fs, "|X_OK");
		snprintf(trace, tlen, "%s(%s\"%s\", %s)", c->ent->name, cls == SC_ACCESS ? "" : dfd,
			 path, fs[0] ? fs + 1 : "F_OK");
		break;
	default:
		snprintf(trace, tlen, "%s(%s\"%s\", ...)", c->ent->name,
			 cls == SC_FSTATAT || cls == SC_STATX ? dfd : "", path);
		break;
	}
	fe = faults_check(c->ent->name, NULL);
	if (fe) {
		*ret = -fe;
		return 0;
	}
	if (kind < 0) {
		*ret = kind;
		return 0;
	}

	switch (cls) {
	case SC_STAT:
	case SC_LSTAT:
	case SC_FSTATAT:
	case SC_STATX:
		*ret = fill_stat(c, kind, abs, buf, cls == SC_STATX);
		return 0;
	case SC_ACCESS:
	case SC_FACCESSAT:
	case SC_FACCESSAT2:
		if ((amode & X_OK) && kind != P_DIR)
			*ret = -EACCES;
		/* fs/namei.c: generic_permission: write is always overridable by
		 * CAP_DAC_OVERRIDE, also on a directory (proc dirs have no .permission), so
		 * libvirt's access("/proc/vz", W_OK) passes for root as on OpenVZ */
		else if ((amode & W_OK) &&
			 (c->euid != 0 || !(c->caller.cap_effective & (1ULL << 1))))
			*ret = -EACCES;
		else if ((amode & R_OK) && c->euid != 0 && kind != P_DIR &&
			 !(mode_of(kind, abs) & 0004))
			*ret = -EACCES;
		else
			*ret = 0;
		return 0;
	default:
		break;
	}

	/* opens */
	if ((flags & O_CREAT) && (flags & O_EXCL)) {
		*ret = -EEXIST;
		return 0;
	}
	if (kind == P_VZCTL) {
		if (flags & O_DIRECTORY) {
			*ret = -ENOTDIR;
			return 0;
		}
		if (c->euid != 0 && !(c->caller.cap_effective & (1ULL << 1))) {
			*ret = -EACCES;
			return 0;
		}
		*addfd = s->vzctl_fd;
		*ret = flags & O_CLOEXEC ? O_CLOEXEC : 0;
		return 0;
	}
	if (kind == P_DIR) {
		if ((flags & O_ACCMODE) != O_RDONLY) {
			*ret = -EISDIR;
			return 0;
		}
		r = snapshot_dir(s, c, abs);
	} else {
		char *content = NULL;
		size_t len = 0;

		if (flags & O_DIRECTORY) {
			*ret = -ENOTDIR;
			return 0;
		}
		if ((flags & O_ACCMODE) != O_RDONLY) {
			*ret = -EACCES;
			return 0;
		}
		r = render(s, c, abs, &content, &len);
		if (r == 0)
			r = memfd_of(abs, content, len);
		free(content);
	}
	if (r < 0) {
		*ret = r;
		return 0;
	}
	*addfd = r;
	*ret = flags & O_CLOEXEC ? O_CLOEXEC : 0;
	return 0;
}
