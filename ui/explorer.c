/* The explorer's loop: one libuv loop carries the keyboard (a poll on fd 0), the signals (watchers
 * started before curses, so that it leaves them alone), the frame limiter (a one-shot timer, armed
 * only when something changed: an idle explorer has nothing pending) and the engine's updates. */
#include "ui.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "readout.h"

/* At most 20 frames a second: smooth, and light on a slow SSH link. */
#define FRAME_MS 50
/* The link's pace. SSH and terminal emulators buffer megabytes, so a program cannot see a slow link
 * back up: it keeps to a byte budget instead (--link-rate), refilled at that rate. While keys
 * arrive, frames wait for the budget (the keys are applied at once, the screen catches up); the
 * frame that shows the last key's result goes out once its run is done or SETTLE_MS after it, so
 * that the link is idle by then and the result arrives without a backlog ahead of it. */
#define LINK_RATE_DEFAULT 3500 /* bytes/s: below a 56 kbit/s modem's 7,000 */
#define SETTLE_MS         250  /* after the last key, its frame waits no longer for the budget */
#define KEY_GAP_MS        45   /* a key this long after the one before starts a burst: drawn at once */
/* How long a confirmation hides the status; an error stays until the next key. */
#define MESSAGE_MS 3000
/* How long a quit waits for workers before it leaves them (the terminal is restored already). */
#define QUIT_WAIT_MS 50

#define NSIGNALS 5
static const int watched_signals[NSIGNALS] = {SIGWINCH, SIGINT, SIGTERM, SIGHUP, SIGCONT};

static void dump_frame(ui *u);

/* Over SSH the link may be slow and cannot be seen backing up: frames keep to a budget there by
 * default. A local terminal drains as fast as it is written. */
static int remote_session(void)
{
	const char *v[] = {"SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY"};
	for (int i = 0; i < 3; i++) {
		const char *s = getenv(v[i]);
		if (s && *s)
			return 1;
	}
	return 0;
}
static void frame_cb(uv_timer_t *t);

/* ---- frames ---- */

/* Bytes this process has written so far (Linux: /proc/self/io), -1 when unknown. */
static long long bytes_written(void)
{
	FILE *f = fopen("/proc/self/io", "r");
	if (!f)
		return -1;
	char line[128];
	long long n = -1;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "wchar: %lld", &n) == 1)
			break;
	fclose(f);
	return n;
}

/* Everything but the run's progress that decides what the plot area shows: when it changes (a view,
 * the cursor, a mode), the frame goes out in full at once. */
static uint64_t layout_signature(const ui *u)
{
	uint64_t h = 1469598103934665603ULL;
	int v[] = {u->view,   u->present,      u->mode,       u->cursor,     u->show_analytic, u->yfixed,
	           u->glyphs, u->freq_overlay, u->lay.plot.w, u->lay.plot.h, u->help_first,    u->preset_sel};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		h = (h ^ (uint64_t)(unsigned)v[i]) * 1099511628211ULL;
	return h;
}

static void link_refill(ui *u, uint64_t now)
{
	if (u->link_rate <= 0)
		return;
	u->link_tokens += u->link_rate * (double)(now - u->link_t) * 1e-3;
	/* Half a second of idle link may be spent at once. */
	if (u->link_tokens > u->link_rate * 0.5)
		u->link_tokens = u->link_rate * 0.5;
	u->link_t = now;
}

/* 1: draw now; 0: not yet (the frame timer is set for when the budget allows one). */
static int frame_due(ui *u, uint64_t now)
{
	if (u->link_rate <= 0 || u->mode != UI_NORMAL || u->lay.too_small || u->link_tokens >= 0 ||
	    u->key_now)
		return 1;
	/* What a key asked for besides a value (a view, the cursor, a mode) goes out at once. */
	if (layout_signature(u) != u->link_sig)
		return 1;
	/* A finished run too, unless keys are still coming (the next one starts another). */
	if (u->complete && !u->link_complete_shown && now - u->last_key >= SETTLE_MS)
		return 1;
	/* Keys have stopped: their result goes out once the run is done or SETTLE_MS after the last,
	 * whatever the budget says, so that the last key's frame is not kept waiting. */
	if (u->last_key > u->last_frame && now - u->last_key >= SETTLE_MS)
		return 1;
	uint64_t wait = (uint64_t)(-u->link_tokens / u->link_rate * 1e3) + 1;
	if (u->last_key > u->last_frame && u->last_key + SETTLE_MS - now < wait)
		wait = u->last_key + SETTLE_MS - now;
	if (wait < FRAME_MS)
		wait = FRAME_MS;
	uv_timer_start(&u->frame, frame_cb, wait, 0);
	return 0;
}

