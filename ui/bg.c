/* The explorer's background jobs (jobs.h): what can take longer than a frame is computed on the
 * threadpool, and the loop thread only reads the results.
 *   BG_CURVE - the analytic curve where it is a Monte Carlo (Poisson trains)
 *   BG_VIEW  - the efficacy view (sample paths over the whole protocol) and the Poisson calcium view
 *   BG_POINT - the analytic value at the cursor (the same Monte Carlo, for the Poisson protocol)
 * Each request is a key (everything the result depends on); a request equal to the pending one is
 * not submitted again, and a new one supersedes it. A result is installed only if it still answers
 * the current request. */
#include "ui.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jobs.h"

enum { BG_CURVE = UI_JOB_CURVE, BG_VIEW = UI_JOB_VIEW, BG_POINT = UI_JOB_POINT };

/* ---- the analytic curve ---- */

typedef struct curve_job {
	param_set p;
	double xmin, xmax;
	int n;
	double *x, *y;
	ui *u;
} curve_job;

static int same_set(const param_set *a, const param_set *b)
{
	return memcmp(a, b, sizeof *a) == 0;
}

static int curve_work(jobs_ctx *c, void *arg)
{
	curve_job *j = arg;
	int proto = (int)j->p.v[P_PROTOCOL];
	for (int i = 0; i < j->n; i++) {
		if (jobs_cancelled(c))
			return 0;
		analytic_point pt;
		j->x[i] = j->xmin + (j->xmax - j->xmin) * i / (j->n - 1);
		if (proto != PROTO_PAIRS && proto != PROTO_BURST && !(j->x[i] > 0)) {
			j->y[i] = NAN;
			continue;
		}
		analytic_at(&j->p, j->x[i], &pt);
		j->y[i] = pt.change;
		jobs_progress(c, (double)(i + 1) / j->n);
	}
	return 0;
}

static void curve_free(curve_job *j)
{
	free(j->x);
	free(j->y);
	free(j);
}

static void curve_done(int status, const char *err, void *arg, void *user)
{
	curve_job *j = arg;
	ui *u = user;
	int current = u->bg_curve_pending && same_set(&j->p, &u->bg_curve_p) && j->xmin == u->bg_curve_xmin &&
	              j->xmax == u->bg_curve_xmax && j->n == u->bg_curve_n;
	if (current)
		u->bg_curve_pending = 0;
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
	curve_free(j);
}

void bg_analytic_curve(ui *u, double xmin, double xmax, int n)
{
	/* The current set's curve, or the map cursor's while the map is open. */
	const param_set *p = mapview_curve_params(u);
	if (!u->jobs || u->quitting)
		return;
	if (u->bg_curve_pending && same_set(p, &u->bg_curve_p) && xmin == u->bg_curve_xmin &&
	    xmax == u->bg_curve_xmax && n == u->bg_curve_n)
		return;
	/* The old curve belongs to other parameters: none is drawn until the new one is done. */
	u->na = 0;
	curve_job *j = calloc(1, sizeof *j);
	if (j) {
		j->x = malloc((size_t)n * sizeof *j->x);
		j->y = malloc((size_t)n * sizeof *j->y);
	}
	if (!j || !j->x || !j->y) {
		if (j)
			curve_free(j);
		ui_message(u, 1, "analytic curve: out of memory");
		return;
	}
	j->p = *p;
	j->xmin = xmin;
	j->xmax = xmax;
	j->n = n;
	u->bg_curve_p = *p;
	u->bg_curve_xmin = xmin;
	u->bg_curve_xmax = xmax;
	u->bg_curve_n = n;
	u->bg_curve_pending = 1;
	jobs_submit(u->jobs, BG_CURVE, "analytic curve", curve_work, curve_done, j, u);
}

/* ---- the views ---- */

typedef struct view_key {
	enum views_kind kind;
	param_set p;
	int index, w, h;
	uint64_t seed;
	canvas_mode mode;
} view_key;

typedef struct view_job {
	view_key k;
	views *v;
	views_out out;
	int rc;
} view_job;

/* Everything a view shows (bg_view's result): the views object owns the chart. */
struct bg_view_result {
	view_key k;
	views *v;
	views_out out;
	int rc;
};

static int same_key(const view_key *a, const view_key *b)
{
	return a->kind == b->kind && a->index == b->index && a->w == b->w && a->h == b->h &&
	       a->seed == b->seed && a->mode == b->mode && same_set(&a->p, &b->p);
}

static int view_work(jobs_ctx *c, void *arg)
{
	view_job *j = arg;
	if (jobs_cancelled(c))
		return 0;
	j->v = views_new();
	if (!j->v) {
		jobs_fail(c, "out of memory");
		return -1;
	}
	j->rc =
	    views_render(j->v, j->k.kind, &j->k.p, j->k.index, j->k.seed, j->k.w, j->k.h, j->k.mode, &j->out);
	return 0;
}

static void view_done(int status, const char *err, void *arg, void *user)
{
	view_job *j = arg;
	ui *u = user;
	int current = u->bg_view_pending && same_key(&j->k, (const view_key *)u->bg_view_key);
	if (current)
		u->bg_view_pending = 0;
	if (status == 0 && current && !u->quitting) {
		bg_view_result *r = u->bg_view;
		if (!r)
			r = u->bg_view = calloc(1, sizeof *r);
		if (r) {
			views_free(r->v);
			r->k = j->k;
			r->v = j->v;
			r->out = j->out;
			r->rc = j->rc;
			j->v = NULL;
		}
		ui_dirty(u);
	} else if (status < 0 && current && !u->quitting) {
		ui_message(u, 1, "view: %s", err);
	}
	views_free(j->v);
	free(j);
}

