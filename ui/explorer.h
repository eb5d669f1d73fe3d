/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The interactive explorer: sliders for the parameters, the STDP curve redrawn live as the engine's
 * repetitions finish, presets, saving and exporting. Needs a terminal on stdin and stdout. */
#ifndef CSTDP_EXPLORER_H
#define CSTDP_EXPLORER_H

#include "datafile.h"
#include "params.h"
#include "sim.h"

typedef struct explorer_opts {
	param_set params;    /* starting values (defaults < preset/file < --set) */
	param_set reference; /* the preset's (or defaults') values: sliders differing from these are marked */
	char preset_name[64]; /* "DP", a file's base name, or "defaults" */
	int threads;          /* worker threads for the engine */
	int ascii;            /* 1: force ASCII even in a UTF-8 locale */
	int glyphs;           /* the plot's glyph set: 1 + canvas_mode, 0 for the default */
	sim_method method;    /* pass to engine_new */
	int present;          /* 1: start in presentation mode (--present): the plot takes the screen */
	double tolerance;     /* of the map's curve classes (--tolerance) */
	const datafile *data; /* measured data to draw and fit (--data, or the preset's), may be NULL */
	int ndata;
	int data_given;                 /* 1: data is --data's (a preset loaded later keeps it) */
	const param_set *compare;       /* --compare sets (as loaded), drawn on the current protocol */
	const char (*compare_name)[64]; /* their names */
	int ncompare;
	double link_rate; /* --link-rate: bytes/s the frames keep to; 0: unpaced; < 0: the default */
	const char *lesson; /* --lesson FILE: play it (checked already), or NULL */
	int theme;        /* --theme: theme.h's kind (THEME_AUTO: ask the terminal) */
} explorer_opts;

/* The explorer's engine runs at most this many workers per core (the loop thread, which answers
 * the keys, must get its share of the processor); explorer_workers: the workers for --threads. */
#define EXPLORER_WORKERS_PER_CORE 4
int explorer_workers(int threads);

/* Runs the explorer until the user quits or a signal arrives; returns the process exit status.
 * Restores the terminal on every path. */
int explorer_run(const explorer_opts *o);

#endif
