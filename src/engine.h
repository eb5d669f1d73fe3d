/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The streaming engine: runs the Monte Carlo for one parameter set on libuv's threadpool, round-robin
 * over dt in blocks of repetitions, and streams partial counts to the loop thread.
 *
 * Each worker takes its next unit (a dt and a block of repetitions) itself from a shared cursor, in
 * the same locked step that delivers the counts of the last one: no round trip through the loop per
 * unit. Every synapse has its own random stream, so the counts are the same bits whatever the
 * number of threads. A unit that fails (sim_run_block -1, no memory for a point) is never counted:
 * the generation stops and its snapshot says failed, with the reason. */
#ifndef CSTDP_ENGINE_H
#define CSTDP_ENGINE_H

#include <stdint.h>
#include <uv.h>

#include "jobs.h"
#include "params.h"
#include "sim.h"

typedef struct engine engine;

/* libuv's threadpool holds at most 1024 threads; the jobs keep theirs (jobs.h). */
#define ENGINE_MAX_WORKERS (1024 - JOBS_THREADS)

/* What the front end sees: a consistent copy of the counts. Every pointer stays valid until the
 * callback returns, even when the callback starts a new generation or closes the engine. */
typedef struct engine_snapshot {
	unsigned generation;     /* bumped by every parameter change, seed change or restart */
	int points;              /* number of dt values */
	const double *dt_ms;     /* [points] the x of each point: dt in ms for pairs (see params_x) */
	const uint64_t *n;       /* [points] repetitions done per initial state */
	const uint64_t *ups;     /* [points] DOWN-started synapses that ended UP */
	const uint64_t *downs;   /* [points] UP-started synapses that ended DOWN */
	uint64_t reps_requested; /* per dt and initial state */
	uint64_t reps_done;      /* sum of n over dt */
	uint64_t reps_total;     /* points * reps_requested */
	uint64_t seed;           /* the seed of this generation */
	double
	    steps_per_s;  /* rho steps per second (seed's count; the weight model: trials or exact points) */
	double elapsed_s; /* wall time since the generation started (paused time excluded) */
	int complete;     /* every dt has reps_requested repetitions */
	int paused;
	int failed;              /* a unit failed: the run stops and never completes */
	const char *error;       /* why it failed (NULL unless failed) */
	const param_set *params; /* the parameters of this generation */
	/* The weight model (efficacy = weight) has no ups and downs (zeros): its change at each point
	 * instead, exact on regular trains (n is 1 once computed, reps_requested 1), else the mean of
	 * the n trials done with its 95% interval, the same bits as family_curve once complete. */
	int weight;              /* efficacy = weight */
	int exact;               /* ... on a regular protocol: one exact value a point */
	const double *change;    /* [points] w / w0 (NaN before the point's first unit); NULL unless weight */
	const double *change_lo; /* [points] */
	const double *change_hi; /* [points] */
} engine_snapshot;

typedef void (*engine_update_cb)(const engine_snapshot *s, void *user);

/* threads: how many blocks run at once (<= the threadpool's size, see engine_prepare_threads).
 * block: repetitions per work unit (0: automatic). cb runs on the loop thread, at most once per loop
 * iteration, with the newest state; it is also called once when a generation completes. */
engine *engine_new(uv_loop_t *loop, int threads, unsigned block, sim_method method, engine_update_cb cb,
                   void *user);

/* Size libuv's threadpool for threads workers and the jobs (jobs.h): call before anything uses the
 * loop's threadpool. */
void engine_prepare_threads(int threads);

/* Start a new generation with these parameters (the old one stops within milliseconds; its results
 * are dropped). Returns 0, or -1 with err set if the parameters are invalid. The weight model's
 * units are family.h's: one exact value a point on regular trains, FAMILY_BLOCK trials on random
 * ones (a stale unit ends with its block, about a millisecond at the presets' 10 s trains). */
int engine_set_params(engine *e, const param_set *p, char *err, size_t errlen);

void engine_pause(engine *e, int paused);
/* Rerun from scratch with another seed. */
void engine_reseed(engine *e, uint64_t seed);
/* Ask for reps_requested + extra repetitions per dt; a finished run continues instead of restarting.
 * Nothing to add to the weight model's exact values. */
void engine_more(engine *e, uint64_t extra);

/* Workers in the threadpool (of any generation): the front end's quick exit does not wait for them. */
int engine_workers(const engine *e);

/* Work units of older generations still running (they stop at their next poll, within one synapse). */
int engine_stale_units(const engine *e);

/* Stop the work, close every handle the engine owns. The engine is freed once the loop has run the
 * close callbacks: after this, run the loop until it returns (uv_run) and close it. */
void engine_close(engine *e);

#endif
