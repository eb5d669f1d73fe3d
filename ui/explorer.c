/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The explorer's loop: one libuv loop carries the keyboard (a poll on fd 0), the signals (watchers
 * started before curses, so that it leaves them alone), the frame limiter (a one-shot timer, armed
 * only when something changed: an idle explorer has nothing pending) and the engine's updates.
 * It is the one-way street's driver: a key goes to the open view or to the command table; after
 * every turn that changed the state, the views' sync and requests.c ask for what must be computed,
 * and a frame is drawn from the state (the views through their faces). It also holds the table of
 * views. */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include "ui.h"

#include "explorer.h"
#include "theme.h"

#include "commands.h"
#include "frame.h"
#include "play.h"
#include "plotbox.h"
#include "requests.h"
#include "screen.h"

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
#include <termios.h>
#include <poll.h>
#include <stdint.h>
#include <unistd.h>
#include <wchar.h>

#include "inisave.h"

/* At most 20 frames a second: smooth, and light on a slow SSH link. */
#define FRAME_MS 50
/* The link's pace. SSH and terminal emulators buffer megabytes, so a program cannot see a slow link
 * back up: it keeps to a byte budget instead, refilled at the rate the terminal is measured to drain
 * (pace.c: after a frame, a cursor position question whose answer comes once everything before it
 * is drawn), or at --link-rate's. While keys arrive, frames wait for the budget (the keys are
 * applied at once, the screen catches up); the frame that shows the last key's result goes out once
 * its run is done or SETTLE_MS after it, so that the link is idle by then and the result arrives
 * without a backlog ahead of it. On a slow link a key's frame waits up to PARTIAL_MS for its run, so
 * that one frame shows the result instead of one for the run started and one for its end. */
#define SETTLE_MS  250 /* after the last key, its frame waits no longer for the budget */
#define KEY_GAP_MS 150 /* a key this long after the one before starts a burst: drawn at once */
#define PARTIAL_MS 150 /* on a slow link, how long a key's frame waits for its run to end */
#define SLOW_RATE  60000.0 /* bytes/s: a link below this is slow (a frame there takes a while) */
/* A sequence cut short in the keys (a terminal's answer, an Esc key) waits this long for the rest. */
#define KEYS_HOLD_MS 40
/* How long a quit waits for workers before it leaves them (the terminal is restored already). */
#define QUIT_WAIT_MS 50
/* How long a quit waits at most for the terminal's answers to questions still in flight. */
#define QUIT_ANSWER_MS 1000

/* Every view (ui.h's face): a new view is one new file and one row here. */
extern const ui_view view_calcium, view_efficacy, view_map, view_help, view_presets, view_prompt, view_report;
static const ui_view *const all_views[] = {
    &view_calcium, &view_efficacy, &view_map, &view_help, &view_presets, &view_prompt, &view_report,
};

#define NSIGNALS 5
static const int watched_signals[NSIGNALS] = {SIGWINCH, SIGINT, SIGTERM, SIGHUP, SIGCONT};

static void dump_frame(ui *u);

static void frame_cb(uv_timer_t *t);
static int input_drain(ui *u);
static void schedule_frame(ui *u);
static void keys_timer_cb(uv_timer_t *t);

/* The loop's clock for the link's measures, in seconds (finer than uv_now's milliseconds: a local
 * terminal answers within a millisecond). */
static double now_s(void)
{
	return (double)uv_hrtime() * 1e-9;
}

/* ---- after a change ---- */

/* The state changed since the last frame: the views shown and requests.c ask for what this frame
 * needs (at once when it takes microseconds, else as jobs whose results come later), just before it
 * is drawn, so that a job starts with the frame that says it is being computed. A sync that changes
 * the state again (the map's cursor cell) is synced once more. */
static void sync_state(ui *u)
{
	for (int round = 0; round < 4 && !u->quitting; round++) {
		u->changed = 0;
		if (u->modal && u->modal->sync)
			u->modal->sync(u);
		if (u->side && u->side->sync && ui_plot_view(u) == u->side)
			u->side->sync(u);
		requests_sync(u);
		if (!u->changed)
			break;
	}
	u->changed = 0;
}

