/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The lesson parser: what a good lesson's steps hold, and every kind of bad step refused with its
 * FILE:LINE before anything is shown. */
#include <stdlib.h>
#include <string.h>

#include "lesson.h"
#include "params.h"
#include "tap.h"

/* Two steps show the same state (the line of the wait aside). */
static int same_step(const lesson_step *a, const lesson_step *b)
{
	if (memcmp(a->params.v, b->params.v, sizeof a->params.v) != 0 || strcmp(a->preset, b->preset) != 0 ||
	    a->view != b->view || a->present != b->present || a->has_cursor != b->has_cursor ||
	    (a->has_cursor && a->cursor_x != b->cursor_x) || a->npins != b->npins ||
	    a->ncaption != b->ncaption || a->wait_s != b->wait_s)
		return 0;
	for (int k = 0; k < a->npins; k++)
		if (memcmp(a->pins[k].params.v, b->pins[k].params.v, sizeof a->pins[k].params.v) != 0 ||
		    strcmp(a->pins[k].label, b->pins[k].label) != 0)
			return 0;
	for (int k = 0; k < a->ncaption; k++)
		if (strcmp(a->caption[k], b->caption[k]) != 0)
			return 0;
	return 1;
}

/* Write l out, parse it again: the same title and steps. */
static void round_trip(const lesson *l, const char *what)
{
	char *text = NULL, err[LESSON_ERRLEN];
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int rc = f ? lesson_write(f, l) : -1;
	if (f)
		fclose(f);
	lesson back;
	int parsed = rc == 0 ? lesson_parse(text, len, "written.lesson", &back, err, sizeof err) : -1;
	int same = parsed == 0 && back.n == l->n && strcmp(back.title, l->title) == 0;
	for (int i = 0; same && i < l->n; i++)
		if (!same_step(&back.steps[i], &l->steps[i])) {
			tap_diag("step %d differs", i + 1);
			same = 0;
		}
	if (!ok(same, "written and read again, the same steps: %s", what))
		tap_diag("%s\n%s", parsed ? err : "", text ? text : "");
	if (parsed == 0)
		lesson_free(&back);
	free(text);
}

static int parse(const char *text, lesson *l, char *err)
{
	return lesson_parse(text, strlen(text), "t.lesson", l, err, LESSON_ERRLEN);
}

/* text is refused with a message starting "t.lesson:LINE:" and containing phrase. */
static void refused(const char *text, int line, const char *phrase, const char *what)
{
	lesson l;
	char err[LESSON_ERRLEN] = "", want[32];
	int rc = parse(text, &l, err);
	snprintf(want, sizeof want, "t.lesson:%d: ", line);
	if (!ok(rc == -1 && strncmp(err, want, strlen(want)) == 0 && strstr(err, phrase) && l.n == 0 &&
	            l.steps == NULL,
	        "refused with its line: %s", what))
		tap_diag("rc %d, message '%s', want '%s...%s'", rc, err, want, phrase);
}

