/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the deterministic weight model (efficacy = weight) does over time at one grid point, for the
 * explorer's calcium and efficacy views: calcium c(t) with its depressed presynaptic transients, the
 * depression variable x(t) and the weight w(t), sampled at given times, event by event in closed form
 * (weight.h). Regular protocols give their whole train; random ones a sample trial of their own
 * stream (not one of the curve's trials). */
#ifndef CSTDP_WTRACE_H
#define CSTDP_WTRACE_H

#include <stdint.h>

#include "params.h"

/* One event of a train: a presynaptic transient (after its delay) or a postsynaptic spike, in s. */
typedef struct wtrace_event {
	double t;
	int post;
} wtrace_event;

/* The events of p's protocol at grid value x, sorted (pre first on a tie), into *ev (malloc'd, free
 * it), their number in *n, and where the read-out is (s) in *end. seed keys a random protocol's
 * sample trial. 0, or -1 when out of memory. */
int wtrace_events(const param_set *p, double x, uint64_t seed, wtrace_event **ev, int *n, double *end);

/* c, x and w at the m sorted times t[] (s) under the events ev[0 .. n-1]: c is calcium, x the
 * resources a presynaptic spike would find (1 without depression), w the weight (w0 at the start). */
void wtrace_sample(const param_set *p, const wtrace_event *ev, int n, const double *t, int m, double *c,
                   double *x, double *w);

#endif
