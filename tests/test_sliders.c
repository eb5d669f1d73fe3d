/* The slider panel and the screen layout, without a terminal. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "params.h"
#include "sliders.h"
#include "tap.h"

static void test_order(void)
{
	static const int issue_order[] = {P_THETA_D,   P_THETA_P, P_GAMMA_D, P_GAMMA_P,  P_TAU_S,
	                                  P_TAU_CA_MS, P_C_PRE,   P_C_POST,  P_DELAY_MS, P_SIGMA,
	                                  P_RHO_STAR,  P_BETA,    P_B,       P_PAIRS,    P_FREQ_HZ};
	int n = (int)(sizeof issue_order / sizeof issue_order[0]), same = 1;
	for (int i = 0; i < n; i++)
		same &= sliders_order[i] == issue_order[i];
	ok(sliders_count >= n && same, "the panel starts with the issue's 15 parameters in its order");

	int seen[P_COUNT] = {0}, dup = 0;
	for (int i = 0; i < sliders_count; i++)
		dup |= seen[sliders_order[i]]++;
	ok(!dup, "no parameter has two sliders");
	ok(!seen[P_REPS] && !seen[P_SEED], "reps and seed have keys (+, n), not sliders");
}

static void test_fraction(void)
{
	const param_info *g = &params_table[P_GAMMA_D];
	is_near(sliders_fraction(P_GAMMA_D, g->min), 0, 0, "the bottom of the range is the left end");
	is_near(sliders_fraction(P_GAMMA_D, g->max), 1, 0, "the top of the range is the right end");
	is_near(sliders_fraction(P_GAMMA_D, -5), 0, 0, "below the range clamps to the left end");
	is_near(sliders_fraction(P_BETA, 0.5), 0.5, 1e-12, "beta is linear: 0.5 is the middle");
	ok(sliders_scale_of(P_TAU_S) == SLIDERS_LOG, "tau (1 to 10000 s) is drawn on a log scale");
	is_near(sliders_fraction(P_TAU_S, 100), 0.5, 1e-12, "so 100 s is the middle of 1..10000 s");
	ok(sliders_scale_of(P_GAMMA_D) == SLIDERS_SQRT, "gamma_d (0 to 5000) on a square-root scale");
	ok(sliders_fraction(P_GAMMA_D, 200) > 0.1,
	   "so the default gamma_d 200 does not sit in the first cell");
	for (int i = 0; i < sliders_count; i++) {
		int id = sliders_order[i];
		double prev = -1, mono = 1;
		for (int k = 0; k <= 100; k++) {
			const param_info *pi = &params_table[id];
			double f = sliders_fraction(id, pi->min + (pi->max - pi->min) * k / 100);
			mono = mono && f >= prev && f >= 0 && f <= 1;
			prev = f;
		}
		ok(mono, "%s: the bar position grows with the value and stays in 0..1",
		   params_table[id].name);
	}
}

static void test_value_at(void)
{
	for (int i = 0; i < sliders_count; i++) {
		int id = sliders_order[i];
		const param_info *pi = &params_table[id];
		ok(sliders_value_at(id, 0) == pi->min && sliders_value_at(id, 1) == pi->max,
		   "%s: the ends of the bar are the ends of the range", pi->name);
	}
	double v = sliders_value_at(P_BETA, 0.333);
	is_near(v, 0.33, 0, "a position on a linear bar rounds to the fine step (beta 0.33)");
	v = sliders_value_at(P_TAU_S, 0.5);
	is_near(v, 100, 0, "a log bar gives round numbers (tau 100 s in the middle)");
	v = sliders_value_at(P_PAIRS, 0.37);
	ok(v == floor(v), "pairs stays a whole number when set from the bar");
	for (int i = 0; i < sliders_count; i++) {
		int id = sliders_order[i], okk = 1;
		for (int c = 0; c < 10; c++) {
			double f = sliders_cell_fraction(c, 10);
			okk =
			    okk && sliders_knob_cell(sliders_fraction(id, sliders_value_at(id, f)), 10) == c;
		}
		ok(okk, "%s: clicking each cell of a 10-cell bar puts the knob on that cell",
		   params_table[id].name);
	}
}

static void test_step(void)
{
	is_near(sliders_step(P_THETA_P, 1.3, +1, 0), 1.31, 0, "theta_p 1.3 Right is 1.31 exactly");
	is_near(sliders_step(P_THETA_P, 1.3, -1, 0), 1.29, 0, "theta_p 1.3 Left is 1.29 exactly");
	is_near(sliders_step(P_THETA_P, 1.3, +1, 1), 1.4, 0, "theta_p 1.3 coarse Right is 1.4");
	is_near(sliders_step(P_GAMMA_P, 321.808, +1, 0), 322, 0, "gamma_p 321.808 Right lands on 322");
	is_near(sliders_step(P_GAMMA_P, 321.808, -1, 0), 321, 0, "gamma_p 321.808 Left lands on 321");
	is_near(sliders_step(P_GAMMA_P, 321.808, +1, 1), 330, 0, "coarse Right lands on 330");
	is_near(sliders_step(P_THETA_D, 0.01, -1, 0), 0.01, 0, "no step below the range");
	is_near(sliders_step(P_THETA_D, 0.05, -1, 1), 0.01, 0, "a coarse step is clamped to the range");
	is_near(sliders_step(P_BETA, 1, +1, 0), 1, 0, "no step above the range");
	is_near(sliders_step(P_DT_MIN_MS, -100, +1, 0), -99, 0, "negative values step too");

	double v = 0.1;
	for (int i = 0; i < 20; i++)
		v = sliders_step(P_C_PRE, v, +1, 0);
	is_near(v, 0.3, 0, "twenty fine steps from 0.1 give 0.3 exactly, no binary noise");
	v = 1.3;
	for (int i = 0; i < 7; i++)
		v = sliders_step(P_THETA_P, v, +1, 0);
	for (int i = 0; i < 7; i++)
		v = sliders_step(P_THETA_P, v, -1, 0);
	is_near(v, 1.3, 0, "seven steps up and seven down come back to the same double");
	is_near(sliders_round_to(0.1 + 0.2, 0.01), 0.3, 0, "rounding drops binary noise");
	ok(!signbit(sliders_round_to(-0.001, 0.01)), "rounding never gives -0");
}

static void test_format(void)
{
	char buf[32];
	sliders_format_value(P_THETA_D, 1, buf, sizeof buf, 7);
	is_str(buf, "1.00", "theta_d 1 shows the fine step's decimals");
	sliders_format_value(P_GAMMA_P, 321.808, buf, sizeof buf, 7);
	is_str(buf, "321.808", "gamma_p shows all its decimals when they fit");
	sliders_format_value(P_C_PRE, 0.5617539, buf, sizeof buf, 7);
	is_str(buf, "0.56175", "a long value is rounded to the width");
	sliders_format_value(P_TAU_S, 10000, buf, sizeof buf, 7);
	is_str(buf, "10000", "whole numbers show no decimals");
	sliders_format_value(P_PAIRS, 60, buf, sizeof buf, 7);
	is_str(buf, "60", "pairs is a whole number");
	sliders_format_value(P_DT_MIN_MS, -1000, buf, sizeof buf, 7);
	ok(strlen(buf) <= 7, "the widest value fits (%s)", buf);
}

static void test_layout(void)
{
	sliders_layout l;
	sliders_layout_compute(79, 24, &l);
	ok(l.too_small, "79x24 is too small");
	sliders_layout_compute(80, 23, &l);
	ok(l.too_small, "80x23 is too small");
	sliders_layout_compute(60, 20, &l);
	ok(l.too_small, "60x20 is too small");

	int sizes[][2] = {{80, 24}, {100, 30}, {120, 40}, {200, 60}, {400, 120}};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		int c = sizes[i][0], r = sizes[i][1];
		sliders_layout_compute(c, r, &l);
		ok(!l.too_small, "%dx%d has a layout", c, r);
		ok(l.panel.w + l.plot.w == c && l.plot.x == l.panel.w, "%dx%d: the boxes share the width", c,
		   r);
		ok(l.title.y == 0 && l.panel.y == 1 && l.panel.y + l.panel.h == l.status.y &&
		       l.status.y + 1 == l.hints.y && l.hints.y == r - 1,
		   "%dx%d: title, boxes, status and hints stack without gaps or overlap", c, r);
		ok(l.bar_w >= 10 && l.bar_x + l.bar_w <= l.panel.x + l.panel.w - 1,
		   "%dx%d: a bar of %d cells inside the panel", c, r, l.bar_w);
		ok(l.value_x + l.value_w < l.unit_x && l.unit_x + 2 < l.bar_x,
		   "%dx%d: value, unit and bar do not overlap", c, r);
		ok(l.canvas.w >= 40 && l.canvas.h >= 15 && l.canvas.x > l.plot.x &&
		       l.canvas.x + l.canvas.w < l.plot.x + l.plot.w && l.canvas.y > l.plot.y &&
		       l.canvas.y + l.canvas.h < l.plot.y + l.plot.h,
		   "%dx%d: the canvas (%dx%d) is inside the plot box's border", c, r, l.canvas.w, l.canvas.h);
		ok(l.rows_visible == (r - 5 < sliders_count ? r - 5 : sliders_count),
		   "%dx%d: %d slider rows visible", c, r, l.rows_visible);
	}
	sliders_layout_compute(80, 24, &l);
	ok(l.rows_visible == sliders_count, "at 80x24 every slider fits without scrolling");
	sliders_layout_compute(200, 60, &l);
	ok(l.info.h > 0 && l.info.y > l.panel.y + sliders_count, "a tall screen has room for help text");
	ok(l.plot.w > 150, "a wide screen gives the width to the plot");
}

static void test_scroll_and_hit(void)
{
	ok(sliders_scroll(5, 0, 19, 19) == 0, "no scrolling when every row fits");
	ok(sliders_scroll(12, 0, 10, 19) == 3, "scrolls down just enough to show the selection");
	ok(sliders_scroll(2, 3, 10, 19) == 2, "scrolls up just enough");
	ok(sliders_scroll(4, 3, 10, 19) == 3, "stays put while the selection is visible");

	sliders_layout l;
	sliders_layout_compute(100, 30, &l);
	int on_bar;
	double frac = -1;
	int i = sliders_hit(&l, 0, l.label_x, l.panel.y + 1 + 3, &on_bar, &frac);
	ok(i == 3 && !on_bar, "a click on the fourth label selects the fourth slider");
	i = sliders_hit(&l, 0, l.bar_x, l.panel.y + 1, &on_bar, &frac);
	ok(i == 0 && on_bar && frac == 0, "a click on the first cell of a bar is its left end");
	i = sliders_hit(&l, 0, l.bar_x + l.bar_w - 1, l.panel.y + 2, &on_bar, &frac);
	ok(i == 1 && on_bar && frac == 1, "a click on the last cell is its right end");
	i = sliders_hit(&l, 2, l.bar_x, l.panel.y + 1, &on_bar, &frac);
	ok(i == 2, "a scrolled panel maps rows to the right slider");
	ok(sliders_hit(&l, 0, l.bar_x, l.panel.y, &on_bar, &frac) < 0, "the border hits nothing");
	ok(sliders_hit(&l, 0, l.plot.x + 3, l.panel.y + 2, &on_bar, &frac) < 0, "the plot is not a slider");
	ok(sliders_drag_fraction(&l, l.bar_x - 5) == 0 && sliders_drag_fraction(&l, 1000) == 1,
	   "a drag past the ends of the bar clamps to them");
}

int main(void)
{
	test_order();
	test_fraction();
	test_value_at();
	test_step();
	test_format();
	test_layout();
	test_scroll_and_hit();
	return tap_done();
}
