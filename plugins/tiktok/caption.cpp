// plugins/tiktok/caption.cpp — counting and cutting a caption in UTF-16 units.
#include "caption.hpp"

namespace tiktok {
namespace {

// The byte length of the UTF-8 sequence at `i` and its UTF-16 units; {0, 0} when invalid.
std::pair<size_t, size_t> step(std::string_view s, size_t i) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (!n || i + n > s.size()) return {0, 0};
  for (size_t k = 1; k < n; ++k)
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return {0, 0};
  return {n, n == 4 ? 2 : 1};
}

}  // namespace

std::optional<size_t> utf16_units(std::string_view text) {
  size_t units = 0;
  for (size_t i = 0; i < text.size();) {
    auto [bytes, u] = step(text, i);
    if (!bytes) return std::nullopt;
    units += u;
    i += bytes;
  }
  return units;
}

std::string fit_caption(std::string_view text, size_t max_units) {
  auto total = utf16_units(text);
  if (!total || *total <= max_units) return std::string(text);
  size_t units = 0, end = 0, last_space = 0;
  for (size_t i = 0; i < text.size();) {
    auto [bytes, u] = step(text, i);
    if (units + u > max_units) break;
    units += u;
    i += bytes;
    end = i;
    if (text[i - 1] == ' ') last_space = i - 1;
  }
  size_t cut = last_space > end / 2 ? last_space : end;
  while (cut > 0 && text[cut - 1] == ' ') --cut;
  return std::string(text.substr(0, cut));
}

}  // namespace tiktok
