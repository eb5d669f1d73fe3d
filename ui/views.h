/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The teaching views at the cursor's grid point: a chart on a canvas and a few lines of numbers under
 * it. No curses: view_chart.c copies the chart into the screen and prints the lines.
 *   calcium  - one period of the steady-state calcium c(t) with theta_d and theta_p, the spikes, the
 *              time above each threshold shaded, and the paper's numbers (alpha_d, alpha_p, rho_bar,
 *              U, D); Poisson trains have no period, so a sample stretch of their calcium instead
 *   efficacy - sample paths rho(t) over the whole protocol from DOWN and from UP (the paths the
 *              simulation takes for those synapses), with rho_star and rho_bar */
#ifndef CSTDP_VIEWS_H
#define CSTDP_VIEWS_H

#include <stddef.h>
#include <stdint.h>

#include "analytic.h"
#include "canvas.h"
#include "params.h"

enum views_kind {
	VIEWS_NONE,     /* the STDP plot only */
	VIEWS_CALCIUM,  /* calcium in one period */
	VIEWS_EFFICACY, /* sample rho(t) paths */
};

#define VIEWS_PATHS    5   /* sample paths per initial state */
#define VIEWS_LINES    5   /* text lines under the chart, at most */
#define VIEWS_LINE_MAX 256 /* bytes of one line */

typedef struct views_out {
	const canvas *chart;                    /* w x chart_h cells, owned by the views; NULL: no room */
	int chart_h;                            /* rows of the chart (the lines follow it) */
	char title[VIEWS_LINE_MAX];             /* what the view shows, for its box or divider */
	char brief[VIEWS_LINE_MAX];             /* the same in fewer words, for narrow boxes */
	int nlines;                             /* lines under the chart */
	char line[VIEWS_LINES][VIEWS_LINE_MAX]; /* ASCII, each at most w characters */
} views_out;

/* The views' canvas and caches (a sample path or a Poisson analytic point takes a millisecond:
 * computed again only when the parameters, the point or the seed change). */
typedef struct views views;

views *views_new(void);
void views_free(views *v);

/* The analytic approximation at x under p, cached. */
const analytic_point *views_analytic(views *v, const param_set *p, double x);

/* Compose view kind for grid point index of p (x = params_x(p, index)) in a w x h cell region:
 * the chart on top, out->nlines lines of numbers below. seed: the simulation's (for the sample
 * paths). 0, or -1 when the region is too small or memory runs out (out->chart is NULL then). */
int views_render(views *v, enum views_kind kind, const param_set *p, int index, uint64_t seed, int w, int h,
                 canvas_mode mode, views_out *out);

/* Where the cursor is, as a person says it: "dt = +10 ms", "20 Hz (dt = +10 ms)", "post 20 Hz". */
void views_format_x(const param_set *p, double x, char *buf, size_t len);

/* The grid point of p nearest to x. */
int views_nearest(const param_set *p, double x);

#endif
