/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Per-VE lock files, compatible with vzctl: $LOCKDIR/<VEID>.lck holding "<pid>\n\n",
 * created by link() from a temporary file (vzctl-behaviour.md §1.6). vzlite additionally
 * holds an flock on the file while it owns it, which lets a later locker tell a stale
 * lock whose pid was reused from a live one.
 */
#ifndef VZL_LOCK_H
#define VZL_LOCK_H

#include "vzlite.h"

struct ve_lock {
	int fd;     /* open on the lock file, flock(LOCK_EX) held; -1 when not locked */
	char *path;
};

/*
 * Take the lock of `veid` in `lock_dir` (created with parents if missing, mode 0755).
 * -EBUSY (step VZL_STEP_LOCK) when a live process holds it, naming that process.
 */
int lock_ve(const char *lock_dir, unsigned int veid, struct ve_lock *ret, vzl_error **err);
/* Release a lock taken by lock_ve; a no-op on an unlocked struct. */
void unlock_ve(struct ve_lock *l);

#endif
