/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The lockstep kernel: every path this machine has gives the same bits as the plain C path, the
 * Gaussians are the ziggurat's on the stream's numbers (its tables checked against libm), and their
 * distribution is the standard normal, far tail included. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "rng.h"
#include "sim.h"
#include "tap.h"

#define LANES 96

/* The plain path built without the FMA instruction (kernel.c takes it on CPUs without one). */
void kernel_run_plain_c(const kernel_op *ops, uint32_t nops, uint64_t reps, double rho_star, uint64_t *draw,
                        const kernel_lanes *l);

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
	/* The plain path's two builds: C's fma (any CPU) and the FMA instruction (x86 CPUs that have it,
	 * what kernel_run_plain takes there). */
	{
		static double rho[LANES];
		static uint64_t key[LANES];
		for (int i = 0; i < LANES; i++) {
			key[i] = kernel_noise_key(rng_mix64((uint64_t)i * 7919 + 3));
			rho[i] = (i & 1) ? 1.0 : 0.0;
		}
		kernel_lanes l = {rho, NULL, key, LANES};
		uint64_t d = 0;
		for (int r = 0; r < 200; r++)
			kernel_run_plain_c(ops, sizeof ops / sizeof ops[0], 1, 0.4, &d, &l);
		ok(memcmp(rho, want, sizeof rho) == 0 && d == dw,
		   "plain C with C's fma: the same bits as the plain path in use (lane 0: %.17g)", rho[0]);
	}
	int finite = 1;
	for (int i = 0; i < LANES; i++)
		finite &= isfinite(want[i]) && want[i] > -1 && want[i] < 2;
	ok(finite, "the paths stay finite and near [0, 1]");

	/* 1b. Repeats in one call (a periodic protocol's) equal one call per repeat, on every path: with
	 * one noisy application per repeat the batches of draws straddle the calls. */
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

	/* 3. The ziggurat's tables against libm: boxes of equal area v under exp(-x^2/2) that cover it,
	 * the base box the rectangle below f(r) and the whole tail beyond r, the top one reaching 1. */
	{
		const kernel_tab *t = kernel_tables();
		const int N = KERNEL_ZIG_N;
		const double r = KERNEL_ZIG_R, v = KERNEL_ZIG_V;
		const uint64_t low = (1u << 20) - 1;
		double worst_area = 0, worst_f = 0, worst_c = 0, kept = 0;
		int order = t->zig_c[1] == r && t->zig_c[N] == 0 && t->zig_fc[N] == 1, cover = 1, sure = 1;
		for (int i = 1; i < N; i++) {
			uint64_t xb;
			memcpy(&xb, &t->zig_x[i], sizeof xb);
			double k = (double)(xb & low);
			order &= t->zig_c[i] > t->zig_c[i + 1] && t->zig_f[i] < t->zig_f[i + 1];
			cover &= t->zig_x[i] >= t->zig_c[i] && t->zig_x[i] < t->zig_c[i] * (1 + 0x1p-30);
			worst_area = fmax(worst_area, fabs(t->zig_x[i] * (t->zig_f[i + 1] - t->zig_f[i]) / v - 1));
			worst_f = fmax(worst_f, fabs(t->zig_f[i] / exp(-0.5 * t->zig_c[i] * t->zig_c[i]) - 1));
			worst_c = fmax(worst_c, fabs(t->zig_c[i] / sqrt(-2 * log(t->zig_f[i])) - 1));
			/* A draw kept at once is under the density: u x_i < c_(i+1) for u < k 2^-20. */
			double ci1 = i + 1 < N ? sqrt(-2 * log(t->zig_f[i + 1])) : 0;
			sure &= k * 0x1p-20 * t->zig_x[i] < ci1 * (1 - 1e-12) || k == 0;
			kept += k * 0x1p-20;
		}
		double base = r * exp(-0.5 * r * r) + sqrt(M_PI / 2) * erfc(r / sqrt(2));
		ok(order, "the %d boxes stack from c_1 = r up to c_N = 0", N);
		ok(cover && t->zig_f[N] > 1 && t->zig_f[N] < 1 + 1e-5,
		   "each box covers the density in its strip, the last one up to f_N = 1 + %.2g", t->zig_f[N] - 1);
		ok(worst_area < 1e-12, "every box has the area v (worst relative error %.2g)", worst_area);
		ok(worst_f < 1e-14 && worst_c < 1e-14, "f_i = exp(-c_i^2 / 2) (worst relative errors %.2g, %.2g)",
		   worst_f, worst_c);
		ok(fabs(base / v - 1) < 1e-14 && fabs(t->zig_x0 * t->zig_f[1] / v - 1) < 1e-15,
		   "the base box: r f(r) plus the tail's area is v (%.17g), x_0 f(r) too", base);
		ok(sure && kept / N > 0.997, "the fast test keeps only draws under the density, %.4f of them",
		   kept / N);
		/* The draw's bits: box i (low 11), u (52 above), sign (bit 63); x = u x_i when kept. */
		long fast = 0, same = 0;
		for (uint64_t d = 0; d < 1000000; d++) {
			uint64_t key = kernel_noise_key(d / 1000);
			uint64_t b = rng_mix64(key + (d + 1) * 0x9e3779b97f4a7c15ULL), xb;
			int i = (int)(b & (uint64_t)(N - 1));
			memcpy(&xb, &t->zig_x[i], sizeof xb);
			if ((b >> 43 & low) >= (xb & low))
				continue;
			fast++;
			double x = (double)(b >> 11 & ((UINT64_C(1) << 52) - 1)) * 0x1p-52 * t->zig_x[i];
			same += kernel_gauss(key, d) == (b >> 63 ? -x : x);
		}
		ok(same == fast && fast > 997000,
		   "%ld of 1,000,000 draws kept at once, each u x_i with its sign (%ld equal)", fast, same);
	}

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

	/* 4b. The distribution's shape: 1000 bins of equal probability (Phi from libm's erfc), chi-square
	 * with 999 degrees of freedom against its mean + 5 SD. */
	{
		static long bins[1000];
		for (int i = 0; i < n; i++) {
			double z = kernel_gauss(kernel_noise_key((uint64_t)(i / 161) + 7777777), (uint64_t)(i % 161));
			int k = (int)(1000 * 0.5 * erfc(-z / sqrt(2)));
			bins[k < 0 ? 0 : k > 999 ? 999 : k]++;
		}
		double chi2 = 0, e = n / 1000.0;
		for (int k = 0; k < 1000; k++)
			chi2 += (bins[k] - e) * (bins[k] - e) / e;
		ok(chi2 < 999 + 5 * sqrt(2 * 999.0), "chi-square over 1000 equiprobable bins %.1f (df 999, bound %.0f)",
		   chi2, 999 + 5 * sqrt(2 * 999.0));
	}

	/* 4c. The far tail, where the ziggurat's base box hands over to the tail beyond r: 40 million
	 * draws, the fraction beyond 3.5 and beyond r, and the mean beyond r (phi(r) / Q(r)). */
	{
		const long nt = 40000000;
		const double r = KERNEL_ZIG_R;
		long b35 = 0, br = 0;
		double sr = 0;
		for (long i = 0; i < nt; i++) {
			double z = fabs(kernel_gauss(kernel_noise_key((uint64_t)(i / 1000) + 99999999), (uint64_t)(i % 1000)));
			b35 += z > 3.5;
			if (z > r)
				br++, sr += z;
		}
		double q35 = erfc(3.5 / sqrt(2)), qr = erfc(r / sqrt(2));
		ok(fabs((double)b35 / nt - q35) < 5 * sqrt(q35 * (1 - q35) / nt), "P(|z| > 3.5) = %.4g (exact %.4g)",
		   (double)b35 / nt, q35);
		ok(fabs((double)br / nt - qr) < 5 * sqrt(qr * (1 - qr) / nt), "P(|z| > r = %.4f) = %.4g (exact %.4g)",
		   r, (double)br / nt, qr);
		/* z beyond r: mean phi(r) / Q(r), variance 1 + r m - m^2. */
		double m = exp(-0.5 * r * r) / sqrt(2 * M_PI) / (0.5 * qr), var = 1 + r * m - m * m;
		ok(br > 0 && fabs(sr / br - m) < 5 * sqrt(var / br), "mean of |z| beyond r %.5f (exact %.5f, SE %.5f)",
		   br ? sr / br : 0, m, sqrt(var / (br ? br : 1)));
	}

	/* 4d. The tail algorithm itself: 1,000,000 draws that fall in the base box beyond r go to
	 * kernel_gauss_slow; they must follow the normal beyond r (mean, variance, P(z > r + 1/2)). */
	{
		const kernel_tab *t = kernel_tables();
		const double r = KERNEL_ZIG_R;
		const long nt = 1000000;
		long got = 0, far = 0;
		double s1 = 0, s2 = 0;
		for (uint64_t k = 0; got < nt; k++) {
			uint64_t b = rng_mix64(k) & ~(uint64_t)(KERNEL_ZIG_N - 1) & ~(UINT64_C(1) << 63); /* box 0, + */
			if ((double)(b >> KERNEL_ZIG_BITS) * 0x1p-52 * t->zig_x0 < r)
				continue;
			double z = kernel_gauss_slow(t, b);
			got++;
			s1 += z - r, s2 += (z - r) * (z - r);
			far += z > r + 0.5;
		}
		double qr = 0.5 * erfc(r / sqrt(2)), m = exp(-0.5 * r * r) / sqrt(2 * M_PI) / qr;
		double var = 1 + r * m - m * m, mean = s1 / nt, v = s2 / nt - mean * mean;
		double pf = 0.5 * erfc((r + 0.5) / sqrt(2)) / qr;
		ok(fabs(mean - (m - r)) < 5 * sqrt(var / nt), "the tail beyond r: mean excess %.5f (exact %.5f, SE %.5f)",
		   mean, m - r, sqrt(var / nt));
		/* The variance's SE from the fourth central moment: the tail is nearly exponential, whose
		 * fourth central moment is 9 var^2. */
		ok(fabs(v - var) < 5 * sqrt(8 * var * var / nt), "the tail beyond r: variance %.6f (exact %.6f)", v,
		   var);
		ok(fabs((double)far / nt - pf) < 5 * sqrt(pf * (1 - pf) / nt),
		   "the tail beyond r: P(z > r + 1/2 | z > r) = %.5f (exact %.5f)", (double)far / nt, pf);
	}

	/* 4e. The wedges: draws past a box's fast bound, 2,000,000 of them (boxes 1 .. N - 1 alike, u
	 * uniform past k_i 2^-20), are kept at their first try (the same x back) with the probability
	 * the density's area in the wedge gives, integrated with libm (Simpson, 64 panels a box). */
	{
		const kernel_tab *t = kernel_tables();
		const int N = KERNEL_ZIG_N;
		const uint64_t low = (1u << 20) - 1;
		double p = 0;
		for (int i = 1; i < N; i++) {
			uint64_t xb;
			memcpy(&xb, &t->zig_x[i], sizeof xb);
			double lo = (double)(xb & low) * 0x1p-20 * t->zig_x[i], hi = t->zig_x[i];
			double f0 = t->zig_f[i], h = t->zig_f[i + 1] - f0, acc = 0;
			for (int j = 0; j <= 128; j++) {
				double x = lo + (hi - lo) * j / 128, g = exp(-0.5 * x * x) - f0;
				g = g < 0 ? 0 : g > h ? h : g;
				acc += g * (j == 0 || j == 128 ? 1 : j % 2 ? 4 : 2);
			}
			p += acc / 3 / 128 / h; /* the kept fraction of the wedge */
		}
		p /= N - 1;
		const long nw = 2000000;
		long kept = 0;
		for (long j = 0; j < nw; j++) {
			uint64_t b = rng_mix64((uint64_t)j + 123456789), xb, c = rng_mix64(b);
			int i = 1 + (int)(c % (uint64_t)(N - 1));
			memcpy(&xb, &t->zig_x[i], sizeof xb);
			uint64_t k = xb & low, top = k + (c >> 20) % ((low + 1) - k);
			b = (b & ~(uint64_t)(N - 1) & ~(low << 43) & ~(UINT64_C(1) << 63)) | (uint64_t)i | top << 43;
			double x = (double)(b >> 11) * 0x1p-52 * t->zig_x[i];
			kept += kernel_gauss_slow(t, b) == x;
		}
		ok(fabs((double)kept / nw - p) < 5 * sqrt(p * (1 - p) / nw),
		   "a wedge's draw is kept at its first try with probability %.5f (its area: %.5f)",
		   (double)kept / nw, p);
	}

	/* 5. Names and forcing. */
	ok(kernel_parse("avx2") == KERNEL_AVX2 && kernel_parse("plain") == KERNEL_PLAIN &&
	       kernel_parse("x") < 0,
	   "path names parse");
	ok(kernel_force(KERNEL_ISAS) < 0, "an unknown path cannot be forced");
	return tap_done();
}
