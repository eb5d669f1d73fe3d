/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fitting parameters to measured data: weighted least squares (weights 1/sem^2) of the analytic curve
 * at every data row. The global minimum over the parameters' ranges: a space-filling design evaluated
 * with the analytic curve, then GSL's trust-region solver (gsl_multifit_nlinear) from the best
 * distinct basins and from both sides of every kink that the protocol's calcium levels put in a
 * threshold's range. 95% intervals from the profile likelihood (chi^2 within 3.84 of the minimum,
 * the other parameters re-minimised). */
#ifndef CSTDP_FIT_H
#define CSTDP_FIT_H

#include <stddef.h>

#include "datafile.h"
#include "params.h"
#include "sim.h"

/* At most this many parameters at once. */
#define FIT_MAX 8

/* 1 when parameter id can be fitted: a continuous [model] or [readout] parameter. */
int fit_fittable(int id);

/* Parse "gamma_d,gamma_p,theta_p" into ids (at most FIT_MAX, no repeats, each a continuous [model] or
 * [readout] parameter). Returns the count, or -1 with a message naming the problem in err. */
int fit_parse_names(const char *list, int *ids, char *err, size_t errlen);

/* How a fit runs. Every field may be zero: then the defaults apply. */
typedef struct fit_control {
	int design;   /* points of the space-filling design (0: 256 << (n - 1), at most 4096) */
	int max_iter; /* trust-region iterations per start (0: 200) */
	/* Polled often (a few hundred microseconds apart): nonzero stops the fit. */
	int (*cancelled)(void *ctx);
	/* Called now and then with the fraction of the work done (non-decreasing, 1 at the end). */
	void (*progress)(void *ctx, double fraction);
	void *ctx; /* for both */
} fit_control;

/* Where an interval ends: inside the range, or at its limit (the data do not bound it there). */
#define FIT_LIMIT_LO 1
#define FIT_LIMIT_HI 2

typedef struct fit_estimate {
	int id;         /* parameter */
	double start;   /* value in the given set */
	double value;   /* estimate */
	double lo, hi;  /* 95% profile-likelihood interval: where chi^2, the other fitted parameters
	                   re-minimised, rises 3.84 above the minimum (or the range limit) */
	int limit;      /* FIT_LIMIT_LO / _HI: the interval reaches that limit of the range */
	int flat;       /* 1: chi^2 stays within 3.84 of the minimum over the whole range */
	double se;      /* standard error from the covariance (0 when singular) */
	int cov_agrees; /* 1: value +- 1.96 se agrees with the profile interval (within 10% of each side) */
	int corr_with;  /* index of the fitted parameter it is most correlated with beyond 0.99, or -1 */
	int at_bound;   /* 1: the estimate is at the edge of the range */
} fit_estimate;

typedef struct fit_result {
	param_set set;                 /* the given set with the estimates in place */
	int n;                         /* fitted parameters */
	fit_estimate est[FIT_MAX];     /* in the order given */
	double corr[FIT_MAX][FIT_MAX]; /* correlations of the estimates (NaN where se is 0) */
	int rows;                      /* data rows used */
	int dof;                       /* rows - n */
	double chi2_start;             /* chi^2 of the given set */
	double chi2;                   /* chi^2 at the estimates (the global minimum found) */
	double p_value;       /* P(chi^2_dof > chi2): the chance of a worse fit if the model were right */
	int minima;           /* distinct local minima the refinement ended in */
	double chi2_next;     /* chi^2 of the best other minimum (INFINITY when there is none) */
	double next[FIT_MAX]; /* its parameter values */
	int starts;           /* local refinements run */
	int evaluations;      /* analytic curves evaluated (all rows each) */
} fit_result;

/* A minimum other than the best is reported when its chi^2 is within this of the best. */
#define FIT_RUNNER_UP 5.0

/* Fit parameters ids[0..n-1] of start to the rows of data[0..ndata-1]. Returns 0 with *r filled, 1 when
 * c->cancelled said so (r untouched), or -1 with a message in err (too few rows, a protocol
 * without pairs, a chi^2 that is not finite, out of memory). Thread-safe: runs on a worker, touches nothing
 * global except GSL's error handler (turned off once). */
int fit_run(const datafile *data, int ndata, const param_set *start, const int *ids, int n,
            const fit_control *c, fit_result *r, char *err, size_t errlen);

/* The report as lines of text (each ending in '\n'): chi^2 before and after, dof, p-value, each
 * parameter with its interval and flags. */
void fit_format(const fit_result *r, char *buf, size_t len);

/* Check a set by simulation at the data rows: for every row, the Monte Carlo change (reps of p,
 * threads workers) into sim[row] (sim has as many entries as rows in all the files) and the chi^2 of
 * those against the data into *chi2. 0, or -1 with err. Runs its own event loop: not for the
 * explorer's loop thread. */
int fit_check_simulation(const datafile *data, int ndata, const param_set *p, int threads, sim_method method,
                         double *sim, double *chi2, char *err, size_t errlen);

#endif
