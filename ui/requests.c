/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the plot needs computed, requested after the state changed (explorer.c runs requests_sync
 * then, never a frame): the analytic curve (at once, or as a job for Poisson trains, where each point
 * is a Monte Carlo run), the frequency overlay, the compared sets' curves, the analytic value at the
 * cursor, and the fit. A request equal to the pending one is not submitted again, and a new one
 * supersedes it; a result is installed only if it still answers the current request, on the loop
 * thread, into the state (which marks the frame dirty). The work itself is work.c's. */
#include "requests.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "textplot.h"
#include "work.h"

static int same_set(const param_set *a, const param_set *b)
{
	return memcmp(a, b, sizeof *a) == 0;
}

/* ---- the analytic curve ---- */

static void curve_done(int status, const char *err, void *arg, void *user)
{
	work_curves *j = arg;
	ui *u = user;
	int current = u->curve_pending && same_set(&j->sets[0], &u->curve_p) && j->xmin == u->curve_xmin &&
	              j->xmax == u->curve_xmax && j->n == u->curve_n;
	if (current)
		u->curve_pending = 0;
	if (status == 0 && current && !u->quitting) {
		free(u->ax);
		free(u->ay);
		u->ax = j->x;
		u->ay = j->y;
		u->ax_cap = u->na = j->n;
		j->x = j->y = NULL;
		u->analytic_stale = 0;
		ui_dirty(u);
	} else if (status < 0 && current && !u->quitting) {
		ui_message(u, 1, "analytic curve: %s", err);
	}
	work_curves_free(j);
}

static void curve_job(ui *u, const param_set *p, double xmin, double xmax, int n)
{
	if (!u->jobs || u->quitting)
		return;
	if (u->curve_pending && same_set(p, &u->curve_p) && xmin == u->curve_xmin && xmax == u->curve_xmax &&
	    n == u->curve_n)
		return;
	/* The old curve belongs to other parameters: none is drawn until the new one is done. */
	u->na = 0;
	work_curves *j = work_curves_new(p, 1, xmin, xmax, n);
	if (!j) {
		ui_message(u, 1, "analytic curve: out of memory");
		return;
	}
	u->curve_p = *p;
	u->curve_xmin = xmin;
	u->curve_xmax = xmax;
	u->curve_n = n;
	u->curve_pending = 1;
	jobs_submit(u->jobs, UI_JOB_CURVE, "analytic curve", work_curves_run, curve_done, j, u);
}

/* The analytic curve at about one sample per dot column of the plot area; Poisson trains at fewer
 * (each point is a Monte Carlo run, on the threadpool), and nothing where x means no protocol. */
static void sample_analytic(ui *u, const plot_data *d)
{
	plot_layout pl;
	plot_layout_for(d, canvas_cols(u->cv), canvas_rows(u->cv), &pl);
	int n = pl.width * canvas_dot_width(u->cv) + 1;
	const param_set *ap = ui_curve_params(u);
	int proto = (int)ap->v[P_PROTOCOL];
	if ((int)ap->v[P_EFFICACY] == EFFICACY_WEIGHT) {
		/* The engine computes the weight model's points, exact on regular trains: no second
		 * curve (ui_plot_base shows none) but the map cursor's cell, exact, as a job (a long
		 * train takes longer than a frame). */
		if (u->alt_curve && !params_random_protocol(ap)) {
			curve_job(u, ap, d->xmin, d->xmax, n);
			return;
		}
		u->na = 0;
		u->analytic_stale = 0;
		return;
	}
	if (proto == PROTO_POISSON && n > UI_POISSON_SAMPLES)
		n = UI_POISSON_SAMPLES;
	if (n < 2)
		n = 2;
	if (proto == PROTO_POISSON) {
		curve_job(u, ap, d->xmin, d->xmax, n);
		return;
	}
	if (n > u->ax_cap) {
		double *x = realloc(u->ax, (size_t)n * sizeof *x);
		if (x)
			u->ax = x;
		double *y = realloc(u->ay, (size_t)n * sizeof *y);
		if (y)
			u->ay = y;
		if (!x || !y) {
			u->na = 0;
			return;
		}
		u->ax_cap = n;
	}
	work_sample(ap, 1, d->xmin, d->xmax, n, u->ax, u->ay, NULL);
	u->na = n;
	u->analytic_stale = 0;
}

