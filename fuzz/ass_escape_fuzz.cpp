// fuzz/ass_escape_fuzz.cpp — caption text made safe for an ASS Dialogue line
// (automuse::render::ass_escape). Invariants: one character out for each character in, and
// nothing left that ASS reads as an override block, an override tag or a line break.
#include <string>

#include "automuse_render/ass_subtitles.h"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const std::string text(reinterpret_cast<const char *>(data), size);
  const std::string escaped = automuse::render::ass_escape(text);
  FUZZ_CHECK(escaped.size() == text.size(), "one character for one");
  FUZZ_CHECK(escaped.find_first_of("{}\\\r\n") == std::string::npos, "nothing ASS interprets");
  FUZZ_CHECK(automuse::render::ass_escape(escaped) == escaped, "escaping twice changes nothing");
  return 0;
}
