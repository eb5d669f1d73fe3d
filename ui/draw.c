/* One frame: everything is painted into stdscr after werase, and curses sends only the cells that
 * changed (never clear(): over a slow link a full repaint per frame is what makes it stutter). */
#include "ui.h"

#include "textplot.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analytic.h"
#include "plot.h"

/* The seed's figure: y from 0.3 to 1.7. */
#define SEED_YMIN 0.3
#define SEED_YMAX 1.7
/* Analytic samples for Poisson trains: each is a Monte Carlo run of about a millisecond. */
#define POISSON_SAMPLES 61

/* Box drawing and bar glyphs, UTF-8 or ASCII. */
typedef struct glyphs {
	const char *h, *v, *tl, *tr, *bl, *br; /* box */
	const char *fill, *knob, *rest;        /* slider bar */
} glyphs;

static const glyphs utf8_glyphs = {"─", "│", "┌", "┐", "└", "┘", "━", "●", "─"};
static const glyphs ascii_glyphs = {"-", "|", "+", "+", "+", "+", "=", "o", "-"};

static const glyphs *glyphs_of(const ui *u)
{
	return u->utf8 ? &utf8_glyphs : &ascii_glyphs;
}

/* Text at (x, y), cut to width columns (ASCII or width-1 UTF-8 characters). */
static void put_text(int y, int x, int width, const char *s, attr_t a)
{
	if (width <= 0)
		return;
	attrset(a);
	int cols = 0;
	const char *p = s;
	while (*p && cols < width) {
		p++;
		while ((*p & 0xC0) == 0x80)
			p++;
		cols++;
	}
	mvaddnstr(y, x, s, (int)(p - s));
	attrset(A_NORMAL);
}

static void draw_box(const ui *u, sliders_rect r, const char *title)
{
	const glyphs *g = glyphs_of(u);
	attr_t a = screen_attr(u, CC_AXIS);
	attrset(a);
	for (int x = r.x + 1; x < r.x + r.w - 1; x++) {
		mvaddstr(r.y, x, g->h);
		mvaddstr(r.y + r.h - 1, x, g->h);
	}
	for (int y = r.y + 1; y < r.y + r.h - 1; y++) {
		mvaddstr(y, r.x, g->v);
		mvaddstr(y, r.x + r.w - 1, g->v);
	}
	mvaddstr(r.y, r.x, g->tl);
	mvaddstr(r.y, r.x + r.w - 1, g->tr);
	mvaddstr(r.y + r.h - 1, r.x, g->bl);
	mvaddstr(r.y + r.h - 1, r.x + r.w - 1, g->br);
	if (title) {
		char t[256];
		snprintf(t, sizeof t, " %s ", title);
		put_text(r.y, r.x + 2, r.w - 4, t, screen_attr(u, CC_LABEL) | A_BOLD);
	}
	attrset(A_NORMAL);
}

static int any_changed(const ui *u)
{
	for (int i = 0; i < sliders_count; i++)
		if (u->params.v[sliders_order[i]] != u->reference.v[sliders_order[i]])
			return 1;
	return 0;
}

/* A protocol in a few words: "60 pairs at 1 Hz", "75 pairs at dt = +10 ms". */
static void describe_protocol(const param_set *p, char *buf, size_t len)
{
	char a[32], b[32], c[32];
	params_format_exact(p->v[P_PAIRS], a, sizeof a);
	switch ((int)p->v[P_PROTOCOL]) {
	case PROTO_FREQUENCY:
		params_format_exact(p->v[P_FIXED_DT_MS], b, sizeof b);
		snprintf(buf, len, "%s pairs at dt = %s%s ms", a, p->v[P_FIXED_DT_MS] > 0 ? "+" : "", b);
		break;
	case PROTO_BURST:
		params_format_exact(p->v[P_BURST_SPIKES], b, sizeof b);
		params_format_exact(p->v[P_FREQ_HZ], c, sizeof c);
		snprintf(buf, len, "%s x 1 pre + %s post spikes at %s Hz", a, b, c);
		break;
	case PROTO_POISSON:
		params_format_exact(p->v[P_RATE_PRE_HZ], b, sizeof b);
		params_format_exact(p->v[P_DURATION_S], c, sizeof c);
		snprintf(buf, len, "Poisson trains, pre %s Hz, %s s", b, c);
		break;
	default:
		params_format_exact(p->v[P_FREQ_HZ], b, sizeof b);
		snprintf(buf, len, "%s pairs at %s Hz", a, b);
		break;
	}
}

/* The selected parameter's range as the title and the help text say it. */
static void range_words(const param_info *pi, char *buf, size_t len)
{
	char lo[32], hi[32];
	if (pi->names) {
		size_t n = (size_t)snprintf(buf, len, "one of");
		for (int k = 0; pi->names[k] && n < len; k++)
			n += (size_t)snprintf(buf + n, len - n, "%s %s", k ? "," : "", pi->names[k]);
		return;
	}
	params_format_exact(pi->min, lo, sizeof lo);
	params_format_exact(pi->max, hi, sizeof hi);
	snprintf(buf, len, "%s to %s%s%s", lo, hi, pi->unit[0] ? " " : "", pi->unit);
}

static int selected_id(const ui *u)
{
	return u->nvis > 0 ? u->vis[u->selected] : sliders_order[0];
}

