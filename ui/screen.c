/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The terminal: opening it (with a fallback for a TERM this machine's terminfo lacks), colours that
 * read in 8 colours, in monochrome and on a projector, the mouse, resizing, and giving it back. */
#include "screen.h"

#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <term.h>
#include <unistd.h>

#include "plot.h"
#include "theme.h"

/* The terminal type tried when $TERM is unknown here (xterm-kitty, alacritty on Debian 12). */
#define FALLBACK_TERM "xterm-256color"

/* Braille and box drawing need a UTF-8 locale and a font that has them: the Linux console lacks
 * braille. Decided once, like htop does. */
static int want_utf8(int force_ascii)
{
	const char *term = getenv("TERM");
	if (force_ascii)
		return 0;
	if (term && strncmp(term, "linux", 5) == 0)
		return 0;
	return strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
}

static int open_terminal(ui *u, char *err, size_t errlen)
{
	const char *term = getenv("TERM");
	int known = 0;
	/* Look the type up first: newterm, unlike initscr, returns NULL for an unknown terminal
	 * instead of exiting, but keeps some memory it allocated for it. */
	if (term && *term && setupterm(term, STDOUT_FILENO, &known) == OK) {
		/* A terminal that cannot move the cursor (dumb, and printing terminals) would get the
		 * whole screen on one line: refused, with what works there instead. */
		const char *cup = tigetstr("cup");
		int addressable = cup && cup != (char *)-1;
		del_curterm(cur_term);
		if (!addressable) {
			snprintf(
			    err, errlen,
			    "the terminal '%s' cannot move the cursor, which the explorer needs; use --plot "
			    "for a text plot or --batch for CSV, or set TERM to your terminal's type",
			    term);
			u->exit_status = 2;
			return -1;
		}
		u->scr = newterm(NULL, stdout, u->keys_in ? u->keys_in : stdin);
	}
	if (!u->scr) {
		u->scr = newterm(FALLBACK_TERM, stdout, u->keys_in ? u->keys_in : stdin);
		if (!u->scr) {
			snprintf(err, errlen,
			         "cannot use the terminal type '%s', nor %s: set TERM to a type that "
			         "'toe -a' lists",
			         term && *term ? term : "(unset)", FALLBACK_TERM);
			return -1;
		}
		snprintf(u->term_note, sizeof u->term_note, "TERM '%s' is unknown here: using %s",
		         term && *term ? term : "(unset)", FALLBACK_TERM);
	}
	set_term(u->scr);
	return 0;
}

/* Roles to attributes: colour where it helps, and an attribute that still tells things apart
 * without colour (NO_COLOR, monochrome terminals, washed-out projectors). */
static void setup_attrs(ui *u)
{
	static const struct {
		int role;
		short fg;     /* -1: the terminal's default */
		attr_t color; /* with colour */
		attr_t mono;  /* without */
	} roles[] = {
	    {CC_DEFAULT, -1, A_NORMAL, A_NORMAL},
	    {CC_AXIS, -1, A_NORMAL, A_NORMAL},
	    /* Grey where the palette has one that reads (dim does not show in xterm, and a colour
	     * beside the others' costs less on the link than dim's resets), else dim. */
	    {CC_REF, COLOR_WHITE, A_DIM, A_DIM},
	    /* In colour the simulation's colour sets it apart, and the curve's cells beside its points
	     * and bars share their attributes: a change between the two costs only a colour on the
	     * link, not a reset of the attributes and the colour again (20 bytes). */
	    {CC_SIM, COLOR_BLUE, A_NORMAL, A_BOLD},
	    {CC_INTERVAL, -1, A_NORMAL, A_NORMAL},
	    {CC_ANALYTIC, COLOR_RED, A_NORMAL, A_NORMAL},
	    {CC_EXP, COLOR_GREEN, A_BOLD, A_BOLD},
	    {CC_LABEL, -1, A_NORMAL, A_NORMAL},
	    {CC_OVERLAY, COLOR_MAGENTA, A_NORMAL, A_NORMAL},
	    {CC_OVERLAY2, COLOR_CYAN, A_NORMAL, A_NORMAL},
	    {CC_OVERLAY3, COLOR_YELLOW, A_NORMAL, A_NORMAL},
	    {CC_CURSOR, -1, A_BOLD, A_BOLD},
	    {UR_TITLE, -1, A_REVERSE | A_BOLD, A_REVERSE | A_BOLD},
	    {UR_SELECTED, -1, A_REVERSE, A_REVERSE},
	    {UR_CHANGED, COLOR_MAGENTA, A_BOLD, A_BOLD},
	    {UR_ERROR, COLOR_RED, A_BOLD, A_BOLD | A_UNDERLINE},
	    {UR_INFO, COLOR_GREEN, A_NORMAL, A_BOLD},
	    {UR_BAR, -1, A_NORMAL, A_NORMAL},
	    {UR_KNOB, COLOR_BLUE, A_BOLD, A_BOLD},
	    {UR_KEY, -1, A_BOLD, A_BOLD},
	    /* The map: the letters say the class; colour only helps the eye. */
	    {UR_MAP_D, COLOR_BLUE, A_BOLD, A_NORMAL},
	    {UR_MAP_P, COLOR_RED, A_BOLD, A_BOLD},
	    {UR_MAP_DP, COLOR_MAGENTA, A_BOLD, A_NORMAL},
	    {UR_MAP_PD, COLOR_GREEN, A_BOLD, A_NORMAL},
	    {UR_MAP_DPD, COLOR_CYAN, A_BOLD, A_NORMAL},
	    {UR_MAP_OTHER, COLOR_YELLOW, A_BOLD, A_UNDERLINE},
	};
	const char *no_color = getenv("NO_COLOR");
	if (no_color && *no_color)
		u->theme = THEME_MONO;
	/* The background decides the palette: asked of the terminal (--theme auto), or as told. */
	u->theme = theme_detect(u->theme, STDIN_FILENO, 150);
	u->colors = has_colors() && u->theme != THEME_MONO;
	if (u->colors) {
		start_color();
		short bg = use_default_colors() == OK ? -1 : (short)theme_bg(u->theme);
		if (bg != -1) /* no default colours: the theme's background everywhere */
			assume_default_colors(u->theme == THEME_LIGHT ? COLOR_BLACK : COLOR_WHITE, bg);
		int ncolors = COLORS >= 256 ? 256 : COLORS >= 16 ? 16 : COLORS;
		for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++) {
			short pair = (short)(i + 1);
			int c = roles[i].fg == -1 ? -1 : theme_fg(u->theme, ncolors, roles[i].fg);
			attr_t bold = 0;
			if (c >= 8 && ncolors < 16) { /* bold shows the bright colour */
				c -= 8;
				bold = A_BOLD;
			}
			if (c != -1 && pair < COLOR_PAIRS && init_pair(pair, (short)c, bg) == OK)
				u->attr[roles[i].role] = (roles[i].color & ~(attr_t)A_DIM) | bold | COLOR_PAIR(pair);
			else
				u->attr[roles[i].role] = roles[i].color;
		}
	} else {
		for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
			u->attr[roles[i].role] = roles[i].mono;
	}
}

