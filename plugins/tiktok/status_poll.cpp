// plugins/tiktok/status_poll.cpp — the status loop.
#include "status_poll.hpp"

namespace tiktok {
namespace {

constexpr int kPostIdPolls = 2;  // extra polls for the public post's id after PUBLISH_COMPLETE

}  // namespace

am::task<StatusPoll> poll_status(am::job job, TikTokApi &api, std::string publish_id) {
  const PluginSettings &s = api.settings();
  StatusPoll out;
  int waiting_for_id = 0;
  std::string logged;
  while (out.polls < s.max_status_polls) {
    if (out.polls > 0) co_await job.sleep(std::chrono::milliseconds(s.poll_interval_ms));
    out.last = co_await api.status(publish_id);
    ++out.polls;
    if (out.last.status != logged) {
      job.log().info(api.account().label() + ": publish " + publish_id + " is " + out.last.status);
      logged = out.last.status;
    }
    if (out.last.status == "FAILED" || out.last.status == "SEND_TO_USER_INBOX") co_return out;
    if (out.last.status == "PUBLISH_COMPLETE") {
      // A public post's id shows once moderation passed (often a minute, sometimes hours):
      // wait a little for it, then report the profile instead.
      if (!out.last.post_id.empty() || ++waiting_for_id > kPostIdPolls) co_return out;
    }
  }
  if (out.last.status == "PUBLISH_COMPLETE") co_return out;
  throw am::error(AM_TIMEOUT, api.account().label() + ": TikTok is still processing publish " +
                                  publish_id + " (" + out.last.status + ") after " +
                                  std::to_string(out.polls) +
                                  " status checks; it may still be posted. The next attempt at "
                                  "this video asks TikTok about it before posting anything");
}

}  // namespace tiktok
