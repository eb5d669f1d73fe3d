/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A curve at a parameter set (simulated or analytic), and the simulated change at data rows: what the
 * headless front ends and the fit both need, below both of them. */
#ifndef CSTDP_CURVE_H
#define CSTDP_CURVE_H

#include <stdint.h>
#include <stdio.h>

#include "datafile.h"
#include "params.h"
#include "sim.h"

typedef struct curve_opts {
	param_set p;
	int threads;       /* engine workers */
	int analytic;      /* 1: the analytic approximation instead of the simulation */
	sim_method method; /* the Monte Carlo integrator */
	unsigned block;    /* repetitions per work unit, 0: automatic */
	int progress;      /* 1: a progress line on stderr, with the time left */
	int estimate;      /* 1: warn on stderr first when the run is expected to take long */
} curve_opts;

/* One row per point: the --batch columns (dt_ms is the point's x: see params_x). */
typedef struct curve_row {
	double dt_ms, U, D, change, change_lo, change_hi;
	uint64_t reps;
} curve_row;

/* A run expected to take longer than this (seconds) is announced with its cost. */
#define CURVE_WARN_S 10.0

/* Compute the curve (rows[points]); 0, or -1 with err set. After a failed work unit the call returns
 * within a second; workers may still be running then, so the caller should exit without waiting
 * for libuv's threadpool (_exit after flushing), as the exit path would join it. */
int curve_compute(const curve_opts *o, curve_row *rows, char *err, size_t errlen);

/* The simulated change at every row of data[0..ndata-1] under p (p's repetitions, threads workers)
 * into sim[] (as many entries as rows in all the files), and the chi^2 of those against the data
 * into *chi2. 0, or -1 with err ("FILE:LINE: ..."). Runs its own event loop. */
int curve_at_rows(const datafile *data, int ndata, const param_set *p, int threads, sim_method method,
                  double *sim, double *chi2, char *err, size_t errlen);

/* When p is expected to take more than CURVE_WARN_S seconds, say so on f: how long, why, and what
 * to change to make it shorter. */
void curve_warn_cost(FILE *f, const param_set *p, sim_method method, int threads);

/* "3 h 20 min", "12 s": a duration as a person reads it. */
void curve_format_duration(double s, char *buf, size_t len);

/* Seconds left of a run from its snapshot (the pace so far), -1 before the first unit. */
struct engine_snapshot;
double curve_time_left(const struct engine_snapshot *s);

#endif
