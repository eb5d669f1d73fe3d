/* SPDX-License-Identifier: GPL-3.0-or-later */
/* compat: what older versions of the libraries lack, in one place. */
#ifndef CSTDP_COMPAT_H
#define CSTDP_COMPAT_H

/* The number of processors this process may run on (its CPU affinity where the system has one, else
 * the processors online), at least 1: what uv_available_parallelism() returns on Linux. */
unsigned int compat_available_parallelism(void);

/* libuv before 1.44 lacks uv_available_parallelism (config.h includes this header then). */
#ifndef HAVE_UV_AVAILABLE_PARALLELISM
#define uv_available_parallelism compat_available_parallelism
#endif

#endif
