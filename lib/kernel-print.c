/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Kernel calls as text: the dry-run lines, the emulator's trace and the names in error
 * messages. A pure function of already decoded values (kernel-print.h); the names come from
 * kernel-abi/names.h.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kernel-print.h"
#include "names.h"
#include "openvz.h"

#define NAME_ROW(n) [n] = #n,

static const char *const ub_names[UB_RESOURCES] = { VZ_UB_RESOURCES(NAME_ROW) };
static const char *const dq_names[] = { VZ_DQ_CMDS(NAME_ROW) };
static const char *const dq_ugid_names[] = { VZ_DQ_UGID_CMDS(NAME_ROW) };
static const char *const rate_op_names[] = { VZ_FAIRSCHED_RATE_OPS(NAME_ROW) };
static const char *const ip_op_names[] = { VZ_VE_IP_OPS(NAME_ROW) };
static const char *const configure_key_names[] = { VZ_VE_CONFIGURE_KEYS(NAME_ROW) };
static const char *const meminfo_mode_names[] = { VZ_VE_MEMINFO_MODES(NAME_ROW) };
static const char *const netdev_op_names[] = { VZ_VE_NETDEV_OPS(NAME_ROW) };
static const char *const eth_op_names[] = { VZ_VE_ETH_OPS(NAME_ROW) };
static const char *const ioprio_class_names[] = { VZ_IOPRIO_CLASSES(NAME_ROW) };

/* IOPRIO_WHO_UBC is 1000: a list of pairs, not an array indexed by the value */
#define PAIR_ROW(n) { n, #n },
static const struct {
	int value;
	const char *name;
} ioprio_who_names[] = { VZ_IOPRIO_WHO(PAIR_ROW) };

#define LOOKUP(table, i)                                                                           \
	((i) >= 0 && (size_t)(i) < sizeof(table) / sizeof(table[0]) ? table[i] : NULL)

const char *kcall_ub_name(unsigned int resource)
{
	return resource < UB_RESOURCES ? ub_names[resource] : NULL;
}

const char *kcall_quota_cmd_name(int cmd)
{
	return LOOKUP(dq_names, cmd);
}

const char *kcall_quota_ugid_cmd_name(int cmd)
{
	return LOOKUP(dq_ugid_names, cmd);
}

const char *kcall_fairsched_rate_op_name(int op)
{
	return LOOKUP(rate_op_names, op);
}

const char *kcall_ve_ip_op_name(int op)
{
	return LOOKUP(ip_op_names, op);
}

const char *kcall_ve_configure_key_name(unsigned int key)
{
	return key < sizeof(configure_key_names) / sizeof(configure_key_names[0])
		       ? configure_key_names[key]
		       : NULL;
}

const char *kcall_ve_netdev_op_name(int op)
{
	return LOOKUP(netdev_op_names, op);
}

const char *kcall_ve_eth_op_name(int op)
{
	return LOOKUP(eth_op_names, op);
}

static const char *ioprio_who_name(int which)
{
	for (size_t i = 0; i < sizeof(ioprio_who_names) / sizeof(ioprio_who_names[0]); i++)
		if (ioprio_who_names[i].value == which)
			return ioprio_who_names[i].name;
	return NULL;
}

void kcall_env_flags(char *buf, size_t len, unsigned int flags)
{
#define FLAG_ROW(n) { n, #n },
	static const struct {
		unsigned int bit;
		const char *name;
	} bits[] = { VZ_ENV_FLAGS(FLAG_ROW) };
#undef FLAG_ROW
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		if (!(flags & bits[i].bit))
			continue;
		used += (size_t)snprintf(buf + used, used < len ? len - used : 0, "%s%s",
					 used ? "|" : "", bits[i].name);
		flags &= ~bits[i].bit;
	}
	if (flags || used == 0)
		snprintf(buf + used, used < len ? len - used : 0, "%s%#x", used ? "|" : "", flags);
}

bool kcall_quota_reads_qstat(int cmd)
{
	return cmd == VZ_DQ_CREATE || cmd == VZ_DQ_SETLIMIT;
}

bool kcall_quota_reads_ve_root(int cmd)
{
	return cmd == VZ_DQ_ON || cmd == VZ_DQ_ON_FILE;
}

