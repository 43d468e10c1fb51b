/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What /proc tells about another process: when it started and its command line. Used to
 * judge whether a pid written into a file (a lock, a temporary config) still belongs to the
 * process that wrote it.
 */
#ifndef VZL_PROC_PID_H
#define VZL_PROC_PID_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

/*
 * Field 22 (starttime, clock ticks after boot) of a /proc/<pid>/stat line. The second field
 * is the command name in parentheses and may itself hold blanks and ')', so fields are
 * counted after the last ')'. -EINVAL when the line does not have that form.
 */
int proc_stat_start_ticks(const char *stat_line, unsigned long long *ret_ticks);

/*
 * How much later than a file's mtime a process must have started for the pid written in
 * that file to count as reused: the start time has clock-tick resolution and many file
 * systems keep whole seconds (FAT two).
 */
#define PID_REUSE_SLACK_SEC 2

/*
 * Did `pid` start later than `t` + `slack_sec` (wall-clock time)? 1 yes, 0 no, negative
 * errno when it cannot be told (no such process, /proc unreadable). The start time has the
 * resolution of a clock tick; `slack_sec` covers that and coarse file timestamps.
 */
int proc_pid_started_after(pid_t pid, const struct timespec *t, int slack_sec);

/*
 * Is the process that wrote `pid` into a file last modified at `written` gone? Yes when no
 * process has that pid, or when the one that has it started after the file was written
 * (+ PID_REUSE_SLACK_SEC): the pid was reused. A lock or a temporary file whose writer is
 * gone is stale.
 */
bool proc_pid_writer_gone(pid_t pid, const struct timespec *written);

/* The command line of `pid` with arguments joined by blanks, cut to `size`; "" if unknown. */
void proc_pid_cmdline(pid_t pid, char *buf, size_t size);

#endif
