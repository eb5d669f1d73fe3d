/* SPDX-License-Identifier: GPL-3.0-or-later */
/* --help and the man page's generated parts, from the option and parameter tables. */
#ifndef USAGE_H
#define USAGE_H

#include <stdio.h>

/* --help. */
void usage_print(FILE *f);
/* The man page's PARAMETERS section. */
void usage_params_man(void);
/* One parameter a line, a choice's values after its name: what the shell completion offers. */
void usage_params_names(void);
/* The man page's MODES AND OPTIONS rule and table. */
void usage_modes_man(void);

#endif
