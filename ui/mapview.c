/* The explorer's map: the grid maths and the job (no curses, no ui state) come first; the part that
 * draws and takes keys, at the end, is the only one that sees the explorer. */
#include "mapview.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sweep.h"
#include "ui.h"

int mapview_axis_ok(int id)
{
	if (id < 0 || id >= P_COUNT || params_table[id].names)
		return 0;
	/* The simulation's own settings and the curve's grid do not shape the analytic classes. */
	return id != P_SEED && id != P_REPS && id != P_STEP_MS && id != P_POINTS;
}

/* The largest step of 1, 2, 2.5 or 5 times a power of ten at or below s: round values along the axis. */
static double nice_step(double s)
{
	if (!(s > 0))
		return s;
	double p = pow(10, floor(log10(s)));
	static const double m[] = {5, 2.5, 2, 1};
	for (int i = 0; i < 4; i++)
		if (m[i] * p <= s * (1 + 1e-9))
			return m[i] * p;
	return p;
}

void mapview_axis_place(mapview_axis *a, int id, double v, int n)
{
	const param_info *pi = &params_table[id];
	if (n < 1)
		n = 1;
	double span = fabs(v) > 0 ? fabs(v) : pi->coarse * (n - 1) / 2;
	double step = n > 1 ? nice_step(span / (n - 1)) : 1;
	if (pi->integer && step < 1 && n > 1)
		step = 1;
	if (!(step > 0))
		step = pi->step > 0 ? pi->step : 1;
	/* Too wide for the range: the whole range. */
	if (step * (n - 1) > pi->max - pi->min && n > 1)
		step = (pi->max - pi->min) / (n - 1);
	*a = (mapview_axis){.param = id, .n = n, .anchor = v, .anchor_i = (n - 1) / 2, .step = step};
	double lo = v - a->anchor_i * step, hi = lo + (n - 1) * step;
	if (lo < pi->min || hi > pi->max) {
		/* Shifted: the current value falls between cells or at an edge. */
		lo = lo < pi->min ? pi->min : pi->max - (n - 1) * step;
		if (lo < pi->min)
			lo = pi->min;
		a->anchor = lo;
		a->anchor_i = 0;
	}
	double k = (v - mapview_axis_value(a, 0)) / step;
	a->mark = k < -0.5 || k > n - 0.5 ? -1 : (int)lround(k);
	if (a->mark > n - 1)
		a->mark = n - 1;
}

double mapview_axis_value(const mapview_axis *a, int i)
{
	const param_info *pi = &params_table[a->param];
	double v = i == a->anchor_i ? a->anchor : sweep_tidy(a->anchor + (i - a->anchor_i) * a->step, 12);
	if (pi->integer)
		v = round(v);
	return v < pi->min ? pi->min : v > pi->max ? pi->max : v;
}

void mapview_cell_params(const mapview_grid *g, int i, int j, param_set *out)
{
	*out = g->base;
	out->v[g->x.param] = mapview_axis_value(&g->x, i);
	out->v[g->y.param] = mapview_axis_value(&g->y, j);
}

void mapview_fit(int w, int h, int *cols, int *rows)
{
	int c = (w - MAPVIEW_LABEL_W - 1) / MAPVIEW_CELL_W, r = h - 4;
	*cols = c < 1 ? 0 : c > MAPVIEW_MAX_COLS ? MAPVIEW_MAX_COLS : c;
	*rows = r < 1 ? 0 : r > MAPVIEW_MAX_ROWS ? MAPVIEW_MAX_ROWS : r;
}

mapview_job *mapview_job_new(const mapview_grid *g, double tol)
{
	mapview_job *j = calloc(1, sizeof *j);
	if (!j)
		return NULL;
	j->g = *g;
	j->tol = tol;
	j->cls = calloc((size_t)g->x.n * (size_t)g->y.n, sizeof *j->cls);
	if (!j->cls) {
		free(j);
		return NULL;
	}
	return j;
}

void mapview_job_free(mapview_job *j)
{
	if (!j)
		return;
	free(j->cls);
	free(j);
}

