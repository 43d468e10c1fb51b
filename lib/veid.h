/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The one rule for a VEID (ve.c): what the command line, a config's VEID key and both XML
 * formats accept as a VE ID, and which IDs a new VE may get.
 */
#ifndef VZL_VEID_H
#define VZL_VEID_H

#include "vzlite.h"

/* The rule in words, for messages. */
#define VEID_RULE "use a decimal number from 0 to 2147483644 without sign, blank or leading zero"

/* IDs below this are reserved by vzctl's manual ("CT ID <= 100 are reserved"); 0 is the host. */
#define VEID_FIRST_FREE 101u

/*
 * `text` as a VEID: decimal digits, no sign, blank or leading zero (so one VE has one
 * spelling, as its file name <VEID>.conf has), 0..VZL_VEID_MAX. 0 or -EINVAL.
 */
int veid_parse(const char *text, unsigned *ret);

/*
 * -EINVAL (exit 21) when `veid` is reserved (1..100), naming `what` makes the VE: create,
 * define and a save that writes a new config refuse them; an existing VE keeps working.
 * VE 0 is the host and is not refused here (set acts on it; create_refuse_ct0).
 */
int ve_check_reserved(unsigned veid, const char *what, vzl_error **err);

#endif