static void frame_cb(uv_timer_t *t)
{
	ui *u = t->data;
	if (!u->dirty || u->quitting)
		return;
	uv_update_time(&u->loop);
	uint64_t now = uv_now(&u->loop);
	link_refill(u, now);
	if (!frame_due(u, now))
		return;
	u->dirty = 0;
	long long before = bytes_written();
	uint64_t t0 = uv_hrtime();
	draw_frame(u);
	long long after = bytes_written();
	double ms = (double)(uv_hrtime() - t0) * 1e-6;
	/* Without a count: a quarter of the screen's cells. */
	double bytes = before >= 0 && after >= before ? (double)(after - before) : (double)COLS * LINES / 4;
	if (u->link_rate > 0) {
		u->link_tokens -= bytes;
		/* Writes that block tell the link's rate: keep below it. */
		if (ms > 100 && bytes > 1000 && bytes * 1e3 / ms < u->link_rate)
			u->link_rate = bytes * 1e3 / ms;
	}
	u->link_bytes += bytes;
	u->link_sig = layout_signature(u);
	u->link_complete_shown = u->complete;
	u->key_now = 0;
	if (u->frames++ == 0)
		screen_mouse_drag(u, 1);
	if (u->dump_pending)
		dump_frame(u);
	uv_update_time(&u->loop);
	u->last_frame = uv_now(&u->loop);
}

void ui_dirty(ui *u)
{
	u->dirty = 1;
	if (u->quitting)
		return;
	uint64_t now = uv_now(&u->loop), due = u->last_frame + FRAME_MS;
	uint64_t delay = due > now ? due - now : 0;
	/* A frame already waiting (for the budget) is brought forward for a key after a pause. */
	if (uv_is_active((uv_handle_t *)&u->frame) &&
	    (!u->key_now || uv_timer_get_due_in(&u->frame) <= delay))
		return;
	uv_timer_start(&u->frame, frame_cb, delay, 0);
}

/* A resize is drawn at once, not at the next frame slot. */
static void draw_now(ui *u)
{
	uv_timer_stop(&u->frame);
	u->dirty = 1;
	u->link_sig = 0; /* in full */
	frame_cb(&u->frame);
}

static void message_expired(uv_timer_t *t)
{
	ui *u = t->data;
	if (!u->msg_error && u->msg[0]) {
		u->msg[0] = '\0';
		ui_dirty(u);
	}
}

void ui_message(ui *u, int error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(u->msg, sizeof u->msg, fmt, ap);
	va_end(ap);
	/* One line: a multi-line report (an INI file's problems) shows its first line. */
	char *nl = strchr(u->msg, '\n');
	if (nl)
		*nl = '\0';
	u->msg_error = error;
	if (!u->quitting) {
		if (error)
			uv_timer_stop(&u->msg_timer);
		else
			uv_timer_start(&u->msg_timer, message_expired, MESSAGE_MS, 0);
	}
	ui_dirty(u);
}

/* ---- the curve ---- */

static int ensure_rows(ui *u, int n)
{
	if (n <= u->rows_cap)
		return 0;
	batch_row *r = realloc(u->rows, (size_t)n * sizeof *r);
	if (r)
		u->rows = r;
	double **arrays[] = {&u->px, &u->py, &u->plo, &u->phi};
	int ok = r != NULL;
	for (int i = 0; i < 4; i++) {
		double *a = realloc(*arrays[i], (size_t)n * sizeof *a);
		if (a)
			*arrays[i] = a;
		ok = ok && a;
	}
	if (!ok)
		return -1;
	u->rows_cap = n;
	return 0;
}

static void set_row(ui *u, int i, const batch_row *r)
{
	u->rows[i] = *r;
	u->px[i] = r->dt_ms;
	u->py[i] = r->reps ? r->change : NAN;
	u->plo[i] = r->reps ? r->change_lo : NAN;
	u->phi[i] = r->reps ? r->change_hi : NAN;
}

/* Write rows to path as --batch's CSV, under the careful rules of every save (inisave.h: a regular
 * file or a new one, replaced atomically, owner and mode kept). full receives the path written. */
