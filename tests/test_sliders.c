/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The slider panel, the screen layout and the teaching views, without a terminal. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analytic.h"
#include "params.h"
#include "sliders.h"
#include "tap.h"
#include "views.h"

static int index_in_order(int id)
{
	for (int i = 0; i < sliders_count; i++)
		if (sliders_order[i] == id)
			return i;
	return -1;
}

static void test_order(void)
{
	static const int issue_order[] = {P_THETA_D,   P_THETA_P, P_GAMMA_D, P_GAMMA_P,  P_TAU_S,
	                                  P_TAU_CA_MS, P_C_PRE,   P_C_POST,  P_DELAY_MS, P_SIGMA,
	                                  P_RHO_STAR,  P_BETA,    P_B,       P_PAIRS,    P_FREQ_HZ};
	int n = (int)(sizeof issue_order / sizeof issue_order[0]), in_order = 1, prev = -1;
	for (int i = 0; i < n; i++) {
		int k = index_in_order(issue_order[i]);
		in_order &= k > prev;
		prev = k;
	}
	ok(in_order, "the issue's 15 parameters come in its order");
	ok(sliders_order[0] == P_THETA_D && sliders_order[sliders_count - 1] == P_STEP_MS,
	   "thresholds first, the integration step last");
	ok(index_in_order(P_C_POST_SCALE) == index_in_order(P_C_POST) + 1,
	   "C_post's scale for the dendritic location follows C_post");
	int after = 1;
	for (int id = P_PAIRS; id <= P_DURATION_S; id++)
		after &= index_in_order(id) > index_in_order(P_PROTOCOL);
	ok(after, "every protocol parameter comes after the protocol's slider");

	int seen[P_COUNT] = {0}, dup = 0;
	for (int i = 0; i < sliders_count; i++)
		dup |= seen[sliders_order[i]]++;
	ok(!dup, "no parameter has two sliders");
	ok(!seen[P_REPS] && !seen[P_SEED], "reps and seed have keys (+, n), not sliders");
	int all = 1;
	for (int id = 0; id < P_COUNT; id++)
		all &= seen[id] || id == P_REPS || id == P_SEED;
	ok(all, "every other parameter has a slider");
}

/* The ids shown under protocol proto, as a set. */
static void shown_under(int proto, int *shown)
{
	param_set p;
	int ids[P_COUNT];
	params_defaults(&p);
	p.v[P_PROTOCOL] = proto;
	memset(shown, 0, P_COUNT * sizeof *shown);
	int n = sliders_visible(&p, ids, P_COUNT);
	for (int i = 0; i < n; i++)
		shown[ids[i]] = 1;
}

