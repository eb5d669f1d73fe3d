/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The kernel body for one lane at a time (kernel_body.h's V, U and macros for plain doubles), included by
 * kernel_plain.c (any CPU) and kernel_fma1.c (x86 with FMA) after they name KFN. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "kernel.h"

typedef double V;
typedef uint64_t U;
#define W   1

static inline U as_u(V v)
{
	U u;
	memcpy(&u, &v, sizeof u);
	return u;
}

static inline V as_v(U u)
{
	V v;
	memcpy(&v, &u, sizeof v);
	return v;
}

#define AS_U(v)      as_u(v)
#define AS_V(u)      as_v(u)
#define MASK(c)      ((U)0 - (U)(c))
#define LOADV(p)     (*(p))
#define LOADU(p)     (*(p))
#define STOREV(p, v) (*(p) = (v))
/* C99's fma: a * b + c rounded once, as the vector paths' instructions do it. */
#define FMA(a, b, c) fma(a, b, c)
#define GATHER(t, i) ((t)[i])
#define REJECTS_K(a, b) ((unsigned)((a) >= (b)))
#define LANE(v, k)      (*((void)(k), &(v)))

#include "kernel_body.h"
