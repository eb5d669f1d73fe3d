/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Weighted least squares, globally. A space-filling design over the ranges (Halton points, on a log
 * scale where a range spans decades) is scored with the analytic curve; GSL's trust-region solver
 * then descends from the best distinct design points, from the given set and from both sides of
 * every calcium level of the data's protocols that lies in a threshold's range (the curve has a kink
 * where a threshold meets a level, and a descent does not cross it). The solver works on unbounded
 * variables u; each fitted parameter is lo + (hi - lo) / (1 + exp(-u)), so that every step stays
 * inside the range. Intervals come from the profile of chi^2; the covariance, from a Jacobian in the
 * parameters' own units, is kept beside them where the two agree. */
#include "fit.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analytic.h"
#include "calcium.h"
#include "curve.h"

/* 95%: the normal quantile (the SEMs are taken as known, so no Student t), and its square, the rise
 * of chi^2 that bounds a profile interval. */
#define Z95     1.959963984540054
#define CHI2_95 3.841458820694124
/* |correlation| above this is worth telling. */
#define CORR_STRONG 0.99
/* A residual for a set where the analytic curve is undefined: pushes the solver away. */
#define BAD_RESIDUAL 1e3
/* Two minima closer than this (largest coordinate difference, each range as [0, 1], log where the
 * design is log) are one. */
#define SAME_MINIMUM 0.01
/* Design points closer than this are one basin when choosing where to start descents. */
#define SAME_BASIN 0.08

typedef struct problem {
	int nrows, n;
	param_set *q; /* one set per row (protocol and row values in place) */
	double *dt, *y, *sem;
	double *res; /* scratch: one residual per row */
	const int *ids;
	double lo[FIT_MAX], hi[FIT_MAX];
	double log_lo[FIT_MAX]; /* > 0: the design is log on [log_lo, hi] */
	int evaluations;
	/* Profiles: parameter `fixed` (or -1) held at fixed_value; the solver moves the others. */
	int fixed;
	double fixed_value;
	const fit_control *c;
	int polls;
} problem;

/* GSL's default handler aborts the program; its error codes are checked here instead. */
static void gsl_off(void)
{
	gsl_set_error_handler_off();
}

static void gsl_off_once(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, gsl_off);
}

static double logistic(double u)
{
	return 1 / (1 + exp(-u));
}

static double to_value(const problem *pb, int k, double u)
{
	return pb->lo[k] + (pb->hi[k] - pb->lo[k]) * logistic(u);
}

static double to_u(const problem *pb, int k, double v)
{
	double f = (v - pb->lo[k]) / (pb->hi[k] - pb->lo[k]);
	if (f < 1e-7)
		f = 1e-7;
	if (f > 1 - 1e-7)
		f = 1 - 1e-7;
	return log(f / (1 - f));
}

/* Where v lies in the range, as a fraction: log where the design is. */
static double coord(const problem *pb, int k, double v)
{
	if (pb->log_lo[k] > 0)
		return log(fmax(v, pb->log_lo[k]) / pb->log_lo[k]) / log(pb->hi[k] / pb->log_lo[k]);
	return (v - pb->lo[k]) / (pb->hi[k] - pb->lo[k]);
}

static double from_coord(const problem *pb, int k, double f)
{
	if (pb->log_lo[k] > 0)
		return pb->log_lo[k] * pow(pb->hi[k] / pb->log_lo[k], f);
	return pb->lo[k] + (pb->hi[k] - pb->lo[k]) * f;
}

static double distance(const problem *pb, const double *a, const double *b)
{
	double d = 0;
	for (int k = 0; k < pb->n; k++)
		d = fmax(d, fabs(coord(pb, k, a[k]) - coord(pb, k, b[k])));
	return d;
}

static int stopped(problem *pb)
{
	pb->polls++;
	return pb->c->cancelled && pb->c->cancelled(pb->c->ctx);
}

/* Weighted residuals (model - data) / sem at parameter values v[0..n-1] into pb->res. */
static void residuals(problem *pb, const double *v)
{
	for (int i = 0; i < pb->nrows; i++) {
		param_set q = pb->q[i];
		for (int k = 0; k < pb->n; k++)
			q.v[pb->ids[k]] = v[k];
		analytic_point a;
		analytic_at(&q, pb->dt[i], &a);
		pb->res[i] = isfinite(a.change) ? (a.change - pb->y[i]) / pb->sem[i] : BAD_RESIDUAL;
	}
	pb->evaluations++;
}

