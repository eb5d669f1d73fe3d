/* One frame: everything is painted into stdscr after werase, and curses sends only the cells that
 * changed (never clear(): over a slow link a full repaint per frame is what makes it stutter). */
#include "ui.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analytic.h"
#include "plot.h"

/* The seed's figure: y from 0.3 to 1.7. */
#define SEED_YMIN 0.3
#define SEED_YMAX 1.7

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

static void draw_title(ui *u)
{
	const sliders_rect *r = &u->lay.title;
	const param_info *pi = &params_table[sliders_order[u->selected]];
	char lo[32], hi[32], line[512];
	params_format_exact(pi->min, lo, sizeof lo);
	params_format_exact(pi->max, hi, sizeof hi);
	snprintf(line, sizeof line, " calcium-stdp | %s: %s (%s to %s%s%s)", pi->name, pi->help, lo, hi,
	         pi->unit[0] ? " " : "", pi->unit);
	attr_t a = screen_attr(u, UR_TITLE);
	attrset(a);
	mvhline(r->y, r->x, ' ', r->w);
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
	int id = sliders_order[index], y = l->panel.y + 1 + row;
	const param_info *pi = &params_table[id];
	int sel = index == u->selected && u->mode != UI_PRESETS;
	attr_t ra = sel ? screen_attr(u, UR_SELECTED) : A_NORMAL;
	char val[32];

	if (sel) {
		attrset(ra);
		mvhline(y, l->panel.x + 1, ' ', l->panel.w - 2);
	}
	put_text(y, l->panel.x + 1, 1, sel ? ">" : " ", ra | A_BOLD);
	put_text(y, l->label_x, 8, pi->label, ra);
	if (u->params.v[id] != u->reference.v[id])
		put_text(y, l->label_x + 8, 1, "*", ra | screen_attr(u, UR_CHANGED));
	sliders_format_value(id, u->params.v[id], val, sizeof val, l->value_w);
	int vw = (int)strlen(val);
	put_text(y, l->value_x + (l->value_w - vw), vw, val, ra);
	put_text(y, l->unit_x, 2, pi->unit, ra);
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
	int id = sliders_order[u->selected], line = 0;
	const param_info *pi = &params_table[id];
	char a[32], b[32], c[32], d[32], buf[512];
	line = put_wrapped(r, line, pi->name, screen_attr(u, UR_KEY));
	line = put_wrapped(r, line, pi->help, A_NORMAL);
	params_format_exact(pi->min, a, sizeof a);
	params_format_exact(pi->max, b, sizeof b);
	params_format_exact(pi->step, c, sizeof c);
	params_format_exact(pi->coarse, d, sizeof d);
	snprintf(buf, sizeof buf, "range %s to %s%s%s; steps %s (fine), %s (coarse)", a, b,
	         pi->unit[0] ? " " : "", pi->unit, c, d);
	line = put_wrapped(r, line, buf, A_NORMAL);
	params_format_exact(u->reference.v[id], a, sizeof a);
	params_format_exact(u->params.v[id], b, sizeof b);
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
	put_wrapped(r, line, buf, changed ? screen_attr(u, UR_CHANGED) : A_NORMAL);
}

static void draw_panel(ui *u)
{
	const sliders_layout *l = &u->lay;
	draw_box(u, l->panel, u->coarse ? "parameters: coarse step" : "parameters: fine step");
	for (int row = 0; row < l->rows_visible && u->first + row < sliders_count; row++)
		draw_slider(u, row, u->first + row);
	/* Tell that rows are hidden above or below. */
	if (u->first > 0)
		put_text(l->panel.y, l->panel.x + l->panel.w - 5, 3, "^^^", screen_attr(u, CC_AXIS));
	if (u->first + l->rows_visible < sliders_count)
		put_text(l->panel.y + l->panel.h - 1, l->panel.x + l->panel.w - 5, 3, "vvv",
		         screen_attr(u, CC_AXIS));
	draw_info(u);
}

/* The analytic curve at about one sample per dot column of the plot area. */
static void sample_analytic(ui *u, const plot_data *d)
{
	plot_layout pl;
	plot_layout_for(d, u->lay.canvas.w, u->lay.canvas.h, &pl);
	int n = pl.width * canvas_dot_width(u->cv) + 1;
	if (n < 2)
		n = 2;
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
		analytic_at(&u->params, u->ax[i], &pt);
		u->ay[i] = pt.change;
	}
	u->na = n;
	u->analytic_stale = 0;
}

