/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Grids, shards and cell seeds, and the promise that makes clusters work: the shards of a map or a
 * sweep, concatenated, are the unsharded output byte for byte. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sweep.h"
#include "tap.h"

static char err[1024];

static void axes(void)
{
	sweep_axis a;
	ok(sweep_axis_parse("theta_d=0.5:1.5:11", 0, &a, err, sizeof err) == 0 && a.param == P_THETA_D &&
	       a.from == 0.5 && a.to == 1.5 && a.n == 11 && !a.log,
	   "theta_d=0.5:1.5:11 parses");
	is_near(sweep_axis_value(&a, 0), 0.5, 0, "value 0 is FROM");
	is_near(sweep_axis_value(&a, 10), 1.5, 0, "value N-1 is TO exactly");
	is_near(sweep_axis_value(&a, 5), 1.0, 1e-15, "values are evenly spaced");
	ok(sweep_axis_parse("gamma_p=10:1000:3:log", 1, &a, err, sizeof err) == 0 && a.log, ":log parses");
	is_near(sweep_axis_value(&a, 1), 100, 1e-9, "log spacing: the middle of 10..1000 is 100");
	ok(sweep_axis_parse("gamma_p=10:1000:3:log", 0, &a, err, sizeof err) < 0,
	   ":log is refused for a map");
	ok(sweep_axis_parse("theta_p=1.3:2:1", 0, &a, err, sizeof err) == 0 && a.n == 1 &&
	       sweep_axis_value(&a, 0) == 1.3,
	   "N = 1 is the single value FROM");
	ok(sweep_axis_parse("pairs=1:10:4", 0, &a, err, sizeof err) == 0 && sweep_axis_value(&a, 1) == 4,
	   "whole-number parameters take whole values");
	ok(sweep_axis_parse("theta_x=1:2:3", 0, &a, err, sizeof err) < 0 && strstr(err, "theta_d"),
	   "an unknown name is refused with a suggestion: %s", err);
	ok(sweep_axis_parse("theta_d=1:99:3", 0, &a, err, sizeof err) < 0 && strstr(err, "theta_d") &&
	       strstr(err, "10"),
	   "TO out of range names the parameter and its range: %s", err);
	ok(sweep_axis_parse("theta_d=1:2:0", 0, &a, err, sizeof err) < 0 && strstr(err, "1 to"),
	   "N = 0 is refused: %s", err);
	ok(sweep_axis_parse("theta_d=1:2", 0, &a, err, sizeof err) < 0, "a missing N is refused: %s", err);
	ok(sweep_axis_parse("theta_d", 0, &a, err, sizeof err) < 0, "a bare name is refused: %s", err);
	ok(sweep_axis_parse("theta_d=0:1:3:log", 1, &a, err, sizeof err) < 0,
	   "log spacing from 0 is refused: %s", err);
	ok(sweep_axis_parse("theta_d=1:2:3:cubic", 1, &a, err, sizeof err) < 0,
	   "an unknown spacing is refused");
	ok(sweep_axis_parse("protocol=0:1:2", 0, &a, err, sizeof err) < 0, "a choice cannot be swept: %s",
	   err);
	ok(sweep_axis_parse("seed=1:5:5", 0, &a, err, sizeof err) < 0, "the seed cannot be swept: %s", err);

	sweep_grid g = {0};
	sweep_axis_parse("theta_d=1:2:3", 0, &a, err, sizeof err);
	ok(sweep_grid_add(&g, &a, err, sizeof err) == 0, "add an axis");
	ok(sweep_grid_add(&g, &a, err, sizeof err) < 0 && strstr(err, "twice"),
	   "the same parameter twice: %s", err);
	sweep_axis_parse("theta_p=1:3:4", 0, &a, err, sizeof err);
	sweep_grid_add(&g, &a, err, sizeof err);
	ok(sweep_cells(&g) == 12, "3 x 4 = 12 cells");
	param_set base, p;
	params_defaults(&base);
	sweep_cell_params(&g, 5, &base, &p);
	ok(p.v[P_THETA_D] == 1.5 && p.v[P_THETA_P] == 1.66666666666667,
	   "cell 5 is (theta_d 1.5, theta_p 5/3 to 15 digits): the first axis varies slowest");
	sweep_axis_parse("theta_p=0.8:2.6:7", 0, &a, err, sizeof err);
	ok(sweep_axis_value(&a, 3) == 1.7, "0.8:2.6:7 has 1.7 (not 1.7000000000000002)");
	ok(p.v[P_SEED] == (double)sweep_cell_seed(1, 5),
	   "a cell's seed is derived from the seed and the cell");
	ok(sweep_cell_seed(1, 5) != sweep_cell_seed(1, 6) && sweep_cell_seed(1, 5) != sweep_cell_seed(2, 5),
	   "other cells and other seeds give other streams");
	ok(sweep_cell_seed(1, 5) <= 4294967295ULL, "cell seeds are in the seed's range");
}

