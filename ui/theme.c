/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Colour themes and the terminal's background (theme.h). */
#define _GNU_SOURCE /* memmem */
#include "theme.h"

#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

/* Foregrounds by hue (ANSI numbers 0 .. 7; -1: the default). Each reads on its background with a
 * contrast of at least 4.5:1 in xterm's default palette (tests/test_theme.c). */
static const int dark256[8] = {-1, 203, 77, 227, 75, 213, 80, 245};
static const int light256[8] = {-1, 124, 22, 94, 25, 127, 24, 242};
/* 16 colours: on black, xterm's bright blue (12) is too dark, so blue takes bright cyan and cyan
 * white; on white, its green, yellow and cyan are too pale and take black, and no grey reads. */
static const int dark16[8] = {-1, 9, 10, 11, 14, 13, 15, 8};
static const int light16[8] = {-1, 1, 0, 0, 4, 5, 0, -1};

int theme_parse(const char *name)
{
	static const char *const names[] = {"auto", "dark", "light", "mono"};
	for (int i = 0; i < 4; i++)
		if (strcmp(name, names[i]) == 0)
			return i;
	return -1;
}

const char *theme_name(int kind)
{
	static const char *const names[] = {"auto", "dark", "light", "mono"};
	return kind >= 0 && kind < 4 ? names[kind] : "?";
}

int theme_fg(int kind, int ncolors, int hue)
{
	if (kind == THEME_MONO || hue < 1 || hue > 7 || (hue == 7 && ncolors < 16) || ncolors < 8)
		return -1;
	int light = kind == THEME_LIGHT;
	if (ncolors >= 256)
		return light ? light256[hue] : dark256[hue];
	return light ? light16[hue] : dark16[hue];
}

int theme_bg(int kind)
{
	return kind == THEME_LIGHT ? 15 : 0;
}

unsigned theme_xterm_rgb(int i)
{
	static const unsigned base[16] = {0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd,
	                                  0x00cdcd, 0xe5e5e5, 0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00,
	                                  0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff};
	if (i < 0 || i > 255)
		return 0;
	if (i < 16)
		return base[i];
	if (i < 232) {
		static const unsigned level[6] = {0, 95, 135, 175, 215, 255};
		int k = i - 16;
		return level[k / 36] << 16 | level[k / 6 % 6] << 8 | level[k % 6];
	}
	unsigned g = 8 + 10 * (unsigned)(i - 232);
	return g << 16 | g << 8 | g;
}

