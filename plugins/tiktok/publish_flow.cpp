// plugins/tiktok/publish_flow.cpp — creator info, checks, init, upload and status for one post.
#include "publish_flow.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>

#include "api_errors.hpp"
#include "caption.hpp"
#include "chunk_plan.hpp"
#include "post_record.hpp"
#include "status_poll.hpp"
#include "tiktok_api.hpp"
#include "video_rules.hpp"

namespace tiktok {
namespace json = boost::json;

namespace {

constexpr int kInitSends = 3;  // an init whose answer was lost made no post: it may be sent again

std::string join(const std::vector<std::string> &v) {
  std::string out;
  for (auto &s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// The privacy level to post with: the one asked for, which the creator must be offered, or with
// "auto" the widest one offered.
std::string choose_privacy(const std::string &asked, const CreatorInfo &creator,
                           const Account &account) {
  const auto &offered = creator.privacy_options;
  auto has = [&](const std::string &p) {
    return std::find(offered.begin(), offered.end(), p) != offered.end();
  };
  if (asked.empty() || asked == "auto") {
    for (const char *p :
         {"PUBLIC_TO_EVERYONE", "FOLLOWER_OF_CREATOR", "MUTUAL_FOLLOW_FRIENDS", "SELF_ONLY"})
      if (has(p)) return p;
    throw am::error(AM_PERMISSION_DENIED,
                    account.label() + ": TikTok offers this creator no privacy level to post with");
  }
  if (!has(asked))
    throw am::error(AM_INVALID_ARGUMENT, account.label() + ": privacy level '" + asked +
                                             "' is not among the creator's options (" +
                                             join(offered) + ")");
  return asked;
}

json::object init_body(const PostRequest &r, const Account &account, const CreatorInfo &creator,
                       const std::string &privacy, const ChunkPlan &plan, bool inbox) {
  json::object source{{"source", "FILE_UPLOAD"},
                      {"video_size", plan.video_size},
                      {"chunk_size", plan.chunk_size},
                      {"total_chunk_count", plan.count}};
  if (inbox) return json::object{{"source_info", std::move(source)}};
  json::object post{{"title", r.caption},
                    {"privacy_level", privacy},
                    {"disable_duet", creator.duet_disabled},
                    {"disable_comment", creator.comment_disabled},
                    {"disable_stitch", creator.stitch_disabled},
                    {"brand_content_toggle", false},
                    {"brand_organic_toggle", false},
                    {"is_aigc", r.is_aigc.value_or(account.is_aigc)}};
  return json::object{{"post_info", std::move(post)}, {"source_info", std::move(source)}};
}

// Opens a publish; a lost answer or a 5xx is sent again: with FILE_UPLOAD a publish that never
// gets bytes never becomes a post.
am::task<Opened> open_publish(am::job job, TikTokApi &api, json::object body, bool inbox) {
  for (int send = 1;; ++send) {
    try {
      co_return co_await api.init(body, inbox);
    } catch (const OutcomeUnknown &e) {
      if (send >= kInitSends || job.cancelled()) throw;
      job.log().warn(std::string(e.what()) +
                     "; opening the publish again (an upload without "
                     "bytes never becomes a post)");
    }
    co_await job.sleep(std::chrono::milliseconds(500 * send));
  }
}

void check_caption(const std::string &caption, const Account &account) {
  auto units = utf16_units(caption);
  if (!units)
    throw am::error(AM_INVALID_ARGUMENT, account.label() + ": the caption is not valid UTF-8");
  if (*units > kMaxCaptionUnits)
    throw am::error(AM_INVALID_ARGUMENT,
                    account.label() + ": the caption is " + std::to_string(*units) +
                        " UTF-16 units; TikTok takes at most 2200 (an emoji counts two)");
}

std::string profile_url(const std::string &username) {
  return username.empty() ? "https://www.tiktok.com/" : "https://www.tiktok.com/@" + username;
}

Posted posted_from(const PublishStatus &s, const std::string &publish_id,
                   const std::string &username) {
  Posted p;
  p.publish_id = publish_id;
  p.status = s.status;
  p.id = s.post_id.empty() ? publish_id : s.post_id;
  p.url = s.post_id.empty() ? profile_url(username) : profile_url(username) + "/video/" + s.post_id;
  return p;
}

}  // namespace

std::string posted_json(const Posted &p, const Account &account) {
  return json::serialize(json::object{{"id", p.id},
                                      {"url", p.url},
                                      {"publish_id", p.publish_id},
                                      {"status", p.status},
                                      {"privacy_level", p.privacy_level},
                                      {"account", account.nickname},
                                      {"history_id", p.history_id},
                                      {"recovered", p.recovered}});
}

namespace {

// What an open record's publish_id says: posted (settled), or nothing that can still become a
// post (nullopt: post anew). Throws when it failed for good or TikTok cannot be asked.
am::task<std::optional<Posted>> settle_open_record(am::job job, TikTokApi &api, PostRecord record,
                                                   uint64_t video_size, std::string username) {
  const std::string who = api.account().label();
  job.log().warn(who + ": an earlier attempt at this video left publish " + record.publish_id +
                 " open; asking TikTok about it before anything else");
  PublishStatus s;
  try {
    s = co_await api.status(record.publish_id);
  } catch (const am::error &e) {
    if (e.status() != AM_NOT_FOUND) {
      throw am::error(e.status() == AM_CANCELLED ? AM_CANCELLED : AM_UNAVAILABLE,
                      who + ": cannot learn what became of the earlier publish " +
                          record.publish_id + " (" + e.what() +
                          "); not posting again until TikTok answers");
    }
    co_return std::nullopt;  // TikTok has no such publish: nothing can come of it
  }
  if (s.status == "FAILED") {
    FailReason why = explain_fail_reason(s.fail_reason, who);
    if (why.worth_retrying) co_return std::nullopt;
    record_failed(job, record, why.message);
    throw am::error(why.status, why.message);
  }
  if (s.status == "PROCESSING_UPLOAD" && s.uploaded_bytes < video_size) {
    job.log().info(who + ": the earlier upload never completed (" +
                   std::to_string(s.uploaded_bytes) + " of " + std::to_string(video_size) +
                   " bytes), so it cannot become a post; posting anew");
    co_return std::nullopt;
  }
  StatusPoll poll = co_await poll_status(job, api, record.publish_id);
  Posted p = posted_from(poll.last, record.publish_id, username);
  p.recovered = true;
  co_return p;
}

// Opens the publish, stores its id, uploads; a publish whose upload URL expired is dead (its
// bytes never all arrived) and is opened once more.
am::task<std::string> open_and_upload(am::job job, TikTokApi &api, PostRecord &record,
                                      json::object body, bool inbox, std::string path,
                                      ChunkPlan plan, StopFlag stop) {
  for (int publish = 1;; ++publish) {
    Opened opened = co_await open_publish(job, api, body, inbox);
    remember_publish_id(job, record, opened.publish_id);  // before the first chunk
    job.log().info(api.account().label() + ": publish " + opened.publish_id + " opened; " +
                   std::to_string(plan.count) + " chunk(s) of " + std::to_string(plan.chunk_size) +
                   " bytes");
    try {
      co_await upload_video(job, api.account().label(), path, plan, opened.upload_url, stop);
      co_return opened.publish_id;
    } catch (const UploadExpired &e) {
      if (publish >= 2) throw;
      job.log().warn(std::string(e.what()) + "; that publish can never complete, opening another");
    }
  }
}

}  // namespace

am::task<Posted> publish_video(am::job job, PluginSettings settings, Account account, PostRequest r,
                               StopFlag stop) {
  if (r.video_path.empty())
    throw am::error(AM_INVALID_ARGUMENT, account.label() +
                                             ": TikTok posts videos; there is no video to post "
                                             "(a text alone cannot be posted on TikTok)");
  r.video_path = std::filesystem::absolute(r.video_path).lexically_normal().string();
  check_caption(r.caption, account);
  check_video(r.video_path, 0);  // before anything is sent
  const bool inbox = r.draft.value_or(account.draft);
  TikTokApi api(job, settings, account);
  std::optional<PostRecord> open = find_open_record(job, account, r.video_path, r.caption);
  CreatorInfo creator = co_await api.creator_info();
  const ChunkPlan plan = plan_chunks(std::filesystem::file_size(r.video_path), settings.chunk_size);
  if (open && !open->publish_id.empty()) {
    std::optional<Posted> settled =
        co_await settle_open_record(job, api, *open, plan.video_size, creator.username);
    if (settled) {
      settled->history_id = open->history_id;
      record_published(job, *open, settled->id, settled->url);
      co_return *settled;
    }
  }
  check_video(r.video_path, creator.max_duration_secs);
  const std::string privacy =
      inbox ? ""
            : choose_privacy(r.privacy_level.empty() ? account.privacy_level : r.privacy_level,
                             creator, account);
  PostRecord record = open ? *open : add_record(job, account, r.video_path, r.caption);
  std::string publish_id;
  try {
    publish_id = co_await open_and_upload(job, api, record,
                                          init_body(r, account, creator, privacy, plan, inbox),
                                          inbox, r.video_path, plan, stop);
  } catch (const am::error &e) {
    // Refused before any byte could make a post: the record ends failed (a later attempt starts
    // afresh). Otherwise it stays open and the next attempt asks TikTok first.
    if (record.publish_id.empty() && e.status() != AM_CANCELLED && e.status() != AM_UNAVAILABLE &&
        !dynamic_cast<const OutcomeUnknown *>(&e))
      record_failed(job, record, e.what());
    throw;
  }
  StatusPoll poll = co_await poll_status(job, api, publish_id);
  if (poll.last.status == "FAILED") {
    FailReason why = explain_fail_reason(poll.last.fail_reason, account.label());
    record_failed(job, record, why.message);
    throw am::error(why.status, why.message);
  }
  Posted p = posted_from(poll.last, publish_id, creator.username);
  p.privacy_level = privacy;
  p.history_id = record.history_id;
  record_published(job, record, p.id, p.url);
  job.log().info(account.label() + ": " +
                 (inbox ? "sent to the TikTok inbox as a draft: " : "posted: ") + p.url);
  co_return p;
}

}  // namespace tiktok
