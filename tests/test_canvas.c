/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The rasteriser and the plot composer, checked without a terminal. */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analytic.h"
#include "canvas.h"
#include "params.h"
#include "axes.h"
#include "plot.h"
#include "textplot.h"
#include "tap.h"

#define SEED_N 41

/* UTF-8 of one code point below U+10000, written independently of canvas.c. */
static const char *utf8(unsigned cp, char buf[4])
{
	if (cp < 0x80) {
		buf[0] = (char)cp;
		buf[1] = 0;
	} else if (cp < 0x800) {
		buf[0] = (char)(0xC0 | (cp >> 6));
		buf[1] = (char)(0x80 | (cp & 0x3F));
		buf[2] = 0;
	} else {
		buf[0] = (char)(0xE0 | (cp >> 12));
		buf[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		buf[2] = (char)(0x80 | (cp & 0x3F));
		buf[3] = 0;
	}
	return buf;
}

/* Code points in a UTF-8 string: every byte that is not a continuation byte starts one. */
static int code_points(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static int count_dots(const canvas *c)
{
	int n = 0, x, y;

	for (y = 0; y < canvas_rows(c) * canvas_dot_height(c); y++)
		for (x = 0; x < canvas_cols(c) * canvas_dot_width(c); x++)
			n += canvas_dot_at(c, x, y);
	return n;
}

static int row_has(const canvas *c, int row, const char *s)
{
	char buf[256];

	canvas_row_utf8(c, row, buf, sizeof(buf));
	return strstr(buf, s) != NULL;
}

static void test_new(void)
{
	canvas *c;

	ok(canvas_new(0, 5, CANVAS_ASCII) == NULL, "a canvas with no columns is refused");
	ok(canvas_new(5, -1, CANVAS_ASCII) == NULL, "a canvas with negative rows is refused");
	ok(canvas_new(CANVAS_MAX_SIDE + 1, 5, CANVAS_BRAILLE) == NULL, "an absurdly wide canvas is refused");
	ok(canvas_new(5, 5, (canvas_mode)7) == NULL, "an unknown mode is refused");
	c = canvas_new(7, 3, CANVAS_BRAILLE);
	ok(c && canvas_cols(c) == 7 && canvas_rows(c) == 3, "braille canvas has the size asked for");
	ok(c && canvas_dot_width(c) == 2 && canvas_dot_height(c) == 4, "braille cells hold 2x4 dots");
	canvas_free(c);
	c = canvas_new(7, 3, CANVAS_ASCII);
	ok(c && canvas_dot_width(c) == 1 && canvas_dot_height(c) == 3, "ASCII cells hold 1x3 dots");
	is_str(canvas_cell(c, 0, 0, NULL), " ", "a new canvas is blank");
	canvas_free(c);
	canvas_free(NULL);
}

static void test_braille_bits(void)
{
	/* The Unicode braille numbering: dots 1-3 and 7 down the left, 4-6 and 8 down the right. */
	static const unsigned bit[4][2] = {{0x01, 0x08}, {0x02, 0x10}, {0x04, 0x20}, {0x40, 0x80}};
	canvas *c = canvas_new(1, 1, CANVAS_BRAILLE);
	char want[4];
	int x, y, color;

	for (y = 0; y < 4; y++)
		for (x = 0; x < 2; x++) {
			canvas_clear(c);
			canvas_dot(c, x, y, CC_SIM);
			is_str(canvas_cell(c, 0, 0, &color), utf8(0x2800 + bit[y][x], want),
			       "braille dot (%d,%d) is U+%04X", x, y, 0x2800 + bit[y][x]);
		}
	ok(color == CC_SIM, "a dot gives its cell its colour");
	for (y = 0; y < 4; y++)
		for (x = 0; x < 2; x++)
			canvas_dot(c, x, y, CC_SIM);
	is_str(canvas_cell(c, 0, 0, NULL), utf8(0x28FF, want), "all eight dots make U+28FF");
	canvas_undot(c, 0, 0);
	is_str(canvas_cell(c, 0, 0, NULL), utf8(0x28FE, want), "undot removes exactly one dot");
	canvas_clear(c);
	is_str(canvas_cell(c, 0, 0, &color), " ", "an empty braille cell is a plain blank, not U+2800");
	ok(color == CC_DEFAULT, "an empty cell has the default colour");
	canvas_free(c);
}

static void test_ascii_glyphs(void)
{
	canvas *c = canvas_new(6, 1, CANVAS_ASCII);

	canvas_dot(c, 0, 0, 1);
	canvas_dot(c, 1, 1, 1);
	canvas_dot(c, 2, 2, 1);
	canvas_dot(c, 3, 0, 1);
	canvas_dot(c, 3, 2, 1);
	canvas_dot(c, 4, 0, 1);
	canvas_dot(c, 4, 1, 1);
	canvas_dot(c, 4, 2, 1);
	is_str(canvas_cell(c, 0, 0, NULL), "'", "ASCII top sub-row is an apostrophe");
	is_str(canvas_cell(c, 1, 0, NULL), "-", "ASCII middle sub-row is a dash");
	is_str(canvas_cell(c, 2, 0, NULL), ".", "ASCII bottom sub-row is a period");
	is_str(canvas_cell(c, 3, 0, NULL), ":", "ASCII top and bottom make a colon");
	is_str(canvas_cell(c, 4, 0, NULL), "|", "ASCII full column of dots is a bar");
	canvas_free(c);

	/* Steep lines leave slashes that follow their direction. */
	c = canvas_new(4, 3, CANVAS_ASCII);
	canvas_line(c, 0, 8, 3, 0, 1);
	ok(row_has(c, 1, "/") && !row_has(c, 1, "\\"), "a steep rising line draws '/'");
	canvas_clear(c);
	canvas_line(c, 0, 0, 3, 8, 1);
	ok(row_has(c, 1, "\\") && !row_has(c, 1, "/"), "a steep falling line draws '\\'");
	canvas_clear(c);
	canvas_line(c, 2, 0, 2, 8, 1);
	is_str(canvas_cell(c, 2, 1, NULL), "|", "a vertical line draws '|'");
	canvas_free(c);
}

static void test_lines(void)
{
	canvas *c = canvas_new(5, 2, CANVAS_BRAILLE); /* 10 x 8 dots */
	int i, all;

	canvas_line(c, 0, 3, 9, 3, 1);
	for (all = 1, i = 0; i < 10; i++)
		all &= canvas_dot_at(c, i, 3);
	ok(all && count_dots(c) == 10, "horizontal line sets every dot between its ends and no other");
	canvas_clear(c);
	canvas_line(c, 4, 7, 4, 0, 1);
	for (all = 1, i = 0; i < 8; i++)
		all &= canvas_dot_at(c, 4, i);
	ok(all && count_dots(c) == 8, "vertical line drawn bottom-up covers its column");
	canvas_clear(c);
	canvas_line(c, 7, 7, 0, 0, 1);
	for (all = 1, i = 0; i < 8; i++)
		all &= canvas_dot_at(c, i, i);
	ok(all && count_dots(c) == 8, "diagonal line is exactly the diagonal");
	canvas_clear(c);
	canvas_line(c, 1, 6, 9, 2, 1);
	ok(canvas_dot_at(c, 1, 6) && canvas_dot_at(c, 9, 2) && count_dots(c) == 9,
	   "shallow line: both end points, one dot per column");
	canvas_clear(c);
	canvas_line(c, 2, 2, 2, 2, 1);
	ok(canvas_dot_at(c, 2, 2) && count_dots(c) == 1, "a zero-length line is one dot");

	canvas_clear(c);
	canvas_line(c, -100, -100, 100, 100, 1);
	for (all = 1, i = 0; i < 8; i++)
		all &= canvas_dot_at(c, i, i);
	ok(all && count_dots(c) == 8, "a line through the canvas is clipped to the part inside");
	canvas_clear(c);
	canvas_line(c, -5, -5, -1, 20, 1);
	canvas_line(c, 10, 0, 30, 7, 1);
	ok(count_dots(c) == 0, "lines wholly outside draw nothing");
	canvas_clear(c);
	canvas_line(c, INT_MIN, INT_MIN, INT_MAX, INT_MAX, 1);
	ok(canvas_dot_at(c, 0, 0) && canvas_dot_at(c, 7, 7),
	   "INT_MIN..INT_MAX diagonal still crosses the canvas");
	canvas_free(c);
}

static void test_wild_lines(void)
{
	static const int v[] = {INT_MIN, INT_MIN + 1, -70000, -1, 0, 3, 9, 10, 70000, INT_MAX - 1, INT_MAX};
	static const double w[] = {NAN, INFINITY, -INFINITY, -1e300, -1e9,   -0.5,
	                           0,   4.999,    1e9,       1e300,  DBL_MAX};
	int n = (int)(sizeof(v) / sizeof(v[0])), m = (int)(sizeof(w) / sizeof(w[0]));
	int a, b, e, g, bad = 0;
	canvas *c = canvas_new(5, 2, CANVAS_BRAILLE);

	/* ASan and UBSan watch these: any overflow or stray write fails the run. */
	for (a = 0; a < n; a++)
		for (b = 0; b < n; b++)
			for (e = 0; e < n; e += 3)
				for (g = 0; g < n; g += 2) {
					canvas_line(c, v[a], v[b], v[e], v[g], 1);
					canvas_dot(c, v[a], v[b], 1);
					canvas_text(c, v[a], v[b], "wild", 2);
				}
	for (a = 0; a < m; a++)
		for (b = 0; b < m; b++) {
			canvas_line_f(c, w[a], w[b], 3, 3, 1);
			canvas_line_f(c, 3, 3, w[b], w[a], 1);
		}
	ok(1, "wild int and double coordinates neither crash nor overflow");

	canvas_clear(c);
	for (a = 0; a < m; a++)
		if (!isfinite(w[a])) {
			canvas_line_f(c, w[a], 1, 5, 1, 1);
			canvas_line_f(c, 1, 1, 5, w[a], 1);
		}
	ok(count_dots(c) == 0, "segments with a NaN or infinite end are not drawn");

	canvas_clip(c, 2, 1, 5, 4);
	canvas_line(c, 0, 0, 9, 7, 1);
	canvas_line(c, 0, 3, 9, 3, 1);
	for (a = 0; a < 10; a++)
		for (b = 0; b < 8; b++)
			if (canvas_dot_at(c, a, b) && (a < 2 || a > 5 || b < 1 || b > 4))
				bad++;
	ok(bad == 0 && canvas_dot_at(c, 2, 3) && canvas_dot_at(c, 5, 3), "the clip rectangle bounds lines");
	canvas_clip_reset(c);
	canvas_dot(c, 9, 7, 1);
	ok(canvas_dot_at(c, 9, 7), "clip reset: the whole canvas again");
	canvas_free(c);
}

static void test_text(void)
{
	canvas *c = canvas_new(6, 2, CANVAS_BRAILLE);
	char row[64], want[4];
	int color;

	canvas_dot(c, 2, 1, CC_ANALYTIC);
	canvas_text(c, 1, 0, "ab", CC_LABEL);
	canvas_dot(c, 3, 2, CC_ANALYTIC);
	is_str(canvas_cell(c, 1, 0, &color), "a", "text wins over a dot drawn before it");
	ok(color == CC_LABEL, "a text cell has the text's colour");
	is_str(canvas_cell(c, 1, 0, NULL), "a", "and over a dot drawn after it");
	ok(canvas_cell_is_text(c, 1, 0) && !canvas_cell_is_text(c, 0, 0), "text cells are told apart");
	canvas_text(c, -2, 1, "xyz", 1);
	is_str(canvas_cell(c, 0, 1, NULL), "z", "text starting left of the canvas is cut, not shifted");
	canvas_text(c, 4, 1, "long", 1);
	is_str(canvas_cell(c, 5, 1, NULL), "o", "text is cut at the right edge");
	canvas_text(c, 2, 1, "\xce\x94t", 1);
	is_str(canvas_cell(c, 2, 1, NULL), "?", "a non-ASCII character shows as one '?'");
	is_str(canvas_cell(c, 3, 1, NULL), "t", "and takes one cell");
	canvas_text(c, 0, 5, "off", 1);
	is_str(canvas_cell(c, 99, 0, &color), " ", "cells outside the canvas read as blank");

	canvas_clear(c);
	canvas_dot(c, 0, 0, 1);
	canvas_text(c, 2, 0, "hi", 1);
	canvas_row_utf8(c, 0, row, sizeof(row));
	utf8(0x2801, want);
	ok(strncmp(row, want, 3) == 0 && strcmp(row + 3, " hi  ") == 0,
	   "a row is its cells, trailing blanks kept");
	canvas_row_utf8(c, 0, row, 3);
	is_str(row, "", "a short buffer never ends inside a braille character");
	canvas_row_utf8(c, 0, row, 6);
	ok(code_points(row) == 3 && strlen(row) == 5, "a short buffer holds the whole characters that fit");
	canvas_free(c);
}

/* The next smaller nice step below s: 5 -> 2, 2 -> 1, 1 -> 0.5. */
static double smaller_step(double s)
{
	double p = pow(10, floor(log10(s) + 1e-9)), m = s / p;

	if (m > 4.5)
		return 2 * p;
	if (m > 1.5)
		return p;
	return 0.5 * p;
}

static void check_ticks(double lo, double hi, int max)
{
	double t[64], step, m;
	int n = ticks_nice(lo, hi, max, t, 64, &step), i, good = n >= 1 && n <= max;
	double tol = 1e-9 * step;

	for (i = 0; i < n; i++) {
		good &= t[i] >= lo - tol && t[i] <= hi + tol;
		if (i > 0)
			good &= fabs(t[i] - t[i - 1] - step) <= 1e-6 * step;
		good &= fabs(t[i] / step - round(t[i] / step)) < 1e-6;
	}
	m = step / pow(10, floor(log10(step) + 1e-9));
	good &= fabs(m - 1) < 1e-9 || fabs(m - 2) < 1e-9 || fabs(m - 5) < 1e-9;
	/* Smallest such step: one notch finer would need more than max ticks. */
	{
		double s2 = smaller_step(step);
		double cnt = floor(hi / s2 + 1e-9) - ceil(lo / s2 - 1e-9) + 1;
		good &= cnt > max;
	}
	ok(good, "ticks for %g..%g (max %d): %d ticks by %g, inside, nice, the finest that fit", lo, hi, max,
	   n, step);
}

static void test_ticks(void)
{
	double t[16], step;
	int n, i;

	n = ticks_nice(-102.5, 102.5, 5, t, 16, &step);
	ok(n == 5 && t[0] == -100 && t[1] == -50 && t[2] == 0 && t[3] == 50 && t[4] == 100 && step == 50,
	   "the seed's x range gives -100 -50 0 50 100 (max 5)");
	n = ticks_nice(-102.5, 102.5, 6, t, 16, &step);
	ok(n == 5 && t[0] == -100 && step == 50, "and the same with max 6");
	n = ticks_nice(0.3, 1.7, 8, t, 16, &step);
	ok(n == 7 && fabs(t[0] - 0.4) < 1e-12 && fabs(t[6] - 1.6) < 1e-12 && fabs(step - 0.2) < 1e-12,
	   "the seed's y range gives 0.4 .. 1.6 by 0.2 (max 8)");
	n = ticks_nice(0.3, 1.7, 4, t, 16, &step);
	ok(n == 3 && t[0] == 0.5 && t[1] == 1 && t[2] == 1.5, "and 0.5 1 1.5 with max 4");
	n = ticks_nice(0.3, 1.7, 8, t, 16, &step);
	for (i = 0; i < n; i++)
		if (t[i] == 1)
			break;
	ok(i < n, "tick values are exact decimals (1 is exactly 1)");

	check_ticks(-102.5, 102.5, 5);
	check_ticks(-102.5, 102.5, 11);
	check_ticks(0.3, 1.7, 3);
	check_ticks(0.3, 1.7, 15);
	check_ticks(0.97, 1.03, 5);
	check_ticks(-1e6, 3e6, 7);
	check_ticks(1e-7, 3e-7, 4);
	check_ticks(-3.3, -1.1, 6);
	check_ticks(0, 1, 1);

	n = ticks_nice(1.7, 0.3, 4, t, 16, &step);
	ok(n == 3 && t[0] == 0.5, "reversed ends are swapped");
	ok(ticks_nice(NAN, 1, 5, t, 16, &step) == 0 && step == 0, "NaN range: no ticks");
	ok(ticks_nice(0, INFINITY, 5, t, 16, NULL) == 0, "infinite range: no ticks");
	ok(ticks_nice(-DBL_MAX, DBL_MAX, 5, t, 16, NULL) == 0, "a range too wide for a double: no ticks");
	ok(ticks_nice(0, 1, 0, t, 16, NULL) == 0, "max 0: no ticks");
	n = ticks_nice(2, 2, 5, t, 16, &step);
	ok(n == 1 && t[0] == 2 && step > 0, "an empty range has its one value as a tick");
	n = ticks_nice(-100, 100, 30, t, 2, &step);
	ok(n == 21 && t[1] == -90, "the count is the true count even when cap is smaller");
	n = ticks_nice(-0.3, 0.3, 3, t, 16, &step);
	ok(n == 3 && t[1] == 0 && !signbit(t[1]), "a tick at zero is +0, never -0");
}

static void test_format(void)
{
	char b[32];

	ticks_format(-100, 50, b, sizeof(b));
	is_str(b, "-100", "whole steps have no decimals");
	ticks_format(0.5, 0.1, b, sizeof(b));
	is_str(b, "0.5", "a step of 0.1 gives one decimal");
	ticks_format(1, 0.2, b, sizeof(b));
	is_str(b, "1.0", "every label of a 0.2 step has one decimal, 1 too");
	ticks_format(1.25, 0.05, b, sizeof(b));
	is_str(b, "1.25", "a step of 0.05 gives two decimals");
	ticks_format(1.25, 0.25, b, sizeof(b));
	is_str(b, "1.25", "a step of 0.25 gives two decimals");
	ticks_format(-0.0, 1, b, sizeof(b));
	is_str(b, "0", "-0 is written 0");
	ticks_format(-1e-17, 0.2, b, sizeof(b));
	is_str(b, "0.0", "a value rounding to zero has no sign");
	ticks_format(3 * 0.1, 0.1, b, sizeof(b));
	is_str(b, "0.3", "binary noise does not show");
	ticks_format(2000, 500, b, sizeof(b));
	is_str(b, "2000", "large whole values");
	ticks_format(1e-4, 1e-4, b, sizeof(b));
	is_str(b, "0.0001", "small steps get the decimals they need");
	ticks_format(1.5, 0.5, b, 3);
	is_str(b, "1.", "a short buffer is cut, still terminated");
}

/* A synthetic STDP-like curve: depression for dt < 0, potentiation for dt > 0. */
static double stdp(double x)
{
	return 1 + 0.25 * exp(-(x - 5) * (x - 5) / 200) - 0.3 * exp(-(x + 20) * (x + 20) / 300);
}

struct sample {
	double x[SEED_N], y[SEED_N], lo[SEED_N], hi[SEED_N], ax[201], ay[201];
};

static plot_data seed_plot(struct sample *s)
{
	plot_data d;
	int i;

	for (i = 0; i < SEED_N; i++) {
		s->x[i] = -100 + 5 * i;
		s->y[i] = stdp(s->x[i]);
		s->lo[i] = s->y[i] - 0.04;
		s->hi[i] = s->y[i] + 0.04;
	}
	for (i = 0; i < 201; i++) {
		s->ax[i] = -100 + i;
		s->ay[i] = stdp(s->ax[i]);
	}
	memset(&d, 0, sizeof(d));
	d.n = SEED_N;
	d.x = s->x;
	d.y = s->y;
	d.lo = s->lo;
	d.hi = s->hi;
	d.na = 201;
	d.ax = s->ax;
	d.ay = s->ay;
	d.xmin = -102.5;
	d.xmax = 102.5;
	d.ymin = 0.3;
	d.ymax = 1.7;
	d.xlabel = "dt (ms)";
	d.ylabel = "change in synaptic strength (after/before)";
	d.show_analytic = 1;
	d.cursor_col = -1;
	return d;
}

static void row_text(const canvas *c, int row, char *buf, size_t len)
{
	canvas_row_utf8(c, row, buf, len);
}

static void test_layout(void)
{
	static const int size[][2] = {{80, 24}, {60, 18}};
	struct sample s;
	plot_data d = seed_plot(&s);
	int k;

	for (k = 0; k < 2; k++) {
		int cols = size[k][0], rows = size[k][1], r, i, labels = 1, prev_end = -1;
		char line[1024];
		plot_layout l;
		canvas *c = canvas_new(cols, rows, CANVAS_ASCII);

		plot_layout_for(&d, cols, rows, &l);
		ok(l.width >= cols * 3 / 4 && l.height >= rows / 2, "%dx%d: plot area %dx%d takes most of it",
		   cols, rows, l.width, l.height);
		ok(l.left >= 5 && l.left + l.width <= cols && l.top >= 1 && l.top + l.height + 4 <= rows,
		   "%dx%d: room for title, y labels, axis, x labels, x label and legend", cols, rows);
		plot_render(c, &d);
		row_text(c, 0, line, sizeof(line));
		ok(strncmp(line, "change in synaptic strength", 27) == 0,
		   "%dx%d: the y label is the title line", cols, rows);
		for (r = l.top; r < l.top + l.height; r++) {
			/* Left margin: optional label, a blank, then the axis. */
			row_text(c, r, line, sizeof(line));
			if (line[l.left - 1] != '|' && line[l.left - 1] != '+')
				labels = 0;
			if (line[l.left - 2] != ' ')
				labels = 0;
		}
		ok(labels, "%dx%d: the y axis runs down the left of the area, labels apart from it", cols,
		   rows);
		row_text(c, l.top + l.height + 1, line, sizeof(line));
		ok(strstr(line, "-100") && strstr(line, "-50") && strstr(line, " 0 ") &&
		       strstr(line, " 50") && strstr(line, "100"),
		   "%dx%d: x ticks -100 -50 0 50 100 under the axis: '%s'", cols, rows, line);
		for (i = 0; line[i]; i++) {
			if (line[i] != ' ' && (i == 0 || line[i - 1] == ' ')) {
				if (prev_end >= 0 && i - prev_end < 2)
					labels = 0;
			}
			if (line[i] != ' ' && (line[i + 1] == ' ' || !line[i + 1]))
				prev_end = i + 1;
		}
		ok(labels, "%dx%d: x tick labels at least two blanks apart", cols, rows);
		row_text(c, l.top + l.height + 2, line, sizeof(line));
		ok(strstr(line, "dt (ms)") != NULL, "%dx%d: the x label has its own row", cols, rows);
		{
			char line2[1024];
			row_text(c, rows - 2, line, sizeof(line));
			row_text(c, rows - 1, line2, sizeof(line2));
			ok((strstr(line2, "simulation") || strstr(line, "simulation")) &&
			       strstr(line2, "analytic"),
			   "%dx%d: the legend is the last row (or two)", cols, rows);
		}
		canvas_free(c);
	}
}

static int expect_col(const plot_layout *l, const plot_data *d, double x)
{
	return l->left + (int)floor((x - d->xmin) / (d->xmax - d->xmin) * l->width);
}

static int expect_row(const plot_layout *l, const plot_data *d, double y)
{
	return l->top + (int)floor((d->ymax - y) / (d->ymax - d->ymin) * l->height);
}

static void test_reference_lines(void)
{
	plot_data d;
	plot_layout l;
	int mode, r, col, row, k;

	memset(&d, 0, sizeof(d));
	d.xmin = -102.5;
	d.xmax = 102.5;
	d.ymin = 0.3;
	d.ymax = 1.7;
	d.cursor_col = -1;
	for (mode = 0; mode < 2; mode++) {
		canvas *c = canvas_new(80, 24, mode ? CANVAS_BRAILLE : CANVAS_ASCII);
		const char *name = mode ? "braille" : "ASCII";
		int all = 1, color, marks = 0;

		plot_render(c, &d);
		plot_layout_for(&d, 80, 24, &l);
		col = expect_col(&l, &d, 0);
		row = expect_row(&l, &d, 1);
		for (r = l.top; r < l.top + l.height; r++) {
			const char *g = canvas_cell(c, col, r, &color);
			/* ASCII: a ':' every other row. */
			if (r == row || (!mode && (r - l.top) % 2))
				continue;
			if (mode ? strcmp(g, " ") == 0 : strcmp(g, ":") != 0)
				all = 0;
			if (color != CC_REF)
				all = 0;
		}
		ok(all, "%s: the dt = 0 dashed line runs down column %d", name, col);
		ok(!strcmp(canvas_cell(c, col - 1, l.top, NULL), " ") &&
		       !strcmp(canvas_cell(c, col + 1, l.top, NULL), " "),
		   "%s: and only down that column", name);
		for (k = l.left; k < l.left + l.width; k++) {
			const char *g = canvas_cell(c, k, row, &color);
			if (strcmp(g, " ") != 0 && color == CC_REF)
				marks++;
			if (!mode && strcmp(g, " ") && strcmp(g, "_") && k != col)
				marks = -1000;
		}
		ok(marks >= l.width / 3 && marks <= l.width,
		   "%s: the change = 1 dashed line (%d dashes) runs along row %d", name, marks, row);
		canvas_free(c);
	}

	/* Out of range: no reference lines at all. */
	d.xmin = 10;
	d.xmax = 50;
	d.ymin = 1.2;
	d.ymax = 1.5;
	{
		canvas *c = canvas_new(60, 18, CANVAS_ASCII);
		int any = 0, x, y;

		plot_render(c, &d);
		plot_layout_for(&d, 60, 18, &l);
		for (y = l.top; y < l.top + l.height; y++)
			for (x = l.left; x < l.left + l.width; x++)
				any |= strcmp(canvas_cell(c, x, y, NULL), " ") != 0;
		ok(!any, "no reference lines when 0 and 1 are outside the ranges");
		canvas_free(c);
	}
}

static void test_points(void)
{
	double x[3] = {-50, 20, 75}, y[3] = {1.4, NAN, 0.6}, lo[3] = {1.3, 0.9, NAN}, hi[3] = {1.5, 1.1, NAN};
	plot_data d;
	plot_layout l;
	int mode, i, col, row;

	memset(&d, 0, sizeof(d));
	d.n = 3;
	d.x = x;
	d.y = y;
	d.lo = lo;
	d.hi = hi;
	d.xmin = -102.5;
	d.xmax = 102.5;
	d.ymin = 0.3;
	d.ymax = 1.7;
	d.cursor_col = -1;
	d.hide_legend = 1;
	for (mode = 0; mode < 2; mode++) {
		canvas *c = canvas_new(80, 24, mode ? CANVAS_BRAILLE : CANVAS_ASCII);
		const char *name = mode ? "braille" : "ASCII";
		int color, inside, bar, nan_col, other = 0;

		plot_render(c, &d);
		plot_layout_for(&d, 80, 24, &l);
		col = expect_col(&l, &d, -50);
		row = expect_row(&l, &d, 1.4);
		{
			char g, rowbuf[1024];
			canvas_row_text(c, row, rowbuf, sizeof(rowbuf));
			ok(canvas_cell_mark(c, col, row, &g) == CC_SIM && g == 'o' &&
			       (mode || rowbuf[col] == 'o'),
			   "%s: the point (-50, 1.4) marks cell (%d,%d), an 'o' in text output", name, col,
			   row);
		}
		inside = plot_cell_of(&d, 80, 24, -50, 1.4, &i, &bar);
		ok(inside && i == col && bar == row, "%s: plot_cell_of agrees", name);
		bar = expect_row(&l, &d, 1.48);
		canvas_cell(c, col, bar, &color);
		ok(color == CC_SIM && canvas_cell_has_dots(c, col, bar), "%s: its interval rises above it",
		   name);
		col = expect_col(&l, &d, 75);
		row = expect_row(&l, &d, 0.6);
		ok(canvas_cell_mark(c, col, row, NULL) == CC_SIM,
		   "%s: a point without interval is still drawn", name);
		ok(!strcmp(canvas_cell(c, col, row - 1, NULL), " ") &&
		       !strcmp(canvas_cell(c, col, row + 1, NULL), " "),
		   "%s: and has no bar", name);
		nan_col = expect_col(&l, &d, 20);
		for (i = l.top; i < l.top + l.height; i++) {
			canvas_cell(c, nan_col, i, &color);
			if (color == CC_SIM || color == CC_INTERVAL ||
			    canvas_cell_mark(c, nan_col, i, NULL) >= 0)
				other = 1;
		}
		ok(!other, "%s: a NaN point draws neither marker nor interval", name);
		canvas_free(c);
	}
	ok(!plot_cell_of(&d, 80, 24, 0, 2.5, NULL, NULL), "plot_cell_of: above the area is outside");
	is_near(plot_x_of_col(&d, 80, 24, expect_col(&l, &d, -50)), -50, 205.0 / l.width,
	        "plot_x_of_col inverts the column mapping");
}

static void test_offscale_and_nan(void)
{
	double x[3] = {-50, 0, 50}, y[3] = {5, 0.1, 1};
	double ax[4] = {-100, NAN, 0, 100}, ay[4] = {INFINITY, 1, -1e300, NAN};
	double big[5] = {DBL_MAX, -DBL_MAX, NAN, INFINITY, -1e300};
	plot_data d;
	canvas *c = canvas_new(60, 18, CANVAS_ASCII);
	plot_layout l;
	char line[256];

	memset(&d, 0, sizeof(d));
	d.n = 3;
	d.x = x;
	d.y = y;
	d.xmin = -102.5;
	d.xmax = 102.5;
	d.ymin = 0.3;
	d.ymax = 1.7;
	d.cursor_col = -1;
	plot_render(c, &d);
	plot_layout_for(&d, 60, 18, &l);
	is_str(canvas_cell(c, expect_col(&l, &d, -50), l.top, NULL), "^",
	       "a point above the area: '^' at the top");
	is_str(canvas_cell(c, expect_col(&l, &d, 0), l.top + l.height - 1, NULL), "v",
	       "a point below the area: 'v' at the bottom");

	/* Everything hostile at once, ranges included: must not crash, overflow or hang. */
	d.na = 4;
	d.ax = ax;
	d.ay = ay;
	d.show_analytic = 1;
	d.lo = big;
	d.hi = big + 1;
	d.nexp = 3;
	d.ex = big;
	d.ey = big + 1;
	d.elo = big + 2;
	d.ehi = big;
	d.cursor_col = 3;
	d.cursor_x = NAN;
	d.xmin = NAN;
	d.ymax = -INFINITY;
	plot_render(c, &d);
	canvas_row_utf8(c, 17, line, sizeof(line));
	ok(code_points(line) == 60, "hostile data and ranges render without harm");
	d.xmin = -DBL_MAX;
	d.xmax = DBL_MAX;
	d.ymin = -DBL_MAX;
	d.ymax = DBL_MAX;
	plot_render(c, &d);
	ok(1, "ranges as wide as double renders without harm");
	canvas_free(c);
}

static void test_autoscale(void)
{
	double x[4] = {-10, 0, 10, 20}, y[4] = {0.55, NAN, 1.3, 1.2}, lo[4] = {0.5, 0, 1.25, 1.1},
	       hi[4] = {0.6, 9, 1.35, 1.3};
	double above[2] = {1.3, 1.5}, below[2] = {0.4, 0.7}, ax[3] = {-10, 0, 500}, ay[3] = {1.1, 1.45, 99};
	plot_data d;
	double a, b;

	memset(&d, 0, sizeof(d));
	d.cursor_col = -1;
	plot_autoscale(&d, &a, &b);
	ok(a == 0.3 && b == 1.7, "no data: the seed's 0.3..1.7");
	d.n = 4;
	d.x = x;
	d.y = y;
	d.lo = lo;
	d.hi = hi;
	plot_autoscale(&d, &a, &b);
	ok(a <= 0.5 && b >= 1.35 && a < 1 && b > 1, "covers the intervals: %g..%g", a, b);
	ok(b < 2, "a NaN point's interval is ignored");
	ok(a > 0.3 && b - 1.35 < 0.2, "padding is modest");
	d.n = 2;
	d.y = above;
	d.lo = d.hi = NULL;
	plot_autoscale(&d, &a, &b);
	ok(a < 1 && b >= 1.5, "points all above 1 still show 1: %g..%g", a, b);
	d.y = below;
	plot_autoscale(&d, &a, &b);
	ok(a <= 0.4 && b > 1, "points all below 1 still show 1: %g..%g", a, b);
	d.na = 3;
	d.ax = ax;
	d.ay = ay;
	d.show_analytic = 1;
	d.xmin = -12.5;
	d.xmax = 5;
	plot_autoscale(&d, &a, &b);
	ok(b >= 1.45 && b < 3, "the analytic curve inside the x range counts, outside not: %g..%g", a, b);
	ok(fabs(a * 10 - round(a * 10)) < 1e-9 && fabs(b * 10 - round(b * 10)) < 1e-9,
	   "the ends are on a nice step");
	y[0] = y[2] = y[3] = 1.001;
	d.n = 4;
	d.y = y;
	d.na = 0;
	plot_autoscale(&d, &a, &b);
	ok(a <= 0.9 && b >= 1.1, "no change at all: at least 0.9..1.1, not magnified noise");
}

static void test_xrange(void)
{
	double x[SEED_N], lo, hi, one = 40, gap[3] = {NAN, 10, 30};
	int i;

	for (i = 0; i < SEED_N; i++)
		x[i] = -100 + 5 * i;
	plot_xrange_for(x, SEED_N, &lo, &hi);
	ok(lo == -102.5 && hi == 102.5, "41 points -100..100: -102.5..102.5 like the seed");
	plot_xrange_for(NULL, 0, &lo, &hi);
	ok(lo == -102.5 && hi == 102.5, "no points: the seed's range");
	plot_xrange_for(&one, 1, &lo, &hi);
	ok(lo < 40 && hi > 40, "one point: a range around it");
	plot_xrange_for(gap, 3, &lo, &hi);
	ok(lo == 0 && hi == 40, "NaN x is ignored");
}

/* Print into a temporary file and check every line's width in characters. */
static void check_print(const plot_data *d, int cols, int rows, canvas_mode mode)
{
	FILE *f = tmpfile();
	char *line = malloc((size_t)cols * 4 + 8);
	int n = 0, good = 1, rc;

	if (!f || !line) {
		ok(0, "tmpfile");
		free(line);
		return;
	}
	rc = textplot_render(f, d, cols, rows, mode);
	rewind(f);
	while (fgets(line, cols * 4 + 8, f)) {
		size_t len = strlen(line);
		if (len == 0 || line[len - 1] != '\n')
			good = 0;
		else
			line[len - 1] = '\0';
		if (code_points(line) != cols)
			good = 0;
		n++;
	}
	ok(rc == 0 && good && n == rows, "plot_print %s %dx%d: %d lines of %d characters",
	   mode == CANVAS_BRAILLE ? "braille" : "ASCII", cols, rows, n, cols);
	fclose(f);
	free(line);
}

static void test_print(void)
{
	static const int size[][2] = {{80, 24}, {60, 18}, {160, 50}, {300, 100},
	                              {30, 8},  {12, 5},  {3, 2},    {1, 1}};
	struct sample s;
	plot_data d = seed_plot(&s);
	unsigned k;

	for (k = 0; k < sizeof(size) / sizeof(size[0]); k++) {
		check_print(&d, size[k][0], size[k][1], CANVAS_ASCII);
		check_print(&d, size[k][0], size[k][1], CANVAS_BRAILLE);
	}
	ok(textplot_render(stdout, &d, 0, 10, CANVAS_ASCII) == -1, "plot_print refuses a bad size");
	{
		FILE *f = tmpfile();
		int c, high = 0;

		textplot_render(f, &d, 80, 24, CANVAS_ASCII);
		rewind(f);
		while ((c = fgetc(f)) != EOF)
			high |= c >= 0x80;
		ok(!high, "ASCII output is pure ASCII");
		fclose(f);
	}
}

/* A small deterministic generator, so that a failure can be replayed. */
static unsigned long lcg_state = 12345;

static unsigned lcg(void)
{
	lcg_state = lcg_state * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned)(lcg_state >> 33);
}

static double hostile(void)
{
	static const double pool[] = {NAN, INFINITY, -INFINITY, DBL_MAX, -DBL_MAX, 1e300, -1e300, 0, 1, -0.0};
	unsigned r = lcg() % 16;

	if (r < 10)
		return pool[r];
	return (lcg() % 40000) / 100.0 - 200;
}

static void test_fuzz(void)
{
	enum { N = 12 };
	double v[7][N];
	int iter, i, k, good = 1;
	char *line = malloc(130 * 4);

	for (iter = 0; iter < 300; iter++) {
		int cols = 1 + (int)(lcg() % 120), rows = 1 + (int)(lcg() % 60);
		canvas *c = canvas_new(cols, rows, lcg() % 2 ? CANVAS_BRAILLE : CANVAS_ASCII);
		plot_data d;

		for (k = 0; k < 7; k++)
			for (i = 0; i < N; i++)
				v[k][i] = hostile();
		memset(&d, 0, sizeof(d));
		d.n = (int)(lcg() % (N + 1));
		d.x = v[0];
		d.y = v[1];
		d.lo = v[2];
		d.hi = lcg() % 4 ? v[3] : NULL;
		d.na = (int)(lcg() % (N + 1));
		d.ax = v[4];
		d.ay = v[5];
		d.nexp = (int)(lcg() % 3);
		d.ex = v[6];
		d.ey = v[5];
		d.elo = v[3];
		d.ehi = v[2];
		d.xmin = hostile();
		d.xmax = hostile();
		d.ymin = hostile();
		d.ymax = hostile();
		d.xlabel = lcg() % 2 ? "dt (ms)" : NULL;
		d.ylabel = lcg() % 2 ? "change in synaptic strength (after/before)" : "";
		d.show_analytic = (int)(lcg() % 2);
		d.cursor_col = (int)(lcg() % 3) - 1;
		d.cursor_x = hostile();
		d.hide_legend = (int)(lcg() % 2);
		plot_render(c, &d);
		for (i = 0; i < rows; i++) {
			canvas_row_utf8(c, i, line, 130 * 4);
			if (code_points(line) != cols)
				good = 0;
		}
		canvas_free(c);
	}
	free(line);
	ok(good, "300 plots of hostile data at random sizes render whole rows without harm");
}

static void test_cursor(void)
{
	struct sample s;
	plot_data d = seed_plot(&s);
	canvas *c = canvas_new(80, 24, CANVAS_ASCII);
	plot_layout l;

	d.cursor_col = 8;
	d.cursor_x = -60;
	plot_render(c, &d);
	plot_layout_for(&d, 80, 24, &l);
	is_str(canvas_cell(c, expect_col(&l, &d, -60), l.top + l.height, NULL), "^",
	       "the cursor is marked on the x axis under its x");
	canvas_free(c);
}

/* The DP curve of the paper as the explorer shows it: the analytic line at one sample per dot
 * column, 41 simulated points scattered about it by a few hundredths (as 1000 repetitions give)
 * with their intervals, the y range fitted. */
struct dp_plot {
	double x[SEED_N], y[SEED_N], lo[SEED_N], hi[SEED_N], ax[400], ay[400];
};

static plot_data dp_plot(struct dp_plot *s, int na)
{
	param_set p;
	plot_data d;
	analytic_point a;

	if (na > 400)
		na = 400;
	params_defaults(&p);
	for (int i = 0; i < SEED_N; i++) {
		s->x[i] = -100 + 5 * i;
		analytic_at(&p, s->x[i], &a);
		/* A fixed scatter of up to 0.02 either side. */
		s->y[i] = a.change + 0.02 * sin(i * 2.1);
		s->lo[i] = s->y[i] - 0.03;
		s->hi[i] = s->y[i] + 0.03;
	}
	memset(&d, 0, sizeof(d));
	d.xmin = -102.5;
	d.xmax = 102.5;
	for (int i = 0; i < na; i++) {
		s->ax[i] = d.xmin + (d.xmax - d.xmin) * i / (na - 1);
		analytic_at(&p, s->ax[i], &a);
		s->ay[i] = a.change;
	}
	d.n = SEED_N;
	d.x = s->x;
	d.y = s->y;
	d.lo = s->lo;
	d.hi = s->hi;
	d.na = na;
	d.ax = s->ax;
	d.ay = s->ay;
	d.xlabel = "dt = t_post - t_pre (ms)";
	d.show_analytic = 1;
	d.cursor_col = 20;
	d.cursor_x = 0;
	plot_autoscale(&d, &d.ymin, &d.ymax);
	return d;
}

/* Columns of the area in which the analytic curve owns a cell that is not text, over the columns
 * where it has dots when drawn alone. */
static double analytic_coverage(const plot_data *full, int cols, int rows, canvas_mode mode)
{
	plot_data alone = *full;
	plot_layout l;
	int prio = -1, want = 0, got = 0;
	canvas *a = canvas_new(cols, rows, mode), *c = canvas_new(cols, rows, mode);

	alone.n = 0;
	alone.nexp = 0;
	alone.cursor_col = -1;
	plot_render(a, &alone);
	plot_render(c, full);
	plot_layout_for(full, cols, rows, &l);
	for (int col = l.left; col < l.left + l.width; col++)
		for (int r = l.top; r < l.top + l.height; r++)
			if (canvas_cell_has_dots(a, col, r) && canvas_cell_prio(a, col, r) > prio)
				prio = canvas_cell_prio(a, col, r);
	for (int col = l.left; col < l.left + l.width; col++) {
		int had = 0, has = 0;
		for (int r = l.top; r < l.top + l.height; r++) {
			had |= canvas_cell_has_dots(a, col, r) && canvas_cell_prio(a, col, r) == prio;
			has |= canvas_cell_has_dots(c, col, r) && canvas_cell_prio(c, col, r) == prio &&
			       !canvas_cell_is_text(c, col, r);
		}
		want += had;
		got += had && has;
	}
	canvas_free(a);
	canvas_free(c);
	return want ? (double)got / want : 0;
}

static void test_coverage(void)
{
	static const int size[][2] = {{44, 19}, {80, 24}, {64, 25}};
	static const canvas_mode modes[] = {CANVAS_BRAILLE, CANVAS_BLOCK, CANVAS_ASCII};
	struct dp_plot s;

	for (int k = 0; k < 3; k++)
		for (int m = 0; m < 3; m++) {
			plot_data d = dp_plot(&s, size[k][0] * 2);
			double cov = analytic_coverage(&d, size[k][0], size[k][1], modes[m]);
			ok(cov >= 0.9,
			   "%s %dx%d: the analytic curve shows in %.0f%% of its columns with the points, "
			   "their intervals, the reference lines and the cursor drawn",
			   canvas_mode_name(modes[m]), size[k][0], size[k][1], 100 * cov);
		}
}

/* Whether two label boxes share a cell or touch. */
static int boxes_clash(const plot_label_box *a, const plot_label_box *b)
{
	return a->row == b->row && a->col <= b->col + b->len && b->col <= a->col + a->len;
}

static void test_labels(void)
{
	static const int size[][2] = {{44, 19}, {80, 24}, {64, 25}, {100, 30}, {166, 50}};
	static const double freqs[5] = {1, 20, 30, 40, 50};
	double fx[5][200], fy[5][200];
	char names[5][16];
	plot_line lines[5];
	struct dp_plot s;
	param_set p;

	params_defaults(&p);
	for (int k = 0; k < 5; k++) {
		p.v[P_FREQ_HZ] = freqs[k];
		for (int i = 0; i < 200; i++) {
			analytic_point a;
			fx[k][i] = -102.5 + 205.0 * i / 199;
			fy[k][i] = NAN;
			if (fabs(fx[k][i]) <= 500 / freqs[k]) {
				analytic_pair(&p, fx[k][i], &a);
				fy[k][i] = a.change;
			}
		}
		snprintf(names[k], sizeof names[k], "%g Hz", freqs[k]);
		lines[k] = (plot_line){200, fx[k], fy[k], names[k]};
	}
	for (int z = 0; z < 5; z++) {
		int cols = size[z][0], rows = size[z][1], clash = 0, whole = 1, legend = 1;
		plot_data d = dp_plot(&s, cols * 2);
		plot_label_box b[16];
		canvas *c = canvas_new(cols, rows, CANVAS_BRAILLE);
		char row[4096];

		d.nlines = 5;
		d.lines = lines;
		plot_autoscale(&d, &d.ymin, &d.ymax);
		int n = plot_render_labels(c, &d, b, 16);
		for (int i = 0; i < n; i++)
			for (int j = i + 1; j < n; j++)
				clash |= boxes_clash(&b[i], &b[j]);
		for (int i = 0; i < n; i++) {
			char want[16];
			for (int j = 0; j < b[i].len; j++)
				want[j] = canvas_cell(c, b[i].col + j, b[i].row, NULL)[0];
			want[b[i].len] = 0;
			whole &= strstr(want, "Hz") != NULL;
		}
		/* Each curve is in the legend, with its name. */
		for (int k = 0; k < 5; k++) {
			int found = 0;
			for (int r = 0; r < rows; r++) {
				canvas_row_utf8(c, r, row, sizeof row);
				found |= strstr(row, names[k]) != NULL && r > rows - 5;
			}
			legend &= found;
		}
		ok(n >= 3 && !clash && whole,
		   "%dx%d: %d of 5 curve labels placed, none overlapping or touching", cols, rows, n);
		if (cols >= 64)
			ok(legend, "%dx%d: the legend names each curve", cols, rows);
		canvas_free(c);
	}
}

/* Marked cells per point: the markers' size. */
static double marker_cells(int cols, int rows)
{
	struct dp_plot s;
	plot_data d = dp_plot(&s, cols * 2);
	canvas *c = canvas_new(cols, rows, CANVAS_BRAILLE);
	int marked = 0;

	d.hide_legend = 1;
	d.lo = d.hi = NULL;
	/* Every other point, so that neighbours do not merge. */
	d.n = SEED_N;
	for (int i = 1; i < SEED_N; i += 2)
		s.y[i] = NAN;
	plot_render(c, &d);
	for (int r = 0; r < rows; r++)
		for (int col = 0; col < cols; col++)
			marked += canvas_cell_mark(c, col, r, NULL) >= 0;
	canvas_free(c);
	return marked / 21.0;
}

static void test_marker_growth(void)
{
	int w0, h0, w1, h1, w2, h2;
	plot_marker_size(40, 16, 1, &w0, &h0);
	plot_marker_size(160, 48, 4, &w1, &h1);
	plot_marker_size(260, 78, 6.3, &w2, &h2);
	ok(w0 * h0 == 1 && w1 * h1 > w0 * h0 && w2 * h2 > w1 * h1,
	   "markers grow with the plot: %dx%d, %dx%d, %dx%d cells", w0, h0, w1, h1, w2, h2);
	plot_marker_size(160, 48, 1.2, &w1, &h1);
	ok(w1 == 1, "but never wider than the spacing of the points leaves room for");
	double m80 = marker_cells(44, 19), m200 = marker_cells(164, 55), m300 = marker_cells(264, 85);
	ok(m80 >= 1 && m200 > m80 && m300 > m200,
	   "a point covers %.1f cells at 80x24, %.1f at 200x60, %.1f at 300x90", m80, m200, m300);
	/* At 200x60 a point is seen before its interval: its marker is wider than the bar's dot. */
	ok(m200 >= 2, "at 200x60 a marker is at least two cells, wider than its interval");
}

static void test_glyph_sets(void)
{
	static const canvas_mode modes[] = {CANVAS_BRAILLE, CANVAS_BLOCK, CANVAS_ASCII};
	static const int dots[3][2] = {{2, 4}, {2, 2}, {1, 3}};
	struct dp_plot s;

	for (int m = 0; m < 3; m++) {
		canvas *c = canvas_new(80, 24, modes[m]);
		plot_data d = dp_plot(&s, 160);
		int good = 1, dotted = 0;

		ok(canvas_mode_parse(canvas_mode_name(modes[m])) == (int)modes[m] &&
		       canvas_dot_width(c) == dots[m][0] && canvas_dot_height(c) == dots[m][1],
		   "%s: named, %dx%d dots a cell", canvas_mode_name(modes[m]), dots[m][0], dots[m][1]);
		plot_render(c, &d);
		for (int r = 0; r < 24; r++)
			for (int col = 0; col < 80; col++) {
				const unsigned char *g = (const unsigned char *)canvas_cell(c, col, r, NULL);
				unsigned cp = g[0] < 0x80 ? g[0]
				                          : ((g[0] & 0x0F) << 12) | ((g[1] & 0x3F) << 6) |
				                                (g[2] & 0x3F);
				if (canvas_cell_is_text(c, col, r) || !canvas_cell_has_dots(c, col, r))
					continue;
				dotted++;
				if (modes[m] == CANVAS_BRAILLE) /* dots, and lines for the reference and cursor */
					good &= canvas_cell_prio(c, col, r) > PLOT_PRIO_REF
					            ? cp > 0x2800 && cp <= 0x28FF
					            : cp >= 0x2500 && cp <= 0x257F;
				else if (modes[m] == CANVAS_BLOCK) /* quadrants for curves, lines below them */
					good &= canvas_cell_prio(c, col, r) >= PLOT_PRIO_CURVES
					            ? cp >= 0x2580 && cp <= 0x259F
					            : cp >= 0x2500 && cp <= 0x257F;
				else
					good &= cp > 0x20 && cp < 0x7F;
			}
		ok(good && dotted > 40, "%s: the %d drawn cells are all of the set",
		   canvas_mode_name(modes[m]), dotted);
		canvas_free(c);
	}
	ok(canvas_mode_parse("Braille") < 0 && canvas_mode_parse("") < 0 && canvas_mode_parse(NULL) < 0,
	   "unknown glyph set names are refused");

	/* The sixteen quadrant patterns, each from its dots. */
	static const unsigned quad[16] = {0x20,   0x2598, 0x259D, 0x2580, 0x2596, 0x258C, 0x259E, 0x259B,
	                                  0x2597, 0x259A, 0x2590, 0x259C, 0x2584, 0x2599, 0x259F, 0x2588};
	canvas *c = canvas_new(16, 1, CANVAS_BLOCK);
	int all = 1;
	for (int b = 0; b < 16; b++) {
		char want[4];
		for (int k = 0; k < 4; k++)
			if (b >> k & 1)
				canvas_dot(c, 2 * b + k % 2, k / 2, CC_SIM);
		all &= !strcmp(canvas_cell(c, b, 0, NULL), b ? utf8(quad[b], want) : " ");
	}
	ok(all, "block: every pattern of 2x2 dots has its quadrant character");
	canvas_free(c);

	/* ASCII reads cleanly: inside the area only the curve's sub-row characters, the points' 'o',
	 * their bars' '|', the reference lines' ':' and '_' and the cursor's ';'. */
	canvas *a = canvas_new(80, 24, CANVAS_ASCII);
	plot_data d = dp_plot(&s, 160);
	plot_layout l;
	char row[256];
	int odd = 0;
	plot_render(a, &d);
	plot_layout_for(&d, 80, 24, &l);
	for (int r = l.top; r < l.top + l.height; r++) {
		canvas_row_text(a, r, row, sizeof row);
		for (int i = l.left; i < l.left + l.width; i++)
			if (!strchr(" -.:'/\\|o_;", row[i])) {
				odd++;
				printf("# row %d column %d: '%c'\n", r, i, row[i]);
			}
	}
	ok(!odd, "ascii: the area holds only the characters of its layers");
	canvas_free(a);
}

/* The characters of one layer class (curves, bars, reference lines, the cursor) in a plot: what a
 * monochrome terminal shows of them, one string each, '\n'-separated. */
enum { LC_CURVE, LC_BAR, LC_REF, LC_CURSOR, LC_COUNT };
static const char *const lc_name[LC_COUNT] = {"curves", "bars", "reference lines", "the cursor"};

static int layer_class(int prio)
{
	return prio >= PLOT_PRIO_CURVES  ? LC_CURVE
	       : prio > PLOT_PRIO_REF    ? LC_BAR
	       : prio == PLOT_PRIO_REF   ? LC_REF
	                                 : LC_CURSOR;
}

/* A set of characters (cells' UTF-8 strings). */
struct glyph_set {
	int n;
	char g[64][8];
};

static void add_glyph(struct glyph_set *set, const char *g)
{
	for (int i = 0; i < set->n; i++)
		if (!strcmp(set->g[i], g))
			return;
	if (set->n < 64)
		snprintf(set->g[set->n++], sizeof set->g[0], "%s", g);
}

/* No character of one layer class is also a character of another's: without colour (NO_COLOR)
 * the layers differ by shape, cell by cell. With blocks all four classes; with braille, where
 * curves and bars are both dots (told apart by the curve's double line), the reference lines and
 * the cursor against everything. */
static void test_layers_distinct(void)
{
	static const int sizes[][2] = {{40, 12}, {80, 24}, {100, 30}, {200, 60}};
	struct dp_plot s;
	double ex[3] = {-40, 20, 60}, ey[3], elo[3], ehi[3];

	for (size_t z = 0; z < 2 * sizeof sizes / sizeof sizes[0]; z++) {
		int braille = z >= sizeof sizes / sizeof sizes[0];
		const int *size = sizes[braille ? z - sizeof sizes / sizeof sizes[0] : z];
		canvas *c = canvas_new(size[0], size[1], braille ? CANVAS_BRAILLE : CANVAS_BLOCK);
		plot_data d = dp_plot(&s, 160);
		struct glyph_set set[LC_COUNT] = {{0}};
		int bad = 0;

		/* Measured points with long bars, and the cursor away from dt = 0. */
		for (int i = 0; i < 3; i++) {
			ey[i] = 0.8 + 0.2 * i;
			elo[i] = ey[i] - 0.15;
			ehi[i] = ey[i] + 0.15;
		}
		d.nexp = 3;
		d.ex = ex;
		d.ey = ey;
		d.elo = elo;
		d.ehi = ehi;
		d.cursor_x = 47.5;
		plot_autoscale(&d, &d.ymin, &d.ymax);
		plot_render(c, &d);
		for (int r = 0; r < canvas_rows(c); r++)
			for (int col = 0; col < canvas_cols(c); col++)
				if (canvas_cell_has_dots(c, col, r) && !canvas_cell_is_text(c, col, r))
					add_glyph(&set[layer_class(canvas_cell_prio(c, col, r))],
					          canvas_cell(c, col, r, NULL));
		for (int a = 0; a < LC_COUNT; a++) {
			if (!set[a].n) {
				printf("# %dx%d: no cell of %s\n", size[0], size[1], lc_name[a]);
				bad = 1;
			}
			for (int b = a + 1; b < LC_COUNT; b++)
				for (int i = 0; i < set[a].n && !(braille && a == LC_CURVE && b == LC_BAR); i++)
					for (int j = 0; j < set[b].n; j++)
						if (!strcmp(set[a].g[i], set[b].g[j])) {
							printf("# %dx%d: %s in both %s and %s\n", size[0], size[1], set[a].g[i],
							       lc_name[a], lc_name[b]);
							bad = 1;
						}
		}
		ok(!bad, "%s %dx%d: curves, bars, reference lines and the cursor share no character%s",
		   braille ? "braille" : "block", size[0], size[1], braille ? " (but curves and bars, all dots)" : "");
		canvas_free(c);
	}
}

/* ASCII has no dots to tell layers apart, only one character a cell: every layer gets characters
 * of its own. The analytic curve, five `f` overlays, four pins (a curve and numbered points each),
 * measured points with bars, the simulation's bars, the reference lines and the cursor, each
 * layer's characters (by its priority) disjoint from every other layer's and from the markers. */
static void test_ascii_layers_distinct(void)
{
	static const int sizes[][2] = {{40, 12}, {80, 24}, {100, 30}, {200, 60}};
	static const char *const markers = "oxX+*<>1234";
	struct dp_plot s;
	double ex[3] = {-40, 20, 60}, ey[3], elo[3], ehi[3];
	double oy[9][400], px[4][SEED_N], py[4][SEED_N];
	plot_line lines[5];
	plot_layer pins[8];

	for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++) {
		canvas *c = canvas_new(sizes[z][0], sizes[z][1], CANVAS_ASCII);
		plot_data d = dp_plot(&s, 160);
		struct glyph_set set[256] = {{0}};
		int bad = 0;

		for (int i = 0; i < 3; i++) {
			ey[i] = 0.8 + 0.2 * i;
			elo[i] = ey[i] - 0.15;
			ehi[i] = ey[i] + 0.15;
		}
		d.nexp = 3;
		d.ex = ex;
		d.ey = ey;
		d.elo = elo;
		d.ehi = ehi;
		d.cursor_x = 47.5;
		/* Curves fanning out from the analytic one, as the other pairing frequencies do. */
		for (int k = 0; k < 9; k++)
			for (int i = 0; i < d.na; i++)
				oy[k][i] = 1 + (d.ay[i] - 1) * (0.3 + 0.17 * k) + 0.04 * (k - 4);
		for (int k = 0; k < 5; k++)
			lines[k] = (plot_line){d.na, d.ax, oy[k], NULL};
		d.nlines = 5;
		d.lines = lines;
		for (int k = 0; k < 4; k++) {
			for (int i = 0; i < SEED_N; i++) {
				px[k][i] = s.x[i] + 1.5 * k;
				py[k][i] = 1 + (s.y[i] - 1) * (1.2 + 0.1 * k);
			}
			plot_style cs = plot_style_curve(5 + k), ps = plot_style_points(k);
			ps.marker = PM_TEXT;
			ps.marker_text = (char)('1' + k);
			ps.bar_dash = 0;
			pins[2 * k] = (plot_layer){.kind = PL_POINTS, .n = SEED_N, .x = px[k], .y = py[k], .style = ps};
			pins[2 * k + 1] = (plot_layer){.kind = PL_CURVE, .n = d.na, .x = d.ax, .y = oy[5 + k], .style = cs};
		}
		d.nlayers = 8;
		d.layers = pins;
		plot_autoscale(&d, &d.ymin, &d.ymax);
		plot_render(c, &d);
		for (int r = 0; r < canvas_rows(c); r++)
			for (int col = 0; col < canvas_cols(c); col++)
				if (canvas_cell_has_dots(c, col, r) && !canvas_cell_is_text(c, col, r))
					add_glyph(&set[canvas_cell_prio(c, col, r)], canvas_cell(c, col, r, NULL));
		static const int must[] = {PLOT_PRIO_ANALYTIC, PLOT_PRIO_EXP_BAR, PLOT_PRIO_SIM_BAR, PLOT_PRIO_REF,
		                           PLOT_PRIO_CURSOR};
		/* At 40x12 the bars are shorter than the half cell that would show them. */
		for (size_t m = 0; m < sizeof must / sizeof must[0]; m++)
			if (!set[must[m]].n && (z > 0 || (must[m] != PLOT_PRIO_EXP_BAR && must[m] != PLOT_PRIO_SIM_BAR))) {
				printf("# %dx%d: no cell of the layer of priority %d\n", sizes[z][0], sizes[z][1], must[m]);
				bad = 1;
			}
		int layers = 0;
		for (int a = 0; a < 256; a++) {
			layers += set[a].n > 0;
			for (int i = 0; i < set[a].n; i++)
				if (strchr(markers, set[a].g[i][0])) {
					printf("# %dx%d: '%s' of priority %d is a marker's\n", sizes[z][0], sizes[z][1],
					       set[a].g[i], a);
					bad = 1;
				}
			for (int b = a + 1; b < 256; b++)
				for (int i = 0; i < set[a].n; i++)
					for (int j = 0; j < set[b].n; j++)
						if (!strcmp(set[a].g[i], set[b].g[j])) {
							printf("# %dx%d: '%s' in the layers of priority %d and %d\n", sizes[z][0],
							       sizes[z][1], set[a].g[i], a, b);
							bad = 1;
						}
		}
		ok(!bad && layers >= (z ? 10 : 7), "ascii %dx%d: %d layers (curve, overlays, pins, bars, reference lines, cursor) "
		   "share no character", sizes[z][0], sizes[z][1], layers);
		canvas_free(c);
	}
}

