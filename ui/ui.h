/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The explorer's state and its interface: what every part of the explorer reads, and the narrow set
 * of functions through which commands, views and job results change it (ui.c). Only the explorer
 * (ui/) includes curses; the core (src/) knows nothing of it.
 *
 * The one-way street: keys -> commands -> state -> jobs -> frame.
 *   explorer.c  the loop: decodes keys and the mouse and hands them to the open view or to the
 *               command table; before each frame of a changed state it runs the views' sync and
 *               requests.c; then it draws the frame; it holds the table of views
 *   commands.c  the command table (keys.h): key -> command name -> function; the functions change
 *               the state through this header and never draw
 *   requests.c  what the plot needs computed (the analytic curve, the value at the cursor, compared
 *               sets, the fit); results come back on the loop thread into the state (ui_dirty)
 *   frame.c, plotbox.c  one frame, drawn from the state alone; they start nothing
 *   view_*.c    the views (map, calcium and efficacy, help, preset picker, prompt, fit report), each
 *               a module with the face below (ui_view)
 *   ui.c this interface; screen.c the terminal; paint.c curses helpers without the state;
 *   work.c the jobs' work (inputs in, results out through jobs.h: nothing of the explorer)
 *   play.c      lessons: a command source beside commands.c (steps applied through this header, the
 *               caption left in the state for frame.c), and the recording of steps into a lesson
 *
 * ADDING A VIEW: write ui/view_NAME.c defining `const ui_view view_NAME` (the face below: its name,
 * where it draws, and the functions it needs, the others NULL), and add it to explorer.c's table of
 * views (one extern, one row). Open it from a command with ui_view_open(u, "NAME") when it takes the
 * keys (as the map, the help, the picker and the prompt do) or ui_side_toggle(u, "NAME") when it is
 * shown beside the plot (as calcium and efficacy are). It keeps its own state (in its file, or in a
 * field below), draws only in draw(), asks for its jobs in sync() with ui_job_submit, and takes their
 * results in result(); it never calls another view or a command.
 * ADDING A KEY: one row in commands.c's table (keys.h); the help, the hints line and the man page
 * follow from it. A view that reads its own keys gives the hints line rows with its name in .view
 * (as the map does). */
#ifndef CSTDP_UI_H
#define CSTDP_UI_H

#include <curses.h>
#include <stdint.h>
#include <uv.h>

#include "batch.h"
#include "canvas.h"
#include "config.h"
#include "datafile.h"
#include "engine.h"
#include "history.h"
#include "jobs.h"
#include "keys.h"
#include "mapview.h"
#include "pace.h"
#include "params.h"
#include "pins.h"
#include "plot.h"
#include "presets.h"
#include "sliders.h"
#include "views.h"

/* The frequencies of the paper's Fig. 4B, drawn by the frequency overlay key. */
#define UI_OVERLAY_FREQS                                                                                     \
	{                                                                                                    \
		1, 20, 30, 40, 50                                                                            \
	}
#define UI_OVERLAY_COUNT 5
/* Analytic samples for Poisson trains: each is a Monte Carlo run of about a millisecond. */
#define UI_POISSON_SAMPLES 61

/* The explorer's job slots (jobs.h), one kind of computation each. */
enum {
	UI_JOB_CURVE,   /* requests.c: the analytic curve where it is a Monte Carlo */
	UI_JOB_VIEW,    /* view_chart.c: the costly views */
	UI_JOB_POINT,   /* requests.c: the analytic value at the cursor */
	UI_JOB_MAP,     /* view_map.c: the map's classes */
	UI_JOB_FIT,     /* requests.c: a fit to the measured data */
	UI_JOB_COMPARE, /* requests.c: the compared sets' curves for Poisson trains */
};

#define UI_TEXT_MAX 1024

typedef struct ui ui;

/* A one-line editor in the status line (view_prompt.c), opened by ui_prompt_open. */
typedef struct ui_prompt {
	char label[96];         /* shown before the text, e.g. "theta_p = " */
	char text[UI_TEXT_MAX]; /* what the user typed, NUL-terminated */
	int len, cursor;        /* bytes in text, insertion point */
	int yesno;              /* a y/n question: the next key answers it */
	/* What the answer does: the text on Enter; for a y/n question "y" or "". */
	void (*accept)(ui *u, const char *text);
} ui_prompt;

