/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The explorer's themes (theme.h): every foreground it uses reads on its theme's background in
 * xterm's default palette (contrast ratio >= 4.5:1, computed), on 256, 16 and 8 colours; the hues
 * stay apart where the palette allows; and the terminal's background is read from its OSC 11 answer
 * and from COLORFGBG. */
#define _XOPEN_SOURCE 600 /* posix_openpt */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"
#include "theme.h"

/* A terminal on the master side of a pty that behaves like tmux 3.3 in an xterm with a white
 * background: it answers the device attributes request at once, ignores a plain OSC 11 query,
 * and when passthrough is on answers the wrapped one (ESC P tmux; ...) 30 ms later, as the outer
 * terminal's answer comes back. Returns what theme_detect said, -1 on a setup failure. */
static int detect_in_fake_tmux(int passthrough, int *noted)
{
	int master = posix_openpt(O_RDWR | O_NOCTTY);
	if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0)
		return -1;
	int slave = open(ptsname(master), O_RDWR | O_NOCTTY);
	if (slave < 0)
		return -1;
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		char buf[512];
		size_t n = 0;
		close(slave);
		while (n < sizeof buf - 1) {
			ssize_t r = read(master, buf + n, sizeof buf - 1 - n);
			if (r <= 0)
				_exit(1);
			n += (size_t)r;
			buf[n] = '\0';
			if (strstr(buf, "\033[c"))
				break;
		}
		static const char da[] = "\033[?1;2c", white[] = "\033]11;rgb:ffff/ffff/ffff\007";
		if (write(master, da, sizeof da - 1) < 0)
			_exit(1);
		if (passthrough && strstr(buf, "\033Ptmux;\033\033]11;?")) {
			poll(NULL, 0, 30);
			if (write(master, white, sizeof white - 1) < 0)
				_exit(1);
		}
		poll(NULL, 0, 500); /* keep the pty open while the parent reads */
		_exit(0);
	}
	int kind = theme_detect(THEME_AUTO, slave, 150);
	*noted = theme_note()[0] != '\0';
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	close(slave);
	close(master);
	return kind;
}

static const char *const hue_name[] = {"", "red", "green", "yellow", "blue", "magenta", "cyan", "grey"};

