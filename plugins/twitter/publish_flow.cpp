// plugins/twitter/publish_flow.cpp — intent, upload, post, verification and history.
#include "publish_flow.hpp"

#include <automuse/store.h>

#include <automuse/cpp/buffer.hpp>
#include <boost/json.hpp>
#include <functional>

#include "weighted_length.hpp"
#include "x_api.hpp"

namespace twitter {
namespace json = boost::json;

namespace {

const am_store &store_of(const am::job &job) {
  return job.host_ref().service<am_store>(AM_STORE_SERVICE_ID);
}

json::value store_call_json(const char *what,
                            const std::function<am_status(am_buffer *, am_buffer *)> &call) {
  am::buffer out, error;
  am_status s = call(out.out(), error.out());
  if (s != AM_OK) throw am::error(s, std::string("store: ") + what + ": " + error.str());
  return out.size() ? json::parse(out.view()) : json::value();
}

std::string update(const am::job &job, const std::string &history_id, const json::object &patch) {
  const std::string patch_json = json::serialize(patch);
  const auto &store = store_of(job);
  store_call_json("update history", [&](am_buffer *out, am_buffer *err) {
    return store.update_history(job.host_ref().get(), am::to_am_str(history_id),
                                am::to_am_str(patch_json), out, err);
  });
  return history_id;
}

// A history record of this account left "generated" (intent recorded, outcome unknown) for
// exactly this text, or "".
std::string open_intent(const am::job &job, const Account &account, const std::string &text) {
  const std::string query = json::serialize(json::object{
      {"account", account.id}, {"kind", "post"}, {"status", "generated"}, {"limit", 50}});
  const auto &store = store_of(job);
  json::value list = store_call_json("list history", [&](am_buffer *out, am_buffer *err) {
    return store.list_history(job.host_ref().get(), am::to_am_str(query), out, err);
  });
  if (list.is_array())
    for (auto &r : list.as_array()) {
      auto *body = r.as_object().if_contains("body");
      if (body && body->is_string() && body->as_string() == text)
        return std::string(r.at("id").as_string());
    }
  return "";
}

// The id of a recent post of the account with exactly this text, or "".
am::task<std::string> find_published(XApi &api, std::string text) {
  std::string user = co_await api.my_user_id();
  std::vector<PostedTweet> recent = co_await api.recent_posts(user, 20);
  for (auto &p : recent)
    if (p.text == text) co_return p.id;
  co_return std::string();
}

void check_stop(const StopFlag &stop) {
  if (stop && stop->load()) throw am::error(AM_CANCELLED, "cancelled");
}

}  // namespace

std::string post_url(const std::string &id) {
  return "https://x.com/i/web/status/" + id;
}

std::string published_json(const Published &p, const Account &account) {
  return json::serialize(json::object{{"id", p.id},
                                      {"url", p.url},
                                      {"account", account.nickname},
                                      {"text", p.text},
                                      {"history_id", p.history_id},
                                      {"recovered", p.recovered}});
}

am::task<Published> publish_post(am::job job, PluginSettings settings, Account account,
                                 std::string text, std::string video_path, StopFlag stop) {
  text = nfc(text);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.erase(0, 1);
  if (text.empty() && video_path.empty())
    throw am::error(AM_INVALID_ARGUMENT, "nothing to post for X account '" + account.nickname +
                                             "': give a text or a video");
  const int weight = weighted_length(text);
  if (weight > kMaxWeightedLength)
    throw am::error(AM_INVALID_ARGUMENT, "the post for X account '" + account.nickname + "' is " +
                                             std::to_string(weight) +
                                             " weighted characters; X allows 280");
  XApi api(job, job.host_ref().get(), settings, account,
           load_credentials(job.host_ref().get(), account));
  const auto &store = store_of(job);
  const am_host *host = job.host_ref().get();

  Published out;
  out.text = text;
  // An earlier attempt whose outcome is unknown: look before posting again.
  out.history_id = open_intent(job, account, text);
  if (!out.history_id.empty()) {
    job.log().info("X: an earlier post of this text for '" + account.nickname +
                   "' has an unknown outcome; checking the account's recent posts first");
    std::string id = co_await find_published(api, text);
    if (!id.empty()) {
      out.id = id;
      out.url = post_url(id);
      out.recovered = true;
      update(job, out.history_id,
             {{"status", "published"},
              {"remote_id", id},
              {"remote_url", out.url},
              {"error", nullptr}});
      co_return out;
    }
  } else {
    json::object record{{"account_id", account.id},
                        {"kind", "post"},
                        {"body", text},
                        {"status", "generated"},
                        {"extra", {{"platform", "x"}}}};
    if (!video_path.empty()) record["local_file"] = video_path;
    const std::string record_json = json::serialize(record);
    json::value stored = store_call_json("add history", [&](am_buffer *o, am_buffer *e) {
      return store.add_history(host, am::to_am_str(record_json), o, e);
    });
    out.history_id = std::string(stored.at("id").as_string());
  }

  try {
    std::vector<std::string> media;
    check_stop(stop);
    if (!video_path.empty()) media.push_back(co_await api.upload_video(video_path));
    check_stop(stop);
    PostedTweet posted;
    bool unknown = false;
    std::string unknown_message;
    try {
      posted = co_await api.create_post(text, media);
    } catch (const OutcomeUnknown &e) {
      if (e.status() == AM_CANCELLED || job.cancelled()) throw;  // checked on the next run
      unknown = true;
      unknown_message = e.what();
    }
    if (unknown) {
      job.log().warn(unknown_message + "; checking the account's recent posts before retrying");
      std::string id;
      try {
        id = co_await find_published(api, text);
      } catch (const am::error &e) {
        // Keep the intent ("generated"): the next attempt checks again before posting.
        throw OutcomeUnknown(AM_UNAVAILABLE, unknown_message +
                                                 "; could not check whether it was "
                                                 "published (" +
                                                 e.what() + "); the next attempt checks first");
      }
      if (!id.empty())
        posted = PostedTweet{id, text};
      else
        posted = co_await api.create_post(text, media);
    }
    out.id = posted.id;
    out.url = post_url(posted.id);
    update(
        job, out.history_id,
        {{"status", "published"}, {"remote_id", out.id}, {"remote_url", out.url}, {"body", text}});
    job.log().info("X: published " + out.url + " for '" + account.nickname + "'");
    co_return out;
  } catch (const OutcomeUnknown &) {
    throw;  // the intent stays open ("generated") and is checked next time
  } catch (const am::error &e) {
    update(job, out.history_id, {{"status", "failed"}, {"error", e.what()}});
    throw;
  }
}

}  // namespace twitter
