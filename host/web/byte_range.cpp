// host/web/byte_range.cpp — parsing one byte range.
#include "web/byte_range.hpp"

#include <algorithm>
#include <charconv>

namespace automuse::web {
namespace {

std::optional<uint64_t> number(std::string_view s) {
  if (s.empty() || s.size() > 19) return std::nullopt;
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

RangeAsk parse_range(std::string_view h, uint64_t size, uint64_t cap) {
  RangeAsk ask;
  constexpr std::string_view kUnit = "bytes=";
  if (h.substr(0, kUnit.size()) != kUnit) return ask;
  h.remove_prefix(kUnit.size());
  if (h.find(',') != std::string_view::npos) return ask;
  const size_t dash = h.find('-');
  if (dash == std::string_view::npos) return ask;
  auto first = number(h.substr(0, dash));
  auto last = number(h.substr(dash + 1));
  ByteRange r;
  if (!first && !last) return ask;
  if (!first) {  // the last N bytes
    if (*last == 0 || size == 0) return ask.unsatisfiable = true, ask;
    r.first = size - std::min(*last, size);
    r.last = size - 1;
  } else {
    if (*first >= size) return ask.unsatisfiable = true, ask;
    if (last && *last < *first) return ask;  // invalid: ignored
    r.first = *first;
    r.last = last ? std::min(*last, size - 1) : size - 1;
  }
  if (cap > 0 && r.length() > cap) r.last = r.first + cap - 1;
  ask.range = r;
  return ask;
}

}  // namespace automuse::web
