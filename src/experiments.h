/* Experimental points to draw over the model's curves. */
#ifndef CSTDP_EXPERIMENTS_H
#define CSTDP_EXPERIMENTS_H

/* Sjostrom, Turrigiano & Nelson (2001), cortical slices, 75 pairs: change in synaptic strength
 * (after/before) against pairing frequency at dt = +10 and -10 ms, with its SEM (as model.md lists
 * them, from the authors' experimental_data/sjoestroem_regular_all.dat; change = 1 + the listed
 * change - 1). */
typedef struct experiment_point {
	double freq_hz, dt_ms, change, sem;
} experiment_point;

static const experiment_point experiments_sjostrom2001[] = {
    {0.1, +10, 0.96, 0.05}, {0.1, -10, 0.71, 0.08}, {10, +10, 1.14, 0.10}, {10, -10, 0.59, 0.11},
    {20, +10, 1.29, 0.14},  {20, -10, 0.66, 0.10},  {40, +10, 1.53, 0.11}, {40, -10, 1.56, 0.32},
    {50, +10, 1.56, 0.26},  {50, -10, 1.75, 0.19},
};
#define EXPERIMENTS_SJOSTROM2001 ((int)(sizeof experiments_sjostrom2001 / sizeof experiments_sjostrom2001[0]))

#endif
