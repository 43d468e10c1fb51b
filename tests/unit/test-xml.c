/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Domain XML (docs/xml.md): a table of valid and invalid documents defined through the
 * public API on a host tree in a temporary directory. A valid one is defined in a dry run
 * and the config it would write is checked for lines written by hand from xml.md; an
 * invalid one is defined for real and must fail with the expected words in its message
 * and leave the host tree exactly as it was. Hostile documents too large to write inline
 * (billion laughs, 100 MiB, deep nesting, NUL, bad UTF-8) are generated here.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test.h"
#include "vzlite.h"

static char host[256];

static void write_file(const char *rel, const char *text)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", host, rel);
	FILE *f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
		perror(path);
		exit(2);
	}
}

/* Every path, size and modification time under the host tree, and the configs' text. */
static char *snap;
static size_t snap_len;
static FILE *snap_f;
static int snap_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)type, (void)ftw;
	fprintf(snap_f, "%s %o %lld %lld.%09ld\n", path, st->st_mode, (long long)st->st_size,
		(long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec);
	return 0;
}
static char *snapshot(void)
{
	snap_f = open_memstream(&snap, &snap_len);
	nftw(host, snap_one, 16, FTW_PHYS);
	fclose(snap_f);
	return snap;
}

#define UUID1     "8509a1d4-1569-4467-8b37-4e433a1ac7b1"
#define HEAD      "<domain type='openvz'><name>101</name>"
#define TAIL      "</domain>"
#define EXT_OPEN  "<metadata><vz:ve xmlns:vz='urn:vzlite:ve:1'>"
#define EXT_CLOSE "</vz:ve></metadata>"

struct xcase {
	const char *name;
	const char *xml;
	int ok;             /* 1: defined (dry run); 0: refused */
	const char *expect; /* '|'-separated substrings of the config or of the error */
};