static void build_plot_data(ui *u, plot_data *d)
{
	memset(d, 0, sizeof *d);
	d->n = u->points;
	d->x = u->px;
	d->y = u->py;
	d->lo = u->plo;
	d->hi = u->phi;
	d->xlabel = params_x_label(&u->params);
	d->show_analytic = u->show_analytic;
	d->cursor_col = -1;
	/* Short legend texts on a narrow plot, so that both entries fit. */
	int narrow = u->lay.canvas.w < 62;
	d->sim_label = narrow ? "simulation, 95% CI" : "simulation, 95% interval";
	d->analytic_label = narrow ? "analytic (OU)" : "analytic (OU approximation)";
	plot_xrange_for(u->px, u->points, &d->xmin, &d->xmax);
	d->na = u->na;
	d->ax = u->ax;
	d->ay = u->ay;
	if (u->analytic_stale && u->cv)
		sample_analytic(u, d);
	d->na = u->na;
	d->ax = u->ax;
	d->ay = u->ay;
	if (u->autoscale) {
		plot_autoscale(d, &d->ymin, &d->ymax);
	} else {
		d->ymin = SEED_YMIN;
		d->ymax = SEED_YMAX;
	}
}

static void draw_plot(ui *u)
{
	const sliders_layout *l = &u->lay;
	draw_box(u, l->plot,
	         l->plot.w >= 50 ? "change in synaptic strength (after/before)" : "change (after/before)");
	if (!u->cv)
		return;
	plot_data d;
	build_plot_data(u, &d);
	plot_render(u->cv, &d);
	for (int r = 0; r < l->canvas.h; r++) {
		move(l->canvas.y + r, l->canvas.x);
		for (int c = 0; c < l->canvas.w; c++) {
			int color;
			const char *s = canvas_cell(u->cv, c, r, &color);
			attrset(screen_attr(u, color));
			addstr(s);
		}
	}
	attrset(A_NORMAL);
	if (u->autoscale)
		put_text(l->plot.y, l->plot.x + l->plot.w - 13, 11, " autoscale ", screen_attr(u, CC_LABEL));
}

/* 3.2 M, 850 k: steps per second at a glance. */
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
	if (u->mode == UI_PROMPT) {
		draw_prompt(u);
		return;
	}
	if (u->msg[0]) {
		put_text(r->y, r->x + 1, r->w - 1, u->msg, screen_attr(u, u->msg_error ? UR_ERROR : UR_INFO));
		return;
	}
	char rate[32], left[128], right[160];
	format_rate(u->steps_per_s, rate, sizeof rate);
	uint64_t per = u->points > 0 ? u->reps_done / (uint64_t)u->points : 0;
	double frac = u->reps_total ? (double)u->reps_done / (double)u->reps_total : 0;
	const char *state = u->paused ? "paused" : u->complete ? "done" : "running";
	snprintf(left, sizeof left, " %s%s | reps %llu/%llu ", u->preset, any_changed(u) ? "*" : "",
	         (unsigned long long)per, (unsigned long long)u->reps_requested);
	snprintf(right, sizeof right, " %3.0f%% | %s steps/s | seed %llu | %s", 100 * frac, rate,
	         (unsigned long long)u->seed, state);
	int lw = (int)strlen(left), rw = (int)strlen(right);
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
	put_text(r->y, x, r->x + r->w - x, right, A_NORMAL);
	/* The state stands out when it is not plain running. */
	if (u->paused || u->complete)
		put_text(r->y, x + rw - (int)strlen(state), (int)strlen(state), state,
		         u->paused ? A_BOLD | A_REVERSE : A_BOLD);
}

static void draw_too_small(void)
{
	char l1[64], l2[64];
	const char *l3 = "Enlarge the window, or press q to quit.";
	snprintf(l1, sizeof l1, "Terminal too small: %dx%d.", COLS, LINES);
	snprintf(l2, sizeof l2, "calcium-stdp needs at least %dx%d.", SLIDERS_MIN_COLS, SLIDERS_MIN_ROWS);
	const char *lines[] = {l1, l2, l3};
	int y0 = LINES / 2 - 1;
	for (int i = 0; i < 3; i++) {
		int w = (int)strlen(lines[i]);
		int x = COLS > w ? (COLS - w) / 2 : 0;
		if (y0 + i >= 0 && y0 + i < LINES)
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
	draw_box(u, r, "presets: Up/Down choose, Enter load, Esc cancel");
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
		draw_too_small();
	} else {
		draw_title(u);
		draw_panel(u);
		draw_plot(u);
		help_draw_hints(u, u->lay.hints.y, u->lay.hints.w);
		if (u->mode == UI_HELP)
			help_draw(u);
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
