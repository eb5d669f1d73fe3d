/* The body of the lockstep kernel, included once per instruction set by kernel_{plain,sse2,avx2,avx512}.c.
 * Before including, a file defines (and includes <stdint.h>):
 *   V, U          a double type and a uint64_t type of W lanes (GCC vector types, or double/uint64_t)
 *   W             lanes per V
 *   KFN           the name of the kernel_run function to define
 *   AS_U(v), AS_V(u)   bit casts
 *   VSQRT(v)      correctly rounded square root of each lane
 *   LOADV(p), STOREV(p, v), LOADU(p)   unaligned loads and stores of W lanes
 *   (x), (x)   every lane set to x
 * Only +, -, *, /, sqrt (all correctly rounded in IEEE arithmetic), bit operations and 64-bit integer
 * arithmetic are used, each lane on its own, in the same order on every path: the result of a lane does
 * not depend on W. libm is not called (its last bit may differ between scalar and vector versions), so the
 * logarithm, sine and cosine are polynomials written here. The build uses -ffp-contract=off: no fused
 * multiply-add on any path. */

#define SEL(m, a, b) AS_V(((m)&AS_U(a)) | (~(m)&AS_U(b)))

static const double kb_ln2 = 0.6931471805599453094;
#define KB_SQRT2_BITS UINT64_C(0x3ff6a09e667f3bcd) /* sqrt(2) rounded to double */
static const double kb_pi_2 = 1.5707963267948966192;
#define KB_ONE  UINT64_C(0x3ff0000000000000)
#define KB_MANT UINT64_C(0x000fffffffffffff)

