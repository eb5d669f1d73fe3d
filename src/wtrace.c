/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The weight model's calcium, depression and weight over time at one grid point (see wtrace.h). */
#include "wtrace.h"

#include <math.h>
#include <stdlib.h>

#include "rng.h"
#include "weight.h"

static int cmp_event(const void *a, const void *b)
{
	const wtrace_event *x = a, *y = b;
	if (x->t != y->t)
		return (x->t > y->t) - (x->t < y->t);
	return x->post - y->post;
}

/* The regular protocols' train, as weight_regular builds it. */
static int regular(const param_set *p, double x, wtrace_event **out, int *count, double *end)
{
	const double *v = p->v;
	int proto = (int)v[P_PROTOCOL], nposts = 1;
	double dt = x * 1e-3, period = 1 / v[P_FREQ_HZ], isi = 0, delay = v[P_DELAY_MS] * 1e-3;
	if (proto == PROTO_FREQUENCY) {
		dt = v[P_FIXED_DT_MS] * 1e-3;
		period = 1 / x;
	} else if (proto == PROTO_BURST) {
		nposts = (int)v[P_BURST_SPIKES];
		isi = v[P_BURST_ISI_MS] * 1e-3;
	}
	int pairs, npres;
	params_presentations(p, period, &pairs, &npres);
	size_t total = (size_t)npres * (size_t)pairs * (size_t)(1 + nposts), n = 0;
	wtrace_event *ev = malloc(total * sizeof *ev);
	if (!ev)
		return -1;
	for (int k = 0; k < npres; k++)
		for (int j = 0; j < pairs; j++) {
			double tp = 0.1 + k * v[P_INTERVAL_S] + j * period;
			ev[n++] = (wtrace_event){tp + delay, 0};
			for (int i = 0; i < nposts; i++)
				ev[n++] = (wtrace_event){tp + dt - (nposts - 1 - i) * isi, 1};
		}
	qsort(ev, n, sizeof *ev, cmp_event);
	*out = ev;
	*count = (int)n;
	*end = ev[n - 1].t + v[P_READOUT_AFTER_S];
	return 0;
}

/* An exponential interval at rate (Hz), infinite at rate 0. */
static double interval(rng *r, double rate)
{
	return rate > 0 ? -log(1 - 0.5 * (rng_sym(r) + 1)) / rate : INFINITY;
}

/* A sample trial of the random protocols: pre spikes Poisson, each with a post spike dt later with
 * probability pair_prob (irregular), and independent post spikes (family.md). */
static int random_trial(const param_set *p, double x, uint64_t seed, wtrace_event **out, int *count,
                        double *end)
{
	const double *v = p->v;
	int proto = (int)v[P_PROTOCOL];
	double T = v[P_DURATION_S], delay = v[P_DELAY_MS] * 1e-3, rpre = v[P_RATE_PRE_HZ], dt = 0, prob = 0,
	       rind;
	if (proto == PROTO_POISSON) {
		rind = x;
	} else {
		dt = (proto == PROTO_IRREGULAR ? x : v[P_FIXED_DT_MS]) * 1e-3;
		prob = v[P_PAIR_PROB];
		if (proto == PROTO_IRREGULAR_RATE)
			rpre = x;
		double rpost = proto == PROTO_IRREGULAR_RATE ? x : v[P_RATE_POST_HZ];
		rind = fmax(0, rpost - prob * rpre);
	}
	size_t cap = (size_t)(3 * (rpre + rind) * T) + 64, n = 0;
	wtrace_event *ev = malloc(cap * sizeof *ev);
	if (!ev)
		return -1;
	rng r;
	rng_init(&r, seed, 0, 3, 0);
	for (double t = interval(&r, rpre); t < T; t += interval(&r, rpre)) {
		if (n + 2 > cap) {
			cap *= 2;
			wtrace_event *b = realloc(ev, cap * sizeof *ev);
			if (!b) {
				free(ev);
				return -1;
			}
			ev = b;
		}
		if (t + delay < T)
			ev[n++] = (wtrace_event){t + delay, 0};
		if (prob > 0 && 0.5 * (rng_sym(&r) + 1) < prob && t + dt >= 0 && t + dt < T)
			ev[n++] = (wtrace_event){t + dt, 1};
	}
	for (double t = interval(&r, rind); t < T; t += interval(&r, rind)) {
		if (n + 1 > cap) {
			cap *= 2;
			wtrace_event *b = realloc(ev, cap * sizeof *ev);
			if (!b) {
				free(ev);
				return -1;
			}
			ev = b;
		}
		ev[n++] = (wtrace_event){t, 1};
	}
	qsort(ev, n, sizeof *ev, cmp_event);
	*out = ev;
	*count = (int)n;
	*end = T;
	return 0;
}

int wtrace_events(const param_set *p, double x, uint64_t seed, wtrace_event **ev, int *n, double *end)
{
	*ev = NULL;
	*n = 0;
	return params_random_protocol(p) ? random_trial(p, x, seed, ev, n, end) : regular(p, x, ev, n, end);
}

void wtrace_sample(const param_set *p, const wtrace_event *ev, int n, const double *t, int m, double *c,
                   double *x, double *w)
{
	weight_model wm;
	weight_model_init(&wm, p);
	weight_state s;
	weight_state_init(&s, n > 0 && ev[0].t < t[0] ? ev[0].t : t[0]);
	int i = 0;
	for (int k = 0; k < m; k++) {
		for (; i < n && ev[i].t <= t[k]; i++)
			(ev[i].post ? weight_post : weight_pre)(&s, &wm, ev[i].t);
		weight_state at = s;
		weight_advance(&at, &wm, t[k]);
		c[k] = at.c_pre + at.c_post;
		w[k] = at.w;
		/* What the next presynaptic spike would find: x recovers from x (1 - U) towards 1. */
		x[k] = wm.U > 0 && s.had_pre
		           ? 1 - (1 - s.x * (1 - wm.U)) * exp(-(t[k] - s.t_pre) / wm.tau_rec)
		           : 1;
	}
}
