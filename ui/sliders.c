/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The parameter panel's arithmetic and the screen layout (sliders.h): which sliders show, steps,
 * the value under a mouse column, and where every part of the screen goes. No curses. */
#include "sliders.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const int sliders_order[] = {
    /* the model */
    P_THETA_D, P_THETA_P, P_GAMMA_D, P_GAMMA_P, P_TAU_S, P_TAU_CA_MS, P_C_PRE, P_C_POST, P_C_POST_SCALE,
    P_DELAY_MS, P_SIGMA, P_RHO_STAR,
    /* the 2016/2020 variants */
    P_EFFICACY, P_STD_U, P_TAU_REC_MS, P_PRE_SCALED, P_NL,
    /* the read-out */
    P_BETA, P_B,
    /* the protocol, then what each one has of its own */
    P_PROTOCOL, P_PAIRS, P_FREQ_HZ, P_FIXED_DT_MS, P_FREQ_MIN_HZ, P_FREQ_MAX_HZ, P_BURST_SPIKES,
    P_BURST_ISI_MS, P_PRESENTATIONS, P_INTERVAL_S, P_READOUT_AFTER_S, P_RATE_PRE_HZ, P_RATE_POST_HZ,
    P_PAIR_PROB, P_RATE_POST_MIN_HZ, P_RATE_POST_MAX_HZ, P_DURATION_S,
    /* the curve's grid and the integration step */
    P_DT_MIN_MS, P_DT_MAX_MS, P_POINTS, P_STEP_MS};
const int sliders_count = (int)(sizeof sliders_order / sizeof sliders_order[0]);

int sliders_relevant(const param_set *p, int id)
{
	int proto = (int)p->v[P_PROTOCOL], random = params_random_protocol(p);
	int weight = (int)p->v[P_EFFICACY] == EFFICACY_WEIGHT;
	switch (id) {
	case P_PAIRS:
		return !random;
	/* The 2016/2020 parameters show where they act and the 2012 panel stays as it was: the
	 * efficacy slider in the weight model (--set efficacy=weight or a preset brings it), the
	 * presentations with the weight model or when there are several. */
	case P_EFFICACY:
		return weight;
	case P_PRESENTATIONS:
		return !random && (weight || p->v[P_PRESENTATIONS] > 1);
	case P_INTERVAL_S:
		return !random && p->v[P_PRESENTATIONS] > 1;
	case P_FREQ_HZ:
		return proto == PROTO_PAIRS || proto == PROTO_BURST;
	case P_DT_MIN_MS:
	case P_DT_MAX_MS:
		return proto == PROTO_PAIRS || proto == PROTO_BURST || proto == PROTO_IRREGULAR;
	case P_FIXED_DT_MS:
		return proto == PROTO_FREQUENCY || proto == PROTO_IRREGULAR_RATE;
	case P_FREQ_MIN_HZ:
	case P_FREQ_MAX_HZ:
		return proto == PROTO_FREQUENCY;
	case P_BURST_SPIKES:
	case P_BURST_ISI_MS:
		return proto == PROTO_BURST;
	case P_RATE_PRE_HZ:
		return proto == PROTO_POISSON || proto == PROTO_IRREGULAR;
	case P_RATE_POST_HZ:
		return proto == PROTO_IRREGULAR;
	case P_PAIR_PROB:
		return proto == PROTO_IRREGULAR || proto == PROTO_IRREGULAR_RATE;
	case P_RATE_POST_MIN_HZ:
	case P_RATE_POST_MAX_HZ:
		return proto == PROTO_POISSON || proto == PROTO_IRREGULAR_RATE;
	case P_DURATION_S:
		return random;
	/* The variants act only in the weight model; noise and the UP/DOWN read-out only in the
	 * bistable one. */
	case P_STD_U:
	case P_PRE_SCALED:
	case P_NL:
		return weight;
	case P_TAU_REC_MS:
		return weight && p->v[P_STD_U] > 0;
	case P_READOUT_AFTER_S:
		return weight && !random;
	case P_SIGMA:
	case P_RHO_STAR:
	case P_BETA:
	case P_B:
	case P_STEP_MS:
		return !weight;
	default:
		return 1;
	}
}

int sliders_visible(const param_set *p, int *ids, int cap)
{
	int n = 0;
	for (int i = 0; i < sliders_count && n < cap; i++)
		if (sliders_relevant(p, sliders_order[i]))
			ids[n++] = sliders_order[i];
	return n;
}

