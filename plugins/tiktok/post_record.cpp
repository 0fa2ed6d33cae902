// plugins/tiktok/post_record.cpp — the history records behind exactly-once posting.
#include "post_record.hpp"

#include <automuse/store.h>

#include <automuse/cpp/buffer.hpp>
#include <boost/json.hpp>
#include <functional>

#include "json_members.hpp"

namespace tiktok {
namespace json = boost::json;
using plugin_support::string_member;

namespace {

json::value store_call(
    const am::job &job, const char *what,
    const std::function<am_status(const am_store &, am_buffer *, am_buffer *)> &f) {
  const auto &store = job.host_ref().service<am_store>(AM_STORE_SERVICE_ID);
  am::buffer out, error;
  const am_status s = f(store, out.out(), error.out());
  if (s != AM_OK) throw am::error(s, std::string("store: ") + what + ": " + error.str());
  return out.size() ? json::parse(out.view()) : json::value();
}

void update(const am::job &job, const std::string &id, const json::object &patch) {
  const std::string text = json::serialize(patch);
  store_call(job, "update history", [&](const am_store &s, am_buffer *o, am_buffer *e) {
    return s.update_history(job.host_ref().get(), am::to_am_str(id), am::to_am_str(text), o, e);
  });
}

std::string account_key(const Account &a) {
  return a.id.empty() ? a.nickname : a.id;
}

}  // namespace

std::optional<PostRecord> find_open_record(const am::job &job, const Account &account,
                                           const std::string &path, const std::string &caption) {
  const std::string query = json::serialize(json::object{{"account", account_key(account)},
                                                         {"kind", "video"},
                                                         {"status", "generated"},
                                                         {"limit", 50}});
  json::value list =
      store_call(job, "list history", [&](const am_store &s, am_buffer *o, am_buffer *e) {
        return s.list_history(job.host_ref().get(), am::to_am_str(query), o, e);
      });
  if (!list.is_array()) return std::nullopt;
  for (auto &r : list.as_array()) {
    if (!r.is_object()) continue;
    const json::object &o = r.as_object();
    if (string_member(o, "local_file") == path && string_member(o, "body") == caption)
      return PostRecord{string_member(o, "id"), string_member(o, "remote_id")};
  }
  return std::nullopt;
}

PostRecord add_record(const am::job &job, const Account &account, const std::string &path,
                      const std::string &caption) {
  const std::string record = json::serialize(json::object{{"account_id", account_key(account)},
                                                          {"kind", "video"},
                                                          {"body", caption},
                                                          {"local_file", path},
                                                          {"status", "generated"},
                                                          {"extra", {{"platform", "tiktok"}}}});
  json::value stored =
      store_call(job, "add history", [&](const am_store &s, am_buffer *o, am_buffer *e) {
        return s.add_history(job.host_ref().get(), am::to_am_str(record), o, e);
      });
  return PostRecord{std::string(stored.at("id").as_string()), ""};
}

void remember_publish_id(const am::job &job, PostRecord &record, const std::string &publish_id) {
  update(job, record.history_id, {{"remote_id", publish_id}});
  record.publish_id = publish_id;
}

void record_published(const am::job &job, const PostRecord &record, const std::string &id,
                      const std::string &url) {
  update(job, record.history_id, {{"status", "published"}, {"remote_id", id}, {"remote_url", url}});
}

void record_failed(const am::job &job, const PostRecord &record, const std::string &reason) {
  update(job, record.history_id, {{"status", "failed"}, {"error", reason}});
}

}  // namespace tiktok
