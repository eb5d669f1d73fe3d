/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Grids of parameter values, maps and sweeps over them, and shards: which cells the K-th of N parts
 * owns. Cells are numbered with the first axis varying slowest; a shard owns one contiguous run of
 * cells, so the shards' outputs concatenated in order are the unsharded output. Each cell's random
 * streams come from a seed derived from (the set's seed, the cell's number) alone, never the shard. */
#ifndef CSTDP_SWEEP_H
#define CSTDP_SWEEP_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#include "classify.h"
#include "params.h"
#include "sim.h"

#define SWEEP_MAX_AXES 8

/* One swept parameter: n values from `from` to `to` (both included), evenly or log-spaced. */
typedef struct sweep_axis {
	int param;   /* enum param_id */
	double from; /* the first value; with n == 1 the only one */
	double to;   /* the last value */
	int n;       /* number of values, 1 to 100000 */
	int log;     /* 1: evenly spaced logarithms (from and to > 0) */
} sweep_axis;

typedef struct sweep_grid {
	sweep_axis axis[SWEEP_MAX_AXES]; /* the first varies slowest */
	int naxes;
} sweep_grid;

/* The K-th (1-based) of N parts; {1, 1} is everything. */
typedef struct sweep_shard {
	int k, n;
} sweep_shard;

/* "NAME=FROM:TO:N" or, with allow_log, "NAME=FROM:TO:N:log" (also ":lin"). FROM and TO must be in
 * the parameter's range; choices (protocol) and the seed cannot be swept. 0, or -1 with err set. */
int sweep_axis_parse(const char *text, int allow_log, sweep_axis *a, char *err, size_t errlen);

/* v to that many significant digits, so that grid values are what a person writes: 0.8:2.6:7 gives
 * 1.1, 1.4, 1.7 at 15 digits, not 1.7000000000000002 (and the CSV's values read back as the values
 * that were run). */
double sweep_tidy(double v, int digits);

/* Value i of the axis (whole numbers are rounded for integer parameters). */
double sweep_axis_value(const sweep_axis *a, int i);

/* Add an axis; -1 with err set when the grid is full, the parameter is already swept or the grid
 * would have more than 2^40 cells. */
int sweep_grid_add(sweep_grid *g, const sweep_axis *a, char *err, size_t errlen);

uint64_t sweep_cells(const sweep_grid *g);

/* The seed of a cell's random streams: a splitmix64 hash of (seed, cell), in the seed's range. */
uint64_t sweep_cell_seed(uint64_t seed, uint64_t cell);

/* base with the cell's values and its seed. */
void sweep_cell_params(const sweep_grid *g, uint64_t cell, const param_set *base, param_set *out);

/* "K/N" with 1 <= K <= N <= 1000000. 0, or -1 with err set. */
int sweep_shard_parse(const char *text, sweep_shard *s, char *err, size_t errlen);

/* The cells [*first, *end) that shard s owns out of cells. */
void sweep_shard_range(uint64_t cells, sweep_shard s, uint64_t *first, uint64_t *end);

/* Classify the analytic curve of p (its protocol's grid of points); r->class_p is 1. 0, or -1 when
 * out of memory (*r untouched: nothing to draw). */
int sweep_classify_analytic(const param_set *p, double tol, classify_result *r);

/* Resampled curves behind a simulated map cell's class_p. */
#define SWEEP_RESAMPLES 200

typedef struct sweep_opts {
	param_set base;    /* the set every cell starts from */
	sweep_grid grid;   /* what varies */
	int map;           /* 1: one classified row per cell; 0: every point of every cell's curve */
	double tolerance;  /* for the classes of a map */
	sweep_shard shard; /* which part to compute ({0, 0} means all) */
	int analytic;      /* 1: the analytic approximation; 0: simulation through the engine */
	int threads;       /* engine workers */
	sim_method method; /* the Monte Carlo integrator */
	unsigned block;    /* repetitions per work unit, 0: automatic */
	int progress;      /* 1: progress and the time left on stderr */
	int estimate;      /* 1: announce the cost on stderr first when over BATCH_WARN_S */
	int force;         /* 1: run even when expected to take more than a day (else refused) */
	/* Set from a signal handler (Ctrl-C): the run stops and writes nothing more after the last whole
	 * row. NULL: never. */
	const volatile sig_atomic_t *stop;
	/* Called with each piece of the output just before it is written (the parts' checksum and
	 * first line, merge.c). NULL: nothing. */
	void (*on_write)(void *user, const char *text, size_t len);
	void *on_write_user;
} sweep_opts;

/* sweep_run's answer when a cell of the grid is not a valid set (bad input: nothing was written). */
#define SWEEP_BAD_GRID (-2)

/* CPU seconds the cells [first, end) of o are expected to take (cost.h's model, on a sample of cells
 * spread evenly over the range). */
double sweep_cost_cpu(const sweep_opts *o, uint64_t first, uint64_t end);

/* With o->estimate, announce the cost on stderr when over BATCH_WARN_S, and refuse (SWEEP_BAD_GRID)
 * a run expected to take more than a day unless o->force. Then check every cell of the shard (all of
 * them must be valid sets; *stop is polled meanwhile), then write the CSV to out, the
 * header only in the first shard, each cell's rows whole and flushed. Returns 0 when done, 1 when
 * stopped by *stop, SWEEP_BAD_GRID or -1 (a failed write or simulation) with err set. */
int sweep_run(const sweep_opts *o, FILE *out, char *err, size_t errlen);

#endif