static double chi2_at(problem *pb, const double *v)
{
	double s = 0;
	residuals(pb, v);
	for (int i = 0; i < pb->nrows; i++)
		s += pb->res[i] * pb->res[i];
	return s;
}

/* The full parameter vector from the solver's variables (the fixed one, if any, in place). */
static void full_values(const problem *pb, const gsl_vector *x, double *v)
{
	for (int k = 0, j = 0; k < pb->n; k++)
		v[k] = k == pb->fixed ? pb->fixed_value : to_value(pb, k, gsl_vector_get(x, (size_t)j++));
}

static int f_transformed(const gsl_vector *x, void *params, gsl_vector *f)
{
	problem *pb = params;
	double v[FIT_MAX];
	full_values(pb, x, v);
	residuals(pb, v);
	/* f may be a column of the Jacobian (GSL's finite differences): mind its stride. */
	for (int i = 0; i < pb->nrows; i++)
		gsl_vector_set(f, (size_t)i, pb->res[i]);
	return GSL_SUCCESS;
}

int fit_fittable(int id)
{
	const param_info *pi = &params_table[id];
	return !pi->integer && !pi->names &&
	       (strcmp(pi->section, "model") == 0 || strcmp(pi->section, "readout") == 0);
}

int fit_parse_names(const char *list, int *ids, char *err, size_t errlen)
{
	char buf[512];
	int n = 0;
	if (strlen(list) >= sizeof buf) {
		snprintf(err, errlen, "--fit: the list is too long");
		return -1;
	}
	snprintf(buf, sizeof buf, "%s", list);
	for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int id = params_find(tok);
		if (id < 0) {
			const char *s = params_suggest(tok);
			snprintf(err, errlen, "--fit: unknown parameter '%s'%s%s%s", tok,
			         s ? "; did you mean '" : "", s ? s : "", s ? "'?" : "");
			return -1;
		}
		if (!fit_fittable(id)) {
			snprintf(err, errlen,
			         "--fit: '%s' cannot be fitted: only the continuous [model] and [readout] "
			         "parameters can (the protocol comes from the data)",
			         tok);
			return -1;
		}
		for (int k = 0; k < n; k++)
			if (ids[k] == id) {
				snprintf(err, errlen, "--fit: '%s' is named twice", tok);
				return -1;
			}
		if (n == FIT_MAX) {
			snprintf(err, errlen, "--fit: at most %d parameters at once", FIT_MAX);
			return -1;
		}
		ids[n++] = id;
	}
	if (n == 0) {
		snprintf(err, errlen, "--fit: expected a list of parameters like gamma_d,gamma_p,theta_p");
		return -1;
	}
	return n;
}

static void problem_free(problem *pb)
{
	free(pb->q);
	free(pb->dt);
	free(pb->y);
	free(pb->sem);
	free(pb->res);
}

static int problem_init(problem *pb, const datafile *data, int ndata, const param_set *start, const int *ids,
                        int n, char *err, size_t errlen)
{
	memset(pb, 0, sizeof *pb);
	pb->fixed = -1;
	int rows = 0;
	for (int d = 0; d < ndata; d++)
		rows += data[d].n;
	if (rows <= n) {
		snprintf(err, errlen, "%d data rows cannot fit %d parameters: it takes at least %d rows",
		         rows, n, n + 1);
		return -1;
	}
	pb->n = n;
	pb->ids = ids;
	pb->q = malloc((size_t)rows * sizeof *pb->q);
	pb->dt = malloc((size_t)rows * sizeof *pb->dt);
	pb->y = malloc((size_t)rows * sizeof *pb->y);
	pb->sem = malloc((size_t)rows * sizeof *pb->sem);
	pb->res = malloc((size_t)rows * sizeof *pb->res);
	if (!pb->q || !pb->dt || !pb->y || !pb->sem || !pb->res) {
		problem_free(pb);
		snprintf(err, errlen, "out of memory for the fit's %d data rows", rows);
		return -1;
	}
	for (int d = 0; d < ndata; d++)
		for (int i = 0; i < data[d].n; i++) {
			const datafile_row *row = &data[d].rows[i];
			/* A fit compares the rows with the analytic curve (exact for the weight model):
			 * random trains have none to compare with. */
			if (params_random_protocol(start) ||
			    datafile_row_point(&data[d], i, start, &pb->q[pb->nrows], &pb->dt[pb->nrows]) <
			        0) {
				problem_free(pb);
				snprintf(err, errlen,
				         "the %s protocol cannot be fitted to data rows: use pairs, "
				         "frequency or burst",
				         params_table[P_PROTOCOL].names[(int)start->v[P_PROTOCOL]]);
				return -1;
			}
			/* A row whose residual could overflow chi^2 would make every set look alike. */
			double worst = (fabs(row->change) + BAD_RESIDUAL) / row->sem;
			if (!isfinite(row->change) || !(row->sem > 0) || !isfinite(worst * worst * rows)) {
				snprintf(err, errlen,
				         "%s:%d: change %g with sem %g gives a chi^2 that is not finite: "
				         "no fit can be made to it",
				         data[d].path ? data[d].path : "data", row->line, row->change,
				         row->sem);
				problem_free(pb);
				return -1;
			}
			pb->y[pb->nrows] = row->change;
			pb->sem[pb->nrows] = row->sem;
			pb->nrows++;
		}
	for (int k = 0; k < n; k++) {
		double lo = params_table[ids[k]].min, hi = params_table[ids[k]].max;
		pb->lo[k] = lo;
		pb->hi[k] = hi;
		/* A range over two decades or more (or from 0) is explored by orders of magnitude. */
		double a = lo > 0 ? lo : hi * 1e-3;
		pb->log_lo[k] = lo >= 0 && hi > 0 && hi / a >= 100 ? a : 0;
	}
	return 0;
}

