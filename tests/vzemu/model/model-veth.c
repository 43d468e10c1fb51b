// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * vzemu model: veth pairs (drivers/net/vzethdev.c: veth_ioctl, real_ve_hwaddr,
 * veth_entry_add, veth_entry_del, veth_allow_change_mac; kernel-abi.md §5).
 *
 * The model keeps the kernel's list of pairs (per VE, for /proc/vz/veth and the lookups by
 * host name) and checks the arguments in the kernel's order; the devices are real: an ADD
 * that passes asks the supervisor (EMU_EFFECT_VETH_ADD) to make a veth pair, host side in
 * the namespace vzemu runs in, VE side in the VE's network namespace, and a DEL asks it to
 * delete the host side (which takes its peer along). A pair the supervisor could not make
 * (a name some other device has: EEXIST from register_netdev) is taken back with
 * model_veth_add_failed. The pairs go with the VE's network namespace at stop
 * (veth_exit_net): ve_remove drops the VE and its list.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "model-internal.h"

/* struct vzctl_ve_hwaddr: 64 bytes, the same for i386 callers */
#define HW_VEID       0
#define HW_OP         4
#define HW_ADDR       8
#define HW_ADDRLEN    16
#define HW_NAME       20
#define HW_ADDR_VE    36
#define HW_ADDRLEN_VE 44
#define HW_NAME_VE    48
#define HW_SIZE       64

/* include/linux/etherdevice.h: is_valid_ether_addr — not multicast, not all zero */
static bool valid_ether(const uint8_t *a)
{
	return !(a[0] & 1) && (a[0] | a[1] | a[2] | a[3] | a[4] | a[5]);
}

/* net/core/dev.c: dev_valid_name of 2.6.32 (the name was cut to 15 characters) */
static bool valid_name(const char *n)
{
	if (!*n || !strcmp(n, ".") || !strcmp(n, ".."))
		return false;
	for (; *n; n++)
		if (*n == '/' || *n == ':' || *n == ' ' || (*n >= '\t' && *n <= '\r'))
			return false;
	return true;
}

/* Is a pair's host or VE side (in the host's or that VE's namespace) called `name`? */
static bool name_taken(struct emu_model *m, const struct m_ve *in_ve, const char *name)
{
	for (int i = 0; i < m->nve; i++)
		for (int j = 0; j < m->ve[i].nveth; j++)
			if (!strcmp(m->ve[i].veth[j].host, name) ||
			    (&m->ve[i] == in_ve && !strcmp(m->ve[i].veth[j].ve, name)))
				return true;
	return false;
}

/* net/core/dev.c: __dev_alloc_name — "vz101.%d" / "eth%d": the lowest free number after
 * `prefix` */
static int alloc_name(struct emu_model *m, const struct m_ve *in_ve, const char *prefix, char *out)
{
	for (int i = 0; i < 32768; i++) {
		char name[40];

		snprintf(name, sizeof(name), "%s%d", prefix, i);
		if (strlen(name) > 15)
			return -ENFILE;
		memcpy(out, name, strlen(name) + 1);
		if (!name_taken(m, in_ve, out))
			return 0;
	}
	return -ENFILE;
}

/* hwaddr_entry_lookup: the pair whose host side is `name`, if it belongs to `ve` */
static int find_pair(const struct m_ve *ve, const char *name)
{
	for (int i = 0; i < ve->nveth; i++)
		if (!strncmp(ve->veth[i].host, name, 16))
			return i;
	return -1;
}

static long entry_add(struct emu_model *m, struct m_ve *ve, const uint8_t *mac, const char *name,
		      const uint8_t *mac_ve, const char *name_ve, struct emu_effect *eff)
{
	struct m_veth v;
	char prefix[16];

	memset(&v, 0, sizeof(v));
	/* veth_dev_start: the address is checked before the name (EADDRNOTAVAIL first) */
	if (!valid_ether(mac))
		return -EADDRNOTAVAIL;
	if (!name[0]) {
		snprintf(prefix, sizeof(prefix), "vz%u.", ve->veid);
		if (alloc_name(m, NULL, prefix, v.host) < 0)
			return -ENFILE;
	} else {
		memcpy(v.host, name, 15);
	}
	if (!valid_name(v.host))
		return -EINVAL;
	if (name_taken(m, NULL, v.host))
		return -EEXIST;
	if (!valid_ether(mac_ve))
		return -EADDRNOTAVAIL;
	if (!name_ve[0]) {
		if (alloc_name(m, ve, "eth", v.ve) < 0)
			return -ENFILE;
	} else {
		memcpy(v.ve, name_ve, 15);
	}
	if (!valid_name(v.ve))
		return -EINVAL;
	if (name_taken(m, ve, v.ve) || !strcmp(v.ve, "venet0") || !strcmp(v.ve, "lo"))
		return -EEXIST;
	if (ve->nveth >= M_MAX_VETH)
		return -ENOMEM;
	memcpy(v.mac, mac, 6);
	memcpy(v.mac_ve, mac_ve, 6);
	v.seq = ++m->seq;
	ve->veth[ve->nveth++] = v;
	eff->kind = EMU_EFFECT_VETH_ADD;
	eff->veid = ve->veid;
	memcpy(eff->veth.host, v.host, sizeof(v.host));
	memcpy(eff->veth.ve, v.ve, sizeof(v.ve));
	memcpy(eff->veth.mac, v.mac, 6);
	memcpy(eff->veth.mac_ve, v.mac_ve, 6);
	return 0;
}