static void shards(void)
{
	sweep_shard s;
	ok(sweep_shard_parse("2/3", &s, err, sizeof err) == 0 && s.k == 2 && s.n == 3, "2/3 parses");
	ok(sweep_shard_parse("0/3", &s, err, sizeof err) < 0, "0/3 is refused: %s", err);
	ok(sweep_shard_parse("4/3", &s, err, sizeof err) < 0, "4/3 is refused");
	ok(sweep_shard_parse("1/3x", &s, err, sizeof err) < 0, "1/3x is refused");
	ok(sweep_shard_parse("1", &s, err, sizeof err) < 0, "1 is refused");
	/* Every cell belongs to exactly one shard, the shards in order, for awkward sizes. */
	int good = 1;
	for (uint64_t cells = 0; cells < 40; cells++)
		for (int n = 1; n < 12; n++) {
			uint64_t next = 0;
			for (int k = 1; k <= n; k++) {
				uint64_t a, b;
				sweep_shard_range(cells, (sweep_shard){k, n}, &a, &b);
				good &= a == next && b >= a;
				next = b;
			}
			good &= next == cells;
		}
	ok(good, "shards 1..N of any grid are contiguous, disjoint and cover it in order");
	uint64_t a, b;
	sweep_shard_range(1ULL << 40, (sweep_shard){1000000, 1000000}, &a, &b);
	ok(b == 1ULL << 40 && a < b, "the largest grid and shard count do not overflow");
}

/* The output of sweep_run as a string. */
static char *run(sweep_opts o, int k, int n, int *rc)
{
	o.shard = (sweep_shard){k, n};
	FILE *f = tmpfile();
	*rc = sweep_run(&o, f, err, sizeof err);
	long len = ftell(f);
	char *s = calloc((size_t)len + 1, 1);
	rewind(f);
	if (fread(s, 1, (size_t)len, f) != (size_t)len)
		s[0] = 0;
	fclose(f);
	return s;
}

static void concatenation(const char *what, sweep_opts o)
{
	int rc, rc1, rc2, rc3;
	char *all = run(o, 0, 0, &rc);
	char *s1 = run(o, 1, 3, &rc1), *s2 = run(o, 2, 3, &rc2), *s3 = run(o, 3, 3, &rc3);
	ok(rc == 0 && rc1 == 0 && rc2 == 0 && rc3 == 0, "%s: every run succeeds", what);
	size_t len = strlen(s1) + strlen(s2) + strlen(s3);
	char *cat = malloc(len + 1);
	snprintf(cat, len + 1, "%s%s%s", s1, s2, s3);
	ok(strcmp(all, cat) == 0 && strlen(all) > 0,
	   "%s: 3 shards concatenated = the unsharded output (%zu bytes)", what, strlen(all));
	ok(strlen(s2) > 0 && strchr(s1, '\n') && strncmp(s2, all, 8) != 0,
	   "%s: only the first shard has the header", what);
	free(all), free(s1), free(s2), free(s3), free(cat);
}

static void outputs(void)
{
	sweep_opts o = {.tolerance = CLASSIFY_TOLERANCE, .threads = 2, .map = 1, .analytic = 1};
	params_defaults(&o.base);
	sweep_axis a;
	sweep_axis_parse("theta_d=0.8:1.4:4", 0, &a, err, sizeof err);
	sweep_grid_add(&o.grid, &a, err, sizeof err);
	sweep_axis_parse("theta_p=1.1:2.5:5", 0, &a, err, sizeof err);
	sweep_grid_add(&o.grid, &a, err, sizeof err);
	int rc;
	char *map = run(o, 0, 0, &rc);
	ok(strncmp(map, "theta_d,theta_p,class,change_min,x_at_min,change_max,x_at_max,class_p\n", 70) == 0,
	   "the map's header");
	int lines = 0;
	for (char *c = map; *c; c++)
		lines += *c == '\n';
	ok(lines == 21, "a 4 x 5 map has 20 rows and a header (%d lines)", lines);
	ok(strstr(map, "\n0.8,1.1,") && strstr(map, "\n1.4,2.5,"), "rows run from (FROM, FROM) to (TO, TO)");
	free(map);
	concatenation("analytic map", o);

	o.analytic = 0;
	o.base.v[P_REPS] = 50;
	o.base.v[P_POINTS] = 9;
	concatenation("simulated map", o);
	o.map = 0;
	concatenation("simulated sweep", o);
	char *sw = run(o, 0, 0, &rc);
	ok(strncmp(sw, "theta_d,theta_p,seed,dt_ms,U,D,change,change_lo,change_hi,reps\n", 62) == 0,
	   "the sweep's header: swept parameters, the seed, then the curve");
	char first[32];
	snprintf(first, sizeof first, "\n0.8,1.1,%llu,-100,", (unsigned long long)sweep_cell_seed(1, 0));
	ok(strstr(sw, first) != NULL, "a sweep row leads with the values and the cell's seed");
	free(sw);

	/* The same cell through a one-cell sweep gives the same curve: the seed is the cell's. */
	volatile sig_atomic_t stop = 1;
	o.stop = &stop;
	char *stopped = run(o, 0, 0, &rc);
	/* (the stop is seen while the cells are checked, before anything is written) */
	ok(rc == 1 && strcmp(stopped, "") == 0, "stopped before the first cell: nothing written, and status 1");
	free(stopped);
	o.stop = NULL;

	o.analytic = 1;
	o.map = 1;
	sweep_axis_parse("dt_min_ms=-100:200:2", 0, &a, err, sizeof err);
	sweep_grid_add(&o.grid, &a, err, sizeof err);
	char *bad = run(o, 0, 0, &rc);
	ok(rc < 0 && strstr(err, "dt_min_ms=200") && bad[0] == 0,
	   "a grid with an invalid cell is refused before anything is written: %s", err);
	free(bad);
}

int main(void)
{
	axes();
	shards();
	outputs();
	return tap_done();
}
