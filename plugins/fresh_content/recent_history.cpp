// plugins/fresh_content/recent_history.cpp — history records through the store service.
#include "recent_history.hpp"

#include <automuse/store.h>

#include <algorithm>
#include <automuse/cpp/buffer.hpp>
#include <automuse/cpp/error.hpp>
#include <automuse/cpp/str.hpp>
#include <boost/json.hpp>

namespace fresh_content {
namespace json = boost::json;

namespace {

// The text at `path` ("title", "extra.topic") of a record, or "".
std::string member_text(const json::object &record, std::string_view path) {
  const json::object *o = &record;
  for (size_t dot; (dot = path.find('.')) != std::string_view::npos; path.remove_prefix(dot + 1)) {
    const json::value *inner = o->if_contains(path.substr(0, dot));
    if (!inner || !inner->is_object()) return {};
    o = &inner->as_object();
  }
  const json::value *v = o->if_contains(path);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

std::vector<std::string> recent_texts(const am::host &host, const RecentQuery &q) {
  const auto *store = host.find<am_store>(AM_STORE_SERVICE_ID);
  if (!store) return {};
  json::object query{{"kind", q.kind}, {"limit", q.limit}};
  if (!q.account.empty()) query["account"] = q.account;
  if (!q.status.empty()) query["status"] = q.status;
  const std::string text = json::serialize(query);
  am::buffer out, error;
  if (am_status s = store->list_history(host.get(), am::to_am_str(text), out.out(), error.out());
      s != AM_OK)
    throw am::error(
        s, "store: cannot read the recent history of account '" + q.account + "': " + error.str());
  boost::system::error_code ec;
  json::value records = json::parse(out.view(), ec);
  std::vector<std::string> texts;
  if (ec || !records.is_array()) return texts;
  for (const json::value &r : records.as_array()) {
    if (!r.is_object()) continue;
    for (const std::string &member : q.members) {
      std::string t = member_text(r.as_object(), member);
      if (!t.empty() && std::find(texts.begin(), texts.end(), t) == texts.end())
        texts.push_back(std::move(t));
    }
  }
  return texts;
}

std::string avoid_instruction(const std::vector<std::string> &recent, std::string_view what) {
  if (recent.empty()) return {};
  std::string out = "Do not repeat any of these recent " + std::string(what) +
                    " of this account, nor say the same in other words:";
  for (const std::string &r : recent) out += "\n- " + r;
  return out;
}

std::string repeat_refusal(std::string_view repeated, std::string_view what) {
  return "That is too close to \"" + std::string(repeated) + "\", one of the recent " +
         std::string(what) +
         " of this account. Give a different one, about something else, in "
         "the same form.";
}

}  // namespace fresh_content
