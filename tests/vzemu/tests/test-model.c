/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit test of the vzemu model, linked directly with model*.c and procfs.c. Caller memory
 * is a local arena; addresses outside it fault, so EFAULT paths are testable. Expected
 * values come from docs/kernel-abi.md and the kernel source (each case names the kernel
 * function it checks). Usage: test-model <state-dir>
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "model-internal.h"

#define BASE  0x100000ULL
#define ARENA 65536
#define BAD   0xdead0000ULL

static uint8_t arena[ARENA];
static int npass, nfail;

static int fake_read(void *o, uint64_t a, void *b, size_t l)
{
	(void)o;
	if (a < BASE || a + l > BASE + ARENA || a + l < a)
		return -EFAULT;
	memcpy(b, arena + (a - BASE), l);
	return 0;
}

static int fake_write(void *o, uint64_t a, const void *b, size_t l)
{
	(void)o;
	if (a < BASE || a + l > BASE + ARENA || a + l < a)
		return -EFAULT;
	memcpy(arena + (a - BASE), b, l);
	return 0;
}

static const struct emu_mem mem = { NULL, fake_read, fake_write };
static struct emu_model *M;
static struct emu_effect eff;

#define EQ(name, got, want)                                                                        \
	do {                                                                                       \
		long long g_ = (long long)(got), w_ = (long long)(want);                           \
		if (g_ == w_)                                                                      \
			npass++;                                                                   \
		else {                                                                             \
			nfail++;                                                                   \
			printf("FAIL %s: got %lld, want %lld\n", name, g_, w_);                    \
		}                                                                                  \
	} while (0)

/* arena layout: 0 structs, 1024 param block, 2048 sockaddr, 4096.. buffers */
#define A_S    (BASE + 0)
#define A_P    (BASE + 1024)
#define A_ADDR (BASE + 2048)
#define A_BUF  (BASE + 4096)

static void w32(uint64_t a, uint32_t v)
{
	memcpy(arena + (a - BASE), &v, 4);
}
static void w64(uint64_t a, uint64_t v)
{
	memcpy(arena + (a - BASE), &v, 8);
}
static uint32_t r32(uint64_t a)
{
	uint32_t v;
	memcpy(&v, arena + (a - BASE), 4);
	return v;
}
static uint64_t r64(uint64_t a)
{
	uint64_t v;
	memcpy(&v, arena + (a - BASE), 8);
	return v;
}

static struct emu_caller host(void)
{
	struct emu_caller c = { getpid(), 0, ~0ULL, false, true, false, true, true };
	return c;
}

static struct emu_caller nocaps(void)
{
	struct emu_caller c = host();
	c.cap_effective = 0;
	return c;
}

static struct emu_caller inve(unsigned int veid)
{
	struct emu_caller c = host();
	c.veid = veid;
	return c;
}

static long ioc(const struct emu_caller *c, unsigned long req, uint64_t arg)
{
	return model_ioctl(M, c, &mem, req, arg, &eff, NULL, 0);
}

static long sys(const struct emu_caller *c, long nr, uint64_t a0, uint64_t a1, uint64_t a2,
		uint64_t a3, uint64_t a4)
{
	uint64_t a[6] = { a0, a1, a2, a3, a4, 0 };
	return model_syscall(M, c, &mem, nr, a, &eff, NULL, 0);
}

/* VZCTL_ENV_CREATE_DATA, x86_64 layout; param block: mask, features, vcpus, known */
static long create_data(const struct emu_caller *c, unsigned int veid, unsigned int flags,
			int datalen, uint64_t data)
{
	memset(arena, 0, 32);
	w32(A_S, veid);
	w32(A_S + 4, flags);
	w32(A_S + 8, 0);
	w64(A_S + 16, data);
	w32(A_S + 24, (uint32_t)datalen);
	return ioc(c, VZCTL_ENV_CREATE_DATA, A_S);
}

