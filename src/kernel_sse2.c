/* The SSE2 path of the lockstep kernel: 2 lanes (kernel_body.h). */
#include "kernel.h"

#ifdef KERNEL_X86
#ifdef __clang__
#pragma clang attribute push(__attribute__((target("sse2"))), apply_to = function)
#else
#pragma GCC target("sse2")
#endif
#include <immintrin.h>

#define W            2
#define KFN          kernel_run_sse2
#define HV           __m128d
#define GATHER(t, i) ((V){(t)[(i)[0]], (t)[(i)[1]]})
#define HREJU(a, b)  ((unsigned)_mm_movemask_pd((__m128d)((a) >= (b))))
#include "kernel_vec.h"

#ifdef __clang__
#pragma clang attribute pop
#endif
#else
/* Not x86: only the plain path is built. */
typedef int kernel_sse2_unused;
#endif
