/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The deterministic weight model of Deperrois & Graupner (2020) (family.md section 1), integrated event
 * by event in closed form: calcium decays exponentially between events, so the times it spends above
 * each threshold, and the weight's linear relaxation over them, are exact. With presynaptic short-term
 * depression (std_u, tau_rec_ms), a presynaptic transient scaled by the weight (pre_scaled) and
 * nonlinear calcium (nl, through params_eta). Regular trains give one exact number per point; the
 * random protocols give the mean over trials, each trial with its own stream. */
#ifndef CSTDP_WEIGHT_H
#define CSTDP_WEIGHT_H

#include <stdint.h>

#include "params.h"

/* The constants of one parameter set, in seconds. */
typedef struct weight_model {
	double tau_ca; /* calcium decay time constant */
	double theta_d, theta_p;
	double gamma_d, gamma_p, tau;
	double c_pre, c_post; /* transient sizes (c_post with its dendritic scale) */
	double eta;           /* nonlinear calcium: a post spike adds eta c_pre(t-) more */
	double U, tau_rec;    /* short-term depression (U = 0: none) */
	int scaled;           /* 1: the presynaptic transient is scaled by w */
	double delay;         /* of the presynaptic transient */
	double ln_lo, ln_hi;  /* logarithms of the lower and the higher threshold */
} weight_model;

/* The state between events. */
typedef struct weight_state {
	double t; /* time of the last update */
	double c_pre, c_post;
	double x;     /* depression variable at the last presynaptic spike, before its use */
	double t_pre; /* time of the last presynaptic spike (its transient) */
	int had_pre;  /* a presynaptic spike has come */
	double w;
} weight_state;

/* 2^(j/64) for j = 0..63, correctly rounded: the table under the model's own exp (here and in the
 * lockstep lanes), which gives the same bits on every machine. */
extern const double weight_exp2[64];

void weight_model_init(weight_model *m, const param_set *p);
void weight_state_init(weight_state *s, double t0);

/* Let time run to t >= s->t without events: calcium decays, w relaxes while it is above threshold. */
void weight_advance(weight_state *s, const weight_model *m, double t);
/* A presynaptic transient arrives at time t (after its delay) / a postsynaptic spike at time t. */
void weight_pre(weight_state *s, const weight_model *m, double t);
void weight_post(weight_state *s, const weight_model *m, double t);

/* A regular protocol (pairs, frequency, burst, with its presentations) at grid value x: w / w0 at the
 * read-out, readout_after_s after the last event. 0, or -1 when out of memory (*change is NaN). */
int weight_regular(const param_set *p, double x, double *change);


#endif
