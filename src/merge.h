/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Parts of a map or a sweep that prove where they come from, and the merge that checks them.
 *
 * A part (--shard K/N) is written between two comment lines:
 *   #calcium-stdp part=K/N cells=FIRST-END/TOTAL version=V seed=S grid=AXES run=HASH
 *   ...the rows of cells [FIRST, END) (the CSV header too in part 1)...
 *   #calcium-stdp end=K/N rows=R sum=HASH
 * The first line names the run (the program's version, the seed, the grid, and a hash of everything
 * else that decides the numbers: every parameter, map or sweep, the tolerance, analytic or the
 * method); the end line is written only when the part is complete, with its row count and a
 * checksum of its bytes. The merge takes parts from files (or standard input, where they may follow
 * each other), checks that they are whole, of one run, each once and none missing, and only then
 * writes their rows in part order: the unsharded output, byte for byte. */
#ifndef CSTDP_MERGE_H
#define CSTDP_MERGE_H

#include <stdio.h>

#include "sweep.h"

/* The map or sweep of o on out, as sweep_run writes it; with a shard (o->shard.n >= 1), framed by
 * the part's first and end lines (the end line only when the part is complete). version: the
 * program's. Returns what sweep_run returns. */
int merge_write_part(const sweep_opts *o, const char *version, FILE *out, char *err, size_t errlen);

/* --merge: the n parts named by paths ("-": standard input) checked, then their rows written to out
 * in part order. Returns 0; 2 when a part is refused (nothing written) with err naming the part and
 * why; 1 when reading or writing failed. */
#define MERGE_REFUSED 2
int merge_parts(const char *const *paths, int n, FILE *out, char *err, size_t errlen);

#endif
