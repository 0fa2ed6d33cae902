// plugins/youtube/generate.hpp — the Short pipeline: script -> workspace -> concurrently
// {metadata, image prompts and images, speech with word timings} -> duration rule -> subtitles
// and render -> outbox and history -> upload (exactly once) -> cross-posts. The actions
// "generate" and "run" are this pipeline.
#pragma once

#include <automuse/cpp/job.hpp>
#include <automuse/cpp/plugin.hpp>
#include <string>

namespace youtube {

// The action body for start_coroutine_action. Returns the result JSON ({"outbox", "video",
// "thumbnail", "metadata", "title", "duration", "seconds", "history_id", and after an upload
// "video_id", "url"; "shared" with --also-publish}).
am::task<std::string> run_pipeline(am::job job, am::action_request request);

// The plugin's section of automuse.json ("{}" without one).
std::string config_section(const am::host &host);

}  // namespace youtube
