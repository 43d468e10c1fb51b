/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Host names and template/profile names (name-rules.h). */
#include <stdbool.h>
#include <string.h>

#include "name-rules.h"

static bool label_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_';
}

const char *hostname_problem(const char *s)
{
	/* The value goes into the VE's /etc/hostname and /etc/hosts and to sethostname(); a
	 * character a resolver or an init script would split on or expand has no place there. */
	if (!*s)
		return "is empty; give a host name such as web1.example.com";
	if (strlen(s) > HOSTNAME_MAX)
		return "is longer than 253 bytes, the longest host name";
	for (const char *label = s;;) {
		size_t n = 0;
		while (label_char(label[n]))
			n++;
		if (label[n] && label[n] != '.')
			return "is not a host name; use letters, digits, '-' and '_' in labels "
			       "separated by dots";
		if (n == 0)
			return "has an empty label; a host name has no leading, trailing or double "
			       "dot";
		if (n > HOSTNAME_LABEL_MAX)
			return "has a label longer than 63 characters, the longest a host name "
			       "label can be";
		if (label[0] == '-' || label[n - 1] == '-')
			return "has a label starting or ending with '-'; a host name label "
			       "starts and ends with a letter, digit or '_'";
		if (!label[n])
			return NULL;
		label += n + 1;
	}
}

const char *template_name_problem(const char *s)
{
	if (!*s)
		return "is empty; give a name";
	if (strpbrk(s, " \t/") || s[0] == '.')
		return "is not a single name; use one word without blanks or '/' that does not "
		       "start with '.'";
	return NULL;
}