static void draw_title(ui *u)
{
	const sliders_rect *r = &u->lay.title;
	const param_info *pi = &params_table[selected_id(u)];
	char range[128], line[512], proto[160];
	attr_t a = screen_attr(u, UR_TITLE);
	attrset(a);
	mvhline(r->y, r->x, ' ', r->w);
	if (u->present) {
		/* For the room: what is shown, and where the run is; the longest pair of wordings that
		 * fits with two blanks between them, so that nothing runs into anything. */
		char l[4][320], rt[3][96];
		const char *star = any_changed(u) ? "*" : "";
		const char *pname = params_table[P_PROTOCOL].names[(int)u->params.v[P_PROTOCOL]];
		const char *state = u->paused ? "paused" : u->complete ? "done" : "running";
		uint64_t per = u->points > 0 ? u->reps_done / (uint64_t)u->points : 0;
		describe_protocol(&u->params, proto, sizeof proto);
		snprintf(l[0], sizeof l[0], " calcium-stdp  |  %s%s  |  %s: %s", u->preset, star, pname,
		         proto);
		snprintf(l[1], sizeof l[1], " %s%s  |  %s: %s", u->preset, star, pname, proto);
		snprintf(l[2], sizeof l[2], " %s%s | %s", u->preset, star, pname);
		snprintf(l[3], sizeof l[3], " %s%s", u->preset, star);
		snprintf(rt[0], sizeof rt[0], "reps %llu/%llu  seed %llu  %s ", (unsigned long long)per,
		         (unsigned long long)u->reps_requested, (unsigned long long)u->seed, state);
		snprintf(rt[1], sizeof rt[1], "%llu/%llu %s ", (unsigned long long)per,
		         (unsigned long long)u->reps_requested, state);
		snprintf(rt[2], sizeof rt[2], "%s ", state);
		static const int pairs[][2] = {{0, 0}, {0, 1}, {1, 0}, {1, 1}, {2, 1}, {2, 2}, {3, 2}};
		int k = 0;
		for (; k < 6; k++)
			if ((int)(strlen(l[pairs[k][0]]) + strlen(rt[pairs[k][1]])) + 2 <= r->w)
				break;
		const char *left = l[pairs[k][0]], *right = rt[pairs[k][1]];
		int rw = (int)strlen(right);
		put_text(r->y, r->x, r->w - rw - 2, left, a);
		put_text(r->y, r->x + r->w - rw, rw, right, a);
		return;
	}
	range_words(pi, range, sizeof range);
	snprintf(line, sizeof line, " calcium-stdp | %s: %s (%s)", pi->name, pi->help, range);
	put_text(r->y, r->x, r->w - 8, line, a);
	put_text(r->y, r->x + r->w - 7, 7, "? help ", a);
}

static void draw_bar(const ui *u, int y, int id, attr_t row_attr)
{
	const glyphs *g = glyphs_of(u);
	int w = u->lay.bar_w;
	int knob = sliders_knob_cell(sliders_fraction(id, u->params.v[id]), w);
	attrset(row_attr | screen_attr(u, UR_BAR));
	for (int i = 0; i < w; i++) {
		if (i == knob) {
			attrset(row_attr | screen_attr(u, UR_KNOB));
			mvaddstr(y, u->lay.bar_x + i, g->knob);
			attrset(row_attr | screen_attr(u, UR_BAR));
		} else {
			mvaddstr(y, u->lay.bar_x + i, i < knob ? g->fill : g->rest);
		}
	}
	attrset(A_NORMAL);
}

static void draw_slider(ui *u, int row, int index)
{
	const sliders_layout *l = &u->lay;
	int id = u->vis[index], y = l->panel.y + 1 + row;
	const param_info *pi = &params_table[id];
	int sel = index == u->selected && u->mode != UI_PRESETS;
	attr_t ra = sel ? screen_attr(u, UR_SELECTED) : A_NORMAL;
	char val[32];

	if (sel) {
		attrset(ra);
		mvhline(y, l->panel.x + 1, ' ', l->panel.w - 2);
	}
	/* Marked for the fit (t): an f beside the label, which is underlined. */
	put_text(y, l->panel.x + 1, 1, sel ? ">" : u->fit_mark[id] ? "f" : " ", ra | A_BOLD);
	put_text(y, l->label_x, 8, pi->label, ra | (u->fit_mark[id] ? A_UNDERLINE : 0));
	if (u->params.v[id] != u->reference.v[id])
		put_text(y, l->label_x + 8, 1, "*", ra | screen_attr(u, UR_CHANGED));
	if (pi->names) {
		/* A choice shows its name, over the number's and the unit's columns. */
		int w = l->bar_x - 2 - l->value_x;
		sliders_format_value(id, u->params.v[id], val, sizeof val, w);
		put_text(y, l->value_x + 1, w, val, ra | A_BOLD);
	} else {
		/* A changed value keeps a blank between it and its mark. */
		int changed = u->params.v[id] != u->reference.v[id];
		sliders_format_value(id, u->params.v[id], val, sizeof val, l->value_w - changed);
		int vw = (int)strlen(val);
		put_text(y, l->value_x + (l->value_w - vw), vw, val, ra);
		put_text(y, l->unit_x, 2, pi->unit, ra);
	}
	draw_bar(u, y, id, ra);
}

/* Words of s wrapped into the rectangle r, from line *line on; returns the next free line. */
static int put_wrapped(sliders_rect r, int line, const char *s, attr_t a)
{
	while (*s && line < r.h) {
		int n = (int)strlen(s);
		if (n > r.w) {
			n = r.w;
			while (n > 0 && s[n] != ' ')
				n--;
			if (n == 0)
				n = r.w;
		}
		char buf[256];
		snprintf(buf, sizeof buf, "%.*s", n, s);
		put_text(r.y + line++, r.x, r.w, buf, a);
		s += n;
		while (*s == ' ')
			s++;
	}
	return line;
}

