// plugins/youtube/publish_step.cpp — the publishing plan and the upload to YouTube.
#include "publish_step.hpp"

#include <boost/json.hpp>

#include "publication.hpp"

namespace youtube {
namespace json = boost::json;

PublishPlan plan_publishing(const JobContext &ctx, const std::string &action,
                            const std::string &config_json) {
  const Options &options = ctx.settings.options;
  PublishPlan plan;
  plan.to_youtube = (action == "run" || action == "publish") && options.publish == "youtube";
  plan.api = parse_api_config(config_json);
  if (plan.to_youtube && ctx.settings.account.pseudo)
    throw am::error(AM_INVALID_ARGUMENT,
                    "publishing to YouTube needs an account: pass --account NAME (see "
                    "`automuse-host accounts add --plugin youtube`), or --publish outbox");
  for (const auto &spec : options.also_publish)
    plan.cross_posts.push_back(parse_cross_post_target(spec));
  // Before any work: a missing publisher plugin is the user's to fix, not a surprise after the
  // render.
  check_cross_post_targets(ctx.job.host_ref(), plan.cross_posts, plan.to_youtube);
  return plan;
}

am::task<Published> upload_short(JobContext &ctx, const ApiConfig &api, const Metadata &metadata,
                                 const Stored &stored, std::string digest) {
  const Account &account = ctx.settings.account;
  size_t s = ctx.clock.start("upload");
  UploadRequest up{.file = stored.video,
                   .title = metadata.title,
                   .description = metadata.description,
                   .tags = metadata.tags,
                   .privacy = account.privacy,
                   .made_for_kids = account.made_for_kids};
  auto call = upload_once(ctx.job, account.id, api, std::move(up), std::move(digest));
  Upload once = co_await std::move(call);
  const UploadOutcome &uploaded = once.outcome;
  if (!uploaded.published()) {
    ctx.clock.fail(s, uploaded.reason);
    // Uncertain: the record stays "generated" (it may be published), with the reason.
    if (uploaded.state == UploadOutcome::State::uncertain)
      update_history(ctx, stored, json::serialize(json::object{{"error", uploaded.reason}}));
    else
      update_history(
          ctx, stored,
          json::serialize(json::object{{"status", "failed"}, {"error", uploaded.reason}}));
    throw am::error(uploaded.status,
                    uploaded.reason + " (the video stays in " + stored.folder + ")");
  }
  Published published;
  published.video_id = uploaded.video_id;
  published.url = uploaded.url;
  published.already_published = once.already_published;
  update_history(ctx, stored,
                 json::serialize(json::object{{"status", "published"},
                                              {"remote_id", published.video_id},
                                              {"remote_url", published.url}}));
  ctx.clock.finish(s, published.url + " (" + std::to_string(uploaded.resumes) + " resumes, " +
                          std::to_string(uploaded.sessions) + " sessions)");
  co_return published;
}

}  // namespace youtube
