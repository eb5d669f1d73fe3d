/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The weight model's trials of a random protocol, in lockstep lanes (see wlanes.h). */
#include "wlanes.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "rng.h"

/* Vectors pass between static functions only: no ABI is concerned. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wpsabi"
#endif

void wlanes_setup_init(wlanes_setup *s, const param_set *p, int index, double x)
{
	const double *v = p->v;
	memset(s, 0, sizeof *s);
	weight_model_init(&s->m, p);
	s->seed = (uint64_t)v[P_SEED];
	s->index = (uint64_t)index;
	s->T = v[P_DURATION_S];
	switch ((int)v[P_PROTOCOL]) {
	case PROTO_IRREGULAR:
		s->rpre = v[P_RATE_PRE_HZ], s->dt = x * 1e-3, s->prob = v[P_PAIR_PROB];
		s->rind = v[P_RATE_POST_HZ] - s->prob * s->rpre;
		break;
	case PROTO_IRREGULAR_RATE:
		s->rpre = x, s->dt = v[P_FIXED_DT_MS] * 1e-3, s->prob = v[P_PAIR_PROB];
		s->rind = x - s->prob * x;
		break;
	default: /* poisson: independent trains */
		s->rpre = v[P_RATE_PRE_HZ], s->rind = x;
		break;
	}
	if (!(s->rind > 0))
		s->rind = 0;
	const weight_model *m = &s->m;
	s->lo = fmin(m->theta_d, m->theta_p);
	s->hi = fmax(m->theta_d, m->theta_p);
	s->g = m->gamma_p + m->gamma_d;
	s->wbar = s->g > 0 ? m->gamma_p / s->g : 0;
	s->k_hi = s->g / m->tau;
	s->k_d = m->gamma_d / m->tau;
	s->k_p = m->gamma_p / m->tau;
	s->inv_tau_ca = 1 / m->tau_ca;
	s->inv_tau_rec = m->tau_rec > 0 ? 1 / m->tau_rec : 0;
	s->inv_rpre = s->rpre > 0 ? 1 / s->rpre : 0;
	s->inv_rind = s->rind > 0 ? 1 / s->rind : 1;
}

/* Room for need spikes in each of the lanes (allocated for the widest path) in the lists the setup
 * uses: the presynaptic spikes, their depression factors, the paired and the independent posts. */
static int wlanes_grow(wlanes_buf *b, const wlanes_setup *s, size_t need)
{
	double **lists[] = {&b->pre, &b->amp, &b->pair, &b->ind};
	int used[] = {1, s->m.U > 0, (s->prob > 0) && (s->prob < 1), s->rind > 0};
	size_t cap = b->cap;
	if (need > cap) {
		cap = cap ? 2 * cap : 512;
		while (cap < need)
			cap *= 2;
	}
	for (size_t k = 0; k < sizeof lists / sizeof *lists; k++) {
		if (cap == b->cap && (*lists[k] || !used[k]))
			continue;
		if (!*lists[k] && !used[k])
			continue;
		double *a = realloc(*lists[k], cap * WLANES * sizeof *a);
		if (!a)
			return -1;
		*lists[k] = a;
	}
	b->cap = cap;
	return 0;
}

void wlanes_buf_free(wlanes_buf *b)
{
	free(b->pre);
	free(b->pair);
	free(b->amp);
	free(b->ind);
	memset(b, 0, sizeof *b);
}

/* exp and log of the lanes use short polynomials on tables of 16 entries (no libm: its routines
 * differ between FMA and non-FMA CPUs), which AVX-512 reads from registers: exp 2^(j/16), which is
 * weight_exp2[4 j]; log 1 / c_j rounded, for c_j the middle of the j-th 16th of [1, 2), and -log of
 * that rounded value, correctly rounded: log m = log(m / c_j') + log c_j' exactly in the reals. */
