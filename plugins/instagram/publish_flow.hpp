// plugins/instagram/publish_flow.hpp — publishing one Reel for one account, never twice
// (docs/protocols/instagram.md, "Never posting twice"; docs/instagram.md): the video checked
// against the Reel rules, the token refreshed when due, an earlier attempt's container settled
// first, the publishing limit read, then container -> upload (resumable, or the video by URL) ->
// status polling -> media_publish. Each error takes its remedy (graph_errors.hpp): retry, a new
// container (at most plugins.instagram.max_containers), wait, or stop with a message naming the
// account. The container is recorded before media_publish (reel_record.hpp); a lost reply is
// settled by reading the container — PUBLISHED is done, FINISHED is published again (it made
// no post), unreadable is uncertain (AM_UNCERTAIN, with where to look) — never by a second
// blind publish.
#pragma once

#include <atomic>
#include <automuse/cpp/job.hpp>
#include <automuse/cpp/task.hpp>
#include <memory>
#include <string>

#include "settings.hpp"

namespace instagram {

struct ReelRequest {
  Account account;
  std::string caption;
  std::string title;  // identifies the Reel across attempts when given (reel_record.hpp)
  std::string video_path;
};

struct PublishedReel {
  std::string media_id;  // "" when Instagram published it but does not list it
  std::string url;
  std::string container_id;
  std::string history_id;
  bool recovered = false;  // found published after a lost reply or an earlier attempt
};

using StopFlag = std::shared_ptr<std::atomic<bool>>;

// Throws am::error naming the account: the failure's status, AM_UNCERTAIN when the Reel may be
// published and Instagram could not be asked, AM_CANCELLED when `stop` was set or the job was
// cancelled.
am::task<PublishedReel> publish_reel(am::job job, PluginSettings settings, ReelRequest request,
                                     StopFlag stop = {});

// {"id", "url", "account", "container_id", "history_id", "recovered"}.
std::string published_json(const PublishedReel &reel, const Account &account);

}  // namespace instagram
