/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The 2012 model's synapses on random trains, event by event (see ptrain.h). */
#include "ptrain.h"

#include <math.h>
#include <string.h>

#include "calcium.h"
#include "kernel.h"
#include "rng.h"

static void state_init(ptrain_state *s, const ptrain *pt, int hd, int hp)
{
	const double *v = pt->p.v;
	s->k = pt->a * (v[P_GAMMA_P] * hp + v[P_GAMMA_D] * hd);
	s->m = pt->a * v[P_GAMMA_P] * hp;
	s->s2 = v[P_SIGMA] * v[P_SIGMA] * (hd + hp) * pt->a;
	s->l = log1p(-s->k);
	s->ik = s->k > 0 ? 1 / s->k : 0;
	s->iv = s->k > 0 ? s->s2 / (s->k * (2 - s->k)) : 0;
	for (int t = 0; t < PTRAIN_TABLE; t++)
		s->e[t] = expm1(t * s->l);
}

void ptrain_init(ptrain *pt, const param_set *p, double x)
{
	const double *v = p->v;
	memset(pt, 0, sizeof *pt);
	pt->p = *p;
	pt->x = x;
	double h = v[P_STEP_MS] * 1e-3;
	pt->steps = (uint64_t)llround(v[P_DURATION_S] / h);
	pt->a = h / v[P_TAU_S];
	pt->c0 = -v[P_RHO_STAR];
	pt->c1 = 1 + v[P_RHO_STAR];
	pt->lnr = log1p(-v[P_STEP_MS] / v[P_TAU_CA_MS]);
	pt->inv_nlr = pt->lnr < 0 ? -1 / pt->lnr : 0;
	pt->lo = fmin(v[P_THETA_D], v[P_THETA_P]);
	pt->hi = fmax(v[P_THETA_D], v[P_THETA_P]);
	pt->ln_lo = log(pt->lo);
	pt->ln_hi = log(pt->hi);
	state_init(&pt->st[0], pt, 1, 1);
	/* Between the thresholds only the lower one's process acts. */
	state_init(&pt->st[1], pt, v[P_THETA_D] <= v[P_THETA_P], v[P_THETA_P] < v[P_THETA_D]);
	/* Windows: at least PTRAIN_MIN_WINDOWS a run (the recorded path's samples), each at most
	 * PTRAIN_MAX_U of drift time (the splitting error of the cubic drift grows with it). */
	uint64_t w = (pt->steps + PTRAIN_MIN_WINDOWS - 1) / PTRAIN_MIN_WINDOWS;
	double wmax = floor(PTRAIN_MAX_U / pt->a);
	if (wmax < (double)w)
		w = (uint64_t)wmax;
	pt->window = w < 1 ? 1 : w;
}

uint64_t ptrain_windows(const ptrain *pt)
{
	return (pt->steps + pt->window - 1) / pt->window;
}

/* One synapse's run: rho, the window being composed (rho <- A rho + B + sqrt(V) xi over it, and D:
 * what a drift of 1 per unit time adds over it carried through the same linear maps). */
typedef struct lane {
	const ptrain *pt;
	const ptrain_ctl *ctl;
	double rho;
	double A, B, V, D;
	uint64_t pos, wstart, wend; /* steps composed up to pos, of the window [wstart, wend) */
	uint64_t win, nkey;         /* the window's number (its Gaussian's), the noise key */
	unsigned work;              /* events and windows since the last look at the stop flag */
	int stopped;
} lane;

/* Work between two looks at the stop flag: a few microseconds. */
#define STOP_EVERY 64

static void poll_stop(lane *z)
{
	if (++z->work < STOP_EVERY)
		return;
	z->work = 0;
	const ptrain_ctl *c = z->ctl;
	if (c && c->stop && atomic_load_explicit(c->stop, memory_order_relaxed) != c->stop_unless)
		z->stopped = 1;
}

/* The cubic drift alone over drift time u (units of tau): a step of Heun's method (u is at most
 * PTRAIN_MAX_U / 2, where its error is below 1e-9). */
static inline double flow(const ptrain *pt, double r, double u)
{
	double f1 = r * (pt->c0 + r * (pt->c1 - r));
	double r1 = r + u * f1;
	double f2 = r1 * (pt->c0 + r1 * (pt->c1 - r1));
	return r + (0.5 * u) * (f1 + f2);
}

/* Applies the window's composed map to rho, the cubic drift split around it so that a constant drift
 * comes out exactly (pre before, post after: pre + post = T, A pre + post = D), and starts the next
 * window. */
