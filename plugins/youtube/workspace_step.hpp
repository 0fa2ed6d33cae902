// plugins/youtube/workspace_step.hpp — where and how big the Short is made: the canvas size,
// the job's work folder (named after everything that shapes its files, so a re-run finds
// them), the subtitle style and the background music.
#pragma once

#include <automuse/cpp/task.hpp>
#include <filesystem>
#include <string>

#include "job_context.hpp"
#include "subtitle_style.hpp"

namespace youtube {

struct Workspace {
  int width = 1080, height = 1920;
  std::filesystem::path work;  // intermediate files; removed once the outbox has the Short
  SubtitleStyle style;
  std::string music;  // empty: none
};

// Creates the work folder and picks the music (noted in `made`). Throws am::error naming the
// subtitle style, the music folder's field or the folder that cannot be created.
am::task<Workspace> prepare_workspace(JobContext &ctx, const std::string &script, Provenance &made);

}  // namespace youtube
