/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The deterministic weight model (2020) against an independent computation of family.md's equations:
 * the authors' timing (post spike at t_pre + dt - D, undelayed pre calcium), threshold crossings
 * found by bisection instead of logarithms, the weight integrated by RK4 over each stretch instead of
 * its closed form, and the depression variable kept as "what is left after a spike". For each of
 * the six 2020 presets, on its experiment's presentation protocol, at several frequencies and
 * dt = +-10 ms, the program's change must agree to 1e-6. Then the irregular protocol: the program's
 * mean over trials against an independent Monte Carlo of the spec's protocol (z-test). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analytic.h"
#include "calcium.h"
#include "rng.h"
#include "family.h"
#include "inifile.h"
#include "kernel.h"
#include "params.h"
#include "tap.h"
#include "weight.h"
#include "wlanes.h"

/* ---- the reference ------------------------------------------------------------------------------- */

typedef struct ref {
	double tau_ca, th_d, th_p, gd, gp, tau, cpre_amp, cpost_amp, eta, U, tau_rec;
	int scaled;
	int rk_steps; /* RK4 steps per stretch */
	double cpre, cpost, w, left, t_last_pre;
	int any_pre;
} ref;

static void ref_init(ref *r, const param_set *p)
{
	const double *v = p->v;
	memset(r, 0, sizeof *r);
	r->tau_ca = v[P_TAU_CA_MS] / 1000;
	r->th_d = v[P_THETA_D];
	r->th_p = v[P_THETA_P];
	r->gd = v[P_GAMMA_D];
	r->gp = v[P_GAMMA_P];
	r->tau = v[P_TAU_S];
	r->cpre_amp = v[P_C_PRE];
	r->cpost_amp = v[P_C_POST] * v[P_C_POST_SCALE];
	r->U = v[P_STD_U];
	r->tau_rec = v[P_TAU_REC_MS] / 1000;
	r->scaled = v[P_PRE_SCALED] != 0;
	double a = r->cpre_amp * (r->U > 0 ? r->U : 1) * (r->scaled ? 0.5 : 1);
	r->eta = v[P_NL] == 1 ? 0 : (v[P_NL] * (r->cpost_amp + a) - r->cpost_amp) / a - 1;
	r->w = 0.5;
	r->rk_steps = 32;
}

/* The time in [0, L] at which c0 exp(-t / tau_ca) falls to theta, by bisection. */
static double fall_time(const ref *r, double c0, double theta, double L)
{
	if (c0 <= theta)
		return 0;
	if (c0 * exp(-L / r->tau_ca) > theta)
		return L;
	double a = 0, b = L;
	for (int i = 0; i < 200 && b - a > 1e-13; i++) {
		double m = 0.5 * (a + b);
		if (c0 * exp(-m / r->tau_ca) > theta)
			a = m;
		else
			b = m;
	}
	return 0.5 * (a + b);
}

/* tau dw/dt = gp (1 - w) hp - gd w hd over a stretch of length len, by RK4 in small steps. */
static double rk4(const ref *r, double w, double len, int hp, int hd)
{
	int n = r->rk_steps;
	double h = len / n;
	for (int i = 0; i < n; i++) {
#define F(W) ((r->gp * (1 - (W)) * hp - r->gd * (W)*hd) / r->tau)
		double k1 = F(w), k2 = F(w + h / 2 * k1), k3 = F(w + h / 2 * k2), k4 = F(w + h * k3);
#undef F
		w += h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
	}
	return w;
}

static void ref_run(ref *r, double L)
{
	double c0 = r->cpre + r->cpost;
	if (L <= 0)
		return;
	double tp = fall_time(r, c0, r->th_p, L), td = fall_time(r, c0, r->th_d, L);
	if (tp > 0)
		r->w = rk4(r, r->w, tp, 1, 1);
	if (td > tp)
		r->w = rk4(r, r->w, td - tp, 0, 1);
	r->cpre *= exp(-L / r->tau_ca);
	r->cpost *= exp(-L / r->tau_ca);
}