/* On tall screens: what the selected parameter is, and what differs from the preset. */
static void draw_info(ui *u)
{
	sliders_rect r = u->lay.info;
	if (r.h <= 0)
		return;
	int id = selected_id(u), line = 0;
	const param_info *pi = &params_table[id];
	char a[32], b[32], c[32], d[32], range[128], buf[512];
	line = put_wrapped(r, line, pi->name, screen_attr(u, UR_KEY));
	line = put_wrapped(r, line, pi->help, A_NORMAL);
	range_words(pi, range, sizeof range);
	params_format_exact(pi->step, c, sizeof c);
	params_format_exact(pi->coarse, d, sizeof d);
	if (pi->names)
		snprintf(buf, sizeof buf, "%s; Left/Right step through them", range);
	else
		snprintf(buf, sizeof buf, "range %s; steps %s (fine), %s (coarse)", range, c, d);
	line = put_wrapped(r, line, buf, A_NORMAL);
	params_format_value(id, u->reference.v[id], a, sizeof a);
	params_format_value(id, u->params.v[id], b, sizeof b);
	snprintf(buf, sizeof buf, "in %s: %s; now %s", u->preset, a, b);
	line = put_wrapped(r, line, buf, A_NORMAL);
	line++;
	int n = snprintf(buf, sizeof buf, "changed from %s:", u->preset);
	int changed = 0;
	for (int i = 0; i < sliders_count && n < (int)sizeof buf - 16; i++) {
		int k = sliders_order[i];
		if (u->params.v[k] != u->reference.v[k]) {
			n += snprintf(buf + n, sizeof buf - (size_t)n, " %s", params_table[k].label);
			changed++;
		}
	}
	if (!changed)
		snprintf(buf, sizeof buf, "every value as in %s", u->preset);
	line = put_wrapped(r, line, buf, changed ? screen_attr(u, UR_CHANGED) : A_NORMAL);
	n = snprintf(buf, sizeof buf, "to fit (F):");
	int marked = 0;
	for (int i = 0; i < sliders_count && n < (int)sizeof buf - 16; i++)
		if (u->fit_mark[sliders_order[i]]) {
			n += snprintf(buf + n, sizeof buf - (size_t)n, " %s",
			              params_table[sliders_order[i]].label);
			marked++;
		}
	if (marked)
		put_wrapped(r, line, buf, A_NORMAL);
}

static void draw_panel(ui *u)
{
	const sliders_layout *l = &u->lay;
	draw_box(u, l->panel, u->coarse ? "parameters: coarse step" : "parameters: fine step");
	for (int row = 0; row < l->rows_visible && u->first + row < u->nvis; row++)
		draw_slider(u, row, u->first + row);
	/* Tell that rows are hidden above or below. */
	if (u->first > 0)
		put_text(l->panel.y, l->panel.x + l->panel.w - 5, 3, "^^^", screen_attr(u, CC_AXIS));
	if (u->first + l->rows_visible < u->nvis)
		put_text(l->panel.y + l->panel.h - 1, l->panel.x + l->panel.w - 5, 3, "vvv",
		         screen_attr(u, CC_AXIS));
	draw_info(u);
}

/* The analytic curve at about one sample per dot column of the plot area; Poisson trains at fewer
 * (each point is a Monte Carlo run), and nothing where x means no protocol (a frequency <= 0). */
static void sample_analytic(ui *u, const plot_data *d)
{
	plot_layout pl;
	plot_layout_for(d, canvas_cols(u->cv), canvas_rows(u->cv), &pl);
	int n = pl.width * canvas_dot_width(u->cv) + 1;
	const param_set *ap = mapview_curve_params(u);
	int proto = (int)ap->v[P_PROTOCOL];
	if (proto == PROTO_POISSON && n > POISSON_SAMPLES)
		n = POISSON_SAMPLES;
	if (n < 2)
		n = 2;
	/* Each Poisson point is a Monte Carlo run: on the threadpool, not in the frame. */
	if (proto == PROTO_POISSON) {
		bg_analytic_curve(u, d->xmin, d->xmax, n);
		return;
	}
	if (n > u->ax_cap) {
		double *x = realloc(u->ax, (size_t)n * sizeof *x);
		if (x)
			u->ax = x;
		double *y = realloc(u->ay, (size_t)n * sizeof *y);
		if (y)
			u->ay = y;
		if (!x || !y) {
			u->na = 0;
			return;
		}
		u->ax_cap = n;
	}
	for (int i = 0; i < n; i++) {
		analytic_point pt;
		u->ax[i] = d->xmin + (d->xmax - d->xmin) * i / (n - 1);
		if (proto != PROTO_PAIRS && proto != PROTO_BURST && !(u->ax[i] > 0)) {
			u->ay[i] = NAN;
			continue;
		}
		analytic_at(ap, u->ax[i], &pt);
		u->ay[i] = pt.change;
	}
	u->na = n;
	u->analytic_stale = 0;
}

/* The longest legend texts that fit in cols (the plot drops entries that do not). */
static void legend_labels(plot_data *d, int cols)
{
	static const char *const sets[][2] = {
	    {"simulation, 95% interval", "analytic (OU approximation)"},
	    {"simulation, 95% CI", "analytic (OU)"},
	    {"simulation", "analytic"},
	    {"sim", "analytic"},
	};
	int k;
	for (k = 0; k < 3; k++) {
		int need = 2 + (int)strlen(sets[k][0]);
		if (d->show_analytic)
			need += 3 + 4 + (int)strlen(sets[k][1]);
		/* The plot starts a legend that is too wide for beside the y labels at column 0. */
		if (need <= cols)
			break;
	}
	d->sim_label = sets[k][0];
	d->analytic_label = sets[k][1];
}

