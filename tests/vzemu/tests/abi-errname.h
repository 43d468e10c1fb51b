/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* errno names for the raw-ABI client: its own table, so it builds with musl as with glibc */
#ifndef VZEMU_ABI_ERRNAME_H
#define VZEMU_ABI_ERRNAME_H

/* "EPERM" for EPERM; "E<number>" for an errno the table lacks (never NULL) */
const char *abi_errno_name(int e);

#endif
