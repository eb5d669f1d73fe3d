/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The map's maths and its job, with no curses and no explorer state: where an axis's cells go, the
 * set of a cell, the classes of a grid (on a worker thread). The explorer's map view is view_map.c. */
#include "mapview.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sweep.h"
#include "wmap.h"

int mapview_axis_ok(int id)
{
	if (id < 0 || id >= P_COUNT || params_table[id].names)
		return 0;
	/* The simulation's own settings and the curve's grid do not shape the analytic classes. */
	return id != P_SEED && id != P_REPS && id != P_STEP_MS && id != P_POINTS;
}

/* The largest step of 1, 2, 2.5 or 5 times a power of ten at or below s: round values along the axis. */
static double nice_step(double s)
{
	if (!(s > 0))
		return s;
	double p = pow(10, floor(log10(s)));
	static const double m[] = {5, 2.5, 2, 1};
	for (int i = 0; i < 4; i++)
		if (m[i] * p <= s * (1 + 1e-9))
			return m[i] * p;
	return p;
}

void mapview_axis_place(mapview_axis *a, int id, double v, int n)
{
	const param_info *pi = &params_table[id];
	if (n < 1)
		n = 1;
	double span = fabs(v) > 0 ? fabs(v) : pi->coarse * (n - 1) / 2;
	double step = n > 1 ? nice_step(span / (n - 1)) : 1;
	if (pi->integer && step < 1 && n > 1)
		step = 1;
	if (!(step > 0))
		step = pi->step > 0 ? pi->step : 1;
	/* Too wide for the range: the whole range. */
	if (step * (n - 1) > pi->max - pi->min && n > 1)
		step = (pi->max - pi->min) / (n - 1);
	*a = (mapview_axis){.param = id, .n = n, .anchor = v, .anchor_i = (n - 1) / 2, .step = step};
	double lo = v - a->anchor_i * step, hi = lo + (n - 1) * step;
	if (lo < pi->min || hi > pi->max) {
		/* Shifted: the current value falls between cells or at an edge. */
		lo = lo < pi->min ? pi->min : pi->max - (n - 1) * step;
		if (lo < pi->min)
			lo = pi->min;
		a->anchor = lo;
		a->anchor_i = 0;
	}
	double k = (v - mapview_axis_value(a, 0)) / step;
	a->mark = k < -0.5 || k > n - 0.5 ? -1 : (int)lround(k);
	if (a->mark > n - 1)
		a->mark = n - 1;
}

double mapview_axis_value(const mapview_axis *a, int i)
{
	const param_info *pi = &params_table[a->param];
	double v = i == a->anchor_i ? a->anchor : sweep_tidy(a->anchor + (i - a->anchor_i) * a->step, 12);
	if (pi->integer)
		v = round(v);
	return v < pi->min ? pi->min : v > pi->max ? pi->max : v;
}

void mapview_cell_params(const mapview_grid *g, int i, int j, param_set *out)
{
	*out = g->base;
	out->v[g->x.param] = mapview_axis_value(&g->x, i);
	out->v[g->y.param] = mapview_axis_value(&g->y, j);
}

void mapview_fit(int w, int h, int *cols, int *rows)
{
	int c = (w - MAPVIEW_LABEL_W - 1) / MAPVIEW_CELL_W, r = h - 4;
	*cols = c < 1 ? 0 : c > MAPVIEW_MAX_COLS ? MAPVIEW_MAX_COLS : c;
	*rows = r < 1 ? 0 : r > MAPVIEW_MAX_ROWS ? MAPVIEW_MAX_ROWS : r;
}

mapview_job *mapview_job_new(const mapview_grid *g, double tol)
{
	mapview_job *j = calloc(1, sizeof *j);
	if (!j)
		return NULL;
	j->g = *g;
	j->tol = tol;
	j->cls = calloc((size_t)g->x.n * (size_t)g->y.n, sizeof *j->cls);
	if (!j->cls) {
		free(j);
		return NULL;
	}
	return j;
}

void mapview_job_free(mapview_job *j)
{
	if (!j)
		return;
	free(j->cls);
	free(j);
}

int mapview_classifiable(const param_set *p, char *why, size_t len)
{
	if ((int)p->v[P_EFFICACY] == EFFICACY_WEIGHT || wmap_check_analytic(p, 1, NULL, 0) == 0)
		return 1;
	snprintf(why, len,
	         "No map on the irregular protocols with the bistable model: they have no analytic curve "
	         "to classify, and a map simulates every cell. calcium-stdp --batch --map does (it "
	         "announces its cost first).");
	return 0;
}

int mapview_job_run(mapview_job *j, int (*cancelled)(void *user), void (*progress)(void *user, double f),
                    void *user)
{
	int total = j->g.x.n * j->g.y.n;
	for (int k = 0; k < total; k++) {
		if (cancelled && cancelled(user))
			return 1;
		param_set p;
		classify_result r;
		mapview_cell_params(&j->g, k % j->g.x.n, k / j->g.x.n, &p);
		char why[256];
		if (params_check_set(&p, why, sizeof why) < 0) {
			snprintf(j->cls[k], sizeof j->cls[k], "?");
			continue;
		}
		/* The weight model on random trains has no analytic curve: its means over trials. */
		int rc = (int)p.v[P_EFFICACY] == EFFICACY_WEIGHT && params_random_protocol(&p)
		             ? wmap_classify_trials(&p, j->tol, &r, cancelled, user)
		             : sweep_classify_analytic(&p, j->tol, &r);
		if (rc == 1)
			return 1;
		if (rc < 0)
			snprintf(j->cls[k], sizeof j->cls[k], "?"); /* out of memory: no class */
		else
			memcpy(j->cls[k], r.name, sizeof r.name);
		if (progress)
			progress(user, (double)(k + 1) / total);
	}
	return 0;
}

void mapview_cell_text(const char *cls, char out[4])
{
	size_t n = strlen(cls);
	if (n == 0)
		memcpy(out, "   ", 4);
	else if (strcmp(cls, "flat") == 0)
		memcpy(out, " . ", 4);
	else if (n <= 3)
		snprintf(out, 4, "%-3s", cls);
	else
		snprintf(out, 4, "%.2s+", cls);
}

int mapview_class_colour(const char *cls)
{
	static const char *const named[] = {"D", "P", "DP", "PD", "DPD"};
	if (!cls[0] || strcmp(cls, "flat") == 0 || strcmp(cls, "?") == 0)
		return 0;
	for (int i = 0; i < 5; i++)
		if (strcmp(cls, named[i]) == 0)
			return i + 1;
	return 6;
}