static void test_visible(void)
{
	int s[P_COUNT], model = 1;
	for (int proto = 0; proto < PROTO_COUNT; proto++) {
		shown_under(proto, s);
		for (int id = P_TAU_CA_MS; id <= P_B; id++)
			model &= s[id] || id == P_EFFICACY || id == P_STD_U || id == P_TAU_REC_MS ||
			         id == P_PRE_SCALED || id == P_NL;
		model &= s[P_PROTOCOL] && s[P_POINTS] && s[P_STEP_MS];
	}
	ok(model, "every protocol shows the model, the read-out, the protocol, points and step");
	param_set fp;
	int fids[P_COUNT], n, std = 0, noise = 0;
	params_defaults(&fp);
	n = sliders_visible(&fp, fids, P_COUNT);
	for (int i = 0; i < n; i++)
		std |= fids[i] == P_STD_U || fids[i] == P_NL || fids[i] == P_PRE_SCALED || fids[i] == P_EFFICACY ||
		       fids[i] == P_PRESENTATIONS || fids[i] == P_INTERVAL_S;
	ok(!std, "the 2012 panel is as it was: no efficacy, depression, nl, pre_scaled or presentations");
	fp.v[P_EFFICACY] = EFFICACY_WEIGHT;
	fp.v[P_STD_U] = 0.4;
	n = sliders_visible(&fp, fids, P_COUNT);
	std = 0;
	for (int i = 0; i < n; i++)
		std += fids[i] == P_STD_U || fids[i] == P_TAU_REC_MS || fids[i] == P_NL ||
		       fids[i] == P_PRE_SCALED,
		    noise |= fids[i] == P_SIGMA || fids[i] == P_RHO_STAR || fids[i] == P_B;
	ok(std == 4 && !noise, "the weight model shows std_u, tau_rec, nl and pre_scaled, and no noise or UP/DOWN");
	int eff = 0, pres = 0;
	for (int i = 0; i < n; i++)
		eff |= fids[i] == P_EFFICACY, pres |= fids[i] == P_PRESENTATIONS;
	ok(eff && pres, "and its efficacy switch and presentations");
	shown_under(PROTO_PAIRS, s);
	ok(s[P_PAIRS] && s[P_FREQ_HZ] && s[P_DT_MIN_MS] && s[P_DT_MAX_MS] && !s[P_BURST_SPIKES] &&
	       !s[P_FIXED_DT_MS] && !s[P_FREQ_MIN_HZ] && !s[P_RATE_PRE_HZ] && !s[P_DURATION_S],
	   "pairs: pairs, frequency and the dt range; nothing of the other protocols");
	shown_under(PROTO_FREQUENCY, s);
	ok(s[P_PAIRS] && s[P_FIXED_DT_MS] && s[P_FREQ_MIN_HZ] && s[P_FREQ_MAX_HZ] && !s[P_FREQ_HZ] &&
	       !s[P_DT_MIN_MS] && !s[P_BURST_ISI_MS],
	   "frequency: the fixed dt and the frequency range instead of freq and the dt range");
	shown_under(PROTO_BURST, s);
	ok(s[P_BURST_SPIKES] && s[P_BURST_ISI_MS] && s[P_FREQ_HZ] && s[P_DT_MIN_MS] && !s[P_RATE_PRE_HZ],
	   "burst: the burst's spikes and interval with the pairs' settings");
	shown_under(PROTO_POISSON, s);
	ok(s[P_RATE_PRE_HZ] && s[P_RATE_POST_MIN_HZ] && s[P_RATE_POST_MAX_HZ] && s[P_DURATION_S] &&
	       !s[P_PAIRS] && !s[P_FREQ_HZ] && !s[P_DT_MIN_MS],
	   "poisson: the rates and the duration, no pairs");
	param_set p;
	int ids[P_COUNT];
	params_defaults(&p);
	ok(sliders_visible(&p, ids, 3) == 3 && ids[0] == P_THETA_D, "the list stops at cap");
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
		if (params_table[id].names)
			continue; /* a few choices cannot fill ten cells: see below */
		for (int c = 0; c < 10; c++) {
			double f = sliders_cell_fraction(c, 10);
			okk =
			    okk && sliders_knob_cell(sliders_fraction(id, sliders_value_at(id, f)), 10) == c;
		}
		ok(okk, "%s: clicking each cell of a 10-cell bar puts the knob on that cell",
		   params_table[id].name);
	}
	int choices = 1;
	for (int c = 0; c < 10; c++)
		choices &= sliders_value_at(P_PROTOCOL, sliders_cell_fraction(c, 10)) ==
		           round(c / 9.0 * (PROTO_COUNT - 1));
	ok(choices, "protocol: a click on its bar picks the nearest of its six choices");
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
	sliders_format_value(P_PROTOCOL, PROTO_FREQUENCY, buf, sizeof buf, 9);
	is_str(buf, "frequency", "a choice shows its name");
	sliders_format_value(P_PROTOCOL, PROTO_POISSON, buf, sizeof buf, 4);
	is_str(buf, "pois", "cut to the width when it must be");
	is_near(sliders_step(P_PROTOCOL, PROTO_PAIRS, +1, 0), PROTO_FREQUENCY, 0,
	        "Right steps to the next choice");
	is_near(sliders_step(P_PROTOCOL, PROTO_IRREGULAR_RATE, +1, 1), PROTO_IRREGULAR_RATE, 0,
	        "and stops at the last");
}

