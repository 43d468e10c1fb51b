/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Reading, layering and writing configs (vzctl-behaviour.md §2.2, §2.3, §2.7):
 * - every upstream sample read and written back unchanged is byte-identical;
 * - `set` of one key then save changes exactly that line (checked by diffing the files),
 *   a new key adds exactly one line at the end;
 * - duplicate rules, vz.conf layering, escaping, the #UUID: line, atomic writes.
 * Usage: test-conf [FIXTURES_UPSTREAM_DIR] (the upstream part is skipped without it).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "conf-layer.h"
#include "conf-write.h"
#include "test.h"

static char tmpdir[] = "/tmp/test-conf.XXXXXX";

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t cap = 0, n = 0, r;
	do {
		if (n + 4096 > cap && !(buf = realloc(buf, cap = cap * 2 + 8192)))
			break;
		r = fread(buf + n, 1, 4096, f);
		n += r;
	} while (r > 0);
	fclose(f);
	if (buf)
		buf[n] = '\0';
	*len = n;
	return buf;
}

static void spill(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	fputs(text, f);
	fclose(f);
}

/* Split into lines (the buffer is modified). */
static size_t lines_of(char *buf, char **out, size_t max)
{
	size_t n = 0;
	for (char *p = buf; *p && n < max;) {
		out[n++] = p;
		char *nl = strchr(p, '\n');
		if (!nl)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	return n;
}

/* A valid new value for a key of this type, different from the samples' values. */
static const char *new_value(const struct param_def *p, const char *old)
{
	switch (p->type) {
	case PARAM_T_UBC:
		return "12345:67890";
	case PARAM_T_DISK:
		return "1000:2000";
	case PARAM_T_UINT:
		return "4321";
	case PARAM_T_BOOL:
		return strcmp(old, "no") == 0 ? "yes" : "no";
	case PARAM_T_NETFILTER:
		return "full";
	default:
		return "changed";
	}
}

static void test_fixture(const char *dir, const char *name)
{
	char src[4096], dst[4096];
	size_t len, len2;
	snprintf(src, sizeof(src), "%s/%s", dir, name);

	/* Round trip: read, serialize, compare bytes. */
	struct conf *c = NULL;
	vzl_error *err = NULL;
	CHECK_INT(conf_read(src, &c, &err), 0);
	if (!c) {
		fprintf(stderr, "%s: %s\n", name, vzl_error_message(err));
		vzl_error_free(err);
		return;
	}
	char *orig = slurp(src, &len), *out = NULL;
	CHECK_INT(conf_serialize(c, &out, &len2), 0);
	CHECK(len == len2 && memcmp(orig, out, len) == 0);
	free(out);

	/* Writing through the public API with no change writes nothing. */
	snprintf(dst, sizeof(dst), "%s/%s", tmpdir, name);
	spill(dst, orig);
	vzl_config *cfg = NULL;
	CHECK_INT(vzl_config_open_file(NULL, dst, &cfg, NULL), 0);
	CHECK_INT(vzl_config_save(cfg, NULL), 0);
	vzl_config_free(cfg);

	/* set one key, save, diff: exactly one line differs, and it is that key's line. */
	for (size_t i = 0; i < c->n_lines; i++) {
		const struct param_def *p = c->lines[i].key ? param_find(c->lines[i].key) : NULL;
		if (!p || (p->flags & (PARAM_F_NOT_SAVED | PARAM_F_GLOBAL_ONLY)))
			continue;
		spill(dst, orig);
		CHECK_INT(vzl_config_open_file(NULL, dst, &cfg, NULL), 0);
		CHECK_INT(vzl_config_set(cfg, p->name, new_value(p, c->lines[i].value), NULL), 1);
		CHECK_INT(vzl_config_save(cfg, NULL), 1);
		vzl_config_free(cfg);
		char *after = slurp(dst, &len2), *copy = strdup(orig);
		char *a[256], *b[256];
		size_t na = lines_of(copy, a, 256), nb = lines_of(after, b, 256), diff = 0;
		CHECK_INT(na, nb);
		for (size_t k = 0; k < na && k < nb; k++)
			if (strcmp(a[k], b[k]) != 0) {
				diff++;
				CHECK_INT(k, i);
				char want[256];
				snprintf(want, sizeof(want), "%s=\"%s\"", p->name,
					 new_value(p, c->lines[i].value));
				CHECK_STR(b[k], want);
			}
		CHECK_INT(diff, 1);
		free(copy);
		free(after);
	}

	/* A key the file lacks is appended as one line at the end. */
	spill(dst, orig);
	CHECK_INT(vzl_config_open_file(NULL, dst, &cfg, NULL), 0);
	CHECK_INT(vzl_config_set(cfg, "HOSTNAME", "ct.example.org", NULL), 1);
	CHECK_INT(vzl_config_save(cfg, NULL), 1);
	vzl_config_free(cfg);
	char *after = slurp(dst, &len2);
	const char *tail = "HOSTNAME=\"ct.example.org\"\n";
	size_t keep = len;
	CHECK(memcmp(after, orig, keep) == 0);
	CHECK_STR(after + len2 - strlen(tail), tail);
	CHECK_INT(len2, len + strlen(tail) + (len && orig[len - 1] != '\n'));
	free(after);
	free(orig);
	conf_free(c);
}

static void test_upstream(const char *dir)
{
	DIR *d = opendir(dir);
	CHECK(d != NULL);
	if (!d)
		return;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (strstr(e->d_name, ".conf")) {
			test_fixture(dir, e->d_name);
			n++;
		}
	closedir(d);
	CHECK_INT(n, 13);
}

static struct conf *parse(const char *text)
{
	struct conf *c = NULL;
	CHECK_INT(conf_parse("t.conf", text, strlen(text), &c, NULL), 0);
	return c;
}

static char *lookup(const struct conf *c, const char *key)
{
	char *v = NULL;
	conf_lookup(c, param_find(key), units_native(), &v, NULL);
	return v;
}

static void test_dup_rules(void)
{
	struct conf *c = parse("KMEMSIZE=1\nHOSTNAME=a\nKMEMSIZE=bad\nIP_ADDRESS=\"1.2.3.4\"\n"
			       "HOSTNAME=b\nKMEMSIZE=2:3\nIP_ADDRESS=5.6.7.8\nCPUUNITS=1\n"
			       "CPUUNITS=2000\n");
	char *v;
	CHECK_STR(v = lookup(c, "KMEMSIZE"), "2:3"); /* last valid wins */
	free(v);
	CHECK_STR(v = lookup(c, "HOSTNAME"), "a"); /* first wins */
	free(v);
	CHECK_STR(v = lookup(c, "IP_ADDRESS"), "1.2.3.4 5.6.7.8"); /* accumulate */
	free(v);
	CHECK_STR(v = lookup(c, "CPUUNITS"), "2000"); /* the invalid first one is skipped */
	free(v);
	/* Rewriting a key removes its other lines (vzctl would keep them: QUIRK §2.3). */
	CHECK_INT(conf_set(c, "KMEMSIZE", "5"), 1);
	char *out;
	size_t len;
	conf_serialize(c, &out, &len);
	CHECK_STR(out, "KMEMSIZE=\"5\"\nHOSTNAME=a\nIP_ADDRESS=\"1.2.3.4\"\nHOSTNAME=b\n"
		       "IP_ADDRESS=5.6.7.8\nCPUUNITS=1\nCPUUNITS=2000\n");
	free(out);
	/* An alias line is the same key. */
	conf_free(c);
	c = parse("  DCACHE=1\n");
	CHECK_INT(conf_set(c, "DCACHESIZE", "7"), 1);
	conf_serialize(c, &out, &len);
	CHECK_STR(out, "DCACHESIZE=\"7\"\n");
	free(out);
	CHECK_INT(conf_set(c, "DCACHESIZE", "7"), 0);
	conf_free(c);
}

static void test_layers(void)
{
	struct conf *g = parse("IP_ADDRESS=1.1.1.1\nLOCKDIR=/g\nVE_LAYOUT=ploop\nNETFILTER=full\n"
			       "CPUUNITS=500\nNAMESERVER=8.8.8.8\n");
	struct conf *f = parse("IP_ADDRESS=2.2.2.2\nLOCKDIR=/v\nNAMESERVER=\"\"\n");
	struct layers L = { .global = g, .file = f, .file_is_ve = 1 };
	char *v;
	enum vzl_source s;
	layer_get(&L, param_find("IP_ADDRESS"), units_native(), &v, &s);
	CHECK_STR(v, "2.2.2.2"); /* a list in the VE replaces vz.conf's */
	CHECK_INT(s, VZL_SOURCE_FILE);
	free(v);
	layer_get(&L, param_find("LOCKDIR"), units_native(), &v, &s);
	CHECK_STR(v, "/g"); /* global-only */
	CHECK_INT(s, VZL_SOURCE_GLOBAL);
	free(v);
	layer_get(&L, param_find("VE_LAYOUT"), units_native(), &v, &s);
	CHECK(v == NULL); /* vz.conf's layout does not count for an existing VE config */
	layer_get(&L, param_find("NETFILTER"), units_native(), &v, &s);
	CHECK(v == NULL); /* refused in vz.conf */
	layer_get(&L, param_find("CPUUNITS"), units_native(), &v, &s);
	CHECK_STR(v, "500");
	free(v);
	layer_get(&L, param_find("NAMESERVER"), units_native(), &v, &s);
	CHECK_STR(v, ""); /* set, to nothing, in the VE: replaces vz.conf's */
	free(v);
	conf_free(g);
	conf_free(f);
}

static void test_escaping(void)
{
	struct conf *c = parse("");
	const char *tricky = "a\"b\\c$d`e 'f' #g";
	CHECK_INT(conf_set(c, "DESCRIPTION", tricky), 1);
	CHECK_STR(c->lines[0].raw, "DESCRIPTION=\"a\\\"b\\\\c\\$d\\`e 'f' #g\"");
	CHECK_STR(c->lines[0].value, tricky); /* vzctl's reader gives the value back */
	CHECK_INT(conf_set(c, "VE_ROOT", "/vz/root/$VEID/${VEID}/$HOME"), 1);
	CHECK_STR(c->lines[1].raw, "VE_ROOT=\"/vz/root/$VEID/${VEID}/\\$HOME\"");
	CHECK_STR(c->lines[1].value, "/vz/root/$VEID/${VEID}/$HOME");
	CHECK_INT(conf_set(c, "DESCRIPTION", "a\nB=1"), -EINVAL);
	conf_free(c);
	/* /bin/sh agrees with the reader. */
	char path[512], cmd[1200];
	snprintf(path, sizeof(path), "%s/esc.conf", tmpdir);
	c = parse("");
	conf_set(c, "DESCRIPTION", tricky);
	CHECK_INT(conf_write(c, path, NULL), 0);
	conf_free(c);
	snprintf(cmd, sizeof(cmd), ". %s && printf %%s \"$DESCRIPTION\" > %s.out", path, path);
	CHECK_INT(system(cmd), 0);
	size_t len;
	snprintf(cmd, sizeof(cmd), "%s.out", path);
	char *sh = slurp(cmd, &len);
	CHECK_STR(sh, tricky);
	free(sh);
}

static void test_uuid(void)
{
	struct conf *c = parse("CPUUNITS=\"1000\"\n");
	char u[CONF_UUID_LEN + 1];
	CHECK_INT(conf_get_uuid(c, u), -ENOENT);
	CHECK_INT(conf_set_uuid(c, "8509A1D4-1569-4467-8B37-4E433A1AC7B1"), 1);
	char *out;
	size_t len;
	conf_serialize(c, &out, &len);
	CHECK_STR(out, "CPUUNITS=\"1000\"\n\n#UUID: 8509a1d4-1569-4467-8b37-4e433a1ac7b1\n");
	free(out);
	CHECK_INT(conf_get_uuid(c, u), 0);
	CHECK_STR(u, "8509a1d4-1569-4467-8b37-4e433a1ac7b1");
	CHECK_INT(conf_set_uuid(c, "8509a1d4-1569-4467-8b37-4e433a1ac7b1"), 0);
	CHECK_INT(conf_set_uuid(c, "00000000-0000-0000-0000-000000000000"), -EINVAL);
	CHECK_INT(conf_set_uuid(c, "8509a1d4"), -EINVAL);
	CHECK_INT(conf_set_uuid(c, NULL), 1); /* a new random one replaces the line */
	CHECK_INT(conf_get_uuid(c, u), 0);
	CHECK(strcmp(u, "8509a1d4-1569-4467-8b37-4e433a1ac7b1") != 0);
	CHECK_INT(c->n_lines, 3);
	conf_free(c);
}

static void test_atomic(void)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/101.conf", tmpdir);
	spill(path, "ONBOOT=\"yes\"");
	chmod(path, 0640);
	vzl_config *cfg;
	CHECK_INT(vzl_config_open_file(NULL, path, &cfg, NULL), 0);
	CHECK_INT(vzl_config_set(cfg, "ONBOOT", "no", NULL), 1);
	CHECK_INT(vzl_config_set(cfg, "CPUUNITS", "2000", NULL), 1);
	CHECK_INT(vzl_config_save(cfg, NULL), 1);
	vzl_config_free(cfg);
	size_t len;
	char *s = slurp(path, &len);
	CHECK_STR(s, "ONBOOT=\"no\"\nCPUUNITS=\"2000\"\n");
	free(s);
	struct stat st;
	CHECK_INT(stat(path, &st), 0);
	CHECK_INT(st.st_mode & 07777, 0640);
	/* No temporary file left behind. */
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	int hidden = 0;
	while ((e = readdir(d)))
		hidden += e->d_name[0] == '.' && strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	CHECK_INT(hidden, 0);
	/* A symlinked config is written where it points, the link kept. */
	char link[600];
	snprintf(link, sizeof(link), "%s/link.conf", tmpdir);
	CHECK_INT(symlink("101.conf", link), 0);
	CHECK_INT(vzl_config_open_file(NULL, link, &cfg, NULL), 0);
	CHECK_INT(vzl_config_set(cfg, "ONBOOT", "yes", NULL), 1);
	CHECK_INT(vzl_config_save(cfg, NULL), 1);
	vzl_config_free(cfg);
	CHECK_INT(lstat(link, &st), 0);
	CHECK(S_ISLNK(st.st_mode));
	s = slurp(path, &len);
	CHECK_STR(s, "ONBOOT=\"yes\"\nCPUUNITS=\"2000\"\n");
	free(s);
}

int main(int argc, char **argv)
{
	if (!mkdtemp(tmpdir))
		return 1;
	if (argc > 1 && argv[1][0])
		test_upstream(argv[1]);
	else
		fprintf(stderr, "test-conf: no fixtures-upstream directory; skipping that part\n");
	test_dup_rules();
	test_layers();
	test_escaping();
	test_uuid();
	test_atomic();
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		return 1;
	return test_summary("test-conf");
}
