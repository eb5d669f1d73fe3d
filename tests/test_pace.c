/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The link's measure and the keys' filter (pace.h): the rate from the answers' round trips, what is
 * assumed before an answer and while one is late, and which bytes of the keyboard are the terminal's
 * answers (taken out) and which are keys (passed in order, also when cut between reads). */
#include <stdio.h>
#include <string.h>

#include "pace.h"
#include "tap.h"

/* Runs S through the filter expecting EXPECT answers: the keys in OUT (a string), the answers. */
static int run(pace_filter *f, const char *s, int expect, char *out)
{
	int answers;
	size_t n = pace_filter_run(f, (const unsigned char *)s, strlen(s), (unsigned char *)out, expect,
	                           &answers);
	out[n] = '\0';
	return answers;
}

static int near(double a, double b, double tol)
{
	return a > b - tol && a < b + tol;
}

int main(void)
{
	pace_filter f = {0};
	char out[1024];
	int a;

	/* ---- the filter ---- */
	a = run(&f, "\033[24;80R", 1, out);
	ok(a == 1 && out[0] == '\0' && f.nheld == 0, "a position report in flight is taken out");
	a = run(&f, "x\033OC\033[60;200Ry\033[A", 1, out);
	ok(a == 1 && strcmp(out, "x\033OCy\033[A") == 0, "keys around it pass in order");
	a = run(&f, "\033[1;2R", 0, out);
	ok(a == 0 && strcmp(out, "\033[1;2R") == 0, "with no question in flight it is a key (Shift+F3)");
	a = run(&f, "\033[2;2R\033[3;3R", 1, out);
	ok(a == 1 && strcmp(out, "\033[3;3R") == 0, "no more answers than questions in flight");
	a = run(&f, "\033[?62;22c\033]11;rgb:ffff/ffff/ffff\033\\\033]11;rgb:0/0/0\007k", 0, out);
	ok(a == 0 && strcmp(out, "k") == 0, "late answers to the start's questions (attributes, colour) go");
	a = run(&f, "\033[<0;10;5M\033[<0;10;5m", 1, out);
	ok(a == 0 && strcmp(out, "\033[<0;10;5M\033[<0;10;5m") == 0, "mouse reports (SGR) pass");
	a = run(&f, "\033[M \033!q", 1, out);
	ok(a == 0 && strcmp(out, "\033[M \033!q") == 0, "an X10 mouse report passes whole, its raw bytes too");
	a = run(&f, "\033x\033\033[D", 1, out);
	ok(a == 0 && strcmp(out, "\033x\033\033[D") == 0, "Alt+x, Esc then an arrow pass");

	/* cut between reads */
	a = run(&f, "k\033[24;", 1, out);
	ok(a == 0 && strcmp(out, "k") == 0 && f.nheld == 5, "an answer cut short is held");
	a = run(&f, "80Rj", 1, out);
	ok(a == 1 && strcmp(out, "j") == 0 && f.nheld == 0, "and taken out when the rest comes");
	a = run(&f, "\033", 1, out);
	ok(a == 0 && out[0] == '\0' && f.nheld == 1, "a lone Esc at the end is held while an answer is due");
	size_t n = pace_filter_flush(&f, (unsigned char *)out);
	ok(n == 1 && out[0] == '\033' && f.nheld == 0, "and given as a key when nothing follows");
	a = run(&f, "\033", 0, out);
	ok(a == 0 && strcmp(out, "\033") == 0 && f.nheld == 0, "with none due it is a key at once");
	a = run(&f, "\033[1", 0, out);
	ok(a == 0 && out[0] == '\0' && f.nheld == 3, "a sequence cut short is held even so");
	a = run(&f, ";5A", 0, out);
	ok(a == 0 && strcmp(out, "\033[1;5A") == 0, "and passes whole (Ctrl+Up)");
	a = run(&f, "\033]", 0, out);
	ok(a == 0 && f.nheld == 2, "the start of an OSC answer is held");
	a = run(&f, "11;rgb:1/2/3\033", 0, out);
	ok(a == 0 && out[0] == '\0' && f.nheld == 15, "its body too, up to a cut string terminator");
	a = run(&f, "\\z", 0, out);
	ok(a == 0 && strcmp(out, "z") == 0, "and it goes when the terminator comes");
	a = run(&f, "\033]x\033Oy", 0, out);
	ok(strcmp(out, "\033]x\033Oy") == 0, "Alt+] then keys: not an answer, all pass");
	/* a long answer split in many reads */
	const char *seq = "\033[123;456R";
	for (size_t i = 0; seq[i]; i++) {
		char one[2] = {seq[i], 0};
		a = run(&f, one, 1, out);
		if (a == 1 || out[0])
			break;
	}
	ok(a == 1 && out[0] == '\0' && f.nheld == 0, "an answer arriving a byte at a time is taken out");

	/* ---- the rate ---- */
	pace p;
	pace_init(&p, -1);
	ok(pace_rate(&p, 0) == PACE_UNKNOWN_RATE, "no answer yet: the cautious rate");
	ok(PACE_UNKNOWN_RATE < 2000, "which a 2,000 B/s link carries");
	ok(pace_want_query(&p, 0), "asks after the first frame");
	pace_wrote(&p, 0.0);
	pace_asked(&p, 0.01, 4004); /* a frame of 4000 bytes, then the question */
	ok(!pace_want_query(&p, 0.5), "one question in flight at a time");
	ok(pace_want_query(&p, 1.2), "asked again after a second without an answer");
	ok(pace_in_flight(&p, 4004) == 4004, "all of it may be on its way");
	ok(pace_answered(&p, 2.0) == 1, "the answer matches the question");
	ok(near(pace_rate(&p, 2.0), 2002 * PACE_SHARE, 1), "4004 bytes in 2 s: 2002 B/s, kept to %.0f%% of it (%.0f)",
	   PACE_SHARE * 100, pace_rate(&p, 2.0));
	ok(pace_in_flight(&p, 4004) == 0, "nothing in flight once answered");
	ok(pace_answered(&p, 2.1) == 0, "an answer with no question in flight is not one");

	/* the link is busy from the answer before: frames written before it count from it */
	pace_wrote(&p, 1.5);
	pace_asked(&p, 1.5, 8008);
	ok(near(pace_rate(&p, 2.5), 2002 * PACE_SHARE, 1), "a question on time leaves the rate");
	pace_answered(&p, 4.0); /* 4004 bytes, from the previous answer at 2.0 */
	ok(near(pace_rate(&p, 4.0), 2002 * PACE_SHARE, 1), "bytes written while the link was busy count from the "
	                                       "answer before (%.0f)", pace_rate(&p, 4.0));

	/* a late answer lowers the rate to what its wait allows, never below the cautious rate */
	pace_wrote(&p, 5.0);
	pace_asked(&p, 5.0, 8008 + 40000);
	pace_answered(&p, 7.0); /* 40000 bytes in 2 s */
	ok(near(pace_rate(&p, 7.0), 20000 * PACE_SHARE, 1), "a faster sample raises the rate (%.0f)",
	   pace_rate(&p, 7.0));
	pace_wrote(&p, 8.0);
	pace_asked(&p, 8.0, 48008 + 100000);
	ok(near(pace_rate(&p, 13.0), 20000 * PACE_SHARE, 1), "100000 bytes at 20000 B/s: 5 s are on time");
	ok(near(pace_rate(&p, 18.0), 10000 * PACE_SHARE, 1), "after 10 s: at most 100000 / 10 B/s (%.0f)",
	   pace_rate(&p, 18.0));
	ok(pace_rate(&p, 200.0) == PACE_UNKNOWN_RATE, "after long: the cautious rate");
	pace_answered(&p, 30.0);

	/* a fast terminal: the answer within a millisecond lifts the pace */
	pace_init(&p, -1);
	pace_wrote(&p, 0.0);
	pace_asked(&p, 0.0005, 6000);
	pace_answered(&p, 0.0015);
	ok(pace_rate(&p, 0.002) > 1e6, "a frame answered within 1.5 ms: over 1 MB/s (%.0f)", pace_rate(&p, 0.002));
	/* the best of the last samples: a small frame's round trip does not lower it */
	pace_wrote(&p, 0.1);
	pace_asked(&p, 0.1, 6000 + 600);
	pace_answered(&p, 0.15);
	ok(pace_rate(&p, 0.2) > 1e6, "a small frame's slower round trip keeps the best rate");
	/* segments too small to tell a rate: no sample */
	pace_init(&p, -1);
	pace_wrote(&p, 0.0);
	pace_asked(&p, 0.0, 100);
	pace_answered(&p, 0.05);
	ok(pace_rate(&p, 0.1) == PACE_UNKNOWN_RATE, "100 bytes say nothing of the rate");

	/* unanswered questions: at most PACE_NQ in flight, then one is taken as lost */
	pace_init(&p, -1);
	double t = 0;
	for (int i = 0; i < PACE_NQ; i++, t += 1.5) {
		ok(pace_want_query(&p, t), "question %d asked", i + 1);
		pace_asked(&p, t, 1000.0 * (i + 1));
	}
	ok(!pace_want_query(&p, t) && p.nq == PACE_NQ, "no more while %d are in flight", PACE_NQ);
	ok(pace_want_query(&p, 12.0), "until the oldest is taken as lost");
	pace_asked(&p, 12.0, 9000);
	ok(p.nq == PACE_NQ && p.q[0].t == 1.5, "which makes room");

	/* given rates */
	pace_init(&p, 0);
	ok(pace_rate(&p, 1) == 0 && !pace_want_query(&p, 1), "--link-rate 0: unpaced, nothing asked");
	pace_init(&p, 7000);
	ok(pace_rate(&p, 1) == 7000 && !pace_want_query(&p, 1), "--link-rate 7000: that rate");
	return tap_done();
}
