/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The public, read-only view of the parameter table (params.c). */
#include "params.h"
#include "vzlite.h"

static const struct param_def *row(size_t i)
{
	return i < param_table_len ? &param_table[i] : NULL;
}

VZL_API size_t vzl_param_count(void)
{
	return param_table_len;
}

VZL_API const char *vzl_param_name(size_t i)
{
	const struct param_def *p = row(i);
	return p ? p->name : NULL;
}

VZL_API const char *vzl_param_option(size_t i)
{
	const struct param_def *p = row(i);
	return p ? p->option : NULL;
}

VZL_API const char *vzl_param_type(size_t i)
{
	const struct param_def *p = row(i);
	return p ? param_type_name(p->type) : NULL;
}

VZL_API const char *vzl_param_unit(size_t i)
{
	const struct param_def *p = row(i);
	return p ? param_unit_name(p->unit) : NULL;
}

VZL_API const char *vzl_param_default(size_t i)
{
	const struct param_def *p = row(i);
	return p ? p->default_value : NULL;
}

VZL_API const char *vzl_param_live(size_t i)
{
	const struct param_def *p = row(i);
	return p ? param_live_name(p->live) : NULL;
}

VZL_API const char *vzl_param_applier(size_t i)
{
	const struct param_def *p = row(i);
	return p ? param_applier_name(p->applier) : NULL;
}

VZL_API const char *vzl_param_help(size_t i)
{
	const struct param_def *p = row(i);
	return p ? p->help : NULL;
}

VZL_API const char *vzl_param_key_for_option(const char *option)
{
	const struct param_def *p = param_find_option(option);
	return p ? p->name : NULL;
}

VZL_API unsigned vzl_param_set_policy(const char *option)
{
	const struct param_def *p = param_find_option(option);
	unsigned policy = 0;
	if (!p)
		return param_set_action_pending(option) ? VZL_SET_NOT_IMPLEMENTED : 0;
	if (param_option_pending(p, option))
		policy |= VZL_SET_NOT_IMPLEMENTED;
	if (p->live == PARAM_LIVE_YES)
		policy |= VZL_SET_APPLIED_LIVE;
	if (p->live == PARAM_LIVE_REFUSED)
		policy |= VZL_SET_REFUSED_RUNNING;
	if (p->flags & PARAM_F_NEEDS_SAVE)
		policy |= VZL_SET_NEEDS_SAVE;
	if (p->applier == PARAM_A_QUOTA_SETLIMIT || p->applier == PARAM_A_QUOTA_UGID)
		policy |= VZL_SET_QUOTA;
	return policy;
}
