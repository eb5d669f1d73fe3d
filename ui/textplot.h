/* --plot: the computed curve (and the analytic one) as a text plot on a stream. */
#ifndef CSTDP_TEXTPLOT_H
#define CSTDP_TEXTPLOT_H

#include <stdio.h>

#include "batch.h"

/* Unicode braille when the locale's charset is UTF-8 and the terminal can show it. */
int textplot_want_braille(int force_ascii);

/* rows[n] from batch_compute; analytic_only: the rows are the analytic curve itself. 0, or 1 on a
 * write error. */
int textplot_print(FILE *f, const param_set *p, const batch_row *rows, int n, int cols, int lines,
		   int force_ascii, int analytic_only);

#endif
