/* What the explorer draws over the curve and keeps beside it: measured data sets (points with SEM
 * bars, a legend entry counting the rows that are elsewhere), compared parameter sets (their analytic
 * curves on the current protocol), pinned curves; undo and redo of parameter changes; and the fit,
 * which runs as a background job (never on the loop thread) on its own copies of the data. */
#include "ui.h"

#include "textplot.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analytic.h"
#include "inifile.h"
#include "presets.h"

/* Analytic samples of a compared set for Poisson trains (each is a Monte Carlo run). */
#define POISSON_SAMPLES 61

static int is_model(int id)
{
	return strcmp(params_table[id].section, "model") == 0 ||
	       strcmp(params_table[id].section, "readout") == 0;
}

/* Compared set k on the current protocol: its [model] and [readout] values, the rest current. */
static void compare_on_current(const ui *u, int k, param_set *q)
{
	*q = u->params;
	for (int i = 0; i < P_COUNT; i++)
		if (is_model(i))
			q->v[i] = u->compare[k].v[i];
}

static history_state state_of(const ui *u)
{
	return (history_state){&u->params, &u->reference, u->preset};
}

int overlays_init(ui *u, const explorer_opts *o)
{
	u->data = calloc((size_t)o->ndata + 1, sizeof *u->data);
	u->compare = calloc((size_t)o->ncompare + 1, sizeof *u->compare);
	u->compare_name = calloc((size_t)o->ncompare + 1, sizeof *u->compare_name);
	if (!u->data || !u->compare || !u->compare_name)
		return -1;
	for (int i = 0; i < o->ndata; i++) {
		if (datafile_copy(&o->data[i], &u->data[i]) < 0)
			return -1;
		u->ndata++;
	}
	u->data_given = o->data_given;
	for (int i = 0; i < o->ncompare; i++) {
		u->compare[i] = o->compare[i];
		memcpy(u->compare_name[i], o->compare_name[i], sizeof u->compare_name[i]);
	}
	u->ncompare = o->ncompare;
	history_init(&u->hist, state_of(u), "start");
	return 0;
}

void overlays_free(ui *u)
{
	for (int i = 0; i < u->ndata; i++)
		datafile_free(&u->data[i]);
	free(u->data);
	free(u->compare);
	free(u->compare_name);
	free(u->cmp_x);
	free(u->cmp_y);
	pins_clear(&u->pins);
	free(u->layers);
	free(u->legends);
	free(u->lbuf);
}

/* ---- layers ---- */

/* The curves of the compared sets sets[0..nsets-1] at n samples over [xmin, xmax]: into x and y,
 * set after set; 1 when stopped through c (c may be NULL). */
static int sample_sets(const param_set *sets, int nsets, double xmin, double xmax, int n, double *x,
                       double *y, jobs_ctx *c)
{
	for (int k = 0; k < nsets; k++)
		for (int i = 0; i < n; i++) {
			if (c && jobs_cancelled(c))
				return 1;
			int proto = (int)sets[k].v[P_PROTOCOL];
			double *px = &x[(size_t)k * n + i], *py = &y[(size_t)k * n + i];
			analytic_point a;
			*px = xmin + (xmax - xmin) * i / (n - 1);
			if (proto != PROTO_PAIRS && proto != PROTO_BURST && !(*px > 0)) {
				*py = NAN;
				continue;
			}
			analytic_at(&sets[k], *px, &a);
			*py = a.change;
			if (c)
				jobs_progress(c, (double)(k * n + i + 1) / ((double)nsets * n));
		}
	return 0;
}

/* Poisson trains: each analytic point is a Monte Carlo run of about a millisecond, so the compared
 * sets' curves are a job; the request it answers is kept in the ui and checked when it is done. */
typedef struct cmp_job {
	param_set *sets;
	int nsets, n;
	double xmin, xmax;
	double *x, *y;
} cmp_job;

static void cmp_job_free(cmp_job *j)
{
	free(j->sets);
	free(j->x);
	free(j->y);
	free(j);
}