int mapview_job_run(mapview_job *j, int (*cancelled)(void *user), void (*progress)(void *user, double f),
                    void *user)
{
	int total = j->g.x.n * j->g.y.n;
	for (int k = 0; k < total; k++) {
		if (cancelled && cancelled(user))
			return 1;
		param_set p;
		classify_result r;
		mapview_cell_params(&j->g, k % j->g.x.n, k / j->g.x.n, &p);
		char why[256];
		if (params_check_set(&p, why, sizeof why) < 0) {
			snprintf(j->cls[k], sizeof j->cls[k], "?");
			continue;
		}
		if (sweep_classify_analytic(&p, j->tol, &r) < 0)
			snprintf(j->cls[k], sizeof j->cls[k], "?"); /* out of memory: no class */
		else
			memcpy(j->cls[k], r.name, sizeof r.name);
		if (progress)
			progress(user, (double)(k + 1) / total);
	}
	return 0;
}

void mapview_cell_text(const char *cls, char out[4])
{
	size_t n = strlen(cls);
	if (n == 0)
		memcpy(out, "   ", 4);
	else if (strcmp(cls, "flat") == 0)
		memcpy(out, " . ", 4);
	else if (n <= 3)
		snprintf(out, 4, "%-3s", cls);
	else
		snprintf(out, 4, "%.2s+", cls);
}

int mapview_class_colour(const char *cls)
{
	static const char *const named[] = {"D", "P", "DP", "PD", "DPD"};
	if (!cls[0] || strcmp(cls, "flat") == 0 || strcmp(cls, "?") == 0)
		return 0;
	for (int i = 0; i < 5; i++)
		if (strcmp(cls, named[i]) == 0)
			return i + 1;
	return 6;
}

/* ---- the map in the explorer (curses from here on) ---- */

/* The explorer keeps its map in u->map; the job's results arrive through jobs.h on the loop thread. */

/* The class of cell (i, j), "" while the job runs. */
static const char *cell_class(const ui *u, int i, int j)
{
	const ui_map *m = &u->map;
	if (!m->cls || i < 0 || j < 0 || i >= m->g.x.n || j >= m->g.y.n)
		return "";
	return m->cls[j * m->g.x.n + i];
}

