/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The parameter panel's arithmetic and the screen layout: which parameters get a slider and in what
 * order, where a value stands on its bar, how a key or a mouse column changes it, and where every
 * part of the screen goes. Pure functions, no curses: tests/test_sliders.c checks them without a
 * terminal. */
#ifndef CSTDP_SLIDERS_H
#define CSTDP_SLIDERS_H

#include <stddef.h>

#include "params.h"

/* The smallest terminal the explorer draws its panel of sliders in; below it the compact layout
 * (presentation mode's: the plot and a line of values) takes over on its own. */
#define SLIDERS_MIN_COLS 80
#define SLIDERS_MIN_ROWS 24
/* The compact layout and presentation mode (no panel) work down to where a projector's font lands;
 * below it the explorer shows a message instead. */
#define SLIDERS_PRESENT_MIN_COLS 40
#define SLIDERS_PRESENT_MIN_ROWS 12

/* Parameter ids in panel order: the order (thresholds and rates first, then time constants,
 * transients, noise, read-out and protocol), each protocol's own parameters after the protocol, then
 * the curve's grid and the integration step. */
extern const int sliders_order[];
extern const int sliders_count;

/* Whether parameter id matters under p's protocol (burst_spikes does not for pairs, ...). */
int sliders_relevant(const param_set *p, int id);

/* The ids of sliders_order that are relevant under p, in panel order, into ids[cap]; the count. */
int sliders_visible(const param_set *p, int *ids, int cap);

/* How a bar maps a value to a position: wide ranges would put every realistic value in the first
 * cell, so they are drawn on a log (range starts above 0) or square-root (starts at 0) scale. */
enum sliders_scale { SLIDERS_LINEAR, SLIDERS_SQRT, SLIDERS_LOG };

enum sliders_scale sliders_scale_of(int id);

/* Where v stands in its range, 0 to 1 (clamped). */
double sliders_fraction(int id, double v);

/* The value at position frac (0 to 1) of the bar, rounded to the fine step and kept in range. */
double sliders_value_at(int id, double frac);

/* The next value from v in direction dir (+1 or -1) by the fine or the coarse step: it lands on a
 * multiple of the step (so 321.808 goes to 322 or 321), stays in range, and carries no binary
 * noise (0.1 + 0.2 gives 0.3). */
double sliders_step(int id, double v, int dir, int coarse);

/* v rounded to a whole multiple of step, printed and read back so that it is the double nearest to
 * its short decimal form. */
double sliders_round_to(double v, double step);

/* The value as the panel shows it: at most width characters, as exact as fits; a choice by its
 * name (cut to width). */
void sliders_format_value(int id, double v, char *buf, size_t len, int width);

/* The knob's cell in a bar of width cells (0 .. width - 1). */
int sliders_knob_cell(double frac, int width);

/* The bar position of column col of a bar of width cells (the inverse of sliders_knob_cell: a click
 * on a cell puts the knob on it). */
double sliders_cell_fraction(int col, int width);

typedef struct sliders_rect {
	int x, y, w, h; /* top-left cell, size in cells */
} sliders_rect;

/* Where everything goes on a cols x rows screen. */
typedef struct sliders_layout {
	int cols, rows;       /* the screen */
	int too_small;        /* below SLIDERS_MIN_COLS x SLIDERS_MIN_ROWS (presenting: the PRESENT_
	                       * sizes): show a message only */
	int present;          /* presentation mode's layout: no panel, the plot takes the screen */
	int compact;          /* that layout because the screen is below the panel's size (not P) */
	sliders_rect title;   /* top line: program name, the selected parameter's help */
	sliders_rect panel;   /* the parameter box, border included (w 0 when presenting) */
	sliders_rect plot;    /* the plot box, border included */
	sliders_rect canvas;  /* inside the plot box: what plot_render fills (legend included) */
	sliders_rect values;  /* presenting: the one line of parameter values (h 0 otherwise) */
	sliders_rect status;  /* status line (presenting: the hints line, taken by messages, prompts) */
	sliders_rect hints;   /* key hints line */
	int rows_visible;     /* slider rows that fit in the panel */
	int label_x;          /* columns of a slider row's parts (absolute) */
	int value_x, value_w; /* the number, right-aligned */
	int unit_x;           /* the unit, up to 2 characters */
	int bar_x, bar_w;     /* the bar */
	sliders_rect info;    /* below the sliders: the selected parameter's help (h 0 if no room) */
} sliders_layout;

/* count: the sliders shown; present: presentation mode (below SLIDERS_MIN_COLS x SLIDERS_MIN_ROWS
 * its layout is used anyway, with compact set). */
void sliders_layout_compute(int cols, int rows, int count, int present, sliders_layout *l);

/* A view under the plot when area is tall enough for both (then 1, with the plot on top, one row
 * between them for the view's title, and the view below); else 0 and the view replaces the plot. */
int sliders_split(sliders_rect area, sliders_rect *plot, sliders_rect *view);

/* Presentation mode's line of values: items of widths w[0..n-1], gap blanks apart, in width
 * columns. Returns the first item to show so that selected is shown, moving the old first as
 * little as possible. */
int sliders_values_first(const int *w, int n, int gap, int selected, int first, int width);

/* The first slider shown so that the selected one is visible, moving the old first row as little
 * as possible. */
int sliders_scroll(int selected, int first, int visible, int count);

/* Which slider a click at column x, row y hits (its index among the count shown, or -1), and whether it
 * landed on the bar (then *frac is the bar position there). */
int sliders_hit(const sliders_layout *l, int first, int count, int x, int y, int *on_bar, double *frac);

/* The bar position for a drag that has left the bar's columns (clamped to its ends). */
double sliders_drag_fraction(const sliders_layout *l, int x);

#endif
