// plugins/instagram/reel_record.hpp — the plugin's own durable note of a Reel under way, in its
// history (automuse.store/1): one record per container, written as soon as the container holds
// the video and before media_publish, with the container's id. A later attempt at the same
// Reel (a lost reply, a crash, a re-run) finds the open record and asks Instagram about that
// container instead of publishing anew. The host's publication ledger records the publication
// itself around the publisher (automuse.publish/1); this record is what the publisher needs to
// settle an unknown outcome.
#pragma once

#include <automuse/cpp/job.hpp>
#include <optional>
#include <string>

#include "settings.hpp"

namespace instagram {

struct ReelRecord {
  std::string history_id;
  std::string container_id;
  std::string source;     // "resumable" or "video_url"
  std::string copy_path;  // video_url: the copy in the publish folder ("" when none)
};

// What identifies one Reel of an account: the publication's title when it has one (a resumed
// run may word its caption anew), else its caption, and the video's bytes.
std::string reel_key(const std::string &title, const std::string &caption,
                     const std::string &video_sha256);

// SHA-256 (hex) of a file's bytes. Throws am::error(AM_IO) naming it.
std::string file_sha256(const std::string &path);

// The newest open ("generated") record of `account` for `key`, if any.
std::optional<ReelRecord> find_open_record(const am::job &job, const Account &account,
                                           const std::string &key);

// A new open record for a container that holds the video. Throws am::error(AM_IO).
ReelRecord add_record(const am::job &job, const Account &account, const std::string &key,
                      const std::string &caption, const std::string &video_path, ReelRecord record);

void record_published(const am::job &job, const ReelRecord &r, const std::string &media_id,
                      const std::string &url);
void record_failed(const am::job &job, const ReelRecord &r, const std::string &why);
// The outcome is unknown: the record stays open, with why.
void record_uncertain(const am::job &job, const ReelRecord &r, const std::string &why);

}  // namespace instagram
