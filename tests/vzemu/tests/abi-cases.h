/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `abi-client cases`: the rules test-model.c checks, checked again by real calls from real
 * processes, so that the same program passes under vzemu and on the real 042stab kernel.
 * Each case name cites the kernel function it checks; expected values come from the
 * kernel source and docs/kernel-abi.md.
 */
#ifndef VZEMU_ABI_CASES_H
#define VZEMU_ABI_CASES_H

#include <stdint.h>
#include <sys/types.h>

/* entry point: argv after "cases"; returns the exit status */
int abi_cases(int argc, char **argv);

/* who makes a call: a fresh child of the test process in one of these states */
enum abi_who {
	AS_HOST,      /* root on the host, every capability */
	AS_NOCAP,     /* root on the host with every capability given up */
	AS_VEADMIN,   /* root on the host holding CAP_VE_ADMIN only */
	AS_IN_VE,     /* entered into a VE (VZCTL_ENV_CREATE VE_ENTER) */
	AS_THREADED,  /* root on the host with a second thread */
	AS_CTTY,      /* a session leader with a controlling terminal (a pty) */
	AS_NOT_ALONE, /* a session leader with a child in its session */
};

#define ABI_IOCTL   (-1L) /* nr of abi_as for an ioctl on /dev/vzctl: a0 request, a1 arg */
#define ABI_OPEN_RO (-2L) /* nr of abi_as for open(a0, O_RDONLY): 0 (closed again) or -errno */
#define ABI_NL_BIND (-3L) /* socket(AF_NETLINK, SOCK_RAW, 31), bind to groups a0: 0 or -errno */

/* runs one call in a child as WHO (VEID for AS_IN_VE); the result or -errno */
long abi_as(enum abi_who who, unsigned int veid, long nr, long a0, long a1, long a2, long a3,
	    long a4);
/* the call itself, in the calling process; the result or -errno */
long abi_call(long nr, long a0, long a1, long a2, long a3, long a4);

/* one output line per case; GOT and WANT are results or -errno */
void abi_expect(const char *name, long got, long want);
/* a case that is a yes/no: DETAIL says what was seen when it failed */
void abi_truth(const char *name, int ok, const char *detail);

/* the /dev/vzctl descriptor every process of the run shares */
extern int abi_vzfd;
/* an address no page is mapped at */
extern void *abi_unmapped;

/* VZCTL_ENV_CREATE {veid, flags, 0} */
long abi_env(unsigned int veid, unsigned int flags);
/* VZCTL_ENV_CREATE_DATA {veid, flags, 0, data, datalen} */
long abi_env_data(unsigned int veid, unsigned int flags, void *data, int datalen);
/* gives every capability up but KEEP (a bit mask of the first 64); 0 or -errno */
int abi_drop_caps(uint64_t keep);

/* a VE started as vzctl starts one; its init runs IN_VE(veid) and then waits */
struct abi_ve {
	unsigned int veid;
	pid_t holder; /* the setsid+setluid process that forked the init */
	int up, down; /* pipes: reports from holder/init, orders to the init */
};
/* 0 and *VE filled, or -errno of VZCTL_ENV_CREATE_DATA */
long abi_ve_start(struct abi_ve *ve, unsigned int veid, unsigned int flags,
		  void (*in_ve)(unsigned int veid));
/* orders the init to exit(0) ('x') or to call reboot(HALT) ('h'); the init's wait status */
int abi_ve_stop(struct abi_ve *ve, char how);
/* an order to the init ('f' fork until refused, 'k' kill those) and its answer record TAG */
long abi_ve_order(struct abi_ve *ve, char order, char tag);

/* the suites */
void abi_cases_env(void);
void abi_cases_ubc(void);
void abi_cases_fairsched(void);
void abi_cases_quota(const char *dir);
void abi_cases_ve_life(void);

#endif
