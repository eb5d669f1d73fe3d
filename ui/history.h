/* Undo and redo of parameter changes in the explorer: a bounded list of parameter sets, each with
 * what changed to reach it ("theta_p", "preset DP", "fit"). Pure (no curses), so it is tested alone.
 * Steps of one slider in a row make one entry, so that an undo takes back a whole adjustment. */
#ifndef CSTDP_HISTORY_H
#define CSTDP_HISTORY_H

#include "params.h"

/* Entries kept; the oldest go first. */
#define HISTORY_MAX   200
#define HISTORY_LABEL 64

typedef struct history_entry {
	param_set set;             /* the values after the change */
	char label[HISTORY_LABEL]; /* what the change was */
	int param;                 /* the one parameter a slider changed (merges with the next), or -1 */
} history_entry;

typedef struct history {
	history_entry e[HISTORY_MAX]; /* a ring: entry k is e[(first + k) % HISTORY_MAX] */
	int first, n;                 /* ring start, entries held (at least 1 after history_init) */
	int cur;                      /* the entry shown: 0 .. n - 1; later ones can be redone */
} history;

/* Start with the set shown at start-up as the only entry. */
void history_init(history *h, const param_set *p, const char *label);

/* Record p as the new current set after a change named label; param is the parameter a slider
 * step changed (-1 for anything else). Changes that could be redone are dropped. A step of the same
 * slider as the current entry's replaces it instead of adding one. A set equal to the current one is
 * not recorded. */
void history_push(history *h, const param_set *p, const char *label, int param);

/* Step back (undo) or forward (redo): 0 with the set to show in *p and what is undone or redone in
 * *label, or -1 when there is nothing to undo or redo. */
int history_undo(history *h, param_set *p, const char **label);
int history_redo(history *h, param_set *p, const char **label);

/* End a run of slider steps: the next step starts a new entry even for the same slider (after a
 * pause, another key, an undo). */
void history_seal(history *h);

#endif
