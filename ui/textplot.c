/* SPDX-License-Identifier: GPL-3.0-or-later */
/* --plot's text output (textplot.h): the curve, the analytic one, measured data and compared sets
 * composed with the plot composer and printed as lines of text. */
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

void textplot_freq_curve(const param_set *p, double freq, double lo, double hi, int n, double *x, double *y)
{
	param_set q = *p;
	q.v[P_FREQ_HZ] = freq;
	double half = 500 / freq;
	for (int i = 0; i < n; i++) {
		x[i] = lo + (hi - lo) * i / (n > 1 ? n - 1 : 1);
		y[i] = NAN;
		if (x[i] < -half || x[i] > half)
			continue;
		analytic_point a;
		analytic_pair(&q, x[i], &a);
		y[i] = a.change;
	}
}

int textplot_print(FILE *f, const param_set *p, const batch_row *rows, int n, int cols, int lines, int glyphs,
                   int analytic_only, const textplot_extras *ex)
{
	const double *freqs = ex ? ex->freqs : NULL;
	int nfreqs = ex ? ex->nfreqs : 0;
	double *x = malloc((size_t)n * 4 * sizeof *x);
	/* The analytic line at 4 samples per column: smooth at any width. Poisson's alphas come from a
	 * Monte Carlo of about a millisecond each: 60 samples are plenty for its smooth curve. */
	int poisson = (int)p->v[P_PROTOCOL] == PROTO_POISSON;
	int na = poisson ? 60 : cols * 4;
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
	plot_data d = {.n = analytic_only ? 0 : n,
	               .x = x,
	               .y = y,
	               .lo = lo,
	               .hi = hi,
	               .xlabel = params_x_label(p),
	               .ylabel = "change in synaptic strength (after/before)",
	               .show_analytic = 1,
	               .cursor_col = -1};
	plot_xrange_for(x, n, &d.xmin, &d.xmax);
	int irregular = (int)p->v[P_PROTOCOL] == PROTO_IRREGULAR || (int)p->v[P_PROTOCOL] == PROTO_IRREGULAR_RATE;
	if (irregular && (int)p->v[P_EFFICACY] == EFFICACY_BISTABLE)
		d.show_analytic = 0; /* no approximation for irregular pairs */
	if ((int)p->v[P_EFFICACY] == EFFICACY_WEIGHT) {
		/* The weight model is exact on regular trains (one curve, no simulated points); on random
		 * ones it is the mean over trials, with no approximation to draw. */
		if (params_random_protocol(p)) {
			d.show_analytic = 0;
			d.sim_label = "mean over trials, 95% interval";
		} else {
			d.n = 0;
			d.analytic_label = "exact (deterministic weight model)";
		}
	}
	for (int i = 0; i < na; i++) {
		analytic_point a;
		ax[i] = d.xmin + (d.xmax - d.xmin) * i / (na - 1);
		analytic_at(p, ax[i], &a);
		ay[i] = a.change;
	}
	d.na = na;
	d.ax = ax;
	d.ay = ay;
	/* Measured data and compared sets: layers of their own. */
	int nd = ex ? ex->ndata : 0, nc = ex ? ex->ncompare : 0, rows_total = 0, cn = cols * 2;
	for (int k = 0; k < nd; k++)
		rows_total += ex->data[k].n;
	plot_layer *layers = calloc((size_t)(nd + nc) + 1, sizeof *layers);
	double *dbuf = malloc(((size_t)rows_total * 4 + (size_t)nc * 2 * (size_t)cn + 1) * sizeof *dbuf);
	char(*legend)[160] = calloc((size_t)(nd + nc) + 1, sizeof *legend);
	if (!layers || !dbuf || !legend) {
		free(layers), free(dbuf), free(legend), free(x), free(ax);
		return 1;
	}
	double *at = dbuf;
	for (int k = 0; k < nd; k++) {
		layers[k] = textplot_data_layer(&ex->data[k], p, k, at, legend[k], sizeof legend[k]);
		at += 4 * (size_t)ex->data[k].n;
	}
	for (int k = 0; k < nc; k++) {
		double *cx = at, *cy = cx + cn;
		at += 2 * (size_t)cn;
		for (int i = 0; i < cn; i++) {
			analytic_point a;
			cx[i] = d.xmin + (d.xmax - d.xmin) * i / (cn - 1);
			analytic_at(&ex->compare[k], cx[i], &a);
			cy[i] = a.change;
		}
		snprintf(legend[nd + k], sizeof legend[nd + k], "%s (%s)", ex->compare_name[k],
		         (int)ex->compare[k].v[P_EFFICACY] == EFFICACY_WEIGHT ? "exact" : "analytic");
		layers[nd + k] = (plot_layer){.kind = PL_CURVE,
		                              .n = cn,
		                              .x = cx,
		                              .y = cy,
		                              .style = plot_style_curve(k + nfreqs),
		                              .legend = legend[nd + k],
		                              .brief = ex->compare_name[k],
		                              .label = ex->compare_name[k]};
	}
	d.nlayers = nd + nc;
	d.layers = layers;
	/* The y range fits the data (plot_render's fallback for an unusable range). */
	d.ymin = d.ymax = NAN;
	/* Fig. 4B: the curve at other pairing frequencies. */
	plot_line fl[TEXTPLOT_MAX_FREQS];
	char flabel[TEXTPLOT_MAX_FREQS][24];
	double *fbuf = NULL;
	int fn = cols * 2;
	if (nfreqs > TEXTPLOT_MAX_FREQS)
		nfreqs = TEXTPLOT_MAX_FREQS;
	if (nfreqs > 0 && (int)p->v[P_PROTOCOL] == PROTO_PAIRS &&
	    (fbuf = malloc((size_t)nfreqs * 2 * (size_t)fn * sizeof *fbuf))) {
		for (int k = 0; k < nfreqs; k++) {
			double *fx = fbuf + (size_t)2 * k * fn, *fy = fx + fn;
			textplot_freq_curve(p, freqs[k], d.xmin, d.xmax, fn, fx, fy);
			snprintf(flabel[k], sizeof flabel[k], "%g Hz", freqs[k]);
			fl[k] = (plot_line){fn, fx, fy, flabel[k]};
		}
		d.nlines = nfreqs;
		d.lines = fl;
	}
	canvas_mode mode = !textplot_want_braille(glyphs == 1 + CANVAS_ASCII) ? CANVAS_ASCII
	                   : glyphs                                           ? (canvas_mode)(glyphs - 1)
	                                                                      : CANVAS_BRAILLE;
	int rc = textplot_render(f, &d, cols, lines, mode);
	free(fbuf);
	free(layers);
	free(dbuf);
	free(legend);
	free(x);
	free(ax);
	return rc < 0 ? 1 : 0;
}