static void job_done(int status, const char *err, void *arg, void *user)
{
	ui *u = user;
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

static int job_cancelled(void *c)
{
	return jobs_cancelled(c);
}

static void job_progress(void *c, double f)
{
	jobs_progress(c, f);
}

static int job_work(jobs_ctx *c, void *arg)
{
	mapview_job_run(arg, job_cancelled, job_progress, c);
	return 0;
}

/* The cursor's cell as the current curve of the plot. */
static void cursor_cell(ui *u)
{
	ui_map *m = &u->map;
	mapview_cell_params(&m->g, m->cx, m->cy, &m->cell);
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

/* Make the grid for a region of cols x rows cells around the current set and start its job; the
 * same grid is kept (and its classes) while only the axes' own values change, as Enter does. */
static void map_sync(ui *u, int cols, int rows)
{
	ui_map *m = &u->map;
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
	m->job = jobs_submit(u->jobs, UI_JOB_MAP, "map", job_work, job_done, j, u);
	j->gen = m->job; /* read only by job_done, on this thread */
}

void mapview_open(ui *u)
{
	ui_map *m = &u->map;
	if (!m->px) {
		m->px = P_THETA_D;
		m->py = P_THETA_P;
	}
	m->valid = 0;
	u->mode = UI_MAP;
	ui_dirty(u);
}

void mapview_close(ui *u)
{
	ui_map *m = &u->map;
	if (m->job && u->jobs)
		jobs_cancel(u->jobs, UI_JOB_MAP);
	m->job = 0;
	free(m->cls);
	m->cls = NULL;
	m->valid = 0;
	u->mode = UI_NORMAL;
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

void mapview_keypress(ui *u, int is_key, int ch)
{
	ui_map *m = &u->map;
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
	case KEY_ENTER:
		if (m->valid && ui_set_params(u, &m->cell) == 0) {
			char x[32], y[32];
			params_format_exact(m->cell.v[m->g.x.param], x, sizeof x);
			params_format_exact(m->cell.v[m->g.y.param], y, sizeof y);
			ui_message(u, 0, "loaded %s = %s, %s = %s", params_table[m->g.x.param].name, x,
			           params_table[m->g.y.param].name, y);
		}
		break;
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
	case 'q':
		mapview_close(u);
		break;
	default:
		(void)is_key;
		break;
	}
}

static attr_t class_attr(const ui *u, const char *cls)
{
	int k = mapview_class_colour(cls);
	if (strcmp(cls, "flat") == 0)
		return screen_attr(u, CC_REF);
	return k ? screen_attr(u, UR_MAP_D + k - 1) : A_NORMAL;
}

/* The map in r: cells of MAPVIEW_CELL_W columns, y values at the left, x values under the grid,
 * then a line on the cursor's cell. The current set's cell is marked '*', the cursor reversed. */
void mapview_draw(ui *u, sliders_rect r, char *title, size_t len)
{
	ui_map *m = &u->map;
	int cols, rows;
	mapview_fit(r.w, r.h, &cols, &rows);
	snprintf(title, len, "map of curve classes");
	if (cols < 3 || rows < 3) {
		mvaddnstr(r.y, r.x + 1, "no room for the map: enlarge the window", r.w - 1);
		return;
	}
	map_sync(u, cols, rows);
	const mapview_axis *ax = &m->g.x, *ay = &m->g.y;
	int x0 = r.x + MAPVIEW_LABEL_W;
	for (int row = 0; row < ay->n; row++) {
		int j = ay->n - 1 - row, y = r.y + row;
		char label[32];
		if (row % 2 == 0 || j == ay->mark) {
			params_format_exact(mapview_axis_value(ay, j), label, sizeof label);
			attrset(screen_attr(u, CC_LABEL));
			mvprintw(y, r.x, "%*.*s ", MAPVIEW_LABEL_W - 1, MAPVIEW_LABEL_W - 1, label);
		}
		for (int i = 0; i < ax->n; i++) {
			const char *cls = cell_class(u, i, j);
			char t[4];
			mapview_cell_text(cls, t);
			attr_t a = class_attr(u, cls);
			if (i == m->cx && j == m->cy)
				a |= A_REVERSE;
			int here = i == ax->mark && j == ay->mark;
			attrset((here ? A_BOLD : A_NORMAL) | (a & A_REVERSE));
			mvaddstr(y, x0 + i * MAPVIEW_CELL_W, here ? "*" : " ");
			attrset(a);
			addstr(t);
		}
	}
	/* x values under every third cell. */
	attrset(screen_attr(u, CC_LABEL));
	for (int i = 0; i < ax->n; i += 3) {
		char label[32];
		params_format_exact(mapview_axis_value(ax, i), label, sizeof label);
		mvaddnstr(r.y + ay->n, x0 + i * MAPVIEW_CELL_W + 1, label, 3 * MAPVIEW_CELL_W - 1);
	}
	char x[32], y[32], line[256];
	params_format_exact(m->cell.v[ax->param], x, sizeof x);
	params_format_exact(m->cell.v[ay->param], y, sizeof y);
	const char *cls = cell_class(u, m->cx, m->cy);
	if (m->cls)
		snprintf(title, len, "map of curve classes: %s across, %s up (%.0f ms)",
		         params_table[ax->param].name, params_table[ay->param].name, m->ms);
	else
		snprintf(title, len, "map of curve classes: computing");
	snprintf(line, sizeof line, "cursor %s = %s, %s = %s: %s   (* the current set)",
	         params_table[ax->param].name, x, params_table[ay->param].name, y,
	         cls[0] ? cls : "computing");
	attrset(A_BOLD);
	mvaddnstr(r.y + ay->n + 1, r.x + 1, line, r.w - 1);
	attrset(A_NORMAL);
	mvaddnstr(r.y + ay->n + 2, r.x + 1,
	          "arrows move   Enter loads the cell   x X y Y other parameters   Esc closes", r.w - 1);
}

const param_set *mapview_curve_params(const ui *u)
{
	return u->mode == UI_MAP && u->map.valid ? &u->map.cell : &u->params;
}
