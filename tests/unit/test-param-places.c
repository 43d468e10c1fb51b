/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Every row of the parameter table says where its key lives in domain XML and what applies
 * its value (as LXC's config_jump_table test holds every config key to a setter): a row
 * without an XML place or an explicit "not in XML" reason, or without an applier, fails.
 * The keys with an element of their own are checked against the list in docs/xml.md §C.2
 * (copied here from the document, not from the table), and set's policy against the options
 * the README lists as not implemented yet.
 */
#include <stdbool.h>
#include <string.h>

#include "apply.h"
#include "params.h"
#include "test.h"
#include "vzlite.h"
#include "xml.h"

static bool in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

/* xml.md §C.2, <vz:param>: "refused for keys that have a home above or in the libvirt part" */
static const char *const homed[] = {
	"OSTEMPLATE",   "ORIGIN_SAMPLE", "ONBOOT",     "HOSTNAME",  "NAMESERVER",
	"SEARCHDOMAIN", "DISKSPACE",     "DISKINODES", "QUOTATIME", "QUOTAUGIDLIMIT",
	"DISK_QUOTA",   "CPUUNITS",      "CPULIMIT",   "CPUS",      "IP_ADDRESS",
	"NETIF",        "DESCRIPTION",   "VEID",       NULL,
};

static void check_row(const struct param_def *p)
{
	const struct param_xml *x = &p->xml;
	bool placed = x->libvirt || x->ext || x->seed;
	if (!placed && !(x->none && *x->none))
		fprintf(stderr, "%s: no XML place and no reason why it has none\n", p->name);
	CHECK(placed || (x->none && *x->none));
	if (placed && x->none)
		fprintf(stderr, "%s: has an XML place and says it has none\n", p->name);
	CHECK(!(placed && x->none));
	if (!p->apply)
		fprintf(stderr, "%s: no applier\n", p->name);
	CHECK(p->apply != NULL);

	/* A key saved in a VE config is carried by dumpxml: it must be in the extension or
	 * have an element of its own. */
	if (!(p->flags & (PARAM_F_NOT_SAVED | PARAM_F_GLOBAL_ONLY)) && !x->ext &&
	    !param_xml_has_element(p))
		fprintf(stderr, "%s: saved but in no document\n", p->name);
	CHECK((p->flags & (PARAM_F_NOT_SAVED | PARAM_F_GLOBAL_ONLY)) || x->ext ||
	      param_xml_has_element(p));

	/* The document's list of keys with an element of their own, plus every UB key. */
	bool want = in_list(homed, p->name) || p->type == PARAM_T_UBC;
	if (want != xml_key_has_element(p->name))
		fprintf(stderr, "%s: has_element %d, xml.md says %d\n", p->name,
			xml_key_has_element(p->name), want);
	CHECK(want == (bool)xml_key_has_element(p->name));
	if (p->type == PARAM_T_UBC)
		CHECK_STR(x->ext, "vz:ubc");

	/* A kernel call named by the row is made by a kernel applier or said to be pending. */
	if (p->applier == PARAM_A_SETUBLIMIT && p->ub_resource >= 0)
		CHECK(p->apply == apply_setublimit);
	if (p->applier == PARAM_A_NONE)
		CHECK(p->apply == apply_stored || p->apply == apply_host_setting ||
		      p->apply == apply_not_sent);
}

int main(void)
{
	for (size_t i = 0; i < param_table_len; i++)
		check_row(&param_table[i]);

	/* Aliases and the vzlite-only per-uid quota key have elements too (§C.2). */
	CHECK(xml_key_has_element("DCACHE"));
	CHECK(xml_key_has_element("VZLITE_UGID_QUOTA"));
	CHECK(!xml_key_has_element("VE_PRIVATE")); /* allowed as vz:param (§C.3) */
	CHECK(!xml_key_has_element("X_LOCAL"));

	/* The extension's text elements find their keys (§C.2). */
	CHECK_STR(param_find_xml_ext("vz:profile")->name, "ORIGIN_SAMPLE");
	CHECK_STR(param_find_xml_ext("vz:onboot")->name, "ONBOOT");
	CHECK_STR(param_find_xml_ext("vz:hostname")->name, "HOSTNAME");
	CHECK_STR(param_find_xml_ext("vz:nameserver")->name, "NAMESERVER");
	CHECK_STR(param_find_xml_ext("vz:searchdomain")->name, "SEARCHDOMAIN");
	CHECK(param_find_xml_ext("vz:nothing") == NULL);

	/* set's policy (README: the options set does not implement yet). */
	static const char *const not_yet[] = {
		"ram", "swap", "netdev_del", "pci_del", "userpasswd", "applyconfig", NULL,
	};
	for (const char *const *o = not_yet; *o; o++) {
		if (!(vzl_param_set_policy(*o) & VZL_SET_NOT_IMPLEMENTED))
			fprintf(stderr, "--%s is not said to be pending\n", *o);
		CHECK(vzl_param_set_policy(*o) & VZL_SET_NOT_IMPLEMENTED);
	}
	static const char *const done[] = { "kmemsize", "k",          "physpages",   "swappages",
					    "ipadd",    "ip",         "ipdel",       "netdev_add",
					    "pci_add",  "hostname",   "netif_add",   "netif_del",
					    "ifname",   "mac",        "host_ifname", "host_mac",
					    "bridge",   "mac_filter", NULL };
	for (const char *const *o = done; *o; o++)
		CHECK(!(vzl_param_set_policy(*o) & VZL_SET_NOT_IMPLEMENTED));
	CHECK_INT(vzl_param_set_policy("kmemsize"), VZL_SET_APPLIED_LIVE);
	CHECK_INT(vzl_param_set_policy("diskspace"), VZL_SET_APPLIED_LIVE | VZL_SET_QUOTA);
	CHECK_INT(vzl_param_set_policy("quotaugidlimit"), VZL_SET_APPLIED_LIVE | VZL_SET_QUOTA);
	CHECK_INT(vzl_param_set_policy("name"), VZL_SET_APPLIED_LIVE | VZL_SET_NEEDS_SAVE);
	CHECK_INT(vzl_param_set_policy("ostemplate"), VZL_SET_NEEDS_SAVE);
	CHECK_INT(vzl_param_set_policy("stop-timeout"), VZL_SET_NEEDS_SAVE);
	CHECK_INT(vzl_param_set_policy("root"), VZL_SET_REFUSED_RUNNING);
	CHECK_INT(vzl_param_set_policy("onboot"), 0);
	CHECK_INT(vzl_param_set_policy("no-such-option"), 0);
	/* Options that change no parameter have no key, only the policy. */
	CHECK(vzl_param_key_for_option("reset_ub") == NULL);
	CHECK_INT(vzl_param_set_policy("reset_ub"), 0); /* set handles it itself */
	CHECK_INT(vzl_param_set_policy("applyconfig"), VZL_SET_NOT_IMPLEMENTED);
	return test_summary("test-param-places");
}