/* drivers/net/vzethdev.c: real_ve_hwaddr */
static long real_ve_hwaddr(struct emu_model *m, const struct emu_caller *c, const uint8_t *s,
			   struct emu_effect *eff)
{
	int op = (int)m_u32(s, HW_OP), addrlen = (int)m_u32(s, HW_ADDRLEN);
	int addrlen_ve = (int)m_u32(s, HW_ADDRLEN_VE), i;
	struct m_ve *ve = ve_find(m, m_u32(s, HW_VEID));
	char name[16], name_ve[16];
	uint8_t mac_ve[6];

	memcpy(name, s + HW_NAME, 16);
	memcpy(name_ve, s + HW_NAME_VE, 16);
	name[15] = name_ve[15] = '\0';
	if (!m_cap(c, M_CAP_NET_ADMIN))
		return -EPERM;
	switch (op) {
	case VE_ETH_ADD:
		if (addrlen != 6 || (addrlen_ve != 6 && addrlen_ve != 0))
			return -EINVAL;
		/* no VE address: the host's with bit 0x80 of byte 3 set, which must be clear */
		if (addrlen_ve == 0 && (s[HW_ADDR + 3] & 0x80))
			return -EINVAL;
		memcpy(mac_ve, s + (addrlen_ve ? HW_ADDR_VE : HW_ADDR), 6);
		if (addrlen_ve == 0)
			mac_ve[3] |= 0x80;
		if (!ve || ve->state != VES_RUNNING)
			return -ESRCH;
		return entry_add(m, ve, s + HW_ADDR, name, mac_ve, name_ve, eff);
	case VE_ETH_DEL:
		if (!name[0])
			return -EINVAL;
		if (!ve || ve->state != VES_RUNNING)
			return -ESRCH;
		i = find_pair(ve, name);
		if (i < 0)
			return -ENODEV;
		eff->kind = EMU_EFFECT_VETH_DEL;
		eff->veid = ve->veid;
		memcpy(eff->veth.host, ve->veth[i].host, 16);
		memmove(&ve->veth[i], &ve->veth[i + 1],
			(size_t)(ve->nveth - i - 1) * sizeof(*ve->veth));
		ve->nveth--;
		memset(&ve->veth[ve->nveth], 0, sizeof(*ve->veth));
		return 0;
	case VE_ETH_ALLOW_MAC_CHANGE:
	case VE_ETH_DENY_MAC_CHANGE:
		if (!ve || ve->state != VES_RUNNING)
			return -ESRCH;
		i = find_pair(ve, name);
		if (i < 0)
			return -ENODEV;
		ve->veth[i].allow_mac_change = op == VE_ETH_ALLOW_MAC_CHANGE;
		return 0;
	default:
		return -EINVAL;
	}
}

static void trace_hwaddr(const uint8_t *s, bool readable, char *tr, size_t trl)
{
	struct kcall kc = { .kind = KCALL_VE_HWADDR, .unreadable = !readable };

	if (readable) {
		kc.id = m_u32(s, HW_VEID);
		kc.u.hwaddr.op = (int)m_u32(s, HW_OP);
		kc.u.hwaddr.addrlen = (int)m_u32(s, HW_ADDRLEN);
		kc.u.hwaddr.addrlen_ve = (int)m_u32(s, HW_ADDRLEN_VE);
		memcpy(kc.u.hwaddr.addr, s + HW_ADDR, 6);
		memcpy(kc.u.hwaddr.addr_ve, s + HW_ADDR_VE, 6);
		memcpy(kc.u.hwaddr.name, s + HW_NAME, 15);
		memcpy(kc.u.hwaddr.name_ve, s + HW_NAME_VE, 15);
	}
	m_trace_call(tr, trl, &kc);
}

/* veth_ioctl: the one request; the same handler serves i386 callers (same layout) */
long veth_ioctl(struct emu_model *m, const struct emu_caller *c, const struct emu_mem *mem,
		unsigned long req, uint64_t arg, struct emu_effect *eff, char *tr, size_t trl)
{
	uint8_t s[HW_SIZE];
	bool readable;

	if (req != VETHCTL_VE_HWADDR)
		return -ENOTTY;
	readable = m_rd(mem, arg, s, sizeof(s)) == 0;
	trace_hwaddr(s, readable, tr, trl);
	if (!readable)
		return -EFAULT;
	return real_ve_hwaddr(m, c, s, eff);
}

void model_veth_add_failed(struct emu_model *m, unsigned int veid, const char *host)
{
	struct m_ve *ve = ve_find(m, veid);
	int i = ve ? find_pair(ve, host) : -1;

	if (i < 0)
		return;
	memmove(&ve->veth[i], &ve->veth[i + 1], (size_t)(ve->nveth - i - 1) * sizeof(*ve->veth));
	ve->nveth--;
	memset(&ve->veth[ve->nveth], 0, sizeof(*ve->veth));
	m->changed = true;
}
