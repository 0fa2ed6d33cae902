// plugins/plugin_support/mp4_boxes.cpp — bounds-checked fields and child boxes.
#include "mp4_boxes.hpp"

#include <stdexcept>

namespace plugin_support::mp4 {

uint64_t Reader::uint(size_t bytes) {
  if (!has(bytes)) throw std::runtime_error("a box is shorter than its fields");
  uint64_t v = 0;
  for (size_t i = 0; i < bytes; ++i) v = (v << 8) | static_cast<unsigned char>(d_[at_ + i]);
  at_ += bytes;
  return v;
}

void Reader::skip(size_t n) {
  if (!has(n)) throw std::runtime_error("a box is shorter than its fields");
  at_ += n;
}

std::vector<Box> children(std::string_view data) {
  std::vector<Box> out;
  size_t at = 0;
  while (at + 8 <= data.size()) {
    Reader r(data.substr(at));
    uint64_t size = r.uint(4);
    std::string type(data.substr(at + 4, 4));
    r.skip(4);
    size_t header = 8;
    if (size == 1) {
      size = r.uint(8);
      header = 16;
    } else if (size == 0) {
      size = data.size() - at;
    }
    if (size < header || size > data.size() - at)
      throw std::runtime_error("box '" + type + "' runs past its parent");
    out.push_back({type, data.substr(at + header, size - header)});
    at += size;
  }
  return out;
}

const Box *find(const std::vector<Box> &boxes, std::string_view type) {
  for (const Box &b : boxes)
    if (b.type == type) return &b;
  return nullptr;
}

std::pair<uint64_t, uint64_t> time_fields(std::string_view payload) {
  Reader r(payload);
  const uint64_t version = r.uint(1);
  r.skip(3);
  r.skip(version == 1 ? 16 : 8);  // creation and modification times
  const uint64_t timescale = r.uint(4);
  const uint64_t duration = r.uint(version == 1 ? 8 : 4);
  return {timescale, duration};
}

}  // namespace plugin_support::mp4
