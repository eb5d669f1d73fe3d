/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The vector paths' side of the kernel body: GCC vector types of W doubles and the casts and loads the
 * body needs. Included by kernel_{sse2,avx2,avx512}.c after they set W, KFN, GATHER, the hardware vector HV,
 * its lane mask of a >= b for U below 2^20, HREJK, its fused multiply-add of three V, HFMA, and the
 * hardware vector with a double in every lane, HDUP. */
#include "kernel.h"

typedef double V __attribute__((vector_size(8 * W), aligned(8), may_alias));
typedef uint64_t U __attribute__((vector_size(8 * W), aligned(8), may_alias));

#define AS_U(v)      ((U)(v))
#define AS_V(u)      ((V)(u))
#define LOADV(p)     (*(const V *)(p))
#define LOADU(p)     (*(const U *)(p))
#define STOREV(p, v) (*(V *)(p) = (v))

/* A bit per lane where a >= b, both below 2^20 (HREJK), and lane k of a vector. */
#define REJECTS_K(a, b) HREJK(a, b)
#define LANE(v, k)      ((v)[k])

/* The fused multiply-add of the path (HFMA, on vectors), a double operand in every lane. */
static inline V kv_vec(V v)
{
	return v;
}
static inline V kv_dup(double x)
{
	return (V)HDUP(x);
}
#define KV(x)        _Generic((x), double: kv_dup, default: kv_vec)(x)
#define FMA(a, b, c) HFMA(KV(a), KV(b), KV(c))

#include "kernel_body.h"
