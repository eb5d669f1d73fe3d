/* calcium-stdp: command line, and dispatch to the explorer, --batch or --plot.
 *
 * The command line is one table (cli_options below): each option says which mode it selects, or
 * which modes use it. The rules users meet follow from the table alone: one mode per run (two
 * modes are refused, naming both), an option the chosen mode does not use is refused (naming the
 * modes that do), an option given twice is refused unless the table marks it repeatable. To add an
 * option: a row in cli_options (and a field in cli with a cli_take_* function when it has a value);
 * to add a mode: a value in cli_mode, its name in mode_names, a row that selects it, and a branch in
 * main. --help, the man page's mode table and the messages then include it. */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <uv.h>

#include "batch.h"
#include "export.h"
#include "lesson.h"
#include "engine.h"
#include "datafile.h"
#include "explorer.h"
#include "theme.h"
#include "fit.h"
#include "help.h"
#include "inifile.h"
#include "inisave.h"
#include "params.h"
#include "presets.h"
#include "sweep.h"
#include "textplot.h"
#include "usertext.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "dev"
#endif

/* ---- modes ----------------------------------------------------------------------------------- */

typedef enum cli_mode {
	MODE_EXPLORER, /* no mode option given */
	MODE_BATCH,
	MODE_PLOT,
	MODE_LIST,
	MODE_SAVE,
	MODE_HELP,
	MODE_VERSION,
	MODE_DUMP,
	MODE_FIT,
	MODE_EXPORT,
	MODE_LESSON,
	MODE_COUNT
} cli_mode;

/* As messages and --help name them. */
static const char *const mode_names[MODE_COUNT] = {
    [MODE_EXPLORER] = "the explorer", [MODE_BATCH] = "--batch",      [MODE_PLOT] = "--plot",
    [MODE_LIST] = "--list-presets",   [MODE_SAVE] = "--save",        [MODE_HELP] = "--help",
    [MODE_VERSION] = "--version",     [MODE_DUMP] = "--dump-params", [MODE_FIT] = "--fit",
    [MODE_EXPORT] = "--export",       [MODE_LESSON] = "--lesson",
};

#define IN(m) (1u << (m))
/* The modes that compute (a curve, or a fit and its check by simulation), and those that build a
 * parameter set. */
#define RUNS (IN(MODE_EXPLORER) | IN(MODE_BATCH) | IN(MODE_PLOT) | IN(MODE_FIT))
#define SETS (RUNS | IN(MODE_SAVE) | IN(MODE_EXPORT))

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
} cli;

/* ---- messages -------------------------------------------------------------------------------- */

/* "calcium-stdp: " and the message; user text in it must have gone through show(). Returns 2. */
static int fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "calcium-stdp: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	return 2;
}

/* User text for a message; two rotating buffers, so that one message may show two texts. */
static const char *show(const char *s)
{
	static char buf[2][USERTEXT_LEN];
	static int k;
	k = !k;
	return usertext_show(s, USERTEXT_CUT, buf[k], sizeof buf[k]);
}

/* ---- the options ----------------------------------------------------------------------------- */

typedef struct cli_option cli_option;
/* Store the value of option o (spelled opt by the user) in c; on a bad value print a message naming
 * opt and return -1. */
typedef int (*cli_take)(cli *c, const char *opt, const char *arg);

struct cli_option {
	const char *name;    /* the long name without "--" */
	int key;             /* the short letter, or 0 */
	const char *arg;     /* the value's name in --help ("N", "FILE"), NULL: takes no value */
	cli_mode selects;    /* the mode this option selects; MODE_EXPLORER (0): none, it is a setting */
	unsigned setting_in; /* mode options: the modes in which it is a setting instead (--save names
	                      * where --fit writes its result) */
	unsigned modes;      /* settings: the modes that use it, IN(...) | ... */
	int repeatable;      /* 1: may be given more than once (applied in order) */
	size_t flag;         /* settings without a value: offsetof the int of cli set to 1 */
	cli_take take;       /* options with a value: check and store it */
	int hidden;          /* 1: not in --help (for the build) */
};

static int take_threads(cli *c, const char *opt, const char *arg);
static int take_method(cli *c, const char *opt, const char *arg);
static int take_glyphs(cli *c, const char *opt, const char *arg);
static int take_theme(cli *c, const char *opt, const char *arg);
static int take_freqs(cli *c, const char *opt, const char *arg);
static int take_width(cli *c, const char *opt, const char *arg);
static int take_height(cli *c, const char *opt, const char *arg);
static int take_set(cli *c, const char *opt, const char *arg);
static int take_reps(cli *c, const char *opt, const char *arg);
static int take_seed(cli *c, const char *opt, const char *arg);
static int take_protocol(cli *c, const char *opt, const char *arg);
static int take_preset(cli *c, const char *opt, const char *arg);
static int take_params(cli *c, const char *opt, const char *arg);
static int take_save(cli *c, const char *opt, const char *arg);
static int take_dump(cli *c, const char *opt, const char *arg);
static int take_fit(cli *c, const char *opt, const char *arg);
static int take_data(cli *c, const char *opt, const char *arg);
static int take_compare(cli *c, const char *opt, const char *arg);
static int take_map(cli *c, const char *opt, const char *arg);
static int take_sweep(cli *c, const char *opt, const char *arg);
static int take_shard(cli *c, const char *opt, const char *arg);
static int take_tolerance(cli *c, const char *opt, const char *arg);
static int take_link_rate(cli *c, const char *opt, const char *arg);
static int take_export(cli *c, const char *opt, const char *arg);
static int take_lesson(cli *c, const char *opt, const char *arg);

/* The flags: int fields of cli set to 1 (offset 0 is the mode, never a flag). */
#define FLAG(field) offsetof(cli, field)

