/* The lockstep kernel: every path this machine has gives the same bits as the plain C path, the
 * Gaussians are Box-Muller on the stream's uniform numbers (checked against libm), and their
 * distribution is the standard normal. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "rng.h"
#include "sim.h"
#include "tap.h"

#define LANES 96

/* A mixed path: gaps, noisy and quiet runs, repeated operations, a noisy op after an odd count. */
static kernel_op ops[] = {
    {.A = 0.99, .B = 0.001, .S = 0.05, .pre = 0.003, .post = 0.003, .times = 1, .steps = 10},
    {.times = 3, .steps = 100}, /* a gap: kernel_gap in main */
    {.A = 0.98, .B = 0.002, .S = 0.07, .pre = 0.004, .post = 0.004, .times = 5, .steps = 10},
    {.A = 0.97, .B = 0.0, .S = 0.0, .pre = 0.004, .post = 0.004, .times = 1, .steps = 10},
    {.A = 0.995, .B = 0.003, .S = 0.02, .pre = 0.001, .post = 0.001, .times = 2, .steps = 10},
};

static void run_path(kernel_isa isa, double *rho, uint64_t *draw)
{
	static uint64_t key[LANES];
	double spare[LANES];
	for (int i = 0; i < LANES; i++) {
		key[i] = kernel_noise_key(rng_mix64((uint64_t)i * 7919 + 3));
		rho[i] = (i & 1) ? 1.0 : 0.0;
		spare[i] = 0;
	}
	kernel_force(isa);
	kernel_lanes l = {rho, spare, key, LANES};
	*draw = 0;
	for (int r = 0; r < 200; r++)
		kernel_run(ops, sizeof ops / sizeof ops[0], 1, 0.4, draw, &l);
}

/* The Gaussian kernel_gauss should give, from the same 64-bit numbers, with libm. */
static void libm_pair(uint64_t key, uint64_t j, double *z0, double *z1)
{
	uint64_t b1 = rng_mix64(key + (2 * j + 1) * 0x9e3779b97f4a7c15ULL);
	uint64_t b2 = rng_mix64(key + (2 * j + 2) * 0x9e3779b97f4a7c15ULL);
	double u1 = 1.0 - (double)(b1 >> 12) * 0x1p-52; /* (0, 1] */
	double u = (double)(b2 >> 2) * 0x1p-62;         /* [0, 1) */
	double r = sqrt(-2 * log(u1));
	*z0 = r * cos(2 * M_PI * u);
	*z1 = r * sin(2 * M_PI * u);
}

