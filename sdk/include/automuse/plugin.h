/* automuse/plugin.h — what a plugin exports: exactly one data symbol, `automuse_plugin_entry`,
 * of type am_plugin_entry, whose first field is the ABI version the plugin was built against.
 * The host reads that version before running any plugin code.
 *
 * Life of a plugin, all calls from the host's main thread unless said otherwise:
 *   load library -> read entry.abi -> init(host) -> describe() ->
 *   start_action(...) any number of times, on jobs' executors ->
 *   (all jobs finished or cancelled and drained) -> deinit() -> unload library.
 *
 * Thread tags: every function in the SDK's headers carries one of
 *   [main-thread]  called by (or to be called on) the host's main thread only;
 *   [job-strand]   on a job's executor: one callback of a job at a time, never two at once;
 *   [any-thread]   from any thread, also concurrently. */
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

/* [any-thread] Report the end of an action, exactly once. `result_json` is a JSON value
 * describing what was made ("null" or empty when nothing); `message` a human-readable line,
 * the error when status is not AM_OK. Both are copied before the call returns. */
typedef void (*am_action_done_fn)(void *done_user, am_status status, am_str result_json,
                                  am_str message);

/* One call of an action. Borrowed: valid until `done` has been called.
 *
 * args_json is one JSON object, exactly as the host builds it:
 *   {"account": {"id": "...", "nickname": "...", "fields": {...}, "extra": {...}} | null,
 *    "options": {"<name>": <value>, ...},
 *    "args":    ["<word>", ...]}
 * - "account": the account given with --account (or one of --accounts), null without one.
 *   "fields" holds the account's fields as stored, typed by describe()'s account_fields
 *   (string, integer, number or boolean; defaults filled in); secret fields are never here
 *   (read them with the store service). "extra" is what the plugin itself stored with it.
 * - "options": every option the user gave, by name without the leading "--", from
 *   `--name value`, `--name=value` or `--set name=value`. Each value has the JSON type of the
 *   option's declaration: "string" a string, "integer" an integer, "number" a number,
 *   "boolean" true or false (a bare `--name` is true; `--name=false|no|off|0` is false; a
 *   boolean never takes the next word as its value). Options not given are absent, unless the
 *   declaration has a "default", which is then filled in. The host checks every option before
 *   the action starts: an undeclared name, a value of the wrong type, a value not in "enum",
 *   out of "minimum"/"maximum", a missing "required" option or one given twice is refused
 *   with AM_INVALID_ARGUMENT naming the plugin, the action and the option; the plugin never
 *   sees such a call. The host's own options (AM_RESERVED_OPTIONS) never appear here.
 * - "args": the remaining command-line words, in order, as strings.
 * The arguments service (args.h) reads all of this without a JSON parser. */
typedef struct am_action_call {
  uint32_t struct_size;
  am_job *job;       /* the job this action runs as; pass it to every service call */
  am_str action;     /* the action's name, one of those describe() lists */
  am_str args_json;  /* see above */
  am_action_done_fn done;
  void *done_user;
  /* Since ABI 1.1 (check with AM_HAS_FIELD): */
  void *host_data; /* private to the host (the arguments service reads the call through it) */
  /* [job-strand] The reason for refusing this call: call it from start_action just before
   * returning a status other than AM_OK; the host shows "<plugin> refused action '<action>'
   * (<status word>): <reason>". `reason` is copied. A later call replaces an earlier one. */
  void (*set_refusal)(const struct am_action_call *call, am_str reason);
} am_action_call;

/* The host's own command-line options: names no plugin may declare for an action, and that
 * never reach a plugin's "options" (the host acts on them). A describe() that declares one is
 * refused when the plugin is loaded. Later minor versions may add names. */
#define AM_RESERVED_OPTIONS                                                                    \
  "account", "accounts", "set", "again", "plugin", "plugin-dir", "config", "verbose", "quiet", \
      "log-json", "help", "version"

