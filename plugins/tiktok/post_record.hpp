// plugins/tiktok/post_record.hpp — the plugin's own record of each post in the store's history,
// which makes a post happen once: the intent is added before anything is sent to TikTok, the
// publish_id goes into it (as its remote_id, the status still "generated") before the first byte
// of the video, and it ends published (with the post's id and URL) or failed. A record left
// "generated" by a crash or a lost answer is found again by the next attempt at the same video
// and caption, which asks TikTok about its publish_id before doing anything else.
#pragma once

#include <automuse/cpp/job.hpp>
#include <optional>
#include <string>

#include "settings.hpp"

namespace tiktok {

struct PostRecord {
  std::string history_id;
  std::string publish_id;  // "" until an init answered
};

// The open record ("generated") of `account` for this video and caption, if any.
std::optional<PostRecord> find_open_record(const am::job &job, const Account &account,
                                           const std::string &path, const std::string &caption);
// A new "generated" record: the intent.
PostRecord add_record(const am::job &job, const Account &account, const std::string &path,
                      const std::string &caption);
// The publish_id, stored before the first chunk goes out.
void remember_publish_id(const am::job &job, PostRecord &record, const std::string &publish_id);
void record_published(const am::job &job, const PostRecord &record, const std::string &id,
                      const std::string &url);
void record_failed(const am::job &job, const PostRecord &record, const std::string &reason);

}  // namespace tiktok
