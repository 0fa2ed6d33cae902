// host/plugins/action_call.hpp — the host's side of one am_action_call: the call struct a plugin
// borrows, its parsed args_json that the arguments service ("automuse.args/1", args.h) reads,
// the messages that service hands out (valid until the action's done), and the reason the
// plugin gave with set_refusal when it refused the call.
#pragma once

#include <automuse/args.h>

#include <boost/json.hpp>
#include <deque>
#include <mutex>
#include <string>

namespace automuse::plugins {

class ActionCall {
 public:
  // `args` is the call's args_json object ({"account", "options", "args"}, plugin.h).
  ActionCall(std::string plugin, std::string action, boost::json::object args, am_job *job,
             am_action_done_fn done, void *done_user);
  ActionCall(const ActionCall &) = delete;
  ActionCall &operator=(const ActionCall &) = delete;

  // The struct to pass to start_action; valid as long as this object.
  const am_action_call *call() const noexcept { return &call_; }
  const std::string &plugin() const noexcept { return plugin_; }
  const std::string &action() const noexcept { return action_; }
  const std::string &args_json() const noexcept { return args_text_; }
  // What the plugin gave with set_refusal ("" if nothing). Read it on the job's strand after
  // start_action returned.
  const std::string &refusal() const noexcept { return refusal_; }

  // The ActionCall behind a call the host made, or nullptr.
  static ActionCall *of(const am_action_call *call) noexcept;

  // The service's readers (args.h), here so the table is a list of one-liners.
  enum class Kind { kString, kNumber, kInteger, kBoolean };
  const boost::json::value *option(const char *name) const;
  const boost::json::value *field(const char *name) const;
  const boost::json::object *account() const;
  const boost::json::array *positional() const;
  am_status read(bool is_field, const char *name, Kind kind, void *out, am_str *error) const;

 private:
  am_str keep(std::string message) const;  // a message valid as long as this object

  std::string plugin_, action_, args_text_;
  boost::json::object args_;
  am_action_call call_{};
  std::string refusal_;
  mutable std::mutex mutex_;
  mutable std::deque<std::string> messages_;
};

// The table registered as AM_ARGS_SERVICE_ID.
const am_args *args_service() noexcept;

}  // namespace automuse::plugins
