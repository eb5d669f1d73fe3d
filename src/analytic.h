/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The paper's analytic approximation (model.md section 4): calcium in its periodic steady state gives
 * the fractions of time above the thresholds; rho then follows an Ornstein-Uhlenbeck process. */
#ifndef CSTDP_ANALYTIC_H
#define CSTDP_ANALYTIC_H

#include "calcium.h"
#include "params.h"
#include "readout.h"

typedef struct analytic_point {
	double alpha_d, alpha_p; /* fractions of time with calcium above theta_d and theta_p */
	double rho_bar;          /* mean of the OU process */
	double sigma_rho2;       /* its stationary variance */
	double tau_eff;          /* its time constant, s */
	double U, D;             /* switching probabilities */
	double change;           /* change in synaptic strength, after/before */
} analytic_point;

/* Fraction of time calcium spends above theta in the periodic steady state of the transients. */
double analytic_alpha(const protocol *pr, double tau_ca_s, double theta);

/* Everything for one protocol (alpha from calcium, then the OU read-out). */
void analytic_eval(const param_set *p, const protocol *pr, analytic_point *out);

/* The OU read-out from the fractions of time above threshold over a protocol of T seconds. */
void analytic_ou(const param_set *p, double alpha_d, double alpha_p, double T, analytic_point *out);

/* The fractions of time above theta_d and theta_p for independent Poisson trains (pre at
 * rate_pre_hz, post at rate_post), by an event-driven Monte Carlo over 10000 pre spikes. */
void analytic_poisson_alpha(const param_set *p, double rate_post, double *alpha_d, double *alpha_p);

/* The set's protocol at grid value x (see params_x): everything the paper's method gives. */
void analytic_at(const param_set *p, double x, analytic_point *out);

/* The pairing protocol at spike time difference dt_ms (whatever the set's protocol). */
void analytic_pair(const param_set *p, double dt_ms, analytic_point *out);

#endif
