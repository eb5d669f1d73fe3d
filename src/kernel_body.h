/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The body of the lockstep kernel, included once per instruction set by kernel_{plain,sse2,avx2,avx512}.c.
 * Before including, a file defines (and includes <stdint.h>):
 *   V, U          a double type and a uint64_t type of W lanes (GCC vector types, or double/uint64_t)
 *   W             lanes per V
 *   KFN           the name of the kernel_run function to define
 *   AS_U(v), AS_V(u)   bit casts
 *   LOADV(p), STOREV(p, v), LOADU(p)   unaligned loads and stores of W lanes
 *   GATHER(t, i)  the W doubles t[i[k]] (i a U)
 *   REJECTS_K(a, b)   an unsigned with bit k set where lane k of a >= that of b (U, below 2^20)
 *   LANE(v, k)    lane k of v, as an lvalue
 *   FMA(a, b, c)  a * b + c rounded once, lane by lane (each of a, b, c a V or a double)
 * Only +, -, *, the fused multiply-add (each correctly rounded in IEEE arithmetic), comparisons, loads,
 * bit operations and 64-bit integer arithmetic are used, each lane on its own, in the same order on
 * every path: the result of a lane does not depend on W. libm is not called but for fma, which IEEE
 * 754 defines to the last bit (its other functions may differ between scalar and vector versions):
 * the ziggurat's tables and the logarithm's are computed once by the plain path (kernel_tables), and
 * the rare draws that need an exponential or a logarithm go to one scalar function,
 * kernel_gauss_slow, whatever the path. The build uses -ffp-contract=off: a fused multiply-add is
 * where FMA is written, and nowhere else, on every path. */

static const double kb_ln2 = 0.6931471805599453094;
#define KB_ONE  UINT64_C(0x3ff0000000000000)
#define KB_MANT UINT64_C(0x000fffffffffffff)