/* Fig. 4B: the analytic curve at other pairing frequencies, each over dt within +-T/2. */
static void sample_overlay(ui *u, const plot_data *d)
{
	static const double freqs[UI_OVERLAY_COUNT] = UI_OVERLAY_FREQS;
	int n = u->cv ? 2 * canvas_cols(u->cv) : 160;
	if (n < 2)
		n = 2;
	if (n != u->fo_n) {
		double *fo = realloc(u->fo, (size_t)UI_OVERLAY_COUNT * 2 * (size_t)n * sizeof *fo);
		if (!fo) {
			u->fo_n = 0;
			return;
		}
		u->fo = fo;
		u->fo_n = n;
	}
	for (int k = 0; k < UI_OVERLAY_COUNT; k++) {
		double *x = u->fo + (size_t)2 * k * n;
		textplot_freq_curve(&u->params, freqs[k], d->xmin, d->xmax, n, x, x + n);
	}
}

static void build_plot_data(ui *u, plot_data *d, int cols)
{
	memset(d, 0, sizeof *d);
	d->n = u->points;
	d->x = u->px;
	d->y = u->py;
	d->lo = u->plo;
	d->hi = u->phi;
	d->xlabel = params_x_label(&u->params);
	d->show_analytic = u->show_analytic;
	legend_labels(d, cols);
	if (u->mode == UI_MAP)
		d->analytic_label = "analytic at the map cursor";
	d->cursor_col = -1;
	if (u->cursor >= 0 && u->cursor < u->points) {
		d->cursor_col = u->cursor;
		d->cursor_x = u->px[u->cursor];
	}
	plot_xrange_for(u->px, u->points, &d->xmin, &d->xmax);
	int overlay = u->freq_overlay && (int)u->params.v[P_PROTOCOL] == PROTO_PAIRS;
	if (u->analytic_stale && u->cv) {
		sample_analytic(u, d);
		overlays_sample(u, d);
		if (overlay)
			sample_overlay(u, d);
	}
	static plot_line lines[UI_OVERLAY_COUNT];
	static char labels[UI_OVERLAY_COUNT][16];
	static const double freqs[UI_OVERLAY_COUNT] = UI_OVERLAY_FREQS;
	if (overlay && u->fo_n > 0) {
		for (int k = 0; k < UI_OVERLAY_COUNT; k++) {
			snprintf(labels[k], sizeof labels[k], "%g Hz", freqs[k]);
			lines[k] = (plot_line){u->fo_n, u->fo + (size_t)2 * k * u->fo_n,
			                       u->fo + (size_t)(2 * k + 1) * u->fo_n, labels[k]};
		}
		d->nlines = UI_OVERLAY_COUNT;
		d->lines = lines;
	}
	d->na = u->na;
	d->ax = u->ax;
	d->ay = u->ay;
	overlays_layers(u, d);
	if (!u->yfixed) {
		plot_autoscale(d, &d->ymin, &d->ymax);
	} else {
		/* The seed's range, opened to the measured points and their bars. */
		d->ymin = SEED_YMIN;
		d->ymax = SEED_YMAX;
		for (int k = 0; k < d->nlayers; k++) {
			const plot_layer *l = &d->layers[k];
			for (int i = 0; l->kind == PL_POINTS && l->lo && i < l->n; i++) {
				if (l->x[i] < d->xmin || l->x[i] > d->xmax || !isfinite(l->lo[i]))
					continue;
				d->ymin = fmin(d->ymin, floor(l->lo[i] * 10) / 10);
				d->ymax = fmax(d->ymax, ceil(l->hi[i] * 10) / 10);
			}
		}
	}
}

/* Cells of c to the screen from (x, y); presenting, everything bold to carry across a room. A
 * marked cell (a point's marker) is drawn in reverse video in the mark's colour, so that the curve
 * through it still shows inside it. */
static void put_canvas(const ui *u, const canvas *c, int x, int y, int rows)
{
	attr_t extra = u->present ? A_BOLD : A_NORMAL;
	for (int r = 0; r < rows && r < canvas_rows(c); r++) {
		move(y + r, x);
		for (int col = 0; col < canvas_cols(c); col++) {
			char g;
			int color, mark = canvas_cell_mark(c, col, r, &g);
			const char *s = canvas_cell(c, col, r, &color);
			int curve = canvas_cell_has_dots(c, col, r) &&
			            canvas_cell_prio(c, col, r) >= PLOT_PRIO_CURVES;
			if (mark >= 0 && !canvas_cell_is_text(c, col, r) &&
			    canvas_get_mode(c) == CANVAS_BLOCK && !curve) {
				/* Reversed quadrants are quadrants again: off the curves a block marker is a
				 * shape of its own. */
				attrset((screen_attr(u, mark) & ~(attr_t)A_DIM) | extra);
				s = g == 'o' ? "\u25CF" : "\u2588";
			} else if (mark >= 0 && !canvas_cell_is_text(c, col, r)) {
				attrset((screen_attr(u, mark) & ~(attr_t)A_DIM) | A_REVERSE | extra);
			} else {
				attrset(screen_attr(u, color) | extra);
			}
			addstr(s);
		}
	}
	attrset(A_NORMAL);
}

canvas_mode draw_glyphs(const ui *u)
{
	/* Braille and blocks need UTF-8 (and a font with them: --ascii and TERM=linux say no). */
	if (!u->utf8)
		return CANVAS_ASCII;
	return u->glyphs ? (canvas_mode)(u->glyphs - 1) : CANVAS_BRAILLE;
}

void draw_cycle_glyphs(ui *u)
{
	canvas_mode m = draw_glyphs(u);
	if (!u->utf8) {
		ui_message(u, 1, "only ascii glyphs here: braille and blocks need a UTF-8 terminal");
		return;
	}
	m = m == CANVAS_BRAILLE ? CANVAS_BLOCK : m == CANVAS_BLOCK ? CANVAS_ASCII : CANVAS_BRAILLE;
	u->glyphs = 1 + (int)m;
	ui_message(u, 0, "glyphs: %s", canvas_mode_name(m));
}

