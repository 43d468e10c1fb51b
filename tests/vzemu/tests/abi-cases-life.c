// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Cases of `abi-client cases` around one running VE: vzevent's messages, the venet IP map,
 * the VE's fairsched node, /proc/vz/veinfo, numproc charging of its forks and reboot(2)
 * inside it.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/netlink.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi-cases.h"
#include "abi-proc.h"
#include "openvz.h"

#define VE_V 103

/* a vzevent listener (kernel-abi.md §14), or -errno */
static int listen_vzevent(void)
{
	struct sockaddr_nl a = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	struct timeval tv = { 30, 0 }; /* a bound on a lost message, not a wait for one */
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, 31);

	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0) {
		close(fd);
		return -errno;
	}
	return fd;
}

static void expect_event(const char *name, int fd, const char *want)
{
	char buf[256];
	ssize_t n = fd < 0 ? -1 : recv(fd, buf, sizeof(buf) - 1, 0);

	if (n < 0)
		snprintf(buf, sizeof(buf), "no message (%s)", fd < 0 ? "no listener" : "timeout");
	else
		buf[n] = 0;
	abi_truth(name, n == (ssize_t)strlen(want) && !memcmp(buf, want, (size_t)n), buf);
}

static long ipmap(enum abi_who who, unsigned int veid, int op, const char *ip, int addrlen)
{
	static struct sockaddr_in6 s6;
	static struct sockaddr_in s4;
	static struct vzctl_ve_ip_map m;

	memset(&m, 0, sizeof(m));
	m.veid = veid;
	m.op = op;
	m.addrlen = addrlen;
	if (strchr(ip, ':')) {
		memset(&s6, 0, sizeof(s6));
		s6.sin6_family = AF_INET6;
		inet_pton(AF_INET6, ip, &s6.sin6_addr);
		m.addr = (struct sockaddr *)&s6;
	} else {
		memset(&s4, 0, sizeof(s4));
		s4.sin_family = AF_INET;
		inet_pton(AF_INET, ip, &s4.sin_addr);
		m.addr = (struct sockaddr *)&s4;
	}
	return abi_as(who, 0, ABI_IOCTL, (long)VENETCTL_VE_IP_MAP, (long)&m, 0, 0, 0);
}

/* drivers/net/venetdev.c: real_ve_ip_map, on the running VE */
static void cases_venet(unsigned int veid)
{
	static struct vzctl_ve_ip_map m;
	static struct sockaddr_in s4;
	char row[512];

	abi_expect("real_ve_ip_map: no caps -> EPERM",
		   ipmap(AS_NOCAP, veid, VE_IP_ADD, "10.0.0.103", 16), -EPERM);
	abi_expect("move_addr_to_kernel: addrlen 129 -> EINVAL",
		   ipmap(AS_HOST, veid, VE_IP_ADD, "10.0.0.103", 129), -EINVAL);
	abi_expect("move_addr_to_kernel: addrlen -1 -> EINVAL",
		   ipmap(AS_HOST, veid, VE_IP_ADD, "10.0.0.103", -1), -EINVAL);
	abi_expect("convert_sockaddr: AF_INET with 28 bytes -> EINVAL",
		   ipmap(AS_HOST, veid, VE_IP_ADD, "10.0.0.103", 28), -EINVAL);
	abi_expect("convert_sockaddr: AF_INET6 with 16 bytes -> EINVAL",
		   ipmap(AS_HOST, veid, VE_IP_ADD, "::1", 16), -EINVAL);
	m.veid = veid;
	m.op = VE_IP_ADD;
	m.addr = abi_unmapped;
	m.addrlen = 16;
	abi_expect("move_addr_to_kernel: unreadable -> EFAULT",
		   abi_call(ABI_IOCTL, (long)VENETCTL_VE_IP_MAP, (long)&m, 0, 0, 0), -EFAULT);
	memset(&s4, 0, sizeof(s4));
	s4.sin_family = AF_UNIX;
	m.addr = (struct sockaddr *)&s4;
	abi_expect("convert_sockaddr: AF_UNIX -> EAFNOSUPPORT",
		   abi_call(ABI_IOCTL, (long)VENETCTL_VE_IP_MAP, (long)&m, 0, 0, 0), -EAFNOSUPPORT);
	abi_expect("real_ve_ip_map: ADD absent VE -> ESRCH",
		   ipmap(AS_HOST, 999, VE_IP_ADD, "10.0.0.9", 16), -ESRCH);
	abi_expect("veip_entry_add: ADD", ipmap(AS_HOST, veid, VE_IP_ADD, "10.0.0.103", 16), 0);
	abi_expect("veip_entry_conflict: same VE again -> EADDRINUSE",
		   ipmap(AS_HOST, veid, VE_IP_ADD, "10.0.0.103", 16), -EADDRINUSE);
	abi_expect("veip_entry_add: IPv6", ipmap(AS_HOST, veid, VE_IP_ADD, "2001:db8::67", 28), 0);
	abi_expect("real_ve_ip_map: unknown op -> EINVAL", ipmap(AS_HOST, veid, 9, "10.0.0.5", 16),
		   -EINVAL);
	abi_expect("veip_entry_del: absent VE, absent address -> EADDRNOTAVAIL",
		   ipmap(AS_HOST, 999, VE_IP_DEL, "10.9.9.9", 16), -EADDRNOTAVAIL);
	abi_expect("veip_entry_del: another VE's address -> EADDRNOTAVAIL",
		   ipmap(AS_HOST, 999, VE_IP_DEL, "10.0.0.103", 16), -EADDRNOTAVAIL);
	abi_proc_veinfo_row(veid, row, sizeof(row));
	/* ip_entry_hash: list_add on the VE's list, so the newest address comes first */
	abi_truth("veinfo_seq_show + veaddr_seq_print: class 0, addresses newest first",
		  !strncmp(row, "0 ", 2) && strstr(row, " 2001:db8:0:0:0:0:0:67 10.0.0.103") &&
			  !strcmp(strstr(row, " 2001:db8") ?: "",
				  " 2001:db8:0:0:0:0:0:67 10.0.0.103"),
		  row);
	abi_expect("veip_entry_del: DEL", ipmap(AS_HOST, veid, VE_IP_DEL, "10.0.0.103", 16), 0);
	abi_expect("veip_entry_del: DEL again -> EADDRNOTAVAIL",
		   ipmap(AS_HOST, veid, VE_IP_DEL, "10.0.0.103", 16), -EADDRNOTAVAIL);
}

