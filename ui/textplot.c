#include "textplot.h"

#include <langinfo.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analytic.h"
#include "plot.h"

int textplot_want_braille(int force_ascii)
{
	if (force_ascii)
		return 0;
	const char *term = getenv("TERM");
	/* The Linux console font has no braille. */
	if (term && strncmp(term, "linux", 5) == 0)
		return 0;
	return strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
}

int textplot_print(FILE *f, const param_set *p, const batch_row *rows, int n, int cols, int lines,
		   int force_ascii, int analytic_only)
{
	double *x = malloc((size_t)n * 4 * sizeof *x);
	/* The analytic line at 4 samples per column: smooth at any width. */
	int na = cols * 4;
	double *ax = malloc((size_t)na * 2 * sizeof *ax);
	if (!x || !ax) {
		free(x);
		free(ax);
		return 1;
	}
	double *y = x + n, *lo = x + 2 * n, *hi = x + 3 * n, *ay = ax + na;
	for (int i = 0; i < n; i++) {
		x[i] = rows[i].dt_ms;
		y[i] = rows[i].change;
		lo[i] = analytic_only ? NAN : rows[i].change_lo;
		hi[i] = analytic_only ? NAN : rows[i].change_hi;
	}
	plot_data d = {.n = analytic_only ? 0 : n, .x = x, .y = y, .lo = lo, .hi = hi,
		       .xlabel = "dt = t_post - t_pre (ms)",
		       .ylabel = "change in synaptic strength (after/before)", .show_analytic = 1,
		       .cursor_col = -1};
	plot_xrange_for(x, n, &d.xmin, &d.xmax);
	for (int i = 0; i < na; i++) {
		analytic_point a;
		ax[i] = d.xmin + (d.xmax - d.xmin) * i / (na - 1);
		analytic_pair(p, ax[i], &a);
		ay[i] = a.change;
	}
	d.na = na;
	d.ax = ax;
	d.ay = ay;
	/* The seed's y range, unless the curve leaves it. */
	d.ymin = 0.3;
	d.ymax = 1.7;
	for (int i = 0; i < n; i++)
		if (y[i] < 0.3 || y[i] > 1.7) {
			d.ymin = d.ymax = NAN;
			plot_autoscale(&d, &d.ymin, &d.ymax);
			break;
		}
	int rc = plot_print(f, &d, cols, lines, textplot_want_braille(force_ascii) ? CANVAS_BRAILLE : CANVAS_ASCII);
	free(x);
	free(ax);
	return rc < 0 ? 1 : 0;
}
