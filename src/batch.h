/* The headless front ends: --batch (CSV on stdout) and --plot (the plot as text). */
#ifndef CSTDP_BATCH_H
#define CSTDP_BATCH_H

#include <stdio.h>

#include "datafile.h"
#include "params.h"
#include "sim.h"

typedef struct batch_opts {
	param_set p;
	int threads;       /* engine workers */
	int analytic;      /* 1: the analytic approximation instead of the simulation */
	sim_method method; /* the Monte Carlo integrator */
	unsigned block;    /* repetitions per work unit, 0: automatic */
	int progress;      /* 1: a progress line on stderr */
} batch_opts;

/* One row per point: the --batch columns (dt_ms is the point's x: see params_x). */
typedef struct batch_row {
	double dt_ms, U, D, change, change_lo, change_hi;
	uint64_t reps;
} batch_row;

/* Compute the curve (rows[points]); 0, or -1 with err set. */
int batch_compute(const batch_opts *o, batch_row *rows, char *err, size_t errlen);

/* The CSV header and rows, as --batch prints them and the explorer exports them. */
void batch_write_csv(FILE *f, const param_set *p, const batch_row *rows, int n);

/* The same CSV with a first column "set" naming the parameter set (--batch --compare); the header
 * only when header is 1. */
void batch_write_csv_named(FILE *f, const param_set *p, const char *name, const batch_row *rows, int n,
                           int header);

/* --fit: fit parameters ids[0..n-1] of p to the data by the analytic curve, print the report on out,
 * then check the fitted set by simulation at every data row (p's repetitions, threads workers) and
 * print that table and its chi^2. The fitted set in *fitted. 0, or -1 with err. */
int batch_fit(FILE *out, const datafile *data, int ndata, const param_set *p, const int *ids, int n,
              int threads, sim_method method, param_set *fitted, char *err, size_t errlen);

#endif