static const cli_option cli_options[] = {
    /* The modes: one per run. */
    {.name = "batch", .key = 'b', .selects = MODE_BATCH},
    {.name = "plot", .selects = MODE_PLOT},
    {.name = "list-presets", .selects = MODE_LIST},
    {.name = "save", .arg = "FILE", .selects = MODE_SAVE, .setting_in = IN(MODE_FIT), .take = take_save},
    {.name = "fit", .arg = "NAMES", .selects = MODE_FIT, .take = take_fit},
    {.name = "help", .key = 'h', .selects = MODE_HELP},
    {.name = "version", .key = 'V', .selects = MODE_VERSION},
    {.name = "export", .arg = "WHAT", .selects = MODE_EXPORT, .take = take_export},
    {.name = "lesson", .arg = "FILE", .selects = MODE_LESSON, .take = take_lesson},
    {.name = "check", .modes = IN(MODE_LESSON), .flag = FLAG(check)},
    {.name = "dump-params", .arg = "WHAT", .selects = MODE_DUMP, .take = take_dump, .hidden = 1},
    /* The parameters. */
    {.name = "preset", .key = 'p', .arg = "NAME", .modes = SETS, .take = take_preset},
    {.name = "params", .key = 'f', .arg = "FILE", .modes = SETS, .take = take_params},
    {.name = "set", .key = 's', .arg = "NAME=VALUE", .modes = SETS, .repeatable = 1, .take = take_set},
    {.name = "reps", .key = 'r', .arg = "N", .modes = SETS, .repeatable = 1, .take = take_reps},
    {.name = "seed", .arg = "N", .modes = SETS, .repeatable = 1, .take = take_seed},
    {.name = "protocol", .arg = "NAME", .modes = SETS, .repeatable = 1, .take = take_protocol},
    /* The computation. */
    {.name = "analytic", .key = 'a', .modes = IN(MODE_BATCH) | IN(MODE_PLOT), .flag = FLAG(analytic)},
    {.name = "threads", .key = 't', .arg = "N", .modes = RUNS, .take = take_threads},
    {.name = "method", .arg = "NAME", .modes = RUNS, .take = take_method},
    /* Measured data and other parameter sets. */
    {.name = "data",
     .arg = "FILE",
     .modes = IN(MODE_EXPLORER) | IN(MODE_PLOT) | IN(MODE_FIT),
     .repeatable = 1,
     .take = take_data},
    {.name = "compare",
     .arg = "FILE",
     .modes = IN(MODE_EXPLORER) | IN(MODE_BATCH) | IN(MODE_PLOT),
     .repeatable = 1,
     .take = take_compare},
    /* Maps and sweeps. */
    {.name = "map", .arg = "NAME=FROM:TO:N", .modes = IN(MODE_BATCH), .repeatable = 1, .take = take_map},
    {.name = "sweep",
     .arg = "NAME=FROM:TO:N[:log]",
     .modes = IN(MODE_BATCH),
     .repeatable = 1,
     .take = take_sweep},
    {.name = "shard", .arg = "K/N", .modes = IN(MODE_BATCH), .take = take_shard},
    {.name = "tolerance", .arg = "T", .modes = IN(MODE_BATCH) | IN(MODE_EXPLORER), .take = take_tolerance},
    /* The display. */
    {.name = "ascii", .modes = IN(MODE_EXPLORER) | IN(MODE_PLOT), .flag = FLAG(ascii)},
    {.name = "glyphs", .arg = "SET", .modes = IN(MODE_EXPLORER) | IN(MODE_PLOT), .take = take_glyphs},
    {.name = "present", .modes = IN(MODE_EXPLORER), .flag = FLAG(present)},
    {.name = "link-rate", .arg = "BYTES", .modes = IN(MODE_EXPLORER), .take = take_link_rate},
    {.name = "theme", .arg = "NAME", .modes = IN(MODE_EXPLORER), .take = take_theme},
    {.name = "freqs", .arg = "LIST", .modes = IN(MODE_PLOT), .take = take_freqs},
    {.name = "width", .arg = "N", .modes = IN(MODE_PLOT), .take = take_width},
    {.name = "height", .arg = "N", .modes = IN(MODE_PLOT), .take = take_height},
};
#define NOPTIONS ((int)(sizeof cli_options / sizeof cli_options[0]))

/* getopt's value for option i: its short letter, or a number past every character. */
static int option_val(int i)
{
	return cli_options[i].key ? cli_options[i].key : 256 + i;
}

static int option_index(int val)
{
	for (int i = 0; i < NOPTIONS; i++)
		if (option_val(i) == val)
			return i;
	return -1;
}

/* "the explorer, --batch and --plot": the modes of a mask, for messages and --help. */
static void modes_text(unsigned mask, char *buf, size_t len)
{
	int n = 0, total = 0;
	for (int m = 0; m < MODE_COUNT; m++)
		total += (mask & IN(m)) != 0;
	buf[0] = '\0';
	for (int m = 0; m < MODE_COUNT; m++) {
		if (!(mask & IN(m)))
			continue;
		size_t used = strlen(buf);
		snprintf(buf + used, len - used, "%s%s",
		         n == 0           ? ""
		         : n == total - 1 ? " and "
		                          : ", ",
		         mode_names[m]);
		n++;
	}
}

/* ---- the values of options ------------------------------------------------------------------- */

static int parse_count(const char *opt, const char *arg, int lo, int hi, int *out)
{
	char *end;
	errno = 0;
	long v = strtol(arg, &end, 10);
	if (end == arg || *end || errno || v < lo || v > hi) {
		fail("%s: '%s' is not valid: must be a whole number from %d to %d", opt, show(arg), lo, hi);
		return -1;
	}
	*out = (int)v;
	return 0;
}

static int take_threads(cli *c, const char *opt, const char *arg)
{
	return parse_count(opt, arg, 1, 1024, &c->threads);
}

static int take_link_rate(cli *c, const char *opt, const char *arg)
{
	return parse_count(opt, arg, 0, 1000000000, &c->link_rate);
}

static int take_width(cli *c, const char *opt, const char *arg)
{
	return parse_count(opt, arg, 40, 1000, &c->width);
}

static int take_height(cli *c, const char *opt, const char *arg)
{
	return parse_count(opt, arg, 12, 500, &c->height);
}

static int take_method(cli *c, const char *opt, const char *arg)
{
	int m = sim_method_parse(arg);
	if (m < 0) {
		fail("%s: '%s' is unknown: use segments, stepwise or reference", opt, show(arg));
		return -1;
	}
	c->method = (sim_method)m;
	return 0;
}

static int take_glyphs(cli *c, const char *opt, const char *arg)
{
	int m = canvas_mode_parse(arg);
	if (m < 0) {
		fail("%s: '%s' is unknown: use braille, block or ascii", opt, show(arg));
		return -1;
	}
	c->glyphs = 1 + m;
	return 0;
}

static int take_theme(cli *c, const char *opt, const char *arg)
{
	int k = theme_parse(arg);
	if (k < 0) {
		fail("%s: '%s' is unknown: use light, dark, mono or auto", opt, show(arg));
		return -1;
	}
	c->theme = k;
	return 0;
}

/* "1,20,30": pairing frequencies in Hz, each in freq_hz's range; read in place, so no length cut. */
static int take_freqs(cli *c, const char *opt, const char *arg)
{
	c->nfreqs = 0;
	for (const char *s = arg;; s++) {
		size_t n = strcspn(s, ",");
		if (c->nfreqs == TEXTPLOT_MAX_FREQS) {
			fail("%s: at most %d frequencies", opt, TEXTPLOT_MAX_FREQS);
			return -1;
		}
		char *tok = strndup(s, n);
		if (!tok) {
			fail("%s", "out of memory");
			return -1;
		}
		char err[512];
		int rc =
		    n == 0 ? -1 : params_parse_value(P_FREQ_HZ, tok, &c->freqs[c->nfreqs], err, sizeof err);
		free(tok);
		if (rc < 0) {
			if (n == 0)
				fail("%s: '%s': an empty frequency; expected a list like 1,20,30,40,50", opt,
				     show(arg));
			else
				fail("%s: %s", opt, err);
			return -1;
		}
		c->nfreqs++;
		s += n;
		if (!*s)
			return 0;
	}
}

