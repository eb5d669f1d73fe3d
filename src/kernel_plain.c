/* The plain C path of the lockstep kernel: one lane at a time, any architecture. It is the reference the
 * vector paths must match bit for bit, and it serves single synapses (sim_synapse, sim_trajectory,
 * Poisson trains) so that they follow the same stream mapping as the counts. */
#include <math.h>
#include <string.h>

#include "kernel.h"

typedef double V;
typedef uint64_t U;
#define W   1
#define KFN kernel_run_plain

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
#define VSQRT(v)     sqrt(v)
#define LOADV(p)     (*(p))
#define LOADU(p)     (*(p))
#define STOREV(p, v) (*(p) = (v))
#define VZERO        0.0

#include "kernel_body.h"

double kernel_gauss(uint64_t key, uint64_t draw)
{
	double z0, z1;
	kb_gauss_pair(key, draw >> 1, &z0, &z1);
	return draw & 1 ? z1 : z0;
}

uint64_t kernel_noise_key(uint64_t k)
{
	return kb_mix(k ^ 0x6a09e667f3bcc909ULL);
}
