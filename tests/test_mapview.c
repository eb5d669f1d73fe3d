/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The explorer map's grid and job, without a terminal. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mapview.h"
#include "sweep.h"
#include "tap.h"

static int never(void *user)
{
	(void)user;
	return 0;
}

static int after_three(void *user)
{
	int *calls = user;
	return ++*calls > 3;
}

int main(void)
{
	mapview_axis a;
	mapview_axis_place(&a, P_THETA_D, 1.0, 11);
	ok(a.mark == 5 && mapview_axis_value(&a, 5) == 1.0, "the current value is exactly the middle cell");
	ok(mapview_axis_value(&a, 0) == 0.5 && mapview_axis_value(&a, 10) == 1.5,
	   "the axis runs from v/2 to 3v/2 in round steps");
	mapview_axis_place(&a, P_THETA_P, 1.3, 13);
	ok(mapview_axis_value(&a, 0) == 0.7 && mapview_axis_value(&a, 7) == 1.4,
	   "steps are 1, 2, 2.5 or 5 times a power of ten: 0.7, 0.8 ... 1.9 for 1.3 on 13 cells");
	mapview_axis_place(&a, P_DELAY_MS, 0.0, 9);
	ok(mapview_axis_value(&a, 0) == 0 && a.mark == 0 && mapview_axis_value(&a, 8) > 0,
	   "at the bottom of its range (delay 0) the axis starts there, marked at cell 0");
	mapview_axis_place(&a, P_RHO_STAR, 0.98, 9);
	ok(mapview_axis_value(&a, 8) <= 0.99 && a.mark >= 0 &&
	       fabs(mapview_axis_value(&a, a.mark) - 0.98) < 0.2,
	   "near the top of the range the axis shifts down and still marks the value");
	mapview_axis_place(&a, P_PAIRS, 60, 7);
	ok(mapview_axis_value(&a, 1) == floor(mapview_axis_value(&a, 1)),
	   "whole-number parameters stay whole");
	ok(!mapview_axis_ok(P_PROTOCOL) && !mapview_axis_ok(P_SEED) && mapview_axis_ok(P_GAMMA_P),
	   "choices and the seed are not axes; gamma_p is");

	int cols, rows;
	mapview_fit(80, 14, &cols, &rows);
	ok(cols == (80 - MAPVIEW_LABEL_W - 1) / MAPVIEW_CELL_W && rows == 10,
	   "a 80 x 14 region holds %d x %d cells", cols, rows);

	mapview_grid g;
	params_defaults(&g.base);
	mapview_axis_place(&g.x, P_THETA_D, g.base.v[P_THETA_D], 5);
	mapview_axis_place(&g.y, P_THETA_P, g.base.v[P_THETA_P], 4);
	mapview_job *j = mapview_job_new(&g, CLASSIFY_TOLERANCE);
	ok(j && mapview_job_run(j, never, NULL, NULL) == 0, "the job runs to the end");
	int same = 1;
	for (int r = 0; r < 4; r++)
		for (int c = 0; c < 5; c++) {
			param_set p;
			classify_result cr;
			mapview_cell_params(&g, c, r, &p);
			sweep_classify_analytic(&p, CLASSIFY_TOLERANCE, &cr);
			same &= strcmp(cr.name, j->cls[r * 5 + c]) == 0;
		}
	ok(same, "every cell holds the class of its set's analytic curve");
	is_str(j->cls[g.y.mark * 5 + g.x.mark], "DP", "the current (DP) set's cell is DP");
	mapview_job_free(j);
	j = mapview_job_new(&g, CLASSIFY_TOLERANCE);
	int calls = 0;
	ok(mapview_job_run(j, after_three, NULL, &calls) == 1 && j->cls[3][0] == 0,
	   "a cancelled job stops between cells");
	mapview_job_free(j);

	char t[4];
	mapview_cell_text("DP", t);
	is_str(t, "DP ", "DP is written 'DP '");
	mapview_cell_text("flat", t);
	is_str(t, " . ", "flat is ' . '");
	mapview_cell_text("DPDP", t);
	is_str(t, "DP+", "a long class is cut with '+'");
	ok(mapview_class_colour("D") != mapview_class_colour("P") && mapview_class_colour("flat") == 0,
	   "D and P have different colours, flat none");
	return tap_done();
}