enum sliders_scale sliders_scale_of(int id)
{
	const param_info *pi = &params_table[id];
	if (pi->min > 0 && pi->max / pi->min >= 100)
		return SLIDERS_LOG;
	if (pi->min == 0 && pi->max / pi->coarse >= 100)
		return SLIDERS_SQRT;
	return SLIDERS_LINEAR;
}

static double clamp01(double f)
{
	return f < 0 ? 0 : f > 1 ? 1 : f;
}

double sliders_fraction(int id, double v)
{
	const param_info *pi = &params_table[id];
	if (!(v > pi->min))
		return 0;
	if (v >= pi->max)
		return 1;
	switch (sliders_scale_of(id)) {
	case SLIDERS_LOG:
		return clamp01(log(v / pi->min) / log(pi->max / pi->min));
	case SLIDERS_SQRT:
		return clamp01(sqrt((v - pi->min) / (pi->max - pi->min)));
	default:
		return clamp01((v - pi->min) / (pi->max - pi->min));
	}
}

/* Digits after the decimal point of a step such as 0.01 or 0.5 (0 for whole steps). */
static int step_decimals(double step)
{
	char buf[32];
	params_format_exact(step, buf, sizeof buf);
	const char *dot = strchr(buf, '.');
	if (strchr(buf, 'e'))
		return (int)ceil(-log10(step));
	return dot ? (int)strlen(dot + 1) : 0;
}

double sliders_round_to(double v, double step)
{
	char buf[64];
	double r = round(v / step) * step;
	/* Printing and reading back drops the binary noise of the multiplication. */
	snprintf(buf, sizeof buf, "%.*f", step_decimals(step), r);
	r = strtod(buf, NULL);
	return r == 0 ? 0 : r; /* no "-0" */
}

static double clamp_value(int id, double v)
{
	const param_info *pi = &params_table[id];
	if (v < pi->min)
		v = pi->min;
	if (v > pi->max)
		v = pi->max;
	if (pi->integer)
		v = round(v);
	return v;
}

/* Two significant digits: the grid of a log-scaled bar, where the fine step would be far too
 * fine at the top and too coarse at the bottom. */
static double round_significant(double v)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%.1e", v);
	return strtod(buf, NULL);
}

double sliders_value_at(int id, double frac)
{
	const param_info *pi = &params_table[id];
	double f = clamp01(frac), v;
	switch (sliders_scale_of(id)) {
	case SLIDERS_LOG:
		v = round_significant(pi->min * exp(f * log(pi->max / pi->min)));
		break;
	case SLIDERS_SQRT:
		v = sliders_round_to(pi->min + f * f * (pi->max - pi->min), pi->step);
		break;
	default:
		v = sliders_round_to(pi->min + f * (pi->max - pi->min), pi->step);
		break;
	}
	/* The ends of the bar are the ends of the range exactly. */
	if (f <= 0)
		v = pi->min;
	if (f >= 1)
		v = pi->max;
	return clamp_value(id, v);
}

double sliders_step(int id, double v, int dir, int coarse)
{
	const param_info *pi = &params_table[id];
	double s = coarse ? pi->coarse : pi->step;
	double k = v / s, n;
	/* A value already on the grid moves one step; one between grid points moves to the next. */
	if (dir > 0)
		n = floor(k + 1e-9) + 1;
	else
		n = ceil(k - 1e-9) - 1;
	return clamp_value(id, sliders_round_to(n * s, s));
}