plot_layer textplot_data_layer(const datafile *d, const param_set *p, int k, double *buf, char *legend,
                               size_t len)
{
	double *x = buf, *y = x + d->n, *lo = y + d->n, *hi = lo + d->n;
	int on = datafile_points(d, p, x, y, lo, hi);
	if (on == d->n)
		snprintf(legend, len, "%s, SEM", d->name);
	else
		snprintf(legend, len, "%s, SEM (%d of %d rows elsewhere)", d->name, d->n - on, d->n);
	return (plot_layer){.kind = PL_POINTS,
	                    .n = on,
	                    .x = x,
	                    .y = y,
	                    .lo = lo,
	                    .hi = hi,
	                    .style = plot_style_points(k),
	                    .legend = legend};
}

int textplot_render(FILE *f, const plot_data *d, int cols, int rows, canvas_mode mode)
{
	canvas *c = canvas_new(cols, rows, mode);
	size_t len = (size_t)cols * 4 + 1;
	char *buf;
	int r, rc = 0;

	if (!c)
		return -1;
	buf = malloc(len);
	if (!buf) {
		canvas_free(c);
		return -1;
	}
	plot_render(c, d);
	for (r = 0; r < rows; r++) {
		canvas_row_text(c, r, buf, len);
		if (fputs(buf, f) == EOF || fputc('\n', f) == EOF) {
			rc = -1;
			break;
		}
	}
	free(buf);
	canvas_free(c);
	return rc == 0 && !ferror(f) ? 0 : -1;
}
