/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The explorer's keys for the man page (--dump-params=keys): the command table's help entries. */
#include "help.h"

#include "commands.h"
#include "keys.h"

void help_print_man(FILE *f)
{
	keys_print_man(commands_table, commands_count, f);
}