typedef struct am_plugin_entry {
  am_version abi;        /* FIRST, always: AM_ABI_VERSION_INIT at build time */
  uint32_t struct_size;  /* sizeof(am_plugin_entry) as the plugin was built */
  const char *id;        /* unique, [a-z0-9_-]+, e.g. "youtube"; static storage */
  const char *name;      /* human name, "YouTube Shorts"; static storage */
  const char *version;   /* the plugin's own version, "1.2.0"; static storage */

  /* [main-thread] Called once after loading, before anything else. Keep `host`: it is valid
   * until deinit returns. Return AM_OK, or an error status after saying why with
   * host->set_init_failure (since ABI 1.1; check AM_HAS_FIELD(host, am_host,
   * set_init_failure)): the host then reports "<id>: init failed (<status word>): <reason>"
   * and unloads the library without calling deinit. */
  am_status (*init)(const am_host *host);

  /* [main-thread] Called once before unloading, after every job of this plugin has
   * completed and every callback it scheduled has returned. Release everything. */
  void (*deinit)(void);

  /* [main-thread] Describe the plugin as JSON text, valid until deinit. Called once, after
   * init. The host reads exactly these members (others are ignored):
   *   {"description": "one line",
   *    "account_fields": [FIELD, ...],
   *    "actions": [{"name": "run", "summary": "one line", "options": [OPTION, ...]}, ...],
   *    "publishes": ["text", "video", ...]}
   * FIELD (an account's setting, asked for by `accounts add`, checked by the host on every
   * store):
   *   {"name": "niche",          required, non-empty, unique
   *    "type": "string",         "string" (the default), "integer", "number" or "boolean"
   *    "required": false,        true: an account must have it (a required string non-empty)
   *    "default": <value>,       of the field's type, filled in when absent
   *    "enum": [<value>, ...],   the allowed values, each of the field's type
   *    "minimum": n, "maximum": n,   bounds of an integer or number field
   *    "secret": false,          true (strings only): kept in the secrets table, never in
   *                              "fields", never printed; read with the store service
   *    "help": "..."}            shown by `accounts add --help`; "description" is the same
   * OPTION (an action's command-line option `--name`):
   *   {"name": "title",          required, [a-z0-9][a-z0-9_-]*, unique in the action, not
   *                              one of AM_RESERVED_OPTIONS
   *    "type": "string",         "string" (the default), "integer", "number" or "boolean"
   *    "required": false, "default": <value>, "enum": [...], "minimum": n, "maximum": n,
   *                              as for fields, checked before the action starts
   *    "help": "..."}            shown by `automuse-host --help` under the plugin's actions
   * A describe() whose document is not a JSON object, or whose options break these rules, is
   * refused at load time with a message naming the plugin, the action and the option. An
   * action with no "options" takes none. */
  am_str (*describe)(void);

  /* [job-strand] Start an action, on the job's executor. Return AM_OK when started:
   * call->done will then be called exactly once, possibly later from any thread. Return
   * anything else to refuse at once (done is then never called), after giving the reason with
   * call->set_refusal (since ABI 1.1; check AM_HAS_FIELD(call, am_action_call, set_refusal)).
   * Options were already checked against describe() by the host. */
  am_status (*start_action)(const am_action_call *call);
} am_plugin_entry;

/* The one symbol a plugin exports; declared here so the compiler checks the plugin's
 * definition against it. A plugin defines it as
 *   AM_EXPORT const am_plugin_entry automuse_plugin_entry = {AM_ABI_VERSION_INIT,
 *       sizeof(am_plugin_entry), "id", "Name", "1.0.0", init, deinit, describe, start_action};
 * The host includes this header too but never defines the symbol. */
AM_EXPORT extern const am_plugin_entry automuse_plugin_entry;

#ifdef __cplusplus
}
#endif

#endif /* AUTOMUSE_PLUGIN_H */
