/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Decoding kernel calls into text: the dry-run lines and the names in error messages. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "kernel.h"
#include "macro.h"

static const char *const ub_names[] = {
	[UB_KMEMSIZE] = "UB_KMEMSIZE",
	[UB_LOCKEDPAGES] = "UB_LOCKEDPAGES",
	[UB_PRIVVMPAGES] = "UB_PRIVVMPAGES",
	[UB_SHMPAGES] = "UB_SHMPAGES",
	[UB_DUMMY] = "UB_DUMMY",
	[UB_NUMPROC] = "UB_NUMPROC",
	[UB_PHYSPAGES] = "UB_PHYSPAGES",
	[UB_VMGUARPAGES] = "UB_VMGUARPAGES",
	[UB_OOMGUARPAGES] = "UB_OOMGUARPAGES",
	[UB_NUMTCPSOCK] = "UB_NUMTCPSOCK",
	[UB_NUMFLOCK] = "UB_NUMFLOCK",
	[UB_NUMPTY] = "UB_NUMPTY",
	[UB_NUMSIGINFO] = "UB_NUMSIGINFO",
	[UB_TCPSNDBUF] = "UB_TCPSNDBUF",
	[UB_TCPRCVBUF] = "UB_TCPRCVBUF",
	[UB_OTHERSOCKBUF] = "UB_OTHERSOCKBUF",
	[UB_DGRAMRCVBUF] = "UB_DGRAMRCVBUF",
	[UB_NUMOTHERSOCK] = "UB_NUMOTHERSOCK",
	[UB_DCACHESIZE] = "UB_DCACHESIZE",
	[UB_NUMFILE] = "UB_NUMFILE",
	[UB_SHADOWPAGES] = "UB_SHADOWPAGES",
	/* vzctl calls resource 23 NUMIPTENT; the kernel names it UB_NUMXTENT. */
	[UB_NUMXTENT] = "UB_NUMXTENT",
	[UB_SWAPPAGES] = "UB_SWAPPAGES",
};

const char *kernel_ub_name(unsigned int resource)
{
	return resource < ELEMENTSOF(ub_names) ? ub_names[resource] : NULL;
}

const char *kernel_quota_cmd_name(int cmd)
{
	switch (cmd) {
	case VZ_DQ_CREATE: return "VZ_DQ_CREATE";
	case VZ_DQ_DESTROY: return "VZ_DQ_DESTROY";
	case VZ_DQ_ON: return "VZ_DQ_ON";
	case VZ_DQ_OFF: return "VZ_DQ_OFF";
	case VZ_DQ_SETLIMIT: return "VZ_DQ_SETLIMIT";
	case VZ_DQ_GETSTAT: return "VZ_DQ_GETSTAT";
	case VZ_DQ_OFF_FORCED: return "VZ_DQ_OFF_FORCED";
	case VZ_DQ_ON_FILE: return "VZ_DQ_ON_FILE";
	case VZ_DQ_OFF_FILE: return "VZ_DQ_OFF_FILE";
	case VZ_DQ_STATUS: return "VZ_DQ_STATUS";
	}
	return NULL;
}

const char *kernel_fairsched_rate_op_name(int op)
{
	switch (op) {
	case FAIRSCHED_SET_RATE: return "FAIRSCHED_SET_RATE";
	case FAIRSCHED_DROP_RATE: return "FAIRSCHED_DROP_RATE";
	case FAIRSCHED_GET_RATE: return "FAIRSCHED_GET_RATE";
	}
	return NULL;
}

void kernel_print_env_flags(char *buf, size_t len, unsigned int flags)
{
	static const struct {
		unsigned int bit;
		const char *name;
	} bits[] = {
		{ VE_CREATE, "VE_CREATE" },   { VE_EXCLUSIVE, "VE_EXCLUSIVE" },
		{ VE_ENTER, "VE_ENTER" },     { VE_TEST, "VE_TEST" },
		{ VE_LOCK, "VE_LOCK" },       { VE_SKIPLOCK, "VE_SKIPLOCK" },
	};
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < ELEMENTSOF(bits); i++) {
		if (!(flags & bits[i].bit))
			continue;
		used += snprintf(buf + used, used < len ? len - used : 0, "%s%s", used ? "|" : "",
				 bits[i].name);
		flags &= ~bits[i].bit;
	}
	if (flags || used == 0)
		snprintf(buf + used, used < len ? len - used : 0, "%s%#x", used ? "|" : "", flags);
}

void kernel_print_ulong(char *buf, size_t len, unsigned long v)
{
	if (v == (unsigned long)UB_MAXVALUE)
		snprintf(buf, len, "unlimited");
	else
		snprintf(buf, len, "%lu", v);
}

void kernel_print_sockaddr(char *buf, size_t len, const struct sockaddr *sa, socklen_t salen)
{
	char text[INET6_ADDRSTRLEN] = "?";
	if (sa->sa_family == AF_INET && salen >= sizeof(struct sockaddr_in))
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, text, sizeof(text));
	else if (sa->sa_family == AF_INET6 && salen >= sizeof(struct sockaddr_in6))
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, text,
			  sizeof(text));
	snprintf(buf, len, "%s", text);
}