static void ref_pre(ref *r, double t)
{
	double x = 1;
	if (r->any_pre)
		x = 1 - (1 - r->left) * exp(-(t - r->t_last_pre) / r->tau_rec);
	double amp = (r->scaled ? r->w : 1) * r->cpre_amp;
	if (r->U > 0) {
		amp *= r->U * x;
		r->left = x - r->U * x; /* the resources the spike leaves */
	}
	r->cpre += amp;
	r->any_pre = 1;
	r->t_last_pre = t;
}

static void ref_post(ref *r)
{
	r->cpost += r->cpost_amp + r->eta * r->cpre;
}

typedef struct spike {
	double t;
	int post;
} spike;

static int by_time(const void *a, const void *b)
{
	const spike *x = a, *y = b;
	return x->t != y->t ? (x->t > y->t) - (x->t < y->t) : x->post - y->post;
}

/* The spikes given in time order (pre first on a tie), then 10 s: w / w0. */
static double ref_change(const param_set *p, spike *s, int n)
{
	qsort(s, (size_t)n, sizeof *s, by_time);
	ref r;
	ref_init(&r, p);
	double t = s[0].t;
	for (int i = 0; i < n; i++) {
		ref_run(&r, s[i].t - t);
		t = s[i].t;
		if (s[i].post)
			ref_post(&r);
		else
			ref_pre(&r, t);
	}
	ref_run(&r, 10);
	return r.w / 0.5;
}

/* family.md's presentation protocol in the authors' timing: undelayed pre calcium, the post spike at
 * t_pre + dt - D. */
static double ref_presentations(const param_set *p, double f, double dt_ms, int npres, double interval)
{
	double D = p->v[P_DELAY_MS] / 1000, dt = dt_ms / 1000;
	spike s[2 * 5 * 15];
	int n = 0;
	for (int k = 0; k < npres; k++)
		for (int j = 0; j < 5; j++) {
			double tp = 0.1 + k * interval + j / f;
			s[n++] = (spike){tp, 0};
			s[n++] = (spike){tp + dt - D, 1};
		}
	return ref_change(p, s, n);
}

/* ---- the tests --------------------------------------------------------------------------------- */

static int load(const char *dir, const char *name, param_set *p)
{
	char path[4096], err[INIFILE_ERRLEN];
	snprintf(path, sizeof path, "%s/%s.ini", dir, name);
	params_defaults(p);
	if (inifile_load(path, p, err, sizeof err) < 0) {
		tap_diag("%s", err);
		return -1;
	}
	return 0;
}

static void presets_agree(const char *dir)
{
	static const char *const names[] = {"deperrois2020-visual",
	                                    "deperrois2020-visual-nonlinear",
	                                    "deperrois2020-visual-nostd",
	                                    "deperrois2020-somatosensory",
	                                    "deperrois2020-somatosensory-nonlinear",
	                                    "deperrois2020-somatosensory-nostd"};
	static const double freqs[] = {2, 5, 10, 20, 30, 40, 50};
	for (int k = 0; k < 6; k++) {
		param_set p;
		if (!ok(load(dir, names[k], &p) == 0, "%s loads", names[k]))
			continue;
		int visual = strstr(names[k], "visual") != NULL;
		ok(p.v[P_EFFICACY] == EFFICACY_WEIGHT && p.v[P_PAIRS] == 5 &&
		       p.v[P_PRESENTATIONS] == (visual ? 15 : 10) && p.v[P_INTERVAL_S] == (visual ? 10 : 4),
		   "%s: the weight model on its experiment's protocol", names[k]);
		double worst = 0, worst_dev = 0;
		int agree = 1;
		for (int dsign = -1; dsign <= 1; dsign += 2)
			for (size_t i = 0; i < sizeof freqs / sizeof *freqs; i++) {
				param_set q = p;
				q.v[P_FIXED_DT_MS] = 10 * dsign;
				double got, want = ref_presentations(&q, freqs[i], 10 * dsign,
				                                     visual ? 15 : 10, visual ? 10 : 4);
				if (weight_regular(&q, freqs[i], &got) < 0)
					got = NAN;
				double dev = fabs(got - want);
				if (!(dev <= 1e-6))
					agree = 0, tap_diag("%g Hz, dt %+d ms: %.12g, reference %.12g",
					                    freqs[i], 10 * dsign, got, want);
				if (dev > worst_dev || worst == 0)
					worst_dev = dev > worst_dev ? dev : worst_dev, worst = want;
				/* The plotted and fitted curve (analytic_at) is the same exact number. */
				analytic_point a;
				analytic_at(&q, freqs[i], &a);
				if (a.change != got)
					agree = 0, tap_diag("analytic_at differs at %g Hz", freqs[i]);
			}
		ok(agree,
		   "%s: change at 2-50 Hz, dt = +-10 ms, agrees with the reference to 1e-6 (largest "
		   "deviation %.2g)",
		   names[k], worst_dev);
	}
}