static inline U kb_mix(U z)
{
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* ln x for x in (0, 1] with 52-bit mantissas (no subnormals): x = 2^e m, m in [sqrt(1/2), sqrt(2)),
 * ln m = 2 atanh(s) with s = (m - 1)/(m + 1), |s| < 0.172: the series to s^19 is exact to 3e-17. */
static inline V kb_log(V x)
{
	U b = AS_U(x);
	U eb = b >> 52;
	V m = AS_V((b & KB_MANT) | KB_ONE);
	/* m > sqrt(2), from the bits (positive doubles order as integers), as a mask of ones or zeros:
	 * integer arithmetic only, which every path does lane by lane without comparisons. */
	U big1 = ((KB_SQRT2_BITS)-AS_U(m)) >> 63;
	U big = (uint64_t)0 - big1;
	m = SEL(big, m * (0.5), m);
	eb = eb + big1;
	/* The exponent as a double, exactly: 2^52 + eb has eb in its low mantissa bits. */
	V e = (AS_V(eb | UINT64_C(0x4330000000000000)) - (0x1p52)) - (1023.0);
	V s = (m - (1.0)) / (m + (1.0));
	V z = s * s;
	V p = z * (2.0 / 19) + 2.0 / 17;
	p = p * z + (2.0 / 15);
	p = p * z + (2.0 / 13);
	p = p * z + (2.0 / 11);
	p = p * z + (2.0 / 9);
	p = p * z + (2.0 / 7);
	p = p * z + (2.0 / 5);
	p = p * z + (2.0 / 3);
	p = p * z + (2.0);
	return e * (kb_ln2) + s * p;
}

/* cos and sin of 2 pi u for u = f / 4 in [0, 1): f is split exactly into a quadrant q and r in
 * [-1/2, 1/2]; the Taylor series of theta = r pi/2 (|theta| <= pi/4) to theta^17 are exact to 1e-17. */
static inline void kb_cossin(V f, V *c, V *s)
{
	V t = f + (0x1.8p52);
	U q = AS_U(t) & 3;
	V r = f - (t - (0x1.8p52));
	V th = r * (kb_pi_2);
	V z = th * th;
	V ps = z * (1.0 / 355687428096000.0) - 1.0 / 1307674368000.0; /* 1/17!, 1/15! */
	ps = ps * z + (1.0 / 6227020800.0);
	ps = ps * z - (1.0 / 39916800.0);
	ps = ps * z + (1.0 / 362880.0);
	ps = ps * z - (1.0 / 5040.0);
	ps = ps * z + (1.0 / 120.0);
	ps = ps * z - (1.0 / 6.0);
	V sn = th + th * (z * ps);
	V pc = z * (1.0 / 20922789888000.0) - 1.0 / 87178291200.0; /* 1/16!, 1/14! */
	pc = pc * z + (1.0 / 479001600.0);
	pc = pc * z - (1.0 / 3628800.0);
	pc = pc * z + (1.0 / 40320.0);
	pc = pc * z - (1.0 / 720.0);
	pc = pc * z + (1.0 / 24.0);
	pc = pc * z - (0.5);
	V cs = (1.0) + z * pc;
	/* Rotate by q quarter turns: odd q swaps cos and sin; signs by quadrant (sign-bit flips, exact). */
	U odd = (uint64_t)0 - (q & 1);
	V cc = SEL(odd, sn, cs), ss = SEL(odd, cs, sn);
	U negc = ((q + 1) & 2) << 62, negs = (q & 2) << 62;
	*c = AS_V(AS_U(cc) ^ negc);
	*s = AS_V(AS_U(ss) ^ negs);
}

/* Box-Muller on the pair j of a synapse's counter-based stream: the splitmix64 outputs 2j and 2j + 1
 * of its noise key give u1 in (0, 1] and u in [0, 1); z0 = sqrt(-2 ln u1) cos 2 pi u, z1 = ... sin. */
static inline void kb_gauss_pair(U key, uint64_t j, V *z0, V *z1)
{
	U b1 = kb_mix(key + (uint64_t)((2 * j + 1) * UINT64_C(0x9e3779b97f4a7c15)));
	U b2 = kb_mix(key + (uint64_t)((2 * j + 2) * UINT64_C(0x9e3779b97f4a7c15)));
	V u1 = (2.0) - AS_V((b1 >> 12) | KB_ONE);
	V f = (AS_V((b2 >> 12) | KB_ONE) - (1.0)) * (4.0);
	V rad = VSQRT((-2.0) * kb_log(u1));
	V c, s;
	kb_cossin(f, &c, &s);
	*z0 = rad * c;
	*z1 = rad * s;
}

/* The cubic drift -rho (1 - rho) (rho_star - rho) in Horner form: rho (c0 + rho (c1 - rho)) with
 * c0 = -rho_star, c1 = 1 + rho_star. */
static inline V kb_cubic(V rho, double c0, double c1)
{
	return rho * (c0 + rho * (c1 - rho));
}

/* One RK4 step of the cubic drift alone, of length du (h = du / 2, du6 = du / 6). */
static inline V kb_rk4(V rho, double du, double h, double du6, double c0, double c1)
{
	V k1 = kb_cubic(rho, c0, c1);
	V k2 = kb_cubic(rho + h * k1, c0, c1);
	V k3 = kb_cubic(rho + h * k2, c0, c1);
	V k4 = kb_cubic(rho + du * k3, c0, c1);
	return rho + du6 * (k1 + (2.0) * k2 + (2.0) * k3 + k4);
}

void KFN(const kernel_op *ops, uint32_t nops, double rho_star, uint64_t *draw, const kernel_lanes *l)
{
	const double c0 = -rho_star, c1 = 1.0 + rho_star;
	uint64_t d = *draw;
	for (uint32_t k = 0; k < nops; k++) {
		const kernel_op *o = &ops[k];
		if (o->nsub) {
			/* A quiet gap: the cubic drift alone, nsub RK4 steps per application. */
			const double du = o->du, h = 0.5 * o->du, du6 = o->du / 6;
			const int once = o->times == 1 && o->nsub == 1;
			for (uint32_t i = 0; i < l->n; i += W) {
				V rho = LOADV(l->rho + i);
				if (once) {
					rho = kb_rk4(rho, du, h, du6, c0, c1);
				} else {
					for (uint64_t t = 0; t < o->times; t++)
						for (uint32_t j = 0; j < o->nsub; j++)
							rho = kb_rk4(rho, du, h, du6, c0, c1);
				}
				STOREV(l->rho + i, rho);
			}
			continue;
		}
		const double pre = o->pre, post = o->post, A = o->A, B = o->B, S = o->S;
		const int noisy = o->S != 0;
		for (uint64_t t = 0; t < o->times; t++) {
			const int fresh = noisy && !(d & 1);
			for (uint32_t i = 0; i < l->n; i += W) {
				V rho = LOADV(l->rho + i);
				if (pre != 0)
					rho = rho + pre * kb_cubic(rho, c0, c1);
				V xi = VZERO;
				if (fresh) {
					V z1;
					kb_gauss_pair(LOADU(l->key + i), d >> 1, &xi, &z1);
					STOREV(l->spare + i, z1);
				} else if (noisy) {
					xi = LOADV(l->spare + i);
				}
				rho = A * rho + B + S * xi;
				if (post != 0)
					rho = rho + post * kb_cubic(rho, c0, c1);
				STOREV(l->rho + i, rho);
			}
			d += noisy;
		}
	}
	*draw = d;
}

#undef SEL
#undef KB_ONE
#undef KB_MANT
#undef KB_SQRT2_BITS