/* The plot's canvas sized w x h (a new size needs the analytic curve sampled again). */
static int plot_canvas(ui *u, int w, int h)
{
	canvas_mode mode = draw_glyphs(u);
	if (u->cv && canvas_cols(u->cv) == w && canvas_rows(u->cv) == h && canvas_get_mode(u->cv) == mode)
		return 0;
	canvas_free(u->cv);
	u->cv = canvas_new(w, h, mode);
	u->analytic_stale = 1;
	return u->cv ? 0 : -1;
}

static void draw_curve(ui *u, sliders_rect r)
{
	if (plot_canvas(u, r.w, r.h) < 0)
		return;
	plot_data d;
	build_plot_data(u, &d, r.w);
	plot_render(u->cv, &d);
	put_canvas(u, u->cv, r.x, r.y, r.h);
	u->cv_rect = r;
	u->shown = d;
	u->shown.x = u->shown.y = u->shown.lo = u->shown.hi = NULL;
	u->shown.ax = u->shown.ay = NULL;
	u->shown.ex = u->shown.ey = u->shown.elo = u->shown.ehi = NULL;
}

int draw_plot_point_at(ui *u, int x, int y)
{
	const sliders_rect *r = &u->cv_rect;
	plot_layout pl;
	if (r->w <= 0 || x < r->x || x >= r->x + r->w || y < r->y || y >= r->y + r->h)
		return -1;
	plot_layout_for(&u->shown, r->w, r->h, &pl);
	int col = x - r->x, row = y - r->y;
	/* The area and the axis under it. */
	if (col < pl.left || col >= pl.left + pl.width || row < pl.top || row > pl.top + pl.height)
		return -1;
	double dx = plot_x_of_col(&u->shown, r->w, r->h, col);
	if (!isfinite(dx) || u->points < 1)
		return -1;
	return views_nearest(&u->params, dx);
}

/* Where the cursor is and what the curve says there, on the plot box's bottom border: the longest
 * wording that fits. */
static void draw_cursor_note(ui *u, const sliders_rect *box)
{
	char where[64], x_only[64], num[32], note[5][256];
	if (u->cursor < 0 || u->cursor >= u->points)
		return;
	double x = u->px[u->cursor];
	int proto = (int)u->params.v[P_PROTOCOL];
	views_format_x(&u->params, x, where, sizeof where);
	params_format_exact(x, num, sizeof num);
	if (proto == PROTO_FREQUENCY)
		snprintf(x_only, sizeof x_only, "%s Hz", num);
	else
		snprintf(x_only, sizeof x_only, "%s", where);
	const batch_row *row = &u->rows[u->cursor];
	double change;
	char an[32] = "...", an2[32] = "...";
	/* Under Poisson trains the analytic value is a Monte Carlo run: computed on the threadpool. */
	if (bg_point_analytic(u, x, &change)) {
		snprintf(an, sizeof an, "%.3f", change);
		snprintf(an2, sizeof an2, "%.2f", change);
	}
	char n[32];
	snprintf(n, sizeof n, "%llu", (unsigned long long)row->reps);
	if (row->reps) {
		snprintf(
		    note[0], sizeof note[0],
		    " < > cursor %s: simulation %.3f (95%% %.3f to %.3f), U %.3f, D %.3f, %s reps; analytic "
		    "%s ",
		    where, row->change, row->change_lo, row->change_hi, row->U, row->D, n, an);
		snprintf(note[1], sizeof note[1],
		         " %s: sim %.3f [%.3f, %.3f] U %.3f D %.3f n %s, analytic %s ", where, row->change,
		         row->change_lo, row->change_hi, row->U, row->D, n, an);
		snprintf(note[2], sizeof note[2], " %s: sim %.2f [%.2f,%.2f] U %.2f D %.2f n %s ", where,
		         row->change, row->change_lo, row->change_hi, row->U, row->D, n);
		snprintf(note[3], sizeof note[3], " %s: sim %.2f [%.2f,%.2f] n %s ", where, row->change,
		         row->change_lo, row->change_hi, n);
		snprintf(note[4], sizeof note[4], " %s: sim %.2f ", x_only, row->change);
	} else {
		snprintf(note[0], sizeof note[0], " < > cursor %s: simulation -, analytic %s ", where, an);
		snprintf(note[1], sizeof note[1], " %s: sim -, analytic %s ", where, an);
		snprintf(note[2], sizeof note[2], " %s: sim -, analytic %s ", x_only, an2);
		snprintf(note[3], sizeof note[3], " %s: sim - ", x_only);
		snprintf(note[4], sizeof note[4], " %s ", x_only);
	}
	for (int i = 0; i < 5; i++)
		if ((int)strlen(note[i]) <= box->w - 4 || i == 4) {
			put_text(box->y + box->h - 1, box->x + 2, box->w - 4, note[i],
			         screen_attr(u, CC_LABEL));
			break;
		}
}

/* A line across the plot box at row y, named by title: between the plot and a view or the map. */
static void draw_divider(ui *u, int y, const char *title)
{
	const sliders_layout *l = &u->lay;
	const char *h = u->utf8 ? "─" : "-";
	attrset(screen_attr(u, CC_AXIS));
	mvaddstr(y, l->plot.x, u->utf8 ? "├" : "+");
	for (int x = l->plot.x + 1; x < l->plot.x + l->plot.w - 1; x++)
		mvaddstr(y, x, h);
	mvaddstr(y, l->plot.x + l->plot.w - 1, u->utf8 ? "┤" : "+");
	char t[VIEWS_LINE_MAX + 4];
	snprintf(t, sizeof t, " %s ", title);
	put_text(y, l->plot.x + 2, l->plot.w - 4, t, screen_attr(u, CC_LABEL) | A_BOLD);
}

