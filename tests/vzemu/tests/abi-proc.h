/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The OpenVZ /proc files as `abi-client cases` reads them: one row, its fields after the
 * key joined by single spaces, so that a case compares values and not column widths.
 */
#ifndef VZEMU_ABI_PROC_H
#define VZEMU_ABI_PROC_H

#include <stddef.h>

/* the whole file into BUF (NUL-terminated); its length or -errno */
long abi_proc_read(const char *path, char *buf, size_t len);
/* /proc/user_beancounters, bc UID, resource RES: " held maxheld barrier limit failcnt " */
void abi_proc_ubc_row(unsigned int uid, const char *res, char *out, size_t len);
/* /proc/fairsched2, node ID: "weight rate run cpus ..." */
void abi_proc_fairsched2_row(unsigned int id, char *out, size_t len);
/* /proc/vz/veinfo, VE VEID: "class tasks ip..." */
void abi_proc_veinfo_row(unsigned int veid, char *out, size_t len);

#endif
