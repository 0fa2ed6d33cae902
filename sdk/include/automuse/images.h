/* automuse/images.h — the images service, "automuse.images/1": one picture (or stock clip)
 * for a prompt, from the providers in a configured order: "openai" (and OpenAI-compatible
 * endpoints such as Venice), "gemini", "pexels", "folder" (the user's own files) and
 * "cards" (offline title cards: a gradient with the prompt's key phrase). Every file is
 * checked to decode and to meet a minimum resolution before it is handed out; a provider
 * that fails falls back to the next, and the result's report says so. Results are cached by
 * (provider, prompt, size). */
#ifndef AUTOMUSE_IMAGES_H
#define AUTOMUSE_IMAGES_H

#include "automuse/host.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AM_IMAGES_SERVICE_ID "automuse.images/1"

typedef int32_t am_media_kind;
enum {
  AM_MEDIA_IMAGE = 0, /* a still picture */
  AM_MEDIA_VIDEO = 1  /* a stock clip (pexels, folder) */
};

/* Strings are borrowed for the duration of the call only. */
typedef struct am_image_request {
  uint32_t struct_size;
  am_str prompt;
  int32_t width;         /* wanted size; 0 x 0 = 1080 x 1920 (portrait) */
  int32_t height;
  am_media_kind kind;
  am_str providers;      /* comma-separated order ("openai,pexels,cards"); empty = the
                            host's configured order */
  int32_t min_width;     /* smallest acceptable file; 0 = half the wanted size */
  int32_t min_height;
  bool no_cache;         /* true: neither read nor write the cache */
} am_image_request;

/* Borrowed: valid during the callback only (the file stays; the host's output folder or the
 * user's own folder owns it). */
typedef struct am_image_result {
  uint32_t struct_size;
  am_str path;           /* the checked file */
  int32_t width;         /* as decoded */
  int32_t height;
  bool is_video;
  double duration;       /* seconds, clips only */
  am_str provider;       /* the provider that delivered */
  bool from_cache;
  am_str report_json;    /* every attempt in order:
                            [{"provider","status":"ok"|"<status name>","error"}] */
} am_image_result;

/* [job-strand] Completion: exactly once, on the job's executor. On failure `result` is NULL and
 * `error` lists every provider's failure. */
typedef void (*am_image_done_fn)(void *user, am_status status, am_str error,
                                 const am_image_result *result);

typedef struct am_images {
  uint32_t struct_size;

  /* [any-thread] Start fetching one image. Providers run on the I/O threads (network) or the worker
   * pool (cards, checks); many requests may run at once. Never calls `done` before returning. Any
   * thread. */
  am_op_id (*generate)(const am_host *host, am_job *job, const am_image_request *request,
                       am_image_done_fn done, void *user);

  /* [any-thread] Cancel: completes with AM_CANCELLED unless already complete; no-op for finished or
   * unknown ids. Any thread. */
  void (*cancel)(const am_host *host, am_job *job, am_op_id op);

  /* [any-thread] Check a file the way the service checks its own results: it must decode and be at
   * least min_width x min_height. AM_OK, or AM_INVALID_ARGUMENT with a message naming the
   * file in `*error` (release it with am_buffer_release). Blocking (reads the file): call it
   * from a worker, not from a job callback that must stay quick. Any thread. */
  am_status (*check)(const am_host *host, am_str path, int32_t min_width, int32_t min_height,
                     am_buffer *error);
} am_images;

#ifdef __cplusplus
}
#endif

#endif /* AUTOMUSE_IMAGES_H */
