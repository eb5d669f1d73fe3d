/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The calcium and efficacy views: axes and ticks come from the plot composer (so that they look like
 * the STDP plot), everything inside the area is drawn here on the same canvas. */
#include "views.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calcium.h"
#include "plot.h"
#include "rng.h"
#include "sim.h"
#include "wtrace.h"

/* A Poisson calcium sample: at most this long, and at most this many steps of it. */
#define SAMPLE_MS    1000.0
#define SAMPLE_STEPS 200000
/* Rows below which a chart says nothing: give the lines less room first. */
#define MIN_CHART_ROWS 8
#define MAX_EVENTS     16

struct views {
	canvas *chart;

	/* views_analytic: the last point asked for */
	int a_valid;
	param_set a_p;
	double a_x;
	analytic_point a;

	/* Sample paths: 2 * VIEWS_PATHS of up to path_cap samples each, DOWN-started first. */
	int path_valid;
	param_set path_p;
	int path_index, path_cap;
	uint64_t path_seed;
	int path_n[2 * VIEWS_PATHS];
	double *path_t, *path_rho;

	/* A Poisson calcium sample: c at every step from 0. */
	int ca_valid;
	param_set ca_p;
	int ca_index;
	uint64_t ca_seed;
	double *ca;
	int ca_n;
};

views *views_new(void)
{
	return calloc(1, sizeof(views));
}

void views_free(views *v)
{
	if (!v)
		return;
	canvas_free(v->chart);
	free(v->path_t);
	free(v->path_rho);
	free(v->ca);
	free(v);
}

static int same_params(const param_set *a, const param_set *b)
{
	return memcmp(a, b, sizeof *a) == 0;
}

const analytic_point *views_analytic(views *v, const param_set *p, double x)
{
	if (!v->a_valid || v->a_x != x || !same_params(&v->a_p, p)) {
		analytic_at(p, x, &v->a);
		v->a_p = *p;
		v->a_x = x;
		v->a_valid = 1;
	}
	return &v->a;
}

/* "+10", "-2.5", "0": a grid value as short as it reads back. */
static void signed_value(double x, char *buf, size_t len)
{
	char num[32];
	params_format_exact(x, num, sizeof num);
	snprintf(buf, len, "%s%s", x > 0 ? "+" : "", num);
}

/* A point's x as a reader wants it: five significant digits, not the 17 a grid point such as
 * 0.1 + 51 x 49.9 / 99 Hz carries. */
static void point_value(double x, char *buf, size_t len)
{
	snprintf(buf, len, "%.5g", x);
}

void views_format_x(const param_set *p, double x, char *buf, size_t len)
{
	char a[40], b[40];
	switch ((int)p->v[P_PROTOCOL]) {
	case PROTO_FREQUENCY:
		point_value(x, a, sizeof a);
		signed_value(p->v[P_FIXED_DT_MS], b, sizeof b);
		snprintf(buf, len, "%s Hz (dt = %s ms)", a, b);
		break;
	case PROTO_POISSON:
		point_value(x, a, sizeof a);
		snprintf(buf, len, "post %s Hz", a);
		break;
	case PROTO_IRREGULAR_RATE:
		point_value(x, a, sizeof a);
		signed_value(p->v[P_FIXED_DT_MS], b, sizeof b);
		snprintf(buf, len, "%s Hz (dt = %s ms)", a, b);
		break;
	default:
		signed_value(x, a, sizeof a);
		snprintf(buf, len, "dt = %s ms", a);
		break;
	}
}

int views_nearest(const param_set *p, double x)
{
	int n = (int)p->v[P_POINTS], best = 0;
	double bd = INFINITY;
	for (int i = 0; i < n; i++) {
		double d = fabs(params_x(p, i) - x);
		if (d < bd) {
			bd = d;
			best = i;
		}
	}
	return best;
}

/* ---- text under the chart ---- */

/* Items two blanks apart, as many to a line as fit in w, a NULL item ending a line (it keeps what
 * belongs together on one); -1 when they need more than max lines. */
static int wrap_items(const char *const *items, int n, int w, int max, views_out *out)
{
	int lines = 0, used = 0, fresh = 1;
	for (int i = 0; i < n; i++) {
		if (!items[i]) {
			fresh = 1;
			continue;
		}
		int len = (int)strlen(items[i]);
		if (len > w)
			return -1;
		if (!fresh && used + 2 + len <= w) {
			used += snprintf(out->line[lines - 1] + used, VIEWS_LINE_MAX - (size_t)used, "  %s",
			                 items[i]);
			continue;
		}
		if (lines == max)
			return -1;
		used = snprintf(out->line[lines++], VIEWS_LINE_MAX, "%s", items[i]);
		fresh = 0;
	}
	out->nlines = lines;
	return lines;
}

/* The first item list that fits leaving the chart MIN_CHART_ROWS rows, else the shortest one. */
static int choose_lines(const char *const *rich, int nrich, const char *const *brief, int nbrief, int w,
                        int h, views_out *out)
{
	int max = h - MIN_CHART_ROWS;
	if (max > VIEWS_LINES)
		max = VIEWS_LINES;
	/* The lines are printed one column in from the chart's left edge. */
	w--;
	if (max >= 1 && wrap_items(rich, nrich, w, max, out) >= 0)
		return out->nlines;
	if (max >= 1 && wrap_items(brief, nbrief, w, max, out) >= 0)
		return out->nlines;
	out->nlines = 0;
	return 0;
}

/* ---- a chart: the plot's axes, our drawing inside ---- */

typedef struct chart {
	canvas *c;
	plot_layout a;                 /* the area in cells */
	double xmin, xmax, ymin, ymax; /* data at its edges */
	int dw, dh, ascii;
	int x0, y0, x1, y1; /* the area in dots; x1, y1 exclusive */
} chart;

