/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Built against the installed header and vzlite.pc only: proves the installed API is usable. */
#include <stdio.h>
#include <string.h>
#include <vzlite.h>

int main(void)
{
	vzl_error *err = NULL;
	unsigned veid = 0;
	if (vzl_veid_parse("101", &veid, &err) < 0 || veid != 101)
		return 1;
	if (vzl_veid_parse("-1", &veid, &err) == 0 || vzl_error_code(err) == 0)
		return 2;
	vzl_error_free(err);
	if (vzl_param_count() < 20 || strcmp(vzl_param_name(0), "KMEMSIZE") != 0)
		return 3;
	printf("vzlite %s, %zu parameters\n", vzl_version(), vzl_param_count());
	return 0;
}
