// plugins/tiktok/publish_flow.hpp — posting one video to one TikTok account exactly once
// (docs/tiktok.md): creator info asked first (privacy options, maximum duration, refusals), the
// video checked against TikTok's rules, the intent recorded, a Direct Post (or an inbox draft)
// opened with FILE_UPLOAD, its publish_id stored before the first chunk, the chunks sent, and the
// status polled until PUBLISH_COMPLETE (or SEND_TO_USER_INBOX) or FAILED with the reason
// explained. A record left open by a crash or a lost answer is settled by asking TikTok the
// status of its publish_id before anything else: a complete upload is never posted again, and
// one that never completed cannot become a post (its upload URL was that run's alone).
#pragma once

#include <automuse/cpp/job.hpp>
#include <automuse/cpp/task.hpp>
#include <optional>
#include <string>

#include "settings.hpp"
#include "upload.hpp"

namespace tiktok {

struct PostRequest {
  std::string video_path;
  std::string caption;                 // post_info.title; at most 2200 UTF-16 units
  std::string privacy_level;           // "" = the account's (default "auto")
  std::optional<bool> draft, is_aigc;  // unset = the account's
};

struct Posted {
  std::string id;  // the public post's id once TikTok shows it, else the publish_id
  std::string url;
  std::string publish_id;
  std::string status;  // PUBLISH_COMPLETE or SEND_TO_USER_INBOX
  std::string privacy_level;
  std::string history_id;
  bool recovered = false;  // an earlier attempt had posted it
};

// Throws am::error naming the account: the refusal's status with what to do, AM_TIMEOUT when
// TikTok is still processing after the polls (the next attempt asks about it first).
am::task<Posted> publish_video(am::job job, PluginSettings settings, Account account,
                               PostRequest request, StopFlag stop = {});

// {"id", "url", "publish_id", "status", "privacy_level", "account", "history_id", "recovered"}.
std::string posted_json(const Posted &p, const Account &account);

}  // namespace tiktok
