/* automuse/plugin.h — what a plugin exports: exactly one data symbol, `automuse_plugin_entry`,
 * of type am_plugin_entry, whose first field is the ABI version the plugin was built against.
 * The host reads that version before running any plugin code.
 *
 * Life of a plugin, all calls from the host's main thread unless said otherwise:
 *   load library -> read entry.abi -> init(host) -> describe() ->
 *   start_action(...) any number of times, on jobs' executors ->
 *   (all jobs finished or cancelled and drained) -> deinit() -> unload library. */
#ifndef AUTOMUSE_PLUGIN_H
#define AUTOMUSE_PLUGIN_H

#include "automuse/host.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AM_PLUGIN_ENTRY_SYMBOL "automuse_plugin_entry"

#if defined(_WIN32)
#define AM_EXPORT __declspec(dllexport)
#else
#define AM_EXPORT __attribute__((visibility("default")))
#endif

/* Report the end of an action, exactly once, from any thread. `result_json` is a JSON
 * value describing what was made ("null" or empty when nothing); `message` a human-readable
 * line, the error when status is not AM_OK. Both are copied before the call returns. */
typedef void (*am_action_done_fn)(void *done_user, am_status status, am_str result_json,
                                  am_str message);

/* One call of an action. Borrowed: valid until `done` has been called. */
typedef struct am_action_call {
  uint32_t struct_size;
  am_job *job;       /* the job this action runs as; pass it to every service call */
  am_str action;     /* the action's name, one of those describe() lists */
  am_str args_json;  /* {"account": {"nickname": "...", "fields": {...}} | null,
                         "options": {"key": "value", ...}, "args": ["...", ...]} */
  am_action_done_fn done;
  void *done_user;
} am_action_call;

typedef struct am_plugin_entry {
  am_version abi;        /* FIRST, always: AM_ABI_VERSION_INIT at build time */
  uint32_t struct_size;  /* sizeof(am_plugin_entry) as the plugin was built */
  const char *id;        /* unique, [a-z0-9_-]+, e.g. "youtube"; static storage */
  const char *name;      /* human name, "YouTube Shorts"; static storage */
  const char *version;   /* the plugin's own version, "1.2.0"; static storage */

  /* Called once after loading, before anything else. Keep `host`: it is valid until deinit
   * returns. Return AM_OK, or an error status after logging why. Main thread. */
  am_status (*init)(const am_host *host);

  /* Called once before unloading, after every job of this plugin has completed. Release
   * everything. Main thread. */
  void (*deinit)(void);

  /* Describe the plugin as JSON text, valid until deinit:
   *   {"description": "...",
   *    "account_fields": [{"name": "niche", "type": "string", "required": true,
   *                        "enum": [...], "secret": false, "help": "..."}],
   *    "actions": [{"name": "run", "summary": "...",
   *                 "options": [{"name": "script", "type": "string", "help": "..."}]}],
   *    "publishes": ["text", "video"]}
   * Main thread, after init. */
  am_str (*describe)(void);

  /* Start an action. Called on the job's executor. Return AM_OK when started: call->done
   * will then be called exactly once, possibly later from any thread. Return anything else
   * to refuse at once (unknown action, bad options): done is then never called. */
  am_status (*start_action)(const am_action_call *call);
} am_plugin_entry;

#ifdef __cplusplus
}
#endif

#endif /* AUTOMUSE_PLUGIN_H */
