/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The headless front ends' output: --batch's CSV and --plot's rows, and the cost announcement, on
 * top of curve.c (see batch.h). */
#include "batch.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "curve.h"
#include "fit.h"

void batch_format_duration(double s, char *buf, size_t len)
{
	curve_format_duration(s, buf, len);
}

double batch_time_left(const struct engine_snapshot *s)
{
	return curve_time_left(s);
}

void batch_warn_cost(FILE *f, const param_set *p, sim_method method, int threads)
{
	curve_warn_cost(f, p, method, threads);
}

int batch_compute(const batch_opts *o, batch_row *rows, char *err, size_t errlen)
{
	return curve_compute(o, rows, err, errlen);
}

void batch_format_row(char *buf, size_t len, const batch_row *r)
{
	snprintf(buf, len, "%.10g,%.6f,%.6f,%.6f,%.6f,%.6f,%llu", r->dt_ms, r->U, r->D, r->change,
	         r->change_lo, r->change_hi, (unsigned long long)r->reps);
}

void batch_format_weight_row(char *buf, size_t len, const batch_row *r)
{
	snprintf(buf, len, "%.10g,%.9f,%.9f,%.9f,%llu,%s", r->dt_ms, r->change, r->change_lo, r->change_hi,
	         (unsigned long long)r->reps, r->reps ? "mean" : "exact");
}

void batch_write_csv(FILE *f, const param_set *p, const batch_row *rows, int n)
{
	if ((int)p->v[P_EFFICACY] == EFFICACY_WEIGHT) {
		/* The weight model: no U and D; method says whether change is exact or a mean. */
		fprintf(f, "%s,change,change_lo,change_hi,trials,method\n", params_x_column(p));
		for (int i = 0; i < n; i++) {
			char row[256];
			batch_format_weight_row(row, sizeof row, &rows[i]);
			fprintf(f, "%s\n", row);
		}
		return;
	}
	fprintf(f, "%s,U,D,change,change_lo,change_hi,reps\n", params_x_column(p));
	for (int i = 0; i < n; i++) {
		char row[256];
		batch_format_row(row, sizeof row, &rows[i]);
		fprintf(f, "%s\n", row);
	}
}

void batch_write_csv_named(FILE *f, const param_set *p, const char *name, const batch_row *rows, int n,
                           int header)
{
	if (header)
		fprintf(f, "set,%s,U,D,change,change_lo,change_hi,reps\n", params_x_column(p));
	if ((int)p->v[P_EFFICACY] == EFFICACY_WEIGHT) {
		/* The weight model has no U and D (empty); reps 0 marks an exact value. */
		for (int i = 0; i < n; i++)
			fprintf(f, "%s,%.10g,,,%.6f,%.6f,%.6f,%llu\n", name, rows[i].dt_ms, rows[i].change,
			        rows[i].change_lo, rows[i].change_hi, (unsigned long long)rows[i].reps);
		return;
	}
	for (int i = 0; i < n; i++)
		fprintf(f, "%s,%.10g,%.6f,%.6f,%.6f,%.6f,%.6f,%llu\n", name, rows[i].dt_ms, rows[i].U,
		        rows[i].D, rows[i].change, rows[i].change_lo, rows[i].change_hi,
		        (unsigned long long)rows[i].reps);
}

int batch_fit(FILE *out, const datafile *data, int ndata, const param_set *p, const int *ids, int n,
              int threads, sim_method method, fit_result *res, char *err, size_t errlen)
{
	fit_result r;
	int rows = 0;
	if (fit_run(data, ndata, p, ids, n, NULL, &r, err, errlen) != 0)
		return 2;
	for (int d = 0; d < ndata; d++) {
		fprintf(out, "data: %s, %d rows%s%s\n", data[d].path, data[d].n,
		        data[d].source[0] ? ": " : "", data[d].source);
		rows += data[d].n;
	}
	char text[4096];
	fit_format(&r, text, sizeof text);
	fputs(text, out);
	*res = r;
	double *sim = malloc((size_t)rows * sizeof *sim), chi2;
	if (!sim) {
		snprintf(err, errlen, "out of memory");
		return 1;
	}
	fflush(out);
	if (fit_check_simulation(data, ndata, &r.set, threads, method, sim, &chi2, err, errlen) < 0) {
		free(sim);
		return 1;
	}
	fprintf(out, "check by simulation at the fitted set (%.0f repetitions per initial state and row):\n",
	        p->v[P_REPS]);
	fprintf(out, "  %-28s %5s %8s %8s %6s %8s %10s\n", "file:line", "f_Hz", "dt_ms", "change", "sem",
	        "analytic", "simulation");
	int k = 0;
	for (int d = 0; d < ndata; d++)
		for (int i = 0; i < data[d].n; i++, k++) {
			const datafile_row *row = &data[d].rows[i];
			param_set q;
			double dt;
			datafile_row_point(&data[d], i, &r.set, &q, &dt);
			char where[64];
			snprintf(where, sizeof where, "%s:%d", data[d].name, row->line);
			fprintf(out, "  %-28s %5g %8g %8.4g %6.3g %8.4f %10.4f\n", where, q.v[P_FREQ_HZ], dt,
			        row->change, row->sem, datafile_row_analytic(&data[d], i, &r.set), sim[k]);
		}
	fprintf(out, "chi^2 by simulation %.4g, by the analytic curve %.4g, over %d rows\n", chi2, r.chi2,
	        rows);
	free(sim);
	return 0;
}