static inline U kb_mix(U z)
{
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* kb_mix of one lane. */
static inline uint64_t kb_mix1(uint64_t z)
{
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* ln x for x in (0, 1] with 52-bit mantissas (no subnormals), from a table and without a division
 * (which costs as much as the rest): x = 2^k z with z in [0.6875, 1.375), the bits of z from
 * 0.6875 up pick one of 2^KERNEL_LOG_BITS cells, and the table has 1/c (10 significant bits)
 * and ln c for a c in the cell; c = 1 in the two cells around 1. r = z/c - 1 is within 1/256 of 0
 * and exact to its last bit: z split so that its high part times 1/c is exact (no FMA). The series
 * of ln(1 + r) to r^6 is then exact to 3e-16 relative. */
#define KB_LOG_OFF UINT64_C(0x3fe6000000000000) /* 0.6875 */
static inline V kb_log(const kernel_tab *t, V x)
{
	U ix = AS_U(x);
	U tmp = ix - KB_LOG_OFF;
	U i = (tmp >> (52 - KERNEL_LOG_BITS)) & ((1u << KERNEL_LOG_BITS) - 1);
	/* k as a double, exactly: tmp >> 52 is k in two's complement over 12 bits; 1024 + k is put in
	 * the low mantissa bits of 2^52. */
	U kb = ((tmp >> 52) + 1024) & 0xfff;
	V k = (AS_V(kb | UINT64_C(0x4330000000000000)) - (0x1p52)) - (1024.0);
	V z = AS_V(ix - (tmp & (UINT64_C(0xfff) << 52)));
	V zhi = AS_V(AS_U(z) & ~UINT64_C(0x3ff));
	V ic = GATHER(t->log_inv, i);
	V r = (zhi * ic - (1.0)) + (z - zhi) * ic;
	V p = r * (-1.0 / 6) + (1.0 / 5);
	p = p * r - (1.0 / 4);
	p = p * r + (1.0 / 3);
	p = p * r - (0.5);
	return (k * (kb_ln2) + GATHER(t->log_c, i)) + (r + (r * r) * p);
}

/* Gaussian number d of a synapse by the ziggurat of 2048 boxes of equal area (Marsaglia & Tsang's
 * layout, kernel_tables): the 64-bit number d + 1 of the synapse's counter-based stream (splitmix64
 * of ctr, its noise key plus d + 1 golden-ratio steps) picks the box i (its low 11 bits), u in [0, 1) (the 52 bits above) and the sign
 * (bit 63). x = u x_i is under the density when the top 20 bits of u are below k_i, 99.73% of draws,
 * from one table load per lane. The others (the wedges, the base box with the tail beyond r) are
 * decided exactly by kernel_gauss_slow, one scalar function for every path, lane by lane. */
#define KB_SIGN  UINT64_C(0x8000000000000000)
#define KB_LOW20 UINT64_C(0xfffff)
#define KB_GOLDEN UINT64_C(0x9e3779b97f4a7c15)
/* The fast part: the draw u x_i with its sign, and in *rej a bit per lane whose draw the fast test
 * does not take (kernel_gauss_slow decides those, from the same b). */
static inline V kb_gauss_fast(const kernel_tab *t, U b, unsigned *rej)
{
	V xi = GATHER(t->zig_x, b & (KERNEL_ZIG_N - 1));
	V x = (AS_V((b >> KERNEL_ZIG_BITS & KB_MANT) | KB_ONE) - (1.0)) * xi;
	*rej = REJECTS_K(b >> 43 & KB_LOW20, AS_U(xi) & KB_LOW20);
	return AS_V(AS_U(x) | (b & KB_SIGN));
}

static inline V kb_gauss(const kernel_tab *t, U ctr)
{
	U b = kb_mix(ctr);
	unsigned rej;
	V z = kb_gauss_fast(t, b, &rej);
	while (rej) {
		int k = __builtin_ctz(rej);
		rej &= rej - 1;
		LANE(z, k) = kernel_gauss_slow(t, LANE(b, k));
	}
	return z;
}

/* The cubic drift -rho (1 - rho) (rho_star - rho) in Horner form: rho (c0 + rho (c1 - rho)) with
 * c0 = -rho_star, c1 = 1 + rho_star. */
static inline V kb_cubic(V rho, double c0, double c1)
{
	return rho * FMA(rho, c1 - rho, c0);
}

/* One step of the cubic drift alone over a quiet gap: rho q(rho), q of degree 8 (kernel_gap), by
 * Horner's rule in fused multiply-adds: half the operations of separate ones, each rounded once. */
static inline V kb_flow(V rho, const double *q)
{
	V p = FMA(rho, q[8], q[7]);
	p = FMA(p, rho, q[6]);
	p = FMA(p, rho, q[5]);
	p = FMA(p, rho, q[4]);
	p = FMA(p, rho, q[3]);
	p = FMA(p, rho, q[2]);
	p = FMA(p, rho, q[1]);
	p = FMA(p, rho, q[0]);
	return rho * p;
}

/* Lanes run through the operations together, and Gaussians drawn ahead for each of them: a batch
 * of KB_AHEAD x KB_CHUNK independent draws keeps the CPU busy where one operation's draws would wait
 * on the latency of their arithmetic. */
#define KB_CHUNK 64
#define KB_AHEAD 8

/* rho <- post-drift(A pre-drift(rho) + B + S xi) over n lanes, xi from x (or none): each combination
 * of its flags is compiled apart (they are constants where it is called). */
static inline void kb_active(double *rho, const double *x, uint32_t n, const kernel_op *o, double c0,
                             double c1, int has_pre, int has_post, int has_xi)
{
	const double pre = o->pre, post = o->post, A = o->A, B = o->B, S = o->S;
	for (uint32_t i = 0; i < n; i += W) {
		V r = LOADV(rho + i);
		if (has_pre)
			r = FMA(kb_cubic(r, c0, c1), pre, r);
		if (has_xi)
			r = FMA(LOADV(x + i), S, FMA(r, A, B));
		else
			r = FMA(r, A, B);
		if (has_post)
			r = FMA(kb_cubic(r, c0, c1), post, r);
		STOREV(rho + i, r);
	}
}

/* kb_active with its flags read from the operation: case f is compiled with the constants of f. */
#define KB_ACTIVE_CASE(f)                                                                                    \
	case f:                                                                                              \
		kb_active(rho, x, n, o, c0, c1, (f)&1, (f) >> 1 & 1, (f) >> 2);                              \
		break;
static void kb_active_any(double *rho, const double *x, uint32_t n, const kernel_op *o, double c0, double c1)
{
	switch ((o->pre != 0) | (o->post != 0) << 1 | (x != NULL) << 2) {
		KB_ACTIVE_CASE(0)
		KB_ACTIVE_CASE(1)
		KB_ACTIVE_CASE(2)
		KB_ACTIVE_CASE(3)
		KB_ACTIVE_CASE(4)
		KB_ACTIVE_CASE(5)
		KB_ACTIVE_CASE(6)
		KB_ACTIVE_CASE(7)
	}
}
#undef KB_ACTIVE_CASE

/* Gaussians d, d + 1, ..., d + m - 1 of n lanes into g[0 .. m): the fast draws of every lane first,
 * then the few the fast test leaves (a quarter of a percent) by kernel_gauss_slow, so that no call
 * in the loop makes it reload its constants. */
static void kb_draw(const kernel_tab *tab, const uint64_t *key, uint32_t n, uint64_t d, uint32_t m,
                    double g[][KB_CHUNK])
{
	unsigned char rej[KB_AHEAD][KB_CHUNK / W];
	unsigned any = 0;
	for (uint32_t i = 0; i < n; i += W) {
		/* The stream's counter of draw d: the key plus (d + 1) golden-ratio steps. */
		U ctr = LOADU(key + i) + (uint64_t)((d + 1) * KB_GOLDEN);
		for (uint32_t a = 0; a < m; a++, ctr += KB_GOLDEN) {
			unsigned r;
			STOREV(g[a] + i, kb_gauss_fast(tab, kb_mix(ctr), &r));
			rej[a][i / W] = (unsigned char)r;
			any |= r;
		}
	}
	if (!any)
		return;
	for (uint32_t a = 0; a < m; a++)
		for (uint32_t i = 0; i < n; i += W)
			for (unsigned r = rej[a][i / W]; r; r &= r - 1) {
				uint32_t k = i + (uint32_t)__builtin_ctz(r);
				g[a][k] = kernel_gauss_slow(tab, kb_mix1(key[k] + (d + 1 + a) * KB_GOLDEN));
			}
}

/* Eight vectors of lanes through every operation with rho kept in registers: no load, store or call
 * between one operation and the next, where the general loop below goes through memory for each
 * (most operations are a few arithmetic operations per lane). Each lane does the same operations in
 * the same order as there. */
#define KB_R8(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7)
static inline void kb_block8(const kernel_op *ops, uint32_t nops, uint64_t reps, double c0, double c1,
                             const kernel_tab *tab, const uint64_t *key, double *rho, uint64_t d0,
                             uint64_t dend, double g[][KB_CHUNK])
{
#define KB_LOAD(j) V r##j = LOADV(rho + (j) * W);
	KB_R8(KB_LOAD)
#undef KB_LOAD
	uint64_t d = d0, from = d0, to = d0; /* Gaussians [from, to) are in g */
	for (uint64_t rep = 0; rep < reps; rep++) {
		for (uint32_t k = 0; k < nops; k++) {
			const kernel_op *o = &ops[k];
			if (o->nsub) {
				const double *q = o->q;
				const uint64_t steps = o->times * o->nsub;
				for (uint64_t t = 0; t < steps; t++) {
#define KB_FLOW(j) r##j = kb_flow(r##j, q);
					KB_R8(KB_FLOW)
#undef KB_FLOW
				}
				continue;
			}
			const double pre = o->pre, post = o->post, A = o->A, B = o->B, S = o->S;
			const int has_pre = pre != 0, has_post = post != 0, noisy = S != 0;
			for (uint64_t t = 0; t < o->times; t++) {
				if (has_pre) {
#define KB_PRE(j) r##j = FMA(kb_cubic(r##j, c0, c1), pre, r##j);
					KB_R8(KB_PRE)
#undef KB_PRE
				}
				if (noisy) {
					if (d == to) {
						from = d;
						to = dend - d < KB_AHEAD ? dend : d + KB_AHEAD;
						kb_draw(tab, key, 8 * W, from, (uint32_t)(to - from), g);
					}
					const double *x = g[d - from];
#define KB_XI(j) r##j = FMA(LOADV(x + (j) * W), S, FMA(r##j, A, B));
					KB_R8(KB_XI)
#undef KB_XI
					d++;
				} else {
#define KB_QUIET(j) r##j = FMA(r##j, A, B);
					KB_R8(KB_QUIET)
#undef KB_QUIET
				}
				if (has_post) {
#define KB_POST(j) r##j = FMA(kb_cubic(r##j, c0, c1), post, r##j);
					KB_R8(KB_POST)
#undef KB_POST
				}
			}
		}
	}
#define KB_STORE(j) STOREV(rho + (j) * W, r##j);
	KB_R8(KB_STORE)
#undef KB_STORE
}
#undef KB_R8

void KFN(const kernel_op *ops, uint32_t nops, uint64_t reps, double rho_star, uint64_t *draw,
         const kernel_lanes *l)
{
	const double c0 = -rho_star, c1 = 1.0 + rho_star;
	const kernel_tab *tab = kernel_tables();
	double g[KB_AHEAD][KB_CHUNK];
	uint64_t per_rep = 0; /* noisy applications of one pass over the operations */
	for (uint32_t k = 0; k < nops; k++)
		per_rep += !ops[k].nsub && ops[k].S != 0 ? ops[k].times : 0;
	const uint64_t d0 = *draw, dend = d0 + reps * per_rep;
	uint32_t i0 = 0;
	for (; W > 1 && i0 + 8 * W <= l->n; i0 += 8 * W)
		kb_block8(ops, nops, reps, c0, c1, tab, l->key + i0, l->rho + i0, d0, dend, g);
	for (; i0 < l->n; i0 += KB_CHUNK) {
		const uint32_t n = l->n - i0 < KB_CHUNK ? l->n - i0 : KB_CHUNK;
		double *rho = l->rho + i0;
		uint64_t d = d0, from = d0, to = d0; /* Gaussians [from, to) are in g */
		for (uint64_t rep = 0; rep < reps; rep++) {
			for (uint32_t k = 0; k < nops; k++) {
				const kernel_op *o = &ops[k];
				if (o->nsub) {
					/* A quiet gap: the cubic drift alone, nsub steps per application,
					 * eight or four vectors side by side (one alone waits on the latency
					 * of its own steps). */
					const double *q = o->q;
					const uint64_t steps = o->times * o->nsub;
					uint32_t i = 0;
					for (; i + 8 * W <= n; i += 8 * W) {
						V r0 = LOADV(rho + i), r1 = LOADV(rho + i + W);
						V r2 = LOADV(rho + i + 2 * W), r3 = LOADV(rho + i + 3 * W);
						V r4 = LOADV(rho + i + 4 * W), r5 = LOADV(rho + i + 5 * W);
						V r6 = LOADV(rho + i + 6 * W), r7 = LOADV(rho + i + 7 * W);
						for (uint64_t t = 0; t < steps; t++) {
							r0 = kb_flow(r0, q);
							r1 = kb_flow(r1, q);
							r2 = kb_flow(r2, q);
							r3 = kb_flow(r3, q);
							r4 = kb_flow(r4, q);
							r5 = kb_flow(r5, q);
							r6 = kb_flow(r6, q);
							r7 = kb_flow(r7, q);
						}
						STOREV(rho + i, r0);
						STOREV(rho + i + W, r1);
						STOREV(rho + i + 2 * W, r2);
						STOREV(rho + i + 3 * W, r3);
						STOREV(rho + i + 4 * W, r4);
						STOREV(rho + i + 5 * W, r5);
						STOREV(rho + i + 6 * W, r6);
						STOREV(rho + i + 7 * W, r7);
					}
					for (; i + 4 * W <= n; i += 4 * W) {
						V r0 = LOADV(rho + i), r1 = LOADV(rho + i + W);
						V r2 = LOADV(rho + i + 2 * W), r3 = LOADV(rho + i + 3 * W);
						for (uint64_t t = 0; t < steps; t++) {
							r0 = kb_flow(r0, q);
							r1 = kb_flow(r1, q);
							r2 = kb_flow(r2, q);
							r3 = kb_flow(r3, q);
						}
						STOREV(rho + i, r0);
						STOREV(rho + i + W, r1);
						STOREV(rho + i + 2 * W, r2);
						STOREV(rho + i + 3 * W, r3);
					}
					for (; i + 4 * W <= n; i += 4 * W) {
						V r0 = LOADV(rho + i), r1 = LOADV(rho + i + W);
						V r2 = LOADV(rho + i + 2 * W), r3 = LOADV(rho + i + 3 * W);
						for (uint64_t t = 0; t < steps; t++) {
							r0 = kb_flow(r0, q);
							r1 = kb_flow(r1, q);
							r2 = kb_flow(r2, q);
							r3 = kb_flow(r3, q);
						}
						STOREV(rho + i, r0);
						STOREV(rho + i + W, r1);
						STOREV(rho + i + 2 * W, r2);
						STOREV(rho + i + 3 * W, r3);
					}
					for (; i < n; i += W) {
						V r = LOADV(rho + i);
						for (uint64_t t = 0; t < steps; t++)
							r = kb_flow(r, q);
						STOREV(rho + i, r);
					}
					continue;
				}
				if (o->S == 0) {
					for (uint64_t t = 0; t < o->times; t++)
						kb_active_any(rho, NULL, n, o, c0, c1);
					continue;
				}
				for (uint64_t t = 0; t < o->times; t++, d++) {
					if (d == to) {
						from = d;
						to = dend - d < KB_AHEAD ? dend : d + KB_AHEAD;
						kb_draw(tab, l->key + i0, n, from, (uint32_t)(to - from), g);
					}
					kb_active_any(rho, g[d - from], n, o, c0, c1);
				}
			}
		}
	}
	*draw = dend;
}

#undef KB_CHUNK
#undef KB_AHEAD
#undef KB_ONE
#undef KB_MANT
#undef KB_LOG_OFF
#undef KB_SIGN
#undef KB_LOW20
#undef KB_GOLDEN
