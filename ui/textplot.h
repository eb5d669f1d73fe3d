/* --plot: the computed curve (and the analytic one) as a text plot on a stream. */
#ifndef CSTDP_TEXTPLOT_H
#define CSTDP_TEXTPLOT_H

#include <stdio.h>

#include "batch.h"
#include "canvas.h"

/* Unicode braille when the locale's charset is UTF-8 and the terminal can show it. */
int textplot_want_braille(int force_ascii);

#define TEXTPLOT_MAX_FREQS 8

/* rows[n] from batch_compute; glyphs: 1 + canvas_mode, or 0 for braille in UTF-8 and ASCII
 * otherwise (braille and block fall back to ASCII outside UTF-8); analytic_only: the rows are the analytic
 * curve itself. With nfreqs > 0 (pairs protocol), the analytic STDP curves at those pairing frequencies are
 * drawn too, each over dt within +-T/2 (T = 1/f), as in the paper's Fig. 4B. 0, or 1 on a write error. */
int textplot_print(FILE *f, const param_set *p, const batch_row *rows, int n, int cols, int lines, int glyphs,
                   int analytic_only, const double *freqs, int nfreqs);

/* The analytic curve of p's pairs at frequency freq over dt in [lo, hi] clipped to +-T/2, in n
 * samples (x[], y[]; NaN outside the clip). */
void textplot_freq_curve(const param_set *p, double freq, double lo, double hi, int n, double *x, double *y);

#endif
