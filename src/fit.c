/* Weighted least squares on GSL's trust-region solver. The solver works on unbounded variables u;
 * each fitted parameter is lo + (hi - lo) / (1 + exp(-u)), so that every step stays inside the
 * parameter's range. The covariance is taken afterwards from a Jacobian in the parameters' own units
 * (the transformed one flattens near the edges and would understate the uncertainty there). */
#include "fit.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analytic.h"
#include "curve.h"

/* 95%: the normal quantile (the SEMs are taken as known, so no Student t). */
#define Z95 1.959963984540054
/* |correlation| above this: the data constrain only a combination of the two parameters. */
#define CORR_LOOSE 0.99
/* A residual for a set where the analytic curve is undefined: pushes the solver away. */
#define BAD_RESIDUAL 1e3
/* A singular value of the range-scaled Jacobian this much smaller than the largest: the data do not
 * constrain that combination of parameters (finite differences resolve about 1e-6 of the range). */
#define SV_LOOSE 1e-4

typedef struct problem {
	int nrows, n;
	param_set *q; /* one set per row (protocol and row values in place) */
	double *dt, *y, *sem;
	const int *ids;
	double lo[FIT_MAX], hi[FIT_MAX];
	int evaluations;
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

/* Weighted residuals (model - data) / sem at parameter values v[0..n-1]. */
static void residuals(problem *pb, const double *v, double *res)
{
	for (int i = 0; i < pb->nrows; i++) {
		param_set q = pb->q[i];
		for (int k = 0; k < pb->n; k++)
			q.v[pb->ids[k]] = v[k];
		analytic_point a;
		analytic_at(&q, pb->dt[i], &a);
		res[i] = isfinite(a.change) ? (a.change - pb->y[i]) / pb->sem[i] : BAD_RESIDUAL;
	}
	pb->evaluations++;
}

static double chi2_at(problem *pb, const double *v)
{
	double *res = malloc((size_t)pb->nrows * sizeof *res), s = 0;
	if (!res)
		return NAN;
	residuals(pb, v, res);
	for (int i = 0; i < pb->nrows; i++)
		s += res[i] * res[i];
	free(res);
	return s;
}

static int f_transformed(const gsl_vector *x, void *params, gsl_vector *f)
{
	problem *pb = params;
	double v[FIT_MAX];
	for (int k = 0; k < pb->n; k++)
		v[k] = to_value(pb, k, gsl_vector_get(x, (size_t)k));
	/* f may be a column of the Jacobian (GSL's finite differences): mind its stride. */
	double *res = malloc((size_t)pb->nrows * sizeof *res);
	if (!res)
		return GSL_ENOMEM;
	residuals(pb, v, res);
	for (int i = 0; i < pb->nrows; i++)
		gsl_vector_set(f, (size_t)i, res[i]);
	free(res);
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
}

static int problem_init(problem *pb, const datafile *data, int ndata, const param_set *start, const int *ids,
                        int n, char *err, size_t errlen)
{
	memset(pb, 0, sizeof *pb);
	int rows = 0;
	for (int d = 0; d < ndata; d++)
		rows += data[d].n;
	pb->n = n;
	pb->ids = ids;
	pb->q = malloc((size_t)rows * sizeof *pb->q);
	pb->dt = malloc((size_t)rows * sizeof *pb->dt);
	pb->y = malloc((size_t)rows * sizeof *pb->y);
	pb->sem = malloc((size_t)rows * sizeof *pb->sem);
	if (!pb->q || !pb->dt || !pb->y || !pb->sem) {
		problem_free(pb);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (int d = 0; d < ndata; d++)
		for (int i = 0; i < data[d].n; i++) {
			if (datafile_row_point(&data[d], i, start, &pb->q[pb->nrows], &pb->dt[pb->nrows]) <
			    0) {
				problem_free(pb);
				snprintf(err, errlen,
				         "the %s protocol cannot be fitted to data rows: use pairs, "
				         "frequency or burst",
				         params_table[P_PROTOCOL].names[(int)start->v[P_PROTOCOL]]);
				return -1;
			}
			pb->y[pb->nrows] = data[d].rows[i].change;
			pb->sem[pb->nrows] = data[d].rows[i].sem;
			pb->nrows++;
		}
	if (rows <= n) {
		problem_free(pb);
		snprintf(err, errlen, "%d data rows cannot fit %d parameters: it takes at least %d rows",
		         rows, n, n + 1);
		return -1;
	}
	for (int k = 0; k < n; k++) {
		pb->lo[k] = params_table[ids[k]].min;
		pb->hi[k] = params_table[ids[k]].max;
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

/* Start s >= 1 (start 0 is the given set): a Halton point over the ranges, every other one spread
 * evenly on a log scale over the top three decades of the range, because the rates and time
 * constants matter by their order of magnitude and a linear spread would hardly try small values. */
static double spread(const problem *pb, int k, unsigned s)
{
	double f = halton(s, primes[k]), lo = pb->lo[k], hi = pb->hi[k];
	if (s % 2 == 0 && lo >= 0 && hi > 0) {
		double a = fmax(lo, hi * 1e-3);
		if (a > 0 && hi / a > 10)
			return a * pow(hi / a, f);
	}
	return lo + (hi - lo) * f;
}

static int stopped(const fit_control *c)
{
	return c->cancelled && c->cancelled(c->ctx);
}

/* One trust-region descent from u0; the values at its end in v. 1 when stopped. */
static int descend(problem *pb, gsl_multifit_nlinear_workspace *w, gsl_multifit_nlinear_fdf *fdf,
                   const double *u0, int max_iter, const fit_control *c, double *v)
{
	gsl_vector_view x0 = gsl_vector_view_array((double *)u0, (size_t)pb->n);
	gsl_multifit_nlinear_init(&x0.vector, fdf, w);
	for (int it = 0; it < max_iter; it++) {
		if (stopped(c))
			return 1;
		int info, st = gsl_multifit_nlinear_iterate(w);
		if (st != GSL_SUCCESS)
			break; /* no step reduces chi^2 any more */
		if (gsl_multifit_nlinear_test(1e-8, 1e-8, 0, &info, w) == GSL_SUCCESS)
			break;
	}
	const gsl_vector *x = gsl_multifit_nlinear_position(w);
	for (int k = 0; k < pb->n; k++)
		v[k] = to_value(pb, k, gsl_vector_get(x, (size_t)k));
	return 0;
}

/* Covariance in the parameters' units from a central-difference Jacobian at v; columns scaled by the
 * ranges first so that GSL's rank test compares like with like. dependent[k] = 1 for parameters in a
 * combination the data do not constrain. 0, or -1 when out of memory. */
static int covariance(problem *pb, const double *v, double cov[FIT_MAX][FIT_MAX], int *dependent)
{
	int m = pb->nrows, n = pb->n, rc = -1;
	gsl_matrix *J = gsl_matrix_alloc((size_t)m, (size_t)n), *C = gsl_matrix_alloc((size_t)n, (size_t)n);
	double *rp = malloc((size_t)m * sizeof *rp), *rm = malloc((size_t)m * sizeof *rm);
	if (!J || !C || !rp || !rm)
		goto out;
	for (int k = 0; k < n; k++) {
		double range = pb->hi[k] - pb->lo[k], h = 1e-6 * range, vp[FIT_MAX], vm[FIT_MAX];
		memcpy(vp, v, sizeof vp);
		memcpy(vm, v, sizeof vm);
		/* One-sided at the edges: the curve is not defined outside the range. */
		vp[k] = fmin(v[k] + h, pb->hi[k]);
		vm[k] = fmax(v[k] - h, pb->lo[k]);
		residuals(pb, vp, rp);
		residuals(pb, vm, rm);
		for (int i = 0; i < m; i++)
			gsl_matrix_set(J, (size_t)i, (size_t)k, (rp[i] - rm[i]) / (vp[k] - vm[k]) * range);
	}
	/* A direction along which the residuals barely change (a tiny singular value of J, with every
	 * parameter measured relative to its value) is one the data cannot see: every parameter taking
	 * part in it is loose. */
	if (n > 1) {
		gsl_matrix *U = gsl_matrix_alloc((size_t)m, (size_t)n),
		           *V = gsl_matrix_alloc((size_t)n, (size_t)n);
		gsl_vector *S = gsl_vector_alloc((size_t)n), *work = gsl_vector_alloc((size_t)n);
		if (U && V && S && work) {
			gsl_matrix_memcpy(U, J);
			for (int k = 0; k < n; k++) {
				double range = pb->hi[k] - pb->lo[k];
				gsl_vector_view col = gsl_matrix_column(U, (size_t)k);
				gsl_vector_scale(&col.vector, fmax(fabs(v[k]), 1e-3 * range) / range);
			}
			gsl_linalg_SV_decomp(U, V, S, work);
			for (int j = 1; j < n; j++)
				if (!(gsl_vector_get(S, (size_t)j) > SV_LOOSE * gsl_vector_get(S, 0)))
					for (int k = 0; k < n; k++)
						if (fabs(gsl_matrix_get(V, (size_t)k, (size_t)j)) > 0.2)
							dependent[k] = 1;
		}
		gsl_matrix_free(U);
		gsl_matrix_free(V);
		gsl_vector_free(S);
		gsl_vector_free(work);
	}
	gsl_multifit_nlinear_covar(J, 1e-9, C);
	for (int a = 0; a < n; a++)
		for (int b = 0; b < n; b++)
			cov[a][b] = gsl_matrix_get(C, (size_t)a, (size_t)b) * (pb->hi[a] - pb->lo[a]) *
			            (pb->hi[b] - pb->lo[b]);
	rc = 0;
out:
	gsl_matrix_free(J);
	gsl_matrix_free(C);
	free(rp);
	free(rm);
	return rc;
}

static void fill_estimates(problem *pb, const double *v, double cov[FIT_MAX][FIT_MAX], const int *dependent,
                           fit_result *r)
{
	int n = pb->n;
	for (int k = 0; k < n; k++) {
		fit_estimate *e = &r->est[k];
		double range = pb->hi[k] - pb->lo[k];
		e->value = v[k];
		e->se = cov[k][k] > 0 ? sqrt(cov[k][k]) : 0;
		e->lo = fmax(pb->lo[k], v[k] - Z95 * e->se);
		e->hi = fmin(pb->hi[k], v[k] + Z95 * e->se);
		e->at_bound = v[k] - pb->lo[k] < 1e-6 * range || pb->hi[k] - v[k] < 1e-6 * range;
		e->loose = e->se == 0 || 2 * Z95 * e->se >= range || dependent[k];
		/* Nothing, or only a combination with another parameter, is known: the whole range. */
		if (e->se == 0 || dependent[k])
			e->lo = pb->lo[k], e->hi = pb->hi[k];
	}
	for (int a = 0; a < n; a++)
		for (int b = 0; b < n; b++) {
			double sa = r->est[a].se, sb = r->est[b].se;
			r->corr[a][b] = sa > 0 && sb > 0 ? cov[a][b] / (sa * sb) : NAN;
			if (a != b && fabs(r->corr[a][b]) > CORR_LOOSE)
				r->est[a].loose = 1;
		}
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
	gsl_off_once();
	gsl_multifit_nlinear_parameters fp = gsl_multifit_nlinear_default_parameters();
	gsl_multifit_nlinear_workspace *w =
	    gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &fp, (size_t)pb.nrows, (size_t)n);
	if (!w) {
		problem_free(&pb);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	gsl_multifit_nlinear_fdf fdf = {
	    .f = f_transformed, .n = (size_t)pb.nrows, .p = (size_t)n, .params = &pb};
	int starts = c->starts > 0 ? c->starts : 32 * n, max_iter = c->max_iter > 0 ? c->max_iter : 200;
	double v0[FIT_MAX], best[FIT_MAX], best_chi2 = INFINITY;
	for (int k = 0; k < n; k++)
		v0[k] = start->v[ids[k]];
	int rc = 0;
	for (int s = 0; s <= starts && rc == 0; s++) {
		double u0[FIT_MAX], v[FIT_MAX];
		for (int k = 0; k < n; k++)
			u0[k] = to_u(&pb, k, s == 0 ? v0[k] : spread(&pb, k, (unsigned)s));
		rc = descend(&pb, w, &fdf, u0, max_iter, c, v);
		if (rc)
			break;
		double x2 = chi2_at(&pb, v);
		if (x2 < best_chi2) {
			best_chi2 = x2;
			memcpy(best, v, sizeof best);
		}
		if (c->progress)
			c->progress(c->ctx, (s + 1.0) / (starts + 1.0));
	}
	gsl_multifit_nlinear_free(w);
	if (rc) {
		problem_free(&pb);
		return 1;
	}
	double chi2_start = chi2_at(&pb, v0);
	/* Never worse than the given set (every start may stop short of it). */
	if (!(best_chi2 <= chi2_start)) {
		memcpy(best, v0, sizeof best);
		best_chi2 = chi2_start;
	}
	double cov[FIT_MAX][FIT_MAX];
	int dependent[FIT_MAX] = {0};
	if (covariance(&pb, best, cov, dependent) < 0) {
		problem_free(&pb);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	memset(r, 0, sizeof *r);
	r->set = *start;
	r->n = n;
	for (int k = 0; k < n; k++) {
		r->est[k].id = ids[k];
		r->est[k].start = v0[k];
		r->set.v[ids[k]] = best[k];
	}
	fill_estimates(&pb, best, cov, dependent, r);
	r->rows = pb.nrows;
	r->dof = pb.nrows - n;
	r->chi2_start = chi2_start;
	r->chi2 = best_chi2;
	r->p_value = gsl_cdf_chisq_Q(best_chi2, r->dof);
	r->starts = starts + 1;
	r->evaluations = pb.evaluations;
	problem_free(&pb);
	return 0;
}

void fit_format(const fit_result *r, char *buf, size_t len)
{
	size_t at = 0;
#define OUT(...)                                                                                             \
	do {                                                                                                 \
		int k_ = snprintf(buf + at, at < len ? len - at : 0, __VA_ARGS__);                           \
		if (k_ > 0)                                                                                  \
			at += (size_t)k_;                                                                    \
	} while (0)
	if (len)
		buf[0] = 0;
	OUT("fit of %d parameter%s to %d data rows (%d starts, %d analytic curves)\n", r->n,
	    r->n == 1 ? "" : "s", r->rows, r->starts, r->evaluations);
	OUT("chi^2 %.4g before, %.4g after; %d degrees of freedom; p = %.3g\n", r->chi2_start, r->chi2,
	    r->dof, r->p_value);
	for (int k = 0; k < r->n; k++) {
		const fit_estimate *e = &r->est[k];
		char v[32], lo[32], hi[32], st[32];
		snprintf(v, sizeof v, "%.6g", e->value);
		snprintf(lo, sizeof lo, "%.4g", e->lo);
		snprintf(hi, sizeof hi, "%.4g", e->hi);
		snprintf(st, sizeof st, "%.6g", e->start);
		OUT("  %-12s %-10s 95%% [%s, %s]  (was %s)%s%s\n", params_table[e->id].name, v, lo, hi, st,
		    e->loose ? "  not pinned down by the data" : "",
		    e->at_bound ? "  at the edge of its range" : "");
	}
	for (int a = 0; a < r->n; a++)
		for (int b = a + 1; b < r->n; b++)
			if (fabs(r->corr[a][b]) > CORR_LOOSE)
				OUT("  %s and %s are correlated %.3f: the data fix only a combination\n",
				    params_table[r->est[a].id].name, params_table[r->est[b].id].name,
				    r->corr[a][b]);
#undef OUT
}

int fit_check_simulation(const datafile *data, int ndata, const param_set *p, int threads, sim_method method,
                         double *sim, double *chi2, char *err, size_t errlen)
{
	return curve_at_rows(data, ndata, p, threads, method, sim, chi2, err, errlen);
}
