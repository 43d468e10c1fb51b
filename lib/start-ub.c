/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The beancounter limits a start sends (vzctl's check_ub and fill_vswap_ub,
 * vzctl-behaviour.md §6.2, §6.6): a classic config must set all 20 resources, a VSwap one
 * PHYSPAGES and SWAPPAGES, whose missing secondary limits are derived here, in memory
 * only; NUMIPTENT below 16 becomes 16:16 (§3.2 step 7).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "ctx.h"
#include "error.h"
#include "macro.h"
#include "params.h"
#include "ve-run.h"

/* §3.2 step 9.3: numfile (19) before dcachesize (18), swappages last. */
const int start_ub_order[] = {
	UB_KMEMSIZE,    UB_LOCKEDPAGES,  UB_PRIVVMPAGES,  UB_SHMPAGES,   UB_NUMPROC,
	UB_PHYSPAGES,   UB_VMGUARPAGES,  UB_OOMGUARPAGES, UB_NUMTCPSOCK, UB_NUMFLOCK,
	UB_NUMPTY,      UB_NUMSIGINFO,   UB_TCPSNDBUF,    UB_TCPRCVBUF,  UB_OTHERSOCKBUF,
	UB_DGRAMRCVBUF, UB_NUMOTHERSOCK, UB_NUMFILE,      UB_DCACHESIZE, UB_NUMXTENT,
	UB_SWAPPAGES,   UB_RESOURCES,
};

/* The 20 a classic config must set (§6.2): every one sent but SWAPPAGES. */
static bool classic_required(int ub)
{
	return ub != UB_SWAPPAGES;
}

static unsigned long sat_add(unsigned long a, unsigned long b)
{
	return a > UB_MAXVALUE - b ? UB_MAXVALUE : a + b;
}

static void derive(struct ve_ub *ub, int res, unsigned long barrier, unsigned long limit)
{
	if (!ub[res].set)
		ub[res] = (struct ve_ub){ true, barrier, limit };
}

static void derive_vswap(struct ve_run *op)
{
	struct ve_ub *ub = op->ub;
	unsigned long ram = ub[UB_PHYSPAGES].limit, swap = ub[UB_SWAPPAGES].limit;
	unsigned long both = sat_add(ram, swap);
	derive(ub, UB_LOCKEDPAGES, ram, ram);
	derive(ub, UB_OOMGUARPAGES, ram, UB_MAXVALUE);
	derive(ub, UB_VMGUARPAGES, both, UB_MAXVALUE);
	double oc = op->spec.vm_overcommit.set ? op->spec.vm_overcommit.value : 0;
	if (oc <= 0) {
		derive(ub, UB_PRIVVMPAGES, UB_MAXVALUE, UB_MAXVALUE);
	} else {
		double v = (double)both * oc;
		unsigned long pv = v >= (double)UB_MAXVALUE ? UB_MAXVALUE : (unsigned long)v;
		derive(ub, UB_PRIVVMPAGES, pv, pv);
	}
}

static int ub_run(void *o, vzl_error **err)
{
	struct ve_run *op = o;
	unsigned veid = op->ve->id;
	memcpy(op->ub, op->spec.ub, sizeof(op->ub));
	struct ve_ub *phys = &op->ub[UB_PHYSPAGES];
	/* §6.6: VSwap iff PHYSPAGES' limit is neither LONG_MAX nor INT_MAX */
	op->vswap = phys->set && phys->limit != UB_MAXVALUE &&
		    phys->limit != (unsigned long)INT_MAX;

	char missing[512] = "";
	size_t used = 0, n = 0;
	for (const int *res = start_ub_order; *res != UB_RESOURCES; res++) {
		bool needed = op->vswap ? (*res == UB_PHYSPAGES || *res == UB_SWAPPAGES)
					: classic_required(*res);
		const struct param_def *p = ve_spec_ub_param(*res);
		if (!needed || op->ub[*res].set || !p)
			continue;
		n++;
		if (used < sizeof(missing))
			used += (size_t)snprintf(missing + used, sizeof(missing) - used, "%s%s",
						 used ? ", " : "", p->name);
	}
	if (n)
		return error_set(err, ENODATA, veid, VZL_STEP_CONFIG_VALUE, NULL,
				 "VE %u cannot start: %zu required UB parameter%s not set: %s; set "
				 "%s in %s (or --ram and --swap for a VSwap config)",
				 veid, n, n > 1 ? "s are" : " is", missing, n > 1 ? "them" : "it",
				 op->ve->config_path);
	if (op->vswap)
		derive_vswap(op);
	struct ve_ub *ipt = &op->ub[UB_NUMXTENT];
	if (ipt->set && (ipt->barrier < 16 || ipt->limit < 16)) {
		log_warning(op->ve->ctx, "VE %u: NUMIPTENT %lu:%lu is below 16; 16:16 is used",
			    veid, ipt->barrier, ipt->limit);
		ipt->barrier = ipt->limit = 16;
	}
	return 0;
}

static void ub_describe(const void *o, struct step_plan *plan)
{
	const struct ve_run *op = o;
	step_line(plan,
		  "check that the config of VE %u sets every required UB parameter; "
		  "derive the VSwap limits it leaves out",
		  op->ve->id);
}

const struct step start_row_ub = {
	.name = "UB completeness",
	.error_step = VZL_STEP_CONFIG_VALUE,
	.flags = STEP_CHECKS,
	.run = ub_run,
	.describe = ub_describe,
};
