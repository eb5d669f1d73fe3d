#include "weight.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "calcium.h"
#include "rng.h"

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
}

void weight_state_init(weight_state *s, double t0)
{
	*s = (weight_state){.t = t0, .x = 1, .w = PARAMS_W0};
}

/* tau_ca ln(c / theta): when calcium starting at c falls to theta (negative: already below). */
static double crossing(const weight_model *m, double c, double theta)
{
	return m->tau_ca * log(c / theta);
}

void weight_advance(weight_state *s, const weight_model *m, double t)
{
	double L = t - s->t;
	if (!(L > 0))
		return;
	double c0 = s->c_pre + s->c_post;
	double lo = fmin(m->theta_d, m->theta_p), hi = fmax(m->theta_d, m->theta_p);
	if (c0 > lo) {
		/* Above both thresholds both terms act: w relaxes to gamma_p / (gamma_p + gamma_d). */
		double t_hi = c0 > hi ? fmin(crossing(m, c0, hi), L) : 0;
		double t_lo = fmin(crossing(m, c0, lo), L) - t_hi;
		double w = s->w;
		if (t_hi > 0) {
			double g = m->gamma_p + m->gamma_d;
			if (g > 0) {
				double wbar = m->gamma_p / g;
				w = wbar + (w - wbar) * exp(-t_hi * g / m->tau);
			}
		}
		if (t_lo > 0) {
			/* Between the thresholds only the lower one's term acts. */
			if (m->theta_d <= m->theta_p)
				w *= exp(-t_lo * m->gamma_d / m->tau);
			else
				w = 1 - (1 - w) * exp(-t_lo * m->gamma_p / m->tau);
		}
		s->w = w;
	}
	if (c0 > 0) {
		double f = exp(-L / m->tau_ca);
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
		double x = s->had_pre ? 1 - (1 - s->x * (1 - m->U)) * exp(-(t - s->t_pre) / m->tau_rec) : 1;
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

/* A Poisson train on (0, T) as a cursor: the next spike time, +inf when the train is over. */
typedef struct train {
	rng r;
	double rate, t, T;
} train;

static double train_next(train *tr)
{
	if (!(tr->rate > 0))
		return tr->t = INFINITY;
	/* 1 - u is in (0, 1]: the log is finite. */
	double u = (double)(rng_u64(&tr->r) >> 11) * 0x1p-53;
	tr->t += -log(1 - u) / tr->rate;
	if (tr->t >= tr->T)
		tr->t = INFINITY;
	return tr->t;
}

/* Rates and dt of a random protocol at x. */
static void random_shape(const param_set *p, double x, double *rpre, double *rpost, double *dt, double *prob)
{
	const double *v = p->v;
	switch ((int)v[P_PROTOCOL]) {
	case PROTO_IRREGULAR:
		*rpre = v[P_RATE_PRE_HZ], *rpost = v[P_RATE_POST_HZ], *dt = x * 1e-3, *prob = v[P_PAIR_PROB];
		break;
	case PROTO_IRREGULAR_RATE:
		*rpre = x, *rpost = x, *dt = v[P_FIXED_DT_MS] * 1e-3, *prob = v[P_PAIR_PROB];
		break;
	default: /* poisson: independent trains */
		*rpre = v[P_RATE_PRE_HZ], *rpost = x, *dt = 0, *prob = 0;
		break;
	}
}

double weight_trial(const param_set *p, const weight_model *m, int index, double x, uint64_t trial)
{
	double rpre, rpost, dt, prob, T = p->v[P_DURATION_S];
	random_shape(p, x, &rpre, &rpost, &dt, &prob);
	uint64_t seed = (uint64_t)p->v[P_SEED];
	/* Three streams: the pre spikes (read twice, by the transients and by the paired posts), the
	 * coins of the pairing, the independent post spikes. */
	train pre = {.rate = rpre, .T = T}, paired, indep = {.rate = fmax(0, rpost - prob * rpre), .T = T};
	rng coin;
	rng_init(&pre.r, seed, (uint64_t)index, 2, trial);
	rng_init(&coin, seed, (uint64_t)index, 3, trial);
	rng_init(&indep.r, seed, (uint64_t)index, 4, trial);
	paired = pre;
	double tpre = train_next(&pre), tpair = INFINITY, tind = train_next(&indep);
	/* The paired posts follow the pre spikes in order: the next pre spike that keeps its partner. */
	for (double tq; prob > 0 && (tq = train_next(&paired)) < INFINITY;) {
		double u = (double)(rng_u64(&coin) >> 11) * 0x1p-53;
		if (u < prob && tq + dt > 0 && tq + dt < T) {
			tpair = tq + dt;
			break;
		}
	}
	weight_state s;
	weight_state_init(&s, 0);
	for (;;) {
		double ta = tpre + m->delay;
		double tb = fmin(tpair, tind);
		double tn = fmin(ta, tb);
		if (!(tn < T))
			break;
		if (ta <= tb) {
			weight_pre(&s, m, ta);
			tpre = train_next(&pre);
		} else {
			weight_post(&s, m, tb);
			if (tpair <= tind) {
				tpair = INFINITY;
				for (double tq; (tq = train_next(&paired)) < INFINITY;) {
					double u = (double)(rng_u64(&coin) >> 11) * 0x1p-53;
					if (u < prob && tq + dt > 0 && tq + dt < T) {
						tpair = tq + dt;
						break;
					}
				}
			} else {
				tind = train_next(&indep);
			}
		}
	}
	weight_advance(&s, m, T);
	return s.w / PARAMS_W0;
}

void weight_trials(const param_set *p, int index, double x, uint64_t first, uint64_t count, double *sum,
                   double *sumsq)
{
	weight_model m;
	weight_model_init(&m, p);
	double a = 0, b = 0;
	for (uint64_t k = first; k < first + count; k++) {
		double c = weight_trial(p, &m, index, x, k);
		a += c;
		b += c * c;
	}
	*sum = a;
	*sumsq = b;
}
