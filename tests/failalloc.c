/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A fault injector for the tests, preloaded with LD_PRELOAD. Two modes:
 * - by default malloc, calloc and realloc fail in every thread but the main one, as when memory runs
 *   out while workers run. The main thread keeps working, so the program can still say what failed.
 *   FAILALLOC_AFTER=N lets the workers' first N allocations (all threads together) succeed, to reach
 *   failures deeper in a run.
 * - FAILALLOC_NTH=N: only the N-th allocation of the process (any thread, counted from 1) fails,
 *   every other one succeeds: run with N = 1, 2, ... to fail every allocation in turn.
 *   An allocation that libiniparser makes itself is never failed: the library does not check them
 *   (it crashes in dictionary_set), which no caller can mend.
 * FAILALLOC_COUNT=FILE writes the number of allocations made to FILE at exit.
 * Built by tests/fault-injection.sh, not installed. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <string.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

void *__libc_malloc(size_t size);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *p, size_t size);

static atomic_long allowed = -1; /* worker allocations left before they fail; -1: not read yet */

static int in_worker(void);

static atomic_long count;    /* allocations so far */
static atomic_long nth = -1; /* FAILALLOC_NTH, 0 when not set; -1: not read yet */

static void write_count(void)
{
	const char *path = getenv("FAILALLOC_COUNT");
	if (!path)
		return;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return;
	char buf[32];
	int len = snprintf(buf, sizeof buf, "%ld\n", atomic_load(&count));
	if (write(fd, buf, (size_t)len) < 0)
		len = 0;
	close(fd);
}

__attribute__((destructor)) static void at_exit(void)
{
	write_count();
}

/* 1: the allocation called from caller is made by a library that cannot take a failure. */
static int spared(void *caller)
{
	Dl_info info;
	return dladdr(caller, &info) && info.dli_fname && strstr(info.dli_fname, "libiniparser");
}

/* 1: this allocation (called from caller) is to fail. */
static int fails(void *caller)
{
	long c = atomic_fetch_add(&count, 1) + 1, want = atomic_load(&nth);
	if (want < 0) {
		const char *e = getenv("FAILALLOC_NTH");
		long w = e ? strtol(e, NULL, 10) : 0;
		atomic_compare_exchange_strong(&nth, &want, w > 0 ? w : 0);
		want = atomic_load(&nth);
	}
	if (want > 0)
		return c == want && !spared(caller);
	if (getenv("FAILALLOC_COUNT") && !getenv("FAILALLOC_AFTER"))
		return 0; /* counting only */
	return in_worker();
}

static int in_worker(void)
{
	if (syscall(SYS_gettid) == getpid())
		return 0;
	long left = atomic_load(&allowed);
	if (left < 0) {
		/* getenv does not allocate. */
		const char *e = getenv("FAILALLOC_AFTER");
		long want = e ? strtol(e, NULL, 10) : 0;
		atomic_compare_exchange_strong(&allowed, &left, want > 0 ? want : 0);
	}
	return atomic_fetch_sub(&allowed, 1) <= 0;
}

void *malloc(size_t size)
{
	if (fails(__builtin_return_address(0))) {
		errno = ENOMEM;
		return NULL;
	}
	return __libc_malloc(size);
}

void *calloc(size_t n, size_t size)
{
	if (fails(__builtin_return_address(0))) {
		errno = ENOMEM;
		return NULL;
	}
	return __libc_calloc(n, size);
}

void *realloc(void *p, size_t size)
{
	if (fails(__builtin_return_address(0))) {
		errno = ENOMEM;
		return NULL;
	}
	return __libc_realloc(p, size);
}
