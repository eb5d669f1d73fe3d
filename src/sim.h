/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Monte Carlo kernel: advance a block of synapses through one dt's protocol and count switches. */
#ifndef CSTDP_SIM_H
#define CSTDP_SIM_H

#include <stdatomic.h>
#include <stdint.h>

#include "calcium.h"
#include "params.h"

typedef enum sim_method {
	SIM_SEGMENTS,  /* default: runs of equal threshold state composed exactly, gaps in one step */
	SIM_STEPWISE,  /* every step with calcium above a threshold, gaps in one step */
	SIM_REFERENCE, /* every step of the run for every synapse, as the seed does */
} sim_method;

/* Parse "segments", "stepwise", "reference"; -1 if unknown. */
int sim_method_parse(const char *name);
const char *sim_method_name(sim_method m);

/* Everything about one dt that every block shares, computed once (read-only afterwards). */
typedef struct sim_point sim_point;

sim_point *sim_point_new(const param_set *p, int dt_index, sim_method method);
void sim_point_free(sim_point *sp);

/* Rho steps one synapse takes at this dt (the seed's count: every step of the run). */
uint64_t sim_point_steps(const sim_point *sp);

/* Simulate repetitions first .. first + count - 1 of both initial states at this dt with seed.
 * Adds the DOWN-started synapses that end UP to *ups, the UP-started that end DOWN to *downs.
 * Each synapse draws from its own stream keyed by (seed, dt index, initial state, repetition), so the
 * result does not depend on how repetitions are grouped into blocks or threads.
 * Periodic protocols run the block's synapses in lockstep through the kernel (kernel.h); each synapse's
 * Gaussians come from its own counter-based stream, so sim_synapse gives the same rho bit for bit.
 * Polls *stop within a fraction of a millisecond of work, also inside a synapse's run. Returns 0 when
 * done, 1 when *stop != stop_unless (counts incomplete), -1 on a failure (a non-finite rho): nothing is
 * added to the counts unless it returns 0. */
int sim_run_block(const sim_point *sp, uint64_t seed, uint64_t first, uint32_t count, const atomic_uint *stop,
                  unsigned stop_unless, uint64_t *ups, uint64_t *downs);

/* The efficacy rho of one synapse at the end of the run: initial state 0 (DOWN, rho = 0) or 1 (UP). */
double sim_synapse(const sim_point *sp, uint64_t seed, int state, uint64_t rep);

/* A sample path of rho for the teaching views: (t_s[k], rho[k]) over the whole run from t = 0 (sample 0
 * is the start), at most cap samples (evenly thinned, the last one at the end of the run), the same
 * path sim_synapse takes with the segments method. Returns the number of samples written; 0 when the
 * point was built for another method or cap < 3. */
int sim_trajectory(const sim_point *sp, uint64_t seed, int state, uint64_t rep, double *t_s, double *rho,
                   int cap);

/* Number of operations the segments method applies per synapse (for the benchmark). */
uint32_t sim_point_ops(const sim_point *sp);

/* The work of one synapse of a periodic protocol's point with the segments method, for cost
 * estimates: applications of active operations (one Gaussian each), applications of quiet gaps, and
 * the steps of the gaps' polynomial they take (at least one each). All 0 for a Poisson point (each
 * synapse has its own path). */
void sim_point_work(const sim_point *sp, double *active, double *gaps, double *gap_steps);

/* Largest block sim_run_block takes at once. */
#define SIM_BLOCK_MAX 256

#endif
