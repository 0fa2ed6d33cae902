// plugins/youtube/publish_step.hpp — where the Short goes: the publishing plan checked before
// any work (YouTube needs an account; every --also-publish target must exist and take what it
// will be sent), and the upload to YouTube, exactly once through the publication ledger
// (publication.hpp), with the outcome recorded in the Short's history record.
#pragma once

#include <automuse/cpp/task.hpp>
#include <string>
#include <vector>

#include "cross_post.hpp"
#include "draft_step.hpp"
#include "job_context.hpp"
#include "outbox_step.hpp"
#include "youtube_api.hpp"

namespace youtube {

struct PublishPlan {
  bool to_youtube = false;  // `run --publish youtube`; else the Short stays in the outbox
  ApiConfig api;
  std::vector<CrossPostTarget> cross_posts;
};

// Throws am::error naming the option or account that cannot work.
PublishPlan plan_publishing(const JobContext &ctx, const std::string &action,
                            const std::string &config_json);

struct Published {
  std::string video_id;  // empty: not uploaded
  std::string url;
  bool already_published = false;  // an earlier run uploaded it: nothing was sent
};

// Uploads the stored video unless the ledger knows `digest` on the account's channel. Throws
// am::error with the outcome's status and reason (and where the video stays) unless published.
am::task<Published> upload_short(JobContext &ctx, const ApiConfig &api, const Metadata &metadata,
                                 const Stored &stored, std::string digest);

}  // namespace youtube