static int cmp_work(jobs_ctx *c, void *arg)
{
	cmp_job *j = arg;
	sample_sets(j->sets, j->nsets, j->xmin, j->xmax, j->n, j->x, j->y, c);
	return 0;
}

static void cmp_done(int status, const char *err, void *arg, void *user)
{
	ui *u = user;
	cmp_job *j = arg;
	(void)err;
	int current = !u->quitting && j->xmin == u->cmp_xmin && j->xmax == u->cmp_xmax &&
	              memcmp(&j->sets[0], &u->cmp_req, sizeof u->cmp_req) == 0;
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
	cmp_job_free(j);
}

void overlays_sample(ui *u, const plot_data *d)
{
	int n = u->na > 1 ? u->na : 2, poisson = (int)u->params.v[P_PROTOCOL] == PROTO_POISSON;
	if (u->ncompare == 0)
		return;
	if (poisson && n > POISSON_SAMPLES)
		n = POISSON_SAMPLES;
	size_t need = (size_t)u->ncompare * (size_t)n;
	param_set *sets = malloc((size_t)u->ncompare * sizeof *sets);
	double *x = malloc(need * sizeof *x), *y = malloc(need * sizeof *y);
	if (!sets || !x || !y) {
		free(sets), free(x), free(y);
		u->cmp_n = 0;
		return;
	}
	for (int k = 0; k < u->ncompare; k++)
		compare_on_current(u, k, &sets[k]);
	if (!poisson) {
		/* Microseconds a point: at once. */
		sample_sets(sets, u->ncompare, d->xmin, d->xmax, n, x, y, NULL);
		free(sets);
		free(u->cmp_x);
		free(u->cmp_y);
		u->cmp_x = x;
		u->cmp_y = y;
		u->cmp_n = n;
		return;
	}
	/* The sets differ from each other only in their own model values: the first one and the range
	 * say what is asked. */
	if ((u->cmp_pending || u->cmp_n == n) && memcmp(&sets[0], &u->cmp_req, sizeof u->cmp_req) == 0 &&
	    d->xmin == u->cmp_xmin && d->xmax == u->cmp_xmax) {
		free(sets), free(x), free(y);
		return; /* asked already (each frame until the curves are done), or done for these sets */
	}
	/* Until the job answers, no compared curves rather than curves for other parameters. */
	u->cmp_n = 0;
	u->cmp_pending = 1;
	u->cmp_req = sets[0];
	u->cmp_xmin = d->xmin;
	u->cmp_xmax = d->xmax;
	cmp_job *j = malloc(sizeof *j);
	if (!j) {
		free(sets), free(x), free(y);
		return;
	}
	*j = (cmp_job){sets, u->ncompare, n, d->xmin, d->xmax, x, y};
	jobs_submit(u->jobs, UI_JOB_COMPARE, "compared curves", cmp_work, cmp_done, j, u);
}

