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
	for (int t = 0; t < PTRAIN_TABLE; t++)
		pt->decay[t] = exp(t * pt->lnr);
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

/* The window being composed: rho <- A rho + B + sqrt(V) xi over it, and D, what a drift of 1 per
 * unit time adds over it carried through the same linear maps. */
typedef struct acc {
	double A, B, V, D;
} acc;

/* The cubic drift alone over drift time u (units of tau): a step of Heun's method (u is at most
 * PTRAIN_MAX_U, where its error is below 1e-9). */
static inline double flow(const ptrain *pt, double r, double u)
{
	double f1 = r * (pt->c0 + r * (pt->c1 - r));
	double r1 = r + u * f1;
	double f2 = r1 * (pt->c0 + r1 * (pt->c1 - r1));
	return r + (0.5 * u) * (f1 + f2);
}

/* rho after a window of `steps` steps composed into w, the cubic drift split around the composed map
 * so that a constant drift comes out exactly (pre before, post after: pre + post = T, A pre + post =
 * D); its Gaussian is number win of the noise key's. */
static double close_window(const ptrain *pt, double rho, acc w, uint64_t steps, uint64_t nkey, uint64_t win)
{
	double T = pt->a * (double)steps;
	double c = 1 - w.A;
	double pre = c > 1e-12 ? (T - w.D) / c : 0.5 * T;
	if (!(pre >= 0 && pre <= T))
		pre = 0.5 * T;
	double r = flow(pt, rho, pre);
	r = w.A * r + w.B;
	if (w.V > 0)
		r += sqrt(w.V) * kernel_gauss(nkey, win);
	return flow(pt, r, T - pre);
}

/* t steps of threshold state s (0 above both, 1 between) composed into w. */
static inline void compose(const ptrain *pt, acc *w, int s, uint64_t t)
{
	const ptrain_state *q = &pt->st[s];
	double td = (double)t;
	double A = 1, g = td, v = q->s2 * td;
	if (q->k > 0) {
		double e = t < PTRAIN_TABLE ? q->e[t] : expm1(td * q->l); /* (1 - k)^t - 1 */
		A = 1 + e;
		g = -e * q->ik;           /* sum of (1 - k)^j, j < t */
		v = -e * (2 + e) * q->iv; /* s2 times the sum of (1 - k)^2j */
	}
	w->B = A * w->B + q->m * g;
	w->D = A * w->D + pt->a * g;
	w->V = (A * A) * w->V + v;
	w->A = A * w->A;
}

/* compose for 0 <= t < PTRAIN_TABLE and k > 0, without branches: t = 0 leaves w as it is. */
static inline void compose_tab(const ptrain *pt, acc *w, int s, uint64_t t)
{
	const ptrain_state *q = &pt->st[s];
	double e = q->e[t];
	double A = 1 + e, g = -e * q->ik, v = -e * (2 + e) * q->iv;
	w->B = A * w->B + q->m * g;
	w->D = A * w->D + pt->a * g;
	w->V = (A * A) * w->V + v;
	w->A = A * w->A;
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

/* Work between two looks at the stop flag (events and windows): a few microseconds. */
#define STOP_EVERY 64

static int stop_asked(const ptrain_ctl *c)
{
	return c && c->stop && atomic_load_explicit(c->stop, memory_order_relaxed) != c->stop_unless;
}

int ptrain_run(const ptrain *pt, uint64_t key, double *rho_io, const ptrain_ctl *ctl)
{
	rng r = {.s = key};
	calcium_stream cs;
	calcium_stream_init(&cs, &pt->p, pt->x, &r);
	const uint64_t nkey = kernel_noise_key(key), steps = pt->steps;
	void (*sample)(void *, uint64_t, double) = ctl ? ctl->sample : NULL;
	double rho = *rho_io, c = 0, amp = 0;
	acc w = {1, 0, 0, 0};
	uint64_t pos = 0, wstart = 0, wend = steps < pt->window ? steps : pt->window, win = 0;
	unsigned work = 0;
	const int fast = pt->st[0].k > 0 && pt->st[1].k > 0;
	uint64_t ev = UINT64_MAX;
	int have = calcium_stream_event(&cs, &ev, &amp);
	/* Calcium c at the start of step pos; a transient of step e is added at its end. Between
	 * transients calcium only decays: the steps above both thresholds, then between them, then
	 * quiet, each run cut at the windows' ends. */
	while (pos < steps) {
		uint64_t e = have ? ev : UINT64_MAX;
		uint64_t end = e < steps ? e + 1 : steps;
		uint64_t len = end - pos, run[3] = {0, 0, len};
		if (c > pt->lo) {
			double lc = log(c);
			uint64_t klo = above(pt, lc - pt->ln_lo, len);
			uint64_t khi = c > pt->hi ? above(pt, lc - pt->ln_hi, len) : 0;
			if (khi > klo)
				khi = klo;
			run[0] = khi, run[1] = klo - khi, run[2] = len - klo;
			/* The common case: both runs short and inside the window. */
			if (fast && klo < wend - pos && klo < PTRAIN_TABLE) {
				compose_tab(pt, &w, 0, run[0]);
				compose_tab(pt, &w, 1, run[1]);
				pos += klo;
				run[0] = run[1] = 0;
			}
		}
		for (int s = 0; s < 3; s++) {
			for (uint64_t t = run[s]; t;) {
				uint64_t n = wend - pos < t ? wend - pos : t;
				if (s < 2)
					compose(pt, &w, s, n);
				else
					w.D += pt->a * (double)n;
				pos += n;
				t -= n;
				if (pos < wend)
					continue;
				rho = close_window(pt, rho, w, wend - wstart, nkey, win++);
				if (sample)
					sample(ctl->ctx, wend, rho);
				w = (acc){1, 0, 0, 0};
				wstart = wend;
				wend = steps - wend < pt->window ? steps : wend + pt->window;
				if (++work >= STOP_EVERY) {
					work = 0;
					if (stop_asked(ctl)) {
						*rho_io = rho;
						return 1;
					}
				}
			}
		}
		c = c * (len < PTRAIN_TABLE ? pt->decay[len] : exp((double)len * pt->lnr));
		if (e >= steps)
			break;
		c += amp;
		while ((have = calcium_stream_event(&cs, &ev, &amp)) && ev == e)
			c += amp;
		if (++work >= STOP_EVERY) {
			work = 0;
			if (stop_asked(ctl)) {
				*rho_io = rho;
				return 1;
			}
		}
	}
	*rho_io = rho;
	return 0;
}
