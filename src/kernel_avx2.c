/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The AVX2 path of the lockstep kernel: 4 lanes (kernel_body.h), with FMA (every AVX2 CPU has it). */
#include "kernel.h"

#ifdef KERNEL_X86
#ifdef __clang__
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#else
#pragma GCC target("avx2,fma")
#endif
#include <immintrin.h>

#define W            4
#define KFN          kernel_run_avx2
#define HV           __m256d
#define GATHER(t, i) ((V)_mm256_i64gather_pd((t), (__m256i)(i), 8))
#define HREJK(a, b)  ((unsigned)_mm256_movemask_pd((__m256d)_mm256_cmpgt_epi64((__m256i)(b), (__m256i)(a))) ^ 0xfu)
#define HFMA(a, b, c) ((V)_mm256_fmadd_pd((__m256d)(a), (__m256d)(b), (__m256d)(c)))
#define HDUP(x)       _mm256_set1_pd(x)
#include "kernel_vec.h"

#ifdef __clang__
#pragma clang attribute pop
#endif
#else
typedef int kernel_avx2_unused;
#endif
