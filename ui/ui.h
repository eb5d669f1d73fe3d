/* The explorer's shared state and the functions its modules call on each other. Only the explorer
 * (ui/) includes curses; the core (src/) knows nothing of it.
 *   explorer.c - explorer_run: the loop, its handles, the engine, actions (save, export, presets)
 *   screen.c   - the terminal: open (with a TERM fallback), colours, mouse, resize, close
 *   draw.c     - one frame: title, sliders, plot, status, hints, overlays, the too-small message
 *   input.c    - keys and the mouse, the one-line editor of prompts
 *   help.c     - the list of keys (help screen and hints line)
 *   sliders.c  - pure slider and layout maths (no curses)
 *   views.c    - the calcium and efficacy views at the cursor (no curses)
 *   bg.c       - jobs on the threadpool for what can take longer than a frame (jobs.h)

 *   overlays.c - measured data, compared sets and pinned curves as plot layers; undo and redo;
 *                the fit as a background job and its report
 *   history.c, pins.c - undo history and pinned curves (no curses) */
#ifndef CSTDP_UI_H
#define CSTDP_UI_H

#include <curses.h>
#include <stdint.h>
#include <uv.h>

#include "batch.h"
#include "canvas.h"
#include "datafile.h"
#include "engine.h"
#include "explorer.h"
#include "fit.h"
#include "help.h"
#include "history.h"
#include "inifile.h"
#include "inisave.h"
#include "jobs.h"
#include "mapview.h"
#include "presets.h"
#include "jobs.h"
#include "params.h"
#include "plot.h"

/* The frequencies of the paper's Fig. 4B, drawn by the frequency overlay key. */
#define UI_OVERLAY_FREQS                                                                                     \
	{                                                                                                    \
		1, 20, 30, 40, 50                                                                            \
	}
#define UI_OVERLAY_COUNT 5
#include "pins.h"
#include "plot.h"
#include "sliders.h"
#include "views.h"

/* What the keyboard is talking to. */
enum ui_mode {
	UI_NORMAL,  /* sliders and action keys */
	UI_PROMPT,  /* a one-line editor in the status line */
	UI_HELP,    /* the key list; any key closes it */
	UI_PRESETS, /* the preset picker */
	UI_MAP,     /* the map of curve classes: its cursor, Enter loads a cell */
	UI_REPORT,  /* the last fit's report; any key closes it */
};

/* The explorer's job slots (jobs.h), one kind of computation each. */
enum {
	UI_JOB_CURVE,   /* bg.c: the analytic curve where it is a Monte Carlo */
	UI_JOB_VIEW,    /* bg.c: the costly views */
	UI_JOB_POINT,   /* bg.c: the analytic value at the cursor */
	UI_JOB_MAP,     /* mapview.c: the map's classes */
	UI_JOB_FIT,     /* overlays.c: a fit to the measured data */
	UI_JOB_COMPARE, /* overlays.c: the compared sets' curves for Poisson trains */
};

/* What an open prompt's text is for. */
enum ui_prompt_kind {
	PROMPT_VALUE,  /* an exact value for the selected parameter */
	PROMPT_SAVE,   /* a file name for the INI file */
	PROMPT_EXPORT, /* a file name for the CSV file */
	PROMPT_QUIT,   /* y/n: quit with unsaved changes? */
};

#define UI_TEXT_MAX 1024

