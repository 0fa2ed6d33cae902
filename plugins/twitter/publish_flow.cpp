// plugins/twitter/publish_flow.cpp — intent, upload, post, verification and history.
#include "publish_flow.hpp"

#include <automuse/store.h>

#include <automuse/cpp/buffer.hpp>
#include <boost/json.hpp>
#include <functional>

#include "text.hpp"
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

constexpr int kRecentPosts = 20;  // how far back a lost post is looked for
constexpr int kPostAttempts = 2;  // creates tried when X says it made no post

// What X's timeline says about a post whose outcome is unknown.
struct Lookup {
  bool answered = false;  // false: the timeline could not be read (why in `error`)
  std::string id;         // answered: the post's id, "" when X has no such post
  std::string error;
};

// Looks for `text` among the account's recent posts, links compared by their expanded form.
am::task<Lookup> look_for_post(am::job job, XApi &api, std::string text) {
  Lookup out;
  try {
    auto asking = api.my_user_id();
    std::string user = co_await std::move(asking);
    auto reading = api.recent_posts(user, kRecentPosts);
    std::vector<RemotePost> recent = co_await std::move(reading);
    out.answered = true;
    for (auto &p : recent)
      if (same_post(text, p)) {
        out.id = p.id;
        break;
      }
  } catch (const am::error &e) {
    if (e.status() == AM_CANCELLED || job.cancelled()) throw;
    out.error = e.what();
  }
  co_return out;
}

PostOutcome published_as(std::string id, bool recovered) {
  PostOutcome o;
  o.state = PostOutcome::State::published;
  o.id = std::move(id);
  o.recovered = recovered;
  return o;
}

PostOutcome failed_as(am_status status, std::string reason) {
  PostOutcome o;
  o.state = PostOutcome::State::failed;
  o.status = status;
  o.reason = std::move(reason);
  o.platform_did_not_act = true;
  return o;
}

PostOutcome uncertain_as(const Account &account, const std::string &text, const std::string &what) {
  const std::string check =
      "do not post it again before checking: open the X profile of account '" + account.nickname +
      "' (https://x.com, signed in as it) and look for a post "
      "made just now with the text \"" +
      text + "\"";
  PostOutcome o;  // never repeated by itself; the host's ledger records it so
  o.mark_uncertain(what + "; the post may be published; " + check, check);
  return o;
}

// The unknown outcome of an earlier attempt, settled by X's timeline: published (found),
// uncertain (the timeline could not be read), or failed with platform_did_not_act (X has no
// such post: posting is safe).
am::task<PostOutcome> settle_by_timeline(am::job job, XApi &api, std::string text,
                                         std::string what) {
  const Account &account = api.account();
  job.log().warn(what + "; looking for the post among the account's recent posts");
  Lookup found = co_await look_for_post(job, api, text);
  if (!found.answered)
    co_return uncertain_as(account, text,
                           what + ", and its recent posts could not be read (" + found.error + ")");
  if (!found.id.empty()) {
    job.log().info("X: found the post of '" + account.nickname + "' among its recent posts");
    co_return published_as(found.id, true);
  }
  co_return failed_as(AM_UNAVAILABLE, what + ", and X has no such post among the account's " +
                                          std::to_string(kRecentPosts) + " most recent");
}

}  // namespace

am::task<PostOutcome> create_post_once(am::job job, XApi &api, std::string text,
                                       std::vector<std::string> media_ids) {
  bool unknown_before = false;  // an earlier create of this call may have gone through
  for (int attempt = 1;; ++attempt) {
    std::string what;
    try {
      auto creating = api.create_post(text, media_ids);
      PostedTweet posted = co_await std::move(creating);
      co_return published_as(posted.id, false);
    } catch (const OutcomeUnknown &e) {
      if (e.status() == AM_CANCELLED || job.cancelled()) throw;
      what = e.what();
    } catch (const DuplicateContent &e) {
      // After a lost answer, X refusing the same text again means the first one went through.
      if (!unknown_before) co_return failed_as(e.status(), e.what());
      what = e.what();
    } catch (const am::error &e) {
      if (e.status() == AM_CANCELLED) throw;
      co_return failed_as(e.status(), e.what());  // a refusal: X did not act
    }
    unknown_before = true;
    auto settling = settle_by_timeline(job, api, text, what);
    PostOutcome settled = co_await std::move(settling);
    if (settled.state != PostOutcome::State::failed || attempt >= kPostAttempts) co_return settled;
    job.log().warn("X: no such post for '" + api.account().nickname + "': posting again");
  }
}

namespace {

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

namespace {

// The history record ends as the outcome says; an uncertain one stays "generated" (the next
// post of this text asks X first) with the reason as its error.
Published record_outcome(const am::job &job, const Account &account, Published out,
                         const PostOutcome &outcome) {
  if (outcome.published()) {
    out.id = outcome.id;
    out.url = post_url(outcome.id);
    out.recovered = outcome.recovered;
    update(job, out.history_id,
           {{"status", "published"},
            {"remote_id", out.id},
            {"remote_url", out.url},
            {"body", out.text}});
    job.log().info("X: published " + out.url + " for '" + account.nickname + "'");
    return out;
  }
  if (outcome.state == PostOutcome::State::uncertain) {
    update(job, out.history_id, {{"error", outcome.reason}});
    throw am::error(outcome.status, outcome.reason);
  }
  update(job, out.history_id, {{"status", "failed"}, {"error", outcome.reason}});
  throw am::error(outcome.status, outcome.reason);
}

}  // namespace

am::task<Published> publish_post(am::job job, PluginSettings settings, Account account,
                                 std::string text, std::string video_path, StopFlag stop) {
  text = std::string(plugin_support::trim(nfc(text)));
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
  PostOutcome outcome;
  // An earlier attempt whose outcome is unknown: ask X before posting again.
  out.history_id = open_intent(job, account, text);
  if (!out.history_id.empty()) {
    auto settling = settle_by_timeline(job, api, text,
                                       "an earlier post of this text for X account '" +
                                           account.nickname + "' has an unknown outcome");
    outcome = co_await std::move(settling);
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
    if (!outcome.published() && outcome.state != PostOutcome::State::uncertain) {
      std::vector<std::string> media;
      check_stop(stop);
      if (!video_path.empty()) media.push_back(co_await api.upload_video(video_path));
      check_stop(stop);
      auto creating = create_post_once(job, api, text, std::move(media));
      outcome = co_await std::move(creating);
    }
  } catch (const OutcomeUnknown &) {
    throw;  // cancelled mid-post: the intent stays open ("generated") and is checked next time
  } catch (const am::error &e) {
    if (e.status() == AM_CANCELLED) throw;
    outcome = failed_as(e.status(), e.what());  // the media upload, before any post
  }
  co_return record_outcome(job, account, std::move(out), outcome);
}

}  // namespace twitter
