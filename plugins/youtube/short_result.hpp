// plugins/youtube/short_result.hpp — the result JSON of the actions that make or publish a
// Short (run, generate, publish): where it is kept, its history id, and after an upload its
// video id and URL, and what was shared.
#pragma once

#include <string>

#include "draft_step.hpp"
#include "job_context.hpp"
#include "outbox_step.hpp"
#include "publish_step.hpp"
#include "share_step.hpp"

namespace youtube {

// The action's result; a failed share is the action's error (am::error) once everything else
// is done.
std::string short_result_json(const JobContext &ctx, const Metadata &metadata, const Stored &stored,
                              const Published &published, const PublishPlan &plan,
                              const Shares &shares);

}  // namespace youtube
