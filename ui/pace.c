/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The link to the terminal: how fast it drains, from the round trips of cursor position questions,
 * and the filter that takes the terminal's answers out of the keys before curses sees them.
 *
 * SSH and terminal emulators buffer megabytes, so a program cannot see a slow link back up in its
 * writes (and a pty's output queue reads 0). The terminal itself can tell: it answers ESC [ 6 n only
 * after drawing everything before it. The bytes written between two questions, over the time from
 * when the link started on them (the first write after the question before, or that question's
 * answer if it was busy until then) to the answer, is a lower bound of the link's rate: a round
 * trip's latency only makes it smaller. The largest of the last few is the estimate, and the frames
 * keep to a share of it. */
#include "pace.h"

#include <string.h>

/* Segments smaller than this say more about the round trip's latency than about the rate. */
#define SAMPLE_MIN_BYTES 512.0
/* A question is asked again after this long without an answer (one in flight at a time else). */
#define REASK_S 1.0
/* With PACE_NQ in flight and the oldest this old, it is taken as lost. */
#define LOST_S 10.0
/* A question may take this much longer than the rate says (latency, a busy loop) before the rate
 * is lowered to what its wait allows. */
#define SLACK_S 0.3

#define ESC 0x1b

void pace_init(pace *p, double fixed)
{
	memset(p, 0, sizeof *p);
	p->fixed = fixed;
	p->seg_start = -1;
	p->answered_t = -1;
}

void pace_wrote(pace *p, double now)
{
	if (p->seg_start < 0)
		p->seg_start = now;
}

int pace_want_query(const pace *p, double now)
{
	if (p->fixed >= 0)
		return 0;
	if (p->nq == 0)
		return 1;
	if (p->nq < PACE_NQ)
		return now - p->q[p->nq - 1].t >= REASK_S;
	return now - p->q[0].t >= LOST_S;
}

void pace_asked(pace *p, double now, double total)
{
	if (p->nq == PACE_NQ) { /* the oldest is lost */
		memmove(&p->q[0], &p->q[1], (PACE_NQ - 1) * sizeof p->q[0]);
		p->nq--;
	}
	p->q[p->nq].t = now;
	p->q[p->nq].bytes = total;
	p->q[p->nq].start = p->seg_start >= 0 ? p->seg_start : now;
	p->nq++;
	p->seg_start = -1;
}

/* When the link started on the oldest question's bytes. */
static double oldest_start(const pace *p)
{
	double s = p->q[0].start;
	return p->answered_t > s ? p->answered_t : s;
}

int pace_answered(pace *p, double now)
{
	if (p->nq == 0)
		return 0;
	double bytes = p->q[0].bytes - p->answered, t = now - oldest_start(p);
	if (bytes >= SAMPLE_MIN_BYTES) {
		p->sample[p->si] = bytes / (t > 1e-4 ? t : 1e-4);
		p->si = (p->si + 1) % PACE_NS;
		if (p->ns < PACE_NS)
			p->ns++;
	}
	p->answered = p->q[0].bytes;
	p->answered_t = now;
	p->answers++;
	memmove(&p->q[0], &p->q[1], (PACE_NQ - 1) * sizeof p->q[0]);
	p->nq--;
	return 1;
}

double pace_rate(const pace *p, double now)
{
	if (p->fixed >= 0)
		return p->fixed;
	if (p->ns == 0)
		return PACE_UNKNOWN_RATE;
	double r = 0;
	for (int i = 0; i < p->ns; i++)
		if (p->sample[i] > r)
			r = p->sample[i];
	double out = r * PACE_SHARE;
	if (p->nq > 0) {
		/* The oldest question's bytes have not all crossed yet: the link is no faster than that. */
		double pending = p->q[0].bytes - p->answered, age = now - oldest_start(p);
		if (age > pending / r + SLACK_S) {
			double bound = pending / age * PACE_SHARE;
			if (bound < PACE_UNKNOWN_RATE)
				bound = PACE_UNKNOWN_RATE;
			if (bound < out)
				out = bound;
		}
	}
	return out;
}

double pace_in_flight(const pace *p, double total)
{
	return total - p->answered;
}

/* ---- the keys' filter ---- */

/* Whether S (N bytes, the parameters of a CSI sequence) is "digits;digits". */
static int is_position(const unsigned char *s, size_t n)
{
	size_t i = 0, d1 = 0, d2 = 0;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++, d1++;
	if (i == n || s[i] != ';')
		return 0;
	i++;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++, d2++;
	return i == n && d1 > 0 && d2 > 0;
}

/* The length of the sequence at S (N bytes, S[0] == ESC) and what it is: 1 an answer to take out,
 * 2 a position report, 0 keys; -1: cut short (more may come). */
static long sequence(const unsigned char *s, size_t n, int *kind)
{
	*kind = 0;
	if (n < 2)
		return -1;
	if (s[1] == '[') {
		size_t i = 2;
		if (i < n && s[i] == 'M' ) /* an X10 mouse report: three raw bytes follow */
			return n >= 6 ? 6 : -1;
		while (i < n && s[i] >= 0x30 && s[i] <= 0x3f) /* parameters */
			i++;
		size_t pend = i;
		while (i < n && s[i] >= 0x20 && s[i] <= 0x2f) /* intermediates */
			i++;
		if (i == n)
			return -1;
		if (s[i] < 0x40 || s[i] > 0x7e)
			return 1; /* not a sequence: the Esc alone is a key */
		if (s[i] == 'R' && pend == i && is_position(s + 2, pend - 2))
			*kind = 2;
		else if (s[i] == 'c' && pend > 2 && s[2] == '?')
			*kind = 1; /* device attributes */
		return (long)i + 1;
	}
	if (s[1] == ']') { /* an operating system command's answer, to BEL or ST */
		for (size_t i = 2; i < n; i++) {
			if (s[i] == 0x07) {
				*kind = 1;
				return (long)i + 1;
			}
			if (s[i] == ESC) {
				if (i + 1 == n)
					return -1;
				if (s[i + 1] == '\\') {
					*kind = 1;
					return (long)i + 2;
				}
				return 1; /* not an answer: the Esc is a key (Alt+]) */
			}
		}
		return -1;
	}
	return 1;
}

size_t pace_filter_run(pace_filter *f, const unsigned char *in, size_t n, unsigned char *out,
                       int expect, int *answers)
{
	size_t o = 0;
	*answers = 0;
	/* The held bytes, then the new ones, as one stream: the held part first goes out of f->held. */
	unsigned char buf[sizeof f->held + 512];
	while (f->nheld > 0 || n > 0) {
		size_t take = sizeof buf - f->nheld < n ? sizeof buf - f->nheld : n;
		size_t m = f->nheld + take;
		memcpy(buf, f->held, f->nheld);
		memcpy(buf + f->nheld, in, take);
		in += take;
		n -= take;
		f->nheld = 0;
		size_t i = 0;
		while (i < m) {
			if (buf[i] != ESC) {
				out[o++] = buf[i++];
				continue;
			}
			int kind;
			long len = sequence(buf + i, m - i, &kind);
			if (len < 0) {
				/* Cut short: kept for the next read when it can still be an answer (and it
				 * fits), else it is keys. A lone Esc is kept only while an answer is due. */
				int keep = m - i < sizeof f->held && (n > 0 || m - i > 1 || expect > *answers);
				if (keep) { /* to the next round, or the next read */
					memcpy(f->held, buf + i, m - i);
					f->nheld = m - i;
					break;
				}
				len = 1;
			}
			if (kind == 2 && *answers < expect) {
				(*answers)++;
			} else if (kind == 1) {
				/* an answer to a question asked at start-up */
			} else {
				memcpy(out + o, buf + i, (size_t)len);
				o += (size_t)len;
			}
			i += (size_t)len;
		}
		if (n == 0)
			break;
	}
	return o;
}

size_t pace_filter_flush(pace_filter *f, unsigned char *out)
{
	size_t n = f->nheld;
	memcpy(out, f->held, n);
	f->nheld = 0;
	return n;
}
