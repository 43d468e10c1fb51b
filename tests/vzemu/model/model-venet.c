/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vzemu model: the venet IP map (drivers/net/venetdev.c: venet_ioctl, compat_venet_ioctl,
 * real_ve_ip_map) — the global address hash and the per-VE external address lists.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "model-internal.h"

/* drivers/net/venetdev.c: veaddr_print — dotted quad, or 8 hex groups without "::" */
void m_addr_print(char *buf, size_t len, const struct m_addr *a)
{
	if (a->family == AF_INET) {
		const uint8_t *b = (const uint8_t *)&a->key[3];

		snprintf(buf, len, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
	} else {
		snprintf(buf, len, "%x:%x:%x:%x:%x:%x:%x:%x", ntohl(a->key[0]) >> 16,
			 ntohl(a->key[0]) & 0xffff, ntohl(a->key[1]) >> 16,
			 ntohl(a->key[1]) & 0xffff, ntohl(a->key[2]) >> 16,
			 ntohl(a->key[2]) & 0xffff, ntohl(a->key[3]) >> 16,
			 ntohl(a->key[3]) & 0xffff);
	}
}

static bool addr_eq(const struct m_addr *x, const struct m_addr *y)
{
	return x->family == y->family && !memcmp(x->key, y->key, sizeof(x->key));
}

/* venet_exit_net → veip_stop, venet_ext_clean: a stopped VE keeps no addresses */
void venet_drop_ve(struct emu_model *m, unsigned int veid)
{
	struct m_ve *ve = ve_find(m, veid);
	int i;

	for (i = 0; i < m->nip; i++)
		if (m->ip[i].veid == veid) {
			memmove(&m->ip[i], &m->ip[i + 1],
				(size_t)(m->nip - i - 1) * sizeof(*m->ip));
			m->nip--;
			i--;
		}
	if (ve)
		ve->next = 0;
}

/* net/socket.c: move_addr_to_kernel; venetdev.c: convert_sockaddr */
static long sockaddr_to_veaddr(const struct emu_mem *mem, uint64_t uaddr, int addrlen,
			       struct m_addr *a, struct emu_effect *eff)
{
	uint8_t buf[128] = { 0 };
	uint16_t family;

	if (addrlen < 0 || addrlen > 128)
		return -EINVAL;
	if (addrlen == 0) {
		/* nothing copied: the family is read from uninitialised kernel stack (§17.4) */
		eff->kind = EMU_EFFECT_KILL_CALLER;
		eff->why = "hazard: VENETCTL_VE_IP_MAP with addrlen 0 makes the kernel read "
			   "uninitialised stack (venetdev.c: sockaddr_to_veaddr)";
		return -EINVAL;
	}
	if (m_rd(mem, uaddr, buf, (size_t)addrlen) < 0)
		return -EFAULT;
	memcpy(&family, buf, 2);
	memset(a, 0, sizeof(*a));
	switch (family) {
	case AF_INET:
		if (addrlen != (int)sizeof(struct sockaddr_in))
			return -EINVAL;
		a->family = AF_INET;
		memcpy(&a->key[3], buf + offsetof(struct sockaddr_in, sin_addr), 4);
		return 0;
	case AF_INET6:
		if (addrlen != (int)sizeof(struct sockaddr_in6))
			return -EINVAL;
		a->family = AF_INET6;
		memcpy(a->key, buf + offsetof(struct sockaddr_in6, sin6_addr), 16);
		return 0;
	default:
		return -EAFNOSUPPORT;
	}
}

/* The trace: the sockaddr's bytes as the caller passed them ("?" when they cannot be read) */
static void trace_ip_map(const struct emu_mem *mem, unsigned int veid, int op, uint64_t uaddr,
			 int addrlen, char *tr, size_t trl)
{
	struct kcall kc = { .kind = KCALL_VE_IP_MAP, .id = veid };
	size_t n = addrlen > KCALL_SOCKADDR_MAX ? KCALL_SOCKADDR_MAX : (size_t)addrlen;

	kc.u.ip.op = op;
	kc.u.ip.addrlen = addrlen;
	kc.unreadable = addrlen <= 0 || addrlen > 128 || m_rd(mem, uaddr, kc.u.ip.addr, n) < 0;
	m_trace_call(tr, trl, &kc);
}

/* drivers/net/venetdev.c: real_ve_ip_map */
static long real_ve_ip_map(struct emu_model *m, const struct emu_caller *c,
			   const struct emu_mem *mem, unsigned int veid, int op, uint64_t uaddr,
			   int addrlen, struct emu_effect *eff, char *tr, size_t trl)
{
	struct m_addr a;
	struct m_ve *ve;
	long r;
	int i;

	trace_ip_map(mem, veid, op, uaddr, addrlen, tr, trl);
	if (!m_capable_setveid(c))
		return -EPERM;
	r = sockaddr_to_veaddr(mem, uaddr, addrlen, &a, eff);
	if (r < 0)
		return r;
	switch (op) {
	case VE_IP_ADD:
		ve = ve_find(m, veid);
		if (!ve || ve->state != VES_RUNNING)
			return -ESRCH;
		/* veip_entry_add → veip_entry_conflict: active for any VE, this one included */
		for (i = 0; i < m->nip; i++)
			if (addr_eq(&m->ip[i].a, &a))
				return -EADDRINUSE;
		m->ip = m_grow(m->ip, m->nip, sizeof(*m->ip));
		m->ip[m->nip].a = a;
		m->ip[m->nip].veid = veid;
		m->ip[m->nip].seq = ++m->seq;
		m->nip++;
		return 0;
	case VE_IP_DEL:
		/* veip_entry_del: no VE lookup; absent or another VE's → EADDRNOTAVAIL */
		for (i = 0; i < m->nip; i++)
			if (addr_eq(&m->ip[i].a, &a)) {
				if (m->ip[i].veid != veid)
					return -EADDRNOTAVAIL;
				memmove(&m->ip[i], &m->ip[i + 1],
					(size_t)(m->nip - i - 1) * sizeof(*m->ip));
				m->nip--;
				return 0;
			}
		return -EADDRNOTAVAIL;
	case VE_IP_EXT_ADD:
	case VE_IP_EXT_DEL:
		ve = ve_find(m, veid);
		if (!ve)
			return -ESRCH;
		/* venet_ext_add/del: no veip (net namespace gone at stop) → ENONET */
		if (ve->state != VES_RUNNING)
			return -ENONET;
		for (i = 0; i < ve->next; i++)
			if (addr_eq(&ve->ext[i], &a))
				break;
		if (op == VE_IP_EXT_ADD) {
			if (i < ve->next)
				return -EADDRINUSE;
			if (ve->next >= M_MAX_EXT)
				return -ENOMEM;
			ve->ext[ve->next++] = a;
			return 0;
		}
		if (i == ve->next)
			return -EADDRNOTAVAIL;
		ve->ext[i] = ve->ext[--ve->next];
		return 0;
	default:
		return -EINVAL;
	}
}

/* venet_ioctl / compat_venet_ioctl */
long venet_ioctl(struct emu_model *m, const struct emu_caller *c, const struct emu_mem *mem,
		 unsigned long req, uint64_t arg, struct emu_effect *eff, char *tr, size_t trl)
{
	uint8_t s[24];
	long r;

	if (c->compat32 && req == VENETCTL_COMPAT_VE_IP_MAP) {
		if (m_rd(mem, arg, s, 16) < 0)
			return -EFAULT;
		r = real_ve_ip_map(m, c, mem, m_u32(s, 0), (int)m_u32(s, 4), m_u32(s, 8),
				   (int)m_u32(s, 12), eff, tr, trl);
	} else if (req == VENETCTL_VE_IP_MAP) {
		if (m_rd(mem, arg, s, 24) < 0)
			return -EFAULT;
		r = real_ve_ip_map(m, c, mem, m_u32(s, 0), (int)m_u32(s, 4), m_u64(s, 8),
				   (int)m_u32(s, 16), eff, tr, trl);
	} else {
		return -ENOTTY;
	}
	return r;
}
