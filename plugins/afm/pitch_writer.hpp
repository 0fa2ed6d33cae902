// plugins/afm/pitch_writer.hpp — the pitch written by the LLM ("automuse.llm/1") from the
// product's facts only, checked by pitch_check: a draft that is too long, carries a link or
// names a price not in the facts is sent back with what is wrong (the measured length); as
// a last resort a draft that is only too long is cut to fit. Lengths are measured, and drafts
// cut, by the rules of the publisher the pitch is shared through ("automuse.publish/1").
#pragma once

#include <automuse/cpp/job.hpp>
#include <automuse/cpp/task.hpp>
#include <string>

#include "facts.hpp"

namespace afm {

struct PitchRequest {
  Facts facts;
  std::string notes, language, disclosure, link, account_id;
  std::string publisher;  // the plugin the pitch is shared through: its rules measure it
  int max_length = 0;     // the most the publisher allows (its own limit, or afm's setting)
  int rewrites = 2;
};

struct Pitch {
  std::string text;  // body + disclosure + link: what is shared
  std::string body;
  int length = 0;  // as the publisher measures it
  int drafts = 0;
  bool cut = false;
};

am::task<Pitch> write_pitch(am::job job, PitchRequest request);

}  // namespace afm
