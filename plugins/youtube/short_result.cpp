// plugins/youtube/short_result.cpp — the result JSON of a made or published Short.
#include "short_result.hpp"

#include <boost/json.hpp>
#include <cmath>
#include <filesystem>

namespace youtube {
namespace fs = std::filesystem;
namespace json = boost::json;

std::string short_result_json(const JobContext &ctx, const Metadata &metadata, const Stored &stored,
                              const Published &published, const PublishPlan &plan,
                              const Shares &shares) {
  const fs::path folder = stored.folder;
  json::object result{{"outbox", stored.folder},
                      {"video", stored.video},
                      {"thumbnail", (folder / "thumbnail.jpg").string()},
                      {"metadata", (folder / "metadata.json").string()},
                      {"title", metadata.title},
                      {"duration", stored.duration},
                      {"seconds", std::round(ctx.clock.elapsed() * 100) / 100}};
  if (!stored.history_id.empty()) result["history_id"] = stored.history_id;
  if (!published.video_id.empty()) {
    result["video_id"] = published.video_id;
    result["url"] = published.url;
    if (published.already_published) result["already_published"] = true;
  }
  if (!plan.cross_posts.empty()) result["shared"] = shares.shared;
  if (!shares.error.empty()) {
    const bool uncertain = shares.status == AM_UNCERTAIN;
    throw am::error(uncertain ? AM_UNCERTAIN : AM_ERROR,
                    "the Short is made (" +
                        (published.url.empty() ? stored.folder : published.url) + ") but " +
                        (uncertain ? "a share's outcome is uncertain: " : "sharing it failed: ") +
                        shares.error);
  }
  return json::serialize(result);
}

}  // namespace youtube
