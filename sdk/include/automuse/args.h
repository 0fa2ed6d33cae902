/* automuse/args.h — the arguments service, "automuse.args/1" (since ABI 1.1): an action's
 * options, positional arguments and account fields read by name and type, so a plugin needs
 * no JSON parser of its own. The same data is in am_action_call.args_json (see plugin.h for
 * its exact shape); this service reads it for the plugin.
 *
 * Every function takes the am_action_call the host passed to start_action. Calls made by
 * anyone else (a test driving the plugin with its own am_action_call, a 1.0 host) are
 * answered with AM_INTERNAL / empty values: check the call with `usable` first if in doubt.
 *
 * Strings handed out (values and error messages) are owned by the host and stay valid until
 * the action's `done` has been called; copy what must live longer. `name` arguments are
 * NUL-terminated: an option's name without the leading "--" ("title"), a field's name as
 * declared in describe()'s account_fields ("niche").
 *
 * The readers return:
 *   AM_OK               the value is in *out;
 *   AM_NOT_FOUND        the option was not given / the account has no such field / no account
 *                       was given: *out is untouched, so a default set beforehand stays;
 *   AM_INVALID_ARGUMENT the value has another type than asked for;
 *   AM_INTERNAL         `call` is not one the host made.
 * On anything but AM_OK, *error (when not NULL) receives one line naming the plugin, the
 * action, the option or field (and the account) and what was expected, ready to be passed to
 * `done` as the message, for example
 *   "youtube run: option --count: expected an integer, got \"three\""
 *   "youtube run, account 'news': field 'niche' is missing (expected a string)".
 *
 * Types: options arrive typed by the action's describe() declaration (plugin.h); account fields
 * by the account_fields declaration. A "number" reader accepts integers too; an "integer"
 * reader accepts a number with no fraction. Nothing else is converted: a string "3" is not a
 * number. */
#ifndef AUTOMUSE_ARGS_H
#define AUTOMUSE_ARGS_H

#include "automuse/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AM_ARGS_SERVICE_ID "automuse.args/1"

typedef struct am_args {
  uint32_t struct_size;

  /* [any-thread] True when `call` was made by this host and can be read with this service. */
  bool (*usable)(const am_action_call *call);

  /* [any-thread] True when the option `--name` was given (with any value). */
  bool (*has_option)(const am_action_call *call, const char *name);

  /* [any-thread] Read the option `--name` as a string, number, integer or boolean. */
  am_status (*option_string)(const am_action_call *call, const char *name, am_str *out,
                             am_str *error);
  am_status (*option_number)(const am_action_call *call, const char *name, double *out,
                             am_str *error);
  am_status (*option_integer)(const am_action_call *call, const char *name, int64_t *out,
                              am_str *error);
  am_status (*option_bool)(const am_action_call *call, const char *name, bool *out, am_str *error);

  /* [any-thread] True when an account was given and its fields hold `name`. */
  bool (*has_field)(const am_action_call *call, const char *name);

  /* [any-thread] Read the account field `name` as a string, number, integer or boolean. Secret
   * fields are not here (read them with the store service's get_secret). */
  am_status (*field_string)(const am_action_call *call, const char *name, am_str *out,
                            am_str *error);
  am_status (*field_number)(const am_action_call *call, const char *name, double *out,
                            am_str *error);
  am_status (*field_integer)(const am_action_call *call, const char *name, int64_t *out,
                             am_str *error);
  am_status (*field_bool)(const am_action_call *call, const char *name, bool *out, am_str *error);

  /* [any-thread] The positional arguments (command-line words that are not options): their
   * number, and the one at `index` ({NULL, 0} past the end). */
  size_t (*arg_count)(const am_action_call *call);
  am_str (*arg)(const am_action_call *call, size_t index);

  /* [any-thread] The account the action runs for (given with --account or --accounts): its
   * nickname and its id, or {NULL, 0} for both when the action runs without an account. */
  am_str (*account_nickname)(const am_action_call *call);
  am_str (*account_id)(const am_action_call *call);
} am_args;

#ifdef __cplusplus
}
#endif

#endif /* AUTOMUSE_ARGS_H */
