/* SPDX-License-Identifier: GPL-3.0-or-later */
/* compat: the processor count that stands in for uv_available_parallelism on libuv < 1.44. */
#ifdef __linux__
#define _GNU_SOURCE /* sched_setaffinity */
#include <sched.h>
#endif
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include <unistd.h>
#include <uv.h>

#include "compat.h"
#include "tap.h"

int main(void)
{
	unsigned n = compat_available_parallelism();
	long online = sysconf(_SC_NPROCESSORS_ONLN), conf = sysconf(_SC_NPROCESSORS_CONF);
	long most = online > conf ? online : conf;
	ok(n >= 1 && (most < 1 || (long)n <= most), "between 1 and the processors there are (%u of %ld)", n,
	   most);
	tap_diag("libuv %s at run time, %d.%d.%d at build time", uv_version_string(), UV_VERSION_MAJOR,
	         UV_VERSION_MINOR, UV_VERSION_PATCH);
#ifdef HAVE_UV_AVAILABLE_PARALLELISM
	/* libuv may also count a cgroup's CPU quota (1.47 and later), never more processors. */
	unsigned u = uv_available_parallelism();
	ok(u >= 1 && u <= n, "libuv's count (%u) is at most ours (%u)", u, n);
#else
	ok(uv_available_parallelism() == n, "uv_available_parallelism is ours on this libuv");
#endif
#ifdef __linux__
	/* Pinned to one processor (as taskset -c does), the count follows. */
	cpu_set_t one;
	CPU_ZERO(&one);
	int cpu = sched_getcpu();
	CPU_SET(cpu < 0 ? 0 : cpu, &one);
	if (sched_setaffinity(0, sizeof one, &one) == 0)
		ok(compat_available_parallelism() == 1, "pinned to one processor: 1 (got %u)",
		   compat_available_parallelism());
	else
		ok(1, "# SKIP this system refuses to pin the process");
#endif
	return tap_done();
}
