/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The explorer's remembered choices (config.h). */
#include "config.h"

#include <errno.h>
#include <iniparser.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "canvas.h"
#include "inisave.h"
#include "presets.h"
#include "theme.h"

void config_init(config *c)
{
	c->glyphs = 0;
	c->theme = -1;
	c->yfixed = -1;
	c->link_rate = -1;
}

int config_path(char *buf, size_t len, int create)
{
	/* Beside the user's presets folder (presets.h makes it and its parents). */
	if (presets_user_dir(buf, len, create) < 0)
		return -1;
	char *slash = strrchr(buf, '/');
	if (!slash || (size_t)(slash - buf) + sizeof "/config.ini" > len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(slash, "/config.ini");
	return 0;
}

static int bad(char *err, size_t errlen, const char *path, const char *key, const char *v, const char *want)
{
	snprintf(err, errlen, "%s: %s: '%s' is not %s", path, key, v, want);
	return -1;
}

int config_load(const char *path, config *c, char *err, size_t errlen)
{
	if (access(path, F_OK) != 0)
		return 0;
	dictionary *d = iniparser_load(path);
	if (!d) {
		snprintf(err, errlen, "%s: cannot be read as an INI file", path);
		return -1;
	}
	config n;
	config_init(&n);
	int rc = 0;
	const char *v;
	if (!rc && (v = iniparser_getstring(d, "explorer:glyphs", NULL))) {
		int m = canvas_mode_parse(v);
		rc = m < 0 ? bad(err, errlen, path, "glyphs", v, "braille, block or ascii") : 0;
		n.glyphs = 1 + m;
	}
	if (!rc && (v = iniparser_getstring(d, "explorer:theme", NULL))) {
		n.theme = theme_parse(v);
		rc = n.theme < 0 ? bad(err, errlen, path, "theme", v, "auto, light, dark or mono") : 0;
	}
	if (!rc && (v = iniparser_getstring(d, "explorer:y_scale", NULL))) {
		n.yfixed = strcmp(v, "fixed") == 0 ? 1 : strcmp(v, "fitted") == 0 ? 0 : -1;
		rc = n.yfixed < 0 ? bad(err, errlen, path, "y_scale", v, "fitted or fixed") : 0;
	}
	if (!rc && (v = iniparser_getstring(d, "explorer:link_rate", NULL))) {
		char *end;
		n.link_rate = strtod(v, &end);
		rc = end == v || *end || !(n.link_rate >= 0 && n.link_rate <= 1e9)
		         ? bad(err, errlen, path, "link_rate", v, "bytes per second from 0 to 1e9")
		         : 0;
	}
	iniparser_freedict(d);
	if (rc == 0)
		*c = n;
	return rc;
}

int config_format(const config *c, char *buf, size_t len)
{
	int n = snprintf(buf, len, "; calcium-stdp's explorer: the choices it starts with (the command line "
	                           "wins)\n[explorer]\n");
	if (c->glyphs >= 1 && c->glyphs <= 3)
		n += snprintf(buf + n, len - (size_t)n, "glyphs = %s\n", canvas_mode_name((canvas_mode)(c->glyphs - 1)));
	if (c->theme >= 0)
		n += snprintf(buf + n, len - (size_t)n, "theme = %s\n", theme_name(c->theme));
	if (c->yfixed >= 0)
		n += snprintf(buf + n, len - (size_t)n, "y_scale = %s\n", c->yfixed ? "fixed" : "fitted");
	if (c->link_rate >= 0)
		n += snprintf(buf + n, len - (size_t)n, "link_rate = %.0f\n", c->link_rate);
	return n;
}

int config_save(const char *path, const config *c, char *full, size_t fulllen, char *err, size_t errlen)
{
	char text[512];
	int n = config_format(c, text, sizeof text);
	return inisave_write(path, text, (size_t)n, 0, full, fulllen, err, errlen) == INISAVE_OK ? 0 : -1;
}