static int save_csv(const char *path, const param_set *p, const batch_row *rows, int n, unsigned flags,
                    char *full, size_t fulllen, char *err, size_t errlen)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int bad = !f;
	if (f) {
		batch_write_csv(f, p, rows, n);
		bad = ferror(f);
		bad |= fclose(f) != 0;
	}
	if (bad) {
		free(text);
		snprintf(err, errlen, "%s: out of memory", path);
		return INISAVE_FAILED;
	}
	int rc = inisave_write(path, text, len, flags, full, fulllen, err, errlen);
	free(text);
	return rc;
}

static int write_csv(const char *path, const param_set *p, const batch_row *rows, int n, char *err,
                     size_t errlen)
{
	return save_csv(path, p, rows, n, 0, NULL, 0, err, errlen) == INISAVE_OK ? 0 : -1;
}

/* CALCIUM_STDP_DUMP=PATH, for the tests: once a run has completed and its frame is on the screen,
 * PATH.screen gets the plot as drawn (lines "ROW<tab>TEXT": the screen row, then the canvas cells
 * of that row from its first column), then PATH the rows shown, in --batch's CSV format. So a test
 * can check that the screen shows this curve and that the curve is what --batch prints. */
static void dump_frame(ui *u)
{
	char err[512], path[4096];
	u->dump_pending = 0;
	const sliders_rect *cr = &u->cv_rect;
	if (u->cv && cr->w > 0 && snprintf(path, sizeof path, "%s.screen", u->dump_path) < (int)sizeof path) {
		FILE *f = fopen(path, "w");
		if (f) {
			char row[CANVAS_MAX_SIDE * 3 + 1];
			fprintf(f, "# canvas %dx%d at column %d, row %d (from 1)\n", cr->w, cr->h, cr->x + 1,
			        cr->y + 1);
			for (int r = 0; r < cr->h; r++) {
				canvas_row_utf8(u->cv, r, row, sizeof row);
				fprintf(f, "%d\t%s\n", cr->y + 1 + r, row);
			}
			fclose(f);
		}
	}
	if (write_csv(u->dump_path, &u->params, u->rows, u->points, err, sizeof err) < 0)
		ui_message(u, 1, "CALCIUM_STDP_DUMP: %s", err);
}

static void on_update(const engine_snapshot *s, void *user)
{
	ui *u = user;
	if (u->quitting || ensure_rows(u, s->points) < 0)
		return;
	/* The counts of the units that finished stay; the failed unit is not among them. */
	if (s->failed)
		ui_message(u, 1, "the run stopped: %s", s->error);
	int was_complete = u->complete && u->generation == s->generation;
	const param_set *p = s->params;
	for (int i = 0; i < s->points; i++) {
		readout r;
		readout_from_counts(s->n[i], s->ups[i], s->downs[i], p->v[P_BETA], p->v[P_B], &r);
		batch_row row = {s->dt_ms[i], r.U, r.D, r.change, r.change_lo, r.change_hi, s->n[i]};
		set_row(u, i, &row);
	}
	u->points = s->points;
	u->generation = s->generation;
	u->reps_requested = s->reps_requested;
	u->reps_done = s->reps_done;
	u->reps_total = s->reps_total;
	u->seed = s->seed;
	u->steps_per_s = s->steps_per_s;
	u->elapsed_s = s->elapsed_s;
	u->complete = s->complete;
	u->paused = s->paused;
	if (s->complete && !was_complete && u->dump_path)
		u->dump_pending = 1;
	ui_dirty(u);
}

/* The sliders relevant to p's protocol, keeping the selected parameter selected when it stays. */
static void update_sliders(ui *u, const param_set *p)
{
	int id = u->nvis > 0 ? u->vis[u->selected] : -1;
	u->nvis = sliders_visible(p, u->vis, P_COUNT);
	int sel = u->selected < u->nvis ? u->selected : u->nvis - 1;
	for (int i = 0; i < u->nvis; i++)
		if (u->vis[i] == id)
			sel = i;
	u->selected = sel < 0 ? 0 : sel;
	screen_layout(u);
}

/* The cursor stays where it points along x; a new protocol (a new kind of x) starts it in the
 * middle. */