static long set_numproc(unsigned int veid, unsigned long barrier, unsigned long limit)
{
	unsigned long np[2] = { barrier, limit };

	return abi_call(__NR_setublimit, veid, UB_NUMPROC, (long)np, 0, 0);
}

/* the init forks until refused: how many it forked, or a negative value */
static long forks(struct abi_ve *ve, const char *refused)
{
	long r = abi_ve_order(ve, 'f', 'n');

	abi_expect(refused, r < 0 ? r : -(r % 4096), -ENOMEM);
	return r < 0 ? r : r / 4096;
}

/*
 * kernel/bc/misc.c: ub_task_charge charges numproc UB_HARD through
 * kernel/bc/beancounter.c: __charge_beancounter_percpu, which tries the limit (UB_SOFT)
 * first; UB_HARD falls through to the limit too (__charge_beancounter_locked): a fork is
 * refused past the limit, whatever the barrier. The count before the first refusal depends
 * on what else the bc holds; the steps after it do not, but for tasks of the bc that the
 * kernel frees meanwhile (so "at least"). The init runs on one CPU (abi-cases.c), so no
 * other CPU's precharge serves its forks.
 */
static void cases_numproc(struct abi_ve *ve)
{
	char row[256];
	unsigned long held, maxheld, bar, lim, fail = 99;
	long n;

	n = forks(ve, "ub_task_charge: a fork at barrier = limit = 40 -> ENOMEM");
	abi_truth("ub_task_charge: forks succeed up to there", n >= 1 && n < 40,
		  "no fork, or 40 and more");
	abi_proc_ubc_row(ve->veid, "numproc", row, sizeof(row));
	if (sscanf(row, " %lu %lu %lu %lu %lu", &held, &maxheld, &bar, &lim, &fail) != 5)
		fail = 99;
	abi_expect("__charge_beancounter_locked: failcnt counts the refused fork", (long)fail, 1);
	abi_expect("do_setublimit: numproc limit raised by 3", set_numproc(ve->veid, 40, 43), 0);
	n = forks(ve, "__charge_beancounter_percpu: then refused at the limit");
	abi_truth(
		"__charge_beancounter_percpu: 3 (or more) forks past the barrier, up to the limit",
		n >= 3 && n < 10, "fewer than 3");
	abi_expect("do_setublimit: numproc barrier 46 above limit 43",
		   set_numproc(ve->veid, 46, 43), 0);
	abi_expect(
		"__charge_beancounter_locked: at the limit, a barrier above it lets none through",
		forks(ve, "__charge_beancounter_locked: refused at the limit"), 0);
	abi_proc_ubc_row(ve->veid, "numproc", row, sizeof(row));
	if (sscanf(row, " %lu %lu %lu %lu %lu", &held, &maxheld, &bar, &lim, &fail) != 5)
		bar = lim = fail = 0;
	abi_truth("ub_show_res: barrier 46, limit 43, failcnt 3 after three refusals",
		  bar == 46 && lim == 43 && fail == 3, row);
	abi_expect("the init killed its children", abi_ve_order(ve, 'k', 'k'), 0);
}

void abi_cases_ve_life(void)
{
	struct abi_ve ve;
	char row[256];
	int ev = listen_vzevent(), st;
	long r;

	abi_expect("vzevent: listener socket bound to group 1", ev < 0 ? ev : 0, 0);
	abi_expect("netlink_bind: group without CAP_NET_ADMIN -> EPERM",
		   abi_as(AS_NOCAP, 0, ABI_NL_BIND, 1, 0, 0, 0, 0), -EPERM);
	r = abi_ve_start(&ve, VE_V, VE_CREATE | VE_EXCLUSIVE, NULL);
	abi_expect("do_env_create: VE 103 created", r == 0 ? VE_V : r, VE_V);
	if (r != 0)
		return;
	expect_event("ve_start hook: vzevent ve-start@103", ev, "ve-start@103");
	abi_proc_fairsched2_row(VE_V, row, sizeof(row));
	abi_truth("init_ve_sched: the VE's node, weight 500, no rate", !strncmp(row, "500 0 ", 6),
		  row);
	abi_expect("sys_fairsched_rmnod: running VE's node -> EBUSY",
		   abi_call(__NR_fairsched_rmnod, VE_V, 0, 0, 0, 0), -EBUSY);
	cases_venet(VE_V);
	cases_numproc(&ve);
	st = abi_ve_stop(&ve, 'h');
	abi_expect("sys_reboot: HALT in a VE SIGKILLs its init", st, SIGKILL);
	expect_event("ve_stop hook: vzevent ve-stop@103 (reboot_event 0)", ev, "ve-stop@103");
	if (ev >= 0)
		close(ev);
}
