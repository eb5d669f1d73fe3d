/* SPDX-License-Identifier: GPL-3.0-or-later */
/* compat: stand-ins for library functions that older versions lack. Kept even where the library has
 * them, so that the tests compare the two. */
#ifdef __linux__
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include <sched.h>
#endif
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include <unistd.h>

#include "compat.h"

unsigned int compat_available_parallelism(void)
{
#ifdef __linux__
	/* The affinity mask, as libuv reads it: taskset and cpusets narrow it. */
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof set, &set) == 0) {
		int n = CPU_COUNT(&set);
		if (n > 0)
			return (unsigned int)n;
	}
#endif
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (unsigned int)n : 1;
}
