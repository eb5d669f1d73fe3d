/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The AVX2 path of the lockstep kernel: 4 lanes (kernel_body.h). No FMA: the other paths lack it. */
#include "kernel.h"

#ifdef KERNEL_X86
#ifdef __clang__
#pragma clang attribute push(__attribute__((target("avx2"))), apply_to = function)
#else
#pragma GCC target("avx2")
#endif
#include <immintrin.h>

#define W            4
#define KFN          kernel_run_avx2
#define HV           __m256d
#define GATHER(t, i) ((V)_mm256_i64gather_pd((t), (__m256i)(i), 8))
#define HREJK(a, b)  ((unsigned)_mm256_movemask_pd((__m256d)_mm256_cmpgt_epi64((__m256i)(b), (__m256i)(a))) ^ 0xfu)
#include "kernel_vec.h"

#ifdef __clang__
#pragma clang attribute pop
#endif
#else
typedef int kernel_avx2_unused;
#endif