/* The radical inverse of i in base b: evenly spread, deterministic points in (0, 1). */
static double halton(unsigned i, unsigned b)
{
	double f = 1, r = 0;
	for (; i; i /= b) {
		f /= b;
		r += f * (double)(i % b);
	}
	return r;
}

static const unsigned primes[FIT_MAX] = {2, 3, 5, 7, 11, 13, 17, 19};

typedef struct scored {
	double chi2;
	int i;
} scored;

static int by_chi2(const void *a, const void *b)
{
	double x = ((const scored *)a)->chi2, y = ((const scored *)b)->chi2;
	return x < y ? -1 : x > y; /* NaN never occurs: residuals are finite */
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* The calcium levels where the analytic curve has a kink in a threshold, at parameter values v: for
 * every row, each transient's peak in the periodic steady state and the level just before the next
 * transient. Sorted, without repeats, into out (cap entries); returns the count. */
static int calcium_levels(problem *pb, const double *v, double *out, int cap)
{
	int m = 0;
	for (int i = 0; i < pb->nrows; i++) {
		param_set q = pb->q[i];
		for (int k = 0; k < pb->n; k++)
			q.v[pb->ids[k]] = v[k];
		protocol pr;
		if (protocol_at(&q, pb->dt[i], &pr) < 0)
			continue;
		double tau = q.v[P_TAU_CA_MS] * 1e-3, T = pr.period_s, t[PROTOCOL_MAX_TRANSIENTS];
		for (int j = 0; j < pr.n; j++) {
			t[j] = fmod(pr.t[j], T);
			if (t[j] < 0)
				t[j] += T;
		}
		double periodic = -1.0 / expm1(-T / tau);
		for (int j = 0; j < pr.n && m + 2 <= cap; j++) {
			/* Calcium just after transient j: every transient at or before it, this period and
			 * every earlier one; then its decay until the next transient. */
			double c = 0, next = T;
			for (int l = 0; l < pr.n; l++) {
				double lag = t[j] - t[l];
				if (lag < 0)
					lag += T;
				c += pr.amp[l] * exp(-lag / tau);
				if (lag > 0 && T - lag < next)
					next = T - lag;
			}
			c *= periodic;
			out[m++] = c;
			out[m++] = c * exp(-next / tau);
		}
	}
	qsort(out, (size_t)m, sizeof *out, by_value);
	int u = 0;
	for (int j = 0; j < m; j++)
		if (isfinite(out[j]) && out[j] > 0 && (u == 0 || out[j] > out[u - 1] * (1 + 1e-4)))
			out[u++] = out[j];
	return u;
}

/* One trust-region descent from the values v0 (the fixed parameter, if any, stays at its value); the
 * values at its end in v and their chi^2 in *chi2. 1 when stopped, -1 when the solver failed. */
static int descend(problem *pb, gsl_multifit_nlinear_workspace *w, gsl_multifit_nlinear_fdf *fdf,
                   const double *v0, int max_iter, double *v, double *chi2)
{
	double u0[FIT_MAX];
	int m = 0;
	for (int k = 0; k < pb->n; k++)
		if (k != pb->fixed)
			u0[m++] = to_u(pb, k, v0[k]);
	gsl_vector_view x0 = gsl_vector_view_array(u0, (size_t)m);
	if (gsl_multifit_nlinear_init(&x0.vector, fdf, w) != GSL_SUCCESS)
		return -1;
	for (int it = 0; it < max_iter; it++) {
		if (stopped(pb))
			return 1;
		int info, st = gsl_multifit_nlinear_iterate(w);
		if (st != GSL_SUCCESS)
			break; /* no step reduces chi^2 any more */
		if (gsl_multifit_nlinear_test(1e-8, 1e-8, 0, &info, w) == GSL_SUCCESS)
			break;
	}
	full_values(pb, gsl_multifit_nlinear_position(w), v);
	*chi2 = chi2_at(pb, v);
	/* The solver only takes steps that lower chi^2; this guards against a start it could not move. */
	return 0;
}

/* Covariance in the parameters' units from a central-difference Jacobian at v. 0, or -1 when out of
 * memory or when no parameter moves the curve at all. */
static int covariance(problem *pb, const double *v, double cov[FIT_MAX][FIT_MAX])
{
	int m = pb->nrows, n = pb->n, rc = -1;
	gsl_matrix *J = gsl_matrix_alloc((size_t)m, (size_t)n), *C = gsl_matrix_alloc((size_t)n, (size_t)n);
	double *rp = malloc((size_t)m * sizeof *rp);
	if (!J || !C || !rp)
		goto out;
	for (int k = 0; k < n; k++) {
		double range = pb->hi[k] - pb->lo[k], h = 1e-6 * range, vp[FIT_MAX], vm[FIT_MAX];
		memcpy(vp, v, sizeof vp);
		memcpy(vm, v, sizeof vm);
		/* One-sided at the edges: the curve is not defined outside the range. */
		vp[k] = fmin(v[k] + h, pb->hi[k]);
		vm[k] = fmax(v[k] - h, pb->lo[k]);
		residuals(pb, vp);
		memcpy(rp, pb->res, (size_t)m * sizeof *rp);
		residuals(pb, vm);
		for (int i = 0; i < m; i++)
			gsl_matrix_set(J, (size_t)i, (size_t)k,
			               (rp[i] - pb->res[i]) / (vp[k] - vm[k]) * range);
	}
	/* (J^T J)^-1, with a relative ridge of 1e-12 on the diagonal: where the data fix only a
	 * combination of parameters the inverse stays finite and their correlation comes out near +-1
	 * instead of undefined. */
	gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, J, J, 0.0, C);
	for (int k = 0; k < n; k++) {
		double d = gsl_matrix_get(C, (size_t)k, (size_t)k);
		gsl_matrix_set(C, (size_t)k, (size_t)k, d > 0 ? d * (1 + 1e-12) : 1e-300);
	}
	if (gsl_linalg_cholesky_decomp1(C) != GSL_SUCCESS || gsl_linalg_cholesky_invert(C) != GSL_SUCCESS)
		goto out;
	for (int a = 0; a < n; a++)
		for (int b = 0; b < n; b++)
			cov[a][b] = gsl_matrix_get(C, (size_t)a, (size_t)b) * (pb->hi[a] - pb->lo[a]) *
			            (pb->hi[b] - pb->lo[b]);
	rc = 0;
out:
	gsl_matrix_free(J);
	gsl_matrix_free(C);
	free(rp);
	return rc;
}

