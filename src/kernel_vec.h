/* The vector paths' side of the kernel body: GCC vector types of W doubles and the casts and loads the
 * body needs. Included by kernel_{sse2,avx2,avx512}.c after they set W, KFN, the hardware vector HV
 * (W / PARTS doubles) and its square root HSQRT. A V spans PARTS hardware vectors: GCC applies each
 * operation to the parts one after another, which gives the CPU independent chains to overlap (the
 * Gaussians' polynomials are long chains of dependent operations). */
#include <string.h>

/* V may be wider than the hardware's vectors: only static functions pass it, so the ABI note does not
 * apply. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wpsabi"
#endif

#include "kernel.h"

typedef double V __attribute__((vector_size(8 * W), aligned(8), may_alias));
typedef uint64_t U __attribute__((vector_size(8 * W), aligned(8), may_alias));
typedef int64_t S64 __attribute__((vector_size(8 * W)));

#define AS_U(v)      ((U)(v))
#define AS_V(u)      ((V)(u))
#define LOADV(p)     (*(const V *)(p))
#define LOADU(p)     (*(const U *)(p))
#define STOREV(p, v) (*(V *)(p) = (v))
#define SPLAT(x)     (((V){0}) + (double)(x))
#define SPLATU(x)    (((U){0}) + (uint64_t)(x))

static inline V vsqrt(V v)
{
	union {
		V v;
		HV h[PARTS];
	} u = {v};
	for (int i = 0; i < PARTS; i++)
		u.h[i] = HSQRT(u.h[i]);
	return u.v;
}

#define VSQRT(v) vsqrt(v)

#include "kernel_body.h"
