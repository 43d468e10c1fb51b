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
	int fd; /* open on the lock file, flock(LOCK_EX) held; -1 when not locked */
	char *path;
};

/* How long lock_ve waits for another vzlite command to release the lock. */
#define LOCK_WAIT_MS 10000

/*
 * Take the lock of `veid` in `lock_dir` (created with parents if missing, mode 0755).
 * A lock held by another vzlite command (seen by its flock) is waited for, up to
 * LOCK_WAIT_MS; one held by another live process (vzctl, which never flocks) is not, as
 * vzctl does not wait either. Stale locks (dead or reused pid, no pid) are removed.
 * -EBUSY (step VZL_STEP_LOCK) when it stays held, naming the holder's pid and command line;
 * -EINVAL when the lock path is not a regular file (a FIFO, directory, link, ...), saying
 * which and how to fix it.
 */
int lock_ve(const char *lock_dir, unsigned int veid, struct ve_lock *ret, vzl_error **err);
/* lock_ve waiting at most `wait_ms` for another vzlite command. */
int lock_ve_wait(const char *lock_dir, unsigned int veid, int wait_ms, struct ve_lock *ret,
		 vzl_error **err);
/* Release a lock taken by lock_ve; a no-op on an unlocked struct. */
void unlock_ve(struct ve_lock *l);

#endif
