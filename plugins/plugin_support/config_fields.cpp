// plugins/plugin_support/config_fields.cpp — the checked field readers: one wording for every
// plugin's configuration errors.
#include "config_fields.hpp"

#include <automuse/cpp/error.hpp>

namespace plugin_support {
namespace json = boost::json;

namespace {

[[noreturn]] void bad_field(std::string_view where, std::string_view name, std::string_view why) {
  throw am::error(AM_INVALID_ARGUMENT,
                  std::string(where) + std::string(name) + " " + std::string(why));
}

const json::value *present(const json::object &o, std::string_view name) {
  const json::value *v = o.if_contains(name);
  return v && !v->is_null() ? v : nullptr;
}

}  // namespace

json::object parse_object(std::string_view text, std::string_view what) {
  if (text.empty()) return {};
  json::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) throw am::error(AM_INVALID_ARGUMENT, std::string(what) + " is not JSON: " + ec.message());
  if (!v.is_object()) throw am::error(AM_INVALID_ARGUMENT, std::string(what) + " is not an object");
  return std::move(v.as_object());
}

ConfigSection parse_section(std::string_view text, std::string_view plugin) {
  const std::string name = "automuse.json: plugins." + std::string(plugin);
  return {parse_object(text, name), name + "."};
}

AccountRecord parse_account_record(std::string_view text, std::string_view label) {
  const std::string what = std::string(label) + " account";
  const json::object o = parse_object(text, what);
  AccountRecord r;
  r.id = string_field(o, "id", "", what + " ");
  r.nickname = string_field(o, "nickname", r.id, what + " ");
  if (auto *f = o.if_contains("fields"); f && f->is_object()) r.fields = f->as_object();
  r.where = what + " '" + r.nickname + "': ";
  return r;
}

std::string string_field(const json::object &o, std::string_view name, std::string fallback,
                         std::string_view where) {
  const json::value *v = present(o, name);
  if (!v) return fallback;
  if (!v->is_string()) bad_field(where, name, "must be a string");
  return std::string(v->as_string());
}

int64_t int_field(const json::object &o, std::string_view name, int64_t fallback, int64_t min,
                  int64_t max, std::string_view where) {
  const json::value *v = present(o, name);
  if (!v) return fallback;
  int64_t n = 0;
  if (v->is_int64())
    n = v->as_int64();
  else if (v->is_uint64())
    n = static_cast<int64_t>(v->as_uint64());
  else if (v->is_double())
    n = static_cast<int64_t>(v->as_double());
  else
    bad_field(where, name, "must be a number");
  if (n < min || n > max)
    bad_field(where, name, "must be in " + std::to_string(min) + ".." + std::to_string(max));
  return n;
}

std::string url_field(const json::object &o, std::string_view name, std::string fallback,
                      std::string_view where) {
  std::string s = string_field(o, name, std::move(fallback), where);
  while (!s.empty() && s.back() == '/') s.pop_back();
  if (!s.empty() && s.rfind("http://", 0) != 0 && s.rfind("https://", 0) != 0)
    bad_field(where, name, "must be an http(s) URL");
  return s;
}

uint32_t port_field(const json::object &o, std::string_view name, uint32_t fallback,
                    std::string_view where) {
  const json::value *v = present(o, name);
  if (!v) return fallback;
  // A number that is not a whole port (a string, 8080.5, -1, 70000) is refused alike.
  const double port = v->is_number() ? v->to_number<double>() : -1;
  if (port < 0 || port > 65535 || port != static_cast<uint32_t>(port))
    bad_field(where, name, "must be a port number (0-65535)");
  return static_cast<uint32_t>(port);
}

}  // namespace plugin_support
