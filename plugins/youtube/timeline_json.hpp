// plugins/youtube/timeline_json.hpp — the render service's timeline (docs/timeline.md) for a
// Short: one image scene per planned scene with gentle motion and crossfades, the voice,
// optional music under it, the safe-area subtitles (burned in by the renderer, which also
// writes their ASS script to `write_ass` for the outbox), the MP4 and its thumbnail.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "scene_plan.hpp"

namespace youtube {

struct TimelineInput {
  int width = 1080, height = 1920, fps = 30;
  std::vector<Scene> scenes;  // timed, with images
  double duration = 0;        // total seconds
  std::string voice_wav;
  std::string music;              // empty: none
  boost::json::object subtitles;  // timeline_subtitles(); empty: none
  std::string write_ass;          // where the renderer writes the burned-in ASS; empty: nowhere
  std::string output_mp4;
  std::string thumbnail;  // .jpg
  double thumbnail_time = 0;
  bool edit_list = true;  // false: an MP4 without edit lists (Instagram refuses them)
};

std::string timeline_json(const TimelineInput &in);

}  // namespace youtube