static double chart_x(const chart *ch, double x)
{
	return (ch->a.left + (x - ch->xmin) / (ch->xmax - ch->xmin) * ch->a.width) * ch->dw;
}

static double chart_y(const chart *ch, double y)
{
	return (ch->a.top + (ch->ymax - y) / (ch->ymax - ch->ymin) * ch->a.height) * ch->dh;
}

/* Data x at the middle of dot column X. */
static double chart_t(const chart *ch, int X)
{
	return ch->xmin + ((X + 0.5) / ch->dw - ch->a.left) / ch->a.width * (ch->xmax - ch->xmin);
}

/* The dot row of a horizontal line at y; in ASCII the middle sub-row, so that it reads as '-'. */
static int chart_row(const chart *ch, double y)
{
	int Y = (int)floor(chart_y(ch, y));
	if (Y >= ch->y1)
		Y = ch->y1 - 1;
	if (Y < ch->y0)
		Y = ch->y0;
	return ch->ascii ? Y / 3 * 3 + 1 : Y;
}

static int canvas_fits(views *v, int w, int h, canvas_mode mode)
{
	if (v->chart && canvas_cols(v->chart) == w && canvas_rows(v->chart) == h &&
	    canvas_get_mode(v->chart) == mode)
		return 0;
	canvas_free(v->chart);
	v->chart = canvas_new(w, h, mode);
	return v->chart ? 0 : -1;
}

/* Axes, ticks and the x label as the STDP plot has them, without its dashed lines at x = 0 and
 * y = 1 (here they would read as a threshold that is not one). label_row keeps the top row free. */
static int chart_begin(chart *ch, canvas *c, double xmin, double xmax, double ymin, double ymax,
                       const char *xlabel, int label_row)
{
	plot_data d;
	memset(&d, 0, sizeof d);
	d.xmin = xmin;
	d.xmax = xmax;
	d.ymin = ymin;
	d.ymax = ymax;
	d.xlabel = xlabel;
	d.ylabel = label_row ? " " : NULL;
	d.hide_legend = 1;
	d.cursor_col = -1;
	plot_render(c, &d);
	plot_layout_for(&d, canvas_cols(c), canvas_rows(c), &ch->a);
	if (ch->a.width < 4 || ch->a.height < 2)
		return -1;
	ch->c = c;
	ch->xmin = xmin;
	ch->xmax = xmax;
	ch->ymin = ymin;
	ch->ymax = ymax;
	ch->dw = canvas_dot_width(c);
	ch->dh = canvas_dot_height(c);
	ch->ascii = canvas_get_mode(c) == CANVAS_ASCII;
	ch->x0 = ch->a.left * ch->dw;
	ch->y0 = ch->a.top * ch->dh;
	ch->x1 = (ch->a.left + ch->a.width) * ch->dw;
	ch->y1 = (ch->a.top + ch->a.height) * ch->dh;
	for (int row = ch->a.top; row < ch->a.top + ch->a.height; row++)
		for (int col = ch->a.left; col < ch->a.left + ch->a.width; col++) {
			int color;
			canvas_cell(c, col, row, &color);
			if (color != CC_REF || canvas_cell_is_text(c, col, row))
				continue;
			for (int y = row * ch->dh; y < (row + 1) * ch->dh; y++)
				for (int x = col * ch->dw; x < (col + 1) * ch->dw; x++)
					canvas_undot(c, x, y);
		}
	canvas_clip(c, ch->x0, ch->y0, ch->x1 - 1, ch->y1 - 1);
	return 0;
}

/* A dashed horizontal line at y, behind what is drawn; solid where solid[X - x0] says so. */
static void chart_hline(const chart *ch, double y, int color, const unsigned char *solid)
{
	int Y = chart_row(ch, y);
	for (int X = ch->x0; X < ch->x1; X++) {
		if (solid && solid[X - ch->x0])
			canvas_dot(ch->c, X, Y, color);
		else if (ch->ascii ? (X - ch->x0) % 2 == 0 : (X - ch->x0) % 4 < 2)
			canvas_dot_behind(ch->c, X, Y, color);
	}
}

/* Whether name fits at (col, row) inside the area with a blank of air from any other text. */
static int tag_fits(const chart *ch, int col, int row, int len)
{
	if (col < ch->a.left || col + len > ch->a.left + ch->a.width || row < ch->a.top ||
	    row >= ch->a.top + ch->a.height)
		return 0;
	for (int i = -2; i <= len + 1; i++)
		if (canvas_cell_is_text(ch->c, col + i, row) && canvas_cell(ch->c, col + i, row, NULL)[0] != ' ')
			return 0;
	return 1;
}

/* A name at the right end of the area on the row of y; left of any text already on that row, else
 * on the row above or below: two tags never touch. */
static int chart_tag(const chart *ch, double y, const char *name, int color, int *used_row, int *used_col)
{
	int row = chart_row(ch, y) / ch->dh, len = (int)strlen(name);
	static const int dr[] = {0, -1, 1, -2, 2};
	for (int k = 0; k < 5; k++)
		for (int col = ch->a.left + ch->a.width - len; col >= ch->a.left; col--)
			if (tag_fits(ch, col, row + dr[k], len)) {
				/* A blank either side inside the area: the name never runs into a line's dots
				 * or another name. */
				if (col > ch->a.left)
					canvas_text(ch->c, col - 1, row + dr[k], " ", color);
				if (col + len < ch->a.left + ch->a.width)
					canvas_text(ch->c, col + len, row + dr[k], " ", color);
				canvas_text(ch->c, col, row + dr[k], name, color);
				*used_row = row + dr[k];
				*used_col = col;
				return 1;
			}
	return 0;
}

