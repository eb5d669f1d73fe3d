/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The plain C path of the lockstep kernel: one lane at a time, any architecture. It is the reference the
 * vector paths must match bit for bit, and it serves single synapses (sim_synapse, sim_trajectory,
 * Poisson trains) so that they follow the same stream mapping as the counts. */
#include <math.h>
#include <pthread.h>
#include <string.h>

#include "kernel.h"

#define KFN kernel_run_plain_c
#include "kernel_scalar.h"

/* The tables' entries, computed once with slower polynomials accurate over wider ranges. */

/* ln x for x in [1/2, 2]: x = 2^e m with m in [sqrt(1/2), sqrt(2)), ln m = 2 atanh(s) with
 * s = (m - 1)/(m + 1), |s| < 0.172: the series to s^19 is exact to 3e-17. */
static double tab_log(double x)
{
	double e = 0;
	if (x < 0.70710678118654752440) {
		x *= 2;
		e = -1;
	} else if (x >= 1.4142135623730950488) {
		x *= 0.5;
		e = 1;
	}
	double s = (x - 1) / (x + 1), z = s * s, p = 2.0 / 19;
	for (int k = 17; k >= 1; k -= 2)
		p = p * z + 2.0 / k;
	return e * kb_ln2 + s * p;
}

/* e^t for t <= 0 (t >= -700): t = k ln 2 + r with |r| <= ln 2 / 2 (ln 2 in two parts, k ln2_hi
 * exact), the Taylor series of e^r to r^13 (exact to 4e-18), times 2^k from its bits. */
static double kb_exp(double t)
{
	const double ln2_hi = 6.93147180369123816490e-01, ln2_lo = 1.90821492927058770002e-10;
	double k = (t * (1 / kb_ln2) + 0x1.8p52) - 0x1.8p52; /* nearest integer */
	double r = (t - k * ln2_hi) - k * ln2_lo;
	static const double inv_fact[14] = {1.0,
	                                    1.0,
	                                    1.0 / 2,
	                                    1.0 / 6,
	                                    1.0 / 24,
	                                    1.0 / 120,
	                                    1.0 / 720,
	                                    1.0 / 5040,
	                                    1.0 / 40320,
	                                    1.0 / 362880,
	                                    1.0 / 3628800,
	                                    1.0 / 39916800,
	                                    1.0 / 479001600,
	                                    1.0 / 6227020800};
	double p = inv_fact[13];
	for (int n = 12; n >= 0; n--)
		p = p * r + inv_fact[n];
	return p * as_v((uint64_t)((int64_t)k + 1023) << 52);
}

/* ln x for 0 < x <= 1 (normal): x = 2^e m with m in [1/2, 1), tab_log for m. */
static double tab_ln(double x)
{
	int e;
	double m = frexp(x, &e);
	return e * 6.93147180369123816490e-01 + (e * 1.90821492927058770002e-10 + tab_log(m));
}

static kernel_tab tab;
static pthread_once_t tab_once = PTHREAD_ONCE_INIT;

static void tab_build(void)
{
	/* Cell i of the logarithm holds the z whose bits are 0.6875's plus i/2^KERNEL_LOG_BITS of a
	 * binade's: cells of 1/512 below 1, of 1/256 above. 1/c is the reciprocal of the cell's middle
	 * to 10 significant bits (the kernel's z has 43 above the bits it splits off); the cells on
	 * either side of 1 take c = 1 exactly, where ln z is small and must keep its relative
	 * accuracy. */
	const int nl = 1 << KERNEL_LOG_BITS;
	const double w = 1.0 / nl;
	for (int i = 0; i < nl; i++) {
		double m = 1.375 + (i + 0.5) * w; /* the middle, in units where the binade is [1, 2) */
		double c = m < 2 ? m / 2 : m - 1;
		double ic = 1 / c;
		int ex;
		double f = frexp(ic, &ex);
		ic = ldexp(nearbyint(ldexp(f, 10)), ex - 10);
		if (c > 1 - w / 2 && c < 1 + w)
			ic = 1;
		tab.log_inv[i] = ic;
		tab.log_c[i] = ic == 1 ? 0 : -tab_log(ic);
	}
	/* The ziggurat (kernel.h): from the base box's right edge r, each box of area v has its top
	 * where the density is v / x_i above its bottom. x_i is c_i rounded up with 20 bits free; k_i
	 * from the top that x_i would give, minus 2 (x_i's bits only make c_(i+1) larger). */
	const int N = KERNEL_ZIG_N;
	const double r = KERNEL_ZIG_R, v = KERNEL_ZIG_V;
	const uint64_t low = (1u << 20) - 1;
	tab.zig_f[0] = 0;
	tab.zig_c[1] = r;
	tab.zig_f[1] = tab.zig_fc[1] = kb_exp(-0.5 * r * r);
	tab.zig_x0 = tab.zig_c[0] = v / tab.zig_f[1];
	tab.zig_fc[0] = kb_exp(-0.5 * tab.zig_x0 * tab.zig_x0);
	tab.zig_x[0] = as_v(as_u(tab.zig_x0) & ~low); /* k_0 = 0: the base box is decided apart */
	for (int i = 1; i < N; i++) {
		uint64_t xb = as_u(tab.zig_c[i]);
		if (xb & low)
			xb = (xb | low) + 1;
		double k = 0;
		if (i + 1 < N) {
			double c0 = sqrt(-2 * tab_ln(tab.zig_f[i] + v / as_v(xb)));
			k = floor(c0 / as_v(xb) * 0x1p20) - 2;
		}
		tab.zig_x[i] = as_v(xb | (uint64_t)(k > 0 ? k : 0));
		tab.zig_f[i + 1] = tab.zig_f[i] + v / tab.zig_x[i];
		if (i + 1 < N)
			tab.zig_c[i + 1] = sqrt(-2 * tab_ln(tab.zig_f[i + 1]));
		tab.zig_fc[i + 1] = tab.zig_f[i + 1];
	}
	tab.zig_x[N] = tab.zig_c[N] = 0;
	tab.zig_fc[N] = 1;
	for (int i = 0; i < N; i++)
		tab.zig_s[i] = (tab.zig_fc[i + 1] - tab.zig_fc[i]) / (tab.zig_c[i] - tab.zig_c[i + 1]);
}