/* A parameter assignment, checked now (so that the message comes in command-line order) and applied
 * after the preset. */
static int add_assign(cli *c, const char *opt, int id, const char *value)
{
	char err[512];
	double v;
	if (params_parse_value(id, value, &v, err, sizeof err) < 0) {
		fail("%s: %s", opt, err);
		return -1;
	}
	c->sets[c->nsets++] = (cli_assign){.opt = opt, .id = id, .value = value};
	return 0;
}

static int take_set(cli *c, const char *opt, const char *arg)
{
	const char *eq = strchr(arg, '=');
	if (!eq || eq == arg) {
		fail("%s: '%s' is not NAME=VALUE (for example --set theta_p=1.4)", opt, show(arg));
		return -1;
	}
	char *name = strndup(arg, (size_t)(eq - arg));
	if (!name) {
		fail("%s", "out of memory");
		return -1;
	}
	int id = params_lookup(name); /* the panel's short names too */
	if (id < 0) {
		const char *s = params_suggest(name);
		fail("%s: unknown parameter '%s'%s%s%s (--help lists them)", opt, show(name),
		     s ? "; did you mean '" : "", s ? s : "", s ? "'?" : "");
		free(name);
		return -1;
	}
	free(name);
	return add_assign(c, opt, id, eq + 1);
}

static int take_reps(cli *c, const char *opt, const char *arg)
{
	return add_assign(c, opt, P_REPS, arg);
}

static int take_seed(cli *c, const char *opt, const char *arg)
{
	return add_assign(c, opt, P_SEED, arg);
}

static int take_protocol(cli *c, const char *opt, const char *arg)
{
	return add_assign(c, opt, P_PROTOCOL, arg);
}

static int take_name(const char *opt, const char *arg, const char **out, const char *what)
{
	if (!*arg) {
		fail("%s: the %s is empty", opt, what);
		return -1;
	}
	*out = arg;
	return 0;
}

static int take_preset(cli *c, const char *opt, const char *arg)
{
	return take_name(opt, arg, &c->preset, "preset name");
}

static int take_params(cli *c, const char *opt, const char *arg)
{
	return take_name(opt, arg, &c->params_file, "file name");
}

static int take_save(cli *c, const char *opt, const char *arg)
{
	return take_name(opt, arg, &c->save_file, "file name");
}

static int take_fit(cli *c, const char *opt, const char *arg)
{
	char err[512];
	(void)opt; /* fit_parse_names names --fit itself */
	c->nfit = fit_parse_names(arg, c->fit_ids, err, sizeof err);
	if (c->nfit < 0) {
		fail("%s", err);
		return -1;
	}
	return 0;
}

static int take_data(cli *c, const char *opt, const char *arg)
{
	const char *name;
	if (take_name(opt, arg, &name, "file name") < 0)
		return -1;
	c->data[c->ndata++] = name;
	return 0;
}

static int take_compare(cli *c, const char *opt, const char *arg)
{
	const char *name;
	if (take_name(opt, arg, &name, "file name") < 0)
		return -1;
	c->compare[c->ncompare++] = name;
	return 0;
}

static int take_export(cli *c, const char *opt, const char *arg)
{
	if ((c->export_kind = export_parse_kind(arg)) < 0) {
		fail("%s: '%s' is unknown: use brian2, command or ini", opt, show(arg));
		return -1;
	}
	return 0;
}

static int take_lesson(cli *c, const char *opt, const char *arg)
{
	return take_name(opt, arg, &c->lesson_file, "file name");
}

static int take_dump(cli *c, const char *opt, const char *arg)
{
	if (strcmp(arg, "man") != 0 && strcmp(arg, "keys") != 0 && strcmp(arg, "modes") != 0 &&
	    strcmp(arg, "names") != 0) {
		fail("%s: '%s' is unknown: use man, keys, modes or names", opt, show(arg));
		return -1;
	}
	c->dump = arg;
	return 0;
}

/* --map and --sweep: one more axis of the grid. */
static int take_axis(cli *c, const char *opt, const char *arg, int map)
{
	char err[512];
	sweep_axis a;
	if (sweep_axis_parse(arg, !map, &a, err, sizeof err) < 0 ||
	    sweep_grid_add(&c->grid, &a, err, sizeof err) < 0) {
		fail("%s: %s", opt, err);
		return -1;
	}
	if (map && ++c->nmap > 2) {
		fail("%s: a map has two parameters: give --map twice (--sweep takes more)", opt);
		return -1;
	}
	c->nsweep += !map;
	return 0;
}

static int take_map(cli *c, const char *opt, const char *arg)
{
	return take_axis(c, opt, arg, 1);
}

static int take_sweep(cli *c, const char *opt, const char *arg)
{
	return take_axis(c, opt, arg, 0);
}

static int take_shard(cli *c, const char *opt, const char *arg)
{
	char err[512];
	(void)opt;
	if (sweep_shard_parse(arg, &c->shard, err, sizeof err) < 0) {
		fail("%s", err);
		return -1;
	}
	return 0;
}

static int take_tolerance(cli *c, const char *opt, const char *arg)
{
	char err[512];
	if (classify_parse_tolerance(arg, &c->tolerance, err, sizeof err) < 0) {
		fail("%s: %s", opt, err);
		return -1;
	}
	return 0;
}

/* ---- --help and the man page ----------------------------------------------------------------- */

/* The range and default of parameter i as --help and the man page print them. */
static void range_texts(int i, char lo[32], char hi[32], char def[32])
{
	params_format_exact(params_table[i].min, lo, 32);
	params_format_exact(params_table[i].max, hi, 32);
	params_format_value(i, params_table[i].def, def, 32);
}

/* One parameter a line, a choice's values after its name: what the shell completion offers. */
static void dump_params_names(void)
{
	for (int i = 0; i < P_COUNT; i++) {
		printf("%s", params_table[i].name);
		for (int k = 0; params_table[i].names && params_table[i].names[k]; k++)
			printf(" %s", params_table[i].names[k]);
		printf("\n");
	}
}

static const char mode_rule[] =
    "One mode per run: the explorer when no mode option is given, or one of the modes above, --help\n"
    "or --version. Two modes together, an option given twice (other than --set, --reps, --seed,\n"
    "--protocol, which apply in order, and --map and --sweep, which add axes), and an option that\n"
    "the chosen mode does not use are refused with exit status 2 and a message saying why.";