static void test_layout(void)
{
	sliders_layout l;
	/* As many sliders as the pairs protocol shows. */
	int count = 21;
	int compact[][2] = {{79, 24}, {80, 23}, {60, 20}, {40, 12}};
	for (size_t i = 0; i < 4; i++) {
		int c = compact[i][0], r = compact[i][1];
		sliders_layout_compute(c, r, count, 0, &l);
		ok(!l.too_small && l.compact && l.present && l.panel.w == 0 && l.canvas.w == c - 2 &&
		       l.canvas.h == r - 5 && l.values.y == r - 2,
		   "%dx%d, too small for the panel: the compact layout on its own", c, r);
	}
	sliders_layout_compute(80, 24, count, 1, &l);
	ok(l.present && !l.compact, "presenting by choice is not the compact layout");
	sliders_layout_compute(39, 12, count, 1, &l);
	ok(l.too_small, "39x12 is too small to present");
	sliders_layout_compute(40, 11, count, 1, &l);
	ok(l.too_small, "40x11 is too small to present");
	sliders_layout_compute(39, 30, count, 0, &l);
	ok(l.too_small, "39x30 is too small even for the compact layout");
	int small[][2] = {{40, 12}, {60, 16}};
	for (size_t i = 0; i < 2; i++) {
		int c = small[i][0], r = small[i][1];
		sliders_layout_compute(c, r, count, 1, &l);
		ok(!l.too_small && l.canvas.w == c - 2 && l.canvas.h == r - 5 && l.values.y == r - 2,
		   "%dx%d presenting: a %dx%d plot, the values and the hints", c, r, l.canvas.w, l.canvas.h);
	}

	int sizes[][2] = {{80, 24}, {100, 30}, {120, 40}, {200, 60}, {400, 120}};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		int c = sizes[i][0], r = sizes[i][1];
		sliders_layout_compute(c, r, count, 0, &l);
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
		ok(l.rows_visible == (r - 5 < count ? r - 5 : count), "%dx%d: %d slider rows visible", c, r,
		   l.rows_visible);

		sliders_layout_compute(c, r, count, 1, &l);
		ok(l.present && l.panel.w == 0 && l.rows_visible == 0 && l.plot.x == 0 && l.plot.w == c,
		   "%dx%d presenting: no panel, the plot box spans the screen", c, r);
		ok(l.title.y == 0 && l.plot.y == 1 && l.plot.y + l.plot.h == l.values.y &&
		       l.values.y + 1 == l.status.y && l.status.y == r - 1 && l.hints.y == r - 1,
		   "%dx%d presenting: title, plot, the line of values, then hints and messages", c, r);
		ok(l.canvas.x == 1 && l.canvas.w == c - 2 && l.canvas.h == l.plot.h - 2,
		   "%dx%d presenting: the canvas fills the box", c, r);
	}
	sliders_layout_compute(80, 24, count, 0, &l);
	ok(l.rows_visible == 19, "at 80x24 19 sliders show, the rest scroll");
	sliders_layout_compute(200, 60, count, 0, &l);
	ok(l.info.h > 0 && l.info.y > l.panel.y + count, "a tall screen has room for help text");
	ok(l.plot.w > 150, "a wide screen gives the width to the plot");
}

static void test_split(void)
{
	sliders_rect top, bottom, area = {36, 2, 82, 35};
	ok(sliders_split(area, &top, &bottom) == 1, "a 35-row plot area holds the plot and a view");
	ok(top.y == area.y && top.h >= 12 && bottom.y == top.y + top.h + 1 &&
	       bottom.y + bottom.h == area.y + area.h && bottom.h > top.h,
	   "the plot on top, a row for the view's title, the larger view below");
	ok(top.x == area.x && top.w == area.w && bottom.x == area.x && bottom.w == area.w,
	   "both as wide as the area");
	area.h = 19;
	ok(sliders_split(area, &top, &bottom) == 0 && bottom.h == 19 && bottom.y == area.y,
	   "at 80x24 the view takes the whole area");
}

static void test_values_line(void)
{
	int w[] = {10, 10, 10, 10, 10, 10};
	ok(sliders_values_first(w, 6, 2, 0, 0, 40) == 0, "the first item selected: the line starts with it");
	ok(sliders_values_first(w, 6, 2, 3, 0, 46) == 0, "four items fit in 46 columns: no scrolling");
	ok(sliders_values_first(w, 6, 2, 5, 0, 46) == 2, "the last selected: scrolls just enough");
	ok(sliders_values_first(w, 6, 2, 4, 2, 46) == 2, "stays put while the selection is shown");
	ok(sliders_values_first(w, 6, 2, 1, 3, 46) == 1, "back left: the selection comes first");
	ok(sliders_values_first(w, 6, 2, 2, 0, 5) == 2, "an item wider than the line is still shown");
}

