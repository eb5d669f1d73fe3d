/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Taking a parameter set elsewhere: a Brian2 script that simulates it (--export brian2), the command
 * line that rebuilds it (--export command), its INI file (--export ini, --save's twin). */
#ifndef CSTDP_EXPORT_H
#define CSTDP_EXPORT_H

#include <stdio.h>

#include "params.h"

enum export_kind {
	EXPORT_BRIAN2,
	EXPORT_COMMAND,
	EXPORT_INI,
};

/* Where a set came from, so that the command line can say it the short way. */
typedef struct export_source {
	const char *preset;         /* --preset NAME as given, or NULL */
	const char *params_file;    /* --params FILE as given, or NULL */
	const param_set *reference; /* the set the preset or file gives (the defaults when neither), or
	                             * NULL for the defaults */
	const char *version;        /* the program's version, for the script's header */
} export_source;

/* "brian2", "command", "ini": the kind, or -1. */
int export_parse_kind(const char *name);

/* The options that rebuild p from src: "--preset DP --set theta_p=1.4 ..." (every parameter that
 * differs from the reference, in table order); "" when p is the reference itself. 0, or -1 when it
 * does not fit in len. */
int export_command(const param_set *p, const export_source *src, char *buf, size_t len);

/* Write the Brian2 script for p on f. Returns 0, or -1 with a message in err when the set uses
 * something the script cannot express yet (a protocol, a parameter away from its default that the
 * exporter does not know): nothing is written then. */
int export_brian2(FILE *f, const param_set *p, const export_source *src, char *err, size_t errlen);

/* The command line's --export: kind on file (NULL or "-": stdout; a file is saved by inisave's rules).
 * Messages on stderr; returns the exit status (0; 1 when writing failed; 2 on a refusal). */
int export_run(int kind, const char *file, const param_set *p, const export_source *src);

#endif
