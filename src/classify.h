/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Curve classes (Fig. 2 of the paper): the ordered signs of (change - 1) where a curve departs from 1
 * by more than a tolerance, e.g. "D", "P", "DP", "PD", "DPD", "PDP"; "flat" when it never does. */
#ifndef CSTDP_CLASSIFY_H
#define CSTDP_CLASSIFY_H

#include <stddef.h>

/* The default tolerance: a point departs from 1 when |change - 1| > 0.01. */
#define CLASSIFY_TOLERANCE 0.01

/* Longest class written (longer ones are cut and end in "+"), with its terminating NUL. */
#define CLASSIFY_MAX 16

/* What a curve is: its class and its extremes. */
typedef struct classify_result {
	char name[CLASSIFY_MAX]; /* "flat", "D", "DP", ... */
	double change_min;       /* the lowest change, NaN when no point was finite */
	double x_at_min;         /* its x (the first, if several) */
	double change_max;       /* the highest change */
	double x_at_max;
	double class_p; /* the share of resamples of a simulated curve that give this class (each point's
	                   U and D redrawn from their binomials); 1 for an exact (analytic) curve */
} classify_result;

/* Classify the curve change[i] at x[i], i = 0 .. n-1 in order of x. A point counts as depression when
 * change < 1 - tol and as potentiation when change > 1 + tol. With intervals (lo and hi not NULL, as a
 * simulated curve has), a point counts only when its whole interval lies beyond the tolerance, so that
 * noise alone does not add letters. Consecutive points of one sign give one letter; points within the
 * tolerance or not finite separate nothing. */
void classify_curve(const double *x, const double *change, const double *lo, const double *hi, int n,
                    double tol, classify_result *out);

/* Parse a tolerance given on the command line: a finite number from 0 to 1. 0, or -1 with err set. */
int classify_parse_tolerance(const char *text, double *out, char *err, size_t errlen);

#endif