/* Mode or option name for roff: "-" as "\-". */
static void roff_name(FILE *f, const char *s)
{
	for (; *s; s++)
		fputs(*s == '-' ? "\\-" : (char[2]){*s, 0}, f);
}

/* For each mode, the settings it takes: from the table, for --help (man = 0) and the man page. */
static void print_mode_options(FILE *f, int man)
{
	for (int m = 0; m < MODE_COUNT; m++) {
		if (m == MODE_HELP || m == MODE_VERSION || m == MODE_DUMP)
			continue;
		int col = 17, any = 0;
		if (man) {
			fputs(".TP\n.B ", f);
			roff_name(f, mode_names[m]);
			fputs("\n", f);
		} else {
			fprintf(f, "  %-15s", mode_names[m]);
		}
		for (int i = 0; i < NOPTIONS; i++) {
			const cli_option *o = &cli_options[i];
			if (o->hidden || !((!o->selects && (o->modes & IN(m))) || (o->setting_in & IN(m))))
				continue;
			if (man) {
				fputs(any ? ", \\fB" : "\\fB", f);
				roff_name(f, "--");
				roff_name(f, o->name);
				fputs("\\fR", f);
			} else {
				int w = 3 + (int)strlen(o->name);
				if (any && col + w > 79) {
					fprintf(f, "\n%17s", "");
					col = 17;
				} else if (any) {
					col++;
					fputc(' ', f);
				}
				fprintf(f, "--%s", o->name);
				col += w - 1;
			}
			any = 1;
		}
		fputs(any ? "\n" : "no other option\n", f);
	}
}

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "Usage: calcium-stdp [OPTION]...\n"
	    "Explore the Graupner & Brunel (2012) calcium-based plasticity model: the STDP curve\n"
	    "(change in synaptic strength against spike time difference) redraws live while you move\n"
	    "sliders. Without --batch or --plot it opens the interactive explorer (needs a terminal).\n"
	    "\n"
	    "Modes:\n"
	    "  -b, --batch            compute the curve and print CSV on stdout:\n"
	    "                         dt_ms,U,D,change,change_lo,change_hi,reps\n"
	    "      --plot             compute the curve and print it as a text plot on stdout\n"
	    "      --list-presets     list the parameter presets and exit\n"
	    "      --save FILE        write the effective parameters as an INI file and exit (FILE is\n"
	    "                         a regular file or new; a symbolic link's target is replaced;\n"
	    "                         owner, group and mode are kept; a read-only file is refused)\n"
	    "      --fit NAMES        fit these parameters (comma separated, e.g. gamma_d,gamma_p,theta_p)\n"
	    "                         to the --data rows: weighted least squares (by SEM) of the analytic\n"
	    "                         curve, the global minimum over the ranges (a design over the ranges,\n"
	    "                         then local searches from its best basins and both sides of every\n"
	    "                         calcium level in a threshold's range); prints the estimates with\n"
	    "                         95%% profile-likelihood intervals, chi^2 before and after, dof,\n"
	    "                         p-value and the distinct minima found, then checks\n"
	    "                         the fit by simulation at every row; with --save FILE (not a second\n"
	    "                         mode here) the fitted set is written there\n"
	    "      --export WHAT [FILE]  brian2: a Python script simulating this set and protocol with\n"
	    "                         Brian2, writing the --batch columns; command: the options that\n"
	    "                         rebuild this set (--preset ... --set ...); ini: the INI file, as\n"
	    "                         --save (FILE omitted or -: standard output)\n"
	    "      --lesson FILE      check a lesson (see LESSONS in the man page); with --check,\n"
	    "                         print its steps without a terminal\n"
	    "\n"
	    "Parameters (precedence: defaults < --preset or --params < --set, --reps, --seed,\n"
	    "--protocol):\n"
	    "  -p, --preset NAME      start from a preset (case-insensitive; see --list-presets)\n"
	    "  -f, --params FILE      start from an INI parameter file\n"
	    "  -s, --set NAME=VALUE   set one parameter (repeatable; names below)\n"
	    "  -r, --reps N           repetitions per initial state and dt (same as --set reps=N)\n"
	    "      --seed N           random seed (same as --set seed=N)\n"
	    "      --protocol NAME    pairs (default; x is dt), frequency (pairs at fixed_dt_ms against\n"
	    "                         the frequency), burst (one pre spike, burst_spikes post spikes;\n"
	    "                         x is dt to the last), poisson (x is the post rate); same as\n"
	    "                         --set protocol=NAME\n"
	    "\n"
	    "Computation:\n"
	    "  -a, --analytic         the paper's analytic approximation instead of the simulation\n"
	    "  -t, --threads N        worker threads, 1 to 1024 (default: the available cores; the\n"
	    "                         explorer runs at most 4 per core, so that keys keep answering)\n"
	    "      --method NAME      Monte Carlo integrator: segments (default; exact composition of the\n"
	    "                         0.1 ms Euler-Maruyama steps), stepwise (every step with calcium above\n"
	    "                         a threshold) or reference (every step of the run, slow)\n"
	    "\n"
	    "Data and other sets:\n"
	    "      --data FILE        measured points (CSV: dt_ms, freq_hz, change, sem, optionally pairs\n"
	    "                         and other protocol parameters; a missing column takes the set's\n"
	    "                         value), drawn with SEM bars, and what --fit fits to; repeatable.\n"
	    "                         Without it, a preset's '; data:' line names its data set\n"
	    "      --compare FILE     another parameter set (INI) on the same protocol: its analytic\n"
	    "                         curve in --plot and the explorer; with --batch its curve too, and\n"
	    "                         a first CSV column 'set' naming each set; repeatable\n"
	    "Maps and sweeps (with --batch; see MAPS AND SWEEPS in the man page for recipes):\n"
	    "      --map NAME=FROM:TO:N  give twice: a map of curve classes over two parameters, one\n"
	    "                         CSV row per grid cell: NAME1,NAME2,class,change_min,x_at_min,\n"
	    "                         change_max,x_at_max,class_p (N values from FROM to TO; N = 1:\n"
	    "                         FROM alone; class_p: how sure the class is, see the man page)\n"
	    "      --sweep NAME=FROM:TO:N[:log]  repeatable: the curve at every point of the grid\n"
	    "                         as one long CSV, the swept parameters and the seed first\n"
	    "      --shard K/N        compute only the K-th of N parts: the N outputs concatenated\n"
	    "                         (header in part 1 only) are the whole output, byte for byte\n"
	    "      --tolerance T      curve classes (D, P, DP, DPD, ..., flat) count departures of the\n"
	    "                         change from 1 by more than T (0 to 1, default 0.01); also the\n"
	    "                         explorer's map\n"
	    "\n"
	    "Display:\n"
	    "      --ascii            ASCII plot even in a UTF-8 locale (same as --glyphs ascii)\n"
	    "      --glyphs SET       braille (the default in UTF-8), block (quadrants: for fonts\n"
	    "                         that draw braille poorly, and projectors) or ascii\n"
	    "      --present          start the explorer in presentation mode (for projectors: the\n"
	    "                         plot takes the screen, large labels, parameters on one line)\n"
	    "      --theme NAME       the explorer's colours: light, dark, mono (none) or auto (the\n"
	    "                         default: asks the terminal its background, else COLORFGBG)\n"
	    "      --link-rate BYTES  bytes per second the explorer's frames keep to: over SSH 3500 by\n"
	    "                         default (56 kbit/s links), on a local terminal 0 (no limit)\n"
	    "      --freqs LIST       --plot: also draw the analytic curves at these pairing\n"
	    "                         frequencies in Hz, over dt within +-T/2 (Fig. 4B), e.g.\n"
	    "                         --freqs 1,20,30,40,50\n"
	    "      --width N          --plot width in columns (default: the terminal's, or 80)\n"
	    "      --height N         --plot height in rows (default: the terminal's, or 24)\n"
	    "\n"
	    "  -h, --help             show this help and exit\n"
	    "  -V, --version          show the version and exit\n"
	    "\n"
	    "%s\n"
	    "Options by mode:\n",
	    mode_rule);
	print_mode_options(f, 0);
	fprintf(f, "\nParameter names (section, unit, range, default):\n");
	for (int i = 0; i < P_COUNT; i++) {
		const param_info *pi = &params_table[i];
		char lo[32], hi[32], def[32];
		range_texts(i, lo, hi, def);
		if (pi->names) {
			fprintf(f, "  %-16s [%s] default %s: %s\n", pi->name, pi->section, def, pi->help);
			continue;
		}
		fprintf(f, "  %-16s [%s] %s%s%s to %s, default %s: %s%s%s%s\n", pi->name, pi->section,
		        pi->unit, pi->unit[0] ? ", " : "", lo, hi, def, pi->help,
		        strcmp(pi->label, pi->name) ? " (short: " : "",
		        strcmp(pi->label, pi->name) ? pi->label : "", strcmp(pi->label, pi->name) ? ")" : "");
	}
	fprintf(f, "\nExit status: 0 on success, 1 on a failure while running, 2 on bad input.\n"
	           "Report bugs to the project's issue tracker.\n");
}