/* Box pens in block mode: a bar with caps reads ┬ │ ┴, a reference line ┈, their crossing ┼; other
 * glyph sets ignore the box. */
static void test_box_pens(void)
{
	canvas_pen bar = {CC_SIM, 20, PLOT_SOLID, '|'};
	canvas_pen ref = {CC_REF, 10, PLOT_SOLID, 0};
	canvas_pen curve = {CC_ANALYTIC, 60, PLOT_SOLID, 0};
	const int solid = CANVAS_BOX_SOLID, dotted = CANVAS_BOX_DOTTED;
	canvas *c = canvas_new(6, 5, CANVAS_BLOCK);
	char want[4][4];

	/* A bar from the top row's lower dot to the fourth row's upper dot, caps a cell wide. */
	canvas_pen_line_box(c, 0.5, 1.5, 0.5, 6.5, &bar, solid);
	canvas_pen_line_box(c, 0.5, 1.5, 1.5, 1.5, &bar, solid);
	canvas_pen_line_box(c, 0.5, 6.5, 1.5, 6.5, &bar, solid);
	ok(!strcmp(canvas_cell(c, 0, 0, NULL), utf8(0x252C, want[0])) &&
	       !strcmp(canvas_cell(c, 0, 1, NULL), utf8(0x2502, want[1])) &&
	       !strcmp(canvas_cell(c, 0, 2, NULL), utf8(0x2502, want[2])) &&
	       !strcmp(canvas_cell(c, 0, 3, NULL), utf8(0x2534, want[3])),
	   "block: a bar with caps is drawn ┬ │ │ ┴");
	canvas_pen_line_box(c, 2.5, 4.5, 11.5, 4.5, &ref, dotted);
	canvas_pen_line_box(c, 6.5, 0.5, 6.5, 9.5, &ref, dotted);
	ok(!strcmp(canvas_cell(c, 2, 2, NULL), utf8(0x2508, want[0])) &&
	       !strcmp(canvas_cell(c, 3, 0, NULL), utf8(0x250A, want[1])) &&
	       !strcmp(canvas_cell(c, 3, 2, NULL), utf8(0x253C, want[2])),
	   "block: reference lines are ┈ and ┊, crossing in ┼");
	canvas_pen_line_f(c, 8.5, 4.5, 11.5, 4.5, &curve);
	ok(!strcmp(canvas_cell(c, 4, 2, NULL), utf8(0x2580, want[0])) && canvas_cell_prio(c, 4, 2) == 60,
	   "block: a curve over a reference line takes its cells as quadrants");
	canvas_free(c);

	c = canvas_new(2, 2, CANVAS_BRAILLE);
	canvas_pen_line_box(c, 0.5, 0.5, 0.5, 7.5, &ref, dotted);
	canvas_pen_line_box(c, 2.5, 0.5, 2.5, 7.5, &curve, CANVAS_BOX_NONE);
	ok(!strcmp(canvas_cell(c, 0, 0, NULL), utf8(0x250A, want[0])) &&
	       !strcmp(canvas_cell(c, 1, 0, NULL), utf8(0x2847, want[1])),
	   "braille: a box pen draws ┊, a plain one dots");
	canvas_free(c);
	c = canvas_new(2, 1, CANVAS_ASCII);
	canvas_pen_line_box(c, 0.5, 0.5, 0.5, 2.5, &bar, solid);
	ok(!strcmp(canvas_cell(c, 0, 0, NULL), "|"), "ascii ignores the box");
	canvas_free(c);
}