/* One frame from the state: the main screen's parts, then the open view over them. */
static void draw_frame(ui *u)
{
	int cursor = 0;
	if (u->repaint) {
		clearok(curscr, TRUE);
		u->repaint = 0;
	}
	werase(stdscr);
	if (u->lay.too_small) {
		frame_too_small(u);
	} else {
		frame_title(u);
		if (u->lay.present)
			frame_values(u);
		else
			frame_panel(u);
		plotbox_draw(u);
		frame_caption(u);
		frame_hints(u);
		if (u->modal && u->modal->place == UI_OVER) {
			char t[8];
			sliders_rect screen = {0, 0, COLS, LINES};
			u->modal->draw(u, screen, t, sizeof t);
		}
		frame_status(u); /* last: a prompt leaves the cursor in it */
		cursor = u->modal && u->modal->place == UI_AT_STATUS;
	}
	/* Only on a change: curs_set writes to the terminal every time it switches. */
	curs_set(cursor);
	wnoutrefresh(stdscr);
	doupdate();
}

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
	int v[] = {u->view,          u->present,    u->modal != NULL, u->cursor,
	           u->show_analytic, u->yfixed,     u->glyphs,        u->freq_overlay,
	           u->lay.plot.w,    u->lay.plot.h, u->help_first,    u->preset_sel};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		h = (h ^ (uint64_t)(unsigned)v[i]) * 1099511628211ULL;
	h = (h ^ (uint64_t)(uintptr_t)u->modal) * 1099511628211ULL;
	return h;
}

static void link_refill(ui *u, uint64_t now)
{
	u->link_rate = pace_rate(&u->pace, now_s());
	if (u->link_rate <= 0) {
		u->link_t = now;
		return;
	}
	u->link_tokens += u->link_rate * (double)(now - u->link_t) * 1e-3;
	/* Half a second of idle link may be spent at once. */
	if (u->link_tokens > u->link_rate * 0.5)
		u->link_tokens = u->link_rate * 0.5;
	/* What the terminal has answered for has crossed: no more is owed than what came after. */
	double owed = pace_in_flight(&u->pace, u->link_bytes);
	if (u->link_tokens < -owed)
		u->link_tokens = -owed;
	u->link_t = now;
}