/* The parameter table as man page text, so that the man page comes from the one table. */
static void dump_params_man(void)
{
	const char *section = "";
	for (int i = 0; i < P_COUNT; i++) {
		const param_info *pi = &params_table[i];
		char lo[32], hi[32], def[32];
		range_texts(i, lo, hi, def);
		if (strcmp(section, pi->section) != 0) {
			section = pi->section;
			printf(".SS [%s]\n", section);
		}
		printf(".TP\n.B %s\n", pi->name);
		printf("%s.\n", pi->help);
		if (strcmp(pi->label, pi->name) != 0)
			printf("Short name (the explorer's panel, \\fB\\-\\-set\\fR): \\fB%s\\fR.\n",
			       pi->label);
		if (pi->names) {
			printf("One of");
			for (int k = 0; pi->names[k]; k++)
				printf("%s \\fB%s\\fR", k ? "," : "", pi->names[k]);
			printf("; default %s.\n", def);
			continue;
		}
		printf("%s%s%s to %s; default %s.\n", pi->integer ? "A whole number from " : "From ", lo, "",
		       hi, def);
		if (pi->unit[0])
			printf("Unit: %s.\n", pi->unit);
	}
}

/* The man page's MODES AND OPTIONS rule and table. */
static void dump_modes_man(void)
{
	roff_name(stdout, mode_rule);
	printf("\n.PP\nThe options each mode takes besides its own:\n");
	print_mode_options(stdout, 1);
}

/* ---- reading the command line ---------------------------------------------------------------- */

/* "--reps" for option i (kept: assignments and messages point to it). */
static const char *long_name(int i)
{
	static char names[NOPTIONS][32];
	snprintf(names[i], sizeof names[i], "--%s", cli_options[i].name);
	return names[i];
}

/* A long option that getopt did not take (argv text "--name" or "--name=value"): unknown, or a
 * prefix of several. */
static int bad_long(const char *text)
{
	const char *name = text + 2;
	size_t n = strcspn(name, "=");
	char candidates[1024] = "";
	int matches = 0;
	for (int i = 0; i < NOPTIONS; i++) {
		if (cli_options[i].hidden || strncmp(cli_options[i].name, name, n) != 0)
			continue;
		size_t used = strlen(candidates);
		snprintf(candidates + used, sizeof candidates - used, "%s--%s", matches ? ", " : "",
		         cli_options[i].name);
		matches++;
	}
	char *shown = strndup(text, (size_t)(name - text) + n);
	const char *what = show(shown ? shown : text);
	if (matches > 1)
		fail("option '%s' is ambiguous: it could be %s", what, candidates);
	else
		fail("unknown option '%s' (see --help)", what);
	free(shown);
	return 2;
}

/* After getopt returned '?' or ':' for the option ending at argv[optind - 1]. */
static int bad_option(int ch, char **argv)
{
	const char *text = argv[optind - 1];
	int i = optopt ? option_index(optopt) : -1;
	if (ch == ':' && i >= 0)
		return fail("option '--%s' needs a value (%s; see --help)", cli_options[i].name,
		            cli_options[i].arg);
	if (i >= 0) /* getopt says this when a long option without a value gets one */
		return fail("option '--%s' takes no value", cli_options[i].name);
	if (optopt) { /* a short option; optind may still be at the group ("-xb") */
		char s[2] = {(char)optopt, 0};
		return fail("unknown option '-%s' (see --help)", show(s));
	}
	if (strncmp(text, "--", 2) == 0)
		return bad_long(text);
	return fail("unknown option '%s' (see --help)", show(text));
}

