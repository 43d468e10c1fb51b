/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * struct ve_spec from config texts: vz.conf under the VE config, every kind of field, bad
 * values skipped with a warning; and a VE whose own config sets VE_PRIVATE/VE_ROOT, whose
 * paths vzl_ve_private()/vzl_ve_root() and status must use. Expected numbers are written
 * here by hand from the texts.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf-layer.h"
#include "config.h"
#include "ve-spec.h"
#include "vzcalluser.h"
#include "test.h"

static int n_warnings;
static char last_warning[1024];

static void sink(void *userdata, enum vzl_log_level level, const char *msg)
{
	(void)userdata;
	if (level == VZL_LOG_WARNING) {
		n_warnings++;
		snprintf(last_warning, sizeof(last_warning), "%s", msg);
	}
}

static int problem(void *userdata, enum vzl_severity sev, const char *param, const char *msg)
{
	(void)userdata;
	(void)param;
	if (sev <= VZL_SEVERITY_WARNING) {
		n_warnings++;
		snprintf(last_warning, sizeof(last_warning), "%s", msg);
	}
	return 0;
}

static struct conf *parse(const char *name, const char *text)
{
	struct conf *c = NULL;
	CHECK(conf_parse(name, text, strlen(text), &c, NULL) == 0);
	return c;
}

static int has_bit(const struct value_mask *m, int bit)
{
	return (m->bits[bit / 64] >> (bit % 64)) & 1;
}