int main(void)
{
	lesson l;
	char err[LESSON_ERRLEN];
	const char *good = "# a comment\n"
	                   "title Two steps\n"
	                   "\n"
	                   "view calcium\n"
	                   "cursor 10\n"
	                   "caption Calcium from one pair.\n"
	                   "caption The pre transient comes delay_ms late.\n"
	                   "wait key\n"
	                   "  set theta_p=1.6 gamma_p=400   \n"
	                   "pin before\n"
	                   "set tau_ca=30\n"
	                   "present on\n"
	                   "wait 2.5s\n"
	                   "unpin\n"
	                   "view curve\n"
	                   "wait 3\n";
	int rc = parse(good, &l, err);
	ok(rc == 0, "a good lesson parses (%s)", rc ? err : "ok");
	if (rc == 0) {
		param_set d;
		params_defaults(&d);
		is_str(l.title, "Two steps", "the title");
		ok(l.n == 3, "three steps (%d)", l.n);
		ok(l.steps[0].line == 8 && l.steps[1].line == 13 && l.steps[2].line == 16,
		   "each step knows the line of its wait");
		ok(l.steps[0].view == LESSON_VIEW_CALCIUM && l.steps[0].has_cursor &&
		       l.steps[0].cursor_x == 10,
		   "step 1: the calcium view, the cursor at +10 ms");
		ok(l.steps[0].ncaption == 2 &&
		       strcmp(l.steps[0].caption[1], "The pre transient comes delay_ms late.") == 0,
		   "step 1: two caption lines");
		ok(memcmp(&l.steps[0].params, &d, sizeof d) == 0, "step 1: the defaults");
		ok(l.steps[0].wait_s == 0 && l.steps[1].wait_s == 2.5 && l.steps[2].wait_s == 3,
		   "waits: a key, 2.5 s, 3 s");
		ok(l.steps[1].params.v[P_THETA_P] == 1.6 && l.steps[1].params.v[P_GAMMA_P] == 400 &&
		       l.steps[1].params.v[P_TAU_CA_MS] == 30,
		   "step 2: several assignments on a line, and a short name (tau_ca)");
		ok(l.steps[1].view == LESSON_VIEW_CALCIUM && l.steps[1].cursor_x == 10 && l.steps[1].present,
		   "step 2: the view and the cursor carry over; presentation on");
		ok(l.steps[1].ncaption == 0, "step 2: the caption does not carry over");
		ok(l.steps[1].npins == 1 && strcmp(l.steps[1].pins[0].label, "before") == 0 &&
		       l.steps[1].pins[0].params.v[P_THETA_P] == 1.6 &&
		       l.steps[1].pins[0].params.v[P_TAU_CA_MS] == 20,
		   "step 2: the pin holds the set as it was when pinned");
		ok(l.steps[2].npins == 0 && l.steps[2].view == LESSON_VIEW_CURVE &&
		       memcmp(&l.steps[2].params, &l.steps[1].params, sizeof d) == 0,
		   "step 3: unpinned, the curve view, the set of step 2");
		round_trip(&l, "the two-step lesson");
		lesson_free(&l);
	}
	/* Pins replaced (not only added), a pin of another set, parameters that change back, exact
	 * values that need all their digits. */
	ok(parse(
	       "title pins\npin one\nset theta_p=1.6\npin two\nwait key\nunpin\nset theta_p=1.3\npin three\n"
	       "set gamma_p=321.80800000000005 tau_ca=20.1\ncursor -12.345678901234567\nwait 0.1\n"
	       "set gamma_p=321.808\npin\nwait key\n",
	       &l, err) == 0,
	   "a lesson of pins (%s)", err);
	round_trip(&l, "pins replaced, values with all their digits");
	lesson_free(&l);
	/* A preset is named in the steps (its data set and reference come with it), and written so. */
	ok(parse("title presets\npreset DP\nset theta_p=1.4\nwait key\npreset DPD\nset reps=99\nwait key\n",
	         &l, err) == 0 &&
	       strcmp(l.steps[0].preset, "DP") == 0 && strcmp(l.steps[1].preset, "DPD") == 0,
	   "each step knows its preset (%s)", err);
	{
		char *text = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);
		int rc = f ? lesson_write(f, &l) : -1;
		if (f)
			fclose(f);
		if (!ok(rc == 0 && text && strstr(text, "\npreset DP\n") &&
		            strstr(text, "\npreset DPD\nset reps=99\n"),
		        "the written lesson names the presets, the sets going on from their values"))
			tap_diag("%s", text ? text : "");
		free(text);
	}
	round_trip(&l, "two presets");
	lesson_free(&l);
	/* The lessons that ship. */
	const char *params_dir = getenv("CALCIUM_STDP_PARAMS");
	const char *names[] = {"why-the-curve", "rate-vs-timing"};
	for (int k = 0; k < 2; k++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/../lessons/%s.lesson", params_dir ? params_dir : "params",
		         names[k]);
		int rc2 = lesson_load(path, &l, err, sizeof err);
		if (!ok(rc2 == 0, "%s.lesson loads", names[k])) {
			tap_diag("%s", err);
			continue;
		}
		round_trip(&l, names[k]);
		lesson_free(&l);
	}
	ok(parse("set protocol=frequency\ncursor 40\nwait key\n", &l, err) == 0 && l.steps[0].cursor_x == 40,
	   "a cursor in Hz on the frequency protocol");
	lesson_free(&l);
	ok(parse("preset DPD\nwait key\n", &l, err) == 0 && l.steps[0].params.v[P_C_PRE] == 0.9,
	   "a preset by name (%s)", err);
	lesson_free(&l);

	refused("view calcium\nfly away\nwait key\n", 2, "'fly' is not a lesson step", "an unknown step");
	refused("set theta_q=1\nwait key\n", 1, "did you mean 'theta_d'",
	        "an unknown parameter, with a suggestion");
	refused("\n\nset theta_p=99\nwait key\n", 3, "theta_p: 99 is out of range", "a value out of range");
	refused("set theta_p=abc\nwait key\n", 1, "not a valid value", "a value that is no number");
	refused("set theta_p\nwait key\n", 1, "not NAME=VALUE", "an assignment without a value");
	refused("set\nwait key\n", 1, "nothing to set", "set alone");
	refused("view spectrum\nwait key\n", 1, "use curve, calcium, efficacy or map", "an unknown view");
	refused("present maybe\nwait key\n", 1, "present on", "present neither on nor off");
	refused("caption a\ncaption b\ncaption c\nwait key\n", 3, "at most 2 caption lines",
	        "a third caption line");
	refused("caption "
	        "0123456789012345678901234567890123456789012345678901234567890123456789012345678\nwait key\n",
	        1, "at most 76", "a caption line too long for 80 columns");
	refused("caption tab\there\nwait key\n", 1, "printable ASCII", "a control character in a caption");
	refused("caption\nwait key\n", 1, "text is missing", "an empty caption");
	refused("wait key\ncaption left over\n", 2, "the last step has no 'wait'", "a step without its wait");
	refused("# only a comment\n", 1, "no steps", "a lesson without steps");
	refused("", 1, "no steps", "an empty file");
	refused("wait soon\n", 1, "is not 'key' or a number of seconds", "a wait that is no time");
	refused("wait 0\n", 1, "above 0", "a wait of 0 s");
	refused("wait 601\n", 1, "at most 600", "a wait too long");
	refused("wait nan\n", 1, "is not 'key'", "a wait of nan");
	refused("cursor ten\nwait key\n", 1, "not a number", "a cursor that is no number");
	refused("cursor 150\nwait key\n", 1, "outside this step's curve, -100 to 100",
	        "a cursor off the curve");
	refused("cursor 50\nwait key\nset dt_max_ms=20\nwait key\n", 4, "outside this step's curve",
	        "a cursor left off the curve by a later step: refused at that step");
	refused("set dt_min_ms=50\nset dt_max_ms=20\nwait key\n", 2, "dt_min_ms (50) must not be greater",
	        "a set invalid as a whole: the line of its last assignment");
	refused("title a\ntitle b\nwait key\n", 2, "already has a title (line 1)", "two titles");
	refused("preset NoSuchPreset\nwait key\n", 1, "no preset named 'NoSuchPreset'", "an unknown preset");
	refused("pin\npin\npin\npin\npin\npin\npin\npin\npin\nwait key\n", 9, "at most 8 pinned",
	        "a ninth pin");
	refused("unpin all\nwait key\n", 1, "takes nothing", "unpin with an argument");
	{
		char *longline = malloc(2100);
		memset(longline, 'x', 2000);
		strcpy(longline + 2000, "\nwait key\n");
		lesson_parse(longline, strlen(longline), "t.lesson", &l, err, sizeof err);
		ok(strncmp(err, "t.lesson:1: ", 12) == 0 && strstr(err, "longer than"), "a line too long: %s",
		   err);
		free(longline);
	}
	{
		/* the NUL case above: strlen stops at it, so give the length */
		const char text[] = "wait key\nset b=5\0\nwait key\n";
		ok(lesson_parse(text, sizeof text - 1, "t.lesson", &l, err, sizeof err) == -1 &&
		       strncmp(err, "t.lesson:2: ", 12) == 0,
		   "a NUL byte inside the text: refused at its line (%s)", err);
	}
	ok(lesson_load("/nonexistent/x.lesson", &l, err, sizeof err) == -1 && strstr(err, "cannot open"),
	   "a missing file: %s", err);
	return tap_done();
}
