/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The command line: its modes, what it asks for, and the one table of options that --help, the man
 * page and the messages are made from (cli.c reads it; usage.c prints it). */
#ifndef CLI_H
#define CLI_H

#include <stddef.h>
#include <stdio.h>

#include "params.h"
#include "sim.h"
#include "sweep.h"
#include "textplot.h"
#include "fit.h"

/* ---- modes ----------------------------------------------------------------------------------- */

typedef enum cli_mode {
	CLI_MODE_EXPLORER, /* no mode option given */
	CLI_MODE_BATCH,
	CLI_MODE_PLOT,
	CLI_MODE_LIST,
	CLI_MODE_SAVE,
	CLI_MODE_HELP,
	CLI_MODE_VERSION,
	CLI_MODE_DUMP,
	CLI_MODE_FIT,
	CLI_MODE_EXPORT,
	CLI_MODE_LESSON,
	CLI_MODE_MERGE,
	CLI_MODE_COUNT
} cli_mode;

/* As messages and --help name them. */
extern const char *const cli_mode_names[CLI_MODE_COUNT];

#define CLI_IN(m) (1u << (m))
/* The modes that compute (a curve, or a fit and its check by simulation), and those that build a
 * parameter set. */
#define CLI_RUNS (CLI_IN(CLI_MODE_EXPLORER) | CLI_IN(CLI_MODE_BATCH) | CLI_IN(CLI_MODE_PLOT) | CLI_IN(CLI_MODE_FIT))
#define CLI_SETS (CLI_RUNS | CLI_IN(CLI_MODE_SAVE) | CLI_IN(CLI_MODE_EXPORT))

/* ---- what the command line asks for ---------------------------------------------------------- */

/* One --set, --reps, --seed or --protocol, applied in command-line order after the preset. */
typedef struct cli_assign {
	const char *opt;   /* the option as named in messages, e.g. "--reps" */
	int id;            /* the parameter */
	const char *value; /* its text (argv's) */
} cli_assign;

typedef struct cli {
	cli_mode mode;
	const char *mode_opt; /* how the user spelled the mode option ("-b", "--batch"), NULL: explorer */
	int analytic, ascii, threads, present;
	int width, height;
	int link_rate;                    /* --link-rate: bytes/s, 0 unpaced, -1 the default */
	int glyphs;                       /* --glyphs: 1 + canvas_mode, 0 for the default */
	int theme;                        /* --theme: theme.h's kind, THEME_AUTO by default */
	double freqs[TEXTPLOT_MAX_FREQS]; /* --freqs: extra curves of --plot */
	int nfreqs;
	sim_method method;
	const char *preset, *params_file, *save_file, *dump;
	cli_assign *sets; /* argc entries at most */
	int nsets;
	const char **data; /* --data files, argc entries at most */
	int ndata;
	const char **compare; /* --compare files, argc entries at most */
	int ncompare;
	int fit_ids[FIT_MAX]; /* --fit: the parameters */
	int nfit;
	sweep_grid grid;   /* --map or --sweep axes, in command-line order */
	int nmap, nsweep;  /* how many of each were given */
	sweep_shard shard; /* --shard K/N ({0, 0}: all) */
	double tolerance;  /* --tolerance: of the curve classes */

	int export_kind;                       /* --export: export_kind */
	const char *export_file, *lesson_file; /* --export's FILE (NULL: stdout), --lesson FILE */
	int check;                             /* --check: validate the lesson without playing it */
	int force;         /* --force: run a grid expected to take more than a day */
	char **merge;      /* --merge: the parts (argv's), nmerge of them */
	int nmerge;
} cli;

typedef struct cli_option cli_option;
/* Store the value of option o (spelled opt by the user) in c; on a bad value print a message naming
 * opt and return -1. */
typedef int (*cli_take)(cli *c, const char *opt, const char *arg);

struct cli_option {
	const char *name;    /* the long name without "--" */
	int key;             /* the short letter, or 0 */
	const char *arg;     /* the value's name in --help ("N", "FILE"), NULL: takes no value */
	cli_mode selects;    /* the mode this option selects; CLI_MODE_EXPLORER (0): none, it is a setting */
	unsigned setting_in; /* mode options: the modes in which it is a setting instead (--save names
	                      * where --fit writes its result) */
	unsigned modes;      /* settings: the modes that use it, CLI_IN(...) | ... */
	int repeatable;      /* 1: may be given more than once (applied in order) */
	size_t flag;         /* settings without a value: offsetof the int of cli set to 1 */
	cli_take take;       /* options with a value: check and store it */
	int hidden;          /* 1: not in --help (for the build) */
};

/* The options, in --help's order, and how many. */
extern const cli_option cli_options[];
extern const int cli_noptions;

/* Read argv into c (zeroed but for its defaults). 0, or the exit status (2) after a message. */
int cli_parse(int argc, char **argv, cli *c);
/* What cli_parse allocated. */
void cli_free(cli *c);
/* "calcium-stdp: " and the message on stderr; user text in it must have gone through cli_show().
 * Returns 2. */
int cli_fail(const char *fmt, ...);
/* User text for a message; two rotating buffers, so that one message may show two texts. */
const char *cli_show(const char *s);
/* "the explorer, --batch and --plot": the modes of a mask, for messages and --help. */
void cli_modes_text(unsigned mask, char *buf, size_t len);

#endif
