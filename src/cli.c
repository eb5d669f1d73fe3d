/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading the command line. The command line is one table (cli_options): each option says which mode
 * it selects, or which modes use it. The rules users meet follow from the table alone: one mode per
 * run (two modes are refused, naming both), an option the chosen mode does not use is refused (naming
 * the modes that do), an option given twice is refused unless the table marks it repeatable. To add
 * an option: a row in cli_options (and a field in cli with a take_* function when it has a value); to
 * add a mode: a value in cli_mode (cli.h), its name in cli_mode_names, a row that selects it, and a
 * branch in main.c's run. --help, the man page's mode table and the messages then include it. */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "inifile.h"
#include "theme.h"
#include "usertext.h"

const char *const cli_mode_names[CLI_MODE_COUNT] = {
    [CLI_MODE_EXPLORER] = "the explorer", [CLI_MODE_BATCH] = "--batch",      [CLI_MODE_PLOT] = "--plot",
    [CLI_MODE_LIST] = "--list-presets",   [CLI_MODE_SAVE] = "--save",        [CLI_MODE_HELP] = "--help",
    [CLI_MODE_VERSION] = "--version",     [CLI_MODE_DUMP] = "--dump-params", [CLI_MODE_FIT] = "--fit",
    [CLI_MODE_EXPORT] = "--export",       [CLI_MODE_LESSON] = "--lesson",
    [CLI_MODE_MERGE] = "--merge",
};

/* ---- messages -------------------------------------------------------------------------------- */

int cli_fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "calcium-stdp: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	return 2;
}

const char *cli_show(const char *s)
{
	static char buf[2][USERTEXT_LEN];
	static int k;
	k = !k;
	return usertext_show(s, USERTEXT_CUT, buf[k], sizeof buf[k]);
}

/* ---- the options ----------------------------------------------------------------------------- */



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

const cli_option cli_options[] = {
    /* The modes: one per run. */
    {.name = "batch", .key = 'b', .selects = CLI_MODE_BATCH},
    {.name = "plot", .selects = CLI_MODE_PLOT},
    {.name = "list-presets", .selects = CLI_MODE_LIST},
    {.name = "save", .arg = "FILE", .selects = CLI_MODE_SAVE, .setting_in = CLI_IN(CLI_MODE_FIT), .take = take_save},
    {.name = "fit", .arg = "NAMES", .selects = CLI_MODE_FIT, .take = take_fit},
    {.name = "merge", .selects = CLI_MODE_MERGE},
    {.name = "help", .key = 'h', .selects = CLI_MODE_HELP},
    {.name = "version", .key = 'V', .selects = CLI_MODE_VERSION},
    {.name = "export", .arg = "WHAT", .selects = CLI_MODE_EXPORT, .take = take_export},
    {.name = "lesson", .arg = "FILE", .selects = CLI_MODE_LESSON, .take = take_lesson},
    {.name = "check", .modes = CLI_IN(CLI_MODE_LESSON), .flag = FLAG(check)},
    {.name = "dump-params", .arg = "WHAT", .selects = CLI_MODE_DUMP, .take = take_dump, .hidden = 1},
    /* The parameters. */
    {.name = "preset", .key = 'p', .arg = "NAME", .modes = CLI_SETS, .take = take_preset},
    {.name = "params", .key = 'f', .arg = "FILE", .modes = CLI_SETS, .take = take_params},
    {.name = "set", .key = 's', .arg = "NAME=VALUE", .modes = CLI_SETS, .repeatable = 1, .take = take_set},
    {.name = "reps", .key = 'r', .arg = "N", .modes = CLI_SETS, .repeatable = 1, .take = take_reps},
    {.name = "seed", .arg = "N", .modes = CLI_SETS, .repeatable = 1, .take = take_seed},
    {.name = "protocol", .arg = "NAME", .modes = CLI_SETS, .repeatable = 1, .take = take_protocol},
    /* The computation. */
    {.name = "analytic", .key = 'a', .modes = CLI_IN(CLI_MODE_BATCH) | CLI_IN(CLI_MODE_PLOT), .flag = FLAG(analytic)},
    {.name = "threads", .key = 't', .arg = "N", .modes = CLI_RUNS, .take = take_threads},
    {.name = "method", .arg = "NAME", .modes = CLI_RUNS, .take = take_method},
    /* Measured data and other parameter sets. */
    {.name = "data",
     .arg = "FILE",
     .modes = CLI_IN(CLI_MODE_EXPLORER) | CLI_IN(CLI_MODE_PLOT) | CLI_IN(CLI_MODE_FIT),
     .repeatable = 1,
     .take = take_data},
    {.name = "compare",
     .arg = "FILE",
     .modes = CLI_IN(CLI_MODE_EXPLORER) | CLI_IN(CLI_MODE_BATCH) | CLI_IN(CLI_MODE_PLOT),
     .repeatable = 1,
     .take = take_compare},
    /* Maps and sweeps. */
    {.name = "map", .arg = "NAME=FROM:TO:N", .modes = CLI_IN(CLI_MODE_BATCH), .repeatable = 1, .take = take_map},
    {.name = "sweep",
     .arg = "NAME=FROM:TO:N[:log]",
     .modes = CLI_IN(CLI_MODE_BATCH),
     .repeatable = 1,
     .take = take_sweep},
    {.name = "shard", .arg = "K/N", .modes = CLI_IN(CLI_MODE_BATCH), .take = take_shard},
    {.name = "tolerance", .arg = "T", .modes = CLI_IN(CLI_MODE_BATCH) | CLI_IN(CLI_MODE_EXPLORER), .take = take_tolerance},
    {.name = "force", .modes = CLI_IN(CLI_MODE_BATCH), .flag = FLAG(force)},
    /* The display. */
    {.name = "ascii", .modes = CLI_IN(CLI_MODE_EXPLORER) | CLI_IN(CLI_MODE_PLOT), .flag = FLAG(ascii)},
    {.name = "glyphs", .arg = "SET", .modes = CLI_IN(CLI_MODE_EXPLORER) | CLI_IN(CLI_MODE_PLOT), .take = take_glyphs},
    {.name = "present", .modes = CLI_IN(CLI_MODE_EXPLORER) | CLI_IN(CLI_MODE_LESSON), .flag = FLAG(present)},
    {.name = "link-rate", .arg = "BYTES", .modes = CLI_IN(CLI_MODE_EXPLORER), .take = take_link_rate},
    {.name = "theme", .arg = "NAME", .modes = CLI_IN(CLI_MODE_EXPLORER) | CLI_IN(CLI_MODE_LESSON), .take = take_theme},
    {.name = "freqs", .arg = "LIST", .modes = CLI_IN(CLI_MODE_PLOT), .take = take_freqs},
    {.name = "width", .arg = "N", .modes = CLI_IN(CLI_MODE_PLOT), .take = take_width},
    {.name = "height", .arg = "N", .modes = CLI_IN(CLI_MODE_PLOT), .take = take_height},
};
#define NOPTIONS ((int)(sizeof cli_options / sizeof cli_options[0]))
const int cli_noptions = NOPTIONS;

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