static int parse_cli(int argc, char **argv, cli *c)
{
	struct option longopts[NOPTIONS + 1];
	char shortopts[3 * NOPTIONS + 2];
	size_t ns = 0;
	shortopts[ns++] = ':';
	for (int i = 0; i < NOPTIONS; i++) {
		const cli_option *o = &cli_options[i];
		longopts[i] =
		    (struct option){o->name, o->arg ? required_argument : no_argument, NULL, option_val(i)};
		if (o->key) {
			shortopts[ns++] = (char)o->key;
			if (o->arg)
				shortopts[ns++] = ':';
		}
	}
	longopts[NOPTIONS] = (struct option){NULL, 0, NULL, 0};
	shortopts[ns] = '\0';

	/* How each option was first spelled ("-r", "--reps"): for messages, and to find repeats. */
	const char *spelled[NOPTIONS] = {0};
	c->sets = calloc((size_t)argc + 1, sizeof *c->sets);
	c->data = calloc((size_t)argc + 1, sizeof *c->data);
	c->compare = calloc((size_t)argc + 1, sizeof *c->compare);
	if (!c->sets || !c->data || !c->compare)
		return fail("%s", "out of memory");
	int mode_i = -1; /* the option that selected the mode */
	int ch, li;
	opterr = 0;
	while (li = -1, (ch = getopt_long(argc, argv, shortopts, longopts, &li)) != -1) {
		if (ch == '?' || ch == ':')
			return bad_option(ch, argv);
		int i = option_index(ch);
		const cli_option *o = &cli_options[i];
		/* Messages name the long option even when the short one was typed: it says more. */
		const char *opt = long_name(i);
		if (spelled[i] && !o->repeatable)
			return fail("%s given twice: %s", opt,
			            o->selects ? "one mode per run" : "give it once");
		spelled[i] = opt;
		if (o->selects && mode_i >= 0 && (o->setting_in & IN(c->mode))) {
			/* a setting of the mode already chosen (--fit ... --save FILE) */
		} else if (o->selects && mode_i >= 0 && (cli_options[mode_i].setting_in & IN(o->selects))) {
			c->mode =
			    o->selects; /* --save FILE --fit ...: --fit is the mode, --save its setting */
			c->mode_opt = opt;
			mode_i = i;
		} else if (o->selects) {
			if (c->mode_opt)
				return fail("%s and %s are two modes: one mode per run (see --help)",
				            c->mode_opt, opt);
			c->mode = o->selects;
			c->mode_opt = opt;
			mode_i = i;
		}
		if (o->flag)
			*(int *)((char *)c + o->flag) = 1;
		if (o->take && o->take(c, opt, optarg) < 0)
			return 2;
	}
	if (c->mode == MODE_EXPORT && c->export_kind != EXPORT_COMMAND && optind == argc - 1)
		c->export_file = argv[optind++]; /* --export brian2 FILE */
	if (optind < argc)
		return fail("unexpected argument '%s' (options start with - or --; see --help)",
		            show(argv[optind]));
	for (int i = 0; i < NOPTIONS; i++) {
		const cli_option *o = &cli_options[i];
		if (!spelled[i] || o->selects || (o->modes & IN(c->mode)))
			continue;
		char uses[256];
		modes_text(o->modes, uses, sizeof uses);
		return fail("%s is not used by %s (only by %s): leave it out", spelled[i],
		            mode_names[c->mode], uses);
	}
	if (c->preset && c->params_file)
		return fail("%s", "--preset and --params both give a starting set: use one");
	if (c->nmap && c->nsweep)
		return fail("%s", "--map and --sweep both given: a run makes a map or a sweep, not both");
	if (c->nmap == 1)
		return fail("%s", "--map: a map has two parameters: give --map twice");
	if (c->shard.n && !c->nmap && !c->nsweep)
		return fail("%s", "--shard: only a map or a sweep has parts: add --map twice or --sweep");
	if (c->tolerance >= 0 && c->mode == MODE_BATCH && !c->nmap)
		return fail("%s", "--tolerance is for the classes of a map: add --map twice");
	if (c->ncompare && (c->nmap || c->nsweep))
		return fail("%s", "--compare draws other sets beside one curve: a map or a sweep takes none");
	return 0;
}

/* "params/DP.ini" -> "DP". */
static void base_name(const char *path, char *name, size_t len)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	size_t n = strlen(b);
	if (n > 4 && strcmp(b + n - 4, ".ini") == 0)
		n -= 4;
	snprintf(name, len, "%.*s", (int)n, b);
}

static int list_presets(void)
{
	presets_entry *list;
	int n = presets_list(&list);
	if (n < 0) {
		fprintf(stderr, "calcium-stdp: cannot list the presets: out of memory\n");
		return 1;
	}
	if (n == 0)
		fprintf(stderr, "calcium-stdp: no presets found\n");
	for (int i = 0; i < n; i++)
		printf("%-26s %s%s%s\n", list[i].name, list[i].description, list[i].user ? " (yours)" : "",
		       list[i].shadowed ? " (not found by --preset: a preset above has its name)" : "");
	presets_free(list, n);
	return 0;
}

/* defaults < preset or file < --set. The reference is the set before --set (for the explorer's marks). */
static int build_params(const cli *c, param_set *p, param_set *reference, char *name, size_t namelen,
                        char *path, size_t pathlen)
{
	char err[8192];
	params_defaults(p);
	snprintf(name, namelen, "defaults");
	path[0] = '\0';
	if (c->preset) {
		if (presets_find(c->preset, path, pathlen) < 0)
			return fail("--preset: no preset named '%s' (--list-presets shows them)",
			            show(c->preset));
		if (inifile_load(path, p, err, sizeof err) < 0)
			return fail("%s", err);
		base_name(path, name, namelen);
	} else if (c->params_file) {
		if (inifile_load(c->params_file, p, err, sizeof err) < 0)
			return fail("%s", err);
		base_name(c->params_file, name, namelen);
		snprintf(path, pathlen, "%s", c->params_file);
	}
	*reference = *p;
	for (int i = 0; i < c->nsets; i++) /* checked when read */
		if (params_parse_value(c->sets[i].id, c->sets[i].value, &p->v[c->sets[i].id], err,
		                       sizeof err) < 0)
			return fail("%s: %s", c->sets[i].opt, err);
	if (params_check_set(p, err, sizeof err) < 0)
		return fail("%s", err);
	return 0;
}

static void terminal_size(int *w, int *h)
{
	struct winsize ws;
	*w = 80;
	*h = 24;
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40 &&
	    ws.ws_row >= 12) {
		*w = ws.ws_col;
		*h = ws.ws_row;
	}
}

/* ---- measured data and compared sets --------------------------------------------------------- */

typedef struct extras {
	datafile *data; /* --data files, or the data set the preset names */
	int ndata;
	param_set *compare;       /* --compare sets: their [model] and [readout] on the run's protocol */
	char (*compare_name)[64]; /* their file names without ".ini" */
	int ncompare;
} extras;

static void extras_free(extras *x)
{
	for (int i = 0; i < x->ndata; i++)
		datafile_free(&x->data[i]);
	free(x->data);
	free(x->compare);
	free(x->compare_name);
}

/* --data files; without them, the data set that the preset or parameter file from names. Only for
 * the modes that use data. Returns 0, or 2 with a message. */
