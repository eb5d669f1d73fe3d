/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The explorer's jobs' work (work.h): pure computations on their own inputs, run on the threadpool. */
#include "work.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int work_sample(const param_set *sets, int nsets, double xmin, double xmax, int n, double *x, double *y,
                jobs_ctx *c)
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

work_curves *work_curves_new(const param_set *sets, int nsets, double xmin, double xmax, int n)
{
	work_curves *j = calloc(1, sizeof *j);
	if (!j)
		return NULL;
	size_t need = (size_t)nsets * (size_t)n;
	j->sets = malloc((size_t)nsets * sizeof *j->sets);
	j->x = malloc(need * sizeof *j->x);
	j->y = malloc(need * sizeof *j->y);
	if (!j->sets || !j->x || !j->y) {
		work_curves_free(j);
		return NULL;
	}
	memcpy(j->sets, sets, (size_t)nsets * sizeof *sets);
	j->nsets = nsets;
	j->n = n;
	j->xmin = xmin;
	j->xmax = xmax;
	return j;
}

void work_curves_free(work_curves *j)
{
	if (!j)
		return;
	free(j->sets);
	free(j->x);
	free(j->y);
	free(j);
}

int work_curves_run(jobs_ctx *c, void *arg)
{
	work_curves *j = arg;
	work_sample(j->sets, j->nsets, j->xmin, j->xmax, j->n, j->x, j->y, c);
	return 0;
}

int work_point_run(jobs_ctx *c, void *arg)
{
	work_point *j = arg;
	if (!jobs_cancelled(c))
		analytic_at(&j->p, j->x, &j->a);
	return 0;
}

int work_view_same(const work_view_key *a, const work_view_key *b)
{
	return a->kind == b->kind && a->index == b->index && a->w == b->w && a->h == b->h &&
	       a->seed == b->seed && a->mode == b->mode && memcmp(&a->p, &b->p, sizeof a->p) == 0;
}

int work_view_run(jobs_ctx *c, void *arg)
{
	work_view *j = arg;
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

work_fit *work_fit_new(const datafile *data, int ndata, const param_set *start, const int *ids, int n)
{
	work_fit *j = calloc(1, sizeof *j);
	if (!j || !(j->data = calloc((size_t)ndata + 1, sizeof *j->data))) {
		free(j);
		return NULL;
	}
	for (int i = 0; i < ndata; i++) {
		if (datafile_copy(&data[i], &j->data[i]) < 0) {
			work_fit_free(j);
			return NULL;
		}
		j->ndata++;
	}
	j->start = *start;
	for (int i = 0; i < n && i < FIT_MAX; i++)
		j->ids[j->n++] = ids[i];
	return j;
}

void work_fit_free(work_fit *j)
{
	if (!j)
		return;
	for (int i = 0; i < j->ndata; i++)
		datafile_free(&j->data[i]);
	free(j->data);
	free(j);
}

static int ctx_cancelled(void *ctx)
{
	return jobs_cancelled(ctx);
}

static void ctx_progress(void *ctx, double fraction)
{
	jobs_progress(ctx, fraction);
}

int work_fit_run(jobs_ctx *c, void *arg)
{
	work_fit *j = arg;
	char err[512];
	fit_control fc = {.cancelled = ctx_cancelled, .progress = ctx_progress, .ctx = c};
	int rc = fit_run(j->data, j->ndata, &j->start, j->ids, j->n, &fc, &j->r, err, sizeof err);
	if (rc < 0)
		jobs_fail(c, "%s", err);
	return rc < 0 ? -1 : 0; /* cancelled: jobs reports it as such */
}

int work_map_run(jobs_ctx *c, void *arg)
{
	mapview_job_run(arg, ctx_cancelled, ctx_progress, c);
	return 0;
}
