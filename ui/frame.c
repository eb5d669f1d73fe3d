/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The main screen's lines and panel, drawn from the state alone: the title line, the parameter
 * panel (sliders, and on tall screens what the selected one is), presenting's values line, the
 * status line, the hints line (from the command table) and the too-small message. The plot box is
 * plotbox.c's; views draw themselves (ui.h). */
#include "frame.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "paint.h"

static int selected_id(const ui *u)
{
	return u->nvis > 0 ? u->vis[u->selected] : sliders_order[0];
}

void frame_title(ui *u)
{
	const sliders_rect *r = &u->lay.title;
	const param_info *pi = &params_table[selected_id(u)];
	char range[128], line[512], proto[160];
	attr_t a = ui_attr(u, UR_TITLE);
	attrset(a);
	mvhline(r->y, r->x, ' ', r->w);
	if (u->lay.present) {
		/* For the room: what is shown, and where the run is; the longest pair of wordings that
		 * fits with two blanks between them, so that nothing runs into anything. */
		char l[4][320], rt[3][96];
		const char *star = ui_unsaved(u) ? "*" : "";
		const char *pname = params_table[P_PROTOCOL].names[(int)u->params.v[P_PROTOCOL]];
		const char *state = u->paused ? "paused" : u->complete ? "done" : "running";
		uint64_t per = u->points > 0 ? u->reps_done / (uint64_t)u->points : 0;
		paint_protocol(&u->params, proto, sizeof proto);
		snprintf(l[0], sizeof l[0], " calcium-stdp  |  %s%s  |  %s: %s", u->preset, star, pname,
		         proto);
		snprintf(l[1], sizeof l[1], " %s%s  |  %s: %s", u->preset, star, pname, proto);
		snprintf(l[2], sizeof l[2], " %s%s | %s", u->preset, star, pname);
		snprintf(l[3], sizeof l[3], " %s%s", u->preset, star);
		int weight = (int)u->params.v[P_EFFICACY] == EFFICACY_WEIGHT;
		if (weight && !params_random_protocol(&u->params))
			snprintf(rt[0], sizeof rt[0], "exact %llu/%d points  %s ",
			         (unsigned long long)u->reps_done, u->points, state);
		else
			snprintf(rt[0], sizeof rt[0], "%s %llu/%llu  seed %llu  %s ",
			         weight ? "trials" : "reps", (unsigned long long)per,
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
		paint_text(r->y, r->x, r->w - rw - 2, left, a);
		paint_text(r->y, r->x + r->w - rw, rw, right, a);
		return;
	}
	paint_range(pi, range, sizeof range);
	snprintf(line, sizeof line, " calcium-stdp | %s: %s (%s)", pi->name, pi->help, range);
	paint_text(r->y, r->x, r->w - 8, line, a);
	paint_text(r->y, r->x + r->w - 7, 7, "? help ", a);
}

static void draw_bar(const ui *u, int y, int id, attr_t row_attr)
{
	const paint_glyphs *g = paint_glyphs_for(u->utf8);
	int w = u->lay.bar_w;
	int knob = sliders_knob_cell(sliders_fraction(id, u->params.v[id]), w);
	attrset(row_attr | ui_attr(u, UR_BAR));
	for (int i = 0; i < w; i++) {
		if (i == knob) {
			attrset(row_attr | ui_attr(u, UR_KNOB));
			mvaddstr(y, u->lay.bar_x + i, g->knob);
			attrset(row_attr | ui_attr(u, UR_BAR));
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
	int sel = index == u->selected && !(u->modal && u->modal->hides_selection);
	attr_t ra = sel ? ui_attr(u, UR_SELECTED) : A_NORMAL;
	char val[32];

	if (sel) {
		attrset(ra);
		mvhline(y, l->panel.x + 1, ' ', l->panel.w - 2);
	}
	/* Marked for the fit (t): an f beside the label, which is underlined. */
	paint_text(y, l->panel.x + 1, 1, sel ? ">" : u->fit_mark[id] ? "f" : " ", ra | A_BOLD);
	paint_text(y, l->label_x, 8, pi->label, ra | (u->fit_mark[id] ? A_UNDERLINE : 0));
	if (u->params.v[id] != u->reference.v[id])
		paint_text(y, l->label_x + 8, 1, "*", ra | ui_attr(u, UR_CHANGED));
	if (pi->names) {
		/* A choice shows its name, over the number's and the unit's columns. */
		int w = l->bar_x - 2 - l->value_x;
		sliders_format_value(id, u->params.v[id], val, sizeof val, w);
		paint_text(y, l->value_x + 1, w, val, ra | A_BOLD);
	} else {
		/* A changed value keeps a blank between it and its mark. */
		int changed = u->params.v[id] != u->reference.v[id];
		sliders_format_value(id, u->params.v[id], val, sizeof val, l->value_w - changed);
		int vw = (int)strlen(val);
		paint_text(y, l->value_x + (l->value_w - vw), vw, val, ra);
		paint_text(y, l->unit_x, 2, pi->unit, ra);
	}
	draw_bar(u, y, id, ra);
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
	line = paint_wrapped(r, line, pi->name, ui_attr(u, UR_KEY));
	line = paint_wrapped(r, line, pi->help, A_NORMAL);
	paint_range(pi, range, sizeof range);
	params_format_exact(pi->step, c, sizeof c);
	params_format_exact(pi->coarse, d, sizeof d);
	if (pi->names)
		snprintf(buf, sizeof buf, "%s; Left/Right step through them", range);
	else
		snprintf(buf, sizeof buf, "range %s; steps %s (fine), %s (coarse)", range, c, d);
	line = paint_wrapped(r, line, buf, A_NORMAL);
	params_format_value(id, u->reference.v[id], a, sizeof a);
	params_format_value(id, u->params.v[id], b, sizeof b);
	snprintf(buf, sizeof buf, "in %s: %s; now %s", u->preset, a, b);
	line = paint_wrapped(r, line, buf, A_NORMAL);
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
	line = paint_wrapped(r, line, buf, changed ? ui_attr(u, UR_CHANGED) : A_NORMAL);
	n = snprintf(buf, sizeof buf, "to fit (F):");
	int marked = 0;
	for (int i = 0; i < sliders_count && n < (int)sizeof buf - 16; i++)
		if (u->fit_mark[sliders_order[i]]) {
			n += snprintf(buf + n, sizeof buf - (size_t)n, " %s",
			              params_table[sliders_order[i]].label);
			marked++;
		}
	if (marked)
		paint_wrapped(r, line, buf, A_NORMAL);
}

void frame_panel(ui *u)
{
	const sliders_layout *l = &u->lay;
	paint_box(u->utf8, l->panel, ui_attr(u, CC_AXIS),
	          u->coarse ? "parameters: coarse step" : "parameters: fine step",
	          ui_attr(u, CC_LABEL) | A_BOLD);
	for (int row = 0; row < l->rows_visible && u->first + row < u->nvis; row++)
		draw_slider(u, row, u->first + row);
	/* Tell that rows are hidden above or below. */
	if (u->first > 0)
		paint_text(l->panel.y, l->panel.x + l->panel.w - 5, 3, "^^^", ui_attr(u, CC_AXIS));
	if (u->first + l->rows_visible < u->nvis)
		paint_text(l->panel.y + l->panel.h - 1, l->panel.x + l->panel.w - 5, 3, "vvv",
		           ui_attr(u, CC_AXIS));
	draw_info(u);
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

void frame_status(ui *u)
{
	const sliders_rect *r = &u->lay.status;
	/* Presenting, the line is the hints' until a prompt or a message needs it. */
	int prompt = u->modal && u->modal->place == UI_AT_STATUS;
	if (u->lay.present && (prompt || u->msg[0])) {
		attrset(A_NORMAL);
		mvhline(r->y, r->x, ' ', r->w);
	}
	if (prompt) {
		char t[8];
		u->modal->draw(u, *r, t, sizeof t);
		return;
	}
	if (u->msg[0]) {
		paint_text(r->y, r->x + 1, r->w - 1, u->msg, ui_attr(u, u->msg_error ? UR_ERROR : UR_INFO));
		return;
	}
	if (u->lay.present)
		return;
	char rate[32], left[128], right[3][256], speed[96], brief[64], job[96];
	/* What the run costs: synapses simulated per second (two per repetition: one started DOWN,
	 * one UP), and the time the whole curve takes or has taken. */
	/* The weight model: trials per second (random trains), or exact points (regular ones). */
	int weight = (int)u->params.v[P_EFFICACY] == EFFICACY_WEIGHT;
	int exact = weight && !params_random_protocol(&u->params);
	const char *unit = exact ? "points/s" : weight ? "trials/s" : "synapses/s";
	const char *unit_brief = exact ? "pt/s" : weight ? "tr/s" : "syn/s";
	double per_rep = weight ? 1.0 : 2.0;
	double syn_s = u->elapsed_s > 0 ? per_rep * (double)u->reps_done / u->elapsed_s : 0;
	format_rate(syn_s, rate, sizeof rate);
	if (!(syn_s > 0)) {
		snprintf(speed, sizeof speed, "- %s", unit);
		snprintf(brief, sizeof brief, "-");
	} else if (u->complete) {
		/* The default curve takes milliseconds: "0.0 s" would say nothing. */
		if (u->elapsed_s < 0.9995)
			snprintf(speed, sizeof speed, "%s %s, curve in %.0f ms", rate, unit,
			         u->elapsed_s * 1e3);
		else
			snprintf(speed, sizeof speed, "%s %s, curve in %.1f s", rate, unit, u->elapsed_s);
		snprintf(brief, sizeof brief, "%s %s", rate, unit_brief);
	} else {
		double left_s = ceil((double)(u->reps_total - u->reps_done) * per_rep / syn_s);
		snprintf(speed, sizeof speed, "%s %s, %.0f s to go", rate, unit, left_s);
		snprintf(brief, sizeof brief, "%.0f s to go", left_s);
	}
	uint64_t per = u->points > 0 ? u->reps_done / (uint64_t)u->points : 0;
	double frac = u->reps_total ? (double)u->reps_done / (double)u->reps_total : 0;
	const char *state = u->paused ? "paused" : u->complete ? "done" : "running";
	if (exact)
		snprintf(left, sizeof left, " %s%s | exact %llu/%d points ", u->preset,
		         ui_unsaved(u) ? "*" : "", (unsigned long long)u->reps_done, u->points);
	else
		snprintf(left, sizeof left, " %s%s | %s %llu/%llu ", u->preset, ui_unsaved(u) ? "*" : "",
		         weight ? "trials" : "reps", (unsigned long long)per,
		         (unsigned long long)u->reps_requested);
	/* While a job runs, what it computes. */
	job[0] = '\0';
	const char *what;
	double f;
	if (u->jobs && jobs_any_busy(u->jobs, &what, &f)) {
		if (f > 0)
			snprintf(job, sizeof job, " | computing %s %.0f%%", what, 100 * f);
		else
			snprintf(job, sizeof job, " | computing %s", what);
	}
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
	paint_text(r->y, r->x, lw, left, A_NORMAL);
	int x = r->x + lw;
	if (bar >= 5) {
		int fill = (int)(frac * bar + 0.5);
		paint_text(r->y, x, 1, "[", A_NORMAL);
		attrset(ui_attr(u, UR_KNOB));
		for (int i = 0; i < bar; i++)
			mvaddstr(r->y, x + 1 + i, i < fill ? (u->utf8 ? "█" : "#") : (u->utf8 ? "░" : "-"));
		paint_text(r->y, x + 1 + bar, 1, "]", A_NORMAL);
		x += bar + 2;
	}
	paint_text(r->y, x, r->x + r->w - x, right[k], A_NORMAL);
	/* The state stands out when it is not plain running. */
	if (u->paused || u->complete)
		paint_text(r->y, x + rw - (int)strlen(state), (int)strlen(state), state,
		           u->paused ? A_BOLD | A_REVERSE : A_BOLD);
}

/* Presenting: every parameter shown in the panel as "name value unit" on one line, the selected one
 * highlighted; the line scrolls to keep it in view. */
void frame_values(ui *u)
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
		attr_t a = i == u->selected ? ui_attr(u, UR_SELECTED) | A_BOLD : A_BOLD;
		paint_text(r->y, x, w[i], items[i], a);
		x += w[i] + gap;
		last = i;
	}
	if (u->values_first > 0)
		paint_text(r->y, r->x, 1, "<", ui_attr(u, UR_KEY));
	if (last < u->nvis - 1)
		paint_text(r->y, r->x + r->w - 1, 1, ">", ui_attr(u, UR_KEY));
}

void frame_too_small(const ui *u)
{
	char msg[3][160], lines[12][96];
	(void)u; /* below the compact layout's size, whatever the mode */
	snprintf(msg[0], sizeof msg[0], "Terminal too small: %dx%d.", COLS, LINES);
	snprintf(msg[1], sizeof msg[1], "calcium-stdp needs at least %dx%d.", SLIDERS_PRESENT_MIN_COLS,
	         SLIDERS_PRESENT_MIN_ROWS);
	snprintf(msg[2], sizeof msg[2], "Enlarge the window, or press q to quit.");
	/* Each sentence on lines of its own, broken between words. */
	int n = 0, max = LINES < 12 ? LINES : 12;
	for (int i = 0; i < 3 && n < max; i++)
		n += paint_wrap(msg[i], COLS > 60 ? 60 : COLS, lines + n, max - n);
	int y0 = (LINES - n) / 2;
	for (int i = 0; i < n; i++) {
		int w = (int)strlen(lines[i]);
		int x = COLS > w ? (COLS - w) / 2 : 0;
		paint_text(y0 + i, x, COLS - x, lines[i], i == 0 ? A_BOLD : A_NORMAL);
	}
}

/* The hints line: the command table's ranked hints, as many as fit; "? help" always. Presenting, the
 * keys that still work there. */
void frame_hints(ui *u)
{
	keys_hint h[KEYS_HINTS_MAX];
	if (u->lesson_hints[0]) {
		/* "KEY what  KEY what": each key in the keys' colours (columns: UTF-8 lead bytes). */
		const char *s = u->lesson_hints;
		int x = u->lay.hints.x + 1, end = u->lay.hints.x + u->lay.hints.w;
		while (*s && x < end) {
			const char *gap = strstr(s, "  ");
			size_t len = gap ? (size_t)(gap - s) : strlen(s), k = strcspn(s, " ");
			int cols = 0, kcols = 0;
			for (size_t b = 0; b < len; b++)
				if (((unsigned char)s[b] & 0xc0) != 0x80) {
					cols++;
					kcols += b < k;
				}
			paint_text(u->lay.hints.y, x, end - x, s, A_NORMAL);
			paint_text(u->lay.hints.y, x, kcols < end - x ? kcols : end - x, s,
			           ui_attr(u, UR_KEY));
			x += cols + 2;
			s += len;
			while (*s == ' ')
				s++;
		}
		return;
	}
	int n = keys_hints(u->commands, u->ncommands, u->modal ? u->modal->name : NULL, u->present, u->utf8,
	                   u->lay.hints.w, h);
	for (int i = 0; i < n; i++) {
		attrset(ui_attr(u, UR_KEY));
		mvaddstr(u->lay.hints.y, h[i].x, h[i].key);
		attrset(A_NORMAL);
		mvaddstr(u->lay.hints.y, h[i].x + h[i].key_cols + 1, h[i].what);
	}
}

void frame_caption(ui *u)
{
	const sliders_rect *r = &u->caption_rect;
	if (r->h <= 0)
		return;
	/* The heading in the title's colours, the caption lines bold under it. */
	attrset(ui_attr(u, UR_TITLE));
	mvhline(r->y, r->x, ' ', r->w);
	paint_text(r->y, r->x + 1, r->w - 2, u->caption[0], ui_attr(u, UR_TITLE));
	attrset(A_NORMAL);
	for (int i = 1; i < r->h && i < 3; i++)
		paint_text(r->y + i, r->x + 1, r->w - 2, u->caption[i], A_BOLD);
}
