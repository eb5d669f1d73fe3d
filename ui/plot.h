/* The STDP plot composed on a canvas: axes, ticks, labels, reference lines, simulated points with
 * their intervals, the analytic curve, experimental points, a legend. No curses: the explorer copies
 * the canvas into a window, --plot prints it.
 *
 * Rows of a cols x rows canvas, top to bottom (a row is dropped, last listed first, when the plot
 * area would get fewer than 4 rows):
 *   ylabel as a title (when ylabel is set) | plot area | x axis | x tick labels |
 *   xlabel (when set) | legend (unless hide_legend or there is nothing to list)
 * The area maps [xmin, xmax] x [ymin, ymax] onto its dots edge to edge: x = xmin is the left edge of
 * its first column, y = ymax the top edge of its first row. Markers: ASCII 'o' (simulated) and 'x'
 * (experimental) text cells over dot-drawn bars and lines; braille a 2x2 dot blob on a one-dot bar
 * (simulated) and an 'x' (experimental). A point above or below the area shows as '^' or 'v' at
 * its edge. */
#ifndef CSTDP_PLOT_H
#define CSTDP_PLOT_H

#include <stdio.h>

#include "canvas.h"

/* An extra curve, drawn like the analytic one and named at its right end (e.g. the STDP curve at
 * another pairing frequency, Fig. 4B). */
typedef struct plot_line {
	int n;
	const double *x, *y; /* a NaN breaks the line */
	const char *label;   /* short: "20 Hz" */
} plot_line;

typedef struct plot_data {
	int n;                             /* simulated points */
	const double *x, *y, *lo, *hi;     /* dt, change, 95% interval; NaN y = no data yet (skipped);
	                                    * lo, hi may be NULL or NaN (no bar) */
	int na;                            /* analytic curve samples, may be 0 */
	const double *ax, *ay;             /* drawn as a connected line; a NaN breaks it */
	int nexp;                          /* optional experimental points, may be 0 */
	const double *ex, *ey, *elo, *ehi; /* with error bars (elo, ehi may be NULL) */
	double xmin, xmax, ymin, ymax;     /* data ranges of the plot area; an empty or non-finite range
	                                    * falls back to plot_xrange_for / plot_autoscale */
	const char *xlabel, *ylabel;       /* "dt (ms)", "change in synaptic strength (after/before)"; NULL
	                                    * or "" leaves the row out */
	int show_analytic;                 /* draw ax/ay */
	int cursor_col;                    /* -1: none; else mark a vertical cursor at data x = cursor_x */
	double cursor_x;
	/* Optional extras: zero means the default. */
	int hide_legend;            /* 1: no legend row (the front end shows its own) */
	const char *sim_label;      /* legend texts; NULL: "simulation, 95% interval", */
	const char *analytic_label; /* "analytic (OU approximation)", */
	const char *exp_label;      /* "experiment" */
	int nlines;                 /* extra labelled curves, may be 0 */
	const plot_line *lines;
} plot_data;

/* Map: the plot area inside a cols x rows canvas after room for tick labels and axis labels. */
typedef struct plot_layout {
	int left, top, width, height; /* plot area in cells; width or height 0 when nothing fits */
} plot_layout;

void plot_layout_for(const plot_data *d, int cols, int rows, plot_layout *out);

/* Clear c and draw the whole plot into it (the clip is reset afterwards). */
void plot_render(canvas *c, const plot_data *d);

/* y range covering the points, their intervals, the analytic curve inside the x range and the
 * experimental points with their bars, padded by 5%, widened to at least 0.9..1.1 around 1,
 * rounded out to a nice step; 1.0 is always inside. No data: the seed's 0.3..1.7. */
void plot_autoscale(const plot_data *d, double *ymin, double *ymax);

/* x range for n points spaced like the seed: half a spacing beyond the first and last (NaN x are
 * ignored). One point: +-2.5 around it; none: the seed's -102.5..102.5. */
void plot_xrange_for(const double *x, int n, double *xmin, double *xmax);

/* The cell where data (x, y) lands in a cols x rows plot of d: 1 when inside the plot area, else 0
 * (col, row are still set, possibly outside the area; either may be NULL). */
int plot_cell_of(const plot_data *d, int cols, int rows, double x, double y, int *col, int *row);

/* The data x at the middle of column col of a cols x rows plot of d (for pointing at a point). */
double plot_x_of_col(const plot_data *d, int cols, int rows, int col);

/* The text plot of --plot: render into a cols x rows canvas and print its rows to f, each of
 * exactly cols characters (trailing blanks kept), the legend being the last; rows lines in all.
 * 0, or -1 on a bad size, no memory or a write error. */
int plot_print(FILE *f, const plot_data *d, int cols, int rows, canvas_mode mode);

#endif
