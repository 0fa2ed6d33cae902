/* automuse/job.h — the job service, "automuse.job/1": run code on a job's serialised
 * executor, on the host's worker pool, or after a delay; ask whether the job was
 * cancelled. Everything asynchronous a plugin does happens on behalf of a job. */
#ifndef AUTOMUSE_JOB_H
#define AUTOMUSE_JOB_H

#include "automuse/host.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AM_JOB_SERVICE_ID "automuse.job/1"

/* [job-strand] Completion of a simple operation. `error` is a human-readable message when status is
 * not AM_OK (empty otherwise), borrowed for the duration of the callback. */
typedef void (*am_done_fn)(void *user, am_status status, am_str error);

/* [any-thread] A piece of work with no result. */
typedef void (*am_work_fn)(void *user);

typedef struct am_job_service {
  uint32_t struct_size;

  /* [any-thread] Run fn(user) on the job's executor: after the callback that is running now (if
   * any) returns, never at the same time as another callback of the same job. Any thread. fn always
   * runs exactly once, also when the job is being cancelled. */
  void (*post)(am_job *job, am_work_fn fn, void *user);

  /* [any-thread] True once the job was asked to stop (Ctrl-C, daemon shutdown, a failed sibling
   * step). Pending operations of a cancelled job complete with AM_CANCELLED. Any thread. */
  bool (*is_cancelled)(am_job *job);

  /* [any-thread] Ask the job to stop: every pending operation of the job completes with
   * AM_CANCELLED. Harmless if already cancelled or finished. Any thread. */
  void (*cancel_job)(am_job *job);

  /* [any-thread] Run work(user) on the host's worker pool (for CPU-heavy work: it must never block
   * the I/O threads), then done(user, status, error) on the job's executor: AM_OK when work ran,
   * AM_CANCELLED when the job was cancelled before work started (work then never runs). Work that
   * has started is not interrupted; it may poll is_cancelled. */
  am_op_id (*run_on_worker)(am_job *job, am_work_fn work, am_done_fn done, void *user);

  /* [any-thread] Call done(user, AM_OK, "") on the job's executor after `milliseconds`, or with
   * AM_CANCELLED if cancelled first. */
  am_op_id (*sleep)(am_job *job, uint64_t milliseconds, am_done_fn done, void *user);

  /* [any-thread] Cancel one operation started by this service: it completes with AM_CANCELLED
   * unless it has already completed; cancelling a finished or unknown id is a no-op. Any thread. */
  void (*cancel)(am_job *job, am_op_id op);
} am_job_service;

#ifdef __cplusplus
}
#endif

#endif /* AUTOMUSE_JOB_H */
