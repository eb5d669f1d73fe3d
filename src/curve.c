/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A curve at a parameter set: the simulated one (an engine on an event loop of its own, waited for) or
 * the analytic one, and the simulated change at measured data rows. Below both the headless front
 * ends (batch) and the fit, which check their results with it. */
#include "curve.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "analytic.h"
#include "cost.h"
#include "engine.h"
#include "family.h"
#include "readout.h"

typedef struct run {
	const curve_opts *o;
	uv_loop_t *loop;
	curve_row *rows;
	engine *e;
	int done;
	int failed; /* a unit failed: error says why */
	char error[256];
	uint64_t last_progress; /* uv_hrtime of the last progress line */
	int progress_shown;     /* a progress line is on stderr (end it before an error) */
} run;

static void fill_rows(const engine_snapshot *s, const param_set *p, curve_row *rows)
{
	for (int i = 0; i < s->points; i++) {
		readout r;
		readout_from_counts(s->n[i], s->ups[i], s->downs[i], p->v[P_BETA], p->v[P_B], &r);
		rows[i] = (curve_row){s->dt_ms[i], r.U, r.D, r.change, r.change_lo, r.change_hi, s->n[i]};
	}
}

/* "3 h 20 min", "4 min 10 s", "12 s": as long as it needs, no longer. */
void curve_format_duration(double s, char *buf, size_t len)
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

double curve_time_left(const engine_snapshot *s)
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
		double tl = curve_time_left(s);
		if (tl >= 0 && !s->complete) {
			snprintf(left, sizeof left, "  ");
			curve_format_duration(tl, left + 2, sizeof left - 2);
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

void curve_warn_cost(FILE *f, const param_set *p, sim_method method, int threads)
{
	/* A cheap run pays nothing: a bound from one point says when the estimate is worth making. */
	if (cost_curve_below(p, method, 0, CURVE_WARN_S * (threads < 1 ? 1 : threads)))
		return;
	double cpu = cost_curve_cpu(p, method, 0);
	double est = cost_wall_s(cpu, threads);
	if (cpu < 0 || est < CURVE_WARN_S)
		return;
	char total[48], fewer[48], cpu_text[48];
	double reps = p->v[P_REPS], points = p->v[P_POINTS];
	double per = cpu / (2 * reps * points);
	curve_format_duration(est, total, sizeof total);
	curve_format_duration(cpu, cpu_text, sizeof cpu_text);
	fprintf(f,
	        "calcium-stdp: this run is expected to take about %s on %d thread%s (%s of CPU: %.0f "
	        "points x %.0f repetitions x 2 initial states, %.3g s per synapse).\n",
	        total, threads, threads == 1 ? "" : "s", cpu_text, points, reps, per);
	double r10 = fmax(1, floor(reps / 10));
	curve_format_duration(est * r10 / reps, fewer, sizeof fewer);
	fprintf(
	    f,
	    "calcium-stdp: to make it shorter: fewer repetitions (--set reps=%.0f: about %s), fewer points "
	    "(--set points=...), ",
	    r10, fewer);
	if (params_random_protocol(p))
		fprintf(f, "a shorter run (--set duration_s=...), ");
	else
		fprintf(f, "fewer pairs (--set pairs=...), ");
	fprintf(f, "a larger step (--set step_ms=...), or more --threads.\n");
}

/* The deterministic weight model: exact for regular trains (the analytic / simulated distinction does
 * not apply), a mean over trials for random ones (which have no analytic approximation here). U and
 * D do not exist for it: NaN. */
static int weight_rows(const curve_opts *o, curve_row *rows, char *err, size_t errlen)
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
		rows[i] = (curve_row){pt[i].x, NAN, NAN, pt[i].change, pt[i].lo, pt[i].hi, pt[i].trials};
	free(pt);
	return rc;
}

int curve_compute(const curve_opts *o, curve_row *rows, char *err, size_t errlen)
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
			rows[i] = (curve_row){dt, a.U, a.D, a.change, a.change, a.change, 0};
		}
		return 0;
	}
	if (o->estimate)
		curve_warn_cost(stderr, &o->p, o->method, o->threads);
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

int curve_at_rows(const datafile *data, int ndata, const param_set *p, int threads, sim_method method,
                  double *sim, double *chi2, char *err, size_t errlen)
{
	int row = 0;
	*chi2 = 0;
	for (int d = 0; d < ndata; d++)
		for (int i = 0; i < data[d].n; i++, row++) {
			curve_opts o = {.threads = threads, .method = method};
			double dt;
			if (datafile_row_point(&data[d], i, p, &o.p, &dt) < 0) {
				snprintf(err, errlen, "the poisson protocol cannot be checked at data rows");
				return -1;
			}
			o.p.v[P_DT_MIN_MS] = o.p.v[P_DT_MAX_MS] = dt;
			o.p.v[P_POINTS] = 1;
			curve_row out;
			char e[512];
			if (curve_compute(&o, &out, e, sizeof e) < 0) {
				snprintf(err, errlen, "%s:%d: %s", data[d].path, data[d].rows[i].line, e);
				return -1;
			}
			sim[row] = out.change;
			double res = (out.change - data[d].rows[i].change) / data[d].rows[i].sem;
			*chi2 += res * res;
		}
	return 0;
}