static const struct xcase cases[] = {
	/* Valid documents. */
	{ "seed example",
	  "<domain type='openvz'><name>105</name><uuid>" UUID1 "</uuid>"
	  "<filesystem><template>demo-x86_64</template><quota level='first'>10737418240</quota>"
	  "<quota level='second' uid='500'>5368709120</quota></filesystem><profile>small</profile>"
	  "<devices><interface><ipaddress>192.168.1.105</ipaddress></interface></devices>"
	  "<nameserver>192.168.1.1</nameserver><hostname>fedora105</hostname></domain>",
	  1,
	  "OSTEMPLATE=\"demo-x86_64\"|DISKSPACE=\"10485760:10485760\"|IP_ADDRESS=\"192.168.1.105\""
	  "|NAMESERVER=\"192.168.1.1\"|HOSTNAME=\"fedora105\"|ORIGIN_SAMPLE=\"small\""
	  "|VZLITE_UGID_QUOTA=\"u:500:5242880:5242880:0:0\"|QUOTAUGIDLIMIT=\"100\""
	  "|NUMPROC=\"65:65\"|\n\n#UUID: " UUID1 "\n" },
	{ "seed: upper-case UUID written lower case",
	  HEAD "<uuid>8509A1D4-1569-4467-8B37-4E433A1AC7B1</uuid>" TAIL, 1,
	  "\n\n#UUID: " UUID1 "\n|ONBOOT=\"no\"" },
	{ "seed: two interfaces, IPv4 with prefix",
	  HEAD
	  "<devices><interface><ipaddress>10.0.0.1</ipaddress>"
	  "</interface><interface><ipaddress>10.0.0.2/24</ipaddress></interface></devices>" TAIL,
	  1, "IP_ADDRESS=\"10.0.0.1 10.0.0.2/24\"" },
	{ "libvirt: two ethernet interfaces, IPv6 canonicalised",
	  HEAD
	  "<devices>"
	  "<interface type='ethernet'><ip address='192.0.2.101' family='ipv4'/></interface>"
	  "<interface type='ethernet'><ip address='2001:DB8:0:0::101' family='ipv6'/></interface>"
	  "</devices>" TAIL,
	  1, "IP_ADDRESS=\"192.0.2.101 2001:db8::101\"" },
	{ "libvirt: memory, memtune, vcpu, shares, space limits",
	  HEAD
	  "<memory unit='KiB'>4096</memory><memtune><hard_limit unit='KiB'>278528</hard_limit>"
	  "<soft_limit>262144</soft_limit><min_guarantee unit='MiB'>132</min_guarantee></memtune>"
	  "<vcpu placement='static'>2</vcpu><cputune><shares>500</shares></cputune>"
	  "<os><type>exe</type><init>/sbin/init</init></os><devices><filesystem type='template'>"
	  "<source name='demo-x86_64'/><target dir='/'/><space_hard_limit unit='bytes'>1180696576"
	  "</space_hard_limit><space_soft_limit unit='GiB'>1</space_soft_limit></filesystem>"
	  "</devices>" TAIL,
	  1,
	  "KMEMSIZE=\"4194304:4194304\"|PRIVVMPAGES=\"65536:69632\"|VMGUARPAGES=\"33792:9223372036854775807\""
	  "|CPUS=\"2\"|CPUUNITS=\"500\"|DISKSPACE=\"1048576:1153024\"" },
	{ "libvirt: hard_limit alone keeps the profile's barrier",
	  HEAD "<memtune><hard_limit>400000</hard_limit></memtune>" TAIL, 1,
	  "PRIVVMPAGES=\"49152:100000\"" },
	{ "libvirt: bridge interface becomes NETIF",
	  HEAD "<devices><interface type='bridge'>"
	       "<mac address='00:18:51:c1:05:ee'/><source bridge='br0'/><target dev='veth101.0'/>"
	       "</interface></devices>" EXT_OPEN
	       "<vz:veth guest='eth0' host-mac='00:18:51:8F:D9:F3' "
	       "mac-filter='on'/>" EXT_CLOSE TAIL,
	  1,
	  "NETIF=\"ifname=eth0,bridge=br0,mac=00:18:51:C1:05:EE,host_ifname=veth101.0,"
	  "host_mac=00:18:51:8F:D9:F3,mac_filter=on\"" },
	{ "extension: ubc, disk, cpu, param; libvirt part agrees",
	  HEAD EXT_OPEN
	  "<vz:onboot>yes</vz:onboot><vz:ubc name='NUMPROC' barrier='100' limit='unlimited'/>"
	  "<vz:ubc name='KMEMSIZE' barrier='1000000' limit='2048000'/>"
	  "<vz:disk space-soft='100' space-hard='200' inodes-soft='10' inodes-hard='20' "
	  "quotatime='60'/><vz:cpu units='1000' limit='25' cpus='3'/>"
	  "<vz:param name='NETFILTER'>full</vz:param><vz:param name='X_CUSTOM'>kept</vz:param>" EXT_CLOSE
	  "<memory>2000</memory><vcpu>3</vcpu>" TAIL,
	  1,
	  "ONBOOT=\"yes\"|NUMPROC=\"100:9223372036854775807\"|KMEMSIZE=\"1000000:2048000\"|DISKSPACE=\"100:200\""
	  "|DISKINODES=\"10:20\"|QUOTATIME=\"60\"|CPUUNITS=\"1000\"|CPULIMIT=\"25\"|CPUS=\"3\""
	  "|NETFILTER=\"full\"|X_CUSTOM=\"kept\"" },
	/* What `vzlite set` accepts, a document accepts (xml.md §C.4): one rule per value. */
	{ "set's values: '\"', '$', '`', '\\', '_' in a host name, '$' in a template",
	  HEAD "<description>say \"hi\" $(reboot) `x` \\o/</description>" EXT_OPEN
	       "<vz:hostname>web_01.example.com</vz:hostname><vz:searchdomain>a_b.example"
	       "</vz:searchdomain><vz:param name='VE_ROOT'>/vz/$x/$VEID</vz:param>"
	       "<vz:param name='X_CUSTOM'>$(id) \"q\"</vz:param>" EXT_CLOSE
	       "<devices><filesystem type='template'><source name='a$(id)'/><target dir='/'/>"
	       "</filesystem></devices>" TAIL,
	  1,
	  "DESCRIPTION=\"say \\\"hi\\\" \\$(reboot) \\`x\\` \\\\o/\"|HOSTNAME=\"web_01.example.com\""
	  "|SEARCHDOMAIN=\"a_b.example\"|VE_ROOT=\"/vz/\\$x/$VEID\"|X_CUSTOM=\"\\$(id) \\\"q\\\"\""
	  "|OSTEMPLATE=\"a\\$(id)\"" },
	{ "seed: set's host name and nameserver rules",
	  HEAD "<hostname>web_01</hostname>"
	       "<nameserver>inherit</nameserver>" TAIL,
	  1, "HOSTNAME=\"web_01\"|NAMESERVER=\"inherit\"" },
	{ "ignored: clock, on_*, features, other metadata",
	  HEAD
	  "<clock offset='utc'/><on_reboot>"
	  "destroy</on_reboot><features/><metadata><x:y xmlns:x='urn:other'>z</x:y></metadata>" TAIL,
	  1, "ONBOOT=\"no\"" },

	/* Hostile documents (xml.md §D). */
	{ "XXE to /etc/passwd",
	  "<?xml version='1.0'?><!DOCTYPE domain [<!ENTITY x SYSTEM "
	  "\"file:///etc/passwd\">]><domain type='openvz'><name>101</name><description>&x;"
	  "</description></domain>",
	  0, "DOCTYPE" },
	{ "XXE via parameter entity",
	  "<!DOCTYPE domain [<!ENTITY % p SYSTEM \"file:///etc/shadow\">"
	  " %p;]>" HEAD TAIL,
	  0, "DOCTYPE" },
	{ "external DTD over the network",
	  "<!DOCTYPE domain SYSTEM \"http://127.0.0.1:9/x.dtd\">" HEAD TAIL, 0, "DOCTYPE" },
	{ "harmless internal entity",
	  "<!DOCTYPE domain [<!ENTITY h \"web\">]><domain type='openvz'>"
	  "<name>101</name><vz:x/>&h;</domain>",
	  0, "DOCTYPE" },
	{ "XInclude",
	  HEAD "<xi:include xmlns:xi='http://www.w3.org/2001/XInclude' "
	       "href='/etc/shadow'/>" TAIL,
	  0, "unsupported for OpenVZ" },
	{ "wrong root", "<container type='openvz'><name>101</name></container>", 0,
	  "root element" },
	{ "root in a namespace", "<domain xmlns='urn:x' type='openvz'><name>101</name></domain>", 0,
	  "root element" },
	{ "wrong type", "<domain type='kvm'><name>101</name></domain>", 0, "not an OpenVZ" },
	{ "two names", HEAD "<name>102</name>" TAIL, 0, "given twice" },
	{ "two first-level quotas",
	  HEAD "<filesystem><quota level='first'>1</quota>"
	       "<quota level='first'>2</quota></filesystem>" TAIL,
	  0, "second first-level" },
	{ "draft quota level='vm'",
	  HEAD "<filesystem><quota level='vm'>1</quota></filesystem>" TAIL, 0, "level='first'" },
	{ "mixed formats",
	  HEAD "<filesystem><template>demo-x86_64</template></filesystem>"
	       "<os><type>exe</type></os>" TAIL,
	  0, "mixes" },
	{ "VEID not numeric", "<domain type='openvz'><name>web105</name></domain>", 0,
	  "not a VE ID" },
	{ "VEID with leading zero", "<domain type='openvz'><name>0105</name></domain>", 0,
	  "not a VE ID" },
	{ "VEID reserved", "<domain type='openvz'><name>100</name></domain>", 0, "from 101" },
	{ "VEID out of range", "<domain type='openvz'><name>2147483645</name></domain>", 0,
	  "not a VE ID" },
	{ "VEID huge", "<domain type='openvz'><name>99999999999999999999</name></domain>", 0,
	  "not a VE ID" },
	{ "template traversal",
	  HEAD "<filesystem><template>../../../../etc</template></filesystem>" TAIL, 0,
	  "OSTEMPLATE: \"../../../../etc\" is not a single name" },
	{ "profile traversal", HEAD "<profile>../../../etc/passwd</profile>" TAIL, 0,
	  "ORIGIN_SAMPLE: \"../../../etc/passwd\" is not a single name" },
	{ "missing profile", HEAD "<profile>nothere</profile>" TAIL, 0,
	  "profile 'nothere' not found" },
	{ "config injection in hostname", HEAD "<hostname>x\"\nDISK_QUOTA=\"no</hostname>" TAIL, 0,
	  "HOSTNAME: \"x\\\"\\nDISK_QUOTA=\\\"no\" contains a line break" },
	{ "line break in a vz:param",
	  HEAD EXT_OPEN "<vz:param name='X_CUSTOM'>a&#10;B=1</vz:param>" EXT_CLOSE TAIL, 0,
	  "X_CUSTOM: \"a\\nB=1\" contains a line break" },
	{ "VE_ROOT not absolute",
	  HEAD EXT_OPEN "<vz:param name='VE_ROOT'>vz/$VEID</vz:param>" EXT_CLOSE TAIL, 0,
	  "VE_ROOT: \"vz/$VEID\" is not an absolute path" },
	{ "UUID that is not one", HEAD "<uuid>8509a1d4-1569-4467-8b37-4e433a1ac7bZ</uuid>" TAIL, 0,
	  "is not a UUID" },
	{ "nil UUID", HEAD "<uuid>00000000-0000-0000-0000-000000000000</uuid>" TAIL, 0,
	  "not all zeros" },
	{ "UUID used by another VE", HEAD "<uuid>0f0e0d0c-0b0a-4908-8706-050403020100</uuid>" TAIL,
	  0, "already used by" },
	{ "barrier above limit (extension)",
	  HEAD EXT_OPEN "<vz:ubc name='NUMPROC' barrier='10' "
			"limit='5'/>" EXT_CLOSE TAIL,
	  0, "barrier 10 is above limit 5" },
	{ "barrier above limit after merge",
	  HEAD "<memtune><soft_limit>999999999</soft_limit>"
	       "</memtune>" TAIL,
	  0, "PRIVVMPAGES: barrier" },
	{ "UBC above LONG_MAX",
	  HEAD EXT_OPEN "<vz:ubc name='NUMPROC' barrier='1' "
			"limit='9223372036854775808'/>" EXT_CLOSE TAIL,
	  0, "not a number" },
	{ "negative number", HEAD "<vcpu>-1</vcpu>" TAIL, 0, "not a CPU count" },
	{ "space limit overflowing 64 bits",
	  HEAD
	  "<devices><filesystem type='template'><source "
	  "name='demo-x86_64'/><target dir='/'/><space_hard_limit unit='EiB'>16</space_hard_limit>"
	  "</filesystem></devices>" TAIL,
	  0, "too large once scaled" },
	{ "vcpu 0", HEAD "<vcpu>0</vcpu>" TAIL, 0, "not a CPU count" },
	{ "CPUUNITS 7", HEAD "<cputune><shares>7</shares></cputune>" TAIL, 0, "from 8 to 500000" },
	{ "bad IPv4",
	  HEAD "<devices><interface><ipaddress>300.1.1.1</ipaddress></interface></devices>" TAIL, 0,
	  "not an IPv4 or IPv6" },
	{ "address with a command",
	  HEAD "<devices><interface><ipaddress>192.168.1.105; reboot"
	       "</ipaddress></interface></devices>" TAIL,
	  0, "not an IPv4 or IPv6" },
	{ "unspecified address",
	  HEAD "<devices><interface><ipaddress>0.0.0.0</ipaddress></interface>"
	       "</devices>" TAIL,
	  0, "unspecified" },
	{ "duplicate address",
	  HEAD "<devices><interface><ipaddress>10.0.0.1</ipaddress>"
	       "<ipaddress>10.0.0.1</ipaddress></interface></devices>" TAIL,
	  0, "given twice" },
	{ "seed IPv6 without IPV6=yes",
	  HEAD "<devices><interface><ipaddress>2001:db8::1</ipaddress>"
	       "</interface></devices>" TAIL,
	  0, "IPV6" },
	{ "unknown element (seed)", HEAD "<hostname>a</hostname><bogus/>" TAIL, 0,
	  "unknown element" },
	{ "unknown element (libvirt)", HEAD "<disk type='file'/>" TAIL, 0,
	  "unsupported for OpenVZ" },
	{ "interface type network", HEAD "<devices><interface type='network'/></devices>" TAIL, 0,
	  "unsupported for OpenVZ" },
	{ "second filesystem",
	  HEAD "<devices><filesystem type='template'><source name='a'/>"
	       "<target dir='/'/></filesystem><filesystem type='template'><source name='b'/>"
	       "<target dir='/'/></filesystem></devices>" TAIL,
	  0, "second filesystem" },
	{ "swap_hard_limit", HEAD "<memtune><swap_hard_limit>1</swap_hard_limit></memtune>" TAIL, 0,
	  "SWAPPAGES" },
	{ "unknown ubc",
	  HEAD EXT_OPEN "<vz:ubc name='FOOBAR' barrier='1' limit='1'/>" EXT_CLOSE TAIL, 0,
	  "not a beancounter" },
	{ "unknown extension element", HEAD EXT_OPEN "<vz:bogus/>" EXT_CLOSE TAIL, 0,
	  "unknown element of vzlite's extension" },
	{ "param with a home",
	  HEAD EXT_OPEN "<vz:param name='HOSTNAME'>a</vz:param>" EXT_CLOSE TAIL, 0,
	  "has its own element" },
	{ "libvirt element disagrees with the extension",
	  HEAD EXT_OPEN "<vz:cpu cpus='2'/>" EXT_CLOSE "<vcpu>4</vcpu>" TAIL, 0,
	  "extension's cpus gives 2" },
	{ "other encoding", "<?xml version='1.0' encoding='ISO-8859-1'?>" HEAD TAIL, 0, "UTF-8" },
	{ "not well-formed", HEAD "<hostname>a</hostnam>" TAIL, 0, "line 1" },
	{ NULL, NULL, 0, NULL },
};

