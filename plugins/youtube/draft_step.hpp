// plugins/youtube/draft_step.hpp — what the Short says and shows: title, description and tags,
// the scenes with their image prompts and pictures, and the spoken script, made at the same
// time. Every run starts from an offline plan taken from the script; the LLM's answers replace
// parts of it, and a failed LLM step falls back to it (noted, not an error). An LLM-written
// script whose speech runs too long goes back to the LLM with its measured duration.
#pragma once

#include <automuse/cpp/task.hpp>
#include <string>
#include <vector>

#include "job_context.hpp"
#include "scene_plan.hpp"
#include "script_step.hpp"
#include "service_calls.hpp"
#include "workspace_step.hpp"

namespace youtube {

struct Metadata {
  std::string title;
  std::string description;
  std::vector<std::string> tags;
};

struct Draft {
  std::string script;  // as spoken (shortened by the LLM when it ran too long)
  Metadata metadata;
  std::vector<Scene> scenes;  // with prompts and pictures, not yet timed
  SpeechOutput speech;        // at the default rate; fit_duration may speak it again
};

am::task<Draft> draft_short(JobContext &ctx, Script script, const Workspace &ws, Provenance &made);

}  // namespace youtube
