#include "batch.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "analytic.h"
#include "engine.h"
#include "readout.h"

typedef struct run {
	const batch_opts *o;
	batch_row *rows;
	engine *e;
	int done;
	uint64_t last_progress; /* uv_hrtime of the last progress line */
} run;

static void fill_rows(const engine_snapshot *s, const param_set *p, batch_row *rows)
{
	for (int i = 0; i < s->points; i++) {
		readout r;
		readout_from_counts(s->n[i], s->ups[i], s->downs[i], p->v[P_BETA], p->v[P_B], &r);
		rows[i] = (batch_row){s->dt_ms[i], r.U, r.D, r.change, r.change_lo, r.change_hi, s->n[i]};
	}
}

static void on_update(const engine_snapshot *s, void *user)
{
	run *r = user;
	uint64_t now = uv_hrtime();
	if (r->o->progress && (s->complete || now - r->last_progress > 100000000ULL)) {
		int width = 30, fill = (int)(width * s->reps_done / (s->reps_total ? s->reps_total : 1));
		fprintf(stderr, "\r[%.*s%*s] %llu/%llu repetitions  %.1f M steps/s ", fill,
		        "##############################", width - fill, "", (unsigned long long)s->reps_done,
		        (unsigned long long)s->reps_total, s->steps_per_s * 1e-6);
		if (s->complete)
			fputc('\n', stderr);
		r->last_progress = now;
	}
	if (s->complete && !r->done) {
		fill_rows(s, &r->o->p, r->rows);
		r->done = 1;
		engine_close(r->e);
	}
}

int batch_compute(const batch_opts *o, batch_row *rows, char *err, size_t errlen)
{
	if (params_check_set(&o->p, err, errlen) < 0)
		return -1;
	int n = (int)o->p.v[P_POINTS];
	if (o->analytic) {
		for (int i = 0; i < n; i++) {
			analytic_point a;
			double dt = params_x(&o->p, i);
			analytic_at(&o->p, dt, &a);
			rows[i] = (batch_row){dt, a.U, a.D, a.change, a.change, a.change, 0};
		}
		return 0;
	}
	uv_loop_t loop;
	if (uv_loop_init(&loop) != 0) {
		snprintf(err, errlen, "cannot start the event loop");
		return -1;
	}
	run r = {.o = o, .rows = rows};
	r.e = engine_new(&loop, o->threads, o->block, o->method, on_update, &r);
	if (!r.e || engine_set_params(r.e, &o->p, err, errlen) < 0) {
		if (r.e)
			engine_close(r.e);
		else
			snprintf(err, errlen, "out of memory");
		uv_run(&loop, UV_RUN_DEFAULT);
		uv_loop_close(&loop);
		return -1;
	}
	uv_run(&loop, UV_RUN_DEFAULT);
	int rc = uv_loop_close(&loop);
	if (!r.done) {
		snprintf(err, errlen, "the simulation did not complete (out of memory?)");
		return -1;
	}
	if (rc != 0) {
		snprintf(err, errlen, "internal error: event loop still busy at exit");
		return -1;
	}
	return 0;
}

void batch_format_row(char *buf, size_t len, const batch_row *r)
{
	snprintf(buf, len, "%.10g,%.6f,%.6f,%.6f,%.6f,%.6f,%llu", r->dt_ms, r->U, r->D, r->change, r->change_lo,
	         r->change_hi, (unsigned long long)r->reps);
}

void batch_write_csv(FILE *f, const param_set *p, const batch_row *rows, int n)
{
	fprintf(f, "%s,U,D,change,change_lo,change_hi,reps\n", params_x_column(p));
	for (int i = 0; i < n; i++) {
		char row[256];
		batch_format_row(row, sizeof row, &rows[i]);
		fprintf(f, "%s\n", row);
	}
}