/* Fig. 4B: the analytic curve at other pairing frequencies, each over dt within +-T/2. */
static void sample_overlay(ui *u, const plot_data *d)
{
	static const double freqs[UI_OVERLAY_COUNT] = UI_OVERLAY_FREQS;
	int n = u->cv ? 2 * canvas_cols(u->cv) : 160;
	if (n < 2)
		n = 2;
	if (n != u->fo_n) {
		double *fo = realloc(u->fo, (size_t)UI_OVERLAY_COUNT * 2 * (size_t)n * sizeof *fo);
		if (!fo) {
			u->fo_n = 0;
			return;
		}
		u->fo = fo;
		u->fo_n = n;
	}
	for (int k = 0; k < UI_OVERLAY_COUNT; k++) {
		double *x = u->fo + (size_t)2 * k * n;
		textplot_freq_curve(&u->params, freqs[k], d->xmin, d->xmax, n, x, x + n);
	}
}

/* ---- the compared sets ---- */

static int is_model(int id)
{
	return strcmp(params_table[id].section, "model") == 0 ||
	       strcmp(params_table[id].section, "readout") == 0;
}

static void cmp_done(int status, const char *err, void *arg, void *user)
{
	ui *u = user;
	work_curves *j = arg;
	(void)err;
	int current = !u->quitting && j->xmin == u->cmp_xmin && j->xmax == u->cmp_xmax &&
	              same_set(&j->sets[0], &u->cmp_req);
	if (current)
		u->cmp_pending = 0;
	if (status == 0 && current) {
		free(u->cmp_x);
		free(u->cmp_y);
		u->cmp_x = j->x;
		u->cmp_y = j->y;
		u->cmp_n = j->n;
		j->x = j->y = NULL;
		ui_dirty(u);
	}
	work_curves_free(j);
}

/* The compared sets' analytic curves over d's x range, as many samples as the analytic curve has:
 * at once, or as a job for Poisson trains. Each set on the current protocol: its [model] and
 * [readout] values, the rest current. */
static void sample_compared(ui *u, const plot_data *d)
{
	int n = u->na > 1 ? u->na : 2, poisson = (int)u->params.v[P_PROTOCOL] == PROTO_POISSON;
	if (u->ncompare == 0)
		return;
	if (u->na < 2 && u->cv) {
		/* No analytic curve of the current set (the weight model's points are the engine's):
		 * about one sample per dot column, as it would have. */
		plot_layout pl;
		plot_layout_for(d, canvas_cols(u->cv), canvas_rows(u->cv), &pl);
		n = pl.width * canvas_dot_width(u->cv) + 1;
		n = n < 2 ? 2 : n;
	}
	if (poisson && n > UI_POISSON_SAMPLES)
		n = UI_POISSON_SAMPLES;
	param_set *sets = malloc((size_t)u->ncompare * sizeof *sets);
	if (!sets) {
		u->cmp_n = 0;
		return;
	}
	for (int k = 0; k < u->ncompare; k++) {
		sets[k] = u->params;
		for (int i = 0; i < P_COUNT; i++)
			if (is_model(i))
				sets[k].v[i] = u->compare[k].v[i];
	}
	/* The sets differ from each other only in their own model values: the first one and the range
	 * say what is asked (asked already, or done for these sets: nothing to do). */
	if (poisson && (u->cmp_pending || u->cmp_n == n) && same_set(&sets[0], &u->cmp_req) &&
	    d->xmin == u->cmp_xmin && d->xmax == u->cmp_xmax) {
		free(sets);
		return;
	}
	work_curves *j = work_curves_new(sets, u->ncompare, d->xmin, d->xmax, n);
	free(sets);
	if (!j) {
		u->cmp_n = 0;
		return;
	}
	if (!poisson) {
		/* Microseconds a point: at once. */
		work_curves_run(NULL, j);
		free(u->cmp_x);
		free(u->cmp_y);
		u->cmp_x = j->x;
		u->cmp_y = j->y;
		u->cmp_n = n;
		j->x = j->y = NULL;
		work_curves_free(j);
		return;
	}
	/* Until the job answers, no compared curves rather than curves for other parameters. */
	u->cmp_n = 0;
	u->cmp_pending = 1;
	u->cmp_req = j->sets[0];
	u->cmp_xmin = d->xmin;
	u->cmp_xmax = d->xmax;
	jobs_submit(u->jobs, UI_JOB_COMPARE, "compared curves", work_curves_run, cmp_done, j, u);
}

/* ---- the analytic value at the cursor ---- */

static void point_done(int status, const char *err, void *arg, void *user)
{
	work_point *j = arg;
	ui *u = user;
	int current = u->point_pending && j->x == u->point_x && same_set(&j->p, &u->point_p);
	if (current)
		u->point_pending = 0;
	if (status == 0 && current && !u->quitting) {
		u->point_valid = 1;
		u->point_change = j->a.change;
		ui_dirty(u);
	} else if (status < 0 && current && !u->quitting) {
		ui_message(u, 1, "analytic value: %s", err);
	}
	free(j);
}

