// plugins/plugin_support/mp4_boxes.hpp — the pieces every reader of ISO BMFF (MP4/MOV) boxes needs:
// bounds-checked big-endian fields inside one box's payload, and the child boxes of a payload.
// Both throw std::runtime_error saying what does not hold together; mp4_probe.cpp turns that into
// an error naming the file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace plugin_support::mp4 {

// Big-endian reads inside one box's payload; reading past its end throws.
class Reader {
 public:
  explicit Reader(std::string_view data) : d_(data) {}
  bool has(size_t n) const { return at_ + n <= d_.size(); }
  uint64_t uint(size_t bytes);
  void skip(size_t n);
  std::string_view rest() const { return d_.substr(at_); }

 private:
  std::string_view d_;
  size_t at_ = 0;
};

struct Box {
  std::string type;
  std::string_view payload;
};

// The boxes directly inside `data`, in order; a box running past its parent throws.
std::vector<Box> children(std::string_view data);

// The first box of `type` in `boxes`, or nullptr.
const Box *find(const std::vector<Box> &boxes, std::string_view type);

// mvhd's and mdhd's {timescale, duration} (their layouts agree up to the duration).
std::pair<uint64_t, uint64_t> time_fields(std::string_view payload);

}  // namespace plugin_support::mp4
