/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The deterministic weight model of 2020, event by event in closed form (see weight.h). */
#include "weight.h"

#include <math.h>
#include <stdlib.h>

#include "calcium.h"

/* exp and log in plain double arithmetic (no libm, whose routines differ between FMA and non-FMA
 * CPUs): the same bits on every machine and instruction set, a few units in the last place. */
const double weight_exp2[64] = {
    0x1.0000000000000p+0, 0x1.02c9a3e778061p+0, 0x1.059b0d3158574p+0, 0x1.0874518759bc8p+0,
    0x1.0b5586cf9890fp+0, 0x1.0e3ec32d3d1a2p+0, 0x1.11301d0125b51p+0, 0x1.1429aaea92de0p+0,
    0x1.172b83c7d517bp+0, 0x1.1a35beb6fcb75p+0, 0x1.1d4873168b9aap+0, 0x1.2063b88628cd6p+0,
    0x1.2387a6e756238p+0, 0x1.26b4565e27cddp+0, 0x1.29e9df51fdee1p+0, 0x1.2d285a6e4030bp+0,
    0x1.306fe0a31b715p+0, 0x1.33c08b26416ffp+0, 0x1.371a7373aa9cbp+0, 0x1.3a7db34e59ff7p+0,
    0x1.3dea64c123422p+0, 0x1.4160a21f72e2ap+0, 0x1.44e086061892dp+0, 0x1.486a2b5c13cd0p+0,
    0x1.4bfdad5362a27p+0, 0x1.4f9b2769d2ca7p+0, 0x1.5342b569d4f82p+0, 0x1.56f4736b527dap+0,
    0x1.5ab07dd485429p+0, 0x1.5e76f15ad2148p+0, 0x1.6247eb03a5585p+0, 0x1.6623882552225p+0,
    0x1.6a09e667f3bcdp+0, 0x1.6dfb23c651a2fp+0, 0x1.71f75e8ec5f74p+0, 0x1.75feb564267c9p+0,
    0x1.7a11473eb0187p+0, 0x1.7e2f336cf4e62p+0, 0x1.82589994cce13p+0, 0x1.868d99b4492edp+0,
    0x1.8ace5422aa0dbp+0, 0x1.8f1ae99157736p+0, 0x1.93737b0cdc5e5p+0, 0x1.97d829fde4e50p+0,
    0x1.9c49182a3f090p+0, 0x1.a0c667b5de565p+0, 0x1.a5503b23e255dp+0, 0x1.a9e6b5579fdbfp+0,
    0x1.ae89f995ad3adp+0, 0x1.b33a2b84f15fbp+0, 0x1.b7f76f2fb5e47p+0, 0x1.bcc1e904bc1d2p+0,
    0x1.c199bdd85529cp+0, 0x1.c67f12e57d14bp+0, 0x1.cb720dcef9069p+0, 0x1.d072d4a07897cp+0,
    0x1.d5818dcfba487p+0, 0x1.da9e603db3285p+0, 0x1.dfc97337b9b5fp+0, 0x1.e502ee78b3ff6p+0,
    0x1.ea4afa2a490dap+0, 0x1.efa1bee615a27p+0, 0x1.f50765b6e4540p+0, 0x1.fa7c1819e90d8p+0,
};

static double wexp(double x)
{
	if (!(x > -700))
		return x != x ? x : 0;
	if (x > 700)
		return INFINITY;
	/* x = k ln2/64 + r, |r| <= ln2/128; exp(x) = 2^(k/64) exp(r). */
	double kd = (x * 0x1.71547652b82fep+6 + 0x1.8p52) - 0x1.8p52;
	double r = (x - kd * 0x1.62e42ff000000p-7) - kd * -0x1.718432a1b0e26p-41;
	double p =
	    1 + r * (1 + r * (0.5 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120 + r * (1.0 / 720))))));
	int64_t k = (int64_t)kd;
	int64_t e = (k - (k & 63)) / 64;
	union {
		uint64_t u;
		double d;
	} s = {.u = (uint64_t)(e + 1023) << 52};
	return weight_exp2[k & 63] * p * s.d;
}