/* A change the reference can see: a model with no potentiation must depress at +10 ms. */
static void sanity(const char *dir)
{
	param_set p;
	if (load(dir, "deperrois2020-visual", &p) < 0)
		return;
	double c;
	weight_regular(&p, 20, &c);
	p.v[P_GAMMA_P] = 0;
	double d;
	weight_regular(&p, 20, &d);
	ok(c > 1.1 && d < 1 && fabs(d - ref_presentations(&p, 20, 10, 15, 10)) < 1e-6,
	   "without gamma_p the change at 20 Hz falls below 1 (%.4f -> %.4f), as the reference's", c, d);
}

/* ---- irregular pairs: an independent Monte Carlo ------------------------------------------------ */

/* xorshift64*, a different generator from the program's. */
static uint64_t xs_state;
static double uniform(void)
{
	xs_state ^= xs_state >> 12;
	xs_state ^= xs_state << 25;
	xs_state ^= xs_state >> 27;
	return (double)((xs_state * 2685821657736338717ULL) >> 11) * 0x1p-53;
}

/* One trial of family.md's irregular protocol: all spikes drawn first, then sorted and run. */
static double ref_irregular(const param_set *p, double dt_ms, double rpre, double rpost, double prob)
{
	double T = p->v[P_DURATION_S], D = p->v[P_DELAY_MS] / 1000;
	int cap = (int)(4 * (rpre + rpost) * T) + 64, n = 0;
	spike *s = malloc((size_t)cap * sizeof *s);
	for (double t = -log(1 - uniform()) / rpre; t < T; t += -log(1 - uniform()) / rpre) {
		if (n + 2 > cap)
			s = realloc(s, (size_t)(cap *= 2) * sizeof *s);
		if (t + D < T)
			s[n++] = (spike){t + D, 0};
		double tq = t + dt_ms / 1000;
		if (uniform() < prob && tq > 0 && tq < T)
			s[n++] = (spike){tq, 1};
	}
	double ri = rpost - prob * rpre;
	for (double t = ri > 0 ? -log(1 - uniform()) / ri : T; t < T; t += -log(1 - uniform()) / ri) {
		if (n + 1 > cap)
			s = realloc(s, (size_t)(cap *= 2) * sizeof *s);
		s[n++] = (spike){t, 1};
	}
	qsort(s, (size_t)n, sizeof *s, by_time);
	ref r;
	ref_init(&r, p);
	r.rk_steps = 4; /* far below the sampling error */
	double t = 0;
	for (int i = 0; i < n; i++) {
		ref_run(&r, s[i].t - t);
		t = s[i].t;
		if (s[i].post)
			ref_post(&r);
		else
			ref_pre(&r, t);
	}
	ref_run(&r, T - t);
	free(s);
	return r.w / 0.5;
}

