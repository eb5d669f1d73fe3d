/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The plot composer: turns plot_data into a canvas. Everything about where things go is worked out
 * once in a frame, shared by layout queries and drawing, so that the two never disagree. */
#include "plot.h"

#include "axes.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TICKS   32
#define LABEL_LEN   32
#define MIN_HEIGHT  4   /* plot rows below which labels and legend give way */
#define RIGHT_ROOM  2   /* columns right of the area for the last x label to overhang */
#define X_LABEL_GAP 2   /* blanks required between x tick labels */
#define COORD_LIMIT 1e9 /* mapped coordinates are clamped here: far off-canvas, still exact enough */


struct frame {
	plot_layout a;                                  /* plot area in cells */
	double xmin, xmax, ymin, ymax;                  /* effective ranges (fallbacks applied) */
	int title_row;                                  /* these rows are -1 when left out */
	int axis_row, tick_row, xlabel_row, legend_row; /* the rows under the area */
	int nxt, nyt;                                   /* ticks shown on each axis */
	double xt[MAX_TICKS], yt[MAX_TICKS];            /* their values */
	double xstep, ystep;                            /* their spacing, for formatting */
	int xt_start[MAX_TICKS];                        /* first column of each x tick label */
	int ylabel_w;                                   /* widest y tick label, 0 when there are none */
	int legend_rows, legend_brief, legend_shown;    /* the legend's rows, brief texts, entries shown */
};

static int legend_plan(const plot_data *d, int cols, int maxrows, int *brief, int *shown);

static int has_text(const char *s)
{
	return s && *s;
}

