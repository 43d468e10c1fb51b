/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-model: /proc/vz/vestat (kernel/ve/vecalls.c: vestat_seq_show, ve_seq_start,
 * ve_seq_next; x86_64, BITS_PER_LONG 64), which libvirt's OpenVZ driver reads for a running
 * VE's CPU time. The expected bytes are built from the kernel's formats:
 *   the version line   "%-*s\n" with VESTAT_LINE_WIDTH - 1 = 12 * 21 - 1 and "Version: 2.2",
 *   the header         VESTAT_HEAD_FMT, twelve "%20s",
 *   a row              VESTAT_LINE_FMT, twelve 20-wide numbers: VEID user nice system uptime
 *                      (jiffies, HZ 1000) idle strv uptime (ns) used maxlat totlat numsched.
 * ve_list_add puts a new VE at the head of ve_list, VE 0 stays last and prints no row; the
 * header goes before the first entry. Inside a VE only that VE is seen. The model's CPU
 * times are 0 (it keeps no scheduler statistics), the uptimes its clock's. Included by
 * test-model.c.
 */

static void vestat_head(char *out, size_t len)
{
	snprintf(out, len, "%-*s\n%20s %20s %20s %20s %20s %20s %20s %20s %20s %20s %20s %20s\n",
		 12 * 21 - 1, "Version: 2.2", "VEID", "user", "nice", "system", "uptime", "idle",
		 "strv", "uptime", "used", "maxlat", "totlat", "numsched");
}

/* one row of VE veid, CPU times 0: its twelve fields checked against the kernel's format */
static void vestat_row(const char *name, const char *row, unsigned int veid)
{
	char want[128];
	unsigned long long f[12] = { 0 };
	int n = 0, i;
	const char *p = row;

	snprintf(want, sizeof(want), "%20u %20lu %20lu %20lu ", veid, 0UL, 0UL, 0UL);
	EQ(name, row && !strncmp(row, want, strlen(want)), 1);
	if (!row)
		return;
	EQ("vestat row: 12 fields of 20 characters, one blank between, newline",
	   (long long)(strchr(row, '\n') - row + 1), 12 * 21);
	for (i = 0; i < 12; i++, p += 21)
		n += sscanf(p, "%20llu", &f[i]) == 1 && (i == 11 ? p[20] == '\n' : p[20] == ' ');
	EQ("vestat row: every field a decimal", n, 12);
	EQ("vestat row: idle, strv, used, maxlat, totlat, numsched 0",
	   f[5] | f[6] | f[8] | f[9] | f[10] | f[11], 0);
	/* field 5 is jiffies since the start (HZ 1000: ms), field 8 ns: the same span */
	EQ("vestat row: uptime in jiffies = uptime in ns / 10^6", f[4], f[7] / 1000000);
}

/* libvirt 9.0.0, openvz_driver.c: openvzGetProcessInfo's scan of each line */
static int libvirt_scan(const char *line, int *veid)
{
	unsigned long long user, nice, sys;

	return sscanf(line, "%d %llu %llu %llu", veid, &user, &nice, &sys);
}

static void cases_vestat(const char *dir)
{
	struct emu_caller h = host(), a = host(), b = host(), in201 = inve(201);
	pid_t ia = spawn_init(), ib = spawn_init();
	char head[600], *t;
	size_t hl;
	int e, id = 0, status;

	if (model_reset(dir) < 0 || model_open(&M, dir) < 0 || model_lock(M) < 0)
		abort();
	vestat_head(head, sizeof(head));
	hl = strlen(head);
	EQ("vestat: the version line is 251 characters and a newline", strchr(head, '\n') - head,
	   251);

	t = render(&h, "/proc/vz/vestat", &e);
	EQ("vestat: no VE but 0 -> only the header (VE 0 prints no row)", t && !strcmp(t, head), 1);
	free(t);

	a.pid = ia;
	b.pid = ib;
	param(VE_IP_DEFAULT, 0, 0, 0);
	EQ("vestat setup: setluid 201", sys(&a, __NR_setluid, 201, 0, 0, 0, 0), 0);
	EQ("vestat setup: create 201", create_data(&a, 201, VE_CREATE | VE_EXCLUSIVE, 32, A_P),
	   201);
	EQ("vestat setup: setluid 202", sys(&b, __NR_setluid, 202, 0, 0, 0, 0), 0);
	EQ("vestat setup: create 202", create_data(&b, 202, VE_CREATE | VE_EXCLUSIVE, 32, A_P),
	   202);

	t = render(&h, "/proc/vz/vestat", &e);
	EQ("vestat: the header first", t && !strncmp(t, head, hl), 1);
	EQ("vestat: header and two rows", t ? (long long)strlen(t) : -1,
	   (long long)(hl + 2 * 12 * 21));
	if (t && strlen(t) == hl + 2 * 12 * 21) {
		vestat_row("vestat: ve_list_add: the newest VE (202) first", t + hl, 202);
		vestat_row("vestat: then 201", t + hl + 12 * 21, 201);
		EQ("libvirt's scan: the version line does not match", libvirt_scan(t, &id) == 4, 0);
		EQ("libvirt's scan: the header does not match",
		   libvirt_scan(strchr(t, '\n') + 1, &id) == 4, 0);
		EQ("libvirt's scan: 202's row is VEID then three unsigned",
		   libvirt_scan(t + hl, &id) == 4 && id == 202, 1);
		EQ("libvirt's scan: 201's row",
		   libvirt_scan(t + hl + 12 * 21, &id) == 4 && id == 201, 1);
	}
	free(t);

	/* ve_seq_start in a VE: only itself, after the header (vestat_seq_show: ve == curve) */
	t = render(&in201, "/proc/vz/vestat", &e);
	EQ("vestat in VE 201: header and its own row only",
	   t && strlen(t) == hl + 12 * 21 && !strncmp(t, head, hl), 1);
	if (t && strlen(t) == hl + 12 * 21)
		vestat_row("vestat in VE 201: its row", t + hl, 201);
	free(t);

	/* env_cleanup: ve_list_del; a stopped VE has no row */
	model_init_exited(M, 202);
	model_ve_empty(M, 202);
	t = render(&h, "/proc/vz/vestat", &e);
	EQ("vestat: a VE off the list has no row",
	   t && strlen(t) == hl + 12 * 21 && libvirt_scan(t + hl, &id) == 4 && id == 201, 1);
	free(t);

	kill(ia, SIGKILL);
	kill(ib, SIGKILL);
	waitpid(ia, &status, 0);
	waitpid(ib, &status, 0);
	model_unlock(M);
	model_close(M);
}
