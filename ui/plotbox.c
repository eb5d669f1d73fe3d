/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The plot box, drawn from the state alone: its title, the STDP curve with the analytic one, the
 * measured data, compared sets and pins as layers, the cursor's note on the bottom border, and the
 * view that shares the box (ui_plot_view: the map, calcium, efficacy) through its face. It starts
 * nothing: what the plot shows was requested when the state changed (requests.c). */
#include "plotbox.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paint.h"
#include "textplot.h"

/* The seed's figure: y from 0.3 to 1.7. */
#define SEED_YMIN 0.3
#define SEED_YMAX 1.7

/* The layers of data sets, compared sets and pins for the frame's plot. */
static void overlay_layers(ui *u, plot_data *d)
{
	d->nlayers = 0;
	int rows = 0;
	for (int k = 0; k < u->ndata; k++)
		rows += u->data[k].n;
	int nl = u->ndata + u->ncompare + 2 * u->pins.n;
	size_t need = 4 * (size_t)rows + 1;
	if (need > u->lbuf_cap) {
		double *b = realloc(u->lbuf, need * sizeof *b);
		if (!b)
			return;
		u->lbuf = b;
		u->lbuf_cap = need;
	}
	plot_layer *layers = realloc(u->layers, (size_t)(nl + 1) * sizeof *layers);
	if (layers)
		u->layers = layers;
	char(*legends)[160] = realloc(u->legends, (size_t)(nl + 1) * sizeof *legends);
	if (legends)
		u->legends = legends;
	if (!layers || !legends)
		return;
	int n = 0, points_style = 0, curve_style = u->freq_overlay ? UI_OVERLAY_COUNT : 0;
	double *at = u->lbuf;
	for (int k = 0; k < u->ndata; k++) {
		layers[n] = textplot_data_layer(&u->data[k], &u->params, points_style++, at, legends[n],
		                                sizeof legends[n]);
		at += 4 * (size_t)u->data[k].n;
		n++;
	}
	for (int k = 0; k < u->ncompare && u->cmp_n > 0; k++) {
		snprintf(legends[n], sizeof legends[n], "%s (analytic)", u->compare_name[k]);
		layers[n] = (plot_layer){.kind = PL_CURVE,
		                         .n = u->cmp_n,
		                         .x = u->cmp_x + (size_t)k * u->cmp_n,
		                         .y = u->cmp_y + (size_t)k * u->cmp_n,
		                         .style = plot_style_curve(curve_style++),
		                         .legend = legends[n],
		                         .brief = u->compare_name[k],
		                         .label = u->compare_name[k]};
		n++;
	}
	for (int k = 0; k < u->pins.n; k++) {
		const pin *p = &u->pins.p[k];
		char what[120];
		pins_label(p, &u->params, what, sizeof what);
		int curve = u->show_analytic && p->na > 0;
		/* Its points are drawn as its number: no pin looks like measured data, each is told
		 * apart by name, and they give way to the current points. */
		if (curve)
			snprintf(legends[n], sizeof legends[n], "pin %d (points %d): %s", k + 1, k + 1, what);
		else
			snprintf(legends[n], sizeof legends[n], "pin %d: %s", k + 1, what);
		plot_style cs = plot_style_curve(curve_style + p->style);
		plot_style ps = plot_style_points(points_style + p->style);
		ps.marker = PM_TEXT;
		ps.marker_text = (char)('1' + k);
		ps.color = cs.color;
		ps.bar_dash = 0; /* the points without their intervals: the current curve keeps those */
		if (curve)
			layers[n + 1] = (plot_layer){.kind = PL_CURVE,
			                             .n = p->na,
			                             .x = p->ax,
			                             .y = p->ay,
			                             .style = cs,
			                             .legend = legends[n]};
		layers[n] = (plot_layer){.kind = PL_POINTS,
		                         .n = p->n,
		                         .x = p->x,
		                         .y = p->y,
		                         .style = ps,
		                         .legend = curve ? NULL : legends[n]};
		n += 1 + curve;
	}
	d->layers = layers;
	d->nlayers = n;
}

