/* The vector paths' side of the kernel body: GCC vector types of W doubles and the casts and loads the
 * body needs. Included by kernel_{sse2,avx2,avx512}.c after they set W, KFN and VSQRT. */
#include <string.h>

#include "kernel.h"

typedef double V __attribute__((vector_size(8 * W), aligned(8), may_alias));
typedef uint64_t U __attribute__((vector_size(8 * W), aligned(8), may_alias));
typedef int64_t S64 __attribute__((vector_size(8 * W)));

#define AS_U(v)      ((U)(v))
#define AS_V(u)      ((V)(u))
#define MASK(c)      ((U)(c))
#define LOADV(p)     (*(const V *)(p))
#define LOADU(p)     (*(const U *)(p))
#define STOREV(p, v) (*(V *)(p) = (v))
#define SPLAT(x)     (((V){0}) + (double)(x))
#define SPLATU(x)    (((U){0}) + (uint64_t)(x))

#include "kernel_body.h"