/* Natural log of a positive normal number. */
static double wlog(double x)
{
	union {
		double d;
		uint64_t u;
	} b = {.d = x};
	int64_t e = (int64_t)((b.u >> 52) & 0x7ff) - 1023;
	b.u = (b.u & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL; /* m in [1, 2) */
	double m = b.d;
	if (m > 0x1.6a09e667f3bcdp+0)
		m *= 0.5, e++;
	/* log m = 2 atanh(s), s = (m - 1)/(m + 1), |s| < 0.172. */
	double s = (m - 1) / (m + 1), z = s * s;
	double q = 1.0 / 23;
	for (int k = 21; k >= 3; k -= 2)
		q = 1.0 / k + z * q;
	double lm = 2 * s * (1 + z * q);
	double ed = (double)e;
	return ed * 0x1.62e42ff000000p-1 + (lm + ed * -0x1.718432a1b0e26p-35);
}

void weight_model_init(weight_model *m, const param_set *p)
{
	const double *v = p->v;
	*m = (weight_model){.tau_ca = v[P_TAU_CA_MS] * 1e-3,
	                    .theta_d = v[P_THETA_D],
	                    .theta_p = v[P_THETA_P],
	                    .gamma_d = v[P_GAMMA_D],
	                    .gamma_p = v[P_GAMMA_P],
	                    .tau = v[P_TAU_S],
	                    .c_pre = v[P_C_PRE],
	                    .c_post = calcium_c_post(p),
	                    .eta = params_eta(p),
	                    .U = v[P_STD_U],
	                    .tau_rec = v[P_TAU_REC_MS] * 1e-3,
	                    .scaled = v[P_PRE_SCALED] != 0,
	                    .delay = v[P_DELAY_MS] * 1e-3};
	m->ln_lo = wlog(fmin(m->theta_d, m->theta_p));
	m->ln_hi = wlog(fmax(m->theta_d, m->theta_p));
}

void weight_state_init(weight_state *s, double t0)
{
	*s = (weight_state){.t = t0, .x = 1, .w = PARAMS_W0};
}

void weight_advance(weight_state *s, const weight_model *m, double t)
{
	double L = t - s->t;
	if (!(L > 0))
		return;
	double c0 = s->c_pre + s->c_post;
	double lo = m->theta_d < m->theta_p ? m->theta_d : m->theta_p;
	double hi = m->theta_d < m->theta_p ? m->theta_p : m->theta_d;
	if (c0 > lo) {
		/* Calcium c0 exp(-t / tau_ca) falls to theta at tau_ca ln(c0 / theta). Above both
		 * thresholds both terms act: w relaxes to gamma_p / (gamma_p + gamma_d). */
		double lc = wlog(c0);
		double t_hi = c0 > hi ? m->tau_ca * (lc - m->ln_hi) : 0;
		double t_lo = m->tau_ca * (lc - m->ln_lo);
		t_hi = t_hi < L ? t_hi : L;
		t_lo = (t_lo < L ? t_lo : L) - t_hi;
		double w = s->w;
		if (t_hi > 0) {
			double g = m->gamma_p + m->gamma_d;
			if (g > 0) {
				double wbar = m->gamma_p / g;
				w = wbar + (w - wbar) * wexp(-t_hi * g / m->tau);
			}
		}
		if (t_lo > 0) {
			/* Between the thresholds only the lower one's term acts. */
			if (m->theta_d <= m->theta_p)
				w *= wexp(-t_lo * m->gamma_d / m->tau);
			else
				w = 1 - (1 - w) * wexp(-t_lo * m->gamma_p / m->tau);
		}
		s->w = w;
	}
	if (c0 > 0) {
		double f = wexp(-L / m->tau_ca);
		s->c_pre *= f;
		s->c_post *= f;
	}
	s->t = t;
}

void weight_pre(weight_state *s, const weight_model *m, double t)
{
	weight_advance(s, m, t);
	double amp = m->c_pre * (m->scaled ? s->w : 1);
	if (m->U > 0) {
		/* x recovers towards 1 with tau_rec from what the last spike left, x (1 - U). */
		double x = s->had_pre ? 1 - (1 - s->x * (1 - m->U)) * wexp(-(t - s->t_pre) / m->tau_rec) : 1;
		s->x = x;
		amp *= m->U * x;
	}
	s->had_pre = 1;
	s->t_pre = t;
	s->c_pre += amp;
}

void weight_post(weight_state *s, const weight_model *m, double t)
{
	weight_advance(s, m, t);
	s->c_post += m->c_post + m->eta * s->c_pre;
}

/* ---- regular trains ------------------------------------------------------------------------------ */

typedef struct event {
	double t;
	int post; /* 0: a presynaptic transient, 1: a postsynaptic spike (pre first on a tie) */
} event;

static int cmp_event(const void *a, const void *b)
{
	const event *x = a, *y = b;
	if (x->t != y->t)
		return (x->t > y->t) - (x->t < y->t);
	return x->post - y->post;
}

int weight_regular(const param_set *p, double x, double *change)
{
	const double *v = p->v;
	int proto = (int)v[P_PROTOCOL];
	double dt = x * 1e-3, period = 1 / v[P_FREQ_HZ], isi = 0;
	int nposts = 1;
	if (proto == PROTO_FREQUENCY) {
		dt = v[P_FIXED_DT_MS] * 1e-3;
		period = 1 / x;
	} else if (proto == PROTO_BURST) {
		nposts = (int)v[P_BURST_SPIKES];
		isi = v[P_BURST_ISI_MS] * 1e-3;
	}
	weight_model m;
	weight_model_init(&m, p);
	int pairs, npres;
	params_presentations(p, period, &pairs, &npres);
	size_t total = (size_t)npres * pairs * (1 + nposts);
	event *ev = malloc(total * sizeof *ev);
	*change = NAN;
	if (!ev)
		return -1;
	size_t n = 0;
	for (int k = 0; k < npres; k++)
		for (int j = 0; j < pairs; j++) {
			double tp = 0.1 + k * v[P_INTERVAL_S] + j * period;
			ev[n++] = (event){tp + m.delay, 0};
			for (int i = 0; i < nposts; i++)
				ev[n++] = (event){tp + dt - (nposts - 1 - i) * isi, 1};
		}
	qsort(ev, n, sizeof *ev, cmp_event);
	weight_state s;
	weight_state_init(&s, ev[0].t);
	for (size_t i = 0; i < n; i++)
		(ev[i].post ? weight_post : weight_pre)(&s, &m, ev[i].t);
	double last = ev[n - 1].t;
	free(ev);
	weight_advance(&s, &m, last + v[P_READOUT_AFTER_S]);
	*change = s.w / PARAMS_W0;
	return 0;
}

/* ---- random trains ------------------------------------------------------------------------------- */