static void keep_cursor(ui *u, const param_set *old, const param_set *p)
{
	int n = (int)p->v[P_POINTS];
	if (old->v[P_PROTOCOL] != p->v[P_PROTOCOL] || u->cursor < 0 || u->cursor >= (int)old->v[P_POINTS])
		u->cursor = n / 2;
	else
		u->cursor = views_nearest(p, params_x(old, u->cursor));
}

int ui_set_params(ui *u, const param_set *p)
{
	char err[512];
	if (u->quitting)
		return -1;
	if (engine_set_params(u->eng, p, err, sizeof err) < 0) {
		ui_message(u, 1, "%s", err);
		return -1;
	}
	int n = (int)p->v[P_POINTS];
	if (ensure_rows(u, n) < 0) {
		ui_message(u, 1, "out of memory");
		return -1;
	}
	keep_cursor(u, &u->params, p);
	int relayout = u->nvis == 0 || u->params.v[P_PROTOCOL] != p->v[P_PROTOCOL];
	param_set old = u->params;
	u->params = *p;
	overlays_changed(u, &old);
	if (relayout)
		update_sliders(u, p);
	/* The old generation's points do not belong to the new parameters: start empty. */
	for (int i = 0; i < n; i++) {
		batch_row r = {params_x(p, i), NAN, NAN, NAN, NAN, NAN, 0};
		set_row(u, i, &r);
	}
	u->points = n;
	u->reps_requested = (uint64_t)p->v[P_REPS];
	u->reps_done = 0;
	u->reps_total = u->reps_requested * (uint64_t)n;
	u->seed = (uint64_t)p->v[P_SEED];
	u->steps_per_s = 0;
	u->elapsed_s = 0;
	u->complete = 0;
	u->analytic_stale = 1;
	ui_dirty(u);
	return 0;
}

/* ---- actions ---- */

void ui_new_seed(ui *u)
{
	param_set p = u->params;
	p.v[P_SEED] = fmod(p.v[P_SEED] + 1, params_table[P_SEED].max + 1);
	if (ui_set_params(u, &p) == 0)
		ui_message(u, 0, "running again with seed %llu", (unsigned long long)p.v[P_SEED]);
}

void ui_more_reps(ui *u)
{
	double max = params_table[P_REPS].max, now = u->params.v[P_REPS];
	double extra = u->reps_step;
	if (now + extra > max)
		extra = max - now;
	if (extra <= 0) {
		ui_message(u, 1, "reps is at its maximum (%.0f)", max);
		return;
	}
	u->params.v[P_REPS] = now + extra;
	u->reps_requested = (uint64_t)(now + extra);
	u->reps_total = u->reps_requested * (uint64_t)u->points;
	u->complete = 0;
	engine_more(u->eng, (uint64_t)extra);
	ui_message(u, 0, "%.0f more repetitions: %.0f per dt", extra, now + extra);
}

void ui_toggle_pause(ui *u)
{
	u->paused = !u->paused;
	engine_pause(u->eng, u->paused);
	ui_dirty(u);
}

void ui_cursor_set(ui *u, int i)
{
	if (i >= u->points)
		i = u->points - 1;
	u->cursor = i < 0 ? 0 : i;
	ui_dirty(u);
}

void ui_view_toggle(ui *u, enum views_kind k)
{
	u->view = u->view == k ? VIEWS_NONE : k;
	ui_dirty(u);
}

void ui_present_toggle(ui *u)
{
	u->present = !u->present;
	screen_layout(u);
	ui_dirty(u);
}

/* A bare name ("mine") becomes a preset in the user's folder ("mine.ini" there, so that p lists
 * it); anything with a slash is a path. */
static int save_path(const char *name, char *path, size_t len, char *err, size_t errlen)
{
	if (strchr(name, '/')) {
		snprintf(path, len, "%s", name);
		return 0;
	}
	if (name[0] == '.') {
		snprintf(err, errlen, "'%s': a preset name may not start with '.'", name);
		return -1;
	}
	char dir[4096];
	if (presets_user_dir(dir, sizeof dir, 1) < 0) {
		snprintf(err, errlen, "cannot make your preset folder: %s (give a path with a '/')",
		         strerror(errno));
		return -1;
	}
	size_t n = strlen(name);
	int has_ext = n > 4 && strcmp(name + n - 4, ".ini") == 0;
	if (snprintf(path, len, "%s/%s%s", dir, name, has_ext ? "" : ".ini") >= (int)len) {
		snprintf(err, errlen, "'%s': name too long", name);
		return -1;
	}
	return 0;
}

