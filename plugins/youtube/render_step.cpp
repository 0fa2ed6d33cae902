// plugins/youtube/render_step.cpp — timing, subtitles and the render.
#include "render_step.hpp"

#include <algorithm>
#include <cstdio>
#include <functional>

#include "timeline_json.hpp"

namespace youtube {
namespace json = boost::json;

namespace {

constexpr double kTailSeconds = 0.6;  // picture and music after the last word

json::object make_subtitles(JobContext &ctx, const Workspace &ws, const SpeechOutput &speech) {
  std::vector<Word> words;
  for (const auto &w : speech.words) words.push_back(Word{w.text, w.start, w.end});
  size_t s = ctx.clock.start("subtitles");
  json::object subtitles = timeline_subtitles(words, ws.style, ws.width, ws.height);
  ctx.clock.finish(s, std::to_string(subtitles["words"].as_array().size()) + " words, safe area");
  return subtitles;
}

// Logs the render's progress at each quarter.
std::function<void(double, double)> progress_log(am::logger log) {
  return [next_report = 25, log](double f, double fps) mutable {
    if (f * 100 >= next_report) {
      char buf[80];
      std::snprintf(buf, sizeof buf, "render: %d%% (%.0f frames/s)", next_report, fps);
      log.info(buf);
      next_report += 25;
    }
  };
}

}  // namespace

am::task<Rendered> render_short(JobContext &ctx, const Workspace &ws, std::vector<Scene> scenes,
                                const SpeechOutput &speech, bool edit_list) {
  const double total = speech.duration + kTailSeconds;
  std::vector<TimedWord> timed;
  for (const auto &w : speech.words)
    timed.push_back(TimedWord{Word{w.text, w.start, w.end}, static_cast<size_t>(w.begin)});
  time_scenes(scenes, timed, total);
  Rendered out;
  out.subtitles = make_subtitles(ctx, ws, speech);
  out.video = (ws.work / "video.mp4").string();
  out.thumbnail = (ws.work / "thumbnail.jpg").string();
  out.ass = (ws.work / "subtitles.ass").string();
  const TimelineInput tl{.width = ws.width,
                         .height = ws.height,
                         .scenes = scenes,
                         .duration = total,
                         .voice_wav = speech.audio_path,
                         .music = ws.music,
                         .subtitles = out.subtitles,
                         .write_ass = out.ass,
                         .output_mp4 = out.video,
                         .thumbnail = out.thumbnail,
                         .thumbnail_time = std::min(1.5, total / 2),
                         .edit_list = edit_list};
  std::string result;
  size_t s = ctx.clock.start("render");
  try {
    auto call = render(ctx.job, timeline_json(tl), progress_log(ctx.job.log()));
    result = co_await std::move(call);
    ctx.clock.finish(s, std::to_string(ws.width) + "x" + std::to_string(ws.height));
  } catch (const am::error &e) {
    ctx.clock.fail(s, e.what());
    throw;
  }
  out.report = json::parse(result);
  out.duration = out.report.is_object() && out.report.as_object().contains("duration")
                     ? out.report.as_object().at("duration").to_number<double>()
                     : total;
  out.scenes = std::move(scenes);
  co_return out;
}

}  // namespace youtube
