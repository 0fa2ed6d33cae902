// host/web/byte_range.hpp — the Range header of a GET for a file (RFC 9110 §14): one range,
// "bytes=A-B", "bytes=A-" or "bytes=-N". Several ranges, or another unit, are ignored (the
// whole file is sent, as the RFC allows); a range that starts past the end is unsatisfiable
// (416).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace automuse::web {

struct ByteRange {
  uint64_t first = 0;
  uint64_t last = 0;  // inclusive
  uint64_t length() const { return last - first + 1; }
};

struct RangeAsk {
  std::optional<ByteRange> range;  // none: the whole file
  bool unsatisfiable = false;
};

// `size` is the file's; `cap` bounds one answer (an open-ended range is cut to it; the client
// asks again for the rest).
RangeAsk parse_range(std::string_view header, uint64_t size, uint64_t cap);

}  // namespace automuse::web
