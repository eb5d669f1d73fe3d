/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The explorer's jobs' work: what runs on the threadpool (jobs.h), knowing nothing of the explorer.
 * Each job is a struct of inputs and room for its result; its work function fills the result and
 * polls jobs_cancelled; whoever submitted it takes the result in its done callback. */
#ifndef CSTDP_WORK_H
#define CSTDP_WORK_H

#include "analytic.h"
#include "datafile.h"
#include "fit.h"
#include "jobs.h"
#include "mapview.h"
#include "params.h"
#include "views.h"

/* The analytic curves of sets[0..nsets-1] at n samples over [xmin, xmax] into x and y, set after set
 * (NaN where x means no protocol: a frequency <= 0); c may be NULL (on the loop thread: microseconds
 * a point outside Poisson trains). 1 when stopped through c, else 0. */
int work_sample(const param_set *sets, int nsets, double xmin, double xmax, int n, double *x, double *y,
                jobs_ctx *c);

/* Curves: nsets sets (the analytic curve: 1; the compared sets: several). */
typedef struct work_curves {
	param_set *sets;
	int nsets, n;
	double xmin, xmax;
	double *x, *y; /* [nsets * n] */
} work_curves;
/* A job for copies of sets (NULL when out of memory); free with work_curves_free. */
work_curves *work_curves_new(const param_set *sets, int nsets, double xmin, double xmax, int n);
void work_curves_free(work_curves *j);
int work_curves_run(jobs_ctx *c, void *arg);

/* The analytic value at x under p (a Monte Carlo run for Poisson trains). */
typedef struct work_point {
	param_set p;
	double x;
	analytic_point a;
} work_point;
int work_point_run(jobs_ctx *c, void *arg);

/* A view rendered on a views object of its own (views.h), which the result keeps. */
typedef struct work_view_key {
	enum views_kind kind;
	param_set p;
	int index, w, h;
	uint64_t seed;
	canvas_mode mode;
} work_view_key;
typedef struct work_view {
	work_view_key k;
	views *v;
	views_out out;
	int rc;
} work_view;
int work_view_same(const work_view_key *a, const work_view_key *b);
int work_view_run(jobs_ctx *c, void *arg);

/* A fit (fit.h) on copies of the data sets. */
typedef struct work_fit {
	datafile *data;
	int ndata;
	param_set start;
	int ids[FIT_MAX], n;
	fit_result r;
} work_fit;
/* A fit of ids[n] from start to copies of data[ndata] (NULL when out of memory). */
work_fit *work_fit_new(const datafile *data, int ndata, const param_set *start, const int *ids, int n);
void work_fit_free(work_fit *j);
int work_fit_run(jobs_ctx *c, void *arg);

/* The map's classes (arg: a mapview_job). */
int work_map_run(jobs_ctx *c, void *arg);

#endif
