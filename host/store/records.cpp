// JSON form of the store's records (see records.h).
#include "store/records.hpp"

#include <ctime>
#include <set>

#include "core/text.hpp"
#include "store/database.hpp"

namespace automuse::store {

namespace json = boost::json;

std::string iso_utc(int64_t unix_seconds) {
  return core::utc_text(unix_seconds, "%Y-%m-%dT%H:%M:%SZ");
}

namespace {

json::value opt(const OptString &s) {
  return s ? json::value(json::string(*s)) : json::value();
}

// Reads the keys of one JSON object into a record, refusing unknown keys and wrong types.
class Reader {
 public:
  Reader(const json::object &o, std::string_view what) : o_(o), what_(what) {}

  void str(const char *key, std::string &out) {
    if (const json::value *v = take(key)) {
      if (!v->is_string()) fail(key, "must be a string");
      out = json::value_to<std::string>(*v);
    }
  }
  void str(const char *key, OptString &out) {
    if (const json::value *v = take(key)) {
      if (v->is_null()) {
        out.reset();
      } else if (v->is_string()) {
        out = json::value_to<std::string>(*v);
      } else {
        fail(key, "must be a string or null");
      }
    }
  }
  void int64(const char *key, int64_t &out) {
    if (const json::value *v = take(key)) {
      if (!v->is_int64() && !v->is_uint64()) fail(key, "must be an integer (Unix seconds)");
      out = v->to_number<int64_t>();
    }
  }
  void int64(const char *key, std::optional<int64_t> &out) {
    if (const json::value *v = take(key)) {
      if (v->is_null()) {
        out.reset();
      } else if (v->is_int64() || v->is_uint64()) {
        out = v->to_number<int64_t>();
      } else {
        fail(key, "must be an integer or null");
      }
    }
  }
  void object(const char *key, json::object &out) {
    if (const json::value *v = take(key)) {
      if (!v->is_object()) fail(key, "must be an object");
      out = v->as_object();
    }
  }
  void skip(const char *key) { take(key); }
  void finish() {
    for (const auto &kv : o_) {
      if (!seen_.count(std::string(kv.key()))) fail(std::string(kv.key()), "is not a known field");
    }
  }
  [[noreturn]] void fail(const std::string &key, const std::string &msg) {
    throw StoreError(std::string(what_) + ": field '" + key + "' " + msg);
  }

 private:
  const json::value *take(const char *key) {
    seen_.insert(key);
    return o_.if_contains(key);
  }
  const json::object &o_;
  std::string_view what_;
  std::set<std::string> seen_;
};

void check_one_of(Reader &r, const std::string &value, const char *key,
                  std::initializer_list<std::string_view> allowed) {
  for (std::string_view a : allowed) {
    if (value == a) return;
  }
  std::string list;
  for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  r.fail(key, "must be one of " + list + "; got '" + value + "'");
}

}  // namespace

json::object to_json(const Account &a) {
  return {{"id", a.id},
          {"plugin", a.plugin_id},
          {"nickname", a.nickname},
          {"fields", a.fields},
          {"extra", a.extra},
          {"created_at", a.created_at},
          {"updated_at", a.updated_at}};
}

json::object to_json(const HistoryRecord &h) {
  return {{"id", h.id},
          {"account_id", opt(h.account_id)},
          {"plugin", h.plugin_id},
          {"kind", h.kind},
          {"title", opt(h.title)},
          {"body", opt(h.body)},
          {"local_file", opt(h.local_file)},
          {"remote_id", opt(h.remote_id)},
          {"remote_url", opt(h.remote_url)},
          {"status", h.status},
          {"error", opt(h.error)},
          {"extra", h.extra},
          {"created_at", h.created_at},
          {"updated_at", h.updated_at}};
}

json::object to_json(const Product &p) {
  return {{"id", p.id},
          {"link", opt(p.link)},
          {"asin", opt(p.asin)},
          {"marketplace", opt(p.marketplace)},
          {"share_plugin", opt(p.share_plugin_id)},
          {"share_account_id", opt(p.share_account_id)},
          {"notes", opt(p.notes)},
          {"extra", p.extra},
          {"created_at", p.created_at},
          {"updated_at", p.updated_at}};
}

json::object to_json(const OAuthToken &t) {
  return {{"account_id", t.account_id},
          {"provider", t.provider},
          {"access_token", opt(t.access_token)},
          {"refresh_token", opt(t.refresh_token)},
          {"token_type", opt(t.token_type)},
          {"scope", opt(t.scope)},
          {"expires_at", t.expires_at ? json::value(*t.expires_at) : json::value()},
          {"updated_at", t.updated_at}};
}

HistoryRecord history_from_json(const json::object &o, std::string_view what) {
  HistoryRecord h;
  Reader r(o, what);
  r.str("id", h.id);
  r.str("account_id", h.account_id);
  r.str("plugin", h.plugin_id);
  r.str("kind", h.kind);
  r.str("title", h.title);
  r.str("body", h.body);
  r.str("local_file", h.local_file);
  r.str("remote_id", h.remote_id);
  r.str("remote_url", h.remote_url);
  r.str("status", h.status);
  r.str("error", h.error);
  r.object("extra", h.extra);
  r.int64("created_at", h.created_at);
  r.int64("updated_at", h.updated_at);
  r.finish();
  check_one_of(r, h.kind, "kind", {"video", "post", "pitch"});
  check_one_of(r, h.status, "status", {"generated", "published", "failed"});
  return h;
}

Product product_from_json(const json::object &o, std::string_view what) {
  Product p;
  Reader r(o, what);
  r.str("id", p.id);
  r.str("link", p.link);
  r.str("asin", p.asin);
  r.str("marketplace", p.marketplace);
  r.str("share_plugin", p.share_plugin_id);
  r.str("share_account_id", p.share_account_id);
  r.str("notes", p.notes);
  r.object("extra", p.extra);
  r.int64("created_at", p.created_at);
  r.int64("updated_at", p.updated_at);
  r.finish();
  if (!p.link && !p.asin) r.fail("link", "or 'asin' is required");
  return p;
}

OAuthToken oauth_from_json(const json::object &o, std::string_view what) {
  OAuthToken t;
  Reader r(o, what);
  r.str("account_id", t.account_id);
  r.str("provider", t.provider);
  r.str("access_token", t.access_token);
  r.str("refresh_token", t.refresh_token);
  r.str("token_type", t.token_type);
  r.str("scope", t.scope);
  r.int64("expires_at", t.expires_at);
  r.int64("updated_at", t.updated_at);
  r.finish();
  if (t.provider.empty()) r.fail("provider", "is required");
  return t;
}

}  // namespace automuse::store