const kernel_tab *kernel_tables(void)
{
	pthread_once(&tab_once, tab_build);
	return &tab;
}

void kernel_gap(kernel_op *o, double du, uint32_t nsub, double rho_star)
{
	/* The flow of rho' = f(rho) = c0 rho + c1 rho^2 - rho^3 is the sum over m of du^m / m! L^m(rho),
	 * with L^0(rho) = rho and L^m = f d/drho L^(m-1), a polynomial of degree 2m + 1. */
	const double f[4] = {0, -rho_star, 1 + rho_star, -1};
	double lm[10] = {0, 1}, flow[10] = {0, 1}, w = 1;
	for (int m = 1; m <= 4; m++) {
		double next[10] = {0};
		for (int a = 1; a <= 3; a++)
			for (int b = 1; a + b - 1 <= 9 && b <= 9; b++)
				next[a + b - 1] += f[a] * (b * lm[b]);
		memcpy(lm, next, sizeof lm);
		w *= du / m;
		for (int k = 1; k <= 9; k++)
			flow[k] += w * lm[k];
	}
	o->du = du;
	o->nsub = nsub;
	for (int k = 0; k < 9; k++)
		o->q[k] = flow[k + 1];
}

double kernel_gauss(uint64_t key, uint64_t draw)
{
	return kb_gauss(kernel_tables(), key + (draw + 1) * UINT64_C(0x9e3779b97f4a7c15));
}

/* The next 64-bit number of the stream a rejected draw seeds (splitmix64). */
static uint64_t slow_next(uint64_t *s)
{
	*s += UINT64_C(0x9e3779b97f4a7c15);
	return kb_mix(*s);
}

#define ONE UINT64_C(0x3ff0000000000000)
double kernel_gauss_slow(const kernel_tab *t, uint64_t b)
{
	const double m = 1e-13; /* far more than any rounding of the bounds below, far less than a box */
	uint64_t s = b;
	for (;;) {
		uint32_t i = (uint32_t)(b & (KERNEL_ZIG_N - 1));
		const uint64_t sign = b & UINT64_C(0x8000000000000000);
		double u = as_v((b >> KERNEL_ZIG_BITS & UINT64_C(0x000fffffffffffff)) | ONE) - 1.0;
		double x = u * (i ? t->zig_x[i] : t->zig_x0);
		if (i == 0) {
			if (x < KERNEL_ZIG_R)
				return as_v(as_u(x) | sign);
			/* The tail beyond r (Marsaglia): x = -ln(u1) / r, exponential, kept with probability
			 * exp(-x^2 / 2), that is when -2 ln u2 > x^2; then r + x. u1, u2 in (0, 1]. */
			for (;;) {
				double u1 = 2.0 - as_v((slow_next(&s) >> 12) | ONE);
				double u2 = 2.0 - as_v((slow_next(&s) >> 12) | ONE);
				double e = -kb_log(t, u1) * (1 / KERNEL_ZIG_R);
				double y = -kb_log(t, u2);
				if (y + y > e * e)
					return as_v(as_u(KERNEL_ZIG_R + e) | sign);
			}
		}
		/* A uniform height y in the box, kept when under the density f. The density meets the box's
		 * strip at (a, fa) and (c, fc); left of a it is above the box, right of c below it. Between,
		 * where f is convex (x >= 1) it lies between its tangent at a and the chord, where concave
		 * (x <= 1) between the chord and its tangent at c: a height clear of both bounds (by m)
		 * needs no exponential. */
		const double a = t->zig_c[i + 1], fa = t->zig_fc[i + 1], c = t->zig_c[i], fc = t->zig_fc[i];
		double h = as_v((slow_next(&s) >> 12) | ONE) - 1.0;
		double y = t->zig_f[i] + h * (t->zig_f[i + 1] - t->zig_f[i]);
		int in;
		if (x < a - m)
			in = 1;
		else if (x > c + m)
			in = 0;
		else if (x < a || x > c)
			in = y < kb_exp(-0.5 * x * x);
		else {
			double chord = fc + (c - x) * t->zig_s[i];
			if (a >= 1 && y < fa - a * fa * (x - a) - m)
				in = 1;
			else if (a >= 1 && y > chord + m)
				in = 0;
			else if (c <= 1 && y < chord - m)
				in = 1;
			else if (c <= 1 && y > fc + c * fc * (c - x) + m)
				in = 0;
			else
				in = y < kb_exp(-0.5 * x * x);
		}
		if (in)
			return as_v(as_u(x) | sign);
		b = slow_next(&s);
	}
}

uint64_t kernel_noise_key(uint64_t k)
{
	return kb_mix(k ^ 0x6a09e667f3bcc909ULL);
}