/* Roles for attributes beyond the plot's canvas colours. */
enum ui_role {
	UR_TITLE = CC_COUNT, /* the title line */
	UR_SELECTED,         /* the selected slider's row */
	UR_CHANGED,          /* the mark of a value that differs from the preset */
	UR_ERROR,            /* an error in the status line */
	UR_INFO,             /* a confirmation in the status line */
	UR_BAR,              /* a slider's bar */
	UR_KNOB,             /* its knob */
	UR_KEY,              /* a key name in the hints line and the help */
	UR_MAP_D,            /* the map's classes: D, P, DP, PD, DPD and any other (mapview_class_colour) */
	UR_MAP_P,
	UR_MAP_DP,
	UR_MAP_PD,
	UR_MAP_DPD,
	UR_MAP_OTHER,
	UR_COUNT
};

/* Where a view draws. */
enum ui_place {
	UI_AT_PLOT,   /* in the plot box, under a shorter plot when split says so (map, calcium) */
	UI_OVER,      /* a box over the screen (help, picker, report) */
	UI_AT_STATUS, /* in the status line (prompts) */
};

/* A view's face: the explorer calls the open view through it without knowing which it is. Every
 * function but draw may be NULL. */
typedef struct ui_view {
	const char *name; /* what ui_view_open and ui_side_toggle name it by */
	enum ui_place place;
	int hides_selection; /* the selected slider is not marked while it is open */
	void (*open)(ui *u);
	void (*close)(ui *u);
	/* A key while the view is open (it takes every key; NULL: any key closes it). */
	void (*key)(ui *u, int is_key, int ch);
	/* A mouse event while it is open (NULL: ignored). */
	void (*mouse)(ui *u, const MEVENT *ev);
	/* Ctrl-C while it is open: 1 when the view took it (a prompt cancels), 0: the explorer quits. */
	int (*interrupt)(ui *u);
	/* After the state changed: request what it will show (ui_job_submit), never draw. */
	void (*sync)(ui *u);
	/* UI_AT_PLOT: the plot area split between the curve and the view; 0 when the view takes it
	 * all (curve is then not drawn). */
	int (*split)(const ui *u, sliders_rect area, sliders_rect *curve, sliders_rect *own);
	/* Draw from the state alone into r (the status line, the plot area's part, or the screen);
	 * the title for the box or divider goes into title (may be left empty). */
	void (*draw)(ui *u, sliders_rect r, char *title, size_t len);
	/* A job it submitted finished (loop thread): status and err as jobs.h says; owns arg. */
	void (*result)(ui *u, int status, const char *err, void *arg);
	/* The explorer is ending: free what the view keeps. */
	void (*free)(ui *u);
} ui_view;

/* The map (view_map.c). The grid and the classes are the loop thread's; the job has its own copy. */
typedef struct ui_map {
	mapview_grid g;            /* the grid shown */
	int valid;                 /* g is made (for the current set, its size and axes) */
	int px, py;                /* the parameters asked for on x and y (the next grid takes them) */
	int cx, cy;                /* the map cursor: a cell (cy counts from the bottom) */
	char (*cls)[CLASSIFY_MAX]; /* the classes of g's cells, row cy at cy * g.x.n; NULL: computing */
	unsigned job;              /* the job computing them (jobs generation), 0: none */
	uint64_t t_submit;         /* uv_hrtime when it was submitted */
	double ms;                 /* how long the last grid took, ms */
	double tol;                /* the classes' tolerance (--tolerance) */
} ui_map;

/* The last costly calcium or efficacy view computed (view_chart.c). */
typedef struct ui_chart ui_chart;

struct ui {
	/* The loop and everything on it (explorer.c). */
	uv_loop_t loop;
	uv_poll_t input;           /* fd 0 readable */
	uv_signal_t sig[5];        /* SIGWINCH, SIGINT, SIGTERM, SIGHUP, SIGCONT */
	uv_check_t after_io;       /* after the loop's I/O (keys, the engine, jobs) and ... */
	uv_prepare_t after_timers; /* ... after its timers: a changed state gets its frame scheduled */
	uv_timer_t frame;          /* one-shot: the next frame, at most 20 a second */
	uv_timer_t msg_timer;      /* one-shot: a confirmation leaves the status line after a while */
	uv_timer_t job_timer;      /* repeating while a fit runs: its progress in the status line */
	uv_timer_t quit_timer;     /* one-shot, unreferenced: a quit leaves busy workers behind after it */
	int quit_timer_started;
	int input_started; /* input was initialised (so it must be closed) */
	int poll_fd;       /* what input polls: a second opening of the terminal, or fd 0 */
	int stdin_flags;   /* fd 0's file status flags at start (-1: unknown), given back on the way out */
	engine *eng;       /* NULL once closed */
	jobs *jobs;        /* background jobs; NULL once closed */
	int quitting;      /* the explorer is ending: no more frames or engine calls */
	int quit_asked;    /* ui_quit: the loop ends at once, with quit_status */
	int quit_status;
	int exit_status; /* what explorer_run returns */