static double channel(unsigned v)
{
	double c = v / 255.0;
	return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double luminance(unsigned rgb)
{
	return 0.2126 * channel(rgb >> 16 & 255) + 0.7152 * channel(rgb >> 8 & 255) + 0.0722 * channel(rgb & 255);
}

double theme_contrast(unsigned a, unsigned b)
{
	double la = luminance(a), lb = luminance(b);
	return (fmax(la, lb) + 0.05) / (fmin(la, lb) + 0.05);
}

int theme_from_osc11(const char *reply, size_t len)
{
	const char *p = memmem(reply, len, "]11;rgb:", 8);
	if (!p)
		return 0;
	p += 8;
	/* Each channel: 1 to 4 hex digits, scaled by its own width. */
	double v[3];
	for (int k = 0; k < 3; k++) {
		char *end;
		unsigned long x = strtoul(p, &end, 16);
		int digits = (int)(end - p);
		if (digits < 1 || digits > 4 || (k < 2 && *end != '/'))
			return 0;
		v[k] = (double)x / (double)((1ul << (4 * digits)) - 1);
		p = end + 1;
	}
	unsigned rgb = (unsigned)lround(v[0] * 255) << 16 | (unsigned)lround(v[1] * 255) << 8 |
	               (unsigned)lround(v[2] * 255);
	return luminance(rgb) > 0.18 ? THEME_LIGHT : THEME_DARK;
}

int theme_from_colorfgbg(const char *v)
{
	if (!v || !*v)
		return 0;
	const char *last = strrchr(v, ';');
	last = last ? last + 1 : v;
	char *end;
	long bg = strtol(last, &end, 10);
	if (end == last || *end)
		return 0;
	/* 7 (light grey) and 9 .. 15 but 8 (dark grey) and 12 (blue) are light backgrounds. */
	if (bg == 7 || bg == 15 || bg == 11 || bg == 10 || bg == 14 || bg == 13 || bg == 9)
		return THEME_LIGHT;
	return bg >= 0 && bg <= 15 ? THEME_DARK : 0;
}

static long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

/* What the last theme_detect left to say (theme_note). */
static char note[128];

const char *theme_note(void)
{
	return note;
}

/* Inside tmux (3.3 at least) an OSC 11 query gets an answer only when a window or pane style sets
 * a background (tmux answers with that); tmux neither answers with the outer terminal's colour
 * nor passes the query on. Wrapped in its passthrough DCS (ESC P tmux; ... ESC \, with every ESC
 * inside doubled) the query reaches the outer terminal when allow-passthrough is on, and its
 * answer comes back to the pane. tmux answers the device attributes request itself, before the
 * outer terminal's answer can arrive, so inside tmux the wait ends with an answer after that one,
 * or both answers, or the timeout. (GNU screen 4.9 passes the plain query on and needs nothing.) */
static int osc11_answers(const char *buf, size_t n)
{
	int count = 0;
	for (const char *p = buf; (p = memmem(p, n - (size_t)(p - buf), "]11;", 4)) != NULL; p += 4)
		count++;
	return count;
}

static int inside_tmux(void)
{
	const char *t = getenv("TMUX");
	return t && *t;
}

int theme_query(int fd, int timeout_ms)
{
	struct termios old, raw;
	if (!isatty(fd) || tcgetattr(fd, &old) < 0)
		return 0;
	raw = old;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	raw.c_cc[VMIN] = 0;
	raw.c_cc[VTIME] = 0;
	if (tcsetattr(fd, TCSANOW, &raw) < 0)
		return 0;
	/* The query, then a device attributes request that every terminal answers: when its answer
	 * comes first, the terminal does not know OSC 11 and there is no need to wait longer. */
	static const char q[] = "\033]11;?\033\\\033[c";
	static const char qtmux[] = "\033]11;?\033\\\033Ptmux;\033\033]11;?\007\033\\\033[c";
	int tmux = inside_tmux(), kind = 0;
	const char *qs = tmux ? qtmux : q;
	size_t qlen = tmux ? sizeof qtmux - 1 : sizeof q - 1;
	if (write(fd, qs, qlen) == (ssize_t)qlen) {
		char buf[256];
		size_t n = 0;
		long end = now_ms() + timeout_ms;
		for (;;) {
			long left = end - now_ms();
			struct pollfd pfd = {.fd = fd, .events = POLLIN};
			if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
				break;
			ssize_t r = read(fd, buf + n, sizeof buf - 1 - n);
			if (r <= 0)
				break;
			n += (size_t)r;
			buf[n] = '\0';
			if (!kind)
				kind = theme_from_osc11(buf, n);
			/* The device attributes' answer ends the exchange: ESC [ ? ... c. Inside tmux an
			 * answer before it is tmux's own and the outer terminal's may follow, so there the
			 * end is an answer after it (the outer terminal's, which comes last) or both. */
			const char *da = memmem(buf, n, "\033[?", 3);
			const char *dend = da ? memchr(da, 'c', (size_t)(buf + n - da)) : NULL;
			if (dend && (!tmux || osc11_answers(buf, n) >= 2 ||
			             osc11_answers(dend, (size_t)(buf + n - dend)) >= 1))
				break;
			if (n >= sizeof buf - 1)
				break;
		}
	}
	tcsetattr(fd, TCSANOW, &old);
	return kind;
}

int theme_detect(int kind, int fd, int timeout_ms)
{
	note[0] = '\0';
	if (kind != THEME_AUTO)
		return kind;
	int k = theme_query(fd, timeout_ms);
	if (!k)
		k = theme_from_colorfgbg(getenv("COLORFGBG"));
	if (!k && inside_tmux() && isatty(fd))
		snprintf(note, sizeof note, "tmux hid the background (dark assumed): --theme light, "
		                            "or tmux's allow-passthrough on");
	return k ? k : THEME_DARK;
}
