/* The headless front ends: --batch (CSV on stdout) and --plot (the plot as text). */
#ifndef CSTDP_BATCH_H
#define CSTDP_BATCH_H

#include <stdio.h>

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

/* One row as batch_write_csv writes it, without the newline. */
void batch_format_row(char *buf, size_t len, const batch_row *r);

#endif