static void test_scroll_and_hit(void)
{
	ok(sliders_scroll(5, 0, 19, 19) == 0, "no scrolling when every row fits");
	ok(sliders_scroll(12, 0, 10, 19) == 3, "scrolls down just enough to show the selection");
	ok(sliders_scroll(2, 3, 10, 19) == 2, "scrolls up just enough");
	ok(sliders_scroll(4, 3, 10, 19) == 3, "stays put while the selection is visible");

	sliders_layout l;
	sliders_layout_compute(100, 30, 21, 0, &l);
	int on_bar;
	double frac = -1;
	int i = sliders_hit(&l, 0, 21, l.label_x, l.panel.y + 1 + 3, &on_bar, &frac);
	ok(i == 3 && !on_bar, "a click on the fourth label selects the fourth slider");
	i = sliders_hit(&l, 0, 21, l.bar_x, l.panel.y + 1, &on_bar, &frac);
	ok(i == 0 && on_bar && frac == 0, "a click on the first cell of a bar is its left end");
	i = sliders_hit(&l, 0, 21, l.bar_x + l.bar_w - 1, l.panel.y + 2, &on_bar, &frac);
	ok(i == 1 && on_bar && frac == 1, "a click on the last cell is its right end");
	i = sliders_hit(&l, 2, 21, l.bar_x, l.panel.y + 1, &on_bar, &frac);
	ok(i == 2, "a scrolled panel maps rows to the right slider");
	ok(sliders_hit(&l, 0, 21, l.bar_x, l.panel.y, &on_bar, &frac) < 0, "the border hits nothing");
	ok(sliders_hit(&l, 0, 21, l.plot.x + 3, l.panel.y + 2, &on_bar, &frac) < 0,
	   "the plot is not a slider");
	ok(sliders_hit(&l, 0, 3, l.label_x, l.panel.y + 1 + 3, &on_bar, &frac) < 0,
	   "a row below the last slider shown hits nothing");
	ok(sliders_drag_fraction(&l, l.bar_x - 5) == 0 && sliders_drag_fraction(&l, 1000) == 1,
	   "a drag past the ends of the bar clamps to them");
	sliders_layout_compute(100, 30, 21, 1, &l);
	ok(sliders_hit(&l, 0, 21, 5, 5, &on_bar, &frac) < 0, "presenting, there are no sliders to click");
}

/* Whether any row of the canvas holds text. */
static int chart_has(const canvas *c, const char *text)
{
	char row[CANVAS_MAX_SIDE * 3 + 1];
	for (int r = 0; c && r < canvas_rows(c); r++) {
		canvas_row_utf8(c, r, row, sizeof row);
		if (strstr(row, text))
			return 1;
	}
	return 0;
}

static int lines_have(const views_out *o, const char *text)
{
	for (int i = 0; i < o->nlines; i++)
		if (strstr(o->line[i], text))
			return 1;
	return 0;
}

