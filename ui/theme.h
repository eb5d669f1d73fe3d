/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The explorer's colour themes, without curses: a palette of foreground colours per role for a dark
 * and a light background (and mono: none), in the terminal's 256, 16 or 8 colours, chosen so that
 * each reads on its background in xterm's default palette (a contrast ratio of at least
 * THEME_MIN_CONTRAST, tests/test_theme.c computes it); and which background the terminal has: its
 * answer to the OSC 11 query, else COLORFGBG, else dark. */
#ifndef CSTDP_THEME_H
#define CSTDP_THEME_H

#include <stddef.h>

enum theme_kind { THEME_AUTO = 0, THEME_DARK, THEME_LIGHT, THEME_MONO };

/* WCAG's threshold for normal text. */
#define THEME_MIN_CONTRAST 4.5

/* "light", "dark", "mono" (or "auto") to a theme_kind; -1 for another name. */
int theme_parse(const char *name);
const char *theme_name(int kind);

/* The foreground for a hue (the ANSI colour numbers 1 red, 2 green, 3 yellow, 4 blue, 5 magenta,
 * 6 cyan, and 7 for a grey, fainter than the default, where the palette has one that reads; others:
 * the default) in a theme on a terminal of ncolors colours (256, 16 or 8): a colour
 * number, or -1 for the terminal's default foreground (THEME_MONO: always). On 8 colours a number
 * from 8 to 15 means colour n - 8 drawn bold, which xterm shows as colour n. */
int theme_fg(int kind, int ncolors, int hue);
/* The background the theme assumes (xterm's default: white for light, black for dark). */
int theme_bg(int kind);

/* xterm's default RGB for colour number i (0 .. 255), as 0xRRGGBB. */
unsigned theme_xterm_rgb(int i);
/* The contrast ratio of two colours 0xRRGGBB (1 to 21; WCAG 2). */
double theme_contrast(unsigned a, unsigned b);

/* The background's kind from an OSC 11 reply ("\033]11;rgb:RRRR/GGGG/BBBB\033\\" or BEL-ended):
 * THEME_LIGHT or THEME_DARK by its relative luminance, 0 when it is not such a reply. */
int theme_from_osc11(const char *reply, size_t len);
/* From COLORFGBG ("15;0", "0;default;15"): the last field is the background's colour number;
 * 0 when it says nothing. */
int theme_from_colorfgbg(const char *v);
/* Ask the terminal on fd (its input and output) for its background with OSC 11, waiting at most
 * timeout_ms for the answer; THEME_LIGHT, THEME_DARK, or 0 when it did not answer. fd is put in
 * raw mode meanwhile and given back as it was. */
int theme_query(int fd, int timeout_ms);
/* The theme for the terminal: kind unless THEME_AUTO; else the query's answer, COLORFGBG's, dark.
 * Inside tmux (TMUX set) the query goes both to tmux and, through tmux's passthrough, to the outer
 * terminal, and only an answer or the timeout ends it (theme.c says why). */
int theme_detect(int kind, int fd, int timeout_ms);
/* After theme_detect: a line for the user when the background could not be known where it
 * usually can be (inside tmux without passthrough: dark was assumed), else "". */
const char *theme_note(void);

#endif
