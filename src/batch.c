#include "batch.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "analytic.h"
#include "engine.h"
#include "family.h"
#include "fit.h"
#include "readout.h"

typedef struct run {
	const batch_opts *o;
	uv_loop_t *loop;
	batch_row *rows;
	engine *e;
	int done;
	int failed; /* a unit failed: error says why */
	char error[256];
	uint64_t last_progress; /* uv_hrtime of the last progress line */
	int progress_shown;     /* a progress line is on stderr (end it before an error) */
} run;

static void fill_rows(const engine_snapshot *s, const param_set *p, batch_row *rows)
{
	for (int i = 0; i < s->points; i++) {
		readout r;
		readout_from_counts(s->n[i], s->ups[i], s->downs[i], p->v[P_BETA], p->v[P_B], &r);
		rows[i] = (batch_row){s->dt_ms[i], r.U, r.D, r.change, r.change_lo, r.change_hi, s->n[i]};
	}
}

/* "3 h 20 min", "4 min 10 s", "12 s": as long as it needs, no longer. */
void batch_format_duration(double s, char *buf, size_t len)
{
	if (!(s >= 0) || s > 1e9)
		snprintf(buf, len, "a very long time");
	else if (s >= 86400)
		snprintf(buf, len, "%.0f d %.0f h", floor(s / 86400), floor(fmod(s, 86400) / 3600));
	else if (s >= 3600)
		snprintf(buf, len, "%.0f h %.0f min", floor(s / 3600), floor(fmod(s, 3600) / 60));
	else if (s >= 60)
		snprintf(buf, len, "%.0f min %.0f s", floor(s / 60), floor(fmod(s, 60)));
	else
		snprintf(buf, len, "%.0f s", ceil(s));
}

double batch_time_left(const engine_snapshot *s)
{
	if (s->reps_done == 0 || s->complete)
		return s->complete ? 0 : -1;
	return s->elapsed_s * (double)(s->reps_total - s->reps_done) / (double)s->reps_done;
}

static void on_update(const engine_snapshot *s, void *user)
{
	run *r = user;
	uint64_t now = uv_hrtime();
	if (s->failed) {
		if (!r->failed) {
			r->failed = 1;
			snprintf(r->error, sizeof r->error, "%s", s->error ? s->error : "a work unit failed");
			engine_close(r->e);
			uv_stop(r->loop);
		}
		return;
	}
	if (r->o->progress && (s->complete || now - r->last_progress > 100000000ULL)) {
		int width = 30, fill = (int)(width * s->reps_done / (s->reps_total ? s->reps_total : 1));
		char left[48] = "";
		double tl = batch_time_left(s);
		if (tl >= 0 && !s->complete) {
			snprintf(left, sizeof left, "  ");
			batch_format_duration(tl, left + 2, sizeof left - 2);
			strncat(left, " left", sizeof left - strlen(left) - 1);
		}
		fprintf(stderr, "\r[%.*s%*s] %llu/%llu repetitions  %.1f M steps/s%s\033[K", fill,
		        "##############################", width - fill, "", (unsigned long long)s->reps_done,
		        (unsigned long long)s->reps_total, s->steps_per_s * 1e-6, left);
		if (s->complete)
			fputc('\n', stderr);
		r->last_progress = now;
		r->progress_shown = !s->complete;
	}
	if (s->complete && !r->done) {
		fill_rows(s, &r->o->p, r->rows);
		r->done = 1;
		engine_close(r->e);
	}
}

void batch_warn_cost(FILE *f, const param_set *p, sim_method method, int threads)
{
	double est = engine_estimate_s(p, method, threads);
	if (est < BATCH_WARN_S)
		return;
	char total[48], fewer[48];
	double reps = p->v[P_REPS], points = p->v[P_POINTS];
	double per = est / (2 * reps * points) * (threads < 1 ? 1 : threads);
	batch_format_duration(est, total, sizeof total);
	fprintf(f,
	        "calcium-stdp: this run is expected to take about %s on %d thread%s (%.0f points x %.0f "
	        "repetitions x 2 initial states, %.3g s per synapse).\n",
	        total, threads, threads == 1 ? "" : "s", points, reps, per);
	double r10 = fmax(1, floor(reps / 10));
	batch_format_duration(est * r10 / reps, fewer, sizeof fewer);
	fprintf(
	    f,
	    "calcium-stdp: to make it shorter: fewer repetitions (--set reps=%.0f: about %s), fewer points "
	    "(--set points=...), ",
	    r10, fewer);
	if ((int)p->v[P_PROTOCOL] == PROTO_POISSON)
		fprintf(f, "a shorter run (--set duration_s=...), ");
	else
		fprintf(f, "fewer pairs (--set pairs=...), ");
	fprintf(f, "a larger step (--set step_ms=...), or more --threads.\n");
}

