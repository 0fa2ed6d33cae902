// fuzz/weighted_length_fuzz.cpp — X's weighted post length (plugins/twitter/weighted_length):
// NFC, URLs, emoji and light ranges, with ICU. Invariants: invalid UTF-8 is refused with
// std::invalid_argument and nothing else; the length is never negative and at most 2 per code
// point plus 23 per URL; URL spans are in bounds,
// in order and do not overlap; NFC is idempotent.
#include <stdexcept>
#include <string>

#include "fuzz_check.hpp"
#include "weighted_length.hpp"

namespace {

size_t code_points(const std::string &utf8) {
  size_t n = 0;
  for (unsigned char c : utf8) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const std::string text(reinterpret_cast<const char *>(data), size);
  std::string normal;
  int length = 0;
  try {
    normal = twitter::nfc(text);
    length = twitter::weighted_length(text);
  } catch (const std::invalid_argument &) {
    return 0;
  }
  FUZZ_CHECK(length >= 0, "a length is never negative");
  FUZZ_CHECK(twitter::nfc(normal) == normal, "NFC is idempotent");
  const auto urls = twitter::find_urls(normal);
  size_t end = 0;
  for (const auto &u : urls) {
    FUZZ_CHECK(u.begin >= end && u.begin < u.end && u.end <= normal.size(), "URL spans in order");
    end = u.end;
  }
  const size_t n = code_points(normal);
  FUZZ_CHECK(static_cast<size_t>(length) <= 2 * n + twitter::kUrlWeight * urls.size(),
             "at most 2 per code point plus the URLs");
  return 0;
}
