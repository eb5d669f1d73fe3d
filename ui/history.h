/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Undo and redo of parameter changes in the explorer: a bounded list of parameter sets (with the
 * preset each is compared with), each with what changed to reach it ("theta_p", "preset DP", "fit"). Pure (no
 * curses), so it is tested alone. Steps of one slider in a row make one entry, so that an undo takes back a
 * whole adjustment. */
#ifndef CSTDP_HISTORY_H
#define CSTDP_HISTORY_H

#include "params.h"

/* Entries kept; the oldest go first. */
#define HISTORY_MAX   200
#define HISTORY_LABEL 64

typedef struct history_entry {
	param_set set;             /* the values after the change */
	param_set reference;       /* the preset's values then (sliders differing are marked) */
	char ref_name[64];         /* and its name */
	char label[HISTORY_LABEL]; /* what the change was */
	int param;                 /* the one parameter a slider changed (merges with the next), or -1 */
} history_entry;

typedef struct history {
	history_entry e[HISTORY_MAX]; /* a ring: entry k is e[(first + k) % HISTORY_MAX] */
	int first, n;                 /* ring start, entries held (at least 1 after history_init) */
	int cur;                      /* the entry shown: 0 .. n - 1; later ones can be redone */
} history;

/* A state of the explorer's parameters: the values, and the preset they are compared with. */
typedef struct history_state {
	const param_set *set, *reference;
	const char *ref_name;
} history_state;

/* Start with the state shown at start-up as the only entry. */
void history_init(history *h, history_state st, const char *label);

/* Record st as the new current state after a change named label; param is the one parameter the
 * change touched (-1 for more, or for a preset load). Changes that could be redone are dropped.
 * A change of the same single parameter as the current entry's replaces it instead of adding one
 * (a run of slider steps is one entry). A state equal to the current one is not recorded. */
void history_push(history *h, history_state st, const char *label, int param);

/* Step back (undo) or forward (redo): the entry to show (its set, reference and name), with what is
 * undone or redone in *label; NULL when there is nothing to undo or redo. The entry returned starts
 * a new run: a following slider step adds an entry instead of changing it. */
const history_entry *history_undo(history *h, const char **label);
const history_entry *history_redo(history *h, const char **label);

/* End a run of slider steps: the next step starts a new entry even for the same slider (after a
 * pause, another key, an undo). */
void history_seal(history *h);

#endif