static void base_name(const char *path, char *out, size_t len)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	if (snprintf(out, len, "%s", b) >= (int)len)
		out[len - 1] = '\0'; /* a cut name is still a name */
	size_t n = strlen(out);
	if (n > 4 && strcmp(out + n - 4, ".ini") == 0)
		out[n - 4] = '\0';
}

/* Before a save or an export to path: ask (by a message: "again to confirm") before replacing a
 * file, before replacing a read-only one (then *flags gets INISAVE_FORCE: the user said so), and,
 * for a preset (builtin_name not NULL), before shadowing a built-in preset. what is "save" or
 * "export"; the confirmation is the same command with the same name. Returns 1 to go on, 0 when a
 * question or an error is shown. */
static int may_write(ui *u, const char *what, const char *path, const char *builtin_name, unsigned *flags)
{
	char full[INISAVE_PATHLEN], err[INISAVE_PATHLEN + 256], key[sizeof u->confirm_path];
	int exists = 0;
	int rc = inisave_check(path, 0, full, sizeof full, &exists, err, sizeof err);
	if (rc != INISAVE_OK && rc != INISAVE_READONLY) {
		ui_message(u, 1, "not %s: %s", strcmp(what, "save") == 0 ? "saved" : "exported", err);
		u->confirm_path[0] = '\0';
		return 0;
	}
	int shadows = builtin_name && !exists ? presets_builtin(builtin_name) : 0;
	if (!exists && !shadows)
		return 1;
	if (snprintf(key, sizeof key, "%s:%s", what, full) >= (int)sizeof key)
		key[sizeof key - 1] = '\0'; /* still tells this file from others */
	if (strcmp(u->confirm_path, key) == 0) {
		u->confirm_path[0] = '\0';
		if (rc == INISAVE_READONLY)
			*flags |= INISAVE_FORCE;
		return 1;
	}
	snprintf(u->confirm_path, sizeof u->confirm_path, "%s", key);
	if (shadows)
		ui_message(u, 1,
		           "%s is the name of a built-in preset: %s for --preset (p lists both); %s again "
		           "with the same name to do so",
		           builtin_name, shadows == 1 ? "yours will come first" : "it stays first", what);
	else
		ui_message(u, 1, "%s exists%s: %s again with the same name to replace it", full,
		           rc == INISAVE_READONLY ? " and is read-only" : "", what);
	return 0;
}

void ui_save(ui *u, const char *name)
{
	char path[4096], full[INISAVE_PATHLEN], err[INISAVE_PATHLEN + 512], header[4400];
	while (*name == ' ')
		name++;
	if (!*name) {
		ui_message(u, 1, "not saved: no name given");
		return;
	}
	if (save_path(name, path, sizeof path, err, sizeof err) < 0) {
		ui_message(u, 1, "not saved: %s", err);
		return;
	}
	unsigned flags = 0;
	if (!may_write(u, "save", path, strchr(name, '/') ? NULL : name, &flags))
		return;
	snprintf(header, sizeof header, "description: %s as changed in the calcium-stdp explorer", u->preset);
	/* The data set shown goes with the file, as a preset's does (see inifile.h). */
	char *real = u->ndata == 1 ? realpath(u->data[0].path, NULL) : NULL;
	if (real) {
		size_t used = strlen(header);
		snprintf(header + used, sizeof header - used, "\ndata: %s", real);
		free(real);
	}
	if (inisave_params(path, &u->params, header, flags, full, sizeof full, err, sizeof err) !=
	    INISAVE_OK) {
		ui_message(u, 1, "not saved: %s", err);
		return;
	}
	/* The file is the new reference: the marks now show changes from it. */
	u->reference = u->params;
	base_name(path, u->preset, sizeof u->preset);
	ui_message(u, 0, "saved %s", full);
}

void ui_export(ui *u, const char *name)
{
	char full[INISAVE_PATHLEN], err[INISAVE_PATHLEN + 512];
	while (*name == ' ')
		name++;
	if (!*name) {
		ui_message(u, 1, "not exported: no file name given");
		return;
	}
	unsigned flags = 0;
	if (!may_write(u, "export", name, NULL, &flags))
		return;
	batch_row *rows = malloc((size_t)(u->points ? u->points : 1) * sizeof *rows);
	if (!rows) {
		ui_message(u, 1, "not exported: out of memory");
		return;
	}
	int n = 0;
	for (int i = 0; i < u->points; i++)
		if (u->rows[i].reps)
			rows[n++] = u->rows[i];
	if (n == 0) {
		free(rows);
		ui_message(u, 1, "not exported: no point has repetitions yet");
		return;
	}
	if (save_csv(name, &u->params, rows, n, flags, full, sizeof full, err, sizeof err) != INISAVE_OK)
		ui_message(u, 1, "not exported: %s", err);
	else
		ui_message(u, 0, "exported %d points%s to %s", n, u->complete ? "" : " (run not complete)",
		           full);
	free(rows);
}

