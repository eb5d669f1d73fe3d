/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The map view: the class of the analytic curve over a grid of two parameters around the current
 * set (mapview.h), under a shorter plot of the map cursor's curve. It takes the keys while open:
 * arrows move the cursor (the plot shows that cell's curve at once), Enter loads the cell, x X y Y
 * change the axes, Esc closes. Its grid is requested in sync (a job), never while drawing. */
#include "ui.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "axes.h"
#include "paint.h"
#include "work.h"

/* The class of cell (i, j), "" while the job runs. */
static const char *cell_class(const ui *u, int i, int j)
{
	const ui_map *m = &u->map;
	if (!m->cls || i < 0 || j < 0 || i >= m->g.x.n || j >= m->g.y.n)
		return "";
	return m->cls[j * m->g.x.n + i];
}

static void map_result(ui *u, int status, const char *err, void *arg)
{
	mapview_job *j = arg;
	ui_map *m = &u->map;
	if (status == 0 && m->job && j->gen == m->job) {
		free(m->cls);
		m->cls = j->cls;
		j->cls = NULL;
		m->job = 0;
		m->ms = (double)(uv_hrtime() - m->t_submit) * 1e-6;
		ui_dirty(u);
	} else if (status < 0) {
		ui_message(u, 1, "the map failed: %s", err ? err : "?");
	}
	mapview_job_free(j);
}

/* The cursor's cell as the current curve of the plot. */
static void cursor_cell(ui *u)
{
	ui_map *m = &u->map;
	mapview_cell_params(&m->g, m->cx, m->cy, &u->alt);
	u->alt_curve = 1;
	u->analytic_stale = 1;
	ui_dirty(u);
}

/* The marks of the current set (the cell with its values, if any). */
static void place_marks(ui *u)
{
	ui_map *m = &u->map;
	mapview_axis *ax[2] = {&m->g.x, &m->g.y};
	for (int k = 0; k < 2; k++) {
		mapview_axis *a = ax[k];
		double v = u->params.v[a->param], best = INFINITY;
		a->mark = -1;
		for (int i = 0; i < a->n; i++) {
			double d = fabs(mapview_axis_value(a, i) - v);
			if (d < best && d <= a->step / 2) {
				best = d;
				a->mark = i;
			}
		}
	}
}

/* The map under a shorter plot; on a short screen the map alone. */
static int map_split(const ui *u, sliders_rect a, sliders_rect *curve, sliders_rect *own)
{
	(void)u;
	if (a.h < 18) {
		*curve = *own = a;
		return 0;
	}
	int top = a.h * 2 / 5;
	*curve = (sliders_rect){a.x, a.y, a.w, top};
	*own = (sliders_rect){a.x, a.y + top + 1, a.w, a.h - top - 1};
	return 1;
}

extern const ui_view view_map;

/* Make the grid for the map's region around the current set and request its classes; the same grid
 * is kept (and its classes) while only the axes' own values change, as Enter does. */
static void map_sync(ui *u)
{
	ui_map *m = &u->map;
	sliders_rect curve, r;
	int cols, rows;
	if (u->lay.too_small)
		return;
	char why[256];
	if (!mapview_classifiable(&u->params, why, sizeof why)) {
		/* No job: map_draw says why instead of a grid of unknown cells. */
		m->valid = 0;
		free(m->cls);
		m->cls = NULL;
		return;
	}
	map_split(u, u->lay.canvas, &curve, &r);
	mapview_fit(r.w, r.h, &cols, &rows);
	if (cols < 3 || rows < 3)
		return;
	param_set base = u->params;
	base.v[m->g.x.param] = m->g.base.v[m->g.x.param];
	base.v[m->g.y.param] = m->g.base.v[m->g.y.param];
	if (m->valid && cols == m->g.x.n && rows == m->g.y.n && m->px == m->g.x.param &&
	    m->py == m->g.y.param && memcmp(&base, &m->g.base, sizeof base) == 0) {
		place_marks(u);
		return;
	}
	mapview_grid g;
	g.base = u->params;
	mapview_axis_place(&g.x, m->px, u->params.v[m->px], cols);
	mapview_axis_place(&g.y, m->py, u->params.v[m->py], rows);
	m->g = g;
	m->valid = 1;
	free(m->cls);
	m->cls = NULL;
	m->cx = g.x.mark >= 0 ? g.x.mark : cols / 2;
	m->cy = g.y.mark >= 0 ? g.y.mark : rows / 2;
	cursor_cell(u);
	mapview_job *j = mapview_job_new(&g, m->tol);
	if (!j) {
		ui_message(u, 1, "the map: out of memory");
		return;
	}
	m->t_submit = uv_hrtime();
	m->job = ui_job_submit(u, &view_map, UI_JOB_MAP, "map", work_map_run, j);
	/* Read only by map_result, on this thread; 0: it has run (and freed j) already. */
	if (m->job)
		j->gen = m->job;
}

static void map_open(ui *u)
{
	ui_map *m = &u->map;
	if (!m->px) {
		m->px = P_THETA_D;
		m->py = P_THETA_P;
	}
	m->valid = 0;
	u->alt_label = "analytic at the map cursor";
}

static void map_close(ui *u)
{
	ui_map *m = &u->map;
	if (m->job && u->jobs)
		jobs_cancel(u->jobs, UI_JOB_MAP);
	m->job = 0;
	free(m->cls);
	m->cls = NULL;
	m->valid = 0;
	u->alt_curve = 0;
	u->alt_label = NULL;
	u->analytic_stale = 1;
	ui_dirty(u);
}

/* The next parameter for an axis among the sliders shown, skipping the other axis. */
static int next_axis(const ui *u, int now, int other, int dir)
{
	int k = 0;
	for (int i = 0; i < u->nvis; i++)
		if (u->vis[i] == now)
			k = i;
	for (int step = 1; step <= u->nvis; step++) {
		int id = u->vis[((k + dir * step) % u->nvis + u->nvis) % u->nvis];
		if (id != other && mapview_axis_ok(id))
			return id;
	}
	return now;
}

static void move_cursor(ui *u, int dx, int dy)
{
	ui_map *m = &u->map;
	int cx = m->cx + dx, cy = m->cy + dy;
	if (!m->valid || cx < 0 || cy < 0 || cx >= m->g.x.n || cy >= m->g.y.n)
		return;
	m->cx = cx;
	m->cy = cy;
	cursor_cell(u);
}

static void map_key(ui *u, int is_key, int ch)
{
	ui_map *m = &u->map;
	(void)is_key;
	switch (ch) {
	case KEY_LEFT:
	case 'h':
		move_cursor(u, -1, 0);
		break;
	case KEY_RIGHT:
	case 'l':
		move_cursor(u, 1, 0);
		break;
	case KEY_UP:
	case 'k':
		move_cursor(u, 0, 1);
		break;
	case KEY_DOWN:
	case 'j':
		move_cursor(u, 0, -1);
		break;
	case '\r':
	case '\n':
	case KEY_ENTER: {
		param_set cell = u->alt;
		if (m->valid && ui_set_params(u, &cell) == 0) {
			char x[32], y[32];
			params_format_exact(cell.v[m->g.x.param], x, sizeof x);
			params_format_exact(cell.v[m->g.y.param], y, sizeof y);
			ui_message(u, 0, "loaded %s = %s, %s = %s", params_table[m->g.x.param].name, x,
			           params_table[m->g.y.param].name, y);
		}
		break;
	}
	case 'x':
	case 'X':
		m->px = next_axis(u, m->px, m->py, ch == 'x' ? 1 : -1);
		ui_dirty(u);
		break;
	case 'y':
	case 'Y':
		m->py = next_axis(u, m->py, m->px, ch == 'y' ? 1 : -1);
		ui_dirty(u);
		break;
	case 27: /* Esc */
	case 'm':
		ui_view_close(u);
		break;
	case 'q': /* quits, as everywhere: Esc and m close the map */
		ui_view_close(u);
		ui_quit_ask(u);
		break;
	default:
		break;
	}
}

static attr_t class_attr(const ui *u, const char *cls)
{
	int k = mapview_class_colour(cls);
	if (strcmp(cls, "flat") == 0)
		return ui_attr(u, CC_REF);
	return k ? ui_attr(u, UR_MAP_D + k - 1) : A_NORMAL;
}

/* An axis label: cell i's value with the decimals the axis' step needs (447, not 446.808). */
static void axis_label(const mapview_axis *a, int i, char *buf, size_t len)
{
	int d = a->step >= 1 ? 0 : (int)ceil(-log10(a->step) - 1e-9);
	ticks_format(mapview_axis_value(a, i), pow(10, -(d > 9 ? 9 : d)), buf, len);
}

/* The map in r: cells of MAPVIEW_CELL_W columns, y values at the left, x values under the grid,
 * then a line on the cursor's cell. The current set's cell is marked '*', the cursor reversed. */
static void map_draw(ui *u, sliders_rect r, char *title, size_t len)
{
	const ui_map *m = &u->map;
	int cols, rows;
	mapview_fit(r.w, r.h, &cols, &rows);
	snprintf(title, len, "map of curve classes");
	if (cols < 3 || rows < 3) {
		mvaddnstr(r.y, r.x + 1, "no room for the map: enlarge the window", r.w - 1);
		return;
	}
	char why[256];
	if (!mapview_classifiable(&u->params, why, sizeof why)) {
		/* The reason, wrapped to the map's width. */
		paint_wrapped(r, 0, why, A_NORMAL);
		return;
	}
	if (!m->valid)
		return;
	const mapview_axis *ax = &m->g.x, *ay = &m->g.y;
	int x0 = r.x + MAPVIEW_LABEL_W;
	for (int row = 0; row < ay->n; row++) {
		int j = ay->n - 1 - row, y = r.y + row;
		char label[32];
		if (row % 2 == 0 || j == ay->mark) {
			axis_label(ay, j, label, sizeof label);
			attrset(ui_attr(u, CC_LABEL));
			mvprintw(y, r.x, "%*.*s ", MAPVIEW_LABEL_W - 1, MAPVIEW_LABEL_W - 1, label);
		}
		for (int i = 0; i < ax->n; i++) {
			const char *cls = cell_class(u, i, j);
			char t[4];
			mapview_cell_text(cls, t);
			attr_t a = class_attr(u, cls);
			int cursor = i == m->cx && j == m->cy;
			/* With colour a cell is filled in its class' colour, the letters inside, and
			 * the cursor's cell is the one left unfilled (underlined); without colour the
			 * letters say the class and the cursor is reversed. */
			if (u->colors && mapview_class_colour(cls))
				a = cursor ? a | A_BOLD | A_UNDERLINE : a | A_REVERSE;
			else if (cursor)
				a |= A_REVERSE;
			int here = i == ax->mark && j == ay->mark;
			attrset((here ? A_BOLD : A_NORMAL) | (cursor && !u->colors ? A_REVERSE : 0));
			mvaddstr(y, x0 + i * MAPVIEW_CELL_W, here ? "*" : " ");
			attrset(a);
			addstr(t);
		}
	}
	/* x values under every third cell. */
	attrset(ui_attr(u, CC_LABEL));
	for (int i = 0; i < ax->n; i += 3) {
		char label[32];
		axis_label(ax, i, label, sizeof label);
		paint_text(r.y + ay->n, x0 + i * MAPVIEW_CELL_W + 1, 3 * MAPVIEW_CELL_W - 1, label,
		           ui_attr(u, CC_LABEL));
	}
	char x[32], y[32], line[256];
	params_format_exact(u->alt.v[ax->param], x, sizeof x);
	params_format_exact(u->alt.v[ay->param], y, sizeof y);
	const char *cls = cell_class(u, m->cx, m->cy);
	/* The longest wording that fits (the title's room is the divider's, less its ends). */
	const char *xn = params_table[ax->param].name, *yn = params_table[ay->param].name;
	if (!m->cls)
		snprintf(title, len, "map of curve classes: computing");
	else if (snprintf(title, len, "map of curve classes: %s across, %s up (%.0f ms)", xn, yn, m->ms) >
	             r.w - 6 &&
	         snprintf(title, len, "map of curve classes: %s across, %s up", xn, yn) > r.w - 6)
		snprintf(title, len, "map: %s across, %s up", xn, yn);
	if (snprintf(line, sizeof line, "cursor %s = %s, %s = %s: %s   (* the current set)", xn, x, yn, y,
	             cls[0] ? cls : "computing") > r.w - 1)
		snprintf(line, sizeof line, "cursor %s = %s, %s = %s: %s", xn, x, yn, y,
		         cls[0] ? cls : "computing");
	paint_text(r.y + ay->n + 1, r.x + 1, r.w - 1, line, A_BOLD);
	/* The legend: each class in its own style, then what the letters mean (as many words as fit;
	 * the keys are on the hints line). */
	static const char *const legend[] = {"D", "P", "DP", "PD", "DPD", "PDP"};
	int lx = r.x + 1, ly = r.y + ay->n + 2, end = r.x + r.w;
	paint_text(ly, lx, end - lx, "classes:", A_NORMAL);
	lx += 9;
	for (int k = 0; k < 6 && lx + 4 <= end; k++) {
		char t[8];
		snprintf(t, sizeof t, " %s ", legend[k]);
		attr_t a = class_attr(u, legend[k]);
		paint_text(ly, lx, end - lx, t, u->colors ? a | A_REVERSE : a);
		lx += (int)strlen(t) + 1;
	}
	static const char tail[] = " D: change below 1, P: above 1";
	if (lx + (int)sizeof tail - 1 <= end)
		paint_text(ly, lx, end - lx, tail, A_NORMAL);
}

const ui_view view_map = {
    .name = "map",
    .place = UI_AT_PLOT,
    .open = map_open,
    .close = map_close,
    .key = map_key,
    .sync = map_sync,
    .split = map_split,
    .draw = map_draw,
    .result = map_result,
};