static void test_views(void)
{
	param_set p;
	views_out o;
	char buf[64];
	views *v = views_new();
	params_defaults(&p);

	int i = views_nearest(&p, -20);
	ok(i == 16 && params_x(&p, i) == -20, "the grid point nearest -20 ms is -20 ms (index %d)", i);
	ok(views_nearest(&p, 1e9) == 40 && views_nearest(&p, -1e9) == 0, "far off x goes to the ends");
	views_format_x(&p, 10, buf, sizeof buf);
	is_str(buf, "dt = +10 ms", "a dt is written with its sign");

	ok(views_render(v, VIEWS_CALCIUM, &p, i, 1, 44, 19, CANVAS_BRAILLE, &o) == 0 && o.chart,
	   "the calcium view fits 44x19 (the plot area at 80x24)");
	ok(lines_have(&o, "alpha_d 0.02017") && lines_have(&o, "alpha_p 0.009678"),
	   "DP at -20 ms: alpha_d and alpha_p as the authors' code gives them");
	ok(lines_have(&o, "rho_bar 0.4356") && lines_have(&o, "U 0.2444") && lines_have(&o, "D 0.5980"),
	   "and rho_bar, U and D");
	ok(chart_has(o.chart, "theta_d") && chart_has(o.chart, "theta_p"), "the thresholds are named");
	ok(chart_has(o.chart, "post pre ") && !chart_has(o.chart, "pre pre"),
	   "the pre and the post spike are marked, their names apart (the calcium's would touch them)");
	ok(o.chart_h + o.nlines == 19 && canvas_rows(o.chart) == o.chart_h, "chart and lines share the rows");
	ok(views_render(v, VIEWS_CALCIUM, &p, views_nearest(&p, 30), 1, 80, 30, CANVAS_BRAILLE, &o) == 0 &&
	       chart_has(o.chart, "pre+post") == 0 && chart_has(o.chart, "pre Ca") &&
	       lines_have(&o, "above theta_d: light shade") && lines_have(&o, "above theta_p: dense shade") &&
	       lines_have(&o, "lines: pre and post spikes; pre Ca, the pre spike's calcium"),
	   "with room: all three events named, the shades and the lines explained");
	ok(views_render(v, VIEWS_CALCIUM, &p, views_nearest(&p, 0), 1, 80, 30, CANVAS_BRAILLE, &o) == 0 &&
	       chart_has(o.chart, "pre+post"),
	   "a pre and a post spike at one time share a name");
	const analytic_point *a = views_analytic(v, &p, 10);
	analytic_point b;
	analytic_at(&p, 10, &b);
	ok(a->alpha_d == b.alpha_d && a->change == b.change, "views_analytic is analytic_at");

	ok(views_render(v, VIEWS_EFFICACY, &p, views_nearest(&p, 10), 1, 44, 19, CANVAS_ASCII, &o) == 0 &&
	       chart_has(o.chart, "rho_star"),
	   "the efficacy view draws rho_star");
	ok(lines_have(&o, "of 5 end UP") && lines_have(&o, "of 5 end DOWN"), "and counts the switches");

	p.v[P_PROTOCOL] = PROTO_POISSON;
	ok(views_render(v, VIEWS_CALCIUM, &p, 3, 1, 60, 24, CANVAS_BRAILLE, &o) == 0 &&
	       strstr(o.title, "no periodic cycle") && lines_have(&o, "alpha_d"),
	   "Poisson trains: no periodic cycle, a sample and the alphas");
	ok(views_render(v, VIEWS_CALCIUM, &p, 3, 1, 10, 5, CANVAS_BRAILLE, &o) < 0 && !o.chart,
	   "a region too small is refused");
	views_free(v);
}

/* Every name the explorer shows for a parameter (its panel label, the full name in the title, the
 * prompt and the help) is one that --set takes, and a near miss of either is answered with the
 * full name. */
static void test_names_accepted(void)
{
	int bad = 0, fits = 1, near = 1;
	for (int i = 0; i < P_COUNT; i++) {
		const param_info *pi = &params_table[i];
		const char *shown[2] = {pi->label, pi->name};
		for (int k = 0; k < 2; k++) {
			/* As --set takes NAME=VALUE: the name looked up, the value parsed for it. */
			char def[32], err[256];
			double v;
			params_format_value(i, pi->min, def, sizeof def);
			if (params_lookup(shown[k]) != i ||
			    params_parse_value(i, def, &v, err, sizeof err) < 0 || v != pi->min) {
				bad++;
				printf("# --set %s=%s refused\n", shown[k], def);
			}
		}
		/* The panel gives a label 8 columns; a name has no blanks. */
		if (strlen(pi->label) > 8 || strchr(pi->label, ' '))
			fits = 0;
		char miss[64];
		snprintf(miss, sizeof miss, "%sx", pi->label ? pi->label : "");
		if (strlen(pi->label) >= 4) {
			const char *s = params_suggest(miss);
			if (!s || strcmp(s, pi->name) != 0) {
				near = 0;
				printf("# '%s' suggests '%s', not '%s'\n", miss, s ? s : "(nothing)",
				       pi->name);
			}
		}
	}
	ok(bad == 0, "--set takes every name the explorer shows: the panel's and the full one (%d refused)",
	   bad);
	ok(fits, "every panel name fits its 8 columns and has no blanks");
	ok(near, "a near miss of a panel name is answered with the full name");
	const char *s = params_suggest("tau_Ca");
	ok(s && strcmp(s, "tau_ca_ms") == 0, "--set tau_Ca suggests tau_ca_ms");
	ok(params_find("tau_ca") < 0 && params_lookup("tau_ca") == P_TAU_CA_MS,
	   "INI files take the full name only; --set also the short one");
}

int main(void)
{
	test_names_accepted();
	test_order();
	test_visible();
	test_fraction();
	test_value_at();
	test_step();
	test_format();
	test_layout();
	test_split();
	test_values_line();
	test_scroll_and_hit();
	test_views();
	return tap_done();
}
