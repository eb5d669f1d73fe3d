/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The main screen's lines and panel, drawn from the state alone (frame.c). */
#ifndef CSTDP_FRAME_H
#define CSTDP_FRAME_H

#include "ui.h"

void frame_title(ui *u);
void frame_panel(ui *u);  /* the parameter box */
void frame_values(ui *u); /* presenting: every parameter on one line */
/* The status line: a prompt (the open view's), a message, or the run's progress. */
void frame_status(ui *u);
void frame_hints(ui *u);
/* A lesson's heading and caption lines under the boxes (u->caption_rect; nothing when empty). */
void frame_caption(ui *u);
void frame_too_small(const ui *u);

#endif