	/* The tables the explorer runs on (set once by explorer.c). */
	const keys_command *commands; /* the command table (commands.c) */
	int ncommands;
	const ui_view *const *viewtab; /* every view, for ui_view_open and ui_side_toggle */
	int nviews;

	/* The terminal (screen.c). */
	SCREEN *scr;
	int utf8;              /* braille dots and box drawing, decided once at start */
	int colors;            /* colour pairs in use (not NO_COLOR, has_colors) */
	int theme;             /* theme.h's kind: as asked (--theme), then as detected by screen.c */
	config cfg;            /* the choices asked for (command line, else config.ini): what W remembers */
	int mouse;             /* the mouse is reported */
	attr_t attr[UR_COUNT]; /* per role: A_ attributes with the colour pair */
	char term_note[160];   /* told once in the status line: the TERM fallback */
	sliders_layout lay;
	canvas *cv;           /* the STDP plot's, remade when its size changes */
	sliders_rect cv_rect; /* where cv went on the screen in the last frame (w 0: not drawn) */
	plot_data shown;      /* the plot last drawn, for clicks on it (its arrays are not read) */
	views *views;         /* the calcium and efficacy views' canvas and caches */

	/* What is shown. */
	param_set params;    /* the current values (what the engine runs) */
	param_set reference; /* the preset's values: sliders differing from these are marked */
	char preset[64];     /* name of the preset or file the reference came from */
	int vis[P_COUNT];    /* the sliders shown: those relevant to the protocol, in panel order */
	int nvis;
	int selected;         /* index into vis */
	int first;            /* first slider row shown (scrolling) */
	int cursor;           /* the grid point under the plot's cursor */
	const ui_view *modal; /* the view that takes the keys (map, help, picker, prompt), or NULL */
	const ui_view *side;  /* the view beside the plot (calcium, efficacy), or NULL */
	enum views_kind view; /* the kind side shows (views.h), VIEWS_NONE without one */
	int present;          /* presentation mode: the plot takes the screen */
	int values_first;     /* presenting: the first parameter of the values line */
	int help_first;       /* first line shown by the help (it scrolls on short screens) */
	int coarse;           /* Left/Right take the coarse step */
	int show_analytic;    /* the analytic curve is drawn */
	int freq_overlay;     /* pairs: the analytic curves at UI_OVERLAY_FREQS too (Fig. 4B) */
	double *fo;           /* their samples: for each frequency fo_n x values, then fo_n y values */
	int fo_n;
	int yfixed;  /* y range fixed to the seed's 0.3 .. 1.7 instead of fitted to the data */
	int glyphs;  /* the plot's glyph set: 1 + canvas_mode, 0 for the terminal's default */
	int repaint; /* the next frame repaints the whole screen (Ctrl-L) */
	ui_prompt prompt;
	char msg[UI_TEXT_MAX];  /* in the status line until the next key (a confirmation: 3 s at most) */
	int msg_error;          /* msg is an error (drawn as such) */
	presets_entry *presets; /* the picker's list */
	int npresets, preset_sel, preset_first;
	int drag;                /* index of the slider whose bar the mouse is dragging, or -1 */
	double reps_step;        /* what + adds: the starting --reps */
	char confirm_path[4096]; /* a file that exists and was named once: the next save replaces it */
	int alt_curve;           /* the analytic curve is alt's (the map cursor's cell), not params' */
	param_set alt;
	const char *alt_label; /* its legend */

	/* The curve: the engine's latest counts as rows, for the plot and the CSV export. */
	batch_row *rows;
	int points, rows_cap;
	double *px, *py, *plo, *phi; /* the rows as the plot takes them ([rows_cap]) */
	double *ax, *ay;             /* analytic samples */
	int na, ax_cap;
	int analytic_stale; /* params or plot size changed since ax/ay were computed */
	uint64_t reps_requested, reps_done, reps_total, seed;
	double steps_per_s;
	double elapsed_s; /* the generation's wall time so far (paused time excluded) */
	int complete, paused;
	unsigned generation; /* of the rows shown */