void ui_presets_open(ui *u)
{
	presets_free(u->presets, u->npresets);
	u->presets = NULL;
	u->npresets = presets_list(&u->presets);
	if (u->npresets <= 0) {
		u->npresets = 0;
		ui_message(u, 1, "no presets found (see --list-presets)");
		return;
	}
	u->preset_sel = 0;
	for (int i = 0; i < u->npresets; i++)
		if (strcmp(u->presets[i].name, u->preset) == 0)
			u->preset_sel = i;
	u->preset_first = 0;
	int vis = LINES - 8 < u->npresets ? LINES - 8 : u->npresets;
	u->preset_first = sliders_scroll(u->preset_sel, 0, vis, u->npresets);
	u->mode = UI_PRESETS;
}

void ui_presets_close(ui *u)
{
	presets_free(u->presets, u->npresets);
	u->presets = NULL;
	u->npresets = 0;
	u->mode = UI_NORMAL;
	ui_dirty(u);
}

void ui_presets_pick(ui *u)
{
	char err[INIFILE_ERRLEN], name[64], path[4096], label[80];
	const presets_entry *e = &u->presets[u->preset_sel];
	/* As on the command line: defaults < preset. The run settings that have keys of their own
	 * (repetitions: +, seed: n) stay as they are: a preset is about the model. */
	param_set p;
	params_defaults(&p);
	int rc = inifile_load(e->path, &p, err, sizeof err);
	p.v[P_REPS] = u->params.v[P_REPS];
	p.v[P_SEED] = u->params.v[P_SEED];
	snprintf(name, sizeof name, "%s", e->name);
	snprintf(path, sizeof path, "%s", e->path);
	ui_presets_close(u);
	if (rc < 0) {
		ui_message(u, 1, "%s", err);
		return;
	}
	/* Recorded for undo once the reference has changed too. */
	u->history_quiet = 1;
	rc = ui_set_params(u, &p);
	u->history_quiet = 0;
	if (rc < 0)
		return;
	u->reference = p;
	snprintf(u->preset, sizeof u->preset, "%s", name);
	snprintf(label, sizeof label, "preset %s", name);
	overlays_record(u, label);
	ui_message(u, 0, "preset %s", name);
	overlays_preset_data(u, path);
}

/* ---- the loop's handles ---- */

static void close_handle(uv_handle_t *h)
{
	if (h->loop && !uv_is_closing(h))
		uv_close(h, NULL);
}

/* uv_poll_init makes the descriptor it watches non-blocking, and that flag belongs to the open file,
 * which a shell shares between stdin, stdout and stderr: left on, the programs run after the
 * explorer in the same terminal get EAGAIN from their writes (a test runner's output stops with an
 * I/O error), and curses' own writes could fail over a slow link. So the poll watches a second
 * opening of the terminal and fd 0 stays as it was; should the terminal not open by name, fd 0 is
 * polled and its flags are given back on the way out. */
static int open_poll_fd(ui *u)
{
	u->stdin_flags = fcntl(STDIN_FILENO, F_GETFL);
	const char *name = ttyname(STDIN_FILENO);
	int fd = name ? open(name, O_RDONLY | O_NOCTTY | O_CLOEXEC) : -1;
	return fd >= 0 ? fd : STDIN_FILENO;
}

static void restore_stdin(const ui *u)
{
	if (u->stdin_flags >= 0 && fcntl(STDIN_FILENO, F_GETFL) != u->stdin_flags)
		fcntl(STDIN_FILENO, F_SETFL, u->stdin_flags);
}

/* Workers still inside a long synapse or job when the user quits: the terminal is already given
 * back, so leave without waiting for them (exit() would join libuv's threadpool). */
static void quit_deadline(uv_timer_t *t)
{
	ui *u = t->data;
	fflush(stdout);
	fflush(stderr);
	_exit(u->exit_status);
}