static void param(uint64_t ipt, uint64_t feat, uint32_t vcpus, uint64_t known)
{
	memset(arena + 1024, 0, 32);
	w64(A_P, ipt);
	w64(A_P + 8, feat);
	w32(A_P + 16, vcpus);
	w64(A_P + 24, known);
}

static long env_create(const struct emu_caller *c, unsigned int veid, unsigned int flags)
{
	w32(A_S, veid);
	w32(A_S + 4, flags);
	w32(A_S + 8, 0);
	return ioc(c, VZCTL_ENV_CREATE, A_S);
}

static long ipmap(const struct emu_caller *c, unsigned int veid, int op, const char *ip,
		  int addrlen)
{
	memset(arena + 2048, 0, 128);
	if (strchr(ip, ':')) {
		struct sockaddr_in6 s6 = { .sin6_family = AF_INET6 };
		inet_pton(AF_INET6, ip, &s6.sin6_addr);
		memcpy(arena + 2048, &s6, sizeof(s6));
	} else {
		struct sockaddr_in s4 = { .sin_family = AF_INET };
		inet_pton(AF_INET, ip, &s4.sin_addr);
		memcpy(arena + 2048, &s4, sizeof(s4));
	}
	w32(A_S, veid);
	w32(A_S + 4, (uint32_t)op);
	w64(A_S + 8, A_ADDR);
	w32(A_S + 16, (uint32_t)addrlen);
	return ioc(c, VENETCTL_VE_IP_MAP, A_S);
}

static long devperms(const struct emu_caller *c, unsigned int veid, unsigned int type,
		     unsigned int dev, unsigned int mask)
{
	w32(A_S, veid);
	w32(A_S + 4, type);
	w32(A_S + 8, dev);
	w32(A_S + 12, mask);
	return ioc(c, VZCTL_SETDEVPERMS, A_S);
}

static long configure(unsigned int veid, unsigned int key, unsigned int val, const char *data,
		      unsigned int size)
{
	struct emu_caller c = nocaps();
	w32(A_S, veid);
	w32(A_S + 4, key);
	w32(A_S + 8, val);
	w32(A_S + 12, size);
	if (data)
		memcpy(arena + 16, data, size);
	return ioc(&c, VZCTL_VE_CONFIGURE, A_S);
}

static char *render(const struct emu_caller *c, const char *path, int *err)
{
	char *buf = NULL;
	size_t len = 0;

	*err = model_proc_render(M, c, path, &buf, &len);
	return buf;
}

static void contains(const char *name, const char *text, const char *want)
{
	if (text && strstr(text, want)) {
		npass++;
		return;
	}
	nfail++;
	printf("FAIL %s: missing\n---want---\n%s---got---\n%s\n", name, want,
	       text ? text : "(null)");
}

/* A stand-in VE init: a live child. It says it runs by closing its end of a pipe. */
static pid_t spawn_init(void)
{
	int fd[2];
	char b;
	pid_t p;

	if (pipe(fd) < 0)
		abort();
	p = fork();
	if (p == 0) {
		close(fd[0]);
		close(fd[1]);
		for (;;)
			pause();
	}
	close(fd[1]);
	if (read(fd[0], &b, 1) != 0) /* EOF once the child closed its copy */
		abort();
	close(fd[0]);
	return p;
}

#include "test-model-veth.h"
#include "test-model-cases.h"
#include "test-model-stop.h"
#include "test-model-vestat.h"

