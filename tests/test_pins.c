/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Pinned curves: copies kept, at most four, each its own style, legends that say what differs. */
#include "pins.h"
#include "tap.h"

int main(void)
{
	pins ps = {0};
	param_set a, b;
	params_defaults(&a);
	b = a;
	double x[3] = {-10, 0, 10}, y[3] = {0.8, 1.0, 1.2}, ax[2] = {-10, 10}, ay[2] = {0.9, 1.1};
	ok(pins_add(&ps, &a, x, y, 3, ax, ay, 2) == 0 && ps.n == 1, "a pin is kept");
	y[0] = 5;
	ok(ps.p[0].y[0] == 0.8 && ps.p[0].ay[1] == 1.1,
	   "as a copy: later changes to the curve do not reach it");
	char label[128];
	pins_label(&ps.p[0], &a, label, sizeof label);
	is_str(label, "same parameters", "same set: the legend says so");
	b.v[P_THETA_P] = 1.45;
	pins_label(&ps.p[0], &b, label, sizeof label);
	is_str(label, "theta_p 1.3 -> 1.45", "one slider moved: its name, the pinned and the current value");
	b.v[P_GAMMA_D] = 250;
	b.v[P_SIGMA] = 3;
	b.v[P_PROTOCOL] = PROTO_BURST;
	pins_label(&ps.p[0], &b, label, sizeof label);
	is_str(label, "theta_p 1.3 -> 1.45, gamma_d 200 -> 250 +2 more",
	       "several: two named, the rest counted");
	for (int i = 0; i < 4; i++) {
		a.v[P_THETA_P] = 1.0 + 0.1 * i;
		pins_add(&ps, &a, x, y, 3, ax, ay, 2);
	}
	ok(ps.n == PINS_MAX, "at most %d pins", PINS_MAX);
	ok(ps.p[0].set.v[P_THETA_P] == 1.0 && ps.p[3].set.v[P_THETA_P] == 1.0 + 0.1 * 3,
	   "the oldest went first");
	int styles = 0;
	for (int i = 0; i < ps.n; i++)
		styles |= 1 << ps.p[i].style;
	ok(styles == 0xf, "each pin in its own style");
	int kept = ps.p[1].style;
	pins_add(&ps, &a, x, y, 3, ax, ay, 2);
	ok(ps.p[0].style == kept, "a pin keeps its style when an older one goes");
	pins_clear(&ps);
	ok(ps.n == 0, "clear drops them all");
	return tap_done();
}
