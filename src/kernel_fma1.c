/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The plain path of the lockstep kernel compiled for x86 CPUs with FMA: one lane at a time, its fused
 * multiply-adds one instruction each instead of calls to C's fma (the same bits: both round once).
 * kernel_run_plain takes it when the CPU has FMA. */
#include "kernel.h"

#ifdef KERNEL_X86
#ifdef __clang__
#pragma clang attribute push(__attribute__((target("fma"))), apply_to = function)
#else
#pragma GCC target("fma")
#endif

#define KFN kernel_run_plain_fma
#include "kernel_scalar.h"

#ifdef __clang__
#pragma clang attribute pop
#endif
#else
typedef int kernel_fma1_unused;
#endif
