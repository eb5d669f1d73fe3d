/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Background jobs: anything that can take longer than a frame (a Poisson analytic curve, the teaching
 * views' samples, a fit, a map) runs on libuv's threadpool, never on the loop thread.
 *
 * Jobs live in slots (one kind of computation each: the analytic curve, the view, ...). A slot holds
 * at most one current job: a new submit to a slot supersedes the older one, which is cancelled (a
 * queued job never starts; a running one sees jobs_cancelled() at its next poll, and its result is
 * dropped whatever it does). Each submit gets a generation number, like the engine's runs.
 *
 * Threads: jobs_new, jobs_submit, jobs_cancel, jobs_busy and jobs_close on the loop thread only;
 * jobs_cancelled, jobs_progress and jobs_fail from the job's work function (a worker thread) only.
 * The done callback runs on the loop thread, exactly once per submitted job, even when it was
 * cancelled or the jobs were closed; it owns arg (frees it). Jobs share the threadpool with the
 * engine: engine_prepare_threads sizes it with JOBS_THREADS threads to spare for them. */
#ifndef CSTDP_JOBS_H
#define CSTDP_JOBS_H

#include <uv.h>

typedef struct jobs jobs;
typedef struct jobs_ctx jobs_ctx;

/* Slots; a caller names its own (0 .. JOBS_SLOTS - 1) and documents it where it does. */
#define JOBS_SLOTS 8
/* Threads of the pool kept for jobs beyond the engine's workers. */
#define JOBS_THREADS 2

/* Worker thread: compute into arg; poll jobs_cancelled() often (every few milliseconds) and return
 * as soon as it says so. Return 0 done, -1 failed (call jobs_fail first to say why). */
typedef int (*jobs_work_fn)(jobs_ctx *c, void *arg);

/* Loop thread: status 0 done (arg holds the result), -1 failed (err says why), 1 cancelled or
 * superseded (drop arg). err is NULL unless status is -1, and valid during the call only. */
typedef void (*jobs_done_fn)(int status, const char *err, void *arg, void *user);

jobs *jobs_new(uv_loop_t *loop);

/* Worker thread: lower this thread's scheduling priority (nice JOBS_NICE on Linux, where threads
 * have their own) so that the loop thread, which draws and answers keys, runs first even among
 * many workers. The jobs' and the engine's workers call it; harmless where unsupported. Not 19:
 * Linux balances such light threads poorly over the cores, and 2 workers on 2 cores took 10% longer
 * for the full curve (medians of 21 runs, 4 rounds: 14.6 ms at nice 10, 14.4 at 0, 16.0 at 19). */
#define JOBS_NICE 10
void jobs_lower_priority(void);

/* Queue work(arg) in slot; what says what it computes, for the status line ("analytic curve").
 * Returns the job's generation (never 0), or 0 when it could not be queued: done has then been
 * called with -1 already. */
unsigned jobs_submit(jobs *j, int slot, const char *what, jobs_work_fn work, jobs_done_fn done, void *arg,
                     void *user);

/* Worker: 1 when the job was superseded, cancelled or the jobs are closing. */
int jobs_cancelled(const jobs_ctx *c);
/* Worker: how far it is, 0 .. 1, for the status line. */
void jobs_progress(jobs_ctx *c, double fraction);
/* Worker: why it fails (kept for the done callback; the first call wins). */
void jobs_fail(jobs_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Loop thread: 1 when slot's current job has not finished yet, with what it computes and how far
 * it is (either pointer may be NULL). */
int jobs_busy(const jobs *j, int slot, const char **what, double *fraction);
/* Loop thread: the first busy slot's (what, fraction), for a status line; 0 when all are idle. */
int jobs_any_busy(const jobs *j, const char **what, double *fraction);
/* Loop thread: jobs submitted and not yet done (current and superseded ones). */
int jobs_running(const jobs *j);

/* Cancel slot's current job (its done callback still runs, with status 1). */
void jobs_cancel(jobs *j, int slot);

/* Cancel everything; j is freed once the last job's done callback has run (at once when none is
 * pending). After this, run the loop until it returns. */
void jobs_close(jobs *j);

#endif