static void ignore_line(void *userdata, const char *call)
{
	(void)userdata, (void)call;
}

static void check_case(const char *name, const char *xml, size_t len, int ok, const char *expect)
{
	char conf[512];
	snprintf(conf, sizeof(conf), "%s/vz.conf", host);
	vzl_ctx *ctx = NULL;
	vzl_error *err = NULL;
	if (vzl_ctx_new(&ctx, conf, &err) < 0) {
		fprintf(stderr, "cannot open the context: %s\n", vzl_error_message(err));
		exit(2);
	}
	if (ok)
		vzl_ctx_set_dry_run(ctx, ignore_line, NULL);
	char *before = strdup(snapshot());
	free(snap);
	char *config = NULL;
	unsigned veid = 0;
	int r = vzl_domain_define_xml(ctx, xml, len, 0, &veid, &config, &err);
	const char *text = ok ? config : err ? vzl_error_message(err) : NULL;
	if ((r == 0) != ok) {
		test_failed++;
		fprintf(stderr, "FAIL [%s]: %s (%s)\n", name, ok ? "refused" : "accepted",
			err ? vzl_error_message(err) : "");
	} else {
		test_passed++;
		char *want = strdup(expect);
		for (char *save = NULL, *w = strtok_r(want, "|", &save); w;
		     w = strtok_r(NULL, "|", &save)) {
			if (text && strstr(text, w)) {
				test_passed++;
			} else {
				test_failed++;
				fprintf(stderr, "FAIL [%s]: no \"%s\" in:\n%s\n", name, w,
					text ? text : "(null)");
			}
		}
		free(want);
	}
	if (!ok) {
		CHECK(vzl_error_step(err) == VZL_STEP_XML ||
		      vzl_error_step(err) == VZL_STEP_PROFILE ||
		      vzl_error_step(err) == VZL_STEP_CONFIG_VALUE);
	}
	/* Dry runs and refusals alike leave the host tree as it was. */
	char *after = snapshot();
	if (strcmp(before, after) == 0) {
		test_passed++;
	} else {
		test_failed++;
		fprintf(stderr, "FAIL [%s]: the host tree changed\n", name);
	}
	free(after);
	free(before);
	free(config);
	vzl_error_free(err);
	vzl_ctx_free(ctx);
}