static void close_window(lane *z)
{
	const ptrain *pt = z->pt;
	double T = pt->a * (double)(z->wend - z->wstart);
	double c = 1 - z->A;
	double pre = c > 1e-12 ? (T - z->D) / c : 0.5 * T;
	if (!(pre >= 0 && pre <= T))
		pre = 0.5 * T;
	double r = flow(pt, z->rho, pre);
	r = z->A * r + z->B;
	if (z->V > 0)
		r += sqrt(z->V) * kernel_gauss(z->nkey, z->win);
	z->rho = flow(pt, r, T - pre);
	z->win++;
	if (z->ctl && z->ctl->sample)
		z->ctl->sample(z->ctl->ctx, z->wend, z->rho);
	z->A = 1, z->B = z->V = z->D = 0;
	z->wstart = z->wend;
	z->wend = pt->steps - z->wend < pt->window ? pt->steps : z->wend + pt->window;
	poll_stop(z);
}

/* t steps of threshold state s (0 above both, 1 between, 2 quiet) composed into the window. */
static inline void compose(lane *z, int s, uint64_t t)
{
	const ptrain *pt = z->pt;
	double td = (double)t;
	if (s == 2) {
		z->D += pt->a * td;
		return;
	}
	const ptrain_state *q = &pt->st[s];
	double A = 1, g = td, v = q->s2 * td;
	if (q->k > 0) {
		double e = t < PTRAIN_TABLE ? q->e[t] : expm1(td * q->l); /* (1 - k)^t - 1 */
		A = 1 + e;
		g = -e * q->ik;           /* sum of (1 - k)^j, j < t */
		v = -e * (2 + e) * q->iv; /* s2 times the sum of (1 - k)^2j */
	}
	z->B = A * z->B + q->m * g;
	z->D = A * z->D + pt->a * g;
	z->V = (A * A) * z->V + v;
	z->A = A * z->A;
}

/* t steps of state s, cut at the windows' ends. */
static void run_state(lane *z, int s, uint64_t t)
{
	while (t && !z->stopped) {
		uint64_t n = z->wend - z->pos < t ? z->wend - z->pos : t;
		compose(z, s, n);
		z->pos += n;
		t -= n;
		if (z->pos == z->wend)
			close_window(z);
	}
}

/* Steps j >= 0 of decay from c with c r^j above theta (c > theta), up to len: j < x where
 * x = ln(c / theta) / -ln r, the first step always. */
static inline uint64_t above(const ptrain *pt, double lnc_theta, uint64_t len)
{
	double x = lnc_theta * pt->inv_nlr;
	if (!(x < (double)len) || pt->inv_nlr == 0)
		return len;
	uint64_t k = (uint64_t)ceil(x);
	return k < 1 ? 1 : k;
}

/* len steps of calcium decaying from c: the steps above both thresholds, then between, then quiet. */
static void decay(lane *z, double c, uint64_t len)
{
	const ptrain *pt = z->pt;
	uint64_t khi = 0, klo = 0;
	if (c > pt->lo) {
		double lc = log(c);
		klo = above(pt, lc - pt->ln_lo, len);
		if (c > pt->hi)
			khi = above(pt, lc - pt->ln_hi, len);
		if (khi > klo)
			khi = klo;
	}
	if (khi)
		run_state(z, 0, khi);
	if (klo > khi)
		run_state(z, 1, klo - khi);
	if (len > klo)
		run_state(z, 2, len - klo);
}

int ptrain_run(const ptrain *pt, uint64_t key, double *rho, const ptrain_ctl *ctl)
{
	rng r = {.s = key};
	calcium_stream cs;
	calcium_stream_init(&cs, &pt->p, pt->x, &r);
	lane z = {.pt = pt, .ctl = ctl, .rho = *rho, .A = 1, .nkey = kernel_noise_key(key)};
	z.wend = pt->steps < pt->window ? pt->steps : pt->window;
	uint64_t ev = UINT64_MAX;
	double amp = 0, c = 0;
	int have = calcium_stream_event(&cs, &ev, &amp);
	/* Calcium c at the start of step z.pos; a transient of step e is added at its end. */
	while (z.pos < pt->steps && !z.stopped) {
		uint64_t e = have ? ev : UINT64_MAX;
		uint64_t end = e < pt->steps ? e + 1 : pt->steps;
		uint64_t len = end - z.pos;
		decay(&z, c, len);
		c = pt->inv_nlr == 0 ? c : c * exp((double)len * pt->lnr);
		if (e >= pt->steps)
			break;
		c += amp;
		while ((have = calcium_stream_event(&cs, &ev, &amp)) && ev == e)
			c += amp;
		poll_stop(&z);
	}
	*rho = z.rho;
	return z.stopped;
}
