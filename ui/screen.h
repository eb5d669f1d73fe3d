/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The terminal (screen.c): opening it, colours, the mouse, resizing, giving it back. */
#ifndef CSTDP_SCREEN_H
#define CSTDP_SCREEN_H

#include "ui.h"

int screen_open(ui *u, int force_ascii, char *err, size_t errlen);
void screen_close(ui *u);
/* Follow the terminal's size (after SIGWINCH): resize curses, recompute the layout. */
void screen_resize(ui *u);
/* Motion reports while a button is held (xterm mode 1002), on top of curses' presses and releases:
 * after the first frame and after a resume from Ctrl-Z, whose curses set-up replaced it. */
void screen_mouse_drag(ui *u, int on);

#endif
