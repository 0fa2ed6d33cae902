// host/web/api_json.cpp — parsing and shaping the API's JSON.
#include "web/api_json.hpp"

#include <algorithm>
#include <charconv>

#include "log/redaction.hpp"

namespace automuse::web {
namespace json = boost::json;

json::object body_object(const Request &request) {
  json::error_code ec;
  json::value v = json::parse(request.body(), ec);
  if (ec)
    throw ApiError(http::status::bad_request, "malformed_json",
                   "the request's body is not valid JSON (" + ec.message() + ")");
  if (!v.is_object())
    throw ApiError(http::status::bad_request, "malformed_json",
                   "the request's body must be a JSON object");
  return std::move(v.as_object());
}

std::optional<std::string> opt_string(const json::object &o, const char *name) {
  const json::value *v = o.if_contains(name);
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_string())
    throw ApiError(http::status::bad_request, "invalid_field",
                   std::string("'") + name + "' must be a string");
  return std::string(v->as_string());
}

std::string need_string(const json::object &o, const char *name) {
  auto s = opt_string(o, name);
  if (!s || s->empty())
    throw ApiError(http::status::bad_request, "missing_field",
                   std::string("'") + name + "' is required");
  return *s;
}

const std::string &id_param(const RouteContext &c, const char *name) {
  const std::string &v = c.params.at(name);
  const bool ok = !v.empty() && v.size() <= 64 && std::all_of(v.begin(), v.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_';
  });
  if (!ok)
    throw ApiError(http::status::bad_request, "invalid_id",
                   std::string("'") + name + "' is not an id (letters, digits, '-' and '_' only)");
  return v;
}

int query_int(const RouteContext &c, const char *name, int fallback, int lo, int hi) {
  auto it = c.query.find(name);
  if (it == c.query.end()) return fallback;
  int v = 0;
  const std::string &s = it->second;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < lo || v > hi)
    throw ApiError(http::status::bad_request, "invalid_query",
                   std::string("'") + name + "' must be a whole number from " + std::to_string(lo) +
                       " to " + std::to_string(hi));
  return v;
}

json::value opt(const std::optional<std::string> &v) {
  return v ? json::value(*v) : json::value(nullptr);
}
json::value opt(const std::optional<int64_t> &v) {
  return v ? json::value(*v) : json::value(nullptr);
}

json::value stored_json(const std::optional<std::string> &text) {
  if (!text) return nullptr;
  json::error_code ec;
  json::value v = json::parse(log::redact(*text), ec);
  return ec ? json::value(log::redact(*text)) : v;
}

json::object history_json(const store::HistoryRecord &h) {
  return {{"id", h.id},
          {"plugin", h.plugin_id},
          {"account_id", opt(h.account_id)},
          {"kind", h.kind},
          {"title", opt(h.title)},
          {"status", h.status},
          {"remote_url", opt(h.remote_url)},
          {"error", h.error ? json::value(log::redact(*h.error)) : json::value(nullptr)},
          {"created_at", h.created_at},
          {"updated_at", h.updated_at}};
}

json::object event_json(const schedule::JobEvent &e) {
  json::object o{{"seq", e.seq}, {"at_ms", e.at_ms}, {"kind", e.kind}, {"name", e.name}};
  if (e.percent) o["percent"] = *e.percent;
  if (e.note) o["note"] = log::redact(*e.note);
  return o;
}

}  // namespace automuse::web
