// plugins/youtube/timeline_json.cpp — building the render timeline.
#include "timeline_json.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>

namespace youtube {
namespace json = boost::json;

std::string timeline_json(const TimelineInput &in) {
  // Alternate the motion so consecutive stills do not all push the same way.
  static const char *kMotions[] = {"zoom_in",  "pan_up",  "zoom_out",
                                   "pan_left", "zoom_in", "pan_right"};
  json::object root;
  root["canvas"] = json::object{
      {"width", in.width}, {"height", in.height}, {"fps", in.fps}, {"background", "#000000"}};
  json::array scenes;
  double used = 0;
  for (size_t i = 0; i < in.scenes.size(); ++i) {
    const Scene &s = in.scenes[i];
    // Durations in milliseconds so rounding never makes the sum drift from the total.
    double d = i + 1 < in.scenes.size() ? std::round(s.duration * 1000) / 1000
                                        : std::max(0.1, in.duration - used);
    used += d;
    json::object scene{{"image", s.image},
                       {"duration", d},
                       {"fit", "cover"},
                       {"motion", kMotions[i % std::size(kMotions)]},
                       {"motion_strength", 0.08}};
    if (i > 0) scene["transition"] = json::object{{"type", "crossfade"}, {"duration", 0.4}};
    scenes.push_back(std::move(scene));
  }
  root["scenes"] = std::move(scenes);
  root["duration"] = in.duration;
  json::object audio{{"voice", in.voice_wav}, {"normalize", true}, {"target_lufs", -14.0}};
  if (!in.music.empty())
    audio["music"] =
        json::object{{"path", in.music}, {"volume", 0.12}, {"fade_out", 1.5}, {"ducking", 0.35}};
  root["audio"] = std::move(audio);
  if (!in.subtitles.empty()) {
    json::object subtitles = in.subtitles;
    if (!in.write_ass.empty()) subtitles["write_ass"] = in.write_ass;
    root["subtitles"] = std::move(subtitles);
  }
  json::object output{{"path", in.output_mp4}, {"preset", "veryfast"}, {"crf", 23}};
  if (!in.edit_list) output["edit_list"] = false;
  if (!in.thumbnail.empty())
    output["thumbnail"] = json::object{{"path", in.thumbnail}, {"time", in.thumbnail_time}};
  root["output"] = std::move(output);
  return json::serialize(root);
}

}  // namespace youtube