static void test_layers_and_types(void)
{
	struct conf *g = parse("vz.conf", "VE_PRIVATE=/vz/private/$VEID\n"
					  "VE_ROOT=/vz/root/$VEID/\n"
					  "NUMPROC=\"100:200\"\n"
					  "CPUUNITS=\"1000\"\n"
					  "NETFILTER=\"full\"\n"    /* refused in vz.conf */
					  "VE_LAYOUT=\"ploop\"\n"); /* not for an existing VE */
	struct conf *f = parse(
		"101.conf", "KMEMSIZE=\"2752512:2936012\"\n"
			    "PRIVVMPAGES=\"1G:unlimited\"\n"
			    "NUMIPTENT=\"20\"\n"
			    "SWAPPAGES=\"0:512M\"\n"
			    "AVNUMPROC=\"180:180\"\n"
			    "NUMPROC=\"oops\"\n" /* bad: skipped, vz.conf's 100:200 counts */
			    "VM_OVERCOMMIT=\"1.5\"\n"
			    "CPULIMIT=\"25%\"\n"
			    "CPUUWEIGHT=\"500\"\n"
			    "CPUS=\"2\"\n"
			    "CPUMASK=\"0-2,7\"\n"
			    "NODEMASK=\"all\"\n"
			    "DISK_QUOTA=\"yes\"\n"
			    "DISKSPACE=\"2G:2.2G\"\n"
			    "DISKINODES=\"200000:220000\"\n"
			    "QUOTATIME=\"600\"\n"
			    "QUOTAUGIDLIMIT=\"100\"\n"
			    "VZLITE_UGID_QUOTA=\"u:1000:100:200:10:20 bogus g:50:1:2:3:4\"\n"
			    "IP_ADDRESS=\"10.0.0.1 10.0.0.2/24 2001:DB8::1/64 10.0.0.1/8\"\n"
			    "HOSTNAME=\"ve101.example.org\"\n"
			    "NAMESERVER=\"inherit\"\n"
			    "SEARCHDOMAIN=\"example.org example.net\"\n"
			    "NETIF=\"ifname=eth0,mac=00:18:51:AA:BB:CC,host_ifname=veth101.0,"
			    "host_mac=00:18:51:AA:BB:CD,bridge=br0,mac_filter=off;ifname=eth1\"\n"
			    "NETDEV=\"eth3 eth4\"\n"
			    "NETFILTER=\"stateful\"\n"
			    "IPTABLES=\"iptable_filter ipt_state\"\n"
			    "DEVICES=\"c:10:200:rw b:8:all:q\"\n"
			    "DEVNODES=\"net/tun:rw fuse:none\"\n"
			    "PCI=\"0000:01:00.0 02:1f.7\"\n"
			    "FEATURES=\"nfs:on sysfs:off\"\n"
			    "CAPABILITY=\"net_admin:on sys_time:off\"\n"
			    "MEMINFO=\"pages:65536\"\n"
			    "IOPRIO=\"6\"\n"
			    "IOLIMIT=\"10M\"\n"
			    "IOPSLIMIT=\"300\"\n"
			    "ONBOOT=\"yes\"\n"
			    "DISABLED=\"no\"\n"
			    "NAME=\"web one\"\n"
			    "DESCRIPTION=\"a \\\"quoted\\\" text\"\n"
			    "BOOTORDER=\"3\"\n"
			    "STOP_TIMEOUT=\"30\"\n"
			    "OSTEMPLATE=\"centos-6-x86_64\"\n"
			    "ORIGIN_SAMPLE=\"basic\"\n");
	struct layers L = { .global = g, .file = f, .file_is_ve = 1 };
	struct ve_spec s;
	const char *param = NULL;
	n_warnings = 0;
	CHECK_INT(ve_spec_load(&L, 101, &units_x86_64, "/etc/vz/conf/101.conf",
			       "8509a1d4-1569-4467-8b37-4e433a1ac7b1", problem, NULL, &s, &param),
		  0);
	CHECK_INT(s.veid, 101);
	CHECK_STR(s.config_path, "/etc/vz/conf/101.conf");
	CHECK_STR(s.uuid, "8509a1d4-1569-4467-8b37-4e433a1ac7b1");
	CHECK_STR(s.private_dir, "/vz/private/101");
	CHECK_STR(s.root_dir, "/vz/root/101");
	CHECK(!s.layout.set); /* vz.conf's VE_LAYOUT does not count for a VE config */
	CHECK_STR(s.ostemplate, "centos-6-x86_64");
	CHECK_STR(s.origin_sample, "basic");

	CHECK(s.ub[UB_KMEMSIZE].set);
	CHECK_INT(s.ub[UB_KMEMSIZE].barrier, 2752512);
	CHECK_INT(s.ub[UB_KMEMSIZE].limit, 2936012);
	CHECK_INT(s.ub[UB_PRIVVMPAGES].barrier, 262144); /* 1G in 4 KiB pages */
	CHECK_INT(s.ub[UB_PRIVVMPAGES].limit, 9223372036854775807LL);
	CHECK_INT(s.ub[UB_NUMXTENT].barrier, 20);
	CHECK_INT(s.ub[UB_NUMXTENT].limit, 20);
	CHECK_INT(s.ub[UB_SWAPPAGES].barrier, 0);
	CHECK_INT(s.ub[UB_SWAPPAGES].limit, 131072);
	CHECK(s.ub[UB_NUMPROC].set); /* the bad line skipped: vz.conf's */
	CHECK_INT(s.ub[UB_NUMPROC].barrier, 100);
	CHECK_INT(s.ub[UB_NUMPROC].limit, 200);
	CHECK(!s.ub[UB_SHMPAGES].set);
	CHECK(!s.ub[UB_DUMMY].set);
	CHECK_INT(s.avnumproc.barrier, 180);
	CHECK(s.vm_overcommit.set && s.vm_overcommit.value == 1.5);

	CHECK_INT(s.cpu.units.value, 1000); /* from vz.conf */
	CHECK_INT(s.cpu.weight.value, 500);
	CHECK(s.cpu.limit.set && s.cpu.limit.of_host);
	CHECK_INT(s.cpu.limit.value, 25);
	CHECK_INT(s.cpu.cpus.value, 2);
	CHECK(s.cpu.cpumask_set && !s.cpu.cpumask.all);
	CHECK(has_bit(&s.cpu.cpumask, 0) && has_bit(&s.cpu.cpumask, 2) &&
	      !has_bit(&s.cpu.cpumask, 3) && has_bit(&s.cpu.cpumask, 7));
	CHECK(s.cpu.nodemask_set && s.cpu.nodemask.all);

	CHECK(s.disk.quota.set && s.disk.quota.value);
	CHECK_INT(s.disk.space.soft, 2097152);
	CHECK_INT(s.disk.space.hard, 2306867);
	CHECK_INT(s.disk.inodes.soft, 200000);
	CHECK_INT(s.disk.inodes.hard, 220000);
	CHECK_INT(s.disk.quotatime.value, 600);
	CHECK_INT(s.disk.quotaugidlimit.value, 100);
	CHECK_INT(s.disk.n_ugid, 2);
	if (s.disk.n_ugid == 2) {
		CHECK_INT(s.disk.ugid[0].type, 'u');
		CHECK_INT(s.disk.ugid[0].id, 1000);
		CHECK_INT(s.disk.ugid[0].space_hard, 200);
		CHECK_INT(s.disk.ugid[0].inodes_hard, 20);
		CHECK_INT(s.disk.ugid[1].type, 'g');
		CHECK_INT(s.disk.ugid[1].inodes_soft, 3);
	}
	CHECK_INT(n_warnings, 1); /* the "bogus" entry */
	CHECK(strstr(last_warning, "VZLITE_UGID_QUOTA") != NULL);

	CHECK_INT(s.net.ips.n, 3); /* 10.0.0.1/8 repeats 10.0.0.1: dropped, as vzctl does */
	if (s.net.ips.n == 3) {
		CHECK_INT(s.net.ips.v[0].family, AF_INET);
		CHECK_INT(ntohl(s.net.ips.v[0].addr.v4.s_addr), 0x0a000001);
		CHECK_INT(s.net.ips.v[0].prefix, -1);
		CHECK_INT(ntohl(s.net.ips.v[1].addr.v4.s_addr), 0x0a000002);
		CHECK_INT(s.net.ips.v[1].prefix, 24);
		CHECK_INT(s.net.ips.v[2].family, AF_INET6);
		CHECK_INT(s.net.ips.v[2].addr.v6.s6_addr[0], 0x20);
		CHECK_INT(s.net.ips.v[2].addr.v6.s6_addr[1], 0x01);
		CHECK_INT(s.net.ips.v[2].addr.v6.s6_addr[2], 0x0d);
		CHECK_INT(s.net.ips.v[2].addr.v6.s6_addr[15], 0x01);
		CHECK_INT(s.net.ips.v[2].prefix, 64);
	}
	CHECK_STR(s.net.hostname, "ve101.example.org");
	CHECK(s.net.nameservers.inherit);
	CHECK_INT(s.net.searchdomains.n, 2);
	CHECK(!s.net.searchdomains.inherit);
	if (s.net.searchdomains.n == 2)
		CHECK_STR(s.net.searchdomains.v[1], "example.net");
	CHECK_INT(s.net.netifs.n, 2);
	if (s.net.netifs.n == 2) {
		const struct value_netif *n = &s.net.netifs.v[0];
		CHECK_STR(n->ifname, "eth0");
		CHECK_STR(n->host_ifname, "veth101.0");
		CHECK_STR(n->bridge, "br0");
		CHECK(n->has_mac && n->mac[0] == 0x00 && n->mac[3] == 0xaa && n->mac[5] == 0xcc);
		CHECK(n->has_host_mac && n->host_mac[5] == 0xcd);
		/* The MACs' text as the config wrote it, upper case kept (dumpxml's round trip). */
		CHECK_STR(n->mac_text, "00:18:51:AA:BB:CC");
		CHECK_STR(n->host_mac_text, "00:18:51:AA:BB:CD");
		CHECK_INT(n->mac_filter, 0);
		CHECK_STR(s.net.netifs.v[1].ifname, "eth1");
		CHECK(!s.net.netifs.v[1].has_mac);
		CHECK_STR(s.net.netifs.v[1].mac_text, "");
		CHECK_INT(s.net.netifs.v[1].mac_filter, -1);
	}
	CHECK_INT(s.net.netdevs.n, 2);
	CHECK(s.net.netfilter.set && s.net.netfilter.value == VALUE_NETFILTER_STATEFUL);
	CHECK(s.net.iptables.set);
	/* iptable_filter is module 1, ipt_state module 17 of vzctl's list */
	CHECK_INT(s.net.iptables.modules, (1u << 1) | (1u << 17));

	CHECK_INT(s.devices.n, 2);
	if (s.devices.n == 2) {
		CHECK_INT(s.devices.v[0].type, 'c');
		CHECK_INT(s.devices.v[0].major, 10);
		CHECK_INT(s.devices.v[0].minor, 200);
		CHECK_INT(s.devices.v[0].perms, 06);
		CHECK_INT(s.devices.v[1].minor, -1);
		CHECK_INT(s.devices.v[1].perms, 010);
	}
	CHECK_INT(s.devnodes.n, 2);
	if (s.devnodes.n == 2) {
		CHECK_STR(s.devnodes.v[0].name, "net/tun");
		CHECK_INT(s.devnodes.v[0].perms, 06);
		CHECK_INT(s.devnodes.v[1].perms, 0);
	}
	CHECK_INT(s.pcis.n, 2);
	if (s.pcis.n == 2) {
		CHECK_INT(s.pcis.v[0].bus, 1);
		CHECK_INT(s.pcis.v[1].bus, 2);
		CHECK_INT(s.pcis.v[1].slot, 0x1f);
		CHECK_INT(s.pcis.v[1].func, 7);
	}
	CHECK_INT(s.features.on, VE_FEATURE_NFS);
	CHECK_INT(s.features.off, VE_FEATURE_SYSFS);
	CHECK_INT(s.capabilities.on, 1u << 12);  /* CAP_NET_ADMIN */
	CHECK_INT(s.capabilities.off, 1u << 25); /* CAP_SYS_TIME */
	CHECK(s.meminfo.set && s.meminfo.mode == VALUE_MEMINFO_PAGES);
	CHECK_INT(s.meminfo.value, 65536);
	CHECK_INT(s.ioprio.value, 6);
	CHECK_INT(s.iolimit.value, 10485760);
	CHECK_INT(s.iopslimit.value, 300);
	CHECK(s.onboot.set && s.onboot.value);
	CHECK(s.disabled.set && !s.disabled.value);
	CHECK_STR(s.name, "web one");
	CHECK_STR(s.description, "a \"quoted\" text");
	CHECK_INT(s.bootorder.value, 3);
	CHECK_INT(s.stop_timeout.value, 30);
	ve_spec_done(&s);

	/* A profile (not a VE config): vz.conf's VE_LAYOUT counts, nothing else is set. */
	struct conf *empty = parse("ve-x.conf-sample", "# nothing\n");
	struct layers P = { .global = g, .file = empty, .file_is_ve = 0 };
	CHECK_INT(ve_spec_load(&P, 0, &units_i386, NULL, NULL, NULL, NULL, &s, &param), 0);
	CHECK(s.layout.set && s.layout.value == VALUE_LAYOUT_PLOOP);
	CHECK(!s.net.netfilter.set); /* refused in vz.conf */
	CHECK(s.config_path == NULL && s.uuid[0] == '\0');
	CHECK_STR(s.private_dir, "/vz/private/0");
	ve_spec_done(&s);

	/* A VE_PRIVATE too long once expanded fails, naming it. */
	char longtext[700];
	snprintf(longtext, sizeof(longtext), "VE_PRIVATE=/%0520d/$VEID\n", 0);
	struct conf *lf = parse("102.conf", longtext);
	struct layers LL = { .global = g, .file = lf, .file_is_ve = 1 };
	CHECK_INT(ve_spec_load(&LL, 102, &units_x86_64, NULL, NULL, NULL, NULL, &s, &param),
		  -ENAMETOOLONG);
	CHECK_STR(param, "VE_PRIVATE");
	conf_free(lf);
	conf_free(empty);
	conf_free(g);
	conf_free(f);
}