static const double wl_inv[16] = {
    0x1.f07c1f07c1f08p-1, 0x1.d41d41d41d41dp-1, 0x1.bacf914c1bad0p-1, 0x1.a41a41a41a41ap-1,
    0x1.8f9c18f9c18fap-1, 0x1.7d05f417d05f4p-1, 0x1.6c16c16c16c17p-1, 0x1.5c9882b931057p-1,
    0x1.4e5e0a72f0539p-1, 0x1.4141414141414p-1, 0x1.3521cfb2b78c1p-1, 0x1.29e4129e4129ep-1,
    0x1.1f7047dc11f70p-1, 0x1.15b1e5f75270dp-1, 0x1.0c9714fbcda3bp-1, 0x1.0410410410410p-1,
};
static const double wl_lg[16] = {
    0x1.f829b0e7832f8p-6, 0x1.6f0d28ae56b4ep-4, 0x1.29552f81ff521p-3, 0x1.9525a9cf456b6p-3,
    0x1.fb9186d5e3e29p-3, 0x1.2e8e2bae11d31p-2, 0x1.5d1bdbf5809cap-2, 0x1.89a3386c1425bp-2,
    0x1.b44f77bcc8f64p-2, 0x1.dd46a04c1c4a1p-2, 0x1.02552a5a5d0ffp-1, 0x1.154c3d2f4d5eap-1,
    0x1.2795e1289b11bp-1, 0x1.393e0d3562a1ap-1, 0x1.4a4f85db03ebbp-1, 0x1.5ad404c359f2dp-1,
};

/* Groups of lanes a call, each path's: enough independent chains of dependent operations (an event's
 * logarithm, exponentials and weight) to keep the vector units busy, no more (measured). */
#define WG_PLAIN  4
#define WG_AVX2   4
#define WG_AVX512 2

/* The plain path: groups of two lanes (the baseline x86-64, SSE2, has two). */
#define WL  2
#define WG  WG_PLAIN
#define WN  plain
#define WFN run_plain
#include "wlanes_body.h"
#undef WL
#undef WG
#undef WN
#undef WFN

#ifdef KERNEL_X86
#include <immintrin.h>
#ifdef __clang__
#pragma clang attribute push(__attribute__((target("avx2"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2")
#endif
#define WL             4
#define WG             WG_AVX2
#define WN             avx2
#define WFN            run_avx2
#define ANY(m)         (!_mm256_testz_si256((__m256i)(m), (__m256i)(m)))
#define GATHER(t, idx) ((VD)_mm256_i64gather_pd((t), (__m256i)(idx), 8))
#include "wlanes_body.h"
#undef WL
#undef WG
#undef WN
#undef WFN
#undef ANY
#undef GATHER
#ifdef __clang__
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

#ifdef __clang__
#pragma clang attribute push(__attribute__((target("avx512f,avx512dq"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx512f,avx512dq")
#endif
#define WL                     8
#define WG                     WG_AVX512
#define WN                     avx512
#define WFN                    run_avx512
#define ANY(m)                 (_mm512_test_epi64_mask((__m512i)(m), (__m512i)(m)) != 0)
#define GATHER(t, idx)         ((VD)_mm512_i64gather_pd((__m512i)(idx), (t), 8))
#define PERMUTE16(lo, idx, hi) ((VD)_mm512_permutex2var_pd((__m512d)(lo), (__m512i)(idx), (__m512d)(hi)))
#include "wlanes_body.h"
#undef WL
#undef WG
#undef WN
#undef WFN
#undef ANY
#undef GATHER
#undef PERMUTE16
#ifdef __clang__
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif
#endif

/* WLANES trials a call, in calls of the path's width (WG groups of its lanes). */
void wlanes_run(const wlanes_setup *s, uint64_t first, uint32_t count, double *out, wlanes_buf *buf)
{
	void (*fn)(const wlanes_setup *, uint64_t, uint32_t, double *, wlanes_buf *) = run_plain;
	uint32_t width = 2 * WG_PLAIN;
#ifdef KERNEL_X86
	kernel_isa isa = kernel_current();
	if (isa == KERNEL_AVX512)
		fn = run_avx512, width = 8 * WG_AVX512;
	else if (isa == KERNEL_AVX2)
		fn = run_avx2, width = 4 * WG_AVX2;
#endif
	for (uint32_t k = 0; k < count; k += width)
		fn(s, first + k, count - k < width ? count - k : width, out + k, buf);
}

void wlanes_trials(const param_set *p, int index, double x, uint64_t first, uint64_t count, double *sum,
                   double *sumsq)
{
	wlanes_setup su;
	wlanes_setup_init(&su, p, index, x);
	wlanes_buf buf = {0};
	double a = 0, b = 0;
	for (uint64_t k = first; k < first + count; k += WLANES) {
		double c[WLANES];
		uint32_t n = first + count - k < WLANES ? (uint32_t)(first + count - k) : WLANES;
		wlanes_run(&su, k, n, c, &buf);
		/* Summed in trial order: the same sums however trials are grouped. */
		for (uint32_t l = 0; l < n; l++)
			a += c[l], b += c[l] * c[l];
	}
	wlanes_buf_free(&buf);
	*sum = a;
	*sumsq = b;
}
