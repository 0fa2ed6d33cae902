// plugins/afm/pitch_writer.hpp — the pitch written by the LLM ("automuse.llm/1") from the
// product's facts only, checked by pitch_check: a draft that is too long, carries a link or
// names a price not in the facts is sent back with what is wrong (the measured length); as
// a last resort a draft that is only too long is cut at a word boundary.
#pragma once

#include <automuse/cpp/job.hpp>
#include <automuse/cpp/task.hpp>
#include <string>

#include "facts.hpp"

namespace afm {

struct PitchRequest {
  Facts facts;
  std::string notes, language, disclosure, link, account_id;
  int max_length = 280;
  int rewrites = 2;
};

struct Pitch {
  std::string text;  // body + disclosure + link: what is shared
  std::string body;
  int length = 0;  // measured like X
  int drafts = 0;
  bool cut = false;
};

am::task<Pitch> write_pitch(am::job job, PitchRequest request);

}  // namespace afm
