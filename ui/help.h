/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The explorer's keys for the man page (--dump-params=keys): the command table's help entries
 * (commands.c, keys.h). No curses here, so that main.c can print them. */
#ifndef CSTDP_HELP_H
#define CSTDP_HELP_H

#include <stdio.h>

/* The table as man page text: a .TP paragraph per entry, alternatives joined by ", ". */
void help_print_man(FILE *f);

#endif
