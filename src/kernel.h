/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The lockstep kernel: many synapses of one dt advanced together through the same precomputed path,
 * with Gaussians from a counter-based generator. One body (kernel_body.h) is compiled for a plain C
 * path and for SSE2, AVX2 and AVX-512; every path does the same IEEE operations in the same order
 * (fused multiply-adds included: one rounding each, in hardware or C's fma), so all give the same
 * bits, and the one to use is chosen at run time from the CPU. */
#ifndef CSTDP_KERNEL_H
#define CSTDP_KERNEL_H

#include <stdint.h>

/* The vector paths exist for x86 with GCC or clang; elsewhere (or built with
 * -DCSTDP_KERNEL_PLAIN_ONLY) only the plain C path. */
#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__) && !defined(CSTDP_KERNEL_PLAIN_ONLY)
#define KERNEL_X86 1
#endif

/* One operation of a synapse's path (units of tau for the drift times). */
typedef struct kernel_op {
	double A, B, S;   /* active run: rho <- A rho + B + S xi (exact composition of its Euler steps) */
	double pre, post; /* active run: drift time of the cubic before and after the affine map */
	double du;        /* quiet gap: one step of the cubic drift alone */
	double q[9];      /* quiet gap: that step, rho <- rho (q0 + q1 rho + ... + q8 rho^8) (kernel_gap) */
	uint32_t nsub;    /* quiet gap: number of such steps; 0 for an active run */
	uint64_t times;   /* the operation is applied this many times in a row (>= 1) */
	uint64_t steps;   /* time steps one application covers (for the teaching views' clock) */
} kernel_op;

/* Makes o a quiet gap of nsub steps of du, for the drift of this rho_star: the flow of the cubic
 * drift over du to fourth order in du, its Taylor polynomial (of degree 9 in rho), as exact as a
 * classical Runge-Kutta step and half its arithmetic. */
void kernel_gap(kernel_op *o, double du, uint32_t nsub, double rho_star);

/* The synapses being advanced: n lanes, n a multiple of KERNEL_LANES. */
typedef struct kernel_lanes {
	double *rho;         /* [n] efficacy, in and out */
	double *spare;       /* [n] unused (every Gaussian is drawn on its own); may be NULL */
	const uint64_t *key; /* [n] noise key of each synapse (kernel_noise_key) */
	uint32_t n;
} kernel_lanes;

#define KERNEL_LANES 8

/* The tables of the Gaussians (kernel_body.h): the ziggurat's KERNEL_ZIG_N boxes of area KERNEL_ZIG_V
 * under f(x) = exp(-x^2/2), x >= 0. Box 0 is the base: the rectangle below f_1 = f(r) out to r and
 * the tail beyond r, width x_0 = v / f_1. Box i >= 1 spans the heights f_i to f_(i+1) = f_i + v / x_i;
 * its width x_i is c_i, where the density has the height f_i (c_1 = r), rounded up to a double whose
 * low 20 bits are then free for k_i: a draw u x_i with u < k_i 2^-20 is short of c_(i+1), under the
 * density. So the boxes cover the density, the last one to f_N slightly above 1. And the logarithm of
 * the tail's draws: 2^KERNEL_LOG_BITS cells of [0.6875, 1.375). */
#define KERNEL_LOG_BITS 8
#define KERNEL_ZIG_BITS 11
#define KERNEL_ZIG_N    (1 << KERNEL_ZIG_BITS)
#define KERNEL_ZIG_R    4.2163704             /* the last box then ends 5.6e-7 above 1 */
#define KERNEL_ZIG_V    0.0006126065409451394 /* r f(r) + the tail's area beyond r */
typedef struct kernel_tab {
	double log_inv[1 << KERNEL_LOG_BITS]; /* 1/c for c in cell i, to 10 significant bits */
	double log_c[1 << KERNEL_LOG_BITS];   /* ln c = -ln of that 1/c */
	double zig_x[KERNEL_ZIG_N + 1];       /* x_i with k_i in its low 20 bits (k_0 = k_(N-1) = 0) */
	double zig_x0;                        /* x_0 itself: v / f_1 */
	double zig_f[KERNEL_ZIG_N + 1];       /* f_i, the boxes' heights: f_0 = 0, f_N > 1 */
	double zig_c[KERNEL_ZIG_N + 1];       /* c_i, where f(c_i) = f_i (c_0 = x_0, c_N = 0) */
	double zig_fc[KERNEL_ZIG_N + 1];      /* f(c_i): f_i, and 1 for i = N */
	double zig_s[KERNEL_ZIG_N];           /* (f(c_(i+1)) - f_i) / (c_i - c_(i+1)), the chord's slope */
} kernel_tab;

/* The tables, computed once (thread-safe) by the plain path from IEEE operations alone, so that
 * they are the same on every machine. */
const kernel_tab *kernel_tables(void);

typedef enum kernel_isa {
	KERNEL_PLAIN,
	KERNEL_SSE2,
	KERNEL_AVX2,
	KERNEL_AVX512,
	KERNEL_ISAS,
} kernel_isa;

/* Applies ops[0 .. nops), each op->times times, reps times over, to every lane. *draw counts the
 * Gaussians drawn so far (the same for every lane); each application of a noisy operation (S != 0)
 * takes the next one. One call for a periodic protocol's repeats: a call per period cost as much as
 * a tenth of the work. */
void kernel_run(const kernel_op *ops, uint32_t nops, uint64_t reps, double rho_star, uint64_t *draw,
                const kernel_lanes *l);

/* The plain path for one synapse (n = 1 allowed): the same bits as any lane of kernel_run. On x86 CPUs
 * with FMA it is built with the instruction (kernel_fma1.c), elsewhere with C's fma. */
void kernel_run_plain(const kernel_op *ops, uint32_t nops, uint64_t reps, double rho_star, uint64_t *draw,
                      const kernel_lanes *l);

/* Gaussian number `draw` of the synapse with this noise key (what kernel_run uses). */
double kernel_gauss(uint64_t key, uint64_t draw);

/* The ziggurat's draws the fast test does not accept, from the stream's 64-bit number b of that
 * Gaussian: the wedge and the tail, decided exactly, further numbers taken from a stream seeded by b.
 * One scalar function for every path (kernel_body.h). */
double kernel_gauss_slow(const kernel_tab *t, uint64_t b);

/* The noise key of a synapse whose stream key (rng_init) is k: its Gaussians do not overlap the
 * uniform numbers drawn from k itself (Poisson trains). */
uint64_t kernel_noise_key(uint64_t k);

/* The path in use: the widest the CPU has, unless CALCIUM_STDP_KERNEL (plain, sse2, avx2, avx512)
 * names one it has. */
kernel_isa kernel_current(void);
/* 1 if this CPU and build can run the path. */
int kernel_available(kernel_isa isa);
/* Use this path from now on (tests); -1 if it is not available. */
int kernel_force(kernel_isa isa);
const char *kernel_name(kernel_isa isa);
/* KERNEL_* for a name, -1 if unknown. */
int kernel_parse(const char *name);

#endif
