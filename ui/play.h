/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Lessons in the explorer: playing a lesson's steps (calcium-stdp --lesson FILE) and recording the
 * steps a teacher takes into a lesson file. A command source beside commands.c: it changes the state
 * through ui.h only and never draws; the caption it shows it leaves in the state (ui.h's caption
 * fields), which frame.c draws. */
#ifndef CSTDP_PLAY_H
#define CSTDP_PLAY_H

#include "lesson.h"
#include "ui.h"

typedef struct play play;

/* Play lesson l from its first step; the explorer takes l over (play_free frees it). 0, or -1 when
 * out of memory (l is freed then). Call once the engine runs; when the explorer starts presenting
 * (--present), every step is shown in presentation mode. */
int play_start(ui *u, lesson *l);

/* A key while a lesson plays, before the open view or the command table see it: 1 when the lesson
 * took it (space or Right: the next step; Left: the step before, restored exactly; q: leave the
 * lesson), 0 to pass it on. Any key ends a timed wait. The lesson takes keys only on the main screen
 * and in the map. */
int play_key(ui *u, int is_key, int ch);

/* Recording: start (asks for the file) or stop it; add the state on the screen as the next step
 * (asks for its caption). */
void play_record_toggle(ui *u);
void play_record_step(ui *u);

/* The explorer ends: the timer is closed (the loop then runs its close) and a recording finished;
 * play_free, after the loop, frees the rest. */
void play_close(ui *u);
void play_free(ui *u);

#endif