/* Under Poisson trains the value at the cursor is a Monte Carlo run: a job (elsewhere the frame
 * computes it, in microseconds). */
static void request_point(ui *u)
{
	if (u->cursor < 0 || u->cursor >= u->points || (int)u->params.v[P_PROTOCOL] != PROTO_POISSON)
		return;
	double x = u->px[u->cursor];
	if (u->point_x == x && same_set(&u->point_p, &u->params) && (u->point_valid || u->point_pending))
		return;
	work_point *j = calloc(1, sizeof *j);
	if (!j)
		return;
	j->p = u->params;
	j->x = x;
	u->point_p = u->params;
	u->point_x = x;
	u->point_valid = 0;
	u->point_pending = 1;
	jobs_submit(u->jobs, UI_JOB_POINT, "analytic value at the cursor", work_point_run, point_done, j, u);
}

/* ---- the fit ---- */

static void fit_done(int status, const char *err, void *arg, void *user)
{
	ui *u = user;
	work_fit *j = arg;
	u->fit_job = 0;
	if (!u->quitting)
		uv_timer_stop(&u->job_timer);
	if (u->quitting || status == 1) {
		work_fit_free(j);
		return;
	}
	if (status < 0) {
		ui_message(u, 1, "the fit failed: %s", err ? err : "unknown error");
		work_fit_free(j);
		return;
	}
	/* The sliders move to the fit: its values over the current set (other sliders may have moved
	 * while it ran; it was fitted with the values it started from). */
	param_set p = u->params;
	int moved = 0;
	for (int i = 0; i < P_COUNT; i++)
		if (!is_model(i) && i != P_REPS && i != P_SEED && u->params.v[i] != j->start.v[i])
			moved = 1;
	for (int k = 0; k < j->r.n; k++)
		p.v[j->r.est[k].id] = j->r.est[k].value;
	fit_format(&j->r, u->report, sizeof u->report);
	if (moved) {
		size_t used = strlen(u->report);
		snprintf(u->report + used, sizeof u->report - used,
		         "(the protocol changed while it ran: the fit is for the one it started with)\n");
	}
	u->change_label = "fit";
	int rc = ui_set_params(u, &p);
	u->change_label = NULL;
	if (rc == 0) {
		ui_view_open(u, "report");
		ui_message(u, 0, "fit: chi^2 %.4g -> %.4g (u undoes it)", j->r.chi2_start, j->r.chi2);
	}
	work_fit_free(j);
	ui_dirty(u);
}

/* While a fit runs: a frame now and then, for its progress. */
static void job_tick(uv_timer_t *t)
{
	ui_dirty(t->data);
}

static void request_fit(ui *u)
{
	int want = u->fit_wanted;
	u->fit_wanted = 0;
	if (want < 0 && u->fit_job) {
		jobs_cancel(u->jobs, UI_JOB_FIT);
		return;
	}
	if (want <= 0 || u->fit_job)
		return;
	int ids[FIT_MAX], n = 0;
	for (int i = 0; i < P_COUNT && n < FIT_MAX; i++)
		if (u->fit_mark[i])
			ids[n++] = i;
	work_fit *j = work_fit_new(u->data, u->ndata, &u->params, ids, n);
	if (!j) {
		ui_message(u, 1, "out of memory");
		return;
	}
	/* fit_done runs (and frees j) whatever happens, even when it could not be queued. */
	u->fit_job = jobs_submit(u->jobs, UI_JOB_FIT, "a fit", work_fit_run, fit_done, j, u);
	/* No message: the status line says "computing a fit" with its progress. */
	if (u->fit_job)
		uv_timer_start(&u->job_timer, job_tick, 100, 100);
}

/* ---- after a change ---- */

void requests_sync(ui *u)
{
	if (u->quitting || !u->jobs)
		return;
	request_fit(u);
	sliders_rect r;
	if (u->lay.too_small)
		return;
	request_point(u);
	if (!ui_curve_rect(u, &r))
		return;
	if (ui_plot_canvas(u, r.w, r.h) < 0 || !u->analytic_stale)
		return;
	plot_data d;
	ui_plot_base(u, &d, r.w);
	sample_analytic(u, &d);
	sample_compared(u, &d);
	if (u->freq_overlay && (int)u->params.v[P_PROTOCOL] == PROTO_PAIRS)
		sample_overlay(u, &d);
}
