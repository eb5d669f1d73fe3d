/* Parameter sets in INI files: strict loading with FILE:LINE messages, atomic saving, and the preset
 * directories. Built on iniparser 4.1, whose numeric getters are never used on user files (they accept
 * "3 ms" as 3 and crash on sections named like [model:theta_p], CVE-2023-33461).
 *
 * File format: the sections [model] [readout] [protocol] [simulation] of params_sections, holding the
 * keys of params_table in the table's units. Every key is optional: a key left out keeps the value the
 * set had before loading (the defaults or a preset loaded first). Section and key names are not case
 * sensitive; values are plain decimal numbers in C syntax, optionally quoted, optionally followed by a
 * ; or # comment. Lines end in \n or \r\n and may be at most 1000 bytes long; a line may not end with
 * a backslash (iniparser would join it to the next one, even in a comment).
 *
 * The first comment line of the leading comment block of the form
 *     ; description: ONE LINE OF TEXT
 * ('#' works as well as ';', "description" in any case) describes the file in presets_list. */
#ifndef CSTDP_INIFILE_H
#define CSTDP_INIFILE_H

#include <stddef.h>

#include "params.h"

/* An err buffer of this size holds about thirty problems; longer reports are cut at a line boundary
 * and end with "(and N more problems)". */
#define INIFILE_ERRLEN 4096

/* Load path over *p: *p is the starting point (defaults or a preset) and the keys present in the file
 * replace their values. Every problem is reported at once in err, one per line (no final newline),
 * sorted by line, each as "PATH:LINE: message", or "PATH: message" for the file as a whole (cannot
 * open, relations between parameters that params_check_set refuses). Returns 0, or -1 with *p
 * unchanged. err may be NULL when errlen is 0.
 * Thread safety: loads in different threads may run concurrently (the iniparser error messages are
 * captured per thread), as long as nothing else calls iniparser_set_error_callback. This function
 * installs its own, silent, callback and leaves it installed: iniparser never prints to stderr. */
int inifile_load(const char *path, param_set *p, char *err, size_t errlen);

/* Write every parameter of p to path, each with its help, unit and range as a comment, so that
 * inifile_load gives back exactly the same doubles. header_comment (may be NULL) goes first, each of
 * its lines as a comment; start it with "description: ..." to describe the file for presets_list.
 * The write is atomic: a temporary file in the same directory is written, synced and renamed over
 * path, then the directory is synced. An existing path keeps its permissions; a new one gets 0666
 * less the umask. Refuses a set that params_check_set refuses. Returns 0, or -1 with a message
 * naming the file and the system error in err; on failure an existing file at path is untouched and
 * no temporary file is left behind (except when syncing the directory fails after the rename: then
 * the new file is in place but may not survive a crash, and the message says so). */
int inifile_save(const char *path, const param_set *p, const char *header_comment, char *err, size_t errlen);

/* Presets are NAME.ini files, looked for in these directories, first match wins:
 *   1. every directory of $CALCIUM_STDP_PARAMS (colon separated; for tests and experiments),
 *   2. the user's directory, $XDG_CONFIG_HOME/calcium-stdp/params, or
 *      ~/.config/calcium-stdp/params when XDG_CONFIG_HOME is unset, empty or relative,
 *   3. the directories of CSTDP_PARAMS_DIRS, colon separated, fixed when compiling (the build passes
 *      "$(pkgdatadir)/params:$(abs_top_srcdir)/params"; "params" when undefined).
 * Empty entries of the colon-separated lists are skipped. */

/* One preset file, as listed by presets_list. */
typedef struct presets_entry {
	char *name;        /* file name without ".ini", as on disk, e.g. "DPDprime" */
	char *path;        /* directory "/" file name, usable with inifile_load */
	char *description; /* the "; description:" line of the file, or "" */
	int user;          /* 1: from the user's directory (2. above), so the user may overwrite it */
} presets_entry;

/* Find the preset called name: the file NAME.ini, name compared without regard to case ("dp" finds
 * DP.ini); a ".ini" already on name is accepted, and "'" stands for "prime" ("DPD'" finds
 * DPDprime.ini). Within one directory an exact-case match is preferred. Returns 0 with the path in
 * path, or -1 with errno ENOENT (not found), EINVAL (name empty, with '/', or starting with '.') or
 * ENAMETOOLONG (path does not fit in len). */
int presets_find(const char *name, char *path, size_t len);

/* All presets: *.ini regular files (hidden ones skipped) of all the directories, in search order and
 * by name (case-insensitive) within a directory; a name found in an earlier directory hides files of
 * the same name (any case) in later ones. Returns the count and stores a malloc'ed array in *out
 * (NULL when the count is 0), or -1 (errno ENOMEM) with *out NULL. Free with presets_free. */
int presets_list(presets_entry **out);

void presets_free(presets_entry *list, int n);

/* The user's preset directory (2. above) in buf; with create, make it and its parents (mode 0777 less
 * the umask) when missing. Returns 0, or -1 with errno (ENOENT: HOME unset; ENAMETOOLONG; mkdir's). */
int presets_user_dir(char *buf, size_t len, int create);

#endif
