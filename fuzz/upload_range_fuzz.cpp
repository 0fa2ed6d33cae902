// fuzz/upload_range_fuzz.cpp — the Range header of YouTube's resumable-upload status answer
// (plugins/youtube/youtube_api.cpp, next_byte_from_range): where a resumed upload goes on.
// Invariant: -1 (absent or malformed) or the next byte, at least 1.
#include <string>

#include "fuzz_check.hpp"
#include "youtube_api.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const std::string range(reinterpret_cast<const char *>(data), size);
  const int64_t next = youtube::next_byte_from_range(range);
  FUZZ_CHECK(next == -1 || next >= 1, "-1 or a byte position after the first");
  return 0;
}
