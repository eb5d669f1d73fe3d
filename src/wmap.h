/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Simulated map and sweep cells of the deterministic weight model (efficacy = weight): a cell's rows
 * from the engine's weight snapshot, and how sure its class is. Exact points (regular trains) have
 * one class for certain; means over trials are redrawn from their normal sampling distributions. */
#ifndef CSTDP_WMAP_H
#define CSTDP_WMAP_H

#include <stddef.h>
#include <stdint.h>

#include "batch.h"
#include "classify.h"
#include "engine.h"

/* When s is the weight model's, its rows into rows[s->points] (reps 0: exact) and 1; else 0. */
int wmap_rows(const engine_snapshot *s, batch_row *rows);

/* The share of SWEEP_RESAMPLES curves, each point redrawn as a normal of its mean and standard
 * error (from its 95% interval), that give c's class; 1 when every point is exact. The stream is
 * keyed by seed and cell. 0, or -1 when out of memory. */
int wmap_class_share(const batch_row *rows, int n, uint64_t seed, uint64_t cell, double tol, int resamples,
                     classify_result *c);

/* With analytic set, -1 (why says so, when why is not NULL) for a set without an analytic curve:
 * the weight model on random trains, either model on irregular ones; else 0. */
int wmap_check_analytic(const param_set *p, int analytic, char *why, size_t len);

/* The class of a weight set on a random protocol from the means over its reps trials at each point
 * (family_curve's numbers), classified with their intervals so that noise adds no letter. 0, 1 when
 * cancelled (checked between points), or -1 when out of memory or a mean is not finite. */
int wmap_classify_trials(const param_set *p, double tol, classify_result *r, int (*cancelled)(void *user),
                         void *user);

#endif