	/* What requests.c asked the jobs for, so that a request is submitted once. */
	int curve_pending; /* an analytic curve job for the fields below is running */
	param_set curve_p; /* its parameters */
	double curve_xmin, curve_xmax;
	int curve_n;
	param_set point_p; /* the cursor's analytic value: for these parameters */
	double point_x;    /* and this x */
	int point_valid;   /* point_change holds it */
	int point_pending; /* a job computes it */
	double point_change;
	ui_chart *chart; /* view_chart.c's last costly view and its request */

	/* Measured data, compared sets, pinned curves, undo and fits. */
	datafile *data; /* the data sets drawn and fitted: --data's, or the preset's own */
	int ndata;
	int data_given;           /* --data was given: loading a preset keeps those */
	datafile data0;           /* the start's own data set (its preset's or file's), for undo */
	int ndata0;               /* 0 or 1 */
	char preset0[64];         /* the start's preset name (ui_begin) */
	param_set *compare;       /* --compare sets as loaded; their [model] and [readout] values are
	                           * drawn on the current protocol */
	char (*compare_name)[64]; /* their names */
	int ncompare;
	double *cmp_x, *cmp_y; /* the compared sets' analytic samples, ncompare x cmp_n each */
	int cmp_n;
	param_set cmp_req;         /* Poisson: the first set the pending job computes, */
	double cmp_xmin, cmp_xmax; /* over this range (a finished job installs only if they match) */
	int cmp_pending;           /* that job has not finished */
	pins pins;                 /* pinned curves */
	history hist;              /* undo and redo */
	int history_quiet;         /* a history entry is being restored: ui_set_params records nothing */
	const char *change_label;  /* what the next ui_set_params does, for the history ("preset DP") */
	unsigned char fit_mark[P_COUNT]; /* parameters marked for the next fit */
	int fit_wanted;                  /* 1: start a fit of the marked parameters; -1: cancel it */
	unsigned fit_job;                /* generation of the fit running, 0: none */
	char report[4096];               /* the last fit's report (the report view) */
	plot_layer *layers;              /* the overlay layers of the last frame, and their storage */
	char (*legends)[160];
	double *lbuf;
	size_t lbuf_cap;

	/* The link's pace (explorer.c): a byte budget refilled at link_rate, which pace.c measures. */
	pace pace;               /* the link's rate, from the terminal's answers */
	pace_filter keys_filter; /* takes those answers out of the keys */
	FILE *keys_in;           /* what curses reads: the keys, filtered (a pipe); NULL: stdin itself */
	int keys_w;              /* the pipe's end the keys go into; -1: none */
	uv_timer_t keys_timer;   /* lets a sequence cut short go to curses when no more bytes come */
	double link_rate;        /* bytes/s; 0: no pacing */
	double link_tokens;      /* bytes that may go out now (negative: owed) */
	uint64_t link_t;         /* uv_now of the last refill, ms */
	uint64_t last_key;       /* uv_now of the last key, ms */
	uint64_t first_key;      /* uv_now of the first key since the last frame, ms */
	int key_now;             /* a key after a pause: its frame goes out at once */
	uint64_t link_sig;       /* the layout of the last frame (a change is drawn at once) */
	int link_complete_shown; /* the last frame showed a complete run */
	double link_bytes;       /* written to the terminal so far */

	/* Frames. */
	int dirty;             /* something changed since the last frame */
	int changed;           /* something changed since the last sync (views' and requests') */
	uint64_t last_frame;   /* uv_now of the last frame, ms */
	int frames;            /* drawn so far */
	const char *dump_path; /* CALCIUM_STDP_DUMP: write the shown curve there when a run completes */
	int dump_pending;      /* a run completed: dump after its frame is drawn */

	ui_map map; /* the map view's */

	/* A lesson played or recorded (play.c, which fills these), and the caption lines it shows under
	 * the boxes (frame.c draws them; ui_layout makes room for caption_rows). */
	struct play *play;
	/* The recorder's two commands (W and w), handed in by explorer.c as it hands in the views, so
	 * that the command table reaches the recorder without depending on it; NULL: none. */
	void (*record_toggle)(struct ui *u);
	void (*record_step)(struct ui *u);
	int caption_rows;          /* 0: none; 1: the heading; 3: the heading and two caption lines */
	char caption[3][192];      /* the heading, then the caption lines */
	sliders_rect caption_rect; /* where they go (ui_layout) */
	/* While a lesson plays: the hints line in place of the command table's ("KEY what", two blanks
	 * apart), since the lesson takes some of the keys; "": the table's. */
	char lesson_hints[160];
};