/* The irregular protocol at 20 Hz with pairing probability prob, n points over dt_max_ms = -dt_min_ms. */
static void irregular(const char *dir, const char *name, int trials, double prob, int n, double dt_ms)
{
	param_set p;
	if (load(dir, name, &p) < 0)
		return;
	p.v[P_PROTOCOL] = PROTO_IRREGULAR;
	p.v[P_RATE_PRE_HZ] = p.v[P_RATE_POST_HZ] = 20;
	p.v[P_PAIR_PROB] = prob;
	p.v[P_DT_MIN_MS] = -dt_ms;
	p.v[P_DT_MAX_MS] = dt_ms;
	p.v[P_POINTS] = n;
	p.v[P_REPS] = trials;
	family_point pt[16];
	char err[256];
	if (!ok(n <= 16 && family_curve(&p, 2, pt, err, sizeof err) == 0, "%s: irregular curve computes",
	        name))
		return;
	double zmax = 0;
	for (int i = 0; i < n; i++) {
		double a = 0, b = 0;
		for (int k = 0; k < trials; k++) {
			double c = ref_irregular(&p, pt[i].x, 20, 20, prob);
			a += c, b += c * c;
		}
		double m = a / trials, var = (b - a * m) / (trials - 1);
		double se_prog = (pt[i].hi - pt[i].change) / 1.959964;
		double z = (pt[i].change - m) / sqrt(se_prog * se_prog + var / trials);
		if (fabs(z) > zmax)
			zmax = fabs(z);
	}
	/* Up to 11 points: |z| beyond 4 has a chance below 1e-3 if both compute the same mean. */
	ok(zmax < 4,
	   "%s: irregular pairs (20 Hz, p = %g, dt -%g..%g ms) agree with an independent Monte Carlo: "
	   "largest |z| %.2f over %d points, %d trials each",
	   name, prob, dt_ms, dt_ms, zmax, n, trials);
}

/* The same bits from every instruction set's lanes and every thread count, for each way the lanes
 * hold a train: some pre spikes paired with independent posts too (with depression), every one
 * paired and no independent posts, none paired (Poisson: independent trains, no depression). */
static void same_bits(const char *dir)
{
	static const struct {
		const char *preset;
		int protocol;
		double rpre, rpost, prob;
	} cases[] = {
	    {"deperrois2020-somatosensory-nonlinear", PROTO_IRREGULAR, 15, 25, 0.5},
	    {"deperrois2020-visual", PROTO_IRREGULAR, 20, 20, 1},
	    {"deperrois2020-visual-nostd", PROTO_POISSON, 12, 0, 0},
	};
	for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
		param_set p;
		if (load(dir, cases[c].preset, &p) < 0)
			continue;
		p.v[P_PROTOCOL] = cases[c].protocol;
		p.v[P_RATE_PRE_HZ] = cases[c].rpre;
		p.v[P_RATE_POST_HZ] = cases[c].rpost;
		p.v[P_PAIR_PROB] = cases[c].prob;
		p.v[P_POINTS] = 5;
		p.v[P_REPS] = 301; /* blocks and lanes end part-way */
		family_point ref[5], got[5];
		char err[256];
		kernel_isa first = kernel_current();
		int have = family_curve(&p, 1, ref, err, sizeof err) == 0, same = have, paths = 0;
		for (int isa = 0; isa < KERNEL_ISAS && have; isa++) {
			if (!kernel_available((kernel_isa)isa))
				continue;
			kernel_force((kernel_isa)isa);
			paths++;
			for (int threads = 1; threads <= 3; threads++) {
				memset(got, 0, sizeof got);
				if (family_curve(&p, threads, got, err, sizeof err) != 0 ||
				    memcmp(got, ref, sizeof got) != 0) {
					same = 0;
					tap_diag("%s, %d threads: differs", kernel_name((kernel_isa)isa),
					         threads);
				}
			}
		}
		kernel_force(first);
		ok(same && paths >= 1,
		   "%s, %s at pairing probability %g: the same bits from %d instruction sets and 1-3 threads",
		   cases[c].preset, cases[c].protocol == PROTO_POISSON ? "Poisson" : "irregular",
		   cases[c].prob, paths);
	}
}

/* ---- the lanes trial by trial against weight.c ------------------------------------------------- */

/* Uniform in [0, 1) as the lanes draw it from a stream. */
static double lane_uniform(rng *r)
{
	union {
		uint64_t u;
		double d;
	} b = {.u = (rng_u64(r) >> 12) | 0x3ff0000000000000ULL};
	return b.d - 1.0;
}

typedef struct wev {
	double t;
	int kind; /* 0: presynaptic transient, 1: paired post, 2: independent post (this order on a tie) */
} wev;

