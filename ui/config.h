/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The explorer's remembered choices: $XDG_CONFIG_HOME/calcium-stdp/config.ini (~/.config when
 * XDG_CONFIG_HOME is not set), read with iniparser. Its [explorer] section holds glyphs (braille,
 * block, ascii), theme (auto, light, dark, mono), y_scale (fitted, fixed) and link_rate (bytes per
 * second, 0: unpaced); the command line wins over it. No curses here. */
#ifndef CSTDP_CONFIG_H
#define CSTDP_CONFIG_H

#include <stddef.h>

typedef struct config {
	int glyphs;       /* 1 + canvas_mode; 0: not set */
	int theme;        /* theme.h's kind; -1: not set */
	int yfixed;       /* 1 fixed, 0 fitted; -1: not set */
	double link_rate; /* bytes/s; < 0: not set */
} config;

/* Nothing set. */
void config_init(config *c);
/* The file's path into buf (its folder made when create); 0, or -1 (errno) when there is no home. */
int config_path(char *buf, size_t len, int create);
/* Read path into c (config_init first). A missing file: 0 and nothing set. A value that is not one
 * of the above: -1 and "FILE: KEY: ..." in err (nothing set). */
int config_load(const char *path, config *c, char *err, size_t errlen);
/* The settings of c as the file's text (what is not set is left out); the bytes written. */
int config_format(const config *c, char *buf, size_t len);
/* Write c to path as inisave.h does (a whole file, atomically); full receives the path written.
 * 0, or -1 with the reason in err. */
int config_save(const char *path, const config *c, char *full, size_t fulllen, char *err, size_t errlen);

#endif