static int load_data(const cli *c, const char *from, extras *x)
{
	if (!(IN(c->mode) & (IN(MODE_EXPLORER) | IN(MODE_PLOT) | IN(MODE_FIT))))
		return 0;
	char *named = NULL, found[4096], err[1024];
	int n = c->ndata;
	if (n == 0 && from[0]) {
		if (!(named = inifile_data_name(from)))
			return fail("%s", "out of memory");
		n = named[0] != '\0';
	}
	x->data = calloc((size_t)n + 1, sizeof *x->data);
	if (!x->data) {
		free(named);
		return fail("%s", "out of memory");
	}
	for (int i = 0; i < n; i++) {
		const char *path = c->ndata ? c->data[i] : found;
		if (!c->ndata && datafile_find(named, from, found, sizeof found) < 0) {
			fail("%s names the data set '%s', which was not found (in $CALCIUM_STDP_DATA and the "
			     "installed data sets)",
			     show(from), show(named));
			free(named);
			return 2;
		}
		if (datafile_load(path, &x->data[i], err, sizeof err) < 0) {
			free(named);
			return fail("%s", err);
		}
		x->ndata++;
	}
	free(named);
	return 0;
}

/* --compare files: each loaded over the defaults; its [model] and [readout] values on the run's
 * protocol and simulation settings, so that every curve is the same experiment. */
static int load_compare(const cli *c, const param_set *p, extras *x)
{
	x->compare = calloc((size_t)c->ncompare + 1, sizeof *x->compare);
	x->compare_name = calloc((size_t)c->ncompare + 1, sizeof *x->compare_name);
	if (!x->compare || !x->compare_name)
		return fail("%s", "out of memory");
	for (int i = 0; i < c->ncompare; i++) {
		char err[INIFILE_ERRLEN];
		param_set q;
		params_defaults(&q);
		if (inifile_load(c->compare[i], &q, err, sizeof err) < 0)
			return fail("--compare: %s", err);
		param_set *r = &x->compare[i];
		*r = *p;
		for (int k = 0; k < P_COUNT; k++)
			if (strcmp(params_table[k].section, "model") == 0 ||
			    strcmp(params_table[k].section, "readout") == 0)
				r->v[k] = q.v[k];
		if (params_check_set(r, err, sizeof err) < 0)
			return fail("--compare: %s with this run's protocol: %s", show(c->compare[i]), err);
		base_name(c->compare[i], x->compare_name[i], sizeof x->compare_name[i]);
		x->ncompare++;
	}
	return 0;
}

static int run_headless(const cli *c, const param_set *p, const char *name, const extras *x)
{
	int n = (int)p->v[P_POINTS];
	batch_row *rows = calloc((size_t)n, sizeof *rows);
	if (!rows)
		return fail("%s", "out of memory");
	batch_opts o = {.p = *p,
	                .threads = c->threads,
	                .analytic = c->analytic,
	                .method = c->method,
	                .progress = isatty(STDERR_FILENO),
	                .estimate = !c->analytic};
	char err[512];
	if (batch_compute(&o, rows, err, sizeof err) < 0) {
		free(rows);
		fprintf(stderr, "calcium-stdp: %s\n", err);
		/* Workers of a failed run may still be busy: exit without joining the threadpool. */
		fflush(stdout);
		fflush(stderr);
		_exit(1);
	}
	int rc = 0;
	if (c->mode == MODE_BATCH && x->ncompare == 0) {
		batch_write_csv(stdout, p, rows, n);
	} else if (c->mode == MODE_BATCH) {
		/* Every set's curve, one after the other, with a column naming the set. */
		batch_write_csv_named(stdout, p, name, rows, n, 1);
		for (int k = 0; k < x->ncompare; k++) {
			o.p = x->compare[k];
			if (batch_compute(&o, rows, err, sizeof err) < 0) {
				fprintf(stderr, "calcium-stdp: %s: %s\n", x->compare_name[k], err);
				fflush(stdout);
				fflush(stderr);
				_exit(1);
			}
			batch_write_csv_named(stdout, p, x->compare_name[k], rows, n, 0);
		}
	} else {
		textplot_extras e = {.freqs = c->freqs,
		                     .nfreqs = c->nfreqs,
		                     .data = x->data,
		                     .ndata = x->ndata,
		                     .compare = x->compare,
		                     .compare_name = (const char(*)[64])x->compare_name,
		                     .ncompare = x->ncompare};
		rc = textplot_print(stdout, p, rows, n, c->width, c->height,
		                    c->ascii ? 1 + CANVAS_ASCII : c->glyphs, c->analytic, &e);
		if (rc != 0)
			fprintf(stderr, "calcium-stdp: --plot: the plot could not be drawn (out of memory or a "
			                "write error)\n");
	}
	free(rows);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "calcium-stdp: writing the output failed: %s\n", strerror(errno));
		return 1;
	}
	return rc;
}

/* --save: refused targets exit 2 (bad input), failed writes 1. A file that lands in the user's preset
 * folder under a built-in preset's name is saved, with a warning that it now comes first. */
static int save(const cli *c, const param_set *p, const char *header)
{
	char err[2048], full[INISAVE_PATHLEN], dir[INISAVE_PATHLEN];
	int rc = inisave_params(c->save_file, p, header, 0, full, sizeof full, err, sizeof err);
	if (rc != INISAVE_OK) {
		fprintf(stderr, "calcium-stdp: --save: not saved: %s\n", err);
		return rc == INISAVE_FAILED ? 1 : 2;
	}
	char *slash = strrchr(full, '/'), *real = NULL;
	int b;
	if (slash && presets_user_dir(dir, sizeof dir, 0) == 0 && (real = realpath(dir, NULL)) != NULL &&
	    strlen(real) == (size_t)(slash - full) && strncmp(real, full, (size_t)(slash - full)) == 0 &&
	    (b = presets_builtin(slash + 1)) != 0)
		fprintf(stderr,
		        "calcium-stdp: warning: %s has the name of a built-in preset: %s for --preset "
		        "(--list-presets shows both)\n",
		        show(slash + 1), b == 1 ? "yours now comes first" : "it still comes first");
	free(real);
	return 0;
}

/* --fit: the report and its check by simulation on stdout; with --save, the fitted set goes there,
 * its header saying what was fitted to what (and naming the data set when there is one). */