/* Words of s wrapped to width columns into lines[max]; returns the count. A word longer than
 * width is cut. */
static int wrap_words(const char *s, int width, char lines[][96], int max)
{
	int n = 0;
	while (*s && n < max && width > 0) {
		while (*s == ' ')
			s++;
		int len = (int)strlen(s), take = len;
		if (len > width) {
			for (take = width; take > 0 && s[take] != ' '; take--)
				;
			if (take == 0)
				take = width;
		}
		if (take > 95)
			take = 95;
		snprintf(lines[n++], 96, "%.*s", take, s);
		s += take;
	}
	return n;
}

/* A view in r; its title goes into *title. 0, or -1 when it does not fit. */
static int draw_view(ui *u, sliders_rect r, char *title, size_t len)
{
	views_out out;
	canvas_mode mode = draw_glyphs(u);
	int rc = bg_view(u, u->view, u->cursor, u->seed, r.w, r.h, mode, &out);
	if (rc == 1) {
		snprintf(title, len, "%s", out.title);
		put_text(r.y, r.x + 1, r.w - 1, "computing on the threadpool; the keys keep working",
		         A_NORMAL);
		return 0;
	}
	if (rc < 0) {
		const char *name = u->view == VIEWS_EFFICACY ? "efficacy view" : "calcium view";
		char msg[128], lines[8][96];
		snprintf(title, len, "%s", out.title[0] ? out.title : name);
		snprintf(msg, sizeof msg, "No room for the %s here: enlarge the window. Esc closes it.",
		         name);
		/* Between words, so that nothing is cut or runs past the box. */
		int n = wrap_words(msg, r.w - 2, lines, r.h < 8 ? r.h : 8);
		for (int i = 0; i < n; i++)
			put_text(r.y + i, r.x + 1, r.w - 2, lines[i], A_BOLD);
		return -1;
	}
	/* The box's border leaves w - 4 columns for the title. */
	snprintf(title, len, "%s", (int)strlen(out.title) + 2 <= r.w - 2 ? out.title : out.brief);
	put_canvas(u, out.chart, r.x, r.y, out.chart_h);
	for (int i = 0; i < out.nlines; i++)
		put_text(r.y + out.chart_h + i, r.x + 1, r.w - 1, out.line[i],
		         u->present ? A_BOLD : A_NORMAL);
	return 0;
}

/* The map under a shorter plot of the map cursor's curve; on a short screen the map alone. */
static void draw_map(ui *u, const char *title)
{
	const sliders_layout *l = &u->lay;
	sliders_rect a = l->canvas;
	char mt[VIEWS_LINE_MAX];
	if (a.h < 18) {
		mapview_draw(u, a, mt, sizeof mt);
		draw_box(u, l->plot, mt);
		return;
	}
	int top = a.h * 2 / 5;
	sliders_rect plot = {a.x, a.y, a.w, top}, map = {a.x, a.y + top + 1, a.w, a.h - top - 1};
	draw_box(u, l->plot, title);
	draw_curve(u, plot);
	mapview_draw(u, map, mt, sizeof mt);
	draw_divider(u, map.y - 1, mt);
}

static void draw_plot(ui *u)
{
	const sliders_layout *l = &u->lay;
	char title[256], proto[160];
	/* Room on the top border beside the title for which y range is on. */
	const char *yrange = u->yfixed ? " y fixed 0.3-1.7 " : " y fitted ";
	int room = l->plot.w - 4 - (int)strlen(yrange) - 2;
	const char *curve =
	    room >= 44 ? "change in synaptic strength (after/before)" : "change (after/before)";
	describe_protocol(&u->params, proto, sizeof proto);
	/* The protocol beside the quantity when both fit (presenting, the title line has it). */
	if (!u->present && (int)(strlen(curve) + strlen(proto)) + 5 <= room)
		snprintf(title, sizeof title, "%s | %s", curve, proto);
	else
		snprintf(title, sizeof title, "%s", curve);
	u->cv_rect = (sliders_rect){0, 0, 0, 0};
	if (u->mode == UI_MAP) {
		draw_map(u, title);
	} else if (u->view == VIEWS_NONE) {
		draw_box(u, l->plot, title);
		draw_curve(u, l->canvas);
	} else {
		sliders_rect top, bottom;
		char vt[VIEWS_LINE_MAX];
		int split = sliders_split(l->canvas, &top, &bottom);
		draw_view(u, bottom, vt, sizeof vt);
		if (split) {
			draw_box(u, l->plot, title);
			draw_curve(u, top);
			draw_divider(u, bottom.y - 1, vt);
		} else {
			draw_box(u, l->plot, vt);
		}
	}
	draw_cursor_note(u, &l->plot);
	/* Which y range is on, at the right of the box's top border when it has room. */
	if (u->cv_rect.w > 0) {
		int yw = (int)strlen(yrange), tw = (int)strlen(title) + 4;
		if (l->plot.w - 2 - yw >= tw + 2)
			put_text(l->plot.y, l->plot.x + l->plot.w - 2 - yw, yw, yrange,
			         screen_attr(u, CC_LABEL));
	}
}

/* 3.2 M, 850 k: a rate at a glance. */
static void format_rate(double r, char *buf, size_t len)
{
	if (!(r > 0))
		snprintf(buf, len, "-");
	else if (r >= 1e9)
		snprintf(buf, len, "%.1f G", r * 1e-9);
	else if (r >= 1e6)
		snprintf(buf, len, "%.1f M", r * 1e-6);
	else if (r >= 1e3)
		snprintf(buf, len, "%.0f k", r * 1e-3);
	else
		snprintf(buf, len, "%.0f", r);
}