/* The solver for all n parameters, and one for n - 1 (profiles). */
typedef struct solvers {
	gsl_multifit_nlinear_workspace *all, *prof;
	gsl_multifit_nlinear_fdf fdf_all, fdf_prof;
	int max_iter;
} solvers;

/* chi^2 with parameter k at t, the others re-minimised from v (their values at the minimum in v
 * afterwards). 0, 1 stopped, -1 solver failure. */
static int profile_at(problem *pb, solvers *s, int k, double t, double *v, double *chi2)
{
	v[k] = t;
	if (pb->n == 1) {
		*chi2 = chi2_at(pb, v);
		return stopped(pb);
	}
	pb->fixed = k;
	pb->fixed_value = t;
	double out[FIT_MAX];
	int rc = descend(pb, s->prof, &s->fdf_prof, v, s->max_iter, out, chi2);
	pb->fixed = -1;
	if (rc == 0)
		memcpy(v, out, sizeof out);
	return rc;
}

/* One side (dir -1 or +1) of parameter k's profile interval around the minimum best (chi^2 at
 * best_chi2): the value where the profile crosses best_chi2 + 3.84 into *edge, or the range limit with
 * *limit = 1. A set better than the minimum met on the way goes to better (its chi^2 in *better_chi2).
 * 0, 1 stopped, -1 solver failure. */
