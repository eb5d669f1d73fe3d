/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The map of curve classes: the class of the analytic curve (D, P, DP, DPD, ...) over a grid of two
 * parameters around the current set, default theta_d x theta_p. The grid is computed as a background
 * job (mapview_job_*: no curses, no ui state, so it runs on a worker thread); the map cursor's cell
 * gives the plot its curve at once, and Enter makes the cell the current set. */
#ifndef CSTDP_MAPVIEW_H
#define CSTDP_MAPVIEW_H

#include "classify.h"
#include "params.h"

#define MAPVIEW_MAX_COLS 60 /* cells across */
#define MAPVIEW_MAX_ROWS 40 /* cells down */
#define MAPVIEW_CELL_W   4  /* screen columns per cell: a class of up to 3 letters and a mark */
#define MAPVIEW_LABEL_W  8  /* the y axis' value labels */

/* One axis: the values of cells 0 .. n-1 are anchor + (i - anchor_i) * step, so that the current
 * value is exactly a cell's when the grid could be centred on it. */
typedef struct mapview_axis {
	int param;     /* enum param_id */
	int n;         /* cells along the axis */
	double anchor; /* the value of cell anchor_i */
	int anchor_i;
	double step; /* between neighbouring cells (> 0) */
	int mark;    /* the cell nearest the current set's value, -1 when outside the grid */
} mapview_axis;

/* What a map is made of: everything the job needs, copied into it. */
typedef struct mapview_grid {
	mapview_axis x, y; /* x across (left to right), y up (bottom to top) */
	param_set base;    /* the set the grid is made around; cells change only x and y's parameters */
} mapview_grid;

/* Place an axis of n cells for parameter id around value v: about v/2 .. 3v/2 (or a span of coarse
 * steps when v is 0), shifted to stay inside the parameter's range. */
void mapview_axis_place(mapview_axis *a, int id, double v, int n);

double mapview_axis_value(const mapview_axis *a, int i);

/* The set of cell (i across, j up). */
void mapview_cell_params(const mapview_grid *g, int i, int j, param_set *out);

/* Grid cells that fit a w x h screen region (room for the labels and three lines of text). */
void mapview_fit(int w, int h, int *cols, int *rows);

/* 1 when the explorer's map can classify the curves of set p: analytic curves, or the weight
 * model's means over trials on random trains. 0 for the bistable model on the irregular protocols,
 * which have no analytic curve (--batch --map simulates their cells): why then says so. */
int mapview_classifiable(const param_set *p, char *why, size_t len);

/* Whether parameter id can be an axis (a number that shapes the analytic curve). */
int mapview_axis_ok(int id);

/* The job: its grid and, when done, the class of every cell. */
typedef struct mapview_job {
	mapview_grid g;
	unsigned gen; /* the submitter's generation number (not read by mapview_job_run) */
	double tol;
	char (*cls)[CLASSIFY_MAX]; /* [y.n * x.n], row j at j * x.n */
} mapview_job;

/* A job for g (NULL when out of memory); free with mapview_job_free. */
mapview_job *mapview_job_new(const mapview_grid *g, double tol);
void mapview_job_free(mapview_job *j);

/* Compute the classes (on a worker thread). cancelled(user) is polled between cells; returns 0
 * when every cell is done, 1 when cancelled. progress(user, fraction) may be NULL. */
int mapview_job_run(mapview_job *j, int (*cancelled)(void *user), void (*progress)(void *user, double f),
                    void *user);

/* Screen columns of a cell's class as the map shows it, 3 wide: "DP ", "DPD", " . " for flat,
 * long classes cut with '+'; "   " for a class not computed yet (""). */
void mapview_cell_text(const char *cls, char out[4]);

/* A colour for a class: 0 flat or unknown, 1 D, 2 P, 3 DP, 4 PD, 5 DPD, 6 anything else. */
int mapview_class_colour(const char *cls);

#endif
