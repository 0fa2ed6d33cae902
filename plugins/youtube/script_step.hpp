// plugins/youtube/script_step.hpp — the pipeline's first step: the script, read from the
// --script file, or written by the LLM after a topic (the option's, or a fresh one unlike the
// account's recent videos). It also settles the job's identity: an unfinished job for the same
// inputs is resumed under its id, so every step it already paid for comes from the cache.
#pragma once

#include <automuse/cpp/task.hpp>
#include <string>

#include "job_context.hpp"

namespace youtube {

struct Script {
  std::string text;
  std::string topic;        // empty for a script file
  std::string pending_key;  // the unfinished-job marker to clear at the end; empty for a file
  bool by_llm = false;      // written by the LLM, which may be asked to shorten it
};

// Sets ctx.job_id; notes who wrote the script (and the topic) in `made`. Throws am::error
// naming the file, or AM_UNSUPPORTED when there is neither a file nor an LLM.
am::task<Script> script_step(JobContext &ctx, Provenance &made);

}  // namespace youtube
