// plugins/youtube/render_step.hpp — from the drafted Short and its voice to the video: scenes
// timed to the spoken sentences, subtitles to the words, and the render service's MP4,
// thumbnail and burned-in ASS (the renderer writes the same script it burns in, so the outbox's
// subtitles.ass is exactly what the video shows).
#pragma once

#include <automuse/cpp/task.hpp>
#include <boost/json.hpp>
#include <string>
#include <vector>

#include "job_context.hpp"
#include "scene_plan.hpp"
#include "service_calls.hpp"
#include "workspace_step.hpp"

namespace youtube {

struct Rendered {
  std::vector<Scene> scenes;      // timed
  boost::json::object subtitles;  // what subtitles.ass was built from (docs/timeline.md)
  std::string video;              // MP4 in the work folder
  std::string thumbnail;          // JPEG in the work folder
  std::string ass;                // the burned-in subtitles' script
  boost::json::value report;      // the render service's result
  double duration = 0;            // of the video, as rendered
};

// `edit_list` false renders an MP4 without edit lists (for a Short shared as an Instagram Reel).
am::task<Rendered> render_short(JobContext &ctx, const Workspace &ws, std::vector<Scene> scenes,
                                const SpeechOutput &speech, bool edit_list = true);

}  // namespace youtube