void overlays_layers(ui *u, plot_data *d)
{
	d->nlayers = 0;
	int rows = 0;
	for (int k = 0; k < u->ndata; k++)
		rows += u->data[k].n;
	int nl = u->ndata + u->ncompare + 2 * u->pins.n;
	size_t need = 4 * (size_t)rows + 1;
	if (need > u->lbuf_cap) {
		double *b = realloc(u->lbuf, need * sizeof *b);
		if (!b)
			return;
		u->lbuf = b;
		u->lbuf_cap = need;
	}
	plot_layer *layers = realloc(u->layers, (size_t)(nl + 1) * sizeof *layers);
	if (layers)
		u->layers = layers;
	char(*legends)[160] = realloc(u->legends, (size_t)(nl + 1) * sizeof *legends);
	if (legends)
		u->legends = legends;
	if (!layers || !legends)
		return;
	int n = 0, points_style = 0, curve_style = u->freq_overlay ? UI_OVERLAY_COUNT : 0;
	double *at = u->lbuf;
	for (int k = 0; k < u->ndata; k++) {
		layers[n] = textplot_data_layer(&u->data[k], &u->params, points_style++, at, legends[n],
		                                sizeof legends[n]);
		at += 4 * (size_t)u->data[k].n;
		n++;
	}
	for (int k = 0; k < u->ncompare && u->cmp_n > 0; k++) {
		snprintf(legends[n], sizeof legends[n], "%s (analytic)", u->compare_name[k]);
		layers[n] = (plot_layer){.kind = PL_CURVE,
		                         .n = u->cmp_n,
		                         .x = u->cmp_x + (size_t)k * u->cmp_n,
		                         .y = u->cmp_y + (size_t)k * u->cmp_n,
		                         .style = plot_style_curve(curve_style++),
		                         .legend = legends[n],
		                         .brief = u->compare_name[k],
		                         .label = u->compare_name[k]};
		n++;
	}
	for (int k = 0; k < u->pins.n; k++) {
		const pin *p = &u->pins.p[k];
		char what[120];
		pins_label(p, &u->params, what, sizeof what);
		snprintf(legends[n], sizeof legends[n], "pin %d: %s", k + 1, what);
		plot_style cs = plot_style_curve(curve_style + p->style);
		plot_style ps = plot_style_points(points_style + p->style);
		ps.bar_dash = 0; /* the points without their intervals: the current curve keeps those */
		int curve = u->show_analytic && p->na > 0;
		if (curve)
			layers[n + 1] = (plot_layer){.kind = PL_CURVE,
			                             .n = p->na,
			                             .x = p->ax,
			                             .y = p->ay,
			                             .style = cs,
			                             .legend = legends[n]};
		layers[n] = (plot_layer){.kind = PL_POINTS,
		                         .n = p->n,
		                         .x = p->x,
		                         .y = p->y,
		                         .style = ps,
		                         .legend = curve ? NULL : legends[n]};
		n += 1 + curve;
	}
	d->layers = layers;
	d->nlayers = n;
}

/* ---- data sets of presets ---- */

void overlays_preset_data(ui *u, const char *path)
{
	if (u->data_given)
		return;
	char *name = inifile_data_name(path), found[4096], err[1024];
	datafile d;
	/* The preset's own data set, or none: the last preset's does not belong to this one. */
	for (int i = 0; i < u->ndata; i++)
		datafile_free(&u->data[i]);
	u->ndata = 0;
	if (name && name[0]) {
		if (datafile_find(name, path, found, sizeof found) < 0)
			ui_message(u, 1, "the preset's data set '%s' was not found", name);
		else if (datafile_load(found, &d, err, sizeof err) < 0)
			ui_message(u, 1, "%s", err);
		else
			u->data[u->ndata++] = d;
	}
	free(name);
}

/* ---- undo ---- */

/* "theta_p", "theta_p, gamma_d", "3 parameters": what changed from old to p; the one parameter that
 * did in *param (else -1). */
static void describe_change(const param_set *old, const param_set *p, char *buf, size_t len, int *param)
{
	int n = 0, first = -1, second = -1;
	for (int i = 0; i < P_COUNT; i++)
		if (old->v[i] != p->v[i]) {
			if (n == 0)
				first = i;
			else if (n == 1)
				second = i;
			n++;
		}
	*param = n == 1 ? first : -1;
	if (n == 0)
		snprintf(buf, len, "nothing");
	else if (n == 1)
		snprintf(buf, len, "%s", params_table[first].name);
	else if (n == 2)
		snprintf(buf, len, "%s, %s", params_table[first].name, params_table[second].name);
	else
		snprintf(buf, len, "%d parameters", n);
}

void overlays_changed(ui *u, const param_set *old)
{
	if (u->history_quiet)
		return;
	char label[HISTORY_LABEL];
	int param;
	describe_change(old, &u->params, label, sizeof label, &param);
	if (u->change_label) {
		snprintf(label, sizeof label, "%s", u->change_label);
		param = -1;
	}
	history_push(&u->hist, state_of(u), label, param);
}

