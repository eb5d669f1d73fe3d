/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Parameter sets in INI files: strict loading with FILE:LINE messages, and the text of a file.
 * (Saving: inisave.h; the preset folders: presets.h.) Built on iniparser 4.1, whose numeric getters are never
 * used on user files (they accept "3 ms" as 3 and crash on sections named like [model:theta_p],
 * CVE-2023-33461).
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
 * ('#' works as well as ';', "description" in any case) describes the file in presets_list. In the
 * same way a line
 *     ; data: NAME
 * names the measured data set that goes with the file (see datafile_find): the explorer and --plot
 * draw it, and --fit fits to it, when no --data is given.
 *
 * The file is opened once: it must be a regular file (a FIFO or device is refused without waiting
 * on it), and the checks and the parse all see the bytes read from that one open file. */
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

/* The same, for a file already open for reading (fd is read from its current offset, not closed);
 * path names it in messages. Everything the checks and the parse see comes from this one fd. */
int inifile_load_fd(int fd, const char *path, param_set *p, char *err, size_t errlen);

/* The text of an INI file holding every parameter of p, each with its help, unit and range as a
 * comment, so that inifile_load gives back exactly the same doubles; written in the C locale.
 * header_comment (may be NULL) goes first, each of its lines as a comment; start it with
 * "description: ..." to describe the file for presets_list. Returns a malloc'ed string and its
 * length in *len, or NULL when out of memory. Saving it is inisave's job. */
char *inifile_format(const param_set *p, const char *header_comment, size_t *len);

/* The description line of the INI file at path (see above), malloc'ed; "" when it has none or
 * cannot be read (opened once, without blocking, regular files only); NULL when out of memory. */
char *inifile_description(const char *path);

/* The data line of the INI file at path (see above), malloc'ed; "" when it has none or cannot be
 * read; NULL when out of memory. */
char *inifile_data_name(const char *path);

#endif