static int run_fit(const cli *c, const param_set *p, const extras *x)
{
	if (x->ndata == 0)
		return fail("%s",
		            "--fit needs measured data: --data FILE, or a preset or --params file with a "
		            "'; data: NAME' line");
	fit_result r;
	char err[2048];
	if (c->save_file) {
		/* The target is checked before the fit, so that a refused one costs no fit. */
		int st = inisave_check(c->save_file, 0, NULL, 0, NULL, err, sizeof err);
		if (st != INISAVE_OK) {
			fprintf(stderr, "calcium-stdp: --save: %s\n", err);
			return st == INISAVE_FAILED ? 1 : 2;
		}
	}
	int rc = batch_fit(stdout, x->data, x->ndata, p, c->fit_ids, c->nfit, c->threads, c->method, &r, err,
	                   sizeof err);
	if (rc != 0) {
		fflush(stdout);
		fprintf(stderr, "calcium-stdp: --fit: %s\n", err);
		return rc;
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "calcium-stdp: writing the output failed: %s\n", strerror(errno));
		return 1;
	}
	if (!c->save_file)
		return 0;
	char header[4096], names[512] = "", *real = x->ndata == 1 ? realpath(x->data[0].path, NULL) : NULL;
	for (int k = 0; k < r.n; k++) {
		size_t used = strlen(names);
		snprintf(names + used, sizeof names - used, "%s%s", k ? "," : "",
		         params_table[r.est[k].id].name);
	}
	snprintf(header, sizeof header,
	         "description: fitted by calcium-stdp --fit %s: chi^2 %.4g (was %.4g) over %d rows\n"
	         "%s%s%s",
	         names, r.chi2, r.chi2_start, r.rows, real ? "data: " : "", real ? real : "",
	         real ? "\n" : "");
	free(real);
	if ((rc = save(c, &r.set, header)) == 0)
		fprintf(stderr, "calcium-stdp: the fitted set was saved to %s\n", show(c->save_file));
	return rc;
}

static volatile sig_atomic_t interrupted;

static void on_interrupt(int sig)
{
	interrupted = sig;
}

/* A map or a sweep: rows written whole as each cell finishes; Ctrl-C (or SIGTERM) stops after the
 * last whole row. */
static int run_grid(const cli *c, const param_set *p)
{
	sweep_opts o = {.base = *p,
	                .grid = c->grid,
	                .map = c->nmap > 0,
	                .tolerance = c->tolerance >= 0 ? c->tolerance : CLASSIFY_TOLERANCE,
	                .shard = c->shard,
	                .analytic = c->analytic,
	                .threads = c->threads,
	                .method = c->method,
	                .progress = isatty(STDERR_FILENO),
	                .stop = &interrupted};
	struct sigaction sa = {.sa_handler = on_interrupt, .sa_flags = SA_RESTART};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	char err[2048];
	int rc = sweep_run(&o, stdout, err, sizeof err);
	if (rc == SWEEP_BAD_GRID)
		return fail("%s", err);
	if (rc < 0) {
		fprintf(stderr, "calcium-stdp: %s\n", err);
		/* Workers of a failed run may still be busy: exit without joining the threadpool. */
		fflush(stdout);
		fflush(stderr);
		_exit(1);
	}
	if (rc == 1) {
		fprintf(stderr,
		        "calcium-stdp: interrupted: the rows written are whole; the rest is missing\n");
		return 128 + interrupted;
	}
	return 0;
}

/* The chosen mode, with a command line that parse_cli accepted. */
static int run(cli *c)
{
	switch (c->mode) {
	case MODE_HELP:
		usage(stdout);
		return 0;
	case MODE_VERSION:
		printf("calcium-stdp %s\n"
		       "License GPL-3.0-or-later: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.\n"
		       "This is free software: you are free to change and redistribute it.\n"
		       "There is NO WARRANTY, to the extent permitted by law.\n",
		       PACKAGE_VERSION);
		return 0;
	case MODE_DUMP: /* for the build and the shell completion: the man page's generated parts */
		if (strcmp(c->dump, "man") == 0)
			dump_params_man();
		else if (strcmp(c->dump, "keys") == 0)
			help_print_man(stdout);
		else if (strcmp(c->dump, "names") == 0)
			dump_params_names();
		else
			dump_modes_man();
		return 0;
	case MODE_LIST:
		return list_presets();
	case MODE_LESSON:
		return lesson_main(c->lesson_file, c->check);
	default:
		break;
	}
	if (c->threads == 0)
		c->threads = (int)uv_available_parallelism();
	engine_prepare_threads(c->threads);
	param_set p, reference;
	char name[64], from[4096];
	int rc = build_params(c, &p, &reference, name, sizeof name, from, sizeof from);
	if (rc != 0)
		return rc;
	if (c->mode == MODE_SAVE)
		return save(c, &p, "saved by calcium-stdp --save");
	if (c->mode == MODE_EXPORT)
		return export_run(c->export_kind, c->export_file, &p,
		                  &(export_source){c->preset, c->params_file, &reference, PACKAGE_VERSION});
	extras x = {0};
	if ((rc = load_data(c, from, &x)) != 0 || (rc = load_compare(c, &p, &x)) != 0) {
		extras_free(&x);
		return rc;
	}
	if (c->mode == MODE_FIT) {
		rc = run_fit(c, &p, &x);
		extras_free(&x);
		return rc;
	}
	if (c->mode == MODE_BATCH || c->mode == MODE_PLOT) {
		int w, h;
		terminal_size(&w, &h);
		if (!c->width)
			c->width = w;
		if (!c->height)
			c->height = h;
		if (c->nmap || c->nsweep)
			rc = run_grid(c, &p);
		else
			rc = run_headless(c, &p, name, &x);
		extras_free(&x);
		return rc;
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		extras_free(&x);
		fprintf(stderr, "calcium-stdp: the explorer needs a terminal on stdin and stdout; "
		                "use --batch for CSV or --plot for a text plot\n");
		return 2;
	}
	explorer_opts eo = {.params = p,
	                    .reference = reference,
	                    .threads = c->threads,
	                    .ascii = c->ascii,
	                    .glyphs = c->glyphs,
	                    .theme = c->theme,
	                    .method = c->method,
	                    .present = c->present,
	                    .tolerance = c->tolerance >= 0 ? c->tolerance : CLASSIFY_TOLERANCE,
	                    .data = x.data,
	                    .ndata = x.ndata,
	                    .data_given = c->ndata > 0,
	                    .compare = x.compare,
	                    .compare_name = (const char(*)[64])x.compare_name,
	                    .ncompare = x.ncompare,
	                    .link_rate = c->link_rate};
	snprintf(eo.preset_name, sizeof eo.preset_name, "%s", name);
	rc = explorer_run(&eo);
	extras_free(&x);
	return rc;
}

/* A closed standard descriptor would be taken by the next file opened (and libuv aborts on one):
 * each of 0, 1 and 2 that is closed is opened on /dev/null. */
static void std_fds_valid(void)
{
	for (int fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF && open("/dev/null", fd ? O_WRONLY : O_RDONLY) < 0)
			_exit(1);
}

int main(int argc, char **argv)
{
	std_fds_valid();
	/* LC_CTYPE only: numbers are always read and written in the C locale. */
	setlocale(LC_CTYPE, "");
	cli c = {.method = SIM_SEGMENTS, .tolerance = -1, .link_rate = -1};
	int rc = parse_cli(argc, argv, &c);
	if (rc == 0)
		rc = run(&c);
	free(c.sets);
	free(c.data);
	free(c.compare);
	return rc;
}
