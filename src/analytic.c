/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The paper's analytic approximation: time above the thresholds from periodic calcium, then the
 * Ornstein-Uhlenbeck process of rho (see analytic.h). */
#include "analytic.h"

#include <math.h>

#include "rng.h"
#include "weight.h"

double analytic_alpha(const protocol *pr, double tau_ca_s, double theta)
{
	int n = pr->n;
	double T = pr->period_s;
	double t[PROTOCOL_MAX_TRANSIENTS], amp[PROTOCOL_MAX_TRANSIENTS];
	/* Sort the transients by time within the period (insertion sort: a handful of them). */
	for (int i = 0; i < n; i++) {
		double ti = fmod(pr->t[i], T), ai = pr->amp[i];
		if (ti < 0)
			ti += T;
		int j = i;
		while (j > 0 && t[j - 1] > ti) {
			t[j] = t[j - 1];
			amp[j] = amp[j - 1];
			j--;
		}
		t[j] = ti;
		amp[j] = ai;
	}
	/* 1 / (1 - exp(-T/tau)) sums the contributions of all earlier periods; expm1 keeps it exact
	 * when T is short against tau (high frequencies). */
	double periodic = -1.0 / expm1(-T / tau_ca_s);
	double above = 0;
	for (int k = 0; k < n; k++) {
		double ck = 0;
		for (int m = 0; m < n; m++) {
			double lag = t[k] - t[m];
			if (lag < 0 || (lag == 0 && m > k))
				lag += T;
			if (m > k && lag == T)
				lag = 0; /* simultaneous transients arrive together */
			ck += amp[m] * exp(-lag / tau_ca_s);
		}
		ck *= periodic;
		double gap = (k + 1 < n ? t[k + 1] : t[0] + T) - t[k];
		if (ck > theta) {
			double dur = tau_ca_s * log(ck / theta);
			above += dur < gap ? dur : gap;
		}
	}
	return above / T;
}

/* (1 - exp(-x g)) / g, with its limit x as g -> 0. */
static double relax(double x, double g)
{
	return g > 0 ? -expm1(-x * g) / g : x;
}

void analytic_eval(const param_set *p, const protocol *pr, analytic_point *out)
{
	double tau_ca = p->v[P_TAU_CA_MS] * 1e-3;
	double ad = analytic_alpha(pr, tau_ca, p->v[P_THETA_D]);
	double ap = analytic_alpha(pr, tau_ca, p->v[P_THETA_P]);
	analytic_ou(p, ad, ap, pr->repeats * pr->period_s, out);
}

void analytic_ou(const param_set *p, double ad, double ap, double T, analytic_point *out)
{
	const double *v = p->v;
	double tau = v[P_TAU_S];
	double Gp = v[P_GAMMA_P] * ap, Gd = v[P_GAMMA_D] * ad, G = Gp + Gd;
	out->alpha_d = ad;
	out->alpha_p = ap;
	out->rho_bar = G > 0 ? Gp / G : NAN;
	out->sigma_rho2 = G > 0 ? v[P_SIGMA] * v[P_SIGMA] * (ap + ad) / G : NAN;
	out->tau_eff = G > 0 ? tau / G : INFINITY;
	/* rho(T) is Gaussian: mean rho0 e + Gp (1 - e)/G with e = exp(-T G / tau); the variance term
	 * sigma_rho^2 (1 - e^2) is written so that G = 0 (no drive) stays finite. */
	double e = exp(-T * G / tau);
	double drive = Gp * relax(T / tau, G);
	double var = v[P_SIGMA] * v[P_SIGMA] * (ap + ad) * relax(2 * T / tau, G);
	double rs = v[P_RHO_STAR];
	double mean0 = drive, mean1 = e + drive;
	if (var > 0) {
		double sd = sqrt(var);
		out->U = 0.5 * (1 + erf((mean0 - rs) / sd));
		out->D = 0.5 * (1 - erf((mean1 - rs) / sd));
	} else {
		/* No noise: the deterministic path decides. */
		out->U = mean0 > rs;
		out->D = mean1 < rs;
	}
	out->change = readout_change(out->U, out->D, v[P_BETA], v[P_B]);
}

void analytic_pair(const param_set *p, double dt_ms, analytic_point *out)
{
	protocol pr;
	protocol_pairs(p, dt_ms, &pr);
	analytic_eval(p, &pr, out);
}

/* Poisson trains: alpha by an event-driven Monte Carlo of calcium (exact exponential decay between
 * transients) over POISSON_PRE_SPIKES presynaptic spikes, with a fixed stream so that the curve is
 * smooth and the same every time. */
#define POISSON_PRE_SPIKES 10000

void analytic_poisson_alpha(const param_set *p, double rate_post, double *ad, double *ap)
{
	double tau = p->v[P_TAU_CA_MS] * 1e-3, D = p->v[P_DELAY_MS] * 1e-3;
	double rpre = p->v[P_RATE_PRE_HZ], T = POISSON_PRE_SPIKES / rpre;
	double cpre = p->v[P_C_PRE], cpost = calcium_c_post(p);
	double th[2] = {p->v[P_THETA_D], p->v[P_THETA_P]}, above[2] = {0, 0};
	rng rp, rq;
	rng_init(&rp, 0x5eed, 0, 0, 0);
	rng_init(&rq, 0x5eed, 0, 1, 0);
	double next_pre = D - log(1 - 0.5 * (rng_sym(&rp) + 1)) / rpre;
	double next_post = -log(1 - 0.5 * (rng_sym(&rq) + 1)) / rate_post;
	double t = 0, c = 0;
	while (t < T) {
		int pre = next_pre <= next_post;
		double tn = pre ? next_pre : next_post;
		if (tn > T)
			tn = T;
		double gap = tn - t;
		for (int k = 0; k < 2; k++)
			if (c > th[k]) {
				double d = tau * log(c / th[k]);
				above[k] += d < gap ? d : gap;
			}
		c *= exp(-gap / tau);
		t = tn;
		if (t >= T)
			break;
		if (pre) {
			c += cpre;
			next_pre += -log(1 - 0.5 * (rng_sym(&rp) + 1)) / rpre;
		} else {
			c += cpost;
			next_post += -log(1 - 0.5 * (rng_sym(&rq) + 1)) / rate_post;
		}
	}
	*ad = above[0] / T;
	*ap = above[1] / T;
}

void analytic_at(const param_set *p, double x, analytic_point *out)
{
	if ((int)p->v[P_EFFICACY] == EFFICACY_WEIGHT) {
		/* The deterministic weight model is exact on regular trains; random ones have no
		 * approximation here (NaN: nothing to draw). */
		*out = (analytic_point){NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN};
		if (!params_random_protocol(p))
			weight_regular(p, x, &out->change);
		return;
	}
	protocol pr;
	if (protocol_at(p, x, &pr) == 0) {
		analytic_eval(p, &pr, out);
		return;
	}
	if ((int)p->v[P_PROTOCOL] != PROTO_POISSON) {
		/* Irregular pairs: no approximation here (NaN: nothing to draw). */
		*out = (analytic_point){NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN};
		return;
	}
	double ad, ap;
	analytic_poisson_alpha(p, x, &ad, &ap);
	analytic_ou(p, ad, ap, p->v[P_DURATION_S], out);
}
