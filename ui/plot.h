/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The STDP plot composed on a canvas: axes, ticks, labels, reference lines and a list of layers,
 * with a legend. No curses: the explorer copies the canvas into a window, --plot prints it.
 *
 * Rows of a cols x rows canvas, top to bottom (a row is dropped, last listed first, when the plot
 * area would get fewer than 4 rows):
 *   ylabel as a title (when ylabel is set) | plot area | x axis | x tick labels |
 *   xlabel (when set) | legend, one or more rows (unless hide_legend or there is nothing to list)
 * The area maps [xmin, xmax] x [ymin, ymax] onto its dots edge to edge: x = xmin is the left edge of
 * its first column, y = ymax the top edge of its first row.
 *
 * Layers. Everything drawn from data is a plot_layer: a curve (a connected line) or points (markers,
 * each with an optional vertical bar). The simulation, the analytic curve and the experimental
 * points of plot_data are layers made from its fields; callers add their own (other pairing
 * frequencies, pinned curves, measured data sets, a compared set) in plot_data.layers. Each layer
 * has its own style, so that layers differ by shape and not by colour alone:
 *   - a curve has a dash pattern (solid, dashed, dotted ...) and, in ASCII, a character of its own;
 *   - points have a marker: PM_BLOCK (a filled cell, reverse video in the explorer, that keeps
 *     whatever curve runs through it visible inside it), PM_CROSS, PM_PLUS, PM_DIAMOND (text
 *     characters), growing with the plot (plot_marker_size);
 *   - bars have a dash pattern too and end in caps.
 * A cell belongs to one layer: the one with the highest priority (prio) that draws into it; others
 * give way there instead of blurring it. So the analytic curve (high priority) stays whole under
 * intervals and reference lines; markers never hide it (a block keeps its dots). Defaults, from
 * high to low: markers, the analytic curve (60), overlays (50 down), experiment bars (30),
 * simulation intervals (20), reference lines (10). A curve's label goes at its end, in the first
 * of several places near it that overlaps no other text and no dots of a higher priority layer; it
 * is left out when there is none, so labels never overlap. The legend lists every layer with a
 * legend text, each with a sample drawn in its own style, wrapping onto more rows when needed.
 *
 * To add a layer: fill a plot_layer (plot_style_curve / plot_style_points give the defaults for
 * the k-th extra layer), point plot_data.layers at your array and set nlayers. The arrays are read
 * during plot_render only. */
#ifndef CSTDP_PLOT_H
#define CSTDP_PLOT_H

#include <stdio.h>

#include "canvas.h"

enum plot_layer_kind {
	PL_CURVE,  /* a line through (x[i], y[i]); a NaN breaks it */
	PL_POINTS, /* a marker at each (x[i], y[i]) with a bar lo[i]..hi[i]; NaN y: skipped */
};

enum plot_marker {
	PM_BLOCK,   /* a filled cell (or a block of cells when large); text output: 'o' */
	PM_CROSS,   /* 'x' */
	PM_PLUS,    /* '+' */
	PM_DIAMOND, /* '<>' when there is room, else '*' */
	PM_TEXT,    /* the style's marker_text ('1' for pin 1): a marker that names its layer */
	PM_COUNT
};

/* Dash patterns (8 bits, repeated along the line: see canvas_pen). */
#define PLOT_SOLID   0xFF
#define PLOT_DASHED  0x3F /* ______  */
#define PLOT_DOTTED  0x55 /* _ _ _ _ */
#define PLOT_DASHDOT 0x9F /* _____  _ */
#define PLOT_SPARSE  0x11 /* _   _    */

typedef struct plot_style {
	int color;               /* canvas colour role (CC_SIM, CC_ANALYTIC, CC_OVERLAY ...) */
	unsigned char dash;      /* curves and bars: PLOT_SOLID, PLOT_DASHED ... */
	char ascii;              /* curves in ASCII: the layer's character; 0: sub-row characters */
	enum plot_marker marker; /* points */
	char marker_text;        /* PM_TEXT: the marker's character */
	unsigned char bar_dash;  /* points: their bars' pattern; 0: no bars drawn */
	char bar_ascii;          /* points: the bars' character in ASCII ('|', '!') */
	unsigned char bar_dots;  /* points: the bars' pattern in braille (0: bar_dash) */
	int prio;                /* who keeps a shared cell (higher wins); 0: the kind's default */
	int thick;               /* curves: two dots thick in braille,
	                          * so that the line reads heavier than bars and reference lines */
} plot_style;

typedef struct plot_layer {
	enum plot_layer_kind kind;
	int n;
	const double *x, *y;   /* n values each */
	const double *lo, *hi; /* points: bar ends (either NULL, or NaN: no bar) */
	plot_style style;
	const char *legend; /* legend text; NULL or "": not in the legend */
	const char *brief;  /* shorter legend text for narrow plots (NULL: legend) */
	const char *label;  /* curves: a name placed at the curve's right end ("20 Hz"), or NULL */
} plot_layer;

/* Cells whose dots belong to a priority at or above this are a curve's (the defaults keep every
 * curve there); below it are bars, reference lines and the cursor. */
#define PLOT_PRIO_CURVES 31

/* Priorities of the built-in layers: a cell belongs to the highest that draws into it. */
enum {
	PLOT_PRIO_CURSOR = 5,
	PLOT_PRIO_REF = 10,
	PLOT_PRIO_SIM_BAR = 20,
	PLOT_PRIO_EXP_BAR = 30,
	PLOT_PRIO_USER = 45, /* extra layers count down from here */
	PLOT_PRIO_OVERLAY = 50,
	PLOT_PRIO_ANALYTIC = 60,
};

/* Default styles for the k-th extra curve or point layer (k = 0, 1, ...): patterns, characters and
 * markers that differ from the built-in layers and from each other for k < 6 (ASCII characters for
 * k < 12). */
plot_style plot_style_curve(int k);
plot_style plot_style_points(int k);

/* Marker size in cells across and down for a plot area of width x height cells with points spaced
 * spacing columns apart: 1x1 in small plots, larger as the plot grows (never wider than the
 * spacing leaves room for). */
void plot_marker_size(int width, int height, double spacing, int *mw, int *mh);

/* Extra curves of the first version of this interface: the same as PL_CURVE layers in the
 * overlay style. */
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
	int nlines;                 /* extra labelled curves, may be 0 (drawn as overlay layers) */
	const plot_line *lines;
	int nlayers; /* extra layers, drawn with the built-in ones (see above), may be 0 */
	const plot_layer *layers;
} plot_data;

/* Map: the plot area inside a cols x rows canvas after room for tick labels and axis labels. */
typedef struct plot_layout {
	int left, top, width, height; /* plot area in cells; width or height 0 when nothing fits */
} plot_layout;

void plot_layout_for(const plot_data *d, int cols, int rows, plot_layout *out);

/* Clear c and draw the whole plot into it (the clip is reset afterwards). */
void plot_render(canvas *c, const plot_data *d);

/* plot_render that also tells where it put the curves' labels: up to cap boxes (row, first column,
 * length) into out; returns how many labels were placed. */
typedef struct plot_label_box {
	int row, col, len;
} plot_label_box;
int plot_render_labels(canvas *c, const plot_data *d, plot_label_box *out, int cap);

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

#endif