/* Clicks and drags on the sliders. curses asks the terminal for presses and releases (xterm mode
 * 1000); button-event tracking (mode 1002) adds motion while a button is held, which a drag needs,
 * and still sends nothing for a mouse merely passing over the screen. */
static void setup_mouse(ui *u)
{
	/* A press and a release that arrive together (a quick click over SSH) reach us as one click,
	 * whatever mouseinterval says: without BUTTON1_CLICKED in the mask it would be dropped. */
	mmask_t want = BUTTON1_PRESSED | BUTTON1_RELEASED | BUTTON1_CLICKED | BUTTON4_PRESSED |
	               BUTTON5_PRESSED | REPORT_MOUSE_POSITION;
	u->mouse = mousemask(want, NULL) != 0;
	/* Press and release as they come: no waiting to tell a click from a double click. */
	mouseinterval(0);
	const char *kmous = tigetstr("kmous"), *term = termname();
	if (u->mouse && kmous && kmous != (char *)-1 && term &&
	    (strstr(term, "xterm") || strstr(term, "screen") || strstr(term, "tmux") || strstr(term, "rxvt")))
		u->mouse = 2;
}

void screen_mouse_drag(ui *u, int on)
{
	if (u->mouse != 2)
		return;
	/* Straight to the terminal, after curses has flushed its own mouse set-up (it queues that
	 * until its first output), since the last mode set wins. */
	fputs(on ? "\033[?1002h" : "\033[?1002l", stdout);
	fflush(stdout);
}

int screen_open(ui *u, int force_ascii, char *err, size_t errlen)
{
	u->utf8 = want_utf8(force_ascii);
	if (open_terminal(u, err, errlen) < 0)
		return -1;
	cbreak(); /* not raw: Ctrl-C and Ctrl-Z keep working, as signals */
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE); /* the loop waits, not curses */
	intrflush(stdscr, FALSE);
	leaveok(stdscr, FALSE);
	curs_set(0);
	set_escdelay(50); /* a lone Esc in a prompt must not take a second */
	typeahead(-1);    /* a frame goes out whole even while keys wait: the pace is explorer.c's */
	setup_attrs(u);
	setup_mouse(u);
	screen_resize(u);
	return 0;
}

void screen_resize(ui *u)
{
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0 &&
	    (ws.ws_row != LINES || ws.ws_col != COLS))
		resizeterm(ws.ws_row, ws.ws_col);
	ui_layout(u);
}

void screen_close(ui *u)
{
	if (!u->scr)
		return;
	screen_mouse_drag(u, 0);
	mousemask(0, NULL);
	curs_set(1);
	endwin();
	delscreen(u->scr);
	u->scr = NULL;
	canvas_free(u->cv);
	u->cv = NULL;
}
