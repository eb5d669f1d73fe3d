/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The event-driven runs of the 2012 model on random trains (ptrain.c, the segments method of
 * Poisson and irregular points) against the step-by-step Euler-Maruyama reference (every 0.1 ms step
 * of every synapse, Gaussians of its own): the same rho without noise, the same U, D and
 * distribution of rho with it (z-tests); and the same bits however the synapses are grouped and
 * whichever path of the kernel is in use. An argument N > 1 multiplies the repetitions by N (a
 * longer run for a closer look). */
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "kernel.h"
#include "ptrain.h"
#include "sim.h"
#include "tap.h"

static double scale = 1;

/* One point of a random protocol: the set's defaults with these changes. */
static void point(param_set *p, int protocol, double x)
{
	params_defaults(p);
	p->v[P_PROTOCOL] = protocol;
	p->v[P_POINTS] = 1;
	p->v[P_RATE_POST_MIN_HZ] = p->v[P_RATE_POST_MAX_HZ] = x;
	p->v[P_DT_MIN_MS] = p->v[P_DT_MAX_MS] = x;
	if (protocol != PROTO_POISSON) {
		p->v[P_RATE_PRE_HZ] = 20;
		p->v[P_RATE_POST_HZ] = 20;
		p->v[P_PAIR_PROB] = 0.6;
	}
}

/* 1. Without noise rho follows the trains alone, and the reference draws the same trains from the
 * same key: every synapse must end where the reference's does, up to the splitting of the cubic
 * drift (tau = 5 s makes it count: the runs span 2 tau). */
static void deterministic(void)
{
	static const struct {
		int protocol;
		double x;
	} pts[] = {{PROTO_POISSON, 1}, {PROTO_POISSON, 10}, {PROTO_POISSON, 40}, {PROTO_IRREGULAR, -20},
	           {PROTO_IRREGULAR, 10}};
	for (size_t k = 0; k < sizeof pts / sizeof pts[0]; k++) {
		for (int slow = 0; slow < 2; slow++) {
			param_set p;
			point(&p, pts[k].protocol, pts[k].x);
			p.v[P_SIGMA] = 0;
			if (!slow) {
				p.v[P_TAU_S] = 5;
				p.v[P_GAMMA_P] /= 30, p.v[P_GAMMA_D] /= 30;
			}
			sim_point *fast = sim_point_new(&p, 0, SIM_SEGMENTS), *ref = sim_point_new(&p, 0, SIM_REFERENCE);
			double worst = 0, moved = 0;
			for (int i = 0; i < 12; i++) {
				double x = sim_synapse(fast, 5, i & 1, (uint64_t)i);
				double y = sim_synapse(ref, 5, i & 1, (uint64_t)i);
				worst = fmax(worst, fabs(x - y));
				if (!isfinite(x))
					worst = INFINITY;
				moved = fmax(moved, fabs(y - (i & 1)));
			}
			ok(worst < (slow ? 3e-6 : 3e-5) && moved > 0.02,
			   "no noise, %s x = %g, tau %g s: 12 synapses end within %.2g of the reference's rho "
			   "(which moved up to %.3f)",
			   params_table[P_PROTOCOL].names[pts[k].protocol], pts[k].x, p.v[P_TAU_S], worst, moved);
			sim_point_free(fast);
			sim_point_free(ref);
		}
	}
}

/* 1b. The same without noise for other discretisations and thresholds: steps of 0.01 and 1 ms, the
 * potentiation threshold below the depression one (the state between them is potentiation alone),
 * and equal thresholds (no state between). */
static void deterministic_variants(void)
{
	for (int k = 0; k < 4; k++) {
		param_set p;
		point(&p, PROTO_POISSON, 20);
		p.v[P_SIGMA] = 0;
		const char *what = "";
		switch (k) {
		case 0:
			p.v[P_STEP_MS] = 0.01, what = "steps of 0.01 ms";
			break;
		case 1:
			p.v[P_STEP_MS] = 1, what = "steps of 1 ms";
			break;
		case 2:
			p.v[P_THETA_P] = 0.9, p.v[P_THETA_D] = 1.4, what = "theta_p 0.9 < theta_d 1.4";
			break;
		default:
			p.v[P_THETA_P] = p.v[P_THETA_D] = 1.2, what = "theta_p = theta_d = 1.2";
			break;
		}
		sim_point *fast = sim_point_new(&p, 0, SIM_SEGMENTS), *ref = sim_point_new(&p, 0, SIM_REFERENCE);
		double worst = 0, moved = 0;
		for (int i = 0; i < 8; i++) {
			double x = sim_synapse(fast, 6, i & 1, (uint64_t)i);
			double y = sim_synapse(ref, 6, i & 1, (uint64_t)i);
			worst = isfinite(x) ? fmax(worst, fabs(x - y)) : INFINITY;
			moved = fmax(moved, fabs(y - (i & 1)));
		}
		ok(worst < 3e-6 && moved > 0.02,
		   "no noise, poisson 20 Hz, %s: 8 synapses end within %.2g of the reference's rho (which moved "
		   "up to %.3f)",
		   what, worst, moved);
		sim_point_free(fast);
		sim_point_free(ref);
	}
}