/* Views that are instant stay on the loop thread: the calcium view of a periodic protocol is one
 * period of closed-form calcium. */
static int view_is_costly(enum views_kind kind, const param_set *p)
{
	return kind == VIEWS_EFFICACY || (int)p->v[P_PROTOCOL] == PROTO_POISSON;
}

int bg_view(ui *u, enum views_kind kind, int index, uint64_t seed, int w, int h, canvas_mode mode,
            views_out *out)
{
	if (!view_is_costly(kind, &u->params))
		return views_render(u->views, kind, &u->params, index, seed, w, h, mode, out);
	view_key k = {kind, u->params, index, w, h, seed, mode};
	bg_view_result *r = u->bg_view;
	if (r && same_key(&r->k, &k)) {
		*out = r->out;
		return r->rc < 0 ? -1 : 0;
	}
	if (!u->bg_view_pending || !same_key(&k, (const view_key *)u->bg_view_key)) {
		view_job *j = calloc(1, sizeof *j);
		if (!j) {
			ui_message(u, 1, "view: out of memory");
			return -1;
		}
		j->k = k;
		if (!u->bg_view_key)
			u->bg_view_key = malloc(sizeof(view_key));
		if (!u->bg_view_key) {
			free(j);
			return -1;
		}
		memcpy(u->bg_view_key, &k, sizeof k);
		u->bg_view_pending = 1;
		jobs_submit(u->jobs, BG_VIEW, kind == VIEWS_EFFICACY ? "efficacy view" : "calcium view",
		            view_work, view_done, j, u);
	}
	/* Until it is done: the last result of the same kind and size, marked as being updated. */
	if (r && r->rc == 0 && r->k.kind == kind && r->k.w == w && r->k.h == h && r->k.mode == mode) {
		*out = r->out;
		snprintf(out->title, sizeof out->title, "%.*s (updating)", VIEWS_LINE_MAX - 12, r->out.title);
		snprintf(out->brief, sizeof out->brief, "%.*s (updating)", VIEWS_LINE_MAX - 12, r->out.brief);
		return 0;
	}
	memset(out, 0, sizeof *out);
	snprintf(out->title, sizeof out->title, "%s",
	         kind == VIEWS_EFFICACY ? "efficacy view" : "calcium view");
	snprintf(out->brief, sizeof out->brief, "%s", out->title);
	return 1;
}

/* ---- the analytic value at the cursor ---- */

typedef struct point_job {
	param_set p;
	double x;
	analytic_point a;
} point_job;

static int point_work(jobs_ctx *c, void *arg)
{
	point_job *j = arg;
	if (!jobs_cancelled(c))
		analytic_at(&j->p, j->x, &j->a);
	return 0;
}

static void point_done(int status, const char *err, void *arg, void *user)
{
	point_job *j = arg;
	ui *u = user;
	int current = u->bg_point_pending && j->x == u->bg_point_x && same_set(&j->p, &u->bg_point_p);
	if (current)
		u->bg_point_pending = 0;
	if (status == 0 && current && !u->quitting) {
		u->bg_point_valid = 1;
		u->bg_point_change = j->a.change;
		ui_dirty(u);
	} else if (status < 0 && current && !u->quitting) {
		ui_message(u, 1, "analytic value: %s", err);
	}
	free(j);
}

int bg_point_analytic(ui *u, double x, double *change)
{
	if ((int)u->params.v[P_PROTOCOL] != PROTO_POISSON) {
		*change = views_analytic(u->views, &u->params, x)->change;
		return 1;
	}
	if (u->bg_point_x == x && same_set(&u->bg_point_p, &u->params)) {
		if (u->bg_point_valid) {
			*change = u->bg_point_change;
			return 1;
		}
		if (u->bg_point_pending)
			return 0;
	}
	point_job *j = calloc(1, sizeof *j);
	if (!j)
		return 0;
	j->p = u->params;
	j->x = x;
	u->bg_point_p = u->params;
	u->bg_point_x = x;
	u->bg_point_valid = 0;
	u->bg_point_pending = 1;
	jobs_submit(u->jobs, BG_POINT, "analytic value at the cursor", point_work, point_done, j, u);
	return 0;
}

/* ---- the status line, the start and the end ---- */

int bg_status(const ui *u, char *buf, size_t len)
{
	const char *what;
	double f;
	buf[0] = '\0';
	if (!u->jobs || !jobs_any_busy(u->jobs, &what, &f))
		return 0;
	if (f > 0)
		snprintf(buf, len, "computing %s %.0f%%", what, 100 * f);
	else
		snprintf(buf, len, "computing %s", what);
	return 1;
}

int bg_start(ui *u)
{
	u->jobs = jobs_new(&u->loop);
	return u->jobs ? 0 : -1;
}

void bg_close(ui *u)
{
	if (u->jobs) {
		jobs_close(u->jobs);
		u->jobs = NULL;
	}
}

void bg_free(ui *u)
{
	if (u->bg_view)
		views_free(u->bg_view->v);
	free(u->bg_view);
	free(u->bg_view_key);
	u->bg_view = NULL;
	u->bg_view_key = NULL;
}
