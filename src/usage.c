/* SPDX-License-Identifier: GPL-3.0-or-later */
/* --help and the man page's generated parts (the parameters, the modes and their options), printed
 * from the one parameter table and the one option table, so that they cannot drift from the code. */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include "usage.h"

#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "params.h"

/* ---- --help and the man page ----------------------------------------------------------------- */

/* The range and default of parameter i as --help and the man page print them. */
static void range_texts(int i, char lo[32], char hi[32], char def[32])
{
	params_format_exact(params_table[i].min, lo, 32);
	params_format_exact(params_table[i].max, hi, 32);
	params_format_value(i, params_table[i].def, def, 32);
}

/* One parameter a line, a choice's values after its name: what the shell completion offers. */
void usage_params_names(void)
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
	for (int m = 0; m < CLI_MODE_COUNT; m++) {
		if (m == CLI_MODE_HELP || m == CLI_MODE_VERSION || m == CLI_MODE_DUMP)
			continue;
		int col = 17, any = 0;
		if (man) {
			fputs(".TP\n.B ", f);
			roff_name(f, cli_mode_names[m]);
			fputs("\n", f);
		} else {
			fprintf(f, "  %-15s", cli_mode_names[m]);
		}
		for (int i = 0; i < cli_noptions; i++) {
			const cli_option *o = &cli_options[i];
			if (o->hidden || !((!o->selects && (o->modes & CLI_IN(m))) || (o->setting_in & CLI_IN(m))))
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

void usage_print(FILE *f)
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
	    "                         dt_ms,U,D,change,change_lo,change_hi,reps (with efficacy =\n"
	    "                         weight: dt_ms,change,change_lo,change_hi,trials,method)\n"
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
	    "      --lesson FILE      play a lesson in the explorer (see LESSONS in the man page):\n"
	    "                         space or Right: next step, Left: back a step, q: leave the\n"
	    "                         lesson; the other keys as always (W records a lesson, w adds a\n"
	    "                         step); with --check, print its steps without a terminal\n"
	    "      --merge PART...    check the parts of a map or a sweep made with --shard K/N (files,\n"
	    "                         - for standard input) and print the whole output: refuses a part\n"
	    "                         of another run, a truncated, missing or repeated part\n"
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
	    "                         x is dt to the last), poisson (x is the post rate), irregular\n"
	    "                         (Poisson pre spikes, each with a post spike dt later with\n"
	    "                         probability pair_prob; x is dt) or irregular-rate (x is the\n"
	    "                         common rate); same as --set protocol=NAME\n"
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
	    "      --shard K/N        compute only the K-th of N parts, between a first line naming\n"
	    "                         the run and an end line written when the part is complete;\n"
	    "                         --merge joins the N parts into the whole output, byte for byte\n"
	    "      --force            run a map or sweep expected to take more than a day\n"
	    "      --tolerance T      curve classes (D, P, DP, DPD, ..., flat) count departures of the\n"
	    "                         change from 1 by more than T (0 to 1, default 0.01); also the\n"
	    "                         explorer's map\n"
	    "\n"
	    "Display:\n"
	    "      --ascii            ASCII plot even in a UTF-8 locale (same as --glyphs ascii)\n"
	    "      --glyphs SET       braille (the default in UTF-8), block (quadrants: for fonts\n"
	    "                         that draw braille poorly, and projectors) or ascii\n"
	    "      --present          start the explorer in presentation mode (for projectors: the\n"
	    "                         plot takes the screen, large labels, parameters on one line);\n"
	    "                         with --lesson, every step\n"	    "      --theme NAME       the explorer's colours: light, dark, mono (none) or auto (the\n"
	    "                         default: asks the terminal its background, else COLORFGBG)\n"
	    "      --link-rate BYTES  bytes per second the explorer's frames keep to (0: no limit);\n"
	    "                         by default it measures the link by asking the terminal\n"
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
void usage_params_man(void)
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
void usage_modes_man(void)
{
	roff_name(stdout, mode_rule);
	printf("\n.PP\nThe options each mode takes besides its own:\n");
	print_mode_options(stdout, 1);
}