int main(void)
{
	kernel_gap(&ops[1], 0.02, 2, 0.4);
	/* 1. Every path against the plain one, bit for bit. */
	static double want[LANES], got[LANES];
	uint64_t dw, dg;
	run_path(KERNEL_PLAIN, want, &dw);
	int paths = 0;
	for (int isa = KERNEL_SSE2; isa < KERNEL_ISAS; isa++) {
		if (!kernel_available((kernel_isa)isa)) {
			tap_diag("this CPU has no %s path", kernel_name((kernel_isa)isa));
			continue;
		}
		paths++;
		run_path((kernel_isa)isa, got, &dg);
		int diff = -1;
		for (int i = 0; i < LANES && diff < 0; i++)
			if (memcmp(&want[i], &got[i], sizeof want[i]) != 0)
				diff = i;
		ok(diff < 0 && dg == dw,
		   "%s: %d lanes x 200 rounds, the same bits as plain C (lane 0: %.17g)",
		   kernel_name((kernel_isa)isa), LANES, got[0]);
		if (diff >= 0)
			tap_diag("lane %d: plain %.17g, %s %.17g", diff, want[diff],
			         kernel_name((kernel_isa)isa), got[diff]);
	}
	ok(paths >= 1 || !kernel_available(KERNEL_SSE2), "at least one vector path was compared (%d)", paths);
	int finite = 1;
	for (int i = 0; i < LANES; i++)
		finite &= isfinite(want[i]) && want[i] > -1 && want[i] < 2;
	ok(finite, "the paths stay finite and near [0, 1]");

	/* 1b. Repeats in one call (a periodic protocol's) equal one call per repeat, on every path: with
	 * one noisy application per repeat the Box-Muller pairs straddle the calls and the batches. */
	for (int isa = KERNEL_PLAIN; isa < KERNEL_ISAS; isa++) {
		if (kernel_force((kernel_isa)isa) < 0)
			continue;
		static double one[LANES], many[LANES], sp1[LANES], sp2[LANES];
		static uint64_t key[LANES];
		for (int i = 0; i < LANES; i++) {
			key[i] = kernel_noise_key(rng_mix64((uint64_t)i * 31 + 1));
			one[i] = many[i] = (i & 1) ? 1.0 : 0.0;
			sp1[i] = sp2[i] = 0;
		}
		kernel_lanes l1 = {one, sp1, key, LANES}, l2 = {many, sp2, key, LANES};
		uint64_t d1 = 0, d2 = 0;
		for (int r = 0; r < 37; r++)
			kernel_run(ops, 2, 1, 0.4, &d1, &l1);
		kernel_run(ops, 2, 37, 0.4, &d2, &l2);
		ok(memcmp(one, many, sizeof one) == 0 && d1 == d2 && d2 == 37,
		   "%s: 37 repeats in one call = 37 calls, bit for bit (%llu Gaussians)",
		   kernel_name((kernel_isa)isa), (unsigned long long)d2);
	}

	/* 2. The whole Monte Carlo: counts and every synapse's rho the same on every path. */
	param_set p;
	params_defaults(&p);
	p.v[P_PAIRS] = 20;
	sim_point *sp = sim_point_new(&p, 22, SIM_SEGMENTS);
	uint64_t ref_u = 0, ref_d = 0;
	double ref_rho[8];
	kernel_force(KERNEL_PLAIN);
	sim_run_block(sp, 5, 0, 77, NULL, 0, &ref_u, &ref_d);
	for (int k = 0; k < 8; k++)
		ref_rho[k] = sim_synapse(sp, 5, k & 1, (uint64_t)k * 9);
	for (int isa = KERNEL_SSE2; isa < KERNEL_ISAS; isa++) {
		if (kernel_force((kernel_isa)isa) < 0)
			continue;
		uint64_t u = 0, d = 0;
		sim_run_block(sp, 5, 0, 77, NULL, 0, &u, &d);
		ok(u == ref_u && d == ref_d, "%s: sim_run_block counts %llu/%llu as plain C",
		   kernel_name((kernel_isa)isa), (unsigned long long)u, (unsigned long long)d);
	}
	kernel_force(KERNEL_PLAIN);
	/* A synapse alone (the teaching views) ends where its lane in a block ends: count the lanes
	 * one by one. */
	uint64_t u1 = 0, d1 = 0;
	for (uint64_t r = 0; r < 77; r++) {
		u1 += sim_synapse(sp, 5, 0, r) > p.v[P_RHO_STAR];
		d1 += sim_synapse(sp, 5, 1, r) < p.v[P_RHO_STAR];
	}
	ok(u1 == ref_u && d1 == ref_d, "sim_synapse one by one gives the block's counts (%llu/%llu)",
	   (unsigned long long)u1, (unsigned long long)d1);
	ok(ref_rho[0] != ref_rho[2], "different repetitions, different paths");
	sim_point_free(sp);

	/* 3. The polynomials against libm: the same Box-Muller pair within a few ulps. */
	double worst = 0;
	for (uint64_t j = 0; j < 200000; j++) {
		uint64_t key = kernel_noise_key(j / 1000);
		double z0, z1;
		libm_pair(key, j, &z0, &z1);
		double g0 = kernel_gauss(key, 2 * j), g1 = kernel_gauss(key, 2 * j + 1);
		double e = fmax(fabs(g0 - z0), fabs(g1 - z1)) / fmax(1, hypot(z0, z1));
		worst = fmax(worst, e);
	}
	ok(worst < 1e-14, "200,000 pairs agree with libm's Box-Muller on the same numbers (worst %.2g)",
	   worst);

	/* 3b. A quiet gap's step (the Taylor polynomial of the cubic's flow) against the flow itself,
	 * integrated with 10,000 RK4 substeps in long double, for the longest step a gap takes (0.025
	 * tau) and shorter ones, rho in [-0.2, 1.2]. */
	{
		double worst = 0, worst_du = 0;
		const double rs[] = {0.5, 0.3, 0.7}, dus[] = {0.001, 0.0066, 0.025};
		for (int a = 0; a < 3; a++)
			for (int b = 0; b < 3; b++) {
				kernel_op g = {.times = 1, .steps = 1};
				kernel_gap(&g, dus[b], 1, rs[a]);
				for (int k = 0; k <= 70; k++) {
					double r0 = -0.2 + 0.02 * k, r = r0;
					uint64_t dw = 0;
					kernel_lanes one = {&r, NULL, NULL, 1};
					kernel_run_plain(&g, 1, 1, rs[a], &dw, &one);
					long double y = r0, h = (long double)dus[b] / 10000, rsa = rs[a];
					for (int i = 0; i < 10000; i++) {
#define F(x) (-(x) * (1 - (x)) * (rsa - (x)))
						long double k1 = F(y), k2 = F(y + h / 2 * k1),
						            k3 = F(y + h / 2 * k2), k4 = F(y + h * k3);
#undef F
						y += h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
					}
					double e = fabs(r - (double)y);
					if (e > worst)
						worst = e, worst_du = dus[b];
				}
			}
		ok(worst < 1e-8,
		   "a quiet gap's step is the cubic's flow within %.2g (worst at du %g; bound 1e-8)", worst,
		   worst_du);
	}

	/* 4. The distribution: moments and tail fractions of 4 million draws. */
	const int n = 4000000;
	double s1 = 0, s2 = 0, s3 = 0, s4 = 0;
	long beyond2 = 0, beyond3 = 0;
	for (int i = 0; i < n; i++) {
		double z = kernel_gauss(kernel_noise_key((uint64_t)(i / 161)), (uint64_t)(i % 161));
		s1 += z, s2 += z * z, s3 += z * z * z, s4 += z * z * z * z;
		beyond2 += fabs(z) > 2;
		beyond3 += fabs(z) > 3;
	}
	double m = s1 / n, v = s2 / n, sk = s3 / n, ku = s4 / n;
	ok(fabs(m) < 5 / sqrt(n), "mean %.5f (SE %.5f)", m, 1 / sqrt(n));
	ok(fabs(v - 1) < 5 * sqrt(2.0 / n), "variance %.5f (SE %.5f)", v, sqrt(2.0 / n));
	ok(fabs(sk) < 5 * sqrt(15.0 / n), "third moment %.4f (SE %.4f)", sk, sqrt(15.0 / n));
	ok(fabs(ku - 3) < 5 * sqrt(96.0 / n), "fourth moment %.4f (SE %.4f)", ku, sqrt(96.0 / n));
	double p2 = 0.04550026389635842, p3 = 0.0026997960632601866;
	ok(fabs((double)beyond2 / n - p2) < 5 * sqrt(p2 * (1 - p2) / n), "P(|z| > 2) = %.5f (exact %.5f)",
	   (double)beyond2 / n, p2);
	ok(fabs((double)beyond3 / n - p3) < 5 * sqrt(p3 * (1 - p3) / n), "P(|z| > 3) = %.5f (exact %.5f)",
	   (double)beyond3 / n, p3);

	/* 5. Names and forcing. */
	ok(kernel_parse("avx2") == KERNEL_AVX2 && kernel_parse("plain") == KERNEL_PLAIN &&
	       kernel_parse("x") < 0,
	   "path names parse");
	ok(kernel_force(KERNEL_ISAS) < 0, "an unknown path cannot be forced");
	return tap_done();
}