void sliders_format_value(int id, double v, char *buf, size_t len, int width)
{
	const param_info *pi = &params_table[id];
	if (pi->names) {
		params_format_value(id, v, buf, len);
		if (width >= 0 && (size_t)width < len)
			buf[width] = '\0';
		return;
	}
	int d0 = pi->integer ? 0 : step_decimals(pi->step), d;
	/* As many decimals as v needs (at least the step's), then fewer until it fits. */
	for (d = d0; d < 9; d++) {
		snprintf(buf, len, "%.*f", d, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	for (; d >= 0; d--) {
		snprintf(buf, len, "%.*f", d, v);
		if ((int)strlen(buf) <= width)
			return;
	}
	snprintf(buf, len, "%.*g", width > 6 ? width - 5 : 1, v);
}

int sliders_knob_cell(double frac, int width)
{
	if (width <= 1)
		return 0;
	return (int)lround(clamp01(frac) * (width - 1));
}

double sliders_cell_fraction(int col, int width)
{
	if (width <= 1)
		return 0;
	return clamp01((double)col / (width - 1));
}

/* Presenting: a title, the plot box, the line of values and a line for hints and messages. */
static void layout_present(int cols, int rows, sliders_layout *l)
{
	l->present = 1;
	l->title = (sliders_rect){0, 0, cols, 1};
	l->plot = (sliders_rect){0, 1, cols, rows - 3};
	l->canvas = (sliders_rect){1, 2, cols - 2, rows - 5};
	l->values = (sliders_rect){0, rows - 2, cols, 1};
	l->status = (sliders_rect){0, rows - 1, cols, 1};
	l->hints = l->status;
}

void sliders_layout_compute(int cols, int rows, int count, int present, sliders_layout *l)
{
	memset(l, 0, sizeof *l);
	l->cols = cols;
	l->rows = rows;
	if (cols < SLIDERS_PRESENT_MIN_COLS || rows < SLIDERS_PRESENT_MIN_ROWS) {
		l->too_small = 1;
		return;
	}
	if (present || cols < SLIDERS_MIN_COLS || rows < SLIDERS_MIN_ROWS) {
		layout_present(cols, rows, l);
		l->compact = !present;
		return;
	}
	/* Wider screens give the bars a few more cells and everything else to the plot. */
	int pw = 34;
	if (cols > 100)
		pw += (cols - 100) / 10 < 10 ? (cols - 100) / 10 : 10;
	int box_h = rows - 3;

	l->title = (sliders_rect){0, 0, cols, 1};
	l->panel = (sliders_rect){0, 1, pw, box_h};
	l->plot = (sliders_rect){pw, 1, cols - pw, box_h};
	l->status = (sliders_rect){0, rows - 2, cols, 1};
	l->hints = (sliders_rect){0, rows - 1, cols, 1};

	l->rows_visible = box_h - 2;
	if (l->rows_visible > count)
		l->rows_visible = count;
	/* A row: selection marker, label (8), changed mark, value (7), unit (2), bar. */
	l->label_x = 2;
	l->value_x = 11;
	l->value_w = 7;
	l->unit_x = 19;
	l->bar_x = 22;
	l->bar_w = pw - 24;

	int spare = box_h - 2 - count;
	if (spare >= 4)
		l->info = (sliders_rect){2, 1 + 1 + count + 1, pw - 4, spare - 1};

	l->canvas = (sliders_rect){pw + 1, 2, cols - pw - 2, box_h - 2};
}

int sliders_scroll(int selected, int first, int visible, int count)
{
	if (visible >= count || visible <= 0)
		return 0;
	if (selected < first)
		first = selected;
	if (selected >= first + visible)
		first = selected - visible + 1;
	if (first > count - visible)
		first = count - visible;
	return first < 0 ? 0 : first;
}

int sliders_split(sliders_rect area, sliders_rect *plot, sliders_rect *view)
{
	/* Below 30 rows each part would be too short to read: the view takes the whole area. */
	if (area.h < 30) {
		*plot = area;
		*view = area;
		return 0;
	}
	int top = area.h * 2 / 5;
	*plot = (sliders_rect){area.x, area.y, area.w, top};
	*view = (sliders_rect){area.x, area.y + top + 1, area.w, area.h - top - 1};
	return 1;
}

int sliders_values_first(const int *w, int n, int gap, int selected, int first, int width)
{
	if (n <= 0)
		return 0;
	if (selected < 0)
		selected = 0;
	if (selected >= n)
		selected = n - 1;
	if (first > selected)
		first = selected;
	if (first < 0)
		first = 0;
	/* Drop items on the left until the selected one ends inside the line. */
	for (;;) {
		int end = 0;
		for (int i = first; i <= selected; i++)
			end += w[i] + (i > first ? gap : 0);
		if (end <= width || first == selected)
			return first;
		first++;
	}
}

int sliders_hit(const sliders_layout *l, int first, int count, int x, int y, int *on_bar, double *frac)
{
	*on_bar = 0;
	if (l->too_small || l->present || x <= l->panel.x || x >= l->panel.x + l->panel.w - 1)
		return -1;
	int row = y - (l->panel.y + 1);
	if (row < 0 || row >= l->rows_visible || first + row >= count)
		return -1;
	if (x >= l->bar_x && x < l->bar_x + l->bar_w) {
		*on_bar = 1;
		*frac = sliders_cell_fraction(x - l->bar_x, l->bar_w);
	}
	return first + row;
}

double sliders_drag_fraction(const sliders_layout *l, int x)
{
	return sliders_cell_fraction(x - l->bar_x, l->bar_w);
}
