/* automuse/render.h — the render service, "automuse.render/1": a timeline (JSON, see
 * docs/timeline.md) in, a finished MP4 out, rendered in-process with FFmpeg's libraries on
 * the host's worker pool, with progress and cancellation. */
#ifndef AUTOMUSE_RENDER_H
#define AUTOMUSE_RENDER_H

#include "automuse/job.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AM_RENDER_SERVICE_ID "automuse.render/1"

typedef struct am_render_progress {
  uint32_t struct_size;
  double fraction;     /* 0..1 of the frames encoded */
  double fps;          /* frames encoded per second so far */
  double eta_seconds;  /* estimated time left */
  int64_t frames_done;
  int64_t frames_total;
} am_render_progress;

/* [job-strand] Progress, on the job's executor, at most about ten times a second, never after done.
 * `progress` is borrowed for the call. */
typedef void (*am_render_progress_fn)(void *user, const am_render_progress *progress);

/* [job-strand] The end of a render, exactly once, on the job's executor. On AM_OK `result_json` is
 * {"output": path, "thumbnail": path|null, "duration": s, "frames": n, "measured_lufs": x (the
 * mix before normalisation), "applied_gain_db": y, "final_lufs": z (the soundtrack as written,
 * after the gain and the limiter), "encoder": "libx264", "encoder_candidates": [{"encoder": name,
 * "opened": bool, "reason": text|null}, ...] (every H.264 encoder tried, in order; see
 * docs/timeline.md, "Hardware encoders"), "warnings": [text, ...] (each starting with the JSON
 * path it is about, e.g. a picture enlarged more than 2x)}; otherwise `error` says why (for a
 * bad timeline it starts with the JSON path of the bad field: "scenes[2].image: file not found:
 * /x.png") and the status is AM_INVALID_ARGUMENT (bad timeline), AM_CANCELLED, AM_IO or
 * AM_ERROR. Borrowed for the call. A cancelled or failed render leaves no file at the output
 * path. */
typedef void (*am_render_done_fn)(void *user, am_status status, am_str result_json, am_str error);

typedef struct am_render_service {
  uint32_t struct_size;

  /* [any-thread] Validate and render `timeline_json` (copied before the call returns). Relative
   * paths in the timeline resolve against `base_dir` (UTF-8; empty: the current folder). Rendering
   * runs on the host's worker pool, never on an I/O thread; at most as many renders run at
   * once as the host allows (limits.renders). `progress` may be NULL. Any thread. */
  am_op_id (*render)(am_job *job, am_str timeline_json, am_str base_dir,
                     am_render_progress_fn progress, am_render_done_fn done, void *user);

  /* [any-thread] Stop a render promptly: done follows with AM_CANCELLED (or with its result if it
   * had already finished). A finished or unknown id is a no-op. Any thread. */
  void (*cancel)(am_job *job, am_op_id op);
} am_render_service;

#ifdef __cplusplus
}
#endif

#endif /* AUTOMUSE_RENDER_H */
