/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Pinned curves: copies of the curve (simulated points and analytic samples) kept as references
 * while the sliders move, each with the parameter set it was computed for, so that its legend entry
 * can say what differs from the current set. Pure (no curses). */
#ifndef CSTDP_PINS_H
#define CSTDP_PINS_H

#include <stddef.h>

#include "params.h"

#define PINS_MAX 4

typedef struct pin {
	param_set set;   /* the values the curve was computed with */
	int n;           /* simulated points */
	double *x, *y;   /* their x and change (NaN: not computed yet) */
	int na;          /* analytic samples */
	double *ax, *ay; /* x and change */
	int style;       /* 0 .. PINS_MAX - 1: which of the pin styles it is drawn in */
} pin;

typedef struct pins {
	pin p[PINS_MAX]; /* oldest first */
	int n;
} pins;

/* Keep a copy of a curve. When PINS_MAX are kept the oldest goes. 0, or -1 when out of memory
 * (nothing changes then). */
int pins_add(pins *ps, const param_set *set, const double *x, const double *y, int n, const double *ax,
             const double *ay, int na);

/* Drop every pin. */
void pins_clear(pins *ps);

/* What differs between the pinned set and the current one, for the legend: "theta_p 1.3 -> 1.45",
 * up to two parameters and "+N more", or "same parameters" (e.g. another seed's run). */
void pins_label(const pin *p, const param_set *current, char *buf, size_t len);

#endif
