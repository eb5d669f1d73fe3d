/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The parameter sets of model.md section 3, written out here independently of the preset files, so that
 * the tests check the preset files against the paper and not against themselves. */
#ifndef CSTDP_PAPER_SETS_H
#define CSTDP_PAPER_SETS_H

#include <string.h>

#include "params.h"

typedef struct paper_set {
	const char *name;
	double tau_ca_ms, c_pre, c_post, theta_p, gamma_d, gamma_p, sigma, tau, delay_ms, beta,
	    b; /* table units */
	int pairs;
	double freq;
} paper_set;

static const paper_set paper_sets[] = {
    {"DP", 20, 1.0, 2.0, 1.3, 200, 321.808, 2.8284, 150, 13.7, 0.5, 5, 60, 1},
    {"DPD", 20, 0.9, 0.9, 1.3, 250, 550, 2.8284, 150, 4.6, 0.5, 5, 60, 1},
    {"DPDprime", 20, 1.0, 2.0, 2.5, 50, 600, 2.8284, 150, 2.2, 0.5, 5, 60, 1},
    {"P", 20, 2.0, 2.0, 1.3, 160, 257.447, 2.8284, 150, 0.0, 0.5, 5, 60, 1},
    {"D", 20, 0.6, 0.6, 1.3, 500, 550, 5.6568, 150, 0.0, 0.5, 5, 60, 1},
    {"Dprime", 20, 1.0, 2.0, 3.5, 60, 600, 2.8284, 150, 0.0, 0.5, 5, 60, 1},
    {"hippocampal-slices", 48.8373, 1.0, 0.275865, 1.3, 313.0965, 1645.59, 9.1844, 688.355, 18.8008, 0.7,
     5.28145, 200, 5},
    {"hippocampal-cultures", 11.9536, 0.58156, 1.76444, 1.3, 61.141, 113.6545, 2.5654, 33.7596, 10, 0.5,
     36.0263, 60, 1},
    {"cortical-slices", 22.6936, 0.5617539, 1.23964, 1.3, 331.909, 725.085, 3.3501, 346.3615, 4.6098, 0.5,
     5.40988, 75, 1},
};
#define PAPER_SETS ((int)(sizeof paper_sets / sizeof paper_sets[0]))

static inline void paper_set_params(const paper_set *s, param_set *p)
{
	params_defaults(p);
	p->v[P_TAU_CA_MS] = s->tau_ca_ms;
	p->v[P_C_PRE] = s->c_pre;
	p->v[P_C_POST] = s->c_post;
	p->v[P_THETA_D] = 1;
	p->v[P_THETA_P] = s->theta_p;
	p->v[P_GAMMA_D] = s->gamma_d;
	p->v[P_GAMMA_P] = s->gamma_p;
	p->v[P_SIGMA] = s->sigma;
	p->v[P_TAU_S] = s->tau;
	p->v[P_RHO_STAR] = 0.5;
	p->v[P_DELAY_MS] = s->delay_ms;
	p->v[P_BETA] = s->beta;
	p->v[P_B] = s->b;
	p->v[P_PAIRS] = s->pairs;
	p->v[P_FREQ_HZ] = s->freq;
}

static inline const paper_set *paper_set_find(const char *name)
{
	for (int i = 0; i < PAPER_SETS; i++)
		if (strcmp(paper_sets[i].name, name) == 0)
			return &paper_sets[i];
	return NULL;
}

#endif
