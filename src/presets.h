/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The preset folders: finding a preset by name, listing them all, and the user's folder. A preset
 * is a NAME.ini parameter file (see inifile.h for the format). */
#ifndef CSTDP_PRESETS_H
#define CSTDP_PRESETS_H

#include <stddef.h>

/* Presets are NAME.ini files, looked for in these directories, first match wins:
 *   1. every directory of $CALCIUM_STDP_PARAMS (colon separated; for tests and experiments),
 *   2. the user's directory, $XDG_CONFIG_HOME/calcium-stdp/params, or
 *      ~/.config/calcium-stdp/params when XDG_CONFIG_HOME is unset, empty or relative,
 *   3. the installed presets, $(pkgdatadir)/params (fixed when compiling),
 *   4. only when the program runs uninstalled from its build folder (presets_uninstalled): the
 *      source tree's params/. An installed program never looks into the build or source tree:
 *      built under /tmp, anyone could put presets there.
 * Empty entries of the colon-separated list are skipped. */

/* One preset file, as listed by presets_list. */
typedef struct presets_entry {
	char *name;        /* file name without ".ini", as on disk, e.g. "DPDprime" */
	char *path;        /* directory "/" file name, usable with inifile_load */
	char *description; /* the "; description:" line of the file, or "" */
	int user;          /* 1: from the user's directory (2. above), so the user may overwrite it */
	int shadowed;      /* 1: a preset of the same name (any case) comes earlier: --preset finds that
	                    * one, e.g. a built-in DP after the user's own DP.ini */
	int dir_index;     /* which folder of the search order it is in, from 0 */
} presets_entry;

/* Find the preset called name: the file NAME.ini, name compared without regard to case ("dp" finds
 * DP.ini); a ".ini" already on name is accepted, and "'" stands for "prime" ("DPD'" finds
 * DPDprime.ini). Within one directory an exact-case match is preferred. Returns 0 with the path in
 * path, or -1 with errno ENOENT (not found), EINVAL (name empty, with '/', or starting with '.') or
 * ENAMETOOLONG (path does not fit in len). */
int presets_find(const char *name, char *path, size_t len);

/* All presets: *.ini regular files (hidden ones skipped) of all the directories, in search order and
 * by name (case-insensitive) within a directory. A name found in an earlier directory does not hide
 * files of the same name (any case) in later ones: they are listed with shadowed set. Within one
 * directory, names differing only in case are listed once. Returns the count and stores a malloc'ed array in
 * *out (NULL when the count is 0), or -1 (errno ENOMEM) with *out NULL. Free with presets_free. */
int presets_list(presets_entry **out);

void presets_free(presets_entry *list, int n);

/* The user's preset directory (2. above) in buf; with create, make it and its parents (mode 0777 less
 * the umask) when missing. Returns 0, or -1 with errno (ENOENT: HOME unset; ENAMETOOLONG; mkdir's). */
int presets_user_dir(char *buf, size_t len, int create);

/* Whether a preset file called name (without regard to case, ".ini" optional) exists outside the
 * user's folder: 0 no; 1 an installed one, which a user's file of that name would shadow for
 * --preset; 2 one in $CALCIUM_STDP_PARAMS, which comes first and would shadow the user's file. */
int presets_builtin(const char *name);

/* 1 when the running program is the one in the build folder (not installed): then, and only then,
 * the source tree's presets are searched too. */
int presets_uninstalled(void);

#endif
