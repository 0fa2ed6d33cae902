// plugins/youtube/generate.hpp — the Short pipeline as one coroutine: script -> concurrently
// {images, speech with word timings} -> duration rule -> subtitles -> render -> outbox ->
// history. The actions "generate" and "run" are this pipeline.
#pragma once

#include <automuse/cpp/job.hpp>
#include <automuse/cpp/plugin.hpp>
#include <string>

namespace youtube {

// The action body for start_coroutine_action. Returns the result JSON ({"outbox", "video",
// "metadata", "duration", "title", "history_id"}).
am::task<std::string> run_pipeline(am::job job, am::action_request request);

}  // namespace youtube
