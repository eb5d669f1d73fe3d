/* SPDX-License-Identifier: GPL-3.0-or-later */
/* --plot: the computed curve (and the analytic one) as a text plot on a stream. */
#ifndef CSTDP_TEXTPLOT_H
#define CSTDP_TEXTPLOT_H

#include <stdio.h>

#include "batch.h"
#include "canvas.h"
#include "datafile.h"
#include "plot.h"

/* Unicode braille when the locale's charset is UTF-8 and the terminal can show it. */
int textplot_want_braille(int force_ascii);

#define TEXTPLOT_MAX_FREQS 8

/* What --plot draws besides the curve. Every field may be zero. */
typedef struct textplot_extras {
	const double *freqs;  /* pairs protocol: the analytic STDP curves at these pairing frequencies, */
	int nfreqs;           /* each over dt within +-T/2 (T = 1/f), as in the paper's Fig. 4B */
	const datafile *data; /* measured points with their SEM bars, each file a layer of its own; rows */
	int ndata;            /* not on the curve are counted in its legend entry */
	const param_set *compare;       /* other parameter sets: their analytic curves, */
	const char (*compare_name)[64]; /* named in the legend */
	int ncompare;
} textplot_extras;

/* rows[n] from batch_compute; glyphs: 1 + canvas_mode, or 0 for braille in UTF-8 and ASCII
 * otherwise (braille and block fall back to ASCII outside UTF-8); analytic_only: the rows are the analytic
 * curve itself; x (may be NULL): what else to draw. 0, or 1 on a write error. */
int textplot_print(FILE *f, const param_set *p, const batch_row *rows, int n, int cols, int lines, int glyphs,
                   int analytic_only, const textplot_extras *x);

/* Data set d on p's curve as the k-th points layer: its rows on the curve (x, change, change -+ sem
 * in buf, 4 d->n doubles) and the legend "NAME, SEM", with "(K of N rows elsewhere)" when rows are
 * not on the curve (another frequency, dt, ...), in legend. */
plot_layer textplot_data_layer(const datafile *d, const param_set *p, int k, double *buf, char *legend,
                               size_t len);

/* The analytic curve of p's pairs at frequency freq over dt in [lo, hi] clipped to +-T/2, in n
 * samples (x[], y[]; NaN outside the clip). */
void textplot_freq_curve(const param_set *p, double freq, double lo, double hi, int n, double *x, double *y);

/* The text plot of --plot: render into a cols x rows canvas and print its rows to f, each of
 * exactly cols characters (trailing blanks kept), the legend being the last; rows lines in all.
 * 0, or -1 on a bad size, no memory or a write error. */
int textplot_render(FILE *f, const plot_data *d, int cols, int rows, canvas_mode mode);

#endif
