/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Spike protocols and the calcium they produce. Calcium is deterministic and the same for every
 * synapse at one dt, so it is computed once per dt and handed to the Monte Carlo as a schedule of
 * segments: runs of steps with the same threshold state, and quiet gaps where only the cubic drift
 * of rho acts. */
#ifndef CSTDP_CALCIUM_H
#define CSTDP_CALCIUM_H

#include <stdint.h>

#include "params.h"

#define PROTOCOL_MAX_TRANSIENTS 16

/* One period of a periodic protocol: calcium transients at times t (s, within [0, period)). */
typedef struct protocol {
	int n;                               /* transients per period */
	double t[PROTOCOL_MAX_TRANSIENTS];   /* arrival times in the period, s */
	double amp[PROTOCOL_MAX_TRANSIENTS]; /* their sizes (C_pre, C_post) */
	double period_s;                     /* 1 / frequency */
	int repeats;                         /* number of periods (pairs) */
} protocol;

/* Pairs: a pre spike (its transient delay_ms later) and a post spike dt_ms after the pre spike,
 * at freq_hz. */
void protocol_pairs(const param_set *p, double dt_ms, protocol *out);

/* One period of the set's protocol at grid value x (see params_x). -1 for poisson (not periodic). */
int protocol_at(const param_set *p, double x, protocol *out);

/* The spikes of one period relative to the pre spike, in ms: kind 0 the pre spike, 1 its calcium
 * transient (delay_ms later), 2 a post spike, in that order (not sorted by time, and not wrapped
 * into the period: a post spike may lie before the pre spike or more than a period after it).
 * Returns the count (0 for poisson). */
int protocol_events(const param_set *p, double x, double *t_ms, int *kind, int cap);

/* Calcium in the periodic steady state, t_ms after a pre spike (continuous exponential decay, as the
 * analytic approximation has it). NaN for poisson. */
double calcium_steady(const param_set *p, double x, double t_ms);

/* C_post as it reaches this synapse: c_post scaled by c_post_scale (dendritic location). */
double calcium_c_post(const param_set *p);

/* A run of steps in which the threshold state of calcium does not change. */
typedef struct segment {
	uint64_t steps; /* number of steps (of step_ms each) */
	uint8_t hd, hp; /* calcium above theta_d, above theta_p during those steps */
} segment;

/* Calcium over a whole simulated run, as the Monte Carlo needs it. Once calcium reaches its periodic
 * state, one period is stored and repeated: seg[rep_first .. rep_first + rep_n) comes rep_times times
 * in a row (rep_times 1: nothing repeats). */
typedef struct schedule {
	segment *seg;       /* in time order; quiet gaps have hd = hp = 0 */
	uint32_t n, cap;    /* segments stored, allocated */
	uint32_t rep_first; /* the repeated block */
	uint32_t rep_n;
	uint64_t rep_times;
	uint64_t steps;  /* total steps of the run */
	uint64_t active; /* steps with calcium above a threshold */
} schedule;

/* Segment number i of the run in time order (i < schedule_length). */
const segment *schedule_at(const schedule *s, uint64_t i);
/* Number of segments in the run, repetitions counted. */
uint64_t schedule_length(const schedule *s);

/* Events of the simulated pairing run at step resolution, as the seed's Brian2 code places them:
 * each spike on the first step after its nominal time; the pre transient delayed by whole steps. */
typedef struct spike_train {
	uint64_t *step; /* step at whose end the transient is added, sorted */
	double *amp;    /* transient size */
	uint32_t n, cap;
	uint64_t steps;         /* length of the run in steps */
	uint32_t period_events; /* transients per period of a periodic protocol; 0 for Poisson */
} spike_train;

struct rng;

/* The pairing run at dt_ms (see the README for the exact times). 0, or -1 when out of memory. */
int spike_train_pairs(const param_set *p, double dt_ms, spike_train *out);

/* The simulated run of the set's protocol at grid value x. Poisson trains are drawn from r (which
 * must not be NULL then); periodic protocols ignore it. 0, or -1. */
int spike_train_at(const param_set *p, double x, struct rng *r, spike_train *out);
void spike_train_free(spike_train *t);

/* Calcium for a train, with the seed's discretisation (Euler decay c *= 1 - h/tau_Ca, strict '>'
 * thresholds evaluated at the start of each step, transients added at the end). For a periodic train,
 * once calcium after a period's first transient is the same, bit for bit, as one to four periods
 * before, the periods in between are stored once and repeated (repeat 0 turns this off: every step is
 * walked, for tests). 0 or -1. */
int schedule_build(const param_set *p, const spike_train *t, schedule *out);
int schedule_build_ex(const param_set *p, const spike_train *t, int repeat, schedule *out);

/* Poisson trains and their calcium drawn as the run goes, a segment at a time: memory does not grow
 * with the run's length. */
typedef struct calcium_stream {
	double c, r, quiet, theta_d, theta_p;
	uint64_t n, steps; /* the walk's step, the run's length */
	uint64_t delay;    /* steps from a pre spike to its transient */
	double h, T;       /* step and duration, s */
	double rate[2];    /* pre, independent post, Hz */
	double irate[2];   /* their inverses (0 for a rate of 0) */
	double ih;         /* 1 / h */
	double amp[3];     /* C_pre, C_post, C_post */
	double t[3];       /* time of the last spike drawn (of the pre spike a paired post follows), s */
	uint64_t next[3];  /* step of the next transient of each train: pre, independent post, paired
	                    * post (irregular protocols); UINT64_MAX when none is left */
	struct rng *pre;   /* the pre train's stream (the caller's) */
	uint64_t post;     /* the post train's stream: a splitmix64 counter split off pre's */
	uint64_t replay;   /* the pre train's stream again, read by the paired posts */
	uint64_t coin;     /* the pairing's coins: one per pre spike */
	double dt, prob;   /* a paired post comes dt after its pre spike with probability prob */
} calcium_stream;

/* Start the trains of the set at grid value x (the post rate for poisson; dt or the common rate for
 * the irregular protocols), drawn from r (spike_train_at draws the same trains). */
void calcium_stream_init(calcium_stream *cs, const param_set *p, double x, struct rng *r);
/* The next segment of the run: 1, or 0 when the run is over. */
int calcium_stream_next(calcium_stream *cs, segment *out);
/* The next transient of the trains, in time order (pre first on a tie): the step at whose end it
 * is added and its size; 1, or 0 when none is left (for event-driven readers; do not mix with
 * calcium_stream_next on one stream). */
int calcium_stream_event(calcium_stream *cs, uint64_t *step, double *amp);
void schedule_free(schedule *s);

/* The calcium trace itself, c at the start of every step from first to first + n - 1 (for the
 * reference integrator and the teaching views). */
void calcium_trace(const param_set *p, const spike_train *t, uint64_t first, uint64_t n, double *c);

#endif