void ui_quit(ui *u, int status)
{
	if (u->quitting)
		return;
	u->quitting = 1;
	u->exit_status = status;
	/* The terminal first: whatever happens next (a second Ctrl-C, a kill), it is restored. */
	screen_close(u);
	restore_stdin(u);
	if (u->eng) {
		engine_close(u->eng);
		u->eng = NULL;
	}
	bg_close(u);
	/* Whatever still runs on the threadpool (a synapse of days, a job between its polls) may keep
	 * the loop from ending: leave without it after QUIT_WAIT_MS. The timer does not keep the loop
	 * alive itself, so when everything ends in time the exit is the usual one. */
	uv_timer_init(&u->loop, &u->quit_timer);
	u->quit_timer.data = u;
	uv_timer_start(&u->quit_timer, quit_deadline, QUIT_WAIT_MS, 0);
	uv_unref((uv_handle_t *)&u->quit_timer);
	u->quit_timer_started = 1;
	if (u->input_started)
		close_handle((uv_handle_t *)&u->input);
	for (int i = 0; i < NSIGNALS; i++)
		close_handle((uv_handle_t *)&u->sig[i]);
	close_handle((uv_handle_t *)&u->frame);
	close_handle((uv_handle_t *)&u->msg_timer);
	close_handle((uv_handle_t *)&u->job_timer);
}

static void close_quit_timer(ui *u)
{
	if (u->quit_timer_started)
		close_handle((uv_handle_t *)&u->quit_timer);
}

static void signal_cb(uv_signal_t *h, int signum)
{
	ui *u = h->data;
	if (signum == SIGWINCH) {
		screen_resize(u);
		draw_now(u);
		return;
	}
	if (signum == SIGCONT) {
		/* Back from Ctrl-Z: curses has restored the screen and its own mouse mode. */
		screen_mouse_drag(u, 1);
		screen_resize(u);
		draw_now(u);
		return;
	}
	/* Ctrl-C in a prompt only cancels the prompt (input.c); a second one quits. */
	if (signum == SIGINT && input_interrupt(u)) {
		draw_now(u);
		return;
	}
	/* SIGINT, SIGTERM, SIGHUP (an SSH drop): leave cleanly, status as the shell reports a signal. */
	ui_quit(u, 128 + signum);
}

static void input_cb(uv_poll_t *h, int status, int events)
{
	ui *u = h->data;
	(void)events;
	uv_update_time(&u->loop);
	uint64_t now = uv_now(&u->loop);
	/* The first key after a pause, or one while the budget is nearly even, is answered at once; the
	 * keys of a held key follow the budget. */
	if (now - u->last_key >= KEY_GAP_MS || u->link_tokens > -u->link_rate * 0.25)
		u->key_now = 1;
	u->last_key = now;
	if (status < 0 || input_drain(u) < 0)
		ui_quit(u, 128 + SIGHUP); /* the terminal is gone */
}

static void walk_close(uv_handle_t *h, void *arg)
{
	(void)arg;
	if (!uv_is_closing(h))
		uv_close(h, NULL);
}

/* Run the loop until every handle (the engine's included) has closed, then close it. */
static int finish_loop(ui *u)
{
	uv_run(&u->loop, UV_RUN_DEFAULT);
	close_quit_timer(u);
	uv_run(&u->loop, UV_RUN_DEFAULT);
	int rc = uv_loop_close(&u->loop);
	if (rc == UV_EBUSY) {
		uv_walk(&u->loop, walk_close, NULL);
		uv_run(&u->loop, UV_RUN_DEFAULT);
		rc = uv_loop_close(&u->loop);
	}
	return rc;
}

static int start_handles(ui *u, char *err, size_t errlen)
{
	int rc;
	for (int i = 0; i < NSIGNALS; i++) {
		uv_signal_init(&u->loop, &u->sig[i]);
		u->sig[i].data = u;
		if ((rc = uv_signal_start(&u->sig[i], signal_cb, watched_signals[i])) < 0) {
			snprintf(err, errlen, "cannot watch signal %d: %s", watched_signals[i],
			         uv_strerror(rc));
			return -1;
		}
	}
	uv_timer_init(&u->loop, &u->frame);
	u->frame.data = u;
	uv_timer_init(&u->loop, &u->msg_timer);
	u->msg_timer.data = u;
	uv_timer_init(&u->loop, &u->job_timer);
	u->job_timer.data = u;
	return 0;
}