static double clampd(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* The dot (or cell) index holding coordinate v; NaN gives -1, which every clip refuses. */
static int index_of(double v)
{
	if (isnan(v))
		return -1;
	return (int)floor(clampd(v, -COORD_LIMIT, COORD_LIMIT));
}

/* Continuous dot coordinates of data values inside the area (dw, dh: dots per cell). NaN stays
 * NaN; infinities and huge values are pulled in to COORD_LIMIT so lines towards them keep their
 * direction. */
static double map_x(const struct frame *f, int dw, double x)
{
	double t = (x - f->xmin) / (f->xmax - f->xmin);
	if (isnan(t))
		return t;
	return clampd((f->a.left + t * f->a.width) * dw, -COORD_LIMIT, COORD_LIMIT);
}

static double map_y(const struct frame *f, int dh, double y)
{
	double t = (f->ymax - y) / (f->ymax - f->ymin);
	if (isnan(t))
		return t;
	return clampd((f->a.top + t * f->a.height) * dh, -COORD_LIMIT, COORD_LIMIT);
}

/* The column of data x, a value on the right edge counting as inside. */
static int col_of(const struct frame *f, double x)
{
	if (x == f->xmax)
		return f->a.left + f->a.width - 1;
	return index_of(map_x(f, 1, x));
}

/* The row of data y; ymin itself goes on the axis row, where its tick mark is. */
static int row_of(const struct frame *f, double y)
{
	return index_of(map_y(f, 1, y));
}

/* A range that can be mapped: finite ends and a finite, positive span. */
static int usable(double lo, double hi)
{
	return isfinite(lo) && isfinite(hi) && hi > lo && isfinite(hi - lo);
}

static void fallback_ranges(const plot_data *d, struct frame *f)
{
	f->xmin = d->xmin;
	f->xmax = d->xmax;
	if (!usable(f->xmin, f->xmax))
		plot_xrange_for(d->x, d->x ? d->n : 0, &f->xmin, &f->xmax);
	f->ymin = d->ymin;
	f->ymax = d->ymax;
	if (!usable(f->ymin, f->ymax)) {
		plot_data tmp = *d;
		tmp.xmin = f->xmin;
		tmp.xmax = f->xmax;
		plot_autoscale(&tmp, &f->ymin, &f->ymax);
	}
}

/* Rows: give the plot area at least MIN_HEIGHT rows by leaving out the legend, the x label and the
 * title, in that order. */
static void frame_rows(const plot_data *d, int cols, int rows, struct frame *f)
{
	int title = has_text(d->ylabel), xlabel = has_text(d->xlabel);
	int legend = 0, r;

	/* The legend may take more rows while the area keeps two thirds of what is left. */
	if (!d->hide_legend) {
		int spare = rows - (2 + title + xlabel) - MIN_HEIGHT;
		int most = (rows - (2 + title + xlabel)) / 3;
		legend =
		    legend_plan(d, cols, spare < most ? spare : most, &f->legend_brief, &f->legend_shown);
		if (legend == 0)
			legend = legend_plan(d, cols, 1, &f->legend_brief, &f->legend_shown);
	}

	if (rows - (2 + title + xlabel + legend) < MIN_HEIGHT)
		legend = 0;
	f->legend_rows = legend;
	if (rows - (2 + title + xlabel + legend) < MIN_HEIGHT)
		xlabel = 0;
	if (rows - (2 + title + xlabel + legend) < MIN_HEIGHT)
		title = 0;
	f->title_row = title ? 0 : -1;
	f->a.top = title;
	f->a.height = rows - (2 + title + xlabel + legend);
	if (f->a.height < 0)
		f->a.height = 0;
	r = f->a.top + f->a.height;
	f->axis_row = r++;
	f->tick_row = r++;
	f->xlabel_row = xlabel ? r++ : -1;
	f->legend_row = legend ? r : -1;
}

/* y ticks at least two rows apart, so that every label has a row of air, and no more than ten until
 * the plot is very tall: more is clutter. A plot too short for three ticks so spaced gets them on
 * neighbouring rows: an axis needs three labels to be read. */
static int yticks_spaced(struct frame *f, int gap)
{
	int max = f->a.height / gap + 1, i;

	if (max > 10)
		max = f->a.height / 6 > 10 ? f->a.height / 6 : 10;
	for (f->nyt = 0; max >= 1; max--) {
		int prev = -1000, good = 1;

		f->nyt = ticks_nice(f->ymin, f->ymax, max, f->yt, MAX_TICKS, &f->ystep);
		if (f->nyt > MAX_TICKS)
			f->nyt = 0;
		for (i = f->nyt - 1; i >= 0; i--) {
			int r = row_of(f, f->yt[i]);
			if (r - prev < gap)
				good = 0;
			prev = r;
		}
		if (good)
			break;
	}
	if (max < 1)
		f->nyt = 0;
	return f->nyt;
}

/* Short plots: the 1-2-5 ladder can jump from ticks that would share a row straight to two ticks;
 * a step of 2.5 times a power of ten lies between, so those are tried for a third labelled tick. */
static void yticks_quarter(struct frame *f)
{
	double span = f->ymax - f->ymin;
	if (!(span > 0) || !isfinite(span))
		return;
	for (double s = 2.5 * pow(10, floor(log10(span)) - 2); s < span; s *= 10) {
		double first = ceil(f->ymin / s - 1e-9), last = floor(f->ymax / s + 1e-9);
		int n = (int)(last - first) + 1, prev = -1000, good = n >= 3 && n <= MAX_TICKS;
		for (int i = n - 1; good && i >= 0; i--) {
			int r = row_of(f, (first + i) * s);
			good = r - prev >= 1;
			prev = r;
		}
		if (!good)
			continue;
		for (int i = 0; i < n; i++)
			f->yt[i] = (first + i) * s;
		f->nyt = n;
		f->ystep = s;
		return;
	}
}

static void frame_yticks(struct frame *f)
{
	int i;

	if (yticks_spaced(f, 2) < 3 && yticks_spaced(f, 1) < 3)
		yticks_quarter(f);
	f->ylabel_w = 0;
	for (i = 0; i < f->nyt; i++) {
		char buf[LABEL_LEN];
		int w;

		ticks_format(f->yt[i], f->ystep, buf, sizeof(buf));
		w = (int)strlen(buf);
		if (w > f->ylabel_w)
			f->ylabel_w = w;
	}
}

/* Where a label for the tick at column col starts: the digits centred, a minus sign hanging left. */
static int xlabel_start(const char *s, int col, int cols)
{
	int neg = s[0] == '-', digits = (int)strlen(s) - neg;
	int start = col - digits / 2 - neg;

	if (start + (int)strlen(s) > cols)
		start = cols - (int)strlen(s);
	return start < 0 ? 0 : start;
}

/* x ticks as many as fit with X_LABEL_GAP blanks between labels, but no denser than one per
 * 12 columns: more is clutter. */
static void frame_xticks(struct frame *f, int cols)
{
	int max = f->a.width / 12 + 1, i;

	if (max < 2)
		max = 2;
	for (; max >= 1; max--) {
		int end = -1000, good = 1;

		f->nxt = ticks_nice(f->xmin, f->xmax, max, f->xt, MAX_TICKS, &f->xstep);
		if (f->nxt > MAX_TICKS)
			f->nxt = 0;
		for (i = 0; i < f->nxt; i++) {
			char buf[LABEL_LEN];

			ticks_format(f->xt[i], f->xstep, buf, sizeof(buf));
			f->xt_start[i] = xlabel_start(buf, col_of(f, f->xt[i]), cols);
			if (f->xt_start[i] < end + X_LABEL_GAP)
				good = 0;
			end = f->xt_start[i] + (int)strlen(buf);
		}
		if (good)
			return;
	}
	f->nxt = 0;
}

static void frame_for(const plot_data *d, int cols, int rows, struct frame *f)
{
	memset(f, 0, sizeof(*f));
	fallback_ranges(d, f);
	frame_rows(d, cols, rows, f);
	/* Ticks need the height (rows) first, the width needs the y label width. */
	frame_yticks(f);
	f->a.left = f->ylabel_w ? f->ylabel_w + 2 : 1;
	if (cols - f->a.left - RIGHT_ROOM < 8 && f->ylabel_w) {
		/* Too narrow for y labels: keep the area. */
		f->nyt = 0;
		f->ylabel_w = 0;
		f->a.left = 1;
	}
	f->a.width = cols - f->a.left - RIGHT_ROOM;
	if (f->a.width < 1)
		f->a.width = cols - f->a.left;
	if (f->a.width < 0)
		f->a.width = 0;
	if (f->a.width > 0 && f->a.height > 0)
		frame_xticks(f, cols);
	else
		f->nxt = f->nyt = 0;
}

void plot_layout_for(const plot_data *d, int cols, int rows, plot_layout *out)
{
	struct frame f;

	frame_for(d, cols, rows, &f);
	*out = f.a;
}

static void draw_axes(canvas *c, const struct frame *f)
{
	int axis_col = f->a.left - 1, i, r;
	char buf[LABEL_LEN];

	for (r = f->a.top; r < f->a.top + f->a.height; r++)
		canvas_text(c, axis_col, r, "|", CC_AXIS);
	for (i = 0; i < f->a.width; i++)
		canvas_text(c, f->a.left + i, f->axis_row, "-", CC_AXIS);
	canvas_text(c, axis_col, f->axis_row, "+", CC_AXIS);
	for (i = 0; i < f->nyt; i++) {
		r = row_of(f, f->yt[i]);
		canvas_text(c, axis_col, r, "+", CC_AXIS);
		ticks_format(f->yt[i], f->ystep, buf, sizeof(buf));
		canvas_text(c, axis_col - 1 - (int)strlen(buf), r, buf, CC_LABEL);
	}
	for (i = 0; i < f->nxt; i++) {
		/* A tick right beside the corner would read as "++": its label is enough there. */
		if (col_of(f, f->xt[i]) > f->a.left)
			canvas_text(c, col_of(f, f->xt[i]), f->axis_row, "+", CC_AXIS);
		ticks_format(f->xt[i], f->xstep, buf, sizeof(buf));
		canvas_text(c, f->xt_start[i], f->tick_row, buf, CC_LABEL);
	}
}

/* s cut to at most width characters, at a blank when there is one: "change in synaptic strength". */
static void fit_text(const char *s, int width, char *buf, size_t len)
{
	int n = (int)strlen(s), cut;

	if (n > width) {
		for (cut = width; cut > 0 && s[cut] != ' '; cut--)
			;
		n = cut > 0 ? cut : width;
		while (n > 0 && s[n - 1] == ' ')
			n--;
	}
	if (n < 0)
		n = 0;
	if ((size_t)n >= len)
		n = (int)len - 1;
	memcpy(buf, s, (size_t)n);
	buf[n] = '\0';
}

static void draw_labels(canvas *c, const plot_data *d, const struct frame *f)
{
	int cols = canvas_cols(c);
	char buf[256];

	if (f->title_row >= 0) {
		fit_text(d->ylabel, cols, buf, sizeof(buf));
		canvas_text(c, 0, f->title_row, buf, CC_LABEL);
	}
	if (f->xlabel_row >= 0) {
		int len, col;

		fit_text(d->xlabel, cols, buf, sizeof(buf));
		len = (int)strlen(buf);
		col = f->a.left + (f->a.width - len) / 2;
		if (col + len > cols)
			col = cols - len;
		canvas_text(c, col < 0 ? 0 : col, f->xlabel_row, buf, CC_LABEL);
	}
}


#define MAX_LAYERS 48
#define MAX_LABELS 32
#define LEGEND_GAP 3
#define SAMPLE_W   4 /* cells of a curve's legend sample */


static const char marker_glyph[PM_COUNT] = {'o', 'x', '+', '*', '?'};

static char marker_char(const plot_style *st, enum plot_marker m)
{
	return m == PM_TEXT ? (st->marker_text ? st->marker_text : '?') : marker_glyph[m];
}

/* All layers to draw: the built-in ones made from d's fields, then the overlays of d->lines, then
 * d->layers. Returns the count. */
static int collect_layers(const plot_data *d, plot_layer *out)
{
	int n = 0;

	if (d->n > 0 && d->x && d->y)
		out[n++] = (plot_layer){PL_POINTS,
		                        d->n,
		                        d->x,
		                        d->y,
		                        d->lo,
		                        d->hi,
		                        (plot_style){.color = CC_SIM,
		                                     .marker = PM_BLOCK,
		                                     .bar_dash = PLOT_SOLID,
		                                     .bar_dots = PLOT_DOTTED,
		                                     .bar_ascii = '|',
		                                     .prio = PLOT_PRIO_SIM_BAR},
		                        d->sim_label ? d->sim_label : "simulation, 95% interval",
		                        d->sim_label ? d->sim_label : "simulation",
		                        NULL};
	if (d->show_analytic && d->na > 0 && d->ax && d->ay)
		out[n++] = (plot_layer){
		    PL_CURVE,
		    d->na,
		    d->ax,
		    d->ay,
		    NULL,
		    NULL,
		    (plot_style){.color = CC_ANALYTIC, .dash = PLOT_SOLID, .prio = PLOT_PRIO_ANALYTIC, .thick = 1},
		    d->analytic_label ? d->analytic_label : "analytic (OU approximation)",
		    d->analytic_label ? d->analytic_label : "analytic",
		    NULL};
	if (d->nexp > 0 && d->ex && d->ey)
		out[n++] = (plot_layer){PL_POINTS,
		                        d->nexp,
		                        d->ex,
		                        d->ey,
		                        d->elo,
		                        d->ehi,
		                        (plot_style){.color = CC_EXP,
		                                     .marker = PM_CROSS,
		                                     .bar_dash = PLOT_DOTTED,
		                                     .bar_ascii = '!',
		                                     .prio = PLOT_PRIO_EXP_BAR},
		                        d->exp_label ? d->exp_label : "experiment",
		                        d->exp_label ? d->exp_label : "experiment",
		                        NULL};
	for (int k = 0; k < d->nlines && d->lines && n < MAX_LAYERS; k++)
		out[n++] = (plot_layer){
		    PL_CURVE, d->lines[k].n,       d->lines[k].x,     d->lines[k].y,     NULL,
		    NULL,     plot_style_curve(k), d->lines[k].label, d->lines[k].label, d->lines[k].label};
	for (int k = 0; k < d->nlayers && d->layers && n < MAX_LAYERS; k++) {
		out[n] = d->layers[k];
		if (!out[n].style.prio)
			out[n].style.prio =
			    out[n].kind == PL_CURVE
			        ? (PLOT_PRIO_USER - k > PLOT_PRIO_CURVES ? PLOT_PRIO_USER - k : PLOT_PRIO_CURVES)
			        : PLOT_PRIO_EXP_BAR - 1;
		n++;
	}
	return n;
}

static canvas_pen pen_of(const plot_style *s, int prio, unsigned char dash, char ascii)
{
	return (canvas_pen){s->color, prio, dash, ascii};
}

/* Dotted lines through x = 0 and y = 1, so that depression and potentiation read at a glance; the
 * lowest priority but the cursor's, so they never blur data. In braille and blocks they are line
 * characters (┊ ┈), never dots or quadrants as curves and bars are. In ASCII the horizontal one
 * is "_ _ _" on the row of the 1.0 tick (the curve's '-' stays the curve's), the vertical one a ':'
 * every other row (a character no curve, bar or cursor uses). */
static void draw_reference(canvas *c, const struct frame *f)
{
	int dw = canvas_dot_width(c), dh = canvas_dot_height(c);
	int x0 = f->a.left * dw, y0 = f->a.top * dh;
	int x1 = x0 + f->a.width * dw, y1 = y0 + f->a.height * dh;
	int ascii = canvas_get_mode(c) == CANVAS_ASCII;
	int x, y;

	/* Braille and blocks: the light four-dash line characters (┊ ┈), whole lines, so that neither
	 * line is ever dots or a block like the curves' and the bars'. */
	if (!ascii) {
		canvas_pen p = {CC_REF, PLOT_PRIO_REF, PLOT_SOLID, 0};
		if (f->xmin <= 0 && 0 <= f->xmax) {
			double px = index_of(map_x(f, dw, 0)) + 0.5;
			canvas_pen_line_box(c, px, y0 + 0.5, px, y1 - 0.5, &p, CANVAS_BOX_DOTTED);
		}
		if (f->ymin <= 1 && 1 <= f->ymax) {
			int py = index_of(map_y(f, dh, 1));
			if (py >= y1)
				py = y1 - 1;
			canvas_pen_line_box(c, x0 + 0.5, py + 0.5, x1 - 0.5, py + 0.5, &p, CANVAS_BOX_DOTTED);
		}
		return;
	}
	if (f->xmin <= 0 && 0 <= f->xmax) {
		int px = index_of(map_x(f, dw, 0));
		canvas_pen p = {CC_REF, PLOT_PRIO_REF, 0, ascii ? ':' : 0};
		for (y = y0; y < y1; y++)
			if (ascii ? (y - y0) % 3 == 1 && (y - y0) / 3 % 2 == 0 : (y - y0) % 4 < 2)
				canvas_pen_dot(c, px, y, &p);
	}
	if (f->ymin <= 1 && 1 <= f->ymax) {
		int py = index_of(map_y(f, dh, 1));
		canvas_pen p = {CC_REF, PLOT_PRIO_REF, 0, '_'};
		if (py >= y1)
			py = y1 - 1;
		for (x = x0; x < x1; x++)
			if ((x - x0) % 2 == 0)
				canvas_pen_dot(c, x, py, &p);
	}
}

/* A cursor: a '^' on the axis under data x and a dashed line up the area (╎; in ASCII ';' in most
 * rows, a character of its own: the curve's top sub-row is '\''), under everything else. */
static void draw_cursor(canvas *c, const plot_data *d, const struct frame *f)
{
	int dw = canvas_dot_width(c), dh = canvas_dot_height(c), px;
	canvas_pen p = {CC_CURSOR, PLOT_PRIO_CURSOR, PLOT_SPARSE, ';'};
	int box = CANVAS_BOX_NONE;

	if (d->cursor_col < 0 || !(d->cursor_x >= f->xmin && d->cursor_x <= f->xmax))
		return;
	if (canvas_get_mode(c) != CANVAS_ASCII) {
		box = CANVAS_BOX_DASH2;
		p.dash = PLOT_SOLID;
	}
	px = index_of(map_x(f, dw, d->cursor_x));
	if (d->cursor_x == f->xmax)
		px = (f->a.left + f->a.width) * dw - 1;
	canvas_pen_line_box(c, px + 0.5, f->a.top * dh + 0.5, px + 0.5, (f->a.top + f->a.height) * dh - 0.5,
	                    &p, box);
	canvas_text(c, px / dw, f->axis_row, "^", CC_CURSOR);
}

/* A connected line through the layer's samples; NaN breaks it. */
static void draw_curve(canvas *c, const struct frame *f, const plot_layer *l)
{
	int dw = canvas_dot_width(c), dh = canvas_dot_height(c), i, prev = 0;
	double px = 0, py = 0;
	canvas_pen p = pen_of(&l->style, l->style.prio, l->style.dash, l->style.ascii);
	/* The second line of a thick curve, a dot below (above at the area's bottom edge). */
	int thick = l->style.thick && canvas_get_mode(c) == CANVAS_BRAILLE;
	double bottom = (f->a.top + f->a.height) * dh - 1;

	if (!l->x || !l->y)
		return;
	for (i = 0; i < l->n; i++) {
		double x = map_x(f, dw, l->x[i]), y = map_y(f, dh, l->y[i]);

		if (isnan(x) || isnan(y)) {
			prev = 0;
			continue;
		}
		if (prev)
			canvas_pen_line_f(c, px, py, x, y, &p);
		else
			canvas_pen_line_f(c, x, y, x, y, &p);
		if (thick) {
			double o = y + 1 > bottom || py + 1 > bottom ? -1 : 1;
			if (prev)
				canvas_pen_line_f(c, px, py + o, x, y + o, &p);
			else
				canvas_pen_line_f(c, x, y + o, x, y + o, &p);
		}
		px = x;
		py = y;
		prev = 1;
	}
}

/* Whether a label fits at (start, r): inside the area and hiding nothing there (canvas.h). */
static int label_fits(const canvas *c, const struct frame *f, int start, int r, int len, int prio, int strict)
{
	if (start < f->a.left || start + len > f->a.left + f->a.width || r < f->a.top ||
	    r >= f->a.top + f->a.height)
		return 0;
	return canvas_text_free(c, start, r, len, prio, strict);
}

/* A curve's name near its right end: right of it, left of it, then rows further up and down; the
 * first place where it hides nothing, else where it hides only lower layers, else nowhere. */
static int draw_curve_label(canvas *c, const struct frame *f, const plot_layer *l, plot_label_box *box)
{
	int last = l->n - 1;

	if (!has_text(l->label) || !l->x || !l->y)
		return 0;
	while (last >= 0 && (isnan(l->x[last]) || isnan(l->y[last]) || l->x[last] > f->xmax ||
	                     l->y[last] > f->ymax || l->y[last] < f->ymin))
		last--;
	if (last < 0)
		return 0;
	int col = col_of(f, l->x[last]), row = row_of(f, l->y[last]);
	int len = (int)strlen(l->label);
	for (int strict = 1; strict >= 0; strict--)
		for (int dr = 0; dr <= 4; dr++)
			for (int sign = -1; sign <= (dr ? 1 : -1); sign += 2)
				for (int side = 0; side < 2; side++) {
					int r = row + sign * dr, start = side ? col - len : col + 1;
					if (!label_fits(c, f, start, r, len, l->style.prio, strict))
						continue;
					canvas_text(c, start, r, l->label, l->style.color);
					*box = (plot_label_box){r, start, len};
					return 1;
				}
	return 0;
}

/* A vertical bar from lo to hi at data x, with caps a cell wide when it spans two rows or more;
 * NaN ends mean no bar. */
static void draw_bar(canvas *c, const struct frame *f, const plot_layer *l, double x, double lo, double hi)
{
	int dw = canvas_dot_width(c), dh = canvas_dot_height(c);
	double px = map_x(f, dw, x), ylo = map_y(f, dh, lo), yhi = map_y(f, dh, hi);
	int dots = canvas_get_mode(c) == CANVAS_BRAILLE && l->style.bar_dots;
	canvas_pen p = pen_of(&l->style, l->style.prio, dots ? l->style.bar_dots : l->style.bar_dash,
	                      l->style.bar_ascii);
	int box = CANVAS_BOX_NONE;

	if (isnan(px) || isnan(ylo) || isnan(yhi))
		return;
	if (canvas_get_mode(c) == CANVAS_BLOCK) {
		/* Line characters, not quadrants: a bar never looks like a curve. The character's own
		 * dashes show the pattern, so every dot is drawn. */
		box = l->style.bar_dash == PLOT_SOLID ? CANVAS_BOX_SOLID : CANVAS_BOX_DASHED;
		p.dash = PLOT_SOLID;
	}
	if (canvas_get_mode(c) == CANVAS_ASCII) {
		/* A character stands for a whole cell: the bar shows in a cell it covers at least half
		 * of (rounded to cells, as a '|' over one sub-row would show it three times too long). */
		double top = fmin(yhi, ylo), bot = fmax(yhi, ylo);
		double t = ceil(top / dh) * dh, b = floor(bot / dh) * dh;
		if (t - top < dh / 2.0)
			top = t;
		if (bot - b < dh / 2.0)
			bot = b;
		if (bot - top < 1)
			return;
		yhi = top + 0.5;
		ylo = bot - 0.5;
	}
	px = floor(px) + 0.5;
	canvas_pen_line_box(c, px, yhi, px, ylo, &p, box);
	if (dw > 1 && fabs(ylo - yhi) >= 2 * dh) {
		int cx = (int)floor(px) / dw * dw;
		p.dash = PLOT_SOLID;
		canvas_pen_line_box(c, cx + 0.5, yhi, cx + dw - 0.5, yhi, &p, box);
		canvas_pen_line_box(c, cx + 0.5, ylo, cx + dw - 0.5, ylo, &p, box);
	}
}

/* A marker of mw x mh cells centred on cell coordinates (cx, cy), inside the area. */
static void draw_marker(canvas *c, const struct frame *f, const plot_layer *l, double cx, double cy, int mw,
                        int mh)
{
	enum plot_marker m = l->style.marker < PM_COUNT ? l->style.marker : PM_BLOCK;
	int col = index_of(cx), row = index_of(cy);
	int c0 = index_of(cx - mw / 2.0 + 0.5), r0 = index_of(cy - mh / 2.0 + 0.5);
	int right = f->a.left + f->a.width - 1, bottom = f->a.top + f->a.height - 1;

	if (col > right)
		col = right;
	if (row > bottom)
		row = bottom;
	c0 = c0 < f->a.left ? f->a.left : c0 + mw - 1 > right ? right - mw + 1 : c0;
	r0 = r0 < f->a.top ? f->a.top : r0 + mh - 1 > bottom ? bottom - mh + 1 : r0;
	if (m == PM_BLOCK) {
		for (int i = 0; i < mw; i++)
			for (int j = 0; j < mh; j++)
				canvas_mark(c, c0 + i, r0 + j, l->style.color,
				            c0 + i == col && r0 + j == row ? 'o' : ' ');
		return;
	}
	char s[4] = {marker_char(&l->style, m), 0, 0, 0};
	/* A marker that names its layer gives way to a point marked before it (the current
	 * simulation's): it never hides one. */
	if (m == PM_TEXT) {
		if (canvas_cell_mark(c, col, row, NULL) < 0)
			canvas_text(c, col, row, s, l->style.color);
		return;
	}
	if (m == PM_DIAMOND && mw >= 2) {
		s[0] = '<';
		s[1] = '>';
		col = col + 1 > right ? col - 1 : col;
	} else if (mw >= 2 && m != PM_DIAMOND) {
		s[0] = (char)(m == PM_CROSS ? 'X' : '+');
	}
	canvas_text(c, col, row, s, l->style.color);
}

/* Points off the top or bottom of the area still say where they are. */
static int draw_offscale(canvas *c, const struct frame *f, int col, double y, int color)
{
	if (y > f->ymax) {
		canvas_text(c, col, f->a.top, "^", color);
		return 1;
	}
	if (y < f->ymin) {
		canvas_text(c, col, f->a.top + f->a.height - 1, "v", color);
		return 1;
	}
	return 0;
}

/* Columns between neighbouring points, for the marker size. */
static double point_spacing(const struct frame *f, const plot_layer *l)
{
	double lo = INFINITY, hi = -INFINITY;
	int m = 0;
	for (int i = 0; i < l->n; i++)
		if (isfinite(l->x[i]) && l->x[i] >= f->xmin && l->x[i] <= f->xmax) {
			lo = fmin(lo, l->x[i]);
			hi = fmax(hi, l->x[i]);
			m++;
		}
	if (m < 2)
		return f->a.width;
	return (hi - lo) / (f->xmax - f->xmin) * f->a.width / (m - 1);
}

static void draw_bars(canvas *c, const struct frame *f, const plot_layer *l)
{
	if (!l->x || !l->y || !l->lo || !l->hi || !l->style.bar_dash)
		return;
	for (int i = 0; i < l->n; i++)
		if (isfinite(l->x[i]) && isfinite(l->y[i]) && l->x[i] >= f->xmin && l->x[i] <= f->xmax)
			draw_bar(c, f, l, l->x[i], l->lo[i], l->hi[i]);
}

static void draw_markers(canvas *c, const struct frame *f, const plot_layer *l)
{
	int mw, mh;

	if (!l->x || !l->y)
		return;
	plot_marker_size(f->a.width, f->a.height, point_spacing(f, l), &mw, &mh);
	for (int i = 0; i < l->n; i++) {
		double x = l->x[i], y = l->y[i];

		if (!isfinite(x) || !isfinite(y) || x < f->xmin || x > f->xmax)
			continue;
		if (draw_offscale(c, f, col_of(f, x), y, l->style.color))
			continue;
		draw_marker(c, f, l, x == f->xmax ? f->a.left + f->a.width - 0.5 : map_x(f, 1, x),
		            y == f->ymin ? f->a.top + f->a.height - 0.5 : map_y(f, 1, y), mw, mh);
	}
}

/* A legend entry's width: its sample, a blank, its text. */
static int entry_width(const plot_layer *l, int brief)
{
	const char *t = brief && l->brief ? l->brief : l->legend;
	int sample = l->kind == PL_CURVE ? SAMPLE_W : l->style.marker == PM_DIAMOND ? 2 : 1;
	return sample + 1 + (int)strlen(t);
}

/* Legend entries packed into rows of cols columns, LEGEND_GAP apart: the rows needed. */
static int legend_pack(const plot_layer *e, int n, int brief, int cols, int *row_of_entry, int *col_of_entry)
{
	int row = 0, x = 0;
	for (int i = 0; i < n; i++) {
		int w = entry_width(&e[i], brief);
		if (x > 0 && x + LEGEND_GAP + w > cols) {
			row++;
			x = 0;
		} else if (x > 0) {
			x += LEGEND_GAP;
		}
		if (row_of_entry)
			row_of_entry[i] = row;
		if (col_of_entry)
			col_of_entry[i] = x;
		x += w;
	}
	return n > 0 ? row + 1 : 0;
}

/* The layers with legend texts, in layer order. */
static int legend_entries(const plot_data *d, plot_layer *e)
{
	plot_layer all[MAX_LAYERS];
	int n = collect_layers(d, all), m = 0;
	for (int i = 0; i < n; i++)
		if (has_text(all[i].legend))
			e[m++] = all[i];
	return m;
}

/* How many legend rows, and whether brief, for at most maxrows rows; entries beyond are left out
 * (*shown). */
static int legend_plan(const plot_data *d, int cols, int maxrows, int *brief, int *shown)
{
	plot_layer e[MAX_LAYERS];
	int n = legend_entries(d, e);
	*brief = 0;
	*shown = 0;
	if (maxrows < 1 || n == 0)
		return 0;
	for (int m = n; m > 0; m--)
		for (int b = 0; b < 2; b++) {
			int rows = legend_pack(e, m, b, cols, NULL, NULL);
			if (rows <= maxrows) {
				*brief = b;
				*shown = m;
				return rows;
			}
		}
	return 0;
}

/* A legend entry's sample, drawn as its layer draws (mw: the plot's marker width for it). */
static void draw_sample(canvas *c, int col, int row, const plot_layer *l, int mw)
{
	int dw = canvas_dot_width(c), dh = canvas_dot_height(c);
	int mid = canvas_get_mode(c) == CANVAS_ASCII ? row * dh + 1 : row * dh + dh / 2;

	if (l->kind == PL_CURVE) {
		canvas_pen p = pen_of(&l->style, l->style.prio, l->style.dash, l->style.ascii);
		canvas_pen_line_f(c, col * dw + 0.5, mid + 0.5, (col + SAMPLE_W) * dw - 0.5, mid + 0.5, &p);
		if (l->style.thick && canvas_get_mode(c) == CANVAS_BRAILLE)
			canvas_pen_line_f(c, col * dw + 0.5, mid - 0.5, (col + SAMPLE_W) * dw - 0.5, mid - 0.5, &p);
		return;
	}
	enum plot_marker m = l->style.marker < PM_COUNT ? l->style.marker : PM_BLOCK;
	if (m == PM_BLOCK)
		canvas_mark(c, col, row, l->style.color, 'o');
	else
		canvas_text(c, col, row,
		            m == PM_DIAMOND && mw >= 2   ? "<>"
		            : mw >= 2 && m != PM_DIAMOND && m != PM_TEXT ? (m == PM_CROSS ? "X" : "+")
		                                                         : (char[]){marker_char(&l->style, m), 0},
		            l->style.color);
}

static void draw_legend(canvas *c, const plot_data *d, const struct frame *f)
{
	plot_layer e[MAX_LAYERS];
	int rowi[MAX_LAYERS], coli[MAX_LAYERS];

	if (f->legend_row < 0)
		return;
	legend_entries(d, e);
	legend_pack(e, f->legend_shown, f->legend_brief, canvas_cols(c), rowi, coli);
	for (int i = 0; i < f->legend_shown; i++) {
		const plot_layer *l = &e[i];
		int sw = entry_width(l, 0) - 1 - (int)strlen(l->legend), mw = 1, mh;
		if (l->kind == PL_POINTS && l->x)
			plot_marker_size(f->a.width, f->a.height, point_spacing(f, l), &mw, &mh);
		draw_sample(c, coli[i], f->legend_row + rowi[i], l, mw);
		canvas_text(c, coli[i] + sw + 1, f->legend_row + rowi[i],
		            f->legend_brief && l->brief ? l->brief : l->legend, CC_LABEL);
	}
}

int plot_render_labels(canvas *c, const plot_data *d, plot_label_box *boxes, int cap)
{
	int dw = canvas_dot_width(c), dh = canvas_dot_height(c), nl, placed = 0;
	plot_layer l[MAX_LAYERS];
	struct frame f;

	canvas_clip_reset(c);
	canvas_clear(c);
	frame_for(d, canvas_cols(c), canvas_rows(c), &f);
	if (f.a.width < 1 || f.a.height < 1)
		return 0;
	draw_labels(c, d, &f);
	draw_axes(c, &f);
	canvas_clip(c, f.a.left * dw, f.a.top * dh, (f.a.left + f.a.width) * dw - 1,
	            (f.a.top + f.a.height) * dh - 1);
	/* Each cell goes to the layer of the highest priority that draws into it, so the order here
	 * matters only for text: markers, then labels where they hide nothing that matters. */
	nl = collect_layers(d, l);
	for (int i = 0; i < nl; i++) {
		if (l[i].kind == PL_CURVE)
			draw_curve(c, &f, &l[i]);
		else
			draw_bars(c, &f, &l[i]);
	}
	draw_reference(c, &f);
	draw_cursor(c, d, &f);
	for (int i = 0; i < nl; i++)
		if (l[i].kind == PL_POINTS)
			draw_markers(c, &f, &l[i]);
	for (int i = 0; i < nl; i++) {
		plot_label_box box;
		if (l[i].kind == PL_CURVE && draw_curve_label(c, &f, &l[i], &box)) {
			if (boxes && placed < cap)
				boxes[placed] = box;
			placed++;
		}
	}
	canvas_clip_reset(c);
	draw_legend(c, d, &f);
	return placed;
}

void plot_render(canvas *c, const plot_data *d)
{
	plot_render_labels(c, d, NULL, 0);
}


int plot_cell_of(const plot_data *d, int cols, int rows, double x, double y, int *col, int *row)
{
	struct frame f;
	double cx, cy;
	int cc, rr;

	frame_for(d, cols, rows, &f);
	cx = floor(map_x(&f, 1, x));
	cy = floor(map_y(&f, 1, y));
	if (isnan(cx) || isnan(cy)) {
		if (col)
			*col = -1;
		if (row)
			*row = -1;
		return 0;
	}
	cc = x == f.xmax ? f.a.left + f.a.width - 1 : (int)cx;
	rr = y == f.ymin ? f.a.top + f.a.height - 1 : (int)cy;
	if (col)
		*col = cc;
	if (row)
		*row = rr;
	return cc >= f.a.left && cc < f.a.left + f.a.width && rr >= f.a.top && rr < f.a.top + f.a.height;
}

double plot_x_of_col(const plot_data *d, int cols, int rows, int col)
{
	struct frame f;

	frame_for(d, cols, rows, &f);
	if (f.a.width < 1)
		return NAN;
	return f.xmin + (col - f.a.left + 0.5) / f.a.width * (f.xmax - f.xmin);
}