int main(void)
{
	snprintf(host, sizeof(host), "/tmp/vzl-test-xml.XXXXXX");
	if (!mkdtemp(host))
		return 2;
	char buf[2048];
	snprintf(buf, sizeof(buf),
		 "TEMPLATE=%1$s/template\nVE_ROOT=%1$s/root/$VEID\nVE_PRIVATE=%1$s/private/$VEID\n"
		 "LOCKDIR=%1$s/lock\nCONFIGFILE=\"small\"\nDEF_OSTEMPLATE=\"demo-x86_64\"\n"
		 "VE_LAYOUT=simfs\n",
		 host);
	const char *dirs[] = { "conf", "template", "template/cache", "private", "root", "lock" };
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		char p[512];
		snprintf(p, sizeof(p), "%s/%s", host, dirs[i]);
		mkdir(p, 0755);
	}
	write_file("vz.conf", buf);
	write_file("conf/ve-small.conf-sample",
		   "NUMPROC=\"65:65\"\nPRIVVMPAGES=\"49152:53575\"\n"
		   "DISKSPACE=\"1048576:1153434\"\nCPUUNITS=\"1000\"\n");
	write_file("conf/200.conf",
		   "NUMPROC=\"65:65\"\n\n#UUID: 0f0e0d0c-0b0a-4908-8706-050403020100\n");
	write_file("template/cache/demo-x86_64.tar", "not read in a dry run");
	write_file("template/cache/a$(id).tar", "not read in a dry run");

	int n = 0;
	for (const struct xcase *c = cases; c->name; c++, n++)
		check_case(c->name, c->xml, strlen(c->xml), c->ok, c->expect);

	/* Generated hostile documents. */
	char *big = malloc(100u << 20);
	size_t hl = strlen(HEAD);
	memcpy(big, HEAD, hl);
	memset(big + hl, ' ', (100u << 20) - hl - strlen(TAIL));
	memcpy(big + (100u << 20) - strlen(TAIL), TAIL, strlen(TAIL));
	check_case("100 MiB document", big, 100u << 20, 0, "more than the limit");
	free(big);
	n++;

	/* Billion laughs: 10 levels of 10 references each. */
	FILE *f;
	char *bl = NULL;
	size_t bl_len;
	f = open_memstream(&bl, &bl_len);
	fputs("<!DOCTYPE domain [<!ENTITY l0 \"lol\">", f);
	for (int i = 1; i < 10; i++) {
		fprintf(f, "<!ENTITY l%d \"", i);
		for (int j = 0; j < 10; j++)
			fprintf(f, "&l%d;", i - 1);
		fputs("\">", f);
	}
	fputs("]>" HEAD "<description>&l9;</description>" TAIL, f);
	fclose(f);
	check_case("billion laughs", bl, bl_len, 0, "DOCTYPE");
	free(bl);
	n++;

	char *deep = NULL;
	size_t deep_len;
	f = open_memstream(&deep, &deep_len);
	fputs(HEAD, f);
	for (int i = 0; i < 5000; i++)
		fputs("<a>", f);
	for (int i = 0; i < 5000; i++)
		fputs("</a>", f);
	fputs(TAIL, f);
	fclose(f);
	check_case("deep nesting", deep, deep_len, 0, "line 1");
	free(deep);
	n++;

	static const char nul[] = HEAD "<hostname>a\0b</hostname>" TAIL;
	check_case("NUL byte", nul, sizeof(nul) - 1, 0, "line 1");
	check_case("invalid UTF-8", HEAD "<hostname>\xc3\x28</hostname>" TAIL,
		   strlen(HEAD "<hostname>\xc3\x28</hostname>" TAIL), 0, "line 1");
	check_case("overlong UTF-8 slash in a template name",
		   HEAD "<filesystem><template>a\xc0\xaf"
			"b</template></filesystem>" TAIL,
		   strlen(HEAD "<filesystem><template>a\xc0\xaf"
			       "b</template></filesystem>" TAIL),
		   0, "line 1");
	check_case("UTF-16 byte-order mark", "\xff\xfe<\0d\0", 6, 0, "not UTF-8");
	n += 4;

	printf("test-xml: %d documents\n", n);
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", host);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", host);
	return test_summary("test-xml");
}
