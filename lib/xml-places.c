/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Which config keys have an element of their own in domain XML, from the parameter table's
 * XML places (param_def.xml), for the writer (dumpxml.c: such keys are not repeated as
 * <vz:param>) and the reader (xml-ext.c: <vz:param> refuses them, xml.md §C.2).
 */
#include <string.h>

#include "params.h"
#include "xml.h"

int xml_key_has_element(const char *key)
{
	/* Not a vzctl key, so not in the table: <vz:ugid-quota>, <quota level='second'>. */
	if (strcmp(key, XML_KEY_UGID_QUOTA) == 0)
		return 1;
	/* An alias (DCACHE) is looked up as its key, whose element it then shares. */
	const struct param_def *p = param_find(key);
	return p && param_xml_has_element(p);
}