typedef struct ui_prompt {
	enum ui_prompt_kind kind;
	char label[96];         /* shown before the text, e.g. "theta_p = " */
	char text[UI_TEXT_MAX]; /* what the user typed, NUL-terminated */
	int len, cursor;        /* bytes in text, insertion point */
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

/* bg.c's last finished costly view (its views object owns the chart). */
typedef struct bg_view_result bg_view_result;
/* The map (mapview.c). The grid and the classes are the loop thread's; the job has its own copy. */
typedef struct ui_map {
	mapview_grid g;            /* the grid shown */
	int valid;                 /* g is made (for the current set, its size and axes) */
	int px, py;                /* the parameters asked for on x and y (the next grid takes them) */
	int cx, cy;                /* the map cursor: a cell (cy counts from the bottom) */
	param_set cell;            /* the cursor cell's set: the plot's analytic curve shows it */
	char (*cls)[CLASSIFY_MAX]; /* the classes of g's cells, row cy at cy * g.x.n; NULL: computing */
	unsigned job;              /* the job computing them (jobs generation), 0: none */
	uint64_t t_submit;         /* uv_hrtime when it was submitted */
	double ms;                 /* how long the last grid took, ms */
	double tol;                /* the classes' tolerance (--tolerance) */
} ui_map;

typedef struct ui {
	/* The loop and everything on it. */
	uv_loop_t loop;
	uv_poll_t input;       /* fd 0 readable */
	uv_signal_t sig[5];    /* SIGWINCH, SIGINT, SIGTERM, SIGHUP, SIGCONT */
	uv_timer_t frame;      /* one-shot: the next frame, at most 20 a second */
	uv_timer_t msg_timer;  /* one-shot: a confirmation leaves the status line after a while */
	uv_timer_t job_timer;  /* repeating while a fit runs: its progress in the status line */
	uv_timer_t quit_timer; /* one-shot, unreferenced: a quit leaves busy workers behind after it */
	int quit_timer_started;
	int input_started; /* input was initialised (so it must be closed) */
	int poll_fd;       /* what input polls: a second opening of the terminal, or fd 0 */
	int stdin_flags;   /* fd 0's file status flags at start (-1: unknown), given back on the way out */
	engine *eng;       /* NULL once closed */
	jobs *jobs;        /* background jobs (bg.c, the map); NULL once closed */
	int quitting;      /* ui_quit ran: no more frames or engine calls */
	int exit_status;   /* what explorer_run returns */

	/* The terminal. */
	SCREEN *scr;
	int utf8;              /* braille dots and box drawing, decided once at start */
	int colors;            /* colour pairs in use (not NO_COLOR, has_colors) */
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
	enum views_kind view; /* the view shown with (or instead of) the plot */
	int present;          /* presentation mode: the plot takes the screen */
	int values_first;     /* presenting: the first parameter of the values line */
	int help_first;       /* first key shown by the help (it scrolls on short screens) */
	int coarse;           /* Left/Right take the coarse step */
	int show_analytic;    /* the analytic curve is drawn */
	int freq_overlay;     /* pairs: the analytic curves at UI_OVERLAY_FREQS too (Fig. 4B) */
	double *fo;           /* their samples: for each frequency fo_n x values, then fo_n y values */
	int fo_n;
	int yfixed; /* y range fixed to the seed's 0.3 .. 1.7 instead of fitted to the data */
	int glyphs; /* the plot's glyph set: 1 + canvas_mode, 0 for the terminal's default */
	enum ui_mode mode;
	ui_prompt prompt;
	char msg[UI_TEXT_MAX];  /* in the status line until the next key (a confirmation: 3 s at most) */
	int msg_error;          /* msg is an error (drawn as such) */
	presets_entry *presets; /* the picker's list (UI_PRESETS) */
	int npresets, preset_sel, preset_first;
	int drag;                /* index of the slider whose bar the mouse is dragging, or -1 */
	double reps_step;        /* what + adds: the starting --reps */
	char confirm_path[4096]; /* a file that exists and was named once: the next save replaces it */

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

	/* Background jobs (bg.c): what is being computed, so that a request is submitted once. */
	int bg_curve_pending; /* an analytic curve job for the fields below is running */
	param_set bg_curve_p; /* its parameters */
	double bg_curve_xmin, bg_curve_xmax;
	int bg_curve_n;
	bg_view_result *bg_view; /* the last costly view computed (NULL: none yet) */
	void *bg_view_key;       /* the view being computed (bg.c's key) */
	int bg_view_pending;     /* a view job for bg_view_key is running */
	param_set bg_point_p;    /* the cursor's analytic value: for these parameters */
	double bg_point_x;       /* and this x */
	int bg_point_valid;      /* bg_point_change holds it */
	int bg_point_pending;    /* a job computes it */
	double bg_point_change;

	/* Measured data, compared sets, pinned curves, undo and fits (overlays.c). */
	datafile *data; /* the data sets drawn and fitted: --data's, or the preset's own */
	int ndata;
	int data_given;           /* --data was given: loading a preset keeps those */
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
	unsigned fit_job;                /* generation of the fit running, 0: none */
	char report[4096];               /* the last fit's report (UI_REPORT) */
	plot_layer *layers;              /* the overlay layers of the last frame, and their storage */
	char (*legends)[160];
	double *lbuf;
	size_t lbuf_cap;

	/* The link's pace (explorer.c): a byte budget refilled at link_rate. */
	double link_rate;        /* bytes/s; 0: no pacing */
	double link_tokens;      /* bytes that may go out now (negative: owed) */
	uint64_t link_t;         /* uv_now of the last refill, ms */
	uint64_t last_key;       /* uv_now of the last key, ms */
	int key_now;             /* a key after a pause: its frame goes out at once */
	uint64_t link_sig;       /* the layout of the last frame (a change is drawn at once) */
	int link_complete_shown; /* the last frame showed a complete run */
	double link_bytes;       /* written to the terminal so far */

	/* Frames. */
	int dirty;             /* something changed since the last frame */
	uint64_t last_frame;   /* uv_now of the last frame, ms */
	int frames;            /* drawn so far */
	const char *dump_path; /* CALCIUM_STDP_DUMP: write the shown curve there when a run completes */
	int dump_pending;      /* a run completed: dump after its frame is drawn */

	ui_map map; /* UI_MAP */
} ui;

/* screen.c */
int screen_open(ui *u, int force_ascii, char *err, size_t errlen);
void screen_close(ui *u);
/* Follow the terminal's size (after SIGWINCH): resize curses, recompute the layout. */
void screen_resize(ui *u);
/* The layout for the screen's size, the sliders shown and the mode. */
void screen_layout(ui *u);
attr_t screen_attr(const ui *u, int role);
/* Motion reports while a button is held (xterm mode 1002), on top of curses' presses and releases:
 * after the first frame and after a resume from Ctrl-Z, whose curses set-up replaced it. */
void screen_mouse_drag(ui *u, int on);

/* draw.c */
void draw_frame(ui *u);
/* The grid point under a click at screen column x, row y on the plot, or -1. */
int draw_plot_point_at(ui *u, int x, int y);
/* The plot's glyph set now, and the next one (braille, block, ascii; ascii only without UTF-8). */
canvas_mode draw_glyphs(const ui *u);
void draw_cycle_glyphs(ui *u);

/* bg.c */
int bg_start(ui *u);
/* Cancel every job (their results are dropped). */
void bg_close(ui *u);
/* Free the results kept (after the loop has ended). */
void bg_free(ui *u);
/* The analytic curve of u->params at n points over xmin..xmax into u->ax, u->ay, u->na, computed on
 * the threadpool: u->na is 0 until it is done, then u->analytic_stale is cleared and a frame drawn. */
void bg_analytic_curve(ui *u, double xmin, double xmax, int n);
/* views_render of u->params, on the threadpool when it can take long: 0 with out filled (maybe the
 * last result of that kind while a new one is computed: its title says so), 1 while computing
 * (out has a title only), -1 when the view does not fit. */
int bg_view(ui *u, enum views_kind kind, int index, uint64_t seed, int w, int h, canvas_mode mode,
            views_out *out);
/* The analytic change at x under u->params: 1 with *change set, 0 while it is being computed. */
int bg_point_analytic(ui *u, double x, double *change);
/* "computing analytic curve 40%" while a job runs (1), else an empty buf (0). */
int bg_status(const ui *u, char *buf, size_t len);
/* mapview.c: the map of curve classes (UI_MAP) */
void mapview_open(ui *u);
void mapview_close(ui *u);
void mapview_keypress(ui *u, int is_key, int ch);
/* The map in r; its title goes into title. */
void mapview_draw(ui *u, sliders_rect r, char *title, size_t len);
/* The set whose analytic curve the plot draws: the map cursor's cell while the map is open. */
const param_set *mapview_curve_params(const ui *u);

/* input.c */
/* Everything waiting on the keyboard; returns -1 when the terminal is gone. */
int input_drain(ui *u);
/* Ctrl-C (SIGINT) arrived: in a prompt it cancels the prompt and returns 1 (a second Ctrl-C then
 * quits); otherwise returns 0 and the caller quits. */
int input_interrupt(ui *u);

/* help.c (the key table itself is in help.h) */
void help_draw(ui *u);
/* A key while the help is open: Up/Down and the page keys scroll a help taller than the screen,
 * any other key closes it. */
void help_keypress(ui *u, int is_key, int ch);
/* The hints line, cut to width. */
void help_draw_hints(ui *u, int y, int width);

/* explorer.c: actions and frame scheduling, for input.c */
void ui_dirty(ui *u);
void ui_message(ui *u, int error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Make p the current set: check it, restart the engine, recompute the analytic curve. On a refused
 * set the old one is kept and the reason shown; returns 0 or -1. */
int ui_set_params(ui *u, const param_set *p);
void ui_quit(ui *u, int status);
void ui_new_seed(ui *u);
void ui_more_reps(ui *u);
void ui_toggle_pause(ui *u);
void ui_save(ui *u, const char *path);
void ui_export(ui *u, const char *path);
void ui_presets_open(ui *u);
void ui_presets_pick(ui *u);
void ui_presets_close(ui *u);
/* Put the cursor on grid point i (clamped). */
void ui_cursor_set(ui *u, int i);
/* Show view k, or the plot alone when k is already shown. */
void ui_view_toggle(ui *u, enum views_kind k);
void ui_present_toggle(ui *u);

/* overlays.c */
/* Take the command line's data and compared sets (copies); start the history. 0, or -1 when out of
 * memory. */
int overlays_init(ui *u, const explorer_opts *o);
void overlays_free(ui *u);
/* The compared sets' analytic curves over d's x range, as many samples as the analytic curve has
 * (when that is sampled again). */
void overlays_sample(ui *u, const plot_data *d);
/* The layers of data sets, compared sets and pins for the frame's plot. */
void overlays_layers(ui *u, plot_data *d);
/* After ui_set_params accepted p: record the change for undo (unless restoring one). */
void overlays_changed(ui *u, const param_set *old);
/* Record the current state for undo as a change named label (a preset load, with its reference). */
void overlays_record(ui *u, const char *label);
/* A preset was loaded from path: its data set replaces the last one unless --data was given. */
void overlays_preset_data(ui *u, const char *path);
void ui_undo(ui *u);
void ui_redo(ui *u);
void ui_pin(ui *u);
void ui_pins_clear(ui *u);
/* Mark or unmark the selected parameter for the fit. */
void ui_fit_mark(ui *u);
/* Start the fit in the background (its progress in the status line); when it finishes the sliders
 * move to the fit and the report is shown. A second press cancels a fit that runs. */
void ui_fit(ui *u);
/* The report box over the plot (UI_REPORT). */
void overlays_draw_report(ui *u);

#endif
