/* A fault injector for the tests, preloaded with LD_PRELOAD: malloc, calloc and realloc fail in every
 * thread but the main one, as when memory runs out while workers run. The main thread keeps working,
 * so the program can still say what failed. FAILALLOC_AFTER=N lets the workers' first N allocations
 * (all threads together) succeed, to reach failures deeper in a run. Built by
 * tests/fault-injection.sh, not installed. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

void *__libc_malloc(size_t size);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *p, size_t size);

static atomic_long allowed = -1; /* worker allocations left before they fail; -1: not read yet */

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
	if (in_worker()) {
		errno = ENOMEM;
		return NULL;
	}
	return __libc_malloc(size);
}

void *calloc(size_t n, size_t size)
{
	if (in_worker()) {
		errno = ENOMEM;
		return NULL;
	}
	return __libc_calloc(n, size);
}

void *realloc(void *p, size_t size)
{
	if (in_worker()) {
		errno = ENOMEM;
		return NULL;
	}
	return __libc_realloc(p, size);
}
