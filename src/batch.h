/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The headless front ends: --batch (CSV on stdout) and --plot (the plot as text). */
#ifndef CSTDP_BATCH_H
#define CSTDP_BATCH_H

#include <stdio.h>

#include "curve.h"
#include "datafile.h"
#include "params.h"
#include "sim.h"

/* The curve's options and rows (see curve.h), under the names the front ends know. */
typedef curve_opts batch_opts;
typedef curve_row batch_row;

/* A run expected to take longer than this (seconds) is announced with its cost. */
#define BATCH_WARN_S CURVE_WARN_S

/* Compute the curve (rows[points]); 0, or -1 with err set. After a failed work unit the call returns
 * within a second; workers may still be running then, so the caller should exit without waiting
 * for libuv's threadpool (_exit after flushing), as the exit path would join it. */
int batch_compute(const batch_opts *o, batch_row *rows, char *err, size_t errlen);

/* When p is expected to take more than BATCH_WARN_S seconds, say so on f: how long, why, and what
 * to change to make it shorter. */
void batch_warn_cost(FILE *f, const param_set *p, sim_method method, int threads);

/* "3 h 20 min", "12 s": a duration as a person reads it. */
void batch_format_duration(double s, char *buf, size_t len);

/* Seconds left of a run from its snapshot (the pace so far), -1 before the first unit. */
struct engine_snapshot;
double batch_time_left(const struct engine_snapshot *s);

/* The CSV header and rows, as --batch prints them and the explorer exports them. */
void batch_write_csv(FILE *f, const param_set *p, const batch_row *rows, int n);

/* The same CSV with a first column "set" naming the parameter set (--batch --compare); the header
 * only when header is 1. */
void batch_write_csv_named(FILE *f, const param_set *p, const char *name, const batch_row *rows, int n,
                           int header);

struct fit_result;

/* --fit: fit parameters ids[0..n-1] of p to the data by the analytic curve, print the report on out,
 * then check the fitted set by simulation at every data row (p's repetitions, threads workers) and
 * print that table and its chi^2. The fit in *r. Returns 0; 2 when the fit is refused (too few rows,
 * a protocol without pairs: bad input); 1 when the simulation failed; with err set. */
int batch_fit(FILE *out, const datafile *data, int ndata, const param_set *p, const int *ids, int n,
              int threads, sim_method method, struct fit_result *r, char *err, size_t errlen);

/* One row as batch_write_csv writes it, without the newline. */
void batch_format_row(char *buf, size_t len, const batch_row *r);
/* A row of the deterministic weight model, which has no U and D: x,change,change_lo,change_hi,
 * trials,method (method: exact, or mean over the trials). */
void batch_format_weight_row(char *buf, size_t len, const batch_row *r);

#endif