/* The time above the thresholds under a trace: a half-tone from theta_d up to the trace (or theta_p)
 * and a solid fill above theta_p, so that the two read apart without colour too. */
static void chart_shade(const chart *ch, int X, double c, double theta_d, double theta_p)
{
	if (!(c > theta_d))
		return;
	double yd = chart_y(ch, theta_d), yp = chart_y(ch, theta_p), yc = chart_y(ch, c);
	double top = c > theta_p ? yp : yc;
	for (int Y = ch->y0; Y < ch->y1; Y++) {
		double mid = Y + 0.5;
		if (mid > top && mid < yd && ((X + Y) & 1) == 0)
			canvas_dot(ch->c, X, Y, CC_SIM);
		if (c > theta_p && mid > yc && mid < yp)
			canvas_dot(ch->c, X, Y, CC_ANALYTIC);
	}
}

/* Thresholds: dashed lines, solid where calcium is above them; named at the right. c[X - x0] is
 * calcium in dot column X. */
static void chart_thresholds(const chart *ch, const param_set *p, const double *c)
{
	int n = ch->x1 - ch->x0;
	unsigned char *above = malloc((size_t)n);
	double th[2] = {p->v[P_THETA_D], p->v[P_THETA_P]};
	int color[2] = {CC_SIM, CC_ANALYTIC};
	for (int k = 0; k < 2; k++) {
		if (above)
			for (int i = 0; i < n; i++)
				above[i] = c[i] > th[k];
		chart_hline(ch, th[k], color[k], above);
	}
	free(above);
}

static void chart_tags(const chart *ch, const param_set *p)
{
	int row = -1, col = 0;
	/* The higher one first: it takes the right end when both fall on one row. */
	if (p->v[P_THETA_P] >= p->v[P_THETA_D]) {
		chart_tag(ch, p->v[P_THETA_P], "theta_p", CC_ANALYTIC, &row, &col);
		chart_tag(ch, p->v[P_THETA_D], "theta_d", CC_SIM, &row, &col);
	} else {
		chart_tag(ch, p->v[P_THETA_D], "theta_d", CC_SIM, &row, &col);
		chart_tag(ch, p->v[P_THETA_P], "theta_p", CC_ANALYTIC, &row, &col);
	}
}

/* A y range from 0 that holds the peak and theta_p with some air, ending on a round value. */
static double calcium_ymax(double peak, const param_set *p)
{
	double top = fmax(peak, fmax(p->v[P_THETA_P], p->v[P_THETA_D]) * 1.15) * 1.08;
	double step = pow(10, floor(log10(top))) / 5;
	return ceil(top / step) * step;
}

/* ---- the calcium view ---- */

typedef struct event {
	double t; /* ms from the pre spike, within half a period of it */
	int kind; /* 0 pre spike, 1 its calcium, 2 a post spike */
} event;

static int periodic_events(const param_set *p, double x, double period_ms, event *ev)
{
	double t[MAX_EVENTS];
	int kind[MAX_EVENTS];
	int n = protocol_events(p, x, t, kind, MAX_EVENTS);
	for (int i = 0; i < n; i++) {
		/* The steady state repeats each period: a spike a period away is the same spike. */
		ev[i] = (event){remainder(t[i], period_ms), kind[i]};
		for (int j = i; j > 0 && ev[j].t < ev[j - 1].t; j--) {
			event e = ev[j];
			ev[j] = ev[j - 1];
			ev[j - 1] = e;
		}
	}
	return n;
}

/* Event lines (pre spikes every other dot, their calcium every fourth, post spikes solid, so that
 * they differ without colour) and their names on the top row, each at its own time: events in one
 * column share a name ("pre+post"), a name that would run into the one before is left out (the
 * line under the chart says what the lines are). */