/* model-lock.c: two handles on one directory are two vzemu runs sharing one kernel */
static void cases_cache(const char *dir)
{
	struct emu_caller h = host();
	struct emu_model *a, *b;
	struct stat st1, st2;
	char path[4096];
	struct m_bc *bc;

	snprintf(path, sizeof(path), "%s/state", dir);
	if (model_reset(dir) < 0 || model_open(&a, dir) < 0 || model_open(&b, dir) < 0)
		abort();
	M = a;
	model_lock(a);
	EQ("cache: setluid(777) in run A", sys(&h, __NR_setluid, 777, 0, 0, 0, 0), 0);
	model_unlock(a);
	M = b;
	model_lock(b);
	w64(A_BUF, 5);
	w64(A_BUF + 8, 6);
	EQ("cache: run B sees A's bc 777", sys(&h, __NR_setublimit, 777, 0, A_BUF, 0, 0), 0);
	EQ("cache: getluid in run B", sys(&h, __NR_getluid, 0, 0, 0, 0, 0), 777);
	model_unlock(b);
	stat(path, &st1);
	model_lock(b);
	EQ("cache: getluid again", sys(&h, __NR_getluid, 0, 0, 0, 0, 0), 777);
	model_unlock(b);
	stat(path, &st2);
	EQ("cache: a call that changes nothing does not rewrite the state",
	   st1.st_ino == st2.st_ino && st1.st_mtim.tv_nsec == st2.st_mtim.tv_nsec, 1);
	M = a;
	model_lock(a);
	bc = bc_find(a, 777);
	EQ("cache: run A reloads B's setublimit", bc ? (long long)bc->p[0].limit : -1, 6);
	model_unlock(a);
	EQ("cache: reset while A holds a cached state", model_reset(dir), 0);
	model_lock(a);
	EQ("cache: run A sees the reset", bc_find(a, 777) == NULL, 1);
	model_unlock(a);
	/*
	 * model-lock.c looks for dead holders only when a pidfd reported an exit (or the state
	 * changed): a holder dying between two calls that change nothing is still released.
	 */
	{
		struct emu_caller holder = host();
		int status;

		holder.pid = spawn_init();
		model_lock(a);
		M = a;
		EQ("cache: setluid(778) by a holder", sys(&holder, __NR_setluid, 778, 0, 0, 0, 0),
		   0);
		model_unlock(a);
		model_lock(a);
		EQ("cache: bc 778 held", bc_find(a, 778) != NULL, 1);
		model_unlock(a);
		kill(holder.pid, SIGKILL);
		waitpid(holder.pid, &status, 0);
		model_lock(a);
		EQ("release_beancounter: bc 778 gone with its last holder", bc_find(a, 778) == NULL,
		   1);
		model_unlock(a);
	}
	/*
	 * getluid changes nothing but the caller's first record (model-lock.c writes only
	 * changed states): the record must reach run B, where the parent's later setluid does
	 * not move the child (kernel/fork.c: copy_process fixed its exec bc at fork).
	 */
	{
		struct emu_caller child = host();
		int status;

		child.pid = spawn_init();
		M = a;
		model_lock(a);
		EQ("cache: setluid(779) by the parent", sys(&h, __NR_setluid, 779, 0, 0, 0, 0), 0);
		model_unlock(a);
		model_lock(a);
		EQ("cache: the child's getluid in run A", sys(&child, __NR_getluid, 0, 0, 0, 0, 0),
		   779);
		model_unlock(a);
		M = b;
		model_lock(b);
		EQ("cache: setluid(780) by the parent in run B",
		   sys(&h, __NR_setluid, 780, 0, 0, 0, 0), 0);
		EQ("copy_process: the child keeps bc 779 in run B",
		   sys(&child, __NR_getluid, 0, 0, 0, 0, 0), 779);
		model_unlock(b);
		kill(child.pid, SIGKILL);
		waitpid(child.pid, &status, 0);
	}
	model_close(a);
	model_close(b);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s <state-dir>\n", argv[0]);
		return 2;
	}
	setenv("VZEMU_CPUS", "4", 1);
	if (model_reset(argv[1]) < 0 || model_open(&M, argv[1]) < 0 || model_lock(M) < 0) {
		fprintf(stderr, "test-model: cannot open state in %s\n", argv[1]);
		return 2;
	}
	run_cases(argv[1]);
	if (model_open(&M, argv[1]) < 0 || model_lock(M) < 0)
		return 2;
	cases_stop_kernel(argv[1]);
	model_unlock(M);
	model_close(M);
	cases_vestat(argv[1]);
	cases_cache(argv[1]);
	printf("test-model: %d passed, %d failed\n", npass, nfail);
	return nfail ? 1 : 0;
}
