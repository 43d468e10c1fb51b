// SPDX-License-Identifier: LGPL-2.1-or-later
/* The i386 numbers of the calls the supervisor injects (apart: they collide with x86_64's). */
#include <asm/unistd_32.h>

#include "inject.h"

const struct inj_nrs inj_nrs_i386 = {
	.unshare = __NR_unshare,
	.setns = __NR_setns,
	.close = __NR_close,
	.close_range = 436, /* __NR_close_range, absent from older headers */
	.pidfd_open = 434,  /* __NR_pidfd_open */
	.fork = __NR_fork,
	.wait4 = __NR_wait4,
	.kill = __NR_kill,
	.exit_group = __NR_exit_group,
	.rt_sigaction = __NR_rt_sigaction,
	.rt_sigprocmask = __NR_rt_sigprocmask,
	.capset = __NR_capset,
	.prctl = __NR_prctl,
};
