// plugins/instagram/publish_flow.cpp — publish_reel over ReelFlow, and its result.
#include "publish_flow.hpp"

#include <boost/json.hpp>

#include "caption_rules.hpp"
#include "reel_flow.hpp"

namespace instagram {
namespace json = boost::json;

am::task<PublishedReel> publish_reel(am::job job, PluginSettings settings, ReelRequest request,
                                     StopFlag stop) {
  if (request.video_path.empty())
    throw am::error(AM_INVALID_ARGUMENT, request.account.label() +
                                             ": a Reel needs a video (Instagram publishes no "
                                             "text-only posts)");
  check_caption(request.caption, request.account.label());
  ReelFlow flow(job, std::move(settings), std::move(request), std::move(stop));
  auto running = flow.run();
  co_return co_await std::move(running);
}

std::string published_json(const PublishedReel &reel, const Account &account) {
  return json::serialize(json::object{{"id", reel.media_id},
                                      {"url", reel.url},
                                      {"account", account.nickname},
                                      {"container_id", reel.container_id},
                                      {"history_id", reel.history_id},
                                      {"recovered", reel.recovered}});
}

}  // namespace instagram
