// plugins/youtube/share_step.hpp — the pipeline's last step: the made Short shared with each
// --also-publish target (its link after an upload, else the video). A failed share does not
// stop the others; the first failure (an uncertain one before any other, as the one the user
// must look at) is kept for the end.
#pragma once

#include <automuse/types.h>

#include <automuse/cpp/task.hpp>
#include <boost/json/array.hpp>
#include <string>
#include <vector>

#include "cross_post.hpp"
#include "job_context.hpp"

namespace youtube {

struct Shares {
  boost::json::array shared;  // {plugin, account, text, id, url} per published post
  std::string error;          // empty: every share went out
  am_status status = AM_OK;   // the kept error's status
};

// Each publisher records its own post in its history. Throws only am::error(AM_CANCELLED).
am::task<Shares> share_short(JobContext &ctx, const std::vector<CrossPostTarget> &targets,
                             CrossPostShort short_video);

}  // namespace youtube