static int profile_side(problem *pb, solvers *s, const double *best, double best_chi2, int k, int dir,
                        double *edge, int *limit, double *better, double *better_chi2)
{
	double target = best_chi2 + CHI2_95, v_in[FIT_MAX], t_in = best[k], c_in = best_chi2,
	       x = coord(pb, k, best[k]);
	double step = 0.005;
	memcpy(v_in, best, sizeof v_in);
	*limit = 0;
	for (int it = 0; it < 80; it++) {
		x += dir * step;
		step *= 1.5;
		int last = dir < 0 ? x <= 0 : x >= 1;
		double t = last ? (dir < 0 ? pb->lo[k] : pb->hi[k]) : from_coord(pb, k, x);
		if (dir < 0 ? t >= t_in : t <= t_in)
			continue; /* below the log floor of a range from 0: nothing new yet */
		double v[FIT_MAX], c;
		memcpy(v, v_in, sizeof v);
		int rc = profile_at(pb, s, k, t, v, &c);
		if (rc)
			return rc;
		if (c < *better_chi2) {
			*better_chi2 = c;
			memcpy(better, v, sizeof v);
		}
		if (c >= target) {
			/* Bisect between the last value inside and this one, then interpolate. */
			double t_out = t, c_out = c;
			for (int b = 0; b < 12; b++) {
				double tm = 0.5 * (t_in + t_out), vm[FIT_MAX], cm;
				memcpy(vm, v_in, sizeof vm);
				if ((rc = profile_at(pb, s, k, tm, vm, &cm)) != 0)
					return rc;
				if (cm < *better_chi2) {
					*better_chi2 = cm;
					memcpy(better, vm, sizeof vm);
				}
				if (cm >= target)
					t_out = tm, c_out = cm;
				else {
					t_in = tm, c_in = cm;
					memcpy(v_in, vm, sizeof v_in);
				}
			}
			*edge = t_in + (t_out - t_in) * (target - c_in) / (c_out - c_in);
			return 0;
		}
		t_in = t;
		c_in = c;
		memcpy(v_in, v, sizeof v_in);
		if (last)
			break;
	}
	*edge = t_in;
	*limit = 1;
	return 0;
}

static void progress(const problem *pb, double f)
{
	if (pb->c->progress)
		pb->c->progress(pb->c->ctx, f);
}

/* Everything fit_run allocates, freed in one place. */
typedef struct work {
	double *design, *ends, *endc, *levels;
	scored *order;
	solvers s;
} work;

static void work_free(work *w)
{
	free(w->design);
	free(w->ends);
	free(w->endc);
	free(w->levels);
	free(w->order);
	gsl_multifit_nlinear_free(w->s.all);
	if (w->s.prof)
		gsl_multifit_nlinear_free(w->s.prof);
}

static int is_threshold(int id)
{
	return id == P_THETA_D || id == P_THETA_P;
}

/* The profile intervals of every parameter at the minimum best; a better set met on the way in
 * better / *better_chi2. 0, 1 stopped, -1 solver failure. */
static int profiles(problem *pb, solvers *s, const double *best, double best_chi2, fit_result *r,
                    double *better, double *better_chi2)
{
	for (int k = 0; k < pb->n; k++) {
		fit_estimate *e = &r->est[k];
		int lim_lo, lim_hi, rc;
		if ((rc =
		         profile_side(pb, s, best, best_chi2, k, -1, &e->lo, &lim_lo, better, better_chi2)) ||
		    (rc = profile_side(pb, s, best, best_chi2, k, +1, &e->hi, &lim_hi, better, better_chi2)))
			return rc;
		e->limit = (lim_lo ? FIT_LIMIT_LO : 0) | (lim_hi ? FIT_LIMIT_HI : 0);
		e->flat = lim_lo && lim_hi;
		progress(pb, 0.6 + 0.4 * (k + 1.0) / pb->n);
	}
	return 0;
}

