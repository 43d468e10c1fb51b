/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vzl_error: creation, accessors, prefixing, NULL handling, step names. */
#include <errno.h>
#include <stdlib.h>

#include "error.h"
#include "test.h"

int main(void)
{
	vzl_error *err = NULL;

	CHECK_INT(error_set(&err, EPERM, 101, VZL_STEP_UBC_SET, "KMEMSIZE", "cannot set %s", "x"),
		  -EPERM);
	CHECK_INT(vzl_error_code(err), EPERM);
	CHECK_INT(vzl_error_veid(err), 101);
	CHECK_INT(vzl_error_step(err), VZL_STEP_UBC_SET);
	CHECK_STR(vzl_error_param(err), "KMEMSIZE");
	CHECK_STR(vzl_error_message(err), "cannot set x");
	error_prefix(&err, "start of VE %u", 101u);
	CHECK_STR(vzl_error_message(err), "start of VE 101: cannot set x");
	vzl_error_free(err);

	/* A NULL err still returns the code; callers may not want details. */
	CHECK_INT(error_set(NULL, ENOENT, 0, VZL_STEP_CONFIG_READ, NULL, "x"), -ENOENT);

	/* A zero or negative code must never turn into success. */
	err = NULL;
	CHECK(error_set(&err, 0, 0, VZL_STEP_NONE, NULL, "bug") < 0);
	CHECK(vzl_error_code(err) > 0);
	vzl_error_free(err);

	/* The VE is filled in only where none is set yet. */
	err = NULL;
	error_set(&err, EIO, 0, VZL_STEP_MOUNT, NULL, "m");
	error_set_veid(&err, 7);
	error_set_veid(&err, 8);
	CHECK_INT(vzl_error_veid(err), 7);
	vzl_error_free(err);

	/* Accessors and free accept NULL. */
	vzl_error_free(NULL);
	CHECK_INT(vzl_error_code(NULL), 0);
	CHECK_STR(vzl_error_message(NULL), "no error");

	CHECK_STR(vzl_step_name(VZL_STEP_UBC_SET), "setublimit");
	CHECK(vzl_step_name(_VZL_STEP_MAX) == NULL);
	for (int s = 0; s < _VZL_STEP_MAX; s++)
		CHECK(vzl_step_name(s) != NULL);
	return test_summary("test-error");
}
