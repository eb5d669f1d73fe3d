/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The explorer's command table, as data: which keys run which named command, and the words the help
 * screen, the hints line and the man page show for it. No curses and no explorer state here: the
 * table itself is commands.c's (commands_table), and the help screen, the hints line and the man
 * page are all made from it by the functions below, so that they cannot drift apart.
 *
 * To add a key: add a row to commands_table in commands.c (its keys, a name, the function that
 * changes the state, and its help text; a hint rank to show it in the hints line). Nothing else. */
#ifndef CSTDP_KEYS_H
#define CSTDP_KEYS_H

#include <stddef.h>
#include <stdio.h>

struct ui;

#define KEYS_BOUND     6   /* key codes one command takes, at most */
#define KEYS_TAIL      100 /* hint ranks from here on are always shown, at the end ("? help", "q quit") */
#define KEYS_HINTS_MAX 32  /* hints in one line, at most */

typedef struct keys_command {
	const char *name;          /* "select-up"; NULL for a row that only documents keys of a view */
	void (*run)(struct ui *u); /* changes the state through ui.h; never draws */
	int key[KEYS_BOUND];       /* curses key codes or characters, 0-terminated */
	const char *keys;          /* as the help shows them, alternatives two blanks apart:
	                            * "Up/Down  k/j"; NULL: documented by the row above */
	const char *help;          /* what they do, for the help screen and the man page */
	int hint;                  /* rank in the hints line (1 first); 0: not there */
	const char *hint_key;      /* the key as the hints line shows it ("Up/Down") */
	const char *hint_utf8;     /* the same in a UTF-8 terminal ("↑↓", 2 columns), or NULL */
	const char *hint_what;     /* one word: "select" */
	int present;               /* rank in the hints line while presenting; 0: not there */
	const char *present_what;  /* the word there, when another than hint_what */
	const char *view;          /* the open view (ui_view.name) whose hints line shows the row
	                            * instead of the plot's rows ("map"); NULL: the plot's. A row only
	                            * for a view's hints has no keys (the view reads its keys itself) */
} keys_command;

/* The command that key code ch runs in table t[n], or NULL. */
const keys_command *keys_find(const keys_command *t, int n, int ch);

/* The help screen's entries: the rows of t[n] that have keys (documented rows), in order. Returns
 * how many; with out not NULL, out[i] is the index in t of the i-th. */
int keys_help_rows(const keys_command *t, int n, int *out);

/* One hint of the hints line. */
typedef struct keys_hint {
	const char *key; /* as shown (the UTF-8 arrows when utf8 and the row has them) */
	int key_cols;    /* its columns on the screen */
	const char *what;
	int x; /* its column in the line */
} keys_hint;

/* The hints line for a line width columns wide: the ranked hints of t[n] (the presenting ranks
 * when present), as many as fit from column 1 with the tail ones ("? help  q quit") always kept at
 * the end. With view not NULL and rows of that view in t, those rows instead (their hint ranks).
 * Returns the count put in out[KEYS_HINTS_MAX]. */
int keys_hints(const keys_command *t, int n, const char *view, int present, int utf8, int width,
               keys_hint *out);

/* The table as man page text: a .TP paragraph per help entry, alternatives joined by ", ". */
void keys_print_man(const keys_command *t, int n, FILE *f);

#endif
