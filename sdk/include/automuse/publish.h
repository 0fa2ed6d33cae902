/* automuse/publish.h — the publish registry, "automuse.publish/1": a plugin that can publish
 * (post a text, upload a video) registers a publisher at init, saying which kinds of content
 * it accepts; any other plugin then asks for a publisher by plugin id ("twitter") and account
 * and publishes content through it, asynchronously, on its own job. This is how the
 * affiliate plugin shares a pitch on X and how the YouTube plugin cross-posts a Short.
 * Since 1.4 a publisher also owns its platform's text rules (how long a text is, and how to
 * cut one to fit), which other plugins ask for through the registry by plugin id. */
#ifndef AUTOMUSE_PUBLISH_H
#define AUTOMUSE_PUBLISH_H

#include "automuse/host.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AM_PUBLISH_SERVICE_ID "automuse.publish/1"

/* Kinds of content, as bit flags. Crosses the ABI as uint32_t. */
typedef uint32_t am_publish_kinds;
enum { AM_PUBLISH_TEXT = 1u << 0, AM_PUBLISH_VIDEO = 1u << 1 };

/* What to publish. Borrowed: valid for the duration of the publish/start call only (the
 * registry copies it before the publisher sees it; a publisher copies what it keeps).
 * Zero-initialise, set struct_size = sizeof(am_publish_content), fill in. */
typedef struct am_publish_content {
  uint32_t struct_size;
  am_str text;         /* the post's text or the video's description; UTF-8 */
  am_str media_path;   /* a local file to attach (a video), empty for none */
  am_str title;        /* a title, for platforms that want one; may be empty */
  am_str options_json; /* publisher-specific options as a JSON object; may be empty */
} am_publish_content;

/* [job-strand] Completion of one publication: exactly once, on the job's executor, never before
 * publish() returns, also when cancelled (AM_CANCELLED). On AM_OK `result_json` is a JSON object
 * with at least {"id": "...", "url": "..."} (the published item on the platform) and `error` is
 * empty; otherwise `error` says what failed, naming the plugin and account, and result_json
 * is "null". Both are borrowed for the duration of the callback.
 *
 * AM_UNCERTAIN (1.3): the platform may have published it (the request went out, its answer was
 * lost) and asking it could not settle that; `error` says where the user looks. A publisher
 * completes so only after trying to ask. The host records the publication as uncertain in its
 * ledger and never publishes that content there again by itself: a later publish() of it
 * completes with AM_UNCERTAIN at once, without calling the publisher, unless the job runs with
 * --again. A publisher built for 1.2 or earlier reports such an outcome as another error,
 * which the ledger keeps as intended. */
typedef void (*am_publish_done_fn)(void *user, am_status status, am_str error, am_str result_json);

/* (1.4) A text measured as a platform counts it. The caller zero-initialises it and sets
 * struct_size = sizeof(am_text_length); the publisher fills in the fields that struct_size
 * covers (read through AM_HAS_FIELD) and leaves the rest alone. */
typedef struct am_text_length {
  uint32_t struct_size;
  int32_t length;     /* the text's length in the platform's unit (X: weighted characters) */
  int32_t max_length; /* the most one post may hold, in the same unit; 0 when unlimited */
  int32_t links;      /* links the platform recognises in the text (each may count fixed) */
} am_text_length;

/* What a publishing plugin registers. Copied by register_publisher; `user` must stay valid
 * until unregister_publisher (or the plugin's deinit) returns. */
