/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The weight model's trials of a random protocol in lockstep lanes (one trial a lane), event-driven,
 * with exp and log of its own: the same bits on every instruction set, and as weight_trial would
 * compute them up to the last few bits (the tests hold the two to the model's definition). */
#ifndef CSTDP_WLANES_H
#define CSTDP_WLANES_H

#include <stddef.h>
#include <stdint.h>

#include "weight.h"

/* Trials per call. */
#define WLANES 16

/* What every call at one point shares. */
typedef struct wlanes_setup {
	weight_model m;
	uint64_t seed, index; /* the streams' keys with the trial number */
	double T;             /* duration, s */
	double rpre, rind;    /* pre rate, independent post rate, Hz */
	double dt, prob;      /* paired post spike dt after its pre spike with probability prob */
	/* The model's constants as the lanes use them, computed once. */
	double lo, hi;         /* the lower and the higher threshold */
	double g, wbar;        /* gamma_p + gamma_d, gamma_p / g (0 when g is 0) */
	double k_hi, k_d, k_p; /* g / tau, gamma_d / tau, gamma_p / tau */
	double inv_tau_ca, inv_tau_rec, inv_rpre, inv_rind;
} wlanes_setup;

/* The spike buffers a caller keeps between calls (zero-initialised; wlanes_buf_free at the end). */
typedef struct wlanes_buf {
	double *pre, *pair;
	size_t cap; /* spikes per lane */
	double *amp, *ind;
} wlanes_buf;

void wlanes_setup_init(wlanes_setup *s, const param_set *p, int index, double x);

/* Trials first .. first + count - 1 (count <= WLANES): w / w0 at T into out[0 .. count - 1] (NaN
 * when out of memory). */
void wlanes_run(const wlanes_setup *s, uint64_t first, uint32_t count, double *out, wlanes_buf *buf);

void wlanes_buf_free(wlanes_buf *b);

/* Trials first .. first + count - 1 of a random protocol (poisson, irregular, irregular-rate) at grid
 * point index (value x), each w / w0 at duration_s, its streams keyed by (seed, index, trial), run
 * in lockstep lanes: the sum of the changes and of their squares, added in trial order (NaN when
 * out of memory). */
void wlanes_trials(const param_set *p, int index, double x, uint64_t first, uint64_t count, double *sum,
                   double *sumsq);

#endif
