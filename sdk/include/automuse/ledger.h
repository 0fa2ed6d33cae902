/* automuse/ledger.h — the publication ledger, "automuse.ledger/1": how a plugin that uploads
 * or posts by itself (the YouTube plugin's own upload) publishes exactly once. Before it
 * starts, it records the intent to publish some content to a target for the job's account;
 * the host answers with the ledger's row for that content there, which may be an earlier one:
 * already published (then publish nothing and report its URL), uncertain (publish nothing;
 * the user is told how to check), or unfinished (continue it from its resume state). The row
 * then moves forward only: uploading (with resume state) -> published | failed | uncertain.
 *
 * Publications made through "automuse.publish/1" are recorded by the host itself; a plugin
 * only uses this service for what it publishes without the registry.
 *
 * Every function is synchronous (one short transaction in the host's database) and may be
 * called from any thread, with the calling plugin's `host` and one of its jobs that has not
 * completed. On failure,
 * if `error` is not NULL it receives a message (release it): AM_INVALID_ARGUMENT (an empty
 * target or digest, a job without an account, or a transition backwards or out of a final
 * state), AM_NOT_FOUND (no such row), AM_PERMISSION_DENIED (a row of another account), AM_IO
 * (the database could not be written). */
#ifndef AUTOMUSE_LEDGER_H
#define AUTOMUSE_LEDGER_H

#include "automuse/host.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AM_LEDGER_SERVICE_ID "automuse.ledger/1"

/* Where a publication stands. Crosses the ABI as int32_t. */
typedef int32_t am_ledger_state;
enum {
  AM_LEDGER_INTENDED = 0,  /* recorded, nothing sent yet (or not known to have been) */
  AM_LEDGER_UPLOADING = 1, /* under way; resume_json says how to continue */
  AM_LEDGER_PUBLISHED = 2, /* done: remote_id and url are set; final */
  AM_LEDGER_FAILED = 3,    /* refused for good; final (a new intent makes a new row) */
  AM_LEDGER_UNCERTAIN = 4  /* may or may not have been published; note says how to check */
};

/* One row of the ledger, borrowed for the duration of the callback that receives it. Read
 * fields added later through AM_HAS_FIELD. */
typedef struct am_ledger_record {
  uint32_t struct_size;
  am_ledger_state state;
  int64_t id;         /* the row's id, passed to the transitions below */
  bool created;       /* true: a new intent; false: an earlier row for the same content */
  am_str resume_json; /* the platform's resume state (opaque JSON), empty when none */
  am_str remote_id;   /* the published item's id on the platform (AM_LEDGER_PUBLISHED) */
  am_str url;         /* and its URL */
  am_str note;        /* why it failed, or how to check an uncertain one */
} am_ledger_record;

typedef void (*am_ledger_record_fn)(void *user, const am_ledger_record *record);

typedef struct am_ledger_service {
  uint32_t struct_size;

  /* [any-thread] Record the intent of `job` to publish content with digest `digest` (of the
   * content's inputs, e.g. title, text and media inputs: not of encoded bytes, which may
   * differ between renders) to `target` (a platform name, e.g. "youtube") for the job's
   * account, with a short `summary` for people (a title or text). If the ledger already has a
   * row for this account, target and digest that did not fail, that row is returned instead,
   * and `created` is false — unless the job runs with --again, when only rows of the same job
   * are returned. fn(user, record) is called once before a successful return. */
  am_status (*intend)(const am_host *host, am_job *job, am_str target, am_str digest,
                      am_str summary, am_ledger_record_fn fn, void *user, am_buffer *error);

  /* [any-thread] The publication is under way: `resume_json` (a JSON object, e.g.
   * {"session": "<upload session URI>"}) is what a later run needs to continue it. May be
   * called again with newer resume state. */
  am_status (*uploading)(const am_host *host, am_job *job, int64_t id, am_str resume_json,
                         am_buffer *error);

  /* [any-thread] Published: the item's id and URL on the platform. Final. */
  am_status (*published)(const am_host *host, am_job *job, int64_t id, am_str remote_id, am_str url,
                         am_buffer *error);

  /* [any-thread] Refused for good (bad input, quota, permission): nothing was published.
   * Final. */
  am_status (*failed)(const am_host *host, am_job *job, int64_t id, am_str reason,
                      am_buffer *error);

  /* [any-thread] The outcome is unknown and could not be settled by asking the platform: it
   * is never retried automatically; `how_to_check` tells the user what to look for. May later
   * become published or failed. */
  am_status (*uncertain)(const am_host *host, am_job *job, int64_t id, am_str how_to_check,
                         am_buffer *error);
} am_ledger_service;

#ifdef __cplusplus
}
#endif

#endif /* AUTOMUSE_LEDGER_H */