typedef struct am_publisher {
  uint32_t struct_size;
  am_publish_kinds kinds; /* what it accepts: AM_PUBLISH_TEXT | AM_PUBLISH_VIDEO */
  void *user;             /* passed back to start and cancel */

  /* [job-strand] Start publishing `content` as `account` (an id or nickname of the publisher's own
   * accounts) on behalf of `job`. `op` is the registry's id of this publication, given again
   * to cancel. Return AM_OK once started, and then call done(done_user, ...) exactly once,
   * from any thread (the registry delivers it on the job's executor); or return an error
   * status to refuse at once, without calling done. Called on the job's executor. */
  am_status (*start)(void *user, am_job *job, am_op_id op, am_str account,
                     const am_publish_content *content, am_publish_done_fn done, void *done_user);

  /* [any-thread] Stop publication `op`: its done must still be called exactly once (AM_CANCELLED,
   * or its real outcome if it already ended). May be called after done (then a no-op). Any thread.
   */
  void (*cancel)(void *user, am_job *job, am_op_id op);

  /* ---- 1.4: the platform's text rules. A publisher built for 1.3 or earlier lacks these
   * fields (read them through AM_HAS_FIELD); one built for 1.4 may leave them NULL when its
   * platform has no length rule. Both are pure: they publish nothing and may run on any thread,
   * at the same time as each other and as start. */

  /* [any-thread] Measure UTF-8 `text` as the platform counts it, into *out (see
   * am_text_length). AM_INVALID_ARGUMENT when text is not valid UTF-8. If `error` is not NULL
   * it receives a message on failure (release it). */
  am_status (*text_length)(void *user, am_str text, am_text_length *out, am_buffer *error);

  /* [any-thread] `text` cut so its length as the platform counts it is at most `max_length`
   * (<= 0: the platform's own limit), ending cleanly: at a word boundary where there is one,
   * never inside a link or a character sequence, without dangling spaces or punctuation; a text
   * that already fits comes back unchanged (but normalised as the platform stores it). The
   * result goes to *out_text (UTF-8; the caller releases it, the publisher's allocator frees
   * it). If `error` is not NULL it receives a message on failure (release it). */
  am_status (*fit_text)(void *user, am_str text, int32_t max_length, am_buffer *out_text,
                        am_buffer *error);
} am_publisher;

typedef struct am_publish {
  uint32_t struct_size;

  /* [main-thread] Register the calling plugin (known from `host`) as a publisher. The registry
   * copies *publisher. AM_INVALID_ARGUMENT if kinds is 0 or start is NULL; AM_ERROR if the plugin
   * already registered one. Main thread, from init. */
  am_status (*register_publisher)(const am_host *host, const am_publisher *publisher);

  /* [main-thread] Remove the calling plugin's publisher; publications already started still
   * complete. Harmless when none is registered. Main thread, from deinit. */
  void (*unregister_publisher)(const am_host *host);

  /* [any-thread] The registered publishers as a JSON array: [{"plugin": "twitter", "kinds":
   * ["text", "video"]}, ...], in *out_json (release it). Any thread. */
  am_status (*list)(const am_host *host, am_buffer *out_json);

  /* [any-thread] Is there a publisher `plugin_id` that accepts every kind in `kinds`? AM_OK;
   * AM_NOT_FOUND when no such plugin publishes; AM_UNSUPPORTED when it does not take these kinds.
   * If `error` is not NULL it receives a message on failure (release it). Any thread. */
  am_status (*find)(const am_host *host, am_str plugin_id, am_publish_kinds kinds,
                    am_buffer *error);

  /* [any-thread] Publish `content` through plugin `plugin_id` as its account `account`, on behalf
   * of the caller's `job`. The kinds needed are TEXT when content has text and VIDEO when it has a
   * media_path; a publisher that lacks one completes with AM_UNSUPPORTED, an unknown plugin
   * with AM_NOT_FOUND. Returns the operation's id; `done` follows exactly once. Any
   * thread. */
  am_op_id (*publish)(const am_host *host, am_job *job, am_str plugin_id, am_str account,
                      const am_publish_content *content, am_publish_done_fn done, void *user);

  /* [any-thread] Cancel a publication: it completes with AM_CANCELLED unless it already completed.
   * No-op for finished or unknown ids. Any thread. */
  void (*cancel)(const am_host *host, am_job *job, am_op_id op);

  /* ---- 1.4 (read through AM_HAS_FIELD: a 1.3 host lacks them) */

  /* [any-thread] Measure `text` by the rules of publisher `plugin_id` (its text_length), into
   * *out. AM_NOT_FOUND when no such plugin publishes; AM_UNSUPPORTED when it offers no text
   * rules (built for SDK 1.3 or earlier, or its platform has none), with a message naming the
   * plugin; otherwise the publisher's status. If `error` is not NULL it receives a message on
   * failure (release it). Loads the plugin when needed, like find. */
  am_status (*text_length)(const am_host *host, am_str plugin_id, am_str text, am_text_length *out,
                           am_buffer *error);

  /* [any-thread] `text` cut to fit publisher `plugin_id`'s rules (its fit_text; max_length <= 0
   * for the platform's limit), into *out_text (release it). Failures as for text_length. */
  am_status (*fit_text)(const am_host *host, am_str plugin_id, am_str text, int32_t max_length,
                        am_buffer *out_text, am_buffer *error);
} am_publish;

#ifdef __cplusplus
}
#endif

#endif /* AUTOMUSE_PUBLISH_H */
