/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The AVX-512 path of the lockstep kernel: 8 lanes (kernel_body.h); DQ for 64-bit multiplies. */
#include "kernel.h"

#ifdef KERNEL_X86
#ifdef __clang__
#pragma clang attribute push(__attribute__((target("avx512f,avx512dq,fma"))), apply_to = function)
#else
#pragma GCC target("avx512f,avx512dq,fma")
#endif
#include <immintrin.h>

#define W            8
#define KFN          kernel_run_avx512
#define HV           __m512d
#define GATHER(t, i) ((V)_mm512_i64gather_pd((__m512i)(i), (t), 8))
#define HREJK(a, b)  ((unsigned)_mm512_cmpge_epu64_mask((__m512i)(a), (__m512i)(b)))
#define HFMA(a, b, c) ((V)_mm512_fmadd_pd((__m512d)(a), (__m512d)(b), (__m512d)(c)))
#define HDUP(x)       _mm512_set1_pd(x)
#include "kernel_vec.h"

#ifdef __clang__
#pragma clang attribute pop
#endif
#else
typedef int kernel_avx512_unused;
#endif
