// plugins/tiktok/status_poll.hpp — polling a publish's status until TikTok decides: posted
// (PUBLISH_COMPLETE, waiting a little longer for the public post's id), sent to the user's inbox
// (SEND_TO_USER_INBOX), or FAILED. Paced by plugins.tiktok.poll_interval_ms, at most
// max_status_polls times (TikTok allows 30 status fetches a minute per token).
#pragma once

#include <automuse/cpp/job.hpp>
#include <automuse/cpp/task.hpp>
#include <string>

#include "tiktok_api.hpp"

namespace tiktok {

struct StatusPoll {
  PublishStatus last;
  int polls = 0;
};

// Returns once the status is final (FAILED included: the caller explains it). Throws
// am::error(AM_TIMEOUT) when it is still processing after the last poll, saying that the next
// attempt asks TikTok about `publish_id` before posting anything.
am::task<StatusPoll> poll_status(am::job job, TikTokApi &api, std::string publish_id);

}  // namespace tiktok
