// automuse/cpp/args.hpp — C++ access to "automuse.args/1": an action's options, account fields
// and positional arguments by name and type, without parsing args_json.
//
//   am::args a(host, call);                       // throws if the host has no such service
//   std::string title = a.option("title", "");    // absent: the fallback
//   int64_t count = a.option_integer("count", 1);  // mistyped: throws am::error naming it
//   std::optional<std::string> niche = a.field("niche");
//
// A value of the wrong type throws am::error(AM_INVALID_ARGUMENT) with the host's message
// (plugin, action, option or field, what was expected), ready to become the action's error.
#pragma once

#include <automuse/args.h>

#include <automuse/cpp/error.hpp>
#include <automuse/cpp/host.hpp>
#include <automuse/cpp/str.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace am {

class args {
 public:
  // [any-thread] Reads `call`, which must be the am_action_call the host passed to
  // start_action and stays valid until the action's done. Throws am::error(AM_UNSUPPORTED) if
  // the host has no arguments service, am::error(AM_INTERNAL) if the call is not the host's.
  args(const host &h, const am_action_call *call)
      : s_(&h.service<am_args>(AM_ARGS_SERVICE_ID)), call_(call) {
    if (!s_->usable(call_)) throw error(AM_INTERNAL, "args: not an action call made by the host");
  }

  // [any-thread] Options (`--name`): nullopt when not given, the value when given, and an
  // am::error when given with another type.
  bool has_option(const char *name) const { return s_->has_option(call_, name); }
  std::optional<std::string> option(const char *name) const {
    return value<std::string>(s_->option_string, name);
  }
  std::optional<int64_t> option_integer(const char *name) const {
    return value<int64_t>(s_->option_integer, name);
  }
  std::optional<double> option_number(const char *name) const {
    return value<double>(s_->option_number, name);
  }
  std::optional<bool> option_bool(const char *name) const {
    return value<bool>(s_->option_bool, name);
  }

  std::string option(const char *name, std::string fallback) const {
    return option(name).value_or(std::move(fallback));
  }
  int64_t option_integer(const char *name, int64_t fallback) const {
    return option_integer(name).value_or(fallback);
  }
  double option_number(const char *name, double fallback) const {
    return option_number(name).value_or(fallback);
  }
  bool option_bool(const char *name, bool fallback) const {
    return option_bool(name).value_or(fallback);
  }

  // [any-thread] The account's fields, the same way (nullopt also when there is no account).
  bool has_field(const char *name) const { return s_->has_field(call_, name); }
  std::optional<std::string> field(const char *name) const {
    return value<std::string>(s_->field_string, name);
  }
  std::optional<int64_t> field_integer(const char *name) const {
    return value<int64_t>(s_->field_integer, name);
  }
  std::optional<double> field_number(const char *name) const {
    return value<double>(s_->field_number, name);
  }
  std::optional<bool> field_bool(const char *name) const {
    return value<bool>(s_->field_bool, name);
  }

  // [any-thread] The positional arguments, in order.
  std::vector<std::string> positional() const {
    std::vector<std::string> out;
    for (size_t i = 0, n = s_->arg_count(call_); i < n; ++i)
      out.push_back(to_string(s_->arg(call_, i)));
    return out;
  }

  // [any-thread] The account's nickname and id; empty without an account.
  std::string account_nickname() const { return to_string(s_->account_nickname(call_)); }
  std::string account_id() const { return to_string(s_->account_id(call_)); }
  bool has_account() const { return s_->account_nickname(call_).data != nullptr; }

 private:
  // One option or field through the service's getter `fn`: nullopt when absent, throws on any
  // other failure. Text arrives as an am_str borrowed from the call and is copied.
  template <class T, class Fn>
  std::optional<T> value(Fn fn, const char *name) const {
    std::conditional_t<std::is_same_v<T, std::string>, am_str, T> v{};
    am_str message{};
    am_status s = fn(call_, name, &v, &message);
    if (s == AM_NOT_FOUND) return std::nullopt;
    if (s != AM_OK) throw error(s, to_string(message));
    if constexpr (std::is_same_v<T, std::string>)
      return to_string(v);
    else
      return v;
  }

  const am_args *s_;
  const am_action_call *call_;
};

// [job-strand] Give the reason for refusing `call` (see am_action_call.set_refusal); a no-op
// with a 1.0 host.
inline void set_refusal(const am_action_call *call, const std::string &reason) noexcept {
  if (call && AM_HAS_FIELD(call, am_action_call, set_refusal) && call->set_refusal)
    call->set_refusal(call, to_am_str(reason));
}

// [main-thread] Give the reason init is failing (see am_host.set_init_failure); a no-op with a
// 1.0 host.
inline void set_init_failure(const host &h, const std::string &reason) noexcept {
  const am_host *p = h.get();
  if (p && AM_HAS_FIELD(p, am_host, set_init_failure) && p->set_init_failure)
    p->set_init_failure(p, to_am_str(reason));
}

}  // namespace am
