/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The SSE2 path of the lockstep kernel: 2 lanes (kernel_body.h). Taken only by CPUs without AVX2, whose
 * fused multiply-adds are C's fma (in software where the CPU has no FMA: slow, but the same bits). */
#include "kernel.h"

#ifdef KERNEL_X86
#ifdef __clang__
#pragma clang attribute push(__attribute__((target("sse2"))), apply_to = function)
#else
#pragma GCC target("sse2")
#endif
#include <immintrin.h>
#include <math.h>

#define W            2
#define KFN          kernel_run_sse2
#define HV           __m128d
#define GATHER(t, i) ((V){(t)[(i)[0]], (t)[(i)[1]]})
/* No 64-bit comparison in SSE2: a and b exactly as doubles 2^52 + a and 2^52 + b. */
#define HREJK(a, b)                                                                                  \
	((unsigned)_mm_movemask_pd(_mm_cmpge_pd((__m128d)((a) | UINT64_C(0x4330000000000000)),            \
	                                        (__m128d)((b) | UINT64_C(0x4330000000000000)))))
/* No fused multiply-add in SSE2: C99's fma on each lane (the same bits as the instruction). */
#define HFMA(a, b, c) ((V){fma((a)[0], (b)[0], (c)[0]), fma((a)[1], (b)[1], (c)[1])})
#define HDUP(x)       _mm_set1_pd(x)
#include "kernel_vec.h"

#ifdef __clang__
#pragma clang attribute pop
#endif
#else
/* Not x86: only the plain path is built. */
typedef int kernel_sse2_unused;
#endif