/* Pens: a cell belongs to the highest priority drawn into it, whatever the order. */
static void test_pens(void)
{
	canvas *c = canvas_new(4, 1, CANVAS_BRAILLE);
	canvas_pen lo = {CC_REF, 10, 0, 0}, hi = {CC_ANALYTIC, 60, 0, 0};
	int color;

	canvas_pen_dot(c, 0, 0, &hi);
	canvas_pen_dot(c, 1, 3, &lo);
	ok(canvas_dot_at(c, 0, 0) && !canvas_dot_at(c, 1, 3) && canvas_cell_prio(c, 0, 0) == 60,
	   "a lower pen leaves a higher one's cell alone");
	canvas_pen_dot(c, 2, 3, &lo);
	canvas_pen_dot(c, 3, 0, &hi);
	canvas_cell(c, 1, 0, &color);
	ok(!canvas_dot_at(c, 2, 3) && canvas_dot_at(c, 3, 0) && color == CC_ANALYTIC,
	   "a higher pen clears a lower one's cell and takes it");
	canvas_mark(c, 0, 0, CC_SIM, 'o');
	char g;
	ok(canvas_cell_mark(c, 0, 0, &g) == CC_SIM && g == 'o' && canvas_dot_at(c, 0, 0),
	   "a mark keeps the dots under it");
	canvas_pen dash = {CC_OVERLAY, 40, PLOT_DASHED, '~'};
	canvas_clear(c);
	canvas_pen_line_f(c, 0.5, 0.5, 7.5, 0.5, &dash);
	int on = 0;
	for (int x = 0; x < 8; x++)
		on += canvas_dot_at(c, x, 0);
	ok(on == 6, "a dashed pen draws 6 of 8 dots");
	canvas_free(c);
}

int main(void)
{
	test_pens();
	test_coverage();
	test_labels();
	test_marker_growth();
	test_glyph_sets();
	test_layers_distinct();
	test_ascii_layers_distinct();
	test_box_pens();
	test_new();
	test_braille_bits();
	test_ascii_glyphs();
	test_lines();
	test_wild_lines();
	test_text();
	test_ticks();
	test_format();
	test_layout();
	test_reference_lines();
	test_points();
	test_offscale_and_nan();
	test_autoscale();
	test_xrange();
	test_print();
	test_cursor();
	test_fuzz();
	return tap_done();
}
