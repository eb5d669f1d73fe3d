/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The link to the terminal (pace.c): how fast it drains, measured by round trips, and the filter
 * that takes the terminal's answers out of the keys. No curses, no libuv: times are seconds and
 * byte counts are totals since the start, given by the caller. */
#ifndef CSTDP_PACE_H
#define CSTDP_PACE_H

#include <stddef.h>

/* The question: the cursor position report (DSR 6). A terminal answers ESC [ row ; col R only once
 * it has processed everything written before the question, so the time to the answer tells how
 * long the bytes before it took to cross the link and be drawn. */
#define PACE_QUERY "\033[6n"
#define PACE_QUERY_LEN 4

/* Bytes/s assumed while the terminal has not answered yet (or stopped answering): below a
 * 2,000 B/s link's, so that a link that answers no question never backs up. */
#define PACE_UNKNOWN_RATE 1500.0

/* The share of the measured rate the frames keep to: the link idles now and then, so that the key
 * released finds little ahead of its frame. */
#define PACE_SHARE 0.7

#define PACE_NQ 4 /* questions in flight at most */
#define PACE_NS 6 /* rate samples kept */

typedef struct pace {
	double fixed; /* >= 0: the rate given (--link-rate, the config file), 0 unpaced; < 0: measured */
	struct {
		double t;     /* when it was asked, s */
		double bytes; /* bytes written up to and with it */
		double start; /* when the first byte after the question before it was written, s */
	} q[PACE_NQ];
	int nq;               /* questions in flight, oldest first */
	double seg_start;     /* the first write since the last question, s; < 0: none */
	double answered;      /* bytes written up to the last answered question */
	double answered_t;    /* when it was answered, s; < 0: never */
	int answers;          /* answers so far */
	double sample[PACE_NS]; /* the last rates measured (bytes/s), each a lower bound */
	int ns, si;
} pace;

void pace_init(pace *p, double fixed);
/* Output was written at NOW (a frame): the link is busy from then on. */
void pace_wrote(pace *p, double now);
/* Whether to ask now (after a frame): when no question is in flight, or the last one is old. */
int pace_want_query(const pace *p, double now);
/* The question went out at NOW; TOTAL: bytes written so far, the question's included. */
void pace_asked(pace *p, double now, double total);
/* An answer came at NOW: it answers the oldest question in flight. 0: none was in flight. */
int pace_answered(pace *p, double now);
/* The bytes/s to keep to at NOW; 0: unpaced. A measured link: a share of the best rate of the last
 * samples, lowered while a question takes much longer than that rate says; PACE_UNKNOWN_RATE before
 * the first answer. */
double pace_rate(const pace *p, double now);
/* Of TOTAL bytes written, how many may still be on their way: those after the last answered
 * question (all of them before the first answer). */
double pace_in_flight(const pace *p, double total);

/* The filter of the keyboard's bytes: the answers to the questions (ESC [ row ; col R, while one is
 * in flight), to device attributes (ESC [ ? ... c) and to colour queries (ESC ] ... BEL or ST) are
 * taken out, everything else passes in order. A sequence cut at the end of a read is kept until the
 * next read or until pace_filter_flush. */
typedef struct pace_filter {
	unsigned char held[256];
	size_t nheld;
} pace_filter;

/* IN (N bytes) after what is held; the keys go to OUT (room for N + sizeof held), their count is
 * returned. *ANSWERS counts the position reports taken out: at most EXPECT of them. */
size_t pace_filter_run(pace_filter *f, const unsigned char *in, size_t n, unsigned char *out,
                       int expect, int *answers);
/* What is held, as keys (no more came): its count, written to OUT (room for sizeof held). */
size_t pace_filter_flush(pace_filter *f, unsigned char *out);

#endif
