/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * await-create DIR PREFIX COUNT TIMEOUT_S: watch DIR, print "ready" once the watch is set,
 * then print the name of each file created in DIR whose name starts with PREFIX, until COUNT
 * names were printed. Exit 0 then, 1 when TIMEOUT_S passed first, 125 on a usage or inotify
 * error. A test tool: it tells a test that a process reached a point where it creates a
 * file (vzlite's lock temporaries, <VEID>.lck.<pid>.XXXXXX) without polling or sleeping.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: await-create DIR PREFIX COUNT TIMEOUT_S\n");
		return 125;
	}
	const char *prefix = argv[2];
	long count = strtol(argv[3], NULL, 10), timeout_ms = strtol(argv[4], NULL, 10) * 1000;
	int fd = inotify_init1(IN_CLOEXEC);
	if (fd < 0 || inotify_add_watch(fd, argv[1], IN_CREATE) < 0) {
		perror("await-create: inotify");
		return 125;
	}
	printf("ready\n");
	fflush(stdout);
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	while (count > 0) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, (int)timeout_ms) <= 0)
			return 1;
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n <= 0) {
			perror("await-create: read");
			return 125;
		}
		for (char *at = buf; at < buf + n && count > 0;) {
			const struct inotify_event *ev = (const struct inotify_event *)at;
			if (ev->len && strncmp(ev->name, prefix, strlen(prefix)) == 0) {
				printf("%s\n", ev->name);
				fflush(stdout);
				count--;
			}
			at += sizeof(*ev) + ev->len;
		}
	}
	return 0;
}