static void draw_prompt(ui *u)
{
	const sliders_rect *r = &u->lay.status;
	const ui_prompt *p = &u->prompt;
	int lw = (int)strlen(p->label);
	/* Columns before the cursor, counting UTF-8 characters. */
	int ccol = 0;
	for (int i = 0; i < p->cursor; i++)
		ccol += (p->text[i] & 0xC0) != 0x80;
	int avail = r->w - lw - 2;
	int skip = ccol > avail ? ccol - avail : 0;
	const char *s = p->text;
	for (int k = 0; k < skip; k++) {
		s++;
		while ((*s & 0xC0) == 0x80)
			s++;
	}
	put_text(r->y, r->x, r->w, p->label, screen_attr(u, UR_KEY));
	put_text(r->y, r->x + lw, avail + 1, s, A_NORMAL);
	move(r->y, r->x + lw + ccol - skip);
}

static void draw_status(ui *u)
{
	const sliders_rect *r = &u->lay.status;
	/* Presenting, the line is the hints' until a prompt or a message needs it. */
	if (u->present && (u->mode == UI_PROMPT || u->msg[0])) {
		attrset(A_NORMAL);
		mvhline(r->y, r->x, ' ', r->w);
	}
	if (u->mode == UI_PROMPT) {
		draw_prompt(u);
		return;
	}
	if (u->msg[0]) {
		put_text(r->y, r->x + 1, r->w - 1, u->msg, screen_attr(u, u->msg_error ? UR_ERROR : UR_INFO));
		return;
	}
	if (u->present)
		return;
	char rate[32], left[128], right[3][256], speed[96], brief[64], job[96];
	/* What the run costs: synapses simulated per second (two per repetition: one started DOWN,
	 * one UP), and the time the whole curve takes or has taken. */
	double syn_s = u->elapsed_s > 0 ? 2.0 * (double)u->reps_done / u->elapsed_s : 0;
	format_rate(syn_s, rate, sizeof rate);
	if (!(syn_s > 0)) {
		snprintf(speed, sizeof speed, "- synapses/s");
		snprintf(brief, sizeof brief, "-");
	} else if (u->complete) {
		/* The default curve takes milliseconds: "0.0 s" would say nothing. */
		if (u->elapsed_s < 0.9995)
			snprintf(speed, sizeof speed, "%s synapses/s, curve in %.0f ms", rate,
			         u->elapsed_s * 1e3);
		else
			snprintf(speed, sizeof speed, "%s synapses/s, curve in %.1f s", rate, u->elapsed_s);
		snprintf(brief, sizeof brief, "%s syn/s", rate);
	} else {
		double left_s = ceil((double)(u->reps_total - u->reps_done) * 2.0 / syn_s);
		snprintf(speed, sizeof speed, "%s synapses/s, %.0f s to go", rate, left_s);
		snprintf(brief, sizeof brief, "%.0f s to go", left_s);
	}
	uint64_t per = u->points > 0 ? u->reps_done / (uint64_t)u->points : 0;
	double frac = u->reps_total ? (double)u->reps_done / (double)u->reps_total : 0;
	const char *state = u->paused ? "paused" : u->complete ? "done" : "running";
	snprintf(left, sizeof left, " %s%s | reps %llu/%llu ", u->preset, any_changed(u) ? "*" : "",
	         (unsigned long long)per, (unsigned long long)u->reps_requested);
	/* While a job runs (bg.c), what it computes. */
	job[0] = '\0';
	if (bg_status(u, job + 3, sizeof job - 3))
		memcpy(job, " | ", 3);
	snprintf(right[0], sizeof right[0], " %3.0f%% | %s | seed %llu%s | %s", 100 * frac, speed,
	         (unsigned long long)u->seed, job, state);
	snprintf(right[1], sizeof right[1], " %3.0f%% | %s%s | %s", 100 * frac, brief, job, state);
	snprintf(right[2], sizeof right[2], " %3.0f%% | %s", 100 * frac, state);
	int k = 0;
	while (k < 2 && (int)(strlen(left) + strlen(right[k])) + 7 > r->w)
		k++;
	int lw = (int)strlen(left), rw = (int)strlen(right[k]);

	/* The progress bar takes what is left, up to 30 cells; below 5 it is left out. */
	int bar = r->w - lw - rw - 2;
	if (bar > 30)
		bar = 30;
	put_text(r->y, r->x, lw, left, A_NORMAL);
	int x = r->x + lw;
	if (bar >= 5) {
		int fill = (int)(frac * bar + 0.5);
		put_text(r->y, x, 1, "[", A_NORMAL);
		attrset(screen_attr(u, UR_KNOB));
		for (int i = 0; i < bar; i++)
			mvaddstr(r->y, x + 1 + i, i < fill ? (u->utf8 ? "█" : "#") : (u->utf8 ? "░" : "-"));
		put_text(r->y, x + 1 + bar, 1, "]", A_NORMAL);
		x += bar + 2;
	}
	put_text(r->y, x, r->x + r->w - x, right[k], A_NORMAL);
	/* The state stands out when it is not plain running. */
	if (u->paused || u->complete)
		put_text(r->y, x + rw - (int)strlen(state), (int)strlen(state), state,
		         u->paused ? A_BOLD | A_REVERSE : A_BOLD);
}

/* Presenting: every parameter shown in the panel as "name value unit" on one line, the selected one
 * highlighted; the line scrolls to keep it in view. */
