/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The command table (commands.c, keys.h): one table binds the keys and makes the help screen's
 * entries, the hints line and the man page. A command added to a copy of the table, and nothing
 * else, shows up in all of them and runs from its key. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "keys.h"
#include "tap.h"

/* The rows leave their last members out on purpose (C11 6.7.9: they are zero); clang's -Wextra would
 * flag every row, also when a user's CFLAGS turn -Wextra on after configure's -Wno-. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

static int ran;

static void test_command(struct ui *u)
{
	(void)u;
	ran++;
}

/* The hints line as frame.c puts it on the screen, into a string (ASCII keys). */
static void hints_line(const keys_command *t, int n, int present, int width, char *out)
{
	keys_hint h[KEYS_HINTS_MAX];
	int m = keys_hints(t, n, NULL, present, 0, width, h);
	memset(out, ' ', (size_t)width);
	out[width] = '\0';
	for (int i = 0; i < m; i++) {
		int k = (int)strlen(h[i].key), w = (int)strlen(h[i].what);
		if (h[i].x + k + 1 + w <= width) {
			memcpy(out + h[i].x, h[i].key, (size_t)k);
			memcpy(out + h[i].x + k + 1, h[i].what, (size_t)w);
		}
	}
	for (int i = width - 1; i >= 0 && out[i] == ' '; i--)
		out[i] = '\0';
}

/* The help screen's entries as "KEYS  WHAT" lines, one string. */
static void help_text(const keys_command *t, int n, char *out, size_t len)
{
	int rows[256], m = keys_help_rows(t, n, rows);
	size_t used = 0;
	out[0] = '\0';
	for (int i = 0; i < m && used < len; i++)
		used +=
		    (size_t)snprintf(out + used, len - used, "%s  %s\n", t[rows[i]].keys, t[rows[i]].help);
}

static void man_text(const keys_command *t, int n, char *out, size_t len)
{
	FILE *f = fmemopen(out, len, "w");
	keys_print_man(t, n, f);
	fclose(f);
}

int main(void)
{
	static char help0[16384], help1[16384], man0[16384], man1[16384], line[256];
	int n = commands_count;
	keys_command *t = calloc((size_t)n + 1, sizeof *t);
	if (!t)
		return 1;

	/* The table as it is: every key bound once, every entry worded, the hints line the screen has. */
	int dup = 0, words = 1;
	for (int i = 0; i < n; i++) {
		for (int k = 0; k < KEYS_BOUND && commands_table[i].key[k]; k++)
			if (keys_find(commands_table, n, commands_table[i].key[k]) != &commands_table[i]) {
				dup = 1;
				tap_diag("key %d of %s is bound twice", commands_table[i].key[k],
				         commands_table[i].name);
			}
		if (commands_table[i].keys && !(commands_table[i].help && commands_table[i].help[0]))
			words = 0;
		if ((commands_table[i].hint || commands_table[i].present) &&
		    !(commands_table[i].hint_key && commands_table[i].hint_what))
			words = 0;
	}
	ok(!dup, "each key runs one command");
	ok(words, "every help entry and every hint has its words");
	ok(keys_help_rows(commands_table, n, NULL) == 38, "the help lists 38 entries (%d)",
	   keys_help_rows(commands_table, n, NULL));
	hints_line(commands_table, n, 0, 99, line);
	is_str(line,
	       " Up/Down select  Left/Right adjust  < > cursor  c calcium  v efficacy  P present  ? help  q "
	       "quit",
	       "the hints line at 99 columns");
	hints_line(commands_table, n, 1, 99, line);
	is_str(line,
	       " Up/Down parameter  Left/Right change  P leave  < > cursor  c calcium  v efficacy  "
	       "? help  q quit",
	       "presenting, the hints line says what works there");
	ok(keys_find(commands_table, n, 'Z') == NULL, "Z runs nothing yet");

	/* A new command, one row and nothing else: in the hints at its rank, listed in the help and the man
	 * page, and run by its key. */
	memcpy(t, commands_table, (size_t)n * sizeof *t);
	t[n] = (keys_command){"test-zap", test_command, {'Z'}, "Z",   "zap the test's counter", 1, "Z",
	                      NULL,       "zap",        1,     "zap!"};
	help_text(commands_table, n, help0, sizeof help0);
	help_text(t, n + 1, help1, sizeof help1);
	ok(!strstr(help0, "zap") && strstr(help1, "Z  zap the test's counter\n"),
	   "the help lists the new command");
	ok(strncmp(help0, help1, strlen(help0)) == 0, "and the other entries as before");
	hints_line(t, n + 1, 0, 99, line);
	ok(strncmp(line, " Up/Down select  Z zap  Left/Right adjust", 41) == 0 &&
	       strstr(line, "? help  q quit"),
	   "the hints line shows it at its rank: '%s'", line);
	hints_line(t, n + 1, 1, 99, line);
	ok(strncmp(line, " Up/Down parameter  Z zap!  Left/Right change", 45) == 0,
	   "presenting too, in its own word: '%s'", line);
	hints_line(t, n + 1, 0, 45, line);
	is_str(line, " Up/Down select  Z zap  ? help  q quit",
	       "a narrow line keeps the tail and drops what does not fit");
	man_text(commands_table, n, man0, sizeof man0);
	man_text(t, n + 1, man1, sizeof man1);
	ok(strstr(man1, ".TP\n.B \"Z\"\nzap the test's counter.\n") && !strstr(man0, "zap"),
	   "the man page lists it");
	const keys_command *c = keys_find(t, n + 1, 'Z');
	ok(c && strcmp(c->name, "test-zap") == 0, "Z finds the command by its key");
	if (c)
		c->run(NULL);
	ok(ran == 1, "and runs its function");
	ok(keys_find(t, n + 1, 'q') == keys_find(commands_table, n, 'q') - commands_table + t,
	   "the other keys run what they ran");
	free(t);
	return tap_done();
}
