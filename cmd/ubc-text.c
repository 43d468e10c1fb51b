/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Each resource's refusals in an operator's words: what a program in the VE saw fail, and
 * which bound stopped it. The kernel charges numproc, numfile, numpty and shmpages against
 * the barrier (UB_HARD); for the others the line gives both bounds.
 */
#include <inttypes.h>
#include <stdio.h>

#include "ubc-text.h"

// clang-format off
static const struct {
	const char *refused; /* "<N> <refused>" */
	int at_barrier;      /* refused once held would pass the barrier */
} what[VZL_UB_COUNT] = {
	[0]  = { "kernel memory allocations refused (system calls failed with ENOMEM)", 0 },
	[1]  = { "mlock()s refused (locked memory)", 0 },
	[2]  = { "memory allocations refused (malloc/mmap/brk failed)", 0 },
	[3]  = { "shared memory allocations refused (SysV shm, tmpfs)", 1 },
	[5]  = { "fork()s refused (new processes and threads, ENOMEM)", 1 },
	[6]  = { "times RAM use reached the limit (pages reclaimed or swapped)", 0 },
	[7]  = { "allocations past the memory guarantee refused", 0 },
	[8]  = { "processes killed by the out-of-memory killer", 0 },
	[9]  = { "TCP sockets refused (socket/accept failed)", 0 },
	[10] = { "file locks refused (flock/fcntl failed)", 0 },
	[11] = { "pseudo-terminals refused (ssh/screen got no pty)", 1 },
	[12] = { "signals not queued (siginfo)", 0 },
	[13] = { "TCP sends held back for want of send buffer", 0 },
	[14] = { "incoming TCP packets dropped for want of receive buffer", 0 },
	[15] = { "UDP/Unix socket sends refused for want of buffer", 0 },
	[16] = { "incoming datagrams dropped", 0 },
	[17] = { "non-TCP sockets refused (UDP, Unix, netlink)", 0 },
	[18] = { "file name lookups refused (dentry cache full: open/stat failed)", 0 },
	[19] = { "files refused (open/pipe/socket failed)", 1 },
	[23] = { "iptables rules refused", 0 },
	[24] = { "swap-outs refused (swap full)", 0 },
};
// clang-format on

void ubc_failure_text(unsigned int ub, const struct vzl_ub_value *v, long long grew, char *buf,
		      size_t size)
{
	const char *name = vzl_ub_name(ub);
	const char *refused = ub < VZL_UB_COUNT && what[ub].refused ? what[ub].refused
								    : "allocations refused";
	char since[64] = "";
	if (grew > 0)
		snprintf(since, sizeof(since), ", %lld since the last look", grew);
	if (ub < VZL_UB_COUNT && what[ub].at_barrier)
		snprintf(buf, size, "%s: %" PRIu64 " %s%s; barrier %" PRIu64 " reached", name,
			 v->failcnt, refused, since, v->barrier);
	else
		snprintf(buf, size,
			 "%s: %" PRIu64 " %s%s; barrier %" PRIu64 ", limit %" PRIu64
			 ", at most %" PRIu64 " held",
			 name ? name : "?", v->failcnt, refused, since, v->barrier, v->limit,
			 v->maxheld);
}