void overlays_record(ui *u, const char *label)
{
	history_push(&u->hist, state_of(u), label, -1);
}

static void restore(ui *u, const history_entry *e, const char *verb, const char *label)
{
	u->history_quiet = 1;
	int rc = ui_set_params(u, &e->set);
	u->history_quiet = 0;
	if (rc < 0)
		return;
	/* Back to another preset: its data set comes back with it. */
	char path[4096];
	if (strcmp(u->preset, e->ref_name) != 0 && presets_find(e->ref_name, path, sizeof path) == 0)
		overlays_preset_data(u, path);
	u->reference = e->reference;
	snprintf(u->preset, sizeof u->preset, "%s", e->ref_name);
	ui_message(u, 0, "%s: %s", verb, label);
}

void ui_undo(ui *u)
{
	const char *label;
	const history_entry *e = history_undo(&u->hist, &label);
	if (!e)
		ui_message(u, 1, "nothing to undo");
	else
		restore(u, e, "undone", label);
}

void ui_redo(ui *u)
{
	const char *label;
	const history_entry *e = history_redo(&u->hist, &label);
	if (!e)
		ui_message(u, 1, "nothing to redo");
	else
		restore(u, e, "redone", label);
}

/* ---- pins ---- */

void ui_pin(ui *u)
{
	int drop = u->pins.n == PINS_MAX;
	if (pins_add(&u->pins, &u->params, u->px, u->py, u->points, u->ax, u->ay, u->na) < 0) {
		ui_message(u, 1, "out of memory");
		return;
	}
	ui_message(u, 0, "pinned the curve (%d of %d%s); it stays while the sliders move", u->pins.n,
	           PINS_MAX, drop ? ", the oldest one dropped" : "");
}

void ui_pins_clear(ui *u)
{
	if (u->pins.n == 0) {
		ui_message(u, 1, "no pinned curves");
		return;
	}
	pins_clear(&u->pins);
	ui_message(u, 0, "pinned curves cleared");
}

/* ---- the fit ---- */

typedef struct fit_job {
	datafile *data; /* copies: the loop thread may replace its own while the job runs */
	int ndata;
	param_set start;
	int ids[FIT_MAX], n;
	fit_result r;
} fit_job;

static void fit_job_free(fit_job *j)
{
	for (int i = 0; i < j->ndata; i++)
		datafile_free(&j->data[i]);
	free(j->data);
	free(j);
}

static int job_cancelled(void *ctx)
{
	return jobs_cancelled(ctx);
}

static void job_progress(void *ctx, double fraction)
{
	jobs_progress(ctx, fraction);
}

static int fit_work(jobs_ctx *c, void *arg)
{
	fit_job *j = arg;
	char err[512];
	fit_control fc = {.cancelled = job_cancelled, .progress = job_progress, .ctx = c};
	int rc = fit_run(j->data, j->ndata, &j->start, j->ids, j->n, &fc, &j->r, err, sizeof err);
	if (rc < 0)
		jobs_fail(c, "%s", err);
	return rc < 0 ? -1 : 0; /* cancelled: jobs reports it as such */
}

static void fit_done(int status, const char *err, void *arg, void *user)
{
	ui *u = user;
	fit_job *j = arg;
	u->fit_job = 0;
	if (!u->quitting)
		uv_timer_stop(&u->job_timer);
	if (u->quitting || status == 1) {
		fit_job_free(j);
		return;
	}
	if (status < 0) {
		ui_message(u, 1, "the fit failed: %s", err ? err : "unknown error");
		fit_job_free(j);
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
		u->mode = UI_REPORT;
		ui_message(u, 0, "fit: chi^2 %.4g -> %.4g (u undoes it)", j->r.chi2_start, j->r.chi2);
	}
	fit_job_free(j);
	ui_dirty(u);
}

/* While a fit runs: a frame now and then, for its progress. */
static void job_tick(uv_timer_t *t)
{
	ui_dirty(t->data);
}

