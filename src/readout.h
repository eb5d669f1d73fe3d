/* SPDX-License-Identifier: GPL-3.0-or-later */
/* From switching counts to U, D and the change in synaptic strength, with 95% intervals. */
#ifndef CSTDP_READOUT_H
#define CSTDP_READOUT_H

#include <stdint.h>

typedef struct readout {
	double U, U_lo, U_hi;                /* fraction of DOWN-started synapses ending UP, 95% Wilson */
	double D, D_lo, D_hi;                /* fraction of UP-started synapses ending DOWN, 95% Wilson */
	double change, change_lo, change_hi; /* after/before; interval propagated from U and D */
} readout;

/* The change in synaptic strength (after/before) for switching probabilities U and D, with beta the
 * fraction initially DOWN and b = w_UP / w_DOWN. */
double readout_change(double U, double D, double beta, double b);

/* The normal quantile of the 95% intervals. */
#define READOUT_Z95 1.959963984540054

/* Wilson score interval for k successes in n trials at normal quantile z (1.959964 for 95%). */
void readout_wilson(uint64_t k, uint64_t n, double z, double *lo, double *hi);

/* n repetitions per initial state: ups of the DOWN-started ended UP, downs of the UP-started ended
 * DOWN. With n == 0 everything is NaN. */
void readout_from_counts(uint64_t n, uint64_t ups, uint64_t downs, double beta, double b, readout *r);

#endif
