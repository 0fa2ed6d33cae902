// plugins/twitter/publish_flow.hpp — publishing one post for one account, never twice: the
// intent is recorded in the history before the POST; a POST whose answer was lost (or got a
// 5xx) is looked for among the account's recent posts, links compared by their expanded form,
// before it is tried again; when X cannot be asked, the outcome is uncertain and never
// repeated by itself; the history ends with exactly the published text, its id and URL (or
// the failure).
#pragma once

#include <atomic>
#include <automuse/cpp/job.hpp>
#include <memory>
#include <string>
#include <vector>

#include "post_outcome.hpp"
#include "settings.hpp"
#include "x_api.hpp"

namespace twitter {

struct Published {
  std::string id;
  std::string url;
  std::string text;        // exactly what was published
  std::string history_id;  // the history record
  bool recovered = false;  // found already published by an earlier, interrupted attempt
};

// Creates the post exactly once and says how it ended (post_outcome.hpp). A lost answer or a
// 5xx is settled by the account's recent posts: found, it is published; absent, X made no
// post and it is created again (twice in all); unreadable, it is uncertain. A refusal (4xx)
// fails with platform_did_not_act. Throws only when cancelled (OutcomeUnknown when the post
// may have been sent). Records nothing: the caller keeps the history or ledger.
am::task<PostOutcome> create_post_once(am::job job, XApi &api, std::string text,
                                       std::vector<std::string> media_ids);

// The post's canonical URL.
std::string post_url(const std::string &id);

// Publishes `text` (NFC-normalised, must fit 280 weighted characters) with an optional video
// for `account`. Throws am::error with a message naming the account: the failure's status,
// or AM_ERROR (never retried by the scheduler) with how to check when the outcome is
// uncertain.
// `stop`, when set, is checked between steps (a publication cancelled through the registry).
using StopFlag = std::shared_ptr<std::atomic<bool>>;
am::task<Published> publish_post(am::job job, PluginSettings settings, Account account,
                                 std::string text, std::string video_path, StopFlag stop = {});

// {"id", "url", "account", "text", "history_id", "recovered"} as JSON.
std::string published_json(const Published &p, const Account &account);

}  // namespace twitter