void ui_fit_mark(ui *u)
{
	int id = u->vis[u->selected];
	if (!fit_fittable(id)) {
		ui_message(u, 1, "%s cannot be fitted: only the continuous model and read-out parameters can",
		           params_table[id].name);
		return;
	}
	u->fit_mark[id] = !u->fit_mark[id];
	int n = 0;
	for (int i = 0; i < P_COUNT; i++)
		n += u->fit_mark[i];
	ui_message(u, 0, "%s %s the fit (%d marked; F fits)", params_table[id].name,
	           u->fit_mark[id] ? "joins" : "leaves", n);
}

void ui_fit(ui *u)
{
	if (u->fit_job) {
		jobs_cancel(u->jobs, UI_JOB_FIT);
		ui_message(u, 0, "fit cancelled");
		return;
	}
	if (u->ndata == 0) {
		ui_message(u, 1,
		           "no measured data to fit: start with --data FILE or a preset that names its data");
		return;
	}
	fit_job *j = calloc(1, sizeof *j);
	if (!j || !(j->data = calloc((size_t)u->ndata, sizeof *j->data))) {
		free(j);
		ui_message(u, 1, "out of memory");
		return;
	}
	for (int i = 0; i < P_COUNT && j->n < FIT_MAX; i++)
		if (u->fit_mark[i])
			j->ids[j->n++] = i;
	if (j->n == 0) {
		fit_job_free(j);
		ui_message(u, 1, "no parameters marked for the fit: t marks the selected one");
		return;
	}
	for (int i = 0; i < u->ndata; i++) {
		if (datafile_copy(&u->data[i], &j->data[i]) < 0) {
			fit_job_free(j);
			ui_message(u, 1, "out of memory");
			return;
		}
		j->ndata++;
	}
	j->start = u->params;
	/* fit_done runs (and frees j) whatever happens, even when it could not be queued. */
	u->fit_job = jobs_submit(u->jobs, UI_JOB_FIT, "a fit", fit_work, fit_done, j, u);
	/* No message: the status line says "computing a fit" with its progress (bg_status). */
	if (u->fit_job)
		uv_timer_start(&u->job_timer, job_tick, 100, 100);
}

void overlays_draw_report(ui *u)
{
	int lines = 1;
	for (const char *s = u->report; *s; s++)
		lines += *s == '\n';
	int w = COLS - 4 < 90 ? COLS - 4 : 90, h = lines + 2 < LINES - 2 ? lines + 2 : LINES - 2;
	int x0 = (COLS - w) / 2, y0 = (LINES - 2 - h) / 2;
	attr_t frame = screen_attr(u, CC_AXIS);
	const char *hz = u->utf8 ? "─" : "-", *vt = u->utf8 ? "│" : "|";
	for (int y = y0; y < y0 + h; y++) {
		int edge = y == y0 || y == y0 + h - 1;
		attrset(frame);
		mvhline(y, x0, ' ', w);
		mvaddstr(y, x0, edge ? (u->utf8 ? (y == y0 ? "┌" : "└") : "+") : vt);
		for (int x = x0 + 1; edge && x < x0 + w - 1; x++)
			mvaddstr(y, x, hz);
		mvaddstr(y, x0 + w - 1, edge ? (u->utf8 ? (y == y0 ? "┐" : "┘") : "+") : vt);
	}
	attrset(screen_attr(u, UR_KEY));
	mvaddnstr(y0, x0 + 2, " fit ", w - 4);
	attrset(frame);
	mvaddnstr(y0 + h - 1, x0 + 2, " any key closes; u undoes the fit ", w - 4);
	attrset(A_NORMAL);
	const char *s = u->report;
	for (int i = 0; i < h - 2 && *s; i++) {
		size_t n = strcspn(s, "\n");
		mvaddnstr(y0 + 1 + i, x0 + 2, s, (int)n < w - 4 ? (int)n : w - 4);
		s += n + (s[n] == '\n');
	}
}
