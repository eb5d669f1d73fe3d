/* The plot composer: turns plot_data into a canvas. Everything about where things go is worked out
 * once in a frame, shared by layout queries and drawing, so that the two never disagree. */
#include "plot.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TICKS   32
#define LABEL_LEN   32
#define MIN_HEIGHT  4   /* plot rows below which labels and legend give way */
#define RIGHT_ROOM  2   /* columns right of the area for the last x label to overhang */
#define X_LABEL_GAP 2   /* blanks required between x tick labels */
#define COORD_LIMIT 1e9 /* mapped coordinates are clamped here: far off-canvas, still exact enough */

/* Seed figure defaults (Graupner & Brunel 2012, Fig. 2C: 41 points, dt -100..100 ms step 5). */
#define SEED_XMIN     (-102.5)
#define SEED_XMAX     102.5
#define SEED_YMIN     0.3
#define SEED_YMAX     1.7
#define SEED_HALFSTEP 2.5

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
};

static int has_text(const char *s)
{
	return s && *s;
}

static int legend_items(const plot_data *d)
{
	return (d->n > 0) + (d->show_analytic && d->na > 0) + (d->nexp > 0);
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
static void frame_rows(const plot_data *d, int rows, struct frame *f)
{
	int title = has_text(d->ylabel), xlabel = has_text(d->xlabel);
	int legend = !d->hide_legend && legend_items(d) > 0;
	int r;

	if (rows - (2 + title + xlabel + legend) < MIN_HEIGHT)
		legend = 0;
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
 * the plot is very tall: more is clutter. */
static void frame_yticks(struct frame *f)
{
	int max = f->a.height / 2 + 1, i;

	if (max > 10)
		max = f->a.height / 6 > 10 ? f->a.height / 6 : 10;
	for (f->nyt = 0; max >= 1; max--) {
		int prev = -1000, good = 1;

		f->nyt = ticks_nice(f->ymin, f->ymax, max, f->yt, MAX_TICKS, &f->ystep);
		if (f->nyt > MAX_TICKS)
			f->nyt = 0;
		for (i = f->nyt - 1; i >= 0; i--) {
			int r = row_of(f, f->yt[i]);
			if (r - prev < 2)
				good = 0;
			prev = r;
		}
		if (good)
			break;
	}
	if (max < 1)
		f->nyt = 0;
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
	frame_rows(d, rows, f);
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

/* Dashed lines through x = 0 and y = 1, so that depression and potentiation read at a glance; drawn
 * last and only into cells without data, so that they never blur a point or the curve. In ASCII
 * the horizontal one sits on the middle sub-row of its row (a row of '-' rather than of '.' or
 * '\''); the vertical one shows as ':'. */
static void draw_reference(canvas *c, const struct frame *f)
{
	int dw = canvas_dot_width(c), dh = canvas_dot_height(c);
	int x0 = f->a.left * dw, y0 = f->a.top * dh;
	int x1 = x0 + f->a.width * dw, y1 = y0 + f->a.height * dh;
	int ascii = canvas_get_mode(c) == CANVAS_ASCII;
	int x, y;

	if (f->xmin <= 0 && 0 <= f->xmax) {
		int px = index_of(map_x(f, dw, 0));
		for (y = y0; y < y1; y++)
			if (ascii ? (y - y0) % 3 != 1 : (y - y0) % 4 < 2)
				canvas_dot_behind(c, px, y, CC_REF);
	}
	if (f->ymin <= 1 && 1 <= f->ymax) {
		int py = index_of(map_y(f, dh, 1));
		if (py >= y1)
			py = y1 - 1;
		if (ascii)
			py = py / 3 * 3 + 1;
		for (x = x0; x < x1; x++)
			if (ascii ? (x - x0) % 2 == 0 : (x - x0) % 4 < 2)
				canvas_dot_behind(c, x, py, CC_REF);
	}
}

/* A cursor: a '^' on the axis under data x and a sparse dotted line up the empty part of the area. */
static void draw_cursor(canvas *c, const plot_data *d, const struct frame *f)
{
	int dw = canvas_dot_width(c), dh = canvas_dot_height(c), px, y;

	if (d->cursor_col < 0 || !(d->cursor_x >= f->xmin && d->cursor_x <= f->xmax))
		return;
	px = index_of(map_x(f, dw, d->cursor_x));
	if (d->cursor_x == f->xmax)
		px = (f->a.left + f->a.width) * dw - 1;
	for (y = f->a.top * dh + dh - 1; y < (f->a.top + f->a.height) * dh; y += dh)
		canvas_dot_behind(c, px, y, CC_AXIS);
	canvas_text(c, px / dw, f->axis_row, "^", CC_LABEL);
}

/* A connected line through n samples; NaN breaks it. */
static void draw_curve(canvas *c, const struct frame *f, int n, const double *cx, const double *cy)
{
	int dw = canvas_dot_width(c), dh = canvas_dot_height(c), i, prev = 0;
	double px = 0, py = 0;

	for (i = 0; i < n; i++) {
		double x = map_x(f, dw, cx[i]), y = map_y(f, dh, cy[i]);

		if (isnan(x) || isnan(y)) {
			prev = 0;
			continue;
		}
		if (prev)
			canvas_line_f(c, px, py, x, y, CC_ANALYTIC);
		else
			canvas_line_f(c, x, y, x, y, CC_ANALYTIC);
		px = x;
		py = y;
		prev = 1;
	}
}

static void draw_analytic(canvas *c, const plot_data *d, const struct frame *f)
{
	if (d->show_analytic && d->ax && d->ay)
		draw_curve(c, f, d->na, d->ax, d->ay);
}

/* The extra curves, each named just right of its last point (left of it when that would leave the
 * plot area); a label never covers another label. */
static void draw_lines(canvas *c, const plot_data *d, const struct frame *f)
{
	for (int k = 0; k < d->nlines; k++) {
		const plot_line *l = &d->lines[k];
		if (!l->x || !l->y || l->n < 1)
			continue;
		draw_curve(c, f, l->n, l->x, l->y);
		int last = l->n - 1;
		while (last >= 0 && (isnan(l->x[last]) || isnan(l->y[last])))
			last--;
		if (last < 0 || !has_text(l->label))
			continue;
		int col = col_of(f, l->x[last]), row = row_of(f, l->y[last]);
		int len = (int)strlen(l->label);
		/* Right of the end, left of it, then a row above or below. */
		const int tries[][2] = {
		    {col + 1, row}, {col - len, row}, {col + 1, row - 1}, {col + 1, row + 1}};
		for (int t = 0; t < 4; t++) {
			int start = tries[t][0], r = tries[t][1];
			if (start < f->a.left || start + len > f->a.left + f->a.width || r < f->a.top ||
			    r >= f->a.top + f->a.height)
				continue;
			int free_cells = 1;
			for (int j = 0; j < len; j++)
				free_cells &= !canvas_cell_is_text(c, start + j, r);
			if (free_cells) {
				canvas_text(c, start, r, l->label, CC_LABEL);
				break;
			}
		}
	}
}

/* A vertical bar from lo to hi at data x; NaN ends mean no bar. */
static void draw_bar(canvas *c, const struct frame *f, double x, double lo, double hi, int color)
{
	int dw = canvas_dot_width(c), dh = canvas_dot_height(c);
	double px = map_x(f, dw, x), ylo = map_y(f, dh, lo), yhi = map_y(f, dh, hi);

	if (isnan(px) || isnan(ylo) || isnan(yhi))
		return;
	px = floor(px) + 0.5;
	canvas_line_f(c, px, yhi, px, ylo, color);
}

/* Points off the top or bottom of the area still say where they are. */
static int draw_offscale(canvas *c, const struct frame *f, int col, double y)
{
	if (y > f->ymax) {
		canvas_text(c, col, f->a.top, "^", CC_SIM);
		return 1;
	}
	if (y < f->ymin) {
		canvas_text(c, col, f->a.top + f->a.height - 1, "v", CC_SIM);
		return 1;
	}
	return 0;
}

/* Braille marker: a 2x2 blob centred on the point, on its one-dot bar. */
static void draw_blob(canvas *c, double fx, double fy)
{
	int bx = index_of(fx - 0.5), by = index_of(fy - 0.5), x, y;

	for (x = bx; x <= bx + 1; x++)
		for (y = by; y <= by + 1; y++)
			canvas_dot(c, x, y, CC_SIM);
}

static void draw_points(canvas *c, const plot_data *d, const struct frame *f)
{
	int dw = canvas_dot_width(c), dh = canvas_dot_height(c), i;
	int braille = canvas_get_mode(c) == CANVAS_BRAILLE;

	if (!d->x || !d->y)
		return;
	for (i = 0; i < d->n; i++) {
		double x = d->x[i], y = d->y[i];

		if (!isfinite(x) || !isfinite(y) || x < f->xmin || x > f->xmax)
			continue;
		if (d->lo && d->hi)
			draw_bar(c, f, x, d->lo[i], d->hi[i], CC_INTERVAL);
	}
	for (i = 0; i < d->n; i++) {
		double x = d->x[i], y = d->y[i];
		int col, row;

		if (!isfinite(x) || !isfinite(y) || x < f->xmin || x > f->xmax)
			continue;
		col = col_of(f, x);
		if (draw_offscale(c, f, col, y))
			continue;
		row = row_of(f, y);
		if (row >= f->a.top + f->a.height)
			row = f->a.top + f->a.height - 1; /* y = ymin itself */
		if (braille)
			draw_blob(c, map_x(f, dw, x), map_y(f, dh, y));
		else
			canvas_text(c, col, row, "o", CC_SIM);
	}
}

static void draw_experiment(canvas *c, const plot_data *d, const struct frame *f)
{
	int i;

	if (!d->ex || !d->ey)
		return;
	for (i = 0; i < d->nexp; i++) {
		double x = d->ex[i], y = d->ey[i];
		int row;

		if (!isfinite(x) || !isfinite(y) || x < f->xmin || x > f->xmax)
			continue;
		if (d->elo && d->ehi)
			draw_bar(c, f, x, d->elo[i], d->ehi[i], CC_EXP);
		if (y > f->ymax || y < f->ymin)
			continue;
		row = row_of(f, y);
		if (row >= f->a.top + f->a.height)
			row = f->a.top + f->a.height - 1;
		canvas_text(c, col_of(f, x), row, "x", CC_EXP);
	}
}

/* A legend entry: a sample drawn with the same primitives as the plot, then its text. */
struct entry {
	int kind;          /* CC_SIM, CC_ANALYTIC or CC_EXP */
	const char *text;  /* the caller's label or the long default */
	const char *brief; /* what is left when the long texts do not fit */
};

static int entry_width(const struct entry *e, int brief)
{
	return (e->kind == CC_ANALYTIC ? 4 : 2) + (int)strlen(brief ? e->brief : e->text);
}

static void draw_entry(canvas *c, int col, int row, const struct entry *e, int brief)
{
	int dw = canvas_dot_width(c), dh = canvas_dot_height(c), x;
	int mid = canvas_get_mode(c) == CANVAS_ASCII ? row * dh + 1 : row * dh + dh / 2;

	if (e->kind == CC_ANALYTIC) {
		for (x = col * dw; x < (col + 3) * dw; x++)
			canvas_dot(c, x, mid, CC_ANALYTIC);
	} else if (e->kind == CC_SIM && canvas_get_mode(c) == CANVAS_BRAILLE) {
		draw_blob(c, col * dw + 1, mid);
	} else {
		canvas_text(c, col, row, e->kind == CC_SIM ? "o" : "x", e->kind);
	}
	canvas_text(c, col + (e->kind == CC_ANALYTIC ? 4 : 2), row, brief ? e->brief : e->text, CC_LABEL);
}

/* Entries three blanks apart from the plot area's left edge; when that is too wide, from column 0,
 * then with brief texts, then without the last entries. */
static void draw_legend(canvas *c, const plot_data *d, const struct frame *f)
{
	struct entry e[3];
	int n = 0, cols = canvas_cols(c), brief, start, i, w;

	if (f->legend_row < 0)
		return;
	if (d->n > 0)
		e[n++] = (struct entry){CC_SIM, d->sim_label ? d->sim_label : "simulation, 95% interval",
		                        d->sim_label ? d->sim_label : "simulation"};
	if (d->show_analytic && d->na > 0)
		e[n++] = (struct entry){CC_ANALYTIC,
		                        d->analytic_label ? d->analytic_label : "analytic (OU approximation)",
		                        d->analytic_label ? d->analytic_label : "analytic"};
	if (d->nexp > 0)
		e[n++] = (struct entry){CC_EXP, d->exp_label ? d->exp_label : "experiment",
		                        d->exp_label ? d->exp_label : "experiment"};
	for (; n > 0; n--) {
		for (brief = 0; brief < 2; brief++) {
			for (w = -3, i = 0; i < n; i++)
				w += entry_width(&e[i], brief) + 3;
			start = f->a.left + w <= cols ? f->a.left : 0;
			if (start + w > cols)
				continue;
			for (i = 0; i < n; i++) {
				draw_entry(c, start, f->legend_row, &e[i], brief);
				start += entry_width(&e[i], brief) + 3;
			}
			return;
		}
	}
}

void plot_render(canvas *c, const plot_data *d)
{
	int dw = canvas_dot_width(c), dh = canvas_dot_height(c);
	struct frame f;

	canvas_clip_reset(c);
	canvas_clear(c);
	frame_for(d, canvas_cols(c), canvas_rows(c), &f);
	if (f.a.width < 1 || f.a.height < 1)
		return;
	draw_labels(c, d, &f);
	draw_axes(c, &f);
	canvas_clip(c, f.a.left * dw, f.a.top * dh, (f.a.left + f.a.width) * dw - 1,
	            (f.a.top + f.a.height) * dh - 1);
	/* Data back to front (dots merge, the last one drawn colours the cell), then the background
	 * into what is left empty. */
	draw_analytic(c, d, &f);
	draw_lines(c, d, &f);
	draw_experiment(c, d, &f);
	draw_points(c, d, &f);
	draw_reference(c, &f);
	draw_cursor(c, d, &f);
	canvas_clip_reset(c);
	draw_legend(c, d, &f);
}

/* Widen [*lo, *hi] to include v when v is finite. */
static void include(double *lo, double *hi, double v)
{
	if (!isfinite(v))
		return;
	if (v < *lo)
		*lo = v;
	if (v > *hi)
		*hi = v;
}

static void include_points(double *lo, double *hi, int n, const double *x, const double *y, const double *ylo,
                           const double *yhi, double xmin, double xmax)
{
	int i;

	if (!x || !y)
		return;
	for (i = 0; i < n; i++) {
		if (!isfinite(y[i]) || !(x[i] >= xmin && x[i] <= xmax))
			continue;
		include(lo, hi, y[i]);
		if (ylo)
			include(lo, hi, ylo[i]);
		if (yhi)
			include(lo, hi, yhi[i]);
	}
}

void plot_autoscale(const plot_data *d, double *ymin, double *ymax)
{
	double lo = 1, hi = 1, xmin = d->xmin, xmax = d->xmax, step, pad, t[MAX_TICKS];
	int i;

	if (!usable(xmin, xmax)) {
		xmin = -INFINITY;
		xmax = INFINITY;
	}
	include_points(&lo, &hi, d->n, d->x, d->y, d->lo, d->hi, xmin, xmax);
	include_points(&lo, &hi, d->nexp, d->ex, d->ey, d->elo, d->ehi, xmin, xmax);
	if (d->show_analytic && d->ax && d->ay)
		for (i = 0; i < d->na; i++)
			if (d->ax[i] >= xmin && d->ax[i] <= xmax)
				include(&lo, &hi, d->ay[i]);
	for (int k = 0; k < d->nlines; k++)
		for (i = 0; i < d->lines[k].n; i++)
			if (d->lines[k].x[i] >= xmin && d->lines[k].x[i] <= xmax)
				include(&lo, &hi, d->lines[k].y[i]);
	if (lo == 1 && hi == 1) {
		*ymin = SEED_YMIN;
		*ymax = SEED_YMAX;
		return;
	}
	pad = 0.05 * (hi - lo);
	lo = fmin(lo - pad, 0.9);
	hi = fmax(hi + pad, 1.1);
	/* Round out on a step of about a tenth of the range: nice ends without wasting much room. Steps
	 * below 1 have whole reciprocals (0.2 -> 5): dividing by those gives exact decimals. */
	if (ticks_nice(lo, hi, 10, t, MAX_TICKS, &step) >= 1 && step > 0) {
		double inv = step < 1 ? round(1 / step) : 0;

		lo = inv ? floor(lo * inv + 1e-9) / inv : floor(lo / step + 1e-9) * step;
		hi = inv ? ceil(hi * inv - 1e-9) / inv : ceil(hi / step - 1e-9) * step;
	}
	if (!usable(lo, hi)) {
		lo = SEED_YMIN;
		hi = SEED_YMAX;
	}
	*ymin = lo;
	*ymax = hi;
}

void plot_xrange_for(const double *x, int n, double *xmin, double *xmax)
{
	double lo = INFINITY, hi = -INFINITY, half;
	int i, m = 0;

	for (i = 0; x && i < n; i++) {
		if (!isfinite(x[i]))
			continue;
		include(&lo, &hi, x[i]);
		m++;
	}
	if (m == 0) {
		*xmin = SEED_XMIN;
		*xmax = SEED_XMAX;
		return;
	}
	half = m > 1 ? (hi - lo) / (m - 1) / 2 : 0;
	if (!(half > 0) || !isfinite(half))
		half = SEED_HALFSTEP;
	if (usable(lo - half, hi + half)) {
		*xmin = lo - half;
		*xmax = hi + half;
	} else {
		*xmin = SEED_XMIN;
		*xmax = SEED_XMAX;
	}
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

int plot_print(FILE *f, const plot_data *d, int cols, int rows, canvas_mode mode)
{
	canvas *c = canvas_new(cols, rows, mode);
	size_t len = (size_t)cols * 4 + 1;
	char *buf;
	int r, rc = 0;

	if (!c)
		return -1;
	buf = malloc(len);
	if (!buf) {
		canvas_free(c);
		return -1;
	}
	plot_render(c, d);
	for (r = 0; r < rows; r++) {
		canvas_row_utf8(c, r, buf, len);
		if (fputs(buf, f) == EOF || fputc('\n', f) == EOF) {
			rc = -1;
			break;
		}
	}
	free(buf);
	canvas_free(c);
	return rc == 0 && !ferror(f) ? 0 : -1;
}