static void build_plot_data(ui *u, plot_data *d, int cols)
{
	ui_plot_base(u, d, cols);
	int overlay = u->freq_overlay && (int)u->params.v[P_PROTOCOL] == PROTO_PAIRS;
	static plot_line lines[UI_OVERLAY_COUNT];
	static char labels[UI_OVERLAY_COUNT][32];
	static const double freqs[UI_OVERLAY_COUNT] = UI_OVERLAY_FREQS;
	if (overlay && u->fo_n > 0) {
		for (int k = 0; k < UI_OVERLAY_COUNT; k++) {
			/* The current frequency's curve is the analytic one, drawn over it: said so. */
			if (u->show_analytic && fabs(freqs[k] - u->params.v[P_FREQ_HZ]) < 1e-9)
				snprintf(labels[k], sizeof labels[k], "%g Hz=analytic", freqs[k]);
			else
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
	overlay_layers(u, d);
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

static void draw_curve(ui *u, sliders_rect r)
{
	if (ui_plot_canvas(u, r.w, r.h) < 0)
		return;
	plot_data d;
	build_plot_data(u, &d, r.w);
	plot_render(u->cv, &d);
	paint_canvas(u->cv, r.x, r.y, r.h, u->attr, UR_COUNT, u->lay.present);
	u->cv_rect = r;
	u->shown = d;
	u->shown.x = u->shown.y = u->shown.lo = u->shown.hi = NULL;
	u->shown.ax = u->shown.ay = NULL;
	u->shown.ex = u->shown.ey = u->shown.elo = u->shown.ehi = NULL;
}

/* The weight model's wordings: its exact value (regular trains) or the mean over the trials done. */
static void weight_note(const batch_row *row, const char *where, const char *x_only, char note[5][256])
{
	if (!isfinite(row->change)) {
		snprintf(note[0], 256, " < > cursor %s: %s - ", where, row->reps ? "mean" : "exact");
		snprintf(note[1], 256, " %s: - ", where);
		snprintf(note[2], 256, " %s: - ", x_only);
		snprintf(note[3], 256, " %s ", x_only);
		snprintf(note[4], 256, " %s ", x_only);
	} else if (row->reps == 0) {
		snprintf(note[0], 256, " < > cursor %s: exact %.6f (w / w0, deterministic weight model) ",
		         where, row->change);
		snprintf(note[1], 256, " %s: exact %.6f ", where, row->change);
		snprintf(note[2], 256, " %s: exact %.4f ", x_only, row->change);
		snprintf(note[3], 256, " %s: %.3f ", x_only, row->change);
		snprintf(note[4], 256, " %s ", x_only);
	} else {
		snprintf(note[0], 256, " < > cursor %s: mean %.4f (95%% %.4f to %.4f) over %llu trials ",
		         where, row->change, row->change_lo, row->change_hi, (unsigned long long)row->reps);
		snprintf(note[1], 256, " %s: mean %.3f [%.3f, %.3f] n %llu ", where, row->change,
		         row->change_lo, row->change_hi, (unsigned long long)row->reps);
		snprintf(note[2], 256, " %s: mean %.3f [%.3f,%.3f] ", x_only, row->change, row->change_lo,
		         row->change_hi);
		snprintf(note[3], 256, " %s: mean %.2f ", x_only, row->change);
		snprintf(note[4], 256, " %s ", x_only);
	}
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
	snprintf(num, sizeof num, "%.5g", x);
	if (proto == PROTO_FREQUENCY || proto == PROTO_IRREGULAR_RATE)
		snprintf(x_only, sizeof x_only, "%s Hz", num);
	else
		snprintf(x_only, sizeof x_only, "%s", where);
	const batch_row *row = &u->rows[u->cursor];
	double change;
	char an[32] = "...", an2[32] = "...";
	/* Under Poisson trains the analytic value is a Monte Carlo run: requests.c asks for it. The
	 * irregular protocols of the bistable model have no analytic curve: the note leaves it out. */
	int have = 1, none = (int)u->params.v[P_EFFICACY] != EFFICACY_WEIGHT &&
	                     (proto == PROTO_IRREGULAR || proto == PROTO_IRREGULAR_RATE);
	if ((int)u->params.v[P_EFFICACY] == EFFICACY_WEIGHT || none)
		have = 0; /* the weight model's note shows the engine's exact value or mean */
	else if (proto != PROTO_POISSON)
		change = views_analytic(u->views, &u->params, x)->change;
	else if (u->point_valid && u->point_x == x && memcmp(&u->point_p, &u->params, sizeof u->params) == 0)
		change = u->point_change;
	else
		have = 0;
	if (have) {
		snprintf(an, sizeof an, "%.3f", change);
		snprintf(an2, sizeof an2, "%.2f", change);
	}
	/* ", analytic X" (or "; analytic X" after the repetitions), or nothing where there is none. */
	char a0[48] = "", a1[48] = "", a2[48] = "";
	if (!none) {
		snprintf(a0, sizeof a0, "; analytic %s", an);
		snprintf(a1, sizeof a1, ", analytic %s", an);
		snprintf(a2, sizeof a2, ", analytic %s", an2);
	}
	char n[32];
	snprintf(n, sizeof n, "%llu", (unsigned long long)row->reps);
	if ((int)u->params.v[P_EFFICACY] == EFFICACY_WEIGHT) {
		weight_note(row, where, x_only, note);
	} else if (row->reps) {
		snprintf(note[0], sizeof note[0],
		         " < > cursor %s: simulation %.3f (95%% %.3f to %.3f), U %.3f, D %.3f, %s reps%s ", where,
		         row->change, row->change_lo, row->change_hi, row->U, row->D, n, a0);
		snprintf(note[1], sizeof note[1], " %s: sim %.3f [%.3f, %.3f] U %.3f D %.3f n %s%s ", where,
		         row->change, row->change_lo, row->change_hi, row->U, row->D, n, a1);
		snprintf(note[2], sizeof note[2], " %s: sim %.2f [%.2f,%.2f] U %.2f D %.2f n %s ", where,
		         row->change, row->change_lo, row->change_hi, row->U, row->D, n);
		snprintf(note[3], sizeof note[3], " %s: sim %.2f [%.2f,%.2f] n %s ", where, row->change,
		         row->change_lo, row->change_hi, n);
		snprintf(note[4], sizeof note[4], " %s: sim %.2f ", x_only, row->change);
	} else {
		snprintf(note[0], sizeof note[0], " < > cursor %s: simulation -%s ", where, a1);
		snprintf(note[1], sizeof note[1], " %s: sim -%s ", where, a1);
		snprintf(note[2], sizeof note[2], " %s: sim -%s ", x_only, a2);
		snprintf(note[3], sizeof note[3], " %s: sim - ", x_only);
		snprintf(note[4], sizeof note[4], " %s ", x_only);
	}
	for (int i = 0; i < 5; i++)
		if ((int)strlen(note[i]) <= box->w - 4 || i == 4) {
			paint_text(box->y + box->h - 1, box->x + 2, box->w - 4, note[i],
			           ui_attr(u, CC_LABEL));
			break;
		}
}

void plotbox_draw(ui *u)
{
	const sliders_layout *l = &u->lay;
	char title[256], proto[160];
	/* Room on the top border beside the title for which y range is on. */
	const char *yrange = u->yfixed ? " y fixed 0.3-1.7 " : " y fitted ";
	int room = l->plot.w - 4 - (int)strlen(yrange) - 2;
	const char *curve =
	    room >= 44 ? "change in synaptic strength (after/before)" : "change (after/before)";
	paint_protocol(&u->params, proto, sizeof proto);
	/* The protocol beside the quantity when both fit (presenting, the title line has it). */
	if (!u->lay.present && (int)(strlen(curve) + strlen(proto)) + 5 <= room)
		snprintf(title, sizeof title, "%s | %s", curve, proto);
	else
		snprintf(title, sizeof title, "%s", curve);
	u->cv_rect = (sliders_rect){0, 0, 0, 0};
	const ui_view *v = ui_plot_view(u);
	attr_t frame = ui_attr(u, CC_AXIS), label = ui_attr(u, CC_LABEL) | A_BOLD;
	if (!v) {
		paint_box(u->utf8, l->plot, frame, title, label);
		draw_curve(u, l->canvas);
	} else {
		sliders_rect curve = l->canvas, own = l->canvas;
		char vt[VIEWS_LINE_MAX];
		vt[0] = '\0';
		int split = v->split ? v->split(u, l->canvas, &curve, &own) : 0;
		v->draw(u, own, vt, sizeof vt);
		if (split) {
			paint_box(u->utf8, l->plot, frame, title, label);
			draw_curve(u, curve);
			paint_divider(u->utf8, l->plot, own.y - 1, vt, frame, label);
		} else {
			paint_box(u->utf8, l->plot, frame, vt, label);
		}
	}
	draw_cursor_note(u, &l->plot);
	/* Which y range is on, at the right of the box's top border when it has room. */
	if (u->cv_rect.w > 0) {
		int yw = (int)strlen(yrange), tw = (int)strlen(title) + 4;
		if (l->plot.w - 2 - yw >= tw + 2)
			paint_text(l->plot.y, l->plot.x + l->plot.w - 2 - yw, yw, yrange,
			           ui_attr(u, CC_LABEL));
	}
}