int fit_run(const datafile *data, int ndata, const param_set *start, const int *ids, int n,
            const fit_control *c, fit_result *r, char *err, size_t errlen)
{
	static const fit_control none;
	if (!c)
		c = &none;
	if (n < 1 || n > FIT_MAX) {
		snprintf(err, errlen, "a fit takes 1 to %d parameters", FIT_MAX);
		return -1;
	}
	problem pb;
	if (problem_init(&pb, data, ndata, start, ids, n, err, errlen) < 0)
		return -1;
	pb.c = c;
	if (errlen)
		err[0] = 0;
	gsl_off_once();
	int ndesign = c->design > 0 ? c->design : (n >= 5 ? 4096 : 256 << (n - 1));
	int nkinks = 0, cap_levels = pb.nrows * 2 * PROTOCOL_MAX_TRANSIENTS;
	for (int k = 0; k < n; k++)
		nkinks += is_threshold(ids[k]) ? 2 * cap_levels : 0;
	int max_starts = 1 + (4 + 4 * n) + nkinks;
	work w = {0};
	w.design = malloc((size_t)ndesign * (size_t)n * sizeof *w.design);
	w.order = malloc((size_t)ndesign * sizeof *w.order);
	w.ends = malloc((size_t)max_starts * (size_t)n * sizeof *w.ends);
	w.endc = malloc((size_t)max_starts * sizeof *w.endc);
	w.levels = malloc((size_t)cap_levels * sizeof *w.levels);
	gsl_multifit_nlinear_parameters fp = gsl_multifit_nlinear_default_parameters();
	w.s.all = gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &fp, (size_t)pb.nrows, (size_t)n);
	if (n > 1)
		w.s.prof = gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &fp, (size_t)pb.nrows,
		                                      (size_t)n - 1);
	if (!w.design || !w.order || !w.ends || !w.endc || !w.levels || !w.s.all || (n > 1 && !w.s.prof)) {
		work_free(&w);
		problem_free(&pb);
		snprintf(err, errlen, "out of memory for the fit's design and solver");
		return -1;
	}
	w.s.fdf_all = (gsl_multifit_nlinear_fdf){
	    .f = f_transformed, .n = (size_t)pb.nrows, .p = (size_t)n, .params = &pb};
	w.s.fdf_prof = (gsl_multifit_nlinear_fdf){
	    .f = f_transformed, .n = (size_t)pb.nrows, .p = (size_t)(n - 1), .params = &pb};
	w.s.max_iter = c->max_iter > 0 ? c->max_iter : 200;
	int rc = 0, nstarts = 0;
	double v0[FIT_MAX];
	for (int k = 0; k < n; k++)
		v0[k] = start->v[ids[k]];
	double chi2_start = chi2_at(&pb, v0);

	/* 1. The design, scored. */
	for (int i = 0; i < ndesign; i++) {
		if (i % 64 == 0 && stopped(&pb)) {
			rc = 1;
			goto done;
		}
		double *v = w.design + (size_t)i * (size_t)n;
		for (int k = 0; k < n; k++)
			v[k] = from_coord(&pb, k, halton((unsigned)i + 1, primes[k]));
		w.order[i] = (scored){chi2_at(&pb, v), i};
	}
	qsort(w.order, (size_t)ndesign, sizeof *w.order, by_chi2);
	progress(&pb, 0.1);

	/* 2. Where to start: the given set, the best design point of each distinct basin, both sides of
	 * every calcium level in a threshold's range. */
	double *starts = w.ends; /* each start is replaced by its end */
	memcpy(starts, v0, (size_t)n * sizeof *starts);
	nstarts = 1;
	int basins = 0;
	for (int j = 0; j < ndesign && basins < 4 + 4 * n; j++) {
		const double *v = w.design + (size_t)w.order[j].i * (size_t)n;
		int near = 0;
		for (int b = 1; b < nstarts && !near; b++)
			near = distance(&pb, v, starts + (size_t)b * (size_t)n) < SAME_BASIN;
		if (!near) {
			memcpy(starts + (size_t)nstarts * (size_t)n, v, (size_t)n * sizeof *v);
			nstarts++;
			basins++;
		}
	}
	const double *top = starts + (size_t)n; /* the best design point */
	int nlev = calcium_levels(&pb, top, w.levels, cap_levels);
	for (int k = 0; k < n; k++) {
		if (!is_threshold(ids[k]))
			continue;
		for (int l = 0; l < nlev; l++)
			for (int side = -1; side <= 1; side += 2) {
				double t = w.levels[l] * (1 + side * 2e-3);
				if (t <= pb.lo[k] || t >= pb.hi[k] || nstarts >= max_starts)
					continue;
				double *v = starts + (size_t)nstarts * (size_t)n;
				memcpy(v, top, (size_t)n * sizeof *v);
				v[k] = t;
				nstarts++;
			}
	}

	/* 3. A descent from each. */
	int best = 0;
	for (int j = 0; j < nstarts; j++) {
		double *v = w.ends + (size_t)j * (size_t)n, end[FIT_MAX];
		rc = descend(&pb, w.s.all, &w.s.fdf_all, v, w.s.max_iter, end, &w.endc[j]);
		if (rc)
			goto done;
		memcpy(v, end, (size_t)n * sizeof *v);
		if (w.endc[j] < w.endc[best])
			best = j;
		if (j % 8 == 7)
			progress(&pb, 0.1 + 0.5 * (j + 1.0) / nstarts);
	}
	double vbest[FIT_MAX], chi2 = w.endc[best];
	memcpy(vbest, w.ends + (size_t)best * (size_t)n, (size_t)n * sizeof *vbest);
	/* Never worse than the given set, nor than the best design point. */
	if (chi2_start < chi2) {
		memcpy(vbest, v0, sizeof vbest);
		chi2 = chi2_start;
	}
	if (w.order[0].chi2 < chi2) {
		memcpy(vbest, top, (size_t)n * sizeof *vbest);
		chi2 = w.order[0].chi2;
	}

	/* 4. Profiles; should one pass a better set, descend from there and take them again. */
	memset(r, 0, sizeof *r);
	for (int round = 0; round < 3; round++) {
		double better[FIT_MAX], better_chi2 = chi2 - 1e-9 * fmax(1, chi2);
		memcpy(better, vbest, sizeof better);
		rc = profiles(&pb, &w.s, vbest, chi2, r, better, &better_chi2);
		if (rc)
			goto done;
		if (!(better_chi2 < chi2 - 1e-9 * fmax(1, chi2)))
			break;
		double end[FIT_MAX], c_end;
		if ((rc = descend(&pb, w.s.all, &w.s.fdf_all, better, w.s.max_iter, end, &c_end)) != 0)
			goto done;
		memcpy(vbest, c_end < better_chi2 ? end : better, sizeof vbest);
		chi2 = fmin(c_end, better_chi2);
	}
	if (!isfinite(chi2)) {
		snprintf(err, errlen, "chi^2 is not finite at the best set found: the fit is refused");
		rc = -1;
		goto done;
	}

	/* 5. The distinct minima, best first. */
	int minima = 0;
	double next_chi2 = INFINITY;
	for (int j = 0; j < nstarts; j++)
		w.order[j] = (scored){w.endc[j], j};
	qsort(w.order, (size_t)nstarts, sizeof *w.order, by_chi2);
	int kept[64], nkept = 0;
	for (int j = 0; j < nstarts; j++) {
		const double *v = w.ends + (size_t)w.order[j].i * (size_t)n;
		int same = distance(&pb, v, vbest) < SAME_MINIMUM;
		for (int m = 0; m < nkept && !same; m++)
			same = distance(&pb, v, w.ends + (size_t)kept[m] * (size_t)n) < SAME_MINIMUM;
		if (same)
			continue;
		minima++;
		if (nkept < 64)
			kept[nkept++] = w.order[j].i;
		if (w.order[j].chi2 < next_chi2) {
			next_chi2 = w.order[j].chi2;
			memcpy(r->next, v, (size_t)n * sizeof *v);
		}
	}

	double cov[FIT_MAX][FIT_MAX];
	if (covariance(&pb, vbest, cov) < 0) {
		snprintf(err, errlen,
		         "the covariance of the estimates could not be computed (out of memory)");
		rc = -1;
		goto done;
	}
	r->set = *start;
	r->n = n;
	for (int k = 0; k < n; k++) {
		fit_estimate *e = &r->est[k];
		double range = pb.hi[k] - pb.lo[k];
		e->id = ids[k];
		e->start = v0[k];
		e->value = vbest[k];
		r->set.v[ids[k]] = vbest[k];
		e->se = cov[k][k] > 0 ? sqrt(cov[k][k]) : 0;
		e->at_bound = vbest[k] - pb.lo[k] < 1e-6 * range || pb.hi[k] - vbest[k] < 1e-6 * range;
		double dlo = e->value - e->lo, dhi = e->hi - e->value, z = Z95 * e->se;
		e->cov_agrees =
		    e->se > 0 && !e->limit && fabs(z - dlo) <= 0.1 * dlo && fabs(z - dhi) <= 0.1 * dhi;
	}
	for (int a = 0; a < n; a++) {
		double strongest = CORR_STRONG;
		r->est[a].corr_with = -1;
		for (int b = 0; b < n; b++) {
			double sa = r->est[a].se, sb = r->est[b].se;
			r->corr[a][b] = sa > 0 && sb > 0 ? cov[a][b] / (sa * sb) : NAN;
			if (a != b && fabs(r->corr[a][b]) > strongest) {
				strongest = fabs(r->corr[a][b]);
				r->est[a].corr_with = b;
			}
		}
	}
	r->rows = pb.nrows;
	r->dof = pb.nrows - n;
	r->chi2_start = chi2_start;
	r->chi2 = chi2;
	r->p_value = gsl_cdf_chisq_Q(chi2, r->dof);
	r->minima = minima + 1;
	r->chi2_next = next_chi2;
	r->starts = nstarts;
	r->evaluations = pb.evaluations;
	progress(&pb, 1);
