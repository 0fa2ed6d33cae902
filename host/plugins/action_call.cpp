// host/plugins/action_call.cpp — one action call and the arguments service that reads it.
#include "plugins/action_call.hpp"

#include <cmath>
#include <limits>

#include "plugins/action_options.hpp"

namespace automuse::plugins {
namespace json = boost::json;

namespace {

am_str view(const json::string &s) {
  return am_str{s.data(), s.size()};
}

const char *expected(ActionCall::Kind kind) {
  switch (kind) {
    case ActionCall::Kind::kString:
      return "a string";
    case ActionCall::Kind::kNumber:
      return "a number";
    case ActionCall::Kind::kInteger:
      return "an integer";
    case ActionCall::Kind::kBoolean:
      return "true or false";
  }
  return "a value";
}

// Stores `v` in *out as `kind` when it has that type.
bool convert(const json::value &v, ActionCall::Kind kind, void *out) {
  switch (kind) {
    case ActionCall::Kind::kString:
      if (!v.is_string()) return false;
      *static_cast<am_str *>(out) = view(v.get_string());
      return true;
    case ActionCall::Kind::kNumber:
      if (!v.is_number()) return false;
      *static_cast<double *>(out) = v.to_number<double>();
      return true;
    case ActionCall::Kind::kInteger: {
      if (v.is_int64()) {
        *static_cast<int64_t *>(out) = v.get_int64();
        return true;
      }
      if (v.is_uint64() && v.get_uint64() <= uint64_t(std::numeric_limits<int64_t>::max())) {
        *static_cast<int64_t *>(out) = static_cast<int64_t>(v.get_uint64());
        return true;
      }
      if (v.is_double() && std::trunc(v.get_double()) == v.get_double() &&
          std::fabs(v.get_double()) < 9.2e18) {
        *static_cast<int64_t *>(out) = static_cast<int64_t>(v.get_double());
        return true;
      }
      return false;
    }
    case ActionCall::Kind::kBoolean:
      if (!v.is_bool()) return false;
      *static_cast<bool *>(out) = v.get_bool();
      return true;
  }
  return false;
}

const json::value *member(const json::object *o, const char *name) {
  return o && name ? o->if_contains(name) : nullptr;
}

am_str string_member(const json::object *o, const char *name) {
  const json::value *v = member(o, name);
  return v && v->is_string() ? view(v->get_string()) : am_str{nullptr, 0};
}

template <ActionCall::Kind K, bool Field, class T>
am_status reader(const am_action_call *call, const char *name, T *out, am_str *error) {
  if (const ActionCall *c = ActionCall::of(call)) return c->read(Field, name, K, out, error);
  static const char kForeign[] = "args: not an action call made by this host";
  if (error) *error = am_str{kForeign, sizeof kForeign - 1};
  return AM_INTERNAL;
}

const am_args kArgs = {
    sizeof(am_args),
    [](const am_action_call *call) { return ActionCall::of(call) != nullptr; },
    [](const am_action_call *call, const char *name) {
      const ActionCall *c = ActionCall::of(call);
      return c && c->option(name) != nullptr;
    },
    reader<ActionCall::Kind::kString, false, am_str>,
    reader<ActionCall::Kind::kNumber, false, double>,
    reader<ActionCall::Kind::kInteger, false, int64_t>,
    reader<ActionCall::Kind::kBoolean, false, bool>,
    [](const am_action_call *call, const char *name) {
      const ActionCall *c = ActionCall::of(call);
      return c && c->field(name) != nullptr;
    },
    reader<ActionCall::Kind::kString, true, am_str>,
    reader<ActionCall::Kind::kNumber, true, double>,
    reader<ActionCall::Kind::kInteger, true, int64_t>,
    reader<ActionCall::Kind::kBoolean, true, bool>,
    [](const am_action_call *call) -> size_t {
      const ActionCall *c = ActionCall::of(call);
      return c && c->positional() ? c->positional()->size() : 0;
    },
    [](const am_action_call *call, size_t index) -> am_str {
      const ActionCall *c = ActionCall::of(call);
      const json::array *a = c ? c->positional() : nullptr;
      if (!a || index >= a->size() || !(*a)[index].is_string()) return am_str{nullptr, 0};
      return view((*a)[index].get_string());
    },
    [](const am_action_call *call) -> am_str {
      const ActionCall *c = ActionCall::of(call);
      return string_member(c ? c->account() : nullptr, "nickname");
    },
    [](const am_action_call *call) -> am_str {
      const ActionCall *c = ActionCall::of(call);
      return string_member(c ? c->account() : nullptr, "id");
    },
};

}  // namespace

ActionCall::ActionCall(std::string plugin, std::string action, json::object args, am_job *job,
                       am_action_done_fn done, void *done_user)
    : plugin_(std::move(plugin)),
      action_(std::move(action)),
      args_text_(json::serialize(args)),
      args_(std::move(args)) {
  call_.struct_size = sizeof(am_action_call);
  call_.job = job;
  call_.action = am_str{action_.data(), action_.size()};
  call_.args_json = am_str{args_text_.data(), args_text_.size()};
  call_.done = done;
  call_.done_user = done_user;
  call_.host_data = this;
  call_.set_refusal = [](const am_action_call *call, am_str reason) {
    if (ActionCall *c = of(call))
      c->refusal_.assign(reason.data ? reason.data : "", reason.data ? reason.len : 0);
  };
}

ActionCall *ActionCall::of(const am_action_call *call) noexcept {
  if (!call || !AM_HAS_FIELD(call, am_action_call, host_data) || !call->host_data) return nullptr;
  auto *c = static_cast<ActionCall *>(call->host_data);
  return &c->call_ == call ? c : nullptr;
}

const json::value *ActionCall::option(const char *name) const {
  const json::value *o = args_.if_contains("options");
  return member(o ? o->if_object() : nullptr, name);
}

const json::object *ActionCall::account() const {
  const json::value *a = args_.if_contains("account");
  return a ? a->if_object() : nullptr;
}

const json::value *ActionCall::field(const char *name) const {
  const json::value *f = member(account(), "fields");
  return member(f ? f->if_object() : nullptr, name);
}

const json::array *ActionCall::positional() const {
  const json::value *a = args_.if_contains("args");
  return a ? a->if_array() : nullptr;
}

am_status ActionCall::read(bool is_field, const char *name, Kind kind, void *out,
                           am_str *error) const {
  const std::string who = plugin_ + " " + action_;
  const std::string what =
      name ? std::string(is_field ? "field '" : "option --") + name + (is_field ? "'" : "")
           : std::string("(no name)");
  auto failed = [&](am_status s, std::string message) {
    if (error) *error = keep(std::move(message));
    return s;
  };
  if (!name || !out) return failed(AM_INVALID_ARGUMENT, who + ": args: name and out are required");
  std::string where = who;
  if (is_field) {
    const json::object *a = account();
    if (!a)
      return failed(AM_NOT_FOUND, who + ": " + what + ": no account was given (--account), " +
                                      "expected " + expected(kind));
    am_str nick = string_member(a, "nickname");
    where += ", account '" + std::string(nick.data ? nick.data : "", nick.len) + "'";
  }
  const json::value *v = is_field ? field(name) : option(name);
  if (!v || v->is_null())
    return failed(AM_NOT_FOUND, where + ": " + what +
                                    (is_field ? " is missing" : " was not given") + " (expected " +
                                    expected(kind) + ")");
  if (!convert(*v, kind, out))
    return failed(AM_INVALID_ARGUMENT,
                  where + ": " + what + ": expected " + expected(kind) + ", got " + shown(*v));
  return AM_OK;
}

am_str ActionCall::keep(std::string message) const {
  std::lock_guard lock(mutex_);
  messages_.push_back(std::move(message));
  return am_str{messages_.back().data(), messages_.back().size()};
}

const am_args *args_service() noexcept {
  return &kArgs;
}

}  // namespace automuse::plugins