struct flag_name {
	unsigned int bit;
	const char *name;
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* A buffer being filled: every piece appends, output is cut at the end of the buffer */
struct out {
	char *buf;
	size_t len, used;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->used, o->used < o->len ? o->len - o->used : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->used += (size_t)n;
}

static void put_name(struct out *o, const char *name, long long number)
{
	if (name)
		put(o, "%s", name);
	else
		put(o, "%lld", number);
}

static void put_ub_value(struct out *o, uint64_t v)
{
	if (v == KCALL_UB_UNLIMITED)
		put(o, "UB_MAXVALUE");
	else
		put(o, "%llu", (unsigned long long)v);
}

/* The address of a sockaddr of the family and length the kernel accepts, else "?" */
static void put_sockaddr(struct out *o, const unsigned char *sa, int salen)
{
	char text[INET6_ADDRSTRLEN];
	sa_family_t family;

	memcpy(&family, sa, sizeof(family));
	if (family == AF_INET && salen == (int)sizeof(struct sockaddr_in)) {
		struct sockaddr_in sin;
		memcpy(&sin, sa, sizeof(sin));
		inet_ntop(AF_INET, &sin.sin_addr, text, sizeof(text));
	} else if (family == AF_INET6 && salen == (int)sizeof(struct sockaddr_in6)) {
		struct sockaddr_in6 sin6;
		memcpy(&sin6, sa, sizeof(sin6));
		inet_ntop(AF_INET6, &sin6.sin6_addr, text, sizeof(text));
	} else {
		snprintf(text, sizeof(text), "{family=%u}", (unsigned)family);
	}
	put(o, "%s", text);
}

static void put_ioctl(struct out *o, const char *device, const char *request)
{
	if (device)
		put(o, "ioctl(%s, %s, {", device, request);
	else
		put(o, "ioctl(%s, {", request);
}

/* Bytes as a C string literal: printable ASCII as is, the rest escaped (NUL as \\0) */
static void put_bytes(struct out *o, const unsigned char *b, size_t n)
{
	put(o, "\"");
	for (size_t i = 0; i < n; i++) {
		if (b[i] == '\0')
			put(o, "\\0");
		else if (b[i] == '"' || b[i] == '\\')
			put(o, "\\%c", b[i]);
		else if (b[i] < 0x20 || b[i] > 0x7e)
			put(o, "\\x%02x", b[i]);
		else
			put(o, "%c", b[i]);
	}
	put(o, "\"");
}

/* ", dev_addr<sfx>=00:18:51:..., addrlen<sfx>=6, dev_name<sfx>=\"...\"" */
static void put_hwaddr(struct out *o, const char *sfx, const unsigned char *mac, int len,
		       const char *name)
{
	put(o, ", dev_addr%s=%02x:%02x:%02x:%02x:%02x:%02x, addrlen%s=%d, dev_name%s=", sfx, mac[0],
	    mac[1], mac[2], mac[3], mac[4], mac[5], sfx, len, sfx);
	put_bytes(o, (const unsigned char *)name, strlen(name));
}

static void put_configure(struct out *o, const struct kcall *c)
{
	unsigned int key = c->u.configure.key, size = c->u.configure.size;

	put(o, "veid=%u, key=", c->id);
	put_name(o, kcall_ve_configure_key_name(key), key);
	put(o, ", val=%u, size=%u", c->u.configure.val, size);
	if (size == 0)
		return; /* nothing is read after the header */
	put(o, ", data=");
	if (c->unreadable) {
		put(o, "?");
		return;
	}
	put_bytes(o, c->u.configure.data,
		  size < KCALL_CONFIGURE_DATA_MAX ? size : KCALL_CONFIGURE_DATA_MAX);
	if (size > KCALL_CONFIGURE_DATA_MAX)
		put(o, "...");
}

static void put_iolimit(struct out *o, const struct kcall *c, const char *device)
{
	static const char *const req[] = {
		[KCALL_SET_IOLIMIT] = "VZCTL_SET_IOLIMIT",
		[KCALL_SET_IOPSLIMIT] = "VZCTL_SET_IOPSLIMIT",
		[KCALL_GET_IOLIMIT] = "VZCTL_GET_IOLIMIT",
		[KCALL_GET_IOPSLIMIT] = "VZCTL_GET_IOPSLIMIT",
	};

	if (c->unreadable) {
		if (device)
			put(o, "ioctl(%s, %s, ?)", device, req[c->kind]);
		else
			put(o, "ioctl(%s, ?)", req[c->kind]);
		return;
	}
	put_ioctl(o, device, req[c->kind]);
	put(o, "id=%u", c->id);
	if (c->kind == KCALL_SET_IOLIMIT || c->kind == KCALL_SET_IOPSLIMIT)
		put(o, ", speed=%u, burst=%u, latency=%u", c->u.iolimit.speed, c->u.iolimit.burst,
		    c->u.iolimit.latency);
	put(o, "})");
}

static void put_quota(struct out *o, const struct kcall *c)
{
	int cmd = c->u.quota.cmd;

	put(o, "cmd=");
	put_name(o, kcall_quota_cmd_name(cmd), cmd);
	put(o, ", quota_id=%u", c->id);
	if (kcall_quota_reads_qstat(cmd)) {
		if (c->unreadable) {
			put(o, ", qstat=?");
		} else if (c->u.quota.has_qstat) {
			put(o,
			    ", qstat={bhardlimit=%llu, bsoftlimit=%llu, bcurrent=%llu, "
			    "ihardlimit=%u, isoftlimit=%u, icurrent=%u, bexpire=%lld, "
			    "iexpire=%lld}",
			    (unsigned long long)c->u.quota.bhardlimit,
			    (unsigned long long)c->u.quota.bsoftlimit,
			    (unsigned long long)c->u.quota.bcurrent, c->u.quota.ihardlimit,
			    c->u.quota.isoftlimit, c->u.quota.icurrent,
			    (long long)c->u.quota.bexpire, (long long)c->u.quota.iexpire);
		} else {
			put(o, ", qstat=NULL");
		}
	}
	if (kcall_quota_reads_ve_root(cmd)) {
		if (c->unreadable)
			put(o, ", ve_root=?");
		else
			put(o, ", ve_root=%s", c->u.quota.ve_root ? c->u.quota.ve_root : "NULL");
	}
}

static const char *quota_type_name(unsigned int type)
{
	return type == USRQUOTA ? "USRQUOTA" : type == GRPQUOTA ? "GRPQUOTA" : NULL;
}

static void put_flag_bits(struct out *o, unsigned int v, const struct flag_name *names, size_t n)
{
	int first = 1;
	for (size_t i = 0; i < n; i++)
		if (v & names[i].bit) {
			put(o, "%s%s", first ? "" : "|", names[i].name);
			v &= ~names[i].bit;
			first = 0;
		}
	if (v || first)
		put(o, "%s%#x", first ? "" : "|", v);
}

/* VZCTL_QUOTA_UGID_CTL: what each command reads from `addr` (vzdq_ugid.c) */
static void put_quota_ugid(struct out *o, const struct kcall *c)
{
	static const struct flag_name config_flags[] = {
		{ VZDQUG_FIXED_SET, "VZDQUG_FIXED_SET" },
		{ VZDQUG_ON, "VZDQUG_ON" },
		{ VZDQ_USRQUOTA, "VZDQ_USRQUOTA" },
		{ VZDQ_GRPQUOTA, "VZDQ_GRPQUOTA" },
		{ VZDQ_NOACT, "VZDQ_NOACT" },
		{ VZDQ_NOQUOT, "VZDQ_NOQUOT" },
	};
	static const struct flag_name dqb_valid[] = {
		{ QIF_BLIMITS, "QIF_BLIMITS" }, { QIF_SPACE, "QIF_SPACE" },
		{ QIF_ILIMITS, "QIF_ILIMITS" }, { QIF_INODES, "QIF_INODES" },
		{ QIF_BTIME, "QIF_BTIME" },     { QIF_ITIME, "QIF_ITIME" },
	};
	static const struct flag_name dqi_valid[] = {
		{ IIF_BGRACE, "IIF_BGRACE" },
		{ IIF_IGRACE, "IIF_IGRACE" },
		{ IIF_FLAGS, "IIF_FLAGS" },
	};
	int cmd = c->u.ugid.cmd;
	const struct kcall_ugid_rec *r = &c->u.ugid.rec[0];

	put(o, "cmd=");
	put_name(o, kcall_quota_ugid_cmd_name(cmd), cmd);
	put(o, ", quota_id=%u, ugid_index=%u, ugid_size=%u", c->id, c->u.ugid.index,
	    c->u.ugid.size);
	if (cmd != VZ_DQ_UGID_SETCONFIG && cmd != VZ_DQ_UGID_SETGRACE &&
	    cmd != VZ_DQ_UGID_SETLIMIT && cmd != VZ_DQ_UGID_SETINFO && cmd != VZ_DQ_UGID_ADDSTAT)
		return; /* the others only write to addr */
	if (c->unreadable) {
		put(o, ", addr=?");
		return;
	}
	switch (cmd) {
	case VZ_DQ_UGID_SETCONFIG:
		put(o, ", config={limit=%u, count=%u, flags=", c->u.ugid.limit, c->u.ugid.count);
		put_flag_bits(o, c->u.ugid.flags, config_flags, ARRAY_LEN(config_flags));
		put(o, "}");
		break;
	case VZ_DQ_UGID_SETGRACE:
		put(o,
		    ", grace={user={bexpire=%lld, iexpire=%lld}, group={bexpire=%lld, iexpire=%lld}}",
		    (long long)c->u.ugid.bexpire[0], (long long)c->u.ugid.iexpire[0],
		    (long long)c->u.ugid.bexpire[1], (long long)c->u.ugid.iexpire[1]);
		break;
	case VZ_DQ_UGID_SETLIMIT:
		put(o, ", limit={type=");
		put_name(o, quota_type_name(r->type), r->type);
		put(o,
		    ", id=%u, dqb_bhardlimit=%llu, dqb_bsoftlimit=%llu, dqb_ihardlimit=%llu, "
		    "dqb_isoftlimit=%llu, dqb_valid=",
		    r->id, (unsigned long long)r->bhardlimit, (unsigned long long)r->bsoftlimit,
		    (unsigned long long)r->ihardlimit, (unsigned long long)r->isoftlimit);
		put_flag_bits(o, c->u.ugid.valid, dqb_valid, ARRAY_LEN(dqb_valid));
		put(o, "}");
		break;
	case VZ_DQ_UGID_SETINFO:
		put(o, ", info={type=");
		put_name(o, quota_type_name(r->type), r->type);
		put(o, ", dqi_bgrace=%lld, dqi_igrace=%lld, dqi_valid=",
		    (long long)c->u.ugid.bexpire[0], (long long)c->u.ugid.iexpire[0]);
		put_flag_bits(o, c->u.ugid.valid, dqi_valid, ARRAY_LEN(dqi_valid));
		put(o, "}");
		break;
	case VZ_DQ_UGID_ADDSTAT:
		/* each record: type id: space current/soft/hard bytes, inodes current/soft/hard */
		put(o, ", records=[");
		for (unsigned int i = 0; i < c->u.ugid.nrec; i++) {
			r = &c->u.ugid.rec[i];
			put(o, "%s{", i ? ", " : "");
			put_name(o, quota_type_name(r->type), r->type);
			put(o, " %u: space=%llu/%llu/%llu, inodes=%llu/%llu/%llu}", r->id,
			    (unsigned long long)r->bcurrent, (unsigned long long)r->bsoftlimit,
			    (unsigned long long)r->bhardlimit, (unsigned long long)r->icurrent,
			    (unsigned long long)r->isoftlimit, (unsigned long long)r->ihardlimit);
		}
		if (c->u.ugid.size > c->u.ugid.nrec)
			put(o, "%s...", c->u.ugid.nrec ? ", " : "");
		put(o, "]");
		break;
	}
}

void kcall_render(char *buf, size_t len, const struct kcall *c, const char *device)
{
	struct out o = { buf, len, 0 };
	char flags[128];

	if (len)
		buf[0] = '\0';
	switch (c->kind) {
	case KCALL_GETLUID:
		put(&o, "getluid()");
		break;
	case KCALL_SETLUID:
		put(&o, "setluid(%u)", c->id);
		break;
	case KCALL_SETUBLIMIT:
		put(&o, "setublimit(%u, ", c->id);
		put_name(&o, c->u.ub.resource < UB_RESOURCES ? ub_names[c->u.ub.resource] : NULL,
			 (long long)c->u.ub.resource);
		if (c->unreadable) {
			put(&o, ", ?)");
			break;
		}
		put(&o, ", {");
		put_ub_value(&o, c->u.ub.barrier);
		put(&o, ", ");
		put_ub_value(&o, c->u.ub.limit);
		put(&o, "})");
		break;
	case KCALL_FAIRSCHED_MKNOD:
		put(&o, "fairsched_mknod(%u, %u, %u)", c->id, c->u.mknod.weight, c->u.mknod.newid);
		break;
	case KCALL_FAIRSCHED_RMNOD:
		put(&o, "fairsched_rmnod(%u)", c->id);
		break;
	case KCALL_FAIRSCHED_CHWT:
		put(&o, "fairsched_chwt(%u, %u)", c->id, c->u.weight);
		break;
	case KCALL_FAIRSCHED_MVPR:
		put(&o, "fairsched_mvpr(%d, %u)", (int)c->id, c->u.node);
		break;
	case KCALL_FAIRSCHED_RATE:
		put(&o, "fairsched_rate(%u, ", c->id);
		put_name(&o, kcall_fairsched_rate_op_name(c->u.rate.op), c->u.rate.op);
		put(&o, ", %u)", c->u.rate.rate);
		break;
	case KCALL_FAIRSCHED_VCPUS:
		put(&o, "fairsched_vcpus(%u, %u)", c->id, c->u.vcpus);
		break;
	case KCALL_FAIRSCHED_CPUMASK:
	case KCALL_FAIRSCHED_NODEMASK:
		put(&o, "fairsched_%s(%u, %u, ",
		    c->kind == KCALL_FAIRSCHED_CPUMASK ? "cpumask" : "nodemask", c->id,
		    c->u.mask.len);
		if (c->unreadable)
			put(&o, "?)");
		else
			put(&o, "{%#llx%s})", (unsigned long long)c->u.mask.first,
			    c->u.mask.len > 8 ? ", ..." : "");
		break;
	case KCALL_ENV_CREATE:
		kcall_env_flags(flags, sizeof(flags), c->u.env.flags);
		put_ioctl(&o, device, "VZCTL_ENV_CREATE");
		put(&o, "veid=%u, flags=%s, class_id=%u})", c->id, flags, c->u.env.class_id);
		break;
	case KCALL_ENV_CREATE_DATA:
		kcall_env_flags(flags, sizeof(flags), c->u.env_data.flags);
		put_ioctl(&o, device, "VZCTL_ENV_CREATE_DATA");
		put(&o, "veid=%u, flags=%s, class_id=%u, data=", c->id, flags,
		    c->u.env_data.class_id);
		if (c->unreadable)
			put(&o, "?");
		else
			put(&o,
			    "{iptables_mask=%#llx, feature_mask=%#llx, known_features=%#llx, "
			    "total_vcpus=%u}",
			    (unsigned long long)c->u.env_data.iptables_mask,
			    (unsigned long long)c->u.env_data.feature_mask,
			    (unsigned long long)c->u.env_data.known_features,
			    c->u.env_data.total_vcpus);
		put(&o, ", datalen=%d})", c->u.env_data.datalen);
		break;
	case KCALL_VE_IP_MAP:
		put_ioctl(&o, device, "VENETCTL_VE_IP_MAP");
		put(&o, "veid=%u, op=", c->id);
		put_name(&o, kcall_ve_ip_op_name(c->u.ip.op), c->u.ip.op);
		put(&o, ", addr=");
		if (c->unreadable)
			put(&o, "?");
		else
			put_sockaddr(&o, c->u.ip.addr, c->u.ip.addrlen);
		put(&o, ", addrlen=%d})", c->u.ip.addrlen);
		break;
	case KCALL_QUOTA_CTL:
		put_ioctl(&o, device, "VZCTL_QUOTA_NEW_CTL");
		put_quota(&o, c);
		put(&o, "})");
		break;
	case KCALL_QUOTA_UGID_CTL:
		put_ioctl(&o, device, "VZCTL_QUOTA_UGID_CTL");
		put_quota_ugid(&o, c);
		put(&o, "})");
		break;
	case KCALL_SETDEVPERMS:
		/* include/linux/kdev_t.h: new_decode_dev, as the kernel reads dev */
		put_ioctl(&o, device, "VZCTL_SETDEVPERMS");
		put(&o, "veid=%u, type=%#o, dev=%u:%u, mask=%#o})", c->id, c->u.devperms.type,
		    (c->u.devperms.dev & 0xfff00) >> 8,
		    (c->u.devperms.dev & 0xff) | ((c->u.devperms.dev >> 12) & 0xfff00),
		    c->u.devperms.mask);
		break;
	case KCALL_VE_CONFIGURE:
		put_ioctl(&o, device, "VZCTL_VE_CONFIGURE");
		put_configure(&o, c);
		put(&o, "})");
		break;
	case KCALL_VE_MEMINFO:
		/* ve_set_meminfo: 0, 1 and 2 are modes, larger values a total in pages */
		put_ioctl(&o, device, "VZCTL_VE_MEMINFO");
		put(&o, "veid=%u, val=", c->id);
		if (c->u.meminfo_val < VE_MEMINFO_NR_SPECIAL)
			put(&o, "%s", meminfo_mode_names[c->u.meminfo_val]);
		else
			put(&o, "%llu", (unsigned long long)c->u.meminfo_val);
		put(&o, "})");
		break;
	case KCALL_VE_NETDEV:
		put_ioctl(&o, device, "VZCTL_VE_NETDEV");
		put(&o, "veid=%u, op=", c->id);
		put_name(&o, kcall_ve_netdev_op_name(c->u.netdev.op), c->u.netdev.op);
		put(&o, ", dev_name=");
		if (c->unreadable)
			put(&o, "?");
		else
			put_bytes(&o, (const unsigned char *)c->u.netdev.name,
				  strlen(c->u.netdev.name));
		put(&o, "})");
		break;
	case KCALL_VE_HWADDR:
		put_ioctl(&o, device, "VETHCTL_VE_HWADDR");
		put(&o, "veid=%u, op=", c->id);
		put_name(&o, kcall_ve_eth_op_name(c->u.hwaddr.op), c->u.hwaddr.op);
		if (c->unreadable) {
			put(&o, ", ?})");
			break;
		}
		/* vzethdev.c: real_ve_hwaddr reads the addresses and the VE's name for ADD only */
		if (c->u.hwaddr.op != VE_ETH_ADD) {
			put(&o, ", dev_name=");
			put_bytes(&o, (const unsigned char *)c->u.hwaddr.name,
				  strlen(c->u.hwaddr.name));
			put(&o, "})");
			break;
		}
		put_hwaddr(&o, "", c->u.hwaddr.addr, c->u.hwaddr.addrlen, c->u.hwaddr.name);
		put_hwaddr(&o, "_ve", c->u.hwaddr.addr_ve, c->u.hwaddr.addrlen_ve,
			   c->u.hwaddr.name_ve);
		put(&o, "})");
		break;
	case KCALL_SET_IOLIMIT:
	case KCALL_SET_IOPSLIMIT:
	case KCALL_GET_IOLIMIT:
	case KCALL_GET_IOPSLIMIT:
		put_iolimit(&o, c, device);
		break;
	case KCALL_IOPRIO_SET: {
		/* include/linux/ioprio.h: IOPRIO_PRIO_CLASS, IOPRIO_PRIO_DATA of 2.6.32 */
		int class = c->u.ioprio.ioprio >> IOPRIO_CLASS_SHIFT;
		int data = c->u.ioprio.ioprio & ((1 << IOPRIO_CLASS_SHIFT) - 1);
		put(&o, "ioprio_set(");
		put_name(&o, ioprio_who_name(c->u.ioprio.which), c->u.ioprio.which);
		put(&o, ", %d, IOPRIO_PRIO_VALUE(", (int)c->id);
		put_name(&o, LOOKUP(ioprio_class_names, class), class);
		put(&o, ", %d))", data);
		break;
	}
	}
}
