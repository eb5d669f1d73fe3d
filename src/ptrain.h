/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The 2012 model's synapses on random trains (poisson, irregular, irregular-rate), event by event:
 * the same discrete-time model as the step-by-step methods (Euler decay of calcium, thresholds read
 * at the start of each step, Euler-Maruyama steps of rho), with calcium's threshold crossings found
 * in closed form, the steps' linear part composed exactly over windows of the run, one Gaussian a
 * window, and the cubic drift split around it. */
#ifndef CSTDP_PTRAIN_H
#define CSTDP_PTRAIN_H

#include <stdatomic.h>
#include <stdint.h>

#include "params.h"

/* Fewest windows a run is cut into (also the samples a recorded path gets), and the most drift time
 * one window may cover, in units of tau. */
#define PTRAIN_MIN_WINDOWS 128
#define PTRAIN_MAX_U       0.002

/* Steps of a state's run whose composed map is looked up rather than computed. */
#define PTRAIN_TABLE 1024

/* One threshold state of calcium above a threshold: per step, rho <- (1 - k) rho + m + sqrt(s2) xi
 * (and the cubic drift). */
typedef struct ptrain_state {
	double k, l, m;    /* h/tau times the rates; l = ln(1 - k) */
	double ik, iv;     /* 1/k, s2 / (k (2 - k)) (0 when k is 0) */
	double s2;         /* noise variance of one step */
	double e[PTRAIN_TABLE]; /* (1 - k)^t - 1 for runs of t steps */
} ptrain_state;

/* What every synapse of one point shares (read-only once built). */
typedef struct ptrain {
	param_set p;
	double x;             /* the grid value (post rate, dt or common rate) */
	uint64_t steps;       /* steps of the run */
	uint64_t window;      /* steps of a window (the last one may be shorter) */
	double a;             /* h / tau */
	double c0, c1;        /* the cubic drift rho (c0 + rho (c1 - rho)) */
	double lnr;           /* ln of calcium's decay per step, 1 - h/tau_Ca */
	double lo, hi;        /* the lower and the higher threshold */
	double ln_lo, ln_hi;  /* their logarithms */
	double inv_nlr;       /* 1 / -lnr (0 when calcium does not decay) */
	ptrain_state st[2];   /* above both thresholds; between them (above the lower one only) */
	double decay[PTRAIN_TABLE]; /* r^t, calcium's decay over t steps */
} ptrain;

/* What a run reports to and reads from its caller: the stop flag (NULL: none), polled within a
 * fraction of a millisecond of work, and a sample after every window (NULL: none). */
typedef struct ptrain_ctl {
	const atomic_uint *stop;
	unsigned stop_unless;
	void (*sample)(void *ctx, uint64_t step, double rho);
	void *ctx;
} ptrain_ctl;

/* The point of set p at grid value x. */
void ptrain_init(ptrain *pt, const param_set *p, double x);

/* Windows of one run (the samples a recorded run gives). */
uint64_t ptrain_windows(const ptrain *pt);

/* One synapse whose stream key (rng_init's) is key, from rho at *rho: its trains drawn from the key
 * as calcium_stream_init draws them, its Gaussians from kernel_noise_key(key). *rho at the end of
 * the run; 0, or 1 if stopped (then *rho is partial). */
int ptrain_run(const ptrain *pt, uint64_t key, double *rho, const ptrain_ctl *ctl);

#endif