/* ---- ui.c: the state's interface ---- */

/* A new state with the explorer's defaults, or NULL when out of memory; ui_free frees it and
 * everything it holds. The caller sets what the command line gave, then calls ui_begin: the state
 * as set is the first entry of the undo history. */
ui *ui_new(void);
void ui_begin(ui *u);
/* Copies of the measured data sets (data_given: the command line's, which a preset load keeps) and
 * of the compared sets with their names, to draw and fit; 0, or -1 when out of memory. */
int ui_set_overlays(ui *u, const datafile *data, int ndata, int data_given, const param_set *compare,
                    const char (*names)[64], int ncompare);
void ui_free(ui *u);

/* Something changed: a frame is due, and the views and requests look at the state again. */
void ui_dirty(ui *u);
/* A line in the status line (error: until the next key; else for a few seconds). */
void ui_message(ui *u, int error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* End the explorer with status (the loop closes after the current key). */
void ui_quit(ui *u, int status);
/* q, wherever it is pressed: end at once, or ask first when the parameters are not saved. */
void ui_quit_ask(ui *u);

/* Make p the current set: check it, restart the engine, record it for undo. On a refused set the
 * old one is kept and the reason shown; returns 0 or -1. */
int ui_set_params(ui *u, const param_set *p);
/* The engine's latest counts (engine.h's update callback; user is the ui). */
void ui_engine_update(const engine_snapshot *s, void *user);
/* The layout for the screen's size, the sliders shown and presenting. */
void ui_layout(ui *u);
attr_t ui_attr(const ui *u, int role);
/* Whether the parameters differ from the preset's (the "*" after its name). */
int ui_unsaved(const ui *u);

void ui_select(ui *u, int index); /* select slider index (clamped, scrolled into view) */
void ui_cursor_set(ui *u, int i); /* the cursor on grid point i (clamped) */
void ui_present_toggle(ui *u);
/* The plot's glyph set now (braille, block, ascii; ascii only without UTF-8). */
canvas_mode ui_glyphs(const ui *u);

/* Open the view named name as the one that takes the keys (closing the one open), or close it. */
void ui_view_open(ui *u, const char *name);
void ui_view_close(ui *u);
/* Show the view named name beside the plot, or the plot alone when it is shown already. */
void ui_side_toggle(ui *u, const char *name);
/* The view in the plot area: the open one if it draws there, else the side view; NULL: none. */
const ui_view *ui_plot_view(const ui *u);
/* Open the status line's prompt (the "prompt" view). */
void ui_prompt_open(ui *u, const char *label, const char *text, int yesno,
                    void (*accept)(ui *u, const char *text));

/* Undo history: record the current state as label; step back or forward. */
void ui_record(ui *u, const char *label);
void ui_undo(ui *u);
void ui_redo(ui *u);
/* A preset was loaded from path: its data set replaces the last one unless --data was given. */
void ui_preset_data(ui *u, const char *path);

/* The set the analytic curve is drawn for: alt while a view put it there (the map cursor's). */
const param_set *ui_curve_params(const ui *u);
/* Where the curve goes in the plot area; 0 when it is not drawn (a view takes the area). */
int ui_curve_rect(const ui *u, sliders_rect *r);
/* The plot's canvas sized w x h in the current glyphs (a new one needs the curve sampled again). */
int ui_plot_canvas(ui *u, int w, int h);
/* The plot's data made from the state, without its overlay layers and y range (requests.c samples
 * from it, plotbox.c adds the rest); cols: the plot's width, for the legend's words. */
void ui_plot_base(const ui *u, plot_data *d, int cols);
/* The grid point under screen column x, row y of the plot last drawn, or -1. */
int ui_plot_point_at(const ui *u, int x, int y);

/* The rows as --batch's CSV into path, under inisave.h's careful rules; full receives the path
 * written. Returns an inisave code. */
int ui_write_csv(const char *path, const param_set *p, const batch_row *rows, int n, unsigned flags,
                 char *full, size_t fulllen, char *err, size_t errlen);

/* Submit a job for view v: its result comes to v->result on the loop thread. */
unsigned ui_job_submit(ui *u, const ui_view *v, int slot, const char *what, jobs_work_fn work, void *arg);

#endif