static int by_kind_time(const void *a, const void *b)
{
	const wev *x = a, *y = b;
	if (x->t != y->t)
		return (x->t > y->t) - (x->t < y->t);
	return x->kind - y->kind;
}

/* Trial `trial` of point `index` of a random protocol, drawn from the lanes' streams (libm's log
 * for the intervals) and run event by event by weight.c: w / w0 at the end. */
static double scalar_trial(const wlanes_setup *su, uint64_t trial)
{
	rng rp, rc, ri;
	rng_init(&rp, su->seed, su->index, 2, trial);
	rng_init(&rc, su->seed, su->index, 3, trial);
	rng_init(&ri, su->seed, su->index, 4, trial);
	size_t n = 0, cap = 64;
	wev *e = malloc(cap * sizeof *e);
	for (double t = -log(1 - lane_uniform(&rp)) / su->rpre; e && t < su->T;
	     t += -log(1 - lane_uniform(&rp)) / su->rpre) {
		if (n + 2 > cap)
			e = realloc(e, (cap *= 2) * sizeof *e);
		if (!e)
			break;
		e[n++] = (wev){t + su->m.delay, 0};
		double tq = t + su->dt;
		if (su->prob > 0 && (su->prob >= 1 || lane_uniform(&rc) < su->prob) && tq > 0 && tq < su->T)
			e[n++] = (wev){tq, 1};
	}
	for (double t = su->rind > 0 ? -log(1 - lane_uniform(&ri)) / su->rind : su->T; e && t < su->T;
	     t += -log(1 - lane_uniform(&ri)) / su->rind) {
		if (n + 1 > cap)
			e = realloc(e, (cap *= 2) * sizeof *e);
		if (e)
			e[n++] = (wev){t, 2};
	}
	if (!e)
		return NAN;
	qsort(e, n, sizeof *e, by_kind_time);
	weight_state s;
	weight_state_init(&s, 0);
	for (size_t k = 0; k < n && e[k].t < su->T; k++)
		(e[k].kind ? weight_post : weight_pre)(&s, &su->m, e[k].t);
	weight_advance(&s, &su->m, su->T);
	free(e);
	return s.w / PARAMS_W0;
}

/* Every trial of the lanes (each path) is weight.c's on the same trains up to the last bits of the
 * spike times and of the two exp and log: their own tables, polynomials and train generation
 * checked trial by trial for each way they hold a train. */
static void lanes_trials(const char *dir)
{
	static const struct {
		const char *preset;
		int protocol;
		double rpre, rpost, prob, x;
	} cases[] = {
	    {"deperrois2020-visual", PROTO_IRREGULAR, 20, 20, 1, -30},
	    {"deperrois2020-visual", PROTO_IRREGULAR, 20, 20, 1, 60},
	    {"deperrois2020-somatosensory-nonlinear", PROTO_IRREGULAR, 15, 25, 0.5, 10},
	    {"deperrois2020-visual-nostd", PROTO_POISSON, 12, 0, 0, 30},
	    {"graupner2016-nonlinear", PROTO_IRREGULAR, 30, 40, 0.6, -15},
	};
	kernel_isa first = kernel_current();
	for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
		param_set p;
		if (load(dir, cases[c].preset, &p) < 0)
			continue;
		p.v[P_PROTOCOL] = cases[c].protocol;
		p.v[P_RATE_PRE_HZ] = cases[c].rpre;
		p.v[P_RATE_POST_HZ] = cases[c].rpost;
		p.v[P_PAIR_PROB] = cases[c].prob;
		wlanes_setup su;
		wlanes_setup_init(&su, &p, 3, cases[c].x);
		enum { N = 40 };
		double want[N], worst = 0;
		for (int k = 0; k < N; k++)
			want[k] = scalar_trial(&su, (uint64_t)k);
		int paths = 0;
		for (int isa = 0; isa < KERNEL_ISAS; isa++) {
			if (!kernel_available((kernel_isa)isa))
				continue;
			kernel_force((kernel_isa)isa);
			paths++;
			wlanes_buf buf = {0};
			for (int k = 0; k < N; k += WLANES) {
				double got[WLANES];
				uint32_t n = N - k < WLANES ? (uint32_t)(N - k) : WLANES;
				wlanes_run(&su, (uint64_t)k, n, got, &buf);
				for (uint32_t l = 0; l < n; l++) {
					double d = fabs(got[l] - want[k + l]);
					if (!(d <= worst))
						worst = d;
				}
			}
			wlanes_buf_free(&buf);
		}
		kernel_force(first);
		ok(worst < 1e-10 && paths >= 1,
		   "%s, %s, p = %g, x = %g: %d trials of the lanes (%d paths) are weight.c's on the same "
		   "trains (largest difference %.2g)",
		   cases[c].preset, cases[c].protocol == PROTO_POISSON ? "Poisson" : "irregular",
		   cases[c].prob, cases[c].x, (int)N, paths, worst);
	}
}