int main(void)
{
	/* The WCAG formula against its known values. */
	ok(theme_contrast(0x000000, 0xffffff) > 20.99 && theme_contrast(0x000000, 0xffffff) < 21.01,
	   "black on white: 21:1");
	ok(theme_contrast(0x777777, 0xffffff) > 4.47 && theme_contrast(0x777777, 0xffffff) < 4.49,
	   "#777 on white: 4.48:1");
	ok(theme_xterm_rgb(196) == 0xff0000 && theme_xterm_rgb(21) == 0x0000ff && theme_xterm_rgb(244) == 0x808080 &&
	       theme_xterm_rgb(12) == 0x5c5cff,
	   "xterm's palette: the cube, the greys and the 16 base colours");
	/* Its old colours fail: the test can fail. */
	ok(theme_contrast(theme_xterm_rgb(3), 0xffffff) < 4.5 && theme_contrast(theme_xterm_rgb(2), 0xffffff) < 4.5,
	   "xterm's yellow and green on white are below 4.5:1 (why the light theme exists)");

	static const int ncol[] = {256, 16, 8};
	for (int kind = THEME_DARK; kind <= THEME_LIGHT; kind++)
		for (int c = 0; c < 3; c++) {
			unsigned bg = theme_xterm_rgb(theme_bg(kind));
			double worst = 99;
			char bad[256] = "";
			for (int hue = 1; hue <= 7; hue++) {
				int fg = theme_fg(kind, ncol[c], hue);
				if (fg < 0)
					continue;
				double r = theme_contrast(theme_xterm_rgb(fg), bg);
				if (r < worst)
					worst = r;
				if (r < THEME_MIN_CONTRAST)
					snprintf(bad + strlen(bad), sizeof bad - strlen(bad), " %s (%d: %.2f)", hue_name[hue],
					         fg, r);
				if (ncol[c] == 8 && fg >= 16)
					snprintf(bad + strlen(bad), sizeof bad - strlen(bad), " %s beyond 8 colours", hue_name[hue]);
			}
			ok(bad[0] == '\0', "%s theme, %d colours: every foreground >= 4.5:1 on %06x (worst %.2f)%s",
			   theme_name(kind), ncol[c], bg, worst, bad);
		}
	/* On 256 colours the six hues and the grey are seven colours, on both backgrounds. */
	for (int kind = THEME_DARK; kind <= THEME_LIGHT; kind++) {
		int distinct = 1;
		for (int a = 1; a <= 7; a++)
			for (int b = a + 1; b <= 7; b++)
				if (theme_fg(kind, 256, a) == theme_fg(kind, 256, b) || theme_fg(kind, 256, a) < 0)
					distinct = 0;
		ok(distinct, "%s theme, 256 colours: six hues and a grey, seven colours", theme_name(kind));
	}
	ok(theme_fg(THEME_MONO, 256, 4) == -1 && theme_fg(THEME_DARK, 2, 4) == -1, "mono, or no colours: none");

	const char white[] = "\033]11;rgb:ffff/ffff/ffff\033\\", black[] = "\033]11;rgb:0000/0000/0000\007";
	const char cream[] = "\033]11;rgb:fd/f6/e3\033\\", solar[] = "\033[?64;1c\033]11;rgb:0000/2b2b/3636\033\\";
	ok(theme_from_osc11(white, sizeof white - 1) == THEME_LIGHT, "OSC 11 white: light");
	ok(theme_from_osc11(black, sizeof black - 1) == THEME_DARK, "OSC 11 black (BEL-ended): dark");
	ok(theme_from_osc11(cream, sizeof cream - 1) == THEME_LIGHT, "two-digit channels: light");
	ok(theme_from_osc11(solar, sizeof solar - 1) == THEME_DARK, "after another answer: dark");
	ok(theme_from_osc11("\033[?64;1c", 8) == 0 && theme_from_osc11("\033]11;rgb:zz/00/00", 18) == 0,
	   "no answer, or a broken one: nothing");
	ok(theme_from_colorfgbg("0;15") == THEME_LIGHT && theme_from_colorfgbg("15;0") == THEME_DARK &&
	       theme_from_colorfgbg("0;default;15") == THEME_LIGHT && theme_from_colorfgbg("") == 0 &&
	       theme_from_colorfgbg("15;x") == 0,
	   "COLORFGBG: its last field is the background");
	ok(theme_parse("light") == THEME_LIGHT && theme_parse("mono") == THEME_MONO && theme_parse("auto") == THEME_AUTO &&
	       theme_parse("blue") == -1,
	   "--theme names");
	ok(theme_detect(THEME_LIGHT, -1, 10) == THEME_LIGHT, "a theme asked for is taken as it is");

	/* Inside tmux: the wrapped query reaches the outer terminal when passthrough is on, and its
	 * late answer (after tmux's own device attributes) still counts; without passthrough dark is
	 * assumed and the explorer gets a note to show. */
	int noted = 0;
	unsetenv("COLORFGBG");
	setenv("TMUX", "/tmp/tmux-test/default,1,0", 1);
	ok(detect_in_fake_tmux(1, &noted) == THEME_LIGHT && !noted,
	   "inside tmux with passthrough: the outer terminal's white background, 30 ms after tmux's answer");
	ok(detect_in_fake_tmux(0, &noted) == THEME_DARK && noted,
	   "inside tmux without passthrough: dark, and a note says so");
	unsetenv("TMUX");
	ok(detect_in_fake_tmux(1, &noted) == THEME_DARK && !noted,
	   "outside tmux: the device attributes answer ends the wait (no passthrough asked)");
	return tap_done();
}
