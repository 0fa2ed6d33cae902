// plugins/twitter/publish_flow.hpp — publishing one post for one account, never twice: the
// intent is recorded in the history before the POST; a POST whose answer was lost is
// checked against the account's recent posts before it is tried again; the history ends
// with exactly the published text, its id and URL (or the failure).
#pragma once

#include <atomic>
#include <automuse/cpp/job.hpp>
#include <memory>
#include <string>

#include "settings.hpp"

namespace twitter {

struct Published {
  std::string id;
  std::string url;
  std::string text;        // exactly what was published
  std::string history_id;  // the history record
  bool recovered = false;  // found already published by an earlier, interrupted attempt
};

// The post's canonical URL.
std::string post_url(const std::string &id);

// Publishes `text` (NFC-normalised, must fit 280 weighted characters) with an optional video
// for `account`. Throws am::error with a message naming the account.
// `stop`, when set, is checked between steps (a publication cancelled through the registry).
using StopFlag = std::shared_ptr<std::atomic<bool>>;
am::task<Published> publish_post(am::job job, PluginSettings settings, Account account,
                                 std::string text, std::string video_path, StopFlag stop = {});

// {"id", "url", "account", "text", "history_id", "recovered"} as JSON.
std::string published_json(const Published &p, const Account &account);

}  // namespace twitter
