/* SPDX-License-Identifier: GPL-3.0-or-later */
/* U, D, change and their intervals. */
#include <math.h>

#include "readout.h"
#include "tap.h"

int main(void)
{
	is_near(readout_change(0, 0, 0.5, 5), 1, 1e-15, "no switching: change 1");
	is_near(readout_change(1, 0, 0.5, 5), (0 + 5 * (0.5 + 0.5)) / 3.0, 1e-15, "all DOWN switch up");
	is_near(readout_change(0, 1, 0.5, 5), (0.5 + 0.5) / 3.0, 1e-15, "all UP switch down");
	double lo, hi;
	readout_wilson(0, 10, 1.959963984540054, &lo, &hi);
	ok(lo == 0 && hi > 0.27 && hi < 0.28, "Wilson 0/10: [0, 0.278] (%g, %g)", lo, hi);
	readout_wilson(50, 100, 1.959963984540054, &lo, &hi);
	is_near(lo, 0.40383, 1e-5, "Wilson 50/100 lower");
	is_near(hi, 0.59617, 1e-5, "Wilson 50/100 upper");
	readout r;
	readout_from_counts(1000, 640, 310, 0.5, 5, &r);
	is_near(r.change, readout_change(0.64, 0.31, 0.5, 5), 1e-15, "change from counts");
	ok(r.change_lo < r.change && r.change < r.change_hi, "the interval contains the estimate");
	/* Half-width about 1.96 SE: SE = sqrt((2/3)^2 U(1-U)/n + (2/3)^2 D(1-D)/n). */
	double se = sqrt(4.0 / 9 * 0.64 * 0.36 / 1000 + 4.0 / 9 * 0.31 * 0.69 / 1000);
	is_near(r.change_hi - r.change_lo, 2 * 1.96 * se, 0.002, "interval width about 2 x 1.96 SE");
	readout_from_counts(0, 0, 0, 0.5, 5, &r);
	ok(isnan(r.change) && isnan(r.change_lo), "no repetitions: NaN, never a fake value");
	return tap_done();
}