done:
	if (rc < 0 && errlen && !err[0])
		snprintf(err, errlen, "GSL's trust-region solver failed to start a descent");
	work_free(&w);
	problem_free(&pb);
	return rc;
}

/* printf at buf + *at, never past len; *at counts what would have been written. */
static void append(char *buf, size_t len, size_t *at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void append(char *buf, size_t len, size_t *at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(buf + *at, *at < len ? len - *at : 0, fmt, ap);
	va_end(ap);
	if (k > 0)
		*at += (size_t)k;
}

void fit_format(const fit_result *r, char *buf, size_t len)
{
	size_t at = 0;
	if (len)
		buf[0] = 0;
	append(buf, len, &at,
	       "fit of %d parameter%s to %d data rows (%d local searches, %d analytic curves)\n", r->n,
	       r->n == 1 ? "" : "s", r->rows, r->starts, r->evaluations);
	append(buf, len, &at, "chi^2 %.4g before, %.4g after; %d degrees of freedom; p = %.3g\n",
	       r->chi2_start, r->chi2, r->dof, r->p_value);
	append(buf, len, &at, "%d distinct minim%s found", r->minima, r->minima == 1 ? "um" : "a");
	if (r->chi2_next - r->chi2 <= FIT_RUNNER_UP) {
		append(buf, len, &at, "; the next best has chi^2 %.4g at", r->chi2_next);
		for (int k = 0; k < r->n; k++)
			append(buf, len, &at, "%s %s %.6g", k ? "," : "", params_table[r->est[k].id].name,
			       r->next[k]);
	}
	append(buf, len, &at,
	       "\n95%% intervals from the profile of chi^2 (+- 1.96 se where the covariance agrees)\n");
	for (int k = 0; k < r->n; k++) {
		const fit_estimate *e = &r->est[k];
		char v[32], lo[32], hi[32], st[32], se[48] = "";
		snprintf(v, sizeof v, "%.6g", e->value);
		snprintf(lo, sizeof lo, "%.4g", e->lo);
		snprintf(hi, sizeof hi, "%.4g", e->hi);
		snprintf(st, sizeof st, "%.6g", e->start);
		if (e->cov_agrees)
			snprintf(se, sizeof se, " +- %.3g", Z95 * e->se);
		append(buf, len, &at, "  %-12s %-10s 95%% [%s, %s]%s  (was %s)", params_table[e->id].name, v,
		       lo, hi, se, st);
		if (e->flat)
			append(buf, len, &at,
			       "  flat: chi^2 stays within 3.84 of the minimum over the whole range");
		else if (e->limit)
			append(buf, len, &at, "  reaches the range limit %s",
			       e->limit == FIT_LIMIT_LO ? "below" : "above");
		if (e->corr_with >= 0)
			append(buf, len, &at, "  strongly correlated with %s (r = %.4f)",
			       params_table[r->est[e->corr_with].id].name, r->corr[k][e->corr_with]);
		append(buf, len, &at, "%s\n", e->at_bound ? "  at the edge of its range" : "");
	}
}

int fit_check_simulation(const datafile *data, int ndata, const param_set *p, int threads, sim_method method,
                         double *sim, double *chi2, char *err, size_t errlen)
{
	return curve_at_rows(data, ndata, p, threads, method, sim, chi2, err, errlen);
}