void cli_modes_text(unsigned mask, char *buf, size_t len)
{
	int n = 0, total = 0;
	for (int m = 0; m < CLI_MODE_COUNT; m++)
		total += (mask & CLI_IN(m)) != 0;
	buf[0] = '\0';
	for (int m = 0; m < CLI_MODE_COUNT; m++) {
		if (!(mask & CLI_IN(m)))
			continue;
		size_t used = strlen(buf);
		snprintf(buf + used, len - used, "%s%s",
		         n == 0           ? ""
		         : n == total - 1 ? " and "
		                          : ", ",
		         cli_mode_names[m]);
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
		cli_fail("%s: '%s' is not valid: must be a whole number from %d to %d", opt, cli_show(arg), lo, hi);
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
		cli_fail("%s: '%s' is unknown: use segments, stepwise or reference", opt, cli_show(arg));
		return -1;
	}
	c->method = (sim_method)m;
	return 0;
}

static int take_glyphs(cli *c, const char *opt, const char *arg)
{
	int m = canvas_mode_parse(arg);
	if (m < 0) {
		cli_fail("%s: '%s' is unknown: use braille, block or ascii", opt, cli_show(arg));
		return -1;
	}
	c->glyphs = 1 + m;
	return 0;
}

static int take_theme(cli *c, const char *opt, const char *arg)
{
	int k = theme_parse(arg);
	if (k < 0) {
		cli_fail("%s: '%s' is unknown: use light, dark, mono or auto", opt, cli_show(arg));
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
			cli_fail("%s: at most %d frequencies", opt, TEXTPLOT_MAX_FREQS);
			return -1;
		}
		char *tok = strndup(s, n);
		if (!tok) {
			cli_fail("%s", "out of memory");
			return -1;
		}
		char err[512];
		int rc =
		    n == 0 ? -1 : params_parse_value(P_FREQ_HZ, tok, &c->freqs[c->nfreqs], err, sizeof err);
		free(tok);
		if (rc < 0) {
			if (n == 0)
				cli_fail("%s: '%s': an empty frequency; expected a list like 1,20,30,40,50", opt,
				     cli_show(arg));
			else
				cli_fail("%s: %s", opt, err);
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
		cli_fail("%s: %s", opt, err);
		return -1;
	}
	c->sets[c->nsets++] = (cli_assign){.opt = opt, .id = id, .value = value};
	return 0;
}

