/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A plot's axes as numbers, with no canvas and no plot types: nice tick values and their labels,
 * the x range of a grid of points, and the y range that covers what is drawn. The plot composer
 * (plot.c) and the views' charts build on these. */
#ifndef CSTDP_AXES_H
#define CSTDP_AXES_H

#include <stddef.h>

/* Nice axis ticks (1, 2, 5 x 10^k) covering [lo, hi], at most max_ticks: the smallest such step
 * whose multiples inside [lo, hi] number no more than max_ticks. Returns the count, fills
 * out[0..min(count, cap)-1] in increasing order and *step (step may be NULL). 0 when the range is
 * not finite or max_ticks < 1. */
int ticks_nice(double lo, double hi, int max_ticks, double *out, int cap, double *step);
/* v with the decimals step needs and no more: "-100", "0.5", "1.25"; never "-0". */
void ticks_format(double v, double step, char *buf, size_t len);
/* The values a y range must cover, growing as series are added; start it at {1, 1} (1.0, no
 * change in synaptic strength, is always inside). */
typedef struct axes_span {
	double lo, hi;
} axes_span;

/* Points (x[i], y[i]) with x inside [xmin, xmax] and a finite y, and their intervals ylo, yhi
 * (either may be NULL; so may x and y, for no points). */
void axes_span_add(axes_span *s, int n, const double *x, const double *y, const double *ylo,
                   const double *yhi, double xmin, double xmax);

/* s padded by 5%, widened to at least 0.9 .. 1.1, rounded out to a nice step; nothing added, or a
 * range that cannot be used: the default dmin .. dmax. */
void axes_yrange(const axes_span *s, double dmin, double dmax, double *ymin, double *ymax);

/* x range for n points (NaN x ignored): half a spacing beyond the first and last; one point: half
 * it .. +half around it; none, or a range that cannot be used: dmin .. dmax. */
void axes_xrange(const double *x, int n, double dmin, double dmax, double halfstep, double *xmin,
                 double *xmax);

#endif
