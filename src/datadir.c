/* SPDX-License-Identifier: GPL-3.0-or-later */
/* datadir: the installed folders, as configured or from $CALCIUM_STDP_DATADIR. */
#include "datadir.h"

#include <stdio.h>
#include <stdlib.h>

#ifndef CSTDP_DATA_PARAMS
#define CSTDP_DATA_PARAMS "/usr/share/calcium-stdp/params"
#endif
#ifndef CSTDP_DATA_DATA
#define CSTDP_DATA_DATA "/usr/share/calcium-stdp/data"
#endif

static const char *under_env(char *buf, size_t len, const char *sub, const char *configured)
{
	const char *env = getenv("CALCIUM_STDP_DATADIR");
	if (!env || !*env)
		return configured;
	int n = snprintf(buf, len, "%s/%s", env, sub);
	return n > 0 && (size_t)n < len ? buf : configured;
}

const char *datadir_params(void)
{
	static char buf[4096];
	return under_env(buf, sizeof buf, "params", CSTDP_DATA_PARAMS);
}

const char *datadir_data(void)
{
	static char buf[4096];
	return under_env(buf, sizeof buf, "data", CSTDP_DATA_DATA);
}
