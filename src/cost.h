/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a run will cost, known before it is paid. A model of the work: for a periodic protocol with
 * the segments method, each synapse's path is counted (active operations, one Gaussian each, and
 * steps of the quiet gaps' polynomial) and priced at CPU rates of this machine's kernel, calibrated
 * once per process in CPU time (so a busy machine does not change them); other protocols and
 * methods are priced by a short sample of one synapse, also in CPU time. A cheap run pays nothing:
 * a bound from one point decides whether the estimate is worth making. */
#ifndef CSTDP_COST_H
#define CSTDP_COST_H

#include <stddef.h>

#include "params.h"
#include "sim.h"

/* A day: a map or sweep expected to take longer is refused unless forced. */
#define COST_DAY_S 86400.0

/* CPU seconds the curve of p takes (both initial states, every repetition and point; the analytic
 * curve with analytic), by the calibrated model. -1 when a point cannot be built (bad set, memory). */
double cost_curve_cpu(const param_set *p, sim_method method, int analytic);

/* 1 when the curve of p cannot take `cpu_s` CPU seconds (by a generous bound from one point, which
 * costs microseconds): then cost_curve_cpu is not worth calling. */
int cost_curve_below(const param_set *p, sim_method method, int analytic, double cpu_s);

/* Wall seconds of cpu_s CPU seconds on `threads` workers (no more than the machine's cores). */
double cost_wall_s(double cpu_s, int threads);

/* CPU seconds of checking one parameter set (a grid checks every cell first). */
double cost_check_cpu(void);

/* The calibrated rates in words (for the benchmark). */
void cost_describe(char *buf, size_t len);

/* Calibrate the rates now (otherwise the first cost_curve_cpu does; once per process). */
void cost_calibrate(void);

#endif