static void free_ui(ui *u)
{
	presets_free(u->presets, u->npresets);
	free(u->rows);
	free(u->px);
	free(u->py);
	free(u->plo);
	free(u->phi);
	free(u->ax);
	free(u->ay);
	free(u->fo);
	views_free(u->views);
	bg_free(u);
	free(u->map.cls);
	overlays_free(u);
	free(u);
}

int explorer_run(const explorer_opts *o)
{
	char err[512];
	if (uv_guess_handle(STDIN_FILENO) != UV_TTY || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "calcium-stdp: the explorer needs a terminal on stdin and stdout; "
		                "use --batch for CSV or --plot for a text plot\n");
		return 2;
	}
	if (params_check_set(&o->params, err, sizeof err) < 0) {
		fprintf(stderr, "calcium-stdp: %s\n", err);
		return 2;
	}
	/* LC_CTYPE only: numbers are read and written in the C locale whatever the user's is. */
	setlocale(LC_CTYPE, "");

	ui *u = calloc(1, sizeof *u);
	if (!u) {
		fprintf(stderr, "calcium-stdp: out of memory\n");
		return 1;
	}
	u->params = o->params;
	u->reference = o->reference;
	snprintf(u->preset, sizeof u->preset, "%s", o->preset_name[0] ? o->preset_name : "defaults");
	u->show_analytic = 1;
	u->drag = -1;
	u->stdin_flags = -1;
	u->present = o->present;
	u->glyphs = o->glyphs;
	u->cursor = -1;
	u->views = views_new();
	u->reps_step = o->params.v[P_REPS];
	u->map.tol = o->tolerance > 0 || o->tolerance == 0 ? o->tolerance : CLASSIFY_TOLERANCE;
	u->link_rate = o->link_rate >= 0 ? o->link_rate : remote_session() ? LINK_RATE_DEFAULT : 0;
	const char *dump = getenv("CALCIUM_STDP_DUMP");
	u->dump_path = dump && *dump ? dump : NULL;
	if (overlays_init(u, o) < 0) {
		fprintf(stderr, "calcium-stdp: out of memory\n");
		views_free(u->views);
		overlays_free(u);
		free(u);
		return 1;
	}
	if (!u->views || uv_loop_init(&u->loop) != 0 || bg_start(u) < 0) {
		fprintf(stderr, "calcium-stdp: cannot start the event loop\n");
		views_free(u->views);
		overlays_free(u);
		free(u);
		return 1;
	}

	/* Signal watchers before curses: it then keeps its hands off SIGWINCH and friends. */
	int status = 0;
	err[0] = '\0';
	if (start_handles(u, err, sizeof err) < 0 || screen_open(u, o->ascii, err, sizeof err) < 0) {
		status = u->exit_status ? u->exit_status : 1;
		u->quitting = 1;
		bg_close(u);
		uv_walk(&u->loop, walk_close, NULL);
	} else {
		u->poll_fd = open_poll_fd(u);
		int rc = uv_poll_init(&u->loop, &u->input, u->poll_fd);
		if (rc == 0) {
			u->input_started = 1;
			u->input.data = u;
			rc = uv_poll_start(&u->input, UV_READABLE, input_cb);
		}
		u->eng = engine_new(&u->loop, o->threads, 0, o->method, on_update, u);
		if (rc != 0 || !u->eng) {
			snprintf(err, sizeof err, "%s", rc ? uv_strerror(rc) : "out of memory");
			ui_quit(u, 1);
		} else if (ui_set_params(u, &u->params) < 0) {
			if (snprintf(err, sizeof err, "%s", u->msg) >= (int)sizeof err)
				err[sizeof err - 1] = '\0';
			ui_quit(u, 1);
		} else {
			if (u->term_note[0])
				ui_message(u, 0, "%s", u->term_note);
			draw_now(u);
		}
	}
	int rc = finish_loop(u);
	screen_close(u);
	restore_stdin(u);
	if (u->poll_fd > STDERR_FILENO)
		close(u->poll_fd);
	if (!status)
		status = u->exit_status;
	if (err[0])
		fprintf(stderr, "calcium-stdp: %s\n", err);
	if (rc != 0) {
		fprintf(stderr, "calcium-stdp: internal error: the event loop did not close (%s)\n",
		        uv_strerror(rc));
		if (!status)
			status = 1;
	}
	free_ui(u);
	return status;
}
