/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Curves of the deterministic weight model (efficacy = weight): exact values for regular trains, means
 * over trials for the random protocols, the trials spread over threads in fixed blocks so that the
 * curve is the same bits whatever the thread count. */
#ifndef CSTDP_FAMILY_H
#define CSTDP_FAMILY_H

#include <stddef.h>
#include <stdint.h>

#include "params.h"

/* One point of a weight-model curve. */
typedef struct family_point {
	double x;        /* params_x */
	double change;   /* w / w0: exact, or the mean over trials */
	double lo, hi;   /* 95% interval of the mean (lo = hi = change when exact) */
	uint64_t trials; /* 0 when exact */
} family_point;

/* Trials per work unit (a fixed grouping: the sums do not depend on the threads). */
#define FAMILY_BLOCK 250

/* The point at x of trials trials whose changes sum to sum and their squares to sumsq: the mean and
 * its 95% interval (what family_curve gives; the explorer's engine streams the same). */
family_point family_from_sums(double x, double sum, double sumsq, uint64_t trials);

/* The curve of p (efficacy = weight) at its points: 0, or -1 with err set. */
int family_curve(const param_set *p, int threads, family_point *out, char *err, size_t errlen);

#endif