/* The bistable model's irregular trains (the calcium stream at 0.1 ms steps): spike counts and the
 * share of post spikes that follow a pre spike by dt are the protocol's, within sampling error. */
static void bistable_trains(void)
{
	param_set p;
	params_defaults(&p);
	p.v[P_PROTOCOL] = PROTO_IRREGULAR;
	p.v[P_RATE_PRE_HZ] = 10;
	p.v[P_RATE_POST_HZ] = 12;
	p.v[P_PAIR_PROB] = 0.5;
	p.v[P_C_PRE] = 1, p.v[P_C_POST] = 2;
	double dt_ms = 20, h = p.v[P_STEP_MS];
	long delay = lround(p.v[P_DELAY_MS] / h), lag = lround(dt_ms / h);
	int trains = 400;
	double npre = 0, npost = 0, paired = 0;
	for (int k = 0; k < trains; k++) {
		rng r;
		rng_init(&r, 7, 0, 0, (uint64_t)k);
		spike_train t;
		if (spike_train_at(&p, dt_ms, &r, &t) < 0)
			break;
		for (uint32_t i = 0; i < t.n; i++) {
			if (t.amp[i] == 1) {
				npre++;
				continue;
			}
			npost++;
			/* A pre transient delay - lag steps from this post spike (+-1 step of rounding)? */
			long want = (long)t.step[i] - lag + delay;
			for (uint32_t j = 0; j < t.n; j++)
				if (t.amp[j] == 1 && labs((long)t.step[j] - want) <= 1) {
					paired++;
					break;
				}
		}
		spike_train_free(&t);
	}
	double T = p.v[P_DURATION_S] * trains;
	double z_pre = (npre - 10 * T) / sqrt(10 * T), z_post = (npost - 12 * T) / sqrt(12 * T);
	/* Paired: 5 Hz of the 12; an independent post lands on a pre's window by chance 0.3% of times. */
	double share = paired / npost, want = 5.0 / 12 + 7.0 / 12 * 10 * 3 * h * 1e-3;
	double z_share = (share - want) / sqrt(want * (1 - want) / npost);
	ok(fabs(z_pre) < 4 && fabs(z_post) < 4 && fabs(z_share) < 4,
	   "bistable irregular trains: %.0f pre and %.0f post spikes over %g s (z %.2f, %.2f), %.4f of the "
	   "posts paired at dt (want %.4f, z %.2f)",
	   npre, npost, T, z_pre, z_post, share, want, z_share);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : getenv("CALCIUM_STDP_PARAMS");
	if (!dir)
		dir = "params";
	presets_agree(dir);
	sanity(dir);
	same_bits(dir);
	lanes_trials(dir);
	bistable_trains();
	xs_state = 0x2545F4914F6CDD1DULL;
	irregular(dir, "deperrois2020-visual", 2000, 0.6, 11, 50);
	irregular(dir, "graupner2016-nonlinear", 2000, 0.6, 11, 50);
	/* Every pre spike paired (the paired posts are the pre train shifted; those before 0 dropped),
	 * no independent posts, dt out to the curve's +-100 ms. */
	irregular(dir, "deperrois2020-visual", 2000, 1, 5, 100);
	return tap_done();
}
