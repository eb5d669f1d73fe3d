/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The explorer's themes (theme.h): every foreground it uses reads on its theme's background in
 * xterm's default palette (contrast ratio >= 4.5:1, computed), on 256, 16 and 8 colours; the hues
 * stay apart where the palette allows; and the terminal's background is read from its OSC 11 answer
 * and from COLORFGBG. */
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "theme.h"

static const char *const hue_name[] = {"", "red", "green", "yellow", "blue", "magenta", "cyan"};

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
			for (int hue = 1; hue <= 6; hue++) {
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
	/* On 256 colours the six hues are six colours, on both backgrounds. */
	for (int kind = THEME_DARK; kind <= THEME_LIGHT; kind++) {
		int distinct = 1;
		for (int a = 1; a <= 6; a++)
			for (int b = a + 1; b <= 6; b++)
				if (theme_fg(kind, 256, a) == theme_fg(kind, 256, b))
					distinct = 0;
		ok(distinct, "%s theme, 256 colours: six hues, six colours", theme_name(kind));
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
	return tap_done();
}