/* i386: a number above its LONG_MAX is clamped to it, as the config loader warns. */
static void test_target(void)
{
	struct conf *f = parse("103.conf", "KMEMSIZE=\"3000000000:unlimited\"\n");
	struct layers L = { .file = f, .file_is_ve = 1 };
	struct ve_spec s;
	const char *param;
	CHECK_INT(ve_spec_load(&L, 103, &units_i386, NULL, NULL, NULL, NULL, &s, &param), 0);
	CHECK_INT(s.ub[UB_KMEMSIZE].barrier, 2147483647);
	CHECK_INT(s.ub[UB_KMEMSIZE].limit, 2147483647);
	CHECK(s.private_dir == NULL);
	ve_spec_done(&s);
	conf_free(f);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "we");
	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* A VE config with its own VE_PRIVATE and VE_ROOT: the handle, the spec and status use them. */
static void test_own_private(void)
{
	char dir[] = "/tmp/vzl-spec-XXXXXX", path[512], own[512], conf[600];
	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/conf", dir);
	CHECK(mkdir(path, 0755) == 0);
	snprintf(path, sizeof(path), "%s/vz.conf", dir);
	snprintf(conf, sizeof(conf), "VE_PRIVATE=%s/private/$VEID\nVE_ROOT=%s/root/$VEID\n", dir,
		 dir);
	write_file(path, conf);
	snprintf(own, sizeof(own), "%s/elsewhere/p$VEID", dir);
	snprintf(conf, sizeof(conf), "VE_PRIVATE=\"%s\"\nVE_ROOT=\"%s/elsewhere/r$VEID\"\n", own,
		 dir);
	char ve_conf[600];
	snprintf(ve_conf, sizeof(ve_conf), "%s/conf/101.conf", dir);
	write_file(ve_conf, conf);

	vzl_ctx *ctx = NULL;
	vzl_ve *ve = NULL, *other = NULL;
	CHECK(vzl_ctx_new(&ctx, path, NULL) == 0);
	vzl_ctx_set_log(ctx, sink, NULL, VZL_LOG_WARNING);
	CHECK(vzl_ve_open(ctx, 101, &ve, NULL) == 0);
	CHECK(vzl_ve_open(ctx, 102, &other, NULL) == 0);
	char want[600];
	snprintf(want, sizeof(want), "%s/elsewhere/p101", dir);
	CHECK_STR(vzl_ve_private(ve), want);
	snprintf(want, sizeof(want), "%s/elsewhere/r101", dir);
	CHECK_STR(vzl_ve_root(ve), want);
	snprintf(want, sizeof(want), "%s/private/102", dir); /* no config: vz.conf's */
	CHECK_STR(vzl_ve_private(other), want);

	vzl_config *cfg = NULL;
	struct ve_spec s;
	CHECK(vzl_config_open_ve(ve, &cfg, NULL) == 0);
	CHECK(cfg && ve_spec_from_config(cfg, 101, &s, NULL) == 0);
	snprintf(want, sizeof(want), "%s/elsewhere/p101", dir);
	CHECK_STR(s.private_dir, want);
	CHECK_STR(s.config_path, ve_conf);
	ve_spec_done(&s);
	vzl_config_free(cfg);

	vzl_ve_free(other);
	vzl_ve_free(ve);
	vzl_ctx_free(ctx);
	unlink(ve_conf);
	unlink(path);
	snprintf(path, sizeof(path), "%s/conf", dir);
	rmdir(path);
	rmdir(dir);
}

int main(void)
{
	test_layers_and_types();
	test_target();
	test_own_private();
	return test_summary("test-ve-spec");
}