typedef struct stats {
	double n, ups, downs; /* per state: count, DOWN-started ending UP, UP-started ending DOWN */
	double sum[2], sq[2]; /* final rho by initial state */
} stats;

static stats sample(const param_set *p, sim_method m, uint64_t seed, int reps)
{
	stats s = {0};
	sim_point *sp = sim_point_new(p, 0, m);
	for (int i = 0; i < reps; i++)
		for (int state = 0; state < 2; state++) {
			double r = sim_synapse(sp, seed, state, (uint64_t)i);
			s.sum[state] += r;
			s.sq[state] += r * r;
			if (state)
				s.downs += r < p->v[P_RHO_STAR];
			else
				s.ups += r > p->v[P_RHO_STAR];
		}
	s.n = reps;
	sim_point_free(sp);
	return s;
}

/* z of two binomial fractions ka / na and kb / nb. */
static double z_frac(double ka, double na, double kb, double nb)
{
	double a = ka / na, b = kb / nb, q = (ka + kb) / (na + nb);
	double se = sqrt(q * (1 - q) * (1 / na + 1 / nb));
	return se > 0 ? (a - b) / se : 0;
}

/* z of two means from sums and sums of squares. */
static double z_mean(double sa, double qa, double na, double sb, double qb, double nb)
{
	double ma = sa / na, mb = sb / nb;
	double va = qa / na - ma * ma, vb = qb / nb - mb * mb;
	double se = sqrt(va / na + vb / nb);
	return se > 0 ? (ma - mb) / se : 0;
}

/* 2. With noise: U, D and the mean of the final rho from each state, the event-driven runs at many
 * repetitions against the reference at fewer (it is 50 times slower), as z-scores. */
static void stochastic(void)
{
	static const struct {
		int protocol;
		double x;
	} pts[] = {{PROTO_POISSON, 2}, {PROTO_POISSON, 8}, {PROTO_POISSON, 20}, {PROTO_POISSON, 40},
	           {PROTO_IRREGULAR, -20}, {PROTO_IRREGULAR, 10}};
	int nref = (int)(500 * scale), nfast = (int)(4000 * scale);
	double zmax = 0, chi2 = 0;
	int nz = 0;
	for (size_t k = 0; k < sizeof pts / sizeof pts[0]; k++) {
		param_set p;
		point(&p, pts[k].protocol, pts[k].x);
		/* 2 s runs: U and D between 0.1 and 0.5 in a fifth of the default's steps. */
		p.v[P_DURATION_S] = 2;
		p.v[P_SIGMA] *= 2;
		stats f = sample(&p, SIM_SEGMENTS, 31, nfast), r = sample(&p, SIM_REFERENCE, 32, nref);
		double z[4] = {z_frac(f.ups, f.n, r.ups, r.n), z_frac(f.downs, f.n, r.downs, r.n),
		               z_mean(f.sum[0], f.sq[0], f.n, r.sum[0], r.sq[0], r.n),
		               z_mean(f.sum[1], f.sq[1], f.n, r.sum[1], r.sq[1], r.n)};
		for (int i = 0; i < 4; i++) {
			zmax = fmax(zmax, fabs(z[i]));
			chi2 += z[i] * z[i];
			nz++;
		}
		tap_diag("%s x = %g: U %.4f vs %.4f, D %.4f vs %.4f, mean rho %.4f vs %.4f, %.4f vs %.4f; z %.2f "
		         "%.2f %.2f %.2f",
		         params_table[P_PROTOCOL].names[pts[k].protocol], pts[k].x, f.ups / f.n, r.ups / r.n,
		         f.downs / f.n, r.downs / r.n, f.sum[0] / f.n, r.sum[0] / r.n, f.sum[1] / f.n,
		         r.sum[1] / r.n, z[0], z[1], z[2], z[3]);
	}
	/* 24 z-scores: |z| < 4 each (a 1-in-650 chance for one of them by chance alone), and their sum of
	 * squares below chi^2's 99.9% point for 24 degrees of freedom (51.2). */
	ok(zmax < 4 && chi2 < 51.2,
	   "with noise, %d reference and %d event-driven repetitions a state at 6 points: %d z-scores of U, "
	   "D and the mean final rho, largest |z| %.2f, sum of z^2 %.1f",
	   nref, nfast, nz, zmax, chi2);
}