static int take_set(cli *c, const char *opt, const char *arg)
{
	const char *eq = strchr(arg, '=');
	if (!eq || eq == arg) {
		cli_fail("%s: '%s' is not NAME=VALUE (for example --set theta_p=1.4)", opt, cli_show(arg));
		return -1;
	}
	char *name = strndup(arg, (size_t)(eq - arg));
	if (!name) {
		cli_fail("%s", "out of memory");
		return -1;
	}
	int id = params_lookup(name); /* the panel's short names too */
	if (id < 0) {
		const char *s = params_suggest(name);
		cli_fail("%s: unknown parameter '%s'%s%s%s (--help lists them)", opt, cli_show(name),
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
		cli_fail("%s: the %s is empty", opt, what);
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
		cli_fail("%s", err);
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
		cli_fail("%s: '%s' is unknown: use brian2, command or ini", opt, cli_show(arg));
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
		cli_fail("%s: '%s' is unknown: use man, keys, modes or names", opt, cli_show(arg));
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
		cli_fail("%s: %s", opt, err);
		return -1;
	}
	if (map && ++c->nmap > 2) {
		cli_fail("%s: a map has two parameters: give --map twice (--sweep takes more)", opt);
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
		cli_fail("%s", err);
		return -1;
	}
	return 0;
}

static int take_tolerance(cli *c, const char *opt, const char *arg)
{
	char err[512];
	if (classify_parse_tolerance(arg, &c->tolerance, err, sizeof err) < 0) {
		cli_fail("%s: %s", opt, err);
		return -1;
	}
	return 0;
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
	const char *what = cli_show(shown ? shown : text);
	if (matches > 1)
		cli_fail("option '%s' is ambiguous: it could be %s", what, candidates);
	else
		cli_fail("unknown option '%s' (see --help)", what);
	free(shown);
	return 2;
}

/* After getopt returned '?' or ':' for the option ending at argv[optind - 1]. */
static int bad_option(int ch, char **argv)
{
	const char *text = argv[optind - 1];
	int i = optopt ? option_index(optopt) : -1;
	if (ch == ':' && i >= 0)
		return cli_fail("option '--%s' needs a value (%s; see --help)", cli_options[i].name,
		            cli_options[i].arg);
	if (i >= 0) /* getopt says this when a long option without a value gets one */
		return cli_fail("option '--%s' takes no value", cli_options[i].name);
	if (optopt) { /* a short option; optind may still be at the group ("-xb") */
		char s[2] = {(char)optopt, 0};
		return cli_fail("unknown option '-%s' (see --help)", cli_show(s));
	}
	if (strncmp(text, "--", 2) == 0)
		return bad_long(text);
	return cli_fail("unknown option '%s' (see --help)", cli_show(text));
}

int cli_parse(int argc, char **argv, cli *c)
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
		return cli_fail("%s", "out of memory");
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
			return cli_fail("%s given twice: %s", opt,
			            o->selects ? "one mode per run" : "give it once");
		spelled[i] = opt;
		if (o->selects && mode_i >= 0 && (o->setting_in & CLI_IN(c->mode))) {
			/* a setting of the mode already chosen (--fit ... --save FILE) */
		} else if (o->selects && mode_i >= 0 && (cli_options[mode_i].setting_in & CLI_IN(o->selects))) {
			c->mode =
			    o->selects; /* --save FILE --fit ...: --fit is the mode, --save its setting */
			c->mode_opt = opt;
			mode_i = i;
		} else if (o->selects) {
			if (c->mode_opt)
				return cli_fail("%s and %s are two modes: one mode per run (see --help)",
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
	if (c->mode == CLI_MODE_EXPORT && c->export_kind != EXPORT_COMMAND && optind == argc - 1)
		c->export_file = argv[optind++]; /* --export brian2 FILE */
	if (c->mode == CLI_MODE_MERGE) {
		c->merge = argv + optind;
		c->nmerge = argc - optind;
		if (c->nmerge == 0)
			return cli_fail("%s",
			            "--merge: name the parts to merge (files, or - for standard input)");
	} else if (optind < argc)
		return cli_fail("unexpected argument '%s' (options start with - or --; see --help)",
		            cli_show(argv[optind]));
	for (int i = 0; i < NOPTIONS; i++) {
		const cli_option *o = &cli_options[i];
		if (!spelled[i] || o->selects || (o->modes & CLI_IN(c->mode)))
			continue;
		char uses[256];
		cli_modes_text(o->modes, uses, sizeof uses);
		return cli_fail("%s is not used by %s (only by %s): leave it out", spelled[i],
		            cli_mode_names[c->mode], uses);
	}
	if (c->preset && c->params_file)
		return cli_fail("%s", "--preset and --params both give a starting set: use one");
	if (c->nmap && c->nsweep)
		return cli_fail("%s", "--map and --sweep both given: a run makes a map or a sweep, not both");
	if (c->nmap == 1)
		return cli_fail("%s", "--map: a map has two parameters: give --map twice");
	if (c->shard.n && !c->nmap && !c->nsweep)
		return cli_fail("%s", "--shard: only a map or a sweep has parts: add --map twice or --sweep");
	if (c->tolerance >= 0 && c->mode == CLI_MODE_BATCH && !c->nmap)
		return cli_fail("%s", "--tolerance is for the classes of a map: add --map twice");
	if (c->ncompare && (c->nmap || c->nsweep))
		return cli_fail("%s", "--compare draws other sets beside one curve: a map or a sweep takes none");
	if (c->force && !c->nmap && !c->nsweep)
		return cli_fail("%s", "--force is for a map or a sweep expected to take more than a day");
	return 0;
}

void cli_free(cli *c)
{
	free(c->sets);
	free(c->data);
	free(c->compare);
}