static void draw_values(ui *u)
{
	const sliders_rect *r = &u->lay.values;
	char items[P_COUNT][48];
	int w[P_COUNT], gap = 3;
	for (int i = 0; i < u->nvis; i++) {
		int id = u->vis[i];
		const param_info *pi = &params_table[id];
		char val[32];
		if (pi->names)
			params_format_value(id, u->params.v[id], val, sizeof val);
		else
			sliders_format_value(id, u->params.v[id], val, sizeof val, 9);
		snprintf(items[i], sizeof items[i], "%s%s %s%s%s", pi->label,
		         u->params.v[id] != u->reference.v[id] ? "*" : "", val, pi->unit[0] ? " " : "",
		         pi->unit);
		w[i] = (int)strlen(items[i]);
	}
	/* Two columns kept for the marks that say more is off either end. */
	u->values_first = sliders_values_first(w, u->nvis, gap, u->selected, u->values_first, r->w - 4);
	int x = r->x + 2, last = u->values_first;
	for (int i = u->values_first; i < u->nvis && x + w[i] <= r->x + r->w - 2; i++) {
		attr_t a = i == u->selected ? screen_attr(u, UR_SELECTED) | A_BOLD : A_BOLD;
		put_text(r->y, x, w[i], items[i], a);
		x += w[i] + gap;
		last = i;
	}
	if (u->values_first > 0)
		put_text(r->y, r->x, 1, "<", screen_attr(u, UR_KEY));
	if (last < u->nvis - 1)
		put_text(r->y, r->x + r->w - 1, 1, ">", screen_attr(u, UR_KEY));
}

static void draw_too_small(const ui *u)
{
	char msg[3][160], lines[12][96];
	snprintf(msg[0], sizeof msg[0], "Terminal too small: %dx%d.", COLS, LINES);
	if (u->present)
		snprintf(msg[1], sizeof msg[1], "Presenting needs at least %dx%d.", SLIDERS_PRESENT_MIN_COLS,
		         SLIDERS_PRESENT_MIN_ROWS);
	else
		snprintf(msg[1], sizeof msg[1], "calcium-stdp needs at least %dx%d, or %dx%d to present (P).",
		         SLIDERS_MIN_COLS, SLIDERS_MIN_ROWS, SLIDERS_PRESENT_MIN_COLS,
		         SLIDERS_PRESENT_MIN_ROWS);
	snprintf(msg[2], sizeof msg[2], "Enlarge the window, or press q to quit.");
	/* Each sentence on lines of its own, broken between words. */
	int n = 0, max = LINES < 12 ? LINES : 12;
	for (int i = 0; i < 3 && n < max; i++)
		n += wrap_words(msg[i], COLS > 60 ? 60 : COLS, lines + n, max - n);
	int y0 = (LINES - n) / 2;
	for (int i = 0; i < n; i++) {
		int w = (int)strlen(lines[i]);
		int x = COLS > w ? (COLS - w) / 2 : 0;
		put_text(y0 + i, x, COLS - x, lines[i], i == 0 ? A_BOLD : A_NORMAL);
	}
}

/* The preset picker over the plot. */
static void draw_presets(ui *u)
{
	int w = COLS - 8 < 76 ? COLS - 8 : 76;
	int vis = LINES - 8 < u->npresets ? LINES - 8 : u->npresets;
	if (vis < 1)
		vis = 1;
	sliders_rect r = {(COLS - w) / 2, (LINES - (vis + 4)) / 2, w, vis + 4};
	for (int y = r.y; y < r.y + r.h; y++)
		mvhline(y, r.x, ' ', r.w);
	const char *t = "presets: Up/Down choose, Enter load, Esc cancel";
	if ((int)strlen(t) + 6 > r.w)
		t = (int)strlen("presets: Enter load, Esc cancel") + 6 <= r.w
		        ? "presets: Enter load, Esc cancel"
		        : "presets";
	draw_box(u, r, t);
	if (u->npresets == 0)
		put_text(r.y + 2, r.x + 2, r.w - 4, "no presets found", A_NORMAL);
	int nw = 4;
	for (int k = 0; k < u->npresets; k++)
		if ((int)strlen(u->presets[k].name) > nw)
			nw = (int)strlen(u->presets[k].name);
	if (nw > 24)
		nw = 24;
	for (int i = 0; i < vis && u->preset_first + i < u->npresets; i++) {
		int k = u->preset_first + i;
		const presets_entry *e = &u->presets[k];
		char line[512];
		snprintf(line, sizeof line, "%c %-*s  %s%s", k == u->preset_sel ? '>' : ' ', nw, e->name,
		         e->user ? "(yours) " : "", e->description);
		attr_t a = k == u->preset_sel ? screen_attr(u, UR_SELECTED) : A_NORMAL;
		if (k == u->preset_sel) {
			attrset(a);
			mvhline(r.y + 2 + i, r.x + 1, ' ', r.w - 2);
		}
		put_text(r.y + 2 + i, r.x + 2, r.w - 4, line, a);
	}
}

void draw_frame(ui *u)
{
	int cursor = 0;
	werase(stdscr);
	if (u->lay.too_small) {
		draw_too_small(u);
	} else {
		draw_title(u);
		if (u->present)
			draw_values(u);
		else
			draw_panel(u);
		draw_plot(u);
		help_draw_hints(u, u->lay.hints.y, u->lay.hints.w);
		if (u->mode == UI_HELP)
			help_draw(u);
		if (u->mode == UI_REPORT)
			overlays_draw_report(u);
		else if (u->mode == UI_PRESETS)
			draw_presets(u);
		draw_status(u); /* last: a prompt leaves the cursor in it */
		cursor = u->mode == UI_PROMPT;
	}
	/* Only on a change: curs_set writes to the terminal every time it switches. */
	curs_set(cursor);
	wnoutrefresh(stdscr);
	doupdate();
}
