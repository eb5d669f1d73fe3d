/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The explorer's command table (keys.h's rows) and the decoding of keys and the mouse on the main
 * screen into its commands (commands.c). */
#ifndef CSTDP_COMMANDS_H
#define CSTDP_COMMANDS_H

#include "ui.h"

extern const keys_command commands_table[];
extern const int commands_count;

/* A key on the main screen (no view open): the command bound to it runs, if any. */
void commands_key(ui *u, int is_key, int ch);
/* A mouse event on the main screen: a click selects a slider (or moves the plot's cursor), a
 * click or a drag on a bar sets its value, the wheel selects. */
void commands_mouse(ui *u, const MEVENT *ev);

#endif
