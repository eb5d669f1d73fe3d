/* Fitting parameters to measured data: weighted least squares (weights 1/sem^2) of the analytic curve
 * at every data row, on GSL's gsl_multifit_nlinear (trust region), from several starts spread over the
 * parameters' ranges, with 95% intervals from the covariance and flags for what the data cannot pin
 * down. */
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
	int starts;   /* starts spread over the ranges besides the given set (0: 32 per parameter) */
	int max_iter; /* trust-region iterations per start (0: 200) */
	/* Polled at every iteration (a few hundred microseconds apart): nonzero stops the fit. */
	int (*cancelled)(void *ctx);
	/* Called after each start with the fraction of starts done. */
	void (*progress)(void *ctx, double fraction);
	void *ctx; /* for both */
} fit_control;

typedef struct fit_estimate {
	int id;        /* parameter */
	double start;  /* value in the given set */
	double value;  /* estimate */
	double se;     /* standard error from the covariance; 0 when the data do not determine it */
	double lo, hi; /* 95% interval, value +- 1.96 se, cut to the parameter's range (the whole range
	                  when the data fix only a combination with another parameter) */
	int loose;     /* 1: the data cannot pin it down (interval as wide as the range, no information,
	                  or a correlation near 1 with another fitted parameter) */
	int at_bound;  /* 1: the estimate is at the edge of the range */
} fit_estimate;

typedef struct fit_result {
	param_set set;                 /* the given set with the estimates in place */
	int n;                         /* fitted parameters */
	fit_estimate est[FIT_MAX];     /* in the order given */
	double corr[FIT_MAX][FIT_MAX]; /* correlations of the estimates (NaN where se is 0) */
	int rows;                      /* data rows used */
	int dof;                       /* rows - n */
	double chi2_start;             /* chi^2 of the given set */
	double chi2;                   /* chi^2 at the estimates */
	double p_value;  /* P(chi^2_dof > chi2): the chance of a worse fit if the model were right */
	int starts;      /* starts tried */
	int evaluations; /* analytic curves evaluated */
} fit_result;

/* Fit parameters ids[0..n-1] of start to the rows of data[0..ndata-1]. Returns 0 with *r filled, 1 when
 * c->cancelled said so (r untouched), or -1 with a message in err (too few rows, a protocol
 * without pairs). Thread-safe: runs on a worker, touches nothing global except GSL's error handler
 * (turned off once). */
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
