/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The calcium and efficacy views beside the plot (views.h computes them): each is a side view that
 * shares the plot box with a shorter plot, or takes it on a short screen. The costly ones (the
 * efficacy view's sample paths, the Poisson calcium sample) are jobs requested in sync; the last
 * result stays shown, marked "(updating)", until the new one arrives. */
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paint.h"
#include "work.h"

struct ui_chart {
	work_view_key want; /* the request pending */
	int pending;
	int has;           /* a result is kept: */
	work_view_key key; /* what it shows */
	views *v;          /* owns its chart */
	views_out out;
	int rc;
};

static const char *chart_name(enum views_kind k)
{
	return k == VIEWS_EFFICACY ? "efficacy view" : "calcium view";
}

/* Views that are instant stay on the loop thread: the calcium view of a periodic protocol is one
 * period of closed-form calcium. */
static int costly(enum views_kind kind, const param_set *p)
{
	/* The weight model's views walk every event of the protocol: as long as its train. */
	return kind == VIEWS_EFFICACY || (int)p->v[P_PROTOCOL] == PROTO_POISSON ||
	       (int)p->v[P_EFFICACY] == EFFICACY_WEIGHT;
}

static int chart_split(const ui *u, sliders_rect area, sliders_rect *curve, sliders_rect *own)
{
	(void)u;
	return sliders_split(area, curve, own);
}

/* What the view shows now, for a region r. */
static work_view_key key_of(const ui *u, sliders_rect r)
{
	return (work_view_key){u->view, u->params, u->cursor, r.w, r.h, u->seed, ui_glyphs(u)};
}

static sliders_rect own_rect(const ui *u)
{
	sliders_rect curve, own;
	chart_split(u, u->lay.canvas, &curve, &own);
	return own;
}

static void chart_result(ui *u, int status, const char *err, void *arg)
{
	work_view *j = arg;
	ui_chart *c = u->chart;
	int current = c && c->pending && work_view_same(&j->k, &c->want);
	if (current)
		c->pending = 0;
	if (status == 0 && current && !u->quitting) {
		views_free(c->v);
		c->key = j->k;
		c->v = j->v;
		c->out = j->out;
		c->rc = j->rc;
		c->has = 1;
		j->v = NULL;
		ui_dirty(u);
	} else if (status < 0 && current && !u->quitting) {
		ui_message(u, 1, "view: %s", err);
	}
	views_free(j->v);
	free(j);
}

static void chart_sync(ui *u);

static const ui_view *face_of(enum views_kind k);

static void chart_sync(ui *u)
{
	if (u->lay.too_small || u->view == VIEWS_NONE || !costly(u->view, &u->params) || !u->jobs)
		return;
	if (!u->chart && !(u->chart = calloc(1, sizeof *u->chart)))
		return;
	ui_chart *c = u->chart;
	work_view_key k = key_of(u, own_rect(u));
	if ((c->has && work_view_same(&c->key, &k)) || (c->pending && work_view_same(&c->want, &k)))
		return;
	work_view *j = calloc(1, sizeof *j);
	if (!j) {
		ui_message(u, 1, "view: out of memory");
		return;
	}
	j->k = k;
	c->want = k;
	c->pending = 1;
	ui_job_submit(u, face_of(k.kind), UI_JOB_VIEW, chart_name(k.kind), work_view_run, j);
}

/* The view in r; its title goes into title. */
static void chart_draw(ui *u, sliders_rect r, char *title, size_t len)
{
	views_out out;
	int rc;
	if (!costly(u->view, &u->params)) {
		rc = views_render(u->views, u->view, &u->params, u->cursor, u->seed, r.w, r.h, ui_glyphs(u),
		                  &out);
	} else {
		const ui_chart *c = u->chart;
		work_view_key k = key_of(u, r);
		if (c && c->has && work_view_same(&c->key, &k)) {
			out = c->out;
			rc = c->rc < 0 ? -1 : 0;
		} else if (c && c->has && c->rc == 0 && c->key.kind == k.kind && c->key.w == k.w &&
		           c->key.h == k.h && c->key.mode == k.mode) {
			/* Until the new one is done: the last of the same kind and size, marked. */
			out = c->out;
			snprintf(out.title, sizeof out.title, "%.*s (updating)", VIEWS_LINE_MAX - 12,
			         c->out.title);
			snprintf(out.brief, sizeof out.brief, "%.*s (updating)", VIEWS_LINE_MAX - 12,
			         c->out.brief);
			rc = 0;
		} else {
			snprintf(title, len, "%s", chart_name(u->view));
			paint_text(r.y, r.x + 1, r.w - 1,
			           "computing on the threadpool; the keys keep working", A_NORMAL);
			return;
		}
	}
	if (rc < 0) {
		const char *name = chart_name(u->view);
		char msg[128], lines[8][96];
		snprintf(title, len, "%s", out.title[0] ? out.title : name);
		snprintf(msg, sizeof msg, "No room for the %s here: enlarge the window. Esc closes it.",
		         name);
		/* Between words, so that nothing is cut or runs past the box. */
		int n = paint_wrap(msg, r.w - 2, lines, r.h < 8 ? r.h : 8);
		for (int i = 0; i < n; i++)
			paint_text(r.y + i, r.x + 1, r.w - 2, lines[i], A_BOLD);
		return;
	}
	/* The box's border leaves w - 4 columns for the title. */
	snprintf(title, len, "%s", (int)strlen(out.title) + 2 <= r.w - 2 ? out.title : out.brief);
	paint_canvas(out.chart, r.x, r.y, out.chart_h, u->attr, UR_COUNT, u->lay.present);
	for (int i = 0; i < out.nlines; i++)
		paint_text(r.y + out.chart_h + i, r.x + 1, r.w - 1, out.line[i],
		           u->lay.present ? A_BOLD : A_NORMAL);
}

static void calcium_open(ui *u)
{
	u->view = VIEWS_CALCIUM;
}

static void efficacy_open(ui *u)
{
	u->view = VIEWS_EFFICACY;
}

static void chart_free(ui *u)
{
	if (u->chart)
		views_free(u->chart->v);
	free(u->chart);
	u->chart = NULL;
}

const ui_view view_calcium = {
    .name = "calcium",
    .place = UI_AT_PLOT,
    .open = calcium_open,
    .sync = chart_sync,
    .split = chart_split,
    .draw = chart_draw,
    .result = chart_result,
    .free = chart_free,
};

const ui_view view_efficacy = {
    .name = "efficacy",
    .place = UI_AT_PLOT,
    .open = efficacy_open,
    .sync = chart_sync,
    .split = chart_split,
    .draw = chart_draw,
    .result = chart_result,
};

static const ui_view *face_of(enum views_kind k)
{
	return k == VIEWS_EFFICACY ? &view_efficacy : &view_calcium;
}
