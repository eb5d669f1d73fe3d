/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Lessons: a small text file of steps a teacher replays in the explorer (calcium-stdp --lesson FILE).
 * The format is in the man page (LESSONS). Every step is checked when the file is read: a bad step is
 * refused with FILE:LINE before anything is shown. Each step holds the whole state it leaves (the
 * parameter set, the view, the cursor, the pins, the caption), so that going back a step restores it
 * exactly. */
#ifndef CSTDP_LESSON_H
#define CSTDP_LESSON_H

#include <stddef.h>
#include <stdio.h>

#include "params.h"

#define LESSON_CAPTION_LINES 2
#define LESSON_CAPTION_MAX   76 /* characters of a caption line: fits 80 columns */
#define LESSON_TITLE_MAX     76
#define LESSON_PINS_MAX      8   /* pinned curves shown at once */
#define LESSON_WAIT_MAX_S    600 /* the longest timed wait */
#define LESSON_ERRLEN        1024

enum lesson_view {
	LESSON_VIEW_CURVE,    /* the STDP curve alone */
	LESSON_VIEW_CALCIUM,  /* calcium in one period at the cursor */
	LESSON_VIEW_EFFICACY, /* sample rho(t) paths at the cursor */
	LESSON_VIEW_MAP,      /* the map of curve classes */
	LESSON_VIEW_COUNT
};

/* One pinned curve: the set it was computed with, and its label. */
typedef struct lesson_pin {
	param_set params;
	char label[LESSON_CAPTION_MAX + 1];
} lesson_pin;

/* The state a step leaves on the screen. */
typedef struct lesson_step {
	int line;              /* the line of its wait (the step's end), for messages */
	char preset[64];       /* the last preset named ("" before any): its data set and reference */
	param_set params;      /* the parameter set */
	enum lesson_view view; /* the view open */
	int present;           /* 1: presentation mode */
	int has_cursor;        /* 0: the cursor is where the explorer puts it */
	double cursor_x;       /* the cursor, in the curve's x (params_x units) */
	int npins;             /* pins[0 .. npins - 1] are shown */
	lesson_pin pins[LESSON_PINS_MAX];
	int ncaption; /* caption lines of this step (0 to 2) */
	char caption[LESSON_CAPTION_LINES][LESSON_CAPTION_MAX + 1];
	double wait_s; /* 0: wait for a key; else seconds, then the next step by itself */
} lesson_step;

typedef struct lesson {
	char title[LESSON_TITLE_MAX + 1];
	lesson_step *steps;
	int n;
} lesson;

/* The view's name in lesson files ("curve", "calcium", ...), or NULL. */
const char *lesson_view_name(enum lesson_view v);

/* Parse a lesson from text (len bytes; path names it in messages). Returns 0 with the steps in *out
 * (free with lesson_free), or -1 with "PATH:LINE: what is wrong" in err and *out empty. */
int lesson_parse(const char *text, size_t len, const char *path, lesson *out, char *err, size_t errlen);

/* The same from a file (at most 1 MiB). */
int lesson_load(const char *path, lesson *out, char *err, size_t errlen);

void lesson_free(lesson *l);

/* A step as a lesson file writes it: the directives that take the state prev leaves (NULL: the
 * start, the defaults with the curve view) to the state cur holds, ending with cur's wait. Parsing
 * what it writes after prev's gives cur back exactly (the parameters bit for bit; captions and pin
 * labels are printable ASCII without blanks at their ends, as the parser leaves them): the explorer
 * records a lesson with it. Returns 0, or -1 when writing to f fails. */
int lesson_write_step(FILE *f, const lesson_step *prev, const lesson_step *cur);

/* A whole lesson: its title and every step. 0 or -1. */
int lesson_write(FILE *f, const lesson *l);

/* The command line's --lesson FILE: with check, print a summary of its steps on stdout (no terminal
 * needed); without, only validate it before the explorer plays it (a bad step: FILE:LINE on stderr).
 * Returns the exit status (0, 1 on a write failure, 2 on a bad lesson). */
int lesson_main(const char *path, int check);

#endif
