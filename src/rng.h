/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Per-synapse random streams and Gaussian variates.
 * A stream is splitmix64 started from a key hashed from (seed, dt index, initial state, repetition):
 * every synapse has its own sequence, so a curve does not depend on how work is split or ordered. */
#ifndef CSTDP_RNG_H
#define CSTDP_RNG_H

#include <math.h>
#include <stdint.h>

static inline uint64_t rng_mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

typedef struct rng {
	uint64_t s;   /* splitmix64 counter */
	double spare; /* second variate of the last polar pair */
	int have_spare;
} rng;

/* A stream's key in two steps: the part of (seed, dt index), shared by every synapse of a point, then
 * the synapse's. */
static inline uint64_t rng_point_key(uint64_t seed, uint64_t dt_index)
{
	uint64_t k = rng_mix64(seed + 0x9e3779b97f4a7c15ULL);
	return rng_mix64(k ^ (dt_index * 0xd1b54a32d192ed03ULL + 0x632be59bd9b4e019ULL));
}

static inline uint64_t rng_synapse_key(uint64_t point_key, uint64_t state, uint64_t rep)
{
	return rng_mix64(point_key ^ (rep * 2 + state));
}

static inline void rng_init(rng *r, uint64_t seed, uint64_t dt_index, uint64_t state, uint64_t rep)
{
	r->s = rng_synapse_key(rng_point_key(seed, dt_index), state, rep);
	r->have_spare = 0;
	r->spare = 0;
}

static inline uint64_t rng_u64(rng *r)
{
	r->s += 0x9e3779b97f4a7c15ULL;
	return rng_mix64(r->s);
}

/* Uniform in (-1, 1) with 53 bits. */
static inline double rng_sym(rng *r)
{
	return (double)(rng_u64(r) >> 10) * 0x1p-53 - 1.0;
}

/* Standard normal by Marsaglia's polar method (one log and one sqrt per two variates). */
static inline double rng_normal(rng *r)
{
	if (r->have_spare) {
		r->have_spare = 0;
		return r->spare;
	}
	double u, v, s;
	do {
		u = rng_sym(r);
		v = rng_sym(r);
		s = u * u + v * v;
	} while (s >= 1.0 || s == 0.0);
	double f = sqrt(-2.0 * log(s) / s);
	r->spare = v * f;
	r->have_spare = 1;
	return u * f;
}

#endif