/* The deterministic weight model: exact for regular trains (the analytic / simulated distinction does
 * not apply), a mean over trials for random ones (which have no analytic approximation here). U and
 * D do not exist for it: NaN. */
static int weight_rows(const batch_opts *o, batch_row *rows, char *err, size_t errlen)
{
	int n = (int)o->p.v[P_POINTS];
	if (o->analytic && params_random_protocol(&o->p)) {
		snprintf(err, errlen,
		         "the weight model has no analytic approximation for random trains: leave out "
		         "--analytic (the curve is the mean over reps trials)");
		return -1;
	}
	family_point *pt = malloc((size_t)n * sizeof *pt);
	if (!pt) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	int rc = family_curve(&o->p, o->threads, pt, err, errlen);
	for (int i = 0; rc == 0 && i < n; i++)
		rows[i] = (batch_row){pt[i].x, NAN, NAN, pt[i].change, pt[i].lo, pt[i].hi, pt[i].trials};
	free(pt);
	return rc;
}

int batch_compute(const batch_opts *o, batch_row *rows, char *err, size_t errlen)
{
	if (params_check_set(&o->p, err, errlen) < 0)
		return -1;
	int n = (int)o->p.v[P_POINTS];
	if ((int)o->p.v[P_EFFICACY] == EFFICACY_WEIGHT)
		return weight_rows(o, rows, err, errlen);
	int proto = (int)o->p.v[P_PROTOCOL];
	if (o->analytic && (proto == PROTO_IRREGULAR || proto == PROTO_IRREGULAR_RATE)) {
		snprintf(err, errlen,
		         "the irregular protocols have no analytic approximation: leave out --analytic");
		return -1;
	}
	if (o->analytic) {
		for (int i = 0; i < n; i++) {
			analytic_point a;
			double dt = params_x(&o->p, i);
			analytic_at(&o->p, dt, &a);
			rows[i] = (batch_row){dt, a.U, a.D, a.change, a.change, a.change, 0};
		}
		return 0;
	}
	if (o->estimate)
		batch_warn_cost(stderr, &o->p, o->method, o->threads);
	uv_loop_t loop;
	if (uv_loop_init(&loop) != 0) {
		snprintf(err, errlen, "cannot start the event loop");
		return -1;
	}
	run r = {.o = o, .rows = rows, .loop = &loop};
	r.e = engine_new(&loop, o->threads, o->block, o->method, on_update, &r);
	if (!r.e || engine_set_params(r.e, &o->p, err, errlen) < 0) {
		if (r.e)
			engine_close(r.e);
		else
			snprintf(err, errlen, "out of memory");
		uv_run(&loop, UV_RUN_DEFAULT);
		uv_loop_close(&loop);
		return -1;
	}
	uv_run(&loop, UV_RUN_DEFAULT);
	if (r.progress_shown)
		fputc('\n', stderr);
	if (r.failed) {
		/* Workers of the failed run may still be inside a synapse: the loop is left to them (the
		 * caller exits without waiting, see batch.h). */
		snprintf(err, errlen, "%s", r.error);
		uint64_t t0 = uv_hrtime();
		while (uv_run(&loop, UV_RUN_NOWAIT) != 0 && uv_hrtime() - t0 < 300000000ULL)
			uv_sleep(1);
		if (!uv_loop_alive(&loop))
			uv_loop_close(&loop);
		return -1;
	}
	int rc = uv_loop_close(&loop);
	if (!r.done) {
		snprintf(err, errlen, "the simulation did not complete (out of memory?)");
		return -1;
	}
	if (rc != 0) {
		snprintf(err, errlen, "internal error: event loop still busy at exit");
		return -1;
	}
	return 0;
}

void batch_format_row(char *buf, size_t len, const batch_row *r)
{
	snprintf(buf, len, "%.10g,%.6f,%.6f,%.6f,%.6f,%.6f,%llu", r->dt_ms, r->U, r->D, r->change,
	         r->change_lo, r->change_hi, (unsigned long long)r->reps);
}

void batch_write_csv(FILE *f, const param_set *p, const batch_row *rows, int n)
{
	if ((int)p->v[P_EFFICACY] == EFFICACY_WEIGHT) {
		/* The weight model: no U and D; method says whether change is exact or a mean. */
		fprintf(f, "%s,change,change_lo,change_hi,trials,method\n", params_x_column(p));
		for (int i = 0; i < n; i++)
			fprintf(f, "%.10g,%.9f,%.9f,%.9f,%llu,%s\n", rows[i].dt_ms, rows[i].change,
			        rows[i].change_lo, rows[i].change_hi, (unsigned long long)rows[i].reps,
			        rows[i].reps ? "mean" : "exact");
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
