/* The explorer's keys, one table: the help screen, the hints line and the man page (through
 * --dump-params=keys) all list these. No curses here, so that main.c can print them. */
#ifndef CSTDP_HELP_H
#define CSTDP_HELP_H

#include <stdio.h>

typedef struct help_key {
	const char *keys; /* as the user types them, alternatives two blanks apart: "Up/Down  k/j" */
	const char *what; /* what they do */
} help_key;

extern const help_key help_keys[];
extern const int help_nkeys;

/* The table as man page text: a .TP paragraph per line, alternatives joined by ", ". */
void help_print_man(FILE *f);

#endif