static void chart_events(const chart *ch, const event *ev, int n)
{
	static const char *const names[] = {"pre", "pre Ca", "post"};
	static const int colors[] = {CC_EXP, CC_EXP, CC_LABEL}, gap[] = {2, 4, 1};
	int end = 0, last_col = -1, last_len = 0;
	char label[64] = "";
	for (int i = 0; i < n; i++) {
		double fx = chart_x(ch, ev[i].t);
		if (!(fx >= ch->x0 && fx < ch->x1))
			continue;
		int X = (int)fx, col = X / ch->dw, k = ev[i].kind;
		for (int Y = ch->y0; Y < ch->y1; Y += gap[k])
			canvas_dot_behind(ch->c, X, Y, colors[k]);
		if (ch->a.top < 1)
			continue;
		if (col == last_col && last_len > 0) {
			/* The same column: one name for both. */
			size_t a = strlen(label), b = strlen(names[k]);
			if (a + 1 + b < sizeof label && col + (int)(a + 1 + b) <= canvas_cols(ch->c)) {
				label[a] = '+';
				memcpy(label + a + 1, names[k], b + 1);
				canvas_text(ch->c, col, ch->a.top - 1, label, colors[k]);
				end = col + (int)strlen(label) + 1;
				last_len = (int)strlen(label);
			}
			continue;
		}
		int len = (int)strlen(names[k]);
		if (col < end || col + len > canvas_cols(ch->c))
			continue;
		snprintf(label, sizeof label, "%s", names[k]);
		canvas_text(ch->c, col, ch->a.top - 1, label, colors[k]);
		end = col + len + 1;
		last_col = col;
		last_len = len;
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The trace through the middle of every dot column and both sides of every jump. */
static void periodic_trace(const chart *ch, const param_set *p, double x, const event *ev, int nev)
{
	int n = ch->x1 - ch->x0, m = 0;
	double *t = malloc((size_t)(n + 2 * nev) * sizeof *t);
	if (!t)
		return;
	for (int X = ch->x0; X < ch->x1; X++)
		t[m++] = chart_t(ch, X);
	for (int i = 0; i < nev; i++)
		if (ev[i].kind != 0 && ev[i].t > ch->xmin && ev[i].t < ch->xmax) {
			t[m++] = ev[i].t - 1e-9;
			t[m++] = ev[i].t;
		}
	qsort(t, (size_t)m, sizeof *t, cmp_double);
	double px = 0, py = 0;
	for (int i = 0; i < m; i++) {
		double fx = chart_x(ch, t[i]), fy = chart_y(ch, calcium_steady(p, x, t[i]));
		if (i > 0)
			canvas_line_f(ch->c, px, py, fx, fy, CC_DEFAULT);
		px = fx;
		py = fy;
	}
	free(t);
}

/* The paper's numbers: the alphas on a line, the read-out on the next (rich: with the time above
 * each threshold per period, what the shades are, and tau_eff; what the event lines are). Lists of 9
 * (rich, the last NULL without a period) and 7 (brief) items. */
static void number_items(const analytic_point *a, double period_ms, char buf[][72], const char **rich,
                         const char **brief)
{
	snprintf(buf[0], 48, "alpha_d %.4g", a->alpha_d);
	snprintf(buf[1], 48, "alpha_p %.4g", a->alpha_p);
	if (period_ms > 0) {
		/* The shaded areas explained where they are counted. */
		snprintf(buf[2], 72, "alpha_d %.4g (%.1f ms above theta_d: light shade)", a->alpha_d,
		         a->alpha_d * period_ms);
		snprintf(buf[3], 72, "alpha_p %.4g (%.1f ms above theta_p: dense shade)", a->alpha_p,
		         a->alpha_p * period_ms);
	} else {
		snprintf(buf[2], 48, "alpha_d %.4g (Monte Carlo)", a->alpha_d);
		snprintf(buf[3], 48, "alpha_p %.4g (Monte Carlo)", a->alpha_p);
	}
	if (isfinite(a->rho_bar))
		snprintf(buf[4], 48, "rho_bar %.4f", a->rho_bar);
	else
		snprintf(buf[4], 48, "rho_bar -");
	snprintf(buf[5], 48, "U %.4f", a->U);
	snprintf(buf[6], 48, "D %.4f", a->D);
	snprintf(buf[7], 48, "change %.4f", a->change);
	if (isfinite(a->tau_eff))
		snprintf(buf[8], 48, "tau_eff %.4g s", a->tau_eff);
	else
		snprintf(buf[8], 48, "tau_eff -");
	snprintf(buf[9], 72, "%s",
	         period_ms > 0 ? "lines: pre and post spikes; pre Ca, the pre spike's calcium" : "");
	const char *r[] = {buf[2], buf[3], NULL, buf[4], buf[5], buf[6], buf[7], buf[8], buf[9][0] ? buf[9] : NULL};
	const char *b[] = {buf[0], buf[1], NULL, buf[4], buf[5], buf[6], buf[7]};
	memcpy(rich, r, sizeof r);
	memcpy(brief, b, sizeof b);
}

static int calcium_periodic(views *v, const param_set *p, int index, int w, int h, canvas_mode mode,
                            views_out *out)
{
	double x = params_x(p, index), tau = p->v[P_TAU_CA_MS];
	protocol pr;
	event ev[MAX_EVENTS];
	char where[64], num[10][72];
	const char *rich[9], *brief[7];

	protocol_at(p, x, &pr);
	double T = pr.period_s * 1e3;
	int nev = periodic_events(p, x, T, ev);
	views_format_x(p, x, where, sizeof where);
	snprintf(out->title, sizeof out->title, "calcium c(t) at %s: steady state, one period of %.4g ms",
	         where, T);
	snprintf(out->brief, sizeof out->brief, "calcium c(t) at %s", where);
	number_items(views_analytic(v, p, x), T, num, rich, brief);
	out->chart_h = h - choose_lines(rich, 9, brief, 7, w, h, out);
	if (nev < 1 || canvas_fits(v, w, out->chart_h, mode) < 0)
		return -1;

	/* From a little before the first spike to when calcium has died down, within one period. */
	double margin = fmin(1.5 * tau, 0.15 * T);
	double t0 = ev[0].t - margin, t1 = fmin(ev[nev - 1].t + 5 * tau, t0 + T);
	double peak = 0;
	for (int i = 0; i < nev; i++)
		peak = fmax(peak, calcium_steady(p, x, ev[i].t));
	chart ch;
	if (chart_begin(&ch, v->chart, t0, t1, 0, calcium_ymax(peak, p), "time after the pre spike (ms)", 1) <
	    0)
		return -1;
	int n = ch.x1 - ch.x0;
	double *c = malloc((size_t)n * sizeof *c);
	if (!c)
		return -1;
	for (int X = ch.x0; X < ch.x1; X++) {
		c[X - ch.x0] = calcium_steady(p, x, chart_t(&ch, X));
		chart_shade(&ch, X, c[X - ch.x0], p->v[P_THETA_D], p->v[P_THETA_P]);
	}
	chart_thresholds(&ch, p, c);
	periodic_trace(&ch, p, x, ev, nev);
	chart_events(&ch, ev, nev);
	canvas_clip_reset(v->chart);
	chart_tags(&ch, p);
	free(c);
	return 0;
}

/* Calcium of the Poisson trains at grid point index, from the start, at step resolution. */
static int poisson_sample(views *v, const param_set *p, int index, uint64_t seed)
{
	if (v->ca_valid && v->ca_index == index && v->ca_seed == seed && same_params(&v->ca_p, p))
		return 0;
	v->ca_valid = 0;
	double h = p->v[P_STEP_MS], len = fmin(SAMPLE_MS, p->v[P_DURATION_S] * 1e3);
	int n = (int)fmin(len / h, SAMPLE_STEPS);
	if (n < 2)
		return -1;
	double *c = realloc(v->ca, (size_t)n * sizeof *c);
	if (!c)
		return -1;
	v->ca = c;
	/* Its own stream: not one of the simulated synapses' (those use states 0 and 1). */
	rng r;
	rng_init(&r, seed, (uint64_t)index, 2, 0);
	spike_train tr;
	if (spike_train_at(p, params_x(p, index), &r, &tr) < 0)
		return -1;
	calcium_trace(p, &tr, 0, (uint64_t)n, v->ca);
	spike_train_free(&tr);
	v->ca_n = n;
	v->ca_p = *p;
	v->ca_index = index;
	v->ca_seed = seed;
	v->ca_valid = 1;
	return 0;
}

static int calcium_poisson(views *v, const param_set *p, int index, uint64_t seed, int w, int h,
                           canvas_mode mode, views_out *out)
{
	double x = params_x(p, index), hstep = p->v[P_STEP_MS];
	char where[64], num[10][72];
	const char *rich[9], *brief[7];

	views_format_x(p, x, where, sizeof where);
	if (poisson_sample(v, p, index, seed) < 0)
		return -1;
	double len = v->ca_n * hstep;
	snprintf(out->title, sizeof out->title,
	         "calcium c(t) at %s: Poisson trains have no periodic cycle; the first %.4g ms of one", where,
	         len);
	snprintf(out->brief, sizeof out->brief, "calcium at %s: no cycle", where);
	number_items(views_analytic(v, p, x), 0, num, rich, brief);
	out->chart_h = h - choose_lines(rich, 9, brief, 7, w, h, out);
	if (canvas_fits(v, w, out->chart_h, mode) < 0)
		return -1;
	double peak = 0;
	for (int i = 0; i < v->ca_n; i++)
		peak = fmax(peak, v->ca[i]);
	chart ch;
	if (chart_begin(&ch, v->chart, 0, len, 0, calcium_ymax(peak, p),
	                "time (ms) of a sample: no periodic cycle", 0) < 0)
		return -1;
	int n = ch.x1 - ch.x0;
	double *c = malloc((size_t)n * sizeof *c);
	if (!c)
		return -1;
	for (int X = ch.x0; X < ch.x1; X++) {
		int k = (int)(chart_t(&ch, X) / hstep);
		c[X - ch.x0] = v->ca[k < 0 ? 0 : k >= v->ca_n ? v->ca_n - 1 : k];
		chart_shade(&ch, X, c[X - ch.x0], p->v[P_THETA_D], p->v[P_THETA_P]);
	}
	chart_thresholds(&ch, p, c);
	/* Every step would be thousands of segments per dot column at small steps: the extremes of each
	 * dot column keep the jumps and the peaks. */
	double px = 0, py = 0;
	int k = 0;
	for (int X = ch.x0; X < ch.x1; X++) {
		double lo = INFINITY, hi = -INFINITY;
		int first = k;
		for (; k < v->ca_n && chart_x(&ch, k * hstep) < X + 1; k++) {
			lo = fmin(lo, v->ca[k]);
			hi = fmax(hi, v->ca[k]);
		}
		if (k == first)
			continue;
		if (X > ch.x0)
			canvas_line_f(ch.c, px, py, X + 0.5, chart_y(&ch, v->ca[first]), CC_DEFAULT);
		canvas_line_f(ch.c, X + 0.5, chart_y(&ch, lo), X + 0.5, chart_y(&ch, hi), CC_DEFAULT);
		px = X + 0.5;
		py = chart_y(&ch, v->ca[k - 1]);
	}
	canvas_clip_reset(v->chart);
	chart_tags(&ch, p);
	free(c);
	return 0;
}

/* ---- the efficacy view ---- */

static int sample_paths(views *v, const param_set *p, int index, uint64_t seed, int cap)
{
	if (v->path_valid && v->path_index == index && v->path_seed == seed && v->path_cap == cap &&
	    same_params(&v->path_p, p))
		return 0;
	v->path_valid = 0;
	size_t total = (size_t)(2 * VIEWS_PATHS) * (size_t)cap;
	double *t = realloc(v->path_t, total * sizeof *t);
	if (t)
		v->path_t = t;
	double *rho = realloc(v->path_rho, total * sizeof *rho);
	if (rho)
		v->path_rho = rho;
	if (!t || !rho)
		return -1;
	sim_point *sp = sim_point_new(p, index, SIM_SEGMENTS);
	if (!sp)
		return -1;
	/* Repetitions 0 .. VIEWS_PATHS - 1 of each state: synapses the simulation runs too. */
	for (int k = 0; k < 2 * VIEWS_PATHS; k++)
		v->path_n[k] = sim_trajectory(sp, seed, k / VIEWS_PATHS, (uint64_t)(k % VIEWS_PATHS),
		                              v->path_t + (size_t)k * (size_t)cap,
		                              v->path_rho + (size_t)k * (size_t)cap, cap);
	sim_point_free(sp);
	v->path_p = *p;
	v->path_index = index;
	v->path_seed = seed;
	v->path_cap = cap;
	v->path_valid = 1;
	return 0;
}

static int efficacy_view(views *v, const param_set *p, int index, uint64_t seed, int w, int h,
                         canvas_mode mode, views_out *out)
{
	double x = params_x(p, index), rs = p->v[P_RHO_STAR];
	const analytic_point *a = views_analytic(v, p, x);
	char where[64], buf[6][64];
	const char *rich[5], *brief[5];

	/* Two samples per dot column of the widest chart that fits. */
	int cap = 2 * w * (mode == CANVAS_BRAILLE ? 2 : 1);
	if (cap < 64)
		cap = 64;
	if (sample_paths(v, p, index, seed, cap) < 0)
		return -1;
	int ups = 0, downs = 0;
	double tmax = 0;
	for (int k = 0; k < 2 * VIEWS_PATHS; k++) {
		int n = v->path_n[k];
		if (n < 1)
			continue;
		double end = v->path_rho[(size_t)k * (size_t)cap + (size_t)n - 1];
		tmax = fmax(tmax, v->path_t[(size_t)k * (size_t)cap + (size_t)n - 1]);
		if (k < VIEWS_PATHS)
			ups += end > rs;
		else
			downs += end < rs;
	}
	views_format_x(p, x, where, sizeof where);
	snprintf(out->title, sizeof out->title,
	         "efficacy rho(t) at %s: %d synapses from DOWN, %d from UP, seed %llu", where, VIEWS_PATHS,
	         VIEWS_PATHS, (unsigned long long)seed);
	snprintf(out->brief, sizeof out->brief, "rho(t) at %s, seed %llu", where, (unsigned long long)seed);
	snprintf(buf[0], 64, "from DOWN (rho 0, solid): %d of %d end UP", ups, VIEWS_PATHS);
	snprintf(buf[1], 64, "from UP (rho 1, dotted): %d of %d end DOWN", downs, VIEWS_PATHS);
	snprintf(buf[2], 64, "analytic U %.4f  D %.4f", a->U, a->D);
	snprintf(buf[3], 64, "rho_bar %.4f", a->rho_bar);
	snprintf(buf[4], 64, "tau_eff %.4g s", a->tau_eff);
	snprintf(buf[5], 64, "DOWN (solid): %d/%d UP  UP (dotted): %d/%d DOWN", ups, VIEWS_PATHS, downs,
	         VIEWS_PATHS);
	for (int i = 0; i < 5; i++)
		rich[i] = buf[i];
	brief[0] = buf[5];
	for (int i = 1; i < 4; i++)
		brief[i] = buf[i + 1];
	int nrich = isfinite(a->rho_bar) ? 5 : 3, nbrief = isfinite(a->rho_bar) ? 4 : 2;
	out->chart_h = h - choose_lines(rich, nrich, brief, nbrief, w, h, out);
	if (!(tmax > 0) || canvas_fits(v, w, out->chart_h, mode) < 0)
		return -1;
	chart ch;
	if (chart_begin(&ch, v->chart, 0, tmax, -0.2, 1.2, "time (s)", 0) < 0)
		return -1;
	/* UP-started paths first: the DOWN-started ones (the potentiation a pairing protocol is
	 * about) end up on top where they cross. */
	for (int k = 2 * VIEWS_PATHS - 1; k >= 0; k--) {
		const double *t = v->path_t + (size_t)k * (size_t)cap,
		             *r = v->path_rho + (size_t)k * (size_t)cap;
		/* Solid from DOWN, dotted from UP: told apart without colour too. */
		canvas_pen pen = {k < VIEWS_PATHS ? CC_SIM : CC_ANALYTIC, 0, k < VIEWS_PATHS ? 0 : 0x55, 0};
		for (int i = 1; i < v->path_n[k]; i++)
			canvas_pen_line_f(ch.c, chart_x(&ch, t[i - 1]), chart_y(&ch, r[i - 1]),
			                  chart_x(&ch, t[i]), chart_y(&ch, r[i]), &pen);
	}
	chart_hline(&ch, rs, CC_LABEL, NULL);
	if (isfinite(a->rho_bar) && a->rho_bar >= -0.2 && a->rho_bar <= 1.2)
		chart_hline(&ch, a->rho_bar, CC_EXP, NULL);
	canvas_clip_reset(v->chart);
	int row = -1, col = 0;
	chart_tag(&ch, rs, "rho_star", CC_LABEL, &row, &col);
	if (isfinite(a->rho_bar) && a->rho_bar >= -0.2 && a->rho_bar <= 1.2)
		chart_tag(&ch, a->rho_bar, "rho_bar", CC_EXP, &row, &col);
	return 0;
}

/* ---- the weight model (efficacy = weight) ---- */

/* The sample times of a weight view: one per dot column from t0 to t1, and with each presynaptic
 * transient in the window a sample just before and at it (its exact peak and the x it found). */
static int weight_times(const chart *ch, const wtrace_event *ev, int n, double t0, double t1, double **out)
{
	int cols = ch->x1 - ch->x0, m = 0;
	double *t = malloc(((size_t)cols + 2 * (size_t)n) * sizeof *t);
	if (!t)
		return -1;
	int i = 0;
	for (int X = ch->x0; X < ch->x1; X++) {
		double tc = chart_t(ch, X);
		for (; i < n && ev[i].t <= tc; i++)
			if (ev[i].t >= t0 && ev[i].t <= t1) {
				t[m++] = nextafter(ev[i].t, -INFINITY);
				t[m++] = ev[i].t;
			}
		t[m++] = tc;
	}
	*out = t;
	return m;
}

/* Calcium over the first presentation (a random protocol: the first second of a sample trial), with
 * the depressed presynaptic transients, the thresholds, and x, the resources of presynaptic
 * depression, as a dotted line from the bottom (0) to the top (1) of the chart. */
static int weight_calcium(views *v, const param_set *p, int index, uint64_t seed, int w, int h,
                          canvas_mode mode, views_out *out)
{
	double xv = params_x(p, index), end;
	wtrace_event *ev;
	int n;
	char where[64], buf[5][96];
	const char *rich[5], *brief[3];
	if (wtrace_events(p, xv, seed, &ev, &n, &end) < 0)
		return -1;
	int random = params_random_protocol(p);
	if (!random && n == 0) {
		free(ev);
		return -1;
	}
	double t0 = random ? 0 : ev[0].t - 0.01, t1 = random ? fmin(1.0, end) : ev[n - 1].t;
	if (!random && p->v[P_PRESENTATIONS] > 1)
		for (int i = 0; i < n; i++)
			if (ev[i].t < ev[0].t + 0.999 * p->v[P_INTERVAL_S])
				t1 = ev[i].t;
	if (!random)
		t1 += 5 * p->v[P_TAU_CA_MS] * 1e-3;
	views_format_x(p, xv, where, sizeof where);
	snprintf(out->title, sizeof out->title, "calcium c(t) and depression x(t) at %s, %s", where,
	         random ? "the first second of a sample trial" : "first presentation, exact");
	snprintf(out->brief, sizeof out->brief, "calcium, x at %s", where);
	/* The presynaptic transients' sizes, first and last shown: the depression at work. Each is
	 * c_pre (w) U x with the x and w found just before it (a jump of calcium would count a post
	 * spike at the same time too). */
	int npre = 0;
	double first = NAN, last = NAN, off = random || n == 0 ? 0 : ev[0].t;
	for (int i = 0; i < n; i++)
		npre += !ev[i].post && ev[i].t >= t0 && ev[i].t <= t1;
	if (npre > 0) {
		double *tt = malloc(4 * (size_t)npre * sizeof *tt);
		if (!tt) {
			free(ev);
			return -1;
		}
		double *cs = tt + npre, *xx = tt + 2 * npre, *ww = tt + 3 * npre;
		for (int i = 0, k = 0; i < n; i++)
			if (!ev[i].post && ev[i].t >= t0 && ev[i].t <= t1)
				tt[k++] = nextafter(ev[i].t, -INFINITY);
		wtrace_sample(p, ev, n, tt, npre, cs, xx, ww);
		double U = p->v[P_STD_U];
		for (int k = 0; k<npre; k += npre - 1> 0 ? npre - 1 : 1) {
			double a =
			    p->v[P_C_PRE] * (p->v[P_PRE_SCALED] != 0 ? ww[k] : 1) * (U > 0 ? U * xx[k] : 1);
			if (k == 0)
				first = a;
			last = a;
		}
		free(tt);
	}
	snprintf(buf[0], sizeof buf[0], "solid: calcium c(t)");
	snprintf(buf[1], sizeof buf[1], "dotted: x, presynaptic resources, 0 (bottom) to 1 (top)");
	snprintf(buf[3], sizeof buf[3], "U %.3g  tau_rec %.4g ms%s", p->v[P_STD_U], p->v[P_TAU_REC_MS],
	         p->v[P_PRE_SCALED] != 0 ? "  pre transient x w" : "");
	snprintf(buf[4], sizeof buf[4], "%d pre transients", npre);
	snprintf(buf[2], sizeof buf[2], "%d pre transients: first %.3g, last %.3g", npre, first, last);
	rich[0] = buf[0];
	rich[1] = buf[1];
	rich[2] = NULL;
	rich[3] = buf[2];
	rich[4] = buf[3];
	brief[0] = buf[1];
	brief[1] = NULL;
	brief[2] = buf[4];
	int lines = choose_lines(rich, 5, brief, 3, w, h, out);
	out->chart_h = h - lines;
	chart ch;
	double *t = NULL, *c = NULL;
	int rc = -1, m;
	if (canvas_fits(v, w, out->chart_h, mode) < 0)
		goto done;
	/* The y range from the peaks: a first pass with a provisional range finds them. */
	if (chart_begin(&ch, v->chart, (t0 - off) * 1e3, (t1 - off) * 1e3, 0, 1, " ", 1) < 0)
		goto done;
	ch.xmin = t0, ch.xmax = t1;
	if ((m = weight_times(&ch, ev, n, t0, t1, &t)) < 0 || !(c = malloc(3 * (size_t)m * sizeof *c)))
		goto done;
	double *xs = c + m, *ws = c + 2 * m, peak = 0;
	wtrace_sample(p, ev, n, t, m, c, xs, ws);
	for (int k = 0; k < m; k++)
		peak = fmax(peak, c[k]);
	double ymax = calcium_ymax(peak, p);
	if (chart_begin(&ch, v->chart, (t0 - off) * 1e3, (t1 - off) * 1e3, 0, ymax,
	                random ? "time of the sample trial (ms)" : "time after the first pre transient (ms)",
	                1) < 0)
		goto done;
	ch.xmin = t0, ch.xmax = t1;
	/* The y labels of the final range may take other columns: the samples again, at its dots. */
	free(t);
	free(c);
	t = c = NULL;
	if ((m = weight_times(&ch, ev, n, t0, t1, &t)) < 0 || !(c = malloc(3 * (size_t)m * sizeof *c)))
		goto done;
	xs = c + m, ws = c + 2 * m;
	wtrace_sample(p, ev, n, t, m, c, xs, ws);
	int cols = ch.x1 - ch.x0;
	double *cc = calloc((size_t)cols, sizeof *cc);
	if (!cc)
		goto done;
	for (int k = 0, X = ch.x0; k < m && X < ch.x1; k++)
		if (t[k] == chart_t(&ch, X)) {
			cc[X - ch.x0] = c[k];
			chart_shade(&ch, X, c[k], p->v[P_THETA_D], p->v[P_THETA_P]);
			X++;
		}
	chart_thresholds(&ch, p, cc);
	free(cc);
	canvas_pen dotted = {CC_EXP, 0, 0x55, 0};
	for (int k = 1; k < m; k++) {
		canvas_line_f(ch.c, chart_x(&ch, t[k - 1]), chart_y(&ch, c[k - 1]), chart_x(&ch, t[k]),
		              chart_y(&ch, c[k]), CC_DEFAULT);
		canvas_pen_line_f(ch.c, chart_x(&ch, t[k - 1]), chart_y(&ch, xs[k - 1] * ymax),
		                  chart_x(&ch, t[k]), chart_y(&ch, xs[k] * ymax), &dotted);
	}
	canvas_clip_reset(v->chart);
	chart_tags(&ch, p);
	int row = -1, col = 0;
	chart_tag(&ch, xs[m - 1] * ymax, "x", CC_EXP, &row, &col);
	rc = 0;
done:
	free(t);
	free(c);
	free(ev);
	return rc;
}

/* w(t) over the whole protocol (a random one: a sample trial), from w0 to the read-out. */
static int weight_efficacy(views *v, const param_set *p, int index, uint64_t seed, int w, int h,
                           canvas_mode mode, views_out *out)
{
	double xv = params_x(p, index), end;
	wtrace_event *ev;
	int n;
	char where[64], buf[4][96];
	const char *rich[3], *brief[1];
	if (wtrace_events(p, xv, seed, &ev, &n, &end) < 0)
		return -1;
	int random = params_random_protocol(p);
	views_format_x(p, xv, where, sizeof where);
	snprintf(out->title, sizeof out->title, "weight w(t) at %s: %s", where,
	         random ? "one sample trial (the curve is the mean over trials)" : "exact, to the read-out");
	snprintf(out->brief, sizeof out->brief, "w(t) at %s", where);
	double *t = NULL, *c = NULL;
	int rc = -1, m = 0;
	/* One sample per dot column of the widest chart that fits; the end value first, for the text. */
	int cap = 2 * w * (mode == CANVAS_BRAILLE ? 2 : 1) + 1;
	t = malloc((size_t)cap * sizeof *t);
	c = malloc(3 * (size_t)cap * sizeof *c);
	if (!t || !c)
		goto done;
	double t0 = random || n == 0 ? 0 : ev[0].t;
	for (m = 0; m < cap; m++)
		t[m] = t0 + (end - t0) * m / (cap - 1);
	double *xs = c + cap, *ws = c + 2 * cap;
	wtrace_sample(p, ev, n, t, m, c, xs, ws);
	double lo = PARAMS_W0, hi = PARAMS_W0;
	for (int k = 0; k < m; k++)
		lo = fmin(lo, ws[k]), hi = fmax(hi, ws[k]);
	snprintf(buf[0], sizeof buf[0], "w0 %.2f (dashed)  w at the read-out %.6f", PARAMS_W0, ws[m - 1]);
	snprintf(buf[1], sizeof buf[1], "change w / w0 %.6f%s", ws[m - 1] / PARAMS_W0,
	         random ? " in this trial" : " (exact)");
	snprintf(buf[2], sizeof buf[2], "%d events, read-out at %.4g s", n, end - t0);
	snprintf(buf[3], sizeof buf[3], "w/w0 %.4f", ws[m - 1] / PARAMS_W0);
	rich[0] = buf[0];
	rich[1] = buf[1];
	rich[2] = buf[2];
	brief[0] = buf[3];
	out->chart_h = h - choose_lines(rich, 3, brief, 1, w, h, out);
	if (canvas_fits(v, w, out->chart_h, mode) < 0)
		goto done;
	double pad = fmax(0.02, 0.1 * (hi - lo));
	chart ch;
	if (chart_begin(&ch, v->chart, 0, end - t0, fmax(0, lo - pad), fmin(1, hi + pad), "time (s)", 0) < 0)
		goto done;
	for (int k = 1; k < m; k++)
		canvas_line_f(ch.c, chart_x(&ch, t[k - 1] - t0), chart_y(&ch, ws[k - 1]),
		              chart_x(&ch, t[k] - t0), chart_y(&ch, ws[k]), CC_SIM);
	chart_hline(&ch, PARAMS_W0, CC_LABEL, NULL);
	canvas_clip_reset(v->chart);
	int row = -1, col = 0;
	chart_tag(&ch, PARAMS_W0, "w0", CC_LABEL, &row, &col);
	rc = 0;
done:
	free(t);
	free(c);
	free(ev);
	return rc;
}

int views_render(views *v, enum views_kind kind, const param_set *p, int index, uint64_t seed, int w, int h,
                 canvas_mode mode, views_out *out)
{
	memset(out, 0, sizeof *out);
	int rc = -1;
	if (w >= 20 && h >= MIN_CHART_ROWS && w <= CANVAS_MAX_SIDE && h <= CANVAS_MAX_SIDE) {
		if ((int)p->v[P_EFFICACY] == EFFICACY_WEIGHT)
			rc = kind == VIEWS_EFFICACY ? weight_efficacy(v, p, index, seed, w, h, mode, out)
			                            : weight_calcium(v, p, index, seed, w, h, mode, out);
		else if (kind == VIEWS_EFFICACY)
			rc = efficacy_view(v, p, index, seed, w, h, mode, out);
		else if ((int)p->v[P_PROTOCOL] == PROTO_POISSON)
			rc = calcium_poisson(v, p, index, seed, w, h, mode, out);
		else
			rc = calcium_periodic(v, p, index, w, h, mode, out);
	}
	out->chart = rc == 0 ? v->chart : NULL;
	return rc;
}
