#include "textplot.h"

#include <langinfo.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analytic.h"
#include "experiments.h"
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
                   int analytic_only, const double *freqs, int nfreqs)
{
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
	for (int i = 0; i < na; i++) {
		analytic_point a;
		ax[i] = d.xmin + (d.xmax - d.xmin) * i / (na - 1);
		analytic_at(p, ax[i], &a);
		ay[i] = a.change;
	}
	d.na = na;
	d.ax = ax;
	d.ay = ay;
	/* Sjostrom et al. (2001) over the frequency curve at +10 or -10 ms. */
	double ex[EXPERIMENTS_SJOSTROM2001], ey[EXPERIMENTS_SJOSTROM2001];
	double elo[EXPERIMENTS_SJOSTROM2001], ehi[EXPERIMENTS_SJOSTROM2001];
	if ((int)p->v[P_PROTOCOL] == PROTO_FREQUENCY && fabs(fabs(p->v[P_FIXED_DT_MS]) - 10) < 1e-9) {
		for (int i = 0; i < EXPERIMENTS_SJOSTROM2001; i++) {
			const experiment_point *e = &experiments_sjostrom2001[i];
			if ((e->dt_ms > 0) != (p->v[P_FIXED_DT_MS] > 0))
				continue;
			ex[d.nexp] = e->freq_hz;
			ey[d.nexp] = e->change;
			elo[d.nexp] = e->change - e->sem;
			ehi[d.nexp] = e->change + e->sem;
			d.nexp++;
		}
		d.ex = ex, d.ey = ey, d.elo = elo, d.ehi = ehi;
		d.exp_label = "Sjostrom et al. 2001, mean +- SEM";
	}
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
	int rc = plot_print(f, &d, cols, lines, mode);
	free(fbuf);
	free(x);
	free(ax);
	return rc < 0 ? 1 : 0;
}
