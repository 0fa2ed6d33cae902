// plugins/youtube/publish_kept.hpp — the action "publish": a Short the outbox already holds
// (made by generate, or by a job held for approval) uploaded to the account's channel and
// shared with --also-publish, exactly as `run` would have published it — through the
// publication ledger under the same key (the digest kept in its history record), so approving
// twice, a crash mid-upload or a re-run never publishes it twice.
#pragma once

#include <automuse/cpp/job.hpp>
#include <automuse/cpp/plugin.hpp>
#include <string>

namespace youtube {

// The action body for start_coroutine_action; its result is run's ({"outbox", "video", …,
// "history_id", "video_id", "url", "shared"}). Throws am::error naming the item when it is
// unknown, another account's, discarded, or its video is not on this host.
am::task<std::string> publish_kept(am::job job, am::action_request request);

}  // namespace youtube