/* 3. The same bits whatever the grouping and the kernel's path: counts of a point in one block and
 * in three, sim_synapse against the counts, on every path this CPU has. */
static void same_bits(void)
{
	param_set p;
	point(&p, PROTO_POISSON, 15);
	sim_point *sp = sim_point_new(&p, 0, SIM_SEGMENTS);
	uint64_t u1 = 0, d1 = 0;
	sim_run_block(sp, 4, 0, 90, NULL, 0, &u1, &d1);
	double ref[8];
	for (int i = 0; i < 8; i++)
		ref[i] = sim_synapse(sp, 4, i & 1, (uint64_t)i);
	int same = 1, paths = 0;
	for (int isa = 0; isa < KERNEL_ISAS; isa++) {
		if (kernel_force((kernel_isa)isa) < 0)
			continue;
		paths++;
		uint64_t u = 0, d = 0;
		sim_run_block(sp, 4, 0, 20, NULL, 0, &u, &d);
		sim_run_block(sp, 4, 20, 1, NULL, 0, &u, &d);
		sim_run_block(sp, 4, 21, 69, NULL, 0, &u, &d);
		same &= u == u1 && d == d1;
		for (int i = 0; i < 8; i++)
			same &= sim_synapse(sp, 4, i & 1, (uint64_t)i) == ref[i];
	}
	ok(same && paths >= 1 && u1 + d1 > 0,
	   "poisson: the same counts (%llu, %llu) from blocks of 90 and of 20 + 1 + 69, and the same rho "
	   "bit for bit, on %d paths of the kernel",
	   (unsigned long long)u1, (unsigned long long)d1, paths);
	/* Another key, another path. */
	ok(sim_synapse(sp, 4, 0, 3) != sim_synapse(sp, 5, 0, 3), "another seed, another synapse");
	sim_point_free(sp);
}

/* 4. The windows: at least PTRAIN_MIN_WINDOWS a run, none longer than PTRAIN_MAX_U tau. */
static void windows(void)
{
	param_set p;
	point(&p, PROTO_POISSON, 10);
	ptrain pt;
	ptrain_init(&pt, &p, 10);
	int good = ptrain_windows(&pt) >= PTRAIN_MIN_WINDOWS && pt.a * (double)pt.window <= PTRAIN_MAX_U;
	p.v[P_DURATION_S] = 1000;
	p.v[P_TAU_S] = 10;
	ptrain_init(&pt, &p, 10);
	good &= ptrain_windows(&pt) >= PTRAIN_MIN_WINDOWS && pt.a * (double)pt.window <= PTRAIN_MAX_U &&
	        pt.window * ptrain_windows(&pt) >= pt.steps;
	ok(good, "windows: at least %d a run, each at most %g tau, covering the run", PTRAIN_MIN_WINDOWS,
	   PTRAIN_MAX_U);
}

/* 5. The stop flag is read inside a synapse's run: with a stale generation from the start, a run of
 * 10^6 steps and about 3000 transients stops within STOP_EVERY (64) windows or transients, and
 * says so; with the current one it runs to its end. */
static void count_sample(void *ctx, uint64_t step, double rho)
{
	(void)step, (void)rho;
	++*(uint64_t *)ctx;
}

static void stops_inside(void)
{
	param_set p;
	point(&p, PROTO_POISSON, 100);
	p.v[P_RATE_PRE_HZ] = 100;
	p.v[P_DURATION_S] = 10;
	p.v[P_STEP_MS] = 0.01;
	ptrain pt;
	ptrain_init(&pt, &p, 100);
	atomic_uint flag;
	atomic_init(&flag, 2);
	uint64_t n_stale = 0, n_current = 0;
	ptrain_ctl stale = {&flag, 1, count_sample, &n_stale}, current = {&flag, 2, count_sample, &n_current};
	double r1 = 0, r2 = 0;
	int rc1 = ptrain_run(&pt, 77, &r1, &stale), rc2 = ptrain_run(&pt, 77, &r2, &current);
	ok(rc1 == 1 && n_stale < 64 && rc2 == 0 && n_current == ptrain_windows(&pt),
	   "a stale generation stops a run after %llu of its %llu windows; the current one runs all %llu",
	   (unsigned long long)n_stale, (unsigned long long)ptrain_windows(&pt),
	   (unsigned long long)n_current);
}

int main(int argc, char **argv)
{
	if (argc > 1 && atof(argv[1]) > 1)
		scale = atof(argv[1]);
	deterministic();
	deterministic_variants();
	windows();
	same_bits();
	stops_inside();
	stochastic();
	return tap_done();
}
