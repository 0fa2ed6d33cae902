// plugins/youtube/job_context.hpp — what every step of the Short pipeline shares: the job, its
// settings, the step clock, and the job's step cache (a re-run of an unfinished job takes each
// step it already paid for from there), with the LLM call as a timed, cached step.
#pragma once

#include <automuse/cache.h>

#include <automuse/cpp/job.hpp>
#include <automuse/cpp/task.hpp>
#include <map>
#include <string>
#include <vector>

#include "settings.hpp"
#include "step_clock.hpp"

namespace youtube {

struct JobContext {
  JobContext(am::job j, ActionSettings s) : job(j), settings(std::move(s)), clock(j.log()) {}
  am::job job;
  ActionSettings settings;
  StepClock clock;
  const am_cache *cache = nullptr;  // none: every step runs afresh
  bool have_llm = false;
  std::string job_id;        // names the job's cached steps; set by the script step
  std::string llm_provider;  // who answered last, for metadata.json
};

// Who made each part of the Short and what the user should know about it: metadata.json's
// "providers" and "notes". Steps add to it as they go.
struct Provenance {
  std::map<std::string, std::string> providers;
  std::vector<std::string> notes;
  std::vector<std::string> fallbacks;  // offline stand-ins used for LLM steps
  std::string fallback_reason;         // the first one's

  void use_fallback(const std::string &what, const std::string &reason);
  // The fallbacks as one note, when there were any.
  void note_fallbacks();
};

// The job's cached step `key`; empty when absent or without a cache.
std::string cache_get(const JobContext &ctx, const std::string &key);
void cache_put(const JobContext &ctx, const std::string &key, const std::string &value);

// A short stable name for a list of inputs (FNV-1a as 16 hex digits; not a security use).
std::string inputs_key(const std::vector<std::string> &parts);

// The plugin's data folder (automuse.config/1). Throws am::error when the host has none.
std::string data_dir(const JobContext &ctx);

// "12.3 s", for messages.
std::string format_seconds(double seconds);

// One LLM call as a step of the run, timed and its provider noted. Returns the answer's text,
// or its JSON for a structured step (`shape` non-empty).
am::task<std::string> llm_step(JobContext &ctx, std::string step, std::string messages,
                               std::string shape, double temperature);

// llm_step, cached by the job and its inputs: a re-run of an unfinished job does not pay for
// it again.
am::task<std::string> cached_chat(JobContext &ctx, std::string step, std::string messages,
                                  std::string shape, double temperature);

}  // namespace youtube
