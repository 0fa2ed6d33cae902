// host/core/text.hpp — the host's one copy of the small text helpers every folder needs (the
// plugins and render/ keep their own: layers do not share code).
#pragma once

#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>

namespace automuse::core {

// `s` without leading and trailing ASCII white space (space, tab, CR, LF, FF, VT).
constexpr std::string_view trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n\f\v";
  const auto first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
}

// A base URL without trailing slashes, so "<base>/<path>" never doubles one.
inline std::string without_trailing_slashes(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

// The longest prefix of the UTF-8 text `s` with at most `max_bytes` bytes that does not end
// inside a character, so that a cut text stays valid UTF-8 (PostgreSQL refuses anything else).
constexpr std::string_view utf8_prefix(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut);
}

// A Unix time as UTC text in a strftime `format` ("%Y-%m-%d"); at most 63 characters.
inline std::string utc_text(int64_t unix_seconds, const char *format) {
  const auto t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  return std::string(buf, std::strftime(buf, sizeof buf, format, &tm));
}

}  // namespace automuse::core
