/* The plain C path of the lockstep kernel: one lane at a time, any architecture. It is the reference the
 * vector paths must match bit for bit, and it serves single synapses (sim_synapse, sim_trajectory,
 * Poisson trains) so that they follow the same stream mapping as the counts. */
#include <math.h>
#include <pthread.h>
#include <string.h>

#include "kernel.h"

typedef double V;
typedef uint64_t U;
#define W   1
#define KFN kernel_run_plain

static inline U as_u(V v)
{
	U u;
	memcpy(&u, &v, sizeof u);
	return u;
}

static inline V as_v(U u)
{
	V v;
	memcpy(&v, &u, sizeof v);
	return v;
}

#define AS_U(v)      as_u(v)
#define AS_V(u)      as_v(u)
#define MASK(c)      ((U)0 - (U)(c))
#define VSQRT(v)     sqrt(v)
#define LOADV(p)     (*(p))
#define LOADU(p)     (*(p))
#define STOREV(p, v) (*(p) = (v))
#define VZERO        0.0
#define GATHER(t, i) ((t)[i])

#include "kernel_body.h"

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

/* cos and sin of theta for |theta| <= pi/4: the Taylor series to theta^17 are exact to 1e-17. */
static void tab_cossin(double th, double *c, double *s)
{
	double z = th * th, ps = 0, pc = 0, f = 1;
	/* 1/k! for k to 17, then Horner from the highest term. */
	double inv[18];
	for (int k = 0; k < 18; k++) {
		inv[k] = 1 / f;
		f *= k + 1;
	}
	for (int k = 17; k >= 3; k -= 2)
		ps = ps * z + (((k - 1) / 2) % 2 ? -inv[k] : inv[k]);
	for (int k = 16; k >= 2; k -= 2)
		pc = pc * z + ((k / 2) % 2 ? -inv[k] : inv[k]);
	*s = th + th * (z * ps);
	*c = 1 + z * pc;
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
	/* Angle j + 1/2 of KERNEL_TURN_STEPS: a multiple k of an eighth of the circle plus theta in
	 * [-pi/4, pi/4], from the symmetries of the first octant. */
	for (int j = 0; j < KERNEL_TURN_STEPS; j++) {
		double q = (j + 0.5) * 4 / KERNEL_TURN_STEPS; /* quarter turns, in [0, 4) */
		double k = floor(q + 0.5);
		double c, s;
		tab_cossin((q - k) * kb_pi_2, &c, &s);
		switch ((int)k & 3) {
		case 0:
			tab.cos_c[j] = c, tab.sin_c[j] = s;
			break;
		case 1:
			tab.cos_c[j] = -s, tab.sin_c[j] = c;
			break;
		case 2:
			tab.cos_c[j] = -c, tab.sin_c[j] = -s;
			break;
		default:
			tab.cos_c[j] = s, tab.sin_c[j] = -c;
			break;
		}
	}
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
	double z0, z1;
	kb_gauss_pair(kernel_tables(), key, draw >> 1, &z0, &z1);
	return draw & 1 ? z1 : z0;
}

uint64_t kernel_noise_key(uint64_t k)
{
	return kb_mix(k ^ 0x6a09e667f3bcc909ULL);
}
