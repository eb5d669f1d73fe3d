/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The plot's defaults that need no drawing: the styles of overlay curves and measured points, the
 * markers' size, and the ranges that fit the data (part of the plot module, plot.h). */
#include "plot.h"

#include <math.h>

#include "axes.h"

/* Seed figure defaults (Graupner & Brunel 2012, Fig. 2C: 41 points, dt -100..100 ms step 5). */
#define SEED_XMIN     (-102.5)
#define SEED_XMAX     102.5
#define SEED_YMIN     0.3
#define SEED_YMAX     1.7
#define SEED_HALFSTEP 2.5

/* A range that can be mapped: finite ends and a finite, positive span. */
static int usable(double lo, double hi)
{
	return isfinite(lo) && isfinite(hi) && hi > lo && isfinite(hi - lo);
}

plot_style plot_style_curve(int k)
{
	static const unsigned char dash[] = {PLOT_DASHED, PLOT_DOTTED, PLOT_DASHDOT, 0x0F, 0x33, 0x27};
	/* Twelve characters, so that the five `f` curves, the compared sets and four pins never share
	 * one in ASCII, where the dash patterns do not show. */
	static const char ascii[] = {'~', '=', '#', '%', '&', '$', '@', '?', '[', ']', '{', '}'};
	int i = (k % 6 + 6) % 6;
	static const int color[3] = {CC_OVERLAY, CC_OVERLAY2, CC_OVERLAY3};
	return (plot_style){.color = color[(k % 3 + 3) % 3],
	                    .dash = dash[i],
	                    .ascii = ascii[(k % 12 + 12) % 12],
	                    .prio = PLOT_PRIO_OVERLAY - (k < 15 ? k : 15)};
}

plot_style plot_style_points(int k)
{
	static const enum plot_marker marker[] = {PM_DIAMOND, PM_PLUS, PM_CROSS};
	return (plot_style){.color = k % 2 ? CC_OVERLAY2 : CC_EXP,
	                    .marker = marker[(k % 3 + 3) % 3],
	                    .bar_dash = PLOT_DOTTED,
	                    .bar_ascii = '!',
	                    .prio = PLOT_PRIO_EXP_BAR - 1 - (k < 8 ? k : 8)};
}

void plot_marker_size(int width, int height, double spacing, int *mw, int *mh)
{
	int s = 1 + (height >= 30) + (height >= 60) + (width >= 400);
	int w = s, h = (s + 1) / 2;
	/* Room for a blank column between neighbours. */
	int room = isfinite(spacing) && spacing >= 2 ? (int)spacing - 1 : 1;
	if (w > room)
		w = room;
	*mw = w < 1 ? 1 : w;
	*mh = h;
}

void plot_autoscale(const plot_data *d, double *ymin, double *ymax)
{
	double xmin = d->xmin, xmax = d->xmax;
	axes_span s = {1, 1};

	if (!usable(xmin, xmax)) {
		xmin = -INFINITY;
		xmax = INFINITY;
	}
	axes_span_add(&s, d->n, d->x, d->y, d->lo, d->hi, xmin, xmax);
	axes_span_add(&s, d->nexp, d->ex, d->ey, d->elo, d->ehi, xmin, xmax);
	if (d->show_analytic)
		axes_span_add(&s, d->na, d->ax, d->ay, NULL, NULL, xmin, xmax);
	for (int k = 0; k < d->nlines; k++)
		axes_span_add(&s, d->lines[k].n, d->lines[k].x, d->lines[k].y, NULL, NULL, xmin, xmax);
	for (int k = 0; k < d->nlayers; k++)
		axes_span_add(&s, d->layers[k].n, d->layers[k].x, d->layers[k].y, d->layers[k].lo,
		              d->layers[k].hi, xmin, xmax);
	axes_yrange(&s, SEED_YMIN, SEED_YMAX, ymin, ymax);
}

void plot_xrange_for(const double *x, int n, double *xmin, double *xmax)
{
	axes_xrange(x, n, SEED_XMIN, SEED_XMAX, SEED_HALFSTEP, xmin, xmax);
}