/* 1: draw now; 0: not yet (the frame timer is set for when the budget allows one). */
static int frame_due(ui *u, uint64_t now)
{
	if (u->link_rate <= 0 || u->modal || u->lay.too_small)
		return 1;
	/* On a slow link a key's run gets a moment to end: one frame shows its result. */
	if (u->link_rate < SLOW_RATE && !u->complete && !u->paused && u->first_key > u->last_frame &&
	    now - u->first_key < PARTIAL_MS && layout_signature(u) == u->link_sig) {
		uv_timer_start(&u->frame, frame_cb, u->first_key + PARTIAL_MS - now, 0);
		return 0;
	}
	if (u->link_tokens >= 0 || u->key_now)
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
	/* The frame's time, its requests included (as when the frame made them itself): what the link
	 * takes is judged by it below. */
	uint64_t t0 = uv_hrtime();
	sync_state(u);
	draw_frame(u);
	long long after = bytes_written();
	/* Without a count: a quarter of the screen's cells. */
	double bytes = before >= 0 && after >= before ? (double)(after - before) : (double)COLS * LINES / 4;
	if (u->link_rate > 0)
		u->link_tokens -= bytes;
	u->link_bytes += bytes;
	if (bytes > 0) {
		double start = (double)t0 * 1e-9;
		pace_wrote(&u->pace, start);
		/* Ask how far the terminal has got (only where its answer can be taken out of the keys). */
		if (u->keys_in && pace_want_query(&u->pace, start)) {
			fputs(PACE_QUERY, stdout);
			fflush(stdout);
			u->link_bytes += PACE_QUERY_LEN;
			if (u->link_rate > 0)
				u->link_tokens -= PACE_QUERY_LEN;
			pace_asked(&u->pace, now_s(), u->link_bytes);
		}
	}
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

/* A frame for a changed state, at the next slot (FRAME_MS after the last). */
static void schedule_frame(ui *u)
{
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
	u->changed = 1;
	u->link_sig = 0; /* in full */
	frame_cb(&u->frame);
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
	if (ui_write_csv(u->dump_path, &u->params, u->rows, u->points, 0, NULL, 0, err, sizeof err) !=
	    INISAVE_OK)
		ui_message(u, 1, "CALCIUM_STDP_DUMP: %s", err);
}

/* ---- keys and the mouse ---- */

/* One key or mouse event: to the open view, or to the command table. Every key is handled at once
 * and only changes the state; the simulation never holds a key up. */
static void key(ui *u, int is_key, wint_t ch)
{
	if (is_key && ch == KEY_RESIZE)
		return; /* resizeterm's echo of the SIGWINCH already handled */
	if (play_key(u, is_key, (int)ch)) {
		/* the lesson's step keys */
	} else if (is_key && ch == KEY_MOUSE) {
		MEVENT ev;
		if (getmouse(&ev) == OK) {
			if (u->modal) {
				if (u->modal->mouse)
					u->modal->mouse(u, &ev);
			} else {
				commands_mouse(u, &ev);
			}
		}
	} else if (u->modal) {
		if (u->modal->key)
			u->modal->key(u, is_key, (int)ch);
		else
			ui_view_close(u);
	} else {
		commands_key(u, is_key, (int)ch);
	}
	ui_dirty(u);
}

/* Whether fd 0 reports a hang-up: the terminal (or the SSH session) is gone. */
static int terminal_gone(void)
{
	struct pollfd pfd = {.fd = STDIN_FILENO, .events = POLLIN};
	if (poll(&pfd, 1, 0) < 0)
		return errno != EINTR;
	return (pfd.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0;
}

/* Everything waiting on the keyboard; -1 when the terminal is gone. */
static int input_drain(ui *u)
{
	int got = 0;
	/* A level-triggered poll does not fire again for bytes curses has already buffered. */
	while (!u->quitting && !u->quit_asked) {
		wint_t ch;
		errno = 0;
		int r = wget_wch(stdscr, &ch);
		if (r == ERR) {
			if (errno == EIO || errno == EPIPE || errno == EBADF || errno == ENXIO)
				return -1;
			break;
		}
		got++;
		key(u, r == KEY_CODE_YES, ch);
	}
	if (!got && !u->quitting && !u->quit_asked && terminal_gone())
		return -1;
	return 0;
}

/* ---- the terminal's bytes: its answers for the link, the keys for curses ---- */

/* curses reads the keys from a pipe that the loop fills from the terminal, so that the terminal's
 * answers to the link's questions (pace.c) never reach it as keys. Without the pipe curses reads
 * the terminal itself and no question is asked. */
static void keys_open(ui *u)
{
	int fd[2];
	u->keys_w = -1;
	if (pipe(fd) < 0)
		return;
	fcntl(fd[0], F_SETFD, FD_CLOEXEC);
	fcntl(fd[1], F_SETFD, FD_CLOEXEC);
	fcntl(fd[1], F_SETFL, fcntl(fd[1], F_GETFL) | O_NONBLOCK);
	u->keys_in = fdopen(fd[0], "r");
	if (!u->keys_in) {
		close(fd[0]);
		close(fd[1]);
		return;
	}
	u->keys_w = fd[1];
}

static void keys_close(ui *u)
{
	if (u->keys_in)
		fclose(u->keys_in);
	if (u->keys_w >= 0)
		close(u->keys_w);
	u->keys_in = NULL;
	u->keys_w = -1;
}

/* An answer came: the rate may be higher and less owed, so a frame waiting for the budget is
 * looked at again. */
static void link_answered(ui *u)
{
	uv_update_time(&u->loop);
	link_refill(u, uv_now(&u->loop));
	if (u->dirty && !u->quitting && uv_is_active((uv_handle_t *)&u->frame)) {
		uv_timer_stop(&u->frame);
		schedule_frame(u);
	}
}

/* Keys into the pipe, curses taking them out whenever it is full. */
static void keys_write(ui *u, const unsigned char *b, size_t n)
{
	int tries = 0;
	while (n > 0 && tries < 8) {
		ssize_t w = write(u->keys_w, b, n);
		if (w > 0) {
			b += w;
			n -= (size_t)w;
		} else if (w < 0 && errno == EINTR) {
			continue;
		} else {
			input_drain(u);
			tries++;
		}
	}
}

/* Everything the terminal sent: answers counted, keys to curses. The count of key bytes passed,
 * -1 when the terminal is gone. */
static long keys_relay(ui *u)
{
	unsigned char in[4096], out[sizeof in + sizeof u->keys_filter.held];
	long keys = 0;
	for (;;) {
		ssize_t r = read(u->poll_fd, in, sizeof in);
		if (r == 0)
			return -1;
		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			return -1;
		}
		int answers;
		size_t n = pace_filter_run(&u->keys_filter, in, (size_t)r, out, u->pace.nq, &answers);
		double t = now_s();
		for (int i = 0; i < answers; i++)
			pace_answered(&u->pace, t);
		if (answers)
			link_answered(u);
		keys_write(u, out, n);
		keys += (long)n;
		if ((size_t)r < sizeof in)
			break;
	}
	if (u->keys_filter.nheld)
		uv_timer_start(&u->keys_timer, keys_timer_cb, KEYS_HOLD_MS, 0);
	else
		uv_timer_stop(&u->keys_timer);
	return keys;
}

/* ---- the loop's handles ---- */

static void close_jobs(ui *u)
{
	if (u->jobs) {
		jobs_close(u->jobs);
		u->jobs = NULL;
	}
}

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

/* Answers to questions still in flight would reach the shell after the explorer as typed text
 * ("^[[24;80R"): they are awaited (as long as the link's rate says, within QUIT_ANSWER_MS) and
 * read, and what came with them is dropped. */
static void await_answers(ui *u)
{
	if (!u->keys_in || u->pace.nq == 0 || u->pace.answers == 0) /* none: it answers nothing */
		return;
	double rate = pace_rate(&u->pace, now_s());
	double wait = pace_in_flight(&u->pace, u->link_bytes) / (rate > 0 ? rate : PACE_UNKNOWN_RATE) + 0.1;
	if (wait > QUIT_ANSWER_MS * 1e-3)
		wait = QUIT_ANSWER_MS * 1e-3;
	double end = now_s() + wait;
	unsigned char in[512], out[sizeof in + sizeof u->keys_filter.held];
	while (u->pace.nq > 0) {
		double left = end - now_s();
		struct pollfd pfd = {.fd = u->poll_fd, .events = POLLIN};
		if (left <= 0 || poll(&pfd, 1, (int)(left * 1e3) + 1) <= 0)
			break;
		ssize_t r = read(u->poll_fd, in, sizeof in);
		if (r <= 0)
			break;
		int answers;
		pace_filter_run(&u->keys_filter, in, (size_t)r, out, u->pace.nq, &answers);
		for (int i = 0; i < answers; i++)
			pace_answered(&u->pace, now_s());
	}
	tcflush(STDIN_FILENO, TCIFLUSH);
}

static void quit(ui *u, int status)
{
	if (u->quitting)
		return;
	u->quitting = 1;
	u->exit_status = status;
	/* The terminal first: whatever happens next (a second Ctrl-C, a kill), it is restored. */
	screen_close(u);
	if (status != 128 + SIGHUP)
		await_answers(u);
	restore_stdin(u);
	if (u->eng) {
		engine_close(u->eng);
		u->eng = NULL;
	}
	close_jobs(u);
	play_close(u);
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
	close_handle((uv_handle_t *)&u->after_io);
	close_handle((uv_handle_t *)&u->after_timers);
	close_handle((uv_handle_t *)&u->frame);
	close_handle((uv_handle_t *)&u->msg_timer);
	close_handle((uv_handle_t *)&u->job_timer);
	close_handle((uv_handle_t *)&u->keys_timer);
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
	/* Ctrl-C in a prompt only cancels the prompt (the view says); a second one quits. */
	if (signum == SIGINT && u->modal && u->modal->interrupt && u->modal->interrupt(u)) {
		draw_now(u);
		return;
	}
	/* SIGINT, SIGTERM, SIGHUP (an SSH drop): leave cleanly, status as the shell reports a signal. */
	quit(u, 128 + signum);
}

/* Keys came (KEYS: how many bytes; -1 the terminal is gone): curses reads them. */
static void keys_came(ui *u, long keys)
{
	uv_update_time(&u->loop);
	uint64_t now = uv_now(&u->loop);
	if (keys > 0) {
		link_refill(u, now);
		/* The first key after a pause, or one while the budget is nearly even, is answered at
		 * once, unless the link is still busy with more than a second of earlier frames (the key's
		 * frame would only queue behind them: it goes SETTLE_MS after the last key); the keys of a
		 * held key follow the budget. */
		if ((now - u->last_key >= KEY_GAP_MS && u->link_tokens > -u->link_rate) ||
		    u->link_tokens > -u->link_rate * 0.25)
			u->key_now = 1;
		if (u->first_key <= u->last_frame)
			u->first_key = now;
		u->last_key = now;
	}
	if (keys < 0 || input_drain(u) < 0)
		quit(u, 128 + SIGHUP); /* the terminal is gone */
	else if (u->quit_asked)
		quit(u, u->quit_status);
}

static void input_cb(uv_poll_t *h, int status, int events)
{
	ui *u = h->data;
	(void)events;
	if (status < 0)
		keys_came(u, -1);
	else
		keys_came(u, u->keys_in ? keys_relay(u) : 1);
}

/* A sequence cut short that no more bytes completed: keys after all (an Esc key, Alt+[). */
static void keys_timer_cb(uv_timer_t *t)
{
	ui *u = t->data;
	unsigned char out[sizeof u->keys_filter.held];
	size_t n = pace_filter_flush(&u->keys_filter, out);
	if (n == 0 || u->quitting)
		return;
	keys_write(u, out, n);
	keys_came(u, (long)n);
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

/* A changed state gets its frame scheduled (ui_dirty only marks it): right after the loop's I/O
 * callbacks (keys, the engine's updates, jobs' results), before the loop's next round of timers, as
 * if each change had scheduled it itself; and after the timers' callbacks, before the loop waits. */
static void schedule_if_dirty(ui *u)
{
	if (u->dirty && !u->quitting)
		schedule_frame(u);
}

static void after_io_cb(uv_check_t *h)
{
	schedule_if_dirty(h->data);
}

static void after_timers_cb(uv_prepare_t *h)
{
	schedule_if_dirty(h->data);
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
	uv_check_init(&u->loop, &u->after_io);
	u->after_io.data = u;
	uv_check_start(&u->after_io, after_io_cb);
	uv_prepare_init(&u->loop, &u->after_timers);
	u->after_timers.data = u;
	uv_prepare_start(&u->after_timers, after_timers_cb);
	uv_timer_init(&u->loop, &u->frame);
	u->frame.data = u;
	uv_timer_init(&u->loop, &u->msg_timer);
	u->msg_timer.data = u;
	uv_timer_init(&u->loop, &u->job_timer);
	u->job_timer.data = u;
	uv_timer_init(&u->loop, &u->keys_timer);
	u->keys_timer.data = u;
	return 0;
}

int explorer_workers(int threads)
{
	/* More workers than this per core leave the loop thread too small a share of the processor
	 * however low their priority: with 1024 workers at nice 10 on 2 cores a key took seconds. */
	unsigned cores = uv_available_parallelism();
	int cap = (int)(cores < 1 ? 1 : cores) * EXPLORER_WORKERS_PER_CORE;
	return threads < 1 ? 1 : threads > cap ? cap : threads;
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
	/* A lesson is refused with FILE:LINE before anything is shown. */
	lesson les = {0};
	if (o->lesson && lesson_load(o->lesson, &les, err, sizeof err) < 0) {
		fprintf(stderr, "calcium-stdp: %s\n", err);
		return 2;
	}
	/* LC_CTYPE only: numbers are read and written in the C locale whatever the user's is. */
	setlocale(LC_CTYPE, "");

	ui *u = ui_new();
	if (!u || ui_set_overlays(u, o->data, o->ndata, o->data_given, o->compare, o->compare_name,
	                          o->ncompare) < 0) {
		fprintf(stderr, "calcium-stdp: out of memory\n");
		ui_free(u);
		lesson_free(&les);
		return 1;
	}
	u->params = o->params;
	u->reference = o->reference;
	snprintf(u->preset, sizeof u->preset, "%s", o->preset_name[0] ? o->preset_name : "defaults");
	u->present = o->present;
	u->glyphs = o->glyphs;
	u->theme = o->theme;
	/* The remembered choices, where the command line leaves them open. */
	char cfg_path[4096], cfg_err[4200] = "";
	config_init(&u->cfg);
	if (config_path(cfg_path, sizeof cfg_path, 0) == 0)
		config_load(cfg_path, &u->cfg, cfg_err, sizeof cfg_err);
	if (o->glyphs)
		u->cfg.glyphs = o->glyphs;
	u->glyphs = u->cfg.glyphs;
	if (o->theme != THEME_AUTO)
		u->cfg.theme = o->theme;
	if (u->cfg.theme >= 0)
		u->theme = u->cfg.theme;
	if (u->cfg.yfixed >= 0)
		u->yfixed = u->cfg.yfixed;
	if (o->link_rate >= 0)
		u->cfg.link_rate = o->link_rate;
	u->reps_step = o->params.v[P_REPS];
	if (o->tolerance > 0 || o->tolerance == 0)
		u->map.tol = o->tolerance;
	ui_begin(u);
	u->commands = commands_table;
	u->ncommands = commands_count;
	u->viewtab = all_views;
	u->record_toggle = play_record_toggle;
	u->record_step = play_record_step;
	u->nviews = (int)(sizeof all_views / sizeof all_views[0]);
	/* Measured, unless given; curses reading the terminal itself (no pipe) leaves no way to ask. */
	keys_open(u);
	pace_init(&u->pace, u->cfg.link_rate >= 0 ? u->cfg.link_rate : u->keys_in ? -1 : 0);
	u->link_rate = pace_rate(&u->pace, now_s());
	const char *dump = getenv("CALCIUM_STDP_DUMP");
	u->dump_path = dump && *dump ? dump : NULL;
	if (uv_loop_init(&u->loop) != 0 || !(u->jobs = jobs_new(&u->loop))) {
		fprintf(stderr, "calcium-stdp: cannot start the event loop\n");
		keys_close(u);
		ui_free(u);
		lesson_free(&les);
		return 1;
	}

	/* Signal watchers before curses: it then keeps its hands off SIGWINCH and friends. */
	int status = 0;
	err[0] = '\0';
	if (start_handles(u, err, sizeof err) < 0 || screen_open(u, o->ascii, err, sizeof err) < 0) {
		status = u->exit_status ? u->exit_status : 1;
		u->quitting = 1;
		close_jobs(u);
		uv_walk(&u->loop, walk_close, NULL);
	} else {
		u->poll_fd = open_poll_fd(u);
		int rc = uv_poll_init(&u->loop, &u->input, u->poll_fd);
		if (rc == 0) {
			u->input_started = 1;
			u->input.data = u;
			rc = uv_poll_start(&u->input, UV_READABLE, input_cb);
		}
		int workers = explorer_workers(o->threads);
		u->eng = engine_new(&u->loop, workers, 0, o->method, ui_engine_update, u);
		if (rc != 0 || !u->eng) {
			snprintf(err, sizeof err, "%s", rc ? uv_strerror(rc) : "out of memory");
			quit(u, 1);
		} else if (ui_set_params(u, &u->params) < 0) {
			if (snprintf(err, sizeof err, "%s", u->msg) >= (int)sizeof err)
				err[sizeof err - 1] = '\0';
			quit(u, 1);
		} else if (o->lesson && play_start(u, &les) < 0) {
			snprintf(err, sizeof err, "out of memory");
			quit(u, 1);
		} else {
			if (cfg_err[0])
				ui_message(u, 1, "not used: %s", cfg_err);
			else if (u->term_note[0])
				ui_message(u, 0, "%s", u->term_note);
			else if (workers < o->threads)
				ui_message(u, 0,
				           "--threads %d: %d workers here (%d per core), so that keys keep answering",
				           o->threads, workers, EXPLORER_WORKERS_PER_CORE);
			else if (theme_note()[0])
				ui_message(u, 0, "%s", theme_note());
			draw_now(u);
		}
	}
	lesson_free(&les); /* what play_start did not take */
	int rc = finish_loop(u);
	screen_close(u);
	keys_close(u);
	restore_stdin(u);
	if (u->poll_fd > STDERR_FILENO)
		close(u->poll_fd);
	play_free(u);
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
	ui_free(u);
	return status;
}
